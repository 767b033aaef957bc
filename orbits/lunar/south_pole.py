"""South-pole access: which lunar orbits reach a site and when, and what the site sees.

- :func:`lunar_node_drift`: the secular drift of a lunar orbit's node from the Moon's J2 and
  the Earth's pull (third body, quadrupole, doubly averaged), plus the periodic swing from
  the Moon's C22.
- :func:`site_sky`: the Sun's and the Earth's elevation (and a relay orbiter's, e.g.
  Queqiao-2) from a lunar site over a lunar day, with DE421 states and the IAU 2015 lunar
  rotation model (:mod:`orbits.moon_frame`).
- :func:`south_pole_access`: for several sites and lunar orbits (altitude, inclination), which
  orbits pass over which site, how often the site passes under the drifting plane, and the
  site's sunlit / Earth-visible / relay-visible fractions.

Coefficients (every one cited where it is defined): J2 = 2.0321568e-4 with reference radius
1738.0 km (LP150Q, Konopliv et al. 2001); C22 = 2.24e-5 unnormalised (LP150Q, Konopliv et al.
2001, rounded: normalised 3.47e-5 times sqrt(10/24)); GM_Earth (WGS 84) with the Earth's
distance and orbit pole taken from DE421 at the epoch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from astropy import units as u
from astropy.time import Time

from orbits._validation import as_time, as_value, check_work_size, describe_value
from orbits.core import kepler
from orbits.core.constants import GM_EARTH, GM_MOON, R_MOON, R_MOON_GRAVITY, SIDEREAL_MONTH
from orbits.core.elements import coe2rv
from orbits.ephemeris import ephemeris_input, geocentric_states_km
from orbits.errors import ArgumentError, ArgumentTypeError
from orbits.moon_frame import icrf_to_moon_fixed, moon_orientation
from orbits.results import TableResult, column, quantity, value

from ._model import BatchResult, LunarTable, lunar_orbit
from .surface import _rates, site_plane_passes

__all__ = [
    "QUEQIAO_2",
    "LunarNodeDrift",
    "RelayOrbit",
    "SiteSky",
    "SouthPoleAccess",
    "lunar_node_drift",
    "site_sky",
    "south_pole_access",
]

#: Moon's C22, unnormalised (LP150Q, Konopliv et al. 2001; rounded to 3 digits).
C22_MOON = 2.24e-5
#: Mean synodic month, days (Meeus, Astronomical Algorithms, 2nd ed., ch. 49: 29.530589 d):
#: one lunar day.
SYNODIC_MONTH_DAYS = 29.530589
_OMEGA_MOON = 2.0 * np.pi / SIDEREAL_MONTH
_PER_DAY = u.deg / u.day
_DEG = np.pi / 180.0


# --- the inertial lunar-equator frame and the Earth's orbit in it ---------------------------


def _equator_frame(epoch: Time) -> np.ndarray:
    """Rows: x (node of the lunar equator on the ICRF equator), y, z (IAU pole) at ``epoch``."""
    a, d, _ = (q.to_value(u.rad) for q in moon_orientation(epoch))
    z = np.array([np.cos(d) * np.cos(a), np.cos(d) * np.sin(a), np.sin(d)])
    x = np.array([-np.sin(a), np.cos(a), 0.0])
    return np.stack([x, np.cross(z, x), z])


def _earth_orbit_geometry(epoch: Time, ephemeris="de421", name: str = "epoch"):
    """Return the Earth's orbit about the Moon on the lunar equator at ``epoch`` (DE421).

    Inclination ``eps`` and node ``Omega_p`` (rad), and the Earth's distance (km).
    """
    r, v = geocentric_states_km("moon", epoch, ephemeris, name=name)
    h = np.cross(r, v)
    p = _equator_frame(epoch) @ (h / np.linalg.norm(h))
    eps = float(np.arccos(np.clip(p[2], -1.0, 1.0)))
    node = float(np.arctan2(p[0], -p[1]))
    return eps, node, float(np.linalg.norm(r))


def _earth_node_rate(a, inc, raan, eps, node_p, dist):
    """Doubly averaged quadrupole third-body node rate (rad/s), circular orbit.

    <<R>> = (3/8) (GM_E a^2 / d^3) (cos^2 J - 1/3), cos J = cos i cos eps + sin i sin eps cos(Om -
    Om_p); dOm/dt = (1 / (n a^2 sin i)) dR/di (Lagrange; Vallado 4th ed. sec. 9.6.2 gives the
    eps = 0 case, -3/4 (n3^2 / n) cos i).
    """
    n = np.sqrt(GM_MOON / a**3)
    dlt = raan - node_p
    cos_j = np.cos(inc) * np.cos(eps) + np.sin(inc) * np.sin(eps) * np.cos(dlt)
    dcos_j = -np.sin(inc) * np.cos(eps) + np.cos(inc) * np.sin(eps) * np.cos(dlt)
    s = np.where(np.abs(np.sin(inc)) < 1e-9, np.nan, np.sin(inc))
    return 0.75 * (GM_EARTH / dist**3) / n * cos_j * dcos_j / s


@dataclass(frozen=True, repr=False)
class LunarNodeDrift(BatchResult):
    """Drift of a (near-circular) lunar orbit's node: J2 and Earth secular, C22 periodic."""

    altitude: u.Quantity = quantity("altitude", "km", fmt=".0f")
    inclination: u.Quantity = quantity("inclination", "deg", fmt=".2f")
    raan: u.Quantity = quantity("node (lunar equator)", "deg", fmt=".2f")
    j2_rate: u.Quantity = quantity("J2 node drift", "deg / d", fmt=".5f")
    earth_rate: u.Quantity = quantity("Earth third-body node drift", "deg / d", fmt=".5f")
    node_rate: u.Quantity = quantity("secular node drift", "deg / d", fmt=".5f")
    c22_amplitude: u.Quantity = quantity("C22 periodic node swing", "deg", fmt=".3f")
    c22_period: u.Quantity = quantity("C22 swing period", "day", fmt=".2f")
    node_rate_relative_to_surface: u.Quantity = quantity(
        "node drift over the surface", "deg / d", fmt=".4f")
    earth_orbit_inclination: u.Quantity = quantity(
        "Earth's orbit to the lunar equator", "deg", fmt=".3f")
    epoch: Time = value("epoch", fmt="minute")

    title = "Lunar orbit node drift (J2, Earth, C22)"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        if np.ndim(self.node_rate.value):
            return f"{np.size(self.node_rate.value)} lunar orbits"
        return (f"{self.altitude.to_value(u.km):.0f} km, i {self.inclination.to_value(u.deg):.1f}"
                f" deg: node {self.node_rate.to_value(_PER_DAY):+.4f} deg/d (J2 "
                f"{self.j2_rate.to_value(_PER_DAY):+.4f}, Earth "
                f"{self.earth_rate.to_value(_PER_DAY):+.4f}), C22 swing "
                f"±{self.c22_amplitude.to_value(u.deg):.2f} deg")


