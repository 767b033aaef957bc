"""Typed, immutable mission records.

Every record is a frozen dataclass. Numbers are astropy ``Quantity``; dates are
:class:`MissionDate` (an astropy ``Time`` with the precision it was announced at, since
"2027" and "2023-08-10T23:10:57" are different statements). Each fact points at a
:class:`Source` by key; the catalog resolves the keys.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, fields
from typing import Any

from astropy import units as u
from astropy.time import Time
from erfa import ErfaWarning

__all__ = [
    "AGENCIES",
    "BODIES",
    "EVENT_KINDS",
    "KINDS",
    "STATUSES",
    "TRANSFER_KINDS",
    "Alternative",
    "Announcement",
    "AzimuthRange",
    "Event",
    "Fact",
    "InclinationRange",
    "LandingSite",
    "Launch",
    "LaunchSite",
    "LaunchVehicle",
    "Member",
    "Mission",
    "MissionDate",
    "PartnerPayload",
    "Payload",
    "Phase",
    "SMALL_BODIES",
    "SiteRegion",
    "Source",
    "TargetOrbit",
    "TransferLeg",
]

KINDS = (
    "orbiter",
    "lander",
    "rover",
    "sample return",
    "relay",
    "crewed spacecraft",
    "crewed lander",
    "cargo spacecraft",
    "station",
    "station module",
    "programme",
)
#: "proposed": studied or negotiated, not approved or funded (Mars-Grunt; the RD-180 talks)
STATUSES = ("flown", "operating", "failed", "planned", "proposed", "cancelled", "deorbited")
TRANSFER_KINDS = (
    "direct",
    "phasing loops",
    "low-energy",
    "L2 halo",
    "station rendezvous",
    "lunar orbit rendezvous",
    "return",
    "interplanetary",
)
EVENT_KINDS = (
    "launch",
    "TLI",
    "LOI",
    "orbit change",
    "landing",
    "ascent",
    "docking",
    "undocking",
    "departure",
    "return",
    "failure",
    "end",
    "announcement",
    "MOI",
    "arrival",
    "flyby",
    "agreement",
    "test",
    "other",
)
#: Small bodies a mission may target: a Martian moon, an asteroid, a comet (the specific body is
#: the mission's ``target_name``).
SMALL_BODIES = ("Phobos", "asteroid", "comet")
BODIES = ("Earth", "Moon", "Earth-Moon L2", "Mars", *SMALL_BODIES)
#: Roles a programme member may have.
MEMBER_ROLES = ("founder", "member state", "international organisation", "participant")
AGENCIES = ("Roscosmos", "CNSA", "CMSA", "NASA", "ESA", "International")


def _num(q, unit, fmt=".4g") -> str:
    """``q`` in ``unit`` as short text: ``"51.64°"``, ``"1750 kg"``."""
    text = format(float(q.to_value(unit)), fmt)
    return f"{text}°" if unit == "deg" else f"{text} {unit}"


def _short(text, limit=60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Display:
    """Short ``repr`` (``<Mission Luna-25: lander, ...>``) and a notebook table for records."""

    def _summary(self) -> str:  # pragma: no cover - every record overrides it
        return ""

    def __repr__(self) -> str:
        summary = self._summary()
        return f"<{type(self).__name__} {summary}>" if summary else f"<{type(self).__name__}>"

    def _repr_html_(self) -> str:
        from .describe import record_html

        return record_html(self)


@dataclass(frozen=True, repr=False)
class Source(_Display):
    """Where a fact comes from: a seed text (file and verbatim quote) or a public reference."""

    key: str
    seed: str | None = None
    quote: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None

    @property
    def is_seed(self) -> bool:
        """Whether the record comes from a seed file."""
        return self.seed is not None

    def _summary(self) -> str:
        where = f"seed {self.seed}" if self.is_seed else ", ".join(
            p for p in (self.publisher, self.date) if p)
        return _short(f"{self.key}: {where}" if where else self.key, 90)

    def cite(self) -> str:
        """Return a one-line citation for tables, plots and reports."""
        if self.is_seed:
            return f"seed {self.seed}: \u201c{self.quote}\u201d"
        parts = [p for p in (self.publisher, self.title, self.date) if p]
        text = ", ".join(parts)
        return f"{text} <{self.url}>" if self.url else text


_DATE_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:[T ](?P<t>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?)?)?$"
)


@dataclass(frozen=True)
class MissionDate:
    """A date as precise as it was stated: ``year``, ``month``, ``day`` or ``time`` (UTC)."""

    text: str
    time: Time = field(compare=False, repr=False)
    precision: str = "day"

    @classmethod
    def parse(cls, text: str) -> MissionDate:
        """Parse a date written as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        text = str(text).strip()
        m = _DATE_RE.match(text)
        if not m:
            from orbits.errors import ArgumentError

            raise ArgumentError(
                f"{text[:60]!r} is not a date; use YYYY, YYYY-MM, YYYY-MM-DD "
                "or YYYY-MM-DDTHH:MM[:SS] (UTC)"
            )
        y, mo, d, t = m.group("y", "m", "d", "t")
        if t:
            precision = "time"
        elif d:
            precision = "day"
        elif mo:
            precision = "month"
        else:
            precision = "year"
        iso = f"{y}-{mo or '01'}-{d or '01'}" + (f"T{t}" if t else "")
        try:
            with warnings.catch_warnings():
                # Future UTC dates draw ERFA's "dubious year" (leap seconds not yet known);
                # irrelevant at the precision a launch date is announced.
                warnings.simplefilter("ignore", ErfaWarning)
                time = Time(iso, format="isot" if t else "iso", scale="utc")
        except ValueError as exc:
            from orbits.errors import ArgumentError

            raise ArgumentError(f"{text!r} is not a valid calendar date ({exc})") from None
        return cls(text=text, time=time, precision=precision)

    @property
    def year(self) -> int:
        """Year of the date."""
        return int(self.text[:4])

    @property
    def decimal_year(self) -> float:
        """Middle of the stated period (mid-year for "2027"), as a decimal year for plots."""
        t = self.time.decimalyear
        return t + {"year": 0.5, "month": 1 / 24, "day": 0.0, "time": 0.0}[self.precision]

    def __str__(self) -> str:
        """Return the date as written."""
        return self.text

    def __repr__(self) -> str:
        """Return the constructor form."""
        return f"MissionDate({self.text!r})"


