"""Properties of the catalog schema (hypothesis).

1. Round trip: any valid records -> ``dump_records`` -> ``parse_text`` gives equal records.
2. Malformed input (any value in any field, any bytes as a file) raises ``CatalogError`` or
   loads; it never raises another exception (a traceback would be a bug).

The generators build valid records from the schema's own rules as documented in
``missions/schema.py`` (ranges, choices, units), not from the parser's output.
"""

from __future__ import annotations

import math
import tomllib

import tomli_w
from astropy import units as u
from hypothesis import given, settings
from hypothesis import strategies as st

from missions import records as r
from missions.catalog import Catalog
from missions.schema import CatalogError, dump_records, parse_text

# --- valid records ------------------------------------------------------------------------------

# printable text without surrogates; non-blank (the schema refuses blank strings)
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(str.strip)
name = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)
# a fact's text value must not read as a number with a unit: start it with a letter
fact_text = st.builds(lambda a, b: a + b, st.sampled_from("abcdefghijklmnopqrstuvwxyz"), st.text(max_size=20))
source_key = st.just("src")


def qty(lo, hi, unit):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: x * u.Unit(unit))


@st.composite
def dates(draw, lo_year=1958, hi_year=2100):
    y = draw(st.integers(lo_year, hi_year))
    precision = draw(st.sampled_from(["year", "month", "day", "time"]))
    if precision == "year":
        return r.MissionDate.parse(f"{y:04d}")
    m = draw(st.integers(1, 12))
    if precision == "month":
        return r.MissionDate.parse(f"{y:04d}-{m:02d}")
    d = draw(st.integers(1, 28))
    if precision == "day":
        return r.MissionDate.parse(f"{y:04d}-{m:02d}-{d:02d}")
    hh, mm, ss = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    return r.MissionDate.parse(f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}")


@st.composite
def orbits(draw):
    # altitude limits per body: missions/schema.py ALTITUDE_LIMITS (Earth periapsis below the
    # Moon's distance, Moon within its Hill sphere, Mars within its ~1.08 million km Hill
    # sphere); small bodies have no limit there, so any altitude up to 1e6 km is valid
    body = draw(st.sampled_from(r.BODIES))
    top = {"Earth": 384_400.0, "Moon": 60_000.0, "Earth-Moon L2": 1_500_000.0}.get(body, 1_000_000.0)
    p = draw(st.floats(0.0, top, allow_nan=False))
    a = draw(st.floats(p, top, allow_nan=False))
    return r.TargetOrbit(
        body=body, periapsis=p * u.km, apoapsis=a * u.km, inclination=draw(qty(0, 180, "deg")),
        source="src", label=draw(st.one_of(st.just(""), text)),
        raan=draw(st.one_of(st.none(), qty(0, 360, "deg"))),
        period=draw(st.one_of(st.none(), qty(1e-3, 3653, "d"))),
    )


FACT_QUANTITIES = [  # name -> what missions/schema.py FACT_VALUES says it is
    ("launch_mass", qty(1e-3, 1e7, "kg")),
    ("length", qty(1e-3, 1e3, "m")),
    ("halo_period", qty(1e-2, 100, "d")),
    ("main_engine_isp", qty(1, 1000, "s")),
    ("planned_inclination", qty(0, 180, "deg")),
    ("delta_v", qty(1e-3, 20, "km/s")),
]


@st.composite
def facts(draw):
    if draw(st.booleans()):
        name, values = draw(st.sampled_from(FACT_QUANTITIES))
        value = draw(values)
    else:
        name, value = draw(st.sampled_from(["crew", "role", "launcher", "first_flight"])), draw(fact_text)
    alts = draw(st.lists(st.builds(r.Alternative, value=text, source=source_key,
                                   note=st.one_of(st.just(""), text)), max_size=2))
    return r.Fact(name=name, value=value, source="src", note=draw(st.one_of(st.just(""), text)),
                  alternatives=tuple(alts))


@st.composite
def announcements(draw):
    a = draw(dates(1958, 2090))
    p = draw(dates(a.year, 2100))
    return r.Announcement(announced=a, planned=p, source="src")


@st.composite
def phases(draw):
    # start and end are optional ("by 2035", "from 2036", stages without dates); end not before
    # start (schema RULES _phase_dates)
    which = draw(st.sampled_from(["start", "end", "both", "none"]))
    start = end = None
    if which in ("start", "both"):
        start = draw(dates(1958, 2090))
    if which in ("end", "both"):
        end = draw(dates(start.year + 1 if start else 1958, 2100))
    return r.Phase(name=draw(text), source="src", plan=draw(st.one_of(st.just(""), text)),
                   start=start, end=end, goals=tuple(draw(st.lists(text, max_size=3))))


