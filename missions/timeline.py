"""Announced against actual launch dates: how each mission's date moved.

Each :class:`~missions.records.Announcement` says "on date A, the launch was planned for
date P". :func:`timeline_figure` draws, per mission, one segment per announcement from A to P
(ending in a dot at P) and the actual launch (or the current plan) as a star; one colour per
agency (:func:`orbits.plots.style.agency_color`). :func:`timeline_table` lists the same data
with each statement's source and the total slip.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np
from astropy import units as u
from astropy.table import QTable

__all__ = ["slip_table", "timeline_figure", "timeline_missions", "timeline_table"]

#: Marker per launch status (filled star: it flew; X: it flew and failed; open diamond: plan).
STATUS_MARKERS = {
    "flown": ("*", True),
    "operating": ("*", True),
    "deorbited": ("*", True),
    "failed": ("X", True),
    "planned": ("D", False),
    "proposed": ("d", False),
    "cancelled": ("x", True),
}


def _resolve(missions, catalog):
    from .catalog import load_catalog
    from .records import Mission

    cat = catalog if catalog is not None else load_catalog()
    if missions is None:
        return cat, [m for m in cat.missions if m.announced or m.launch_date]
    if not isinstance(missions, str):
        missions = list(missions)
        if not missions:
            return cat, []
    # names that resolve to one mission ("Luna-25", "luna 25") give it once
    return cat, [m for m in cat.select(missions) if isinstance(m, Mission)]


def timeline_missions(missions=None, catalog=None):
    """Missions with a date history or a launch date, ordered by their first date."""
    _, ms = _resolve(missions, catalog)

    def first(m):
        with _quiet_erfa():
            return _first(m)

    def _first(m):
        dates = [a.announced.decimal_year for a in m.announced]
        if m.launch_date is not None:
            dates.append(m.launch_date.decimal_year)
        return min(dates) if dates else np.inf

    return sorted((m for m in ms if m.announced or m.launch_date), key=first)


def timeline_table(missions=None, catalog=None) -> QTable:
    """Return one row per announcement (and one for each launch).

    Columns: mission, agency, when it was said, the date it named, and the source.
    """
    cat, ms = _resolve(missions, catalog)
    rows = {k: [] for k in ("mission", "agency", "kind", "announced", "planned", "source")}
    for m in timeline_missions(ms, cat):
        for a in m.announced:
            rows["mission"].append(m.name)
            rows["agency"].append(m.agency)
            rows["kind"].append("announcement")
            rows["announced"].append(a.announced.text)
            rows["planned"].append(a.planned.text)
            rows["source"].append(a.source)
        if m.launch_date is not None:
            rows["mission"].append(m.name)
            rows["agency"].append(m.agency)
            rows["kind"].append(
                "launch"
                if m.status not in ("planned", "proposed", "cancelled")
                else f"current plan ({m.status})"
            )
            rows["announced"].append("")
            rows["planned"].append(m.launch_date.text)
            rows["source"].append(m.launch.source)
    return QTable(rows)


def slip_table(missions=None, catalog=None) -> QTable:
    """Return the slip of each mission with an announcement history.

    Per mission: the first launch date announced, the actual launch (or, with no launch record, the
    latest plan announced) and the slip between them in years (positive: later than first
    announced).
    """
    cat, resolved = _resolve(missions, catalog)
    names, agencies, first, last, status, slip, n = [], [], [], [], [], [], []
    with _quiet_erfa():
        ms = [m for m in timeline_missions(resolved, cat) if m.announced]
        for m in ms:
            said = [a.announced.decimal_year for a in m.announced]
            k = int(np.argmin(said))
            first_a = m.announced[k]
            if m.launch_date is not None:
                end = m.launch_date
            else:
                end = m.announced[int(np.argmax(said))].planned
            names.append(m.name)
            agencies.append(m.agency)
            first.append(first_a.planned.text)
            last.append(end.text + ("" if m.launch_date is not None else " (plan)"))
            status.append(m.status)
            slip.append(end.decimal_year - first_a.planned.decimal_year)
            n.append(len(m.announced))
    return QTable(
        {
            "mission": names,
            "agency": agencies,
            "first_planned": first,
            "launch_or_plan": last,
            "status": status,
            "announcements": n,
            "slip": (np.round(np.array(slip, dtype=float), 2) + 0.0) * u.yr,
        }
    )


def timeline_figure(missions=None, catalog=None, *, title="Announced against actual launch dates"):
    """Plot the announcement history of each mission; return a matplotlib Figure.

    Each announcement is a segment from the date it was made to the launch date it named; the actual
    launch (or the current plan) is a marker.

    Artists carry ``gid`` values ``"<key>:announced:<n>"`` (one per announcement) and
    ``"<key>:launch"``, so a test or a caller can find them.

    Parameters
    ----------
    missions : sequence of names or Mission records, optional
        Default: every mission in the catalog with an announcement history or a launch date.
    catalog : missions.Catalog, optional
    """
    cat, ms = _resolve(missions, catalog)
    with _quiet_erfa():
        return _draw(timeline_missions(ms, cat), title)


@contextmanager
def _quiet_erfa():
    """Future dates draw ERFA's "dubious year" warning (leap seconds unknown); irrelevant here."""
    from erfa import ErfaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        yield


