"""missions.compare against numbers computed independently in each test.

Station elements: the raw TLE file seeds/authorities/stations-2024-05-09.tle, read here column
by column (not through orbits.tle). Every analysis is as of an analysis date: these tests pass
``at=2024-05-09`` and exactly those sets (``elements=``), so the 2024 figures are checked
against the 2024-05-09 sets (tests/missions/test_analysis_date.py covers other dates).
Geometry: the spherical law of cosines for the plane angle,
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
from missions.compare import compare, resolve, station_launch_windows
from missions.comparisons.orbit_pair import OrbitPairComparison, OrbitSummary
from missions.comparisons.site_orbit import SiteOrbitComparison
from missions.comparisons.station_transfer import station_transfers
from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError
from orbits.history import read_histories
from orbits.launch import LaunchWindows
from orbits.transfers import StationTransferResult, TransferWindows

REPO = Path(__file__).resolve().parents[2]
TLE = REPO / "seeds" / "authorities" / "stations-2024-05-09.tle"
MU = 398600.4418  # km^3/s^2, EGM96/WGS 84 value named in the brief
R_E = 6378.137  # km, WGS 84 equatorial radius
J2 = 1.0826267e-3  # EGM 96 / WGS 84
E2 = 0.00669437999014  # WGS 84 first eccentricity squared
#: The analysis date and the element sets of the 2024 figures (the seed file's epochs).
KW = {"at": "2024-05-09T12:00", "elements": read_histories(TLE)}


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
    return compare("ISS", "Chinese space station", catalog=cat, **KW)


def test_iss_css_plane_angle_range_from_the_tle_inclinations(iss_css):
    i_iss, _, _ = _tle_line2("ISS (ZARYA)")
    i_css, _, _ = _tle_line2("CSS (TIANHE)")
    assert (i_iss, i_css) == (51.6381, 41.4681)
    assert isinstance(iss_css, OrbitPairComparison)
    assert isinstance(iss_css.first, OrbitSummary)
    assert iss_css.first.inclination.to_value(u.deg) == i_iss
    assert iss_css.second.inclination.to_value(u.deg) == i_css
    assert iss_css.min_plane_angle.to_value(u.deg) == pytest.approx(abs(i_iss - i_css), abs=1e-9)
    assert iss_css.min_plane_angle.to_value(u.deg) == pytest.approx(10.17, abs=1e-9)
    # nodes opposed: cos(theta) = cos i1 cos i2 - sin i1 sin i2 = cos(i1 + i2)
    assert iss_css.max_plane_angle.to_value(u.deg) == pytest.approx(i_iss + i_css, abs=1e-9)
    assert iss_css.max_plane_angle.to_value(u.deg) == pytest.approx(93.106, abs=1e-3)  # brief, rounded


def test_plane_change_dv_at_the_iss_altitude(iss_css):
    """2 v sin(theta/2), v = sqrt(mu/a) at the ISS's mean semi-major axis."""
    i_iss, _, n_iss = _tle_line2("ISS (ZARYA)")
    i_css, _, _ = _tle_line2("CSS (TIANHE)")
    v = math.sqrt(MU / _a_brouwer("ISS (ZARYA)"))
    dv = 2 * v * math.sin(math.radians(abs(i_iss - i_css)) / 2)
    assert iss_css.first.plane_change_dv.to_value(u.km / u.s) == pytest.approx(dv, rel=1e-9)
    # the Kozai a straight from the mean motion differs by a J2 term (~1e-3 relative)
    v_kozai = math.sqrt(MU / _a_from_mean_motion(n_iss))
    assert iss_css.first.plane_change_dv.to_value(u.km / u.s) == pytest.approx(
        2 * v_kozai * math.sin(math.radians(abs(i_iss - i_css)) / 2), rel=1e-3)
    assert 1.35 < dv < 1.37


