"""Point-mass n-body dynamics about the Earth on plain arrays (km, s, km/s).

The spacecraft moves in the Earth's non-rotating geocentric frame under the Earth's point mass
(optionally its J2), the direct and indirect (Earth-accelerating) pull of perturbing point
masses -- the Moon and the Sun -- and optionally a finite burn along its velocity
(Battin, "An Introduction to the Mathematics and Methods of Astrodynamics", sec. 8.4: the
perturbing acceleration of a third body on a geocentric orbit is
``k_b [(r_b - r) / |r_b - r|^3 - r_b / |r_b|^3]``).

The perturbing bodies' positions come from a :class:`BodyTable`: geocentric positions and
velocities tabulated on an even time grid (from an ephemeris, by the caller) and interpolated
by cubic Hermite polynomials, so the right-hand side never calls the ephemeris. With the Moon
tabulated every hour the interpolation error is below a metre (``tests/orbits/
test_lunar_nbody.py`` checks it against DE421 itself).

Integration is scipy's DOP853 (Hairer, Norsett & Wanner's 8(5,3) Dormand-Prince pair).
No astropy here: the units layer is :mod:`orbits.lunar.nbody`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "BodyTable",
    "FiniteThrust",
    "closest_approach",
    "make_rhs",
    "point_mass_acceleration",
    "propagate",
    "specific_energy",
]


@dataclass(frozen=True)
class BodyTable:
    """Geocentric states of perturbing bodies on an even time grid, Hermite-interpolated.

    Parameters
    ----------
    t0 : float
        Epoch of the first node (s, any fixed origin the caller also uses for ``t``).
    step : float
        Node spacing, s.
    r, v : ndarray, shape (n_nodes, n_bodies, 3)
        Positions (km) and velocities (km/s) at the nodes.
    k : ndarray, shape (n_bodies,)
        Gravitational parameters, km^3/s^2.
    """

    t0: float
    step: float
    r: np.ndarray
    v: np.ndarray
    k: np.ndarray

    @property
    def t_end(self) -> float:
        """Epoch of the last node."""
        return self.t0 + self.step * (self.r.shape[0] - 1)

    def positions(self, t: float) -> np.ndarray:
        """Return the bodies' positions at ``t`` (scalar), shape (n_bodies, 3)."""
        s = (t - self.t0) / self.step
        i = min(max(int(math.floor(s)), 0), self.r.shape[0] - 2)
        x = s - i
        x2 = x * x
        x3 = x2 * x
        h00 = 2.0 * x3 - 3.0 * x2 + 1.0
        h10 = (x3 - 2.0 * x2 + x) * self.step
        h01 = -2.0 * x3 + 3.0 * x2
        h11 = (x3 - x2) * self.step
        return h00 * self.r[i] + h10 * self.v[i] + h01 * self.r[i + 1] + h11 * self.v[i + 1]

    def states(self, t) -> tuple[np.ndarray, np.ndarray]:
        """Return positions and velocities at many epochs, shapes ``t.shape + (n_bodies, 3)``."""
        t = np.asarray(t, float)
        s = (t - self.t0) / self.step
        i = np.clip(np.floor(s).astype(int), 0, self.r.shape[0] - 2)
        x = (s - i)[..., None, None]
        x2, x3 = x * x, x * x * x
        h = self.step
        r = ((2 * x3 - 3 * x2 + 1) * self.r[i] + (x3 - 2 * x2 + x) * h * self.v[i]
             + (-2 * x3 + 3 * x2) * self.r[i + 1] + (x3 - x2) * h * self.v[i + 1])
        v = ((6 * x2 - 6 * x) / h * self.r[i] + (3 * x2 - 4 * x + 1) * self.v[i]
             + (-6 * x2 + 6 * x) / h * self.r[i + 1] + (3 * x2 - 2 * x) * self.v[i + 1])
        return r, v