@dataclass(frozen=True, repr=False)
class Alternative(_Display):
    """A value another source gives for the same fact, kept beside the one chosen."""

    value: str
    source: str
    note: str = ""

    def _summary(self) -> str:
        return f"{_short(self.value)} [{self.source}]"


@dataclass(frozen=True, repr=False)
class Fact(_Display):
    """A named, sourced quantity (mass, length, Δv capacity ...) or text."""

    name: str
    value: Any  # Quantity or str
    source: str
    note: str = ""
    alternatives: tuple[Alternative, ...] = ()

    def _summary(self) -> str:
        val = self.value
        text = (
            f"{val.value:g} {val.unit.to_string()}" if isinstance(val, u.Quantity) else _short(val)
        )
        return f"{self.name} = {text} [{self.source}]"


@dataclass(frozen=True, repr=False)
class Announcement(_Display):
    """A launch date as announced at some moment: the history of a plan that moved."""

    announced: MissionDate
    planned: MissionDate
    source: str
    note: str = ""

    def _summary(self) -> str:
        return f"on {self.announced}: launch planned for {self.planned} [{self.source}]"


@dataclass(frozen=True, kw_only=True, repr=False)
class TransferLeg(_Display):
    """One leg of the transfer profile (Earth to Moon, phasing, halo insertion ...)."""

    kind: str
    source: str
    duration: u.Quantity | None = None
    description: str = ""

    def _summary(self) -> str:
        dur = f", {_num(self.duration, 'd', '.3g')}" if self.duration is not None else ""
        return f"{self.kind}{dur} [{self.source}]"


