"""Lambert's problem, vectorised: Izzo's algorithm on whole arrays.

Pure numpy on floats/arrays in km, s, rad. One call solves a whole grid of problems: every
input broadcasts over leading batch axes; the broadcast batch is cut into contiguous blocks of
``chunk_size`` problems (:func:`blocks`) that threads solve at the same time (numpy releases
the GIL in its loops), each block's Householder iterations running on the whole block at once,
each problem leaving the working set as soon as it has converged. The results go straight into
the outputs, so the temporaries are bounded by the block size, not by the batch, and they do
not depend on the block size or the number of threads. A compiled block solver with the same
arithmetic can be passed as ``kernel=`` (``orbits/_kernels/lambert_numba.py``; this module
never imports numba).

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
    "DEFAULT_CHUNK",
    "COLLINEAR",
    "NOT_CONVERGED",
    "NO_SOLUTION_M",
    "OK",
    "STATUS_MESSAGES",
    "LambertSolution",
    "default_threads",
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


#: Problems per block when a batch is split (``chunk_size=None``): small enough that a
#: block's temporaries (about 0.5 kB per problem) stay in the cache, large enough that the
#: Python overhead per block (a few dozen numpy calls) is a few per cent.
DEFAULT_CHUNK = 8192


def _check_count(value, name):
    """Return a positive integer option (``chunk_size``, ``threads``); else ValueError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def default_threads() -> int:
    """Worker threads used when ``threads=None``: the CPUs this process may run on."""
    try:
        import os

        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        import os

        return max(1, os.cpu_count() or 1)


def blocks(shape: tuple[int, ...], chunk: int) -> list[tuple]:
    """Index tuples that cut a C-ordered array of ``shape`` into contiguous blocks.

    Each block is ``(i0, ..., i_{a-1}, slice(lo, hi))`` on the leading axes, with all axes after
    ``a`` whole, holding at most ``max(chunk, 1)`` elements (at least one row of the split
    axis when the trailing axes alone hold more than ``chunk``). Indexing a C-contiguous array
    with a block gives a contiguous view, so a block's results can be written in place.
    """
    if not shape:
        return [(Ellipsis,)]  # a 0-d view (``a[()]`` would give a scalar copy)
    n = int(np.prod(shape))
    if n == 0:
        return []
    # split axis a: the first axis whose trailing product (axes a+1 ...) fits in the chunk
    trailing = 1
    a = len(shape) - 1
    while a > 0 and trailing * shape[a] <= chunk:
        trailing *= shape[a]
        a -= 1
    if trailing * shape[a] <= chunk:  # the whole array fits
        return [(slice(None),)]
    step = max(1, chunk // trailing)
    lead = np.ndindex(*shape[:a]) if a else [()]
    return [
        tuple(i) + (slice(lo, min(lo + step, shape[a])),)
        for i in lead
        for lo in range(0, shape[a], step)
    ]


def _block_of(arr, shape, idx, tail=()):
    """``arr`` broadcast to ``shape + tail``, the block ``idx``, as a contiguous flat array."""
    full = shape + tail
    blk = arr[idx] if arr.shape == full else np.broadcast_to(arr, full)[idx]
    return np.ascontiguousarray(blk).reshape((-1,) + tail)


def run_blocks(func, shape, chunk, threads):
    """Call ``func(idx)`` for every block of :func:`blocks`, on up to ``threads`` threads.

    numpy releases the GIL inside its array loops, so blocks of a few thousand problems run
    in parallel; each block writes its own region of the outputs (no locking needed).
    """
    todo = blocks(shape, chunk)
    nthreads = min(threads, len(todo))
    if nthreads <= 1:
        for idx in todo:
            func(idx)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=nthreads) as pool:
        # list(): re-raise the first exception of any block here
        list(pool.map(func, todo))


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
    chunk_size: int | None = None,
    threads: int | None = None,
    kernel=None,
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
    chunk_size : int, optional
        Problems per block (default :data:`DEFAULT_CHUNK`): the broadcast batch is solved
        block by block, so the temporaries stay bounded (about 0.5 kB per problem of a block
        and thread) whatever the batch size. Results do not depend on it.
    threads : int, optional
        Threads solving blocks at the same time (default: the CPUs available,
        :func:`default_threads`); 1 solves the blocks in turn in the calling thread.
    kernel : callable, optional
        Solver of one block, ``kernel(k, r1, r2, tof, M, prograde, lowpath, rtol, maxiter,
        collinear_tol, v1, v2, status)`` on flat arrays, writing the outputs in place; default
        this module's numpy solver. (The units layer passes a compiled kernel here.)

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
    chunk = DEFAULT_CHUNK if chunk_size is None else _check_count(chunk_size, "chunk_size")
    nthreads = default_threads() if threads is None else _check_count(threads, "threads")
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
    v1 = np.empty(shape + (3,))
    v2 = np.empty(shape + (3,))
    status = np.empty(shape, dtype=np.int8)
    solve = solve_flat if kernel is None else kernel

    def one_block(idx):
        solve(
            k,
            _block_of(r1, shape, idx, (3,)),
            _block_of(r2, shape, idx, (3,)),
            _block_of(tof, shape, idx),
            _block_of(M_arr, shape, idx),
            _block_of(prograde, shape, idx),
            _block_of(lowpath, shape, idx),
            rtol,
            maxiter,
            collinear_tol,
            v1[idx].reshape(-1, 3),  # views: the block is contiguous in the outputs
            v2[idx].reshape(-1, 3),
            status[idx].reshape(-1),
        )

    run_blocks(one_block, shape, chunk, nthreads)
    return LambertSolution(v1, v2, status == OK, status)


