"""What each launcher puts on a lunar trajectory, from published figures only.

The figures live in ``orbits/data/launchers.toml``, one entry per published point with its
source: a *capability* (a published maximum, to an Earth-Moon transfer orbit "TLI" or at a
stated C3) or a *flown* mass (a mission's mass: a lower bound, never used as the capability).
No curve is invented: :func:`payload_to` interpolates only between published C3 points of one
vehicle, refuses a C3 outside them, and raises :class:`~orbits.errors.NotFoundError` that says
so when nothing is published.

>>> from orbits.launchers import payload_to
>>> payload_to("Long March 5").mass
<Quantity 8000. kg>
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import tomllib
from dataclasses import dataclass

import numpy as np
from astropy import units as u

from orbits._validation import as_value, describe_value
from orbits.errors import ArgumentError, ArgumentTypeError, DataFileError, NotFoundError
from orbits.results import Result, TableResult, column, quantity, value

__all__ = ["LauncherCapability", "LauncherPayload", "launcher_capabilities", "payload_to"]

_C3 = u.km**2 / u.s**2


@dataclass(frozen=True)
class _Point:
    kind: str
    target: str
    mass: float
    site: str
    source: str
    c3: float | None = None
    note: str = ""


@dataclass(frozen=True)
class _Vehicle:
    key: str
    name: str
    aliases: tuple[str, ...]
    points: tuple[_Point, ...]
    unpublished: str = ""


def _norm(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


@functools.lru_cache(maxsize=1)
def _vehicles() -> dict[str, _Vehicle]:
    path = importlib.resources.files("orbits") / "data" / "launchers.toml"
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"cannot read the launcher table {path}: {exc}") from None
    out = {}
    for v in doc.get("vehicle", []):
        pts = []
        for p in v.get("point", []):
            if p["kind"] not in ("capability", "flown") or p["target"] not in ("TLI", "C3"):
                raise DataFileError(f"{path}: vehicle {v['key']!r} has a point with kind "
                                    f"{p['kind']!r} / target {p['target']!r}")
            if p["target"] == "C3" and "c3" not in p:
                raise DataFileError(f"{path}: vehicle {v['key']!r}: a C3 point needs c3")
            pts.append(_Point(p["kind"], p["target"], float(p["mass"]), p.get("site", ""),
                              p["source"], p.get("c3"), p.get("note", "")))
        out[v["key"]] = _Vehicle(v["key"], v["name"], tuple(v.get("aliases", ())), tuple(pts),
                                 v.get("unpublished", ""))
    return out


def _find(vehicle) -> _Vehicle:
    if not isinstance(vehicle, str):
        key = getattr(vehicle, "key", None)  # a catalog LaunchVehicle record
        if not isinstance(key, str):
            raise ArgumentTypeError(f"vehicle must be a launcher name (str) or a catalog "
                                    f"vehicle record, got {describe_value(vehicle)}")
        vehicle = key
    table = _vehicles()
    names = {}
    for v in table.values():
        for n in (v.key, v.name, *v.aliases):
            names[_norm(n)] = v
    hit = names.get(_norm(vehicle))
    if hit is None:
        close = difflib.get_close_matches(_norm(vehicle), list(names), n=1, cutoff=0.6)
        hint = f"; did you mean {names[close[0]].name!r}?" if close else ""
        raise NotFoundError(f"vehicle {vehicle!r} is not in the launcher table; known: "
                            f"{', '.join(v.name for v in table.values())}{hint}")
    return hit


@dataclass(frozen=True, repr=False)
class LauncherPayload(Result):
    """The published mass a launcher puts on a lunar (or given-C3) trajectory."""

    vehicle: str = value("vehicle")
    mass: u.Quantity = quantity("payload", "kg", fmt=".0f")
    target: str = value("to")
    c3: u.Quantity | None = quantity("C3", "km2 / s2", fmt=".2f", default=None)
    site: str = value("from", default="")
    interpolated: bool = value("interpolated between published points", default=False)
    source: str = value("source", default="")

    title = "Launcher payload to a lunar trajectory"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        at = f" at C3 {self.c3.to_value(_C3):.2f} km2/s2" if self.c3 is not None else ""
        return f"{self.vehicle}: {self.mass.to_value(u.kg):,.0f} kg to {self.target}{at}"


def payload_to(vehicle, *, c3=None) -> LauncherPayload:
    """Return the published payload of ``vehicle`` to an Earth-Moon transfer orbit, or at ``c3``.

    Parameters
    ----------
    vehicle : str (name, key or alias, e.g. "Long March 5", "LM-3B") or a catalog vehicle
    c3 : Quantity (km^2/s^2), optional
        Without it: the published "to Earth-Moon transfer orbit" capability (or, if the vehicle
        publishes only C3 points, none -> NotFoundError). With it: the published C3 point, or
        linear interpolation between two published C3 points of this vehicle.

    Raises
    ------
    NotFoundError
        Unknown vehicle (with the closest name), or nothing published for this question (the
        message says what is published, e.g. only a flown mission mass).
    ArgumentError
        ``c3`` outside the vehicle's published C3 range.
    """
    v = _find(vehicle)
    caps = [p for p in v.points if p.kind == "capability"]
    flown = [p for p in v.points if p.kind == "flown"]
    flown_txt = ("; flown (a lower bound, not a capability): " + ", ".join(
        f"{p.mass:,.0f} kg ({p.source.split(' (')[0]})" for p in flown)) if flown else ""
    if c3 is None:
        tli = [p for p in caps if p.target == "TLI"]
        if not tli:
            why = v.unpublished or "no payload-to-TLI capability is published in the table"
            c3s = [p for p in caps if p.target == "C3"]
            also = (f"; published at C3 = {', '.join(f'{p.c3:g}' for p in c3s)} km2/s2: ask "
                    f"payload_to(..., c3=...)") if c3s else ""
            raise NotFoundError(f"{v.name}: {why}{also}{flown_txt}")
        p = tli[0]
        return LauncherPayload(vehicle=v.name, mass=p.mass * u.kg, target="Earth-Moon transfer "
                               "orbit (TLI)", site=p.site, source=p.source,
                               notes=(p.note,) if p.note else ())
    x = as_value(c3, _C3, "c3", min=-20.0, max=200.0)
    if np.ndim(x):
        raise ArgumentError(f"c3 must be a single value, got shape {np.shape(x)}")
    pts = sorted((p for p in caps if p.target == "C3"), key=lambda p: p.c3)
    if not pts:
        why = v.unpublished or "no payload-versus-C3 figure is published in the table"
        raise NotFoundError(f"{v.name}: {why}{flown_txt}")
    cs = np.array([p.c3 for p in pts])
    if not cs[0] - 1e-9 <= x <= cs[-1] + 1e-9:
        rng = f"{cs[0]:g}" if cs.size == 1 else f"[{cs[0]:g}, {cs[-1]:g}]"
        raise ArgumentError(f"c3 = {x:g} km2/s2 is outside the published C3 of {v.name} "
                            f"({rng} km2/s2); no figure is invented outside it")
    k = int(np.searchsorted(cs, x - 1e-9))
    k = min(k, cs.size - 1)
    if abs(cs[k] - x) <= 1e-9:
        p = pts[k]
        return LauncherPayload(vehicle=v.name, mass=p.mass * u.kg, target="C3", c3=x * _C3,
                               site=p.site, source=p.source, notes=(p.note,) if p.note else ())
    lo, hi = pts[k - 1], pts[k]
    f = (x - lo.c3) / (hi.c3 - lo.c3)
    m = lo.mass + f * (hi.mass - lo.mass)
    return LauncherPayload(vehicle=v.name, mass=m * u.kg, target="C3", c3=x * _C3,
                           site=lo.site, interpolated=True, source=f"{lo.source}; {hi.source}",
                           notes=("linear between the two published points",))


@dataclass(frozen=True, repr=False)
class LauncherCapability(TableResult):
    """Every published point of the launcher table (:func:`launcher_capabilities`)."""

    vehicle: np.ndarray = column("vehicle")
    kind: np.ndarray = column("kind")
    target: np.ndarray = column("to")
    c3: u.Quantity = column("C3", "km2 / s2", fmt=".1f")
    mass: u.Quantity = column("payload", "kg", fmt=".0f")
    site: np.ndarray = column("from")
    source: np.ndarray = column("source")

    title = "What each launcher puts on a lunar trajectory"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        n_cap = int(np.sum(self.kind == "capability"))
        return (f"{len(set(self.vehicle.tolist()))} vehicles, {n_cap} published capabilities, "
                f"{int(np.sum(self.kind == 'flown'))} flown masses, "
                f"{int(np.sum(self.kind == 'none published'))} with nothing published")


def launcher_capabilities() -> LauncherCapability:
    """List, per vehicle, what is published: capabilities, flown masses, or nothing.

    A vehicle with nothing published gets one row of kind ``"none published"`` whose source
    column says what was searched.
    """
    rows = []
    for v in _vehicles().values():
        for p in v.points:
            rows.append((v.name, p.kind, p.target, np.nan if p.c3 is None else p.c3, p.mass,
                         p.site, p.source))
        if not any(p.kind == "capability" for p in v.points):
            rows.append((v.name, "none published", "TLI / C3", np.nan, np.nan, "",
                         v.unpublished))
    cols = list(zip(*rows))
    return LauncherCapability(
        vehicle=np.array(cols[0]), kind=np.array(cols[1]), target=np.array(cols[2]),
        c3=np.array(cols[3], dtype=float) * _C3, mass=np.array(cols[4], dtype=float) * u.kg,
        site=np.array(cols[5]), source=np.array(cols[6]),
        notes=("published figures only (orbits/data/launchers.toml); 'flown' is a mission's "
               "mass, a lower bound of the capability; blank C3: the source gives none",),
    )
