"""One verdict for a visit: can a vehicle, from its launch site, reach and dock to a station.

:func:`visit` puts together, as of an analysis date:

- the launch site: the one :data:`missions.compatibility.DEFAULT_SCENARIOS` pairs with the
  vehicle (Soyuz MS and Progress MS from Baikonur, Orel from Vostochny, Shenzhou from
  Jiuquan...), the docking data's ``launch_site`` for vehicles outside the catalog, or
  ``site=``;
- the station's plane (the element set nearest the date for the ISS and the Chinese station,
  the catalog orbit for the others, :func:`missions.compatibility.station_orbits`) and what
  the ascent costs: direct ascent or not, the plane change and its Δv, from the site's
  geometry and from its documented corridors
  (:func:`missions.compatibility.station_compatibility`, :func:`orbits.dogleg_dv`);
- whether the two can dock at all (:func:`missions.docking.can_dock`).

"Can a Soyuz reach the Chinese station?" is then one screen:

>>> from missions.visit import visit
>>> v = visit("Soyuz MS", "Chinese space station", at="2025-06-01")  # doctest: +SKIP
>>> v.verdict  # doctest: +SKIP
'no: Soyuz MS cannot dock to Chinese space station (SSVP-G4000 against Chinese docking ...'
"""

from __future__ import annotations

from dataclasses import dataclass

from astropy import units as u

from orbits.errors import ArgumentError, DateRangeError
from orbits.results import Result, quantity, value

from .docking import CLAIMED, DIRECT, NO, DockingVerdict

__all__ = ["VisitVerdict", "visit"]

_KMS = u.km / u.s


@dataclass(frozen=True, repr=False)
class VisitVerdict(Result):
    """A vehicle's visit to a station: launch site, plane, Δv and docking (see :func:`visit`).

    ``docking`` is the full :class:`missions.docking.DockingVerdict`; ``reachable`` is true
    when a direct ascent reaches the station's plane or the plane change is within the
    vehicle's published Δv capacity (unknown capacity: only a direct ascent counts);
    ``can_visit`` is ``reachable`` and a direct or adapter docking.
    """

    vehicle: str = value("vehicle")
    station: str = value("station")
    verdict: str = value("verdict")
    site: str = value("launch site")
    site_latitude: u.Quantity = quantity("site latitude (geocentric)", "deg", fmt=".2f")
    station_inclination: u.Quantity = quantity("station inclination", "deg", fmt=".2f")
    station_altitude: u.Quantity = quantity("station mean altitude", "km", fmt=".0f")
    direct_ascent: bool = value("direct ascent reaches the plane")
    documented: bool = value("site documented for that inclination")
    plane_change: u.Quantity = quantity("plane change needed", "deg", fmt=".2f")
    dv_needed: u.Quantity = quantity("plane-change Δv (station altitude)", "km/s",
                                     fmt=".3f")
    documented_inclination: u.Quantity = quantity("nearest documented inclination", "deg",
                                                  fmt=".2f", default=None)
    dv_from_documented: u.Quantity = quantity("Δv from the documented corridor", "km/s",
                                              fmt=".3f", default=None)
    dv_capacity: u.Quantity = quantity("vehicle Δv capacity", "km/s", fmt=".3f", default=None)
    ascent: str = value("ascent", default="")
    can_dock: str = value("can dock", default="")
    mechanisms_vehicle: str = value("vehicle's mechanisms", default="")
    mechanisms_station: str = value("station's mechanisms", default="")
    docking_reason: str = value("docking reason", default="")
    dockings: str = value("recorded dockings", default="")
    sources: tuple = value("sources", default=())
    reachable: bool = False
    docking: DockingVerdict | None = None

    title = "Visit: launch, plane and docking"

    @property
    def can_visit(self) -> bool:
        """True when the plane is reachable and the vehicle can dock (directly or adapted)."""
        return self.reachable and self.docking is not None and self.docking.ok

    def summary(self) -> str:
        """Return the verdict line."""
        return self.verdict

    def _text_lines(self):
        from .docking import text_lines_with_sources

        return text_lines_with_sources(self)


def _site_for(craft, catalog):
    """Catalog site key for the craft: compatibility's default scenario, else its own."""
    from .compatibility import DEFAULT_SCENARIOS

    keys = set(craft.catalog)
    for veh, site in DEFAULT_SCENARIOS:
        for name in (veh,) if isinstance(veh, str) else veh:
            try:
                rec = catalog.vehicle(name)
            except KeyError:
                continue
            if rec.key in keys:
                return site, rec.key, "the default (vehicle, site) scenarios of " \
                    "missions.compatibility"
    if craft.launch_site:
        return craft.launch_site, None, "the docking data"
    return None, None, ""


def _catalog_vehicle(craft, catalog):
    for key in craft.catalog:
        try:
            return catalog.vehicle(key).key
        except KeyError:
            continue
    return None