@dataclass(frozen=True, repr=False)
class TargetOrbit(_Display):
    """An orbit flown or planned: altitudes above the body's mean surface."""

    body: str
    periapsis: u.Quantity
    apoapsis: u.Quantity
    inclination: u.Quantity
    source: str
    label: str = ""
    raan: u.Quantity | None = None
    period: u.Quantity | None = None

    @property
    def is_circular(self) -> bool:
        """Whether periapsis and apoapsis agree to within 1 km."""
        return bool(abs((self.apoapsis - self.periapsis).to_value(u.km)) < 1.0)

    def _summary(self) -> str:
        alt = (
            _num(self.periapsis, "km", ".0f")
            if self.is_circular
            else f"{self.periapsis.to_value(u.km):.0f} × {_num(self.apoapsis, 'km', '.0f')}"
        )
        return f"{self.body}, {alt}, inclination {_num(self.inclination, 'deg', '.2f')}"


def _latlon(lat, lon) -> str:
    la = float(lat.to_value(u.deg))
    lo = (float(lon.to_value(u.deg)) + 180.0) % 360.0 - 180.0
    return f"{abs(la):.2f}° {'N' if la >= 0 else 'S'}, {abs(lo):.2f}° {'E' if lo >= 0 else 'W'}"


@dataclass(frozen=True, repr=False)
class LandingSite(_Display):
    """Selenographic (Moon) or geodetic (Earth) landing coordinates, east longitude."""

    latitude: u.Quantity
    longitude: u.Quantity
    source: str
    name: str = ""
    alternatives: tuple[Alternative, ...] = ()

    def _summary(self) -> str:
        where = _latlon(self.latitude, self.longitude)
        return f"{_short(self.name, 40)}: {where}" if self.name else where


@dataclass(frozen=True, repr=False)
class Event(_Display):
    """Something that happened (or is planned) on a date: launch, TLI, landing ..."""

    kind: str
    date: MissionDate
    source: str
    description: str = ""

    def _summary(self) -> str:
        return f"{self.kind} {self.date}"


@dataclass(frozen=True, kw_only=True, repr=False)
class Launch(_Display):
    """Launch date (actual, or the current plan), site, vehicle and upper stage."""

    source: str
    date: MissionDate | None = None
    site: str | None = None
    vehicle: str | None = None
    upper_stage: str | None = None

    def _summary(self) -> str:
        parts = [str(self.date) if self.date else "no date"]
        if self.vehicle:
            parts.append(self.vehicle + (f" + {self.upper_stage}" if self.upper_stage else ""))
        if self.site:
            parts.append(f"from {self.site}")
        return ", ".join(parts)



@dataclass(frozen=True, kw_only=True, repr=False)
class Phase(_Display):
    """One phase of a programme's plan: its name, date range, goals and missions.

    ``plan`` names the plan the phase belongs to ("2021 roadmap", "2024 plan"), so that phases
    of successive plans (which may disagree) are kept side by side. ``start`` or ``end`` may be
    missing ("by 2035", "from 2036"); both are missing where the source gives stages but no
    dates (the 2022 ILRS agreement).
    """

    name: str
    source: str
    plan: str = ""
    start: MissionDate | None = None
    end: MissionDate | None = None
    goals: tuple[str, ...] = ()
    missions: tuple[str, ...] = ()
    note: str = ""
    alternatives: tuple[Alternative, ...] = ()

    @property
    def date_range(self) -> str:
        """The phase's dates as text: "2021–2025", "by 2035", "from 2036"."""
        if self.start is not None and self.end is not None:
            return f"{self.start}\u2013{self.end}"
        if self.end is not None:
            return f"by {self.end}"
        if self.start is not None:
            return f"from {self.start}"
        return "no dates stated"

    def _summary(self) -> str:
        plan = f"{_short(self.plan, 24)}: " if self.plan else ""
        return f"{plan}{_short(self.name, 36)}, {self.date_range} [{_short(self.source, 30)}]"


