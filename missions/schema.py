"""Reading and writing catalog records as TOML, with validation.

One declarative table per record type says, for every field, its kind, unit (physical
type), allowed range or choices, and whether it is required. The same table drives parsing
(with errors that name the file, the record and the field) and writing (so a user's records
file round-trips: load, save, load again gives equal records).
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from astropy import units as u

from orbits.errors import DataFileError

from . import records as r

__all__ = ["SECTION_OF", "CatalogError", "dump_records", "parse_file", "parse_text"]


class CatalogError(DataFileError):
    """A catalog file that cannot be loaded; the message names file, record and field."""

    def __init__(self, file, record, field, problem):
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


def S(required=False):
    return Spec("str", required)


def STRS():
    return Spec("strs")


def Q(ptype, unit, lo=None, hi=None, required=False, positive=False):
    return Spec("quantity", required, ptype, lo, hi, unit, positive=positive)


def D(required=False):
    return Spec("date", required)


def C(choices, required=True):
    return Spec("choice", required, choices=tuple(choices))


def N(cls, required=False):
    return Spec("nested", required, cls=cls)


def NM(cls):
    return Spec("nested_many", cls=cls)


ANGLE_INC = {"ptype": "angle", "unit": "deg", "lo": 0.0, "hi": 180.0}
LAT = {"ptype": "angle", "unit": "deg", "lo": -90.0, "hi": 90.0}
LON = {"ptype": "angle", "unit": "deg", "lo": -180.0, "hi": 360.0}

VALUE = Spec("value", True)  # a Quantity if it parses as one with a unit, else text

SPECS: dict[type, dict[str, Spec]] = {
    r.Source: {
        "key": S(True),
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
        "duration": Q("time", "d", positive=True),
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
        "period": Q("time", "d", positive=True),
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
    r.Mission: {
        "key": S(True),
        "name": S(True),
        "agency": S(True),
        "country": S(True),
        "kind": C(r.KINDS),
        "status": C(r.STATUSES),
        "target": C(r.BODIES),
        "sources": Spec("strs", True),
        "aliases": STRS(),
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
        "as_of": S(),
    },
    r.InclinationRange: {
        "min": Q(**ANGLE_INC, required=True),
        "max": Q(**ANGLE_INC, required=True),
        "source": S(True),
        "label": S(),
    },
    r.LaunchSite: {
        "key": S(True),
        "name": S(True),
        "country": S(True),
        "latitude": Q(**LAT, required=True),
        "longitude": Q(**LON, required=True),
        "source": S(True),
        "aliases": STRS(),
        "operator": S(),
        "inclinations": NM(r.InclinationRange),
        "notes": S(),
    },
    r.Payload: {
        "orbit": S(True),
        "mass": Q("mass", "kg", required=True, positive=True),
        "source": S(True),
        "altitude": Q("length", "km", lo=0.0),
        "inclination": Q(**ANGLE_INC),
        "site": S(),
        "note": S(),
    },
    r.LaunchVehicle: {
        "key": S(True),
        "name": S(True),
        "country": S(True),
        "kind": C(("launcher", "upper stage", "spacecraft")),
        "source": S(True),
        "aliases": STRS(),
        "agency": S(),
        "payloads": NM(r.Payload),
        "facts": NM(r.Fact),
        "notes": S(),
    },
}

#: TOML array-of-tables name for each top-level record type.
SECTION_OF = {r.Source: "source", r.Mission: "mission", r.LaunchSite: "site", r.LaunchVehicle: "vehicle"}
TYPE_OF_SECTION = {v: k for k, v in SECTION_OF.items()}


# --- parsing -----------------------------------------------------------------------------------


def parse_file(path) -> list:
    """Parse one TOML catalog file into records (sources, missions, sites, vehicles)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(path, None, None, f"cannot be read ({exc.strerror})") from None
    return parse_text(text, path)


