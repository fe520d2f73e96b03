"""At long range, only the launch points near the geometry's convex hull can reach the footprint's boundary.

A point ``x`` is on the boundary of the footprint at range ``R`` when the disk
of radius ``R`` around it holds no launch point inside and touches one on its
rim. Let ``p`` be a launch point deeper than ``tau`` inside the convex hull of
the launch geometry, below the hull edge ``a b`` (both launch vertices). A disk
that reaches ``p`` from outside the hull crosses the line ``a b``; if it
contained neither ``a`` nor ``b`` its chord there would lie inside ``a b``, and
a disk whose rim curves by at most ``k`` reaches at most ``k |ab|**2 / 8``
beyond a chord of length ``|ab|``. So with ``tau`` above that, every point
within range of ``p`` and outside the hull is within range of ``a`` or ``b``,
and a point inside the hull is within range of a hull vertex once the range
exceeds the hull's diameter. Launch elements (segments, vertices) deeper than
``tau`` can be left out: the footprint of the rest, with each polygon's
interior, is the same set.

The hull and depths are taken in an azimuthal equidistant projection centred
on the geometry; its distortion, of relative order ``(E / rho)**2`` over an
extent ``E``, is added to ``tau`` with a wide margin, and the reduction is only
used where the geometry is small against the range (see :func:`far_keep`).
"""

from __future__ import annotations

import numpy as np
import shapely

from rangemap.geodesy.bounds import GEOD, RADIUS_MIN_M, aeqd_transformer
from rangemap.geodesy.nearest import mean_point_deg
from rangemap.geodesy.parts import paths_deg

# Reduce only where the range is at least this many times the geometry's extent from its centre.
MIN_RANGE_PER_EXTENT = 2.5
# Largest extent (metres from the centre) for which the planar hull is trusted.
MAX_EXTENT_M = 1_500_000.0
# Share of the longest launch segment added to the depth margin: a geodesic segment bows off the
# straight line between its ends in the projection, and its depth is measured at its ends only.
SEGMENT_BOW_SHARE = 1e-3


def depth_margin_m(tolerance_m: float, longest_segment_m: float) -> float:
    """The margin added to the far-field depth limit: the whole tolerance plus the segments' bow, metres.

    A launch point is left out only when it lies deeper inside the hull than
    the depth limit plus this margin, so that even a boundary drawn a whole
    ``tolerance_m`` out could not reach it.

    Parameters
    ----------
    tolerance_m : float
        The footprint's tolerance, metres.
    longest_segment_m : float
        Length of the launch geometry's longest geodesic segment, metres (0 for points only).

    Returns
    -------
    float

    Examples
    --------
    >>> depth_margin_m(1.0, 10_000.0)
    11.0
    """
    return tolerance_m + SEGMENT_BOW_SHARE * longest_segment_m


def centre_and_extent(lon_deg, lat_deg):
    """Centre (3-D mean, degrees) of points and their largest geodesic distance from it (metres).

    Parameters
    ----------
    lon_deg, lat_deg : numpy.ndarray

    Returns
    -------
    (float, float, float)
    """
    lon0, lat0 = mean_point_deg(lon_deg, lat_deg)
    _, _, dist_m = GEOD.inv(np.full(len(lon_deg), lon0), np.full(len(lon_deg), lat0), lon_deg, lat_deg)
    return lon0, lat0, float(np.max(dist_m))


def far_keep(lon_deg: np.ndarray, lat_deg: np.ndarray, distance_m: float, curvature_per_m: float,
             margin_m: float = 0.0, centre: tuple[float, float, float] | None = None) -> np.ndarray | None:
    """Which launch vertices may reach the footprint's boundary; ``None`` where the reduction does not apply.

    Parameters
    ----------
    lon_deg, lat_deg : numpy.ndarray
        Every launch vertex, degrees.
    distance_m : float
        The range.
    curvature_per_m : float
        Bound on the curvature of a geodesic circle of radius at least 90 % of
        the range (see :func:`rangemap.geodesy.pieces.circle_curvature_per_m`).
    margin_m : float
        Added to the depth limit: the caller's :func:`depth_margin_m` (its
        tolerance and its segments' bow), metres.
    centre : (float, float, float), optional
        The points' :func:`centre_and_extent`, if the caller has it already.

    Returns
    -------
    numpy.ndarray of bool or None
        True for vertices within the depth limit of the hull's boundary.
    """
    if len(lon_deg) < 8:
        return None
    lon0, lat0, extent_m = centre if centre is not None else centre_and_extent(lon_deg, lat_deg)
    if extent_m > MAX_EXTENT_M or distance_m < MIN_RANGE_PER_EXTENT * extent_m:
        return None
    x, y = aeqd_transformer(lon0, lat0).transform(lon_deg, lat_deg)
    points = shapely.points(x, y)
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([x, y])))
    if hull.geom_type != "Polygon":
        return None
    ring = np.asarray(hull.exterior.coords)
    longest_m = float(np.max(np.hypot(*np.diff(ring, axis=0).T))) * 1.01
    # In the projection a geodesic circle curves by its geodesic curvature plus at most about
    # extent / rho**2 (the projection bends curves that miss its centre); scales are off by (extent / rho)**2.
    distortion = (extent_m / RADIUS_MIN_M) ** 2
    curvature = curvature_per_m + 3.0 * extent_m / RADIUS_MIN_M**2
    depth_limit_m = 1.2 * curvature * longest_m**2 / 8 * (1 + distortion) + 1.0 + margin_m
    depth_m = shapely.distance(points, hull.exterior)
    return depth_m <= depth_limit_m


def reduced_geometry(geometry: shapely.Geometry, distance_m: float, curvature_per_m: float, margin_m: float = 0.0,
                     centre: tuple[float, float, float] | None = None) -> shapely.GeometryCollection | None:
    """The launch geometry's segments and lone points that may reach the boundary, or ``None``.

    Distances from it equal distances from the whole geometry at every point
    at least 90 % of the range away (and a point is within the range of one
    exactly when it is within the range of the other).

    Parameters
    ----------
    geometry : shapely.Geometry
    distance_m, curvature_per_m, margin_m : float
        As for :func:`far_keep`.
    centre : (float, float, float), optional
        As for :func:`far_keep` (of all the geometry's vertices).

    Returns
    -------
    shapely.GeometryCollection or None
        ``None`` where nothing can be left out.
    """
    paths = paths_deg(geometry)
    xy = np.vstack(paths)
    keep = far_keep(xy[:, 0], xy[:, 1], distance_m, curvature_per_m, margin_m, centre)
    if keep is None or keep.all():
        return None
    out, start = [], 0
    for path in paths:
        k = keep[start:start + len(path)]
        start += len(path)
        if len(path) == 1:
            if k[0]:
                out.append(shapely.Point(path[0]))
            continue
        # A segment is kept when either end is (depth inside a convex hull is concave along it).
        seg = k[:-1] | k[1:]
        edges = np.flatnonzero(seg)
        if len(edges) == 0:
            continue
        runs = np.split(edges, np.flatnonzero(np.diff(edges) > 1) + 1)
        out += [shapely.LineString(path[r[0]:r[-1] + 2]) for r in runs]
    return shapely.GeometryCollection(out)


__all__ = ["MAX_EXTENT_M", "MIN_RANGE_PER_EXTENT", "SEGMENT_BOW_SHARE", "centre_and_extent", "depth_margin_m",
           "far_keep", "reduced_geometry"]
