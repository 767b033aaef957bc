"""``mission-compare compare`` and ``windows``: readable text, every digit in JSON, CSV from
the result's table, and one-line errors for bad input.

The commands analyse as of now (the default analysis date), from the packaged element sets
nearest now. Expected numbers come from those sets, read here from the raw files
orbits/data/history/iss-25544.tle and tianhe-48274.tle (copies of
seeds/authorities/tle-history/, see its PROVENANCE.md): line-2 inclinations, and python-sgp4's
secular node rates (Satrec.nodedot) for the same lines. The user cache is redirected to an
empty directory (MISSION_COMPARE_DATA) so only the packaged sets count.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from astropy.time import Time
from click.testing import CliRunner

from missions.cli import cli

REPO = Path(__file__).resolve().parents[2]
HISTORY = REPO / "orbits" / "data" / "history"


@pytest.fixture(autouse=True)
def _no_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MISSION_COMPARE_DATA", str(tmp_path / "data"))


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _nearest_now(fname):
    """The python-sgp4 Satrec and line 2 of the set in a packaged history file whose epoch is
    nearest now (the default analysis date)."""
    from sgp4.api import WGS72, Satrec

    lines = [ln.rstrip() for ln in (HISTORY / fname).read_text().splitlines()]
    pairs = [(lines[k], lines[k + 1]) for k in range(len(lines) - 1)
             if lines[k].startswith("1 ") and lines[k + 1].startswith("2 ")]
    now = Time.now().utc.jd
    sats = [(Satrec.twoline2rv(a, b, WGS72), b) for a, b in pairs]
    return min(sats, key=lambda s: abs(s[0].jdsatepoch + s[0].jdsatepochF - now))


ISS_SAT, ISS_LINE2 = _nearest_now("iss-25544.tle")
CSS_SAT, CSS_LINE2 = _nearest_now("tianhe-48274.tle")
I_ISS, I_CSS = float(ISS_LINE2[8:16]), float(CSS_LINE2[8:16])


def _sgp4_cycle_days():
    rel = math.degrees(ISS_SAT.nodedot - CSS_SAT.nodedot) * 1440.0
    return 360.0 / abs(rel)


def test_compare_text_fits_100_columns_with_labels_and_units():
    res = run("compare", "ISS", "Chinese space station")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    by_label = {line[:33].strip(): line[33:].strip() for line in lines if line[:1] not in " \t"}
    # rounded to 0.01 deg; line-2 inclinations of the sets nearest now
    assert by_label["smallest plane angle"] == f"{I_ISS - I_CSS:.2f} deg"
    assert by_label["largest plane angle"] == f"{I_ISS + I_CSS:.2f} deg"
    # the cycle to 0.1 d; SGP4 (WGS 72) and the toolkit (WGS 84) agree within 5e-4
    cycle = float(by_label["node cycle"].split()[0])
    assert cycle == pytest.approx(_sgp4_cycle_days(), rel=5e-4)
    # the side-by-side block: both names as column heads, inclinations to 0.01 deg
    head = lines[0].split()
    assert head[0] == "ISS"
    incl = next(line for line in lines if line.startswith("inclination (deg)"))
    assert incl.split()[2:] == [f"{I_ISS:.2f}", f"{I_CSS:.2f}"]
    assert "nan" not in res.stdout.lower()


def test_compare_json_keeps_every_digit_and_nests_each_orbit():
    res = run("compare", "ISS", "CSS", "--format", "json")
    data = json.loads(res.stdout)
    assert data["result"] == "OrbitPairComparison"
    assert data["first"]["inclination"] == {"value": I_ISS, "unit": "deg"}
    assert data["second"]["inclination"] == {"value": I_CSS, "unit": "deg"}
    # the analysis date (now) and the element sets used, with their epochs
    assert data["analysis_date"][:10] == Time.now().utc.isot[:10]
    epochs = [i["epoch"][:16] for i in data["inputs"]]
    from sgp4.conveniences import sat_epoch_datetime

    assert epochs == [sat_epoch_datetime(s).strftime("%Y-%m-%dT%H:%M") for s in (ISS_SAT, CSS_SAT)]
    assert data["node_cycle"]["value"] == pytest.approx(_sgp4_cycle_days(), rel=5e-4)
    assert not [k for k in data if k.startswith(("a_", "b_"))]


def test_compare_self_is_trivial_not_an_error():
    res = run("compare", "ISS", "ISS", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["min_plane_angle"]["value"] == 0.0 and data["max_plane_angle"]["value"] == 0.0
    assert data["node_cycle"] is None and data["next_alignment"] is None
    text = run("compare", "ISS", "ISS").stdout
    cycle_line = next(line for line in text.splitlines() if line.startswith("node cycle"))
    assert cycle_line.strip() == "node cycle"  # blank, not nan or inf


def test_windows_text_and_csv():
    res = run("windows", "Jiuquan", "CSS", "--start", "2024-05-10", "--days", "2")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    header = next(line for line in lines if line.startswith("time"))
    assert "pass" in header and "azimuth (deg)" in header
    res = run("windows", "Jiuquan", "CSS", "--start", "2024-05-10", "--days", "2", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 4
    # ascending azimuth: sin(az) = cos(i) / cos(lat_c), i of the Tianhe set nearest now,
    # Jiuquan 40.958 N (catalog) on WGS 84: tan(lat_c) = (1 - e^2) tan(lat)
    lat_c = math.atan((1 - 0.00669437999014) * math.tan(math.radians(40.958)))
    az = math.degrees(math.asin(math.cos(math.radians(I_CSS)) / math.cos(lat_c)))
    asc = [r for r in rows if r["pass"] == "ascending"]
    assert float(asc[0]["azimuth [deg]"]) == pytest.approx(az, abs=2e-3)


@pytest.mark.parametrize(
    "args, words",
    [
        (["compare", "ISS", "x" * 100_000], ["100,000 characters", "200"]),
        (["compare", "Baikonur", "Luna-25"], ["cannot compare", "lunar"]),
        (["windows", "Jiuquan", "CSS", "--start", "2024-13-45"], ["start", "2024-05-10"]),
        (["windows", "Jiuquan", "CSS", "--days", "61"], ["--days", "61"]),
    ],
)
def test_bad_input_is_one_line(args, words, tmp_path):
    import os

    env = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout's code, from any directory
    proc = subprocess.run([sys.executable, "-m", "missions", *args], capture_output=True,
                          text=True, cwd=tmp_path, env=env, check=False)
    assert proc.returncode == 2, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 400, proc.stderr[:500]
    for w in words:
        assert w.casefold() in lines[0].casefold(), lines[0]
