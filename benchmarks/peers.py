"""Peer Lambert solvers for the side-by-side benchmarks, loaded the way each can be called fastest.

* boinor (poliastro's maintained continuation): ``boinor.core.iod.izzo``, a numba-compiled
  function; called per problem from Python, and from a numba-compiled loop over the batch.
* lamberthub: ``lamberthub.izzo2015``, also numba-compiled (``@njit``); from a compiled loop.
* pykep 3.0.1: ``import pykep`` fails in its wheel (it aborts while loading its trajectory-gym
  data files), so its compiled C++ core ``pykep/core*.so`` is loaded directly with importlib;
  ``lambert_problem`` is a C++ class constructed per problem from Python (no loop over a batch
  can be compiled around it).

Every loader returns ``None`` (and a reason) if its peer is not installed, so the benchmark still
runs. The compiled loops are compiled here, before any timing (``warm_up``).
"""

from __future__ import annotations

import glob
import importlib.util
import os

import numpy as np


def boinor_core():
    """``boinor.core.iod.izzo(k, r1, r2, tof, M, prograde, lowpath, numiter, rtol)``."""
    from boinor.core.iod import izzo

    return izzo


def boinor_loop():
    """Numba loop ``loop(k, r1, r2, tof, v1, v2)`` over boinor's compiled izzo (rtol 1e-8,
    boinor's default in ``boinor.iod.izzo.lambert``)."""
    import numba

    izzo = boinor_core()

    @numba.njit(cache=False)
    def loop(k, r1, r2, tof, v1, v2):
        for i in range(r1.shape[0]):
            a, b = izzo(k, r1[i], r2[i], tof[i], 0, True, True, 35, 1e-8)
            v1[i] = a
            v2[i] = b

    return loop


def lamberthub_loop():
    """Numba loop over ``lamberthub.izzo2015``, its default tolerances (atol 1e-5, rtol 1e-7)."""
    import numba
    from lamberthub import izzo2015

    @numba.njit(cache=False)
    def loop(k, r1, r2, tof, v1, v2):
        for i in range(r1.shape[0]):
            a, b = izzo2015(k, r1[i], r2[i], tof[i], 0, True, True, 35, 1e-5, 1e-7)
            v1[i] = a
            v2[i] = b

    return loop


def pykep_lambert_problem():
    """pykep's ``lambert_problem`` class from its compiled core, bypassing ``import pykep``."""
    spec = importlib.util.find_spec("pykep")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pykep is not installed")
    folder = list(spec.submodule_search_locations)[0]
    found = glob.glob(os.path.join(folder, "core*.so"))
    if not found:
        raise ImportError(f"no compiled core module in {folder}")
    core_spec = importlib.util.spec_from_file_location("core", found[0])
    module = importlib.util.module_from_spec(core_spec)
    core_spec.loader.exec_module(module)
    return module.lambert_problem


def pykep_loop():
    """Python loop ``loop(k, r1, r2, tof, v1, v2)`` constructing one ``lambert_problem`` each."""
    lp = pykep_lambert_problem()

    def loop(k, r1, r2, tof, v1, v2):
        a1, a2, t = r1.tolist(), r2.tolist(), tof.tolist()
        for i in range(len(t)):
            sol = lp(a1[i], a2[i], t[i], k, False, 0)
            v1[i] = sol.v0[0]
            v2[i] = sol.v1[0]

    return loop


def boinor_per_problem():
    """Python loop calling boinor's compiled izzo once per problem (the user's per-call cost)."""
    izzo = boinor_core()

    def loop(k, r1, r2, tof, v1, v2):
        for i in range(r1.shape[0]):
            v1[i], v2[i] = izzo(k, r1[i], r2[i], tof[i], 0, True, True, 35, 1e-8)

    return loop


LOADERS = {
    "boinor izzo, numba loop": boinor_loop,
    "lamberthub izzo2015, numba loop": lamberthub_loop,
    "boinor izzo, per problem from Python": boinor_per_problem,
    "pykep lambert_problem, per problem from Python": pykep_loop,
}

#: peers whose loop is compiled (the goal's reference is the fastest of these)
COMPILED = ("boinor izzo, numba loop", "lamberthub izzo2015, numba loop")


def load_all():
    """Return ``({name: loop}, {name: reason})``: the peers that load, and why others did not."""
    loops, missing = {}, {}
    for name, loader in LOADERS.items():
        try:
            loops[name] = loader()
        except Exception as exc:  # a peer that cannot load is reported, not fatal
            missing[name] = f"{type(exc).__name__}: {exc}"
    return loops, missing


def warm_up(loops, k, r1, r2, tof):
    """Call every loop once on a few problems (numba compiles them here, not in the timing)."""
    for loop in loops.values():
        n = min(4, r1.shape[0])
        loop(k, r1[:n], r2[:n], tof[:n], np.empty((n, 3)), np.empty((n, 3)))
