"""Tests of the station transfer search (orbits.transfers, orbits.core.transfers) and its plot."""

from collections import namedtuple
from pathlib import Path

import astropy.units as u
import numpy as np
import pytest
from astropy.table import QTable
from astropy.time import Time

from orbits.core import transfers as core
from orbits.errors import ArgumentError, SizeLimitError
from orbits.transfers import StationTransferResult, TransferWindows, station_transfer_search

MU = 398600.4418  # km^3/s^2 (Vallado 4th ed., Table D-1)
RE = 6378.137  # km (Vallado Table D-1)
TLE_FILE = "seeds/authorities/stations-2024-05-09.tle"


def _circular(a_km, nu_deg, epoch, inc_deg=0.0):
    return {
        "a": a_km * u.km,
        "ecc": 0.0,
        "inc": inc_deg * u.deg,
        "raan": 0 * u.deg,
        "argp": 0 * u.deg,
        "nu": nu_deg * u.deg,
        "epoch": epoch,
    }


@pytest.fixture(scope="module")
def hohmann_result():
    # Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., Example 6-1:
    # Hohmann transfer from a 191.34411 km to a 35781.34857 km altitude circular orbit.
    ep = Time("2024-01-01T00:00:00", scale="utc")
    leo = _circular(RE + 191.34411, 0.0, ep)
    geo = _circular(RE + 35781.34857, 37.0, ep)  # arbitrary phase: the search finds the window
    # one synodic period (~94 min) of departures every 2 s, tof around the half period
    dep = ep + np.arange(0.0, 100 * 60.0, 2.0) * u.s
    tof = np.arange(305.0, 325.0, 0.25) * u.min
    return station_transfer_search(leo, geo, dep, tof, j2=False)


def test_hohmann_comes_out_of_the_search(hohmann_result):
    # Vallado Example 6-1 answers: dv_a = 2.457038 km/s, dv_b = 1.478187 km/s,
    # dv = 3.935224 km/s, transfer time 5.256713 h. Checked here also with the Hohmann formula.
    ri, rf = RE + 191.34411, RE + 35781.34857
    at = 0.5 * (ri + rf)
    dva = np.sqrt(2 * MU / ri - MU / at) - np.sqrt(MU / ri)
    dvb = np.sqrt(MU / rf) - np.sqrt(2 * MU / rf - MU / at)
    assert dva + dvb == pytest.approx(3.935224, abs=2e-6)
    assert np.pi * np.sqrt(at**3 / MU) / 3600 == pytest.approx(5.256713, abs=2e-6)

    best = hohmann_result.best(1)[0]  # one row, keyed by field name
    # the 2 s x 15 s grid cannot hit the exact 180-degree transfer (nor should it: collinear
    # r1, r2 leave the Lambert plane undefined), but Delta-v is stationary there, so the
    # nearest cell agrees to 1e-6 and the time of flight to one tof step
    assert best["dv_total"].to_value(u.km / u.s) == pytest.approx(3.935224, rel=1e-6)
    assert best["dv1"].to_value(u.km / u.s) == pytest.approx(2.457038, abs=2e-6)
    assert best["dv2"].to_value(u.km / u.s) == pytest.approx(1.478187, abs=2e-6)
    assert best["tof"].to_value(u.min) == pytest.approx(5.256713 * 60, abs=0.25)
    assert best["revs"] == 0
    # the grid-wide minimum is that window, and every cell of this coplanar grid is solved
    assert np.nanmin(hohmann_result.dv_total) == best["dv_total"]
    assert hohmann_result.ok.all()


def test_result_structure(hohmann_result):
    res = hohmann_result
    assert isinstance(res, StationTransferResult)
    assert res.dv_total.shape == res.ok.shape == (3000, 80)
    assert res.dv_total.unit == u.km / u.s and res.tof.unit == u.min
    np.testing.assert_allclose((res.dv1 + res.dv2 - res.dv_total).value, 0.0, atol=1e-12)
    table = res.best(3)
    assert isinstance(table, TransferWindows) and len(table) == min(3, len(res.minima)) >= 1
    assert np.all(np.diff(table["dv_total"].value) >= 0)
    assert isinstance(table["departure"], Time)
    # the QTable form has human labels and units; the dict form the field names
    qt = table.to_table()
    assert isinstance(qt, QTable)
    assert list(qt.colnames) == ["departure", "arrival", "tof", "Δv1", "Δv2", "Δv", "revs"]
    assert qt["Δv"].unit == u.km / u.s
    assert list(table.to_dict()["rows"][0]) == ["departure", "arrival", "tof", "dv1", "dv2",
                                                "dv_total", "revs"]
    # the summary fields describe the cheapest solved cell of the whole grid
    k = np.unravel_index(np.nanargmin(np.where(res.ok, res.dv_total.value, np.nan)), res.ok.shape)
    assert res.best_dv_total == res.dv_total[k]
    assert res.best_departure == res.departure[k[0]] and res.best_tof == res.tof[k[1]]
    assert res.departures == 3000 and res.solved_fraction == 1.0
    assert repr(res).startswith("<StationTransferResult 3000×80 grid, cheapest 3.935 km/s")
    assert all(len(line) <= 100 for line in res.to_text().splitlines())
    with pytest.raises(ArgumentError, match="n must be a positive integer"):
        res.best(0)


