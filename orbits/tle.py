"""Real orbits from two-line element sets (TLEs), propagated with SGP4.

>>> from orbits import from_tle
>>> iss = from_tle("ISS (ZARYA)")          # from the embedded stations-2024-05-09.tle
>>> iss.inc.round(4)
<Quantity 51.6381 deg>

TLE elements are SGP4 *mean* elements in the TEME frame (true equator, mean equinox of date),
not osculating elements; ``a`` is SGP4's (Brouwer) mean semi-major axis. :meth:`TLE.state`
gives TEME position and velocity from sgp4; :meth:`TLE.to_boinor` gives a boinor ``Orbit``
from the osculating state at the epoch, rotated from TEME to GCRS by astropy.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.time import Time

from ._validation import as_time, check_work_size
from .errors import ArgumentError, ArgumentTypeError, DataFileError, NotFoundError

__all__ = ["TLE", "SatrecElements", "catalog_number_from", "default_tle_path", "from_tle",
           "load_tles", "read_tle_sets", "states", "tle_epoch", "tle_problem"]

#: The embedded station TLEs: ``orbits/data/``, a copy of seeds/authorities/ (provenance there).
_DEFAULT_NAME = "stations-2024-05-09.tle"


def default_tle_path() -> Path:
    """Return the station TLE snapshot shipped in the package.

    ``orbits/data/stations-2024-05-09.tle``, identical to the repository's ``seeds/authorities/``
    reference file.
    """
    return Path(__file__).resolve().parent / "data" / _DEFAULT_NAME


def _checksum_ok(line: str) -> bool:
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68])
    return line[68].isdigit() and total % 10 == int(line[68])


_ALPHA5 = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # letters of the Alpha-5 scheme (no I, no O): 10..33


def catalog_number_from(field: str) -> int:
    """Catalogue number of TLE columns 3-7: five digits, or Alpha-5 (``A0001`` = 100001)."""
    text = field.strip()
    if text and text[0].isalpha():
        head = text[0].upper()
        if head not in _ALPHA5 or not text[1:].isdigit() or len(text) != 5:
            raise ValueError(f"not a catalogue number: {field!r}")
        return (10 + _ALPHA5.index(head)) * 10000 + int(text[1:])
    if not text.isdigit():
        raise ValueError(f"not a catalogue number: {field!r}")
    return int(text)


#: (line, columns as a slice, field name, parser) of the TLE fields checked before sgp4 reads them
def _float(text: str) -> float:
    return float(text)


def _implied(text: str) -> float:  # eccentricity: 7 digits with an implied leading "0."
    if not text.strip().isdigit():
        raise ValueError(text)
    return float("0." + text.strip())


def _exp(text: str) -> float:  # " 27777-3" -> 0.27777e-3 (B*, second derivative)
    t = text.strip()
    if not t:
        return 0.0
    mant, sign, power = t[:-2], t[-2], t[-1]
    if sign not in "+-" or not power.isdigit():
        raise ValueError(text)
    mant = mant.replace(" ", "")
    neg = mant.startswith("-")
    mant = mant.lstrip("+-")
    if not mant.isdigit():
        raise ValueError(text)
    val = float("0." + mant) * 10.0 ** (int(power) * (1 if sign == "+" else -1))
    return -val if neg else val


_FIELDS = (
    (1, slice(18, 20), "epoch year (columns 19-20)", int),
    (1, slice(20, 32), "epoch day of year (columns 21-32)", _float),
    (1, slice(33, 43), "first derivative of mean motion (columns 34-43)", _float),
    (1, slice(44, 52), "second derivative of mean motion (columns 45-52)", _exp),
    (1, slice(53, 61), "B* drag term (columns 54-61)", _exp),
    (2, slice(8, 16), "inclination (columns 9-16)", _float),
    (2, slice(17, 25), "right ascension of the node (columns 18-25)", _float),
    (2, slice(26, 33), "eccentricity (columns 27-33)", _implied),
    (2, slice(34, 42), "argument of perigee (columns 35-42)", _float),
    (2, slice(43, 51), "mean anomaly (columns 44-51)", _float),
    (2, slice(52, 63), "mean motion (columns 53-63)", _float),
)


def tle_problem(line1, line2):
    """Return the first problem of a TLE's two lines as ``(line 1 or 2, field, message)``, or None.

    Checks, in order: the type, the length (69 characters) and the line number in column 1,
    the checksum (column 69), the catalogue numbers of both lines (columns 3-7, which must
    agree: two lines of different objects are a mixed-up file), every numeric field by its
    columns, the epoch's day of year and the ranges sgp4 needs.
    """
    for k, line in ((1, line1), (2, line2)):
        if not isinstance(line, str):
            return k, "type", f"must be a str, got {type(line).__name__}"
        if len(line) != 69 or line[0] != str(k) or line[1] != " ":
            return k, "columns", (f"must be a 69-character line starting with '{k} ', got "
                                  f"{len(line)} characters: {line!r}")
        if not _checksum_ok(line):
            total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68])
            return k, "checksum (column 69)", (f"fails its checksum: column 69 is {line[68]!r}, "
                                               f"the digits and minus signs give {total % 10}")
    try:
        n1 = catalog_number_from(line1[2:7])
        n2 = catalog_number_from(line2[2:7])
    except ValueError as exc:
        return 1, "catalogue number (columns 3-7)", str(exc)
    if n1 != n2:
        return 2, "catalogue number (columns 3-7)", (
            f"the two lines have different catalog numbers ({line1[2:7]!r} and {line2[2:7]!r}): "
            "lines of two objects mixed up")
    values = {}
    for k, cols, what, parse in _FIELDS:
        text = (line1 if k == 1 else line2)[cols]
        try:
            values[what] = parse(text)
        except ValueError:
            return k, what, f"cannot be read as a number: {text!r}"
    doy = values["epoch day of year (columns 21-32)"]
    if not 1.0 <= doy < 367.0:
        return 1, "epoch day of year (columns 21-32)", f"must be in [1, 367), got {doy!r}"
    checks = (
        ("inclination (columns 9-16)", 0.0, 180.0),
        ("right ascension of the node (columns 18-25)", 0.0, 360.0),
        ("argument of perigee (columns 35-42)", 0.0, 360.0),
        ("mean anomaly (columns 44-51)", 0.0, 360.0),
    )
    for what, lo, hi in checks:
        if not lo <= values[what] <= hi:
            return 2, what, f"must be in [{lo:g}, {hi:g}] deg, got {values[what]!r}"
    if not values["mean motion (columns 53-63)"] > 0.0:
        return 2, "mean motion (columns 53-63)", "must be > 0 rev/day"
    return None


def tle_epoch(line1: str) -> Time:
    """Epoch of TLE line 1 (columns 19-32; two-digit years 57-99 are 19xx, 00-56 are 20xx)."""
    yy = int(line1[18:20])
    year = 1900 + yy if yy >= 57 else 2000 + yy
    doy = float(line1[20:32])
    t = Time(f"{year}-01-01T00:00:00", scale="utc") + (doy - 1.0) * u.day
    t.format = "isot"
    return t


def _check_lines(line1, line2, name):
    bad = tle_problem(line1, line2)
    if bad is None:
        return
    k, what, msg = bad
    if what == "type":
        raise ArgumentTypeError(f"line{k} of TLE {name!r} {msg}")
    raise ArgumentError(f"line{k} of TLE {name!r}, {what}: {msg}")


def _satrec_from_lines(line1, line2, name):
    from sgp4.api import WGS72, Satrec

    sat = Satrec.twoline2rv(line1, line2, WGS72)
    if sat.error:
        raise ArgumentError(f"sgp4 rejected TLE {name!r} (error code {sat.error})")
    return sat


class SatrecElements:
    """Mean elements and SGP4 states of anything with a ``satrec`` and a ``name``.

    ``satrec`` is an ``sgp4.api.Satrec``; used by :class:`TLE` and
    :class:`orbits.history.ElementSet`.

    The angles are SGP4 mean elements in TEME (true equator, mean equinox of the epoch).
    """

    name: str
    satrec: object  # sgp4.api.Satrec, provided by the subclass

    @property
    def epoch(self) -> Time:
        """Epoch of the elements (UTC)."""
        s = self.satrec
        t = Time(s.jdsatepoch, s.jdsatepochF, format="jd", scale="utc")
        t.format = "isot"
        return t

    @property
    def catalog_number(self) -> int:
        """NORAD catalog number."""
        return int(self.satrec.satnum)

    @property
    def a(self) -> u.Quantity:
        """SGP4 mean semi-major axis (km)."""
        return self.satrec.a * self.satrec.radiusearthkm * u.km

    @property
    def ecc(self) -> u.Quantity:
        """Eccentricity."""
        return self.satrec.ecco * u.one

    @property
    def inc(self) -> u.Quantity:
        """Inclination."""
        return (self.satrec.inclo * u.rad).to(u.deg)

    @property
    def raan(self) -> u.Quantity:
        """Right ascension of the ascending node."""
        return (self.satrec.nodeo * u.rad).to(u.deg)

    @property
    def argp(self) -> u.Quantity:
        """Argument of perigee."""
        return (self.satrec.argpo * u.rad).to(u.deg)

    @property
    def mean_anomaly(self) -> u.Quantity:
        """Mean anomaly."""
        return (self.satrec.mo * u.rad).to(u.deg)

    @property
    def mean_motion(self) -> u.Quantity:
        """Kozai mean motion as written on line 2 (rev/day)."""
        return self.satrec.no_kozai * 1440.0 / (2 * np.pi) * (u.cycle / u.day)

    @property
    def altitude(self) -> u.Quantity:
        """Mean height ``a - R`` above the WGS 72 equatorial radius (km)."""
        return self.a - self.satrec.radiusearthkm * u.km

    def mean_elements(self) -> dict:
        """Return the mean elements as a dict of Quantities (and the epoch)."""
        return {
            "epoch": self.epoch,
            "a": self.a,
            "ecc": self.ecc,
            "inc": self.inc,
            "raan": self.raan,
            "argp": self.argp,
            "mean_anomaly": self.mean_anomaly,
        }

    # --- propagation -----------------------------------------------------------------
    def state(self, times):
        """TEME position (km) and velocity (km/s) from SGP4 at ``times``.

        Parameters
        ----------
        times : Time (scalar or array) or ISO string

        Returns
        -------
        r, v : Quantity arrays of shape ``times.shape + (3,)``

        Raises ``ArgumentError`` (a ``ValueError``) naming the first time at which SGP4
        reports an error (decay, eccentricity out of range ...).
        """
        r, v = states([self], times)
        return r[0], v[0]

    def to_boinor(self, time=None):
        """Return a boinor ``Orbit`` (GCRS) from the SGP4 state at ``time`` (default: the epoch).

        The TEME state is rotated to GCRS with astropy's frame transformations. boinor is
        imported here, not at module import.
        """
        from astropy.coordinates import GCRS, TEME, CartesianDifferential, CartesianRepresentation
        from boinor.bodies import Earth
        from boinor.twobody import Orbit

        t = self.epoch if time is None else as_time(time, "time")
        if t.ndim:
            raise ArgumentError(f"time must be a scalar Time, got shape {t.shape}")
        r, v = self.state(t)
        rep = CartesianRepresentation(r, xyz_axis=-1,
                                      differentials=CartesianDifferential(v, xyz_axis=-1))
        gcrs = TEME(rep, obstime=t).transform_to(GCRS(obstime=t))
        rg = gcrs.cartesian.without_differentials().xyz.to(u.km)
        vg = gcrs.cartesian.differentials["s"].d_xyz.to(u.km / u.s)
        return Orbit.from_vectors(Earth, rg, vg, epoch=t)


@dataclass(frozen=True)
class TLE(SatrecElements):
    """One two-line element set. Build with :func:`from_tle` or :func:`load_tles`."""

    name: str
    line1: str
    line2: str

    def __post_init__(self):
        """Check the two lines."""
        _check_lines(self.line1, self.line2, self.name)

    @cached_property
    def satrec(self):
        """The ``sgp4.api.Satrec`` of this TLE (WGS 72 constants, as SGP4 requires)."""
        return _satrec_from_lines(self.line1, self.line2, self.name)

    @property
    def catalog_number(self) -> int:
        """NORAD catalog number."""
        return catalog_number_from(self.line1[2:7])

    def __str__(self):
        """Return the three lines of the set."""
        return f"{self.name}\n{self.line1}\n{self.line2}"


def states(tles, times):
    """Compute SGP4 states of several element sets at several times, vectorised.

    One ``sgp4.api.SatrecArray`` call.

    Parameters
    ----------
    tles : sequence of :class:`TLE` or :class:`orbits.history.ElementSet`
    times : Time (any shape) or ISO string

    Returns
    -------
    r, v : Quantity arrays of shape ``(len(tles),) + times.shape + (3,)``, TEME, km and km/s
    """
    from sgp4.api import SatrecArray

    tles = list(tles)
    if not tles or not all(isinstance(t, SatrecElements) for t in tles):
        raise ArgumentTypeError("tles must be a non-empty sequence of orbits.tle.TLE (or "
                                "orbits.history.ElementSet) objects")
    t = as_time(times, "times")
    shape = t.shape
    utc = t.utc
    jd1 = np.atleast_1d(utc.jd1).ravel()
    jd2 = np.atleast_1d(utc.jd2).ravel()
    check_work_size(len(tles) * jd1.size * 6 * 8 * 2, "SGP4 states")
    err, r, v = SatrecArray([x.satrec for x in tles]).sgp4(jd1, jd2)
    if np.any(err):
        i, j = np.argwhere(err)[0]
        raise ArgumentError(
            f"SGP4 failed for {tles[i].name!r} at "
            f"{Time(jd1[j], jd2[j], format='jd', scale='utc').isot} "
            f"(sgp4 error code {err[i, j]}; e.g. 6 = decayed)"
        )
    r = r.reshape((len(tles),) + shape + (3,))
    v = v.reshape((len(tles),) + shape + (3,))
    return r * u.km, v * (u.km / u.s)


class TLECatalog(dict):
    """dict name -> TLE whose missing-key error suggests the closest names."""

    def __missing__(self, key):
        close = difflib.get_close_matches(str(key), list(self), n=3, cutoff=0.4)
        hint = f"; closest: {close}" if close else ""
        raise NotFoundError(f"no TLE named {key!r} in this file{hint}. Names: {sorted(self)}")


class MissingFileError(DataFileError, FileNotFoundError):
    """An element file that does not exist (both a DataFileError and a FileNotFoundError)."""


def read_text_file(path, what="element file") -> tuple[Path, str]:
    """Return ``(Path, text)`` of a data file.

    DataFileError if missing, unreadable, not UTF-8 or empty.
    """
    p = Path(path)
    if not p.is_file():
        raise MissingFileError(f"{what} not found: {p}")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{p}: not a UTF-8 text file (byte {exc.start}): {exc.reason}"
        ) from None
    except OSError as exc:
        raise DataFileError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    if not text.strip():
        raise DataFileError(f"{p}: the file is empty (no element sets)")
    return p, text


def read_tle_sets(text: str, source: str = "<text>") -> list[tuple[str, str, str, int]]:
    """Split TLE text into ``(name, line1, line2, line number of line 1)``, checking every set.

    2- or 3-line sets, any number of objects and epochs.

    A two-line set is named by its catalogue number. Raises :class:`DataFileError` naming
    ``source``, the line and the field: wrong columns, checksum, catalogue numbers of line 1
    and line 2 that disagree, unreadable numbers or epoch, or no element set at all.
    """
    raw = [(k + 1, ln.rstrip()) for k, ln in enumerate(text.splitlines())]
    lines = [(n, ln) for n, ln in raw if ln.strip()]
    if not lines:
        raise DataFileError(f"{source}: the file is empty (no element sets)")
    out = []
    k = 0
    while k < len(lines):
        n, ln = lines[k]
        nxt = lines[k + 1][1] if k + 1 < len(lines) else ""
        if ln.startswith("1 ") and nxt.startswith("2 "):
            name, (n1, l1), (n2, l2) = None, lines[k], lines[k + 1]
            k += 2
        elif nxt.startswith("1 ") and k + 2 < len(lines) and lines[k + 2][1].startswith("2 "):
            name, (n1, l1), (n2, l2) = ln.strip(), lines[k + 1], lines[k + 2]
            if name.startswith("0 "):  # the "0 NAME" convention of some 3-line files
                name = name[2:].strip()
            k += 3
        elif ln.startswith("1 "):
            raise DataFileError(
                f"{source}, line {n + 1}: TLE line 1 must be followed by line 2 "
                f"(starting with '2 '), got {nxt!r}"
            )
        elif ln.startswith("2 "):
            raise DataFileError(
                f"{source}, line {n}: TLE line 2 without a line 1 before it: {ln!r}"
            )
        else:
            raise DataFileError(
                f"{source}, line {n}: neither a name followed by a TLE nor TLE line 1: {ln!r}"
            )
        bad = tle_problem(l1, l2)
        if bad is not None:
            which, what, msg = bad
            raise DataFileError(
                f"{source}, line {n1 if which == 1 else n2} (TLE line {which}), {what}: {msg}"
            )
        out.append((name or l1[2:7].strip(), l1, l2, n1))
    return out


def load_tles(path=None) -> TLECatalog:
    """Read a TLE file into a dict name -> :class:`TLE`.

    Three-line sets: name, line 1, line 2; two-line sets are named by their catalog number. The last
    set of a name wins; for every epoch of every object use :func:`orbits.history.read_histories`.

    Parameters
    ----------
    path : str or Path, optional
        Defaults to :func:`default_tle_path`.

    Raises :class:`DataFileError` (file, line and field) for a malformed file, and
    :class:`MissingFileError` (also a ``FileNotFoundError``) if it does not exist.
    """
    p, text = read_text_file(default_tle_path() if path is None else path, "TLE file")
    out = TLECatalog()
    for name, l1, l2, _ in read_tle_sets(text, str(p)):
        out[name] = TLE(name, l1, l2)
    return out


def from_tle(line1, line2=None, *, name=None, path=None) -> TLE:
    """Return a :class:`TLE` from its two lines, or by name from a TLE file.

    ``from_tle(line1, line2)`` parses the lines; ``from_tle("ISS (ZARYA)")`` looks the name up
    in ``path`` (default: the checked-in ``stations-2024-05-09.tle``).
    """
    if line2 is None:
        if not isinstance(line1, str):
            raise ArgumentTypeError(
                f"line1 must be a TLE line or a satellite name (str), got {type(line1).__name__}"
            )
        return load_tles(path)[line1.strip()]
    if not isinstance(line1, str) or not isinstance(line2, str):
        raise ArgumentTypeError("line1 and line2 must be str (the two TLE lines)")
    return TLE(name or line1[2:7].strip(), line1.rstrip(), line2.rstrip())
