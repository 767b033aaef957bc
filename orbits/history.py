"""Element sets as data.

One :class:`ElementSet` per epoch, an :class:`ElementHistory` per object, and :class:`Histories`
(all objects, looked up by catalogue number or name).

>>> from orbits.history import read_histories
>>> hist = read_histories("orbits/data/stations-2024-05-09.tle")
>>> iss = hist["ISS"]                      # also "ISS (ZARYA)", "iss zarya", 25544, "25544"
>>> iss.at("2024-05-20").epoch.isot[:10]
'2024-05-09'
>>> round(float(iss.age("2024-05-20").to_value("day")), 1)
10.6

Every analysis that uses elements reports which set it used and how old it was:
:func:`assess_age` gives the :class:`orbits.results.InputSet` and issues
:class:`orbits.errors.StaleInputWarning` when the elements are more than 14 days from the
analysis date; dates more than :data:`MAX_AGE` away raise :class:`orbits.errors.DateRangeError`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.time import Time

from ._validation import as_time, describe_value
from .errors import (
    ArgumentError,
    ArgumentTypeError,
    DateRangeError,
    NotFoundError,
    StaleInputWarning,
)
from .results import InputSet
from .tle import TLE, SatrecElements, _check_lines, _satrec_from_lines

__all__ = [
    "DEDUP_TOLERANCE",
    "MAX_AGE",
    "STALE_AFTER",
    "ElementHistory",
    "ElementSet",
    "Histories",
    "assess_age",
    "element_age",
    "expected_node_error",
    "normalize_name",
    "packaged_element_files",
    "read_histories",
    "stale_message",
]

#: Elements further than this from the analysis date make a result carry a warning.
STALE_AFTER = 14 * u.day
#: Elements further than this from the analysis date are refused (DateRangeError): SGP4 mean
#: elements of a low orbit say nothing useful about the plane years away.
MAX_AGE = 3 * 365.25 * u.day
#: Two sets of one object whose epochs differ by less than this are the same set.
DEDUP_TOLERANCE = 1.0 * u.s

_PUNCT = re.compile(r"[\s\-_'\u2019\u2018`\".,:;()/\u00b7\u2010-\u2015]+")


def normalize_name(name) -> str:
    """Return the lookup key of a name, as in the mission catalog.

    Case-, space- and punctuation-insensitive (``"ISS (ZARYA)"`` == ``"iss zarya"``).
    """
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return _PUNCT.sub("", text)


# --- one element set ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class ElementSet(SatrecElements):
    """One set of SGP4 mean elements of one object at one epoch, with where it came from.

    Attributes
    ----------
    name : str
        Object name as the source gives it ("ISS (ZARYA)").
    satrec : sgp4.api.Satrec
        The initialised SGP4 record (WGS 72).
    source : str
        File or URL the set was read from.
    record : str
        Where in the source: ``"line 4"`` (TLE, CSV), ``"record 2"`` (JSON), ``"segment 1"`` (XML).
    line1, line2 : str
        The TLE lines, when the set came from a TLE ("" otherwise).
    omm : dict or None
        The OMM fields, when the set came from OMM data.

    Plus everything of :class:`orbits.tle.SatrecElements`: ``epoch``, ``catalog_number``,
    ``a, ecc, inc, raan, argp, mean_anomaly, mean_motion``, ``state(times)``, ``to_boinor()``.
    """

    name: str
    satrec: object = field(repr=False)
    source: str = ""
    record: str = ""
    line1: str = ""
    line2: str = ""
    omm: dict | None = field(default=None, repr=False)

    @classmethod
    def from_lines(cls, name, line1, line2, *, source="", record="") -> ElementSet:
        """From the two lines of a TLE (checked as by :class:`orbits.tle.TLE`)."""
        line1, line2 = str(line1).rstrip(), str(line2).rstrip()
        name = str(name or line1[2:7].strip())
        _check_lines(line1, line2, name)
        return cls(name=name, satrec=_satrec_from_lines(line1, line2, name), source=source,
                   record=record, line1=line1, line2=line2)

    @classmethod
    def from_tle(cls, tle: TLE, *, source="", record="") -> ElementSet:
        """Return the element set of a :class:`orbits.tle.TLE`."""
        if not isinstance(tle, TLE):
            raise ArgumentTypeError(f"tle must be an orbits.tle.TLE, got {type(tle).__name__}")
        return cls(name=tle.name, satrec=tle.satrec, source=source, record=record,
                   line1=tle.line1, line2=tle.line2)

    @classmethod
    def from_omm(cls, fields: dict, *, source="", record="") -> ElementSet:
        """From one OMM record (CelesTrak field names); see :func:`orbits.omm.satrec_from_omm`."""
        from .omm import _from_omm

        return _from_omm(fields, source or "<OMM>", record or "record 1")

    @cached_property
    def epoch(self) -> Time:  # cached: histories sort and search on it
        """Epoch of the set (UTC)."""
        return SatrecElements.epoch.fget(self)

    @cached_property
    def catalog_number(self) -> int:
        """NORAD catalog number."""
        return int(self.satrec.satnum)

    def age(self, at) -> u.Quantity:
        """``at - epoch`` in days (positive when the elements are older than ``at``)."""
        return element_age(self, at)

    def to_omm(self) -> dict:
        """Return the set as an OMM record (CelesTrak's JSON field names).

        The fields read, or ``sgp4.exporter.export_omm`` of the record for a set read from a TLE.
        """
        if self.omm is not None:
            return dict(self.omm)
        from sgp4.exporter import export_omm

        return export_omm(self.satrec, self.name)

    def describe(self) -> str:
        """Return name, catalog number and epoch as one line."""
        return (f"{self.name} #{self.catalog_number} epoch "
                f"{self.epoch.utc.isot[:19].replace('T', ' ')} UTC")

    def __repr__(self) -> str:
        """Return ``<ElementSet ...>`` with :meth:`describe`."""
        return f"<ElementSet {self.describe()}>"

    __str__ = __repr__


# --- the history of one object -----------------------------------------------------------------


def _epoch_key(es: ElementSet) -> float:
    return float(es.satrec.jdsatepoch) + float(es.satrec.jdsatepochF)


class ElementHistory:
    """All element sets of one object, sorted by epoch, one per epoch.

    Sets whose epochs are within :data:`DEDUP_TOLERANCE` are one set: the one given **last**
    wins, so merging (packaged, user cache, user file) lets the later source replace the
    earlier. Build with :meth:`Histories.from_sets` / :func:`read_histories`, or directly
    from sets of a single object.
    """

    def __init__(self, sets: Iterable[ElementSet]):
        sets = list(sets)
        if not sets:
            raise ArgumentError("an ElementHistory needs at least one element set, got none")
        for s in sets:
            if not isinstance(s, ElementSet):
                raise ArgumentTypeError(f"ElementHistory takes ElementSet objects, got "
                                        f"{describe_value(s)}")
        numbers = {s.catalog_number for s in sets}
        if len(numbers) > 1:
            raise ArgumentError(f"an ElementHistory holds one object, got catalogue numbers "
                                f"{sorted(numbers)}")
        tol = DEDUP_TOLERANCE.to_value(u.day)
        order = sorted(range(len(sets)), key=lambda k: (_epoch_key(sets[k]), k))
        kept: list[int] = []
        for k in order:
            if kept and _epoch_key(sets[k]) - _epoch_key(sets[kept[-1]]) < tol:
                kept[-1] = max(kept[-1], k)  # same epoch: the set given later wins
                continue
            kept.append(k)
        kept = [sets[k] for k in kept]
        self._sets = tuple(kept)
        self._jd = np.array([_epoch_key(s) for s in kept])

    # -- container --
    @property
    def sets(self) -> tuple[ElementSet, ...]:
        """Element sets, oldest first."""
        return self._sets

    def __len__(self) -> int:
        """Return the number of element sets."""
        return len(self._sets)

    def __iter__(self):
        """Iterate over the sets, oldest first."""
        return iter(self._sets)

    def __getitem__(self, k):
        """Return the set (or sets) at index ``k``."""
        return self._sets[k]

    @property
    def catalog_number(self) -> int:
        """NORAD catalog number of the object."""
        return self._sets[0].catalog_number

    @property
    def name(self) -> str:
        """The name of the latest set."""
        return self._sets[-1].name

    @property
    def names(self) -> tuple[str, ...]:
        """Names the object has had, in order of first use."""
        return tuple(dict.fromkeys(s.name for s in self._sets))

    @property
    def epochs(self) -> Time:
        """Epochs of the sets (UTC), oldest first."""
        t = Time(self._jd, format="jd", scale="utc")
        t.format = "isot"
        return t

    @property
    def first(self) -> ElementSet:
        """Oldest element set."""
        return self._sets[0]

    @property
    def latest(self) -> ElementSet:
        """Newest element set."""
        return self._sets[-1]

    # -- lookup --
    def index_at(self, time, *, not_after: bool = False):
        """Index (or array of indices, for an array ``time``) of the set :meth:`at` returns."""
        t = _quiet_time(time, "time")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", _erfa_warning())
            jd = np.asarray(t.utc.jd1 + t.utc.jd2, dtype=float)
            first_time = t.utc.isot if t.isscalar else t.utc.isot.ravel()[0]
        right = np.searchsorted(self._jd, jd, side="right")  # first set with epoch > t
        if not_after:
            if np.any(right == 0):
                first = self.first.epoch.utc.isot[:19]
                raise DateRangeError(
                    f"no element set of {self.name} (#{self.catalog_number}) at or before "
                    f"{first_time}: the first epoch is "
                    f"{first} UTC")
            idx = right - 1
        else:
            lo = np.clip(right - 1, 0, len(self) - 1)
            hi = np.clip(right, 0, len(self) - 1)
            idx = np.where(np.abs(self._jd[hi] - jd) < np.abs(jd - self._jd[lo]), hi, lo)
        return int(idx) if np.ndim(idx) == 0 else idx

    def at(self, time, *, not_after: bool = False):
        """Return the set whose epoch is nearest ``time``.

        With ``not_after=True``: the latest set with epoch at or before ``time`` (DateRangeError if
        there is none).

        For an array of times, a list of sets.
        """
        idx = self.index_at(time, not_after=not_after)
        if isinstance(idx, int):
            return self._sets[idx]
        return [self._sets[int(k)] for k in np.ravel(idx)]

    def age(self, time, *, not_after: bool = False) -> u.Quantity:
        """``time`` minus the epoch of :meth:`at` ``(time)``, days (positive: elements older)."""
        t = _quiet_time(time, "time")
        idx = self.index_at(t, not_after=not_after)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", _erfa_warning())
            jd = np.asarray(t.utc.jd1 + t.utc.jd2, dtype=float)
        return (jd - self._jd[idx]) * u.day

    def merge(self, other: ElementHistory) -> ElementHistory:
        """Return this history and ``other`` (same object); at equal epochs ``other``'s set wins."""
        return ElementHistory([*self._sets, *other.sets])

    def __repr__(self) -> str:
        """Return the object, its number of sets and their span."""
        span = (f"{self.first.epoch.utc.isot[:10]}" if len(self) == 1 else
                f"{self.first.epoch.utc.isot[:10]} to {self.latest.epoch.utc.isot[:10]}")
        return (f"<ElementHistory {self.name} #{self.catalog_number}: {len(self)} "
                f"set{'s' if len(self) != 1 else ''}, {span}>")


# --- all objects -------------------------------------------------------------------------------


def _aliases(name: str) -> list[str]:
    """Return the lookup keys of a name.

    The whole name, and for ``"CSS (TIANHE)"`` also ``"CSS"`` and ``"TIANHE"``.
    """
    keys = [normalize_name(name)]
    m = re.match(r"^\s*(.*?)\s*\((.*)\)\s*$", name)
    if m:
        keys += [normalize_name(m.group(1)), normalize_name(m.group(2))]
    return [k for k in keys if k]


class Histories(Mapping):
    """Element histories of many objects, keyed by catalogue number (int).

    ``hist[key]`` also accepts a name, looked up as in the mission catalog (case, spaces and
    punctuation ignored): the full name (``"ISS (ZARYA)"``), the part before the parenthesis
    (``"ISS"``, ``"CSS"``) or the part inside it (``"ZARYA"``, ``"Tianhe"``), or the number as
    text (``"25544"``). Full names win over parts; a part shared by several objects (``"CSS"``
    for Tianhe, Wentian and Mengtian) means the object with the lowest catalogue number, the
    first launched (the core module). Unknown names raise :class:`NotFoundError` with the
    closest names.
    """

    def __init__(self, histories: Iterable[ElementHistory] = ()):
        self._by_number: dict[int, ElementHistory] = {}
        for h in histories:
            n = h.catalog_number
            self._by_number[n] = self._by_number[n].merge(h) if n in self._by_number else h
        full: dict[str, int] = {}
        part: dict[str, int] = {}
        for n in sorted(self._by_number):
            for nm in self._by_number[n].names:
                keys = _aliases(nm)
                full.setdefault(keys[0], n)
                for k in keys[1:]:
                    part.setdefault(k, n)
        self._index = {**part, **full}
        self._display = {normalize_name(nm): nm for h in self._by_number.values() for nm in h.names}

    @classmethod
    def from_sets(cls, sets: Iterable[ElementSet]) -> Histories:
        """Group element sets by catalogue number (later sets win at equal epochs)."""
        groups: dict[int, list[ElementSet]] = {}
        for s in sets:
            if not isinstance(s, ElementSet):
                raise ArgumentTypeError(f"Histories.from_sets takes ElementSet objects, got "
                                        f"{describe_value(s)}")
            groups.setdefault(s.catalog_number, []).append(s)
        return cls(ElementHistory(g) for g in groups.values())

    def merge(self, *others: Histories) -> Histories:
        """Return these histories extended by ``others`` in order.

        Later sources win at equal epochs.
        """
        hs = list(self._by_number.values())
        for o in others:
            hs.extend(o.values())
        return Histories(hs)

    def resolve(self, key) -> int:
        """Catalogue number of ``key`` (number, numeric text or name; see the class notes)."""
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            if int(key) in self._by_number:
                return int(key)
            raise NotFoundError(f"no element sets of catalogue number {int(key)}; known: "
                                f"{sorted(self._by_number)}")
        if isinstance(key, ElementHistory):
            return self.resolve(key.catalog_number)
        if not isinstance(key, str):
            raise ArgumentTypeError(f"an object is named by a str or a catalogue number (int), "
                                    f"got {describe_value(key)}")
        text = key.strip()
        if text.isdigit():
            return self.resolve(int(text))
        norm = normalize_name(text)
        if norm in self._index:
            return self._index[norm]
        close = difflib.get_close_matches(norm, list(self._display), n=3, cutoff=0.5)
        hint = f"; closest: {', '.join(self._display[c] for c in close)}" if close else ""
        raise NotFoundError(f"no element sets for {key!r}{hint} (known: "
                            f"{', '.join(sorted(h.name for h in self._by_number.values()))})")

    def __getitem__(self, key) -> ElementHistory:
        """Return the history of an object by catalogue number or name."""
        return self._by_number[self.resolve(key)]

    def __contains__(self, key) -> bool:
        """Return whether ``key`` names an object."""
        try:
            self.resolve(key)
        except (NotFoundError, ArgumentTypeError):
            return False
        return True

    def __iter__(self):
        """Iterate over the catalogue numbers, in order."""
        return iter(sorted(self._by_number))

    def __len__(self) -> int:
        """Return the number of objects."""
        return len(self._by_number)

    def sets(self) -> list[ElementSet]:
        """Every set of every object, by catalogue number then epoch."""
        return [s for n in self for s in self._by_number[n]]

    def __repr__(self) -> str:
        """Return the number of objects and sets."""
        n_sets = sum(len(h) for h in self._by_number.values())
        return f"<Histories {len(self)} objects, {n_sets} element sets>"


def packaged_element_files() -> list[Path]:
    """Return the element files shipped in the package.

    ``orbits/data/*.tle`` and every TLE/OMM file under ``orbits/data/history/`` (if present).
    """
    data = Path(__file__).resolve().parent / "data"
    files = sorted(data.glob("*.tle"))
    hist = data / "history"
    if hist.is_dir():
        files += sorted(p for p in hist.rglob("*")
                        if p.is_file() and p.suffix.lower() in (".tle", ".txt", ".json", ".csv",
                                                                ".xml"))
    return files


def read_histories(*paths, packaged: bool = False) -> Histories:
    """Read the histories of every object in the given TLE/OMM files.

    Later files win at equal epochs; with ``packaged=True`` the package's own files
    (:func:`packaged_element_files`) come first.
    """
    from .omm import read_elements

    files = (packaged_element_files() if packaged else []) + [Path(p) for p in paths]
    if not files:
        raise ArgumentError("read_histories needs at least one file (or packaged=True)")
    sets: list[ElementSet] = []
    for p in files:
        sets.extend(read_elements(p))
    return Histories.from_sets(sets)


# --- age and staleness -------------------------------------------------------------------------

def _node_error_table(model: str = "secular") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (upper bin edges in days, median, 90th percentile in deg) of the node error.

    For both stations together, from ``orbits/data/history/node_error.toml``
    (benchmarks/node_prediction_error.py).
    """
    import tomllib
    from pathlib import Path

    path = Path(__file__).with_name("data") / "history" / "node_error.toml"
    with path.open("rb") as fh:
        doc = tomllib.load(fh)
    rows = [r for r in doc["error"] if r["object"] == "all" and r["model"] == model
            and "node_median_deg" in r]
    rows.sort(key=lambda r: r["upper_days"])
    return (np.array([r["upper_days"] for r in rows]),
            np.array([r["node_median_deg"] for r in rows]),
            np.array([r["node_p90_deg"] for r in rows]))


def expected_node_error(age, *, model: str = "secular", percentile: int = 50) -> u.Quantity:
    """Return the expected error (deg) of the predicted node (RAAN) of a station plane.

    At ``age`` from the elements' epoch.

    Measured between the real ISS and Tianhe element sets of the packaged history
    (``orbits/data/history/node_error.toml``, 55,496 pairs of sets, 2021-2026): the median
    (``percentile=50``) or 90th percentile (``percentile=90``) absolute node error of the
    ``model`` ("secular" or "sgp4") in the age bin that holds ``|age|``. Ages beyond the last
    bin (2,200 days) take the last bin's value.
    """
    if percentile not in (50, 90):
        raise ArgumentError(f"percentile must be 50 or 90, got {describe_value(percentile)}")
    if model not in ("secular", "sgp4"):
        raise ArgumentError(f"model must be 'secular' or 'sgp4', got {describe_value(model)}")
    days = np.abs(as_time_delta_days(age))
    upper, med, p90 = _node_error_table(model)
    idx = np.clip(np.searchsorted(upper, days, side="left"), 0, len(upper) - 1)
    return (med if percentile == 50 else p90)[idx] * u.deg


def as_time_delta_days(age):
    if isinstance(age, u.Quantity):
        try:
            return age.to_value(u.day)
        except u.UnitConversionError:
            raise ArgumentTypeError(f"age must be a time Quantity, got unit {age.unit}") from None
    if hasattr(age, "to_value") and hasattr(age, "jd"):  # TimeDelta
        return age.to_value(u.day)
    raise ArgumentTypeError(f"age must be a time Quantity (e.g. 30 * u.day), got "
                            f"{describe_value(age)}")


def _erfa_warning():
    from erfa import ErfaWarning

    return ErfaWarning


def _quiet_time(at, name="at") -> Time:
    """``as_time`` without ERFA's "dubious year" warnings (far dates are judged here)."""
    from erfa import ErfaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        t = as_time(at, name)
        _ = t.utc.jd1  # the conversions that warn happen here, once
    return t


def element_age(element_set: ElementSet, at) -> u.Quantity:
    """``at - epoch`` of a set (days; positive when the elements are older than ``at``)."""
    from erfa import ErfaWarning

    if not isinstance(element_set, SatrecElements):
        raise ArgumentTypeError(f"element_set must be an ElementSet or TLE, got "
                                f"{describe_value(element_set)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        return (_quiet_time(at) - element_set.epoch).to(u.day)


def stale_message(element_set, at, *, stale_after=STALE_AFTER) -> str | None:
    """Return the warning text for elements more than ``stale_after`` from ``at``, or None."""
    age = element_age(element_set, at)
    days = float(age.to_value(u.day))
    if abs(days) <= stale_after.to_value(u.day):
        return None
    when = "before" if days > 0 else "after"
    err = expected_node_error(age).to_value(u.deg)
    err90 = expected_node_error(age, percentile=90).to_value(u.deg)
    return (f"elements of {element_set.name} (#{element_set.catalog_number}) have epoch "
            f"{element_set.epoch.utc.isot[:16].replace('T', ' ')} UTC, {abs(days):.1f} days "
            f"{when} the analysis date {_quiet_time(at).utc.isot[:10]}; expected error of the "
            f"predicted plane node at that age {err:.2g} deg (90 % within {err90:.2g} deg, "
            f"measured on real ISS/Tianhe sets); update the elements with "
            f"'mission-compare elements update' or pass --tle FILE")


def assess_age(element_set, at, *, stale_after=STALE_AFTER, max_age=MAX_AGE, warn: bool = True,
               stacklevel: int = 2) -> InputSet:
    """Return the :class:`~orbits.results.InputSet` of an element set used at analysis date ``at``.

    Issues :class:`~orbits.errors.StaleInputWarning` (message: object, epoch, age in days and
    the expected node error) when ``|at - epoch| > stale_after`` (default 14 days) and
    ``warn`` is true. Raises :class:`~orbits.errors.DateRangeError` when
    ``|at - epoch| > max_age`` (default 3 years): no element set supports that date.
    """
    from erfa import ErfaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        t = _quiet_time(at)
        if not t.isscalar:
            raise ArgumentError(f"at must be a single date, got shape {t.shape}")
        age = element_age(element_set, t)
        days = float(age.to_value(u.day))
        if abs(days) > max_age.to_value(u.day):
            raise DateRangeError(
                f"analysis date {t.utc.isot[:10]} is {abs(days):.0f} days "
                f"{'after' if days > 0 else 'before'} the epoch "
                f"{element_set.epoch.utc.isot[:10]} of the elements of {element_set.name} "
                f"(#{element_set.catalog_number}); allowed: within {max_age.to_value(u.day):.0f} "
                "days; use elements nearer that date "
                "(--tle FILE, 'mission-compare elements update')")
        msg = stale_message(element_set, t, stale_after=stale_after)
    if msg and warn:
        warnings.warn(msg, StaleInputWarning, stacklevel=stacklevel)
    return InputSet(
        kind="elements",
        name=element_set.name,
        source=getattr(element_set, "source", "") or "",
        epoch=element_set.epoch,
        age=age,
        detail=f"catalogue number {element_set.catalog_number}",
    )
