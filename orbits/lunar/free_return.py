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
    family: tuple = ()  # (flyby altitude km, return perigee epoch) of each continuation step

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
    """Return the corrector's problem class with the TLI yawed out of the parking plane.

    Unknowns: TLI epoch shift, out-of-plane angle of the (otherwise tangential) impulse and
    its size; residuals: perilune radius, return perigee radius, perilune epoch.
    """
    import math

    from . import nbody as N

    class _ReturnProblem(N._Problem):
        r_ret: float = 0.0

        @property
        def n_unknowns(self) -> int:
            return 3

        def initial_state(self, x):
            dt, yaw, d_burn = x
            n = math.sqrt(GM_EARTH / self.r_park**3)
            r_hat, t_hat = N._plane_frame(self.inc, self.raan0, self.u0 + n * dt)
            v_hat = math.cos(yaw) * t_hat + math.sin(yaw) * np.cross(r_hat, t_hat)
            return dt, np.concatenate([self.r_park * r_hat, (self.v0 + d_burn) * v_hat]), None

        def residuals(self, x, rtol=None):
            a = self.arrive(x, rtol)
            if a is None:
                return None
            p = _perigee_after(self, a, rtol or self.rtol)
            if p is None:
                return None
            self.last_return = p[0]
            return np.array([np.linalg.norm(a[1][:3]) - self.rp_target,
                             np.linalg.norm(p[1][:3]) - self.r_ret, a[0] - self.t_arr])

        def names(self):
            return ["perilune_altitude", "return_perigee", "arrival"]

        def steps(self):
            return np.array([0.5, 1e-6, 1e-5])

    return _ReturnProblem


class _Family:
    """Continuation along the free returns of one TLI, parametrised by the flyby altitude.

    Each member is a converged 3 x 3 correction (``_ReturnProblem``); steps grow while the
    corrector converges quickly and are halved where it fails, down to ``min_step`` km: a
    failure there is the family's fold (the lowest flyby that still returns to the perigee).
    """

    def __init__(self, prob, x, h0, max_iterations):
        from . import nbody as N

        self._solve = N._solve
        self.prob = prob
        self.max_iterations = max_iterations
        self.cache = {"J": None}
        prob.rp_target = R_MOON + h0
        x, _, it = self._solve(prob, x, max_iterations, cache=self.cache)
        self.iters = it
        self.members = [(h0, np.array(x, float), self._return_time(x))]

    def _return_time(self, x):
        self.prob.residuals(x)
        return self.prob.last_return

    def step(self, h):
        """Converge the member at flyby altitude ``h`` (km) from the two nearest; or None."""
        near = sorted(self.members, key=lambda m: abs(m[0] - h))[:2]
        if len(near) == 2 and near[0][0] != near[1][0]:
            (h1, x1, _), (h2, x2, _) = near
            guess = x1 + (x1 - x2) * (h - h1) / (h1 - h2)
        else:
            guess = near[0][1]
        self.prob.rp_target = R_MOON + h
        try:
            x, _, it = self._solve(self.prob, guess, 6, cache=self.cache)
        except ConvergenceError:
            self.cache["J"] = None
            return None
        self.iters += it
        m = (h, np.array(x, float), self._return_time(x))
        self.members.append(m)
        return m

    def walk(self, h_to, stop=None, step0=60.0, min_step=4.0):
        """Walk from the last member towards ``h_to``; ``stop(member)`` ends it early.

        Returns the last member reached and whether ``h_to`` (or ``stop``) was reached.
        """
        cur = self.members[-1]
        step = step0
        sgn = 1.0 if h_to > cur[0] else -1.0
        while (h_to - cur[0]) * sgn > 1e-9:
            h = cur[0] + sgn * min(step, abs(h_to - cur[0]))
            m = self.step(h)
            if m is None:
                step /= 2.0
                if step < min_step:
                    return cur, False
                continue
            cur = m
            if stop is not None and stop(m):
                return cur, True
            step = min(step * 1.5, 150.0)
        return cur, True


