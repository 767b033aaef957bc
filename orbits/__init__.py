"""Units-aware orbital mechanics for comparing missions.

Public functions take and return astropy ``Quantity``/``Time``; the numerical work happens in
:mod:`orbits.core` on plain arrays. Names are imported lazily (PEP 562) so that
``import orbits`` stays fast and never pulls in boinor or numba.
"""

from __future__ import annotations

import importlib

# public name -> submodule that defines it. Each submodule owner keeps its own line.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "launch": (
        "geocentric_latitude",
        "min_inclination",
        "launch_azimuth",
        "rotation_speed",
        "dogleg_dv",
        "launch_windows",
    ),
    "planes": (
        "plane_angle",
        "plane_change_dv",
        "combined_plane_change",
        "node_change_dv",
        "hohmann",
    ),
    "precession": (
        "nodal_precession_rate",
        "apsidal_precession_rate",
        "relative_node_drift",
        "plane_alignments",
        "plane_angle_history",
    ),
    "lambert": ("lambert",),
    "ascent": ("ascent_lead", "phasing_shift", "launch_time", "out_of_plane_speed"),
    "tle": ("from_tle", "load_tles"),
    "transfers": ("station_transfer_search",),
    "ephemeris": ("moon_state", "sun_state", "emb_state", "planet_state", "ephemeris_span"),
    "mars": ("mars_transfer", "mars_porkchop", "mars_windows", "place_on_window"),
    "launchers": ("payload_to", "launcher_capabilities"),
    "lunar": (
        "tli_budget",
        "lunar_porkchop",
        "departure_windows",
        "phasing_profile",
        "free_return",
        "free_return_flyby_altitude",
        "lunar_orbit_properties",
        "site_coverage",
        "lunar_plane_drift",
        "site_plane_passes",
        "plane_mismatch_cost",
        "lunar_node_drift",
        "site_sky",
        "south_pole_access",
        "direct_injection",
        "lunar_rendezvous",
        "refine_transfer",
        "refine_porkchop",
        "free_return_3d",
    ),
    "cr3bp": ("lagrange_points", "jacobi_constant", "halo_orbit", "halo_family", "nrho",
              "zero_velocity_curves"),
}

_NAME_TO_MODULE = {name: mod for mod, names in _EXPORTS.items() for name in names}

__all__ = sorted(_NAME_TO_MODULE)  # noqa: PLE0605 (computed from the export table)


def __getattr__(name: str):
    try:
        modname = _NAME_TO_MODULE[name]
    except KeyError:
        raise AttributeError(f"module 'orbits' has no attribute {name!r}") from None
    module = importlib.import_module(f"{__name__}.{modname}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
