"""Readers of element-set files.

TLE (2- and 3-line) and CelesTrak GP data as OMM in JSON, CSV and CCSDS OMM XML.

>>> from orbits.omm import read_elements
>>> sets = read_elements("orbits/data/stations-2024-05-09.tle")
>>> sets[0]
<ElementSet ISS (ZARYA) #25544 epoch 2024-05-09 08:48:19 UTC>

Every reader returns a list of :class:`orbits.history.ElementSet` in file order and checks the
whole file first: a malformed file raises :class:`orbits.errors.DataFileError` whose message
names the file, the line (TLE, CSV) or record (JSON, XML) and the field.

OMM field names are CelesTrak's (the CCSDS OMM keywords): ``OBJECT_NAME``, ``NORAD_CAT_ID``,
``EPOCH``, ``MEAN_MOTION`` (rev/day, Kozai), ``ECCENTRICITY``, ``INCLINATION``,
``RA_OF_ASC_NODE``, ``ARG_OF_PERICENTER``, ``MEAN_ANOMALY`` (deg), ``BSTAR`` (1/earth radii),
``MEAN_MOTION_DOT`` (rev/day^2) and ``MEAN_MOTION_DDOT`` (rev/day^3). The conversion to a
``Satrec`` follows ``sgp4.omm.initialize`` (the same unit factors, WGS 72, the "improved"
operation mode that ``Satrec.twoline2rv`` also uses), with each field checked first so a bad
record names its field; like Skyfield's ``EarthSatellite.from_omm`` the name is optional and
the bookkeeping fields (classification, element set number, revolution) have defaults. The
epoch is read by astropy, so epochs without fractional seconds are accepted too.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

from astropy.time import Time

from .errors import DataFileError
from .history import ElementSet
from .tle import read_text_file, read_tle_sets

__all__ = [
    "FORMATS",
    "OMM_REQUIRED",
    "detect_format",
    "parse_elements",
    "read_elements",
    "satrec_from_omm",
]

#: OMM fields every record must carry (the mean elements SGP4 needs and the object's number).
OMM_REQUIRED = ("NORAD_CAT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION",
                "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY", "BSTAR",
                "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")

FORMATS = ("tle", "json", "csv", "xml")

_DEG = math.pi / 180.0
_NDOT_UNITS = 1036800.0 / math.pi  # rev/day^2 -> rad/min^2 (as sgp4.omm and SGP4.cpp)
_NDDOT_UNITS = 2985984000.0 / 2.0 / math.pi  # rev/day^3 -> rad/min^3
_JD_1949_12_31 = 2433281.5  # the zero of sgp4init's epoch (days since 1949-12-31 00:00 UTC)

#: (field, allowed range) of the angles and elements, checked before sgp4init
_RANGES = {
    "ECCENTRICITY": (0.0, 1.0, "in [0, 1)"),
    "INCLINATION": (0.0, 180.0, "in [0, 180] deg"),
    "RA_OF_ASC_NODE": (-360.0, 360.0, "in [-360, 360] deg"),
    "ARG_OF_PERICENTER": (-360.0, 360.0, "in [-360, 360] deg"),
    "MEAN_ANOMALY": (-360.0, 360.0, "in [-360, 360] deg"),
    "MEAN_MOTION": (0.0, 20.0, "in (0, 20) rev/day"),
}


def _number(fields, key, where):
    raw = fields.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise DataFileError(f"{where}: field {key} is missing or empty")
    if isinstance(raw, bool):
        raise DataFileError(f"{where}: field {key} must be a number, got {raw!r}")
    try:
        val = float(raw)
    except (TypeError, ValueError):
        raise DataFileError(f"{where}: field {key} must be a number, got {raw!r}") from None
    if not math.isfinite(val):
        raise DataFileError(f"{where}: field {key} must be finite, got {raw!r}")
    return val


def _epoch(fields, where) -> Time:
    raw = fields.get("EPOCH")
    if raw is None or not str(raw).strip():
        raise DataFileError(f"{where}: field EPOCH is missing or empty")
    text = str(raw).strip().rstrip("Z")
    try:
        t = Time(text, format="isot", scale="utc")
    except ValueError:
        raise DataFileError(f"{where}: field EPOCH {raw!r} is not an ISO date and time such as "
                            "'2024-05-09T08:48:19.938816' (UTC)") from None
    if not 1957 <= t.datetime.year <= 2100:
        raise DataFileError(f"{where}: field EPOCH {raw!r} is outside 1957-2100")
    return t


def satrec_from_omm(fields: dict, where: str = "OMM record"):
    """Return an ``sgp4.api.Satrec`` from one OMM record, each field checked first.

    The record is a dict of CelesTrak field names to text or numbers.

    Raises :class:`DataFileError` whose message starts with ``where`` and names the field.
    """
    from sgp4.api import WGS72, Satrec

    if not isinstance(fields, dict):
        raise DataFileError(f"{where}: must be an object of OMM fields, got "
                            f"{type(fields).__name__}")
    missing = [k for k in OMM_REQUIRED if fields.get(k) in (None, "")]
    if missing:
        raise DataFileError(f"{where}: missing OMM field{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)}")
    vals = {k: _number(fields, k, where) for k in OMM_REQUIRED if k != "EPOCH"}
    for key, (lo, hi, text) in _RANGES.items():
        v = vals[key]
        if not (lo <= v < hi if key in ("ECCENTRICITY", "MEAN_MOTION") else lo <= v <= hi) or (
                key == "MEAN_MOTION" and v <= 0.0):
            raise DataFileError(f"{where}: field {key} must be {text}, got {fields[key]!r}")
    catnr = vals["NORAD_CAT_ID"]
    if catnr != int(catnr) or not 0 < catnr < 340000:
        raise DataFileError(f"{where}: field NORAD_CAT_ID must be an integer catalogue number, "
                            f"got {fields['NORAD_CAT_ID']!r}")
    epoch = _epoch(fields, where)

    sat = Satrec()
    sat.classification = str(fields.get("CLASSIFICATION_TYPE") or "U")[:1]
    object_id = str(fields.get("OBJECT_ID") or "")
    sat.intldesg = object_id[2:].replace("-", "")[:8] if len(object_id) > 2 else ""
    try:
        sat.ephtype = int(float(fields.get("EPHEMERIS_TYPE") or 0))
        sat.elnum = int(float(fields.get("ELEMENT_SET_NO") or 0))
        sat.revnum = int(float(fields.get("REV_AT_EPOCH") or 0))
    except (TypeError, ValueError):
        raise DataFileError(f"{where}: EPHEMERIS_TYPE, ELEMENT_SET_NO and REV_AT_EPOCH must be "
                            "integers when given") from None
    days = (epoch.jd1 - _JD_1949_12_31) + epoch.jd2
    sat.sgp4init(
        WGS72, "i", int(catnr), days, vals["BSTAR"],
        vals["MEAN_MOTION_DOT"] / _NDOT_UNITS, vals["MEAN_MOTION_DDOT"] / _NDDOT_UNITS,
        vals["ECCENTRICITY"], vals["ARG_OF_PERICENTER"] * _DEG, vals["INCLINATION"] * _DEG,
        vals["MEAN_ANOMALY"] * _DEG, vals["MEAN_MOTION"] / 720.0 * math.pi,
        vals["RA_OF_ASC_NODE"] * _DEG,
    )
    if sat.error:
        raise DataFileError(f"{where}: sgp4 rejected the elements (error code {sat.error})")
    return sat


def _from_omm(fields, source, record):
    where = f"{source}, {record}"
    sat = satrec_from_omm(fields, where)
    name = str(fields.get("OBJECT_NAME") or "").strip() or str(int(float(fields["NORAD_CAT_ID"])))
    return ElementSet(name=name, satrec=sat, source=source, record=record,
                      omm={k: fields[k] for k in fields if k is not None})


# --- the four formats ---------------------------------------------------------------------


def _parse_tle(text, source):
    out = []
    for name, l1, l2, n in read_tle_sets(text, source):
        out.append(ElementSet.from_lines(name, l1, l2, source=source, record=f"line {n}"))
    return out


def _parse_json(text, source):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{source}, line {exc.lineno} column {exc.colno}: not valid JSON "
                            f"({exc.msg})") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise DataFileError(f"{source}: OMM JSON must be a list of records (objects), got "
                            f"{type(data).__name__}")
    if not data:
        raise DataFileError(f"{source}: the file is empty (no element sets)")
    return [_from_omm(rec, source, f"record {k}") for k, rec in enumerate(data, start=1)]


def _parse_csv(text, source):
    from sgp4.omm import parse_csv

    reader = parse_csv(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [k for k in OMM_REQUIRED if k not in header]
    if missing:
        raise DataFileError(f"{source}, line 1 (header): missing OMM column"
                            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                            f"the header has {', '.join(header) or 'nothing'}")
    out = []
    for row in reader:
        line = reader.line_num
        if None in row:
            raise DataFileError(f"{source}, line {line}: {len(header) + len(row[None])} values for "
                                f"{len(header)} columns (wrong columns)")
        short = [k for k, v in row.items() if v is None]
        if short:
            raise DataFileError(f"{source}, line {line}: too few values, field {short[0]} "
                                "missing (wrong columns)")
        if not any((v or "").strip() for v in row.values()):
            continue
        out.append(_from_omm(row, source, f"line {line}"))
    if not out:
        raise DataFileError(f"{source}: the file is empty (a header but no element sets)")
    return out


def _parse_xml(text, source):
    import xml.etree.ElementTree as ET

    from sgp4.omm import parse_xml

    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise DataFileError(f"{source}, line {line} column {col}: not well-formed XML") from None
    segments = root.findall(".//segment")
    if not segments:
        raise DataFileError(f"{source}: no OMM <segment> in the XML (not a CCSDS OMM file?)")
    for k, seg in enumerate(segments, start=1):
        for path in ("metadata", "data/meanElements", "data/tleParameters"):
            if seg.find(path) is None:
                raise DataFileError(f"{source}, segment {k}: no <{path}> element")
    records = list(parse_xml(io.StringIO(text)))
    return [_from_omm(rec, source, f"segment {k}") for k, rec in enumerate(records, start=1)]


_PARSERS = {"tle": _parse_tle, "json": _parse_json, "csv": _parse_csv, "xml": _parse_xml}


def detect_format(text: str, name: str = "") -> str:
    """Return the format: ``"tle"``, ``"json"``, ``"csv"`` or ``"xml"``.

    From the file name's suffix, or else from the first characters of the text.
    """
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in ("json", "csv", "xml"):
        return suffix
    if suffix in ("tle", "3le", "2le", "txt"):
        return "tle"
    head = text.lstrip()[:200]
    if head.startswith(("[", "{")):
        return "json"
    if head.startswith("<"):
        return "xml"
    first = head.splitlines()[0] if head else ""
    if "NORAD_CAT_ID" in first or "OBJECT_NAME," in first:
        return "csv"
    return "tle"


def parse_elements(text: str, *, source: str = "<text>", format: str | None = None
                   ) -> list[ElementSet]:
    """Element sets from the text of a TLE or OMM (JSON, CSV, XML) file; see the module notes.

    ``format`` is one of :data:`FORMATS` (default: detected from ``source``'s suffix and the
    text). Raises :class:`DataFileError` naming ``source``, the line or record and the field.
    """
    if not isinstance(text, str):
        raise DataFileError(f"{source}: expected text, got {type(text).__name__}")
    if not text.strip():
        raise DataFileError(f"{source}: the file is empty (no element sets)")
    fmt = format or detect_format(text, source)
    if fmt not in _PARSERS:
        raise DataFileError(f"{source}: format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return _PARSERS[fmt](text, source)


def read_elements(path, *, format: str | None = None) -> list[ElementSet]:
    """Every element set in a TLE or OMM file, in file order (see :func:`parse_elements`).

    Raises :class:`DataFileError` for a malformed or empty file and
    :class:`orbits.tle.MissingFileError` (also a ``FileNotFoundError``) if it does not exist.
    """
    p, text = read_text_file(path)
    return parse_elements(text, source=str(p), format=format)
