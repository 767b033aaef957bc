"""Free-return lunar flybys: planar patched conic, and 3D in DE421 point-mass dynamics.

See :func:`free_return` and :func:`free_return_flyby_altitude` (planar, point Moon, mean
circular orbit) and :func:`free_return_3d` (Earth + Moon + Sun point masses from DE421, the
TLI corrected so that the flyby comes back to a given Earth perigee).

What :func:`free_return_3d` models: an impulsive TLI from a circular parking orbit whose plane
goes through the Moon's arrival point; the TLI epoch (along the parking orbit) and size, and
with a ``flyby_altitude`` or ``return_epoch`` target its out-of-plane angle, corrected by
Newton in Earth + Moon + Sun point-mass dynamics (DE421, DOP853); optionally one impulsive
burn after the flyby (``post_flyby_burn``, e.g. Apollo 13's PC+2), aimed in the orbit plane to
keep the return perigee. Not modelled: mid-course corrections before the flyby, finite burns,
the Earth's J2 and the atmosphere (the return ends at the vacuum perigee).

Which constraints fix the flyby altitude: the perilune epoch and the return perigee, with the
TLI in the parking plane, leave nothing free (for Apollo 13's TLI and flyby epochs the flyby
comes out at about 935 km). Yawing the TLI out of the plane gives a one-parameter family of
free returns; along it the flyby altitude and the return epoch both fall to a minimum (for
Apollo 13: about 293 km, returning at 03:17 UTC 18 April to a 38 km perigee) and rise again,
so ``flyby_altitude`` or ``return_epoch`` targets beyond that minimum raise ConvergenceError
with the minimum and the gap.

Against Apollo 13 (``tests/orbits/test_free_return_3d.py``; flown figures in
``seeds/authorities/apollo13/``; the numbers below are printed by
``benchmarks/validate_apollo13.py``): the flown 254 km pericynthion lies about 40 km below that
minimum, more than the model's own error (about 11 km: the impulsive TLI's epoch, +-3 min
for a 6-minute burn, moves the minimum by 2.7 km/min; the return perigee convention by 3 km).
Apollo 13 did not fly a TLI-only free return: MCC-2 put it on a hybrid trajectory and the DPS-1
burn (11.6 m/s, 15.6 h before the flyby) back on a free return; their directions are not
published, so the model cannot re-fly them, and a TLI-only design cannot reach the flown
flyby (it would need a TLI about 15 min later, i.e. a faster approach) nor the flown free
return's predicted splashdown (03:13 UTC 18 April: the family's earliest vacuum perigee comes
4.6 min after it). A single impulsive burn at the DPS-1 epoch does not lower the minimum
either (a local search stalls at it with about 1.3 m/s). The return is closer: from the reachable
member nearest the flown flyby (300 km), a 262 m/s PC+2 at the flown epoch shortens the
return by 9 h 19 min against the published 9 h 07 min (predicted splashdowns 03:13 UTC
18 April before, 18:06 UTC 17 April after); its vacuum perigee falls at 18:04 UTC 17 April,
4 min before the flown splashdown (18:07:41 UTC), which follows the perigee by the entry and
descent (no published entry-interface epoch was found to compare with).
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

    The TLI (epoch along the parking orbit and size; with a ``flyby_altitude`` or
    ``return_epoch`` target also its out-of-plane angle) is corrected until the perilune falls
    at the requested epoch and the trajectory comes back to the requested Earth perigee.
    Without a target the TLI stays in the parking plane and the flyby altitude is a *result*,
    compared with the planar patched conic's.
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
    target: str = value("targeted", default="")
    tli_out_of_plane: u.Quantity | None = quantity("TLI out-of-plane angle", "deg", fmt=".4f",
                                                   default=None)
    return_tof: u.Quantity | None = quantity("perilune to return perigee", "h", fmt=".3f",
                                             default=None)
    return_inclination: u.Quantity | None = quantity("return inclination (ICRF equator)", "deg",
                                                     fmt=".2f", default=None)
    free_return_epoch: Time | None = value("return perigee without the burn", fmt="minute",
                                           default=None)
    burn_epoch: Time | None = value("post-flyby burn", fmt="second", default=None)
    burn_dv: u.Quantity | None = quantity("post-flyby burn Δv (impulsive)", "m / s", fmt=".1f",
                                          default=None)
    burn_angle: u.Quantity | None = quantity("burn direction from velocity (in plane)", "deg",
                                             fmt=".2f", default=None)
    family: tuple = ()  # (TLI yaw deg, flyby altitude km, return perigee ISO) per member

    title = "Lunar free return (3D, DE421)"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        side = "far side" if self.far_side else "near side"
        return (f"flyby {self.flyby_altitude.to_value(u.km):.0f} km ({side}) at "
                f"{self.perilune_epoch.utc.isot[:16].replace('T', ' ')}, returns to "
                f"{self.return_perigee_altitude.to_value(u.km):.0f} km perigee at "
                f"{self.return_epoch.utc.isot[:16].replace('T', ' ')}")


_DAY = 86400.0


def _perigee_after(prob, a, rtol, dense=False):
    """Integrate on from the perilune ``a`` to the next Earth perigee (>= 12 h later)."""
    from orbits.core import nbody as nb

    t, _, y, *_ = a
    guard = t + 0.5 * _DAY

    def radial(tt, yy):
        return -1.0 if tt < guard else float(yy[:3] @ yy[3:])

    radial.terminal = True
    radial.direction = 1.0
    sol = nb.propagate(prob.rhs(None), t, y, t + 7.0 * _DAY, rtol=rtol, events=[radial],
                       dense_output=dense)
    if not sol.t_events[0].size:
        return None
    return float(sol.t_events[0][0]), sol.y_events[0][0], sol


def _return_problem_class():
    """Return the corrector's problem class for a TLI yawed out of the parking plane.

    The out-of-plane angle ``yaw`` of the (otherwise tangential) impulse is the family's
    parameter, held during a correction. Unknowns: TLI epoch shift and impulse size;
    residuals: return perigee radius and perilune epoch; the perilune altitude is the result.
    """
    import math

    from . import nbody as N

    class _ReturnProblem(N._Problem):
        r_ret: float = 0.0
        yaw: float = 0.0

        @property
        def n_unknowns(self) -> int:
            return 2

        def initial_state(self, x):
            dt, d_burn = x
            n = math.sqrt(GM_EARTH / self.r_park**3)
            r_hat, t_hat = N._plane_frame(self.inc, self.raan0, self.u0 + n * dt)
            v_hat = (math.cos(self.yaw) * t_hat
                     + math.sin(self.yaw) * np.cross(r_hat, t_hat))
            return dt, np.concatenate([self.r_park * r_hat, (self.v0 + d_burn) * v_hat]), None

        def residuals(self, x, rtol=None):
            a = self.arrive(x, rtol)
            if a is None:
                return None
            p = _perigee_after(self, a, rtol or self.rtol)
            if p is None:
                return None
            self.last = (float(np.linalg.norm(a[1][:3])) - R_MOON, p[0])
            return np.array([np.linalg.norm(p[1][:3]) - self.r_ret, a[0] - self.t_arr])

        def names(self):
            return ["return_perigee", "arrival"]

        def steps(self):
            return np.array([0.5, 1e-5])

    return _ReturnProblem


class _Family:
    """The free returns of one TLI, parametrised by the TLI's out-of-plane angle (yaw).

    Member ``(yaw, h, t_ret, x)``: for that yaw, the TLI epoch and size corrected (2 x 2
    Newton, started from the neighbours' extrapolation) so that the perilune falls at the
    arrival epoch and the return perigee at its target; ``h`` is the flyby altitude (km) and
    ``t_ret`` the return perigee epoch (s) that result. The flyby altitude has a minimum along
    the family (a fold in altitude, but not in yaw, so the continuation passes it).
    """

    def __init__(self, prob, x, max_iterations):
        from . import nbody as N

        self._solve = N._solve
        self.prob = prob
        self.max_iterations = max_iterations
        self.cache = {"J": None}
        self.iters = 0
        self.members = []
        self.member(0.0, x)

    def member(self, yaw, guess=None):
        """Converge (and keep) the member at ``yaw`` (rad)."""
        if guess is None:
            near = sorted(self.members, key=lambda m: abs(m[0] - yaw))[:2]
            if len(near) == 2:
                (y1, _, _, x1), (y2, _, _, x2) = near
                guess = x1 + (x1 - x2) * (yaw - y1) / (y1 - y2)
            else:
                guess = near[0][3]
        self.prob.yaw = yaw
        x, _, it = self._solve(self.prob, np.array(guess, float), self.max_iterations,
                               cache=self.cache)
        self.prob.residuals(x)
        self.iters += it
        m = (yaw, self.prob.last[0], self.prob.last[1], np.array(x, float))
        self.members.append(m)
        return m

    def walk(self, key, target, *, max_yaw=0.06, max_members=40):
        """Walk in yaw from the in-plane member towards ``key(member) == target``.

        ``key`` is 1 (flyby altitude) or 2 (return epoch). Returns ``(member, None)`` with the
        member at the target, or ``(closest, extreme)`` if the target cannot be reached
        (``extreme``: the member where the key turns, e.g. the family's lowest flyby).
        """
        m0 = self.members[0]
        d0 = 1e-3  # rad: about 0.06 deg
        plus, minus = self.member(d0), self.member(-d0)
        # the side whose first step moves towards the target
        sgn = 1.0 if (plus[key] - m0[key]) * (target - m0[key]) >= (
            (minus[key] - m0[key]) * (target - m0[key])) else -1.0
        path = [m0, plus if sgn > 0 else minus]

        def gap(m):
            return abs(m[key] - target)

        while len(self.members) < max_members:
            prev, cur = path[-2], path[-1]
            if (prev[key] - target) * (cur[key] - target) <= 0.0:
                return self._refine(key, target, prev, cur), None
            if len(path) >= 3 and gap(path[-3]) > gap(prev) < gap(cur):
                ext = self._extremum(key, target, path[-3], prev, cur)
                return ext, ext
            if abs(cur[0]) >= max_yaw or not cur[1] < 20000.0:
                break
            # a secant step to the target (overshooting it brackets it), 0.005 .. 0.3 deg
            slope = (cur[key] - prev[key]) / (cur[0] - prev[0])
            step = 1.2 * gap(cur) / abs(slope) if slope else np.radians(0.3)
            step = float(np.clip(step, np.radians(0.005), np.radians(0.3)))
            path.append(self.member(cur[0] + sgn * step))
        return min(path, key=gap), None

    def _refine(self, key, target, lo, hi):
        """Regula falsi in yaw between two members bracketing the target."""
        tol = 0.05 if key == 1 else 1.0  # km, s
        m = hi
        for _ in range(self.max_iterations):
            yaw = lo[0] + (hi[0] - lo[0]) * (target - lo[key]) / (hi[key] - lo[key])
            m = self.member(yaw)
            if abs(m[key] - target) < tol:
                return m
            if (m[key] - target) * (lo[key] - target) > 0:
                lo = m
            else:
                hi = m
        raise ConvergenceError(
            f"the free-return family search did not converge: constraint "
            f"{'flyby_altitude' if key == 1 else 'return_epoch'} is off by "
            f"{m[key] - target:+.3g} {'km' if key == 1 else 's'}"
        )

    def _extremum(self, key, target, a, b, c):
        """Member where the key turns (b nearest the target): parabolic in yaw, 3 rounds."""
        for _ in range(3):
            (x1, f1), (x2, f2), (x3, f3) = ((q[0], q[key]) for q in (a, b, c))
            den = (x1 - x2) * (x1 - x3) * (x2 - x3)
            if den == 0.0:
                break
            pa = (x3 * (f2 - f1) + x2 * (f1 - f3) + x1 * (f3 - f2)) / den
            pb = (x3**2 * (f1 - f2) + x2**2 * (f3 - f1) + x1**2 * (f2 - f3)) / den
            if pa == 0.0:
                break
            yaw = -pb / (2.0 * pa)
            if not min(x1, x3) < yaw < max(x1, x3):
                break
            m = self.member(yaw)
            done = abs(m[key] - b[key]) < (0.05 if key == 1 else 1.0)
            a, b, c = sorted(sorted([a, b, c, m], key=lambda q: abs(q[key] - target))[:3],
                             key=lambda q: q[0])
            if done:
                break
        return min((a, b, c), key=lambda q: abs(q[key] - target))


def _aim_burn(rhs, t_b, y_b, dv, r_target, rtol, max_iterations):
    """Aim an impulsive burn of size ``dv`` at ``t_b`` so the return perigee stays at target.

    The burn lies in the osculating geocentric orbit plane at an angle ``alpha`` from the
    velocity (positive towards the Earth-pointing side of the plane). Returns ``alpha`` (rad),
    the new return perigee ``(t, y, sol)`` and the post-burn state.
    """
    import math

    from orbits.core import nbody as nb

    r, v = y_b[:3], y_b[3:]
    v_hat = v / np.linalg.norm(v)
    h_hat = np.cross(r, v)
    h_hat /= np.linalg.norm(h_hat)
    n_hat = np.cross(h_hat, v_hat)  # in plane, 90 deg from the velocity

    def state(alpha):
        y = y_b.copy()
        y[3:] += dv * (math.cos(alpha) * v_hat + math.sin(alpha) * n_hat)
        return y

    def perigee(alpha):
        y = state(alpha)

        def radial(tt, yy):
            return float(yy[:3] @ yy[3:])

        radial.terminal = True
        radial.direction = 1.0
        if float(y[:3] @ y[3:]) >= 0.0:
            return None
        sol = nb.propagate(rhs, t_b, y, t_b + 10.0 * _DAY, rtol=rtol, events=[radial],
                           dense_output=True)
        if not sol.t_events[0].size:
            return None
        return float(sol.t_events[0][0]), sol.y_events[0][0], sol

    def miss(alpha):
        p = perigee(alpha)
        return None if p is None else float(np.linalg.norm(p[1][:3])) - r_target

    grid = np.radians(np.linspace(-90.0, 90.0, 13))
    vals = [miss(a) for a in grid]
    brackets = [(grid[k], grid[k + 1], vals[k], vals[k + 1]) for k in range(len(grid) - 1)
                if vals[k] is not None and vals[k + 1] is not None
                and np.sign(vals[k]) != np.sign(vals[k + 1])]
    if not brackets:
        got = [v for v in vals if v is not None]
        off = min(got, key=abs) if got else float("nan")
        raise ConvergenceError(
            f"post_flyby_burn of {dv * 1000.0:.1f} m/s cannot keep the return perigee at "
            f"{r_target - R_EARTH:g} km in any in-plane direction within 90 deg of the velocity:"
            f" constraint return_perigee_altitude is off by at least {off:+.1f} km"
        )
    # the root nearest to a burn along the velocity
    a_lo, a_hi, g_lo, g_hi = min(brackets, key=lambda b: min(abs(b[0]), abs(b[1])))
    for _ in range(max_iterations * 3):
        a_mid = a_lo - g_lo * (a_hi - a_lo) / (g_hi - g_lo)
        g_mid = miss(a_mid)
        if g_mid is None:
            raise ConvergenceError("post_flyby_burn: the aimed trajectory lost its return perigee")
        if abs(g_mid) < 0.1:
            break
        if np.sign(g_mid) == np.sign(g_lo):
            a_lo, g_lo = a_mid, g_mid
        else:
            a_hi, g_hi = a_mid, g_mid
    else:
        raise ConvergenceError(
            f"post_flyby_burn aiming did not converge: constraint return_perigee_altitude is "
            f"off by {g_mid:+.2f} km"
        )
    return a_mid, perigee(a_mid), state(a_mid)


def _single(value, unit, name, **limits) -> float:
    """Return ``as_value`` of a single Quantity as a float; an array is refused by name."""
    out = as_value(value, unit, name, **limits)
    if np.ndim(out):
        raise ArgumentError(f"{name} must be a single value, got {describe_value(value)}")
    return float(out)


def free_return_3d(
    departure,
    arrival,
    *,
    parking_altitude=185 * u.km,
    parking_inclination=32.5 * u.deg,
    return_perigee_altitude=45 * u.km,
    flyby_altitude=None,
    return_epoch=None,
    post_flyby_burn=None,
    sun: bool = True,
    rtol: float = 1e-10,
    ephemeris="de421",
    max_iterations: int = 20,
) -> FreeReturn3D:
    """Design a free return in DE421 point-mass dynamics (Earth + Moon + Sun point masses).

    Parameters
    ----------
    departure, arrival : Time
        Nominal TLI epoch and the perilune epoch (0.5 .. 10 days later). The TLI epoch moves
        along the parking orbit by as much as the correction needs (seconds, typically).
    parking_altitude, parking_inclination : Quantity
        Circular parking orbit; its plane goes through the Moon's arrival point (as in
        :func:`orbits.tli_budget`).
    return_perigee_altitude : Quantity
        The vacuum perigee the flyby returns to (Apollo's entry corridor, -6.5 deg at 400,000
        ft, corresponds to about 38 km).
    flyby_altitude : Quantity, optional
        Target perilune altitude. The TLI impulse may then leave the parking plane (an
        out-of-plane angle, reported): the family of free returns of this TLI is followed by
        continuation from the in-plane solution down (or up) to the target.
    return_epoch : Time, optional
        Target epoch of the return perigee (instead of ``flyby_altitude``): the member of the
        same family whose return perigee falls then; the flyby altitude is the result.
    post_flyby_burn : (Time, Quantity) pair, optional
        An impulsive burn after the flyby (e.g. Apollo 13's PC+2: ``(epoch, 262 * u.m / u.s)``)
        of this size at this epoch, aimed in the osculating orbit plane so that the return
        perigee stays at ``return_perigee_altitude`` (the direction nearest the velocity is
        taken); ``return_epoch`` of the result is then the return after the burn and
        ``free_return_epoch`` the one without it. The free return itself (and a
        ``return_epoch`` target) is designed without the burn.
    sun : bool
        Include the Sun's point mass.
    rtol : float
        DOP853 relative tolerance, 1e-13 .. 1e-6.
    ephemeris : str
        JPL ephemeris for the Moon and Sun (DE421 ships with the package).
    max_iterations : int
        Newton iterations of each correction.

    Without a target (the default) the TLI stays in the parking plane, its epoch and size are
    corrected by Newton until the perilune falls at ``arrival`` and the return perigee is at
    ``return_perigee_altitude``, and the flyby altitude is what that plane gives (the first
    guess is the planar patched conic of :func:`free_return_flyby_altitude`).

    Why the in-plane flyby altitude is fixed: the unknowns are the TLI epoch and size and the
    flyby radius; the constraints the perilune epoch and the return perigee; with the parking
    plane held, the flyby altitude follows (for Apollo 13's TLI and flyby epochs about 935 km
    at a 45 km perigee). Yawing the TLI out of that plane is the one free direction left, and
    along it the flyby altitude falls to a minimum (the family folds: an out-of-plane flyby
    gives the return leg angular momentum the perigee cannot lose). A target below the fold
    raises ConvergenceError with the lowest altitude reached.

    Not modelled: mid-course corrections (Apollo 13 flew MCC-2, which put it on a hybrid,
    non-free-return path, and the DPS-1 burn back to a free return), finite TLI, the Earth's
    J2, the atmosphere (the return ends at the vacuum perigee).

    Raises
    ------
    ArgumentError
        Bad epochs or options (both ``flyby_altitude`` and ``return_epoch``, out-of-range
        values).
    ConvergenceError
        If no first guess returns towards the Earth, a correction does not converge, or the
        target is beyond the family's reach (the message names the constraint and by how
        much).
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
    h0 = _single(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    i_park = math.radians(_single(parking_inclination, u.deg, "parking_inclination", min=0.0,
                                  max=180.0))
    hr = _single(return_perigee_altitude, u.km, "return_perigee_altitude", min=-R_EARTH,
                 max=1.0e5)
    for name, val in (("sun", sun),):
        if not isinstance(val, (bool, np.bool_)):
            raise ArgumentTypeError(f"{name} must be True or False, got {describe_value(val)}")
    if not isinstance(rtol, float) or not 1e-13 <= rtol <= 1e-6:
        raise ArgumentError(f"rtol must be a float in 1e-13 .. 1e-6, got {describe_value(rtol)}")
    if (not isinstance(max_iterations, (int, np.integer)) or isinstance(max_iterations, bool)
            or not 1 <= max_iterations <= 1000):
        raise ArgumentError(
            "max_iterations must be an integer in [1, 1,000], got "
            f"{describe_value(max_iterations)}")
    if flyby_altitude is not None and return_epoch is not None:
        raise ArgumentError(
            "give flyby_altitude or return_epoch, not both (each fixes the member of the "
            "free-return family; the other is then the result)"
        )
    h_target = None
    if flyby_altitude is not None:
        h_target = _single(flyby_altitude, u.km, "flyby_altitude", min=0.0, max=50000.0)
    t_ret_target = None
    if return_epoch is not None:
        ret = N._check_time(return_epoch, "return_epoch")
        t_ret_target = float((ret.tdb - dep.tdb).to_value(u.s))
        if not tof_s + 0.5 * _DAY <= t_ret_target <= tof_s + 7.0 * _DAY:
            raise ArgumentError(
                f"return_epoch must be 0.5 .. 7 days after arrival, got "
                f"{(t_ret_target - tof_s) / _DAY:.3f} days"
            )
    burn = None
    if post_flyby_burn is not None:
        if not (isinstance(post_flyby_burn, (tuple, list)) and len(post_flyby_burn) == 2):
            raise ArgumentTypeError(
                "post_flyby_burn must be an (epoch, delta-v) pair, e.g. (Time('1970-04-15 "
                f"02:42:51'), 262 * u.m / u.s), got {describe_value(post_flyby_burn)}"
            )
        b_epoch = N._check_time(post_flyby_burn[0], "post_flyby_burn[0]")
        b_dv = _single(post_flyby_burn[1], u.km / u.s, "post_flyby_burn[1]", min=1e-6, max=3.0)
        t_b = float((b_epoch.tdb - dep.tdb).to_value(u.s))
        if not tof_s < t_b < tof_s + 2.0 * _DAY:
            raise ArgumentError(
                f"post_flyby_burn[0] must fall after the perilune ({arr.utc.isot[:19]}) and "
                f"within 2 days of it, got {b_epoch.utc.isot[:19]} "
                f"({(t_b - tof_s) / 3600.0:+.2f} h from the perilune)"
            )
        burn = (t_b, b_dv)
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
        return _perigee_after(prob, a, rtol, dense=True)

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
    target = "perilune epoch, return perigee (TLI in the parking plane)"
    yaw = None
    family = ()
    if h_target is not None or t_ret_target is not None:
        cls = _return_problem_class()
        fr = cls(**{**prob.__dict__, "free_node": False})
        fr.r_ret = r_target
        fam = _Family(fr, x, max_iterations)
        m0 = fam.members[0]
        where = (f"the free returns of this TLI (perilune at {arr.utc.isot[:19]}, return "
                 f"perigee {hr:g} km; the in-plane one flies {m0[1]:.1f} km and returns "
                 f"{(epoch0 + m0[2] * u.s).utc.isot[:16]})")
        if h_target is not None:
            last, fold = fam.walk(1, h_target)
            if abs(last[1] - h_target) > 0.05:
                low = fold if fold is not None else last
                raise ConvergenceError(
                    f"flyby_altitude {h_target:g} km cannot be reached: {where} reach "
                    f"{'down' if h_target < m0[1] else 'up'} to {low[1]:.1f} km"
                    + (f" (their {'lowest' if h_target < m0[1] else 'highest'} flyby, "
                       f"returning {(epoch0 + low[2] * u.s).utc.isot[:16]})"
                       if fold is not None else "")
                    + f"; constraint flyby_altitude is off by {low[1] - h_target:+.1f} km"
                )
            target = "perilune epoch and altitude, return perigee (TLI out of plane)"
        else:
            last, fold = fam.walk(2, t_ret_target)
            if abs(last[2] - t_ret_target) > 1.0:
                raise ConvergenceError(
                    f"return_epoch {(epoch0 + t_ret_target * u.s).utc.isot[:19]} cannot be "
                    f"reached: {where} return at the "
                    f"{'earliest' if t_ret_target < m0[2] else 'latest'} "
                    f"{(epoch0 + last[2] * u.s).utc.isot[:19]} (flyby {last[1]:.1f} km); "
                    f"constraint return_epoch is off by "
                    f"{(t_ret_target - last[2]) / 60.0:+.1f} min"
                )
            target = "perilune epoch, return perigee and its epoch (TLI out of plane)"
        fr.yaw = last[0]
        x = last[3]
        iters += fam.iters
        yaw = math.degrees(float(last[0]))
        family = tuple(sorted((math.degrees(float(m[0])), float(m[1]),
                               (epoch0 + m[2] * u.s).utc.isot) for m in fam.members))
    a = fr.arrive(x)
    t, rel, y_peri, _, t_ign, y0 = a
    t_ret, y_ret, ret = perigee_after(fr, a)
    r_rel, v_rel = rel[:3], rel[3:]
    h = np.cross(r_rel, v_rel)
    inc = math.degrees(math.acos(float(np.clip(h @ N.moon_pole() / np.linalg.norm(h), -1, 1))))
    h_ret = np.cross(y_ret[:3], y_ret[3:])
    inc_ret = math.degrees(math.acos(float(np.clip(h_ret[2] / np.linalg.norm(h_ret), -1, 1))))
    rm = y_peri[:3] - r_rel
    out = nb.propagate(fr.rhs(None), t_ign, y0, t, rtol=rtol, dense_output=True)
    burn_fields = {}
    if burn is not None:
        t_b, b_dv = burn
        if t_b >= t_ret:
            raise ArgumentError(
                f"post_flyby_burn[0] must come before the return perigee "
                f"({(epoch0 + t_ret * u.s).utc.isot[:19]}), got "
                f"{(epoch0 + t_b * u.s).utc.isot[:19]}"
            )
        alpha, (t_ret2, y_ret2, ret2), _ = _aim_burn(fr.rhs(None), t_b, ret.sol(t_b), b_dv,
                                                     r_target, rtol, max_iterations)
        burn_fields = dict(free_return_epoch=(epoch0 + t_ret * u.s).utc,
                           burn_epoch=(epoch0 + t_b * u.s).utc,
                           burn_dv=(b_dv * KMS).to(u.m / u.s),
                           burn_angle=math.degrees(alpha) * u.deg)
        ts = np.linspace(t_ign, t_ret2, 400)
        pos = np.where((ts <= t)[:, None], out.sol(np.minimum(ts, t)).T[:, :3],
                       np.where((ts <= t_b)[:, None], ret.sol(np.clip(ts, t, t_b)).T[:, :3],
                                ret2.sol(np.maximum(ts, t_b)).T[:, :3]))
        t_ret, y_ret = t_ret2, y_ret2
        h_ret = np.cross(y_ret[:3], y_ret[3:])
        inc_ret = math.degrees(math.acos(float(np.clip(h_ret[2] / np.linalg.norm(h_ret), -1,
                                                       1))))
    else:
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
        target=target,
        tli_out_of_plane=None if yaw is None else yaw * u.deg,
        return_tof=(t_ret - t) / 3600.0 * u.h,
        return_inclination=inc_ret * u.deg,
        family=family,
        **burn_fields,
        notes=(
            "Earth + Moon" + (" + Sun" if sun else "") + " point masses from DE421, DOP853 "
            f"rtol {rtol:g}; impulsive TLI from the circular parking orbit whose plane goes "
            "through the Moon, its epoch and size"
            + (" and out-of-plane angle" if yaw is not None else "")
            + " corrected by Newton; targeted: " + target,
            "not modelled: mid-course corrections, finite TLI, Earth J2, the atmosphere "
            "(the return ends at the vacuum perigee)",
            *([f"post-flyby burn: impulsive {burn[1] * 1000.0:.1f} m/s at "
               f"{(epoch0 + burn[0] * u.s).utc.isot[:19]}, in the orbit plane "
               f"{math.degrees(alpha):+.2f} deg from the velocity (aimed to keep the return "
               "perigee)"] if burn is not None else []),
        ),
        inputs=(ephemeris_input(ephemeris),),
    )
