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


def _env():
    """The environment for a subprocess that imports this checkout's code (not an installed
    copy), from any working directory."""
    import os
    from pathlib import Path

    import tempfile

    root = str(Path(__file__).resolve().parents[2])
    # an empty user data directory: a user's cached element sets must not change the numbers
    data = tempfile.mkdtemp(prefix="mission-compare-test-data-")
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "MISSION_COMPARE_DATA": data}


def run_proc(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "missions", *args], capture_output=True, text=True,
                          check=False, cwd=cwd, env=_env())


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
    # the 2024-05-09 element sets of seeds/authorities/stations-2024-05-09.tle
    res = run("compare", "ISS", "Chinese space station", "--format", "json", "--at", "2024-05-09T12:00")
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
    res = run("compare", "ISS", "CSS", "--format", "csv", "--at", "2024-05-09T12:00")
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
    assert res.stdout.splitlines()[0] == ("time,pass,azimuth [deg],node of the plane [deg],"
                                          "in documented corridor")


def test_windows_unreachable_is_one_line():
    _one_line_error(run_proc("windows", "Baikonur", "CSS"), "cannot launch directly", "dog-leg")


# --- porkchop and plot -----------------------------------------------------------------------------


def test_porkchop_station(tmp_path):
    out = tmp_path / "pc.png"
    # as of the 2024-05-09 sets of seeds/authorities/stations-2024-05-09.tle
    res = run("porkchop", "ISS", "Chinese space station", "--out", str(out), "--top", "3",
              "--format", "json", "--at", "2024-05-09T12:00")
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = json.loads(res.stdout)["rows"]
    assert 1 <= len(rows) <= 3
    # near the node alignment the transfer costs at least the pure 10.17 deg plane change
    # at the faster (CSS) orbit, 2 * 7.68 * sin(5.085 deg) = 1.36 km/s, but far below the
    # 11 km/s of opposed nodes
    for r in rows:
        assert 1.36 < r["dv_total"]["value"] < 3.0


def test_porkchop_lunar(tmp_path):
    out = tmp_path / "lunar.svg"
    res = run("porkchop", "--lunar", "Luna-25", "--out", str(out), "--top", "2", "--format", "json")
    assert res.exit_code == 0, res.output
    assert out.read_text()[:200].lstrip().startswith(("<?xml", "<svg"))
    rows = json.loads(res.stdout)["rows"]
    # a translunar injection from a low parking orbit: 3.0-3.3 km/s (Apollo 11 flew a
    # 3.04 km/s speed gain, Apollo 11 Mission Report, NASA MSC-00171, 1969)
    assert 1 <= len(rows) <= 2 and all(2.9 < r["tli_dv"]["value"] < 3.4 for r in rows)


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
        (["windows", "Baikonur", "ROS"], ["station", "'ROS'", "element sets"]),
        (["porkchop", "ISS"], ["two station names", "--lunar"]),
        (["porkchop", "--lunar", "ISS", "--out", "x.png"], ["--lunar", "lunar mission"]),
        (["report", "--out", "r", "--missions", "Lnua-25"], ["Lnua-25", "did you mean"]),
        (["lst"], ["lst", "Did you mean 'list'"]),
        (["compare", "ISS"], ["Missing argument"]),
    ],
)
def test_bad_input_is_one_line_on_stderr(args, words, tmp_path):
    _one_line_error(run_proc(*args, cwd=tmp_path), *words)


def test_plot_orbits_3d_writes_self_contained_html(tmp_path):
    """The interactive view (Plotly) goes to one HTML file with plotly.js inlined, so it
    opens offline; both stations are in it under their catalog names."""
    from missions import load_catalog

    cat = load_catalog()
    out = tmp_path / "orbits.html"
    res = run("plot", "orbits-3d", "--out", str(out))
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html  # no external script
    assert f"({cat['ISS'].name})" in html and f"({cat['CSS'].name})" in html


def test_plot_orbits_3d_refuses_image_suffix_before_drawing():
    res = run("plot", "orbits-3d", "--out", "x.png")
    assert res.exit_code == 2
    assert "must end in .html" in res.output


# --- readable output ---------------------------------------------------------------------------


def test_list_fits_100_columns_with_blanks_not_nan():
    res = run("list")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "nan" not in res.stdout.split()
    assert "Luna-25" in res.stdout


def test_list_csv_and_json_keep_every_digit():
    """The catalog's ISS orbit, inclination = "51.64 deg" (missions/data/50_stations.toml),
    comes out exactly in CSV (unit in the header) and JSON; unknowns are blank / null."""
    rows = list(csv.DictReader(io.StringIO(run("list", "--format", "csv").stdout)))
    by = {r["Name"]: r for r in rows}
    assert float(by["ISS"]["Inclination [deg]"]) == 51.64
    assert by["Luna-26"]["Inclination [deg]"] == ""  # planned, no orbit in the catalog
    data = json.loads(run("list", "--format", "json").stdout)
    js = {r["name"]: r for r in data}
    assert js["ISS"]["inclination"] == {"value": 51.64, "unit": "deg"}
    assert js["Luna-26"]["inclination"] is None