@st.composite
def regions(draw):
    centre = draw(st.one_of(st.none(), qty(-90, 90, "deg")))
    return r.SiteRegion(
        name=draw(text), body=draw(st.sampled_from(r.BODIES)), source="src",
        center_latitude=centre,
        radius=None if centre is None else draw(st.one_of(st.none(), qty(1e-3, 10_000, "km"))),
        candidates=tuple(draw(st.lists(text, max_size=2))))


def as_of_texts():
    return st.one_of(st.just(""), dates(1958, 2100).filter(lambda d: d.precision != "time")
                     .map(lambda d: d.text))


@st.composite
def missions(draw):
    kind = draw(st.sampled_from(r.KINDS))
    programme = kind == "programme"  # only programmes have phases and members (schema RULES)
    return r.Mission(
        key=draw(name), name=draw(name), agency=draw(name), country=draw(name),
        kind=kind, status=draw(st.sampled_from(r.STATUSES)),
        target=draw(st.sampled_from(r.BODIES)), sources=("src",),
        aliases=tuple(draw(st.lists(name, max_size=3))),
        launch=draw(st.one_of(st.none(), st.builds(r.Launch, source=source_key,
                                                    date=st.one_of(st.none(), dates()),
                                                    site=st.one_of(st.none(), name)))),
        announced=tuple(draw(st.lists(announcements(), max_size=3))),
        transfer=tuple(draw(st.lists(st.builds(
            r.TransferLeg, kind=st.sampled_from(r.TRANSFER_KINDS), source=source_key,
            duration=st.one_of(st.none(), qty(1e-3, 1e3, "d"))), max_size=2))),
        orbits=tuple(draw(st.lists(orbits(), max_size=3))),
        landing_site=draw(st.one_of(st.none(), st.builds(
            r.LandingSite, latitude=qty(-90, 90, "deg"), longitude=qty(-180, 360, "deg"), source=source_key))),
        events=tuple(draw(st.lists(st.builds(r.Event, kind=st.sampled_from(r.EVENT_KINDS), date=dates(),
                                             source=source_key), max_size=3))),
        facts=tuple(draw(st.lists(facts(), max_size=4))),
        notes=draw(st.one_of(st.just(""), text)),
        as_of=draw(as_of_texts()),
        target_name=draw(st.one_of(st.just(""), name)),
        phases=tuple(draw(st.lists(phases(), max_size=3))) if programme else (),
        members=tuple(draw(st.lists(st.builds(
            r.Member, name=name, role=st.sampled_from(r.MEMBER_ROLES), source=source_key,
            joined=st.one_of(st.none(), dates())), max_size=3))) if programme else (),
        site_region=draw(st.one_of(st.none(), regions())),
        partner_payloads=tuple(draw(st.lists(st.builds(
            r.PartnerPayload, name=name, supplier=name, country=name, source=source_key,
            description=st.one_of(st.just(""), text)), max_size=2))),
    )


@st.composite
def sites(draw):
    def incl_range(lo_hi):
        lo, hi = sorted(lo_hi)
        return r.InclinationRange(min=lo * u.deg, max=hi * u.deg, source="src")

    return r.LaunchSite(
        key=draw(name), name=draw(name), country=draw(name),
        latitude=draw(qty(-90, 90, "deg")), longitude=draw(qty(-180, 360, "deg")), source="src",
        inclinations=tuple(draw(st.lists(st.tuples(st.floats(0, 180), st.floats(0, 180)).map(incl_range),
                                         max_size=2))),
    )


@st.composite
def vehicles(draw):
    return r.LaunchVehicle(
        key=draw(name), name=draw(name), country=draw(name),
        kind=draw(st.sampled_from(("launcher", "upper stage", "spacecraft"))), source="src",
        payloads=tuple(draw(st.lists(st.builds(
            r.Payload, orbit=text, mass=qty(1e-3, 2e5, "kg"), source=source_key,
            altitude=st.one_of(st.none(), qty(0, 4e5, "km")),
            inclination=st.one_of(st.none(), qty(0, 180, "deg"))), max_size=2))),
        facts=tuple(draw(st.lists(facts(), max_size=2))),
    )


SOURCE = r.Source(key="src", title="a title", date="2026-01")


@settings(max_examples=50)  # each example parses dozens of astropy Times; 50 keep CI brisk
@given(st.lists(st.one_of(missions(), sites(), vehicles()), min_size=1, max_size=4))
def test_valid_records_round_trip(recs):
    out = parse_text(dump_records([SOURCE, *recs]), "roundtrip.toml")
    # dump_records groups records by section; compare section by section, order kept
    for cls in (r.Source, r.Mission, r.LaunchSite, r.LaunchVehicle):
        want = [x for x in [SOURCE, *recs] if type(x) is cls]
        assert [x for x in out if type(x) is cls] == want


