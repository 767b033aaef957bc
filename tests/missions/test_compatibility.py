"""Station compatibility verdicts (missions.compatibility).

Sources of expected values:
- the catalog's own records (missions/data: site coordinates, station inclinations and
  altitudes, documented inclinations), each with its catalog source;
- astropy EarthLocation for the geocentric latitude of the sites (WGS 84);
- boinor: plane-change Δv as the velocity difference of two circular orbits at their node;
- seeds/authorities/stations-2024-05-09.tle (line values): stations whose records name element
  sets (ISS, Chinese station) take their plane from the set nearest the analysis date; these
  tests pass ``at=2024-05-09`` and exactly those sets (``KW``).
"""

from types import SimpleNamespace

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import EarthLocation
from numpy.testing import assert_allclose

from missions import load_catalog
from missions.compatibility import station_compatibility, station_orbits
from missions.records import Fact, LaunchVehicle
from orbits.core.constants import R_EARTH
from orbits.history import read_histories

TLE = "seeds/authorities/stations-2024-05-09.tle"
KW = {"at": "2024-05-09T12:00", "elements": read_histories(TLE)}

KMS = u.km / u.s


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def table(catalog):
    return station_compatibility(catalog=catalog, **KW)


def _geocentric(site):
    loc = EarthLocation.from_geodetic(site.longitude, site.latitude, 0 * u.m)
    return np.degrees(np.arctan2(loc.z.value, np.hypot(loc.x.value, loc.y.value)))


def _row(t, vehicle, site, station):
    m = (t["vehicle"] == vehicle) & (t["site"] == site) & (t["station"] == station)
    assert m.sum() == 1, (vehicle, site, station)
    return t[m][0]


def _boinor_plane_change(alt_km, i1, i2):
    from boinor.bodies import Earth
    from boinor.twobody import Orbit

    a = (R_EARTH + alt_km) * u.km
    o1 = Orbit.from_classical(Earth, a, 0 * u.one, i1 * u.deg, 0 * u.deg, 0 * u.deg, 0 * u.deg)
    o2 = Orbit.from_classical(Earth, a, 0 * u.one, i2 * u.deg, 0 * u.deg, 0 * u.deg, 0 * u.deg)
    return np.linalg.norm((o2.v - o1.v).to_value(KMS))


def test_soyuz_from_baikonur_to_chinese_station(catalog, table):
    site = catalog.site("baikonur")
    css = next(s for s in station_orbits(catalog, **KW) if s.key == "css")
    row = _row(table, catalog.vehicle("soyuz-ms").name, site.name, css.name)
    lat = _geocentric(site)
    assert not row["direct"]
    assert_allclose(row["site_latitude"].to_value(u.deg), lat, atol=1e-9)
    assert_allclose(row["plane_change"].to_value(u.deg), lat - css.inclination.to_value(u.deg),
                    atol=1e-9)
    ref = _boinor_plane_change(css.altitude.to_value(u.km), lat, css.inclination.to_value(u.deg))
    assert_allclose(row["dv_needed"].to_value(KMS), ref, rtol=1e-9)
    assert bool(row["dv_capacity"].mask)  # no published Δv for Soyuz MS in the catalog
    assert "not published" in row["verdict"]
    assert "wiki-baikonur" in row["sources"]


def test_home_routes_are_direct_and_documented(catalog, table):
    # Shenzhou from Jiuquan and Tianzhou from Wenchang to the Chinese station; Soyuz from
    # Baikonur to the ISS: the catalog documents those inclinations for those sites
    stations = {s.key: s for s in station_orbits(catalog, **KW)}
    for veh, site, st in (("shenzhou", "jiuquan", "css"), ("tianzhou", "wenchang", "css"),
                          ("soyuz-ms", "baikonur", "iss")):
        s = catalog.site(site)
        row = _row(table, catalog.vehicle(veh).name, s.name, stations[st].name)
        assert row["direct"] and row["documented"], row
        assert row["dv_needed"].value == 0.0
        assert _geocentric(s) <= stations[st].inclination.to_value(u.deg)


def test_vostochny_sits_just_north_of_the_iss_plane(catalog, table):
    # Vostochny's geocentric latitude (astropy) exceeds the ISS inclination (51.6381 deg in the
    # 2024-05-09 TLE),
    # so a small plane change is needed
    site = catalog.site("vostochny")
    iss = next(s for s in station_orbits(catalog, **KW) if s.key == "iss")
    lat = _geocentric(site)
    assert lat > iss.inclination.to_value(u.deg)
    row = _row(table, catalog.vehicle("soyuz-ms").name, site.name, iss.name)
    assert not row["direct"]
    ref = _boinor_plane_change(iss.altitude.to_value(u.km), lat, iss.inclination.to_value(u.deg))
    assert_allclose(row["dv_needed"].to_value(KMS), ref, rtol=1e-9)
    assert row["dv_needed"].to_value(u.m / u.s) < 50