def _drift_core(a, inc, raan, epoch, ephemeris, name="epoch"):
    node_j2, _, _ = _rates(a, 0.0, inc)
    eps, node_p, dist = _earth_orbit_geometry(epoch, ephemeris, name)
    earth = _earth_node_rate(a, inc, raan, eps, node_p, dist)
    n = np.sqrt(GM_MOON / a**3)
    w_rel = _OMEGA_MOON - (node_j2 + earth)
    # C22 (Kaula 1966, eq. 3.76, F_221 = 3/2 sin^2 i): dOm/dt = 3 n (R/a)^2 C22 cos i cos 2(Om -
    # theta) -> amplitude 3 n (R/a)^2 C22 |cos i| / (2 w_rel), period pi / w_rel
    amp = 3.0 * n * (R_MOON_GRAVITY / a) ** 2 * C22_MOON * np.abs(np.cos(inc)) / (2.0 * w_rel)
    return node_j2, earth, amp, np.pi / w_rel, eps


def lunar_node_drift(altitude, inclination, *, epoch, raan=0 * u.deg,
                     ephemeris="de421") -> LunarNodeDrift:
    """Return the drift of a circular lunar orbit's node over days to weeks.

    Secular: the Moon's J2 (first order, LP150Q) plus the Earth as a third body (quadrupole,
    averaged over both orbits; the Earth's orbit about the Moon is inclined ``eps`` ~ 6.7 deg
    to the lunar equator, so even a polar orbit drifts a few thousandths of a degree a day).
    Periodic: the Moon's C22 swings the node with half the period of the Moon's rotation under
    the plane (~13.7 d; zero for a polar orbit). The Sun (about 180 times weaker than the
    Earth here) and higher harmonics/mascons are not modelled.

    Parameters
    ----------
    altitude : Quantity (length), circular-orbit altitude above the 1737.4 km mean radius
    inclination : Quantity (angle) to the lunar equator, in (0, 180) deg
    epoch : Time, where DE421 gives the Earth's orbit geometry
    raan : Quantity (angle), node on the lunar equator measured from the equator's ascending
        node on the ICRF equator (the Earth term depends on it)
    """
    hp = as_value(altitude, u.km, "altitude", min=0.0, max=1.0e5)
    rp, _, _ = lunar_orbit(hp * u.km, None, None, prefix="")
    inc = np.deg2rad(as_value(inclination, u.deg, "inclination", min=0.0, max=180.0,
                              min_inclusive=False, max_inclusive=False))
    om = np.deg2rad(as_value(raan, u.deg, "raan", min=-720.0, max=720.0))
    for arg, val in (("altitude", altitude), ("inclination", inclination), ("raan", raan)):
        if np.size(val) == 0:
            raise ArgumentError(f"{arg} must hold at least one value, got {describe_value(val)}")
    try:
        np.broadcast_shapes(np.shape(rp), np.shape(inc), np.shape(om))
    except ValueError:
        raise ArgumentError(
            f"altitude, inclination and raan must broadcast together, got shapes "
            f"{np.shape(rp)}, {np.shape(inc)} and {np.shape(om)}") from None
    epoch = as_time(epoch, "epoch")
    if not epoch.isscalar:
        raise ArgumentError(f"epoch must be a single time, got shape {epoch.shape}")
    j2, earth, amp, period, eps = _drift_core(rp, inc, om, epoch, ephemeris)
    total = j2 + earth
    to_day = u.rad / u.s
    return LunarNodeDrift(
        altitude=(np.asarray(rp) - R_MOON) * u.km,
        inclination=(np.asarray(inc) * u.rad).to(u.deg),
        raan=(np.asarray(om) * u.rad).to(u.deg),
        j2_rate=(j2 * to_day).to(_PER_DAY),
        earth_rate=(earth * to_day).to(_PER_DAY),
        node_rate=(total * to_day).to(_PER_DAY),
        c22_amplitude=(amp * u.rad).to(u.deg),
        c22_period=(period * u.s).to(u.day),
        node_rate_relative_to_surface=((total - _OMEGA_MOON) * to_day).to(_PER_DAY),
        earth_orbit_inclination=(eps * u.rad).to(u.deg),
        epoch=epoch,
        inputs=(ephemeris_input(ephemeris),),
        notes=("J2 first-order secular rate (LP150Q J2 2.032e-4, R 1738 km); Earth quadrupole "
               "third body doubly averaged with DE421's Earth distance and orbit pole at the "
               "epoch; C22 = 2.24e-5 periodic term (Kaula 1966); Sun, mascons not modelled",),
    )


