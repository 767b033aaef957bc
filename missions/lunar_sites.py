"""The catalog's lunar sites as data, and what the polar ones see and which orbits reach them.

- :func:`lunar_sites`: every lunar landing site in the catalog with coordinates (mission,
  place, latitude, longitude, the source key with its citation and date), and every lunar
  site region (the ILRS's south-pole area, Chang'e-8's candidates, Luna-27's sector) with its
  centre where one is published.
- :func:`polar_sites`: the ones south of ``max_latitude`` (default 60 deg S), plus the polar
  regions published without coordinates (so a table can say they have none).
- :func:`polar_site_access`: per polar site, which lunar orbits pass over it, how often the
  site passes under the plane and how fast the plane drifts, the Sun's elevation range and
  the fractions of a lunar day with the Sun, the Earth and Queqiao-2 above the horizon
  (:func:`orbits.lunar.south_pole_access`, :func:`orbits.lunar.site_sky`: DE421 and the IAU
  WGCCRE 2015 lunar rotation model).

A site asked for by name that has no published coordinates raises
:class:`orbits.errors.ArgumentError` naming it and its source; an unknown name raises
:class:`orbits.errors.NotFoundError` with the closest names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits.results import InputSet, TableResult, column, quantity, value

__all__ = ["DEFAULT_ALTITUDE", "DEFAULT_INCLINATIONS", "LunarSite", "LunarSiteTable",
           "PolarSiteAccess", "lunar_sites", "polar_site_access", "polar_sites"]

#: Lunar orbits tried by default: 100 km circular (Luna-25's polar orbit, the catalog), polar,
#: near-polar and Queqiao-2's inclination (62.4 deg, the catalog / orbits.lunar.QUEQIAO_2).
DEFAULT_ALTITUDE = 100 * u.km
DEFAULT_INCLINATIONS = (90 * u.deg, 85 * u.deg, 62.4 * u.deg)
#: Southern limit of "polar" for :func:`polar_sites`.
DEFAULT_MAX_LATITUDE = -60 * u.deg

_ROTATION = "IAU WGCCRE 2015 lunar rotation (Archinal et al. 2018, Celest. Mech. Dyn. Astr. 130:22)"


def _catalog(catalog):
    from .catalog import catalog_or_default

    return catalog_or_default(catalog)


@dataclass(frozen=True, repr=False)
class LunarSite:
    """One lunar site of the catalog: a mission's landing site or a site region.

    ``latitude``/``longitude`` are selenographic (east longitude), None where no coordinates
    are published; ``radius`` is a region's extent from its centre (None for a point);
    ``source`` the catalog source key, ``citation`` and ``source_date`` from that source.
    """

    name: str
    mission: str
    mission_key: str
    kind: str
    place: str
    status: str
    latitude: u.Quantity | None
    longitude: u.Quantity | None
    source: str
    citation: str
    source_date: str
    radius: u.Quantity | None = None
    candidates: tuple[str, ...] = ()
    note: str = ""
    aliases: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_coordinates(self) -> bool:
        """Whether a latitude and longitude are published."""
        return self.latitude is not None and self.longitude is not None

    @property
    def coordinates(self) -> tuple[u.Quantity, u.Quantity]:
        """``(latitude, longitude)``; raises ArgumentError if none are published."""
        if not self.has_coordinates:
            from orbits.errors import ArgumentError

            cands = f" (candidates named: {', '.join(self.candidates)})" if self.candidates else ""
            raise ArgumentError(
                f"site {self.name!r} ({self.place}) has no published coordinates{cands}; "
                f"source {self.source} ({self.source_date or 'undated'})")
        return self.latitude, self.longitude

    def __repr__(self) -> str:
        """Return ``<LunarSite Chang'e-7: 88.80° S, 123.40° E [wiki-change-7]>``."""
        if self.has_coordinates:
            la = float(self.latitude.to_value(u.deg))
            lo = (float(self.longitude.to_value(u.deg)) + 180.0) % 360.0 - 180.0
            where = (f"{abs(la):.2f}° {'N' if la >= 0 else 'S'}, "
                     f"{abs(lo):.2f}° {'E' if lo >= 0 else 'W'}")
            if self.radius is not None:
                where += f" (within {self.radius.to_value(u.km):.0f} km)"
        else:
            where = "no published coordinates"
        return f"<LunarSite {self.name}: {where} [{self.source}]>"


