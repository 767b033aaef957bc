"""In-plane launch windows from a catalog launch site into a station's precessing plane.

The station's plane comes from its element set nearest the analysis date ``at`` (default now)
and moves either with the secular J2/J2²/J4 node rate (``propagator="secular"``, the default:
measured on real ISS and Tianhe sets it predicts the node better than SGP4 beyond ~3 days,
``orbits/data/history/node_error.toml``) or with full SGP4 (``propagator="sgp4"``: the
orbit-averaged plane of :func:`orbits.propagation.plane_at`, taken at the start and end of each
day and interpolated linearly within it). Twice a day a site below the plane's inclination
passes through it (:func:`orbits.launch_windows`). The search starts, by default, at the
analysis date's midnight (UTC).

Each window's launch azimuth is checked against the site's documented azimuth corridors
(range safety, drop zones; ``[[site.azimuths]]`` in the catalog): the column "in documented
corridor" says ``yes`` or ``no``, and is blank when the catalog holds no sourced corridor for
the site. A window outside every corridor stays listed, marked ``no`` (it is geometrically
possible, not flown).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits.errors import ArgumentError, ArgumentTypeError
from orbits.launch import LaunchWindows

__all__ = ["MAX_DAYS", "SiteLaunchWindows", "corridor_flags", "corridor_note", "parse_start",
           "station_launch_windows"]

#: Column label of the corridor flag (here and in missions.launch_timing).
CORRIDOR_LABEL = "in documented corridor"


def _corridor_column():
    return field(default=None, metadata={"label": CORRIDOR_LABEL, "unit": None, "fmt": None,
                                         "doc": "yes / no / blank (no sourced corridor)",
                                         "kind": "column"})


@dataclass(frozen=True, repr=False)
class SiteLaunchWindows(LaunchWindows):
    """In-plane windows from a catalog site, each flagged against its documented corridors."""

    in_corridor: np.ndarray = _corridor_column()


def corridor_flags(record, azimuths) -> np.ndarray:
    """Return "yes"/"no" per azimuth against ``record.azimuths``; all "" when it has none.

    ``record`` is a :class:`missions.records.LaunchSite` (or None: all blank); ``azimuths`` a
    Quantity array (degrees east of north).
    """
    az = np.atleast_1d(u.Quantity(azimuths, u.deg).to_value(u.deg))
    ranges = tuple(getattr(record, "azimuths", ()) or ())
    if not ranges:
        return np.full(az.shape, "", dtype="<U3")
    inside = np.array([any(r.contains(a * u.deg) for r in ranges) for a in az], dtype=bool)
    return np.where(~np.isfinite(az), "", np.where(inside, "yes", "no")).astype("<U3")


def corridor_note(record, catalog=None) -> str:
    """Return a note naming the site's documented azimuth corridors and their sources."""
    name = getattr(record, "name", "the site")
    ranges = tuple(getattr(record, "azimuths", ()) or ())
    if not ranges:
        return (f"{name}: no documented azimuth corridor in the catalog; the column "
                f"'{CORRIDOR_LABEL}' is blank")
    parts, keys = [], []
    for r in ranges:
        lo, hi = r.min.to_value(u.deg), r.max.to_value(u.deg)
        parts.append(f"{lo:g}°–{hi:g}°" + (f" ({r.label})" if r.label else ""))
        if r.source not in keys:
            keys.append(r.source)
    srcs = []
    for k in keys:
        src = None
        if catalog is not None:
            try:
                src = catalog.source(k)
            except Exception:  # noqa: BLE001 - an unknown key is shown as the key itself
                src = None
        srcs.append(f"{src.publisher}, '{src.title}' ({src.date})" if src is not None
                    and getattr(src, "title", "") else k)
    return (f"documented launch-azimuth corridors of {name}: {'; '.join(parts)} — source: "
            f"{'; '.join(srcs)}; windows outside them stay listed, marked 'no' (corridors "
            "are ground azimuths, the windows' inertial ones differ by a few degrees)")

#: Longest search :func:`station_launch_windows` accepts (days).
MAX_DAYS = 60.0


