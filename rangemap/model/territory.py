"""Controlled territory as a launch area: ground minus other ground, kept a geodesic distance back.

A launch area is a site's geometry minus the ground of other sites (``minus``)
and minus everything within ``standoff_m`` of a list of sites
(``standoff_from``): the difference with their exact footprint
(:func:`rangemap.geodesy.footprints.footprint`), so the margin's edge lies within
``tolerance_m`` of the true geodesic distance, like every footprint.

In a scenario any launch site may carry these keys (parsed by
:mod:`rangemap.model.sites`, resolved by :func:`rangemap.model.scenario.resolve_site`)::

    { country = "Ukraine", minus = [{ file = "occupied.geojson" }], standoff_km = 20,
      standoff_from = [{ file = "occupied.geojson" }, { country = "Russia" }] }
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
import shapely

from rangemap.geodesy.bounds import DEFAULT_TOLERANCE_M, MAX_LAT_DEG, MAX_LON_DEG, RADIUS_MIN_M
from rangemap.geodesy.footprints import footprint

# No degree of latitude, nor of longitude at the equator, is shorter on WGS84 than this (metres; from the
# smallest radius of curvature): a point within d of the launch area lies within d / this (widened by
# _CLIP_MARGIN, and divided by cos(lat) for longitude) degrees of its bounding box.
_DEG_MIN_M = RADIUS_MIN_M * math.pi / 180.0
_CLIP_MARGIN = 1.5
_CLIP_MAX_LAT_DEG = 80.0


def near_part(geometry: shapely.Geometry, around: shapely.Geometry, distance_m: float) -> shapely.Geometry:
    """The part of ``geometry`` that can lie within ``distance_m`` of ``around`` (a bounding-box clip).

    Clipping a large neighbour (a whole country) to the neighbourhood of the
    launch area keeps its footprint cheap; every point of ``around`` has the
    same distance to the clipped geometry as to the whole one whenever that
    distance is at most ``distance_m``.

    Parameters
    ----------
    geometry, around : shapely.Geometry
        Lon/lat degrees.
    distance_m : float

    Returns
    -------
    shapely.Geometry
    """
    west, south, east, north = around.bounds
    dlat = _CLIP_MARGIN * distance_m / _DEG_MIN_M
    south, north = max(-MAX_LAT_DEG, south - dlat), min(MAX_LAT_DEG, north + dlat)
    if max(abs(south), abs(north)) > _CLIP_MAX_LAT_DEG:
        return shapely.intersection(geometry, shapely.box(-MAX_LON_DEG, south, MAX_LON_DEG, north))
    dlon = _CLIP_MARGIN * distance_m / (_DEG_MIN_M * math.cos(math.radians(max(abs(south), abs(north)))))
    west, east = west - dlon, east + dlon
    if west < -MAX_LON_DEG or east > MAX_LON_DEG:
        west, east = -MAX_LON_DEG, MAX_LON_DEG
    return shapely.intersection(geometry, shapely.box(west, south, east, north))


def _union(geometries: Iterable[shapely.Geometry | None]) -> shapely.Geometry:
    geoms = [g for g in geometries if g is not None and not g.is_empty]
    if not geoms:
        return shapely.GeometryCollection()
    return shapely.union_all(np.array(shapely.make_valid(np.array(geoms, dtype=object)), dtype=object))


def launch_area(geometry: shapely.Geometry, *, minus: Iterable[shapely.Geometry] = (), standoff_m: float = 0.0,
                standoff_from: Iterable[shapely.Geometry] = (), tolerance_m: float = DEFAULT_TOLERANCE_M,
                make_footprint: Callable[..., shapely.Geometry] = footprint) -> shapely.Geometry:
    """Ground a launcher may stand on: ``geometry`` minus ``minus``, at least ``standoff_m`` from ``standoff_from``.

    Parameters
    ----------
    geometry : shapely.Geometry
        Lon/lat degrees (a country, region, file, ...).
    minus : iterable of shapely.Geometry, optional
        Ground removed from it (for example occupied areas).
    standoff_m : float, optional
        Keep only ground at least this geodesic distance (metres) from every
        geometry in ``standoff_from``.
    standoff_from : iterable of shapely.Geometry, optional
    tolerance_m : float, optional
        Error bound of the standoff margin's edge, metres (that of the footprint).
    make_footprint : callable, optional
        ``make_footprint(geometry, distance_m, tolerance_m=...)`` draws the margin:
        :func:`rangemap.geodesy.footprints.footprint`, or a cached one.

    Returns
    -------
    shapely.Geometry
        Lon/lat degrees; may be empty.

    Examples
    --------
    >>> area = launch_area(shapely.box(30, 48, 32, 50), minus=[shapely.box(31, 48, 32, 50)])
    >>> round(area.area, 6)
    2.0
    """
    if not (math.isfinite(standoff_m) and standoff_m >= 0):
        raise ValueError(f"standoff_m must be a finite number >= 0, got {standoff_m!r}")
    area = shapely.make_valid(geometry)
    removed = _union(minus)
    if not removed.is_empty:
        area = shapely.difference(area, removed)
    sources = [near_part(g, area, standoff_m) for g in standoff_from] if standoff_m > 0 and not area.is_empty else []
    sources = _union(sources)
    if not sources.is_empty:
        area = shapely.difference(area, make_footprint(sources, standoff_m, tolerance_m=tolerance_m))
    return area


__all__ = ["launch_area", "near_part"]
