"""The mission catalog: loading, cross-checking, looking up and tabulating records."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import records as r
from .schema import CatalogError, dump_records, parse_file

__all__ = ["Catalog", "CatalogError", "builtin_files", "load_catalog", "normalize_name", "save_records"]

_PUNCT = re.compile(r"[\s\-_'\u2019\u2018`\".,:;()/\u00b7\u2010-\u2015]+")


def normalize_name(name: str) -> str:
    """Lookup key: case-, space- and punctuation-insensitive ("Chang'e 5" == "change-5")."""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return _PUNCT.sub("", text)


def builtin_files() -> list[Path]:
    """The catalog files shipped in ``missions/data``, in load order."""
    data = resources.files("missions") / "data"
    return sorted(Path(str(p)) for p in data.iterdir() if p.name.endswith(".toml"))


@dataclass
class _Index:
    by_name: dict[str, object] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)

    def add(self, rec, names, origin):
        for n in names:
            key = normalize_name(n)
            if not key:
                continue
            other = self.by_name.get(key)
            if other is not None and other is not rec:
                raise CatalogError(
                    origin[0], origin[1], "aliases",
                    f"name {n!r} is already used by {getattr(other, 'name', other)!r}",
                )
            self.by_name[key] = rec
            self.display.setdefault(key, n)


class Catalog:
    """Missions, launch sites, launch vehicles and the sources they cite.

    ``cat["CE-5"]`` finds a mission, site or vehicle by name, key or alias, ignoring case,
    spaces and punctuation; ``cat.mission``, ``cat.site`` and ``cat.vehicle`` look in one kind
    only. Unknown names raise ``KeyError`` listing the closest names.
    """

    def __init__(self, records, origins=None):
        origins = origins or {}
        self.sources: dict[str, r.Source] = {}
        self.missions: tuple[r.Mission, ...]
        self.sites: tuple[r.LaunchSite, ...]
        self.vehicles: tuple[r.LaunchVehicle, ...]
        missions, sites, vehicles = [], [], []
        self._origin = {}
        for rec in records:
            origin = origins.get(id(rec), ("<records>", f"'{getattr(rec, 'key', '?')}'"))
            self._origin[id(rec)] = origin
            if isinstance(rec, r.Source):
                if rec.key in self.sources:
                    raise CatalogError(origin[0], origin[1], "key", f"duplicate source key {rec.key!r}")
                self.sources[rec.key] = rec
            elif isinstance(rec, r.Mission):
                missions.append(rec)
            elif isinstance(rec, r.LaunchSite):
                sites.append(rec)
            elif isinstance(rec, r.LaunchVehicle):
                vehicles.append(rec)
            else:
                raise TypeError(f"records must be catalog records, got {type(rec).__name__}")
        self.missions, self.sites, self.vehicles = tuple(missions), tuple(sites), tuple(vehicles)
        self._indexes = {"mission": _Index(), "site": _Index(), "vehicle": _Index()}
        self._all = _Index()
        for kind, recs in (("mission", missions), ("site", sites), ("vehicle", vehicles)):
            for rec in recs:
                names = (rec.name, rec.key, *rec.aliases)  # name first: suggestions show it
                self._indexes[kind].add(rec, names, self._origin[id(rec)])
                self._all.add(rec, names, self._origin[id(rec)])
        self._check_references()

    # -- validation -----------------------------------------------------------------------
    def _check_references(self):
        for rec in (*self.missions, *self.sites, *self.vehicles):
            file, label = self._origin[id(rec)]
            for key in sorted(rec.source_keys()):
                if key not in self.sources:
                    raise CatalogError(
                        file, label, "source",
                        f"unknown source {key!r}" + _closest(key, list(self.sources)),
                    )
            if isinstance(rec, r.Mission):
                if rec.launch is not None:
                    if rec.launch.site and normalize_name(rec.launch.site) not in self._indexes["site"].by_name:
                        raise CatalogError(
                            file, label, "launch.site",
                            f"unknown launch site {rec.launch.site!r}" + self._suggest("site", rec.launch.site),
                        )
                    for fname in ("vehicle", "upper_stage"):
                        v = getattr(rec.launch, fname)
                        if v and normalize_name(v) not in self._indexes["vehicle"].by_name:
                            raise CatalogError(
                                file, label, f"launch.{fname}",
                                f"unknown launch vehicle {v!r}" + self._suggest("vehicle", v),
                            )
                for rel in rec.related:
                    if normalize_name(rel) not in self._indexes["mission"].by_name:
                        raise CatalogError(
                            file, label, "related",
                            f"unknown mission {rel!r}" + self._suggest("mission", rel),
                        )
                for o in rec.orbits:
                    if o.apoapsis < o.periapsis:
                        raise CatalogError(
                            file, label, "orbits",
                            f"apoapsis {o.apoapsis} is below periapsis {o.periapsis}",
                        )
            if isinstance(rec, r.LaunchVehicle):
                for p in rec.payloads:
                    if p.site and normalize_name(p.site) not in self._indexes["site"].by_name:
                        raise CatalogError(
                            file, label, "payloads.site",
                            f"unknown launch site {p.site!r}" + self._suggest("site", p.site),
                        )

    # -- lookup ----------------------------------------------------------------------------
    def _suggest(self, kind, name) -> str:
        index = self._indexes[kind] if kind else self._all
        return _closest(normalize_name(name), list(index.by_name), index.display)

    def _get(self, kind, name):
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {name!r} of type {type(name).__name__}")
        index = self._indexes[kind] if kind else self._all
        try:
            return index.by_name[normalize_name(name)]
        except KeyError:
            what = kind or "mission, site or vehicle"
            raise KeyError(f"no {what} named {name!r}" + self._suggest(kind, name)) from None

    def __getitem__(self, name: str):
        return self._get(None, name)

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and normalize_name(name) in self._all.by_name

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def mission(self, name: str) -> r.Mission:
        return self._get("mission", name)

    def site(self, name: str) -> r.LaunchSite:
        return self._get("site", name)

    def vehicle(self, name: str) -> r.LaunchVehicle:
        return self._get("vehicle", name)

    def source(self, key: str) -> r.Source:
        try:
            return self.sources[key]
        except KeyError:
            raise KeyError(f"no source {key!r}" + _closest(key, list(self.sources))) from None

    def cite(self, key: str) -> str:
        return self.source(key).cite()

    def __iter__(self):
        return iter(self.missions)

    def __len__(self) -> int:
        return len(self.missions)

    def __repr__(self) -> str:
        return (
            f"<Catalog: {len(self.missions)} missions, {len(self.sites)} launch sites, "
            f"{len(self.vehicles)} vehicles, {len(self.sources)} sources>"
        )

    # -- filters ---------------------------------------------------------------------------
    def filter(self, *, agency=None, target=None, status=None, kind=None, country=None) -> list[r.Mission]:
        """Missions matching every criterion given (each a string or a collection of strings)."""
        crit = {"agency": agency, "target": target, "status": status, "kind": kind, "country": country}
        allowed = {
            "agency": sorted({m.agency for m in self.missions}),
            "target": list(r.BODIES),
            "status": list(r.STATUSES),
            "kind": list(r.KINDS),
            "country": sorted({m.country for m in self.missions}),
        }
        out = list(self.missions)
        for name, want in crit.items():
            if want is None:
                continue
            wants = {want} if isinstance(want, str) else set(want)
            norm_allowed = {normalize_name(a): a for a in allowed[name]}
            for w in wants:
                if normalize_name(w) not in norm_allowed and name not in ("agency", "country"):
                    raise ValueError(
                        f"{name}={w!r} is not allowed; choose from: {', '.join(allowed[name])}"
                        + _closest(w, allowed[name])
                    )
            keys = {normalize_name(w) for w in wants}
            out = [m for m in out if normalize_name(getattr(m, name)) in keys]
        return out

    # -- tables ----------------------------------------------------------------------------
    def to_table(self, missions=None):
        """An astropy QTable with one row per mission (masked where a value is unknown)."""
        from astropy import units as u
        from astropy.table import MaskedColumn, QTable

        ms = list(self.missions if missions is None else missions)

        def qcol(values, unit):
            import numpy as np

            data = np.array([v.to_value(unit) if v is not None else np.nan for v in values])
            return u.Quantity(data, unit)

        rows = {
            "key": [m.key for m in ms],
            "name": [m.name for m in ms],
            "agency": [m.agency for m in ms],
            "country": [m.country for m in ms],
            "kind": [m.kind for m in ms],
            "status": [m.status for m in ms],
            "target": [m.target for m in ms],
            # the launch date, or for a mission without one the latest announced plan
            "launch_date": [str(m.current_date) if m.current_date else "" for m in ms],
            "launch_site": [self.site(m.launch_site).name if m.launch_site else "" for m in ms],
            "launch_vehicle": [self.vehicle(m.launch_vehicle).name if m.launch_vehicle else "" for m in ms],
        }
        t = QTable(rows)
        orbits = [m.orbit() for m in ms]
        t["inclination"] = qcol([o.inclination if o else None for o in orbits], u.deg)
        t["periapsis"] = qcol([o.periapsis if o else None for o in orbits], u.km)
        t["apoapsis"] = qcol([o.apoapsis if o else None for o in orbits], u.km)
        t["transfer_time"] = qcol([m.transfer_time for m in ms], u.day)
        t["sources"] = MaskedColumn([len(m.source_keys()) for m in ms], description="number of sources cited")
        return t

    def sites_table(self):
        from astropy import units as u
        from astropy.table import QTable

        t = QTable(
            {
                "key": [s.key for s in self.sites],
                "name": [s.name for s in self.sites],
                "country": [s.country for s in self.sites],
                "latitude": u.Quantity([s.latitude.to(u.deg) for s in self.sites]),
                "longitude": u.Quantity([s.longitude.to(u.deg) for s in self.sites]),
            }
        )
        return t

    def records(self):
        """All records in the catalog (sources first), e.g. for :func:`save_records`."""
        return [*self.sources.values(), *self.sites, *self.vehicles, *self.missions]


def _closest(name, options, display=None) -> str:
    """'; did you mean ...?' with the closest options, transpositions ranked first."""
    target = str(name)
    scored = []
    for opt in options:
        score = difflib.SequenceMatcher(None, target, opt).ratio()
        if sorted(target) == sorted(opt):  # same letters in another order: a typo, not a neighbour
            score += 0.25
        if score >= 0.5:
            scored.append((score, opt))
    if not scored:
        return ""
    scored.sort(key=lambda so: (-so[0], so[1]))
    shown = [display.get(o, o) if display else o for _, o in scored[:4]]
    return "; did you mean " + ", ".join(repr(s) for s in dict.fromkeys(shown)) + "?"


def load_catalog(*paths, builtin: bool = True) -> Catalog:
    """Load the built-in catalog and/or the user's own TOML record files.

    Parameters
    ----------
    *paths : str or Path
        Extra catalog files (the same format as ``missions/data/*.toml``), loaded after the
        built-in files; their records may cite the built-in sources, sites and vehicles.
    builtin : bool
        Include the catalog shipped with the package (default True).
    """
    files = (builtin_files() if builtin else []) + [Path(p) for p in paths]
    records, origins = [], {}
    for f in files:
        for rec in parse_file(f):
            origins[id(rec)] = (str(f), f"{_section(rec)} '{rec.key}'")
            records.append(rec)
    return Catalog(records, origins)


def _section(rec) -> str:
    from .schema import SECTION_OF

    return SECTION_OF[type(rec)]


def save_records(path, records) -> Path:
    """Write records to a TOML file that :func:`load_catalog` reads back to equal records."""
    path = Path(path)
    path.write_text(dump_records(records), encoding="utf-8")
    return path
