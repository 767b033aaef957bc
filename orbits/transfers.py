"""Station-to-station transfer search with units: ``orbits.station_transfer_search``.

Two Earth orbits given by mean classical elements at their epochs are propagated with
Keplerian motion plus the secular J2 drift of node, periapsis and mean anomaly; on a grid of
departure times x times of flight a Lambert transfer from the departure station to the arrival
station is solved for every cell in vectorised calls (:mod:`orbits.core.transfers`).

Orbit input
-----------
Each orbit is either a mapping (e.g. a ``dict``) or any object with attributes (a
``NamedTuple``, a ``dataclass``, a boinor ``Orbit``) providing

* ``a`` (length), ``ecc`` (dimensionless Quantity or float), ``inc``, ``raan``, ``argp``
  (angles), ``epoch`` (astropy ``Time`` or ISO string),
* and the anomaly at the epoch: ``M`` (mean anomaly, angle) or, if there is no ``M``,
  ``nu`` (true anomaly, angle).

Only closed orbits (``0 <= ecc < 1``) are accepted. The elements are treated as mean elements
(as in a TLE); positions built from them are accurate to the J2 short-period terms (~10 km in
LEO), which is fine for Δv maps and windows but not for rendezvous targeting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time

from ._validation import as_time, as_value
from .core import transfers as _core
from .core.constants import GM_EARTH, J2_EARTH, J4_EARTH, R_EARTH
from .core.kepler import true_to_mean

__all__ = ["StationTransferResult", "station_transfer_search"]

_KMS = u.km / u.s
_KM3_S2 = u.km**3 / u.s**2


def _field(orbit, key, name):
    if isinstance(orbit, Mapping):
        if key in orbit:
            return orbit[key]
    elif hasattr(orbit, key):
        return getattr(orbit, key)
    return None


def _orbit_elements(orbit, name):
    """Validated (MeanElements at the orbit's epoch, epoch) from a mapping/object."""
    vals = {}
    for key in ("a", "ecc", "inc", "raan", "argp", "epoch"):
        val = _field(orbit, key, name)
        if val is None:
            raise TypeError(
                f"{name} must provide '{key}' (needs a, ecc, inc, raan, argp, epoch and M or nu), "
                f"got {type(orbit).__name__}"
            )
        vals[key] = val
    ecc = vals["ecc"]
    if not isinstance(ecc, u.Quantity):
        ecc = np.asarray(ecc, dtype=float) * u.one
    a = as_value(vals["a"], u.km, f"{name}.a", min=0.0, min_inclusive=False)
    e = as_value(ecc, u.one, f"{name}.ecc", min=0.0, max=1.0, max_inclusive=False)
    inc = as_value(vals["inc"], u.rad, f"{name}.inc", min=0.0, max=np.pi)
    raan = as_value(vals["raan"], u.rad, f"{name}.raan")
    argp = as_value(vals["argp"], u.rad, f"{name}.argp")
    for key, val in (("a", a), ("ecc", e), ("inc", inc), ("raan", raan), ("argp", argp)):
        if np.ndim(val) != 0:
            raise ValueError(f"{name}.{key} must be a scalar, got shape {np.shape(val)}")
    M = _field(orbit, "M", name)
    if M is None:  # orbits.tle.TLE names it in full
        M = _field(orbit, "mean_anomaly", name)
    if M is not None:
        M0 = as_value(M, u.rad, f"{name}.M")
    else:
        nu = _field(orbit, "nu", name)
        if nu is None:
            raise TypeError(
                f"{name} must provide the mean anomaly ('M' or 'mean_anomaly') or the true anomaly 'nu'"
            )
        M0 = float(true_to_mean(as_value(nu, u.rad, f"{name}.nu"), e))
    epoch = as_time(vals["epoch"], f"{name}.epoch")
    if not epoch.isscalar:
        raise ValueError(f"{name}.epoch must be a single time, got shape {epoch.shape}")
    return _core.MeanElements(a, e, inc, raan, argp, float(M0)), epoch


def _shift_to(el, dt, mu, J2, R, J4=None):
    """Mean elements ``dt`` seconds after the elements' epoch (secular drift)."""
    rd, wd, n = _core.secular_rates(el, mu, J2, R, J4)
    return el._replace(raan=el.raan + rd * dt, argp=el.argp + wd * dt, M=el.M + n * dt)


@dataclass(frozen=True)
class StationTransferResult:
    """Result of :func:`station_transfer_search`.

    Grids have shape ``(N departures, K times of flight)``. Cells where no Lambert solution
    exists for any revolution count tried have ``ok == False`` and NaN Δv; use ``ok``, not the
    NaNs, to select them.
    """

    departure: Time  #: (N,) departure times
    tof: u.Quantity  #: (K,) times of flight
    dv1: u.Quantity  #: (N, K) departure impulse, km/s
    dv2: u.Quantity  #: (N, K) arrival impulse (rendezvous), km/s
    dv_total: u.Quantity  #: (N, K) dv1 + dv2, km/s
    ok: np.ndarray  #: (N, K) bool
    revs: np.ndarray  #: (N, K) complete revolutions of the cheapest solution (-1 where not ok)
    lowpath: np.ndarray  #: (N, K) branch of that solution when revs >= 1
    minima: np.ndarray  #: flat indices of the interior local minima of dv_total, cheapest first

    def best(self, n: int = 5, *, min_separation=None) -> QTable:
        """The ``n`` cheapest windows: local minima of the total Δv inside the grid.

        Minima on the grid's edge are left out (the Δv may keep falling beyond the searched
        range); fewer than ``n`` rows come back if the grid has fewer interior minima.

        Parameters
        ----------
        n : int
            Number of windows (>= 1).
        min_separation : Quantity (time), optional
            Skip a window whose departure lies within this interval of a cheaper window already
            listed (e.g. ``1 * u.day`` for one window per opportunity).

        Returns
        -------
        QTable
            Columns ``departure``, ``arrival`` (Time), ``tof`` (min), ``dv1``, ``dv2``,
            ``dv_total`` (km/s), ``revs``; cheapest first.
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        if min_separation is None:
            idx = self.minima[: int(n)]
        else:
            sep = as_value(min_separation, u.s, "min_separation", min=0.0)
            t_rel = (self.departure - self.departure[0]).to_value(u.s)
            rows = np.unravel_index(self.minima, self.ok.shape)[0]
            picked: list[int] = []
            picked_t: list[float] = []
            for flat, row in zip(self.minima, rows):
                t = t_rel[row]
                if all(abs(t - q) >= sep for q in picked_t):
                    picked.append(int(flat))
                    picked_t.append(t)
                    if len(picked) == n:
                        break
            idx = np.array(picked, dtype=int)
        i, j = np.unravel_index(idx, self.ok.shape)
        dep = self.departure[i]
        tof = self.tof[j].to(u.min)
        return QTable(
            {
                "departure": dep,
                "arrival": dep + tof,
                "tof": tof,
                "dv1": self.dv1[i, j],
                "dv2": self.dv2[i, j],
                "dv_total": self.dv_total[i, j],
                "revs": self.revs[i, j],
            }
        )


def station_transfer_search(
    departure_orbit,
    arrival_orbit,
    departure,
    tof,
    *,
    max_revs: int = 0,
    k=GM_EARTH * _KM3_S2,
    j2: bool = True,
    second_order: bool = False,
    prograde: bool | None = None,
) -> StationTransferResult:
    """Δv of two-impulse (Lambert) transfers between two orbiting stations on a time grid.

    Parameters
    ----------
    departure_orbit, arrival_orbit : mapping or object
        Mean elements and epoch of each station (see the module docstring).
    departure : Time, shape (N,)
        Departure times (strictly increasing; e.g. ``t0 + np.arange(n) * 10 * u.min``).
    tof : Quantity, shape (K,), time
        Times of flight (> 0, strictly increasing).
    max_revs : int
        Largest number of complete revolutions on the transfer orbit tried in each cell (both
        multi-revolution branches are solved); the cheapest feasible solution is kept.
    k : Quantity
        Earth's gravitational parameter (default 398600.4418 km^3/s^2).
    j2 : bool
        Include the secular J2 drift of the stations' orbits (Earth's J2 and radius).
    second_order : bool
        With ``j2``, add the J2^2 and J4 secular terms (SGP4's model): for stations given by
        TLEs the node alignments then fall within minutes of SGP4's instead of ~1.6 days off.
    prograde : bool, optional
        Direction of the transfer orbits; default: that of the departure orbit (inc < 90 deg).

    Returns
    -------
    StationTransferResult
    """
    mu = as_value(k, _KM3_S2, "k", min=0.0, min_inclusive=False)
    dep_el, dep_epoch = _orbit_elements(departure_orbit, "departure_orbit")
    arr_el, arr_epoch = _orbit_elements(arrival_orbit, "arrival_orbit")
    departure = as_time(departure, "departure")
    if departure.isscalar:
        departure = departure.reshape((1,))
    departure = Time(departure, format="isot", precision=0)  # copy; readable in tables
    if departure.ndim != 1:
        raise ValueError(f"departure must be a 1-D Time array, got shape {departure.shape}")
    tof_s = np.atleast_1d(as_value(tof, u.s, "tof", min=0.0, min_inclusive=False))
    if tof_s.ndim != 1:
        raise ValueError(f"tof must be a 1-D Quantity array, got shape {tof_s.shape}")
    if tof_s.size > 1 and np.any(np.diff(tof_s) <= 0):
        raise ValueError("tof must be strictly increasing")
    if isinstance(max_revs, bool) or not isinstance(max_revs, (int, np.integer)) or max_revs < 0:
        raise ValueError(f"max_revs must be an integer >= 0, got {max_revs!r}")
    if prograde is None:
        prograde = bool(dep_el.inc < np.pi / 2)

    J2 = J2_EARTH if j2 else 0.0
    J4 = J4_EARTH if (j2 and second_order) else None
    # time origin: the first departure; both orbits' mean elements are moved to it
    t0 = departure[0]
    t_dep = (departure - t0).to_value(u.s)
    if t_dep.size > 1 and np.any(np.diff(t_dep) <= 0):
        raise ValueError("departure times must be strictly increasing")
    dep0 = _shift_to(dep_el, (t0 - dep_epoch).to_value(u.s), mu, J2, R_EARTH, J4)
    arr0 = _shift_to(arr_el, (t0 - arr_epoch).to_value(u.s), mu, J2, R_EARTH, J4)

    grid = _core.transfer_grid(
        dep0,
        arr0,
        t_dep,
        tof_s,
        mu=mu,
        J2=J2,
        R=R_EARTH,
        J4=J4,
        max_revs=int(max_revs),
        prograde=bool(prograde),
    )
    minima = _core.local_minima(grid.dv, grid.ok)
    return StationTransferResult(
        departure=departure,
        tof=(tof_s * u.s).to(u.min),
        dv1=grid.dv1 * _KMS,
        dv2=grid.dv2 * _KMS,
        dv_total=grid.dv * _KMS,
        ok=grid.ok,
        revs=grid.revs,
        lowpath=grid.lowpath,
        minima=minima,
    )
