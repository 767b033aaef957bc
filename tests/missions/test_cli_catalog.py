"""`mission-compare list` and `show`: output, formats, and one-line errors on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from missions.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_prints_every_mission():
    from missions import load_catalog

    res = run("list")
    assert res.exit_code == 0, res.output
    for m in load_catalog().missions:
        assert m.name in res.output


def test_list_filters_and_json():
    res = run("list", "--agency", "Roscosmos", "--target", "Moon", "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert rows and all(r["agency"] == "Roscosmos" and r["target"] == "Moon" for r in rows)


def test_list_csv_has_header():
    res = run("list", "--status", "failed", "--format", "csv")
    assert res.exit_code == 0
    assert res.output.splitlines()[0].startswith("name,agency")
    assert "Luna-25" in res.output


def test_show_lists_facts_with_sources():
    res = run("show", "CE-5")
    assert res.exit_code == 0, res.output
    assert "Chang'e-5" in res.output and "Sources:" in res.output and "[1]" in res.output


def test_show_json():
    res = run("show", "Vostochny", "--format", "json")
    data = json.loads(res.output)
    assert data["type"] == "LaunchSite" and data["latitude"]["unit"] == "deg"


def test_unknown_name_is_one_line_on_stderr_with_suggestion():
    proc = subprocess.run(
        [sys.executable, "-m", "missions.cli", "show", "Luna 52"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "did you mean" in lines[0] and "Luna-25" in lines[0]


def test_bad_filter_value_exits_nonzero():
    proc = subprocess.run(
        [sys.executable, "-m", "missions.cli", "list", "--status", "flwon"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2 and "not allowed" in proc.stderr