# --- relay orbit ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RelayOrbit:
    """A Keplerian relay orbit about the Moon, fixed in the lunar-equator frame of its epoch.

    ``raan`` is measured on the lunar equator from its ascending node on the ICRF equator;
    ``periapsis_time`` is when it passes periapsis. ``assumed`` lists elements that are not
    published (they are then shown in a result's notes).
    """

    name: str
    periapsis_altitude: u.Quantity
    apoapsis_altitude: u.Quantity
    inclination: u.Quantity
    argp: u.Quantity
    raan: u.Quantity = 0 * u.deg
    periapsis_time: Time | None = None
    source: str = ""
    assumed: tuple[str, ...] = ()


#: Queqiao-2's 24-hour frozen elliptical mission orbit: 200 x 16,000 km (CNSA via Wikipedia,
#: "Queqiao-2", 2024-04), inclination 62.4 deg (same source; the catalog's queqiao-2 orbit).
#: Two-body period with DE421's GM_Moon: 24.3 h, matching the published 24 h. Its node,
#: argument of periapsis and phase are not published: the argument of periapsis 90 deg
#: (periapsis farthest north, so the slow apoapsis arc is over the south pole, which is what
#: a frozen relay orbit for the south pole is for) and the node 0 are assumptions.
QUEQIAO_2 = RelayOrbit(
    name="Queqiao-2",
    periapsis_altitude=200 * u.km,
    apoapsis_altitude=16000 * u.km,
    inclination=62.4 * u.deg,
    argp=90 * u.deg,
    raan=0 * u.deg,
    source="wiki-queqiao-2 (200 x 16,000 km, 24 h, 62.4 deg; 2024-04)",
    assumed=("raan", "argp", "periapsis_time"),
)


