"""Earth-Mars transfers on the toolkit's engine: porkchops, the window calendar, flown missions.

Heliocentric patched conics (:mod:`orbits.core.interplanetary`): the Earth's and Mars' centres
from JPL DE421 relative to the Sun's centre (the Sun's offset from the solar-system barycentre
is taken from the kernel), the solar GM of DE421, one vectorised Lambert call (Izzo 2015,
:func:`orbits.core.lambert.lambert`) per bounded chunk of a departure x arrival grid. Prograde
single-revolution arcs only, both type I (transfer angle below 180 deg) and type II (above),
classified about the J2000 ecliptic pole.

* :func:`mars_transfer` -- one transfer between given dates (a flown mission's);
* :func:`mars_porkchop` -- the grid: C3, v-infinity at both ends, time of flight, launch Δv from
  a circular parking orbit, capture Δv into a stated Mars orbit, total Δv;
* :func:`mars_windows` -- the window calendar: every opportunity's minimum-C3 departure and
  minimum total Δv (2026-2040 by default);
* :func:`place_on_window` -- a mission's own dates against its window's minimum
  (e.g. :data:`TIANWEN_1`).

Every result exposes the launch energy ``c3`` (km^2/s^2) so that launcher performance curves
(payload mass against C3) can be applied to it. The model has no deep-space manoeuvre, no
launch-site or asymptote-declination constraint and no Mars-orbit plane constraint: the
minimum C3 of a window is the ballistic one of the mission-design handbooks (George & Kos,
NASA/TM-1998-208533; Burke, Falck & McGuire, NASA/TM-2010-216764).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from ._validation import as_time, as_value, check_work_size, describe_value
from .core import interplanetary as ip
from .core.constants import GM_EARTH, GM_SUN, R_EARTH
from .core.lambert import COLLINEAR, OK
from .errors import ArgumentError, ArgumentTypeError, ConvergenceError
from .results import Result, TableResult, column, quantity, value

__all__ = [
    "TIANWEN_1",
    "TIANWEN_1_CAPTURE",
    "FlownTransfer",
    "MarsMissionWindow",
    "MarsPorkchop",
    "MarsTransfer",
    "MarsTransfers",
    "MarsWindowCalendar",
    "mars_porkchop",
    "mars_transfer",
    "mars_windows",
    "place_on_window",
]

KMS = u.km / u.s
KM2S2 = u.km**2 / u.s**2
_DAY = 86400.0

#: Transfer angles closer than this to 180 deg are not solved (status COLLINEAR): there the
#: Lambert plane is ill-defined and the Δv grows without bound (the porkchop's ridge).
_RIDGE = np.radians(0.5)

#: Default range of times of flight searched, days.
TOF_MIN = 80.0
TOF_MAX = 500.0


@dataclass(frozen=True)
class FlownTransfer:
    """A flown Earth-Mars transfer: launch and Mars-arrival epochs (UTC) and their sources."""

    name: str
    launch: Time
    arrival: Time
    vehicle: str
    site: str
    source: str


#: Tianwen-1: launched 2020-07-23 12:41 Beijing time (04:41 UTC) on Long March 5 (Y4) from
#: Wenchang (Leonard David, "China's en route Mars mission: new videos", 2020-07; Xinhua
#: factbox 2021-02-10); Mars orbit insertion burn of ~15 min started 2021-02-10 19:52 Beijing
#: time (11:52 UTC) (CNSA release, Parabolic Arc 2021-02-10; Xinhua on english.spacechina.com,
#: 2021-02-19). The flight had four trajectory corrections and one deep-space manoeuvre
#: (2020-10-09), so its real launch C3 need not equal the ballistic Lambert value.
TIANWEN_1 = FlownTransfer(
    name="Tianwen-1",
    launch=Time("2020-07-23T04:41:00", scale="utc"),
    arrival=Time("2021-02-10T11:52:00", scale="utc"),
    vehicle="Long March 5 (Y4)",
    site="Wenchang",
    source="launch: Xinhua 2021-02-10, L. David 2020-07; MOI 19:52 BJT: CNSA via Parabolic "
    "Arc 2021-02-10 and Xinhua (english.spacechina.com) 2021-02-19",
)

#: Tianwen-1's capture orbit after the insertion burn: periapsis altitude about 400 km, period
#: about 10 Earth days, inclination about 10 deg (CNSA release of 2021-02-10, Parabolic Arc).
#: A 10-day period with a 400 km periapsis puts the apoapsis near 180,000 km altitude (Kepler's
#: third law with Mars' GM), which is the value used here.
TIANWEN_1_CAPTURE = {"mars_periapsis_altitude": 400 * u.km,
                     "mars_apoapsis_altitude": 180_000 * u.km}


# --- inputs --------------------------------------------------------------------------------


def _quiet(func):
    """Run ``func`` without ERFA's "dubious year" warnings.

    Future UTC dates lie past the leap-second table; a leap second more or less does not move a
    day-level launch window, so the warning carries no information here.
    """
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from erfa import ErfaWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ErfaWarning)
            return func(*args, **kwargs)

    return wrapper


def _epochs_1d(value, name):
    t = as_time(value, name)
    t = t.reshape(-1) if t.ndim else t.reshape((1,))
    if t.size == 0:
        raise ArgumentError(f"{name} must hold at least one epoch, got an empty Time")
    return t


def _scalar_km(value, name, lo, hi):
    x = as_value(value, u.km, name, min=lo, max=hi)
    if np.ndim(x):
        raise ArgumentError(f"{name} must be a scalar, got shape {np.shape(x)}")
    return float(x)


def _orbits(parking_altitude, mars_periapsis_altitude, mars_apoapsis_altitude):
    h0 = _scalar_km(parking_altitude, "parking_altitude", 100.0, 2000.0)
    hp = _scalar_km(mars_periapsis_altitude, "mars_periapsis_altitude", 0.0, 1.0e6)
    if mars_apoapsis_altitude is None:
        ha = hp
    else:
        ha = _scalar_km(mars_apoapsis_altitude, "mars_apoapsis_altitude", 0.0, 1.0e6)
        if ha < hp:
            raise ArgumentError(
                f"mars_apoapsis_altitude must be >= mars_periapsis_altitude ({hp:g} km), "
                f"got {ha:g} km"
            )
    return h0, hp, ha


def _tof_range(tof_min, tof_max):
    lo = as_value(tof_min, u.day, "tof_min", min=1.0, max=2000.0)
    hi = as_value(tof_max, u.day, "tof_max", min=1.0, max=2000.0)
    if np.ndim(lo) or np.ndim(hi) or hi <= lo:
        raise ArgumentError(f"tof_min and tof_max must be scalars with tof_min < tof_max, got "
                            f"{describe_value(tof_min)} and {describe_value(tof_max)}")
    return float(lo), float(hi)


_TYPES = {"both": (1, 2), "i": (1,), "ii": (2,), "1": (1,), "2": (2,)}


def _types(transfer_type):
    key = str(transfer_type).strip().casefold() if isinstance(transfer_type, (str, int)) else None
    if key not in _TYPES:
        raise ArgumentError(f"transfer_type must be 'both', 'I' or 'II', got "
                            f"{describe_value(transfer_type)}")
    return _TYPES[key]


def _states(epochs, ephemeris, name):
    """Heliocentric ecliptic-J2000 states and TDB seconds of Earth and Mars at ``epochs``."""
    from .ephemeris import ephemeris_span, heliocentric_states_km
    from .errors import DateRangeError

    span = ephemeris_span(ephemeris)
    tdb = epochs.tdb
    bad = (tdb < span[0]) | (tdb > span[1])
    if np.any(bad):
        first = tdb[bad].ravel()[0] if tdb.ndim else tdb
        raise DateRangeError(
            f"{name} must lie within the ephemeris span {span[0].iso[:10]} .. "
            f"{span[1].iso[:10]} (TDB; DE421 holds Mars for 1899-2053), got {first.iso[:16]} "
            f"({int(np.sum(bad))} of {bad.size} epochs outside)"
        )
    out = {}
    for body in ("earth", "mars"):
        r, v = heliocentric_states_km(body, epochs, ephemeris, name=name)
        out[body] = (ip.ecliptic_from_equatorial(r), ip.ecliptic_from_equatorial(v), r, v)
    tdb = epochs.tdb
    t = (np.asarray(tdb.jd1) - 2451545.0) * _DAY + np.asarray(tdb.jd2) * _DAY
    return out, t


@dataclass(frozen=True)
class _Grid:
    c3: np.ndarray
    vinf_dep: np.ndarray  # km/s magnitude
    vinf_arr: np.ndarray
    dla: np.ndarray  # rad, equatorial
    rla: np.ndarray
    angle: np.ndarray
    kind: np.ndarray  # 1 / 2 (0 where not ok)
    status: np.ndarray
    ok: np.ndarray
    tof: np.ndarray  # days


def _grid(dep, arr, *, ephemeris, tof_lo, tof_hi, types=(1, 2),
          names=("departures", "arrivals")) -> _Grid:
    """Solve the departure x arrival grid (Time 1-D each) and derive the per-cell quantities."""
    check_work_size(
        dep.size * arr.size * ip.BYTES_PER_CELL,
        f"a Mars porkchop of {dep.size} departures x {arr.size} arrivals",
    )
    sd, td = _states(dep, ephemeris, names[0])
    sa, ta = _states(arr, ephemeris, names[1])
    re, ve, _, _ = sd["earth"]
    rm, vm, _, _ = sa["mars"]
    g = ip.transfer_grid(GM_SUN, re, ve, td, rm, vm, ta, tof_min=tof_lo * _DAY,
                         tof_max=tof_hi * _DAY, collinear_guard=_RIDGE)
    kind = np.where(g.angle < np.pi, 1, 2).astype(np.int8)
    status = g.status.copy()
    if tuple(types) != (1, 2):
        status[(status == OK) & ~np.isin(kind, types)] = ip.NOT_SEARCHED
    ok = status == OK
    kind = np.where(ok, kind, 0).astype(np.int8)
    # departure asymptote in equatorial (ICRF) axes: rotate the ecliptic vector back
    vd_ecl = g.v_inf_departure
    c, s = np.cos(ip.OBLIQUITY_J2000), np.sin(ip.OBLIQUITY_J2000)
    vd_eq = np.stack([vd_ecl[..., 0], c * vd_ecl[..., 1] - s * vd_ecl[..., 2],
                      s * vd_ecl[..., 1] + c * vd_ecl[..., 2]], axis=-1)
    rla, dla = ip.asymptote_angles(vd_eq)
    vinf_d = np.linalg.norm(vd_ecl, axis=-1)
    vinf_a = np.linalg.norm(g.v_inf_arrival, axis=-1)
    nan = np.where(ok, 0.0, np.nan)
    tof = (ta[None, :] - td[:, None]) / _DAY
    return _Grid(c3=vinf_d**2 + nan, vinf_dep=vinf_d + nan, vinf_arr=vinf_a + nan,
                 dla=dla + nan, rla=rla + nan, angle=g.angle, kind=kind, status=status, ok=ok,
                 tof=tof)


def _burns(grid: _Grid, h0, hp, ha):
    from .core.interplanetary import GM_MARS, R_MARS

    launch = ip.departure_dv(grid.vinf_dep, R_EARTH + h0, GM_EARTH)
    capture = ip.capture_dv(grid.vinf_arr, R_MARS + hp, R_MARS + ha, GM_MARS)
    return launch, capture


def _ephem_inputs(ephemeris):
    from .ephemeris import ephemeris_input

    return (ephemeris_input(ephemeris),)


_MODEL_NOTE = (
    "ballistic patched conics: heliocentric Lambert arc (Izzo) between the Earth's and Mars' "
    "centres (DE421, Sun-centred, solar GM of DE421), prograde, one revolution at most; launch "
    "burn from a circular parking orbit, capture burn at the periapsis of the arrival "
    "hyperbola; no deep-space manoeuvre, no launch-site or asymptote-declination limit"
)


def _orbit_text(hp, ha):
    if ha == hp:
        return f"circular {hp:,.0f} km"
    return f"{hp:,.0f} km x {ha:,.0f} km"


def _day(t: Time) -> str:
    with warnings.catch_warnings():
        from erfa import ErfaWarning

        warnings.simplefilter("ignore", ErfaWarning)
        return t.utc.isot[:10]


# --- one transfer --------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class MarsTransfer(Result):
    """One ballistic Earth-Mars transfer between given epochs (see :func:`mars_transfer`)."""

    name: str = value("transfer")
    departure: Time = value("departure", fmt="minute")
    arrival: Time = value("arrival", fmt="minute")
    tof: u.Quantity = quantity("time of flight", "day", fmt=".1f")
    transfer_type: str = value("type")
    transfer_angle: u.Quantity = quantity("transfer angle", "deg", fmt=".1f")
    c3: u.Quantity = quantity("C3", "km2 / s2", fmt=".2f")
    v_inf_departure: u.Quantity = quantity("departure v∞", "km / s", fmt=".3f")
    dla: u.Quantity = quantity("declination of launch asymptote", "deg", fmt=".1f")
    rla: u.Quantity = quantity("right ascension of launch asymptote", "deg", fmt=".1f")
    v_inf_arrival: u.Quantity = quantity("arrival v∞", "km / s", fmt=".3f")
    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    mars_orbit: str = value("Mars orbit")
    launch_dv: u.Quantity = quantity("launch Δv", "km / s", fmt=".3f")
    capture_dv: u.Quantity = quantity("capture Δv", "km / s", fmt=".3f")
    total_dv: u.Quantity = quantity("total Δv", "km / s", fmt=".3f")

    title = "Earth-Mars transfer"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        who = f"{self.name}: " if self.name else ""
        return (f"{who}{_day(self.departure)} -> {_day(self.arrival)} "
                f"({self.tof.to_value(u.day):.0f} d, type {self.transfer_type}), "
                f"C3 {self.c3.to_value(KM2S2):.2f} km2/s2, "
                f"arrival v∞ {self.v_inf_arrival.to_value(KMS):.2f} km/s")


@_quiet
def mars_transfer(departure, arrival, *, parking_altitude=200 * u.km,
                  mars_periapsis_altitude=400 * u.km, mars_apoapsis_altitude=None,
                  ephemeris="de421", name: str = "") -> MarsTransfer:
    """Compute the ballistic Earth-Mars transfer from ``departure`` to Mars at ``arrival``.

    Parameters
    ----------
    departure, arrival : Time (scalar) or ISO string
        Launch (trans-Mars injection) and Mars-arrival epochs; with DE421 in 1899-2053,
        else :class:`orbits.errors.DateRangeError`.
    parking_altitude : Quantity (length)
        Circular Earth parking orbit of the launch burn (100 .. 2000 km).
    mars_periapsis_altitude, mars_apoapsis_altitude : Quantity (length)
        Target Mars orbit (apoapsis None: circular). Tianwen-1's: :data:`TIANWEN_1_CAPTURE`.
    ephemeris : 'de421' or an SPK file with the Earth and Mars segments
    name : str

    Raises
    ------
    ConvergenceError
        If the arc has no Lambert solution (e.g. a transfer angle within 0.5 deg of 180 deg).
    """
    if not isinstance(name, str):
        raise ArgumentTypeError(f"name must be a string, got {describe_value(name)}")
    dep = as_time(departure, "departure")
    arr = as_time(arrival, "arrival")
    if dep.ndim or arr.ndim:
        raise ArgumentError("departure and arrival must be single epochs; use mars_porkchop "
                            "for grids")
    h0, hp, ha = _orbits(parking_altitude, mars_periapsis_altitude, mars_apoapsis_altitude)
    tof_days = float((arr.tdb - dep.tdb).to_value(u.day))
    if not 1.0 <= tof_days <= 2000.0:
        raise ArgumentError(f"arrival must be 1 .. 2000 days after departure, got "
                            f"{tof_days:.1f} days")
    g = _grid(dep.reshape((1,)), arr.reshape((1,)), ephemeris=ephemeris, tof_lo=0.5,
              tof_hi=2001.0, names=("departure", "arrival"))
    if not g.ok[0, 0]:
        code = int(g.status[0, 0])
        why = ("the transfer angle is within 0.5 deg of 180 deg (the transfer plane is "
               "ill-defined)" if code == COLLINEAR else f"Lambert status {code}")
        raise ConvergenceError(f"no ballistic Earth-Mars transfer from {_day(dep)} to "
                               f"{_day(arr)}: {why}")
    launch, capture = _burns(g, h0, hp, ha)
    return MarsTransfer(
        name=name, departure=dep, arrival=arr, tof=tof_days * u.day,
        transfer_type="I" if g.kind[0, 0] == 1 else "II",
        transfer_angle=(g.angle[0, 0] * u.rad).to(u.deg),
        c3=g.c3[0, 0] * KM2S2, v_inf_departure=g.vinf_dep[0, 0] * KMS,
        dla=(g.dla[0, 0] * u.rad).to(u.deg), rla=(g.rla[0, 0] * u.rad).to(u.deg),
        v_inf_arrival=g.vinf_arr[0, 0] * KMS, parking_altitude=h0 * u.km,
        mars_orbit=_orbit_text(hp, ha), launch_dv=launch[0, 0] * KMS,
        capture_dv=capture[0, 0] * KMS, total_dv=(launch + capture)[0, 0] * KMS,
        inputs=_ephem_inputs(ephemeris), notes=(_MODEL_NOTE,),
    )


# --- porkchop --------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class MarsTransfers(TableResult):
    """The best departures of a :class:`MarsPorkchop`, best first (each at its best arrival)."""

    name: str = value("transfer")
    ranked_by: str = value("ranked by")
    departure: Time = column("departure", fmt="day")
    arrival: Time = column("arrival", fmt="day")
    tof: u.Quantity = column("tof", "day", fmt=".0f")
    transfer_type: np.ndarray = column("type")
    c3: u.Quantity = column("C3", "km2 / s2", fmt=".2f")
    dla: u.Quantity = column("DLA", "deg", fmt=".1f")
    v_inf_arrival: u.Quantity = column("arrival v∞", "km / s", fmt=".3f")
    launch_dv: u.Quantity = column("launch Δv", "km / s", fmt=".3f")
    capture_dv: u.Quantity = column("capture Δv", "km / s", fmt=".3f")
    total_dv: u.Quantity = column("total Δv", "km / s", fmt=".3f")

    title = "Best Earth-Mars departures"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        who = f"{self.name}: " if self.name else ""
        if not len(self):
            return f"{who}no transfer"
        return (f"{who}{len(self)} departures by {self.ranked_by}, best C3 "
                f"{self.c3[0].to_value(KM2S2):.2f} km2/s2 on {_day(self.departure[0])}")


@dataclass(frozen=True, repr=False)
class MarsPorkchop(Result):
    """Earth-Mars grids of shape ``(len(departures), len(arrivals))`` and their best cells.

    Grid fields (not displayed): ``c3`` (km^2/s^2), ``v_inf_departure``, ``v_inf_arrival``,
    ``launch_dv``, ``capture_dv``, ``total_dv`` (km/s), ``dla`` (deg, declination of the
    launch asymptote), ``tof`` (days), ``transfer_type`` (1 or 2; 0 where not solved),
    ``status`` (Lambert status; :data:`orbits.core.interplanetary.NOT_SEARCHED` outside the
    time-of-flight range or of an excluded type) and ``ok``. Cells with ``ok == False`` are NaN
    in the Quantity grids; :meth:`best` and the figure skip them.
    """

    departures: Time
    arrivals: Time
    tof: u.Quantity
    c3: u.Quantity
    v_inf_departure: u.Quantity
    v_inf_arrival: u.Quantity
    dla: u.Quantity
    launch_dv: u.Quantity
    capture_dv: u.Quantity
    total_dv: u.Quantity
    transfer_type: np.ndarray
    status: np.ndarray
    ok: np.ndarray
    name: str = value("transfer")
    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    mars_orbit: str = value("Mars orbit")
    first_departure: Time = value("first departure", fmt="day")
    last_departure: Time = value("last departure", fmt="day")
    first_arrival: Time = value("first arrival", fmt="day")
    last_arrival: Time = value("last arrival", fmt="day")
    n_cells: int = value("cells (departures x arrivals)")
    solved_fraction: float = quantity("cells solved", "", fmt=".3f")
    best_c3_departure: Time = value("minimum-C3 departure", fmt="day")
    best_c3_arrival: Time = value("minimum-C3 arrival", fmt="day")
    best_c3_tof: u.Quantity = quantity("minimum-C3 time of flight", "day", fmt=".0f")
    best_c3_type: str = value("minimum-C3 type")
    best_c3: u.Quantity = quantity("minimum C3", "km2 / s2", fmt=".2f")
    best_c3_v_inf_arrival: u.Quantity = quantity("minimum-C3 arrival v∞", "km / s", fmt=".3f")
    best_dv_departure: Time = value("minimum-Δv departure", fmt="day")
    best_dv_arrival: Time = value("minimum-Δv arrival", fmt="day")
    best_dv_c3: u.Quantity = quantity("minimum-Δv C3", "km2 / s2", fmt=".2f")
    best_launch_dv: u.Quantity = quantity("minimum-Δv launch Δv", "km / s", fmt=".3f")
    best_capture_dv: u.Quantity = quantity("minimum-Δv capture Δv", "km / s", fmt=".3f")
    best_total_dv: u.Quantity = quantity("minimum total Δv", "km / s", fmt=".3f")

    title = "Earth-Mars porkchop"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        who = f"{self.name}: " if self.name else ""
        return (f"{who}{len(self.departures)} departures x {len(self.arrivals)} arrivals from "
                f"{_day(self.first_departure)}, minimum C3 {self.best_c3.to_value(KM2S2):.2f} "
                f"km2/s2 on {_day(self.best_c3_departure)} (type {self.best_c3_type}, "
                f"{self.best_c3_tof.to_value(u.day):.0f} d), minimum total Δv "
                f"{self.best_total_dv.to_value(KMS):.3f} km/s")

    def best(self, n: int = 5, *, by: str = "c3", min_separation=None) -> MarsTransfers:
        """Return the ``n`` best departures, each at its own best arrival.

        ``by``: ``"c3"`` (launch energy) or ``"total_dv"``. ``min_separation`` (a time) keeps
        the listed departures at least that far apart.
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ArgumentError(f"n must be a positive integer, got {describe_value(n)}")
        if by not in ("c3", "total_dv"):
            raise ArgumentError(f"by must be 'c3' or 'total_dv', got {describe_value(by)}")
        sep = None
        if min_separation is not None:
            sep = as_value(min_separation, u.day, "min_separation", min=0.0)
            if np.ndim(sep):
                raise ArgumentError("min_separation must be a scalar time")
        grid = (self.c3.to_value(KM2S2) if by == "c3" else self.total_dv.to_value(KMS))
        cost = np.where(self.ok, grid, np.inf)
        j = np.argmin(cost, axis=1)
        per = cost[np.arange(cost.shape[0]), j]
        t_day = (self.departures.tdb - self.departures[0].tdb).to_value(u.day)
        picked: list[int] = []
        for i in np.argsort(per, kind="stable"):
            if not np.isfinite(per[i]):
                break
            if sep is None or all(abs(t_day[i] - t_day[p]) >= sep - 1e-9 for p in picked):
                picked.append(int(i))
            if len(picked) == n:
                break
        i = np.array(picked, dtype=int)
        jj = j[i]
        return MarsTransfers(
            name=self.name, ranked_by="C3" if by == "c3" else "total Δv",
            departure=self.departures[i], arrival=self.arrivals[jj],
            tof=self.tof[i, jj], transfer_type=np.array(
                ["I" if k == 1 else "II" for k in self.transfer_type[i, jj]], dtype=object),
            c3=self.c3[i, jj], dla=self.dla[i, jj], v_inf_arrival=self.v_inf_arrival[i, jj],
            launch_dv=self.launch_dv[i, jj], capture_dv=self.capture_dv[i, jj],
            total_dv=self.total_dv[i, jj], notes=self.notes, inputs=self.inputs,
            analysis_date=self.analysis_date, warnings=self.warnings,
        )

    def min_c3_by_departure(self):
        """Per departure, the lowest C3 over the arrivals (km^2/s^2; inf where none solved)."""
        c3 = np.where(self.ok, self.c3.to_value(KM2S2), np.inf)
        return c3.min(axis=1) * KM2S2


