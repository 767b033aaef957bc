# ruff: noqa: RUF009  (Result fields are declared with quantity()/value()/column())
"""Predicted launch times to a station: in-plane instants plus the ascent and phasing model.

:func:`predict_launches` finds the instants at which a launch pad passes through a station's
precessing orbit plane (:func:`orbits.launch_windows`) and turns each into a launch time with
:func:`orbits.ascent.launch_time`, using the vehicle's published ascent duration and the
rendezvous profile's published phasing time and altitude from ``orbits/data/launch_profiles.toml``.
Pads come from ``orbits/data/launch_pads.toml`` (copied, with sources, from
``seeds/authorities/launches/launch-pads.toml``); catalog sites work too.

Station elements come from the real element-set history (ISS 25544, Tianhe 48274): the set
nearest before ``start``, unless ``elements=`` gives a TLE or a TLE file.

>>> from missions.launch_timing import predict_launches
>>> r = predict_launches("Baikonur Site 31/6", "ISS", vehicle="Soyuz-2.1a",
...                      profile="two-orbit", start="2025-04-08", days=1)  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits.errors import ArgumentError, DataFileError, NotFoundError
from orbits.results import InputSet, TableResult, column, quantity, value

__all__ = [
    "TLE_HISTORY_DIR",
    "LaunchPrediction",
    "load_history",
    "nearest_before",
    "pad",
    "predict_launches",
    "profile_parameters",
    "station_history",
    "timing_bias",
    "vehicle_parameters",
]

def _orbits_data() -> Path:
    import orbits

    return Path(orbits.__file__).resolve().parent / "data"


_ORBITS_DATA = _orbits_data()

#: Where the packaged element-set histories ``iss-25544.tle`` and ``tianhe-48274.tle`` live
#: (copies of seeds/authorities/tle-history, provenance in its PROVENANCE.md).
TLE_HISTORY_DIR = _ORBITS_DATA / "history"

#: station name (casefolded) -> (history file, catalog number)
_STATIONS = {
    "iss": ("iss-25544.tle", 25544),
    "international space station": ("iss-25544.tle", 25544),
    "iss (zarya)": ("iss-25544.tle", 25544),
    "css": ("tianhe-48274.tle", 48274),
    "chinese space station": ("tianhe-48274.tle", 48274),
    "tiangong": ("tianhe-48274.tle", 48274),
    "tiangong space station": ("tianhe-48274.tle", 48274),
    "tianhe": ("tianhe-48274.tle", 48274),
    "css (tianhe)": ("tianhe-48274.tle", 48274),
}


def _closest(name, options):
    close = difflib.get_close_matches(str(name), options, n=3, cutoff=0.3)
    return f"; closest: {', '.join(close)}" if close else ""


@cache
def _toml(name: str) -> dict:
    path = _ORBITS_DATA / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read ({exc})") from None


def _lookup(kind: str, table: str, name):
    if not isinstance(name, str):
        raise ArgumentError(f"{kind} must be a name (str), got {name!r}")
    rows = _toml(table)[kind]
    key = name.strip().casefold()
    for row in rows:
        names = [row["key"], row.get("name", ""), *row.get("aliases", [])]
        if key in {n.casefold() for n in names if n}:
            return row
    options = [row.get("name", row["key"]) for row in rows]
    raise NotFoundError(f"unknown {kind} {name!r}{_closest(name, options)}. Known: "
                        f"{', '.join(options)}")


def pad(name: str) -> dict:
    """Return a launch pad from ``orbits/data/launch_pads.toml`` by name, key or alias."""
    return _lookup("pad", "launch_pads.toml", name)


def vehicle_parameters(name: str) -> dict:
    """Return a vehicle's ascent parameters from ``orbits/data/launch_profiles.toml``.

    They are ``ascent_duration_s``, ``insertion_altitude_km``, ``bias_s`` and their sources.
    """
    return _lookup("vehicle", "launch_profiles.toml", name)


def profile_parameters(name: str) -> dict:
    """Return a rendezvous profile's phasing parameters (``orbits/data/launch_profiles.toml``)."""
    return _lookup("profile", "launch_profiles.toml", name)


def timing_bias(vehicle: dict, when: Time) -> tuple[str, float]:
    """Return (label, seconds) of the vehicle's empirical timing bias for a launch at ``when``.

    The bias is that of the latest ``[[vehicle.era]]`` that began on or before ``when``, else
    the vehicle's own.
    """
    label, bias = vehicle["name"], float(vehicle.get("bias_s", 0.0))
    iso = when.utc.isot[:10]
    for era in sorted(vehicle.get("era", []), key=lambda e: str(e["from"])):
        if str(era["from"]) <= iso:
            label, bias = f"{vehicle['name']} ({era['name']})", float(era["bias_s"])
    return label, bias