def _nan_or(q, unit):
    return np.nan if q is None else float(q.to_value(unit))


@dataclass(frozen=True, repr=False)
class LunarSiteTable(TableResult):
    """The catalog's lunar sites (:func:`lunar_sites`, :func:`polar_sites`), one row each.

    ``sites`` holds the :class:`LunarSite` records; ``table.find("Chang'e-7")`` finds one by
    site, mission name, key or alias; :meth:`coordinates` gives ``name -> (lat, lon)`` for
    :func:`orbits.lunar.south_pole_access`.
    """

    selection: str = value("sites")
    site: np.ndarray = column("site")
    mission: np.ndarray = column("mission")
    kind: np.ndarray = column("kind")
    place: np.ndarray = column("place")
    latitude: u.Quantity = column("latitude", "deg", fmt=".3f")
    longitude: u.Quantity = column("longitude (east)", "deg", fmt=".3f")
    radius: u.Quantity = column("region radius", "km", fmt=".0f")
    status: np.ndarray = column("mission status")
    source: np.ndarray = column("source")
    source_date: np.ndarray = column("source date")
    citation: np.ndarray = column("citation")
    sites: tuple = ()

    title = "Lunar sites in the catalog"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        n = sum(s.has_coordinates for s in self.sites)
        return f"{len(self.sites)} lunar sites ({self.selection}), {n} with coordinates"

    def find(self, name: str) -> LunarSite:
        """Return the site called ``name`` (site name, mission name, key or alias)."""
        return _find(self.sites, name)

    def coordinates(self, names=None) -> dict:
        """Return ``{site name: (latitude, longitude)}``.

        ``names`` None: every site with coordinates; otherwise those sites, each of which must
        have published coordinates (ArgumentError naming the one that has none).
        """
        if names is None:
            return {s.name: s.coordinates for s in self.sites if s.has_coordinates}
        if isinstance(names, str):
            names = [names]
        out = {}
        for n in names:
            s = _find(self.sites, n)
            out[s.name] = s.coordinates
        return out

    @property
    def without_coordinates(self) -> tuple[LunarSite, ...]:
        """The sites named in the catalog with no published coordinates."""
        return tuple(s for s in self.sites if not s.has_coordinates)


def _find(sites, name) -> LunarSite:
    from orbits.errors import ArgumentTypeError, NotFoundError

    from .catalog import MAX_NAME_LENGTH, _closest, normalize_name

    if not isinstance(name, str):
        raise ArgumentTypeError(f"site name must be a string, got {type(name).__name__}")
    if len(name) > MAX_NAME_LENGTH:
        raise NotFoundError(f"no lunar site named {name[:40]!r}...: the name is {len(name):,} "
                            f"characters long; names are at most {MAX_NAME_LENGTH}")
    key = normalize_name(name)
    by_name = {}
    for s in sites:
        for n in (s.name, s.mission, s.mission_key, s.place, *s.aliases):
            if n:
                by_name.setdefault(normalize_name(n), s)
    if key in by_name:
        return by_name[key]
    display = {normalize_name(s.name): s.name for s in sites}
    raise NotFoundError(f"no lunar site named {name!r}"
                        + _closest(key, list(display), display)
                        + f" (sites: {', '.join(s.name for s in sites)})")


def _region_name(m) -> str:
    short = m.name
    if len(short) > 20:
        short = next((a for a in m.aliases if a.isupper() and " " not in a and len(a) >= 3),
                     short)
    return f"{short} region"