def _span(start, days, step, name):
    t0 = as_time(start, name)
    if t0.ndim:
        raise ArgumentError(f"{name} must be a single epoch, got shape {t0.shape}")
    n = as_value(days, u.day, f"{name} span", min=0.0)
    h = as_value(step, u.day, "step", min=0.01, min_inclusive=True)
    if np.ndim(n) or np.ndim(h):
        raise ArgumentError("the span and step must be scalars")
    count = int(np.floor(n / h + 1e-9)) + 1
    return t0 + np.arange(count) * h * u.day


@_quiet
def mars_porkchop(departures, arrivals=None, *, parking_altitude=200 * u.km,
                  mars_periapsis_altitude=400 * u.km, mars_apoapsis_altitude=None,
                  transfer_type: str = "both", tof_min=TOF_MIN * u.day,
                  tof_max=TOF_MAX * u.day, arrival_step=2 * u.day, ephemeris="de421",
                  name: str = "") -> MarsPorkchop:
    """C3, v∞, time of flight and Δv over a grid of Earth departures x Mars arrivals.

    Parameters
    ----------
    departures : Time, 1-D
        Departure (trans-Mars injection) epochs.
    arrivals : Time, 1-D, optional
        Mars arrival epochs; default every ``arrival_step`` from the first departure plus
        ``tof_min`` to the last departure plus ``tof_max``.
    parking_altitude : Quantity
        Circular Earth parking orbit of the launch burn (default 200 km).
    mars_periapsis_altitude, mars_apoapsis_altitude : Quantity
        Target Mars orbit (default circular 400 km; Tianwen-1's: ``**TIANWEN_1_CAPTURE``).
    transfer_type : {'both', 'I', 'II'}
        Keep type I (transfer angle < 180 deg), type II (> 180 deg) or both.
    tof_min, tof_max : Quantity (time)
        Cells outside this time-of-flight range are not searched (default 80 .. 500 days).
    ephemeris : 'de421' (default) or an SPK file with the Earth and Mars segments
    name : str
        What the grid is for, shown in the summary.

    Raises
    ------
    DateRangeError
        Any epoch outside the ephemeris (DE421: 1899-07-29 .. 2053-10-09).
    SizeLimitError
        A grid whose working memory (about 500 B a cell) exceeds the toolkit's limit, before
        anything is allocated.
    ConvergenceError
        No cell of the grid has a solution.
    """
    if not isinstance(name, str):
        raise ArgumentTypeError(f"name must be a string, got {describe_value(name)}")
    dep = _epochs_1d(departures, "departures")
    h0, hp, ha = _orbits(parking_altitude, mars_periapsis_altitude, mars_apoapsis_altitude)
    lo, hi = _tof_range(tof_min, tof_max)
    types = _types(transfer_type)
    if arrivals is None:
        first = dep.tdb.min() + lo * u.day
        days = float((dep.tdb.max() - dep.tdb.min()).to_value(u.day)) + hi - lo
        step = as_value(arrival_step, u.day, "arrival_step", min=0.01)
        check_work_size(dep.size * (days / step + 1) * ip.BYTES_PER_CELL,
                        f"a Mars porkchop of {dep.size} departures x "
                        f"{int(days / step) + 1} arrivals")
        arr = _span(first, days * u.day, step * u.day, "arrivals")
    else:
        arr = _epochs_1d(arrivals, "arrivals")
    g = _grid(dep, arr, ephemeris=ephemeris, tof_lo=lo, tof_hi=hi, types=types)
    if not g.ok.any():
        raise ConvergenceError(
            f"no cell of the {dep.size} x {arr.size} Mars porkchop has a solution with a time "
            f"of flight of {lo:g} .. {hi:g} days; check that arrivals follow departures"
        )
    launch, capture = _burns(g, h0, hp, ha)
    total = launch + capture
    bi, bj = np.unravel_index(np.nanargmin(g.c3), g.c3.shape)
    di, dj = np.unravel_index(np.nanargmin(total), total.shape)
    return MarsPorkchop(
        departures=dep, arrivals=arr, tof=g.tof * u.day, c3=g.c3 * KM2S2,
        v_inf_departure=g.vinf_dep * KMS, v_inf_arrival=g.vinf_arr * KMS,
        dla=(g.dla * u.rad).to(u.deg), launch_dv=launch * KMS, capture_dv=capture * KMS,
        total_dv=total * KMS, transfer_type=g.kind, status=g.status, ok=g.ok, name=name,
        parking_altitude=h0 * u.km, mars_orbit=_orbit_text(hp, ha),
        first_departure=dep.min(), last_departure=dep.max(), first_arrival=arr.min(),
        last_arrival=arr.max(), n_cells=int(g.ok.size), solved_fraction=float(g.ok.mean()),
        best_c3_departure=dep[bi], best_c3_arrival=arr[bj], best_c3_tof=g.tof[bi, bj] * u.day,
        best_c3_type="I" if g.kind[bi, bj] == 1 else "II", best_c3=g.c3[bi, bj] * KM2S2,
        best_c3_v_inf_arrival=g.vinf_arr[bi, bj] * KMS, best_dv_departure=dep[di],
        best_dv_arrival=arr[dj], best_dv_c3=g.c3[di, dj] * KM2S2,
        best_launch_dv=launch[di, dj] * KMS, best_capture_dv=capture[di, dj] * KMS,
        best_total_dv=total[di, dj] * KMS, inputs=_ephem_inputs(ephemeris),
        notes=(_MODEL_NOTE, f"times of flight {lo:g} .. {hi:g} days searched; transfer angles "
               f"within 0.5 deg of 180 deg not solved"),
    )


