"""The report's sections as data: :class:`Section`, :class:`ReportTable`, :class:`FigureRef`.

Each ``*_section`` function computes one part of the report and returns a :class:`Section`
(title, lead sentences, tables, figures, notes, cited sources); :mod:`missions.report` puts them
in order, renders the HTML and writes every table to ``data/`` as CSV and JSON. Tables keep the
raw values (floats in the unit named in the column header, Times, text), so the page's rounded
cells and the files' full digits come from the same numbers.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits.errors import StaleInputWarning

from .figures import (
    DEFAULT_STATIONS,
    as_table,
    display_name,
    embed_png,
    station_subjects,
)

__all__ = ["SECTION_IDS", "FigureRef", "ReportTable", "Section", "Sections", "build_sections"]

#: Section ids of the report, in page order (each is an HTML ``<section id=...>``): the key
#: findings first, then the analyses, then the catalog, then the sources.
SECTION_IDS = ("findings", "stations", "sites", "windows", "lunar", "south-pole", "moon-mars",
               "docking", "timeline", "catalog", "sources")

#: (vehicle, station) visits the docking section answers, and (A, B) dated dockings it shows.
DOCKING_VISITS = (("Soyuz MS", "Chinese space station"), ("Shenzhou", "ISS"),
                  ("Orel", "Russian Orbital Station"))
DOCKING_PAIRS = (("Soyuz 19", "Apollo"), ("Shenzhou-8", "Tiangong-1"))

#: (site, station index) pairs for the launch-window and dog-leg tables.
SITE_STATION_PAIRS = (("Baikonur", 1), ("Vostochny", 1), ("Jiuquan", 0), ("Wenchang", 0),
                      ("Baikonur", 0), ("Vostochny", 0), ("Jiuquan", 1), ("Wenchang", 1))

_KMS = u.km / u.s


@contextmanager
def _quiet():
    """Silence ERFA's "dubious year" for future dates (leap seconds unknown)."""
    from erfa import ErfaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        yield


# --- the data model ------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "table"


def _plain(val):
    """Return a cell's raw value: float, int, bool, str, Time or None (masked, NaN: None)."""
    if val is None or val is np.ma.masked:
        return None
    if isinstance(val, Time):
        return val
    if isinstance(val, u.Quantity):
        val = val.value
    if isinstance(val, np.ndarray) and val.ndim == 0:
        val = val.item()
    if isinstance(val, (np.bool_, bool)):
        return bool(val)
    if isinstance(val, (np.integer, int)):
        return int(val)
    if isinstance(val, (np.floating, float)):
        f = float(val)
        return f if math.isfinite(f) else None
    if isinstance(val, np.str_):
        return str(val)
    return val


@dataclass
class ReportTable:
    """One table of the report and of ``data/<id>.csv`` / ``data/<id>.json``.

    ``columns`` are the header labels (with the unit in brackets where a column is numeric);
    ``rows`` the raw values (:func:`_plain`); ``refs`` the cited source numbers per row (a
    "sources" column on the page, not in the files); ``digits`` the significant digits shown.
    """

    id: str
    caption: str
    columns: list[str]
    rows: list[list]
    refs: list[list[int]] | None = None
    digits: int = 4
    decimals: int | None = None

    def __post_init__(self):
        """Keep each cell's raw value (:func:`_plain`)."""
        self.rows = [[_plain(v) for v in row] for row in self.rows]

    @classmethod
    def from_table(cls, id, caption, obj, *, columns=None, labels=None, refs=None, digits=4):
        """Return the table of a QTable or any Result (``to_table()``).

        ``columns`` picks and orders columns, ``labels`` renames them.
        """
        t = as_table(obj)
        names = list(columns) if columns is not None else list(t.colnames)
        headers, cols = [], []
        for name in names:
            col = t[name]
            label = (labels or {}).get(name, name.replace("_", " "))
            if isinstance(col, u.Quantity) and col.unit not in (None, u.one):
                label = f"{label} [{col.unit.to_string()}]"
            headers.append(label)
            if isinstance(col, Time):
                cols.append([col[i] for i in range(len(col))])
            elif isinstance(col, u.Quantity):
                cols.append([_plain(v) for v in np.atleast_1d(col.value)])
            else:
                cols.append([_plain(v) for v in col])
        rows = [list(r) for r in zip(*cols)] if cols else []
        return cls(id, caption, headers, rows, refs, digits)

    @classmethod
    def quantities(cls, id, caption, obj, *, keys=None, names=None, digits=4):
        """Return a one-row result (Result, dict, one-row QTable) turned on its side.

        Columns quantity, value, unit; one row per displayed field (``keys`` picks and orders
        them; all when none of them is present). ``names`` maps a label's prefix (``"a
        inclination"``) or suffix (``"inclination A"``) to the display name of that side.
        """
        t = as_table(obj)
        picked = [k for k in keys if k in t.colnames] if keys is not None else []
        rows = []
        for name in picked or t.colnames:  # a Result's labels are not the dict's keys: show all
            col = t[name]
            val = col[0]
            unit = ""
            if isinstance(val, u.Quantity):
                unit = "" if val.unit in (None, u.one) else val.unit.to_string()
            label = name.replace("_", " ")
            for key, who in (names or {}).items():
                if label.startswith(key + " "):
                    label = f"{who}: {label[len(key) + 1:]}"
                elif label.endswith(" " + key):
                    label = f"{who}: {label[:-len(key) - 1]}"
            rows.append([label, _plain(val), unit])
        return cls(id, caption, ["quantity", "value", "unit"], rows, None, digits)

    # -- rendering --
    def text(self, val) -> str:
        """Return a cell as the page shows it: rounded to :attr:`digits`, blank if missing."""
        if val is None:
            return ""
        if isinstance(val, Time):
            return val.utc.isot[:16].replace("T", " ")
        if isinstance(val, bool):
            return "yes" if val else "no"
        if isinstance(val, int):
            return str(val)
        if isinstance(val, float):
            if self.decimals is not None:
                return f"{val:.{self.decimals}f}"
            return f"{val:.{self.digits}g}"
        return str(val)

    def cells(self) -> list[list[str]]:
        """Return every cell as the page shows it (:meth:`text`)."""
        return [[self.text(v) for v in row] for row in self.rows]

    def to_csv(self) -> str:
        """Every digit; Times in ISO UTC; blanks for missing values."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.columns)
        with _quiet():  # UTC of dates past the leap-second table
            for row in self.rows:
                w.writerow(["" if v is None else v.utc.isot if isinstance(v, Time)
                            else repr(float(v)) if isinstance(v, float) else v for v in row])
        return buf.getvalue()

    def to_dict(self) -> dict:
        """JSON-safe: ``{"id", "caption", "columns", "rows": [{column: value}]}``."""
        from orbits.results import json_value

        with _quiet():
            return {"id": self.id, "caption": self.caption, "columns": list(self.columns),
                    "rows": [{c: json_value(v) for c, v in zip(self.columns, row)}
                             for row in self.rows]}


@dataclass
class FigureRef:
    """A figure of the report: its caption and the embedded PNG (``data:`` URI)."""

    title: str
    src: str


@dataclass
class Section:
    """One section of the report."""

    id: str
    title: str
    lead: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    figures: list[FigureRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


class Citations:
    """Numbers the sources in order of first citation; the report's source list."""

    def __init__(self, cat):
        self.cat, self.order = cat, {}

    def ref(self, key):
        if key not in self.order:
            self.order[key] = len(self.order) + 1
        return self.order[key]

    def refs(self, keys):
        return sorted({self.ref(k) for k in keys if k in self.cat.sources})

    def items(self):
        out = []
        for key, n in self.order.items():
            src = self.cat.sources.get(key)
            out.append({"n": n, "key": key, "text": src.cite() if src else key,
                        "url": getattr(src, "url", None), "seed": getattr(src, "seed", None)})
        return out


