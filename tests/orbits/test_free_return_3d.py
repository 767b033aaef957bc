"""Free return in 3D with the DE421 Moon (Earth + Moon + Sun point masses), against Apollo 13.

Every Apollo 13 figure comes from seeds/authorities/apollo13/apollo13_free_return.csv (its
PROVENANCE.md says where each was read): launch 19:13:00 UTC 11 April 1970; TLI cut-off
21:54:47 UTC (NSSDC), ignition GET 2:35:46 = 21:48:46 UTC (Orloff, NASA SP-2000-4029, as in
seeds/authorities/apollo/apollo_tli_loi.csv), so mid-burn 21:51:46.5 UTC; pericynthion 254 km
(137 nmi) over the far side at 00:21:00 UTC 15 April; the DPS-1 burn (11.6 m/s at 08:43 UTC
14 April) put Apollo 13 back on a free return "targeted at the Indian Ocean at 03:13 UT 18
April"; PC+2 (262 m/s, 263.4 s from 02:40:39 UTC 15 April) "shortened the estimated return
time to 18:06 UT 17 April"; entry flight-path angle -6.52 deg after MCC-5 (NSSDC).

What the model can and cannot fly (the module docstring says the same): a free return from
TLI alone, at the flown TLI and perilune epochs, is a one-parameter family (the TLI's
out-of-plane angle); its flyby altitude has a minimum. Apollo 13's 254 km lies below that
minimum by more than the model's error: the flown free return came after mid-course burns
(MCC-2 to the hybrid trajectory, DPS-1 back), whose directions are not published, so they are
not re-flown here.
"""

import csv
import math
import re
from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

import orbits
from orbits.core.constants import R_EARTH
from orbits.errors import ArgumentError, ArgumentTypeError, ConvergenceError
from orbits.lunar import free_return, free_return_3d

_CSV = (Path(__file__).resolve().parents[2] / "seeds" / "authorities" / "apollo13"
        / "apollo13_free_return.csv")
A13 = {row["quantity"]: row for row in csv.DictReader(_CSV.open(encoding="utf-8"))}


def _utc(quantity):
    return Time(A13[quantity]["value"], scale="utc")


def _number(quantity):
    return float(A13[quantity]["value"].split()[0])


# TLI mid-burn: ignition 21:48:46 UTC (Orloff SP-2000-4029, GET 2:35:46), cut-off from the CSV
A13_TLI = Time("1970-04-11T21:48:46", scale="utc") + 0.5 * (
    _utc("TLI cut-off") - Time("1970-04-11T21:48:46", scale="utc"))
A13_FLYBY = _utc("pericynthion epoch")
A13_PERILUNE = _number("pericynthion altitude") * u.km
A13_FREE_RETURN_SPLASH = _utc("free-return target after DPS-1 (splashdown)")
# return perigee of the entry corridor: a near-parabolic return with flight-path angle gamma at
# entry interface (400,000 ft = 121.92 km) has its vacuum perigee at r_EI cos^2(gamma)
# (parabola: h^2 = 2 k r_p and h = r v cos(gamma) with v^2 = 2 k / r)
A13_PERIGEE = ((R_EARTH + 121.92) * math.cos(math.radians(_number(
    "entry flight-path angle after MCC-5"))) ** 2 - R_EARTH) * u.km  # 38 km


@pytest.fixture(scope="module")
def apollo13():
    # the original call (other code and the notebook use this signature)
    return free_return_3d(A13_TLI, A13_FLYBY, parking_altitude=185 * u.km,
                          parking_inclination=32.5 * u.deg, return_perigee_altitude=45 * u.km,
                          rtol=1e-9)


