"""missions.survey and ``mission-compare survey``: the same numbers on a cluster and in-process.

The expected values are the in-process runs of the same studies and direct calls of
``predict_launches`` / ``orbits.lunar_porkchop`` computed in the test; the cluster is a real
2-process ``LocalCluster`` started here (module scope).
"""

from __future__ import annotations

import socket

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time
from click.testing import CliRunner

import orbits
from missions import survey as S
from missions.cli import cli
from missions.launch_timing import predict_launches
from orbits.errors import ArgumentError, SizeLimitError

pytest.importorskip("distributed", reason="dask.distributed is in the test extra")
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is in the test extra")

WINDOWS = ["survey", "windows", "--start", "2025-01-01", "--years", "0.02", "--block-days", "4",
           "--site", "Wenchang LC-201", "--station", "CSS", "--vehicle", "Long March 7"]
LUNAR = ["survey", "lunar", "--start", "2025-03", "--months", "2", "--step", "720",
         "--tof-min", "3", "--tof-max", "6", "--tof-step", "1"]


def _warm():
    # the studies' imports, done once in each worker at the same time (not per test)
    import missions.survey  # noqa: F401
    import orbits.lunar.porkchop  # noqa: F401


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as lc:
        with Client(lc, set_as_default=False) as client:
            client.run(_warm)
        yield lc


def _run(args):
    return CliRunner().invoke(cli, list(args))


def _same_files(d1, d2, stem):
    assert (d1 / f"{stem}.csv").read_bytes() == (d2 / f"{stem}.csv").read_bytes()
    t1, t2 = pq.read_table(d1 / f"{stem}.parquet"), pq.read_table(d2 / f"{stem}.parquet")
    assert t1.equals(t2) and t1.num_rows > 0
    return t1


@pytest.mark.parametrize("args, stem", [(WINDOWS, "windows"), (LUNAR, "lunar")])
def test_cli_survey_on_the_cluster_writes_the_in_process_files(cluster, tmp_path, args, stem):
    local = _run([*args, "--out", str(tmp_path / "local"), "--no-progress"])
    assert local.exit_code == 0, local.output
    remote = _run([*args, "--out", str(tmp_path / "remote"), "--chunks", "1",
                   "--scheduler", cluster.scheduler_address])
    assert remote.exit_code == 0, remote.output
    table = _same_files(tmp_path / "local", tmp_path / "remote", stem)
    assert f"wrote {tmp_path / 'remote' / stem}.parquet" in remote.output
    if stem == "windows":
        # independent check: the rows are predict_launches' own, block by block
        # (0.02 years = 7.305 d: blocks of 4 and 3.305 d)
        direct = [predict_launches("Wenchang LC-201", "CSS", vehicle="Long March 7",
                                   profile="chinese-3h", start=Time("2025-01-01") + k * 4 * u.day,
                                   days=d)
                  for k, d in enumerate((4.0, 0.02 * 365.25 - 4.0))]
        launches = np.concatenate([np.asarray(Time(r.launch_time, precision=3).utc.isot)
                                   for r in direct])
        assert table.column("launch_time_utc").to_pylist() == launches.tolist()
        az = np.concatenate([r.azimuth.to_value(u.deg) for r in direct])
        assert table.column("azimuth_deg").to_pylist() == az.tolist()


def test_lunar_survey_month_is_the_porkchops_cheapest_cell():
    res = S.survey_lunar(start="2025-03-15", months=1, step=12 * u.h,
                         tofs=[3, 4, 5] * u.day, scheduler="sync")
    # independent: the whole month's porkchop in one call, its cheapest solved cell
    dep = Time("2025-03-01T00:00:00", scale="utc") + np.arange(0, 31 * 86400, 43200) * u.s
    pork = orbits.lunar_porkchop(dep, [3, 4, 5] * u.day)
    total = np.where(pork.ok, pork.total_dv.to_value(u.km / u.s), np.inf)
    i, j = np.unravel_index(np.argmin(total), total.shape)
    assert res.month.tolist() == ["2025-03"]
    assert res.departure[0].utc.isot[:19] == dep[i].utc.isot[:19]
    assert res.tof[0].to_value(u.day) == [3, 4, 5][j]
    assert res.total_dv[0].to_value(u.km / u.s) == total[i, j]


def test_unreachable_combinations_are_listed_not_silently_dropped():
    # Baikonur 31/6 lies at 45.996 deg N (seeds/authorities/launches/launch-pads.toml); the
    # Chinese station's ~41.5 deg inclination (its TLEs) is below it, and a direct ascent
    # reaches only i >= |latitude| (cos i = cos(latitude) sin(azimuth), Vallado's launch
    # azimuth relation)
    res = S.survey_windows(start="2025-01-01", years=0.01, sites=["Baikonur Site 31/6"],
                           stations=["ISS", "CSS"], vehicles=["Soyuz-2.1a"], scheduler="sync")
    assert set(res.station) == {"ISS"}
    assert len(res.skipped) == 1 and "CSS" in res.skipped[0]
    assert any(w.startswith("unreachable, skipped: Baikonur Site 31/6 to CSS")
               for w in res.warnings)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path):
    out = ["--out", str(tmp_path), "--no-progress"]
    res = _run([*LUNAR, *out, "--chunks", "0"])
    assert res.exit_code == 2
    assert res.output.strip() == ("mission-compare: error: --chunks must be a positive integer "
                                  "(entries per task), got 0")
    address = f"tcp://127.0.0.1:{_closed_port()}"
    res = _run([*LUNAR, *out, "--scheduler", address, "--timeout", "1.5"])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and address in lines[0] and "within 1.5 s" in lines[0]
    # 600 months at a 1-minute step x 13 times of flight: 3.4 x 10^8 cells > 5 x 10^7
    res = _run(["survey", "lunar", "--start", "2025-01", "--months", "600", "--step", "1",
                *out])
    assert res.exit_code == 2
    assert "cells, over the limit of 50,000,000 cells" in res.output
    assert not list(tmp_path.iterdir())  # refused before any work or file


def test_survey_size_limits_in_the_api():
    with pytest.raises(SizeLimitError, match="over the limit of 1,000 cells"):
        S.survey_lunar(start="2025-01", months=1, step=1 * u.h, max_cells=1000)
    with pytest.raises(ArgumentError, match="chunks must be a positive integer.*got 2.5"):
        S.survey_windows(start="2025-01-01", chunks=2.5)


def test_mars_survey_rows_are_each_years_porkchop_minimum():
    """Each year's row is the minimum-total-Δv cell of orbits.mars.mars_porkchop over that
    year's departures, the same call made here directly; 2028 holds the late-2028 window
    (Tianwen-3's), 2029 only its tail, so 2028 is the cheaper year."""
    from orbits.mars import mars_porkchop

    res = S.survey_mars(start="2028-06-01", years=2, step=10 * u.day,
                        tofs=[150, 400] * u.day, scheduler="sync")
    assert res.year.tolist() == ["2028", "2029"]
    for k, y in enumerate((2028, 2029)):
        t0 = Time(f"{y}-01-01T00:00:00", scale="utc")
        n = 37  # 366 and 365 days at a 10-day step: 37 departures each
        direct = mars_porkchop(t0 + np.arange(n) * 10 * u.day, tof_min=150 * u.day,
                               tof_max=400 * u.day)
        assert res.departure[k].utc.isot == direct.best_dv_departure.utc.isot
        assert res.total_dv[k].to_value(u.km / u.s) == direct.best_total_dv.to_value(u.km / u.s)
    assert res.total_dv[0] < res.total_dv[1]
