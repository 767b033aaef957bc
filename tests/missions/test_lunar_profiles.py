"""Catalog lunar missions' transfer profiles (missions.lunar_profiles)."""

import dataclasses

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

from missions.catalog import load_catalog
from missions.lunar_profiles import (
    compare_profiles,
    family_points,
    lunar_profiles,
    transfer_budget,
    transfer_family_figure,
)
from orbits.errors import ArgumentError, ArgumentTypeError

KMS = u.km / u.s


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def table(cat):
    return lunar_profiles(cat)


def test_every_lunar_mission_has_a_profile(cat, table):
    lunar = [m.key for m in cat.filter(target=["Moon", "Earth-Moon L2"]) if m.kind != "programme"]
    assert table.keys == lunar and len(table) == len(lunar)
    # Issue 4's Apollo-class ranges (TLI ~3.1 km/s from 185-200 km; LOI 0.8-0.9 km/s into
    # ~100 km orbits): every mission's TLI is within them; no NaN anywhere.
    assert np.all((table.tli_dv > 3.05 * KMS) & (table.tli_dv < 3.2 * KMS))
    assert np.all(np.isfinite(np.asarray(table.total_dv.value)))
    # one result shape: a row per mission in the QTable, JSON rows, text within 100 columns
    assert len(table.to_table()) == len(lunar) and len(table.to_dict()["rows"]) == len(lunar)
    assert max(len(line) for line in table.to_text().splitlines()) <= 100
    # the table and its comparison say what they used: DE421 (the dated missions) and the
    # catalog
    for res in (table, table.comparison()):
        kinds = {i.kind for i in res.inputs}
        assert {"ephemeris", "catalog"} <= kinds
        assert any("DE421" in i.name for i in res.inputs)


def test_luna25_from_its_own_site_and_orbit(cat):
    p = transfer_budget("Luna-25", cat)
    rec = cat.mission("luna-25")
    # site, vehicle, date and orbit are the catalog's own (catalog record cites its sources)
    assert p.launch_site == cat.site(rec.launch_site).name
    assert p.parking_inclination == 51.7 * u.deg  # Vostochny (tracker issue 4)
    assert abs((p.departure - rec.launch_date.time).to_value(u.s)) < 1e-3
    # time of flight flown: launch 2023-08-10 23:10:57 UTC (Roscosmos 02:10:57 MSK, Vedomosti
    # 2023-08-11) to lunar orbit at 08:57 UTC on 2023-08-16 (Roscosmos 11:57 MSK, CGTN
    # 2023-08-16); the Fregat's ascent and parking coast are not published, so included
    flown = Time("2023-08-16T08:57", scale="utc") - Time("2023-08-10T23:10:57", scale="utc")
    assert p.tof.to_value(u.day) == pytest.approx(flown.to_value(u.day), abs=1e-9)
    assert p.flown_tof.to_value(u.day) == pytest.approx(flown.to_value(u.day), abs=1e-9)
    # about 100 km circular polar (Roscosmos via Vedomosti 2023-08-11, Sputnik 2023-08-18)
    assert p.lunar_orbit.startswith("100 x 100 km") and p.basis == "orbit F, tof F, parking A"
    assert p.lunar_inclination == 90 * u.deg and p.moon_model == "DE421"
    # the Moon's declination is far below 51.7 deg: in-plane; Luna-25's polar orbit overflies
    # its -69.5 deg target site
    assert p.in_plane and p.site_overflown
    assert 0.80 * KMS < p.loi_dv < 0.90 * KMS
    assert repr(p).startswith("<TransferProfile Luna-25 from Vostochny") and "\n" not in repr(p)
    assert p.to_dict()["tli_dv"]["unit"] == "km / s" and p.inputs[0].name == "DE421"


