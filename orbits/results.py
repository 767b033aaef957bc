"""One shape for every analysis result.

Every public analysis returns a frozen dataclass derived from :class:`Result` (one value per
field) or :class:`TableResult` (a few scalar fields plus equal-length columns, e.g. launch
windows). Both give:

- a one-line ``repr``/``str`` in Skyfield's style, ``<OrbitPairComparison ISS vs ...>``;
- ``_repr_html_``, so a notebook cell shows a labelled table with units;
- ``to_table()``: an astropy ``QTable`` whose column names are human labels and whose
  Quantity columns keep their units (one row for a :class:`Result`, one per row of a
  :class:`TableResult`);
- ``to_dict()``: JSON-safe, with stable keys (the field names), every digit kept; a Quantity
  becomes ``{"value": ..., "unit": ...}``, a Time an ISO string, NaN or infinity ``None``;
- ``to_text()``: the rounded, labelled text the command line prints (fits 100 columns).

The command line's text, JSON and CSV outputs and the report's tables all come from these
methods, so they never disagree.

Fields are declared with :func:`quantity` (number with a display unit and rounding),
:func:`value` (text, Time, flag) or :func:`column` (a :class:`TableResult` column); a field
declared without them is kept on the object but not shown (raw grids, records).

Every result also carries, as keyword-only fields: ``notes`` (sentences on the model used),
``inputs`` (the element sets, ephemerides and catalog data it used, as :class:`InputSet`),
``analysis_date`` and ``warnings`` (why a number may not be trusted, e.g. old elements).
"""

from __future__ import annotations

import html
import math
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

import numpy as np
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time

__all__ = ["InputSet", "Result", "TableResult", "column", "format_value", "json_value",
           "quantity", "value"]

#: Widest line :meth:`Result.to_text` aims for.
TEXT_WIDTH = 100


def quantity(label: str, unit: str | None = None, *, fmt: str = ".4g", default=MISSING,
             doc: str = ""):
    """Return a displayed numeric field: ``label`` (human), display ``unit`` and number format.

    ``fmt`` is a format spec for the rounded text (``".2f"``: two decimals); JSON and CSV
    keep every digit.
    """
    meta = {"label": label, "unit": unit, "fmt": fmt, "doc": doc, "kind": "scalar"}
    return field(default=default, metadata=meta)


def value(label: str, *, default=MISSING, fmt: str | None = None, doc: str = ""):
    """Return a displayed non-numeric field (text, Time, flag, count).

    ``fmt`` for Times: "minute", "second" or "day" precision in the text output.
    """
    meta = {"label": label, "unit": None, "fmt": fmt, "doc": doc, "kind": "scalar"}
    return field(default=default, metadata=meta)


def column(label: str, unit: str | None = None, *, fmt: str | None = None, doc: str = ""):
    """Return a column of a :class:`TableResult`: Quantity, Time or array, one entry per row."""
    meta = {"label": label, "unit": unit, "fmt": fmt, "doc": doc, "kind": "column"}
    return field(metadata=meta)


@dataclass(frozen=True)
class InputSet:
    """One input an analysis used: an element set, an ephemeris or a catalog record.

    ``kind`` is ``"elements"``, ``"ephemeris"`` or ``"catalog"``; ``name`` the object (e.g.
    "ISS (ZARYA)", "DE421"); ``epoch`` the element set's epoch (None for an ephemeris, whose
    span goes in ``detail``); ``source`` the file or URL; ``age`` the analysis date minus the
    epoch (days, signed).
    """

    kind: str
    name: str
    source: str = ""
    epoch: Time | None = None
    age: u.Quantity | None = None
    detail: str = ""

    def __repr__(self) -> str:
        """Return ``<InputSet ...>`` with :meth:`describe`."""
        return f"<InputSet {self.describe()}>"

    def describe(self) -> str:
        """One line: ``elements ISS (ZARYA), epoch 2024-05-09 12:00 UTC, 12.3 d old``."""
        parts = [f"{self.kind} {self.name}"]
        if self.epoch is not None:
            parts.append(f"epoch {format_value(self.epoch, 'minute')}")
        if self.age is not None:
            days = float(self.age.to_value(u.day))
            parts.append(f"{abs(days):.1f} d {'old' if days >= 0 else 'ahead'}")
        if self.source:
            parts.append(f"from {self.source}")
        if self.detail:
            parts.append(self.detail)
        return ", ".join(parts)

    def to_dict(self) -> dict:
        """JSON-safe form."""
        return {
            "kind": self.kind,
            "name": self.name,
            "source": self.source,
            "epoch": json_value(self.epoch),
            "age_days": None if self.age is None else json_value(self.age.to_value(u.day)),
            "detail": self.detail,
        }


# --- formatting ------------------------------------------------------------------------------


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return True


