"""Exact range footprints on the WGS84 ellipsoid: shapely in, shapely out, no I/O.

How a footprint is made
-----------------------
1. The launch geometry (edges read as geodesics) is densified geodesically and
   projected to an azimuthal equidistant (AEQD) projection centred on it, where
   a planar buffer gives the footprint's shape to within about 0.3 % of the
   distance. That fixes the topology (parts, holes) and nothing else.
2. Every boundary vertex is moved onto the true boundary: from the nearest
   point of the launch geometry, along the geodesic through the vertex, to
   exactly ``distance_m`` (``pyproj.Geod.fwd``). This is repeated where the move
   changed which launch point is nearest (at the kinks between two arcs).
3. Every boundary edge, read as a straight lon/lat segment (as GeoJSON and
   Leaflet draw it), is checked against the true geodesic distance (at its
   middle, or at 15 points where it may span a kink between two arcs); where
   it strays by more than 3/4 of the tolerance an exact boundary point is
   inserted: the point moved along the geodesic from its nearest launch point
   where the boundary is smooth, else the kink itself (where the circles of
   the two ends' launch points meet, :func:`kink_deg`), else the nearest
   boundary crossing square to the edge (narrow cusps). This repeats until
   every edge passes.
4. Rings are unwrapped in longitude, closed through a pole they enclose and
   split at +-180 into valid parts (RFC 7946).

All geodesic math is ``pyproj.Geod`` (GeographicLib), called on whole arrays.
"""

from __future__ import annotations

import warnings

import numpy as np
import pyproj
import shapely

from rangemap import antimeridian
from rangemap.errors import InvalidInputError
from rangemap.parts import flat_parts, rings
from rangemap.nearest import GEOD, SourceIndex, densify_geodesic_deg, ecef_xyz_m

MIN_TOLERANCE_M = 0.01
MAX_DISTANCE_M = 10_000_000.0
# Beyond this reach from the projection centre the AEQD shape is too distorted
# to give a trustworthy topology; parts are then handled one by one.
_MAX_REACH_M = 15_000_000.0
_GROUP_RADIUS_M = 2_000_000.0
# A straight edge is split when a sample strays more than this share of the
# tolerance; the rest is headroom for the stretch between samples.
_EDGE_ERROR_SHARE = 0.75
# Simplification of the outline that the planar buffer starts from, as a share
# of the range: well under the AEQD recipe's own error (about 0.2 %).
_SIMPLIFY_SHARE = 0.01
_EARTH_RADIUS_M = 6_371_008.8
_MAX_REFINE_ROUNDS = 60
# Points measured along an edge that may span a kink (odd, so one is the midpoint).
_KINK_SAMPLES = 15
# Safety factor on how far a straight lon/lat edge bows from the geodesic (see stray_bound_m).
_BOW_MARGIN = 1.5
# Spacing of a polygon's geodesic edges when its interior is a piece of a union (see split_pieces).
_INTERIOR_SPACING_M = 1_000.0
# A move onto the boundary shorter than this share of the edge means the boundary is smooth there.
_SMOOTH_MOVE_SHARE = 0.1


class _NotConverged(RuntimeError):
    """The boundary refinement ran out of rounds."""


_SUPPORTED = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}


def footprint(geometry, distance_m: float, *, tolerance_m: float = 1.0):
    """Every point within a geodesic distance of a launch geometry, on WGS84.

    Parameters
    ----------
    geometry : shapely.Geometry
        Point, MultiPoint, LineString, MultiLineString, Polygon (holes allowed),
        MultiPolygon or a GeometryCollection of these, in lon/lat degrees
        (EPSG:4326). Edges are read as geodesics, not as straight lon/lat lines.
        A polygon's interior is in range. Invalid polygons are repaired with
        ``shapely.make_valid`` and a ``UserWarning`` says so.
    distance_m : float
        Range in metres, from 1 m to 10,000 km.
    tolerance_m : float, optional
        Bound on the error of the returned boundary, metres, at least 0.01.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In lon/lat degrees. Every point of its boundary, with edges read as
        straight lon/lat segments, is within ``tolerance_m`` of the true
        distance, except edges that lie on the antimeridian or at a pole (the
        cuts of RFC 7946). A footprint that crosses +-180 comes back split
        there; one that contains a pole covers the cap up to latitude +-90.

    Raises
    ------
    InvalidInputError
        (a ``ValueError``) for a bad distance, tolerance or geometry.
    RuntimeError
        If the boundary refinement does not converge (never seen in the test
        suite; a footprint outside the tolerance is never returned silently).

    Examples
    --------
    >>> import shapely
    >>> ring = footprint(shapely.Point(36.2, 50.0), 300_000)
    >>> ring.geom_type
    'Polygon'
    """
    geometry, distance_m, tolerance_m = validate_footprint_input(geometry, distance_m, tolerance_m)
    pieces = [_footprint_or_union(group, distance_m, tolerance_m) for group in _projection_groups(geometry)]
    result = pieces[0] if len(pieces) == 1 else shapely.union_all(pieces)
    if result.is_empty or result.geom_type not in ("Polygon", "MultiPolygon"):
        raise RuntimeError(f"footprint came out as {result.geom_type}; please report this")
    return shapely.normalize(result)