def phasing_altitude_km(profile: dict, vehicle: dict) -> float:
    """Return the profile's phasing altitude, or the vehicle's insertion altitude if it says so."""
    h = profile["phasing_altitude_km"]
    return float(vehicle["insertion_altitude_km"] if h == "insertion" else h)


# --- element-set histories --------------------------------------------------------------------


@cache
def load_history(path) -> tuple:
    """Return all element sets of a TLE/OMM file, sorted by epoch (``orbits.history.ElementSet``).

    Read with :func:`orbits.omm.read_elements`, so a bad file raises DataFileError naming the
    file, line and field.
    """
    from orbits.omm import read_elements

    sets = read_elements(path)
    return tuple(sorted(sets, key=lambda t: (t.epoch.jd1, t.epoch.jd2)))


def station_history(station: str, *, catalog=None) -> tuple:
    """Return the element-set history of ``station`` ("ISS", "CSS", "Tianhe", a catalog name)."""
    if not isinstance(station, str):
        raise ArgumentError(f"station must be a name (str), got {station!r}")
    key = station.strip().casefold()
    if key not in _STATIONS and catalog is not None:
        try:
            rec = catalog[station]
        except KeyError:
            rec = None
        for n in getattr(rec, "tle_names", ()) or ():
            if n.casefold() in _STATIONS:
                key = n.casefold()
                break
    if key not in _STATIONS:
        raise NotFoundError(f"no element history for station {station!r}"
                            f"{_closest(key, sorted(_STATIONS))}; known: ISS, CSS (Tianhe)")
    return load_history(TLE_HISTORY_DIR / _STATIONS[key][0])


def nearest_before(history, when: Time):
    """Return the set with the latest epoch at or before ``when`` (else the earliest set)."""
    jd = when.utc.jd
    before = [t for t in history if t.epoch.utc.jd <= jd]
    return before[-1] if before else history[0]


@dataclass(frozen=True)
class _Plane:
    """Mean elements given as a mapping (with an optional node rate)."""

    name: str
    a: u.Quantity
    ecc: u.Quantity
    inc: u.Quantity
    raan: u.Quantity
    epoch: Time
    raan_rate: u.Quantity | None = None


def _station_number(station, catalog) -> int:
    """Return the catalogue number of ``station``.

    ``station`` is a name of :data:`_STATIONS`, or a catalog record whose TLE names are.
    """
    if not isinstance(station, str):
        raise ArgumentError(f"station must be a name (str), got {type(station).__name__}")
    key = station.strip().casefold()
    if key in _STATIONS:
        return _STATIONS[key][1]
    cat = catalog
    if cat is None:
        from .catalog import load_catalog

        cat = load_catalog()
    try:
        rec = cat[station]
    except KeyError as exc:  # NotFoundError with the closest names
        from orbits.errors import NotFoundError

        raise NotFoundError(f"station: {exc}; the launch model knows the ISS and the Chinese "
                            "space station") from None
    for n in getattr(rec, "tle_names", ()) or ():
        if n.casefold() in _STATIONS:
            return _STATIONS[n.casefold()][1]
    raise ArgumentError(f"station must be the ISS or the Chinese space station (or their "
                        f"aliases), got {station[:60]!r}")


def _display_name(station, catalog, fallback: str) -> str:
    """Return the catalog's name for ``station`` (one display name per object) or ``fallback``."""
    try:
        cat = catalog
        if cat is None:
            from .catalog import load_catalog

            cat = load_catalog()
        return cat[station].name
    except KeyError:
        return fallback


