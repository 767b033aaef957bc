"""Ascent lead and phasing drift (orbits.ascent).

Sources of expected values (each computed in the test, independently of orbits.ascent):
- astropy: the launch site's inertial (TETE, true equator and equinox of date) position and
  velocity from EarthLocation (WGS 84) and the Earth-rotation model, and the normal of a plane
  of given inclination through the site, solved in the test.
- scipy: numerical integration of the out-of-plane motion y'' = -n^2 y - a during the ascent.
- boinor.bodies.Earth (k, R, J2): the textbook J2 node rate -3/2 n J2 (R/p)^2 cos i
  (Vallado 4th ed., eq. 9-41; Curtis eq. 4.52).
- sgp4 (Satrec.sgp4init, no drag): the node of a 250 km chaser propagated over two days.
- Published figures from seeds/authorities/launches/ascent-profiles.toml: Soyuz-2.1a reaches
  orbit 528.9 s after lift-off (Roscosmos via Parabolic Arc, Progress MS-18, source
  roscosmos-pms18); Baikonur Site 31/6 at 45.996111 N, 63.563889 E (launch-pads.toml,
  spaceballistics-geolocations).
"""

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import TETE, EarthLocation
from astropy.time import Time
from astropy.utils import iers
from numpy.testing import assert_allclose

from orbits.ascent import (
    AscentLead,
    LaunchTime,
    PhasingShift,
    ascent_lead,
    launch_time,
    out_of_plane_speed,
    phasing_shift,
)
from orbits.errors import ArgumentError, ArgumentTypeError

iers.conf.auto_download = False

PAD_LAT, PAD_LON = 45.996111, 63.563889  # Baikonur 31/6 (launch-pads.toml)
ISS_INC = 51.64  # deg


def _site_state_tete(lat, lon, t):
    """Site position (km) and velocity (km/s) in TETE from astropy, by central differences."""
    loc = EarthLocation.from_geodetic(lon * u.deg, lat * u.deg, 0 * u.m, ellipsoid="WGS84")
    dt = 0.5 * u.s
    times = t + u.Quantity([-dt, 0 * u.s, dt])
    xyz = loc.get_itrs(obstime=times).transform_to(TETE(obstime=times)).cartesian.xyz.to_value(u.km)
    r = xyz[:, 1]
    v = (xyz[:, 2] - xyz[:, 0]) / (2 * dt.to_value(u.s))
    return r, v


def _plane_normals_through(r, inc_deg):
    """Unit normals (sin i sin W, -sin i cos W, cos i) of the two planes of inclination i that
    contain the position r (solved here for the node W)."""
    i = np.radians(inc_deg)
    rho, phi = np.hypot(r[0], r[1]), np.arctan2(r[1], r[0])
    s = -r[2] / (np.tan(i) * rho)
    out = []
    for node in (phi + np.arcsin(s), phi + np.pi - np.arcsin(s)):
        out.append(np.array([np.sin(i) * np.sin(node), -np.sin(i) * np.cos(node), np.cos(i)]))
    return out


@pytest.mark.parametrize("lat,lon,inc", [(PAD_LAT, PAD_LON, ISS_INC),
                                         (19.614492, 110.951133, 41.47),  # Wenchang, CSS
                                         (40.9606, 100.2983, 41.47)])     # Jiuquan, CSS
def test_out_of_plane_speed_matches_astropy_site_velocity(lat, lon, inc):
    t = Time("2024-05-30T09:40:00", scale="utc")
    r, v = _site_state_tete(lat, lon, t)
    got = out_of_plane_speed(lat * u.deg, inc * u.deg).to_value(u.km / u.s)
    for n in _plane_normals_through(r, inc):
        assert abs(np.dot(n, r)) < 1e-6 * np.linalg.norm(r)  # the site is in that plane
        # astropy true-of-date frame vs a uniformly rotating Earth: agree to 0.03 %
        assert_allclose(got, abs(np.dot(n, v)), rtol=3e-4)


def test_out_of_plane_speed_vanishes_for_a_due_east_launch():
    # inclination equal to the geocentric latitude: the plane is tangent to the site's circle
    from orbits import geocentric_latitude

    lat_gc = geocentric_latitude(PAD_LAT * u.deg)
    assert out_of_plane_speed(PAD_LAT * u.deg, lat_gc).to_value(u.km / u.s) < 1e-4
    # polar orbit from the equator: the whole 0.4651 km/s ground speed is out of plane
    # (WGS 84 equatorial radius 6378.137 km x 7.292115e-5 rad/s)
    assert_allclose(out_of_plane_speed(0 * u.deg, 90 * u.deg).to_value(u.km / u.s),
                    6378.137 * 7.292115e-5, rtol=1e-9)


