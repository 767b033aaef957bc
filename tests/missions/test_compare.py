"""missions.compare against numbers computed independently in each test.

Station elements: the raw TLE file seeds/authorities/stations-2024-05-09.tle, read here column
by column (not through orbits.tle). Geometry: the spherical law of cosines for the plane angle,
the impulsive plane change dv = 2 v sin(theta/2) with v = sqrt(mu/a) (Vallado 4th ed., eq. 6-23;
Curtis eq. 6.25), the first-order J2 node rate dOmega/dt = -3/2 n J2 (R/p)^2 cos i (Vallado eq.
9-41), the WGS 84 geocentric latitude tan(phi_c) = (1 - e^2) tan(phi) and the Hohmann
departure burn (Curtis eq. 6.2).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from astropy import units as u

from missions import load_catalog
from missions.compare import (
    compare,
    comparison_json,
    comparison_table,
    resolve,
    station_launch_windows,
)

REPO = Path(__file__).resolve().parents[2]
TLE = REPO / "seeds" / "authorities" / "stations-2024-05-09.tle"
MU = 398600.4418  # km^3/s^2, EGM96/WGS 84 value named in the brief
R_E = 6378.137  # km, WGS 84 equatorial radius
J2 = 1.0826267e-3  # EGM 96 / WGS 84
E2 = 0.00669437999014  # WGS 84 first eccentricity squared


def _tle_line2(name):
    lines = TLE.read_text().splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.strip() == name)
    line2 = lines[k + 2]
    inc = float(line2[8:16])
    ecc = float("0." + line2[26:33])
    n_rev_day = float(line2[52:63])
    return inc, ecc, n_rev_day


def _a_from_mean_motion(n_rev_day):
    """Kozai semi-major axis straight from the mean motion: a = (mu / n^2)^(1/3)."""
    n = n_rev_day * 2 * math.pi / 86400.0
    return (MU / n**2) ** (1 / 3)


def _a_brouwer(name):
    """SGP4's (Brouwer) mean semi-major axis from the TLE's Kozai mean motion, by the SGP4
    initialisation of Hoots & Roehrich 1980 (Spacetrack Report No. 3) with its WGS 72
    constants -- the a that SGP4 itself (and so the toolkit) uses."""
    inc, ecc, n_rev = _tle_line2(name)
    ke = 60.0 / math.sqrt(6378.135**3 / 398600.8)  # (earth radii)^1.5 / min
    k2 = 0.5 * 0.001082616
    n = n_rev * 2 * math.pi / 1440.0  # rad/min
    c = 1.5 * k2 * (3 * math.cos(math.radians(inc)) ** 2 - 1) / (1 - ecc**2) ** 1.5
    a1 = (ke / n) ** (2 / 3)
    d1 = c / a1**2
    a0 = a1 * (1 - d1 / 3 - d1**2 - 134 / 81 * d1**3)
    n0 = n / (1 + c / a0**2)
    return (ke / n0) ** (2 / 3) * 6378.135


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


@pytest.fixture(scope="module")
def iss_css(cat):
    return compare("ISS", "Chinese space station", cat)


def test_iss_css_plane_angle_range_from_the_tle_inclinations(iss_css):
    i_iss, _, _ = _tle_line2("ISS (ZARYA)")
    i_css, _, _ = _tle_line2("CSS (TIANHE)")
    assert (i_iss, i_css) == (51.6381, 41.4681)
    assert iss_css["kind"] == "two Earth orbits"
    assert iss_css["min_plane_angle"].to_value(u.deg) == pytest.approx(abs(i_iss - i_css), abs=1e-9)
    assert iss_css["min_plane_angle"].to_value(u.deg) == pytest.approx(10.17, abs=1e-9)
    # nodes opposed: cos(theta) = cos i1 cos i2 - sin i1 sin i2 = cos(i1 + i2)
    assert iss_css["max_plane_angle"].to_value(u.deg) == pytest.approx(i_iss + i_css, abs=1e-9)
    assert iss_css["max_plane_angle"].to_value(u.deg) == pytest.approx(93.106, abs=1e-3)  # brief, rounded


def test_plane_change_dv_at_the_iss_altitude(iss_css):
    """2 v sin(theta/2), v = sqrt(mu/a) at the ISS's mean semi-major axis."""
    i_iss, _, n_iss = _tle_line2("ISS (ZARYA)")
    i_css, _, _ = _tle_line2("CSS (TIANHE)")
    v = math.sqrt(MU / _a_brouwer("ISS (ZARYA)"))
    dv = 2 * v * math.sin(math.radians(abs(i_iss - i_css)) / 2)
    assert iss_css["plane_change_dv_at_a"].to_value(u.km / u.s) == pytest.approx(dv, rel=1e-9)
    # the Kozai a straight from the mean motion differs by a J2 term (~1e-3 relative)
    v_kozai = math.sqrt(MU / _a_from_mean_motion(n_iss))
    assert iss_css["plane_change_dv_at_a"].to_value(u.km / u.s) == pytest.approx(
        2 * v_kozai * math.sin(math.radians(abs(i_iss - i_css)) / 2), rel=1e-3)
    assert 1.35 < dv < 1.37


