"""The Moon's orientation: IAU WGCCRE 2015 rotation model and selenographic positions.

The pole right ascension ``alpha0``, declination ``delta0`` and prime-meridian angle ``W``
of the Moon are those of the IAU Working Group on Cartographic Coordinates and Rotational
Elements, 2015 report (Archinal et al. 2018, Celest. Mech. Dyn. Astr. 130:22, Table 2, the
Moon's row with its 13 periodic arguments E1..E13). The model follows the physical
librations to about 150 m at the surface (the report's own statement); it approximates the
Moon's mean-Earth/polar-axis frame, in which the catalog's landing coordinates are given.
(The DE421 kernel shipped by ``skyfield-data`` has no lunar libration angles, so the IAU
model is the orientation used.) The coefficients are saved with their provenance in
``seeds/authorities/moon/``.

Times are TDB; ``d`` is days and ``T`` Julian centuries from J2000.0 (JD 2451545.0 TDB).
ICRF -> Moon-fixed is ``Rz(W) Rx(90 deg - delta0) Rz(90 deg + alpha0)`` (passive rotations).
"""

from __future__ import annotations

import numpy as np
from astropy import units as u

from orbits._validation import as_time, as_value
from orbits.core.constants import R_MOON

__all__ = [
    "icrf_to_moon_fixed",
    "moon_fixed_to_icrf",
    "moon_orientation",
    "selenographic_position",
    "sub_point",
]

_J2000_JD = 2451545.0
_DEG = np.pi / 180.0

# (constant deg, rate deg/day) of the arguments E1..E13 (Archinal et al. 2018, Table 2)
_E = np.array([
    (125.045, -0.0529921),
    (250.089, -0.1059842),
    (260.008, 13.0120009),
    (176.625, 13.3407154),
    (357.529, 0.9856003),
    (311.589, 26.4057084),
    (134.963, 13.0649930),
    (276.617, 0.3287146),
    (34.226, 1.7484877),
    (15.134, -0.1589763),
    (119.743, 0.0036096),
    (239.961, 0.1643573),
    (25.053, 12.9590088),
])
# sine coefficients of alpha0, cosine of delta0, sine of W (deg), E1..E13
_A_SIN = np.array([-3.8787, -0.1204, 0.0700, -0.0172, 0.0, 0.0072, 0.0, 0.0, 0.0, -0.0052,
                   0.0, 0.0, 0.0043])
_D_COS = np.array([1.5419, 0.0239, -0.0278, 0.0068, 0.0, -0.0029, 0.0009, 0.0, 0.0, 0.0008,
                   0.0, 0.0, -0.0009])
_W_SIN = np.array([3.5610, 0.1208, -0.0642, 0.0158, 0.0252, -0.0066, -0.0047, -0.0046, 0.0028,
                   0.0052, 0.0040, 0.0019, -0.0044])


def _days_tdb(epochs) -> np.ndarray:
    tdb = as_time(epochs, "epochs").tdb
    return (np.asarray(tdb.jd1) - _J2000_JD) + np.asarray(tdb.jd2)


def _angles(d: np.ndarray):
    """``(alpha0, delta0, W)`` in rad at ``d`` days (TDB) past J2000; any shape."""
    d = np.asarray(d, dtype=float)
    t = d / 36525.0
    e = (_E[:, 0] + _E[:, 1] * d[..., None]) * _DEG  # (..., 13)
    s, c = np.sin(e), np.cos(e)
    alpha = 269.9949 + 0.0031 * t + s @ _A_SIN
    delta = 66.5392 + 0.0130 * t + c @ _D_COS
    w = 38.3213 + 13.17635815 * d - 1.4e-12 * d * d + s @ _W_SIN
    return alpha * _DEG, delta * _DEG, np.mod(w, 360.0) * _DEG


def _rz(a):
    c, s = np.cos(a), np.sin(a)
    z, o = np.zeros_like(a), np.ones_like(a)
    return np.stack([np.stack([c, s, z], -1), np.stack([-s, c, z], -1),
                     np.stack([z, z, o], -1)], -2)


def _rx(a):
    c, s = np.cos(a), np.sin(a)
    z, o = np.zeros_like(a), np.ones_like(a)
    return np.stack([np.stack([o, z, z], -1), np.stack([z, c, s], -1),
                     np.stack([z, -s, c], -1)], -2)


def _matrix(d: np.ndarray) -> np.ndarray:
    """ICRF -> Moon-fixed rotation matrices, shape ``d.shape + (3, 3)``."""
    a, de, w = _angles(d)
    return _rz(w) @ _rx(np.pi / 2 - de) @ _rz(np.pi / 2 + a)


def moon_orientation(epochs):
    """Return the IAU 2015 pole (right ascension, declination) and prime meridian ``W``.

    Parameters
    ----------
    epochs : Time (any shape) or ISO string

    Returns
    -------
    alpha0, delta0, w : Quantity, deg (``w`` in [0, 360))
    """
    a, de, w = _angles(_days_tdb(epochs))
    return (a * u.rad).to(u.deg), (de * u.rad).to(u.deg), (w * u.rad).to(u.deg)


def icrf_to_moon_fixed(epochs) -> np.ndarray:
    """Return the rotation matrices ICRF -> Moon-fixed (IAU 2015), shape ``epochs.shape + (3, 3)``.

    A vector's Moon-fixed components are ``M @ v_icrf``.
    """
    return _matrix(_days_tdb(epochs))


def moon_fixed_to_icrf(epochs) -> np.ndarray:
    """Return the inverse (transpose) of :func:`icrf_to_moon_fixed`."""
    return np.swapaxes(icrf_to_moon_fixed(epochs), -1, -2)


def _unit_vector(lat, lon):
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)


def selenographic_position(latitude, longitude, *, altitude=0 * u.km):
    """Moon-fixed position of a point at selenographic ``latitude``, east ``longitude``.

    On a sphere of the IAU mean radius (1737.4 km) plus ``altitude``.

    Returns
    -------
    Quantity, shape ``broadcast + (3,)``, km
    """
    lat = as_value(latitude, u.rad, "latitude", min=-np.pi / 2, max=np.pi / 2)
    lon = as_value(longitude, u.rad, "longitude", min=-2 * np.pi, max=2 * np.pi)
    h = as_value(altitude, u.km, "altitude", min=-20.0, max=1.0e6)
    lat, lon, h = np.broadcast_arrays(lat, lon, h)
    return (R_MOON + h)[..., None] * _unit_vector(lat, lon) * u.km


def sub_point(vectors_icrf, epochs):
    """Selenographic latitude and east longitude under Moon-centred ICRF ``vectors_icrf``.

    E.g. the sub-solar point for the Moon-to-Sun vector. ``vectors_icrf``: Quantity or array,
    shape ``epochs.shape + (3,)``.

    Returns
    -------
    latitude, longitude : Quantity, deg (longitude in (-180, 180])
    """
    v = np.asarray(getattr(vectors_icrf, "value", vectors_icrf), dtype=float)
    body = np.einsum("...ij,...j->...i", icrf_to_moon_fixed(epochs), v)
    n = np.linalg.norm(body, axis=-1)
    lat = np.arcsin(np.clip(body[..., 2] / n, -1.0, 1.0))
    lon = np.arctan2(body[..., 1], body[..., 0])
    return (lat * u.rad).to(u.deg), (lon * u.rad).to(u.deg)
