"""Launch-site geometry (orbits.launch, orbits.core.sites).

Sources of expected values:
- astropy EarthLocation (WGS 84 geodetic -> geocentric Cartesian), computed in the test.
- boinor: the inclination of the orbit built from the site's position and the launch velocity.
- astropy sidereal time (IAU 1982 model) and astropy's ITRS -> TEME transformation.
- Vallado 4th ed., Example 3-5: GMST on 1992 August 20, 12:14 UT1 = 152.578787886 deg.
- Published launch times (UTC) of station flights, with pad coordinates:
  Progress MS-27, 2024-05-30 09:43, Baikonur Site 31 (45.996 N, 63.564 E) -- NASA launch
    coverage, "Russian Progress MS-27 Cargo Spacecraft Launch", 2024-05-30 (09:43 UTC);
  Soyuz MS-25, 2024-03-23 12:36, Baikonur Site 31 -- NASASpaceflight.com, "Soyuz MS-25 has
    finally launched", 2024-03-23 (12:36 UTC; Roscosmos: 15:36 Moscow time);
  Tianzhou-7, 2024-01-17 14:27, Wenchang LC-201 (19.614 N, 110.951 E) -- Space.com, "China
    launches Tianzhou 7 cargo craft", 2024-01-17 (1427 GMT, 10:27 p.m. Beijing time);
  Shenzhou-18, 2024-04-25 12:59, Jiuquan LC-43/91 (40.958 N, 100.291 E) -- CMSA mission page
    en.cmse.gov.cn/missions/shenzhou18 (20:59 Beijing time, UTC+8).
  Target planes from seeds/authorities/stations-2024-05-09.tle.
"""

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import EarthLocation
from astropy.time import Time
from astropy.utils import iers
from numpy.testing import assert_allclose

from orbits import launch as L
from orbits.core import sites as core
from orbits.core.constants import GM_EARTH, OMEGA_EARTH, R_EARTH

iers.conf.auto_download = False
KMS = u.km / u.s


def _astropy_geocentric(lat_deg, lon_deg=0.0):
    loc = EarthLocation.from_geodetic(lon_deg * u.deg, lat_deg * u.deg, 0 * u.m, ellipsoid="WGS84")
    x, y, z = (c.to_value(u.km) for c in (loc.x, loc.y, loc.z))
    return np.degrees(np.arctan2(z, np.hypot(x, y))), np.hypot(x, y)


@pytest.mark.parametrize("lat", [51.88, 45.965, 19.614, 40.958, 28.5, -5.2, 0.0, 89.0])
def test_geocentric_latitude_and_min_inclination_match_astropy(lat):
    ref, _ = _astropy_geocentric(lat)
    assert_allclose(L.geocentric_latitude(lat * u.deg).to_value(u.deg), ref, atol=1e-9)
    assert_allclose(L.min_inclination(lat * u.deg).to_value(u.deg), abs(ref), atol=1e-9)


def test_vostochny_min_inclination():
    # the brief's figure: Vostochny at 51.88 deg geodetic reaches down to about 51.7 deg;
    # astropy geocentric latitude as the exact reference
    ref, _ = _astropy_geocentric(51.88)
    got = L.min_inclination(51.88 * u.deg).to_value(u.deg)
    assert abs(got - 51.7) < 0.05
    assert_allclose(got, ref, atol=1e-9)


@pytest.mark.parametrize("lat", [0.0, 28.5, 45.965, 62.9])
def test_rotation_speed_matches_astropy_axis_distance(lat):
    _, rho = _astropy_geocentric(lat)
    assert_allclose(L.rotation_speed(lat * u.deg).to_value(KMS), OMEGA_EARTH * rho, rtol=1e-12)
    # equator: omega * R = 7.292115e-5 * 6378.137 = 0.46510 km/s (Vallado constants, Table D-1)
    if lat == 0.0:
        assert_allclose(L.rotation_speed(0 * u.deg).to_value(KMS), 0.46510, atol=1e-5)


