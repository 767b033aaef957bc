"""Transfer profiles of the catalog's lunar missions, each from its own site, vehicle and orbits.

``transfer_budget("Chang'e-5")`` computes one mission's Earth-Moon budget with
:func:`orbits.tli_budget`: the parking orbit at the launch site's lunar parking inclination,
the catalog's transfer time, the real Moon (JPL DE421) at the catalog launch time when the
launch is dated to the day or better (else a mean circular Moon), and lunar orbit insertion
into the mission's own first lunar orbit. Whatever the catalog does not say is assumed and the
assumption is listed in the profile (``assumptions``), never hidden.

``lunar_profiles()`` tabulates every lunar mission; ``compare_profiles(a, b)`` puts two side by
side; ``family_points()`` feeds :func:`orbits.plots.lunar.transfer_family_chart`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time
from astropy.utils.masked import Masked

__all__ = [
    "DEFAULT_SITE_BY_AGENCY",
    "TransferProfile",
    "compare_profiles",
    "family_points",
    "lunar_profiles",
    "transfer_budget",
    "transfer_family_figure",
]

_KMS = u.km / u.s
_LUNAR_TARGETS = ("Moon", "Earth-Moon L2")

#: Launch site assumed for a planned mission whose site the catalog does not give: each
#: agency's current lunar launch site (Luna-25 flew from Vostochny; Chang'e-5, -6 and
#: Queqiao-2 from Wenchang, per the catalog).
DEFAULT_SITE_BY_AGENCY = {"Roscosmos": "vostochny", "CNSA": "wenchang", "CMSA": "wenchang"}

_DEFAULT_TOF = 4.5 * u.day
_DEFAULT_LUNAR_ALTITUDE = 100 * u.km


@dataclass(frozen=True)
class TransferProfile:
    """One mission's computed transfer profile. Quantities are None where not applicable."""

    key: str
    name: str
    agency: str
    status: str
    transfer_kind: str
    launch_site: str
    launch_vehicle: str
    vehicle_tli_capacity: u.Quantity | None
    parking_altitude: u.Quantity
    parking_inclination: u.Quantity
    departure: Time | None
    moon_model: str
    tof: u.Quantity
    tli_dv: u.Quantity
    loi_dv: u.Quantity | None
    total_dv: u.Quantity
    v_inf: u.Quantity
    moon_declination: u.Quantity | None
    in_plane: bool | None
    departure_plane_change: u.Quantity
    lunar_orbit: str
    lunar_inclination: u.Quantity | None
    lunar_orbit_period: u.Quantity | None
    landing_latitude: u.Quantity | None
    min_lunar_inclination: u.Quantity | None
    site_overflown: bool | None
    assumptions: tuple[str, ...]

    def as_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _catalog(catalog):
    if catalog is None:
        from missions.catalog import load_catalog

        return load_catalog()
    return catalog


def _parking_inclination(site) -> tuple[u.Quantity, str]:
    from orbits.lunar import PARKING_INCLINATIONS

    for name, inc in PARKING_INCLINATIONS.items():
        if name.casefold() in site.name.casefold():
            return inc, f"{name} lunar parking inclination {inc.to_value(u.deg):g} deg"
    import orbits

    inc = orbits.min_inclination(site.latitude)
    return inc.to(u.deg), "site's minimum direct-ascent inclination"


def _departure(rec, tof) -> tuple[Time | None, str]:
    from orbits.ephemeris import ephemeris_span

    date = rec.launch_date
    if date is None or date.precision in ("year", "month"):
        return None, "mean circular Moon (launch not dated to the day)"
    t = date.time if date.precision == "time" else date.time + 12 * u.hour
    lo, hi = ephemeris_span().tdb.jd  # compare in TDB: no UTC conversion of 2053
    if not (lo <= t.tdb.jd and t.tdb.jd + tof.to_value(u.day) <= hi):
        return None, "mean circular Moon (launch outside DE421)"
    return t, "DE421 Moon at the catalog launch time" + (" (noon assumed)" if date.precision == "day" else "")


