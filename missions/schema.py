"""Reading and writing catalog records as TOML, with validation.

One declarative table per record type (``SPECS``) says, for every field, its kind, unit
(physical type), allowed range or choices, length limit, date range, and whether it is
required. The same table drives parsing (with errors that name the file, the record and the
field) and writing (so a user's records file round-trips: load, save, load again gives equal
records). Beside it:

- ``FACT_VALUES``: what a fact's name says its value is (``launch_mass`` is a positive mass);
- ``RULES``: checks across the fields of one record (apoapsis not below periapsis, altitudes
  within reach of the body, ``min <= max``, a plan not years before its announcement);
- file-level limits: UTF-8 only, nesting at most ``MAX_DEPTH`` levels, names at most
  ``MAX_NAME_LENGTH`` characters (the catalog's lookups refuse longer ones).

Every problem in a file raises :class:`CatalogError`, never another exception (a property the
test suite checks with hypothesis).
"""

from __future__ import annotations

import difflib
import math
import re
import reprlib
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from astropy import units as u

from orbits.errors import ArgumentTypeError, DataFileError

from . import records as r

__all__ = ["SECTION_OF", "CatalogError", "dump_records", "parse_file", "parse_text"]


#: Longest name, key or alias a record may have (the catalog's lookups refuse longer names).
MAX_NAME_LENGTH = 200
#: Deepest nesting of tables and arrays a catalog file may have. The schema's deepest path is
#: ``mission.facts[i].alternatives[j].note`` (depth 4); the margin is for readable errors only.
MAX_DEPTH = 16
#: Longest quantity text ("51.6 deg", "1750 kg") worth handing to astropy's unit parser.
MAX_QUANTITY_TEXT = 64

_SHORT = reprlib.Repr()
_SHORT.maxstring = 60
_SHORT.maxother = 60
_SHORT.maxlevel = 2
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = 4


def short_repr(value) -> str:
    """``repr(value)`` cut short (long strings, deep or long containers), for messages."""
    try:
        return _SHORT.repr(value)
    except (ValueError, RecursionError):  # e.g. an int with more digits than Python prints
        return f"<{type(value).__name__}>"


def _cut(text, limit=80) -> str | None:
    if text is None:
        return None
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class CatalogError(DataFileError):
    """A catalog file that cannot be loaded; the message names file, record and field."""

    def __init__(self, file, record, field, problem):
        record, field = _cut(record), _cut(field)
        self.file, self.record, self.field, self.problem = str(file), record, field, problem
        where = f"{self.file}: {record}" if record else self.file
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")


# --- field specifications ------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    kind: str  # str | strs | quantity | date | nested | nested_many | choice
    required: bool = False
    physical_type: str | None = None
    lo: float | None = None  # in `unit`
    hi: float | None = None
    unit: str | None = None
    choices: tuple[str, ...] | None = None
    cls: type | None = None
    positive: bool = False
    #: str/strs: longest allowed text; strs: fewest items
    max_len: int | None = None
    min_items: int = 0
    #: date: earliest and latest allowed, as ISO text compared at the date's own precision
    after: str | None = None
    before: str | None = None


def S(required=False, max_len=None):
    return Spec("str", required, max_len=max_len)


def NAME(required=True):
    """Return the Spec of a name, key or alias: what the catalog's lookups accept."""
    return Spec("str", required, max_len=MAX_NAME_LENGTH)


def STRS(required=False, max_len=None, min_items=0):
    return Spec("strs", required, max_len=max_len, min_items=min_items)


def Q(ptype, unit, lo=None, hi=None, required=False, positive=False):
    return Spec("quantity", required, ptype, lo, hi, unit, positive=positive)


#: Mission dates (launches, events, announcements) lie between Sputnik 1's launch
#: (1957-10-04, NASA NSSDCA 1957-001B) and the end of this century; anything else is a typo.
SPACE_AGE = "1957-10-04"
FAR_FUTURE = "2100-12-31"


def D(required=False, after=SPACE_AGE, before=FAR_FUTURE):
    return Spec("date", required, after=after, before=before)


def C(choices, required=True):
    return Spec("choice", required, choices=tuple(choices))


def N(cls, required=False):
    return Spec("nested", required, cls=cls)


def NM(cls):
    return Spec("nested_many", cls=cls)


