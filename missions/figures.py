"""The named figures of the report and of ``mission-compare plot``.

:func:`figure` makes any figure by name (:data:`FIGURE_NAMES`); :func:`porkchop` makes a
transfer porkchop and the table of its best windows. Every figure labels objects with one
display name, the catalog's (:func:`display_name`), and marks the analysis date on its time
axis when that date falls inside it.
"""

from __future__ import annotations

import base64
import difflib
import io
import math
import warnings
from contextlib import contextmanager

import numpy as np
from astropy import units as u
from astropy.time import Time

__all__ = ["DEFAULT_STATIONS", "FIGURE_NAMES", "as_table", "display_name", "figure", "porkchop",
           "station_subjects"]

#: The two stations compared by default: catalog names, then TLE names if the catalog lacks them.
DEFAULT_STATIONS = (("ISS", "ISS (ZARYA)"), ("Chinese space station", "CSS (TIANHE)"))

_KMS = u.km / u.s


@contextmanager
def _quiet():
    """Silence ERFA's "dubious year" for future dates (leap seconds unknown) while drawing."""
    from erfa import ErfaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        yield


def _catalog(catalog):
    from .catalog import load_catalog

    return catalog if catalog is not None else load_catalog()


def _fmt(val, digits=4) -> str:
    if val is None or val is np.ma.masked:
        return ""
    mask = getattr(val, "mask", None)
    if mask is not None and np.all(mask):
        return ""
    if hasattr(val, "unmasked"):
        val = val.unmasked
    if isinstance(val, u.Quantity):
        v = float(val.value)
        if math.isnan(v):
            return ""
        unit = val.unit.to_string()
        return f"{v:.{digits}g} {unit}".strip()
    if isinstance(val, Time):
        return val.utc.isot[:16].replace("T", " ")
    if isinstance(val, (bool, np.bool_)):
        return "yes" if val else "no"
    if isinstance(val, (float, np.floating)):
        return "" if math.isnan(val) else f"{val:.{digits}g}"
    return str(val)


def station_subjects(catalog=None, selection=None):
    """The two stations of the report: the default pair, or Earth-orbiting selected missions."""
    from .compare import resolve

    cat = _catalog(catalog)
    if selection is not None:
        subs = []
        for m in selection:
            if m.target == "Earth" and (m.tle_names or m.orbit("Earth")):
                try:
                    subs.append(resolve(m.name, cat))
                except ValueError:
                    continue
        return subs
    out = []
    for name, tle in DEFAULT_STATIONS:
        try:
            out.append(resolve(name, cat))
        except (KeyError, ValueError):
            out.append(resolve(tle, cat))
    return out


def display_name(sub) -> str:
    """The one name an object is shown by everywhere: its catalog record's name (a subject
    without a record, e.g. a bare TLE, keeps the name it was resolved by)."""
    rec = getattr(sub, "record", None)
    if rec is not None:
        return rec.name
    return getattr(sub, "name", str(sub))


def as_table(obj):
    """A QTable from any result: a :class:`orbits.results.Result` (``to_table()``), a QTable
    (returned as is), or a mapping of scalars (today's comparison dicts; one row, a column
    per key, nested values and notes left out)."""
    from astropy.table import QTable, Table

    if hasattr(obj, "to_table"):
        return obj.to_table()
    if isinstance(obj, Table):
        return obj
    if isinstance(obj, dict):
        cols = {}
        for key, val in obj.items():
            if key == "notes" or isinstance(val, (dict, list, tuple)):
                continue
            if isinstance(val, (u.Quantity, Time)):
                cols[key] = val.reshape(1)
            else:
                cols[key] = [val]
        t = QTable(cols)
        t.meta["notes"] = list(obj.get("notes", []))
        return t
    from orbits.errors import ArgumentTypeError

    raise ArgumentTypeError(f"expected a Result, a QTable or a dict of results, got {type(obj).__name__}")


def result_value(res, *names):
    """The first of ``names`` present on a result (attribute) or a comparison dict (key)."""
    for name in names:
        if isinstance(res, dict):
            if name in res:
                return res[name]
        elif hasattr(res, name):
            return getattr(res, name)
    raise KeyError(f"none of {names} in {type(res).__name__}")


def _short_source(sub) -> str:
    """``TLE ISS (ZARYA) (epoch 2024-05-09T08:48)`` as ``TLE ISS (ZARYA), epoch 2024-05-09 08:48``."""
    src = sub.elements_source
    if src.startswith("TLE ") and src.endswith(")") and " (epoch " in src:
        head, _, epoch = src[:-1].rpartition(" (epoch ")
        return f"{head}, epoch {epoch.replace('T', ' ')}"
    return src