def _relay_positions_icrf(relay: RelayOrbit, t: Time, start: Time):
    if not isinstance(relay, RelayOrbit):
        raise ArgumentTypeError(f"relay must be an orbits.lunar.RelayOrbit (e.g. QUEQIAO_2) or "
                                f"None, got {describe_value(relay)}")
    rp, ra, inc = lunar_orbit(relay.periapsis_altitude, relay.apoapsis_altitude,
                              relay.inclination, prefix="relay.")
    argp = as_value(relay.argp, u.rad, "relay.argp")
    raan = as_value(relay.raan, u.rad, "relay.raan")
    a, e = 0.5 * (rp + ra), (ra - rp) / (ra + rp)
    tp = start if relay.periapsis_time is None else as_time(relay.periapsis_time,
                                                            "relay.periapsis_time")
    dt = (t - tp).to_value(u.s)
    nu = kepler.mean_to_true(np.sqrt(GM_MOON / a**3) * dt, e)
    r, _ = coe2rv(a * (1 - e * e), e, inc, raan, argp, nu, k=GM_MOON)
    return r @ _equator_frame(tp)  # lunar-equator components -> ICRF


# --- what a site sees ----------------------------------------------------------------------


def _site_basis(lat, lon):
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.cross(up, east)
    return up, east, north


def _elev_az(rel_mf, lat, lon):
    up, east, north = _site_basis(lat, lon)
    n = np.linalg.norm(rel_mf, axis=-1)
    el = np.arcsin(np.clip(rel_mf @ up / n, -1.0, 1.0))
    az = np.mod(np.arctan2(rel_mf @ east, rel_mf @ north), 2 * np.pi)
    return el, az


def _site_latlon(latitude, longitude, name="site"):
    if latitude is None or longitude is None:
        raise ArgumentError(f"{name} has no coordinates (latitude={latitude!r}, "
                            f"longitude={longitude!r}); give selenographic latitude and "
                            f"longitude")
    lat = as_value(latitude, u.deg, f"{name} latitude", min=-90.0, max=90.0)
    lon = as_value(longitude, u.deg, f"{name} longitude", min=-360.0, max=360.0)
    if np.ndim(lat) or np.ndim(lon):
        raise ArgumentError(f"{name} latitude and longitude must be scalars, got "
                            f"{describe_value(latitude)} and {describe_value(longitude)}")
    return float(np.deg2rad(lat)), float(np.deg2rad(lon))


def _sky_core(lat, lon, t: Time, relay, start, ephemeris):
    check_work_size(t.size * 8 * 60.0, f"site_sky over {t.size:,} epochs")
    rm, _ = geocentric_states_km("moon", t, ephemeris, name="start")
    rs, _ = geocentric_states_km("sun", t, ephemeris, name="start")
    m = icrf_to_moon_fixed(t)
    site = R_MOON * _site_basis(lat, lon)[0]
    out = {}
    for key, vec in (("sun", rs - rm), ("earth", -rm)):
        rel = np.einsum("nij,nj->ni", m, vec) - site
        out[key] = _elev_az(rel, lat, lon)
    if relay is not None:
        rel = np.einsum("nij,nj->ni", m, _relay_positions_icrf(relay, t, start)) - site
        out["relay"] = _elev_az(rel, lat, lon)
    return out


@dataclass(frozen=True, repr=False)
class SiteSky(LunarTable):
    """Sun, Earth (and relay) elevation from a lunar site over time (:func:`site_sky`)."""

    site: str = value("site")
    latitude: u.Quantity = quantity("latitude", "deg", fmt=".3f")
    longitude: u.Quantity = quantity("longitude (east)", "deg", fmt=".3f")
    sunlit_fraction: float = quantity("Sun above the horizon", "", fmt=".3f")
    earth_fraction: float = quantity("Earth above the horizon", "", fmt=".3f")
    relay_fraction: float | None = quantity("relay above the horizon", "", fmt=".3f")
    max_sun_elevation: u.Quantity = quantity("highest Sun", "deg", fmt=".2f")
    relay: str = value("relay")
    time: Time = column("time", fmt="minute")
    sun_elevation: u.Quantity = column("Sun elevation", "deg", fmt=".3f")
    sun_azimuth: u.Quantity = column("Sun azimuth", "deg", fmt=".2f")
    earth_elevation: u.Quantity = column("Earth elevation", "deg", fmt=".3f")
    relay_elevation: u.Quantity | None = column("relay elevation", "deg", fmt=".2f")

    title = "Sky from a lunar site"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        rel = "" if self.relay_fraction is None else (
            f", {self.relay} {100 * float(self.relay_fraction):.0f}%")
        return (f"{self.site or 'site'} at {self.latitude.to_value(u.deg):.1f} deg: Sun up "
                f"{100 * float(self.sunlit_fraction):.0f}% (max "
                f"{self.max_sun_elevation.to_value(u.deg):.1f} deg), Earth up "
                f"{100 * float(self.earth_fraction):.0f}%{rel} of {len(self)} epochs")