def parse_text(text: str, path="<string>") -> list:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(path, None, None, f"is not valid TOML ({exc})") from None
    out = []
    for section, items in doc.items():
        if section not in TYPE_OF_SECTION:
            raise CatalogError(
                path, None, section,
                f"unknown section [[{section}]]; allowed: "
                + ", ".join(f"[[{s}]]" for s in TYPE_OF_SECTION) + _suggest(section, TYPE_OF_SECTION),
            )
        if not isinstance(items, list):
            raise CatalogError(path, None, section, f"must be an array of tables ([[{section}]]), got a {type(items).__name__}")
        cls = TYPE_OF_SECTION[section]
        for n, table in enumerate(items):
            label = f"{section} #{n + 1}"
            if isinstance(table, dict) and isinstance(table.get("key"), str):
                label = f"{section} '{table['key']}'"
            out.append(_build(cls, table, path, label, ""))
    return out


def _suggest(name, options) -> str:
    close = difflib.get_close_matches(str(name), list(options), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _build(cls, table, path, label, prefix):
    if not isinstance(table, dict):
        raise CatalogError(path, label, prefix.rstrip(".") or None, f"must be a table, got {table!r}")
    spec = SPECS[cls]
    for key in table:
        if key not in spec:
            raise CatalogError(
                path, label, prefix + key,
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
    try:
        return cls(**kwargs)
    except TypeError as exc:  # pragma: no cover - spec and dataclass out of step
        raise CatalogError(path, label, prefix or None, str(exc)) from None


def _convert(sp: Spec, raw, path, label, fname):
    err = lambda problem: CatalogError(path, label, fname, problem)
    if sp.kind == "str":
        if not isinstance(raw, str) or not raw.strip():
            raise err(f"must be a non-empty string, got {raw!r}")
        return raw
    if sp.kind == "strs":
        if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
            raise err(f"must be a list of non-empty strings, got {raw!r}")
        return tuple(raw)
    if sp.kind == "choice":
        if raw not in sp.choices:
            raise err(f"{raw!r} is not allowed; choose one of: {', '.join(sp.choices)}" + _suggest(raw, sp.choices))
        return raw
    if sp.kind == "date":
        if not isinstance(raw, str):
            raise err(f"must be a date string (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS), got {raw!r}")
        try:
            return r.MissionDate.parse(raw)
        except ValueError as exc:
            raise err(str(exc)) from None
    if sp.kind == "quantity":
        return _quantity(raw, sp, err)
    if sp.kind == "value":
        if isinstance(raw, str):
            try:
                q = u.Quantity(raw)
            except (TypeError, ValueError):
                return raw
            if q.unit == u.dimensionless_unscaled:
                return raw
            return q
        raise err(f"must be a string such as '1750 kg' or a text value, got {raw!r}")
    if sp.kind == "nested":
        return _build(sp.cls, raw, path, label, fname + ".")
    if sp.kind == "nested_many":
        if not isinstance(raw, list):
            raise err(f"must be a list of tables ([[...{fname.split('.')[-1]}]]), got {raw!r}")
        return tuple(_build(sp.cls, item, path, label, f"{fname}[{i}].") for i, item in enumerate(raw))
    raise AssertionError(sp.kind)  # pragma: no cover


def _quantity(raw, sp: Spec, err):
    if not isinstance(raw, str):
        raise err(f"must be a string with a unit such as '51.6 deg' or '400 km', got {raw!r}")
    try:
        q = u.Quantity(raw)
    except (TypeError, ValueError):
        raise err(f"{raw!r} is not a quantity with a unit (for example '1 {sp.unit}')") from None
    if q.unit == u.dimensionless_unscaled or q.unit.physical_type != sp.physical_type:
        raise err(f"{raw!r} has the wrong unit: expected a {sp.physical_type} such as '1 {sp.unit}', got unit '{q.unit}'")
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


# --- writing -------------------------------------------------------------------------------


def _dump_value(sp: Spec, val):
    if sp.kind in ("str", "choice"):
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
            raise TypeError(
                f"records must be Source, Mission, LaunchSite or LaunchVehicle, got {type(rec).__name__}"
            ) from None
        doc.setdefault(section, []).append(_dump_obj(rec))
    return tomli_w.dumps(doc)
