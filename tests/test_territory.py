"""Launch areas (minus, standoff) and reach zones against an independent brute-force check.

Membership of sample points is decided independently: inside/outside the
straight-edged synthetic polygons with a planar test, distances with
``tests/independent.py`` (every pair through ``pyproj.Geod.inv``). Points
within 1 m of a boundary may go either way and are left out.
"""

import numpy as np
import pyproj
import pytest
import shapely

from independent import densified_vertices, distances_m
from rangemap.errors import InvalidInputError, ScenarioError
from rangemap.model.reach import launch_zone
from rangemap.model.scenario import resolve_scenario
from rangemap.model.spec import parse_scenario
from rangemap.model.territory import launch_area
from synthetic import country, neighbour, occupied, write_geometry

GEOD = pyproj.Geod(ellps="WGS84")
STANDOFF_M = 20_000.0
# Within this many degrees of a straight polygon edge (at most about 1.5 m here) a point may go either way.
EDGE_BAND_DEG = 2e-5


def sample_points(seed=0, grid=48, near=1500):
    """A grid over the border zone, plus points between 19.9 and 20.1 km from the occupied area's edge."""
    gx, gy = np.meshgrid(np.linspace(33.3, 35.4, grid), np.linspace(47.05, 49.95, grid))
    rng = np.random.default_rng(seed)
    edge = shapely.get_coordinates(occupied(3).exterior)
    edge = edge[edge[:, 0] < 34.9]  # the western side, facing the launch country
    pick = edge[rng.integers(0, len(edge), near)]
    # Away from the ellipse's centre, roughly square to its edge.
    _, back_az, _ = GEOD.inv(np.full(near, 35.0), np.full(near, 48.5), pick[:, 0], pick[:, 1])
    lon, lat, _ = GEOD.fwd(pick[:, 0], pick[:, 1], back_az + 180.0, rng.uniform(19_900, 20_100, near))
    return np.concatenate([gx.ravel(), lon]), np.concatenate([gy.ravel(), lat])


def brute_distance_m(lon, lat, polygons):
    """Independent geodesic distance to a list of polygons: 0 inside, else Geod.inv to their densified edges."""
    dist = distances_m(lon, lat, shapely.GeometryCollection(polygons), STANDOFF_M)
    for p in polygons:
        dist[shapely.contains_xy(p, lon, lat)] = 0.0
    return dist


def near_edge(lon, lat, polygons):
    points = shapely.points(lon, lat)
    return np.any([shapely.distance(p.boundary, points) < EDGE_BAND_DEG for p in polygons], axis=0)


def test_launch_area_without_standoff_is_the_difference():
    occ = occupied(3)
    area = launch_area(country(), minus=[occ])
    lon, lat = sample_points()
    expected = shapely.contains_xy(country(), lon, lat) & ~shapely.contains_xy(occ, lon, lat)
    decided = ~near_edge(lon, lat, [country(), occ])
    got = shapely.contains_xy(area, lon, lat)
    assert expected[decided].sum() > 500 and (~expected[decided]).sum() > 500
    assert np.array_equal(got[decided], expected[decided])


@pytest.mark.slow
def test_launch_area_with_standoff_agrees_with_brute_force():
    occ, nb = occupied(3), neighbour()
    area = launch_area(country(), minus=[occ], standoff_m=STANDOFF_M, standoff_from=[occ, nb])
    lon, lat = sample_points()
    dist_m = brute_distance_m(lon, lat, [occ, nb])
    expected = shapely.contains_xy(country(), lon, lat) & ~shapely.contains_xy(occ, lon, lat) & (dist_m > STANDOFF_M)
    decided = ~near_edge(lon, lat, [country(), occ]) & (np.abs(dist_m - STANDOFF_M) > 1.0)
    got = shapely.contains_xy(area, lon, lat)
    # The test has teeth: points both sides of the margin, and many of them within 100 m of it.
    in_country = shapely.contains_xy(country(), lon, lat)
    assert (expected & decided).sum() > 300
    assert (in_country & ~expected & decided & (dist_m > 0)).sum() > 300
    assert (decided & (np.abs(dist_m - STANDOFF_M) < 100)).sum() > 50
    wrong = np.flatnonzero(decided & (got != expected))
    assert len(wrong) == 0, list(zip(lon[wrong][:5], lat[wrong][:5], dist_m[wrong][:5], strict=True))


