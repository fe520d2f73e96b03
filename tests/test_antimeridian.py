"""rangemap.geodesy.antimeridian: unwrapping longitudes, splitting at +-180 and closing rings through a pole."""

import numpy as np
import pytest
import shapely

from rangemap.geodesy.antimeridian import (close_around_pole, is_cut_edge, split_at_antimeridian, unwrap_lon_deg,
                                           winding_turns)


def wrap(lon):
    return (np.asarray(lon) + 180.0) % 360.0 - 180.0


def test_unwrap_then_wrap_gives_the_longitudes_back():
    rng = np.random.default_rng(3)
    # A path that crosses +-180 several times in small steps.
    lon = wrap(170.0 + np.cumsum(rng.uniform(-5, 9, 500)))
    unwrapped = unwrap_lon_deg(lon)
    assert np.max(np.abs(np.diff(unwrapped))) < 180.0
    assert unwrapped[0] == lon[0]
    np.testing.assert_allclose(wrap(unwrapped), lon, atol=1e-9)
    assert np.all(np.abs(np.round((unwrapped - lon) / 360.0) * 360.0 - (unwrapped - lon)) < 1e-9)


def test_winding_turns():
    assert winding_turns([10.0, 20.0, 15.0, 10.0]) == 0
    assert winding_turns(np.linspace(0.0, 360.0, 13)) == 1
    assert winding_turns(np.linspace(0.0, -360.0, 13)) == -1


def test_split_at_antimeridian_round_trips():
    # A polygon spanning 170..190 (unwrapped): two parts inside [-180, 180] that shift back to it.
    polygon = shapely.Polygon([(170, 60), (190, 60), (190, 66), (170, 66)])
    split = split_at_antimeridian(polygon)
    assert split.geom_type == "MultiPolygon" and split.is_valid
    west, _, east, _ = split.bounds
    assert -180.0 <= west and east <= 180.0
    parts = sorted(split.geoms, key=lambda p: p.bounds[0])
    assert parts[0].bounds == (-180.0, 60.0, -170.0, 66.0) and parts[1].bounds == (170.0, 60.0, 180.0, 66.0)
    back = shapely.union_all([shapely.transform(parts[0], lambda xy: xy + [360.0, 0.0]), parts[1]])
    assert back.symmetric_difference(polygon).area < 1e-9
    assert abs(split.area - polygon.area) < 1e-9


def test_split_leaves_a_polygon_inside_the_range_alone():
    polygon = shapely.Polygon([(-180, 0), (180, 0), (180, 1), (-180, 1)])
    assert split_at_antimeridian(polygon) is polygon


def test_split_handles_the_west_side_too():
    polygon = shapely.Polygon([(-190, -10), (-175, -10), (-175, -5), (-190, -5)])
    split = split_at_antimeridian(polygon)
    assert sorted(p.bounds for p in split.geoms) == [(-180.0, -10.0, -175.0, -5.0), (170.0, -10.0, 180.0, -5.0)]


@pytest.mark.parametrize("pole", [90.0, -90.0])
def test_a_ring_around_a_pole_closes_into_a_cap(pole):
    lat_ring = np.sign(pole) * 75.0
    lon = np.linspace(-30.0, 330.0, 73)  # unwrapped, once around
    lat = np.full(73, lat_ring) + np.sign(pole) * 2.0 * np.sin(np.radians(3 * lon))
    assert winding_turns(lon) == 1
    ring_lon, ring_lat = close_around_pole(lon, lat, pole)
    assert winding_turns(ring_lon) == 0
    cap = split_at_antimeridian(shapely.Polygon(np.column_stack([ring_lon, ring_lat])))
    assert cap.is_valid
    west, _, east, _ = cap.bounds
    assert -180.0 <= west and east <= 180.0
    for lon_probe in (-179.0, -90.0, 0.0, 45.0, 179.0):
        assert cap.covers(shapely.Point(lon_probe, pole * 0.999)), "the cap misses the pole"
        assert not cap.covers(shapely.Point(lon_probe, np.sign(pole) * 70.0)), "the cap spills past its ring"
    # Every point of the input ring lies on the cap's boundary (wrapped into [-180, 180]).
    boundary = cap.boundary
    assert shapely.distance(boundary, shapely.points(wrap(lon), lat)).max() < 1e-9


def test_cut_edges_are_the_antimeridian_and_the_poles_only():
    lon0 = np.array([180.0, -180.0, 180.0, 10.0, 10.0, 179.9])
    lat0 = np.array([10.0, 10.0, 10.0, 90.0, 89.0, 10.0])
    lon1 = np.array([180.0, -180.0, -180.0, 20.0, 20.0, 179.9])
    lat1 = np.array([20.0, -5.0, 20.0, 90.0, 89.0, 20.0])
    assert is_cut_edge(lon0, lat0, lon1, lat1).tolist() == [True, True, False, True, False, False]
