"""The packaged element-set history of the ISS and Tianhe, and the node-error table from it.

Sources: the raw files in seeds/authorities/tle-history/ (provenance in PROVENANCE.md there),
seeds/authorities/stations-2024-05-09.tle, and the sgp4 package as the independent library.
"""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest
from sgp4.api import Satrec

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "authorities" / "tle-history"
PACKAGED = ROOT / "orbits" / "data" / "history"
FILES = {"iss-25544.tle": ("25544", "ISS (ZARYA)"), "tianhe-48274.tle": ("48274", "CSS (TIANHE)")}

# Acceptance thresholds, justified in seeds/authorities/tle-history/PROVENANCE.md:
INC_TOL_DEG = 0.02  # station planes do not tilt: reboosts change altitude, not inclination
# (a) SGP4 propagation of a neighbour at most SGP4_MAX_GAP_DAYS away predicts the node within
NODE_TOL_DEG = 0.1  # plus NODE_RATE_TOL_DEG_PER_DAY per day between the two sets
NODE_RATE_TOL_DEG_PER_DAY = 0.06  # ~23 km of mean-altitude error at 5 deg/day node regression
SGP4_MAX_GAP_DAYS = 60.0  # beyond, SGP4's drag extrapolation dominates (see node_error.toml)
# (b) at any gap, the node advance between two sets matches SGP4's secular node rate
# (Satrec.nodedot) averaged over both ends within NODE_TOL_DEG plus this per day:
TWO_END_RATE_TOL_DEG_PER_DAY = 0.02  # a ~15 km altitude step at one end of the interval


def _checksum(line):
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


def _triples(path):
    lines = path.read_text().splitlines()
    assert len(lines) % 3 == 0, f"{path.name}: not name/line1/line2 triples"
    return [tuple(lines[k:k + 3]) for k in range(0, len(lines), 3)]


def _satrecs(name):
    return [Satrec.twoline2rv(l1, l2) for _, l1, l2 in _triples(SEEDS / name)]


def _jd(sat):
    return sat.jdsatepoch + sat.jdsatepochF


def _plane(sat, jd_centre):
    """Angular-momentum direction averaged over one orbit centred on jd_centre: (inc, node) deg."""
    period = 2.0 * np.pi / sat.no_kozai / 1440.0
    t = jd_centre + np.linspace(-0.5, 0.5, 72, endpoint=False) * period
    err, r, v = sat.sgp4_array(np.floor(t), t - np.floor(t))
    assert not np.any(err), f"sgp4 error codes {set(err.tolist())}"
    h = np.cross(r, v)
    h = (h / np.linalg.norm(h, axis=1)[:, None]).mean(axis=0)
    h /= np.linalg.norm(h)
    return np.degrees(np.arccos(h[2])), np.degrees(np.arctan2(h[0], -h[1])) % 360.0


@pytest.mark.parametrize("name", sorted(FILES))
def test_lines_pass_checksums_and_name_the_object(name):
    norad, object_name = FILES[name]
    triples = _triples(SEEDS / name)
    assert len(triples) >= 20
    for title, l1, l2 in triples:
        assert title == object_name
        assert len(l1) == 69 and len(l2) == 69, (l1, l2)
        assert l1.startswith("1 ") and l2.startswith("2 ")
        assert int(l1[68]) == _checksum(l1), l1
        assert int(l2[68]) == _checksum(l2), l2
        assert l1[2:7] == norad and l2[2:7] == norad, (l1, l2)


def test_a_mistyped_line_fails_the_checksum():
    # the checksum rule above is not vacuous: one changed digit of a real line breaks it
    _, l1, _ = _triples(SEEDS / "iss-25544.tle")[0]
    bad = l1[:20] + str((int(l1[20]) + 1) % 10) + l1[21:]
    assert int(bad[68]) != _checksum(bad)


@pytest.mark.parametrize("name", sorted(FILES))
def test_packaged_copies_are_byte_identical_to_the_seeds(name):
    assert (PACKAGED / name).read_bytes() == (SEEDS / name).read_bytes()


@pytest.mark.parametrize("name", sorted(FILES))
def test_epochs_are_sorted_unique_and_span_2021_to_2026(name):
    jd = np.array([_jd(s) for s in _satrecs(name)])
    assert np.all(np.diff(jd) > 0)
    # JD 2459215.5 = 2021-01-01, 2461041.5 = 2026-01-01 (USNO Julian date converter)
    assert jd[0] < 2459215.5 + 365 and jd[-1] > 2461041.5


def test_history_includes_the_2024_05_09_reference_sets():
    # seeds/authorities/stations-2024-05-09.tle holds the ISS and Tianhe sets of that day
    ref = (ROOT / "seeds" / "authorities" / "stations-2024-05-09.tle").read_text().splitlines()
    for name, (norad, _) in FILES.items():
        k = next(i for i, line in enumerate(ref) if line.startswith(f"1 {norad}U"))
        triples = _triples(SEEDS / name)
        assert (ref[k], ref[k + 1]) in [(l1, l2) for _, l1, l2 in triples]


def _wrap(deg):
    return abs((deg + 180.0) % 360.0 - 180.0)


def _two_end_node_residual(s0, s1):
    """|node1 - node0 - mean(SGP4 secular node rate of both sets) * gap|, degrees."""
    gap_min = (_jd(s1) - _jd(s0)) * 1440.0
    advance = 0.5 * (s0.nodedot + s1.nodedot) * gap_min
    return _wrap(np.degrees(s1.nodeo - s0.nodeo - advance))


