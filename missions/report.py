"""The comparison report (``mission-compare report``) and the named figures (``plot``).

:func:`build_report` renders ``missions/templates/report.html.j2`` into one self-contained
``index.html``: tables, the numbered source list and figures embedded as base64 PNG, so it
opens offline. :func:`figure` makes any one of the report's figures by name (see
:data:`FIGURE_NAMES`); :func:`porkchop` makes a transfer porkchop and its best windows.

The pieces other modules provide (site and plane figures, compatibility verdicts, lunar
profiles and transfer-family charts) are used when present; each fallback is stated in the
report where it applies.
"""

from __future__ import annotations

import base64
import difflib
import io
import math
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.time import Time

__all__ = ["DEFAULT_STATIONS", "FIGURE_NAMES", "SECTION_IDS", "build_report", "figure", "porkchop"]

#: Section ids of the report, in order (each is an HTML ``<section id=...>``).
SECTION_IDS = ("catalog", "sources", "sites", "stations", "windows", "lunar", "timeline")

#: The two stations compared by default: catalog names, then TLE names if the catalog lacks them.
DEFAULT_STATIONS = (("ISS", "ISS (ZARYA)"), ("Chinese space station", "CSS (TIANHE)"))

#: (site, station) pairs for the launch-window section.
WINDOW_PAIRS = (("Baikonur", 0), ("Vostochny", 0), ("Jiuquan", 1), ("Wenchang", 1))

_KMS = u.km / u.s


# --- small helpers ----------------------------------------------------------------------------


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


def short_name(sub) -> str:
    """A short label for a compared subject: the shortest ASCII name or alias ("ISS", "CSS")."""
    rec = sub.record
    if rec is None:
        return sub.name
    names = [n for n in (rec.name, *rec.aliases) if n.isascii() and len(n) >= 3]
    return min(names, key=len) if names else rec.name


def _short_source(sub) -> str:
    src = sub.elements_source
    return src.replace(" (epoch ", " ").replace(")", "") if src.startswith("TLE ") else src


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
        label = short_name(sub)
        stations[label] = sub.elements["inc"]
        rec = sub.record
        agencies[label] = rec.agency if rec is not None else ("International" if "ISS" in sub.name else "CMSA")
    return reachable_inclinations(
        sites, stations, corridors=corridors, agencies=agencies,
        source="catalog site latitudes (WGS 84) and corridors; stations: "
               + "; ".join(_short_source(s) for s in subs),
    )


def plane_angle_figure(catalog=None, *, days=None, subjects=None):
    """The two stations' node difference, plane angle and plane-change Δv (at the lower
    station's speed) over two J2 node cycles (:func:`orbits.plots.planes.plane_history`)."""
    import orbits
    from orbits.plots.planes import plane_history

    from .compare import _circular_speed

    a, b = subjects if subjects is not None else station_subjects(catalog)[:2]
    e1, e2 = a.elements, b.elements
    if "raan" not in e1 or "raan" not in e2:
        raise ValueError(f"a plane-angle history needs both nodes (TLEs); {a.name} or {b.name} has none")
    # both nodes come from TLEs here: drift them with SGP4's secular model (J2, J2^2, J4)
    rate = orbits.relative_node_drift(e1, e2, second_order=True)
    cycle = (360 * u.deg / abs(rate)).to(u.day)
    span = days * u.day if days is not None else 2 * cycle
    t0 = max(e1["epoch"], e2["epoch"])
    t = t0 + np.linspace(0, span.to_value(u.day), 600) * u.day
    hist = orbits.plane_angle_history(e1, e2, t, second_order=True)
    al = orbits.plane_alignments(e1, e2, start=t0, count=3, second_order=True)
    v = _circular_speed(min(e1["a"], e2["a"]))
    return plane_history(
        hist, labels=(short_name(a), short_name(b)), speed=v, alignments=al,
        source=f"{_short_source(a)}; {_short_source(b)}; SGP4 secular (J2, J2², J4) node drift, cycle "
               f"{cycle.to_value(u.day):.0f} d; Δv at the lower orbit's speed",
    )


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
        raise ValueError(f"a station porkchop needs TLE elements; {sub.name} has {src or 'none'}")
    t = load_tles()[name]
    return {"a": t.a, "ecc": t.ecc, "inc": t.inc, "raan": t.raan, "argp": t.argp, "M": t.mean_anomaly,
            "epoch": t.epoch}


