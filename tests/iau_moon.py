"""Test helper: the Moon's orientation built straight from the raw IAU coefficients.

An independent path for the tests of orbits.lunar.south_pole and missions.lunar_sites: the IAU
WGCCRE 2015 lunar rotation (Archinal et al. 2018) evaluated from the seed file
``seeds/authorities/moon/iau_wgccre2015_moon.toml`` with astropy's rotation matrices, not with
the toolkit's own code.
"""

import tomllib
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.coordinates.matrix_utilities import rotation_matrix
from astropy.time import Time

SEED = Path(__file__).parents[1] / "seeds" / "authorities" / "moon" / "iau_wgccre2015_moon.toml"


def seed_moon_matrix(t: Time) -> np.ndarray:
    """ICRF -> Moon-fixed rotation matrix at ``t`` from the seed file's coefficients."""
    c = tomllib.loads(SEED.read_text())
    d = (t.tdb.jd1 - 2451545.0) + t.tdb.jd2
    tc = d / 36525.0
    e = np.radians(np.array(c["e0"]) + np.array(c["e1"]) * d)
    a = c["ra0"] + c["ra1"] * tc + np.sin(e) @ np.array(c["ra_sin"])
    de = c["dec0"] + c["dec1"] * tc + np.cos(e) @ np.array(c["dec_cos"])
    w = c["w0"] + c["w1"] * d + c["w2"] * d * d + np.sin(e) @ np.array(c["w_sin"])
    # astropy's rotation_matrix is the passive (frame) rotation the IAU formula uses
    return (rotation_matrix(w * u.deg, "z") @ rotation_matrix((90 - de) * u.deg, "x")
            @ rotation_matrix((90 + a) * u.deg, "z"))
