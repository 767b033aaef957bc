"""The things a comparison is about.

Catalog records resolved to a :class:`Subject`, as of an analysis date.

:func:`resolve` turns a name (any catalog alias, or an element-set name such as ``"ISS
(ZARYA)"``, ``"Tianhe"`` or ``"25544"``) into a :class:`Subject`: its display name (always the
catalog's name when the catalog knows the object, so "CSS", "Tiangong" and "CSS (TIANHE)" all
show as "Chinese space station"), what kind of thing it is and, for an Earth orbit, its mean
elements. Station elements are the element set **nearest the analysis date** ``at`` (default:
now, UTC) in the element histories (:func:`element_histories`: the packaged history of real
ISS and Tianhe sets, the user cache of ``mission-compare elements update`` and the user's own
files); stations without elements get the catalog orbit (no node then).

Every subject with elements carries the :class:`orbits.results.InputSet` of the set it used
(object, epoch, source file, age) and, when the set is more than 14 days from the analysis
date, the stale message (also issued as :class:`orbits.errors.StaleInputWarning`); a date no
set supports raises :class:`orbits.errors.DateRangeError`.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field

from astropy import units as u

from orbits._validation import describe_value
from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError, ValidationError

__all__ = ["MAX_NAME_LENGTH", "PAIRINGS", "Subject", "analysis_time", "element_histories",
           "resolve", "station_elements"]

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
    ``"lunar"``; ``record``: the catalog record (None for an element set the catalog does not
    know); ``elements``: mean elements ``a, ecc, inc`` and, from an element set, ``raan, argp,
    M, epoch``; ``elements_source``: where they come from; ``tle``: the
    :class:`orbits.history.ElementSet` used (nearest the analysis date); ``input``: its
    :class:`~orbits.results.InputSet` (epoch, source file, age); ``analysis_date``;
    ``warnings``: the stale message, if the set is more than 14 days from that date.
    """

    name: str
    kind: str
    record: object = None
    elements: dict = field(default_factory=dict)
    elements_source: str = ""
    tle: object = None
    input: object = None
    analysis_date: object = None
    warnings: tuple = ()

    def __repr__(self) -> str:
        """Return ``<Subject name: kind, elements source>``."""
        src = f", {self.elements_source}" if self.elements_source else ""
        return f"<Subject {self.name}: {self.kind}{src}>"

    @property
    def element_set(self):
        """The :class:`orbits.history.ElementSet` used (None without one)."""
        return self.tle

    @property
    def has_node(self) -> bool:
        """True when the elements include the node and epoch (an element set)."""
        return "raan" in self.elements and "epoch" in self.elements

    def input_set(self, analysis_date=None):
        """Return the :class:`orbits.results.InputSet` describing this subject's elements.

        Their age is relative to ``analysis_date``, default the subject's own analysis date.
        """
        from orbits.results import InputSet

        if self.tle is not None:
            if self.input is not None and (analysis_date is None or self.analysis_date is None
                                           or analysis_date == self.analysis_date):
                return self.input
            from orbits.history import element_age

            t = self.analysis_date if analysis_date is None else analysis_date
            age = None if t is None else element_age(self.tle, t)
            return InputSet("elements", self.tle.name, source=getattr(self.tle, "source", ""),
                            epoch=self.tle.epoch, age=age,
                            detail=f"catalogue number {self.tle.catalog_number}")
        if self.kind == SITE:
            return InputSet("catalog", self.name, source=getattr(self.record, "source", ""),
                            detail="site coordinates")
        return InputSet("catalog", self.name, source=self.elements_source,
                        detail="catalog orbit (no node)")

    def search_orbit(self) -> dict:
        """Return mean elements with ``argp`` and ``M`` for :func:`orbits.station_transfer_search`.

        Only for subjects with an element set.
        """
        if self.tle is None:
            raise ArgumentError(
                f"a station transfer search needs element-set elements (node, perigee, "
                f"anomaly); {self.name} has {self.elements_source or 'none'}")
        return _tle_elements(self.tle)


# --- the analysis date and the element histories ------------------------------------------------


