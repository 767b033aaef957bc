"""Transfer profiles of the catalog's lunar missions, each from its own site, vehicle and orbits.

``transfer_budget("Chang'e-5")`` computes one mission's Earth-Moon budget with
:func:`orbits.tli_budget`: the parking (or, for a direct injection, the transfer) plane from the
launch site, the real Moon (JPL DE421) at the catalog launch time when the launch is dated to
the day or better (else a mean circular Moon), and lunar orbit insertion into the mission's own
first lunar orbit. Where the mission flew, the catalog's flown figures are used: the time from
injection to lunar orbit insertion (its dated launch and LOI events, less the published ascent),
the first lunar orbit (an orbit record, or the published altitude facts), the injection perigee.
Whatever the catalog does not say is assumed and the assumption is listed in the profile
(``assumptions``), never hidden; ``basis`` says per profile which inputs were flown.

``lunar_profiles()`` tabulates every lunar mission; ``compare_profiles(a, b)`` puts two side by
side; ``family_points()`` feeds :func:`orbits.plots.lunar.transfer_family_chart`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time

from orbits._validation import as_value, describe_value
from orbits.errors import ArgumentError, ArgumentTypeError
from orbits.results import Result, TableResult, column, format_value, quantity, value

__all__ = [
    "DEFAULT_SITE_BY_AGENCY",
    "LunarProfiles",
    "TransferProfile",
    "compare_profiles",
    "family_points",
    "lunar_profiles",
    "lunar_site",
    "parking_inclination",
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
_DEFAULT_PARKING_ALTITUDE = 200 * u.km
#: Statuses of a mission that reached the Moon: its catalog orbit and events are flown ones.
_FLOWN_STATUSES = ("flown", "failed", "operating")
#: A direct injection's transfer plane must clear the Moon's declination at arrival by this much
#: for the n-body corrector (which keeps TLI in that plane) to reach the Moon: the integrated
#: arrival sits up to about 2 deg from the patched conic's (Chang'e-6 from Wenchang, 2024-05:
#: 0.5-2 deg above the declination does not converge, 3 deg does).
_PLANE_MARGIN = 3 * u.deg


@dataclass(frozen=True, repr=False)
class TransferProfile(Result):
    """One mission's computed transfer profile.

    Quantities are None where not applicable (no LOI for an L2 halo mission, no declination with the
    mean-Moon model).
    """

    key: str = value("key")
    name: str = value("mission")
    agency: str = value("agency")
    status: str = value("status")
    transfer_kind: str = value("transfer")
    launch_site: str = value("launch site")
    launch_vehicle: str = value("launch vehicle")
    vehicle_tli_capacity: u.Quantity | None = quantity("vehicle TLI capacity", "kg", fmt=".0f")
    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    parking_inclination: u.Quantity = quantity("parking inclination", "deg", fmt=".2f")
    departure: Time | None = value("TLI", fmt="minute")
    moon_model: str = value("Moon model")
    tof: u.Quantity = quantity("time of flight", "day", fmt=".2f")
    tli_dv: u.Quantity = quantity("TLI Δv", "km / s", fmt=".3f")
    loi_dv: u.Quantity | None = quantity("LOI Δv", "km / s", fmt=".3f")
    total_dv: u.Quantity = quantity("TLI + LOI Δv", "km / s", fmt=".3f")
    v_inf: u.Quantity = quantity("arrival excess speed", "km / s", fmt=".3f")
    moon_declination: u.Quantity | None = quantity("Moon declination at arrival", "deg", fmt=".2f")
    in_plane: bool | None = value("in-plane departure")
    departure_plane_change: u.Quantity = quantity("departure plane change", "deg", fmt=".2f")
    lunar_orbit: str = value("lunar orbit")
    lunar_inclination: u.Quantity | None = quantity("lunar inclination", "deg", fmt=".2f")
    lunar_orbit_period: u.Quantity | None = quantity("lunar orbit period", "h", fmt=".2f")
    landing_latitude: u.Quantity | None = quantity("landing latitude", "deg", fmt=".2f")
    min_lunar_inclination: u.Quantity | None = quantity(
        "lowest inclination over the site", "deg", fmt=".2f"
    )
    site_overflown: bool | None = value("orbit passes over the site")
    refined_tli_dv: u.Quantity | None = quantity("refined TLI Δv (n-body)", "km / s",
                                                 fmt=".3f", default=None)
    refined_loi_dv: u.Quantity | None = quantity("refined LOI Δv (n-body)", "km / s",
                                                 fmt=".3f", default=None)
    refined_tof: u.Quantity | None = quantity("refined time of flight", "day", fmt=".2f",
                                              default=None)
    refinement: str = value("refinement", default="")
    flown_tof: u.Quantity | None = quantity("flown launch to LOI", "day", fmt=".2f", default=None)
    launcher_capability: u.Quantity | None = quantity("launcher capability to TLI (published)",
                                                      "kg", fmt=".0f", default=None)
    launcher_source: str = value("launcher figure", default="")
    injection: str = value("injection", default="")
    flown_mass: u.Quantity | None = quantity("spacecraft mass on the transfer", "kg", fmt=".0f",
                                             default=None)
    basis: str = value("basis (F flown, P planned, A assumed)", default="")
    provenance: str = value("which numbers are flown", default="")
    assumptions: tuple[str, ...] = ()

    title = "Lunar transfer profile"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        loi = "" if self.loi_dv is None else f" + LOI {self.loi_dv.to_value(_KMS):.3f}"
        return (
            f"{self.name} from {self.launch_site}: TLI {self.tli_dv.to_value(_KMS):.3f}{loi} km/s, "
            f"tof {self.tof.to_value(u.day):.2f} d ({self.moon_model} Moon)"
        )

    def as_row(self) -> dict:
        """Return the profile as a dict of field name to value."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _BASE_FIELDS}


