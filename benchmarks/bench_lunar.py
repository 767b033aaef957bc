"""Benchmark: Moon ephemeris and the lunar porkchop, each side by side with peers in one run.

Run from the repository root:

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_lunar.py [--epochs 100000] [--sample 2000]
        [--cells 1000000] [--before DIR] [--only-cells]

Measures (best and median of 3 runs, after one warm-up call that loads the kernel)
* Moon geocentric position+velocity at ``epochs`` TDB epochs (30 days of 100,000 samples):
  ``orbits.moon_state`` (Time in, Quantities out, including the Time -> TDB conversion) and
  its core alone; peers: jplephem's own ``Segment.compute_and_differentiate`` (vectorised,
  same kernel), Skyfield ``(moon - earth).at(t)`` (if installed), astropy
  ``get_body_barycentric_posvel`` with the DE421 file and with its builtin ephemeris.
* The builtin ephemeris's error versus DE421 over 2000-2040 (4,000 epochs).
* Lunar porkchop, 30 days x 24 departures/day x 100 times of flight (72,000 transfers), one
  call: Vostochny-like 51.7 deg parking orbit (all cells in-plane) and Wenchang-like 19.6 deg
  (half the cells out of plane, which search 25 departure points each); peer: boinor's
  numba-compiled Izzo Lambert (``boinor.core.iod.izzo``) called per cell on ``sample`` cells of
  the same grid, after a warm-up, extrapolated to 72,000 (Lambert only, no ephemeris).
* Lunar porkchop at ``cells`` cells (30 days of departures x 100 times of flight, 2.5-6 d) at
  51.7 and 19.6 deg, each in a fresh subprocess after a small warm-up call: wall time and
  peak extra memory (the process's peak RSS growth, ``ru_maxrss``, over the warmed-up
  process). With ``--before DIR`` the same runs use the ``orbits`` package found in DIR
  (e.g. an export of the previous commit: ``git archive HEAD~1 orbits | tar -x -C DIR``),
  interleaved with ours; a refused grid (the old size check) is retried with that check off.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np


def timed(fn, repeat=3):
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out), statistics.median(out)


_CELLS_SCRIPT = r"""
import resource, sys, time
import numpy as np
import astropy.units as u
from astropy.time import Time
import orbits
import orbits.lunar.porkchop as pk
print(orbits.__file__, file=sys.stderr)
from orbits.errors import SizeLimitError

