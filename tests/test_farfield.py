"""rangemap.geodesy.farfield: at long range only launch points near the convex hull can reach the boundary.

Soundness is checked by brute force with pyproj.Geod: a launch vertex that far_keep leaves out
must be unable to reach the footprint's boundary, i.e. every point of its circle at the range is
strictly within the range of a vertex that is kept.
"""

import numpy as np
import pyproj
import pytest
import shapely

from rangemap.geodesy.farfield import (MAX_EXTENT_M, MIN_RANGE_PER_EXTENT, SEGMENT_BOW_SHARE, centre_and_extent,
                                       depth_margin_m, far_keep, reduced_geometry)
from rangemap.geodesy.pieces import circle_curvature_per_m

import independent

GEOD = pyproj.Geod(ellps="WGS84")


def star(seed, n, radius_m, lon=None, lat=None):
    """n vertices round a centre at radii 5-100 % of radius_m (a spiky star polygon's vertices)."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(-170, 170) if lon is None else lon
    lat = rng.uniform(-60, 60) if lat is None else lat
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), np.arange(n) * 360 / n, radius_m * rng.uniform(0.05, 1, n))
    return x, y


def can_reach_boundary(lon, lat, keep, distance_m, n_az=360):
    """Brute force: for each vertex left out, whether some point of its range circle is not covered by a kept vertex."""
    out = np.flatnonzero(~keep)
    kept = np.flatnonzero(keep)
    az = np.arange(n_az) * 360.0 / n_az
    reach = np.zeros(len(out), dtype=bool)
    for k, v in enumerate(out):
        cx, cy, _ = GEOD.fwd(np.full(n_az, lon[v]), np.full(n_az, lat[v]), az, np.full(n_az, distance_m))
        _, _, d = GEOD.inv(np.repeat(cx, len(kept)), np.repeat(cy, len(kept)), np.tile(lon[kept], n_az),
                           np.tile(lat[kept], n_az))
        reach[k] = np.any(d.reshape(n_az, len(kept)).min(axis=1) >= distance_m)
    return reach


@pytest.mark.parametrize("seed,radius_m,distance_m", [(1, 50_000.0, 1_000_000.0), (2, 2_000.0, 60_000.0),
                                                       (3, 300_000.0, 5_000_000.0)])
def test_far_keep_keeps_every_vertex_that_can_reach_the_boundary(seed, radius_m, distance_m):
    lon, lat = star(seed, 120, radius_m)
    keep = far_keep(lon, lat, distance_m, circle_curvature_per_m(0.9 * distance_m))
    assert keep is not None
    assert keep.sum() < len(lon) / 2, "the reduction leaves nothing out: the check would be empty"
    assert not can_reach_boundary(lon, lat, keep, distance_m).any()


def test_the_brute_force_sees_a_hull_vertex_left_out():
    # The check above can fail: leaving out the farthest vertex (on the hull) is caught.
    lon, lat = star(1, 120, 50_000.0)
    keep = far_keep(lon, lat, 1_000_000.0, circle_curvature_per_m(900_000.0))
    lon0, lat0, _ = centre_and_extent(lon, lat)
    _, _, from_centre_m = GEOD.inv(np.full(len(lon), lon0), np.full(len(lon), lat0), lon, lat)
    wrong = keep.copy()
    wrong[np.argmax(from_centre_m)] = False
    assert can_reach_boundary(lon, lat, wrong, 1_000_000.0).any()


@pytest.mark.parametrize("distance_m", [1_000_000.0, 4_000_000.0])
def test_vertices_just_inside_a_hull_edge_are_kept(distance_m):
    # A disk of radius R through the ends of a hull edge L long bulges k L**2 / 8 inside it (k: the
    # geodesic curvature of its rim, about cot(R / rho) / rho on a sphere of radius rho): a vertex
    # at 90 % of that depth below the edge's middle is the nearest launch point to the point R
    # beyond it (brute force below), so it reaches the boundary and must be kept.
    m, radius_m = 12, 50_000.0
    az = np.arange(m) * 360.0 / m
    ring_lon, ring_lat, _ = GEOD.fwd(np.full(m, 30.0), np.full(m, 50.0), az, np.full(m, radius_m))
    nxt = np.roll(np.arange(m), -1)
    edge_az, _, edge_m = GEOD.inv(ring_lon, ring_lat, ring_lon[nxt], ring_lat[nxt])
    mid_lon, mid_lat, _ = GEOD.fwd(ring_lon, ring_lat, edge_az, edge_m / 2)
    to_mid_az, _, _ = GEOD.inv(np.full(m, 30.0), np.full(m, 50.0), mid_lon, mid_lat)
    rho_m = 6_300_000.0
    depth_m = 0.9 * edge_m**2 / 8 / (rho_m * np.tan(distance_m / rho_m))
    in_lon, in_lat, _ = GEOD.fwd(mid_lon, mid_lat, to_mid_az + 180.0, depth_m)
    lon, lat = np.r_[ring_lon, in_lon], np.r_[ring_lat, in_lat]
    # Brute force: R beyond each inner vertex, straight out, every other vertex is farther than R.
    _, back_az, _ = GEOD.inv(np.full(m, 30.0), np.full(m, 50.0), in_lon, in_lat)
    out_lon, out_lat, _ = GEOD.fwd(in_lon, in_lat, back_az + 180.0, np.full(m, distance_m))
    _, _, d = GEOD.inv(np.repeat(out_lon, 2 * m), np.repeat(out_lat, 2 * m), np.tile(lon, m), np.tile(lat, m))
    d = d.reshape(m, 2 * m)
    others = np.ones((m, 2 * m), dtype=bool)
    others[np.arange(m), m + np.arange(m)] = False
    assert np.all(np.where(others, d, np.inf).min(axis=1) > distance_m), "the inner vertices reach the boundary"
    keep = far_keep(lon, lat, distance_m, circle_curvature_per_m(0.9 * distance_m))
    assert keep is not None and keep.all()


def test_far_keep_declines_near_ranges_wide_extents_and_few_points():
    lon, lat = star(4, 100, 50_000.0)
    _, _, extent_m = centre_and_extent(lon, lat)
    near_m = 0.99 * MIN_RANGE_PER_EXTENT * extent_m
    assert far_keep(lon, lat, near_m, circle_curvature_per_m(0.9 * near_m)) is None
    wide_lon, wide_lat = star(5, 100, 1.2 * MAX_EXTENT_M, lon=0.0, lat=0.0)
    assert far_keep(wide_lon, wide_lat, 9e6, circle_curvature_per_m(8.1e6)) is None
    assert far_keep(lon[:7], lat[:7], 5e6, circle_curvature_per_m(4.5e6)) is None


def test_a_wider_margin_keeps_more():
    lon, lat = star(6, 300, 20_000.0)
    curvature = circle_curvature_per_m(900_000.0)
    narrow = far_keep(lon, lat, 1_000_000.0, curvature)
    wide = far_keep(lon, lat, 1_000_000.0, curvature, margin_m=5_000.0)
    assert np.all(wide[narrow]) and wide.sum() > narrow.sum()


def test_depth_margin_is_the_tolerance_plus_the_segments_bow():
    assert depth_margin_m(1.0, 0.0) == 1.0
    assert depth_margin_m(0.5, 20_000.0) == 0.5 + SEGMENT_BOW_SHARE * 20_000.0


def test_centre_and_extent_against_geod():
    lon, lat = star(7, 60, 100_000.0, lon=179.5, lat=10.0)
    lon = (lon + 180.0) % 360.0 - 180.0
    lon0, lat0, extent_m = centre_and_extent(lon, lat)
    assert abs(abs(lon0) - 179.5) < 1.0 and abs(lat0 - 10.0) < 1.0  # not pulled to 0 by the wrap
    _, _, d = GEOD.inv(np.full(len(lon), lon0), np.full(len(lon), lat0), lon, lat)
    assert extent_m == d.max()


@pytest.mark.parametrize("distance_m", [30_000.0, 400_000.0])
def test_reduced_geometry_gives_the_same_distances_far_away(distance_m):
    # From every point at least 90 % of the range away, the distance to the reduced geometry is the
    # distance to the whole polygon's boundary (brute force, both densified the same way).
    x, y = star(11, 300, 1_500.0)
    polygon = shapely.Polygon(np.column_stack([x, y]))
    reduced = reduced_geometry(polygon, distance_m, circle_curvature_per_m(0.9 * distance_m),
                               depth_margin_m(1.0, 200.0))
    assert reduced is not None
    assert shapely.get_num_coordinates(reduced) < shapely.get_num_coordinates(polygon) / 3
    c = polygon.centroid
    rng = np.random.default_rng(12)
    lon, lat, _ = GEOD.fwd(np.full(400, c.x), np.full(400, c.y), rng.uniform(0, 360, 400),
                           distance_m * rng.uniform(0.95, 1.2, 400))
    whole_m = independent.distances_m(lon, lat, polygon, distance_m)
    reduced_m = independent.distances_m(lon, lat, reduced, distance_m)
    assert np.min(whole_m) > 0.9 * distance_m
    assert np.max(np.abs(reduced_m - whole_m)) < 0.02


def test_reduced_geometry_is_none_when_nothing_can_be_left_out():
    line = shapely.LineString([(30, 50), (30.01, 50), (30.02, 50.001), (30.03, 50), (30.04, 50), (30.05, 50),
                               (30.06, 50), (30.07, 50), (30.08, 50.001)])
    assert reduced_geometry(line, 1_000_000.0, circle_curvature_per_m(900_000.0)) is None