def test_headline_dv_is_at_the_lower_orbit(iss_css):
    """The lower (faster) orbit gives the conservative figure; on 2024-05-09 that is the CSS
    (higher mean motion in the TLE)."""
    _, _, n_iss = _tle_line2("ISS (ZARYA)")
    i_iss, _, _ = _tle_line2("ISS (ZARYA)")
    i_css, _, n_css = _tle_line2("CSS (TIANHE)")
    assert n_css > n_iss
    assert iss_css.lower_orbit == iss_css.second.name
    v = math.sqrt(MU / _a_brouwer("CSS (TIANHE)"))
    lo, hi = math.radians(abs(i_iss - i_css)), math.radians(i_iss + i_css)
    assert iss_css.plane_change_dv.to_value(u.km / u.s) == pytest.approx(2 * v * math.sin(lo / 2), rel=1e-9)
    assert iss_css.plane_change_dv_max.to_value(u.km / u.s) == pytest.approx(2 * v * math.sin(hi / 2), rel=1e-9)
    assert iss_css.plane_change_dv >= iss_css.first.plane_change_dv


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
    assert iss_css.relative_node_drift.to_value(u.deg / u.day) == pytest.approx(rel, rel=5e-4)
    assert iss_css.node_cycle.to_value(u.day) == pytest.approx(360.0 / abs(rel), rel=5e-4)
    # each orbit's own node rate against SGP4's
    for side, name in ((iss_css.first, "ISS (ZARYA)"), (iss_css.second, "CSS (TIANHE)")):
        own = math.degrees(sat[name].nodedot) * 1440.0
        assert side.node_rate.to_value(u.deg / u.day) == pytest.approx(own, rel=5e-4)
    # the plane angle at the epoch lies inside the range
    assert iss_css.min_plane_angle <= iss_css.plane_angle_at_epoch <= iss_css.max_plane_angle


def test_order_of_arguments_swaps_a_and_b(cat, iss_css):
    r = compare("CSS", "ISS", catalog=cat, **KW)
    assert r.first.name == iss_css.second.name and r.second.name == iss_css.first.name
    assert r.min_plane_angle == iss_css.min_plane_angle
    assert r.plane_change_dv == iss_css.plane_change_dv
    assert r.relative_node_drift == -iss_css.relative_node_drift


def test_tle_names_work_without_the_catalog(cat):
    r = compare("ISS (ZARYA)", "CSS (TIANHE)", catalog=cat, **KW)
    assert r.min_plane_angle.to_value(u.deg) == pytest.approx(10.17, abs=1e-9)
    # one display name per object: a TLE name the catalog knows shows as the catalog's name
    assert (r.first.name, r.second.name) == (cat["ISS"].name, cat["CSS"].name)


def _geocentric(lat_deg):
    return math.degrees(math.atan((1 - E2) * math.tan(math.radians(lat_deg))))


def test_baikonur_to_css_needs_a_dogleg(cat):
    baikonur = cat.site("Baikonur")
    lat = baikonur.latitude.to_value(u.deg)  # 45.965 deg (catalog, Wikipedia)
    i_css, _, _ = _tle_line2("CSS (TIANHE)")
    r = compare("Baikonur", "Chinese space station", catalog=cat, **KW)
    assert isinstance(r, SiteOrbitComparison) and r.direct_ascent is False
    i_min = _geocentric(lat)
    assert r.min_inclination.to_value(u.deg) == pytest.approx(i_min, abs=1e-6)
    assert r.plane_change.to_value(u.deg) == pytest.approx(i_min - i_css, abs=1e-6)
    v200 = math.sqrt(MU / (R_E + 200.0))
    dv = 2 * v200 * math.sin(math.radians(i_min - i_css) / 2)
    assert r.dogleg_dv.to_value(u.km / u.s) == pytest.approx(dv, rel=1e-6)
    # at the station's own altitude (Brouwer a of the TLE)
    v_css = math.sqrt(MU / _a_brouwer("CSS (TIANHE)"))
    assert r.dogleg_dv_at_altitude.to_value(u.km / u.s) == pytest.approx(
        2 * v_css * math.sin(math.radians(i_min - i_css) / 2), rel=1e-6)
    assert r.site == baikonur.name and r.orbit == cat["CSS"].name
    # same answer with the station named first
    r2 = compare("CSS", "Baikonur", catalog=cat, **KW)
    assert r2.dogleg_dv == r.dogleg_dv


def test_jiuquan_reaches_the_css_directly(cat):
    r = compare("Jiuquan", "CSS", catalog=cat, **KW)
    lat = cat.site("Jiuquan").latitude.to_value(u.deg)
    assert _geocentric(lat) < 41.4681
    assert r.direct_ascent is True and r.dogleg_dv.to_value(u.km / u.s) == 0.0
    assert repr(r).endswith(": direct ascent>")


