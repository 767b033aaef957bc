"""J2 precession (orbits.core.j2, orbits.precession).

Sources of expected values:
- Curtis, "Orbital Mechanics for Engineering Students", Example 4.9: 280 km x 400 km orbit,
  i = 51.43 deg (R = 6378 km, mu = 398600, J2 = 0.00108263): node -5.181 deg/day, perigee
  +3.920 deg/day. Example 4.10: sun-synchronous circular orbit of period 100 min:
  i = 98.43 deg (node rate 360 deg / 365.26 days).
- Vallado 4th ed., Example 11-2 (companion code ex11_2.m): sun-synchronous orbit with
  e = 0.02, i = 98.627 deg has a = 7179.82095 km (J2 = 0.00108263).
- boinor: Cowell propagation with boinor.core.perturbations.J2_perturbation over 10 days;
  the secular node rate is the slope of a line fitted to the osculating node.
- seeds/authorities/stations-2024-05-09.tle: TLEs of the same station at different epochs.
"""

from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time
from numpy.testing import assert_allclose

from orbits import precession as P
from orbits.core.constants import GM_EARTH, J2_EARTH, R_EARTH
from orbits.core.j2 import j2_secular_rates, sun_synchronous_inclination
from orbits.tle import load_tles

REPO_ROOT = Path(__file__).resolve().parents[2]

DEG_DAY = u.deg / u.day


def test_curtis_example_4_9_node_regression_and_perigee_advance():
    rp, ra = 6378.0 + 280.0, 6378.0 + 400.0
    a, e = (rp + ra) / 2, (ra - rp) / (ra + rp)
    raan_dot, argp_dot, _ = j2_secular_rates(a, e, np.radians(51.43), k=398600.0, R=6378.0,
                                             J2=1.08263e-3)
    assert_allclose(np.degrees(raan_dot) * 86400, -5.181, atol=5e-4)
    assert_allclose(np.degrees(argp_dot) * 86400, 3.920, atol=5e-4)


def test_curtis_example_4_10_sun_synchronous():
    a = (398600.0 * (6000.0 / (2 * np.pi)) ** 2) ** (1 / 3)  # period 100 min
    i = sun_synchronous_inclination(a, 0.0, 2 * np.pi / (365.26 * 86400), k=398600.0, R=6378.0,
                                    J2=1.08263e-3)
    assert_allclose(np.degrees(i), 98.43, atol=5e-3)


def test_vallado_example_11_2_sun_synchronous():
    # Vallado's rate in ex11_2.m: (360/365.2421897) deg per 86164.0989 s
    rate = np.radians(360.0 / 365.2421897) / 86164.0989036973
    i = sun_synchronous_inclination(7179.82095, 0.02, rate, k=398600.4418, R=6378.137,
                                    J2=0.00108263)
    assert_allclose(np.degrees(i), 98.627, atol=1e-3)


def test_rates_broadcast_and_match_scalar():
    a = np.array([6778.0, 7178.0, 42164.0])[:, None]
    i = np.array([0.0, np.radians(51.6), np.arcsin(np.sqrt(0.8)), np.radians(97.0), np.pi])[None, :]
    out = j2_secular_rates(a, 0.001, i)
    assert all(o.shape == (3, 5) for o in out)
    one = j2_secular_rates(7178.0, 0.001, np.radians(97.0))
    assert_allclose([o[1, 3] for o in out], [float(x) for x in one], rtol=1e-14)
    # the critical inclination: no apsidal drift (4 - 5 sin^2 i = 0)
    assert_allclose(out[1][:, 2], 0.0, atol=1e-13)
    # a polar orbit keeps its node
    assert_allclose(j2_secular_rates(7000.0, 0.0, np.pi / 2)[0], 0.0, atol=1e-20)


