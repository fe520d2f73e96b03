"""rangemap.geodesy.nearest: distances to a launch geometry, against brute-force pyproj.Geod.inv.

``independent.segment_distances_m`` measures the exact distance to each geodesic segment (no
densification) and ``independent.distances_m`` measures every densified vertex with Geod.inv;
neither shares code with rangemap.
"""

import numpy as np
import pyproj
import pytest
import shapely

from rangemap.geodesy.nearest import (LAMBERT_REL_ERROR, SourceIndex, densify_geodesic_deg, ecef_xyz_m,
                                      lambert_distance_m, mean_point_deg)

import independent

GEOD = pyproj.Geod(ellps="WGS84")
LINE = shapely.LineString([(30.0, 50.0), (31.0, 50.3), (31.5, 49.0), (33.0, 49.2)])
POLYGON = shapely.Polygon([(35.0, 47.0), (36.5, 47.2), (36.0, 48.4), (35.2, 48.0)])


def around(geometry, n, reach_m, seed):
    """Query points at random azimuths and distances (up to reach_m) from random vertices."""
    rng = np.random.default_rng(seed)
    xy = shapely.get_coordinates(geometry)
    start = xy[rng.integers(0, len(xy), n)]
    lon, lat, _ = GEOD.fwd(start[:, 0], start[:, 1], rng.uniform(0, 360, n), rng.uniform(0, reach_m, n))
    return lon, lat


@pytest.mark.parametrize("geometry", [LINE, POLYGON.exterior, shapely.MultiPoint([(30, 50), (30.5, 50.1), (40, 40)])])
@pytest.mark.parametrize("distance_m,densify_error_m", [(300_000.0, 0.005), (2_000.0, 0.05)])
def test_distances_overestimate_by_at_most_the_densify_error(geometry, distance_m, densify_error_m):
    # The distance to the nearest densified vertex is never below the exact distance to the
    # geodesic segments, and above it by at most densify_error_m at the range the index was built
    # for (spacing**2 / (8 d): densify_error_m * distance_m / d at other distances d).
    lon, lat = around(geometry, 800, 1.3 * distance_m, seed=1)
    exact_m = independent.segment_distances_m(lon, lat, geometry)
    near = exact_m > 0.7 * distance_m
    assert near.sum() > 150
    ours_m = SourceIndex(geometry, distance_m, densify_error_m=densify_error_m).distance_m(lon, lat)
    excess_m = ours_m[near] - exact_m[near]
    assert excess_m.min() >= -1e-3
    assert np.all(excess_m <= densify_error_m * distance_m / exact_m[near] + 1e-3)
    beyond = exact_m[near] >= distance_m
    assert excess_m[beyond].max() <= densify_error_m + 1e-3


def test_nearest_matches_brute_force_vertex_by_vertex():
    lon, lat = around(LINE, 400, 400_000.0, seed=2)
    index = SourceIndex(LINE, 200_000.0)
    near = index.nearest(lon, lat)
    brute_m = independent.distances_m(lon, lat, LINE, 200_000.0, slack_m=0.005)
    far = brute_m > 50_000.0
    assert np.max(np.abs(near.distance_m[far] - brute_m[far])) < 0.02
    # The vertex it names is a densified vertex of the line, at the distance it reports.
    _, _, to_vertex_m = GEOD.inv(lon, lat, near.lon_deg, near.lat_deg)
    np.testing.assert_allclose(to_vertex_m, near.distance_m, rtol=0, atol=1e-6)
    xy = shapely.get_coordinates(LINE)
    a, b = xy[:-1], xy[1:]
    v_lon, a_lon = (m.ravel() for m in np.meshgrid(near.lon_deg, a[:, 0], indexing="ij"))
    v_lat, a_lat = (m.ravel() for m in np.meshgrid(near.lat_deg, a[:, 1], indexing="ij"))
    b_lon, b_lat = np.tile(b[:, 0], len(lon)), np.tile(b[:, 1], len(lon))
    _, _, leg_a = GEOD.inv(a_lon, a_lat, v_lon, v_lat)
    _, _, leg_b = GEOD.inv(v_lon, v_lat, b_lon, b_lat)
    _, _, whole = GEOD.inv(a_lon, a_lat, b_lon, b_lat)
    off_m = np.abs(leg_a + leg_b - whole).reshape(len(lon), len(a))
    assert np.max(off_m.min(axis=1)) < 1e-6  # on one segment's geodesic


