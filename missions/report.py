"""The comparison report (``mission-compare report``): assemble, render, write.

:func:`build_report` computes the sections (:mod:`missions.report_sections`), renders
``missions/templates/report.html.j2`` into one self-contained ``index.html`` (figures embedded
as PNG, so it opens offline) and writes every table as ``data/<id>.csv`` and ``data/<id>.json``,
linked from the page. The page opens on the key findings and ends with the sources.

The named figures live in :mod:`missions.figures`; :func:`figure`, :func:`porkchop` and
:data:`FIGURE_NAMES` are re-exported here for existing callers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from astropy.time import Time

from .figures import DEFAULT_STATIONS, FIGURE_NAMES, figure, porkchop
from .report_sections import SECTION_IDS, ReportTable, Section, build_sections

__all__ = ["DEFAULT_STATIONS", "FIGURE_NAMES", "SECTION_IDS", "analysis_date", "build_report",
           "figure", "porkchop", "write_tables"]

TITLE = "Russian and Chinese lunar and space-station programmes compared"


def _catalog(catalog):
    from .catalog import load_catalog

    return catalog if catalog is not None else load_catalog()


def analysis_date(at=None) -> Time:
    """Return the report's analysis date: ``at`` (Time or ISO date string) or now (UTC).

    The station analyses use the element sets nearest that date
    (:func:`missions.subjects.analysis_time`).
    """
    from .subjects import analysis_time

    return analysis_time(at)


def _selection(cat, missions):
    """Return the selected mission records, each once (names of one record are merged)."""
    from orbits.errors import ArgumentError, ArgumentTypeError

    if missions is None:
        return None
    if isinstance(missions, str):
        raise ArgumentTypeError(f"missions must be a list of names, got the string {missions!r}")
    picked = {}
    for n in missions:
        rec = cat.mission(n)
        picked.setdefault(rec.name, rec)
    if not picked:
        raise ArgumentError("missions must name at least one mission")
    return list(picked.values())


def write_tables(sections: list[Section], out: Path) -> dict[str, tuple[str, str]]:
    """Write each table as ``out/data/<id>.csv`` and ``.json``; return id -> relative paths.

    Ids are unique (a repeated id gets ``-2``, ``-3``...), stable from run to run.
    """
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    links, seen = {}, {}
    for sec in sections:
        for t in sec.tables:
            base = t.id
            seen[base] = seen.get(base, 0) + 1
            if seen[base] > 1:
                t.id = f"{base}-{seen[base]}"
            (data / f"{t.id}.csv").write_text(t.to_csv(), encoding="utf-8")
            text = json.dumps(t.to_dict(), indent=1, ensure_ascii=False) + "\n"
            (data / f"{t.id}.json").write_text(text, encoding="utf-8")
            links[t.id] = (f"data/{t.id}.csv", f"data/{t.id}.json")
    return links


def _input_rows(inputs, when) -> list[dict]:
    """Return the header's rows for the element sets used: object, epoch, age, source."""
    rows = []
    for inp in sorted(inputs, key=lambda i: (i.name, i.epoch.jd if i.epoch is not None else 0)):
        age = None if inp.age is None else float(inp.age.to_value("day"))
        rows.append({
            "object": inp.name,
            "epoch": "" if inp.epoch is None else inp.epoch.utc.isot[:16].replace("T", " "),
            "age": "" if age is None else (f"{abs(age):.1f} days "
                                           + ("before" if age >= 0 else "after")
                                           + " the analysis date"),
            "source": Path(inp.source).name if inp.source else "",
        })
    return rows


def build_report(out, *, missions=None, catalog=None, progress=True, at=None,
                 elements=None) -> Path:
    """Write ``out/index.html`` (the self-contained comparison report) and ``out/data/``.

    Parameters
    ----------
    out : str or Path
        Directory (created if missing).
    missions : sequence of str, optional
        Mission names narrowing the catalog table, the timeline, the lunar section and (if two
        Earth-orbiting missions are among them) the station analysis. Names that resolve to
        the same record count once.
    catalog : missions.Catalog, optional
    progress : bool
        A progress bar on stderr.
    at : Time or str, optional
        The analysis date (default now, UTC): the station analyses use the element sets
        nearest it and start from it; time plots mark it. The page's header states it with
        each element set's epoch and age, and a banner repeats the results' warnings when
        elements are more than 14 days from it.
    elements : None, path, list of paths or orbits.history.Histories
        Element sets: None for the packaged history plus the user cache, the user's TLE/OMM
        files on top of those, or exactly the given Histories
        (:func:`missions.subjects.element_histories`).

    Returns
    -------
    Path of ``index.html``.

    Warns
    -----
    orbits.errors.StaleInputWarning
        Once per stale element set (the same text as the banner).
    """
    import jinja2
    from tqdm import tqdm

    from orbits.errors import ArgumentError

    from .subjects import emit_stale

    cat = _catalog(catalog)
    selection = _selection(cat, missions)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ArgumentError(f"--out must be a directory, got the file {str(out)!r}")
    when = analysis_date(at)
    out.mkdir(parents=True, exist_ok=True)
    bar = tqdm(total=len(SECTION_IDS), desc="report", unit="section", file=sys.stderr,
               disable=not progress, leave=False)

    def step(sid):
        bar.set_postfix_str(sid)
        bar.update(1)

    try:
        sections = build_sections(cat, selection, at=when, elements=elements, on_section=step)
    finally:
        bar.close()
    links = write_tables(sections, out)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("missions", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True, lstrip_blocks=True,
    )
    html = env.get_template("report.html.j2").render(
        title=TITLE,
        analysis_date=when.utc.isot[:16].replace("T", " "),
        inputs=_input_rows(sections.inputs, when),
        warnings=list(sections.warnings),
        sections=sections,
        links=links,
        selection=[m.name for m in selection] if selection else None,
        counts={"missions": len(cat.missions), "sites": len(cat.sites),
                "vehicles": len(cat.vehicles), "sources": len(cat.sources)},
    )
    path = out / "index.html"
    path.write_text(html, encoding="utf-8")
    emit_stale(sections.warnings, stacklevel=2)
    return path


__all__ += ["ReportTable", "Section"]
