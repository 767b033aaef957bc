"""n-body refinement of patched-conic lunar transfers, with impulsive and finite TLI burns.

Flown figures come from seeds/authorities/apollo/apollo_tli_loi.csv (see its PROVENANCE.md):
TLI speed gains from Orloff's "Apollo by the Numbers" (NASA SP-2000-4029) tables, Earth-orbit
insertion speed to the speed at translunar injection, which Orloff states 10 s after the S-IVB's
cut-off -- Apollo 8 25,567.06 -> 35,505.41 ft/s (3.029 km/s), Apollo 11 25,567.9 -> 35,545.6 ft/s
(3.041 km/s); Apollo 8's S-IVB second burn (thrust, Isp, duration, masses) from the AS-503 flight
evaluation report MPR-SAT-FE-69-1; Apollo 11 LOI-1 2,917 ft/s (Mission Report MSC-00171).
"""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

import orbits
from orbits.core import nbody as nb
from orbits.core.constants import GM_EARTH, GM_MOON, R_EARTH, R_MOON
from orbits.errors import ArgumentError, ArgumentTypeError, ConvergenceError, UnitError
from orbits.lunar import APOLLO8_TLI, APOLLO11_TLI, FiniteBurn, refine_porkchop, refine_transfer

KMS = u.km / u.s
FT = 0.3048e-3  # km per foot
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "authorities" / "apollo"


