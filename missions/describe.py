"""Human-readable and JSON descriptions of a record, every fact followed by its source."""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from astropy import units as u
from astropy.table import QTable, Row

from . import records as r

__all__ = [
    "LabelledTable",
    "describe",
    "describe_dict",
    "labelled_table",
    "record_html",
    "table_html",
]


def _is_empty(val) -> bool:
    return val is None or (isinstance(val, (tuple, str)) and len(val) == 0)


def _fmt(val) -> str:
    if isinstance(val, u.Quantity):
        return f"{val.value:g} {val.unit.to_string()}"
    if isinstance(val, r.MissionDate):
        return val.text
    if isinstance(val, tuple):
        return ", ".join(_fmt(v) for v in val)
    return str(val)


class _Notes:
    """Numbers sources in order of first citation: [1], [2] ..."""

    def __init__(self, cat):
        self.cat, self.order = cat, {}

    def ref(self, key: str) -> str:
        if key not in self.order:
            self.order[key] = len(self.order) + 1
        return f"[{self.order[key]}]"

    def lines(self):
        for key, n in self.order.items():
            src = self.cat.sources.get(key)
            yield f"  [{n}] {src.cite() if src else key}"


_SKIP = {"key", "source", "sources"}


def _walk(obj, notes, indent, lines, skip=()):
    pad = "  " * indent
    for f in fields(obj):
        if f.name in _SKIP or f.name in skip:
            continue
        val = getattr(obj, f.name)
        if _is_empty(val):
            continue
        label = f.name.replace("_", " ")
        if is_dataclass(val) and not isinstance(val, r.MissionDate):
            lines.append(f"{pad}{label}:{_src(val, notes)}")
            _walk(val, notes, indent + 1, lines)
        elif isinstance(val, tuple) and val and is_dataclass(val[0]):
            lines.append(f"{pad}{label}:")
            for item in val:
                head_field, head = _headline(item)
                lines.append(f"{pad}  - {head}{_src(item, notes)}")
                sub = []
                _walk(item, notes, indent + 2, sub, skip=(head_field,))
                lines.extend(sub)
        else:
            lines.append(f"{pad}{label}: {_fmt(val)}")


def _headline(item) -> tuple[str | None, str]:
    """Return the field that names a list item, and its text."""
    for name in ("label", "name", "kind", "orbit", "announced"):
        if hasattr(item, name) and not _is_empty(getattr(item, name)):
            return name, _fmt(getattr(item, name))
    return None, type(item).__name__


def _src(item, notes) -> str:
    key = getattr(item, "source", None)
    return f" {notes.ref(key)}" if isinstance(key, str) else ""


def describe(rec, cat) -> str:
    """Multi-line text: the record's fields, then its numbered sources.

    The record's as-of date comes first (or says that none is stated); a programme's phases
    follow, grouped by the plan that announced them, each with its date range and source.
    """
    notes = _Notes(cat)
    kind = type(rec).__name__
    head = f"{rec.name} ({kind}, key '{rec.key}')"
    cited = getattr(rec, "sources", None) or (rec.source,)
    lines = [head + " " + "".join(notes.ref(k) for k in cited), "=" * len(head)]
    skip: tuple[str, ...] = ()
    if hasattr(rec, "as_of"):
        lines.append(f"as of: {rec.as_of or 'not stated'}")
        skip = ("as_of",)
    if getattr(rec, "phases", ()):
        lines.extend(_phase_lines(rec, notes))
        skip += ("phases",)
    _walk(rec, notes, 0, lines, skip=skip)
    lines += ["", "Sources:", *notes.lines()]
    return "\n".join(lines)


def _phase_lines(rec, notes) -> list[str]:
    """Return the lines of a programme's phases, grouped by plan, in catalog order."""
    out = ["phases:"]
    plans: dict[str, list] = {}
    for ph in rec.phases:
        plans.setdefault(ph.plan, []).append(ph)
    for plan, phases in plans.items():
        pad = "  "
        if plan:
            out.append(f"  {plan}:")
            pad = "    "
        for ph in phases:
            out.append(f"{pad}- {ph.name}, {ph.date_range} {notes.ref(ph.source)}")
            if ph.goals:
                out.append(f"{pad}  goals: {'; '.join(ph.goals)}")
            if ph.missions:
                out.append(f"{pad}  missions: {', '.join(ph.missions)}")
            if ph.note:
                out.append(f"{pad}  note: {ph.note}")
            for alt in ph.alternatives:
                out.append(f"{pad}  alternative: {alt.value} {notes.ref(alt.source)}")
    return out


