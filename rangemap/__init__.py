"""rangemap: exact geodesic range maps on the WGS84 ellipsoid."""

from rangemap.accuracy import FootprintError, footprint_error
from rangemap.errors import InvalidInputError, LookupFailedError, RangemapError, ScenarioError
from rangemap.geodesic import footprint

__version__ = "0.1.0"

__all__ = [
    "FootprintError",
    "InvalidInputError",
    "LookupFailedError",
    "RangemapError",
    "ScenarioError",
    "footprint",
    "footprint_error",
]
