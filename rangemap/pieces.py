"""Footprints of single launch points and geodesic segments, built directly, and their union.

The footprint of a geometry is the union of its pieces' footprints: a disk
around each point, a "stadium" around each geodesic segment (two offset
curves and two half-circle caps) and each polygon's interior. Each piece's
boundary is known in closed form: a point reached from the segment square to
it (or from an end point, beyond the ends) at exactly the range. No
refinement and no topology guess are needed, so this never stalls; it is the
fallback where the refinement of a whole geometry does (nearly touching arcs
that the planar start joined).

Why it keeps the guarantee: every edge of a piece's ring, drawn straight in
lon/lat, strays at most ``k L**2 / 8`` (the ring's geodesic curvature ``k``,
:func:`piece_curvature_per_m`) plus :data:`rangemap.refine.BOW_MARGIN` times
its lon/lat bow from the piece's true boundary; rings are split until that is
within the edge limit. A point on the union's boundary lies on one piece's
ring, within that of its range from the piece, and outside every other
piece's polygon, so at most that much inside the other pieces' ranges.
"""

from __future__ import annotations

import numpy as np
import shapely

from rangemap import antimeridian
from rangemap.nearest import GEOD, densify_geodesic_deg
from rangemap.parts import flat_parts, rings
from rangemap.refine import BOW_MARGIN, EDGE_ERROR_SHARE, lonlat_bow_m, rewrap_near

# Extreme radii of curvature of WGS84 (metres), widened a little.
_RADIUS_MIN_M = 6_335_439.0 * 0.995
_RADIUS_MAX_M = 6_399_594.0 * 1.005
# Spacing of a polygon's geodesic edges when its interior is a piece (straight lon/lat edges stray by centimetres).
INTERIOR_SPACING_M = 1_000.0
_MAX_SPLITS = 30


def piece_curvature_per_m(distance_m: float) -> float:
    """Largest geodesic curvature of a circle or a geodesic's offset curve at this distance, 1/m.

    On a sphere of radius ``rho`` a circle of radius ``r`` curves by
    ``cot(r / rho) / rho`` and the curve at distance ``r`` from a great circle
    by ``tan(r / rho) / rho``; the bound takes the larger, over the
    ellipsoid's extreme radii of curvature, plus 2 %.

    Parameters
    ----------
    distance_m : float

    Returns
    -------
    float
    """
    rho = np.array([_RADIUS_MIN_M, _RADIUS_MAX_M])
    x = np.clip(distance_m / rho, 1e-12, np.pi / 2 - 1e-6)
    return float(1.02 * np.max(np.maximum(1.0 / np.tan(x), np.tan(x)) / rho))


def segment_ring_deg(lon0, lat0, lon1, lat1, distance_m: float, t):
    """Points of the boundary of a geodesic segment's footprint, at parameters ``t`` in [0, 4).

    ``[0, 1)``: the left offset, from the start to the end; ``[1, 2)``: the cap
    around the end, from left to right; ``[2, 3)``: the right offset, back;
    ``[3, 4)``: the cap around the start. A point (``lon0 == lon1`` and
    ``lat0 == lat1``) gives its circle.

    Parameters
    ----------
    lon0, lat0, lon1, lat1 : numpy.ndarray
        Segment ends per point, degrees.
    distance_m : float
    t : numpy.ndarray

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Longitudes and latitudes, degrees.
    """
    az, back_az, length_m = GEOD.inv(lon0, lat0, lon1, lat1)
    point = length_m == 0
    az = np.where(point, 0.0, az)
    end_az = np.where(point, 0.0, back_az + 180.0)
    side = np.floor(t).astype(int) % 4
    f = t - np.floor(t)
    # Where along the segment, and which way from there.
    along_m = np.select([side == 0, side == 2, side == 1], [f * length_m, (1 - f) * length_m, length_m], 0.0)
    at_lon, at_lat, at_back = GEOD.fwd(lon0, lat0, az, along_m)
    heading = at_back + 180.0
    heading = np.where(side == 1, end_az, np.where(side == 3, az, heading))
    turn = np.select([side == 0, side == 1, side == 2, side == 3],
                     [-90.0, -90.0 + 180.0 * f, 90.0, 90.0 + 180.0 * f])
    # A point's circle: four quarter turns.
    turn = np.where(point, 90.0 * (side + f), turn)
    lon, lat, _ = GEOD.fwd(at_lon, at_lat, heading + turn, np.full(len(t), distance_m))
    return lon, lat


