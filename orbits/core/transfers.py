"""Station-to-station transfer search on a grid of departure times x times of flight.

Pure numpy on floats/arrays in km, s, rad. Each station moves on a Keplerian ellipse whose
node, argument of periapsis and mean anomaly drift at the first-order secular J2 rates
(:func:`orbits.core.j2.j2_secular_rates`); the mean elements at each time are turned into a
state with :func:`orbits.core.elements.coe2rv`. Between the departure station at ``t`` and the
arrival station at ``t + tof`` a Lambert transfer is solved (:func:`orbits.core.lambert.lambert`)
for every grid cell and every revolution count / branch at once, chunk by chunk over the
departure axis to bound memory; each cell keeps the cheapest solution.

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
from .lambert import lambert

__all__ = ["MeanElements", "TransferGrid", "local_minima", "station_states", "transfer_grid"]


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
    chunk_size: int = 400_000,
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
    chunk_size : int
        Lambert problems per vectorised call (bounds the memory: about 1 kB per problem).

    Returns
    -------
    TransferGrid
    """
    t_dep = np.asarray(t_dep, dtype=float).ravel()
    tof = np.asarray(tof, dtype=float).ravel()
    if np.any(~np.isfinite(tof)) or np.any(tof <= 0.0):
        raise ValueError("tof must be finite and > 0 s")
    if not np.all(np.isfinite(t_dep)):
        raise ValueError("t_dep must be finite")
    max_revs = int(max_revs)
    if max_revs < 0:
        raise ValueError(f"max_revs must be >= 0, got {max_revs}")
    N, K = t_dep.size, tof.size

    variants_M = [0] + [m for m in range(1, max_revs + 1) for _ in (0, 1)]
    variants_low = [True] + [b for _ in range(1, max_revs + 1) for b in (True, False)]
    V = len(variants_M)
    M_v = np.array(variants_M)[:, None, None]
    low_v = np.array(variants_low)[:, None, None]

    r_d, v_d = station_states(dep, t_dep, k, J2, R, J4)  # (N, 3)
    out_dv1 = np.full((N, K), np.nan)
    out_dv2 = np.full((N, K), np.nan)
    out_dv = np.full((N, K), np.nan)
    out_rev = np.full((N, K), -1, dtype=np.int16)
    out_low = np.zeros((N, K), dtype=bool)

    rows = max(1, chunk_size // (K * V))
    for start in range(0, N, rows):
        sl = slice(start, min(N, start + rows))
        t_arr = t_dep[sl, None] + tof[None, :]  # (n, K)
        r_a, v_a = station_states(arr, t_arr, k, J2, R, J4)  # (n, K, 3)
        sol = lambert(
            k,
            r_d[None, sl, None, :],
            r_a[None, :, :, :],
            tof[None, None, :],
            M_v,
            prograde,
            low_v,
        )  # arrays (V, n, K)
        d1 = np.linalg.norm(sol.v1 - v_d[None, sl, None, :], axis=-1)
        d2 = np.linalg.norm(v_a[None] - sol.v2, axis=-1)
        tot = np.where(sol.ok, d1 + d2, np.inf)
        best = np.argmin(tot, axis=0)  # (n, K)
        take = best[None]
        best_tot = np.take_along_axis(tot, take, 0)[0]
        good = np.isfinite(best_tot)
        out_dv[sl] = np.where(good, best_tot, np.nan)
        out_dv1[sl] = np.where(good, np.take_along_axis(d1, take, 0)[0], np.nan)
        out_dv2[sl] = np.where(good, np.take_along_axis(d2, take, 0)[0], np.nan)
        out_rev[sl] = np.where(good, np.asarray(variants_M)[best], -1)
        out_low[sl] = np.asarray(variants_low)[best] & good
    ok = np.isfinite(out_dv)
    return TransferGrid(out_dv1, out_dv2, out_dv, ok, out_rev, out_low)


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
