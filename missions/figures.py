"""The named figures of the report and of ``mission-compare plot``.

:func:`figure` makes any figure by name (:data:`FIGURE_NAMES`); :func:`porkchop` makes a
transfer porkchop and the table of its best windows. Every figure labels objects with one
display name, the catalog's (:func:`display_name`), and marks the analysis date on its time
axis when that date falls inside it.

Every figure that shows the stations takes ``at`` (the analysis date, default now, UTC) and
``elements`` (:func:`missions.subjects.element_histories`): the stations use the element sets
nearest that date, and the plane-angle history, the porkchop and the 3D view start from it.
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


def station_subjects(catalog=None, selection=None, *, at=None, elements=None):
    """Return the report's stations as of ``at``: the default pair or the selected ones.

    Parameters
    ----------
    catalog : missions.Catalog, optional
    selection : list of mission records, optional
        Earth-orbiting missions among them are the stations; default :data:`DEFAULT_STATIONS`.
    at : Time or str, optional
        The analysis date (default now, UTC): each station has the element set nearest it.
    elements : None, path, list of paths or orbits.history.Histories
        See :func:`missions.subjects.element_histories`.

    Returns
    -------
    list of missions.subjects.Subject
    """
    from .subjects import analysis_time, element_histories, resolve

    cat = _catalog(catalog)
    t = analysis_time(at)
    hist = element_histories(elements)
    if selection is not None:
        subs = []
        for m in selection:
            if m.target == "Earth" and (m.tle_names or m.orbit("Earth")):
                try:
                    subs.append(resolve(m.name, cat, at=t, elements=hist, warn=False))
                except (KeyError, ValueError):
                    continue
        return subs
    out = []
    for name, tle in DEFAULT_STATIONS:
        try:
            out.append(resolve(name, cat, at=t, elements=hist, warn=False))
        except (KeyError, ValueError):
            out.append(resolve(tle, cat, at=t, elements=hist, warn=False))
    return out


def display_name(sub) -> str:
    """Return the one name an object is shown by everywhere: its catalog record's name.

    A subject without a record (a bare element set) keeps the name it was resolved by.
    """
    rec = getattr(sub, "record", None)
    if rec is not None:
        return rec.name
    return getattr(sub, "name", str(sub))


def as_table(obj):
    """Return a QTable from any result.

    A :class:`orbits.results.Result` gives its ``to_table()``, a QTable is returned as is, a
    mapping of scalars gives one row with a column per key (nested values and notes left
    out).
    """
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

    raise ArgumentTypeError(f"expected a Result, a QTable or a dict of results, got "
                            f"{type(obj).__name__}")


def _short_source(sub) -> str:
    """Return where a subject's elements come from, as a figure's source note says it.

    ``TLE ISS (ZARYA) (epoch 2024-05-09T08:48, iss.tle)`` becomes ``TLE ISS (ZARYA), epoch
    2024-05-09 08:48``.
    """
    src = sub.elements_source
    if src.startswith("TLE ") and src.endswith(")") and " (epoch " in src:
        head, _, epoch = src[:-1].rpartition(" (epoch ")
        return f"{head}, epoch {epoch.split(',')[0].replace('T', ' ')}"
    return src


def _input_text(inp) -> str:
    """Return ``ISS (ZARYA), epoch 2026-10-10 18:56`` for an element set's InputSet."""
    if inp.epoch is None:
        return inp.name
    return f"{inp.name}, epoch {inp.epoch.utc.isot[:16].replace('T', ' ')}"


# --- figures ----------------------------------------------------------------------------------


def _site_agency(site) -> str:
    text = f"{site.country} {site.operator}".casefold()
    for key, agency in (("roscosmos", "Roscosmos"), ("russia", "Roscosmos"), ("china", "CNSA"),
                        ("guiana", "ESA"), ("france", "ESA"), ("united states", "NASA"),
                        ("usa", "NASA")):
        if key in text:
            return agency
    return "International"


def _main_corridor(site):
    """Return the widest documented inclination range below 90 deg (or the first one)."""
    ranges = [r for r in site.inclinations if r.max.to_value(u.deg) < 90] or list(site.inclinations)
    if not ranges:
        return None
    r = max(ranges, key=lambda r: (r.max - r.min).to_value(u.deg))
    return (r.min, r.max)