def porkchop(names=(), *, lunar=None, start=None, days=None, top=5, catalog=None):
    """A porkchop figure and a QTable of its best windows.

    ``names``: two stations (station-to-station Lambert search, :func:`orbits.station_transfer_search`);
    or ``lunar``: one lunar mission (Earth-Moon, :func:`orbits.lunar_porkchop`).
    """
    from astropy.table import QTable

    from .compare import _parking_inclination, parse_start, resolve

    cat = _catalog(catalog)
    if lunar is not None:
        import orbits

        m = cat.mission(lunar)
        if m.target != "Moon":
            raise ValueError(f"--lunar needs a lunar mission, got {lunar!r} (target {m.target})")
        i_park, site = _parking_inclination(m, cat)
        if start is None:
            t0 = Time(m.launch_date.time.utc.isot[:10]) - 7 * u.day if m.launch_date else Time("2026-01-01")
        else:
            t0 = parse_start(start, "--start")
        span = 28.0 if days is None else float(days)
        dep = t0 + np.arange(0, span, 0.25) * u.day
        tofs = np.linspace(3.0, 7.0, 33) * u.day
        orbit = m.orbit("Moon")
        kw = {}
        if orbit is not None:
            kw = {"lunar_periapsis_altitude": max(orbit.periapsis, 1 * u.km),
                  "lunar_apoapsis_altitude": max(orbit.apoapsis, orbit.periapsis, 1 * u.km)}
        res = orbits.lunar_porkchop(dep, tofs, parking_inclination=i_park, **kw)
        fig = _lunar_porkchop_figure(res, m, site)
        tot = np.where(res.ok, res.total_dv.to_value(_KMS), np.inf)
        j = np.argmin(tot, axis=1)
        per_day = tot[np.arange(tot.shape[0]), j]
        order = [i for i in np.argsort(per_day) if np.isfinite(per_day[i])]
        picked = []
        for i in order:  # one per 2 days, so the list is not one window repeated
            if all(abs(i - p) >= 8 for p in picked):
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
        return fig, _rounded(best)
    if len(names) != 2:
        raise ValueError(f"porkchop needs two station names, got {len(names)}")
    from orbits import transfers
    from orbits.plots import porkchop as plot_mod

    s1, s2 = resolve(names[0], cat), resolve(names[1], cat)
    for s in (s1, s2):
        if s.kind != "earth orbit":
            raise ValueError(f"porkchop stations must be Earth-orbiting stations, got {s.name!r} ({s.kind})")
    o1, o2 = _station_orbit_for_search(s1), _station_orbit_for_search(s2)
    # Default: 12 days centred on the next node alignment (the smallest plane angle). The
    # stations' periods differ by ~0.5 min, so their relative phase takes ~11 days to come
    # round: a shorter span can miss the well-phased departures (one day around the 2024-10-06
    # alignment gives 2.27 km/s at best, twelve days 1.41 km/s against the 1.36 km/s plane
    # change).
    span = 12.0 if days is None else float(days)
    if start is None:
        import orbits

        aligned = orbits.plane_alignments(o1, o2, count=1, second_order=True).aligned[0]
        t0 = aligned - span / 2 * u.day
    else:
        t0 = parse_start(start, "--start")
    dep = t0 + np.arange(0, span * 1440, 5) * u.min
    tof = np.arange(30, 361, 10) * u.min
    res = transfers.station_transfer_search(o1, o2, dep, tof, second_order=True)
    n = max(1, min(top, len(res.minima))) if len(res.minima) else 0
    fig = plot_mod.porkchop_figure(
        res, n_best=min(top, len(res.minima)),
        title=f"{s1.name} → {s2.name}: two-impulse transfers",
        source=f"{s1.elements_source}; {s2.elements_source}; Lambert (Izzo) between orbits drifting with SGP4's secular J2, J2², J4",
    )
    best = res.best(n) if n else QTable({"departure": [], "tof": [] * u.min})
    return fig, _rounded(best)


