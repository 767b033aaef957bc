"""Mars window figure: porkchop of C3 over departure x arrival dates, times of flight, missions."""

from __future__ import annotations

import numpy as np
from astropy import units as u

from ..errors import ArgumentError, ArgumentTypeError
from .style import OKABE_ITO, new_figure, note_source

__all__ = ["mars_window_figure"]

_KM2S2 = u.km**2 / u.s**2


def _flown_items(flown):
    from astropy.time import Time

    from ..mars import FlownTransfer

    out = []
    for item in flown or ():
        if isinstance(item, FlownTransfer):
            out.append((item.name, item.launch, item.arrival))
        elif isinstance(item, (tuple, list)) and len(item) == 3:
            out.append((str(item[0]), Time(item[1]), Time(item[2])))
        else:
            raise ArgumentTypeError(
                f"flown must hold orbits.mars.FlownTransfer objects or (name, launch, arrival) "
                f"tuples, got {type(item).__name__}"
            )
    return out


def mars_window_figure(result, *, flown=(), c3_levels=None, tof_levels=None,
                       title: str | None = None, source: str | None = None):
    """Contour map of the launch energy C3 of a :class:`orbits.mars.MarsPorkchop`.

    Parameters
    ----------
    result : MarsPorkchop
        Output of :func:`orbits.mars.mars_porkchop`.
    flown : sequence of FlownTransfer or (name, launch, arrival)
        Missions marked at their own departure and arrival dates (e.g.
        ``[orbits.mars.TIANWEN_1]``).
    c3_levels : sequence of float, optional
        C3 contour levels, km^2/s^2 (default: from the minimum to the minimum + 20 in steps
        of 1, labelled every 2).
    tof_levels : sequence of float, optional
        Time-of-flight lines, days (default every 50 days).
    title, source : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Departure date on x, arrival date on y (UTC), filled C3 contours with a colour bar in
        km^2/s^2, dashed grey time-of-flight lines labelled in days, the minimum-C3 cell as a
        star, each flown mission as a labelled diamond. Unsolved cells (the 180 deg ridge,
        times of flight outside the searched range) are left blank.
    """
    import matplotlib.dates as mdates

    if not hasattr(result, "c3") or not hasattr(result, "arrivals"):
        raise ArgumentTypeError(f"result must be an orbits.mars.MarsPorkchop, got "
                                f"{type(result).__name__}")
    ok = np.asarray(result.ok)
    if not ok.any():
        raise ArgumentError("result has no solved cell to plot (ok is False everywhere)")
    items = _flown_items(flown)
    c3 = np.where(ok, result.c3.to_value(_KM2S2), np.nan)
    c3min = float(np.nanmin(c3))
    levels = (np.arange(np.floor(c3min), np.floor(c3min) + 21.0, 1.0) if c3_levels is None
              else np.asarray(c3_levels, dtype=float))
    if levels.ndim != 1 or levels.size < 2 or np.any(np.diff(levels) <= 0):
        raise ArgumentError(f"c3_levels must be at least two increasing values, got {levels!r}")
    x = mdates.date2num(result.departures.utc.datetime64)
    y = mdates.date2num(result.arrivals.utc.datetime64)
    tof = result.tof.to_value(u.day)

    fig, ax = new_figure()
    masked = np.ma.masked_invalid(np.where(c3 <= levels[-1], c3, np.nan))
    filled = ax.contourf(x, y, masked.T, levels=levels, cmap="viridis")
    lines = ax.contour(x, y, masked.T, levels=levels[::2], colors="white", linewidths=0.6)
    ax.clabel(lines, fmt="%.0f", fontsize=7)
    cbar = fig.colorbar(filled, ax=ax)
    cbar.set_label("C3 (km²/s²)")
    tl = (np.arange(50.0, 1001.0, 50.0) if tof_levels is None
          else np.asarray(tof_levels, dtype=float))
    tl = tl[(tl > tof.min()) & (tl < tof.max())]
    if tl.size:
        tc = ax.contour(x, y, tof.T, levels=tl, colors="0.35", linewidths=0.7,
                        linestyles="dashed")
        ax.clabel(tc, fmt="%.0f d", fontsize=7)
    bx = mdates.date2num(result.best_c3_departure.utc.datetime64)
    by = mdates.date2num(result.best_c3_arrival.utc.datetime64)
    ax.plot([bx], [by], marker="*", markersize=12, color=OKABE_ITO["orange"],
            markeredgecolor="black", linestyle="none",
            label=f"minimum C3 {result.best_c3.to_value(_KM2S2):.2f} km²/s²")
    for name, launch, arrival in items:
        fx = mdates.date2num(launch.utc.datetime64)
        fy = mdates.date2num(arrival.utc.datetime64)
        ax.plot([fx], [fy], marker="D", markersize=7, color=OKABE_ITO["vermillion"],
                markeredgecolor="white", linestyle="none", label=name)
        ax.annotate(name, (fx, fy), xytext=(6, 6), textcoords="offset points", fontsize=8,
                    color=OKABE_ITO["vermillion"], fontweight="bold")
    for axis in (ax.xaxis, ax.yaxis):
        axis_date = mdates.AutoDateLocator()
        axis.set_major_locator(axis_date)
        axis.set_major_formatter(mdates.ConciseDateFormatter(axis_date))
    ax.set_xlabel("Earth departure (UTC)")
    ax.set_ylabel("Mars arrival (UTC)")
    ax.legend(loc="upper left", framealpha=0.9, frameon=True, fontsize=8)
    ax.set_title(title or (f"Earth-Mars launch energy{': ' + result.name if result.name else ''}"))
    note_source(fig, source or "ballistic Lambert transfers (Izzo 2015) between the Earth's "
                "and Mars' centres, JPL DE421; dashed: time of flight")
    return fig
