"""The mission catalog: loading, cross-checking, looking up and tabulating records."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError

from . import records as r
from .schema import MAX_NAME_LENGTH, CatalogError, dump_records, parse_file, short_repr

__all__ = [
    "Catalog",
    "CatalogError",
    "builtin_files",
    "load_catalog",
    "normalize_name",
    "save_records",
]

_PUNCT = re.compile(r"[\s\-_'\u2019\u2018`\".,:;()/\u00b7\u2010-\u2015]+")


def normalize_name(name: str) -> str:
    """Lookup key: case-, space- and punctuation-insensitive ("Chang'e 5" == "change-5")."""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return _PUNCT.sub("", text)


def builtin_files() -> list[Path]:
    """Return the catalog files shipped in ``missions/data``, in load order."""
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
                    origin[0],
                    origin[1],
                    "aliases",
                    f"name {n!r} is already used by {getattr(other, 'name', other)!r}",
                )
            self.by_name[key] = rec
            self.display.setdefault(key, n)


class Catalog:
    """Missions, launch sites, launch vehicles and the sources they cite.

    ``cat["CE-5"]`` finds a mission, site or vehicle by name, key or alias, ignoring case,
    spaces and punctuation; ``cat.mission``, ``cat.site`` and ``cat.vehicle`` look in one kind
    only. Unknown names raise :class:`orbits.errors.NotFoundError` (a ``KeyError``) listing
    the closest names; names longer than 200 characters are refused at once.
    ``cat.select(["Luna-25", "luna 25"])`` resolves a list of names to distinct missions;
    ``cat.filter(agency="CNSA")`` picks missions by field; ``cat.to_table()`` tabulates them.
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
            origin = origins.get(id(rec))
            if origin is None:  # built in Python, not read from a file: check it as if it were
                origin = _check_record(rec)
            self._origin[id(rec)] = origin
            if isinstance(rec, r.Source):
                if rec.key in self.sources:
                    raise CatalogError(
                        origin[0], origin[1], "key", f"duplicate source key {rec.key!r}"
                    )
                self.sources[rec.key] = rec
            elif isinstance(rec, r.Mission):
                missions.append(rec)
            elif isinstance(rec, r.LaunchSite):
                sites.append(rec)
            elif isinstance(rec, r.LaunchVehicle):
                vehicles.append(rec)
            else:
                raise ArgumentTypeError(
                    f"records must be catalog records, got {type(rec).__name__}")
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
                        file,
                        label,
                        "source",
                        f"unknown source {key!r}" + _closest(key, list(self.sources)),
                    )
            if isinstance(rec, r.Mission):
                if rec.launch is not None:
                    if (
                        rec.launch.site
                        and normalize_name(rec.launch.site) not in self._indexes["site"].by_name
                    ):
                        raise CatalogError(
                            file,
                            label,
                            "launch.site",
                            f"unknown launch site {rec.launch.site!r}"
                            + self._suggest("site", rec.launch.site),
                        )
                    for fname in ("vehicle", "upper_stage"):
                        v = getattr(rec.launch, fname)
                        if v and normalize_name(v) not in self._indexes["vehicle"].by_name:
                            raise CatalogError(
                                file,
                                label,
                                f"launch.{fname}",
                                f"unknown launch vehicle {v!r}" + self._suggest("vehicle", v),
                            )
                for rel in rec.related:
                    if normalize_name(rel) not in self._indexes["mission"].by_name:
                        raise CatalogError(
                            file,
                            label,
                            "related",
                            f"unknown mission {rel!r}" + self._suggest("mission", rel),
                        )
                for i, ph in enumerate(rec.phases):
                    for m in ph.missions:
                        if normalize_name(m) not in self._indexes["mission"].by_name:
                            raise CatalogError(
                                file,
                                label,
                                f"phases[{i}].missions",
                                f"unknown mission {m!r}" + self._suggest("mission", m),
                            )
            if isinstance(rec, r.LaunchVehicle):
                for p in rec.payloads:
                    if p.site and normalize_name(p.site) not in self._indexes["site"].by_name:
                        raise CatalogError(
                            file,
                            label,
                            "payloads.site",
                            f"unknown launch site {p.site!r}" + self._suggest("site", p.site),
                        )

    # -- lookup ----------------------------------------------------------------------------
    def _suggest(self, kind, name) -> str:
        index = self._indexes[kind] if kind else self._all
        return _closest(normalize_name(name), list(index.by_name), index.display)

    def _get(self, kind, name):
        index = self._indexes[kind] if kind else self._all
        what = kind or "mission, site or vehicle"
        key = _lookup_key(name, what)
        try:
            return index.by_name[key]
        except KeyError:
            pass
        if kind is not None:  # a name of another kind: say which, rather than guess neighbours
            for other, idx in self._indexes.items():
                if other != kind and key in idx.by_name:
                    found = idx.by_name[key]
                    noun = {"site": "launch site", "vehicle": "vehicle", "mission": "mission"}[
                        other
                    ]
                    raise NotFoundError(
                        f"no {what} named {name!r}: {found.name!r} is a {noun} "
                        f"(use cat.{other}() or cat[...])"
                    )
        raise NotFoundError(f"no {what} named {name!r}" + self._suggest(kind, name)) from None

    def __getitem__(self, name: str):
        """Return the mission, site or vehicle called ``name``."""
        return self._get(None, name)

    def __contains__(self, name) -> bool:
        """Return whether ``name`` names a record of the catalog."""
        return (
            isinstance(name, str)
            and len(name) <= MAX_NAME_LENGTH
            and normalize_name(name) in self._all.by_name
        )

    def get(self, name, default=None):
        """Return the record called ``name``, or ``default`` if there is none."""
        try:
            return self[name]
        except KeyError:
            return default

    def mission(self, name: str) -> r.Mission:
        """Return the mission called ``name``."""
        return self._get("mission", name)

    def site(self, name: str) -> r.LaunchSite:
        """Return the launch site called ``name``."""
        return self._get("site", name)

    def vehicle(self, name: str) -> r.LaunchVehicle:
        """Return the launch vehicle called ``name``."""
        return self._get("vehicle", name)

    def source(self, key: str) -> r.Source:
        """Return the source with key ``key``."""
        try:
            return self.sources[key]
        except (KeyError, TypeError):
            _lookup_key(key, "source")
            raise NotFoundError(f"no source {key!r}" + _closest(key, list(self.sources))) from None

    def cite(self, key: str) -> str:
        """Return the one-line citation of the source ``key``."""
        return self.source(key).cite()

    def __iter__(self):
        """Iterate over the missions."""
        return iter(self.missions)

    def __len__(self) -> int:
        """Return the number of missions."""
        return len(self.missions)

    def __repr__(self) -> str:
        """Return the record counts as a one-line description."""
        return f"<Catalog: {self._counts()}>"

    def _counts(self) -> str:
        return (
            f"{len(self.missions)} missions, {len(self.sites)} launch sites, "
            f"{len(self.vehicles)} vehicles, {len(self.sources)} sources"
        )

    def _repr_html_(self) -> str:
        from .describe import table_html

        return table_html(self.to_table(), caption=f"Catalog: {self._counts()}")

    # -- selections ------------------------------------------------------------------------
    def select(self, names, *, kind: str | None = "mission") -> tuple:
        """Resolve names to distinct records, in the order first named.

        Parameters
        ----------
        names : str or iterable of str or records
            Names, keys or aliases (a single string may list several, comma-separated, as
            ``report --missions`` takes them). Names that resolve to the same record
            ("Luna-25", "luna 25", "LUNA25") give it once; records pass through.
        kind : {"mission", "site", "vehicle", None}
            Where to look (None: any kind).

        Raises
        ------
        NotFoundError
            A name the catalog does not know (with the closest names).
        ArgumentError
            No names at all.
        """
        if kind not in (None, "mission", "site", "vehicle"):
            raise ArgumentError(
                f"kind={short_repr(kind)} is not allowed; choose mission, site, vehicle or None"
            )
        if isinstance(names, str):
            items = [n.strip() for n in names.split(",")]
            if len(names) > MAX_NAME_LENGTH and len(items) == 1:
                items = [names]
        else:
            try:
                items = list(names)
            except TypeError:
                raise ArgumentTypeError(
                    f"names must be a string or a list of names, got {short_repr(names)} of type "
                    f"{type(names).__name__}"
                ) from None
        out: dict[int, object] = {}
        for item in items:
            if isinstance(item, (r.Mission, r.LaunchSite, r.LaunchVehicle)):
                rec = item
            elif isinstance(item, str) and not item.strip():
                continue  # "Luna-25,,Luna-26" or a trailing comma
            else:
                rec = self._get(kind, item)
            out.setdefault(id(rec), rec)
        if not out:
            raise ArgumentError(
                f"names={short_repr(names)} names no {kind or 'record'}; give at least one name"
            )
        return tuple(out.values())

    # -- filters ---------------------------------------------------------------------------
    def filter(
        self, *, agency=None, target=None, status=None, kind=None, country=None
    ) -> list[r.Mission]:
        """Missions matching every criterion given (each a string or a collection of strings).

        Values are matched ignoring case, spaces and punctuation. A value no mission could
        have (``agency="NASAA"``) raises :class:`orbits.errors.ArgumentError` listing the
        allowed values and the closest ones, rather than returning an empty list; a valid
        combination that no mission meets returns ``[]``.
        """
        crit = {
            "agency": agency,
            "target": target,
            "status": status,
            "kind": kind,
            "country": country,
        }
        allowed = self.filter_values()
        out = list(self.missions)
        for name, want in crit.items():
            if want is None:
                continue
            if isinstance(want, str):
                wants = [want]
            else:
                try:
                    wants = list(want)
                except TypeError:
                    raise ArgumentTypeError(
                        f"{name} must be a string or a list of strings, got {short_repr(want)}"
                    ) from None
                if not wants:
                    raise ArgumentError(
                        f"{name}=[] is empty: give at least one value, or None for any {name}"
                    )
            norm_allowed = {normalize_name(a): a for a in allowed[name]}
            for w in wants:
                if not isinstance(w, str):
                    raise ArgumentTypeError(f"{name} values must be strings, got {short_repr(w)}")
                if len(w) > MAX_NAME_LENGTH or normalize_name(w) not in norm_allowed:
                    raise ArgumentError(
                        f"{name}={short_repr(w)} is not allowed; "
                        f"choose from: {', '.join(allowed[name])}"
                        + _closest(w, allowed[name])
                    )
            keys = {normalize_name(w) for w in wants}
            out = [m for m in out if normalize_name(getattr(m, name)) in keys]
        return out

    def filter_values(self) -> dict[str, list[str]]:
        """Return the values :meth:`filter` accepts for each criterion.

        Agencies are the known ones (:data:`missions.records.AGENCIES`) and any a record
        names; countries those of any mission, site or vehicle. A known value with no mission
        (``agency="NASA"``) is a valid filter that matches nothing.
        """
        recs = (*self.missions, *self.sites, *self.vehicles)
        return {
            "agency": sorted(
                {
                    *r.AGENCIES,
                    *(m.agency for m in self.missions),
                    *(v.agency for v in self.vehicles if v.agency),
                }
            ),
            "target": list(r.BODIES),
            "status": list(r.STATUSES),
            "kind": list(r.KINDS),
            "country": sorted({rec.country for rec in recs}),
        }

    # -- tables ----------------------------------------------------------------------------
    def to_table(self, missions=None, *, columns=None):
        """Return an astropy QTable with one row per mission and human column labels.

        Parameters
        ----------
        missions : iterable of Mission or names, optional
            Default: every mission in the catalog.
        columns : list of str, optional
            Which columns, by key or label (see :data:`MISSION_COLUMNS`); default all.

        Numbers are Quantity columns with units; an unknown value is NaN in the data and
        blank in the text and HTML display (and null in the CLI's JSON, blank in its CSV).
        Columns may also be picked by their key: ``t["launch_site"]`` is ``t["Launch site"]``.
        """
        from .describe import labelled_table

        ms = (
            list(self.missions)
            if missions is None
            else list(self.select(missions))
            if missions
            else []
        )
        values = {
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
            "launch_vehicle": [
                self.vehicle(m.launch_vehicle).name if m.launch_vehicle else "" for m in ms
            ],
        }
        orbits = [m.orbit() for m in ms]
        values["inclination"] = [o.inclination if o else None for o in orbits]
        values["periapsis"] = [o.periapsis if o else None for o in orbits]
        values["apoapsis"] = [o.apoapsis if o else None for o in orbits]
        values["transfer_time"] = [m.transfer_time for m in ms]
        values["sources"] = [len(m.source_keys()) for m in ms]
        values["as_of"] = [m.as_of for m in ms]
        return labelled_table(MISSION_COLUMNS, values, columns)

    def sites_table(self, *, columns=None):
        """Return an astropy QTable of the launch sites, with human column labels."""
        values = {
            "key": [s.key for s in self.sites],
            "name": [s.name for s in self.sites],
            "country": [s.country for s in self.sites],
            "latitude": [s.latitude for s in self.sites],
            "longitude": [s.longitude for s in self.sites],
        }
        from .describe import labelled_table

        return labelled_table(SITE_COLUMNS, values, columns)

    # -- programmes, partner payloads ------------------------------------------------------
    def programmes(self) -> tuple[r.Mission, ...]:
        """Return the programme records (kind "programme": the ILRS, crewed-lunar plans ...)."""
        return tuple(m for m in self.missions if m.kind == "programme")

    def phase_missions(self, programme, phase) -> tuple[r.Mission, ...]:
        """Return the catalog missions a programme's phase names (by name or record)."""
        prog = programme if isinstance(programme, r.Mission) else self.mission(programme)
        ph = phase if isinstance(phase, r.Phase) else prog.phase(phase)
        return tuple(self.mission(m) for m in ph.missions)

    def partner_payloads(self, *, country=None, supplier=None) -> tuple:
        """Return ``(mission, payload)`` pairs for instruments supplied by partners.

        Parameters
        ----------
        country, supplier : str, optional
            Only payloads from this country ("Russia") or supplier ("IKI"), matched ignoring
            case, spaces and punctuation (a supplier matches if its name contains the text).
        """
        for name, val in (("country", country), ("supplier", supplier)):
            if val is not None and not isinstance(val, str):
                raise ArgumentTypeError(f"{name} must be a string, got {short_repr(val)}")
        out = []
        for m in self.missions:
            for p in m.partner_payloads:
                if country is not None and normalize_name(p.country) != normalize_name(country):
                    continue
                if supplier is not None and normalize_name(supplier) not in normalize_name(
                    p.supplier
                ):
                    continue
                out.append((m, p))
        return tuple(out)

    def partner_payload_table(self, *, country=None, supplier=None):
        """Return a QTable of partner payloads: host mission, instrument, supplier, source."""
        from astropy.table import QTable

        pairs = self.partner_payloads(country=country, supplier=supplier)
        return QTable(
            {
                "mission": [m.name for m, _ in pairs],
                "instrument": [p.name for _, p in pairs],
                "supplier": [p.supplier for _, p in pairs],
                "country": [p.country for _, p in pairs],
                "as of": [m.as_of for m, _ in pairs],
                "source": [p.source for _, p in pairs],
            }
        )

    def records(self):
        """All records in the catalog (sources first), e.g. for :func:`save_records`."""
        return [*self.sources.values(), *self.sites, *self.vehicles, *self.missions]


