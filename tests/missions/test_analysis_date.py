"""Every station analysis is computed as of an analysis date, from the element set nearest it.

Sources of expected values:
- the real ISS (25544) and Tianhe (48274) element sets of orbits/data/history/*.tle (byte
  copies of seeds/authorities/tle-history/, provenance in its PROVENANCE.md), read here as raw
  lines; epochs decoded from line 1 (columns 19-32: two-digit year, day of year) in the test;
- the ``sgp4`` package (independent library), propagating those lines directly: the plane of
  each orbit is the direction of r x v, the node atan2(hx, -hy) in TEME, and the Greenwich
  sidereal angle of the launch-site checks is sgp4's own ``gstime`` (IAU 1982, as TEME);
- the 14-day staleness threshold and the 3-year limit are issue 9's and orbits.history's
  (STALE_AFTER, MAX_AGE).
"""

from __future__ import annotations

import math
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

import missions.compare as mc
from missions.comparisons.station_transfer import station_transfers
from missions.compatibility import station_orbits
from orbits.errors import ArgumentError, DateRangeError, StaleInputWarning

REPO = Path(__file__).resolve().parents[2]
HISTORY = REPO / "orbits" / "data" / "history"
ISS_FILE, CSS_FILE = HISTORY / "iss-25544.tle", HISTORY / "tianhe-48274.tle"
E2 = 0.00669437999014  # WGS 84 first eccentricity squared


@pytest.fixture(autouse=True)
def _no_user_cache(tmp_path, monkeypatch):
    """Only the packaged history (and the files a test passes) count, never a user cache."""
    monkeypatch.setenv("MISSION_COMPARE_DATA", str(tmp_path / "user-data"))


def _sets(path):
    """(name, line1, line2, epoch as a UTC datetime) of every set of a raw 3-line TLE file."""
    lines = [ln.rstrip() for ln in Path(path).read_text().splitlines()]
    out = []
    for k in range(len(lines) - 2):
        if lines[k + 1].startswith("1 ") and lines[k + 2].startswith("2 "):
            yy, doy = int(lines[k + 1][18:20]), float(lines[k + 1][20:32])
            year = 2000 + yy if yy < 57 else 1900 + yy
            epoch = datetime(year, 1, 1, tzinfo=timezone.utc) + timedelta(days=doy - 1)
            out.append((lines[k].strip(), lines[k + 1], lines[k + 2], epoch))
    return out


def _nearest(path, when: datetime):
    return min(_sets(path), key=lambda s: abs((s[3] - when).total_seconds()))


def _utc(text) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _sgp4_node_difference(set1, set2, start: datetime, days: float, step_h: float = 1.0):
    """(times as JD, node of set1 minus node of set2 in deg wrapped to [-180, 180)) from
    the sgp4 package: r x v of each orbit, averaged over 24 instants of one orbit."""
    from sgp4.api import WGS72, Satrec, SatrecArray, jday

    sats = [Satrec.twoline2rv(s[1], s[2], WGS72) for s in (set1, set2)]
    jd0, fr0 = jday(start.year, start.month, start.day, start.hour, start.minute, start.second)
    t = np.arange(0.0, days, step_h / 24.0)
    period = 2 * math.pi / sats[0].no_kozai / 1440.0  # days (the two periods differ by 0.5 %)
    off = ((np.arange(24) + 0.5) / 24 - 0.5) * period
    fr = (fr0 + t[:, None] + off[None, :]).ravel()
    err, r, v = SatrecArray(sats).sgp4(np.full(fr.size, jd0), fr)
    assert not err.any()
    h = np.cross(r, v)
    h /= np.linalg.norm(h, axis=-1, keepdims=True)
    h = h.reshape(2, t.size, 24, 3).mean(axis=2)
    node = np.degrees(np.arctan2(h[..., 0], -h[..., 1]))
    d = (node[0] - node[1] + 180.0) % 360.0 - 180.0
    return jd0 + fr0 + t, d


def _first_zero(jd, d):
    k = np.nonzero((np.sign(d[:-1]) != np.sign(d[1:])) & (np.abs(d[1:] - d[:-1]) < 90))[0]
    assert k.size, "no node alignment in the scan"
    k = int(k[0])
    return jd[k] + d[k] / (d[k] - d[k + 1]) * (jd[k + 1] - jd[k])