# --- figures ----------------------------------------------------------------------------------


def _site_agency(site) -> str:
    text = f"{site.country} {site.operator}".casefold()
    for key, agency in (("roscosmos", "Roscosmos"), ("russia", "Roscosmos"), ("china", "CNSA"),
                        ("guiana", "ESA"), ("france", "ESA"), ("united states", "NASA"), ("usa", "NASA")):
        if key in text:
            return agency
    return "International"


def _main_corridor(site):
    """The widest documented inclination range below 90 deg (or the first one), for the plot."""
    ranges = [r for r in site.inclinations if r.max.to_value(u.deg) < 90] or list(site.inclinations)
    if not ranges:
        return None
    r = max(ranges, key=lambda r: (r.max - r.min).to_value(u.deg))
    return (r.min, r.max)


def sites_figure(catalog=None):
    """Launch sites: the inclinations a direct ascent reaches from each latitude, the documented
    corridor of each site, and the two stations' inclinations
    (:func:`orbits.plots.planes.reachable_inclinations`)."""
    from orbits.plots.planes import reachable_inclinations

    cat = _catalog(catalog)
    subs = station_subjects(cat)
    sites = {s.short_name: s.latitude for s in cat.sites}
    corridors = {}
    agencies = {}
    for s in cat.sites:
        name = s.short_name
        agencies[name] = _site_agency(s)
        c = _main_corridor(s)
        if c is not None:
            corridors[name] = c
    stations = {}
    for sub in subs:
        label = display_name(sub)
        stations[label] = sub.elements["inc"]
        rec = sub.record
        agencies[label] = rec.agency if rec is not None else ("International" if "ISS" in sub.name else "CMSA")
    return reachable_inclinations(
        sites, stations, corridors=corridors, agencies=agencies,
        source="catalog site latitudes (WGS 84) and corridors; stations: "
               + "; ".join(_short_source(s) for s in subs),
    )


def plane_angle_figure(catalog=None, *, days=None, subjects=None, at=None):
    """The two stations' node difference, plane angle and plane-change Δv (at the lower
    station's speed) over two J2 node cycles (:func:`orbits.plots.planes.plane_history`)."""
    import orbits
    from orbits.core.sites import circular_speed
    from orbits.plots.planes import plane_history

    a, b = subjects if subjects is not None else station_subjects(catalog)[:2]
    e1, e2 = a.elements, b.elements
    if "raan" not in e1 or "raan" not in e2:
        from orbits.errors import ArgumentError

        raise ArgumentError(f"a plane-angle history needs both nodes (TLEs); {a.name} or {b.name} has none")
    # both nodes come from TLEs here: drift them with SGP4's secular model (J2, J2^2, J4)
    rate = orbits.relative_node_drift(e1, e2, second_order=True)
    cycle = (360 * u.deg / abs(rate)).to(u.day)
    span = days * u.day if days is not None else 2 * cycle
    t0 = max(e1["epoch"], e2["epoch"])
    t = t0 + np.linspace(0, span.to_value(u.day), 600) * u.day
    hist = orbits.plane_angle_history(e1, e2, t, second_order=True)
    al = orbits.plane_alignments(e1, e2, start=t0, count=3, second_order=True)
    v = circular_speed(min(e1["a"], e2["a"]).to_value(u.km)) * _KMS
    fig = plane_history(
        hist, labels=(display_name(a), display_name(b)), speed=v, alignments=al,
        source=f"{_short_source(a)}; {_short_source(b)}; SGP4 secular (J2, J2², J4) node drift, cycle "
               f"{cycle.to_value(u.day):.0f} d; Δv at the lower orbit's speed",
    )
    _mark(fig, at if at is not None else t0)
    return fig


def transfer_families_figure(catalog=None, missions=None):
    """Lunar transfer families, Δv against time of flight
    (:func:`orbits.plots.lunar.transfer_family_chart`), with the catalog's lunar missions placed
    at their catalog transfer time and computed Δv (:func:`missions.lunar_profiles.family_points`;
    ``missions`` narrows them)."""
    from orbits.plots.lunar import transfer_family_chart

    from . import lunar_profiles

    cat = _catalog(catalog)
    names = None if missions is None else {m.name for m in missions}
    points = [p for p in lunar_profiles.family_points(cat)
              if names is None or any(p.label == n or p.label.startswith(n + " (") for n in names)]
    return transfer_family_chart(points, title="Earth–Moon transfer families and the catalog's missions")