def analysis_time(at=None, name: str = "at"):
    """Return the analysis date as a scalar UTC ``Time``.

    ``at`` is a Time or an ISO date string, or None for now. ERFA's "dubious year" warnings
    for far dates are suppressed (the element sets judge far dates:
    :func:`orbits.history.assess_age`).
    """
    from astropy.time import Time
    from erfa import ErfaWarning

    from orbits._validation import as_time

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        if at is None:
            t = Time.now()
        else:
            try:
                t = as_time(at.strip()[:40] if isinstance(at, str) else at, name)
            except ValidationError:
                raise ArgumentError(f"{name} must be a UTC date such as 2025-11-20 or "
                                    f"2025-11-20T06:00, got {describe_value(at)}") from None
        if not t.isscalar:
            raise ArgumentError(f"{name} must be a single date, got shape {t.shape}")
        t = t.utc
        _ = t.jd1, t.isot
    return t


_CACHE: dict = {}


def _file_key(path) -> tuple:
    try:
        st = os.stat(path)
        return (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(path), None, None)


def element_histories(elements=None):
    """Return the element histories an analysis uses, as :class:`orbits.history.Histories`.

    ``elements``: None -- the packaged history plus the user cache
    (:func:`missions.elements_store.histories`); a path or a list of paths -- those TLE/OMM
    files on top (at equal epochs the user's set wins); a ``Histories`` object -- exactly
    that. Loaded histories are kept while the files are unchanged.
    """
    from orbits.history import ElementHistory, Histories

    if isinstance(elements, Histories):
        return elements
    if isinstance(elements, ElementHistory):
        return Histories([elements])
    if elements is None:
        files = ()
    elif isinstance(elements, (str, os.PathLike)):
        files = (elements,)
    else:
        try:
            files = tuple(elements)
        except TypeError:
            raise ArgumentTypeError(
                f"elements must be a path to a TLE/OMM file, a list of paths or an "
                f"orbits.history.Histories, got {describe_value(elements)}") from None
        for f in files:
            if not isinstance(f, (str, os.PathLike)):
                raise ArgumentTypeError(
                    f"elements must be a path to a TLE/OMM file, a list of paths or an "
                    f"orbits.history.Histories; got an item {describe_value(f)}")
    from . import elements_store

    key = (_file_key(elements_store.cache_path()), tuple(_file_key(f) for f in files))
    if key not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = elements_store.histories(*files)
    return _CACHE[key]


def emit_stale(messages, stacklevel: int = 3) -> None:
    """Issue each stale-elements message once as :class:`~orbits.errors.StaleInputWarning`.

    The public analyses call this last, so a failing analysis prints only its error.
    """
    from orbits.errors import StaleInputWarning

    for msg in dict.fromkeys(messages):
        warnings.warn(msg, StaleInputWarning, stacklevel=stacklevel)


def _tle_elements(t) -> dict:
    return {"a": t.a.to(u.km), "ecc": t.ecc, "inc": t.inc, "raan": t.raan, "argp": t.argp,
            "M": t.mean_anomaly, "epoch": t.epoch}


def _tle_source(t) -> str:
    src = os.path.basename(getattr(t, "source", "") or "")
    return (f"TLE {t.name} (epoch {t.epoch.utc.isot[:16]}" + (f", {src}" if src else "")
            + ")")


def _history_for(record, hist):
    """Return the element history of a catalog record (its ``tle_names`` in order), or None."""
    for n in getattr(record, "tle_names", ()) or ():
        if n in hist:
            return hist[n]
    return None


def _with_elements(name, record, history, at, warn):
    """Make an Earth-orbit subject from the set of ``history`` nearest ``at``."""
    from orbits.history import assess_age, stale_message

    es = history.at(at)
    inp = assess_age(es, at, warn=warn, stacklevel=4)
    msg = stale_message(es, at)
    return Subject(name, EARTH_ORBIT, record, _tle_elements(es), _tle_source(es), es,
                   input=inp, analysis_date=at, warnings=(msg,) if msg else ())


def station_elements(record, *, at=None, elements=None) -> tuple[dict, str] | None:
    """Return mean elements of a catalog mission from the element set nearest ``at``.

    ``at`` defaults to now; only records that name element sets (``tle_names``) have them.

    Returns ``(elements, description)`` or None. ``elements`` has
    ``a, ecc, inc, raan, argp, M, epoch``.
    """
    t = analysis_time(at)
    h = _history_for(record, element_histories(elements))
    if h is None:
        return None
    es = h.at(t)
    return _tle_elements(es), _tle_source(es)


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


