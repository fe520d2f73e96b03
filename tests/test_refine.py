"""rangemap.geodesy.refine: the curvature bound, moves onto the boundary and the edge checks.

Every check measures with pyproj.Geod directly or with the brute force of tests/independent.py.
"""

import numpy as np
import pyproj
import pytest
import shapely

from rangemap.geodesy.bounds import EDGE_ERROR_SHARE, ON_BOUNDARY_SHARE
from rangemap.geodesy.nearest import SourceIndex
from rangemap.geodesy.refine import (RefineSettings, check_edges, circle_meet_deg, curvature_bound_per_m,
                                     lonlat_bow_m, refine_ring, rewrap_near, snap_to_range_deg)

import independent

GEOD = pyproj.Geod(ellps="WGS84")


def measured_curvature_per_m(lon0, lat0, radius_m, n=720):
    """Geodesic curvature of the geodesic circle of this radius, measured at n points round it.

    At each point B the two neighbours A and C (a chord L apart) are joined by a geodesic; B lies
    a sagitta h off its middle, and the curvature is 8 h / L**2 (to a relative (k L)**2).
    """
    step_m = min(radius_m / 100.0, 10_000.0)
    az = np.arange(n) * 360.0 / n
    arc_deg = np.degrees(step_m / radius_m)  # the neighbours' azimuth offset, about step_m along the circle
    a_lon, a_lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az - arc_deg, np.full(n, radius_m))
    b_lon, b_lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, np.full(n, radius_m))
    c_lon, c_lat, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az + arc_deg, np.full(n, radius_m))
    chord_az, _, chord_m = GEOD.inv(a_lon, a_lat, c_lon, c_lat)
    mid_lon, mid_lat, _ = GEOD.fwd(a_lon, a_lat, chord_az, chord_m / 2)
    _, _, sagitta_m = GEOD.inv(mid_lon, mid_lat, b_lon, b_lat)
    return 8.0 * sagitta_m / chord_m**2


@pytest.mark.parametrize("radius_m", [1_000.0, 83_200.0, 300_000.0, 3_000_000.0, 9_000_000.0])
@pytest.mark.parametrize("lat0", [0.0, 45.0, 80.0, -89.0])
def test_curvature_bound_bounds_a_geodesic_circle(radius_m, lat0):
    measured = measured_curvature_per_m(30.0, lat0, radius_m)
    bound = curvature_bound_per_m(radius_m)
    assert measured.max() <= bound
    # Not a loose bound: within the 2 % margin and the ellipsoid's spread of radii (at 9,000 km,
    # where cot(r / rho) changes fast with rho, the extreme radii leave it about 9 % above).
    assert measured.max() >= bound / (1.05 if radius_m < 5e6 else 1.15)


def test_curvature_bound_is_about_one_over_the_radius_when_small():
    assert abs(curvature_bound_per_m(10.0) * 10.0 - 1.02 * 1.0) < 1e-3
    assert curvature_bound_per_m(1e6) < curvature_bound_per_m(1e5)


def settings_for(geometry, distance_m, tolerance_m=1.0, densify_error_m=0.05):
    return RefineSettings(SourceIndex(geometry, distance_m, densify_error_m=densify_error_m), distance_m, tolerance_m)


def test_settings_spend_the_shares_of_the_budget():
    s = settings_for(shapely.Point(30, 50), 1000.0, tolerance_m=0.4)
    assert s.edge_limit_m == EDGE_ERROR_SHARE * 0.4
    assert s.on_boundary_m == ON_BOUNDARY_SHARE * 0.4
    assert s.bracket_m < s.distinct_m < s.on_boundary_m < s.edge_limit_m < s.tolerance_m


@pytest.mark.parametrize("distance_m,tolerance_m", [(300_000.0, 1.0), (2_500.0, 0.05), (6_000_000.0, 10.0)])
def test_snap_lands_on_the_range_of_a_point_group(distance_m, tolerance_m):
    # Points scattered around the boundary (inside and outside) move onto it; Geod.inv from every
    # launch point says how far each moved point is from the range.
    rng = np.random.default_rng(8)
    spread = distance_m / 111_000.0
    group = np.column_stack([30 + rng.uniform(0, spread, 5), 50 + rng.uniform(0, spread / 2, 5)])
    s = settings_for(shapely.MultiPoint(group), distance_m, tolerance_m)
    x, y, _ = GEOD.fwd(np.full(300, 30.0), np.full(300, 50.0), rng.uniform(0, 360, 300),
                       distance_m * rng.uniform(0.9, 1.6, 300))
    lon, lat, src_lon, src_lat = snap_to_range_deg(x, y, s)
    _, _, to_each_m = GEOD.inv(np.repeat(lon, 5), np.repeat(lat, 5), np.tile(group[:, 0], 300),
                               np.tile(group[:, 1], 300))
    nearest_m = to_each_m.reshape(300, 5).min(axis=1)
    # On the boundary: within 1/100 of the tolerance (bounds' error budget) of the range.
    assert np.max(np.abs(nearest_m - distance_m)) <= 0.01 * tolerance_m
    # The launch vertex it names is the nearest one.
    _, _, to_src_m = GEOD.inv(lon, lat, src_lon, src_lat)
    np.testing.assert_allclose(to_src_m, nearest_m, rtol=0, atol=1e-6)
    assert np.all(np.abs(lon) <= 180.0)


