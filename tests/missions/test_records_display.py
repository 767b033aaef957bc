"""Records and the catalog in a terminal and a notebook: one-line reprs, HTML tables."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from astropy import units as u

from missions import load_catalog
from missions import records as r

DATA = Path(__file__).resolve().parents[2] / "missions" / "data"


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _raw(section, key):
    for f in sorted(DATA.glob("*.toml")):
        for rec in tomllib.loads(f.read_text(encoding="utf-8")).get(section, []):
            if rec.get("key") == key:
                return rec
    raise AssertionError(key)


def test_mission_repr_names_kind_agency_status_and_date(cat):
    # Luna-25: Roscosmos lander, launched 2023-08-10 23:10:57 UTC, crashed on the Moon on
    # 2023-08-19 (Roscosmos; NASA NSSDCA 2023-118A)
    assert repr(cat["Luna-25"]) == "<Mission Luna-25: lander, Roscosmos, failed, launched 2023-08-10>"
    assert str(cat["Luna-25"]) == repr(cat["Luna-25"])
    # Chang'e-5: CNSA sample return, launched 2020-11-23 20:30 UTC (CNSA; NSSDCA 2020-087A)
    assert repr(cat["CE-5"]) == "<Mission Chang'e-5: sample return, CNSA, flown, launched 2020-11-23>"


def test_planned_mission_repr_gives_its_latest_announced_date(cat):
    raw = _raw("mission", "luna-26")
    latest = max(raw["announced"], key=lambda a: str(a["announced"]))
    assert repr(cat["Luna-26"]) == (
        f"<Mission Luna-26: orbiter, Roscosmos, planned, planned for {latest['planned']}>"
    )


def test_site_repr_gives_hemispheres(cat):
    # Baikonur 45 deg 57' 58" N, 63 deg 18' 28" E (Wikipedia) = 45.966 N, 63.308 E
    assert repr(cat.site("Baikonur")) == "<LaunchSite Baikonur Cosmodrome: 45.97° N, 63.31° E>"
    # Guiana Space Centre, Kourou: 5 deg 14' N, 52 deg 46' W (Wikipedia) = 5.23 N, 52.77 W
    assert repr(cat.site("Kourou")) == "<LaunchSite Guiana Space Centre: 5.23° N, 52.77° W>"


def test_vehicle_repr_gives_kind_and_first_payload(cat):
    # Long March 5: 25,000 kg to LEO (CASC user's manual figure, as quoted by Wikipedia)
    text = repr(cat.vehicle("Long March 5"))
    assert text.startswith("<LaunchVehicle Long March 5: launcher, ") and "25000 kg to LEO" in text


def test_every_record_repr_is_one_short_line(cat):
    # issue 8: repr(cat["ISS"]) was 2,167 characters
    seen = 0
    for rec in cat.records():
        items = [rec]
        for name in ("orbits", "facts", "announced", "events", "transfer", "payloads", "inclinations",
                     "phases", "members", "partner_payloads"):
            items.extend(getattr(rec, name, ()))
        for extra in (getattr(rec, "launch", None), getattr(rec, "landing_site", None),
                      getattr(rec, "site_region", None)):
            if extra is not None:
                items.append(extra)
        for item in items:
            text = repr(item)
            assert "\n" not in text and len(text) <= 120, text
            assert text.startswith(f"<{type(item).__name__}"), text
            seen += 1
    assert seen > 200
    assert len(repr(cat["ISS"])) < 100


def test_nested_record_reprs(cat):
    luna25 = cat["Luna-25"]
    # Luna-25's planned 100 km circular polar orbit (Roscosmos / IKI mission profile)
    assert repr(luna25.orbits[0]) == "<TargetOrbit Moon, 100 km, inclination 90.00°>"
    assert repr(luna25.launch_date) == "MissionDate('2023-08-10T23:10:57')"
    fact = r.Fact("launch_mass", 1750 * u.kg, "wiki-luna-25")
    assert repr(fact) == "<Fact launch_mass = 1750 kg [wiki-luna-25]>"


def test_mission_without_any_date():
    m = r.Mission(key="x", name="X", agency="CNSA", country="China", kind="lander",
                  status="planned", target="Moon", sources=("s",))
    assert repr(m) == "<Mission X: lander, CNSA, planned, no launch date>"


def test_record_html_is_a_labelled_table_with_sources(cat):
    html = cat["Luna-25"]._repr_html_()
    assert html.startswith("<table>") and html.count("<table>") == 1
    assert "<caption" in html and "Luna-25: lander, Roscosmos" in html
    assert "<th style='text-align:left'>launch date</th>" in html
    # every source the record cites is shown
    for key in cat["Luna-25"].source_keys():
        assert key in html, key
    assert "nan" not in html.lower()


def test_record_html_escapes_text():
    m = r.Mission(key="x", name="<script>alert(1)</script>", agency="A&B", country="c",
                  kind="lander", status="planned", target="Moon", sources=("s",))
    html = m._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "A&amp;B" in html


def test_every_record_has_an_html_display(cat):
    for rec in cat.records():
        html = rec._repr_html_()
        assert html.startswith("<table>") and html.endswith("</table>")


def test_catalog_html_is_its_summary_table(cat):
    html = cat._repr_html_()
    assert html.count("<tr>") == len(cat.missions) + 1  # header row plus one per mission
    assert f"{len(cat.missions)} missions" in html
    assert re.search(r"<th>Inclination \(deg\)</th>", html)
    assert "nan" not in html.lower()
    assert repr(cat).startswith("<Catalog: ") and len(repr(cat)) < 100


def test_programme_part_reprs(cat):
    ce7 = cat["Chang'e-7"]
    # IKI's Lunar Dust Monitoring instrument on Chang'e-7 (www1.ru, 2025-09-03)
    assert repr(ce7.partner_payloads[0]).startswith("<PartnerPayload Lunar Dust Monitoring (PmL) by IKI")
    ilrs = cat["ILRS"]
    # Senegal joined on 2024-09-05 (Business Today, 2024-09-11)
    senegal = next(m for m in ilrs.members if m.name == "Senegal")
    assert repr(senegal) == "<Member Senegal (member state, joined 2024-09-05) [businesstoday-ilrs-2024]>"
    assert repr(ilrs.site_region).startswith("<SiteRegion lunar south-pole region (Moon), within 100 km")
    stage = r.Phase(name="Stage 1", source="s", plan="agreement")
    assert stage.date_range == "no dates stated"


def test_show_text_states_as_of_first(cat):
    from missions.describe import describe

    # a launch site states no as-of date; a mission states its own
    assert describe(cat.site("Wenchang"), cat).splitlines()[2] == "as of: not stated"
    assert describe(cat["Tianwen-1"], cat).splitlines()[2] == "as of: 2021-11-08"