def validate_footprint_input(geometry, distance_m, tolerance_m):
    """Check and normalise the arguments of :func:`footprint`.

    Parameters
    ----------
    geometry : shapely.Geometry
    distance_m, tolerance_m : float

    Returns
    -------
    (shapely.Geometry, float, float)
        The geometry (repaired if it was invalid), distance and tolerance.

    Raises
    ------
    InvalidInputError
        Naming the bad value and what would be accepted.
    """
    try:
        distance_m = float(distance_m)
        tolerance_m = float(tolerance_m)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"distance_m and tolerance_m must be numbers: {exc}") from None
    if not np.isfinite(distance_m) or distance_m <= 0:
        raise InvalidInputError(f"distance_m must be a finite number > 0, got {distance_m!r}")
    if distance_m < 1.0 or distance_m > MAX_DISTANCE_M:
        raise InvalidInputError(f"distance_m must be between 1 m and {MAX_DISTANCE_M:,.0f} m, got {distance_m!r}")
    if not np.isfinite(tolerance_m) or tolerance_m < MIN_TOLERANCE_M:
        raise InvalidInputError(f"tolerance_m must be at least {MIN_TOLERANCE_M} m (1 cm), got {tolerance_m!r}")
    if not isinstance(geometry, shapely.Geometry):
        raise InvalidInputError(f"geometry must be a shapely geometry, got {type(geometry).__name__}")
    if geometry.geom_type not in _SUPPORTED or any(
        p.geom_type not in _SUPPORTED for p in shapely.get_parts(geometry)
    ):
        raise InvalidInputError(f"unsupported geometry type {geometry.geom_type}; expected one of {sorted(_SUPPORTED)}")
    if geometry.is_empty:
        raise InvalidInputError("geometry is empty: there is nothing to measure range from")
    xy = shapely.get_coordinates(geometry)
    if not np.isfinite(xy).all():
        raise InvalidInputError("geometry has non-finite (NaN or infinite) coordinates")
    lon_bad = np.abs(xy[:, 0]) > 180.0
    lat_bad = np.abs(xy[:, 1]) > 90.0
    if lon_bad.any() or lat_bad.any():
        x, y = (float(v) for v in xy[np.flatnonzero(lon_bad | lat_bad)[0]])
        raise InvalidInputError(
            f"coordinate ({x!r}, {y!r}) is outside lon [-180, 180] / lat [-90, 90]: "
            "this looks projected, pass lon/lat degrees (EPSG:4326)"
        )
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        warnings.warn(f"invalid geometry repaired with shapely.make_valid ({reason})", UserWarning, stacklevel=3)
        geometry = shapely.make_valid(geometry)
        # make_valid can leave lower-dimensional leftovers next to the polygons; they are still launch points.
        geometry = shapely.GeometryCollection([p for p in shapely.get_parts(geometry) if not p.is_empty])
    return geometry, distance_m, tolerance_m


def _footprint_or_union(geometry, distance_m: float, tolerance_m: float):
    """The footprint of a geometry, or, where its refinement stalls, the union of its pieces' footprints.

    The refinement can stall where the planar start got the topology wrong:
    two arcs that nearly touch (within the ~1 % the start is inflated by) are
    joined there but not in truth, and no boundary path between them exists.
    Pieces (parts, halves of lines, rings of polygons) have simpler topology.
    The union keeps the guarantee: a point on the union's boundary lies within
    the tolerance band of one piece's range and outside every other piece's
    footprint, so farther than ``distance_m - tolerance_m`` from every piece.
    """
    try:
        return _footprint_of_group(geometry, distance_m, tolerance_m)
    except _NotConverged:
        pieces, areas = split_pieces(geometry)
        if len(pieces) + len(areas) <= 1:
            raise
        return shapely.union_all([_footprint_or_union(p, distance_m, tolerance_m) for p in pieces] + areas)


def split_pieces(geometry) -> tuple[list, list]:
    """Simpler pieces whose footprints, with some areas, make up the geometry's footprint.

    Parameters
    ----------
    geometry : shapely.Geometry
        Lon/lat degrees.

    Returns
    -------
    (list of shapely.Geometry, list of shapely.Polygon)
        Pieces to take footprints of: the parts of a multi-part geometry, the
        two halves of a line, or a polygon's rings as lines. Areas that are in
        range as they are: a polygon's interior, densified along its geodesic
        edges so that straight lon/lat edges stray by centimetres only (well
        inside its rings' footprints). A point or a single-edge line cannot be
        split: ``([geometry], [])``.
    """
    parts = flat_parts(geometry)
    if len(parts) > 1:
        return parts, []
    part = parts[0]
    if part.geom_type == "LineString" and len(part.coords) > 2:
        xy = shapely.get_coordinates(part)
        middle = len(xy) // 2
        return [shapely.LineString(xy[:middle + 1]), shapely.LineString(xy[middle:])], []
    if part.geom_type == "Polygon":
        dense = [np.column_stack(densify_geodesic_deg(*shapely.get_coordinates(r).T, _INTERIOR_SPACING_M))
                 for r in rings(part)]
        return [shapely.LineString(r.coords) for r in rings(part)], [shapely.Polygon(dense[0], dense[1:])]
    return [part], []


