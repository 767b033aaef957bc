"""A translunar injection modelled as a finite burn: :class:`FiniteBurn` and Apollo's two.

A finite burn has a piecewise-constant thrust and specific impulse (one phase, or several when the
engine's mixture ratio is shifted during the burn: ``shifts``), steered along the geocentric
velocity (the S-IVB's iterative guidance steered close to that; the flown injection was higher
and steeper than this model's, see the last paragraph). Of its initial mass and duration one is
given and the other is solved by the refinement (:func:`orbits.lunar.refine_transfer`) so that the
trajectory meets its targets.

Why it matters: the flown "speed gain" of a TLI (speed at injection minus speed in the parking
orbit) is *smaller* than an impulsive Δv to the same trajectory, because during a five-to-six-minute
burn the spacecraft climbs 100-150 km and trades speed for height; the rocket-equation Δv
(``c ln(m0/m1)``) is *larger* (gravity losses). Compare impulsive figures with impulsive ones and a
flown speed gain with a finite burn's speed gain, at the same event: Orloff's "Apollo by the
Numbers" tables (and the mission reports) state the translunar injection 10 s after the S-IVB's
cut-off, by which time the stack has climbed another ~14 km and lost ~12 m/s; ``injection_delay``
puts the model's speed, altitude and flight-path angle at that event.

The Apollo presets carry the figures saved, with their sources, in ``seeds/authorities/apollo/``
(see its PROVENANCE.md). Apollo 8: the S-IVB's second-burn steady-state thrust and specific impulse
and the burn's duration from the AS-503 launch vehicle flight evaluation report (MPR-SAT-FE-69-1,
Tables 7-7 and 2-2); its mass at ignition (Table 21-7) checks the mass the refinement solves.
Apollo 11: the flown duration with the J-2's rated vacuum thrust and Isp (the AS-506 report's
tables were not readable in the sources we had).

Against Orloff's figures the refined speed gains are Apollo 8 3.050 km/s (+0.7 %, flown 3.029)
and Apollo 11 3.025 km/s (-0.5 %, flown 3.041). Apollo 8's departure energy matches the flown C3
to 0.008 km^2/s^2; what is left is the injection point: the velocity-aligned burn injects ~25 km
lower and ~0.7 deg flatter than the S-IVB did, which at the same energy is +21 m/s of speed.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

import numpy as np
from astropy import units as u

from orbits._validation import as_value, describe_value
from orbits.core.constants import G0
from orbits.core.nbody import FiniteThrust
from orbits.errors import ArgumentError, ArgumentTypeError

__all__ = ["APOLLO8_TLI", "APOLLO11_TLI", "FiniteBurn"]


def _scalar(value, unit, name, **limits) -> float:
    """Return ``as_value`` of a single Quantity; an array (or an empty one) is refused by name."""
    out = as_value(value, unit, name, **limits)
    if np.ndim(out):
        raise ArgumentError(f"{name} must be a single value, got {describe_value(value)}")
    return float(out)


def _is_triple(item) -> bool:
    if isinstance(item, (str, bytes, u.Quantity)):
        return False
    try:
        return len(item) == 3
    except TypeError:
        return False


def _check_shifts(shifts, duration):
    """Validate ``shifts`` and return it as a tuple of ``(time, thrust, isp)`` Quantities."""
    if isinstance(shifts, (str, bytes)) or not hasattr(shifts, "__iter__"):
        raise ArgumentTypeError(
            "shifts must be a sequence of (time, thrust, isp) triples (time after ignition), "
            f"got {describe_value(shifts)}"
        )
    out = []
    last = 0.0
    for k, item in enumerate(shifts):
        if not _is_triple(item):
            raise ArgumentTypeError(
                f"shifts[{k}] must be a (time, thrust, isp) triple, got {describe_value(item)}"
            )
        t, f, isp = item
        t_s = _scalar(t, u.s, f"shifts[{k}] time", min=1e-3, max=7200.0)
        _scalar(f, u.kN, f"shifts[{k}] thrust", min=1e-6, max=1e6)
        _scalar(isp, u.s, f"shifts[{k}] isp", min=50.0, max=1e4)
        if t_s <= last:
            raise ArgumentError(
                f"shifts must be in increasing time after ignition: shifts[{k}] time "
                f"{describe_value(t)} is not after {last:g} s"
            )
        if duration is not None and t_s >= duration:
            raise ArgumentError(
                f"shifts[{k}] time {describe_value(t)} is not before the end of the burn "
                f"(duration {duration:g} s)"
            )
        last = t_s
        out.append((t, f, isp))
    return tuple(out)


@dataclass(frozen=True)
class FiniteBurn:
    """A burn along the velocity, thrust piecewise constant: give ``duration`` or ``initial_mass``.

    Parameters
    ----------
    thrust : Quantity (force)
        Vacuum thrust (of the first phase if there are ``shifts``), e.g. ``1033.1 * u.kN``.
    isp : Quantity (time)
        Vacuum specific impulse (of the first phase), e.g. ``421 * u.s``.
    duration : Quantity (time), optional
        Burn duration (then the initial mass is solved by the refinement).
    initial_mass : Quantity (mass), optional
        Mass at ignition (then the duration is solved).
    name : str
        What the burn is (shown in results).
    shifts : sequence of (Quantity time, Quantity force, Quantity time), keyword-only
        Thrust changes during the burn, e.g. an engine mixture-ratio shift: at ``time`` after
        ignition the thrust and specific impulse become ``thrust`` and ``isp`` (until the next
        shift or cut-off). Times strictly increasing and before ``duration`` if one is given.
        Default: none (constant thrust).
    injection_delay : Quantity (time), keyword-only
        When, after cut-off, the flown figures the result is compared with state the injection
        (Apollo: 10 s, Orloff, NASA SP-2000-4029). The refined ``tli_dv`` (speed gain),
        injection altitude and flight-path angle are taken there. Default 0 s (at cut-off).
    """

    thrust: u.Quantity
    isp: u.Quantity
    duration: u.Quantity | None = None
    initial_mass: u.Quantity | None = None
    name: str = ""
    shifts: tuple = field(default=(), kw_only=True)
    injection_delay: u.Quantity = field(default=0.0 * u.s, kw_only=True)

    def __post_init__(self):
        """Check the arguments (exactly one of ``duration`` and ``initial_mass``)."""
        _scalar(self.thrust, u.kN, "thrust", min=1e-6, max=1e6)
        _scalar(self.isp, u.s, "isp", min=50.0, max=1e4)
        if (self.duration is None) == (self.initial_mass is None):
            raise ArgumentError(
                "FiniteBurn needs exactly one of duration and initial_mass (the refinement "
                f"solves the other), got duration={describe_value(self.duration)}, "
                f"initial_mass={describe_value(self.initial_mass)}"
            )
        dur = None
        if self.duration is not None:
            dur = _scalar(self.duration, u.s, "duration", min=1.0, max=7200.0)
        if self.initial_mass is not None:
            _scalar(self.initial_mass, u.kg, "initial_mass", min=1.0, max=1e7)
        if not isinstance(self.name, str):
            raise ArgumentTypeError(f"name must be a string, got {describe_value(self.name)}")
        object.__setattr__(self, "shifts", _check_shifts(self.shifts, dur))
        _scalar(self.injection_delay, u.s, "injection_delay", min=0.0, max=600.0)

    @property
    def exhaust_speed(self) -> u.Quantity:
        """Effective exhaust speed ``Isp g0`` (of the first phase)."""
        return (self.isp.to_value(u.s) * G0) * (u.km / u.s)

    @property
    def mass_flow(self) -> u.Quantity:
        """Propellant mass flow, thrust / exhaust speed (of the first phase)."""
        return (self.thrust / self.exhaust_speed).to(u.kg / u.s)

    def _phases(self):
        """Phase start times (s after ignition), thrust (kN) and exhaust speed (km/s) lists."""
        starts = [0.0] + [float(t.to_value(u.s)) for t, _, _ in self.shifts]
        thrusts = [float(self.thrust.to_value(u.kN))] + [
            float(f.to_value(u.kN)) for _, f, _ in self.shifts]
        exhausts = [float(self.isp.to_value(u.s)) * G0] + [
            float(i.to_value(u.s)) * G0 for _, _, i in self.shifts]
        return starts, thrusts, exhausts

    def _thrust_model(self, t_on: float, t_off: float, accel0: float):
        """Return the thrust of this burn from ``t_on`` to ``t_off``, ``accel0`` at ignition.

        ``accel0`` is thrust / initial mass of the first phase (km/s^2); constant thrust gives
        :class:`orbits.core.nbody.FiniteThrust`, shifts a :class:`_ScheduledThrust`.
        """
        starts, thrusts, exhausts = self._phases()
        if len(starts) == 1:
            return FiniteThrust(t_on, t_off, accel0, exhausts[0])
        return _ScheduledThrust(t_on, t_off, accel0, starts, thrusts, exhausts)


class _ScheduledThrust:
    """Piecewise-constant thrust along the velocity (same interface as ``FiniteThrust``).

    Phase ``k`` starts ``starts[k]`` s after ignition with thrust ``thrusts[k]`` and exhaust speed
    ``exhausts[k]``; the mass falls by ``thrust / exhaust`` per second, so with ``m0 =
    thrusts[0] / accel0`` the acceleration is ``thrusts[k] / m(t)``. ``breaks`` are the absolute
    epochs of the shifts inside the burn (the integration restarts there: the thrust jumps).
    """

    def __init__(self, t_on, t_off, accel0, starts, thrusts, exhausts):
        self.t_on = float(t_on)
        self.t_off = float(t_off)
        self.accel0 = float(accel0)
        self.exhaust_speed = float(exhausts[0])
        self._starts = [float(s) for s in starts]
        ratio = [f / thrusts[0] for f in thrusts]
        # per phase: acceleration numerator (thrust / m0) and mass-fraction flow (1/s)
        self._num = [self.accel0 * r for r in ratio]
        self._flow = [self.accel0 * r / c for r, c in zip(ratio, exhausts)]
        self._exh = [float(c) for c in exhausts]
        burnt = [0.0]
        for k in range(1, len(starts)):
            burnt.append(burnt[-1] + self._flow[k - 1] * (starts[k] - starts[k - 1]))
        self._burnt = burnt  # mass fraction burnt at each phase start
        dur = self.t_off - self.t_on
        self.breaks = tuple(self.t_on + s for s in self._starts[1:] if s < dur)

    def _fraction(self, tau):
        k = bisect.bisect_right(self._starts, tau) - 1
        return k, self._burnt[k] + self._flow[k] * (tau - self._starts[k])

    def acceleration(self, t: float) -> float:
        """Thrust acceleration magnitude at ``t`` (0 outside the burn)."""
        if t < self.t_on or t >= self.t_off:
            return 0.0
        k, f = self._fraction(t - self.t_on)
        return self._num[k] / (1.0 - f)

    @property
    def final_mass_fraction(self) -> float:
        """Mass at cut-off over mass at ignition."""
        return 1.0 - self._fraction(self.t_off - self.t_on)[1]

    @property
    def ideal_dv(self) -> float:
        """Rocket-equation Δv of the burn, km/s (sum of ``c_k ln(m_start / m_end)``)."""
        dur = self.t_off - self.t_on
        total = 0.0
        for k, s in enumerate(self._starts):
            if s >= dur:
                break
            end = min(dur, self._starts[k + 1]) if k + 1 < len(self._starts) else dur
            m_a = 1.0 - self._burnt[k]
            m_b = 1.0 - (self._burnt[k] + self._flow[k] * (end - s))
            if m_b <= 0.0:
                return math.inf
            total += self._exh[k] * math.log(m_a / m_b)
        return total


#: J-2 engine of the Saturn V's S-IVB (500 series), rated: vacuum thrust 1,033.1 kN (232,250 lbf)
#: and specific impulse 421 s (seeds/authorities/apollo/apollo_tli_loi.csv, rows "J-2").
_J2_THRUST = 1033.1 * u.kN
_J2_ISP = 421.0 * u.s

#: Orloff (NASA SP-2000-4029) and the mission reports state the translunar injection 10 s after
#: the S-IVB's cut-off (Apollo 8: ECO 2:55:55.51 GET, MPR-SAT-FE-69-1 Table 2-2; TLI 2:56:05.51,
#: Orloff "Translunar Injection"; the same 10 s for Apollo 11, 2:50:03.03 -> 2:50:13.03).
_APOLLO_INJECTION_DELAY = 10.0 * u.s

#: Apollo 8's TLI: S-IVB second burn as flown by AS-503 (MPR-SAT-FE-69-1, Feb 1969): steady-state
#: thrust 897,548 N and specific impulse 4,199.2 N s/kg (428.2 s) (Table 7-7); 315.49 s from 90 %
#: thrust (10,240.02 s) to engine cut-off (10,555.51 s) (Table 2-2).
APOLLO8_TLI = FiniteBurn(thrust=897.548 * u.kN, isp=(4199.2 / 9.80665) * u.s,
                         duration=315.49 * u.s, name="Apollo 8 S-IVB second burn",
                         injection_delay=_APOLLO_INJECTION_DELAY)

#: Apollo 11's TLI: S-IVB second burn GET 2:44:16.2 -> 2:50:03.03 (346.8 s; 16:16:16 UTC,
#: 16 July 1969; Orloff, NASA SP-2000-4029) at the J-2's rated thrust and Isp.
APOLLO11_TLI = FiniteBurn(thrust=_J2_THRUST, isp=_J2_ISP, duration=346.83 * u.s,
                          name="Apollo 11 S-IVB second burn",
                          injection_delay=_APOLLO_INJECTION_DELAY)