def test_lead_cancels_out_of_plane_motion_in_a_numerical_ascent():
    """Lift off `lead` before the in-plane instant, cancel the normal velocity with a constant
    lateral acceleration: scipy's integration ends in the plane at rest."""
    from scipy.integrate import solve_ivp

    T = 528.9  # s, Soyuz-2.1a (roscosmos-pms18)
    res = ascent_lead(T * u.s, insertion_altitude=200 * u.km,
                      latitude=PAD_LAT * u.deg, inclination=ISS_INC * u.deg)
    lead = res.lead.to_value(u.s)
    vn = res.out_of_plane_speed.to_value(u.km / u.s)
    r = 6378.137 + 100.0
    n2 = 398600.4418 / r**3
    y0 = -vn * lead  # the site approaches the plane at vn

    def final(a):
        sol = solve_ivp(lambda t, s: [s[1], -n2 * s[0] - a], (0, T), [y0, vn],
                        rtol=1e-11, atol=1e-12)
        return sol.y[:, -1]

    # choose the acceleration that stops the normal motion, then check the position
    a0, a1 = 0.0, 1e-3
    v0, v1 = final(a0)[1], final(a1)[1]
    a = a0 - v0 * (a1 - a0) / (v1 - v0)  # y'(T) is linear in a
    y_end, v_end = final(a)
    assert abs(v_end) < 1e-9
    assert abs(y_end) < 1e-3  # km: within 1 m of the plane (lift-off 38 km away)
    assert abs(y0) > 30.0


def test_lead_limits():
    # no ascent, no lead; a short ascent: T/2 (gravity negligible); long: more than T/2
    assert ascent_lead(0 * u.s).lead.to_value(u.s) == 0.0
    assert_allclose(ascent_lead(10 * u.s).lead.to_value(u.s), 5.0, rtol=1e-4)  # tan x ~ x
    long = ascent_lead(600 * u.s)
    assert long.lead > long.lead_small_angle
    assert long.lead < 0.6 * 600 * u.s
    leads = ascent_lead([100, 300, 500] * u.s).lead.to_value(u.s)
    assert np.all(np.diff(leads) > 0)


def _node_rate_textbook(alt_km, inc_deg):
    from boinor.bodies import Earth

    k = Earth.k.to_value(u.km**3 / u.s**2)
    R = Earth.R.to_value(u.km)
    J2 = float(Earth.J2.value)
    a = R + alt_km
    n = np.sqrt(k / a**3)
    return np.degrees(-1.5 * n * J2 * (R / a) ** 2 * np.cos(np.radians(inc_deg))) * 86400.0


def test_phasing_node_offset_matches_textbook_j2_rates():
    ph = phasing_shift(ISS_INC * u.deg, target_altitude=415 * u.km, phasing_altitude=254 * u.km,
                       phasing_duration=50.1 * u.h, second_order=False)
    rc, rt = _node_rate_textbook(254, ISS_INC), _node_rate_textbook(415, ISS_INC)
    assert_allclose(ph.chaser_node_rate.to_value(u.deg / u.day), rc, rtol=1e-4)
    assert_allclose(ph.target_node_rate.to_value(u.deg / u.day), rt, rtol=1e-4)
    offset = (rc - rt) * 50.1 / 24
    assert_allclose(ph.node_offset.to_value(u.deg), offset, rtol=1e-3)
    # the site reaches a node `-offset` further east after -offset / (sidereal rate - rt)
    sidereal = 360.0 / 0.99726957  # deg/day (sidereal day 0.99726957 d)
    assert_allclose(ph.time_shift.to_value(u.day), -offset / (sidereal - rt), rtol=1e-4)
    assert ph.node_offset < 0 * u.deg and ph.time_shift > 0 * u.s


