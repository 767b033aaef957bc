"""Long studies run as Dask graphs: launch windows over years, lunar and Mars transfer calendars.

Each study is a list of independent cases -- one launch-window scan per site, station, vehicle
and block of days; one lunar porkchop per calendar month; one Mars porkchop per year -- run
``chunks`` cases per task by :func:`orbits.distributed.map_cases`: in-process threads by
default, or on a ``dask.distributed`` cluster (an active ``Client``, or ``scheduler=
"tcp://host:port"``). Each case is computed by the same call wherever it runs, so a survey gives
the same numbers on any scheduler.

- :func:`survey_windows`: every launch of :func:`missions.launch_timing.predict_launches` from
  each site to each station for each vehicle over a span of years;
- :func:`survey_lunar`: the cheapest cell of :func:`orbits.lunar_porkchop` in each month;
- :func:`survey_mars`: the cheapest cell of each year's Mars porkchop, once ``orbits.mars``
  provides one (looked up when the survey runs).

:func:`write_survey` writes a survey as Parquet (pyarrow) and CSV. The command line is
``mission-compare survey windows|lunar|mars`` (:mod:`missions.cli_survey`).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import math
import sys
import warnings as _warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits.distributed import (
    DEFAULT_TIMEOUT,
    MAX_SURVEY_CELLS,
    check_chunks,
    check_survey_size,
    map_cases,
)
from orbits.errors import ArgumentError, NotFoundError
from orbits.results import TableResult, column, value

__all__ = [
    "DEFAULT_PROFILES",
    "LunarSurvey",
    "MarsSurvey",
    "WindowSurvey",
    "survey_lunar",
    "survey_mars",
    "survey_windows",
    "write_survey",
]

#: The rendezvous profile each vehicle has flown (launch_profiles.toml's sources): Progress MS-20
#: on the two-orbit profile, Shenzhou-14's 6.5 h, Tianzhou's 3 h rapid rendezvous, Wentian's 13 h.
DEFAULT_PROFILES = {
    "soyuz-2.1a": "two-orbit",
    "long-march-2f": "chinese-6.5h",
    "long-march-7": "chinese-3h",
    "long-march-5b": "chinese-module-13h",
}

#: Time steps per day of a launch-window scan (launch_windows' default 10-minute step).
_WINDOW_STEPS_PER_DAY = 144


def _iso(t: Time) -> np.ndarray:
    from erfa import ErfaWarning

    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", ErfaWarning)
        t = Time(t, precision=3)
        return np.asarray(t.utc.isot, dtype=str).reshape(-1)


def _positive(x, name, *, integer=False, upper=None):
    if isinstance(x, u.Quantity):
        raise ArgumentError(f"{name} must be a plain number, got {x!r}")
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"{name} must be a positive number, got {x!r}")
    if integer and int(x) != x:
        raise ArgumentError(f"{name} must be a positive integer, got {x!r}")
    if not (math.isfinite(x) and x > 0) or (upper is not None and x > upper):
        allowed = f"in (0, {upper:g}]" if upper is not None else "> 0"
        raise ArgumentError(f"{name} must be {allowed}, got {x!r}")
    return int(x) if integer else float(x)


def _quiet(func):
    """Run a case without ERFA's raw "dubious year" warnings (the analyses judge far dates)."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        from erfa import ErfaWarning

        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore", ErfaWarning)
            return func(*args, **kwargs)

    return run


def _cat(arrays, dtype=None):
    if not arrays:
        return np.array([], dtype=dtype or float)
    return np.concatenate([np.asarray(a, dtype=dtype) for a in arrays])


def _cat_time(times):
    if not times:
        return Time([], format="isot", scale="utc")
    return Time(np.concatenate([t.utc for t in times]), format="isot", scale="utc",
                precision=3)