def parse_start(start, name="start") -> Time:
    """Return a start time from a ``Time`` or an ISO date string; errors name ``name``."""
    if isinstance(start, Time):
        if not start.isscalar:
            raise ArgumentError(f"{name} must be a single time, got shape {start.shape}")
        return start
    if isinstance(start, str) and len(start.strip()) <= 40:
        import warnings

        from erfa import ErfaWarning

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ErfaWarning)
                return Time(start.strip(), scale="utc")
        except ValueError:
            pass
    from orbits._validation import describe_value

    raise ArgumentError(
        f"{name} must be a UTC date such as 2024-05-10 or 2024-05-10T06:00, got "
        f"{describe_value(start)}")


def check_days(days, name="days", *, max_days=MAX_DAYS) -> float:
    """Return ``days`` (a number or a time Quantity) as a float in (0, max_days].

    Anything else raises an error naming ``name``.
    """
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


def station_launch_windows(site, station, *, start=None, days=7.0, catalog=None, at=None,
                           elements=None, propagator="secular"):
    """In-plane launch times from ``site`` into ``station``'s orbit plane, as of ``at``.

    Parameters
    ----------
    site : str
        A launch site in the catalog (e.g. ``"Jiuquan"``).
    station : str
        An Earth-orbiting mission with a node: a station whose record names element sets, or
        an element-set name (``"CSS (TIANHE)"``).
    start : Time or str, optional
        Default: the midnight (UTC) of the analysis date.
    days : float or Quantity
        Length of the search, (0, 60] days.
    catalog : missions.Catalog, optional
    at : Time or str, optional
        The analysis date (default now, UTC): the station uses the element set nearest it.
    elements : None, path, list of paths or orbits.history.Histories
        See :func:`missions.subjects.element_histories`.
    propagator : "secular" (default) or "sgp4"
        How the plane moves from the elements' epoch (see the module notes).

    Returns
    -------
    SiteLaunchWindows (an orbits.launch.LaunchWindows)
        Columns ``time``, ``direction`` (label "pass"), ``azimuth``, ``raan`` (the station
        plane's node at each window), ``in_corridor`` ("yes"/"no" against the site's documented
        azimuth corridors, "" when it has none; a note names them and their source);
        ``site`` and ``target`` are the catalog names;
        ``analysis_date``, ``inputs`` (the element set, its epoch and age) and ``warnings``.

    Raises
    ------
    orbits.errors.DateRangeError
        The search reaches dates no element set supports (3 years from the epoch).
    """
    import warnings

    from erfa import ErfaWarning

    from orbits.propagation import PROPAGATORS

    from ..catalog import load_catalog
    from ..subjects import EARTH_ORBIT, SITE, analysis_time, element_histories, emit_stale, resolve

    cat = catalog if catalog is not None else load_catalog()
    span = check_days(days)
    if propagator not in PROPAGATORS:
        from orbits._validation import describe_value

        raise ArgumentError(f"propagator must be one of {', '.join(map(repr, PROPAGATORS))}, "
                            f"got {describe_value(propagator)}")
    t_start = None if start is None else parse_start(start)
    t = analysis_time(at)
    hist = element_histories(elements)
    s_site = resolve(site, cat, at=t, elements=hist)
    if s_site.kind != SITE:
        raise ArgumentError(f"site must be a launch site in the catalog, got {site!r} "
                            f"({s_site.kind})")
    s_orb = resolve(station, cat, at=t, elements=hist, warn=False)
    if s_orb.kind != EARTH_ORBIT or not s_orb.has_node:
        raise ArgumentError(
            f"station must be an Earth-orbiting mission with known node (element sets), got "
            f"{station!r} ({s_orb.kind}"
            f"{'' if s_orb.kind != EARTH_ORBIT else ', no element sets'})")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        res = _windows(s_site, s_orb, t, t_start, span, propagator)
    rec = s_site.record
    fields_ = {f.name: getattr(res, f.name) for f in fields(res) if f.init}
    res = SiteLaunchWindows(**fields_, in_corridor=corridor_flags(rec, res.azimuth))
    res = replace(res, notes=(*res.notes, corridor_note(rec, cat)))
    emit_stale(res.warnings)
    return res