def _figure(title, make):
    with _quiet():
        fig = make()
    return FigureRef(title, embed_png(fig))


# --- the analyses ---------------------------------------------------------------------------------


class Sections(list):
    """The report's sections in page order, with what the analyses used and warned about.

    A list of :class:`Section`; ``analysis_date`` (Time), ``inputs`` (the
    :class:`orbits.results.InputSet` of every element set used, each once) and ``warnings``
    (the stale-elements messages of every result, each once).
    """

    def __init__(self, sections=(), *, analysis_date=None, inputs=(), warnings=()):
        super().__init__(sections)
        self.analysis_date = analysis_date
        self.inputs = tuple(inputs)
        self.warnings = tuple(warnings)


class _Builder:
    """Builds the sections in page order; ``facts`` collects the numbers the findings use."""

    def __init__(self, cat, selection, at, elements):
        from .subjects import element_histories

        self.cat, self.selection, self.at = cat, selection, at
        self.elements = element_histories(elements)
        self.cites = Citations(cat)
        self.facts: dict = {}
        self.inputs: dict = {}
        self.warnings: dict = {}
        self._subs = None

    def subjects(self):
        """Return the stations of the report, resolved once as of the analysis date."""
        if self._subs is None:
            self._subs = station_subjects(self.cat, self.selection, at=self.at,
                                          elements=self.elements)
        return self._subs

    def used(self, *, inputs=(), warnings=()):
        """Record the element sets an analysis used and its warnings (each once)."""
        for inp in inputs or ():
            if getattr(inp, "kind", None) == "elements":
                key = (inp.name, inp.epoch.utc.isot if inp.epoch is not None else None)
                self.inputs.setdefault(key, inp)
        for w in warnings or ():
            self.warnings.setdefault(str(w), None)

    def used_result(self, res):
        """Record a result's ``inputs`` and ``warnings`` (Result fields or table meta)."""
        meta = getattr(res, "meta", None)
        if isinstance(meta, dict) and "inputs" in meta:
            self.used(inputs=meta.get("inputs", ()), warnings=meta.get("warnings", ()))
        else:
            self.used(inputs=getattr(res, "inputs", ()), warnings=getattr(res, "warnings", ()))

    def stations(self) -> Section:
        """Return the station section: plane angles, their history and the porkchop."""
        from .compare import compare
        from .figures import plane_angle_figure, porkchop

        subs = self.subjects()
        if len(subs) < 2:
            return Section("stations", "Station orbit planes", [
                "Fewer than two Earth-orbiting stations are in the selection, so there is no "
                "plane-angle analysis."])
        a, b = subs[0], subs[1]
        na, nb = display_name(a), display_name(b)
        with _quiet(), warnings.catch_warnings():
            warnings.simplefilter("ignore", StaleInputWarning)
            res = compare(a.name, b.name, catalog=self.cat, at=self.at, elements=self.elements)
        self.used_result(res)
        self.facts["stations"] = (na, nb, res)
        tables = [ReportTable.quantities("stations-plane-angles", f"{na} and {nb}: orbit planes",
                                         res)]
        figs, notes = [], []
        if a.has_node and b.has_node:
            figs.append(_figure(
                f"Plane angle between {na} and {nb} over two node-drift cycles from the "
                "analysis date (the vertical line)",
                lambda: plane_angle_figure(self.cat, subjects=(a, b), at=self.at)))
        try:
            with _quiet(), warnings.catch_warnings():
                warnings.simplefilter("ignore", StaleInputWarning)
                pfig, best = porkchop((a.name, b.name), top=3, catalog=self.cat, at=self.at,
                                      elements=self.elements)
        except ValueError as exc:
            notes.append(f"No station porkchop: {exc}.")
        else:
            figs.append(FigureRef(f"Two-impulse transfers {na} → {nb} over the 12 days around "
                                  "the next node alignment after the analysis date; circles: "
                                  "the best windows, numbered by rank", embed_png(pfig)))
            tables.append(ReportTable.from_table(
                "stations-best-transfers", f"Best transfer windows {na} → {nb}", best))
            self.facts["best_transfer"] = best
        lo, hi = res.min_plane_angle, res.max_plane_angle
        cycle, dv = res.node_cycle, res.plane_change_dv
        lead = [
            f"The {na} ({a.elements['inc'].to_value(u.deg):.2f}°) and {nb} "
            f"({b.elements['inc'].to_value(u.deg):.2f}°) planes precess at different J2 rates, "
            f"so the angle between them swings between {lo.to_value(u.deg):.2f}° and "
            f"{hi.to_value(u.deg):.2f}°"
            + (f" once every {cycle.to_value(u.day):.1f} days." if cycle is not None else "."),
        ]
        if dv is not None:
            lead.append(f"Even at its smallest, turning from one plane to the other costs "
                        f"{dv.to_value(_KMS):.2f} km/s at the orbital speed of the lower station.")
        if res.plane_angle_now is not None and res.next_alignment is not None:
            now = res.plane_angle_now.to_value(u.deg)
            lead.append(f"On the analysis date the planes are {now:.2f}° apart; the nodes next "
                        f"align on {res.next_alignment.utc.isot[:10]}.")
        return Section("stations", f"Station orbit planes: {na} and {nb}", lead, tables, figs,
                       notes + [_as_note(n) for n in res.notes])

    def sites(self) -> Section:
        import orbits

        from .compare import compare

        cols = ["site", "country", "latitude [deg]", "longitude [deg]",
                "lowest direct inclination [deg]", "documented inclinations"]
        rows, refs = [], []
        for s in self.cat.sites:
            doc = "; ".join(
                (f"{r.min.to_value(u.deg):g}°" if r.min == r.max else
                 f"{r.min.to_value(u.deg):g}–{r.max.to_value(u.deg):g}°")
                + (f" ({r.label})" if r.label else "")
                for r in s.inclinations)
            rows.append([s.name, s.country, float(s.latitude.to_value(u.deg)),
                         float(s.longitude.to_value(u.deg)),
                         float(orbits.min_inclination(s.latitude).to_value(u.deg)), doc])
            refs.append(self.cites.refs(sorted(s.source_keys())))
        tables = [ReportTable("sites", "Launch sites", cols, rows, refs)]
        subs = self.subjects()
        dog = []
        for site, k in SITE_STATION_PAIRS:
            if k >= len(subs) or site not in self.cat:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", StaleInputWarning)
                c = compare(site, subs[k].name, catalog=self.cat, at=self.at,
                            elements=self.elements)
            self.used_result(c)
            direct = bool(c.direct_ascent)
            dog.append([self.cat.site(site).name, display_name(subs[k]),
                        float(c.inclination.to_value(u.deg)),
                        float(c.min_inclination.to_value(u.deg)),
                        direct,
                        0.0 if direct else float(c.plane_change.to_value(u.deg)),
                        0.0 if direct else float(c.dogleg_dv.to_value(_KMS))])
        self.facts["dogleg"] = dog
        if dog:
            tables.append(ReportTable(
                "sites-dogleg", "Reaching each station's plane from each site",
                ["site", "station", "station inclination [deg]", "lowest direct inclination [deg]",
                 "direct ascent", "dog-leg plane change [deg]", "dog-leg Δv [km / s]"], dog))
        tables.append(self._verdicts())
        from .figures import sites_figure

        figs = [_figure("Inclinations reachable by direct ascent from each site's latitude; "
                        "solid: the widest documented corridor below 90°; dashed: the stations",
                        lambda: sites_figure(self.cat, at=self.at, elements=self.elements))]
        lead = ["A direct ascent from a site reaches inclinations from its geocentric latitude "
                "up to 180° minus it; range safety and drop zones narrow that to the documented "
                "corridors. A station below a site's latitude needs a dog-leg: a plane change "
                "after insertion."]
        return Section("sites", "Launch sites and the station planes", lead, tables, figs)

    def _verdicts(self) -> ReportTable:
        from .compatibility import station_compatibility

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StaleInputWarning)
            t = station_compatibility(catalog=self.cat, at=self.at, elements=self.elements)
        self.used_result(t)
        cols = [c for c in ("vehicle", "site", "station", "station_inclination", "min_inclination",
                            "direct", "documented", "plane_change", "dv_needed", "dv_capacity",
                            "verdict")
                if c in t.colnames]
        refs = None
        if "sources" in t.colnames:
            refs = [self.cites.refs([k.strip() for k in str(r["sources"]).split(",")
                                     if k.strip()]) for r in t]
        tab = ReportTable.from_table("sites-compatibility", "Can each crew and cargo ship reach "
                                     "each station's plane from its site? "
                                     "(missions.compatibility)", t,
                                     columns=cols, refs=refs, digits=3)
        # one display name per object: the catalog's
        for row in tab.rows:
            for j, c in enumerate(cols):
                if (c in ("site", "station", "vehicle") and isinstance(row[j], str)
                        and row[j] in self.cat):
                    row[j] = self.cat[row[j]].name
        return tab

    def windows(self) -> Section:
        from .compare import station_launch_windows

        subs = self.subjects()
        if not subs:
            return Section("windows", "Launch windows",
                           ["No Earth-orbiting station in the selection."])
        summary, detail, detail_caption = [], None, ""
        for site, k in SITE_STATION_PAIRS[:4]:
            if k >= len(subs) or site not in self.cat:
                continue
            st = subs[k]
            site_name = self.cat.site(site).name
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", StaleInputWarning)
                    w = station_launch_windows(site, st.name, days=7, catalog=self.cat,
                                               at=self.at, elements=self.elements)
            except ValueError:
                summary.append([site_name, display_name(st), 0, None, None,
                                "none: needs a dog-leg"])
                continue
            self.used_result(w)
            n = len(w)
            summary.append([site_name, display_name(st), n, _first(w, "time") if n else None,
                            float(_first(w, "azimuth").to_value(u.deg)) if n else None,
                            "in-plane, twice a day"])
            if detail is None:
                detail = w
                detail_caption = f"{site_name} into the plane of {display_name(st)}, first week"
        tables = [ReportTable("windows-summary", "Windows in the week from the analysis date",
                              ["site", "station", "windows in 7 days", "first window (UTC)",
                               "azimuth [deg]", "remark"], summary)]
        if detail is not None:
            tables.append(ReportTable.from_table("windows-detail", detail_caption, detail))
        lead = ["A launch goes straight into a station's plane when the site rotates through that "
                "plane: twice a day for a site below the plane's inclination, never for one above "
                "it. The plane itself drifts west by about 5–6° a day."]
        return Section("windows", "Launch windows into the station planes", lead, tables, [], [
            "Times from missions.comparisons.launch_windows (GMST, in-plane condition), starting "
            "at midnight UTC of the analysis date; each plane drifts from the epoch of the element "
            "set nearest that date."])

    def lunar(self) -> Section:
        """Return the lunar section: budgets, pairs in lunar orbit, families, a porkchop."""
        from .comparisons.lunar_pair import compare_lunar

        ms = [m for m in (self.selection or self.cat.missions)
              if m.target in ("Moon", "Earth-Moon L2") and m.kind != "programme"
              and (m.transfer or m.launch_site)]
        rows, refs, assumed = [], [], []
        for m in ms:
            b = _lunar_budget(m, self.cat)
            rows.append([m.name, m.agency, b.get("transfer_kind", ""), b["launch_site"],
                         _num(b["parking_inclination"], u.deg), b["lunar_orbit"],
                         _num(b["budget_tof"], u.day), b.get("moon_model", ""),
                         _num(b["tli_dv"], _KMS), _num(b["loi_dv"], _KMS),
                         _num(b["total_dv"], _KMS)])
            refs.append(self.cites.refs([leg.source for leg in m.transfer]
                                        + [o.source for o in m.orbits]
                                        + ([m.launch.source] if m.launch else [])))
            if b.get("assumptions"):
                assumed.append([m.name, b["assumptions"]])
        self.facts["lunar"] = [(r[0], r[3], r[10]) for r in rows if r[10] is not None]
        tables = [ReportTable("lunar-budgets", "Lunar missions: transfer and budget, each from "
                              "its own launch site",
                              ["mission", "agency", "transfer", "launch site",
                                              "parking inclination [deg]", "lunar orbit",
                                              "time of flight [d]", "Moon", "TLI [km / s]",
                                              "LOI [km / s]", "TLI + LOI [km / s]"], rows, refs, 3)]
        from .lunar_profiles import lunar_profiles

        with _quiet():
            comp = lunar_profiles(self.cat, missions=[m for m in ms if m.target == "Moon"],
                                  refine=True).comparison()
        tables.append(ReportTable.from_table(
            "lunar-refined", "Patched conic against n-body dynamics, flown transfer times and "
            "the launchers' published capability", comp,
            labels={"TLI nb": "TLI n-body", "LOI nb": "LOI n-body",
                    "flown": "flown launch to LOI", "launcher": "launcher to TLI (published)"}))
        self.facts["lunar_comparison"] = comp
        if assumed:
            tables.append(ReportTable("lunar-assumptions", "What each budget assumes where the "
                                      "catalog is silent", ["mission", "assumptions"], assumed))
        with_orbit = [m for m in ms if m.orbit("Moon") is not None]
        pairs = [(a, b) for i, a in enumerate(with_orbit) for b in with_orbit[i + 1:]
                 if a.agency != b.agency]
        for a, b in pairs[:2]:
            r = compare_lunar(a, b, catalog=self.cat)
            tables.append(ReportTable.quantities(
                f"lunar-{_slug(a.name)}-{_slug(b.name)}", f"{a.name} and {b.name} in lunar orbit",
                r, keys=_LUNAR_PAIR_KEYS, names={"A": a.name, "B": b.name}))
        figs = []
        if ms:
            from .figures import porkchop, transfer_families_figure

            figs.append(_figure("Transfer families: Δv against time of flight, with the "
                                "catalog's missions",
                                lambda: transfer_families_figure(self.cat, ms)))
            flown = [m for m in ms if m.launch_date is not None and m.launch_site is not None]
            if flown:
                m = flown[0]
                with _quiet():
                    pfig, best = porkchop(lunar=m.name, top=3, catalog=self.cat, at=self.at)
                figs.append(FigureRef(f"{m.name}: Earth–Moon transfers in the four weeks from a "
                                      "week "
                                      "before its launch date", embed_png(pfig)))
                tables.append(ReportTable.from_table(
                    f"lunar-porkchop-{_slug(m.name)}",
                    f"{m.name}: cheapest departures in that month", best,
                    labels={"tof": "time of flight", "tli_dv": "TLI", "loi_dv": "LOI",
                            "total_dv": "TLI + LOI", "in_plane": "in plane"}))
        lead = ["How each lunar mission gets to the Moon and what the trip costs from its own "
                "launch site: a patched-conic TLI from a 200 km parking orbit and a capture burn "
                "into the catalog's lunar "
                "orbit (100 km circular where none is given)."]
        notes = list(self.facts["lunar_comparison"].notes) if "lunar_comparison" in self.facts \
            else []
        return Section("lunar", "Lunar transfer profiles and budgets", lead, tables, figs,
                       notes=notes)

    def moon_mars(self) -> Section:
        """Return the Moon and Mars section: the ILRS phases, the Mars missions and windows."""
        from orbits.mars import mars_windows, place_on_window

        from .figures import mars_window_figure

        tables, lead = [], []
        progs = [m for m in self.cat.missions if m.kind == "programme" and m.phases]
        for prog in progs:
            rows, refs = [], []
            for ph in prog.phases:
                rows.append([ph.plan or "", ph.name, ph.date_range, "; ".join(ph.goals),
                             ", ".join(self.cat.mission(k).name if k in self.cat else k
                                       for k in ph.missions)])
                refs.append(self.cites.refs([ph.source]))
            tables.append(ReportTable(f"programme-{_slug(prog.name)}",
                                      f"{prog.name}: phases as each plan states them (as of "
                                      f"{prog.as_of_date})",
                                      ["plan", "phase", "dates", "goals", "missions"], rows,
                                      refs))
        if progs:
            lead.append("The lunar cooperation of the 2016–2018 texts became the International "
                        "Lunar Research Station; its phases moved with each plan, and every plan "
                        "is kept side by side with its source.")
        mars = self.cat.filter(target="Mars")
        if mars:
            rows = [[m.name, m.agency, m.status, str(m.launch_date) if m.launch_date else None,
                     str(m.as_of_date) if m.as_of_date else None] for m in mars]
            refs = [self.cites.refs(m.sources) for m in mars]
            tables.append(ReportTable("mars-missions", "Mars missions and plans in the catalog",
                                      ["mission", "agency", "status", "launch (or plan)",
                                       "as of"], rows, refs))
        start = max(self.at.utc.isot[:4], "2026")
        with _quiet():
            cal = mars_windows(f"{start}-01-01", "2040-12-31")
            tw1 = place_on_window()
        self.facts["mars_windows"] = cal
        self.facts["tianwen1"] = tw1
        tables.append(ReportTable.from_table(
            "mars-windows", f"Earth–Mars launch opportunities {start}–2040 (ballistic, DE421)",
            cal, columns=["opportunity", "minimum-C3 departure", "arrival", "tof", "type",
                          "minimum C3", "arrival v∞", "period opens", "period closes",
                          "minimum total Δv"]))
        tables.append(ReportTable.quantities("mars-tianwen-1", "Tianwen-1 on its 2020 window",
                                             tw1))
        fig = _figure("Earth–Mars launch energy C3 in 2020, with Tianwen-1 at its own launch "
                      "and arrival dates", lambda: mars_window_figure(year=2020))
        lead.append(f"Tianwen-1 left {tw1.launch_from_minimum.to_value(u.day):.1f} days after its "
                    f"window's minimum-C3 date, at a C3 of {tw1.c3.to_value(u.km**2 / u.s**2):.2f}"
                    f" km²/s² against the window's minimum of "
                    f"{tw1.window_c3.to_value(u.km**2 / u.s**2):.2f}. Mars windows recur "
                    "about every 26 months; the table lists each from the analysis year on, "
                    "with its cheapest departure and launch period (C3 within 1 km²/s² of the "
                    "minimum).")
        return Section("moon-mars", "Moon and Mars: the ILRS and the Mars windows", lead,
                       tables, [fig])

    def docking(self) -> Section:
        """Return the docking section: who can dock with whom, and three visits in one line."""
        from .docking import can_dock, docking_matrix, docking_matrix_figure
        from .visit import visit

        rows, notes = [], []
        for veh, sta in DOCKING_VISITS:
            with _quiet():
                v = visit(veh, sta, at=self.at, elements=self.elements, catalog=self.cat)
            self.used_result(v)
            d = v.docking
            rows.append([f"{v.vehicle} → {v.station}", d.verdict, d.mechanisms_first,
                         d.mechanisms_second, v.verdict])
            self.facts.setdefault("docking_visits", []).append((v, d))
            notes += [f"{v.vehicle} → {v.station}: {src}" for src in d.sources[:2]]
        for a, b in DOCKING_PAIRS:
            d = can_dock(a, b, at=self.at, catalog=self.cat)
            rows.append([f"{d.first} ↔ {d.second}", d.verdict, d.mechanisms_first,
                         d.mechanisms_second, d.examples or d.reason])
            notes += [f"{d.first} ↔ {d.second}: {src}" for src in d.sources[:1]]
        tab = ReportTable("docking-verdicts", "Can it dock, and can it get there?",
                          ["pair", "can dock", "mechanisms (first)", "mechanisms (second)",
                           "verdict"], rows)
        mat = docking_matrix()
        pairs = mat.to_table()
        rel = pairs.colnames[2]  # "relation"
        pairs = pairs[[str(r) != "no" for r in pairs[rel]]]
        mtab = ReportTable.from_table("docking-matrix", "Mechanism pairs that can mate (every "
                                      "other pair: no)", pairs)
        fig = _figure("Which docking mechanisms mate: directly, through an adapter, claimed "
                      "but never demonstrated, or not at all",
                      lambda: docking_matrix_figure(mat))
        lead = ["A plane change is only half of a visit: the two craft must also share a "
                "docking mechanism. Soyuz, Progress and the Russian segment use the SSVP "
                "probe-and-drogue family; the Chinese station uses its own APAS-derived "
                "androgynous mechanism, so no Russian craft can dock to it whatever the plane "
                "change costs. The mechanism data, with a source per user and port, is "
                "missions/data/docking/mechanisms.toml."]
        return Section("docking", "Docking: who can dock with whom", lead, [tab, mtab], [fig],
                       notes=notes)

    def south_pole(self) -> Section:
        """Return the south-pole section: the polar sites, the orbits over them, their sky."""
        from .figures import south_pole_figure
        from .lunar_sites import polar_site_access, polar_sites

        sites = polar_sites(self.cat)
        with _quiet():
            res = polar_site_access(self.cat, at=self.at)
        tables = [ReportTable.from_table(
            "south-pole-sites", "The catalog's lunar sites south of 60° S (landing sites and "
            "site regions; blank coordinates: none published)", sites,
            columns=["site", "mission", "kind", "place", "latitude", "longitude (east)",
                     "region radius", "mission status", "source date"],
            refs=[self.cites.refs([s.source]) for s in sites.sites])]
        tables.append(ReportTable.from_table(
            "south-pole-access", f"Per polar site over the lunar day from "
            f"{res.start.utc.isot[:10]}: orbits over it ({res.orbits}), revisit and node drift "
            f"of the least-inclined one, the Sun's range and the time the Sun, the Earth and "
            f"{res.relay} are above the horizon (DE421, IAU WGCCRE 2015 rotation)", res,
            columns=[c for c in res.to_table().colnames if c != "site source"],
            refs=[self.cites.refs([s.source]) for s in res.sites], digits=4))
        tables.append(ReportTable.from_table(
            "south-pole-orbits", "Every site against every orbit tried: plane passes in the "
            "span, their spacing and the first one, node drift and the C22 swing",
            res.access, columns=["site", "orbit altitude", "inclination", "passes over the site",
                                 "plane passes in span", "mean days between passes",
                                 "first pass after start", "node drift", "C22 swing"],
            digits=3))
        for row in tables[-1].rows:  # a polar orbit's C22 swing is cos(90°) x ...: 0, not 1e-17
            row[-1] = 0.0 if isinstance(row[-1], float) and abs(row[-1]) < 1e-9 else row[-1]
        fig = _figure(f"The polar sites on a south-polar map with the fractions of the lunar day "
                      f"from {res.start.utc.isot[:10]} that the Sun, the Earth and {res.relay} "
                      "are above each horizon (shaded: the ILRS area), and the Sun's and the "
                      "Earth's elevation over that day",
                      lambda: south_pole_figure(self.cat, access=res))
        lead = [f"Which lunar orbits reach the polar sites of the catalog, and what those sites "
                f"see, over one lunar day from the analysis date {res.start.utc.isot[:10]}: "
                f"{res.orbits}; Sun, Earth and {res.relay} from DE421 with the IAU WGCCRE 2015 "
                "lunar rotation model, on a spherical Moon without terrain."]
        for i in range(len(res)):
            lat = float(res.latitude[i].to_value(u.deg))
            relay = res.relay_fraction[i]
            lead.append(
                f"{res.site[i]} ({abs(lat):.1f}° {'S' if lat < 0 else 'N'}): "
                + (f"passed over by the orbits at {res.reached_by[i]}"
                   if res.reached_by[i] != "none" else "passed over by none of the orbits tried")
                + f"; Sun between {res.sun_min[i].to_value(u.deg):.2f}° and "
                f"{res.sun_max[i].to_value(u.deg):.2f}° and up "
                f"{100 * res.sunlit_fraction[i]:.0f} % of the day, the Earth up "
                f"{100 * res.earth_fraction[i]:.0f} %"
                + (f", {res.relay} {100 * relay:.0f} %." if np.isfinite(relay) else "."))
        if res.missing:
            lead.append("Named without published coordinates, so not computed: "
                        + "; ".join(f"{s.mission} ({s.place})" for s in res.missing) + ".")
        self.facts["south_pole"] = res
        return Section("south-pole", "South-pole access: the polar sites, the orbits over them "
                       "and their sky", lead, tables, [fig], [_as_note(n) for n in res.notes])

    def timeline(self) -> Section:
        from .figures import timeline_figure
        from .timeline import slip_table

        with _quiet():
            st = slip_table(self.selection, catalog=self.cat)
        tab = ReportTable.from_table("timeline-slips", "Slip from the first announced date", st,
                                     labels={"first_planned": "first planned", "launch_or_plan":
                                             "launch (or current plan)"})
        self.facts["slips"] = st
        fig = _figure("Announced against actual launch dates; the vertical line marks the "
                      "analysis date",
                      lambda: timeline_figure(self.cat, self.selection, at=self.at))
        lead = ["Each line runs from the day a launch date was announced to the date it named; "
                "stars are "
                "launches, a cross a launch that failed, an open diamond the current plan."]
        return Section("timeline", "Announced against actual dates", lead, [tab], [fig])

    def catalog(self) -> Section:
        ms = self.selection if self.selection is not None else list(self.cat.missions)
        rows, refs = [], []
        for m in ms:
            o = m.orbit()
            rows.append([m.name, m.agency, m.kind, m.status, m.target,
                         str(m.launch_date) if m.launch_date else None,
                         self.cat.site(m.launch_site).name if m.launch_site else None,
                         self.cat.vehicle(m.launch_vehicle).name if m.launch_vehicle else None,
                         float(o.inclination.to_value(u.deg)) if o is not None else None,
                         o.body if o is not None else None])
            refs.append(self.cites.refs([*m.sources, *sorted(m.source_keys() - set(m.sources))]))
        lead = [f"{len(ms)} of {len(self.cat.missions)} missions in the catalog"
                + (" (narrowed with --missions)" if self.selection is not None else "")
                + f"; {len(self.cat.sites)} launch sites and {len(self.cat.vehicles)} launchers, "
                "stages and spacecraft. Every fact cites a source: the numbers in the last column "
                "point at the source "
                "list below."]
        cols = ["mission", "agency", "kind", "status", "target", "launch (or plan)", "site",
                "vehicle",
                "orbit inclination [deg]", "orbit around"]
        return Section("catalog", "The catalog", lead,
                       [ReportTable("catalog-missions", "Missions", cols, rows, refs)])

    def sources(self) -> Section:
        return Section("sources", "Sources", [
            "Every source cited in this report, numbered in order of first citation. Seed texts "
            "are quoted "
            "verbatim from seeds/."], sources=self.cites.items())

    # -- the findings, from the numbers above --
    def findings(self) -> Section:
        rows, lead = [], []
        f = self.facts
        sets = sorted(self.inputs.values(), key=lambda i: i.name)
        if sets:
            lead.append(f"Station numbers are as of the analysis date "
                        f"{self.at.utc.isot[:10]}, from the element sets of "
                        + " and ".join(f"{i.name} ({i.epoch.utc.isot[:10]})" for i in sets)
                        + (" (see the warning above: some are old)." if self.warnings else "."))
        if "stations" in f:
            na, nb, res = f["stations"]
            lo = res.min_plane_angle.to_value(u.deg)
            hi = res.max_plane_angle.to_value(u.deg)
            cycle = res.node_cycle.to_value(u.day) if res.node_cycle is not None else math.nan
            dv = (res.plane_change_dv.to_value(_KMS) if res.plane_change_dv is not None
                  else math.nan)
            rows += [[f"{na}–{nb}: smallest plane angle", lo, "deg", "at node alignment"],
                     [f"{na}–{nb}: largest plane angle", hi, "deg", "at node opposition"],
                     [f"{na}–{nb}: node cycle", cycle, "d", "J2 relative node drift"],
                     [f"{na}–{nb}: smallest plane change", dv, "km / s",
                      "at the lower station's speed"]]
            lead.append(f"The {na} and {nb} orbit planes are never closer than {lo:.2f}° and "
                        f"drift as far apart as {hi:.2f}° over a {cycle:.1f}-day cycle, so a move "
                        f"between them costs at "
                        f"least {dv:.2f} km/s.")
        best = f.get("best_transfer")
        if best is not None and len(best):
            dvt = float(_first(best, "dv_total").to_value(_KMS))
            dep = _first(best, "departure").utc.isot[:16].replace("T", " ")
            tof = float(_first(best, "tof").to_value(u.min))
            rows.append([f"Cheapest {na} → {nb} transfer", dvt, "km / s",
                         f"departs {dep} UTC, {tof:.0f} min flight"])
            lead.append(f"The cheapest two-impulse {na} → {nb} transfer found departs {dep} UTC "
                        "and costs "
                        f"{dvt:.2f} km/s.")
        dog = [d for d in f.get("dogleg", []) if not d[4]]
        direct = [d for d in f.get("dogleg", []) if d[4]]
        for d in dog:
            rows.append([f"Dog-leg {d[0]} → {d[1]}", d[6], "km / s", f"{d[5]:.2f}° plane change"])
        if dog:
            lead.append("Reaching a plane below a site's latitude needs a dog-leg: "
                        + "; ".join(f"{d[0]} → {d[1]} {d[6]:.2f} km/s" for d in dog) + ".")
        if direct:
            pairs = sorted({f"{d[0]} → {d[1]}" for d in direct})
            lead.append("Direct ascent works for " + ", ".join(pairs) + ".")
        lunar = f.get("lunar", [])
        for name, site, total in lunar[:6]:
            rows.append([f"{name}: TLI + LOI", total, "km / s", f"from {site}"])
        if lunar:
            lead.append("Lunar budgets (TLI + LOI, each from its own launch site): "
                        + "; ".join(f"{n} {t:.2f} km/s" for n, _, t in lunar[:6]) + ".")
        sp = f.get("south_pole")
        if sp is not None and len(sp):
            for i in range(len(sp)):
                rows.append([f"{sp.site[i]}: Earth in view", 100 * float(sp.earth_fraction[i]),
                             "%", f"of the lunar day from {sp.start.utc.isot[:10]}; Sun "
                             f"{sp.sun_min[i].to_value(u.deg):.1f}° to "
                             f"{sp.sun_max[i].to_value(u.deg):.1f}°"])
            lead.append("At the south-polar sites over the lunar day from "
                        f"{sp.start.utc.isot[:10]}: " + "; ".join(
                            f"{sp.site[i]} sees the Earth {100 * sp.earth_fraction[i]:.0f} % of "
                            f"the time and the Sun no higher than "
                            f"{sp.sun_max[i].to_value(u.deg):.1f}°" for i in range(len(sp)))
                        + ".")
        visits = f.get("docking_visits", [])
        for v, d in visits:
            rows.append([f"{v.vehicle} → {v.station}: can dock", d.verdict, "",
                         f"{d.mechanisms_first} / {d.mechanisms_second}"])
        if visits:
            lead.append("Docking: " + "; ".join(
                f"{v.vehicle} {'can' if d.ok else 'cannot'} dock to {v.station}"
                + (f" ({d.verdict})" if d.ok and d.verdict != "yes" else "")
                for v, d in visits) + ".")
        st = f.get("slips")
        if st is not None and len(st):
            slips = sorted(((float(s.to_value(u.yr)), str(m), str(p), str(a)) for s, m, p, a in
                            zip(st["slip"], st["mission"], st["first_planned"],
                                st["launch_or_plan"])
                            if np.isfinite(s.to_value(u.yr))), reverse=True)[:3]
            for y, m, p, a in slips:
                rows.append([f"{m}: slip", y, "yr", f"first planned {p}, now {_date_text(a)}"])
            if slips:
                lead.append("What moved most in the plans: " + "; ".join(
                    f"{m} slipped {y:.1f} years (first planned {p}, now {_date_text(a)})"
                    for y, m, p, a in slips) + ".")
        tab = ReportTable("findings", "Key numbers", ["finding", "value", "unit", "detail"], rows,
                          decimals=2)
        return Section("findings", "Key findings", lead, [tab] if rows else [])