ANGLE_INC = {"ptype": "angle", "unit": "deg", "lo": 0.0, "hi": 180.0}
LAT = {"ptype": "angle", "unit": "deg", "lo": -90.0, "hi": 90.0}
LON = {"ptype": "angle", "unit": "deg", "lo": -180.0, "hi": 360.0}
AZIMUTH = {"ptype": "angle", "unit": "deg", "lo": 0.0, "hi": 360.0}

#: Longest transfer leg or orbital period: ten years (the slowest lunar transfers flown take
#: months; an orbit bound to Earth, inside its Hill sphere, has a period under a year).
MAX_DAYS = 3653.0
#: Heaviest payload: 1000 t, several times any launcher's (Saturn V: about 140 t to LEO, NASA).
MAX_PAYLOAD_KG = 1.0e6

VALUE = Spec("value", True)  # a Quantity if it parses as one with a unit, else text
#: A record's as-of date: text checked to be YYYY, YYYY-MM or YYYY-MM-DD in the space age.
AS_OF = Spec("asof", after=SPACE_AGE, before=FAR_FUTURE)

#: What a fact's name says its value is: the first pattern that matches the name (searched
#: in it) gives the Spec its value must meet. A fact that matches none may be text or any
#: finite, positive Quantity (an angle may be zero).
FACT_VALUES: tuple[tuple[re.Pattern, Spec], ...] = (
    (re.compile(r"inclination"), Q(**ANGLE_INC)),
    (re.compile(r"delta_v"), Q("speed", "km/s", positive=True)),
    (re.compile(r"mass|capability"), Q("mass", "kg", positive=True)),
    (re.compile(r"isp"), Q("time", "s", positive=True)),
    (re.compile(r"period|duration"), Q("time", "d", positive=True)),
    (
        re.compile(r"length|distance|altitude|diameter|height|radius"),
        Q("length", "km", positive=True),
    ),
)


def fact_spec(name: str) -> Spec | None:
    """Return the Spec a fact called ``name`` must meet (None: text or any positive quantity)."""
    for pattern, sp in FACT_VALUES:
        if pattern.search(name):
            return sp
    return None


#: Highest altitude (above the mean surface) an orbit about each body may have. Earth: a
#: periapsis beyond the Moon's mean distance (384,400 km, NASA Moon fact sheet) is not an
#: Earth orbit; an apoapsis beyond Earth's Hill sphere (about 1.5 million km) is not bound.
#: Moon: its Hill sphere is about 60,000 km (Earth-Moon distance x (m_Moon/3 m_Earth)^(1/3)).
#: Earth-Moon L2 halo orbits: altitudes above the Moon, within Earth's Hill sphere.
ALTITUDE_LIMITS = {
    "Earth": {"periapsis": 384_400.0, "apoapsis": 1_500_000.0},
    "Moon": {"periapsis": 60_000.0, "apoapsis": 60_000.0},
    "Earth-Moon L2": {"periapsis": 1_500_000.0, "apoapsis": 1_500_000.0},
    # Mars: Hill sphere radius a (m_Mars / 3 M_Sun)^(1/3) = 227.9e6 km x (6.42e23 / 5.97e30)^(1/3)
    # ~ 1.08 million km (NASA Mars and Sun fact sheets); an orbit above 1,000,000 km is not bound.
    "Mars": {"periapsis": 1_000_000.0, "apoapsis": 1_000_000.0},
}

