"""A launch site and an Earth orbit.

Can a direct ascent reach the plane, and what does the dog-leg cost if not?

A direct ascent from geocentric latitude ``lat`` reaches inclinations in ``[|lat|, 180 -
|lat|]``; outside it the vehicle is inserted into the nearest reachable inclination in a
200 km parking orbit and turns its plane at the node, ``2 v sin(di/2)``
(:func:`orbits.dogleg_dv`). The site's documented inclinations (range safety, drop zones,
from the catalog) give a second, more realistic cost: the turn from the nearest of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u

from orbits.results import Result, quantity, value

__all__ = ["PARKING_ALTITUDE", "SiteOrbitComparison", "compare_site_orbit"]

_KMS = u.km / u.s
#: Parking orbit for dog-leg costs (km above the equatorial radius).
PARKING_ALTITUDE = 200 * u.km


@dataclass(frozen=True, repr=False)
class SiteOrbitComparison(Result):
    """A launch site against an Earth orbit's plane (result of :func:`compare_site_orbit`)."""

    site: str = value("launch site")
    orbit: str = value("orbit")
    latitude: u.Quantity = quantity("site latitude (geodetic)", "deg", fmt=".3f")
    min_inclination: u.Quantity = quantity("lowest direct inclination", "deg", fmt=".2f")
    inclination: u.Quantity = quantity("orbit inclination", "deg", fmt=".2f")
    altitude: u.Quantity = quantity("orbit mean altitude", "km", fmt=".1f")
    direct_ascent: bool = value("direct ascent possible")
    plane_change: u.Quantity = quantity("plane change needed", "deg", fmt=".2f")
    dogleg_dv: u.Quantity = quantity("dog-leg Δv in a 200 km parking orbit", "km/s", fmt=".3f")
    dogleg_dv_at_altitude: u.Quantity = quantity("dog-leg Δv at the orbit's altitude", "km/s",
                                                 fmt=".3f")
    documented_inclinations: str = value("documented inclinations", default="")
    nearest_documented_inclination: u.Quantity = quantity(
        "nearest documented inclination", "deg", fmt=".2f", default=None)
    documented_plane_change: u.Quantity = quantity("plane change from it", "deg", fmt=".2f",
                                                   default=None)
    documented_dogleg_dv: u.Quantity = quantity("Δv from it (200 km)", "km/s", fmt=".3f",
                                                default=None)

    title = "Launch site and Earth orbit"

    def summary(self) -> str:
        """Return ``site → orbit:`` and the direct ascent or the dog-leg and its Δv."""
        head = f"{self.site} → {self.orbit}: "
        if self.direct_ascent:
            return head + "direct ascent"
        return (head + f"dog-leg {self.plane_change.to_value(u.deg):.2f}° for "
                f"{self.dogleg_dv.to_value(_KMS):.3f} km/s")


def compare_site_orbit(site, orb, *, catalog=None, at=None) -> SiteOrbitComparison:
    """Compare a site subject with an Earth-orbit subject as of ``at``.

    Both are :class:`missions.subjects.Subject`; ``at`` defaults to the orbit subject's
    analysis date. The station's inclination and altitude are those of its element set
    nearest that date.
    """
    import orbits
    from orbits.bodies import Earth
    from orbits.core.sites import circular_speed

    rec = site.record
    inc = orb.elements["inc"].to(u.deg)
    i_min = orbits.min_inclination(rec.latitude)
    direct = bool(i_min <= inc <= 180 * u.deg - i_min)
    cost = orbits.dogleg_dv(rec.latitude, inc, altitude=PARKING_ALTITUDE)
    v_orbit = circular_speed(orb.elements["a"].to_value(u.km)) * _KMS
    extra = {}
    documented = [(x.min.to(u.deg), x.max.to(u.deg), x.label) for x in rec.inclinations]
    if documented:
        extra["documented_inclinations"] = "; ".join(
            (f"{lo.value:g}°" if lo == hi else f"{lo.value:g}–{hi.value:g}°")
            + (f" ({lab})" if lab else "") for lo, hi, lab in documented)
        gaps = [max(lo - inc, inc - hi, 0 * u.deg) for lo, hi, _ in documented]
        k = int(np.argmin(u.Quantity(gaps).value))
        lo, hi, _ = documented[k]
        nearest = min(max(inc, lo), hi)
        v_park = circular_speed((Earth.R + PARKING_ALTITUDE).to_value(u.km)) * _KMS
        extra["nearest_documented_inclination"] = nearest
        extra["documented_plane_change"] = abs(nearest - inc)
        extra["documented_dogleg_dv"] = orbits.plane_change_dv(v_park, abs(nearest - inc))
    return SiteOrbitComparison(
        site=rec.name,
        orbit=orb.name,
        latitude=rec.latitude.to(u.deg),
        min_inclination=i_min.to(u.deg),
        inclination=inc,
        altitude=(orb.elements["a"] - Earth.R).to(u.km),
        direct_ascent=direct,
        plane_change=cost.plane_change.to(u.deg),
        dogleg_dv=cost.dv.to(_KMS),
        dogleg_dv_at_altitude=orbits.plane_change_dv(v_orbit, cost.plane_change),
        notes=(
            ("a direct ascent reaches inclinations from the site's geocentric latitude to 180° "
            "minus it"),
            (f"dog-leg Δv: insertion at the nearest reachable inclination into a "
             f"{PARKING_ALTITUDE.to_value(u.km):g} km circular parking orbit, then one plane "
             "change 2 v sin(di/2) (orbits.dogleg_dv); no ascent losses"),
            ("documented inclinations (range safety, drop zones) are the catalog's; the last "
             "Δv turns from the nearest of them"),
        ),
        inputs=(site.input_set(), orb.input_set(at)),
        analysis_date=at if at is not None else orb.analysis_date,
        warnings=tuple(orb.warnings),
        **extra,
    )
