"""Geocentric states of the Moon, the Sun and the Earth-Moon barycentre.

The default ephemeris is JPL DE421 (Folkner et al. 2008, IPN Progress Report 42-178), the
``de421.bsp`` kernel shipped by the ``skyfield-data`` package, read offline with ``jplephem``
and evaluated by :mod:`orbits.core.ephemeris` (vectorised Chebyshev sums). Axes are those of
the kernel: ICRF, which the GCRS shares (the two differ only by the relativistic
transformation of the origin, far below anything in this toolkit). Epochs are converted to TDB.

``ephemeris="builtin"`` uses astropy's built-in analytic ephemeris
(``get_body_barycentric_posvel(..., ephemeris="builtin")``: ERFA ``epv00`` for the Earth
and Sun, ``moon98`` for the Moon). Measured against DE421 over 2000-2040 (4,000 epochs; the
test ``test_builtin_error_is_as_documented`` and ``benchmarks/bench_lunar.py`` redo it): the
builtin Moon is off by up to 23 km in position (RMS 6 km) and 0.15 m/s in velocity; the Sun
by up to 11 km (RMS 4 km). astropy's builtin "earth-moon-barycenter" is not the EMB (5,700 km
off), so ``emb_state(..., ephemeris="builtin")`` places the EMB on the builtin Earth-Moon line
by the GM ratio instead (0.3 km off). Good enough for plots and day-level windows; use DE421
for anything quantitative.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_time, describe_value
from orbits.core.constants import MU_EARTH_MOON
from orbits.core.ephemeris import chebyshev_segment_posvel
from orbits.errors import ArgumentError, DataFileError, DateRangeError
from orbits.results import InputSet

__all__ = ["PLANET_FRAMES", "PLANETS", "emb_state", "ephemeris_input", "ephemeris_span",
           "heliocentric_states_km", "moon_state", "planet_state", "sun_state"]

_J2000_JD = 2451545.0
_DAY = 86400.0
_FRAMES = ("gcrs", "icrf", "geocentric")
_SEGMENTS = ((3, 301), (3, 399), (0, 3), (0, 10))
#: Segments read when the kernel has them (Mars); :func:`planet_state` needs them for Mars.
_OPTIONAL_SEGMENTS = ((0, 4), (4, 499))
#: Bodies :func:`planet_state` knows, and the frames (origins; ICRF axes) it offers.
PLANETS = ("earth", "mars", "sun", "emb", "moon")
PLANET_FRAMES = ("icrs-heliocentric", "heliocentric", "icrs-barycentric", "barycentric")


@dataclass(frozen=True)
class _Segment:
    coeffs: np.ndarray  # (3, n_records, n_coef), km
    init: float  # TDB s past J2000
    intlen: float  # s

    def posvel(self, t):
        return chebyshev_segment_posvel(self.coeffs, self.init, self.intlen, t)


@dataclass(frozen=True)
class _Kernel:
    name: str
    segments: dict
    start: float  # TDB s past J2000
    end: float


def _de421_path() -> Path:
    # The package's data folder directly: skyfield_data.get_skyfield_data_path() also warns
    # about its (unrelated) Earth-orientation file expiring.
    return Path(str(importlib.resources.files("skyfield_data") / "data" / "de421.bsp"))


@functools.lru_cache(maxsize=4)
def _load_kernel(path: str) -> _Kernel:
    from jplephem.spk import SPK

    try:
        kernel = SPK.open(path)
    except FileNotFoundError:
        raise DataFileError(f"ephemeris file not found: {path!r}") from None
    except (OSError, ValueError) as exc:
        raise DataFileError(
            f"ephemeris file {path!r} is not a readable SPK kernel ({exc})"
        ) from None
    try:
        segments = {}
        start, end = -np.inf, np.inf
        for pair in _SEGMENTS:
            try:
                seg = kernel[pair]
            except KeyError:
                raise DataFileError(
                    f"ephemeris {path!r} lacks the segment {pair[0]} -> {pair[1]}; "
                    f"need {', '.join(f'{a}->{b}' for a, b in _SEGMENTS)}"
                ) from None
            init, intlen, coeffs = seg.load_array()
            segments[pair] = _Segment(
                np.ascontiguousarray(coeffs, dtype=float),
                (init - _J2000_JD) * _DAY,
                intlen * _DAY,
            )
            start = max(start, float(seg.start_second))
            end = min(end, float(seg.end_second))
        for pair in _OPTIONAL_SEGMENTS:
            try:
                seg = kernel[pair]
            except KeyError:
                continue
            init, intlen, coeffs = seg.load_array()
            segments[pair] = _Segment(
                np.ascontiguousarray(coeffs, dtype=float),
                (init - _J2000_JD) * _DAY,
                intlen * _DAY,
            )
    finally:
        kernel.close()
    return _Kernel(Path(path).name, segments, start, end)


def _kernel_for(ephemeris) -> _Kernel:
    if isinstance(ephemeris, (str, Path)) and str(ephemeris).lower() == "de421":
        return _load_kernel(str(_de421_path()))
    if isinstance(ephemeris, (str, Path)) and str(ephemeris).lower().endswith(".bsp"):
        return _load_kernel(str(ephemeris))
    raise ArgumentError(
        f"ephemeris must be 'de421' (default), 'builtin' or a path to an SPK .bsp file, "
        f"got {describe_value(ephemeris)}"
    )


def ephemeris_input(ephemeris="de421") -> InputSet:
    """Return the ephemeris as an :class:`orbits.results.InputSet` for a result's ``inputs``."""
    if isinstance(ephemeris, str) and ephemeris.lower() == "builtin":
        return InputSet("ephemeris", "astropy builtin", source="ERFA epv00 / moon98",
                        detail="up to 23 km Moon position error versus DE421")
    k = _kernel_for(ephemeris)
    span = ephemeris_span(ephemeris)
    name = "DE421" if k.name.lower() == "de421.bsp" else k.name
    return InputSet("ephemeris", name, source=k.name,
                    detail=f"span {span[0].iso[:10]} .. {span[1].iso[:10]} TDB")


