"""Benchmark: vectorised Izzo Lambert (orbits.core.lambert) against boinor, in one run.

Run from the repository root:

    /work/venv/bin/python benchmarks/bench_lambert.py [--n 1000000] [--sample 2000]

Measures
* our core: single-revolution solves per second on a batch of ``n`` random problems in ONE
  call (best and median of 3 runs, inputs prepared beforehand);
* the same batch through the units layer ``orbits.lambert`` (Quantity in/out);
* boinor, per problem, on the first ``sample`` problems: ``boinor.iod.izzo.lambert`` (its
  Quantity API, the poliastro-style call a user makes) and ``boinor.core.iod.izzo`` (its
  numba-compiled core, after a warm-up call that compiles it: the fairer peer);
* the largest relative velocity difference |v_ours - v_boinor| / |v_boinor| over the sample.

Problems: positions with radii uniform in 6600..45000 km and isotropic directions, times of
flight uniform in 5 min .. 3 days, M = 0, prograde, mu = GM_EARTH. Fixed seed.
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=2000)
    args = ap.parse_args(argv)

    import astropy.units as u

    from orbits.core.constants import GM_EARTH
    from orbits.core.lambert import lambert as lambert_core
    from orbits.lambert import lambert as lambert_units

    mu = GM_EARTH
    r1, r2, tof = make_problems(args.n)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )

    times = []
    for _ in range(3):
        t = time.perf_counter()
        sol = lambert_core(mu, r1, r2, tof)
        times.append(time.perf_counter() - t)
    ok_frac = sol.ok.mean()
    best, med = min(times), float(np.median(times))
    ours_rate = args.n / best
    print(
        f"orbits.core.lambert   : {args.n:,} problems in one call: best {best:.3f} s, "
        f"median {med:.3f} s -> {ours_rate:,.0f} solves/s (best), {args.n / med:,.0f} (median); "
        f"solved {ok_frac:.6f}"
    )

    kms = u.km / u.s
    t = time.perf_counter()
    v1q, _ = lambert_units(r1 * u.km, r2 * u.km, tof * u.s)
    tu = time.perf_counter() - t
    print(f"orbits.lambert (units): {args.n:,} problems: {tu:.3f} s -> {args.n / tu:,.0f} solves/s")
    del v1q

    from boinor.core.iod import izzo as izzo_core
    from boinor.iod.izzo import lambert as izzo_units

    m = min(args.sample, args.n)
    izzo_core(mu, r1[0], r2[0], tof[0], 0, True, True, 35, 1e-8)  # numba compile (not timed)
    k = mu * u.km**3 / u.s**2
    r1q, r2q, tofq = r1[:m] * u.km, r2[:m] * u.km, tof[:m] * u.s

    t = time.perf_counter()
    bq = [izzo_units(k, r1q[j], r2q[j], tofq[j]) for j in range(m)]
    t_bq = time.perf_counter() - t
    t = time.perf_counter()
    bc = [izzo_core(mu, r1[j], r2[j], tof[j], 0, True, True, 35, 1e-8) for j in range(m)]
    t_bc = time.perf_counter() - t
    rate_bq, rate_bc = m / t_bq, m / t_bc
    print(
        f"boinor.iod.izzo.lambert (Quantity API), per problem, {m} problems: "
        f"{rate_bq:,.0f} solves/s"
    )
    print(f"boinor.core.iod.izzo (numba core), per problem, {m} problems: {rate_bc:,.0f} solves/s")
    print(
        f"ratio ours/boinor Quantity API: {ours_rate / rate_bq:,.0f}x; "
        f"ours/boinor numba core: {ours_rate / rate_bc:,.1f}x"
    )

    b1 = np.array([b[0] for b in bc])
    b2 = np.array([b[1] for b in bc])
    bq1 = np.array([b[0].to_value(kms) for b in bq])
    assert np.array_equal(b1, bq1)
    d1 = np.linalg.norm(sol.v1[:m] - b1, axis=1) / np.linalg.norm(b1, axis=1)
    d2 = np.linalg.norm(sol.v2[:m] - b2, axis=1) / np.linalg.norm(b2, axis=1)
    print(
        f"max relative velocity difference vs boinor over {m} problems: "
        f"v1 {d1.max():.2e}, v2 {d2.max():.2e}"
    )

    goals = {
        ">= 1,000,000 solves/s": ours_rate >= 1e6,
        ">= 50x boinor per problem (Quantity API)": ours_rate / rate_bq >= 50,
        ">= 50x boinor per problem (numba core)": ours_rate / rate_bc >= 50,
        "velocities agree to 1e-9 relative": max(d1.max(), d2.max()) <= 1e-9,
    }
    for goal, met in goals.items():
        print(f"goal {goal}: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
