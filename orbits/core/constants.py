"""Physical constants in the core's units (km, s, rad), each with its source.

One place for every constant the toolkit uses, so that two modules never disagree on
the Earth's radius or the Moon's GM.
"""

import math

# --- Earth -----------------------------------------------------------------------------
#: Earth's gravitational parameter, km^3/s^2 (WGS 84 / EGM96; Vallado, 4th ed., Table D-1).
GM_EARTH = 398600.4418
#: Earth's equatorial radius, km (WGS 84; Vallado Table D-1).
R_EARTH = 6378.137
#: Earth's flattening (WGS 84).
F_EARTH = 1.0 / 298.257223563
#: First eccentricity squared of the WGS 84 ellipsoid.
E2_EARTH = F_EARTH * (2.0 - F_EARTH)
#: Earth's J2 (EGM96 unnormalised C20 sign-flipped; Vallado Table D-1: 0.0010826267).
J2_EARTH = 1.0826267e-3
#: Earth's rotation rate relative to the stars, rad/s (IERS / Vallado: 7.292115e-5).
OMEGA_EARTH = 7.292115e-5
#: Sidereal day, s (2 pi / OMEGA_EARTH).
SIDEREAL_DAY = 2.0 * math.pi / OMEGA_EARTH

# --- Moon --------------------------------------------------------------------------------
#: Moon's gravitational parameter, km^3/s^2 (JPL DE421 header, GM_Moon = 4902.800080).
GM_MOON = 4902.800080
#: Moon's mean radius, km (IAU WGCCRE 2015 report: 1737.4 km).
R_MOON = 1737.4
#: Moon's J2 (LP150Q gravity model, Konopliv et al. 2001: 2.0321568e-4).
J2_MOON = 2.0321568e-4
#: Mean Earth-Moon distance, km (semi-major axis of the lunar orbit; Curtis, Table A.1: 384 400 km).
EARTH_MOON_DISTANCE = 384400.0
#: Sidereal month, s (27.321661 days; Curtis Table A.1).
SIDEREAL_MONTH = 27.321661 * 86400.0

# --- Sun ---------------------------------------------------------------------------------
#: Sun's gravitational parameter, km^3/s^2 (JPL DE421 header).
GM_SUN = 1.32712440040944e11
#: Astronomical unit, km (IAU 2012 resolution B2).
AU = 149597870.700

# --- Earth-Moon CR3BP ----------------------------------------------------------------------
#: Mass parameter mu = m_Moon / (m_Earth + m_Moon) from the GMs above (Curtis Example 2.18
#: quotes 0.01215).
MU_EARTH_MOON = GM_MOON / (GM_EARTH + GM_MOON)

#: Standard gravity, m/s^2 (for rocket-equation Isp conversions).
G0 = 9.80665e-3  # km/s^2

# --- Moon orientation and lunar transfers (added for orbits.lunar) -------------------------
#: Right ascension / declination of the Moon's north pole, ICRF, rad: constant terms of the
#: IAU WGCCRE 2015 model (Archinal et al. 2018, Celest. Mech. Dyn. Astr. 130:22, Table 2:
#: alpha0 = 269.9949 deg, delta0 = 66.5392 deg; the periodic terms move it by < 4 deg in RA,
#: < 1.6 deg in Dec).
MOON_POLE_RA = math.radians(269.9949)
MOON_POLE_DEC = math.radians(66.5392)

# --- appended for orbits.launch / orbits.precession -------------------------------------
#: Reference radius of the lunar gravity field that J2_MOON belongs to, km (LP150Q,
#: Konopliv et al. 2001: coefficients normalised to R = 1738.0 km).
R_MOON_GRAVITY = 1738.0
#: Mean motion of the Sun about the Earth, rad/s (360 deg per tropical year of 365.2421897 d;
#: Vallado 4th ed., Example 11-2): the node rate of a sun-synchronous orbit.
SUN_SYNC_RATE = 2.0 * math.pi / (365.2421897 * 86400.0)

#: Earth's J4 (EGM2008 unnormalised, J4 = -C40; Vallado, 4th ed., Table D-1: -1.6196215913670e-6).
J4_EARTH = -1.6196215913670e-6