class Geometry(NamedTuple):
    """Per-problem quantities of a flat batch that do not depend on ``M`` or the branch.

    Arrays hold only the problems that passed the input checks (their positions in the
    batch: ``idx``); the others already carry their status code.
    """

    idx: np.ndarray
    lam: np.ndarray
    T: np.ndarray
    s: np.ndarray
    r1n: np.ndarray
    r2n: np.ndarray
    cn: np.ndarray
    ih: tuple  # unit normal of the transfer (sign-corrected), 3 arrays
    p1: tuple  # r1 components, 3 arrays
    p2: tuple  # r2 components, 3 arrays

    def take(self, j):
        """Return the geometry of the problems at positions ``j`` of this one."""
        return Geometry(
            self.idx[j],
            self.lam[j],
            self.T[j],
            self.s[j],
            self.r1n[j],
            self.r2n[j],
            self.cn[j],
            tuple(a[j] for a in self.ih),
            tuple(a[j] for a in self.p1),
            tuple(a[j] for a in self.p2),
        )


def geometry(k, r1, r2, tof, prograde, collinear_tol, status):
    """Check a flat batch and compute its :class:`Geometry`; writes the status codes.

    ``r1, r2`` of shape (n, 3), ``tof`` and ``prograde`` of shape (n,) or scalars;
    ``status`` (n,) int8 is filled with 0 where the problem goes on to be solved.
    """
    n = r1.shape[0]
    tof = np.broadcast_to(tof, (n,))
    prograde = np.broadcast_to(prograde, (n,))
    status[:] = OK
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
    if good.all():
        idx = np.arange(n)
        pro_i, tof_i = prograde, tof
    else:
        idx = np.flatnonzero(good)
        r1n, r2n, cn, hx, hy, hz, hn = (a[idx] for a in (r1n, r2n, cn, hx, hy, hz, hn))
        x1, y1, z1, x2, y2, z2 = (a[idx] for a in (x1, y1, z1, x2, y2, z2))
        pro_i, tof_i = prograde[idx], tof[idx]
    s = 0.5 * (r1n + r2n + cn)
    lam = np.sqrt(np.maximum(1.0 - np.minimum(cn / s, 1.0), 0.0))
    # transfer angle > pi when the short-way normal points to -z (prograde) or +z (retrograde)
    flip = (hz < 0.0) == pro_i  # True: the long way, lambda < 0
    lam = np.where(flip, -lam, lam)
    inv = np.where(flip, -1.0, 1.0) / hn
    T = np.sqrt(2.0 * k / s**3) * tof_i
    return Geometry(
        idx, lam, T, s, r1n, r2n, cn, (hx * inv, hy * inv, hz * inv), (x1, y1, z1), (x2, y2, z2)
    )


