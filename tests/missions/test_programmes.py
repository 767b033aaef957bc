"""Programme records (the ILRS ...), partner payloads and the as-of dates of issue 11.

Expected values are the published figures, each named with its source and date in a comment;
the catalog record cites the same source (checked where it matters).
"""

from __future__ import annotations

import pytest
from astropy import units as u

from missions import load_catalog
from missions import records as r


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def test_ilrs_is_a_programme_found_by_its_names(cat):
    ilrs = cat.mission("ILRS")
    assert ilrs is cat["International Scientific Lunar Station"] is cat["МНЛС"]
    assert ilrs.kind == "programme" and ilrs.is_programme and ilrs.target == "Moon"
    assert ilrs in cat.programmes()
    assert all(m.kind == "programme" for m in cat.programmes())


def test_ilrs_2021_roadmap_phases(cat):
    # SpaceNews (A. Jones), GLEX 2021 roadmap, 2021-06-17: reconnaissance 2021-25 with
    # Chang'e-4, -6, -7 and Luna-25, -26, -27; construction 2026-30 (Chang'e-8, Luna-28) and
    # 2031-35; crew landings after 2036
    ilrs = cat.mission("ILRS")
    road = [p for p in ilrs.phases if p.plan == "2021 roadmap"]
    assert [(p.start.year, p.end.year if p.end else None) for p in road] == [
        (2021, 2025), (2026, 2030), (2031, 2035), (2036, None)]
    recon = ilrs.phase("reconnaissance")
    assert set(recon.missions) == {"change-4", "change-6", "change-7", "luna-25", "luna-26", "luna-27"}
    assert "site selection" in recon.goals
    assert [m.name for m in cat.phase_missions("ILRS", "Construction (first part)")] == [
        "Chang'e-8", "Luna-28"]
    assert cat.source(recon.source).date == "2021-06-17"


def test_ilrs_2024_replan(cat):
    # Wu Yanhua, 2nd International Deep Space Exploration Conference (CGTN via Khabar Asia,
    # 2024-09-06): basic model by 2035 in the south-pole region, extended model around 2050
    ilrs = cat.mission("ILRS")
    basic = ilrs.phase("Basic model")
    extended = ilrs.phase("Extended model")
    assert basic.plan == extended.plan == "2024 plan"
    assert basic.end.year == 2035 and basic.start is None and basic.date_range == "by 2035"
    assert extended.end.year == 2050
    assert cat.source(basic.source).date == "2024-09-06"
    # the 2023 statement (CGTN, 2023-04-25) put the basic model around 2028: kept beside it
    assert ilrs.fact("basic_model_by").value == "2035"
    assert [a.value for a in ilrs.fact("basic_model_by").alternatives] == ["2028"]


def test_ilrs_agreements_and_power_station_dates(cat):
    ilrs = cat.mission("ILRS")
    agreements = {e.date.text: e for e in ilrs.events if e.kind == "agreement"}
    # memorandum 2021-03-09 (Noticias Cubanas, 2021-03-09); intergovernmental agreement
    # 2022-11-25 and ratification law 2024-06-12 (kremlin.ru, 2024-06-12); in force 2024-07-18
    # (Inside Outer Space, July 2024); power-station contract with Lavochkin, December 2025
    # (RIA Novosti, 2025-12-24)
    assert {"2021-03-09", "2022-11-25", "2024-06-12", "2024-07-18", "2025-12"} <= set(agreements)
    assert agreements["2022-11-25"].source == "kremlin-ilrs-ratification-2024"
    assert "2025-2036" in agreements["2025-12"].description
    power = ilrs.fact("lunar_power_station")
    assert "2035" in power.value  # memorandum of May 2025 (FMC, 2025-05-23)
    assert any("2033-35" in a.value for a in power.alternatives)  # Borisov (Reuters, 2024-03-05)


def test_ilrs_members_and_site_region(cat):
    ilrs = cat.mission("ILRS")
    roles = {m.name: m.role for m in ilrs.members}
    assert roles["China"] == roles["Russia"] == "founder"
    assert roles["Senegal"] == "member state"  # 13th member, Business Today 2024-09-11
    senegal = next(m for m in ilrs.members if m.name == "Senegal")
    assert senegal.joined.text == "2024-09-05"
    region = ilrs.site_region
    # "within 100 km" of the south pole (Roscosmos via ETV Bharat, 2025-05-19)
    assert region.body == "Moon"
    assert region.center_latitude == -90 * u.deg and region.radius == 100 * u.km
    assert region.alternatives  # CNSA's own wording, without a radius, kept beside it


def test_partner_payloads_russian_instruments_on_change(cat):
    pairs = cat.partner_payloads(country="Russia")
    got = {(m.name, p.name) for m, p in pairs}
    # IKI's Lunar Dust Monitoring on Chang'e-7 (www1.ru, Kremlin press service, 2025-09-03);
    # ALIEN-CE8 and LPDE-CE8 on Chang'e-8 (www1.ru citing IKI, 2025-04-27)
    assert got == {("Chang'e-7", "Lunar Dust Monitoring (PmL)"), ("Chang'e-8", "ALIEN-CE8"),
                   ("Chang'e-8", "LPDE-CE8")}
    assert all("IKI" in p.supplier for _, p in pairs)
    assert {m.name for m, _ in cat.partner_payloads(supplier="iki")} == {"Chang'e-7", "Chang'e-8"}
    assert cat.partner_payloads(country="Egypt") == ()
    table = cat.partner_payload_table(country="Russia")
    assert len(table) == 3 and list(table.colnames[:3]) == ["mission", "instrument", "supplier"]


