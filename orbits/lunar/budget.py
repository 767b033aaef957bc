"""TLI and LOI Δv of a patched-conic Earth-Moon transfer: :func:`tli_budget`.

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
:func:`orbits.lunar.departure_windows` combine the turn ``|dec| - i`` with the TLI burn (law
of cosines): an idealised lower bound, since the tangential departure point (about 175 deg
before the Moon) is not on the line where the two planes meet. :func:`orbits.lunar_porkchop`
solves the single-impulse transfer exactly (Lambert from a point of the parking orbit): an
upper bound, because near-180-degree transfers to a point out of the plane need a steep plane.
Measured for March 2024 from a 19.6 deg (Wenchang) orbit: a 1.1 deg deficit costs about
10 m/s by the first and 230 m/s by the second; 8.6 deg costs 0.34 vs 1.3 km/s. Real missions
sit in between (mid-course plane changes, waiting for a better day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_time, as_value, check_work_size
from orbits.core import patched_conic as pc
from orbits.core.constants import EARTH_MOON_DISTANCE, GM_EARTH, GM_MOON, R_EARTH
from orbits.errors import ArgumentError
from orbits.results import quantity, value

from ._model import K_EARTH_MOON, KMS, BatchResult, check_flag, kms_range, lunar_orbit, moon_pole

__all__ = ["LunarTransfer", "tli_budget"]


@dataclass(frozen=True, repr=False)
class LunarTransfer(BatchResult):
    """Δv budget of one (or a batch of) Earth-Moon transfer(s).

    Every Quantity field has the batch shape (the broadcast of the arguments); ``in_plane`` is
    a bool array; ``departure``/``arrival`` are ``Time`` or None (mean-Moon model);
    ``moon_declination``/``approach_declination`` are None with the mean-Moon model.
    """

    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    parking_inclination: u.Quantity = quantity("parking inclination", "deg", fmt=".2f")
    tof: u.Quantity = quantity("time of flight", "day", fmt=".3f")
    tli_dv: u.Quantity = quantity("TLI Δv", "km / s", fmt=".3f")
    loi_dv: u.Quantity = quantity("LOI Δv", "km / s", fmt=".3f")
    total_dv: u.Quantity = quantity("TLI + LOI Δv", "km / s", fmt=".3f")
    v_inf: u.Quantity = quantity("arrival excess speed", "km / s", fmt=".3f")
    c3: u.Quantity = quantity("C3", "km2 / s2", fmt=".3f")
    perigee_speed: u.Quantity = quantity("speed after TLI", "km / s", fmt=".4f")
    transfer_eccentricity: u.Quantity = quantity("transfer eccentricity", "", fmt=".5f")
    moon_distance: u.Quantity = quantity("Moon distance at arrival", "km", fmt=".0f")
    departure_plane_change: u.Quantity = quantity("departure plane change", "deg", fmt=".2f")
    arrival_plane_change: u.Quantity = quantity("arrival plane change", "deg", fmt=".2f")
    moon_declination: u.Quantity | None = quantity("Moon declination at arrival", "deg", fmt=".2f")
    approach_declination: u.Quantity | None = quantity("approach declination", "deg", fmt=".2f")
    in_plane: np.ndarray = value("in-plane departure")
    departure: Time | None = value("TLI", fmt="minute")
    arrival: Time | None = value("arrival", fmt="minute")
    model: str = value("Moon model")

    title = "Earth-Moon transfer budget"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if np.ndim(self.total_dv.value) == 0:
            return (f"TLI {self.tli_dv.to_value(KMS):.3f} + LOI {self.loi_dv.to_value(KMS):.3f} = "
                    f"{self.total_dv.to_value(KMS):.3f} km/s, tof {self.tof.to_value(u.day):.2f} d "
                    f"({self.model})")
        return (f"{np.size(self.total_dv.value)} transfers, TLI + LOI {kms_range(self.total_dv)} "
                f"({self.model})")


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
        v_inf = np.hypot(v_r, v_t - np.sqrt(K_EARTH_MOON / r1))
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
        approach_dec = np.arcsin(np.clip(w @ moon_pole() / v_inf, -1.0, 1.0))
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
        "tli": tli, "loi": loi, "v_inf": v_inf, "v0": v0, "e": e, "r1": r1, "dep_pc": dep_pc,
        "arr_pc": arr_pc, "moon_dec": moon_dec, "approach_dec": approach_dec,
    }


def _deg(x):
    return None if x is None else (x * u.rad).to(u.deg)


def tli_budget(
    *,
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

    All arguments are keyword-only.

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
        If true, raise :class:`orbits.errors.ArgumentError` when the parking orbit cannot
        contain the Moon's arrival direction (inclination below the Moon's declination)
        instead of costing the plane change.

    All Quantity arguments broadcast together (e.g. an array of ``tof``).

    Returns
    -------
    LunarTransfer

    Examples
    --------
    >>> b = tli_budget(parking_altitude=185 * u.km, parking_inclination=28.5 * u.deg, tof=3 * u.day)
    >>> kms = u.km / u.s
    >>> round(float(b.tli_dv.to_value(kms)), 2), round(float(b.loi_dv.to_value(kms)), 2)
    (3.16, 0.92)
    """
    h0 = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    i_park = as_value(parking_inclination, u.rad, "parking_inclination", min=0.0, max=np.pi)
    tof_s = as_value(tof, u.s, "tof", min=0.5 * 86400.0, max=30.0 * 86400.0)
    rp_l, ra_l, i_l = lunar_orbit(
        lunar_periapsis_altitude, lunar_apoapsis_altitude, lunar_inclination
    )
    require_in_plane = check_flag(require_in_plane, "require_in_plane")
    try:
        np.broadcast_shapes(*(np.shape(x) for x in (h0, i_park, tof_s, rp_l, ra_l)))
    except ValueError:
        raise ArgumentError(
            "parking_altitude, parking_inclination, tof and the lunar altitudes must broadcast "
            f"together, got shapes {np.shape(h0)}, {np.shape(i_park)}, {np.shape(tof_s)}, "
            f"{np.shape(rp_l)}, {np.shape(ra_l)}"
        ) from None
    n = int(np.prod(np.broadcast_shapes(np.shape(h0), np.shape(tof_s), np.shape(rp_l))))
    if departure is not None and hasattr(departure, "shape"):
        n = max(n, int(np.prod(np.shape(departure))) * max(int(np.size(tof_s)), 1))
    check_work_size(n * 1200, f"a batch of {n} transfer budgets")  # ~150 float64 per element
    r0 = R_EARTH + np.asarray(h0)
    dep = arr = None
    r_m = v_m = None
    inputs = ()
    if departure is not None:
        from orbits.ephemeris import ephemeris_input, geocentric_states_km

        dep = as_time(departure, "departure")
        try:
            np.broadcast_shapes(dep.shape, np.shape(tof_s))
        except ValueError:
            raise ArgumentError(
                f"departure (shape {dep.shape}) and tof (shape {np.shape(tof_s)}) must broadcast "
                "together"
            ) from None
        arr = dep + np.asarray(tof_s) * u.s
        r_m, v_m = geocentric_states_km("moon", arr, ephemeris, name="departure + tof")
        inputs = (ephemeris_input(ephemeris),)
    res = _core_budget(r0, i_park, np.asarray(tof_s), rp_l, ra_l, i_l, r_m, v_m)
    in_plane = res["dep_pc"] <= 1e-12
    if require_in_plane and not np.all(in_plane):
        dec = np.degrees(np.abs(np.atleast_1d(res["moon_dec"]))).max()
        raise ArgumentError(
            f"parking_inclination {np.degrees(np.max(i_park)):g} deg is below the Moon's "
            f"declination at arrival ({dec:.2f} deg): the transfer cannot start in-plane; "
            f"choose another departure date or inclination >= {dec:.2f} deg, or set "
            f"require_in_plane=False to cost the plane change"
        )
    model = "mean circular Moon" if departure is None else f"{ephemeris} Moon"
    notes = (
        "patched conic: tangential TLI from a circular parking orbit, point Moon, LOI at the "
        "periapsis of the approach hyperbola; the plane change a parking orbit below the Moon's "
        "declination needs is combined with TLI (a lower bound)",
    )
    return LunarTransfer(
        parking_altitude=np.asarray(h0) * u.km,
        parking_inclination=_deg(np.asarray(i_park)),
        tli_dv=res["tli"] * KMS,
        loi_dv=res["loi"] * KMS,
        total_dv=(res["tli"] + res["loi"]) * KMS,
        v_inf=res["v_inf"] * KMS,
        c3=(res["v0"] ** 2 - 2.0 * GM_EARTH / r0) * KMS**2,
        tof=(np.asarray(tof_s) * u.s).to(u.day),
        perigee_speed=res["v0"] * KMS,
        transfer_eccentricity=res["e"] * u.one,
        moon_distance=res["r1"] * u.km,
        departure_plane_change=_deg(res["dep_pc"]),
        arrival_plane_change=_deg(res["arr_pc"]),
        moon_declination=_deg(res["moon_dec"]),
        approach_declination=_deg(res["approach_dec"]),
        in_plane=np.asarray(in_plane),
        departure=dep,
        arrival=arr,
        model=model,
        notes=notes,
        inputs=inputs,
    )
