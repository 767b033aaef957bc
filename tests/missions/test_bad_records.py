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
        # Mars and small bodies are targets since issue 11; Jupiter is not (yet) one
        ('target = "Moon"', 'target = "Jupiter"', "target", "'Jupiter' is not allowed"),
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


# --- one test per class of bad input (issue 8, item 7) ----------------------------------------
#
# FULL adds to GOOD a fact, an announcement, a landing site and a launch site with an
# inclination range, so every kind of field can be broken in turn.

FULL = GOOD + """
[[mission.facts]]
name = "launch_mass"
value = "1750 kg"
source = "my-ref"

[[mission.announced]]
announced = "2025-06"
planned = "2030"
source = "my-ref"

[mission.landing_site]
latitude = "-69.5 deg"
longitude = "43.5 deg"
source = "my-ref"

[[site]]
key = "my-site"
name = "My Site"
country = "China"
latitude = "19.6 deg"
longitude = "110.9 deg"
source = "my-ref"

[[site.inclinations]]
min = "19.6 deg"
max = "90 deg"
source = "my-ref"

[[site.azimuths]]
min = "30 deg"
max = "120 deg"
source = "my-ref"
"""

MISSION = "mission 'my-lander'"
SITE = "site 'my-site'"

BAD_VALUES = [
    # NaN and infinity, in a quantity field and in a fact
    ("nan", 'inclination = "90 deg"', 'inclination = "nan deg"', MISSION, "orbits[0].inclination", "must be finite"),
    ("nan", 'value = "1750 kg"', 'value = "nan kg"', MISSION, "facts[0].value", "must be finite"),
    ("inf", 'value = "1750 kg"', 'value = "1e400 kg"', MISSION, "facts[0].value", "must be finite"),
    ("inf", 'periapsis = "100 km"', 'periapsis = "inf km"', MISSION, "orbits[0].periapsis", "must be finite"),
    # negative (or zero) where that means nothing
    ("negative", 'value = "1750 kg"', 'value = "-5 kg"', MISSION, "facts[0].value", "must be positive"),
    ("negative", 'value = "1750 kg"', 'value = "0 kg"', MISSION, "facts[0].value", "must be positive"),
    ("negative", 'periapsis = "100 km"', 'periapsis = "-5 km"', MISSION, "orbits[0].periapsis", "outside the allowed range"),
    # wrong dimension: the fact's name says what it is
    ("dimension", 'value = "1750 kg"', 'value = "1750 km"', MISSION, "facts[0].value", "wrong unit: expected a mass"),
    ("dimension", 'value = "1750 kg"', 'value = "heavy"', MISSION, "facts[0].value", "not a quantity; a fact named 'launch_mass' is a mass"),
    ("dimension", 'latitude = "19.6 deg"', 'latitude = "19.6 km"', SITE, "latitude", "wrong unit: expected an angle"),
    ("dimension", 'periapsis = "100 km"', 'periapsis = "100"', MISSION, "orbits[0].periapsis", "not a quantity with a unit"),
    # outside physical ranges
    ("range", 'periapsis = "100 km"\napoapsis = "100 km"', 'periapsis = "100 km"\napoapsis = "100000 km"',
     MISSION, "orbits[0].apoapsis", "too high for an orbit about Moon"),
    ("range", 'body = "Moon"', 'body = "Earth"', None, None, None),  # placeholder, replaced below
    ("range", 'inclination = "90 deg"', 'inclination = "180.5 deg"', MISSION, "orbits[0].inclination", r"\[0, 180\] deg"),
    ("range", 'latitude = "19.6 deg"', 'latitude = "91 deg"', SITE, "latitude", r"\[-90, 90\] deg"),
    ("range", 'latitude = "-69.5 deg"', 'latitude = "-95 deg"', MISSION, "landing_site.latitude", r"\[-90, 90\] deg"),
    ("range", 'max = "90 deg"', 'max = "10 deg"', SITE, "inclinations[0].max", "max 10.0 deg is below min 19.6 deg"),
    ("date", 'date = "2030-05"', 'date = "1899-05"', MISSION, "launch.date", "before 1957-10-04"),
    ("date", 'date = "2030-05"', 'date = "1957-09-30"', MISSION, "launch.date", "before 1957-10-04"),
    ("date", 'date = "2030-05"', 'date = "2300"', MISSION, "launch.date", "after 2100-12-31"),
    ("date", 'planned = "2030"', 'planned = "2020"', MISSION, "announced[0].planned", "years before the announcement"),
    ("date", 'announced = "2025-06"', 'announced = "1066-10"', MISSION, "announced[0].announced", "before 1957"),
    # names the lookups could never find, and a record citing nothing
    ("name", 'aliases = ["ML-1"]', 'aliases = ["' + "M" * 201 + '"]', MISSION, "aliases", "201 characters long; at most 200"),
    ("name", 'sources = ["my-ref"]', "sources = []", MISSION, "sources", "at least 1 item"),
    # launch-azimuth corridors: degrees east of north in [0, 360], min <= max
    ("range", 'min = "30 deg"', 'min = "-1 deg"', SITE, "azimuths[0].min", r"\[0, 360\] deg"),
    ("range", 'max = "120 deg"', 'max = "361 deg"', SITE, "azimuths[0].max", r"\[0, 360\] deg"),
    ("range", 'max = "120 deg"', 'max = "20 deg"', SITE, "azimuths[0].max", "max 20.0 deg is below min 30.0 deg"),
    ("dimension", 'max = "120 deg"', 'max = "120 km"', SITE, "azimuths[0].max", "wrong unit: expected an angle"),
]
# An Earth orbit whose periapsis is beyond the Moon's distance (384,400 km, NASA Moon fact sheet)
BAD_VALUES[12] = ("range", 'body = "Moon"\nperiapsis = "100 km"\napoapsis = "100 km"',
                  'body = "Earth"\nperiapsis = "400000 km"\napoapsis = "400000 km"',
                  MISSION, "orbits[0].periapsis", "beyond 384,400 km, too high for an orbit about Earth")