@pytest.mark.slow
def test_node_rate_against_boinor_cowell_j2_ten_days():
    from boinor.core.elements import coe2rv
    from boinor.core.perturbations import J2_perturbation
    from boinor.core.propagation import cowell, func_twobody

    def f(t0, u_, k):
        du = func_twobody(t0, u_, k)
        acc = J2_perturbation(t0, u_, k, J2=J2_EARTH, R=R_EARTH)
        return du + np.array([0.0, 0.0, 0.0, acc[0], acc[1], acc[2]])

    for a, e, inc in ((6790.0, 0.0005, 51.64), (6760.0, 0.0004, 41.47)):
        i = np.radians(inc)
        r, v = coe2rv(GM_EARTH, a * (1 - e * e), e, i, np.radians(147.9), 0.3, 0.0)
        tofs = np.linspace(0.0, 10 * 86400.0, 1441)
        rr, vv = cowell(GM_EARTH, r, v, tofs, rtol=1e-10, f=f)
        h = np.cross(rr, vv)
        node = np.unwrap(np.arctan2(h[:, 0], -h[:, 1]))
        slope = np.polyfit(tofs, node, 1)[0]
        ours = P.nodal_precession_rate(a * u.km, e * u.one, inc * u.deg).to_value(u.rad / u.s)
        assert abs(ours / slope - 1) < 0.01, (ours, slope)


def test_tle_node_carried_between_epochs():
    # seeds/authorities/stations-2024-05-09.tle: the same station published at two epochs.
    # ISS (NAUKA) at 24129.828 carried to ISS (ZARYA) at 24130.367; Chinese-station modules
    # and visiting vehicles carried to CSS (TIANHE) at 24130.006.
    tles = load_tles()
    pairs = [("ISS (NAUKA)", "ISS (ZARYA)"), ("PROGRESS-MS 26", "ISS (ZARYA)"),
             ("CSS (WENTIAN)", "CSS (TIANHE)"), ("TIANZHOU-7", "CSS (TIANHE)"),
             ("SHENZHOU-18 (SZ-18)", "CSS (TIANHE)")]
    for src, dst in pairs:
        s, d = tles[src], tles[dst]
        rate = P.nodal_precession_rate(s.a, s.ecc, s.inc)
        carried = s.raan + rate * (d.epoch - s.epoch)
        diff = (carried - d.raan).to_value(u.deg)
        assert abs(diff) < 0.01, (src, dst, diff)
    # without precession the two TLEs disagree by degrees: the test is not vacuous
    assert abs((tles["ISS (NAUKA)"].raan - tles["ISS (ZARYA)"].raan).to_value(u.deg)) > 2.5


def test_moon_j2_rate_uses_lunar_constants():
    # Moon: first-order J2 rate with LP150Q J2 = 2.0321568e-4 at R = 1738 km (constants file);
    # a 100 km circular polar-ish orbit (i = 80 deg) against the formula with those numbers
    a = 1737.4 + 100.0
    n = np.sqrt(4902.800080 / a**3)
    expected = -1.5 * n * 2.0321568e-4 * (1738.0 / a) ** 2 * np.cos(np.radians(80.0))
    got = P.nodal_precession_rate(altitude=100 * u.km, inc=80 * u.deg, attractor="Moon")
    assert_allclose(got.to_value(u.rad / u.s), expected, rtol=1e-12)
    from orbits.bodies import Moon
    from orbits.errors import ArgumentError

    same = P.nodal_precession_rate(altitude=100 * u.km, inc=80 * u.deg, attractor=Moon)
    assert same == got
    with pytest.raises(ArgumentError, match="attractor must be one of 'Earth', 'Moon'"):
        P.nodal_precession_rate(altitude=100 * u.km, inc=80 * u.deg, attractor="mars")


def test_alignments_and_history_iss_css():
    tles = load_tles()
    iss, css = tles["ISS (ZARYA)"], tles["CSS (TIANHE)"]
    al = P.plane_alignments(iss, css, count=2)
    drift = P.relative_node_drift(iss, css)
    assert_allclose(al.synodic_period.to_value(u.day), 360.0 / abs(drift.to_value(DEG_DAY)),
                    rtol=1e-12)
    assert_allclose(al.min_angle.to_value(u.deg), 51.6381 - 41.4681, rtol=1e-9)  # TLE lines
    assert_allclose(al.max_angle.to_value(u.deg), 51.6381 + 41.4681, rtol=1e-9)
    # at the alignment / opposition instants the history gives delta_raan = 0 / 180 and the
    # extreme plane angles
    times = Time(np.concatenate([al.aligned.jd, al.opposed.jd]), format="jd")
    h = P.plane_angle_history(iss, css, times)
    assert_allclose(np.abs(h["delta_raan"][:2].to_value(u.deg)), 0.0, atol=1e-6)
    assert_allclose(np.abs(h["delta_raan"][2:].to_value(u.deg)), 180.0, atol=1e-6)
    assert_allclose(h["plane_angle"][:2].to_value(u.deg), 10.17, atol=1e-6)
    assert_allclose(h["plane_angle"][2:].to_value(u.deg), 93.1062, atol=1e-6)
    # the events are one synodic period apart and in the future of the later epoch
    assert_allclose((al.aligned[1] - al.aligned[0]).to_value(u.day),
                    al.synodic_period.to_value(u.day), rtol=1e-9)
    assert al.aligned[0] >= iss.epoch and al.opposed[0] >= iss.epoch
    # over a year the angle stays within [|i1-i2|, i1+i2]
    year = iss.epoch + np.linspace(0, 365, 366) * u.day
    ang = P.plane_angle_history(iss, css, year)["plane_angle"].to_value(u.deg)
    assert ang.min() >= 10.17 - 1e-9 and ang.max() <= 93.1062 + 1e-9


