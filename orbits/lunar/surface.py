"""Lunar orbits and landing sites.

Orbit properties, J2 plane drift, when a site passes under an orbiter's plane and what the mismatch
costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_time, as_value
from orbits.core.constants import GM_MOON, J2_MOON, R_MOON, R_MOON_GRAVITY, SIDEREAL_MONTH
from orbits.core.j2 import j2_secular_rates
from orbits.errors import ArgumentError
from orbits.results import column, quantity

from ._model import KMS, BatchResult, LunarTable, lunar_orbit

__all__ = [
    "LunarOrbitProperties",
    "LunarPlaneDrift",
    "PlaneMismatchCost",
    "SitePlanePasses",
    "lunar_orbit_properties",
    "lunar_plane_drift",
    "plane_mismatch_cost",
    "site_coverage",
    "site_plane_passes",
]

_OMEGA_MOON = 2.0 * np.pi / SIDEREAL_MONTH  # the Moon rotates once per sidereal month
_PER_DAY = u.deg / u.day


@dataclass(frozen=True, repr=False)
class LunarOrbitProperties(BatchResult):
    """Period and periapsis/apoapsis speeds of a lunar orbit (two-body, DE421's GM_Moon)."""

    periapsis_altitude: u.Quantity = quantity("periapsis altitude", "km", fmt=".0f")
    apoapsis_altitude: u.Quantity = quantity("apoapsis altitude", "km", fmt=".0f")
    eccentricity: u.Quantity = quantity("eccentricity", "", fmt=".4f")
    period: u.Quantity = quantity("period", "h", fmt=".3f")
    periapsis_speed: u.Quantity = quantity("periapsis speed", "km / s", fmt=".4f")
    apoapsis_speed: u.Quantity = quantity("apoapsis speed", "km / s", fmt=".4f")

    title = "Lunar orbit"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if np.ndim(self.period.value):
            return f"{np.size(self.period.value)} lunar orbits"
        return (f"{self.periapsis_altitude.to_value(u.km):.0f} x "
                f"{self.apoapsis_altitude.to_value(u.km):.0f} km, period "
                f"{self.period.to_value(u.h):.2f} h")


def lunar_orbit_properties(periapsis_altitude, apoapsis_altitude=None) -> LunarOrbitProperties:
    """Period and periapsis/apoapsis speeds of a lunar orbit (two-body, GM_Moon of DE421).

    Example: Queqiao-2's frozen elliptical orbit, 200 x 16,000 km, has a 24-hour period
    (CNSA, March 2024).
    """
    rp, ra, _ = lunar_orbit(periapsis_altitude, apoapsis_altitude, None, prefix="")
    a = 0.5 * (rp + ra)
    return LunarOrbitProperties(
        periapsis_altitude=(rp - R_MOON) * u.km,
        apoapsis_altitude=(ra - R_MOON) * u.km,
        eccentricity=((ra - rp) / (ra + rp)) * u.one,
        period=(2 * np.pi * np.sqrt(a**3 / GM_MOON) * u.s).to(u.h),
        periapsis_speed=np.sqrt(GM_MOON * (2 / rp - 1 / a)) * KMS,
        apoapsis_speed=np.sqrt(GM_MOON * (2 / ra - 1 / a)) * KMS,
        notes=("two-body Keplerian orbit about a point Moon (GM 4902.8 km^3/s^2, DE421)",),
    )


def site_coverage(latitude, inclination):
    """Return whether an orbit of the given inclination ever passes over a site at ``latitude``.

    Inclination to the lunar equator: ``|latitude| <= i`` (prograde) or ``<= 180 deg - i``
    (retrograde). Broadcasts; returns a bool array.
    """
    lat = as_value(latitude, u.rad, "latitude", min=-np.pi / 2, max=np.pi / 2)
    inc = as_value(inclination, u.rad, "inclination", min=0.0, max=np.pi)
    reach = np.minimum(inc, np.pi - inc)
    return np.abs(lat) <= reach + 1e-12


@dataclass(frozen=True, repr=False)
class LunarPlaneDrift(BatchResult):
    """Secular J2 drift of a lunar orbit's node and periapsis.

    Inertial and against the rotating surface.
    """

    periapsis_altitude: u.Quantity = quantity("periapsis altitude", "km", fmt=".0f")
    apoapsis_altitude: u.Quantity = quantity("apoapsis altitude", "km", fmt=".0f")
    inclination: u.Quantity = quantity("inclination", "deg", fmt=".2f")
    node_rate: u.Quantity = quantity("node drift", "deg / d", fmt=".5f")
    periapsis_rate: u.Quantity = quantity("periapsis drift", "deg / d", fmt=".5f")
    node_rate_relative_to_surface: u.Quantity = quantity(
        "node drift over the surface", "deg / d", fmt=".4f"
    )

    title = "Lunar orbit plane drift (J2)"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if np.ndim(self.node_rate.value):
            return f"{np.size(self.node_rate.value)} lunar orbits"
        return (
            f"i {self.inclination.to_value(u.deg):.1f} deg: node "
            f"{self.node_rate.to_value(_PER_DAY):+.4f} deg/d, over the surface "
            f"{self.node_rate_relative_to_surface.to_value(_PER_DAY):+.3f} deg/d"
        )


def _rates(a, e, inc):
    return j2_secular_rates(a, e, inc, GM_MOON, R_MOON_GRAVITY, J2_MOON)


def lunar_plane_drift(
    periapsis_altitude, apoapsis_altitude=None, *, inclination=90 * u.deg
) -> LunarPlaneDrift:
    """Return the secular drift of a lunar orbit's node and periapsis from the Moon's J2.

    LP150Q, whose reference radius is 1,738.0 km; deg/day, via
    :func:`orbits.core.j2.j2_secular_rates`.

    Only J2: for low lunar orbits the mascons and the Earth's pull also matter (they make
    most low orbits unstable within months), so treat this as the plane's mean drift over
    days to weeks, which is what rendezvous and landing-site planning need. A polar orbit has
    no J2 node drift.
    """
    rp, ra, _ = lunar_orbit(periapsis_altitude, apoapsis_altitude, None, prefix="")
    inc = as_value(inclination, u.rad, "inclination", min=0.0, max=np.pi)
    a, e = 0.5 * (rp + ra), (ra - rp) / (ra + rp)
    node, argp, _ = _rates(a, e, inc)
    return LunarPlaneDrift(
        periapsis_altitude=(rp - R_MOON) * u.km,
        apoapsis_altitude=(ra - R_MOON) * u.km,
        inclination=(np.asarray(inc) * u.rad).to(u.deg),
        node_rate=(node * u.rad / u.s).to(_PER_DAY),
        periapsis_rate=(argp * u.rad / u.s).to(_PER_DAY),
        node_rate_relative_to_surface=((node - _OMEGA_MOON) * u.rad / u.s).to(_PER_DAY),
        notes=(
            "first-order J2 secular rates (LP150Q J2 = 2.032e-4); mascons and the Earth's pull "
            "are not modelled",
        ),
    )


def _node_rate(altitude, inc):
    node, _, _ = _rates(R_MOON + altitude, 0.0, inc)
    return float(node)


def _site_args(site_latitude, site_longitude, inclination, node_longitude, altitude):
    lat = as_value(site_latitude, u.rad, "site_latitude", min=-np.pi / 2, max=np.pi / 2)
    lon = as_value(site_longitude, u.rad, "site_longitude", min=-2 * np.pi, max=2 * np.pi)
    inc = as_value(inclination, u.rad, "inclination", min=0.0, max=np.pi)
    node = as_value(node_longitude, u.rad, "node_longitude", min=-2 * np.pi, max=2 * np.pi)
    h = as_value(altitude, u.km, "altitude", min=0.0, max=1.0e4)
    for name, v in (
        ("site_latitude", lat),
        ("site_longitude", lon),
        ("inclination", inc),
        ("node_longitude", node),
        ("altitude", h),
    ):
        if np.ndim(v):
            raise ArgumentError(f"{name} must be a scalar, got an array of shape {np.shape(v)}")
    return lat, lon, inc, node, h


@dataclass(frozen=True, repr=False)
class SitePlanePasses(LunarTable):
    """The times a landing site passes under an orbiter's plane (empty when it never does)."""

    site_latitude: u.Quantity = quantity("site latitude", "deg", fmt=".2f")
    site_longitude: u.Quantity = quantity("site longitude", "deg", fmt=".2f")
    inclination: u.Quantity = quantity("inclination", "deg", fmt=".2f")
    duration: u.Quantity = quantity("searched", "day", fmt=".2f")
    offset: u.Quantity = column("after start", "day", fmt=".4f")
    kind: np.ndarray = column("half of the track")
    time: Time | None = column("time", fmt="second")

    title = "Landing site under the orbit plane"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if not len(self):
            return (
                f"site at {self.site_latitude.to_value(u.deg):.1f} deg never under a "
                f"{self.inclination.to_value(u.deg):.1f} deg plane"
            )
        return (
            f"{len(self)} passes in {self.duration.to_value(u.day):.1f} d, first after "
            f"{self.offset[0].to_value(u.day):.2f} d"
        )


def site_plane_passes(
    site_latitude,
    site_longitude,
    inclination,
    *,
    node_longitude=0 * u.deg,
    start=None,
    duration=SIDEREAL_MONTH * u.s,
    altitude=200 * u.km,
    node_rate=None,
) -> SitePlanePasses:
    """When a landing site passes under an orbiter's plane.

    The orbit plane is (nearly) fixed in inertial space -- it drifts at the J2 node rate --
    while the Moon turns under it once per sidereal month (27.32 days), so a site at
    ``|latitude| < i`` crosses the plane twice per rotation (once on the ascending half of the
    ground track, once on the descending half); a site at ``|latitude| > i`` never does
    (no rows). The plane's ascending node is given in the Moon's body-fixed (selenographic)
    longitude at ``start``.

    Returns
    -------
    SitePlanePasses
        ``offset`` (days after start), ``kind`` ('ascending'/'descending' half of the track)
        and ``time`` (a Time if ``start`` is given, else None).

    ``node_rate`` (angular speed, optional) replaces the J2 node drift, e.g. with the J2 +
    Earth rate of :func:`orbits.lunar.lunar_node_drift`.
    """
    lat, lon, inc, node, h = _site_args(
        site_latitude, site_longitude, inclination, node_longitude, altitude
    )
    dur = as_value(duration, u.s, "duration", min=0.0, max=10 * 365.25 * 86400.0)
    if np.ndim(dur):
        raise ArgumentError("duration must be a scalar time")
    if start is not None:
        start = as_time(start, "start")
        if not start.isscalar:
            raise ArgumentError(f"start must be a single epoch, got shape {start.shape}")
    if node_rate is None:
        rate = _node_rate(h, inc)
    else:
        rate = as_value(node_rate, u.rad / u.s, "node_rate", min=-1e-4, max=1e-4)
        if np.ndim(rate):
            raise ArgumentError("node_rate must be a scalar angular speed")
    w = _OMEGA_MOON - rate  # rate of psi = lon - node_fixed
    q = np.tan(lat) / np.tan(inc) if np.sin(inc) > 1e-12 else np.inf
    if not site_coverage(lat * u.rad, inc * u.rad) or abs(q) > 1.0:
        t = np.array([])
        kinds = np.array([], dtype=str)
    else:
        psi0 = lon - node
        roots = np.array([np.arcsin(q), np.pi - np.arcsin(q)])
        n_max = int(np.ceil(dur * abs(w) / (2 * np.pi))) + 1
        ks = np.arange(-1, n_max + 1)
        t = ((roots[:, None] - psi0 + 2 * np.pi * ks[None, :]) / w).ravel()
        kinds = np.repeat(np.array(["ascending", "descending"]), ks.size)
        keep = (t >= 0) & (t <= dur)
        order = np.argsort(t[keep])
        t, kinds = t[keep][order], kinds[keep][order]
    offset = (t * u.s).to(u.day)
    return SitePlanePasses(
        site_latitude=(lat * u.rad).to(u.deg),
        site_longitude=(lon * u.rad).to(u.deg),
        inclination=(inc * u.rad).to(u.deg),
        duration=(dur * u.s).to(u.day),
        offset=offset,
        kind=kinds,
        time=None if start is None else start + offset,
        notes=(
            "the plane turns at the J2 node rate while the Moon rotates once per sidereal "
            "month (27.32 d)",
        ),
    )


@dataclass(frozen=True, repr=False)
class PlaneMismatchCost(LunarTable):
    """Angle of a landing site out of an orbiter's plane over time.

    With the plane change it costs an ascent to that orbit.
    """

    site_latitude: u.Quantity = quantity("site latitude", "deg", fmt=".2f")
    site_longitude: u.Quantity = quantity("site longitude", "deg", fmt=".2f")
    inclination: u.Quantity = quantity("inclination", "deg", fmt=".2f")
    altitude: u.Quantity = quantity("orbit altitude", "km", fmt=".0f")
    max_angle: u.Quantity = quantity("largest angle", "deg", fmt=".2f")
    max_dv: u.Quantity = quantity("largest plane-change Δv", "km / s", fmt=".3f")
    offset: u.Quantity = column("after epoch", "day", fmt=".3f")
    angle: u.Quantity = column("angle out of plane", "deg", fmt=".3f")
    dv: u.Quantity = column("plane-change Δv", "km / s", fmt=".4f")

    title = "Landing site out of the orbit plane"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        return (
            f"{len(self)} epochs, angle {self.angle.min().to_value(u.deg):.2f}–"
            f"{self.max_angle.to_value(u.deg):.2f} deg, up to "
            f"{self.max_dv.to_value(KMS):.3f} km/s"
        )


def plane_mismatch_cost(
    site_latitude,
    site_longitude,
    inclination,
    *,
    node_longitude=0 * u.deg,
    offsets=None,
    altitude=200 * u.km,
) -> PlaneMismatchCost:
    """Compute the angle of a landing site out of an orbiter's plane over time, and its cost.

    The cost is the Δv of the plane change that angle costs an ascent to that orbit (a single plane
    change ``2 v sin(b/2)`` at the orbit's circular speed -- the usual upper bound; a launch azimuth
    can take a little).

    ``offsets`` are times after the epoch at which the plane's node is at ``node_longitude``
    (default: 200 steps over one sidereal month).
    """
    lat, lon, inc, node, h = _site_args(
        site_latitude, site_longitude, inclination, node_longitude, altitude
    )
    if offsets is None:
        offsets = np.linspace(0.0, SIDEREAL_MONTH, 200) * u.s
    t = np.atleast_1d(as_value(offsets, u.s, "offsets", min=0.0, max=10 * 365.25 * 86400.0))
    if t.ndim != 1 or t.size == 0:
        raise ArgumentError(f"offsets must be a non-empty 1-D list of times, got shape {t.shape}")
    psi = lon - node + (_OMEGA_MOON - _node_rate(h, inc)) * t
    # h_hat . r_hat in the plane's frame: cos i sin(lat) - sin i cos(lat) sin(psi)
    s = np.cos(inc) * np.sin(lat) - np.sin(inc) * np.cos(lat) * np.sin(psi)
    beta = np.abs(np.arcsin(np.clip(s, -1.0, 1.0)))
    v = np.sqrt(GM_MOON / (R_MOON + h))
    dv = 2.0 * v * np.sin(beta / 2.0)
    return PlaneMismatchCost(
        site_latitude=(lat * u.rad).to(u.deg),
        site_longitude=(lon * u.rad).to(u.deg),
        inclination=(inc * u.rad).to(u.deg),
        altitude=h * u.km,
        max_angle=(beta.max() * u.rad).to(u.deg),
        max_dv=dv.max() * KMS,
        offset=(t * u.s).to(u.day),
        angle=(beta * u.rad).to(u.deg),
        dv=dv * KMS,
        notes=(
            "plane change 2 v sin(angle / 2) at the circular speed of the orbit (Curtis "
            "eq. 6.32), the usual upper bound",
        ),
    )
