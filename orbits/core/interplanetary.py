"""Heliocentric transfers between planets: Lambert grids, C3, v-infinity and the burns at both ends.

Pure numpy on floats/arrays in km, s, rad. The patched-conic model of an interplanetary
transfer (Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., ch. 8; Vallado,
*Fundamentals of Astrodynamics and Applications*, 4th ed., sec. 12.2):

* a heliocentric Lambert arc from the departure planet's centre at the departure epoch to the
  arrival planet's centre at the arrival epoch (:func:`orbits.core.lambert.lambert`);
* the hyperbolic excess velocities ``v_inf = v_transfer - v_planet`` at both ends; the launch
  energy is ``C3 = |v_inf,departure|^2``;
* one burn from a circular parking orbit onto the departure hyperbola (Curtis eq. 8.42) and one
  burn at the periapsis of the arrival hyperbola into an ellipse (Curtis eq. 8.59 for a
  circular orbit, generalised to an ellipse of apoapsis ``r_a``).

Transfer types: type I when the heliocentric transfer angle (measured prograde about the
ecliptic pole) is below 180 deg, type II above (the convention of the NASA mission design
handbooks, e.g. George & Kos, NASA/TM-1998-208533).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .lambert import COLLINEAR, NOT_CONVERGED, OK, lambert

__all__ = [
    "GM_MARS",
    "J2_MARS",
    "OBLIQUITY_J2000",
    "OMEGA_MARS",
    "R_MARS",
    "R_MARS_MEAN",
    "R_SUN",
    "J2_SUN",
    "NOT_SEARCHED",
    "TransferGrid",
    "asymptote_angles",
    "capture_dv",
    "departure_dv",
    "ecliptic_from_equatorial",
    "transfer_angle",
    "transfer_grid",
]

# --- constants (each with its source) ------------------------------------------------------
#: Mars' gravitational parameter, km^3/s^2 (IAU 2009 System of Astronomical Constants, as
#: carried by boinor.constants.GM_mars: 4.28283744e13 m^3/s^2).
GM_MARS = 42828.3744
#: Mars' equatorial radius, km (IAU WGCCRE 2015, Archinal et al. 2018, Celest. Mech. Dyn.
#: Astr. 130:22, Table 5: 3396.19 km; polar 3376.20 km).
R_MARS = 3396.19
#: Mars' mean radius, km (same table: 3389.50 km).
R_MARS_MEAN = 3389.50
#: Mars' J2 (boinor.constants.J2_mars: 0.0019555).
J2_MARS = 1.9555e-3
#: Mars' rotation rate, rad/s (IAU WGCCRE 2015: W rate 350.891982443297 deg/day).
OMEGA_MARS = math.radians(350.891982443297) / 86400.0
#: Nominal solar radius, km (IAU 2015 Resolution B3: 695,700 km).
R_SUN = 695700.0
#: The Sun's J2 (boinor.constants.J2_sun: 2.2e-7).
J2_SUN = 2.2e-7
#: Mean obliquity of the ecliptic at J2000, rad (IAU 1976: 84381.448 arcsec, the value of
#: the ECLIPJ2000 frame of JPL's SPICE toolkit).
OBLIQUITY_J2000 = math.radians(84381.448 / 3600.0)

#: Status of a grid cell that was not searched (time of flight outside the allowed range);
#: the Lambert statuses 0..5 of :mod:`orbits.core.lambert` are used for the others.
NOT_SEARCHED = 10


def ecliptic_from_equatorial(vec):
    """Rotate ICRF (equatorial) vectors, shape (..., 3), into the J2000 ecliptic frame."""
    v = np.asarray(vec, dtype=float)
    c, s = math.cos(OBLIQUITY_J2000), math.sin(OBLIQUITY_J2000)
    out = np.empty_like(v)
    out[..., 0] = v[..., 0]
    out[..., 1] = c * v[..., 1] + s * v[..., 2]
    out[..., 2] = -s * v[..., 1] + c * v[..., 2]
    return out


def transfer_angle(r1, r2):
    """Prograde transfer angle from ``r1`` to ``r2`` about +z, rad in [0, 2 pi).

    Vectors in a frame whose +z is the reference pole (the ecliptic pole for planets).
    """
    r1 = np.asarray(r1, float)
    r2 = np.asarray(r2, float)
    cz = r1[..., 0] * r2[..., 1] - r1[..., 1] * r2[..., 0]
    cross = np.cross(r1, r2)
    ang = np.arctan2(np.linalg.norm(cross, axis=-1), np.sum(r1 * r2, axis=-1))
    return np.where(cz >= 0.0, ang, 2.0 * np.pi - ang)


def departure_dv(v_inf, r_park, k):
    """Δv of one burn from a circular orbit of radius ``r_park`` onto a hyperbola of ``v_inf``.

    ``sqrt(v_inf^2 + 2 k / r) - sqrt(k / r)`` (Curtis eq. 8.42), km/s.
    """
    v_inf = np.asarray(v_inf, float)
    return np.sqrt(v_inf * v_inf + 2.0 * k / r_park) - np.sqrt(k / r_park)


def capture_dv(v_inf, r_p, r_a, k):
    """Δv of one periapsis burn from a hyperbola of ``v_inf`` into an ellipse ``r_p`` x ``r_a``.

    Radii from the planet's centre, km (``r_a == r_p``: a circular orbit, Curtis eq. 8.59).
    """
    v_inf = np.asarray(v_inf, float)
    v_hyp = np.sqrt(v_inf * v_inf + 2.0 * k / r_p)
    v_ell = np.sqrt(2.0 * k / r_p - 2.0 * k / (r_p + r_a))
    return v_hyp - v_ell


def asymptote_angles(v_inf):
    """Right ascension and declination (rad) of hyperbolic-excess vectors, shape (..., 3).

    In the frame of the vectors: for equatorial (ICRF) vectors at departure these are the
    RLA and DLA of the launch asymptote.
    """
    v = np.asarray(v_inf, float)
    n = np.linalg.norm(v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        dec = np.arcsin(np.clip(v[..., 2] / n, -1.0, 1.0))
    ra = np.mod(np.arctan2(v[..., 1], v[..., 0]), 2.0 * np.pi)
    return ra, dec


class TransferGrid(NamedTuple):
    """Result of :func:`transfer_grid`, arrays of shape ``(n_departures, n_arrivals)``.

    ``v_inf_departure`` and ``v_inf_arrival`` are vectors (last axis 3) in the frame of the
    inputs; NaN where ``status != 0``.
    """

    v_inf_departure: np.ndarray
    v_inf_arrival: np.ndarray
    angle: np.ndarray
    status: np.ndarray


#: Working memory per cell of a Mars porkchop (this grid plus the derived grids of
#: :func:`orbits.mars.mars_porkchop`), bytes. Peak traced allocations (tracemalloc, whole
#: ``mars_porkchop`` call) measured 476 B a cell on a 121 x 400 grid, 313 B on 400 x 400 and
#: 188 B on 1000 x 1000 (the Lambert temporaries are bounded by the chunk, so the share per
#: cell falls with size); 500 B covers them all.
BYTES_PER_CELL = 500

#: Cells solved per Lambert call in :func:`transfer_grid` (bounds the temporaries).
CHUNK_CELLS = 200_000


def transfer_grid(k, r_dep, v_dep, t_dep, r_arr, v_arr, t_arr, *, tof_min=0.0, tof_max=np.inf,
                  collinear_guard=0.0, chunk_cells=CHUNK_CELLS):
    """Prograde single-revolution Lambert arcs between every departure and every arrival.

    Parameters
    ----------
    k : float
        Gravitational parameter of the central body (the Sun), km^3/s^2.
    r_dep, v_dep : array, shape (n_dep, 3)
        Departure planet state at the departure epochs, km and km/s, in a frame whose +z is
        the pole that defines "prograde" (the ecliptic pole).
    t_dep : array, shape (n_dep,)
        Departure epochs, s (any common origin with ``t_arr``).
    r_arr, v_arr, t_arr : arrays, shapes (n_arr, 3) and (n_arr,)
        Arrival planet state and epochs.
    tof_min, tof_max : float
        Cells with a time of flight outside ``[tof_min, tof_max]`` (s) are not searched; their
        status is :data:`NOT_SEARCHED`.
    collinear_guard : float
        Cells whose transfer angle lies within this angle (rad) of 180 deg get the status
        ``COLLINEAR``: the transfer plane there is ill-defined and the Lambert velocities grow
        without bound (the "ridge" of a porkchop plot).
    chunk_cells : int
        Cells per Lambert call; bounds the working memory (about :data:`BYTES_PER_CELL` a cell).

    Returns
    -------
    TransferGrid
    """
    r_dep = np.asarray(r_dep, float)
    v_dep = np.asarray(v_dep, float)
    r_arr = np.asarray(r_arr, float)
    v_arr = np.asarray(v_arr, float)
    t_dep = np.asarray(t_dep, float)
    t_arr = np.asarray(t_arr, float)
    nd, na = t_dep.size, t_arr.size
    vinf_d = np.full((nd, na, 3), np.nan)
    vinf_a = np.full((nd, na, 3), np.nan)
    status = np.full((nd, na), NOT_SEARCHED, dtype=np.int8)
    angle = transfer_angle(r_dep[:, None, :], r_arr[None, :, :])
    tof = t_arr[None, :] - t_dep[:, None]
    searched = (tof >= tof_min) & (tof <= tof_max) & (tof > 0.0)
    ridge = searched & (np.abs(angle - np.pi) < collinear_guard)
    status[ridge] = COLLINEAR
    todo_i, todo_j = np.nonzero(searched & ~ridge)
    step = max(int(chunk_cells), 1)
    for start in range(0, todo_i.size, step):
        i = todo_i[start:start + step]
        j = todo_j[start:start + step]
        sol = lambert(k, r_dep[i], r_arr[j], tof[i, j], 0, True, True)
        good = sol.ok
        vinf_d[i[good], j[good]] = sol.v1[good] - v_dep[i[good]]
        vinf_a[i[good], j[good]] = sol.v2[good] - v_arr[j[good]]
        status[i, j] = sol.status
    # a solved cell must have finite velocities (never a silent NaN)
    status[(status == OK) & ~np.isfinite(vinf_d[..., 0])] = NOT_CONVERGED
    return TransferGrid(vinf_d, vinf_a, angle, status)
