"""The attracting bodies, passed to analyses as ``attractor=``.

Each :class:`Body` carries its gravitational parameter ``k`` (poliastro's name), radii and
zonal harmonics as Quantities, from :mod:`orbits.core.constants` and
:mod:`orbits.core.interplanetary` (where each value cites its source). ``Earth`` and ``Moon``
are the two the toolkit orbits; ``Sun`` and ``Mars`` serve the Earth-Mars transfers of
:mod:`orbits.mars`.
"""

from __future__ import annotations

from dataclasses import dataclass

from astropy import units as u

from .core import constants as C
from .core import interplanetary as IP

__all__ = ["Body", "Earth", "Mars", "Moon", "Sun", "body"]


@dataclass(frozen=True, repr=False)
class Body:
    """A central body and its constants.

    ``k`` (GM), ``R`` (equatorial or reference radius), ``R_mean``, ``J2`` (and ``J4``), its
    rotation rate and the reference radius of its gravity field.
    """

    name: str
    k: u.Quantity
    R: u.Quantity
    R_mean: u.Quantity
    J2: float
    J4: float = 0.0
    rotation_rate: u.Quantity | None = None
    R_gravity: u.Quantity | None = None

    def __repr__(self) -> str:
        """Return the name and main constants on one line."""
        return (
            f"<Body {self.name}: k={self.k.to_value(u.km**3 / u.s**2):.6g} km3/s2, "
            f"R={self.R.to_value(u.km):g} km>"
        )

    __str__ = __repr__


Earth = Body(
    name="Earth",
    k=C.GM_EARTH * u.km**3 / u.s**2,
    R=C.R_EARTH * u.km,
    R_mean=C.R_EARTH * u.km,
    J2=C.J2_EARTH,
    J4=C.J4_EARTH,
    rotation_rate=C.OMEGA_EARTH * u.rad / u.s,
    R_gravity=C.R_EARTH * u.km,
)

Moon = Body(
    name="Moon",
    k=C.GM_MOON * u.km**3 / u.s**2,
    R=C.R_MOON * u.km,
    R_mean=C.R_MOON * u.km,
    J2=C.J2_MOON,
    R_gravity=C.R_MOON_GRAVITY * u.km,
)

Sun = Body(
    name="Sun",
    k=C.GM_SUN * u.km**3 / u.s**2,
    R=IP.R_SUN * u.km,
    R_mean=IP.R_SUN * u.km,
    J2=IP.J2_SUN,
)

Mars = Body(
    name="Mars",
    k=IP.GM_MARS * u.km**3 / u.s**2,
    R=IP.R_MARS * u.km,
    R_mean=IP.R_MARS_MEAN * u.km,
    J2=IP.J2_MARS,
    rotation_rate=IP.OMEGA_MARS * u.rad / u.s,
    R_gravity=IP.R_MARS * u.km,
)

#: The attractors the near-Earth and lunar analyses accept by name (Sun and Mars are passed
#: as objects to :mod:`orbits.mars` only).
_BODIES = {"earth": Earth, "moon": Moon}


def body(value, name: str = "attractor") -> Body:
    """Return a :class:`Body` from a Body or its name ("Earth", "moon"); clear error otherwise."""
    from .errors import ArgumentError, ArgumentTypeError

    if isinstance(value, Body):
        return value
    if isinstance(value, str):
        key = value.strip().casefold()
        if key in _BODIES:
            return _BODIES[key]
        raise ArgumentError(f"{name} must be one of 'Earth', 'Moon', got {value[:40]!r}")
    raise ArgumentTypeError(
        f"{name} must be orbits.bodies.Earth or Moon (or their names), got {type(value).__name__}"
    )