@pytest.fixture(scope="module")
def late_2025(tmp_path_factory):
    """The user's file of real late-2025 sets: the ISS and Tianhe sets of Sep-Dec 2025."""
    lo, hi = _utc("2025-09-01"), _utc("2026-01-01")
    chosen = [s for f in (ISS_FILE, CSS_FILE) for s in _sets(f) if lo <= s[3] < hi]
    assert {s[1][2:7] for s in chosen} == {"25544", "48274"}
    path = tmp_path_factory.mktemp("tle") / "late-2025.tle"
    path.write_text("".join(f"{n}\n{a}\n{b}\n" for n, a, b, _ in chosen))
    return path


# --- the "Done when" ---------------------------------------------------------------------


def test_next_alignment_after_2025_11_20_matches_sgp4_of_the_same_elements(late_2025):
    """compare(..., elements=FILE, at=2025-11-20): the next node alignment after that date,
    with propagator="sgp4", within 2 days of the zero of the two SGP4 planes' node difference
    (sgp4 package directly)."""
    at = _utc("2025-11-20")
    css = min((s for s in _sets(late_2025) if s[1][2:7] == "48274"),
              key=lambda s: abs((s[3] - at).total_seconds()))
    iss = min((s for s in _sets(late_2025) if s[1][2:7] == "25544"),
              key=lambda s: abs((s[3] - at).total_seconds()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleInputWarning)  # Tianhe's set is 18 days old
        r = mc.compare("ISS", "Chinese space station", at="2025-11-20", elements=late_2025,
                       propagator="sgp4")
    # the sets nearest the date, from the user's file
    assert [i.epoch.utc.datetime.replace(tzinfo=timezone.utc) for i in r.inputs] == pytest.approx(
        [iss[3], css[3]], abs=timedelta(milliseconds=5))
    assert all(i.source == str(late_2025) for i in r.inputs)
    jd, d = _sgp4_node_difference(iss, css, at, 330.0)
    t_sgp4 = _first_zero(jd, d)
    assert r.next_alignment.utc.jd > Time("2025-11-20").jd
    assert abs(r.next_alignment.utc.jd - t_sgp4) < 2.0
    assert abs(r.next_alignment.utc.jd - t_sgp4) < 0.05  # measured: same model, ~minutes


def test_default_secular_alignment_against_the_real_one(late_2025):
    """The default (secular) prediction from the same late-2025 sets, against the alignment
    the real sets of mid-2026 show (SGP4 of the ISS and Tianhe sets nearest it, days old):
    within 2 days, and closer than SGP4's drag-extrapolated prediction from late 2025
    (orbits/data/history/node_error.toml: SGP4's node error grows past ~3 days)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleInputWarning)
        sec = mc.compare("ISS", "Chinese space station", at="2025-11-20", elements=late_2025)
        sgp = mc.compare("ISS", "Chinese space station", at="2025-11-20", elements=late_2025,
                         propagator="sgp4")
    assert sec.propagator == "secular" and sgp.propagator == "sgp4"
    guess = sec.next_alignment.utc.datetime.replace(tzinfo=timezone.utc)
    iss, css = _nearest(ISS_FILE, guess), _nearest(CSS_FILE, guess)
    assert abs((iss[3] - guess).days) < 10 and abs((css[3] - guess).days) < 10
    jd, d = _sgp4_node_difference(iss, css, guess - timedelta(days=15), 30.0, step_h=0.5)
    truth = _first_zero(jd, d)
    assert abs(sec.next_alignment.utc.jd - truth) < 2.0
    assert abs(sec.next_alignment.utc.jd - truth) < abs(sgp.next_alignment.utc.jd - truth)


# --- staleness, reach, dates ---------------------------------------------------------------------


def test_without_elements_2026_12_01_uses_the_2026_10_sets_and_warns():
    iss_last, css_last = _sets(ISS_FILE)[-1], _sets(CSS_FILE)[-1]
    at = _utc("2026-12-01")
    with pytest.warns(StaleInputWarning) as rec:
        r = mc.compare("ISS", "Chinese space station", at="2026-12-01")
    assert [i.epoch.utc.isot[:16] for i in r.inputs] == [
        iss_last[3].strftime("%Y-%m-%dT%H:%M"), css_last[3].strftime("%Y-%m-%dT%H:%M")]
    age_iss = (at - iss_last[3]).total_seconds() / 86400.0
    assert 51 < age_iss < 53  # 2026-10-10 18:56 to 2026-12-01 00:00
    assert r.inputs[0].age.to_value(u.day) == pytest.approx(age_iss, abs=1e-6)
    assert r.analysis_date.utc.isot[:10] == "2026-12-01"
    msgs = [str(w.message) for w in rec]
    iss_msg = next(m for m in msgs if "ISS (ZARYA)" in m)
    assert iss_last[3].strftime("%Y-%m-%d %H:%M") in iss_msg
    assert f"{age_iss:.1f} days" in iss_msg
    assert any("CSS (TIANHE)" in m for m in msgs)
    assert len(r.warnings) == 2 and r.warnings[0] == iss_msg


def test_far_dates_are_refused():
    for fn in (lambda: mc.compare("ISS", "CSS", at="2200-01-01"),
               lambda: mc.station_launch_windows("Jiuquan", "CSS", at="2200-01-01"),
               lambda: station_transfers("ISS", "CSS", at="2200-01-01", days=1),
               lambda: station_orbits(at="2200-01-01"),
               lambda: mc.resolve("ISS", at="1990-01-01")):
        with pytest.raises(DateRangeError, match="days"):
            fn()
    # a window search that runs past the elements' reach is refused as well
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleInputWarning)
        with pytest.raises(DateRangeError):
            mc.station_launch_windows("Jiuquan", "CSS", at="2026-10-10",
                                      start="2029-10-08", days=5)


def test_a_fresh_set_gives_no_warning():
    """2026-03-01: the history holds daily sets then (README), so both are < 14 days old."""
    near = [_nearest(f, _utc("2026-03-01")) for f in (ISS_FILE, CSS_FILE)]
    assert all(abs((s[3] - _utc("2026-03-01")).days) < 14 for s in near)
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleInputWarning)
        r = mc.compare("ISS", "Chinese space station", at="2026-03-01")
        w = mc.station_launch_windows("Jiuquan", "CSS", at="2026-03-01", days=1)
    assert r.warnings == () and w.warnings == ()
    assert [i.epoch.utc.isot[:16] for i in r.inputs] == [s[3].strftime("%Y-%m-%dT%H:%M")
                                                          for s in near]


def test_two_dates_two_alignments_each_after_its_date():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleInputWarning)
        a = mc.compare("ISS", "CSS", at="2025-11-20")
        b = mc.compare("ISS", "CSS", at="2026-08-01")
    assert a.next_alignment > Time("2025-11-20") and b.next_alignment > Time("2026-08-01")
    assert a.next_opposition > Time("2025-11-20") and b.next_opposition > Time("2026-08-01")
    # one node cycle (~314-318 d) apart, not the same date
    gap = (b.next_alignment - a.next_alignment).to_value(u.day)
    assert abs(gap - b.node_cycle.to_value(u.day)) < 20
    # the angle "now" is on the analysis date, between the bounds
    assert a.min_plane_angle <= a.plane_angle_now <= a.max_plane_angle


def test_erfa_warnings_never_reach_the_user():
    """2029-06-01 is past the leap-second table (ERFA's "dubious year"), yet within 3 years of
    the 2026-10 sets: the only warning is the toolkit's own."""
    from erfa import ErfaWarning

    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        r = mc.compare("ISS", "CSS", at="2029-06-01")
        w = mc.station_launch_windows("Jiuquan", "CSS", at="2029-06-01", days=1)
        # SGP4 decays the 2026-10 Tianhe orbit before then: a clear error, not a number
        with pytest.raises(ArgumentError, match="do not reach that date"):
            mc.station_launch_windows("Jiuquan", "CSS", at="2029-06-01", days=1,
                                      propagator="sgp4")
        with pytest.raises(DateRangeError):
            mc.compare("ISS", "CSS", at="2200-01-01")
        for res in (r, w):  # printing far dates is quiet too
            res.to_text(), res.to_dict(), repr(res), res._repr_html_(), res.to_table()
    assert not [x for x in rec if issubclass(x.category, ErfaWarning)]
    assert {x.category for x in rec} == {StaleInputWarning}
    jd = r.analysis_date.jd1 + r.analysis_date.jd2  # (no Time arithmetic here: ERFA would warn)
    assert r.next_alignment.jd1 + r.next_alignment.jd2 > jd and len(w) == 2


# --- windows and transfers start from the analysis date ------------------------------------------


def _site_out_of_plane_deg(site, t: Time, line1, line2):
    """Angle (deg) of the site's geocentric direction out of the station's SGP4 plane at
    ``t``: sgp4 for the orbit (r x v averaged over one orbit), sgp4's gstime (IAU 1982) for
    the Earth's rotation, WGS 84 geocentric latitude."""
    from sgp4.api import WGS72, Satrec
    from sgp4.propagation import gstime

    sat = Satrec.twoline2rv(line1, line2, WGS72)
    period = 2 * math.pi / sat.no_kozai / 1440.0
    jd, fr = t.utc.jd1, t.utc.jd2
    hs = []
    for off in ((np.arange(24) + 0.5) / 24 - 0.5) * period:
        e, r, v = sat.sgp4(jd, fr + off)
        assert e == 0
        hs.append(np.cross(r, v) / np.linalg.norm(np.cross(r, v)))
    h = np.mean(hs, axis=0)
    h /= np.linalg.norm(h)
    lat_c = math.atan((1 - E2) * math.tan(math.radians(site.latitude.to_value(u.deg))))
    theta = gstime(jd + fr) + math.radians(site.longitude.to_value(u.deg))
    s = np.array([math.cos(lat_c) * math.cos(theta), math.cos(lat_c) * math.sin(theta),
                  math.sin(lat_c)])
    return math.degrees(math.asin(float(np.dot(h, s))))


@pytest.mark.parametrize("propagator, tol_deg", [("sgp4", 0.01), ("secular", 0.05)])
def test_windows_start_at_the_analysis_date_and_lie_in_the_sgp4_plane(propagator, tol_deg):
    """Default start: the analysis date's midnight (UTC). Each window puts Jiuquan in the
    plane of the Tianhe set nearest the date, as the sgp4 package propagates it: within
    0.01 deg with propagator="sgp4" (the same plane), 0.05 deg with the secular model
    (a few seconds of the Earth's turn) two days from a fresh set."""
    from missions import load_catalog

    site = load_catalog().site("Jiuquan")
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleInputWarning)
        w = mc.station_launch_windows("Jiuquan", "CSS", at="2026-03-01T15:00", days=2,
                                      propagator=propagator)
    assert w.start.utc.isot[:19] == "2026-03-01T00:00:00"
    assert len(w) == 4 and all(t >= Time("2026-03-01") for t in w.time)
    _, l1, l2, epoch = _nearest(CSS_FILE, _utc("2026-03-01T15:00"))
    assert w.inputs[1].epoch.utc.isot[:16] == epoch.strftime("%Y-%m-%dT%H:%M")
    for t in w.time:
        assert abs(_site_out_of_plane_deg(site, t, l1, l2)) < tol_deg


def test_transfers_centre_on_the_next_alignment_after_the_date():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StaleInputWarning)
        c = mc.compare("ISS", "CSS", at="2025-11-20")
        res = station_transfers("ISS", "CSS", at="2025-11-20", days=1)
    mid = res.first_departure + (res.last_departure - res.first_departure) / 2
    assert abs((mid - c.next_alignment).to_value(u.min)) < 5
    assert res.analysis_date.utc.isot[:10] == "2025-11-20"
    assert [i.name for i in res.inputs] == ["ISS (ZARYA)", "CSS (TIANHE)"]
    assert res.warnings and "CSS (TIANHE)" in res.warnings[0]