SPECS: dict[type, dict[str, Spec]] = {
    r.Source: {
        "key": NAME(),
        "seed": S(),
        "quote": S(),
        "title": S(),
        "publisher": S(),
        "date": S(),
        "url": S(),
    },
    r.Alternative: {"value": S(True), "source": S(True), "note": S()},
    r.Fact: {
        "name": S(True),
        "value": VALUE,
        "source": S(True),
        "note": S(),
        "alternatives": NM(r.Alternative),
    },
    r.Announcement: {"announced": D(True), "planned": D(True), "source": S(True), "note": S()},
    r.TransferLeg: {
        "kind": C(r.TRANSFER_KINDS),
        "duration": Q("time", "d", hi=MAX_DAYS, positive=True),
        "source": S(True),
        "description": S(),
    },
    r.TargetOrbit: {
        "body": C(r.BODIES),
        "periapsis": Q("length", "km", lo=0.0, required=True),
        "apoapsis": Q("length", "km", lo=0.0, required=True),
        "inclination": Q(**ANGLE_INC, required=True),
        "source": S(True),
        "label": S(),
        "raan": Q("angle", "deg", lo=0.0, hi=360.0),
        "period": Q("time", "d", hi=MAX_DAYS, positive=True),
    },
    r.LandingSite: {
        "latitude": Q(**LAT, required=True),
        "longitude": Q(**LON, required=True),
        "source": S(True),
        "name": S(),
        "alternatives": NM(r.Alternative),
    },
    r.Event: {
        "kind": C(r.EVENT_KINDS),
        "date": D(True),
        "source": S(True),
        "description": S(),
    },
    r.Launch: {
        "date": D(),
        "site": S(),
        "vehicle": S(),
        "source": S(True),
        "upper_stage": S(),
    },
    r.Phase: {
        "name": S(True),
        "source": S(True),
        "plan": S(),
        "start": D(),
        "end": D(),
        "goals": STRS(),
        "missions": STRS(max_len=MAX_NAME_LENGTH),
        "note": S(),
        "alternatives": NM(r.Alternative),
    },
    r.Member: {
        "name": NAME(),
        "role": C(r.MEMBER_ROLES),
        "source": S(True),
        "joined": D(),
        "note": S(),
    },
    r.SiteRegion: {
        "name": S(True),
        "body": C(r.BODIES),
        "source": S(True),
        "center_latitude": Q(**LAT),
        "center_longitude": Q(**LON),
        # at most half a great circle of Mars (pi x 3389.5 km), the largest body with regions
        "radius": Q("length", "km", hi=10_700.0, positive=True),
        "candidates": STRS(),
        "note": S(),
        "alternatives": NM(r.Alternative),
    },
    r.PartnerPayload: {
        "name": NAME(),
        "supplier": NAME(),
        "country": NAME(),
        "source": S(True),
        "description": S(),
        "heritage": S(),
        "note": S(),
    },
    r.Mission: {
        "key": NAME(),
        "name": NAME(),
        "agency": NAME(),
        "country": NAME(),
        "kind": C(r.KINDS),
        "status": C(r.STATUSES),
        "target": C(r.BODIES),
        "sources": STRS(True, min_items=1),
        "aliases": STRS(max_len=MAX_NAME_LENGTH),
        "launch": N(r.Launch),
        "announced": NM(r.Announcement),
        "transfer": NM(r.TransferLeg),
        "orbits": NM(r.TargetOrbit),
        "landing_site": N(r.LandingSite),
        "events": NM(r.Event),
        "facts": NM(r.Fact),
        "outcome": S(),
        "related": STRS(),
        "tle_names": STRS(),
        "notes": S(),
        "as_of": AS_OF,
        "target_name": S(max_len=MAX_NAME_LENGTH),
        "phases": NM(r.Phase),
        "members": NM(r.Member),
        "site_region": N(r.SiteRegion),
        "partner_payloads": NM(r.PartnerPayload),
    },
    r.InclinationRange: {
        "min": Q(**ANGLE_INC, required=True),
        "max": Q(**ANGLE_INC, required=True),
        "source": S(True),
        "label": S(),
    },
    r.AzimuthRange: {
        "min": Q(**AZIMUTH, required=True),
        "max": Q(**AZIMUTH, required=True),
        "source": S(True),
        "label": S(),
    },
    r.LaunchSite: {
        "key": NAME(),
        "name": NAME(),
        "country": NAME(),
        "latitude": Q(**LAT, required=True),
        "longitude": Q(**LON, required=True),
        "source": S(True),
        "aliases": STRS(max_len=MAX_NAME_LENGTH),
        "operator": S(),
        "inclinations": NM(r.InclinationRange),
        "notes": S(),
        "azimuths": NM(r.AzimuthRange),
        "as_of": AS_OF,
    },
    r.Payload: {
        "orbit": S(True),
        "mass": Q("mass", "kg", hi=MAX_PAYLOAD_KG, required=True, positive=True),
        "source": S(True),
        "altitude": Q("length", "km", lo=0.0, hi=1_500_000.0),
        "inclination": Q(**ANGLE_INC),
        "site": S(),
        "note": S(),
    },
    r.LaunchVehicle: {
        "key": NAME(),
        "name": NAME(),
        "country": NAME(),
        "kind": C(("launcher", "upper stage", "spacecraft")),
        "source": S(True),
        "aliases": STRS(max_len=MAX_NAME_LENGTH),
        "agency": S(),
        "payloads": NM(r.Payload),
        "facts": NM(r.Fact),
        "notes": S(),
        "as_of": AS_OF,
    },
}

