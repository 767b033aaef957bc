"""``mission-compare compare`` and ``windows``: readable text, every digit in JSON, CSV from
the result's table, and one-line errors for bad input.

Expected numbers come from the raw TLE file seeds/authorities/stations-2024-05-09.tle
(ISS (ZARYA) i = 51.6381 deg, node 147.8590 deg; CSS (TIANHE) i = 41.4681 deg) and from
python-sgp4's secular node rates (Satrec.nodedot) for the same lines.
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
from click.testing import CliRunner

from missions.cli import cli

REPO = Path(__file__).resolve().parents[2]
TLE = REPO / "seeds" / "authorities" / "stations-2024-05-09.tle"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _sgp4_cycle_days():
    from sgp4.api import WGS72, Satrec

    lines = TLE.read_text().splitlines()
    sat = {lines[k].strip(): Satrec.twoline2rv(lines[k + 1], lines[k + 2], WGS72)
           for k in range(0, len(lines) - 2, 3)}
    rel = math.degrees(sat["ISS (ZARYA)"].nodedot - sat["CSS (TIANHE)"].nodedot) * 1440.0
    return 360.0 / abs(rel)


def test_compare_text_fits_100_columns_with_labels_and_units():
    res = run("compare", "ISS", "Chinese space station")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    by_label = {line[:33].strip(): line[33:].strip() for line in lines if line[:1] not in " \t"}
    # rounded to 0.01 deg; TLE inclinations 51.6381 and 41.4681
    assert by_label["smallest plane angle"] == f"{51.6381 - 41.4681:.2f} deg"
    assert by_label["largest plane angle"] == f"{51.6381 + 41.4681:.2f} deg"
    # the cycle to 0.1 d; SGP4 (WGS 72) and the toolkit (WGS 84) agree within 5e-4
    cycle = float(by_label["node cycle"].split()[0])
    assert cycle == pytest.approx(_sgp4_cycle_days(), rel=5e-4)
    # the side-by-side block: both names as column heads, inclinations to 0.01 deg
    head = lines[0].split()
    assert head[0] == "ISS"
    incl = next(line for line in lines if line.startswith("inclination (deg)"))
    assert incl.split()[2:] == ["51.64", "41.47"]
    assert "nan" not in res.stdout.lower()


def test_compare_json_keeps_every_digit_and_nests_each_orbit():
    res = run("compare", "ISS", "CSS", "--format", "json")
    data = json.loads(res.stdout)
    assert data["result"] == "OrbitPairComparison"
    assert data["first"]["inclination"] == {"value": 51.6381, "unit": "deg"}
    assert data["first"]["raan"]["value"] == pytest.approx(147.8590, abs=1e-9)  # ISS epoch is the later
    assert data["second"]["inclination"] == {"value": 41.4681, "unit": "deg"}
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
    # ascending azimuth: sin(az) = cos(i) / cos(lat_c), i from the TLE, Jiuquan 40.958 N
    # (catalog) on WGS 84: tan(lat_c) = (1 - e^2) tan(lat)
    lat_c = math.atan((1 - 0.00669437999014) * math.tan(math.radians(40.958)))
    az = math.degrees(math.asin(math.cos(math.radians(41.4681)) / math.cos(lat_c)))
    asc = [r for r in rows if r["pass"] == "ascending"]
    assert float(asc[0]["azimuth [deg]"]) == pytest.approx(az, abs=2e-3)


@pytest.mark.parametrize(
    "args, words",
    [
        (["compare", "ISS", "x" * 100_000], ["100,000 characters", "more than 200"]),
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
