# ruff: noqa: RUF009  (Result fields are declared with quantity()/value()/column())
"""From the in-plane instant to the launch time: ascent lead and phasing drift, with units.

:func:`orbits.launch_windows` gives the instants at which a site lies in a target orbit plane.
Rockets do not lift off at that instant, for two reasons modelled here.

**Ascent lead.** At lift-off the vehicle carries the site's inertial velocity. At the in-plane
instant its component normal to the target plane is ``v_n = v_rot |cos az|`` (``v_rot``: the
ground's eastward speed, ``az``: the inertial azimuth of the plane over the site); the site
moves through the plane at that speed. The ascent must cancel ``v_n`` and end in the plane.
With the normal velocity cancelled at a constant rate over the ascent of duration ``T``, and
gravity's pull back towards the plane (a harmonic term of angular frequency
``n = sqrt(GM / r^3)``), the out-of-plane motion ``y'' = -n^2 y - a`` ends at ``y = y' = 0``
only if the vehicle lifts off when the site is ``v_n tan(nT/2) / n`` before the plane, i.e.
a time

    lead = tan(n T / 2) / n        (-> T / 2 for n T << 1)

before the in-plane instant, whatever ``v_n``. ``r`` is the mean radius of the ascent
(surface radius plus half the insertion altitude).

**Phasing drift.** A chaser in a lower orbit precesses faster than the station (J2 rate
``~ a^-3.5 cos i``, :func:`orbits.nodal_precession_rate`). Over a phasing time ``D`` at
altitude ``h_c`` its node falls behind by ``dOmega = (rate(h_c) - rate(h_t)) D`` (negative),
so it must be inserted into a plane whose node is ``-dOmega`` east of the station's, which
the site reaches ``-dOmega / (omega_E - rate_t)`` later:

    shift = -(rate_c - rate_t) D / (omega_E - rate_t)     (> 0: launch later)

The launch time is ``in_plane_time - lead + shift``.

>>> from astropy import units as u
>>> from orbits.ascent import ascent_lead
>>> round(float(ascent_lead(529 * u.s).lead.to_value(u.s)))   # Soyuz-2.1a
274
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from ._validation import as_time, as_value
from .core import sites as _sites
from .core.constants import GM_EARTH, OMEGA_EARTH, R_EARTH
from .errors import ArgumentError
from .results import Result, TableResult, column, quantity

__all__ = [
    "AscentLead",
    "LaunchTime",
    "PhasingShift",
    "ascent_lead",
    "launch_time",
    "out_of_plane_speed",
    "phasing_shift",
]

_HALF_PI = np.pi / 2
#: Earth's rotation rate in deg/day (sidereal).
_OMEGA_DEG_DAY = np.degrees(OMEGA_EARTH) * 86400.0


def out_of_plane_speed(latitude, inclination, *, geodetic=True):
    """Speed at which a site crosses a target plane at the in-plane instant.

    ``v_rot |cos az|``: the component of the ground's eastward velocity normal to the plane,
    with ``az`` the inertial azimuth of the plane over the site (``sin az = cos i / cos lat``,
    geocentric latitude). It is the velocity the ascent must cancel.

    Parameters
    ----------
    latitude : Quantity (angle), geodetic unless ``geodetic=False``
    inclination : Quantity (angle), in [|lat_gc|, 180 - |lat_gc|]

    Returns
    -------
    Quantity, km/s (same for the ascending and descending pass)
    """
    lat = as_value(latitude, u.rad, "latitude", min=-_HALF_PI, max=_HALF_PI)
    inc = as_value(inclination, u.rad, "inclination", min=0.0, max=np.pi)
    lat_gc = _sites.geodetic_to_geocentric(lat) if geodetic else lat
    lat_gd = lat if geodetic else _sites.geocentric_to_geodetic(lat)
    lat_abs = np.abs(lat_gc)
    if np.any((lat_abs > inc + 1e-12) | (lat_abs > np.pi - inc + 1e-12)):
        raise ArgumentError(
            f"inclination {np.degrees(np.max(inc)):.4g} deg is not reachable by a direct ascent "
            f"from latitude {np.degrees(np.max(lat_abs)):.4g} deg (geocentric): inclination "
            "must be in [|lat|, 180 deg - |lat|]")
    az_a, _ = _sites.inertial_azimuth(lat_gc, inc)
    return np.abs(np.cos(az_a)) * _sites.rotation_speed(lat_gd) * (u.km / u.s)


@dataclass(frozen=True, repr=False)
class AscentLead(Result):
    """How long before the in-plane instant a vehicle lifts off (:func:`ascent_lead`)."""

    ascent_duration: u.Quantity = quantity("ascent duration", "s", fmt=".1f")
    lead: u.Quantity = quantity("launch lead", "s", fmt=".1f")
    lead_small_angle: u.Quantity = quantity("lead without gravity (T/2)", "s", fmt=".1f")
    out_of_plane_speed: u.Quantity | None = quantity("out-of-plane speed cancelled", "km/s",
                                                     fmt=".4f", default=None)

    title = "Ascent lead"

    def summary(self) -> str:
        """Return the lead and the ascent duration (the first ones, for arrays)."""
        lead = np.atleast_1d(self.lead.to_value(u.s))
        duration = np.atleast_1d(self.ascent_duration.to_value(u.s))
        return f"lead {lead[0]:.1f} s for a {duration[0]:.0f} s ascent"


def ascent_lead(ascent_duration, *, insertion_altitude=200 * u.km, latitude=None,
                inclination=None, geodetic=True) -> AscentLead:
    """Time by which lift-off leads the in-plane instant for an ascent of ``ascent_duration``.

    ``lead = tan(n T / 2) / n`` with ``n = sqrt(GM / r^3)``, ``r = R + insertion_altitude / 2``
    (module docstring). Give ``latitude`` and ``inclination`` to also get the out-of-plane
    speed the ascent cancels (the lead does not depend on it).

    Parameters
    ----------
    ascent_duration : Quantity (time), lift-off to orbit insertion, in [0, 3600] s (arrays ok)
    insertion_altitude : Quantity (length), in [0, 2000] km
    latitude, inclination : Quantity (angle), optional

    Returns
    -------
    AscentLead
    """
    t = as_value(ascent_duration, u.s, "ascent_duration", min=0.0, max=3600.0)
    h = as_value(insertion_altitude, u.km, "insertion_altitude", min=0.0, max=2000.0)
    r = R_EARTH + 0.5 * h
    n = np.sqrt(GM_EARTH / r**3)
    lead = np.tan(0.5 * n * np.asarray(t)) / n
    vn = None
    if (latitude is None) != (inclination is None):
        raise ArgumentError("give both latitude and inclination (for the out-of-plane speed), "
                            "or neither")
    if latitude is not None:
        vn = out_of_plane_speed(latitude, inclination, geodetic=geodetic)
    return AscentLead(
        ascent_duration=np.asarray(t) * u.s,
        lead=lead * u.s,
        lead_small_angle=0.5 * np.asarray(t) * u.s,
        out_of_plane_speed=vn,
        notes=(("normal velocity cancelled at a constant rate during the ascent; gravity's "
                "restoring pull towards the plane included (harmonic, mean ascent radius)"),),
    )


@dataclass(frozen=True, repr=False)
class PhasingShift(Result):
    """Node offset a chaser accumulates while phasing, and the launch-time shift it implies."""

    phasing_duration: u.Quantity = quantity("phasing duration", "h", fmt=".2f")
    phasing_altitude: u.Quantity = quantity("phasing altitude", "km", fmt=".1f")
    target_altitude: u.Quantity = quantity("target altitude", "km", fmt=".1f")
    chaser_node_rate: u.Quantity = quantity("chaser node rate", "deg/day", fmt=".4f")
    target_node_rate: u.Quantity = quantity("target node rate", "deg/day", fmt=".4f")
    node_offset: u.Quantity = quantity("node offset accumulated", "deg", fmt=".4f")
    time_shift: u.Quantity = quantity("launch-time shift", "s", fmt=".1f")

    title = "Phasing drift"

    def summary(self) -> str:
        """Return the node offset, the phasing duration and the launch-time shift."""
        s = np.atleast_1d(self.time_shift.to_value(u.s))[0]
        return (f"node {np.atleast_1d(self.node_offset.to_value(u.deg))[0]:+.3f} deg over "
                f"{np.atleast_1d(self.phasing_duration.to_value(u.h))[0]:.1f} h: launch {s:+.1f} s")


def phasing_shift(inclination, *, target_altitude, phasing_altitude, phasing_duration,
                  target_ecc=0 * u.one, second_order=True) -> PhasingShift:
    """Launch-time shift that makes a chaser's node meet the target's after phasing.

    Parameters
    ----------
    inclination : Quantity (angle), of the target (the chaser is inserted at the same)
    target_altitude : Quantity (length), target mean altitude (``a - R``)
    phasing_altitude : Quantity (length), the chaser's mean altitude while phasing (circular)
    phasing_duration : Quantity (time), in [0, 30] days
    target_ecc : Quantity (dimensionless)
    second_order : bool, J2^2 + J4 terms (SGP4's secular model) in the node rates

    Returns
    -------
    PhasingShift
        ``node_offset = (rate_c - rate_t) D`` (negative when the chaser is lower) and
        ``time_shift = -node_offset / (omega_E - rate_t)`` (positive: launch later).
    """
    from .precession import nodal_precession_rate

    d = as_value(phasing_duration, u.day, "phasing_duration", min=0.0, max=30.0)
    ht = as_value(target_altitude, u.km, "target_altitude", min=100.0, max=3000.0)
    hc = as_value(phasing_altitude, u.km, "phasing_altitude", min=100.0, max=3000.0)
    inc = inclination
    rate_t = nodal_precession_rate((R_EARTH + ht) * u.km, target_ecc, inc,
                                   second_order=second_order).to_value(u.deg / u.day)
    rate_c = nodal_precession_rate((R_EARTH + hc) * u.km, 0 * u.one, inc,
                                   second_order=second_order).to_value(u.deg / u.day)
    offset = (np.asarray(rate_c) - rate_t) * np.asarray(d)
    shift_days = -offset / (_OMEGA_DEG_DAY - rate_t)
    return PhasingShift(
        phasing_duration=(np.asarray(d) * u.day).to(u.h),
        phasing_altitude=np.asarray(hc) * u.km,
        target_altitude=np.asarray(ht) * u.km,
        chaser_node_rate=rate_c * (u.deg / u.day),
        target_node_rate=rate_t * (u.deg / u.day),
        node_offset=offset * u.deg,
        time_shift=(shift_days * u.day).to(u.s),
        notes=(("J2 node rates (orbits.nodal_precession_rate); the chaser is held at the "
                "phasing altitude for the whole phasing duration"),),
    )


@dataclass(frozen=True, repr=False)
class LaunchTime(TableResult):
    """Predicted launch times from in-plane instants (:func:`launch_time`)."""

    time: Time = column("in plane", fmt="second")
    launch_time: Time = column("launch", fmt="second")
    lead: u.Quantity = quantity("ascent lead", "s", fmt=".1f")
    phasing: u.Quantity = quantity("phasing shift", "s", fmt=".1f")
    bias: u.Quantity = quantity("timing bias", "s", fmt=".1f")
    offset: u.Quantity = quantity("launch minus in-plane", "s", fmt=".1f")

    title = "Launch times"

    def summary(self) -> str:
        """Return the number of launch times and their offset from the in-plane instant."""
        return (f"{len(self)} launch times, {float(self.offset.to_value(u.min)):+.2f} min from "
                f"the in-plane instant (lead {float(self.lead.to_value(u.s)):.0f} s, phasing "
                f"{float(self.phasing.to_value(u.s)):+.0f} s)")


def launch_time(in_plane_time, *, latitude, inclination, ascent_duration,
                phasing_altitude=None, phasing_duration=None, target_altitude=None,
                insertion_altitude=200 * u.km, bias=0 * u.s, geodetic=True) -> LaunchTime:
    """Launch time(s) from in-plane instant(s): ``time - lead + phasing shift + bias``.

    Parameters
    ----------
    in_plane_time : Time (scalar or array), e.g. the ``time`` column of
        :func:`orbits.launch_windows`
    latitude, inclination : Quantity (angle); the site (geodetic unless ``geodetic=False``)
        and the target plane; checked for reachability, used for the out-of-plane speed note
    ascent_duration : Quantity (time), lift-off to insertion
    phasing_altitude, phasing_duration : Quantity, optional (both or neither); with them
        ``target_altitude`` is required
    insertion_altitude : Quantity (length)
    bias : Quantity (time), an empirical per-vehicle correction (default 0); say where it
        comes from

    Returns
    -------
    LaunchTime
        Columns ``time`` (in plane) and ``launch_time``.
    """
    t0 = as_time(in_plane_time, "in_plane_time")
    t0 = t0.reshape((1,)) if t0.isscalar else t0.ravel()
    asc = ascent_lead(ascent_duration, insertion_altitude=insertion_altitude,
                      latitude=latitude, inclination=inclination, geodetic=geodetic)
    if np.ndim(asc.lead.value):
        raise ArgumentError("launch_time takes one ascent_duration (a scalar), got shape "
                            f"{np.shape(asc.lead.value)}")
    if (phasing_altitude is None) != (phasing_duration is None):
        raise ArgumentError("give phasing_altitude and phasing_duration together, or neither")
    notes = list(asc.notes)
    if phasing_altitude is not None:
        if target_altitude is None:
            raise ArgumentError("target_altitude is required with phasing_altitude "
                                "(e.g. target_altitude=415 * u.km)")
        ph = phasing_shift(inclination, target_altitude=target_altitude,
                           phasing_altitude=phasing_altitude,
                           phasing_duration=phasing_duration)
        if np.ndim(ph.time_shift.value):
            raise ArgumentError("launch_time takes scalar phasing parameters")
        shift = ph.time_shift.to(u.s)
        notes += list(ph.notes)
    else:
        shift = 0 * u.s
    b = as_value(bias, u.s, "bias", min=-3600.0, max=3600.0) * u.s
    total = (-asc.lead + shift + b).to(u.s)
    lt = t0 + total
    lt.format = "isot"
    t0 = t0.copy()
    t0.format = "isot"
    vn = asc.out_of_plane_speed
    if vn is not None:
        notes.append(f"out-of-plane speed cancelled: {float(vn.to_value(u.km / u.s)):.3f} km/s")
    return LaunchTime(time=t0, launch_time=lt, lead=asc.lead, phasing=shift, bias=b,
                      offset=total, notes=tuple(notes))
