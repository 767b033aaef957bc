"""Halo families about the Earth-Moon L1 and L2 points, down into the NRHOs.

Reference: the Earth-Moon halo catalogue saved in seeds/authorities/periodic-orbits/ (L1 and L2
northern families: state at the larger-|z| xz-plane crossing, period, Jacobi constant with the
mu (1 - mu) term, largest monodromy multiplier; see its PROVENANCE.md), integrated again in the
tests with scipy's solve_ivp and equations written out here.
"""

from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from scipy.integrate import solve_ivp

import orbits.cr3bp as cr3bp
from orbits.core import cr3bp as core
from orbits.core.constants import EARTH_MOON_DISTANCE, MU_EARTH_MOON, R_MOON
from orbits.errors import ArgumentError, ConvergenceError

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "authorities" / "periodic-orbits"
MU = MU_EARTH_MOON
L_KM = EARTH_MOON_DISTANCE


def _catalogue(point):
    d = np.loadtxt(SEEDS / f"halo-earth-moon-{point}-northern.csv", delimiter=",")
    # columns: x0, z0, vy0 (nondimensional), period (nondimensional), Jacobi with the
    # mu (1 - mu) term, largest |multiplier|; the catalogue's mu is 0.012150584460351
    return {"x0": d[:, 0], "z0": d[:, 1], "vy0": d[:, 2], "T": d[:, 3],
            "C": d[:, 4] - MU * (1 - MU), "lam": d[:, 5]}


def _rhs(t, s, mu):
    # The CR3BP written out again (Szebehely 1967), independent of orbits.core.cr3bp.
    x, y, z, vx, vy, vz = s
    r1 = np.sqrt((x + mu) ** 2 + y**2 + z**2)
    r2 = np.sqrt((x - 1 + mu) ** 2 + y**2 + z**2)
    return [vx, vy, vz,
            2 * vy + x - (1 - mu) * (x + mu) / r1**3 - mu * (x - 1 + mu) / r2**3,
            -2 * vx + y - (1 - mu) * y / r1**3 - mu * y / r2**3,
            -(1 - mu) * z / r1**3 - mu * z / r2**3]


def _closes(state0, period):
    sol = solve_ivp(_rhs, (0, period), state0, args=(MU,), rtol=1e-12, atol=1e-12,
                    method="DOP853", dense_output=True)
    t = np.linspace(0, period, 4001)
    y = sol.sol(t)
    jac = 2 * (0.5 * (y[0] ** 2 + y[1] ** 2) + (1 - MU) / np.sqrt((y[0] + MU) ** 2 + y[1] ** 2
               + y[2] ** 2) + MU / np.sqrt((y[0] - 1 + MU) ** 2 + y[1] ** 2 + y[2] ** 2)) \
        - (y[3] ** 2 + y[4] ** 2 + y[5] ** 2)
    moon = np.linalg.norm(y[:3].T - [1 - MU, 0, 0], axis=-1)
    return sol.y[:, -1], np.ptp(jac), moon.min(), moon.max()


@pytest.fixture(scope="module")
def l2_south():
    return cr3bp.halo_family("L2", "southern")


def test_l2_family_matches_the_catalogue(l2_south):
    F = l2_south
    cat = _catalogue("L2")
    T = F.period_nd
    assert len(F) >= 15
    # on the first branch, below 90 % of its largest z0, interpolate the catalogue in z0 (the
    # period hardly changes there); near and beyond the turn (the NRHOs, the period still
    # falling) in the period
    z = -F.z0.to_value(u.km) / L_KM  # southern: z0 < 0 at the larger-|z| crossing
    k = int(np.argmax(cat["z0"]))
    first = (np.arange(len(F)) < int(np.argmax(z))) & (z < 0.9 * z.max())
    rows = np.arange(k + 1)
    tail = np.argsort(cat["T"])  # the period falls monotonically along the whole catalogue
    for key, tol in (("T", 2e-4), ("C", 1e-5), ("x0", 3e-5)):
        ours = {"T": T, "C": F.jacobi.value, "x0": F.x0.to_value(u.km) / L_KM}[key]
        ref = np.where(first, np.interp(z, cat["z0"][rows], cat[key][rows]),
                       np.interp(T, cat["T"][tail], cat[key][tail]))
        np.testing.assert_allclose(ours, ref, rtol=tol if key == "T" else 0,
                                   atol=0 if key == "T" else tol)
    np.testing.assert_allclose(z[~first], np.interp(T[~first], cat["T"][tail],
                                                    cat["z0"][tail]), atol=3e-5)
    lam = np.where(first, np.interp(z, cat["z0"][rows], cat["lam"][rows]),
                   np.interp(T, cat["T"][tail], cat["lam"][tail]))
    np.testing.assert_allclose(F.stability_index, 0.5 * (lam + 1 / lam), rtol=0.02)
    # from the bifurcation (14.8 d, catalogue row 1) into the NRHOs (catalogue ends at the
    # collision orbit, 1.3457 nondimensional = 5.85 d)
    assert T.max() == pytest.approx(cat["T"].max(), rel=1e-3)
    assert cat["T"].min() < T.min() < 1.05 * cat["T"].min()
    rp = F.perilune_radius.to_value(u.km)
    assert rp.min() >= R_MOON and np.all(np.diff(T) < 0)
    assert repr(F).startswith("<HaloFamily L2 southern") and len(F.to_table()) == len(F)
    assert max(len(line) for line in F.to_text().splitlines()) <= 130


