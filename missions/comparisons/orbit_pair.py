"""Two Earth orbits compared: the angle between their planes and what turning it costs.

The angle between the planes swings between ``|i1 - i2|`` (nodes aligned) and ``i1 + i2``
(nodes opposed) as J2 drags the two nodes westward at different rates; one full swing takes
the node cycle ``360 deg / |dOmega1/dt - dOmega2/dt|``. The plane change costs
``2 v sin(theta/2)``, quoted at the speed of the lower (faster) orbit, the conservative
choice, and per orbit at its own speed. Two orbits from element sets drift with SGP4's own
secular model (J2, J2^2, J4) from the sets nearest the analysis date (``propagator="secular"``,
the default), or with full SGP4 (``propagator="sgp4"``, the planes from
:func:`orbits.propagation.plane_at`); catalog orbits (no node) get the textbook first-order J2
rate and no dates.

Everything dated is as of the analysis date: the plane angle on that date, and the next node
alignment and opposition after it. The secular model is the default because it predicts the
node of real ISS and Tianhe sets better than SGP4 beyond ~3 days (SGP4 extrapolates the drag
term as if the station never reboosted; ``orbits/data/history/node_error.toml``).

A comparison of an orbit with itself (or with an orbit whose node drifts at the same rate)
is not an error: the plane angle is constant, and the cycle and the alignment dates are
blank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits.errors import ArgumentError
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
    raan: u.Quantity = quantity("node on the analysis date", "deg", fmt=".2f", default=None)
    plane_change_dv: u.Quantity = quantity("Δv, smallest angle, at this speed", "km/s",
                                           fmt=".3f", default=None)

    def summary(self) -> str:
        """Return ``name: inclination, altitude``."""
        return (f"{self.name}: {self.inclination.to_value(u.deg):.2f}°, "
                f"{self.altitude.to_value(u.km):.0f} km")


@dataclass(frozen=True, repr=False)
class OrbitPairComparison(PairResult):
    """Two Earth orbits: plane-angle range over the node cycle and plane-change Δv.

    ``first`` and ``second`` (:class:`OrbitSummary`) describe each orbit; the other fields the
    pair. The angle on the analysis date (``plane_angle_now``) and the dates after it
    (``next_alignment``, ``next_opposition``) need both nodes (element sets); ``node_cycle``
    and the dates are None when the nodes drift at the same rate. ``propagator`` says how
    the planes moved from the elements' epochs.
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
    plane_angle_now: u.Quantity = quantity("plane angle on the analysis date", "deg",
                                           fmt=".2f", default=None)
    plane_change_dv_now: u.Quantity = quantity("plane-change Δv on the analysis date", "km/s",
                                               fmt=".3f", default=None)
    next_alignment: Time = value("next node alignment", fmt="minute", default=None)
    next_opposition: Time = value("next node opposition", fmt="minute", default=None)
    propagator: str = value("plane propagation", default="")

    title = "Two Earth orbits"

    # former names (the angle was once quoted at the later element epoch)
    @property
    def epoch(self):
        """The date of ``plane_angle_now``: the analysis date (None without both nodes)."""
        return None if self.plane_angle_now is None else self.analysis_date

    @property
    def plane_angle_at_epoch(self):
        """Former name of ``plane_angle_now``."""
        return self.plane_angle_now

    @property
    def plane_change_dv_at_epoch(self):
        """Former name of ``plane_change_dv_now``."""
        return self.plane_change_dv_now

    def summary(self) -> str:
        """Return the two names, the plane-angle range and the node cycle."""
        lo, hi = self.min_plane_angle.to_value(u.deg), self.max_plane_angle.to_value(u.deg)
        text = f"{self.first.name} vs {self.second.name}: {lo:.2f}°–{hi:.2f}°"
        if self.node_cycle is not None:
            text += f", cycle {self.node_cycle.to_value(u.day):.1f} d"
        return text


def _circular_speed(a):
    from orbits.bodies import Earth

    return np.sqrt(Earth.k / a).to(_KMS)


def _wrap180(x):
    return (np.asarray(x) + 180.0) % 360.0 - 180.0


def _crossing(times, d):
    """Return the first time where ``d`` (deg, wrapped to [-180, 180)) crosses zero.

    Upwards or downwards, by linear interpolation (None if none); the wrap at +-180 is not a
    crossing.
    """
    k = np.nonzero((np.sign(d[:-1]) != np.sign(d[1:])) & (np.abs(d[1:] - d[:-1]) < 90))[0]
    if not k.size:
        return None
    k = int(k[0])
    f = d[k] / (d[k] - d[k + 1])
    return times[k] + f * (times[k + 1] - times[k])