def feasible(lam, T, M):
    """Mask of the problems that have an ``M``-revolution solution (``T >= T_min(M)``)."""
    ok = np.ones(lam.shape, dtype=bool)
    multi = M > 0
    if np.any(multi):
        jm = np.flatnonzero(multi)
        lm, Mm, Tm = lam[jm], M[jm], T[jm]
        T00 = np.arccos(lm) + lm * np.sqrt(1.0 - lm * lm)
        feas = Mm <= np.floor(Tm / _PI)
        check = feas & (Tm < T00 + Mm * _PI)
        if np.any(check):
            jc = np.flatnonzero(check)
            Tmin = _min_tof(lm[jc], Mm[jc])
            feas[jc] = Tm[jc] >= Tmin
        ok[jm] = feas
    return ok


def solve_x(lam, T, M, lowpath, rtol, maxiter):
    """Solve ``T(x) = T`` for feasible problems: ``(x, converged)`` arrays."""
    x0 = _initial_guess(T, lam, M, lowpath)
    return _householder(x0, T, lam, M, rtol, maxiter)


def velocities(k, g, x):
    """Velocities (n, 3) at both ends (Izzo Algorithm 1) from the solved ``x``."""
    lam, s, r1n, r2n, cn = g.lam, g.s, g.r1n, g.r2n, g.cn
    ihx, ihy, ihz = g.ih
    x1, y1, z1 = g.p1
    x2, y2, z2 = g.p2
    y = _y_of(x, lam)
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
    out1 = np.empty((x.size, 3))
    out2 = np.empty((x.size, 3))
    out1[:, 0] = a1 * x1 + b1 * (ihy * z1 - ihz * y1)
    out1[:, 1] = a1 * y1 + b1 * (ihz * x1 - ihx * z1)
    out1[:, 2] = a1 * z1 + b1 * (ihx * y1 - ihy * x1)
    out2[:, 0] = a2 * x2 + b2 * (ihy * z2 - ihz * y2)
    out2[:, 1] = a2 * y2 + b2 * (ihz * x2 - ihx * z2)
    out2[:, 2] = a2 * z2 + b2 * (ihx * y2 - ihy * x2)
    return out1, out2


def solve_flat(k, r1, r2, tof, M, prograde, lowpath, rtol, maxiter, collinear_tol, v1, v2, status):
    """Solve a flat batch (``r1, r2`` (n, 3); the rest (n,)), writing ``v1, v2, status``."""
    g = geometry(k, r1, r2, tof, prograde, collinear_tol, status)
    v1[:] = np.nan
    v2[:] = np.nan
    if g.idx.size == 0:
        return
    M_i, low_i = M[g.idx], lowpath[g.idx]
    feas = feasible(g.lam, g.T, M_i)
    if not feas.all():
        status[g.idx[~feas]] = NO_SOLUTION_M
        j = np.flatnonzero(feas)
        g, M_i, low_i = g.take(j), M_i[j], low_i[j]
        if g.idx.size == 0:
            return
    x, conv = solve_x(g.lam, g.T, M_i, low_i, rtol, maxiter)
    out1, out2 = velocities(k, g, x)
    if not conv.all():
        status[g.idx[~conv]] = NOT_CONVERGED
        out1[~conv] = np.nan
        out2[~conv] = np.nan
    if g.idx.size == v1.shape[0]:
        v1[:] = out1
        v2[:] = out2
    else:
        v1[g.idx] = out1
        v2[g.idx] = out2