#: TOML array-of-tables name for each top-level record type.
SECTION_OF = {
    r.Source: "source",
    r.Mission: "mission",
    r.LaunchSite: "site",
    r.LaunchVehicle: "vehicle",
}
TYPE_OF_SECTION = {v: k for k, v in SECTION_OF.items()}


# --- parsing -----------------------------------------------------------------------------------


def parse_file(path) -> list:
    """Parse one TOML catalog file into records (sources, missions, sites, vehicles)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(path, None, None, f"cannot be read ({exc.strerror})") from None
    return parse_text(data, path)


def parse_text(text: str | bytes, path="<string>") -> list:
    """Parse TOML catalog text (``str``, or ``bytes`` in UTF-8) into records.

    Every problem raises :class:`CatalogError` naming ``path``, the record and the field.
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            line = bytes(text[: exc.start]).count(b"\n") + 1
            raise CatalogError(
                path,
                None,
                None,
                f"is not valid UTF-8 text: byte {exc.object[exc.start]:#04x} at line {line} "
                f"(offset {exc.start}); save the file as UTF-8",
            ) from None
    elif not isinstance(text, str):
        raise ArgumentTypeError(f"text must be a str or UTF-8 bytes, got {type(text).__name__}")
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        line, record, field = _locate_deep_nesting(text)
        err = _too_deep(path, record, field)
        if line is not None:
            err = CatalogError(path, record, field, f"{err.problem} at line {line}")
        raise err from None
    except ValueError as exc:  # TOMLDecodeError, or an integer too long to convert
        raise CatalogError(path, None, None, f"is not valid TOML ({_cut(exc, 200)})") from None
    _check_depth(doc, path)
    out = []
    for section, items in doc.items():
        if section not in TYPE_OF_SECTION:
            raise CatalogError(
                path,
                None,
                section,
                f"unknown section [[{_cut(section, 40)}]]; allowed: "
                + ", ".join(f"[[{s}]]" for s in TYPE_OF_SECTION)
                + _suggest(section, TYPE_OF_SECTION),
            )
        if not isinstance(items, list):
            raise CatalogError(
                path,
                None,
                section,
                f"must be an array of tables ([[{section}]]), got a {type(items).__name__}",
            )
        cls = TYPE_OF_SECTION[section]
        for n, table in enumerate(items):
            label = _record_label(section, n, table)
            out.append(_build(cls, table, path, label, ""))
    return out


def _record_label(section, n, table) -> str:
    if isinstance(table, dict) and isinstance(table.get("key"), str):
        return f"{section} '{_cut(table['key'], 60)}'"
    return f"{section} #{n + 1}"


def _too_deep(path, record, field):
    return CatalogError(
        path, record, field, f"is nested too deeply (over {MAX_DEPTH} levels of tables or arrays)"
    )


def _check_depth(doc, path) -> None:
    """Refuse nesting deeper than MAX_DEPTH (walked without recursion)."""
    for section, items in doc.items():
        tops = list(enumerate(items)) if isinstance(items, list) else [(0, items)]
        for n, table in tops:
            label = _record_label(section, n, table)
            stack = [(table, 1, "")]
            while stack:
                obj, depth, where = stack.pop()
                if depth > MAX_DEPTH:
                    raise _too_deep(path, label, where.split("[")[0].split(".")[0] or None)
                if isinstance(obj, dict):
                    stack.extend(
                        (v, depth + 1, f"{where}.{k}" if where else str(k)) for k, v in obj.items()
                    )
                elif isinstance(obj, list):
                    stack.extend((v, depth + 1, f"{where}[{i}]") for i, v in enumerate(obj))


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*=\s*(?:\"([^\"]*)\")?")


