"""Tests of orbits.core.kepler (universal-variable propagation, Kepler's equation)."""

import numpy as np
import pytest

from orbits.core.kepler import KeplerConvergenceError, mean_to_true, propagate, true_to_mean

MU = 398600.4418  # km^3/s^2 (Vallado 4th ed., Table D-1)


def test_vallado_example_2_4():
    # Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., Example 2-4 (KEPLER):
    # r0 = 1131.340 I - 2282.343 J + 6672.423 K km, v0 = -5.64305 I + 4.30333 J + 2.42879 K km/s,
    # dt = 40 min -> r = -4219.7527 I + 4363.0292 J - 3958.7666 K km,
    #                v = 3.689866 I - 1.916735 J - 6.112511 K km/s
    r, v = propagate([1131.340, -2282.343, 6672.423], [-5.64305, 4.30333, 2.42879], 2400.0, MU)
    np.testing.assert_allclose(r, [-4219.7527, 4363.0292, -3958.7666], atol=1e-4)
    np.testing.assert_allclose(v, [3.689866, -1.916735, -6.112511], atol=1e-6)


def test_curtis_example_3_7():
    # Curtis, Orbital Mechanics for Engineering Students, Example 3.7 (mu = 398600):
    # r0 = 7000 i - 12124 j km, v0 = 2.6679 i + 4.6210 j km/s, dt = 60 min
    # -> r = -3297.8 i + 7413.4 j km (hyperbolic-free elliptic case, book gives 5 digits)
    r, _ = propagate([7000.0, -12124.0, 0.0], [2.6679, 4.6210, 0.0], 3600.0, 398600.0)
    np.testing.assert_allclose(r, [-3297.8, 7413.4, 0.0], atol=0.1)


def test_batch_against_boinor_elliptic_and_hyperbolic():
    from boinor.core.propagation.farnocchia import farnocchia_rv

    rng = np.random.default_rng(11)
    n = 60
    r0 = rng.normal(size=(n, 3))
    r0 *= (rng.uniform(6600, 30000, n) / np.linalg.norm(r0, axis=1))[:, None]
    vdir = rng.normal(size=(n, 3))
    vdir /= np.linalg.norm(vdir, axis=1)[:, None]
    vesc = np.sqrt(2 * MU / np.linalg.norm(r0, axis=1))
    # speeds from 0.5 to 1.6 escape speed (ellipses and hyperbolas), away from the parabola
    # where boinor's own near-parabolic solver stops at 1.5e-8
    ratio = rng.uniform(0.5, 1.6, n)
    ratio = np.where(np.abs(ratio - 1.0) < 0.05, ratio + 0.1, ratio)
    v0 = vdir * (vesc * ratio)[:, None]
    dt = rng.uniform(-20000.0, 80000.0, n)
    r, v = propagate(r0, v0, dt, MU)
    for j in range(n):
        rb, vb = farnocchia_rv(MU, r0[j], v0[j], dt[j])  # boinor, independent method
        scale = np.linalg.norm(rb)
        np.testing.assert_allclose(r[j], rb, rtol=0, atol=1e-8 * scale)
        np.testing.assert_allclose(v[j], vb, rtol=0, atol=1e-8 * np.linalg.norm(vb))


def test_many_periods_and_broadcasting():
    # a circular orbit returns to its start after whole periods (Kepler's third law)
    a = 7000.0
    period = 2 * np.pi * np.sqrt(a**3 / MU)
    r0 = np.array([a, 0.0, 0.0])
    v0 = np.array([0.0, np.sqrt(MU / a), 0.0])
    dt = np.array([[1.0, 10.0, 1000.0]]).T * period  # shape (3, 1) against one state
    r, v = propagate(r0, v0, dt, MU)
    assert r.shape == v.shape == (3, 1, 3)
    np.testing.assert_allclose(r[:, 0], np.broadcast_to(r0, (3, 3)), atol=1e-6)
    np.testing.assert_allclose(v[:, 0], np.broadcast_to(v0, (3, 3)), atol=1e-9)


def test_kepler_equation_round_trip_and_values():
    # M = E - e sin E: for e = 0.5 and E = pi/2, M = pi/2 - 0.5 and nu = 2 atan(sqrt(3) tan(pi/4))
    nu = mean_to_true(np.pi / 2 - 0.5, 0.5)
    assert nu == pytest.approx(2 * np.arctan(np.sqrt(3.0)), abs=1e-13)
    for ecc in (0.0, 0.3, 0.95, 1.2, 4.0):
        M = np.linspace(-7.0, 7.0, 29)
        np.testing.assert_allclose(true_to_mean(mean_to_true(M, ecc), ecc), M, atol=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="r0 must be a non-zero"):
        propagate([0.0, 0.0, 0.0], [1.0, 0, 0], 10.0, MU)
    with pytest.raises(ValueError, match="finite"):
        propagate([7000.0, 0, 0], [0, 7.5, 0], np.nan, MU)
    with pytest.raises(ValueError, match="k must be > 0"):
        propagate([7000.0, 0, 0], [0, 7.5, 0], 1.0, 0.0)
    with pytest.raises(ValueError, match="ecc must be"):
        mean_to_true(1.0, 1.0)
    assert issubclass(KeplerConvergenceError, RuntimeError)
