"""Docking compatibility: which spacecraft can mate with which station, and through what.

The data (``missions/data/docking/mechanisms.toml``, every entry with its sources) records
docking mechanisms (SSVP and its G4000/M variants, APAS-75/-89/-95, the Chinese docking
mechanism, IDSS and its implementations NDS, Dragon 2's unit and IBDM), the ports each
spacecraft and station carries (mechanism, active/passive role, dates), adapters (the ISS's
IDAs, the ASTP docking module, Nauka's temporary SSVP adapter) and dated dockings.

The relation between two mechanisms is computed from that data, in this order:

1. the same mechanism, or two of the same ``family`` -> **direct**;
2. a recorded ``[[relation]]`` (e.g. the 2011 claim that the Chinese mechanism mates with
   APAS-95) -> its relation, ``"claimed"`` or ``"no"``;
3. an adapter whose two faces each mate one of them directly -> **adapter**;
4. otherwise -> **no**.

Between two objects (:func:`can_dock`), every pair of their ports present at the analysis date
is tried: two active units (two probes, two capture rings) or two passive ones cannot dock each
other; the best pair gives the verdict, with its reason, the sources and the recorded dockings
between the two objects (or their parts: the ISS includes its Russian segment, Mir its Kristall
module and docking module).

Names are the catalog's where the object is catalogued (Soyuz MS, the Chinese space station,
the ISS, the Russian Orbital Station...) and the data file's for the others (Soyuz 19, Apollo,
Kristall, Crew Dragon...), with aliases; an object without a recorded mechanism raises
:class:`orbits.errors.NotFoundError` naming those that have one.

>>> from missions.docking import can_dock
>>> can_dock("Soyuz 19", "Apollo").verdict
'yes'
>>> can_dock("Soyuz MS", "Chinese space station").verdict
'no'
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from orbits.errors import ArgumentError, ArgumentTypeError, DataFileError, NotFoundError
from orbits.results import Result, TableResult, column, value

__all__ = [
    "DIRECT",
    "ADAPTER",
    "CLAIMED",
    "NO",
    "RELATIONS",
    "Craft",
    "DockingMatrix",
    "DockingVerdict",
    "Mechanism",
    "can_dock",
    "docking_data",
    "docking_matrix",
    "docking_matrix_figure",
    "mechanism_relation",
    "resolve_craft",
]

DIRECT, ADAPTER, CLAIMED, NO = "direct", "adapter", "claimed", "no"
#: Relations, best first.
RELATIONS = (DIRECT, ADAPTER, CLAIMED, NO)
#: The verdict text of each relation.
VERDICTS = {DIRECT: "yes", ADAPTER: "only through an adapter",
            CLAIMED: "claimed, never demonstrated", NO: "no"}
_ROLES = ("active", "passive", "either")
_DATA_FILE = "mechanisms.toml"


# --- the data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A public source of the docking data (``checked``: when it was opened for the file)."""

    key: str
    title: str
    publisher: str
    date: str
    url: str
    checked: str = ""
    note: str = ""

    def cite(self) -> str:
        """Return one line: ``publisher, "title", date, url``."""
        return f'{self.publisher}, "{self.title}", {self.date}, {self.url}'


@dataclass(frozen=True)
class Mechanism:
    """A docking mechanism: family, androgyny, roles, diameters and sources."""

    key: str
    name: str
    family: str
    androgynous: bool
    roles: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    passage: str = ""
    outer_diameter: str = ""
    first_use: str = ""
    note: str = ""
    short: str = ""


