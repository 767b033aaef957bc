"""Catalog lunar missions' transfer profiles (missions.lunar_profiles)."""

import dataclasses

import numpy as np
import pytest
from astropy import units as u

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


def test_luna25_from_its_own_site_and_orbit(cat):
    p = transfer_budget("Luna-25", cat)
    rec = cat.mission("luna-25")
    # site, vehicle, date and orbit are the catalog's own (catalog record cites its sources)
    assert p.launch_site == cat.site(rec.launch_site).name
    assert p.parking_inclination == 51.7 * u.deg  # Vostochny (tracker issue 4)
    assert abs((p.departure - rec.launch_date.time).to_value(u.s)) < 1e-3
    assert p.tof == rec.transfer_time
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
    rec = dataclasses.replace(cat.mission("luna-25"), launch=None, orbits=(), transfer=())
    p = transfer_budget(rec, cat)
    text = " ".join(p.assumptions)
    assert "launch site not in catalog: " in text and "Vostochny" in p.launch_site
    assert "transfer time not in catalog" in text and p.tof == 4.5 * u.day
    assert "mean circular Moon" in text and p.moon_model == "mean circular"
    assert p.site_overflown is None and p.in_plane is None


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
    from astropy.time import Time

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
    # the n-body columns are orbits.lunar.refine_transfer of the same patched-conic budget
    b = orbits.tli_budget(parking_altitude=200 * u.km,
                          parking_inclination=ce5.parking_inclination, tof=ce5.tof,
                          departure=ce5.departure)
    r = refine_transfer(b, lunar_periapsis_altitude=100 * u.km)
    assert comp.refined_tli_dv[0].to_value(KMS) == pytest.approx(r.tli_dv.to_value(KMS), rel=1e-9)
    assert comp.refined_loi_dv[0].to_value(KMS) == pytest.approx(r.loi_dv.to_value(KMS), rel=1e-9)
    # impulsive TLI in point-mass dynamics and in the patched conic differ by well under 1 %
    # (Apollo 11's trajectory: 3.157 against 3.163 km/s, seeds/authorities/apollo/ and
    # tests/orbits/test_lunar_nbody.py)
    assert abs(comp.refined_tli_dv[0] - comp.tli_dv[0]) < 0.01 * comp.tli_dv[0]
    # Luna-26 has no launch date: nothing refined, nothing flown, and it says why
    assert not np.isfinite(comp.refined_tli_dv[1].value)
    assert not np.isfinite(comp.flown_tof[1].value)
    assert l26.refinement.startswith("not refined: ")
    assert "computed" in ce5.provenance and "flown" in ce5.provenance
    assert max(len(line) for line in comp.to_text().splitlines()) <= 100