def sites_figure(catalog=None, *, at=None, elements=None):
    """Draw the inclinations a direct ascent reaches from each site, with the stations.

    Each site's documented corridor is drawn solid and the two stations' inclinations (from
    the element sets nearest ``at``) dashed (:func:`orbits.plots.planes.reachable_inclinations`).
    """
    from orbits.plots.planes import reachable_inclinations

    cat = _catalog(catalog)
    subs = station_subjects(cat, at=at, elements=elements)
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
        agencies[label] = (rec.agency if rec is not None
                           else ("International" if "ISS" in sub.name else "CMSA"))
    return reachable_inclinations(
        sites, stations, corridors=corridors, agencies=agencies,
        source="catalog site latitudes (WGS 84) and corridors; stations: "
               + "; ".join(_short_source(s) for s in subs),
    )


def plane_angle_figure(catalog=None, *, days=None, subjects=None, at=None, elements=None):
    """Draw the two stations' node difference, plane angle and plane-change Δv over time.

    The plot starts on the analysis date ``at`` (default now, UTC) and spans two J2 node
    cycles (or ``days``); the planes come from the element sets nearest ``at``
    (``subjects``: two resolved :class:`~missions.subjects.Subject` to use instead) and
    drift with SGP4's secular model (J2, J2², J4). The Δv is at the lower station's speed
    (:func:`orbits.plots.planes.plane_history`).
    """
    import orbits
    from orbits.bodies import Earth
    from orbits.errors import ArgumentError
    from orbits.plots.planes import plane_history

    from .subjects import analysis_time

    t0 = analysis_time(at)
    if subjects is None:
        subjects = station_subjects(catalog, at=t0, elements=elements)[:2]
    a, b = subjects
    e1, e2 = a.elements, b.elements
    if "raan" not in e1 or "raan" not in e2:
        raise ArgumentError(f"a plane-angle history needs both nodes (element sets); "
                            f"{a.name} or {b.name} has none")
    rate = orbits.relative_node_drift(e1, e2, second_order=True)
    cycle = (360 * u.deg / abs(rate)).to(u.day)
    span = days * u.day if days is not None else 2 * cycle
    t = t0 + np.linspace(0, span.to_value(u.day), 600) * u.day
    hist = orbits.plane_angle_history(e1, e2, t, second_order=True)
    al = orbits.plane_alignments(e1, e2, start=t0, count=3, second_order=True)
    v = np.sqrt(Earth.k / min(e1["a"], e2["a"])).to(_KMS)
    fig = plane_history(
        hist, labels=(display_name(a), display_name(b)), speed=v, alignments=al,
        source=f"{_short_source(a)}; {_short_source(b)}; SGP4 secular (J2, J2², J4) node "
               f"drift, cycle {cycle.to_value(u.day):.0f} d; Δv at the lower orbit's speed",
    )
    _mark(fig, t0)
    return fig