def test_family_members_are_periodic(l2_south):
    # every third member integrated again here: returns to its state after one period, Jacobi
    # constant conserved, perilune/apolune as the table says
    for i in range(0, len(l2_south), 3):
        h = l2_south.member(i)
        end, dC, rmin, rmax = _closes(h.state0_nd, h.period_nd)
        np.testing.assert_allclose(end, h.state0_nd, atol=2e-7)
        assert dC < 1e-10
        assert abs(rmin * L_KM - l2_south.perilune_radius[i].to_value(u.km)) < 5.0
        assert abs(rmax * L_KM - l2_south.apolune_radius[i].to_value(u.km)) < 5.0


def test_nrho_9_2():
    # The Gateway's L2 southern 9:2 NRHO: 9 revolutions in 2 synodic months, 2/9 x 29.530589 d
    # = 6.5624 d (Zimovan-Spreen, Howell & Davis 2020, CMDA 132:28; synodic month from Meeus
    # 1998 ch. 49). Apolune about 70,000 km (ESA, "Orbiting lunar Gateway", 2019-07).
    h = cr3bp.nrho("9:2")
    assert h.period.to_value(u.day) == pytest.approx(2 / 9 * 29.530589, abs=2e-5)
    assert h.family == "southern" and h.point == "L2"
    assert abs(h.apolune_radius.to_value(u.km) - 70000) < 2000
    # the catalogue's member of the same period (rows around 6.56 d, interpolated in period),
    # integrated here: same perilune radius, Jacobi constant and stability index
    cat = _catalogue("L2")
    T_nd = h.period_nd
    order = np.argsort(cat["T"])
    s0 = np.zeros(6)
    s0[0], s0[2], s0[4] = (np.interp(T_nd, cat["T"][order], cat[k][order])
                           for k in ("x0", "z0", "vy0"))
    _, _, rmin, _ = _closes(s0, T_nd)
    assert abs(h.perilune_radius.to_value(u.km) - rmin * L_KM) < 30.0
    assert h.jacobi.value == pytest.approx(np.interp(T_nd, cat["T"][order], cat["C"][order]),
                                           abs=2e-6)
    lam = np.interp(T_nd, cat["T"][order], cat["lam"][order])
    assert h.stability_index == pytest.approx(0.5 * (lam + 1 / lam), rel=0.01)
    # southern: the apolune (largest |z|) is below the Moon's orbital plane
    assert h.state0_nd[2] < 0
    with pytest.raises(ArgumentError, match="resonance must be 'N:M'"):
        cr3bp.nrho("9-2")
    with pytest.raises(ArgumentError, match="needs a period of 29.531 d"):
        cr3bp.nrho("1:1")


@pytest.mark.parametrize("az_km", [35000.0, 60000.0, 76000.0])
def test_l2_halo_orbit_over_the_whole_range(az_km, l2_south):
    # formerly "did not converge" from 33,000 km up; the catalogue's first branch (z0 rising)
    # interpolated at z0 = Az gives the period and Jacobi constant
    h = cr3bp.halo_orbit("L2", az_km * u.km, "northern")
    assert abs(h.az.to_value(u.km) - az_km) < 1.0
    cat = _catalogue("L2")
    k = int(np.argmax(cat["z0"]))
    z, T, C = cat["z0"][: k + 1], cat["T"][: k + 1], cat["C"][: k + 1]
    assert h.period_nd == pytest.approx(np.interp(az_km / L_KM, z, T), rel=2e-4)
    assert h.jacobi.value == pytest.approx(np.interp(az_km / L_KM, z, C), abs=2e-5)
    end, dC, _, _ = _closes(h.state0_nd, h.period_nd)
    np.testing.assert_allclose(end, h.state0_nd, atol=2e-7)
    assert dC < 1e-10