@dataclass(frozen=True, kw_only=True, repr=False)
class Member(_Display):
    """A member state, organisation or participant of a programme, with when it joined."""

    name: str
    role: str
    source: str
    joined: MissionDate | None = None
    note: str = ""

    def _summary(self) -> str:
        when = f", joined {self.joined}" if self.joined is not None else ""
        return f"{_short(self.name, 40)} ({self.role}{when}) [{_short(self.source, 30)}]"


@dataclass(frozen=True, kw_only=True, repr=False)
class SiteRegion(_Display):
    """A region a programme or mission aims at: a named area, optionally a centre and radius.

    ``center_latitude``/``center_longitude`` are selenographic (or areographic) with east
    longitude; ``radius`` is a distance along the surface from the centre (e.g. within 100 km of
    the lunar south pole: centre latitude -90 deg, radius 100 km). ``candidates`` lists the
    candidate sites named in the sources, without coordinates where none are published.
    """

    name: str
    body: str
    source: str
    center_latitude: u.Quantity | None = None
    center_longitude: u.Quantity | None = None
    radius: u.Quantity | None = None
    candidates: tuple[str, ...] = ()
    note: str = ""
    alternatives: tuple[Alternative, ...] = ()

    def _summary(self) -> str:
        where = ""
        if self.radius is not None and self.center_latitude is not None:
            lat = float(self.center_latitude.to_value(u.deg))
            where = f", within {_num(self.radius, 'km', '.0f')} of {lat:g}° latitude"
        return f"{_short(self.name, 40)} ({self.body}){where} [{_short(self.source, 30)}]"


@dataclass(frozen=True, kw_only=True, repr=False)
class PartnerPayload(_Display):
    """An instrument a partner supplies to another agency's mission (e.g. IKI's on Chang'e-7)."""

    name: str
    supplier: str
    country: str
    source: str
    description: str = ""
    heritage: str = ""
    note: str = ""

    def _summary(self) -> str:
        who = f"{_short(self.supplier, 24)} ({_short(self.country, 20)})"
        return f"{_short(self.name, 30)} by {who} [{self.source}]"