def test_change5_moon_declination_matches_skyfield(cat):
    skyfield_api = pytest.importorskip("skyfield.api")
    from orbits.ephemeris import _de421_path

    p = transfer_budget("Chang'e-5", cat)
    # Reference: Skyfield, same DE421, geometric Moon declination at launch + 112 h (catalog).
    ts = skyfield_api.load.timescale(builtin=True)
    eph = skyfield_api.load_file(str(_de421_path()))
    arr = p.departure + p.tof
    _, dec, _ = (eph["moon"] - eph["earth"]).at(ts.tdb_jd(arr.tdb.jd)).radec()
    np.testing.assert_allclose(p.moon_declination.to_value(u.deg), dec.degrees, atol=1e-6)
    assert p.parking_inclination == 19.6 * u.deg and p.in_plane  # 13.8 deg < 19.6 deg
    assert p.min_lunar_inclination == 43.06 * u.deg  # Mons Ruemker latitude (catalog)


def test_queqiao2_frozen_orbit(cat):
    # Queqiao-2's 200 x 16,000 km orbit has a 24-hour period (CNSA, 2024): within 2 %.
    p = transfer_budget("Queqiao-2", cat)
    assert abs(p.lunar_orbit_period.to_value(u.h) / 24 - 1) < 0.02
    # capture into a high ellipse costs far less than into a low circular orbit
    assert p.loi_dv < 0.4 * KMS


def test_halo_mission_is_tli_only_and_says_so(cat):
    p = transfer_budget("Queqiao", cat)
    assert p.loi_dv is None and p.total_dv == p.tli_dv
    assert any("insertion itself is not modelled" in a for a in p.assumptions)


def test_assumptions_are_listed(cat):
    rec = dataclasses.replace(cat.mission("luna-25"), launch=None, orbits=(), transfer=(),
                              events=(), facts=())
    p = transfer_budget(rec, cat)
    text = " ".join(p.assumptions)
    assert "launch site not in catalog: " in text and "Vostochny" in p.launch_site
    assert "transfer time not in catalog" in text and p.tof == 4.5 * u.day
    assert "mean circular Moon" in text and p.moon_model == "mean circular"
    assert p.site_overflown is None and p.in_plane is None
    assert p.basis == "orbit A, tof A, parking A" and p.flown_tof is None


def test_compare_side_by_side(cat):
    t = compare_profiles("Luna-25", "Chang'e-5", cat)
    assert t.colnames == ["quantity", "Luna-25", "Chang'e-5"]
    row = {q: (a, b) for q, a, b in zip(t["quantity"], t["Luna-25"], t["Chang'e-5"])}
    assert row["parking inclination"] == ("51.70 deg", "19.60 deg")  # Vostochny, Wenchang (issue 4)


def test_errors(cat):
    with pytest.raises(KeyError):
        transfer_budget("Luna-99", cat)
    earth = next(m for m in cat.filter(target="Earth"))
    with pytest.raises(ArgumentError, match="not the Moon"):
        transfer_budget(earth, cat)
    with pytest.raises(ArgumentTypeError, match="mission must be a catalog name"):
        transfer_budget(42, cat)
    with pytest.raises(TypeError):  # options are keyword-only
        transfer_budget("Luna-25", cat, 300 * u.km)


def test_family_points_and_figure(cat):
    from matplotlib.figure import Figure

    pts = {p.label: p for p in family_points(cat)}
    # transfer times from the catalog: Luna-25 'about five days', Chang'e-5 about 112 hours
    assert pts["Luna-25"].tof == 5 * u.day
    np.testing.assert_allclose(pts["Chang'e-5"].tof.to_value(u.h), 112)
    assert "Queqiao (TLI only)" in pts
    assert isinstance(transfer_family_figure(cat), Figure)


