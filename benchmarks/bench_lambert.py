"""Benchmark: our Lambert solver against boinor, lamberthub and pykep, side by side in one run.

Run from the repository root:

    /work/venv/bin/python benchmarks/bench_lambert.py [--sizes 1,1e3,1e5,1e6,1e7] [--rounds 3]

Problems: positions with radii uniform in 6600..45000 km and isotropic directions, times of
flight uniform in 5 min .. 3 days, M = 0, prograde, mu = GM_EARTH; fixed seed. Inputs are
prepared before the timing (Quantities too, for the units layer).

Solvers (each batch size, every round, in a rotating order so that load changes hit all alike):

* ours: ``orbits.lambert`` (Quantity in/out, the compiled kernel, default threads);
  ``orbits.core.lambert.lambert`` with the numpy solver (default threads) and with the
  compiled kernel (``kernel=solve_block``, no units);
* peers (benchmarks/peers.py): boinor's numba ``izzo`` in a numba-compiled loop and called per
  problem from Python; lamberthub ``izzo2015`` in a numba-compiled loop; pykep 3.0.1
  ``lambert_problem`` per problem (its compiled core loaded directly).

Per-problem Python loops run on at most ``--sample`` problems of a batch (their rate does not
depend on the batch size); batch size 1 is timed over ``--reps`` calls per round, the solvers
alternating every 100 calls. Rates are medians over
the rounds; ratios are taken within each round (ours / the fastest compiled peer loop in that
round) and their median reported. Peak memory: the rise of the process's peak resident set
(VmHWM, reset through /proc/self/clear_refs) during one untimed call, per problem, outputs
included.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np


def make_problems(n, seed=2015):
    rng = np.random.default_rng(seed)
    r1 = rng.normal(size=(n, 3))
    r2 = rng.normal(size=(n, 3))
    r1 *= (rng.uniform(6600.0, 45000.0, n) / np.linalg.norm(r1, axis=1))[:, None]
    r2 *= (rng.uniform(6600.0, 45000.0, n) / np.linalg.norm(r2, axis=1))[:, None]
    tof = rng.uniform(300.0, 3 * 86400.0, n)
    return r1, r2, tof


def _rss_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def peak_extra_bytes(func):
    """Rise of the peak RSS while ``func()`` runs, in bytes (None where not measurable)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return None
    before = _rss_kb("VmRSS:")
    out = func()
    peak = _rss_kb("VmHWM:")
    del out
    return (peak - before) * 1024


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,1e3,1e5,1e6,1e7")
    ap.add_argument("--rounds", type=int, default=3, help="rounds per size (1e7: one)")
    ap.add_argument("--sample", type=int, default=5000, help="problems for per-problem loops")
    ap.add_argument("--reps", type=int, default=3000, help="calls timed at batch size 1")
    ap.add_argument("--no-memory", action="store_true")
    args = ap.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",")]

    import astropy.units as u
    import peers

    from orbits._kernels.lambert_numba import solve_block
    from orbits.core.constants import GM_EARTH
    from orbits.core.lambert import default_threads
    from orbits.core.lambert import lambert as lambert_core
    from orbits.lambert import lambert as lambert_units

    mu = GM_EARTH
    kms = u.km / u.s
    loops, missing = peers.load_all()
    w1, w2, wt = make_problems(8)
    peers.warm_up(loops, mu, w1, w2, wt)
    lambert_units(w1 * u.km, w2 * u.km, wt * u.s)  # loads (or compiles) our kernel
    lambert_units(w1[0] * u.km, w2[0] * u.km, wt[0] * u.s)
    lambert_core(mu, w1, w2, wt, kernel=solve_block)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"our threads {default_threads()}, load average at start "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for name, why in missing.items():
        print(f"peer not loaded: {name}: {why}")

    def ours_units(r1q, r2q, tq):
        return lambda: lambert_units(r1q, r2q, tq)

    summary = []
    for n in sizes:
        r1, r2, tof = make_problems(n)
        r1q, r2q, tq = r1 * u.km, r2 * u.km, tof * u.s
        if n == 1:  # a single problem: unbatched inputs (the scalar fast path)
            r1q, r2q, tq = r1q[0], r2q[0], tq[0]
        methods = {
            "ours: orbits.lambert (units, compiled)": (ours_units(r1q, r2q, tq), n),
            "ours: core, compiled kernel (no units)": (
                lambda: lambert_core(mu, r1, r2, tof, kernel=solve_block), n),
            "ours: core, numpy": (lambda: lambert_core(mu, r1, r2, tof), n),
        }  # fmt: skip
        for name, loop in loops.items():
            m = n if "numba loop" in name else min(n, args.sample)
            v1, v2 = np.empty((m, 3)), np.empty((m, 3))
            a1, a2, at = r1[:m], r2[:m], tof[:m]
            methods[name] = ((lambda lp=loop, a1=a1, a2=a2, at=at, v1=v1, v2=v2:
                              lp(mu, a1, a2, at, v1, v2)), m)  # fmt: skip
        if n == 1:  # boinor's core called directly (no loop around it)
            izzo = peers.boinor_core()
            methods["boinor izzo, per problem from Python"] = (
                lambda: izzo(mu, r1[0], r2[0], tof[0], 0, True, True, 35, 1e-8), 1)
        rounds = 1 if n >= 10**7 else args.rounds
        reps = args.reps if n == 1 else (max(1, 20000 // n) if n < 10**5 else 1)
        rates = {name: [] for name in methods}
        names = list(methods)
        # batch size 1: each round alternates the solvers every 100 calls, so that load
        # changes within the round hit all of them alike
        sub, per = (max(1, reps // 100), min(reps, 100)) if n == 1 else (1, reps)
        for rnd in range(rounds):
            order = names[rnd % len(names):] + names[: rnd % len(names)]
            spent = dict.fromkeys(names, 0.0)
            for _ in range(sub):
                for name in order:
                    func = methods[name][0]
                    t = time.perf_counter()
                    for _ in range(per):
                        func()
                    spent[name] += time.perf_counter() - t
            for name in names:
                rates[name].append(methods[name][1] * sub * per / spent[name])
        load = os.getloadavg()[0]
        med = {name: float(np.median(r)) for name, r in rates.items()}
        comp = [c for c in peers.COMPILED if c in rates]
        ratios = {}
        for ours in [x for x in names if x.startswith("ours")]:
            per_round = [
                rates[ours][i] / max(rates[c][i] for c in comp) for i in range(rounds)
            ] if comp else []  # fmt: skip
            ratios[ours] = per_round
        mem = {}
        if not args.no_memory and n >= 10**5:
            for name in names:
                if name.startswith("ours") or "numba loop" in name:
                    b = peak_extra_bytes(methods[name][0])
                    mem[name] = None if b is None else b / methods[name][1]
        print(f"\n### batch size {n:,}: {rounds} round(s), load average {load:.2f}\n")
        print("| solver | median solves/s | per problem | peak extra memory |")
        print("| --- | ---: | ---: | ---: |")
        for name in names:
            per = 1e6 / med[name]
            m_b = mem.get(name)
            mtxt = "" if m_b is None else f"{m_b:.0f} B/problem"
            note = ""
            if methods[name][1] < n:
                note = f" (on {methods[name][1]:,} of them)"
            print(f"| {name}{note} | {med[name]:,.0f} | {per:.3f} µs | {mtxt} |")
        for ours, per_round in ratios.items():
            if per_round:
                print(
                    f"\n{ours} / fastest compiled peer loop: median "
                    f"{np.median(per_round):.2f}x, per round "
                    f"{', '.join(f'{x:.2f}' for x in per_round)}"
                )
        if n == 1:
            b = "boinor izzo, per problem from Python"
            per_round = [rates[names[0]][i] / rates[b][i] for i in range(rounds)]
            print(
                f"\nsingle problem: orbits.lambert takes {1e6 / med[names[0]]:.2f} µs, boinor's "
                f"core per call {1e6 / med[b]:.2f} µs: ratio (time) median "
                f"{1 / np.median(per_round):.2f}x, per round "
                f"{', '.join(f'{1 / x:.2f}' for x in per_round)} (goal <= 3x)"
            )
        summary.append((n, med, ratios, mem))

        if n >= 1000 and n == min(s for s in sizes if s >= 1000):
            # agreement with the peers on this batch (first 2000 problems)
            m = min(n, 2000)
            sol = lambert_core(mu, r1[:m], r2[:m], tof[:m], kernel=solve_block)
            vq, _ = lambert_units(r1q[:m], r2q[:m], tq[:m])
            print()
            for name, loop in loops.items():
                v1, v2 = np.empty((m, 3)), np.empty((m, 3))
                loop(mu, r1[:m], r2[:m], tof[:m], v1, v2)
                d = max(
                    np.max(np.linalg.norm(sol.v1 - v1, axis=1) / np.linalg.norm(v1, axis=1)),
                    np.max(np.linalg.norm(sol.v2 - v2, axis=1) / np.linalg.norm(v2, axis=1)),
                )
                print(f"max relative velocity difference, ours vs {name}: {d:.1e}")
            dq = np.max(np.abs(vq.unmasked.to_value(kms) - sol.v1))
            print(f"orbits.lambert vs core kernel: max |dv| {dq:.1e} km/s")

    print("\n### goals\n")
    for n, med, ratios, mem in summary:
        if n in (10**6, 10**7):
            for ours, per_round in ratios.items():
                if per_round:
                    r = float(np.median(per_round))
                    print(f"- {n:.0e}, {ours}: {r:.2f}x the fastest compiled peer loop "
                          f"(goal >= 4x: {'met' if r >= 4 else 'NOT met'})")  # fmt: skip
            for ours, b in mem.items():
                if ours.startswith("ours") and b is not None:
                    print(f"- {n:.0e}, {ours}: peak extra memory {b:.0f} B/problem "
                          f"(goal <= 64: {'met' if b <= 64 else 'NOT met'})")  # fmt: skip
    print(f"\nload average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/peers.py
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # the repository
    main()