_BASE_FIELDS = {"notes", "inputs", "analysis_date", "warnings"}


@dataclass(frozen=True, repr=False)
class LunarProfiles(TableResult):
    """A row per lunar mission: site, parking orbit, transfer time and the TLI/LOI budget.

    The full :class:`TransferProfile` of each row is in ``profiles``.
    """

    name: np.ndarray = column("mission")
    launch_site: np.ndarray = column("launch site")
    parking_inclination: u.Quantity = column("i park", "deg", fmt=".1f")
    tof: u.Quantity = column("tof", "day", fmt=".2f")
    tli_dv: u.Quantity = column("TLI", "km / s", fmt=".3f")
    loi_dv: u.Quantity = column("LOI", "km / s", fmt=".3f")
    total_dv: u.Quantity = column("total", "km / s", fmt=".3f")
    moon_model: np.ndarray = column("Moon")
    lunar_inclination: u.Quantity = None
    profiles: tuple = ()

    title = "Lunar transfer profiles"

    def comparison(self) -> LunarComparison:
        """Return patched-conic against refined budgets, flown times and launcher capability.

        The refined columns are filled where the profiles were computed with
        ``refine=True`` (:func:`lunar_profiles`).
        """
        ps = self.profiles
        return LunarComparison(
            name=np.array([p.name for p in ps]),
            tli_dv=_qcol([p.tli_dv for p in ps], "km / s"),
            refined_tli_dv=_qcol([p.refined_tli_dv for p in ps], "km / s"),
            loi_dv=_qcol([p.loi_dv for p in ps], "km / s"),
            refined_loi_dv=_qcol([p.refined_loi_dv for p in ps], "km / s"),
            tof=_qcol([p.tof for p in ps], "day"),
            flown_tof=_qcol([p.flown_tof for p in ps], "day"),
            launcher_capability=_qcol([p.launcher_capability for p in ps], "kg"),
            flown_mass=_qcol([p.flown_mass for p in ps], "kg"),
            basis=np.array([p.basis for p in ps]),
            profiles=ps,
            inputs=_profile_inputs(ps),
            notes=_COMPARISON_NOTES + _comparison_notes(ps),
        )

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        return (
            f"{len(self)} lunar missions, TLI {self.tli_dv.min().to_value(_KMS):.3f}"
            f"–{self.tli_dv.max().to_value(_KMS):.3f} km/s"
        )

    @property
    def keys(self) -> list[str]:
        """Lookup keys of the missions, one per row."""
        return [p.key for p in self.profiles]


def _check_parking_altitude(value):
    """``None`` or a single altitude Quantity (checked like the transfer's own argument)."""
    if value is None:
        return None
    h = as_value(value, u.km, "parking_altitude", min=100.0, max=2000.0)
    if np.ndim(h):
        raise ArgumentError(f"parking_altitude must be a single altitude, got "
                            f"{describe_value(value)}")
    return float(h) * u.km


def _catalog(catalog):
    from missions.catalog import catalog_or_default

    return catalog_or_default(catalog)


