"""rangemap.geodesy.accuracy: measuring a footprint's error must catch footprints that are wrong.

Footprints here are built by hand with pyproj.Geod (not by rangemap), with known errors.
"""

import numpy as np
import pyproj
import pytest
import shapely

from rangemap.geodesy.accuracy import DEFAULT_FRACTIONS, boundary_samples_deg, footprint_error

import independent

GEOD = pyproj.Geod(ellps="WGS84")


def geodesic_circle(lon0, lat0, radius_m, n=20_000):
    """A polygon through n points exactly radius_m from the centre (chords sag by about radius_m (pi / n)**2 / 2)."""
    x, y, _ = GEOD.fwd(np.full(n, lon0), np.full(n, lat0), np.arange(n) * 360.0 / n, np.full(n, radius_m))
    return shapely.Polygon(np.column_stack([x, y]))


@pytest.mark.parametrize("offset_m", [-5.0, 5.0, -0.3])
def test_a_circle_off_by_a_known_amount_is_measured_to_within_centimetres(offset_m):
    site, distance_m = shapely.Point(36.2, 50.0), 300_000.0
    wrong = geodesic_circle(site.x, site.y, distance_m + offset_m)
    error = footprint_error(wrong, site, distance_m)
    # Chords of 20,000 vertices sag by at most 3.7 mm inside the circle.
    assert abs(error.max_error_m - abs(offset_m)) < 0.02
    assert abs(error.mean_error_m - abs(offset_m)) < 0.02
    assert abs(error.min_distance_m - (distance_m + offset_m)) < 0.02
    assert abs(error.max_distance_m - (distance_m + offset_m)) < 0.02
    assert error.samples == 20_000 * len(DEFAULT_FRACTIONS)


def test_a_right_circle_passes():
    site, distance_m = shapely.Point(-70.0, -33.0), 120_000.0
    error = footprint_error(geodesic_circle(site.x, site.y, distance_m), site, distance_m)
    assert error.max_error_m < 0.01


def test_a_dent_in_one_edge_is_caught():
    # One vertex of an exact circle pulled 40 m inwards: the error is at that vertex.
    site, distance_m = shapely.Point(10.0, 60.0), 50_000.0
    n = 4_000
    x, y, _ = GEOD.fwd(np.full(n, site.x), np.full(n, site.y), np.arange(n) * 360.0 / n, np.full(n, distance_m))
    x[100], y[100], _ = GEOD.fwd(site.x, site.y, 100 * 360.0 / n, distance_m - 40.0)
    error = footprint_error(shapely.Polygon(np.column_stack([x, y])), site, distance_m)
    assert abs(error.max_error_m - 40.0) < 0.05 and abs(error.min_distance_m - (distance_m - 40.0)) < 0.05


def test_the_measure_agrees_with_brute_force_on_the_same_samples():
    line = shapely.LineString([(30.0, 52.0), (36.0, 50.0)])
    # A rough footprint: a buffer of 2 degrees in lon/lat, wrong by kilometres and unevenly.
    rough = line.buffer(2.0, quad_segs=8)
    error = footprint_error(rough, line, 200_000.0)
    lon, lat = boundary_samples_deg(rough)
    brute = independent.distances_m(lon, lat, line, 200_000.0)
    assert abs(error.max_error_m - np.max(np.abs(brute - 200_000.0))) < 0.05
    assert abs(error.min_distance_m - brute.min()) < 0.05 and abs(error.max_distance_m - brute.max()) < 0.05


def test_boundary_samples_are_on_the_straight_edges_and_skip_cuts():
    square = shapely.Polygon([(170.0, 10.0), (180.0, 10.0), (180.0, 20.0), (170.0, 20.0)])
    lon, lat = boundary_samples_deg(square, fractions=(0.0, 0.5))
    # Four edges, one of them on the antimeridian (a cut, not boundary): three edges, two samples each.
    assert len(lon) == 6
    assert not np.any((lon == 180.0) & (lat > 10.0) & (lat < 20.0))
    assert shapely.distance(square.exterior, shapely.points(lon, lat)).max() < 1e-12
    dense_lon, _ = boundary_samples_deg(square, fractions=(0.5,), max_spacing_deg=1.0)
    assert len(dense_lon) == 30  # three edges of 10 degrees split into 1-degree pieces


def test_a_footprint_without_boundary_is_refused():
    with pytest.raises(ValueError, match="no boundary"):
        footprint_error(shapely.Polygon(), shapely.Point(0, 0), 1000.0)
