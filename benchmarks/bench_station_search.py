"""Benchmark: one-year ISS -> Chinese space station transfer search (station_transfer_search).

Run from the repository root:

    /work/venv/bin/python benchmarks/bench_station_search.py [--days 365] [--max-revs 3]

Grid: departures every 10 min for a year from the TLE epoch (52,560) x 100 times of flight
evenly spaced from 10 min to 6 h, each cell solved for M = 0 and, for M = 1..max_revs, both
multi-revolution branches (7 Lambert problems per cell with max_revs = 3, ~36.8 million in
all), keeping the cheapest. Orbits: the ISS (ZARYA) and CSS (TIANHE) TLEs of
seeds/authorities/stations-2024-05-09.tle as mean elements with secular J2 drift.

Goal: < 30 s wall time on the 2-core machine. Also prints the best windows and the cost of
the plane change when the nodes align, as a physical sanity check.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


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
    args = ap.parse_args(argv)

    import astropy.units as u

    import orbits

    iss, css = tle_orbits()
    dep = iss.epoch + np.arange(0.0, args.days * 86400.0, 600.0) * u.s
    tof = np.linspace(10.0, 360.0, 100) * u.min
    n_var = 1 + 2 * args.max_revs
    print(
        f"{len(dep):,} departures x {len(tof)} tof x {n_var} (M, branch) = "
        f"{len(dep) * len(tof) * n_var:,} Lambert problems; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    t = time.perf_counter()
    res = orbits.station_transfer_search(iss, css, dep, tof, max_revs=args.max_revs)
    elapsed = time.perf_counter() - t
    print(
        f"station_transfer_search: {elapsed:.1f} s wall "
        f"({len(dep) * len(tof) * n_var / elapsed:,.0f} Lambert problems/s incl. propagation); "
        f"solved cells {res.ok.mean():.4f}"
    )
    print(f"goal < 30 s: {'met' if elapsed < 30 else 'NOT met'}")
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
    main()
