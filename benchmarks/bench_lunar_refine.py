"""Benchmark: cost of the n-body refinement (one transfer, a porkchop's best cells).

Run from the repository root:

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_lunar_refine.py [--repeat 3]

Measures (best and median of ``repeat`` runs, after a warm-up that loads the kernel):
* one propagation TLI -> perilune (Apollo 11, 73 h, Earth + Moon + Sun, DOP853 rtol 1e-11):
  the toolkit's right-hand side (hourly Hermite table, plain floats) against the same scipy
  DOP853 call whose right-hand side asks jplephem for the Moon and Sun at every evaluation
  (the straightforward peer implementation);
* one refinement, impulsive and finite TLI (Apollo 11), and the patched conic it starts from;
* ``refine_porkchop`` on the 3 best cells of a 10-day x 4/day x 4-tof porkchop;
* the flown missions as the report refines them (Chang'e-5, Chang'e-6, Luna-25, Queqiao-2:
  catalog dates, orbits and injections, ``missions.lunar_profiles.transfer_budget``).
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    import astropy.units as u
    from astropy.time import Time

    import orbits
    from orbits.core import nbody as nb
    from orbits.core.constants import GM_EARTH, GM_MOON, GM_SUN
    from orbits.lunar import APOLLO8_TLI, APOLLO11_TLI, refine_porkchop, refine_transfer
    from orbits.lunar import nbody as N

    print(f"# bench_lunar_refine  ({platform.python_version()}, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.1f})")
    dep = Time("1969-07-16T16:19:09.6", scale="utc")
    arr = Time("1969-07-19T17:24:48.5", scale="utc")
    b = orbits.tli_budget(parking_altitude=185 * u.km, parking_inclination=32.52 * u.deg,
                          tof=(arr - dep).to(u.h), lunar_periapsis_altitude=113 * u.km,
                          lunar_apoapsis_altitude=315 * u.km, departure=dep)
    kw = dict(lunar_periapsis_altitude=113 * u.km, lunar_apoapsis_altitude=315 * u.km)
    refine_transfer(b, **kw)  # warm-up

    # --- one propagation: Hermite table vs jplephem per evaluation -----------------------
    import importlib.resources

    from jplephem.spk import SPK

    epoch0 = dep.tdb
    tof = float((arr - dep).to_value(u.s))
    table = N._body_table(epoch0, -7200.0, tof + 7200.0, "de421", True)
    v0, raan0, u0, inc, _ = N._first_guess(epoch0, 6563.137, np.radians(32.52), tof, 1850.4, None,
                                        "de421")
    r_hat, t_hat = N._plane_frame(inc, raan0, u0)
    y0 = np.concatenate([6563.137 * r_hat, v0 * t_hat])
    ours = nb.make_rhs(table, GM_EARTH)
    kernel = SPK.open(str(importlib.resources.files("skyfield_data") / "data" / "de421.bsp"))
    jd0 = epoch0.jd

    def peer_rhs(t, y):
        jd = jd0 + t / 86400.0
        e = kernel[3, 399].compute(jd)
        rm = kernel[3, 301].compute(jd) - e
        rs = kernel[0, 10].compute(jd) - kernel[0, 3].compute(jd) - e
        rb = np.stack([rm, rs])
        a = nb.point_mass_acceleration(y[:3], rb, GM_EARTH, np.array([GM_MOON, GM_SUN]))
        return np.concatenate([y[3:], a])

    s_ours = nb.propagate(ours, 0.0, y0, tof, rtol=1e-11)
    s_peer = nb.propagate(peer_rhs, 0.0, y0, tof, rtol=1e-11)
    diff = float(np.linalg.norm(s_ours.y[:3, -1] - s_peer.y[:3, -1]))
    t_ours = timed(lambda: nb.propagate(ours, 0.0, y0, tof, rtol=1e-11), args.repeat)
    t_peer = timed(lambda: nb.propagate(peer_rhs, 0.0, y0, tof, rtol=1e-11), args.repeat)
    kernel.close()
    print(f"propagation 73 h, {s_ours.nfev} RHS evaluations: toolkit {t_ours[1] * 1e3:.0f} ms, "
          f"jplephem-per-call {t_peer[1] * 1e3:.0f} ms (ratio {t_peer[1] / t_ours[1]:.1f}x); "
          f"end-point difference {diff * 1e3:.1f} m")

    # --- one refinement ----------------------------------------------------------------------
    t_conic = timed(lambda: orbits.tli_budget(
        parking_altitude=185 * u.km, parking_inclination=32.52 * u.deg, tof=(arr - dep).to(u.h),
        lunar_periapsis_altitude=113 * u.km, lunar_apoapsis_altitude=315 * u.km,
        departure=dep), args.repeat)
    t_imp = timed(lambda: refine_transfer(b, **kw), args.repeat)
    t_fin = timed(lambda: refine_transfer(b, burn=APOLLO11_TLI, **kw), args.repeat)
    imp = refine_transfer(b, **kw)
    fin = refine_transfer(b, burn=APOLLO11_TLI, **kw)
    print(f"patched conic (tli_budget): {t_conic[1] * 1e3:.1f} ms")
    print(f"refine_transfer impulsive: median {t_imp[1]:.2f} s (best {t_imp[0]:.2f}), "
          f"{imp.iterations} iterations; {imp}")
    print(f"refine_transfer finite:    median {t_fin[1]:.2f} s (best {t_fin[0]:.2f}), "
          f"{fin.iterations} iterations; {fin}")

    # Apollo 8 (seeds/authorities/apollo/apollo_tli_loi.csv): TLI mid-burn 15:44:16 UTC, LOI
    # mid-burn 10:01:24 UTC 24 Dec 1968, 185 km x 32.51 deg parking orbit, 111 x 312 km
    # retrograde (168 deg) lunar orbit; the AS-503 burn (APOLLO8_TLI). Flown speed gain: Orloff's
    # 7,793 -> 10,822 m/s at injection (cut-off + 10 s); Apollo 11 25,567.9 -> 35,545.6 ft/s.
    d8 = Time("1968-12-21T15:44:16", scale="utc")
    a8 = Time("1968-12-24T10:01:24", scale="utc")
    b8 = orbits.tli_budget(parking_altitude=185 * u.km, parking_inclination=32.51 * u.deg,
                           tof=(a8 - d8).to(u.h), lunar_periapsis_altitude=111 * u.km,
                           lunar_apoapsis_altitude=312 * u.km, departure=d8)
    kw8 = dict(lunar_periapsis_altitude=111 * u.km, lunar_apoapsis_altitude=312 * u.km,
               lunar_inclination=168 * u.deg)
    t_a8 = timed(lambda: refine_transfer(b8, burn=APOLLO8_TLI, **kw8), args.repeat)
    fin8 = refine_transfer(b8, burn=APOLLO8_TLI, **kw8)
    gain11 = fin.tli_dv.to_value(u.m / u.s)
    gain8 = fin8.tli_dv.to_value(u.m / u.s)
    print(f"refine_transfer finite Apollo 8: median {t_a8[1]:.2f} s, {fin8.iterations} "
          f"iterations; {fin8}")
    print(f"flown speed gain: Apollo 8 {gain8:.1f} m/s vs 3029 ({gain8 / 3029 - 1:+.2%}); "
          f"Apollo 11 {gain11:.1f} m/s vs {(35545.6 - 25567.9) * 0.3048:.1f} "
          f"({gain11 / ((35545.6 - 25567.9) * 0.3048) - 1:+.2%})")

    # --- porkchop's best cells ----------------------------------------------------------------
    deps = Time("2024-05-01", scale="utc") + np.arange(0, 10, 0.25) * u.day
    t_pk = timed(lambda: orbits.lunar_porkchop(deps, [3.0, 3.5, 4.0, 4.5] * u.day,
                                               parking_inclination=51.7 * u.deg), 1)
    pork = orbits.lunar_porkchop(deps, [3.0, 3.5, 4.0, 4.5] * u.day,
                                 parking_inclination=51.7 * u.deg)
    t_ref = timed(lambda: refine_porkchop(pork, n_best=3, min_separation=1 * u.day), 1)
    ref = refine_porkchop(pork, n_best=3, min_separation=1 * u.day)
    print(f"lunar_porkchop 40 x 4: {t_pk[1]:.2f} s; refine_porkchop(n_best=3): {t_ref[1]:.2f} s "
          f"({t_ref[1] / 3:.2f} s a cell); {ref}")
    print(ref.to_text())

    # --- flown missions, as the report refines them (missions.lunar_profiles) -----------------
    # The catalog's flown facts (missions/data/30_lunar.toml): launch and LOI epochs, the
    # published ascent time, the first lunar orbit; Long March 5/8 direct injections fly a
    # plane through Wenchang that reaches the Moon (the profile's note says which).
    from missions.lunar_profiles import transfer_budget

    print("mission | basis | tof (d) | flown launch->LOI (d) | conic TLI | n-body TLI | "
          "conic LOI | n-body LOI | transfer_budget(refine=True) s")
    for name in ("Chang'e-5", "Chang'e-6", "Luna-25", "Queqiao-2"):
        t = time.perf_counter()
        p = transfer_budget(name, refine=True)
        dt = time.perf_counter() - t

        def kms(q):
            return "-" if q is None else f"{q.to_value(u.km / u.s):.4f}"

        flown = "-" if p.flown_tof is None else f"{p.flown_tof.to_value(u.day):.2f}"
        print(f"{name} | {p.basis} | {p.tof.to_value(u.day):.2f} | {flown} | {kms(p.tli_dv)} | "
              f"{kms(p.refined_tli_dv)} | {kms(p.loi_dv)} | {kms(p.refined_loi_dv)} | {dt:.2f}"
              + (f" | {p.refinement}" if p.refined_tli_dv is None else ""))

if __name__ == "__main__":
    main()