def _record_for_history(cat, history):
    """Return the catalog mission that flies ``history``'s object.

    One of its ``tle_names`` names it; a station is preferred over a module of it
    (``CSS (TIANHE)`` is the Chinese station's elements as well as Tianhe's).
    """
    from orbits.history import normalize_name

    names = {normalize_name(n) for n in history.names}
    hits = []
    for m in getattr(cat, "missions", ()):
        tle_names = [normalize_name(n) for n in (getattr(m, "tle_names", ()) or ())]
        pos = [k for k, n in enumerate(tle_names) if n in names]
        if pos:
            hits.append((m.kind != "station", pos[0], m))
    hits.sort(key=lambda h: h[:2])
    return hits[0][2] if hits else None


def _full_name_match(hist, name):
    """Return the history whose object's full name (as a source gives it) is ``name``, or None."""
    from orbits.history import normalize_name

    key = normalize_name(name)
    for n in hist:
        h = hist[n]
        if any(normalize_name(nm) == key for nm in h.names):
            return h
    return None


def resolve(name: str, catalog=None, *, at=None, elements=None, warn: bool = True) -> Subject:
    """Find ``name`` in the catalog or the element histories and classify it.

    A catalog record wins over an element history; an orbit subject takes the element set
    nearest the analysis date ``at``.

    Parameters
    ----------
    name : str
        A catalog name or alias, or an element-set name (``"ISS (ZARYA)"``, ``"Tianhe"``) or
        catalogue number as text (``"25544"``).
    catalog : missions.Catalog, optional
    at : Time or str, optional (keyword-only)
        The analysis date; default now (UTC).
    elements : None, path, list of paths or orbits.history.Histories (keyword-only)
        See :func:`element_histories`.
    warn : bool
        Issue :class:`~orbits.errors.StaleInputWarning` for elements more than 14 days from
        ``at`` (the message is kept in ``Subject.warnings`` either way).

    Raises :class:`~orbits.errors.NotFoundError` (a ``KeyError``) with the closest catalog
    names if neither knows it, :class:`~orbits.errors.ArgumentError` if the record cannot take
    part in a comparison (a launcher, a mission with no orbit) and
    :class:`~orbits.errors.DateRangeError` when no element set supports ``at``.
    """
    from . import records as r
    from .catalog import load_catalog

    _check_name(name)
    t = analysis_time(at)
    cat = catalog if catalog is not None else load_catalog()
    hist = element_histories(elements)

    h = _full_name_match(hist, name.strip())
    if h is not None:  # an element-set name: the station that flies it, by its catalog name
        rec = _record_for_history(cat, h)
        return _with_elements(h.name if rec is None else rec.name, rec, h, t, warn)
    try:
        rec = cat[name]
    except KeyError as exc:
        if isinstance(exc, ValidationError) and not isinstance(exc, NotFoundError):
            raise
        try:  # a part of an element-set name ("Tianhe", "ZARYA") or a catalogue number
            h = hist[name]
        except (NotFoundError, ArgumentTypeError):
            raise NotFoundError(exc.args[0] if exc.args else f"no record named {name!r}") from None
        rec = _record_for_history(cat, h)
        return _with_elements(h.name if rec is None else rec.name, rec, h, t, warn)
    if isinstance(rec, r.LaunchSite):
        return Subject(rec.name, SITE, rec, analysis_date=t)
    if isinstance(rec, r.LaunchVehicle):
        raise ArgumentError(f"{name!r} is a launch vehicle ({rec.name}); compare takes {PAIRINGS}")
    if rec.target == "Moon":
        return Subject(rec.name, LUNAR, rec, analysis_date=t)
    h = _history_for(rec, hist)
    if h is not None:
        return _with_elements(rec.name, rec, h, t, warn)
    orbit = rec.orbit("Earth")
    if orbit is None:
        raise ArgumentError(
            f"{name!r} ({rec.name}) has no Earth orbit in the catalog and no element sets; "
            f"compare takes {PAIRINGS}")
    src = cat.sources.get(orbit.source)
    return Subject(rec.name, EARTH_ORBIT, rec, _catalog_orbit_elements(orbit),
                   f"catalog orbit [{src.key if src else orbit.source}]", analysis_date=t)
