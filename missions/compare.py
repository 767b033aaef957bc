"""Plane, inclination and Δv compatibility of two missions, stations or launch sites.

:func:`compare` is the domain logic behind ``mission-compare compare A B``; it returns a plain
``dict`` of Quantities, strings and Times (the CLI only formats it, :func:`comparison_table`
turns it into a QTable). Three pairings are understood:

* **two Earth orbits** (stations, crewed or cargo spacecraft): the angle between the planes
  swings between ``|i1 - i2|`` (nodes aligned) and ``i1 + i2`` (nodes opposed) as J2 drags the
  two nodes at different rates; the plane change costs ``2 v sin(theta/2)`` at the speed of the
  lower (faster) orbit, the conservative choice. Station elements come from the checked-in
  TLEs (``seeds/authorities/stations-2024-05-09.tle``) when the record names them, otherwise
  from the catalog orbit.
* **a launch site and an Earth orbit**: the site's lowest direct-ascent inclination (its
  geocentric latitude) against the orbit's, and the dog-leg Δv when the site cannot reach it.
* **two lunar missions**: their lunar-orbit inclinations, the plane angle range between them,
  and each one's patched-conic TLI/LOI budget (:func:`orbits.tli_budget`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time

__all__ = [
    "PAIRINGS",
    "Subject",
    "compare",
    "comparison_json",
    "comparison_table",
    "lunar_budget",
    "resolve",
    "station_elements",
    "station_launch_windows",
]

#: What :func:`compare` accepts, for error messages.
PAIRINGS = (
    "two Earth-orbiting missions or stations (e.g. ISS and 'Chinese space station'), "
    "a launch site and an Earth-orbiting station (e.g. Baikonur and 'Chinese space station'), "
    "or two lunar missions (e.g. Luna-25 and Chang'e-5)"
)

_KMS = u.km / u.s
#: Parking orbit for dog-leg costs when nothing else is known (km above the equatorial radius).
PARKING_ALTITUDE = 200 * u.km
#: TLE file used for station elements (a source key of the catalog).
TLE_SOURCE = "tle-stations-2024-05-09"


@dataclass(frozen=True)
class Subject:
    """One side of a comparison: the record, what kind of thing it is and its elements."""

    name: str
    kind: str  # "earth orbit" | "site" | "lunar"
    record: object = None
    elements: dict = field(default_factory=dict)  # a, ecc, inc[, raan, epoch]
    elements_source: str = ""


def _gm_earth():
    from orbits.core.constants import GM_EARTH

    return GM_EARTH * u.km**3 / u.s**2


def station_elements(record) -> tuple[dict, str] | None:
    """Mean elements of a catalog mission from the checked-in TLE file, if it names one.

    Returns ``(elements, description)`` or None. ``elements`` has ``a, ecc, inc, raan, epoch``.
    """
    names = getattr(record, "tle_names", ()) or ()
    if not names:
        return None
    from orbits.tle import load_tles

    tles = load_tles()
    for n in names:
        if n in tles:
            t = tles[n]
            return _tle_elements(t), f"TLE {t.name} (epoch {t.epoch.isot[:16]})"
    return None


def _tle_elements(t) -> dict:
    return {"a": t.a.to(u.km), "ecc": t.ecc, "inc": t.inc, "raan": t.raan, "epoch": t.epoch}


def _catalog_orbit_elements(orbit) -> dict:
    from orbits.core.constants import R_EARTH

    rp = R_EARTH * u.km + orbit.periapsis
    ra = R_EARTH * u.km + orbit.apoapsis
    el = {"a": ((rp + ra) / 2).to(u.km), "ecc": ((ra - rp) / (ra + rp)).to(u.one), "inc": orbit.inclination}
    return el


def resolve(name: str, catalog=None) -> Subject:
    """Find ``name`` in the catalog (or, failing that, in the station TLE file) and classify it.

    Raises ``KeyError`` with the closest catalog names if neither knows it, and ``ValueError``
    if the record cannot take part in a comparison (a launcher, a mission with no orbit).
    """
    from . import records as r
    from .catalog import load_catalog

    cat = catalog if catalog is not None else load_catalog()
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {name!r} of type {type(name).__name__}")
    try:
        rec = cat[name]
    except KeyError:
        from orbits.tle import load_tles

        tles = load_tles()
        hit = next((t for k, t in tles.items() if k.strip().casefold() == name.strip().casefold()), None)
        if hit is None:
            raise
        return Subject(hit.name, "earth orbit", None, _tle_elements(hit),
                       f"TLE {hit.name} (epoch {hit.epoch.isot[:16]})")
    if isinstance(rec, r.LaunchSite):
        return Subject(rec.name, "site", rec)
    if isinstance(rec, r.LaunchVehicle):
        raise ValueError(  # noqa: TRY004 - a wrong name, not a wrong Python type
            f"{name!r} is a launch vehicle ({rec.name}); compare takes {PAIRINGS}"
        )
    if rec.target == "Moon":
        return Subject(rec.name, "lunar", rec)
    tle = station_elements(rec)
    if tle is not None:
        return Subject(rec.name, "earth orbit", rec, tle[0], tle[1])
    orbit = rec.orbit("Earth")
    if orbit is None:
        raise ValueError(
            f"{name!r} ({rec.name}) has no Earth orbit in the catalog and no TLE; compare takes {PAIRINGS}"
        )
    src = cat.sources.get(orbit.source)
    return Subject(rec.name, "earth orbit", rec, _catalog_orbit_elements(orbit),
                   f"catalog orbit [{src.key if src else orbit.source}]")


def compare(a: str, b: str, catalog=None) -> dict:
    """Compare two missions, stations or sites; see the module docstring for the pairings.

    Parameters
    ----------
    a, b : str
        Catalog names (any alias, case or punctuation) or TLE names such as ``"ISS (ZARYA)"``.
    catalog : missions.Catalog, optional
        Defaults to the built-in catalog.

    Returns
    -------
    dict
        Ordered keys; values are Quantities, Times, strings, numbers or booleans. ``"kind"``
        says which pairing was made; ``"notes"`` is a list of sentences on the model used.
    """
    from .catalog import load_catalog

    cat = catalog if catalog is not None else load_catalog()
    s1, s2 = resolve(a, cat), resolve(b, cat)
    kinds = (s1.kind, s2.kind)
    if kinds == ("earth orbit", "earth orbit"):
        return _orbits(s1, s2)
    if set(kinds) == {"site", "earth orbit"}:
        site, orb = (s1, s2) if s1.kind == "site" else (s2, s1)
        return _site_orbit(site, orb)
    if kinds == ("lunar", "lunar"):
        return _lunar(s1, s2, cat)
    raise ValueError(
        f"cannot compare {s1.name!r} ({s1.kind}) with {s2.name!r} ({s2.kind}); compare takes {PAIRINGS}"
    )


# --- two Earth orbits ----------------------------------------------------------------------------


def _circular_speed(a, gm=None):
    gm = _gm_earth() if gm is None else gm
    return np.sqrt(gm / a).to(_KMS)


def _orbits(s1: Subject, s2: Subject) -> dict:
    import orbits
    from orbits.core.constants import R_EARTH

    e1, e2 = s1.elements, s2.elements
    i1, i2 = e1["inc"].to(u.deg), e2["inc"].to(u.deg)
    lo = abs(i1 - i2)
    hi = orbits.plane_angle(i1, 0 * u.deg, i2, 180 * u.deg)
    # Both from TLEs: drift them with SGP4's own secular model (J2, J2^2, J4), which puts the
    # node alignments where SGP4 does; catalog orbits get the textbook first-order J2 rate.
    second = all(s.elements_source.startswith("TLE") for s in (s1, s2))
    rate = orbits.relative_node_drift(e1, e2, second_order=second)
    cycle = (360 * u.deg / abs(rate)).to(u.day) if abs(rate.value) > 1e-12 else np.inf * u.day
    lower = s1 if e1["a"] <= e2["a"] else s2
    v_lower = _circular_speed(lower.elements["a"])
    out = {
        "kind": "two Earth orbits",
        "a": s1.name,
        "b": s2.name,
        "a_elements": s1.elements_source,
        "b_elements": s2.elements_source,
        "a_inclination": i1,
        "b_inclination": i2,
        "a_altitude": (e1["a"] - R_EARTH * u.km).to(u.km),
        "b_altitude": (e2["a"] - R_EARTH * u.km).to(u.km),
        "min_plane_angle": lo.to(u.deg),
        "max_plane_angle": hi.to(u.deg),
        "relative_node_drift": rate.to(u.deg / u.day),
        "node_cycle": cycle,
        "lower_orbit": lower.name,
        "lower_orbit_speed": v_lower,
        "plane_change_dv": orbits.plane_change_dv(v_lower, lo),
        "plane_change_dv_max": orbits.plane_change_dv(v_lower, hi),
    }
    for s, key in ((s1, "a"), (s2, "b")):
        out[f"plane_change_dv_at_{key}"] = orbits.plane_change_dv(_circular_speed(s.elements["a"]), lo)
    notes = [
        ("plane angle between |i1 - i2| (nodes aligned) and i1 + i2 (nodes opposed); the nodes "
         "drift apart at the relative secular rate, one full cycle per node_cycle ("
         + ("SGP4's J2 + J2^2 + J4 secular model, both orbits being TLEs" if second
            else "first-order J2") + ")"),
        ("plane-change dv = 2 v sin(theta/2) at the circular speed sqrt(mu/a) of the lower orbit "
         f"({lower.name}); plane_change_dv_at_a/_b give it at each orbit's own speed"),
    ]
    if all("raan" in e and "epoch" in e for e in (e1, e2)):
        al = orbits.plane_alignments(e1, e2, count=1, second_order=second)
        epoch = max(e1["epoch"], e2["epoch"])
        hist = orbits.plane_angle_history(e1, e2, Time([epoch]), second_order=second)
        now = hist["plane_angle"][0].to(u.deg)
        out["epoch"] = epoch
        out["plane_angle_at_epoch"] = now
        out["plane_change_dv_at_epoch"] = orbits.plane_change_dv(v_lower, now)
        out["next_alignment"] = al.aligned[0]
        out["next_opposition"] = al.opposed[0]
    out["notes"] = notes
    return out


# --- a launch site and an Earth orbit ---------------------------------------------------------


def _site_orbit(site: Subject, orb: Subject) -> dict:
    import orbits
    from orbits.core.constants import R_EARTH

    rec = site.record
    inc = orb.elements["inc"].to(u.deg)
    i_min = orbits.min_inclination(rec.latitude)
    direct = bool(i_min <= inc <= 180 * u.deg - i_min)
    cost = orbits.dogleg_dv(rec.latitude, inc, altitude=PARKING_ALTITUDE)
    alt = (orb.elements["a"] - R_EARTH * u.km).to(u.km)
    out = {
        "kind": "launch site and Earth orbit",
        "site": rec.name,
        "station": orb.name,
        "station_elements": orb.elements_source,
        "site_latitude": rec.latitude.to(u.deg),
        "site_min_inclination": i_min.to(u.deg),
        "station_inclination": inc,
        "station_altitude": alt,
        "direct_ascent": direct,
        "plane_change": cost.plane_change.to(u.deg),
        "dogleg_dv": cost.dv.to(_KMS),
        "dogleg_dv_at_station_altitude": orbits.plane_change_dv(
            _circular_speed(orb.elements["a"]), cost.plane_change
        ),
    }
    documented = [(x.min.to(u.deg), x.max.to(u.deg), x.label) for x in rec.inclinations]
    if documented:
        out["site_documented_inclinations"] = "; ".join(
            (f"{lo.value:g} deg" if lo == hi else f"{lo.value:g}-{hi.value:g} deg") + (f" ({lab})" if lab else "")
            for lo, hi, lab in documented
        )
        gaps = [max(lo - inc, inc - hi, 0 * u.deg) for lo, hi, _ in documented]
        k = int(np.argmin(u.Quantity(gaps).value))
        lo, hi, _ = documented[k]
        nearest = min(max(inc, lo), hi)
        out["nearest_documented_inclination"] = nearest
        out["documented_plane_change"] = abs(nearest - inc)
        v_park = _circular_speed(R_EARTH * u.km + PARKING_ALTITUDE)
        out["documented_dogleg_dv"] = orbits.plane_change_dv(v_park, abs(nearest - inc))
    out["notes"] = [
        "a direct ascent reaches inclinations from the site's geocentric latitude to 180 deg minus it",
        (f"dog-leg dv: insertion at the nearest reachable inclination into a {PARKING_ALTITUDE.value:g} "
         "km circular parking orbit, then a plane change 2 v sin(di/2) (orbits.dogleg_dv)"),
        ("the documented inclinations (range safety, drop zones) are the catalog's; "
         "documented_dogleg_dv turns from the nearest of them"),
    ]
    return out


# --- two lunar missions --------------------------------------------------------------------------


def _parking_inclination(rec, cat):
    """Parking-orbit inclination for a lunar mission: its launch site's documented lunar
    parking inclination if :data:`orbits.lunar.PARKING_INCLINATIONS` has it, else the site's
    lowest direct-ascent inclination, else 51.7 deg (Vostochny)."""
    import orbits
    from orbits.lunar import PARKING_INCLINATIONS

    site = cat.site(rec.launch_site) if rec.launch_site else None
    if site is not None:
        for k, v in PARKING_INCLINATIONS.items():
            if k.casefold() in site.name.casefold():
                return v, site.name
        return orbits.min_inclination(site.latitude).round(2), site.name
    return PARKING_INCLINATIONS["Vostochny"], "unknown site (Vostochny assumed)"


def lunar_budget(rec, cat) -> dict:
    """One lunar mission's orbit and Earth-Moon budget.

    From :func:`missions.lunar_profiles.transfer_budget` (the mission's own site, transfer
    time and the DE421 Moon at its launch date, assumptions listed) when that module is in the
    build; otherwise a patched conic with a mean circular Moon (:func:`orbits.tli_budget`).
    """
    try:
        from .lunar_profiles import transfer_budget
    except ImportError:  # pragma: no cover - builds without the lunar profiles
        transfer_budget = None
    if transfer_budget is not None:
        p = transfer_budget(rec, cat)
        out = {
            "name": p.name,
            "launch_site": p.launch_site,
            "parking_inclination": p.parking_inclination,
            "lunar_orbit": p.lunar_orbit,
            "lunar_inclination": p.lunar_inclination,
            "transfer_time": rec.transfer_time.to(u.day) if rec.transfer_time is not None else None,
            "transfer_kind": p.transfer_kind,
            "budget_tof": p.tof,
            "moon_model": p.moon_model,
            "tli_dv": p.tli_dv,
            "loi_dv": p.loi_dv,
            "total_dv": p.total_dv,
        }
        if p.landing_latitude is not None:
            out["landing_latitude"] = p.landing_latitude
        out["assumptions"] = "; ".join(p.assumptions)
        return out
    return _mean_moon_budget(rec, cat)


def _mean_moon_budget(rec, cat) -> dict:
    import orbits

    orbit = rec.orbit("Moon")
    i_park, site = _parking_inclination(rec, cat)
    tof = rec.transfer_time
    leg_tof = tof
    if tof is None or not (0.5 * u.day <= tof <= 30 * u.day):
        leg_tof = 4.5 * u.day
    kwargs = {}
    if orbit is not None:
        kwargs = {
            "lunar_periapsis_altitude": max(orbit.periapsis, 1 * u.km),
            "lunar_apoapsis_altitude": max(orbit.apoapsis, orbit.periapsis, 1 * u.km),
        }
    budget = orbits.tli_budget(parking_inclination=i_park, tof=leg_tof, **kwargs)
    out = {
        "name": rec.name,
        "launch_site": site,
        "parking_inclination": i_park.to(u.deg),
        "lunar_orbit": (
            f"{orbit.periapsis.to_value(u.km):g} x {orbit.apoapsis.to_value(u.km):g} km"
            if orbit is not None else "none in catalog"
        ),
        "lunar_inclination": orbit.inclination.to(u.deg) if orbit is not None else None,
        "transfer_time": tof.to(u.day) if tof is not None else None,
        "budget_tof": leg_tof.to(u.day),
        "moon_model": "mean circular",
        "tli_dv": budget.tli_dv.to(_KMS),
        "loi_dv": budget.loi_dv.to(_KMS),
        "total_dv": budget.total_dv.to(_KMS),
    }
    if rec.landing_site is not None:
        out["landing_latitude"] = rec.landing_site.latitude.to(u.deg)
    return out


def _lunar(s1: Subject, s2: Subject, cat) -> dict:
    import orbits
    from orbits.core.constants import GM_MOON, R_MOON

    out = {"kind": "two lunar missions", "a": s1.name, "b": s2.name}
    budgets = []
    for s, key in ((s1, "a"), (s2, "b")):
        b = lunar_budget(s.record, cat)
        budgets.append(b)
        for k, v in b.items():
            if k != "name":
                out[f"{key}_{k}"] = v
    o1, o2 = s1.record.orbit("Moon"), s2.record.orbit("Moon")
    notes = [
        ("TLI and LOI: patched conic (orbits.tli_budget via missions.lunar_profiles) from a 200 km "
         "parking orbit at the launch site's parking inclination, the catalog transfer time and "
         "the DE421 Moon at the launch date where the catalog dates it; a_assumptions / "
         "b_assumptions list what was assumed"),
    ]
    if o1 is not None and o2 is not None:
        i1, i2 = o1.inclination.to(u.deg), o2.inclination.to(u.deg)
        lo = abs(i1 - i2)
        hi = orbits.plane_angle(i1, 0 * u.deg, i2, 180 * u.deg)
        gm = GM_MOON * u.km**3 / u.s**2
        a1 = R_MOON * u.km + (o1.periapsis + o1.apoapsis) / 2
        a2 = R_MOON * u.km + (o2.periapsis + o2.apoapsis) / 2
        lower = s1 if a1 <= a2 else s2
        v = np.sqrt(gm / min(a1, a2)).to(_KMS)
        out["min_plane_angle"] = lo
        out["max_plane_angle"] = hi
        out["lower_orbit"] = lower.name
        out["lower_orbit_speed"] = v
        out["plane_change_dv"] = orbits.plane_change_dv(v, lo)
        out["plane_change_dv_max"] = orbits.plane_change_dv(v, hi)
        try:
            e1 = {"a": a1, "ecc": 0 * u.one, "inc": i1}
            e2 = {"a": a2, "ecc": 0 * u.one, "inc": i2}
            rate = orbits.relative_node_drift(e1, e2, body="moon")
            out["relative_node_drift"] = rate
            if abs(rate.value) > 1e-12:
                out["node_cycle"] = (360 * u.deg / abs(rate)).to(u.day)
        except ValueError:
            pass
        notes.append(
            "lunar plane angle between |i1 - i2| and i1 + i2 (nodes unknown; lunar J2 moves them); "
            "plane-change dv at the circular speed of the lower lunar orbit's mean radius"
        )
        out["same_orbit_possible"] = bool(lo < 1 * u.deg)
    else:
        missing = [s.name for s, o in ((s1, o1), (s2, o2)) if o is None]
        notes.append(f"no lunar orbit in the catalog for {', '.join(missing)}: no plane angle")
    out["notes"] = notes
    return out


# --- launch windows ----------------------------------------------------------------------------------


def parse_start(start, name="start") -> Time:
    """A start time from a ``Time`` or an ISO date string, with a short error naming ``name``."""
    if isinstance(start, Time):
        return start
    if isinstance(start, str):
        import warnings

        from erfa import ErfaWarning

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ErfaWarning)
                return Time(start.strip(), scale="utc")
        except ValueError:
            pass
    raise ValueError(
        f"{name} must be a UTC date such as 2024-05-10 or 2024-05-10T06:00, got {start!r}"
    )


def station_launch_windows(site: str, station: str, *, start=None, days=7.0, catalog=None) -> QTable:
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
    days : float
        Length of the search, (0, 60] days.

    Returns
    -------
    QTable from :func:`orbits.launch_windows` (``time``, ``pass``, ``azimuth``) plus ``raan``,
    the node of the station plane at each window.
    """
    import orbits

    from .catalog import load_catalog

    cat = catalog if catalog is not None else load_catalog()
    s_site, s_orb = resolve(site, cat), resolve(station, cat)
    if s_site.kind != "site":
        raise ValueError(f"site must be a launch site in the catalog, got {site!r} ({s_site.kind})")
    if s_orb.kind != "earth orbit" or "raan" not in s_orb.elements:
        raise ValueError(
            f"station must be an Earth-orbiting mission with known node (a TLE), got {station!r} "
            f"({s_orb.kind}{'' if s_orb.kind != 'earth orbit' else ', no TLE'})"
        )
    if isinstance(days, u.Quantity):
        days = days.to_value(u.day)
    if not isinstance(days, (int, float)) or isinstance(days, bool) or not (0 < days <= 60):
        raise ValueError(f"days must be a number in (0, 60], got {days!r}")
    el = s_orb.elements
    t0 = Time(el["epoch"].utc.isot[:10]) if start is None else parse_start(start)
    rec = s_site.record
    i_min = orbits.min_inclination(rec.latitude)
    if not (i_min <= el["inc"] <= 180 * u.deg - i_min):
        raise ValueError(
            f"{rec.name} (lowest direct inclination {i_min.to_value(u.deg):.2f} deg) cannot launch "
            f"directly into the {el['inc'].to_value(u.deg):.2f} deg plane of {s_orb.name}: no in-plane windows; "
            f"see 'mission-compare compare \"{rec.name}\" \"{s_orb.name}\"' for the dog-leg cost"
        )
    rate = orbits.nodal_precession_rate(a=el["a"], ecc=el["ecc"], inc=el["inc"])
    table = orbits.launch_windows(
        rec.latitude, rec.longitude, el["raan"], el["epoch"], el["inc"], rate, t0, t0 + days * u.day
    )
    dt = (table["time"] - el["epoch"]).to(u.day)
    table["raan"] = np.round((el["raan"] + rate * dt).to_value(u.deg) % 360.0, 3) * u.deg
    table["azimuth"] = np.round(table["azimuth"], 3)
    table["time"].precision = 0
    table.meta["note"] = (
        f"{rec.name} into the plane of {s_orb.name} ({s_orb.elements_source}), node drifting "
        f"{rate.to_value(u.deg / u.day):.3f} deg/day (J2); " + table.meta.get("note", "")
    )
    return table