def _site_frame(lat_gc, ra):
    r_hat = np.array([np.cos(lat_gc) * np.cos(ra), np.cos(lat_gc) * np.sin(ra), np.sin(lat_gc)])
    east = np.array([-np.sin(ra), np.cos(ra), 0.0])
    north = np.cross(r_hat, east)
    return r_hat, east, north


def _boinor_orbit(r, v):
    from boinor.bodies import Earth
    from boinor.twobody import Orbit

    return Orbit.from_vectors(Earth, r * u.km, v * KMS)


@pytest.mark.parametrize("lat, inc", [(45.965, 51.64), (19.614, 41.47), (62.93, 97.6),
                                      (28.5, 28.5), (-7.9, 63.4), (5.2, 170.0)])
def test_launch_azimuths_give_the_inclination_in_boinor(lat, inc):
    az = L.launch_azimuth(lat * u.deg, inc * u.deg, altitude=200 * u.km)
    lat_gc = L.geocentric_latitude(lat * u.deg).to_value(u.rad)
    r_hat, east, north = _site_frame(lat_gc, 0.7)
    r = (R_EARTH + 200.0) * r_hat
    v = np.sqrt(GM_EARTH / (R_EARTH + 200.0))
    assert_allclose(az.orbit_speed.to_value(KMS), v, rtol=1e-12)
    for kind in ("ascending", "descending"):
        b = getattr(az, f"inertial_{kind}").to_value(u.rad)
        vel = v * (np.sin(b) * east + np.cos(b) * north)
        orb = _boinor_orbit(r, vel)
        assert_allclose(orb.inc.to_value(u.deg), inc, atol=1e-7)
        # ascending: the orbit moves north past the site (argument of latitude in (-90, 90))
        # (moving north: v_z >= 0; south for descending; both 0 when launching due east)
        sign = 1.0 if kind == "ascending" else -1.0
        assert sign * vel[2] >= -1e-9
        # rotating frame: ground-relative velocity plus the ground's own speed is the inertial
        # velocity of the orbit (inclination and speed both recovered)
        br = getattr(az, f"rotating_{kind}").to_value(u.rad)
        dv = getattr(az, f"dv_{kind}").to_value(KMS)
        v_in = dv * (np.sin(br) * east + np.cos(br) * north) + \
            az.ground_speed.to_value(KMS) * east
        assert_allclose(np.linalg.norm(v_in), v, rtol=1e-12)
        assert_allclose(_boinor_orbit(r, v_in).inc.to_value(u.deg), inc, atol=1e-7)


def test_launch_azimuth_due_east_at_min_inclination_and_rotation_helps():
    az = L.launch_azimuth(45.965 * u.deg, L.min_inclination(45.965 * u.deg))
    assert_allclose(az.inertial_ascending.to_value(u.deg), 90.0, atol=1e-5)
    # launching east, the ground speed is subtracted from what the vehicle must supply
    assert_allclose(az.dv_ascending.to_value(KMS),
                    az.orbit_speed.to_value(KMS) - az.ground_speed.to_value(KMS), rtol=1e-9)


def test_unreachable_inclination_raises_with_range():
    with pytest.raises(ValueError, match=r"inclination 41\.47 deg cannot be reached.*\[45\.7"):
        L.launch_azimuth(45.965 * u.deg, 41.47 * u.deg)