def transfer_families_figure(catalog=None, missions=None):
    """Draw the lunar transfer families, Δv against time of flight, with the missions.

    :func:`orbits.plots.lunar.transfer_family_chart`; the catalog's lunar missions sit at
    their catalog transfer time and computed Δv (:func:`missions.lunar_profiles.family_points`;
    ``missions`` narrows them).
    """
    from orbits.plots.lunar import transfer_family_chart

    from . import lunar_profiles

    cat = _catalog(catalog)
    names = None if missions is None else {m.name for m in missions}
    points = [p for p in lunar_profiles.family_points(cat)
              if names is None or any(p.label == n or p.label.startswith(n + " (") for n in names)]
    return transfer_family_chart(points,
                                 title="Earth–Moon transfer families and the catalog's missions")


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
    """Return the ``top`` cheapest departures of a lunar porkchop, ``min_separation`` apart.

    One per opportunity, not one window repeated: the porkchop's own ``best`` where it has
    one, else a QTable picked from its grids.
    """
    from astropy.table import QTable

    best = getattr(res, "best", None)
    if best is not None:
        return best(top, min_separation=min_separation)
    tot = np.where(res.ok, res.total_dv.to_value(_KMS), np.inf)
    j = np.argmin(tot, axis=1)
    per_day = tot[np.arange(tot.shape[0]), j]
    order = [i for i in np.argsort(per_day) if np.isfinite(per_day[i])]
    step = ((res.departures[1] - res.departures[0]).to_value(u.day)
            if len(res.departures) > 1 else 1.0)
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
    """Return the Earth–Moon porkchop of one lunar mission: (result, mission record, site).

    :func:`missions.comparisons.lunar_transfer.lunar_transfers`; ``days`` at least one day.
    """
    from orbits.errors import ArgumentError

    from .comparisons.lunar_transfer import _default_start, lunar_transfers
    from .lunar_profiles import lunar_site

    cat = _catalog(catalog)
    m = cat.mission(mission)
    if m.target != "Moon":
        raise ArgumentError(f"lunar (--lunar) must be a lunar mission, got {mission!r} "
                            f"({m.name}, target {m.target})")
    _check_days(days, MIN_LUNAR_DAYS, "lunar")
    if start is None and _default_start(m)[0] is None:
        plan = m.current_date
        planned = f" (the catalog's latest plan is {plan.text})" if plan is not None else ""
        raise ArgumentError(
            f"{m.name} has no launch date to the month or better in the catalog{planned}, so "
            f"a porkchop needs start (--start), e.g. --start {_plan_example(plan)}")
    res = lunar_transfers(m, start=start, days=days, catalog=cat)
    site, _ = lunar_site(m, cat)
    return res, m, site.name


def _plan_example(plan) -> str:
    """Return a start date to suggest for a mission planned for ``plan`` (its year's 1 January)."""
    text = getattr(plan, "text", "") or ""
    year = text[:4] if text[:4].isdigit() else "2030"
    return f"{year}-01-01"


def station_porkchop(a, b, *, start=None, days=None, catalog=None, at=None, elements=None):
    """Return the two-impulse transfer search between two stations as of ``at``.

    :func:`missions.comparisons.station_transfer.station_transfers` (default: 12 days
    centred on the next node alignment after the analysis date).
    """
    from .comparisons.station_transfer import station_transfers

    days = _check_days(days, MIN_STATION_DAYS, "station")
    return station_transfers(a, b, start=start, days=days, catalog=_catalog(catalog), at=at,
                             elements=elements)


#: Best station windows are at least this far apart (one per phasing opportunity).
STATION_WINDOW_SEPARATION = 12 * u.hour


def station_best_windows(res, top):
    """Return the ``top`` best windows of a station transfer search (its ``best``)."""
    n = max(0, min(top, len(res.minima)))
    return res.best(n, min_separation=STATION_WINDOW_SEPARATION)


def porkchop(names=(), *, lunar=None, start=None, days=None, top=5, catalog=None, at=None,
             elements=None):
    """Return a porkchop figure and a table of its best windows.

    Parameters
    ----------
    names : pair of str
        Two stations: a station-to-station Lambert search as of ``at``
        (:func:`missions.comparisons.station_transfer.station_transfers`).
    lunar : str, optional
        One lunar mission instead (:func:`missions.comparisons.lunar_transfer.lunar_transfers`);
        an undated mission needs ``start``.
    start : Time or str, optional
        First departure.
    days : float, optional
        Span of departures: at least 1 h for stations, 1 day for the Moon.
    top : int
        Number of best windows.
    catalog : missions.Catalog, optional
    at : Time or str, optional
        The analysis date (default now, UTC), marked on the departure axis; the stations use
        the element sets nearest it.
    elements : None, path, list of paths or orbits.history.Histories
        See :func:`missions.subjects.element_histories`.

    Returns
    -------
    (matplotlib.figure.Figure, table of the best windows)
    """
    from orbits.errors import ArgumentError

    from .subjects import analysis_time

    cat = _catalog(catalog)
    t = analysis_time(at)
    if lunar is not None:
        res, m, site = lunar_porkchop(lunar, start=start, days=days, catalog=cat)
        fig = _lunar_porkchop_figure(res, m, site, t)
        return fig, lunar_best_windows(res, top)
    if len(names) != 2:
        raise ArgumentError(f"porkchop needs two station names, got {len(names)}")
    from orbits.plots import porkchop as plot_mod

    res = station_porkchop(names[0], names[1], start=start, days=days, catalog=cat, at=t,
                           elements=elements)
    src = "; ".join(_input_text(i) for i in res.inputs)
    fig = plot_mod.porkchop_figure(
        res, n_best=min(top, len(res.minima)), min_separation=STATION_WINDOW_SEPARATION,
        title=f"{res.departure_name} → {res.arrival_name}: two-impulse transfers",
        source=f"{src}; Lambert (Izzo) between orbits drifting with SGP4's secular J2, J2², J4",
    )
    _mark(fig, t)
    return fig, station_best_windows(res, top)