def _elements(station, elements, start, catalog):
    """Return the station's element set for a prediction from ``start`` (latest not after it).

    ``elements``: an ``orbits.tle.TLE`` or a mapping of mean elements (used as given); None (the
    packaged history and the user cache, :func:`missions.elements_store.histories`), a path or
    a list of paths (added on top), or an ``orbits.history.Histories``.
    """
    from orbits._validation import as_time
    from orbits.history import Histories
    from orbits.tle import SatrecElements

    if isinstance(elements, SatrecElements):  # an orbits.tle.TLE or orbits.history.ElementSet
        return elements, getattr(elements, "source", "") or "given element set"
    if isinstance(elements, dict):
        missing = {"a", "ecc", "inc", "raan", "epoch"} - set(elements)
        if missing:
            raise ArgumentError(f"elements (a mapping) lacks {sorted(missing)}; it needs a, ecc, "
                                "inc, raan, epoch and optionally raan_rate and name")
        plane = _Plane(elements.get("name", station), elements["a"], elements["ecc"],
                       elements["inc"], elements["raan"], as_time(elements["epoch"], "epoch"),
                       elements.get("raan_rate"))
        return plane, elements.get("source", "given elements")
    if isinstance(elements, Histories):
        hs = elements
    elif elements is None or isinstance(elements, (str, Path, list, tuple)):
        from .elements_store import histories

        files = ([] if elements is None else
                 [elements] if isinstance(elements, (str, Path)) else list(elements))
        hs = histories(*files)
    else:
        raise ArgumentError(f"elements must be None, a TLE/OMM file path (or a list of them), an "
                            f"orbits.history.Histories, an orbits.tle.TLE or a mapping, got "
                            f"{type(elements).__name__}")
    number = _station_number(station, catalog)
    try:
        hist = hs[number]
    except KeyError:
        raise ArgumentError(f"no element sets of {station[:60]!r} (#{number}) in the element "
                            "files given") from None
    es = hist.at(start, not_after=True)  # a prediction uses no elements from after its start
    return es, es.source


# --- adapter for orbits.launch_windows' result (QTable today, a Result after h1) -------------


# --- the prediction -------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class LaunchPrediction(TableResult):
    """Launch times from a pad to a station for one vehicle and rendezvous profile."""

    site: str = value("site")
    station: str = value("station")
    vehicle: str = value("vehicle")
    profile: str = value("profile")
    lead: u.Quantity = quantity("ascent lead", "s", fmt=".1f")
    phasing: u.Quantity = quantity("phasing shift", "s", fmt=".1f")
    bias: u.Quantity = quantity("timing bias (fitted)", "s", fmt=".1f")
    offset: u.Quantity = quantity("launch minus in-plane", "s", fmt=".1f")
    time: Time = column("in plane", fmt="second")
    launch_time: Time = column("launch", fmt="second")
    azimuth: u.Quantity = column("azimuth", "deg", fmt=".2f")
    crossing: np.ndarray = column("pass")
    #: "yes"/"no" against the site's documented azimuth corridors, "" when none is sourced
    in_corridor: np.ndarray = field(default=None, metadata={
        "label": "in documented corridor", "unit": None, "fmt": None,
        "doc": "yes / no / blank (no sourced corridor)", "kind": "column"})

    title = "Predicted launch times"

    def summary(self) -> str:
        """Return the vehicle, site, station, profile, window count and first launch time."""
        first = self.launch_time[0].utc.isot[:19].replace("T", " ") if len(self) else "none"
        return (f"{self.vehicle} {self.site} to {self.station} ({self.profile}): {len(self)} "
                f"windows, first launch {first} UTC, {float(self.offset.to_value(u.min)):+.2f} min "
                "from in-plane")


def _site_coordinates(site, catalog):
    """Return a pad of launch_pads.toml, else a launch site of the catalog (default built-in).

    Returns (name, latitude, longitude, note, catalog, site record): the record is the
    catalog's launch site (for a pad, the site its key starts with: "baikonur-31-6" ->
    "baikonur"), or None.
    """
    from . import records as r
    from .catalog import load_catalog

    try:
        p = pad(site)
    except NotFoundError as exc:
        cat = catalog if catalog is not None else load_catalog()
        rec = cat.get(site) if isinstance(site, str) else None
        if not isinstance(rec, r.LaunchSite):
            raise NotFoundError(f"{exc.args[0]}; {site!r} is not a catalog launch site "
                                "either") from None
        return (rec.name, rec.latitude, rec.longitude,
                f"catalog site {rec.name} ({rec.source})", cat, rec)
    cat = catalog if catalog is not None else load_catalog()
    rec = cat.get(p["key"].split("-")[0])
    return (p["name"], p["latitude"] * u.deg, p["longitude"] * u.deg,
            f"pad {p['name']} ({p['source']})", cat,
            rec if isinstance(rec, r.LaunchSite) else None)