def _tle_orbits():
    from sgp4.api import Satrec

    with open(TLE_FILE) as f:
        lines = f.read().splitlines()

    def sat(name):
        i = next(k for k, line in enumerate(lines) if line.startswith(name))
        return Satrec.twoline2rv(lines[i + 1], lines[i + 2])

    Orbit = namedtuple("Orbit", "a ecc inc raan argp M epoch")

    def elements(s):
        # SGP4 mean elements of the TLE (semi-major axis as recovered by sgp4's initialisation)
        return Orbit(
            s.a * s.radiusearthkm * u.km,
            s.ecco * u.one,
            s.inclo * u.rad,
            s.nodeo * u.rad,
            s.argpo * u.rad,
            s.mo * u.rad,
            Time(s.jdsatepoch, s.jdsatepochF, format="jd", scale="utc"),
        )

    iss, css = sat("ISS (ZARYA)"), sat("CSS (TIANHE)")
    return iss, css, elements(iss), elements(css)


def _drag_free(s):
    """The same TLE re-initialised in SGP4 without drag (bstar = ndot = nddot = 0): stations
    reboost, and over months SGP4's drag decay would otherwise move the nodes by degrees."""
    from sgp4.api import WGS72, Satrec

    d = Satrec()
    d.sgp4init(
        WGS72,
        "i",
        s.satnum,
        s.jdsatepoch + s.jdsatepochF - 2433281.5,
        0.0,
        0.0,
        0.0,
        s.ecco,
        s.argpo,
        s.inclo,
        s.mo,
        s.no_kozai,
        s.nodeo,
    )
    return d


def _sgp4_plane_angle_and_speed(iss, css, t):
    """Angle between the two stations' orbit planes and the ISS speed, from SGP4 states."""
    normals = []
    speed = None
    for s in (iss, css):
        err, r, v = s.sgp4(t.jd1, t.jd2)
        assert err == 0
        h = np.cross(r, v)
        normals.append(h / np.linalg.norm(h))
        speed = np.linalg.norm(v) if speed is None else speed
    return np.arccos(np.clip(np.dot(*normals), -1, 1)), speed


def test_iss_to_css_at_tle_epoch_costs_the_plane_change():
    # Expected value computed independently of our code: the plane angle from the two TLEs'
    # inclination and node, cos(theta) = cos i1 cos i2 + sin i1 sin i2 cos(dRAAN) (Vallado
    # eq. 6-27 geometry), and the single-impulse plane change 2 v sin(theta / 2) at circular
    # speed v (Vallado eq. 6-23, Curtis eq. 6.56). On 2024-05-09 the nodes are ~175 deg apart,
    # so theta is ~93 deg (not the ~10 deg inclination difference).
    _, _, e1, e2 = _tle_orbits()
    i1, i2 = e1.inc.value, e2.inc.value
    theta = np.arccos(
        np.cos(i1) * np.cos(i2) + np.sin(i1) * np.sin(i2) * np.cos(e1.raan.value - e2.raan.value)
    )
    assert np.degrees(theta) == pytest.approx(92.8, abs=0.3)
    v = np.sqrt(MU / e1.a.to_value(u.km))
    expected = 2 * v * np.sin(theta / 2)

    dep = e1.epoch + np.arange(0, 86400, 600) * u.s
    tof = np.arange(10, 300, 5) * u.min
    res = station_transfer_search(e1, e2, dep, tof, max_revs=2)
    dv = res.best(1)["dv_total"][0].to_value(u.km / u.s)
    # two impulses cannot beat the one-impulse plane change by much for coplanar-radius
    # circular orbits; the 2 % margin covers the plane angle's drift over the day (J2 moves
    # the nodes apart by ~1.1 deg/day) and the phasing left by a one-day, 10-min grid
    assert dv == pytest.approx(expected, rel=0.02)