def centre_deg(geometry) -> tuple[float, float]:
    """Centre of a lon/lat geometry's vertices, averaged in 3-D (safe across +-180).

    Parameters
    ----------
    geometry : shapely.Geometry

    Returns
    -------
    (float, float)
        Longitude and latitude, degrees.
    """
    xy = shapely.get_coordinates(geometry)
    mean = ecef_xyz_m(xy[:, 0], xy[:, 1]).mean(axis=0)
    lon = np.degrees(np.arctan2(mean[1], mean[0]))
    lat = np.degrees(np.arctan2(mean[2], np.hypot(mean[0], mean[1])))
    return float(lon), float(lat)


def reach_from_m(geometry, lon_deg: float, lat_deg: float) -> float:
    """Largest geodesic distance (metres) from a point to the geometry's vertices.

    Parameters
    ----------
    geometry : shapely.Geometry
    lon_deg, lat_deg : float

    Returns
    -------
    float
    """
    xy = shapely.get_coordinates(geometry)
    _, _, dist = GEOD.inv(np.full(len(xy), lon_deg), np.full(len(xy), lat_deg), xy[:, 0], xy[:, 1])
    return float(np.max(dist))


def _projection_groups(geometry) -> list:
    lon, lat = centre_deg(geometry)
    if reach_from_m(geometry, lon, lat) <= _GROUP_RADIUS_M:
        return [geometry]
    return flat_parts(geometry)


def _aeqd(lon_deg: float, lat_deg: float) -> pyproj.Transformer:
    crs = pyproj.CRS.from_dict({"proj": "aeqd", "lon_0": lon_deg, "lat_0": lat_deg, "ellps": "WGS84", "units": "m"})
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def arc_step_rad(distance_m: float, tolerance_m: float) -> float:
    """Azimuth step whose chord strays half the tolerance from a circle of radius ``distance_m``.

    Parameters
    ----------
    distance_m, tolerance_m : float

    Returns
    -------
    float
        Radians; the sagitta of the chord, ``r (1 - cos(step / 2))``, is ``tolerance_m / 2``.
    """
    return float(2.0 * np.arccos(max(-1.0, 1.0 - 0.5 * tolerance_m / distance_m)))


def _projected_geometry(geometry, to_plane: pyproj.Transformer, spacing_m: float):
    """The geometry, densified geodesically, in projected metres."""

    def path(coords):
        lon, lat = densify_geodesic_deg(coords[:, 0], coords[:, 1], spacing_m)
        x, y = to_plane.transform(lon, lat)
        return np.column_stack([x, y])

    out = []
    for part in flat_parts(geometry):
        if part.geom_type == "Point":
            out.append(shapely.points(path(shapely.get_coordinates(part))[0]))
        elif part.geom_type == "LineString":
            out.append(shapely.linestrings(path(shapely.get_coordinates(part))))
        else:
            xy = [path(shapely.get_coordinates(r)) for r in rings(part)]
            out.append(shapely.Polygon(xy[0], xy[1:]))
    return shapely.GeometryCollection(out)


def _footprint_of_group(geometry, distance_m: float, tolerance_m: float):
    lon0, lat0 = centre_deg(geometry)
    reach_m = reach_from_m(geometry, lon0, lat0)
    if reach_m + distance_m > _MAX_REACH_M:
        raise InvalidInputError(
            f"launch geometry part reaches {reach_m / 1000:,.0f} km from its centre; with a range of "
            f"{distance_m / 1000:,.0f} km the footprint would reach past {_MAX_REACH_M / 1000:,.0f} km, "
            "which rangemap does not support: split the geometry or shorten the range"
        )
    to_plane = _aeqd(lon0, lat0)
    step_rad = arc_step_rad(distance_m, tolerance_m)
    quad_segs = int(np.clip(np.ceil((np.pi / 2) / step_rad), 2, 4000))
    spacing_m = min(distance_m * step_rad * 4, 100_000.0)
    # The planar buffer only gives the topology and starting points (the snap
    # fixes every position), so it may start from a simplified outline: this
    # skips the arcs GEOS would build at every small wiggle of a coastline.
    planar_source = shapely.simplify(_projected_geometry(geometry, to_plane, spacing_m), _SIMPLIFY_SHARE * distance_m)
    # Start every vertex outside the true boundary: a vertex moved inwards onto
    # it needs no second look (see snap_to_range_deg), which halves the work.
    outward_m = _SIMPLIFY_SHARE * distance_m + distance_m * (0.001 + ((reach_m + distance_m) / _EARTH_RADIUS_M) ** 2 / 6)
    planar = shapely.buffer(planar_source, distance_m + outward_m, quad_segs=quad_segs)
    # A buffer's straight sides can be hundreds of km long; read as straight
    # lon/lat lines near a pole they bow by more than the range, and a midpoint
    # snapped from there could land on the far side of the launch geometry.
    planar = shapely.segmentize(planar, max(distance_m / 2, 1.0))
    index = SourceIndex(geometry, distance_m, slack_m=min(0.01, tolerance_m / 50))
    poles_inside = poles_in_range(index, distance_m)
    if len(poles_inside) > 1:
        raise InvalidInputError("the footprint would contain both poles, which rangemap does not support")
    polygons = []
    for part in shapely.get_parts(planar):
        exact = [_exact_ring(np.asarray(r.coords), to_plane, index, distance_m, tolerance_m, poles_inside)
                 for r in rings(part)]
        polygons.append(_polygon_from_rings(exact))
    return shapely.union_all(polygons)