def transfer_budget(
    mission, catalog=None, parking_altitude=200 * u.km, ephemeris="de421"
) -> TransferProfile:
    """Earth-Moon transfer profile of one catalog mission (by name, alias or record).

    Parameters
    ----------
    mission : str or missions.records.Mission
        A mission whose target is the Moon or Earth-Moon L2.
    catalog : missions.catalog.Catalog, optional
        Default: the built-in catalog.
    parking_altitude : Quantity
        Circular parking altitude (the catalog has none per vehicle), default 200 km.

    Raises
    ------
    KeyError
        Unknown mission name (with the closest names).
    ValueError
        The mission does not go to the Moon.
    """
    import orbits
    from orbits.lunar import lunar_orbit_properties, site_coverage

    cat = _catalog(catalog)
    rec = cat.mission(mission) if isinstance(mission, str) else mission
    if rec.target not in _LUNAR_TARGETS:
        raise ValueError(
            f"mission {rec.name!r} targets {rec.target!r}, not the Moon: transfer_budget needs a "
            f"mission with target in {_LUNAR_TARGETS}"
        )
    notes: list[str] = []

    # launch site and parking orbit
    if rec.launch_site:
        site = cat.site(rec.launch_site)
    else:
        key = DEFAULT_SITE_BY_AGENCY.get(rec.agency, "vostochny")
        site = cat.site(key)
        notes.append(f"launch site not in catalog: {site.name} assumed ({rec.agency}'s lunar site)")
    i_park, how = _parking_inclination(site)
    notes.append(f"parking orbit {parking_altitude.to_value(u.km):g} km at {how}")

    vehicle = cat.vehicle(rec.launch_vehicle) if rec.launch_vehicle else None
    tli_cap = None
    if vehicle is not None:
        p = vehicle.payload("TLI")
        tli_cap = p.mass.to(u.kg) if p is not None else None

    # transfer kind and time
    legs = [leg for leg in rec.transfer if leg.kind not in ("return", "lunar orbit rendezvous")]
    kind = legs[0].kind if legs else "direct"
    if not legs:
        notes.append("no transfer leg in catalog: direct transfer assumed")
    tof = rec.transfer_time
    if kind == "phasing loops":
        ph = orbits.phasing_profile(parking_altitude, loops=3)
        lunar_leg = None if tof is None else tof - ph.added_time
        notes.append("phasing: 3 equal-burn loops assumed; their time is taken off the catalog total")
        tof = lunar_leg
    if kind in ("L2 halo", "low-energy"):
        notes.append(
            f"{kind}: Earth departure and arrival budget of a {_DEFAULT_TOF.to_value(u.day):g}-day "
            f"direct leg to the Moon's distance shown; the {kind} insertion itself is not modelled"
        )
        tof = _DEFAULT_TOF
    if tof is None or not (0.5 * u.day <= tof <= 30 * u.day):
        notes.append(f"transfer time not in catalog: {_DEFAULT_TOF.to_value(u.day):g} d assumed")
        tof = _DEFAULT_TOF
    tof = tof.to(u.day)

    # lunar orbit
    orbit = rec.orbit("Moon")
    if orbit is not None:
        hp, ha, inc_l = orbit.periapsis, max(orbit.apoapsis, orbit.periapsis), orbit.inclination
        desc = f"{hp.to_value(u.km):g} x {ha.to_value(u.km):g} km, i {inc_l.to_value(u.deg):g} deg"
        period = lunar_orbit_properties(hp, ha)["period"]
    else:
        hp = ha = _DEFAULT_LUNAR_ALTITUDE
        inc_l = None
        period = None
        desc = "none in catalog (100 km circular assumed for LOI)"
        if rec.target == "Moon":
            notes.append("lunar orbit not in catalog: LOI into 100 km circular, any inclination")

    departure, model = _departure(rec, tof)
    notes.append(model)
    b = orbits.tli_budget(
        parking_altitude, i_park, tof, hp, ha, inc_l, departure=departure, ephemeris=ephemeris
    )
    is_halo = rec.target == "Earth-Moon L2"
    loi = None if is_halo else b.loi_dv.to(_KMS)
    total = b.tli_dv if is_halo else b.total_dv
    lat = rec.landing_site.latitude.to(u.deg) if rec.landing_site is not None else None
    overflown = None
    if lat is not None and inc_l is not None:
        overflown = bool(site_coverage(lat, inc_l))
    return TransferProfile(
        key=rec.key,
        name=rec.name,
        agency=rec.agency,
        status=rec.status,
        transfer_kind=kind,
        launch_site=site.name,
        launch_vehicle=vehicle.name if vehicle is not None else "",
        vehicle_tli_capacity=tli_cap,
        parking_altitude=parking_altitude.to(u.km),
        parking_inclination=i_park.to(u.deg),
        departure=departure,
        moon_model="DE421" if departure is not None else "mean circular",
        tof=tof,
        tli_dv=b.tli_dv.to(_KMS),
        loi_dv=loi,
        total_dv=total.to(_KMS),
        v_inf=b.v_inf.to(_KMS),
        moon_declination=b.moon_declination,
        in_plane=bool(b.in_plane) if departure is not None else None,
        departure_plane_change=b.departure_plane_change.to(u.deg),
        lunar_orbit=desc,
        lunar_inclination=inc_l.to(u.deg) if inc_l is not None else None,
        lunar_orbit_period=period,
        landing_latitude=lat,
        min_lunar_inclination=None if lat is None else abs(lat),
        site_overflown=overflown,
        assumptions=tuple(notes),
    )


