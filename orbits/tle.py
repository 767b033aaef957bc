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

from ._validation import as_time

__all__ = ["TLE", "default_tle_path", "from_tle", "load_tles", "states"]

#: The embedded station TLEs: ``orbits/data/``, a copy of seeds/authorities/ (provenance there).
_DEFAULT_NAME = "stations-2024-05-09.tle"


def default_tle_path() -> Path:
    """The station TLE snapshot shipped in the package (``orbits/data/stations-2024-05-09.tle``,
    identical to the repository's ``seeds/authorities/`` reference file)."""
    return Path(__file__).resolve().parent / "data" / _DEFAULT_NAME


def _checksum_ok(line: str) -> bool:
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68])
    return line[68].isdigit() and total % 10 == int(line[68])


def _check_lines(line1, line2, name):
    for k, (line, tag) in enumerate(((line1, "1"), (line2, "2")), start=1):
        if not isinstance(line, str):
            raise TypeError(f"line{k} must be a str, got {type(line).__name__}")
        if len(line) < 69 or line[0] != tag or line[1] != " ":
            raise ValueError(
                f"line{k} of TLE {name!r} must be a 69-character line starting with '{tag} ', "
                f"got {line!r}"
            )
        if not _checksum_ok(line):
            raise ValueError(f"line{k} of TLE {name!r} fails its checksum (column 69): {line!r}")
    if line1[2:7] != line2[2:7]:
        raise ValueError(
            f"TLE {name!r}: the two lines have different catalog numbers "
            f"({line1[2:7]!r} and {line2[2:7]!r})"
        )