@pytest.mark.parametrize("kind, old, new, record, field, problem", BAD_VALUES,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_VALUES)])
def test_bad_value_names_file_record_and_field(tmp_path, kind, old, new, record, field, problem):
    import re

    assert old in FULL, old
    assert load_catalog(write(tmp_path, FULL, "full.toml"))["My Site"]  # FULL itself is good
    path = write(tmp_path, FULL.replace(old, new, 1))
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: {record}, field '{field}': "), msg
    assert re.search(problem, msg), msg
    assert err.value.file == str(path) and err.value.record == record and err.value.field == field


def test_deeply_nested_file_is_a_catalog_error_not_a_recursion_error(tmp_path):
    # issue 8: a deeply nested file gave a RecursionError traceback (tomllib recurses per level)
    deep = GOOD.replace('aliases = ["ML-1"]', 'aliases = ["ML-1"]\nnotes = ' + "[" * 5000 + "]" * 5000)
    path = write(tmp_path, deep)
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: mission 'my-lander', field 'notes': is nested too deeply"), msg
    assert "at line" in msg


def test_moderately_deep_nesting_is_refused_before_it_reaches_a_field(tmp_path):
    # deep enough to exceed the schema's 16 levels, shallow enough for tomllib to parse
    deep = GOOD.replace('aliases = ["ML-1"]', 'aliases = ["ML-1"]\nnotes = ' + "[" * 40 + "]" * 40)
    path = write(tmp_path, deep)
    with pytest.raises(CatalogError, match=r"mission 'my-lander', field 'notes': is nested too deeply"):
        load_catalog(path)


def test_invalid_utf8_names_the_file_and_line(tmp_path):
    # issue 8: an invalid-UTF-8 file gave a codec error naming no file
    path = tmp_path / "latin1.toml"
    path.write_bytes(GOOD.replace("My Lander", "Mon Atterrisseur \u00e9").encode("latin-1"))
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    msg = str(err.value)
    line = GOOD.splitlines().index('name = "My Lander"') + 1
    assert msg.startswith(f"{path}: is not valid UTF-8 text: byte 0xe9 at line {line}"), msg


def test_huge_integer_is_a_catalog_error(tmp_path):
    # Python refuses to convert integers of more than 4300 digits: tomllib raises ValueError
    path = write(tmp_path, GOOD.replace('inclination = "90 deg"', "inclination = " + "9" * 5000))
    with pytest.raises(CatalogError, match="mine.toml: is not valid TOML"):
        load_catalog(path)


def test_long_values_are_echoed_truncated(tmp_path):
    path = write(tmp_path, GOOD.replace('status = "planned"', 'status = "' + "p" * 100_000 + '"'))
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    msg = str(err.value)
    assert "field 'status'" in msg and len(msg) < 400, msg[:500]


def _mission(**kw):
    from missions import Mission

    base = {"key": "x", "name": "X", "agency": "CNSA", "country": "China", "kind": "lander",
            "status": "planned", "target": "Moon", "sources": ("s",)}
    return Mission(**{**base, **kw})


def _bad_status():
    return {"status": "planed"}


def _negative_mass():
    from missions import Fact

    return {"facts": (Fact("launch_mass", -5 * u.kg, "s"),)}


def _bare_numbers():
    from missions import TargetOrbit

    return {"orbits": (TargetOrbit("Moon", 100, 100, 90 * u.deg, "s"),)}  # altitudes without units


