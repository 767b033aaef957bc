"""One verdict for a visit (missions.visit).

Sources of expected values:
- seeds/authorities/stations-2024-05-09.tle: the ISS and Tianhe planes on 2024-05-09, read
  here with sgp4's own parser (inclination of line 2);
- launch-site latitudes from the catalog (each with its source: Wikipedia Baikonur 45.965 N,
  Jiuquan 40.958 N, Vostochny 51.884 N), made geocentric with astropy's EarthLocation (WGS 84);
- the Russian Orbital Station at 51.6 deg (catalog record, collectSPACE 2025-12, Manturov);
- the docking facts of tests/missions/test_docking.py (SSVP vs the Chinese mechanism).
"""

import json

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import EarthLocation
from click.testing import CliRunner
from sgp4.api import Satrec

from missions import load_catalog
from missions.cli import cli
from missions.visit import visit
from orbits.errors import ArgumentError, NotFoundError
from orbits.history import read_histories

TLE = "seeds/authorities/stations-2024-05-09.tle"
KW = {"at": "2024-05-09T12:00", "elements": read_histories(TLE)}
GM = 398600.4418  # km^3/s^2, Vallado (4th ed.) table D-3


def _inclination(name):
    lines = open(TLE, encoding="utf-8").read().splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.strip() == name)
    return np.degrees(Satrec.twoline2rv(lines[k + 1], lines[k + 2]).inclo)


def _geocentric(lat_deg, lon_deg):
    loc = EarthLocation.from_geodetic(lon_deg * u.deg, lat_deg * u.deg, 0 * u.m)
    x, y, z = (c.to_value(u.km) for c in (loc.x, loc.y, loc.z))
    return np.degrees(np.arctan2(z, np.hypot(x, y)))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_soyuz_cannot_visit_the_chinese_station(catalog):
    v = visit("Soyuz MS", "Chinese space station", catalog=catalog, **KW)
    assert v.verdict.startswith("no: Soyuz MS cannot dock to Chinese space station")
    assert v.site == "Baikonur Cosmodrome" and v.can_dock == "no" and not v.can_visit
    assert "SSVP-G4000" in v.mechanisms_vehicle
    assert "Chinese docking mechanism" in v.mechanisms_station
    inc = _inclination("CSS (TIANHE)")
    assert v.station_inclination.to_value(u.deg) == pytest.approx(inc, abs=0.02)
    lat = _geocentric(45.965, 63.305)  # Baikonur
    assert v.site_latitude.to_value(u.deg) == pytest.approx(lat, abs=0.01)
    assert not v.direct_ascent  # 41.5 deg is below Baikonur's latitude
    assert v.plane_change.to_value(u.deg) == pytest.approx(lat - inc, abs=0.02)
    # 2 v sin(di/2) at the station's altitude (circular speed from GM)
    speed = np.sqrt(GM / (6378.137 + v.station_altitude.to_value(u.km)))
    dv = 2 * speed * np.sin(np.radians(lat - inc) / 2)
    assert v.dv_needed.to_value(u.km / u.s) == pytest.approx(dv, rel=0.01)
    text = v.to_text()
    assert "cannot dock" in text and "plane change" in text and "sources:" in text
    assert all(len(ln) <= 100 for ln in text.splitlines()[:40])
    json.dumps(v.to_dict())


def test_shenzhou_to_the_russian_segment(catalog):
    v = visit("Shenzhou", "ISS Russian segment", catalog=catalog, **KW)
    assert v.verdict.startswith("no:") and v.site == "Jiuquan Satellite Launch Center"
    # the segment flies in the ISS plane; Jiuquan (40.958 N) reaches 51.6 deg directly
    assert v.station_inclination.to_value(u.deg) == pytest.approx(_inclination("ISS (ZARYA)"),
                                                                   abs=0.02)
    assert v.direct_ascent and v.reachable and not v.can_visit


def test_orel_to_the_russian_orbital_station(catalog):
    v = visit("Orel", "Russian Orbital Station", catalog=catalog, **KW)
    assert v.site == "Vostochny Cosmodrome" and v.docking.relation == "direct"
    assert v.station_inclination.to_value(u.deg) == pytest.approx(51.6)
    lat = _geocentric(51.884, 128.334)  # Vostochny: just north of 51.6 deg
    assert not v.direct_ascent
    assert v.plane_change.to_value(u.deg) == pytest.approx(lat - 51.6, abs=0.02)
    assert v.verdict.startswith("yes (planned hardware")


def test_soyuz_to_the_iss(catalog):
    v = visit("Soyuz MS", "ISS", catalog=catalog, **KW)
    assert v.verdict.startswith("yes:") and v.direct_ascent and v.documented and v.can_visit
    assert "2016-07-09" in v.dockings  # TASS 2016-07-09: Soyuz MS-01 to Rassvet


def test_bad_visits(catalog):
    with pytest.raises(ArgumentError, match="is a station"):
        visit("ISS", "Chinese space station", catalog=catalog, **KW)
    with pytest.raises(ArgumentError, match="no orbit.*Chinese space station"):
        visit("Soyuz TM-16", "Mir", catalog=catalog, **KW)
    with pytest.raises(NotFoundError, match="Luna-25"):
        visit("Luna-25", "ISS", catalog=catalog, **KW)


def test_cli_visit():
    out = CliRunner().invoke(cli, ["visit", "Soyuz MS", "Chinese space station", "--at",
                                   "2024-05-09T12:00", "--tle", TLE, "--format", "json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    assert d["can_dock"] == "no" and d["site"] == "Baikonur Cosmodrome"
    out = CliRunner().invoke(cli, ["visit", "Soyuz MS", "Mir"])
    assert out.exit_code == 2 and "no orbit" in out.output


def test_a_date_before_the_chinese_station_still_works_for_the_iss(catalog):
    # Tianhe was launched on 2021-04-29 (Xinhua 2021-06-17): no Chinese element set reaches
    # 2018, but the ISS visit needs only the ISS plane (51.64 deg, NASA ISS facts) and warns
    # that its nearest set is far from the date
    from orbits.errors import StaleInputWarning

    with pytest.warns(StaleInputWarning):
        v = visit("Soyuz MS", "ISS", at="2018-06-01", catalog=catalog)
    assert v.verdict.startswith("yes:") and v.warnings
    assert v.station_inclination.to_value(u.deg) == pytest.approx(51.64, abs=0.05)
