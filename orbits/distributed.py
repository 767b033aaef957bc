"""Run the grid functions in chunks as Dask graphs: threads, or a ``dask.distributed`` cluster.

A grid function (a porkchop, the station transfer search, a list of launch-window scans) is
split along one of its grid axes -- the departure epochs, or a list of independent cases --
into chunks of ``chunks`` entries; each chunk is one task of a Dask graph, and the partial
results are combined into the result of one in-process call. The cells of a row never depend
on the other rows, so the chunks concatenate to exactly the same arrays, and the cheapest cell
is the same cell.

Where the tasks run (``scheduler=``):

- ``None`` (default): on the ``dask.distributed`` ``Client`` that is active in this process
  (``Client(...)`` makes itself the default), else in-process threads;
- ``"threads"``, ``"sync"`` (one thread, for debugging) or ``"processes"``: dask's local
  schedulers;
- ``"tcp://host:port"`` (any ``scheme://`` address): the scheduler of a running cluster,
  connected within ``timeout`` seconds; an unreachable address raises
  :class:`SchedulerUnreachableError`;
- a ``distributed.Client``.

Work is refused before any task starts (:class:`~orbits.errors.SizeLimitError`) when the
whole survey has more than :data:`MAX_SURVEY_CELLS` cells, or its combined result or one
chunk's working memory would exceed the toolkit's work limit
(:data:`orbits._validation.MAX_WORK_BYTES`); the message names the size, the limit and the
largest ``chunks`` that fits.

Dask is imported when a chunked run starts, never at ``import orbits`` (install it with
``pip install "mission-compare[survey]"``).

Examples
--------
>>> import numpy as np
>>> from orbits.distributed import run_chunked
>>> def grid(t, k):
...     return np.add.outer(t, k)
>>> run_chunked(grid, np.arange(5.0), np.arange(2.0), split="t", chunks=2,
...             scheduler="sync").shape
(5, 2)
"""

from __future__ import annotations

import functools
import inspect
import math
import sys
import uuid
from dataclasses import fields, is_dataclass, replace

import numpy as np

from ._validation import MAX_WORK_BYTES, describe_value
from .errors import ArgumentError, ArgumentTypeError, SizeLimitError

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_SURVEY_CELLS",
    "SchedulerUnreachableError",
    "check_chunks",
    "check_survey_size",
    "chunk_bounds",
    "chunked_lunar_porkchop",
    "chunked_porkchop",
    "chunked_station_transfer_search",
    "combine_grid_results",
    "concat_parts",
    "map_cases",
    "run_chunked",
    "run_tasks",
]

#: Seconds to wait for a ``scheduler="tcp://..."`` address before giving up.
DEFAULT_TIMEOUT = 10.0

#: Largest number of grid cells one survey may hold (the combined result lives in one process).
MAX_SURVEY_CELLS = 50_000_000

_LOCAL = {"threads": "threads", "threading": "threads", "sync": "sync",
          "synchronous": "sync", "single-threaded": "sync", "processes": "processes",
          "multiprocessing": "processes"}


class SchedulerUnreachableError(ArgumentError):
    """A ``scheduler=`` address that could not be reached within the timeout."""


# --- checks ----------------------------------------------------------------------------------


def check_chunks(chunks, name: str = "chunks") -> int:
    """Return ``chunks`` as an int, or raise ArgumentError unless it is a positive integer.

    ``chunks`` is the number of entries of the split axis (departure epochs, cases) per task.
    """
    if isinstance(chunks, bool) or not isinstance(chunks, (int, np.integer)):
        raise ArgumentError(
            f"{name} must be a positive integer (entries per task), got "
            f"{describe_value(chunks)}"
        )
    if chunks < 1:
        raise ArgumentError(
            f"{name} must be a positive integer (entries per task), got {int(chunks)}"
        )
    return int(chunks)


