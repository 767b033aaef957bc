"""Two-body (Kepler) propagation and Kepler's equation, vectorised.

Pure numpy on floats/arrays in km, s, rad. ``propagate(r0, v0, dt, k)`` advances state
vectors ``(..., 3)`` by times ``(...)`` (broadcast) with the universal-variable formulation
(Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., algorithm 8 KEPLER;
Curtis, "Orbital Mechanics for Engineering Students", section 3.7), which covers elliptic,
parabolic and hyperbolic orbits alike. The universal Kepler equation is solved by
Laguerre-Conway iterations on the whole batch at once, each element dropping out when
converged.

``mean_to_true`` / ``true_to_mean`` convert between mean and true anomaly for elliptic and
hyperbolic orbits (Kepler's equation ``M = E - e sin E`` and ``M = e sinh F - F``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .constants import GM_EARTH

__all__ = [
    "KeplerConvergenceError",
    "mean_to_eccentric",
    "mean_to_true",
    "propagate",
    "stumpff_c2c3",
    "true_to_mean",
]

_TWO_PI = 2.0 * np.pi


class KeplerConvergenceError(RuntimeError):
    """The universal Kepler equation did not converge for some batch elements."""


def stumpff_c2c3(psi: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Stumpff functions ``c2(psi)``, ``c3(psi)`` (Vallado eqs. 2-51, 2-52), vectorised.

    A 6-term series is used for ``|psi| < 0.1`` where the closed forms lose digits.
    """
    psi = np.asarray(psi, dtype=float)
    c2 = np.empty_like(psi)
    c3 = np.empty_like(psi)
    small = np.abs(psi) < 0.1
    pos = (psi > 0.0) & ~small
    neg = (psi < 0.0) & ~small
    if np.any(pos):
        sp = np.sqrt(psi[pos])
        c2[pos] = (1.0 - np.cos(sp)) / psi[pos]
        c3[pos] = (sp - np.sin(sp)) / (sp * psi[pos])
    if np.any(neg):
        sn = np.sqrt(-psi[neg])
        c2[neg] = (1.0 - np.cosh(sn)) / psi[neg]
        c3[neg] = (np.sinh(sn) - sn) / (sn * -psi[neg])
    if np.any(small):
        z = psi[small]
        # c2 = sum (-z)^k / (2k+2)!, c3 = sum (-z)^k / (2k+3)!
        c2s = np.zeros_like(z)
        c3s = np.zeros_like(z)
        t2 = np.full_like(z, 0.5)  # 1/2!
        t3 = np.full_like(z, 1.0 / 6.0)  # 1/3!
        for k in range(8):
            c2s += t2
            c3s += t3
            t2 = t2 * (-z) / ((2 * k + 3) * (2 * k + 4))
            t3 = t3 * (-z) / ((2 * k + 4) * (2 * k + 5))
        c2[small] = c2s
        c3[small] = c3s
    return c2, c3


