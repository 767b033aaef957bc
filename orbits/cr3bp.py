"""Earth-Moon circular restricted three-body problem.

Libration points, Jacobi constant, halo orbits (Queqiao's kind) and zero-velocity curves.

Frame: barycentric, rotating with the Moon, x from the Earth towards the Moon, z along the
orbit normal. Lengths are scaled by ``distance`` (default the mean Earth-Moon distance,
384,400 km; Curtis Table A.1) and times by ``1 / n`` with ``n = sqrt(k / distance^3)``,
``k = G (M_E + M_M)`` (4.343 days). ``mass_ratio`` is the CR3BP's mu, ``m2 / (m1 + m2)``.
Nondimensional numbers follow Szebehely (1967); see :mod:`orbits.core.cr3bp` for the
equations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u

from orbits._validation import as_value, describe_value
from orbits.core import cr3bp as core
from orbits.core.constants import EARTH_MOON_DISTANCE, GM_EARTH, GM_MOON, MU_EARTH_MOON
from orbits.errors import ArgumentError, ArgumentTypeError, ConvergenceError
from orbits.results import Result, TableResult, column, quantity, value

__all__ = [
    "HALO_AZ_RANGE",
    "HaloOrbit",
    "LagrangePoints",
    "characteristic_units",
    "halo_orbit",
    "jacobi_constant",
    "lagrange_points",
    "zero_velocity_curves",
]

#: Out-of-plane amplitudes (km) for which :func:`halo_orbit` was measured to converge in the
#: Earth-Moon system (1,000 km steps near the ends; L2 fails at 30,500 and 32,000-40,000 km,
#: L1 from 52,000 km).
HALO_AZ_RANGE = {"L1": (1000.0, 51000.0), "L2": (1000.0, 30000.0)}

_K_EM = (GM_EARTH + GM_MOON) * u.km**3 / u.s**2


def _mass_ratio(mass_ratio) -> float:
    if isinstance(mass_ratio, u.Quantity):
        mass_ratio = as_value(
            mass_ratio, u.one, "mass_ratio", min=0.0, max=0.5, min_inclusive=False
        )
    if isinstance(mass_ratio, bool) or not isinstance(
        mass_ratio, (int, float, np.floating, np.integer)
    ):
        raise ArgumentTypeError(
            f"mass_ratio must be a number (m2 / (m1 + m2)), got {describe_value(mass_ratio)}"
        )
    m = float(mass_ratio)
    if not (0.0 < m <= 0.5):
        raise ArgumentError(f"mass_ratio must be in (0, 0.5] (m2 / (m1 + m2)), got {m!r}")
    return m


def characteristic_units(*, distance=EARTH_MOON_DISTANCE * u.km, k=_K_EM):
    """Return the length, time and speed units of the nondimensional problem, as Quantities.

    ``k`` is the primaries' total gravitational parameter.
    """
    L = as_value(distance, u.km, "distance", min=0.0, min_inclusive=False)
    G = as_value(k, u.km**3 / u.s**2, "k", min=0.0, min_inclusive=False)
    T = np.sqrt(L**3 / G)
    return L * u.km, (T * u.s).to(u.day), (L / T) * u.km / u.s


@dataclass(frozen=True, repr=False)
class LagrangePoints(TableResult):
    """The five libration points in the barycentric rotating frame, with their Jacobi constants.

    Szebehely's form of the constant: ``C = 2 Omega - v^2``.
    """

    mass_ratio: float = quantity("mass ratio", "", fmt=".8f")
    distance: u.Quantity = quantity("primaries' distance", "km", fmt=".0f")
    point: np.ndarray = column("point")
    x: u.Quantity = column("x", "", fmt=".6f")
    y: u.Quantity = column("y", "", fmt=".6f")
    x_km: u.Quantity = column("x", "km", fmt=".0f")
    y_km: u.Quantity = column("y", "km", fmt=".0f")
    jacobi: u.Quantity = column("Jacobi constant", "", fmt=".6f")

    title = "Libration points"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        return (
            f"mass ratio {self.mass_ratio:.6g}: L1 x = {self.x[0].value:.4f}, "
            f"L2 x = {self.x[1].value:.4f}"
        )


def lagrange_points(
    *, mass_ratio=MU_EARTH_MOON, distance=EARTH_MOON_DISTANCE * u.km
) -> LagrangePoints:
    """Return the five libration points and their Jacobi constants.

    Nondimensional ``x``, ``y`` and in km (``x_km``, ``y_km``), barycentric rotating frame.

    For the Earth-Moon system (mass ratio 0.01215) L1, L2, L3 lie at x = 0.8369, 1.1557,
    -1.0051 (Szebehely 1967; see the tests).
    """
    m = _mass_ratio(mass_ratio)
    L = as_value(distance, u.km, "distance", min=0.0, min_inclusive=False)
    pts = core.lagrange_points_nd(m)
    C = core.jacobi(np.concatenate([pts, np.zeros((5, 3))], axis=-1), m)
    return LagrangePoints(
        mass_ratio=m,
        distance=L * u.km,
        point=np.array(["L1", "L2", "L3", "L4", "L5"]),
        x=pts[:, 0] * u.one,
        y=pts[:, 1] * u.one,
        x_km=pts[:, 0] * L * u.km,
        y_km=pts[:, 1] * L * u.km,
        jacobi=C * u.one,
        notes=("circular restricted three-body problem, Szebehely (1967) conventions",),
    )


def jacobi_constant(
    state, velocity=None, *, mass_ratio=MU_EARTH_MOON, distance=EARTH_MOON_DISTANCE * u.km
):
    """Jacobi constant ``C = 2 Omega - v^2`` (nondimensional, Szebehely's form).

    Either ``state``: a dimensionless Quantity (or plain array) of shape (..., 6) in
    nondimensional rotating coordinates; or ``state`` = position (..., 3) in km and
    ``velocity`` (..., 3) in km/s, both in the rotating barycentric frame.
    """
    m = _mass_ratio(mass_ratio)
    if velocity is None:
        if isinstance(state, u.Quantity):
            s = as_value(state, u.one, "state")
        else:
            try:
                s = np.asarray(state, dtype=float)
            except (TypeError, ValueError):
                raise ArgumentTypeError(
                    f"state must be an array of numbers, got {describe_value(state)}"
                ) from None
            if not np.all(np.isfinite(s)):
                raise ArgumentError(f"state must be finite, got {describe_value(state)}")
    else:
        Lq, _, Vq = characteristic_units(distance=distance)
        r = as_value(state, u.km, "state (position)") / Lq.value
        v = as_value(velocity, u.km / u.s, "velocity") / Vq.value
        if np.shape(r)[-1:] != (3,) or np.shape(v)[-1:] != (3,):
            raise ArgumentError(
                f"state (position) and velocity must have 3 components on their "
                f"last axis, got shapes {np.shape(r)} and {np.shape(v)}"
            )
        try:
            s = np.concatenate(np.broadcast_arrays(r, v), axis=-1)
        except ValueError:
            raise ArgumentError(
                f"state (position) shape {np.shape(r)} and velocity shape "
                f"{np.shape(v)} do not broadcast"
            ) from None
    s = np.asarray(s, float)
    if s.shape[-1:] != (6,):
        raise ArgumentError(f"state must have 6 components on its last axis, got shape {s.shape}")
    return core.jacobi(s, m) * u.one


@dataclass(frozen=True, repr=False)
class HaloOrbit(Result):
    """A corrected halo orbit about L1 or L2.

    ``state0_nd`` is the nondimensional initial state at the xz-plane crossing
    (y = vx = vz = 0) and ``period_nd`` its nondimensional period; :meth:`trajectory`
    integrates it.
    """

    point: str = value("libration point")
    family: str = value("family")
    az: u.Quantity = quantity("out-of-plane amplitude Az", "km", fmt=".0f")
    ax: u.Quantity = quantity("in-plane amplitude Ax", "km", fmt=".0f")
    ay: u.Quantity = quantity("in-plane amplitude Ay", "km", fmt=".0f")
    period: u.Quantity = quantity("period", "day", fmt=".3f")
    jacobi: u.Quantity = quantity("Jacobi constant", "", fmt=".6f")
    az_requested: u.Quantity = quantity("requested Az", "km", fmt=".0f")
    mass_ratio: float = quantity("mass ratio", "", fmt=".8f")
    distance: u.Quantity = quantity("primaries' distance", "km", fmt=".0f")
    position0: u.Quantity = None
    velocity0: u.Quantity = None
    state0_nd: np.ndarray = None
    period_nd: float = None

    title = "Halo orbit"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        return (
            f"{self.point} {self.family}, Az {self.az.to_value(u.km):,.0f} km, period "
            f"{self.period.to_value(u.day):.2f} d"
        )

    def trajectory(self, n: int = 400, periods: float = 1.0):
        """Return states along the orbit: nondimensional array (n, 6) and times (n,).

        By integrating the CR3BP equations (scipy DOP853, rtol 1e-12).
        """
        from scipy.integrate import solve_ivp

        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= 100_000:
            raise ArgumentError(f"n must be an integer in [2, 100000], got {describe_value(n)}")
        if not isinstance(periods, (int, float)) or not 0 < periods <= 100:
            raise ArgumentError(
                f"periods must be a number in (0, 100], got {describe_value(periods)}"
            )
        t = np.linspace(0.0, periods * self.period_nd, int(n))
        sol = solve_ivp(
            core.eom,
            (0.0, t[-1]),
            self.state0_nd,
            args=(self.mass_ratio,),
            t_eval=t,
            rtol=1e-12,
            atol=1e-12,
            method="DOP853",
        )
        return sol.y.T, sol.t


def _convergence_error(point, az_km, detail) -> ConvergenceError:
    lo, hi = HALO_AZ_RANGE[point]
    return ConvergenceError(
        f"halo_orbit did not converge for az = {az_km:,.0f} km about {point} ({detail}); "
        f"in the Earth-Moon system it converges for az between {lo:,.0f} and {hi:,.0f} km "
        f"about {point}"
    )


def halo_orbit(
    point="L2",
    az=10000 * u.km,
    family="northern",
    *,
    mass_ratio=MU_EARTH_MOON,
    distance=EARTH_MOON_DISTANCE * u.km,
    tol: float = 1e-11,
) -> HaloOrbit:
    """Compute a periodic halo orbit about L1 or L2.

    Richardson (1980) third-order guess, then differential correction (single shooting with the
    state transition matrix on the symmetric half-period crossing of the xz-plane, scipy
    ``solve_ivp``).

    Parameters
    ----------
    point : {'L1', 'L2'}
    az : Quantity (length)
        Out-of-plane amplitude: the corrected orbit's maximum ``|z|`` (Richardson's
        first-order amplitude is iterated to match it). Converges for the Earth-Moon system
        in :data:`HALO_AZ_RANGE` (L1 1,000-51,000 km, L2 1,000-30,000 km).
    family : {'northern', 'southern'}
        Northern: the larger z excursion is on the +z side (Howell 1984); southern mirrors it.
    mass_ratio : float
        The CR3BP's mu, m2 / (m1 + m2) (default Earth-Moon).
    tol : float
        Convergence tolerance on ``|(vx, vz)|`` at the half-period crossing (nondimensional).

    Raises
    ------
    orbits.errors.ConvergenceError
        If the correction does not converge; the message gives the amplitude and the range
        that works.

    Examples
    --------
    Queqiao's Earth-Moon L2 halo (Az about 13,000 km) has a period of about 14.8 days:

    >>> h = halo_orbit("L2", 13000 * u.km)
    >>> round(float(h.period.to_value(u.day)), 1)
    14.8
    """
    m = _mass_ratio(mass_ratio)
    if not isinstance(point, str) or point.strip().upper() not in ("L1", "L2"):
        raise ArgumentError(
            "point must be 'L1' or 'L2' (halo orbits about the collinear points), "
            f"got {describe_value(point)}"
        )
    if not isinstance(family, str) or family.strip().lower() not in ("northern", "southern"):
        raise ArgumentError(
            f"family must be 'northern' or 'southern', got {describe_value(family)}"
        )
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 1e-14 <= tol <= 1e-6:
        raise ArgumentError(f"tol must be a number in [1e-14, 1e-6], got {describe_value(tol)}")
    point, family = point.strip().upper(), family.strip().lower()
    Lq, Tq, Vq = characteristic_units(distance=distance)
    L = Lq.value
    az_km = as_value(az, u.km, "az", min=1.0e-3 * L, max=0.16 * L)
    if np.ndim(az_km):
        raise ArgumentError("az must be a scalar length")
    p = 1 if point == "L1" else 2

    def integrate(s0, T):
        from scipy.integrate import solve_ivp

        t = np.linspace(0.0, T, 721)
        sol = solve_ivp(
            core.eom, (0.0, T), s0, args=(m,), t_eval=t, rtol=1e-12, atol=1e-12, method="DOP853"
        )
        return sol.y.T

    def corrected(az_param):
        guess, t_guess, _ = core.richardson_halo(m, p, az_param, northern=True)
        s0, T = core.correct_halo(guess, m, t_guess, tol=tol)
        return s0, T, integrate(s0, T)

    # Richardson's Az is the first-order amplitude; iterate it (secant on the ratio) until the
    # corrected orbit's actual max |z| matches the request to 1 km.
    target = az_km / L
    az_param = target
    try:
        for _ in range(8):
            s0, T, traj = corrected(az_param)
            actual = np.abs(traj[:, 2]).max()
            if abs(actual - target) * L < 1.0:
                break
            az_param *= target / actual
        else:
            raise _convergence_error(
                point, az_km, f"max |z| still {actual * L:.1f} km after 8 amplitude iterations"
            )
    except core.HaloCorrectionError as exc:
        raise _convergence_error(
            point, az_km, f"residual |(vx, vz)| = {exc.residual:.3g}"
        ) from None
    except ValueError as exc:  # Richardson's amplitude constraint
        raise _convergence_error(point, az_km, str(exc)) from None
    z = traj[:, 2]
    northern = z.max() >= -z.min()
    if northern != (family == "northern"):
        s0 = s0 * np.array([1, 1, -1, 1, 1, -1])  # z -> -z symmetry of the CR3BP
        traj = traj * np.array([1, 1, -1, 1, 1, -1])
    return HaloOrbit(
        point=point,
        family=family,
        az=np.abs(traj[:, 2]).max() * Lq,
        ax=0.5 * np.ptp(traj[:, 0]) * Lq,
        ay=0.5 * np.ptp(traj[:, 1]) * Lq,
        period=T * Tq,
        jacobi=core.jacobi(s0, m) * u.one,
        az_requested=az_km * u.km,
        mass_ratio=m,
        distance=Lq,
        position0=s0[:3] * Lq,
        velocity0=s0[3:] * Vq,
        state0_nd=s0,
        period_nd=T,
        notes=(
            "Richardson (1980) third-order guess, differential correction on the half-period "
            "xz-plane crossing (Howell 1984), CR3BP integrated with scipy DOP853",
        ),
    )


def zero_velocity_curves(
    jacobi,
    *,
    mass_ratio=MU_EARTH_MOON,
    extent=1.5,
    n: int = 401,
    distance=EARTH_MOON_DISTANCE * u.km,
):
    """Zero-velocity curves of a Jacobi constant in the xy-plane.

    Returns ``(x, y, field)`` with ``x``, ``y`` 1-D Quantities in km and ``field = 2 Omega - C``
    (shape ``(n, n)``, dimensionless, index ``[iy, ix]``): motion is forbidden where
    ``field < 0``; the curves are its zero contour.
    """
    m = _mass_ratio(mass_ratio)
    if not isinstance(jacobi, u.Quantity):
        if isinstance(jacobi, bool) or not isinstance(
            jacobi, (int, float, np.floating, np.integer, list, tuple, np.ndarray)
        ):
            raise ArgumentTypeError(f"jacobi must be a number, got {describe_value(jacobi)}")
        jacobi = np.asarray(jacobi, dtype=float) * u.one
    C = as_value(jacobi, u.one, "jacobi", min=0.0, max=10.0)
    if np.ndim(C):
        raise ArgumentError(f"jacobi must be a scalar, got {describe_value(jacobi)}")
    if (
        isinstance(extent, bool)
        or not isinstance(extent, (int, float))
        or not (0.1 <= float(extent) <= 10.0)
    ):
        raise ArgumentError(
            "extent must be a number in [0.1, 10] (nondimensional half-width), "
            f"got {describe_value(extent)}"
        )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not (10 <= int(n) <= 4001):
        raise ArgumentError(f"n must be an integer in [10, 4001], got {describe_value(n)}")
    Lq, _, _ = characteristic_units(distance=distance)
    g = np.linspace(-extent, extent, int(n))
    X, Y = np.meshgrid(g, g)
    with np.errstate(divide="ignore"):
        field = 2.0 * core.pseudo_potential(np.stack([X, Y, np.zeros_like(X)], axis=-1), m) - C
    field = np.where(np.isfinite(field), field, 1e6)  # at the primaries themselves
    return g * Lq, g * Lq, field * u.one
