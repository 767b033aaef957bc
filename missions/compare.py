"""``missions.compare(a, b)``: compare two missions, stations or launch sites.

A thin dispatcher: it resolves both names (:func:`missions.subjects.resolve`) and hands the
pair to the module for that pairing, each returning one result class
(:mod:`orbits.results` shape: one-line repr, HTML table, ``to_table()``, ``to_dict()``):

* two Earth orbits -> :class:`~missions.comparisons.orbit_pair.OrbitPairComparison`;
* a launch site and an Earth orbit (either order) ->
  :class:`~missions.comparisons.site_orbit.SiteOrbitComparison`;
* two lunar missions -> :func:`missions.comparisons.lunar_pair.compare_lunar`'s result.

Every station comparison is as of an analysis date ``at`` (default: now, UTC), from the
element sets nearest it (``elements=``: the packaged history and user cache, the user's own
TLE/OMM files, or a :class:`orbits.history.Histories`); the result says which sets it used,
how old they were (``inputs``) and warns when they are more than 14 days from that date.

>>> import missions
>>> missions.compare("ISS", "Chinese space station", at="2024-05-09")  # doctest: +SKIP
<OrbitPairComparison ISS vs Chinese space station: 10.17°–93.11°, cycle 313.7 d>
>>> missions.compare("ISS", "CSS", at="2025-11-20", elements="late-2025.tle")  # doctest: +SKIP
"""

from __future__ import annotations

from orbits.errors import ArgumentError

from .comparisons.launch_windows import parse_start, station_launch_windows
from .subjects import (
    EARTH_ORBIT,
    LUNAR,
    PAIRINGS,
    SITE,
    Subject,
    analysis_time,
    element_histories,
    emit_stale,
    resolve,
    station_elements,
)

__all__ = ["PAIRINGS", "Subject", "analysis_time", "compare", "element_histories",
           "parse_start", "resolve", "station_elements", "station_launch_windows"]


def compare(a: str, b: str, *, catalog=None, at=None, elements=None, propagator="secular"):
    """Compare two missions, stations or sites as of the analysis date ``at``.

    See the module docstring for the pairings.

    Parameters
    ----------
    a, b : str
        Catalog names (any alias, case or punctuation) or element-set names such as
        ``"ISS (ZARYA)"``. Comparing a name with itself gives the trivial answer (a 0° plane
        angle).
    catalog : missions.Catalog, optional
        Defaults to the built-in catalog.
    at : Time or str, optional
        The analysis date (default: now, UTC). Stations use the element set nearest it; the
        plane angle "now", the next alignment and opposition are on or after it.
    elements : None, path, list of paths or orbits.history.Histories
        Element sets: None for the packaged history plus the user cache; the user's TLE/OMM
        files on top of those; or exactly the given Histories
        (:func:`missions.subjects.element_histories`).
    propagator : "secular" (default) or "sgp4"
        How the station planes move from their elements' epochs
        (:mod:`orbits.propagation`; the secular model is the default because it predicts the
        node better than SGP4 beyond ~3 days, see ``orbits/data/history/node_error.toml``).

    Returns
    -------
    OrbitPairComparison, SiteOrbitComparison or the lunar pair's result

    Raises
    ------
    orbits.errors.NotFoundError
        An unknown name (the message suggests the closest ones).
    orbits.errors.ArgumentError
        A pair that cannot be compared (two sites, a site and a lunar mission, a launcher).
    orbits.errors.DateRangeError
        No element set supports the analysis date (more than 3 years from every epoch).

    Stale elements (more than 14 days from ``at``) give a
    :class:`~orbits.errors.StaleInputWarning` and the result's ``warnings``.
    """
    from orbits.propagation import PROPAGATORS

    from .catalog import load_catalog

    if propagator not in PROPAGATORS:
        from orbits._validation import describe_value

        raise ArgumentError(f"propagator must be one of {', '.join(map(repr, PROPAGATORS))}, "
                            f"got {describe_value(propagator)}")
    from .subjects import _check_name

    _check_name(a)  # both names first: no element lookup (or stale warning) before an error
    _check_name(b)
    t = analysis_time(at)
    cat = catalog if catalog is not None else load_catalog()
    hist = element_histories(elements)
    s1 = resolve(a, cat, at=t, elements=hist, warn=False)
    s2 = resolve(b, cat, at=t, elements=hist, warn=False)
    kinds = (s1.kind, s2.kind)
    if kinds == (EARTH_ORBIT, EARTH_ORBIT):
        from .comparisons.orbit_pair import compare_orbits

        res = compare_orbits(s1, s2, catalog=cat, at=t, propagator=propagator)
        emit_stale(res.warnings)
        return res
    if set(kinds) == {SITE, EARTH_ORBIT}:
        from .comparisons.site_orbit import compare_site_orbit

        site, orb = (s1, s2) if s1.kind == SITE else (s2, s1)
        res = compare_site_orbit(site, orb, catalog=cat, at=t)
        emit_stale(res.warnings)
        return res
    if kinds == (LUNAR, LUNAR):
        from .comparisons.lunar_pair import compare_lunar

        return compare_lunar(s1.record, s2.record, cat)
    raise ArgumentError(
        f"cannot compare {s1.name!r} ({s1.kind}) with {s2.name!r} ({s2.kind}); compare takes "
        f"{PAIRINGS}")


def _install_callable_module():
    """Make this module callable, forwarding calls to :func:`compare`.

    ``missions.compare`` names both this submodule and its function: once the submodule
    is imported the package attribute is the module, so the module forwards calls to the
    function and ``missions.compare("ISS", "CSS")`` works either way (as ``orbits.lambert``).
    """
    import sys
    import types

    class _CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return compare(*args, **kwargs)

    sys.modules[__name__].__class__ = _CallableModule


_install_callable_module()