def test_headline_dv_is_at_the_lower_orbit(iss_css):
    """The lower (faster) orbit gives the conservative figure; on 2024-05-09 that is the CSS
    (higher mean motion in the TLE)."""
    _, _, n_iss = _tle_line2("ISS (ZARYA)")
    i_iss, _, _ = _tle_line2("ISS (ZARYA)")
    i_css, _, n_css = _tle_line2("CSS (TIANHE)")
    assert n_css > n_iss
    assert iss_css["lower_orbit"] == iss_css["b"]
    v = math.sqrt(MU / _a_brouwer("CSS (TIANHE)"))
    lo, hi = math.radians(abs(i_iss - i_css)), math.radians(i_iss + i_css)
    assert iss_css["plane_change_dv"].to_value(u.km / u.s) == pytest.approx(2 * v * math.sin(lo / 2), rel=1e-9)
    assert iss_css["plane_change_dv_max"].to_value(u.km / u.s) == pytest.approx(2 * v * math.sin(hi / 2), rel=1e-9)
    assert iss_css["plane_change_dv"] >= iss_css["plane_change_dv_at_a"]


def test_node_cycle_from_sgp4s_own_secular_node_rates(iss_css):
    """Both stations come from TLEs, so their nodes drift at SGP4's secular rates: python-sgp4
    (independent library) reports them as Satrec.nodedot (rad/min) for each TLE. We evaluate
    the same model with WGS 84/EGM96 constants where SGP4 uses WGS 72 (J2 1.0826267e-3 vs
    1.082616e-3, mu 398600.4418 vs 398600.8 km^3/s^2), which moves the relative rate by ~1e-4;
    first-order J2 alone would be 1 % off (316.9 instead of 313.7 days)."""
    from sgp4.api import WGS72, Satrec

    lines = (REPO / "seeds" / "authorities" / "stations-2024-05-09.tle").read_text().splitlines()
    sat = {lines[k].strip(): Satrec.twoline2rv(lines[k + 1], lines[k + 2], WGS72)
           for k in range(0, len(lines) - 2, 3)}
    rel = math.degrees(sat["ISS (ZARYA)"].nodedot - sat["CSS (TIANHE)"].nodedot) * 1440.0  # deg/day
    assert iss_css["relative_node_drift"].to_value(u.deg / u.day) == pytest.approx(rel, rel=5e-4)
    assert iss_css["node_cycle"].to_value(u.day) == pytest.approx(360.0 / abs(rel), rel=5e-4)
    # the plane angle at the epoch lies inside the range
    assert iss_css["min_plane_angle"] <= iss_css["plane_angle_at_epoch"] <= iss_css["max_plane_angle"]


def test_order_of_arguments_swaps_a_and_b(cat, iss_css):
    r = compare("CSS", "ISS", cat)
    assert r["a"] == iss_css["b"] and r["b"] == iss_css["a"]
    assert r["min_plane_angle"] == iss_css["min_plane_angle"]
    assert r["plane_change_dv"] == iss_css["plane_change_dv"]


def test_tle_names_work_without_the_catalog(cat):
    r = compare("ISS (ZARYA)", "CSS (TIANHE)", cat)
    assert r["min_plane_angle"].to_value(u.deg) == pytest.approx(10.17, abs=1e-9)


def _geocentric(lat_deg):
    return math.degrees(math.atan((1 - E2) * math.tan(math.radians(lat_deg))))


def test_baikonur_to_css_needs_a_dogleg(cat):
    baikonur = cat.site("Baikonur")
    lat = baikonur.latitude.to_value(u.deg)  # 45.965 deg (catalog, Wikipedia)
    i_css, _, _ = _tle_line2("CSS (TIANHE)")
    r = compare("Baikonur", "Chinese space station", cat)
    assert r["kind"] == "launch site and Earth orbit" and r["direct_ascent"] is False
    i_min = _geocentric(lat)
    assert r["site_min_inclination"].to_value(u.deg) == pytest.approx(i_min, abs=1e-6)
    assert r["plane_change"].to_value(u.deg) == pytest.approx(i_min - i_css, abs=1e-6)
    v200 = math.sqrt(MU / (R_E + 200.0))
    dv = 2 * v200 * math.sin(math.radians(i_min - i_css) / 2)
    assert r["dogleg_dv"].to_value(u.km / u.s) == pytest.approx(dv, rel=1e-6)
    # same answer with the station named first
    r2 = compare("CSS", "Baikonur", cat)
    assert r2["dogleg_dv"] == r["dogleg_dv"]


