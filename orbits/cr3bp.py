"""Earth-Moon circular restricted three-body problem.

Libration points, Jacobi constant, halo orbits (Queqiao's kind), the L1 and L2 halo families
down into the near-rectilinear halo orbits (:func:`halo_family`, :func:`nrho`: the Gateway's
9:2 NRHO) and zero-velocity curves.

Frame: barycentric, rotating with the Moon, x from the Earth towards the Moon, z along the
orbit normal. Lengths are scaled by ``distance`` (default the mean Earth-Moon distance,
384,400 km; Curtis Table A.1) and times by ``1 / n`` with ``n = sqrt(k / distance^3)``,
``k = G (M_E + M_M)`` (4.343 days). ``mass_ratio`` is the CR3BP's mu, ``m2 / (m1 + m2)``.
Nondimensional numbers follow Szebehely (1967); see :mod:`orbits.core.cr3bp` for the
equations.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from astropy import units as u

from orbits._validation import as_value, describe_value
from orbits.core import cr3bp as core
from orbits.core.constants import EARTH_MOON_DISTANCE, GM_EARTH, GM_MOON, MU_EARTH_MOON, R_MOON
from orbits.errors import ArgumentError, ArgumentTypeError, ConvergenceError
from orbits.results import Result, TableResult, column, quantity, value

__all__ = [
    "HALO_AZ_RANGE",
    "HaloFamily",
    "HaloOrbit",
    "LagrangePoints",
    "SYNODIC_MONTH",
    "characteristic_units",
    "halo_family",
    "halo_orbit",
    "jacobi_constant",
    "lagrange_points",
    "nrho",
    "zero_velocity_curves",
]

#: Out-of-plane amplitudes Az (km) that :func:`halo_orbit` covers in the Earth-Moon system:
#: from 1,000 km up to the largest Az of the family's first branch, where the amplitude stops
#: growing (L2: the family turns there, at about 11 days, towards the near-rectilinear orbits,
#: whose Az shrinks again; L1: the family is traced to its period minimum, the L1 NRHOs).
#: Measured by the continuation of :func:`halo_family` (mass ratio 0.0121506, 384,400 km);
#: NRHOs beyond the turn are reached through :func:`halo_family` and :func:`nrho`.
HALO_AZ_RANGE = {"L1": (1000.0, 82000.0), "L2": (1000.0, 77000.0)}

#: Mean synodic month (new moon to new moon), 29.530589 days (Meeus, "Astronomical
#: Algorithms", 2nd ed., 1998, ch. 49), the period NRHO resonances refer to.
SYNODIC_MONTH = 29.530589 * u.day

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


def _check_tol(tol) -> None:
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 1e-14 <= tol <= 1e-6:
        raise ArgumentError(f"tol must be a number in [1e-14, 1e-6], got {describe_value(tol)}")


def characteristic_units(*, distance=EARTH_MOON_DISTANCE * u.km, k=_K_EM):
    """Return the length, time and speed units of the nondimensional problem, as Quantities.

    ``k`` is the primaries' total gravitational parameter.
    """
    L = as_value(distance, u.km, "distance", min=0.0, min_inclusive=False)
    if np.ndim(L):
        raise ArgumentError(
            f"distance must be a single length, got shape {np.shape(L)}: {describe_value(distance)}"
        )
    G = as_value(k, u.km**3 / u.s**2, "k", min=0.0, min_inclusive=False)
    if np.ndim(G):
        raise ArgumentError(f"k must be a single value, got shape {np.shape(G)}")
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
    stability_index: float | None = quantity("stability index", "", fmt=".4g", default=None)
    perilune_radius: u.Quantity | None = quantity("perilune radius", "km", fmt=".0f",
                                                  default=None)
    apolune_radius: u.Quantity | None = quantity("apolune radius", "km", fmt=".0f",
                                                 default=None)

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


@dataclass(frozen=True, repr=False)
class HaloFamily(TableResult):
    """Members of a halo family about L1 or L2, in continuation order.

    From the bifurcation with the planar Lyapunov orbits down into the near-rectilinear halo
    orbits (NRHOs).

    Each row is one corrected periodic orbit: its state where it crosses the xz-plane with
    the larger ``|z|`` (``x0``, ``z0``, ``vy0``; y = vx = vz = 0), its out-of-plane amplitude
    (max ``|z|``), period, Jacobi constant (Szebehely's ``C = 2 Omega - v^2``), stability index
    (``(|lambda|max + 1/|lambda|max) / 2`` of the monodromy matrix) and closest and farthest
    distances from the Moon's centre. :meth:`member` returns one as a :class:`HaloOrbit`.
    """

    point: str = value("libration point")
    family: str = value("family")
    mass_ratio: float = quantity("mass ratio", "", fmt=".8f")
    distance: u.Quantity = quantity("primaries' distance", "km", fmt=".0f")
    az: u.Quantity = column("Az", "km", fmt=".0f")
    x0: u.Quantity = column("x0", "km", fmt=".0f")
    z0: u.Quantity = column("z0", "km", fmt=".0f")
    vy0: u.Quantity = column("vy0", "km / s", fmt=".5f")
    period: u.Quantity = column("period", "day", fmt=".4f")
    jacobi: u.Quantity = column("Jacobi constant", "", fmt=".6f")
    stability_index: np.ndarray = column("stability index", fmt=".4g")
    perilune_radius: u.Quantity = column("perilune radius", "km", fmt=".0f")
    apolune_radius: u.Quantity = column("apolune radius", "km", fmt=".0f")
    state0_nd: np.ndarray = None
    period_nd: np.ndarray = None

    title = "Halo family"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        T = self.period.to_value(u.day)
        rp = self.perilune_radius.to_value(u.km)
        return (f"{self.point} {self.family}, {len(self)} members, period {T.max():.2f}-"
                f"{T.min():.2f} d, perilune down to {rp.min():,.0f} km")

    def member(self, i: int) -> HaloOrbit:
        """Return member ``i`` (as in the table's rows) as a :class:`HaloOrbit`."""
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not (
            -len(self) <= i < len(self)
        ):
            raise ArgumentError(
                f"i must be an integer in [0, {len(self) - 1}], got {describe_value(i)}"
            )
        return _halo_result(self.point, self.family, self.state0_nd[i], float(self.period_nd[i]),
                            self.mass_ratio, self.distance, None)


def _check_point_family(point, family):
    if not isinstance(point, str) or point.strip().upper() not in ("L1", "L2"):
        raise ArgumentError(
            "point must be 'L1' or 'L2' (halo orbits about the collinear points), "
            f"got {describe_value(point)}"
        )
    if not isinstance(family, str) or family.strip().lower() not in ("northern", "southern"):
        raise ArgumentError(
            f"family must be 'northern' or 'southern', got {describe_value(family)}"
        )
    return point.strip().upper(), family.strip().lower()


@functools.lru_cache(maxsize=8)
def _family_nd(p: int, m: float, r_moon: float):
    """Return the halo family about L``p``, northern orientation, nondimensional (cached).

    A tuple of member dicts (X, t_half, phi, nu, rp, ra, az) with ``z0 > 0``.
    Traced from a Richardson (1980) orbit of 2,000 km (corrected at fixed z0) by
    pseudo-arclength continuation; ends at the first member that reaches into the Moon
    (perilune radius below ``r_moon``) or, where the period passes a minimum and rises again
    (L1: beyond its NRHOs the family grows far past the Moon), at that minimum.
    """
    L = EARTH_MOON_DISTANCE
    guess, T, _ = core.richardson_halo(m, p, 2000.0 / L)
    s0, T = core.correct_halo(guess, m, T)
    X0 = np.array([s0[0], s0[2], s0[4]])
    hit = core.crossing(X0, m, T)
    if hit is not None and abs(hit[1][2]) > abs(X0[1]):  # start at the larger-|z| crossing
        X0 = np.array([hit[1][0], hit[1][2], hit[1][4]])
    if X0[1] < 0:
        X0 = X0 * np.array([1.0, -1.0, 1.0])
    out: list = []

    def measure(mem):
        st = core.symmetric_state(mem["X"])
        rp, ra, az, _ = core.orbit_extremes(st, 2.0 * mem["t_half"], m, n=1000)
        mem.update(rp=rp, ra=ra, az=az)

    def stop(mem):
        measure(mem)
        if mem["rp"] < r_moon:
            return True
        if len(out) >= 3 and out[-1]["t_half"] < out[-2]["t_half"] < out[-3]["t_half"] and (
            mem["t_half"] > out[-1]["t_half"]
        ):
            return True
        out.append(mem)
        return False

    members = core.continue_family(X0, T / 2.0, m, ds=0.02, ds_max=0.05, n_max=120,
                                   stop=stop)
    measure(members[0])
    out.insert(0, members[0])
    dedup = out
    for mm in dedup:
        mm["nu"], _ = core.stability_index(core.monodromy(mm["phi"]))
    return tuple(dedup)


def _halo_result(point, family, s0, T, m, Lq, az_km, extremes=None) -> HaloOrbit:
    Lq, Tq, Vq = characteristic_units(distance=Lq)
    if family == "southern":
        s0 = s0 * core.MIRROR_Z
    hit = core.crossing(np.array([s0[0], s0[2], s0[4]]), m, 0.75 * T + 0.5)
    nu = None
    if hit is not None:
        nu, _ = core.stability_index(core.monodromy(hit[2]))
    rp, ra, zmax, traj = extremes or core.orbit_extremes(s0, T, m)
    return HaloOrbit(
        point=point,
        family=family,
        az=zmax * Lq,
        ax=0.5 * np.ptp(traj[0]) * Lq,
        ay=0.5 * np.ptp(traj[1]) * Lq,
        period=T * Tq,
        jacobi=core.jacobi(s0, m) * u.one,
        az_requested=(zmax * Lq if az_km is None else az_km * u.km),
        mass_ratio=m,
        distance=Lq,
        position0=s0[:3] * Lq,
        velocity0=s0[3:] * Vq,
        state0_nd=s0,
        period_nd=T,
        stability_index=None if nu is None else float(nu),
        perilune_radius=rp * Lq,
        apolune_radius=ra * Lq,
        notes=(
            "Richardson (1980) third-order guess, differential correction on the half-period "
            "xz-plane crossing (Howell 1984), pseudo-arclength continuation along the family, "
            "CR3BP integrated with scipy DOP853",
        ),
    )


def halo_family(
    point="L2",
    family="southern",
    *,
    mass_ratio=MU_EARTH_MOON,
    distance=EARTH_MOON_DISTANCE * u.km,
) -> HaloFamily:
    """Trace the halo family about L1 or L2 down into the near-rectilinear halo orbits.

    From a 2,000 km Richardson (1980) orbit, corrected at fixed z0 (Howell 1984), the family is
    followed by pseudo-arclength continuation in ``(x0, z0, vy0)`` (steps of 0.02-0.05 in
    nondimensional units, about 8,000-19,000 km), so it passes the turn where its amplitude
    Az stops growing (L2, about 77,000 km and 11 days) and goes on, shrinking in period, into
    the NRHOs. It ends at the first orbit that would pass below the Moon's surface (L2: about
    5.9 days, where the family reaches the collision orbit) or, for L1, at the period minimum
    of its NRHOs (about 7.8 days; beyond it the family grows far past the Moon). The members
    are computed once per point and mass ratio and cached; the first call takes 10-40 s.

    Parameters
    ----------
    point : {'L1', 'L2'}
    family : {'northern', 'southern'}
        Southern: the larger z excursion (the NRHO's apolune) is on the -z side, as the
        Gateway's 9:2 L2 NRHO; northern mirrors it (z -> -z symmetry of the CR3BP).
    mass_ratio : float
        The CR3BP's mu (default Earth-Moon).
    distance : Quantity (length)
        The primaries' distance that scales lengths (default 384,400 km).

    Raises
    ------
    orbits.errors.ConvergenceError
        If the first orbit does not correct (the message names the constraint and residual).
    """
    point, family = _check_point_family(point, family)
    m = _mass_ratio(mass_ratio)
    Lq, Tq, Vq = characteristic_units(distance=distance)
    L = Lq.value
    try:
        mem = _family_nd(1 if point == "L1" else 2, m, R_MOON / L)
    except (core.ContinuationError, core.HaloCorrectionError) as exc:
        raise ConvergenceError(f"halo_family about {point}: {exc}") from None
    X = np.array([mm["X"] for mm in mem])
    sgn = -1.0 if family == "southern" else 1.0
    states = np.zeros((len(mem), 6))
    states[:, 0], states[:, 2], states[:, 4] = X[:, 0], sgn * X[:, 1], X[:, 2]
    T = np.array([2.0 * mm["t_half"] for mm in mem])
    return HaloFamily(
        point=point,
        family=family,
        mass_ratio=m,
        distance=Lq,
        az=np.array([mm["az"] for mm in mem]) * Lq,
        x0=X[:, 0] * Lq,
        z0=sgn * X[:, 1] * Lq,
        vy0=X[:, 2] * Vq,
        period=T * Tq,
        jacobi=core.jacobi(states, m) * u.one,
        stability_index=np.array([mm["nu"] for mm in mem]),
        perilune_radius=np.array([mm["rp"] for mm in mem]) * Lq,
        apolune_radius=np.array([mm["ra"] for mm in mem]) * Lq,
        state0_nd=states,
        period_nd=T,
        notes=(
            "pseudo-arclength continuation of symmetric periodic orbits (x0, z0, vy0), "
            "single shooting to the half-period xz-plane crossing (Howell 1984), CR3BP "
            "integrated with scipy DOP853 (rtol 1e-12); stability index from the monodromy "
            "matrix built from the half-period STM",
        ),
    )


def _az_branch(mem):
    """Members of the family's first branch, up to where Az stops growing."""
    az = np.array([mm["X"][1] for mm in mem])
    k = int(np.argmax(az))
    return mem[: k + 1]


def halo_orbit(
    point="L2",
    az=10000 * u.km,
    family="northern",
    *,
    mass_ratio=MU_EARTH_MOON,
    distance=EARTH_MOON_DISTANCE * u.km,
    tol: float = 1e-11,
) -> HaloOrbit:
    """Compute a periodic halo orbit about L1 or L2 with a given out-of-plane amplitude.

    Up to 30,000 km (L2) or 51,000 km (L1) from Richardson's (1980) third-order guess, then
    differential correction (single shooting with the state transition matrix on the
    symmetric half-period crossing of the xz-plane, Howell 1984, scipy ``solve_ivp``); larger
    amplitudes, or where that does not converge, from the family of :func:`halo_family`: the
    two members that bracket ``az`` give the guess, corrected at ``z0 = az`` (the amplitude
    is reached where the orbit crosses the xz-plane).

    Parameters
    ----------
    point : {'L1', 'L2'}
    az : Quantity (length)
        Out-of-plane amplitude: the corrected orbit's maximum ``|z|``. The Earth-Moon ranges
        are :data:`HALO_AZ_RANGE` (L1 1,000-82,000 km, L2 1,000-77,000 km): up to the end of
        each family's first branch. The NRHOs beyond are in :func:`halo_family` / :func:`nrho`.
    family : {'northern', 'southern'}
        Northern: the larger z excursion is on the +z side (Howell 1984); southern mirrors it.
    mass_ratio : float
        The CR3BP's mu, m2 / (m1 + m2) (default Earth-Moon).
    tol : float
        Convergence tolerance on ``|(vx, vz)|`` at the half-period crossing (nondimensional).

    Raises
    ------
    orbits.errors.ArgumentError
        If ``az`` lies beyond the family's first branch (the message gives its range).
    orbits.errors.ConvergenceError
        If the correction does not converge; the message names the constraint and residual.

    Examples
    --------
    Queqiao's Earth-Moon L2 halo (Az about 13,000 km) has a period of about 14.8 days:

    >>> h = halo_orbit("L2", 13000 * u.km)
    >>> round(float(h.period.to_value(u.day)), 1)
    14.8
    """
    m = _mass_ratio(mass_ratio)
    point, family = _check_point_family(point, family)
    _check_tol(tol)
    Lq, Tq, Vq = characteristic_units(distance=distance)
    L = Lq.value
    az_km = as_value(az, u.km, "az", min=1.0e-3 * L, max=0.5 * L)
    if np.ndim(az_km):
        raise ArgumentError(f"az must be a scalar length, got {describe_value(az)}")
    p = 1 if point == "L1" else 2
    target = az_km / L
    direct_max = {"L1": 51000.0, "L2": 30000.0}[point] / EARTH_MOON_DISTANCE
    if target <= direct_max:
        try:
            s0, T, ext = _direct_halo(m, p, target, tol)
            northern = ext[3][2].max() >= -ext[3][2].min()
            s0 = s0 if northern else s0 * core.MIRROR_Z
            ext = ext if northern else (ext[0], ext[1], ext[2], ext[3] * core.MIRROR_Z[:, None])
            out = _halo_result(point, "northern", s0, T, m, Lq, az_km, ext)
            return out if family == "northern" else _halo_result(
                point, "southern", s0, T, m, Lq, az_km)
        except (core.HaloCorrectionError, ValueError, _AmplitudeMiss):
            pass  # fall back to the family
    try:
        mem = _az_branch(_family_nd(p, m, R_MOON / L))
    except (core.ContinuationError, core.HaloCorrectionError) as exc:
        raise ConvergenceError(f"halo_orbit about {point}: {exc}") from None
    z = np.array([mm["X"][1] for mm in mem])
    lo_km, hi_km = HALO_AZ_RANGE[point] if abs(m - MU_EARTH_MOON) < 1e-9 else (
        1000.0, z.max() * L)
    hi_km = min(hi_km, z.max() * L)
    if not (lo_km <= az_km <= hi_km):
        raise ArgumentError(
            f"az = {az_km:,.0f} km is beyond the {point} halo family's first branch: "
            f"halo_orbit covers az between {lo_km:,.0f} and {hi_km:,.0f} km "
            f"about {point} (NRHOs beyond the family's turn: orbits.cr3bp.halo_family, "
            "orbits.cr3bp.nrho)"
        )
    j = int(np.clip(np.searchsorted(z, target), 1, len(z) - 1))
    w = (target - z[j - 1]) / (z[j] - z[j - 1])
    X = (1 - w) * mem[j - 1]["X"] + w * mem[j]["X"]
    th = (1 - w) * mem[j - 1]["t_half"] + w * mem[j]["t_half"]
    X[1] = target
    try:
        X, th, _, _, _ = core.correct_symmetric(X, m, th, fixed=1, tol=tol, max_iter=15)
    except core.ContinuationError as exc:
        raise ConvergenceError(
            f"halo_orbit did not converge for az = {az_km:,.0f} km about {point}: {exc}"
        ) from None
    s0 = core.symmetric_state(X)
    return _halo_result(point, family, s0, 2.0 * th, m, Lq, az_km)


class _AmplitudeMiss(Exception):
    pass


def _direct_halo(m, p, target, tol):
    """Richardson guess and correction at fixed z0, iterating Richardson's amplitude."""
    az_param = target
    for _ in range(8):
        guess, t_guess, _ = core.richardson_halo(m, p, az_param, northern=True)
        s0, T = core.correct_halo(guess, m, t_guess, tol=tol)
        ext = core.orbit_extremes(s0, T, m, n=721)
        actual = ext[2]
        if abs(actual - target) * EARTH_MOON_DISTANCE < 1.0:
            return s0, T, ext
        az_param *= target / actual
    raise _AmplitudeMiss()


def nrho(
    resonance="9:2",
    *,
    point="L2",
    family="southern",
    synodic_month=SYNODIC_MONTH,
    mass_ratio=MU_EARTH_MOON,
    distance=EARTH_MOON_DISTANCE * u.km,
    tol: float = 1e-11,
) -> HaloOrbit:
    """Return the near-rectilinear halo orbit in an N:M synodic resonance.

    N revolutions in M synodic months: period ``M / N * synodic_month`` (the Gateway's 9:2
    L2 southern NRHO: 2/9 of 29.53 days = 6.56 days; Zimovan-Spreen, Howell and Davis,
    "Near rectilinear halo orbits and nearby higher-period dynamical structures", Celestial
    Mechanics and Dynamical Astronomy 132, 28, 2020). Found on the NRHO part of
    :func:`halo_family` (the members after the family's Az turn) by bracketing the period
    there and correcting at fixed z0, with secant steps on z0 until the period matches to 1 s.

    Raises
    ------
    orbits.errors.ArgumentError
        If the resonance is malformed or its period lies outside the family's NRHO range.
    orbits.errors.ConvergenceError
        If the period cannot be matched (the message says by how much).
    """
    if not isinstance(resonance, str) or resonance.count(":") != 1:
        raise ArgumentError(
            f"resonance must be 'N:M' (e.g. '9:2'), got {describe_value(resonance)}"
        )
    try:
        n_rev, n_month = (int(v) for v in resonance.split(":"))
    except ValueError:
        raise ArgumentError(
            f"resonance must be 'N:M' with positive integers, got {describe_value(resonance)}"
        ) from None
    if n_rev <= 0 or n_month <= 0:
        raise ArgumentError(f"resonance must have positive integers, got {resonance!r}")
    point, family = _check_point_family(point, family)
    m = _mass_ratio(mass_ratio)
    _check_tol(tol)
    Lq, Tq, _ = characteristic_units(distance=distance)
    month = as_value(synodic_month, u.day, "synodic_month", min=1.0, max=100.0)
    if np.ndim(month):
        raise ArgumentError(
            f"synodic_month must be a single time, got {describe_value(synodic_month)}"
        )
    T_target = n_month / n_rev * month / Tq.to_value(u.day)
    mem = _family_nd(1 if point == "L1" else 2, m, R_MOON / Lq.value)
    k = int(np.argmax([mm["X"][1] for mm in mem]))
    tail = mem[k:]
    T = np.array([2.0 * mm["t_half"] for mm in tail])
    if not (T.min() <= T_target <= T.max()):
        raise ArgumentError(
            f"resonance {resonance} needs a period of {T_target * Tq.to_value(u.day):.3f} d; "
            f"the {point} NRHOs of this family span {T.min() * Tq.to_value(u.day):.3f}-"
            f"{T.max() * Tq.to_value(u.day):.3f} d"
        )
    order = np.argsort(T)
    j = int(np.searchsorted(T[order], T_target))
    a_, b_ = tail[order[max(j - 1, 0)]], tail[order[min(j, len(T) - 1)]]
    z_a, z_b = a_["X"][1], b_["X"][1]
    Ta, Tb = 2 * a_["t_half"], 2 * b_["t_half"]
    X = a_["X"].copy()
    th = a_["t_half"]
    err = np.inf
    for _ in range(12):
        z_new = z_a + (T_target - Ta) * (z_b - z_a) / (Tb - Ta) if Tb != Ta else z_b
        w = (z_new - a_["X"][1]) / ((b_["X"][1] - a_["X"][1]) or 1.0)
        X = (1 - w) * a_["X"] + w * b_["X"]
        X[1] = z_new
        try:
            X, th, _, _, _ = core.correct_symmetric(X, m, th, fixed=1, tol=tol, max_iter=15)
        except core.ContinuationError as exc:
            raise ConvergenceError(f"nrho {resonance}: {exc}") from None
        err = 2 * th - T_target
        if abs(err) * Tq.to_value(u.s) < 1.0:  # period matched to 1 s
            break
        z_a, Ta, z_b, Tb = z_b, Tb, z_new, 2 * th
    else:
        raise ConvergenceError(
            f"nrho {resonance}: the period constraint is still off by "
            f"{abs(err) * Tq.to_value(u.s):.3g} s after 12 secant steps on z0"
        )
    return _halo_result(point, family, core.symmetric_state(X), 2.0 * th, m, Lq, None)


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
