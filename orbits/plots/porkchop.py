"""Porkchop plot of a station transfer search: total Δv over departure date x time of flight."""

from __future__ import annotations

import numpy as np
from astropy import units as u

from ..errors import ArgumentError, ArgumentTypeError
from .style import OKABE_ITO, new_figure, note_source

__all__ = ["porkchop_figure"]

_MAX_COLUMNS = 1500  # departure columns drawn; longer grids are reduced by block minima


def _block_min(values, ok, factor):
    """Reduce the departure axis by taking the minimum over blocks of ``factor`` rows."""
    n = values.shape[0] // factor * factor
    v = np.where(ok[:n], values[:n], np.inf).reshape(-1, factor, values.shape[1]).min(axis=1)
    return v


def porkchop_figure(
    result,
    *,
    n_best: int = 5,
    min_separation=None,
    dv_max=None,
    tof_unit=u.min,
    title: str | None = None,
    source: str | None = None,
):
    """Heat map of the total Δv of a :class:`orbits.transfers.StationTransferResult`.

    Parameters
    ----------
    result : StationTransferResult
        Output of :func:`orbits.station_transfer_search`.
    n_best : int
        Number of best windows (``result.best(n_best, min_separation=...)``) marked and numbered.
    min_separation : Quantity (time), optional
        Passed to ``result.best`` so that the marked windows are distinct opportunities.
    dv_max : Quantity, optional
        Upper end of the colour scale (default: 2 km/s above the cheapest cell, so the useful
        range gets the whole colour scale); dearer cells are drawn light grey (the colour
        bar's "over" end), not in a saturated colour.
    tof_unit : astropy unit
        Unit of the time-of-flight axis (default minutes).
    title, source : str, optional
        Figure title and the data-source note written in the corner.

    Returns
    -------
    matplotlib.figure.Figure
        Departure date on x, time of flight on y, total Δv colour (km/s, colour bar labelled),
        best windows circled and numbered by rank,
        cells without a Lambert solution left blank. Grids longer than 1500 departures are
        drawn with the minimum over consecutive departure blocks, so no minimum disappears.
    """
    import matplotlib.dates as mdates
    from matplotlib import patheffects

    if not hasattr(result, "dv_total") or not hasattr(result, "best"):
        raise ArgumentTypeError(f"result must be a StationTransferResult, got "
                                f"{type(result).__name__}")
    if isinstance(n_best, bool) or not isinstance(n_best, (int, np.integer)) or n_best < 0:
        raise ArgumentError(f"n_best must be an integer >= 0, got {n_best!r}")
    dv = result.dv_total.to_value(u.km / u.s)
    ok = np.asarray(result.ok)
    if not ok.any():
        raise ArgumentError("result has no solved cell to plot (ok is False everywhere)")
    x = mdates.date2num(result.departure.datetime64)
    y = result.tof.to_value(tof_unit)

    factor = int(np.ceil(dv.shape[0] / _MAX_COLUMNS))
    if factor > 1:
        dv_plot = _block_min(dv, ok, factor)
        x_plot = x[: dv_plot.shape[0] * factor : factor]
    else:
        dv_plot = np.where(ok, dv, np.inf)
        x_plot = x
    dv_plot = np.ma.masked_invalid(np.where(np.isfinite(dv_plot), dv_plot, np.nan))

    vmin = float(np.nanmin(dv[ok]))
    if dv_max is None:
        vmax = vmin + 2.0
    else:
        from .._validation import as_value

        vmax = as_value(dv_max, u.km / u.s, "dv_max", min=0.0, min_inclusive=False)

    import matplotlib

    cmap = matplotlib.colormaps["viridis"].with_extremes(over="0.90", bad="white")
    fig, ax = new_figure()
    mesh = ax.pcolormesh(
        x_plot,
        y,
        dv_plot.T,
        shading="nearest",
        cmap=cmap,
        vmin=vmin,
        vmax=max(vmax, vmin * 1.0001),
    )
    cbar = fig.colorbar(mesh, ax=ax, extend="max")
    cbar.set_label("total Δv (km/s)")
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_xlabel("departure date (UTC)")
    ax.set_ylabel(f"time of flight ({u.Unit(tof_unit).to_string()})")

    if n_best:
        best = result.best(n_best, min_separation=min_separation)
        bx = mdates.date2num(best["departure"].datetime64)
        by = best["tof"].to_value(tof_unit)
        dv_best = best["dv_total"].to_value(u.km / u.s)
        label = f"best {len(best)} windows" + (
            f" ({dv_best[0]:.3f} to {dv_best[-1]:.3f} km/s)" if len(best) else ""
        )
        ax.scatter(
            bx,
            by,
            marker="o",
            s=40,
            facecolors="none",
            edgecolors=OKABE_ITO["vermillion"],
            linewidths=1.5,
            label=label,
            zorder=3,
        )
        for rank, (xx, yy) in enumerate(zip(bx, by), 1):
            ax.annotate(
                str(rank),
                (xx, yy),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
                fontweight="bold",
                color=OKABE_ITO["vermillion"],
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
            )
        if len(best):
            ax.legend(loc="upper right", framealpha=0.9, frameon=True)
    ax.set_title(title or "Two-impulse transfer cost")
    note_source(fig, source or "Lambert transfers (Izzo 2015) between J2-drifting mean orbits")
    return fig