@dataclass(frozen=True)
class Port:
    """One docking port (or unit) of a spacecraft or station."""

    name: str
    mechanism: str
    role: str
    sources: tuple[str, ...]
    since: str = ""
    until: str = ""
    available: bool = True
    planned: bool = False
    note: str = ""
    owner: str = ""  # the craft carrying it (set when the ports of included parts are merged)

    def present(self, day: str) -> bool:
        """Whether the port existed on ``day`` (ISO date); planned ports always count."""
        if self.since and _pad(self.since) > day:
            return False
        return not (self.until and _pad(self.until) <= day)

    def dates(self) -> str:
        """Return ``"since 2016-08"``, ``"1998-12 to 2016-08"``, ``"planned"`` or ""."""
        if self.planned:
            return "planned"
        if self.since and self.until:
            return f"{self.since} to {self.until}"
        if self.since:
            return f"since {self.since}"
        return f"until {self.until}" if self.until else ""


@dataclass(frozen=True)
class Craft:
    """A spacecraft, station or module with its docking ports.

    ``catalog``: the catalog record keys it describes (empty when not catalogued);
    ``includes``: other entries whose ports it also offers; ``orbit_of``: the catalog station
    whose orbit a visit uses; ``launch_site``: a catalog site key.
    """

    key: str
    name: str
    kind: str
    ports: tuple[Port, ...]
    aliases: tuple[str, ...] = ()
    catalog: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    orbit_of: str = ""
    launch_site: str = ""


@dataclass(frozen=True)
class Adapter:
    """A piece of hardware that joins two different mechanisms (its two ``faces``)."""

    key: str
    name: str
    faces: tuple[str, str]
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    installed: str = ""
    note: str = ""


@dataclass(frozen=True)
class Docking:
    """A dated docking between two entries, with the mechanisms used (chaser's, target's)."""

    date: str
    chaser: str
    target: str
    mechanisms: tuple[str, str]
    sources: tuple[str, ...]
    port: str = ""
    note: str = ""


@dataclass(frozen=True)
class DockingData:
    """Everything in the docking data file, checked (:func:`docking_data`)."""

    sources: dict
    mechanisms: dict
    relations: dict
    adapters: tuple[Adapter, ...]
    crafts: dict
    dockings: tuple[Docking, ...]
    path: str = ""

    def cite(self, keys) -> tuple[str, ...]:
        """Return the one-line citations of ``keys``, each once, in order."""
        return tuple(self.sources[k].cite() for k in dict.fromkeys(keys))


def _pad(date: str) -> str:
    """``"2016-08"`` -> ``"2016-08-01"``; ``"2028"`` -> ``"2028-01-01"``."""
    parts = date.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def _tuple(val):
    if val is None:
        return ()
    return (val,) if isinstance(val, str) else tuple(val)


def _fail(path, where, fieldname, msg):
    raise DataFileError(f"{path}: {where}: field {fieldname!r}: {msg}")


@functools.lru_cache(maxsize=4)
def docking_data(path=None) -> DockingData:
    """Read and check the docking data file (default: the packaged one).

    Raises
    ------
    orbits.errors.DataFileError
        A malformed file: the message names the file, the entry and the field.
    """
    if path is None:
        ref = resources.files("missions") / "data" / "docking" / _DATA_FILE
        text, path = ref.read_text(encoding="utf-8"), str(ref)
    else:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: not valid TOML: {exc}") from None
    try:
        return _build(raw, str(path))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, DataFileError):
            raise
        raise DataFileError(f"{path}: malformed entry ({type(exc).__name__}: {exc})") from None