#: Mission table columns: key -> (label, display unit, number format).
MISSION_COLUMNS = {
    "key": ("Key", None, None),
    "name": ("Name", None, None),
    "agency": ("Agency", None, None),
    "country": ("Country", None, None),
    "kind": ("Kind", None, None),
    "status": ("Status", None, None),
    "target": ("Target", None, None),
    "launch_date": ("Launch date (or plan)", None, None),
    "launch_site": ("Launch site", None, None),
    "launch_vehicle": ("Launch vehicle", None, None),
    "inclination": ("Inclination", "deg", ".2f"),
    "periapsis": ("Periapsis altitude", "km", ".0f"),
    "apoapsis": ("Apoapsis altitude", "km", ".0f"),
    "transfer_time": ("Transfer time", "d", ".1f"),
    "sources": ("Sources cited", None, None),
    "as_of": ("As of", None, None),
}
#: Launch-site table columns: key -> (label, display unit, number format).
SITE_COLUMNS = {
    "key": ("Key", None, None),
    "name": ("Name", None, None),
    "country": ("Country", None, None),
    "latitude": ("Latitude", "deg", ".3f"),
    "longitude": ("Longitude (east)", "deg", ".3f"),
}


def _check_record(rec):
    """Check a record built in Python through the file schema; return its (file, label) origin.

    The record is written and read back, so the same checks apply to it as to a catalog file.
    """
    from .schema import SECTION_OF, parse_text

    if type(rec) not in SECTION_OF:
        raise ArgumentTypeError(
            "records must be Source, Mission, LaunchSite or LaunchVehicle, "
            f"got {type(rec).__name__}"
        )
    label = f"{SECTION_OF[type(rec)]} {short_repr(getattr(rec, 'key', '?'))}"
    try:
        text = dump_records([rec])
    except Exception as exc:  # noqa: BLE001 - a field of the wrong type cannot be written at all
        raise CatalogError(
            "<records>",
            label,
            None,
            f"is not a valid record ({type(exc).__name__}: {short_repr(str(exc))})",
        ) from None
    parse_text(text, "<records>")
    return ("<records>", label)