@pytest.mark.slow
def test_standoff_clip_of_a_large_neighbour_changes_nothing():
    # The neighbour is clipped to the launch area's surroundings before its footprint is drawn.
    big = shapely.segmentize(shapely.box(35.0, 40.0, 60.0, 60.0), 0.05)
    clipped = launch_area(country(), standoff_m=STANDOFF_M, standoff_from=[big])
    lon, lat = sample_points()
    dist_m = brute_distance_m(lon, lat, [big])
    expected = shapely.contains_xy(country(), lon, lat) & (dist_m > STANDOFF_M)
    decided = ~near_edge(lon, lat, [country()]) & (np.abs(dist_m - STANDOFF_M) > 1.0)
    assert (decided & ~expected & shapely.contains_xy(country(), lon, lat)).sum() > 100
    assert np.array_equal(shapely.contains_xy(clipped, lon, lat)[decided], expected[decided])


@pytest.mark.slow
def test_reach_zone_agrees_with_brute_force():
    occ, nb = occupied(3), neighbour()
    area = launch_area(country(), minus=[occ], standoff_m=STANDOFF_M, standoff_from=[occ, nb])
    target = shapely.Point(35.9, 49.4)
    range_m = 120_000.0
    zone = launch_zone(target, range_m, area)
    lon, lat = sample_points(seed=1)
    _, _, to_target_m = GEOD.inv(np.full(len(lon), target.x), np.full(len(lat), target.y), lon, lat)
    dist_m = brute_distance_m(lon, lat, [occ, nb])
    in_area = shapely.contains_xy(country(), lon, lat) & ~shapely.contains_xy(occ, lon, lat) & (dist_m > STANDOFF_M)
    expected = in_area & (to_target_m <= range_m)
    decided = (~near_edge(lon, lat, [country(), occ]) & (np.abs(dist_m - STANDOFF_M) > 1.0)
               & (np.abs(to_target_m - range_m) > 1.0))
    got = shapely.contains_xy(zone.geometry, lon, lat)
    assert (expected & decided).sum() > 100 and (in_area & ~expected & decided).sum() > 100
    assert np.array_equal(got[decided], expected[decided])
    # Nearest launch point: brute force over the launch area's densified boundary.
    vlon, vlat = densified_vertices(area, 20.0)
    _, _, d = GEOD.inv(np.full(len(vlon), target.x), np.full(len(vlat), target.y), vlon, vlat)
    assert zone.nearest_distance_m == pytest.approx(d.min(), abs=0.5)
    _, _, check = GEOD.inv(target.x, target.y, zone.nearest_lon_deg, zone.nearest_lat_deg)
    assert check == pytest.approx(zone.nearest_distance_m, abs=1e-6)
    assert 0 < zone.area_km2 < 120_000 * 120_000 * np.pi / 1e6


def test_reach_zone_of_a_target_out_of_range_is_empty_and_inside_is_zero():
    area = launch_area(country(), minus=[occupied(0)])
    far = launch_zone(shapely.Point(40.0, 48.5), 100_000.0, area)
    assert far.geometry.is_empty and far.area_km2 == 0.0 and far.nearest_distance_m > 100_000.0
    inside = launch_zone(shapely.Point(32.0, 48.0), 50_000.0, area)
    assert inside.nearest_distance_m == 0.0
    with pytest.raises(InvalidInputError):
        launch_zone(shapely.box(0, 0, 1, 1), 1000.0, area)


def _scenario(tmp_path, site):
    return {"name": "t", "weapons": [{"name": "W", "range_km": 100}], "launch": [{"id": "a", "sites": [site]}]}


def _resolved(data, *args):
    return resolve_scenario(parse_scenario(data, *args))


def test_scenario_site_keys_match_launch_area(tmp_path):
    write_geometry(tmp_path / "country.geojson", country())
    write_geometry(tmp_path / "occupied.gpkg", occupied(2), crs="EPSG:3857")  # another CRS: reprojected on read
    write_geometry(tmp_path / "neighbour.geojson", neighbour())
    site = {"file": "country.geojson", "minus": [{"file": "occupied.gpkg"}], "standoff_km": 20,
            "standoff_from": [{"file": "occupied.gpkg"}, {"file": "neighbour.geojson"}]}
    got = _resolved(_scenario(tmp_path, site), "t.toml", tmp_path).launches[0].sites[0]
    occ = occupied(2)
    expected = launch_area(country(), minus=[occ], standoff_m=20_000, standoff_from=[occ, neighbour()])
    assert got.kind == "file" and got.label == "country.geojson"
    assert shapely.symmetric_difference(got.geometry, expected).area < 1e-6 * expected.area