def _build(raw, path) -> DockingData:
    sources = {}
    for s in raw.get("source", []):
        sources[s["key"]] = Source(s["key"], s["title"], s["publisher"], str(s["date"]),
                                   s["url"], str(s.get("checked", "")), s.get("note", ""))

    def cited(entry, where):
        keys = _tuple(entry.get("sources"))
        if not keys:
            _fail(path, where, "sources", "no source given")
        for k in keys:
            if k not in sources:
                _fail(path, where, "sources", f"unknown source {k!r}")
        return keys

    mechs = {}
    for m in raw.get("mechanism", []):
        where = f"mechanism {m.get('key')!r}"
        mechs[m["key"]] = Mechanism(
            m["key"], m["name"], m["family"], bool(m["androgynous"]), m.get("roles", ""),
            cited(m, where), _tuple(m.get("aliases")), m.get("passage", ""),
            m.get("outer_diameter", ""), str(m.get("first_use", "")), m.get("note", ""),
            m.get("short", m["name"]))

    def mech(key, where, fieldname="mechanism"):
        if key not in mechs:
            _fail(path, where, fieldname, f"unknown mechanism {key!r}; known: "
                  + ", ".join(mechs))
        return key

    relations = {}
    for r in raw.get("relation", []):
        where = f"relation {r.get('a')!r}-{r.get('b')!r}"
        if r.get("relation") not in (CLAIMED, NO, DIRECT):
            _fail(path, where, "relation", f"{r.get('relation')!r} is not 'direct', "
                  "'claimed' or 'no'")
        pair = frozenset((mech(r["a"], where, "a"), mech(r["b"], where, "b")))
        relations[pair] = (r["relation"], cited(r, where), r.get("note", ""))
    adapters = []
    for a in raw.get("adapter", []):
        where = f"adapter {a.get('key')!r}"
        faces = tuple(mech(f, where, "faces") for f in a["faces"])
        if len(faces) != 2:
            _fail(path, where, "faces", "an adapter has exactly two faces")
        adapters.append(Adapter(a["key"], a["name"], faces, cited(a, where),
                                _tuple(a.get("aliases")), str(a.get("installed", "")),
                                a.get("note", "")))
    crafts = {}
    for c in raw.get("craft", []):
        where = f"craft {c.get('key')!r}"
        ports = []
        for p in c.get("port", []):
            pw = f"{where} port {p.get('name')!r}"
            if p.get("role") not in _ROLES:
                _fail(path, pw, "role", f"{p.get('role')!r} is not one of {', '.join(_ROLES)}")
            ports.append(Port(p["name"], mech(p["mechanism"], pw), p["role"], cited(p, pw),
                              str(p.get("since", "")), str(p.get("until", "")),
                              bool(p.get("available", True)), bool(p.get("planned", False)),
                              p.get("note", ""), c["key"]))
        if not ports:
            _fail(path, where, "port", "a craft needs at least one port")
        crafts[c["key"]] = Craft(c["key"], c["name"], c.get("kind", "spacecraft"), tuple(ports),
                                 _tuple(c.get("aliases")), _tuple(c.get("catalog")),
                                 _tuple(c.get("includes")), c.get("orbit_of", ""),
                                 c.get("launch_site", ""))
    for c in crafts.values():
        for inc in c.includes:
            if inc not in crafts:
                _fail(path, f"craft {c.key!r}", "includes", f"unknown craft {inc!r}")
    dockings = []
    for d in raw.get("docking", []):
        where = f"docking {d.get('date')!r} {d.get('chaser')!r}"
        for fname in ("chaser", "target"):
            if d.get(fname) not in crafts:
                _fail(path, where, fname, f"unknown craft {d.get(fname)!r}")
        ms = tuple(mech(m, where, "mechanisms") for m in d["mechanisms"])
        dockings.append(Docking(str(d["date"]), d["chaser"], d["target"], ms, cited(d, where),
                                d.get("port", ""), d.get("note", "")))
    return DockingData(sources, mechs, relations, tuple(adapters), crafts, tuple(dockings), path)


# --- mechanism relation ------------------------------------------------------------------------


def _direct_only(data, a, b):
    if a == b or data.mechanisms[a].family == data.mechanisms[b].family:
        return True
    rel = data.relations.get(frozenset((a, b)))
    return rel is not None and rel[0] == DIRECT