def propagate(
    r0: ArrayLike,
    v0: ArrayLike,
    dt: ArrayLike,
    k: float = GM_EARTH,
    *,
    rtol: float = 1e-13,
    maxiter: int = 50,
) -> tuple[np.ndarray, np.ndarray]:
    """Propagate two-body state vectors by ``dt`` (universal variables, Vallado algorithm 8).

    Parameters
    ----------
    r0, v0 : array_like, shape (..., 3)
        Initial position (km) and velocity (km/s).
    dt : float or array_like, shape (...)
        Time step(s), s; negative values propagate backwards. Broadcasts with the batch shape
        of ``r0``/``v0``.
    k : float
        Gravitational parameter, km^3/s^2.
    rtol : float
        Convergence tolerance on the universal anomaly (relative).
    maxiter : int
        Maximum Laguerre-Conway iterations.

    Returns
    -------
    r, v : numpy.ndarray, shape broadcast(...) + (3,)

    Raises
    ------
    ValueError
        For a zero position vector, non-finite input or k <= 0.
    KeplerConvergenceError
        If the universal Kepler equation fails to converge for any element.

    Examples
    --------
    Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., Example 2-4 (KEPLER):
    40 min from ``r0 = 1131.340 I - 2282.343 J + 6672.423 K`` km,
    ``v0 = -5.64305 I + 4.30333 J + 2.42879 K`` km/s lands at
    ``r = -4219.7527 I + 4363.0292 J - 3958.7666 K`` km,
    ``v = 3.689866 I - 1.916735 J - 6.112511 K`` km/s:

    >>> r, v = propagate([1131.340, -2282.343, 6672.423], [-5.64305, 4.30333, 2.42879], 2400.0,
    ...                  398600.4418)
    >>> r.tolist()
    [-4219.7527, 4363.0292, -3958.7666]
    >>> v.tolist()
    [3.689866, -1.916735, -6.112511]
    """
    r0 = np.asarray(r0, dtype=float)
    v0 = np.asarray(v0, dtype=float)
    dt = np.asarray(dt, dtype=float)
    if r0.shape[-1:] != (3,) or v0.shape[-1:] != (3,):
        raise ValueError(
            f"r0 and v0 must have 3 components on the last axis, got {r0.shape}, {v0.shape}"
        )
    if not k > 0.0:
        raise ValueError(f"k must be > 0 km^3/s^2, got {k!r}")
    shape = np.broadcast_shapes(r0.shape[:-1], v0.shape[:-1], dt.shape)
    r0 = np.broadcast_to(r0, shape + (3,)).reshape(-1, 3)
    v0 = np.broadcast_to(v0, shape + (3,)).reshape(-1, 3)
    dt = np.broadcast_to(dt, shape).ravel()
    if not (np.all(np.isfinite(r0)) and np.all(np.isfinite(v0)) and np.all(np.isfinite(dt))):
        raise ValueError("r0, v0 and dt must be finite")

    sqk = np.sqrt(k)
    r0n = np.linalg.norm(r0, axis=-1)
    if np.any(r0n <= 0.0):
        raise ValueError("r0 must be a non-zero position vector")
    v0n2 = np.sum(v0 * v0, axis=-1)
    rdotv = np.sum(r0 * v0, axis=-1)
    sigma0 = rdotv / sqk
    alpha = 2.0 / r0n - v0n2 / k  # 1/a

    # reduce elliptic time steps modulo the period (the state repeats exactly)
    ell = alpha > 1e-12
    dt_eff = dt.copy()
    if np.any(ell):
        period = _TWO_PI / np.sqrt(k * alpha[ell] ** 3)
        dt_eff[ell] = dt[ell] - period * np.trunc(dt[ell] / period)

    # initial guesses (Vallado algorithm 8)
    chi = sqk * dt_eff * alpha
    par = np.abs(alpha) <= 1e-12
    hyp = alpha < -1e-12
    if np.any(par):
        h = np.linalg.norm(np.cross(r0[par], v0[par]), axis=-1)
        p = h * h / k
        s = 0.5 * np.arctan(1.0 / (3.0 * np.sqrt(k / p**3) * dt_eff[par]))
        w = np.arctan(np.cbrt(np.tan(s)))
        chi[par] = np.sqrt(p) * 2.0 / np.tan(2.0 * w)
    if np.any(hyp):
        a = 1.0 / alpha[hyp]
        sgn = np.sign(dt_eff[hyp])
        num = -2.0 * k * alpha[hyp] * dt_eff[hyp]
        den = rdotv[hyp] + sgn * np.sqrt(-k * a) * (1.0 - r0n[hyp] * alpha[hyp])
        with np.errstate(divide="ignore", invalid="ignore"):
            guess = sgn * np.sqrt(-a) * np.log(num / den)
        chi[hyp] = np.where(np.isfinite(guess), guess, sqk * dt_eff[hyp] / r0n[hyp])

    # Laguerre-Conway iterations (Conway 1986, "An improved algorithm due to Laguerre for the
    # solution of Kepler's equation"; n = 5) on the unconverged subset: unlike plain Newton they
    # also converge for nearly rectilinear orbits
    active = np.flatnonzero(dt_eff != 0.0)
    chi[dt_eff == 0.0] = 0.0
    n_lag = 5.0
    prev = np.full(r0n.shape, np.inf)  # previous step size, to detect the round-off floor
    for _ in range(maxiter):
        if active.size == 0:
            break
        x = chi[active]
        al = alpha[active]
        s0 = sigma0[active]
        rr0 = r0n[active]
        psi = x * x * al
        c2, c3 = stumpff_c2c3(psi)
        x2 = x * x
        F = x2 * x * c3 + s0 * x2 * c2 + rr0 * x * (1.0 - psi * c3) - sqk * dt_eff[active]
        dF = x2 * c2 + s0 * x * (1.0 - psi * c3) + rr0 * (1.0 - psi * c2)  # = r > 0
        d2F = s0 * (1.0 - psi * c2) + (1.0 - al * rr0) * x * (1.0 - psi * c3)
        disc = np.sqrt(np.abs((n_lag - 1.0) ** 2 * dF * dF - n_lag * (n_lag - 1.0) * F * d2F))
        step = -n_lag * F / (dF + disc)
        chi[active] = x + step
        scale = np.maximum(np.abs(x), 1.0)
        size = np.abs(step)
        # converged, or at the round-off floor of F (strongly hyperbolic orbits, where F is a
        # difference of large terms): tiny steps that no longer shrink
        done = (size <= rtol * scale) | ((size <= 1e-9 * scale) & (size >= 0.5 * prev[active]))
        prev[active] = size
        active = active[~done]
    if active.size:
        raise KeplerConvergenceError(
            f"universal Kepler equation did not converge in {maxiter} iterations for "
            f"{active.size} of {chi.size} elements"
        )

    psi = chi * chi * alpha
    c2, c3 = stumpff_c2c3(psi)
    x2 = chi * chi
    rn = x2 * c2 + sigma0 * chi * (1.0 - psi * c3) + r0n * (1.0 - psi * c2)
    f = 1.0 - x2 * c2 / r0n
    g = dt_eff - x2 * chi * c3 / sqk
    gdot = 1.0 - x2 * c2 / rn
    fdot = sqk / (rn * r0n) * chi * (psi * c3 - 1.0)
    r = f[:, None] * r0 + g[:, None] * v0
    v = fdot[:, None] * r0 + gdot[:, None] * v0
    return r.reshape(shape + (3,)), v.reshape(shape + (3,))