@dataclass(frozen=True, repr=False)
class Mission(_Display):
    """A mission, spacecraft, station or programme named in the source texts."""

    key: str
    name: str
    agency: str
    country: str
    kind: str
    status: str
    target: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    launch: Launch | None = None
    announced: tuple[Announcement, ...] = ()
    transfer: tuple[TransferLeg, ...] = ()
    orbits: tuple[TargetOrbit, ...] = ()
    landing_site: LandingSite | None = None
    events: tuple[Event, ...] = ()
    facts: tuple[Fact, ...] = ()
    outcome: str = ""
    related: tuple[str, ...] = ()
    tle_names: tuple[str, ...] = ()
    notes: str = ""
    #: when the record's content was last checked against its sources (YYYY[-MM[-DD]])
    as_of: str = ""
    #: the specific body for a small-body or named target ("469219 Kamoʻoalewa (2016 HO3)")
    target_name: str = ""
    #: programme records (kind "programme"): phases of each plan, members, the site region
    phases: tuple[Phase, ...] = ()
    members: tuple[Member, ...] = ()
    site_region: SiteRegion | None = None
    #: instruments other agencies supply to this mission
    partner_payloads: tuple[PartnerPayload, ...] = ()

    # -- convenience, derived, never stored ------------------------------------------------
    @property
    def launch_date(self) -> MissionDate | None:
        """Date of the launch event, or None without one."""
        return self.launch.date if self.launch else None

    @property
    def current_date(self) -> MissionDate | None:
        """The launch date if one is recorded, else the latest announced plan."""
        if self.launch_date is not None:
            return self.launch_date
        if self.announced:
            return max(self.announced, key=lambda a: a.announced.time.jd).planned
        return None

    @property
    def launch_site(self) -> str | None:
        """Launch site of the launch event, or None without one."""
        return self.launch.site if self.launch else None

    @property
    def launch_vehicle(self) -> str | None:
        """Launch vehicle of the launch event, or None without one."""
        return self.launch.vehicle if self.launch else None

    def _summary(self) -> str:
        date = self.current_date
        if date is None:
            when = "no launch date"
        elif self.launch_date is not None and self.status in (
            "flown",
            "operating",
            "failed",
            "deorbited",
        ):
            when = f"launched {date.text[:10]}"
        else:
            when = f"planned for {date.text[:10]}"
        return f"{self.name}: {self.kind}, {self.agency}, {self.status}, {when}"

    def fact(self, name: str) -> Fact:
        """Return the fact of that name (``KeyError`` lists the facts there are)."""
        return _find_fact(self, name)

    def event(self, kind: str) -> Event | None:
        """Return the first event of that kind, or None."""
        return next((e for e in self.events if e.kind == kind), None)

    def orbit(self, body: str | None = None) -> TargetOrbit | None:
        """Return the first (operational, by catalog order) orbit about ``body`` or any body."""
        return next((o for o in self.orbits if body is None or o.body == body), None)

    @property
    def transfer_time(self) -> u.Quantity | None:
        """Total duration of the legs that carry the spacecraft to its target orbit.

        Return legs and lunar-orbit rendezvous (which happen after arrival) are not counted.
        """
        after = ("return", "lunar orbit rendezvous")
        legs = [
            leg.duration
            for leg in self.transfer
            if leg.duration is not None and leg.kind not in after
        ]
        if not legs:
            return None
        total = legs[0]
        for d in legs[1:]:
            total = total + d
        return total.to(u.day)

    def source_keys(self) -> set[str]:
        """Every source key this record cites, at any depth."""
        return set(_collect_sources(self))

    @property
    def as_of_date(self) -> MissionDate | None:
        """``as_of`` as a :class:`MissionDate`, or None where the record states none."""
        return MissionDate.parse(self.as_of) if self.as_of else None

    @property
    def is_programme(self) -> bool:
        """Whether the record is a programme (kind "programme")."""
        return self.kind == "programme"

    def phase(self, name: str) -> Phase:
        """Return the phase called ``name`` (case-insensitive; ``KeyError`` lists the phases)."""
        for p in self.phases:
            if p.name.casefold() == str(name).casefold():
                return p
        from orbits.errors import NotFoundError

        raise NotFoundError(
            f"{self.name!r} has no phase {name!r}; it has: "
            + (", ".join(repr(p.name) for p in self.phases) or "none")
        )


@dataclass(frozen=True, repr=False)
class InclinationRange(_Display):
    """Inclinations a site is documented to fly (min == max for a single one)."""

    min: u.Quantity
    max: u.Quantity
    source: str
    label: str = ""

    def _summary(self) -> str:
        lo, hi = _num(self.min, "deg", ".2f"), _num(self.max, "deg", ".2f")
        return lo if self.min == self.max else f"{lo}–{hi}"


@dataclass(frozen=True, repr=False)
class AzimuthRange(_Display):
    """Launch azimuths (degrees east of north, 0-360) a site's range safety documents.

    A corridor through north is two ranges (e.g. 349.5-360 and 0-93.5).
    """

    min: u.Quantity
    max: u.Quantity
    source: str
    label: str = ""

    def _summary(self) -> str:
        lo, hi = _num(self.min, "deg", ".1f"), _num(self.max, "deg", ".1f")
        return lo if self.min == self.max else f"{lo}–{hi}"

    def contains(self, azimuth) -> bool:
        """Whether ``azimuth`` (Quantity, any angle; wrapped into [0, 360)) lies in the range."""
        a = float(azimuth.to_value(u.deg)) % 360.0
        lo, hi = float(self.min.to_value(u.deg)), float(self.max.to_value(u.deg))
        return lo <= a <= hi or (hi >= 360.0 and a == 0.0)


