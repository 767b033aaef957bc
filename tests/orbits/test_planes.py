"""Plane geometry and manoeuvre costs (orbits.planes, orbits.core.planes).

Sources of expected values:
- Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed. (2013): Example 6-1
  (Hohmann), 6-4 (inclination only), 6-5 (node only), 6-6 (inclination and node), 6-7
  (minimum combined plane change). Inputs as in Vallado's companion code for those examples
  (matlab/ex6_4.m ... ex6_7.m, 2013 edition).
- boinor, computed in the same test: the Δv of each burn as the difference of the velocity
  vectors of the orbits before and after, at the point where they intersect.
- scipy: brute-force minimisation of the two-burn total for the optimal split.
"""

import numpy as np
import pytest
from astropy import units as u
from numpy.testing import assert_allclose
from scipy.optimize import minimize_scalar

from orbits import planes as P
from orbits.core import planes as core
from orbits.core.constants import GM_EARTH, R_EARTH

KMS = u.km / u.s


def _boinor_v(a_km, ecc, inc_deg, raan_deg, argp_deg, nu_deg):
    from boinor.bodies import Earth
    from boinor.twobody import Orbit

    o = Orbit.from_classical(Earth, a_km * u.km, ecc * u.one, inc_deg * u.deg, raan_deg * u.deg,
                             argp_deg * u.deg, nu_deg * u.deg)
    return o.r.to_value(u.km), o.v.to_value(KMS)


def test_hohmann_vallado_6_1_and_boinor():
    # Vallado Example 6-1: 191.34411 km -> 35781.34857 km altitude: total 3.935224 km/s,
    # transfer time 5.256713 h.
    r1 = R_EARTH * u.km + 191.34411 * u.km
    r2 = R_EARTH * u.km + 35781.34857 * u.km
    h = P.hohmann(r1, r2)
    assert_allclose(h.total.to_value(KMS), 3.935224, rtol=2e-6)
    assert_allclose(h.tof.to_value(u.h), 5.256713, rtol=2e-6)
    # boinor's own Hohmann manoeuvre on the same orbit
    from boinor.bodies import Earth
    from boinor.maneuver import Maneuver
    from boinor.twobody import Orbit

    start = Orbit.from_classical(Earth, r1, 0 * u.one, 0 * u.deg, 0 * u.deg, 0 * u.deg, 0 * u.deg)
    man = Maneuver.hohmann(start, r2)
    dvs = [np.linalg.norm(dv.to_value(KMS)) for _, dv in man.impulses]
    assert_allclose([h.dv1.to_value(KMS), h.dv2.to_value(KMS)], dvs, rtol=1e-9)


def test_inclination_only_vallado_6_4():
    # Vallado Example 6-4: circular orbit, v = 5.892311 km/s, delta i = 15 deg -> 1.5382 km/s.
    dv = P.plane_change_dv(5.892311 * KMS, 15 * u.deg)
    assert_allclose(dv.to_value(KMS), 1.5382, atol=5e-5)
    # boinor: velocity difference at the node of the 28.5 deg and 13.5 deg orbits
    a = GM_EARTH / 5.892311**2
    _, v1 = _boinor_v(a, 0.0, 28.5, 0.0, 0.0, 0.0)
    _, v2 = _boinor_v(a, 0.0, 13.5, 0.0, 0.0, 0.0)
    assert_allclose(dv.to_value(KMS), np.linalg.norm(v2 - v1), rtol=1e-9)


def test_inclination_only_elliptic_with_flight_path_angle_vallado_6_4_part2():
    # Vallado Example 6-4 part 2 (companion ex6_4.m): e = 0.3, p = 17858.7836 km, nu = 330 deg,
    # delta i = 15 deg. Only the horizontal velocity turns: checked against boinor vectors
    # (argp = 30 deg puts nu = 330 deg at the ascending node).
    e, p, nu = 0.3, 17858.7836, np.radians(330.0)
    a = p / (1 - e * e)
    r = p / (1 + e * np.cos(nu))
    v = np.sqrt(GM_EARTH * (2 / r - 1 / a))
    fpa = np.arctan(e * np.sin(nu) / (1 + e * np.cos(nu)))
    dv = P.plane_change_dv(v * KMS, 15 * u.deg, flight_path_angle=fpa * u.rad)
    r1, v1 = _boinor_v(a, e, 40.0, 10.0, 30.0, 330.0)
    r2, v2 = _boinor_v(a, e, 25.0, 10.0, 30.0, 330.0)
    assert_allclose(r1, r2, atol=1e-6)
    assert_allclose(dv.to_value(KMS), np.linalg.norm(v2 - v1), rtol=1e-9)