def _station_orbit_for_search(sub):
    """Mean elements with argp and M for orbits.station_transfer_search (TLE subjects only)."""
    from orbits.tle import load_tles

    src = sub.elements_source
    name = src[4:src.index(" (epoch")] if src.startswith("TLE ") else None
    if name is None:
        from orbits.errors import ArgumentError

        raise ArgumentError(f"a station porkchop needs TLE elements; {sub.name} has {src or 'none'}")
    t = load_tles()[name]
    return {"a": t.a, "ecc": t.ecc, "inc": t.inc, "raan": t.raan, "argp": t.argp, "M": t.mean_anomaly,
            "epoch": t.epoch}


def _here(relpath: str) -> bool:
    """True if this package has the module file ``relpath`` (the split-out comparison modules
    exist once the comparison work is merged; until then the searches below are used)."""
    from pathlib import Path

    return (Path(__file__).resolve().parent / relpath).is_file()


def _mark(fig, at):
    """Mark the analysis date on the figure's time axes (when inside them)."""
    from orbits.plots.style import mark_date

    if at is not None:
        mark_date(fig, at)


#: Shortest departure spans (days) a porkchop accepts: the lunar grid steps 6 h, the station
#: grid 5 min, and a porkchop needs several departure columns to show anything.
MIN_LUNAR_DAYS = 1.0
MIN_STATION_DAYS = 1.0 / 24


def _check_days(days, minimum, what):
    from orbits.errors import ArgumentError, ArgumentTypeError

    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, (int, float, np.integer, np.floating)):
        raise ArgumentTypeError(f"days (--days) must be a number of days, got {days!r}")
    days = float(days)
    if not math.isfinite(days) or days < minimum:
        raise ArgumentError(
            f"days (--days) must be at least {minimum:g} day{'s' if minimum != 1 else ''} for a "
            f"{what} porkchop (it needs several departure columns), got {days:g}")
    return days


def lunar_best_windows(res, top, *, min_separation=2 * u.day):
    """The ``top`` cheapest departures of a lunar porkchop, at least ``min_separation`` apart
    (one per opportunity, not one window repeated): the porkchop's own ``best`` result where
    it has one, else a QTable.

    Isolated so that it can be replaced by the porkchop result's own ``best(n,
    min_separation=...)`` once that exists.
    """
    import inspect

    from astropy.table import QTable

    best = getattr(res, "best", None)
    if best is not None and "min_separation" in inspect.signature(best).parameters:
        return best(top, min_separation=min_separation)
    tot = np.where(res.ok, res.total_dv.to_value(_KMS), np.inf)
    j = np.argmin(tot, axis=1)
    per_day = tot[np.arange(tot.shape[0]), j]
    order = [i for i in np.argsort(per_day) if np.isfinite(per_day[i])]
    step = (res.departures[1] - res.departures[0]).to_value(u.day) if len(res.departures) > 1 else 1.0
    sep = max(1, round(min_separation.to_value(u.day) / step))
    picked = []
    for i in order:
        if all(abs(i - p) >= sep for p in picked):
            picked.append(i)
        if len(picked) == top:
            break
    i = np.array(picked, dtype=int)
    jj = j[i]
    best = QTable({
        "departure": res.departures[i],
        "tof": res.tofs[jj].to(u.day),
        "tli_dv": res.tli_dv[i, jj].to(_KMS),
        "loi_dv": res.loi_dv[i, jj].to(_KMS),
        "total_dv": res.total_dv[i, jj].to(_KMS),
        "in_plane": res.in_plane[i, jj],
    })
    best["departure"].format = "isot"
    return best