def mechanism_relation(a: str, b: str, *, data=None) -> tuple[str, str, tuple[str, ...], str]:
    """Return ``(relation, adapter name or "", source keys, reason)`` for two mechanisms.

    ``a`` and ``b`` are mechanism keys, names or aliases (see the module docstring for how the
    relation is computed).
    """
    data = data or docking_data()
    ka, kb = _mechanism_key(a, data), _mechanism_key(b, data)
    ma, mb = data.mechanisms[ka], data.mechanisms[kb]
    if ka == kb:
        return DIRECT, "", ma.sources, f"both carry {ma.name}"
    if ma.family == mb.family:
        return (DIRECT, "", ma.sources + mb.sources,
                f"{ma.name} and {mb.name} belong to the same family ({ma.family})")
    rel = data.relations.get(frozenset((ka, kb)))
    if rel is not None and rel[0] != NO:
        return rel[0], "", rel[1], rel[2]
    for ad in data.adapters:
        f1, f2 = ad.faces
        if ((_direct_only(data, ka, f1) and _direct_only(data, f2, kb))
                or (_direct_only(data, ka, f2) and _direct_only(data, f1, kb))):
            return (ADAPTER, ad.name, ad.sources + ma.sources + mb.sources,
                    f"{ma.name} and {mb.name} differ; the {ad.name} joins "
                    f"{data.mechanisms[f1].name} to {data.mechanisms[f2].name}")
    if rel is not None:  # a recorded "no"
        return NO, "", rel[1], rel[2]
    return (NO, "", ma.sources + mb.sources,
            f"{ma.name} ({_kind(ma)}) and {mb.name} ({_kind(mb)}) are different families; no "
            "recorded docking, adapter or compatibility claim joins them")


def _kind(m: Mechanism) -> str:
    return "androgynous" if m.androgynous else "non-androgynous"


def _mechanism_key(name, data):
    from .catalog import normalize_name

    if not isinstance(name, str):
        raise ArgumentTypeError(f"a mechanism must be named by a string, got {name!r}")
    want = normalize_name(name)
    for m in data.mechanisms.values():
        if want in {normalize_name(n) for n in (m.key, m.name, *m.aliases)}:
            return m.key
    from .catalog import _closest

    raise NotFoundError(f"no docking mechanism named {name!r}"
                        + _closest(want, [normalize_name(m.name) for m in
                                          data.mechanisms.values()],
                                   {normalize_name(m.name): m.name
                                    for m in data.mechanisms.values()})
                        + "; mechanisms: " + ", ".join(m.name for m in data.mechanisms.values()))


# --- names -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    craft: Craft
    name: str  # display name (the catalog's when catalogued)


def _index(data, catalog):
    from .catalog import normalize_name

    index, display = {}, {}
    for c in data.crafts.values():
        name = c.name
        names = [c.name, c.key, *c.aliases]
        if catalog is not None:
            for k, key in enumerate(c.catalog):
                rec = catalog.get(key)
                if rec is None:
                    continue
                if k == 0:
                    name = rec.name
                names += [rec.name, rec.key, *rec.aliases]
        display[c.key] = name
        for n in names:
            nk = normalize_name(n)
            if nk and index.setdefault(nk, c.key) != c.key:
                raise DataFileError(f"{data.path}: craft {c.key!r}: name {n!r} is also used by "
                                    f"{index[nk]!r}")
    return index, display


def resolve_craft(name: str, *, catalog=None, data=None) -> tuple[Craft, str]:
    """Return ``(craft, display name)`` for a spacecraft or station with a recorded mechanism.

    Raises
    ------
    orbits.errors.NotFoundError
        An unknown name (with the closest names), or a catalogued object without a recorded
        mechanism; both list the objects that have one.
    """
    from .catalog import MAX_NAME_LENGTH, _closest, normalize_name

    data = data or docking_data()
    if not isinstance(name, str):
        raise ArgumentTypeError(f"a spacecraft or station must be named by a string, got "
                                f"{name!r} of type {type(name).__name__}")
    if len(name) > MAX_NAME_LENGTH:
        raise NotFoundError(f"no spacecraft or station named {name[:40]!r}...: the name is "
                            f"{len(name):,} characters long; names are at most "
                            f"{MAX_NAME_LENGTH}")
    from .catalog import catalog_or_default

    catalog = catalog_or_default(catalog)
    index, display = _index(data, catalog)
    key = normalize_name(name)
    if key in index:
        c = data.crafts[index[key]]
        return c, display[c.key]
    having = "; objects with a recorded docking mechanism: " + ", ".join(display.values())
    rec = catalog.get(name)
    if rec is not None:
        raise NotFoundError(f"{rec.name!r} is in the catalog but has no recorded docking "
                            f"mechanism (none published, or not yet in "
                            f"missions/data/docking/{_DATA_FILE})" + having)
    shown = {normalize_name(v): v for v in display.values()}
    for nk, ck in index.items():
        shown.setdefault(nk, display[ck])
    raise NotFoundError(f"no spacecraft or station named {name!r} has a recorded docking "
                        "mechanism" + _closest(key, list(index), shown) + having)


