"""Launch-site geometry: latitudes, azimuths, Earth rotation, plane crossings.

Pure numpy on floats/arrays in km, s, rad; every function broadcasts over its arguments.

Conventions
-----------
* Latitudes are **geocentric** unless a name says ``geodetic``. The plane of a direct-ascent
  orbit contains the burnout position vector, whose declination is the geocentric latitude
  (for a launch from the ground; the burnout point is assumed to be above the site).
* Azimuths are measured from north through east, in [0, 2 pi).
* "Ascending" azimuth: the launch goes north-east (for prograde orbits) and the site is passed
  on the orbit's northbound (ascending) half; "descending": south-east, southbound half.
* Earth rotation angle: Greenwich mean sidereal time, IAU 1982 (Vallado 4th ed., eq. 3-47),
  from UT1 (callers may pass UTC: |UT1 - UTC| < 0.9 s, i.e. < 0.004 deg of rotation).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .constants import E2_EARTH, GM_EARTH, OMEGA_EARTH, R_EARTH

__all__ = [
    "circular_speed",
    "corridor_inclinations",
    "dogleg",
    "geocentric_to_geodetic",
    "geodetic_to_geocentric",
    "gmst",
    "inertial_azimuth",
    "max_inclination",
    "min_inclination",
    "plane_crossings",
    "rotating_azimuth",
    "rotation_speed",
]

_TWO_PI = 2.0 * np.pi


def geodetic_to_geocentric(
    lat_gd: ArrayLike, h: ArrayLike = 0.0, R: float = R_EARTH, e2: float = E2_EARTH
) -> np.ndarray:
    """Geocentric latitude (rad) of a point at geodetic latitude ``lat_gd`` (rad), height ``h`` km.

    Uses the ellipsoid's Cartesian coordinates: ``r_xy = (N + h) cos(lat)``,
    ``z = (N (1 - e^2) + h) sin(lat)`` with the radius of curvature in the prime vertical
    ``N = R / sqrt(1 - e^2 sin^2 lat)``. On the surface this is
    ``tan(lat_gc) = (1 - e^2) tan(lat_gd)``.
    """
    lat_gd = np.asarray(lat_gd, dtype=float)
    s = np.sin(lat_gd)
    n = R / np.sqrt(1.0 - e2 * s * s)
    r_xy = (n + h) * np.cos(lat_gd)
    z = (n * (1.0 - e2) + h) * s
    return np.arctan2(z, r_xy)


def geocentric_to_geodetic(lat_gc: ArrayLike, e2: float = E2_EARTH) -> np.ndarray:
    """Geodetic latitude (rad) of a surface point at geocentric latitude ``lat_gc`` (rad).

    The inverse of :func:`geodetic_to_geocentric` on the surface:
    ``tan(lat_gd) = tan(lat_gc) / (1 - e^2)``.

    >>> import numpy as np
    >>> lat_gd = np.radians(45.965)  # Baikonur, geodetic
    >>> bool(abs(geocentric_to_geodetic(geodetic_to_geocentric(lat_gd)) - lat_gd) < 1e-12)
    True
    """
    return np.arctan(np.tan(np.asarray(lat_gc, dtype=float)) / (1.0 - e2))


def min_inclination(lat_gc: ArrayLike) -> np.ndarray:
    """Lowest inclination (rad) reachable by a direct ascent from geocentric latitude ``lat_gc``.

    The orbit plane contains the site vector, so ``cos i = cos(lat) sin(az) <= cos(lat)``:
    ``i >= |lat|`` (reached launching due east).
    """
    return np.abs(np.asarray(lat_gc, dtype=float))


def max_inclination(lat_gc: ArrayLike) -> np.ndarray:
    """Highest inclination (rad) reachable directly (launching due west): ``pi - |lat|``."""
    return np.pi - np.abs(np.asarray(lat_gc, dtype=float))


def rotation_speed(
    lat_gd: ArrayLike,
    h: ArrayLike = 0.0,
    R: float = R_EARTH,
    e2: float = E2_EARTH,
    omega: float = OMEGA_EARTH,
) -> np.ndarray:
    """Eastward speed (km/s) of a point fixed to the rotating Earth (WGS 84 ellipsoid).

    ``omega * (N + h) cos(lat_gd)``: the point's distance from the spin axis times the
    sidereal rotation rate. 0.4651 km/s on the equator.
    """
    lat_gd = np.asarray(lat_gd, dtype=float)
    s = np.sin(lat_gd)
    n = R / np.sqrt(1.0 - e2 * s * s)
    return omega * (n + h) * np.cos(lat_gd)


def _check_reachable(lat_gc, inc):
    lat = np.abs(lat_gc)
    bad = (lat > inc + 1e-12) | (lat > np.pi - inc + 1e-12)
    if np.any(bad):
        lat_b = np.degrees(np.broadcast_to(lat, bad.shape)[bad].flat[0])
        inc_b = np.degrees(np.broadcast_to(inc, bad.shape)[bad].flat[0])
        raise ValueError(
            f"inclination {inc_b:.4g} deg cannot be reached by a direct ascent from latitude "
            f"{lat_b:.4g} deg: inclination must be in [|lat|, 180 - |lat|] = "
            f"[{lat_b:.4g}, {180 - lat_b:.4g}] deg (use dogleg_dv for the cost of getting there)"
        )


def inertial_azimuth(lat_gc: ArrayLike, inc: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Inertial launch azimuths (rad) into inclination ``inc`` from geocentric latitude ``lat_gc``.

    Napier's rule on the right spherical triangle formed by the equator, the site's meridian
    and the orbit's ground track: ``cos i = cos(lat) sin(az)``.

    Returns
    -------
    az_ascending, az_descending : arrays, rad in [0, 2 pi)
        ``az_asc = asin(cos i / cos lat)`` (northbound pass), ``az_desc = pi - az_asc``.

    Raises ``ValueError`` if ``inc`` is outside ``[|lat|, pi - |lat|]``.
    """
    lat_gc = np.asarray(lat_gc, dtype=float)
    inc = np.asarray(inc, dtype=float)
    _check_reachable(lat_gc, inc)
    ratio = np.clip(np.cos(inc) / np.cos(lat_gc), -1.0, 1.0)
    az_asc = np.mod(np.arcsin(ratio), _TWO_PI)
    az_desc = np.mod(np.pi - np.arcsin(ratio), _TWO_PI)
    return az_asc, az_desc


