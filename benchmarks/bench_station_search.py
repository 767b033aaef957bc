"""Benchmark: one-year ISS -> Chinese space station transfer search (station_transfer_search).

Run from the repository root:

    /work/venv/bin/python benchmarks/bench_station_search.py [--days 365] [--max-revs 3]

Grid: departures every 10 min for a year from the TLE epoch (52,560) x 100 times of flight
evenly spaced from 10 min to 6 h, each cell solved for M = 0 and, for M = 1..max_revs, both
multi-revolution branches (7 Lambert problems per cell with max_revs = 3, ~36.8 million in
all), keeping the cheapest. Orbits: the ISS (ZARYA) and CSS (TIANHE) TLEs of
seeds/authorities/stations-2024-05-09.tle as mean elements with secular J2 drift.

Goal (issue 12): < 8 s wall time on the 2-core machine and < 500 MB peak memory. Also prints
the best windows as a physical sanity check.

``--before-days D`` (default 10) first times, side by side in interleaved rounds, the previous
implementation (``orbits/core`` of commit ``BEFORE``, loaded from git into a temporary package:
one Lambert call per chunk over all 7 revolution/branch variants, geometry recomputed per
variant) against the current one (compiled kernel, and numpy) on the first D days, checks that
they give the same cells, and reports the speed-up; then runs the whole span once.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

#: the commit before issue 12's changes to the station search (its orbits/core is "before")
BEFORE = "e52c0ce"
ROOT = Path(__file__).resolve().parent.parent


def load_before_core():
    """The previous ``orbits.core`` as a package ``before_core`` extracted from git."""
    tmp = Path(tempfile.mkdtemp(prefix="before_core_"))
    pkg = tmp / "before_core"
    pkg.mkdir()
    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{BEFORE}:orbits/core"],
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    for name in names:
        if name.endswith(".py"):
            text = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{BEFORE}:orbits/core/{name}"],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            (pkg / name).write_text(text)
    sys.path.insert(0, str(tmp))
    return importlib.import_module("before_core.transfers")


def _peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def tle_orbits():
    """The two stations as the toolkit loads them (orbits.tle, the embedded 2024-05-09 TLEs)."""
    from orbits.tle import load_tles

    tles = load_tles()
    return tles["ISS (ZARYA)"], tles["CSS (TIANHE)"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=float, default=365.0)
    ap.add_argument("--max-revs", type=int, default=3)
    ap.add_argument("--plot", type=str, default="", help="save the porkchop figure to this file")
    ap.add_argument("--before-days", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)

    import astropy.units as u

    import orbits
    import orbits.transfers as tr

    iss, css = tle_orbits()
    tof = np.linspace(10.0, 360.0, 100) * u.min
    if args.before_days > 0:
        before = load_before_core()
        current = tr._core.transfer_grid

        def before_grid(*a, chunk_size=None, threads=None, kernel=None, propagate=None, **kw):
            return before.transfer_grid(*a, **kw)

        dep_b = iss.epoch + np.arange(0.0, args.before_days * 86400.0, 600.0) * u.s
        orbits.station_transfer_search(iss, css, dep_b[:3], tof, max_revs=args.max_revs)
        times = {"before": [], "after (compiled)": [], "after (numpy)": []}
        res = {}
        for rnd in range(args.rounds):
            for name in times:
                tr._core.transfer_grid = before_grid if name == "before" else current
                t = time.perf_counter()
                res[name] = orbits.station_transfer_search(
                    iss, css, dep_b, tof, max_revs=args.max_revs,
                    compiled=name == "after (compiled)",
                )  # fmt: skip
                times[name].append(time.perf_counter() - t)
        tr._core.transfer_grid = current
        print(
            f"before/after on {args.before_days:g} days ({len(dep_b):,} x {len(tof)} cells), "
            f"{args.rounds} interleaved rounds, load average {os.getloadavg()[0]:.2f}:"
        )
        for name, ts in times.items():
            ratio = [b / t for b, t in zip(times["before"], ts)]
            print(
                f"  {name}: median {np.median(ts):.2f} s; speed-up over before per round "
                f"{', '.join(f'{x:.2f}' for x in ratio)}"
            )
        ref = res["before"]
        for name in ("after (compiled)", "after (numpy)"):
            r = res[name]
            same = np.array_equal(r.ok, ref.ok) and np.array_equal(r.revs, ref.revs)
            same = same and np.array_equal(r.lowpath, ref.lowpath)
            d = np.nanmax(np.abs(r.dv_total - ref.dv_total) / ref.dv_total).value
            exact = np.array_equal(r.dv_total.value, ref.dv_total.value, equal_nan=True)
            print(
                f"  {name} vs before: ok/revs/branch identical: {same}; dv identical: {exact} "
                f"(max relative difference {d:.1e})"
            )

    dep = iss.epoch + np.arange(0.0, args.days * 86400.0, 600.0) * u.s
    n_var = 1 + 2 * args.max_revs
    print(
        f"{len(dep):,} departures x {len(tof)} tof x {n_var} (M, branch) = "
        f"{len(dep) * len(tof) * n_var:,} Lambert problems; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    _reset_peak()
    rss0 = _peak_rss_mb()
    t = time.perf_counter()
    c = time.process_time()
    res = orbits.station_transfer_search(iss, css, dep, tof, max_revs=args.max_revs)
    elapsed = time.perf_counter() - t
    cpu = time.process_time() - c
    peak = _peak_rss_mb()
    print(
        f"station_transfer_search: {elapsed:.1f} s wall "
        f"({len(dep) * len(tof) * n_var / elapsed:,.0f} Lambert problems/s incl. propagation); "
        f"solved cells {res.ok.mean():.4f}"
    )
    print(
        f"CPU time {cpu:.1f} s ({cpu / elapsed:.2f} cores busy on average); load average now "
        f"{os.getloadavg()[0]:.2f}; peak RSS of the process {peak:.0f} MB "
        f"({peak - rss0:+.0f} MB during the search)"
    )
    print(f"goal < 8 s: {'met' if elapsed < 8 else 'NOT met'}; "
          f"goal < 500 MB: {'met' if peak < 500 else 'NOT met'}")  # fmt: skip
    for label, sep in (
        ("best 5 windows", None),
        ("best 5 windows at least 3 days apart", 3 * u.day),
    ):
        best = res.best(5, min_separation=sep)  # a TransferWindows result
        print(label)
        print(best.to_text())
    if args.plot:
        from orbits.plots.porkchop import porkchop_figure

        fig = porkchop_figure(
            res,
            min_separation=3 * u.day,
            title="ISS to CSS, one year from 2024-05-09",
            source="CelesTrak TLEs 2024-05-09; Lambert (Izzo 2015) + secular J2",
        )
        fig.savefig(args.plot)
        print(f"figure saved to {args.plot}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # the repository's orbits, not an installed copy
    main()