#: The rows of a lunar pair's table (LunarPairComparison labels; "A"/"B" become the names).
_LUNAR_PAIR_KEYS = ["lunar inclination A", "lunar inclination B", "smallest plane angle",
                    "largest plane angle", "plane change at smallest angle", "TLI + LOI Δv A",
                    "TLI + LOI Δv B"]


def _lunar_budget(m, cat) -> dict:
    """Return one mission's TLI + LOI budget (:func:`missions.lunar_profiles.transfer_budget`).

    A dict of the fields the lunar table shows.
    """
    from .lunar_profiles import transfer_budget

    p = transfer_budget(m, cat)
    return {"transfer_kind": p.transfer_kind, "launch_site": p.launch_site,
            "parking_inclination": p.parking_inclination, "lunar_orbit": p.lunar_orbit,
            "budget_tof": p.tof, "moon_model": p.moon_model, "tli_dv": p.tli_dv,
            "loi_dv": p.loi_dv, "total_dv": p.total_dv,
            "assumptions": "; ".join(p.assumptions) if p.assumptions else ""}


def _first(table, name):
    """Row 0 of column ``name``: a QTable's column or a TableResult's field."""
    from astropy.table import Table

    col = table[name] if isinstance(table, Table) else getattr(table, name)
    return col[0]


