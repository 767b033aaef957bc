"""Lambert's problem with units: ``orbits.lambert``.

A thin units layer over :func:`orbits.core.lambert.lambert` (Izzo 2015, vectorised). It
converts the Quantities once, solves every problem of the broadcast batch in one call (in
bounded blocks, on all CPUs) and returns velocities as Quantities. When numba is installed the
blocks are solved by the compiled kernel of :mod:`orbits._kernels.lambert_numba` (same
algorithm, same status codes, velocities equal to round-off; compiled on the first call and
cached on disk), and a single problem given in km and s takes a fast path of a few
microseconds. ``compiled=False`` uses the numpy core only.
"""

from __future__ import annotations

import math
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


_DEFAULT_K = GM_EARTH * _KM3_S2
_KM = u.km
_S = u.s
_isfinite = math.isfinite


def _kernel():
    """Return the compiled block kernel and one-problem solver; ``(None, None)`` without numba.

    Imported on first use (numba compiles on the first call and caches the code on disk), so
    ``import orbits`` never loads numba.
    """
    global _KERNEL
    if _KERNEL is None:
        from ._kernels import lambert_numba

        try:
            lambert_numba.compile_kernels()
        except ImportError:  # numba not installed: the numpy core does everything
            _KERNEL = (None, None)
        else:
            _KERNEL = (lambert_numba.solve_block, lambert_numba.solve_one)
    return _KERNEL


_KERNEL = None


def _kms(values):
    """``values`` (float array) as a km/s Quantity without a copy (Quantity(...) costs ~4 us)."""
    q = values.view(u.Quantity)
    q._set_unit(_KMS)
    return q


def _scalar_fast(r1, r2, tof, k, M, prograde, lowpath, return_status):
    """One problem given in the plainest form (km, s, default k): solve it in a few us.

    Returns None whenever anything is unusual (other units, shapes, types, bad values): the
    general path then handles it and raises its usual errors.
    """
    Q = u.Quantity
    if not (
        type(r1) is Q
        and type(r2) is Q
        and type(tof) is Q
        and r1.unit is _KM
        and r2.unit is _KM
        and tof.unit is _S
        and r1.shape == (3,)
        and r2.shape == (3,)
        and tof.shape == ()
        and type(M) is int
        and M >= 0
        and type(prograde) is bool
        and type(lowpath) is bool
    ):
        return None
    if k is _DEFAULT_K:
        gm = GM_EARTH
    elif type(k) is Q and k.unit is _KM3_S2 and k.shape == ():
        gm = np.ndarray.item(k)
    else:
        return None
    x1, y1, z1 = np.ndarray.tolist(r1)
    x2, y2, z2 = np.ndarray.tolist(r2)
    t = np.ndarray.item(tof)
    if not (
        _isfinite(x1 + y1 + z1 + x2 + y2 + z2 + gm)
        and t > 0.0
        and _isfinite(t)
        and gm > 0.0
        and (x1 or y1 or z1)
        and (x2 or y2 or z2)
    ):
        return None
    solve_one = _kernel()[1]
    if solve_one is None:
        return None
    code, out = solve_one(gm, x1, y1, z1, x2, y2, z2, t, M, prograde, lowpath, 1e-12, 35, 1e-12)
    if code != _core.OK:
        return None  # the general path raises the LambertError
    v1, v2 = _kms(out[0]), _kms(out[1])
    if return_status:
        return v1, v2, np.asarray(code, dtype=np.int8)  # 0-d, as from the general path
    return v1, v2


def _check_option(value, name):
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ArgumentError(
            f"{name} must be a positive integer or None, got {describe_value(value)}"
        )
    return int(value)


def lambert(
    r1,
    r2,
    tof,
    *,
    k=_DEFAULT_K,
    M=0,
    prograde=True,
    lowpath=True,
    return_status=False,
    chunk_size=None,
    threads=None,
    compiled=None,
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
    chunk_size : int, optional
        Problems per block (default :data:`orbits.core.lambert.DEFAULT_CHUNK`): batches of any
        size are solved block by block with bounded temporaries. Results do not depend on it.
    threads : int, optional
        Threads solving blocks at once (default: the CPUs available to the process).
    compiled : bool, optional
        Solve with the compiled (numba) kernel: ``None`` (default) when numba is installed,
        ``False`` always with the numpy core (the reference), ``True`` require the kernel.
        Both give the same status codes and velocities equal to round-off.

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
        Non-finite input, ``tof <= 0``, ``M < 0``, ``k <= 0``, vectors without 3 components,
        ``chunk_size`` or ``threads`` not a positive integer.
    LambertError
        (a ``ValueError``) for a single problem without a solution: too many revolutions for
        the time of flight, or collinear ``r1``/``r2`` (undefined transfer plane).

    Examples
    --------
    >>> import astropy.units as u
    >>> from orbits import lambert
    >>> v1, v2 = lambert([5000, 10000, 2100] * u.km, [-14600, 2500, 7000] * u.km, 1 * u.h)
    """
    if chunk_size is None and threads is None and compiled is None:
        fast = _scalar_fast(r1, r2, tof, k, M, prograde, lowpath, return_status)
        if fast is not None:
            return fast
    chunk = _check_option(chunk_size, "chunk_size")
    nthreads = _check_option(threads, "threads")
    if compiled not in (None, True, False):
        raise ArgumentTypeError(
            f"compiled must be None, True or False, got {describe_value(compiled)}"
        )
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

    block_kernel = None
    if compiled is not False:
        block_kernel = _kernel()[0]
        if block_kernel is None and compiled:
            raise ArgumentError("compiled=True needs numba, which is not installed")
    sol = _core.lambert(
        gm, r1_, r2_, tof_, M_arr, pro, low, chunk_size=chunk, threads=nthreads,
        kernel=block_kernel,
    )  # fmt: skip
    if np.any(sol.status == _core.BAD_INPUT):
        # zero vectors (the core flags them, any non-finite value was refused above): name the
        # argument, checked only on the flagged problems (no full-size temporaries)
        flagged = sol.status == _core.BAD_INPUT
        for name, arr in (("r1", r1_), ("r2", r2_)):
            vec = np.broadcast_to(arr, sol.status.shape + (3,))[flagged]
            if np.any(np.all(vec == 0.0, axis=-1)):
                raise ArgumentError(
                    f"{name} must be a non-zero position vector, got {describe_value(arr)}"
                )
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
