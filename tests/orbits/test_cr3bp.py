"""Earth-Moon CR3BP: libration points, Jacobi constants, halo orbits, zero-velocity curves."""

import numpy as np
import pytest
from astropy import units as u
from scipy.integrate import solve_ivp

import orbits
from orbits.core import cr3bp as core
from orbits.core.constants import EARTH_MOON_DISTANCE, MU_EARTH_MOON
from orbits.errors import ArgumentError, ArgumentTypeError

MU = 0.01215  # Curtis Example 2.18 / Szebehely's Earth-Moon mass ratio


def test_collinear_points_published():
    # Szebehely, "Theory of Orbits" (1967), and Koon, Lo, Marsden & Ross, "Dynamical Systems,
    # the Three-Body Problem and Space Mission Design" (2011), Earth-Moon mu = 0.01215:
    # x_L1 = 0.8369, x_L2 = 1.1557, x_L3 = -1.0051 (barycentric, nondimensional).
    t = orbits.lagrange_points(mass_ratio=MU)
    np.testing.assert_allclose(t.x[:3].value, [0.8369, 1.1557, -1.0051], atol=6e-5)
    # L4/L5: equilateral triangles with the primaries (Lagrange's solution)
    for k in (3, 4):
        p = np.array([t.x[k].value, t.y[k].value])
        assert abs(np.hypot(p[0] + MU, p[1]) - 1) < 1e-15
        assert abs(np.hypot(p[0] - 1 + MU, p[1]) - 1) < 1e-15


def test_lagrange_points_match_boinor():
    # Independent library in the same test: boinor.threebody.restricted.lagrange_points
    # (Curtis eq. 2.204; distances from the Earth along the Earth-Moon line).
    from boinor.bodies import Earth, Moon
    from boinor.threebody.restricted import lagrange_points as b_lp

    mu = float((Moon.mass / (Earth.mass + Moon.mass)).decompose())
    ref = b_lp(EARTH_MOON_DISTANCE * u.km, Earth.mass, Moon.mass).to_value(u.km)
    t = orbits.lagrange_points(mass_ratio=mu)
    from_earth = t.x_km.to_value(u.km) + mu * EARTH_MOON_DISTANCE
    np.testing.assert_allclose(from_earth[:3], ref[:3], rtol=1e-9)
    np.testing.assert_allclose(from_earth[3:], ref[3:], rtol=1e-12)


def test_jacobi_constants_of_libration_points():
    # Published Earth-Moon values (mu = 0.01215; Koon et al. 2011, ch. 2; Szebehely 1967):
    # C_L1 = 3.1883, C_L2 = 3.1722, C_L3 = 3.0121, C_L4 = C_L5 = 2.9880 = 3 - mu (1 - mu).
    t = orbits.lagrange_points(mass_ratio=MU)
    np.testing.assert_allclose(t.jacobi.value, [3.1883, 3.1722, 3.0121, 2.9880, 2.9880], atol=6e-5)
    np.testing.assert_allclose(t.jacobi[3:].value, 3 - MU * (1 - MU), rtol=1e-14)


def test_jacobi_constant_units_and_nondimensional_agree():
    L, T, V = orbits.cr3bp.characteristic_units()
    # characteristic time of the Earth-Moon system: 4.34 days (27.3-day sidereal month / 2 pi,
    # Curtis Table A.1: 27.32 d / 2 pi = 4.348 d; the small difference is the distance used)
    assert abs(T.to_value(u.day) - 4.343) < 0.01
    s = np.array([0.9, 0.1, 0.05, 0.01, -0.2, 0.03])
    c_nd = orbits.jacobi_constant(s, mass_ratio=MU)
    c_dim = orbits.jacobi_constant(s[:3] * L, s[3:] * V, mass_ratio=MU)
    np.testing.assert_allclose(c_nd.value, c_dim.value, rtol=1e-13)
    with pytest.raises(ArgumentError, match="6 components"):
        orbits.jacobi_constant(np.zeros(5))
    with pytest.raises(ArgumentError, match=r"mass_ratio must be in \(0, 0.5\]"):
        orbits.lagrange_points(mass_ratio=0.7)
    with pytest.raises(ArgumentTypeError, match="mass_ratio must be a number"):
        orbits.lagrange_points(mass_ratio="0.01")


