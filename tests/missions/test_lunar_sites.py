"""The catalog's lunar sites (missions.lunar_sites), their south-pole access, the report's
south-pole section, the south-pole-access figure and the ``south-pole`` command.

Expected coordinates are the catalog's own sourced values (missions/data/30_lunar.toml, read
here with tomllib, not through the toolkit), each with the source the TOML cites.
"""

from __future__ import annotations

import importlib.resources
import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from click.testing import CliRunner

from missions import load_catalog
from missions.lunar_sites import lunar_sites, polar_site_access, polar_sites
from orbits.errors import ArgumentError, NotFoundError
from tests.iau_moon import seed_moon_matrix

ROOT = Path(__file__).resolve().parents[2]
LUNAR_TOML = ROOT / "missions" / "data" / "30_lunar.toml"
SEEDS = ROOT / "seeds" / "authorities" / "moon"
DE421 = str(importlib.resources.files("skyfield_data") / "data" / "de421.bsp")
START = "2026-08-01"  # Chang'e-7's reported launch month (catalog: change-7, announced 2026-08)


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def access(cat):
    return polar_site_access(cat, at=START)


def _deg(text):
    return float(text.split()[0])


def test_every_landing_site_of_the_toml_is_a_site_with_its_source(cat):
    raw = tomllib.loads(LUNAR_TOML.read_text(encoding="utf-8"))
    expected = {m["name"]: m["landing_site"] for m in raw["mission"] if "landing_site" in m}
    sites = {s.name: s for s in lunar_sites(cat).sites if s.kind == "landing site"}
    assert set(sites) == set(expected)
    for name, ls in expected.items():
        s = sites[name]
        assert s.latitude.to_value(u.deg) == pytest.approx(_deg(ls["latitude"]), abs=1e-9)
        assert s.longitude.to_value(u.deg) == pytest.approx(_deg(ls["longitude"]), abs=1e-9)
        assert s.source == ls["source"]
        assert s.citation == cat.cite(ls["source"])
        assert s.source_date == cat.source(ls["source"]).date


def test_named_sites_and_their_cited_sources(cat):
    t = lunar_sites(cat)
    # Chang'e-7: 88.8 S, 123.4 E (Wikipedia, "Chang'e 7", as the TOML cites: wiki-change-7)
    ce7 = t.find("CE-7")
    assert (ce7.latitude.to_value(u.deg), ce7.longitude.to_value(u.deg)) == (-88.8, 123.4)
    assert ce7.source == "wiki-change-7" and "Wikipedia" in ce7.citation
    # Chang'e-6: 41.6385 S, 206.0148 E = 153.9852 W (LROC image fix, TOML key lroc-change-6)
    ce6 = t.find("Chang'e 6")
    assert ce6.latitude.to_value(u.deg) == pytest.approx(-41.6385)
    assert ce6.longitude.to_value(u.deg) == pytest.approx(-153.9852)
    assert ce6.source == "lroc-change-6"
    # Luna-25: 69.545 S, 43.544 E, the planned site north of Boguslawsky (wiki-luna-25)
    l25 = t.find("Luna 25")
    assert l25.coordinates == (-69.545 * u.deg, 43.544 * u.deg)
    # the ILRS region: the pole, within 100 km (ETV Bharat 2025-05-19, etvbharat-lunar-power-2025)
    ilrs = t.find("ILRS")
    assert ilrs.kind == "region" and ilrs.latitude.to_value(u.deg) == -90.0
    assert ilrs.radius.to_value(u.km) == 100.0 and ilrs.source == "etvbharat-lunar-power-2025"


def test_polar_sites_and_the_ones_without_coordinates(cat):
    p = polar_sites(cat)
    assert set(p.site) == {"Luna-25", "Chang'e-7", "ILRS region", "Chang'e-8 region",
                           "Luna-27 region"}
    missing = {s.mission: s for s in p.without_coordinates}
    assert set(missing) == {"Chang'e-8", "Luna-27"}
    # Chang'e-8's candidates as the TOML lists them (spacenews-ce8-2023, Wang Qiong 2023)
    assert "Leibnitz Beta" in missing["Chang'e-8"].candidates
    # Luna-27's sector: 79-83 S, 1 W to 51 E (Turchinskaya & Slyuta 2024, Acta Astronautica)
    assert missing["Luna-27"].source == "turchinskaya-slyuta-2024-luna27"
    assert "79-83° S" in missing["Luna-27"].place
    assert set(polar_sites(cat, coordinates_only=True).site) == {"Luna-25", "Chang'e-7",
                                                                  "ILRS region"}
    # 69.545 S is north of 80 S
    assert "Luna-25" not in set(polar_sites(cat, max_latitude=-80 * u.deg).site)
    with pytest.raises(ArgumentError, match="max_latitude"):
        polar_sites(cat, max_latitude=10 * u.deg)


def test_a_site_without_coordinates_asked_by_name_is_a_clear_error(cat):
    with pytest.raises(ArgumentError, match="Chang'e-8 region.*no published coordinates"):
        polar_site_access(cat, at=START, sites=["Chang'e-8"])
    with pytest.raises(ArgumentError, match="Luna-27 region.*no published coordinates"):
        polar_sites(cat).coordinates(["Luna-27"])
    with pytest.raises(NotFoundError, match="did you mean.*Chang'e-7"):
        polar_sites(cat).find("Chang'e-9")