def test_jiuquan_reaches_the_css_directly(cat):
    r = compare("Jiuquan", "CSS", cat)
    lat = cat.site("Jiuquan").latitude.to_value(u.deg)
    assert _geocentric(lat) < 41.4681
    assert r["direct_ascent"] is True and r["dogleg_dv"].to_value(u.km / u.s) == 0.0


def test_two_lunar_missions_budgets_and_plane_range(cat):
    # Luna-25 and Queqiao-2 both have a lunar orbit in the catalog (90 and 62.4 deg)
    r = compare("Luna-25", "Queqiao-2", cat)
    i1 = cat["Luna-25"].orbit("Moon").inclination.to_value(u.deg)
    i2 = cat["Queqiao-2"].orbit("Moon").inclination.to_value(u.deg)
    assert r["kind"] == "two lunar missions"
    assert r["min_plane_angle"].to_value(u.deg) == pytest.approx(abs(i1 - i2), abs=1e-9)
    assert r["max_plane_angle"].to_value(u.deg) == pytest.approx(min(i1 + i2, 360 - i1 - i2), abs=1e-9)
    # Luna-25's catalog transfer is 5.0 d, about the Hohmann time to the Moon's distance, so
    # its TLI is close to the Hohmann departure burn from 200 km (Curtis eq. 6.2): 3.13 km/s.
    r0, r1 = R_E + 200.0, 384400.0
    hohmann = math.sqrt(MU / r0) * (math.sqrt(2 * r1 / (r0 + r1)) - 1)
    assert r["a_tli_dv"].to_value(u.km / u.s) == pytest.approx(hohmann, abs=0.03)
    assert r["a_total_dv"] == r["a_tli_dv"] + r["a_loi_dv"]


def test_lunar_mission_without_lunar_orbit_has_no_plane_angle(cat):
    r = compare("Chang'e-5", "Luna-25", cat)
    assert "min_plane_angle" not in r
    assert any("no lunar orbit" in n for n in r["notes"])
    assert r["a_tli_dv"].unit == u.km / u.s


@pytest.mark.parametrize(
    "a, b, exc, words",
    [
        ("ISS", "Long March 5", ValueError, ["launch vehicle", "compare takes"]),
        ("Baikonur", "Luna-25", ValueError, ["cannot compare", "site", "lunar"]),
        ("ISS", "Lnua-25", KeyError, ["did you mean", "luna-25"]),
    ],
)
def test_bad_pairs_name_what_is_allowed(cat, a, b, exc, words):
    with pytest.raises(exc) as err:
        compare(a, b, cat)
    msg = err.value.args[0].casefold()
    for w in words:
        assert w.casefold() in msg


def test_resolve_rejects_non_strings(cat):
    with pytest.raises(TypeError, match="name must be a string"):
        resolve(42, cat)


def test_table_and_json_forms(iss_css):
    t = comparison_table(iss_css)
    assert t.colnames == ["item", "value", "unit"]
    row = {r["item"]: r for r in t}
    assert row["min_plane_angle"]["value"] == "10.17" and row["min_plane_angle"]["unit"] == "deg"
    js = comparison_json(iss_css)
    assert js["max_plane_angle"] == {"value": pytest.approx(93.1062), "unit": "deg"}
    assert js["next_alignment"].startswith("2024-")


def test_launch_windows_jiuquan_css(cat):
    """Two in-plane passes a day, and the ascending azimuth obeys sin(az) = cos(i)/cos(lat_c)."""
    t = station_launch_windows("Jiuquan", "CSS", days=2, catalog=cat)
    assert len(t) == 4
    assert sorted(t["pass"]) == ["ascending", "ascending", "descending", "descending"]
    lat_c = math.radians(_geocentric(cat.site("Jiuquan").latitude.to_value(u.deg)))
    az = math.degrees(math.asin(math.cos(math.radians(41.4681)) / math.cos(lat_c)))
    asc = t[t["pass"] == "ascending"]
    assert asc["azimuth"][0].to_value(u.deg) == pytest.approx(az, abs=2e-3)


def test_launch_windows_unreachable_plane_says_so(cat):
    with pytest.raises(ValueError, match="cannot launch directly"):
        station_launch_windows("Baikonur", "CSS", catalog=cat)
    with pytest.raises(ValueError, match="days must be"):
        station_launch_windows("Jiuquan", "CSS", days=0, catalog=cat)
    with pytest.raises(ValueError, match="site must be a launch site"):
        station_launch_windows("ISS", "CSS", catalog=cat)
