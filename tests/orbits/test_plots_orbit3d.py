"""The 3D view: Keplerian ellipses sampled through SGP4 states, drawn with Plotly (interactive)
or matplotlib (projection); no boinor propagation, so no numba compilation."""

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

from orbits.plots.orbit3d import orbit_view
from orbits.tle import load_tles


@pytest.fixture(scope="module")
def stations():
    tles = load_tles()
    return {"ISS": tles["ISS (ZARYA)"], "CSS": tles["CSS (TIANHE)"]}


def _inclination_of_trace(trace):
    """Inclination of the plane through a drawn orbit's points (normal from a least-squares fit)."""
    pts = np.column_stack([np.asarray(trace.x, float), np.asarray(trace.y, float), np.asarray(trace.z, float)])
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    _, _, vt = np.linalg.svd(pts - pts.mean(axis=0))
    n = vt[-1]
    return np.degrees(np.arccos(abs(n[2]) / np.linalg.norm(n)))


def test_interactive_view_draws_each_station_in_its_own_plane(stations):
    """The drawn orbits lie in planes at the TLEs' inclinations (line-2 columns: ISS 51.6381,
    CSS 41.4681 deg); osculating GCRS planes differ from TEME mean ones by well under 0.2 deg."""
    import plotly.graph_objects as go

    fig = orbit_view(stations, time=Time("2024-05-09T12:00"), agencies={"ISS": "International", "CSS": "CMSA"})
    assert isinstance(fig, go.Figure)
    lines = {t.name: t for t in fig.data if getattr(t, "mode", None) == "lines" and t.name}
    found = {}
    for name, trace in lines.items():
        for label, inc in (("ISS", 51.6381), ("CSS", 41.4681)):
            if name.endswith(f"({label})"):  # traces are named "epoch (label)"
                found[label] = (_inclination_of_trace(trace), inc)
    assert set(found) == {"ISS", "CSS"}
    for drawn, tle in found.values():
        assert drawn == pytest.approx(tle, abs=0.2)


def test_static_view_is_a_matplotlib_figure(stations):
    from matplotlib.figure import Figure

    fig = orbit_view(stations, interactive=False, title="ISS and CSS")
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title() == "ISS and CSS"


def test_bad_input():
    with pytest.raises(TypeError, match="orbits must be a non-empty mapping"):
        orbit_view([])
    with pytest.raises(TypeError, match=r"orbits\['x'\] must be a boinor Orbit"):
        orbit_view({"x": 42 * u.km})


def test_ellipse_through_a_periapsis_state():
    """At periapsis r = a(1 - e) with the vis-viva speed v = sqrt(k (1 + e) / (a (1 - e)))
    (Curtis, Orbital Mechanics for Engineering Students, eq. 2.61 and 2.83), the drawn
    ellipse reaches apoapsis a(1 + e) and keeps the plane of r and v."""
    from orbits.plots.orbit3d import ellipse_points

    k, a, e = 398600.4418, 8000.0, 0.2
    rp = a * (1 - e)
    vp = np.sqrt(k * (1 + e) / rp)
    pts = ellipse_points([rp, 0, 0], [0, vp * np.cos(0.3), vp * np.sin(0.3)], k=k)
    radius = np.linalg.norm(pts, axis=1)
    assert radius.min() == pytest.approx(a * (1 - e), rel=1e-12)
    assert radius.max() == pytest.approx(a * (1 + e), rel=1e-4)
    normal = np.cross([1, 0, 0], [0, np.cos(0.3), np.sin(0.3)])
    assert np.max(np.abs(pts @ normal)) < 1e-8
    with pytest.raises(ValueError, match="not on a closed orbit"):
        ellipse_points([7000.0, 0, 0], [0, 11.0, 0])  # above escape speed sqrt(2k/r) = 10.67 km/s
