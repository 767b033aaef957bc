"""The user's cache of current element sets, fetched from CelesTrak's GP service.

>>> from missions import elements_store
>>> elements_store.update()  # needs the network  # doctest: +SKIP
<ElementsUpdate 9 sets downloaded, 9 new, 9 objects cached>

The cache is one OMM JSON file, ``<data dir>/elements/gp-history.json``: every record ever
downloaded, deduplicated by (catalogue number, epoch), so it grows into a history. The data
directory is platformdirs' user data directory for "mission-compare", or the directory named
by the environment variable ``MISSION_COMPARE_DATA``.

:func:`update` validates a download completely (every record through the OMM reader) before
anything is written, writes through a temporary file and ``os.replace`` (atomic), and so never
replaces good data with a failed or corrupt download. A network failure raises
:class:`ElementsDownloadError` (a :class:`orbits.errors.ValidationError`: one line in the CLI);
a corrupt download raises :class:`orbits.errors.DataFileError` naming the URL and record.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits.errors import ArgumentError, DataFileError, ValidationError
from orbits.results import Result, TableResult, column, value

__all__ = ["CELESTRAK_GP", "CachedElements", "ElementsDownloadError", "ElementsUpdate",
           "cache_path", "cached_histories", "data_dir", "gp_url", "histories",
           "list_cached", "update"]

CELESTRAK_GP = "https://celestrak.org/NORAD/elements/gp.php"
ENV_VAR = "MISSION_COMPARE_DATA"
_CACHE_NAME = "gp-history.json"


class ElementsDownloadError(ValidationError):
    """A download of element sets failed (offline, timeout, HTTP error); the cache is unchanged."""


def data_dir() -> Path:
    """Return the user data directory: ``$MISSION_COMPARE_DATA`` if set, else platformdirs'."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("mission-compare", appauthor=False))


def cache_path() -> Path:
    """Return the cache file: ``<data dir>/elements/gp-history.json``."""
    return data_dir() / "elements" / _CACHE_NAME


def gp_url(*, group: str | None = "stations", catnr: int | None = None) -> str:
    """CelesTrak GP URL for OMM JSON of a group (``stations``) or one catalogue number."""
    if catnr is not None:
        if isinstance(catnr, bool) or not isinstance(catnr, (int, np.integer)) or not (
                0 < int(catnr) < 1_000_000_000):
            raise ArgumentError(f"catnr must be a positive integer catalogue number, got {catnr!r}")
        return f"{CELESTRAK_GP}?CATNR={int(catnr)}&FORMAT=json"
    if not isinstance(group, str) or not group.strip() or not all(
            c.isalnum() or c in "-_" for c in group.strip()):
        raise ArgumentError(f"group must be a CelesTrak group name such as 'stations' (letters, "
                            f"digits, '-', '_'), got {group!r}")
    return f"{CELESTRAK_GP}?GROUP={group.strip()}&FORMAT=json"


# --- reading the cache -------------------------------------------------------------------------


def _read_cache(path: Path) -> list[dict]:
    """Return the cached OMM records (empty without a cache); DataFileError if it is corrupt."""
    from orbits.omm import parse_elements

    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    parse_elements(text, source=str(path), format="json")  # full validation
    return json.loads(text)


def cached_histories():
    """Return the cache as :class:`orbits.history.Histories` (None when nothing is cached)."""
    from orbits.history import Histories
    from orbits.omm import read_elements

    path = cache_path()
    if not path.is_file():
        return None
    return Histories.from_sets(read_elements(path, format="json"))


def histories(*files, cache: bool = True, packaged: bool = True):
    """Return every element set the toolkit knows, as :class:`orbits.history.Histories`.

    The packaged history, then the user cache, then ``files`` (e.g. the CLI's ``--tle FILE``); at
    equal epochs the later source wins.
    """
    from orbits.history import read_histories

    parts = []
    if packaged:
        parts.append(read_histories(packaged=True))
    if cache:
        c = cached_histories()
        if c is not None:
            parts.append(c)
    if files:
        parts.append(read_histories(*files))
    if not parts:
        raise ArgumentError("histories() needs at least one source (packaged, cache or files)")
    return parts[0].merge(*parts[1:]) if len(parts) > 1 else parts[0]


# --- update ------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class ElementsUpdate(Result):
    """What :func:`update` did."""

    url: str = value("source")
    downloaded: int = value("sets downloaded")
    added: int = value("new sets")
    objects: int = value("objects cached")
    total: int = value("sets cached")
    path: str = value("cache file")

    title = "Element sets updated"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        return (f"{self.downloaded} sets downloaded, {self.added} new, {self.objects} objects "
                "cached")


def _download(url: str, timeout: float) -> str:
    import requests

    try:
        resp = requests.get(url, timeout=timeout, headers={"User-Agent": "mission-compare"})
    except requests.Timeout:
        raise ElementsDownloadError(f"download of {url} timed out after {timeout:g} s; the cached "
                                    "and packaged elements are unchanged and still used") from None
    except requests.RequestException as exc:
        reason = type(exc).__name__
        if isinstance(exc, requests.ConnectionError):
            reason = "cannot connect (offline?)"
        raise ElementsDownloadError(f"download of {url} failed: {reason}; the cached and packaged "
                                    "elements are unchanged and still used") from None
    if resp.status_code != 200:
        raise ElementsDownloadError(f"download of {url} failed: HTTP {resp.status_code} "
                                    f"{resp.reason or ''}".rstrip() + "; the cache is unchanged")
    resp.encoding = resp.encoding or "utf-8"
    return resp.text


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gp-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _key(rec: dict) -> tuple[int, float]:
    t = Time(str(rec["EPOCH"]).rstrip("Z"), format="isot", scale="utc")
    return int(float(rec["NORAD_CAT_ID"])), round((t.jd1 - 2451545.0 + t.jd2) * 86400.0)