# --- launch windows ---------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class WindowSurvey(TableResult):
    """Every predicted launch of a site × station × vehicle survey (:func:`survey_windows`).

    One row per launch opportunity, in the order of the cases (site, station, vehicle, block of
    days) and then of time. Combinations a direct ascent cannot reach (the station's
    inclination below the site's latitude) are listed in ``skipped`` and in the warnings.
    """

    site: np.ndarray = column("site")
    station: np.ndarray = column("station")
    vehicle: np.ndarray = column("vehicle")
    profile: np.ndarray = column("profile")
    in_plane: Time = column("in plane", fmt="second")
    launch_time: Time = column("launch", fmt="second")
    azimuth: u.Quantity = column("azimuth", "deg", fmt=".2f")
    crossing: np.ndarray = column("pass")
    in_corridor: np.ndarray = column("in documented corridor")
    elements_age: u.Quantity = column("elements age", "d", fmt=".1f",
                                      doc="start of the block minus the element set's epoch")
    start: Time = value("from", fmt="day", default=None)
    stop: Time = value("to", fmt="day", default=None)
    combinations: int = value("site × station × vehicle", default=0)
    cases: int = value("scans", default=0)
    skipped: tuple = field(default=())

    title = "Launch-window survey"

    def summary(self) -> str:
        """Return the span, the combinations and the number of launches."""
        span = ""
        if self.start is not None and self.stop is not None:
            span = f" from {self.start.utc.isot[:10]} to {self.stop.utc.isot[:10]}"
        return (f"{self.combinations} site × station × vehicle combinations{span}: "
                f"{len(self)} launches; unreachable by a direct ascent: {len(self.skipped)}")


def _window_case(case, bias_s=None):
    from orbits.errors import ArgumentError as _ArgErr

    from .launch_timing import predict_launches

    site, station, vehicle, profile, start, days = case
    bias = None if bias_s is None else bias_s * u.s
    try:
        res = predict_launches(site, station, vehicle=vehicle, profile=profile,
                               start=Time(start, scale="utc"), days=days, bias=bias)
    except _ArgErr as exc:
        if "cannot be reached" in str(exc):
            return {"skipped": f"{site} to {station} ({vehicle}): {exc}"}
        raise
    n = len(res)
    age = res.inputs[0].age.to_value(u.day) if res.inputs and res.inputs[0].age is not None \
        else np.nan
    return {
        "site": np.full(n, res.site), "station": np.full(n, res.station),
        "vehicle": np.full(n, res.vehicle), "profile": np.full(n, res.profile),
        "in_plane": res.time, "launch_time": res.launch_time,
        "azimuth": res.azimuth.to_value(u.deg), "crossing": np.asarray(res.crossing, dtype=str),
        "in_corridor": np.asarray(res.in_corridor, dtype=str),
        "elements_age": np.full(n, age), "warnings": tuple(res.warnings),
    }


def _names(values, default, lookup, what):
    out = list(default if values is None else ([values] if isinstance(values, str) else values))
    if not out:
        raise ArgumentError(f"{what} must name at least one entry, got none")
    return [lookup(v) for v in out]


