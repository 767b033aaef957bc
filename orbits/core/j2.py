"""First-order secular effects of the J2 zonal harmonic on a Keplerian orbit.

Pure numpy on floats/arrays in km, s, rad; every argument broadcasts.

The rates are the classical first-order averages (Vallado, "Fundamentals of Astrodynamics and
Applications", 4th ed., eqs. 9-41: secular rates of Omega, omega and M; Curtis, "Orbital
Mechanics for Engineering Students", eqs. 4.52 and 4.53)::

    p          = a (1 - e^2)
    n0         = sqrt(mu / a^3)
    dOmega/dt  = -3/2 n0 J2 (R/p)^2 cos i
    domega/dt  =  3/4 n0 J2 (R/p)^2 (4 - 5 sin^2 i)
    n_bar      =  n0 [1 + 3/4 J2 (R/p)^2 sqrt(1 - e^2) (2 - 3 sin^2 i)]

``n_bar`` is the rate of the mean anomaly (mean motion including the J2 secular term). The
unperturbed ``n0`` multiplies the J2 terms; using ``n_bar`` there instead changes the result
only at order J2^2.
"""

from __future__ import annotations

import numpy as np

from .constants import GM_EARTH, J2_EARTH, R_EARTH

__all__ = ["j2_secular_rates", "sun_synchronous_inclination"]


def _check(a, e, i, mu, R):
    if np.any(~np.isfinite(a)) or np.any(a <= 0.0):
        raise ValueError(f"a must be finite and > 0 km, got {a!r}")
    if np.any(~np.isfinite(e)) or np.any(e < 0.0) or np.any(e >= 1.0):
        raise ValueError(f"e must be in [0, 1) (closed orbits), got {e!r}")
    if np.any(~np.isfinite(i)):
        raise ValueError(f"i must be finite (rad), got {i!r}")
    if np.any(np.asarray(mu) <= 0.0) or np.any(np.asarray(R) <= 0.0):
        raise ValueError(f"mu and R must be > 0, got mu={mu!r}, R={R!r}")


def j2_secular_rates(a, e, i, mu=GM_EARTH, R=R_EARTH, J2=J2_EARTH):
    """Secular J2 rates of the node, the argument of periapsis and the mean anomaly.

    Parameters
    ----------
    a : float or array
        Semi-major axis, km (> 0).
    e : float or array
        Eccentricity, [0, 1).
    i : float or array
        Inclination, rad.
    mu : float, optional
        Gravitational parameter, km^3/s^2 (default Earth).
    R : float, optional
        Reference (equatorial) radius of the J2 coefficient, km (default Earth).
    J2 : float, optional
        Second zonal harmonic (default Earth).

    Returns
    -------
    raan_dot, argp_dot, mean_motion_with_j2 : numpy arrays (0-d for scalar input), rad/s
        Broadcast to the common shape of the inputs.
    """
    a = np.asarray(a, dtype=float)
    e = np.asarray(e, dtype=float)
    i = np.asarray(i, dtype=float)
    _check(a, e, i, mu, R)
    n0 = np.sqrt(mu / a**3)
    one_m_e2 = 1.0 - e * e
    p = a * one_m_e2
    k = J2 * (R / p) ** 2
    sin2 = np.sin(i) ** 2
    raan_dot = -1.5 * n0 * k * np.cos(i)
    argp_dot = 0.75 * n0 * k * (4.0 - 5.0 * sin2)
    n_bar = n0 * (1.0 + 0.75 * k * np.sqrt(one_m_e2) * (2.0 - 3.0 * sin2))
    raan_dot, argp_dot, n_bar = np.broadcast_arrays(raan_dot, argp_dot, n_bar)
    return raan_dot.copy(), argp_dot.copy(), n_bar.copy()


def sun_synchronous_inclination(a, e, raan_rate, mu=GM_EARTH, R=R_EARTH, J2=J2_EARTH):
    """Inclination (rad) at which the J2 node rate equals ``raan_rate`` (rad/s).

    Inverts ``dOmega/dt = -3/2 n0 J2 (R/p)^2 cos i`` for ``cos i``. Raises ``ValueError`` where
    no inclination gives that rate (|cos i| would exceed 1).
    """
    a = np.asarray(a, dtype=float)
    e = np.asarray(e, dtype=float)
    _check(a, e, np.zeros(()), mu, R)
    n0 = np.sqrt(mu / a**3)
    p = a * (1.0 - e * e)
    cos_i = -np.asarray(raan_rate, dtype=float) / (1.5 * n0 * J2 * (R / p) ** 2)
    if np.any(np.abs(cos_i) > 1.0):
        raise ValueError(
            "raan_rate cannot be reached by J2 precession at this a, e "
            f"(|cos i| would be {np.max(np.abs(cos_i)):.3g} > 1)"
        )
    return np.arccos(cos_i)