def lunar_site(rec, cat):
    """Return the launch site of a lunar mission: ``(site record, note or None)``.

    If the catalog has none, the note is the sentence saying which was assumed
    (:data:`DEFAULT_SITE_BY_AGENCY`).
    """
    if rec.launch_site:
        return cat.site(rec.launch_site), None
    key = DEFAULT_SITE_BY_AGENCY.get(rec.agency, "vostochny")
    site = cat.site(key)
    return site, f"launch site not in catalog: {site.name} assumed ({rec.agency}'s lunar site)"


def parking_inclination(site) -> tuple[u.Quantity, str]:
    """Return the parking-orbit inclination from a launch site: ``(inclination, how chosen)``.

    Its documented lunar parking inclination (:data:`orbits.lunar.PARKING_INCLINATIONS`) or else the
    site's minimum direct-ascent inclination.
    """
    from orbits.lunar import PARKING_INCLINATIONS

    for name, inc in PARKING_INCLINATIONS.items():
        if name.casefold() in site.name.casefold():
            return inc, f"{name} lunar parking inclination {inc.to_value(u.deg):g} deg"
    import orbits

    inc = orbits.min_inclination(site.latitude)
    return inc.to(u.deg), "site's minimum direct-ascent inclination"


def _departure(rec, tof, ascent=None) -> tuple[Time | None, str]:
    """TLI epoch: the catalog launch time (plus the published ascent to injection, if any)."""
    from orbits.ephemeris import ephemeris_span

    date = rec.launch_date
    if date is None or date.precision in ("year", "month"):
        return None, "mean circular Moon (launch not dated to the day)"
    t = date.time if date.precision == "time" else date.time + 12 * u.hour
    if ascent is not None:
        t = t + ascent
    lo, hi = ephemeris_span().tdb.jd  # compare in TDB: no UTC conversion of 2053
    if not (lo <= t.tdb.jd and t.tdb.jd + tof.to_value(u.day) <= hi):
        return None, "mean circular Moon (launch outside DE421)"
    return t, "DE421 Moon at the catalog launch time" + (
        " (noon assumed)" if date.precision == "day" else ""
    ) + (f" + {ascent.to_value(u.min):g} min to injection (published)" if ascent is not None
         else "")


def _flown_tof(rec):
    """Launch to lunar-orbit insertion from the catalog's dated events (None if undated)."""
    launch = next((e for e in rec.events if e.kind == "launch"), None)
    loi = next((e for e in rec.events if e.kind == "LOI"), None)
    if launch is None or loi is None or loi.date.precision != "time":
        return None
    if launch.date.precision != "time":
        return None
    return (loi.date.time - launch.date.time).to(u.day)


def _fact(rec, name):
    """Return the value of the mission's fact ``name`` (None without one)."""
    f = next((f for f in rec.facts if f.name == name), None)
    return None if f is None else f.value


def _launcher(vehicle):
    """Return the published TLI capability of a vehicle (orbits.launchers): (mass, source, how).

    ``how`` is ``"TLI"``, ``"C3=0"`` (only an Earth-escape figure is published: a lower bound of
    the mass to a lunar transfer, whose C3 is about -2 km2/s2) or ``""`` (none: ``source`` says
    why, with the flown masses).
    """
    from orbits.errors import ValidationError
    from orbits.launchers import payload_to

    if vehicle is None:
        return None, "no launcher in the catalog", ""
    try:
        pay = payload_to(vehicle.name)
    except ValidationError as exc:  # nothing published to TLI: an escape figure, or say so
        why = str(exc) if "not in the launcher table" in str(exc) else \
            str(exc).split(": ", 1)[-1]
        if "published at C3 = 0 " in why or "published at C3 = 0," in why:
            try:
                pay = payload_to(vehicle.name, c3=0 * u.km**2 / u.s**2)
            except ValidationError:
                return None, why, ""
            return pay.mass.to(u.kg), f"{pay.source} (at C3 = 0: a lower bound to TLI)", "C3=0"
        return None, why, ""
    return pay.mass.to(u.kg), pay.source, "TLI"


def _refine(b, rec, hp, ha, inc_l):
    """Return the n-body refinement of a patched-conic budget: (tli, loi, tof, note)."""
    from orbits.errors import ValidationError
    from orbits.lunar import refine_transfer

    try:
        r = refine_transfer(b, lunar_periapsis_altitude=hp,
                            lunar_apoapsis_altitude=None if ha == hp else ha,
                            lunar_inclination=inc_l)
    except ValidationError as exc:  # a target the in-plane corrector cannot meet
        return None, None, None, f"not refined: {str(exc)[:160]}"
    return (r.tli_dv.to(_KMS), r.loi_dv.to(_KMS), r.tof.to(u.day),
            f"Earth + Moon + Sun point masses (DE421), impulsive; {r.iterations} iterations")