# --- window calendar ------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class MarsWindowCalendar(TableResult):
    """One row per Earth-Mars launch opportunity (see :func:`mars_windows`)."""

    first_year: int = value("from")
    last_year: int = value("to")
    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    mars_orbit: str = value("Mars orbit")
    c3_margin: u.Quantity = quantity("launch period: C3 within", "km2 / s2", fmt=".1f")
    opportunity: np.ndarray = column("opportunity")
    departure: Time = column("minimum-C3 departure", fmt="day")
    arrival: Time = column("arrival", fmt="day")
    tof: u.Quantity = column("tof", "day", fmt=".0f")
    transfer_type: np.ndarray = column("type")
    c3: u.Quantity = column("minimum C3", "km2 / s2", fmt=".2f")
    c3_type1: u.Quantity = column("type I C3", "km2 / s2", fmt=".2f")
    c3_type2: u.Quantity = column("type II C3", "km2 / s2", fmt=".2f")
    dla: u.Quantity = column("DLA", "deg", fmt=".1f")
    v_inf_arrival: u.Quantity = column("arrival v∞", "km / s", fmt=".2f")
    period_open: Time = column("period opens", fmt="day")
    period_close: Time = column("period closes", fmt="day")
    dv_departure: Time = column("minimum-Δv departure", fmt="day")
    dv_arrival: Time = column("minimum-Δv arrival", fmt="day")
    total_dv: u.Quantity = column("minimum total Δv", "km / s", fmt=".3f")

    title = "Earth-Mars launch opportunities"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if not len(self):
            return f"{self.first_year}-{self.last_year}: no opportunity"
        return (f"{self.first_year}-{self.last_year}: {len(self)} opportunities "
                f"({', '.join(self.opportunity)}), minimum C3 "
                f"{np.min(self.c3.to_value(KM2S2)):.2f} .. {np.max(self.c3.to_value(KM2S2)):.2f}"
                f" km2/s2")

    def window(self, year) -> dict:
        """Return the row of the opportunity whose launch period touches ``year``."""
        if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
            raise ArgumentTypeError(f"year must be an integer, got {describe_value(year)}")
        for k in range(len(self)):
            y0 = int(_day(self.period_open[k])[:4])
            y1 = int(_day(self.period_close[k])[:4])
            if y0 <= year <= y1:
                return self[k]
        raise ArgumentError(f"no opportunity in {year}; opportunities: "
                            f"{', '.join(self.opportunity)}")