@dataclass(frozen=True)
class FiniteThrust:
    """A burn of constant thrust and exhaust speed along the geocentric velocity.

    ``accel0`` is the thrust acceleration at ignition (km/s^2: thrust / initial mass),
    ``exhaust_speed`` the effective exhaust speed (km/s: Isp g0); the acceleration grows as the
    mass falls, ``a(t) = accel0 / (1 - accel0 (t - t_on) / exhaust_speed)``, for
    ``t_on <= t < t_off``.
    """

    t_on: float
    t_off: float
    accel0: float
    exhaust_speed: float

    def acceleration(self, t: float) -> float:
        """Thrust acceleration magnitude at ``t`` (0 outside the burn)."""
        if t < self.t_on or t >= self.t_off:
            return 0.0
        return self.accel0 / (1.0 - self.accel0 * (t - self.t_on) / self.exhaust_speed)

    @property
    def ideal_dv(self) -> float:
        """Rocket-equation Δv of the burn, km/s (``c ln(m0 / m1)``)."""
        frac = self.accel0 * (self.t_off - self.t_on) / self.exhaust_speed
        if frac >= 1.0:
            return math.inf
        return -self.exhaust_speed * math.log1p(-frac)


def point_mass_acceleration(r, r_bodies, k_central, k_bodies):
    """Geocentric acceleration of points ``r`` (..., 3) from the central and perturbing bodies.

    ``r_bodies`` has shape (..., n_bodies, 3) (broadcast against ``r``), ``k_bodies``
    (n_bodies,). Includes the indirect term (the central body's own acceleration).
    """
    r = np.asarray(r, float)
    rb = np.asarray(r_bodies, float)
    kb = np.asarray(k_bodies, float)
    rn = np.linalg.norm(r, axis=-1, keepdims=True)
    a = -k_central * r / rn**3
    if rb.shape[-2] == 0:
        return a
    d = rb - r[..., None, :]
    dn = np.linalg.norm(d, axis=-1, keepdims=True)
    bn = np.linalg.norm(rb, axis=-1, keepdims=True)
    return a + np.sum(kb[:, None] * (d / dn**3 - rb / bn**3), axis=-2)


def specific_energy(r, v, k):
    """Two-body specific orbital energy ``v^2/2 - k/r`` (km^2/s^2)."""
    return 0.5 * np.sum(np.square(v), axis=-1) - k / np.linalg.norm(r, axis=-1)


def make_rhs(
    table: BodyTable | None,
    k_central: float,
    *,
    j2: tuple[float, float] | None = None,
    thrust: FiniteThrust | None = None,
) -> Callable[[float, np.ndarray], np.ndarray]:
    """Return ``f(t, y)`` for ``y = (r, v)`` (6,): central body, table bodies, J2 and a burn.

    ``j2`` is ``(J2, R)`` of the central body (axis along z of the frame); ``table=None``
    leaves only the central body (the two-body reduction used to check energy conservation).
    """
    kc = float(k_central)
    if table is not None:
        # plain Python floats in the hot loop: numpy's per-call overhead on 3-vectors is larger
        # than the arithmetic itself
        tr = table.r.tolist()
        tv = table.v.tolist()
        tk = [float(k) for k in table.k]
        t0, hstep, last = float(table.t0), float(table.step), table.r.shape[0] - 2
        nbod = len(tk)
    J2c = None if j2 is None else (-1.5 * j2[0] * kc * j2[1] * j2[1])

    def rhs(t, y):
        x, yy, z, vx, vy, vz = (float(c) for c in y)
        r2 = x * x + yy * yy + z * z
        rn = math.sqrt(r2)
        f = -kc / (r2 * rn)
        ax, ay, az = f * x, f * yy, f * z
        if J2c is not None:
            c = J2c / (r2 * r2 * rn)
            zz = 5.0 * z * z / r2
            ax += c * x * (1.0 - zz)
            ay += c * yy * (1.0 - zz)
            az += c * z * (3.0 - zz)
        if table is not None:
            s = (t - t0) / hstep
            i = min(max(int(s), 0), last)
            u = s - i
            u2 = u * u
            u3 = u2 * u
            h00 = 2.0 * u3 - 3.0 * u2 + 1.0
            h10 = (u3 - 2.0 * u2 + u) * hstep
            h01 = -2.0 * u3 + 3.0 * u2
            h11 = (u3 - u2) * hstep
            ra, rb_, va, vb = tr[i], tr[i + 1], tv[i], tv[i + 1]
            for b in range(nbod):
                pa, pb, qa, qb = ra[b], rb_[b], va[b], vb[b]
                bx = h00 * pa[0] + h10 * qa[0] + h01 * pb[0] + h11 * qb[0]
                by = h00 * pa[1] + h10 * qa[1] + h01 * pb[1] + h11 * qb[1]
                bz = h00 * pa[2] + h10 * qa[2] + h01 * pb[2] + h11 * qb[2]
                dx, dy, dz = bx - x, by - yy, bz - z
                d2 = dx * dx + dy * dy + dz * dz
                b2 = bx * bx + by * by + bz * bz
                fd = tk[b] / (d2 * math.sqrt(d2))
                fb = tk[b] / (b2 * math.sqrt(b2))
                ax += fd * dx - fb * bx
                ay += fd * dy - fb * by
                az += fd * dz - fb * bz
        if thrust is not None:
            at = thrust.acceleration(t)
            if at:
                vn = math.sqrt(vx * vx + vy * vy + vz * vz)
                ax += at * vx / vn
                ay += at * vy / vn
                az += at * vz / vn
        return np.array([vx, vy, vz, ax, ay, az])

    return rhs


