"""Pure-numpy astrodynamics kernels.

Everything here works on plain floats and arrays in **km, s, rad** (and km/s, km^3/s^2),
broadcasts over leading batch axes, and never imports ``astropy.units``. The units-aware
layer in ``orbits`` converts once at the edge and calls these functions.
"""
