"""Views of several Earth orbits together.

An interactive Plotly 3D figure or a matplotlib projection onto the first orbit's plane.

Each orbit is drawn as its osculating Keplerian ellipse, sampled here with numpy from one
state vector (position and velocity at the drawing time), so a view takes well under a
second: no boinor propagation and so no numba compilation. Positions come from SGP4 for
TLEs (:class:`orbits.tle.TLE`, TEME frame) or from a boinor ``Orbit``'s own ``r, v``
(its frame, GCRS for the Earth). Plotly is imported only when an interactive view is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from astropy import units as u

from .._validation import as_time
from ..errors import ArgumentError, ArgumentTypeError
from .style import SERIES_COLORS, agency_color

__all__ = ["ellipse_points", "orbit_view"]

#: Earth's equatorial radius (km, WGS 84), for the globe drawn in the views.
_R_EARTH = 6378.137
#: Earth's GM (km^3/s^2, WGS 84 / EGM96), for the ellipse through a state vector.
_K_EARTH = 398600.4418


def ellipse_points(r, v, *, k=_K_EARTH, n=361):
    """Points of the Keplerian ellipse through the state ``(r, v)``: shape ``(n, 3)``, km.

    ``r`` (km) and ``v`` (km/s) are plain 3-vectors, ``k`` the central body's GM (km^3/s^2).
    Sampled uniformly in eccentric anomaly, closed (first point == last point). Raises
    ``ValueError`` for an open (parabolic or hyperbolic) or degenerate state.
    """
    r = np.asarray(r, dtype=float)
    v = np.asarray(v, dtype=float)
    h = np.cross(r, v)
    rn = np.linalg.norm(r)
    if rn == 0 or np.linalg.norm(h) == 0:
        raise ArgumentError("the state has zero position or zero angular momentum; no orbit plane")
    energy = v @ v / 2 - k / rn
    if energy >= 0:
        raise ArgumentError(f"the state is not on a closed orbit (specific energy "
                            f"{energy:.4g} km²/s² >= 0)")
    a = -k / (2 * energy)
    e_vec = np.cross(v, h) / k - r / rn
    ecc = np.linalg.norm(e_vec)
    p_hat = e_vec / ecc if ecc > 1e-10 else r / rn
    w_hat = h / np.linalg.norm(h)
    q_hat = np.cross(w_hat, p_hat)
    ea = np.linspace(0.0, 2 * np.pi, n)
    b = a * np.sqrt(1 - min(ecc, 1 - 1e-12) ** 2)
    return (a * (np.cos(ea) - ecc))[:, None] * p_hat + (b * np.sin(ea))[:, None] * q_hat


def _state(obj, label, time):
    """(r km, v km/s, epoch Time, frame name) of one orbit at ``time`` (default its epoch)."""
    if hasattr(obj, "state") and hasattr(obj, "line2"):  # orbits.tle.TLE: SGP4 at the time
        t = obj.epoch if time is None else time
        r, v = obj.state(t)
        return r.to_value(u.km), v.to_value(u.km / u.s), t, "TEME"
    if hasattr(obj, "attractor") and hasattr(obj, "r") and hasattr(obj, "v"):  # boinor Orbit
        if time is not None and time != obj.epoch:
            obj = obj.propagate(time - obj.epoch)
        return obj.r.to_value(u.km), obj.v.to_value(u.km / u.s), obj.epoch, "GCRS"
    raise ArgumentTypeError(
        f"orbits[{label!r}] must be a boinor Orbit or an orbits.tle.TLE (anything with "
        f"state(time) and line2), got {type(obj).__name__}"
    )


def _sphere(n=40):
    lon = np.linspace(0, 2 * np.pi, n)
    lat = np.linspace(-np.pi / 2, np.pi / 2, n // 2)
    x = _R_EARTH * np.outer(np.cos(lat), np.cos(lon))
    y = _R_EARTH * np.outer(np.cos(lat), np.sin(lon))
    z = _R_EARTH * np.outer(np.sin(lat), np.ones_like(lon))
    return x, y, z


def orbit_view(orbits, *, time=None, interactive=True, agencies=None, title=None):
    """Draw several Earth orbits together.

    Parameters
    ----------
    orbits : mapping label -> orbit
        :class:`orbits.tle.TLE` objects (e.g. from :func:`orbits.load_tles`) or boinor
        ``Orbit`` objects.
    time : Time, optional
        Draw every orbit at this epoch (TLEs through SGP4; a boinor Orbit is propagated);
        default each orbit's own epoch. Use one common time to see the planes as they are
        relative to each other at that moment.
    interactive : bool
        True: a ``plotly.graph_objects.Figure`` (rotatable 3D). False: a matplotlib ``Figure``
        (projection onto the first orbit's plane).
    agencies : mapping label -> agency, optional
        Colours each orbit by its agency (:func:`orbits.plots.style.agency_color`).
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure or matplotlib.figure.Figure
        One line trace per orbit, named ``"<epoch> (<label>)"``, a marker at each object's
        position at the drawing time, and the Earth.
    """
    if not isinstance(orbits, Mapping) or not orbits:
        raise ArgumentTypeError(
            f"orbits must be a non-empty mapping of label -> orbit, got {orbits!r}"
        )
    agencies = dict(agencies or {})
    t = None if time is None else as_time(time, "time")
    if t is not None and t.ndim:
        raise ArgumentError(f"time must be a single Time, got shape {t.shape}")

    drawn = []
    for k, (label, obj) in enumerate(orbits.items()):
        r, v, epoch, frame = _state(obj, label, t)
        if label in agencies:
            color = agency_color(agencies[label])
        else:
            color = SERIES_COLORS[k % len(SERIES_COLORS)]
        name = f"{epoch.utc.isot[:16].replace('T', ' ')} ({label})"
        drawn.append((str(label), name, r, ellipse_points(r, v), color, frame))
    if interactive:
        return _plotly_view(drawn, title)
    return _matplotlib_view(drawn, title)


def _plotly_view(drawn, title):
    import plotly.graph_objects as go

    fig = go.Figure()
    x, y, z = _sphere()
    fig.add_trace(go.Surface(x=x, y=y, z=z, showscale=False, opacity=0.5, hoverinfo="skip",
                             colorscale=[[0, "#9ec3e6"], [1, "#9ec3e6"]], name="Earth"))
    for label, name, r, pts, color, _ in drawn:
        fig.add_trace(go.Scatter3d(x=pts[:, 0], y=pts[:, 1], z=pts[:, 2], mode="lines", name=name,
                                   line={"color": color, "width": 4}))
        fig.add_trace(go.Scatter3d(x=[r[0]], y=[r[1]], z=[r[2]], mode="markers", showlegend=False,
                                   name=label, marker={"color": color, "size": 4}))
    frames = sorted({d[5] for d in drawn})
    axis = {"title": "", "showbackground": False}
    fig.update_layout(
        title=title, scene={"xaxis": {**axis, "title": f"x (km, {'/'.join(frames)})"},
                            "yaxis": {**axis, "title": "y (km)"},
                            "zaxis": {**axis, "title": "z (km)"},
                            "aspectmode": "data"},
        legend={"orientation": "h"}, margin={"l": 0, "r": 0, "t": 40 if title else 10, "b": 0},
    )
    return fig


def _matplotlib_view(drawn, title):
    from .style import new_figure

    fig, ax = new_figure(figsize=(7.0, 7.0))
    # project onto the first orbit's plane (its perifocal-like basis)
    first = drawn[0][3]
    p_hat = first[0] / np.linalg.norm(first[0])
    w_hat = np.cross(first[0], first[len(first) // 4])
    w_hat /= np.linalg.norm(w_hat)
    q_hat = np.cross(w_hat, p_hat)
    theta = np.linspace(0, 2 * np.pi, 200)
    ax.fill(_R_EARTH * np.cos(theta), _R_EARTH * np.sin(theta), color="#9ec3e6", alpha=0.6, lw=0)
    for label, name, r, pts, color, _ in drawn:
        ax.plot(pts @ p_hat, pts @ q_hat, color=color, label=name)
        ax.plot([r @ p_hat], [r @ q_hat], "o", color=color)
    ax.set_aspect("equal")
    ax.set_xlabel("km (in the first orbit's plane)")
    ax.set_ylabel("km")
    ax.legend(loc="upper right")
    if title:
        ax.set_title(title)
    return fig