def _rhs(t, s, mu):
    # Written out again here so the closure check does not reuse the module's equations.
    x, y, z, vx, vy, vz = s
    r1 = np.sqrt((x + mu) ** 2 + y**2 + z**2)
    r2 = np.sqrt((x - 1 + mu) ** 2 + y**2 + z**2)
    ax = 2 * vy + x - (1 - mu) * (x + mu) / r1**3 - mu * (x - 1 + mu) / r2**3
    ay = -2 * vx + y - (1 - mu) * y / r1**3 - mu * y / r2**3
    az = -(1 - mu) * z / r1**3 - mu * z / r2**3
    return [vx, vy, vz, ax, ay, az]


@pytest.fixture(scope="module")
def l2_10k():
    return orbits.halo_orbit("L2", 10000 * u.km)


def test_halo_closes_after_one_period(l2_10k):
    h = l2_10k
    sol = solve_ivp(_rhs, (0, h.period_nd), h.state0_nd, args=(h.mass_ratio,), rtol=1e-12, atol=1e-12, method="DOP853")
    # returns to its initial state: 1e-6 nondimensional = 0.4 km, 1 mm/s
    np.testing.assert_allclose(sol.y[:, -1], h.state0_nd, atol=1e-6)
    C = core.jacobi(sol.y.T, h.mass_ratio)
    assert np.ptp(C) < 1e-10
    assert h.state0_nd[1] == 0 and h.state0_nd[3] == 0 and h.state0_nd[5] == 0


def test_l2_halo_period_published(l2_10k):
    # Earth-Moon L2 halo, Az = 10,000 km: period about 14.8 days (Howell 1984 family;
    # Grebow 2006, "Generating periodic orbits in the CR3BP with applications to lunar south
    # pole coverage", MSc thesis, Purdue, L2 halo family near the planar bifurcation).
    assert abs(l2_10k.period.to_value(u.day) - 14.8) < 0.1
    assert abs(l2_10k.az.to_value(u.km) - 10000) < 1.0
    assert l2_10k.family == "northern"


def test_queqiao_halo():
    # Queqiao (Chang'e-4 relay, 2018): Earth-Moon L2 halo with a z amplitude of about
    # 13,000 km and a period of about 14 days (Zhang L., "Development and prospect of
    # Chang'e-4 mission", Chinese Space Science and Technology, 2018; CNSA, June 2018).
    h = orbits.halo_orbit("L2", 13000 * u.km, "southern")
    assert 14.0 < h.period.to_value(u.day) < 15.0
    # southern mirrors northern (z -> -z symmetry)
    n = orbits.halo_orbit("L2", 13000 * u.km, "northern")
    np.testing.assert_allclose(h.state0_nd * [1, 1, -1, 1, 1, -1], n.state0_nd, atol=1e-14)
    traj, _ = h.trajectory(200)
    assert traj[:, 2].min() * EARTH_MOON_DISTANCE < -12990  # the larger excursion is south (km; 200 samples)


def test_l1_halo_period():
    # Earth-Moon L1 halos near the bifurcation have periods of about 11.9-12.0 days
    # (Grebow 2006, L1 halo family; Howell 1984 Fig. for mu = 0.0121).
    h = orbits.halo_orbit("L1", 8000 * u.km)
    assert 11.8 < h.period.to_value(u.day) < 12.1


def test_halo_correction_failure_reports_residual():
    guess, T, _ = core.richardson_halo(MU_EARTH_MOON, 2, 0.03)
    bad = guess + np.array([0.02, 0, 0, 0, 0.05, 0])
    with pytest.raises(core.HaloCorrectionError, match="residual") as info:
        core.correct_halo(bad, MU_EARTH_MOON, T, max_iter=1)
    assert info.value.residual > 1e-6


