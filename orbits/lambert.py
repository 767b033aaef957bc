"""Lambert's problem with units: ``orbits.lambert``.

A thin units layer over :func:`orbits.core.lambert.lambert` (Izzo 2015, vectorised). It
converts the Quantities once, solves every problem of the broadcast batch in one call and
returns velocities as Quantities.
"""

from __future__ import annotations

import sys
import types

import numpy as np
from astropy import units as u

from ._validation import as_value, describe_value
from .core import lambert as _core
from .core.constants import GM_EARTH
from .errors import ArgumentError, ArgumentTypeError, ConvergenceError
from .planes import check_broadcast

__all__ = ["LambertError", "lambert"]

_KM3_S2 = u.km**3 / u.s**2
_KMS = u.km / u.s


class LambertError(ConvergenceError):
    """A single Lambert problem has no solution (the message says why); a ``ValueError``."""


def _as_bool_array(value, name):
    arr = np.asarray(value)
    if arr.dtype != bool:
        raise ArgumentTypeError(
            f"{name} must be a bool or an array of bools, got {describe_value(value)}"
        )
    return arr


def lambert(
    r1,
    r2,
    tof,
    *,
    k=GM_EARTH * _KM3_S2,
    M=0,
    prograde=True,
    lowpath=True,
    return_status=False,
):
    """Velocities at both ends of the transfer from ``r1`` to ``r2`` in time ``tof``.

    Parameters
    ----------
    r1, r2 : Quantity, shape (..., 3), length
        Initial and final position vectors (inertial frame of the attractor).
    tof : Quantity, shape (...), time
        Time of flight, > 0.
    k : Quantity, km^3/s^2
        Gravitational parameter of the attractor (default Earth, 398600.4418 km^3/s^2).
    M : int or array of int, shape (...)
        Number of complete revolutions, >= 0.
    prograde : bool or array of bool
        True for a transfer orbit whose angular momentum points along +z.
    lowpath : bool or array of bool
        For ``M >= 1``: which of the two solutions (poliastro/boinor convention, see
        :mod:`orbits.core.lambert`).
    return_status : bool
        Also return the integer status codes (``0`` = solved; see
        :data:`orbits.core.lambert.STATUS_MESSAGES`).

    Returns
    -------
    v1, v2 : Quantity, km/s, shape (..., 3)
        For a single problem (all inputs unbatched) plain Quantities. For a batch (any input
        with leading axes), ``astropy.utils.masked.Masked`` Quantities whose mask is True on
        the three components of every problem without a solution (their hidden values are NaN),
        so that failed cells cannot be used by accident; ``v1.mask[..., 0]`` is the not-ok mask.
    status : numpy.ndarray of int8, shape (...)
        Only with ``return_status=True``.

    Raises
    ------
    TypeError, astropy.units.UnitTypeError
        Missing or wrong units, non-integer ``M``, non-bool flags.
    ValueError
        Non-finite input, ``tof <= 0``, ``M < 0``, ``k <= 0``, vectors without 3 components.
    LambertError
        (a ``ValueError``) for a single problem without a solution: too many revolutions for
        the time of flight, or collinear ``r1``/``r2`` (undefined transfer plane).

    Examples
    --------
    >>> import astropy.units as u
    >>> from orbits import lambert
    >>> v1, v2 = lambert([5000, 10000, 2100] * u.km, [-14600, 2500, 7000] * u.km, 1 * u.h)
    """
    gm = as_value(k, _KM3_S2, "k", min=0.0, min_inclusive=False)
    if np.ndim(gm) != 0:
        raise ArgumentError(f"k must be a scalar gravitational parameter, got shape {np.shape(gm)}")
    r1_ = np.asarray(as_value(r1, u.km, "r1"), dtype=float)
    r2_ = np.asarray(as_value(r2, u.km, "r2"), dtype=float)
    for name, arr in (("r1", r1_), ("r2", r2_)):
        if arr.shape[-1:] != (3,):
            raise ArgumentError(
                f"{name} must have 3 components on its last axis, got shape {arr.shape}"
            )
        if np.any(np.sum(arr * arr, axis=-1) == 0.0):
            raise ArgumentError(
                f"{name} must be a non-zero position vector, got {describe_value(arr)}"
            )
    tof_ = np.asarray(as_value(tof, u.s, "tof", min=0.0, min_inclusive=False), dtype=float)

    M_arr = np.asarray(M)
    if M_arr.dtype == bool or M_arr.dtype.kind not in "iu":
        if (
            M_arr.dtype.kind == "f"
            and np.all(np.isfinite(M_arr))
            and np.all(M_arr == np.round(M_arr))
        ):
            M_arr = M_arr.astype(np.int64)
        else:
            raise ArgumentTypeError(
                f"M must be an integer number of revolutions (>= 0), got {describe_value(M)}"
            )
    if np.any(M_arr < 0):
        raise ArgumentError(f"M must be >= 0 revolutions, got {int(np.min(M_arr))}")
    pro = _as_bool_array(prograde, "prograde")
    low = _as_bool_array(lowpath, "lowpath")
    check_broadcast(r1=r1_[..., 0], r2=r2_[..., 0], tof=tof_, M=M_arr, prograde=pro, lowpath=low)

    sol = _core.lambert(gm, r1_, r2_, tof_, M_arr, pro, low)
    single = sol.status.ndim == 0
    if single:
        code = int(sol.status)
        if code != _core.OK:
            raise LambertError(
                f"Lambert problem has no solution (status {code}): "
                f"{_core.STATUS_MESSAGES[code]}; got M={int(M_arr)}, tof={tof!s}, "
                f"r1={r1!s}, r2={r2!s}"
            )
        v1 = sol.v1 << _KMS
        v2 = sol.v2 << _KMS
    else:
        from astropy.utils.masked import Masked

        mask = np.broadcast_to(~sol.ok[..., None], sol.v1.shape)
        v1 = Masked(sol.v1 << _KMS, mask=mask.copy())
        v2 = Masked(sol.v2 << _KMS, mask=mask.copy())
    if return_status:
        return v1, v2, sol.status
    return v1, v2


class _CallableModule(types.ModuleType):
    """Module type that forwards calls to :func:`orbits.lambert.lambert`.

    ``orbits.lambert`` names both this submodule and its function. Importing the submodule (``from
    orbits.lambert import LambertError``) makes the package attribute the module, so the module
    forwards calls to the function: ``orbits.lambert(r1, r2, tof)`` always works.
    """

    def __call__(self, *args, **kwargs):
        return lambert(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