def _lunar_porkchop_figure(res, mission, site, at):
    from orbits.plots.lunar import porkchop_figure

    return porkchop_figure(
        res, title=f"{mission.name}: Earth–Moon transfers from {site.split(' (')[0]} "
                   f"(parking {res.parking_inclination.to_value(u.deg):.1f}°)",
        analysis_date=at)


def timeline_figure(catalog=None, missions=None, *, at=None):
    """Draw announced against actual launch dates, with the analysis date marked.

    :func:`missions.timeline.timeline_figure`; ``at`` defaults to now (UTC).
    """
    from orbits.plots.style import mark_date

    from .subjects import analysis_time
    from .timeline import timeline_figure as tf

    fig = tf(missions, catalog=_catalog(catalog))
    mark_date(fig, analysis_time(at), decimal_year=True)
    return fig


def orbits_3d_figure(catalog=None, *, at=None, elements=None):
    """Draw the two default stations together in 3D at their next node alignment after ``at``.

    An interactive plotly Figure, not matplotlib. The stations use the element sets nearest
    the analysis date; the orbits are sampled Keplerian ellipses through their SGP4 states
    (:func:`orbits.plots.orbit3d.orbit_view`): no boinor propagation, so it draws in about
    a second.
    """
    import orbits
    from orbits.plots.orbit3d import orbit_view

    from .subjects import analysis_time

    t = analysis_time(at)
    labelled, agencies = {}, {}
    for sub in station_subjects(_catalog(catalog), at=t, elements=elements):
        label = display_name(sub)
        labelled[label] = sub.tle
        rec = sub.record
        agencies[label] = rec.agency if rec is not None else ""
    (la, ta), (lb, tb) = list(labelled.items())[:2]
    when = orbits.plane_alignments(ta, tb, start=t, count=1, second_order=True).aligned[0]
    epochs = " and ".join(dict.fromkeys(x.epoch.utc.isot[:10] for x in (ta, tb)))
    return orbit_view(
        labelled, time=when, agencies=agencies,
        title=f"{la} and {lb} at their next node alignment after {t.utc.isot[:10]}, "
              f"{when.utc.isot[:10]} (element sets of {epochs})",
    )


def mars_window_figure(*, year: int = 2020):
    """Return the Earth–Mars C3 porkchop of one opportunity; 2020 marks Tianwen-1's flight.

    Departures over the 120 days around the opportunity's minimum-C3 date (DE421, patched
    conics, :func:`orbits.mars.mars_porkchop`); arrivals 80–500 days later.
    """
    from orbits.mars import TIANWEN_1, mars_porkchop, mars_windows
    from orbits.plots.mars import mars_window_figure as draw

    if not isinstance(year, int) or not 1900 < year < 2052:
        from orbits.errors import ArgumentError

        raise ArgumentError(f"year must be an opportunity year 1901..2051, got {year!r}")
    cal = mars_windows(f"{year - 1}-09-01", f"{year + 1}-06-30")
    centre = Time(cal.window(year)["departure"]).utc
    deps = centre + np.arange(-60, 61, 2) * u.day
    pc = mars_porkchop(deps)
    flown = [TIANWEN_1] if year == 2020 else []
    return draw(pc, flown=flown, title=f"Earth–Mars transfers, {year} opportunity")


