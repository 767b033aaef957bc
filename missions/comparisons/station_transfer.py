"""The station-to-station transfer search.

Two-impulse (Lambert) transfers between two catalog stations on a grid of departure times x
times of flight (:func:`orbits.station_transfer_search`), with the stations' display names.

Default grid: departures every 5 min over 12 days centred on the next node alignment after
the analysis date ``at`` (the smallest plane angle), from the element sets nearest ``at``;
times of flight 30 to 360 min every 10 min. The stations' periods differ by ~0.5 min, so
their relative phase takes ~11 days to come round: a shorter span can miss the well-phased
departures (one day around the 2024-10-06 alignment gives 2.27 km/s at best, twelve days
1.41 km/s against the 1.36 km/s plane change).
"""

from __future__ import annotations

import numpy as np
from astropy import units as u

from orbits.errors import ArgumentError

__all__ = ["DEFAULT_DAYS", "MAX_DAYS", "station_transfers"]

#: Default span of departure dates (days).
DEFAULT_DAYS = 12.0
#: Longest span accepted (days).
MAX_DAYS = 120.0
#: Departure step and times of flight of the default grid.
DEPARTURE_STEP = 5 * u.min
TIMES_OF_FLIGHT = np.arange(30, 361, 10) * u.min


def station_transfers(a, b, *, start=None, days=None, catalog=None, at=None, elements=None):
    """Two-impulse transfers from station ``a`` to station ``b`` over a span of departures.

    Parameters
    ----------
    a, b : str
        Earth-orbiting stations with TLE elements (catalog names, aliases or TLE names).
    start : Time or str, optional
        First departure. Default: the span centred on the next node alignment after ``at``.
    days : float, optional
        Span of departures in (0, 120] days (default 12).
    catalog : missions.Catalog, optional
    at : Time or str, optional
        The analysis date (default now, UTC): the stations use the element sets nearest it.
    elements : None, path, list of paths or orbits.history.Histories
        See :func:`missions.subjects.element_histories`.

    Returns
    -------
    orbits.transfers.StationTransferResult
        With ``departure_name`` and ``arrival_name`` the catalog names; ``best(n,
        min_separation=...)`` gives the cheapest windows as a ``TransferWindows`` table.
    """
    import orbits

    from ..catalog import load_catalog
    from ..subjects import EARTH_ORBIT, analysis_time, element_histories, emit_stale, resolve
    from .launch_windows import check_days, parse_start

    cat = catalog if catalog is not None else load_catalog()
    span = DEFAULT_DAYS if days is None else check_days(days, max_days=MAX_DAYS)
    t_start = None if start is None else parse_start(start)
    t = analysis_time(at)
    hist = element_histories(elements)
    s1 = resolve(a, cat, at=t, elements=hist, warn=False)
    s2 = resolve(b, cat, at=t, elements=hist, warn=False)
    for s, arg in ((s1, "a"), (s2, "b")):
        if s.kind != EARTH_ORBIT:
            raise ArgumentError(f"station transfers need two Earth-orbiting stations; {arg}="
                                f"{s.name!r} is a {s.kind}")
    if s1.name == s2.name and s1.tle is s2.tle:
        raise ArgumentError(f"a and b are the same station ({s1.name}): there is no transfer "
                            "to search")
    o1, o2 = s1.search_orbit(), s2.search_orbit()
    import warnings

    from erfa import ErfaWarning

    from orbits.history import assess_age

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ErfaWarning)
        if t_start is None:
            try:
                aligned = orbits.plane_alignments(o1, o2, start=t, count=1,
                                                  second_order=True).aligned[0]
            except ArgumentError:  # same node rate: no alignment to centre on
                aligned = t + span / 2 * u.day
            t0 = aligned - span / 2 * u.day
            when = (f"{span:g} days centred on the next node alignment after the analysis date "
                    f"({aligned.utc.isot[:16].replace('T', ' ')} UTC)")
        else:
            t0 = t_start
            when = f"{span:g} days from {t0.utc.isot[:16]}"
        for s in (s1, s2):  # the departures themselves must be within the elements' reach
            for edge in (t0, t0 + span * u.day):
                assess_age(s.tle, edge, warn=False)
        dep = t0 + np.arange(0, span * 1440, DEPARTURE_STEP.to_value(u.min)) * u.min
        res = orbits.station_transfer_search(o1, o2, dep, TIMES_OF_FLIGHT, second_order=True)
    from dataclasses import replace

    emit_stale((*s1.warnings, *s2.warnings))
    return replace(
        res, departure_name=s1.name, arrival_name=s2.name,
        inputs=(s1.input_set(t), s2.input_set(t)), analysis_date=t,
        warnings=tuple(dict.fromkeys((*s1.warnings, *s2.warnings))),
        notes=res.notes + ((f"departures every {DEPARTURE_STEP.to_value(u.min):g} min over "
                           f"{when}; stations from the element sets nearest the analysis date, "
                           "drifting with the secular J2/J2²/J4 model"),))