def poles_in_range(index: SourceIndex, distance_m: float) -> list[float]:
    """Latitudes (+-90) of the poles within ``distance_m`` of the launch geometry.

    Parameters
    ----------
    index : SourceIndex
    distance_m : float

    Returns
    -------
    list of float
    """
    pole_lat = np.array([90.0, -90.0])
    return [float(p) for p in pole_lat[index.distance_m(np.zeros(2), pole_lat) <= distance_m]]


def snap_to_range_deg(lon_deg, lat_deg, index: SourceIndex, distance_m: float, tolerance_m: float, rounds: int = 8):
    """Move points onto the true footprint boundary along geodesics from their nearest launch point.

    A point moved *inwards* (towards its nearest launch point ``s``) to exactly
    ``distance_m`` from ``s`` needs no second look: no other launch point can be
    closer than ``distance_m``. A point moved outwards by ``delta`` may have come
    within ``2 delta`` of another launch point, so it is measured again.

    Parameters
    ----------
    lon_deg, lat_deg : array_like
        Points near the boundary, degrees.
    index : SourceIndex
        The launch geometry.
    distance_m, tolerance_m : float
    rounds : int
        Moves at most; a point stops once its distance is within 1 % of the tolerance.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Longitudes in [-180, 180] and latitudes of the moved points, then the
        lon/lat of each point's nearest launch vertex, degrees.
    """
    lon = np.array(lon_deg, dtype=float)
    lat = np.array(lat_deg, dtype=float)
    src_lon = np.full(len(lon), np.nan)
    src_lat = np.full(len(lon), np.nan)
    start_lon, start_lat = lon.copy(), lat.copy()
    first_lon, first_lat = src_lon.copy(), src_lat.copy()
    outside = np.zeros(len(lon), dtype=bool)
    todo = np.arange(len(lon))
    for round_ in range(rounds):
        near = index.nearest(lon[todo], lat[todo])
        src_lon[todo], src_lat[todo] = near.lon_deg, near.lat_deg
        gap_m = distance_m - near.distance_m
        if round_ == 0:
            first_lon, first_lat, outside = src_lon.copy(), src_lat.copy(), gap_m < 0
        off = np.abs(gap_m) > 0.01 * tolerance_m
        todo, gap_m = todo[off], gap_m[off]
        if len(todo) == 0:
            break
        az, _, _ = GEOD.inv(src_lon[todo], src_lat[todo], lon[todo], lat[todo])
        lon[todo], lat[todo], _ = GEOD.fwd(src_lon[todo], src_lat[todo], az, np.full(len(todo), distance_m))
        todo = todo[2 * gap_m > 0.01 * tolerance_m]
    stuck = todo[outside[todo]] if len(todo) else todo
    if len(stuck):
        # Bouncing between two arcs near a sharp kink: along the geodesic from the
        # first nearest launch vertex, the distance to the geometry is below the
        # range on its circle and above it at the starting point; bisect.
        out = _bisect_ray_deg(first_lon[stuck], first_lat[stuck], start_lon[stuck], start_lat[stuck], index,
                              distance_m, tolerance_m)
        lon[stuck], lat[stuck], src_lon[stuck], src_lat[stuck] = out
    return lon, lat, src_lon, src_lat


def _bisect_to_boundary_m(lon, lat, az_deg, lo_m, hi_m, lo_outside, index, distance_m, tolerance_m,
                          iterations: int = 60):
    """Bisect along geodesics from points for where the distance to the geometry crosses the range.

    Parameters
    ----------
    lon, lat, az_deg : numpy.ndarray
        Start points and the azimuths to walk along, degrees.
    lo_m, hi_m : numpy.ndarray
        Bracket, metres from the start; the boundary lies between them.
    lo_outside : numpy.ndarray of bool
        Whether the ``lo_m`` end is outside the footprint (farther than the range).
    index : SourceIndex
    distance_m, tolerance_m : float
    iterations : int

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The shrunk bracket, narrower than ``1e-4 * tolerance_m`` where it converged.
    """
    for _ in range(iterations):
        mid_m = 0.5 * (lo_m + hi_m)
        x, y, _ = GEOD.fwd(lon, lat, az_deg, mid_m)
        same_side = (index.nearest(x, y).distance_m > distance_m) == lo_outside
        lo_m = np.where(same_side, mid_m, lo_m)
        hi_m = np.where(same_side, hi_m, mid_m)
        if np.all(hi_m - lo_m < 1e-4 * tolerance_m):
            break
    return lo_m, hi_m


