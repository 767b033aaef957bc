"""Lunar-orbit rendezvous: plane drift over a stay and in-plane ascent times."""

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

from orbits.core.constants import GM_MOON, R_MOON
from orbits.errors import ArgumentError
from orbits.lunar import lunar_node_drift, lunar_rendezvous

SIDEREAL_MONTH_D = 27.321661  # Curtis, Table A.1
LANDING = Time("2030-06-01T00:00", scale="tdb")  # a planning epoch, not a published date


def test_polar_orbit_site_leaves_and_returns_to_the_plane():
    # Polar orbit: no J2 node drift, the Earth's adds ~0.003 deg/d; the site comes back under
    # the plane every half turn of the Moon under it, 2 pi / (w_moon - node_rate) / 2.
    lat = -45.0
    r = lunar_rendezvous(lat * u.deg, 20 * u.deg, altitude=100 * u.km, inclination=90 * u.deg,
                         landing=LANDING, stay=3 * u.day, site="test site")
    rate = lunar_node_drift(100 * u.km, 90 * u.deg, epoch=LANDING).node_rate
    w = 360 / SIDEREAL_MONTH_D - rate.to_value(u.deg / u.day)
    assert r.after_landing[0].to_value(u.day) == pytest.approx(180 / w, rel=1e-9)
    # hand formula, i = 90 deg: sin b = -cos(lat) sin(w t) with psi0 = 0 at landing
    b = np.degrees(np.arcsin(np.cos(np.radians(lat)) * np.sin(np.radians(w * 3.0))))
    assert r.angle_at_end.to_value(u.deg) == pytest.approx(abs(b), rel=1e-9)
    v = np.sqrt(GM_MOON / (R_MOON + 100.0))
    assert r.dv_at_end.to_value(u.km / u.s) == pytest.approx(2 * v * np.sin(np.radians(b) / 2),
                                                             rel=1e-9)
    assert r.wait.to_value(u.day) == pytest.approx(180 / w - 3.0, rel=1e-9)
    assert abs(r.c22_swing.to_value(u.deg)) < 1e-12
    assert "out of plane" in repr(r)


def test_short_stay_costs_little_and_inclined_orbits_drift():
    # a 6 h stay near the equator under a 30 deg plane: the Moon turns 3.3 deg under it
    r = lunar_rendezvous(5 * u.deg, 0 * u.deg, altitude=100 * u.km, inclination=30 * u.deg,
                         landing=LANDING, stay=6 * u.h)
    assert 0 < r.angle_at_end.to_value(u.deg) < 13.18 * 0.25 + 0.1  # 13.18 deg/d x 0.25 d
    # J2 node drift of a 30 deg, 100 km orbit (Vallado eq. 9-41) over the stay
    a = R_MOON + 100.0
    n = np.sqrt(GM_MOON / a**3)
    j2 = -1.5 * n * 2.0321568e-4 * (1738.0 / a) ** 2 * np.cos(np.radians(30))
    assert r.node_drift.to_value(u.rad) == pytest.approx(j2 * 6 * 3600, rel=0.05)
    assert len(r) >= 2 and set(r.kind) <= {"ascending", "descending"}


def test_bad_input():
    with pytest.raises(ArgumentError, match="never passes over the site"):
        lunar_rendezvous(-88.8 * u.deg, 0 * u.deg, altitude=100 * u.km,
                         inclination=62.4 * u.deg, landing=LANDING, stay=1 * u.day)
    with pytest.raises(ArgumentError, match="no coordinates"):
        lunar_rendezvous(None, 0 * u.deg, altitude=100 * u.km, inclination=90 * u.deg,
                         landing=LANDING, stay=1 * u.day)
    with pytest.raises(ArgumentError, match="landing_half"):
        lunar_rendezvous(0 * u.deg, 0 * u.deg, altitude=100 * u.km, inclination=90 * u.deg,
                         landing=LANDING, stay=1 * u.day, landing_half="north")
