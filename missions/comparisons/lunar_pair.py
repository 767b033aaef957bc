"""Two lunar missions compared: :func:`compare_lunar`.

Their lunar orbits, the plane angle between them and what it costs, and each one's Earth-Moon
budget.

The plane angle between two lunar orbits of inclinations ``i1``, ``i2`` (to the lunar equator)
swings between ``|i1 - i2|`` (nodes aligned) and ``i1 + i2`` (nodes opposed, folded into
0-180 deg) as the Moon's J2 moves the nodes at different rates; the catalog gives no nodes,
so the whole range is reported. The plane change costs ``2 v sin(theta / 2)`` at the circular
speed of the lower orbit's mean radius. Each mission's TLI/LOI budget is
:func:`missions.lunar_profiles.transfer_budget` (its own site, transfer time and the DE421
Moon at its launch date where the catalog dates it; assumptions listed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u

from orbits.errors import ArgumentError, ArgumentTypeError
from orbits.results import InputSet, Result, quantity, value

__all__ = ["LUNAR_TARGETS", "LunarPairComparison", "compare_lunar"]

#: Targets a lunar comparison accepts.
LUNAR_TARGETS = ("Moon", "Earth-Moon L2")

_KMS = u.km / u.s
_RATE = u.deg / u.day


@dataclass(frozen=True, repr=False)
class LunarPairComparison(Result):
    """Two lunar missions side by side.

    Plane fields are None when either mission has no lunar orbit in the catalog (then ``notes`` says
    which); ``budget_a``/``budget_b`` are the full :class:`missions.lunar_profiles.TransferProfile`
    of each.
    """

    name_a: str = value("mission A")
    name_b: str = value("mission B")
    lunar_orbit_a: str = value("lunar orbit A")
    lunar_orbit_b: str = value("lunar orbit B")
    inclination_a: u.Quantity | None = quantity("lunar inclination A", "deg", fmt=".2f")
    inclination_b: u.Quantity | None = quantity("lunar inclination B", "deg", fmt=".2f")
    min_plane_angle: u.Quantity | None = quantity("smallest plane angle", "deg", fmt=".2f")
    max_plane_angle: u.Quantity | None = quantity("largest plane angle", "deg", fmt=".2f")
    lower_orbit: str | None = value("lower lunar orbit")
    lower_orbit_speed: u.Quantity | None = quantity("circular speed there", "km / s", fmt=".4f")
    plane_change_dv: u.Quantity | None = quantity(
        "plane change at smallest angle", "km / s", fmt=".3f"
    )
    plane_change_dv_max: u.Quantity | None = quantity(
        "plane change at largest angle", "km / s", fmt=".3f"
    )
    relative_node_drift: u.Quantity | None = quantity(
        "relative node drift (J2)", "deg / d", fmt=".4f"
    )
    node_cycle: u.Quantity | None = quantity("node cycle", "day", fmt=".1f")
    same_orbit_possible: bool | None = value("same plane reachable (< 1 deg)")
    launch_site_a: str = value("launch site A")
    launch_site_b: str = value("launch site B")
    parking_inclination_a: u.Quantity = quantity("parking inclination A", "deg", fmt=".2f")
    parking_inclination_b: u.Quantity = quantity("parking inclination B", "deg", fmt=".2f")
    tof_a: u.Quantity = quantity("time of flight A", "day", fmt=".2f")
    tof_b: u.Quantity = quantity("time of flight B", "day", fmt=".2f")
    moon_model_a: str = value("Moon model A")
    moon_model_b: str = value("Moon model B")
    tli_dv_a: u.Quantity = quantity("TLI Δv A", "km / s", fmt=".3f")
    tli_dv_b: u.Quantity = quantity("TLI Δv B", "km / s", fmt=".3f")
    loi_dv_a: u.Quantity | None = quantity("LOI Δv A", "km / s", fmt=".3f")
    loi_dv_b: u.Quantity | None = quantity("LOI Δv B", "km / s", fmt=".3f")
    total_dv_a: u.Quantity = quantity("TLI + LOI Δv A", "km / s", fmt=".3f")
    total_dv_b: u.Quantity = quantity("TLI + LOI Δv B", "km / s", fmt=".3f")
    budget_a: object = None
    budget_b: object = None

    title = "Two lunar missions"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if self.min_plane_angle is None:
            planes = "no plane angle (lunar orbit unknown)"
        else:
            lo, hi = self.min_plane_angle.to_value(u.deg), self.max_plane_angle.to_value(u.deg)
            planes = f"{lo:.2f}°" if abs(hi - lo) < 5e-3 else f"{lo:.2f}°–{hi:.2f}°"
        return (
            f"{self.name_a} vs {self.name_b}: {planes}, TLI + LOI "
            f"{self.total_dv_a.to_value(_KMS):.3f} / {self.total_dv_b.to_value(_KMS):.3f} km/s"
        )


def _record(x, cat):
    from missions.records import Mission

    rec = getattr(x, "record", x)  # a comparison Subject carries its record
    if isinstance(rec, str):
        rec = cat.mission(rec)
    if not isinstance(rec, Mission):
        raise ArgumentTypeError(
            f"compare_lunar takes two catalog missions (names or records), got {type(rec).__name__}"
        )
    if rec.target not in LUNAR_TARGETS:
        raise ArgumentError(
            f"{rec.name!r} targets {rec.target!r}: compare_lunar takes two missions whose "
            f"target is one of {LUNAR_TARGETS}"
        )
    return rec


def _orbit_text(orbit) -> str:
    if orbit is None:
        return "none in catalog"
    hp, ha = orbit.periapsis.to_value(u.km), max(orbit.apoapsis, orbit.periapsis).to_value(u.km)
    size = f"{hp:g} km circular" if abs(ha - hp) < 1 else f"{hp:g} x {ha:g} km"
    return f"{size}, i {orbit.inclination.to_value(u.deg):g} deg"


def compare_lunar(record_a, record_b, catalog=None) -> LunarPairComparison:
    """Compare two lunar missions (catalog records or names).

    Parameters
    ----------
    record_a, record_b : missions.records.Mission or str
        Missions whose target is the Moon or Earth-Moon L2 (a comparison subject carrying a
        ``record`` is accepted too).
    catalog : missions.Catalog, optional
        Default: the built-in catalog (needed for the launch sites).

    Returns
    -------
    LunarPairComparison
        Comparing a mission with itself gives the trivial answer: one plane, 0 deg, no
        plane change, no drift.
    """
    import orbits
    from orbits.core.constants import GM_MOON, R_MOON
    from orbits.lunar import lunar_plane_drift

    from ..lunar_profiles import _catalog, transfer_budget

    cat = _catalog(catalog)
    ra, rb = _record(record_a, cat), _record(record_b, cat)
    pa, pb = transfer_budget(ra, cat), transfer_budget(rb, cat)
    o1, o2 = ra.orbit("Moon"), rb.orbit("Moon")
    same = ra.key == rb.key
    notes = [
        "TLI and LOI: patched conic (orbits.tli_budget via missions.lunar_profiles) from a 200 km "
        "parking orbit at the launch site's parking inclination, the catalog transfer time and "
        "the DE421 Moon at the launch date where the catalog dates it",
    ]
    for rec, p in ((ra, pa), (rb, pb)):
        if p.assumptions:
            notes.append(f"{rec.name}: " + "; ".join(p.assumptions))
    plane: dict = {
        "min_plane_angle": None,
        "max_plane_angle": None,
        "lower_orbit": None,
        "lower_orbit_speed": None,
        "plane_change_dv": None,
        "plane_change_dv_max": None,
        "relative_node_drift": None,
        "node_cycle": None,
        "same_orbit_possible": None,
    }
    if same:
        zero = 0.0 * u.deg
        plane.update(
            min_plane_angle=zero,
            max_plane_angle=zero,
            plane_change_dv=0.0 * _KMS,
            plane_change_dv_max=0.0 * _KMS,
            relative_node_drift=0.0 * _RATE,
            same_orbit_possible=True,
            lower_orbit=ra.name,
        )
        if o1 is not None:
            a1 = R_MOON * u.km + (o1.periapsis + max(o1.apoapsis, o1.periapsis)) / 2
            plane["lower_orbit_speed"] = np.sqrt(GM_MOON * u.km**3 / u.s**2 / a1).to(_KMS)
        notes.append(f"{ra.name} compared with itself: one orbit, no plane angle, no plane change")
    elif o1 is not None and o2 is not None:
        i1, i2 = o1.inclination.to(u.deg), o2.inclination.to(u.deg)
        lo = abs(i1 - i2)
        hi = orbits.plane_angle(i1, 0 * u.deg, i2, 180 * u.deg).to(u.deg)
        hp1, ha1 = o1.periapsis, max(o1.apoapsis, o1.periapsis)
        hp2, ha2 = o2.periapsis, max(o2.apoapsis, o2.periapsis)
        a1 = R_MOON * u.km + (hp1 + ha1) / 2
        a2 = R_MOON * u.km + (hp2 + ha2) / 2
        lower = ra if a1 <= a2 else rb
        v = np.sqrt(GM_MOON * u.km**3 / u.s**2 / min(a1, a2)).to(_KMS)
        d1 = lunar_plane_drift(hp1, ha1, inclination=i1).node_rate
        d2 = lunar_plane_drift(hp2, ha2, inclination=i2).node_rate
        rate = (d1 - d2).to(_RATE)
        plane.update(
            min_plane_angle=lo,
            max_plane_angle=hi,
            lower_orbit=lower.name,
            lower_orbit_speed=v,
            plane_change_dv=orbits.plane_change_dv(v, lo).to(_KMS),
            plane_change_dv_max=orbits.plane_change_dv(v, hi).to(_KMS),
            relative_node_drift=rate,
            node_cycle=(360 * u.deg / abs(rate)).to(u.day) if abs(rate.value) > 1e-12 else None,
            same_orbit_possible=bool(lo < 1 * u.deg),
        )
        notes.append(
            "lunar plane angle between |i1 - i2| and i1 + i2 (nodes unknown; the Moon's J2 moves "
            "them, first-order rates of orbits.lunar_plane_drift); plane-change dv at the circular "
            "speed of the lower lunar orbit's mean radius"
        )
    else:
        missing = [r.name for r, o in ((ra, o1), (rb, o2)) if o is None]
        notes.append(f"no lunar orbit in the catalog for {', '.join(missing)}: no plane angle")
    inputs = tuple(dict.fromkeys((*pa.inputs, *pb.inputs))) + tuple(
        InputSet("catalog", r.name, source=", ".join(r.sources[:3]))
        for r in ((ra,) if same else (ra, rb))
    )
    return LunarPairComparison(
        name_a=ra.name,
        name_b=rb.name,
        lunar_orbit_a=_orbit_text(o1),
        lunar_orbit_b=_orbit_text(o2),
        inclination_a=None if o1 is None else o1.inclination.to(u.deg),
        inclination_b=None if o2 is None else o2.inclination.to(u.deg),
        launch_site_a=pa.launch_site,
        launch_site_b=pb.launch_site,
        parking_inclination_a=pa.parking_inclination,
        parking_inclination_b=pb.parking_inclination,
        tof_a=pa.tof,
        tof_b=pb.tof,
        moon_model_a=pa.moon_model,
        moon_model_b=pb.moon_model,
        tli_dv_a=pa.tli_dv,
        tli_dv_b=pb.tli_dv,
        loi_dv_a=pa.loi_dv,
        loi_dv_b=pb.loi_dv,
        total_dv_a=pa.total_dv,
        total_dv_b=pb.total_dv,
        budget_a=pa,
        budget_b=pb,
        notes=tuple(notes),
        inputs=inputs,
        **plane,
    )
