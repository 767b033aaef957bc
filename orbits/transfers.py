"""Station-to-station transfer search with units: ``orbits.station_transfer_search``.

Two Earth orbits given by mean classical elements at their epochs are propagated with
Keplerian motion plus the secular J2 drift of node, periapsis and mean anomaly; on a grid of
departure times x times of flight a Lambert transfer from the departure station to the arrival
station is solved for every cell in vectorised calls (:mod:`orbits.core.transfers`).

Orbit input
-----------
Each orbit is either a mapping (e.g. a ``dict``) or any object with attributes (a
``NamedTuple``, a ``dataclass``, a boinor ``Orbit``) providing

* ``a`` (length), ``ecc`` (dimensionless Quantity or float), ``inc``, ``raan``, ``argp``
  (angles), ``epoch`` (astropy ``Time`` or ISO string),
* and the anomaly at the epoch: ``M`` (mean anomaly, angle) or, if there is no ``M``,
  ``nu`` (true anomaly, angle).

Only closed orbits (``0 <= ecc < 1``) are accepted. The elements are treated as mean elements
(as in a TLE); positions built from them are accurate to the J2 short-period terms (~10 km in
LEO), which is fine for Δv maps and windows but not for rendezvous targeting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from astropy import units as u
from astropy.time import Time

from ._validation import as_time, as_value, check_work_size, describe_value
from .core import transfers as _core
from .core.constants import GM_EARTH, J2_EARTH, J4_EARTH, R_EARTH
from .core.kepler import true_to_mean
from .errors import ArgumentError, ArgumentTypeError
from .lambert import _check_option
from .results import Result, TableResult, column, quantity, value

__all__ = ["StationTransferResult", "TransferWindows", "station_transfer_search"]

_KMS = u.km / u.s
_KM3_S2 = u.km**3 / u.s**2


def _field(orbit, key, name):
    if isinstance(orbit, Mapping):
        if key in orbit:
            return orbit[key]
    elif hasattr(orbit, key):
        return getattr(orbit, key)
    return None


def _orbit_elements(orbit, name):
    """Return the validated (MeanElements at the orbit's epoch, epoch) from a mapping/object."""
    vals = {}
    for key in ("a", "ecc", "inc", "raan", "argp", "epoch"):
        val = _field(orbit, key, name)
        if val is None:
            raise ArgumentTypeError(
                f"{name} must provide '{key}' (needs a, ecc, inc, raan, argp, epoch and M or nu), "
                f"got {type(orbit).__name__}"
            )
        vals[key] = val
    ecc = vals["ecc"]
    if not isinstance(ecc, u.Quantity):
        ecc = np.asarray(ecc, dtype=float) * u.one
    a = as_value(vals["a"], u.km, f"{name}.a", min=0.0, min_inclusive=False)
    e = as_value(ecc, u.one, f"{name}.ecc", min=0.0, max=1.0, max_inclusive=False)
    inc = as_value(vals["inc"], u.rad, f"{name}.inc", min=0.0, max=np.pi)
    raan = as_value(vals["raan"], u.rad, f"{name}.raan")
    argp = as_value(vals["argp"], u.rad, f"{name}.argp")
    for key, val in (("a", a), ("ecc", e), ("inc", inc), ("raan", raan), ("argp", argp)):
        if np.ndim(val) != 0:
            raise ArgumentError(f"{name}.{key} must be a scalar, got shape {np.shape(val)}")
    M = _field(orbit, "M", name)
    if M is None:  # orbits.tle.TLE names it in full
        M = _field(orbit, "mean_anomaly", name)
    if M is not None:
        M0 = as_value(M, u.rad, f"{name}.M")
    else:
        nu = _field(orbit, "nu", name)
        if nu is None:
            raise ArgumentTypeError(
                f"{name} must provide the mean anomaly ('M' or 'mean_anomaly') "
                "or the true anomaly 'nu'"
            )
        M0 = float(true_to_mean(as_value(nu, u.rad, f"{name}.nu"), e))
    epoch = as_time(vals["epoch"], f"{name}.epoch")
    if not epoch.isscalar:
        raise ArgumentError(f"{name}.epoch must be a single time, got shape {epoch.shape}")
    return _core.MeanElements(a, e, inc, raan, argp, float(M0)), epoch


def _shift_to(el, dt, gm, J2, R, J4=None):
    """Mean elements ``dt`` seconds after the elements' epoch (secular drift)."""
    rd, wd, n = _core.secular_rates(el, gm, J2, R, J4)
    return el._replace(raan=el.raan + rd * dt, argp=el.argp + wd * dt, M=el.M + n * dt)


def _grid_kernel():
    """Return the compiled grid kernel and propagator (imported on first use), or None."""
    from ._kernels import lambert_numba

    try:
        lambert_numba.compile_kernels()
    except ImportError:
        return None
    return lambert_numba.grid_block, lambert_numba.station_states


def _when(t) -> str:
    return t.utc.isot[:16].replace("T", " ") + " UTC"


@dataclass(frozen=True, repr=False)
class TransferWindows(TableResult):
    """The cheapest transfer windows of a search, cheapest first.

    Result of :meth:`StationTransferResult.best`.

    Columns: ``departure``, ``arrival`` (Time), ``tof`` (time of flight, min), ``dv1``
    (departure impulse), ``dv2`` (arrival impulse), ``dv_total`` (their sum, km/s) and
    ``revs`` (complete revolutions on the transfer orbit).
    """

    departure: Time = column("departure", fmt="minute")
    arrival: Time = column("arrival", fmt="minute")
    tof: u.Quantity = column("tof", "min", fmt=".0f", doc="time of flight")
    dv1: u.Quantity = column("Δv1", "km/s", fmt=".3f", doc="departure impulse")
    dv2: u.Quantity = column("Δv2", "km/s", fmt=".3f", doc="arrival (rendezvous) impulse")
    dv_total: u.Quantity = column("Δv", "km/s", fmt=".3f", doc="total Δv, dv1 + dv2")
    revs: np.ndarray = column("revs", doc="complete revolutions on the transfer orbit")
    departure_name: str = value("from", default="")
    arrival_name: str = value("to", default="")
    min_separation: u.Quantity = quantity(
        "windows at least this far apart", "d", fmt=".2f", default=None
    )

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        who = " → ".join(x for x in (self.departure_name, self.arrival_name) if x)
        if not len(self):
            return f"{who + ': ' if who else ''}no interior minimum in the grid"
        return (
            f"{who + ': ' if who else ''}{len(self)} windows, best "
            f"{self.dv_total[0].to_value(_KMS):.3f} km/s departing {_when(self.departure[0])}"
        )


@dataclass(frozen=True, repr=False)
class StationTransferResult(Result):
    """Result of :func:`station_transfer_search`: the grids and their cheapest cell.

    Grids (plain fields, not displayed) have shape ``(N departures, K times of flight)``.
    Cells where no Lambert solution exists for any revolution count tried have
    ``ok == False`` and NaN Δv; use ``ok``, not the NaNs, to select them. The displayed
    fields describe the grid and its cheapest solved cell (``best_*``; blank if no cell
    was solved); :meth:`best` lists the cheapest distinct windows.
    """

    departure: Time  #: (N,) departure times
    tof: u.Quantity  #: (K,) times of flight
    dv1: u.Quantity  #: (N, K) departure impulse, km/s
    dv2: u.Quantity  #: (N, K) arrival impulse (rendezvous), km/s
    dv_total: u.Quantity  #: (N, K) dv1 + dv2, km/s
    ok: np.ndarray  #: (N, K) bool
    revs: np.ndarray  #: (N, K) complete revolutions of the cheapest solution (-1 where not ok)
    lowpath: np.ndarray  #: (N, K) branch of that solution when revs >= 1
    minima: np.ndarray  #: flat indices of the interior local minima of dv_total, cheapest first
    departure_name: str = value("from", default="")
    arrival_name: str = value("to", default="")
    first_departure: Time = value("first departure", fmt="minute", default=None)
    last_departure: Time = value("last departure", fmt="minute", default=None)
    departures: int = value("departure times", default=0)
    tof_min: u.Quantity = quantity("shortest time of flight", "min", fmt=".0f", default=None)
    tof_max: u.Quantity = quantity("longest time of flight", "min", fmt=".0f", default=None)
    solved_fraction: float = quantity("cells solved", fmt=".3f", default=None)
    best_departure: Time = value("cheapest departure", fmt="minute", default=None)
    best_tof: u.Quantity = quantity("its time of flight", "min", fmt=".0f", default=None)
    best_dv1: u.Quantity = quantity("its departure Δv", "km/s", fmt=".3f", default=None)
    best_dv2: u.Quantity = quantity("its arrival Δv", "km/s", fmt=".3f", default=None)
    best_dv_total: u.Quantity = quantity("its total Δv", "km/s", fmt=".3f", default=None)
    best_revs: int = value("its revolutions", default=None)
    best_on_edge: bool = value("cheapest cell on the grid's edge", default=None)

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        who = " → ".join(x for x in (self.departure_name, self.arrival_name) if x)
        head = f"{who}: " if who else ""
        grid = f"{self.ok.shape[0]}×{self.ok.shape[1]} grid"
        if self.best_dv_total is None:
            return f"{head}{grid}, no cell solved"
        return (
            f"{head}{grid}, cheapest {self.best_dv_total.to_value(_KMS):.3f} km/s departing "
            f"{_when(self.best_departure)}"
        )

    def with_names(self, departure_name: str, arrival_name: str) -> StationTransferResult:
        """Return a copy naming the two orbits (display names)."""
        return replace(self, departure_name=str(departure_name), arrival_name=str(arrival_name))

    def best(self, n: int = 5, *, min_separation=None) -> TransferWindows:
        """Return the ``n`` cheapest windows: local minima of the total Δv inside the grid.

        Minima on the grid's edge are left out (the Δv may keep falling beyond the searched
        range); fewer than ``n`` rows come back if the grid has fewer interior minima.

        Parameters
        ----------
        n : int
            Number of windows (>= 1).
        min_separation : Quantity (time), optional
            Skip a window whose departure lies within this interval of a cheaper window already
            listed (e.g. ``1 * u.day`` for one window per opportunity).

        Returns
        -------
        TransferWindows
            Columns ``departure``, ``arrival`` (Time), ``tof`` (min), ``dv1``, ``dv2``,
            ``dv_total`` (km/s), ``revs``; cheapest first.
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ArgumentError(f"n must be a positive integer, got {n!r}")
        sep_q = None
        if min_separation is None:
            idx = self.minima[: int(n)]
        else:
            sep = as_value(min_separation, u.s, "min_separation", min=0.0)
            if np.ndim(sep):
                raise ArgumentError(
                    f"min_separation must be a single time interval, got shape {np.shape(sep)}"
                )
            sep_q = (sep * u.s).to(u.day)
            t_rel = (self.departure - self.departure[0]).to_value(u.s)
            rows = np.unravel_index(self.minima, self.ok.shape)[0]
            picked: list[int] = []
            picked_t: list[float] = []
            for flat, row in zip(self.minima, rows):
                t = t_rel[row]
                if all(abs(t - q) >= sep for q in picked_t):
                    picked.append(int(flat))
                    picked_t.append(t)
                    if len(picked) == n:
                        break
            idx = np.array(picked, dtype=int)
        i, j = np.unravel_index(np.asarray(idx, dtype=int), self.ok.shape)
        dep = self.departure[i]
        tof = self.tof[j].to(u.min)
        return TransferWindows(
            departure=dep,
            arrival=dep + tof,
            tof=tof,
            dv1=self.dv1[i, j],
            dv2=self.dv2[i, j],
            dv_total=self.dv_total[i, j],
            revs=np.asarray(self.revs[i, j]),
            departure_name=self.departure_name,
            arrival_name=self.arrival_name,
            min_separation=sep_q,
            notes=self.notes,
            inputs=self.inputs,
            analysis_date=self.analysis_date,
            warnings=self.warnings,
        )


#: Bytes per grid cell kept by the search (the float grids dv1, dv2, dv, revs, flags and their
#: Quantity copies); the Lambert temporaries are bounded by the core's chunking (~400 MB).
_BYTES_PER_CELL = 8 * 8


def station_transfer_search(
    departure_orbit,
    arrival_orbit,
    departure,
    tof,
    *,
    max_revs: int = 0,
    k=GM_EARTH * _KM3_S2,
    j2: bool = True,
    second_order: bool = False,
    prograde: bool | None = None,
    chunk_size: int | None = None,
    threads: int | None = None,
    compiled: bool | None = None,
    chunks: int | None = None,
    scheduler=None,
) -> StationTransferResult:
    """Δv of two-impulse (Lambert) transfers between two orbiting stations on a time grid.

    Parameters
    ----------
    departure_orbit, arrival_orbit : mapping or object
        Mean elements and epoch of each station (see the module docstring).
    departure : Time, shape (N,)
        Departure times (strictly increasing; e.g. ``t0 + np.arange(n) * 10 * u.min``).
    tof : Quantity, shape (K,), time
        Times of flight (> 0, strictly increasing).
    max_revs : int
        Largest number of complete revolutions on the transfer orbit tried in each cell (both
        multi-revolution branches are solved); the cheapest feasible solution is kept.
    k : Quantity
        Earth's gravitational parameter (default 398600.4418 km^3/s^2).
    j2 : bool
        Include the secular J2 drift of the stations' orbits (Earth's J2 and radius).
    second_order : bool
        With ``j2``, add the J2^2 and J4 secular terms (SGP4's model): for stations given by
        TLEs the node alignments then fall within minutes of SGP4's instead of ~1.6 days off.
    prograde : bool, optional
        Direction of the transfer orbits; default: that of the departure orbit (inc < 90 deg).
    chunk_size : int, optional
        Grid cells per block (default :data:`orbits.core.transfers.DEFAULT_CELLS`, at least one
        departure row): the grid is solved block by block over the departures, with bounded
        temporaries. Results do not depend on it.
    threads : int, optional
        Threads solving blocks at once (default: the CPUs available to the process).
    compiled : bool, optional
        Solve the cells with the compiled (numba) kernel: ``None`` (default) when numba is
        installed, ``False`` with the numpy core (the reference), ``True`` require the kernel.
    chunks : int, optional
        Run the search as a Dask graph of tasks of ``chunks`` departures each
        (:func:`orbits.distributed.chunked_station_transfer_search`: the same grids, minima
        and best cell; each task uses one thread unless ``threads`` says otherwise).
    scheduler : optional
        Where the tasks run (see :func:`orbits.distributed.run_chunked`): threads in this
        process by default, an active ``dask.distributed`` Client, or ``"tcp://host:port"``.

    Returns
    -------
    StationTransferResult
    """
    chunk = _check_option(chunk_size, "chunk_size")
    nthreads = _check_option(threads, "threads")
    if compiled not in (None, True, False):
        raise ArgumentTypeError(
            f"compiled must be None, True or False, got {describe_value(compiled)}"
        )
    if chunks is not None or scheduler is not None:
        from .distributed import chunked_station_transfer_search

        n = np.size(as_time(departure, "departure"))
        return chunked_station_transfer_search(
            departure_orbit, arrival_orbit, departure, tof,
            chunks=n if chunks is None else chunks, scheduler=scheduler, max_revs=max_revs,
            k=k, j2=j2, second_order=second_order, prograde=prograde, chunk_size=chunk_size,
            threads=1 if threads is None else threads, compiled=compiled)
    gm = as_value(k, _KM3_S2, "k", min=0.0, min_inclusive=False)
    dep_el, dep_epoch = _orbit_elements(departure_orbit, "departure_orbit")
    arr_el, arr_epoch = _orbit_elements(arrival_orbit, "arrival_orbit")
    departure = as_time(departure, "departure")
    if departure.isscalar:
        departure = departure.reshape((1,))
    departure = Time(departure, format="isot", precision=0)  # copy; readable in tables
    if departure.ndim != 1:
        raise ArgumentError(f"departure must be a 1-D Time array, got shape {departure.shape}")
    if departure.size == 0:
        raise ArgumentError("departure must hold at least one time, got an empty Time array")
    tof_s = np.atleast_1d(as_value(tof, u.s, "tof", min=0.0, min_inclusive=False))
    if tof_s.ndim != 1:
        raise ArgumentError(f"tof must be a 1-D Quantity array, got shape {tof_s.shape}")
    if tof_s.size == 0:
        raise ArgumentError("tof must hold at least one time of flight, got an empty array")
    if tof_s.size > 1 and np.any(np.diff(tof_s) <= 0):
        raise ArgumentError("tof must be strictly increasing")
    if isinstance(max_revs, bool) or not isinstance(max_revs, (int, np.integer)) or max_revs < 0:
        raise ArgumentError(f"max_revs must be an integer >= 0, got {max_revs!r}")
    if max_revs > 20:
        raise ArgumentError(f"max_revs must be at most 20, got {max_revs!r}")
    check_work_size(
        float(departure.size) * tof_s.size * _BYTES_PER_CELL,
        f"a {departure.size:,} x {tof_s.size:,} transfer grid with max_revs={max_revs}",
    )
    if prograde is None:
        prograde = bool(dep_el.inc < np.pi / 2)

    J2 = J2_EARTH if j2 else 0.0
    J4 = J4_EARTH if (j2 and second_order) else None
    # time origin: the first departure; both orbits' mean elements are moved to it
    t0 = departure[0]
    t_dep = (departure - t0).to_value(u.s)
    if t_dep.size > 1 and np.any(np.diff(t_dep) <= 0):
        raise ArgumentError("departure times must be strictly increasing")
    dep0 = _shift_to(dep_el, (t0 - dep_epoch).to_value(u.s), gm, J2, R_EARTH, J4)
    arr0 = _shift_to(arr_el, (t0 - arr_epoch).to_value(u.s), gm, J2, R_EARTH, J4)

    kernel = propagate = None
    if compiled is not False:
        found = _grid_kernel()
        if found is None and compiled:
            raise ArgumentError("compiled=True needs numba, which is not installed")
        if found is not None:
            kernel, propagate = found
    grid = _core.transfer_grid(
        dep0,
        arr0,
        t_dep,
        tof_s,
        k=gm,
        J2=J2,
        R=R_EARTH,
        J4=J4,
        max_revs=int(max_revs),
        prograde=bool(prograde),
        chunk_size=chunk,
        threads=nthreads,
        kernel=kernel,
        propagate=propagate,
    )
    minima = _core.local_minima(grid.dv, grid.ok)
    dv_total = grid.dv << _KMS  # views, not copies (the grids are the bulk of the memory)
    tof_q = (tof_s * u.s).to(u.min)
    best = {}
    warnings = ()
    if np.any(grid.ok):
        flat = int(np.argmin(np.where(grid.ok, grid.dv, np.inf)))
        i, j = np.unravel_index(flat, grid.ok.shape)
        n_dep, n_tof = grid.ok.shape
        best = {
            "best_departure": departure[i],
            "best_tof": tof_q[j],
            "best_dv1": grid.dv1[i, j] * _KMS,
            "best_dv2": grid.dv2[i, j] * _KMS,
            "best_dv_total": dv_total[i, j],
            "best_revs": int(grid.revs[i, j]),
            "best_on_edge": bool(i in (0, n_dep - 1) or j in (0, n_tof - 1)),
        }
    else:
        warnings = (
            (
                "no cell of the grid has a Lambert solution: widen the times of flight or "
                "allow more revolutions"
            ),
        )
    model = (
        "Keplerian motion"
        if not j2
        else "secular J2, J2^2 and J4 drift (SGP4's model)"
        if second_order
        else "secular J2 drift"
    )
    return StationTransferResult(
        departure=departure,
        tof=tof_q,
        dv1=grid.dv1 << _KMS,
        dv2=grid.dv2 << _KMS,
        dv_total=dv_total,
        ok=grid.ok,
        revs=grid.revs,
        lowpath=grid.lowpath,
        minima=minima,
        first_departure=departure[0],
        last_departure=departure[-1],
        departures=int(departure.size),
        tof_min=tof_q.min(),
        tof_max=tof_q.max(),
        solved_fraction=float(np.mean(grid.ok)),
        warnings=warnings,
        notes=(
            (
                f"two-impulse Lambert transfers (Izzo), up to {int(max_revs)} revolutions, "
                f"between mean orbits with {model}; cheapest cell over the whole grid, "
                "best() lists interior minima"
            ),
        ),
        **best,
    )