def test_orbit_duck_typing_accepts_boinor_orbit():
    from boinor.bodies import Earth
    from boinor.twobody import Orbit

    o = Orbit.from_classical(Earth, 6790 * u.km, 0.0005 * u.one, 51.64 * u.deg, 10 * u.deg,
                             0 * u.deg, 0 * u.deg)
    d = {"a": 6790 * u.km, "ecc": 0.0005 * u.one, "inc": 41.47 * u.deg}
    got = P.relative_node_drift(o, d)
    ref = (P.nodal_precession_rate(6790 * u.km, 0.0005 * u.one, 51.64 * u.deg)
           - P.nodal_precession_rate(6790 * u.km, 0.0005 * u.one, 41.47 * u.deg))
    assert_allclose(got.to_value(DEG_DAY), ref.to_value(DEG_DAY), rtol=1e-12)


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: P.nodal_precession_rate(inc=51 * u.deg), ValueError, ["altitude"]),
        (lambda: P.nodal_precession_rate(6000 * u.km, inc=51 * u.deg), ValueError,
         ["a", "6378"]),
        (lambda: P.nodal_precession_rate(7000 * u.km, 1.2 * u.one, 51 * u.deg), ValueError,
         ["ecc"]),
        (lambda: P.nodal_precession_rate(7000 * u.km, 0.5 * u.one, 51 * u.deg), ValueError,
         ["periapsis"]),
        (lambda: P.nodal_precession_rate(7000, inc=51 * u.deg), TypeError, ["a", "Quantity"]),
        (lambda: P.nodal_precession_rate(7000 * u.km), TypeError, ["inc"]),
        (lambda: P.relative_node_drift(object(), {}), TypeError, ["orbit1", "'a'"]),
        (lambda: P.plane_alignments({"a": 7000 * u.km, "ecc": 0 * u.one, "inc": 50 * u.deg,
                                     "raan": 0 * u.deg, "epoch": "2024-01-01"},
                                    {"a": 7000 * u.km, "ecc": 0 * u.one, "inc": 50 * u.deg,
                                     "raan": 5 * u.deg, "epoch": "2024-01-01"}),
         ValueError, ["same rate"]),
    ],
)
def test_bad_input_names_argument(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value)


# --- second order: J2^2 and J4, the SGP4 secular model -------------------------------------------


def _satrecs():
    from sgp4.api import WGS72, Satrec

    lines = (REPO_ROOT / "seeds" / "authorities" / "stations-2024-05-09.tle").read_text().splitlines()
    return {lines[k].strip(): Satrec.twoline2rv(lines[k + 1], lines[k + 2], WGS72)
            for k in range(0, len(lines) - 2, 3)}


def test_second_order_rates_equal_sgp4s_secular_rates():
    """Independent library: python-sgp4 exposes the secular rates it initialises from each TLE
    (Satrec.nodedot, argpdot, mdot, rad/min). Fed SGP4's own constants (WGS 72) and Brouwer
    mean semi-major axis, our second-order rates must equal them to round-off."""
    from orbits.core.j2 import j2_j4_secular_rates

    for name, s in _satrecs().items():
        rates = j2_j4_secular_rates(
            s.a * s.radiusearthkm, s.ecco, s.inclo, k=s.mu, R=s.radiusearthkm, J2=s.j2, J4=s.j4
        )
        for ours, theirs in zip(rates, (s.nodedot, s.argpdot, s.mdot)):
            assert float(ours) * 60.0 == pytest.approx(theirs, rel=1e-12), name


