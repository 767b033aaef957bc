"""Chebyshev evaluation of JPL SPK type-2 ephemeris segments, vectorised over epochs.

An SPK type-2 segment (NAIF "SPK Required Reading", section "Type 2: Chebyshev (position
only)") stores, for consecutive intervals of equal length, one set of Chebyshev coefficients
per Cartesian component. Within record ``k`` (covering ``[t0 + k L, t0 + (k+1) L]``) the
position is ``sum_n c_n T_n(x)`` with ``x = 2 (t - t_start_k) / L - 1`` and the velocity is its
time derivative ``(2 / L) sum_n c_n T_n'(x)``.

This module only evaluates arrays handed to it (no file I/O): the units layer
(:mod:`orbits.ephemeris`) reads the kernel once and passes the coefficient arrays in.
Times are TDB seconds past J2000 (the SPK convention), positions km, velocities km/s.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chebyshev_segment_posvel", "segment_span"]


def segment_span(init: float, intlen: float, coeffs: np.ndarray) -> tuple[float, float]:
    """Covered interval ``(start, end)`` of a segment, in the same units as ``init``."""
    return float(init), float(init + intlen * coeffs.shape[1])


def chebyshev_segment_posvel(
    coeffs: np.ndarray, init: float, intlen: float, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Position and velocity from one type-2 segment at many epochs.

    Parameters
    ----------
    coeffs : ndarray, shape (3, n_records, n_coef)
        Chebyshev coefficients, component first, lowest order first (km).
    init : float
        Start of the first record, TDB seconds past J2000.
    intlen : float
        Length of each record, s.
    t : array_like
        Epochs, TDB seconds past J2000, any shape ``S``. Must lie inside the segment
        (the caller checks and reports; out-of-span epochs are clamped to the end records
        here only to keep the arithmetic finite).

    Returns
    -------
    r : ndarray, shape ``S + (3,)``, km
    v : ndarray, shape ``S + (3,)``, km/s
    """
    t = np.asarray(t, dtype=float)
    shape = t.shape
    tf = t.reshape(-1)
    n_rec, n_coef = coeffs.shape[1], coeffs.shape[2]
    idx = np.floor((tf - init) / intlen).astype(np.intp)
    np.clip(idx, 0, n_rec - 1, out=idx)
    x = 2.0 * (tf - init - idx * intlen) / intlen - 1.0  # in [-1, 1]

    # T_n(x) and T_n'(x) by the three-term recurrences, shape (n_coef, N)
    tn = np.empty((n_coef, tf.size))
    dn = np.empty((n_coef, tf.size))
    tn[0] = 1.0
    dn[0] = 0.0
    if n_coef > 1:
        tn[1] = x
        dn[1] = 1.0
    for k in range(2, n_coef):  # loop over polynomial order only, never over epochs
        tn[k] = 2.0 * x * tn[k - 1] - tn[k - 2]
        dn[k] = 2.0 * tn[k - 1] + 2.0 * x * dn[k - 1] - dn[k - 2]

    c = coeffs[:, idx, :]  # (3, N, n_coef)
    r = np.einsum("cnk,kn->nc", c, tn)
    v = np.einsum("cnk,kn->nc", c, dn) * (2.0 / intlen)
    return r.reshape(shape + (3,)), v.reshape(shape + (3,))