def test_apollo13_free_return_geometry(apollo13):
    r = apollo13
    # the corrected trajectory meets its targets: perilune at the flyby epoch, return perigee
    # at the requested 45 km (independently: the smallest geocentric radius of the samples
    # after the flyby)
    assert abs((r.perilune_epoch - A13_FLYBY).to_value(u.s)) < 1.0
    assert abs(r.return_perigee_altitude.to_value(u.km) - 45.0) < 1.0
    after = r.times > r.perilune_epoch
    r_min = np.min(np.linalg.norm(r.positions[after], axis=1)) - R_EARTH
    assert abs(r_min - 45.0) < 20.0  # 400 samples over ~6 days: coarse near perigee
    # as flown: over the far side, on the retrograde (figure-eight) side of the Moon
    assert bool(r.far_side)
    assert r.flyby_inclination > 90 * u.deg
    # without a target the TLI stays in the parking plane: no out-of-plane angle, and the
    # return leg's time of flight is the difference of the two epochs
    assert r.tli_out_of_plane is None and "parking plane" in r.target
    assert abs((r.return_epoch - r.perilune_epoch).to_value(u.h) - r.return_tof.to_value(u.h)) \
        < 1e-6
    assert "\n" not in repr(r) and r.to_dict()["far_side"] is True


def test_apollo13_flown_perilune_is_below_the_tli_only_family():
    # Target the flown perilune (254 km at the flown epoch, return to the -6.52 deg corridor)
    # with TLI alone: the model says it cannot be flown and reports the family's lowest flyby.
    with pytest.raises(ConvergenceError, match=r"flyby_altitude 254 km cannot be reached") as exc:
        free_return_3d(A13_TLI, A13_FLYBY, return_perigee_altitude=A13_PERIGEE,
                       flyby_altitude=A13_PERILUNE, rtol=1e-8)
    msg = str(exc.value)
    assert "constraint flyby_altitude is off by" in msg
    lowest = float(re.search(r"reach down to ([0-9.]+) km", msg).group(1)) * u.km
    returning = Time(re.search(r"returning (\d{4}-\d\d-\d\dT\d\d:\d\d)", msg).group(1),
                     scale="utc")
    gap = lowest - A13_PERILUNE
    # Modelling error of that lowest flyby, from the two inputs that are not point facts
    # (sensitivities measured with this model, rtol 1e-8):
    #  - the impulsive TLI stands for a 6-minute burn (ignition 21:48:46, cut-off 21:54:47
    #    UTC): its equivalent epoch is uncertain by +-3 min, and moving the TLI by -3 / +3 min
    #    moves the lowest flyby to 301.3 / 284.9 km: +-8 km;
    #  - the return perigee: 38 km from the -6.52 deg entry angle over a 6378 km sphere; over
    #    the local radius at the entry latitude (~6374 km) it is ~4 km lower, and the lowest
    #    flyby moves by 0.65 km per km of return perigee (45 km gives 298 km): +-3 km.
    # The published 254 km lies below the family by more than that (+39 km): a real
    # discrepancy. It is not the TLI model: a TLI-only free return would need a TLI about
    # 15 min later (a faster approach) to fly 254 km at the flown perilune epoch. Apollo 13
    # flew MCC-2 and DPS-1 between TLI and the Moon (not modelled; their directions are not
    # published), which changed its approach.
    assert gap > (8 + 3) * u.km
    # The second published observable points the same way: along the family a higher flyby
    # returns later, and even its lowest flyby comes back (vacuum perigee) after the flown free
    # return's predicted splashdown (03:13 UTC 18 April), which itself follows that return's
    # perigee by the entry and descent.
    assert returning > A13_FREE_RETURN_SPLASH


