"""A translunar injection modelled as a finite burn: :class:`FiniteBurn` and Apollo's two.

A finite burn has a constant thrust and specific impulse, steered along the geocentric
velocity (the S-IVB's iterative guidance steered close to that; the model ignores the
difference). Of its initial mass and duration one is given and the other is solved by the
refinement (:func:`orbits.lunar.refine_transfer`) so that the trajectory meets its targets.

Why it matters: the flown "speed gain" of a TLI (speed at cut-off minus speed at ignition) is
*smaller* than an impulsive Δv to the same trajectory, because during a five-to-six-minute burn
the spacecraft climbs 100-150 km and trades speed for height; the rocket-equation Δv
(``c ln(m0/m1)``) is *larger* (gravity losses). Compare impulsive figures with impulsive ones
and a flown speed gain with a finite burn's speed gain.

The Apollo presets carry the figures saved, with their sources, in
``seeds/authorities/apollo/`` (see its PROVENANCE.md): burn durations from the flown ignition
and cut-off times, the J-2's vacuum thrust and specific impulse. No flown ignition mass was
found in the sources we could read, so the presets give the duration and let the refinement
solve the mass (reported, as a plausibility check, with the result).
"""

from __future__ import annotations

from dataclasses import dataclass

from astropy import units as u

from orbits._validation import as_value, describe_value
from orbits.core.constants import G0
from orbits.errors import ArgumentError, ArgumentTypeError

__all__ = ["APOLLO8_TLI", "APOLLO11_TLI", "FiniteBurn"]


@dataclass(frozen=True)
class FiniteBurn:
    """A constant-thrust burn along the velocity; give ``duration`` or ``initial_mass``.

    Parameters
    ----------
    thrust : Quantity (force)
        Vacuum thrust, e.g. ``1033.1 * u.kN``.
    isp : Quantity (time)
        Vacuum specific impulse, e.g. ``421 * u.s``.
    duration : Quantity (time), optional
        Burn duration (then the initial mass is solved by the refinement).
    initial_mass : Quantity (mass), optional
        Mass at ignition (then the duration is solved).
    name : str
        What the burn is (shown in results).
    """

    thrust: u.Quantity
    isp: u.Quantity
    duration: u.Quantity | None = None
    initial_mass: u.Quantity | None = None
    name: str = ""

    def __post_init__(self):
        """Check the arguments (exactly one of ``duration`` and ``initial_mass``)."""
        as_value(self.thrust, u.kN, "thrust", min=1e-6, max=1e6)
        as_value(self.isp, u.s, "isp", min=50.0, max=1e4)
        if (self.duration is None) == (self.initial_mass is None):
            raise ArgumentError(
                "FiniteBurn needs exactly one of duration and initial_mass (the refinement "
                f"solves the other), got duration={describe_value(self.duration)}, "
                f"initial_mass={describe_value(self.initial_mass)}"
            )
        if self.duration is not None:
            as_value(self.duration, u.s, "duration", min=1.0, max=7200.0)
        if self.initial_mass is not None:
            as_value(self.initial_mass, u.kg, "initial_mass", min=1.0, max=1e7)
        if not isinstance(self.name, str):
            raise ArgumentTypeError(f"name must be a string, got {describe_value(self.name)}")

    @property
    def exhaust_speed(self) -> u.Quantity:
        """Effective exhaust speed ``Isp g0``."""
        return (self.isp.to_value(u.s) * G0) * (u.km / u.s)

    @property
    def mass_flow(self) -> u.Quantity:
        """Propellant mass flow, thrust / exhaust speed."""
        return (self.thrust / self.exhaust_speed).to(u.kg / u.s)


#: J-2 engine of the Saturn V's S-IVB (500 series): vacuum thrust 1,033.1 kN (232,250 lbf) and
#: specific impulse 421 s (seeds/authorities/apollo/apollo_tli_loi.csv, rows "J-2").
_J2_THRUST = 1033.1 * u.kN
_J2_ISP = 421.0 * u.s

#: Apollo 8's TLI: S-IVB second burn 15:41:37 -> 15:46:55 UTC, 21 Dec 1968 (318 s; Orloff,
#: "Apollo by the Numbers", NASA SP-2000-4029).
APOLLO8_TLI = FiniteBurn(thrust=_J2_THRUST, isp=_J2_ISP, duration=318.0 * u.s,
                         name="Apollo 8 S-IVB second burn")

#: Apollo 11's TLI: S-IVB second burn GET 2:44:16.2 -> 2:50:03.03 (346.8 s; 16:16:16 UTC,
#: 16 July 1969; Orloff, NASA SP-2000-4029).
APOLLO11_TLI = FiniteBurn(thrust=_J2_THRUST, isp=_J2_ISP, duration=346.83 * u.s,
                          name="Apollo 11 S-IVB second burn")