def _draw(ms, title):
    from matplotlib.lines import Line2D

    from orbits.plots.style import agency_color, new_figure, note_source

    height = max(3.0, 1.4 + 0.38 * len(ms))
    fig, ax = new_figure(figsize=(9.0, height))
    band = 0.7
    agencies = []
    for row, m in enumerate(reversed(ms)):
        color = agency_color(m.agency)
        if m.agency not in agencies:
            agencies.append(m.agency)
        n = len(m.announced)
        for k, a in enumerate(sorted(m.announced, key=lambda a: a.announced.decimal_year)):
            y = row + (band * (k - (n - 1) / 2) / max(n, 1) if n > 1 else 0.0)
            ax.plot(
                [a.announced.decimal_year, a.planned.decimal_year],
                [y, y],
                color=color,
                lw=1.2,
                alpha=0.75,
                marker="o",
                markersize=4,
                markevery=[1],
                gid=f"{m.key}:announced:{k}",
            )
        if m.launch_date is not None:
            marker, filled = STATUS_MARKERS.get(m.status, ("*", True))
            ax.plot(
                [m.launch_date.decimal_year],
                [row],
                linestyle="none",
                marker=marker,
                markersize=11 if marker == "*" else 8,
                markerfacecolor=color if filled else "white",
                markeredgecolor=color if m.status != "failed" else "black",
                color=color,
                gid=f"{m.key}:launch",
            )
        elif m.announced:  # no launch record: the latest plan announced is the current one
            plan = max(m.announced, key=lambda a: a.announced.time.jd).planned
            ax.plot(
                [plan.decimal_year],
                [row],
                linestyle="none",
                marker="D",
                markersize=8,
                markerfacecolor="white",
                markeredgecolor=color,
                color=color,
                gid=f"{m.key}:plan",
            )
    ax.set_yticks(range(len(ms)))
    ax.set_yticklabels([m.name for m in reversed(ms)])
    ax.set_ylim(-0.7, len(ms) - 0.3)
    ax.set_xlabel("date (year)")
    ax.set_title(title)
    ax.grid(True, axis="x", alpha=0.3)
    ax.grid(False, axis="y")
    handles = [Line2D([], [], color=agency_color(a), lw=3, label=a) for a in agencies]
    handles += [
        Line2D(
            [0, 1],
            [0, 0],
            color="0.3",
            lw=1.2,
            marker="o",
            markevery=[1],
            label="announced (line start) → planned date (dot)",
        ),
        Line2D([], [], color="0.3", ls="none", marker="*", markersize=10, label="launched"),
        Line2D(
            [],
            [],
            color="0.3",
            ls="none",
            marker="X",
            markeredgecolor="black",
            label="launched, failed",
        ),
        Line2D(
            [],
            [],
            color="0.3",
            ls="none",
            marker="D",
            markerfacecolor="white",
            label="current plan",
        ),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    note_source(
        fig,
        "mission-compare catalog: announcements and launches, each with its source "
        "(see the report's source list)",
    )
    return fig
