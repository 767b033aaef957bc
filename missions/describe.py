"""Human-readable and JSON descriptions of a record, every fact followed by its source."""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from astropy import units as u

from . import records as r

__all__ = ["describe", "describe_dict"]


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
        if is_dataclass(val):
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
    """The field that names a list item, and its text."""
    for name in ("label", "name", "kind", "orbit", "announced"):
        if hasattr(item, name) and not _is_empty(getattr(item, name)):
            return name, _fmt(getattr(item, name))
    return None, type(item).__name__


def _src(item, notes) -> str:
    key = getattr(item, "source", None)
    return f" {notes.ref(key)}" if isinstance(key, str) else ""


def describe(rec, cat) -> str:
    """Multi-line text: the record's fields, then its numbered sources."""
    notes = _Notes(cat)
    kind = type(rec).__name__
    head = f"{rec.name} ({kind}, key '{rec.key}')"
    cited = getattr(rec, "sources", None) or (rec.source,)
    lines = [head + " " + "".join(notes.ref(k) for k in cited), "=" * len(head)]
    _walk(rec, notes, 0, lines)
    lines += ["", "Sources:", *notes.lines()]
    return "\n".join(lines)


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
    """The record as JSON-ready data, each ``source`` expanded with its citation."""
    out = {"type": type(rec).__name__, **_to_jsonable(rec, cat)}
    if "sources" in out:
        out["sources"] = [{"key": k, "citation": cat.sources[k].cite()} for k in out["sources"]]
    return out