def predict_launches(site, station, *, vehicle, profile, start, days=1.0, elements=None,
                     catalog=None, bias=None) -> LaunchPrediction:
    """In-plane instants and predicted launch times from ``site`` to ``station``.

    Parameters
    ----------
    site : str
        A pad of ``orbits/data/launch_pads.toml`` ("Baikonur Site 31/6", "Jiuquan LC-43/91",
        "Wenchang LC-201" ...), or else a launch site of ``catalog`` (default: the built-in
        catalog), e.g. "Baikonur" (the catalog's site point, ~20 km from pad 31/6).
    station : str
        "ISS" or "CSS" (aliases: "Tianhe", "Chinese space station" ...).
    vehicle, profile : str
        Keys or names in ``orbits/data/launch_profiles.toml`` ("Soyuz-2.1a", "two-orbit").
    start : Time or ISO string; days : float or Quantity, in (0, 60]
    elements : optional
        Default: the latest set at or before ``start`` in the packaged history and the user
        cache; a TLE/OMM file path or a list of them adds the user's sets; an
        ``orbits.history.Histories`` is used as given; an ``orbits.tle.TLE`` or a mapping gives
        the plane directly. A mapping gives
        mean elements ``a, ecc, inc, raan, epoch`` and optionally ``raan_rate`` (default: the
        J2 + J2^2 + J4 rate) and ``name``.
    bias : Quantity (time), optional; default the vehicle's fitted bias for ``start``
        (:func:`timing_bias`; see VALIDATION.md). ``0 * u.s``: the physical model alone.

    Returns
    -------
    LaunchPrediction with columns ``time`` (in plane), ``launch_time``, ``azimuth`` and
    ``crossing`` ("ascending"/"descending" pass).
    """
    import orbits
    from orbits._validation import as_time
    from orbits.ascent import launch_time
    from orbits.core.constants import R_EARTH

    t0 = as_time(start, "start")
    if isinstance(days, u.Quantity):
        days = days.to_value(u.day)
    if isinstance(days, bool) or not isinstance(days, (int, float)) or not 0 < days <= 60:
        raise ArgumentError(f"days must be a number in (0, 60], got {days!r}")
    veh = vehicle_parameters(vehicle)
    prof = profile_parameters(profile)
    name, lat, lon, site_note, cat, site_rec = _site_coordinates(site, catalog)
    tle, source = _elements(station, elements, t0, catalog)
    rate = getattr(tle, "raan_rate", None)
    if rate is None:
        rate = orbits.nodal_precession_rate(tle.a, tle.ecc, tle.inc, second_order=True)
    win = orbits.launch_windows(lat, lon, t0, t0 + days * u.day, inclination=tle.inc,
                                raan=tle.raan, epoch=tle.epoch, raan_rate=rate)
    times, az, kinds = win.time, win.azimuth, win.direction
    group, fitted = timing_bias(veh, t0)
    b = fitted * u.s if bias is None else bias
    bias_note = (f"timing bias of {group}: {fitted:+.0f} s, fitted on 48 launches of 2021-2025 "
                 "(launch_profiles.toml; out-of-sample scores in VALIDATION.md)"
                 if bias is None else "timing bias given by the caller")
    res = launch_time(
        Time(times), latitude=lat, inclination=tle.inc,
        ascent_duration=veh["ascent_duration_s"] * u.s,
        insertion_altitude=veh["insertion_altitude_km"] * u.km,
        phasing_altitude=phasing_altitude_km(prof, veh) * u.km,
        phasing_duration=prof["phasing_duration_h"] * u.h,
        target_altitude=tle.a - R_EARTH * u.km, bias=b,
    )
    age = (t0 - tle.epoch).to(u.day)
    warnings = ()
    if abs(age) > 14 * u.day:
        warnings = ((f"elements of {tle.name} are {float(age.to_value(u.day)):.1f} days from "
                     "the start date; the in-plane instant may be off by minutes"),)
    if az is None:
        warnings = (*warnings, "launch_windows gave no azimuth column; azimuth left blank")
    from .comparisons.launch_windows import corridor_flags, corridor_note

    az_q = u.Quantity(az, u.deg) if az is not None else np.full(len(res), np.nan) * u.deg
    return LaunchPrediction(
        in_corridor=corridor_flags(site_rec, az_q),
        site=name, station=_display_name(station, catalog, tle.name), vehicle=veh["name"],
        profile=prof["key"],
        lead=res.lead, phasing=res.phasing, bias=res.bias, offset=res.offset,
        time=res.time, launch_time=res.launch_time,
        azimuth=az_q,
        crossing=np.asarray(kinds, dtype=str) if kinds is not None else np.full(len(res), ""),
        inputs=(InputSet("elements", tle.name, source, tle.epoch, age),),
        analysis_date=t0, warnings=warnings,
        notes=(site_note, f"ascent {veh['ascent_duration_s']} s ({veh['ascent_source']})",
               (f"phasing {prof['phasing_duration_h']} h ({prof['duration_source']}) at "
                f"{phasing_altitude_km(prof, veh):.0f} km"), bias_note, *res.notes,
               corridor_note(site_rec, cat)),
    )
