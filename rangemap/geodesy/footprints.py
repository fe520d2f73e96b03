"""Exact range footprints on the WGS84 ellipsoid: shapely in, shapely out, no I/O.

How a footprint is made
-----------------------
Two exact methods, chosen by cost (:func:`prefer_pieces`):

* **Pieces** (:mod:`rangemap.geodesy.pieces`), for small geometries at any range, for
  ranges up to about 20 segment lengths, and far from a small geometry
  (:mod:`rangemap.geodesy.farfield` leaves out launch points that cannot reach the
  boundary): the union of a body per geodesic segment, a sector per convex
  corner and each polygon's interior, every boundary point computed exactly.
* **Refinement** of a planar start, for extended geometries at long range
  (where the pieces' bodies would overlap by hundreds), as follows; if it
  stalls, the pieces take over.

1. The launch geometry (edges read as geodesics) is densified geodesically and
   projected to an azimuthal equidistant (AEQD) projection centred on it, where
   a planar buffer gives the footprint's shape to within about 0.3 % of the
   distance. That fixes the topology (parts, holes) and nothing else.
2. Every boundary vertex is moved onto the true boundary: from the nearest
   point of the launch geometry, along the geodesic through the vertex, to
   exactly ``distance_m`` (``pyproj.Geod.fwd``). This is repeated where the move
   changed which launch point is nearest (at the kinks between two arcs).
3. Every boundary edge, read as a straight lon/lat segment (as GeoJSON and
   Leaflet draw it), gets sound bounds on how far it strays outwards and
   inwards (:mod:`rangemap.geodesy.refine`); where either exceeds the edge
   limit (3/4 of the tolerance; :mod:`rangemap.geodesy.bounds` owns the error
   budget) an exact boundary point is inserted (the kink between two circles,
   or a point moved onto the boundary). This repeats until every edge passes.
4. Rings are unwrapped in longitude, closed through a pole they enclose and
   split at +-180 into valid parts (RFC 7946).

All geodesic math is ``pyproj.Geod`` (GeographicLib), called on whole arrays.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pyproj
import shapely

from rangemap.geodesy import antimeridian
from rangemap.errors import InvalidInputError
from rangemap.geodesy.bounds import (DEFAULT_TOLERANCE_M, DENSIFY_ERROR_PARTS, GEOD, MAX_DISTANCE_M, MEAN_RADIUS_M,
                                      MIN_DISTANCE_M, MIN_TOLERANCE_M, aeqd_transformer)
from rangemap.geodesy.farfield import centre_and_extent, depth_margin_m, reduced_geometry
from rangemap.geodesy.parts import flat_parts, paths_deg, rings
from rangemap.geodesy.nearest import SourceIndex, densify_geodesic_deg, mean_point_deg
from rangemap.geodesy.pieces import circle_curvature_per_m, union_of_pieces
from rangemap.geodesy.refine import NotConverged, RefineSettings, refine_ring, snap_to_range_deg

# Beyond this reach from the projection centre the AEQD shape is too distorted
# to give a trustworthy topology; parts are then handled one by one.
_MAX_REACH_M = 15_000_000.0
_GROUP_RADIUS_M = 2_000_000.0
# Simplification of the outline that the planar buffer starts from, as a share
# of the range. The start only fixes the topology; it is inflated by this much
# (and the projection's distortion), so a hole narrower than about twice that is
# filled in (README, Known limits). 0.5 % instead of 0.2 % took a held-territory
# shape with a noisy 3,000-vertex front at 300 km from 0.26 s to 0.19 s.
_SIMPLIFY_SHARE = 0.005
# Most segments per quarter circle in the planar start (its arcs are split afterwards).
_PLANAR_QUAD_SEGS = 16


_SUPPORTED = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}


def footprint(geometry: shapely.Geometry, distance_m: float, *,
              tolerance_m: float = DEFAULT_TOLERANCE_M) -> shapely.Geometry:
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
        Range in metres, from 1 m to 10,000 km (``MIN_DISTANCE_M`` to ``MAX_DISTANCE_M``
        of :mod:`rangemap.geodesy.bounds`).
    tolerance_m : float, optional
        Bound on the error of the returned boundary, metres, at least 0.01
        (``MIN_TOLERANCE_M``).

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
    measures = measure_launch(geometry, distance_m, tolerance_m)
    if prefer_pieces(geometry, distance_m, measures):
        _check_one_pole(geometry, distance_m, measures)
        result = union_of_pieces(geometry, distance_m, tolerance_m)
    elif measures.reach_m <= _GROUP_RADIUS_M:
        result = _footprint_or_union(geometry, distance_m, tolerance_m, measures)
    else:
        # Far-flung parts are projected one by one (each about its own centre).
        result = shapely.union_all([_footprint_or_union(part, distance_m, tolerance_m)
                                    for part in flat_parts(geometry)])
    if result.is_empty or result.geom_type not in ("Polygon", "MultiPolygon"):
        raise RuntimeError(f"footprint came out as {result.geom_type}; please report this")
    return shapely.normalize(result)


def validate_footprint_input(geometry: object, distance_m: float,
                             tolerance_m: float) -> tuple[shapely.Geometry, float, float]:
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
    for name, value in (("distance_m", distance_m), ("tolerance_m", tolerance_m)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise InvalidInputError(f"{name} must be a number of metres, got {value!r} ({type(value).__name__})")
    try:
        distance_m = float(distance_m)
        tolerance_m = float(tolerance_m)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"distance_m and tolerance_m must be numbers: {exc}") from None
    if not np.isfinite(distance_m) or distance_m <= 0:
        raise InvalidInputError(f"distance_m must be a finite number > 0, got {distance_m!r}")
    if distance_m < MIN_DISTANCE_M or distance_m > MAX_DISTANCE_M:
        raise InvalidInputError(f"distance_m must be between {MIN_DISTANCE_M:g} m and {MAX_DISTANCE_M:,.0f} m, "
                                f"got {distance_m!r}")
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


# Pieces (rangemap.geodesy.pieces) cost about their arcs and the overlaps of their bodies, which grow with the
# range over the segments' length; the refinement costs about the boundary's length over the
# point-source chord sqrt(8 tolerance range), which is long at long ranges. Measured on outlines of
# 100 to 10,000 vertices (benchmarks/footprint.py), pieces win up to about 20 segment lengths.
PIECES_MAX_ELEMENTS = 64
PIECES_MAX_RANGE_PER_SEGMENT = 20.0


@dataclass(frozen=True)
class LaunchMeasures:
    """What choosing and running a footprint method needs to know of a launch geometry, measured once.

    ``lon0``/``lat0``: the vertices' 3-D mean; ``reach_m``: their largest
    distance from it; ``length_m``: every segment's length (zero for repeated
    vertices); ``lone``: lone points; ``reduced``: the far-field reduction
    (:func:`rangemap.geodesy.farfield.reduced_geometry`) or ``None``.
    """

    lon0: float
    lat0: float
    reach_m: float
    length_m: np.ndarray
    lone: int
    reduced: object

    @property
    def longest_m(self) -> float:
        return float(self.length_m.max(initial=0.0))


def measure_launch(geometry: shapely.Geometry, distance_m: float, tolerance_m: float) -> LaunchMeasures:
    """Measure a launch geometry once: centre, reach, segment lengths and far-field reduction.

    Parameters
    ----------
    geometry : shapely.Geometry
    distance_m, tolerance_m : float

    Returns
    -------
    LaunchMeasures
    """
    paths = paths_deg(geometry)
    xy = np.vstack(paths)
    lon0, lat0, reach_m = centre_and_extent(xy[:, 0], xy[:, 1])
    lines = [p for p in paths if len(p) > 1]
    if lines:
        a, b = np.vstack([p[:-1] for p in lines]), np.vstack([p[1:] for p in lines])
        _, _, length_m = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    else:
        length_m = np.empty(0)
    length_m = np.asarray(length_m, dtype=float)
    reduced = reduced_geometry(geometry, distance_m, circle_curvature_per_m(0.9 * distance_m),
                               depth_margin_m(tolerance_m, float(length_m.max(initial=0.0))), (lon0, lat0, reach_m))
    return LaunchMeasures(lon0, lat0, reach_m, length_m, len(paths) - len(lines), reduced)


def prefer_pieces(geometry: shapely.Geometry, distance_m: float, measures: LaunchMeasures | None = None) -> bool:
    """Whether the footprint is cheaper as a union of pieces than by refining a planar start.

    Pieces for small geometries (at most :data:`PIECES_MAX_ELEMENTS` segments and
    lone points) at any range, and for a geometry of segments whose range is
    at most :data:`PIECES_MAX_RANGE_PER_SEGMENT` times its median segment
    length (short ranges, where the refinement needs edges as short as
    ``sqrt(8 tolerance range)`` along every straight stretch).

    Parameters
    ----------
    geometry : shapely.Geometry
    distance_m : float
    measures : LaunchMeasures, optional
        From :func:`measure_launch` (measured here, at the default tolerance, if not given).

    Returns
    -------
    bool
    """
    m = measures if measures is not None else measure_launch(geometry, distance_m, DEFAULT_TOLERANCE_M)
    lone = m.lone
    if len(m.length_m) == 0:
        return lone <= PIECES_MAX_ELEMENTS
    length_m = m.length_m[m.length_m > 0]
    if len(length_m) + lone <= PIECES_MAX_ELEMENTS:
        return True
    reduced = m.reduced
    if reduced is not None and len(paths_deg(reduced)) and sum(
            max(len(p) - 1, 1) for p in paths_deg(reduced)) <= PIECES_MAX_ELEMENTS:
        return True  # far away, only the few launch points near the convex hull count (rangemap.geodesy.farfield)
    return lone <= PIECES_MAX_ELEMENTS and len(length_m) > 0 and (
        distance_m <= PIECES_MAX_RANGE_PER_SEGMENT * float(np.median(length_m)))


def _check_one_pole(geometry, distance_m: float, measures: LaunchMeasures) -> None:
    """Refuse a footprint that would contain both poles (checked exactly only when the vertices come close)."""
    xy = shapely.get_coordinates(geometry)
    near = []
    for pole in (90.0, -90.0):
        _, _, d = GEOD.inv(xy[:, 0], xy[:, 1], np.zeros(len(xy)), np.full(len(xy), pole))
        near.append(float(d.min()))
    if min(near) > distance_m + measures.longest_m:
        return
    index = SourceIndex(geometry, distance_m)
    if len(poles_in_range(index, distance_m)) > 1:
        raise InvalidInputError("the footprint would contain both poles, which rangemap does not support")


def _footprint_or_union(geometry, distance_m: float, tolerance_m: float, measures: LaunchMeasures | None = None):
    """The footprint of a geometry, or, where its refinement stalls, the union of its pieces' footprints.

    The refinement can stall where the planar start got the topology wrong:
    two arcs that nearly touch (within the planar start's error) are joined
    there but not in truth, and no boundary path between them exists. The
    footprints of single points and segments need no topology guess
    (:func:`rangemap.geodesy.pieces.union_of_pieces`), and their union keeps the
    guarantee.
    """
    try:
        return _footprint_of_group(geometry, distance_m, tolerance_m, measures)
    except NotConverged:
        return union_of_pieces(geometry, distance_m, tolerance_m)


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
    return mean_point_deg(xy[:, 0], xy[:, 1])


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


def _footprint_of_group(geometry: shapely.Geometry, distance_m: float, tolerance_m: float,
                        measures: LaunchMeasures | None = None) -> shapely.Geometry:
    m = measures if measures is not None else measure_launch(geometry, distance_m, tolerance_m)
    lon0, lat0, reach_m = m.lon0, m.lat0, m.reach_m
    if reach_m + distance_m > _MAX_REACH_M:
        raise InvalidInputError(
            f"launch geometry part reaches {reach_m / 1000:,.0f} km from its centre; with a range of "
            f"{distance_m / 1000:,.0f} km the footprint would reach past {_MAX_REACH_M / 1000:,.0f} km, "
            "which rangemap does not support: split the geometry or shorten the range"
        )
    to_plane = aeqd_transformer(lon0, lat0)
    step_rad = arc_step_rad(distance_m, tolerance_m)
    spacing_m = min(distance_m * step_rad * 4, 100_000.0)
    # The planar buffer only gives the topology and starting points (the snap
    # fixes every position), so it may start from a simplified outline: this
    # skips the arcs GEOS would build at every small wiggle of a coastline.
    planar_source = shapely.simplify(_projected_geometry(geometry, to_plane, spacing_m), _SIMPLIFY_SHARE * distance_m)
    # Coarse arcs, split afterwards to the spacing the tolerance needs: GEOS
    # unions every arc it builds, which for many launch points costs far more
    # than the refinement (1,000 points at 300 km: minutes with 1 m arcs).
    quad_segs = int(np.clip(np.ceil((np.pi / 2) / step_rad), 2, _PLANAR_QUAD_SEGS))
    sagitta_share = 1.0 - np.cos(np.pi / (4 * quad_segs))
    # Start every vertex outside the true boundary: a vertex moved inwards onto
    # it needs no second look (see snap_to_range_deg), which halves the work.
    # (The buffer's chords lie inside its arcs by ``sagitta_share`` of the radius.)
    outward_m = distance_m * (_SIMPLIFY_SHARE + 0.001 + ((reach_m + distance_m) / MEAN_RADIUS_M) ** 2 / 6)
    # Part by part, then one cascaded union: GEOS buffers a collection of
    # overlapping parts as one, noding every arc against every other.
    parts = shapely.get_parts(planar_source)
    planar = shapely.union_all(shapely.buffer(parts, (distance_m + outward_m) / (1 - sagitta_share),
                                              quad_segs=quad_segs))
    # A buffer's straight sides can be hundreds of km long; read as straight
    # lon/lat lines near a pole they bow by more than the range, and a midpoint
    # snapped from there could land on the far side of the launch geometry.
    planar = shapely.segmentize(planar, max(min(distance_m * step_rad, distance_m / 2), 1.0))
    # At long range only launch points near the convex hull can be nearest to the boundary.
    index = SourceIndex(geometry if m.reduced is None else m.reduced, distance_m,
                        densify_error_m=tolerance_m / DENSIFY_ERROR_PARTS)
    settings = RefineSettings(index, distance_m, tolerance_m)
    poles_inside = poles_in_range(index, distance_m)
    if len(poles_inside) > 1:
        raise InvalidInputError("the footprint would contain both poles, which rangemap does not support")
    polygons = []
    for part in shapely.get_parts(planar):
        exact = [_exact_ring(np.asarray(r.coords), to_plane, settings, poles_inside)
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


def _exact_ring(xy_m, to_plane, settings: RefineSettings, poles_inside):
    """One planar buffer ring -> the exact ring in unwrapped lon/lat, closed."""
    lon, lat = to_plane.transform(xy_m[:-1, 0], xy_m[:-1, 1], direction="INVERSE")
    lon, lat, src_lon, src_lat = snap_to_range_deg(lon, lat, settings)
    lon = antimeridian.unwrap_lon_deg(lon)
    try:
        refined = refine_ring(lon, lat, src_lon, src_lat, settings)
    except NotConverged as exc:
        # The cheap moves along launch points' geodesics can leave a narrow cusp
        # that the kink moves then cannot close; start again without them (at a
        # neck no moves can help: the caller splits the geometry instead).
        if exc.at_neck:
            raise
        refined = refine_ring(lon, lat, src_lon, src_lat, settings, smooth_moves=False)
    lon, lat = refined
    lon, lat = np.append(lon, lon[0]), np.append(lat, lat[0])
    lon[-1] = lon[-2] + ((lon[0] - lon[-2] + 180.0) % 360.0 - 180.0)
    if antimeridian.winding_turns(lon) != 0:
        pole = poles_inside[0] if poles_inside else (90.0 if lat.mean() > 0 else -90.0)
        lon, lat = antimeridian.close_around_pole(lon, lat, pole)
    return np.column_stack([lon, lat])


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
        raise NotConverged(f"could not assemble the footprint's rings ({exc})") from None
    polygons = [p for p in flat_parts(area) if p.geom_type == "Polygon"]
    if not polygons:
        raise NotConverged("the footprint's rings enclose no area")
    return shapely.union_all([antimeridian.split_at_antimeridian(p) for p in polygons])