@_quiet
def survey_windows(*, start, years=1.0, sites=None, stations=("ISS", "CSS"), vehicles=None,
                   profile=None, block_days=30.0, bias=None, chunks=1, scheduler=None,
                   progress=False, timeout=DEFAULT_TIMEOUT,
                   max_cells=MAX_SURVEY_CELLS) -> WindowSurvey:
    """Every launch from each site to each station for each vehicle over ``years``.

    Parameters
    ----------
    start : Time or ISO string
        First day of the survey.
    years : float
        Length of the survey (Julian years of 365.25 d), in (0, 50].
    sites : str or list of str, optional
        Pads of ``launch_pads.toml`` or catalog launch sites; default every pad.
    stations : str or list of str
        "ISS", "CSS" (and their aliases).
    vehicles : str or list of str, optional
        Vehicles of ``launch_profiles.toml``; default every vehicle.
    profile : str, optional
        One rendezvous profile for every vehicle; default :data:`DEFAULT_PROFILES`.
    block_days : float
        Days per launch-window scan (one case), in (0, 60].
    bias : Quantity (time), optional
        Timing bias for every vehicle; default each vehicle's fitted bias.
    chunks : int
        Cases per Dask task.
    scheduler, progress, timeout
        See :mod:`orbits.distributed`.
    max_cells : float
        Largest number of scan steps (cases × 10-minute steps) allowed.

    Returns
    -------
    WindowSurvey
    """
    from orbits._validation import as_time

    from . import launch_timing as lt

    chunks = check_chunks(chunks)
    t0 = as_time(start, "start")
    if not t0.isscalar:
        raise ArgumentError(f"start must be a single time, got shape {t0.shape}")
    years = _positive(years, "years", upper=50)
    block = _positive(block_days, "block_days", upper=60)
    bias_s = None
    if bias is not None:
        from orbits._validation import as_value

        bias_s = float(as_value(bias, u.s, "bias", min=-3600.0, max=3600.0))
    pads = [p["name"] for p in lt._toml("launch_pads.toml")["pad"]]
    vehs = [v["key"] for v in lt._toml("launch_profiles.toml")["vehicle"]]

    def site_name(s):
        lt._site_coordinates(s, None)  # a pad or a catalog launch site, else NotFoundError
        return s

    def station_name(s):
        lt._station_number(s, None)
        return s

    site_list = _names(sites, pads, site_name, "sites")
    station_list = _names(stations, ("ISS", "CSS"), station_name, "stations")
    veh_list = _names(vehicles, vehs, lambda v: lt.vehicle_parameters(v)["key"], "vehicles")
    if profile is not None:
        lt.profile_parameters(profile)
    total = years * 365.25
    n_blocks = int(math.ceil(total / block - 1e-9))
    cases = []
    for s in site_list:
        for st in station_list:
            for v in veh_list:
                prof = profile or DEFAULT_PROFILES.get(v, "two-orbit")
                for b in range(n_blocks):
                    days = min(block, total - b * block)
                    cases.append((s, st, v, prof, (t0 + b * block * u.day).utc.isot, days))
    combos = len(site_list) * len(station_list) * len(veh_list)
    check_survey_size(len(cases), int(block * _WINDOW_STEPS_PER_DAY), chunks=chunks,
                      what=(f"a launch-window survey of {combos} combinations over {years:g} "
                            f"years ({len(cases):,} scans of {block:g} d)"),
                      result_bytes_per_cell=0.0, max_cells=max_cells)
    parts = map_cases(_quiet(_window_case), cases, chunks=chunks, scheduler=scheduler,
                      progress=progress, timeout=timeout, desc="windows", bias_s=bias_s)
    skipped, done = [], []
    for p in parts:
        if "skipped" in p:
            if p["skipped"] not in skipped:
                skipped.append(p["skipped"])
        else:
            done.append(p)
    warns = []
    stale = [w for p in done for w in p["warnings"]]
    if stale:
        warns.append(f"{len(stale)} of {len(done)} scans use element sets more than 14 days "
                     "from their start (the packaged history ends; their times may be off by "
                     "minutes or more)")
    warns.extend(f"unreachable, skipped: {s}" for s in skipped)
    return WindowSurvey(
        site=_cat([p["site"] for p in done], str), station=_cat([p["station"] for p in done], str),
        vehicle=_cat([p["vehicle"] for p in done], str),
        profile=_cat([p["profile"] for p in done], str),
        in_plane=_cat_time([p["in_plane"] for p in done]),
        launch_time=_cat_time([p["launch_time"] for p in done]),
        azimuth=_cat([p["azimuth"] for p in done]) * u.deg,
        crossing=_cat([p["crossing"] for p in done], str),
        in_corridor=_cat([p["in_corridor"] for p in done], str),
        elements_age=_cat([p["elements_age"] for p in done]) * u.day,
        start=t0, stop=t0 + total * u.day, combinations=combos, cases=len(cases),
        skipped=tuple(skipped), warnings=tuple(warns), analysis_date=t0,
        notes=("in-plane instants and launch times of missions.launch_timing.predict_launches, "
               f"one scan per {block:g} days with the latest element set before it",),
    )


# --- lunar transfers ---------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class LunarSurvey(TableResult):
    """The cheapest lunar transfer of each month (:func:`survey_lunar`), one row per month."""

    month: np.ndarray = column("month")
    departure: Time = column("departure", fmt="minute")
    tof: u.Quantity = column("tof", "day", fmt=".2f", doc="time of flight")
    tli_dv: u.Quantity = column("TLI Δv", "km/s", fmt=".3f")
    loi_dv: u.Quantity = column("LOI Δv", "km/s", fmt=".3f")
    total_dv: u.Quantity = column("TLI + LOI Δv", "km/s", fmt=".3f")
    in_plane: np.ndarray = column("in plane")
    solved_fraction: np.ndarray = column("cells solved", fmt=".3f")
    parking_inclination: u.Quantity = value("parking inclination", default=None)
    step: u.Quantity = value("departure step", default=None)

    title = "Lunar transfer survey"

    def summary(self) -> str:
        """Return the months and the cheapest of them."""
        if not len(self):
            return "no month"
        i = int(np.argmin(self.total_dv.to_value(u.km / u.s)))
        return (f"{len(self)} months from {self.month[0]}, cheapest {self.month[i]}: "
                f"{self.total_dv[i].to_value(u.km / u.s):.3f} km/s departing "
                f"{self.departure[i].utc.isot[:16].replace('T', ' ')}")