@pytest.mark.parametrize("extra, message", [
    ({"standoff_km": 20}, "launch[0].sites[0].standoff_km: needs 'standoff_from' too (got standoff_km = 20)"),
    ({"standoff_from": [{"point": [36, 48]}]}, "launch[0].sites[0].standoff_from: needs 'standoff_km' too"),
    ({"standoff_km": -5, "standoff_from": [{"point": [36, 48]}]}, "standoff_km: must be a finite number >= 0, got -5"),
    ({"standoff_km": float("nan"), "standoff_from": [{"point": [36, 48]}]}, "standoff_km: must be a finite number"),
    ({"standoff_km": "20", "standoff_from": [{"point": [36, 48]}]}, "standoff_km: expected a number of km, got '20'"),
    ({"standoff_km": True, "standoff_from": [{"point": [36, 48]}]}, "standoff_km: expected a number of km, got True"),
    ({"standoff_km": 20_000, "standoff_from": [{"point": [36, 48]}]},
     "launch[0].sites[0].standoff_km: must be 0.001 to 10,000 (km), got 20000"),
    ({"standoff_km": 0.0005, "standoff_from": [{"point": [36, 48]}]}, "standoff_km: must be 0.001 to 10,000 (km)"),
    ({"minus": {"file": "x"}}, "launch[0].sites[0].minus: expected a non-empty list of sites"),
    ({"minus": []}, "launch[0].sites[0].minus: expected a non-empty list"),
    ({"minus": [{"bogus": 1}]}, "launch[0].sites[0].minus[0]: unknown field(s) bogus"),
    ({"minus": [{"file": "nowhere.geojson"}]}, "launch[0].sites[0].minus[0].file: file"),
    ({"minus": [{"point": [33, 48], "standoff_km": 1}]}, "launch[0].sites[0].minus[0].standoff_km: needs"),
    ({"minus": [{"file": "country.geojson"}]}, "launch[0].sites[0]: nothing is left of the site"),
    ({"label": "x", "oops": 1, "minus": [{"point": [33, 48]}]}, "launch[0].sites[0]: unknown field(s) oops"),
])
def test_bad_site_keys_name_file_field_and_value(tmp_path, extra, message):
    write_geometry(tmp_path / "country.geojson", country())
    with pytest.raises(ScenarioError) as err:
        _resolved(_scenario(tmp_path, {"file": "country.geojson", **extra}), "t.toml", tmp_path)
    assert str(err.value).startswith("t.toml: ") and message in str(err.value), str(err.value)


def test_standoff_from_a_real_country_agrees_with_brute_force():
    from rangemap.data import gazetteer

    site = {"country": "Ukraine", "standoff_km": 20, "standoff_from": [{"country": "Belarus"}]}
    area = _resolved(_scenario(None, site), "t.toml").launches[0].sites[0].geometry
    ukraine, belarus = gazetteer.country("Ukraine").geometry, gazetteer.country("Belarus").geometry
    # A meridian of points across the Ukraine-Belarus border north of Kyiv.
    lon, lat = np.full(300, 30.5), np.linspace(50.9, 51.6, 300)
    dist_m = distances_m(lon, lat, shapely.intersection(belarus, shapely.box(28, 50, 33, 53)), STANDOFF_M)
    dist_m[shapely.contains_xy(belarus, lon, lat)] = 0.0
    expected = shapely.contains_xy(ukraine, lon, lat) & (dist_m > STANDOFF_M)
    decided = (np.abs(dist_m - STANDOFF_M) > 1.0) & ~near_edge(lon, lat, list(shapely.get_parts(ukraine)))
    assert expected[decided].sum() > 50 and (~expected[decided] & shapely.contains_xy(ukraine, lon, lat)).sum() > 10
    assert np.array_equal(shapely.contains_xy(area, lon, lat)[decided], expected[decided])


def test_standoff_margin_keeps_the_scenario_tolerance(tmp_path):
    # A scenario's tolerance_m bounds every edge it draws, the standoff margin's too.
    from independent import boundary_points

    write_geometry(tmp_path / "country.geojson", country())
    write_geometry(tmp_path / "neighbour.geojson", neighbour())
    site = {"file": "country.geojson", "standoff_km": 20, "standoff_from": [{"file": "neighbour.geojson"}]}
    data = {**_scenario(tmp_path, site), "tolerance_m": 0.05}
    area = _resolved(data, "t.toml", tmp_path).launches[0].sites[0].geometry
    lon, lat = boundary_points(area)
    # The margin's edge: the area's boundary away from the country's own edges.
    margin = shapely.distance(country().boundary, shapely.points(lon, lat)) > 1e-7
    assert margin.sum() > 1000
    dist_m = distances_m(lon[margin], lat[margin], neighbour(), STANDOFF_M, slack_m=0.001)
    error_m = np.abs(dist_m - STANDOFF_M)
    assert error_m.max() <= 0.05, error_m.max()
