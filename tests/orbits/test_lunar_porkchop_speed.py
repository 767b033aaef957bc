"""The lunar porkchop's fast paths: the Newton tangential-conic solve, the chunked grid and the
out-of-plane departure search, each against an independent computation made in the test."""

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time
from scipy.optimize import brentq

import orbits
import orbits.lunar.porkchop as pk
from orbits.core.constants import GM_EARTH, R_EARTH
from orbits.core.lambert import lambert
from orbits.core.patched_conic import hohmann_like_time, tangential_transfer


def _time_to_radius(r0, r1, e, k, inbound):
    # Written out again here (Curtis eqs. 3.11, 3.14 and 3.44: eccentric and hyperbolic anomaly
    # from the orbit equation, Kepler's equation), independent of orbits.core.patched_conic.
    p = r0 * (1.0 + e)
    cos_nu = np.clip((p / r1 - 1.0) / e, -1.0, 1.0)
    nu = np.arccos(cos_nu)
    if e < 1.0:
        a = r0 / (1.0 - e)
        E = 2.0 * np.arctan(np.sqrt((1.0 - e) / (1.0 + e)) * np.tan(nu / 2.0))
        t = (E - e * np.sin(E)) * np.sqrt(a**3 / k)
        return 2.0 * np.pi * np.sqrt(a**3 / k) - t if inbound else t
    a = r0 / (e - 1.0)
    F = 2.0 * np.arctanh(np.sqrt((e - 1.0) / (e + 1.0)) * np.tan(nu / 2.0))
    return (e * np.sinh(F) - F) * np.sqrt(a**3 / k)


def test_newton_tangential_solve_matches_brentq():
    # scipy's brentq on the same equation t(e) = tof, with the time of flight written out in
    # this test, on random cells: parking altitudes 150-2000 km, Moon distances 340,000-420,000
    # km, 0.6-30 days (both branches, ellipses and hyperbolas).
    rng = np.random.default_rng(12)
    n = 120
    r0 = R_EARTH + rng.uniform(150.0, 2000.0, n)
    r1 = rng.uniform(340e3, 420e3, n)
    tof = np.concatenate([rng.uniform(0.6, 2.5, 30), rng.uniform(2.5, 6.0, 60),
                          rng.uniform(6.0, 30.0, 30)]) * 86400.0
    e, nu, v0, inbound = tangential_transfer(r0, r1, tof, GM_EARTH)
    t_h = hohmann_like_time(r0, r1, GM_EARTH)
    for i in range(n):
        ib = tof[i] > t_h[i]
        e_min = (r1[i] - r0[i]) / (r1[i] + r0[i])
        hi = 1.0 - 1e-9 if ib else 50.0
        ref = brentq(lambda x: _time_to_radius(r0[i], r1[i], x, GM_EARTH, ib) - tof[i],
                     e_min * (1 + 1e-15), hi, xtol=1e-15, rtol=1e-15, maxiter=500)
        assert abs(e[i] - ref) <= 1e-9 * ref, (i, e[i], ref, tof[i] / 86400)
        assert bool(inbound[i]) == ib
    # perigee speed from vis-viva at the perigee of that conic
    np.testing.assert_allclose(v0, np.sqrt(GM_EARTH * (1 + e) / r0), rtol=1e-15)
    assert np.all((nu > 0) & (nu < 2 * np.pi))


def test_tangential_solve_takes_few_passes():
    # The safeguarded Newton iteration is converged (to the 1e-9 of the test above) after 8
    # passes on porkchop-like cells, where the former bisection needed 80.
    rng = np.random.default_rng(3)
    r1 = rng.uniform(356e3, 407e3, 2000)
    tof = rng.uniform(2.5, 6.0, 2000) * 86400.0
    full, *_ = tangential_transfer(R_EARTH + 200.0, r1, tof, GM_EARTH)
    few, *_ = tangential_transfer(R_EARTH + 200.0, r1, tof, GM_EARTH, iterations=8)
    np.testing.assert_allclose(few, full, rtol=1e-12)


@pytest.fixture(scope="module")
def grid():
    dep = Time("2024-03-01", scale="utc") + np.arange(0, 12, 0.25) * u.day
    return dep, np.linspace(2.5, 6.0, 8) * u.day


def test_chunking_does_not_change_the_grid(grid, monkeypatch):
    dep, tofs = grid
    one = orbits.lunar_porkchop(dep, tofs, parking_inclination=19.6 * u.deg)
    monkeypatch.setattr(pk, "_CHUNK_CELLS", 7)  # rows of 8 cells: one row per chunk
    many = orbits.lunar_porkchop(dep, tofs, parking_inclination=19.6 * u.deg)
    assert (~one.in_plane).any() and one.in_plane.any()
    for f in ("tli_dv", "loi_dv", "v_inf", "moon_declination"):
        np.testing.assert_array_equal(getattr(one, f), getattr(many, f))


def test_out_of_plane_search_finds_the_scan_minimum(grid):
    # Brute force in this test: every departure point along the parking orbit within +-60 deg
    # of the nominal one, in 0.5 deg steps (241 Lambert arcs a cell), for the out-of-plane
    # cells of a 19.6 deg grid; the porkchop's search evaluates 5-8 points a cell. Expected:
    # the scan's minimum, to 1.5 m/s (the scan itself is coarse by up to ~0.2 m/s, so the
    # search may come out slightly below it, never much).
    dep, tofs = grid
    P = orbits.lunar_porkchop(dep, tofs, parking_inclination=19.6 * u.deg)
    out = ~P.in_plane
    from orbits.ephemeris import geocentric_states_km

    i_park = np.radians(19.6)
    arr = dep.tdb[:, None] + tofs.to(u.s)[None, :]
    r_m, _ = geocentric_states_km("moon", arr)
    r_m = r_m[out]
    tof = np.broadcast_to(tofs.to_value(u.s)[None, :], out.shape)[out]
    r_hat = r_m / np.linalg.norm(r_m, axis=-1, keepdims=True)
    # the parking plane of inclination i_park nearest the Moon: its highest point under the Moon
    ra = np.arctan2(r_hat[:, 1], r_hat[:, 0])
    sgn = np.sign(r_hat[:, 2])
    h = np.stack([-sgn * np.sin(i_park) * np.cos(ra), -sgn * np.sin(i_park) * np.sin(ra),
                  np.full(ra.shape, np.cos(i_park))], axis=-1)
    e1 = r_hat - np.sum(r_hat * h, -1, keepdims=True) * h
    e1 /= np.linalg.norm(e1, axis=-1, keepdims=True)
    e2 = np.cross(h, e1)
    r0 = R_EARTH + 200.0
    best = np.full(r_m.shape[0], np.inf)
    # the nominal point lies 150-200 deg behind the Moon's direction: scan all points from
    # 90 to 270 deg behind it, which covers every nominal +-60 deg window
    for ang in np.radians(np.arange(90.0, 270.01, 0.5)):
        d = np.cos(ang) * e1 - np.sin(ang) * e2
        cr = np.cross(d, r_m)
        prog = np.sign(np.sum(cr * h, -1)) * cr[:, 2] > 0
        s = lambert(GM_EARTH, r0 * d, r_m, tof, prograde=prog)
        dv = np.linalg.norm(s.v1 - np.sqrt(GM_EARTH / r0) * np.cross(h, d), axis=-1)
        best = np.minimum(best, np.where(s.ok, dv, np.inf))
    got = P.tli_dv[out].to_value(u.km / u.s)
    assert out.sum() > 100
    assert np.all(got <= best + 1.5e-3), np.max(got - best)
    assert np.all(got >= best - 1e-3), np.min(got - best)
