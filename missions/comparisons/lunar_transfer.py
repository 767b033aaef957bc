"""Earth-Moon transfer search for a catalog lunar mission: :func:`lunar_transfers`.

The porkchop of TLI + LOI over departure dates around its launch and times of flight of 3-7 days,
from its own launch site's parking orbit into its own lunar orbit.
"""

from __future__ import annotations

import calendar

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_time, as_value, describe_value
from orbits.errors import ArgumentError, ArgumentTypeError
from orbits.results import InputSet

__all__ = ["DEPARTURE_STEP", "TOFS", "lunar_transfers"]

#: Departure-date step of the search grid.
DEPARTURE_STEP = 0.25 * u.day
#: Times of flight searched: 3 to 7 days in 3-hour steps.
TOFS = np.linspace(3.0, 7.0, 33) * u.day
#: Default span when the launch is dated to the day: a week before it to three weeks after.
_DEFAULT_DAYS = 28.0
_MAX_DAYS = 120.0


def _days(days) -> float | None:
    if days is None:
        return None
    if isinstance(days, u.Quantity):
        d = as_value(days, u.day, "days")
    elif isinstance(days, bool) or not isinstance(days, (int, float, np.integer, np.floating)):
        raise ArgumentTypeError(f"days must be a number of days, got {describe_value(days)}")
    else:
        d = float(days)
    step = DEPARTURE_STEP.to_value(u.day)
    if not np.isfinite(d) or not (2 * step <= d <= _MAX_DAYS):
        raise ArgumentError(
            f"days must be between {2 * step:g} and {_MAX_DAYS:g} (the search steps departures by "
            f"{step:g} d and needs at least two), got {describe_value(days)}"
        )
    return d


def _default_start(rec):
    """Start and span of the search from the catalog launch date; (None, None) if undated."""
    date = rec.launch_date
    if date is None or date.precision == "year":
        return None, None, None
    if date.precision == "month":
        y, m = date.year, int(date.text[5:7])
        n = calendar.monthrange(y, m)[1]
        return (Time(f"{y}-{m:02d}-01", scale="utc"), float(n),
                f"launch dated to the month ({date.text}): the whole month searched")
    t0 = Time(date.time.utc.isot[:10], scale="utc") - 7 * u.day
    return t0, _DEFAULT_DAYS, f"departures from a week before the catalog launch date {date.text}"


def lunar_transfers(mission, *, start=None, days=None, catalog=None):
    """Return the Earth-Moon porkchop of one catalog lunar mission.

    An :class:`orbits.lunar.LunarPorkchop`; its ``best(n, min_separation=2 * u.day)`` lists the best
    windows.

    Parameters
    ----------
    mission : str or missions.records.Mission
        A mission whose target is the Moon.
    start : Time or str, optional
        First departure (UTC). Default: a week before the catalog launch date (launch dated to
        the day), or the first of its month (dated to the month). A mission with no launch
        date, or only a year, needs ``start``: the error says so and quotes its planned date.
    days : float or Quantity, optional
        Length of the departure search, 0.5 .. 120 days (default 28, or the month).
    catalog : missions.Catalog, optional

    Raises
    ------
    orbits.errors.ArgumentError
        Not a lunar mission; undated without ``start``; ``days`` outside its range.
    """
    import orbits

    from ..lunar_profiles import _catalog, _record, lunar_site, parking_inclination

    cat = _catalog(catalog)
    rec = _record(mission, cat)
    if rec.target != "Moon":
        raise ArgumentError(
            f"lunar_transfers needs a mission whose target is the Moon, got {rec.name!r} "
            f"(target {rec.target})"
        )
    span = _days(days)
    notes = []
    if start is None:
        t0, default_span, how = _default_start(rec)
        if t0 is None:
            plan = rec.current_date
            planned = f"; the catalog's latest plan is {plan.text}" if plan is not None else ""
            raise ArgumentError(
                f"{rec.name} has no launch date dated to the month or better in the catalog"
                f"{planned}: pass start= (for example start='{_example(plan)}') to choose the "
                f"departure dates to search"
            )
        notes.append(how)
        span = default_span if span is None else span
    else:
        if isinstance(start, str):
            start = start.strip()
        t0 = as_time(start, "start")
        if not t0.isscalar:
            raise ArgumentError(f"start must be a single date, got {t0.size} of them")
        span = _DEFAULT_DAYS if span is None else span
    step = DEPARTURE_STEP.to_value(u.day)
    dep = t0 + np.arange(0.0, span - 1e-9, step) * u.day
    site, assumed = lunar_site(rec, cat)
    if assumed:
        notes.append(assumed)
    i_park, how = parking_inclination(site)
    notes.append(f"parking orbit 200 km at {how} ({site.name})")
    orbit = rec.orbit("Moon")
    kw = {}
    if orbit is not None:
        kw = {"lunar_periapsis_altitude": max(orbit.periapsis, 1 * u.km),
              "lunar_apoapsis_altitude": max(orbit.apoapsis, orbit.periapsis, 1 * u.km)}
        notes.append(f"LOI into the catalog's lunar orbit, {orbit.periapsis.to_value(u.km):g} x "
                     f"{max(orbit.apoapsis, orbit.periapsis).to_value(u.km):g} km")
    else:
        notes.append("lunar orbit not in catalog: LOI into 100 km circular, any inclination")
    res = orbits.lunar_porkchop(dep, TOFS, parking_inclination=i_park, name=rec.name, **kw)
    from dataclasses import replace

    return replace(
        res,
        notes=(*res.notes, *notes),
        inputs=(*res.inputs, InputSet("catalog", rec.name, source=", ".join(rec.sources[:3]))),
    )


def _example(plan) -> str:
    if plan is None:
        return "2028-01-01"
    return plan.text + "-01-01" if plan.precision == "year" else plan.text[:10]
