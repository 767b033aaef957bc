"""Moon/Sun/EMB ephemeris: checked against independent readers of the same DE421 kernel
(jplephem's own ``SPK.compute_and_differentiate`` and Skyfield), computed in the same test."""

from pathlib import Path

import numpy as np
import pytest
from astropy import units as u
from astropy.time import Time

import orbits
from orbits.ephemeris import _de421_path, ephemeris_input, ephemeris_span, geocentric_states_km
from orbits.errors import ArgumentError, ArgumentTypeError, DataFileError, DateRangeError

DE421 = str(_de421_path())


@pytest.fixture(scope="module")
def jpl():
    from jplephem.spk import SPK

    kernel = SPK.open(DE421)
    yield kernel
    kernel.close()


@pytest.fixture(scope="module")
def epochs():
    rng = np.random.default_rng(421)
    # random TDB epochs across the whole kernel, 1900-2050
    jd = rng.uniform(2415020.5, 2469807.5, size=500)
    return Time(jd, format="jd", scale="tdb")


def _jpl_geocentric(kernel, body, jd):
    """Independent reference: jplephem's own Chebyshev evaluation (km, km/day -> km/s)."""
    pe, ve = kernel[3, 399].compute_and_differentiate(jd)
    if body == "moon":
        p, v = kernel[3, 301].compute_and_differentiate(jd)
    elif body == "sun":
        p1, v1 = kernel[0, 10].compute_and_differentiate(jd)
        p2, v2 = kernel[0, 3].compute_and_differentiate(jd)
        p, v = p1 - p2, v1 - v2
    else:
        p, v = 0.0 * pe, 0.0 * ve
    return (p - pe).T, (v - ve).T / 86400.0


@pytest.mark.parametrize("body,func", [("moon", "moon_state"), ("sun", "sun_state"), ("emb", "emb_state")])
def test_matches_jplephem_compute(jpl, epochs, body, func):
    # Reference: jplephem SPK.compute_and_differentiate on the same de421.bsp, same epochs.
    r, v = getattr(orbits, func)(epochs)
    assert r.unit == u.km and v.unit == u.km / u.s
    assert r.shape == (500, 3)
    r_ref, v_ref = _jpl_geocentric(jpl, body, epochs.tdb.jd)
    # Same polynomials, so agreement to round-off: 1 mm in position, 1e-9 km/s in velocity.
    np.testing.assert_allclose(r.value, r_ref, rtol=0, atol=1e-6)
    np.testing.assert_allclose(v.value, v_ref, rtol=0, atol=1e-9)


def test_matches_skyfield():
    skyfield_api = pytest.importorskip("skyfield.api")
    # Reference: Skyfield reading the same DE421 kernel, (moon - earth).at(t), in the same test.
    ts = skyfield_api.load.timescale(builtin=True)
    eph = skyfield_api.load_file(DE421)
    jd = np.linspace(2458849.5, 2462502.5, 200)  # 2020-2030
    t_sf = ts.tdb_jd(jd)
    # Round-off of the split-time arithmetic: 1 mm at the Moon, 0.1 m at the Sun (1.5e8 km).
    for name, func, atol in (("moon", orbits.moon_state, 1e-6), ("sun", orbits.sun_state, 1e-4)):
        state = (eph[name] - eph["earth"]).at(t_sf)
        r, v = func(Time(jd, format="jd", scale="tdb"))
        np.testing.assert_allclose(r.to_value(u.km), state.position.km.T, rtol=0, atol=atol)
        np.testing.assert_allclose(
            v.to_value(u.km / u.s), state.velocity.km_per_s.T, rtol=0, atol=1e-9
        )


