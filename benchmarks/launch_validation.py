"""Predicted vs real launch times of 48 flights to the ISS and the Chinese space station.

For every flight of ``seeds/authorities/launches/launches-2021-2025.toml``:

- the station's element set nearest before the launch, from the real element-set history
  (``missions.launch_timing.TLE_HISTORY_DIR``); the in-plane instant from the flight's pad
  (not the catalog's site point) with :func:`orbits.launch_windows` (J2 + J2^2 + J4 node rate);
- the predicted launch time from the ascent and phasing model (:func:`orbits.ascent.launch_time`,
  parameters from ``orbits/data/launch_profiles.toml``);
- the same with the station plane interpolated between the sets before and after the launch
  ("bracketed" plane), which separates the launch model's error from the element sets' age;
- an empirical per-vehicle timing bias, fitted and scored out of sample (leave-one-out, and
  fit on 2021-2023 / test on 2024-2025).

Run:  python benchmarks/launch_validation.py [--write VALIDATION.md]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.time import Time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orbits
from missions import launch_timing as lt

AUTH = ROOT / "seeds" / "authorities" / "launches"
GOAL = 2.0  # minutes
FRESH = 30.0  # days: "fresh" element sets


def flights():
    data = tomllib.loads((AUTH / "launches-2021-2025.toml").read_text(encoding="utf-8"))
    return data["flight"]


def utc(dt) -> Time:
    return Time(dt.replace(tzinfo=None), scale="utc")


def _rate(tle):
    return orbits.nodal_precession_rate(tle.a, tle.ecc, tle.inc, second_order=True)


def plane_before(hist, when):
    """Elements of the set nearest before ``when`` (the earliest set if none is), its age."""
    tle = lt.nearest_before(hist, when)
    return tle, float((when - tle.epoch).jd)


def plane_bracketed(hist, when):
    """Plane interpolated between the sets before and after ``when``: the node rate that
    carries the earlier node onto the later one (whole turns from the J2 rate), inclination
    linear in time. Returns (elements mapping, span in days), or None if not bracketed."""
    jd = when.utc.jd
    before = [t for t in hist if t.epoch.utc.jd <= jd]
    after = [t for t in hist if t.epoch.utc.jd > jd]
    if not before or not after:
        return None
    b, a = before[-1], after[0]
    span = float((a.epoch - b.epoch).jd)
    r_mean = 0.5 * (_rate(b) + _rate(a)).to_value(u.deg / u.day)
    pred = b.raan.to_value(u.deg) + r_mean * span
    turns = np.round((pred - a.raan.to_value(u.deg)) / 360.0)
    r_eff = (a.raan.to_value(u.deg) + 360.0 * turns - b.raan.to_value(u.deg)) / span
    x = float((when - b.epoch).jd) / span
    el = {"name": b.name, "a": b.a, "ecc": b.ecc, "inc": b.inc * (1 - x) + a.inc * x,
          "raan": b.raan, "epoch": b.epoch, "raan_rate": r_eff * u.deg / u.day,
          "source": f"sets of {b.epoch.isot[:10]} and {a.epoch.isot[:10]}"}
    return el, span


def predict(f, elements):
    """(in-plane time, physical launch time without bias) for flight ``f``, through
    :func:`missions.launch_timing.predict_launches`: the window nearest the real launch."""
    when = utc(f["launch_utc"])
    res = lt.predict_launches(f["pad"], f["station"], vehicle=f["vehicle"], profile=f["profile"],
                              start=when - 0.5 * u.day, days=1.0, elements=elements,
                              bias=0 * u.s)
    times = Time(res.time)
    k = int(np.argmin(np.abs((times - when).jd)))
    return times[k], Time(res.launch_time)[k]


def run():
    hists = {"ISS": lt.station_history("ISS"), "CSS": lt.station_history("CSS")}
    rows = []
    for f in flights():
        when = utc(f["launch_utc"])
        hist = hists[f["station"]]
        tle, age = plane_before(hist, when)
        t_in, t_pred = predict(f, tle)
        row = {
            "name": f["name"], "station": f["station"], "vehicle": f["vehicle"],
            "profile": f["profile"], "pad": f["pad"], "year": int(when.utc.isot[:4]),
            "actual": when, "precision": f["precision"], "source": f["sources"][0],
            "age": age,
            "group": lt.timing_bias(lt.vehicle_parameters(f["vehicle"]), when)[0],
            "before_inplane": float((when - t_in).to_value(u.min)),
            "before_model": float((t_pred - when).to_value(u.min)),
        }
        br = plane_bracketed(hist, when)
        if br is not None:
            t_in2, t_pred2 = predict(f, br[0])
            row["gap"] = br[1]
            row["bracket_inplane"] = float((when - t_in2).to_value(u.min))
            row["bracket_model"] = float((t_pred2 - when).to_value(u.min))
        else:
            row["gap"] = np.nan
            row["bracket_inplane"] = row["before_inplane"]
            row["bracket_model"] = row["before_model"]
        rows.append(row)
    return rows


def fitted_bias(rows, key, train):
    """Per-vehicle mean of (actual - predicted) over the training rows, minutes."""
    out = {}
    for v in {r["group"] for r in rows}:
        vals = [-r[key] for r in train if r["group"] == v]
        out[v] = float(np.mean(vals)) if vals else 0.0
    return out


def out_of_sample(rows, key):
    """Errors (pred + bias - actual, minutes) under leave-one-out and a 2021-23 / 2024-25 split."""
    loo = []
    for i, r in enumerate(rows):
        b = fitted_bias(rows, key, [x for j, x in enumerate(rows) if j != i])
        loo.append(r[key] + b[r["group"]])
    train = [r for r in rows if r["year"] <= 2023]
    b_split = fitted_bias(rows, key, train)
    split = {r["name"]: r[key] + b_split[r["group"]] for r in rows if r["year"] >= 2024}
    return np.array(loo), split, b_split, fitted_bias(rows, key, rows)


def share(errs, tol=GOAL):
    e = np.abs(np.asarray(list(errs), dtype=float))
    return int(np.sum(e <= tol)), len(e)


def stats(vals):
    v = np.asarray(vals, dtype=float)
    return f"{np.mean(v):+.2f} / {np.std(v):.2f} / {np.max(np.abs(v)):.2f}"


def scores(rows) -> dict:
    """Headline scores: name -> (within 2 min, flights)."""
    loo_b, split_b, _, _ = out_of_sample(rows, "before_model")
    loo_k, split_k, _, _ = out_of_sample(rows, "bracket_model")
    return {
        "in-plane instant as the launch time (elements before)":
            share(-r["before_inplane"] for r in rows),
        "in-plane instant as the launch time (bracketed plane)":
            share(-r["bracket_inplane"] for r in rows),
        "physical model, no fitted parameter (elements before)":
            share(r["before_model"] for r in rows),
        "physical model, no fitted parameter (bracketed plane)":
            share(r["bracket_model"] for r in rows),
        "model + timing bias, leave-one-out (elements before)": share(loo_b),
        "model + timing bias, leave-one-out (bracketed plane)": share(loo_k),
        f"model + timing bias, leave-one-out (elements before, at most {FRESH:.0f} d old)":
            share(e for e, r in zip(loo_b, rows) if 0 <= r["age"] <= FRESH),
        "model + timing bias fitted 2021-23, tested 2024-25 (elements before)":
            share(split_b.values()),
        "model + timing bias fitted 2021-23, tested 2024-25 (bracketed plane)":
            share(split_k.values()),
    }


def report(rows) -> str:
    lines = []
    add = lines.append
    loo_k, _, bsplit_k, ball_k = out_of_sample(rows, "bracket_model")
    n = len(rows)
    n = len(rows)
    add("## Scores: flights predicted within 2 minutes of the real launch time\n")
    add("| prediction | within 2 min | share |")
    add("| --- | --- | --- |")
    for k, (a, m) in scores(rows).items():
        add(f"| {k} | {a} / {m} | {100 * a / m:.0f} % |")
    add("")
    add("## Per station, vehicle and profile (minutes; mean / std / max |error|)\n")
    add("Errors are predicted minus actual; for the in-plane columns the in-plane instant is "
        "the prediction.\n")
    add("| station | vehicle (timing group) | profile | n | in-plane, before | model, before | in-plane, "
        "bracketed | model, bracketed | bias-LOO, bracketed |")
    add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    groups = {}
    for i, r in enumerate(rows):
        groups.setdefault((r["station"], r["group"], r["profile"]), []).append(i)
    for (st, v, p), idx in sorted(groups.items()):
        g = [rows[i] for i in idx]
        add(f"| {st} | {v} | {p} | {len(g)} | {stats([-r['before_inplane'] for r in g])} | "
            f"{stats([r['before_model'] for r in g])} | "
            f"{stats([-r['bracket_inplane'] for r in g])} | "
            f"{stats([r['bracket_model'] for r in g])} | {stats(loo_k[idx])} |")
    add("")
    add("Fitted timing bias per vehicle (timing group), added to the physical prediction, "
        "seconds: on all flights with the bracketed plane (the values packaged in "
        "`orbits/data/launch_profiles.toml`): "
        + ", ".join(f"{k} {60 * v:+.0f} s" for k, v in sorted(ball_k.items()))
        + "; fitted on 2021-2023 only: "
        + ", ".join(f"{k} {60 * v:+.0f} s" for k, v in sorted(bsplit_k.items())) + ".\n")
    add("## Per flight (minutes; predicted minus actual)\n")
    add("| flight | station | vehicle | profile | launch UTC (source) | precision | element age d "
        "| in-plane, before | model, before | in-plane, bracketed | model, bracketed | "
        "bias-LOO, bracketed |")
    add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for i, r in enumerate(rows):
        add(f"| {r['name']} | {r['station']} | {r['vehicle']} | {r['profile']} | "
            f"{r['actual'].utc.isot[:23]} (`{r['source']}`) | {r['precision']} | {r['age']:.1f} | "
            f"{-r['before_inplane']:+.2f} | {r['before_model']:+.2f} | "
            f"{-r['bracket_inplane']:+.2f} | {r['bracket_model']:+.2f} | {loo_k[i]:+.2f} |")
    add("")
    add(f"{n} flights. Negative age: no set before the launch (the first Tianhe set in the "
        "history is of 2021-08-05), the nearest later set is used.")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", help="write the tables into this Markdown file between markers")
    args = ap.parse_args(argv)
    rows = run()
    text = report(rows)
    print(text)
    if args.write:
        path = Path(args.write)
        start, end = "<!-- BEGIN GENERATED -->", "<!-- END GENERATED -->"
        old = path.read_text(encoding="utf-8") if path.exists() else f"{start}\n{end}\n"
        head, rest = old.split(start, 1)
        tail = rest.split(end, 1)[1]
        path.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