def test_dogleg_baikonur_to_chinese_station_boinor():
    # Baikonur (45.965 N) to the CSS plane (41.4681 deg, TLE file): insert at the site's
    # minimum inclination, turn at the node. Reference: boinor velocity difference between the
    # two circular orbits at their common node.
    res = L.dogleg_dv(45.965 * u.deg, 41.4681 * u.deg, altitude=390 * u.km)
    i_min = L.min_inclination(45.965 * u.deg).to_value(u.deg)
    assert not res.direct
    assert_allclose(res.reachable_inclination.to_value(u.deg), i_min, rtol=1e-12)
    assert_allclose(res.plane_change.to_value(u.deg), i_min - 41.4681, rtol=1e-9)
    from boinor.bodies import Earth
    from boinor.twobody import Orbit

    a = (R_EARTH + 390.0) * u.km
    o1 = Orbit.from_classical(Earth, a, 0 * u.one, i_min * u.deg, 0 * u.deg, 0 * u.deg, 0 * u.deg)
    o2 = Orbit.from_classical(Earth, a, 0 * u.one, 41.4681 * u.deg, 0 * u.deg, 0 * u.deg,
                              0 * u.deg)
    assert_allclose(res.dv.to_value(KMS), np.linalg.norm((o2.v - o1.v).to_value(KMS)), rtol=1e-9)
    # and directly reachable planes cost nothing
    ok = L.dogleg_dv(19.614 * u.deg, [41.47, 51.64, 97.0] * u.deg)
    assert np.all(ok.direct) and np.all(ok.dv.value == 0)


def test_dogleg_corridor_against_azimuth_sweep():
    # reachable inclinations within an azimuth corridor, checked by sweeping the corridor with
    # cos i = cos(lat) sin(az) (Napier's rule) on a fine grid
    lat = L.geocentric_latitude(19.614 * u.deg).to_value(u.rad)
    for lo, hi in ((90.0, 175.0), (40.0, 120.0), (-20.0, 60.0), (200.0, 300.0)):
        az = np.radians(np.linspace(lo, hi, 200001))
        inc = np.degrees(np.arccos(np.cos(lat) * np.sin(az)))
        c_lo, c_hi = core.corridor_inclinations(lat, np.radians(lo), np.radians(hi))
        assert_allclose(np.degrees([c_lo, c_hi]), [inc.min(), inc.max()], atol=1e-6)
    # a target above the corridor's maximum: the plane change is the difference
    res = L.dogleg_dv(19.614 * u.deg, 97.0 * u.deg, azimuth_range=(90 * u.deg, 175 * u.deg))
    inc = np.degrees(np.arccos(np.cos(lat) * np.sin(np.radians(np.linspace(90, 175, 200001)))))
    assert_allclose(res.plane_change.to_value(u.deg), 97.0 - inc.max(), atol=1e-6)


def test_gmst_vallado_3_5_and_astropy():
    # Vallado 4th ed., Example 3-5: 1992-08-20 12:14 UT1 -> GMST 152.578787886 deg
    t = Time("1992-08-20T12:14:00", scale="ut1")
    assert_allclose(np.degrees(core.gmst((t.jd1 - 2451545.0) + t.jd2)), 152.578787886,
                    atol=1e-6)
    # astropy's IAU 1982 mean sidereal time over 2024-2025
    ts = Time("2024-05-09T08:48:20", scale="utc") + np.linspace(0, 400, 9) * u.day
    d = (ts.ut1.jd1 - 2451545.0) + ts.ut1.jd2
    ref = ts.sidereal_time("mean", "greenwich", model="IAU1982").deg
    assert_allclose(np.degrees(core.gmst(d)), ref, atol=1e-7)


def _plane(tle, rate):
    return {"inclination": tle.inc, "raan": tle.raan, "epoch": tle.epoch, "raan_rate": rate}


def _tle_plane(name):
    from orbits.precession import nodal_precession_rate
    from orbits.tle import from_tle

    t = from_tle(name)
    return t, nodal_precession_rate(t.a, t.ecc, t.inc)