def _bisect_ray_deg(src_lon, src_lat, lon, lat, index, distance_m, tolerance_m):
    """The boundary point on the geodesic ray from a launch vertex through an outside point."""
    az, _, far_m = GEOD.inv(src_lon, src_lat, lon, lat)
    _, hi_m = _bisect_to_boundary_m(src_lon, src_lat, az, np.full(len(src_lon), distance_m), far_m,
                                    np.zeros(len(src_lon), dtype=bool), index, distance_m, tolerance_m)
    x, y, _ = GEOD.fwd(src_lon, src_lat, az, hi_m)
    near = index.nearest(x, y)
    return x, y, near.lon_deg, near.lat_deg


def _rewrap_near(lon_deg, reference_deg):
    return reference_deg + (np.asarray(lon_deg) - reference_deg + 180.0) % 360.0 - 180.0


def _exact_ring(xy_m, to_plane, index, distance_m, tolerance_m, poles_inside):
    """One planar buffer ring -> the exact ring in unwrapped lon/lat, closed."""
    lon, lat = to_plane.transform(xy_m[:-1, 0], xy_m[:-1, 1], direction="INVERSE")
    lon, lat, src_lon, src_lat = snap_to_range_deg(lon, lat, index, distance_m, tolerance_m)
    lon = antimeridian.unwrap_lon_deg(lon)
    try:
        refined = _refine_ring(lon, lat, src_lon, src_lat, index, distance_m, tolerance_m)
    except _NotConverged:
        # The cheap moves along launch points' geodesics can leave a narrow cusp
        # that the kink moves then cannot close; start again without them.
        refined = _refine_ring(lon, lat, src_lon, src_lat, index, distance_m, tolerance_m, smooth_moves=False)
    lon, lat = refined
    lon, lat = np.append(lon, lon[0]), np.append(lat, lat[0])
    lon[-1] = lon[-2] + ((lon[0] - lon[-2] + 180.0) % 360.0 - 180.0)
    if antimeridian.winding_turns(lon) != 0:
        pole = poles_inside[0] if poles_inside else (90.0 if lat.mean() > 0 else -90.0)
        lon, lat = antimeridian.close_around_pole(lon, lat, pole)
    return np.column_stack([lon, lat])


def stray_bound_m(lon, lat, nxt_lon, nxt_lat, src_lon, src_lat, nxt_src_lon, nxt_src_lat, on_circle_m: float = 0.01):
    """Upper bound on how far a straight edge can stray from a boundary made of several arcs, metres.

    An edge whose two ends are nearest to the same launch vertex lies on one
    geodesic circle, which strays most in the middle: the midpoint check covers
    it and this bound is 0. Otherwise the boundary between the ends may be
    offsets, arcs and kinks in any mix; if the outward normal (away from the
    nearest launch vertex) turns by ``T`` relative to the edge, no point of it
    lies farther than ``edge * T / 4`` from the geodesic chord (the lon/lat
    chord, as drawn, bows away from that by :func:`lonlat_bow_m`).

    Parameters
    ----------
    lon, lat, nxt_lon, nxt_lat : numpy.ndarray
        Edge end points, degrees.
    src_lon, src_lat, nxt_src_lon, nxt_src_lat : numpy.ndarray
        The nearest launch vertex of each end point, degrees.
    on_circle_m : float, optional
        How close to the range an end must be, seen from the other end's launch
        vertex, to count as lying on that circle too (a kink), metres. An
        absolute bound: a relative one let a smooth junction between an arc
        and an offset 2.8 m apart pass as one circle at 2,839 km.

    Returns
    -------
    numpy.ndarray
    """
    az_edge, back_edge, edge_m = GEOD.inv(lon, lat, nxt_lon, nxt_lat)
    _, back_start, _ = GEOD.inv(src_lon, src_lat, lon, lat)
    _, back_end, _ = GEOD.inv(nxt_src_lon, nxt_src_lat, nxt_lon, nxt_lat)
    # Angle between the outward normal and the edge direction, at each end.
    angle_start = np.radians(back_start - az_edge)
    angle_end = np.radians(back_end - back_edge - 180.0)
    turn_rad = np.abs(np.angle(np.exp(1j * (angle_start - angle_end))))
    # A kink vertex is on two circles but records one source: also ask whether
    # each end lies on the other end's circle.
    _, _, end_from_start_src_m = GEOD.inv(src_lon, src_lat, nxt_lon, nxt_lat)
    _, _, start_from_end_src_m = GEOD.inv(nxt_src_lon, nxt_src_lat, lon, lat)
    _, _, start_m = GEOD.inv(src_lon, src_lat, lon, lat)
    one_circle = (
        ((src_lon == nxt_src_lon) & (src_lat == nxt_src_lat))
        | (np.abs(end_from_start_src_m - start_m) <= on_circle_m)
        | (np.abs(start_from_end_src_m - start_m) <= on_circle_m)
    )
    return np.where(one_circle, 0.0, edge_m * turn_rad / 4.0)


