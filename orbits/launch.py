"""Launch-site geometry with units: reachable inclinations, azimuths, dog-legs, windows.

Latitudes given to this module are **geodetic** (what maps and catalogs list) unless
``geodetic=False``; they are converted to geocentric latitude on the WGS 84 ellipsoid, which is
what fixes the orbit plane.

>>> from astropy import units as u
>>> from orbits import min_inclination
>>> min_inclination(51.88 * u.deg).round(2)   # Vostochny
<Quantity 51.69 deg>
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from ._validation import as_time, as_value, check_work_size
from .core import sites as _core
from .core.constants import R_EARTH
from .errors import ArgumentError, ArgumentTypeError
from .planes import check_broadcast
from .results import Result, TableResult, column, quantity, value

__all__ = [
    "DoglegCost",
    "LaunchAzimuth",
    "LaunchWindows",
    "dogleg_dv",
    "geocentric_latitude",
    "launch_azimuth",
    "launch_windows",
    "min_inclination",
    "rotation_speed",
]

_KMS = u.km / u.s
_HALF_PI = np.pi / 2


def _latitude(latitude, geodetic=True, name="latitude"):
    lat = as_value(latitude, u.rad, name, min=-_HALF_PI, max=_HALF_PI)
    return _core.geodetic_to_geocentric(lat) if geodetic else np.asarray(lat, dtype=float)


def _inclination(inclination, name="inclination"):
    return as_value(inclination, u.rad, name, min=0.0, max=np.pi)


def _check_reachable(lat_gc, inc):
    """Raise ArgumentError where a direct ascent from ``lat_gc`` cannot reach ``inc``.

    Both are in rad (geocentric latitude, inclination) and broadcast; the error names the
    inclination and the reachable range.
    """
    try:
        lat, inc = np.broadcast_arrays(np.abs(np.asarray(lat_gc, dtype=float)),
                                       np.asarray(inc, dtype=float))
    except ValueError:
        raise ArgumentError(f"latitude (shape {np.shape(lat_gc)}) and inclination (shape "
                            f"{np.shape(inc)}) cannot be broadcast together") from None
    bad = (lat > inc + 1e-12) | (lat > np.pi - inc + 1e-12)
    if np.any(bad):
        lat_b = float(np.degrees(lat[bad].flat[0]))
        inc_b = float(np.degrees(inc[bad].flat[0]))
        raise ArgumentError(
            f"inclination {inc_b:.4g} deg cannot be reached by a direct ascent from latitude "
            f"{lat_b:.4g} deg: inclination must be in [|lat|, 180 - |lat|] = "
            f"[{lat_b:.4g}, {180 - lat_b:.4g}] deg (use dogleg_dv for the cost of getting there)"
        )


def _orbit_speed(orbit_speed, altitude, default_altitude=200.0):
    if orbit_speed is not None and altitude is not None:
        raise ArgumentError(f"give orbit_speed or altitude, not both (got orbit_speed="
                            f"{orbit_speed}, altitude={altitude})")
    if orbit_speed is not None:
        return as_value(orbit_speed, _KMS, "orbit_speed", min=0.0, min_inclusive=False)
    h = default_altitude if altitude is None else as_value(altitude, u.km, "altitude", min=0.0)
    return _core.circular_speed(R_EARTH + h)


def geocentric_latitude(latitude, *, altitude=0 * u.km):
    """Geocentric latitude of a point at geodetic ``latitude`` (WGS 84) and ``altitude``.

    Parameters
    ----------
    latitude : Quantity (angle) in [-90, 90] deg
    altitude : Quantity (length) >= -1 km (height above the ellipsoid)

    Returns
    -------
    Quantity, deg
    """
    lat = as_value(latitude, u.rad, "latitude", min=-_HALF_PI, max=_HALF_PI)
    h = as_value(altitude, u.km, "altitude", min=-1.0)
    return (_core.geodetic_to_geocentric(lat, h) * u.rad).to(u.deg)


def min_inclination(latitude, *, geodetic=True):
    """Lowest inclination a direct ascent from a site at ``latitude`` reaches.

    It is the site's geocentric latitude (in absolute value): the orbit plane contains the
    burnout position vector, and launching due east gives ``i = |lat|``.

    Parameters
    ----------
    latitude : Quantity (angle) in [-90, 90] deg; geodetic unless ``geodetic=False``

    Returns
    -------
    Quantity, deg
    """
    return (_core.min_inclination(_latitude(latitude, geodetic)) * u.rad).to(u.deg)


def rotation_speed(latitude, *, altitude=0 * u.km):
    """Eastward speed of the ground (WGS 84) at geodetic ``latitude`` and ``altitude``.

    Returns
    -------
    Quantity, km/s (0.4651 km/s at the equator)
    """
    lat = as_value(latitude, u.rad, "latitude", min=-_HALF_PI, max=_HALF_PI)
    h = as_value(altitude, u.km, "altitude", min=-1.0)
    return _core.rotation_speed(lat, h) * _KMS


def _deg(x):
    return "" if np.ndim(x) else f"{float(x):.2f}°"


@dataclass(frozen=True, repr=False)
class LaunchAzimuth(Result):
    """Launch azimuths into one inclination from one site (result of :func:`launch_azimuth`).

    ``inertial_*``: direction of the orbital velocity at insertion. ``rotating_*``: direction
    of the velocity the vehicle must gain relative to the rotating ground, ``dv_*`` its
    magnitude (ideal, without gravity and drag losses). ``ascending`` launches cross the site's
    latitude northbound (azimuth in the north-east quadrant for prograde orbits),
    ``descending`` southbound. Fields are arrays when the inputs are.
    """

    inertial_ascending: u.Quantity = quantity("inertial azimuth, ascending", "deg", fmt=".2f")
    inertial_descending: u.Quantity = quantity("inertial azimuth, descending", "deg", fmt=".2f")
    rotating_ascending: u.Quantity = quantity("azimuth over the ground, ascending", "deg",
                                              fmt=".2f")
    rotating_descending: u.Quantity = quantity("azimuth over the ground, descending", "deg",
                                               fmt=".2f")
    dv_ascending: u.Quantity = quantity("ideal Δv to orbit, ascending", "km/s", fmt=".3f")
    dv_descending: u.Quantity = quantity("ideal Δv to orbit, descending", "km/s", fmt=".3f")
    orbit_speed: u.Quantity = quantity("orbital speed at insertion", "km/s", fmt=".3f")
    ground_speed: u.Quantity = quantity("eastward speed of the ground", "km/s", fmt=".4f")

    def summary(self) -> str:
        """Return the ascending and descending inertial azimuths (or how many pairs)."""
        if np.ndim(self.inertial_ascending.value):
            return f"{np.size(self.inertial_ascending.value)} azimuth pairs"
        return (f"ascending {_deg(self.inertial_ascending.to_value(u.deg))}, descending "
                f"{_deg(self.inertial_descending.to_value(u.deg))} (inertial)")


def launch_azimuth(latitude, inclination, *, orbit_speed=None, altitude=None, geodetic=True):
    """Launch azimuths from a site at ``latitude`` into an orbit of ``inclination``.

    Parameters
    ----------
    latitude : Quantity (angle), [-90, 90] deg, geodetic unless ``geodetic=False``
    inclination : Quantity (angle), must lie in [|lat_gc|, 180 - |lat_gc|] deg
    orbit_speed : Quantity (speed), optional
        Inertial speed at insertion. Or give ``altitude`` (circular orbit speed there).
        Neither: a 200 km circular orbit.

    Returns
    -------
    LaunchAzimuth
        Inertial azimuths ``sin az = cos i / cos lat`` (ascending, and ``180 - az``
        descending) and the rotation-corrected azimuths ``atan2(v sin az - v_rot, v cos az)``.
    """
    lat_gd = as_value(latitude, u.rad, "latitude", min=-_HALF_PI, max=_HALF_PI)
    lat = _core.geodetic_to_geocentric(lat_gd) if geodetic else lat_gd
    inc = _inclination(inclination)
    v = _orbit_speed(orbit_speed, altitude)
    v_rot = _core.rotation_speed(lat_gd if geodetic else _core.geocentric_to_geodetic(lat))
    check_broadcast(latitude=lat, inclination=inc, orbit_speed=v)
    _check_reachable(lat, inc)
    az_a, az_d = _core.inertial_azimuth(lat, inc)
    r_a, r_d, dv_a, dv_d = _core.rotating_azimuth(lat, inc, v, v_rot)
    deg = u.rad.to(u.deg)
    return LaunchAzimuth(
        notes=(("azimuths from north through east; rotating-frame values subtract the ground's "
               "eastward speed (WGS 84); no gravity, drag or steering losses"),),
        inertial_ascending=az_a * deg * u.deg,
        inertial_descending=az_d * deg * u.deg,
        rotating_ascending=r_a * deg * u.deg,
        rotating_descending=r_d * deg * u.deg,
        dv_ascending=dv_a * _KMS,
        dv_descending=dv_d * _KMS,
        orbit_speed=np.asarray(v) * _KMS,
        ground_speed=np.asarray(v_rot) * _KMS,
    )


@dataclass(frozen=True, repr=False)
class DoglegCost(Result):
    """Result of :func:`dogleg_dv`.

    ``dv``: Δv of the plane change (0 where a direct ascent reaches ``inclination``);
    ``reachable_inclination``: the nearest inclination the site reaches directly;
    ``plane_change``: the angle turned; ``direct``: whether no plane change is needed.
    Fields are arrays when the inputs are.
    """

    dv: u.Quantity = quantity("plane-change Δv", "km/s", fmt=".3f")
    reachable_inclination: u.Quantity = quantity("nearest reachable inclination", "deg",
                                                 fmt=".2f")
    plane_change: u.Quantity = quantity("plane change", "deg", fmt=".2f")
    direct: np.ndarray | bool = value("direct ascent")

    def summary(self) -> str:
        """Return direct ascent, or the plane change and its Δv (or counts, for arrays)."""
        if np.ndim(self.dv.value):
            return f"{np.size(self.dv.value)} targets, {int(np.sum(self.direct))} direct"
        if self.direct:
            return "direct ascent, no plane change"
        return (f"turn {_deg(self.plane_change.to_value(u.deg))} for "
                f"{self.dv.to_value(u.km / u.s):.3f} km/s")


def dogleg_dv(latitude, inclination, *, altitude=None, speed=None, azimuth_range=None,
              geodetic=True):
    """Δv to reach ``inclination`` from a site that cannot reach it directly.

    A direct ascent from geocentric latitude ``lat`` reaches inclinations in
    ``[|lat|, 180 - |lat|]`` deg, narrowed by an allowed azimuth corridor (range safety) if
    ``azimuth_range=(az_min, az_max)`` is given (inertial azimuths, deg from north through
    east; a corridor crossing north may be written e.g. ``(-20 deg, 60 deg)``). Outside the
    reachable range the vehicle is inserted into the nearest reachable inclination and turns
    its plane at the node by the difference: ``dv = 2 v sin(di/2)``.

    Parameters
    ----------
    latitude : Quantity (angle), [-90, 90] deg (geodetic unless ``geodetic=False``)
    inclination : Quantity (angle), [0, 180] deg
    altitude : Quantity (length), optional
        Circular orbit where the plane change is made after insertion (default 200 km).
    speed : Quantity (speed), optional
        Speed at which the turn is made instead (e.g. a dog-leg yaw during ascent at a
        lower speed). Give ``altitude`` or ``speed``, not both.
    azimuth_range : tuple of two Quantities (angle), optional

    Returns
    -------
    DoglegCost
    """
    lat = _latitude(latitude, geodetic)
    inc = _inclination(inclination)
    v = _orbit_speed(speed, altitude)
    if azimuth_range is None:
        az_min = az_max = None
    else:
        try:
            a0, a1 = azimuth_range
        except (TypeError, ValueError):
            raise ArgumentTypeError(
                f"azimuth_range must be a pair (az_min, az_max) of angles, got {azimuth_range!r}"
            ) from None
        az_min = as_value(a0, u.rad, "azimuth_range[0]", min=-2 * np.pi, max=2 * np.pi)
        az_max = as_value(a1, u.rad, "azimuth_range[1]", min=-2 * np.pi, max=4 * np.pi)
        if np.any(np.asarray(az_max) < np.asarray(az_min)) or np.any(
            np.asarray(az_max) - np.asarray(az_min) >= 2 * np.pi
        ):
            raise ArgumentError(
                f"azimuth_range must satisfy az_min <= az_max < az_min + 360 deg, got "
                f"({a0}, {a1})"
            )
    check_broadcast(latitude=lat, inclination=inc, speed=v, azimuth_min=az_min,
                    azimuth_max=az_max)
    dv, i_r, d_i = _core.dogleg(lat, inc, v, az_min, az_max)
    return DoglegCost(
        notes=(("insertion at the nearest directly reachable inclination, then one plane change "
               "2 v sin(di/2) at the node"),),
        dv=dv * _KMS,
        reachable_inclination=(i_r * u.rad).to(u.deg),
        plane_change=(d_i * u.rad).to(u.deg),
        direct=np.asarray(d_i == 0.0) if np.ndim(d_i) else bool(d_i == 0.0),
    )


_J2000_JD = 2451545.0


def _days_since_j2000(t: Time) -> np.ndarray:
    """Days since J2000 (UTC used for UT1: |UT1 - UTC| < 0.9 s)."""
    utc = t.utc
    return (utc.jd1 - _J2000_JD) + utc.jd2


@dataclass(frozen=True, repr=False)
class LaunchWindows(TableResult):
    """In-plane launch opportunities (result of :func:`launch_windows`).

    One row per time the site passes through the target plane, with the pass (``ascending``:
    the orbit is northbound over the site), the inertial launch azimuth and the plane's node
    then.

    ``site`` and ``target`` are display names (blank when the caller gave bare coordinates).
    """

    time: Time = column("time", fmt="second")
    direction: np.ndarray = column("pass")
    azimuth: u.Quantity = column("azimuth", "deg", fmt=".2f")
    raan: u.Quantity = column("node of the plane", "deg", fmt=".2f")
    site: str = value("launch site", default="")
    target: str = value("target orbit", default="")
    latitude: u.Quantity = quantity("site latitude", "deg", fmt=".3f", default=None)
    longitude: u.Quantity = quantity("site longitude (east)", "deg", fmt=".3f", default=None)
    inclination: u.Quantity = quantity("plane inclination", "deg", fmt=".2f", default=None)
    raan_rate: u.Quantity = quantity("node drift", "deg/d", fmt=".3f", default=None)
    start: Time = value("from", fmt="minute", default=None)
    stop: Time = value("to", fmt="minute", default=None)

    def summary(self) -> str:
        """Return the site, target, span and number of windows."""
        who = " into ".join(x for x in (self.site, self.target) if x)
        span = ""
        if self.start is not None and self.stop is not None:
            span = (f" from {self.start.utc.isot[:10]} over "
                    f"{(self.stop - self.start).to_value(u.day):.1f} d")
        first = f", first {self.time[0].utc.isot[:16].replace('T', ' ')} UTC" if len(self) else ""
        return f"{who + ': ' if who else ''}{len(self)} windows{span}{first}"


#: Bytes of temporaries per time-grid point in :func:`launch_windows` (two phases, their
#: sines/cosines and the node, float64, with headroom).
_WINDOW_BYTES_PER_POINT = 12 * 8


def launch_windows(latitude, longitude, start, stop, *, inclination, raan, epoch, raan_rate,
                   step=10 * u.min, geodetic=True) -> LaunchWindows:
    """In-plane launch opportunities: the times a site passes through a precessing orbit plane.

    The site turns with the Earth (Greenwich mean sidereal time, IAU 1982); the target plane
    has inclination ``inclination`` and node ``raan + raan_rate * (t - epoch)``. Twice a day
    (if ``|lat| < i``) the site lies in the plane: once where the orbit is northbound
    (``ascending`` launch) and once southbound (``descending``). The time grid is scanned for
    sign changes and each root refined by Newton's method, all vectorised. When the inclination
    equals the site's latitude the two passes coincide (due-east launch) and each time appears
    once per pass label.

    Parameters
    ----------
    latitude, longitude : Quantity (angle); latitude geodetic unless ``geodetic=False``,
        longitude east-positive.
    start, stop : Time (or ISO strings), ``stop > start``
    inclination : Quantity (angle), in [|lat_gc|, 180 - |lat_gc|] (keyword-only, as the rest)
    raan : Quantity (angle), node of the target plane at ``epoch`` (true-of-date / TEME
        equinox, as in a TLE).
    epoch : Time (or ISO string)
    raan_rate : Quantity (angular speed), e.g. from :func:`orbits.nodal_precession_rate`
    step : Quantity (time), grid step, in (0, 6 h]

    Returns
    -------
    LaunchWindows
        Columns ``time`` (Time, UTC), ``direction`` (label "pass": "ascending"/"descending"),
        ``azimuth`` (inertial launch azimuth, deg) and ``raan`` (the plane's node at that
        time, deg in [0, 360)), sorted by time.

    Raises
    ------
    ArgumentError
        ``stop`` not after ``start``; a span/step needing more than the work limit
        (:class:`~orbits.errors.SizeLimitError`); an unreachable inclination.
    """
    lat = _latitude(latitude, geodetic)
    lon = as_value(longitude, u.rad, "longitude", min=-2 * np.pi, max=2 * np.pi)
    raan_e = as_value(raan, u.rad, "raan", min=-4 * np.pi, max=4 * np.pi)
    inc = _inclination(inclination)
    rate = as_value(raan_rate, u.rad / u.day, "raan_rate", min=-1.0, max=1.0)
    epoch = as_time(epoch, "epoch")
    start = as_time(start, "start")
    stop = as_time(stop, "stop")
    dt = as_value(step, u.day, "step", min=0.0, max=0.25, min_inclusive=False)
    for name, val in (("latitude", lat), ("longitude", lon), ("inclination", inc),
                      ("raan", raan_e), ("raan_rate", rate)):
        if np.ndim(val):
            raise ArgumentError(f"launch_windows takes one site and one plane: {name} must be a "
                                f"scalar, got shape {np.shape(val)}")
    for name, t in (("epoch", epoch), ("start", start), ("stop", stop)):
        if not t.isscalar:
            raise ArgumentError(f"{name} must be a single time, got shape {t.shape}")
    d0 = float(_days_since_j2000(start))
    d1 = float(_days_since_j2000(stop))
    if not d1 > d0:
        raise ArgumentError(f"stop must be after start, got start={start.utc.isot}, "
                            f"stop={stop.utc.isot}")
    n = int(np.ceil((d1 - d0) / dt)) + 1
    check_work_size(float(n) * _WINDOW_BYTES_PER_POINT,
                    f"launch_windows over {d1 - d0:.4g} days at a {dt * 1440:.4g} min step "
                    f"({n:,} time steps)")
    _check_reachable(lat, inc)
    az_a, az_d = _core.inertial_azimuth(lat, inc)
    raan0 = raan_e - rate * float(_days_since_j2000(epoch))

    grid = np.linspace(d0, d1, n)
    g_a, g_d = _core.plane_crossings(lat, lon, grid, raan0, rate, inc)
    del grid
    omega_day = 2 * np.pi * 1.00273790935 - rate  # d(phase)/d(day)

    def grid_at(k):
        return d0 + (d1 - d0) * k / (n - 1)

    times, kinds, azs = [], [], []
    for g, kind, az in ((g_a, "ascending", az_a), (g_d, "descending", az_d)):
        k = np.nonzero((g[:-1] < 0) & (g[1:] >= 0) & (g[1:] - g[:-1] < np.pi))[0]
        # Newton on the unwrapped phase, starting from linear interpolation
        t_k, t_k1 = grid_at(k), grid_at(k + 1)
        x = t_k - g[k] / (g[k + 1] - g[k]) * (t_k1 - t_k)
        for _ in range(3):
            ga, gd = _core.plane_crossings(lat, lon, x, raan0, rate, inc)
            x = x - (ga if kind == "ascending" else gd) / omega_day
        x = x[(x >= d0) & (x <= d1)]
        times.append(x)
        kinds.extend([kind] * x.size)
        azs.append(np.full(x.size, float(np.degrees(az))))
    days = np.concatenate(times)
    order = np.argsort(days, kind="stable")
    days = days[order]
    t = Time(_J2000_JD, days, format="jd", scale="utc")
    t.format = "isot"
    node = np.mod(raan0 + rate * days, 2 * np.pi)
    deg = u.rad.to(u.deg)
    return LaunchWindows(
        time=t,
        direction=np.asarray(kinds, dtype="U10")[order],
        azimuth=np.concatenate(azs)[order] * u.deg,
        raan=node * deg * u.deg,
        latitude=float(as_value(latitude, u.rad, "latitude")) * deg * u.deg,
        longitude=float(lon) * deg * u.deg,
        inclination=float(inc) * deg * u.deg,
        raan_rate=float(rate) * deg * u.deg / u.day,
        start=start,
        stop=stop,
        notes=(("in-plane launch times: the site lies in the target plane (GMST IAU 1982, "
               "UT1 ~ UTC); azimuth is inertial, from north through east"),),
    )
