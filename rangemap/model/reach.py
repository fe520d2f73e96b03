"""Reach from a target: the part of a launch area from which a target is within range.

Geodesic distance is symmetric, so the ground within ``range_m`` of a target
is the target's own exact footprint (:func:`rangemap.geodesy.footprints.footprint`,
boundary within ``tolerance_m`` of the true distance); the launch zone is that
footprint intersected with the launch area.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import shapely

from rangemap.errors import InvalidInputError
from rangemap.geodesy.bounds import DEFAULT_TOLERANCE_M, MAX_LAT_DEG, MAX_LON_DEG, in_lon_lat_range
from rangemap.geodesy.footprints import footprint
from rangemap.geodesy.nearest import SourceIndex
from rangemap.model.analysis import geodesic_area_km2

# The nearest-vertex search overestimates by at most spacing**2 / (8 d); it is
# redone at the distance found when that is much shorter than the range.
_REFINE_SHARE = 0.5
_MIN_INDEX_DISTANCE_M = 1_000.0


class LaunchZone(NamedTuple):
    """Where a target can be reached from.

    Attributes
    ----------
    geometry : shapely.Geometry
        Lon/lat degrees; empty when no point of the launch area is in range.
    area_km2 : float
        Its geodesic area on WGS84.
    nearest_distance_m : float
        Geodesic distance from the target to the nearest point of the launch
        area (0 when the target lies in it); overestimates by at most 5 mm.
    nearest_lon_deg, nearest_lat_deg : float
        That nearest launch point.
    """

    geometry: object
    area_km2: float
    nearest_distance_m: float
    nearest_lon_deg: float
    nearest_lat_deg: float


def nearest_launch_point(target, launch_area, distance_hint_m: float) -> tuple[float, float, float]:
    """Geodesic distance (metres) from a target point to the nearest point of a launch area, and that point.

    Parameters
    ----------
    target : shapely.Point
    launch_area : shapely.Geometry
        Lon/lat degrees; polygon interiors are at distance 0.
    distance_hint_m : float
        Roughly the distance expected (sets the densification).

    Returns
    -------
    (float, float, float)
        Distance in metres, then the launch point's longitude and latitude in degrees.
    """
    lon, lat = np.array([target.x]), np.array([target.y])
    if shapely.intersects(launch_area, target):
        return 0.0, target.x, target.y
    hint_m = max(distance_hint_m, _MIN_INDEX_DISTANCE_M)
    found = SourceIndex(launch_area, hint_m).nearest(lon, lat)
    if found.distance_m[0] < _REFINE_SHARE * hint_m:
        found = SourceIndex(launch_area, max(float(found.distance_m[0]), _MIN_INDEX_DISTANCE_M)).nearest(lon, lat)
    return float(found.distance_m[0]), float(found.lon_deg[0]), float(found.lat_deg[0])


def launch_zone(target, range_m: float, launch_area, *, tolerance_m: float = DEFAULT_TOLERANCE_M) -> LaunchZone:
    """The part of a launch area from which a target point is within a geodesic range.

    Parameters
    ----------
    target : shapely.Point
        Lon/lat degrees.
    range_m : float
        Weapon range, metres.
    launch_area : shapely.Geometry
        Where launchers may stand, lon/lat degrees (see :func:`rangemap.model.territory.launch_area`).
    tolerance_m : float, optional
        Error bound of the zone's range edge, metres.

    Returns
    -------
    LaunchZone

    Examples
    --------
    >>> zone = launch_zone(shapely.Point(36.0, 50.0), 100_000, shapely.box(34.0, 49.0, 35.5, 51.0))
    >>> 0 < zone.area_km2 < 15_000 and 35_000 < zone.nearest_distance_m < 37_000
    True
    """
    if not isinstance(target, shapely.Point) or target.is_empty:
        raise InvalidInputError(f"target must be a lon/lat point, got {target!r}")
    reach = footprint(target, range_m, tolerance_m=tolerance_m)
    zone = shapely.intersection(reach, shapely.make_valid(launch_area))
    distance_m, lon, lat = nearest_launch_point(target, launch_area, range_m)
    return LaunchZone(zone, geodesic_area_km2(zone), distance_m, lon, lat)


_LON_LAT = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*")


def target_point(text: str, country: str | None = None) -> tuple[str, shapely.Point]:
    """A target given as ``"LON,LAT"`` (degrees) or a place name from the gazetteer, with its label.

    Parameters
    ----------
    text : str
    country : str, optional
        Narrows a place name down to one country.

    Returns
    -------
    (str, shapely.Point)
        A label (the place's name, or the coordinates to 4 decimals) and the point.

    Raises
    ------
    InvalidInputError
        For coordinates outside lon -180..180, lat -90..90.
    LookupFailedError
        For a name the gazetteer does not know (with suggestions).

    Examples
    --------
    >>> target_point("36.19, 51.73")
    ('36.1900, 51.7300', <POINT (36.19 51.73)>)
    """
    from rangemap.data import gazetteer

    match = _LON_LAT.fullmatch(text)
    if match:
        lon, lat = float(match.group(1)), float(match.group(2))
        if not in_lon_lat_range(lon, lat):
            raise InvalidInputError(f"expected LON,LAT in degrees (lon -{MAX_LON_DEG:g}..{MAX_LON_DEG:g}, "
                                    f"lat -{MAX_LAT_DEG:g}..{MAX_LAT_DEG:g}), got {text!r}")
        return f"{lon:.4f}, {lat:.4f}", shapely.Point(lon, lat)
    place = gazetteer.place(text, country)
    return place.name, shapely.Point(place.lon, place.lat)


__all__ = ["LaunchZone", "launch_zone", "nearest_launch_point", "target_point"]