def ephemeris_span(ephemeris="de421") -> Time:
    """First and last epoch (TDB) covered by an SPK ephemeris, as a 2-element ``Time``.

    For DE421 this is 1899-07-29 .. 2053-10-09.
    """
    k = _kernel_for(ephemeris)
    return Time(_J2000_JD, np.array([k.start, k.end]) / _DAY, format="jd", scale="tdb")


def _tdb_seconds(epochs: Time) -> np.ndarray:
    tdb = epochs.tdb
    return (np.asarray(tdb.jd1) - _J2000_JD) * _DAY + np.asarray(tdb.jd2) * _DAY


def _check_frame(frame: str) -> None:
    if not isinstance(frame, str) or frame.lower() not in _FRAMES:
        raise ArgumentError(
            f"frame must be one of {_FRAMES} (all mean geocentric, ICRF/GCRS-aligned axes), "
            f"got {frame!r}"
        )


def _check_span(t: np.ndarray, kernel: _Kernel, name: str) -> None:
    bad = (t < kernel.start) | (t > kernel.end)
    if np.any(bad):
        first = Time(_J2000_JD, float(np.asarray(t)[bad].flat[0]) / _DAY, format="jd", scale="tdb")
        lo = Time(_J2000_JD, kernel.start / _DAY, format="jd", scale="tdb")
        hi = Time(_J2000_JD, kernel.end / _DAY, format="jd", scale="tdb")
        raise DateRangeError(
            f"{name} must lie within the {kernel.name} span {lo.iso[:10]} .. {hi.iso[:10]} "
            f"(TDB), got {first.iso[:16]} ({int(bad.sum())} of {bad.size} epochs outside); "
            f"use ephemeris='builtin' for epochs outside it"
        )


def geocentric_states_km(body: str, epochs, ephemeris="de421", *, name: str = "epochs"):
    """Plain-array geocentric state of ``body`` ('moon', 'sun', 'emb') in km and km/s.

    For internal use by :mod:`orbits.lunar`: returns ``(r, v)`` arrays of shape
    ``epochs.shape + (3,)`` without wrapping them in Quantities.
    """
    epochs = as_time(epochs, name)
    if isinstance(ephemeris, str) and ephemeris.lower() == "builtin":
        return _builtin_km(body, epochs)
    kernel = _kernel_for(ephemeris)
    t = _tdb_seconds(epochs)
    _check_span(t, kernel, name)
    seg = kernel.segments
    r_e, v_e = seg[3, 399].posvel(t)  # Earth relative to the EMB
    if body == "emb":
        return -r_e, -v_e
    if body == "moon":
        r_m, v_m = seg[3, 301].posvel(t)
        return r_m - r_e, v_m - v_e
    if body == "sun":
        r_s, v_s = seg[0, 10].posvel(t)
        r_b, v_b = seg[0, 3].posvel(t)
        return r_s - r_b - r_e, v_s - v_b - v_e
    raise ArgumentError(f"body must be 'moon', 'sun' or 'emb', got {describe_value(body)}")


