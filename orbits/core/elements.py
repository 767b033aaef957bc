"""Classical orbital elements <-> Cartesian state vectors, vectorised.

Pure numpy on floats/arrays in km, s, rad. Element arguments broadcast against each other;
vectors carry their three components on the **last** axis, so ``r`` and ``v`` of shape
``(..., 3)`` go with elements of shape ``(...)``.

Formulas: Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., algorithms 9
(RV2COE) and 10 (COE2RV); the perifocal-to-inertial rotation is R3(-raan) R1(-inc) R3(-argp).

Degenerate geometries follow one convention so that ``coe2rv(*rv2coe(r, v))`` round-trips:

* equatorial orbits (inclination within ``tol`` of 0 or pi): ``raan = 0`` and ``argp`` is the
  longitude of periapsis measured from the x axis;
* circular orbits (``ecc < tol``): ``argp = 0`` and ``nu`` is the argument of latitude (or the
  true longitude when also equatorial).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .constants import GM_EARTH

__all__ = ["ClassicalElements", "coe2rv", "rv2coe", "semilatus_rectum"]

_TWO_PI = 2.0 * np.pi


class ClassicalElements(NamedTuple):
    """Result of :func:`rv2coe` (arrays of the batch shape; km and rad)."""

    p: np.ndarray  #: semi-latus rectum, km
    a: np.ndarray  #: semi-major axis, km (negative for hyperbolas, inf for parabolas)
    ecc: np.ndarray  #: eccentricity
    inc: np.ndarray  #: inclination, rad in [0, pi]
    raan: np.ndarray  #: right ascension of the ascending node, rad in [0, 2 pi)
    argp: np.ndarray  #: argument of periapsis, rad in [0, 2 pi)
    nu: np.ndarray  #: true anomaly, rad in [0, 2 pi) (elliptic) or (-pi, pi) (open orbits)


def semilatus_rectum(a: ArrayLike, ecc: ArrayLike) -> np.ndarray:
    """``p = a (1 - e^2)`` (km); valid for ellipses (a > 0) and hyperbolas (a < 0)."""
    a = np.asarray(a, dtype=float)
    ecc = np.asarray(ecc, dtype=float)
    return a * (1.0 - ecc * ecc)


def _rotation(inc, raan, argp):
    """Columns P, Q of the perifocal frame in inertial axes, each (..., 3)."""
    cO, sO = np.cos(raan), np.sin(raan)
    cw, sw = np.cos(argp), np.sin(argp)
    ci, si = np.cos(inc), np.sin(inc)
    P = np.stack([cO * cw - sO * sw * ci, sO * cw + cO * sw * ci, sw * si], axis=-1)
    Q = np.stack([-cO * sw - sO * cw * ci, -sO * sw + cO * cw * ci, cw * si], axis=-1)
    return P, Q


def coe2rv(
    p: ArrayLike,
    ecc: ArrayLike,
    inc: ArrayLike,
    raan: ArrayLike,
    argp: ArrayLike,
    nu: ArrayLike,
    k: float = GM_EARTH,
) -> tuple[np.ndarray, np.ndarray]:
    """State vectors from classical elements (Vallado algorithm 10).

    Parameters
    ----------
    p : float or array
        Semi-latus rectum, km (> 0). For an orbit given by its semi-major axis use
        ``semilatus_rectum(a, ecc)``.
    ecc, inc, raan, argp, nu : float or array
        Eccentricity, inclination, RAAN, argument of periapsis, true anomaly (rad).
    k : float
        Gravitational parameter, km^3/s^2.

    Returns
    -------
    r, v : numpy.ndarray, shape ``broadcast(...) + (3,)``
        Position (km) and velocity (km/s).
    """
    p, ecc, inc, raan, argp, nu = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (p, ecc, inc, raan, argp, nu))
    )
    if np.any(~(p > 0.0)):
        raise ValueError(f"p must be > 0 km, got min {np.min(p)!r}")
    if np.any(~(ecc >= 0.0)):
        raise ValueError(f"ecc must be >= 0, got min {np.min(ecc)!r}")
    if not k > 0.0:
        raise ValueError(f"k must be > 0 km^3/s^2, got {k!r}")
    cnu, snu = np.cos(nu), np.sin(nu)
    denom = 1.0 + ecc * cnu
    if np.any(denom <= 0.0):
        raise ValueError("nu lies beyond the asymptote of a hyperbolic orbit (1 + ecc cos nu <= 0)")
    r_mag = p / denom
    sq = np.sqrt(k / p)
    P, Q = _rotation(inc, raan, argp)
    r = (r_mag * cnu)[..., None] * P + (r_mag * snu)[..., None] * Q
    v = (-sq * snu)[..., None] * P + (sq * (ecc + cnu))[..., None] * Q
    return r, v


def _angle(a, b):
    """Angle between vectors on the last axis, robust near 0 and pi."""
    cross = np.linalg.norm(np.cross(a, b), axis=-1)
    dot = np.sum(a * b, axis=-1)
    return np.arctan2(cross, dot)


def rv2coe(
    r: ArrayLike, v: ArrayLike, k: float = GM_EARTH, tol: float = 1e-10
) -> ClassicalElements:
    """Classical elements from state vectors (Vallado algorithm 9), vectorised.

    Parameters
    ----------
    r, v : array_like, shape (..., 3)
        Position (km) and velocity (km/s).
    k : float
        Gravitational parameter, km^3/s^2.
    tol : float
        Threshold below which the eccentricity or sin(inclination) count as zero (see the
        module docstring for the conventions used then).

    Returns
    -------
    ClassicalElements
        ``p, a, ecc, inc, raan, argp, nu`` of the batch shape.
    """
    r = np.asarray(r, dtype=float)
    v = np.asarray(v, dtype=float)
    if r.shape[-1:] != (3,) or v.shape[-1:] != (3,):
        raise ValueError(
            f"r and v must have 3 components on the last axis, got {r.shape}, {v.shape}"
        )
    if not k > 0.0:
        raise ValueError(f"k must be > 0 km^3/s^2, got {k!r}")
    r, v = np.broadcast_arrays(r, v)
    rn = np.linalg.norm(r, axis=-1)
    if np.any(~(rn > 0.0)):
        raise ValueError("r must be a finite, non-zero position vector")
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=-1)
    if np.any(~(hn > 0.0)):
        raise ValueError("r and v are parallel (rectilinear motion): elements are undefined")
    vn2 = np.sum(v * v, axis=-1)
    rv = np.sum(r * v, axis=-1)
    e_vec = ((vn2 - k / rn)[..., None] * r - rv[..., None] * v) / k
    ecc = np.linalg.norm(e_vec, axis=-1)
    p = hn * hn / k
    with np.errstate(divide="ignore"):
        a = np.where(np.abs(ecc - 1.0) > tol, p / (1.0 - ecc * ecc), np.inf)
    inc = np.arccos(np.clip(h[..., 2] / hn, -1.0, 1.0))

    # node vector z x h
    n_vec = np.stack([-h[..., 1], h[..., 0], np.zeros_like(hn)], axis=-1)
    nn = np.linalg.norm(n_vec, axis=-1)
    equatorial = nn < tol * hn
    circular = ecc < tol

    raan = np.where(equatorial, 0.0, np.arctan2(n_vec[..., 1], n_vec[..., 0]))
    # reference direction in the orbital plane from which argp is measured: the node line, or
    # the x axis for equatorial orbits (retrograde equatorial: the x axis too, angle sign from h)
    xhat = np.zeros_like(r)
    xhat[..., 0] = 1.0
    ref = np.where(equatorial[..., None], xhat, n_vec / np.where(nn > 0, nn, 1.0)[..., None])
    hhat = h / hn[..., None]

    def signed_angle(from_vec, to_vec):
        c = np.sum(from_vec * to_vec, axis=-1)
        s = np.sum(np.cross(from_vec, to_vec) * hhat, axis=-1)
        return np.arctan2(s, c)

    argp = np.where(circular, 0.0, signed_angle(ref, np.where(circular[..., None], ref, e_vec)))
    # true anomaly from periapsis (or from the reference direction when circular)
    peri_dir = np.where(circular[..., None], ref, e_vec)
    nu = signed_angle(peri_dir, r)
    raan = np.mod(raan, _TWO_PI)
    argp = np.mod(argp, _TWO_PI)
    nu = np.where(ecc < 1.0, np.mod(nu, _TWO_PI), nu)
    return ClassicalElements(p, a, ecc, inc, raan, argp, nu)