def rotating_azimuth(
    lat_gc: ArrayLike, inc: ArrayLike, v_orbit: ArrayLike, v_rot: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Launch azimuths (rad) relative to the rotating Earth, and the speed to gain (km/s).

    The vehicle must reach the inertial velocity ``v_orbit`` along the inertial azimuth; the
    ground already moves east at ``v_rot``. The velocity to add, in the local east/north frame,
    is ``(v sin az - v_rot, v cos az)``; its direction is the azimuth flown over the ground.

    Returns
    -------
    az_ascending, az_descending : rad in [0, 2 pi)
    dv_ascending, dv_descending : km/s, magnitude of the velocity to gain (no losses)
    """
    az_a, az_d = inertial_azimuth(lat_gc, inc)
    v = np.asarray(v_orbit, dtype=float)
    vr = np.asarray(v_rot, dtype=float)
    out = []
    for az in (az_a, az_d):
        east = v * np.sin(az) - vr
        north = v * np.cos(az)
        out.append((np.mod(np.arctan2(east, north), _TWO_PI), np.hypot(east, north)))
    return out[0][0], out[1][0], out[0][1], out[1][1]


def corridor_inclinations(
    lat_gc: ArrayLike, az_min: ArrayLike, az_max: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Range of inclinations (rad) reachable from latitude ``lat_gc`` within an azimuth corridor.

    ``cos i = cos(lat) sin(az)``; over ``az`` in ``[az_min, az_max]`` (rad, ``az_max >= az_min``,
    span < 2 pi) ``sin(az)`` takes every value between its extremes, so the reachable
    inclinations are ``[acos(cos lat * max sin), acos(cos lat * min sin)]``.
    """
    lat_gc = np.asarray(lat_gc, dtype=float)
    lo = np.asarray(az_min, dtype=float)
    hi = np.asarray(az_max, dtype=float)
    s_lo, s_hi = np.sin(lo), np.sin(hi)
    smax = np.maximum(s_lo, s_hi)
    smin = np.minimum(s_lo, s_hi)
    # interior extremes of sin: pi/2 + 2k pi (max), 3 pi/2 + 2k pi (min)
    k_max = np.ceil((lo - np.pi / 2) / _TWO_PI)
    smax = np.where(np.pi / 2 + k_max * _TWO_PI <= hi, 1.0, smax)
    k_min = np.ceil((lo - 1.5 * np.pi) / _TWO_PI)
    smin = np.where(1.5 * np.pi + k_min * _TWO_PI <= hi, -1.0, smin)
    c = np.cos(lat_gc)
    return np.arccos(np.clip(c * smax, -1, 1)), np.arccos(np.clip(c * smin, -1, 1))


def gmst(days_ut1: ArrayLike) -> np.ndarray:
    """Greenwich mean sidereal time (rad, [0, 2 pi)) at ``days_ut1`` days since J2000 (UT1).

    IAU 1982 expression (Vallado 4th ed., eq. 3-47)::

        theta = 67310.54841 s + (876600 h + 8640184.812866 s) T + 0.093104 T^2 - 6.2e-6 T^3

    with ``T`` Julian centuries of UT1 from J2000.0 (JD 2451545.0).
    """
    d = np.asarray(days_ut1, dtype=float)
    t = d / 36525.0
    # split the large term: 876600 h * T = 86400 s * 36525 * T = 86400 s * d (whole turns)
    sec = 67310.54841 + 8640184.812866 * t + 0.093104 * t**2 - 6.2e-6 * t**3
    frac_day = np.mod(d, 1.0)
    theta = _TWO_PI * (np.mod(sec, 86400.0) / 86400.0 + frac_day)
    return np.mod(theta, _TWO_PI)


def plane_crossings(
    lat_gc: float,
    lon: float,
    days: ArrayLike,
    raan0: float,
    raan_rate_per_day: float,
    inc: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Phase functions whose zeros are the times a site lies in a (precessing) orbit plane.

    The site's right ascension is ``alpha = gmst + lon``; the target node is
    ``Omega(t) = raan0 + raan_rate * t``. The site lies in the plane when
    ``sin(alpha - Omega) = tan(lat) / tan(i)`` (from ``sin(lat) = sin i sin u``,
    ``tan(alpha - Omega) = cos i tan u``). The northbound (ascending) solution is
    ``x_a = asin(tan lat / tan i)``, the southbound one ``x_d = pi - x_a``.

    Parameters
    ----------
    lat_gc, lon : site geocentric latitude and east longitude, rad (scalars)
    days : array, days since J2000 (UT1) of the grid
    raan0 : target node (rad) at ``days = 0`` (J2000): ``raan(d) = raan0 + rate * d``
    raan_rate_per_day : rad/day
    inc : target inclination, rad

    Returns
    -------
    g_asc, g_desc : arrays wrapped to (-pi, pi]; each crosses zero upward (slope ~ +2 pi per
    sidereal day) at an in-plane time.
    """
    lat_gc = float(lat_gc)
    inc = float(inc)
    _check_reachable(np.asarray(lat_gc), np.asarray(inc))
    d = np.asarray(days, dtype=float)
    ratio = np.clip(np.tan(lat_gc) / np.tan(inc), -1.0, 1.0)
    x_a = np.arcsin(ratio)
    x_d = np.pi - x_a
    phase = gmst(d) + lon - (raan0 + raan_rate_per_day * d)
    g_a = np.mod(phase - x_a + np.pi, _TWO_PI) - np.pi
    g_d = np.mod(phase - x_d + np.pi, _TWO_PI) - np.pi
    return g_a, g_d


def circular_speed(r: ArrayLike, k: float = GM_EARTH) -> np.ndarray:
    """Circular orbit speed (km/s) at radius ``r`` km."""
    return np.sqrt(k / np.asarray(r, dtype=float))


def dogleg(
    lat_gc: ArrayLike,
    inc: ArrayLike,
    v: ArrayLike,
    az_min: ArrayLike | None = None,
    az_max: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Plane change needed when ``inc`` is out of a site's directly reachable range.

    Directly reachable from geocentric latitude ``lat_gc``: ``[|lat|, pi - |lat|]``, narrowed
    to :func:`corridor_inclinations` when an azimuth corridor ``[az_min, az_max]`` (rad) is
    given. Outside it the vehicle is inserted into the nearest reachable inclination and the
    plane is turned at the node by the difference (the smallest angle between a plane of the
    reachable inclination and any plane of the target inclination), at speed ``v`` km/s:
    ``dv = 2 v sin(d_i / 2)``. With ``v`` the orbital speed this is a plane change after
    insertion; a yaw (dog-leg) during ascent turns at a lower speed and is cheaper in Δv,
    but costs payload through steering losses that this model does not include.

    Returns
    -------
    dv : km/s (0 where direct ascent works)
    i_reach : rad, the reachable inclination nearest to ``inc``
    d_i : rad, the plane change
    """
    lat = np.abs(np.asarray(lat_gc, dtype=float))
    inc = np.asarray(inc, dtype=float)
    lo = lat
    hi = np.pi - lat
    if az_min is not None or az_max is not None:
        if az_min is None or az_max is None:
            raise ValueError("az_min and az_max must be given together")
        c_lo, c_hi = corridor_inclinations(lat, az_min, az_max)
        lo, hi = np.maximum(lo, c_lo), np.minimum(hi, c_hi)
    i_reach = np.clip(inc, lo, hi)
    d_i = np.abs(inc - i_reach)
    return 2.0 * np.asarray(v, dtype=float) * np.sin(0.5 * d_i), i_reach, d_i