def test_comparison_patched_conic_against_n_body_flown_and_launcher(cat):
    """The lunar comparison table (issue 10's Done-when): per mission, patched-conic and
    n-body TLI/LOI, the flown transfer time and the launcher's published capability."""
    import orbits
    from orbits.lunar import refine_transfer

    lp = lunar_profiles(cat, missions=["Chang'e-5", "Luna-26"], refine=True)
    comp = lp.comparison()
    ce5, l26 = lp.profiles
    # Chang'e-5: launch 2020-11-23 20:30 UTC, lunar-orbit insertion 2020-11-28 12:58 UTC
    # (CNSA via Xinhua, 2020-11-28): 4.686 days
    flown = (Time("2020-11-28T12:58", scale="utc") - Time("2020-11-23T20:30", scale="utc"))
    assert comp.flown_tof[0].to_value(u.day) == pytest.approx(flown.to_value(u.day), abs=1e-9)
    # Long March 5: "capable of transporting an 8-ton probe to an Earth-moon transfer orbit"
    # (China Daily, 2019-12-27)
    assert comp.launcher_capability[0].to_value(u.kg) == 8000
    # the budget uses the flown figures: injection 37 min after lift-off ("separated from the
    # rocket 37 minutes after lift-off", Satellite News Digest, 2020-11), the transfer from
    # there to LOI, and the near-circular lunar orbit of about 200 km mean altitude (CNSA via
    # Xinhua, 2020-11-30); Wenchang's 19.6 deg plane (tracker issue 4) clears the Moon
    launch = Time("2020-11-23T20:30", scale="utc")
    inj = launch + 37 * u.min
    tof = Time("2020-11-28T12:58", scale="utc") - inj
    np.testing.assert_allclose(ce5.tof.to_value(u.day), tof.to_value(u.day), atol=1e-9)
    assert abs((ce5.departure - inj).to_value(u.s)) < 1e-3
    b = orbits.tli_budget(parking_altitude=200 * u.km, parking_inclination=19.6 * u.deg,
                          tof=tof.to(u.day), departure=inj, lunar_periapsis_altitude=200 * u.km,
                          lunar_apoapsis_altitude=200 * u.km)
    assert comp.tli_dv[0].to_value(KMS) == pytest.approx(b.tli_dv.to_value(KMS), rel=1e-12)
    assert comp.loi_dv[0].to_value(KMS) == pytest.approx(b.loi_dv.to_value(KMS), rel=1e-12)
    # the n-body columns are orbits.lunar.refine_transfer of that patched-conic budget
    r = refine_transfer(b, lunar_periapsis_altitude=200 * u.km)
    assert comp.refined_tli_dv[0].to_value(KMS) == pytest.approx(r.tli_dv.to_value(KMS), rel=1e-9)
    assert comp.refined_loi_dv[0].to_value(KMS) == pytest.approx(r.loi_dv.to_value(KMS), rel=1e-9)
    # a direct injection by the Long March 5 (Satellite News Digest, 2020-11); 8,200 kg on the
    # transfer (Chang'e-5 launch mass, Wikipedia)
    assert comp.basis[0] == "orbit F, tof F, direct F" and comp.flown_mass[0] == 8200 * u.kg
    # impulsive TLI in point-mass dynamics and in the patched conic differ by well under 1 %
    # (Apollo 11's trajectory: 3.157 against 3.163 km/s, seeds/authorities/apollo/ and
    # tests/orbits/test_lunar_nbody.py)
    assert abs(comp.refined_tli_dv[0] - comp.tli_dv[0]) < 0.01 * comp.tli_dv[0]
    # Luna-26 has no launch date: nothing refined, nothing flown, and it says why
    assert not np.isfinite(comp.refined_tli_dv[1].value)
    assert not np.isfinite(comp.flown_tof[1].value)
    assert l26.refinement.startswith("not refined: ")
    assert "computed" in ce5.provenance and "flown" in ce5.provenance
    assert l26.basis == "orbit A, tof A, parking A"
    # why a cell is blank is said once, in a note naming the missions, not per row
    blank = [n for n in comp.notes if n.startswith("blank 'nb': ")]
    assert len(blank) == 1 and "Luna-26: no launch date to the day" in blank[0]
    text = comp.to_text()
    assert max(len(line) for line in text.splitlines()) <= 100
    assert text.splitlines()[1].split() == ["km/s"] * 4 + ["d", "d", "kg", "kg"]