def test_iss_to_css_when_planes_align_costs_the_small_plane_change():
    # When J2 has brought the two nodes together the planes are only ~10 deg apart. The date
    # and the smallest angle are found here with drag-free SGP4 (independent of our
    # propagation): daily plane angles over a year.
    iss, css, e1, e2 = _tle_orbits()
    iss0, css0 = _drag_free(iss), _drag_free(css)
    days = np.arange(0.0, 366.0, 1.0)
    angles = [_sgp4_plane_angle_and_speed(iss0, css0, e1.epoch + d * u.day)[0] for d in days]
    k = int(np.argmin(angles))
    theta_min, v = _sgp4_plane_angle_and_speed(iss0, css0, e1.epoch + days[k] * u.day)
    assert np.degrees(theta_min) == pytest.approx(10.17, abs=0.1)  # = i1 - i2 of the TLEs
    # no transfer can beat the plane change at the smallest plane angle: ~1.36 km/s
    expected = 2 * v * np.sin(theta_min / 2)

    dep = e1.epoch + (days[k] - 5) * u.day + np.arange(0, 10 * 86400, 600) * u.s
    tof = np.arange(10, 360, 5) * u.min
    res = station_transfer_search(e1, e2, dep, tof, max_revs=3)
    dv = res.best(1)["dv_total"][0].to_value(u.km / u.s)
    # above it by at most 5 %: the 34 km altitude step (Hohmann ~19 m/s, 1.4 %), phasing on a
    # 10-min x 5-min grid, and the residual plane angle where our first-order J2 model and SGP4
    # (which adds J2^2 and J4 terms) put the node alignment a few days apart
    assert 0.99 * expected <= dv <= 1.05 * expected


def test_core_grid_matches_direct_lambert():
    # the chunked grid solver must give exactly what one direct Lambert call gives per cell
    from orbits.core.lambert import lambert
    from orbits.core.transfers import MeanElements, station_states, transfer_grid

    dep = MeanElements(6800.0, 0.001, 0.9, 0.3, 0.2, 0.1)
    arr = MeanElements(7000.0, 0.002, 0.8, 0.5, 1.0, 2.0)
    t = np.arange(0.0, 7200.0, 900.0)
    tof = np.array([1800.0, 3000.0, 7000.0])
    grid = transfer_grid(dep, arr, t, tof, max_revs=1, chunk_size=7)
    rd, vd = station_states(dep, t)
    for i in range(t.size):
        for j in range(tof.size):
            ra, va = station_states(arr, t[i] + tof[j])
            costs = []
            for M, low in ((0, True), (1, True), (1, False)):
                s = lambert(MU, rd[i], ra, tof[j], M, True, low)
                if s.ok:
                    costs.append(np.linalg.norm(s.v1 - vd[i]) + np.linalg.norm(va - s.v2))
            assert grid.ok[i, j] == bool(costs)
            if costs:
                assert grid.dv[i, j] == pytest.approx(min(costs), rel=1e-12)


def test_local_minima():
    v = np.array([[5, 5, 5, 5, 5], [5, 1, 5, 5, 5], [5, 5, 5, 2, 5], [0.5, 5, 5, 5, 5]], float)
    # the 0.5 in the corner is on the edge: not a window
    np.testing.assert_array_equal(core.local_minima(v), [6, 13])
    ok = np.ones_like(v, bool)
    ok[1, 1] = False
    np.testing.assert_array_equal(core.local_minima(v, ok), [13])


