"""South-pole access: IAU lunar rotation, Sun/Earth/relay from a site, node drift, access table."""

import importlib.resources
from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline

from orbits.core.constants import GM_EARTH, GM_MOON, R_MOON
from orbits.errors import ArgumentError, ArgumentTypeError
from orbits.lunar import (
    QUEQIAO_2,
    lunar_node_drift,
    lunar_orbit_properties,
    site_sky,
    south_pole_access,
)
from orbits.moon_frame import icrf_to_moon_fixed, sub_point
from tests.iau_moon import seed_moon_matrix

SEEDS = Path(__file__).parents[2] / "seeds" / "authorities" / "moon"
DE421 = str(importlib.resources.files("skyfield_data") / "data" / "de421.bsp")
# Chang'e-7's planned site (catalog: missions/data/30_lunar.toml, Wikipedia 'Chang'e 7')
CE7 = (-88.8 * u.deg, 123.4 * u.deg)
# Luna-25's primary site north of Boguslawsky (catalog, Roscosmos/IKI)
LUNA25 = (-69.545 * u.deg, 43.544 * u.deg)




def test_rotation_matches_the_iau_seed_coefficients():
    for iso in ("2000-01-01T12:00", "2020-11-23T20:30", "2026-08-15T00:00"):
        t = Time(iso, scale="tdb")
        np.testing.assert_allclose(icrf_to_moon_fixed(t), seed_moon_matrix(t), atol=1e-12)


def test_sun_elevation_against_skyfield_and_the_iau_model():
    # Independent path: skyfield reads DE421 (geometric Moon->Sun vector) and the seed-file
    # rotation; the site is a unit vector on the sphere.
    from skyfield.api import load, load_file

    ts = load.timescale(builtin=True)
    planets = load_file(DE421)
    start = Time("2026-08-01T00:00", scale="utc")
    sky = site_sky(*CE7, start, duration=3 * u.day, step=6 * u.h, name="CE-7")
    lat, lon = np.radians(-88.8), np.radians(123.4)
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    for k in range(len(sky)):
        t = sky.time[k]
        tt = ts.tt_jd(t.tt.jd)
        s = (planets["sun"] - planets["moon"]).at(tt).position.km
        rel = seed_moon_matrix(t) @ s - R_MOON * up
        el = np.degrees(np.arcsin(rel @ up / np.linalg.norm(rel)))
        assert sky.sun_elevation[k].to_value(u.deg) == pytest.approx(el, abs=2e-4)


def test_subsolar_latitude_stays_within_the_lunar_obliquity():
    # Lunar equator to ecliptic I = 1.54242 deg (Meeus, Astronomical Algorithms 2nd ed., ch. 53);
    # the Sun's selenographic latitude reaches it each year, plus up to ~0.03 deg of physical
    # libration and ~0.013 deg from the Moon's distance off the ecliptic (5.145 deg x 384,400 km
    # seen from 1 au).
    from orbits.ephemeris import geocentric_states_km

    t = Time("2025-01-01", scale="tdb") + np.arange(0, 366, 0.25) * u.day
    rm, _ = geocentric_states_km("moon", t)
    rs, _ = geocentric_states_km("sun", t)
    lat, _ = sub_point(rs - rm, t)
    m = np.max(np.abs(lat.to_value(u.deg)))
    assert 1.53 < m < 1.60
    # optical libration in latitude up to about 6.7 deg (Meeus ch. 53), physical adds < 0.2
    lat_e, lon_e = sub_point(-rm, t)
    assert 6.4 < np.max(np.abs(lat_e.to_value(u.deg))) < 7.0
    # libration in longitude up to about 7.9 deg (Meeus ch. 53)
    assert 7.4 < np.max(np.abs(lon_e.to_value(u.deg))) < 8.3


def test_polar_site_sees_a_low_sun_and_the_earth_half_the_time():
    sky = site_sky(*CE7, "2026-08-01", step=2 * u.h, name="CE-7")
    # 1.2 deg from the pole: the Sun can never be higher than 1.2 + 1.59 deg (bound above)
    assert float(np.max(np.abs(sky.sun_elevation.to_value(u.deg)))) < 1.2 + 1.6
    # the Earth swings +-6.9 deg in latitude (libration): about half the month above the
    # horizon from 88.8 S (geometry; Meeus ch. 53)
    assert 0.25 < sky.earth_fraction < 0.75
    # Luna-25's site at 69.5 S, 43.5 E is on the near side: the Earth is always up
    # (20.5 deg colatitude > 6.9 deg libration)
    near = site_sky(*LUNA25, "2026-08-01", step=6 * u.h)
    assert near.earth_fraction == 1.0
    assert 0.4 < near.sunlit_fraction < 0.6