def _locate_deep_nesting(text: str):
    """Return (line, record, field) where brackets first nest deeper than MAX_DEPTH.

    For the message when the TOML parser itself gives up (RecursionError): a line scan that skips
    strings.
    """
    depth, section, n, key, field = 0, None, {}, None, None
    for lineno, line in enumerate(text.splitlines(), 1):
        if depth == 0:
            if m := _HEADER.match(line):
                section = m.group(1).split(".")[0]
                if line.lstrip().startswith("[[") and "." not in m.group(1):
                    n[section] = n.get(section, 0) + 1
                    key = None
                field = None
            elif m := _ASSIGN.match(line):
                field = m.group(1)
                if field == "key" and m.group(2) is not None:
                    key = m.group(2)
        quote = None
        for ch in line:
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    if section is None:
                        return lineno, None, field
                    record = (
                        f"{section} '{_cut(key, 60)}'" if key else f"{section} #{n.get(section, 1)}"
                    )
                    return lineno, record, field
            elif ch in "]}":
                depth = max(depth - 1, 0)
    return None, None, None


def _suggest(name, options) -> str:
    name = str(name)
    if len(name) > MAX_NAME_LENGTH:
        return ""
    close = difflib.get_close_matches(name, list(options), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _build(cls, table, path, label, prefix):
    if not isinstance(table, dict):
        raise CatalogError(
            path, label, prefix.rstrip(".") or None, f"must be a table, got {short_repr(table)}"
        )
    spec = SPECS[cls]
    for key in table:
        if key not in spec:
            raise CatalogError(
                path,
                label,
                prefix + key,
                f"unknown field; allowed fields: {', '.join(spec)}" + _suggest(key, spec),
            )
    kwargs = {}
    for name, sp in spec.items():
        fname = prefix + name
        if name not in table:
            if sp.required:
                raise CatalogError(path, label, fname, "required field is missing")
            continue
        kwargs[name] = _convert(sp, table[name], path, label, fname)
    for rule in RULES.get(cls, ()):
        problem = rule(kwargs)
        if problem:
            field, text = problem
            raise CatalogError(path, label, prefix + field, text)
    try:
        return cls(**kwargs)
    except TypeError as exc:  # pragma: no cover - spec and dataclass out of step
        raise CatalogError(path, label, prefix or None, str(exc)) from None


def _convert(sp: Spec, raw, path, label, fname):
    def err(problem):
        return CatalogError(path, label, fname, problem)

    if sp.kind == "str":
        if not isinstance(raw, str) or not raw.strip():
            raise err(f"must be a non-empty string, got {short_repr(raw)}")
        if sp.max_len is not None and len(raw) > sp.max_len:
            raise err(
                f"{short_repr(raw)} is {len(raw)} characters long; at most {sp.max_len} are allowed"
            )
        return raw
    if sp.kind == "strs":
        if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
            raise err(f"must be a list of non-empty strings, got {short_repr(raw)}")
        if len(raw) < sp.min_items:
            raise err(
                f"must list at least {sp.min_items} item{'s' if sp.min_items > 1 else ''}, got none"
            )
        for x in raw:
            if sp.max_len is not None and len(x) > sp.max_len:
                raise err(
                    f"{short_repr(x)} is {len(x)} characters long; at most {sp.max_len} are allowed"
                )
        return tuple(raw)
    if sp.kind == "choice":
        if not isinstance(raw, str) or raw not in sp.choices:
            raise err(
                f"{short_repr(raw)} is not allowed; choose one of: {', '.join(sp.choices)}"
                + _suggest(raw, sp.choices)
            )
        return raw
    if sp.kind == "date":
        return _date(raw, sp, err)
    if sp.kind == "asof":
        if not isinstance(raw, str) or not _AS_OF_TEXT.match(raw.strip()):
            raise err(
                f"{short_repr(raw)} is not an as-of date; use YYYY, YYYY-MM or YYYY-MM-DD "
                "(when the record was last checked against its sources)"
            )
        _date(raw, sp, err)
        return raw.strip()
    if sp.kind == "quantity":
        return _quantity(raw, sp, err)
    if sp.kind == "value":
        if not isinstance(raw, str) or not raw.strip():
            raise err(f"must be a string such as '1750 kg' or a text value, got {short_repr(raw)}")
        return raw
    if sp.kind == "nested":
        return _build(sp.cls, raw, path, label, fname + ".")
    if sp.kind == "nested_many":
        if not isinstance(raw, list):
            raise err(
                f"must be a list of tables ([[...{fname.split('.')[-1]}]]), got {short_repr(raw)}"
            )
        return tuple(
            _build(sp.cls, item, path, label, f"{fname}[{i}].") for i, item in enumerate(raw)
        )
    raise AssertionError(sp.kind)  # pragma: no cover


_AS_OF_TEXT = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_TEXT = re.compile(r"^\s*\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?)?)?\s*$")


def _date(raw, sp: Spec, err):
    if not isinstance(raw, str):
        raise err(
            "must be a date string (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS), "
            f"got {short_repr(raw)}"
        )
    text = raw.strip()
    if _DATE_TEXT.match(text):
        # compare at the date's own precision: "1957" is within the space age, "1957-09" not
        if sp.after and text[:10] < sp.after[: len(text[:10])]:
            raise err(
                f"{short_repr(raw)} is before {sp.after} (Sputnik 1, the first launch); "
                "check the year"
            )
        if sp.before and text[:10] > sp.before[: len(text[:10])]:
            raise err(f"{short_repr(raw)} is after {sp.before}; check the year")
    try:
        return r.MissionDate.parse(text)
    except ValueError as exc:
        raise err(_cut(exc, 200)) from None


def _parse_quantity(raw: str):
    """``u.Quantity(raw)``, or None when the text is not a number with a unit."""
    if len(raw) > MAX_QUANTITY_TEXT or not _NUMBER_START.match(raw):
        return None
    try:
        q = u.Quantity(raw)
    except Exception:  # noqa: BLE001 - astropy's unit parser raises ValueError, TypeError ...
        return None
    if q.unit == u.dimensionless_unscaled:
        return None
    return q


_NUMBER_START = re.compile(r"^\s*[-+]?(\d|\.\d|nan|inf)", re.IGNORECASE)


def _quantity(raw, sp: Spec, err):
    if not isinstance(raw, str):
        raise err(
            f"must be a string with a unit such as '51.6 deg' or '400 km', got {short_repr(raw)}"
        )
    if len(raw) > MAX_QUANTITY_TEXT:
        raise err(
            f"{short_repr(raw)} is {len(raw)} characters long; "
            f"a quantity is a number and a unit such as '1 {sp.unit}'"
        )
    q = _parse_quantity(raw)
    if q is None:
        raise err(f"{short_repr(raw)} is not a quantity with a unit (for example '1 {sp.unit}')")
    return _check_quantity(q, raw, sp, err)


def _a(noun) -> str:
    noun = str(noun)
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _check_quantity(q, raw, sp: Spec, err):
    if q.unit.physical_type != sp.physical_type:
        raise err(
            f"{raw!r} has the wrong unit: expected {_a(sp.physical_type)} such as '1 {sp.unit}', "
            f"got '{q.unit}' ({_a(q.unit.physical_type)})"
        )
    if not q.isscalar:
        raise err(f"{raw!r} must be a single value")
    val = q.to_value(sp.unit)
    if not math.isfinite(val):
        raise err(f"{raw!r} must be finite")
    if sp.positive and val <= 0:
        raise err(f"{raw!r} must be positive")
    if (sp.lo is not None and val < sp.lo) or (sp.hi is not None and val > sp.hi):
        lo = "-inf" if sp.lo is None else f"{sp.lo:g}"
        hi = "inf" if sp.hi is None else f"{sp.hi:g}"
        raise err(f"{raw!r} is outside the allowed range [{lo}, {hi}] {sp.unit}")
    return q


# --- rules across fields of one record ------------------------------------------------------


def _fact_value(kw):
    """Return a fact's value: the Quantity its name calls for, else text or a positive Quantity."""
    name, raw = kw["name"], kw["value"]
    sp = fact_spec(name)
    q = _parse_quantity(raw)
    if sp is not None:
        if q is None:
            return "value", (
                f"{short_repr(raw)} is not a quantity; a fact named {name!r} is "
                f"{_a(sp.physical_type)} such as '1 {sp.unit}'"
            )
        problem = _rule_check(q, raw, sp, f"a fact named {name!r}")
    elif q is not None:
        angle = q.unit.physical_type == "angle"
        problem = _rule_check(
            q,
            raw,
            Spec(
                "quantity",
                physical_type=str(q.unit.physical_type),
                unit=q.unit.to_string(),
                lo=0.0 if angle else None,
                positive=not angle,
            ),
            None,
        )
    else:
        return None
    if problem:
        return "value", problem
    kw["value"] = q
    return None


def _rule_check(q, raw, sp, what):
    try:
        _check_quantity(q, raw, sp, lambda problem: ValueError(problem))
    except ValueError as exc:
        text = str(exc)
        return f"{text} ({what})" if what and "wrong unit" in text else text
    return None


def _orbit_altitudes(kw):
    p, a = kw.get("periapsis"), kw.get("apoapsis")
    if p is not None and a is not None and a < p:
        return "apoapsis", f"apoapsis {a} is below periapsis {p}"
    limits = ALTITUDE_LIMITS.get(kw.get("body"), {})
    for name in ("periapsis", "apoapsis"):
        q, hi = kw.get(name), limits.get(name)
        if q is not None and hi is not None and q.to_value(u.km) > hi:
            return name, (
                f"{q} is beyond {hi:,.0f} km, too high for an orbit about {kw['body']} "
                "(altitudes are above the mean surface)"
            )
    return None


def _inclination_range(kw):
    lo, hi = kw.get("min"), kw.get("max")
    if lo is not None and hi is not None and hi < lo:
        return "max", f"max {hi} is below min {lo}"
    return None


def _announcement_order(kw):
    a, p = kw.get("announced"), kw.get("planned")
    if a is not None and p is not None and p.text[:4] < a.text[:4]:
        return "planned", f"planned date {p.text} is years before the announcement ({a.text})"
    return None


def _phase_dates(kw):
    start, end = kw.get("start"), kw.get("end")
    if start is not None and end is not None and end.time < start.time:
        return "end", f"end {end.text} is before start {start.text}"
    return None


def _region_centre(kw):
    if kw.get("radius") is not None and kw.get("center_latitude") is None:
        return "radius", "a radius needs a center_latitude (the centre it is measured from)"
    if kw.get("center_longitude") is not None and kw.get("center_latitude") is None:
        return "center_longitude", "a center_longitude needs a center_latitude"
    return None


_PROGRAMME_ONLY = ("phases", "members")


def _programme_fields(kw):
    if kw.get("kind") != "programme":
        for name in _PROGRAMME_ONLY:
            if kw.get(name):
                return name, (
                    f"only programme records (kind = \"programme\") have {name}; "
                    f"this record's kind is {kw.get('kind')!r}"
                )
    return None


#: Checks across the fields of one record, run after each field has passed its Spec: each
#: returns None or (field, problem).
RULES = {
    r.Mission: (_programme_fields,),
    r.Phase: (_phase_dates,),
    r.SiteRegion: (_region_centre,),
    r.Fact: (_fact_value,),
    r.TargetOrbit: (_orbit_altitudes,),
    r.InclinationRange: (_inclination_range,),
    r.AzimuthRange: (_inclination_range,),
    r.Announcement: (_announcement_order,),
}


# --- writing -------------------------------------------------------------------------------


def _dump_value(sp: Spec, val):
    if sp.kind in ("str", "choice", "asof"):
        return val
    if sp.kind == "strs":
        return list(val)
    if sp.kind == "date":
        return val.text
    if sp.kind in ("quantity", "value"):
        if isinstance(val, u.Quantity):
            return f"{float(val.value)!r} {val.unit.to_string()}"
        return val
    if sp.kind == "nested":
        return _dump_obj(val)
    if sp.kind == "nested_many":
        return [_dump_obj(v) for v in val]
    raise AssertionError(sp.kind)  # pragma: no cover


def _dump_obj(obj) -> dict[str, Any]:
    spec = SPECS[type(obj)]
    out = {}
    for f in fields(obj):
        val = getattr(obj, f.name)
        if val is None or (isinstance(val, (tuple, str)) and len(val) == 0):
            continue
        out[f.name] = _dump_value(spec[f.name], val)
    return out


def dump_records(records) -> str:
    """TOML text for records (any mix of Source, Mission, LaunchSite, LaunchVehicle)."""
    import tomli_w

    doc: dict[str, list] = {}
    for rec in records:
        try:
            section = SECTION_OF[type(rec)]
        except KeyError:
            raise ArgumentTypeError(
                "records must be Source, Mission, LaunchSite or LaunchVehicle, "
                f"got {type(rec).__name__}"
            ) from None
        doc.setdefault(section, []).append(_dump_obj(rec))
    return tomli_w.dumps(doc)
