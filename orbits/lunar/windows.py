"""Departure days and parking-orbit planes: :func:`departure_windows`."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_time, as_value, check_work_size
from orbits.core import patched_conic as pc
from orbits.core.constants import GM_EARTH, R_EARTH
from orbits.errors import ArgumentError, NotFoundError
from orbits.results import column, quantity

from ._model import KMS, PARKING_INCLINATIONS, LunarTable

__all__ = ["DepartureWindows", "departure_windows"]


@dataclass(frozen=True, repr=False)
class DepartureWindows(LunarTable):
    """One row per (departure, parking orbit): whether TLI can start in-plane.

    If not, ``penalty`` is what the plane change costs (never NaN).
    """

    tof: u.Quantity = quantity("time of flight", "day", fmt=".2f")
    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    site: np.ndarray = column("site")
    inclination: u.Quantity = column("inclination", "deg", fmt=".1f")
    departure: Time = column("departure", fmt="minute")
    arrival: Time = column("arrival", fmt="minute")
    moon_declination: u.Quantity = column("Moon declination", "deg", fmt=".2f")
    in_plane: np.ndarray = column("in plane")
    plane_change: u.Quantity = column("plane change", "deg", fmt=".2f")
    penalty: u.Quantity = column("Δv penalty", "km / s", fmt=".3f")

    title = "Lunar departure windows"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        sites = list(dict.fromkeys(self.site.tolist()))
        return (f"{len(self) // max(len(sites), 1)} departures × {len(sites)} parking orbits, "
                f"{100 * np.mean(self.in_plane):.0f} % in-plane")

    @property
    def sites(self) -> list[str]:
        """The parking orbits' names, in order."""
        return list(dict.fromkeys(self.site.tolist()))

    def for_site(self, name: str) -> DepartureWindows:
        """Return the rows of one parking orbit (by its name, case-insensitive)."""
        key = str(name).strip().casefold()
        keep = np.array([s.casefold() == key for s in self.site.tolist()])
        if not keep.any():
            raise NotFoundError(f"site must be one of {self.sites}, got {str(name)[:40]!r}")
        return replace(self, **{f: getattr(self, f)[keep] for f in (
            "site", "inclination", "departure", "arrival", "moon_declination", "in_plane",
            "plane_change", "penalty")})


def departure_windows(
    departures,
    *,
    inclinations=None,
    tof=4 * u.day,
    parking_altitude=200 * u.km,
    ephemeris="de421",
) -> DepartureWindows:
    """Find for each departure day and parking orbit whether TLI can start in-plane.

    If not, what does the plane change cost?

    The transfer plane contains the Earth's centre and the Moon at arrival, so a parking orbit
    of inclination ``i`` departs in-plane only when the Moon's declination at arrival satisfies
    ``|dec| <= i``. Otherwise the TLI burn must also turn the plane by ``|dec| - i`` (combined
    with the burn, Curtis eq. 6.53); that extra Δv is the ``penalty``. Never NaN: an impossible
    in-plane geometry is reported by ``in_plane = False`` and a finite penalty.

    Parameters
    ----------
    departures : Time (1-D or scalar)
        TLI epochs.
    inclinations : dict name -> Quantity, or Quantity array, optional
        Parking-orbit inclinations; default :data:`PARKING_INCLINATIONS` (Vostochny, Baikonur,
        Wenchang, Xichang).
    tof, parking_altitude : Quantity
        Transfer time and parking altitude (as in :func:`orbits.tli_budget`).

    Returns
    -------
    DepartureWindows
    """
    from orbits.ephemeris import ephemeris_input, geocentric_states_km

    dep = as_time(departures, "departures")
    dep = dep.reshape(-1) if dep.ndim else dep.reshape((1,))
    if dep.size == 0:
        raise ArgumentError("departures must hold at least one epoch, got an empty Time")
    if inclinations is None:
        inclinations = PARKING_INCLINATIONS
    if isinstance(inclinations, dict):
        if not inclinations:
            raise ArgumentError("inclinations must name at least one parking orbit, got {}")
        names = [str(k) for k in inclinations]
        inc = np.array(
            [
                as_value(v, u.rad, f"inclinations[{k!r}]", min=0.0, max=np.pi)
                for k, v in inclinations.items()
            ],
            dtype=float,
        )
    else:
        inc = np.atleast_1d(as_value(inclinations, u.rad, "inclinations", min=0.0, max=np.pi))
        if inc.ndim != 1 or inc.size == 0:
            raise ArgumentError(f"inclinations must be a 1-D list of angles, got shape {inc.shape}")
        names = [f"i={np.degrees(x):.1f} deg" for x in inc]
    tof_s = as_value(tof, u.s, "tof", min=0.5 * 86400.0, max=30.0 * 86400.0)
    if np.ndim(tof_s):
        raise ArgumentError(f"tof must be a scalar time of flight, got {tof}")
    h0 = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    if np.ndim(h0):
        raise ArgumentError(f"parking_altitude must be a scalar, got {parking_altitude}")
    # about 60 float64 temporaries per departure (ephemeris, conic) and 20 per (departure, site)
    check_work_size(
        dep.size * 480 + dep.size * inc.size * 160,
        f"departure windows for {dep.size} departures x {inc.size} parking orbits",
    )
    r0 = R_EARTH + h0
    arr = dep + tof_s * u.s
    r_m, v_m = geocentric_states_km("moon", arr, ephemeris, name="departures + tof")
    r1 = np.linalg.norm(r_m, axis=-1)
    dec = np.arcsin(r_m[:, 2] / r1)  # (n_dep,)
    _, _, v0, _ = pc.tangential_transfer(r0, r1, tof_s, GM_EARTH)
    v_c = np.sqrt(GM_EARTH / r0)
    # grid (n_dep, n_site)
    h_moon = np.cross(r_m, v_m)
    _, pc_angle = pc.transfer_plane(r_m[:, None, :], h_moon[:, None, :], inc[None, :])
    penalty = np.where(
        pc_angle > 0.0, pc.combined_burn(v0[:, None], v_c, pc_angle) - (v0[:, None] - v_c), 0.0
    )
    n_dep, n_inc = pc_angle.shape
    rows = np.repeat(np.arange(n_dep), n_inc)
    return DepartureWindows(
        tof=(tof_s * u.s).to(u.day),
        parking_altitude=h0 * u.km,
        site=np.tile(np.array(names), n_dep),
        inclination=np.tile(np.degrees(inc), n_dep) * u.deg,
        departure=dep[rows],
        arrival=arr[rows],
        moon_declination=np.repeat(np.degrees(dec), n_inc) * u.deg,
        in_plane=(pc_angle <= 1e-12).ravel(),
        plane_change=np.degrees(pc_angle).ravel() * u.deg,
        penalty=penalty.ravel() * KMS,
        inputs=(ephemeris_input(ephemeris),),
        notes=(
            "penalty: the plane change |dec| - i combined with the TLI burn (Curtis eq. 6.53), "
            "an idealised lower bound",
        ),
    )
