"""Lunar-transfer figures.

Transfer families (Δv against time of flight) with missions placed on them, the lunar porkchop, the
Moon's declination against parking-orbit inclinations, and halo orbits. Every function takes data
and returns a matplotlib ``Figure``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from astropy import units as u

from orbits._validation import as_value
from orbits.plots.style import (
    OKABE_ITO,
    SERIES_COLORS,
    agency_color,
    new_figure,
    note_source,
)

__all__ = [
    "DEFAULT_FAMILY_BOXES",
    "FamilyBox",
    "TransferPoint",
    "departure_window_figure",
    "halo_orbit_figure",
    "porkchop_figure",
    "transfer_family_chart",
]

_KMS = u.km / u.s


@dataclass(frozen=True)
class TransferPoint:
    """One mission on the family chart: its label, time of flight, total Δv and agency."""

    label: str
    tof: u.Quantity
    dv: u.Quantity
    agency: str = ""


@dataclass(frozen=True)
class FamilyBox:
    """An indicative (tof, Δv) region of a transfer family, with the source of its bounds."""

    name: str
    tof_range: u.Quantity  # 2 values
    dv_range: u.Quantity  # 2 values
    source: str


#: Indicative regions of the transfer families that the patched conic cannot compute: the
#: durations are the flown missions' (dates below); the Δv bounds are this module's estimates
#: (TLI ~3.1-3.2 km/s plus insertion) consistent with Parker & Anderson's survey, not values
#: tabulated there. Totals are TLI + insertion from a ~200 km parking orbit.
DEFAULT_FAMILY_BOXES = (
    FamilyBox(
        "L2 halo (direct, with lunar flyby)",
        [8.0, 25.0] * u.day,
        [3.25, 3.55] * _KMS,
        "Queqiao: launched 2018-05-20, L2 halo insertion 2018-06-14 (~25 d; CNSA); "
        "Parker & Anderson, Low-Energy Lunar Trajectory Design (JPL DESCANSO, 2014), ch. 4",
    ),
    FamilyBox(
        "low-energy (ballistic lunar transfer)",
        [70.0, 140.0] * u.day,
        [3.70, 3.85] * _KMS,
        "GRAIL: launched 2011-09-10, lunar orbit 2011-12-31 (112 d; NASA); CAPSTONE: launched "
        "2022-06-28, NRHO 2022-11-13 (138 d; NASA); Parker & Anderson (2014), ch. 3: "
        "LOI to low orbit ~0.1-0.2 km/s below direct",
    ),
)


def transfer_family_chart(
    points: Iterable[TransferPoint] = (),
    parking_altitude=200 * u.km,
    lunar_altitude=100 * u.km,
    phasing_loop_periods=(16, 24, 48) * u.h,
    boxes: Sequence[FamilyBox] = DEFAULT_FAMILY_BOXES,
    title: str = "Earth-Moon transfer families",
):
    """Δv (TLI + lunar orbit insertion) against time of flight, log-scaled in time.

    Direct transfers are computed (:func:`orbits.tli_budget`, mean circular Moon, 100 km
    circular lunar orbit by default); phasing-loop transfers are the same Δv shifted by the
    loops' periods (:func:`orbits.phasing_profile`, Chang'e-1's 16/24/48 h by default); halo
    and low-energy families are indicative boxes (``boxes``) with their sources. Missions are
    ``points`` coloured by agency (see :func:`orbits.plots.style.agency_color`).
    """
    from orbits.lunar import phasing_profile, tli_budget

    tofs = np.linspace(2.0, 7.0, 60) * u.day
    b = tli_budget(parking_altitude=parking_altitude, parking_inclination=51.7 * u.deg, tof=tofs,
                   lunar_periapsis_altitude=lunar_altitude)
    ph = phasing_profile(parking_altitude=parking_altitude, loop_periods=phasing_loop_periods)
    fig, ax = new_figure()
    ax.plot(tofs.to_value(u.day), b.total_dv.to_value(_KMS), color=SERIES_COLORS[0], lw=2,
            label="direct (patched conic)")
    ax.plot(
        (tofs + ph.added_time).to_value(u.day),
        b.total_dv.to_value(_KMS),
        color=SERIES_COLORS[2],
        lw=2,
        ls="--",
        label=f"phasing loops (+{ph.added_time.to_value(u.day):.1f} d)",
    )
    for k, box in enumerate(boxes):
        t0, t1 = as_value(box.tof_range, u.day, f"boxes[{k}].tof_range", min=0.0)
        d0, d1 = as_value(box.dv_range, _KMS, f"boxes[{k}].dv_range", min=0.0)
        color = SERIES_COLORS[3 + k % 4]
        ax.fill_between(
            [t0, t1], d0, d1, color=color, alpha=0.25, lw=0, label=box.name + " (indicative)"
        )
    seen = set()
    placed = []
    for p in points:
        t = as_value(p.tof, u.day, f"tof of {p.label!r}", min=0.0, min_inclusive=False)
        dv = as_value(p.dv, _KMS, f"dv of {p.label!r}", min=0.0)
        placed.append((float(t), float(dv), p))
        c = agency_color(p.agency)
        ax.scatter(
            [t],
            [dv],
            color=c,
            edgecolor="k",
            zorder=5,
            s=40,
            label=p.agency if p.agency and p.agency not in seen else None,
        )
        seen.add(p.agency)
    # Missions that land on (nearly) the same point share one label listing each with its
    # time of flight, so no two labels overlap: within 15 % in time and 0.06 km/s in Δv.
    clusters: list[list[tuple[float, float, object]]] = []
    for item in sorted(placed, key=lambda x: x[0]):
        for cl in clusters:
            t0, d0, _ = cl[0]
            if abs(np.log(item[0] / t0)) < 0.15 and abs(item[1] - d0) < 0.06:
                cl.append(item)
                break
        else:
            clusters.append([item])
    for cl in clusters:
        if len(cl) == 1:
            t, dv, p = cl[0]
            ax.annotate(p.label, (t, dv), textcoords="offset points", xytext=(6, 6), fontsize=8)
            continue
        t = float(np.exp(np.mean([np.log(x[0]) for x in cl])))
        dv = float(np.mean([x[1] for x in cl]))
        text = "\n".join(f"{p.label} ({ti:.1f} d)" for ti, _, p in cl)
        ax.annotate(
            text,
            (t, dv),
            textcoords="offset points",
            xytext=(40, -30),
            fontsize=8,
            ha="left",
            va="top",
            arrowprops={"arrowstyle": "-", "color": "0.4", "lw": 0.8},
        )
    ax.set_xscale("log")
    ax.set_xlabel("time of flight [day]")
    ax.set_ylabel("TLI + insertion Δv [km/s]")
    ax.set_title(title)
    ax.legend(loc="upper right")
    note_source(
        fig,
        "patched conic (orbits.lunar); shaded boxes: indicative, "
        "see orbits.plots.lunar.DEFAULT_FAMILY_BOXES",
    )
    return fig


def _mark_day(ax, t0, when, last):
    """Mark ``when`` on an axis of days after ``t0`` (if within [0, ``last``])."""
    from orbits._validation import as_time

    x = float((as_time(when, "analysis_date") - t0).to_value(u.day))
    if 0.0 <= x <= last:
        col = OKABE_ITO["reddish_purple"]
        ax.axvline(x, color=col, lw=1.2, zorder=3)
        ax.annotate(f"analysis date {as_time(when, 'analysis_date').utc.isot[:10]}", (x, 1.0),
                    xycoords=("data", "axes fraction"), xytext=(3, -2),
                    textcoords="offset points", va="top", ha="left", fontsize=7, color=col)


def porkchop_figure(
    porkchop, quantity: str = "total_dv", levels=None, title: str | None = None, *,
    span=1.5 * _KMS, analysis_date=None,
):
    """Plot a :class:`orbits.lunar.LunarPorkchop` grid as contours.

    Against departure date and time of flight; the cheapest cell is marked.

    ``quantity``: 'total_dv', 'tli_dv', 'loi_dv' or 'v_inf'. The colour scale runs from the
    grid's minimum to the minimum + ``span`` (default 1.5 km/s, the useful range: anything
    dearer is one saturated colour, marked on the colour bar), unless ``levels`` are given.
    ``analysis_date`` (Time or ISO string), when inside the departure span, is marked with a
    labelled vertical line ("analysis date YYYY-MM-DD").
    """
    from matplotlib.lines import Line2D

    from orbits.errors import ArgumentError, ArgumentTypeError
    from orbits.lunar import LunarPorkchop

    if not isinstance(porkchop, LunarPorkchop):
        raise ArgumentTypeError(
            f"porkchop must be an orbits.lunar.LunarPorkchop (from orbits.lunar_porkchop), got "
            f"{type(porkchop).__name__}"
        )
    if quantity not in ("total_dv", "tli_dv", "loi_dv", "v_inf"):
        raise ArgumentError(
            f"quantity must be one of 'total_dv', 'tli_dv', 'loi_dv', 'v_inf', got {quantity!r}"
        )
    n_dep, n_tof = porkchop.total_dv.shape
    if n_dep < 2 or n_tof < 2:
        raise ArgumentError(
            f"a porkchop figure needs at least 2 departures and 2 times of flight, got "
            f"{n_dep} x {n_tof}; widen the departure span (days) or the tofs"
        )
    width = as_value(span, _KMS, "span", min=0.0, min_inclusive=False)
    z = getattr(porkchop, quantity).to_value(_KMS)
    z = np.where(porkchop.ok, z, np.nan)  # unsolved cells left blank
    days = (porkchop.departures - porkchop.departures[0]).to_value(u.day)
    tof = porkchop.tofs.to_value(u.day)
    fig, ax = new_figure()
    if levels is None:
        lo = np.floor(np.nanmin(z) * 20) / 20
        hi = min(np.nanmax(z), lo + width)
        step = 0.05 if hi - lo > 0.5 else 0.025
        levels = np.arange(lo, max(hi, lo + step) + step / 2, step)
    import matplotlib

    cmap = matplotlib.colormaps["viridis"].with_extremes(over="0.85")
    cs = ax.contourf(days, tof, z.T, levels=levels, cmap=cmap, extend="max")
    cbar = fig.colorbar(cs, ax=ax, extend="max")
    label = {
        "total_dv": "TLI + LOI Δv",
        "tli_dv": "TLI Δv",
        "loi_dv": "LOI Δv",
        "v_inf": "arrival excess speed",
    }[quantity]
    cbar.set_label(f"{label} [km/s] (grey: > {levels[-1]:.2f})")
    bx = (porkchop.best_departure - porkchop.departures[0]).to_value(u.day)
    handles = [
        Line2D(
            [],
            [],
            marker="*",
            color="w",
            mec="k",
            ms=12,
            ls="",
            label=f"cheapest: {porkchop.best_total_dv.to_value(_KMS):.3f} km/s, "
            f"{porkchop.best_departure.utc.isot[:10]}, "
            f"{porkchop.best_tof.to_value(u.day):.2f} d",
        )
    ]
    ax.plot([bx], [porkchop.best_tof.to_value(u.day)], marker="*", color="w", mec="k", ms=14)
    if not np.all(porkchop.in_plane) and np.any(porkchop.in_plane):
        ax.contour(
            days,
            tof,
            (~porkchop.in_plane).T.astype(float),
            levels=[0.5],
            colors="tab:red",
            linewidths=1.0,
            linestyles=":",
        )
        handles.append(
            Line2D(
                [],
                [],
                color="tab:red",
                ls=":",
                lw=1.0,
                label="edge of the days the Moon is out of the parking plane",
            )
        )
    ax.set_xlabel(f"departure [day after {porkchop.departures[0].utc.isot[:10]}]")
    ax.set_ylabel("time of flight [day]")
    if analysis_date is not None:
        _mark_day(ax, porkchop.departures[0], analysis_date, days[-1])
    ax.set_title(
        title
        or f"Lunar porkchop, parking orbit i = {porkchop.parking_inclination.to_value(u.deg):.1f}°",
        fontsize=10,
    )
    # legend below the axes, so it never covers the contours or the marked minimum
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=1,
        fontsize=8,
        frameon=False,
    )
    note_source(
        fig,
        "DE421 Moon, Izzo Lambert (orbits.lunar_porkchop); red dotted: Moon out of parking plane",
    )
    return fig


def departure_window_figure(
    windows, title: str = "Moon's declination at arrival vs parking-orbit inclination"
):
    """Plot the Moon's declination at arrival over departure dates.

    From :func:`orbits.departure_windows` (a :class:`orbits.lunar.DepartureWindows`), with each
    site's ±inclination band; departures on days when the Moon lies outside a site's band need a
    plane change (marked).
    """
    from orbits.errors import ArgumentError, ArgumentTypeError
    from orbits.lunar import DepartureWindows

    if not isinstance(windows, DepartureWindows):
        raise ArgumentTypeError(
            f"windows must be an orbits.lunar.DepartureWindows (from orbits.departure_windows), "
            f"got {type(windows).__name__}"
        )
    if len(windows) == 0:
        raise ArgumentError("windows has no rows to plot")
    sites = windows.sites
    first = windows.for_site(sites[0])
    t0 = first.departure[0]
    days = (first.departure - t0).to_value(u.day)
    fig, ax = new_figure()
    ax.plot(
        days,
        first.moon_declination.to_value(u.deg),
        color="k",
        lw=1.5,
        label="Moon declination at arrival",
    )
    for k, site in enumerate(sites):
        rows = windows.for_site(site)
        inc = rows.inclination[0].to_value(u.deg)
        color = SERIES_COLORS[(k + 1) % len(SERIES_COLORS)]
        ax.axhline(inc, color=color, ls="--", lw=1, label=f"{site} ±{inc:.1f}°")
        ax.axhline(-inc, color=color, ls="--", lw=1)
        out = ~np.asarray(rows.in_plane)
        if np.any(out):
            ax.scatter(
                days[out], rows.moon_declination[out].to_value(u.deg), color=color, s=10, zorder=4
            )
    ax.set_xlabel(f"departure [day after {t0.utc.isot[:10]}]")
    ax.set_ylabel("declination [deg]")
    ax.set_title(title)
    ax.legend(loc="upper right", ncol=2, fontsize=8)
    note_source(fig, "JPL DE421; dots: plane change needed")
    return fig


def halo_orbit_figure(halo, zero_velocity=True):
    """Plot a halo orbit (:func:`orbits.halo_orbit`) in the xy- and xz-planes.

    Rotating frame, with the Moon and the libration point; optionally the zero-velocity curve of its
    Jacobi constant in the xy view.
    """
    from orbits.cr3bp import HaloOrbit, lagrange_points, zero_velocity_curves
    from orbits.errors import ArgumentTypeError

    if not isinstance(halo, HaloOrbit):
        raise ArgumentTypeError(
            "halo must be an orbits.cr3bp.HaloOrbit (from orbits.halo_orbit), "
            f"got {type(halo).__name__}"
        )

    traj, _ = halo.trajectory(600)
    L = halo.distance.to_value(u.km)
    xyz = traj[:, :3] * L / 1000.0  # thousand km
    fig, (a1, a2) = new_figure(1, 2, figsize=(10, 4.5))
    moon_x = (1 - halo.mass_ratio) * L / 1000.0
    lp = lagrange_points(mass_ratio=halo.mass_ratio, distance=halo.distance)
    lx = lp.x_km[int(halo.point[1]) - 1].to_value(u.km) / 1000.0
    if zero_velocity:
        x, y, f = zero_velocity_curves(
            halo.jacobi, mass_ratio=halo.mass_ratio, extent=1.3, n=401, distance=halo.distance
        )
        a1.contourf(
            x.to_value(u.km) / 1000,
            y.to_value(u.km) / 1000,
            f.value,
            levels=[-1e9, 0],
            colors=["0.85"],
        )
    for ax, (i, j), lab in ((a1, (0, 1), "y"), (a2, (0, 2), "z")):
        ax.plot(
            xyz[:, i],
            xyz[:, j],
            color=SERIES_COLORS[0],
            lw=1.5,
            label=f"{halo.point} {halo.family} halo",
        )
        ax.plot([moon_x], [0], "o", color="0.5", ms=8, label="Moon")
        ax.plot([lx], [0], "x", color="k", label=halo.point)
        ax.set_xlabel("x [1000 km]")
        ax.set_ylabel(f"{lab} [1000 km]")
        ax.set_aspect("equal", adjustable="datalim")
    a1.legend(loc="upper left")
    fig.suptitle(
        f"{halo.point} halo: Az {halo.az.to_value(u.km):,.0f} km, period "
        f"{halo.period.to_value(u.day):.2f} d (grey: forbidden region at its Jacobi constant)"
    )
    note_source(fig, "Earth-Moon CR3BP (orbits.cr3bp)")
    return fig