def free_return_3d(
    departure,
    arrival,
    *,
    parking_altitude=185 * u.km,
    parking_inclination=32.5 * u.deg,
    return_perigee_altitude=45 * u.km,
    flyby_altitude=None,
    return_epoch=None,
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
    if (not isinstance(max_iterations, (int, np.integer)) or isinstance(max_iterations, bool)
            or max_iterations < 1):
        raise ArgumentError(
            f"max_iterations must be an integer >= 1, got {describe_value(max_iterations)}")
    if flyby_altitude is not None and return_epoch is not None:
        raise ArgumentError(
            "give flyby_altitude or return_epoch, not both (each fixes the member of the "
            "free-return family; the other is then the result)"
        )
    h_target = None
    if flyby_altitude is not None:
        h_target = float(as_value(flyby_altitude, u.km, "flyby_altitude",
                                  min=0.0, max=50000.0))
    t_ret_target = None
    if return_epoch is not None:
        ret = N._check_time(return_epoch, "return_epoch")
        t_ret_target = float((ret.tdb - dep.tdb).to_value(u.s))
        if not tof_s + 0.5 * _DAY <= t_ret_target <= tof_s + 7.0 * _DAY:
            raise ArgumentError(
                f"return_epoch must be 0.5 .. 7 days after arrival, got "
                f"{(t_ret_target - tof_s) / _DAY:.3f} days"
            )
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
        fr = cls(**{**prob.__dict__, "free_node": True})
        fr.r_ret = r_target
        fam = _Family(fr, np.array([x[0], 0.0, x[1]]), prob.rp_target - R_MOON,
                      max_iterations)
        h_in_plane = fam.members[0][0]
        if h_target is not None:
            last, ok = fam.walk(h_target)
            if not ok:
                raise ConvergenceError(
                    f"flyby_altitude {h_target:g} km cannot be reached: the free returns of "
                    f"this TLI (perilune at {arr.utc.isot[:19]}, return perigee {hr:g} km) "
                    f"reach down to {last[0]:.1f} km, where the family folds; constraint "
                    f"flyby_altitude is off by {last[0] - h_target:+.1f} km (the in-plane "
                    f"member is at {h_in_plane:.1f} km)"
                )
            target = "perilune epoch and altitude, return perigee (TLI out of plane)"
        else:
            first = fam.members[0]
            # the return time grows with the flyby altitude along the family
            down = t_ret_target < first[2]

            def passed(m):
                return (m[2] <= t_ret_target) if down else (m[2] >= t_ret_target)

            last, ok = fam.walk(0.0 if down else 50000.0, stop=passed)
            if not ok or not passed(last):
                raise ConvergenceError(
                    f"return_epoch {(epoch0 + t_ret_target * u.s).utc.isot[:19]} cannot be "
                    f"reached: along the free returns of this TLI the return perigee comes "
                    f"{'no earlier' if down else 'no later'} than "
                    f"{(epoch0 + last[2] * u.s).utc.isot[:19]} (flyby {last[0]:.1f} km); "
                    f"constraint return_epoch is off by "
                    f"{(t_ret_target - last[2]) / 60.0:+.1f} min"
                )
            # regula falsi between the last two members around the target
            lo, hi = sorted(fam.members, key=lambda m: abs(m[2] - t_ret_target))[:2]
            if (lo[2] - t_ret_target) * (hi[2] - t_ret_target) > 0:
                lo, hi = fam.members[-2], fam.members[-1]
            m = hi
            for _ in range(max_iterations):
                h = lo[0] + (hi[0] - lo[0]) * (t_ret_target - lo[2]) / (hi[2] - lo[2])
                m = fam.step(h)
                if m is None:
                    raise ConvergenceError(
                        f"the return_epoch search lost the family at flyby altitude {h:.1f} km")
                if abs(m[2] - t_ret_target) < 1.0:
                    break
                if (m[2] - t_ret_target) * (lo[2] - t_ret_target) > 0:
                    lo = m
                else:
                    hi = m
            if abs(m[2] - t_ret_target) >= 1.0:
                raise ConvergenceError(
                    f"the return_epoch search did not converge: constraint return_epoch is off "
                    f"by {(m[2] - t_ret_target):+.1f} s at flyby altitude {m[0]:.1f} km"
                )
            last = m
            target = "perilune epoch, return perigee and its epoch (TLI out of plane)"
        x = last[1]
        fr.rp_target = R_MOON + last[0]
        iters += fam.iters
        yaw = math.degrees(float(x[1]))
        family = tuple(sorted(((float(h), (epoch0 + t * u.s).utc.isot) for h, _, t in
                               fam.members)))
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
        notes=(
            "Earth + Moon" + (" + Sun" if sun else "") + " point masses from DE421, DOP853 "
            f"rtol {rtol:g}; impulsive TLI from the circular parking orbit whose plane goes "
            "through the Moon, its epoch and size"
            + (" and out-of-plane angle" if yaw is not None else "")
            + " corrected by Newton; targeted: " + target,
            "not modelled: mid-course corrections, finite TLI, Earth J2, the atmosphere "
            "(the return ends at the vacuum perigee)",
        ),
        inputs=(ephemeris_input(ephemeris),),
    )