#: Half-width of the refined porkchop around each opportunity, days.
_HALF = 100.0


def _label(t0: Time, t1: Time) -> str:
    with warnings.catch_warnings():
        from erfa import ErfaWarning

        warnings.simplefilter("ignore", ErfaWarning)
        y0, y1 = int(t0.utc.isot[:4]), int(t1.utc.isot[:4])
    return str(y0) if y0 == y1 else f"{y0}–{y1 % 100:02d}"


def _refine(center: Time, half_days, *, ephemeris, lo, hi, h0, hp, ha, c3_margin):
    """Fine porkchop (1-day departures, 2-day arrivals) around ``center``; its window numbers."""
    dep = center.tdb + np.arange(-half_days, half_days + 1.0, 1.0) * u.day
    pc = mars_porkchop(dep, None, parking_altitude=h0 * u.km,
                       mars_periapsis_altitude=hp * u.km, mars_apoapsis_altitude=ha * u.km,
                       tof_min=lo * u.day, tof_max=hi * u.day, arrival_step=2 * u.day,
                       ephemeris=ephemeris)
    c3 = np.where(pc.ok, pc.c3.to_value(KM2S2), np.inf)
    per = c3.min(axis=1)
    inside = np.flatnonzero(per <= per.min() + c3_margin)
    t1 = np.where(pc.transfer_type == 1, c3, np.inf).min()
    t2 = np.where(pc.transfer_type == 2, c3, np.inf).min()
    return pc, per, inside, t1, t2


