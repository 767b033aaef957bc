"""The grid functions' chunks=, scheduler= and refine= options (lunar porkchop, station search).

The expected values are the plain call's own grid and a direct call of refine_porkchop on it:
these options must change how the work runs, not what it gives.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

from orbits.errors import ArgumentError
from orbits.lunar import lunar_porkchop, refine_porkchop

DEP = Time("2023-08-01") + np.arange(0, 6, 0.25) * u.day
TOFS = np.linspace(3.0, 6.0, 7) * u.day


@pytest.fixture(scope="module")
def plain():
    return lunar_porkchop(DEP, TOFS, parking_inclination=51.7 * u.deg)


def test_chunked_grid_is_identical_to_the_plain_call(plain):
    for kw in ({"chunks": 5}, {"chunks": 5, "scheduler": "threads"}, {"scheduler": "sync"}):
        pc = lunar_porkchop(DEP, TOFS, parking_inclination=51.7 * u.deg, **kw)
        for f in ("tli_dv", "loi_dv", "total_dv"):
            assert np.array_equal(getattr(pc, f).value, getattr(plain, f).value,
                                  equal_nan=True), (kw, f)
        assert pc.best_departure.isot == plain.best_departure.isot
        assert pc.refined is None


def test_refine_attaches_the_refinement_of_the_best_cells(plain):
    pc = lunar_porkchop(DEP, TOFS, parking_inclination=51.7 * u.deg, refine=True,
                        refine_best=1)
    direct = refine_porkchop(plain, n_best=1)
    assert pc.refined is not None
    assert pc.refined.to_dict() == direct.to_dict()
    assert np.array_equal(pc.total_dv.value, plain.total_dv.value, equal_nan=True)


@pytest.mark.parametrize("bad", [0, 2.5, True, 99])
def test_refine_best_must_be_a_small_positive_integer(bad):
    with pytest.raises(ArgumentError, match="refine_best must be an integer 1..20"):
        lunar_porkchop(DEP, TOFS, refine=True, refine_best=bad)


def test_station_search_chunks_give_the_plain_call_s_grid():
    """station_transfer_search(chunks=...) runs as Dask tasks and must return the same grid
    and best cell as the single call (the single call is the reference)."""
    from orbits import station_transfer_search

    iss = {"a": 6790.0 * u.km, "ecc": 0.0005, "inc": 51.64 * u.deg, "raan": 10 * u.deg,
           "argp": 0 * u.deg, "nu": 0 * u.deg, "epoch": Time("2025-01-01")}
    css = {"a": 6760.0 * u.km, "ecc": 0.0005, "inc": 41.47 * u.deg, "raan": 15 * u.deg,
           "argp": 0 * u.deg, "nu": 90 * u.deg, "epoch": Time("2025-01-01")}
    dep = Time("2025-01-01") + np.arange(40) * 10 * u.min
    tof = np.arange(30, 300, 30) * u.min
    one = station_transfer_search(iss, css, dep, tof, max_revs=1)
    for kw in ({"chunks": 7}, {"chunks": 7, "scheduler": "sync"}):
        got = station_transfer_search(iss, css, dep, tof, max_revs=1, **kw)
        assert np.array_equal(got.dv_total.value, one.dv_total.value, equal_nan=True), kw
        assert got.best_departure.isot == one.best_departure.isot
        assert got.best_dv_total == one.best_dv_total