def update(source: str | None = None, *, group: str = "stations", catnr: int | None = None,
           timeout: float = 20) -> ElementsUpdate:
    """Download current GP element sets (OMM JSON) and add them to the user cache.

    Parameters
    ----------
    source : str, optional
        URL of an OMM JSON document; default: CelesTrak's GP service for ``group`` or ``catnr``.
    group : str
        CelesTrak group (default "stations": ISS, Chinese station, visiting vehicles).
    catnr : int, optional
        One catalogue number instead of a group.
    timeout : float
        Seconds to wait for the server (connect and each read).

    The download is validated completely before the cache is touched; sets already cached
    (same catalogue number and epoch, to the second) are not added twice.

    Raises
    ------
    ElementsDownloadError
        No connection, timeout or HTTP error. The cache is unchanged.
    DataFileError
        The download is not valid OMM JSON (message: URL, record, field). The cache is unchanged.
    """
    from orbits.omm import parse_elements

    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not timeout > 0:
        raise ArgumentError(f"timeout must be a number of seconds > 0, got {timeout!r}")
    if source is not None:
        if not isinstance(source, str) or not source.startswith(("http://", "https://")):
            raise ArgumentError(f"source must be an http(s) URL, got {source!r}")
        url = source
    else:
        url = gp_url(group=group, catnr=catnr)
    text = _download(url, float(timeout))
    if text.strip().lower().startswith("no gp data found"):
        raise DataFileError(f"{url}: the server has no element sets for this request "
                            f"({text.strip()[:60]!r})")
    sets = parse_elements(text, source=url, format="json")  # raises DataFileError if corrupt
    new = json.loads(text)
    new = [new] if isinstance(new, dict) else new
    path = cache_path()
    old = _read_cache(path)
    seen = {_key(r) for r in old}
    added = []
    for rec in new:
        k = _key(rec)
        if k not in seen:
            seen.add(k)
            added.append(rec)
    merged = old + added
    if added:
        text_out = json.dumps(merged, indent=1, ensure_ascii=False) + "\n"
        parse_elements(text_out, source=str(path), format="json")  # never write what won't read
        _write_atomic(path, text_out)
    objects = len({int(float(r["NORAD_CAT_ID"])) for r in merged})
    return ElementsUpdate(url=url, downloaded=len(sets), added=len(added), objects=objects,
                          total=len(merged), path=str(path),
                          notes=("sets are deduplicated by catalogue number and epoch",))


# --- list --------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class CachedElements(TableResult):
    """The latest cached set of each object, with its epoch and age at ``analysis_date``."""

    path: str = value("cache file")
    catalog_number: np.ndarray = column("catalogue number")
    name: np.ndarray = column("object")
    epoch: Time = column("latest epoch", fmt="minute")
    age: u.Quantity = column("age", "day", fmt=".1f")
    sets: np.ndarray = column("sets cached")

    title = "Cached element sets"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if not len(self):
            return f"nothing cached in {self.path}"
        return f"{len(self)} objects in {self.path}"


def list_cached(at=None) -> CachedElements:
    """Return the cached objects: latest epoch, age at ``at`` (default now) and number of sets.

    An empty cache gives an empty table (its note says how to fill it); a corrupt cache
    raises DataFileError naming the file, record and field.
    """
    from orbits._validation import as_time

    t = Time.now() if at is None else as_time(at, "at")
    path = cache_path()
    hist = cached_histories()
    hs = [] if hist is None else [hist[n] for n in hist]
    epochs = Time([h.latest.epoch for h in hs]) if hs else Time([], format="jd", scale="utc")
    ages = (t - epochs).to(u.day) if hs else np.zeros(0) * u.day
    old = [(h, float(a.to_value(u.day))) for h, a in zip(hs, ages) if abs(a.to_value(u.day)) > 14]
    warnings = ()
    if old:
        worst = max(old, key=lambda x: abs(x[1]))
        names = ", ".join(h.name for h, _ in old[:4]) + (
            f" and {len(old) - 4} more" if len(old) > 4 else ""
        )
        warnings = (
            (
                f"the cached elements of {names} are more than 14 days from "
                f"{t.utc.isot[:10]} (up to {abs(worst[1]):.1f} days, {worst[0].name}); run "
                "'mission-compare elements update'"
            ),
        )
    notes = () if hs else ("nothing cached yet: run 'mission-compare elements update'",)
    return CachedElements(
        path=str(path),
        catalog_number=np.array([h.catalog_number for h in hs], dtype=int),
        name=np.array([h.name for h in hs], dtype=str),
        epoch=epochs,
        age=ages,
        sets=np.array([len(h) for h in hs], dtype=int),
        analysis_date=t,
        warnings=warnings,
        notes=notes,
    )