def test_moon_distance_and_barycentre_physics():
    # Moon geocentric distance stays within perigee/apogee extremes 356,400..406,700 km
    # (Meeus, "Astronomical Algorithms", 2nd ed., ch. 50); the EMB lies on the Earth-Moon line
    # at mu = GM_moon/(GM_earth+GM_moon) of the distance (definition; DE421 GMs).
    t = Time("2024-01-01", scale="tdb") + np.linspace(0, 365, 3000) * u.day
    r, _ = orbits.moon_state(t)
    d = np.linalg.norm(r.to_value(u.km), axis=-1)
    assert 356_000 < d.min() < 358_000 and 405_000 < d.max() < 407_000
    rb, _ = orbits.emb_state(t)
    from orbits.core.constants import MU_EARTH_MOON

    np.testing.assert_allclose(rb.to_value(u.km), r.to_value(u.km) * MU_EARTH_MOON, atol=1e-6)


def test_shapes_broadcast_and_scalar():
    t = Time("2025-03-01", scale="utc") + np.arange(6).reshape(2, 3) * u.day
    r, v = orbits.moon_state(t)
    assert r.shape == (2, 3, 3) and v.shape == (2, 3, 3)
    r0, _ = orbits.moon_state(t[1, 2])
    assert r0.shape == (3,)
    np.testing.assert_allclose(r0.value, r[1, 2].value, atol=1e-9)
    # ISO string accepted
    r1, _ = orbits.moon_state("2025-03-06")
    assert r1.shape == (3,)


def test_span_is_the_kernels_real_span():
    # DE421 header: JED 2414864.5 .. 2471184.5 (1899-07-29 .. 2053-10-09), as listed by
    # jplephem's SPK summary of the same file.
    span = ephemeris_span()
    np.testing.assert_allclose(span.tdb.jd, [2414864.5, 2471184.5], atol=1e-9)
    orbits.moon_state(Time("1899-08-01", scale="tdb"))
    orbits.moon_state(Time("2053-10-01", scale="tdb"))
    with pytest.raises(DateRangeError, match=r"epochs must lie within the de421.bsp span 1899-07-29 \.\. 2053-10-09"):
        orbits.moon_state(Time(["2030-01-01", "2060-01-01"], scale="tdb"))
    with pytest.raises(DateRangeError, match="1899-07-29"):
        orbits.sun_state(Time("1850-01-01", scale="tdb"))


def test_bad_arguments():
    with pytest.raises(ArgumentTypeError, match="epochs must be an astropy Time"):
        orbits.moon_state(2460000.5)
    with pytest.raises(ArgumentError, match="frame must be one of"):
        orbits.moon_state("2025-01-01", frame="ecliptic")
    with pytest.raises(ArgumentError, match="ephemeris must be 'de421'"):
        orbits.moon_state("2025-01-01", ephemeris="de440")
    with pytest.raises(DataFileError, match="ephemeris file not found"):
        orbits.moon_state("2025-01-01", ephemeris=str(Path("/nonexistent/x.bsp")))
    with pytest.raises(TypeError):  # options are keyword-only
        orbits.moon_state("2025-01-01", "gcrs")


def test_builtin_error_is_as_documented():
    # The module docstring states the builtin's error versus DE421 over 2000-2040: Moon
    # <= 23 km, Sun <= 11 km, EMB <= 0.3 km. Reference: the DE421 evaluation checked above.
    t = Time("2000-01-01", scale="tdb") + np.linspace(0, 40 * 365.25, 800) * u.day
    for body, limit in (("moon", 23.0), ("sun", 11.0), ("emb", 0.3)):
        r, _ = geocentric_states_km(body, t)
        rb, _ = geocentric_states_km(body, t, "builtin")
        err = np.linalg.norm(r - rb, axis=-1).max()
        assert err < limit, (body, err)
    rb, vb = orbits.moon_state(t[:3], ephemeris="builtin")
    assert rb.shape == (3, 3) and vb.unit == u.km / u.s


def test_ephemeris_input_names_the_kernel_and_its_span(jpl):
    # Reference: the kernel's own Earth-Moon segment span, read by jplephem in this test.
    seg = jpl[3, 301]
    lo = Time(seg.start_jd, format="jd", scale="tdb").iso[:10]
    hi = Time(seg.end_jd, format="jd", scale="tdb").iso[:10]
    i = ephemeris_input()
    assert i.kind == "ephemeris" and i.name == "DE421"
    assert f"{lo} .. {hi}" in i.detail