def test_node_only_vallado_6_5():
    # Vallado Example 6-5 (companion ex6_5.m): a = 11480.649 km circular, i = 55 deg,
    # node 45 -> 90 deg. The planes intersect at argument of latitude 103.3647275 deg on the
    # first orbit and 76.6352725 deg on the second (Vallado's values): same point, and the Δv
    # is the velocity difference there (boinor).
    dv, theta = P.node_change_dv(5.892311 * KMS, 55 * u.deg, 45 * u.deg)
    r1, v1 = _boinor_v(11480.649, 0.0, 55.0, 45.0, 0.0, 103.3647275)
    r2, v2 = _boinor_v(11480.649, 0.0, 55.0, 90.0, 0.0, 76.6352725)
    assert_allclose(r1, r2, atol=1e-3)
    assert_allclose(dv.to_value(KMS), np.linalg.norm(v2 - v1), rtol=2e-6)
    assert_allclose(theta.to_value(u.rad),
                    np.arccos(np.dot(v1, v2) / np.linalg.norm(v1) / np.linalg.norm(v2)), atol=1e-6)


def test_inclination_and_node_vallado_6_6():
    # Vallado Example 6-6 (companion ex6_6.m): i 55 -> 40 deg, node 45 -> 90 deg,
    # a = 11480.649 km; intersection at argument of latitude 128.9041397 deg (initial) and
    # 97.3803453 deg (final) per Vallado.
    dv, theta = P.node_change_dv(5.892311 * KMS, 55 * u.deg, 45 * u.deg,
                                      inc_final=40 * u.deg)
    r1, v1 = _boinor_v(11480.649, 0.0, 55.0, 45.0, 0.0, 128.9041397)
    r2, v2 = _boinor_v(11480.649, 0.0, 40.0, 90.0, 0.0, 97.3803453)
    assert_allclose(r1, r2, atol=1e-3)
    assert_allclose(dv.to_value(KMS), np.linalg.norm(v2 - v1), rtol=2e-6)
    # the same angle from plane_angle directly
    assert_allclose(P.plane_angle(55 * u.deg, 45 * u.deg, 40 * u.deg, 90 * u.deg).value,
                    theta.value, rtol=1e-12)


def test_minimum_combined_plane_change_vallado_6_7_against_scipy_and_boinor():
    # Vallado Example 6-7 (companion ex6_7.m): 191 km, i = 28.5 deg -> 35780 km, i = 0.
    r1, r2, di = R_EARTH + 191.0, R_EARTH + 35780.0, np.radians(28.5)
    res = P.combined_plane_change(r1 * u.km, r2 * u.km, 28.5 * u.deg)
    # brute force: minimise the total over the first burn's share (scipy, bounded)
    a_t = 0.5 * (r1 + r2)
    v1, v2 = np.sqrt(GM_EARTH / r1), np.sqrt(GM_EARTH / r2)
    vp, va = np.sqrt(GM_EARTH * (2 / r1 - 1 / a_t)), np.sqrt(GM_EARTH * (2 / r2 - 1 / a_t))

    def total(x):
        return (np.sqrt(v1**2 + vp**2 - 2 * v1 * vp * np.cos(x))
                + np.sqrt(va**2 + v2**2 - 2 * va * v2 * np.cos(di - x)))

    opt = minimize_scalar(total, bounds=(0.0, di), method="bounded",
                          options={"xatol": 1e-12})
    assert_allclose(res.total.to_value(KMS), opt.fun, rtol=1e-10)
    assert_allclose(res.di1.to_value(u.rad), opt.x, atol=1e-5)
    assert_allclose((res.di1 + res.di2).to_value(u.deg), 28.5, rtol=1e-12)
    # cheaper than doing the whole plane change at either burn
    assert res.total.to_value(KMS) < min(total(0.0), total(di)) - 0.01
    # boinor: burn 1 = circular 28.5 deg at the node -> transfer orbit at 28.5 - di1 at perigee;
    # burn 2 = transfer orbit at apogee -> circular equatorial orbit
    e_t = (r2 - r1) / (r2 + r1)
    i_t = 28.5 - res.di1.to_value(u.deg)
    _, va1 = _boinor_v(r1, 0.0, 28.5, 0.0, 0.0, 0.0)
    _, vb1 = _boinor_v(a_t, e_t, i_t, 0.0, 0.0, 0.0)
    ra2, va2 = _boinor_v(a_t, e_t, i_t, 0.0, 0.0, 180.0)
    rb2, vb2 = _boinor_v(r2, 0.0, 0.0, 0.0, 0.0, 180.0)
    assert_allclose(ra2, rb2, atol=1e-6)
    assert_allclose(res.dv1.to_value(KMS), np.linalg.norm(vb1 - va1), rtol=1e-9)
    assert_allclose(res.dv2.to_value(KMS), np.linalg.norm(vb2 - va2), rtol=1e-9)


