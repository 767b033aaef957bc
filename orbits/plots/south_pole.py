"""South-pole access figure: the sites on a polar map, and what each sees over a lunar day."""

from __future__ import annotations

import numpy as np
from astropy import units as u

from orbits.plots.style import OKABE_ITO, SERIES_COLORS, new_figure, note_source

__all__ = ["south_pole_access_figure"]

_R_MOON = 1737.4  # km, IAU mean radius


def _polar_xy(lat_deg, lon_deg):
    """Azimuthal equidistant map centred on the south pole, km; +y towards 0 deg E."""
    rho = _R_MOON * np.radians(90.0 + np.asarray(lat_deg, dtype=float))
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    return rho * np.sin(lon), rho * np.cos(lon)


def south_pole_access_figure(access, skies=(), *, extent=700 * u.km, ilrs_radius=100 * u.km):
    """Plot a :class:`~orbits.lunar.SouthPoleAccess` as a polar map, beside each site's sky.

    Left: the sites on an azimuthal equidistant map of the south polar region (distance from
    the pole in km, 0 deg E up), with latitude circles, the region within ``ilrs_radius`` of
    the pole (the ILRS's stated south-pole area, within 100 km) and, per site, the fractions of
    the span with the Sun / the Earth / the relay above the horizon. Right (if ``skies``, a
    sequence of :class:`~orbits.lunar.SiteSky`): Sun and Earth elevation against time.
    """
    from orbits.errors import ArgumentTypeError
    from orbits.lunar.south_pole import SiteSky, SouthPoleAccess

    if not isinstance(access, SouthPoleAccess):
        raise ArgumentTypeError("access must be an orbits.lunar.SouthPoleAccess (from "
                                f"south_pole_access), got {type(access).__name__}")
    skies = tuple(skies)
    for s in skies:
        if not isinstance(s, SiteSky):
            raise ArgumentTypeError(f"skies must hold SiteSky results, got {type(s).__name__}")
    ext = extent.to_value(u.km)
    if skies:
        fig, (ax, ax2) = new_figure(1, 2, figsize=(11, 5))
    else:
        fig, ax = new_figure(1, 1, figsize=(6, 6))
        ax2 = None
    th = np.linspace(0, 2 * np.pi, 361)
    for lat in (-89, -88, -86, -84, -82, -80, -78, -75, -70, -65):
        rho = _R_MOON * np.radians(90 + lat)
        if rho <= ext * 1.42:
            ax.plot(rho * np.cos(th), rho * np.sin(th), color="0.85", lw=0.6, zorder=0)
            ax.annotate(f"{-lat}°S", (rho * np.cos(np.pi / 4), rho * np.sin(np.pi / 4)),
                        fontsize=6, color="0.5")
    r_ilrs = ilrs_radius.to_value(u.km)
    ax.fill(r_ilrs * np.cos(th), r_ilrs * np.sin(th), color=OKABE_ITO["sky_blue"], alpha=0.25,
            lw=0, label=f"within {r_ilrs:.0f} km of the pole (ILRS area)")
    names, idx = np.unique(access.site, return_index=True)
    for k, i in enumerate(sorted(idx)):
        lat = access.latitude[i].to_value(u.deg)
        lon = access.longitude[i].to_value(u.deg)
        x, y = _polar_xy(lat, lon)
        color = SERIES_COLORS[k % len(SERIES_COLORS)]
        ax.plot(x, y, "o", color=color, ms=6, zorder=3)
        relay = ("" if not np.isfinite(access.relay_fraction[i])
                 else f", {access.relay or 'relay'} {100 * access.relay_fraction[i]:.0f}%")
        ax.annotate(f"{access.site[i]}\nSun {100 * access.sunlit_fraction[i]:.0f}%, Earth "
                    f"{100 * access.earth_fraction[i]:.0f}%{relay}", (x, y),
                    xytext=(6, 6 - 24 * (k % 3)), textcoords="offset points", fontsize=7,
                    color=color)
    ax.set_xlim(-ext, ext)
    ax.set_ylim(-ext, ext)
    ax.set_aspect("equal")
    ax.set_xlabel("km from the pole (towards 90° E)")
    ax.set_ylabel("km from the pole (towards 0° E)")
    ax.set_title("South polar sites: time above the horizon")
    ax.legend(loc="lower left", fontsize=7)
    if ax2 is not None:
        for k, s in enumerate(skies):
            color = SERIES_COLORS[k % len(SERIES_COLORS)]
            days = (s.time - s.time[0]).to_value(u.day)
            ax2.plot(days, s.sun_elevation.to_value(u.deg), color=color, lw=1.2,
                     label=f"{s.site or 'site'}: Sun")
            ax2.plot(days, s.earth_elevation.to_value(u.deg), color=color, lw=1.0, ls="--",
                     label=f"{s.site or 'site'}: Earth")
        ax2.axhline(0, color="0.5", lw=0.8)
        ax2.set_xlabel(f"days after {skies[0].time[0].utc.isot[:10]}")
        ax2.set_ylabel("elevation of the centre (deg)")
        ax2.set_title("Sun (solid) and Earth (dashed) over a lunar day")
        ax2.legend(fontsize=6, ncol=2)
    note_source(fig, f"DE421 (JPL), IAU WGCCRE 2015 lunar rotation; spherical Moon, no terrain; "
                     f"span {access.duration.to_value(u.day):.1f} d from "
                     f"{access.start.utc.isot[:10]}")
    return fig
