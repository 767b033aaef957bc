"""Launch windows say whether each window's azimuth lies in the site's documented corridors.

Issue 9, item 8: "launch_windows reports azimuths outside the site's documented corridors as
such". The catalog holds two published corridors (missions/data/10_sites.toml): Kourou's, from
French Wikipedia's infobox ("Directions de tir : de -10,5° à +93,5°", ``wiki-fr-csg``), and
Xichang's 94-104° (FAS, "Base 27 Xichang Satellite Launch Center", ``fas-xichang``). No published
azimuth corridor was found for Baikonur, Vostochny, Plesetsk, Jiuquan, Wenchang or Taiyuan, so
their windows carry a blank flag and say so.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from astropy import units as u
from hypothesis import given, settings
from hypothesis import strategies as st

from missions import CatalogError, load_catalog
from missions import records as r
from missions.comparisons.launch_windows import corridor_flags, station_launch_windows
from missions.launch_timing import predict_launches
from missions.schema import dump_records, parse_text

START = "2024-05-10"  # the packaged ISS history has a set of 2024-05-09 (iss-25544.tle)


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def test_catalog_loads_kourous_published_corridor(cat):
    site = cat.site("Kourou")
    got = [(a.min.to_value(u.deg), a.max.to_value(u.deg), a.source) for a in site.azimuths]
    # French Wikipedia, "Centre spatial guyanais" infobox: -10.5° to +93.5° (through north,
    # stored as 349.5-360 and 0-93.5)
    assert got == [(349.5, 360.0, "wiki-fr-csg"), (0.0, 93.5, "wiki-fr-csg")]
    src = cat.source("wiki-fr-csg")
    assert "-10,5° à +93,5°" in src.quote
    assert src.url and src.publisher and src.date


def test_catalog_loads_xichangs_published_corridor(cat):
    (a,) = cat.site("Xichang").azimuths
    # FAS: "downrange safety constraints limiting launch azimuths to 94 to 104 degrees"
    assert (a.min, a.max, a.source) == (94 * u.deg, 104 * u.deg, "fas-xichang")
    assert "94 to 104 degrees" in cat.source("fas-xichang").quote


def test_xichang_to_the_chinese_station_is_outside_its_corridor(cat):
    # into the 41.5° plane (CSS, CelesTrak 2024-05-09) a site at 28.2° N launches at ~58° or
    # ~122° (sin(beta) = cos(i)/cos(phi)), both outside 94-104°: every window is marked "no"
    res = station_launch_windows("Xichang", "CSS (TIANHE)", start=START, days=2, at=START,
                                 catalog=cat)
    asc, desc = _expected_azimuths(cat.site("Xichang").latitude.to_value(u.deg),
                                   res.inclination.to_value(u.deg))
    assert asc < 94 and desc > 104
    assert len(res) >= 3 and set(res.in_corridor) == {"no"}


@pytest.mark.parametrize("name", ["Baikonur", "Vostochny", "Plesetsk", "Jiuquan", "Wenchang",
                                  "Taiyuan"])
def test_sites_without_a_sourced_corridor_carry_none(cat, name):
    assert cat.site(name).azimuths == ()


def _expected_azimuths(lat_deg, inc_deg):
    """Inertial launch azimuths into a plane of inclination i from latitude phi: the launch
    triangle's sin(beta) = cos(i) / cos(phi) (Vallado, Fundamentals of Astrodynamics and
    Applications, launch-window section; Curtis, Orbital Mechanics for Engineering Students,
    orbital elements chapter); ascending pass north-east, descending its mirror 180 - beta.
    phi is geocentric: tan(phi_gc) = (1 - f)^2 tan(phi_gd), WGS 84 f = 1/298.257223563."""
    f = 1 / 298.257223563
    phi = math.atan((1 - f) ** 2 * math.tan(math.radians(lat_deg)))
    beta = math.degrees(math.asin(math.cos(math.radians(inc_deg)) / math.cos(phi)))
    return beta, 180.0 - beta


def test_kourou_to_iss_ascending_in_corridor_descending_not(cat):
    res = station_launch_windows("Kourou", "ISS", start=START, days=2, at=START, catalog=cat)
    assert len(res) >= 3
    # the ISS plane: 51.6° (NASA ISS facts); Kourou at 5.232° N (catalog, wiki-kourou).
    asc, desc = _expected_azimuths(cat.site("Kourou").latitude.to_value(u.deg),
                                   res.inclination.to_value(u.deg))
    for d, az, flag in zip(res.direction, res.azimuth.to_value(u.deg), res.in_corridor):
        want = asc if d == "ascending" else desc
        assert az == pytest.approx(want, abs=0.01)
        # against the published corridor directly: -10.5° .. +93.5°
        inside = az >= 349.5 or az <= 93.5
        assert flag == ("yes" if inside else "no")
    assert set(res.in_corridor[res.direction == "ascending"]) == {"yes"}
    assert set(res.in_corridor[res.direction == "descending"]) == {"no"}
    note = next(n for n in res.notes if "documented launch-azimuth corridors" in n)
    assert "Guiana Space Centre" in note and "Wikipédia" in note and "93.5" in note
    # the flag is a column: in the text table, the JSON rows and the QTable
    assert "in documented corridor" in res.to_text()
    d = res.to_dict()
    assert [row["in_corridor"] for row in d["rows"]] == list(res.in_corridor)
    assert "in documented corridor" in res.to_table().colnames


def test_baikonur_to_iss_gives_blank_flags_and_says_why(cat):
    res = station_launch_windows("Baikonur", "ISS", start=START, days=1, at=START, catalog=cat)
    assert len(res) >= 1
    assert set(res.in_corridor) == {""}
    assert any("Baikonur Cosmodrome: no documented azimuth corridor" in n for n in res.notes)
    # the windows stay listed: both passes (Baikonur 45.97° N is below the ISS's 51.6°)
    assert set(res.direction) == {"ascending", "descending"}


USER_SITE = """
[[source]]
key = "test-fixture"
title = "A hypothetical corridor for this test only (not a published figure)"
date = "2026-12"