@_quiet
def mars_windows(start="2026-01-01", end="2040-12-31", *, parking_altitude=200 * u.km,
                 mars_periapsis_altitude=400 * u.km, mars_apoapsis_altitude=None,
                 c3_margin=1 * KM2S2, tof_min=TOF_MIN * u.day, tof_max=TOF_MAX * u.day,
                 ephemeris="de421") -> MarsWindowCalendar:
    """List the Earth-Mars launch opportunities whose minimum-C3 departure lies in start .. end.

    A coarse scan (5-day departures, 5-day arrivals) finds one C3 minimum per synodic
    period (about 780 days, 2 years 50 days); each is then refined on a 1-day x 2-day
    porkchop spanning 100 days either side. Per opportunity: the minimum-C3 departure with its
    arrival, type, DLA and arrival v∞, the lowest type I and type II C3, the launch period
    (departure dates whose best C3 is within ``c3_margin`` of the minimum; an opportunity is
    labelled by the years it spans, e.g. "2028–29") and the minimum total Δv (launch from
    ``parking_altitude`` plus capture into the stated Mars orbit).

    Raises
    ------
    DateRangeError
        ``start`` or ``end`` (with the search margins) outside DE421 (1899-2053).
    """
    t0 = as_time(start, "start")
    t1 = as_time(end, "end")
    if t0.ndim or t1.ndim or t1 <= t0:
        raise ArgumentError(f"start and end must be single epochs with start < end, got "
                            f"{describe_value(start)} and {describe_value(end)}")
    span_days = float((t1.tdb - t0.tdb).to_value(u.day))
    if span_days > 40 * 365.25:
        raise ArgumentError(f"end must be at most 40 years after start, got {span_days:.0f} days")
    h0, hp, ha = _orbits(parking_altitude, mars_periapsis_altitude, mars_apoapsis_altitude)
    lo, hi = _tof_range(tof_min, tof_max)
    margin = as_value(c3_margin, KM2S2, "c3_margin", min=0.0, max=100.0)
    from .ephemeris import ephemeris_span

    span = ephemeris_span(ephemeris)
    from .errors import DateRangeError

    pad = 200.0
    if t0.tdb - pad * u.day < span[0] or t1.tdb + (pad + hi) * u.day > span[1]:
        raise DateRangeError(
            f"start .. end must lie within the ephemeris span {span[0].iso[:10]} .. "
            f"{span[1].iso[:10]} less {pad:g} days before and {pad + hi:g} days after "
            f"(the search margins), got {_day(t0)} .. {_day(t1)}"
        )
    # coarse scan in yearly blocks of departures (bounded grids, no per-cell loop)
    deps, mins = [], []
    block = 365.0
    first = t0.tdb - pad * u.day
    total = span_days + 2 * pad
    for b0 in np.arange(0.0, total, block):
        d = first + np.arange(b0, min(b0 + block, total + 1e-9), 5.0) * u.day
        pc = mars_porkchop(d, None, parking_altitude=h0 * u.km, tof_min=lo * u.day,
                           tof_max=hi * u.day, arrival_step=5 * u.day, ephemeris=ephemeris)
        deps.append(d)
        mins.append(pc.min_c3_by_departure().to_value(KM2S2))
    dep_all = Time(np.concatenate([d.jd1 for d in deps]), np.concatenate([d.jd2 for d in deps]),
                   format="jd", scale="tdb")
    c3_all = np.concatenate(mins)
    # one minimum per synodic period: take the lowest, blank out +-390 days, repeat
    t_all = (dep_all - first).to_value(u.day)
    free = np.isfinite(c3_all)
    centers = []
    while free.any():
        k = int(np.argmin(np.where(free, c3_all, np.inf)))
        centers.append(k)
        free &= np.abs(t_all - t_all[k]) > 390.0
    centers.sort()
    rows = []
    for k in centers:
        pc, per, inside, c3_1, c3_2 = _refine(dep_all[k], _HALF, ephemeris=ephemeris, lo=lo,
                                              hi=hi, h0=h0, hp=hp, ha=ha, c3_margin=margin)
        if not (t0.tdb <= pc.best_c3_departure.tdb <= t1.tdb):
            continue
        # a minimum on the edge of the refined span is not a window's minimum (the coarse scan
        # picked a slope next to a span end)
        imin = int(np.argmin(per))
        if imin in (0, per.size - 1):
            continue
        rows.append((pc, inside, c3_1, c3_2))
    if not rows:
        return MarsWindowCalendar(
            first_year=int(_day(t0)[:4]), last_year=int(_day(t1)[:4]),
            parking_altitude=h0 * u.km, mars_orbit=_orbit_text(hp, ha),
            c3_margin=margin * KM2S2, opportunity=np.array([], dtype=object),
            departure=Time([], format="jd", scale="tdb"), arrival=Time([], format="jd",
                                                                        scale="tdb"),
            tof=[] * u.day, transfer_type=np.array([], dtype=object), c3=[] * KM2S2,
            c3_type1=[] * KM2S2, c3_type2=[] * KM2S2, dla=[] * u.deg, v_inf_arrival=[] * KMS,
            period_open=Time([], format="jd", scale="tdb"),
            period_close=Time([], format="jd", scale="tdb"),
            dv_departure=Time([], format="jd", scale="tdb"),
            dv_arrival=Time([], format="jd", scale="tdb"), total_dv=[] * KMS,
            inputs=_ephem_inputs(ephemeris), notes=(_MODEL_NOTE,))

    def times(ts):
        return Time([t.tdb.jd for t in ts], format="jd", scale="tdb")

    opens = [pc.departures[inside[0]] for pc, inside, _, _ in rows]
    closes = [pc.departures[inside[-1]] for pc, inside, _, _ in rows]
    return MarsWindowCalendar(
        first_year=int(_day(t0)[:4]), last_year=int(_day(t1)[:4]),
        parking_altitude=h0 * u.km, mars_orbit=_orbit_text(hp, ha), c3_margin=margin * KM2S2,
        opportunity=np.array([_label(a, b) for a, b in zip(opens, closes)], dtype=object),
        departure=times([r[0].best_c3_departure for r in rows]),
        arrival=times([r[0].best_c3_arrival for r in rows]),
        tof=u.Quantity([r[0].best_c3_tof for r in rows]),
        transfer_type=np.array([r[0].best_c3_type for r in rows], dtype=object),
        c3=u.Quantity([r[0].best_c3 for r in rows]),
        c3_type1=np.array([r[2] for r in rows]) * KM2S2,
        c3_type2=np.array([r[3] for r in rows]) * KM2S2,
        dla=u.Quantity([_best_dla(r[0]) for r in rows]),
        v_inf_arrival=u.Quantity([r[0].best_c3_v_inf_arrival for r in rows]),
        period_open=times(opens), period_close=times(closes),
        dv_departure=times([r[0].best_dv_departure for r in rows]),
        dv_arrival=times([r[0].best_dv_arrival for r in rows]),
        total_dv=u.Quantity([r[0].best_total_dv for r in rows]),
        inputs=_ephem_inputs(ephemeris),
        notes=(_MODEL_NOTE, f"launch period: departure dates whose best C3 (over arrival "
               f"dates, times of flight {lo:g} .. {hi:g} days) is within {margin:g} km2/s2 of "
               f"the opportunity's minimum"),
    )


