"""Station-to-station transfer search on a grid of departure times x times of flight.

Pure numpy on floats/arrays in km, s, rad. Each station moves on a Keplerian ellipse whose
node, argument of periapsis and mean anomaly drift at the first-order secular J2 rates
(:func:`orbits.core.j2.j2_secular_rates`); the mean elements at each time are turned into a
state with :func:`orbits.core.elements.coe2rv`. Between the departure station at ``t`` and the
arrival station at ``t + tof`` a Lambert transfer is solved (:func:`orbits.core.lambert.lambert`)
for every grid cell and every revolution count / branch, block by block over the departure
axis to bound memory (threads over blocks); each cell keeps the cheapest solution. The cell's
geometry is shared by all revolution counts and branches: only the x-solve differs.

Δv is the sum of the two impulse magnitudes, ``|v1 - v_dep| + |v_arr - v2|`` (rendezvous:
matching the arrival station's velocity).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .constants import GM_EARTH, J2_EARTH, R_EARTH
from .elements import coe2rv
from .kepler import mean_to_true

__all__ = [
    "DEFAULT_CELLS",
    "MeanElements",
    "TransferGrid",
    "grid_block",
    "local_minima",
    "station_states",
    "transfer_grid",
]


class MeanElements(NamedTuple):
    """Mean elements of a closed orbit at ``t = 0`` of the search's time axis (km, rad)."""

    a: float
    ecc: float
    inc: float
    raan: float
    argp: float
    M: float  #: mean anomaly at t = 0, rad


def secular_rates(
    el: MeanElements,
    k: float = GM_EARTH,
    J2: float = J2_EARTH,
    R: float = R_EARTH,
    J4: float | None = None,
) -> tuple[float, float, float]:
    """Secular rates ``(raan_dot, argp_dot, n_bar)`` in rad/s of mean elements ``el``.

    Two-body (``J2 = 0``), first-order J2, or with ``J4`` given the second-order J2^2 + J4
    secular model of SGP4.
    """
    if not J2:
        return 0.0, 0.0, float(np.sqrt(k / el.a**3))
    from .j2 import j2_j4_secular_rates, j2_secular_rates

    if J4 is None:
        rates = j2_secular_rates(el.a, el.ecc, el.inc, k=k, R=R, J2=J2)
    else:
        rates = j2_j4_secular_rates(el.a, el.ecc, el.inc, k=k, R=R, J2=J2, J4=J4)
    raan_dot, argp_dot, n_bar = (float(x) for x in rates)
    return raan_dot, argp_dot, n_bar


