"""Direct lunar injection: in-plane launch instants checked on Chang'e-5 and Queqiao-2."""

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

from orbits.core.constants import GM_EARTH, R_EARTH
from orbits.errors import ArgumentError, NotFoundError
from orbits.lunar import direct_injection

# Wenchang (catalog missions/data/10_sites.toml, wiki-wenchang): 19.614 N, 110.951 E
WENCHANG = (19.614 * u.deg, 110.951 * u.deg)
# Chang'e-5: Long March 5 from Wenchang, liftoff 04:30 BJT 24 Nov 2020 = 20:30 UTC 23 Nov;
# "flew for about 2,200 seconds" to injection; near-Moon braking 20:58 BJT 28 Nov = 12:58 UTC
# (Xinhua / CNSA, 2020-11-24 and 2020-11-28)
CE5 = dict(arrival=Time("2020-11-28T12:58", scale="utc"), start="2020-11-23T12:00",
           stop="2020-11-24T12:00", ascent_duration=2200 * u.s)
CE5_LAUNCH = Time("2020-11-23T20:30", scale="utc")
# Queqiao-2: Long March 8 from Wenchang, liftoff 08:31 BJT 20 Mar 2024 = 00:31 UTC; "after 24
# minutes of flight" in a 200 x 420,000 km Earth-Moon transfer orbit (Xinhua / CNSA,
# 2024-03-20); lunar orbit insertion 2024-03-24 17:05 UTC (catalog, wiki-queqiao-2)
QQ2 = dict(arrival=Time("2024-03-24T17:05", scale="utc"), start="2024-03-19T12:00",
           stop="2024-03-20T12:00", ascent_duration=1440 * u.s)
QQ2_LAUNCH = Time("2024-03-20T00:31", scale="utc")


def _southeast_instant(inc, case):
    d = direct_injection(*WENCHANG, inclination=inc * u.deg, **case)
    rows = [d[k] for k in range(len(d))
            if d.plane[k] == "northbound half" and d.direction[k] == "descending"]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("case, flown", [(CE5, CE5_LAUNCH), (QQ2, QQ2_LAUNCH)])
def test_flown_instant_lies_in_the_predicted_daily_window(case, flown):
    # The south-east (descending) instant on the plane with the Moon arriving on its northbound
    # half moves later as the transfer inclination rises; from Wenchang's lowest inclination
    # to 30 deg it spans the flown liftoff.
    lo = _southeast_instant(20.0, case)["time"]
    hi = _southeast_instant(30.0, case)["time"]
    assert lo < flown < hi
    assert (hi - lo).to_value(u.h) < 6


def test_one_ascent_rate_predicts_queqiao2_from_change5():
    # Calibrate the ascent's downrange arc per second on Chang'e-5's flown instant, then
    # predict Queqiao-2's liftoff from its own published 24-minute ascent.
    lo, hi = 19.7, 30.0
    for _ in range(16):  # inclination whose south-east instant is the flown 20:30 UTC
        mid = 0.5 * (lo + hi)
        if _southeast_instant(mid, CE5)["time"] < CE5_LAUNCH:
            lo = mid
        else:
            hi = mid
    row = _southeast_instant(0.5 * (lo + hi), CE5)
    rate = row["downrange_arc"] / (2200 * u.s)
    assert 60 < row["downrange_arc"].to_value(u.deg) < 150  # < 2,200 s at orbital rate (149)
    pred = direct_injection(*WENCHANG, ascent_arc=rate * 1440 * u.s, vehicle="Long March 8",
                            site="Wenchang", **QQ2)
    best = pred.nearest(QQ2_LAUNCH)
    assert abs((best["time"] - QQ2_LAUNCH).to_value(u.min)) < 30
    assert best["direction"] == "descending"
    assert 90 < best["azimuth"].to_value(u.deg) < 120  # south-east
    # no published TLI capability for LM-8: the result says so instead of a number
    assert pred.payload is None and any("No published" in n for n in pred.notes)


def test_injection_state_and_transfer():
    d = direct_injection(*WENCHANG, inclination=23 * u.deg, vehicle="LM-8", **QQ2)
    row = d.nearest(QQ2_LAUNCH)
    r, v = row["injection_position"], row["injection_velocity"]
    assert np.linalg.norm(r.to_value(u.km)) == pytest.approx(R_EARTH + 200.0, rel=1e-9)
    assert float(r.to_value(u.km) @ v.to_value(u.km / u.s)) == pytest.approx(0.0, abs=1e-6)
    # published transfer 200 x 420,000 km (Xinhua 2024-03-20): C3 = -mu / a by vis-viva
    a = 0.5 * (2 * R_EARTH + 200.0 + 420000.0)
    assert row["c3"].to_value(u.km**2 / u.s**2) == pytest.approx(-GM_EARTH / a, rel=0.06)
    # injection = liftoff + ascent
    assert (row["injection_time"] - row["time"]).to_value(u.s) == pytest.approx(1440.0, abs=1e-3)
    assert "instants" in repr(d)


def test_long_march_5_payload_is_reported():
    d = direct_injection(*WENCHANG, inclination=22 * u.deg, vehicle="Long March 5", **CE5)
    assert d.payload.to_value(u.kg) == 8000.0  # China Daily 2019-12-27: "an 8-ton probe"


def test_bad_input():
    with pytest.raises(ArgumentError, match="inclination 10.00 deg is out of reach"):
        direct_injection(*WENCHANG, inclination=10 * u.deg, **CE5)
    with pytest.raises(ArgumentError, match="inclination or ascent_arc"):
        direct_injection(*WENCHANG, inclination=25 * u.deg, ascent_arc=90 * u.deg, **CE5)
    with pytest.raises(NotFoundError, match="Long March 55"):
        direct_injection(*WENCHANG, inclination=25 * u.deg, vehicle="Long March 55", **CE5)
    with pytest.raises(ArgumentError, match="stop .* must be before arrival"):
        direct_injection(*WENCHANG, inclination=25 * u.deg, arrival=CE5["arrival"],
                         start="2020-11-23", stop="2020-11-29")