def _masked(q):
    """Return a plain Quantity from a table cell, or None where masked."""
    if q is None:
        return None
    if getattr(q, "mask", False):
        return None
    return u.Quantity(getattr(q, "unmasked", q))


def visit(vehicle: str, station: str, *, at=None, elements=None, site=None,
          catalog=None) -> VisitVerdict:
    """Tell whether ``vehicle`` can reach and dock to ``station``, as of ``at``.

    Parameters
    ----------
    vehicle : str
        A spacecraft with a recorded docking mechanism (Soyuz MS, Progress MS, Orel, Shenzhou,
        Tianzhou, Crew Dragon...).
    station : str
        A station with a recorded mechanism and an orbit: ISS, "ISS Russian segment" (the ISS's
        plane), "Chinese space station", "Russian Orbital Station".
    at : Time or str, optional
        The analysis date (default now, UTC): the station's element set nearest it, and the
        docking ports present then.
    elements : None, path, list of paths or orbits.history.Histories
        See :func:`missions.subjects.element_histories`.
    site : str, optional
        Launch site (catalog name); default the vehicle's usual site (module docstring).
    catalog : missions.Catalog, optional

    Returns
    -------
    VisitVerdict

    Raises
    ------
    orbits.errors.NotFoundError
        An unknown name, or one without a recorded docking mechanism.
    orbits.errors.ArgumentError
        A station without an orbit, a vehicle that is a station, or no known launch site.
    """
    from .catalog import catalog_or_default
    from .docking import can_dock, resolve_craft
    from .subjects import analysis_time

    catalog = catalog_or_default(catalog)
    veh, veh_name = resolve_craft(vehicle, catalog=catalog)
    stn, stn_name = resolve_craft(station, catalog=catalog)
    if veh.kind != "spacecraft":
        raise ArgumentError(f"vehicle={vehicle!r} is a {veh.kind} ({veh_name}); give a "
                            "spacecraft (Soyuz MS, Progress MS, Orel, Shenzhou, Tianzhou...)")
    t = analysis_time(at)
    docking = can_dock(vehicle, station, at=t, catalog=catalog)

    from .compatibility import station_compatibility, station_orbits

    try:
        orbits_ = station_orbits(catalog, include_retired=True, at=t, elements=elements,
                                 warn=False)
    except DateRangeError:
        # another station's element sets do not reach the date: take this station alone
        orbits_ = _one_station(stn, catalog, t, elements)
    if not stn.orbit_of:
        with_orbit = _stations_with_orbit(catalog, orbits_)
        raise ArgumentError(f"station={station!r} ({stn_name}) has no orbit in the catalog to "
                            f"launch to; stations with one: {', '.join(with_orbit)}")
    st = next((s for s in orbits_ if s.key == stn.orbit_of), None)
    if st is None:
        raise ArgumentError(f"station={station!r} ({stn_name}): the catalog has no Earth orbit "
                            f"for {stn.orbit_of!r}; stations with one: "
                            + ", ".join(_stations_with_orbit(catalog, orbits_)))
    others = [s for s in orbits_ if s.key.split("#")[0] == stn.orbit_of and s is not st]
    notes = []
    if site is None:
        site_key, _, why = _site_for(veh, catalog)
        if site_key is None:
            raise ArgumentError(f"no launch site recorded for {veh_name}; give site= (a "
                                "catalog launch site)")
        notes.append(f"launch site from {why}")
    else:
        site_key = site
        notes.append("launch site given by the caller")
    site_rec = catalog.site(site_key)
    veh_key = _catalog_vehicle(veh, catalog)
    srcs = list(docking.sources)
    if veh_key is not None:
        row = station_compatibility([(veh_key, site_rec.key)], stations=[st], catalog=catalog,
                                    at=t)
        notes += list(row.meta["notes"])
        r = row[0]
        lat, inc = r["site_latitude"], r["station_inclination"]
        direct, documented = bool(r["direct"]), bool(r["documented"])
        plane, dv = r["plane_change"], r["dv_needed"]
        doc_inc, doc_dv = _masked(r["documented_inclination"]), _masked(r["dv_from_documented"])
        cap, ascent = _masked(r["dv_capacity"]), str(r["verdict"])
        cat_srcs = [k.strip() for k in str(r["sources"]).split(",")]
        inputs = tuple(row.meta["inputs"])
        warnings = tuple(row.meta["warnings"])
    else:
        from orbits.launch import dogleg_dv, geocentric_latitude

        res = dogleg_dv(site_rec.latitude, st.inclination, altitude=st.altitude)
        lat, inc = geocentric_latitude(site_rec.latitude).to(u.deg), st.inclination.to(u.deg)
        direct, documented = bool(res.direct), False
        plane, dv = res.plane_change.to(u.deg), res.dv.to(_KMS)
        doc_inc = doc_dv = cap = None
        ascent = ("direct ascent possible" if direct else
                  f"plane change {dv.to_value(u.m / u.s):.0f} m/s") + \
            f" ({veh_name} is not in the catalog: no documented corridor or Δv capacity)"
        cat_srcs = [site_rec.source, st.source]
        inputs = (st.input,) if st.input is not None else ()
        warnings = (st.warning,) if st.warning else ()
        notes.append("plane change 2 v sin(di/2) at the station's altitude after insertion at "
                     "the nearest reachable inclination (orbits.dogleg_dv)")
    for k in cat_srcs:
        src = catalog.sources.get(k)
        srcs.append(src.cite() if src is not None else k)
    if others:
        notes.append("other planned orbits of the station: " + ", ".join(
            f"{o.name} ({o.source})" for o in others))
    reachable = direct or (cap is not None and dv <= cap)
    head = _verdict(veh_name, stn_name, site_rec.name, docking, direct, documented, plane, dv,
                    cap, doc_inc, doc_dv)
    return VisitVerdict(
        vehicle=veh_name, station=stn_name, verdict=head, site=site_rec.name,
        site_latitude=lat.to(u.deg), station_inclination=inc.to(u.deg),
        station_altitude=st.altitude.to(u.km), direct_ascent=direct, documented=documented,
        plane_change=plane.to(u.deg), dv_needed=dv.to(_KMS), documented_inclination=doc_inc,
        dv_from_documented=doc_dv, dv_capacity=cap, ascent=ascent, can_dock=docking.verdict,
        mechanisms_vehicle=docking.mechanisms_first, mechanisms_station=docking.mechanisms_second,
        docking_reason=docking.reason, dockings=docking.examples,
        sources=tuple(dict.fromkeys(srcs)), reachable=bool(reachable), docking=docking,
        notes=tuple(notes) + docking.notes, inputs=tuple(inputs) + docking.inputs,
        analysis_date=t, warnings=tuple(warnings))


