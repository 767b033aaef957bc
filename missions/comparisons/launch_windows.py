"""In-plane launch windows from a catalog launch site into a station's precessing plane.

The station's node drifts with J2 (:func:`orbits.nodal_precession_rate`); twice a day a site
below the plane's inclination passes through it (:func:`orbits.launch_windows`).
"""

from __future__ import annotations

from dataclasses import replace

from astropy import units as u
from astropy.time import Time

from orbits.errors import ArgumentError, ArgumentTypeError

__all__ = ["MAX_DAYS", "parse_start", "station_launch_windows"]

#: Longest search :func:`station_launch_windows` accepts (days).
MAX_DAYS = 60.0


def parse_start(start, name="start") -> Time:
    """A start time from a ``Time`` or an ISO date string, with a short error naming ``name``."""
    if isinstance(start, Time):
        if not start.isscalar:
            raise ArgumentError(f"{name} must be a single time, got shape {start.shape}")
        return start
    if isinstance(start, str):
        import warnings

        from erfa import ErfaWarning

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ErfaWarning)
                return Time(start.strip()[:40], scale="utc")
        except ValueError:
            pass
    from orbits._validation import describe_value

    raise ArgumentError(
        f"{name} must be a UTC date such as 2024-05-10 or 2024-05-10T06:00, got "
        f"{describe_value(start)}")


def check_days(days, name="days", *, max_days=MAX_DAYS) -> float:
    """``days`` (a number or a time Quantity) as a float in (0, max_days], else an error
    naming ``name``."""
    import math

    if isinstance(days, u.Quantity):
        try:
            days = days.to_value(u.day)
        except u.UnitConversionError:
            raise ArgumentTypeError(f"{name} must be a number of days or a time Quantity, got "
                                    f"{days}") from None
    if isinstance(days, bool) or not isinstance(days, (int, float)):
        raise ArgumentTypeError(f"{name} must be a number of days, got {days!r}")
    if not math.isfinite(days) or not 0 < days <= max_days:
        raise ArgumentError(f"{name} must be a number of days in (0, {max_days:g}], got {days!r}")
    return float(days)


def station_launch_windows(site, station, *, start=None, days=7.0, catalog=None):
    """In-plane launch times from ``site`` into ``station``'s orbit plane, precessing with J2.

    Parameters
    ----------
    site : str
        A launch site in the catalog (e.g. ``"Jiuquan"``).
    station : str
        An Earth-orbiting mission with a node: a station whose record names a TLE, or a TLE
        name (``"CSS (TIANHE)"``).
    start : Time or str, optional
        Default: the midnight (UTC) before the station elements' epoch.
    days : float or Quantity
        Length of the search, (0, 60] days.
    catalog : missions.Catalog, optional

    Returns
    -------
    orbits.launch.LaunchWindows
        Columns ``time``, ``direction`` (label "pass"), ``azimuth``, ``raan`` (the station
        plane's node at each window); ``site`` and ``target`` are the catalog names.
    """
    import orbits

    from ..catalog import load_catalog
    from ..subjects import EARTH_ORBIT, SITE, resolve

    cat = catalog if catalog is not None else load_catalog()
    span = check_days(days)
    s_site, s_orb = resolve(site, cat), resolve(station, cat)
    if s_site.kind != SITE:
        raise ArgumentError(f"site must be a launch site in the catalog, got {site!r} "
                            f"({s_site.kind})")
    if s_orb.kind != EARTH_ORBIT or not s_orb.has_node:
        raise ArgumentError(
            f"station must be an Earth-orbiting mission with known node (a TLE), got {station!r} "
            f"({s_orb.kind}{'' if s_orb.kind != EARTH_ORBIT else ', no TLE'})")
    el = s_orb.elements
    t0 = Time(el["epoch"].utc.isot[:10], scale="utc") if start is None else parse_start(start)
    rec = s_site.record
    i_min = orbits.min_inclination(rec.latitude)
    if not (i_min <= el["inc"] <= 180 * u.deg - i_min):
        raise ArgumentError(
            f"{rec.name} (lowest direct inclination {i_min.to_value(u.deg):.2f} deg) cannot launch "
            f"directly into the {el['inc'].to_value(u.deg):.2f} deg plane of {s_orb.name}: no "
            f"in-plane windows; see 'mission-compare compare \"{rec.name}\" \"{s_orb.name}\"' for "
            "the dog-leg cost")
    rate = orbits.nodal_precession_rate(el["a"], u.Quantity(el["ecc"], u.one), el["inc"])
    res = orbits.launch_windows(rec.latitude, rec.longitude, t0, t0 + span * u.day,
                                inclination=el["inc"], raan=el["raan"], epoch=el["epoch"],
                                raan_rate=rate)
    return replace(
        res, site=rec.name, target=s_orb.name,
        inputs=(s_site.input_set(), s_orb.input_set(t0)),
        notes=res.notes + ((f"the plane of {s_orb.name} ({s_orb.elements_source}) drifts "
                           f"{rate.to_value(u.deg / u.day):.3f}°/day (first-order J2)"),))