def test_bad_input():
    ep = Time("2024-01-01", scale="utc")
    leo = _circular(7000.0, 0.0, ep)
    geo = _circular(42164.0, 0.0, ep)
    dep = ep + np.arange(3) * u.min
    tof = [1, 2] * u.h
    with pytest.raises(ValueError, match="departure_orbit.ecc must be in"):
        station_transfer_search({**leo, "ecc": 1.2}, geo, dep, tof)
    with pytest.raises(TypeError, match="arrival_orbit must provide 'inc'"):
        station_transfer_search(leo, {k: v for k, v in geo.items() if k != "inc"}, dep, tof)
    with pytest.raises(
        TypeError, match=r"mean anomaly \('M' or 'mean_anomaly'\) or the true anomaly 'nu'"
    ):
        station_transfer_search(leo, {k: v for k, v in geo.items() if k != "nu"}, dep, tof)
    with pytest.raises(ValueError, match="tof must be > 0 s"):
        station_transfer_search(leo, geo, dep, [-1, 2] * u.h)
    with pytest.raises(ValueError, match="tof must be strictly increasing"):
        station_transfer_search(leo, geo, dep, [2, 1] * u.h)
    with pytest.raises(ValueError, match="max_revs must be an integer >= 0"):
        station_transfer_search(leo, geo, dep, tof, max_revs=-1)
    with pytest.raises(TypeError, match="departure must be an astropy Time"):
        station_transfer_search(leo, geo, [1, 2, 3], tof)
    with pytest.raises(ValueError, match="departure times must be strictly increasing"):
        station_transfer_search(leo, geo, dep[::-1], tof)
    with pytest.raises(u.UnitTypeError, match="departure_orbit.a must have units of length"):
        station_transfer_search({**leo, "a": 7000 * u.s}, geo, dep, tof)


def test_degenerate_and_oversized_grids_are_refused_before_work():
    ep = Time("2024-01-01", scale="utc")
    leo = _circular(7000.0, 0.0, ep)
    geo = _circular(42164.0, 0.0, ep)
    with pytest.raises(ArgumentError, match="departure must hold at least one time"):
        station_transfer_search(leo, geo, ep + np.arange(0) * u.min, [1, 2] * u.h)
    with pytest.raises(ArgumentError, match="tof must hold at least one"):
        station_transfer_search(leo, geo, ep + np.arange(3) * u.min, [] * u.h)
    # ten years of departures every minute x 1,000 tofs: refused with the size and the limit,
    # before the Lambert work starts
    dep = ep + np.arange(0, 10 * 365.25 * 1440, 1.0) * u.min
    with pytest.raises(SizeLimitError, match=r"GiB of working memory, over the 2\.0 GiB limit"):
        station_transfer_search(leo, geo, dep, np.linspace(10, 600, 1000) * u.min)


def test_porkchop_figure(hohmann_result):
    from matplotlib.figure import Figure

    from orbits.plots.porkchop import porkchop_figure

    fig = porkchop_figure(hohmann_result, n_best=3, title="LEO to GEO (Vallado Example 6-1)")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert "departure" in ax.get_xlabel() and "time of flight (min)" in ax.get_ylabel()
    assert any("km/s" in a.get_ylabel() for a in fig.axes[1:])  # colour bar with its unit
    assert any(t.get_text().startswith("Source:") for t in fig.texts)
    # the best window is marked where best(1) says
    best = hohmann_result.best(1)[0]
    offsets = ax.collections[-1].get_offsets()
    assert offsets[0][1] == pytest.approx(best["tof"].to_value(u.min))
    with pytest.raises(TypeError, match="StationTransferResult"):
        porkchop_figure({"dv": 1})


def test_best_min_separation():
    # two circular coplanar orbits (7000 and 7200 km): one near-Hohmann window per synodic
    # period (2 pi / (n1 - n2) = 1.6 days here), several minima within each; with 1 day
    # separation the listed windows are at least a day apart and the cheapest is kept first
    ep = Time("2024-01-01", scale="utc")
    res = station_transfer_search(
        _circular(7000.0, 0.0, ep),
        _circular(7200.0, 100.0, ep),
        ep + np.arange(0, 6 * 86400, 300) * u.s,
        np.arange(30, 70, 2) * u.min,
        j2=False,
    )
    all_best = res.best(5)
    spaced = res.best(5, min_separation=1 * u.day)
    assert len(res.minima) > len(spaced) >= 2
    assert spaced["dv_total"][0] == all_best["dv_total"][0]
    gaps = np.abs((spaced["departure"][:, None] - spaced["departure"][None, :]).to_value(u.day))
    assert np.all(gaps[~np.eye(len(spaced), dtype=bool)] >= 1.0)
    with pytest.raises(u.UnitTypeError, match="min_separation must have units of time"):
        res.best(2, min_separation=3 * u.km)