def _site_records(cat) -> list[LunarSite]:
    out = []
    for m in cat.missions:
        ls, reg = m.landing_site, m.site_region
        if ls is not None and m.target == "Moon":
            src = cat.source(ls.source)
            out.append(LunarSite(
                name=m.name, mission=m.name, mission_key=m.key, kind="landing site",
                place=ls.name, status=m.status,
                latitude=ls.latitude.to(u.deg), longitude=ls.longitude.to(u.deg),
                source=ls.source, citation=src.cite(), source_date=src.date or "",
                aliases=(m.key, *m.aliases)))
        if reg is not None and str(reg.body).casefold() == "moon":
            src = cat.source(reg.source)
            lat = None if reg.center_latitude is None else reg.center_latitude.to(u.deg)
            lon = None if reg.center_longitude is None else reg.center_longitude.to(u.deg)
            note = reg.note
            if lat is not None and lon is None and abs(float(lat.to_value(u.deg)) + 90) < 1e-9:
                # the pole is one point whatever the longitude: 0 deg stands for it
                lon = 0 * u.deg
                note = (note + " " if note else "") + "(Centre at the pole: longitude 0 used.)"
            aliases = () if ls is not None else (m.key, *m.aliases)
            out.append(LunarSite(
                name=_region_name(m), mission=m.name, mission_key=m.key, kind="region",
                place=reg.name, status=m.status, latitude=lat, longitude=lon,
                source=reg.source, citation=src.cite(), source_date=src.date or "",
                radius=None if reg.radius is None else reg.radius.to(u.km),
                candidates=tuple(reg.candidates), note=note,
                aliases=tuple(a for a in aliases if a)))
    return out


def _table(sites, selection, cat) -> LunarSiteTable:
    sites = tuple(sites)
    return LunarSiteTable(
        selection=selection,
        site=np.array([s.name for s in sites], dtype=object),
        mission=np.array([s.mission for s in sites], dtype=object),
        kind=np.array([s.kind for s in sites], dtype=object),
        place=np.array([s.place for s in sites], dtype=object),
        latitude=np.array([_nan_or(s.latitude, u.deg) for s in sites]) * u.deg,
        longitude=np.array([_nan_or(s.longitude, u.deg) for s in sites]) * u.deg,
        radius=np.array([_nan_or(s.radius, u.km) for s in sites]) * u.km,
        status=np.array([s.status for s in sites], dtype=object),
        source=np.array([s.source for s in sites], dtype=object),
        source_date=np.array([s.source_date for s in sites], dtype=object),
        citation=np.array([s.citation for s in sites], dtype=object),
        sites=sites,
        inputs=(InputSet("catalog", "missions/data (landing sites, site regions)"),),
        notes=tuple(f"{s.name}: no published coordinates"
                    + (f"; candidates named: {', '.join(s.candidates)}" if s.candidates else "")
                    + f" [{s.source}]" for s in sites if not s.has_coordinates),
    )


def lunar_sites(catalog=None) -> LunarSiteTable:
    """Return every lunar site of the catalog: landing sites, then site regions, in file order.

    Landing sites come from each mission's ``[mission.landing_site]`` (planned, reached or
    not: Luna-25's planned site is listed although it crashed), regions from
    ``[mission.site_region]`` (the ILRS programme's south-pole area, Chang'e-8's candidates,
    Luna-27's sector); blank coordinates where none are published.
    """
    cat = _catalog(catalog)
    return _table(_site_records(cat), "all lunar sites", cat)


def _is_polar_region(s: LunarSite) -> bool:
    text = f"{s.place} {s.name}".casefold()
    return "pole" in text or "polar" in text