def _rounded(table, decimals=4):
    """Round the float Quantity columns of a table for printing."""
    for name in table.colnames:
        col = table[name]
        if isinstance(col, u.Quantity) and col.dtype.kind == "f":
            table[name] = np.round(col, decimals)
    return table


def _lunar_porkchop_figure(res, mission, site):
    from orbits.plots.lunar import porkchop_figure

    return porkchop_figure(
        res, title=f"{mission.name}: Earth–Moon transfers from {site.split(' (')[0]} "
                   f"(parking {res.parking_inclination.to_value(u.deg):.1f}°)")


def timeline_figure(catalog=None, missions=None):
    from .timeline import timeline_figure as tf

    return tf(missions, catalog=_catalog(catalog))


def orbits_3d_figure(catalog=None):
    """The ISS and the Chinese station drawn together in an interactive 3D view (Plotly, through
    boinor's ``OrbitPlotter``) at their next node alignment; a plotly Figure, not matplotlib."""
    import orbits
    from orbits.plots.orbit3d import orbit_view
    from orbits.tle import load_tles

    tles = load_tles()
    iss, css = tles["ISS (ZARYA)"], tles["CSS (TIANHE)"]
    when = orbits.plane_alignments(iss, css, count=1, second_order=True).aligned[0]
    return orbit_view(
        {"ISS": iss, "CSS": css}, time=when, agencies={"ISS": "International", "CSS": "CMSA"},
        title=f"ISS and Chinese station at their node alignment, {when.iso[:10]} (TLEs of 2024-05-09)",
    )


_FIGURES = {
    "sites": lambda cat, ms: sites_figure(cat),
    "plane-angle": lambda cat, ms: plane_angle_figure(cat),
    "timeline": lambda cat, ms: timeline_figure(cat, ms),
    "transfer-families": lambda cat, ms: transfer_families_figure(cat, ms),
    "porkchop": lambda cat, ms: porkchop([s.name for s in station_subjects(cat)], catalog=cat)[0],
    "lunar-porkchop": lambda cat, ms: porkchop(
        lunar=(ms[0].name if ms else "Luna-25"), catalog=cat)[0],
    "orbits-3d": lambda cat, ms: orbits_3d_figure(cat),
}
#: Names accepted by :func:`figure` and ``mission-compare plot``.
FIGURE_NAMES = tuple(_FIGURES)


def figure(name: str, *, catalog=None, missions=None):
    """One figure by name (:data:`FIGURE_NAMES`): a matplotlib Figure, except ``orbits-3d``,
    which is an interactive plotly Figure.

    ``missions`` (names) narrows the timeline and the transfer-family chart, and picks the
    mission of ``lunar-porkchop``.
    """
    if not isinstance(name, str):
        raise TypeError(f"figure name must be a string, got {name!r}")
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key not in _FIGURES:
        close = difflib.get_close_matches(key, FIGURE_NAMES, n=3, cutoff=0.5)
        hint = "; did you mean " + ", ".join(repr(c) for c in close) + "?" if close else ""
        raise ValueError(f"figure name {name!r} is not known; choose from: {', '.join(FIGURE_NAMES)}{hint}")
    cat = _catalog(catalog)
    ms = [cat.mission(n) for n in missions] if missions else None
    with _quiet():
        return _FIGURES[key](cat, ms)