cells, inc = int(sys.argv[1]), float(sys.argv[2])
n_tof = 100
dep = Time("2024-03-01", scale="utc") + np.linspace(0.0, 30.0, cells // n_tof) * u.day
tofs = np.linspace(2.5, 6.0, n_tof) * u.day
orbits.lunar_porkchop(dep[:3], tofs, parking_inclination=inc * u.deg)  # warm-up
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
note = ""
t = time.perf_counter()
c = time.process_time()
try:
    P = orbits.lunar_porkchop(dep, tofs, parking_inclination=inc * u.deg)
except SizeLimitError:
    pk._BYTES_PER_CELL = 0  # the old size check refused the grid: measure it anyway
    note = " (size check bypassed)"
    t = time.perf_counter()
    c = time.process_time()
    P = orbits.lunar_porkchop(dep, tofs, parking_inclination=inc * u.deg)
dt = time.perf_counter() - t
cpu = time.process_time() - c
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024.0
print(f"{dt:.3f} {cpu:.3f} {peak:.0f} {P.best_total_dv.to_value(u.km / u.s):.6f} "
      f"{np.mean(~P.in_plane):.3f} {bool(P.ok.all())}{note}")
"""


def porkchop_cells(cells, before=None, rounds=1):
    """Time and peak memory of 10^6-cell porkchops in fresh subprocesses (ours, and ``before``)."""
    import subprocess
    import sys

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    who = [("ours", here)] + ([("before", os.path.abspath(before))] if before else [])
    print(f"\nLunar porkchop, {cells:,} cells ({cells // 100:,} departures over 30 days x 100 "
          f"tofs), fresh process each, {rounds} round(s) interleaved")
    times, cpus = {}, {}
    for r in range(rounds):
        for inc in (51.7, 19.6):
            for name, path in who:
                env = dict(os.environ, PYTHONPATH=path)
                # run from ``path`` too: ``python -c`` puts the working directory first on
                # sys.path, ahead of PYTHONPATH
                out = subprocess.run([sys.executable, "-c", _CELLS_SCRIPT, str(cells), str(inc)],
                                     env=env, cwd=path, capture_output=True, text=True,
                                     check=True).stdout
                dt, cpu, peak, best, frac, ok, *note = out.split()
                times.setdefault((name, inc), []).append(float(dt))
                cpus.setdefault((name, inc), []).append(float(cpu))
                print(f"  round {r + 1} {name:6s} i = {inc} deg: {float(dt):7.2f} s wall, "
                      f"{float(cpu):7.2f} s CPU, peak extra "
                      f"{float(peak):6.0f} MB, cheapest {float(best):.4f} km/s, "
                      f"{100 * float(frac):.0f}% out of plane, all solved {ok} {' '.join(note)}")
    for inc in (51.7, 19.6):
        m = statistics.median(times[("ours", inc)])
        mc = statistics.median(cpus[("ours", inc)])
        line = f"  median i = {inc} deg: ours {m:.2f} s wall / {mc:.2f} s CPU"
        if before:
            mb = statistics.median(times[("before", inc)])
            mbc = statistics.median(cpus[("before", inc)])
            line += (f"; before {mb:.2f} s wall / {mbc:.2f} s CPU; speed-up {mb / m:.1f}x wall, "
                     f"{mbc / mc:.1f}x CPU")
        print(line)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--cells", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--before", default=None, help="directory holding an older orbits package")
    ap.add_argument("--only-cells", action="store_true", help="run only the large porkchops")
    args = ap.parse_args(argv)
    if args.only_cells:
        porkchop_cells(args.cells, args.before, args.rounds)
        return

    import astropy.units as u
    from astropy.time import Time

    import orbits
    from orbits.ephemeris import _de421_path, _load_kernel, _tdb_seconds, geocentric_states_km

    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")

    # ---------------- ephemeris ----------------
    n = args.epochs
    t = Time("2024-01-01", scale="tdb") + np.linspace(0.0, 30.0, n) * u.day
    orbits.moon_state(t[:2])  # load the kernel once
    kernel = _load_kernel(str(_de421_path()))
    ts = _tdb_seconds(t)
    best, med = timed(lambda: orbits.moon_state(t))
    print(f"\nMoon ephemeris, {n:,} epochs")
    print(f"  orbits.moon_state (Time in, Quantity out)  best {best:.4f} s  median {med:.4f} s")

    def core_only():
        r_e, v_e = kernel.segments[3, 399].posvel(ts)
        r_m, v_m = kernel.segments[3, 301].posvel(ts)
        return r_m - r_e, v_m - v_e

    b_core, m_core = timed(core_only)
    print(f"  orbits.core Chebyshev only                 best {b_core:.4f} s  "
          f"median {m_core:.4f} s")

    from jplephem.spk import SPK

    spk = SPK.open(str(_de421_path()))
    jd1, jd2 = t.tdb.jd1, t.tdb.jd2  # two-part dates keep jplephem's input exact

    def jpl():
        p1, v1 = spk[3, 301].compute_and_differentiate(jd1, jd2)
        p2, v2 = spk[3, 399].compute_and_differentiate(jd1, jd2)
        return p1 - p2, (v1 - v2) / 86400.0

    b_jpl, m_jpl = timed(jpl)
    print(f"  jplephem compute_and_differentiate         best {b_jpl:.4f} s  median {m_jpl:.4f} s"
          f"   (ratio ours/peer {best / b_jpl:.2f}; core {b_core / b_jpl:.2f})")
    r_ours, _ = geocentric_states_km("moon", t)
    r_jpl, _ = jpl()
    print(f"    max |r_ours - r_jplephem| = {np.abs(r_ours - r_jpl.T).max() * 1e6:.3f} mm")

    try:
        from skyfield.api import load, load_file

        sts = load.timescale(builtin=True)
        eph = load_file(str(_de421_path()))
        tt = sts.tdb_jd(jd1, jd2)
        diff = eph["moon"] - eph["earth"]
        b_sf, m_sf = timed(lambda: diff.at(tt))
        print(f"  skyfield (moon - earth).at(t)              best {b_sf:.4f} s  median {m_sf:.4f} s"
              f"   (ratio ours/peer {best / b_sf:.2f})")
    except ImportError:
        print("  skyfield not installed: skipped")

    from astropy.coordinates import get_body_barycentric_posvel

    def astro(ephem):
        def f():
            pm, vm = get_body_barycentric_posvel("moon", t, ephemeris=ephem)
            pe, ve = get_body_barycentric_posvel("earth", t, ephemeris=ephem)
            return pm - pe, vm - ve
        return f

    b_a, _ = timed(astro(str(_de421_path())), repeat=1)
    print(f"  astropy get_body_barycentric_posvel (DE421) {b_a:.4f} s (1 run)"
          f"   (ratio ours/peer {best / b_a:.3f})")
    b_b, _ = timed(astro("builtin"), repeat=1)
    print(f"  astropy get_body_barycentric_posvel (builtin) {b_b:.4f} s (1 run)"
          f"   (ratio ours/peer {best / b_b:.3f})")

    # builtin error
    te = Time("2000-01-01", scale="tdb") + np.linspace(0, 40 * 365.25, 4000) * u.day
    print("\nBuiltin ephemeris error versus DE421, 2000-2040, 4,000 epochs")
    for body in ("moon", "sun", "emb"):
        r, v = geocentric_states_km(body, te)
        rb, vb = geocentric_states_km(body, te, "builtin")
        d = np.linalg.norm(r - rb, axis=-1)
        dv = np.linalg.norm(v - vb, axis=-1)
        print(f"  {body:4s}: position max {d.max():9.3f} km, RMS {np.sqrt((d**2).mean()):8.3f} km;"
              f" velocity max {dv.max() * 1e3:.4f} m/s")

    # ---------------- porkchop ----------------
    dep = Time("2024-03-01", scale="utc") + np.arange(0, 30, 1 / 24) * u.day
    tofs = np.linspace(2.5, 6.0, 100) * u.day
    print(f"\nLunar porkchop {len(dep)} departures x {len(tofs)} tofs = "
          f"{len(dep) * len(tofs):,} transfers")
    orbits.lunar_porkchop(dep[:2], tofs[:2])  # warm-up
    res = {}
    for inc in (51.7, 19.6):
        b, m = timed(lambda inc=inc: res.__setitem__(inc, orbits.lunar_porkchop(
            dep, tofs, parking_altitude=200 * u.km, parking_inclination=inc * u.deg)))
        P = res[inc]
        print(f"  orbits.lunar_porkchop, i = {inc} deg: best {b:.3f} s  median {m:.3f} s; "
              f"{100 * np.mean(~P.in_plane):.0f}% cells out of plane, all solved: "
              f"{bool(P.ok.all())}; cheapest {P.best_total_dv:.3f} on "
              f"{P.best_departure.iso[:13]}h, tof {P.best_tof:.2f}")

    # peer: boinor numba Izzo per cell on a sample of the same Lambert problems
    from boinor.core.iod import izzo

    from orbits.core.constants import GM_EARTH, R_EARTH
    from orbits.core.lambert import lambert as our_lambert

    rng = np.random.default_rng(4)
    idx_d = rng.integers(0, len(dep), args.sample)
    idx_t = rng.integers(0, len(tofs), args.sample)
    arr = dep[idx_d] + tofs[idx_t]
    r_m, _ = geocentric_states_km("moon", arr)
    r0 = -(R_EARTH + 200.0) * r_m / np.linalg.norm(r_m, axis=-1, keepdims=True)
    # rotate the departure point 5 deg off the antipode in the Moon's orbital plane (a
    # representative non-collinear geometry)
    r0 = r0 * np.cos(np.radians(5)) + np.cross([0, 0, 1.0], r0) * np.sin(np.radians(5))
    tof_s = tofs[idx_t].to_value(u.s)
    izzo(GM_EARTH, r0[0], r_m[0], tof_s[0], 0, True, True, 35, 1e-8)  # compile

    def peer():
        for k in range(args.sample):
            izzo(GM_EARTH, r0[k], r_m[k], tof_s[k], 0, True, True, 35, 1e-8)

    b_p, _ = timed(peer)
    per = b_p / args.sample
    b_o, _ = timed(lambda: our_lambert(GM_EARTH, r0, r_m, tof_s))
    print(f"  boinor.core.iod.izzo per cell: {per * 1e6:.1f} us/transfer -> {per * 72000:.2f} s "
          f"for 72,000 (extrapolated from {args.sample:,}); orbits.core.lambert on the same "
          f"{args.sample:,}: {b_o * 1e3:.1f} ms")

    porkchop_cells(args.cells, args.before, args.rounds)


if __name__ == "__main__":
    main()
