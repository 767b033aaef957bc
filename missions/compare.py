"""``missions.compare(a, b)``: compare two missions, stations or launch sites.

A thin dispatcher: it resolves both names (:func:`missions.subjects.resolve`) and hands the
pair to the module for that pairing, each returning one result class
(:mod:`orbits.results` shape: one-line repr, HTML table, ``to_table()``, ``to_dict()``):

* two Earth orbits -> :class:`~missions.comparisons.orbit_pair.OrbitPairComparison`;
* a launch site and an Earth orbit (either order) ->
  :class:`~missions.comparisons.site_orbit.SiteOrbitComparison`;
* two lunar missions -> :func:`missions.comparisons.lunar_pair.compare_lunar`'s result.

>>> import missions
>>> missions.compare("ISS", "Chinese space station")  # doctest: +SKIP
<OrbitPairComparison ISS vs Chinese space station: 10.17°–93.11°, cycle 313.7 d>
"""

from __future__ import annotations

from orbits.errors import ArgumentError

from .comparisons.launch_windows import parse_start, station_launch_windows
from .subjects import EARTH_ORBIT, LUNAR, PAIRINGS, SITE, Subject, resolve, station_elements

__all__ = ["PAIRINGS", "Subject", "compare", "parse_start", "resolve", "station_elements",
           "station_launch_windows"]


def compare(a: str, b: str, *, catalog=None):
    """Compare two missions, stations or sites; see the module docstring for the pairings.

    Parameters
    ----------
    a, b : str
        Catalog names (any alias, case or punctuation) or TLE names such as ``"ISS (ZARYA)"``.
        Comparing a name with itself gives the trivial answer (a 0° plane angle).
    catalog : missions.Catalog, optional
        Defaults to the built-in catalog.

    Returns
    -------
    OrbitPairComparison, SiteOrbitComparison or the lunar pair's result

    Raises
    ------
    orbits.errors.NotFoundError
        An unknown name (the message suggests the closest ones).
    orbits.errors.ArgumentError
        A pair that cannot be compared (two sites, a site and a lunar mission, a launcher).
    """
    from .catalog import load_catalog

    cat = catalog if catalog is not None else load_catalog()
    s1, s2 = resolve(a, cat), resolve(b, cat)
    kinds = (s1.kind, s2.kind)
    if kinds == (EARTH_ORBIT, EARTH_ORBIT):
        from .comparisons.orbit_pair import compare_orbits

        return compare_orbits(s1, s2, catalog=cat)
    if set(kinds) == {SITE, EARTH_ORBIT}:
        from .comparisons.site_orbit import compare_site_orbit

        site, orb = (s1, s2) if s1.kind == SITE else (s2, s1)
        return compare_site_orbit(site, orb, catalog=cat)
    if kinds == (LUNAR, LUNAR):
        from .comparisons.lunar_pair import compare_lunar

        return compare_lunar(s1.record, s2.record, cat)
    raise ArgumentError(
        f"cannot compare {s1.name!r} ({s1.kind}) with {s2.name!r} ({s2.kind}); compare takes "
        f"{PAIRINGS}")


def _install_callable_module():
    """``missions.compare`` names both this submodule and its function: once the submodule
    is imported the package attribute is the module, so the module forwards calls to the
    function and ``missions.compare("ISS", "CSS")`` works either way (as ``orbits.lambert``)."""
    import sys
    import types

    class _CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return compare(*args, **kwargs)

    sys.modules[__name__].__class__ = _CallableModule


_install_callable_module()