def _builtin_km(body: str, epochs: Time):
    from astropy.coordinates import get_body_barycentric_posvel

    if body not in ("moon", "sun", "emb"):
        raise ArgumentError(f"body must be 'moon', 'sun' or 'emb', got {describe_value(body)}")
    if body == "emb":
        # astropy's builtin 'earth-moon-barycenter' is ERFA's Earth-ish point, not the EMB
        # (measured 5,700 km off DE421): place the EMB on the Earth-Moon line by the GMs.
        r, v = _builtin_km("moon", epochs)
        return r * MU_EARTH_MOON, v * MU_EARTH_MOON
    target = body
    pe, ve = get_body_barycentric_posvel("earth", epochs, ephemeris="builtin")
    pb, vb = get_body_barycentric_posvel(target, epochs, ephemeris="builtin")
    r = (pb - pe).xyz.to_value(u.km)
    v = (vb - ve).xyz.to_value(u.km / u.s)
    return np.moveaxis(r, 0, -1), np.moveaxis(v, 0, -1)


def _state(body: str, epochs, frame: str, ephemeris):
    _check_frame(frame)
    r, v = geocentric_states_km(body, epochs, ephemeris)
    return r * u.km, v * (u.km / u.s)


def moon_state(epochs, *, frame: str = "gcrs", ephemeris="de421"):
    """Position and velocity of the Moon relative to the Earth's centre.

    Parameters
    ----------
    epochs : astropy.time.Time (any shape) or ISO string
        Epochs (any scale; converted to TDB). With DE421 they must lie in
        1899-07-29 .. 2053-10-09 TDB, the kernel's span, else
        :class:`orbits.errors.DateRangeError`.
    frame : {'gcrs', 'icrf', 'geocentric'}
        Geocentric axes aligned with the ICRF (the only frame offered; the names are synonyms).
    ephemeris : {'de421', 'builtin'} or path to an SPK ``.bsp`` file
        ``'de421'``: JPL DE421 from ``skyfield-data``, offline. ``'builtin'``: astropy's
        analytic ephemeris (up to 23 km Moon position error versus DE421 over
        2000-2040; see the module docstring).

    Returns
    -------
    position : Quantity, shape ``epochs.shape + (3,)``, km
    velocity : Quantity, shape ``epochs.shape + (3,)``, km/s

    Examples
    --------
    >>> from astropy.time import Time
    >>> r, v = moon_state(Time("2019-01-03T02:26", scale="utc"))   # Chang'e-4 landing
    >>> 356000 < float(np.linalg.norm(r.value)) < 407000
    True
    """
    return _state("moon", epochs, frame, ephemeris)


def sun_state(epochs, *, frame: str = "gcrs", ephemeris="de421"):
    """Position and velocity of the Sun relative to the Earth's centre (see :func:`moon_state`)."""
    return _state("sun", epochs, frame, ephemeris)


def emb_state(epochs, *, frame: str = "gcrs", ephemeris="de421"):
    """Return the Earth-Moon barycentre's position and velocity relative to the Earth's centre.

    About 4,670 km towards the Moon; see :func:`moon_state`.
    """
    return _state("emb", epochs, frame, ephemeris)