def _isot(t: Time):
    """Return ``t.utc.isot`` without ERFA's "dubious year" warnings.

    Dates past the leap-second table are judged (and warned about) by the analyses that
    produce them, not while printing.
    """
    import warnings

    from erfa import ErfaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        return t.utc.isot


#: Methods that print dates: ERFA's raw warnings for far dates are silenced in them, in every
#: Result subclass (the analyses judge far dates themselves).
_PRINTING = ("__repr__", "__str__", "summary", "to_dict", "to_text", "to_table", "_repr_html_")


def _quiet_erfa(method):
    import functools

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        import warnings

        from erfa import ErfaWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ErfaWarning)
            return method(*args, **kwargs)

    wrapper._quiet_erfa = True
    return wrapper


def json_value(val: Any):
    """Return a JSON-safe copy of ``val``; every digit kept.

    Quantities as ``{"value", "unit"}``, Times as ISO strings, arrays as lists, NaN and infinity as
    None.
    """
    if val is None:
        return None
    if isinstance(val, (Result, InputSet)):
        return val.to_dict()
    if isinstance(val, Time):
        if val.isscalar:
            return _isot(val)
        return [t for t in _isot(val).tolist()]
    if isinstance(val, u.Quantity):
        unit = val.unit.to_string()
        return {"value": json_value(val.value), "unit": unit}
    if isinstance(val, np.ndarray):
        if val.ndim == 0:  # a 0-d array is a scalar, not a list
            return json_value(val.item())
        return [json_value(x) for x in val.tolist()]
    if isinstance(val, (bool, np.bool_)):
        return bool(val)
    if isinstance(val, (int, np.integer)):
        return int(val)
    if isinstance(val, (float, np.floating)):
        f = float(val)
        return f if math.isfinite(f) else None
    if isinstance(val, (list, tuple)):
        return [json_value(x) for x in val]
    if isinstance(val, dict):
        return {str(k): json_value(v) for k, v in val.items()}
    return str(val)


_TIME_FORMATS = {"day": 10, "minute": 16, "second": 19}


def format_value(val: Any, fmt: str | None = None, unit: str | None = None) -> str:
    """Return rounded text for a value; blank for None/NaN.

    E.g. ``"10.17 deg"``, ``"2024-10-06 14:00 UTC"``.
    """
    if val is None:
        return ""
    if isinstance(val, Time):
        n = _TIME_FORMATS.get(fmt or "minute", 16)
        if val.isscalar:
            return _isot(val)[:n].replace("T", " ") + " UTC"
        return ", ".join(t[:n].replace("T", " ") for t in _isot(val).tolist())
    if isinstance(val, u.Quantity):
        q = val.to(unit) if unit else val
        num = format_value(q.value, fmt)
        if not num:
            return ""
        ustr = q.unit.to_string()
        return num if not ustr else f"{num} {ustr}"
    if isinstance(val, (bool, np.bool_)):
        return "yes" if val else "no"
    if isinstance(val, np.ndarray):
        return ", ".join(format_value(x, fmt) for x in val.ravel())
    if isinstance(val, (int, np.integer)):
        return str(int(val))
    if isinstance(val, (float, np.floating)):
        f = float(val)
        if not math.isfinite(f):
            return ""
        return format(f, fmt or ".4g")
    if isinstance(val, (list, tuple)):
        return "; ".join(format_value(x, fmt) for x in val)
    return str(val)


def _column_blocks(widths: list[int], limit: int = TEXT_WIDTH) -> list[list[int]]:
    """Split a table's columns into blocks that each fit ``limit`` characters.

    The first column (the row's name) starts every block, so a wide table prints as several
    narrower ones stacked, each readable on its own (as pandas wraps wide frames).
    """
    if not widths or sum(widths) + 2 * (len(widths) - 1) <= limit:
        return [list(range(len(widths)))]
    blocks: list[list[int]] = []
    block = [0]
    used = widths[0]
    for j in range(1, len(widths)):
        if len(block) > 1 and used + 2 + widths[j] > limit:
            blocks.append(block)
            block, used = [0], widths[0]
        block.append(j)
        used += 2 + widths[j]
    blocks.append(block)
    return blocks


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=indent,
                         subsequent_indent=" " * len(indent)) or [indent]