# --- can_dock ----------------------------------------------------------------------------------


def text_lines_with_sources(result) -> list[str]:
    """Return a Result's text lines with its ``sources`` as a wrapped list at the end."""
    import textwrap
    from dataclasses import replace

    lines = Result._text_lines(replace(result, sources=()))
    out = [ln for ln in lines if ln.strip() != "sources"] + ["sources:"]
    for s in result.sources:
        out += textwrap.wrap(s, 100, initial_indent="  - ", subsequent_indent="    ",
                             break_on_hyphens=False)
    return out


@dataclass(frozen=True, repr=False)
class DockingVerdict(Result):
    """Whether two spacecraft or stations can dock (result of :func:`can_dock`).

    ``relation`` is one of :data:`RELATIONS` (``"direct"``, ``"adapter"``, ``"claimed"``,
    ``"no"``); ``verdict`` its text; ``ok`` is true for direct and adapter.
    """

    first: str = value("A")
    second: str = value("B")
    verdict: str = value("can dock")
    mechanisms_first: str = value("mechanisms of A")
    mechanisms_second: str = value("mechanisms of B")
    via: str = value("through", default="")
    demonstrated: bool = value("docked by then (recorded)", default=False)
    reason: str = value("reason", default="")
    examples: str = value("recorded dockings by then", default="")
    sources: tuple = value("sources", default=())
    relation: str = NO
    port_first: str = ""
    port_second: str = ""

    title = "Docking compatibility"

    @property
    def ok(self) -> bool:
        """True when the two can dock, directly or through an adapter."""
        return self.relation in (DIRECT, ADAPTER)

    def summary(self) -> str:
        """Return ``A – B: verdict (mechanism / mechanism)``."""
        via = f" via {self.via}" if self.via else ""
        mech = ""
        if self.port_first or self.port_second:
            mech = f" ({self.port_first} / {self.port_second}{via})"
        return f"{self.first} – {self.second}: {self.verdict}{mech}"

    def _text_lines(self):
        return text_lines_with_sources(self)


def _ports(data, craft, day, seen=None):
    """Ports of ``craft`` and of the entries it includes, present on ``day``."""
    seen = set() if seen is None else seen
    if craft.key in seen:
        return [], []
    seen.add(craft.key)
    present, gone = [], []
    for p in craft.ports:
        (present if p.present(day) else gone).append(p)
    for inc in craft.includes:
        a, b = _ports(data, data.crafts[inc], day, seen)
        present += a
        gone += b
    return present, gone


def _parts(data, craft, seen=None):
    seen = set() if seen is None else seen
    if craft.key not in seen:
        seen.add(craft.key)
        for inc in craft.includes:
            _parts(data, data.crafts[inc], seen)
    return seen


def _describe_port(data, p, with_owner):
    m = data.mechanisms[p.mechanism]
    owner = f"{data.crafts[p.owner].name} " if with_owner else ""
    when = f", {p.dates()}" if p.dates() else ""
    return f"{m.name} ({p.role}; {owner}{p.name}{when})"


def _roles_clash(p, q):
    return p.role == q.role and p.role in ("active", "passive")


