"""TLE loading and SGP4 states (orbits.tle).

Sources of expected values:
- seeds/authorities/stations-2024-05-09.tle: the element values as printed on the TLE lines
  (parsed here by column, independently of sgp4).
- sgp4 (the python-sgp4 package) called directly in the same test.
"""

from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time
from numpy.testing import assert_allclose

from orbits import tle as T

TLE_FILE = Path(__file__).resolve().parents[2] / "seeds" / "authorities" / "stations-2024-05-09.tle"


def _raw_sets():
    lines = [ln.rstrip("\n") for ln in TLE_FILE.read_text().splitlines() if ln.strip()]
    return [(lines[k].strip(), lines[k + 1].rstrip(), lines[k + 2].rstrip())
            for k in range(0, len(lines), 3)]


def test_default_file_is_the_checked_in_authority_file():
    assert T.default_tle_path().read_bytes() == TLE_FILE.read_bytes()
    tles = T.load_tles()
    assert list(tles) == [name for name, _, _ in _raw_sets()]
    assert T.load_tles(TLE_FILE) == tles  # explicit path, same content


@pytest.mark.parametrize("name, l1, l2", _raw_sets())
def test_mean_elements_equal_tle_columns(name, l1, l2):
    t = T.from_tle(name)
    assert t.line1 == l1 and t.line2 == l2
    # TLE format: line 2 columns 9-16 inclination, 18-25 node, 27-33 eccentricity (implied
    # decimal point), 35-42 argument of perigee, 44-51 mean anomaly, 53-63 mean motion rev/day
    assert_allclose(t.inc.to_value(u.deg), float(l2[8:16]), atol=1e-10)
    assert_allclose(t.raan.to_value(u.deg), float(l2[17:25]), atol=1e-10)
    assert_allclose(t.ecc.value, float("0." + l2[26:33]), atol=1e-12)
    assert_allclose(t.argp.to_value(u.deg), float(l2[34:42]), atol=1e-10)
    assert_allclose(t.mean_anomaly.to_value(u.deg), float(l2[43:51]), atol=1e-10)
    assert_allclose(t.mean_motion.to_value(u.cycle / u.day), float(l2[52:63]), rtol=1e-12)
    # line 1 columns 19-32: epoch year (2 digits) and day of year with fraction
    year, doy = 2000 + int(l1[18:20]), float(l1[20:32])
    ref = Time(f"{year}-01-01T00:00:00", scale="utc") + (doy - 1.0) * u.day
    assert abs((t.epoch - ref).to_value(u.s)) < 1e-3
    assert t.catalog_number == int(l1[2:7])
    # mean semi-major axis consistent with the Kozai mean motion (WGS 72 mu = 398600.8):
    # SGP4's un-Kozai correction changes it by well under 0.1 %
    n = float(l2[52:63]) * 2 * np.pi / 86400.0
    assert abs(t.a.to_value(u.km) / (398600.8 / n**2) ** (1 / 3) - 1) < 1e-3
    assert 350 < t.altitude.to_value(u.km) < 450  # both stations fly at 370-430 km


def test_states_equal_sgp4_directly():
    from sgp4.api import WGS72, Satrec

    tles = T.load_tles()
    names = ["ISS (ZARYA)", "CSS (TIANHE)", "SHENZHOU-18 (SZ-18)"]
    times = Time("2024-05-09T00:00:00", scale="utc") + np.arange(0, 48, 1.5).reshape(4, 8) * u.h
    r, v = T.states([tles[n] for n in names], times)
    assert r.shape == (3, 4, 8, 3) and v.shape == (3, 4, 8, 3)
    for k, n in enumerate(names):
        sat = Satrec.twoline2rv(tles[n].line1, tles[n].line2, WGS72)
        e, rr, vv = sat.sgp4_array(times.utc.jd1.ravel(), times.utc.jd2.ravel())
        assert not np.any(e)
        assert_allclose(r[k].reshape(-1, 3).to_value(u.km), rr, rtol=0, atol=1e-9)
        assert_allclose(v[k].reshape(-1, 3).to_value(u.km / u.s), vv, rtol=0, atol=1e-12)
    # the single-object method gives the same
    r1, _v1 = tles["ISS (ZARYA)"].state(times[0])
    assert_allclose(r1.to_value(u.km), r[0, 0].to_value(u.km), atol=1e-12)
    # scalar time: shape (3,)
    assert tles["ISS (ZARYA)"].state("2024-05-09T12:00:00")[0].shape == (3,)