def test_second_order_alignment_date_matches_drag_free_sgp4():
    """The ISS/CSS node alignment of autumn 2024: SGP4 with drag switched off (bstar = 0),
    propagated in the test, puts the smallest plane angle where the osculating nodes cross;
    the second-order model must land within half a day of it (first order is ~1.6 days late)."""
    from astropy.time import Time
    from sgp4.api import WGS72, Satrec

    import orbits
    from orbits.tle import load_tles

    tles = load_tles()
    iss, css = tles["ISS (ZARYA)"], tles["CSS (TIANHE)"]
    normals = []
    for name in ("ISS (ZARYA)", "CSS (TIANHE)"):
        s0 = _satrecs()[name]
        s = Satrec()
        s.sgp4init(WGS72, "i", s0.satnum, s0.jdsatepoch + s0.jdsatepochF - 2433281.5, 0.0, 0.0, 0.0,
                   s0.ecco, s0.argpo, s0.inclo, s0.mo, s0.no_kozai, s0.nodeo)
        t = Time("2024-09-25") + np.arange(0, 25 * 24) * u.hour
        err, r, v = s.sgp4_array(t.jd1, t.jd2)
        assert not err.any()
        h = np.cross(r, v)
        normals.append(h / np.linalg.norm(h, axis=1)[:, None])
    angle = np.degrees(np.arccos(np.clip(np.sum(normals[0] * normals[1], axis=1), -1, 1)))
    # nodes cross where the angle is smallest; average the short-period ripple over a day
    daily = np.convolve(angle, np.ones(24) / 24, mode="same")
    t_min = (Time("2024-09-25") + np.argmin(daily[12:-12]) * u.hour + 12 * u.hour)
    second = orbits.plane_alignments(iss, css, second_order=True).aligned[0]
    first = orbits.plane_alignments(iss, css).aligned[0]
    assert abs((second - t_min).to_value(u.day)) < 0.5
    assert abs((first - t_min).to_value(u.day)) > abs((second - t_min).to_value(u.day))


def test_second_order_is_earth_only():
    import orbits

    with pytest.raises(ValueError, match="second_order=True is available for attractor Earth only"):
        orbits.nodal_precession_rate(altitude=100 * u.km, inc=90 * u.deg, attractor="Moon",
                                     second_order=True)


def test_history_and_alignments_are_results_and_bad_shapes_are_named():
    from orbits.errors import ArgumentError

    tles = load_tles()
    iss, css = tles["ISS (ZARYA)"], tles["CSS (TIANHE)"]
    h = P.plane_angle_history(iss, css, iss.epoch + np.arange(5) * u.day)
    assert isinstance(h, P.PlaneAngleHistory) and len(h) == 5
    assert list(h.to_table().colnames) == ["time", "node of orbit 1", "node of orbit 2",
                                           "node difference", "plane angle"]
    # first row: the ISS node at its own epoch is the TLE line's 147.8590 deg
    assert_allclose(h["raan1"][0].to_value(u.deg), 147.8590, atol=1e-9)
    assert repr(h).startswith("<PlaneAngleHistory 5 times from ")
    al = P.plane_alignments(iss, css, count=1)
    assert isinstance(al, P.PlaneAlignments) and "next alignment 2024-10-" in repr(al)
    with pytest.raises(ArgumentError, match="times must hold at least one time"):
        P.plane_angle_history(iss, css, Time([], format="jd"))
    with pytest.raises(ArgumentError, match=r"orbit1.inc must be a scalar .* shape \(2,\)"):
        P.relative_node_drift({"a": 7000 * u.km, "ecc": 0 * u.one, "inc": [50, 51] * u.deg}, css)
    with pytest.raises(ArgumentError, match=r"count must be an integer in \[1, 10000\]"):
        P.plane_alignments(iss, css, count=0)
    with pytest.raises(ArgumentError, match=r"a \(2,\), ecc \(\), inc \(3,\)"):
        P.nodal_precession_rate([7000, 7100] * u.km, 0 * u.one, [50, 51, 52] * u.deg)
