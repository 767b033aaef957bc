"""First-order secular effects of the J2 zonal harmonic on a Keplerian orbit.

Pure numpy on floats/arrays in km, s, rad; every argument broadcasts.

The rates are the classical first-order averages (Vallado, "Fundamentals of Astrodynamics and
Applications", 4th ed., eqs. 9-41: secular rates of Omega, omega and M; Curtis, "Orbital
Mechanics for Engineering Students", eqs. 4.52 and 4.53)::

    p          = a (1 - e^2)
    n0         = sqrt(k / a^3)
    dOmega/dt  = -3/2 n0 J2 (R/p)^2 cos i
    domega/dt  =  3/4 n0 J2 (R/p)^2 (4 - 5 sin^2 i)
    n_bar      =  n0 [1 + 3/4 J2 (R/p)^2 sqrt(1 - e^2) (2 - 3 sin^2 i)]

``n_bar`` is the rate of the mean anomaly (mean motion including the J2 secular term). The
unperturbed ``n0`` multiplies the J2 terms; using ``n_bar`` there instead changes the result
only at order J2^2.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .constants import GM_EARTH, J2_EARTH, J4_EARTH, R_EARTH

__all__ = ["j2_j4_secular_rates", "j2_secular_rates", "sun_synchronous_inclination"]


def _check(a, e, i, k, R):
    if np.any(~np.isfinite(a)) or np.any(a <= 0.0):
        raise ValueError(f"a must be finite and > 0 km, got {a!r}")
    if np.any(~np.isfinite(e)) or np.any(e < 0.0) or np.any(e >= 1.0):
        raise ValueError(f"e must be in [0, 1) (closed orbits), got {e!r}")
    if np.any(~np.isfinite(i)):
        raise ValueError(f"i must be finite (rad), got {i!r}")
    if np.any(np.asarray(k) <= 0.0) or np.any(np.asarray(R) <= 0.0):
        raise ValueError(f"k and R must be > 0, got k={k!r}, R={R!r}")


def j2_secular_rates(
    a: ArrayLike,
    e: ArrayLike,
    i: ArrayLike,
    k: float = GM_EARTH,
    R: float = R_EARTH,
    J2: float = J2_EARTH,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Secular J2 rates of the node, the argument of periapsis and the mean anomaly.

    Parameters
    ----------
    a : float or array
        Semi-major axis, km (> 0).
    e : float or array
        Eccentricity, [0, 1).
    i : float or array
        Inclination, rad.
    k : float, optional
        Gravitational parameter, km^3/s^2 (default Earth).
    R : float, optional
        Reference (equatorial) radius of the J2 coefficient, km (default Earth).
    J2 : float, optional
        Second zonal harmonic (default Earth).

    Returns
    -------
    raan_dot, argp_dot, mean_motion_with_j2 : numpy arrays (0-d for scalar input), rad/s
        Broadcast to the common shape of the inputs.

    Examples
    --------
    Curtis, "Orbital Mechanics for Engineering Students", Example 4.9: a 280 km by 400 km orbit
    inclined 51.43 deg (``R = 6378`` km, ``k = 398600``, ``J2 = 0.00108263``) has its node
    regressing by 5.181 deg/day and its perigee advancing by 3.920 deg/day:

    >>> rp, ra = 6378.0 + 280.0, 6378.0 + 400.0
    >>> raan_dot, argp_dot, _ = j2_secular_rates(
    ...     (rp + ra) / 2, (ra - rp) / (ra + rp), np.radians(51.43), k=398600.0, R=6378.0,
    ...     J2=1.08263e-3)
    >>> per_day = np.degrees(86400.0)
    >>> float(raan_dot * per_day), float(argp_dot * per_day)
    (-5.181, 3.920)
    """
    a = np.asarray(a, dtype=float)
    e = np.asarray(e, dtype=float)
    i = np.asarray(i, dtype=float)
    _check(a, e, i, k, R)
    n0 = np.sqrt(k / a**3)
    one_m_e2 = 1.0 - e * e
    p = a * one_m_e2
    q = J2 * (R / p) ** 2
    sin2 = np.sin(i) ** 2
    raan_dot = -1.5 * n0 * q * np.cos(i)
    argp_dot = 0.75 * n0 * q * (4.0 - 5.0 * sin2)
    n_bar = n0 * (1.0 + 0.75 * q * np.sqrt(one_m_e2) * (2.0 - 3.0 * sin2))
    raan_dot, argp_dot, n_bar = np.broadcast_arrays(raan_dot, argp_dot, n_bar)
    return raan_dot.copy(), argp_dot.copy(), n_bar.copy()