def can_dock(a: str, b: str, *, at=None, catalog=None) -> DockingVerdict:
    """Tell whether spacecraft/station ``a`` can dock with ``b``, by their mechanisms.

    Parameters
    ----------
    a, b : str
        Names (catalog names and aliases for catalogued objects, the docking data's names
        and aliases for the others: "Soyuz 19", "Apollo", "Kristall", "Crew Dragon"...).
    at : Time or str, optional
        The date the ports are taken at (default now, UTC): the ISS's PMA-2 offered APAS-95
        until its IDA was installed in 2016. Spacecraft ports without dates always count.
    catalog : missions.Catalog, optional
        For names and display names (default the built-in catalog).

    Returns
    -------
    DockingVerdict
        ``verdict`` ("yes", "only through an adapter", "claimed, never demonstrated", "no"),
        the mechanisms of each side, the reason, the recorded dockings between the two and the
        sources.

    Raises
    ------
    orbits.errors.NotFoundError
        An unknown name, or one without a recorded mechanism (the message lists those with one).
    """
    from .catalog import catalog_or_default
    from .subjects import analysis_time

    data = docking_data()
    catalog = catalog_or_default(catalog)
    ca, name_a = resolve_craft(a, catalog=catalog, data=data)
    cb, name_b = resolve_craft(b, catalog=catalog, data=data)
    t = analysis_time(at)
    day = t.utc.isot[:10]
    pa, gone_a = _ports(data, ca, day)
    pb, gone_b = _ports(data, cb, day)
    multi_a, multi_b = bool(ca.includes), bool(cb.includes)
    notes = [
        "relation from the docking data: same mechanism or family -> direct; a recorded "
        "compatibility claim -> claimed; an adapter whose faces mate both -> adapter; "
        "else no. Two active (or two passive) units cannot dock each other.",
        f"ports as of {day}; a port with dates outside it is left out",
    ]
    if ca.key == cb.key:
        raise ArgumentError(f"a and b are the same object ({name_a}); give two different "
                            "spacecraft or stations")
    parts_a, parts_b = _parts(data, ca), _parts(data, cb)
    examples = [d for d in data.dockings
                if _pad(d.date) <= day
                and ((d.chaser in parts_a and d.target in parts_b)
                     or (d.chaser in parts_b and d.target in parts_a))]
    best = None
    skipped = []
    for p in pa:
        for q in pb:
            if not (p.available and q.available):
                skipped.append((p, q))
                continue
            rel, via, srcs, why = mechanism_relation(p.mechanism, q.mechanism, data=data)
            if rel == DIRECT and _roles_clash(p, q):
                rel, via = NO, ""
                why = (f"both units are {p.role} ({data.mechanisms[p.mechanism].name} / "
                       f"{data.mechanisms[q.mechanism].name}): a docking needs one active and "
                       "one passive side")
            demo = any(set(d.mechanisms) <= {p.mechanism, q.mechanism} for d in examples)
            exact = p.mechanism == q.mechanism or (rel == ADAPTER and any(
                {p.mechanism, q.mechanism} == set(ad.faces) for ad in data.adapters))
            rank = (RELATIONS.index(rel), not demo, p.planned or q.planned, not exact)
            cand = (rank, p, q, rel, via, srcs + p.sources + q.sources, why)
            if best is None or cand[0] < best[0]:
                best = cand
    if best is None:  # no usable port pair at all
        why = "no port usable on "
        why += (f"{name_a}" if not [p for p in pa if p.available] else f"{name_b}")
        why += f" as of {day}"
        srcs = tuple(s for p in (*pa, *pb, *gone_a, *gone_b) for s in p.sources)
        best = ((len(RELATIONS),), None, None, NO, "", srcs, why)
    _, p, q, rel, via, srcs, why = best
    reason = why
    if p is not None:
        reason = (f"{_describe_port(data, p, multi_a)} against "
                  f"{_describe_port(data, q, multi_b)}: {why}")
        if p.planned or q.planned:
            reason += "; planned hardware, not flown"
    for x, y in skipped:
        alt, _, alt_srcs, _ = mechanism_relation(x.mechanism, y.mechanism, data=data)
        if RELATIONS.index(alt) < RELATIONS.index(rel):
            blocked = x if not x.available else y
            reason += (f"; {data.mechanisms[blocked.mechanism].name} on {blocked.name} would "
                       f"be '{alt}' but is not available ({blocked.note or 'occupied'})")
            srcs = srcs + alt_srcs
            break
    if gone_a or gone_b:
        notes.append("ports not present then: " + "; ".join(
            _describe_port(data, g, True) for g in (*gone_a, *gone_b)))
    demonstrated = bool(examples) and rel in (DIRECT, ADAPTER)
    ex_text = "; ".join(
        f"{d.date} {data.crafts[d.chaser].name} to {data.crafts[d.target].name}"
        f" ({'/'.join(data.mechanisms[m].name for m in dict.fromkeys(d.mechanisms))})"
        + (f", {d.port}" if d.port else "") for d in examples)
    srcs = srcs + tuple(s for d in examples for s in d.sources)
    from orbits.results import InputSet

    verdict = VERDICTS[rel]
    if p is not None and (p.planned or q.planned) and rel != NO:
        verdict += " (planned hardware, not flown)"
    return DockingVerdict(
        first=name_a, second=name_b, verdict=verdict,
        mechanisms_first=_mech_list(data, pa), mechanisms_second=_mech_list(data, pb),
        via=via, demonstrated=demonstrated, reason=reason, examples=ex_text or "none recorded",
        sources=data.cite(srcs), relation=rel,
        port_first=data.mechanisms[p.mechanism].name if p is not None else "",
        port_second=data.mechanisms[q.mechanism].name if q is not None else "",
        notes=tuple(notes), analysis_date=t,
        inputs=(InputSet("catalog", "docking mechanisms", source=f"missions/data/docking/"
                         f"{_DATA_FILE}", detail=f"{len(data.mechanisms)} mechanisms, "
                         f"{len(data.crafts)} spacecraft and stations, {len(data.dockings)} "
                         "dated dockings"),))