def test_from_lines_and_two_line_file(tmp_path):
    name, l1, l2 = _raw_sets()[0]
    t = T.from_tle(l1, l2)
    assert t.name == "25544" and t.raan == T.from_tle(name).raan
    p = tmp_path / "two_line.tle"
    p.write_text(f"{l1}\n{l2}\n")
    loaded = T.load_tles(p)
    assert list(loaded) == ["25544"]
    assert T.from_tle("25544", path=p).epoch == t.epoch


def test_to_boinor_state_at_epoch():
    from astropy.coordinates import GCRS, TEME, CartesianDifferential, CartesianRepresentation

    iss = T.from_tle("ISS (ZARYA)")
    orb = iss.to_boinor()
    assert orb.epoch == iss.epoch
    r, v = iss.state(iss.epoch)
    # a rotation from TEME to GCRS keeps lengths; check against an independent astropy call
    rep = CartesianRepresentation(r, differentials=CartesianDifferential(v))
    g = TEME(rep, obstime=iss.epoch).transform_to(GCRS(obstime=iss.epoch))
    assert_allclose(orb.r.to_value(u.km), g.cartesian.xyz.to_value(u.km), atol=1e-6)
    assert_allclose(np.linalg.norm(orb.r.to_value(u.km)), np.linalg.norm(r.to_value(u.km)),
                    rtol=1e-12)
    # osculating GCRS inclination close to the TEME mean inclination (frame tilt since J2000
    # plus short-period J2 terms: well under 0.2 deg)
    assert abs((orb.inc - iss.inc).to_value(u.deg)) < 0.2


def test_bad_input():
    name, l1, l2 = _raw_sets()[0]
    bad = l2[:10] + ("1" if l2[10] != "1" else "2") + l2[11:]
    with pytest.raises(ValueError, match="checksum"):
        T.from_tle(l1, bad)
    with pytest.raises(ValueError, match="69-character"):
        T.from_tle(l1[:40], l2)
    with pytest.raises(ValueError, match="catalog numbers"):
        T.from_tle(l1, _raw_sets()[1][2])
    with pytest.raises(KeyError, match=r"closest: \['ISS \(ZARYA\)'"):
        T.from_tle("ISS ZARYA")
    with pytest.raises(FileNotFoundError, match="nope.tle"):
        T.load_tles("nope.tle")
    with pytest.raises(TypeError, match="times"):
        T.from_tle(name).state(12.0)
    with pytest.raises(TypeError, match="tles"):
        T.states([], "2024-05-09")


def test_embedded_tle_file_ships_in_the_package_and_equals_the_authority():
    """An installed (non-editable) copy has no seeds/ folder: the default TLE file must live
    inside the orbits package, byte-identical to seeds/authorities/stations-2024-05-09.tle."""
    from pathlib import Path

    import orbits
    from orbits.tle import default_tle_path

    path = default_tle_path()
    assert Path(orbits.__file__).resolve().parent in path.resolve().parents
    authority = Path(__file__).resolve().parents[2] / "seeds" / "authorities" / path.name
    assert path.read_bytes() == authority.read_bytes()


def test_file_errors_name_file_line_and_field(tmp_path):
    from orbits.errors import DataFileError, NotFoundError

    raw = _raw_sets()
    name, l1, _ = raw[0]
    p = tmp_path / "bad.tle"
    # ISS line 1 followed by Tianhe's line 2 (seeds/authorities file): mixed-up objects
    p.write_text(f"{name}\n{l1}\n{raw[1][2]}\n")
    with pytest.raises(DataFileError, match=r"bad\.tle, line 3 \(TLE line 2\), catalogue number"):
        T.load_tles(p)
    p.write_text("")
    with pytest.raises(DataFileError, match="empty"):
        T.load_tles(p)
    with pytest.raises(NotFoundError):
        T.load_tles()["Mir"]


def test_alpha5_catalogue_numbers():
    # Alpha-5 scheme (Space Force, 2020s): first letter A=10 ... Z=33, skipping I and O
    assert T.catalog_number_from("25544") == 25544
    assert T.catalog_number_from("A0001") == 100001
    assert T.catalog_number_from("J2931") == 182931  # J is the 9th letter kept: 18
    with pytest.raises(ValueError):
        T.catalog_number_from("I0001")
