"""Circular restricted three-body problem in nondimensional rotating coordinates.

Conventions (Szebehely, "Theory of Orbits", 1967, ch. 1 and 4): unit of length the primaries'
distance, unit of time 1/(mean motion), masses ``1 - mass_ratio`` at ``(-mass_ratio, 0, 0)``
and ``mass_ratio`` at ``(1 - mass_ratio, 0, 0)``; the rotating frame turns about +z.
Pseudo-potential ``Omega = (x^2 + y^2)/2 + (1 - mass_ratio)/r1 + mass_ratio/r2`` and Jacobi constant
``C = 2 Omega - v^2`` (Szebehely's form, without the ``mass_ratio (1 - mass_ratio)`` term some
authors add).

Halo orbits: Richardson's third-order analytic approximation (D. L. Richardson, "Analytic
construction of periodic orbits about the collinear points", Celestial Mechanics 22 (1980)
241-253) as the first guess, then single-shooting differential correction on the symmetric
half-period crossing of the xz-plane (Howell, "Three-dimensional, periodic, 'halo' orbits",
Celestial Mechanics 32 (1984) 53-71), integrating the state transition matrix with scipy;
families of them by pseudo-arclength continuation (:func:`continue_family`), with the
monodromy matrix and stability index of each member.

Everything is plain floats/arrays; vectors and states carry a trailing axis (3 or 6).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "HaloCorrectionError",
    "collinear_points",
    "correct_halo",
    "eom",
    "jacobi",
    "lagrange_points_nd",
    "pseudo_potential",
    "richardson_halo",
]


class HaloCorrectionError(RuntimeError):
    """Differential correction did not converge.

    ``residual`` holds ``|(vx, vz)|`` at the half-period crossing from the last iterate.
    """

    def __init__(self, message, residual):
        super().__init__(message)
        self.residual = residual


def _collinear_f(x, mass_ratio):
    r1 = x + mass_ratio
    r2 = x - 1.0 + mass_ratio
    return x - (1.0 - mass_ratio) * r1 / np.abs(r1) ** 3 - mass_ratio * r2 / np.abs(r2) ** 3


def _collinear_df(x, mass_ratio):
    r1 = np.abs(x + mass_ratio)
    r2 = np.abs(x - 1.0 + mass_ratio)
    return 1.0 + 2.0 * (1.0 - mass_ratio) / r1**3 + 2.0 * mass_ratio / r2**3


def collinear_points(mass_ratio):
    """Return the x coordinates of L1, L2, L3 (shape ``mass_ratio.shape + (3,)``).

    By Newton iteration on ``dOmega/dx = 0`` from Hill-sphere starting guesses (vectorised over
    ``mass_ratio``).
    """
    mass_ratio = np.asarray(mass_ratio, dtype=float)
    h = (mass_ratio / 3.0) ** (1.0 / 3.0)
    x = np.stack(
        [1.0 - mass_ratio - h, 1.0 - mass_ratio + h, -1.0 - 5.0 * mass_ratio / 12.0], axis=-1
    )
    m = mass_ratio[..., None]
    for _ in range(50):
        step = _collinear_f(x, m) / _collinear_df(x, m)
        x = x - step
        if np.all(np.abs(step) < 1e-15):
            break
    return x


def lagrange_points_nd(mass_ratio):
    """All five libration points, shape ``mass_ratio.shape + (5, 3)`` (L1..L5, xyz)."""
    mass_ratio = np.asarray(mass_ratio, dtype=float)
    out = np.zeros(mass_ratio.shape + (5, 3))
    out[..., :3, 0] = collinear_points(mass_ratio)
    out[..., 3, 0] = 0.5 - mass_ratio
    out[..., 3, 1] = np.sqrt(3.0) / 2.0
    out[..., 4, 0] = 0.5 - mass_ratio
    out[..., 4, 1] = -np.sqrt(3.0) / 2.0
    return out


def pseudo_potential(r, mass_ratio):
    """Omega(x, y, z) for positions ``r`` (..., 3)."""
    r = np.asarray(r, float)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    r1 = np.sqrt((x + mass_ratio) ** 2 + y**2 + z**2)
    r2 = np.sqrt((x - 1.0 + mass_ratio) ** 2 + y**2 + z**2)
    return 0.5 * (x**2 + y**2) + (1.0 - mass_ratio) / r1 + mass_ratio / r2


def jacobi(state, mass_ratio):
    """Jacobi constant ``C = 2 Omega - v^2`` of states (..., 6)."""
    state = np.asarray(state, float)
    v2 = np.sum(state[..., 3:] ** 2, axis=-1)
    return 2.0 * pseudo_potential(state[..., :3], mass_ratio) - v2


def eom(t, s, mass_ratio, with_stm=False):
    """Right-hand side for scipy ``solve_ivp``: state (6,) or state + flattened STM (42,)."""
    if with_stm:
        return _eom_stm(t, s, mass_ratio)
    x, y, z, vx, vy, vz = s[:6]
    dx1, dx2 = x + mass_ratio, x - 1.0 + mass_ratio
    r1_2 = dx1 * dx1 + y * y + z * z
    r2_2 = dx2 * dx2 + y * y + z * z
    r1_3 = r1_2 * np.sqrt(r1_2)
    r2_3 = r2_2 * np.sqrt(r2_2)
    a1 = (1.0 - mass_ratio) / r1_3
    a2 = mass_ratio / r2_3
    ax = 2.0 * vy + x - a1 * dx1 - a2 * dx2
    ay = -2.0 * vx + y - a1 * y - a2 * y
    az = -a1 * z - a2 * z
    return np.array([vx, vy, vz, ax, ay, az])


def _richardson_coefficients(mass_ratio, point):
    x_l = collinear_points(mass_ratio)[point - 1]
    gamma = abs(x_l - (1.0 - mass_ratio))
    sgn = 1.0 if point == 1 else -1.0

    def c(n):
        if point == 1:
            return (mass_ratio
                    + (-1) ** n * (1 - mass_ratio) * gamma ** (n + 1) / (1 - gamma) ** (n + 1)
                    ) / gamma**3
        return ((-1) ** n * mass_ratio
                + (-1) ** n * (1 - mass_ratio) * gamma ** (n + 1) / (1 + gamma) ** (n + 1)
                ) / gamma**3

    c2, c3, c4 = c(2), c(3), c(4)
    # in-plane frequency: lambda^4 + (c2 - 2) lambda^2 - (c2 - 1)(1 + 2 c2) = 0
    lam2 = 0.5 * (-(c2 - 2) + np.sqrt((c2 - 2) ** 2 + 4 * (c2 - 1) * (1 + 2 * c2)))
    lam = np.sqrt(lam2)
    k = (lam2 + 1 + 2 * c2) / (2 * lam)
    delta = lam2 - c2
    d1 = 3 * lam2 / k * (k * (6 * lam2 - 1) - 2 * lam)
    d2 = 8 * lam2 / k * (k * (11 * lam2 - 1) - 2 * lam)
    a21 = 3 * c3 * (k**2 - 2) / (4 * (1 + 2 * c2))
    a22 = 3 * c3 / (4 * (1 + 2 * c2))
    a23 = -3 * c3 * lam / (4 * k * d1) * (3 * k**3 * lam - 6 * k * (k - lam) + 4)
    a24 = -3 * c3 * lam / (4 * k * d1) * (2 + 3 * k * lam)
    b21 = -3 * c3 * lam / (2 * d1) * (3 * k * lam - 4)
    b22 = 3 * c3 * lam / d1
    d21 = -c3 / (2 * lam2)
    a31 = (-9 * lam / (4 * d2) * (4 * c3 * (k * a23 - b21) + k * c4 * (4 + k**2))
           + (9 * lam2 + 1 - c2) / (2 * d2) * (3 * c3 * (2 * a23 - k * b21) + c4 * (2 + 3 * k**2)))
    a32 = -1 / d2 * (9 * lam / 4 * (4 * c3 * (k * a24 - b22) + k * c4)
                     + 1.5 * (9 * lam2 + 1 - c2) * (c3 * (k * b22 + d21 - 2 * a24) - c4))
    b31 = 3 / (8 * d2) * (8 * lam * (3 * c3 * (k * b21 - 2 * a23) - c4 * (2 + 3 * k**2))
                          + (9 * lam2 + 1 + 2 * c2)
                          * (4 * c3 * (k * a23 - b21) + k * c4 * (4 + k**2)))
    b32 = 1 / d2 * (9 * lam * (c3 * (k * b22 + d21 - 2 * a24) - c4)
                    + 3 / 8 * (9 * lam2 + 1 + 2 * c2) * (4 * c3 * (k * a24 - b22) + k * c4))
    d31 = 3 / (64 * lam2) * (4 * c3 * a24 + c4)
    d32 = 3 / (64 * lam2) * (4 * c3 * (a23 - d21) + c4 * (4 + k**2))
    den = 2 * lam * (lam * (1 + k**2) - 2 * k)
    s1 = (1.5 * c3 * (2 * a21 * (k**2 - 2) - a23 * (k**2 + 2) - 2 * k * b21)
          - 3 / 8 * c4 * (3 * k**4 - 8 * k**2 + 8)) / den
    s2 = (1.5 * c3 * (2 * a22 * (k**2 - 2) + a24 * (k**2 + 2) + 2 * k * b22 + 5 * d21)
          + 3 / 8 * c4 * (12 - k**2)) / den
    a1 = -1.5 * c3 * (2 * a21 + a23 + 5 * d21) - 3 / 8 * c4 * (12 - k**2)
    a2 = 1.5 * c3 * (a24 - 2 * a22) + 9 / 8 * c4
    l1 = a1 + 2 * lam2 * s1
    l2 = a2 + 2 * lam2 * s2
    return {
        "x_l": x_l, "gamma": gamma, "sgn": sgn, "lam": lam, "k": k, "delta": delta,
        "a21": a21, "a22": a22, "a23": a23, "a24": a24, "a31": a31, "a32": a32,
        "b21": b21, "b22": b22, "b31": b31, "b32": b32, "d21": d21, "d31": d31, "d32": d32,
        "s1": s1, "s2": s2, "l1": l1, "l2": l2,
    }


def richardson_halo(mass_ratio, point, az, northern=True):
    """Richardson (1980) third-order halo state at the xz-plane crossing (tau1 = 0).

    Parameters
    ----------
    mass_ratio : float
    point : {1, 2}
    az : float
        Out-of-plane amplitude, nondimensional (units of the primaries' distance).
    northern : bool
        Class I (``True``) or II; the corrector then picks the family by the sign of z.

    Returns
    -------
    state : ndarray (6,), period : float (third-order estimate), ax : float (nondimensional)
    """
    p = _richardson_coefficients(mass_ratio, point)
    g = p["gamma"]
    Az = az / g
    ax2 = -(p["delta"] + p["l2"] * Az**2) / p["l1"]
    if ax2 <= 0:
        raise ValueError(
            f"az = {az:g} (nondimensional) is below the halo family's minimum for L{point} "
            f"(Richardson's amplitude constraint gives Ax^2 = {ax2:.3g} <= 0)"
        )
    Ax = np.sqrt(ax2)
    omega = 1 + p["s1"] * Ax**2 + p["s2"] * Az**2
    dn = 1.0 if northern else -1.0
    # tau1 = 0 (pi for the other crossing)
    tau = 0.0
    x = (p["a21"] * Ax**2 + p["a22"] * Az**2 - Ax * np.cos(tau)
         + (p["a23"] * Ax**2 - p["a24"] * Az**2) * np.cos(2 * tau)
         + (p["a31"] * Ax**3 - p["a32"] * Ax * Az**2) * np.cos(3 * tau))
    z = (dn * Az * np.cos(tau) + dn * p["d21"] * Ax * Az * (np.cos(2 * tau) - 3)
         + dn * (p["d32"] * Az * Ax**2 - p["d31"] * Az**3) * np.cos(3 * tau))
    w = p["lam"] * omega
    vy = w * (p["k"] * Ax * np.cos(tau)
              + 2 * (p["b21"] * Ax**2 - p["b22"] * Az**2) * np.cos(2 * tau)
              + 3 * (p["b31"] * Ax**3 - p["b32"] * Ax * Az**2) * np.cos(3 * tau))
    state = np.array([p["x_l"] + g * x, 0.0, g * z, 0.0, g * vy, 0.0])
    return state, 2 * np.pi / w, g * Ax


def _half_period_crossing(state, mass_ratio, t_guess):
    from scipy.integrate import solve_ivp

    def cross(t, s, *args):
        return s[1]

    cross.terminal = True  # type: ignore[attr-defined]
    cross.direction = -np.sign(state[4]) if state[4] != 0 else 0  # type: ignore[attr-defined]
    s0 = np.concatenate([state, np.eye(6).ravel()])
    sol = solve_ivp(
        eom, (0.0, 2.0 * t_guess), s0, args=(mass_ratio, True), events=cross,
        rtol=1e-12, atol=1e-12, method="DOP853",
    )
    if sol.status != 1 or len(sol.t_events[0]) == 0:
        return None, None, None
    t_half = sol.t_events[0][0]
    s_half = sol.y_events[0][0]
    return t_half, s_half[:6], s_half[6:].reshape(6, 6)


def correct_halo(state0, mass_ratio, t_guess, tol=1e-11, max_iter=30):
    """Differential correction of a symmetric halo guess (x0, 0, z0, 0, vy0, 0), keeping z0.

    At the half-period crossing of the xz-plane, ``vx`` and ``vz`` must vanish; Newton updates
    of ``(x0, vy0)`` use the state transition matrix (Howell 1984).

    Returns ``(state0, period)``; raises :class:`HaloCorrectionError` with the residual if the
    iteration does not converge.
    """
    s = np.array(state0, dtype=float)
    residual = np.inf
    t_half = t_guess / 2.0
    for _ in range(max_iter):
        t_half_new, sf, phi = _half_period_crossing(s, mass_ratio, max(t_half, 0.25) * 1.5)
        if t_half_new is None:
            raise HaloCorrectionError(
                f"halo correction failed: trajectory did not return to the xz-plane "
                f"(last residual |(vx, vz)| = {residual:.3g})", residual,
            )
        t_half = t_half_new
        residual = float(np.hypot(sf[3], sf[5]))
        if residual < tol:
            return s, 2.0 * t_half
        acc = eom(0.0, sf, mass_ratio)
        ydot = sf[4]
        M = np.array([[phi[3, 0], phi[3, 4]], [phi[5, 0], phi[5, 4]]]) - np.outer(
            [acc[3], acc[5]], [phi[1, 0], phi[1, 4]]
        ) / ydot
        dx0, dvy0 = np.linalg.solve(M, -np.array([sf[3], sf[5]]))
        s[0] += dx0
        s[4] += dvy0
    raise HaloCorrectionError(
        f"halo correction did not converge in {max_iter} iterations: residual "
        f"|(vx, vz)| at the half-period crossing = {residual:.3g} (tolerance {tol:g})", residual,
    )


# --- symmetric periodic orbits: correction, continuation, stability ------------------------
#
# A halo orbit is symmetric about the xz-plane: it crosses it perpendicularly twice a period.
# Its free variables here are X = (x0, z0, vy0) of the state (x0, 0, z0, 0, vy0, 0); the
# constraints are vx = vz = 0 at the next crossing of y = 0 (Howell 1984). Families are traced
# by pseudo-arclength continuation (Keller 1977; Doedel et al., "Numerical analysis and control
# of bifurcation problems", 1991): predict along the tangent of the solution curve (the null
# vector of the 2 x 3 constraint Jacobian), correct with the constraints plus
# ``tangent . (X - X_prev) = ds``, so the family is followed through turning points of any
# one coordinate, amplitude or Jacobi constant.

#: z -> -z symmetry of the CR3BP (northern <-> southern halo), and the xz-plane mirror with
#: time reversal (y, vx, vz change sign) used to build the monodromy matrix from a half period.
MIRROR_Z = np.array([1.0, 1.0, -1.0, 1.0, 1.0, -1.0])
_XZ_MIRROR = np.diag([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])


def _eom_stm(t, s, mass_ratio):
    """Return the derivative of the state and its transition matrix (42 values)."""
    x, y, z, vx, vy, vz = s[:6]
    dx1, dx2 = x + mass_ratio, x - 1.0 + mass_ratio
    r1_2 = dx1 * dx1 + y * y + z * z
    r2_2 = dx2 * dx2 + y * y + z * z
    r1_3 = r1_2 * np.sqrt(r1_2)
    r2_3 = r2_2 * np.sqrt(r2_2)
    a1 = (1.0 - mass_ratio) / r1_3
    a2 = mass_ratio / r2_3
    b1 = 3.0 * a1 / r1_2
    b2 = 3.0 * a2 / r2_2
    uxy = b1 * dx1 * y + b2 * dx2 * y
    uxz = b1 * dx1 * z + b2 * dx2 * z
    uyz = (b1 + b2) * y * z
    U = np.array([
        [1.0 - a1 - a2 + b1 * dx1 * dx1 + b2 * dx2 * dx2, uxy, uxz],
        [uxy, 1.0 - a1 - a2 + (b1 + b2) * y * y, uyz],
        [uxz, uyz, -a1 - a2 + (b1 + b2) * z * z],
    ])
    phi = s[6:].reshape(6, 6)
    top, bottom = phi[:3], phi[3:]
    d_bottom = U @ top
    d_bottom[0] += 2.0 * bottom[1]
    d_bottom[1] -= 2.0 * bottom[0]
    out = np.empty(42)
    out[:6] = (vx, vy, vz, 2.0 * vy + x - a1 * dx1 - a2 * dx2,
               -2.0 * vx + y - a1 * y - a2 * y, -a1 * z - a2 * z)
    out[6:24] = bottom.ravel()
    out[24:] = d_bottom.ravel()
    return out


def symmetric_state(X):
    """Return the state (x0, 0, z0, 0, vy0, 0) of the free variables ``X = (x0, z0, vy0)``."""
    return np.array([X[0], 0.0, X[1], 0.0, X[2], 0.0])


def crossing(X, mass_ratio, t_max, rtol=1e-12):
    """Integrate from the xz-plane state of ``X`` (with its STM) to the next y = 0 crossing.

    Returns ``(t_half, state, phi)`` or None if there is no crossing before ``t_max``.
    """
    from scipy.integrate import solve_ivp

    def event(t, s, *args):
        return s[1]

    event.terminal = True  # type: ignore[attr-defined]
    event.direction = -np.sign(X[2]) if X[2] != 0 else 0  # type: ignore[attr-defined]
    s0 = np.concatenate([symmetric_state(X), np.eye(6).ravel()])
    sol = solve_ivp(_eom_stm, (0.0, t_max), s0, args=(mass_ratio,), events=event,
                    rtol=rtol, atol=1e-13, method="DOP853")
    if sol.status != 1 or len(sol.t_events[0]) == 0 or sol.t_events[0][0] < 1e-6:
        return None
    s = sol.y_events[0][0]
    return float(sol.t_events[0][0]), s[:6], s[6:].reshape(6, 6)


def _constraints(X, mass_ratio, t_max):
    """Return the residual ``(vx, vz)`` at the half-period crossing, its 2 x 3 Jacobian in X."""
    hit = crossing(X, mass_ratio, t_max)
    if hit is None:
        return None
    t_half, s, phi = hit
    f = eom(0.0, s, mass_ratio)
    cols = [0, 2, 4]
    D = phi[np.ix_([3, 5], cols)] - np.outer([f[3], f[5]], phi[1, cols]) / s[4]
    return np.array([s[3], s[5]]), D, t_half, phi


class ContinuationError(RuntimeError):
    """A correction did not converge: ``constraint`` names it and ``residual`` gives its size."""

    def __init__(self, message, constraint, residual):
        super().__init__(message)
        self.constraint = constraint
        self.residual = residual


def correct_symmetric(X, mass_ratio, t_half, *, fixed=None, tangent=None, anchor=None,
                      ds=0.0, tol=1e-11, max_iter=12):
    """Newton correction of a symmetric periodic orbit.

    ``fixed`` = 0 (x0) or 1 (z0) keeps that variable; otherwise ``tangent`` and ``anchor``
    add the pseudo-arclength condition ``tangent . (X - anchor) = ds``.

    Returns ``(X, t_half, D, phi, iterations)``; raises :class:`ContinuationError`.
    """
    X = np.array(X, dtype=float)
    worst = np.inf
    for it in range(1, max_iter + 1):
        out = _constraints(X, mass_ratio, 2.0 * max(t_half, 0.2) + 1.0)
        if out is None:
            raise ContinuationError(
                f"the trajectory from x0 = {X[0]:.6f}, z0 = {X[1]:.6f}, vy0 = {X[2]:.6f} "
                f"did not return to the xz-plane (constraint y = 0 at the half period)",
                "y", np.inf)
        F, D, t_half, phi = out
        worst = float(np.max(np.abs(F)))
        if worst < tol:
            return X, t_half, D, phi, it
        if fixed is not None:
            free = [j for j in range(3) if j != fixed]
            dX = np.zeros(3)
            dX[free] = np.linalg.solve(D[:, free], -F)
        else:
            A = np.vstack([D, tangent])
            r = np.concatenate([F, [tangent @ (X - anchor) - ds]])
            dX = np.linalg.solve(A, -r)
        X = X + dX
        if not np.all(np.isfinite(X)):
            break
    which = "vx and vz" if np.isfinite(worst) else "vx, vz"
    raise ContinuationError(
        f"the correction did not converge in {max_iter} iterations: {which} at the half-period "
        f"crossing still {worst:.3g} (nondimensional; tolerance {tol:g})", which, worst)


def null_tangent(D, previous=None):
    """Return the unit null vector of the 2 x 3 Jacobian ``D``, oriented along ``previous``."""
    t = np.cross(D[0], D[1])
    t /= np.linalg.norm(t)
    if previous is not None and t @ previous < 0.0:
        t = -t
    return t


def monodromy(phi_half):
    """Return the monodromy matrix of a symmetric orbit from its half-period STM.

    By the mirror symmetry ``S`` (y, vx, vz -> -y, -vx, -vz with time reversal):
    ``M = S Phi(T/2)^-1 S Phi(T/2)``.
    """
    S = _XZ_MIRROR
    return S @ np.linalg.solve(phi_half, S @ phi_half)


def stability_index(M):
    """Return the stability index ``(|lambda|max + 1 / |lambda|max) / 2`` and ``|lambda|max``.

    1 for a linearly stable orbit; the form used by Zimovan-Spreen et al. (2020).
    """
    lam = np.max(np.abs(np.linalg.eigvals(M)))
    return 0.5 * (lam + 1.0 / lam), lam


def orbit_extremes(state0, period, mass_ratio, n=2000):
    """Return the distance from the Moon (min, max), max |z| and samples over one period.

    Of an orbit symmetric about the xz-plane starting on it: the second half period mirrors
    the first (y, vx, vz change sign), so half a period is integrated (dense DOP853 output,
    ``n`` samples) and mirrored for the samples; the closest approach is refined by a bounded
    scalar minimisation. Samples: array (6, 2 n - 1) over the whole period.
    """
    from scipy.integrate import solve_ivp
    from scipy.optimize import minimize_scalar

    half = 0.5 * period
    sol = solve_ivp(eom, (0.0, half), state0, args=(mass_ratio,), rtol=1e-12, atol=1e-13,
                    method="DOP853", dense_output=True)
    t = np.linspace(0.0, half, n)
    y = sol.sol(t)
    moon = np.array([1.0 - mass_ratio, 0.0, 0.0])

    def dist(tt):
        return float(np.linalg.norm(sol.sol(tt)[:3] - moon))

    d = np.linalg.norm(y[:3].T - moon, axis=-1)
    i = int(np.argmin(d))
    lo, hi = t[max(i - 1, 0)], t[min(i + 1, n - 1)]
    r_min = min(minimize_scalar(dist, bounds=(lo, hi), method="bounded",
                                options={"xatol": 1e-12}).fun, d[i])
    back = (y[:, -2::-1].T * np.diag(_XZ_MIRROR)).T  # t -> T - t: the mirrored half
    full = np.concatenate([y, back], axis=1)
    return float(r_min), float(d.max()), float(np.abs(y[2]).max()), full


def continue_family(X0, t_half0, mass_ratio, *, ds=0.01, ds_min=1e-4, ds_max=0.03,
                    n_max=200, stop=None, direction=None, tol=1e-11):
    """Trace a family of symmetric periodic orbits by pseudo-arclength continuation.

    From the corrected orbit ``X0`` (half period ``t_half0``), steps of arclength ``ds`` in
    ``X = (x0, z0, vy0)`` (halved on a failed correction, grown by 1.5 after an easy one, within
    ``[ds_min, ds_max]``); ``direction`` orients the first tangent (default: growing ``|z0|``).
    ``stop(member)`` ends the family after the member it returns True for (that member is not
    kept). Each member is a dict with ``X``, ``t_half``, ``phi`` (half-period STM).

    Returns the list of members, the first being ``X0`` corrected. Raises
    :class:`ContinuationError` if ``X0`` itself does not correct.
    """
    X, th, D, phi, _ = correct_symmetric(X0, mass_ratio, t_half0, fixed=1, tol=tol)
    members = [{"X": X, "t_half": th, "phi": phi}]
    if direction is None:
        direction = np.array([0.0, np.sign(X[1]) or 1.0, 0.0])
    tau = null_tangent(D, direction)
    while len(members) < n_max:
        try:
            Xn, thn, Dn, phin, it = correct_symmetric(
                X + ds * tau, mass_ratio, th, tangent=tau, anchor=X, ds=ds, tol=tol,
                max_iter=8)
        except (ContinuationError, np.linalg.LinAlgError):
            ds *= 0.5
            if ds < ds_min:
                break
            continue
        member = {"X": Xn, "t_half": thn, "phi": phin}
        if stop is not None and stop(member):
            break
        members.append(member)
        tau = null_tangent(Dn, tau)
        X, th = Xn, thn
        if it <= 3:
            ds = min(1.5 * ds, ds_max)
        elif it >= 6:
            ds = max(ds / 1.5, ds_min)
    return members