def mean_to_eccentric(
    M: ArrayLike, ecc: ArrayLike, *, tol: float = 1e-14, maxiter: int = 30
) -> np.ndarray:
    """Eccentric anomaly E (ellipse, ecc < 1) or hyperbolic anomaly F (ecc > 1) from M.

    Newton iterations on ``M = E - e sin E`` / ``M = e sinh F - F`` for the whole batch.

    Examples
    --------
    Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., Example 2-1: for
    ``M = 235.4`` deg and ``e = 0.4``, ``E = 220.512074767522`` deg.

    >>> float(np.degrees(mean_to_eccentric(np.radians(235.4), 0.4)))
    220.512074767522
    """
    M = np.asarray(M, dtype=float)
    ecc = np.asarray(ecc, dtype=float)
    M, ecc = np.broadcast_arrays(M, ecc)
    if np.any(~(ecc >= 0.0)) or np.any(ecc == 1.0):
        raise ValueError("ecc must be >= 0 and != 1 (parabolic orbits have no mean anomaly here)")
    if not np.all(np.isfinite(M)):
        raise ValueError("M (mean anomaly) must be finite")
    ell = ecc < 1.0
    out = np.empty(M.shape, dtype=float)
    if np.any(ell):
        m = M[ell]
        e = ecc[ell]
        m_red = np.mod(m + np.pi, _TWO_PI) - np.pi  # in [-pi, pi)
        # starting value of Vallado algorithm 2: E = M - e for M < 0, M + e otherwise
        E = np.where(m_red < 0.0, m_red - e, m_red + e)
        for _ in range(maxiter):
            fE = E - e * np.sin(E) - m_red
            step = fE / (1.0 - e * np.cos(E))
            E = E - step
            if np.all(np.abs(step) < tol):
                break
        out[ell] = E + (m - m_red)
    if np.any(~ell):
        m = M[~ell]
        e = ecc[~ell]
        F = np.arcsinh(m / e)
        for _ in range(maxiter * 2):
            step = (e * np.sinh(F) - F - m) / (e * np.cosh(F) - 1.0)
            F = F - step
            if np.all(np.abs(step) < tol * np.maximum(1.0, np.abs(F))):
                break
        out[~ell] = F
    return out


def mean_to_true(M: ArrayLike, ecc: ArrayLike) -> np.ndarray:
    """Return the true anomaly (rad) from the mean anomaly, elliptic or hyperbolic.

    Keeps ``M``'s revolution count, so that ``nu`` is continuous in time.
    """
    M = np.asarray(M, dtype=float)
    ecc = np.asarray(ecc, dtype=float)
    E = mean_to_eccentric(M, ecc)
    M, ecc = np.broadcast_arrays(M, ecc)
    nu = np.where(
        ecc < 1.0,
        2.0
        * np.arctan2(
            np.sqrt(1.0 + ecc) * np.sin(E / 2.0), np.sqrt(np.abs(1.0 - ecc)) * np.cos(E / 2.0)
        ),
        2.0 * np.arctan(np.sqrt((ecc + 1.0) / np.abs(ecc - 1.0)) * np.tanh(E / 2.0)),
    )
    # keep the whole revolutions of E (elliptic) so that nu is continuous in time
    revs = np.where(ecc < 1.0, np.round((E - nu) / _TWO_PI), 0.0)
    return nu + revs * _TWO_PI


def true_to_mean(nu: ArrayLike, ecc: ArrayLike) -> np.ndarray:
    """Mean anomaly (rad) from true anomaly, elliptic or hyperbolic."""
    nu = np.asarray(nu, dtype=float)
    ecc = np.asarray(ecc, dtype=float)
    nu, ecc = np.broadcast_arrays(nu, ecc)
    if np.any(~(ecc >= 0.0)) or np.any(ecc == 1.0):
        raise ValueError("ecc must be >= 0 and != 1")
    ell = ecc < 1.0
    with np.errstate(invalid="ignore"):
        E = 2.0 * np.arctan2(
            np.sqrt(np.abs(1.0 - ecc)) * np.sin(nu / 2.0), np.sqrt(1.0 + ecc) * np.cos(nu / 2.0)
        )
        M_ell = E - ecc * np.sin(E)
        revs = np.round((nu - E) / _TWO_PI)
        M_ell = M_ell + revs * _TWO_PI
        F = 2.0 * np.arctanh(np.sqrt(np.abs(ecc - 1.0) / (ecc + 1.0)) * np.tan(nu / 2.0))
        M_hyp = ecc * np.sinh(F) - F
    return np.where(ell, M_ell, M_hyp)