def _time_grid(start, duration, step):
    start = as_time(start, "start")
    if not start.isscalar:
        raise ArgumentError(f"start must be a single epoch, got shape {start.shape}")
    dur = as_value(duration, u.day, "duration", min=0.0, max=3700.0, min_inclusive=False)
    dt = as_value(step, u.day, "step", min=1.0 / 1440.0, max=1.0)
    n = int(np.floor(dur / dt)) + 1
    check_work_size(n * 8 * 60.0, f"{n:,} epochs ({dur:g} d at a {dt * 24:g} h step)")
    return start, start + np.arange(n) * dt * u.day


def site_sky(latitude, longitude, start, *, duration=SYNODIC_MONTH_DAYS * u.day, step=1 * u.h,
             relay=None, name: str = "", ephemeris="de421") -> SiteSky:
    """Sun, Earth and relay elevation above a lunar site's (spherical, local) horizon.

    Geometric Moon-to-Sun and Moon-to-Earth vectors from DE421 turned into the Moon-fixed
    frame by the IAU 2015 rotation model; the site on the 1737.4 km sphere; elevation of the
    body's centre above the site's horizontal plane (no terrain: a crater rim or a ridge
    changes what is actually visible). Light time and aberration (< 0.01 deg) are ignored.

    Parameters
    ----------
    latitude, longitude : Quantity (angle), selenographic (mean Earth / polar axis), east
    start : Time
    duration : Quantity (time), default one synodic month (a lunar day, 29.53 d)
    step : Quantity (time), in [1 min, 1 d]
    relay : RelayOrbit, optional (e.g. :data:`QUEQIAO_2`)
    name : str, display name of the site
    """
    lat, lon = _site_latlon(latitude, longitude, name or "site")
    start, t = _time_grid(start, duration, step)
    sky = _sky_core(lat, lon, t, relay, start, ephemeris)
    deg = u.rad.to(u.deg)
    notes = ["DE421 geometric vectors, IAU WGCCRE 2015 lunar rotation (Archinal et al. 2018); "
             "spherical Moon, no terrain; fractions are of the sampled epochs"]
    if relay is not None and relay.assumed:
        notes.append(f"{relay.name}: {', '.join(relay.assumed)} not published, assumed "
                     f"(raan {relay.raan}, argp {relay.argp}, periapsis at start unless given)")
    rel = sky.get("relay")
    return SiteSky(
        site=name,
        latitude=lat * deg * u.deg,
        longitude=lon * deg * u.deg,
        sunlit_fraction=float(np.mean(sky["sun"][0] > 0)),
        earth_fraction=float(np.mean(sky["earth"][0] > 0)),
        relay_fraction=None if rel is None else float(np.mean(rel[0] > 0)),
        max_sun_elevation=float(np.max(sky["sun"][0])) * deg * u.deg,
        relay="" if relay is None else relay.name,
        time=t,
        sun_elevation=sky["sun"][0] * deg * u.deg,
        sun_azimuth=sky["sun"][1] * deg * u.deg,
        earth_elevation=sky["earth"][0] * deg * u.deg,
        relay_elevation=None if rel is None else rel[0] * deg * u.deg,
        inputs=(ephemeris_input(ephemeris),),
        notes=tuple(notes),
    )


# --- access table ----------------------------------------------------------------------------


