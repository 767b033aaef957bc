"""Mars and small-body records (issue 11): Tianwen-1/2/3, the Russian Mars plans.

Numbers are the published figures with their sources and dates in comments.
"""

from __future__ import annotations

import pytest
from astropy import units as u
from astropy.time import Time

from missions import load_catalog
from missions import records as r


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def test_mars_and_small_bodies_are_targets(cat):
    assert {"Mars", "Phobos", "asteroid", "comet"} <= set(r.BODIES)
    assert set(r.SMALL_BODIES) == {"Phobos", "asteroid", "comet"}
    assert "Mars" in cat.filter_values()["target"]


def test_filter_target_mars(cat):
    names = {m.name for m in cat.filter(target="Mars")}
    assert names == {"Tianwen-1", "Tianwen-3", "ExoMars 2022 (Kazachok)", "Mars-Grunt"}
    russian = {m.name for m in cat.filter(target="Mars", agency="Roscosmos")}
    assert russian == {"ExoMars 2022 (Kazachok)", "Mars-Grunt"}


def test_tianwen_1_launch_and_arrival(cat):
    tw1 = cat.mission("Tianwen-1")
    # Long March 5 Y4 from Wenchang at 12:41 BJT = 04:41 UTC on 2020-07-23 (Xinhua 2020-07-23;
    # Satellite News Digest)
    assert tw1.launch_date.text == "2020-07-23T04:41"
    assert tw1.launch_vehicle == "long-march-5" and tw1.launch_site == "wenchang"
    # Mars orbit insertion 2021-02-10 (CNSA via Punch, Feb 2021)
    assert tw1.event("MOI").date.text == "2021-02-10"
    # the transfer leg is the span between those two dates: astropy's own date arithmetic
    span = (Time("2021-02-10") - Time("2020-07-23")).to_value(u.day)
    assert tw1.transfer_time.to_value(u.day) == pytest.approx(span, abs=0.5)
    # landing 07:18 BJT on 15 May = 23:18 UTC on 14 May 2021 (Go Taikonauts!, 2021-05-15)
    assert tw1.event("landing").date.text == "2021-05-14T23:18"


def test_tianwen_1_parking_orbit_figures(cat):
    tw1 = cat.mission("Tianwen-1")
    # parking orbit 280 x 59,000 km, about two sols (CNSA via Shanghai Daily, 2021-02-25)
    assert tw1.fact("parking_orbit_periapsis_altitude").value == 280 * u.km
    assert tw1.fact("parking_orbit_apoapsis_altitude").value == 59_000 * u.km
    # remote-sensing orbit about 265 x 10,700 km, 7.08 h (CNSA, 2021-11-08)
    assert tw1.fact("remote_sensing_orbit_period").value.to_value(u.h) == pytest.approx(7.08)


def test_tianwen_2_targets_an_asteroid(cat):
    tw2 = cat.mission("Tianwen-2")
    assert tw2.target == "asteroid" and "Kamoʻoalewa" in tw2.target_name
    # Long March 3B from Xichang, 2025-05-28 17:31 UTC (Space.com 2025-05-28; India Today)
    assert tw2.launch_date.text == "2025-05-28T17:31" and tw2.launch_site == "xichang"
    # at least 100 g, capsule landing November 2027 (India Today, 2025-05-29)
    assert tw2.fact("sample_mass").value == 100 * u.g
    assert any(e.kind == "return" and e.date.text == "2027-11" for e in tw2.events)


def test_tianwen_3_plan(cat):
    tw3 = cat.mission("Tianwen-3")
    # two Long March 5 launches, around 2028, at least 500 g, 20 kg for partners (CNSA
    # announcement via Gaya One, 2025); late 2028 (2026 report)
    assert tw3.status == "planned" and tw3.launch_date.text == "2028"
    assert tw3.fact("sample_mass").value == 500 * u.g
    assert tw3.fact("international_payload_mass").value == 20 * u.kg
    assert tw3.site_region.body == "Mars"
    assert set(tw3.site_region.candidates) == {"Amazonis Planitia", "Utopia Planitia", "Chryse Planitia"}


def test_russian_mars_plans(cat):
    exo = cat.mission("ExoMars 2022")
    # suspended 2022-03-17 (LB.ua), terminated by ESA's notice of 2022-07-12 (TASS 2022-07-13)
    assert exo.status == "cancelled"
    assert exo.event("end").date.text == "2022-07-12"
    mg = cat.mission("Mars-Grunt")
    # proposed for the 2030s, after Boomerang "after 2030" (TASS 2023-09-02): no launch invented
    assert mg.status == "proposed" and mg.launch is None and not mg.announced
    boomerang = cat.mission("Fobos-Grunt-2")
    assert boomerang.target == "Phobos" and boomerang.launch is None


def test_mars_orbit_altitude_limit():
    # Mars's Hill sphere is about 1.08 million km (NASA fact sheets): 2 million km is refused
    from missions.schema import CatalogError, parse_text

    text = """
[[mission]]
key = "m"
name = "M"
agency = "CNSA"
country = "China"
kind = "orbiter"
status = "planned"
target = "Mars"
sources = ["s"]

[[mission.orbits]]
body = "Mars"
periapsis = "300 km"
apoapsis = "{apo}"
inclination = "90 deg"
source = "s"
"""
    assert parse_text(text.format(apo="59000 km"))[0].orbit("Mars").apoapsis == 59_000 * u.km
    with pytest.raises(CatalogError, match="too high for an orbit about Mars"):
        parse_text(text.format(apo="2000000 km"))
