"""orbits.distributed: chunked Dask runs give exactly the in-process results.

The expected values of every identity test are the in-process single call of the same grid
function, computed in the test; the chunked runs go to a real 2-process ``LocalCluster`` started
here (module scope) or to dask's local threads.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

import orbits
import orbits.lunar.porkchop as _pc
from orbits import distributed as D
from orbits.core import transfers as core_transfers
from orbits.errors import ArgumentError, SizeLimitError
from orbits.transfers import station_transfer_search

distributed = pytest.importorskip("distributed", reason="dask.distributed is in the test extra")

EPOCH = Time("2024-05-09T12:00:00", scale="utc")
# mean elements of two stations like the ISS (51.64 deg) and the Chinese station (41.47 deg);
# the identity tests need only two distinct, non-coplanar orbits
ISS = {"a": 6790 * u.km, "ecc": 0.0005, "inc": 51.64 * u.deg, "raan": 100 * u.deg,
       "argp": 30 * u.deg, "nu": 10 * u.deg, "epoch": EPOCH}
CSS = {"a": 6760 * u.km, "ecc": 0.0004, "inc": 41.47 * u.deg, "raan": 280 * u.deg,
       "argp": 60 * u.deg, "nu": 200 * u.deg, "epoch": EPOCH}


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as lc:
        yield lc


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f")


def _station_inputs():
    dep = EPOCH + np.arange(23) * 10 * u.min
    tof = np.arange(20, 180, 20) * u.min
    return dep, tof


def _assert_same_station(ref, got):
    for name in ("dv1", "dv2", "dv_total", "ok", "revs", "lowpath", "minima"):
        _same(getattr(ref, name), getattr(got, name))
    _same(ref.departure.jd1, got.departure.jd1)
    _same(ref.departure.jd2, got.departure.jd2)
    assert got.to_dict() == ref.to_dict()  # best cell, edges, counts, fractions, notes


def test_station_search_on_a_two_worker_cluster_equals_the_single_call(cluster):
    dep, tof = _station_inputs()
    ref = station_transfer_search(ISS, CSS, dep, tof, max_revs=1)  # in-process, one call
    got = D.chunked_station_transfer_search(ISS, CSS, dep, tof, max_revs=1, chunks=5,
                                            scheduler=cluster.scheduler_address)
    _assert_same_station(ref, got)
    assert ref.best(3).to_dict() == got.best(3).to_dict()


def test_core_grid_split_by_run_chunked_on_an_active_client(cluster):
    # the integration path: station_transfer_search hands its core call to run_chunked
    from distributed import Client

    el1 = core_transfers.MeanElements(6790.0, 0.0005, np.radians(51.64), np.radians(100.0),
                                      np.radians(30.0), 0.2)
    el2 = core_transfers.MeanElements(6760.0, 0.0004, np.radians(41.47), np.radians(280.0),
                                      np.radians(60.0), 3.5)
    t_dep = np.arange(0.0, 17 * 600.0, 600.0)
    tof = np.arange(1200.0, 9000.0, 1200.0)
    ref = core_transfers.transfer_grid(el1, el2, t_dep, tof, max_revs=1)
    with Client(cluster.scheduler_address):  # active default client: scheduler=None uses it
        got = D.run_chunked(core_transfers.transfer_grid, el1, el2, t_dep, tof, max_revs=1,
                            split="t_dep", chunks=4)
        pids = D.run_tasks([os.getpid, os.getpid])
    assert type(got) is type(ref)
    for a, b in zip(ref, got):
        _same(a, b)
    assert os.getpid() not in pids  # the tasks ran in the worker processes


def test_lunar_porkchop_chunks_equal_the_single_call(cluster):
    dep = Time("2025-03-01T00:00:00", scale="utc") + np.arange(30) * 4 * u.h
    tofs = np.arange(3.0, 6.01, 1.0) * u.day
    ref = orbits.lunar_porkchop(dep, tofs, parking_inclination=19.6 * u.deg)
    for scheduler in (cluster.scheduler_address, None):  # the cluster, then local threads
        got = D.chunked_lunar_porkchop(dep, tofs, parking_inclination=19.6 * u.deg, chunks=7,
                                       scheduler=scheduler)
        for name in ("tli_dv", "loi_dv", "total_dv", "v_inf", "moon_declination",
                     "in_plane", "ok"):
            _same(getattr(ref, name), getattr(got, name))
        assert got.to_dict() == ref.to_dict()
        assert got.best(3, min_separation=1 * u.day).to_dict() == \
            ref.best(3, min_separation=1 * u.day).to_dict()


@pytest.mark.parametrize("bad", [0, -3, 1.5, True, "4", None])
def test_chunks_must_be_a_positive_integer(bad):
    dep, tof = _station_inputs()
    with pytest.raises(ArgumentError, match=r"chunks must be a positive integer.*got "
                                            + re.escape(repr(bad)) + "$"):
        D.chunked_station_transfer_search(ISS, CSS, dep, tof, chunks=bad)
    with pytest.raises(ArgumentError, match="chunks must be a positive integer"):
        D.run_chunked(np.sort, np.arange(3.0), split="a", chunks=bad, scheduler="sync")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_in_one_line_naming_the_timeout():
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(D.SchedulerUnreachableError) as info:
        D.run_tasks([os.getpid], scheduler=address, timeout=1.5)
    msg = str(info.value)
    assert address in msg and "1.5 s" in msg and "\n" not in msg
    assert isinstance(info.value, ArgumentError)


def test_unknown_scheduler_names_are_refused():
    with pytest.raises(ArgumentError, match="scheduler must be 'threads'.*got 'fastest'"):
        D.run_tasks([os.getpid], scheduler="fastest")


def test_oversized_surveys_are_refused_before_any_task(monkeypatch):
    def no_work(*a, **k):
        raise AssertionError("a task was started")

    monkeypatch.setattr(D, "run_tasks", no_work)
    dep = Time(2460676.5 + np.arange(100_000) / 1440.0, format="jd", scale="utc")
    tofs = np.linspace(3, 6, 600) * u.day
    # 6 x 10^7 cells against MAX_SURVEY_CELLS = 5 x 10^7: at most 83,333 departures of 600
    with pytest.raises(SizeLimitError) as info:
        D.chunked_lunar_porkchop(dep, tofs, chunks=100)
    msg = str(info.value)
    assert "60,000,000 cells" in msg and "50,000,000" in msg and "83,333 entries" in msg
    # one chunk of 40,000 x 600 cells at the porkchop's 120 B a cell
    # (orbits.lunar.porkchop._BYTES_PER_CELL) is 2.7 GiB > 2 GiB: 2 GiB / (600 x 120 B) = 29,826
    assert _pc._BYTES_PER_CELL == 120
    with pytest.raises(SizeLimitError, match=r"one task of 40,?000 entries.*2\.7 GiB.*over "
                                             r"the 2\.0 GiB limit; pass chunks=29,?826 or "
                                             r"fewer"):
        D.chunked_lunar_porkchop(dep[:40_000], tofs, chunks=40_000)
    # 23 departures x 8 times of flight = 184 cells against a limit of 100
    with pytest.raises(SizeLimitError, match="has 184 cells, over the limit of 100 cells"):
        D.chunked_station_transfer_search(ISS, CSS, *_station_inputs(), chunks=2,
                                          max_cells=100)


def test_concat_parts_joins_arrays_times_and_tuples():
    t = Time("2025-01-01", scale="utc") + np.arange(5) * u.h
    got = D.run_chunked(lambda times, k: (times, np.outer(np.arange(len(times)), k)),
                        t, np.ones(2), split="times", chunks=2, scheduler="sync")
    _same(got[0].jd2, t.jd2)
    # rows restart at 0 in each chunk of 2: the parts are joined in order
    _same(got[1][:, 0], np.array([0.0, 1.0, 0.0, 1.0, 0.0]))


def test_importing_orbits_distributed_loads_no_dask():
    code = ("import sys, orbits.distributed, missions.survey; "
            "print(sorted(m for m in ('dask', 'distributed', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