def polar_sites(catalog=None, *, max_latitude=DEFAULT_MAX_LATITUDE,
                coordinates_only: bool = False) -> LunarSiteTable:
    """Return the catalog's lunar sites south of ``max_latitude`` (default 60 deg S).

    Sites without published coordinates are kept when their record names a polar region
    ("pole" or "polar" in its name), so that the table says they have none
    (``coordinates_only=True`` drops them).

    Parameters
    ----------
    catalog : missions.Catalog, optional
    max_latitude : Quantity (angle), in [-90, 0] deg
    coordinates_only : bool
    """
    from orbits._validation import as_value

    lim = as_value(max_latitude, u.deg, "max_latitude", min=-90.0, max=0.0)
    if np.ndim(lim):
        from orbits.errors import ArgumentError

        raise ArgumentError(f"max_latitude must be a single angle, got shape {np.shape(lim)}")
    if not isinstance(coordinates_only, (bool, np.bool_)):
        from orbits.errors import ArgumentTypeError

        raise ArgumentTypeError(f"coordinates_only must be True or False, got "
                                f"{coordinates_only!r}"[:200])
    cat = _catalog(catalog)
    picked = []
    for s in _site_records(cat):
        if s.has_coordinates:
            if float(s.latitude.to_value(u.deg)) <= lim:
                picked.append(s)
        elif not coordinates_only and _is_polar_region(s):
            picked.append(s)
    return _table(picked, f"south of {abs(lim):g}° S", cat)


# --- access ----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class PolarSiteAccess(TableResult):
    """Per polar site: the orbits over it, revisit and drift, Sun range, Earth and relay time.

    Result of :func:`polar_site_access`. ``access`` is the full
    :class:`orbits.lunar.SouthPoleAccess` (a row per site and orbit), ``skies`` the
    :class:`orbits.lunar.SiteSky` of each site, ``sites`` the :class:`LunarSite` records and
    ``missing`` the polar sites named without coordinates (not computed).
    """

    start: Time = value("lunar day from", fmt="minute")
    duration: u.Quantity = quantity("span (one synodic month)", "day", fmt=".2f")
    orbits: str = value("orbits tried")
    relay: str = value("relay")
    ephemeris: str = value("ephemeris")
    rotation: str = value("lunar rotation model")
    site: np.ndarray = column("site")
    latitude: u.Quantity = column("latitude", "deg", fmt=".3f")
    longitude: u.Quantity = column("longitude (east)", "deg", fmt=".3f")
    reached_by: np.ndarray = column("inclinations passing over")
    best_inclination: u.Quantity = column("least-inclined orbit over it", "deg", fmt=".1f")
    revisit: u.Quantity = column("days between passes under it", "day", fmt=".2f")
    node_drift: u.Quantity = column("its node drift", "deg / d", fmt=".4f")
    sun_min: u.Quantity = column("lowest Sun", "deg", fmt=".2f")
    sun_max: u.Quantity = column("highest Sun", "deg", fmt=".2f")
    sunlit_fraction: np.ndarray = column("Sun up", fmt=".3f")
    earth_fraction: np.ndarray = column("Earth up", fmt=".3f")
    relay_fraction: np.ndarray = column("relay up", fmt=".3f")
    source: np.ndarray = column("site source")
    access: object = None
    skies: tuple = ()
    sites: tuple = ()
    missing: tuple = ()

    title = "South-pole access of the catalog's polar sites"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        miss = f", {len(self.missing)} without coordinates" if self.missing else ""
        return (f"{len(self)} sites over the lunar day from "
                f"{self.start.utc.isot[:10]}{miss}")


def _incs_text(incs_deg) -> str:
    return ", ".join(f"{i:g}°" for i in incs_deg)


def _check_lunar_day(t0, days) -> None:
    """Refuse an ``at`` whose lunar day leaves DE421, naming ``at`` (not an inner argument)."""
    from astropy import units as u

    from orbits.ephemeris import ephemeris_span
    from orbits.errors import DateRangeError

    first, last = ephemeris_span()
    end = t0 + days * u.day
    if t0.tdb < first or end.tdb > last:
        raise DateRangeError(
            f"at must start a lunar day ({days:.2f} d) inside the DE421 span "
            f"{first.isot[:10]} .. {last.isot[:10]} (TDB), got {t0.utc.isot[:16]} "
            f"(to {end.utc.isot[:16]})")