@pytest.mark.parametrize(
    "make, field, problem",
    [
        (_bad_status, "status", "did you mean 'planned'"),
        (_negative_mass, "facts[0].value", "must be positive"),
        (_bare_numbers, "orbits[0].periapsis", "must be a string with a unit"),
    ],
)
def test_records_built_in_python_meet_the_same_checks(make, field, problem):
    from missions import Source
    from missions.catalog import Catalog

    with pytest.raises(CatalogError) as err:
        Catalog([Source(key="s", title="t", date="2026"), _mission(**make())])
    msg = str(err.value)
    assert msg.startswith(f"<records>: mission 'x', field '{field}': "), msg
    assert problem in msg, msg


# --- issue 11: programmes, partner payloads, site regions, as_of -----------------------------
#
# PROGRAMME is a valid programme record with every new kind of field; each case breaks one
# field and expects the file, the record and the field (with its index) in the message.

PROGRAMME = """
[[source]]
key = "my-ref"
title = "My notes"
date = "2026-01"

[[mission]]
key = "my-prog"
name = "My Programme"
agency = "International"
country = "China and Russia"
kind = "programme"
status = "planned"
target = "Moon"
sources = ["my-ref"]
as_of = "2026-01-15"
target_name = "lunar south pole"

[[mission.phases]]
plan = "roadmap"
name = "Phase one"
start = "2026"
end = "2030"
goals = ["site selection"]
missions = ["change-7"]
source = "my-ref"

[[mission.members]]
name = "Senegal"
role = "member state"
joined = "2024-09-05"
source = "my-ref"

[mission.site_region]
name = "south-pole region"
body = "Moon"
center_latitude = "-90 deg"
radius = "100 km"
source = "my-ref"

[[mission.partner_payloads]]
name = "Dust monitor"
supplier = "IKI"
country = "Russia"
source = "my-ref"
"""


def test_good_programme_file_loads(tmp_path):
    cat = load_catalog(write(tmp_path, PROGRAMME))
    prog = cat.mission("My Programme")
    assert prog.phases[0].end.year == 2030 and prog.members[0].role == "member state"
    assert prog.site_region.radius == 100 * u.km
    assert cat.partner_payloads(supplier="IKI")[-1][1].name == "Dust monitor"
    assert prog.as_of_date.text == "2026-01-15"


@pytest.mark.parametrize(
    "old, new, field, problem",
    [
        ('end = "2030"', 'end = "2020"', "phases[0].end", "end 2020 is before start 2026"),
        ('start = "2026"', 'start = "soon"', "phases[0].start", "is not a date"),
        ('missions = ["change-7"]', 'missions = ["change-77"]', "phases[0].missions",
         "unknown mission 'change-77'.*did you mean"),
        ('goals = ["site selection"]', "goals = [1]", "phases[0].goals", "list of non-empty strings"),
        ('name = "Phase one"\n', "", "phases[0].name", "required field is missing"),
        ('role = "member state"', 'role = "member"', "members[0].role",
         "'member' is not allowed; choose one of: founder, member state"),
        ('joined = "2024-09-05"', 'joined = "2024-13-05"', "members[0].joined", "not a valid calendar date"),
        ('radius = "100 km"', 'radius = "100 deg"', "site_region.radius", "wrong unit"),
        ('radius = "100 km"', 'radius = "-5 km"', "site_region.radius", "must be positive"),
        ('center_latitude = "-90 deg"\n', "", "site_region.radius", "needs a center_latitude"),
        ('body = "Moon"\ncenter', 'body = "Luna"\ncenter', "site_region.body", "'Luna' is not allowed"),
        ('supplier = "IKI"\n', "", "partner_payloads[0].supplier", "required field is missing"),
        ('country = "Russia"\nsource', 'countri = "Russia"\nsource', "partner_payloads[0].countri",
         "unknown field.*did you mean 'country'"),
        ('as_of = "2026-01-15"', 'as_of = "mid-January"', "as_of", "not an as-of date; use YYYY"),
        ('as_of = "2026-01-15"', 'as_of = "1900"', "as_of", "before 1957-10-04"),
        ('as_of = "2026-01-15"', 'as_of = "2026-01-15T10:00"', "as_of", "not an as-of date"),
        ('kind = "programme"', 'kind = "lander"', "phases", "only programme records"),
        ('target = "Moon"', 'target = "Saturn"', "target", "'Saturn' is not allowed.*choose one of:.*Mars"),
    ],
)
def test_bad_programme_field_names_file_record_and_field(tmp_path, old, new, field, problem):
    assert old in PROGRAMME, old
    path = write(tmp_path, PROGRAMME.replace(old, new, 1))
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    msg = str(err.value)
    assert str(path) in msg, msg
    assert "mission 'my-prog'" in msg, msg
    assert f"field '{field}'" in msg, msg
    assert pytest.importorskip("re").search(problem, msg), msg


def test_programme_record_round_trips(tmp_path):
    cat = load_catalog(write(tmp_path, PROGRAMME))
    mine = [cat.source("my-ref"), cat.mission("my-prog")]
    again = load_catalog(save_records(tmp_path / "saved.toml", mine))
    assert again.mission("my-prog") == mine[1]
