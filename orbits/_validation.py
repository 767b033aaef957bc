"""Input checks shared by the units-aware API.

Every public function in ``orbits`` converts its Quantity arguments through these helpers, so a
bare float, a wrong unit, a NaN or an out-of-range value always produces the same kind of
message: the argument's name, the value given and what is allowed.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
from astropy import units as u
from astropy.time import Time

from .errors import ArgumentError, ArgumentTypeError, SizeLimitError, UnitError

__all__ = ["MAX_WORK_BYTES", "as_time", "as_value", "check_range", "check_work_size",
           "describe_value"]

#: Largest temporary working set (bytes) a single call may allocate before it is refused
#: (2 GiB; a user can split the work or pass a smaller grid).
MAX_WORK_BYTES = 2 * 1024**3


def describe_value(value, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_describe = describe_value


def check_work_size(n_bytes: float, what: str, *, limit: float | None = None) -> None:
    """Refuse work whose estimated temporaries exceed ``limit`` bytes, before allocating."""
    limit = MAX_WORK_BYTES if limit is None else limit
    if n_bytes > limit:
        raise SizeLimitError(
            f"{what} would need about {n_bytes / 1024**3:.1f} GiB of working memory, over the "
            f"{limit / 1024**3:.1f} GiB limit; use a coarser step, a shorter span or a smaller grid"
        )


def as_value(
    value,
    unit,
    name: str,
    *,
    min=None,
    max=None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
    allow_nan: bool = False,
) -> np.ndarray | float:
    """Convert a Quantity to a float (array) in ``unit``, checking its type and range.

    Parameters
    ----------
    value : astropy.units.Quantity
        The user's argument. A bare number raises ``TypeError``: units are required.
    unit : str or astropy.units.Unit
        Unit to convert to (the core's unit: km, s, rad, km/s ...).
    name : str
        Argument name, used in the error message.
    min, max : float, optional
        Allowed range **in ``unit``**.

    Returns
    -------
    float or numpy.ndarray
    """
    unit = u.Unit(unit)
    if not isinstance(value, u.Quantity):
        raise ArgumentTypeError(
            f"{name} must be an astropy Quantity in units of {unit.physical_type} "
            f"(for example {name}=1.0 * u.{unit}), got {_describe(value)} "
            f"of type {type(value).__name__}"
        )
    try:
        out = value.to_value(unit)
    except u.UnitConversionError:
        raise UnitError(
            f"{name} must have units of {unit.physical_type} (convertible to {unit}), "
            f"got {value.unit!s} ({value.unit.physical_type})"
        ) from None
    arr = np.asarray(out, dtype=float)
    if not allow_nan and not np.all(np.isfinite(arr)):
        raise ArgumentError(f"{name} must be finite, got {_describe(value)}")
    for limit, is_min in ((min, True), (max, False)):
        if limit is None:
            continue
        if is_min:
            bad = arr < limit if min_inclusive else arr <= limit
        else:
            bad = arr > limit if max_inclusive else arr >= limit
        if np.any(bad):
            # angles are checked in radians but read in degrees
            k, shown = (180.0 / np.pi, u.deg) if unit == u.rad else (1.0, unit)
            rng = _range_text(None if min is None else min * k, None if max is None else max * k,
                              min_inclusive, max_inclusive, shown)
            raise ArgumentError(f"{name} must be {rng}, got {_first_bad(arr * k, bad, shown)}")
    return float(arr) if arr.ndim == 0 else arr


def _first_bad(arr, bad, unit) -> str:
    val = arr[bad].flat[0] if arr.ndim else float(arr)
    return f"{val:g} {unit}"


def _range_text(lo, hi, lo_inc, hi_inc, unit) -> str:
    if lo is not None and hi is not None:
        return f"in {'[' if lo_inc else '('}{lo:g}, {hi:g}{']' if hi_inc else ')'} {unit}"
    if lo is not None:
        return f"{'>=' if lo_inc else '>'} {lo:g} {unit}"
    return f"{'<=' if hi_inc else '<'} {hi:g} {unit}"


def check_range(arr, name: str, lo=None, hi=None, unit: str = "") -> None:
    """Range check on plain floats (for arguments that are not Quantities)."""
    a = np.asarray(arr, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ArgumentError(f"{name} must be finite, got {_describe(arr)}")
    if (lo is not None and np.any(a < lo)) or (hi is not None and np.any(a > hi)):
        raise ArgumentError(
            f"{name} must be {_range_text(lo, hi, True, True, unit)}, got {_describe(arr)}"
        )


def as_time(value, name: str) -> Time:
    """Accept an astropy ``Time`` (or something ``Time`` parses, e.g. an ISO string)."""
    if isinstance(value, Time):
        return value
    if isinstance(value, (str, np.datetime64)) or (
        hasattr(value, "year") and hasattr(value, "month")
    ):
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            value = _dt.datetime(value.year, value.month, value.day)  # a date is its midnight UTC
        try:
            t = Time(value, scale="utc")
        except ValueError as exc:
            # astropy's own message lists every format it tried, over many lines: keep its
            # first line only, so the CLI's one-line error stays one line
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            if "did not match any of the formats" in first or not first:
                first = "not a date; use an ISO date such as '2024-05-09' or '2024-05-09T12:00'"
            raise ArgumentError(
                f"{name} could not be parsed as a time: {_describe(value)} ({first})"
            ) from None
        return t
    raise ArgumentTypeError(
        f"{name} must be an astropy Time (or an ISO date string such as '2024-05-09'), "
        f"got {_describe(value)} of type {type(value).__name__}"
    )