@pytest.mark.parametrize(
    "a, b, exc, words",
    [
        ("ISS", "Long March 5", ArgumentError, ["launch vehicle", "compare takes"]),
        ("Baikonur", "Luna-25", ArgumentError, ["cannot compare", "site", "lunar"]),
        ("Baikonur", "Jiuquan", ArgumentError, ["cannot compare", "site"]),
        ("ISS", "Lnua-25", NotFoundError, ["did you mean", "luna-25"]),
        ("ISS", "x" * 100_000, ArgumentError, ["100,000 characters", "more than 200"]),
        ("ISS", "  ", ArgumentError, ["must not be empty"]),
    ],
)
def test_bad_pairs_name_what_is_allowed(cat, a, b, exc, words):
    with pytest.raises(exc) as err:
        compare(a, b, catalog=cat, **KW)
    msg = err.value.args[0].casefold()
    for w in words:
        assert w.casefold() in msg


def test_resolve_rejects_non_strings(cat):
    with pytest.raises(ArgumentTypeError, match="name must be a string"):
        resolve(42, cat, **KW)


def test_a_long_name_is_refused_fast_and_echoed_short(cat):
    with pytest.raises(ArgumentError) as err:
        resolve("ISS" * 50_000, cat, **KW)
    assert len(str(err.value)) < 200


def test_self_comparison_is_the_trivial_answer(cat):
    """An orbit against itself: the planes coincide (0 deg), nothing to pay, no node cycle
    (blank, not an error), whichever of its names is used."""
    for a, b in (("ISS", "ISS"), ("ISS", "ISS (ZARYA)"), ("CSS", "Chinese space station")):
        r = compare(a, b, catalog=cat, **KW)
        assert r.min_plane_angle.to_value(u.deg) == 0.0 and r.max_plane_angle.to_value(u.deg) == 0.0
        assert r.plane_change_dv.to_value(u.km / u.s) == 0.0
        assert r.node_cycle is None and r.next_alignment is None
        assert r.relative_node_drift.to_value(u.deg / u.day) == 0.0
        assert "cycle" not in repr(r)
        assert r.to_dict()["node_cycle"] is None
        text = r.to_text()
        assert "nan" not in text.lower() and "inf" not in text.lower()


def test_result_shape_repr_text_html_dict_table(iss_css, cat):
    """One-line repr in Skyfield's style; text within 100 columns with units; HTML table;
    JSON-safe dict with nested per-orbit fields and every digit; a one-row QTable."""
    import json

    from astropy.table import QTable
    from sgp4.api import WGS72, Satrec

    css = cat["CSS"].name
    # range from the TLE inclinations (51.6381, 41.4681 deg); cycle from python-sgp4's nodedot
    lines = TLE.read_text().splitlines()
    sat = {lines[k].strip(): Satrec.twoline2rv(lines[k + 1], lines[k + 2], WGS72)
           for k in range(0, len(lines) - 2, 3)}
    rel = math.degrees(sat["ISS (ZARYA)"].nodedot - sat["CSS (TIANHE)"].nodedot) * 1440.0
    import re

    m = re.fullmatch(rf"<OrbitPairComparison ISS vs {css}: {51.6381 - 41.4681:.2f}°–"
                     rf"{51.6381 + 41.4681:.2f}°, cycle (\d+\.\d) d>", repr(iss_css))
    assert m, repr(iss_css)
    # SGP4 uses WGS 72 constants (313.6 d), the toolkit WGS 84 (5e-4 relative, see above)
    assert float(m.group(1)) == pytest.approx(360 / abs(rel), abs=0.15)
    assert str(iss_css) == repr(iss_css) and "\n" not in repr(iss_css)
    text = iss_css.to_text()
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "smallest plane angle" in text and "10.17 deg" in text and "a_" not in text
    html = iss_css._repr_html_()
    assert html.startswith("<table>") and "node cycle" in html and css in html
    d = json.loads(json.dumps(iss_css.to_dict()))
    assert d["result"] == "OrbitPairComparison"
    assert d["first"]["name"] == "ISS" and d["second"]["name"] == css
    assert d["max_plane_angle"] == {"value": pytest.approx(51.6381 + 41.4681, abs=1e-12),
                                    "unit": "deg"}
    assert d["next_alignment"].startswith("2024-10-")
    assert not any(k.startswith(("a_", "b_")) for k in d)
    t = iss_css.to_table()
    assert isinstance(t, QTable) and len(t) == 1
    assert t["smallest plane angle"].unit == u.deg
    assert t["inclination (ISS)"][0].to_value(u.deg) == 51.6381