# --- formatting helpers ----------------------------------------------------------------------------


def _value_unit(val):
    if isinstance(val, u.Quantity):
        v = float(val.value)
        return (None if math.isnan(v) or math.isinf(v) else v), val.unit.to_string()
    if isinstance(val, Time):
        return val.utc.isot[:19], "UTC"
    if isinstance(val, (bool, np.bool_)):
        return bool(val), ""
    if isinstance(val, (int, float, np.integer, np.floating)):
        return float(val), ""
    return (None if val is None else str(val)), ""


def comparison_table(result: dict) -> QTable:
    """The comparison as a three-column table: ``item``, ``value`` (text), ``unit``."""
    items, values, units = [], [], []
    for k, v in result.items():
        if k == "notes":
            continue
        val, unit = _value_unit(v)
        if isinstance(val, float):
            text = f"{val:.4g}" if abs(val) < 1e5 else f"{val:.6g}"
        else:
            text = "" if val is None else str(val)
        items.append(k)
        values.append(text)
        units.append(unit)
    t = QTable({"item": items, "value": values, "unit": units})
    t.meta["notes"] = list(result.get("notes", []))
    return t


def comparison_json(result: dict) -> dict:
    """JSON-ready dict: Quantities as ``{"value", "unit"}``, Times as ISO strings."""
    out = {}
    for k, v in result.items():
        if k == "notes":
            out[k] = list(v)
            continue
        val, unit = _value_unit(v)
        if isinstance(v, u.Quantity):
            out[k] = None if val is None else {"value": val, "unit": unit}
        elif isinstance(v, Time):
            out[k] = val
        else:
            out[k] = val
    return out
