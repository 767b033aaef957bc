"""Figures of orbits.plots.planes: they are Figures, carry units and a source, and show the data.

Expected geometry comes from astropy (geocentric latitude) and the TLE file
seeds/authorities/stations-2024-05-09.tle (inclination line values).
"""

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import EarthLocation
from matplotlib.figure import Figure
from numpy.testing import assert_allclose

from orbits.plots import planes as PP
from orbits.plots.style import agency_color
from orbits.precession import plane_alignments, plane_angle_history
from orbits.tle import load_tles


def _texts(fig):
    return [t.get_text() for t in fig.texts] + [
        t.get_text() for ax in fig.axes for t in ax.texts
    ]


def test_reachable_inclinations_figure():
    sites = {"Baikonur": 45.965 * u.deg, "Wenchang": 19.614 * u.deg}
    fig = PP.reachable_inclinations(
        sites,
        {"ISS": 51.6381 * u.deg, "CSS": 41.4681 * u.deg},  # TLE file inclinations
        corridors={"Baikonur": (51.6 * u.deg, 70 * u.deg)},
        agencies={"Baikonur": "Roscosmos", "Wenchang": "CNSA", "ISS": "international",
                  "CSS": "CMSA"},
    )
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "[deg]" in ax.get_xlabel() and "[deg]" in ax.get_ylabel()
    assert any(t.startswith("Source:") for t in _texts(fig))
    # station lines at the TLE inclinations
    hl = [ln.get_ydata()[0] for ln in ax.lines if list(ln.get_xdata()) == [0, 1]]
    assert_allclose(sorted(hl), [41.4681, 51.6381])
    # each site's band starts at its geocentric latitude (astropy reference)
    for name, lat in sites.items():
        loc = EarthLocation.from_geodetic(0 * u.deg, lat, 0 * u.m)
        ref = np.degrees(np.arctan2(loc.z.value, np.hypot(loc.x.value, loc.y.value)))
        pts = [ln for ln in ax.lines if ln.get_marker() == "o"
               and np.isclose(ln.get_xdata()[0], ref, atol=1e-9)]
        assert len(pts) == 1 and np.isclose(pts[0].get_ydata()[0], ref)
        assert pts[0].get_color() == agency_color("Roscosmos" if name == "Baikonur" else "CNSA")


def test_plane_history_figure():
    tles = load_tles()
    iss, css = tles["ISS (ZARYA)"], tles["CSS (TIANHE)"]
    times = iss.epoch + np.linspace(0, 365, 120) * u.day
    hist = plane_angle_history(iss, css, times)
    fig = PP.plane_history(hist, labels=("ISS", "CSS"), speed=7.67 * u.km / u.s,
                           alignments=plane_alignments(iss, css))
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    for ax in fig.axes:
        assert "[" in ax.get_ylabel()
    assert any(t.startswith("Source:") for t in _texts(fig))
    y = fig.axes[1].lines[0].get_ydata()
    assert_allclose(y, hist["plane_angle"].to_value(u.deg))
    # bounded by |i1 - i2| and i1 + i2 (TLE line values)
    assert y.min() >= 51.6381 - 41.4681 - 1e-9 and y.max() <= 51.6381 + 41.4681 + 1e-9


def test_bad_input():
    with pytest.raises(ValueError, match="sites"):
        PP.reachable_inclinations({})
    with pytest.raises(TypeError, match="sites"):
        PP.reachable_inclinations([45 * u.deg])
    with pytest.raises(TypeError, match=r"sites\['X'\]"):
        PP.reachable_inclinations({"X": 45.0})
    with pytest.raises(TypeError, match="plane_angle_history"):
        PP.plane_history({"time": []})
