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
    # the column is keyed "agency" or labelled "Agency", whichever the CLI's JSON uses
    assert rows and all(r.get("agency", r.get("Agency")) == "Roscosmos" for r in rows)
    assert all(r.get("target", r.get("Target")) == "Moon" for r in rows)


def test_list_csv_has_header():
    res = run("list", "--status", "failed", "--format", "csv")
    assert res.exit_code == 0
    assert res.output.splitlines()[0].lower().startswith("name,agency")
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


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "missions.cli", *args], capture_output=True, text=True, check=False)


def test_unknown_agency_is_an_error_with_suggestion_not_an_empty_table():
    # issue 8: `list --agency NASAA` printed an empty table
    proc = _cli("list", "--agency", "NASAA")
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "agency='NASAA' is not allowed" in lines[0] and "did you mean 'NASA'" in lines[0]


def test_very_long_name_is_refused_by_its_length_and_echoed_truncated():
    # issue 8: a 100,000-character name went to difflib (20 s) and was echoed whole; now the
    # length check refuses it first ("100,000 characters"), so difflib never sees it
    proc = _cli("show", "x" * 100_000)
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1 and len(line) < 400, line[:500]
    assert "100,000 characters" in line


def test_list_csv_keeps_every_digit_and_leaves_unknowns_blank():
    import csv
    import io
    import tomllib
    from pathlib import Path

    # the ISS inclination as written in the catalog file (from the TLE in
    # seeds/authorities/stations-2024-05-09.tle), read with tomllib, not through the loader
    data = Path(__file__).resolve().parents[2] / "missions" / "data" / "50_stations.toml"
    iss = next(m for m in tomllib.loads(data.read_text(encoding="utf-8"))["mission"] if m["key"] == "iss")
    want = float(iss["orbits"][0]["inclination"].split()[0])
    res = run("list", "--kind", "station", "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO(res.output)))
    header = [h.lower() for h in rows[0]]
    col = next(i for i, h in enumerate(header) if h.startswith("inclination"))
    by_name = {row[0]: row for row in rows[1:]}
    assert float(by_name["ISS"][col]) == want
    assert "nan" not in res.output.lower()


# --- issue 11: Mars targets and programmes ---------------------------------------------------


def test_list_target_mars_lists_tianwen_and_the_russian_mars_plans():
    # Tianwen-1 (flown, Xinhua 2020-07-23), Tianwen-3 (planned, CNSA 2025), and Russia's
    # ExoMars 2022 lander (ended by ESA, TASS 2022-07-13) and Mars-Grunt (proposed, Wikipedia)
    res = run("list", "--target", "Mars")
    assert res.exit_code == 0, res.output
    rows = res.output.splitlines()[2:]
    for name in ("Tianwen-1", "Tianwen-3", "ExoMars 2022 (Kazachok)", "Mars-Grunt"):
        assert sum(row.startswith(name + " ") for row in rows) == 1, (name, res.output)
    assert len(rows) == 4
    assert "Tianwen-2" not in res.output  # its target is an asteroid (India Today, 2025-05-29)
    assert "as of" in res.output.splitlines()[0]


def test_list_target_mars_json_has_target_and_as_of():
    res = run("list", "--target", "Mars", "--format", "json")
    rows = json.loads(res.output)
    assert rows and all(r["target"] == "Mars" for r in rows)
    by = {r["name"]: r for r in rows}
    # the ESA notice to Roscosmos is dated 2022-07-12, reported by TASS on 2022-07-13
    assert by["ExoMars 2022 (Kazachok)"]["as_of"] == "2022-07-13"
    assert by["ExoMars 2022 (Kazachok)"]["status"] == "cancelled"


def test_list_target_small_bodies():
    res = run("list", "--target", "asteroid", "--target", "Phobos", "--format", "json")
    names = {r["name"] for r in json.loads(res.output)}
    # Tianwen-2 to Kamo'oalewa (India Today 2025-05-29); Boomerang to Phobos (TASS 2023-09-02)
    assert names == {"Tianwen-2", "Boomerang"}


def test_list_help_names_mars():
    res = run("list", "--help")
    assert "Mars" in res.output and "small body" in res.output


def test_show_ilrs_lists_phases_with_sources():
    res = run("show", "ILRS")
    assert res.exit_code == 0, res.output
    out = res.output
    # the 2021 roadmap (SpaceNews, 2021-06-17): reconnaissance 2021-2025, construction
    # 2026-2030 and 2031-2035, utilisation from 2036
    assert "2021 roadmap:" in out
    assert "Reconnaissance, 2021\u20132025 [" in out
    assert "Construction (first part), 2026\u20132030 [" in out
    assert "Utilisation, from 2036 [" in out
    # the 2024 plan (CGTN via Khabar Asia, 2024-09-06): basic model by 2035, extended ~2050
    assert "2024 plan:" in out and "Basic model, by 2035 [" in out and "Extended model, by 2050 [" in out
    # each phase's bracketed number resolves to a citation in the Sources list
    assert "Sources:" in out and "exbulletin.com" in out and "Khabar Asia" in out
    assert out.splitlines()[2] == "as of: 2025-12-25"


def test_show_ilrs_json_has_phases_and_members():
    res = run("show", "International Lunar Research Station", "--format", "json")
    data = json.loads(res.output)
    assert data["kind"] == "programme"
    plans = {p.get("plan") for p in data["phases"]}
    assert {"2021 roadmap", "2022 intergovernmental agreement", "2024 plan"} <= plans
    assert all("citation" in p["source"] for p in data["phases"])
    # Senegal, the 13th member (Business Today, 2024-09-11)
    assert any(m["name"] == "Senegal" for m in data["members"])