def lunar_porkchop(mission, *, start=None, days=None, catalog=None):
    """The Earth–Moon porkchop of one lunar mission: (result, mission record, site name).

    Uses ``missions.comparisons.lunar_transfer.lunar_transfers`` where it exists (its result
    has ``best(n, min_separation=...)``), else the search below.
    """
    import orbits
    from orbits.errors import ArgumentError

    cat = _catalog(catalog)
    m = cat.mission(mission)
    if _here("comparisons/lunar_transfer.py"):
        from .comparisons.lunar_transfer import lunar_transfers

        _check_days(days, MIN_LUNAR_DAYS, "lunar")
        res = lunar_transfers(m, start=start, days=days, catalog=cat)
        site = cat.site(m.launch_site).name if m.launch_site else "its assumed launch site"
        return res, m, site
    from .compare import _parking_inclination, parse_start

    if m.target != "Moon":
        raise ArgumentError(f"--lunar needs a lunar mission, got {mission!r} (target {m.target})")
    days = _check_days(days, MIN_LUNAR_DAYS, "lunar")
    i_park, site = _parking_inclination(m, cat)
    if start is None:
        if m.launch_date is None:
            raise ArgumentError(
                f"{m.name} has no launch date in the catalog, so a porkchop needs --start "
                f"(e.g. --start 2028-01-01)")
        t0 = Time(m.launch_date.time.utc.isot[:10]) - 7 * u.day
    else:
        t0 = parse_start(start, "--start")
    span = 28.0 if days is None else days
    dep = t0 + np.arange(0, span, 0.25) * u.day
    tofs = np.linspace(3.0, 7.0, 33) * u.day
    orbit = m.orbit("Moon")
    kw = {}
    if orbit is not None:
        kw = {"lunar_periapsis_altitude": max(orbit.periapsis, 1 * u.km),
              "lunar_apoapsis_altitude": max(orbit.apoapsis, orbit.periapsis, 1 * u.km)}
    res = orbits.lunar_porkchop(dep, tofs, parking_inclination=i_park, **kw)
    return res, m, site


def station_porkchop(a, b, *, start=None, days=None, catalog=None):
    """The two-impulse transfer search between two stations: (result, subject a, subject b)."""
    import orbits
    from orbits import transfers
    from orbits.errors import ArgumentError

    from .compare import parse_start, resolve

    cat = _catalog(catalog)
    days = _check_days(days, MIN_STATION_DAYS, "station")
    s1, s2 = resolve(a, cat), resolve(b, cat)
    if _here("comparisons/station_transfer.py"):
        from .comparisons.station_transfer import station_transfers

        return station_transfers(a, b, start=start, days=days, catalog=cat), s1, s2
    for s in (s1, s2):
        if s.kind != "earth orbit":
            raise ArgumentError(f"porkchop stations must be Earth-orbiting stations, got {s.name!r} ({s.kind})")
    o1, o2 = _station_orbit_for_search(s1), _station_orbit_for_search(s2)
    # Default: 12 days centred on the next node alignment (the smallest plane angle). The
    # stations' periods differ by ~0.5 min, so their relative phase takes ~11 days to come
    # round: a shorter span can miss the well-phased departures (one day around the 2024-10-06
    # alignment gives 2.27 km/s at best, twelve days 1.41 km/s against the 1.36 km/s plane
    # change).
    span = 12.0 if days is None else days
    if start is None:
        aligned = orbits.plane_alignments(o1, o2, count=1, second_order=True).aligned[0]
        t0 = aligned - span / 2 * u.day
    else:
        t0 = parse_start(start, "--start")
    dep = t0 + np.arange(0, span * 1440, 5) * u.min
    tof = np.arange(30, 361, 10) * u.min
    return transfers.station_transfer_search(o1, o2, dep, tof, second_order=True), s1, s2


#: Best station windows are at least this far apart (one per phasing opportunity).
STATION_WINDOW_SEPARATION = 12 * u.hour


def station_best_windows(res, top):
    """The ``top`` best windows of a station transfer search (its own ``best``): a QTable
    today, a ``TransferWindows`` result once the results are merged."""
    from astropy.table import QTable

    n = max(0, min(top, len(res.minima)))
    if not n:
        return QTable({"departure": [], "tof": [] * u.min})
    return res.best(n, min_separation=STATION_WINDOW_SEPARATION)


def porkchop(names=(), *, lunar=None, start=None, days=None, top=5, catalog=None, at=None):
    """A porkchop figure and a table of its best windows.

    ``names``: two stations (station-to-station Lambert search, :func:`orbits.station_transfer_search`);
    or ``lunar``: one lunar mission (Earth-Moon, :func:`orbits.lunar_porkchop`). ``days`` is
    the span of departure dates (at least 1 h for stations, 1 day for the Moon); an undated
    lunar mission needs ``start``. ``at`` (Time) is marked on the departure axis.
    """
    from orbits.errors import ArgumentError

    cat = _catalog(catalog)
    if lunar is not None:
        res, m, site = lunar_porkchop(lunar, start=start, days=days, catalog=cat)
        fig = _lunar_porkchop_figure(res, m, site)
        _mark(fig, at)
        return fig, lunar_best_windows(res, top)
    if len(names) != 2:
        raise ArgumentError(f"porkchop needs two station names, got {len(names)}")
    from orbits.plots import porkchop as plot_mod

    res, s1, s2 = station_porkchop(names[0], names[1], start=start, days=days, catalog=cat)
    fig = plot_mod.porkchop_figure(
        res, n_best=min(top, len(res.minima)), min_separation=STATION_WINDOW_SEPARATION,
        title=f"{display_name(s1)} → {display_name(s2)}: two-impulse transfers",
        source=f"{_short_source(s1)}; {_short_source(s2)}; Lambert (Izzo) between orbits drifting "
               "with SGP4's secular J2, J2², J4",
    )
    _mark(fig, at)
    return fig, station_best_windows(res, top)


