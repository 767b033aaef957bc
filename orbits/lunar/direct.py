"""Direct injection: a launcher that puts its payload straight onto the lunar transfer.

Long March 5 (Chang'e-5, -6) and Long March 8 (Queqiao-2) inject their spacecraft directly
into the Earth-Moon transfer orbit, with no days in a parking orbit. The transfer plane is
then fixed by the Moon at arrival: it passes through the Earth's centre and the Moon's
position at arrival (patched conic), with the inclination the ascent flies. The site must lie
in that plane at liftoff, which happens twice a (sidereal) day -- once on the plane's
northbound half (ascending pass), once on its southbound half (descending).

:func:`direct_injection` gives, for a site, an arrival epoch, a transfer inclination and
optionally a vehicle: both planes of that inclination through the Moon, every in-plane launch
instant in a span with its launch azimuth, the downrange arc from the site to the injection
point (the transfer's perigee, placed the patched-conic transfer angle before the Moon's
arrival position), the injection state at the given altitude and the transfer's C3, and the
payload the vehicle is published to put on a lunar trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_time, as_value, describe_value
from orbits.core import patched_conic as pc
from orbits.core import sites as core_sites
from orbits.core.constants import GM_EARTH, R_EARTH
from orbits.ephemeris import ephemeris_input, geocentric_states_km
from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError
from orbits.launch import launch_windows
from orbits.results import column, quantity, value

from ._model import KMS, LunarTable

__all__ = ["DirectInjection", "direct_injection"]

_C3 = u.km**2 / u.s**2
#: Longest start .. stop span searched (days): a year of daily instants; longer spans were
#: minutes of Python loops (a century-long span never returned).
_MAX_SPAN_DAYS = 366.0


def _planes(r_moon, inc):
    """Return the two planes of inclination ``inc`` through the Moon: (raan, u_moon) pairs."""
    rh = r_moon / np.linalg.norm(r_moon)
    ra, dec = np.arctan2(rh[1], rh[0]), np.arcsin(rh[2])
    s = np.sin(dec) / np.sin(inc)
    if abs(s) > 1.0:
        raise ArgumentError(
            f"inclination {np.degrees(inc):.2f} deg cannot contain the Moon at arrival "
            f"(declination {np.degrees(dec):+.2f} deg): inclination must be >= |declination|")
    out = []
    for uu in (np.arcsin(s), np.pi - np.arcsin(s)):
        out.append((np.mod(ra - np.arctan2(np.cos(inc) * np.sin(uu), np.cos(uu)), 2 * np.pi),
                    np.mod(uu, 2 * np.pi)))
    return out


def _in_plane_vectors(raan, inc, arg_lat):
    """Return the unit position and along-track direction at argument of latitude ``arg_lat``."""
    cO, sO, ci, si = np.cos(raan), np.sin(raan), np.cos(inc), np.sin(inc)
    p = np.array([cO, sO, 0.0])
    q = np.array([-sO * ci, cO * ci, si])
    c, s = np.cos(arg_lat), np.sin(arg_lat)
    return c * p + s * q, -s * p + c * q


@dataclass(frozen=True, repr=False)
class DirectInjection(LunarTable):
    """In-plane launch instants for a direct lunar injection (:func:`direct_injection`).

    One row per instant: the plane (by where the Moon is on it at arrival), the pass, the
    inertial launch azimuth, the downrange arc to the injection point, the injection epoch,
    state (GCRS, km and km/s) and C3.
    """

    site: str = value("site")
    arrival: Time = value("arrival at the Moon", fmt="minute")
    injection_altitude: u.Quantity = quantity("injection altitude", "km", fmt=".0f")
    ascent_duration: u.Quantity = quantity("liftoff to injection", "s", fmt=".0f")
    moon_declination: u.Quantity = quantity("Moon declination at arrival", "deg", fmt=".2f")
    time: Time = column("launch", fmt="second")
    plane: np.ndarray = column("plane (Moon at arrival on its)")
    direction: np.ndarray = column("pass")
    azimuth: u.Quantity = column("inertial azimuth", "deg", fmt=".2f")
    raan: u.Quantity = column("node of the plane", "deg", fmt=".2f")
    downrange_arc: u.Quantity = column("arc site -> injection", "deg", fmt=".1f")
    injection_time: Time = column("injection", fmt="second")
    tof: u.Quantity = column("injection to arrival", "h", fmt=".2f")
    c3: u.Quantity = column("C3", "km2 / s2", fmt=".3f")
    perigee_speed: u.Quantity = column("speed at injection", "km / s", fmt=".4f")
    injection_position: u.Quantity = column("injection position (GCRS)", "km", fmt=".1f")
    injection_velocity: u.Quantity = column("injection velocity (GCRS)", "km / s", fmt=".4f")
    inclination: u.Quantity = column("transfer inclination", "deg", fmt=".2f")
    vehicle: str = value("vehicle", default="")
    payload: u.Quantity | None = quantity("published payload to TLI", "kg", fmt=".0f",
                                          default=None)

    title = "Direct lunar injection: launch instants"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        first = (f", first {self.time[0].utc.isot[:16].replace('T', ' ')} UTC "
                 f"({self.direction[0]}, az {self.azimuth[0].to_value(u.deg):.1f} deg)"
                 if len(self) else "")
        return f"{self.site or 'site'}: {len(self)} instants{first}"

    def nearest(self, when) -> dict:
        """Return the row (a dict) whose launch instant is nearest ``when``."""
        when = as_time(when, "when")
        if not len(self):
            raise NotFoundError("no launch instants in this result")
        k = int(np.argmin(np.abs((self.time - when).to_value(u.s))))
        return self[k]


def _rows(inc, lat_gd, lon, lat, r_moon, start, stop, arrival, t_asc, r0):
    """Launch-instant rows for one transfer inclination (both planes, both passes)."""
    rows = []
    x = np.mod(np.arcsin(np.clip(np.sin(lat) / np.sin(inc), -1, 1)), 2 * np.pi)
    for raan, u_moon in _planes(r_moon, inc):
        label = "northbound half" if np.cos(u_moon) >= 0 else "southbound half"
        w = launch_windows(lat_gd * u.rad, lon * u.rad, start, stop, inclination=inc * u.rad,
                           raan=raan * u.rad, epoch=arrival, raan_rate=0 * u.deg / u.day)
        for k in range(len(w)):
            t_l = w.time[k]
            t_inj = t_l + t_asc * u.s
            tof = float((arrival - t_inj).to_value(u.s))
            e, nu, v0, _ = pc.tangential_transfer(r0, np.linalg.norm(r_moon), tof, GM_EARTH)
            u_inj = u_moon - float(nu)
            # the site's argument of latitude in the plane at liftoff
            u_site = x if w.direction[k] == "ascending" else np.pi - x
            arc = np.mod(u_inj - u_site, 2 * np.pi)
            rhat, that = _in_plane_vectors(raan, inc, u_inj)
            rows.append((t_l, label, str(w.direction[k]), float(w.azimuth[k].to_value(u.deg)),
                         np.degrees(raan), np.degrees(arc), t_inj, tof / 3600.0,
                         float(v0) ** 2 - 2 * GM_EARTH / r0, float(v0), r0 * rhat,
                         float(v0) * that, np.degrees(inc)))
    return rows


def _scan_arcs(incs, lat, lon, r_moon, start, stop, arrival, t_asc, r0):
    """Downrange arcs (rad) of every in-plane instant for many inclinations, vectorised.

    Returns ``arc[i, plane, pass, day]`` (NaN where the instant falls outside the span), plane
    0 with the Moon at arrival on its northbound half, pass 0 ascending.
    """
    d0 = (start.utc.jd1 - 2451545.0) + start.utc.jd2
    span = float((stop - start).to_value(u.day))
    days = np.arange(int(np.ceil(span * 1.0027379)) + 1)
    rate = 2 * np.pi * 1.00273790935  # rad per day of the site's right ascension
    rh = r_moon / np.linalg.norm(r_moon)
    ra, dec = np.arctan2(rh[1], rh[0]), np.arcsin(rh[2])
    i = incs[:, None, None, None]
    s_u = np.sin(dec) / np.sin(i)
    u_moon = np.concatenate([np.arcsin(s_u), np.pi - np.arcsin(s_u)], axis=1)  # (I,2,1,1)
    raan = ra - np.arctan2(np.cos(i) * np.sin(u_moon), np.cos(u_moon))
    x = np.arcsin(np.clip(np.tan(lat) / np.tan(i), -1.0, 1.0))
    xs = np.arcsin(np.clip(np.sin(lat) / np.sin(i), -1.0, 1.0))
    phase = np.concatenate([x, np.pi - x], axis=2)  # (I,1,2,1)
    u_site = np.concatenate([xs, np.pi - xs], axis=2)
    g0 = core_sites.gmst(d0) + lon
    t = np.mod(raan + phase - g0, 2 * np.pi) / rate + days / 1.00273790935  # (I,2,2,D)
    t = t - (np.mod(core_sites.gmst(d0 + t) + lon - raan - phase + np.pi, 2 * np.pi)
             - np.pi) / rate
    tof = (float((arrival - start).to_value(u.day)) - t) * 86400.0 - t_asc
    ok = (t <= span) & (tof > 3600.0)
    _, nu, _, _ = pc.tangential_transfer(r0, float(np.linalg.norm(r_moon)),
                                         np.where(ok, tof, 4e5), GM_EARTH)
    return np.where(ok, np.mod(u_moon - nu - u_site, 2 * np.pi), np.nan)


def _solve_for_arc(target, lo, args, step=np.radians(0.25), span=np.radians(40.0)):
    """Rows whose downrange arc equals ``target`` (rad), the inclination solved per instant.

    Scans inclinations from the lowest reachable (vectorised, :func:`_scan_arcs`); where an
    instant's arc crosses the target the inclination is interpolated, then the row is
    recomputed exactly there with :func:`orbits.launch.launch_windows` and kept if its arc is
    within 0.1 deg of the target.
    """
    lat_gd, lon, lat, r_moon, start, stop, arrival, t_asc, r0 = args
    incs = np.arange(lo + 1e-6, min(lo + span, np.pi - lo), step)
    arcs = _scan_arcs(incs, lat, lon, r_moon, start, stop, arrival, t_asc, r0)
    diff = np.angle(np.exp(1j * (arcs - target)))
    out = []
    labels = ("northbound half", "southbound half")
    for j in range(2):
        for k, pas in enumerate(("ascending", "descending")):
            for n in range(arcs.shape[-1]):
                dd = diff[:, j, k, n]
                hit = np.nonzero((np.sign(dd[:-1]) != np.sign(dd[1:]))
                                 & (np.abs(dd[:-1] - dd[1:]) < np.pi / 2))[0]
                for m in hit:
                    inc = incs[m] + step * dd[m] / (dd[m] - dd[m + 1])
                    cand = [r for r in _rows(inc, *args) if (r[1], r[2]) == (labels[j], pas)]
                    if not cand:
                        continue
                    best = min(cand, key=lambda r: abs(np.angle(np.exp(
                        1j * (np.radians(r[5]) - target)))))
                    if abs(np.angle(np.exp(1j * (np.radians(best[5]) - target)))) < \
                            np.radians(0.1):
                        out.append(best)
    return out


def direct_injection(latitude, longitude, *, arrival, start, stop, inclination=None,
                     ascent_arc=None, ascent_duration=0 * u.s, injection_altitude=200 * u.km,
                     vehicle=None, site: str = "", ephemeris="de421") -> DirectInjection:
    """Return the daily launch instants, azimuths and injection states of a direct injection.

    Parameters
    ----------
    latitude, longitude : Quantity (angle), geodetic (WGS 84) latitude and east longitude of
        the launch site
    arrival : Time, arrival at the Moon (e.g. LOI), fixing the Moon's position (DE421)
    start, stop : Time, span searched for launch instants
    inclination : Quantity (angle), optional
        The transfer plane's inclination to the equator (GCRS). Default: the lowest that both
        the site (its geocentric latitude) and the Moon at arrival (its declination) allow.
    ascent_arc : Quantity (angle), optional
        Instead of ``inclination``: the downrange arc the ascent flies from the site to the
        injection point; the inclination is then solved per instant so that the site is in the
        plane at liftoff *and* the injection point lies ``ascent_arc`` downrange (column
        ``inclination`` gives it per row). Give one of the two.
    ascent_duration : Quantity (time), liftoff to injection (e.g. 2,200 s for Long March 5 with
        Chang'e-5, Xinhua 2020-11-24); the transfer's time of flight is arrival minus injection
    injection_altitude : Quantity (length), perigee altitude of the transfer
    vehicle : str, optional; its published payload to TLI (:func:`orbits.launchers.payload_to`)
        is reported, or a note that none is published

    Notes
    -----
    The node of the plane is GCRS (J2000 equator); the site turns with GMST (IAU 1982), whose
    equinox is of date: the ~0.3 deg of precession since 2000 shifts an instant by about a
    minute (no precession correction). The injection point is the transfer's perigee at the
    patched-conic transfer angle before the Moon's arrival position; the downrange arc is the
    in-plane angle from the site at liftoff to it (the ascent must fly it in
    ``ascent_duration``; nothing here checks that it can).
    """
    lat_gd = np.deg2rad(as_value(latitude, u.deg, "latitude", min=-90.0, max=90.0))
    lon = np.deg2rad(as_value(longitude, u.deg, "longitude", min=-360.0, max=360.0))
    arrival = as_time(arrival, "arrival")
    start, stop = as_time(start, "start"), as_time(stop, "stop")
    t_asc = as_value(ascent_duration, u.s, "ascent_duration", min=0.0, max=6 * 3600.0)
    h = as_value(injection_altitude, u.km, "injection_altitude", min=100.0, max=5000.0)
    for name, arg, val in (("latitude", latitude, lat_gd), ("longitude", longitude, lon),
                           ("ascent_duration", ascent_duration, t_asc),
                           ("injection_altitude", injection_altitude, h)):
        if np.ndim(val):
            raise ArgumentError(f"{name} must be a single value, got {describe_value(arg)}")
    if not isinstance(site, str):
        raise ArgumentTypeError(f"site must be a string (a name), got {describe_value(site)}")
    for name, t in (("arrival", arrival), ("start", start), ("stop", stop)):
        if not t.isscalar:
            raise ArgumentError(f"{name} must be a single time, got shape {t.shape}")
    if not (stop - arrival).to_value(u.s) < 0:
        raise ArgumentError(f"stop ({stop.utc.isot[:16]}) must be before arrival "
                            f"({arrival.utc.isot[:16]})")
    span_days = float((stop - start).to_value(u.day))
    if span_days > _MAX_SPAN_DAYS:
        raise ArgumentError(
            f"start .. stop must span at most {_MAX_SPAN_DAYS:g} days of launch instants, got "
            f"{span_days:.1f} days ({start.utc.isot[:10]} .. {stop.utc.isot[:10]})")
    lat = float(core_sites.geodetic_to_geocentric(lat_gd))
    r_moon, _ = geocentric_states_km("moon", arrival, ephemeris, name="arrival")
    dec = float(np.arcsin(r_moon[2] / np.linalg.norm(r_moon)))
    lo = max(abs(lat), abs(dec))
    if inclination is None:
        inc = lo + 1e-6
    else:
        inc = np.deg2rad(as_value(inclination, u.deg, "inclination", min=0.0, max=180.0))
        if np.ndim(inc):
            raise ArgumentError(
                f"inclination must be a single angle, got {describe_value(inclination)}")
        if not lo - 1e-9 <= inc <= np.pi - lo + 1e-9:
            raise ArgumentError(
                f"inclination {np.degrees(inc):.2f} deg is out of reach: the site (geocentric "
                f"latitude {np.degrees(lat):.2f} deg) and the Moon at arrival (declination "
                f"{np.degrees(dec):+.2f} deg) need [{np.degrees(lo):.2f}, "
                f"{180 - np.degrees(lo):.2f}] deg")
    r0 = R_EARTH + h
    args = (lat_gd, lon, lat, r_moon, start, stop, arrival, t_asc, r0)
    if ascent_arc is None:
        rows = _rows(inc, *args)
    else:
        if inclination is not None:
            raise ArgumentError(f"give inclination or ascent_arc, not both (got "
                                f"inclination={inclination}, ascent_arc={ascent_arc})")
        target = np.deg2rad(as_value(ascent_arc, u.deg, "ascent_arc", min=0.0, max=360.0,
                                     min_inclusive=False, max_inclusive=False))
        if np.ndim(target):
            raise ArgumentError(
                f"ascent_arc must be a single angle, got {describe_value(ascent_arc)}")
        rows = _solve_for_arc(float(target), lo, args)
    rows.sort(key=lambda r: r[0].jd)
    payload, notes = None, [
        "patched conic: plane through the Earth's centre and the Moon at arrival (DE421); "
        "tangential injection at perigee; GCRS node with GMST (no precession: ~1 min)"]
    vname = ""
    if vehicle is not None:
        from orbits.launchers import _find, payload_to

        _find(vehicle)  # an unknown vehicle is an error, not a missing figure
        try:
            p = payload_to(vehicle)
            payload, vname = p.mass, p.vehicle
            notes.append(f"payload: {p.source}")
        except NotFoundError as exc:
            vname = str(vehicle)
            notes.append(f"payload: {exc}")
    n = len(rows)
    col = list(zip(*rows)) if n else [[] for _ in range(13)]

    def times(seq):
        t = Time([t.utc.jd for t in seq] if n else [], format="jd", scale="utc")
        t.format = "isot"
        return t

    return DirectInjection(
        site=site,
        arrival=arrival,
        injection_altitude=h * u.km,
        ascent_duration=t_asc * u.s,
        moon_declination=np.degrees(dec) * u.deg,
        vehicle=vname,
        payload=payload,
        time=times(col[0]),
        plane=np.array(col[1], dtype="U16"),
        direction=np.array(col[2], dtype="U10"),
        azimuth=np.array(col[3], dtype=float) * u.deg,
        raan=np.array(col[4], dtype=float) * u.deg,
        downrange_arc=np.array(col[5], dtype=float) * u.deg,
        injection_time=times(col[6]),
        tof=np.array(col[7], dtype=float) * u.h,
        c3=np.array(col[8], dtype=float) * _C3,
        perigee_speed=np.array(col[9], dtype=float) * KMS,
        injection_position=np.array(col[10], dtype=float).reshape(n, 3) * u.km,
        injection_velocity=np.array(col[11], dtype=float).reshape(n, 3) * KMS,
        inclination=np.array(col[12], dtype=float) * u.deg,
        inputs=(ephemeris_input(ephemeris),),
        notes=tuple(notes),
    )