@pytest.mark.parametrize(
    "kwargs,exc,msg",
    [
        ({"point": "L3"}, ArgumentError, "point must be 'L1' or 'L2'"),
        ({"family": "eastern"}, ArgumentError, "family must be 'northern' or 'southern'"),
        ({"az": 1e6 * u.km}, ArgumentError, "az must be in"),
        ({"az": 10000}, ArgumentTypeError, "az must be an astropy Quantity"),
        ({"tol": 1.0}, ArgumentError, "tol must be a number in"),
    ],
)
def test_halo_bad_input(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        orbits.halo_orbit(**kwargs)


def test_zero_velocity_curves():
    t = orbits.lagrange_points()
    C1 = t.jacobi[0]
    x, y, f = orbits.zero_velocity_curves(C1, n=801)
    assert f.shape == (801, 801) and x.unit == u.km
    # at C = C_L1 the curves touch at L1 (field 2 Omega - C = 0 there, by definition)
    pts = np.stack([t.x.value, t.y.value, np.zeros(5)], axis=-1)
    assert abs(2 * core.pseudo_potential(pts[0], MU_EARTH_MOON) - C1.value) < 1e-12
    # L4 is forbidden for C > C_L4 (field = C_L4 - C < 0)
    i4 = np.argmin(np.abs(y.value - t.y_km[3].value))
    j4 = np.argmin(np.abs(x.value - t.x_km[3].value))
    assert f[i4, j4] < 0
    # near the Earth motion is allowed
    assert f[400, np.argmin(np.abs(x.value + 0.1 * EARTH_MOON_DISTANCE))] > 0
    with pytest.raises(ArgumentError, match="jacobi must be a scalar"):
        orbits.zero_velocity_curves([3.1, 3.2] * u.one)


def test_halo_beyond_the_family_names_amplitude_and_range():
    # An L2 halo of Az = 35,000 km used to fail here ("did not converge"); with the family's
    # continuation it converges (tests/orbits/test_halo_families.py checks it against the
    # catalogue). Amplitudes past the end of the family's first branch (orbits.cr3bp.
    # HALO_AZ_RANGE) are an ArgumentError naming the amplitude and the range.
    lo, hi = orbits.cr3bp.HALO_AZ_RANGE["L2"]
    with pytest.raises(ArgumentError, match=rf"az = 95,000 km is beyond.*between {lo:,.0f} and "
                                            rf"{hi:,.0f} km about L2"):
        orbits.halo_orbit("L2", 95000 * u.km)


def test_results_have_one_shape(l2_10k):
    import json

    t = orbits.lagrange_points()
    assert len(t) == 5 and list(t.point) == ["L1", "L2", "L3", "L4", "L5"]
    assert len(t.to_table()) == 5 and "\n" not in repr(t)
    json.dumps(t.to_dict())
    # the repr names the point, family, amplitude and period (Howell 1984: ~14.8 d at 10,000 km)
    r = repr(l2_10k)
    assert r.startswith("<HaloOrbit L2 northern, Az 10,0") and "period 14.8" in r  # matched to 1 km
    d = l2_10k.to_dict()
    json.dumps(d)
    assert d["period"]["unit"] == "d" and d["point"] == "L2"
    assert max(len(line) for line in l2_10k.to_text().splitlines()) <= 100


def test_characteristic_units_take_k():
    # n = sqrt(k / L^3) with k = GM_Earth + GM_Moon (DE421 values, Folkner et al. 2008):
    # 398600.4418 + 4902.800080 km^3/s^2, L = 384,400 km (Curtis Table A.1)
    _, T, _ = orbits.cr3bp.characteristic_units(k=(398600.4418 + 4902.800080) * u.km**3 / u.s**2)
    np.testing.assert_allclose(T.to_value(u.s), np.sqrt(384400.0**3 / (398600.4418 + 4902.800080)), rtol=1e-12)
    with pytest.raises(TypeError):
        orbits.cr3bp.characteristic_units(384400 * u.km)  # keyword-only


def test_stm_rate_is_the_jacobian_of_the_equations_of_motion():
    # d(Phi)/dt = A Phi with A the Jacobian of the CR3BP equations (Szebehely 1967, ch. 10;
    # Koon, Lo, Marsden & Ross, "Dynamical Systems, the Three-Body Problem and Space Mission
    # Design", 2011, sec. 4.4): check A against central differences of the state equations.
    mu = MU_EARTH_MOON
    s0 = np.array([1.12, 0.03, 0.05, 0.01, 0.17, -0.02])
    phi = np.eye(6) + 0.1 * np.arange(36.0).reshape(6, 6) / 36.0
    out = core.eom(0.0, np.concatenate([s0, phi.ravel()]), mu, with_stm=True)
    h = 1e-6
    jac = np.column_stack([(core.eom(0.0, s0 + h * e, mu) - core.eom(0.0, s0 - h * e, mu))
                           / (2 * h) for e in np.eye(6)])
    np.testing.assert_allclose(out[:6], core.eom(0.0, s0, mu), rtol=0, atol=1e-15)
    np.testing.assert_allclose(out[6:].reshape(6, 6), jac @ phi, rtol=0, atol=1e-8)