def polar_site_access(catalog=None, *, at=None, sites=None, max_latitude=DEFAULT_MAX_LATITUDE,
                      altitude=DEFAULT_ALTITUDE, inclinations=DEFAULT_INCLINATIONS,
                      step=2 * u.h, relay="queqiao-2") -> PolarSiteAccess:
    """Which lunar orbits reach the catalog's polar sites, and what each site sees.

    Over one lunar day (a synodic month, 29.53 d) from the analysis date ``at``: per site,
    the tried inclinations whose ground track passes over it, for the least inclined of those
    the mean days between the site's passes under the plane and the plane's secular node
    drift (J2 + the Earth's pull), the Sun's lowest and highest elevation and the sampled
    fractions with the Sun, the Earth and the relay above the (spherical, local) horizon.
    DE421 states and the IAU WGCCRE 2015 rotation model (:mod:`orbits.lunar.south_pole`).

    Parameters
    ----------
    catalog : missions.Catalog, optional
    at : Time or str, optional
        Start of the lunar day (default now, UTC).
    sites : list of str, optional
        Site or mission names (any lunar site of the catalog); default: every polar site
        with coordinates (:func:`polar_sites`). A named site without published coordinates
        raises ArgumentError naming it.
    max_latitude : Quantity (angle)
        The polar limit when ``sites`` is None.
    altitude : Quantity (length)
        Circular-orbit altitude (default 100 km).
    inclinations : sequence of Quantity (angle)
    step : Quantity (time)
        Sampling of the sky (default 2 h; 1 min .. 1 d).
    relay : "queqiao-2", an orbits.lunar.RelayOrbit or None
    """
    from orbits.errors import ArgumentError, ArgumentTypeError
    from orbits.lunar import QUEQIAO_2, RelayOrbit, site_sky, south_pole_access
    from orbits.lunar.south_pole import SYNODIC_MONTH_DAYS

    from .subjects import analysis_time

    cat = _catalog(catalog)
    t0 = analysis_time(at)
    _check_lunar_day(t0, SYNODIC_MONTH_DAYS)
    if isinstance(relay, str):
        if relay.strip().casefold().replace(" ", "-") not in ("queqiao-2", "queqiao2"):
            raise ArgumentError(f"relay must be 'queqiao-2', an orbits.lunar.RelayOrbit or None, "
                                f"got {relay[:40]!r}")
        relay = QUEQIAO_2
    elif relay is not None and not isinstance(relay, RelayOrbit):
        raise ArgumentTypeError(f"relay must be 'queqiao-2', an orbits.lunar.RelayOrbit or None, "
                                f"got {type(relay).__name__}")
    if sites is None:
        table = polar_sites(cat, max_latitude=max_latitude)
        picked = [s for s in table.sites if s.has_coordinates]
        missing = table.without_coordinates
        if not picked:
            raise ArgumentError(f"no lunar site with coordinates lies south of max_latitude="
                                f"{max_latitude}")
    else:
        if isinstance(sites, str):
            sites = [sites]
        every = lunar_sites(cat)
        picked = []
        for n in sites:
            s = every.find(n)
            s.coordinates  # noqa: B018 - raises ArgumentError naming a site with none
            if s not in picked:
                picked.append(s)
        if not picked:
            raise ArgumentError("sites must name at least one lunar site")
        missing = ()
    from orbits._validation import as_value

    if isinstance(inclinations, u.Quantity):
        incs = inclinations
    else:
        try:
            incs = u.Quantity(list(inclinations))  # a list of Quantities; bare numbers stay bare
        except (TypeError, ValueError, u.UnitsError):
            raise ArgumentTypeError(f"inclinations must be angles (e.g. [90, 85] * u.deg), got "
                                    f"{inclinations!r:.60}") from None
    incs = np.atleast_1d(as_value(incs, u.deg, "inclinations", min=0.0, max=180.0,
                                  min_inclusive=False, max_inclusive=False)) * u.deg
    alt = as_value(altitude, u.km, "altitude", min=0.0, max=1e4, min_inclusive=False)
    if np.ndim(alt):
        raise ArgumentError(f"altitude must be a single length, got shape {np.shape(alt)}")
    altitude = alt * u.km
    span = SYNODIC_MONTH_DAYS * u.day
    coords = {s.name: s.coordinates for s in picked}
    acc = south_pole_access(coords, start=t0, altitudes=u.Quantity([altitude]),
                            inclinations=incs, duration=span, step=step, relay=relay)
    skies = tuple(site_sky(*coords[s.name], t0, duration=span, step=step, relay=relay,
                           name=s.name) for s in picked)
    deg = u.deg
    reached, best, revisit, drift = [], [], [], []
    for s in picked:
        rows = np.flatnonzero(acc.site == s.name)
        ok = rows[np.asarray(acc.reaches[rows], dtype=bool)]
        inc_ok = acc.inclination[ok].to_value(deg)
        reached.append(_incs_text(inc_ok) if ok.size else "none")
        if ok.size:
            # least inclined from the equator: the orbit closest to prograde-equatorial
            k = ok[int(np.argmin(np.minimum(inc_ok, 180.0 - inc_ok)))]
            best.append(float(acc.inclination[k].to_value(deg)))
            revisit.append(float(acc.interval[k].to_value(u.day)))
            drift.append(float(acc.node_rate[k].to_value(deg / u.day)))
        else:
            best.append(np.nan)
            revisit.append(np.nan)
            drift.append(np.nan)
    notes = [
        f"Sites: the catalog's landing sites and site regions south of "
        f"{abs(float(u.Quantity(max_latitude).to_value(deg))):g}° S with coordinates"
        if sites is None else "Sites: named by the caller, coordinates from the catalog",
        "Orbit columns: of the tried inclinations, the least inclined one that passes over the "
        "site (closest to the equator; a retrograde i counts as 180° - i); 'days between "
        "passes' is the mean spacing of the site's passes under that plane over the span "
        "(0 at the pole: always under a polar plane); node drift J2 + the Earth "
        "(orbits.lunar.lunar_node_drift)",
        "Sun/Earth/relay: elevation of the body's centre above the site's horizontal plane, "
        f"sampled every {u.Quantity(step).to_value(u.h):g} h; spherical Moon, no terrain (a "
        "crater rim or ridge changes what is really visible)",
        *[n for n in acc.notes if n.startswith(("Queqiao", relay.name if relay else "\0"))],
    ]
    for s in missing:
        cands = f" (candidates named: {', '.join(s.candidates)})" if s.candidates else ""
        notes.append(f"{s.name}: {s.place}{cands} has no published coordinates; not computed "
                     f"[{s.source}]")
    return PolarSiteAccess(
        start=t0,
        duration=span,
        orbits=(f"{u.Quantity(altitude).to_value(u.km):g} km circular at "
                f"{_incs_text(incs.to_value(deg))}"),
        relay="" if relay is None else relay.name,
        ephemeris="DE421 (JPL)",
        rotation=_ROTATION,
        site=np.array([s.name for s in picked], dtype=object),
        latitude=u.Quantity([s.latitude for s in picked]).to(deg),
        longitude=u.Quantity([s.longitude for s in picked]).to(deg),
        reached_by=np.array(reached, dtype=object),
        best_inclination=np.array(best) * deg,
        revisit=np.array(revisit) * u.day,
        node_drift=np.array(drift) * deg / u.day,
        sun_min=u.Quantity([np.min(k.sun_elevation) for k in skies]).to(deg),
        sun_max=u.Quantity([np.max(k.sun_elevation) for k in skies]).to(deg),
        sunlit_fraction=np.array([float(k.sunlit_fraction) for k in skies]),
        earth_fraction=np.array([float(k.earth_fraction) for k in skies]),
        relay_fraction=np.array([np.nan if k.relay_fraction is None else float(k.relay_fraction)
                                 for k in skies]),
        source=np.array([s.source for s in picked], dtype=object),
        access=acc,
        skies=skies,
        sites=tuple(picked),
        missing=tuple(missing),
        analysis_date=t0,
        inputs=(*acc.inputs, InputSet("catalog", "missions/data (landing sites, site regions)")),
        notes=tuple(notes),
    )