def _month_starts(t0: Time, months: int) -> list[Time]:
    y, m = (int(x) for x in t0.utc.isot[:7].split("-"))
    out = []
    for k in range(months + 1):
        yy, mm = y + (m - 1 + k) // 12, (m - 1 + k) % 12 + 1
        out.append(Time(f"{yy:04d}-{mm:02d}-01T00:00:00", scale="utc"))
    return out


def _lunar_case(case, tofs_day, step_s, kwargs):
    import orbits

    label, a, b = case
    t_a, t_b = Time(a, scale="utc"), Time(b, scale="utc")
    offs = np.arange(0.0, (t_b - t_a).to_value(u.s), step_s)
    res = orbits.lunar_porkchop(t_a + offs * u.s, np.asarray(tofs_day) * u.day, **kwargs)
    return {"month": label, "departure": res.best_departure, "tof": res.best_tof.to_value(u.day),
            "tli": res.best_tli_dv.to_value(u.km / u.s),
            "loi": res.best_loi_dv.to_value(u.km / u.s),
            "total": res.best_total_dv.to_value(u.km / u.s), "in_plane": res.best_in_plane,
            "solved": res.solved_fraction}


@_quiet
def survey_lunar(*, start, months=12, step=1 * u.h, tofs=None,
                 parking_altitude=200 * u.km, parking_inclination=51.7 * u.deg,
                 chunks=1, scheduler=None, progress=False, timeout=DEFAULT_TIMEOUT,
                 max_cells=MAX_SURVEY_CELLS) -> LunarSurvey:
    """Return the cheapest :func:`orbits.lunar_porkchop` cell of each calendar month.

    Parameters
    ----------
    start : Time or ISO string
        A date (or "YYYY-MM") in the first month; the survey starts on its 1st, 00:00 UTC.
    months : int
        Number of months, 1 .. 600.
    step : Quantity (time)
        Departure step within each month, in [1 min, 1 d].
    tofs : Quantity (time), 1-D, optional
        Times of flight; default 3 to 6 days every 0.25 day.
    parking_altitude, parking_inclination : Quantity
        As :func:`orbits.lunar_porkchop`.
    chunks : int
        Months per Dask task.
    scheduler, progress, timeout
        See :mod:`orbits.distributed`.
    max_cells : float
        Largest number of porkchop cells allowed in the whole survey.

    Returns
    -------
    LunarSurvey
    """
    from orbits._validation import as_time, as_value
    from orbits.lunar import porkchop as _pc

    chunks = check_chunks(chunks)
    if isinstance(start, str) and len(start.strip()) == 7:  # "YYYY-MM": that month
        start = start.strip() + "-01"
    t0 = as_time(start, "start")
    if not t0.isscalar:
        raise ArgumentError(f"start must be a single time, got shape {t0.shape}")
    months = _positive(months, "months", integer=True, upper=600)
    step_s = float(as_value(step, u.s, "step", min=60.0, max=86400.0))
    tofs = np.arange(3.0, 6.0 + 1e-9, 0.25) * u.day if tofs is None else tofs
    tofs_day = np.atleast_1d(as_value(tofs, u.day, "tofs", min=0.5, max=30.0))
    if tofs_day.ndim != 1 or tofs_day.size == 0:
        raise ArgumentError(f"tofs must be a non-empty 1-D Quantity, got shape {tofs_day.shape}")
    edges = _month_starts(t0, months)
    cases = [(e.utc.isot[:7], e.utc.isot, f.utc.isot) for e, f in zip(edges[:-1], edges[1:])]
    rows = int(sum(math.ceil((f - e).to_value(u.s) / step_s) for e, f in
                   zip(edges[:-1], edges[1:])))
    per_month = int(math.ceil(31 * 86400 / step_s))
    check_survey_size(
        rows, tofs_day.size, chunks=per_month,
        what=(f"a lunar survey of {months} months at a {step_s / 60:g} min step x "
              f"{tofs_day.size} times of flight"),
        result_bytes_per_cell=0.0, work_bytes_per_cell=getattr(_pc, "_BYTES_PER_CELL", 0.0),
        max_cells=max_cells)
    kwargs = {"parking_altitude": parking_altitude, "parking_inclination": parking_inclination}
    parts = map_cases(_quiet(_lunar_case), cases, chunks=chunks, scheduler=scheduler,
                      progress=progress, timeout=timeout, desc="lunar",
                      tofs_day=tuple(tofs_day), step_s=step_s, kwargs=kwargs)
    incl = as_value(parking_inclination, u.deg, "parking_inclination")
    return LunarSurvey(
        month=np.array([p["month"] for p in parts], dtype=str),
        departure=_cat_time([p["departure"].reshape((1,)) for p in parts]),
        tof=np.array([p["tof"] for p in parts]) * u.day,
        tli_dv=np.array([p["tli"] for p in parts]) * u.km / u.s,
        loi_dv=np.array([p["loi"] for p in parts]) * u.km / u.s,
        total_dv=np.array([p["total"] for p in parts]) * u.km / u.s,
        in_plane=np.array([p["in_plane"] for p in parts], dtype=bool),
        solved_fraction=np.array([p["solved"] for p in parts]),
        parking_inclination=float(incl) * u.deg, step=(step_s * u.s).to(u.min),
        analysis_date=t0,
        notes=("the cheapest cell of orbits.lunar_porkchop over each calendar month's "
               f"departures every {step_s / 60:g} min and {tofs_day.size} times of flight "
               f"({tofs_day.min():g}-{tofs_day.max():g} d)",),
    )