# --- the base classes ----------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Result:
    """Base of every analysis result; see the module docstring.

    Subclasses are ``@dataclass(frozen=True, repr=False)`` and override :meth:`summary`.
    """

    notes: tuple[str, ...] = field(default=(), kw_only=True)
    inputs: tuple[InputSet, ...] = field(default=(), kw_only=True)
    analysis_date: Time | None = field(default=None, kw_only=True)
    warnings: tuple[str, ...] = field(default=(), kw_only=True)

    #: Title used in the HTML display and the report (default: the class name).
    title: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        """Wrap the subclass's own printing methods so they never leak ERFA warnings."""
        super().__init_subclass__(**kwargs)
        for name in _PRINTING:
            fn = cls.__dict__.get(name)
            if callable(fn) and not getattr(fn, "_quiet_erfa", False):
                setattr(cls, name, _quiet_erfa(fn))

    # -- what subclasses provide --
    def summary(self) -> str:
        """Return the one-line summary inside ``<ClassName ...>``; subclasses override it."""
        rows = self._scalar_rows()[:3]
        return ", ".join(f"{label} {text}" for _, label, _, text in rows)

    # -- derived --
    def __repr__(self) -> str:
        """Return ``<ClassName summary>``."""
        return f"<{type(self).__name__} {self.summary()}>"

    __str__ = __repr__

    @classmethod
    def _displayed(cls, kind: str = "scalar"):
        return [f for f in fields(cls) if f.metadata.get("kind") == kind]

    def _scalar_rows(self) -> list[tuple[str, str, Any, str]]:
        """(key, label, value in display unit, rounded text) for every displayed scalar."""
        out = []
        for f in self._displayed("scalar"):
            val = getattr(self, f.name)
            unit = f.metadata.get("unit")
            if isinstance(val, u.Quantity) and unit:
                val = val.to(unit)
            out.append((f.name, f.metadata["label"], val, format_value(val, f.metadata.get("fmt"))))
        return out

    def to_dict(self) -> dict:
        """JSON-safe dict with stable keys (the field names); every digit kept."""
        out: dict[str, Any] = {"result": type(self).__name__, "summary": self.summary()}
        for key, _, val, _ in self._scalar_rows():
            out[key] = json_value(val)
        out["analysis_date"] = json_value(self.analysis_date)
        out["inputs"] = [i.to_dict() for i in self.inputs]
        out["warnings"] = list(self.warnings)
        out["notes"] = list(self.notes)
        return out

    def to_table(self) -> QTable:
        """One-row QTable: a column per displayed field, named by its label, units kept."""
        cols = {}
        for _, label, val, _ in self._scalar_rows():
            cols[label] = [_table_cell(val)] if not isinstance(val, (u.Quantity, Time)) else (
                val.reshape(1) if getattr(val, "isscalar", False) else val[None])
        t = QTable(cols)
        t.meta["result"] = type(self).__name__
        t.meta["notes"] = list(self.notes)
        return t

    def _text_lines(self) -> list[str]:
        rows = [(label, text) for _, label, _, text in self._scalar_rows()]
        width = min(max((len(lab) for lab, _ in rows), default=0), 40)
        lines = []
        for label, text in rows:
            chunks = _wrap(text, TEXT_WIDTH - width - 2) if text else [""]
            for k, chunk in enumerate(chunks):
                lines.append(f"{label if k == 0 else '':<{width}}  {chunk}".rstrip())
        return lines

    def _footer_lines(self) -> list[str]:
        lines = []
        if self.analysis_date is not None:
            lines.append(f"analysis date: {format_value(self.analysis_date, 'minute')}")
        for i in self.inputs:
            lines.extend(_wrap(i.describe(), TEXT_WIDTH, "input: "))
        for n in self.notes:
            lines.extend(_wrap(n, TEXT_WIDTH, "note: "))
        return lines

    def to_text(self) -> str:
        """Return rounded, labelled text for a terminal (lines of at most 100 characters)."""
        return "\n".join([*self._text_lines(), *self._footer_lines()])

    def _repr_html_(self) -> str:
        esc = html.escape
        title = esc(self.title or type(self).__name__)
        body = "".join(f"<tr><th style='text-align:left'>{esc(label)}</th>"
                       f"<td style='text-align:left'>{esc(text)}</td></tr>"
                       for _, label, _, text in self._scalar_rows())
        parts = [f"<table><caption style='text-align:left'><b>{title}</b>: "
                 f"{esc(self.summary())}</caption>{body}</table>"]
        parts.extend(self._html_extra())
        return "".join(parts) + self._html_footer()

    def _html_extra(self) -> list[str]:
        return []

    def _html_footer(self) -> str:
        esc = html.escape
        items = [f"<li><b>warning</b>: {esc(w)}</li>" for w in self.warnings]
        if self.analysis_date is not None:
            items.append(f"<li>analysis date {esc(format_value(self.analysis_date))}</li>")
        items += [f"<li>{esc(i.describe())}</li>" for i in self.inputs]
        items += [f"<li>{esc(n)}</li>" for n in self.notes]
        return f"<ul style='font-size:90%'>{''.join(items)}</ul>" if items else ""


for _name in _PRINTING:
    if callable(Result.__dict__.get(_name)):
        setattr(Result, _name, _quiet_erfa(Result.__dict__[_name]))
del _name


def _table_cell(val):
    if val is None:
        return ""
    if isinstance(val, (list, tuple)):
        return format_value(val)
    return val