def _lunar_target(rec, notes, flown_notes):
    """LOI target from the catalog: (perilune, apolune, inclination or None, text, basis).

    Appends what it assumed to ``notes`` and the flown figures it used to ``flown_notes``.
    """
    flown = rec.status in _FLOWN_STATUSES
    orbit = rec.orbit("Moon")
    if orbit is not None:
        hp, ha, inc_l = orbit.periapsis, max(orbit.apoapsis, orbit.periapsis), orbit.inclination
        desc = f"{hp.to_value(u.km):g} x {ha.to_value(u.km):g} km, i {inc_l.to_value(u.deg):g} deg"
        return hp, ha, inc_l, desc, "F" if flown else "P"
    circ = _fact(rec, "lunar_orbit_altitude") if flown else None
    if isinstance(circ, u.Quantity):
        flown_notes.append(f"LOI into the flown near-circular {circ.to_value(u.km):g} km lunar "
                           "orbit (fact lunar_orbit_altitude; capture and circularisation costed "
                           "as one burn); its inclination is not published: any")
        return circ, circ, None, f"{circ.to_value(u.km):g} km near-circular (flown)", "F"
    peri = _fact(rec, "loi_periapsis_altitude") if flown else None
    if isinstance(peri, u.Quantity):
        apo = _fact(rec, "loi_apoapsis_altitude")
        if isinstance(apo, u.Quantity):
            flown_notes.append(f"LOI into the flown first lunar orbit, {peri.to_value(u.km):g} x "
                               f"{apo.to_value(u.km):g} km (facts loi_periapsis_altitude, "
                               "loi_apoapsis_altitude)")
            notes.append("first lunar orbit's inclination not published: any")
            return (peri, max(apo, peri), None,
                    f"{peri.to_value(u.km):g} x {apo.to_value(u.km):g} km (flown)", "F")
        flown_notes.append(f"LOI at the flown {peri.to_value(u.km):g} km perilune (fact "
                           "loi_periapsis_altitude)")
        notes.append("first lunar orbit's apolune and inclination not published: circular, any "
                     "inclination assumed")
        return peri, peri, None, f"{peri.to_value(u.km):g} km perilune (flown), circular", "F"
    hp = _DEFAULT_LUNAR_ALTITUDE
    if rec.target == "Moon":
        notes.append("lunar orbit not in catalog: LOI into 100 km circular, any inclination")
    return hp, hp, None, "none in catalog (100 km circular assumed for LOI)", "A"


def _direct_plane(i_park, dec, site):
    """Return a direct ascent's plane when the site's own is too close to the Moon.

    Returns ``(inclination, note)``; the inclination is unchanged (note None) while the plane
    clears the Moon's declination at arrival by :data:`_PLANE_MARGIN`.
    """
    import orbits

    dec = abs(dec.to(u.deg))
    if i_park - dec >= _PLANE_MARGIN:
        return i_park, None
    inc = (dec + _PLANE_MARGIN).to(u.deg)
    az = orbits.launch_azimuth(site.latitude, inc).inertial_ascending.to_value(u.deg)
    return inc, (
        f"direct injection: the Moon's declination at arrival, {dec.to_value(u.deg):.2f} deg, "
        f"is within {_PLANE_MARGIN.to_value(u.deg):g} deg of the {i_park.to_value(u.deg):g} deg "
        "plane, which the n-body corrector cannot reach; the budgets use a "
        f"{inc.to_value(u.deg):.2f} deg transfer plane through {site.name} (inertial launch "
        f"azimuth {az:.1f} deg), one a direct ascent from the site can fly (the flown plane is "
        "not published)")