def piece_rings_deg(lon0, lat0, lon1, lat1, distance_m: float, tolerance_m: float) -> list[np.ndarray]:
    """Closed rings (unwrapped lon/lat) of the footprints of segments or points, each edge within the limit.

    Parameters
    ----------
    lon0, lat0, lon1, lat1 : numpy.ndarray
        One segment (or a point: both ends equal) per entry, degrees.
    distance_m, tolerance_m : float

    Returns
    -------
    list of numpy.ndarray
        One ``(n, 2)`` ring per piece, closed, longitudes continuous.
    """
    k = piece_curvature_per_m(distance_m)
    limit_m = EDGE_ERROR_SHARE * tolerance_m
    n = len(lon0)
    # Start with a few points per side; split edges until each passes.
    t = np.tile(np.arange(0, 4, 0.25), n)
    piece = np.repeat(np.arange(n), 16)
    lon, lat = segment_ring_deg(lon0[piece], lat0[piece], lon1[piece], lat1[piece], distance_m, t)
    for _ in range(_MAX_SPLITS):
        first = np.flatnonzero(np.r_[True, piece[1:] != piece[:-1]])
        last = np.r_[first[1:] - 1, len(t) - 1]
        nxt = np.arange(1, len(t) + 1)
        nxt[last] = first
        lon = _unwrap_by_piece(lon, first)
        nxt_lon = rewrap_near(lon[nxt], lon)
        az, _, chord_m = GEOD.inv(lon, lat, nxt_lon, lat[nxt])
        bound_m = k * chord_m**2 / 8 + BOW_MARGIN * lonlat_bow_m(lon, lat, nxt_lon, lat[nxt], az, chord_m)
        bad = np.flatnonzero(bound_m > limit_m)
        if len(bad) == 0:
            break
        t_next = t[nxt] + np.where(nxt < np.arange(len(t)), 4.0, 0.0)
        new_t = 0.5 * (t[bad] + t_next[bad]) % 4.0
        new_lon, new_lat = segment_ring_deg(lon0[piece[bad]], lat0[piece[bad]], lon1[piece[bad]], lat1[piece[bad]],
                                            distance_m, new_t)
        t, lon, lat = np.insert(t, bad + 1, new_t), np.insert(lon, bad + 1, new_lon), np.insert(lat, bad + 1, new_lat)
        piece = np.insert(piece, bad + 1, piece[bad])
    else:
        raise RuntimeError(f"footprint pieces did not converge to {tolerance_m} m; please report this")
    starts = np.flatnonzero(np.r_[True, piece[1:] != piece[:-1]])
    out = []
    for ring_lon, ring_lat in zip(np.split(lon, starts[1:]), np.split(lat, starts[1:])):
        ring_lon = np.append(ring_lon, rewrap_near(ring_lon[0], ring_lon[-1]))
        out.append(np.column_stack([ring_lon, np.append(ring_lat, ring_lat[0])]))
    return out


def _unwrap_by_piece(lon, first):
    """Unwrap longitudes within each run (runs start at ``first``), each run's first longitude kept."""
    jump = np.diff(lon, prepend=lon[0])
    jump[first] = 0.0
    step = np.round(jump / 360.0) * 360.0
    shift = np.cumsum(step)
    shift -= np.repeat(shift[first], np.diff(np.r_[first, len(lon)]))
    return lon - shift


def ring_polygon(ring):
    """A closed unwrapped lon/lat ring as valid polygons in [-180, 180] (closed through a pole it winds around)."""
    lon, lat = ring[:, 0], ring[:, 1]
    if antimeridian.winding_turns(lon) != 0:
        lon, lat = antimeridian.close_around_pole(lon, lat, 90.0 if lat.mean() > 0 else -90.0)
    polygon = shapely.Polygon(np.column_stack([lon, lat]))
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon, method="structure", keep_collapsed=False)
    return shapely.union_all([antimeridian.split_at_antimeridian(p) for p in flat_parts(polygon)
                              if p.geom_type == "Polygon"])


def union_of_pieces(geometry, distance_m: float, tolerance_m: float):
    """The footprint of a geometry as the union of its points', segments' and polygon interiors' footprints.

    Parameters
    ----------
    geometry : shapely.Geometry
        Lon/lat degrees; edges are geodesics.
    distance_m, tolerance_m : float

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
    """
    ends, areas = [], []
    for part in flat_parts(geometry):
        if part.geom_type == "Point":
            xy = shapely.get_coordinates(part)
            ends.append(np.hstack([xy, xy]))
            continue
        paths = [shapely.get_coordinates(r) for r in rings(part)] if part.geom_type == "Polygon" else [
            shapely.get_coordinates(part)]
        for xy in paths:
            ends.append(np.hstack([xy[:-1], xy[1:]]) if len(xy) > 1 else np.hstack([xy, xy]))
        if part.geom_type == "Polygon":
            dense = [np.column_stack(densify_geodesic_deg(*p.T, INTERIOR_SPACING_M)) for p in paths]
            areas.append(shapely.Polygon(dense[0], dense[1:]))
    segments = np.unique(np.vstack(ends), axis=0)
    rings_deg = piece_rings_deg(*segments.T, distance_m, tolerance_m)
    return shapely.union_all([ring_polygon(r) for r in rings_deg] + areas)


__all__ = ["piece_curvature_per_m", "piece_rings_deg", "ring_polygon", "segment_ring_deg", "union_of_pieces"]
