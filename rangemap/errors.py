"""Named errors, so callers can catch what went wrong by name.

Every error a user can cause by bad input derives from :class:`RangemapError`
and from :class:`ValueError`, so ``except ValueError`` keeps working.
"""


class RangemapError(Exception):
    """Base class of every rangemap error."""


class InvalidInputError(RangemapError, ValueError):
    """A geometry, distance or tolerance that rangemap cannot work with."""


class LookupFailedError(RangemapError, LookupError, ValueError):
    """A name that the gazetteer or catalog does not know, or knows twice.

    Attributes
    ----------
    candidates : list of str
        Close or ambiguous matches, best first (may be empty).
    """

    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.candidates = list(candidates or [])


class ScenarioError(RangemapError, ValueError):
    """A scenario or catalog file with a missing or bad field."""


class OutputError(RangemapError, OSError):
    """An output that could not be written (disk full, ...); the previous file, if any, is unchanged."""
