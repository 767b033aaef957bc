"""The shared argument checks: messages name the argument, the value and what is allowed."""

import numpy as np
import pytest
from astropy import units as u

from orbits._validation import as_time, as_value


def test_converts_to_the_core_unit():
    assert as_value(1 * u.deg, "rad", "angle") == pytest.approx(np.pi / 180)
    assert as_value(np.array([1.0, 2.0]) * u.km, "m", "r").tolist() == [1000.0, 2000.0]


def test_no_bounds_is_allowed():
    assert as_value(-7 * u.deg, "deg", "raan") == -7.0


def test_bare_float_names_argument_and_unit():
    with pytest.raises(TypeError, match=r"inclination must be an astropy Quantity in units of angle.*got 51.6"):
        as_value(51.6, "deg", "inclination")


def test_wrong_unit():
    with pytest.raises(u.UnitTypeError, match="altitude must have units of length.*got deg"):
        as_value(3 * u.deg, "km", "altitude")


def test_range_message_names_value_and_range():
    with pytest.raises(ValueError, match=r"inclination must be in \[0, 180\] deg, got 200 deg"):
        as_value([10, 200] * u.deg, "deg", "inclination", min=0, max=180)
    with pytest.raises(ValueError, match=r"tof must be > 0 s, got 0 s"):
        as_value(0 * u.s, "s", "tof", min=0, min_inclusive=False)


def test_nan_is_refused():
    with pytest.raises(ValueError, match="altitude must be finite"):
        as_value(np.nan * u.km, "km", "altitude")


def test_time_parsing():
    assert as_time("2024-05-09", "epoch").isot.startswith("2024-05-09")
    with pytest.raises(ValueError, match="epoch could not be parsed"):
        as_time("soon", "epoch")
    with pytest.raises(TypeError, match="epoch must be an astropy Time"):
        as_time(2024.5, "epoch")
