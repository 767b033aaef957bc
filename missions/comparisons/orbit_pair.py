"""Two Earth orbits compared: the angle between their planes and what turning it costs.

The angle between the planes swings between ``|i1 - i2|`` (nodes aligned) and ``i1 + i2``
(nodes opposed) as J2 drags the two nodes westward at different rates; one full swing takes
the node cycle ``360 deg / |dOmega1/dt - dOmega2/dt|``. The plane change costs
``2 v sin(theta/2)``, quoted at the speed of the lower (faster) orbit, the conservative
choice, and per orbit at its own speed. Two orbits from TLEs drift with SGP4's own secular
model (J2, J2^2, J4), which puts the node alignments where SGP4 does; catalog orbits (no
node) get the textbook first-order J2 rate and no dates.

A comparison of an orbit with itself (or with an orbit whose node drifts at the same rate)
is not an error: the plane angle is constant, and the cycle and the alignment dates are
blank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits.results import Result, quantity, value

from . import PairResult

__all__ = ["OrbitPairComparison", "OrbitSummary", "compare_orbits"]

_KMS = u.km / u.s
#: Relative node drift below which the two nodes are taken to keep their distance (deg/day;
#: a cycle of more than a million years).
SAME_RATE = 1e-9 * u.deg / u.day


@dataclass(frozen=True, repr=False)
class OrbitSummary(Result):
    """One orbit of an :class:`OrbitPairComparison`."""

    name: str = value("name")
    inclination: u.Quantity = quantity("inclination", "deg", fmt=".2f")
    altitude: u.Quantity = quantity("mean altitude", "km", fmt=".1f")
    speed: u.Quantity = quantity("circular speed", "km/s", fmt=".3f")
    node_rate: u.Quantity = quantity("node drift (J2)", "deg/d", fmt=".3f")
    raan: u.Quantity = quantity("node at the common epoch", "deg", fmt=".2f", default=None)
    plane_change_dv: u.Quantity = quantity("Δv, smallest angle, at this speed", "km/s",
                                           fmt=".3f", default=None)

    def summary(self) -> str:
        return (f"{self.name}: {self.inclination.to_value(u.deg):.2f}°, "
                f"{self.altitude.to_value(u.km):.0f} km")


@dataclass(frozen=True, repr=False)
class OrbitPairComparison(PairResult):
    """Two Earth orbits: plane-angle range over the node cycle and plane-change Δv.

    ``first`` and ``second`` (:class:`OrbitSummary`) describe each orbit; the other fields the
    pair. Dates (``epoch``, ``next_alignment``, ``next_opposition``) and the angle at the
    epoch need both nodes (TLEs); ``node_cycle`` and the dates are None when the nodes drift
    at the same rate.
    """

    first: OrbitSummary
    second: OrbitSummary
    min_plane_angle: u.Quantity = quantity("smallest plane angle", "deg", fmt=".2f")
    max_plane_angle: u.Quantity = quantity("largest plane angle", "deg", fmt=".2f")
    relative_node_drift: u.Quantity = quantity("relative node drift", "deg/d", fmt=".4f")
    node_cycle: u.Quantity = quantity("node cycle", "d", fmt=".1f", default=None)
    lower_orbit: str = value("lower (faster) orbit", default="")
    plane_change_dv: u.Quantity = quantity("plane-change Δv, smallest angle", "km/s",
                                           fmt=".3f", default=None)
    plane_change_dv_max: u.Quantity = quantity("plane-change Δv, largest angle", "km/s",
                                               fmt=".3f", default=None)
    epoch: Time = value("common epoch", fmt="minute", default=None)
    plane_angle_at_epoch: u.Quantity = quantity("plane angle at the epoch", "deg", fmt=".2f",
                                                default=None)
    plane_change_dv_at_epoch: u.Quantity = quantity("plane-change Δv at the epoch", "km/s",
                                                    fmt=".3f", default=None)
    next_alignment: Time = value("next node alignment", fmt="minute", default=None)
    next_opposition: Time = value("next node opposition", fmt="minute", default=None)

    title = "Two Earth orbits"

    def summary(self) -> str:
        lo, hi = self.min_plane_angle.to_value(u.deg), self.max_plane_angle.to_value(u.deg)
        text = f"{self.first.name} vs {self.second.name}: {lo:.2f}°–{hi:.2f}°"
        if self.node_cycle is not None:
            text += f", cycle {self.node_cycle.to_value(u.day):.1f} d"
        return text


def _circular_speed(a):
    from orbits.bodies import Earth

    return np.sqrt(Earth.k / a).to(_KMS)


def compare_orbits(s1, s2, *, catalog=None) -> OrbitPairComparison:
    """Compare two Earth-orbit subjects (:class:`missions.subjects.Subject`)."""
    import orbits
    from orbits.bodies import Earth

    e1, e2 = s1.elements, s2.elements
    i1, i2 = e1["inc"].to(u.deg), e2["inc"].to(u.deg)
    second = s1.tle is not None and s2.tle is not None
    rates = [orbits.nodal_precession_rate(e["a"], u.Quantity(e["ecc"], u.one), e["inc"],
                                          second_order=second) for e in (e1, e2)]
    rate = (rates[0] - rates[1]).to(u.deg / u.day)
    same_rate = abs(rate) < SAME_RATE
    both_nodes = s1.has_node and s2.has_node
    lower = s1 if e1["a"] <= e2["a"] else s2
    v_lower = _circular_speed(lower.elements["a"])

    lo = abs(i1 - i2)
    hi = orbits.plane_angle(i1, 0 * u.deg, i2, 180 * u.deg)
    notes = []
    epoch = now = nodes = None
    if both_nodes:
        epoch = max(e1["epoch"], e2["epoch"])
        hist = orbits.plane_angle_history(e1, e2, Time([epoch]), second_order=second)
        now = hist.plane_angle[0].to(u.deg)
        nodes = (hist.raan1[0], hist.raan2[0])
    if same_rate:
        if now is not None:
            lo = hi = now
            notes.append("the two nodes drift at the same rate, so the plane angle stays at its "
                         "value at the epoch: no node cycle, no alignment dates")
        else:
            notes.append("the two nodes drift at the same rate, so the plane angle keeps its "
                         "(unknown: no node in the catalog) value between the two bounds")
    al = None
    if both_nodes and not same_rate:
        al = orbits.plane_alignments(e1, e2, count=1, second_order=second)

    def side(s, node_rate, node):
        v = _circular_speed(s.elements["a"])
        return OrbitSummary(
            name=s.name,
            inclination=s.elements["inc"].to(u.deg),
            altitude=(s.elements["a"] - Earth.R).to(u.km),
            speed=v,
            node_rate=node_rate,
            raan=node,
            plane_change_dv=orbits.plane_change_dv(v, lo),
        )

    model = ("SGP4's secular J2, J2^2 and J4 node rates (both orbits from TLEs)" if second
             else "first-order J2 node rates")
    notes[:0] = [
        f"plane angle between |i1 - i2| (nodes aligned) and i1 + i2 (nodes opposed); {model}",
        (f"plane-change Δv = 2 v sin(angle/2) at the circular speed of the lower orbit "
         f"({lower.name}), and per orbit at its own speed"),
    ]
    inputs = tuple(s.input_set(epoch) for s in ((s1,) if s1.name == s2.name else (s1, s2)))
    return OrbitPairComparison(
        first=side(s1, rates[0], None if nodes is None else nodes[0].to(u.deg)),
        second=side(s2, rates[1], None if nodes is None else nodes[1].to(u.deg)),
        min_plane_angle=lo.to(u.deg),
        max_plane_angle=hi.to(u.deg),
        relative_node_drift=rate,
        node_cycle=None if same_rate else (360 * u.deg / abs(rate)).to(u.day),
        lower_orbit=lower.name,
        plane_change_dv=orbits.plane_change_dv(v_lower, lo),
        plane_change_dv_max=orbits.plane_change_dv(v_lower, hi),
        epoch=epoch,
        plane_angle_at_epoch=now,
        plane_change_dv_at_epoch=None if now is None else orbits.plane_change_dv(v_lower, now),
        next_alignment=None if al is None else al.aligned[0],
        next_opposition=None if al is None else al.opposed[0],
        notes=tuple(notes),
        inputs=inputs,
    )