def transfer_budget(
    mission, catalog=None, *, parking_altitude=None, ephemeris="de421",
    refine: bool = False,
) -> TransferProfile:
    """Earth-Moon transfer profile of one catalog mission (by name, alias or record).

    Parameters
    ----------
    mission : str or missions.records.Mission
        A mission whose target is the Moon or Earth-Moon L2.
    catalog : missions.catalog.Catalog, optional
        Default: the built-in catalog.
    parking_altitude : Quantity, optional
        Circular parking (or injection perigee) altitude. Default: the mission's published
        injection perigee (fact ``injection_perigee_altitude``), else 200 km.
    refine : bool
        Also refine the transfer in Earth + Moon + Sun dynamics with DE421
        (:func:`orbits.lunar.refine_transfer`, about a second a mission); only for missions
        dated to the day inside DE421 (the patched conic then uses the DE421 Moon too).

    Notes
    -----
    Flown inputs, where the catalog has them: the time of flight from injection to LOI (the
    launch and LOI events, less the published launch-to-injection time, fact
    ``launch_to_injection_duration``), the first lunar orbit (an orbit record, else the facts
    ``lunar_orbit_altitude`` or ``loi_periapsis_altitude`` with ``loi_apoapsis_altitude``), a
    direct injection by the launcher (fact ``injection``: then the transfer plane is any through
    the site, chosen to contain the Moon's arrival direction) and the spacecraft's mass (fact
    ``launch_mass``). ``basis`` lists which were flown (F), planned (P) or assumed (A).

    Raises
    ------
    KeyError
        Unknown mission name (with the closest names).
    orbits.errors.ArgumentError
        The mission does not go to the Moon.
    """
    import orbits
    from orbits.lunar import lunar_orbit_properties, site_coverage

    cat = _catalog(catalog)
    parking_altitude = _check_parking_altitude(parking_altitude)
    if not isinstance(refine, (bool, np.bool_)):
        raise ArgumentTypeError(f"refine must be True or False, got {describe_value(refine)}")
    rec = _record(mission, cat)
    if rec.target not in _LUNAR_TARGETS:
        raise ArgumentError(
            f"mission {rec.name!r} targets {rec.target!r}, not the Moon: transfer_budget needs a "
            f"mission with target in {_LUNAR_TARGETS}"
        )
    notes: list[str] = []  # what is assumed
    flown_notes: list[str] = []  # which flown figures are used
    flown = rec.status in _FLOWN_STATUSES

    # launch site, injection and parking orbit
    site, assumed = lunar_site(rec, cat)
    if assumed:
        notes.append(assumed)
    injection = _fact(rec, "injection")
    direct = isinstance(injection, str) and injection.startswith("direct")
    perigee = _fact(rec, "injection_perigee_altitude")
    if parking_altitude is None:
        parking_altitude = perigee if isinstance(perigee, u.Quantity) else \
            _DEFAULT_PARKING_ALTITUDE
        alt_how = "published injection perigee" if isinstance(perigee, u.Quantity) else \
            "assumed"
    else:
        alt_how = "given"
    i_park, how = parking_inclination(site)
    if direct:
        flown_notes.append(f"{injection} (published); transfer plane at least the site's {how}")
        (notes if alt_how == "assumed" else flown_notes).append(
            f"transfer perigee {parking_altitude.to_value(u.km):g} km ({alt_how})")
    else:
        notes.append(f"parking orbit {parking_altitude.to_value(u.km):g} km ({alt_how}) at {how}")

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
    flown_tof = _flown_tof(rec)
    ascent = _fact(rec, "launch_to_injection_duration")
    ascent = ascent.to(u.min) if isinstance(ascent, u.Quantity) else None
    tof = rec.transfer_time
    tof_basis = "P" if tof is not None else "A"
    if kind == "direct" and flown_tof is not None:
        tof = flown_tof - ascent if ascent is not None else flown_tof
        tof_basis = "F"
        flown_notes.append(
            "time of flight flown: the catalog's launch and LOI events"
            + (f", less the published {ascent.to_value(u.min):g} min from lift-off to injection"
               if ascent is not None else
               " (the ascent and any parking coast before TLI are included: not published)"))
    elif kind == "phasing loops":
        ph = orbits.phasing_profile(parking_altitude=parking_altitude, loops=3)
        lunar_leg = None if tof is None else tof - ph.added_time
        notes.append(
            "phasing: 3 equal-burn loops assumed; their time is taken off the catalog total"
        )
        tof = lunar_leg
    if kind in ("L2 halo", "low-energy"):
        notes.append(
            f"{kind}: Earth departure and arrival budget of a {_DEFAULT_TOF.to_value(u.day):g}-day "
            f"direct leg to the Moon's distance shown; the {kind} insertion itself is not modelled"
        )
        tof = _DEFAULT_TOF
        tof_basis = "A"
    if tof is None or not (0.5 * u.day <= tof <= 30 * u.day):
        notes.append(f"transfer time not in catalog: {_DEFAULT_TOF.to_value(u.day):g} d assumed")
        tof = _DEFAULT_TOF
        tof_basis = "A"
    tof = tof.to(u.day)

    # lunar orbit
    hp, ha, inc_l, desc, orbit_basis = _lunar_target(rec, notes, flown_notes)
    period = lunar_orbit_properties(hp, ha).period if rec.orbit("Moon") is not None else None

    departure, model = _departure(rec, tof, ascent if tof_basis == "F" else None)
    notes.append(model)

    def budget(inc):
        return orbits.tli_budget(
            parking_altitude=parking_altitude, parking_inclination=inc, tof=tof,
            lunar_periapsis_altitude=hp, lunar_apoapsis_altitude=ha, lunar_inclination=inc_l,
            departure=departure, ephemeris=ephemeris)

    b = budget(i_park)
    if direct and departure is not None and b.moon_declination is not None:
        i_new, plane_note = _direct_plane(i_park, b.moon_declination, site)
        if plane_note is not None:
            i_park = i_new
            notes.append(plane_note)
            b = budget(i_park)
    is_halo = rec.target == "Earth-Moon L2"
    loi = None if is_halo else b.loi_dv.to(_KMS)
    total = b.tli_dv if is_halo else b.total_dv
    refined = (None, None, None, "")
    if refine and is_halo:
        refined = (None, None, None, "not refined: L2 halo insertion is not modelled")
    elif refine and departure is None:
        refined = (None, None, None, f"not refined: {model}")
    elif refine:
        refined = _refine(b, rec, hp, ha, inc_l)
    cap, cap_source, cap_how = _launcher(vehicle)
    mass = _fact(rec, "launch_mass")
    mass = mass.to(u.kg) if isinstance(mass, u.Quantity) else None
    inj_basis = ("F" if flown else "P") if direct else "A"
    basis = f"orbit {orbit_basis}, tof {tof_basis}, " + ("direct " if direct else "parking ") \
        + inj_basis
    flown_items = [name for name, code in (("first lunar orbit", orbit_basis),
                                           ("time of flight", tof_basis),
                                           ("direct injection", inj_basis if direct else "A"))
                   if code == "F"]
    if flown_tof is not None and "time of flight" not in flown_items:
        flown_items.append("launch to LOI")
    if cap is not None:
        flown_items.append("launcher capability (published"
                           + (", at C3 = 0)" if cap_how == "C3=0" else ")"))
    if mass is not None:
        flown_items.append("spacecraft mass" + ("" if flown else " (planned)"))
    provenance = ("flown/published: " + ", ".join(flown_items)
                  if flown_items else "nothing flown recorded") + (
        "; computed: patched-conic TLI/LOI" + (" and n-body refinement"
                                                if refined[0] is not None else ""))
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
        refined_tli_dv=refined[0],
        refined_loi_dv=refined[1],
        refined_tof=refined[2],
        refinement=refined[3],
        flown_tof=flown_tof,
        launcher_capability=cap,
        launcher_source=cap_source,
        injection=injection if direct else "parking orbit (assumed)",
        flown_mass=mass,
        basis=basis,
        provenance=provenance,
        assumptions=tuple(notes),
        notes=tuple(flown_notes + notes),
        inputs=b.inputs,
    )