def lonlat_bow_m(lon, lat, nxt_lon, nxt_lat, az_deg=None, edge_m=None):
    """How far a straight lon/lat edge (as drawn) lies from the geodesic between its ends, at the middle.

    Grows with the edge's length squared and with latitude: about 4 m for a
    27 km east-west edge at 16 degrees.

    Parameters
    ----------
    lon, lat, nxt_lon, nxt_lat : numpy.ndarray
        Edge ends, degrees (the second longitude unwrapped next to the first).
    az_deg, edge_m : numpy.ndarray, optional
        The edges' geodesic azimuths and lengths, if already known.

    Returns
    -------
    numpy.ndarray
        Metres.
    """
    if az_deg is None or edge_m is None:
        az_deg, _, edge_m = GEOD.inv(lon, lat, nxt_lon, nxt_lat)
    mid_lon, mid_lat, _ = GEOD.fwd(lon, lat, az_deg, edge_m / 2.0)
    _, _, bow_m = GEOD.inv(mid_lon, mid_lat, (lon + nxt_lon) / 2.0, (lat + nxt_lat) / 2.0)
    return bow_m


def _snap_across_deg(lon, lat, chord_az_deg, index, distance_m, tolerance_m, doublings: int = 24):
    """Move points square to an edge (either way) onto the nearest boundary crossing, by bisection.

    The crossing is bracketed on each side by stepping ``|gap| * 2**k`` along
    the edge's normal (at a narrow cusp the boundary can lie much farther along
    the normal than the point's distance gap), bisected, and the nearer of the
    two sides' crossings is kept.
    """
    near = index.nearest(lon, lat)
    gap_m = near.distance_m - distance_m
    outside = gap_m > 0
    step_m = (np.abs(gap_m) + 0.01 * tolerance_m)[:, None] * 2.0 ** np.arange(doublings)[None, :]
    step_m = np.minimum(step_m, 2.0 * distance_m + 1.0)
    n, k = step_m.shape
    rows = np.arange(n)
    best_m = np.full(n, np.inf)
    best_lon, best_lat = lon.copy(), lat.copy()
    for side_deg in (90.0, -90.0):
        az = chord_az_deg + side_deg
        x, y, _ = GEOD.fwd(np.repeat(lon, k), np.repeat(lat, k), np.repeat(az, k), step_m.ravel())
        crossed = ((index.nearest(x, y).distance_m > distance_m).reshape(n, k)) != outside[:, None]
        found = crossed.any(axis=1)
        first = np.argmax(crossed, axis=1)
        lo_m = np.where(found & (first > 0), step_m[rows, np.maximum(first - 1, 0)], 0.0)
        hi_m = np.where(found, step_m[rows, first], 0.0)
        lo_m, hi_m = _bisect_to_boundary_m(lon, lat, az, lo_m, hi_m, outside, index, distance_m, tolerance_m)
        at_m = 0.5 * (lo_m + hi_m)
        x, y, _ = GEOD.fwd(lon, lat, az, at_m)
        better = found & (at_m < best_m)
        best_m = np.where(better, at_m, best_m)
        best_lon, best_lat = np.where(better, x, best_lon), np.where(better, y, best_lat)
    near = index.nearest(best_lon, best_lat)
    return best_lon, best_lat, near.lon_deg, near.lat_deg


def circle_meet_deg(lon, lat, a_lon, a_lat, b_lon, b_lat, distance_m, iterations: int = 40):
    """Where the geodesic circle around A, walked from a point on it towards B, meets B's circle.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Points on A's circle (at ``distance_m`` from A) that are at least
        ``distance_m`` from B, degrees.
    a_lon, a_lat, b_lon, b_lat : numpy.ndarray
        The two circle centres, degrees.
    distance_m : float
        Radius of both circles, metres.
    iterations : int
        Bisection steps on the azimuth from A.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Longitude and latitude of the meeting point, and whether the circles
        meet at all (``|AB| < 2 distance_m``).
    """
    az_p, _, _ = GEOD.inv(a_lon, a_lat, lon, lat)
    az_b, _, ab_m = GEOD.inv(a_lon, a_lat, b_lon, b_lat)
    turn_deg = (az_b - az_p + 180.0) % 360.0 - 180.0
    # On A's circle the distance to B falls monotonically from P towards B's azimuth.
    lo = np.zeros(len(lon))
    hi = np.ones(len(lon))
    radius = np.full(len(lon), distance_m)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        x, y, _ = GEOD.fwd(a_lon, a_lat, az_p + mid * turn_deg, radius)
        _, _, to_b_m = GEOD.inv(x, y, b_lon, b_lat)
        outside_b = to_b_m >= distance_m
        lo = np.where(outside_b, mid, lo)
        hi = np.where(outside_b, hi, mid)
    x, y, _ = GEOD.fwd(a_lon, a_lat, az_p + lo * turn_deg, radius)
    return x, y, ab_m < 2.0 * distance_m