def _best_dla(pc: MarsPorkchop) -> u.Quantity:
    c3 = np.where(pc.ok, pc.c3.to_value(KM2S2), np.inf)
    i, j = np.unravel_index(np.argmin(c3), c3.shape)
    return pc.dla[i, j]


# --- a mission on its window -----------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class MarsMissionWindow(Result):
    """A mission's own dates against the minimum of its launch window (:func:`place_on_window`)."""

    name: str = value("mission")
    launch: Time = value("launch", fmt="minute")
    arrival: Time = value("Mars arrival", fmt="minute")
    tof: u.Quantity = quantity("time of flight", "day", fmt=".1f")
    transfer_type: str = value("type")
    c3: u.Quantity = quantity("C3 at the flown dates", "km2 / s2", fmt=".2f")
    v_inf_arrival: u.Quantity = quantity("arrival v∞", "km / s", fmt=".3f")
    capture_dv: u.Quantity = quantity("capture Δv", "km / s", fmt=".3f")
    total_dv: u.Quantity = quantity("total Δv", "km / s", fmt=".3f")
    mars_orbit: str = value("Mars orbit")
    window_departure: Time = value("window's minimum-C3 departure", fmt="day")
    window_arrival: Time = value("window's minimum-C3 arrival", fmt="day")
    window_c3: u.Quantity = quantity("window's minimum C3", "km2 / s2", fmt=".2f")
    c3_above_minimum: u.Quantity = quantity("C3 above the minimum", "km2 / s2", fmt=".2f")
    launch_from_minimum: u.Quantity = quantity("launch minus minimum-C3 departure", "day",
                                               fmt=".1f")
    best_c3_on_launch_day: u.Quantity = quantity("best C3 on the launch day", "km2 / s2",
                                                 fmt=".2f")
    window_total_dv: u.Quantity = quantity("window's minimum total Δv", "km / s", fmt=".3f")
    period_open: Time = value("launch period opens", fmt="day")
    period_close: Time = value("launch period closes", fmt="day")
    c3_margin: u.Quantity = quantity("launch period: C3 within", "km2 / s2", fmt=".1f")
    in_window: bool = value("launch within the period")
    porkchop: MarsPorkchop | None = None

    title = "Mission on its Mars window"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        where = "inside" if self.in_window else "outside"
        return (f"{self.name}: launch {_day(self.launch)} {where} the "
                f"{_day(self.period_open)} .. {_day(self.period_close)} period, C3 "
                f"{self.c3.to_value(KM2S2):.2f} vs minimum {self.window_c3.to_value(KM2S2):.2f} "
                f"km2/s2 on {_day(self.window_departure)}")