def _pair_checks(s0, s1, own0, own1):
    """Failures (list of str) of the acceptance rules for two sets of one object, s0 first."""
    gap = _jd(s1) - _jd(s0)
    failures = []
    for x, y, own in ((s0, s1, own1), (s1, s0, own0)):
        inc, node = _plane(x, _jd(y))
        if abs(inc - own[0]) > INC_TOL_DEG:
            failures.append(f"inclination off by {abs(inc - own[0]):.4f} deg")
        if gap <= SGP4_MAX_GAP_DAYS:
            bound = NODE_TOL_DEG + NODE_RATE_TOL_DEG_PER_DAY * gap
            if _wrap(node - own[1]) > bound:
                failures.append(f"SGP4 node off by {_wrap(node - own[1]):.3f} > {bound:.3f} deg")
    residual = _two_end_node_residual(s0, s1)
    if residual > NODE_TOL_DEG + TWO_END_RATE_TOL_DEG_PER_DAY * gap:
        failures.append(f"two-end node residual {residual:.3f} deg over {gap:.1f} d")
    return failures


@pytest.mark.parametrize("name", sorted(FILES))
def test_neighbouring_sets_predict_each_other_under_sgp4(name):
    sats = _satrecs(name)
    own = [_plane(s, _jd(s)) for s in sats]
    for a in range(len(sats) - 1):
        assert _pair_checks(sats[a], sats[a + 1], own[a], own[a + 1]) == [], (a, name)
    # the tolerances are not loose to the point of meaning nothing: real pairs use part of them
    short = [(a, _jd(sats[a + 1]) - _jd(sats[a])) for a in range(len(sats) - 1)]
    rates = [_two_end_node_residual(sats[a], sats[a + 1]) / gap for a, gap in short if gap > 14]
    assert 0.002 < max(rates) < TWO_END_RATE_TOL_DEG_PER_DAY


def test_a_fabricated_node_is_rejected_by_the_consistency_rules():
    # a real 2024-10-06 ISS set with its node moved by 30 deg (a typical fabricated "example")
    triples = _triples(SEEDS / "iss-25544.tle")
    k = next(i for i, (_, l1, _) in enumerate(triples) if "24280.38292282" in l1)
    _, l1, l2 = triples[k]
    node = (float(l2[17:25]) + 30.0) % 360.0
    body = l2[:17] + f"{node:8.4f}" + l2[25:68]
    fake = Satrec.twoline2rv(l1, body + str(_checksum(body)))
    real = Satrec.twoline2rv(l1, l2)
    neighbour = Satrec.twoline2rv(*triples[k + 1][1:])
    own_n = _plane(neighbour, _jd(neighbour))
    assert _pair_checks(real, neighbour, _plane(real, _jd(real)), own_n) == []
    failures = _pair_checks(fake, neighbour, _plane(fake, _jd(fake)), own_n)
    assert any("SGP4 node" in f for f in failures) and any("two-end" in f for f in failures)


def _table():
    with open(PACKAGED / "node_error.toml", "rb") as f:
        return tomllib.load(f)


def test_node_error_table_parses_with_increasing_bins():
    table = _table()
    edges = table["meta"]["bin_upper_days"]
    assert all(b > a for a, b in itertools.pairwise(edges))
    assert table["meta"]["command"].startswith("python benchmarks/node_prediction_error.py")
    for obj in ("all", "25544", "48274"):
        for model in table["meta"]["models"]:
            rows = [r for r in table["error"] if r["object"] == obj and r["model"] == model]
            assert [r["upper_days"] for r in rows] == edges
            assert [r["lower_days"] for r in rows] == [0.0] + edges[:-1]
            for r in rows:
                if r["pairs"]:
                    assert r["node_median_deg"] <= r["node_p90_deg"] <= r["node_max_deg"]
                else:
                    assert "node_median_deg" not in r


@pytest.mark.parametrize("name", sorted(FILES))
def test_node_error_table_counts_every_pair_of_the_packaged_history(name):
    norad, _ = FILES[name]
    n = len(_triples(PACKAGED / name))
    table = _table()
    assert table["meta"][f"sets_{norad}"] == n
    for model in table["meta"]["models"]:
        rows = [r for r in table["error"] if r["object"] == norad and r["model"] == model]
        assert sum(r["pairs"] + r["failed"] for r in rows) == n * (n - 1) // 2


def test_node_error_table_short_ages_match_an_independent_sgp4_computation():
    # recompute the SGP4 node error of every ISS pair 3-14 days apart directly with sgp4
    sats = _satrecs("iss-25544.tle")
    errors = []
    for a in range(len(sats)):
        for b in range(a + 1, len(sats)):
            age = _jd(sats[b]) - _jd(sats[a])
            if 7.0 < age <= 14.0:
                _, pred = _plane(sats[a], _jd(sats[b]))
                _, true = _plane(sats[b], _jd(sats[b]))
                errors.append(abs((pred - true + 180.0) % 360.0 - 180.0))
    row = next(r for r in _table()["error"]
               if r["object"] == "25544" and r["model"] == "sgp4" and r["upper_days"] == 14.0)
    assert row["pairs"] == len(errors) > 0
    assert row["node_max_deg"] == pytest.approx(max(errors), abs=1e-5)
    assert row["node_median_deg"] == pytest.approx(float(np.median(errors)), abs=1e-5)