@dataclass(frozen=True, repr=False)
class TableResult(Result):
    """A result with rows.

    Scalar fields (:func:`quantity`/:func:`value`) plus equal-length columns (:func:`column`).
    ``len()`` is the number of rows.
    """

    def __len__(self) -> int:
        """Return the number of rows."""
        cols = self._displayed("column")
        return len(getattr(self, cols[0].name)) if cols else 0

    def __getitem__(self, key):
        """Return a column, a row or a copy with some rows.

        ``result["azimuth"]``: a column by field name or label (Quantity/Time/array, as stored);
        ``result[0]``: one row as a dict keyed by field name; ``result[mask]`` or ``result[1:3]``: a
        copy with those rows.
        """
        cols = self._displayed("column")
        if isinstance(key, str):
            for f in cols:
                if key in (f.name, f.metadata["label"]):
                    return getattr(self, f.name)
            names = ", ".join(repr(f.name) for f in cols)
            raise KeyError(f"{type(self).__name__} has no column {key!r}; columns: {names}")
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            n = len(self)
            if not -n <= key < n:
                raise IndexError(f"row {key} out of range for {n} rows")
            return {f.name: getattr(self, f.name)[key] for f in cols}
        if isinstance(key, (slice, np.ndarray, list)):
            from dataclasses import replace

            return replace(self, **{f.name: getattr(self, f.name)[key] for f in cols})
        raise TypeError(f"index a {type(self).__name__} with a column name, a row number, a "
                        f"slice or a mask, got {type(key).__name__}")

    def _columns(self) -> list[tuple[str, str, Any, str | None]]:
        out = []
        for f in self._displayed("column"):
            val = getattr(self, f.name)
            unit = f.metadata.get("unit")
            if isinstance(val, u.Quantity) and unit:
                val = val.to(unit)
            out.append((f.name, f.metadata["label"], val, f.metadata.get("fmt")))
        return out

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        return f"{len(self)} rows"

    def to_table(self) -> QTable:
        """Return a QTable with a row per entry, columns named by their labels, units kept."""
        t = QTable({label: val for _, label, val, _ in self._columns()})
        t.meta["result"] = type(self).__name__
        t.meta["notes"] = list(self.notes)
        for _, label, _, text in self._scalar_rows():
            t.meta[label] = text
        return t

    def rows(self) -> list[dict]:
        """Return the rows as JSON-safe dicts keyed by field name."""
        cols = self._columns()
        return [{key: json_value(val[i]) for key, _, val, _ in cols} for i in range(len(self))]

    def to_dict(self) -> dict:
        """Return the scalar fields and the rows as JSON-safe data."""
        out = super().to_dict()
        notes = out.pop("notes")
        out["rows"] = self.rows()
        out["notes"] = notes
        return out

    def _text_table(self) -> list[str]:
        cols = self._columns()
        headers = []
        cells = []
        for _, label, val, fmt in cols:
            unit = val.unit.to_string() if isinstance(val, u.Quantity) else ""
            headers.append(f"{label} ({unit})" if unit else label)
            if isinstance(val, u.Quantity):
                texts = [format_value(x, fmt) for x in val.value]
            elif isinstance(val, Time):
                texts = [format_value(x, fmt) for x in val]
            else:
                texts = [format_value(x, fmt) for x in val]
            cells.append(texts)
        widths = [max([len(h)] + [len(c) for c in col]) for h, col in zip(headers, cells)]
        lines: list[str] = []
        for block in _column_blocks(widths):
            if lines:
                lines.append("")
            lines.append("  ".join(headers[j].ljust(widths[j]) for j in block).rstrip())
            lines.append("  ".join("-" * widths[j] for j in block))
            for i in range(len(self)):
                lines.append("  ".join(cells[j][i].ljust(widths[j]) for j in block).rstrip())
        return lines

    def to_text(self) -> str:
        """Return the scalar fields and the rows as terminal text."""
        return "\n".join([*self._text_lines(), *self._text_table(), *self._footer_lines()])

    def _html_extra(self) -> list[str]:
        esc = html.escape
        cols = self._columns()
        head = "".join(f"<th>{esc(label)}"
                       + (f" ({esc(val.unit.to_string())})" if isinstance(val, u.Quantity) else "")
                       + "</th>" for _, label, val, _ in cols)
        body = []
        for i in range(min(len(self), 200)):
            cells = "".join(
                "<td>"
                f"{esc(format_value(val.value[i] if isinstance(val, u.Quantity) else val[i], fmt))}"
                "</td>"
                for _, _, val, fmt in cols
            )
            body.append(f"<tr>{cells}</tr>")
        more = f"<p>... {len(self) - 200} more rows</p>" if len(self) > 200 else ""
        return [f"<table><tr>{head}</tr>{''.join(body)}</table>{more}"]