def test_bad_dates_and_propagators_name_what_is_allowed():
    with pytest.raises(ArgumentError, match="at must be a UTC date"):
        mc.compare("ISS", "CSS", at="2025-13-45")
    with pytest.raises(ArgumentError, match="propagator must be one of"):
        mc.compare("ISS", "CSS", at="2026-03-01", propagator="kepler")
    with pytest.raises(ArgumentError, match="propagator must be one of"):
        mc.station_launch_windows("Jiuquan", "CSS", at="2026-03-01", propagator="kepler")
    with pytest.raises(TypeError, match="elements must be a path"):
        mc.compare("ISS", "CSS", at="2026-03-01", elements=42)


def test_a_user_set_overrides_the_packaged_one_at_the_same_epoch(tmp_path):
    """The user's file wins at equal epochs (its source is reported) and extends the
    history: an ISS set alone in the file still pairs with the packaged Tianhe set."""
    name, l1, l2, epoch = _nearest(ISS_FILE, _utc("2026-03-01"))
    f = tmp_path / "mine.tle"
    f.write_text(f"{name}\n{l1}\n{l2}\n")
    r = mc.compare("ISS", "CSS", at="2026-03-01", elements=f)
    assert r.inputs[0].source == str(f)
    assert Path(r.inputs[1].source).name == "tianhe-48274.tle"