def test_tle_fallback_when_catalog_has_no_stations():
    stations = station_orbits(SimpleNamespace(missions=[]), **KW)
    assert [s.source for s in stations] == [
        "elements ISS (ZARYA) epoch 2024-05-09 08:48 UTC (stations-2024-05-09.tle)",
        "elements CSS (TIANHE) epoch 2024-05-09 00:08 UTC (stations-2024-05-09.tle)"]
    assert [s.input.name for s in stations] == ["ISS (ZARYA)", "CSS (TIANHE)"]
    # TLE line 2 inclinations: ISS (ZARYA) 51.6381, CSS (TIANHE) 41.4681
    assert_allclose([s.inclination.to_value(u.deg) for s in stations], [51.6381, 41.4681])


def test_capacity_verdicts_with_a_published_capacity(catalog):
    base = catalog.vehicle("soyuz-ms")
    fact = Fact("delta_v", 0.5 * KMS, base.source)
    veh = LaunchVehicle(base.key, base.name, base.country, base.kind, base.source, facts=(fact,))
    stub = SimpleNamespace(missions=catalog.missions, site=catalog.site,
                           vehicle=lambda name: veh)
    t = station_compatibility([("soyuz-ms", "baikonur"), ("soyuz-ms", "vostochny")],
                              catalog=stub, **KW)
    assert not t["dv_capacity"].mask.any()
    assert_allclose(t["dv_capacity"].unmasked.to_value(KMS), 0.5)
    for row in t:
        if row["direct"]:
            assert row["verdict"].startswith("direct ascent")
        elif row["dv_needed"] <= 0.5 * KMS:
            assert "within capacity" in row["verdict"]
        else:
            assert "exceeds capacity" in row["verdict"]
    verdicts = " ".join(t["verdict"])
    assert "within capacity" in verdicts and "exceeds capacity" in verdicts


def test_bad_scenarios(catalog):
    from orbits.errors import ArgumentError, ArgumentTypeError, NotFoundError

    with pytest.raises(ArgumentTypeError, match="pair"):
        station_compatibility(["soyuz-ms"], catalog=catalog, **KW)
    with pytest.raises(NotFoundError, match="no-such-ship"):
        station_compatibility([("no-such-ship", "baikonur")], catalog=catalog, **KW)
    with pytest.raises(ArgumentError, match="no stations"):
        station_compatibility(catalog=catalog, stations=[])


def test_baikonur_corridor_not_geometry_keeps_soyuz_from_the_chinese_station():
    """Geometry lets Baikonur (45.77 deg geocentric) reach 45.8 deg, but its documented
    corridors start at 51.5 deg (ILS Proton Mission Planner's Guide parking orbit, catalog
    source ils-proton-mpg). From there the turn to the Chinese station's 41.47 deg (TLE column
    41.4681, seeds/authorities) costs 2 v sin(di/2), v = sqrt(mu / (R_E + h)) at the station's
    altitude (its element set nearest the analysis date), mu = 398600.4418 km^3/s^2,
    R_E = 6378.137 km (WGS 84)."""
    import numpy as np

    from missions import load_catalog
    from missions.compatibility import station_compatibility, station_orbits

    cat = load_catalog()
    t = station_compatibility([("soyuz-ms", "baikonur")], catalog=cat, **KW)
    row = t[next(i for i, s in enumerate(t["station"]) if s == "Chinese space station")]
    css = next(s for s in station_orbits(cat, **KW) if s.name == "Chinese space station")
    v = np.sqrt(398600.4418 / (6378.137 + css.altitude.to_value(u.km)))
    di = np.radians(51.5 - css.inclination.to_value(u.deg))
    assert float(row["documented_inclination"].to_value(u.deg)) == pytest.approx(51.5)
    assert float(row["dv_from_documented"].to_value(u.km / u.s)) == pytest.approx(2 * v * np.sin(di / 2), rel=1e-9)
    assert not row["direct"]
    assert "documented corridor (51.5°)" in row["verdict"]
    iss = t[next(i for i, s in enumerate(t["station"]) if s == "ISS")]
    assert iss["documented"] and float(iss["dv_from_documented"].to_value(u.km / u.s)) == 0.0
