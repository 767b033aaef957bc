"""Halo families in the Earth-Moon rotating frame (:func:`orbits.cr3bp.halo_family`)."""

from __future__ import annotations

import numpy as np
from astropy import units as u

from .style import new_figure, note_source

__all__ = ["halo_family_figure"]


def halo_family_figure(family, every: int = 1, highlight=None):
    """Plot the members of a halo family in the xz- and yz-planes, coloured by period.

    Rotating frame centred on the Moon, thousand km; ``every`` keeps one member in that many;
    ``highlight`` (a :class:`orbits.cr3bp.HaloOrbit`, e.g. :func:`orbits.cr3bp.nrho`) is drawn
    on top in black.
    """
    import matplotlib as mpl

    from orbits.core import cr3bp as core
    from orbits.cr3bp import HaloFamily, HaloOrbit
    from orbits.errors import ArgumentError, ArgumentTypeError

    if not isinstance(family, HaloFamily):
        raise ArgumentTypeError(
            "family must be an orbits.cr3bp.HaloFamily (from orbits.cr3bp.halo_family), "
            f"got {type(family).__name__}"
        )
    if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
        raise ArgumentError(f"every must be a positive integer, got {every!r}")
    if highlight is not None and not isinstance(highlight, HaloOrbit):
        raise ArgumentTypeError(
            f"highlight must be an orbits.cr3bp.HaloOrbit or None, got {type(highlight).__name__}"
        )
    L = family.distance.to_value(u.km) / 1000.0
    moon_x = 1.0 - family.mass_ratio
    T = family.period.to_value(u.day)
    norm = mpl.colors.Normalize(T.min(), T.max())
    cmap = mpl.colormaps["viridis"]
    fig, (a1, a2) = new_figure(1, 2, figsize=(10, 5))

    def draw(s0, period, **kw):
        *_, y = core.orbit_extremes(s0, period, family.mass_ratio, n=300)
        a1.plot((y[0] - moon_x) * L, y[2] * L, **kw)
        a2.plot(y[1] * L, y[2] * L, **kw)

    for i in range(0, len(family), int(every)):
        draw(family.state0_nd[i], float(family.period_nd[i]), color=cmap(norm(T[i])), lw=0.9)
    if highlight is not None:
        draw(highlight.state0_nd, float(highlight.period_nd), color="k", lw=2.0,
             label=f"{highlight.period.to_value(u.day):.2f} d")
        a1.legend(loc="upper right")
    for ax, lab in ((a1, "x - x_Moon"), (a2, "y")):
        ax.plot([0], [0], "o", color="0.5", ms=6)
        ax.set_xlabel(f"{lab} [1000 km]")
        ax.set_ylabel("z [1000 km]")
        ax.set_aspect("equal", adjustable="datalim")
    fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=[a1, a2], label="period [d]")
    fig.suptitle(f"Earth-Moon {family.point} {family.family} halo family, {len(family)} members "
                 f"(perilune down to {family.perilune_radius.to_value(u.km).min():,.0f} km)")
    note_source(fig, "Earth-Moon CR3BP (orbits.cr3bp.halo_family)")
    return fig
