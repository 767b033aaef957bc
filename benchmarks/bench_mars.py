"""Benchmark: the Earth-Mars porkchop against boinor's Izzo called per cell, side by side.

Run from the repository root:

    PYTHONPATH=. python benchmarks/bench_mars.py [--rounds 5] [--sample 3000]

On the 2020 window grid (121 departures from 2020-06-01 x 270 arrivals every 2 days from
2020-08-20, times of flight 80-500 d) it times, interleaved in each round:
* ``orbits.mars.mars_porkchop`` end to end (DE421 states, Lambert, C3, v-inf, burns, result);
* ``orbits.core.interplanetary.transfer_grid`` on the same states (the vectorised Lambert);
* boinor's numba ``boinor.core.iod.izzo`` (warmed up) called per solved cell on the same
  states, on ``sample`` random solved cells, scaled to all solved cells;
and once the 2026-2040 window calendar (``orbits.mars.mars_windows``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np


def _seconds(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sample", type=int, default=3000)
    args = ap.parse_args(argv)

    from astropy import units as u
    from astropy.time import Time
    from boinor.core.iod import izzo

    import orbits.core.interplanetary as ip
    from orbits.core.constants import GM_SUN
    from orbits.mars import _states, mars_porkchop

    deps = Time("2020-06-01", scale="utc") + np.arange(121) * u.day
    arrs = Time("2020-08-20", scale="utc") + np.arange(270) * 2 * u.day
    se, td = _states(deps, "de421", "departures")
    sm, ta = _states(arrs, "de421", "arrivals")
    re, ve = se["earth"][:2]
    rm, vm = sm["mars"][:2]
    day = 86400.0

    def core():
        return ip.transfer_grid(GM_SUN, re, ve, td, rm, vm, ta, tof_min=80 * day,
                                tof_max=500 * day, collinear_guard=np.radians(0.5))

    g = core()
    ok = np.argwhere(g.status == 0)
    rng = np.random.default_rng(0)
    pick = ok[rng.choice(len(ok), size=min(args.sample, len(ok)), replace=False)]
    izzo(GM_SUN, re[0], rm[100], float(ta[100] - td[0]), 0, True, True, 35, 1e-8)  # compile

    def boinor_loop():
        for i, j in pick:
            izzo(GM_SUN, re[i], rm[j], float(ta[j] - td[i]), 0, True, True, 35, 1e-8)

    times = {"mars_porkchop end to end": [], "transfer_grid (core)": [],
             "boinor izzo per cell (scaled)": []}
    ratios = []
    for _ in range(args.rounds):
        a = _seconds(lambda: mars_porkchop(deps, arrs))
        b = _seconds(core)
        c = _seconds(boinor_loop) * len(ok) / len(pick)
        times["mars_porkchop end to end"].append(a)
        times["transfer_grid (core)"].append(b)
        times["boinor izzo per cell (scaled)"].append(c)
        ratios.append(c / b)
    print(f"{len(deps)} x {len(arrs)} grid, {len(ok):,} cells solved; {args.rounds} rounds; "
          f"load average {os.getloadavg()[0]:.2f}")
    print("| what | median |\n| --- | --- |")
    for k, v in times.items():
        print(f"| {k} | {statistics.median(v) * 1e3:.0f} ms |")
    print(f"boinor loop / core grid: median {statistics.median(ratios):.1f}x, per round "
          + ", ".join(f"{r:.1f}" for r in ratios))

    from orbits.mars import mars_windows

    print(f"mars_windows 2026-2040: "
          f"{_seconds(lambda: mars_windows('2026-01-01', '2040-12-31')):.1f} s")


if __name__ == "__main__":
    main()
