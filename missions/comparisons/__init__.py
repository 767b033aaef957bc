"""One module per comparison pairing (the model: astropy's one file per frame).

- :mod:`.orbit_pair`: two Earth orbits (:class:`OrbitPairComparison`);
- :mod:`.site_orbit`: a launch site and an Earth orbit (:class:`SiteOrbitComparison`);
- :mod:`.lunar_pair`: two lunar missions (``compare_lunar``);
- :mod:`.station_transfer`: the station-to-station transfer search (:func:`station_transfers`);
- :mod:`.launch_windows`: in-plane launch windows from a site (:func:`station_launch_windows`).

:func:`missions.compare.compare` picks the pairing. Nothing here is imported by
``import missions``; each module imports astropy-heavy code only when called.

:class:`PairResult` is the display shared by the pairings that describe two objects side by
side: a ``first`` and a ``second`` result (one per object) shown as two columns under the
objects' names, then the fields about the pair.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from orbits.results import TEXT_WIDTH, Result, json_value

__all__ = ["PairResult"]


@dataclass(frozen=True, repr=False)
class PairResult(Result):
    """A :class:`~orbits.results.Result` about two objects, shown side by side.

    Each object is described by a Result (``first``, ``second``, subclasses declare them)
    whose displayed fields form the two columns. ``to_dict()`` nests them under ``"first"``
    and ``"second"``; ``to_table()`` names their columns ``"<label> (<object name>)"``.
    """

    def _sides(self) -> tuple[Result, Result]:
        return self.first, self.second  # type: ignore[attr-defined]

    def _side_rows(self) -> list[tuple[str, str, list[tuple[Any, str]]]]:
        """(key, label with unit, [(value, text) for each side]) for each per-object field."""
        a, b = self._sides()
        rows_a, rows_b = a._scalar_rows(), b._scalar_rows()
        out = []
        for (key, label, va, ta), (_, _, vb, tb) in zip(rows_a, rows_b):
            if key == "name":
                continue
            unit = ""
            for v in (va, vb):
                if hasattr(v, "unit") and v.unit.to_string():
                    unit = v.unit.to_string()
                    break
            texts = [_strip_unit(ta, unit), _strip_unit(tb, unit)]
            out.append((key, f"{label} ({unit})" if unit else label, list(zip((va, vb), texts))))
        return out

    def _text_lines(self) -> list[str]:
        a, b = self._sides()
        rows = self._side_rows()
        lw = min(max([len(lab) for _, lab, _ in rows] + [0]), 44)
        cw = (TEXT_WIDTH - lw - 4) // 2
        lines = [f"{'':<{lw}}  {a.name[:cw]:<{cw}}  {b.name[:cw]}".rstrip()]
        for _, label, cells in rows:
            line = f"{label[:lw]:<{lw}}  {cells[0][1][:cw]:<{cw}}  {cells[1][1][:cw]}"
            lines.append(line.rstrip())
        lines.append("")
        return lines + super()._text_lines()

    def to_dict(self) -> dict:
        """Return a JSON-safe dict with the two objects under ``"first"`` and ``"second"``."""
        out = super().to_dict()
        a, b = self._sides()
        sides = {"first": _side_dict(a), "second": _side_dict(b)}
        return {"result": out.pop("result"), "summary": out.pop("summary"), **sides, **out}

    def to_table(self):
        """Return a one-row QTable: each object's fields as ``"<label> (<object name>)"``."""
        from astropy import units as u
        from astropy.table import QTable
        from astropy.time import Time

        a, b = self._sides()
        cols = {}
        for side in (a, b):
            for key, label, val, _ in side._scalar_rows():
                if key == "name":
                    continue
                cols[f"{label} ({side.name})"] = _cell(val, u, Time)
        for _, label, val, _ in self._scalar_rows():
            cols[label] = _cell(val, u, Time)
        t = QTable(cols)
        t.meta["result"] = type(self).__name__
        t.meta["notes"] = list(self.notes)
        return t

    def _repr_html_(self) -> str:
        esc = html.escape
        a, b = self._sides()
        head = (f"<tr><th></th><th style='text-align:left'>{esc(a.name)}</th>"
                f"<th style='text-align:left'>{esc(b.name)}</th></tr>")
        side = "".join(f"<tr><th style='text-align:left'>{esc(label)}</th>"
                       + "".join(f"<td style='text-align:left'>{esc(t)}</td>" for _, t in cells)
                       + "</tr>" for _, label, cells in self._side_rows())
        pair = "".join(f"<tr><th style='text-align:left'>{esc(label)}</th>"
                       f"<td colspan='2' style='text-align:left'>{esc(text)}</td></tr>"
                       for _, label, _, text in self._scalar_rows())
        title = esc(self.title or type(self).__name__)
        return (f"<table><caption style='text-align:left'><b>{title}</b>: "
                f"{esc(self.summary())}</caption>{head}{side}{pair}</table>"
                + self._html_footer())


def _strip_unit(text: str, unit: str) -> str:
    if unit and text.endswith(" " + unit):
        return text[: -len(unit) - 1]
    return text


def _side_dict(side: Result) -> dict:
    return {key: json_value(val) for key, _, val, _ in side._scalar_rows()}


def _cell(val, u, Time):
    if isinstance(val, (u.Quantity, Time)):
        return val.reshape(1) if getattr(val, "isscalar", False) else val[None]
    if val is None:
        return [""]
    return [val]
