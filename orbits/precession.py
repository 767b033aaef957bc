"""J2 precession of orbit planes, with units: node and periapsis drift, plane alignments.

The rates are the first-order secular J2 rates of :func:`orbits.core.j2.j2_secular_rates`
(Vallado 4th ed., eq. 9-41; Curtis eqs. 4.52-4.53). Two orbits at different inclinations or
heights precess at different rates, so the angle between their planes varies between
``|i1 - i2|`` (nodes aligned) and ``i1 + i2`` (nodes 180 deg apart) with the synodic period of
the two nodes.

Orbits passed to :func:`relative_node_drift`, :func:`plane_alignments` and
:func:`plane_angle_history` may be any object with Quantity attributes ``a``, ``ecc``, ``inc``
(and ``raan`` and a ``Time`` ``epoch`` where the node's position matters): a
:class:`orbits.tle.TLE`, a boinor ``Orbit``, or a mapping with those keys.

>>> from astropy import units as u
>>> from orbits import nodal_precession_rate
>>> nodal_precession_rate(altitude=420 * u.km, inc=51.64 * u.deg).round(2)
<Quantity -4.95 deg / d>
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from ._validation import as_time, as_value
from .bodies import Earth
from .bodies import body as _as_body
from .core import planes as _planes
from .core.j2 import j2_j4_secular_rates, j2_secular_rates
from .errors import ArgumentError, ArgumentTypeError
from .planes import check_broadcast
from .results import Result, TableResult, column, quantity, value

__all__ = [
    "PlaneAlignments",
    "PlaneAngleHistory",
    "apsidal_precession_rate",
    "nodal_precession_rate",
    "plane_alignments",
    "plane_angle_history",
    "relative_node_drift",
]

_RATE = u.deg / u.day


def _body(attractor):
    """(Body, GM km^3/s^2, radius of the J2 coefficient km, J2, mean surface radius km)."""
    b = _as_body(attractor, "attractor")
    rj = (b.R_gravity if b.R_gravity is not None else b.R).to_value(u.km)
    return b, b.k.to_value(u.km**3 / u.s**2), rj, b.J2, b.R_mean.to_value(u.km)


def _sma(a, altitude, ecc, attractor):
    b, gm, rj, j2, rs = _body(attractor)
    if (a is None) == (altitude is None):
        raise ArgumentError("give exactly one of a (semi-major axis) or altitude (circular orbit "
                            "height above the mean surface)")
    if a is not None:
        a_km = as_value(a, u.km, "a", min=rs, min_inclusive=False)
    else:
        a_km = rs + as_value(altitude, u.km, "altitude", min=0.0)
    e = as_value(ecc, u.one, "ecc", min=0.0, max=1.0, max_inclusive=False)
    peri = np.asarray(a_km) * (1.0 - np.asarray(e))
    if np.any(peri <= rs):
        raise ArgumentError(f"periapsis a (1 - ecc) must be above the {b.name} surface "
                            f"({rs} km), got {np.min(peri):.1f} km")
    return a_km, e, b, gm, rj, j2


def _secular(a_km, e, i, b, gm, rj, j2, second_order):
    """First-order J2 rates, or with ``second_order`` the J2^2 + J4 (SGP4) secular model."""
    check_broadcast(a=a_km, ecc=e, inc=i)
    if not second_order:
        return j2_secular_rates(a_km, e, i, k=gm, R=rj, J2=j2)
    if b is not Earth:
        raise ArgumentError(f"second_order=True is available for attractor Earth only, got "
                            f"attractor {b.name}")
    return j2_j4_secular_rates(a_km, e, i, k=gm, R=rj, J2=j2)


def _rates(a=None, ecc=0 * u.one, inc=None, *, altitude=None, attractor=Earth,
           second_order=False):
    a_km, e, b, gm, rj, j2 = _sma(a, altitude, ecc, attractor)
    if inc is None:
        raise ArgumentTypeError("inc (inclination) is required, e.g. inc=51.6 * u.deg")
    i = as_value(inc, u.rad, "inc", min=0.0, max=np.pi)
    return _secular(a_km, e, i, b, gm, rj, j2, second_order)


def nodal_precession_rate(
    a=None, ecc=0 * u.one, inc=None, *, altitude=None, attractor=Earth, second_order=False
):
    """Secular drift of the ascending node caused by the attractor's J2.

    Parameters
    ----------
    a : Quantity (length), optional
        Semi-major axis. Or give ``altitude`` (circular orbit above the mean surface).
    ecc : Quantity (dimensionless), [0, 1)
    inc : Quantity (angle), [0, 180] deg
    attractor : orbits.bodies.Earth or Moon (or "Earth", "Moon"); default Earth
    second_order : bool
        Add the J2-squared and J4 secular terms (the SGP4 model, Earth only); for orbits from
        TLEs this reproduces SGP4's own node rate. Default: first-order J2 (the textbook rate).

    Returns
    -------
    Quantity, deg/day (negative: westward regression for prograde orbits)
    """
    rates = _rates(a, ecc, inc, altitude=altitude, attractor=attractor,
                   second_order=second_order)
    return (rates[0] * (u.rad / u.s)).to(_RATE)


def apsidal_precession_rate(
    a=None, ecc=0 * u.one, inc=None, *, altitude=None, attractor=Earth, second_order=False
):
    """Secular drift of the argument of periapsis caused by the attractor's J2 (deg/day).

    Zero at the critical inclinations 63.43 and 116.57 deg. Same parameters as
    :func:`nodal_precession_rate`.
    """
    rates = _rates(a, ecc, inc, altitude=altitude, attractor=attractor,
                   second_order=second_order)
    return (rates[1] * (u.rad / u.s)).to(_RATE)


def _get(orbit, key, name):
    if isinstance(orbit, dict):
        if key in orbit:
            return orbit[key]
    elif hasattr(orbit, key):
        return getattr(orbit, key)
    raise ArgumentTypeError(
        f"{name} must have {key!r} (an orbit with Quantity attributes a, ecc, inc, raan and a "
        f"Time epoch, such as orbits.tle.TLE or a boinor Orbit), got {type(orbit).__name__}"
    )


def _orbit_elements(orbit, name, attractor, need_node=False, second_order=False):
    a = _get(orbit, "a", name)
    ecc = _get(orbit, "ecc", name)
    inc = _get(orbit, "inc", name)
    a_km, e, b, gm, rj, j2 = _sma(a, None, u.Quantity(ecc, u.one), attractor)
    i = as_value(inc, u.rad, f"{name}.inc", min=0.0, max=np.pi)
    for key, val in (("a", a_km), ("ecc", e), ("inc", i)):
        if np.ndim(val):
            raise ArgumentError(f"{name}.{key} must be a scalar (one orbit), got shape "
                                f"{np.shape(val)}")
    rate = _secular(a_km, e, i, b, gm, rj, j2, second_order)[0]
    if not need_node:
        return i, rate, None, None
    raan = as_value(_get(orbit, "raan", name), u.rad, f"{name}.raan", min=-4 * np.pi,
                    max=4 * np.pi)
    epoch = as_time(_get(orbit, "epoch", name), f"{name}.epoch")
    if np.ndim(raan) or not epoch.isscalar:
        raise ArgumentError(f"{name}.raan and {name}.epoch must be scalars (one orbit), got "
                            f"shapes {np.shape(raan)} and {epoch.shape}")
    return i, rate, raan, epoch


def relative_node_drift(orbit1, orbit2, *, attractor=Earth, second_order=False):
    """Rate at which the node of ``orbit1`` moves relative to that of ``orbit2`` (deg/day).

    ``dOmega1/dt - dOmega2/dt`` from the attractor's J2; its inverse gives the synodic period
    of the nodes. ``attractor``: orbits.bodies.Earth (default) or Moon, or their names.
    """
    _, r1, _, _ = _orbit_elements(orbit1, "orbit1", attractor, second_order=second_order)
    _, r2, _, _ = _orbit_elements(orbit2, "orbit2", attractor, second_order=second_order)
    return ((r1 - r2) * (u.rad / u.s)).to(_RATE)


def _model(second_order, attractor=Earth):
    name = _as_body(attractor).name
    return (f"secular node drift from each orbit's epoch: {name}'s J2, J2^2 and J4 (SGP4's "
            "model)" if second_order else f"secular node drift from each orbit's epoch: "
            f"first-order {name} J2")


@dataclass(frozen=True, repr=False)
class PlaneAlignments(Result):
    """Result of :func:`plane_alignments`.

    ``aligned``: times when the nodes coincide (plane angle minimum, ``min_angle = |i1 - i2|``);
    ``opposed``: nodes 180 deg apart (maximum, ``max_angle``); ``synodic_period``: time
    between two alignments; ``relative_rate``: node drift of orbit1 relative to orbit2.
    """

    relative_rate: u.Quantity = quantity("relative node drift", "deg/d", fmt=".4f")
    synodic_period: u.Quantity = quantity("node cycle", "d", fmt=".1f")
    aligned: Time = value("nodes aligned", fmt="minute")
    opposed: Time = value("nodes opposed", fmt="minute")
    min_angle: u.Quantity = quantity("smallest plane angle", "deg", fmt=".2f")
    max_angle: u.Quantity = quantity("largest plane angle", "deg", fmt=".2f")

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        nxt = self.aligned[0].utc.isot[:16].replace("T", " ") if len(self.aligned) else ""
        return (f"{self.min_angle.to_value(u.deg):.2f}°–{self.max_angle.to_value(u.deg):.2f}°, "
                f"cycle {self.synodic_period.to_value(u.day):.1f} d, next alignment {nxt} UTC")


def _nodes_at(t: Time, raan, rate, epoch: Time):
    dt = (t - epoch).to_value(u.s)
    return raan + rate * dt


def plane_alignments(
    orbit1, orbit2, *, start=None, count=3, attractor=Earth, second_order=False
) -> PlaneAlignments:
    """Next times the nodes of two precessing orbits align (ΔΩ = 0) and oppose (ΔΩ = 180°).

    Parameters
    ----------
    orbit1, orbit2 : orbits with ``a, ecc, inc, raan, epoch`` (see module notes)
    start : Time, optional (default: the later of the two epochs)
    count : int in [1, 10000], how many of each event to list
    attractor : orbits.bodies.Earth (default) or Moon, or their names
    second_order : bool, add the J2^2 and J4 node terms (see :func:`nodal_precession_rate`)

    Raises :class:`~orbits.errors.ArgumentError` if the nodes drift at the same rate (no
    synodic period: the plane angle never changes).
    """
    if (isinstance(count, bool) or not isinstance(count, (int, np.integer))
            or not 1 <= count <= 10000):
        raise ArgumentError(f"count must be an integer in [1, 10000], got {count!r}")
    i1, r1, o1, e1 = _orbit_elements(orbit1, "orbit1", attractor, True, second_order)
    i2, r2, o2, e2 = _orbit_elements(orbit2, "orbit2", attractor, True, second_order)
    start = as_time(start, "start") if start is not None else (max(e2, e1))
    if not start.isscalar:
        raise ArgumentError(f"start must be a single time, got shape {start.shape}")
    rel = r1 - r2  # rad/s
    if abs(rel) < 1e-15:
        raise ArgumentError(
            "the two nodes drift at the same rate: their relative position never "
            "changes, so there is no synodic period (the plane angle is constant)"
        )
    d0 = np.mod(_nodes_at(start, o1, r1, e1) - _nodes_at(start, o2, r2, e2), 2 * np.pi)
    syn = 2 * np.pi / abs(rel)
    k = np.arange(count)
    # time until d(t) = d0 + rel t reaches target (mod 2 pi), smallest t >= 0
    t_align = np.mod((0.0 - d0) / rel, syn) + k * syn
    t_opp = np.mod((np.pi - d0) / rel, syn) + k * syn
    lo = abs(i1 - i2)
    hi = _planes.plane_angle(i1, 0.0, i2, np.pi)
    return PlaneAlignments(
        relative_rate=(rel * (u.rad / u.s)).to(_RATE),
        synodic_period=(syn * u.s).to(u.day),
        aligned=start + t_align * u.s,
        opposed=start + t_opp * u.s,
        min_angle=(lo * u.rad).to(u.deg),
        max_angle=(float(hi) * u.rad).to(u.deg),
        notes=(_model(second_order, attractor),),
    )


@dataclass(frozen=True, repr=False)
class PlaneAngleHistory(TableResult):
    """Result of :func:`plane_angle_history`.

    Both nodes, their difference and the angle between the planes at each time.
    """

    time: Time = column("time", fmt="minute")
    raan1: u.Quantity = column("node of orbit 1", "deg", fmt=".2f")
    raan2: u.Quantity = column("node of orbit 2", "deg", fmt=".2f")
    delta_raan: u.Quantity = column("node difference", "deg", fmt=".2f")
    plane_angle: u.Quantity = column("plane angle", "deg", fmt=".2f")
    second_order: bool = value("J2^2 and J4 terms", default=False)

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if not len(self):
            return "0 times"
        ang = self.plane_angle.to_value(u.deg)
        return (
            f"{len(self)} times from {self.time[0].utc.isot[:10]} to "
            f"{self.time[-1].utc.isot[:10]}, plane angle {ang.min():.2f}°–{ang.max():.2f}°"
        )


def plane_angle_history(
    orbit1, orbit2, times, *, attractor=Earth, second_order=False
) -> PlaneAngleHistory:
    """Node difference and plane angle of two precessing orbits over ``times``.

    Parameters
    ----------
    orbit1, orbit2 : orbits with ``a, ecc, inc, raan, epoch``
    times : Time array (any shape flattened to 1-D; at least one time)
    attractor : orbits.bodies.Earth (default) or Moon, or their names

    Returns
    -------
    PlaneAngleHistory
        Columns ``time``, ``raan1``, ``raan2`` (deg, [0, 360)), ``delta_raan``
        (deg, (-180, 180]) and ``plane_angle`` (deg); ``history["plane_angle"]`` gives one.
    """
    times = as_time(times, "times")
    times = times.reshape(-1) if times.ndim else times.reshape(1)
    if times.size == 0:
        raise ArgumentError("times must hold at least one time, got an empty Time array")
    i1, r1, o1, e1 = _orbit_elements(orbit1, "orbit1", attractor, True, second_order)
    i2, r2, o2, e2 = _orbit_elements(orbit2, "orbit2", attractor, True, second_order)
    n1 = np.mod(_nodes_at(times, o1, r1, e1), 2 * np.pi)
    n2 = np.mod(_nodes_at(times, o2, r2, e2), 2 * np.pi)
    d = -(np.mod(-(n1 - n2) + np.pi, 2 * np.pi) - np.pi)  # wrap to (-pi, pi]
    ang = _planes.plane_angle(i1, n1, i2, n2)
    deg = u.rad.to(u.deg)
    return PlaneAngleHistory(
        time=times,
        raan1=n1 * deg * u.deg,
        raan2=n2 * deg * u.deg,
        delta_raan=d * deg * u.deg,
        plane_angle=ang * deg * u.deg,
        second_order=bool(second_order),
        notes=(_model(second_order, attractor),),
    )
