"""Free-return lunar flybys: planar patched conic, and 3D in DE421 point-mass dynamics.

See :func:`free_return` and :func:`free_return_flyby_altitude` (planar, point Moon, mean
circular orbit) and :func:`free_return_3d` (Earth + Moon + Sun point masses from DE421, the
TLI corrected so that the flyby comes back to a given Earth perigee).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.table import QTable
from astropy.time import Time

from orbits._validation import as_value, describe_value
from orbits.core import patched_conic as pc
from orbits.core.constants import EARTH_MOON_DISTANCE, GM_EARTH, GM_MOON, R_EARTH, R_MOON
from orbits.errors import ArgumentError, ArgumentTypeError, ConvergenceError
from orbits.results import Result, quantity, value

from ._model import K_EARTH_MOON, KMS, BatchResult

__all__ = [
    "FreeReturn",
    "FreeReturn3D",
    "FreeReturnDesign",
    "free_return",
    "free_return_3d",
    "free_return_flyby_altitude",
]

_NOTE = ("planar patched conic, mean circular Moon, point Moon: the excess velocity is turned by "
         "the flyby angle (Curtis eq. 8.55); side 'leading' rotates it towards the Moon's motion, "
         "'trailing' away; a comparison tool, not a flight design (flyby altitudes come out a "
         "few hundred km above flown ones)")


@dataclass(frozen=True, repr=False)
class FreeReturn(BatchResult):
    """Earth-return perigee altitude after a lunar flyby, for each side of passage.

    The per-side arrays have the shape of ``flyby_altitude`` plus a trailing axis of 2:
    ``[..., 0]`` the leading side (turn towards the Moon's motion), ``[..., 1]`` the trailing
    side. ``to_table()`` has one row per flyby altitude with a column per side.
    """

    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    tof: u.Quantity = quantity("time of flight", "day", fmt=".3f")
    flyby_altitude: u.Quantity = quantity("flyby altitude", "km", fmt=".1f")
    v_inf: u.Quantity = quantity("arrival excess speed", "km / s", fmt=".3f")
    turn_angle: u.Quantity = quantity("flyby turn angle", "deg", fmt=".2f")
    band_low: u.Quantity = quantity("return band low", "km", fmt=".0f")
    band_high: u.Quantity = quantity("return band high", "km", fmt=".0f")
    return_perigee_altitude: u.Quantity = None  # (..., 2) km
    returns_to_earth: np.ndarray = None  # (..., 2) bool
    within_band: np.ndarray = None  # (..., 2) bool

    title = "Lunar free return"

    @property
    def is_free_return(self) -> np.ndarray:
        """True where either side of passage brings the spacecraft back into the band."""
        return np.any(self.within_band, axis=-1)

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        n = int(np.sum(self.is_free_return))
        total = int(np.size(self.is_free_return))
        if total == 1:
            alt = self.return_perigee_altitude.to_value(u.km).ravel()
            verdict = "free return" if n else "no free return"
            return (f"flyby {float(self.flyby_altitude.to_value(u.km)):.0f} km: {verdict} "
                    f"(return perigee {alt[0]:.0f} / {alt[1]:.0f} km leading / trailing)")
        return (
            f"{n} of {total} flyby altitudes return into "
            f"{self.band_low:.0f} .. {self.band_high:.0f}"
        )

    def to_table(self) -> QTable:
        """Return a QTable with a row per flyby altitude."""
        alt = np.atleast_1d(self.flyby_altitude.to(u.km))
        shape = alt.shape
        rp = self.return_perigee_altitude.to(u.km).reshape(shape + (2,))
        ok = np.asarray(self.within_band).reshape(shape + (2,))
        back = np.asarray(self.returns_to_earth).reshape(shape + (2,))
        turn = np.broadcast_to(self.turn_angle.to(u.deg), shape)
        t = QTable(
            {
                "flyby altitude": alt.ravel(),
                "turn angle": np.asarray(turn).ravel() * u.deg,
                "return perigee, leading side": np.where(
                    back[..., 0], rp[..., 0], np.nan * u.km
                ).ravel(),
                "return perigee, trailing side": np.where(
                    back[..., 1], rp[..., 1], np.nan * u.km
                ).ravel(),
                "free return": ok.any(axis=-1).ravel(),
            }
        )
        t.meta["result"] = type(self).__name__
        t.meta["notes"] = list(self.notes)
        return t


def _band(band):
    if not (isinstance(band, (tuple, list)) and len(band) == 2):
        raise ArgumentTypeError(
            f"band must be a (low, high) pair of lengths, e.g. (0 * u.km, 200 * u.km), got "
            f"{describe_value(band)}"
        )
    lo = as_value(band[0], u.km, "band[0]", min=-R_EARTH)
    hi = as_value(band[1], u.km, "band[1]", min=lo)
    return lo, hi


def free_return(
    *,
    parking_altitude=185 * u.km,
    tof=3 * u.day,
    flyby_altitude=250 * u.km,
    band=(0 * u.km, 200 * u.km),
) -> FreeReturn:
    """Return whether a lunar flyby sends the spacecraft back to an Earth perigee within ``band``.

    Planar patched conic; ``band`` is e.g. an entry corridor's vacuum perigee. Keyword-only
    arguments.

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
    if np.ndim(h0) or np.ndim(tof_s):
        raise ArgumentError(
            "parking_altitude and tof must be scalars (pass an array of flyby_altitude to scan)"
        )
    lo, hi = _band(band)
    r0 = R_EARTH + h0
    r1 = EARTH_MOON_DISTANCE
    e, nu, _, _ = pc.tangential_transfer(r0, r1, tof_s, GM_EARTH)
    v_r, v_t = pc.arrival_velocity_2d(r0, r1, e, nu, GM_EARTH)
    v_m = np.sqrt(K_EARTH_MOON / r1)
    v_inf = np.hypot(v_r, v_t - v_m)
    turn = pc.flyby_turn_angle(v_inf, R_MOON + np.asarray(hf), GM_MOON)
    rp, inbound = pc.return_perigee_2d(r1, v_r, v_t, 0.0, v_m, turn, GM_EARTH)
    alt = rp - R_EARTH
    within = inbound & (alt >= lo) & (alt <= hi)
    return FreeReturn(
        parking_altitude=h0 * u.km,
        tof=(tof_s * u.s).to(u.day),
        flyby_altitude=np.asarray(hf) * u.km,
        v_inf=float(v_inf) * KMS,
        turn_angle=(turn * u.rad).to(u.deg),
        band_low=lo * u.km,
        band_high=hi * u.km,
        return_perigee_altitude=alt * u.km,
        returns_to_earth=np.asarray(inbound),
        within_band=np.asarray(within),
        notes=(_NOTE,),
    )


@dataclass(frozen=True, repr=False)
class FreeReturnDesign(Result):
    """The lowest flyby altitude whose planar free return comes back to a given perigee."""

    parking_altitude: u.Quantity = quantity("parking altitude", "km", fmt=".0f")
    tof: u.Quantity = quantity("time of flight", "day", fmt=".3f")
    perigee_altitude: u.Quantity = quantity("return perigee altitude", "km", fmt=".1f")
    flyby_altitude: u.Quantity = quantity("flyby altitude", "km", fmt=".1f")
    side: str = value("side of passage")

    title = "Free-return design"

    @property
    def side_index(self) -> int:
        """Side of the Moon: 0 leading, 1 trailing (the last axis of :class:`FreeReturn`)."""
        return 0 if self.side == "leading" else 1

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        return (
            f"flyby {self.flyby_altitude.to_value(u.km):.1f} km ({self.side} side) returns to "
            f"{self.perigee_altitude.to_value(u.km):.0f} km perigee, tof "
            f"{self.tof.to_value(u.day):.2f} d"
        )


def free_return_flyby_altitude(
    *,
    parking_altitude=185 * u.km,
    tof=3 * u.day,
    perigee_altitude=100 * u.km,
    max_flyby_altitude=20000 * u.km,
) -> FreeReturnDesign:
    """Design a free return: find the lunar flyby altitude for a given Earth perigee.

    The altitude at which the planar patched conic of :func:`free_return` comes back to an Earth
    perigee at ``perigee_altitude``.

    Scans flyby altitudes 0 .. ``max_flyby_altitude`` on both sides of passage (one vectorised
    call) and refines the lowest crossing by bisection to 1 m. Raises
    :class:`orbits.errors.ConvergenceError` if no flyby altitude in the range returns to that
    perigee.
    """
    target = as_value(perigee_altitude, u.km, "perigee_altitude", min=-R_EARTH, max=1.0e5)
    hmax = as_value(max_flyby_altitude, u.km, "max_flyby_altitude", min=1.0, max=1.0e6)
    wide = (-R_EARTH * u.km, 1e9 * u.km)
    grid = np.linspace(0.0, hmax, 2001)
    f = free_return(
        parking_altitude=parking_altitude, tof=tof, flyby_altitude=grid * u.km, band=wide
    )
    g = f.return_perigee_altitude.to_value(u.km) - target
    ok = f.returns_to_earth
    best = None
    for side in (0, 1):
        s = g[:, side]
        cross = np.nonzero(ok[:-1, side] & ok[1:, side] & (np.sign(s[:-1]) != np.sign(s[1:])))[0]
        if cross.size and (best is None or grid[cross[0]] < grid[best[0]]):
            best = (cross[0], side)
    if best is None:
        raise ConvergenceError(
            f"no flyby altitude in [0, {hmax:g}] km returns to a {target:g} km perigee for "
            f"tof = {tof} from {parking_altitude}; try another tof, perigee_altitude or a larger "
            f"max_flyby_altitude"
        )
    k, side = best
    lo, hi = grid[k], grid[k + 1]
    s_lo = g[k, side]
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        val = free_return(
            parking_altitude=parking_altitude, tof=tof, flyby_altitude=mid * u.km, band=wide
        )
        s_mid = val.return_perigee_altitude.to_value(u.km)[side] - target
        if np.sign(s_mid) == np.sign(s_lo):
            lo, s_lo = mid, s_mid
        else:
            hi = mid
        if hi - lo < 1e-3:
            break
    return FreeReturnDesign(
        parking_altitude=f.parking_altitude,
        tof=f.tof,
        perigee_altitude=target * u.km,
        flyby_altitude=0.5 * (lo + hi) * u.km,
        side="leading" if side == 0 else "trailing",
        notes=(_NOTE,),
    )


@dataclass(frozen=True, repr=False)
class FreeReturn3D(Result):
    """A free return integrated in Earth + Moon + Sun point-mass dynamics (DE421).

    The TLI (epoch along the parking orbit and size) is corrected until the perilune falls at
    the requested epoch and the trajectory comes back to the requested Earth perigee; the
    flyby altitude is then a *result*, compared with the planar patched conic's.
    """

    departure: Time = value("TLI", fmt="second")
    perilune_epoch: Time = value("perilune", fmt="second")
    flyby_altitude: u.Quantity = quantity("flyby (perilune) altitude", "km", fmt=".1f")
    flyby_inclination: u.Quantity = quantity("flyby inclination to the lunar equator", "deg",
                                             fmt=".2f")
    far_side: bool = value("perilune over the far side")
    return_perigee_altitude: u.Quantity = quantity("return perigee altitude", "km", fmt=".2f")
    return_epoch: Time = value("return perigee", fmt="minute")
    tli_dv: u.Quantity = quantity("TLI Δv (impulsive)", "km / s", fmt=".4f")
    tof: u.Quantity = quantity("TLI to perilune", "h", fmt=".3f")
    planar_flyby_altitude: u.Quantity | None = quantity(
        "planar patched-conic flyby altitude", "km", fmt=".1f")
    iterations: int = value("corrector iterations")
    positions: np.ndarray | None = None  # (n, 3) geocentric km, TLI to return perigee
    times: Time | None = None

    title = "Lunar free return (3D, DE421)"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        side = "far side" if self.far_side else "near side"
        return (f"flyby {self.flyby_altitude.to_value(u.km):.0f} km ({side}) at "
                f"{self.perilune_epoch.utc.isot[:16].replace('T', ' ')}, returns to "
                f"{self.return_perigee_altitude.to_value(u.km):.0f} km perigee")


def free_return_3d(
    departure,
    arrival,
    *,
    parking_altitude=185 * u.km,
    parking_inclination=32.5 * u.deg,
    return_perigee_altitude=45 * u.km,
    sun: bool = True,
    rtol: float = 1e-10,
    ephemeris="de421",
    max_iterations: int = 20,
) -> FreeReturn3D:
    """Design a free return in DE421 point-mass dynamics; the flyby altitude is the result.

    Keyword-only options after ``departure`` (TLI epoch) and ``arrival`` (planned perilune
    epoch).

    The first guess is the planar patched conic of :func:`free_return_flyby_altitude` (its
    flyby altitude, aimed in the Moon's orbital plane on whichever side returns towards the
    Earth). The TLI epoch along the parking orbit (plane through the Moon as in
    :func:`orbits.tli_budget`) and its size are then corrected by Newton until the perilune
    falls at ``arrival`` and the return perigee is at ``return_perigee_altitude`` (Apollo's
    entry corridor corresponds to a vacuum perigee of a few tens of km).

    Raises
    ------
    ConvergenceError
        If no first guess returns towards the Earth or the correction does not converge (the
        message names the constraint and its residual).
    """
    import math

    from orbits.core import nbody as nb

    from . import nbody as N

    dep = N._check_time(departure, "departure")
    arr = N._check_time(arrival, "arrival")
    tof_s = float((arr.tdb - dep.tdb).to_value(u.s))
    if not 0.5 * 86400.0 <= tof_s <= 10.0 * 86400.0:
        raise ArgumentError(
            f"arrival must be 0.5 .. 10 days after departure, got {tof_s / 86400.0:.3f} days"
        )
    h0 = float(as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0))
    i_park = float(as_value(parking_inclination, u.rad, "parking_inclination", min=0.0,
                            max=np.pi))
    hr = float(as_value(return_perigee_altitude, u.km, "return_perigee_altitude", min=-R_EARTH,
                        max=1.0e5))
    for name, val in (("sun", sun),):
        if not isinstance(val, (bool, np.bool_)):
            raise ArgumentTypeError(f"{name} must be True or False, got {describe_value(val)}")
    if not isinstance(rtol, float) or not 1e-13 <= rtol <= 1e-6:
        raise ArgumentError(f"rtol must be a float in 1e-13 .. 1e-6, got {describe_value(rtol)}")
    planar = free_return_flyby_altitude(parking_altitude=h0 * u.km, tof=tof_s * u.s,
                                        perigee_altitude=hr * u.km)
    rp0 = R_MOON + float(planar.flyby_altitude.to_value(u.km))
    epoch0 = dep.tdb
    r_park = R_EARTH + h0
    table = N._body_table(epoch0, -2.0 * 3600.0, tof_s + 8.0 * 86400.0, ephemeris, bool(sun))
    r_target = R_EARTH + hr

    def make_problem(sign):
        def b_func(w, rm, vm):
            s_hat = w / np.linalg.norm(w)
            n = np.cross(rm, vm)
            d = np.cross(n, s_hat)
            d /= np.linalg.norm(d)
            vinf = np.linalg.norm(w)
            return sign * rp0 * math.sqrt(1.0 + 2.0 * GM_MOON / (rp0 * vinf**2)) * d

        v0, raan0, u0, inc, _ = N._first_guess(epoch0, r_park, i_park, tof_s, rp0, None, ephemeris,
                                            b_func=b_func)
        return N._Problem(table=table, r_park=r_park, inc=inc, raan0=raan0, u0=u0, v0=v0,
                          t_arr=tof_s, rp_target=rp0, ra_target=rp0, i_target=None, rtol=rtol,
                          j2=None, burn=None, free_node=False)

    def perigee_after(prob, a):
        t, _, y, *_ = a
        rhs = prob.rhs(None)
        guard = t + 0.5 * 86400.0

        def radial(tt, yy):
            return -1.0 if tt < guard else float(yy[:3] @ yy[3:])

        radial.terminal = True
        radial.direction = 1.0
        sol = nb.propagate(rhs, t, y, t + 7.0 * 86400.0, rtol=rtol, events=[radial],
                           dense_output=True)
        if not sol.t_events[0].size:
            return None
        return float(sol.t_events[0][0]), sol.y_events[0][0], sol

    # one side of the Moon or the other: keep the one whose first guess comes back lower
    best = None
    for sign in (1.0, -1.0):
        prob = make_problem(sign)
        a0 = prob.arrive(np.zeros(2))
        p0 = None if a0 is None else perigee_after(prob, a0)
        if p0 is not None:
            rr = float(np.linalg.norm(p0[1][:3]))
            if best is None or abs(rr - r_target) < best[1]:
                best = (prob, abs(rr - r_target))
    if best is None:
        raise ConvergenceError(
            "no first guess of the free return comes back to an Earth perigee within 7 days of "
            f"the flyby (planar flyby altitude {rp0 - R_MOON:.0f} km); try another arrival"
        )
    prob = best[0]
    # secant on the flyby radius: for each, the TLI is corrected (epoch, size) to that perilune
    # at the arrival epoch, and the return perigee compared with the target
    state = {"x": np.zeros(prob.n_unknowns), "iters": 0, "J": None}

    def miss(rp):
        prob.rp_target = rp
        x, _, it = N._solve(prob, state["x"], max_iterations, cache=state)
        state["x"], state["iters"] = x, state["iters"] + it
        a = prob.arrive(x)
        p = perigee_after(prob, a)
        if p is None:
            raise ConvergenceError(
                f"the flyby at {rp - R_MOON:.0f} km does not return to an Earth perigee within "
                "7 days; return_perigee_altitude may be unreachable for this arrival"
            )
        return float(np.linalg.norm(p[1][:3])) - r_target

    r_a, g_a = rp0, miss(rp0)
    r_b = rp0 + (200.0 if g_a < 0 else -200.0)
    r_b = max(r_b, R_MOON + 1.0)
    g_b = miss(r_b)
    for _ in range(max_iterations):
        if abs(g_b) < 1.0:
            break
        if g_b == g_a:
            break
        r_new = r_b - g_b * (r_b - r_a) / (g_b - g_a)
        r_new = min(max(r_new, R_MOON + 1.0, r_b - 3000.0), r_b + 3000.0)
        r_a, g_a = r_b, g_b
        r_b, g_b = r_new, miss(r_new)
    if abs(g_b) >= 1.0:
        raise ConvergenceError(
            f"the free-return search did not converge: constraint return_perigee_altitude is "
            f"off by {g_b:+.3f} km at flyby altitude {r_b - R_MOON:.1f} km"
        )
    fr = prob
    x, iters = state["x"], state["iters"]
    a = fr.arrive(x)
    t, rel, y_peri, _, t_ign, y0 = a
    t_ret, y_ret, ret = perigee_after(fr, a)
    r_rel, v_rel = rel[:3], rel[3:]
    h = np.cross(r_rel, v_rel)
    inc = math.degrees(math.acos(float(np.clip(h @ N.moon_pole() / np.linalg.norm(h), -1, 1))))
    rm = y_peri[:3] - r_rel
    out = nb.propagate(fr.rhs(None), t_ign, y0, t, rtol=rtol, dense_output=True)
    ts = np.linspace(t_ign, t_ret, 400)
    pos = np.where((ts <= t)[:, None], out.sol(np.minimum(ts, t)).T[:, :3],
                   ret.sol(np.maximum(ts, t)).T[:, :3])
    from orbits.ephemeris import ephemeris_input

    return FreeReturn3D(
        departure=(epoch0 + t_ign * u.s).utc,
        perilune_epoch=(epoch0 + t * u.s).utc,
        flyby_altitude=(float(np.linalg.norm(r_rel)) - R_MOON) * u.km,
        flyby_inclination=inc * u.deg,
        far_side=bool(r_rel @ rm > 0.0),
        return_perigee_altitude=(float(np.linalg.norm(y_ret[:3])) - R_EARTH) * u.km,
        return_epoch=(epoch0 + t_ret * u.s).utc,
        tli_dv=(float(np.linalg.norm(y0[3:])) - math.sqrt(GM_EARTH / r_park)) * KMS,
        tof=(t - t_ign) / 3600.0 * u.h,
        planar_flyby_altitude=planar.flyby_altitude,
        iterations=int(iters),
        positions=pos,
        times=(epoch0 + ts * u.s).utc,
        notes=(
            "Earth + Moon" + (" + Sun" if sun else "") + " point masses from DE421, DOP853 "
            f"rtol {rtol:g}; impulsive tangential TLI in the parking plane through the Moon, "
            "its epoch and size corrected by Newton to the perilune epoch and return perigee",
        ),
        inputs=(ephemeris_input(ephemeris),),
    )