def _flown(mission, quantity):
    with open(SEEDS / "apollo_tli_loi.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["mission"] == mission and row["quantity"] == quantity:
                return row["value"]
    raise KeyError((mission, quantity))


# Apollo 11: TLI burn 16:16:16 UTC + 346.83 s (mid-burn 16:19:09.6); LOI-1 ignition 17:21:50
# UTC, 357 s burn: perilune taken at mid-burn, 17:24:48.5 (seed file rows "Apollo 11").
A11_TLI_MID = Time("1969-07-16T16:19:09.6", scale="utc")
A11_PERILUNE = Time("1969-07-19T17:24:48.5", scale="utc")
A11_GAIN = (float(_flown("Apollo 11", "speed at translunar injection (space-fixed)"))
            - float(_flown("Apollo 11", "Earth orbit insertion speed (space-fixed)"))) * FT
# 3.041 km/s at cut-off + 10 s (Orloff); MSC-00171's 35,579 ft/s (seed row "speed at TLI
# cut-off") would give 3.052 km/s
A11_LOI = float(_flown("Apollo 11", "LOI-1 delta-v")) * FT  # 0.889 km/s
# Apollo 8: TLI 15:41:37 -> 15:46:55 UTC (mid 15:44:16); LOI-1 09:59:20 -> 10:03:27 UTC
# (mid 10:01:24); 185 km x 32.51 deg parking orbit; 111 km perilune; 12 deg retrograde orbit.
A8_TLI_MID = Time("1968-12-21T15:44:16", scale="utc")
A8_PERILUNE = Time("1968-12-24T10:01:24", scale="utc")
A8_GAIN = (float(_flown("Apollo 8", "speed at translunar injection (space-fixed)"))
           - float(_flown("Apollo 8", "Earth orbit insertion speed (space-fixed)"))) * FT
# 3.029 km/s, at cut-off + 10 s: the it.wikipedia 7,793 -> 10,822 m/s (seed rows) are these


def _c3_at_injection(fin):
    """C3 (km^2/s^2) of a refined finite burn's injection state, from its reported fields."""
    v = math.sqrt(GM_EARTH / (R_EARTH + 185.0)) + fin.tli_dv.to_value(KMS)
    r = R_EARTH + fin.injection_altitude.to_value(u.km)
    return v * v - 2.0 * GM_EARTH / r, v, r


def _ellipsoid_radius(geocentric_latitude_deg):
    """WGS-84 ellipsoid radius (km) at a geocentric latitude (a = 6378.137 km, f = 1/298.257)."""
    e2 = 1.0 - (1.0 - 1.0 / 298.257223563) ** 2
    c = math.cos(math.radians(geocentric_latitude_deg))
    return 6378.137 * math.sqrt((1.0 - e2) / (1.0 - e2 * c * c))


def _budget(dep, arr, incl, hp, ha):
    return orbits.tli_budget(parking_altitude=185 * u.km, parking_inclination=incl * u.deg,
                             tof=(arr - dep).to(u.h), lunar_periapsis_altitude=hp * u.km,
                             lunar_apoapsis_altitude=ha * u.km, departure=dep)


@pytest.fixture(scope="module")
def apollo11():
    b = _budget(A11_TLI_MID, A11_PERILUNE, 32.52, 113, 315)
    kw = dict(lunar_periapsis_altitude=113 * u.km, lunar_apoapsis_altitude=315 * u.km)
    return b, refine_transfer(b, **kw), refine_transfer(b, burn=APOLLO11_TLI, **kw)


def test_body_table_matches_jplephem():
    # The hourly Hermite table against DE421 evaluated by jplephem itself (independent of
    # orbits.ephemeris), at epochs between the nodes: Moon within 1 m, Sun within 1 km.
    import importlib.resources

    from jplephem.spk import SPK

    from orbits.lunar.nbody import _body_table

    epoch0 = Time("1969-07-16T16:00", scale="tdb")
    table = _body_table(epoch0, 0.0, 3 * 86400.0, "de421", True)
    t = np.array([1234.5, 40000.7, 2.5 * 86400.0 + 1800.3])
    r, _ = table.states(t)
    jd = epoch0.jd + t / 86400.0
    k = SPK.open(str(importlib.resources.files("skyfield_data") / "data" / "de421.bsp"))
    try:
        earth = k[0, 3].compute(jd) + k[3, 399].compute(jd)
        moon = k[0, 3].compute(jd) + k[3, 301].compute(jd)
        sun = k[0, 10].compute(jd)
    finally:
        k.close()
    assert np.max(np.abs(r[:, 0] - (moon - earth).T)) < 1e-3
    assert np.max(np.abs(r[:, 1] - (sun - earth).T)) < 1.0


def test_two_body_reduction_conserves_energy():
    # Without the perturbing bodies the integrator must keep the two-body energy integral
    # v^2/2 - k/r (Curtis eq. 2.80) to ~1e-10 over a 3-day translunar coast.
    y0 = np.array([6563.137, 0.0, 0.0, 0.0, 10.85, 0.5])
    sol = nb.propagate(nb.make_rhs(None, GM_EARTH), 0.0, y0, 3 * 86400.0, rtol=1e-12)
    e = nb.specific_energy(sol.y[:3].T, sol.y[3:].T, GM_EARTH)
    assert np.max(np.abs(e / e[0] - 1.0)) < 1e-10


def test_circular_moon_reduction_keeps_the_jacobi_constant():
    # Earth + a Moon on a circular orbit is the circular restricted three-body problem, whose
    # Jacobi integral C = n^2 (x^2 + y^2) + 2 (k1/r1 + k2/r2) - v_rot^2 (barycentric rotating
    # frame; Szebehely, "Theory of Orbits", 1967, ch. 1; Curtis eq. 2.206) must stay constant.
    d = 384400.0
    n = math.sqrt((GM_EARTH + GM_MOON) / d**3)
    ts = np.arange(-2, 6 * 24 + 2) * 3600.0
    rm = d * np.stack([np.cos(n * ts), np.sin(n * ts), 0 * ts], -1)[:, None, :]
    vm = d * n * np.stack([-np.sin(n * ts), np.cos(n * ts), 0 * ts], -1)[:, None, :]
    table = nb.BodyTable(float(ts[0]), 3600.0, rm, vm, np.array([GM_MOON]))
    y0 = np.array([-6563.137, -200.0, 0.0, 0.3, -10.9, 0.0])
    sol = nb.propagate(nb.make_rhs(table, GM_EARTH), 0.0, y0, 4 * 86400.0, rtol=1e-12)
    mu = GM_MOON / (GM_EARTH + GM_MOON)
    t = sol.t
    r_m = d * np.stack([np.cos(n * t), np.sin(n * t), 0 * t], -1)
    v_m = d * n * np.stack([-np.sin(n * t), np.cos(n * t), 0 * t], -1)
    rb = sol.y[:3].T - mu * r_m  # barycentric
    vb = sol.y[3:].T - mu * v_m
    omega = np.array([0.0, 0.0, n])
    v_rot = vb - np.cross(omega, rb)
    r1 = np.linalg.norm(sol.y[:3].T, axis=1)
    r2 = np.linalg.norm(sol.y[:3].T - r_m, axis=1)
    jac = n**2 * np.sum(rb[:, :2] ** 2, 1) + 2 * (GM_EARTH / r1 + GM_MOON / r2) \
        - np.sum(v_rot**2, 1)
    assert np.max(np.abs(jac / jac[0] - 1.0)) < 1e-8  # Hermite-interpolated Moon: ~1e-9


def test_refined_transfer_meets_its_targets(apollo11):
    b, imp, _ = apollo11
    # perilune at the planned arrival (conic departure + tof) and at the target altitude,
    # checked against the Moon from orbits.ephemeris (not the integrator's table)
    planned = b.departure + b.tof
    assert abs((imp.arrival - planned).to_value(u.s)) < 1.0
    r_m, _ = orbits.moon_state(imp.arrival)
    alt = np.linalg.norm(imp.positions[-1] - r_m.to_value(u.km)) - R_MOON
    assert abs(alt - 113.0) < 0.1
    assert abs(imp.perilune_altitude.to_value(u.km) - 113.0) < 0.05
    # the result shape: one-line repr, labelled table, JSON-safe dict
    assert "\n" not in repr(imp) and imp.to_table()["LOI Δv"].unit == KMS
    assert imp.to_dict()["burn_model"].startswith("impulsive")


def test_step_size_independence(apollo11):
    b, imp, _ = apollo11
    loose = refine_transfer(b, lunar_periapsis_altitude=113 * u.km,
                            lunar_apoapsis_altitude=315 * u.km, rtol=1e-10, sun=True)
    assert abs((loose.tli_dv - imp.tli_dv).to_value(u.m / u.s)) < 0.05
    assert abs((loose.loi_dv - imp.loi_dv).to_value(u.m / u.s)) < 0.05
    assert abs((loose.departure - imp.departure).to_value(u.s)) < 0.5


def test_apollo11_finite_burn_speed_gain_within_1_percent(apollo11):
    _, imp, fin = apollo11
    # Flown speed gain 3.041 km/s at injection, cut-off + 10 s (Orloff, seed file): the finite
    # burn within 1 % (measured -0.53 %); the impulsive Δv runs several per cent above it
    # (tracker issue 10: ~4 %), as a finite burn's climb does not exist for an impulse.
    assert abs(fin.tli_dv.to_value(KMS) / A11_GAIN - 1.0) < 0.01
    # measured at the same event as Orloff's figures: 10 s after cut-off the stack has climbed
    # v sin(fpa) * 10 s higher (kinematics, to 1 km)
    climb = 10.0 * (fin.tli_dv.to_value(KMS) + 7.793) * math.sin(
        fin.injection_flight_path_angle.to_value(u.rad))
    assert abs((fin.injection_altitude - fin.cutoff_altitude).to_value(u.km) - climb) < 1.0
    assert imp.tli_dv.to_value(KMS) / A11_GAIN - 1.0 > 0.025
    # the burn lasts the flown 346.83 s; its rocket-equation Δv exceeds the impulsive one
    assert abs(fin.burn_duration.to_value(u.s) - 346.83) < 1e-6
    assert fin.burn_ideal_dv > imp.tli_dv > fin.tli_dv
    # impulsive LOI at perilune vs the flown 2,917 ft/s (a six-minute burn): within 4 %
    assert abs(fin.loi_dv.to_value(KMS) / A11_LOI - 1.0) < 0.04
    assert "speed gain" in fin.notes[-1]


def test_finite_burn_given_its_mass_solves_the_flown_duration(apollo11):
    b, _, fin = apollo11
    # the inverse problem: give the mass the duration run implied, the refinement must find
    # the flown 346.83 s again (seed file, Apollo 11 TLI ignition and cut-off times)
    burn = FiniteBurn(thrust=APOLLO11_TLI.thrust, isp=APOLLO11_TLI.isp,
                      initial_mass=fin.burn_initial_mass,
                      injection_delay=APOLLO11_TLI.injection_delay)
    assert abs(burn.mass_flow.to_value(u.kg / u.s) - 1033.1e3 / (421 * 9.80665)) < 1e-6
    again = refine_transfer(b, lunar_periapsis_altitude=113 * u.km,
                            lunar_apoapsis_altitude=315 * u.km, burn=burn)
    assert abs(again.burn_duration.to_value(u.s) - 346.83) < 0.05
    assert abs((again.tli_dv - fin.tli_dv).to_value(u.m / u.s)) < 0.1


@pytest.mark.filterwarnings("ignore::erfa.ErfaWarning")
def test_apollo8_finite_burn_speed_gain():
    b = _budget(A8_TLI_MID, A8_PERILUNE, 32.51, 111, 312)
    kw = dict(lunar_periapsis_altitude=111 * u.km, lunar_apoapsis_altitude=312 * u.km,
              lunar_inclination=168 * u.deg)
    fin = refine_transfer(b, burn=APOLLO8_TLI, **kw)
    # Flown speed gain 3.029 km/s at injection, cut-off + 10 s (Orloff, seed file): within 1 %
    # (measured +0.69 %, 3.050 km/s; it was +1.02 % with the speed taken at cut-off and the
    # J-2's rated 1,033 kN for 318 s)
    assert abs(fin.tli_dv.to_value(KMS) / A8_GAIN - 1.0) < 0.01
    assert abs(fin.lunar_inclination.to_value(u.deg) - 168.0) < 1e-3
    # the flown burn (MPR-SAT-FE-69-1 Tables 7-7, 2-2): 897.5 kN, 428.2 s, 90 % thrust -> ECO
    assert abs(fin.burn_duration.to_value(u.s) - 315.49) < 1e-6
    # the mass the refinement solves against the flown 126,780 kg at 90 % thrust (Table 21-7)
    m0 = float(_flown("Apollo 8", "total vehicle mass at S-IVB second burn 90 % thrust"))
    assert abs(fin.burn_initial_mass.to_value(u.kg) / m0 - 1.0) < 0.01  # measured +0.3 %
    # the departure energy against Orloff's C3 at injection, -15,918,930 ft^2/s^2 (-1.4789
    # km^2/s^2): within 0.02 km^2/s^2 (1 m/s at injection; measured 0.008)
    c3, v, _ = _c3_at_injection(fin)
    c3_flown = float(_flown("Apollo 8", "C3 at translunar injection")) * FT**2
    assert abs(c3 - c3_flown) < 0.02
    # What is left (+21 m/s) is where the injection happens, not how much energy it has: the
    # velocity-aligned thrust climbs less than the S-IVB's guidance did. At Orloff's injection
    # radius (1,137,577 ft above the ellipsoid at 21.346 deg geocentric latitude) the model's
    # energy gives Orloff's 35,505.41 ft/s to 2 m/s (vis-viva), and the model injects ~25 km
    # lower and ~0.7 deg flatter than the flown 7.897 deg.
    r_flown = _ellipsoid_radius(21.346) + float(
        _flown("Apollo 8", "altitude at translunar injection")) * FT
    v_flown = float(_flown("Apollo 8", "speed at translunar injection (space-fixed)")) * FT
    assert abs(math.sqrt(c3 + 2.0 * GM_EARTH / r_flown) - v_flown) < 0.002
    assert abs(fin.injection_flight_path_angle.to_value(u.deg) - 7.897) < 1.0
    assert fin.tli_dv < b.tli_dv  # the conic's impulsive 3.163 km/s runs +4 % (issue 10)


def test_scheduled_thrust_follows_the_rocket_equation():
    # Two phases (a mixture-ratio shift at 100 s): the mass falls at F_k / c_k, the thrust
    # acceleration is F_k / m and the ideal Δv is c1 ln(m0/m1) + c2 ln(m1/m2) (Tsiolkovsky,
    # per phase; Curtis eq. 11.30), computed here by hand.
    burn = FiniteBurn(thrust=800 * u.kN, isp=432 * u.s, duration=300 * u.s,
                      shifts=[(100 * u.s, 900 * u.kN, 428 * u.s)])
    m0 = 130e3  # kg
    th = burn._thrust_model(50.0, 350.0, 800.0 / m0)  # kN / kg = km/s^2
    c1, c2 = 432 * 9.80665e-3, 428 * 9.80665e-3
    m1 = m0 - 800.0 / c1 * 100.0
    m2 = m1 - 900.0 / c2 * 200.0
    assert th.breaks == (150.0,)
    assert th.acceleration(49.0) == 0.0 and th.acceleration(350.0) == 0.0
    assert abs(th.acceleration(50.0 + 60.0) - 800.0 / (m0 - 800.0 / c1 * 60.0)) < 1e-15
    assert abs(th.acceleration(150.0) - 900.0 / m1) < 1e-15
    assert abs(th.acceleration(349.999) - 900.0 / (m2 + 900.0 / c2 * 0.001)) < 1e-12
    assert abs(th.ideal_dv - (c1 * math.log(m0 / m1) + c2 * math.log(m1 / m2))) < 1e-12
    # a "shift" to the same thrust and Isp is the constant burn
    same = FiniteBurn(thrust=800 * u.kN, isp=432 * u.s, duration=300 * u.s,
                      shifts=[(100 * u.s, 800 * u.kN, 432 * u.s)])._thrust_model(0, 300, 0.006)
    const = FiniteBurn(thrust=800 * u.kN, isp=432 * u.s, duration=300 * u.s)._thrust_model(
        0, 300, 0.006)
    for t in (0.0, 99.0, 100.0, 250.0):
        assert abs(same.acceleration(t) - const.acceleration(t)) < 1e-15
    assert abs(same.ideal_dv - const.ideal_dv) < 1e-12


def test_refinement_with_a_thrust_shift(apollo11):
    b, _, fin = apollo11
    kw = dict(lunar_periapsis_altitude=113 * u.km, lunar_apoapsis_altitude=315 * u.km)
    # splitting the burn at a "shift" that changes nothing must not change the answer
    same = FiniteBurn(thrust=APOLLO11_TLI.thrust, isp=APOLLO11_TLI.isp,
                      duration=APOLLO11_TLI.duration, injection_delay=10 * u.s,
                      shifts=[(120 * u.s, APOLLO11_TLI.thrust, APOLLO11_TLI.isp)])
    r = refine_transfer(b, burn=same, **kw)
    assert abs((r.tli_dv - fin.tli_dv).to_value(u.m / u.s)) < 0.05
    assert abs((r.burn_initial_mass - fin.burn_initial_mass).to_value(u.kg)) < 20.0


def test_finite_burn_shift_validation():
    base = dict(thrust=800 * u.kN, isp=432 * u.s, duration=300 * u.s)
    with pytest.raises(ArgumentError, match="increasing time"):
        FiniteBurn(**base, shifts=[(100 * u.s, 900 * u.kN, 428 * u.s),
                                   (100 * u.s, 850 * u.kN, 430 * u.s)])
    with pytest.raises(ArgumentError, match="not before the end of the burn"):
        FiniteBurn(**base, shifts=[(300 * u.s, 900 * u.kN, 428 * u.s)])
    with pytest.raises(ArgumentTypeError, match=r"shifts\[0\] must be a \(time, thrust, isp\)"):
        FiniteBurn(**base, shifts=[(100 * u.s, 900 * u.kN)])
    with pytest.raises(ArgumentTypeError, match="shifts must be a sequence"):
        FiniteBurn(**base, shifts=5)
    with pytest.raises(UnitError):
        FiniteBurn(**base, shifts=[(100 * u.s, 900 * u.kg, 428 * u.s)])
    with pytest.raises(ArgumentError, match="injection_delay"):
        FiniteBurn(**base, injection_delay=-1 * u.s)
    with pytest.raises(TypeError):
        FiniteBurn(800 * u.kN, 432 * u.s, 300 * u.s, None, "", ())  # shifts keyword-only


def test_bad_input_and_unreachable_targets(apollo11):
    b = apollo11[0]
    with pytest.raises(ArgumentTypeError, match="transfer must be a LunarTransfer"):
        refine_transfer("Apollo 11")
    with pytest.raises(ArgumentError, match="departure epoch"):
        refine_transfer(orbits.tli_budget(tof=3 * u.day))
    with pytest.raises(ArgumentError, match="exactly one of duration and initial_mass"):
        FiniteBurn(thrust=1000 * u.kN, isp=421 * u.s)
    # an equatorial lunar orbit cannot be reached by an asymptote ~3 deg off the lunar equator
    with pytest.raises(ConvergenceError, match="lunar_inclination 0 deg cannot be reached"):
        refine_transfer(b, lunar_inclination=0 * u.deg)
    # one Newton iteration is not enough from the conic guess: the error names the residuals
    with pytest.raises(ConvergenceError, match=r"constraint \w+ is off by"):
        refine_transfer(b, lunar_periapsis_altitude=113 * u.km, max_iterations=1)
    # a 19.6 deg parking orbit cannot reach the Moon at -25 deg declination in plane
    low = orbits.tli_budget(parking_inclination=19.6 * u.deg, tof=4.0556 * u.day,
                            departure=Time("2024-03-03", scale="utc"))
    with pytest.raises(ConvergenceError, match="parking_inclination 19.60 deg is below"):
        refine_transfer(low)


@pytest.mark.filterwarnings("ignore::erfa.ErfaWarning")
def test_refine_porkchop_best_cells():
    dep = Time("2024-05-01", scale="utc") + np.arange(0, 2, 0.5) * u.day
    pork = orbits.lunar_porkchop(dep, [3.0, 3.5] * u.day, parking_inclination=51.7 * u.deg)
    ref = refine_porkchop(pork, n_best=2, min_separation=1 * u.day, rtol=1e-9)
    assert len(ref) == 2 and bool(np.all(ref.converged))
    # the Moon's pull on the approach, which the point-Moon conic ignores, lowers TLI (tracker
    # issue 10: the conic runs a few per cent high)
    assert np.all(ref.tli_dv < ref.conic_tli_dv)
    assert np.all(ref.tli_dv > 3.0 * KMS)
    # each cell's perilune falls at its grid arrival (grid departure + grid tof)
    assert bool(np.all(ref.arrival_fixed))
    for i, r in enumerate(ref.refined):
        assert abs((r.arrival - (ref.departure[i] + ref.tof[i])).to_value(u.s)) < 1.0
    assert "cells refined" in repr(ref) and len(ref.to_table()) == 2


@pytest.mark.filterwarnings("ignore::erfa.ErfaWarning")
def test_departure_can_be_held_instead_of_the_arrival():
    # fix_arrival=False (refine_porkchop's fallback): the TLI epoch stays the conic's, the
    # perilune target is still met and the arrival epoch is what the dynamics give
    b = orbits.tli_budget(tof=4.5 * u.day, departure=Time("2024-05-01", scale="utc"))
    r = refine_transfer(b, rtol=1e-9, fix_arrival=False)
    assert abs((r.departure - b.departure).to_value(u.s)) < 1.0
    assert abs(r.perilune_altitude.to_value(u.km) - 100.0) < 0.05
    assert r.residuals.keys() >= {"perilune_altitude", "tli_epoch"}


def test_rotating_frame_figure(apollo11):
    from orbits.plots.lunar_rotating import to_rotating_frame

    fin = apollo11[2]
    # by definition the Moon sits on the +x axis of the rotating frame
    rot = to_rotating_frame(fin.moon_positions, fin.moon_positions, fin.moon_velocities)
    np.testing.assert_allclose(rot[:, 1:], 0.0, atol=1e-6)
    fig = fin.figure()
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 4
