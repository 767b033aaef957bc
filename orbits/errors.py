"""The toolkit's own errors and warnings.

Every check on user input raises a subclass of :class:`ValidationError` (itself a
``ValueError``), with a message that names the argument, the value given and what is allowed.
The command line turns exactly these into one line on stderr and exit status 2; anything else
is a bug in the toolkit and keeps its traceback.

The classes also subclass the built-in exception a caller would naturally catch:
``ArgumentTypeError`` is a ``TypeError``, ``UnitError`` an astropy ``UnitTypeError``,
``NotFoundError`` a ``KeyError``, so ``except TypeError`` and ``except KeyError`` keep working.

Warnings derive from :class:`MissionCompareWarning`; :class:`StaleInputWarning` marks a result
computed from element sets or ephemerides far from the analysis date.
"""

from __future__ import annotations

from astropy.units import UnitTypeError as _AstropyUnitTypeError

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "ConvergenceError",
    "DataFileError",
    "DateRangeError",
    "MissionCompareWarning",
    "NotFoundError",
    "SizeLimitError",
    "StaleInputWarning",
    "UnitError",
    "ValidationError",
]


class ValidationError(ValueError):
    """Base class of every error the toolkit raises about its input."""


class ArgumentError(ValidationError):
    """An argument has a value outside what is allowed (range, choice, shape, empty span)."""


class ArgumentTypeError(ValidationError, TypeError):
    """An argument has the wrong type (e.g. a bare float where a Quantity is required)."""


class UnitError(ArgumentTypeError, _AstropyUnitTypeError):
    """A Quantity argument has units of the wrong physical type."""


class NotFoundError(ValidationError, KeyError):
    """A name (mission, site, element set, figure) that the toolkit does not know.

    Unlike a plain ``KeyError``, ``str()`` gives the message itself, not its ``repr``.
    """

    def __str__(self) -> str:
        """Return the message alone (``KeyError`` would quote it)."""
        return str(self.args[0]) if self.args else ""


class ConvergenceError(ValidationError):
    """An iterative solution did not converge for the given input (e.g. a halo amplitude)."""


class SizeLimitError(ArgumentError):
    """The requested work would need more memory or time than the toolkit allows.

    Raised before anything is allocated; the message gives the estimated size and the limit.
    """


class DateRangeError(ArgumentError):
    """A date outside what the element sets or the ephemeris can support."""


class DataFileError(ValidationError):
    """A malformed data file (catalog TOML, TLE, OMM): the message names file, record and field."""


class MissionCompareWarning(UserWarning):
    """Base class of the toolkit's warnings."""


class StaleInputWarning(MissionCompareWarning):
    """A result uses element sets or ephemerides far from its analysis date."""