def _embed(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# --- report -----------------------------------------------------------------------------------


class _Citations:
    """Numbers the sources in order of first citation; the report's source list."""

    def __init__(self, cat):
        self.cat, self.order = cat, {}

    def ref(self, key):
        if key not in self.order:
            self.order[key] = len(self.order) + 1
        return self.order[key]

    def refs(self, keys):
        return sorted({self.ref(k) for k in keys})

    def items(self):
        out = []
        for key, n in self.order.items():
            src = self.cat.sources.get(key)
            out.append({
                "n": n, "key": key,
                "text": src.cite() if src else key,
                "url": getattr(src, "url", None),
                "seed": getattr(src, "seed", None),
            })
        return out


def _table(columns, rows, caption="", refs_col=None):
    return {"caption": caption, "columns": list(columns), "rows": rows, "refs_col": refs_col}


def _qtable_rows(t, cols=None, digits=4):
    cols = cols or t.colnames
    return [[_fmt(row[c], digits) for c in cols] for row in t]


class _Report:
    def __init__(self, cat, selection, progress):
        self.cat = cat
        self.selection = selection
        self.cites = _Citations(cat)
        self.sections = []
        self.timings = {}
        self.progress = progress

    # each method returns a section dict
    def catalog_section(self):
        ms = self.selection if self.selection is not None else list(self.cat.missions)
        rows = []
        for m in ms:
            o = m.orbit()
            rows.append({
                "cells": [
                    m.name, m.agency, m.kind, m.status, m.target,
                    str(m.launch_date) if m.launch_date else "",
                    self.cat.site(m.launch_site).name if m.launch_site else "",
                    self.cat.vehicle(m.launch_vehicle).name if m.launch_vehicle else "",
                    f"{o.inclination.to_value(u.deg):g}° ({o.body})" if o is not None else "",
                ],
                "refs": self.cites.refs([*m.sources, *sorted(m.source_keys() - set(m.sources))]),
            })
        n_all = len(self.cat.missions)
        intro = (f"{len(ms)} of {n_all} missions in the catalog"
                 + (" (narrowed with --missions)" if self.selection is not None else "")
                 + f"; {len(self.cat.sites)} launch sites and {len(self.cat.vehicles)} launchers, stages "
                 "and spacecraft. Every fact cites a source: the numbers in the last column point "
                 "at the source list below.")
        cols = ["mission", "agency", "kind", "status", "target", "launch (or plan)", "site",
                "vehicle", "orbit inclination", "sources"]
        return {"id": "catalog", "title": "The catalog", "intro": intro,
                "tables": [{"caption": "Missions", "columns": cols, "rows": rows, "ref_rows": True}],
                "figures": [], "notes": []}

    def sites_section(self):
        import orbits

        rows = []
        for s in self.cat.sites:
            i_min = orbits.min_inclination(s.latitude).to_value(u.deg)
            doc = "; ".join(
                (f"{r.min.to_value(u.deg):g}°" if r.min == r.max else
                 f"{r.min.to_value(u.deg):g}–{r.max.to_value(u.deg):g}°") + (f" ({r.label})" if r.label else "")
                for r in s.inclinations
            )
            rows.append({"cells": [s.name, s.country, f"{s.latitude.to_value(u.deg):.3f}°",
                                   f"{s.longitude.to_value(u.deg):.3f}°", f"{i_min:.2f}°", doc],
                         "refs": self.cites.refs(sorted(s.source_keys()))})
        cols = ["site", "country", "latitude", "longitude", "lowest direct inclination", "documented inclinations", "sources"]
        with _quiet():
            fig = sites_figure(self.cat)
        figs = [{"title": "Inclinations reachable by direct ascent from each site's latitude; solid: "
                          "the widest documented corridor below 90°; dashed: the stations", "src": _embed(fig)}]
        notes = []
        return {"id": "sites", "title": "Launch sites and reachable inclinations",
                "intro": "A direct ascent from a site reaches inclinations from its geocentric latitude "
                         "up to 180° minus it; range safety and drop zones narrow that to the "
                         "documented corridors.",
                "tables": [{"caption": "Launch sites", "columns": cols, "rows": rows, "ref_rows": True}],
                "figures": figs, "notes": notes}

    def stations_section(self):
        from .compare import compare, comparison_table

        subs = station_subjects(self.cat, self.selection)
        if len(subs) < 2:
            return {"id": "stations", "title": "Station inclinations", "intro": (
                "Fewer than two Earth-orbiting stations are in the selection, so there is no "
                "plane-angle analysis."), "tables": [], "figures": [], "notes": []}
        a, b = subs[0], subs[1]
        res = compare(a.name, b.name, self.cat)
        self.cites.ref("tle-stations-2024-05-09") if "tle-stations-2024-05-09" in self.cat.sources else None
        t = comparison_table(res)
        tables = [{"caption": f"{a.name} against {b.name}", "columns": ["quantity", "value", "unit"],
                   "rows": [{"cells": list(r)} for r in _qtable_rows(t)]}]
        notes = list(res.get("notes", []))
        for site_name, k in (("Baikonur", 1), ("Jiuquan", 0)):
            if site_name in self.cat:
                r2 = compare(site_name, subs[k].name, self.cat)
                tables.append({
                    "caption": f"{r2['site']} to {subs[k].name}",
                    "columns": ["quantity", "value", "unit"],
                    "rows": [{"cells": list(r)} for r in _qtable_rows(comparison_table(r2))],
                })
        tables.append(self._verdicts())
        figs = []
        if "raan" in a.elements and "raan" in b.elements:
            with _quiet():
                fig = plane_angle_figure(self.cat, subjects=(a, b))
            figs.append({"title": "Plane angle over the node-drift cycle", "src": _embed(fig)})
        try:
            with _quiet():
                pfig, best = porkchop((a.name, b.name), top=3, catalog=self.cat)
        except ValueError as exc:
            notes.append(f"No station porkchop: {exc}.")
        else:
            figs.append({"title": f"Two-impulse transfers {short_name(a)} → {short_name(b)} around the "
                                  "next node alignment (the cheapest day)", "src": _embed(pfig)})
            tables.append({"caption": "Best transfer windows on that day",
                           "columns": list(best.colnames),
                           "rows": [{"cells": r} for r in _qtable_rows(best)]})
        intro = (f"The {a.elements['inc'].to_value(u.deg):.2f}° and {b.elements['inc'].to_value(u.deg):.2f}° "
                 "planes precess at different J2 rates, so the angle between them swings between "
                 f"{res['min_plane_angle'].to_value(u.deg):.2f}° and {res['max_plane_angle'].to_value(u.deg):.2f}° "
                 f"once every {res['node_cycle'].to_value(u.day):.0f} days. Even at its smallest, turning "
                 f"from one plane to the other costs {res['plane_change_dv'].to_value(_KMS):.2f} km/s "
                 f"(at the orbital speed of the lower station); at the largest, "
                 f"{res['plane_change_dv_max'].to_value(_KMS):.1f} km/s.")
        return {"id": "stations", "title": "Station inclinations: the ISS and the Chinese station",
                "intro": intro, "tables": tables, "figures": figs, "notes": notes}

    def _verdicts(self):
        """The verdict table of :func:`missions.compatibility.station_compatibility`."""
        from .compatibility import station_compatibility

        t = station_compatibility(catalog=self.cat)
        cols = [c for c in ("vehicle", "site", "station", "station_inclination", "min_inclination",
                            "direct", "documented", "plane_change", "dv_needed", "documented_inclination",
                            "dv_from_documented", "dv_capacity", "verdict")
                if c in t.colnames]
        rows = []
        for r, row in zip(_qtable_rows(t, cols, 3), t):
            keys = [k.strip() for k in str(row["sources"]).split(",") if k.strip()] if "sources" in t.colnames else []
            rows.append({"cells": r, "refs": self.cites.refs([k for k in keys if k in self.cat.sources])})
        return {"caption": "Can each crew and cargo ship reach each station's plane from its site? "
                           "(missions.compatibility)",
                "columns": [c.replace("_", " ") for c in cols] + ["sources"], "rows": rows, "ref_rows": True}

    def windows_section(self):
        from .compare import compare, station_launch_windows

        subs = station_subjects(self.cat, self.selection)
        if len(subs) < 1:
            return {"id": "windows", "title": "Launch windows", "intro":
                    "No Earth-orbiting station in the selection.", "tables": [], "figures": [], "notes": []}
        summary, detail = [], []
        for site, k in WINDOW_PAIRS:
            if k >= len(subs) or site not in self.cat:
                continue
            st = subs[k]
            site_rec = self.cat.site(site)
            try:
                w = station_launch_windows(site, st.name, days=7, catalog=self.cat)
            except ValueError:
                c = compare(site, st.name, self.cat)
                remark = (f"not directly: needs a {c['plane_change'].to_value(u.deg):.2f}° dog-leg, "
                          f"{c['dogleg_dv'].to_value(_KMS):.2f} km/s")
                summary.append({"cells": [site_rec.name, st.name, "0", "", "", remark]})
                continue
            first = w[0] if len(w) else None
            summary.append({"cells": [site_rec.name, st.name, str(len(w)),
                                      _fmt(first["time"]) if first is not None else "",
                                      f"{first['azimuth'].to_value(u.deg):.1f}°" if first is not None else "",
                                      "in-plane, twice a day"]})
            if not detail:
                detail = [{"cells": [_fmt(r["time"]), r["pass"], f"{r['azimuth'].to_value(u.deg):.2f}°",
                                     f"{r['raan'].to_value(u.deg):.2f}°"]} for r in w]
                detail_caption = f"{site_rec.name} into the plane of {st.name}, first week"
        tables = [{"caption": "Windows in the week after the station elements' epoch",
                   "columns": ["site", "station", "windows in 7 days", "first window (UTC)", "azimuth", "remark"],
                   "rows": summary}]
        if detail:
            tables.append({"caption": detail_caption, "columns": ["time (UTC)", "pass", "inertial azimuth", "station node"],
                           "rows": detail})
        return {"id": "windows", "title": "Launch windows into the station planes",
                "intro": "A launch goes straight into a station's plane when the site rotates through "
                         "that plane: twice a day for a site below the plane's inclination, never "
                         "for one above it. The plane itself drifts west by about 5–6° a day.",
                "tables": tables, "figures": [], "notes": [
                    ("Times from orbits.launch_windows (GMST, in-plane condition); the node drifts "
                     "with the first-order J2 rate from the TLE epoch.")]}

    def lunar_section(self):
        from .compare import compare, lunar_budget

        ms = [m for m in (self.selection or self.cat.missions)
              if m.target in ("Moon", "Earth-Moon L2") and m.kind != "programme"
              and (m.transfer or m.launch_site)]
        rows, assumed = [], []
        notes = []
        for m in ms:
            b = lunar_budget(m, self.cat)
            rows.append({"cells": [m.name, m.agency, b.get("transfer_kind", ""), b["launch_site"],
                                   _fmt(b["parking_inclination"], 3), b["lunar_orbit"],
                                   _fmt(b["budget_tof"], 3), b.get("moon_model", ""),
                                   _fmt(b["tli_dv"], 3), _fmt(b["loi_dv"], 3), _fmt(b["total_dv"], 3)],
                         "refs": self.cites.refs([leg.source for leg in m.transfer] + [o.source for o in m.orbits]
                                                 + ([m.launch.source] if m.launch else []))})
            if b.get("assumptions"):
                assumed.append({"cells": [m.name, b["assumptions"]]})
        tables = [{"caption": "Lunar missions: transfer and budget, each from its own launch site",
                   "columns": ["mission", "agency", "transfer", "launch site", "parking inclination",
                               "lunar orbit", "time of flight", "Moon", "TLI", "LOI", "TLI + LOI", "sources"],
                   "rows": rows, "ref_rows": True}]
        if assumed:
            tables.append({"caption": "What each budget assumes where the catalog is silent",
                           "columns": ["mission", "assumptions"], "rows": assumed})
        with_orbit = [m for m in ms if m.orbit("Moon") is not None]
        pairs = [(a, b) for i, a in enumerate(with_orbit) for b in with_orbit[i + 1:] if a.agency != b.agency]
        for a, b in pairs[:2]:
            r = compare(a.name, b.name, self.cat)
            keep = ["a_lunar_inclination", "b_lunar_inclination", "min_plane_angle", "max_plane_angle",
                    "plane_change_dv", "a_total_dv", "b_total_dv"]
            tables.append({"caption": f"{a.name} and {b.name} in lunar orbit", "columns": ["quantity", "value"],
                           "rows": [{"cells": [k, _fmt(r[k])]} for k in keep if k in r]})
        figs = []
        if ms:
            with _quiet():
                fig = transfer_families_figure(self.cat, ms)
            figs.append({"title": "Transfer families", "src": _embed(fig)})
            flown = [m for m in ms if m.launch_date is not None and m.launch_site is not None]
            if flown:
                m = flown[0]
                with _quiet():
                    pfig, best = porkchop(lunar=m.name, top=3, catalog=self.cat)
                figs.append({"title": f"{m.name}: Earth–Moon transfers around its launch date", "src": _embed(pfig)})
                tables.append({"caption": f"{m.name}: cheapest departures in that month",
                               "columns": list(best.colnames),
                               "rows": [{"cells": r} for r in _qtable_rows(best)]})
        return {"id": "lunar", "title": "Lunar transfer profiles and budgets",
                "intro": "How each lunar mission gets to the Moon and what the trip costs from its own "
                         "launch site: a patched-conic TLI from a 200 km parking orbit and a capture "
                         "burn into the catalog's lunar orbit (100 km circular where none is given).",
                "tables": tables, "figures": figs, "notes": notes}

    def timeline_section(self):
        from .timeline import slip_table, timeline_figure

        ms = self.selection
        with _quiet():
            fig = timeline_figure(ms, catalog=self.cat)
            st = slip_table(ms, catalog=self.cat)
        rows = [{"cells": r} for r in _qtable_rows(st)]
        return {"id": "timeline", "title": "Announced against actual dates",
                "intro": "Each line runs from the day a launch date was announced to the date it named; "
                         "stars are launches, a cross a launch that failed, an open diamond the current plan.",
                "tables": [{"caption": "Slip from the first announced date", "columns": list(st.colnames),
                            "rows": rows}],
                "figures": [{"title": "Timeline", "src": _embed(fig)}], "notes": []}

    def sources_section(self):
        return {"id": "sources", "title": "Sources", "intro":
                "Every source cited in this report, numbered in order of first citation. Seed texts are "
                "quoted verbatim from seeds/.", "tables": [], "figures": [], "notes": [],
                "sources": self.cites.items()}


def build_report(out, *, missions=None, catalog=None, progress=True) -> Path:
    """Write ``out/index.html``, the self-contained comparison report, and return its path.

    Parameters
    ----------
    out : str or Path
        Directory (created if missing).
    missions : sequence of str, optional
        Mission names narrowing the catalog table, the timeline, the lunar section and (if two
        Earth-orbiting missions are among them) the station analysis.
    catalog : missions.Catalog, optional
    progress : bool
        A tqdm progress bar on stderr.
    """
    import jinja2
    from tqdm import tqdm

    cat = _catalog(catalog)
    selection = None
    if missions is not None:
        if isinstance(missions, str):
            raise TypeError(f"missions must be a list of names, got the string {missions!r}")
        selection = [cat.mission(n) for n in missions]
        if not selection:
            raise ValueError("missions must name at least one mission")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out must be a directory, got the file {str(out)!r}")
    out.mkdir(parents=True, exist_ok=True)
    rep = _Report(cat, selection, progress)
    steps = [("catalog", rep.catalog_section), ("sites", rep.sites_section),
             ("stations", rep.stations_section), ("windows", rep.windows_section),
             ("lunar", rep.lunar_section), ("timeline", rep.timeline_section),
             ("sources", rep.sources_section)]
    built = {}
    bar = tqdm(steps, desc="report", unit="section", file=sys.stderr, disable=not progress, leave=False)
    for sid, fn in bar:
        bar.set_postfix_str(sid)
        t0 = time.perf_counter()
        built[sid] = fn()
        rep.timings[sid] = time.perf_counter() - t0
    sections = [built[s] for s in SECTION_IDS]
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("missions", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True, lstrip_blocks=True,
    )
    html = env.get_template("report.html.j2").render(
        title="Russian and Chinese lunar and space-station programmes compared",
        generated=Time.now().utc.isot[:16].replace("T", " ") + " UTC",
        sections=sections,
        selection=[m.name for m in selection] if selection else None,
        counts={"missions": len(cat.missions), "sites": len(cat.sites), "vehicles": len(cat.vehicles),
                "sources": len(cat.sources)},
        timings=rep.timings,
    )
    path = out / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