def propagate(rhs, t0: float, y0, t1: float, *, rtol: float = 1e-11, atol: float | None = None,
              events=None, dense_output: bool = False, t_eval=None, max_step: float = np.inf):
    """Integrate ``rhs`` from ``(t0, y0)`` to ``t1`` with DOP853; returns scipy's solution.

    ``atol`` defaults to ``rtol`` times 1 km (positions) and 1 m/s (velocities).
    Raises ``RuntimeError`` if the integrator fails (the caller turns it into its own error).
    """
    from scipy.integrate import solve_ivp  # lazily: keeps ``import orbits`` light

    tol = np.array([rtol * 1.0] * 3 + [rtol * 1e-3] * 3) if atol is None else atol
    sol = solve_ivp(rhs, (t0, t1), np.asarray(y0, float), method="DOP853", rtol=rtol,
                    atol=tol, events=events, dense_output=dense_output, t_eval=t_eval,
                    max_step=max_step)
    if sol.status < 0:
        raise RuntimeError(f"integration failed: {sol.message}")
    return sol


def closest_approach(rhs, t0: float, y0, t_max: float, table: BodyTable, body: int, *,
                     rtol: float = 1e-11, after: float = 0.0, t_split=None):
    """Integrate until the first closest approach to table body ``body`` after ``t0 + after``.

    The event is the sign change (negative to positive) of the relative radial speed
    ``(r - r_b) . (v - v_b)``. ``t_split`` (e.g. the end of a burn) is a time at which the
    integration restarts, so the integrator never steps across a discontinuity.

    Returns ``(t, y, r_b, v_b)`` at the approach, or ``None`` if none occurs before ``t_max``.
    """
    t_guard = t0 + after

    def radial(t, y):
        if t < t_guard:
            return -1.0
        rb, vb = table.states(t)
        return float(np.dot(y[:3] - rb[body], y[3:] - vb[body]))

    radial.terminal = True  # type: ignore[attr-defined]
    radial.direction = 1.0  # type: ignore[attr-defined]
    t_start, y_start = t0, np.asarray(y0, float)
    if t_split is not None and t0 < t_split < t_max:
        first = propagate(rhs, t0, y_start, t_split, rtol=rtol)
        t_start, y_start = t_split, first.y[:, -1]
    sol = propagate(rhs, t_start, y_start, t_max, rtol=rtol, events=[radial])
    if not sol.t_events[0].size:
        return None
    t = float(sol.t_events[0][0])
    y = sol.y_events[0][0]
    rb, vb = table.states(t)
    return t, y, rb[body], vb[body]