def test_change6_refined_in_a_plane_through_wenchang_and_the_moon(cat):
    """Wenchang's 19.6 deg plane only just clears the Moon's declination at Chang'e-6's
    arrival: the n-body corrector cannot reach it, so the budget uses a plane 3 deg above that
    declination, one a direct ascent from Wenchang can fly (Long March 5: a direct injection,
    Cosmic Nxws and China Daily, 2024-05-03)."""
    skyfield_api = pytest.importorskip("skyfield.api")
    import orbits
    from orbits.ephemeris import _de421_path
    from orbits.lunar import refine_transfer

    p = transfer_budget("Chang'e-6", cat, refine=True)
    # launch 2024-05-03 09:27 UTC (Wikipedia), LOI 10:12 BJT = 02:12 UTC on 2024-05-08 (CNSA via
    # Xinhua, 2024-05-08); no launch-to-injection time is published: TLI at lift-off
    launch, loi = Time("2024-05-03T09:27", scale="utc"), Time("2024-05-08T02:12", scale="utc")
    np.testing.assert_allclose(p.tof.to_value(u.day), (loi - launch).to_value(u.day), atol=1e-9)
    # Reference: Skyfield, same DE421, geometric Moon declination at the arrival
    ts = skyfield_api.load.timescale(builtin=True)
    eph = skyfield_api.load_file(str(_de421_path()))
    _, dec, _ = (eph["moon"] - eph["earth"]).at(ts.tdb_jd(loi.tdb.jd)).radec()
    assert 19.6 - 3 < abs(dec.degrees) < 19.6  # inside the margin of Wenchang's plane
    np.testing.assert_allclose(p.parking_inclination.to_value(u.deg), abs(dec.degrees) + 3,
                               atol=1e-6)
    assert p.refined_tli_dv is not None and "through Wenchang" in " ".join(p.assumptions)
    # LOI into the first lunar orbit, "roughly 200 km x 8,600 km, swinging around the Moon every
    # 12 hours" (CNSA/CGTN via Inside Outer Space, 2024-05): Kepler's third law with GM_Moon
    # 4902.800080 km3/s2 (DE421) and the mean radius 1737.4 km gives that period within 1 %
    a = 1737.4 + (200 + 8600) / 2
    assert abs(2 * np.pi * np.sqrt(a**3 / 4902.800080) / 3600 / 12 - 1) < 0.01
    assert p.lunar_orbit == "200 x 8600 km (flown)"
    # the numbers are tli_budget / refine_transfer in that plane and into that orbit
    b = orbits.tli_budget(parking_altitude=200 * u.km, parking_inclination=p.parking_inclination,
                          tof=(loi - launch).to(u.day), departure=launch,
                          lunar_periapsis_altitude=200 * u.km, lunar_apoapsis_altitude=8600 * u.km)
    assert p.loi_dv.to_value(KMS) == pytest.approx(b.loi_dv.to_value(KMS), rel=1e-12)
    r = refine_transfer(b, lunar_periapsis_altitude=200 * u.km,
                        lunar_apoapsis_altitude=8600 * u.km)
    assert p.refined_tli_dv.to_value(KMS) == pytest.approx(r.tli_dv.to_value(KMS), rel=1e-9)
    assert p.refined_loi_dv.to_value(KMS) == pytest.approx(r.loi_dv.to_value(KMS), rel=1e-9)
    assert p.basis == "orbit F, tof F, direct F"


def test_flown_times_of_flight_match_the_published_durations(cat):
    # Queqiao-2: Long March 8 separation 24 min after lift-off onto a 200 x 420,000 km transfer
    # orbit (Xinhua, 2024-03-20); braking began "after about 112 hours of flight" (CNSA via
    # Xinhua, 2024-03-25): the budget starts at the 200 km perigee and flies about 112 h
    q2 = transfer_budget("Queqiao-2", cat)
    assert q2.parking_altitude == 200 * u.km and q2.injection.startswith("direct")
    assert abs(q2.tof.to_value(u.h) - 112) < 0.5
    launch = Time("2024-03-20T00:31:28", scale="utc")  # Wikipedia
    assert abs((q2.departure - (launch + 24 * u.min)).to_value(u.s)) < 1e-3
    # Chang'e-4: "after nearly 110 hours of flight" (China Daily, 2018-12-12), launch to LOI
    ce4 = transfer_budget("Chang'e-4", cat)
    assert 109 < ce4.tof.to_value(u.h) <= 110.5 and ce4.basis == "orbit F, tof F, parking A"
    # Long March 3B: only 3,300 kg to an Earth-escape orbit is published (Wikipedia infobox,
    # 2008, citing Gunter's Space Page), shown as the launcher's figure with that caveat
    assert ce4.launcher_capability == 3300 * u.kg and "C3 = 0" in ce4.launcher_source
