"""Whether a vehicle launched from a site can reach a station's orbit plane, and at what cost.

Komarov's objection to joining the Chinese station (seed 002: "they have a different orbital
inclination, a different orbit") made quantitative: for each (vehicle, launch site, station)
the table says whether a direct ascent reaches the station's inclination, whether the site is
documented to fly it, and otherwise the Δv of the plane change needed, against the vehicle's
published Δv capacity where the catalog has one.

Stations come from the catalog's missions of kind ``"station"``, as of the analysis date
``at`` (default now): a station whose record names element sets (``tle_names``: the ISS and
the Chinese station) takes its inclination and mean altitude from the set nearest that date
(packaged history, user cache, or the user's ``elements=``), the others their catalog Earth
orbits; if the catalog has no stations, the ISS and the Chinese station from their element
sets. Each element set used is reported with its epoch and age, and stale ones warn
(:class:`orbits.errors.StaleInputWarning`). Geometry and costs come from
:mod:`orbits.launch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.table import MaskedColumn, QTable

from orbits._validation import describe_value
from orbits.core.constants import R_EARTH as _RE
from orbits.core.sites import circular_speed
from orbits.errors import (
    ArgumentError,
    ArgumentTypeError,
    NotFoundError,
    ValidationError,
)

__all__ = ["DEFAULT_SCENARIOS", "StationOrbit", "station_compatibility", "station_orbits"]

#: (vehicle, launch site) pairs examined by default: each programme's crew and cargo ships from
#: their usual sites, plus Vostochny for the Russian ships (a planned ROS site). A vehicle may be
#: given as a tuple of candidate names (catalog keys have changed as records were added); the
#: first one the catalog knows is used, and pairs it does not know are skipped with a note.
DEFAULT_SCENARIOS = (
    ("soyuz-ms", "baikonur"),
    ("progress-ms", "baikonur"),
    ("soyuz-ms", "vostochny"),
    (("orel-spacecraft", "orel", "Orel spacecraft"), "vostochny"),
    ("shenzhou", "jiuquan"),
    ("tianzhou", "wenchang"),
    (("mengzhou-spacecraft", "mengzhou", "Mengzhou crew spacecraft"), "wenchang"),
)

_TLE_STATIONS = (("ISS", "ISS (ZARYA)"), ("Chinese space station", "CSS (TIANHE)"))

#: Tolerance when matching a station's inclination to a site's documented inclinations.
_DOC_TOL_DEG = 0.15


@dataclass(frozen=True)
class StationOrbit:
    """A station's orbit plane as the verdict needs it.

    ``input`` (an :class:`orbits.results.InputSet`) and ``warning`` (the stale message, or "")
    are set when it comes from an element set.
    """

    key: str
    name: str
    agency: str
    inclination: u.Quantity
    altitude: u.Quantity
    source: str
    input: object = None
    warning: str = ""


def _from_elements(key, name, agency, history, at):
    from orbits.history import assess_age, stale_message

    es = history.at(at)
    inp = assess_age(es, at, warn=False)
    src = (f"elements {es.name} epoch {es.epoch.utc.isot[:16].replace('T', ' ')} UTC "
           f"({Path(es.source).name if es.source else 'user'})")
    return StationOrbit(key, name, agency, es.inc.to(u.deg), es.altitude.to(u.km), src,
                        input=inp, warning=stale_message(es, at) or "")


def station_orbits(catalog=None, *, include_retired=False, at=None, elements=None,
                   warn: bool = True) -> list[StationOrbit]:
    """Stations from the catalog (kind ``"station"``) as of ``at``, or from the element sets.

    ``at`` (Time or ISO string, default now) and ``elements`` (None, path(s) or
    ``orbits.history.Histories``; :func:`missions.subjects.element_histories`) choose the
    element set of each station whose record names one (the set nearest ``at``). A station
    with several Earth orbits in the catalog (the ROS plan at 51.6 deg and the earlier 97 deg
    plan) gives one entry per distinct inclination, named with it. Deorbited, cancelled and
    failed stations are left out unless ``include_retired``. Element sets more than 14 days
    from ``at`` give a :class:`~orbits.errors.StaleInputWarning` (unless ``warn`` is false)
    and the entry's ``warning``.
    """
    out = _station_orbits(catalog, include_retired, at, elements)
    if warn:
        from .subjects import emit_stale

        emit_stale([s.warning for s in out if s.warning])
    return out


def _station_orbits(catalog, include_retired, at, elements):
    from .subjects import _history_for, analysis_time, element_histories

    if catalog is None:
        from missions import load_catalog

        catalog = load_catalog()
    t = analysis_time(at)
    hist = element_histories(elements)
    out = []
    for m in catalog.missions:
        if m.kind != "station":
            continue
        if not include_retired and m.status in ("deorbited", "cancelled", "failed"):
            continue
        h = _history_for(m, hist)
        if h is not None:
            out.append(_from_elements(m.key, m.name, m.agency, h, t))
            continue
        earth = []
        for o in m.orbits:
            if o.body == "Earth" and all(o.inclination != e.inclination for e in earth):
                earth.append(o)
        for k, o in enumerate(earth):
            alt = (0.5 * (o.periapsis + o.apoapsis)).to(u.km)
            inc = o.inclination.to(u.deg)
            name = m.name if len(earth) == 1 else f"{m.name} ({inc.to_value(u.deg):.1f}°)"
            key = m.key if k == 0 else f"{m.key}#{k + 1}"
            out.append(StationOrbit(key, name, m.agency, inc, alt, o.source))
    if out:
        return out
    agencies = {"ISS": "International", "Chinese space station": "CMSA"}
    for name, tle_name in _TLE_STATIONS:
        out.append(_from_elements(tle_name, name, agencies[name], hist[tle_name], t))
    return out


def _first_vehicle(catalog, names):
    """Return the catalog's vehicle for ``names`` (one name, or candidates tried in order)."""
    if isinstance(names, str):
        return catalog.vehicle(names)
    error = None
    for name in names:
        try:
            return catalog.vehicle(name)
        except KeyError as exc:
            error = error or exc
    if error is None:
        raise ArgumentError(f"no vehicle names given: {describe_value(names)}")
    if isinstance(error, ValidationError):
        raise error
    raise NotFoundError(error.args[0] if error.args else str(error)) from None


