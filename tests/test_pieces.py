"""Footprints built as unions of exact pieces (rangemap.geodesy.pieces) and the far-field reduction (rangemap.geodesy.farfield).

Every footprint is checked against independent computations (tests/independent.py and
pyproj.Geod directly); vertex counts are compared with what a planar buffer in an azimuthal
equidistant projection (the AEQD recipe) draws at a segment count meeting the same tolerance.
"""

import numpy as np
import pyproj
import pytest
import shapely

from rangemap import footprint
from rangemap.geodesy.farfield import far_keep
from rangemap.geodesy.footprints import prefer_pieces
from rangemap.geodesy.pieces import circle_curvature_per_m, launch_arrays, reduce_far, union_of_pieces

from test_footprints import check

GEOD = pyproj.Geod(ellps="WGS84")


def aeqd_vertices(geometry, distance_m, tolerance_m=1.0):
    """Output vertices of the AEQD recipe with quarter circles split finely enough for the tolerance."""
    lon0, lat0 = (float(v) for v in np.mean(shapely.get_coordinates(geometry), axis=0))
    crs = pyproj.CRS.from_dict({"proj": "aeqd", "lon_0": lon0, "lat_0": lat0, "ellps": "WGS84"})
    to_plane = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    planar = shapely.transform(geometry, lambda xy: np.column_stack(to_plane.transform(xy[:, 0], xy[:, 1])))
    step = 2 * np.arccos(1 - 0.5 * tolerance_m / distance_m)
    quad_segs = int(np.clip(np.ceil((np.pi / 2) / step), 2, 4000))
    return int(shapely.get_num_coordinates(shapely.buffer(planar, distance_m, quad_segs=quad_segs)))


def coast(n_vertices=400):
    """A wiggly 400-vertex line: part of a real coast's shape (generated, not data)."""
    t = np.linspace(0.0, 1.0, n_vertices)
    rng = np.random.default_rng(3)
    lon = 30.0 + 2.0 * t + rng.normal(0, 0.002, n_vertices)
    lat = 46.0 + 0.3 * np.sin(9 * t) + rng.normal(0, 0.002, n_vertices)
    return shapely.LineString(np.column_stack([lon, lat]))


@pytest.mark.parametrize("distance_m", [pytest.param(10.0, marks=pytest.mark.slow), 150.0])
def test_short_range_on_a_long_line_is_exact_with_the_vertices_it_needs(distance_m):
    # Issue 12: at ranges short against the geometry, the point-source refinement needed edges
    # sqrt(8 tolerance range) long on every straight stretch (1.1 million vertices for Ukraine at
    # 10 m). Segment offsets are exact curves: their edges are as long as the lon/lat bow allows.
    line = coast()
    assert prefer_pieces(line, distance_m)
    fp = footprint(line, distance_m)
    check(fp, line, distance_m, brute_samples=60)
    assert shapely.get_num_coordinates(fp) <= 2 * aeqd_vertices(line, distance_m)


@pytest.mark.parametrize("wkt", [
    "LINESTRING (30 50, 30.2 50, 30 50.0001)",             # nearly doubles back
    "LINESTRING (30 50, 30.2 50, 30.2 50, 30.4 50.1)",     # a repeated vertex
    "LINESTRING (30 50, 30.2 50, 30.2 50.2, 30 50.2, 30 50)",  # closed, not a polygon
    "POLYGON ((30 50, 30.3 50, 30.3 50.3, 30 50.3, 30 50), (30.1 50.1, 30.1 50.2, 30.2 50.2, 30.2 50.1, 30.1 50.1))",
    "MULTIPOINT ((30 50), (30 50), (30.001 50))",          # a repeated point
])
@pytest.mark.parametrize("distance_m", [5.0, 2_000.0, pytest.param(400_000.0, marks=pytest.mark.slow)])
def test_pieces_cover_turns_repeats_rings_and_holes(wkt, distance_m):
    geometry = shapely.from_wkt(wkt)
    check(union_of_pieces(geometry, distance_m, 1.0), geometry, distance_m, brute_samples=60)


def test_a_hole_wider_than_twice_the_range_stays_open():
    # The 0.1 x 0.1 degree hole is about 7 by 11 km: at 2 km its middle is out of range.
    polygon = shapely.from_wkt("POLYGON ((30 50, 30.3 50, 30.3 50.3, 30 50.3, 30 50), "
                               "(30.1 50.1, 30.1 50.2, 30.2 50.2, 30.2 50.1, 30.1 50.1))")
    fp = union_of_pieces(polygon, 2_000.0, 1.0)
    assert not fp.covers(shapely.Point(30.15, 50.15))
    assert fp.covers(shapely.Point(30.15, 50.115))  # about 1.7 km from the hole's edge


def _spiky(seed, n, radius_m):
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(-170, 170), rng.uniform(-60, 60)
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), np.arange(n) * 360 / n, radius_m * rng.uniform(0.05, 1, n))
    return shapely.Polygon(np.column_stack([x, y]))


@pytest.mark.parametrize("distance_m", [30_000.0, pytest.param(3_954_925.5, marks=pytest.mark.slow)])
def test_far_field_reduction_keeps_only_hull_points_and_the_footprint(distance_m):
    # Issue 12: a 542-vertex polygon 2 km across at 3,955 km took 11 s. At a range well over the
    # geometry's size only launch points near its convex hull can be nearest to the boundary.
    polygon = _spiky(11, 542, 1_500.0)
    launch = launch_arrays(polygon)
    reduced = reduce_far(launch, distance_m, 1.0)
    assert len(reduced.lon0) < len(launch.lon0) / 4
    check(footprint(polygon, distance_m), polygon, distance_m, brute_samples=60)


def test_far_keep_keeps_every_hull_vertex_and_declines_near_ranges():
    polygon = _spiky(12, 300, 50_000.0)
    xy = shapely.get_coordinates(polygon)[:-1]
    keep = far_keep(xy[:, 0], xy[:, 1], 1_000_000.0, circle_curvature_per_m(900_000.0))
    hull = shapely.convex_hull(shapely.multipoints(xy))
    on_hull = shapely.intersects(shapely.points(xy), hull.exterior.buffer(1e-9))
    assert keep[on_hull].all() and not keep.all()
    assert far_keep(xy[:, 0], xy[:, 1], 100_000.0, circle_curvature_per_m(90_000.0)) is None


@pytest.mark.slow
def test_pieces_near_a_pole_and_across_the_antimeridian():
    # Pieces whose spokes pass near a pole must wind around it the right way, and pieces cut at
    # +-180 must keep their shared spokes bit for bit (a seam shows as an error of the full range).
    for geometry, distance_m in ((shapely.LineString([(20.0, 86.0), (40.0, 86.5)]), 1_000_000.0),
                                 (shapely.LineString([(170, -10), (-170, -12), (-160, 5)]), 1_000_000.0),
                                 (shapely.Point(-2.2e-11, -89.5), 100_000.0)):
        check(footprint(geometry, distance_m), geometry, distance_m, brute_samples=60)
