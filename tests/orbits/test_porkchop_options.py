"""lunar_porkchop's chunks=, scheduler= and refine= options.

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