def test_combined_plane_change_batched_equals_scalar():
    # batch over a grid (no per-element loop inside); each element equals the scalar call
    r1 = np.array([6778.0, 7000.0])[:, None]
    di = np.radians([0.0, 5.0, 60.0])[None, :]
    out = core.combined_plane_change(r1, 42164.0, di)
    assert out[0].shape == (2, 3)
    for j in range(2):
        for k in range(3):
            one = core.combined_plane_change(float(r1[j, 0]), 42164.0, float(di[0, k]))
            assert_allclose([o[j, k] for o in out], one, rtol=1e-9, atol=1e-12)
    # no plane change: plain Hohmann (Vallado 6-1 algorithm)
    h = core.hohmann(6778.0, 42164.0)
    assert_allclose(out[0][0, 0] + out[1][0, 0], h[0] + h[1], rtol=1e-12)


def test_plane_angle_matches_boinor_angular_momentum():
    # angle between boinor's h vectors for random planes
    from boinor.bodies import Earth
    from boinor.twobody import Orbit

    rng = np.random.default_rng(3)
    i1, i2 = rng.uniform(0, 180, 6), rng.uniform(0, 180, 6)
    o1, o2 = rng.uniform(0, 360, 6), rng.uniform(0, 360, 6)
    ours = P.plane_angle(i1 * u.deg, o1 * u.deg, i2 * u.deg, o2 * u.deg).to_value(u.rad)
    for k in range(6):
        h = [Orbit.from_classical(Earth, 7000 * u.km, 0 * u.one, i * u.deg, o * u.deg,
                                  0 * u.deg, 0 * u.deg).h_vec.value
             for i, o in ((i1[k], o1[k]), (i2[k], o2[k]))]
        ang = np.arccos(np.clip(np.dot(h[0], h[1]) / np.linalg.norm(h[0]) / np.linalg.norm(h[1]),
                                -1, 1))
        assert_allclose(ours[k], ang, atol=1e-9)
    # same node: the angle is the inclination difference (geometry, exact)
    assert_allclose(P.plane_angle(51.6 * u.deg, 10 * u.deg, 41.5 * u.deg, 10 * u.deg)
                    .to_value(u.deg), 10.1, rtol=1e-12)


def test_station_plane_angle_from_tles():
    # seeds/authorities/stations-2024-05-09.tle: ISS (ZARYA) i = 51.6381, node 147.8590;
    # CSS (TIANHE) i = 41.4681, node 322.4705. boinor h vectors give the reference angle.
    from boinor.bodies import Earth
    from boinor.twobody import Orbit

    ang = P.plane_angle(51.6381 * u.deg, 147.8590 * u.deg, 41.4681 * u.deg, 322.4705 * u.deg)
    h1 = Orbit.from_classical(Earth, 6790 * u.km, 0 * u.one, 51.6381 * u.deg, 147.8590 * u.deg,
                              0 * u.deg, 0 * u.deg).h_vec.value
    h2 = Orbit.from_classical(Earth, 6760 * u.km, 0 * u.one, 41.4681 * u.deg, 322.4705 * u.deg,
                              0 * u.deg, 0 * u.deg).h_vec.value
    ref = np.degrees(np.arccos(np.dot(h1, h2) / np.linalg.norm(h1) / np.linalg.norm(h2)))
    assert_allclose(ang.to_value(u.deg), ref, atol=1e-9)


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: P.plane_change_dv(7.5, 10 * u.deg), TypeError, ["speed", "Quantity"]),
        (lambda: P.plane_change_dv(7.5 * u.km, 10 * u.deg), u.UnitTypeError, ["speed"]),
        (lambda: P.plane_change_dv(-1 * KMS, 10 * u.deg), ValueError, ["speed", "-1"]),
        (lambda: P.plane_change_dv(7 * KMS, 190 * u.deg), ValueError, ["angle", "190 deg"]),
        (lambda: P.plane_angle(200 * u.deg, 0 * u.deg, 10 * u.deg, 0 * u.deg), ValueError,
         ["inc1", "[0, 180] deg"]),
        (lambda: P.plane_angle(20 * u.deg, np.nan * u.deg, 10 * u.deg, 0 * u.deg),
         ValueError, ["raan1", "finite"]),
        (lambda: P.hohmann(0 * u.km, 7000 * u.km), ValueError, ["r1", "> 0"]),
        (lambda: P.combined_plane_change(7000 * u.km, 42000 * u.km, -5 * u.deg), ValueError,
         ["delta_i"]),
    ],
)
def test_bad_input_names_argument(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value)


