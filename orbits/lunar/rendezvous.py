"""Lunar-orbit rendezvous: the orbiter's plane drifts while the crew is on the surface.

The crewed plans the catalog compares both meet in lunar orbit: China's Mengzhou waits in
lunar orbit while Lanyue lands and comes back up to dock (two Long March 10 launches; CMSA,
2023-2026), and Russia's Orel lunar flights were to work from lunar orbit (Roscosmos,
2016-2020; no lunar orbit parameters published). Neither programme has published the
rendezvous orbit's altitude or inclination, so they are arguments here.

:func:`lunar_rendezvous` takes a landing site, the waiting orbit (altitude, inclination) and the
stay. The site is in the orbit plane at landing (the lander descends from it); afterwards the
Moon turns under the plane at its sidereal rate less the node drift (J2 + Earth, from
:func:`~orbits.lunar.lunar_node_drift`), so the site leaves the plane and comes back under it
twice per turn. It gives the out-of-plane angle and the plane-change cost of an ascent at the
end of the stay, and every later time the site is back under the plane (an in-plane ascent).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_time, as_value, describe_value
from orbits.core.constants import GM_MOON, R_MOON, SIDEREAL_MONTH
from orbits.ephemeris import ephemeris_input
from orbits.errors import ArgumentError
from orbits.results import column, quantity, value

from ._model import KMS, LunarTable
from .south_pole import _drift_core, _site_latlon

__all__ = ["LunarRendezvous", "lunar_rendezvous"]

_OMEGA_MOON = 2.0 * np.pi / SIDEREAL_MONTH


@dataclass(frozen=True, repr=False)
class LunarRendezvous(LunarTable):
    """Plane drift over a surface stay, and the in-plane ascent times after landing."""

    site: str = value("landing site")
    altitude: u.Quantity = quantity("orbit altitude", "km", fmt=".0f")
    inclination: u.Quantity = quantity("orbit inclination", "deg", fmt=".2f")
    landing: Time = value("landing", fmt="minute")
    stay: u.Quantity = quantity("planned stay", "day", fmt=".3f")
    node_rate: u.Quantity = quantity("node drift (J2 + Earth)", "deg / d", fmt=".4f")
    node_drift: u.Quantity = quantity("node drift over the stay", "deg", fmt=".4f")
    c22_swing: u.Quantity = quantity("C22 periodic node swing (amplitude)", "deg", fmt=".3f")
    angle_at_end: u.Quantity = quantity("site out of plane at the end of the stay", "deg",
                                        fmt=".3f")
    dv_at_end: u.Quantity = quantity("plane change for an ascent then", "km / s", fmt=".4f")
    next_in_plane: Time | None = value("next in-plane ascent after the stay", fmt="minute")
    wait: u.Quantity | None = quantity("wait beyond the stay", "day", fmt=".3f")
    time: Time = column("site under the plane", fmt="minute")
    after_landing: u.Quantity = column("after landing", "day", fmt=".3f")
    kind: np.ndarray = column("half of the track")

    title = "Lunar-orbit rendezvous: plane drift and ascent times"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        nxt = ("never under the plane again" if self.wait is None else
               f"next in-plane ascent {self.wait.to_value(u.day):.2f} d after the stay")
        return (f"{self.site or 'site'}, {self.stay.to_value(u.day):.2f} d stay: "
                f"{self.angle_at_end.to_value(u.deg):.2f} deg out of plane "
                f"({self.dv_at_end.to_value(KMS) * 1000:.0f} m/s), {nxt}")


def lunar_rendezvous(site_latitude, site_longitude, *, altitude, inclination, landing, stay,
                     landing_half: str = "ascending", search=SIDEREAL_MONTH / 86400 * u.day,
                     site: str = "", ephemeris="de421") -> LunarRendezvous:
    """Return the plane drift over a surface stay and the later in-plane ascent times.

    Parameters
    ----------
    site_latitude, site_longitude : Quantity (angle), selenographic
    altitude : Quantity (length), circular waiting orbit
    inclination : Quantity (angle) to the lunar equator; must reach the site (|lat| <= i)
    landing : Time, when the lander touches down (the site is then under the plane)
    stay : Quantity (time), planned surface stay
    landing_half : {'ascending', 'descending'}, the half of the orbiter's ground track the site
        was on at landing (northbound or southbound)
    search : Quantity (time), how long after landing to list in-plane times

    Notes
    -----
    Out-of-plane angle ``b``: ``sin b = cos i sin(lat) - sin i cos(lat) sin(psi)``, ``psi`` the
    site's longitude from the node, turning at the Moon's rate less the node drift; the ascent's
    plane change ``2 v sin(b / 2)`` at the orbit's circular speed (Curtis eq. 6.32, the usual
    upper bound). The C22 swing of the node (zero for a polar orbit) is reported, not added.
    """
    lat, lon = _site_latlon(site_latitude, site_longitude, site or "site")
    h = as_value(altitude, u.km, "altitude", min=10.0, max=1.0e4)
    inc = np.deg2rad(as_value(inclination, u.deg, "inclination", min=0.0, max=180.0,
                              min_inclusive=False, max_inclusive=False))
    if np.ndim(h) or np.ndim(inc):
        raise ArgumentError(f"altitude and inclination must be scalars, got "
                            f"{describe_value(altitude)} and {describe_value(inclination)}")
    landing = as_time(landing, "landing")
    if not landing.isscalar:
        raise ArgumentError(f"landing must be a single time, got shape {landing.shape}")
    t_stay = as_value(stay, u.day, "stay", min=0.0, max=60.0) * 86400.0
    t_search = as_value(search, u.day, "search", min=0.0, max=366.0, min_inclusive=False) * 86400.0
    for name, arg, val in (("stay", stay, t_stay), ("search", search, t_search)):
        if np.ndim(val):
            raise ArgumentError(f"{name} must be a single time, got {describe_value(arg)}")
    if landing_half not in ("ascending", "descending"):
        raise ArgumentError(f"landing_half must be 'ascending' or 'descending', got "
                            f"{landing_half!r}")
    q = np.tan(lat) / np.tan(inc) if abs(np.sin(inc)) > 1e-12 else np.inf
    if abs(lat) > min(inc, np.pi - inc) + 1e-12 or abs(q) > 1.0:
        raise ArgumentError(
            f"inclination {np.degrees(inc):.2f} deg never passes over the site at latitude "
            f"{np.degrees(lat):.2f} deg: need |latitude| <= inclination <= 180 - |latitude|")
    a = R_MOON + h
    j2, earth, amp, _, _ = _drift_core(a, inc, 0.0, landing, ephemeris, "landing")
    rate = float(j2 + earth)
    w = _OMEGA_MOON - rate
    roots = np.array([np.arcsin(q), np.pi - np.arcsin(q)])
    psi0 = roots[0] if landing_half == "ascending" else roots[1]

    def angle(t):
        psi = psi0 + w * t
        s = np.cos(inc) * np.sin(lat) - np.sin(inc) * np.cos(lat) * np.sin(psi)
        return np.arcsin(np.clip(s, -1.0, 1.0))

    # later in-plane times: psi = root + 2 pi k
    ks = np.arange(0, int(np.ceil(t_search * abs(w) / (2 * np.pi))) + 2)
    t = ((roots[:, None] - psi0 + 2 * np.pi * ks[None, :]) / w).ravel()
    kinds = np.repeat(np.array(["ascending", "descending"]), ks.size)
    keep = (t > 1.0) & (t <= t_search)
    order = np.argsort(t[keep])
    t, kinds = t[keep][order], kinds[keep][order]
    beta = abs(float(angle(t_stay)))
    v = np.sqrt(GM_MOON / a)
    later = t[t >= t_stay]
    nxt = landing + later[0] * u.s if later.size else None
    when = landing + t * u.s
    when.format = "isot"
    return LunarRendezvous(
        site=site,
        altitude=h * u.km,
        inclination=np.degrees(inc) * u.deg,
        landing=landing,
        stay=(t_stay * u.s).to(u.day),
        node_rate=(rate * u.rad / u.s).to(u.deg / u.day),
        node_drift=(rate * t_stay * u.rad).to(u.deg),
        c22_swing=(float(amp) * u.rad).to(u.deg),
        angle_at_end=(beta * u.rad).to(u.deg),
        dv_at_end=2 * v * np.sin(beta / 2) * KMS,
        next_in_plane=nxt,
        wait=None if nxt is None else ((later[0] - t_stay) * u.s).to(u.day),
        time=when,
        after_landing=(t * u.s).to(u.day),
        kind=kinds,
        inputs=(ephemeris_input(ephemeris),),  # the Earth's position, for its node drift
        notes=("site in the plane at landing; the Moon turns under the plane at its sidereal "
               "rate less the J2 + Earth node drift; plane change 2 v sin(b/2) (Curtis eq. "
               "6.32); rendezvous orbits of Mengzhou/Lanyue and Orel are not published",),
    )
