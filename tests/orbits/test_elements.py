"""Tests of orbits.core.elements (classical elements <-> state vectors)."""

import numpy as np
import pytest

from orbits.core.elements import coe2rv, rv2coe, semilatus_rectum

MU = 398600.4418  # km^3/s^2, the value Vallado 4th ed. uses (Table D-1)


def test_rv2coe_vallado_example_2_5():
    # Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., Example 2-5:
    # r = 6524.834 I + 6862.875 J + 6448.296 K km, v = 4.901327 I + 5.533756 J - 1.976341 K km/s
    # -> p = 11067.790 km, a = 36127.343 km, e = 0.832853, i = 87.870 deg, raan = 227.89 deg,
    #    argp = 53.38 deg, nu = 92.335 deg
    el = rv2coe([6524.834, 6862.875, 6448.296], [4.901327, 5.533756, -1.976341], MU)
    # the book rounds its inputs to 7 digits; p and a agree to that level
    assert el.p == pytest.approx(11067.790, rel=1e-6)
    assert el.a == pytest.approx(36127.343, rel=1e-6)
    assert el.ecc == pytest.approx(0.832853, abs=1e-6)
    assert np.degrees(el.inc) == pytest.approx(87.870, abs=1e-3)
    assert np.degrees(el.raan) == pytest.approx(227.89, abs=1e-2)
    assert np.degrees(el.argp) == pytest.approx(53.38, abs=1e-2)
    assert np.degrees(el.nu) == pytest.approx(92.335, abs=1e-3)


def test_coe2rv_vallado_example_2_6():
    # Vallado 4th ed., Example 2-6: p = 11067.790 km, e = 0.83285, i = 87.87 deg,
    # raan = 227.89 deg, argp = 53.38 deg, nu = 92.335 deg
    # -> r = 6525.368 I + 6861.532 J + 6449.119 K km, v = 4.902279 I + 5.533140 J - 1.975710 K km/s
    r, v = coe2rv(11067.790, 0.83285, *np.radians([87.87, 227.89, 53.38, 92.335]), MU)
    np.testing.assert_allclose(r, [6525.368, 6861.532, 6449.119], atol=1e-3)
    np.testing.assert_allclose(v, [4.902279, 5.533140, -1.975710], atol=1e-6)


def _random_elements(rng, n):
    a = rng.uniform(6600.0, 50000.0, n)
    ecc = rng.uniform(0.001, 0.9, n)
    inc = rng.uniform(0.01, np.pi - 0.01, n)
    raan = rng.uniform(0, 2 * np.pi, n)
    argp = rng.uniform(0, 2 * np.pi, n)
    nu = rng.uniform(0, 2 * np.pi, n)
    return semilatus_rectum(a, ecc), ecc, inc, raan, argp, nu


def test_coe2rv_and_rv2coe_agree_with_boinor_batch():
    from boinor.core.elements import coe2rv as b_coe2rv
    from boinor.core.elements import rv2coe as b_rv2coe

    rng = np.random.default_rng(7)
    p, ecc, inc, raan, argp, nu = _random_elements(rng, 50)
    r, v = coe2rv(p, ecc, inc, raan, argp, nu, MU)  # one batched call, shape (50, 3)
    assert r.shape == v.shape == (50, 3)
    el = rv2coe(r, v, MU)
    for j in range(50):
        # boinor (independent implementation), one problem at a time
        rb, vb = b_coe2rv(MU, p[j], ecc[j], inc[j], raan[j], argp[j], nu[j])
        np.testing.assert_allclose(r[j], rb, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(v[j], vb, rtol=1e-12, atol=1e-12)
        pb, eb, ib, Ob, wb, nub = b_rv2coe(MU, rb, vb)
        assert el.p[j] == pytest.approx(pb, rel=1e-11)
        assert el.ecc[j] == pytest.approx(eb, rel=1e-10)
        for ours, theirs in ((el.inc[j], ib), (el.raan[j], Ob), (el.argp[j], wb), (el.nu[j], nub)):
            d = np.angle(np.exp(1j * (ours - theirs)))
            assert abs(d) < 1e-9


def test_round_trip_with_degenerate_orbits():
    # conventions of the module docstring: equatorial -> raan 0, circular -> argp 0;
    # the state must round-trip exactly (checked against the input state, no external value)
    cases = [
        (7000.0, 0.0, 0.3, 1.0, 0.0, 2.0),  # circular inclined
        (7000.0, 0.1, 0.0, 0.0, 1.2, 0.5),  # elliptic equatorial
        (7000.0, 0.0, 0.0, 0.0, 0.0, 4.0),  # circular equatorial
        (7000.0, 0.2, np.pi, 0.0, 0.7, 0.3),  # retrograde equatorial
        (20000.0, 1.5, 0.5, 0.3, 0.2, 0.4),  # hyperbola
    ]
    for p, e, i, O, w, nu in cases:
        r, v = coe2rv(p, e, i, O, w, nu, MU)
        el = rv2coe(r, v, MU)
        r2, v2 = coe2rv(el.p, el.ecc, el.inc, el.raan, el.argp, el.nu, MU)
        np.testing.assert_allclose(r2, r, rtol=1e-12, atol=1e-8)
        np.testing.assert_allclose(v2, v, rtol=1e-12, atol=1e-11)


def test_batch_over_two_leading_axes():
    rng = np.random.default_rng(3)
    p, ecc, inc, raan, argp, nu = (x.reshape(4, 5) for x in _random_elements(rng, 20))
    r, v = coe2rv(p, ecc, inc, raan, argp, nu, MU)
    assert r.shape == v.shape == (4, 5, 3)
    r_flat, _ = coe2rv(
        p.ravel(), ecc.ravel(), inc.ravel(), raan.ravel(), argp.ravel(), nu.ravel(), MU
    )
    np.testing.assert_array_equal(r.reshape(20, 3), r_flat)


def test_bad_input():
    with pytest.raises(ValueError, match="p must be > 0"):
        coe2rv(-1.0, 0.1, 0, 0, 0, 0, MU)
    with pytest.raises(ValueError, match="ecc must be >= 0"):
        coe2rv(7000.0, -0.1, 0, 0, 0, 0, MU)
    with pytest.raises(ValueError, match="asymptote"):
        coe2rv(7000.0, 2.0, 0, 0, 0, np.radians(170), MU)
    with pytest.raises(ValueError, match="parallel"):
        rv2coe([7000.0, 0, 0], [1.0, 0, 0], MU)
    with pytest.raises(ValueError, match="k must be > 0"):
        rv2coe([7000.0, 0, 0], [0, 7.0, 0], -1.0)
