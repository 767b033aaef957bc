"""Figures about orbit planes: what each launch site reaches, how two planes drift apart.

Each function takes data (Quantities, Times, QTables) and returns a matplotlib ``Figure``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from astropy import units as u
from astropy.table import QTable, Table
from matplotlib import patheffects

from .._validation import as_value
from ..core import planes as _planes
from ..core import sites as _sites
from ..errors import ArgumentError, ArgumentTypeError
from .style import OKABE_ITO, SERIES_COLORS, agency_color, new_figure, note_source

__all__ = ["plane_history", "reachable_inclinations"]


def _leave_room_for_source(fig):
    """Keep the constrained layout clear of the source note at the bottom edge."""
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        try:
            engine.set(rect=(0.0, 0.035, 1.0, 0.965))
        except TypeError:  # older matplotlib without rect
            pass


def _mapping(value, name):
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ArgumentTypeError(f"{name} must be a mapping name -> value, got "
                                f"{type(value).__name__}")
    return dict(value)


def reachable_inclinations(sites, stations=None, *, corridors=None, agencies=None,
                           geodetic=True, source="site latitudes and station inclinations "
                           "as given; direct-ascent geometry (i >= |geocentric latitude|)",
                           ymax=110 * u.deg):
    """Site latitude against the inclinations a direct ascent from it reaches.

    Parameters
    ----------
    sites : mapping name -> latitude Quantity (geodetic unless ``geodetic=False``)
    stations : mapping name -> inclination Quantity, drawn as horizontal lines
    corridors : mapping site name -> (i_min, i_max) Quantities, documented inclination ranges
        (range-safety corridors), drawn as solid segments over the site's band
    agencies : mapping name (site or station) -> agency, for the colours
    source : text of the source note
    ymax : upper limit of the inclination axis

    Returns
    -------
    matplotlib.figure.Figure
        x: geocentric latitude (deg); y: inclination (deg). Each site is a band from its
        minimum inclination upward; below the diagonal ``i = |lat|`` no direct ascent exists.
    """
    sites = _mapping(sites, "sites")
    if not sites:
        raise ArgumentError("sites must name at least one launch site")
    stations = _mapping(stations, "stations")
    corridors = _mapping(corridors, "corridors")
    agencies = _mapping(agencies, "agencies")
    top = as_value(ymax, u.deg, "ymax", min=10.0, max=180.0)
    lats = {}
    for name, lat in sites.items():
        v = as_value(lat, u.rad, f"sites[{name!r}]", min=-np.pi / 2, max=np.pi / 2)
        lats[name] = np.degrees(_sites.geodetic_to_geocentric(v) if geodetic else v)

    fig, ax = new_figure(figsize=(8.5, 5.5))
    x = np.linspace(0.0, max(70.0, max(abs(v) for v in lats.values()) + 5.0), 50)
    ax.fill_between(x, 0, x, color="0.85", label="no direct ascent (i < |latitude|)")
    ax.plot(x, x, color="0.5", lw=0.8)
    ordered = sorted(lats.items(), key=lambda kv: abs(kv[1]))
    # Labels hang vertically below each dot, in the grey region; sites within 1 deg of
    # latitude (Xichang and Cape Canaveral) share one label so no two labels collide.
    label_groups: list[list[tuple[str, float]]] = []
    for name, lat in ordered:
        if label_groups and abs(lat) - abs(label_groups[-1][0][1]) < 1.0:
            label_groups[-1].append((name, lat))
        else:
            label_groups.append([(name, lat)])
    for group in label_groups:
        first = group[0][0]
        col = agency_color(agencies[first]) if first in agencies else OKABE_ITO["black"]
        la = abs(group[0][1])
        text = " / ".join(n for n, _ in group)
        # ~1.9 deg of inclination per character at this size: below the dot if it fits,
        # otherwise upward beside the site's bar
        below = la > 1.9 * len(text) + 2.0
        ax.annotate(text, (la, la), xytext=(0, -8) if below else (-12, 8),
                    textcoords="offset points", fontsize=8, color=col, rotation=90,
                    ha="center", va="top" if below else "bottom", annotation_clip=False,
                    path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
    for k, (name, lat) in enumerate(ordered):
        col = agency_color(agencies[name]) if name in agencies else SERIES_COLORS[k % 8]
        la = abs(lat)
        ax.vlines(la, la, min(180.0 - la, top), colors=col, lw=7, alpha=0.35)
        ax.plot([la], [la], "o", color=col, ms=5)
        if name in corridors:
            lo, hi = corridors[name]
            lo = as_value(lo, u.deg, f"corridors[{name!r}][0]", min=0.0, max=180.0)
            hi = as_value(hi, u.deg, f"corridors[{name!r}][1]", min=0.0, max=180.0)
            ax.vlines(la, lo, min(hi, top), colors=col, lw=3, alpha=1.0)
    groups: dict[float, tuple[float, list[str]]] = {}  # same plane (0.01 deg): one line
    for name, inc in stations.items():
        i = float(as_value(inc, u.deg, f"stations[{name!r}]", min=0.0, max=180.0))
        groups.setdefault(round(i, 2), (i, []))[1].append(name)
    for i, names in groups.values():
        first = names[0]
        col = agency_color(agencies[first]) if first in agencies else OKABE_ITO["black"]
        ax.axhline(i, color=col, lw=1.2, ls="--")
        ax.annotate(f"{', '.join(names)} ({i:.1f}°)", (x[-1], i), xytext=(-4, 3),
                    textcoords="offset points", ha="right", fontsize=8, color=col)
    ax.set_xlim(0, x[-1])
    ax.set_ylim(0, top)
    ax.set_xlabel("Launch-site geocentric latitude [deg]")
    ax.set_ylabel("Orbit inclination [deg]")
    ax.set_title("Inclinations reachable by direct ascent"
                 + (" (solid: documented corridors)" if corridors else ""))
    ax.legend(loc="upper left")
    _leave_room_for_source(fig)
    note_source(fig, source)
    return fig


#: The columns plane_history draws -> the labels a PlaneAngleHistory's ``to_table()`` gives.
_HISTORY_COLUMNS = {"time": "time", "delta_raan": "node difference", "plane_angle": "plane angle"}


def _plane_history_table(history) -> QTable:
    """Return ``history`` as a QTable with columns ``time``, ``delta_raan``, ``plane_angle``."""
    names = tuple(_HISTORY_COLUMNS)
    if isinstance(history, Table):
        cols = set(history.colnames)
        if set(names) <= cols:
            return QTable({n: history[n] for n in names})
        if set(_HISTORY_COLUMNS.values()) <= cols:  # a PlaneAngleHistory's to_table()
            return QTable({n: history[label] for n, label in _HISTORY_COLUMNS.items()})
    elif all(hasattr(history, n) for n in names):  # a PlaneAngleHistory result: its fields
        return QTable({n: getattr(history, n) for n in names})
    raise ArgumentTypeError("history must be what orbits.plane_angle_history returns "
                            "(a PlaneAngleHistory with time, delta_raan, plane_angle) or a "
                            f"QTable with those columns, got {type(history).__name__}")


def plane_history(history, *, labels=("orbit 1", "orbit 2"), speed=None, alignments=None,
                  source="TLE mean elements; first-order J2 node drift"):
    """Node difference, plane angle (and optionally plane-change Δv) over time.

    Parameters
    ----------
    history : orbits.precession.PlaneAngleHistory or QTable
        What :func:`orbits.plane_angle_history` returns (fields ``time``, ``delta_raan``,
        ``plane_angle``), its ``to_table()`` (columns labelled "time", "node difference",
        "plane angle") or a QTable with the field names as columns.
    labels : names of the two orbits
    speed : Quantity (speed), optional
        Orbital speed for a third panel with the impulsive plane-change cost
        ``2 v sin(angle/2)``.
    alignments : :class:`orbits.precession.PlaneAlignments`, optional, marks the events
    """
    history = _plane_history_table(history)
    n = 3 if speed is not None else 2
    fig, axes = new_figure(n, 1, sharex=True, figsize=(8.5, 2.6 * n + 0.6))
    t = history["time"].to_datetime()
    d = history["delta_raan"].to_value(u.deg).astype(float)
    # break the line where the difference wraps from +180 to -180
    d_plot = d.copy()
    if d.size > 1:
        d_plot[1:][np.abs(np.diff(d)) > 180.0] = np.nan
    ang = history["plane_angle"].to_value(u.deg)
    a, b = labels
    axes[0].plot(t, d_plot, color=SERIES_COLORS[0])
    axes[0].set_ylabel(f"Ω({a}) − Ω({b}) [deg]")
    axes[0].set_ylim(-180, 180)
    axes[0].set_yticks([-180, -90, 0, 90, 180])
    axes[1].plot(t, ang, color=SERIES_COLORS[1])
    axes[1].set_ylabel("Angle between planes [deg]")
    if speed is not None:
        v = as_value(speed, u.km / u.s, "speed", min=0.0, min_inclusive=False)
        dv = _planes.plane_change_dv(v, np.radians(ang))
        axes[2].plot(t, dv, color=SERIES_COLORS[2])
        axes[2].set_ylabel(f"Plane-change Δv at {v:.2f} km/s [km/s]")
    if alignments is not None:
        t0, t1 = history["time"].min(), history["time"].max()
        for events, ls, text in ((alignments.aligned, ":", "nodes aligned"),
                                 (alignments.opposed, "--", "nodes opposed")):
            events = events[(events >= t0) & (events <= t1)]
            for j, tt in enumerate(np.atleast_1d(events.to_datetime())):
                for ax in axes:
                    ax.axvline(tt, color="0.4", ls=ls, lw=1,
                               label=text if ax is axes[1] and j == 0 else None)
        if axes[1].get_legend_handles_labels()[0]:
            axes[1].legend(loc="upper center")
    axes[-1].set_xlabel("Date (UTC)")
    axes[0].set_title(f"Orbit planes of {a} and {b}")
    fig.autofmt_xdate()
    _leave_room_for_source(fig)
    note_source(fig, source)
    return fig