# --- Mars ----------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class MarsSurvey(TableResult):
    """The cheapest cell of each year's Mars porkchop (:func:`survey_mars`)."""

    year: np.ndarray = column("year")
    departure: Time = column("departure", fmt="day")
    tof: u.Quantity = column("tof", "day", fmt=".0f", doc="time of flight")
    total_dv: u.Quantity = column("best Δv", "km/s", fmt=".3f",
                                  doc="the porkchop's best total (its own definition)")

    title = "Mars window survey"

    def summary(self) -> str:
        """Return the years and the cheapest of them."""
        if not len(self):
            return "no year"
        i = int(np.argmin(self.total_dv.to_value(u.km / u.s)))
        return (f"{len(self)} years from {self.year[0]}, cheapest departing "
                f"{self.departure[i].utc.isot[:10]}: {self.total_dv[i].to_value(u.km / u.s):.3f}"
                " km/s")


def _mars_porkchop():
    """Return ``orbits.mars``'s porkchop function, looked up when a survey runs."""
    if "orbits.mars" not in sys.modules and importlib.util.find_spec("orbits.mars") is None:
        raise NotFoundError(
            "survey mars: no Mars porkchop is available yet (this installation has no "
            "orbits.mars module); the windows and lunar surveys are"
        )
    mod = importlib.import_module("orbits.mars")
    for name in ("mars_porkchop", "porkchop"):
        fn = getattr(mod, name, None)
        if callable(fn):
            return fn
    raise NotFoundError("survey mars: orbits.mars has no mars_porkchop function yet")


def _mars_case(case, tofs_day, step_days):
    label, a, b = case
    t_a, t_b = Time(a, scale="utc"), Time(b, scale="utc")
    dep = t_a + np.arange(0.0, (t_b - t_a).to_value(u.day), step_days) * u.day
    res = _mars_porkchop()(dep, tof_min=float(np.min(tofs_day)) * u.day,
                           tof_max=float(np.max(tofs_day)) * u.day)
    return {"year": label, "departure": res.best_dv_departure,
            "tof": (res.best_dv_arrival - res.best_dv_departure).to_value(u.day),
            "total": u.Quantity(res.best_total_dv).to_value(u.km / u.s)}