def test_which_orbits_reach_each_site(access):
    rows = {s: i for i, s in enumerate(access.site)}
    assert set(rows) == {"Luna-25", "Chang'e-7", "ILRS region"}
    # a circular orbit of inclination i covers latitudes |lat| <= i (spherical geometry):
    # 88.8 S only from 90 deg of (90, 85, 62.4); 69.545 S from 90 and 85
    assert access.reached_by[rows["Chang'e-7"]] == "90°"
    assert access.reached_by[rows["Luna-25"]] == "90°, 85°"
    assert access.best_inclination[rows["Luna-25"]].to_value(u.deg) == pytest.approx(85.0)
    # a site passes under a polar plane twice per turn of the Moon under it: half a sidereal
    # month, 27.321661 d / 2 (Meeus, Astronomical Algorithms 2nd ed., ch. 49), stretched by
    # the plane's own drift of a few thousandths of a degree a day (0.02 % here)
    assert access.revisit[rows["Chang'e-7"]].to_value(u.day) == pytest.approx(27.321661 / 2,
                                                                               rel=1e-3)
    assert access.revisit[rows["ILRS region"]].to_value(u.day) == 0.0  # always under it
    # Luna-25's site is on the near side, 20.5 deg from the pole: more than the Earth's
    # +-6.9 deg libration in latitude (Meeus ch. 53), so the Earth never sets there
    assert access.earth_fraction[rows["Luna-25"]] == 1.0
    assert 0.25 < access.earth_fraction[rows["Chang'e-7"]] < 0.75
    assert "DE421" in access.ephemeris and "WGCCRE 2015" in access.rotation
    assert access.start.utc.isot.startswith(START)




def test_sun_elevation_at_a_polar_site_against_skyfield(access):
    # Independent path: skyfield reads DE421 (geometric Moon -> Sun), the seed file's IAU
    # coefficients turn it into the Moon-fixed frame, the site on the 1737.4 km sphere.
    from skyfield.api import load, load_file

    ts = load.timescale(builtin=True)
    planets = load_file(DE421)
    k = list(access.site).index("Luna-25")
    sky = access.skies[k]
    lat, lon = np.radians(-69.545), np.radians(43.544)
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    i = 100  # one epoch, 200 h into the lunar day
    t = sky.time[i]
    s = (planets["sun"] - planets["moon"]).at(ts.tt_jd(t.tt.jd)).position.km
    rel = seed_moon_matrix(t) @ s - 1737.4 * up
    el = np.degrees(np.arcsin(rel @ up / np.linalg.norm(rel)))
    assert sky.sun_elevation[i].to_value(u.deg) == pytest.approx(el, abs=2e-4)
    # and the table's range is that sky's range
    assert access.sun_min[k] == np.min(sky.sun_elevation)
    assert access.sun_max[k] == np.max(sky.sun_elevation)


def test_report_section_figure_and_data_files(cat, tmp_path):
    from missions.figures import FIGURE_NAMES, figure
    from missions.report import SECTION_IDS, write_tables
    from missions.report_sections import _Builder
    from missions.subjects import analysis_time

    assert "south-pole" in SECTION_IDS
    assert SECTION_IDS.index("south-pole") == SECTION_IDS.index("lunar") + 1
    assert "south-pole-access" in FIGURE_NAMES
    sec = _Builder(cat, None, analysis_time(START), None).south_pole()
    assert sec.id == "south-pole" and len(sec.figures) == 1
    assert sec.figures[0].src.startswith("data:image/png;base64,")
    ids = [t.id for t in sec.tables]
    assert ids == ["south-pole-sites", "south-pole-access", "south-pole-orbits"]
    text = " ".join(sec.lead)
    assert START in text and "DE421" in text and "WGCCRE 2015" in text
    assert "Chang'e-8" in text and "Luna-27" in text  # named without coordinates
    links = write_tables([sec], tmp_path)
    data = json.loads((tmp_path / links["south-pole-access"][1]).read_text())
    by_site = {r["site"]: r for r in data["rows"]}
    assert set(by_site) == {"Luna-25", "Chang'e-7", "ILRS region"}
    assert by_site["Chang'e-7"]["latitude [deg]"] == -88.8  # wiki-change-7
    fig = figure("south-pole-access", catalog=cat, at=START)
    assert len(fig.axes) == 2


def test_cli_south_pole():
    from missions.cli import cli

    res = CliRunner().invoke(cli, ["south-pole", "--at", START, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [r["site"] for r in data["rows"]] == ["Luna-25", "Chang'e-7", "ILRS region"]
    res = CliRunner().invoke(cli, ["south-pole", "--at", START, "--site", "Chang'e-8"])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mission-compare: error: ")
    assert "Chang'e-8" in lines[0] and "no published coordinates" in lines[0]
    res = CliRunner().invoke(cli, ["south-pole", "--at", "2026-13-01"])
    assert res.exit_code == 2 and "--at" in res.output
    res = CliRunner().invoke(cli, ["south-pole", "--at", START, "--format", "text"])
    assert res.exit_code == 0 and "IAU WGCCRE 2015" in res.output
    # the 14-column table prints as stacked blocks that fit a terminal, each led by the site
    lines = res.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    heads = [line for line in lines if line.startswith("site ")]
    assert len(heads) >= 2 and "relay up" in "".join(heads)
