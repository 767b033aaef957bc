"""Patched-conic transfers refined in Earth + Moon + Sun point-mass dynamics (DE421).

:func:`refine_transfer` takes a patched-conic :class:`~orbits.lunar.LunarTransfer` (with a
``departure`` epoch) and corrects its translunar injection -- the epoch along the parking
orbit, the parking plane's node and the size of the burn -- until the integrated trajectory
reaches the target perilune altitude (and, if given, the lunar-orbit inclination) at the
planned arrival epoch. The shape follows GMAT's ``Ex_LunarTransfer`` sample: a conic first
guess, then targeting in full dynamics.

Model: the Earth's point mass (J2 optional), the Moon and the Sun as point masses from DE421,
tabulated hourly and Hermite-interpolated (:mod:`orbits.core.nbody`), scipy's DOP853 at
``rtol=1e-11``. The burn is impulsive (a tangential Δv from the circular parking orbit) or
finite (:class:`~orbits.lunar.FiniteBurn`, thrust along the velocity). The correction is a
Newton iteration with a finite-difference Jacobian and Broyden updates. The first guess aims
the conic not at the Moon's centre (a point-Moon transfer would hit it) but at the B-plane
offset a hyperbola of the target perilune needs.

Which figures are which: ``tli_dv`` of an impulsive refinement is an impulsive Δv; with a
finite burn, ``tli_dv`` is the *speed gain* (speed at injection -- cut-off plus the burn's
``injection_delay``, 10 s for Apollo as Orloff tabulates it -- minus ignition speed, the figure
the Apollo mission reports give) and ``burn_ideal_dv`` the rocket-equation Δv. ``loi_dv`` is always
an impulsive burn at perilune into the target orbit.

:func:`refine_porkchop` refines the cheapest cells of a :class:`~orbits.lunar.LunarPorkchop`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_value, describe_value
from orbits.core import nbody as nb
from orbits.core import patched_conic as pc
from orbits.core.constants import GM_EARTH, GM_MOON, GM_SUN, J2_EARTH, R_EARTH, R_MOON
from orbits.errors import ArgumentError, ArgumentTypeError, ConvergenceError
from orbits.results import Result, column, quantity, value

from ._model import KMS, LunarTable, check_flag, lunar_orbit, moon_pole
from .finite_burn import FiniteBurn

__all__ = ["RefinedLunarTransfer", "RefinedPorkchop", "refine_porkchop", "refine_transfer"]

_HOUR = 3600.0
_DAY = 86400.0
#: Residual scales: the corrector stops when every residual is below its tolerance.
_TOL = {"perilune_altitude": 0.05, "lunar_inclination": 1e-3, "arrival": 1.0,
        "tli_epoch": 1.0, "return_perigee": 1.0}  # km, deg, s, s, km


@dataclass(frozen=True, repr=False)
class RefinedLunarTransfer(Result):
    """A transfer integrated in point-mass Earth-Moon-Sun dynamics and corrected to its targets.

    Displayed fields: the refined TLI (impulsive Δv, or with a finite burn the speed gain),
    LOI, time of flight, perilune altitude and inclination, and their patched-conic values and
    differences. The trajectory samples (``times``, ``positions``, ``moon_positions``,
    ``moon_velocities``, ``conic_positions``: geocentric ICRF km) feed :meth:`figure`.
    """

    departure: Time = value("TLI", fmt="second")
    arrival: Time = value("perilune", fmt="second")
    burn_model: str = value("TLI model")
    tli_dv: u.Quantity = quantity("TLI Δv (speed gain if finite)", "km / s", fmt=".4f")
    loi_dv: u.Quantity = quantity("LOI Δv", "km / s", fmt=".4f")
    tof: u.Quantity = quantity("time of flight", "h", fmt=".3f")
    perilune_altitude: u.Quantity = quantity("perilune altitude", "km", fmt=".2f")
    lunar_inclination: u.Quantity = quantity("lunar-orbit inclination", "deg", fmt=".3f")
    v_inf: u.Quantity = quantity("perilune speed (Moon-relative)", "km / s", fmt=".4f")
    burn_duration: u.Quantity | None = quantity("burn duration", "s", fmt=".1f")
    burn_ideal_dv: u.Quantity | None = quantity("burn ideal Δv (c ln m0/m1)", "km / s",
                                                fmt=".4f")
    burn_initial_mass: u.Quantity | None = quantity("mass at ignition", "t", fmt=".1f")
    cutoff_altitude: u.Quantity | None = quantity("altitude at cut-off", "km", fmt=".1f")
    injection_altitude: u.Quantity | None = quantity(
        "altitude at injection (spherical Earth)", "km", fmt=".1f")
    injection_flight_path_angle: u.Quantity | None = quantity(
        "flight-path angle at injection", "deg", fmt=".3f")
    conic_tli_dv: u.Quantity = quantity("patched-conic TLI Δv", "km / s", fmt=".4f")
    conic_loi_dv: u.Quantity = quantity("patched-conic LOI Δv", "km / s", fmt=".4f")
    conic_tof: u.Quantity = quantity("patched-conic time of flight", "h", fmt=".3f")
    tli_difference: u.Quantity = quantity("TLI refined - conic", "m / s", fmt=".1f")
    loi_difference: u.Quantity = quantity("LOI refined - conic", "m / s", fmt=".1f")
    tof_difference: u.Quantity = quantity("tof refined - conic", "h", fmt=".3f")
    node_shift: u.Quantity = quantity("parking-node shift", "deg", fmt=".3f")
    iterations: int = value("corrector iterations")
    dynamics: str = value("dynamics")
    times: Time | None = field(default=None)
    positions: np.ndarray | None = field(default=None)
    moon_positions: np.ndarray | None = field(default=None)
    moon_velocities: np.ndarray | None = field(default=None)
    conic_positions: np.ndarray | None = field(default=None)
    residuals: dict | None = field(default=None)

    title = "Refined Earth-Moon transfer"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        kind = "speed gain" if self.burn_model.startswith("finite") else "TLI"
        return (
            f"{kind} {self.tli_dv.to_value(KMS):.4f} km/s "
            f"({self.tli_difference.to_value(u.m / u.s):+.0f} m/s vs conic), LOI "
            f"{self.loi_dv.to_value(KMS):.3f} km/s, tof {self.tof.to_value(u.h):.2f} h, perilune "
            f"{self.perilune_altitude.to_value(u.km):.0f} km at "
            f"{self.lunar_inclination.to_value(u.deg):.1f} deg"
        )

    def figure(self, **kwargs):
        """Return both trajectories in the Earth-Moon rotating frame (a matplotlib Figure)."""
        from orbits.plots.lunar_rotating import rotating_frame_figure

        return rotating_frame_figure(self, **kwargs)



# --- the dynamics ------------------------------------------------------------------------------


def _body_table(epoch0: Time, t_lo: float, t_hi: float, ephemeris, sun: bool) -> nb.BodyTable:
    """Moon (and Sun) geocentric states every hour over ``[t_lo, t_hi]`` s after ``epoch0``."""
    from orbits.ephemeris import geocentric_states_km

    n = int(math.ceil((t_hi - t_lo) / _HOUR)) + 3
    t_nodes = t_lo - _HOUR + _HOUR * np.arange(n)
    epochs = epoch0 + t_nodes * u.s
    rm, vm = geocentric_states_km("moon", epochs, ephemeris, name="transfer epochs")
    rs, vs = [rm], [vm]
    ks = [GM_MOON]
    if sun:
        r_s, v_s = geocentric_states_km("sun", epochs, ephemeris, name="transfer epochs")
        rs.append(r_s)
        vs.append(v_s)
        ks.append(GM_SUN)
    return nb.BodyTable(float(t_nodes[0]), _HOUR, np.stack(rs, axis=1), np.stack(vs, axis=1),
                        np.array(ks))


def _plane_frame(inc, raan, arg_lat):
    """Return the unit radius and along-track vectors of a circular orbit (i, node, arg. lat.)."""
    ci, si = math.cos(inc), math.sin(inc)
    cO, sO = math.cos(raan), math.sin(raan)
    cu, su = math.cos(arg_lat), math.sin(arg_lat)
    r_hat = np.array([cO * cu - sO * su * ci, sO * cu + cO * su * ci, su * si])
    t_hat = np.array([-cO * su - sO * cu * ci, -sO * su + cO * cu * ci, cu * si])
    return r_hat, t_hat


@dataclass
class _Problem:
    """Everything the corrector needs: the parking orbit, the targets, the dynamics."""

    table: nb.BodyTable
    r_park: float
    inc: float
    raan0: float
    u0: float
    v0: float  # impulsive perigee speed of the first guess
    t_arr: float  # planned perilune, s after the nominal TLI
    rp_target: float
    ra_target: float
    i_target: float | None
    rtol: float
    j2: tuple | None
    burn: FiniteBurn | None
    accel_guess: float = 0.0  # finite burn: thrust acceleration at ignition, km/s^2
    duration_guess: float = 0.0  # finite burn: duration, s
    fix_arrival: bool = True  # False: the TLI epoch is held instead, the arrival is free
    free_node: bool = True  # the parking node is an unknown even without an inclination target
    n_evals: int = 0

    @property
    def n_unknowns(self) -> int:
        return 3 if (self.i_target is not None or self.free_node) else 2

    def initial_state(self, x):
        """Ignition epoch and state for unknowns ``x`` = (dt, d_raan, d_burn)."""
        dt = x[0]
        d_raan = x[1] if self.n_unknowns == 3 else 0.0
        d_burn = x[-1]
        n = math.sqrt(GM_EARTH / self.r_park**3)
        v_c = math.sqrt(GM_EARTH / self.r_park)
        thrust = None
        if self.burn is None:
            t_ign = dt
            r_hat, t_hat = _plane_frame(self.inc, self.raan0 + d_raan, self.u0 + n * dt)
            y0 = np.concatenate([self.r_park * r_hat, (self.v0 + d_burn) * t_hat])
        else:
            if self.burn.duration is not None:
                dur = self.duration_guess
                a0 = self.accel_guess + d_burn
            else:
                dur = self.duration_guess + d_burn
                a0 = self.accel_guess
            t_ign = dt - 0.5 * dur
            r_hat, t_hat = _plane_frame(self.inc, self.raan0 + d_raan, self.u0 + n * t_ign)
            y0 = np.concatenate([self.r_park * r_hat, v_c * t_hat])
            thrust = self.burn._thrust_model(t_ign, t_ign + dur, a0)
        return t_ign, y0, thrust

    def rhs(self, thrust):
        return nb.make_rhs(self.table, GM_EARTH, j2=self.j2, thrust=thrust)

    def arrive(self, x, rtol=None):
        """Integrate to the closest lunar approach: ``(t, y_rel, y, thrust, t_ign, y0)``."""
        self.n_evals += 1
        t_ign, y0, thrust = self.initial_state(x)
        rhs = self.rhs(thrust)
        t_start, y_start = t_ign, y0
        if thrust is not None:
            # the burn arc first, restarted at every thrust discontinuity
            t_start = thrust.t_off
            y_start = _burn_arc(rhs, thrust, t_ign, y0, rtol or self.rtol)[-1].y[:, -1]
        res = nb.closest_approach(
            rhs, t_start, y_start, self.t_arr + 2.0 * _DAY, self.table, 0,
            rtol=rtol or self.rtol,
            after=0.5 * (self.t_arr - t_ign) - (t_start - t_ign),
        )
        if res is None:
            return None
        t, y, rm, vm = res
        return t, np.concatenate([y[:3] - rm, y[3:] - vm]), y, thrust, t_ign, y0

    def residuals(self, x, rtol=None):
        a = self.arrive(x, rtol)
        if a is None:
            return None
        t, rel, *_ = a
        r, v = rel[:3], rel[3:]
        out = [np.linalg.norm(r) - self.rp_target, t - self.t_arr if self.fix_arrival else x[0]]
        if self.i_target is not None:
            h = np.cross(r, v)
            inc = math.acos(max(-1.0, min(1.0, float(h @ moon_pole() / np.linalg.norm(h)))))
            out.insert(1, math.degrees(inc - self.i_target))
        return np.array(out)

    def names(self):
        last = "arrival" if self.fix_arrival else "tli_epoch"
        if self.i_target is None:
            return ["perilune_altitude", last]
        return ["perilune_altitude", "lunar_inclination", last]

    def steps(self):
        d_burn = 1e-5 if self.burn is None else (
            1e-6 * self.accel_guess if self.burn.duration is not None else 1e-2)
        s = [0.5, 1e-6, d_burn]
        return np.array(s if self.n_unknowns == 3 else [s[0], s[2]])


def _burn_arc(rhs, thrust, t_ign, y0, rtol, dense_output=False):
    """Integrate a finite burn from ignition to cut-off, restarting at each thrust shift.

    Returns the list of scipy solutions, one per constant-thrust phase (the last one ends at
    ``thrust.t_off``), so the integrator never steps across a jump in the thrust.
    """
    edges = [t_ign, *getattr(thrust, "breaks", ()), thrust.t_off]
    sols, y = [], y0
    for a, b in zip(edges[:-1], edges[1:]):
        sol = nb.propagate(rhs, a, y, b, rtol=rtol, dense_output=dense_output)
        sols.append(sol)
        y = sol.y[:, -1]
    return sols


def _scaled(res, names):
    return np.array([r / _TOL[n] for r, n in zip(res, names)])


def _solve(prob: _Problem, x0, max_iterations: int, cache: dict | None = None):
    """Newton with a finite-difference Jacobian, Broyden updates and step halving.

    ``cache`` (a dict) carries the last Jacobian from one call to the next (a continuation over
    nearby targets): it is used as the first Jacobian, treated as stale, and stored back.
    """
    names = prob.names()
    x = np.array(x0, float)
    f = prob.residuals(x)
    if f is None:
        raise ConvergenceError(
            "the first-guess trajectory never approaches the Moon within 2 days of the planned "
            "arrival; the target cannot be reached from this transfer (check tof and departure)"
        )
    h = prob.steps()

    def jacobian(x, f):
        cols = []
        for k in range(x.size):
            xp = x.copy()
            xp[k] += h[k]
            fp = prob.residuals(xp)
            if fp is None:
                raise ConvergenceError(
                    f"the corrector lost the Moon while differencing unknown {k}; residuals "
                    + ", ".join(f"{n} {r:+.3g}" for n, r in zip(names, f))
                )
            cols.append((fp - f) / h[k])
        return np.column_stack(cols)

    if cache is not None and cache.get("J") is not None:
        J, fresh = cache["J"], False
    else:
        J = jacobian(x, f)
        fresh = True  # J was just differenced (not a Broyden update)
    it = 0
    for it in range(1, max_iterations + 1):
        if np.all(np.abs(_scaled(f, names)) < 1.0):
            if cache is not None:
                cache["J"] = J
            return x, f, it - 1
        # (minimum-norm) Newton step in variables scaled by their difference steps, residuals
        # scaled by their tolerances: with more unknowns than targets the step moves each
        # unknown in proportion to its natural scale
        w = np.array([1.0 / _TOL[n] for n in names])
        dx = -h * np.linalg.lstsq(w[:, None] * J * h[None, :], w * f, rcond=None)[0]
        lam = 1.0
        merit = np.linalg.norm(_scaled(f, names))
        for _ in range(8 if fresh else 2):
            f_new = prob.residuals(x + lam * dx)
            if f_new is not None and np.linalg.norm(_scaled(f_new, names)) < merit:
                break
            lam *= 0.5
        else:
            if fresh:
                break  # no descent even along a fresh Jacobian: give up (reported below)
            J = jacobian(x, f)  # stale Broyden Jacobian: rebuild and retry
            fresh = True
            continue
        s = lam * dx
        y = f_new - f
        x = x + s
        f = f_new
        J = J + np.outer(y - J @ s, s) / (s @ s)
        fresh = False
    if np.all(np.abs(_scaled(f, names)) < 1.0):
        if cache is not None:
            cache["J"] = J
        return x, f, it
    worst = int(np.argmax(np.abs(_scaled(f, names))))
    units = {"lunar_inclination": "deg", "arrival": "s"}
    raise ConvergenceError(
        f"the n-body correction did not converge in {max_iterations} iterations: constraint "
        f"{names[worst]} is off by {f[worst]:+.4g} {units.get(names[worst], 'km')} (tolerance "
        f"{_TOL[names[worst]]:g}); all residuals: "
        + ", ".join(f"{n} {r:+.4g} {units.get(n, 'km')}" for n, r in zip(names, f))
    )


def _osculating(y):
    """Energy and apse-line angle (in the orbit plane) of a geocentric state."""
    r, v = y[:3], y[3:]
    rn = np.linalg.norm(r)
    energy = 0.5 * (v @ v) - GM_EARTH / rn
    e_vec = np.cross(v, np.cross(r, v)) / GM_EARTH - r / rn
    h = np.cross(r, v)
    h /= np.linalg.norm(h)
    ref = np.cross([0.0, 0.0, 1.0], h)
    ref /= np.linalg.norm(ref)
    return energy, math.atan2(float(np.cross(ref, e_vec) @ h), float(ref @ e_vec))


def _match_burn(imp: _Problem, fb: _Problem, x_imp):
    """First guess of the finite burn: the cut-off orbit's energy and apse line as impulsive.

    A 2-unknown Newton on the burn arc alone (minutes of flight, cheap): the ignition epoch and
    the burn size are chosen so that the osculating orbit after cut-off has the energy and
    line of apsides of the converged impulsive transfer; the full correction then starts
    within its linear range.
    """
    _, y_imp, _ = imp.initial_state(x_imp)
    e_t, w_t = _osculating(y_imp)

    def cutoff(x):
        t_ign, y0, thrust = fb.initial_state(x)
        sol = _burn_arc(fb.rhs(thrust), thrust, t_ign, y0, fb.rtol)[-1]
        e, w = _osculating(sol.y[:, -1])
        return np.array([e - e_t, (w - w_t + math.pi) % (2 * math.pi) - math.pi])

    x = np.array(x_imp, float)
    x[-1] = 0.0
    idx = [0, x.size - 1]  # epoch and burn size; the node stays the impulsive one
    h = np.array([0.5, fb.steps()[-1]])
    for _ in range(8):
        g = cutoff(x)
        if abs(g[0]) < 1e-7 and abs(g[1]) < 1e-9:
            break
        J = np.empty((2, 2))
        for k in range(2):
            xp = x.copy()
            xp[idx[k]] += h[k]
            J[:, k] = (cutoff(xp) - g) / h[k]
        x[idx] -= np.linalg.solve(J, g)
    return x


def _b_vector(w, rp, i_target, r_moon):
    """B-plane offset (km) of a hyperbola with excess velocity ``w`` and periapsis ``rp``.

    Oriented for the target inclination if one is given (raising ConvergenceError if no plane
    through the asymptote has it), else on the side of the Moon away from the Earth.
    """
    vinf = np.linalg.norm(w)
    s_hat = w / vinf
    b_mag = rp * math.sqrt(1.0 + 2.0 * GM_MOON / (rp * vinf**2))
    away = -r_moon / np.linalg.norm(r_moon)
    if i_target is None:
        b = away - (away @ s_hat) * s_hat
        return b_mag * b / np.linalg.norm(b)
    p = moon_pole()
    e1 = p - (p @ s_hat) * s_hat
    sin_dec = float(p @ s_hat)  # asymptote declination w.r.t. the lunar equator
    cos_dec = math.sqrt(max(1.0 - sin_dec**2, 0.0))
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(s_hat, e1)
    cos_t = math.cos(i_target) / max(cos_dec, 1e-12)
    if abs(cos_t) > 1.0:
        lim = math.degrees(math.acos(min(1.0, cos_dec)))
        off = max(lim - math.degrees(i_target), math.degrees(i_target) - (180.0 - lim))
        raise ConvergenceError(
            f"lunar_inclination {math.degrees(i_target):g} deg cannot be reached: the approach "
            f"asymptote is at {lim:.2f} deg lunar declination, so only {lim:.2f} .. "
            f"{180 - lim:.2f} deg are reachable (residual {off:.2f} deg)"
        )
    best = None
    for sgn in (1.0, -1.0):
        hh = cos_t * e1 + sgn * math.sqrt(1.0 - cos_t**2) * e2
        b = np.cross(s_hat, hh)
        if best is None or b @ away > best @ away:
            best = b
    return b_mag * best / np.linalg.norm(best)


def _first_guess(epoch0: Time, r_park, inc, tof, rp, i_target, ephemeris, b_func=None):
    """Tangential conic from the parking orbit to the B-plane aim point at the Moon.

    ``b_func(w, r_moon, v_moon)`` gives the B-plane offset for excess velocity ``w``; default
    :func:`_b_vector` for ``rp`` and ``i_target``.
    """
    from orbits.ephemeris import geocentric_states_km

    rm, vm = geocentric_states_km("moon", epoch0 + tof * u.s, ephemeris)
    aim = rm.copy()
    for _ in range(3):  # aim point -> conic -> excess velocity -> aim point
        r1 = float(np.linalg.norm(aim))
        e, nu, v0, _ = pc.tangential_transfer(r_park, r1, tof, GM_EARTH)
        v_r, v_t = pc.arrival_velocity_2d(r_park, r1, e, nu, GM_EARTH)
        h_hat, plane_change = pc.transfer_plane(aim, np.cross(rm, vm), inc)
        if float(plane_change) > 1e-9:
            dec = math.degrees(math.asin(aim[2] / r1))
            raise ConvergenceError(
                f"parking_inclination {math.degrees(inc):.2f} deg is below the declination of "
                f"the arrival point ({abs(dec):.2f} deg): the refinement keeps TLI in the "
                f"parking plane, so the arrival target is off by a "
                f"{math.degrees(float(plane_change)):.2f} deg plane change; choose another "
                f"departure or an inclination >= {abs(dec):.2f} deg"
            )
        r0_hat, v_arr = pc.arrival_state_3d(aim, h_hat, nu, v_r, v_t)
        w = v_arr - vm
        b_vec = _b_vector(w, rp, i_target, rm) if b_func is None else b_func(w, rm, vm)
        aim = rm + b_vec
    node = np.cross([0.0, 0.0, 1.0], h_hat)
    node /= np.linalg.norm(node)
    raan = math.atan2(node[1], node[0])
    u0 = math.atan2(float(np.cross(node, r0_hat) @ h_hat), float(node @ r0_hat))
    h_b = np.cross(b_vec, w)  # the approach hyperbola's angular momentum direction
    i_nat = math.acos(max(-1.0, min(1.0, float(h_b @ moon_pole() / np.linalg.norm(h_b)))))
    return float(v0), raan, u0, float(math.acos(max(-1.0, min(1.0, h_hat[2])))), i_nat


def _check_time(t, name):
    from orbits._validation import as_time

    t = as_time(t, name)
    if not t.isscalar:
        raise ArgumentError(f"{name} must be a single epoch, got shape {t.shape}")
    return t


#: Largest fraction of the mass at ignition a finite TLI burn may use (mass ratio 20); the
#: S-IVB's TLI burnt about half (a larger fraction made the integration fail, not converge).
_MAX_BURN_FRACTION = 0.95


def _refine_core(*, departure, tof_s, h_park, i_park, rp, ra, i_target, burn, sun, j2, rtol,
                 ephemeris, max_iterations, conic_tli, conic_loi, samples, fix_arrival=True):
    epoch0 = departure.tdb
    r_park = R_EARTH + h_park
    v0, raan0, u0, inc, i_nat = _first_guess(epoch0, r_park, i_park, tof_s, rp, i_target,
                                             ephemeris)
    held = i_target is None
    if held:
        # no inclination target: hold the first guess's own (its B-plane offset lies on the
        # side of the Moon away from the Earth), which keeps the correction square and
        # well posed (altitude and epoch alone leave a fold the corrector can stall on)
        i_target = i_nat
    table = _body_table(epoch0, -2.0 * _HOUR, tof_s + 2.0 * _DAY, ephemeris, sun)
    prob = _Problem(table=table, r_park=r_park, inc=inc, raan0=raan0, u0=u0, v0=v0,
                    t_arr=tof_s, rp_target=rp, ra_target=ra, i_target=i_target, rtol=rtol,
                    j2=(J2_EARTH, R_EARTH) if j2 else None, burn=None,
                    fix_arrival=fix_arrival)
    x, f, iters = _solve(prob, np.zeros(prob.n_unknowns), max_iterations)
    if burn is not None:
        # start the finite burn from the converged impulsive solution: same centre epoch,
        # the rocket-equation Δv of the impulse (gravity losses are corrected for by Newton)
        c = burn.exhaust_speed.to_value(KMS)
        dv = v0 + x[-1] - math.sqrt(GM_EARTH / r_park)
        frac = 1.0 - math.exp(-dv / c)
        fb = _Problem(**{**prob.__dict__, "burn": burn, "n_evals": prob.n_evals})
        if frac > _MAX_BURN_FRACTION:
            raise ArgumentError(
                f"burn: an exhaust speed of {c:.3f} km/s (isp {burn.isp.to_value(u.s):g} s) "
                f"would burn {100 * frac:.1f} % of the mass at ignition to give this TLI's "
                f"{dv:.3f} km/s; at most {100 * _MAX_BURN_FRACTION:g} % is allowed (give a "
                f"higher isp)")
        if burn.duration is not None:
            fb.duration_guess = burn.duration.to_value(u.s)
            fb.accel_guess = c * frac / fb.duration_guess
            m0 = burn.thrust.to_value(u.kN) / fb.accel_guess  # kg (kN / (km/s^2))
            if not 1.0 <= m0 <= 1e7:
                raise ArgumentError(
                    f"burn: {burn.thrust.to_value(u.kN):g} kN for {fb.duration_guess:g} s "
                    f"gives this TLI ({dv:.3f} km/s) only to a mass at ignition of {m0:.3g} "
                    f"kg, outside the [1, 1e+07] kg allowed; check thrust and duration")
        else:
            fb.accel_guess = (burn.thrust / burn.initial_mass).to_value(u.km / u.s**2)
            fb.duration_guess = c * frac / fb.accel_guess
            if not 1.0 <= fb.duration_guess <= 7200.0:
                raise ArgumentError(
                    f"burn: {burn.thrust.to_value(u.kN):g} kN on "
                    f"{burn.initial_mass.to_value(u.kg):g} kg would need a "
                    f"{fb.duration_guess:.3g} s burn to give this TLI ({dv:.3f} km/s), "
                    f"outside the [1, 7200] s allowed; check thrust and initial_mass")
        x0 = _match_burn(prob, fb, x)
        x, f, it2 = _solve(fb, x0, max_iterations)
        iters += it2
        prob = fb
    t, rel, y_peri, thrust, t_ign, y0 = prob.arrive(x)
    r_rel, v_rel = rel[:3], rel[3:]
    rpn = float(np.linalg.norm(r_rel))
    h = np.cross(r_rel, v_rel)
    i_got = math.acos(max(-1.0, min(1.0, float(h @ moon_pole() / np.linalg.norm(h)))))
    v_p = float(np.linalg.norm(v_rel))
    v_ell = math.sqrt(2.0 * GM_MOON / rpn - 2.0 * GM_MOON / (rpn + ra))
    loi = v_p - v_ell
    rhs = prob.rhs(thrust)
    burn_fields = dict(burn_duration=None, burn_ideal_dv=None, burn_initial_mass=None,
                       cutoff_altitude=None, injection_altitude=None,
                       injection_flight_path_angle=None)
    if thrust is None:
        tli = float(np.linalg.norm(y0[3:])) - math.sqrt(GM_EARTH / r_park)
        t_tli = t_ign
        model = "impulsive, tangential"
        traj = [nb.propagate(rhs, t_ign, y0, t, rtol=rtol, dense_output=True)]
    else:
        traj = _burn_arc(rhs, thrust, t_ign, y0, rtol, dense_output=True)
        y_off = traj[-1].y[:, -1]
        t_tli = thrust.t_off
        model = f"finite ({burn.name})" if burn.name else "finite"
        second = nb.propagate(rhs, thrust.t_off, y_off, t, rtol=rtol, dense_output=True)
        traj.append(second)
        # the injection the flown figures state: cut-off + the burn's injection delay
        delay = float(burn.injection_delay.to_value(u.s))
        y_inj = second.sol(thrust.t_off + delay) if 0.0 < delay < t - thrust.t_off else y_off
        r_inj, v_inj = y_inj[:3], y_inj[3:]
        tli = float(np.linalg.norm(v_inj) - np.linalg.norm(y0[3:]))
        fpa = math.asin(float(r_inj @ v_inj) / float(np.linalg.norm(r_inj) * np.linalg.norm(v_inj)))
        burn_fields = dict(
            burn_duration=(thrust.t_off - thrust.t_on) * u.s,
            burn_ideal_dv=thrust.ideal_dv * KMS,
            burn_initial_mass=(burn.thrust / (thrust.accel0 * u.km / u.s**2)).to(u.t),
            cutoff_altitude=(float(np.linalg.norm(y_off[:3])) - R_EARTH) * u.km,
            injection_altitude=(float(np.linalg.norm(r_inj)) - R_EARTH) * u.km,
            injection_flight_path_angle=math.degrees(fpa) * u.deg,
        )
    # samples for the figure: refined trajectory, and the patched conic (Earth two-body from
    # the conic's own departure state)
    ts = np.linspace(t_ign, t, samples)
    pos = np.empty((ts.size, 3))
    for k, seg in enumerate(traj):  # each segment covers [seg.t[0], seg.t[-1]]
        lo, hi = float(seg.t[0]), float(seg.t[-1])
        sel = (ts >= lo) & ((ts <= hi) if k == len(traj) - 1 else (ts < hi))
        if sel.any():
            pos[sel] = seg.sol(np.clip(ts[sel], lo, hi)).T[:, :3]
    rb, vb = table.states(ts)
    r_hat, t_hat = _plane_frame(inc, raan0, u0)
    conic = nb.propagate(nb.make_rhs(None, GM_EARTH), 0.0,
                         np.concatenate([r_park * r_hat, v0 * t_hat]), tof_s, rtol=1e-10,
                         dense_output=True)
    tc = np.linspace(0.0, tof_s, samples)
    names = prob.names()
    tof_h = (t - t_tli) / _HOUR
    notes = [
        "Earth" + (" (with J2)" if j2 else "") + " + Moon" + (" + Sun" if sun else "")
        + f" point masses, DE421 states, DOP853 rtol {rtol:g}; TLI corrected by Newton "
        "(epoch along the parking orbit"
        ", parking node, burn size) to the targets",
        "time of flight: from the TLI impulse (finite burn: from cut-off) to perilune",
        *(["no inclination target: the approach inclination is held at the first guess's "
           f"{math.degrees(i_nat):.2f} deg (B-plane offset on the side away from the Earth)"]
          if held else []),
        "LOI: impulsive, at perilune, into the target orbit "
        f"{rp - R_MOON:.0f} x {ra - R_MOON:.0f} km",
    ]
    if thrust is not None:
        when = ("cut-off" if not burn.injection_delay.to_value(u.s) else
                f"injection, cut-off + {burn.injection_delay.to_value(u.s):g} s")
        notes.append(f"finite TLI: tli_dv is the speed gain (speed at {when} minus ignition "
                     "speed), burn_ideal_dv the rocket-equation Δv; the impulsive figures of "
                     "the patched conic are not directly comparable")
    from orbits.ephemeris import ephemeris_input

    return RefinedLunarTransfer(
        departure=(epoch0 + t_ign * u.s).utc,
        arrival=(epoch0 + t * u.s).utc,
        burn_model=model,
        tli_dv=tli * KMS,
        loi_dv=loi * KMS,
        tof=tof_h * u.h,
        perilune_altitude=(rpn - R_MOON) * u.km,
        lunar_inclination=math.degrees(i_got) * u.deg,
        v_inf=v_p * KMS,
        **burn_fields,
        conic_tli_dv=conic_tli * KMS,
        conic_loi_dv=conic_loi * KMS,
        conic_tof=tof_s / _HOUR * u.h,
        tli_difference=((tli - conic_tli) * KMS).to(u.m / u.s),
        loi_difference=((loi - conic_loi) * KMS).to(u.m / u.s),
        tof_difference=(tof_h - tof_s / _HOUR) * u.h,
        node_shift=math.degrees(x[1]) * u.deg,
        iterations=int(iters),
        dynamics="Earth" + ("+J2" if j2 else "") + "+Moon" + ("+Sun" if sun else "")
                 + " point masses",
        times=(epoch0 + ts * u.s).utc,
        positions=pos,
        moon_positions=rb[:, 0],
        moon_velocities=vb[:, 0],
        conic_positions=conic.sol(tc).T[:, :3],
        residuals={n: float(r) for n, r in zip(names, f)},
        notes=tuple(notes),
        inputs=(ephemeris_input(ephemeris),),
    )


def refine_transfer(
    transfer,
    *,
    lunar_periapsis_altitude=100 * u.km,
    lunar_apoapsis_altitude=None,
    lunar_inclination=None,
    burn: FiniteBurn | None = None,
    sun: bool = True,
    j2: bool = False,
    rtol: float = 1e-11,
    ephemeris="de421",
    fix_arrival: bool = True,
    max_iterations: int = 20,
    samples: int = 400,
) -> RefinedLunarTransfer:
    """Refine a patched-conic transfer in Earth + Moon (+ Sun) point-mass dynamics.

    Parameters
    ----------
    transfer : LunarTransfer
        A scalar result of :func:`orbits.tli_budget` computed with a ``departure`` epoch (the
        ephemeris model): its departure, parking orbit and time of flight are the first guess;
        its TLI, LOI and tof are the patched-conic values the result compares with.
    lunar_periapsis_altitude, lunar_apoapsis_altitude : Quantity (length)
        Target perilune altitude, and the apoapsis of the orbit LOI enters (default circular).
        (A :class:`LunarTransfer` does not record its lunar orbit, so give the same values.)
    lunar_inclination : Quantity (angle), optional
        Target inclination of the arrival hyperbola to the lunar equator (IAU pole), 0 .. 180
        deg (above 90: retrograde, as Apollo's). ``None``: the first guess's own inclination
        is held (its B-plane offset on the side of the Moon away from the Earth; stated in the
        result's notes).
    burn : FiniteBurn, optional
        Model TLI as this finite burn (centred on the impulsive TLI epoch first). ``None``:
        impulsive.
    sun, j2 : bool
        Include the Sun's point mass (default) / the Earth's J2 (default off; its axis is the
        ICRF z axis, which differs from the true pole by the precession since J2000, e.g.
        0.4 deg in 1969).
    rtol : float
        DOP853 relative tolerance, 1e-13 .. 1e-6.
    fix_arrival : bool
        True (default): the perilune falls at the planned arrival (``departure + tof``) and the
        TLI epoch moves. False: the TLI epoch is held and the arrival is free (for transfers
        whose planned time of flight the dynamics cannot meet, e.g. near-apogee arrivals).
    max_iterations : int
        Newton iterations per stage (impulsive, then finite) before ConvergenceError.
    samples : int
        Trajectory samples kept for the figure.

    Returns
    -------
    RefinedLunarTransfer

    Raises
    ------
    ConvergenceError
        If the targets cannot be reached (inclination outside what the approach allows, a
        parking orbit below the arrival point's declination) or the correction does not
        converge; the message names the constraint and its residual.
    """
    from .budget import LunarTransfer

    if not isinstance(transfer, LunarTransfer):
        raise ArgumentTypeError(
            f"transfer must be a LunarTransfer from orbits.tli_budget, got "
            f"{describe_value(transfer)}"
        )
    if transfer.departure is None:
        raise ArgumentError(
            "transfer must have a departure epoch (tli_budget(..., departure=...)): the "
            "refinement needs the Moon's real position, not the mean circular Moon"
        )
    if np.ndim(transfer.tof.value) or not transfer.departure.isscalar:
        raise ArgumentError(
            f"transfer must be a single transfer, got a batch of shape {np.shape(transfer.tof)}"
        )
    return _refine(
        departure=transfer.departure, tof=transfer.tof,
        parking_altitude=transfer.parking_altitude,
        parking_inclination=transfer.parking_inclination,
        conic_tli=float(transfer.tli_dv.to_value(KMS)),
        conic_loi=float(transfer.loi_dv.to_value(KMS)),
        lunar_periapsis_altitude=lunar_periapsis_altitude,
        lunar_apoapsis_altitude=lunar_apoapsis_altitude, lunar_inclination=lunar_inclination,
        burn=burn, sun=sun, j2=j2, rtol=rtol, ephemeris=ephemeris,
        max_iterations=max_iterations, samples=samples, fix_arrival=fix_arrival,
    )


def _refine(*, departure, tof, parking_altitude, parking_inclination, conic_tli, conic_loi,
            lunar_periapsis_altitude, lunar_apoapsis_altitude, lunar_inclination, burn, sun,
            j2, rtol, ephemeris, max_iterations, samples, fix_arrival=True):
    dep = _check_time(departure, "departure")
    tof_s = as_value(tof, u.s, "tof", min=0.5 * _DAY, max=30.0 * _DAY)
    h_park = as_value(parking_altitude, u.km, "parking_altitude", min=100.0, max=2000.0)
    i_park = as_value(parking_inclination, u.rad, "parking_inclination", min=0.0, max=math.pi)
    rp, ra, i_t = lunar_orbit(lunar_periapsis_altitude, lunar_apoapsis_altitude,
                              lunar_inclination)
    for name, val in (("lunar_periapsis_altitude", rp), ("lunar_apoapsis_altitude", ra),
                      ("lunar_inclination", i_t)):
        if val is not None and np.ndim(val):
            raise ArgumentError(f"{name} must be a scalar, got an array of shape {np.shape(val)}")
    if burn is not None and not isinstance(burn, FiniteBurn):
        raise ArgumentTypeError(f"burn must be a FiniteBurn or None, got {describe_value(burn)}")
    sun = check_flag(sun, "sun")
    j2 = check_flag(j2, "j2")
    fix_arrival = check_flag(fix_arrival, "fix_arrival")
    if not isinstance(rtol, (float, int)) or isinstance(rtol, bool) or not 1e-13 <= rtol <= 1e-6:
        raise ArgumentError(f"rtol must be a number in 1e-13 .. 1e-6, got {describe_value(rtol)}")
    # upper bounds: a billion samples ran out of memory, a billion iterations of a
    # correction that does not converge never returns
    for name, val, lo, hi in (("max_iterations", max_iterations, 1, 1000),
                              ("samples", samples, 2, 100_000)):
        if (not isinstance(val, (int, np.integer)) or isinstance(val, bool)
                or not lo <= val <= hi):
            raise ArgumentError(
                f"{name} must be an integer in [{lo}, {hi:,}], got {describe_value(val)}")
    return _refine_core(
        departure=dep, tof_s=float(tof_s), h_park=float(h_park), i_park=float(i_park),
        rp=float(rp), ra=float(ra), i_target=None if i_t is None else float(i_t), burn=burn,
        sun=sun, j2=j2, rtol=float(rtol), ephemeris=ephemeris,
        max_iterations=int(max_iterations), conic_tli=conic_tli, conic_loi=conic_loi,
        samples=int(samples), fix_arrival=fix_arrival,
    )


# --- porkchop ------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class RefinedPorkchop(LunarTable):
    """The cheapest cells of a porkchop, each refined in n-body dynamics (one row per cell)."""

    name: str = value("transfer")
    parking_inclination: u.Quantity = quantity("parking inclination", "deg", fmt=".2f")
    departure: Time = column("departure", fmt="minute")
    tof: u.Quantity = column("tof (grid)", "day", fmt=".2f")
    conic_tli_dv: u.Quantity = column("TLI (Lambert)", "km / s", fmt=".3f")
    conic_loi_dv: u.Quantity = column("LOI (Lambert)", "km / s", fmt=".3f")
    tli_dv: u.Quantity = column("TLI (n-body)", "km / s", fmt=".4f")
    loi_dv: u.Quantity = column("LOI (n-body)", "km / s", fmt=".4f")
    total_dv: u.Quantity = column("TLI + LOI (n-body)", "km / s", fmt=".4f")
    refined_tof: u.Quantity = column("tof (n-body)", "day", fmt=".3f")
    converged: np.ndarray = column("converged")
    arrival_fixed: np.ndarray = column("arrival at grid tof")
    refined: tuple = field(default=())  # the RefinedLunarTransfer per row (None if failed)
    failures: tuple = field(default=())  # the error message per failed row

    title = "Porkchop cells refined in n-body dynamics"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        ok = np.asarray(self.converged, bool)
        who = f"{self.name}: " if self.name else ""
        if not ok.any():
            return f"{who}{len(ok)} cells, none converged"
        tot = np.where(ok, self.total_dv.to_value(KMS), np.inf)
        return (f"{who}{int(ok.sum())} of {len(ok)} cells refined, best "
                f"{tot.min():.4f} km/s (n-body TLI + LOI)")


def refine_porkchop(
    porkchop,
    *,
    n_best: int = 3,
    min_separation=None,
    lunar_periapsis_altitude=100 * u.km,
    lunar_apoapsis_altitude=None,
    lunar_inclination=None,
    burn: FiniteBurn | None = None,
    sun: bool = True,
    rtol: float = 1e-10,
    ephemeris="de421",
) -> RefinedPorkchop:
    """Refine the ``n_best`` cheapest departures of a porkchop in point-mass dynamics.

    The cells are :meth:`LunarPorkchop.best` ``(n_best, min_separation=...)``; each is refined
    as :func:`refine_transfer` does (first guess from its departure, time of flight and parking
    orbit; targets the lunar orbit given here, since a porkchop does not record it). A cell
    whose correction fails is kept with ``converged == False``, NaN n-body values and its
    error message in ``failures``. A cell whose grid time of flight the dynamics cannot meet
    (its correction fails with the arrival fixed) is refined again with its departure held and
    the arrival free (``arrival_fixed == False``; ``refined_tof`` then differs from ``tof``).
    ``rtol`` defaults to 1e-10 (a grid is a survey).
    """
    from .porkchop import LunarPorkchop

    if not isinstance(porkchop, LunarPorkchop):
        raise ArgumentTypeError(
            f"porkchop must be a LunarPorkchop from orbits.lunar_porkchop, got "
            f"{describe_value(porkchop)}"
        )
    if (not isinstance(n_best, (int, np.integer)) or isinstance(n_best, bool)
            or not 1 <= n_best <= 20):
        # each cell is a refinement of seconds: a huge n_best refined the whole grid
        raise ArgumentError(f"n_best must be an integer 1..20, got {describe_value(n_best)}")
    win = porkchop.best(n_best, min_separation=min_separation)
    rows = []
    for i in range(len(win)):
        kw = dict(
            departure=win.departure[i], tof=win.tof[i],
            parking_altitude=porkchop.parking_altitude,
            parking_inclination=porkchop.parking_inclination,
            conic_tli=float(win.tli_dv[i].to_value(KMS)),
            conic_loi=float(win.loi_dv[i].to_value(KMS)),
            lunar_periapsis_altitude=lunar_periapsis_altitude,
            lunar_apoapsis_altitude=lunar_apoapsis_altitude,
            lunar_inclination=lunar_inclination, burn=burn, sun=sun, j2=False, rtol=rtol,
            ephemeris=ephemeris, samples=200,
        )
        try:
            rows.append((_refine(**kw, max_iterations=8, fix_arrival=True), "", True))
        except ConvergenceError as exc:
            # the grid's time of flight may be out of the dynamics' reach (near-apogee
            # arrivals): hold the departure instead and let the arrival move
            try:
                rows.append((_refine(**kw, max_iterations=20, fix_arrival=False), str(exc),
                             False))
            except ConvergenceError as exc2:
                rows.append((None, f"{exc}; with the arrival free: {exc2}", False))
    nan = float("nan")

    def col(get):
        return np.array([get(r) if r is not None else nan for r, _, _ in rows])

    tli = col(lambda r: r.tli_dv.to_value(KMS))
    loi = col(lambda r: r.loi_dv.to_value(KMS))
    return RefinedPorkchop(
        name=porkchop.name,
        parking_inclination=porkchop.parking_inclination,
        departure=win.departure,
        tof=win.tof,
        conic_tli_dv=win.tli_dv,
        conic_loi_dv=win.loi_dv,
        tli_dv=tli * KMS,
        loi_dv=loi * KMS,
        total_dv=(tli + loi) * KMS,
        refined_tof=col(lambda r: r.tof.to_value(u.day)) * u.day,
        converged=np.array([r is not None for r, _, _ in rows]),
        arrival_fixed=np.array([f for _, _, f in rows]),
        refined=tuple(r for r, _, _ in rows),
        failures=tuple(m for _, m, _ in rows),
        notes=("each row refined by orbits.lunar.refine_transfer's corrector; TLI is impulsive "
               "unless a finite burn was given (then the speed gain)",),
        inputs=porkchop.inputs,
    )
