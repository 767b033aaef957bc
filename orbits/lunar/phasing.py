"""Phasing-loop departures (Chang'e-1 style): :func:`phasing_profile`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u

from orbits._validation import as_value, describe_value
from orbits.core import patched_conic as pc
from orbits.core.constants import EARTH_MOON_DISTANCE, GM_EARTH, R_EARTH
from orbits.errors import ArgumentError, ArgumentTypeError
from orbits.results import column, quantity

from ._model import KMS, LunarTable

__all__ = ["PhasingProfile", "phasing_profile"]


@dataclass(frozen=True, repr=False)
class PhasingProfile(LunarTable):
    """Chang'e-style phasing: a row per perigee burn (the loops', then TLI).

    Each row has the period and apogee of the orbit the burn starts (blank after TLI, which leaves
    for the Moon).

    ``loop_periods`` and ``loop_apogee_altitudes`` (one per loop, no TLI entry) are kept as
    plain fields.
    """

    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    total_dv: u.Quantity = quantity("sum of burns", "km / s", fmt=".4f")
    direct_tli_dv: u.Quantity = quantity("direct TLI", "km / s", fmt=".4f")
    largest_burn: u.Quantity = quantity("largest burn", "km / s", fmt=".4f")
    added_time: u.Quantity = quantity("added time", "day", fmt=".2f")
    burn: np.ndarray = column("burn")
    burns: u.Quantity = column("Δv", "m / s", fmt=".1f")
    period_after: u.Quantity = column("period after", "h", fmt=".2f")
    apogee_after: u.Quantity = column("apogee altitude after", "km", fmt=".0f")
    loop_periods: u.Quantity = None
    loop_apogee_altitudes: u.Quantity = None

    title = "Phasing-loop departure"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        n = len(self.loop_periods)
        return (f"{n} loops + TLI, largest burn {self.largest_burn.to_value(u.m / u.s):.0f} m/s, "
                f"+{self.added_time.to_value(u.day):.2f} d")


def phasing_profile(
    *,
    parking_altitude=200 * u.km,
    loops=3,
    loop_periods=None,
    tli_apogee_altitude=EARTH_MOON_DISTANCE * u.km,
) -> PhasingProfile:
    """Return the Δv split and added time of a phasing-loop departure.

    Chang'e-1: 16 h, 24 h and 48 h loops before TLI (Xinhua / CNSA reports of October 2007).
    Keyword-only arguments.

    Parameters
    ----------
    parking_altitude : Quantity
        Perigee altitude (circular parking orbit), 100 .. 2,000 km.
    loops : int
        Number of intermediate loops (1 .. 10) when ``loop_periods`` is not given; their apogees
        are then chosen so all burns are equal.
    loop_periods : Quantity array, optional
        Periods of the intermediate loops, increasing (e.g. ``[16, 24, 48] * u.h``).
    tli_apogee_altitude : Quantity
        Apogee altitude of the final translunar orbit (default: the mean lunar distance).

    The burns add up to the direct TLI (impulsive burns at one perigee): phasing buys smaller
    burns (lower gravity losses, engine restarts as check-outs) and launch-window flexibility
    at the price of the loop time.
    """
    h0 = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    ha = as_value(tli_apogee_altitude, u.km, "tli_apogee_altitude", min=1.0e5, max=1.0e6)
    if np.ndim(h0) or np.ndim(ha):
        raise ArgumentError("parking_altitude and tli_apogee_altitude must be scalars")
    r0 = R_EARTH + h0
    ra = R_EARTH + ha
    if loop_periods is None:
        if not isinstance(loops, (int, np.integer)) or isinstance(loops, bool):
            raise ArgumentTypeError(
                f"loops must be an integer in [1, 10], got {describe_value(loops)}"
            )
        if not 1 <= loops <= 10:
            raise ArgumentError(f"loops must be an integer in [1, 10], got {loops!r}")
        v_c = np.sqrt(GM_EARTH / r0)
        v_f = np.sqrt(2 * GM_EARTH / r0 - 2 * GM_EARTH / (r0 + ra))
        v = v_c + (v_f - v_c) * np.arange(1, loops + 1) / (loops + 1)
        apogees = 1.0 / (1.0 / r0 - v**2 / (2 * GM_EARTH)) - r0
    else:
        p = np.atleast_1d(as_value(loop_periods, u.s, "loop_periods", min=0.0, min_inclusive=False))
        if p.ndim != 1 or not 1 <= p.size <= 10:
            raise ArgumentError(f"loop_periods must be 1 to 10 periods, got shape {p.shape}")
        apogees = pc.apogee_for_period(r0, p, GM_EARTH)
        t_final = 2 * np.pi * np.sqrt((0.5 * (r0 + ra)) ** 3 / GM_EARTH)
        if np.any(np.diff(p) <= 0) or np.any(apogees <= r0) or np.any(apogees >= ra):
            raise ArgumentError(
                f"loop_periods must increase, each between the parking orbit's "
                f"{2 * np.pi * np.sqrt(r0**3 / GM_EARTH) / 3600:.2f} h and the translunar "
                f"orbit's {t_final / 3600:.1f} h period, got {describe_value(loop_periods)}"
            )
    dv, periods = pc.phasing_loops(r0, apogees, ra, GM_EARTH)
    direct = np.sqrt(2 * GM_EARTH / r0 - 2 * GM_EARTH / (r0 + ra)) - np.sqrt(GM_EARTH / r0)
    n = len(periods)
    return PhasingProfile(
        parking_altitude=h0 * u.km,
        total_dv=dv.sum() * KMS,
        direct_tli_dv=direct * KMS,
        largest_burn=dv.max() * KMS,
        added_time=(periods.sum() * u.s).to(u.day),
        burn=np.array([f"loop {k + 1}" for k in range(n)] + ["TLI"]),
        burns=(dv * KMS).to(u.m / u.s),
        # after TLI there is no loop: NaN here shows as a blank cell and null in JSON
        period_after=(np.concatenate([periods, [np.nan]]) * u.s).to(u.h),
        apogee_after=np.concatenate([apogees - R_EARTH, [ha]]) * u.km,
        loop_periods=(periods * u.s).to(u.h),
        loop_apogee_altitudes=(apogees - R_EARTH) * u.km,
        notes=("impulsive burns at one perigee; the loops' burns add up to the direct TLI",),
    )