def test_round_trip_keeps_every_digit():
    # repr() of a float is exact (Python guarantees float(repr(x)) == x)
    m = r.Mission(key="k", name="n", agency="a", country="c", kind="lander", status="planned",
                  target="Moon", sources=("src",),
                  orbits=(r.TargetOrbit("Moon", (0.1 + 0.2) * u.km, (0.1 + 0.2) * u.km, 51.6381 * u.deg, "src"),))
    (back,) = [x for x in parse_text(dump_records([SOURCE, m])) if isinstance(x, r.Mission)]
    assert back.orbits[0].periapsis.value == 0.1 + 0.2  # 0.30000000000000004, not 0.3


# --- malformed input ----------------------------------------------------------------------------

BASE = tomllib.loads(dump_records([
    SOURCE,
    r.Mission(key="m", name="M", agency="CNSA", country="China", kind="lander", status="planned",
              target="Moon", sources=("src",),
              launch=r.Launch(source="src", date=r.MissionDate.parse("2030-05")),
              orbits=(r.TargetOrbit("Moon", 100 * u.km, 100 * u.km, 90 * u.deg, "src"),),
              facts=(r.Fact("launch_mass", 1750 * u.kg, "src"),),
              announced=(r.Announcement(r.MissionDate.parse("2025"), r.MissionDate.parse("2030"), "src"),),
              landing_site=r.LandingSite(-69.5 * u.deg, 43.5 * u.deg, "src")),
    r.LaunchSite(key="s", name="S", country="China", latitude=19.6 * u.deg, longitude=110.9 * u.deg,
                 source="src", inclinations=(r.InclinationRange(19.6 * u.deg, 90 * u.deg, "src"),)),
]))

# paths to every field of BASE: ("mission", 0, "orbits", 0, "inclination") ...


def _paths(obj, prefix=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(BASE) if len(p) > 2]

toml_scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1), st.floats(), st.booleans(),
    st.text(max_size=40), st.datetimes(), st.dates(),
    # strings that look like quantities, dates or choices, which the parsers must judge
    st.builds(lambda x, unit: f"{x} {unit}", st.floats(), st.sampled_from(["kg", "km", "deg", "d", "s", "m/s", "", "kg km", "1/0", "deg**99"])),
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", st.integers(-5, 99999), st.integers(-1, 13), st.integers(-1, 40)),
    st.sampled_from(["nan kg", "-inf deg", "1e400 km", "-5 kg", "planed", "Moon ", "", " ", "2030-02-30"]),
)
toml_values = st.recursive(toml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)


def _load(text_or_bytes):
    """Parse and cross-check as load_catalog does; CatalogError is the only allowed failure."""
    try:
        Catalog(parse_text(text_or_bytes, "fuzz.toml"))
    except CatalogError as exc:
        msg = str(exc)
        assert msg.startswith("fuzz.toml"), msg
        assert len(msg) < 2000, msg[:300]


@given(st.sampled_from(PATHS), toml_values)
def test_any_value_in_any_field_loads_or_raises_catalog_error(path, value):
    import copy

    doc = copy.deepcopy(BASE)
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):  # tomli_w cannot write some values (e.g. NaN keys); skip
        return
    _load(text)


@given(st.sampled_from(PATHS))
def test_a_missing_field_loads_or_raises_catalog_error(path):
    import copy

    doc = copy.deepcopy(BASE)
    target = doc
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    _load(tomli_w.dumps(doc))


@given(st.binary(max_size=200))
def test_any_bytes_load_or_raise_catalog_error(data):
    _load(data)


@given(st.text(max_size=200))
def test_any_text_loads_or_raises_catalog_error(data):
    _load(data)


@given(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["kg", "km", "deg"]))
def test_non_finite_and_negative_facts_never_load(x, unit):
    doc = tomllib.loads(tomli_w.dumps(BASE))
    doc["mission"][0]["facts"][0]["value"] = f"{x!r} {unit}"
    if math.isfinite(x) and x > 0 and unit == "kg":
        _load(tomli_w.dumps(doc))  # a valid launch mass
        return
    try:
        parse_text(tomli_w.dumps(doc), "fuzz.toml")
    except CatalogError as exc:
        assert "field 'facts[0].value'" in str(exc)
    else:
        raise AssertionError(f"launch_mass = {x!r} {unit} loaded")
