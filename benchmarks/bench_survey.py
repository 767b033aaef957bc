"""Benchmark: chunked surveys on a dask.distributed LocalCluster, 2 workers against 1.

Run from the repository root:

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_survey.py [--rounds 3] [--departures 240]

Measures, in one run, in interleaved rounds (medians and per-round ratios):

* a lunar porkchop of ``departures`` departures (every 2 h from 2025-03-01) x 25 times of flight
  (3-6 d) at a 19.6 deg parking orbit (half the cells out of plane, the costly case), split into
  8 chunks by :func:`orbits.distributed.chunked_lunar_porkchop`:
  - in this process, one call (no Dask);
  - a LocalCluster of 1 worker process (1 thread), and of 2 worker processes (1 thread each);
  the speed-up is the 1-worker time over the 2-worker time. Each run is checked identical to
  the single call.
* scheduler overhead per chunk: ``tasks`` empty tasks through :func:`orbits.distributed.run_tasks`
  on the 2-worker cluster and on dask's local threads, divided by the number of tasks; and the
  same porkchop in 8 and in 64 chunks (the extra time over the 56 extra chunks).

Speed on this shared 2-core machine depends on the other processes; the ratios of one run are
what counts.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import statistics
import time

import numpy as np


def _noop():
    return None


def _time(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--departures", type=int, default=240)
    ap.add_argument("--tasks", type=int, default=200)
    args = ap.parse_args(argv)

    import astropy.units as u
    import dask
    import distributed
    from astropy.time import Time
    from distributed import Client, LocalCluster

    import orbits
    from orbits import distributed as D

    print(f"python {platform.python_version()}, numpy {np.__version__}, dask {dask.__version__}, "
          f"distributed {distributed.__version__}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.2f}")
    n = args.departures
    dep = Time("2025-03-01T00:00:00", scale="utc") + np.arange(n) * 2 * u.h
    tofs = np.linspace(3.0, 6.0, 25) * u.day
    kw = {"parking_inclination": 19.6 * u.deg}
    chunk8 = -(-n // 8)
    chunk64 = -(-n // 64)

    ref = orbits.lunar_porkchop(dep, tofs, **kw)  # warm-up (kernel) and the reference

    def same(res):
        ok = all(np.array_equal(np.asarray(getattr(ref, f)), np.asarray(getattr(res, f)),
                                equal_nan=True) for f in ("tli_dv", "loi_dv", "total_dv", "ok"))
        return ok and res.to_dict() == ref.to_dict()

    clusters = {}
    for workers in (1, 2):
        lc = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                          dashboard_address=None, silence_logs=40)
        client = Client(lc, set_as_default=False)
        # warm-up: imports and the DE421 kernel in every worker
        D.chunked_lunar_porkchop(dep[: 2 * workers], tofs, chunks=1, scheduler=client, **kw)
        clusters[workers] = (lc, client)

    rows = {"single call": [], "1 worker, 8 chunks": [], "2 workers, 8 chunks": [],
            "2 workers, 64 chunks": [], "noop tasks, 2 workers": [], "noop tasks, threads": []}
    identical = True
    for _ in range(args.rounds):
        t, _res = _time(lambda: orbits.lunar_porkchop(dep, tofs, **kw))
        rows["single call"].append(t)
        for workers in (1, 2):
            client = clusters[workers][1]
            t, res = _time(lambda: D.chunked_lunar_porkchop(dep, tofs, chunks=chunk8,
                                                            scheduler=client, **kw))
            rows[f"{workers} worker{'s' if workers > 1 else ''}, 8 chunks"].append(t)
            identical &= same(res)
        client = clusters[2][1]
        t, res = _time(lambda: D.chunked_lunar_porkchop(dep, tofs, chunks=chunk64,
                                                        scheduler=client, **kw))
        rows["2 workers, 64 chunks"].append(t)
        identical &= same(res)
        calls = [functools.partial(_noop) for _ in range(args.tasks)]
        t, _ = _time(lambda: D.run_tasks(calls, scheduler=client))
        rows["noop tasks, 2 workers"].append(t)
        t, _ = _time(lambda: D.run_tasks(calls, scheduler="threads"))
        rows["noop tasks, threads"].append(t)

    for lc, client in clusters.values():
        client.close()
        lc.close()

    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"\nlunar porkchop {n} x {len(tofs)} = {n * len(tofs):,} cells, 19.6 deg parking orbit; "
          f"{args.rounds} interleaved rounds; all chunked runs identical to the single call: "
          f"{identical}\n")
    print("| run | median s | rounds (s) |")
    print("|---|---:|---|")
    for k, v in rows.items():
        print(f"| {k} | {med[k]:.3f} | {', '.join(f'{x:.3f}' for x in v)} |")
    speed = [a / b for a, b in zip(rows["1 worker, 8 chunks"], rows["2 workers, 8 chunks"])]
    vs_single = [a / b for a, b in zip(rows["single call"], rows["2 workers, 8 chunks"])]
    per_task_cluster = [t / args.tasks * 1e3 for t in rows["noop tasks, 2 workers"]]
    per_task_threads = [t / args.tasks * 1e3 for t in rows["noop tasks, threads"]]
    extra = [(b - a) / 56 * 1e3 for a, b in zip(rows["2 workers, 8 chunks"],
                                                rows["2 workers, 64 chunks"])]
    print()
    print(f"speed-up, 2 workers over 1 (8 chunks): median {statistics.median(speed):.2f}x, "
          f"per round {', '.join(f'{x:.2f}' for x in speed)}")
    print(f"2 workers over the single in-process call: median "
          f"{statistics.median(vs_single):.2f}x, per round "
          f"{', '.join(f'{x:.2f}' for x in vs_single)}")
    print(f"scheduler overhead per empty task: cluster {statistics.median(per_task_cluster):.2f} "
          f"ms, threads {statistics.median(per_task_threads):.3f} ms")
    print(f"overhead per extra chunk (64 vs 8 chunks of the porkchop, 2 workers): median "
          f"{statistics.median(extra):.1f} ms, per round {', '.join(f'{x:.1f}' for x in extra)}")


if __name__ == "__main__":
    main()