def _lookup_key(name, what) -> str:
    """Return the normalised lookup key of ``name``; refuse non-strings and long names fast."""
    if not isinstance(name, str):
        raise ArgumentTypeError(
            f"name must be a string, got {short_repr(name)} of type {type(name).__name__}"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise NotFoundError(
            f"no {what} named {short_repr(name)}: the name is {len(name):,} characters long; "
            f"catalog names are at most {MAX_NAME_LENGTH}"
        )
    return normalize_name(name)


def _closest(name, options, display=None) -> str:
    """'; did you mean ...?' with the closest options, transpositions ranked first."""
    target = str(name)
    if len(target) > MAX_NAME_LENGTH:
        return ""
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


def catalog_or_default(catalog) -> Catalog:
    """Return ``catalog``, or the built-in catalog for ``None``; anything else is refused."""
    if catalog is None:
        return load_catalog()
    if not isinstance(catalog, Catalog):
        raise ArgumentTypeError(
            f"catalog must be a missions.Catalog (from missions.load_catalog()) or None, got "
            f"{short_repr(catalog)} of type {type(catalog).__name__}")
    return catalog


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
    user = [Path(p) for p in paths]
    files = (builtin_files() if builtin else []) + user
    records, origins = [], {}
    for f in files:
        got = parse_file(f)
        if not got and f in user:
            # a user's file that adds nothing is a wrong file, not an empty addition
            raise CatalogError(f, "", "", "holds no records ([[mission]], [[site]], "
                               "[[vehicle]], [[source]] ... tables); is it a catalog file?")
        for rec in got:
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