def _barycentric_km(body: str, t: np.ndarray, kernel: _Kernel, ephemeris):
    """State of ``body`` relative to the solar-system barycentre from the kernel's segments."""
    seg = kernel.segments
    if body == "sun":
        return seg[0, 10].posvel(t)
    if body == "mars":
        if (0, 4) not in seg or (4, 499) not in seg:
            raise DataFileError(
                f"ephemeris {kernel.name!r} lacks the Mars segments 0->4 and 4->499; "
                f"use ephemeris='de421' (the default) for Mars"
            )
        r_b, v_b = seg[0, 4].posvel(t)
        r_m, v_m = seg[4, 499].posvel(t)
        return r_b + r_m, v_b + v_m
    r_b, v_b = seg[0, 3].posvel(t)  # Earth-Moon barycentre
    if body == "emb":
        return r_b, v_b
    if body == "earth":
        r_e, v_e = seg[3, 399].posvel(t)
        return r_b + r_e, v_b + v_e
    if body == "moon":
        r_m, v_m = seg[3, 301].posvel(t)
        return r_b + r_m, v_b + v_m
    raise ArgumentError(f"body must be one of {PLANETS}, got {describe_value(body)}")


def _planet_key(body) -> str:
    if not isinstance(body, str):
        raise ArgumentError(f"body must be one of {PLANETS} (a name), got {describe_value(body)}")
    key = body.strip().casefold()
    if key in ("earth-moon barycenter", "earth-moon barycentre", "earth barycenter"):
        key = "emb"
    if key not in PLANETS:
        raise ArgumentError(f"body must be one of {PLANETS}, got {describe_value(body)}; "
                            f"the toolkit's ephemeris (DE421) is read for these bodies only")
    return key


def heliocentric_states_km(body: str, epochs, ephemeris="de421", *, barycentric: bool = False,
                           name: str = "epochs"):
    """Plain-array state of ``body`` relative to the Sun's centre (or the SSB), km and km/s.

    For internal use by :mod:`orbits.mars`: returns ``(r, v)`` arrays of shape
    ``epochs.shape + (3,)``, ICRF axes. The Sun's offset from the solar-system barycentre
    (up to 0.01 AU, mostly Jupiter's pull) is taken from the kernel's 0 -> 10 segment.
    """
    key = _planet_key(body)
    epochs = as_time(epochs, name)
    if isinstance(ephemeris, str) and ephemeris.lower() == "builtin":
        raise ArgumentError(
            "ephemeris='builtin' is not offered for heliocentric planet states; use 'de421' "
            "(the default, 1899-07-29 .. 2053-10-09) or an SPK .bsp file"
        )
    kernel = _kernel_for(ephemeris)
    t = _tdb_seconds(epochs)
    _check_span(t, kernel, name)
    r, v = _barycentric_km(key, t, kernel, ephemeris)
    if barycentric:
        return r, v
    r_s, v_s = kernel.segments[0, 10].posvel(t)
    return r - r_s, v - v_s


def planet_state(body, epochs, *, frame: str = "icrs-heliocentric", ephemeris="de421"):
    """Position and velocity of a planet (Earth, Mars), the Sun, the Moon or the EMB.

    Parameters
    ----------
    body : {'earth', 'mars', 'sun', 'emb', 'moon'}
        ``'mars'`` is the planet's centre (DE421 Mars barycentre plus the 4 -> 499 offset, a
        few cm), ``'earth'`` the Earth's centre (not the Earth-Moon barycentre, ``'emb'``).
    epochs : astropy.time.Time (any shape) or ISO string
        Converted to TDB; with DE421 within 1899-07-29 .. 2053-10-09 TDB, else
        :class:`orbits.errors.DateRangeError`.
    frame : {'icrs-heliocentric', 'heliocentric', 'icrs-barycentric', 'barycentric'}
        Origin at the Sun's centre (the first two, synonyms) or at the solar-system
        barycentre; ICRF axes in every case.
    ephemeris : 'de421' or path to an SPK ``.bsp`` file holding the needed segments

    Returns
    -------
    position : Quantity, shape ``epochs.shape + (3,)``, km
    velocity : Quantity, shape ``epochs.shape + (3,)``, km/s

    Examples
    --------
    >>> r, v = planet_state("mars", "2020-10-13")   # near the 2020 opposition
    >>> 1.3 < float(np.linalg.norm(r.to_value(u.au))) < 1.5
    True
    """
    if not isinstance(frame, str) or frame.lower() not in PLANET_FRAMES:
        raise ArgumentError(
            f"frame must be one of {PLANET_FRAMES} (origin at the Sun or the solar-system "
            f"barycentre, ICRF axes), got {describe_value(frame)}"
        )
    bary = "barycentric" in frame.lower()
    r, v = heliocentric_states_km(body, epochs, ephemeris, barycentric=bary)
    return r * u.km, v * (u.km / u.s)