def _record(mission, cat):
    from missions.records import Mission

    if isinstance(mission, str):
        return cat.mission(mission)
    if isinstance(mission, Mission):
        return mission
    raise ArgumentTypeError(
        "mission must be a catalog name or a missions.records.Mission, "
        f"got {type(mission).__name__}"
    )


def _qcol(values, unit):
    """Return a Quantity column from Quantities or None (None -> NaN: blank cell, JSON null)."""
    return np.array([np.nan if v is None else v.to_value(unit) for v in values]) * u.Unit(unit)


def lunar_profiles(catalog=None, *, missions=None, parking_altitude=None,
                   refine: bool = False) -> LunarProfiles:
    """Return a row per lunar mission, with its computed :class:`TransferProfile` in ``profiles``.

    Every mission with target Moon or Earth-Moon L2, or each mission in ``missions`` (names or
    records).
    """
    cat = _catalog(catalog)
    if isinstance(missions, str):
        missions = [missions]
    if missions is not None:
        try:
            missions = list(missions)
        except TypeError:
            raise ArgumentTypeError(f"missions must be a list of mission names or records, got "
                                    f"{describe_value(missions)}") from None
    if missions is None:
        recs = [m for m in cat.filter(target=list(_LUNAR_TARGETS)) if m.kind != "programme"]
    else:
        recs = [_record(m, cat) for m in missions]
    ps = tuple(transfer_budget(m, cat, parking_altitude=parking_altitude, refine=refine)
               for m in recs)
    return LunarProfiles(
        name=np.array([p.name for p in ps]),
        launch_site=np.array([p.launch_site.split()[0] for p in ps]),
        parking_inclination=_qcol([p.parking_inclination for p in ps], "deg"),
        tof=_qcol([p.tof for p in ps], "day"),
        tli_dv=_qcol([p.tli_dv for p in ps], "km / s"),
        loi_dv=_qcol([p.loi_dv for p in ps], "km / s"),
        total_dv=_qcol([p.total_dv for p in ps], "km / s"),
        lunar_inclination=_qcol([p.lunar_inclination for p in ps], "deg"),
        moon_model=np.array([p.moon_model.replace(" circular", "") for p in ps]),
        profiles=ps,
        inputs=_profile_inputs(ps),
        notes=(
            "patched conic (orbits.tli_budget) from each mission's own launch site, transfer "
            "time and the DE421 Moon at its launch date where the catalog dates it; flown "
            "missions use their flown time of flight and first lunar orbit where published; "
            "blank LOI: an L2 halo mission (insertion not modelled)",
        ),
    )