@dataclass(frozen=True, repr=False)
class LaunchSite(_Display):
    """A launch site: geodetic latitude, east longitude, and the inclinations it flies."""

    key: str
    name: str
    country: str
    latitude: u.Quantity  # geodetic
    longitude: u.Quantity  # east
    source: str
    aliases: tuple[str, ...] = ()
    operator: str = ""
    inclinations: tuple[InclinationRange, ...] = ()
    notes: str = ""
    #: documented launch-azimuth corridors (range safety, drop zones); empty: none sourced
    azimuths: tuple[AzimuthRange, ...] = ()
    #: when the record's content was last checked against its sources (YYYY[-MM[-DD]])
    as_of: str = ""

    def source_keys(self) -> set[str]:
        """Return the keys of every source cited in this record."""
        return set(_collect_sources(self))

    def _summary(self) -> str:
        return f"{self.name}: {_latlon(self.latitude, self.longitude)}"

    @property
    def short_name(self) -> str:
        """The site's first alias ("Baikonur", "Jiuquan"), for plot labels; else its name."""
        return self.aliases[0] if self.aliases else self.name


@dataclass(frozen=True, repr=False)
class Payload(_Display):
    """A published payload capability: mass to an orbit, at an inclination, from a site."""

    orbit: str
    mass: u.Quantity
    source: str
    altitude: u.Quantity | None = None
    inclination: u.Quantity | None = None
    site: str | None = None
    note: str = ""

    def _summary(self) -> str:
        text = f"{_num(self.mass, 'kg', '.0f')} to {self.orbit}"
        if self.site:
            text += f" from {self.site}"
        return text


@dataclass(frozen=True, repr=False)
class LaunchVehicle(_Display):
    """A launcher, an upper stage or a spacecraft (which carries a Δv capacity)."""

    key: str
    name: str
    country: str
    kind: str
    source: str
    aliases: tuple[str, ...] = ()
    agency: str = ""
    payloads: tuple[Payload, ...] = ()
    facts: tuple[Fact, ...] = ()
    notes: str = ""
    #: when the record's content was last checked against its sources (YYYY[-MM[-DD]])
    as_of: str = ""

    def _summary(self) -> str:
        parts = [self.kind, self.agency or self.country]
        if self.payloads:
            p = self.payloads[0]
            parts.append(f"{_num(p.mass, 'kg', '.0f')} to {p.orbit}")
        if self.delta_v is not None:
            parts.append(f"Δv {_num(self.delta_v, 'km/s', '.3g')}")
        return f"{self.name}: {', '.join(parts)}"

    def payload(self, orbit: str) -> Payload | None:
        """Return the payload in orbit ``orbit`` (case-insensitive), or None."""
        return next((p for p in self.payloads if p.orbit.upper() == orbit.upper()), None)

    def fact(self, name: str) -> Fact:
        """Return the fact of that name (``KeyError`` lists the facts there are)."""
        return _find_fact(self, name)

    @property
    def delta_v(self) -> u.Quantity | None:
        """Published Δv capacity (spacecraft and upper stages), where known."""
        f = next((f for f in self.facts if f.name == "delta_v"), None)
        return f.value if f is not None else None

    def source_keys(self) -> set[str]:
        """Return the keys of every source cited in this record."""
        return set(_collect_sources(self))


def _find_fact(record, name: str) -> Fact:
    for f in record.facts:
        if f.name == name:
            return f
    from orbits.errors import NotFoundError

    raise NotFoundError(
        f"{type(record).__name__} {record.name!r} has no fact {name!r}; it has: "
        + (", ".join(f.name for f in record.facts) or "none")
    )


def _collect_sources(obj):
    """Yield every source key in a record tree."""
    if isinstance(obj, (tuple, list)):
        for item in obj:
            yield from _collect_sources(item)
        return
    if not hasattr(obj, "__dataclass_fields__"):
        return
    for f in fields(obj):
        val = getattr(obj, f.name)
        if f.name == "source" and isinstance(val, str):
            yield val
        elif f.name == "sources":
            yield from val
        elif hasattr(val, "__dataclass_fields__") or isinstance(val, tuple):
            yield from _collect_sources(val)
