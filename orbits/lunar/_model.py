"""Shared pieces of the lunar package.

Constants, the Moon's pole, the target lunar orbit and a result base whose ``to_table()`` has a row
per batch element.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time

from orbits._validation import as_value, describe_value
from orbits.core.constants import GM_EARTH, GM_MOON, MOON_POLE_DEC, MOON_POLE_RA, R_MOON
from orbits.errors import ArgumentError, ArgumentTypeError
from orbits.results import Result, TableResult

KMS = u.km / u.s
#: relative Earth-Moon two-body motion (km^3/s^2)
K_EARTH_MOON = GM_EARTH + GM_MOON

#: Parking-orbit inclinations of the launch sites in the comparison, deg: the values the
#: tracker issue gives (Vostochny 51.7, Baikonur 51.6 -- range-safety limited, ISS-compatible --,
#: Wenchang ~19.6, Xichang ~28.5; each is close to the site's latitude, the minimum a direct
#: launch can reach).
PARKING_INCLINATIONS = {
    "Vostochny": 51.7 * u.deg,
    "Baikonur": 51.6 * u.deg,
    "Wenchang": 19.6 * u.deg,
    "Xichang": 28.5 * u.deg,
}


def moon_pole() -> np.ndarray:
    """Return the unit vector of the Moon's mean rotation pole in ICRF (IAU WGCCRE)."""
    return np.array(
        [
            np.cos(MOON_POLE_DEC) * np.cos(MOON_POLE_RA),
            np.cos(MOON_POLE_DEC) * np.sin(MOON_POLE_RA),
            np.sin(MOON_POLE_DEC),
        ]
    )


def lunar_orbit(periapsis_altitude, apoapsis_altitude, inclination, *, prefix: str = "lunar_"):
    """Return the checked target lunar orbit: ``(r_p, r_a, inclination or None)`` in km, km, rad."""
    hp = as_value(periapsis_altitude, u.km, f"{prefix}periapsis_altitude", min=0.0, max=1.0e5)
    if apoapsis_altitude is None:
        ha = hp
    else:
        ha = as_value(apoapsis_altitude, u.km, f"{prefix}apoapsis_altitude", min=0.0, max=6.0e4)
        if np.any(np.asarray(ha) < np.asarray(hp)):
            raise ArgumentError(
                f"{prefix}apoapsis_altitude must be >= {prefix}periapsis_altitude "
                f"({np.min(hp):g} km), got {describe_value(apoapsis_altitude)}"
            )
    il = None
    if inclination is not None:
        il = np.deg2rad(as_value(inclination, u.deg, f"{prefix}inclination", min=0.0, max=180.0))
    return R_MOON + np.asarray(hp), R_MOON + np.asarray(ha), il


def check_flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(f"{name} must be True or False, got {describe_value(value)}")
    return bool(value)


def scalar(value, name: str):
    if np.ndim(value):
        raise ArgumentError(f"{name} must be a scalar, got an array of shape {np.shape(value)}")
    return float(value)


def _cells(val, shape):
    """``val`` broadcast to ``shape`` and flattened (Quantity, Time, array or scalar)."""
    n = int(np.prod(shape)) if shape else 1
    if val is None:
        return [""] * n
    if isinstance(val, Time):
        flat = val.reshape((1,)) if val.isscalar else val
        idx = np.broadcast_to(np.arange(flat.size).reshape(val.shape or (1,)), shape).ravel()
        return flat.ravel()[idx]
    if isinstance(val, (u.Quantity, np.ndarray)) or np.isscalar(val):
        arr = np.broadcast_to(val, shape) if np.shape(val) != tuple(shape) else val
        return np.asarray(arr).ravel() * getattr(val, "unit", 1) if isinstance(val, u.Quantity) \
            else np.asarray(arr).ravel()
    return [val] * n


@dataclass(frozen=True, repr=False)
class BatchResult(Result):
    """A :class:`Result` whose fields may be arrays of one batch shape.

    E.g. several times of flight: ``to_table()`` then has a row per batch element.
    """

    def batch_shape(self) -> tuple:
        shapes = [np.shape(v) for _, _, v, _ in self._scalar_rows()
                  if isinstance(v, (u.Quantity, np.ndarray, Time))]
        return np.broadcast_shapes(*shapes) if shapes else ()

    def to_table(self) -> QTable:
        shape = self.batch_shape()
        if shape == ():
            return super().to_table()
        t = QTable({label: _cells(val, shape) for _, label, val, _ in self._scalar_rows()})
        t.meta["result"] = type(self).__name__
        t.meta["notes"] = list(self.notes)
        return t


@dataclass(frozen=True, repr=False)
class LunarTable(TableResult):
    """A :class:`TableResult` whose optional columns may be None (then left out)."""

    def _columns(self):
        return [c for c in super()._columns() if c[2] is not None]

    def __len__(self) -> int:
        cols = self._columns()
        return len(cols[0][2]) if cols else 0


def kms_range(q) -> str:
    v = np.asarray(q.to_value(KMS), dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return "none solved"
    lo, hi = v.min(), v.max()
    return f"{lo:.3f} km/s" if np.isclose(lo, hi, atol=5e-4) else f"{lo:.3f}–{hi:.3f} km/s"