def _date_text(text: str) -> str:
    """Return a catalog date as text.

    An ISO date-time is cut to the day, "2033 (plan)" becomes "planned for 2033", anything
    else stays as it is.
    """
    if text.endswith(" (plan)"):
        return f"planned for {text[:-7]}"
    return text[:10] if len(text) > 10 and text[10] == "T" else text


def _num(val, unit):
    if val is None:
        return None
    try:
        f = float(val.to_value(unit))
    except (AttributeError, u.UnitConversionError, TypeError):
        return None
    return f if math.isfinite(f) else None


def _notes(res):
    return list(res.get("notes", [])) if isinstance(res, dict) else list(getattr(res, "notes", ()))


def _as_note(text):
    text = str(text)
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".") if text else text


def build_sections(cat, selection=None, *, at=None, elements=None, on_section=None) -> Sections:
    """Return every section of the report, in page order (:data:`SECTION_IDS`).

    The analyses are computed first (the findings quote their numbers), in page order so that
    the sources are numbered as the reader meets them; ``on_section(id)`` is called before
    each.

    Parameters
    ----------
    cat : missions.Catalog
    selection : list of mission records, optional
        Narrows the sections (see :func:`missions.report.build_report`).
    at : Time or str, optional
        The analysis date (default now, UTC): every station analysis uses the element sets
        nearest it and starts from it; time plots mark it.
    elements : None, path, list of paths or orbits.history.Histories
        See :func:`missions.subjects.element_histories`.
    on_section : callable, optional

    Returns
    -------
    Sections
        The list of :class:`Section`, with ``analysis_date``, ``inputs`` (every element set
        used) and ``warnings`` (the stale-elements messages of the results).
    """
    from .subjects import analysis_time

    t = analysis_time(at)
    b = _Builder(cat, selection, t, elements)
    for sub in b.subjects():
        b.used(inputs=[sub.input] if sub.input is not None else (), warnings=sub.warnings)
    built = {}
    for sid in ("stations", "sites", "windows", "lunar", "south-pole", "moon-mars", "docking",
                "timeline", "catalog", "findings", "sources"):
        if on_section is not None:
            on_section(sid)
        built[sid] = getattr(b, sid.replace("-", "_"))()
    return Sections([built[s] for s in SECTION_IDS], analysis_date=t,
                    inputs=b.inputs.values(), warnings=b.warnings)


__all__ += ["DEFAULT_STATIONS", "SITE_STATION_PAIRS"]