def _profile_inputs(ps) -> tuple:
    """Return the inputs of the profiles (the DE421 ephemeris of the dated ones) and the catalog."""
    from orbits.results import InputSet

    seen = dict.fromkeys(i for p in ps for i in p.inputs)
    return (*seen, InputSet("catalog", "missions/data (lunar missions: dates, orbits, "
                                       "launchers; each mission at its own dates)"))


_COMPARISON_NOTES = (
    "computed: 'TLI' and 'LOI' are patched conics (orbits.tli_budget), impulsive; 'nb' "
    "refines the same transfer in Earth + Moon + Sun point-mass dynamics with DE421, also "
    "impulsive, arriving after 'tof' (the budgets' injection-to-LOI time)",
    "basis: where the budget's inputs come from, F flown (catalog events and facts, cited), P "
    "planned, A assumed: 'orbit' the LOI target (first lunar orbit), 'tof' the time of flight, "
    "'direct' a direct injection by the launcher (transfer plane chosen through the site) or "
    "'parking' a circular parking orbit at the site's lunar inclination",
    "flown: 'flown' is launch to lunar-orbit insertion from the catalog's dated events; "
    "'payload' the spacecraft mass the launcher put on the transfer (catalog launch_mass)",
    "published: 'launcher' is the mass the launcher is published to put on a lunar transfer "
    "(orbits.launchers)",
)


def _comparison_notes(ps) -> tuple[str, ...]:
    """Return the notes that depend on the rows: what is blank and why, chosen planes."""
    out = []
    by_reason: dict[str, list[str]] = {}
    for p in ps:
        if p.refined_tli_dv is None and p.refinement:
            why = p.refinement.removeprefix("not refined: ")
            if why.startswith("mean circular Moon"):
                why = "no launch date to the day (no DE421 Moon to aim at)"
            elif "n-body correction" in why:
                why = "n-body correction failed: " + why.split(": ", 1)[-1][:90]
            by_reason.setdefault(why, []).append(p.name)
    if by_reason:
        out.append("blank 'nb': " + "; ".join(f"{', '.join(names)}: {why}"
                                                for why, names in by_reason.items()))
    blank = [p for p in ps if p.launch_vehicle and p.launcher_capability is None]
    unknown = sorted({p.launch_vehicle for p in blank if "not in the launcher table"
                      in p.launcher_source})
    none = sorted({p.launch_vehicle for p in blank} - set(unknown))
    nolv = [p.name for p in ps if not p.launch_vehicle]
    parts = ([f"{', '.join(none)}: no capability to a lunar transfer published"] if none else []) \
        + ([f"{', '.join(unknown)}: not in orbits.launchers"] if unknown else []) \
        + ([f"{', '.join(nolv)}: no launcher in the catalog"] if nolv else [])
    if parts:
        out.append("blank 'launcher': " + "; ".join(parts))
    escape = sorted({p.launch_vehicle for p in ps if "(at C3 = 0" in p.launcher_source})
    if escape:
        out.append(f"'launcher' of {', '.join(escape)}: only its Earth-escape (C3 = 0) figure is "
                   "published, a lower bound of the mass to a lunar transfer (C3 about -2 km2/s2)")
    planned = [p.name for p in ps if p.flown_mass is not None
               and p.status not in _FLOWN_STATUSES]
    if planned:
        out.append(f"'payload' of {', '.join(planned)}: the planned mass")
    targets = [f"{p.name} {p.lunar_orbit.split(' (')[0].split(', i ')[0]}" for p in ps
               if p.loi_dv is not None and not p.lunar_orbit.startswith("none in catalog")]
    if targets:
        out.append("LOI into each mission's own orbit: " + "; ".join(targets)
                   + "; the others 100 km circular (assumed)")
    for p in ps:
        plane = next((a for a in p.assumptions if a.startswith("direct injection: the Moon's")),
                     None)
        if plane is not None:
            out.append(f"{p.name}: {plane.removeprefix('direct injection: ')}")
    return tuple(out)


