"""Mission records from the source texts, the catalog that holds them, and comparisons.

``missions.load_catalog()`` returns the built-in catalog. Names are imported lazily so that
``import missions`` stays fast (no astropy, no boinor until something is used).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "compare": ("compare",),
    "catalog": ("Catalog", "load_catalog", "save_records", "normalize_name", "CatalogError"),
    "records": (
        "Mission",
        "LaunchSite",
        "LaunchVehicle",
        "Source",
        "MissionDate",
        "TargetOrbit",
        "LandingSite",
        "Event",
        "Fact",
        "Announcement",
        "TransferLeg",
        "Launch",
        "Payload",
        "InclinationRange",
        "Alternative",
    ),
}
_NAME_TO_MODULE = {name: mod for mod, names in _EXPORTS.items() for name in names}
__all__ = sorted(_NAME_TO_MODULE)  # noqa: PLE0605 (computed from the export table)


def __getattr__(name: str):
    try:
        modname = _NAME_TO_MODULE[name]
    except KeyError:
        raise AttributeError(f"module 'missions' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{modname}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