def _mech_list(data, ports):
    out = []
    for p in ports:
        m = data.mechanisms[p.mechanism].name
        role = "" if p.role == "either" else f" {p.role}"
        flag = "" if p.available else " (not available)"
        flag += " (planned)" if p.planned else ""
        out.append(f"{m}{role}{flag}")
    return "; ".join(dict.fromkeys(out))


# --- the matrix --------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class DockingMatrix(TableResult):
    """What mates with what, one row per pair of mechanisms (:func:`docking_matrix`).

    ``keys`` lists the mechanisms in order; :meth:`code` gives the relation of two of them;
    :func:`docking_matrix_figure` draws it.
    """

    first: tuple = column("mechanism")
    second: tuple = column("with")
    relation: tuple = column("relation")
    via: tuple = column("through")
    demonstrated: tuple = column("docked")
    example: tuple = column("first docking")
    keys: tuple = ()
    names: tuple = ()
    _codes: dict = field(default_factory=dict)

    title = "Docking mechanisms: what mates with what"

    def summary(self) -> str:
        """Return the count of pairs per relation."""
        counts = {r: sum(1 for x in self.relation if x == r) for r in RELATIONS}
        return (f"{len(self.keys)} mechanisms: {counts[DIRECT]} direct, {counts[ADAPTER]} "
                f"through an adapter, {counts[CLAIMED]} claimed, {counts[NO]} no")

    def code(self, a: str, b: str) -> str:
        """Return the relation of mechanisms ``a`` and ``b`` (keys)."""
        return self._codes[frozenset((a, b))]


