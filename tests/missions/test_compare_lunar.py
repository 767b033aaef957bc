"""Two lunar missions compared (missions.comparisons.lunar_pair) and a lunar mission's transfer
search (missions.comparisons.lunar_transfer), against numbers computed in each test.

Independent formulas: the Hohmann departure burn (Curtis eq. 6.2), the circular speed
sqrt(GM / r) and the plane change 2 v sin(theta / 2) (Vallado 4th ed., eq. 6-23), the
first-order J2 node rate -3/2 n J2 (R / p)^2 cos i (Vallado eq. 9-41). Lunar constants:
GM_Moon 4902.800080 km^3/s^2 (DE421, Folkner et al. 2008), mean radius 1737.4 km, LP150Q
J2 2.0321568e-4 at 1738.0 km (Konopliv et al. 2001).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

from missions import load_catalog
from missions.comparisons.lunar_pair import LunarPairComparison, compare_lunar
from missions.comparisons.lunar_transfer import lunar_transfers
from orbits.errors import ArgumentError, ArgumentTypeError

MU = 398600.4418  # km^3/s^2, EGM96/WGS 84
R_E = 6378.137  # km, WGS 84 equatorial radius
GM_MOON = 4902.800080
R_MOON = 1737.4
J2_MOON, R_J2 = 2.0321568e-4, 1738.0
KMS = u.km / u.s


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def luna_queqiao2(cat):
    return compare_lunar(cat.mission("Luna-25"), cat.mission("Queqiao-2"), cat)


def test_two_lunar_missions_budgets_and_plane_range(cat, luna_queqiao2):
    # Luna-25 and Queqiao-2 both have a lunar orbit in the catalog (90 and 62.4 deg)
    r = luna_queqiao2
    i1 = cat["Luna-25"].orbit("Moon").inclination.to_value(u.deg)
    i2 = cat["Queqiao-2"].orbit("Moon").inclination.to_value(u.deg)
    assert isinstance(r, LunarPairComparison)
    assert r.min_plane_angle.to_value(u.deg) == pytest.approx(abs(i1 - i2), abs=1e-9)
    assert r.max_plane_angle.to_value(u.deg) == pytest.approx(min(i1 + i2, 360 - i1 - i2), abs=1e-9)
    # Luna-25's catalog transfer is 5.0 d, about the Hohmann time to the Moon's distance, so
    # its TLI is close to the Hohmann departure burn from 200 km (Curtis eq. 6.2): 3.13 km/s.
    r0, r1 = R_E + 200.0, 384400.0
    hohmann = math.sqrt(MU / r0) * (math.sqrt(2 * r1 / (r0 + r1)) - 1)
    assert r.tli_dv_a.to_value(KMS) == pytest.approx(hohmann, abs=0.03)
    assert r.total_dv_a == r.tli_dv_a + r.loi_dv_a


def test_plane_change_and_node_drift_from_the_formulas(cat, luna_queqiao2):
    r = luna_queqiao2
    o1, o2 = cat["Luna-25"].orbit("Moon"), cat["Queqiao-2"].orbit("Moon")
    # lower orbit: Luna-25's 100 km circle; speed sqrt(GM / r), plane change 2 v sin(theta / 2)
    v = math.sqrt(GM_MOON / (R_MOON + 100.0))
    assert r.lower_orbit == "Luna-25"
    assert r.lower_orbit_speed.to_value(KMS) == pytest.approx(v, rel=1e-12)
    th = math.radians(abs(90.0 - 62.4))
    assert r.plane_change_dv.to_value(KMS) == pytest.approx(2 * v * math.sin(th / 2), rel=1e-12)

    def node_rate(o):  # Vallado eq. 9-41, rad/s
        rp = R_MOON + o.periapsis.to_value(u.km)
        ra = R_MOON + o.apoapsis.to_value(u.km)
        a, e = (rp + ra) / 2, (ra - rp) / (ra + rp)
        n = math.sqrt(GM_MOON / a**3)
        return -1.5 * n * J2_MOON * (R_J2 / (a * (1 - e * e))) ** 2 * math.cos(o.inclination.to_value(u.rad))

    ref = math.degrees(node_rate(o1) - node_rate(o2)) * 86400
    assert r.relative_node_drift.to_value(u.deg / u.day) == pytest.approx(ref, rel=1e-9)
    assert r.node_cycle.to_value(u.day) == pytest.approx(360 / abs(ref), rel=1e-9)
    assert r.same_orbit_possible is False


def test_lunar_mission_without_lunar_orbit_has_no_plane_angle(cat):
    r = compare_lunar("Chang'e-5", "Luna-25", cat)
    assert r.min_plane_angle is None and r.plane_change_dv is None
    assert any("no lunar orbit" in n for n in r.notes)
    assert r.tli_dv_a.unit == KMS
    assert "no plane angle" in repr(r)


def test_self_comparison_is_trivial(cat):
    # the same mission: one orbit, so 0 deg, no plane change, no drift (not "no cycle" errors)
    r = compare_lunar("Luna-25", "luna 25", cat)
    assert r.min_plane_angle == 0 * u.deg and r.max_plane_angle == 0 * u.deg
    assert r.plane_change_dv == 0 * KMS and r.plane_change_dv_max == 0 * KMS
    assert r.relative_node_drift == 0 * u.deg / u.day and r.node_cycle is None
    assert r.same_orbit_possible is True and r.total_dv_a == r.total_dv_b
    assert "0.00°" in repr(r)


def test_one_result_shape(luna_queqiao2):
    r = luna_queqiao2
    text = repr(r)
    # catalog lunar orbits (missions/data/30_lunar.toml): Luna-25 90°, Queqiao-2 62.4°, so
    # |90 - 62.4| = 27.6° and 90 + 62.4 = 152.4°
    assert text.startswith("<LunarPairComparison Luna-25 vs Queqiao-2: 27.60°–152.40°") and "\n" not in text
    d = r.to_dict()
    json.dumps(d)
    assert d["min_plane_angle"] == {"value": pytest.approx(27.6), "unit": "deg"}
    assert len(r.to_table()) == 1 and "smallest plane angle" in r.to_table().colnames
    assert max(len(line) for line in r.to_text().splitlines()) <= 100
    assert "<table>" in r._repr_html_()


@pytest.mark.parametrize(
    "a, b, exc, words",
    [
        ("Luna-25", "ISS", ArgumentError, ["targets", "compare_lunar takes"]),
        ("Luna-25", "Lnua-25", KeyError, ["luna-25"]),  # the catalog's NotFoundError is a KeyError
        ("Luna-25", 7, ArgumentTypeError, ["compare_lunar takes"]),
    ],
)
def test_bad_pairs(cat, a, b, exc, words):
    with pytest.raises(exc) as err:
        compare_lunar(a, b, cat)
    msg = str(err.value).casefold()
    for w in words:
        assert w.casefold() in msg


# --- lunar_transfers -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def luna25_search(cat):
    return lunar_transfers("Luna-25", catalog=cat)


def test_luna25_search_around_its_launch(cat, luna25_search):
    p = luna25_search
    launch = cat.mission("Luna-25").launch_date.time  # 2023-08-10 23:10:57 UTC (catalog)
    # a week before the launch day, 28 days in 6-hour steps, 3-7 day flights
    assert abs((p.first_departure - Time("2023-08-03", scale="utc")).to_value(u.s)) < 1e-3
    assert p.n_departures == 112 and p.total_dv.shape == (112, 33)
    assert p.name == "Luna-25" and p.parking_inclination == 51.7 * u.deg  # Vostochny, issue 4
    assert p.first_departure < launch < p.last_departure
    # Apollo-class total: Apollo 11 flew a 3.04 km/s TLI speed gain and a 0.889 km/s LOI into
    # a ~100 km orbit (Apollo 11 Mission Report, NASA MSC-00171, 1969): 3.93 km/s
    assert 3.9 * KMS < p.best_total_dv < 4.05 * KMS
    w = p.best(3, min_separation=2 * u.day)
    assert len(w) == 3 and w.total_dv[0] == p.best_total_dv
    assert any(i.kind == "catalog" and i.name == "Luna-25" for i in p.inputs)


def test_undated_mission_asks_for_start(cat):
    # Luna-26 has no launch date, only announced plans (latest: 2028, catalog)
    with pytest.raises(ArgumentError, match=r"Luna-26 .*latest plan is 2028.*start="):
        lunar_transfers("Luna-26", catalog=cat)
    p = lunar_transfers("Luna-26", start="2028-01-01", days=3, catalog=cat)
    assert abs((p.first_departure - Time("2028-01-01", scale="utc")).to_value(u.s)) < 1e-3
    assert p.n_departures == 12


@pytest.mark.parametrize("days", [0.1, 0, -3, 1000, float("nan")])
def test_degenerate_spans_name_days(cat, days):
    with pytest.raises(ArgumentError, match="days must be between"):
        lunar_transfers("Luna-25", days=days, catalog=cat)


def test_bad_transfer_requests(cat):
    with pytest.raises(ArgumentTypeError, match="days must be a number"):
        lunar_transfers("Luna-25", days="week", catalog=cat)
    with pytest.raises(ArgumentError, match="target is the Moon"):
        lunar_transfers("Queqiao", catalog=cat)  # an Earth-Moon L2 relay
    with pytest.raises(ArgumentError, match="start could not be parsed"):
        lunar_transfers("Luna-25", start="last tuesday", catalog=cat)
    ok = lunar_transfers("Luna-25", days=2 * u.day, catalog=cat)
    assert ok.n_departures == 8 and np.all(ok.ok)