@_quiet
def place_on_window(mission=TIANWEN_1, *, arrival=None, name: str | None = None,
                    parking_altitude=200 * u.km, mars_periapsis_altitude=None,
                    mars_apoapsis_altitude=None, c3_margin=1 * KM2S2, ephemeris="de421"
                    ) -> MarsMissionWindow:
    """Put a mission's launch and arrival on the porkchop of its window.

    Parameters
    ----------
    mission : FlownTransfer or Time
        A :class:`FlownTransfer` (default :data:`TIANWEN_1`) or a launch epoch (then give
        ``arrival``).
    arrival : Time, optional
        Mars arrival epoch when ``mission`` is a launch epoch.
    mars_periapsis_altitude, mars_apoapsis_altitude : Quantity, optional
        Capture orbit; default Tianwen-1's (:data:`TIANWEN_1_CAPTURE`).
    c3_margin : Quantity
        Launch period: the departures whose best C3 is within this of the window's minimum.

    The window is searched on a 1-day x 2-day porkchop 90 days either side of the launch.
    """
    if isinstance(mission, FlownTransfer):
        launch, arr = mission.launch, mission.arrival
        label = mission.name if name is None else name
    else:
        launch = as_time(mission, "mission")
        if arrival is None:
            raise ArgumentError("arrival is required when mission is a launch epoch")
        arr = as_time(arrival, "arrival")
        label = name or ""
    if mars_periapsis_altitude is None:
        mars_periapsis_altitude = TIANWEN_1_CAPTURE["mars_periapsis_altitude"]
        if mars_apoapsis_altitude is None:
            mars_apoapsis_altitude = TIANWEN_1_CAPTURE["mars_apoapsis_altitude"]
    margin = as_value(c3_margin, KM2S2, "c3_margin", min=0.0, max=100.0)
    flown = mars_transfer(launch, arr, parking_altitude=parking_altitude,
                          mars_periapsis_altitude=mars_periapsis_altitude,
                          mars_apoapsis_altitude=mars_apoapsis_altitude, ephemeris=ephemeris,
                          name=label)
    h0, hp, ha = _orbits(parking_altitude, mars_periapsis_altitude, mars_apoapsis_altitude)
    center = Time(np.round(launch.tdb.jd - 0.5) + 0.5, format="jd", scale="tdb")
    pc, per, inside, _, _ = _refine(center, 90.0, ephemeris=ephemeris, lo=TOF_MIN, hi=TOF_MAX,
                                    h0=h0, hp=hp, ha=ha, c3_margin=margin)
    lday = int(np.argmin(np.abs((pc.departures - launch.tdb).to_value(u.day))))
    t_open, t_close = pc.departures[inside[0]], pc.departures[inside[-1]]
    inside_period = bool(t_open.tdb <= launch.tdb <= t_close.tdb + 1 * u.day)
    return MarsMissionWindow(
        name=label, launch=launch, arrival=arr, tof=flown.tof,
        transfer_type=flown.transfer_type, c3=flown.c3, v_inf_arrival=flown.v_inf_arrival,
        capture_dv=flown.capture_dv, total_dv=flown.total_dv, mars_orbit=flown.mars_orbit,
        window_departure=pc.best_c3_departure, window_arrival=pc.best_c3_arrival,
        window_c3=pc.best_c3, c3_above_minimum=flown.c3 - pc.best_c3,
        launch_from_minimum=(launch.tdb - pc.best_c3_departure.tdb).to(u.day),
        best_c3_on_launch_day=per[lday] * KM2S2, window_total_dv=pc.best_total_dv,
        period_open=t_open, period_close=t_close, c3_margin=margin * KM2S2,
        in_window=inside_period, porkchop=pc, inputs=flown.inputs,
        notes=flown.notes + (f"window searched on a 1-day x 2-day porkchop 90 days either side "
                             f"of the launch; launch period: best C3 within {margin:g} km2/s2 "
                             f"of the minimum",),
    )