def test_queqiao2_orbit_has_a_24h_period():
    # Queqiao-2: 200 x 16,000 km frozen elliptical orbit, 24 h (CNSA, April 2024)
    p = lunar_orbit_properties(200 * u.km, 16000 * u.km)
    assert p.period.to_value(u.h) == pytest.approx(24.0, rel=0.02)


def test_relay_visibility_from_the_pole_matches_two_body_geometry():
    # Seen from the south pole (spherical Moon) the relay is above the horizon when its
    # Moon-fixed z < -R. Two-body by hand: Queqiao-2's 200 x 16,000 km, 62.4 deg orbit with
    # argp 90 deg (assumed: apolune over the south), sampled uniformly in mean anomaly.
    rp, ra = R_MOON + 200.0, R_MOON + 16000.0
    a, e = 0.5 * (rp + ra), (ra - rp) / (ra + rp)
    mean = np.linspace(0, 2 * np.pi, 20001)[:-1]
    ecc = mean.copy()
    for _ in range(50):
        ecc = ecc - (ecc - e * np.sin(ecc) - mean) / (1 - e * np.cos(ecc))
    nu = 2 * np.arctan2(np.sqrt(1 + e) * np.sin(ecc / 2), np.sqrt(1 - e) * np.cos(ecc / 2))
    r = a * (1 - e * np.cos(ecc))
    z = r * np.sin(np.pi / 2 + nu) * np.sin(np.radians(62.4))
    expect = np.mean(z < -R_MOON)
    sky = site_sky(-90 * u.deg, 0 * u.deg, "2026-08-01", duration=4 * u.day, step=5 * u.min,
                   relay=QUEQIAO_2)
    assert sky.relay_fraction == pytest.approx(expect, abs=0.02)
    assert expect > 0.6  # the point of a frozen south-apolune relay orbit
    assert any("assumed" in n for n in sky.notes)


def test_j2_node_rate_matches_the_textbook_formula():
    # Vallado 4th ed. eq. 9-41: dOmega/dt = -3/2 n J2 (R/p)^2 cos i, LP150Q J2 and R = 1738 km
    d = lunar_node_drift(100 * u.km, 30 * u.deg, epoch="2026-08-01")
    a = R_MOON + 100.0
    n = np.sqrt(GM_MOON / a**3)
    expect = -1.5 * n * 2.0321568e-4 * (1738.0 / a) ** 2 * np.cos(np.radians(30))
    assert d.j2_rate.to_value(u.rad / u.s) == pytest.approx(expect, rel=1e-9)
    assert abs(lunar_node_drift(100 * u.km, 90 * u.deg, epoch="2026-08-01").c22_amplitude
               .to_value(u.deg)) < 1e-12  # polar: cos i = 0 (Kaula's F_221 derivative)


