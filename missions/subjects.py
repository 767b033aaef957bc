"""The things a comparison is about: catalog records resolved to a :class:`Subject`.

:func:`resolve` turns a name (any catalog alias, or a TLE name such as ``"ISS (ZARYA)"``) into
a :class:`Subject`: its display name (always the catalog's name when the catalog knows the
object, so "CSS", "Tiangong" and "CSS (TIANHE)" all show as "Chinese space station"), what
kind of thing it is and, for an Earth orbit, its mean elements. Station elements come from
the checked-in TLEs (``seeds/authorities/stations-2024-05-09.tle``) when the record names
them, otherwise from the catalog orbit (no node then).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from astropy import units as u

from orbits._validation import describe_value
from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError, ValidationError

__all__ = ["MAX_NAME_LENGTH", "PAIRINGS", "Subject", "resolve", "station_elements"]

#: What :func:`missions.compare` accepts, for error messages.
PAIRINGS = (
    "two Earth-orbiting missions or stations (e.g. ISS and 'Chinese space station'), "
    "a launch site and an Earth-orbiting station (e.g. Baikonur and 'Chinese space station'), "
    "or two lunar missions (e.g. Luna-25 and Chang'e-5)"
)

#: Longest name :func:`resolve` looks up (longer names fail at once, echoed cut short).
MAX_NAME_LENGTH = 200

EARTH_ORBIT, SITE, LUNAR = "earth orbit", "site", "lunar"


@dataclass(frozen=True, repr=False)
class Subject:
    """One side of a comparison.

    ``name``: the display name (the catalog's); ``kind``: ``"earth orbit"``, ``"site"`` or
    ``"lunar"``; ``record``: the catalog record (None for a TLE the catalog does not know);
    ``elements``: mean elements ``a, ecc, inc`` and, from a TLE, ``raan, argp, M, epoch``;
    ``elements_source``: where they come from; ``tle``: the :class:`orbits.tle.TLE` used.
    """

    name: str
    kind: str
    record: object = None
    elements: dict = field(default_factory=dict)
    elements_source: str = ""
    tle: object = None

    def __repr__(self) -> str:
        src = f", {self.elements_source}" if self.elements_source else ""
        return f"<Subject {self.name}: {self.kind}{src}>"

    @property
    def has_node(self) -> bool:
        """True when the elements include the node and epoch (a TLE)."""
        return "raan" in self.elements and "epoch" in self.elements

    def input_set(self, analysis_date=None):
        """The :class:`orbits.results.InputSet` describing this subject's elements."""
        from orbits.results import InputSet

        if self.tle is not None:
            epoch = self.tle.epoch
            age = (analysis_date - epoch).to(u.day) if analysis_date is not None else None
            return InputSet("elements", self.tle.name, source="stations-2024-05-09.tle",
                            epoch=epoch, age=age)
        if self.kind == SITE:
            return InputSet("catalog", self.name, source=getattr(self.record, "source", ""),
                            detail="site coordinates")
        return InputSet("catalog", self.name, source=self.elements_source,
                        detail="catalog orbit (no node)")

    def search_orbit(self) -> dict:
        """Mean elements with ``argp`` and ``M`` for :func:`orbits.station_transfer_search`
        (TLE subjects only)."""
        if self.tle is None:
            raise ArgumentError(
                f"a station transfer search needs TLE elements (node, perigee, anomaly); "
                f"{self.name} has {self.elements_source or 'none'}")
        t = self.tle
        return {"a": t.a, "ecc": t.ecc, "inc": t.inc, "raan": t.raan, "argp": t.argp,
                "M": t.mean_anomaly, "epoch": t.epoch}


def _tle_elements(t) -> dict:
    return {"a": t.a.to(u.km), "ecc": t.ecc, "inc": t.inc, "raan": t.raan, "argp": t.argp,
            "M": t.mean_anomaly, "epoch": t.epoch}


def _tle_source(t) -> str:
    return f"TLE {t.name} (epoch {t.epoch.utc.isot[:16]})"


def _station_tle(record):
    names = getattr(record, "tle_names", ()) or ()
    if not names:
        return None
    from orbits.tle import load_tles

    tles = load_tles()
    for n in names:
        if n in tles:
            return tles[n]
    return None


def station_elements(record) -> tuple[dict, str] | None:
    """Mean elements of a catalog mission from the checked-in TLE file, if it names one.

    Returns ``(elements, description)`` or None. ``elements`` has
    ``a, ecc, inc, raan, argp, M, epoch``.
    """
    t = _station_tle(record)
    return None if t is None else (_tle_elements(t), _tle_source(t))


def _catalog_orbit_elements(orbit) -> dict:
    from orbits.core.constants import R_EARTH

    rp = R_EARTH * u.km + orbit.periapsis
    ra = R_EARTH * u.km + orbit.apoapsis
    return {"a": ((rp + ra) / 2).to(u.km), "ecc": ((ra - rp) / (ra + rp)).to(u.one),
            "inc": orbit.inclination}


def _check_name(name, what="name"):
    if not isinstance(name, str):
        raise ArgumentTypeError(f"{what} must be a string, got {describe_value(name)} of type "
                                f"{type(name).__name__}")
    if not name.strip():
        raise ArgumentError(f"{what} must not be empty, got {name!r}")
    if len(name) > MAX_NAME_LENGTH:
        raise ArgumentError(f"{what} is {len(name):,} characters long, more than "
                            f"{MAX_NAME_LENGTH}: {describe_value(name, 60)}")


def _record_for_tle(cat, tle_name):
    """The catalog mission whose first TLE name is ``tle_name``, preferring a station over a
    module of it (``CSS (TIANHE)`` is the Chinese station's TLE as well as Tianhe's)."""
    hits = [m for m in getattr(cat, "missions", ())
            if tle_name in (getattr(m, "tle_names", ()) or ())]
    hits.sort(key=lambda m: (m.kind != "station", m.tle_names.index(tle_name)))
    return hits[0] if hits else None


def resolve(name: str, catalog=None) -> Subject:
    """Find ``name`` in the catalog (or, failing that, in the station TLE file) and classify it.

    Raises :class:`~orbits.errors.NotFoundError` (a ``KeyError``) with the closest catalog
    names if neither knows it, and :class:`~orbits.errors.ArgumentError` if the record cannot
    take part in a comparison (a launcher, a mission with no orbit).
    """
    from . import records as r
    from .catalog import load_catalog

    _check_name(name)
    cat = catalog if catalog is not None else load_catalog()
    from orbits.tle import load_tles

    key = name.strip().casefold()
    hit = next((t for k, t in load_tles().items() if k.strip().casefold() == key), None)
    if hit is not None:  # a TLE name: the station that flies it, by its catalog name
        rec = _record_for_tle(cat, hit.name)
        if rec is None:
            return Subject(hit.name, EARTH_ORBIT, None, _tle_elements(hit), _tle_source(hit), hit)
        return Subject(rec.name, EARTH_ORBIT, rec, _tle_elements(hit), _tle_source(hit), hit)
    try:
        rec = cat[name]
    except KeyError as exc:
        if isinstance(exc, ValidationError):
            raise
        raise NotFoundError(exc.args[0] if exc.args else f"no record named {name!r}") from None
    if isinstance(rec, r.LaunchSite):
        return Subject(rec.name, SITE, rec)
    if isinstance(rec, r.LaunchVehicle):
        raise ArgumentError(f"{name!r} is a launch vehicle ({rec.name}); compare takes {PAIRINGS}")
    if rec.target == "Moon":
        return Subject(rec.name, LUNAR, rec)
    t = _station_tle(rec)
    if t is not None:
        return Subject(rec.name, EARTH_ORBIT, rec, _tle_elements(t), _tle_source(t), t)
    orbit = rec.orbit("Earth")
    if orbit is None:
        raise ArgumentError(
            f"{name!r} ({rec.name}) has no Earth orbit in the catalog and no TLE; compare "
            f"takes {PAIRINGS}")
    src = cat.sources.get(orbit.source)
    return Subject(rec.name, EARTH_ORBIT, rec, _catalog_orbit_elements(orbit),
                   f"catalog orbit [{src.key if src else orbit.source}]")
