"""Patched-conic Earth-Moon transfers on plain arrays (km, s, rad).

Model (Bate, Mueller & White, "Fundamentals of Astrodynamics", ch. 7; Curtis, "Orbital
Mechanics for Engineering Students", ch. 9): a tangential burn at the perigee of a circular
parking orbit puts the spacecraft on an Earth conic that reaches the Moon's distance after the
time of flight; the Moon is a point on that conic (zero-radius sphere of influence), so the
hyperbolic excess speed at the Moon is the difference between the spacecraft's and the Moon's
velocities there; lunar orbit insertion is a single burn at the periapsis of the approach
hyperbola. The approximations cost a few per cent in Δv against flown missions (see the tests).

Every function broadcasts over leading batch axes; vectors carry a trailing axis of 3. ``k`` is
the central body's gravitational parameter (km^3/s^2), as in poliastro.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "apogee_for_period",
    "arrival_state_3d",
    "arrival_velocity_2d",
    "capture_dv",
    "combined_burn",
    "flyby_turn_angle",
    "hohmann_like_time",
    "phasing_loops",
    "return_perigee_2d",
    "tangential_transfer",
    "time_to_radius",
    "transfer_plane",
]

_TINY = 1e-12


def hohmann_like_time(r0, r1, k):
    """Return the time from perigee ``r0`` to apogee ``r1`` on the ellipse tangent at both.

    This is the longest time an outbound (pre-apogee) tangential transfer can take to reach ``r1``.
    """
    a = 0.5 * (np.asarray(r0, float) + r1)
    return np.pi * np.sqrt(a**3 / k)


def _time_from_perigee(r0, e, nu, k):
    """Return the time from perigee to true anomaly ``nu`` (0..2pi for ellipses).

    On the conic of perigee radius ``r0`` and eccentricity ``e`` (elliptic or hyperbolic).
    """
    r0, e, nu = np.broadcast_arrays(
        np.asarray(r0, float), np.asarray(e, float), np.asarray(nu, float)
    )
    out = np.empty(r0.shape)
    ell = e < 1.0 - 1e-10
    hyp = e > 1.0 + 1e-10
    par = ~(ell | hyp)
    if np.any(ell):
        a = r0[ell] / (1.0 - e[ell])
        n = np.sqrt(k / a**3)
        half = nu[ell] / 2.0
        # eccentric anomaly, continuous across nu = pi by atan2 of the half-angle form
        E = 2.0 * np.arctan2(
            np.sqrt(1.0 - e[ell]) * np.sin(half), np.sqrt(1.0 + e[ell]) * np.cos(half)
        )
        E = np.where(E < 0.0, E + 2.0 * np.pi, E)
        out[ell] = (E - e[ell] * np.sin(E)) / n
    if np.any(hyp):
        a = r0[hyp] / (e[hyp] - 1.0)
        n = np.sqrt(k / a**3)
        F = 2.0 * np.arctanh(np.sqrt((e[hyp] - 1.0) / (e[hyp] + 1.0)) * np.tan(nu[hyp] / 2.0))
        out[hyp] = (e[hyp] * np.sinh(F) - F) / n
    if np.any(par):
        p = 2.0 * r0[par]
        D = np.tan(nu[par] / 2.0)
        out[par] = 0.5 * np.sqrt(p**3 / k) * (D + D**3 / 3.0)  # Barker's equation
    return out


def _true_anomaly_at(r0, r1, e):
    """Return the true anomaly in [0, pi] where the conic (perigee r0, ecc. e) reaches r1."""
    p = r0 * (1.0 + e)
    c = (p / r1 - 1.0) / np.maximum(e, _TINY)
    return np.arccos(np.clip(c, -1.0, 1.0))


def time_to_radius(r0, r1, e, k, inbound=False):
    """Return the time from perigee ``r0`` to radius ``r1``.

    On the outbound branch, or, for ellipses reaching past ``r1``, the inbound, post-apogee branch.
    """
    nu = _true_anomaly_at(r0, r1, e)
    if inbound:
        nu = 2.0 * np.pi - nu
    return _time_from_perigee(r0, e, nu, k)


def tangential_transfer(r0, r1, tof, k, iterations: int = 80):
    """Conic with perigee ``r0`` (tangential departure) reaching radius ``r1`` after ``tof``.

    Short flights (``tof`` up to :func:`hohmann_like_time`) arrive before apogee; longer ones
    use an ellipse whose apogee lies beyond ``r1`` and arrive after apogee, falling back to the
    Moon's distance (time grows without bound as the ellipse approaches a parabola), so every
    positive ``tof`` has exactly one solution. Solved by vectorised bisection on the eccentricity
    (time of flight is monotonic in it on each branch).

    Returns
    -------
    e : eccentricity; nu : true anomaly at arrival (rad, in (0, 2 pi));
    v0 : perigee speed (km/s); inbound : bool, arrival after apogee.
    """
    r0, r1, tof = np.broadcast_arrays(
        np.asarray(r0, float), np.asarray(r1, float), np.asarray(tof, float)
    )
    e_min = (r1 - r0) / (r1 + r0)
    inbound = tof > hohmann_like_time(r0, r1, k)
    lo = e_min.copy()
    hi = np.where(inbound, 1.0 - 1e-9, 50.0)
    # Outbound: t decreases with e. Inbound (P - t_out): t increases with e.
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        t_out = time_to_radius(r0, r1, mid, k, inbound=False)
        t = np.where(inbound, _inbound_time(r0, r1, mid, k, t_out), t_out)
        too_long = t > tof
        go_up = np.where(inbound, ~too_long, too_long)  # need larger e?
        lo = np.where(go_up, mid, lo)
        hi = np.where(go_up, hi, mid)
    e = 0.5 * (lo + hi)
    nu = _true_anomaly_at(r0, r1, e)
    nu = np.where(inbound, 2.0 * np.pi - nu, nu)
    v0 = np.sqrt(k * (1.0 + e) / r0)
    return e, nu, v0, inbound


def _inbound_time(r0, r1, e, k, t_out):
    a = r0 / np.maximum(1.0 - e, _TINY)
    period = 2.0 * np.pi * np.sqrt(a**3 / k)
    return np.where(e < 1.0, period - t_out, np.inf)


def arrival_velocity_2d(r0, r1, e, nu, k):
    """Radial and transverse speed (km/s) on arrival at radius ``r1`` (true anomaly ``nu``)."""
    h = np.sqrt(k * r0 * (1.0 + e))
    return k / h * e * np.sin(nu), h / r1


def transfer_plane(r_target, h_ref, inclination):
    """Return the unit normal of a plane through the Earth's centre and ``r_target``.

    The plane has the given inclination to the equator (z axis); of the two such planes, the one
    whose normal is closer to ``h_ref`` (e.g. the Moon's orbital angular momentum) is chosen.

    If the target's declination exceeds the inclination (or its supplement, for retrograde
    orbits) no such plane exists; the plane containing the target with the nearest possible
    inclination is returned, with the angle between the two planes (the plane change the
    departure must make: |declination| - inclination).

    Returns ``(h_hat, plane_change)``, shapes ``(..., 3)`` and ``(...)``.
    """
    r_hat = r_target / np.linalg.norm(r_target, axis=-1, keepdims=True)
    z = np.array([0.0, 0.0, 1.0])
    sin_dec = r_hat[..., 2]
    cos_dec = np.sqrt(np.clip(1.0 - sin_dec**2, 0.0, 1.0))
    dec = np.arcsin(np.clip(sin_dec, -1.0, 1.0))
    i = np.asarray(inclination, float)
    i_lo = np.abs(dec)
    i_hi = np.pi - np.abs(dec)
    i_eff = np.clip(i, i_lo, i_hi)
    plane_change = np.maximum(i_lo - i, 0.0) + np.maximum(i - i_hi, 0.0)
    z_perp = z - sin_dec[..., None] * r_hat
    e1 = z_perp / np.maximum(cos_dec[..., None], _TINY)
    e2 = np.cross(r_hat, e1)
    cos_a = np.clip(np.cos(i_eff) / np.maximum(cos_dec, _TINY), -1.0, 1.0)
    sin_a = np.sqrt(1.0 - cos_a**2)
    h_plus = cos_a[..., None] * e1 + sin_a[..., None] * e2
    h_minus = cos_a[..., None] * e1 - sin_a[..., None] * e2
    use_plus = np.sum(h_plus * h_ref, axis=-1) >= np.sum(h_minus * h_ref, axis=-1)
    return np.where(use_plus[..., None], h_plus, h_minus), plane_change


def arrival_state_3d(r_target, h_hat, nu, v_r, v_t):
    """Return the departure direction and arrival velocity of a transfer in plane ``h_hat``.

    The transfer reaches ``r_target`` after sweeping true anomaly ``nu`` from perigee.

    Returns ``(r0_hat, v_arrival)``, both ``(..., 3)``.
    """
    r_hat = r_target / np.linalg.norm(r_target, axis=-1, keepdims=True)
    t_hat = np.cross(h_hat, r_hat)
    nu = np.asarray(nu, float)[..., None]
    r0_hat = np.cos(nu) * r_hat - np.sin(nu) * t_hat
    v = np.asarray(v_r, float)[..., None] * r_hat + np.asarray(v_t, float)[..., None] * t_hat
    return r0_hat, v


def capture_dv(v_inf, r_p, r_a, k, plane_change=0.0):
    """Return the Δv of a single periapsis burn from a hyperbola into an ellipse.

    From excess speed ``v_inf`` to an ellipse of periapsis ``r_p`` and apoapsis ``r_a`` (km),
    optionally combined with a plane change.
    """
    v_hyp = np.sqrt(np.asarray(v_inf, float) ** 2 + 2.0 * k / r_p)
    v_ell = np.sqrt(2.0 * k / r_p - 2.0 * k / (r_p + r_a))
    return combined_burn(v_hyp, v_ell, plane_change)


def combined_burn(v1, v2, angle):
    """Return the Δv to go from speed ``v1`` to ``v2`` while turning the velocity by ``angle``.

    Law of cosines (Curtis eq. 6.53).
    """
    v1 = np.asarray(v1, float)
    v2 = np.asarray(v2, float)
    return np.sqrt(np.maximum(v1**2 + v2**2 - 2.0 * v1 * v2 * np.cos(angle), 0.0))


def flyby_turn_angle(v_inf, r_p, k):
    """Return the turn angle of the excess velocity in a flyby with periapsis radius ``r_p``.

    Curtis eq. 8.55: sin(delta/2) = 1 / (1 + r_p v_inf^2 / k).
    """
    return 2.0 * np.arcsin(1.0 / (1.0 + r_p * np.asarray(v_inf, float) ** 2 / k))


def return_perigee_2d(r1, v_sc_r, v_sc_t, v_m_r, v_m_t, turn, k):
    """Perigee radius of the Earth orbit after a planar lunar flyby.

    The excess velocity (spacecraft minus Moon, radial/transverse components in the Moon's
    frame at radius ``r1``) is rotated by ``+turn`` and ``-turn`` (passing either side of the
    Moon); returns the perigee radius (km) for each, shape ``(..., 2)``, and whether the
    spacecraft is heading back towards the Earth (negative radial speed) on each.
    """
    vx = np.asarray(v_sc_r, float) - v_m_r
    vy = np.asarray(v_sc_t, float) - v_m_t
    out_rp, out_in = [], []
    for s in (1.0, -1.0):
        c, sn = np.cos(s * turn), np.sin(s * turn)
        wr = v_m_r + c * vx - sn * vy
        wt = v_m_t + sn * vx + c * vy
        h = r1 * np.abs(wt)
        energy = 0.5 * (wr**2 + wt**2) - k / r1
        p = h**2 / k
        e = np.sqrt(np.maximum(1.0 + 2.0 * energy * h**2 / k**2, 0.0))
        out_rp.append(p / (1.0 + e))
        out_in.append(wr < 0.0)
    return np.stack(out_rp, axis=-1), np.stack(out_in, axis=-1)


def phasing_loops(r_park, apogees, r_apogee_final, k):
    """Return the Δv split and added time of reaching a translunar apogee by phasing loops.

    Chang'e-1 style: successive perigee burns, each raising the apogee, one or more full revolutions
    in each intermediate orbit before the translunar burn.

    Parameters
    ----------
    r_park : float
        Circular parking-orbit radius (the common perigee), km.
    apogees : array_like, shape (n,)
        Apogee radii of the intermediate phasing orbits, km, increasing, below the final one.
    r_apogee_final : float
        Apogee radius of the translunar orbit, km.

    Returns
    -------
    dv : ndarray (n + 1,)
        Perigee burns, km/s; the last is the translunar injection from the last loop. Their sum
        equals the direct TLI from the parking orbit (impulsive burns at one perigee add up).
    periods : ndarray (n,)
        Period of each intermediate orbit, s (the time added per revolution).
    """
    r_park = float(r_park)
    ra = np.concatenate([[r_park], np.asarray(apogees, float), [float(r_apogee_final)]])
    v = np.sqrt(2.0 * k / r_park - 2.0 * k / (r_park + ra))
    a = 0.5 * (r_park + ra[1:-1])
    return np.diff(v), 2.0 * np.pi * np.sqrt(a**3 / k)


def apogee_for_period(r_perigee, period, k):
    """Apogee radius (km) of the orbit with perigee ``r_perigee`` and the given period (s)."""
    a = (k * (np.asarray(period, float) / (2.0 * np.pi)) ** 2) ** (1.0 / 3.0)
    return 2.0 * a - r_perigee