def _documented(site, inc_deg):
    for r in site.inclinations:
        lo, hi = r.min.to_value(u.deg), r.max.to_value(u.deg)
        if lo - _DOC_TOL_DEG <= inc_deg <= hi + _DOC_TOL_DEG:
            return r
    return None


def _nearest_documented(site, inc_deg):
    """(inclination in deg, range) of the documented inclination closest to ``inc_deg``."""
    best = None
    for r in site.inclinations:
        lo, hi = r.min.to_value(u.deg), r.max.to_value(u.deg)
        near = min(max(inc_deg, lo), hi)
        if best is None or abs(near - inc_deg) < abs(best[0] - inc_deg):
            best = (near, r)
    return best


def station_compatibility(scenarios=None, *, stations=None, catalog=None, at=None,
                          elements=None) -> QTable:
    """Tabulate whether each vehicle from its site reaches each station, and at what Δv.

    One row per (vehicle, site, station): reachable by a direct ascent? the plane-change Δv
    otherwise? within the vehicle's capacity?

    Parameters
    ----------
    scenarios : iterable of (vehicle, site) names or keys, optional
        Default :data:`DEFAULT_SCENARIOS` (those present in the catalog).
    stations : list of :class:`StationOrbit`, optional
        Default :func:`station_orbits` of the catalog as of ``at``.
    at : Time or str, optional
        The analysis date (default now, UTC): stations with element sets use the set nearest
        it.
    elements : None, path, list of paths or orbits.history.Histories
        See :func:`missions.subjects.element_histories`.
    catalog : missions.Catalog, optional
        Default ``missions.load_catalog()``.

    Returns
    -------
    astropy.table.QTable
        Columns: ``vehicle``, ``site``, ``station``, ``site_latitude`` (geocentric, deg),
        ``station_inclination`` (deg), ``min_inclination`` (deg), ``direct`` (bool: a direct
        ascent reaches the plane), ``documented`` (the site's catalog lists that inclination),
        ``plane_change`` (deg), ``dv_needed`` (km/s, plane change at the station's altitude
        after insertion at the nearest reachable inclination), ``dv_capacity`` (km/s, masked
        where unpublished), ``verdict`` (text) and ``sources`` (catalog source keys).
        ``meta["notes"]`` lists skipped scenarios and the model's assumptions;
        ``meta["analysis_date"]`` (ISO), ``meta["inputs"]`` (the element sets used, as
        :class:`orbits.results.InputSet`) and ``meta["warnings"]`` (stale elements).
    """
    from orbits.launch import dogleg_dv, geocentric_latitude
    from orbits.planes import plane_change_dv

    if catalog is None:
        from missions import load_catalog

        catalog = load_catalog()
    from .subjects import analysis_time

    t_at = analysis_time(at)
    stations = (station_orbits(catalog, at=t_at, elements=elements, warn=False)
                if stations is None else list(stations))
    if not stations:
        raise ArgumentError("no stations to compare: the catalog has no missions of kind "
                         "'station' and none were given")
    notes = [
        ("direct: inclination >= the site's geocentric latitude (due-east launch gives the "
        "minimum); range-safety corridors are reported as 'documented', not enforced"),
        ("dv_needed: insert at the nearest reachable inclination, then turn the plane at the "
        "node at the station's altitude (2 v sin(di/2)); no ascent losses, no phasing"),
        ("dv_from_documented: the same plane change, starting from the site's documented "
        "inclination nearest the station's (drop zones and range safety, not geometry, set "
        "those corridors: Baikonur flies 51.5 deg and up although its latitude allows 45.8)"),
    ]
    rows = []
    for pair in DEFAULT_SCENARIOS if scenarios is None else scenarios:
        try:
            veh_name, site_name = pair
        except (TypeError, ValueError):
            raise ArgumentTypeError(f"each scenario must be a (vehicle, site) pair, got "
                                    f"{describe_value(pair)}") from None
        try:
            site = catalog.site(site_name)
            veh = _first_vehicle(catalog, veh_name)
        except KeyError as exc:
            if scenarios is None:
                notes.append(f"skipped default scenario {pair}: {exc.args[0]}")
                continue
            if isinstance(exc, ValidationError):
                raise
            raise NotFoundError(exc.args[0] if exc.args else str(exc)) from None
        lat_gc = geocentric_latitude(site.latitude)
        cap = veh.delta_v
        for st in stations:
            res = dogleg_dv(site.latitude, st.inclination, altitude=st.altitude)
            doc = _documented(site, st.inclination.to_value(u.deg))
            dv = res.dv.to(u.km / u.s)
            nearest = _nearest_documented(site, st.inclination.to_value(u.deg))
            if doc is not None:  # flown from here: no turn needed
                doc_inc, doc_dv = st.inclination.to(u.deg), 0.0 * u.km / u.s
            elif nearest is None:
                doc_inc, doc_dv = None, None
            else:
                doc_inc = nearest[0] * u.deg
                speed = circular_speed(_RE + st.altitude.to_value(u.km)) * u.km / u.s
                doc_dv = plane_change_dv(speed, abs(doc_inc - st.inclination)).to(u.km / u.s)
            if res.direct:
                verdict = "direct ascent" + (" (documented)" if doc else
                                             " possible (not documented from this site)")
                if not doc and doc_dv is not None:
                    verdict += (f"; from the nearest documented corridor "
                                f"({doc_inc.to_value(u.deg):.1f}°) "
                                f"{doc_dv.to_value(u.m / u.s):.0f} m/s")
            elif cap is None:
                verdict = (f"plane change {dv.to_value(u.m / u.s):.0f} m/s; "
                           f"Δv capacity not published")
                if doc_dv is not None and doc_dv > dv:
                    verdict += (f"; {doc_dv.to_value(u.m / u.s):.0f} m/s from the nearest "
                                f"documented corridor ({doc_inc.to_value(u.deg):.1f}°)")
            elif dv <= cap:
                verdict = f"plane change {dv.to_value(u.m / u.s):.0f} m/s within capacity"
            else:
                verdict = f"plane change {dv.to_value(u.m / u.s):.0f} m/s exceeds capacity"
            srcs = [site.source, veh.source, st.source] + ([doc.source] if doc else [])
            if cap is not None:
                srcs.append(veh.fact("delta_v").source)
            rows.append({
                "vehicle": veh.name,
                "site": site.name,
                "station": st.name,
                "site_latitude": lat_gc.to(u.deg),
                "station_inclination": st.inclination.to(u.deg),
                "min_inclination": abs(lat_gc.to(u.deg)),
                "direct": bool(res.direct),
                "documented": doc is not None,
                "plane_change": res.plane_change.to(u.deg),
                "dv_needed": dv,
                "dv_capacity": cap,
                "documented_inclination": doc_inc,
                "dv_from_documented": doc_dv,
                "verdict": verdict,
                "sources": ", ".join(dict.fromkeys(srcs)),
            })
    if not rows:
        raise ArgumentError("no scenario could be evaluated: " + "; ".join(notes[3:]))
    t = QTable()
    for col in ("vehicle", "site", "station"):
        t[col] = [r[col] for r in rows]
    for col, unit in (("site_latitude", u.deg), ("station_inclination", u.deg),
                      ("min_inclination", u.deg)):
        t[col] = u.Quantity([r[col].to_value(unit) for r in rows], unit)
    t["direct"] = np.array([r["direct"] for r in rows])
    t["documented"] = np.array([r["documented"] for r in rows])
    t["plane_change"] = u.Quantity([r["plane_change"].to_value(u.deg) for r in rows], u.deg)
    t["dv_needed"] = u.Quantity([r["dv_needed"].to_value(u.km / u.s) for r in rows], u.km / u.s)
    for col, unit, what in (
        ("documented_inclination", u.deg,
         "the site's documented inclination nearest the station's"),
        ("dv_from_documented", u.km / u.s, "plane change from that documented inclination"),
    ):
        vals = [r[col] for r in rows]
        t[col] = MaskedColumn([v.to_value(unit) if v is not None else 0.0 for v in vals],
                              mask=[v is None for v in vals], unit=unit, description=what)
    caps = [r["dv_capacity"] for r in rows]
    t["dv_capacity"] = MaskedColumn(
        [c.to_value(u.km / u.s) if c is not None else 0.0 for c in caps],
        mask=[c is None for c in caps], unit=u.km / u.s,
        description="published Δv capacity of the vehicle (masked: not published)")
    t["verdict"] = [r["verdict"] for r in rows]
    t["sources"] = [r["sources"] for r in rows]
    for col, text in (("site_latitude", "geocentric latitude of the launch site"),
                      ("dv_needed", "plane-change Δv at the station's altitude")):
        t[col].info.description = text
    t.meta["notes"] = notes
    t.meta["analysis_date"] = t_at.utc.isot[:19]
    t.meta["inputs"] = [st.input for st in stations if getattr(st, "input", None) is not None]
    t.meta["warnings"] = list(dict.fromkeys(st.warning for st in stations
                                            if getattr(st, "warning", "")))
    from .subjects import emit_stale

    emit_stale(t.meta["warnings"])
    return t
