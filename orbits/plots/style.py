"""The one plot style of the toolkit.

Colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), which stays
distinguishable under the common forms of colour-blindness. Each agency keeps one colour
everywhere; other series take the remaining palette colours in order.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib
from matplotlib.figure import Figure

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: One colour per agency, used by every plot (keys are catalog agency names, upper-cased).
AGENCY_COLORS = {
    "ROSCOSMOS": OKABE_ITO["vermillion"],
    "CNSA": OKABE_ITO["blue"],
    "CMSA": OKABE_ITO["sky_blue"],
    "NASA": OKABE_ITO["bluish_green"],
    "ESA": OKABE_ITO["reddish_purple"],
    "INTERNATIONAL": OKABE_ITO["black"],
}

#: Colours for series that are not agencies (cycled in this order).
SERIES_COLORS = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["orange"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]

RC = {
    "figure.figsize": (8.0, 5.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "axes.prop_cycle": matplotlib.cycler(color=SERIES_COLORS),
}


def agency_color(agency: str) -> str:
    """Colour of an agency (any case); unknown agencies get black."""
    return AGENCY_COLORS.get(str(agency).upper(), OKABE_ITO["black"])


@contextmanager
def style():
    """Context manager applying the toolkit's rcParams."""
    with matplotlib.rc_context(RC):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """Return a Figure (not attached to pyplot) and its axes, in the toolkit's style."""
    with style():
        fig = Figure(figsize=kwargs.pop("figsize", RC["figure.figsize"]), layout="constrained")
        axes = fig.subplots(nrows, ncols, **kwargs)
        if hasattr(axes, "flat"):
            for ax in axes.flat:
                _apply_axes_style(ax)
        else:
            _apply_axes_style(axes)
    return fig, axes


def _apply_axes_style(ax) -> None:
    ax.grid(True, alpha=RC["grid.alpha"])
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.set_prop_cycle(color=SERIES_COLORS)


def note_source(fig: Figure, text: str) -> Figure:
    """Write the data source in small grey type at the figure's bottom-left corner.

    A long note is wrapped to the figure's width (never clipped at its edge), and a
    constrained layout is told to keep the bottom strip free for it, so the note never
    overlaps the x-axis label.
    """
    import textwrap

    # about 1/0.55 of the 7 pt font size per character: ~18 characters per inch of width
    chars = max(40, int(fig.get_figwidth() * 72 / (7 * 0.56)) - 4)
    lines = textwrap.wrap(f"Source: {text}", width=chars) or ["Source:"]
    strip = (0.012 + 0.0155 * len(lines)) * 5.0 / max(fig.get_figheight(), 1.0)
    engine = fig.get_layout_engine()
    if engine is not None and "rect" in getattr(engine, "get", dict)():
        engine.set(rect=(0, strip + 0.005, 1, 1 - strip - 0.005))
    fig.text(0.005, 0.005, "\n".join(lines), fontsize=7, color="0.4", ha="left", va="bottom")
    return fig


def _has_date_axis(ax) -> bool:
    import matplotlib.dates as mdates

    fmt = ax.xaxis.get_major_formatter()
    return isinstance(fmt, (mdates.DateFormatter, mdates.AutoDateFormatter,
                            mdates.ConciseDateFormatter))


def mark_date(fig: Figure, when, label: str = "analysis date", *,
              decimal_year: bool = False) -> bool:
    """Mark a date (astropy ``Time`` or ISO string) with a thin line on every date axis of ``fig``.

    ``decimal_year=True``: the x axes are in decimal years (e.g. a timeline), not
    matplotlib dates.

    The first axes also get a small label ``"analysis date 2024-05-09"`` at the top of the
    line. Returns True if the date falls inside the axes' span (and was drawn), False if it
    lies outside every date axis (nothing is drawn then, so the axes keep their limits).
    """
    import matplotlib.dates as mdates
    from astropy.time import Time

    if not isinstance(when, Time):
        from orbits._validation import as_time

        when = as_time(when, "when")
    x = float(when.utc.decimalyear) if decimal_year else mdates.date2num(when.utc.datetime)
    drawn = False
    for ax in fig.axes:
        if not decimal_year and not _has_date_axis(ax):
            continue
        if decimal_year and not ax.get_xlabel():
            continue
        lo, hi = ax.get_xlim()
        if not lo <= x <= hi:
            continue
        ax.axvline(x, color=OKABE_ITO["reddish_purple"], lw=1.2, ls="-", zorder=1)
        if not drawn:
            ax.annotate(f"{label} {when.utc.isot[:10]}", (x, 1.0),
                        xycoords=("data", "axes fraction"),
                        xytext=(3, -2), textcoords="offset points", va="top", ha="left",
                        fontsize=7, color=OKABE_ITO["reddish_purple"])
        ax.set_xlim(lo, hi)
        drawn = True
    return drawn