def j2_j4_secular_rates(
    a: ArrayLike,
    e: ArrayLike,
    i: ArrayLike,
    k: float = GM_EARTH,
    R: float = R_EARTH,
    J2: float = J2_EARTH,
    J4: float = J4_EARTH,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Secular rates to second order: J2, J2 squared and J4 (the SGP4 secular model).

    The secular part of Brouwer's theory as SGP4 uses it (Hoots & Roehrich, "Spacetrack
    Report No. 3", 1980, section on SGP4 initialisation; Vallado et al., "Revisiting Spacetrack
    Report #3", AIAA 2006-6753). With ``n0 = sqrt(k/a^3)``, ``q = (R/p)^2``, ``c = cos i``,
    ``b = sqrt(1 - e^2)``, ``k1 = 3/2 J2 q n0``, ``k2 = 1/2 k1 J2 q`` and
    ``k4 = -15/32 J4 q^2 n0``::

        dOmega/dt = -k1 c + [k2/2 (4 - 19 c^2) + 2 k4 (3 - 7 c^2)] c
        domega/dt = -k1/2 (1 - 5 c^2) + k2/16 (7 - 114 c^2 + 395 c^4)
                    + k4 (3 - 36 c^2 + 49 c^4)
        dM/dt     = n0 + k1/2 b (3 c^2 - 1) + k2/16 b (13 - 78 c^2 + 137 c^4)

    The first terms are :func:`j2_secular_rates`; for the ISS the second-order terms move the
    node rate by about 0.05 %, a few days in the ~320-day ISS/Chinese-station alignment cycle.
    ``a`` must be Brouwer's mean semi-major axis (``Satrec.a``, not the Kozai one) for the
    rates to match SGP4's. Same arguments and returns as :func:`j2_secular_rates`.
    """
    a = np.asarray(a, dtype=float)
    e = np.asarray(e, dtype=float)
    i = np.asarray(i, dtype=float)
    _check(a, e, i, k, R)
    n0 = np.sqrt(k / a**3)
    b = np.sqrt(1.0 - e * e)
    q = (R / (a * (1.0 - e * e))) ** 2
    c = np.cos(i)
    c2 = c * c
    c4 = c2 * c2
    k1 = 1.5 * J2 * q * n0
    k2 = 0.5 * k1 * J2 * q
    k4 = -15.0 / 32.0 * J4 * q * q * n0
    raan_dot = -k1 * c + (0.5 * k2 * (4.0 - 19.0 * c2) + 2.0 * k4 * (3.0 - 7.0 * c2)) * c
    argp_dot = (
        -0.5 * k1 * (1.0 - 5.0 * c2)
        + k2 / 16.0 * (7.0 - 114.0 * c2 + 395.0 * c4)
        + k4 * (3.0 - 36.0 * c2 + 49.0 * c4)
    )
    n_bar = n0 + 0.5 * k1 * b * (3.0 * c2 - 1.0) + k2 / 16.0 * b * (13.0 - 78.0 * c2 + 137.0 * c4)
    raan_dot, argp_dot, n_bar = np.broadcast_arrays(raan_dot, argp_dot, n_bar)
    return raan_dot.copy(), argp_dot.copy(), n_bar.copy()


def sun_synchronous_inclination(
    a: ArrayLike,
    e: ArrayLike,
    raan_rate: ArrayLike,
    k: float = GM_EARTH,
    R: float = R_EARTH,
    J2: float = J2_EARTH,
) -> np.ndarray:
    """Inclination (rad) at which the J2 node rate equals ``raan_rate`` (rad/s).

    Inverts ``dOmega/dt = -3/2 n0 J2 (R/p)^2 cos i`` for ``cos i``. Raises ``ValueError`` where
    no inclination gives that rate (|cos i| would exceed 1).
    """
    a = np.asarray(a, dtype=float)
    e = np.asarray(e, dtype=float)
    _check(a, e, np.zeros(()), k, R)
    n0 = np.sqrt(k / a**3)
    p = a * (1.0 - e * e)
    cos_i = -np.asarray(raan_rate, dtype=float) / (1.5 * n0 * J2 * (R / p) ** 2)
    if np.any(np.abs(cos_i) > 1.0):
        raise ValueError(
            "raan_rate cannot be reached by J2 precession at this a, e "
            f"(|cos i| would be {np.max(np.abs(cos_i)):.3g} > 1)"
        )
    return np.arccos(cos_i)