def _one_station(stn, catalog, t, elements):
    """Return the station's orbit alone (a ``StationOrbit`` list), as of ``t``."""
    from orbits.core.constants import R_EARTH

    from .compatibility import StationOrbit
    from .subjects import resolve

    if not stn.orbit_of:
        return []
    rec = catalog.mission(stn.orbit_of)
    sub = resolve(rec.name, catalog, at=t, elements=elements, warn=False)
    alt = sub.elements["a"].to(u.km) - R_EARTH * u.km
    inp = sub.input_set(t)
    return [StationOrbit(rec.key, rec.name, rec.agency, sub.elements["inc"].to(u.deg), alt,
                         sub.elements_source, input=inp if sub.tle is not None else None,
                         warning=sub.warnings[0] if sub.warnings else "")]


def _stations_with_orbit(catalog, orbits_):
    from .docking import docking_data

    keys = {s.key for s in orbits_}
    out = []
    for c in docking_data().crafts.values():
        if c.orbit_of and c.orbit_of in keys:
            rec = catalog.get(c.catalog[0]) if c.catalog else None
            out.append(rec.name if rec is not None else c.name)
    return out


def _verdict(veh, stn, site, docking, direct, documented, plane, dv, cap, doc_inc, doc_dv):
    ms = dv.to_value(u.m / u.s)
    if direct and documented:
        ascent = f"a direct ascent from {site} reaches its plane"
    elif direct:
        ascent = f"a direct ascent from {site} reaches its plane"
        if doc_dv is not None and doc_inc is not None:
            ascent += (f", though the site's nearest documented corridor "
                       f"({doc_inc.to_value(u.deg):.1f}°) would need "
                       f"{doc_dv.to_value(u.m / u.s):.0f} m/s")
    else:
        ascent = (f"from {site} its plane is {plane.to_value(u.deg):.1f}° out of direct "
                  f"reach: {ms:.0f} m/s of plane change")
        if cap is None:
            ascent += " (Δv capacity not published)"
        elif dv <= cap:
            ascent += f", within the vehicle's {cap.to_value(_KMS):.2f} km/s"
        else:
            ascent += f", beyond the vehicle's {cap.to_value(_KMS):.2f} km/s"
        if doc_dv is not None and doc_inc is not None and doc_dv > dv:
            ascent += (f"; {doc_dv.to_value(u.m / u.s):.0f} m/s from the nearest documented "
                       f"corridor ({doc_inc.to_value(u.deg):.1f}°)")
    mech = f"{docking.port_first} against {docking.port_second}"
    if docking.relation == NO:
        return f"no: {veh} cannot dock to {stn} ({mech}); and {ascent}"
    if docking.relation == CLAIMED:
        return (f"unproven: {veh}'s docking to {stn} is claimed, never demonstrated ({mech}); "
                f"{ascent}")
    lead = docking.verdict if docking.relation == DIRECT else \
        f"only with an adapter ({docking.via}; {mech})"
    if not direct and cap is None:
        lead += f", given {ms:.0f} m/s for the plane change"
    elif not direct and dv > cap:
        lead = ("it could dock, but the plane is out of reach" if docking.relation == DIRECT
                else lead + ", and the plane is out of reach")
    return f"{lead}: {ascent}"