def _windows(s_site, s_orb, t, t_start, span, propagator):
    import numpy as np

    import orbits
    from orbits.history import assess_age

    el = s_orb.elements
    t0 = Time(t.utc.isot[:10], scale="utc") if t_start is None else t_start
    t1 = t0 + span * u.day
    for edge in (t0, t1):  # the whole search within the elements' reach
        assess_age(s_orb.tle, edge, warn=False)
    rec = s_site.record
    i_min = orbits.min_inclination(rec.latitude)
    if not (i_min <= el["inc"] <= 180 * u.deg - i_min):
        raise ArgumentError(
            f"{rec.name} (lowest direct inclination {i_min.to_value(u.deg):.2f} deg) cannot launch "
            f"directly into the {el['inc'].to_value(u.deg):.2f} deg plane of {s_orb.name}: no "
            f"in-plane windows; see 'mission-compare compare \"{rec.name}\" \"{s_orb.name}\"' for "
            "the dog-leg cost")
    common = dict(site=rec.name, target=s_orb.name, inputs=(s_site.input_set(),
                                                            s_orb.input_set(t)),
                  analysis_date=t, warnings=tuple(s_orb.warnings))
    src = f"{s_orb.name} ({s_orb.elements_source})"
    if propagator == "secular":
        rate = orbits.nodal_precession_rate(el["a"], u.Quantity(el["ecc"], u.one), el["inc"],
                                            second_order=True)
        res = orbits.launch_windows(rec.latitude, rec.longitude, t0, t1,
                                    inclination=el["inc"], raan=el["raan"], epoch=el["epoch"],
                                    raan_rate=rate)
        return replace(res, **common, notes=res.notes + (
            (f"the plane of {src} drifts {rate.to_value(u.deg / u.day):.3f}°/day from the "
             "set's epoch (secular J2/J2²/J4, SGP4's mean rates; the default: it predicts the "
             "node of real ISS/Tianhe sets better than SGP4 beyond ~3 days)"),))
    # SGP4: the orbit-averaged plane at day boundaries, linear within each day
    from orbits.propagation import plane_at

    n_days = int(np.ceil(span - 1e-9))
    edges = t0 + np.minimum(np.arange(n_days + 1), span) * u.day
    p = plane_at(s_orb.tle, edges, propagator="sgp4")
    raan = np.unwrap(p.raan[0].to_value(u.rad)) * u.rad
    inc = p.inc[0]
    parts = []
    for k in range(n_days):
        dt = (edges[k + 1] - edges[k]).to(u.day)
        rate_k = ((raan[k + 1] - raan[k]) / dt).to(u.deg / u.day)
        part = orbits.launch_windows(
            rec.latitude, rec.longitude, edges[k], edges[k + 1],
            inclination=0.5 * (inc[k] + inc[k + 1]),
            raan=np.mod(raan[k].to_value(u.deg), 360.0) * u.deg, epoch=edges[k],
            raan_rate=rate_k)
        parts.append(part)
    times = Time(np.concatenate([pt.time.jd1 for pt in parts]),
                 np.concatenate([pt.time.jd2 for pt in parts]), format="jd", scale="utc")
    keep = np.ones(times.size, bool)
    jd = times.jd1 + times.jd2
    keep[1:] = np.diff(jd) > 1e-6  # a window on a day boundary is found by both days
    times = times[keep]
    times.format = "isot"
    direction = np.concatenate([pt.direction for pt in parts])[keep]
    azimuth = np.concatenate([pt.azimuth.to_value(u.deg) for pt in parts])[keep] * u.deg
    node = np.concatenate([pt.raan.to_value(u.deg) for pt in parts])[keep] * u.deg
    mean_rate = ((raan[-1] - raan[0]) / (edges[-1] - edges[0]).to(u.day)).to(u.deg / u.day)
    first = parts[0]
    return replace(
        first, time=times, direction=direction, azimuth=azimuth, raan=node, start=t0, stop=t1,
        inclination=float(np.mean(inc.to_value(u.deg))) * u.deg, raan_rate=mean_rate,
        **common, notes=first.notes + (
            (f"the plane of {src} from full SGP4 (orbit-averaged r x v, "
             "orbits.propagation.plane_at) at each day's start and end, linear in between; "
             "SGP4 extrapolates drag as if the station never reboosted, so beyond ~3 days from "
             "the epoch the default secular model predicts the node better"),))