@pytest.mark.parametrize(
    "station, lat, lon, launched, tol_min",
    [
        ("ISS (ZARYA)", 45.996, 63.564, "2024-05-30T09:43", 4),  # Progress MS-27
        ("ISS (ZARYA)", 45.996, 63.564, "2024-03-23T12:36", 4),  # Soyuz MS-25
        ("CSS (TIANHE)", 19.614, 110.951, "2024-01-17T14:27", 4),  # Tianzhou-7
        # Jiuquan lies just below the CSS inclination, so both passes are within 1.7 h and
        # the ascent geometry shifts the launch from the in-plane instant by several minutes
        ("CSS (TIANHE)", 40.958, 100.291, "2024-04-25T12:59", 10),  # Shenzhou-18
    ],
)
def test_launch_windows_match_published_launch_times(station, lat, lon, launched, tol_min):
    tle, rate = _tle_plane(station)
    t_launch = Time(launched, scale="utc")
    win = L.launch_windows(lat * u.deg, lon * u.deg, t_launch - 1 * u.day, t_launch + 1 * u.day,
                           **_plane(tle, rate))
    gap = np.min(np.abs((win["time"] - t_launch).to_value(u.min)))
    assert gap < tol_min, win


def test_launch_windows_site_lies_in_plane_astropy_teme():
    # every window: the site's TEME position (astropy ITRS -> TEME) is in the target plane
    from astropy.coordinates import TEME

    tle, rate = _tle_plane("ISS (ZARYA)")
    win = L.launch_windows(45.996 * u.deg, 63.564 * u.deg, "2024-05-09", "2024-05-16",
                           **_plane(tle, rate), step=30 * u.min)
    assert len(win) == 14  # two passes a day for 7 days
    assert set(win["pass"]) == {"ascending", "descending"}
    t = win["time"]
    site = EarthLocation.from_geodetic(63.564 * u.deg, 45.996 * u.deg, 0 * u.m)
    itrs = site.get_itrs(obstime=t)
    teme = itrs.transform_to(TEME(obstime=t)).cartesian.xyz.to_value(u.km).T
    raan = (tle.raan + rate * (t - tle.epoch)).to_value(u.rad)
    i = tle.inc.to_value(u.rad)
    h = np.stack([np.sin(i) * np.sin(raan), -np.sin(i) * np.cos(raan), np.full_like(raan, np.cos(i))], -1)
    off = np.degrees(np.arcsin(np.sum(teme * h, -1) / np.linalg.norm(teme, axis=-1)))
    assert np.max(np.abs(off)) < 0.01  # degrees out of plane (< 1 km at the surface)
    # ascending windows: the site moves north relative to the plane's ground track geometry
    # i.e. its argument of latitude in the plane lies in (-90, 90)
    node = np.stack([np.cos(raan), np.sin(raan), 0 * raan], -1)
    cos_u = np.sum(teme * node, -1)
    assert np.all((cos_u > 0) == (np.asarray(win["pass"]) == "ascending"))


def test_launch_windows_unreachable_and_bad_input():
    with pytest.raises(ValueError, match="cannot be reached"):
        L.launch_windows(45.996 * u.deg, 63.564 * u.deg, "2024-05-09", "2024-05-10",
                         raan=0 * u.deg, epoch="2024-05-09", inclination=41.47 * u.deg,
                         raan_rate=-5 * u.deg / u.day)
    with pytest.raises(ValueError, match="stop must be after start"):
        L.launch_windows(45.996 * u.deg, 63.564 * u.deg, "2024-05-10", "2024-05-09",
                         raan=0 * u.deg, epoch="2024-05-09", inclination=51.6 * u.deg,
                         raan_rate=-5 * u.deg / u.day)
    with pytest.raises(TypeError, match="start"):
        L.launch_windows(45.996 * u.deg, 63.564 * u.deg, 5, "2024-05-09",
                         raan=0 * u.deg, epoch="2024-05-09", inclination=51.6 * u.deg,
                         raan_rate=-5 * u.deg / u.day)


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: L.min_inclination(45.9), TypeError, ["latitude", "Quantity"]),
        (lambda: L.min_inclination(45.9 * u.km), u.UnitTypeError, ["latitude"]),
        (lambda: L.min_inclination(95 * u.deg), ValueError, ["latitude", "[-90, 90] deg"]),
        (lambda: L.launch_azimuth(45 * u.deg, 181 * u.deg), ValueError, ["inclination"]),
        (lambda: L.launch_azimuth(45 * u.deg, 60 * u.deg, altitude=-3 * u.km), ValueError,
         ["altitude", "-3"]),
        (lambda: L.launch_azimuth(45 * u.deg, 60 * u.deg, altitude=1 * u.km,
                                  orbit_speed=7 * KMS), ValueError, ["orbit_speed or altitude"]),
        (lambda: L.dogleg_dv(45 * u.deg, 30 * u.deg, azimuth_range=(100 * u.deg, 50 * u.deg)),
         ValueError, ["azimuth_range"]),
        (lambda: L.dogleg_dv(45 * u.deg, 30 * u.deg, azimuth_range=5 * u.deg), TypeError,
         ["azimuth_range"]),
    ],
)
def test_bad_input_names_argument(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value)