def station_states(
    el: MeanElements,
    t: ArrayLike,
    k: float = GM_EARTH,
    J2: float = J2_EARTH,
    R: float = R_EARTH,
    J4: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Position and velocity (km, km/s), shape ``t.shape + (3,)``, at times ``t`` (s).

    Keplerian motion with the secular drift of RAAN, argument of periapsis and mean anomaly
    (:func:`secular_rates`: ``J2 = 0`` gives pure two-body motion; ``J4`` adds second order).
    """
    t = np.asarray(t, dtype=float)
    if not (0.0 <= el.ecc < 1.0) or not el.a > 0.0:
        raise ValueError(f"station orbit must be closed: a > 0 and 0 <= ecc < 1, got {el!r}")
    raan_dot, argp_dot, n_bar = secular_rates(el, k, J2, R, J4)
    nu = mean_to_true(el.M + n_bar * t, el.ecc)
    p = el.a * (1.0 - el.ecc**2)
    return coe2rv(p, el.ecc, el.inc, el.raan + raan_dot * t, el.argp + argp_dot * t, nu, k)


class TransferGrid(NamedTuple):
    """Cheapest transfer per (departure, tof) cell; arrays of shape (N, K)."""

    dv1: np.ndarray  #: departure impulse, km/s (NaN where not ok)
    dv2: np.ndarray  #: arrival impulse, km/s (NaN where not ok)
    dv: np.ndarray  #: total, km/s (NaN where not ok)
    ok: np.ndarray  #: a Lambert solution exists for at least one revolution count / branch
    revs: np.ndarray  #: revolutions of the chosen solution (-1 where not ok)
    lowpath: np.ndarray  #: branch of the chosen multi-revolution solution


#: Grid cells per block (``chunk_size=None``): each block solves the cells of a few
#: departure rows for all revolution counts / branches, its temporaries in the cache.
DEFAULT_CELLS = 8192


def transfer_grid(
    dep: MeanElements,
    arr: MeanElements,
    t_dep: ArrayLike,
    tof: ArrayLike,
    *,
    k: float = GM_EARTH,
    J2: float = J2_EARTH,
    R: float = R_EARTH,
    J4: float | None = None,
    max_revs: int = 0,
    prograde: bool = True,
    chunk_size: int | None = None,
    threads: int | None = None,
    kernel=None,
    propagate=None,
) -> TransferGrid:
    """Solve the Lambert transfers of a departure-time x time-of-flight grid.

    Parameters
    ----------
    dep, arr : MeanElements
        Departure and arrival station orbits; ``t = 0`` is the time origin of both.
    t_dep : array_like, shape (N,)
        Departure times, s from the time origin.
    tof : array_like, shape (K,)
        Times of flight, s (> 0).
    max_revs : int
        Largest number of complete revolutions tried; for ``M >= 1`` both branches are solved.
    prograde : bool
        Direction of the transfer orbits (True: angular momentum towards +z).
    chunk_size : int, optional
        Grid cells per block (default :data:`DEFAULT_CELLS`; at least one departure row):
        the grid is solved block by block over the departures, so memory stays bounded.
        Results do not depend on it.
    threads : int, optional
        Threads solving blocks at once (default: the CPUs available).
    kernel : callable, optional
        Solver of one block of rows, ``kernel(k, r_d, v_d, r_a, v_a, tof, max_revs, prograde,
        dv1, dv2, dv, revs, lowpath)`` writing the outputs in place; default the numpy solver
        :func:`grid_block`. (The units layer passes a compiled kernel here.)
    propagate : callable, optional
        The arrival station's states in a block, ``propagate(arr, t, k, J2, R, J4) -> (r, v)``
        with the signature and result of :func:`station_states` (the default); the units layer
        passes a compiled equivalent.

    Returns
    -------
    TransferGrid

    Notes
    -----
    Per cell the geometry (chord, lambda, non-dimensional time) is computed once and shared by
    all revolution counts; the feasibility of ``M`` revolutions (``T >= T_min(M)``) is decided
    once for both branches, and only the ``x``-solve and the velocities run per variant. Ties
    keep the first variant in the order ``M = 0, (1, low), (1, high), (2, low), ...``.
    """
    from .lambert import _check_count, default_threads, run_blocks

    t_dep = np.asarray(t_dep, dtype=float).ravel()
    tof = np.asarray(tof, dtype=float).ravel()
    if np.any(~np.isfinite(tof)) or np.any(tof <= 0.0):
        raise ValueError("tof must be finite and > 0 s")
    if not np.all(np.isfinite(t_dep)):
        raise ValueError("t_dep must be finite")
    max_revs = int(max_revs)
    if max_revs < 0:
        raise ValueError(f"max_revs must be >= 0, got {max_revs}")
    cells = DEFAULT_CELLS if chunk_size is None else _check_count(chunk_size, "chunk_size")
    nthreads = default_threads() if threads is None else _check_count(threads, "threads")
    N, K = t_dep.size, tof.size
    solve = grid_block if kernel is None else kernel
    states = station_states if propagate is None else propagate

    r_d, v_d = station_states(dep, t_dep, k, J2, R, J4)  # (N, 3)
    out_dv1 = np.empty((N, K))
    out_dv2 = np.empty((N, K))
    out_dv = np.empty((N, K))
    out_rev = np.empty((N, K), dtype=np.int16)
    out_low = np.empty((N, K), dtype=bool)

    def one_block(idx):
        (sl,) = idx
        t_arr = t_dep[sl, None] + tof[None, :]  # (n, K)
        r_a, v_a = states(arr, t_arr, k, J2, R, J4)  # (n, K, 3)
        solve(
            k, r_d[sl], v_d[sl], r_a, v_a, tof, max_revs, prograde,
            out_dv1[sl], out_dv2[sl], out_dv[sl], out_rev[sl], out_low[sl],
        )  # fmt: skip

    run_blocks(one_block, (N, K), max(cells, K), nthreads)
    ok = np.isfinite(out_dv)
    return TransferGrid(out_dv1, out_dv2, out_dv, ok, out_rev, out_low)


def grid_block(k, r_d, v_d, r_a, v_a, tof, max_revs, prograde, dv1, dv2, dv, revs, lowpath):
    """Solve the cells of ``n`` departure rows x ``K`` times of flight (numpy), in place.

    ``r_d, v_d`` (n, 3) departure states, ``r_a, v_a`` (n, K, 3) arrival states, ``tof`` (K,);
    outputs (n, K): Δv of the cheapest variant (NaN where none), its ``M`` (-1) and branch.
    """
    from .lambert import feasible, geometry, solve_x, velocities

    n, K = r_a.shape[:2]
    m = n * K
    r1 = np.broadcast_to(r_d[:, None, :], (n, K, 3)).reshape(m, 3)
    vd = np.broadcast_to(v_d[:, None, :], (n, K, 3)).reshape(m, 3)
    r2 = r_a.reshape(m, 3)
    va = v_a.reshape(m, 3)
    tof_c = np.broadcast_to(tof[None, :], (n, K)).reshape(m)
    status = np.empty(m, dtype=np.int8)
    g = geometry(k, r1, r2, tof_c, prograde, 1e-12, status)
    best = np.full(g.idx.size, np.inf)
    b1 = np.full(g.idx.size, np.nan)
    b2 = np.full(g.idx.size, np.nan)
    brev = np.full(g.idx.size, -1, dtype=np.int16)
    blow = np.zeros(g.idx.size, dtype=bool)
    vd_g, va_g = vd[g.idx], va[g.idx]
    for M in range(max_revs + 1):
        M_arr = np.full(g.idx.size, M, dtype=np.int64)
        feas = feasible(g.lam, g.T, M_arr)
        j = np.flatnonzero(feas)
        if j.size == 0:
            continue
        gj = g if j.size == g.idx.size else g.take(j)
        for low in (True,) if M == 0 else (True, False):
            x, conv = solve_x(gj.lam, gj.T, M_arr[j], np.full(j.size, low), 1e-12, 35)
            w1, w2 = velocities(k, gj, x)
            d1 = np.linalg.norm(w1 - vd_g[j], axis=-1)
            d2 = np.linalg.norm(va_g[j] - w2, axis=-1)
            tot = np.where(conv, d1 + d2, np.inf)
            better = tot < best[j]
            jb = j[better]
            best[jb] = tot[better]
            b1[jb] = d1[better]
            b2[jb] = d2[better]
            brev[jb] = M
            blow[jb] = low
    for out, vals, fill in ((dv, best, np.nan), (dv1, b1, np.nan), (dv2, b2, np.nan),
                            (revs, brev, -1), (lowpath, blow, False)):  # fmt: skip
        flat = out.reshape(m)
        flat[:] = fill
        flat[g.idx] = vals
    dv[~np.isfinite(dv)] = np.nan


def local_minima(
    values: ArrayLike, ok: ArrayLike | None = None, *, interior: bool = True
) -> np.ndarray:
    """Flat indices of the local minima of a 2-D grid, sorted by value.

    Minima over the 8-neighbourhood, ties allowed; cells that are not ``ok`` (or NaN) never
    count and never block.

    With ``interior=True`` cells on the grid's edge are not reported: there the value may keep
    falling outside the searched range, so they are not windows (the grid still holds them).
    """
    from scipy.ndimage import minimum_filter

    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"values must be a 2-D grid, got shape {v.shape}")
    valid = np.isfinite(v) if ok is None else (np.asarray(ok) & np.isfinite(v))
    filled = np.where(valid, v, np.inf)
    neigh = minimum_filter(filled, size=3, mode="nearest")
    is_min = valid & (filled <= neigh)
    if interior:
        is_min[[0, -1], :] = False
        is_min[:, [0, -1]] = False
    idx = np.flatnonzero(is_min)
    return idx[np.argsort(filled.ravel()[idx], kind="stable")]