def test_search_accepts_tle_objects_and_meets_the_plane_change_bound():
    """orbits.from_tle objects go straight into the search (they name the anomaly
    'mean_anomaly'). Near the October 2024 node alignment the best two-impulse transfer costs
    at least the single-impulse plane change at the inclination difference — TLE columns:
    ISS 51.6381 deg, CSS 41.4681 deg; v = sqrt(mu / a_ISS), mu = 398600.4418 km^3/s^2 —
    and only a few per cent more (the orbits are nearly coplanar and co-altitude there)."""
    import numpy as np
    from astropy import units as u
    from astropy.time import Time

    import orbits
    from orbits.tle import load_tles

    tles = load_tles()
    iss, css = tles["ISS (ZARYA)"], tles["CSS (TIANHE)"]
    deps = Time("2024-10-09") + np.arange(0, 2.5, 1 / 72) * u.day
    res = orbits.station_transfer_search(iss, css, deps, np.linspace(20, 180, 41) * u.min)
    best = res.best(1)["dv_total"][0].to_value(u.km / u.s)
    v = np.sqrt(398600.4418 / iss.a.to_value(u.km))
    bound = 2 * v * np.sin(np.radians(51.6381 - 41.4681) / 2)
    assert bound < best < 1.06 * bound


def test_second_order_station_states_follow_drag_free_sgp4():
    """The search propagates each station by its secular rates. After 150 days, the mean node of
    the Chinese station's propagated states (averaged over a day of orbits) must agree with
    drag-free SGP4 run on the same TLE in this test (python-sgp4, bstar = 0): to 0.02 deg with
    the second-order model, while first-order J2 drifts ~0.2 deg (its node rate is 0.24 %
    slow for this orbit)."""
    import numpy as np
    from sgp4.api import WGS72, Satrec

    from orbits.core import transfers as core
    from orbits.core.constants import J2_EARTH, J4_EARTH, R_EARTH

    lines = (Path(__file__).resolve().parents[2] / "seeds/authorities/stations-2024-05-09.tle")
    lines = lines.read_text().splitlines()
    s0 = Satrec.twoline2rv(lines[4], lines[5], WGS72)  # CSS (TIANHE)
    s = Satrec()
    s.sgp4init(WGS72, "i", s0.satnum, s0.jdsatepoch + s0.jdsatepochF - 2433281.5, 0.0, 0.0, 0.0,
               s0.ecco, s0.argpo, s0.inclo, s0.mo, s0.no_kozai, s0.nodeo)
    t = 150 * 86400.0 + np.arange(0, 86400.0, 120.0)  # s after the TLE epoch
    jd = s0.jdsatepoch + s0.jdsatepochF + t / 86400.0
    err, r, v = s.sgp4_array(jd, np.zeros_like(jd))
    assert not err.any()

    def mean_node(r, v):
        h = np.cross(r, v)
        return np.degrees(np.arctan2(h[:, 0], -h[:, 1])).mean()

    ref = mean_node(r, v)
    el = core.MeanElements(s0.a * R_EARTH, s0.ecco, s0.inclo, s0.nodeo, s0.argpo, s0.mo)
    r2, v2 = core.station_states(el, t, J2=J2_EARTH, R=R_EARTH, J4=J4_EARTH)
    r1, v1 = core.station_states(el, t, J2=J2_EARTH, R=R_EARTH)
    second, first = mean_node(r2, v2), mean_node(r1, v1)
    assert abs(second - ref) < 0.02
    assert abs(first - ref) > 5 * abs(second - ref)


def _previous_grid(dep, arr, t, tof, max_revs):
    # the previous implementation's method, rebuilt here from the plain Lambert solver: every
    # (revolution count, branch) variant of every cell in one broadcast call
    # (orbits.core.lambert.lambert, checked against boinor in test_lambert.py), then the
    # cheapest variant per cell, the first on ties
    from orbits.core.lambert import lambert
    from orbits.core.transfers import station_states

    Ms = [0] + [m for m in range(1, max_revs + 1) for _ in (0, 1)]
    lows = [True] + [b for _ in range(1, max_revs + 1) for b in (True, False)]
    rd, vd = station_states(dep, t)
    ra, va = station_states(arr, t[:, None] + tof[None, :])
    sol = lambert(
        MU, rd[None, :, None, :], ra[None], tof[None, None, :],
        np.array(Ms)[:, None, None], True, np.array(lows)[:, None, None],
    )  # fmt: skip
    d1 = np.linalg.norm(sol.v1 - vd[None, :, None, :], axis=-1)
    d2 = np.linalg.norm(va[None] - sol.v2, axis=-1)
    tot = np.where(sol.ok, d1 + d2, np.inf)
    best = np.argmin(tot, axis=0)
    pick = np.take_along_axis(tot, best[None], 0)[0]
    ok = np.isfinite(pick)
    return ok, np.where(ok, pick, np.nan), np.where(ok, np.array(Ms)[best], -1)