def test_launch_windows_result_shape_and_degenerate_spans():
    """LaunchWindows: columns time/pass/azimuth/node, site/plane scalars, one-line repr; an
    empty span and a span too fine to hold in memory are errors naming the argument."""
    from orbits.errors import ArgumentError, SizeLimitError

    tle, rate = _tle_plane("ISS (ZARYA)")
    win = L.launch_windows(45.996 * u.deg, 63.564 * u.deg, "2024-05-09", "2024-05-10",
                           **_plane(tle, rate))
    assert isinstance(win, L.LaunchWindows) and len(win) == 2
    assert repr(win).startswith("<LaunchWindows 2 windows from 2024-05-09 over 1.0 d")
    assert list(win.to_table().colnames) == ["time", "pass", "azimuth", "node of the plane"]
    assert win.inclination.to_value(u.deg) == pytest.approx(51.6381, abs=1e-9)  # TLE line 2
    # the node column is the TLE node carried at the J2 rate to each window
    carried = (tle.raan + rate * (win["time"] - tle.epoch)).to_value(u.deg) % 360
    assert_allclose(win["raan"].to_value(u.deg), carried, atol=1e-9)
    assert all(len(line) <= 100 for line in win.to_text().splitlines())
    site = (45.996 * u.deg, 63.564 * u.deg)
    plane = _plane(tle, rate)
    with pytest.raises(ArgumentError, match="stop must be after start"):
        L.launch_windows(*site, "2024-05-09", "2024-05-09", **plane)
    # ten years at 1 s steps: 3.2e8 grid points, refused before allocating
    with pytest.raises(SizeLimitError, match=r"launch_windows over 3653 days .* over the 2\.0 GiB"):
        L.launch_windows(*site, "2024-01-01", "2034-01-01", **plane, step=1 * u.s)
    with pytest.raises(ArgumentError, match="step must be in"):
        L.launch_windows(*site, "2024-05-09", "2024-05-10", **plane, step=0 * u.s)
    with pytest.raises(ArgumentError, match="inclination must be a scalar"):
        L.launch_windows(*site, "2024-05-09", "2024-05-10",
                         **{**plane, "inclination": [51.6, 52] * u.deg})
    with pytest.raises(TypeError):  # the plane is keyword-only
        L.launch_windows(*site, "2024-05-09", "2024-05-10", tle.inc, tle.raan, tle.epoch, rate)


def test_result_classes_and_mismatched_shapes():
    from orbits.errors import ArgumentError

    az = L.launch_azimuth(45.965 * u.deg, 51.64 * u.deg)
    assert repr(az).startswith("<LaunchAzimuth ascending ")
    assert az.to_dict()["inertial_ascending"]["unit"] == "deg"
    cost = L.dogleg_dv(45.965 * u.deg, 41.4681 * u.deg, altitude=390 * u.km)
    assert repr(cost).startswith("<DoglegCost turn 4.")
    assert L.dogleg_dv(19.614 * u.deg, 41.47 * u.deg).summary() == "direct ascent, no plane change"
    with pytest.raises(ArgumentError, match=r"latitude \(2,\), inclination \(3,\)"):
        L.dogleg_dv([45, 46] * u.deg, [50, 51, 52] * u.deg)