def test_chaser_node_rate_matches_sgp4_propagation():
    """The second-order rate against the node of an SGP4 chaser (no drag) after two days."""
    from sgp4.api import WGS72, Satrec

    inc = np.radians(ISS_INC)
    alt = 254.0
    a = 6378.135 + alt  # WGS 72 radius, as SGP4
    n_rad_min = np.sqrt(398600.8 / a**3) * 60.0
    sat = Satrec()
    # epoch 25000 days after 1949-12-31 (2018-06-13), no drag, near-circular
    sat.sgp4init(WGS72, "i", 1, 25000.0, 0.0, 0.0, 0.0, 1e-4, 0.0, inc, 0.0, n_rad_min, 1.0)

    def mean_node(t0_days):
        ts = t0_days + np.linspace(0, 2 * np.pi / n_rad_min / 1440.0, 200, endpoint=False)
        nodes = []
        for t in ts:
            _, r, v = sat.sgp4(sat.jdsatepoch, sat.jdsatepochF + t)
            h = np.cross(r, v)
            nodes.append(np.arctan2(h[0], -h[1]))
        return np.degrees(np.unwrap(nodes)).mean()

    rate_sgp4 = (mean_node(2.0) - mean_node(0.0)) / 2.0
    ph = phasing_shift(ISS_INC * u.deg, target_altitude=415 * u.km, phasing_altitude=alt * u.km,
                       phasing_duration=1 * u.day, second_order=True)
    # SGP4 agrees to 0.03 %; 0.2 % covers its Kozai-vs-Brouwer mean motion
    assert_allclose(ph.chaser_node_rate.to_value(u.deg / u.day), rate_sgp4, rtol=2e-3)


def test_phasing_limits():
    same = phasing_shift(41.47 * u.deg, target_altitude=385 * u.km, phasing_altitude=385 * u.km,
                         phasing_duration=6.5 * u.h)
    assert same.time_shift.to_value(u.s) == pytest.approx(0.0, abs=1e-9)
    none = phasing_shift(41.47 * u.deg, target_altitude=385 * u.km, phasing_altitude=266 * u.km,
                         phasing_duration=0 * u.h)
    assert none.time_shift.to_value(u.s) == 0.0
    higher = phasing_shift(41.47 * u.deg, target_altitude=385 * u.km, phasing_altitude=450 * u.km,
                           phasing_duration=6.5 * u.h)
    assert higher.time_shift < 0 * u.s  # a chaser above the target launches earlier


def test_launch_time_combines_lead_phasing_and_bias():
    t0 = Time(["2025-04-08T05:50:23", "2025-04-09T05:25:00"], scale="utc")
    kw = {"latitude": PAD_LAT * u.deg, "inclination": ISS_INC * u.deg,
              "ascent_duration": 528.9 * u.s, "target_altitude": 415 * u.km}
    res = launch_time(t0, phasing_altitude=205 * u.km, phasing_duration=3.2 * u.h,
                      bias=45 * u.s, **kw)
    assert isinstance(res, LaunchTime) and len(res) == 2
    lead = ascent_lead(528.9 * u.s).lead
    ph = phasing_shift(ISS_INC * u.deg, target_altitude=415 * u.km, phasing_altitude=205 * u.km,
                       phasing_duration=3.2 * u.h).time_shift
    expected = t0 - lead + ph + 45 * u.s
    assert np.all(np.abs((res.launch_time - expected).to_value(u.s)) < 1e-3)
    assert res.to_dict()["rows"][0].keys() >= {"time", "launch_time"}
    assert "launch" in res.to_table().colnames
    plain = launch_time(t0[0], **kw)
    assert_allclose((plain.launch_time[0] - t0[0]).to_value(u.s), -lead.to_value(u.s), atol=1e-3)


def test_results_are_result_objects():
    assert isinstance(ascent_lead(500 * u.s), AscentLead)
    r = phasing_shift(ISS_INC * u.deg, target_altitude=415 * u.km, phasing_altitude=254 * u.km,
                      phasing_duration=50.1 * u.h)
    assert isinstance(r, PhasingShift)
    assert repr(r).startswith("<PhasingShift node -")
    assert all(len(line) <= 100 for line in r.to_text().splitlines())


def test_bad_input():
    with pytest.raises(ArgumentTypeError, match="ascent_duration"):
        ascent_lead(529)
    with pytest.raises(ArgumentError, match="ascent_duration"):
        ascent_lead(-1 * u.s)
    with pytest.raises(ArgumentError, match="not reachable"):
        out_of_plane_speed(PAD_LAT * u.deg, 30 * u.deg)
    with pytest.raises(ArgumentError, match="target_altitude"):
        launch_time(Time("2025-01-01"), latitude=PAD_LAT * u.deg, inclination=ISS_INC * u.deg,
                    ascent_duration=529 * u.s, phasing_altitude=200 * u.km,
                    phasing_duration=3 * u.h)
    with pytest.raises(ArgumentError, match="together"):
        launch_time(Time("2025-01-01"), latitude=PAD_LAT * u.deg, inclination=ISS_INC * u.deg,
                    ascent_duration=529 * u.s, phasing_altitude=200 * u.km)
