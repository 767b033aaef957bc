"""Earth-Moon transfers in the Earth-Moon rotating frame (tudat / GMAT style).

:func:`rotating_frame_figure` draws a :class:`orbits.lunar.RefinedLunarTransfer`'s n-body
trajectory and its patched-conic first guess in the frame that turns with the Moon: x from the
Earth towards the Moon, z along the Moon's orbital angular momentum, y completing the triad;
distances in units of 1,000 km. :func:`to_rotating_frame` is the transformation itself.
"""

from __future__ import annotations

import numpy as np

from orbits.plots.style import OKABE_ITO, new_figure, note_source

__all__ = ["rotating_frame_figure", "to_rotating_frame"]


def to_rotating_frame(positions, moon_positions, moon_velocities):
    """Express geocentric positions (n, 3) in the instantaneous Earth-Moon rotating frame.

    Each sample uses the Moon's state at the same epoch; the Moon itself maps to
    ``(|r_moon|, 0, 0)``.
    """
    r = np.asarray(positions, float)
    rm = np.asarray(moon_positions, float)
    vm = np.asarray(moon_velocities, float)
    x = rm / np.linalg.norm(rm, axis=-1, keepdims=True)
    z = np.cross(rm, vm)
    z /= np.linalg.norm(z, axis=-1, keepdims=True)
    y = np.cross(z, x)
    return np.stack([np.sum(r * x, -1), np.sum(r * y, -1), np.sum(r * z, -1)], axis=-1)


def rotating_frame_figure(refined, *, zoom_moon: bool = True):
    """Both trajectories of a refined transfer in the Earth-Moon rotating frame.

    Left: the whole transfer; right (``zoom_moon``): the last 30,000 km around the Moon.
    Returns a matplotlib Figure.
    """
    ncols = 2 if zoom_moon else 1
    fig, axes = new_figure(1, ncols, figsize=(11 if zoom_moon else 6.5, 5.2))
    axes = np.atleast_1d(axes)
    rm, vm = refined.moon_positions, refined.moon_velocities
    nb = to_rotating_frame(refined.positions, rm, vm) / 1e3
    # the conic's samples run at their own epochs: use the Moon at the nearest refined sample
    n = len(refined.conic_positions)
    idx = np.linspace(0, len(rm) - 1, n).round().astype(int)
    pc = to_rotating_frame(refined.conic_positions, rm[idx], vm[idx]) / 1e3
    d_moon = np.linalg.norm(rm[-1]) / 1e3
    for k, ax in enumerate(axes):
        ax.plot(pc[:, 0], pc[:, 1], color=OKABE_ITO["sky_blue"], lw=1.2, ls="--",
                label="patched conic (Earth two-body)")
        ax.plot(nb[:, 0], nb[:, 1], color=OKABE_ITO["vermillion"], lw=1.5,
                label=f"n-body, {refined.burn_model}")
        ax.plot([0], [0], "o", color=OKABE_ITO["blue"], ms=8 if k == 0 else 4, label="Earth")
        ax.plot([d_moon], [0], "o", color="0.45", ms=5 if k == 0 else 12, label="Moon")
        ax.set_xlabel("x, towards the Moon (1000 km)")
        ax.set_ylabel("y (1000 km)")
        ax.set_aspect("equal", adjustable="datalim")
        if k == 1:
            ax.set_xlim(d_moon - 30, d_moon + 30)
            ax.set_ylim(-30, 30)
            ax.set_title("near the Moon")
        else:
            ax.set_title(refined.summary()[:70], fontsize=9)
            ax.legend(loc="best", fontsize=8)
    note_source(
        fig,
        f"Earth-Moon rotating frame at each epoch; {refined.dynamics}, JPL DE421; TLI "
        f"{refined.departure.utc.isot[:16]} UTC; orbits.lunar.refine_transfer",
    )
    return fig