def _lunar_porkchop_figure(res, mission, site):
    from orbits.plots.lunar import porkchop_figure

    return porkchop_figure(
        res, title=f"{mission.name}: Earth–Moon transfers from {site.split(' (')[0]} "
                   f"(parking {res.parking_inclination.to_value(u.deg):.1f}°)")


def timeline_figure(catalog=None, missions=None, *, at=None):
    """Announced against actual launch dates (:func:`missions.timeline.timeline_figure`),
    with the analysis date marked."""
    from orbits.plots.style import mark_date

    from .timeline import timeline_figure as tf

    fig = tf(missions, catalog=_catalog(catalog))
    mark_date(fig, at if at is not None else Time.now(), decimal_year=True)
    return fig


def orbits_3d_figure(catalog=None):
    """The two default stations drawn together in an interactive 3D view (Plotly) at their
    next node alignment; a plotly Figure, not matplotlib. The orbits are sampled Keplerian
    ellipses through the SGP4 states (:func:`orbits.plots.orbit3d.orbit_view`): no boinor
    propagation, so it draws in about a second."""
    import orbits
    from orbits.plots.orbit3d import orbit_view
    from orbits.tle import load_tles

    cat = _catalog(catalog)
    tles = load_tles()
    labelled, agencies = {}, {}
    for (name, tle_name), sub in zip(DEFAULT_STATIONS, station_subjects(cat)):
        label = display_name(sub)
        labelled[label] = tles[tle_name]
        rec = sub.record
        agencies[label] = rec.agency if rec is not None else ""
    (la, ta), (lb, tb) = list(labelled.items())[:2]
    when = orbits.plane_alignments(ta, tb, count=1, second_order=True).aligned[0]
    epoch = max(ta.epoch, tb.epoch).utc.isot[:10]
    return orbit_view(
        labelled, time=when, agencies=agencies,
        title=f"{la} and {lb} at their node alignment, {when.iso[:10]} (TLEs of {epoch})",
    )


_FIGURES = {
    "sites": lambda cat, ms, at: sites_figure(cat),
    "plane-angle": lambda cat, ms, at: plane_angle_figure(cat, at=at),
    "timeline": lambda cat, ms, at: timeline_figure(cat, ms, at=at),
    "transfer-families": lambda cat, ms, at: transfer_families_figure(cat, ms),
    "porkchop": lambda cat, ms, at: porkchop([s.name for s in station_subjects(cat)], catalog=cat, at=at)[0],
    "lunar-porkchop": lambda cat, ms, at: porkchop(
        lunar=(ms[0].name if ms else "Luna-25"), catalog=cat, at=at)[0],
    "orbits-3d": lambda cat, ms, at: orbits_3d_figure(cat),
}
#: Names accepted by :func:`figure` and ``mission-compare plot``.
FIGURE_NAMES = tuple(_FIGURES)


def figure(name: str, *, catalog=None, missions=None, at=None):
    """One figure by name (:data:`FIGURE_NAMES`): a matplotlib Figure, except ``orbits-3d``,
    which is an interactive plotly Figure.

    ``missions`` (names) narrows the timeline and the transfer-family chart, and picks the
    mission of ``lunar-porkchop``. ``at`` (Time, default: the station elements' epoch for
    the station figures, now for the timeline) is marked on the time axes.
    """
    if not isinstance(name, str):
        from orbits.errors import ArgumentTypeError

        raise ArgumentTypeError(f"figure name must be a string, got {name!r}")
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in _FIGURES:
        close = difflib.get_close_matches(key, FIGURE_NAMES, n=3, cutoff=0.5)
        hint = "; did you mean " + ", ".join(repr(c) for c in close) + "?" if close else ""
        from orbits.errors import NotFoundError

        raise NotFoundError(f"figure name {name!r} is not known; choose from: {', '.join(FIGURE_NAMES)}{hint}")
    cat = _catalog(catalog)
    ms = [cat.mission(n) for n in missions] if missions else None
    with _quiet():
        return _FIGURES[key](cat, ms, at)


def embed_png(fig) -> str:
    """A matplotlib Figure as a ``data:image/png;base64,...`` URI (for the report)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


