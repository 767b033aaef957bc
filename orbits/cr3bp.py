"""Earth-Moon circular restricted three-body problem: libration points, Jacobi constant,
halo orbits (Queqiao's kind) and zero-velocity curves.

Frame: barycentric, rotating with the Moon, x from the Earth towards the Moon, z along the
orbit normal. Lengths are scaled by ``distance`` (default the mean Earth-Moon distance,
384,400 km; Curtis Table A.1) and times by ``1 / n`` with ``n = sqrt(G (M_E + M_M) /
distance^3)`` (4.343 days). Nondimensional numbers follow Szebehely (1967); see
:mod:`orbits.core.cr3bp` for the equations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.table import QTable

from orbits._validation import as_value
from orbits.core import cr3bp as core
from orbits.core.constants import EARTH_MOON_DISTANCE, GM_EARTH, GM_MOON, MU_EARTH_MOON

__all__ = [
    "HaloCorrectionError",
    "HaloOrbit",
    "characteristic_units",
    "halo_orbit",
    "jacobi_constant",
    "lagrange_points",
    "zero_velocity_curves",
]

HaloCorrectionError = core.HaloCorrectionError


def _mu(mu) -> float:
    if isinstance(mu, u.Quantity):
        mu = as_value(mu, u.one, "mu", min=0.0, max=0.5, min_inclusive=False)
    try:
        m = float(mu)
    except (TypeError, ValueError):
        raise TypeError(f"mu must be a number (mass ratio m2 / (m1 + m2)), got {mu!r}") from None
    if not (0.0 < m <= 0.5):
        raise ValueError(f"mu must be in (0, 0.5] (mass ratio m2 / (m1 + m2)), got {m!r}")
    return m


def characteristic_units(distance=EARTH_MOON_DISTANCE * u.km, gm=(GM_EARTH + GM_MOON) * u.km**3 / u.s**2):
    """Length, time and speed units of the nondimensional problem, as Quantities."""
    L = as_value(distance, u.km, "distance", min=0.0, min_inclusive=False)
    G = as_value(gm, u.km**3 / u.s**2, "gm", min=0.0, min_inclusive=False)
    T = np.sqrt(L**3 / G)
    return L * u.km, (T * u.s).to(u.day), (L / T) * u.km / u.s


def lagrange_points(mu=MU_EARTH_MOON, distance=EARTH_MOON_DISTANCE * u.km) -> QTable:
    """The five libration points: nondimensional ``x``, ``y`` and in km (``x_km``, ``y_km``,
    barycentric rotating frame), with their Jacobi constants.

    For the Earth-Moon system (mu = 0.01215) L1, L2, L3 lie at x = 0.8369, 1.1557, -1.0051
    (Szebehely 1967; see the tests).
    """
    m = _mu(mu)
    L = as_value(distance, u.km, "distance", min=0.0, min_inclusive=False)
    pts = core.lagrange_points_nd(m)
    C = core.jacobi(np.concatenate([pts, np.zeros((5, 3))], axis=-1), m)
    return QTable(
        {
            "point": ["L1", "L2", "L3", "L4", "L5"],
            "x": pts[:, 0] * u.one,
            "y": pts[:, 1] * u.one,
            "x_km": pts[:, 0] * L * u.km,
            "y_km": pts[:, 1] * L * u.km,
            "jacobi": C * u.one,
        }
    )


def jacobi_constant(state, velocity=None, mu=MU_EARTH_MOON, distance=EARTH_MOON_DISTANCE * u.km):
    """Jacobi constant ``C = 2 Omega - v^2`` (nondimensional, Szebehely's form).

    Either ``state``: a dimensionless Quantity (or plain array) of shape (..., 6) in
    nondimensional rotating coordinates; or ``state`` = position (..., 3) in km and
    ``velocity`` (..., 3) in km/s, both in the rotating barycentric frame.
    """
    m = _mu(mu)
    if velocity is None:
        if isinstance(state, u.Quantity):
            s = as_value(state, u.one, "state")
        else:
            s = np.asarray(state, dtype=float)
            if not np.all(np.isfinite(s)):
                raise ValueError(f"state must be finite, got {state!r}")
    else:
        Lq, _, Vq = characteristic_units(distance)
        r = as_value(state, u.km, "state (position)") / Lq.value
        v = as_value(velocity, u.km / u.s, "velocity") / Vq.value
        s = np.concatenate(np.broadcast_arrays(r, v), axis=-1)
    s = np.asarray(s, float)
    if s.shape[-1:] != (6,):
        raise ValueError(f"state must have 6 components on its last axis, got shape {s.shape}")
    return core.jacobi(s, m) * u.one


@dataclass(frozen=True)
class HaloOrbit:
    """A corrected halo orbit. ``state0_nd`` is the nondimensional initial state at the
    xz-plane crossing (y = vx = vz = 0)."""

    point: str
    family: str
    state0_nd: np.ndarray
    period_nd: float
    mu: float
    position0: u.Quantity
    velocity0: u.Quantity
    period: u.Quantity
    az: u.Quantity
    ax: u.Quantity
    ay: u.Quantity
    jacobi: u.Quantity
    az_requested: u.Quantity
    distance: u.Quantity

    def trajectory(self, n: int = 400, periods: float = 1.0):
        """States along the orbit: nondimensional array (n, 6) and times (n,), by integrating
        the CR3BP equations (scipy DOP853, rtol 1e-12)."""
        from scipy.integrate import solve_ivp

        t = np.linspace(0.0, periods * self.period_nd, int(n))
        sol = solve_ivp(
            core.eom, (0.0, t[-1]), self.state0_nd, args=(self.mu,), t_eval=t,
            rtol=1e-12, atol=1e-12, method="DOP853",
        )
        return sol.y.T, sol.t


def halo_orbit(
    point="L2",
    az=10000 * u.km,
    family="northern",
    mu=MU_EARTH_MOON,
    distance=EARTH_MOON_DISTANCE * u.km,
    tol: float = 1e-11,
) -> HaloOrbit:
    """Periodic halo orbit about L1 or L2: Richardson (1980) third-order guess, then
    differential correction (single shooting with the state transition matrix on the
    symmetric half-period crossing of the xz-plane, scipy ``solve_ivp``).

    Parameters
    ----------
    point : {'L1', 'L2'}
    az : Quantity (length)
        Out-of-plane amplitude: the corrected orbit's maximum ``|z|``, 1,000 .. 60,000 km for
        the Earth-Moon system (Richardson's first-order amplitude is iterated to match it).
    family : {'northern', 'southern'}
        Northern: the larger z excursion is on the +z side (Howell 1984); southern mirrors it.
    tol : float
        Convergence tolerance on ``|(vx, vz)|`` at the half-period crossing (nondimensional).

    Raises
    ------
    HaloCorrectionError
        If the correction does not converge (message and ``.residual`` give the residual).

    Examples
    --------
    Queqiao's Earth-Moon L2 halo (Az about 13,000 km) has a period of about 14.8 days:

    >>> h = halo_orbit("L2", 13000 * u.km)
    >>> round(float(h.period.to_value(u.day)), 1)
    14.8
    """
    m = _mu(mu)
    if not isinstance(point, str) or point.upper() not in ("L1", "L2"):
        raise ValueError(f"point must be 'L1' or 'L2' (halo orbits about the collinear points), got {point!r}")
    if not isinstance(family, str) or family.lower() not in ("northern", "southern"):
        raise ValueError(f"family must be 'northern' or 'southern', got {family!r}")
    Lq, Tq, Vq = characteristic_units(distance)
    L = Lq.value
    az_km = as_value(az, u.km, "az", min=1.0e-3 * L, max=0.16 * L)
    p = 1 if point.upper() == "L1" else 2

    def corrected(az_param):
        guess, t_guess, _ = core.richardson_halo(m, p, az_param, northern=True)
        s0, T = core.correct_halo(guess, m, t_guess, tol=tol)
        tmp = HaloOrbit(point.upper(), "northern", s0, T, m, s0[:3] * Lq, s0[3:] * Vq, T * Tq,
                        0 * u.km, 0 * u.km, 0 * u.km, 0 * u.one, az_km * u.km, Lq)
        traj, _ = tmp.trajectory(n=721)
        return s0, T, traj

    # Richardson's Az is the first-order amplitude; iterate it (secant on the ratio) until the
    # corrected orbit's actual max |z| matches the request to 1 km.
    target = az_km / L
    az_param = target
    for _ in range(8):
        s0, T, traj = corrected(az_param)
        actual = np.abs(traj[:, 2]).max()
        if abs(actual - target) * L < 1.0:
            break
        az_param *= target / actual
    else:
        raise HaloCorrectionError(
            f"could not match az = {az_km:g} km: the corrected orbit's max |z| is "
            f"{actual * L:.1f} km after 8 amplitude iterations", abs(actual - target),
        )
    z = traj[:, 2]
    northern = z.max() >= -z.min()
    if northern != (family.lower() == "northern"):
        s0 = s0 * np.array([1, 1, -1, 1, 1, -1])  # z -> -z symmetry of the CR3BP
        traj = traj * np.array([1, 1, -1, 1, 1, -1])
    return HaloOrbit(
        point=point.upper(),
        family=family.lower(),
        state0_nd=s0,
        period_nd=T,
        mu=m,
        position0=s0[:3] * Lq,
        velocity0=s0[3:] * Vq,
        period=T * Tq,
        az=np.abs(traj[:, 2]).max() * Lq,
        ax=0.5 * np.ptp(traj[:, 0]) * Lq,
        ay=0.5 * np.ptp(traj[:, 1]) * Lq,
        jacobi=core.jacobi(s0, m) * u.one,
        az_requested=az_km * u.km,
        distance=Lq,
    )


def zero_velocity_curves(
    jacobi, mu=MU_EARTH_MOON, extent=1.5, n: int = 401, distance=EARTH_MOON_DISTANCE * u.km
):
    """Zero-velocity curves of a Jacobi constant in the xy-plane.

    Returns ``(x, y, field)`` with ``x``, ``y`` 1-D Quantities in km and ``field = 2 Omega - C``
    (shape ``(n, n)``, dimensionless, index ``[iy, ix]``): motion is forbidden where
    ``field < 0``; the curves are its zero contour.
    """
    m = _mu(mu)
    C = as_value(jacobi if isinstance(jacobi, u.Quantity) else jacobi * u.one, u.one, "jacobi", min=0.0, max=10.0)
    if np.ndim(C):
        raise ValueError(f"jacobi must be a scalar, got {jacobi!r}")
    if not (0.1 <= float(extent) <= 10.0):
        raise ValueError(f"extent must be in [0.1, 10] (nondimensional half-width), got {extent!r}")
    if not (10 <= int(n) <= 4001):
        raise ValueError(f"n must be in [10, 4001], got {n!r}")
    Lq, _, _ = characteristic_units(distance)
    g = np.linspace(-extent, extent, int(n))
    X, Y = np.meshgrid(g, g)
    with np.errstate(divide="ignore"):
        field = 2.0 * core.pseudo_potential(np.stack([X, Y, np.zeros_like(X)], axis=-1), m) - C
    field = np.where(np.isfinite(field), field, 1e6)  # at the primaries themselves
    return g * Lq, g * Lq, field * u.one
