"""Orbital-plane geometry and manoeuvre costs, with units.

Thin units layer over :mod:`orbits.core.planes`: Quantities in, Quantities out.

>>> from astropy import units as u
>>> import orbits
>>> orbits.plane_angle(51.64 * u.deg, 147.9 * u.deg, 41.47 * u.deg, 322.5 * u.deg).round(1)
<Quantity 93. deg>
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u

from ._validation import as_value
from .core import planes as _core
from .core.constants import GM_EARTH

__all__ = [
    "CombinedPlaneChange",
    "HohmannTransfer",
    "combined_plane_change",
    "hohmann",
    "node_change_dv",
    "plane_angle",
    "plane_change_dv",
]

_DEG = u.deg


def _angle(value, name, lo=None, hi=None):
    return as_value(value, u.rad, name, min=lo, max=hi)


def plane_angle(inc1, raan1, inc2, raan2):
    """Angle between two orbit planes.

    Parameters
    ----------
    inc1, raan1, inc2, raan2 : Quantity (angle)
        Inclinations in [0, 180] deg and right ascensions of the ascending node (any value).

    Returns
    -------
    Quantity, deg in [0, 180]
    """
    i1 = _angle(inc1, "inc1", 0.0, np.pi)
    o1 = _angle(raan1, "raan1", -4 * np.pi, 4 * np.pi)
    i2 = _angle(inc2, "inc2", 0.0, np.pi)
    o2 = _angle(raan2, "raan2", -4 * np.pi, 4 * np.pi)
    return (_core.plane_angle(i1, o1, i2, o2) * u.rad).to(_DEG)


def plane_change_dv(speed, angle, *, flight_path_angle=0 * u.deg):
    """Impulse that rotates the velocity through ``angle``: ``2 v cos(fpa) sin(angle/2)``.

    Parameters
    ----------
    speed : Quantity (speed), > 0
        Orbital speed at the burn.
    angle : Quantity (angle), in [0, 180] deg
        Plane angle to turn through.
    flight_path_angle : Quantity (angle), in (-90, 90) deg
        Flight-path angle at the burn (0 for circular orbits).

    Returns
    -------
    Quantity, km/s
    """
    v = as_value(speed, u.km / u.s, "speed", min=0.0, min_inclusive=False)
    a = _angle(angle, "angle", 0.0, np.pi)
    f = as_value(flight_path_angle, u.rad, "flight_path_angle", min=-np.pi / 2, max=np.pi / 2,
                 min_inclusive=False, max_inclusive=False)
    return _core.plane_change_dv(v, a, f) * (u.km / u.s)


def node_change_dv(speed, inc, delta_raan, *, inc_final=None, flight_path_angle=0 * u.deg):
    """Impulse to shift the node by ``delta_raan`` (optionally changing the inclination too).

    The burn is made where the initial and final planes intersect; it turns the velocity
    through the angle between them (Vallado 4th ed., Examples 6-5 node only and 6-6 combined).

    Returns
    -------
    dv : Quantity, km/s
    angle : Quantity, deg (the plane angle turned through)
    """
    v = as_value(speed, u.km / u.s, "speed", min=0.0, min_inclusive=False)
    i0 = _angle(inc, "inc", 0.0, np.pi)
    d_o = _angle(delta_raan, "delta_raan", -4 * np.pi, 4 * np.pi)
    i_f = None if inc_final is None else _angle(inc_final, "inc_final", 0.0, np.pi)
    f = as_value(flight_path_angle, u.rad, "flight_path_angle", min=-np.pi / 2, max=np.pi / 2,
                 min_inclusive=False, max_inclusive=False)
    dv, theta = _core.node_change_dv(v, i0, d_o, i_f, f)
    return dv * (u.km / u.s), (theta * u.rad).to(_DEG)


@dataclass(frozen=True)
class HohmannTransfer:
    """Result of :func:`hohmann`: the two burns and the time of flight."""

    dv1: u.Quantity
    dv2: u.Quantity
    tof: u.Quantity

    @property
    def total(self) -> u.Quantity:
        return self.dv1 + self.dv2


@dataclass(frozen=True)
class CombinedPlaneChange:
    """Result of :func:`combined_plane_change`."""

    dv1: u.Quantity
    dv2: u.Quantity
    di1: u.Quantity
    di2: u.Quantity
    tof: u.Quantity

    @property
    def total(self) -> u.Quantity:
        return self.dv1 + self.dv2


def _radii(r1, r2, mu):
    a = as_value(r1, u.km, "r1", min=0.0, min_inclusive=False)
    b = as_value(r2, u.km, "r2", min=0.0, min_inclusive=False)
    k = as_value(mu, u.km**3 / u.s**2, "mu", min=0.0, min_inclusive=False)
    return a, b, k


def hohmann(r1, r2, *, mu=GM_EARTH * u.km**3 / u.s**2) -> HohmannTransfer:
    """Hohmann transfer between circular coplanar orbits of radii ``r1`` and ``r2``.

    Returns a :class:`HohmannTransfer` with ``dv1``, ``dv2`` (km/s), ``tof`` (s) and ``total``.
    """
    a, b, k = _radii(r1, r2, mu)
    dv1, dv2, tof = _core.hohmann(a, b, k)
    return HohmannTransfer(dv1 * (u.km / u.s), dv2 * (u.km / u.s), tof * u.s)


def combined_plane_change(r1, r2, delta_i, *, mu=GM_EARTH * u.km**3 / u.s**2) -> CombinedPlaneChange:
    """Hohmann transfer from radius ``r1`` to ``r2`` with a plane change ``delta_i`` split
    between the two burns to minimise the total (Vallado 4th ed., Example 6-7).

    Returns a :class:`CombinedPlaneChange` with ``dv1``, ``dv2`` (km/s), the plane change done
    at each burn ``di1``, ``di2`` (deg), ``tof`` (s) and ``total``.
    """
    a, b, k = _radii(r1, r2, mu)
    di = _angle(delta_i, "delta_i", 0.0, np.pi)
    dv1, dv2, di1, di2, tof = _core.combined_plane_change(a, b, di, k)
    kms = u.km / u.s
    return CombinedPlaneChange(dv1 * kms, dv2 * kms, (di1 * u.rad).to(_DEG),
                               (di2 * u.rad).to(_DEG), tof * u.s)