@dataclass(frozen=True, repr=False)
class LunarComparison(TableResult):
    """A row per lunar mission: patched-conic and n-body TLI/LOI, flown time, launcher mass.

    Columns: ``tli_dv``/``loi_dv`` (patched conic) and ``refined_tli_dv``/``refined_loi_dv``
    (Earth + Moon + Sun n-body, NaN where not refined), ``tof`` (the budgets' injection-to-LOI
    time), ``flown_tof`` (launch to LOI from the catalog's events), ``launcher_capability`` (the
    launcher's published mass to a lunar transfer), ``flown_mass`` (the spacecraft's mass on the
    transfer) and ``basis`` (which inputs are flown, planned or assumed). The notes say once why
    cells are blank.
    """

    name: np.ndarray = column("mission")
    tli_dv: u.Quantity = column("TLI", "km / s", fmt=".3f")
    refined_tli_dv: u.Quantity = column("TLI nb", "km/s", fmt=".3f")
    loi_dv: u.Quantity = column("LOI", "km / s", fmt=".3f")
    refined_loi_dv: u.Quantity = column("LOI nb", "km/s", fmt=".3f")
    tof: u.Quantity = column("tof", "day", fmt=".2f")
    flown_tof: u.Quantity = column("flown", "day", fmt=".2f")
    launcher_capability: u.Quantity = column("launcher", "kg", fmt=".0f")
    flown_mass: u.Quantity = column("payload", "kg", fmt=".0f")
    basis: np.ndarray = column("basis")
    profiles: tuple = ()

    title = "Lunar transfers: patched conic, n-body, flown"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        n = int(np.sum(np.isfinite(self.refined_tli_dv.value)))
        return f"{len(self)} lunar missions, {n} refined in n-body dynamics"

    def _text_table(self) -> list[str]:
        """Return the rows, each unit on a second header line (fits 100 columns)."""
        cols = self._columns()
        labels = [label for _, label, _, _ in cols]
        units = [val.unit.to_string().replace(" / ", "/") if isinstance(val, u.Quantity) else ""
                 for _, _, val, _ in cols]
        texts = [[format_value(x, fmt) for x in (val.value if isinstance(val, u.Quantity)
                                                  else val)] for _, _, val, fmt in cols]
        widths = [max([len(a), len(b)] + [len(c) for c in col])
                  for a, b, col in zip(labels, units, texts)]
        head = ["  ".join(h.ljust(w) for h, w in zip(row, widths)).rstrip()
                for row in (labels, units)]
        body = ["  ".join(col[i].ljust(w) for col, w in zip(texts, widths)).rstrip()
                for i in range(len(self))]
        return [*head, "  ".join("-" * w for w in widths), *body]


def compare_profiles(a, b, catalog=None, *, parking_altitude=None) -> QTable:
    """Return two missions' profiles side by side.

    One row per quantity (its label), one column per mission, values as rounded text (blank where
    not applicable).
    """
    cat = _catalog(catalog)
    pa, pb = (transfer_budget(m, cat, parking_altitude=parking_altitude) for m in (a, b))
    ra, rb = pa._scalar_rows(), pb._scalar_rows()
    out = QTable({"quantity": [label for _, label, _, _ in ra if label != "mission"]})
    for p, rows in ((pa, ra), (pb, rb)):
        out[p.name] = [text for _, label, _, text in rows if label != "mission"]
    return out


def family_points(catalog=None, profiles: QTable | None = None):
    """Return catalog missions as points for :func:`orbits.plots.lunar.transfer_family_chart`.

    The catalog's own transfer time (phasing loops included) against the computed Δv (TLI + LOI; TLI
    alone for the L2 halo, whose insertion is not modelled, marked in the label).
    """
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
    """Return the transfer-family chart with each catalog lunar mission that has a transfer time."""
    from orbits.plots.lunar import transfer_family_chart

    return transfer_family_chart(
        family_points(catalog), title="Lunar missions on the transfer families"
    )