def _quantities(values, name, unit):
    """Return a sequence of Quantities (or one Quantity) as one non-empty Quantity array."""
    if isinstance(values, (str, bytes)) or values is None:
        q = values
    else:
        try:
            q = u.Quantity(values)
        except (TypeError, ValueError, u.UnitsError):
            raise ArgumentTypeError(
                f"{name} must be a Quantity or a sequence of Quantities in {unit.physical_type} "
                f"(e.g. {name}=(100 * u.{unit},)), got {describe_value(values)}") from None
    if isinstance(q, u.Quantity) and q.size == 0:
        raise ArgumentError(f"{name} must hold at least one value, got {describe_value(values)}")
    return q


def _sites(sites):
    if isinstance(sites, Mapping):
        items = list(sites.items())
    else:
        try:
            items = [(s[0], (s[1], s[2])) for s in sites]
        except (TypeError, IndexError):
            raise ArgumentTypeError(
                f"sites must be a mapping name -> (latitude, longitude) or a list of "
                f"(name, latitude, longitude), got {describe_value(sites)}") from None
    if not items:
        raise ArgumentError("sites must name at least one site")
    out = []
    for name, coords in items:
        try:
            lat, lon = coords
        except (TypeError, ValueError):
            raise ArgumentError(f"site {name!r} has no coordinates: got {describe_value(coords)}"
                                f"; give (latitude, longitude)") from None
        out.append((str(name), *_site_latlon(lat, lon, f"site {name!r}")))
    return out


@dataclass(frozen=True, repr=False)
class SouthPoleAccess(TableResult):
    """Per site and lunar orbit: reach, plane passes, drift, Sun/Earth/relay.

    Result of :func:`south_pole_access`.
    """

    start: Time = value("from", fmt="minute")
    duration: u.Quantity = quantity("span", "day", fmt=".2f")
    relay: str = value("relay")
    site: np.ndarray = column("site")
    latitude: u.Quantity = column("latitude", "deg", fmt=".2f")
    longitude: u.Quantity = column("longitude", "deg", fmt=".2f")
    altitude: u.Quantity = column("orbit altitude", "km", fmt=".0f")
    inclination: u.Quantity = column("inclination", "deg", fmt=".1f")
    reaches: np.ndarray = column("passes over the site")
    passes: np.ndarray = column("plane passes in span")
    interval: u.Quantity = column("mean days between passes", "day", fmt=".2f")
    first_pass: u.Quantity = column("first pass after start", "day", fmt=".2f")
    node_rate: u.Quantity = column("node drift", "deg / d", fmt=".4f")
    c22_amplitude: u.Quantity = column("C22 swing", "deg", fmt=".2f")
    sunlit_fraction: np.ndarray = column("Sun up", fmt=".3f")
    earth_fraction: np.ndarray = column("Earth up", fmt=".3f")
    relay_fraction: np.ndarray = column("relay up", fmt=".3f")

    title = "South-pole access"

    def summary(self) -> str:
        """Return the one-line summary shown inside ``repr``."""
        n_sites = len(set(self.site.tolist()))
        return (f"{n_sites} sites x {len(self) // max(n_sites, 1)} orbits over "
                f"{self.duration.to_value(u.day):.1f} d, {int(np.sum(self.reaches))} reach")