def test_catalog_orbits_without_node_have_no_dates(cat):
    """A station the catalog knows only by its orbit (no TLE): the range and the cycle from
    first-order J2, and no dates (blank)."""
    names = [m.name for m in cat.missions if m.target == "Earth" and not m.tle_names
             and m.orbit("Earth") is not None and m.kind == "station"]
    if not names:
        pytest.skip("no catalog-only Earth orbit in the catalog")
    r = compare("ISS", names[0], catalog=cat, **KW)
    o = cat[names[0]].orbit("Earth")
    assert r.min_plane_angle.to_value(u.deg) == pytest.approx(
        abs(51.6381 - o.inclination.to_value(u.deg)), abs=1e-9)
    assert r.epoch is None and r.next_alignment is None and r.plane_angle_at_epoch is None


def test_launch_windows_jiuquan_css(cat):
    """Two in-plane passes a day, and the ascending azimuth obeys sin(az) = cos(i)/cos(lat_c)."""
    t = station_launch_windows("Jiuquan", "CSS", days=2, catalog=cat, **KW)
    assert isinstance(t, LaunchWindows) and len(t) == 4
    assert t.site == cat.site("Jiuquan").name and t.target == cat["CSS"].name
    assert sorted(t["pass"]) == ["ascending", "ascending", "descending", "descending"]
    lat_c = math.radians(_geocentric(cat.site("Jiuquan").latitude.to_value(u.deg)))
    az = math.degrees(math.asin(math.cos(math.radians(41.4681)) / math.cos(lat_c)))
    asc = t[t["pass"] == "ascending"]
    assert asc["azimuth"][0].to_value(u.deg) == pytest.approx(az, abs=2e-3)


def test_launch_windows_unreachable_plane_says_so(cat):
    with pytest.raises(ArgumentError, match="cannot launch directly"):
        station_launch_windows("Baikonur", "CSS", catalog=cat, **KW)
    for days in (0, -1, 0.0, float("nan"), 61):
        with pytest.raises(ArgumentError, match=r"days must be a number of days in \(0, 60\]"):
            station_launch_windows("Jiuquan", "CSS", days=days, catalog=cat, **KW)
    with pytest.raises(ArgumentError, match="site must be a launch site"):
        station_launch_windows("ISS", "CSS", catalog=cat, **KW)
    with pytest.raises(ArgumentError, match="start must be a UTC date"):
        station_launch_windows("Jiuquan", "CSS", start="notadate", catalog=cat, **KW)


# --- station transfers ---------------------------------------------------------------------------


def test_station_transfers_near_the_alignment_cost_about_the_plane_change(cat, iss_css):
    """Default: 12 days centred on the next node alignment. The cheapest transfer costs at
    least the pure plane change at the faster (CSS) orbit, 2 v sin(10.17 deg / 2) with v from
    the CSS TLE's Brouwer a (1.36 km/s), and far less than the 11 km/s of opposed nodes."""
    res = station_transfers("ISS", "CSS", days=2, catalog=cat, **KW)
    assert isinstance(res, StationTransferResult)
    assert (res.departure_name, res.arrival_name) == ("ISS", cat["CSS"].name)
    v = math.sqrt(MU / _a_brouwer("CSS (TIANHE)"))
    plane = 2 * v * math.sin(math.radians(51.6381 - 41.4681) / 2)
    assert plane < res.best_dv_total.to_value(u.km / u.s) < 3.0
    # the span is centred on the alignment
    mid = res.first_departure + (res.last_departure - res.first_departure) / 2
    assert abs((mid - iss_css.next_alignment).to_value(u.min)) < 5
    best = res.best(2, min_separation=0.5 * u.day)
    assert isinstance(best, TransferWindows) and 1 <= len(best) <= 2
    assert best.departure_name == "ISS"
    assert all(len(line) <= 100 for line in best.to_text().splitlines())


def test_station_transfers_bad_input(cat):
    for days in (0, -3, 121):
        with pytest.raises(ArgumentError, match="days must be a number of days"):
            station_transfers("ISS", "CSS", days=days, catalog=cat, **KW)
    with pytest.raises(ArgumentError, match="same station"):
        station_transfers("ISS", "ISS (ZARYA)", catalog=cat, **KW)
    with pytest.raises(ArgumentError, match="Earth-orbiting stations"):
        station_transfers("ISS", "Baikonur", catalog=cat, **KW)


def test_missions_compare_is_callable_as_the_issue_shows(cat):
    """``missions.compare("ISS", "Chinese space station")``: the submodule forwards calls to
    its function (as ``orbits.lambert`` does)."""
    import missions
    import missions.compare  # noqa: F401  (makes missions.compare the submodule)

    r = missions.compare("ISS", "Chinese space station", catalog=cat, **KW)
    assert isinstance(r, OrbitPairComparison)
    assert r.min_plane_angle.to_value(u.deg) == pytest.approx(51.6381 - 41.4681, abs=1e-9)