def _sgp4_events(set1, set2, start, rel_rate):
    """Find the next node alignment and opposition after ``start`` from SGP4 planes.

    The planes are orbit-averaged (:func:`orbits.propagation.plane_at`): a half-day scan over
    1.1 node cycles, then a 15-minute scan of the bracketing step. (None, None) past the
    elements' reach.
    """
    from orbits.history import MAX_AGE
    from orbits.propagation import plane_at

    cycle = 360.0 / max(abs(rel_rate.to_value(u.deg / u.day)), 1e-12)
    reach = min(s.epoch for s in (set1, set2)) + MAX_AGE - 1 * u.day
    span = min(1.1 * cycle, (reach - start).to_value(u.day))
    if span <= 1:
        return None, None
    coarse = start + np.arange(0.0, span, 0.5) * u.day
    try:
        p = plane_at([set1, set2], coarse, propagator="sgp4")
    except ArgumentError:  # SGP4 decays an orbit within the scan: shorten it to what it reaches
        ok = 0
        for k in range(1, coarse.size + 1, 8):
            try:
                plane_at([set1, set2], coarse[k - 1], propagator="sgp4")
            except ArgumentError:
                break
            ok = k
        if ok < 3:
            return None, None
        coarse = coarse[:ok]
        p = plane_at([set1, set2], coarse, propagator="sgp4")
    delta = _wrap180((p.raan[0] - p.raan[1]).to_value(u.deg))
    out = []
    for target in (0.0, 180.0):
        d = _wrap180(delta - target)
        hit = _crossing(coarse, d)
        if hit is None:
            out.append(None)
            continue
        fine = hit - 0.5 * u.day + np.linspace(0.0, 1.0, 97) * u.day
        fine = fine[fine >= start]
        pf = plane_at([set1, set2], fine, propagator="sgp4")
        hit2 = _crossing(fine, _wrap180((pf.raan[0] - pf.raan[1]).to_value(u.deg) - target))
        out.append(hit if hit2 is None else hit2)
    return out[0], out[1]


def compare_orbits(s1, s2, *, catalog=None, at=None, propagator="secular") -> OrbitPairComparison:
    """Compare two Earth-orbit subjects (:class:`missions.subjects.Subject`) as of ``at``.

    ``at`` defaults to the subjects' analysis date, else now.
    """
    import warnings

    from erfa import ErfaWarning

    from orbits.propagation import PROPAGATORS

    from ..subjects import analysis_time

    if propagator not in PROPAGATORS:
        raise ArgumentError(f"propagator must be one of {', '.join(map(repr, PROPAGATORS))}, "
                            f"got {propagator!r}")
    t = analysis_time(at) if at is not None or s1.analysis_date is None else s1.analysis_date
    with warnings.catch_warnings():  # far dates: judged by the element ages, not ERFA
        warnings.simplefilter("ignore", ErfaWarning)
        return _compare_orbits(s1, s2, t, propagator)


def _compare_orbits(s1, s2, t, propagator):
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
    use_sgp4 = propagator == "sgp4" and second
    lower = s1 if e1["a"] <= e2["a"] else s2
    v_lower = _circular_speed(lower.elements["a"])

    lo = abs(i1 - i2)
    hi = orbits.plane_angle(i1, 0 * u.deg, i2, 180 * u.deg)
    notes = []
    now = nodes = None
    if both_nodes:
        if use_sgp4:
            from orbits.propagation import plane_at

            p = plane_at([s1.tle, s2.tle], t, propagator="sgp4")
            nodes = (p.raan[0].to(u.deg), p.raan[1].to(u.deg))
            now = orbits.plane_angle(p.inc[0], nodes[0], p.inc[1], nodes[1]).to(u.deg)
        else:
            hist = orbits.plane_angle_history(e1, e2, Time([t]), second_order=second)
            now = hist.plane_angle[0].to(u.deg)
            nodes = (hist.raan1[0], hist.raan2[0])
    if same_rate:
        if now is not None:
            lo = hi = now
            notes.append("the two nodes drift at the same rate, so the plane angle stays at its "
                         "value on the analysis date: no node cycle, no alignment dates")
        else:
            notes.append("the two nodes drift at the same rate, so the plane angle keeps its "
                         "(unknown: no node in the catalog) value between the two bounds")
    aligned = opposed = None
    if both_nodes and not same_rate:
        if use_sgp4:
            aligned, opposed = _sgp4_events(s1.tle, s2.tle, t, rate)
            if aligned is None or opposed is None:
                notes.append("SGP4 from these elements does not reach the next node "
                             "alignment/opposition (decay, or 3 years from their epochs)")
        else:
            al = orbits.plane_alignments(e1, e2, start=t, count=1, second_order=second)
            aligned, opposed = al.aligned[0], al.opposed[0]

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

    model = ("SGP4's secular J2, J2^2 and J4 node rates (both orbits from element sets)"
             if second else "first-order J2 node rates")
    notes[:0] = [
        f"plane angle between |i1 - i2| (nodes aligned) and i1 + i2 (nodes opposed); {model}",
        (f"plane-change Δv = 2 v sin(angle/2) at the circular speed of the lower orbit "
         f"({lower.name}), and per orbit at its own speed"),
    ]
    if both_nodes:
        notes.append(
            "dates are as of the analysis date, from the element sets nearest it; the planes "
            + ("move with full SGP4 (orbit-averaged r x v, orbits.propagation.plane_at), which "
               "extrapolates the drag term as if the station never reboosted: beyond ~3 days "
               "the secular model predicts the node better (orbits/data/history/"
               "node_error.toml)" if use_sgp4 else
               "move with the secular J2/J2²/J4 model from each set's epoch (the default: "
               "measured on real ISS/Tianhe sets it predicts the node better than SGP4 beyond "
               "~3 days, as SGP4 extrapolates drag as if the station never reboosted; "
               "orbits/data/history/node_error.toml)"))
    pair = (s1,) if s1.name == s2.name and s1.tle is s2.tle else (s1, s2)
    inputs = tuple(s.input_set(t) for s in pair)
    warns = tuple(dict.fromkeys(w for s in (s1, s2) for w in s.warnings))
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
        plane_angle_now=now,
        plane_change_dv_now=None if now is None else orbits.plane_change_dv(v_lower, now),
        next_alignment=aligned,
        next_opposition=opposed,
        propagator=(propagator if second else "first-order J2") if both_nodes else "",
        notes=tuple(notes),
        inputs=inputs,
        analysis_date=t,
        warnings=warns,
    )