def test_snap_lands_on_the_range_of_a_line():
    line = shapely.LineString([(30.0, 50.0), (31.0, 50.3), (31.5, 49.0)])
    distance_m = 50_000.0
    s = settings_for(line, distance_m, tolerance_m=1.0, densify_error_m=0.05)
    rng = np.random.default_rng(9)
    x, y, _ = GEOD.fwd(np.full(200, 30.8), np.full(200, 49.8), rng.uniform(0, 360, 200), rng.uniform(6e4, 2e5, 200))
    lon, lat, _, _ = snap_to_range_deg(x, y, s)
    brute_m = independent.segment_distances_m(lon, lat, line)
    # On the boundary as the index sees it, which overestimates by at most its densification error.
    assert np.all(brute_m <= distance_m + 0.01 + 1e-3)
    assert np.all(brute_m >= distance_m - 0.01 - 0.05 - 1e-3)


def test_circle_meet_lies_on_both_circles():
    rng = np.random.default_rng(10)
    n, distance_m = 50, 120_000.0
    a_lon, a_lat = rng.uniform(-170, 170, n), rng.uniform(-70, 70, n)
    b_lon, b_lat, _ = GEOD.fwd(a_lon, a_lat, rng.uniform(0, 360, n), rng.uniform(0.2, 1.9, n) * distance_m)
    az_ab, _, _ = GEOD.inv(a_lon, a_lat, b_lon, b_lat)
    # Start on A's circle opposite B, walk towards B.
    lon, lat, _ = GEOD.fwd(a_lon, a_lat, az_ab + 180.0, np.full(n, distance_m))
    x, y, meet = circle_meet_deg(lon, lat, a_lon, a_lat, b_lon, b_lat, distance_m)
    assert meet.all()
    _, _, to_a = GEOD.inv(a_lon, a_lat, x, y)
    _, _, to_b = GEOD.inv(b_lon, b_lat, x, y)
    assert np.max(np.abs(to_a - distance_m)) < 1e-6
    assert np.max(np.abs(to_b - distance_m)) < 1e-3


def test_lonlat_bow_against_the_geodesic_midpoint():
    # About 4 m for a 27 km east-west edge at 16 degrees.
    lon0, lat0 = 10.0, 16.0
    lon1, lat1, _ = GEOD.fwd(lon0, lat0, 90.0, 27_000.0)
    mid = GEOD.inv_intermediate(lon0, lat0, lon1, lat1, npts=3, initial_idx=0, terminus_idx=0,
                               return_back_azimuth=True)
    _, _, expected_m = GEOD.inv(mid.lons[1], mid.lats[1], (lon0 + lon1) / 2, (lat0 + lat1) / 2)
    bow_m = lonlat_bow_m(np.array([lon0]), np.array([lat0]), np.array([lon1]), np.array([lat1]))
    assert abs(bow_m[0] - expected_m) < 1e-6 and 3.0 < bow_m[0] < 5.0


def test_rewrap_near():
    np.testing.assert_array_equal(rewrap_near(np.array([-179.0, 179.0, 0.0]), 179.0), [181.0, 179.0, 0.0])
    np.testing.assert_array_equal(rewrap_near(np.array([179.0]), -179.0), [-181.0])


def test_edge_bounds_are_bounds():
    # Random edges between boundary points of random point groups: each bound is at least the
    # error that brute force measures along the edge as drawn.
    rng = np.random.default_rng(5)
    for distance_m in (350.0, 83_200.0, 2_900_000.0):
        group = shapely.MultiPoint(np.column_stack([rng.uniform(30, 30.01, 6), rng.uniform(50, 50.01, 6)])
                                   if distance_m < 1e3 else np.column_stack([rng.uniform(30, 31, 6),
                                                                             rng.uniform(50, 51, 6)]))
        settings = settings_for(group, distance_m)
        cx, cy = 30.5, 50.5
        az = np.sort(rng.uniform(0, 360, 40))
        x, y, _ = GEOD.fwd(np.full(40, cx), np.full(40, cy), az, np.full(40, distance_m))
        lon, lat, src_lon, src_lat = snap_to_range_deg(x, y, settings)
        nxt = np.roll(np.arange(40), -1)
        edge = check_edges(lon, lat, lon[nxt], lat[nxt], src_lon, src_lat, src_lon[nxt], src_lat[nxt], settings)
        f = np.linspace(0, 1, 201)
        for i in range(40):
            j = nxt[i]
            d = independent.distances_m(lon[i] + f * (lon[j] - lon[i]), lat[i] + f * (lat[j] - lat[i]), group,
                                        distance_m) - distance_m
            assert edge.outward_m[i] >= d.max() - 0.02, (distance_m, i)
            assert edge.inward_m[i] >= -d.min() - 0.02, (distance_m, i)


def test_refined_ring_edges_stay_within_the_edge_limit():
    # A coarse ring on the boundary of three circles, refined: every straight lon/lat edge, measured
    # by brute force at 41 points, lies within the edge limit (3/4 of the tolerance, bounds' error
    # budget) of the range, plus the vertices' own offset (1/100).
    group = shapely.MultiPoint([(30.0, 50.0), (30.6, 50.2), (30.3, 49.6)])
    distance_m = 40_000.0
    s = settings_for(group, distance_m)
    x, y, _ = GEOD.fwd(np.full(24, 30.3), np.full(24, 49.93), np.arange(24) * 15.0, np.full(24, 80_000.0))
    lon, lat, src_lon, src_lat = snap_to_range_deg(x, y, s)
    lon, lat = refine_ring(lon, lat, src_lon, src_lat, s)
    assert len(lon) > 100
    f = np.linspace(0, 1, 41)[:-1]
    nxt_lon, nxt_lat = rewrap_near(np.roll(lon, -1), lon), np.roll(lat, -1)
    px = (lon[:, None] + f * (nxt_lon - lon)[:, None]).ravel()
    py = (lat[:, None] + f * (nxt_lat - lat)[:, None]).ravel()
    brute_m = independent.distances_m(px, py, group, distance_m)
    assert np.max(np.abs(brute_m - distance_m)) <= (0.75 + 0.01) * s.tolerance_m