[[site]]
key = "test-baikonur-point"
name = "Test point at Baikonur"
country = "Kazakhstan"
latitude = "45.965 deg"
longitude = "63.305 deg"
source = "test-fixture"

[[site.azimuths]]
min = "0 deg"
max = "90 deg"
label = "north-east quadrant (hypothetical)"
source = "test-fixture"
"""


def test_a_user_corridor_at_baikonur_flags_the_descending_pass(tmp_path):
    # Soyuz MS and Progress MS flights to the ISS fly the ascending (north-east) pass
    # (seeds/authorities/launches/launches-2021-2025.toml; ~62° azimuth); with a north-east
    # corridor the south-east (descending) window is flagged "no", the north-east one "yes".
    path = tmp_path / "mine.toml"
    path.write_text(USER_SITE, encoding="utf-8")
    cat = load_catalog(path)
    res = station_launch_windows("Test point at Baikonur", "ISS", start=START, days=2, at=START,
                                 catalog=cat)
    asc, desc = _expected_azimuths(45.965, res.inclination.to_value(u.deg))
    for d, az, flag in zip(res.direction, res.azimuth.to_value(u.deg), res.in_corridor):
        assert az == pytest.approx(asc if d == "ascending" else desc, abs=0.01)
        assert flag == ("yes" if d == "ascending" else "no")
    assert any("hypothetical" in n for n in res.notes)


def test_predict_launches_flags_kourou_and_leaves_baikonur_pads_blank(cat):
    k = predict_launches("Kourou", "ISS", vehicle="Soyuz-2.1a", profile="two-orbit", start=START,
                         days=1, catalog=cat)
    for d, flag in zip(k.crossing, k.in_corridor):
        assert flag == ("yes" if d == "ascending" else "no")
    b = predict_launches("Baikonur Site 31/6", "ISS", vehicle="Soyuz-2.1a", profile="two-orbit",
                         start=START, days=1, catalog=cat)
    assert len(b) >= 1 and set(b.in_corridor) == {""}
    assert any("Baikonur Cosmodrome: no documented azimuth corridor" in n for n in b.notes)


def test_corridor_flags_wrap_and_blank():
    site = r.LaunchSite(key="s", name="S", country="c", latitude=0 * u.deg, longitude=0 * u.deg,
                        source="src",
                        azimuths=(r.AzimuthRange(349.5 * u.deg, 360 * u.deg, "src"),
                                  r.AzimuthRange(0 * u.deg, 93.5 * u.deg, "src")))
    az = np.array([-10.5, 350.0, 0.0, 93.5, 93.6, 180.0, 720.0, np.nan]) * u.deg
    assert list(corridor_flags(site, az)) == ["yes", "yes", "yes", "yes", "no", "no", "yes", ""]
    assert list(corridor_flags(None, az[:2])) == ["", ""]


# --- the catalog field: bad corridors fail with file, record and field ----------------------


OUT_OF_RANGE = r"outside the allowed range \[0, 360\] deg"


@pytest.mark.parametrize(
    "old, new, field, problem",
    [
        ('max = "90 deg"', 'max = "-5 deg"', "azimuths[0].max", OUT_OF_RANGE),
        ('min = "0 deg"', 'min = "400 deg"', "azimuths[0].min", OUT_OF_RANGE),
        ('min = "0 deg"', 'min = "95 deg"', "azimuths[0].max", "max 90.0 deg is below min 95.0"),
        ('max = "90 deg"', 'max = "90 km"', "azimuths[0].max", "wrong unit"),
        ('source = "test-fixture"\n', "", "azimuths[0].source", "required field is missing"),
        ('min = "0 deg"', 'min = "0 deg"\nmaxx = "1 deg"', "azimuths[0].maxx", "unknown field"),
    ],
)
def test_bad_corridor_names_file_record_and_field(tmp_path, old, new, field, problem):
    import re

    head, tail = USER_SITE.split("[[site.azimuths]]")
    assert old in tail
    path = tmp_path / "bad.toml"
    path.write_text(head + "[[site.azimuths]]" + tail.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    msg = str(err.value)
    assert str(path) in msg, msg
    assert "site 'test-baikonur-point'" in msg, msg
    assert f"field '{field}'" in msg, msg
    assert re.search(problem, msg), msg


SOURCE = r.Source(key="src", title="a title", date="2026-01")


@settings(max_examples=40)
@given(st.lists(st.tuples(st.floats(0, 360), st.floats(0, 360)), max_size=3))
def test_sites_with_corridors_round_trip(pairs):
    rngs = tuple(r.AzimuthRange(min(a, b) * u.deg, max(a, b) * u.deg, "src", label="x")
                 for a, b in pairs)
    site = r.LaunchSite(key="s", name="S", country="c", latitude=10 * u.deg,
                        longitude=20 * u.deg, source="src", azimuths=rngs)
    back = [x for x in parse_text(dump_records([SOURCE, site])) if isinstance(x, r.LaunchSite)]
    assert back == [site]
