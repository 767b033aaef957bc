"""Earth-Moon transfers and lunar-orbit compatibility, one job per module.

- :mod:`~orbits.lunar.budget`: TLI and LOI Δv of a patched-conic transfer (:func:`tli_budget`).
- :mod:`~orbits.lunar.free_return`: free-return flybys (:func:`free_return`,
  :func:`free_return_flyby_altitude`, and in DE421 point-mass dynamics :func:`free_return_3d`).
- :mod:`~orbits.lunar.nbody`: patched-conic transfers refined in Earth + Moon + Sun point-mass
  dynamics (:func:`refine_transfer`, :func:`refine_porkchop`), with an impulsive or finite
  (:class:`FiniteBurn`, :mod:`~orbits.lunar.finite_burn`) TLI.
- :mod:`~orbits.lunar.phasing`: phasing-loop departures (:func:`phasing_profile`).
- :mod:`~orbits.lunar.windows`: departure days against parking-orbit planes
  (:func:`departure_windows`).
- :mod:`~orbits.lunar.porkchop`: Lambert porkchops and their best windows
  (:func:`lunar_porkchop`, :meth:`LunarPorkchop.best`).
- :mod:`~orbits.lunar.surface`: lunar orbits and landing sites (:func:`lunar_orbit_properties`,
  :func:`lunar_plane_drift`, :func:`site_coverage`, :func:`site_plane_passes`,
  :func:`plane_mismatch_cost`).
- :mod:`~orbits.lunar.south_pole`: which orbits reach polar sites, node drift (J2, Earth, C22),
  Sun/Earth/relay visibility (:func:`south_pole_access`, :func:`lunar_node_drift`,
  :func:`site_sky`).
- :mod:`~orbits.lunar.direct`: direct-injection launch instants, azimuths and injection states
  (:func:`direct_injection`).
- :mod:`~orbits.lunar.rendezvous`: plane drift over a surface stay and in-plane ascent times
  (:func:`lunar_rendezvous`).

Every analysis returns a :class:`orbits.results.Result` (or ``TableResult``); options are
keyword-only; bad input raises :mod:`orbits.errors` classes.
"""

from __future__ import annotations

from ._model import PARKING_INCLINATIONS
from .budget import LunarTransfer, tli_budget
from .direct import DirectInjection, direct_injection
from .finite_burn import APOLLO8_TLI, APOLLO11_TLI, FiniteBurn
from .free_return import (
    FreeReturn,
    FreeReturn3D,
    FreeReturnDesign,
    free_return,
    free_return_3d,
    free_return_flyby_altitude,
)
from .nbody import RefinedLunarTransfer, RefinedPorkchop, refine_porkchop, refine_transfer
from .phasing import PhasingProfile, phasing_profile
from .porkchop import LunarPorkchop, LunarTransferWindows, lunar_porkchop
from .rendezvous import LunarRendezvous, lunar_rendezvous
from .south_pole import (
    QUEQIAO_2,
    LunarNodeDrift,
    RelayOrbit,
    SiteSky,
    SouthPoleAccess,
    lunar_node_drift,
    site_sky,
    south_pole_access,
)
from .surface import (
    LunarOrbitProperties,
    LunarPlaneDrift,
    PlaneMismatchCost,
    SitePlanePasses,
    lunar_orbit_properties,
    lunar_plane_drift,
    plane_mismatch_cost,
    site_coverage,
    site_plane_passes,
)
from .windows import DepartureWindows, departure_windows

__all__ = [
    "APOLLO8_TLI",
    "APOLLO11_TLI",
    "PARKING_INCLINATIONS",
    "DepartureWindows",
    "FiniteBurn",
    "FreeReturn",
    "FreeReturn3D",
    "FreeReturnDesign",
    "LunarOrbitProperties",
    "LunarPlaneDrift",
    "LunarPorkchop",
    "LunarTransfer",
    "LunarTransferWindows",
    "PhasingProfile",
    "PlaneMismatchCost",
    "RefinedLunarTransfer",
    "RefinedPorkchop",
    "SitePlanePasses",
    "departure_windows",
    "free_return",
    "free_return_3d",
    "free_return_flyby_altitude",
    "lunar_orbit_properties",
    "lunar_plane_drift",
    "lunar_porkchop",
    "phasing_profile",
    "plane_mismatch_cost",
    "refine_porkchop",
    "refine_transfer",
    "site_coverage",
    "site_plane_passes",
    "tli_budget",
    # south-pole access, direct injection, lunar-orbit rendezvous (lunarsurf)
    "DirectInjection",
    "direct_injection",
    "LunarRendezvous",
    "lunar_rendezvous",
    "QUEQIAO_2",
    "LunarNodeDrift",
    "RelayOrbit",
    "SiteSky",
    "SouthPoleAccess",
    "lunar_node_drift",
    "site_sky",
    "south_pole_access",
]
