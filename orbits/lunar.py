"""Earth-Moon transfer budgets: TLI and LOI Δv, departure geometry, phasing loops, porkchops,
and lunar-orbit compatibility with landing sites.

The model is the patched conic of :mod:`orbits.core.patched_conic` (point Moon, tangential
perigee departure from a circular parking orbit, single-burn capture at the periapsis of the
approach hyperbola). Against flown missions it is good to a few per cent: for Apollo 11's
parking orbit, launch date and 73-hour coast (DE421 Moon) it gives TLI 3.16 km/s (flown:
about 3.04 km/s) and LOI 0.90 km/s into its 113 x 315 km orbit (flown: 0.889 km/s); TLI comes
out high because the Moon's pull on the approach, which the point-Moon model ignores, helps
the real spacecraft (see ``tests/orbits/test_lunar.py``).

With a ``departure`` epoch the Moon's real position and velocity at arrival come from the
DE421 ephemeris (:mod:`orbits.ephemeris`): the transfer plane must contain the Moon at
arrival, so a parking orbit whose inclination is below the Moon's declination then needs a
plane change (reported, and costed, never NaN). Without one, a mean circular Moon at
384,400 km in the parking-orbit plane is used.

Two estimates of that plane-change cost bracket reality. :func:`tli_budget` and
:func:`departure_windows` combine the turn ``|dec| - i`` with the TLI burn (law of cosines):
an idealised lower bound, since the tangential departure point (about 175 deg before the
Moon) is not on the line where the two planes meet. :func:`lunar_porkchop` solves the
single-impulse transfer exactly (Lambert from a point of the parking orbit): an upper bound,
because near-180-degree transfers to a point out of the plane need a steep plane. Measured
for March 2024 from a 19.6 deg (Wenchang) orbit: a 1.1 deg deficit costs about 10 m/s by the
first and 230 m/s by the second; 8.6 deg costs 0.34 vs 1.3 km/s. Real missions sit in between
(mid-course plane changes, waiting for a better day).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time

from orbits._validation import as_time, as_value
from orbits.core import patched_conic as pc
from orbits.core.constants import (
    EARTH_MOON_DISTANCE,
    GM_EARTH,
    GM_MOON,
    MOON_POLE_DEC,
    MOON_POLE_RA,
    R_EARTH,
    R_MOON,
    SIDEREAL_MONTH,
)

__all__ = [
    "PARKING_INCLINATIONS",
    "FreeReturn",
    "LunarPorkchop",
    "LunarTransfer",
    "PhasingProfile",
    "departure_windows",
    "free_return",
    "free_return_flyby_altitude",
    "lunar_orbit_properties",
    "lunar_plane_drift",
    "lunar_porkchop",
    "phasing_profile",
    "plane_mismatch_cost",
    "site_coverage",
    "site_plane_passes",
    "tli_budget",
]

#: Parking-orbit inclinations of the launch sites in the comparison, deg: the values the
#: tracker issue gives (Vostochny 51.7, Baikonur 51.6 -- range-safety limited, ISS-compatible --,
#: Wenchang ~19.6, Xichang ~28.5; each is close to the site's latitude, the minimum a direct
#: launch can reach).
PARKING_INCLINATIONS = {
    "Vostochny": 51.7 * u.deg,
    "Baikonur": 51.6 * u.deg,
    "Wenchang": 19.6 * u.deg,
    "Xichang": 28.5 * u.deg,
}

_MU_EM = GM_EARTH + GM_MOON  # relative Earth-Moon two-body motion
_KMS = u.km / u.s


def _moon_pole():
    return np.array(
        [
            np.cos(MOON_POLE_DEC) * np.cos(MOON_POLE_RA),
            np.cos(MOON_POLE_DEC) * np.sin(MOON_POLE_RA),
            np.sin(MOON_POLE_DEC),
        ]
    )


@dataclass(frozen=True)
class LunarTransfer:
    """Δv budget of one (or a batch of) Earth-Moon transfer(s). Every field is a Quantity of
    the batch shape (or a bool array), except ``departure``/``arrival`` (``Time`` or None)."""

    tli_dv: u.Quantity
    loi_dv: u.Quantity
    total_dv: u.Quantity
    v_inf: u.Quantity
    c3: u.Quantity
    tof: u.Quantity
    perigee_speed: u.Quantity
    transfer_eccentricity: u.Quantity
    moon_distance: u.Quantity
    departure_plane_change: u.Quantity
    arrival_plane_change: u.Quantity
    moon_declination: u.Quantity | None
    approach_declination: u.Quantity | None
    in_plane: np.ndarray
    departure: Time | None = None
    arrival: Time | None = None
    model: str = field(default="mean circular Moon")

    def as_table(self) -> QTable:
        """The budget as a QTable (one row per batch element)."""
        cols = {}
        for name in (
            "tof", "tli_dv", "loi_dv", "total_dv", "v_inf", "c3",
            "departure_plane_change", "arrival_plane_change",
        ):
            cols[name] = np.atleast_1d(getattr(self, name)).ravel()
        n = len(cols["tof"])
        out = QTable({k: np.broadcast_to(v, (n,)) if v.size != n else v for k, v in cols.items()})
        out["in_plane"] = np.broadcast_to(np.atleast_1d(self.in_plane).ravel(), (n,))
        return out


def _lunar_orbit(lunar_periapsis_altitude, lunar_apoapsis_altitude, lunar_inclination):
    hp = as_value(lunar_periapsis_altitude, u.km, "lunar_periapsis_altitude", min=0.0, max=1.0e5)
    if lunar_apoapsis_altitude is None:
        ha = hp
    else:
        ha = as_value(lunar_apoapsis_altitude, u.km, "lunar_apoapsis_altitude", min=0.0, max=6.0e4)
        if np.any(np.asarray(ha) < np.asarray(hp)):
            raise ValueError(
                f"lunar_apoapsis_altitude must be >= lunar_periapsis_altitude "
                f"({np.min(hp):g} km), got {lunar_apoapsis_altitude}"
            )
    il = None
    if lunar_inclination is not None:
        il = as_value(lunar_inclination, u.rad, "lunar_inclination", min=0.0, max=np.pi)
    return R_MOON + np.asarray(hp), R_MOON + np.asarray(ha), il


def _core_budget(r0, i_park, tof_s, rp_l, ra_l, i_lunar, r_moon=None, v_moon=None):
    """All-array transfer budget. ``r_moon``/``v_moon`` (..., 3) select the ephemeris model."""
    v_c = np.sqrt(GM_EARTH / r0)
    if r_moon is None:
        r1 = np.full(np.broadcast(r0, tof_s).shape, EARTH_MOON_DISTANCE)
    else:
        r1 = np.linalg.norm(r_moon, axis=-1)
    e, nu, v0, _ = pc.tangential_transfer(r0, r1, tof_s, GM_EARTH)
    v_r, v_t = pc.arrival_velocity_2d(r0, r1, e, nu, GM_EARTH)
    if r_moon is None:
        v_inf = np.hypot(v_r, v_t - np.sqrt(_MU_EM / r1))
        dep_pc = np.zeros_like(v_inf)
        moon_dec = approach_dec = None
        arr_pc = np.zeros_like(v_inf)  # approach taken in the lunar equator: any inclination
    else:
        h_moon = np.cross(r_moon, v_moon)
        h_hat, dep_pc = pc.transfer_plane(r_moon, h_moon, i_park)
        _, v_sc = pc.arrival_state_3d(r_moon, h_hat, nu, v_r, v_t)
        w = v_sc - v_moon
        v_inf = np.linalg.norm(w, axis=-1)
        moon_dec = np.arcsin(np.clip(r_moon[..., 2] / r1, -1.0, 1.0))
        approach_dec = np.arcsin(np.clip(w @ _moon_pole() / v_inf, -1.0, 1.0))
        if i_lunar is None:
            arr_pc = np.zeros_like(v_inf)
        else:
            # orbit planes through the approach asymptote have inclination >= |declination|
            # and <= 180 deg - |declination|
            a = np.abs(approach_dec)
            arr_pc = np.maximum(a - i_lunar, 0.0) + np.maximum(i_lunar - (np.pi - a), 0.0)
    tli = pc.combined_burn(v0, v_c, dep_pc)
    loi = pc.capture_dv(v_inf, rp_l, ra_l, GM_MOON, arr_pc)
    return {
        "tli": tli, "loi": loi, "v_inf": v_inf, "v0": v0, "e": e, "r1": r1, "dep_pc": dep_pc, "arr_pc": arr_pc,
        "moon_dec": moon_dec, "approach_dec": approach_dec,
    }


def tli_budget(
    parking_altitude=200 * u.km,
    parking_inclination=51.7 * u.deg,
    tof=4 * u.day,
    lunar_periapsis_altitude=100 * u.km,
    lunar_apoapsis_altitude=None,
    lunar_inclination=None,
    departure=None,
    ephemeris="de421",
    require_in_plane: bool = False,
) -> LunarTransfer:
    """TLI and LOI Δv of a patched-conic transfer from a circular parking orbit to a lunar orbit.

    Parameters
    ----------
    parking_altitude : Quantity (length)
        Circular parking-orbit altitude above the equatorial radius, 100 .. 2,000 km.
    parking_inclination : Quantity (angle)
        Parking-orbit inclination, 0 .. 180 deg. Used only with a ``departure`` epoch.
    tof : Quantity (time)
        Time of flight from TLI to arrival at the Moon, 0.5 .. 30 days. Flights longer than the
        Hohmann-like time (about 5 days) arrive after apogee on a slightly bigger ellipse.
    lunar_periapsis_altitude, lunar_apoapsis_altitude : Quantity (length)
        Target lunar orbit (apoapsis defaults to the periapsis: circular).
    lunar_inclination : Quantity (angle), optional
        Target inclination to the lunar equator. ``None``: whatever the approach allows (no
        plane change). With the mean-Moon model the approach is taken in the lunar equator.
    departure : Time, optional
        TLI epoch; the Moon at ``departure + tof`` comes from ``ephemeris``.
    ephemeris : {'de421', 'builtin'}
        Passed to :func:`orbits.ephemeris.moon_state`.
    require_in_plane : bool
        If true, raise ``ValueError`` when the parking orbit cannot contain the Moon's arrival
        direction (inclination below the Moon's declination) instead of costing the plane change.

    All Quantity arguments broadcast together (e.g. an array of ``tof``).

    Returns
    -------
    LunarTransfer

    Examples
    --------
    >>> b = tli_budget(185 * u.km, 28.5 * u.deg, 3 * u.day)
    >>> round(float(b.tli_dv.to_value(u.km / u.s)), 2), round(float(b.loi_dv.to_value(u.km / u.s)), 2)
    (3.16, 0.92)
    """
    h0 = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    i_park = as_value(parking_inclination, u.rad, "parking_inclination", min=0.0, max=np.pi)
    tof_s = as_value(tof, u.s, "tof", min=0.5 * 86400.0, max=30.0 * 86400.0)
    rp_l, ra_l, i_l = _lunar_orbit(lunar_periapsis_altitude, lunar_apoapsis_altitude, lunar_inclination)
    r0 = R_EARTH + np.asarray(h0)
    dep = arr = None
    r_m = v_m = None
    if departure is not None:
        from orbits.ephemeris import geocentric_states_km

        dep = as_time(departure, "departure")
        arr = dep + np.asarray(tof_s) * u.s
        r_m, v_m = geocentric_states_km("moon", arr, ephemeris, name="departure + tof")
    res = _core_budget(r0, i_park, np.asarray(tof_s), rp_l, ra_l, i_l, r_m, v_m)
    in_plane = res["dep_pc"] <= 1e-12
    if require_in_plane and not np.all(in_plane):
        dec = np.degrees(np.abs(np.atleast_1d(res["moon_dec"]))).max()
        raise ValueError(
            f"parking_inclination {np.degrees(np.max(i_park)):g} deg is below the Moon's "
            f"declination at arrival ({dec:.2f} deg): the transfer cannot start in-plane; "
            f"choose another departure date or inclination >= {dec:.2f} deg, or set "
            f"require_in_plane=False to cost the plane change"
        )
    kms = _KMS
    return LunarTransfer(
        tli_dv=res["tli"] * kms,
        loi_dv=res["loi"] * kms,
        total_dv=(res["tli"] + res["loi"]) * kms,
        v_inf=res["v_inf"] * kms,
        c3=(res["v0"] ** 2 - 2.0 * GM_EARTH / r0) * kms**2,
        tof=(np.asarray(tof_s) * u.s).to(u.day),
        perigee_speed=res["v0"] * kms,
        transfer_eccentricity=res["e"] * u.one,
        moon_distance=res["r1"] * u.km,
        departure_plane_change=(res["dep_pc"] * u.rad).to(u.deg),
        arrival_plane_change=(res["arr_pc"] * u.rad).to(u.deg),
        moon_declination=None if res["moon_dec"] is None else (res["moon_dec"] * u.rad).to(u.deg),
        approach_declination=None
        if res["approach_dec"] is None
        else (res["approach_dec"] * u.rad).to(u.deg),
        in_plane=np.asarray(in_plane),
        departure=dep,
        arrival=arr,
        model="mean circular Moon" if departure is None else f"{ephemeris} Moon",
    )


# ---------------------------------------------------------------------------------------
# Free return


@dataclass(frozen=True)
class FreeReturn:
    """Result of :func:`free_return`: Earth-return perigee altitude after a lunar flyby for
    each side of passage (``[..., 0]``: rotation towards the Moon's motion; ``[..., 1]``: away)."""

    return_perigee_altitude: u.Quantity
    returns_to_earth: np.ndarray
    within_band: np.ndarray
    v_inf: u.Quantity
    turn_angle: u.Quantity

    @property
    def is_free_return(self) -> np.ndarray:
        """True where either side of passage brings the spacecraft back into the band."""
        return np.any(self.within_band, axis=-1)


def free_return(
    parking_altitude=185 * u.km,
    tof=3 * u.day,
    flyby_altitude=250 * u.km,
    band=(0 * u.km, 200 * u.km),
) -> FreeReturn:
    """Whether a planar patched-conic lunar flyby sends the spacecraft back to an Earth perigee
    within ``band`` (e.g. an entry corridor's vacuum perigee).

    Mean circular Moon, planar, point Moon: the excess velocity is turned by the flyby angle
    (Curtis eq. 8.55) towards one side or the other, and the new Earth conic's perigee is
    returned. The point-Moon model ignores the approach's offset inside the Moon's sphere of
    influence, so its free-return flyby altitudes differ from flown ones by a few hundred km
    (for a 3-day transfer from 185 km it finds ~470 km; Apollo 13's pericynthion was ~250 km,
    Apollo 13 Mission Report MSC-02680); use it to compare transfers, not to design a flight.
    Pass an array of ``flyby_altitude`` to scan for the altitudes that work.
    """
    h0 = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    tof_s = as_value(tof, u.s, "tof", min=0.5 * 86400.0, max=30.0 * 86400.0)
    hf = as_value(flyby_altitude, u.km, "flyby_altitude", min=0.0, max=1.0e6)
    if not (isinstance(band, (tuple, list)) and len(band) == 2):
        raise ValueError(f"band must be a (low, high) pair of lengths, got {band!r}")
    lo = as_value(band[0], u.km, "band[0]", min=-R_EARTH)
    hi = as_value(band[1], u.km, "band[1]", min=lo)
    r0 = R_EARTH + np.asarray(h0)
    r1 = EARTH_MOON_DISTANCE
    e, nu, _, _ = pc.tangential_transfer(r0, r1, tof_s, GM_EARTH)
    v_r, v_t = pc.arrival_velocity_2d(r0, r1, e, nu, GM_EARTH)
    v_m = np.sqrt(_MU_EM / r1)
    v_inf = np.hypot(v_r, v_t - v_m)
    turn = pc.flyby_turn_angle(v_inf, R_MOON + np.asarray(hf), GM_MOON)
    rp, inbound = pc.return_perigee_2d(r1, v_r, v_t, 0.0, v_m, turn, GM_EARTH)
    alt = rp - R_EARTH
    within = inbound & (alt >= lo) & (alt <= hi)
    return FreeReturn(
        return_perigee_altitude=alt * u.km,
        returns_to_earth=inbound,
        within_band=within,
        v_inf=v_inf * _KMS,
        turn_angle=(turn * u.rad).to(u.deg),
    )


def free_return_flyby_altitude(
    parking_altitude=185 * u.km,
    tof=3 * u.day,
    perigee_altitude=100 * u.km,
    max_flyby_altitude=20000 * u.km,
):
    """Design a free return: the lunar flyby altitude at which the planar patched conic of
    :func:`free_return` comes back to an Earth perigee at ``perigee_altitude``.

    Scans flyby altitudes 0 .. ``max_flyby_altitude`` on both sides of passage (one vectorised
    call) and refines the lowest crossing by bisection to 1 m. Raises ``ValueError`` if no
    flyby altitude in the range returns to that perigee.

    Returns ``(flyby_altitude, side)`` with ``side`` 0 or 1 as in :class:`FreeReturn`.
    """
    target = as_value(perigee_altitude, u.km, "perigee_altitude", min=-R_EARTH, max=1.0e5)
    hmax = as_value(max_flyby_altitude, u.km, "max_flyby_altitude", min=1.0, max=1.0e6)
    grid = np.linspace(0.0, hmax, 2001)
    f = free_return(parking_altitude, tof, grid * u.km, band=(-R_EARTH * u.km, 1e9 * u.km))
    g = f.return_perigee_altitude.to_value(u.km) - target
    ok = f.returns_to_earth
    best = None
    for side in (0, 1):
        s = g[:, side]
        cross = np.nonzero(ok[:-1, side] & ok[1:, side] & (np.sign(s[:-1]) != np.sign(s[1:])))[0]
        if cross.size and (best is None or grid[cross[0]] < grid[best[0]]):
            best = (cross[0], side)
    if best is None:
        raise ValueError(
            f"no flyby altitude in [0, {hmax:g}] km returns to a {target:g} km perigee for "
            f"tof = {tof} from {parking_altitude}; try another tof or perigee_altitude"
        )
    k, side = best
    lo, hi = grid[k], grid[k + 1]
    s_lo = g[k, side]
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        val = free_return(parking_altitude, tof, mid * u.km, band=(-R_EARTH * u.km, 1e9 * u.km))
        s_mid = val.return_perigee_altitude.to_value(u.km)[side] - target
        if np.sign(s_mid) == np.sign(s_lo):
            lo, s_lo = mid, s_mid
        else:
            hi = mid
        if hi - lo < 1e-3:
            break
    return 0.5 * (lo + hi) * u.km, int(side)


# ---------------------------------------------------------------------------------------
# Phasing loops


@dataclass(frozen=True)
class PhasingProfile:
    """Chang'e-style phasing: burns (the last is TLI), loop periods and apogees."""

    burns: u.Quantity  # (n_loops + 1,) km/s
    loop_periods: u.Quantity  # (n_loops,) h
    loop_apogee_altitudes: u.Quantity  # (n_loops,) km
    total_dv: u.Quantity
    direct_tli_dv: u.Quantity
    added_time: u.Quantity
    largest_burn: u.Quantity

    def as_table(self) -> QTable:
        n = len(self.loop_periods)
        names = [f"loop {k + 1}" for k in range(n)] + ["TLI"]
        from astropy.utils.masked import Masked

        # the TLI row has no loop after it: masked, not NaN
        period = np.concatenate([self.loop_periods.to_value(u.h), [0.0]]) * u.h
        return QTable(
            {
                "burn": names,
                "dv": self.burns.to(u.m / u.s).round(1),
                "period_after": Masked(period.round(2), mask=np.arange(n + 1) == n),
            }
        )


def phasing_profile(
    parking_altitude=200 * u.km,
    loops=3,
    loop_periods=None,
    tli_apogee_altitude=EARTH_MOON_DISTANCE * u.km,
) -> PhasingProfile:
    """Δv split and added time of a phasing-loop departure (Chang'e-1: 16 h, 24 h and 48 h
    loops before TLI; Xinhua / CNSA reports of October 2007).

    Parameters
    ----------
    parking_altitude : Quantity
        Perigee altitude (circular parking orbit), 100 .. 2,000 km.
    loops : int
        Number of intermediate loops (1 .. 10) when ``loop_periods`` is not given; their apogees
        are then chosen so all burns are equal.
    loop_periods : Quantity array, optional
        Periods of the intermediate loops, increasing (e.g. ``[16, 24, 48] * u.h``).
    tli_apogee_altitude : Quantity
        Apogee altitude of the final translunar orbit (default: the mean lunar distance).

    The burns add up to the direct TLI (impulsive burns at one perigee): phasing buys smaller
    burns (lower gravity losses, engine restarts as check-outs) and launch-window flexibility
    at the price of the loop time.
    """
    h0 = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    r0 = R_EARTH + h0
    ha = as_value(tli_apogee_altitude, u.km, "tli_apogee_altitude", min=1.0e5, max=1.0e6)
    ra = R_EARTH + ha
    if loop_periods is None:
        if not isinstance(loops, (int, np.integer)) or isinstance(loops, bool) or not 1 <= loops <= 10:
            raise ValueError(f"loops must be an integer in [1, 10], got {loops!r}")
        v_c = np.sqrt(GM_EARTH / r0)
        v_f = np.sqrt(2 * GM_EARTH / r0 - 2 * GM_EARTH / (r0 + ra))
        v = v_c + (v_f - v_c) * np.arange(1, loops + 1) / (loops + 1)
        apogees = 1.0 / (1.0 / r0 - v**2 / (2 * GM_EARTH)) - r0
    else:
        p = np.atleast_1d(as_value(loop_periods, u.s, "loop_periods", min=0.0, min_inclusive=False))
        apogees = pc.apogee_for_period(r0, p, GM_EARTH)
        t_final = 2 * np.pi * np.sqrt((0.5 * (r0 + ra)) ** 3 / GM_EARTH)
        if np.any(np.diff(p) <= 0) or np.any(apogees <= r0) or np.any(apogees >= ra):
            raise ValueError(
                f"loop_periods must increase, each between the parking orbit's "
                f"{2 * np.pi * np.sqrt(r0**3 / GM_EARTH) / 3600:.2f} h and the translunar "
                f"orbit's {t_final / 3600:.1f} h period, got {loop_periods}"
            )
    dv, periods = pc.phasing_loops(r0, apogees, ra, GM_EARTH)
    direct = np.sqrt(2 * GM_EARTH / r0 - 2 * GM_EARTH / (r0 + ra)) - np.sqrt(GM_EARTH / r0)
    return PhasingProfile(
        burns=dv * _KMS,
        loop_periods=(periods * u.s).to(u.h),
        loop_apogee_altitudes=(apogees - R_EARTH) * u.km,
        total_dv=dv.sum() * _KMS,
        direct_tli_dv=direct * _KMS,
        added_time=(periods.sum() * u.s).to(u.day),
        largest_burn=dv.max() * _KMS,
    )


# ---------------------------------------------------------------------------------------
# Departure windows


def departure_windows(
    departures,
    inclinations=None,
    tof=4 * u.day,
    parking_altitude=200 * u.km,
    ephemeris="de421",
) -> QTable:
    """For each departure day and parking orbit: can TLI start in-plane, and if not what does
    the plane change cost?

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
        Transfer time and parking altitude (as in :func:`tli_budget`).

    Returns
    -------
    QTable
        One row per (departure, site): ``site``, ``inclination``, ``departure``, ``arrival``,
        ``moon_declination``, ``in_plane``, ``plane_change``, ``penalty``.
    """
    from orbits.ephemeris import geocentric_states_km

    dep = as_time(departures, "departures")
    dep = dep.reshape(-1) if dep.ndim else dep.reshape((1,))
    if inclinations is None:
        inclinations = PARKING_INCLINATIONS
    if isinstance(inclinations, dict):
        names = [str(k) for k in inclinations]
        inc = np.array(
            [as_value(v, u.rad, f"inclinations[{k!r}]", min=0.0, max=np.pi) for k, v in inclinations.items()],
            dtype=float,
        )
    else:
        inc = np.atleast_1d(as_value(inclinations, u.rad, "inclinations", min=0.0, max=np.pi))
        names = [f"i={np.degrees(x):.1f} deg" for x in inc]
    tof_s = as_value(tof, u.s, "tof", min=0.5 * 86400.0, max=30.0 * 86400.0)
    if np.ndim(tof_s):
        raise ValueError(f"tof must be a scalar time of flight, got {tof}")
    h0 = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
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
    return QTable(
        {
            "site": np.tile(np.array(names), n_dep),
            "inclination": np.tile(np.degrees(inc), n_dep) * u.deg,
            "departure": dep[np.repeat(np.arange(n_dep), n_inc)],
            "arrival": arr[np.repeat(np.arange(n_dep), n_inc)],
            "moon_declination": np.repeat(np.degrees(dec), n_inc) * u.deg,
            "in_plane": (pc_angle <= 1e-12).ravel(),
            "plane_change": np.degrees(pc_angle).ravel() * u.deg,
            "penalty": penalty.ravel() * _KMS,
        }
    )


# ---------------------------------------------------------------------------------------
# Lunar porkchop (Lambert)

#: Transfer angles closer than this to 180 deg are moved to 180 deg -/+ this value in the
#: porkchop: at exactly 180 deg the Lambert transfer plane is undefined.
_COLLINEAR_GUARD = np.radians(2.0)


@dataclass(frozen=True)
class LunarPorkchop:
    """Grids of shape ``(len(departures), len(tofs))``. Cells where the Lambert solver found
    no solution have ``ok == False`` and NaN Δv (``best`` and the plots skip them)."""

    departures: Time
    tofs: u.Quantity
    tli_dv: u.Quantity
    loi_dv: u.Quantity
    total_dv: u.Quantity
    v_inf: u.Quantity
    moon_declination: u.Quantity
    in_plane: np.ndarray
    ok: np.ndarray
    parking_inclination: u.Quantity

    def best(self) -> dict:
        """Departure, time of flight and Δv of the cheapest solved cell."""
        if not np.any(self.ok):
            raise ValueError("no cell of the porkchop has a Lambert solution")
        tot = np.where(self.ok, self.total_dv.to_value(_KMS), np.inf)
        i, j = np.unravel_index(np.argmin(tot), tot.shape)
        return {
            "departure": self.departures[i],
            "tof": self.tofs[j],
            "tli_dv": self.tli_dv[i, j],
            "loi_dv": self.loi_dv[i, j],
            "total_dv": self.total_dv[i, j],
            "in_plane": bool(self.in_plane[i, j]),
        }


def lunar_porkchop(
    departures,
    tofs,
    parking_altitude=200 * u.km,
    parking_inclination=51.7 * u.deg,
    lunar_periapsis_altitude=100 * u.km,
    lunar_apoapsis_altitude=None,
    lunar_inclination=None,
    ephemeris="de421",
) -> LunarPorkchop:
    """TLI, LOI and total Δv over a grid of departure epochs and times of flight, with the
    Moon from the ephemeris and one vectorised Lambert call for the whole grid.

    For each cell the departure point lies in the parking orbit (inclination
    ``parking_inclination``, node chosen to bring its plane through -- or, if the Moon's
    declination exceeds the inclination, as close as possible to -- the Moon at arrival), at
    the transfer angle of the tangential conic of :func:`tli_budget` before the Moon's
    direction. The Lambert arc (Izzo, :func:`orbits.core.lambert.lambert`) from there to the
    Moon at arrival gives the TLI (``|v1 - v_parking|``, including any plane change) and the
    arrival excess speed. Where the Moon is out of the parking plane's reach the tangential
    geometry no longer fixes the departure point, so points along the parking orbit within
    +-60 deg of it (5 deg steps) are tried and the cheapest TLI kept; LOI is the periapsis capture burn as in :func:`tli_budget`. Transfer
    angles within 2 deg of 180 deg are moved to 178 / 182 deg (the Lambert plane is undefined
    at 180 deg), which costs at most a few m/s there.

    Parameters
    ----------
    departures : Time, 1-D
    tofs : Quantity (time), 1-D, each in 0.5 .. 30 days
    parking_altitude, parking_inclination, lunar_* : as :func:`tli_budget`

    Returns
    -------
    LunarPorkchop
    """
    from orbits.core.lambert import lambert
    from orbits.ephemeris import geocentric_states_km

    dep = as_time(departures, "departures")
    dep = dep.reshape(-1) if dep.ndim else dep.reshape((1,))
    tof_s = np.atleast_1d(as_value(tofs, u.s, "tofs", min=0.5 * 86400.0, max=30.0 * 86400.0))
    if tof_s.ndim != 1:
        raise ValueError(f"tofs must be 1-D, got shape {tof_s.shape}")
    h0 = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    i_park = as_value(parking_inclination, u.rad, "parking_inclination", min=0.0, max=np.pi)
    if np.ndim(h0) or np.ndim(i_park):
        raise ValueError("parking_altitude and parking_inclination must be scalars for a porkchop")
    rp_l, ra_l, i_l = _lunar_orbit(lunar_periapsis_altitude, lunar_apoapsis_altitude, lunar_inclination)
    r0 = R_EARTH + h0

    # Moon at every arrival epoch: one ephemeris call on the whole grid
    dep_s = dep.tdb
    arr = dep_s[:, None] + (tof_s[None, :] * u.s)
    r_m, v_m = geocentric_states_km("moon", arr, ephemeris, name="departures + tofs")
    r1 = np.linalg.norm(r_m, axis=-1)
    r_hat = r_m / r1[..., None]
    dec = np.arcsin(np.clip(r_hat[..., 2], -1.0, 1.0))

    # transfer angle of the tangential conic, kept off 180 deg
    _, nu, _, _ = pc.tangential_transfer(r0, r1, tof_s[None, :], GM_EARTH)
    near = np.abs(nu - np.pi) < _COLLINEAR_GUARD
    nu = np.where(near, np.where(nu < np.pi, np.pi - _COLLINEAR_GUARD, np.pi + _COLLINEAR_GUARD), nu)

    # parking plane: through the Moon if possible, else the nearest plane of that inclination
    h_moon = np.cross(r_m, v_m)
    h_in, plane_change = pc.transfer_plane(r_m, h_moon, i_park)
    ra_m = np.arctan2(r_hat[..., 1], r_hat[..., 0])
    sgn = np.where(dec >= 0.0, 1.0, -1.0)
    h_near = np.stack(
        [
            -sgn * np.sin(i_park) * np.cos(ra_m),
            -sgn * np.sin(i_park) * np.sin(ra_m),
            np.full_like(ra_m, np.cos(i_park)),
        ],
        axis=-1,
    )
    in_plane = plane_change <= 1e-12
    h_p = np.where(in_plane[..., None], h_in, h_near)
    proj = r_hat - np.sum(r_hat * h_p, axis=-1, keepdims=True) * h_p
    proj /= np.linalg.norm(proj, axis=-1, keepdims=True)
    t_hat = np.cross(h_p, proj)
    r0_hat = np.cos(nu)[..., None] * proj - np.sin(nu)[..., None] * t_hat
    v_park = np.sqrt(GM_EARTH / r0) * np.cross(h_p, r0_hat)

    sol = lambert(GM_EARTH, r0 * r0_hat, r_m, tof_s[None, :], prograde=h_p[..., 2] >= 0.0)
    ok = np.asarray(sol.ok).copy()
    v1, v2 = sol.v1, sol.v2.copy()
    tli = np.linalg.norm(v1 - v_park, axis=-1)

    out = ~in_plane
    if np.any(out):
        # The Moon is out of reach of the parking plane: the departure point is no longer fixed
        # by the tangential geometry, so try points along the parking orbit within +-60 deg of
        # the nominal one (5 deg steps; one more Lambert call on just these cells) and keep the
        # cheapest TLI.
        k = np.radians(np.arange(-60.0, 61.0, 5.0))
        hp_o, r0_o, t_o = h_p[out], r0_hat[out], np.cross(h_p[out], r0_hat[out])
        cand = np.cos(k)[None, :, None] * r0_o[:, None, :] + np.sin(k)[None, :, None] * t_o[:, None, :]
        vp = np.sqrt(GM_EARTH / r0) * np.cross(hp_o[:, None, :], cand)
        rm_o = r_m[out][:, None, :]
        cr = np.cross(cand, rm_o)
        prog = np.sign(np.sum(cr * hp_o[:, None, :], axis=-1)) * cr[..., 2] > 0.0
        tof_o = np.broadcast_to(tof_s[None, :], out.shape)[out][:, None]
        s2 = lambert(GM_EARTH, r0 * cand, rm_o, tof_o, prograde=prog)
        dv = np.where(s2.ok, np.linalg.norm(s2.v1 - vp, axis=-1), np.inf)
        j = np.argmin(dv, axis=1)
        rows = np.arange(j.size)
        tli[out] = dv[rows, j]
        v2[out] = s2.v2[rows, j]
        ok[out] = np.isfinite(tli[out])
    w = sol.v2 - v_m
    v_inf = np.linalg.norm(w, axis=-1)
    if i_l is None:
        arr_pc = np.zeros_like(v_inf)
    else:
        a = np.abs(np.arcsin(np.clip(w @ _moon_pole() / np.where(ok, v_inf, 1.0), -1.0, 1.0)))
        arr_pc = np.maximum(a - i_l, 0.0) + np.maximum(i_l - (np.pi - a), 0.0)
    loi = pc.capture_dv(v_inf, rp_l, ra_l, GM_MOON, arr_pc)
    nan = np.where(ok, 0.0, np.nan)  # explicit: unsolved cells are NaN *and* ok == False
    return LunarPorkchop(
        departures=dep,
        tofs=(tof_s * u.s).to(u.day),
        tli_dv=(tli + nan) * _KMS,
        loi_dv=(loi + nan) * _KMS,
        total_dv=(tli + loi + nan) * _KMS,
        v_inf=(v_inf + nan) * _KMS,
        moon_declination=(dec * u.rad).to(u.deg),
        in_plane=in_plane,
        ok=ok,
        parking_inclination=(i_park * u.rad).to(u.deg),
    )


# ---------------------------------------------------------------------------------------
# Lunar-orbit compatibility: sites, planes, drift

_OMEGA_MOON = 2.0 * np.pi / SIDEREAL_MONTH  # the Moon rotates once per sidereal month


def lunar_orbit_properties(periapsis_altitude, apoapsis_altitude=None) -> dict:
    """Period and periapsis/apoapsis speeds of a lunar orbit (two-body, GM_Moon of DE421).

    Example: Queqiao-2's frozen elliptical orbit, 200 x 16,000 km, has a 24-hour period
    (CNSA, March 2024).
    """
    hp = as_value(periapsis_altitude, u.km, "periapsis_altitude", min=0.0, max=1.0e5)
    ha = hp if apoapsis_altitude is None else as_value(
        apoapsis_altitude, u.km, "apoapsis_altitude", min=0.0, max=6.0e4
    )
    if np.any(np.asarray(ha) < np.asarray(hp)):
        raise ValueError(f"apoapsis_altitude must be >= periapsis_altitude, got {apoapsis_altitude} < {periapsis_altitude}")
    rp, ra = R_MOON + np.asarray(hp), R_MOON + np.asarray(ha)
    a = 0.5 * (rp + ra)
    return {
        "period": (2 * np.pi * np.sqrt(a**3 / GM_MOON) * u.s).to(u.h),
        "periapsis_speed": np.sqrt(GM_MOON * (2 / rp - 1 / a)) * _KMS,
        "apoapsis_speed": np.sqrt(GM_MOON * (2 / ra - 1 / a)) * _KMS,
        "eccentricity": ((ra - rp) / (ra + rp)) * u.one,
    }


def site_coverage(latitude, inclination):
    """Whether an orbit of the given inclination (to the lunar equator) ever passes over a
    site at ``latitude``: ``|latitude| <= i`` (prograde) or ``<= 180 deg - i`` (retrograde).
    Broadcasts; returns a bool array."""
    lat = as_value(latitude, u.rad, "latitude", min=-np.pi / 2, max=np.pi / 2)
    inc = as_value(inclination, u.rad, "inclination", min=0.0, max=np.pi)
    reach = np.minimum(inc, np.pi - inc)
    return np.abs(lat) <= reach + 1e-12


def lunar_plane_drift(periapsis_altitude, apoapsis_altitude=None, inclination=90 * u.deg) -> dict:
    """Secular drift of a lunar orbit's node and periapsis from the Moon's J2 (LP150Q), deg/day,
    via :func:`orbits.core.j2.j2_secular_rates`.

    Only J2: for low lunar orbits the mascons and the Earth's pull also matter (they make
    most low orbits unstable within months), so treat this as the plane's mean drift over
    days to weeks, which is what rendezvous and landing-site planning need. A polar orbit has
    no J2 node drift.
    """
    from orbits.core.constants import J2_MOON
    from orbits.core.j2 import j2_secular_rates

    hp = as_value(periapsis_altitude, u.km, "periapsis_altitude", min=0.0, max=1.0e5)
    ha = hp if apoapsis_altitude is None else as_value(
        apoapsis_altitude, u.km, "apoapsis_altitude", min=0.0, max=6.0e4
    )
    inc = as_value(inclination, u.rad, "inclination", min=0.0, max=np.pi)
    rp, ra = R_MOON + np.asarray(hp), R_MOON + np.asarray(ha)
    if np.any(ra < rp):
        raise ValueError(f"apoapsis_altitude must be >= periapsis_altitude, got {apoapsis_altitude} < {periapsis_altitude}")
    a, e = 0.5 * (rp + ra), (ra - rp) / (ra + rp)
    node, argp, _ = j2_secular_rates(a, e, inc, GM_MOON, R_MOON, J2_MOON)
    per_day = u.deg / u.day
    return {
        "node_rate": (node * u.rad / u.s).to(per_day),
        "periapsis_rate": (argp * u.rad / u.s).to(per_day),
        "node_rate_relative_to_surface": ((node - _OMEGA_MOON) * u.rad / u.s).to(per_day),
    }


def _node_rate(altitude, inc):
    from orbits.core.constants import J2_MOON
    from orbits.core.j2 import j2_secular_rates

    node, _, _ = j2_secular_rates(R_MOON + altitude, 0.0, inc, GM_MOON, R_MOON, J2_MOON)
    return float(node)


def _site_args(site_latitude, site_longitude, inclination, node_longitude, altitude):
    lat = as_value(site_latitude, u.rad, "site_latitude", min=-np.pi / 2, max=np.pi / 2)
    lon = as_value(site_longitude, u.rad, "site_longitude", min=-2 * np.pi, max=2 * np.pi)
    inc = as_value(inclination, u.rad, "inclination", min=0.0, max=np.pi)
    node = as_value(node_longitude, u.rad, "node_longitude", min=-2 * np.pi, max=2 * np.pi)
    h = as_value(altitude, u.km, "altitude", min=0.0, max=1.0e4)
    for name, v in (("site_latitude", lat), ("site_longitude", lon), ("inclination", inc),
                    ("node_longitude", node), ("altitude", h)):
        if np.ndim(v):
            raise ValueError(f"{name} must be a scalar, got {v!r}")
    return lat, lon, inc, node, h


def site_plane_passes(
    site_latitude,
    site_longitude,
    inclination,
    node_longitude=0 * u.deg,
    start=None,
    duration=SIDEREAL_MONTH * u.s,
    altitude=200 * u.km,
) -> QTable:
    """When a landing site passes under an orbiter's plane.

    The orbit plane is (nearly) fixed in inertial space -- it drifts at the J2 node rate --
    while the Moon turns under it once per sidereal month (27.32 days), so a site at
    ``|latitude| < i`` crosses the plane twice per rotation (once on the ascending half of the
    ground track, once on the descending half); a site at ``|latitude| > i`` never does
    (empty table). The plane's ascending node is given in the Moon's body-fixed (selenographic)
    longitude at ``start``.

    Returns
    -------
    QTable with ``time`` (Time if ``start`` given, else offset from start), ``offset`` (days)
    and ``kind`` ('ascending'/'descending' half of the track). Times to the second.
    """
    lat, lon, inc, node, h = _site_args(site_latitude, site_longitude, inclination, node_longitude, altitude)
    dur = as_value(duration, u.s, "duration", min=0.0, max=10 * 365.25 * 86400.0)
    if start is not None:
        start = as_time(start, "start")
    w = _OMEGA_MOON - _node_rate(h, inc)  # rate of psi = lon - node_fixed
    q = np.tan(lat) / np.tan(inc) if np.sin(inc) > 1e-12 else np.inf
    if not site_coverage(lat * u.rad, inc * u.rad) or abs(q) > 1.0:
        t = np.array([])
        kinds = np.array([], dtype=str)
    else:
        psi0 = lon - node
        roots = np.array([np.arcsin(q), np.pi - np.arcsin(q)])
        n_max = int(np.ceil(dur * abs(w) / (2 * np.pi))) + 1
        ks = np.arange(-1, n_max + 1)
        t = ((roots[:, None] - psi0 + 2 * np.pi * ks[None, :]) / w).ravel()
        kinds = np.repeat(np.array(["ascending", "descending"]), ks.size)
        keep = (t >= 0) & (t <= dur)
        order = np.argsort(t[keep])
        t, kinds = t[keep][order], kinds[keep][order]
    out = QTable({"offset": (t * u.s).to(u.day), "kind": kinds})
    if start is not None:
        out["time"] = start + out["offset"]
    return out


def plane_mismatch_cost(
    site_latitude,
    site_longitude,
    inclination,
    node_longitude=0 * u.deg,
    offsets=None,
    altitude=200 * u.km,
) -> dict:
    """Angle of a landing site out of an orbiter's plane over time, and the Δv of the plane
    change that angle costs an ascent to that orbit (a single plane change ``2 v sin(b/2)`` at
    the orbit's circular speed -- the usual upper bound; a launch azimuth can take a little).

    ``offsets`` are times after the epoch at which the plane's node is at ``node_longitude``
    (default: 200 steps over one sidereal month).
    Returns ``{"offset", "angle", "dv"}``.
    """
    lat, lon, inc, node, h = _site_args(site_latitude, site_longitude, inclination, node_longitude, altitude)
    if offsets is None:
        offsets = np.linspace(0.0, SIDEREAL_MONTH, 200) * u.s
    t = np.asarray(as_value(offsets, u.s, "offsets", min=0.0, max=10 * 365.25 * 86400.0))
    psi = lon - node + (_OMEGA_MOON - _node_rate(h, inc)) * t
    # h_hat . r_hat in the plane's frame: cos i sin(lat) - sin i cos(lat) sin(psi)
    s = np.cos(inc) * np.sin(lat) - np.sin(inc) * np.cos(lat) * np.sin(psi)
    beta = np.arcsin(np.clip(s, -1.0, 1.0))
    v = np.sqrt(GM_MOON / (R_MOON + h))
    return {
        "offset": (t * u.s).to(u.day),
        "angle": (np.abs(beta) * u.rad).to(u.deg),
        "dv": 2.0 * v * np.sin(np.abs(beta) / 2.0) * _KMS,
    }