def test_apollo13_pc2_shortens_the_return_as_flown():
    # The reachable free return nearest the flown one (300 km: 46 km above it, 7 km above the
    # family's lowest), with PC+2 as an impulsive burn of the published size at the published
    # burn's middle, aimed to keep the return perigee in the corridor.
    pc2 = (_utc("PC+2 epoch (ignition)") + 0.5 * _number("PC+2 duration") * u.s,
           _number("PC+2 delta-v") * u.m / u.s)
    r = free_return_3d(A13_TLI, A13_FLYBY, return_perigee_altitude=A13_PERIGEE,
                       flyby_altitude=300 * u.km, post_flyby_burn=pc2, rtol=1e-8)
    assert abs(r.flyby_altitude.to_value(u.km) - 300.0) < 0.05
    assert abs((r.perilune_epoch - A13_FLYBY).to_value(u.s)) < 1.0
    assert abs((r.return_perigee_altitude - A13_PERIGEE).to_value(u.km)) < 0.1
    assert r.tli_out_of_plane > 0 * u.deg and abs(r.burn_angle) < 30 * u.deg
    # Published: PC+2 moved the predicted splashdown from 03:13 UTC 18 April to 18:06 UTC
    # 17 April (both NSSDC estimates, so the entry-to-splashdown time cancels): 9 h 07 min.
    published = (A13_FREE_RETURN_SPLASH
                 - _utc("return after PC+2 (estimated splashdown)")).to(u.min)
    model = (r.free_return_epoch - r.return_epoch).to(u.min)
    # Tolerance, the sum of the modelling errors (each measured in this model):
    #  - the flyby 46 km above the flown one: the PC+2 shortening changes by 0.13 min per km
    #    of flyby along the family (296 .. 350 km): 6 min;
    #  - PC+2's direction is not published: aimed in the orbit plane here; tilting it 5 deg
    #    out of the plane (re-aimed to the same perigee) moves the return by -2 .. +6 min;
    #  - rounding of the published figures: two epochs to the minute, 262 m/s to 0.5 m/s
    #    (2.1 min per m/s): 3 min.
    assert abs(model - published) < 15 * u.min


def test_return_epoch_target_is_met(apollo13):
    # a return one hour earlier than the in-plane member's (published: none; this checks the
    # targeting itself): the flyby altitude is then the result, and the return perigee epoch
    # and altitude meet their targets
    base = apollo13
    want = base.return_epoch - 1 * u.h
    r = free_return_3d(A13_TLI, A13_FLYBY, parking_altitude=185 * u.km,
                       parking_inclination=32.5 * u.deg, return_perigee_altitude=45 * u.km,
                       return_epoch=want, rtol=1e-8)
    assert abs((r.return_epoch - want).to_value(u.s)) < 1.0
    assert abs(r.return_perigee_altitude.to_value(u.km) - 45.0) < 1.0
    # earlier return, lower flyby (the family's ordering; planar analogue: Curtis eq. 8.55,
    # a lower flyby turns the excess velocity more)
    assert r.flyby_altitude < base.flyby_altitude
    assert len(r.family) >= 3 and r.tli_out_of_plane is not None


def test_planar_free_return_still_works():
    # the planar function is unchanged (tests/orbits/test_lunar.py checks its values)
    f = free_return(flyby_altitude=[200, 500] * u.km)
    assert f.return_perigee_altitude.shape == (2, 2)
    assert hasattr(orbits, "free_return")


def test_free_return_3d_bad_input():
    with pytest.raises(ArgumentError, match="arrival must be 0.5 .. 10 days after departure"):
        free_return_3d(A13_TLI, A13_TLI + 12 * u.day)
    with pytest.raises(ArgumentError, match="rtol"):
        free_return_3d(A13_TLI, A13_FLYBY, rtol=1e-3)
    with pytest.raises(ArgumentError, match="flyby_altitude or return_epoch, not both"):
        free_return_3d(A13_TLI, A13_FLYBY, flyby_altitude=300 * u.km,
                       return_epoch=A13_FREE_RETURN_SPLASH)
    with pytest.raises(ArgumentError, match="flyby_altitude"):
        free_return_3d(A13_TLI, A13_FLYBY, flyby_altitude=-5 * u.km)
    with pytest.raises(ArgumentError, match="return_epoch must be 0.5 .. 7 days after arrival"):
        free_return_3d(A13_TLI, A13_FLYBY, return_epoch=A13_FLYBY + 1 * u.h)
    with pytest.raises(ArgumentTypeError, match=r"post_flyby_burn must be an \(epoch, delta-v\)"):
        free_return_3d(A13_TLI, A13_FLYBY, post_flyby_burn=262 * u.m / u.s)
    with pytest.raises(ArgumentError, match=r"post_flyby_burn\[0\] must fall after the perilune"):
        free_return_3d(A13_TLI, A13_FLYBY, post_flyby_burn=(A13_TLI + 1 * u.day,
                                                            262 * u.m / u.s))
    with pytest.raises(ArgumentError, match="max_iterations"):
        free_return_3d(A13_TLI, A13_FLYBY, max_iterations=0)