def south_pole_figure(catalog=None, *, at=None, access=None):
    """Draw the catalog's polar sites on a south-polar map, with their Sun and Earth elevation.

    The sites of :func:`missions.lunar_sites.polar_site_access` over the lunar day from ``at``
    (default now, UTC): each with the fractions of the day the Sun, the Earth and Queqiao-2
    are above its horizon, the ILRS area drawn with the radius of the catalog's ILRS record,
    and beside the map the Sun's and the Earth's elevation against time
    (:func:`orbits.plots.south_pole.south_pole_access_figure`; DE421, IAU 2015 rotation).
    ``access``: a :class:`~missions.lunar_sites.PolarSiteAccess` already computed, to draw
    instead of computing one.
    """
    from orbits.plots.south_pole import south_pole_access_figure

    from .lunar_sites import lunar_sites, polar_site_access

    cat = _catalog(catalog)
    res = access if access is not None else polar_site_access(cat, at=at)
    radius = next((s.radius for s in lunar_sites(cat).sites
                   if s.mission_key == "ilrs" and s.radius is not None), None)
    kw = {} if radius is None else {"ilrs_radius": radius}
    return south_pole_access_figure(res.access, res.skies, **kw)


def _docking_matrix_figure():
    from .docking import docking_matrix_figure

    return docking_matrix_figure()


_FIGURES = {
    "sites": lambda cat, ms, at, el: sites_figure(cat, at=at, elements=el),
    "plane-angle": lambda cat, ms, at, el: plane_angle_figure(cat, at=at, elements=el),
    "timeline": lambda cat, ms, at, el: timeline_figure(cat, ms, at=at),
    "transfer-families": lambda cat, ms, at, el: transfer_families_figure(cat, ms),
    "porkchop": lambda cat, ms, at, el: porkchop(
        [s.name for s in station_subjects(cat, at=at, elements=el)], catalog=cat, at=at,
        elements=el)[0],
    "lunar-porkchop": lambda cat, ms, at, el: porkchop(
        lunar=(ms[0].name if ms else "Luna-25"), catalog=cat, at=at)[0],
    "orbits-3d": lambda cat, ms, at, el: orbits_3d_figure(cat, at=at, elements=el),
    "docking-matrix": lambda cat, ms, at, el: _docking_matrix_figure(),
    "mars-window": lambda cat, ms, at, el: mars_window_figure(),
    "south-pole-access": lambda cat, ms, at, el: south_pole_figure(cat, at=at),
}
#: Names accepted by :func:`figure` and ``mission-compare plot``.
FIGURE_NAMES = tuple(_FIGURES)


def figure(name: str, *, catalog=None, missions=None, at=None, elements=None):
    """Return one figure by name (:data:`FIGURE_NAMES`).

    A matplotlib Figure, except ``orbits-3d``, an interactive plotly Figure.

    Parameters
    ----------
    name : str
        One of :data:`FIGURE_NAMES` (case, spaces and underscores are forgiven).
    catalog : missions.Catalog, optional
    missions : list of str, optional
        Narrows the timeline and the transfer-family chart, and picks the mission of
        ``lunar-porkchop``.
    at : Time or str, optional
        The analysis date (default now, UTC): station figures use the element sets nearest
        it and start from it; time axes mark it.
    elements : None, path, list of paths or orbits.history.Histories
        See :func:`missions.subjects.element_histories`.
    """
    if not isinstance(name, str):
        from orbits.errors import ArgumentTypeError

        raise ArgumentTypeError(f"figure name must be a string, got {name!r}")
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in _FIGURES:
        close = difflib.get_close_matches(key, FIGURE_NAMES, n=3, cutoff=0.5)
        hint = "; did you mean " + ", ".join(repr(c) for c in close) + "?" if close else ""
        from orbits.errors import NotFoundError

        raise NotFoundError(f"figure name {name!r} is not known; choose from: "
                            f"{', '.join(FIGURE_NAMES)}{hint}")
    from .subjects import analysis_time, element_histories

    cat = _catalog(catalog)
    ms = [cat.mission(n) for n in missions] if missions else None
    t = analysis_time(at)
    hist = element_histories(elements)
    with _quiet():
        return _FIGURES[key](cat, ms, t, hist)


def embed_png(fig) -> str:
    """Return a matplotlib Figure as a ``data:image/png;base64,...`` URI (for the report)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