def kink_deg(lon0, lat0, a_lon, a_lat, b_lon, b_lat, lon1, lat1, index, distance_m, tolerance_m, rounds: int = 12):
    """The exact kink on the boundary between two points that lie on different launch points' circles.

    Starting from the meeting point of the circles around A (the first end's
    launch point) and B (the second end's), a meeting point that lies inside
    a third launch point C's circle is replaced by where A's circle meets C's,
    until one lies on the boundary.

    Parameters
    ----------
    lon0, lat0, lon1, lat1 : numpy.ndarray
        Edge ends on the boundary, degrees.
    a_lon, a_lat, b_lon, b_lat : numpy.ndarray
        Their nearest launch vertices, degrees.
    index : SourceIndex
    distance_m, tolerance_m : float
    rounds : int

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Kink lon/lat, its nearest launch vertex lon/lat, and whether an exact
        kink distinct from both ends was found.
    """
    n = len(lon0)
    out_lon, out_lat = np.full(n, np.nan), np.full(n, np.nan)
    out_src_lon, out_src_lat = np.full(n, np.nan), np.full(n, np.nan)
    found = np.zeros(n, dtype=bool)
    todo = np.arange(n)
    b_lon, b_lat = np.array(b_lon, dtype=float), np.array(b_lat, dtype=float)
    for _ in range(rounds):
        if len(todo) == 0:
            break
        x, y, meet = circle_meet_deg(lon0[todo], lat0[todo], a_lon[todo], a_lat[todo], b_lon[todo], b_lat[todo],
                                     distance_m)
        near = index.nearest(x, y)
        on_boundary = meet & (np.abs(near.distance_m - distance_m) <= 0.01 * tolerance_m)
        _, _, from0_m = GEOD.inv(lon0[todo], lat0[todo], x, y)
        _, _, from1_m = GEOD.inv(lon1[todo], lat1[todo], x, y)
        distinct = (from0_m > 1e-3 * tolerance_m) & (from1_m > 1e-3 * tolerance_m)
        ok = on_boundary & distinct
        done = todo[ok]
        out_lon[done], out_lat[done] = x[ok], y[ok]
        out_src_lon[done], out_src_lat[done] = near.lon_deg[ok], near.lat_deg[ok]
        found[done] = True
        # Inside a third circle: walk A's circle to that one instead.
        again = meet & ~on_boundary & (near.distance_m < distance_m)
        todo = todo[again]
        b_lon[todo], b_lat[todo] = near.lon_deg[again], near.lat_deg[again]
    return out_lon, out_lat, out_src_lon, out_src_lat, found


