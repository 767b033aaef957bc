"""The command line: every command, its formats, --help everywhere, and one-line errors.

Numbers printed by ``compare`` are checked against the raw TLE file
(seeds/authorities/stations-2024-05-09.tle): ISS i = 51.6381 deg, CSS i = 41.4681 deg.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys

import pytest
from click.testing import CliRunner

from missions.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_proc(*args):
    return subprocess.run([sys.executable, "-m", "missions", *args], capture_output=True, text=True, check=False)


def _one_line_error(proc, *words):
    assert proc.returncode == 2, proc
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w.casefold() in lines[0].casefold(), lines[0]
    return lines[0]


# --- compare -------------------------------------------------------------------------------------


def test_compare_json_gives_plane_angles_and_dv():
    """The tracker's done-when check."""
    res = run("compare", "ISS", "Chinese space station", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["min_plane_angle"]["unit"] == "deg"
    assert data["min_plane_angle"]["value"] == pytest.approx(51.6381 - 41.4681, abs=1e-9)
    assert data["max_plane_angle"]["value"] == pytest.approx(51.6381 + 41.4681, abs=1e-9)
    dv = data["plane_change_dv"]
    assert dv["unit"] == "km / s"
    # 2 v sin(theta/2) with v between the circular speeds at 370 and 420 km altitude
    lo = 2 * math.sqrt(398600.4418 / (6378.137 + 420)) * math.sin(math.radians(10.17) / 2)
    hi = 2 * math.sqrt(398600.4418 / (6378.137 + 370)) * math.sin(math.radians(10.17) / 2)
    assert lo < dv["value"] < hi


def test_compare_table_and_csv():
    res = run("compare", "Baikonur", "CSS")
    assert res.exit_code == 0
    # human labels with units, notes at the end, nothing wider than 100 columns
    assert "dog-leg Δv in a 200 km parking orbit" in res.stdout and "note:" in res.stdout
    assert not any(line.startswith(("dogleg_dv", "site_", "station_")) for line in res.stdout.splitlines())
    assert all(len(line) <= 100 for line in res.stdout.splitlines())
    res = run("compare", "ISS", "CSS", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 1
    # every digit kept: 51.6381 - 41.4681 from the TLE lines
    assert float(rows[0]["smallest plane angle [deg]"]) == pytest.approx(51.6381 - 41.4681, abs=1e-12)
    assert float(rows[0]["inclination (ISS) [deg]"]) == 51.6381


# --- windows ---------------------------------------------------------------------------------------


def test_windows_formats():
    res = run("windows", "Jiuquan", "CSS", "--start", "2024-05-10", "--days", "3", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    rows = data["rows"]
    assert len(rows) == 6  # twice a day for a site below the plane's inclination
    assert all(r["time"].startswith("2024-05-1") for r in rows)
    assert {r["direction"] for r in rows} == {"ascending", "descending"}
    assert data["start"].startswith("2024-05-10")
    res = run("windows", "Jiuquan", "CSS", "--days", "1")
    assert "ascending" in res.stdout and "descending" in res.stdout
    assert all(len(line) <= 100 for line in res.stdout.splitlines())
    res = run("windows", "Jiuquan", "CSS", "--days", "1", "--format", "csv")
    assert res.stdout.splitlines()[0] == "time,pass,azimuth [deg],node of the plane [deg]"


def test_windows_unreachable_is_one_line():
    _one_line_error(run_proc("windows", "Baikonur", "CSS"), "cannot launch directly", "dog-leg")


# --- porkchop and plot -----------------------------------------------------------------------------


def test_porkchop_station(tmp_path):
    out = tmp_path / "pc.png"
    res = run("porkchop", "ISS", "Chinese space station", "--out", str(out), "--top", "3", "--format", "json")
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = json.loads(res.stdout)
    assert 1 <= len(rows) <= 3
    # near the node alignment the transfer costs at least the pure 10.17 deg plane change
    # at the faster (CSS) orbit, 2 * 7.68 * sin(5.085 deg) = 1.36 km/s, but far below the
    # 11 km/s of opposed nodes
    for r in rows:
        assert 1.36 < r["dv_total"]["value"] < 3.0


def test_porkchop_lunar(tmp_path):
    out = tmp_path / "lunar.svg"
    res = run("porkchop", "--lunar", "Luna-25", "--out", str(out), "--top", "2")
    assert res.exit_code == 0, res.output
    assert out.read_text()[:200].lstrip().startswith(("<?xml", "<svg"))
    assert "tli_dv" in res.stdout


@pytest.mark.parametrize("name", ["sites", "plane-angle", "timeline", "transfer-families"])
def test_plot_each_figure(tmp_path, name):
    out = tmp_path / f"{name}.png"
    res = run("plot", name, "--out", str(out))
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 10_000


def test_plot_pdf_and_selection(tmp_path):
    out = tmp_path / "t.pdf"
    res = run("plot", "timeline", "--missions", "Luna-25,CE-5", "--out", str(out))
    assert res.exit_code == 0
    assert out.read_bytes()[:4] == b"%PDF"


# --- report ----------------------------------------------------------------------------------------


def test_report_command(tmp_path):
    res = run("report", "--out", str(tmp_path / "r"), "--missions", "Luna-25,Chang'e-6", "--quiet")
    assert res.exit_code == 0, res.output
    path = tmp_path / "r" / "index.html"
    assert res.stdout.strip() == str(path)
    assert "Luna-25" in path.read_text(encoding="utf-8")


# --- help and errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("cmd", [[], ["list"], ["show"], ["compare"], ["windows"], ["porkchop"], ["plot"], ["report"]])
def test_help_everywhere(cmd):
    res = run(*cmd, "--help")
    assert res.exit_code == 0
    assert res.stdout.startswith("Usage: ")


@pytest.mark.parametrize(
    "args, words",
    [
        (["compare", "ISS", "Lnua-25"], ["Lnua-25", "did you mean", "luna-25"]),
        (["compare", "ISS", "CSS", "--format", "jsn"], ["--format", "'jsn'", "did you mean 'json'"]),
        (["compare", "Baikonur", "Jiuquan"], ["cannot compare", "compare takes"]),
        (["plot", "timline", "--out", "x.png"], ["timline", "did you mean 'timeline'"]),
        (["plot", "timeline", "--out", "x.gif"], ["--out", "x.gif", ".png"]),
        (["windows", "Jiuquan", "CSS", "--days", "0"], ["--days", "0"]),
        (["windows", "Jiuquan", "CSS", "--start", "notadate"], ["start", "'notadate'", "2024-05-10"]),
        (["windows", "Baikonur", "ROS"], ["station", "'ROS'", "TLE"]),
        (["porkchop", "ISS"], ["two station names", "--lunar"]),
        (["porkchop", "--lunar", "ISS", "--out", "x.png"], ["--lunar", "lunar mission"]),
        (["report", "--out", "r", "--missions", "Lnua-25"], ["Lnua-25", "did you mean"]),
        (["lst"], ["lst", "Did you mean 'list'"]),
        (["compare", "ISS"], ["Missing argument"]),
    ],
)
def test_bad_input_is_one_line_on_stderr(args, words, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "missions", *args], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    _one_line_error(proc, *words)


@pytest.mark.slow
def test_plot_orbits_3d_writes_self_contained_html(tmp_path):
    """The interactive view (boinor OrbitPlotter, Plotly) goes to one HTML file with plotly.js
    inlined, so it opens offline; both stations are in it."""
    out = tmp_path / "orbits.html"
    res = run("plot", "orbits-3d", "--out", str(out))
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html  # no external script
    assert "(ISS)" in html and "(CSS)" in html


def test_plot_orbits_3d_refuses_image_suffix_before_drawing():
    res = run("plot", "orbits-3d", "--out", "x.png")
    assert res.exit_code == 2
    assert "must end in .html" in res.output