def test_partner_payloads_refuse_non_strings(cat):
    from orbits.errors import ArgumentTypeError

    with pytest.raises(ArgumentTypeError, match="country must be a string"):
        cat.partner_payloads(country=7)


def test_change_7_status_april_2026(cat):
    ce7 = cat.mission("Chang'e-7")
    # at Wenchang by 2026-04-09, launch in the second half of 2026 (Cosmoscience, 2026-04-13)
    assert ce7.as_of == "2026-04-13" and ce7.status == "planned"
    arrival = next(e for e in ce7.events if e.kind == "other")
    assert arrival.date.text == "2026-04-09"
    assert ce7.launch_date.text == "2026"  # no launch date published: none invented


def test_change_8_record(cat):
    ce8 = cat.mission("CE-8")
    # launch around 2028 (CGTN 2023-04-25; SpaceNews 2023-10-02); one outlet's 2029 kept as an
    # announcement, not the launch date
    assert ce8.launch_date.text == "2028" and ce8.launch_site == "wenchang"
    assert "2029" in {a.planned.text for a in ce8.announced}
    # candidate areas named by Wang Qiong (SpaceNews, 2023-10-02)
    assert set(ce8.site_region.candidates) == {
        "Leibnitz Beta", "Amundsen crater", "Cabeus crater", "Shackleton-de Gerlache ridge"}
    assert ce8.fact("international_payload_mass").value == 200 * u.kg


def test_luna_27_pole_order_conflict_kept(cat):
    luna27 = cat.mission("Luna-27")
    order = luna27.fact("pole_order")
    # Zelenyi (IKI) to Interfax, 2025-08-11: which pole first "not yet decided"
    assert "not yet decided" in order.value and order.source == "interfax-luna27-2025"
    # Krasnikov (RAS) to Izvestia, 2025-08-22: south (27.1) in 2029, north (27.2) in 2030
    assert order.alternatives[0].source == "united24-luna26-2025"


def test_ros_baikonur_module_list(cat):
    ros = cat.mission("ROS")
    # Manturov, 2026-01-06 (Aviation Week, 2026-01-17)
    mods = ros.fact("baikonur_modules")
    assert "NEM" in mods.value and "node module" in mods.value and "airlock" in mods.value
    assert any(e.date.text == "2026-01-06" for e in ros.events)
    # first module: December 2027 as reported in December 2025 (Particle News) against 2028
    # from Baikonur (Bakanov, 2026-03-10): both kept, the later statement is the current plan
    planned = {a.announced.text: a.planned.text for a in ros.announced}
    assert planned["2025-12"] == "2027-12" and planned["2026-03-10"] == "2028"
    assert ros.current_date.text == "2028"


def test_crewed_lunar_test_events(cat):
    prog = cat.mission("Chinese crewed lunar landing")
    tests = {e.date.text[:10]: e for e in prog.events if e.kind == "test"}
    # Mengzhou pad abort 2025-06-17 (China Daily 2025-06-18); Lanyue landing/take-off test
    # 2025-08-06 (SCMP 2025-08-07); Long March 10 static fires 2025-08-15 and 2025-09-12
    # (Xinhua 2025-09-13); low-altitude flight with a max-Q abort 2026-02-11 03:00 UTC
    # (SpaceNews 2026-02-11)
    assert set(tests) == {"2025-06-17", "2025-08-06", "2025-08-15", "2025-09-12", "2026-02-11"}
    assert tests["2026-02-11"].date.text == "2026-02-11T03:00"


def test_beidou_glonass_and_rd180(cat):
    bg = cat.mission("BeiDou-GLONASS")
    # signed in Beijing on 2018-11-07 (China BeiDou site); TASS's "2019" is a misprint
    assert bg.event("agreement").date.text == "2018-11-07"
    assert bg.fact("beidou_stations_in_russia").value == "Obninsk, Irkutsk, Petropavlovsk-Kamchatsky"
    rd = cat.mission("RD-180 talks")
    # no completed sale in any stored source (Go Taikonauts!, 2018-01-18; Interfax 2018-06-01)
    assert rd.status == "proposed" and rd.launch is None


def test_every_builtin_mission_states_as_of(cat):
    assert all(m.as_of for m in cat.missions)
    for m in cat.missions:
        assert isinstance(m.as_of_date, r.MissionDate)


def test_to_table_shows_as_of(cat):
    t = cat.to_table(["ILRS", "Chang'e-7"])
    assert list(t["As of"]) == ["2025-12-25", "2026-04-13"]
    assert t["as_of"] is t["As of"] or list(t["as_of"]) == list(t["As of"])


def test_phase_repr_and_missing_phase(cat):
    ilrs = cat.mission("ILRS")
    text = repr(ilrs.phase("Reconnaissance"))
    assert text.startswith("<Phase 2021 roadmap: Reconnaissance, 2021\u20132025")
    from orbits.errors import NotFoundError

    with pytest.raises(NotFoundError, match="has no phase 'Construction'; it has: 'Reconnaissance'"):
        ilrs.phase("Construction")