def docking_matrix(mechanisms=None) -> DockingMatrix:
    """Tabulate the relation of every pair of mechanisms (default: all in the data).

    Each unordered pair once (and each mechanism with itself), with the adapter that joins
    them, whether a recorded docking demonstrated the pair and the first such docking.
    """
    data = docking_data()
    if isinstance(mechanisms, str):  # one name, not its characters
        mechanisms = [mechanisms]
    keys = (list(data.mechanisms) if mechanisms is None
            else [_mechanism_key(m, data) for m in mechanisms])
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise ArgumentError("mechanisms=[] names no mechanism; give at least one or None")
    rows, codes, srcs = [], {}, []
    short_via = {ad.name: (ad.aliases[0] if ad.aliases else ad.name) for ad in data.adapters}
    for i, ka in enumerate(keys):
        for kb in keys[i:]:
            rel, via, s, _ = mechanism_relation(ka, kb, data=data)
            codes[frozenset((ka, kb))] = rel
            demo = sorted((d for d in data.dockings if set(d.mechanisms) == {ka, kb}
                           or (ka == kb and set(d.mechanisms) == {ka})), key=lambda d: d.date)
            ex = f"{demo[0].date} {data.crafts[demo[0].chaser].name}" if demo else ""
            via = short_via.get(via, via)
            rows.append((data.mechanisms[ka].short, data.mechanisms[kb].short, rel, via,
                         bool(demo), ex))
            srcs += list(s)
    cols = list(zip(*rows))
    import numpy as np

    return DockingMatrix(
        first=np.array(cols[0], dtype=object), second=np.array(cols[1], dtype=object),
        relation=np.array(cols[2], dtype=object), via=np.array(cols[3], dtype=object),
        demonstrated=np.array(cols[4], dtype=bool), example=np.array(cols[5], dtype=object),
        keys=tuple(keys), names=tuple(data.mechanisms[k].short for k in keys), _codes=codes,
        notes=("relation computed from missions/data/docking/mechanisms.toml: same mechanism "
               "or family -> direct; a recorded claim -> claimed; an adapter joining them -> "
               "adapter; else no. Roles (active/passive) are not part of this table.",
               "sources: " + "; ".join(dict.fromkeys(srcs))))


_COLOURS = {DIRECT: "#2b8a3e", ADAPTER: "#74b816", CLAIMED: "#f08c00", NO: "#e9ecef"}


def docking_matrix_figure(matrix: DockingMatrix | None = None):
    """Draw the mechanism matrix as a coloured grid; return the matplotlib Figure.

    Colours: direct (dark green, ``*`` where a recorded docking demonstrated it), adapter
    (light green), claimed (orange), no (grey).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    m = matrix if matrix is not None else docking_matrix()
    n = len(m.keys)
    fig = Figure(figsize=(2.5 + 0.55 * n, 1.8 + 0.5 * n), layout="constrained")
    ax = fig.add_subplot()
    demo = {frozenset((a, b)) for a, b, d in zip(m.first, m.second, m.demonstrated) if d}
    for i, ka in enumerate(m.keys):
        for j, kb in enumerate(m.keys):
            rel = m.code(ka, kb)
            ax.add_patch(matplotlib.patches.Rectangle((j, i), 1, 1, color=_COLOURS[rel],
                                                      ec="white"))
            if frozenset((m.names[i], m.names[j])) in demo:
                ax.text(j + 0.5, i + 0.5, "*", ha="center", va="center", color="white")
    ax.set_xlim(0, n)
    ax.set_ylim(n, 0)
    ax.set_xticks([k + 0.5 for k in range(n)], m.names, rotation=60, ha="right", fontsize=8)
    ax.set_yticks([k + 0.5 for k in range(n)], m.names, fontsize=8)
    ax.set_aspect("equal")
    ax.legend(handles=[Patch(color=_COLOURS[r], label=VERDICTS[r]) for r in RELATIONS],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
              title="* = recorded docking", title_fontsize=8)
    ax.set_title("Which docking mechanisms mate", fontsize=10)
    fig.text(0.01, 0.005, "data: missions/data/docking/mechanisms.toml (sourced, checked "
             "2026-12-01)", fontsize=6, color="0.4")
    return fig