@_quiet
def survey_mars(*, start="2026-01-01", years=10, step=2 * u.day, tofs=None, chunks=1,
                scheduler=None, progress=False, timeout=DEFAULT_TIMEOUT,
                max_cells=MAX_SURVEY_CELLS) -> MarsSurvey:
    """Return the cheapest Mars porkchop cell of each year (the Earth–Mars windows of a decade).

    Each year is one :func:`orbits.mars.mars_porkchop` over that year's departures (arrivals
    within the ``tofs`` range), and its minimum-total-Δv cell is the year's row.

    Parameters
    ----------
    start : Time or ISO string
        A date in the first year (the survey starts on its 1 January).
    years : int
        Number of years, 1 .. 50.
    step : Quantity (time)
        Departure step, in [1 h, 30 d].
    tofs : Quantity (time), 1-D, optional
        Times of flight; default 120 to 450 days every 5 days.
    chunks : int
        Years per Dask task.
    scheduler, progress, timeout, max_cells
        See :func:`survey_lunar`.

    Returns
    -------
    MarsSurvey
    """
    from orbits._validation import as_time, as_value

    chunks = check_chunks(chunks)
    _mars_porkchop()
    t0 = as_time(start, "start")
    years = _positive(years, "years", integer=True, upper=50)
    step_d = float(as_value(step, u.day, "step", min=1 / 24, max=30.0))
    tofs = np.arange(120.0, 450.0 + 1e-9, 5.0) * u.day if tofs is None else tofs
    tofs_day = np.atleast_1d(as_value(tofs, u.day, "tofs", min=0.0, min_inclusive=False))
    y0 = int(t0.utc.isot[:4])
    cases = [(str(y), f"{y:04d}-01-01T00:00:00", f"{y + 1:04d}-01-01T00:00:00")
             for y in range(y0, y0 + years)]
    check_survey_size(int(years * math.ceil(366 / step_d)), tofs_day.size, chunks=chunks,
                      what=f"a Mars survey of {years} years", result_bytes_per_cell=0.0,
                      max_cells=max_cells)
    parts = map_cases(_quiet(_mars_case), cases, chunks=chunks, scheduler=scheduler,
                      progress=progress, timeout=timeout, desc="mars",
                      tofs_day=tuple(tofs_day), step_days=step_d)
    return MarsSurvey(
        year=np.array([p["year"] for p in parts], dtype=str),
        departure=_cat_time([p["departure"].reshape((1,)) for p in parts]),
        tof=np.array([p["tof"] for p in parts]) * u.day,
        total_dv=np.array([p["total"] for p in parts]) * u.km / u.s,
        analysis_date=t0,
        notes=("the cheapest cell of orbits.mars's porkchop over each calendar year "
               "(a year without a window gives its cheapest edge cell)",),
    )


# --- output ------------------------------------------------------------------------------------


def _flat_columns(result) -> dict:
    """Columns as plain arrays: Times as ISO UTC strings (ms), Quantities in their units."""
    out = {}
    for name, _label, val, _fmt in result._columns():
        if isinstance(val, Time):
            out[f"{name}_utc"] = _iso(val) if len(val) else np.array([], dtype=str)
        elif isinstance(val, u.Quantity):
            unit = str(val.unit).replace(" ", "").replace("/", "_per_")
            out[f"{name}_{unit}"] = np.asarray(val.value, dtype=float)
        else:
            out[name] = np.asarray(val)
    return out


def write_survey(result, out, stem: str) -> tuple[Path, Path]:
    """Write a survey's rows to ``out/<stem>.parquet`` and ``out/<stem>.csv``; return the paths.

    Times are ISO UTC strings (milliseconds), Quantities plain numbers in the column's unit
    (named in the column name, e.g. ``azimuth_deg``); the Parquet metadata holds the summary
    and notes.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is in the survey and test extras
        raise ArgumentError("writing a survey needs pyarrow: pip install "
                            "\"mission-compare[survey]\"") from None
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ArgumentError(f"--out must be a directory, got the file {str(out)!r}")
    out.mkdir(parents=True, exist_ok=True)
    cols = _flat_columns(result)
    table = pa.table({k: pa.array(v.tolist()) if v.dtype.kind in "UO" else pa.array(v)
                      for k, v in cols.items()})
    table = table.replace_schema_metadata({
        "result": type(result).__name__, "summary": result.summary(),
        "notes": " | ".join(result.notes), "warnings": " | ".join(result.warnings)})
    pq_path, csv_path = out / f"{stem}.parquet", out / f"{stem}.csv"
    pq.write_table(table, pq_path)
    pacsv.write_csv(table, csv_path)
    return pq_path, csv_path