def test_show_fits_100_columns():
    res = run("show", "ISS")
    assert res.exit_code == 0
    assert max(len(line) for line in res.stdout.splitlines()) <= 100


# --- errors: one line for the toolkit's input errors, a traceback for bugs -------------------------


def _raising(exc):
    def fail(*args, **kwargs):
        raise exc
    return fail


@pytest.mark.parametrize("exc", [
    __import__("orbits.errors", fromlist=["x"]).ArgumentError("--days must be positive, got -1"),
    __import__("orbits.errors", fromlist=["x"]).NotFoundError("no figure named 'x'"),
    __import__("orbits.errors", fromlist=["x"]).ArgumentTypeError("top must be an integer, got 'a'"),
    __import__("orbits.errors", fromlist=["x"]).SizeLimitError("needs 9.3 GiB, over the 2.0 GiB limit"),
    __import__("orbits.errors", fromlist=["x"]).DataFileError("x.toml: record y: field z: bad"),
    FileNotFoundError(2, "No such file or directory", "x.toml"),
])
def test_user_errors_are_one_line(monkeypatch, exc):
    import missions.figures

    monkeypatch.setattr(missions.figures, "figure", _raising(exc))
    res = CliRunner().invoke(cli, ["plot", "sites", "--out", "x.png"])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines() if hasattr(res, "stderr") else res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mission-compare: error: ")
    text = exc.args[0] if not isinstance(exc, OSError) else "x.toml"
    assert text in lines[0]  # a KeyError's message, not its repr with quotes


@pytest.mark.parametrize("exc", [
    ZeroDivisionError("a bug"),
    # built-in errors are not the toolkit's input errors: raised from our code they are bugs
    KeyError("a missing dict key"), ValueError("bad value"), TypeError("bad type"),
])
def test_a_bug_keeps_its_traceback(monkeypatch, exc):
    import missions.figures

    monkeypatch.setattr(missions.figures, "figure", _raising(exc))
    res = CliRunner().invoke(cli, ["plot", "sites", "--out", "x.png"])
    assert res.exit_code == 1 and res.exception is exc


def test_debug_shows_the_traceback_of_a_user_error():
    proc = run_proc("--debug", "show", "Lnua-25")
    assert proc.returncode == 1
    assert "Traceback (most recent call last)" in proc.stderr
    assert "Lnua-25" in proc.stderr.splitlines()[-1]
    _one_line_error(run_proc("show", "Lnua-25"), "Lnua-25", "did you mean")


def test_long_names_fail_fast_and_are_echoed_cut():
    name = "a" * 100_000
    proc = run_proc("show", name)
    line = _one_line_error(proc, "100,000 characters", "at most 200")
    assert len(line) < 300
    proc = run_proc("report", "--out", "r", "--missions", f"Luna-25,{name}")
    line = _one_line_error(proc, "--missions", "100,000 characters")
    assert len(line) < 300


def test_long_error_messages_are_cut_to_one_short_line(monkeypatch):
    import missions.figures

    from orbits.errors import ArgumentError

    monkeypatch.setattr(missions.figures, "figure", _raising(ArgumentError("x" * 50_000 + " tail")))
    res = CliRunner().invoke(cli, ["plot", "sites", "--out", "x.png"])
    assert res.exit_code == 2
    line = res.output.strip()
    assert "\n" not in line and len(line) <= 450 and "characters cut" in line and line.endswith("tail")


@pytest.mark.parametrize("args, words", [
    (["porkchop", "--lunar", "Luna-25", "--days", "0.1", "--out", "x.png"], ["--days", "0.1", "at least 1"]),
    (["porkchop", "ISS", "CSS", "--days", "0.01", "--out", "x.png"], ["--days", "0.01"]),
    (["porkchop", "--lunar", "Luna-26", "--out", "x.png"], ["Luna-26", "no launch date", "--start"]),
])
def test_degenerate_porkchops_are_one_line(args, words, tmp_path):
    _one_line_error(run_proc(*args, cwd=tmp_path), *words)


def test_report_merges_names_of_one_mission(tmp_path):
    res = run("report", "--out", str(tmp_path / "r"), "--missions", "Luna-25,luna 25,LUNA25", "--quiet")
    assert res.exit_code == 0, res.output
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    section = html.split('<section id="catalog">')[1].split("</section>")[0]
    assert section.count("<td>Luna-25</td>") == 1


def test_stale_elements_warn_once_per_set_in_one_line():
    # the newest packaged sets (seeds/authorities/tle-history: ISS 2026-10-10 18:56 UTC,
    # Tianhe 2026-10-10 19:53 UTC) are 51 days before 2026-12-01: one warning line each
    proc = run_proc("compare", "ISS", "Chinese space station", "--at", "2026-12-01")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 2 and all(line.startswith("warning: elements of ") for line in lines)
    assert any("ISS (ZARYA)" in line for line in lines) and any("TIANHE" in line for line in lines)
    assert all("2026-10-10" in line and "51." in line for line in lines)
    assert "StaleInputWarning" not in proc.stderr  # not Python's warning format
    # five days after those sets: no warning at all
    fresh = run_proc("compare", "ISS", "Chinese space station", "--at", "2026-10-15")
    assert fresh.returncode == 0 and fresh.stderr.strip() == ""