def _qcol(values, unit):
    mask = np.array([v is None for v in values])
    data = np.array([0.0 if v is None else v.to_value(unit) for v in values])
    q = data * u.Unit(unit)
    return Masked(q, mask=mask) if mask.any() else q


def _table(profiles) -> QTable:
    t = QTable()
    for col in ("key", "name", "agency", "status", "transfer_kind", "launch_site", "launch_vehicle", "moon_model", "lunar_orbit"):
        t[col] = [getattr(p, col) for p in profiles]
    t["departure"] = [p.departure.utc.isot[:16] if p.departure is not None else "" for p in profiles]
    for col, unit in (
        ("parking_inclination", u.deg), ("tof", u.day), ("tli_dv", _KMS), ("loi_dv", _KMS),
        ("total_dv", _KMS), ("v_inf", _KMS), ("moon_declination", u.deg),
        ("departure_plane_change", u.deg), ("lunar_inclination", u.deg),
        ("lunar_orbit_period", u.h), ("landing_latitude", u.deg), ("min_lunar_inclination", u.deg),
        ("vehicle_tli_capacity", u.kg),
    ):
        t[col] = _qcol([getattr(p, col) for p in profiles], unit)
    for col in ("in_plane", "site_overflown"):
        vals = [getattr(p, col) for p in profiles]
        from astropy.table import MaskedColumn

        t[col] = MaskedColumn([bool(v) for v in vals], mask=[v is None for v in vals])
    t["assumptions"] = ["; ".join(p.assumptions) for p in profiles]
    return t


def lunar_profiles(catalog=None, missions=None, parking_altitude=200 * u.km) -> QTable:
    """A QTable with one computed profile per lunar mission (target Moon or Earth-Moon L2),
    or per mission in ``missions`` (names or records). Unknown values are masked."""
    cat = _catalog(catalog)
    if missions is None:
        recs = [m for m in cat.filter(target=list(_LUNAR_TARGETS)) if m.kind != "programme"]
    else:
        recs = [cat.mission(m) if isinstance(m, str) else m for m in missions]
    return _table([transfer_budget(m, cat, parking_altitude) for m in recs])


def compare_profiles(a, b, catalog=None, parking_altitude=200 * u.km) -> QTable:
    """Two missions' profiles side by side: one row per quantity, one column per mission."""
    cat = _catalog(catalog)
    t = lunar_profiles(cat, [a, b], parking_altitude)
    names = list(t["name"])
    rows = [c for c in t.colnames if c not in ("name",)]

    def fmt(v):
        if isinstance(v, u.Quantity):
            if np.ma.is_masked(v) or (hasattr(v, "mask") and np.any(v.mask)):
                return "—"
            return f"{v.value:.4g} {v.unit}"
        if np.ma.is_masked(v):
            return "—"
        return str(v)

    out = QTable({"quantity": rows})
    for k, name in enumerate(names):
        out[name] = [fmt(t[c][k]) for c in rows]
    return out


def family_points(catalog=None, profiles: QTable | None = None):
    """Catalog missions as points for :func:`orbits.plots.lunar.transfer_family_chart`:
    the catalog's own transfer time (phasing loops included) against the computed Δv (TLI +
    LOI; TLI alone for the L2 halo, whose insertion is not modelled, marked in the label)."""
    from orbits.plots.lunar import TransferPoint

    cat = _catalog(catalog)
    pts = []
    for m in cat.filter(target=list(_LUNAR_TARGETS)):
        if m.transfer_time is None or m.kind == "programme":
            continue
        p = transfer_budget(m, cat)
        label = m.name + (" (TLI only)" if m.target == "Earth-Moon L2" else "")
        pts.append(TransferPoint(label, m.transfer_time.to(u.day), p.total_dv, m.agency))
    return pts


def transfer_family_figure(catalog=None):
    """The transfer-family chart with every catalog lunar mission that has a transfer time."""
    from orbits.plots.lunar import transfer_family_chart

    return transfer_family_chart(family_points(catalog), title="Lunar missions on the transfer families")
