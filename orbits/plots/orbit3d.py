"""Interactive 3D views of orbits through boinor's plotting (poliastro's ``OrbitPlotter``).

An option beside the static matplotlib figures: with ``interactive=True`` the view is a Plotly
3D figure one can rotate in a notebook or save as a self-contained HTML file; with
``interactive=False`` it is boinor's matplotlib 2D projection, returned as a matplotlib Figure.
boinor (and so numba) is imported only when a view is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._validation import as_time
from .style import SERIES_COLORS, agency_color

__all__ = ["orbit_view"]


def _as_boinor_orbit(obj, label, time):
    if hasattr(obj, "to_boinor"):  # orbits.tle.TLE and anything else that knows how
        return obj.to_boinor(time)
    if hasattr(obj, "attractor") and hasattr(obj, "r") and hasattr(obj, "v"):
        return obj if time is None else obj.propagate(time - obj.epoch)
    raise TypeError(
        f"orbits[{label!r}] must be a boinor Orbit or have a to_boinor(time) method "
        f"(such as orbits.tle.TLE), got {type(obj).__name__}"
    )


def orbit_view(orbits, *, time=None, interactive=True, agencies=None, title=None):
    """Draw several Earth orbits together.

    Parameters
    ----------
    orbits : mapping label -> orbit
        boinor ``Orbit`` objects, or objects with ``to_boinor(time)`` such as the
        :class:`orbits.tle.TLE` of :func:`orbits.load_tles`.
    time : Time, optional
        Draw every orbit at this epoch (TLEs are propagated to it with SGP4); default each
        orbit's own epoch. Use one common time to see the planes as they are relative to each
        other at that moment.
    interactive : bool
        True: a ``plotly.graph_objects.Figure`` (rotatable 3D). False: a matplotlib ``Figure``
        (boinor's 2D projection onto the first orbit's plane).
    agencies : mapping label -> agency, optional
        Colours each orbit by its agency (:func:`orbits.plots.style.agency_color`).
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure or matplotlib.figure.Figure
    """
    if not isinstance(orbits, Mapping) or not orbits:
        raise TypeError(f"orbits must be a non-empty mapping of label -> orbit, got {orbits!r}")
    agencies = dict(agencies or {})
    t = None if time is None else as_time(time, "time")
    if t is not None and t.ndim:
        raise ValueError(f"time must be a single Time, got shape {t.shape}")

    from boinor.plotting import OrbitPlotter
    from boinor.plotting.orbit.backends import Matplotlib2D, Plotly3D

    if interactive:
        backend = Plotly3D()
    else:
        from .style import new_figure

        fig, ax = new_figure(figsize=(7.0, 7.0))
        backend = Matplotlib2D(ax=ax)
    plotter = OrbitPlotter(backend=backend)
    for k, (label, obj) in enumerate(orbits.items()):
        orbit = _as_boinor_orbit(obj, label, t)
        color = agency_color(agencies[label]) if label in agencies else SERIES_COLORS[k % len(SERIES_COLORS)]
        plotter.plot(orbit, label=str(label), color=color)
    if interactive:
        figure = backend.figure
        if title:
            figure.update_layout(title=title)
        return figure
    if title:
        ax.set_title(title)
    return fig