def test_k_is_the_gravitational_parameter_and_results_have_one_shape():
    """``k=`` (poliastro's name) for the attractor's GM: a Hohmann transfer around the Moon
    against the textbook formulas (Curtis eqs. 6.2-6.3) with GM_Moon = 4902.800080 km^3/s^2
    (orbits.core.constants, LP150Q)."""
    from orbits.bodies import Moon

    r1, r2, gm = 1837.4, 3000.0, 4902.800080
    h = P.hohmann(r1 * u.km, r2 * u.km, k=Moon.k)
    at = 0.5 * (r1 + r2)
    dv1 = np.sqrt(gm / r1) * (np.sqrt(2 * r2 / (r1 + r2)) - 1)
    dv2 = np.sqrt(gm / r2) * (1 - np.sqrt(2 * r1 / (r1 + r2)))
    assert_allclose([h.dv1.to_value(KMS), h.dv2.to_value(KMS)], [dv1, dv2], rtol=1e-12)
    assert_allclose(h.tof.to_value(u.s), np.pi * np.sqrt(at**3 / gm), rtol=1e-12)
    assert_allclose(h.total.to_value(KMS), dv1 + dv2, rtol=1e-12)
    assert isinstance(h, P.HohmannTransfer) and repr(h).startswith("<HohmannTransfer ")
    assert set(h.to_dict()) >= {"dv1", "dv2", "total", "tof"}
    with pytest.raises(TypeError):
        P.hohmann(r1 * u.km, r2 * u.km, mu=Moon.k)  # the old name is gone
    c = P.combined_plane_change(7000 * u.km, 42164 * u.km, 28 * u.deg)
    assert c.total == c.dv1 + c.dv2 and repr(c).startswith("<CombinedPlaneChange ")


def test_mismatched_shapes_name_the_arguments():
    from orbits.errors import ArgumentError

    with pytest.raises(ArgumentError, match=r"inc1 \(2,\), raan1 \(3,\)"):
        P.plane_angle([50, 51] * u.deg, [1, 2, 3] * u.deg, 40 * u.deg, 0 * u.deg)
    with pytest.raises(ArgumentError, match=r"speed \(2,\), angle \(4,\)"):
        P.plane_change_dv([7, 8] * KMS, [1, 2, 3, 4] * u.deg)
    with pytest.raises(ArgumentError, match=r"r1 \(2,\), r2 \(3,\)"):
        P.hohmann([7000, 8000] * u.km, [1, 2, 3] * u.km * 1e4)


from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 180), st.floats(0, 180), st.floats(-720, 720), st.floats(-720, 720))
def test_plane_angle_bounds_property(i1, i2, o1, o2):
    """Spherical geometry: the angle between two planes lies between |i1 - i2| (same node)
    and min(i1 + i2, 360 - i1 - i2) (nodes opposed), and is symmetric in the two planes."""
    ang = P.plane_angle(i1 * u.deg, o1 * u.deg, i2 * u.deg, o2 * u.deg).to_value(u.deg)
    assert abs(i1 - i2) - 1e-7 <= ang <= min(i1 + i2, 360 - i1 - i2) + 1e-7
    back = P.plane_angle(i2 * u.deg, o2 * u.deg, i1 * u.deg, o1 * u.deg).to_value(u.deg)
    assert ang == pytest.approx(back, abs=1e-9)