@dataclass(frozen=True)
class TLE:
    """One two-line element set. Build with :func:`from_tle` or :func:`load_tles`."""

    name: str
    line1: str
    line2: str

    def __post_init__(self):
        _check_lines(self.line1, self.line2, self.name)

    @cached_property
    def satrec(self):
        """The ``sgp4.api.Satrec`` of this TLE (WGS 72 constants, as SGP4 requires)."""
        from sgp4.api import WGS72, Satrec

        sat = Satrec.twoline2rv(self.line1, self.line2, WGS72)
        if sat.error:
            raise ValueError(f"sgp4 rejected TLE {self.name!r} (error code {sat.error})")
        return sat

    # --- mean elements ---------------------------------------------------------------
    @property
    def epoch(self) -> Time:
        """Epoch of the elements (UTC)."""
        s = self.satrec
        t = Time(s.jdsatepoch, s.jdsatepochF, format="jd", scale="utc")
        t.format = "isot"
        return t

    @property
    def catalog_number(self) -> int:
        return int(self.line1[2:7])

    @property
    def a(self) -> u.Quantity:
        """SGP4 mean semi-major axis (km)."""
        return self.satrec.a * self.satrec.radiusearthkm * u.km

    @property
    def ecc(self) -> u.Quantity:
        return self.satrec.ecco * u.one

    @property
    def inc(self) -> u.Quantity:
        return (self.satrec.inclo * u.rad).to(u.deg)

    @property
    def raan(self) -> u.Quantity:
        return (self.satrec.nodeo * u.rad).to(u.deg)

    @property
    def argp(self) -> u.Quantity:
        return (self.satrec.argpo * u.rad).to(u.deg)

    @property
    def mean_anomaly(self) -> u.Quantity:
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
        """The mean elements as a dict of Quantities (and the epoch)."""
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

        Raises ``ValueError`` naming the first time at which SGP4 reports an error (decay,
        eccentricity out of range ...).
        """
        r, v = states([self], times)
        return r[0], v[0]

    def to_boinor(self, time=None):
        """A boinor ``Orbit`` (GCRS) from the SGP4 state at ``time`` (default: the epoch).

        The TEME state is rotated to GCRS with astropy's frame transformations. boinor is
        imported here, not at module import.
        """
        from astropy.coordinates import GCRS, TEME, CartesianDifferential, CartesianRepresentation
        from boinor.bodies import Earth
        from boinor.twobody import Orbit

        t = self.epoch if time is None else as_time(time, "time")
        if t.ndim:
            raise ValueError(f"time must be a scalar Time, got shape {t.shape}")
        r, v = self.state(t)
        rep = CartesianRepresentation(r, xyz_axis=-1,
                                      differentials=CartesianDifferential(v, xyz_axis=-1))
        gcrs = TEME(rep, obstime=t).transform_to(GCRS(obstime=t))
        rg = gcrs.cartesian.without_differentials().xyz.to(u.km)
        vg = gcrs.cartesian.differentials["s"].d_xyz.to(u.km / u.s)
        return Orbit.from_vectors(Earth, rg, vg, epoch=t)

    def __str__(self):
        return f"{self.name}\n{self.line1}\n{self.line2}"


def states(tles, times):
    """SGP4 states of several TLEs at several times, vectorised (``sgp4.api.SatrecArray``).

    Returns
    -------
    r, v : Quantity arrays of shape ``(len(tles),) + times.shape + (3,)``, TEME, km and km/s
    """
    from sgp4.api import SatrecArray

    tles = list(tles)
    if not tles or not all(isinstance(t, TLE) for t in tles):
        raise TypeError("tles must be a non-empty sequence of orbits.tle.TLE objects")
    t = as_time(times, "times")
    shape = t.shape
    utc = t.utc
    jd1 = np.atleast_1d(utc.jd1).ravel()
    jd2 = np.atleast_1d(utc.jd2).ravel()
    err, r, v = SatrecArray([x.satrec for x in tles]).sgp4(jd1, jd2)
    if np.any(err):
        i, j = np.argwhere(err)[0]
        raise ValueError(
            f"SGP4 failed for {tles[i].name!r} at {Time(jd1[j], jd2[j], format='jd', scale='utc').isot} "
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
        raise KeyError(f"no TLE named {key!r} in this file{hint}. Names: {sorted(self)}")


def load_tles(path=None) -> TLECatalog:
    """Read a TLE file (three-line: name, line 1, line 2; two-line sets are named by their
    catalog number) into a dict name -> :class:`TLE`.

    Parameters
    ----------
    path : str or Path, optional
        Defaults to :func:`default_tle_path`.
    """
    p = default_tle_path() if path is None else Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"TLE file not found: {p}")
    lines = [ln.rstrip("\r\n") for ln in p.read_text().splitlines()]
    lines = [ln for ln in lines if ln.strip()]
    out = TLECatalog()
    k = 0
    while k < len(lines):
        ln = lines[k]
        if ln.startswith("1 ") and k + 1 < len(lines) and lines[k + 1].startswith("2 "):
            name, l1, l2 = ln[2:7].strip(), ln, lines[k + 1]
            k += 2
        elif k + 2 < len(lines) and lines[k + 1].startswith("1 ") and lines[k + 2].startswith("2 "):
            name, l1, l2 = ln.strip(), lines[k + 1], lines[k + 2]
            k += 3
        else:
            raise ValueError(f"{p}: line {k + 1} is neither a name followed by a TLE nor TLE "
                             f"line 1: {ln!r}")
        out[name] = TLE(name, l1.rstrip(), l2.rstrip())
    return out


def from_tle(line1, line2=None, *, name=None, path=None) -> TLE:
    """A :class:`TLE` from its two lines, or by name from a TLE file.

    ``from_tle(line1, line2)`` parses the lines; ``from_tle("ISS (ZARYA)")`` looks the name up
    in ``path`` (default: the checked-in ``stations-2024-05-09.tle``).
    """
    if line2 is None:
        if not isinstance(line1, str):
            raise TypeError(f"line1 must be a TLE line or a satellite name (str), got "
                            f"{type(line1).__name__}")
        return load_tles(path)[line1.strip()]
    return TLE(name or line1[2:7].strip(), line1.rstrip(), line2.rstrip())
