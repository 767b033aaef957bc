"""Lambert's problem, vectorised: Izzo's algorithm on whole arrays.

Pure numpy on floats/arrays in km, s, rad. One call solves a whole grid of problems: every
input broadcasts over leading batch axes and the Householder iterations run on the whole batch
at once, each problem leaving the working set as soon as it has converged.

Method: D. Izzo, "Revisiting Lambert's problem", Celestial Mechanics and Dynamical Astronomy
121 (2015) 1-15 (arXiv:1403.2705). In the non-dimensional variables of that paper

* ``lambda^2 = 1 - c/s`` (chord ``c``, semi-perimeter ``s``), negative ``lambda`` for transfer
  angles above pi;
* ``T = sqrt(2 k / s^3) tof`` and ``y = sqrt(1 - lambda^2 (1 - x^2))``;
* the time-of-flight equation ``T(x)`` (Lancaster-Blanchard form, eq. 18; Battin's
  hypergeometric series close to the parabola, ``|1 - x^2| < 0.1, x > 0``, eq. 20) is solved
  for ``x`` by third-order Householder iterations using the analytic derivatives of eq. 22,
  started from the initial guesses of eq. 30 (single revolution, with the continuous middle branch
  ``x0 = 2^(log(T/T0)/log(T1/T0)) - 1``, which joins the outer branches at ``T0`` and ``T1``)
  and eq. 31 (multi-revolution);
* the velocities follow from Algorithm 1 of the paper.

For ``M >= 1`` revolutions a solution exists only if ``T`` is at least the minimum ``T_min(M)``
of ``T(x)``, which is found by Halley iterations on ``dT/dx = 0`` (section 2.4 of the paper).
Of the two ``M``-revolution solutions, ``lowpath=True`` returns the one with the larger ``x``
(the convention of poliastro/boinor, whose vacant focus lies below the chord).

Status codes (``status`` array, ``ok = status == 0``):

====  ====================================================================================
 0    solved (``OK``)
 1    ``tof <= 0`` (``BAD_TOF``)
 2    no solution with ``M`` revolutions: ``tof`` shorter than the minimum time of flight
      of that revolution count (``NO_SOLUTION_M``)
 3    ``r1`` and ``r2`` collinear (0 or 180 degree transfer): the transfer plane is undefined
      (``COLLINEAR``)
 4    Householder iterations did not converge (``NOT_CONVERGED``)
 5    degenerate input: zero or non-finite position, or non-finite time (``BAD_INPUT``)
====  ====================================================================================

The velocities of problems whose status is not 0 are NaN; use the status/ok arrays, never the
NaNs, to tell them apart.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "BAD_INPUT",
    "BAD_TOF",
    "COLLINEAR",
    "NOT_CONVERGED",
    "NO_SOLUTION_M",
    "OK",
    "STATUS_MESSAGES",
    "LambertSolution",
    "lambert",
]

OK, BAD_TOF, NO_SOLUTION_M, COLLINEAR, NOT_CONVERGED, BAD_INPUT = 0, 1, 2, 3, 4, 5

STATUS_MESSAGES = {
    OK: "solved",
    BAD_TOF: "time of flight must be > 0",
    NO_SOLUTION_M: "no solution with this many revolutions: the time of flight is shorter than "
    "the minimum time of flight for M revolutions (use a smaller M or a longer tof)",
    COLLINEAR: "r1 and r2 are collinear (0 or 180 degree transfer): the transfer plane is "
    "undefined",
    NOT_CONVERGED: "Householder iterations did not converge",
    BAD_INPUT: "degenerate input (zero or non-finite position vector, or non-finite tof)",
}

_PI = np.pi


class LambertSolution(NamedTuple):
    """Result of :func:`lambert`: velocities (km/s, NaN where not solved), ok mask, status."""

    v1: np.ndarray
    v2: np.ndarray
    ok: np.ndarray
    status: np.ndarray


# --- time-of-flight equation -------------------------------------------------------------


def _hyp2f1_battin(z, nterms=24):
    """F(3, 1; 5/2; z) by its power series (used for |z| small, near the parabola)."""
    term = np.ones_like(z)
    total = np.ones_like(z)
    for n in range(nterms):
        # ratio of consecutive terms: (3+n)(1+n)/((5/2+n)(1+n)) z = (3+n)/(2.5+n) z
        term = term * ((3.0 + n) / (2.5 + n)) * z
        total = total + term
    return total


def _tof(x, y, lam, M):
    """Non-dimensional time of flight T(x) (Izzo eq. 18; Battin series near x = 1)."""
    one_m_x2 = 1.0 - x * x
    # Battin's series near the parabola x = 1, where the closed form cancels; there
    # |S1| <~ |1 - x^2|
    # so 24 terms of the series reach round-off
    near = (np.abs(one_m_x2) < 0.1) & (x > 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ell = one_m_x2 > 0.0
        sq = np.sqrt(np.abs(one_m_x2))
        # psi: angle (ellipse) or hyperbolic angle (hyperbola), Izzo eq. 18. For the ellipse
        # cos psi = x y + lambda (1 - x^2) and sin psi = sqrt(1 - x^2) (y - lambda x) >= 0, so
        # atan2 keeps small angles accurate (arccos alone loses half the digits there)
        sin_part = (y - x * lam) * sq
        psi = np.where(ell, np.arctan2(sin_part, x * y + lam * one_m_x2), np.arcsinh(sin_part))
        T = ((psi + M * _PI) / sq - x + lam * y) / one_m_x2
    if np.any(near):
        idx = np.flatnonzero(near)
        xn, yn, ln = x[idx], y[idx], lam[idx] if np.ndim(lam) else lam
        eta = yn - ln * xn
        s1 = 0.5 * (1.0 - ln - xn * eta)
        q = (4.0 / 3.0) * _hyp2f1_battin(s1)
        Tn = 0.5 * (eta**3 * q + 4.0 * ln * eta)
        Mn = M[idx] if np.ndim(M) else M
        # the series is the single-revolution T; near x = 1 only M = 0 problems occur
        T[idx] = np.where(Mn == 0, Tn, T[idx])
    return T


def _derivatives(x, y, T, lam):
    """dT/dx, d2T/dx2, d3T/dx3 (Izzo eq. 22)."""
    one_m_x2 = 1.0 - x * x
    l2 = lam * lam
    l3 = l2 * lam
    y2 = y * y
    d1 = (3.0 * T * x - 2.0 + 2.0 * l3 * x / y) / one_m_x2
    d2 = (3.0 * T + 5.0 * x * d1 + 2.0 * (1.0 - l2) * l3 / (y2 * y)) / one_m_x2
    d3 = (7.0 * x * d2 + 8.0 * d1 - 6.0 * (1.0 - l2) * l3 * l2 * x / (y2 * y2 * y)) / one_m_x2
    return d1, d2, d3


def _y_of(x, lam):
    return np.sqrt(np.maximum(1.0 - lam * lam * (1.0 - x * x), 0.0))


def _min_tof(lam, M, maxiter=12, tol=1e-13):
    """T_min(M) for M >= 1: Halley iterations on dT/dx = 0 from x = 0.1 (Izzo section 2.4)."""
    x = np.full(lam.shape, 0.1)
    for _ in range(maxiter):
        y = _y_of(x, lam)
        T = _tof(x, y, lam, M)
        d1, d2, d3 = _derivatives(x, y, T, lam)
        step = 2.0 * d1 * d2 / (2.0 * d2 * d2 - d1 * d3)
        x_new = np.clip(x - step, -0.999999, 0.999999)
        converged = np.all(np.abs(x_new - x) < tol)
        x = x_new
        if converged:
            break
    return _tof(x, _y_of(x, lam), lam, M)


# --- main solver ---------------------------------------------------------------------------


def _initial_guess(T, lam, M, lowpath):
    """Izzo eqs. 30 (M = 0, corrected middle branch) and 31 (M >= 1)."""
    single = M == 0
    all_single = bool(single.all())
    if all_single:
        Ts, ls = T, lam
        x0 = np.empty_like(T)
    else:
        x0 = np.empty_like(T)
        Ts, ls = T[single], lam[single]
    if Ts.size:
        l3 = ls * ls * ls
        T0 = np.arccos(ls) + ls * np.sqrt(1.0 - ls * ls)  # T(x=0), M = 0
        T1 = (2.0 / 3.0) * (1.0 - l3)  # T(x=1), the parabola
        r = T0 / Ts
        xs = np.cbrt(r * r) - 1.0  # long branch, T >= T0
        # near lambda = 1, T0 -> 0 puts that guess next to the pole at x = -1; the pole's
        # own asymptote T ~ pi/(2(1+x))^(3/2) gives a guess still left of the root but nearer
        q = _PI / Ts
        xs = np.maximum(xs, 0.5 * np.cbrt(q * q) - 1.0)
        short = Ts < T1
        if short.any():
            j = np.flatnonzero(short)
            Tj, T1j, lj = Ts[j], T1[j], ls[j]
            xs[j] = 2.5 * T1j * (T1j - Tj) / (Tj * (1.0 - l3[j] * lj * lj)) + 1.0
        mid = (Ts < T0) & ~short
        if mid.any():
            j = np.flatnonzero(mid)
            with np.errstate(divide="ignore", invalid="ignore"):
                xs[j] = np.exp2(np.log(Ts[j] / T0[j]) / np.log(T1[j] / T0[j])) - 1.0
        if all_single:
            return xs
        x0[single] = xs
    multi = ~single
    if np.any(multi):
        Tm, Mm = T[multi], M[multi].astype(float)
        a = np.cbrt(((Mm * _PI + _PI) / (8.0 * Tm)) ** 2)
        b = np.cbrt(((8.0 * Tm) / (Mm * _PI)) ** 2)
        x_l = (a - 1.0) / (a + 1.0)
        x_r = (b - 1.0) / (b + 1.0)
        low = lowpath[multi]
        x0[multi] = np.where(low, np.maximum(x_l, x_r), np.minimum(x_l, x_r))
    return x0


def _householder(x, T_target, lam, M, tol, maxiter):
    """Third-order Householder iterations on the whole batch; returns x and a converged mask.

    Why the safeguards: for transfer angles near 0 deg between near-equal radii (lambda -> 1)
    T(x) has a knee at x = 0 and a pole at x = -1 (there T ~ pi/(2(1+x))^(3/2) +
    (1+lambda)/(2(1+x))) while T0 = T(0) -> 0, so the eq. 30 guess (T0/T)^(2/3) - 1 lands
    next to the pole, where T is tens to hundreds of times the target. There the third-order
    correction (|delta d2| > d1^2) flips the sign of the step, which jumps past x = -1;
    halving back towards -1 then restarted next to the pole, and the iteration cycled for
    more than 35 passes (54 % of short-way transfers of 1e-6 to 2 deg at radius ratio
    1 +- 1e-3 and tof 300 s to 3 d). Two changes fix it: the long-branch guess (see
    _initial_guess) is never nearer the pole than the pole's own asymptote, and, for M = 0,
    where T(x) decreases strictly on (-1, inf), every evaluation is kept as a bracket end
    (T > target: the root is right of x; T < target: left of it) and a step leaving the
    bracket is replaced by the bracket's midpoint. The cubic step resumes as soon as it stays
    inside, so ordinary problems take the same iterations as before.
    """
    n = x.size
    converged = np.zeros(n, dtype=bool)
    active = np.arange(n)
    xa, Ta, la, Ma = x, T_target, lam, M
    pa = np.full(n, np.inf)  # size of the previous step
    # bracket [lo, hi] of the root; its ends exclude x = -1 (and x = 1 for M >= 1), so that
    # "inside the bracket" is also "inside the domain". Iterates always lie in the bracket, so
    # updating an end is a plain copy. M >= 1 keeps the fixed domain (T(x) is not monotonic).
    edge = np.nextafter(1.0, 0.0)
    lo = np.full(n, -edge)
    multi = Ma > 0
    any_multi = bool(multi.any())
    hi = np.where(multi, edge, np.inf)
    for _ in range(maxiter):
        if active.size == 0:
            break
        y = _y_of(xa, la)
        T = _tof(xa, y, la, Ma)
        d1, d2, d3 = _derivatives(xa, y, T, la)
        delta = T - Ta
        above, below = delta > 0.0, delta < 0.0  # root right / left of x (T decreasing)
        if any_multi:
            above &= ~multi
            below &= ~multi
        np.copyto(lo, xa, where=above)
        np.copyto(hi, xa, where=below)
        d1sq = d1 * d1
        with np.errstate(divide="ignore", invalid="ignore"):
            step = (
                delta
                * (d1sq - 0.5 * delta * d2)
                / (d1 * (d1sq - delta * d2) + d3 * delta * delta / 6.0)
            )
        x_new = xa - step
        # a step that leaves the bracket (or is NaN) is replaced: by the bracket's midpoint
        # for M = 0 (doubling away from x while the root's right end is unknown), half way
        # to the domain edge for M >= 1. The bracket is closed: at the root a step that
        # rounds to 0 lands on a bracket end and counts as converged, not as a bisection.
        out = ~((x_new >= lo) & (x_new <= hi))
        scale = np.maximum(1.0, np.abs(xa))
        if out.any():
            j = np.flatnonzero(out)
            xj, loj, hij = xa[j], lo[j], hi[j]
            with np.errstate(invalid="ignore"):
                fb = np.where(np.isfinite(hij), 0.5 * (loj + hij), xj + np.abs(xj) + 1.0)
            if any_multi:
                mj = multi[j]
                fb = np.where(
                    mj, np.where(x_new[j] <= -1.0, 0.5 * (xj - 1.0), 0.5 * (xj + 1.0)), fb
                )
                # a bracket narrower than the tolerance has converged (M = 0 only)
                out[j] = mj | (hij - loj > tol * scale[j])
            else:
                out[j] = hij - loj > tol * scale[j]
            x_new[j] = fb
        size = np.abs(x_new - xa)
        # converged, or at the round-off floor of T(x): tiny steps that no longer shrink (a
        # converging third-order step shrinks by orders of magnitude; bisection shrinks by 2
        # and is not mistaken for the floor)
        floor = (size <= 1e-9 * scale) & (size >= 0.9 * pa)
        done = ((size <= tol * scale) | floor) & ~out
        x[active] = x_new
        converged[active[done]] = True
        keep = ~done
        active = active[keep]
        xa, Ta, la, Ma = x_new[keep], Ta[keep], la[keep], Ma[keep]
        lo, hi, pa = lo[keep], hi[keep], size[keep]
        if any_multi:
            multi = multi[keep]
    return x, converged


def lambert(
    k: float,
    r1: ArrayLike,
    r2: ArrayLike,
    tof: ArrayLike,
    M: ArrayLike = 0,
    prograde: ArrayLike = True,
    lowpath: ArrayLike = True,
    *,
    rtol: float = 1e-12,
    maxiter: int = 35,
    collinear_tol: float = 1e-12,
) -> LambertSolution:
    """Solve a batch of Lambert problems in one call (Izzo 2015).

    Parameters
    ----------
    k : float
        Gravitational parameter, km^3/s^2 (> 0).
    r1, r2 : array_like, shape (..., 3)
        Initial and final positions, km.
    tof : array_like, shape (...)
        Times of flight, s.
    M : int or array_like of int, shape (...)
        Number of complete revolutions (>= 0).
    prograde : bool or array_like of bool, shape (...)
        True: transfer with angular momentum along +z (transfer angle measured counter-clockwise
        about z); False: retrograde.
    lowpath : bool or array_like of bool, shape (...)
        For ``M >= 1``, which of the two solutions (see module docstring); ignored for M = 0.
    rtol : float
        Convergence tolerance on the Householder step in ``x``.
    maxiter : int
        Maximum Householder iterations.
    collinear_tol : float
        ``|r1 x r2| / (|r1| |r2|)`` below which the geometry counts as collinear (status 3).

    All array arguments broadcast against each other (vectors on the last axis).

    Returns
    -------
    LambertSolution
        ``v1, v2`` of shape ``(..., 3)`` in km/s (NaN where not solved), ``ok`` boolean mask and
        ``status`` int8 codes of shape ``(...)`` (see the module docstring).

    Examples
    --------
    Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., Example 7-5:
    ``r0 = 15945.34 I`` km, ``r = 12214.83899 I + 10249.46731 J`` km, 76.0 min, which gives
    ``v0 = 2.058913 I + 2.915965 J`` km/s and ``v = -3.451565 I + 0.910315 J`` km/s:

    >>> sol = lambert(398600.4418, [15945.34, 0.0, 0.0], [12214.83899, 10249.46731, 0.0], 76 * 60.0)
    >>> sol.v1.tolist()
    [2.058913, 2.915965, 0.0]
    >>> sol.v2.tolist()
    [-3.451565, 0.910315, 0.0]
    >>> bool(sol.ok), STATUS_MESSAGES[int(sol.status)]
    (True, 'solved')

    A whole batch in one call: the same problem with a time of flight that cannot be flown.

    >>> lambert(398600.4418, [15945.34, 0.0, 0.0], [12214.83899, 10249.46731, 0.0],
    ...         [76 * 60.0, -1.0]).status.tolist()
    [0, 1]
    """
    if not (np.isfinite(k) and k > 0.0):
        raise ValueError(f"k must be finite and > 0 km^3/s^2, got {k!r}")
    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    if r1.shape[-1:] != (3,) or r2.shape[-1:] != (3,):
        raise ValueError(
            f"r1 and r2 must have 3 components on the last axis, got shapes {r1.shape}, {r2.shape}"
        )
    tof = np.asarray(tof, dtype=float)
    M_arr = np.asarray(M)
    if M_arr.dtype.kind not in "iub" and not np.all(np.mod(M_arr, 1) == 0):
        raise ValueError(f"M must be a whole number of revolutions, got {M!r}")
    M_arr = M_arr.astype(np.int64)
    if np.any(M_arr < 0):
        raise ValueError(f"M must be >= 0, got min {int(np.min(M_arr))}")
    prograde = np.asarray(prograde, dtype=bool)
    lowpath = np.asarray(lowpath, dtype=bool)

    shape = np.broadcast_shapes(
        r1.shape[:-1], r2.shape[:-1], tof.shape, M_arr.shape, prograde.shape, lowpath.shape
    )
    n = int(np.prod(shape))
    r1 = np.broadcast_to(r1, shape + (3,)).reshape(n, 3)
    r2 = np.broadcast_to(r2, shape + (3,)).reshape(n, 3)
    tof = np.broadcast_to(tof, shape).reshape(n)
    M_arr = np.broadcast_to(M_arr, shape).reshape(n)
    prograde = np.broadcast_to(prograde, shape).reshape(n)
    lowpath = np.broadcast_to(lowpath, shape).reshape(n)

    status = np.zeros(n, dtype=np.int8)

    # --- geometry (whole batch), component-wise ---
    x1, y1, z1 = r1[:, 0], r1[:, 1], r1[:, 2]
    x2, y2, z2 = r2[:, 0], r2[:, 1], r2[:, 2]
    r1n = np.sqrt(x1 * x1 + y1 * y1 + z1 * z1)
    r2n = np.sqrt(x2 * x2 + y2 * y2 + z2 * z2)
    cx, cy, cz = x2 - x1, y2 - y1, z2 - z1
    cn = np.sqrt(cx * cx + cy * cy + cz * cz)
    hx = y1 * z2 - z1 * y2
    hy = z1 * x2 - x1 * z2
    hz = x1 * y2 - y1 * x2
    hn = np.sqrt(hx * hx + hy * hy + hz * hz)
    finite = np.isfinite(r1n) & np.isfinite(r2n) & np.isfinite(tof)
    bad_input = ~finite | (r1n <= 0.0) | (r2n <= 0.0)
    status[~(tof > 0.0)] = BAD_TOF
    with np.errstate(invalid="ignore", divide="ignore"):
        collinear = hn <= collinear_tol * r1n * r2n
    status[collinear & (status == OK)] = COLLINEAR
    status[bad_input] = BAD_INPUT

    good = status == OK
    sel: slice | np.ndarray  # all problems, or the indices of those still being solved
    if good.all():
        idx = np.arange(n)
        sel = slice(None)
    else:
        idx = np.flatnonzero(good)
        sel = idx
        if idx.size == 0:
            return _pack(None, None, status, shape)
        r1n, r2n, cn, hn, hx, hy, hz = (a[idx] for a in (r1n, r2n, cn, hn, hx, hy, hz))
        x1, y1, z1, x2, y2, z2 = (a[idx] for a in (x1, y1, z1, x2, y2, z2))
    tof_i, M_i, pro_i, low_i = tof[sel], M_arr[sel], prograde[sel], lowpath[sel]

    s = 0.5 * (r1n + r2n + cn)
    lam = np.sqrt(np.maximum(1.0 - np.minimum(cn / s, 1.0), 0.0))
    # transfer angle > pi when the short-way normal points to -z (prograde) or +z (retrograde)
    flip = (hz < 0.0) == pro_i  # True: the long way, lambda < 0
    lam = np.where(flip, -lam, lam)
    # unit normal of the transfer (sign-corrected), then tangential unit vectors ih x ir
    inv = np.where(flip, -1.0, 1.0) / hn
    ihx, ihy, ihz = hx * inv, hy * inv, hz * inv
    T = np.sqrt(2.0 * k / s**3) * tof_i

    # --- feasibility of M revolutions ---
    multi = M_i > 0
    if np.any(multi):
        jm = np.flatnonzero(multi)
        lm, Mm, Tm = lam[jm], M_i[jm], T[jm]
        T00 = np.arccos(lm) + lm * np.sqrt(1.0 - lm * lm)
        feasible = Mm <= np.floor(Tm / _PI)
        check = feasible & (Tm < T00 + Mm * _PI)
        if np.any(check):
            jc = np.flatnonzero(check)
            Tmin = _min_tof(lm[jc], Mm[jc])
            feasible[jc] = Tm[jc] >= Tmin
        infeasible = jm[~feasible]
        status[idx[infeasible]] = NO_SOLUTION_M
        keep = np.ones(idx.size, dtype=bool)
        keep[infeasible] = False
        if not np.all(keep):
            idx, lam, T, M_i, low_i = idx[keep], lam[keep], T[keep], M_i[keep], low_i[keep]
            r1n, r2n, cn, s, ihx, ihy, ihz = (a[keep] for a in (r1n, r2n, cn, s, ihx, ihy, ihz))
            x1, y1, z1, x2, y2, z2 = (a[keep] for a in (x1, y1, z1, x2, y2, z2))
            sel = idx
        if idx.size == 0:
            return _pack(None, None, status, shape)

    # --- solve T(x) = T ---
    x0 = _initial_guess(T, lam, M_i, low_i)
    x, conv = _householder(x0, T, lam, M_i, rtol, maxiter)
    y = _y_of(x, lam)

    # --- velocities (Izzo Algorithm 1) ---
    gamma = np.sqrt(0.5 * k * s)
    rho = (r1n - r2n) / cn
    sigma = np.sqrt(np.maximum(1.0 - rho * rho, 0.0))
    ly = lam * y
    vr1 = gamma * ((ly - x) - rho * (ly + x)) / r1n
    vr2 = -gamma * ((ly - x) + rho * (ly + x)) / r2n
    vt = gamma * sigma * (y + lam * x)
    # v = vr * r/|r| + vt * (ih x r)/|r|
    a1 = vr1 / r1n
    b1 = vt / (r1n * r1n)
    a2 = vr2 / r2n
    b2 = vt / (r2n * r2n)
    out1 = np.empty((idx.size, 3))
    out2 = np.empty((idx.size, 3))
    out1[:, 0] = a1 * x1 + b1 * (ihy * z1 - ihz * y1)
    out1[:, 1] = a1 * y1 + b1 * (ihz * x1 - ihx * z1)
    out1[:, 2] = a1 * z1 + b1 * (ihx * y1 - ihy * x1)
    out2[:, 0] = a2 * x2 + b2 * (ihy * z2 - ihz * y2)
    out2[:, 1] = a2 * y2 + b2 * (ihz * x2 - ihx * z2)
    out2[:, 2] = a2 * z2 + b2 * (ihx * y2 - ihy * x2)
    if isinstance(sel, slice):
        v1, v2 = out1, out2
    else:
        v1 = np.full((n, 3), np.nan)
        v2 = np.full((n, 3), np.nan)
        v1[idx] = out1
        v2[idx] = out2
    bad = ~conv
    if np.any(bad):
        status[idx[bad]] = NOT_CONVERGED
        v1[idx[bad]] = np.nan
        v2[idx[bad]] = np.nan
    return _pack(v1, v2, status, shape)


def _pack(v1, v2, status, shape):
    if v1 is None:
        v1 = np.full((status.size, 3), np.nan)
        v2 = np.full((status.size, 3), np.nan)
    return LambertSolution(
        v1.reshape(shape + (3,)),
        v2.reshape(shape + (3,)),
        (status == OK).reshape(shape),
        status.reshape(shape),
    )