def test_queqiao_halo_on_its_family(l2_south):
    # Queqiao (Chang'e-4 relay, 2018): L2 halo, Az about 13,000 km, period about 14 days
    # (Zhang L., "Development and prospect of Chang'e-4 mission", 2018; CNSA, June 2018).
    h = cr3bp.halo_orbit("L2", 13000 * u.km, "southern")
    cat = _catalogue("L2")
    k = int(np.argmax(cat["z0"]))
    T_cat = np.interp(13000 / L_KM, cat["z0"][: k + 1], cat["T"][: k + 1])
    assert h.period_nd == pytest.approx(T_cat, rel=2e-4)
    # and on the family table: between the members that bracket its amplitude
    az = l2_south.az.to_value(u.km)
    j = int(np.searchsorted(az, 13000))
    T = l2_south.period.to_value(u.day)
    assert min(T[j - 1], T[j]) <= h.period.to_value(u.day) <= max(T[j - 1], T[j])
    assert 14.0 < h.period.to_value(u.day) < 15.0


def test_amplitude_beyond_the_family_and_non_convergence(l2_south, monkeypatch):
    with pytest.raises(ArgumentError, match=r"az = 80,000 km is beyond the L2 halo family's "
                                            r"first branch.*between 1,000 and 77,000 km"):
        cr3bp.halo_orbit("L2", 80000 * u.km)
    # a correction allowed a single Newton step cannot converge from the interpolated guess:
    # a ConvergenceError naming the constraint and by how much it is missed
    orig = core.correct_symmetric
    monkeypatch.setattr(core, "correct_symmetric",
                        lambda *a, **k: orig(*a, **{**k, "max_iter": 1}))
    with pytest.raises(ConvergenceError, match=r"az = 61,234 km about L2.*vx and vz at the "
                                               r"half-period crossing still [0-9.e-]+ "):
        cr3bp.halo_orbit("L2", 61234 * u.km)
    with pytest.raises(ArgumentError, match="i must be an integer"):
        l2_south.member(len(l2_south))


def test_l1_catalogue_member_corrects_to_itself():
    # catalogue L1 row 216 (z0 = 0.216, near the L1 NRHOs): our corrector, started 100 km off,
    # returns to the catalogue's state, period and multiplier
    cat = _catalogue("L1")
    i = 216
    X = np.array([cat["x0"][i] + 100 / L_KM, cat["z0"][i], cat["vy0"][i]])
    Xc, th, _, phi, _ = core.correct_symmetric(X, MU, cat["T"][i] / 2, fixed=1)
    assert abs(Xc[0] - cat["x0"][i]) < 1e-7 and abs(Xc[2] - cat["vy0"][i]) < 1e-7
    assert 2 * th == pytest.approx(cat["T"][i], rel=1e-6)
    _, lam = core.stability_index(core.monodromy(phi))
    assert lam == pytest.approx(cat["lam"][i], rel=1e-4)


@pytest.mark.slow
def test_l1_family_and_large_l1_halo():
    F = cr3bp.halo_family("L1", "northern")
    cat = _catalogue("L1")
    # the catalogue's z0 grows along the L1 family: compare period and Jacobi at our z0
    z = F.z0.to_value(u.km) / L_KM
    inside = z <= cat["z0"].max()
    np.testing.assert_allclose(F.period_nd[inside], np.interp(z[inside], cat["z0"], cat["T"]),
                               rtol=5e-4)
    np.testing.assert_allclose(F.jacobi.value[inside], np.interp(z[inside], cat["z0"],
                                                                 cat["C"]), atol=2e-5)
    # the L1 NRHOs: period minimum 7.8 d
    assert 7.5 < F.period.to_value(u.day).min() < 8.0
    h = cr3bp.halo_orbit("L1", 70000 * u.km)
    assert h.period_nd == pytest.approx(np.interp(70000 / L_KM, cat["z0"], cat["T"]), rel=2e-4)


def test_halo_family_figure(l2_south):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from orbits.errors import ArgumentTypeError
    from orbits.plots.halo import halo_family_figure

    fig = halo_family_figure(l2_south, every=4, highlight=l2_south.member(0))
    assert isinstance(fig, Figure) and len(fig.axes) == 3  # xz, yz, colour bar
    assert "L2 southern" in fig._suptitle.get_text()
    with pytest.raises(ArgumentTypeError, match="family must be an orbits.cr3bp.HaloFamily"):
        halo_family_figure(None)
    with pytest.raises(ArgumentError, match="every must be a positive integer"):
        halo_family_figure(l2_south, every=0)