def _to_jsonable(val, cat):
    if isinstance(val, u.Quantity):
        return {"value": float(val.value), "unit": val.unit.to_string()}
    if isinstance(val, r.MissionDate):
        return {"date": val.text, "precision": val.precision}
    if is_dataclass(val):
        out = {}
        for f in fields(val):
            v = getattr(val, f.name)
            if _is_empty(v):
                continue
            if f.name == "source":
                src = cat.sources.get(v)
                out["source"] = {"key": v, "citation": src.cite() if src else None}
            else:
                out[f.name] = _to_jsonable(v, cat)
        return out
    if isinstance(val, tuple):
        return [_to_jsonable(v, cat) for v in val]
    return val


def describe_dict(rec, cat) -> dict:
    """Return the record as JSON-ready data, each ``source`` expanded with its citation."""
    out = {"type": type(rec).__name__, **_to_jsonable(rec, cat)}
    if "sources" in out:
        out["sources"] = [{"key": k, "citation": cat.sources[k].cite()} for k in out["sources"]]
    return out


# --- tables and notebook displays ------------------------------------------------------------


def _number_text(v, fmt=None) -> str:
    """Return a number as text, blank where it is NaN (unknown) or masked.

    Rounded with ``fmt``, or every digit (``repr``) without one.
    """
    import math

    import numpy as np

    x = getattr(v, "value", v)
    if np.ma.is_masked(x):
        return ""
    x = float(x)
    if not math.isfinite(x):
        return ""
    return format(x, fmt) if fmt else repr(x)


def _blank_nan(v) -> str:
    """Return the astropy column formatter of a LabelledTable's numbers.

    Every digit (so CSV written by astropy loses nothing), blank where the value is unknown.
    """
    return _number_text(v)


def labelled_table(spec, values, columns=None):
    """Return a :class:`LabelledTable` from ``values`` (key -> list), labelled per ``spec``.

    ``spec`` maps key -> (label, unit, number format); a Quantity column holds NaN where its
    value is None (shown blank). ``columns`` picks columns by key or label, in that order.
    """
    import numpy as np

    from orbits.errors import ArgumentError

    from .schema import short_repr

    by_label = {lab: key for key, (lab, _, _) in spec.items()}
    if columns is None:
        keys = list(spec)
    else:
        if isinstance(columns, str):
            columns = [columns]
        keys = []
        for c in columns:
            key = c if c in spec else by_label.get(c)
            if key is None:
                raise ArgumentError(
                    f"columns: {short_repr(c)} is not a column; choose from: {', '.join(spec)}"
                )
            keys.append(key)
    t = LabelledTable()
    for key in keys:
        label, unit, _ = spec[key]
        vals = values[key]
        if unit is not None:
            data = np.array([np.nan if v is None else v.to_value(unit) for v in vals], dtype=float)
            t[label] = u.Quantity(data, unit)
            t[label].info.format = _blank_nan
        else:
            t[label] = vals if vals else np.array([], dtype=str)
    t.meta["keys"] = {key: spec[key][0] for key in keys}
    # rounding for displays (HTML, text): label -> format spec; data and CSV keep every digit
    t.meta["formats"] = {spec[key][0]: spec[key][2] for key in keys if spec[key][2]}
    return t


class _LabelledRow(Row):
    def __getitem__(self, item):
        if isinstance(item, str):
            item = self._table.meta.get("keys", {}).get(item, item)
        return super().__getitem__(item)


class LabelledTable(QTable):
    """A QTable whose columns have human labels but may also be picked by their key.

    ``t["launch_site"]`` is ``t["Launch site"]``; ``t[["name", "agency"]]`` keeps those
    columns (``t.meta["keys"]`` maps keys to labels); rows accept keys too.
    """

    Row = _LabelledRow

    def __getitem__(self, item):
        """Return a column by key or label, or the rows selected by ``item``."""
        keys = self.meta.get("keys", {})
        if isinstance(item, str):
            item = keys.get(item, item)
        elif isinstance(item, (list, tuple)) and item and all(isinstance(x, str) for x in item):
            item = [keys.get(x, x) for x in item]
        return super().__getitem__(item)

    def _repr_html_(self):
        return table_html(self)

    def rows(self) -> list[dict]:
        """Return the rows as JSON-safe dicts keyed by column key (``"launch_site"``), not label.

        A Quantity becomes ``{"value", "unit"}`` (every digit), an unknown value None.
        """
        import math

        keys = {label: key for key, label in self.meta.get("keys", {}).items()}
        out = []
        for row in self:
            rec = {}
            for name in self.colnames:
                val = row[name]
                if isinstance(val, u.Quantity):
                    x = float(val.value)
                    rec[keys.get(name, name)] = (
                        {"value": x, "unit": val.unit.to_string()} if math.isfinite(x) else None
                    )
                else:
                    rec[keys.get(name, name)] = val.item() if hasattr(val, "item") else val
            out.append(rec)
        return out