@pytest.mark.parametrize("compiled", [False, True], ids=["numpy", "compiled"])
def test_shared_geometry_grid_equals_per_variant_lambert(compiled):
    # issue 12: the search shares each cell's geometry across the 7 variants of max_revs=3;
    # its cells must equal the plain per-variant Lambert solution (computed in this test),
    # in blocks of one or a few departure rows, on 1 and 2 threads
    from orbits._kernels.lambert_numba import grid_block
    from orbits._kernels.lambert_numba import station_states as compiled_states
    from orbits.core.transfers import MeanElements, transfer_grid

    dep = MeanElements(6790.0, 0.0005, np.radians(51.64), 0.3, 0.2, 0.1)
    arr = MeanElements(6760.0, 0.0008, np.radians(41.47), 2.5, 1.0, 2.0)
    t = np.arange(0.0, 6 * 3600.0, 600.0)
    tof = np.linspace(600.0, 6 * 3600.0, 40)
    ok, dv, revs = _previous_grid(dep, arr, t, tof, 3)
    assert set(np.unique(revs)) == {0, 1, 2, 3}  # every revolution count wins somewhere
    kernel = grid_block if compiled else None
    propagate = compiled_states if compiled else None
    for chunk, threads in ((40, 1), (130, 2), (10**6, 1)):
        g = transfer_grid(
            dep, arr, t, tof, max_revs=3, chunk_size=chunk, threads=threads, kernel=kernel,
            propagate=propagate,
        )  # fmt: skip
        np.testing.assert_array_equal(g.ok, ok)
        np.testing.assert_array_equal(g.revs, revs)
        if compiled:  # numba's libm may differ from numpy's in the last bit
            np.testing.assert_allclose(g.dv, dv, rtol=1e-13)
        else:  # the same arithmetic: bit for bit
            np.testing.assert_array_equal(g.dv, dv)
        np.testing.assert_allclose(g.dv1 + g.dv2, g.dv, rtol=1e-15)


def test_search_block_options_are_checked_and_change_nothing():
    ep = Time("2024-01-01T00:00:00", scale="utc")
    leo = _circular(RE + 400.0, 0.0, ep)
    leo2 = _circular(RE + 450.0, 40.0, ep)
    dep = ep + np.arange(0.0, 3 * 3600.0, 600.0) * u.s
    tof = np.arange(30.0, 200.0, 10.0) * u.min
    ref = station_transfer_search(leo, leo2, dep, tof, max_revs=1, compiled=False)
    other = station_transfer_search(leo, leo2, dep, tof, max_revs=1, chunk_size=17, threads=2)
    np.testing.assert_array_equal(other.revs, ref.revs)
    np.testing.assert_allclose(other.dv_total.to_value(u.km / u.s),
                               ref.dv_total.to_value(u.km / u.s), rtol=1e-13)  # fmt: skip
    for name, bad in (("chunk_size", 0), ("threads", 1.5), ("chunk_size", True)):
        with pytest.raises(ArgumentError, match=f"{name} must be a positive integer"):
            station_transfer_search(leo, leo2, dep, tof, **{name: bad})


def test_compiled_station_states_equal_the_numpy_ones():
    # the compiled propagator the search uses for the arrival station against
    # orbits.core.transfers.station_states (two-body, first-order J2, and J2 + J4), a
    # near-circular LEO and an eccentric orbit, over 30 days
    from orbits._kernels.lambert_numba import station_states as compiled_states
    from orbits.core.transfers import MeanElements, station_states

    t = np.linspace(0.0, 30 * 86400.0, 3000).reshape(30, 100)
    for el in (MeanElements(6760.0, 0.0008, 0.72, 2.5, 1.0, 2.0),
               MeanElements(26000.0, 0.7, 1.1, 0.5, 2.0, 5.0)):  # fmt: skip
        # inputs: Earth J2 = 1.08262668e-3, J4 = -1.62e-6 (Vallado 4th ed., Table D-1)
        for J2, J4 in ((0.0, None), (1.08262668e-3, None), (1.08262668e-3, -1.62e-6)):
            r0, v0 = station_states(el, t, MU, J2, RE, J4)
            r1, v1 = compiled_states(el, t, MU, J2, RE, J4)
            assert r1.shape == r0.shape == (30, 100, 3)
            np.testing.assert_allclose(r1, r0, rtol=0, atol=1e-12 * el.a)
            np.testing.assert_allclose(v1, v0, rtol=0, atol=1e-12 * np.sqrt(MU / el.a))