def test_far_queries_from_a_small_geometry_match_brute_force():
    # Far from a small geometry every vertex is a candidate (the all-pairs path), also across +-180.
    small = shapely.Polygon([(179.99, 10.0), (-179.99, 10.0), (-179.99, 10.02), (179.99, 10.02)]).exterior
    small = shapely.LineString(shapely.get_coordinates(small))
    lon, lat = around(small, 300, 3_000_000.0, seed=3)
    exact_m = independent.segment_distances_m(lon, lat, small)
    ours_m = SourceIndex(small, 2_000_000.0).distance_m(lon, lat)
    far = exact_m > 500_000.0
    assert far.sum() > 100
    assert np.max(np.abs(ours_m[far] - exact_m[far])) < 0.01


def test_distance_is_zero_inside_a_polygon_only():
    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(34.5, 37.0, 500), rng.uniform(46.5, 49.0, 500)
    ours_m = SourceIndex(POLYGON, 10_000.0).distance_m(lon, lat)
    exact_m = independent.segment_distances_m(lon, lat, POLYGON)
    assert np.array_equal(ours_m == 0.0, exact_m == 0.0)
    outside = exact_m > 5_000.0
    assert np.max(np.abs(ours_m[outside] - exact_m[outside])) < 0.02


def test_lambert_distance_within_its_stated_error():
    rng = np.random.default_rng(5)
    n = 20_000
    lon1, lat1 = rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    dist_m = np.exp(rng.uniform(np.log(1.0), np.log(12_000_000.0), n))
    lon2, lat2, _ = GEOD.fwd(lon1, lat1, rng.uniform(0, 360, n), dist_m)
    _, _, exact_m = GEOD.inv(lon1, lat1, lon2, lat2)
    rel = np.abs(lambert_distance_m(lon1, lat1, lon2, lat2) - exact_m) / exact_m
    assert rel.max() <= LAMBERT_REL_ERROR
    assert rel.max() > LAMBERT_REL_ERROR / 100  # it is an approximation: the check can see its error


def test_densify_keeps_vertices_and_spacing_and_stays_on_the_geodesic():
    lon, lat = np.array([30.0, 31.0, 31.5, 179.5, -179.0]), np.array([50.0, 50.3, 49.0, 60.0, 61.0])
    out_lon, out_lat = densify_geodesic_deg(lon, lat, 7_000.0)
    vertex = np.isin(out_lon, lon) & np.isin(out_lat, lat)
    assert vertex.sum() == len(lon) and out_lon[0] == lon[0] and out_lon[-1] == lon[-1]
    _, _, step_m = GEOD.inv(out_lon[:-1], out_lat[:-1], out_lon[1:], out_lat[1:])
    assert step_m.max() <= 7_000.0 + 1e-6
    # Each point lies on its segment's geodesic: the two legs add up to the segment's length.
    seg = np.cumsum(vertex)[:-1] - 1
    _, _, leg_a = GEOD.inv(lon[seg], lat[seg], out_lon[:-1], out_lat[:-1])
    _, _, leg_b = GEOD.inv(out_lon[:-1], out_lat[:-1], lon[seg + 1], lat[seg + 1])
    _, _, whole = GEOD.inv(lon[seg], lat[seg], lon[seg + 1], lat[seg + 1])
    assert np.max(np.abs(leg_a + leg_b - whole)) < 1e-6


def test_mean_point_across_the_antimeridian():
    lon, lat = mean_point_deg([179.0, -179.0], [10.0, 10.0])
    # The 3-D mean lies inside the ellipsoid: its latitude is geocentric (9.94 degrees here), and
    # a plain mean of the longitudes would put it at 0 degrees, on the far side of the Earth.
    assert abs(abs(lon) - 180.0) < 1e-9 and abs(lat - 10.0) < 0.1


def test_ecef_against_pyproj():
    xyz = ecef_xyz_m([0.0, 90.0, 0.0], [0.0, 0.0, 90.0])
    np.testing.assert_allclose(xyz, [[GEOD.a, 0, 0], [0, GEOD.a, 0], [0, 0, GEOD.b]], atol=1e-6)


@pytest.mark.xfail(strict=True, reason="mean_point_deg returns the geocentric latitude of the 3-D mean (0.19 degrees, "
                                       "21 km, south of a small cluster at 45 N); fixing it moves the planar start "
                                       "and far-field centre, so footprints would change: left for the lead")
def test_mean_point_of_a_small_cluster_is_on_it():
    _, lat = mean_point_deg([30.0, 30.0001], [45.0, 45.0])
    assert abs(lat - 45.0) < 1e-6