def south_pole_access(sites, *, start, altitudes=(100 * u.km,),
                      inclinations=(90 * u.deg, 85 * u.deg, 62.4 * u.deg),
                      duration=SIDEREAL_MONTH / 86400.0 * u.day, node_longitude=0 * u.deg,
                      step=2 * u.h, relay=QUEQIAO_2, ephemeris="de421") -> SouthPoleAccess:
    """Which lunar orbits pass over each site, how often, and what each site sees.

    For every site and every (altitude, inclination): whether the ground track ever passes
    over the site (``|lat| <= i`` or ``<= 180 - i``), the times the site passes under the
    plane in the span (twice per turn of the Moon under the plane, turning at the Moon's
    rotation minus the secular node drift of :func:`lunar_node_drift`), their mean spacing and
    the first one; and, per site, the sampled fractions of the span with the Sun, the Earth
    and the relay above the horizon (:func:`site_sky`).

    Parameters
    ----------
    sites : mapping name -> (latitude, longitude) or list of (name, latitude, longitude)
    start : Time
    altitudes, inclinations : sequences of Quantity (every combination is a row)
    duration : Quantity (time), default one sidereal month
    node_longitude : Quantity (angle), selenographic longitude of the planes' ascending node
        at ``start``
    step : sampling of :func:`site_sky`
    relay : RelayOrbit or None
    """
    site_list = _sites(sites)
    start = as_time(start, "start")
    if not start.isscalar:
        raise ArgumentError(f"start must be a single epoch, got shape {start.shape}")
    alts = np.atleast_1d(as_value(_quantities(altitudes, "altitudes", u.km), u.km, "altitudes",
                                  min=0.0, max=1e4))
    incs = np.deg2rad(np.atleast_1d(as_value(
        _quantities(inclinations, "inclinations", u.deg), u.deg, "inclinations", min=0.0,
        max=180.0, min_inclusive=False, max_inclusive=False)))
    dur = as_value(duration, u.day, "duration", min=0.0, max=3700.0, min_inclusive=False)
    check_work_size(len(site_list) * alts.size * incs.size * 4096.0, "south_pole_access rows")
    rows = {k: [] for k in ("site", "lat", "lon", "alt", "inc", "reach", "n", "interval",
                            "first", "rate", "amp", "sun", "earth", "relay")}
    for name, lat, lon in site_list:
        sky = site_sky(lat * u.rad, lon * u.rad, start, duration=dur * u.day, step=step,
                       relay=relay, name=name, ephemeris=ephemeris)
        for h in alts:
            for inc in incs:
                a = R_MOON + h
                j2, earth, amp, _, _ = _drift_core(a, inc, 0.0, start, ephemeris, "start")
                rate = float(j2 + earth)
                p = site_plane_passes(lat * u.rad, lon * u.rad, inc * u.rad,
                                      node_longitude=node_longitude, duration=dur * u.day,
                                      altitude=h * u.km, node_rate=rate * u.rad / u.s)
                off = p.offset.to_value(u.day)
                at_pole = abs(abs(lat) - np.pi / 2) < 1e-9 and abs(inc - np.pi / 2) < 1e-9
                rows["site"].append(name)
                rows["lat"].append(lat)
                rows["lon"].append(lon)
                rows["alt"].append(h)
                rows["inc"].append(inc)
                rows["reach"].append(bool(abs(lat) <= min(inc, np.pi - inc) + 1e-12))
                rows["n"].append(len(off))
                if at_pole:  # the pole lies in every polar plane, all the time
                    rows["interval"].append(0.0)
                    rows["first"].append(0.0)
                else:
                    rows["interval"].append(float(np.mean(np.diff(off))) if len(off) > 1
                                            else np.nan)
                    rows["first"].append(float(off[0]) if len(off) else np.nan)
                rows["rate"].append(rate)
                rows["amp"].append(float(amp))
                rows["sun"].append(float(sky.sunlit_fraction))
                rows["earth"].append(float(sky.earth_fraction))
                rows["relay"].append(np.nan if sky.relay_fraction is None
                                     else float(sky.relay_fraction))
    deg = u.rad.to(u.deg)
    notes = ["plane passes: the Moon turns under the plane at its sidereal rate minus the "
             "secular node drift (J2 + Earth); blank interval/first pass where the site is "
             "never under the plane; a site at the pole is under every polar plane all the "
             "time (interval and first pass 0)",
             "Sun/Earth/relay fractions: sampled elevation > 0 of the body's centre from the "
             "site (spherical Moon, DE421, IAU 2015 rotation)"]
    if relay is not None and relay.assumed:
        notes.append(f"{relay.name}: {', '.join(relay.assumed)} assumed (not published)")
    return SouthPoleAccess(
        start=start,
        duration=dur * u.day,
        relay="" if relay is None else relay.name,
        site=np.array(rows["site"]),
        latitude=np.array(rows["lat"]) * deg * u.deg,
        longitude=np.array(rows["lon"]) * deg * u.deg,
        altitude=np.array(rows["alt"]) * u.km,
        inclination=np.array(rows["inc"]) * deg * u.deg,
        reaches=np.array(rows["reach"]),
        passes=np.array(rows["n"]),
        interval=np.array(rows["interval"]) * u.day,
        first_pass=np.array(rows["first"]) * u.day,
        node_rate=(np.array(rows["rate"]) * u.rad / u.s).to(_PER_DAY),
        c22_amplitude=(np.array(rows["amp"]) * u.rad).to(u.deg),
        sunlit_fraction=np.array(rows["sun"]),
        earth_fraction=np.array(rows["earth"]),
        relay_fraction=np.array(rows["relay"]),
        inputs=(ephemeris_input(ephemeris),),
        notes=tuple(notes),
    )