def _cell(table, name, i) -> str:
    col = table[name]
    val = col[i]
    if isinstance(val, u.Quantity):
        return _number_text(val, table.meta.get("formats", {}).get(name))
    fmt = getattr(col.info, "format", None)
    if callable(fmt):
        return fmt(val)
    return str(val)


def table_html(table, caption: str | None = None, max_rows: int = 200) -> str:
    """Return a plain HTML table: labelled header (units), formatted cells, blank unknowns."""
    import html

    esc = html.escape
    head = "".join(
        f"<th>{esc(name)}"
        + (f" ({esc(table[name].unit.to_string())})" if isinstance(table[name], u.Quantity) else "")
        + "</th>"
        for name in table.colnames
    )
    rows = []
    for i in range(min(len(table), max_rows)):
        cells = "".join(f"<td>{esc(_cell(table, name, i))}</td>" for name in table.colnames)
        rows.append(f"<tr>{cells}</tr>")
    more = (
        f"<tr><td colspan='{len(table.colnames)}'>… {len(table) - max_rows} more rows</td></tr>"
        if len(table) > max_rows
        else ""
    )
    cap = f"<caption style='text-align:left'><b>{esc(caption)}</b></caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}{more}</tbody></table>"


def _rows(obj, prefix=""):
    """(label, text, source key) for each non-empty field of a record, nested ones flattened."""
    out = []
    for f in fields(obj):
        if f.name in _SKIP:
            continue
        val = getattr(obj, f.name)
        if _is_empty(val):
            continue
        label = (prefix + f.name).replace("_", " ")
        if is_dataclass(val) and not isinstance(val, r.MissionDate):
            sub = _rows(val, label + " ")
            out.extend(sub)
        elif isinstance(val, tuple) and val and is_dataclass(val[0]):
            for item in val:
                head_field, head = _headline(item)
                detail = "; ".join(
                    f"{fl.name.replace('_', ' ')} {_fmt(getattr(item, fl.name))}"
                    for fl in fields(item)
                    if fl.name not in _SKIP
                    and fl.name != head_field
                    and not _is_empty(getattr(item, fl.name))
                    and not is_dataclass(getattr(item, fl.name))
                    and not (
                        isinstance(getattr(item, fl.name), tuple)
                        and getattr(item, fl.name)
                        and is_dataclass(getattr(item, fl.name)[0])
                    )
                )
                text = head + (f": {detail}" if detail else "")
                out.append((label, text, getattr(item, "source", "")))
                for fl in fields(item):  # an item's own list (a fact's alternatives)
                    sub = getattr(item, fl.name)
                    if isinstance(sub, tuple) and sub and is_dataclass(sub[0]):
                        for alt in sub:
                            _, alt_head = _headline(alt)
                            alt_head = getattr(alt, "value", alt_head)
                            out.append(
                                (
                                    f"{label} ({fl.name.replace('_', ' ').rstrip('s')})",
                                    _fmt(alt_head),
                                    getattr(alt, "source", ""),
                                )
                            )
        else:
            out.append((label, _fmt(val), getattr(obj, "source", "") if prefix else ""))
    return out


def record_html(rec) -> str:
    """Return a record as a small labelled HTML table: field, value and the source key of each."""
    import html

    esc = html.escape
    cited = getattr(rec, "sources", None) or ((rec.source,) if getattr(rec, "source", None) else ())
    body = "".join(
        f"<tr><th style='text-align:left'>{esc(label)}</th>"
        f"<td style='text-align:left'>{esc(text)}</td>"
        f"<td style='text-align:left'>{f'<code>{esc(src)}</code>' if src else ''}</td></tr>"
        for label, text, src in _rows(rec)
    )
    caption = esc(repr(rec).strip("<>"))
    sources = ", ".join(esc(k) for k in cited)
    foot = (
        f"<tr><td colspan='3' style='font-size:90%'>sources: {sources}</td></tr>" if sources else ""
    )
    return (
        f"<table><caption style='text-align:left'><b>{caption}</b></caption>"
        f"<thead><tr><th>field</th><th>value</th><th>source</th></tr></thead>"
        f"<tbody>{body}{foot}</tbody></table>"
    )
