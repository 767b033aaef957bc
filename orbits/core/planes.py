"""Orbital-plane geometry and impulsive manoeuvre costs.

Pure numpy on floats/arrays in km, s, rad; every function broadcasts over its arguments.

References
----------
Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed. (2013), section 6.4
(non-coplanar transfers): inclination-only change (Example 6-4), change of the ascending node
only (Example 6-5), combined inclination and node change (Example 6-6), minimum combined plane
change with a Hohmann transfer (Example 6-7); section 6.3 Hohmann transfer (Example 6-1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .constants import GM_EARTH

__all__ = [
    "combined_plane_change",
    "hohmann",
    "node_change_dv",
    "plane_angle",
    "plane_change_dv",
]


def plane_angle(i1: ArrayLike, raan1: ArrayLike, i2: ArrayLike, raan2: ArrayLike) -> np.ndarray:
    """Angle (rad, [0, pi]) between two orbit planes given by inclination and node.

    Angle between the orbit normals ``h = (sin i sin O, -sin i cos O, cos i)``::

        cos theta = cos i1 cos i2 + sin i1 sin i2 cos(O2 - O1)

    (the spherical law of cosines of Vallado's combined inclination/node change).
    Evaluated as ``atan2(|h1 x h2|, h1 . h2)``, accurate also for nearly equal planes.
    """
    i1, r1, i2, r2 = (np.asarray(x, dtype=float) for x in (i1, raan1, i2, raan2))
    h1 = np.stack(
        np.broadcast_arrays(np.sin(i1) * np.sin(r1), -np.sin(i1) * np.cos(r1), np.cos(i1)), -1
    )
    h2 = np.stack(
        np.broadcast_arrays(np.sin(i2) * np.sin(r2), -np.sin(i2) * np.cos(r2), np.cos(i2)), -1
    )
    h1, h2 = np.broadcast_arrays(h1, h2)
    cross = np.linalg.norm(np.cross(h1, h2), axis=-1)
    dot = np.sum(h1 * h2, axis=-1)
    return np.arctan2(cross, dot)


def plane_change_dv(v: ArrayLike, angle: ArrayLike, fpa: ArrayLike = 0.0) -> np.ndarray:
    """Impulse (km/s) that turns a velocity of magnitude ``v`` through ``angle`` (rad).

    Isosceles velocity triangle: ``2 v cos(fpa) sin(angle / 2)``; only the horizontal component
    ``v cos(fpa)`` is rotated when the flight-path angle is ``fpa`` (Vallado 4th ed., the
    inclination-only algorithm of Example 6-4).
    """
    v, angle, fpa = (np.asarray(x, dtype=float) for x in (v, angle, fpa))
    return 2.0 * v * np.cos(fpa) * np.sin(0.5 * angle)


def node_change_dv(
    v: ArrayLike,
    inc: ArrayLike,
    delta_raan: ArrayLike,
    inc_final: ArrayLike | None = None,
    fpa: ArrayLike = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Impulse (km/s) to move the node by ``delta_raan`` (and optionally the inclination).

    The burn is made where the two planes intersect; it rotates the velocity by the plane angle
    ``theta`` (:func:`plane_angle`), so ``dv = 2 v cos(fpa) sin(theta/2)``. With
    ``inc_final=None`` this is Vallado's node-only change of a circular orbit (Example 6-5);
    with ``inc_final`` it is the combined change (Example 6-6).

    Returns
    -------
    dv : km/s
    theta : rad, the plane angle turned through
    """
    inc = np.asarray(inc, dtype=float)
    inc_f = inc if inc_final is None else np.asarray(inc_final, dtype=float)
    theta = plane_angle(inc, 0.0, inc_f, delta_raan)
    return plane_change_dv(v, theta, fpa), theta


def hohmann(
    r1: ArrayLike, r2: ArrayLike, k: float = GM_EARTH
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hohmann transfer between circular coplanar orbits of radii ``r1`` and ``r2`` km.

    Returns
    -------
    dv1, dv2 : km/s, magnitudes of the departure and arrival burns
    tof : s, half the transfer ellipse's period

    Examples
    --------
    Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., Example 6-1: from
    191.34411 km to 35781.34857 km altitude takes 3.935224 km/s in 5.256713 h:

    >>> dv1, dv2, tof = hohmann(6378.137 + 191.34411, 6378.137 + 35781.34857)
    >>> float(dv1 + dv2), float(tof / 3600.0)
    (3.935224, 5.256713)
    """
    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    a_t = 0.5 * (r1 + r2)
    v1 = np.sqrt(k / r1)
    v2 = np.sqrt(k / r2)
    vp = np.sqrt(k * (2.0 / r1 - 1.0 / a_t))
    va = np.sqrt(k * (2.0 / r2 - 1.0 / a_t))
    tof = np.pi * np.sqrt(a_t**3 / k)
    return np.abs(vp - v1), np.abs(v2 - va), tof


def _burn_costs(v1, vt1, vt2, v2, di, x):
    """Departure and arrival burn magnitudes when ``x`` of the plane change is done first."""
    d1 = np.sqrt(np.maximum(v1**2 + vt1**2 - 2.0 * v1 * vt1 * np.cos(x), 0.0))
    d2 = np.sqrt(np.maximum(vt2**2 + v2**2 - 2.0 * vt2 * v2 * np.cos(di - x), 0.0))
    return d1, d2


def combined_plane_change(
    r1: ArrayLike,
    r2: ArrayLike,
    delta_i: ArrayLike,
    k: float = GM_EARTH,
    n_grid: int = 65,
    n_refine: int = 60,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hohmann transfer with a plane change of ``delta_i`` split optimally between the burns.

    Each burn rotates the plane by part of ``delta_i`` while changing speed; by the law of
    cosines its cost is ``sqrt(v_a^2 + v_b^2 - 2 v_a v_b cos(di_k))``. The split that minimises
    the sum (Vallado 4th ed., "minimum combined plane change", Example 6-7) is found here
    exactly by a batched search: a coarse grid of ``n_grid`` splits, then ``n_refine``
    golden-section steps in the best bracket. No Python loop per batch element.

    Returns
    -------
    dv1, dv2 : km/s, burn magnitudes
    di1, di2 : rad, plane change done at each burn (``di1 + di2 = delta_i``)
    tof : s
    """
    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    di = np.asarray(delta_i, dtype=float)
    r1, r2, di = np.broadcast_arrays(r1, r2, di)
    a_t = 0.5 * (r1 + r2)
    v1 = np.sqrt(k / r1)
    v2 = np.sqrt(k / r2)
    vt1 = np.sqrt(k * (2.0 / r1 - 1.0 / a_t))
    vt2 = np.sqrt(k * (2.0 / r2 - 1.0 / a_t))

    # coarse grid over the fraction s in [0, 1] (last axis)
    s = np.linspace(0.0, 1.0, n_grid)
    ex = (..., None)
    d1, d2 = _burn_costs(v1[ex], vt1[ex], vt2[ex], v2[ex], di[ex], s * di[ex])
    best = np.argmin(d1 + d2, axis=-1)
    step = 1.0 / (n_grid - 1)
    lo = np.clip(s[best] - step, 0.0, 1.0)
    hi = np.clip(s[best] + step, 0.0, 1.0)

    def total(frac):
        a, b = _burn_costs(v1, vt1, vt2, v2, di, frac * di)
        return a + b

    g = 0.5 * (np.sqrt(5.0) - 1.0)
    c = hi - g * (hi - lo)
    d = lo + g * (hi - lo)
    for _ in range(n_refine):  # iterations of the search, not a loop per element
        left = total(c) < total(d)  # the minimum lies in [lo, d]
        hi = np.where(left, d, hi)
        lo = np.where(left, lo, c)
        c = hi - g * (hi - lo)
        d = lo + g * (hi - lo)
    frac = 0.5 * (lo + hi)
    # the ends of the interval are candidates too (all the change at one burn)
    cands = np.stack([frac, np.zeros_like(frac), np.ones_like(frac)], -1)
    t_c = np.stack([total(frac), total(np.zeros_like(frac)), total(np.ones_like(frac))], -1)
    best = np.take_along_axis(cands, np.argmin(t_c, axis=-1)[..., None], -1)[..., 0]
    dv1, dv2 = _burn_costs(v1, vt1, vt2, v2, di, best * di)
    tof = np.pi * np.sqrt(a_t**3 / k)
    return dv1, dv2, best * di, (1.0 - best) * di, tof
