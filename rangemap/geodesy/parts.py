"""The one walk over a geometry's parts: points, lines, polygons, and their paths.

Every module that needs a geometry's pieces (the footprint, the nearest-distance
index, the analysis, the exports) takes them from here, at any nesting depth of
multi-part geometries and collections, so that no two walks can disagree.
"""

from __future__ import annotations

import numpy as np
import shapely

_SIMPLE = {"Point", "LineString", "LinearRing", "Polygon"}


def flat_parts(geometry) -> list:
    """The non-empty simple parts (Point, LineString, LinearRing, Polygon) of a geometry, at any depth.

    Parameters
    ----------
    geometry : shapely.Geometry or None

    Returns
    -------
    list of shapely.Geometry

    Examples
    --------
    >>> g = shapely.GeometryCollection([shapely.MultiPolygon([shapely.box(0, 0, 1, 1)]), shapely.Point(5, 5)])
    >>> [p.geom_type for p in flat_parts(g)]
    ['Polygon', 'Point']
    """
    if geometry is None:
        return []
    out = []
    stack = [geometry]
    while stack:  # iterative: deep nesting cannot exhaust the recursion limit
        g = stack.pop()
        if g.is_empty:
            continue
        if g.geom_type in _SIMPLE:
            out.append(g)
        else:
            stack.extend(reversed(shapely.get_parts(g).tolist()))
    return out


def polygons(geometry) -> list:
    """The polygons of a geometry, at any nesting depth.

    Parameters
    ----------
    geometry : shapely.Geometry or None

    Returns
    -------
    list of shapely.Polygon
    """
    return [p for p in flat_parts(geometry) if p.geom_type == "Polygon"]


def rings(polygon) -> list:
    """A polygon's exterior then its interiors, as LinearRings."""
    return [polygon.exterior, *polygon.interiors]


def paths_deg(geometry) -> list[np.ndarray]:
    """Every path of a geometry as an ``(n, 2)`` array: a point, a line, or a polygon's shell and holes.

    Parameters
    ----------
    geometry : shapely.Geometry
        Any geometry in lon/lat degrees, at any nesting depth.

    Returns
    -------
    list of numpy.ndarray

    Examples
    --------
    >>> g = shapely.GeometryCollection([shapely.MultiPolygon([shapely.box(0, 0, 1, 1)])])
    >>> [p.shape for p in paths_deg(g)]
    [(5, 2)]
    """
    out: list[np.ndarray] = []
    for part in flat_parts(geometry):
        if part.geom_type == "Polygon":
            out.extend(shapely.get_coordinates(r) for r in rings(part))
        else:
            out.append(shapely.get_coordinates(part))
    return out


__all__ = ["flat_parts", "paths_deg", "polygons", "rings"]