def test_earth_third_body_drift_against_a_numerical_integration():
    # Two-body Moon plus the Earth as a point mass from DE421, integrated with scipy's DOP853
    # over a sidereal month; the node (on the lunar equator of the start epoch) drifts at the
    # doubly averaged rate of lunar_node_drift (no J2 in either).
    from orbits.ephemeris import geocentric_states_km
    from orbits.lunar.south_pole import _equator_frame

    t0 = Time("2026-08-01", scale="tdb")
    days = 27.3
    grid = t0 + np.linspace(-1, days + 1, 400) * u.day
    rm, _ = geocentric_states_km("moon", grid)
    sec = (grid - t0).to_value(u.s)
    earth = CubicSpline(sec, -rm)  # Earth relative to the Moon, ICRF km
    frame = _equator_frame(t0)
    alt, inc = 200.0, np.radians(62.4)
    a = R_MOON + alt
    drift = lunar_node_drift(alt * u.km, inc * u.rad, epoch=t0, raan=0 * u.deg)
    v = np.sqrt(GM_MOON / a)
    r0 = frame.T @ np.array([a, 0.0, 0.0])
    v0 = frame.T @ np.array([0.0, v * np.cos(inc), v * np.sin(inc)])

    def rhs(t, y):
        r = y[:3]
        d = earth(t)
        acc = -GM_MOON * r / np.linalg.norm(r) ** 3 + GM_EARTH * (
            (d - r) / np.linalg.norm(d - r) ** 3 - d / np.linalg.norm(d) ** 3)
        return np.concatenate([y[3:], acc])

    sol = solve_ivp(rhs, (0, days * 86400), np.concatenate([r0, v0]), method="DOP853",
                    rtol=1e-8, atol=1e-6)
    r, vv = sol.y[:3, -1], sol.y[3:, -1]
    h = frame @ np.cross(r, vv)
    node = np.degrees(np.arctan2(h[0], -h[1]))
    expect = drift.earth_rate.to_value(u.deg / u.day) * days
    assert abs(expect) > 0.1  # a measurable drift, so the comparison below means something
    assert node == pytest.approx(expect, rel=0.2)


def test_access_table_for_the_catalog_polar_sites():
    from missions import load_catalog

    cat = load_catalog()
    sites = {m.name: (m.landing_site.latitude, m.landing_site.longitude)
             for m in cat.missions
             if m.landing_site is not None and m.landing_site.latitude.to_value(u.deg) < -60}
    assert {"Chang'e-7", "Luna-25"} <= set(sites)
    acc = south_pole_access(sites, start="2026-08-01",
                            inclinations=[90, 88, 62.4] * u.deg, step=4 * u.h)
    rows = {(s, round(float(i.to_value(u.deg)), 1)): k
            for k, (s, i) in enumerate(zip(acc.site, acc.inclination))}
    ce7_polar = rows[("Chang'e-7", 90.0)]
    # 88.8 S is under a polar plane twice per turn of the Moon under it (27.32 d sidereal
    # month, node drift ~0 for i = 90): interval half a sidereal month
    assert acc.reaches[ce7_polar]
    assert acc.interval[ce7_polar].to_value(u.day) == pytest.approx(27.321661 / 2, rel=0.01)
    assert acc.passes[ce7_polar] in (1, 2, 3)
    # an 88 deg orbit never reaches 88.8 S (|lat| > i), a 62.4 deg one neither reaches Luna-25
    assert not acc.reaches[rows[("Chang'e-7", 88.0)]]
    assert acc.passes[rows[("Chang'e-7", 88.0)]] == 0
    assert not acc.reaches[rows[("Luna-25", 62.4)]]
    assert acc.to_table()["site"][0] in sites
    assert "sites" in repr(acc)


def test_south_pole_figure():
    from matplotlib.figure import Figure

    from orbits.plots.south_pole import south_pole_access_figure

    acc = south_pole_access({"CE-7": CE7, "pole": (-90 * u.deg, 0 * u.deg)},
                            start="2026-08-01", step=6 * u.h, relay=None)
    sky = site_sky(*CE7, "2026-08-01", step=6 * u.h, name="CE-7")
    fig = south_pole_access_figure(acc, [sky])
    assert isinstance(fig, Figure)
    # geometry: the pole lies in every polar plane at all times
    k = list(acc.site).index("pole")
    assert acc.reaches[k] and acc.interval[k].to_value(u.day) == 0.0
    with pytest.raises(ArgumentTypeError, match="SouthPoleAccess"):
        south_pole_access_figure(sky)


def test_bad_input_names_the_argument():
    with pytest.raises(ArgumentError, match="Chang'e-8.*no coordinates"):
        south_pole_access({"Chang'e-8": None}, start="2026-08-01")
    with pytest.raises(ArgumentError, match="no coordinates"):
        site_sky(None, 10 * u.deg, "2026-08-01")
    with pytest.raises(ArgumentError, match="latitude"):
        site_sky(-95 * u.deg, 0 * u.deg, "2026-08-01")
    with pytest.raises(ArgumentTypeError, match="relay"):
        site_sky(*CE7, "2026-08-01", relay="Queqiao-2")
    with pytest.raises(ArgumentError, match="inclination"):
        lunar_node_drift(100 * u.km, 0 * u.deg, epoch="2026-08-01")
