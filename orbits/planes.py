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
from .errors import ArgumentError
from .results import Result, quantity

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


def check_broadcast(**arrays) -> tuple[int, ...]:
    """Return the broadcast shape of the named arrays.

    Otherwise raise an :class:`~orbits.errors.ArgumentError` naming every argument and its shape
    (instead of numpy's anonymous broadcast error).
    """
    shapes = {name: np.shape(a) for name, a in arrays.items() if a is not None}
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        listed = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ArgumentError(f"argument shapes cannot be broadcast together: {listed} (each "
                            "axis must match or be 1)") from None


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
    check_broadcast(inc1=i1, raan1=o1, inc2=i2, raan2=o2)
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
    check_broadcast(speed=v, angle=a, flight_path_angle=f)
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
    check_broadcast(speed=v, inc=i0, delta_raan=d_o, inc_final=i_f, flight_path_angle=f)
    dv, theta = _core.node_change_dv(v, i0, d_o, i_f, f)
    return dv * (u.km / u.s), (theta * u.rad).to(_DEG)


_KM3_S2 = u.km**3 / u.s**2


def _dv(x):
    return "" if np.ndim(x) else f"{float(x):.3f} km/s"


@dataclass(frozen=True, repr=False)
class HohmannTransfer(Result):
    """Result of :func:`hohmann`: the two burns, their sum and the time of flight.

    Arrays when the radii are.
    """

    dv1: u.Quantity = quantity("first burn Δv", "km/s", fmt=".3f")
    dv2: u.Quantity = quantity("second burn Δv", "km/s", fmt=".3f")
    total: u.Quantity = quantity("total Δv", "km/s", fmt=".3f")
    tof: u.Quantity = quantity("time of flight", "h", fmt=".3f")

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if np.ndim(self.total.value):
            return f"{np.size(self.total.value)} transfers"
        return f"{_dv(self.total.to_value(u.km / u.s))} in {self.tof.to_value(u.h):.2f} h"


@dataclass(frozen=True, repr=False)
class CombinedPlaneChange(Result):
    """Result of :func:`combined_plane_change`.

    Hohmann burns with the plane change split between them (``di1`` at the first, ``di2`` at the
    second) to minimise the total.
    """

    dv1: u.Quantity = quantity("first burn Δv", "km/s", fmt=".3f")
    dv2: u.Quantity = quantity("second burn Δv", "km/s", fmt=".3f")
    total: u.Quantity = quantity("total Δv", "km/s", fmt=".3f")
    di1: u.Quantity = quantity("plane change at the first burn", "deg", fmt=".2f")
    di2: u.Quantity = quantity("plane change at the second burn", "deg", fmt=".2f")
    tof: u.Quantity = quantity("time of flight", "h", fmt=".3f")

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if np.ndim(self.total.value):
            return f"{np.size(self.total.value)} transfers"
        return (f"{_dv(self.total.to_value(u.km / u.s))}, plane change split "
                f"{self.di1.to_value(u.deg):.2f}° + {self.di2.to_value(u.deg):.2f}°")


def _radii(r1, r2, k):
    a = as_value(r1, u.km, "r1", min=0.0, min_inclusive=False)
    b = as_value(r2, u.km, "r2", min=0.0, min_inclusive=False)
    gm = as_value(k, _KM3_S2, "k", min=0.0, min_inclusive=False)
    if np.ndim(gm):
        raise ArgumentError(f"k must be a scalar gravitational parameter, got shape {np.shape(gm)}")
    return a, b, gm


def hohmann(r1, r2, *, k=GM_EARTH * _KM3_S2) -> HohmannTransfer:
    """Hohmann transfer between circular coplanar orbits of radii ``r1`` and ``r2``.

    Parameters
    ----------
    r1, r2 : Quantity (length), > 0, broadcast together
    k : Quantity, gravitational parameter of the attractor (default Earth's)

    Returns
    -------
    HohmannTransfer
        ``dv1``, ``dv2``, ``total`` (km/s) and ``tof`` (s).
    """
    a, b, gm = _radii(r1, r2, k)
    check_broadcast(r1=a, r2=b)
    dv1, dv2, tof = _core.hohmann(a, b, gm)
    kms = u.km / u.s
    return HohmannTransfer(dv1=dv1 * kms, dv2=dv2 * kms, total=(dv1 + dv2) * kms,
                           tof=tof * u.s, notes=("two tangential impulses, circular orbits",))


def combined_plane_change(r1, r2, delta_i, *, k=GM_EARTH * _KM3_S2) -> CombinedPlaneChange:
    """Compute a Hohmann transfer with a plane change split between the two burns.

    From radius ``r1`` to ``r2`` with a plane change ``delta_i`` split to minimise the total
    (Vallado 4th ed., Example 6-7).

    Returns a :class:`CombinedPlaneChange` with ``dv1``, ``dv2``, ``total`` (km/s), the plane
    change done at each burn ``di1``, ``di2`` (deg) and ``tof`` (s).
    """
    a, b, gm = _radii(r1, r2, k)
    di = _angle(delta_i, "delta_i", 0.0, np.pi)
    check_broadcast(r1=a, r2=b, delta_i=di)
    dv1, dv2, di1, di2, tof = _core.combined_plane_change(a, b, di, gm)
    kms = u.km / u.s
    return CombinedPlaneChange(dv1=dv1 * kms, dv2=dv2 * kms, total=(dv1 + dv2) * kms,
                               di1=(di1 * u.rad).to(_DEG), di2=(di2 * u.rad).to(_DEG),
                               tof=tof * u.s,
                               notes=(("Hohmann transfer with the plane change split between "
                                      "the burns to minimise the total (Vallado Example 6-7)"),))
