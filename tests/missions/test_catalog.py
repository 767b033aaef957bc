"""The built-in catalog: loading, lookup, filters, tables, and facts traced to the seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from astropy.table import QTable

import missions
from missions import load_catalog, normalize_name
from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


# --- every fact traced to its source ---------------------------------------------------------


def test_every_seed_quote_appears_verbatim_in_its_seed_file(cat):
    seed_sources = [s for s in cat.sources.values() if s.is_seed]
    assert len(seed_sources) >= 20
    for src in seed_sources:
        text = (SEEDS / src.seed).read_text(encoding="utf-8")
        assert src.quote in text, f"source {src.key!r}: quote not found verbatim in seeds/{src.seed}"


def test_seed_files_are_the_shared_originals():
    # seeds/ must be a verbatim copy of the steering repo's shared/seeds/ where it exists.
    shared = REPO.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("shared/seeds not beside this checkout")
    for original in shared.glob("*.txt"):
        assert (SEEDS / original.name).read_bytes() == original.read_bytes()


def test_every_record_cites_known_sources(cat):
    for rec in (*cat.missions, *cat.sites, *cat.vehicles):
        keys = rec.source_keys()
        assert keys, f"{rec.key} cites no source"
        assert keys <= set(cat.sources), f"{rec.key} cites unknown {keys - set(cat.sources)}"


def test_every_reference_source_has_a_title_and_a_date(cat):
    for src in cat.sources.values():
        if not src.is_seed:
            assert src.title and src.date, src.key


# --- the records the issue names ---------------------------------------------------------------

NAMED = [
    "Luna-25", "Luna-26", "Luna-27", "Luna-28", "Luna-29",
    "Chang'e-4", "Queqiao", "Chang'e-5", "Chang'e-6", "Queqiao-2", "Chang'e-7",
    "Federation", "Mengzhou", "Lanyue",
    "Chinese space station", "Tianhe", "Wentian", "Mengtian", "Tiangong-1", "Tiangong-2", "Shenzhou-11",
    "ISS", "ROS",
]
SITES = ["Baikonur", "Vostochny", "Plesetsk", "Jiuquan", "Xichang", "Wenchang", "Taiyuan", "Kourou", "Cape Canaveral"]


@pytest.mark.parametrize("name", NAMED)
def test_named_missions_are_in_the_catalog(cat, name):
    assert cat.mission(name).name


@pytest.mark.parametrize("name", SITES)
def test_named_launch_sites_are_in_the_catalog(cat, name):
    site = cat.site(name)
    assert -90 <= site.latitude.to_value(u.deg) <= 90


def test_site_coordinates_match_published_values(cat):
    # Vostochny 51.88 deg N geodetic is the value the orbital-plane issue quotes (Wikipedia:
    # 51 deg 53' 04" N = 51.884 deg).
    assert cat.site("Vostochny").latitude.to_value(u.deg) == pytest.approx(51.884, abs=0.01)
    # Wenchang 19 deg 36' 52" N (Wikipedia) = 19.614 deg.
    assert cat.site("Wenchang").latitude.to_value(u.deg) == pytest.approx(19.614, abs=0.01)


def test_station_inclinations_agree_with_the_tle_authority(cat):
    # seeds/authorities/stations-2024-05-09.tle: ISS (ZARYA) 51.6381 deg, CSS (TIANHE) 41.4681 deg.
    iss = cat.mission("ISS").orbit("Earth").inclination.to_value(u.deg)
    css = cat.mission("Tiangong").orbit("Earth").inclination.to_value(u.deg)
    assert iss == pytest.approx(51.6381, abs=0.05)
    assert css == pytest.approx(41.4681, abs=0.05)


def test_komarov_quote_is_cited(cat):
    assert "different orbital inclination" in cat.source("seed-002-komarov").quote


# --- lookup -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Chang'e 5", "Chang'e-5"),
        ("CE-5", "Chang'e-5"),
        ("嫦娥五号", "Chang'e-5"),
        ("change5", "Chang'e-5"),
        ("luna 25", "Luna-25"),
        ("LUNA-25", "Luna-25"),
        ("Луна-25", "Luna-25"),
    ],
)
def test_lookup_ignores_case_spaces_punctuation_and_accepts_aliases(cat, query, expected):
    assert cat[query].name == expected


def test_normalize_name_is_case_and_punctuation_insensitive():
    assert normalize_name("Chang\u2019e-5") == normalize_name("CHANG'E 5") == "change5"


def test_unknown_name_raises_keyerror_with_closest_suggestions(cat):
    with pytest.raises(KeyError) as err:
        cat["Luna-52"]
    msg = str(err.value)
    assert "Luna-52" in msg and "did you mean" in msg and "Luna-25" in msg


def test_typed_lookups_only_search_their_kind(cat):
    with pytest.raises(NotFoundError, match="no site named 'Luna-25'"):
        cat.site("Luna-25")
    assert cat.vehicle("Long March 5").kind == "launcher"


def test_lookup_rejects_non_strings(cat):
    with pytest.raises(TypeError, match="name must be a string"):
        cat[25]


# --- filters and tables ---------------------------------------------------------------------------


def test_filters(cat):
    lunar = cat.filter(target="Moon")
    assert {m.target for m in lunar} == {"Moon"}
    russian_lunar = cat.filter(agency="Roscosmos", target="Moon")
    assert {"Luna-25", "Luna-26"} <= {m.name for m in russian_lunar}
    assert all(m.status == "planned" for m in cat.filter(status="planned"))
    assert {m.name for m in cat.filter(kind="station")} >= {"ISS", "Chinese space station"}


def test_filter_rejects_unknown_values_with_allowed_list(cat):
    with pytest.raises(ValueError, match=r"status='flwon' is not allowed.*flown"):
        cat.filter(status="flwon")


@pytest.mark.parametrize(
    "criterion, value, suggestion",
    [
        ("agency", "NASAA", "NASA"),
        ("agency", "Roscosmoss", "Roscosmos"),
        ("country", "Rusia", "Russia"),
        ("status", "flwon", "flown"),
        ("kind", "landr", "lander"),
        ("target", "Mons", "Moon"),
    ],
)
def test_unknown_filter_value_raises_with_closest_allowed(cat, criterion, value, suggestion):
    # issue 8: `list --agency NASAA` printed an empty table
    with pytest.raises(ArgumentError) as err:
        cat.filter(**{criterion: value})
    msg = str(err.value)
    assert f"{criterion}={value!r} is not allowed" in msg
    assert f"did you mean {suggestion!r}" in msg, msg


def test_filter_values_ignore_case_and_a_known_value_may_match_nothing(cat):
    assert cat.filter(agency="roscosmos") == cat.filter(agency="Roscosmos") != []
    assert cat.filter(agency="NASA", target="Moon") == []  # a valid filter that no mission meets


@pytest.mark.parametrize("bad, error", [([], ArgumentError), (5, ArgumentTypeError), ([5], ArgumentTypeError)])
def test_filter_rejects_empty_and_non_string_values(cat, bad, error):
    with pytest.raises(error, match="agency"):
        cat.filter(agency=bad)


def test_unknown_name_is_a_not_found_error_with_suggestions(cat):
    with pytest.raises(NotFoundError) as err:
        cat.mission("Lnua-25")
    assert isinstance(err.value, KeyError)
    assert str(err.value).startswith("no mission named 'Lnua-25'; did you mean 'Luna-25'")


@pytest.mark.parametrize("lookup", ["__getitem__", "mission", "site", "vehicle", "source", "get"])
def test_long_names_are_refused_by_their_length_and_echoed_truncated(cat, lookup):
    # issue 8: a 100,000-character name went to difflib (20 s) and was echoed whole; the length
    # check now refuses it before any fuzzy matching ("100,000 characters" in the message)
    name = "Luna" * 25_000
    if lookup == "get":
        assert cat.get(name) is None and name not in cat
        return
    with pytest.raises(NotFoundError) as err:
        getattr(cat, lookup)(name)
    msg = str(err.value)
    assert len(msg) < 300 and "100,000 characters" in msg and "..." in msg


def test_select_merges_names_of_one_record(cat):
    # issue 8: `report --missions "Luna-25,luna 25,LUNA25"` listed Luna-25 three times
    luna25 = cat.mission("Luna-25")
    assert cat.select("Luna-25,luna 25,LUNA25") == (luna25,)
    assert cat.select(["Luna-25", "luna 25", "LUNA25"]) == (luna25,)
    got = cat.select(["CE-5", "Luna-25", "Chang'e 5", luna25, "Луна-25"])
    assert [m.name for m in got] == ["Chang'e-5", "Luna-25"]  # order of first mention
    assert cat.select("Luna-25, Luna-26,") == (luna25, cat.mission("Luna-26"))


def test_select_errors(cat):
    with pytest.raises(NotFoundError, match="no mission named 'Lnua-26'; did you mean 'Luna-26'"):
        cat.select("Luna-25,Lnua-26")
    with pytest.raises(NotFoundError, match="no mission named 'Baikonur': 'Baikonur Cosmodrome' is a launch site"):
        cat.select(["Baikonur"])
    assert cat.select(["Baikonur"], kind="site") == (cat.site("Baikonur"),)
    with pytest.raises(ArgumentError, match="give at least one name"):
        cat.select("")
    with pytest.raises(ArgumentError, match="give at least one name"):
        cat.select([])
    with pytest.raises(ArgumentTypeError, match="names must be a string or a list"):
        cat.select(None)


def test_to_table_is_a_qtable_with_units(cat):
    t = cat.to_table()
    assert isinstance(t, QTable)
    assert len(t) == len(cat.missions)
    assert t["Inclination"].unit == u.deg
    row = t[list(t["Name"]).index("Luna-25")]
    assert row["Launch site"] == "Vostochny Cosmodrome"
    # columns and row cells may also be picked by their stable key
    assert row["launch_site"] == "Vostochny Cosmodrome"
    assert t["inclination"] is t["Inclination"] or (t["inclination"] == t["Inclination"]).all()
    assert t[["name", "agency"]].colnames == ["Name", "Agency"]


def test_to_table_has_human_labels_and_blanks_not_nan(cat):
    t = cat.to_table()
    assert "Launch site" in t.colnames and "Periapsis altitude" in t.colnames
    assert all(name[0].isupper() for name in t.colnames)
    text = "\n".join(t.pformat(max_lines=-1, max_width=-1))
    assert "nan" not in text.lower()
    html = cat._repr_html_()
    assert "nan" not in html.lower() and "Launch site" in html
    # Luna-26 has no orbit in the catalog: its inclination is unknown (NaN), shown blank
    luna26 = cat.to_table(["Luna-26"])
    assert np.isnan(luna26["Inclination"][0].value)
    assert luna26["Inclination"].info.format(luna26["Inclination"][0]) == ""
    # rows() gives JSON-safe records keyed by the stable keys, unknown values as None
    rec = luna26.rows()[0]
    assert rec["name"] == "Luna-26" and rec["inclination"] is None


def test_to_table_columns_by_key_or_label(cat):
    t = cat.to_table(cat.filter(kind="station"), columns=["name", "Inclination"])
    assert t.colnames == ["Name", "Inclination"]
    with pytest.raises(ArgumentError, match="'wingspan' is not a column"):
        cat.to_table(columns=["wingspan"])


def test_mission_dates_keep_their_precision(cat):
    luna25 = cat.mission("Luna-25")
    assert luna25.launch_date.precision == "time"
    # Launch 2023-08-10 23:10:57 UTC (Roscosmos; NASA NSSDCA 2023-118A).
    assert luna25.launch_date.time.isot.startswith("2023-08-10T23:10")
    announced = [a.planned.year for a in luna25.announced]
    assert 2019 in announced, "the seed's 'tentative launch date in 2019' is part of the history"


# --- import hygiene ----------------------------------------------------------------------------------


def test_import_loads_no_boinor_or_numba():
    import subprocess
    import sys

    code = (
        "import sys, missions, orbits; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('boinor', 'numba', 'astropy', 'matplotlib')); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_package_exports_resolve():
    for name in missions.__all__:
        assert getattr(missions, name) is not None


def test_fact_lookup_lists_what_there_is(cat):
    # seed-002-css-size: "it will be 37 meters (121 feet) long"
    css = cat.mission("Tiangong")
    length = next(f for f in css.facts if f.value is not None and getattr(f.value, "unit", None) == u.m)
    assert length.value == 37 * u.m and length.source == "seed-002-css-size"
    with pytest.raises(KeyError, match="has no fact 'wingspan'; it has: "):
        css.fact("wingspan")
