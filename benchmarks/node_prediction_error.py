"""Measured error of predicting a station's orbital plane from an element set of a given age.

For every pair of packaged element sets (t0, t1) of the same object with t1 > t0, the plane at
t1 is predicted from the set at t0 and compared with the set at t1, by two models:

``sgp4``
    Full SGP4 (the ``sgp4`` package, ``Satrec.sgp4_array`` over each averaging grid). The
    plane is the unit angular-momentum vector ``r x v`` (TEME) averaged over one orbital
    period centred on t1,
    which removes the twice-per-orbit short-period terms (J2 short-period amplitude in node
    and inclination is a few hundredths of a degree for these orbits). The "truth" is the t1
    set propagated to its own epoch and averaged the same way, so both sides use one method.
``secular``
    The secular J2 + J2^2 + J4 mean-element model of
    :func:`orbits.precession.nodal_precession_rate` (``second_order=True``) at the t0 set's
    mean elements: ``node(t1) = node0 + rate * (t1 - t0)``, inclination constant. The truth
    is the t1 set's mean node and inclination (mean against mean).

Node errors are binned by prediction age (t1 - t0). Statistics: median, 90th percentile and
maximum of the absolute node error, the median signed node error (bias), and the median and
maximum absolute inclination error.

Run from the repository root::

    python benchmarks/node_prediction_error.py           # print the table
    python benchmarks/node_prediction_error.py --write   # also write orbits/data/history/node_error.toml
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HISTORY = ROOT / "orbits" / "data" / "history"
FILES = {"25544": "iss-25544.tle", "48274": "tianhe-48274.tle"}
NAMES = {"25544": "ISS (ZARYA)", "48274": "CSS (TIANHE)"}
#: upper edges of the age bins, days; the first bin starts at 0
BIN_UPPER_DAYS = (1.0, 3.0, 7.0, 14.0, 30.0, 60.0, 120.0, 365.0, 2200.0)
MODELS = ("sgp4", "secular")
SAMPLES_PER_ORBIT = 72
COMMAND = "python benchmarks/node_prediction_error.py --write"


def read_history(path):
    """(name, line1, line2) triples from a 3-line TLE file, in file order."""
    lines = [ln.rstrip("\r\n") for ln in Path(path).read_text().splitlines() if ln.strip()]
    if len(lines) % 3:
        raise ValueError(f"{path}: expected name/line1/line2 triples, got {len(lines)} lines")
    return [(lines[k], lines[k + 1], lines[k + 2]) for k in range(0, len(lines), 3)]


def _wrap(deg):
    return (np.asarray(deg) + 180.0) % 360.0 - 180.0


def averaged_planes(satrecs, jd_centres):
    """One-orbit-averaged (inclination, node) in degrees, TEME, for each (satrec, centre).

    ``satrecs`` and ``jd_centres`` have the same length; element k is satrec k at centre k.
    Returns (inc, node, ok) arrays; ``ok`` is False where SGP4 reported an error at any sample.
    """
    n = len(satrecs)
    inc = np.full(n, np.nan)
    node = np.full(n, np.nan)
    ok = np.zeros(n, dtype=bool)
    frac = np.linspace(-0.5, 0.5, SAMPLES_PER_ORBIT, endpoint=False)
    for k, sat in enumerate(satrecs):
        t = jd_centres[k] + frac * (2.0 * np.pi / sat.no_kozai / 1440.0)
        jd = np.floor(t)
        e, r, v = sat.sgp4_array(jd, t - jd)
        if np.any(e != 0):
            continue
        h = np.cross(r, v)
        h /= np.linalg.norm(h, axis=1)[:, None]
        hm = h.mean(axis=0)
        hm /= np.linalg.norm(hm)
        inc[k] = np.degrees(np.arccos(np.clip(hm[2], -1.0, 1.0)))
        node[k] = np.degrees(np.arctan2(hm[0], -hm[1])) % 360.0
        ok[k] = True
    return inc, node, ok


def load_object(norad):
    """TLE objects (orbits.tle.TLE) and sgp4 Satrecs of one packaged history, sorted by epoch."""
    from sgp4.api import Satrec

    from orbits.tle import TLE

    triples = read_history(HISTORY / FILES[norad])
    tles = [TLE(name, l1, l2) for name, l1, l2 in triples]
    sats = [Satrec.twoline2rv(l1, l2) for _, l1, l2 in triples]
    jd = np.array([s.jdsatepoch + s.jdsatepochF for s in sats])
    order = np.argsort(jd)
    return [tles[k] for k in order], [sats[k] for k in order], jd[order]


def pair_errors(norad):
    """Per-pair prediction errors for one object: dict of arrays (age, model errors)."""
    from astropy import units as u

    from orbits.precession import nodal_precession_rate

    tles, sats, jd = load_object(norad)
    n = len(sats)
    i0, i1 = np.triu_indices(n, k=1)
    age = jd[i1] - jd[i0]

    # SGP4: predicted plane at t1 from set t0, truth = set t1 at its own epoch, same averaging
    own_inc, own_node, own_ok = averaged_planes(sats, jd)
    pred_inc, pred_node, pred_ok = averaged_planes([sats[k] for k in i0], jd[i1])
    ok = pred_ok & own_ok[i1]
    sgp4_dnode = _wrap(pred_node - own_node[i1])
    sgp4_dinc = pred_inc - own_inc[i1]

    # Secular J2 + J2^2 + J4 mean-element model, mean elements on both sides
    mean_inc = np.array([t.inc.to_value(u.deg) for t in tles])
    mean_node = np.array([t.raan.to_value(u.deg) for t in tles])
    rate = np.array([
        nodal_precession_rate(a=t.a, ecc=t.ecc, inc=t.inc, second_order=True).to_value(u.deg / u.day)
        for t in tles
    ])
    sec_dnode = _wrap(mean_node[i0] + rate[i0] * age - mean_node[i1])
    sec_dinc = mean_inc[i0] - mean_inc[i1]
    return {
        "age": age, "ok": ok,
        "sgp4": (sgp4_dnode, sgp4_dinc), "secular": (sec_dnode, sec_dinc),
        "sets": n, "sgp4_failed": int(np.count_nonzero(~ok)),
    }


def bin_stats(age, dnode, dinc, failed_age=None):
    """Rows of statistics per age bin (empty bins: pairs = 0 and no statistics).

    ``failed_age``: ages of pairs the model could not predict (SGP4 decay errors); they are
    counted per bin as ``failed`` and are not in the statistics.
    """
    rows = []
    lower = 0.0
    failed_age = np.asarray([] if failed_age is None else failed_age)
    for upper in BIN_UPPER_DAYS:
        sel = (age > lower) & (age <= upper)
        row = {"lower_days": lower, "upper_days": upper, "pairs": int(np.count_nonzero(sel))}
        row["failed"] = int(np.count_nonzero((failed_age > lower) & (failed_age <= upper)))
        if row["pairs"]:
            a = np.abs(dnode[sel])
            row.update(
                node_median_deg=float(np.median(a)),
                node_p90_deg=float(np.percentile(a, 90)),
                node_max_deg=float(np.max(a)),
                node_bias_deg=float(np.median(dnode[sel])),
                inc_median_deg=float(np.median(np.abs(dinc[sel]))),
                inc_max_deg=float(np.max(np.abs(dinc[sel]))),
                age_median_days=float(np.median(age[sel])),
            )
        rows.append(row)
        lower = upper
    return rows


def measure():
    """All statistics: {(object, model): rows}, plus counts."""
    per = {norad: pair_errors(norad) for norad in FILES}
    table = {}
    for model in MODELS:
        ages, dn, di, bad = [], [], [], []
        for norad, res in per.items():
            ok = res["ok"] if model == "sgp4" else np.ones_like(res["ok"])
            d_node, d_inc = res[model]
            table[(norad, model)] = bin_stats(res["age"][ok], d_node[ok], d_inc[ok],
                                              res["age"][~ok])
            ages.append(res["age"][ok])
            dn.append(d_node[ok])
            di.append(d_inc[ok])
            bad.append(res["age"][~ok])
        table[("all", model)] = bin_stats(np.concatenate(ages), np.concatenate(dn),
                                          np.concatenate(di), np.concatenate(bad))
    return per, table


def _fmt(x):
    return repr(round(float(x), 6))


def to_toml(per, table, measured):
    out = [
        "# Measured error of predicting the orbital plane (node) of the ISS and Tianhe from an",
        "# element set of a given age, against later real element sets of the same object.",
        "# Written by benchmarks/node_prediction_error.py; do not edit by hand.",
        "",
        "[meta]",
        f'measured = "{measured}"',
        f'command = "{COMMAND}"',
        'history = ["orbits/data/history/iss-25544.tle", "orbits/data/history/tianhe-48274.tle"]',
        "bin_upper_days = [" + ", ".join(_fmt(b) for b in BIN_UPPER_DAYS) + "]",
        ('statistic = "absolute node error: median, 90th percentile, max; bias = median signed '
        '(predicted - actual)"'),
        'models = ["sgp4", "secular"]',
        ('sgp4 = "sgp4 package; plane = r x v averaged over one orbit centred on t1, against the '
        't1 set propagated to its own epoch and averaged the same way"'),
        ('secular = "orbits.precession.nodal_precession_rate(second_order=True) (J2 + J2^2 + J4) '
        'at the t0 mean elements, against the t1 mean node"'),
    ]
    for norad, res in per.items():
        n = res["sets"]
        out.append(f"sets_{norad} = {n}")
        out.append(f"pairs_{norad} = {n * (n - 1) // 2}")
        out.append(f"sgp4_failed_pairs_{norad} = {res['sgp4_failed']}")
    for (obj, model), rows in table.items():
        for row in rows:
            out += ["", "[[error]]", f'object = "{obj}"', f'model = "{model}"']
            out += [f"{k} = {row[k]}" if k in ("pairs", "failed") else f"{k} = {_fmt(row[k])}" for k in row]
    return "\n".join(out) + "\n"


def print_table(per, table):
    for norad, res in per.items():
        n = res["sets"]
        print(f"{NAMES[norad]} ({norad}): {n} sets, {n * (n - 1) // 2} pairs, "
              f"{res['sgp4_failed']} SGP4 failures")
    print("\nabsolute node error (deg) by prediction age, both objects "
          "(pairs: predicted by SGP4; fail: SGP4 decayed before t1, secular has them all)")
    print(f"{'age (d)':>12} {'pairs':>5} {'fail':>4} | {'SGP4 med':>8} {'p90':>7} {'max':>7} |"
          f" {'secular med':>11} {'p90':>7} {'max':>7}")
    for rs, rc in zip(table[("all", "sgp4")], table[("all", "secular")]):
        label = f"{rs['lower_days']:g}-{rs['upper_days']:g}"
        if not rs["pairs"]:
            print(f"{label:>12} {0:>5} {rs['failed']:>4} |")
            continue
        print(f"{label:>12} {rs['pairs']:>5} {rs['failed']:>4} | {rs['node_median_deg']:8.3f} {rs['node_p90_deg']:7.3f}"
              f" {rs['node_max_deg']:7.3f} | {rc['node_median_deg']:11.3f} {rc['node_p90_deg']:7.3f}"
              f" {rc['node_max_deg']:7.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="write orbits/data/history/node_error.toml")
    args = parser.parse_args(argv)
    per, table = measure()
    print_table(per, table)
    if args.write:
        measured = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d")
        path = HISTORY / "node_error.toml"
        path.write_text(to_toml(per, table, measured))
        print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