def _refine_ring(lon, lat, src_lon, src_lat, index, distance_m, tolerance_m, smooth_moves: bool = True):
    """Insert exact points until every straight lon/lat edge of an open ring passes its check.

    A smooth arc strays most from its chord in the middle, so an edge whose
    ends lie on one arc passes when its midpoint is within
    ``_EDGE_ERROR_SHARE * tolerance_m``. An edge that may span a kink (see
    :func:`stray_bound_m`) is measured at ``_KINK_SAMPLES`` points along it and,
    if one strays, split at the worst one, which lies next to the kink. Only
    edges that are new since the last round are measured again.
    """
    limit_m = _EDGE_ERROR_SHARE * tolerance_m
    fractions = np.arange(1, _KINK_SAMPLES + 1) / (_KINK_SAMPLES + 1)
    pending = np.ones(len(lon), dtype=bool)  # edge i runs from vertex i to vertex i + 1
    for _ in range(_MAX_REFINE_ROUNDS):
        edges = np.flatnonzero(pending)
        if len(edges) == 0:
            return lon, lat
        nxt = (edges + 1) % len(lon)
        lon0, lat0, lon1, lat1 = lon[edges], lat[edges], _rewrap_near(lon[nxt], lon[edges]), lat[nxt]
        stray_m = stray_bound_m(lon0, lat0, lon1, lat1, src_lon[edges], src_lat[edges], src_lon[nxt], src_lat[nxt],
                                0.01 * tolerance_m)
        # Where to measure each edge: its middle, or many points if it may span a
        # kink, or if drawn straight in lon/lat it bows enough from the geodesic
        # that it may cross the boundary (then its middle can look right).
        chord_az, _, chord_m = GEOD.inv(lon0, lat0, lon1, lat1)
        bow_m = lonlat_bow_m(lon0, lat0, lon1, lat1, chord_az, chord_m)
        many = stray_m + _BOW_MARGIN * bow_m > limit_m
        at = np.where(many[:, None], fractions[None, :], np.nan)
        at[:, _KINK_SAMPLES // 2] = 0.5
        row, col = np.nonzero(np.isfinite(at))
        f = at[row, col]
        sample_lon = lon0[row] + f * (lon1 - lon0)[row]
        sample_lat = lat0[row] + f * (lat1 - lat0)[row]
        error_m = np.full(at.shape, -1.0)
        error_m[row, col] = np.abs(index.nearest(sample_lon, sample_lat).distance_m - distance_m)
        split = error_m.max(axis=1) > limit_m
        if not split.any():
            return lon, lat
        worst = np.argmax(error_m[split], axis=1)
        bad = edges[split]
        at_lon = lon0[split] + at[split, worst] * (lon1 - lon0)[split]
        at_lat = lat0[split] + at[split, worst] * (lat1 - lat0)[split]
        new_lon, new_lat, new_src_lon, new_src_lat = snap_to_range_deg(at_lon, at_lat, index, distance_m, tolerance_m)
        # Across a kink, a point moved along its source's geodesic can land far
        # from the kink; move the worst point square to the edge instead.
        kink = np.flatnonzero((stray_m > limit_m)[split])
        # The move along the launch point's geodesic is exact and cheap; keep it
        # where the boundary is smooth at the scale of the edge: the point moved
        # little compared with the edge and landed well inside it, not next to an
        # end (at a narrow cusp it would stay beside the chord and never reach the tip).
        if len(kink) and smooth_moves:
            x0, y0 = lon0[split][kink], lat0[split][kink]
            dx, dy = lon1[split][kink] - x0, lat1[split][kink] - y0
            t = ((_rewrap_near(new_lon[kink], at_lon[kink]) - x0) * dx + (new_lat[kink] - y0) * dy) / (dx * dx + dy * dy)
            _, _, moved_m = GEOD.inv(at_lon[kink], at_lat[kink], new_lon[kink], new_lat[kink])
            edge_m = chord_m[split][kink]
            smooth = (t > 0.05) & (t < 0.95) & (moved_m < _SMOOTH_MOVE_SHARE * edge_m) & (edge_m > 0.05 * distance_m)
            kink = kink[~smooth]
        if len(kink):
            # Best of all: the kink itself, where the circles of the two ends' launch points meet.
            sel = np.flatnonzero(split)[kink]
            k_lon, k_lat, k_src_lon, k_src_lat, found = kink_deg(
                lon[edges][sel], lat[edges][sel], src_lon[edges][sel], src_lat[edges][sel],
                src_lon[nxt][sel], src_lat[nxt][sel], lon1[sel], lat1[sel], index, distance_m, tolerance_m)
            use = kink[found]
            new_lon[use], new_lat[use] = k_lon[found], k_lat[found]
            new_src_lon[use], new_src_lat[use] = k_src_lon[found], k_src_lat[found]
            # Else move the worst point square to the edge: along its launch point's
            # geodesic it can land next to an end and make no progress.
            rest = kink[~found]
            if len(rest):
                out = _snap_across_deg(at_lon[rest], at_lat[rest], chord_az[split][rest], index, distance_m,
                                       tolerance_m)
                # A vertex off the boundary would never let its edges pass; where the
                # square move missed, keep the exact move along the geodesic.
                exact = np.abs(index.nearest(out[0], out[1]).distance_m - distance_m) <= 0.01 * tolerance_m
                use = rest[exact]
                new_lon[use], new_lat[use], new_src_lon[use], new_src_lat[use] = (v[exact] for v in out)
        lon = np.insert(lon, bad + 1, _rewrap_near(new_lon, at_lon))
        lat = np.insert(lat, bad + 1, new_lat)
        src_lon = np.insert(src_lon, bad + 1, new_src_lon)
        src_lat = np.insert(src_lat, bad + 1, new_src_lat)
        # Both halves of a split edge are new; every other edge has been measured and passed.
        pending = np.zeros(len(lon), dtype=bool)
        pending[bad + np.arange(len(bad))] = True
        pending[bad + np.arange(len(bad)) + 1] = True
    raise _NotConverged(
        f"footprint boundary did not converge to {tolerance_m} m in {_MAX_REFINE_ROUNDS} rounds; please report this"
    )


def _valid_polygon(ring):
    # A snapped ring can cross itself where a thin part of the planar start
    # vanished in truth; make_valid keeps edges of the ring and their crossings,
    # which are within the tolerance band like the edges themselves. "structure"
    # keeps a region the ring covers twice, where "linework" would cut it out.
    polygon = shapely.Polygon(ring)
    if polygon.is_valid:
        return polygon
    return shapely.make_valid(polygon, method="structure", keep_collapsed=False)


def _polygon_from_rings(rings):
    shell = _valid_polygon(rings[0])
    holes = [_valid_polygon(r) for r in rings[1:]]
    try:
        area = shapely.difference(shell, shapely.union_all(holes)) if holes else shell
    except shapely.errors.GEOSException as exc:
        raise _NotConverged(f"could not assemble the footprint's rings ({exc})") from None
    polygons = [p for p in flat_parts(area) if p.geom_type == "Polygon"]
    if not polygons:
        raise _NotConverged("the footprint's rings enclose no area")
    return shapely.union_all([antimeridian.split_at_antimeridian(p) for p in polygons])