def check_survey_size(rows: int, cells_per_row: int, *, chunks: int, what: str,
                      result_bytes_per_cell: float = 64.0, work_bytes_per_cell: float = 0.0,
                      max_cells: float = MAX_SURVEY_CELLS,
                      max_bytes: float = MAX_WORK_BYTES) -> None:
    """Refuse, before any work, a survey too big for the limits (SizeLimitError).

    Parameters
    ----------
    rows : int
        Entries of the split axis (departure epochs, cases).
    cells_per_row : int
        Cells per entry (times of flight per departure, or 1).
    chunks : int
        Entries per task.
    what : str
        What the survey is, for the message (e.g. "a lunar porkchop of 1,000 x 50").
    result_bytes_per_cell, work_bytes_per_cell : float
        Bytes each cell keeps in the combined result, and needs while a task computes it.
    max_cells, max_bytes : float
        The limits (:data:`MAX_SURVEY_CELLS`, the toolkit's work limit).
    """
    rows, cells_per_row = int(rows), max(1, int(cells_per_row))
    cells = float(rows) * cells_per_row
    gib = 1024**3
    if cells > max_cells:
        fit = max(1, int(max_cells // cells_per_row))
        raise SizeLimitError(
            f"{what} has {cells:,.0f} cells, over the limit of {max_cells:,.0f} cells per "
            f"survey; split it into surveys of at most {fit:,} entries (e.g. shorter spans) "
            "or use a coarser step"
        )
    kept = cells * result_bytes_per_cell
    if kept > max_bytes:
        fit = max(1, int(max_bytes // (cells_per_row * result_bytes_per_cell)))
        raise SizeLimitError(
            f"{what} would keep about {kept / gib:.1f} GiB of results, over the "
            f"{max_bytes / gib:.1f} GiB limit; split it into surveys of at most {fit:,} "
            "entries or use a coarser step"
        )
    per_task = min(chunks, rows) * cells_per_row * work_bytes_per_cell
    if per_task > max_bytes:
        fit = max(1, int(max_bytes // (cells_per_row * work_bytes_per_cell)))
        if fit >= 1 and cells_per_row * work_bytes_per_cell <= max_bytes:
            how = f"pass chunks={fit:,} or fewer"
        else:
            how = "use fewer cells per entry (e.g. fewer times of flight)"
        raise SizeLimitError(
            f"{what}: one task of {min(chunks, rows):,} entries would need about "
            f"{per_task / gib:.1f} GiB of working memory, over the {max_bytes / gib:.1f} GiB "
            f"limit; {how}"
        )


def chunk_bounds(n: int, chunks: int) -> list[tuple[int, int]]:
    """Return the ``(start, stop)`` of each chunk of ``chunks`` entries covering ``range(n)``."""
    chunks = check_chunks(chunks)
    return [(i, min(n, i + chunks)) for i in range(0, int(n), chunks)]


# --- schedulers ------------------------------------------------------------------------------


def _import_dask():
    try:
        import dask
    except ImportError:  # pragma: no cover - dask is in the survey and test extras
        raise ArgumentError(
            "chunked runs need dask: pip install \"mission-compare[survey]\""
        ) from None
    return dask


def _active_client():
    """Return the default ``distributed.Client`` if one is active, else None (no import)."""
    if "distributed" not in sys.modules:
        return None
    from distributed import default_client

    try:
        return default_client()
    except ValueError:
        return None


def _connect(address: str, timeout: float):
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed is in the survey and test extras
        raise ArgumentError(
            f"scheduler {address!r} needs dask.distributed: "
            "pip install \"mission-compare[survey]\""
        ) from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise SchedulerUnreachableError(
            f"scheduler {address!r} could not be reached within {timeout:g} s ({reason}); "
            "check the address and that the cluster is running, or leave scheduler unset to "
            "run in this process"
        ) from None


def _check_timeout(timeout) -> float:
    try:
        t = float(timeout) if not isinstance(timeout, bool) else math.nan
    except (TypeError, ValueError):
        t = math.nan
    if not (math.isfinite(t) and 0 < t <= 3600):
        raise ArgumentError(f"timeout must be a positive number of seconds (at most 3600), got "
                            f"{describe_value(timeout)}")
    return t


def _resolve(scheduler, timeout):
    """Return ``(local scheduler name or None, client or None, client to close or None)``."""
    if scheduler is None:
        client = _active_client()
        return (None, client, None) if client is not None else ("threads", None, None)
    if isinstance(scheduler, str):
        key = scheduler.strip()
        if key.lower() in _LOCAL:
            return _LOCAL[key.lower()], None, None
        if "://" in key:
            client = _connect(key, _check_timeout(timeout))
            return None, client, client
        raise ArgumentError(
            f"scheduler must be 'threads', 'sync', 'processes' or a cluster address such as "
            f"'tcp://127.0.0.1:8786', got {scheduler!r}"
        )
    if hasattr(scheduler, "compute") and hasattr(scheduler, "gather"):  # a distributed Client
        return None, scheduler, None
    raise ArgumentTypeError(
        f"scheduler must be None, a name, a cluster address or a distributed.Client, got "
        f"{describe_value(scheduler)}"
    )


def _bar(total, progress, desc):
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="task", leave=False)


def run_tasks(calls, *, scheduler=None, progress: bool = False, timeout=DEFAULT_TIMEOUT,
              desc: str = "survey") -> list:
    """Run zero-argument callables as the tasks of one Dask graph; return their results in order.

    Parameters
    ----------
    calls : sequence of callables
        One task each (e.g. ``functools.partial`` objects; picklable for a cluster).
    scheduler : None, str or distributed.Client
        See the module docstring.
    progress : bool
        Show a progress bar (tqdm) counting finished tasks.
    timeout : float
        Seconds to wait for a ``tcp://`` scheduler.
    desc : str
        The progress bar's label.
    """
    calls = list(calls)
    _check_timeout(timeout)  # with or without a scheduler: a bad value is not silently ignored
    local, client, own = _resolve(scheduler, timeout)
    dask = _import_dask()
    # unique keys: a cluster shared by several runs never hands back another run's results
    run = uuid.uuid4().hex
    tasks = [dask.delayed(c, pure=False, name=f"{desc}-{i}-{run}")() for i, c in enumerate(calls)]
    bar = _bar(len(tasks), progress, desc)
    try:
        if client is not None:
            from distributed import as_completed

            futures = client.compute(tasks)
            if bar is not None:
                for _ in as_completed(futures, loop=client.loop):
                    bar.update(1)
            return list(client.gather(futures))
        if bar is None:
            return list(dask.compute(*tasks, scheduler=local))
        from dask.callbacks import Callback

        with Callback(posttask=lambda *a: bar.update(1)):
            return list(dask.compute(*tasks, scheduler=local))
    finally:
        if bar is not None:
            bar.close()
        if own is not None:
            own.close()


# --- the generic entry points -----------------------------------------------------------------


def _slice(value, start, stop):
    return value[start:stop]


def _length(value, split):
    try:
        return len(value)
    except TypeError:
        raise ArgumentError(
            f"the split argument {split!r} must be a 1-D sequence (Time, array, list), got "
            f"{describe_value(value)}"
        ) from None


def concat_parts(parts):
    """Concatenate partial results along their first axis.

    Arrays, Quantities and Times are concatenated; a tuple or NamedTuple field by field (so
    ``orbits.core.transfers.TransferGrid`` parts give the full grid); a list is flattened.
    """
    first = parts[0]
    if isinstance(first, tuple):
        joined = [concat_parts([p[i] for p in parts]) for i in range(len(first))]
        return type(first)(*joined) if hasattr(first, "_fields") else tuple(joined)
    if isinstance(first, list):
        return [x for p in parts for x in p]
    if np.ndim(first) == 0 and not hasattr(first, "shape"):
        raise ArgumentTypeError(
            f"cannot concatenate partial results of type {type(first).__name__}; pass combine="
        )
    return np.concatenate(parts, axis=0)


def run_chunked(func, *args, split: str, chunks, scheduler=None, combine=None,
                progress: bool = False, timeout=DEFAULT_TIMEOUT, **kwargs):
    """Call ``func(*args, **kwargs)`` in chunks of its argument ``split``, as a Dask graph.

    The argument named ``split`` (positional or keyword; a Time, array or list) is cut into
    pieces of ``chunks`` entries along its first axis; each piece is one task
    ``func(..., split=piece, ...)``, and ``combine`` (default :func:`concat_parts`) joins the
    list of partial results, in order. The result equals the in-process call whenever
    ``func``'s rows are independent (the vectorised cores are).

    Parameters
    ----------
    func : callable
        The grid function (a core function, or a public one called without ``chunks``).
    *args, **kwargs
        Its arguments.
    split : str
        The name of the argument to split (e.g. ``"t_dep"``, ``"departures"``).
    chunks : int
        Entries of ``split`` per task (a positive integer).
    scheduler : None, str or distributed.Client
        Where the tasks run (see the module docstring).
    combine : callable, optional
        ``combine(parts) -> result``.
    progress : bool
        Show a progress bar.
    timeout : float
        Seconds to wait for a ``tcp://`` scheduler.

    Returns
    -------
    whatever ``combine`` returns
    """
    chunks = check_chunks(chunks)
    bound = inspect.signature(func).bind(*args, **kwargs)
    if split not in bound.arguments:
        raise ArgumentError(f"split must name an argument given to {func.__name__}, got "
                            f"{split!r}")
    whole = bound.arguments[split]
    n = _length(whole, split)
    if n == 0:
        raise ArgumentError(f"{split} must hold at least one entry, got none")
    calls = []
    for start, stop in chunk_bounds(n, chunks):
        bound.arguments[split] = _slice(whole, start, stop)
        calls.append(functools.partial(func, *bound.args, **bound.kwargs))
    bound.arguments[split] = whole
    parts = run_tasks(calls, scheduler=scheduler, progress=progress, timeout=timeout,
                      desc=getattr(func, "__name__", "chunk"))
    return (combine or concat_parts)(parts)


def _call_cases(func, cases, kwargs):
    return [func(c, **kwargs) for c in cases]


def map_cases(func, cases, *, chunks=1, scheduler=None, progress: bool = False,
              timeout=DEFAULT_TIMEOUT, desc: str = "survey", **kwargs) -> list:
    """Return ``[func(case, **kwargs) for case in cases]``, ``chunks`` cases per Dask task.

    For surveys of independent cases (one launch-window scan per site, station, vehicle and
    month; one porkchop per month): each case is computed by the same call wherever it runs,
    so the list is the same on any scheduler.
    """
    chunks = check_chunks(chunks)
    cases = list(cases)
    calls = [functools.partial(_call_cases, func, cases[a:b], kwargs)
             for a, b in chunk_bounds(len(cases), chunks)] if cases else []
    parts = run_tasks(calls, scheduler=scheduler, progress=progress, timeout=timeout,
                      desc=desc) if calls else []
    return [x for p in parts for x in p]


# --- combining the grid results -----------------------------------------------------------------


def _union(seqs):
    out = []
    for s in seqs:
        for x in s or ():
            if x not in out:
                out.append(x)
    return tuple(out)


def _is_grid(val, n):
    return hasattr(val, "shape") and getattr(val, "ndim", 0) >= 2 and val.shape[0] == n


def _best_value(part, best_field):
    v = getattr(part, best_field)
    if v is None:
        return np.inf
    v = float(getattr(v, "value", v))
    return v if math.isfinite(v) else np.inf


def combine_grid_results(parts, *, departures_field: str, best_field: str,
                         count_field: str | None = None, fractions=None):
    """Join porkchop-like results computed on consecutive chunks of departures.

    Every field whose value is 2-D with one row per departure of the part, and the
    ``departures_field`` itself, is concatenated; the ``best_*`` fields come from the part
    with the lowest ``best_field`` (the earliest such part on a tie, as ``argmin`` on the whole
    grid picks the first cell); ``first_*`` from the first part, ``last_*`` from the last;
    ``count_field`` is the total departures; each ``fractions[name] = (grid field, negate)``
    is recomputed as the mean of the joined grid; warnings are united.
    """
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if not is_dataclass(first):
        raise ArgumentTypeError(f"combine_grid_results joins Result dataclasses, got "
                                f"{type(first).__name__}")
    sizes = [len(getattr(p, departures_field)) for p in parts]
    win = min(range(len(parts)), key=lambda i: (_best_value(parts[i], best_field), i))
    new = {}
    for f in fields(first):
        name = f.name
        val = getattr(first, name)
        if name == departures_field or _is_grid(val, sizes[0]):
            new[name] = np.concatenate([getattr(p, name) for p in parts], axis=0)
        elif name.startswith("best_"):
            new[name] = getattr(parts[win], name)
        elif name.startswith("last_"):
            new[name] = getattr(parts[-1], name)
    if count_field:
        new[count_field] = int(sum(sizes))
    for name, (grid, negate) in (fractions or {}).items():
        g = np.asarray(new[grid])
        new[name] = float(np.mean(~g if negate else g))
    new["warnings"] = _union(getattr(p, "warnings", ()) for p in parts)
    return replace(first, **new)


# --- wrappers on today's grid functions -------------------------------------------------------


def _porkchop_fields(sample):
    """Guess the departures and best-Δv fields of a porkchop result (for a new porkchop)."""
    names = [f.name for f in fields(sample)] if is_dataclass(sample) else list(vars(sample))
    dep = next((n for n in ("departures", "departure", "departure_times") if n in names), None)
    best = next((n for n in ("best_total_dv", "best_dv_total", "best_dv", "best_c3")
                 if n in names), None)
    if dep is None or best is None:
        raise ArgumentTypeError(
            f"cannot combine {type(sample).__name__} chunks: pass departures_field= and "
            "best_field="
        )
    return dep, best


def _combine_porkchop(parts, departures_field=None, best_field=None, fractions=None):
    if departures_field is None or best_field is None:
        departures_field, best_field = _porkchop_fields(parts[0])
    names = {f.name for f in fields(parts[0])}
    count = next((n for n in ("n_departures", "departures_count") if n in names), None)
    if fractions is None:
        fractions = {k: v for k, v in {"solved_fraction": ("ok", False),
                                       "out_of_plane_fraction": ("in_plane", True)}.items()
                     if k in names and v[0] in names}
    return combine_grid_results(parts, departures_field=departures_field,
                                best_field=best_field, count_field=count, fractions=fractions)


def chunked_porkchop(func, departures, *args, chunks, scheduler=None, progress=False,
                     timeout=DEFAULT_TIMEOUT, departures_field=None, best_field=None,
                     work_bytes_per_cell=0.0, max_cells=MAX_SURVEY_CELLS, **kwargs):
    """Run a porkchop ``func(departures, *args, **kwargs)`` in chunks of departures.

    For any porkchop whose rows (departures) are independent and whose result has 2-D grids
    with one row per departure (:func:`orbits.lunar.porkchop.lunar_porkchop`, a Mars
    porkchop): see :func:`combine_grid_results`. The second positional argument (times of
    flight or arrival dates), if given, sets the cells per row for the size check.
    """
    chunks = check_chunks(chunks)
    n = _length(departures, "departures")
    k = _length(args[0], "tofs") if args and np.ndim(args[0]) else 1
    check_survey_size(n, k, chunks=chunks,
                      what=f"a {getattr(func, '__name__', 'porkchop')} of {n:,} departures x "
                           f"{k:,}",
                      work_bytes_per_cell=work_bytes_per_cell, max_cells=max_cells)
    comb = functools.partial(_combine_porkchop, departures_field=departures_field,
                             best_field=best_field)
    return run_chunked(func, departures, *args, split=_first_param(func), chunks=chunks,
                       scheduler=scheduler, combine=comb, progress=progress, timeout=timeout,
                       **kwargs)


def _first_param(func):
    return next(iter(inspect.signature(func).parameters))


def chunked_lunar_porkchop(departures, tofs, *, chunks, scheduler=None, progress=False,
                           timeout=DEFAULT_TIMEOUT, max_cells=MAX_SURVEY_CELLS, **kwargs):
    """:func:`orbits.lunar.porkchop.lunar_porkchop` in chunks of ``chunks`` departures.

    Same arguments (``**kwargs``: ``parking_altitude``, ``parking_inclination``, ...) and the
    same :class:`~orbits.lunar.porkchop.LunarPorkchop`, with identical grids and best cell.
    A chunk in which no cell has a Lambert solution raises the porkchop's ConvergenceError.
    """
    from astropy import units as u

    from ._validation import as_time, as_value
    from .lunar import porkchop as _pc

    dep = as_time(departures, "departures")
    dep = dep.reshape(-1) if dep.ndim else dep.reshape((1,))
    as_value(tofs, u.s, "tofs")  # a Quantity of times: checked before the size estimate
    return chunked_porkchop(
        _pc.lunar_porkchop, dep, tofs, chunks=chunks, scheduler=scheduler,
        progress=progress, timeout=timeout, departures_field="departures",
        best_field="best_total_dv", work_bytes_per_cell=getattr(_pc, "_BYTES_PER_CELL", 0.0),
        max_cells=max_cells, **kwargs)


def _station_chunk(departure_orbit, arrival_orbit, departure, tof, kwargs):
    from .transfers import station_transfer_search

    return station_transfer_search(departure_orbit, arrival_orbit, departure, tof, **kwargs)


def _join_station(parts, departure):
    """Join station searches on ``[t0, chunk...]`` departures (row 0 of later parts dropped)."""
    from astropy import units as u

    from .core import transfers as _core

    grids = {}
    for name in ("dv1", "dv2", "dv_total", "ok", "revs", "lowpath"):
        rows = [getattr(p, name) for p in parts[:1]] + [getattr(p, name)[1:] for p in parts[1:]]
        grids[name] = np.concatenate(rows, axis=0)
    first = parts[0]
    ok, dv = grids["ok"], grids["dv_total"]
    dv_kms = dv.to_value(u.km / u.s)
    best = {k: None for k in ("best_departure", "best_tof", "best_dv1", "best_dv2",
                              "best_dv_total", "best_revs", "best_on_edge")}
    if np.any(ok):
        flat = int(np.argmin(np.where(ok, dv_kms, np.inf)))
        i, j = np.unravel_index(flat, ok.shape)
        n_dep, n_tof = ok.shape
        best = {
            "best_departure": departure[i],
            "best_tof": first.tof[j],
            "best_dv1": grids["dv1"][i, j],
            "best_dv2": grids["dv2"][i, j],
            "best_dv_total": dv[i, j],
            "best_revs": int(grids["revs"][i, j]),
            "best_on_edge": bool(i in (0, n_dep - 1) or j in (0, n_tof - 1)),
        }
    warnings = () if np.any(ok) else _union(p.warnings for p in parts)
    return replace(
        first, departure=departure, minima=_core.local_minima(dv_kms, ok),
        first_departure=departure[0], last_departure=departure[-1],
        departures=int(departure.size), solved_fraction=float(np.mean(ok)),
        warnings=warnings, **grids, **best)


def chunked_station_transfer_search(departure_orbit, arrival_orbit, departure, tof, *, chunks,
                                    scheduler=None, progress=False, timeout=DEFAULT_TIMEOUT,
                                    max_cells=MAX_SURVEY_CELLS, **kwargs):
    """:func:`orbits.transfers.station_transfer_search` in chunks of ``chunks`` departures.

    Same arguments (``**kwargs``: ``max_revs``, ``k``, ``j2``, ``second_order``,
    ``prograde``) and the same :class:`~orbits.transfers.StationTransferResult`, with
    identical grids, minima and best cell. Each task searches its departures preceded by the
    first departure of the grid, which keeps the search's time origin, so every row is
    computed from the same numbers as in the single call (that extra row is dropped).
    """
    from astropy import units as u

    from ._validation import as_time, as_value

    chunks = check_chunks(chunks)
    dep = as_time(departure, "departure")
    if dep.isscalar:
        dep = dep.reshape((1,))
    if dep.ndim != 1 or dep.size == 0:
        raise ArgumentError(f"departure must be a non-empty 1-D Time array, got shape "
                            f"{dep.shape}")
    tof_n = np.atleast_1d(as_value(tof, u.s, "tof")).size
    check_survey_size(dep.size, tof_n, chunks=chunks,
                      what=f"a station transfer search of {dep.size:,} departures x {tof_n:,}",
                      max_cells=max_cells)
    calls = []
    for a, b in chunk_bounds(dep.size, chunks):
        piece = dep[a:b] if a == 0 else np.concatenate([dep[:1], dep[a:b]])
        calls.append(functools.partial(_station_chunk, departure_orbit, arrival_orbit, piece,
                                       tof, kwargs))
    parts = run_tasks(calls, scheduler=scheduler, progress=progress, timeout=timeout,
                      desc="station_transfer_search")
    if len(parts) == 1:
        return parts[0]
    full = np.concatenate([parts[0].departure] + [p.departure[1:] for p in parts[1:]])
    return _join_station(parts, full)
