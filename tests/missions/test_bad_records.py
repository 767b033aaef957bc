"""A malformed record fails loading with an error naming the file, the record and the field;
a user's own records file loads beside the built-in catalog and round-trips."""

from __future__ import annotations

import pytest
from astropy import units as u

from missions import CatalogError, load_catalog, save_records

GOOD = """
[[source]]
key = "my-ref"
title = "My notes"
publisher = "me"
date = "2026-01"

[[mission]]
key = "my-lander"
name = "My Lander"
aliases = ["ML-1"]
agency = "CNSA"
country = "China"
kind = "lander"
status = "planned"
target = "Moon"
sources = ["my-ref"]
launch = { date = "2030-05", site = "wenchang", vehicle = "Long March 5", source = "my-ref" }

[[mission.orbits]]
body = "Moon"
periapsis = "100 km"
apoapsis = "100 km"
inclination = "90 deg"
source = "my-ref"
"""


def write(tmp_path, text, name="mine.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_user_file_loads_beside_the_builtin_catalog(tmp_path):
    cat = load_catalog(write(tmp_path, GOOD))
    m = cat["ML-1"]
    assert m.launch_site == "wenchang"
    assert m.orbits[0].inclination == 90 * u.deg
    assert cat.site(m.launch_site).name == "Wenchang Space Launch Site"


@pytest.mark.parametrize(
    "old, new, field, problem",
    [
        ('kind = "lander"\n', "", "kind", "required field is missing"),
        ('inclination = "90 deg"', 'inclination = "90 km"', "orbits[0].inclination", "wrong unit"),
        ('inclination = "90 deg"', 'inclination = "200 deg"', "orbits[0].inclination", r"outside the allowed range \[0, 180\] deg"),
        ('inclination = "90 deg"', 'inclination = "-1 deg"', "orbits[0].inclination", "outside the allowed range"),
        ('inclination = "90 deg"', "inclination = 90", "orbits[0].inclination", "must be a string with a unit"),
        ('periapsis = "100 km"', 'periapsis = "-5 km"', "orbits[0].periapsis", "outside the allowed range"),
        ('site = "wenchang"', 'site = "wenchan"', "launch.site", "unknown launch site 'wenchan'.*did you mean"),
        ('vehicle = "Long March 5"', 'vehicle = "Long March 55"', "launch.vehicle", "unknown launch vehicle"),
        ('date = "2030-05"', 'date = "2030-13-01"', "launch.date", "not a valid calendar date"),
        ('date = "2030-05"', 'date = "next spring"', "launch.date", "is not a date"),
        ('status = "planned"', 'status = "planed"', "status", "'planed' is not allowed.*did you mean 'planned'"),
        ('target = "Moon"', 'target = "Mars"', "target", "not allowed"),
        ('sources = ["my-ref"]', 'sources = ["nobody"]', "source", "unknown source 'nobody'"),
        ('aliases = ["ML-1"]', 'aliases = ["ML-1"]\ninclinaton = "5 deg"', "inclinaton", "unknown field"),
    ],
)
def test_bad_record_error_names_file_record_and_field(tmp_path, old, new, field, problem):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    msg = str(err.value)
    assert str(path) in msg, msg
    assert "mission 'my-lander'" in msg, msg
    assert f"field '{field}'" in msg, msg
    assert pytest.importorskip("re").search(problem, msg), msg


def test_apoapsis_below_periapsis_is_rejected(tmp_path):
    path = write(tmp_path, GOOD.replace('apoapsis = "100 km"', 'apoapsis = "50 km"'))
    with pytest.raises(CatalogError, match="apoapsis 50.0 km is below periapsis 100.0 km"):
        load_catalog(path)


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path, "[[mission]\nkey=")
    with pytest.raises(CatalogError, match=r"mine\.toml: is not valid TOML"):
        load_catalog(path)


def test_unknown_section_is_rejected_with_suggestion(tmp_path):
    path = write(tmp_path, GOOD.replace("[[mission]]", "[[misson]]").split("[[mission.orbits]]")[0])
    with pytest.raises(CatalogError, match=r"unknown section \[\[misson\]\].*did you mean 'mission'"):
        load_catalog(path)


def test_duplicate_name_is_rejected(tmp_path):
    path = write(tmp_path, GOOD.replace('aliases = ["ML-1"]', 'aliases = ["CE-5"]'))
    with pytest.raises(CatalogError, match="'CE-5' is already used by"):
        load_catalog(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(CatalogError, match="nope.toml: cannot be read"):
        load_catalog(tmp_path / "nope.toml")


def test_user_records_round_trip(tmp_path):
    cat = load_catalog(write(tmp_path, GOOD))
    mine = [cat.source("my-ref"), cat.mission("my-lander")]
    out = save_records(tmp_path / "saved.toml", mine)
    again = load_catalog(out)
    assert again.mission("my-lander") == mine[1]
    assert again.source("my-ref") == mine[0]


def test_whole_builtin_catalog_round_trips(tmp_path):
    cat = load_catalog()
    out = save_records(tmp_path / "all.toml", cat.records())
    again = load_catalog(out, builtin=False)
    assert again.missions == cat.missions
    assert again.sites == cat.sites
    assert again.vehicles == cat.vehicles
    assert again.sources == cat.sources
