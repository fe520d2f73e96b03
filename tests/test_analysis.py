"""Coverage, places and gain figures, each against an independent computation."""

from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from rangemap import footprint
from rangemap.model import analysis
from rangemap.data import gazetteer

import independent

GEOD = pyproj.Geod(ellps="WGS84")
SHARED_ADMIN1 = Path(__file__).resolve().parents[2] / "shared" / "geodata" / "ne_10m_admin_1_states_provinces.topo.json.gz"


@pytest.fixture(scope="module")
def border():
    return gazetteer.border("Ukraine", "Russia")


@pytest.fixture(scope="module")
def border_footprints(border):
    return {km: footprint(border, km * 1000.0) for km in (165, 300)}


def test_region_area_matches_an_equal_area_projection():
    for name in ("Kursk", "Crimea", "Belgorod", "Bryansk"):
        geometry = gazetteer.region(name).geometry
        ours = analysis.geodesic_area_km2(geometry)
        theirs = independent.equal_area_km2(geometry)
        assert abs(ours - theirs) / theirs < 1e-4, (name, ours, theirs)


def test_kursk_area_matches_pyproj_on_the_raw_polygon():
    kursk = gazetteer.region("RU-KRS").geometry
    raw_m2 = sum(abs(GEOD.polygon_area_perimeter(*np.asarray(p.exterior.coords).T)[0])
                 for p in shapely.get_parts(kursk))
    assert analysis.geodesic_area_km2(kursk) == pytest.approx(raw_m2 / 1e6, rel=1e-4)
    assert 29_000 < raw_m2 / 1e6 < 31_000  # Kursk Oblast is about 30,000 km2


@pytest.mark.skipif(not SHARED_ADMIN1.exists(), reason="raw Natural Earth file not beside this checkout")
def test_shipped_kursk_matches_the_raw_natural_earth_file():
    import geopandas

    raw = geopandas.read_file(f"/vsigzip/{SHARED_ADMIN1}")
    raw_kursk = shapely.make_valid(raw[raw.iso_3166_2 == "RU-KRS"].geometry.iloc[0])
    area_m2, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(raw_kursk))
    assert analysis.geodesic_area_km2(gazetteer.region("Kursk").geometry) == pytest.approx(abs(area_m2) / 1e6, rel=1e-5)


@pytest.mark.parametrize("name,km", [("Kursk", 165), ("Crimea", 300), ("Bryansk", 165), ("Belgorod", 165)])
def test_coverage_share_matches_an_independent_grid_count(border, border_footprints, name, km):
    region = gazetteer.region(name)
    cov = analysis.region_coverage(region, border_footprints[km], f"{km}")
    share, points = independent.share_in_range_by_grid(region.geometry, border, km * 1000.0)
    assert points > 5000
    assert abs(cov.share - share) < 0.005, (name, km, cov.share, share)
    assert cov.in_range_km2 == pytest.approx(cov.share * cov.area_km2)


def test_full_and_empty_coverage(border_footprints):
    inside = analysis.region_coverage(gazetteer.region("Belgorod"), border_footprints[300])
    assert inside.share == pytest.approx(1.0, abs=1e-9)
    outside = analysis.region_coverage(gazetteer.region("Texas"), border_footprints[300])
    assert outside.share == 0.0 and outside.in_range_km2 == 0.0


def test_place_distance_from_a_point_matches_geod_inv():
    kharkiv = gazetteer.place("Kharkiv")
    site = shapely.Point(34.78, 50.92)
    table = analysis.places_in_range(site, 300_000, min_population=100_000)
    row = table[table.name == "Kharkiv"].iloc[0]
    _, _, expected_m = GEOD.inv(site.x, site.y, kharkiv.lon, kharkiv.lat)
    assert abs(row.distance_km * 1000 - expected_m) < 1.0
    # Every listed place is within range by an independent measurement, and none beyond it is missing.
    _, _, d = GEOD.inv(np.full(len(table), site.x), np.full(len(table), site.y), table.lon.to_numpy(),
                       table.lat.to_numpy())
    assert np.all(d <= 300_000) and np.allclose(d / 1000, table.distance_km, atol=0.001)
    everyone = gazetteer.places_table()
    big = everyone[everyone.population >= 100_000]
    _, _, all_d = GEOD.inv(np.full(len(big), site.x), np.full(len(big), site.y), big.lon.to_numpy(), big.lat.to_numpy())
    assert int((all_d <= 300_000).sum()) == len(table)


def test_place_distance_from_the_border_matches_brute_force(border, border_footprints):
    table = analysis.places_in_range(border, 165_000, min_population=200_000,
                                     footprint_geometry=border_footprints[165])
    assert {"Kharkiv", "Sumy", "Belgorod", "Kursk"} <= set(table.name)
    brute_m = independent.distances_m(table.lon.to_numpy(), table.lat.to_numpy(), border, 165_000)
    assert np.max(np.abs(brute_m - table.distance_km.to_numpy() * 1000)) < 50.0
    assert table.population.min() >= 200_000
    assert list(table.distance_km) == sorted(table.distance_km)


def test_gain_from_165_to_300_km(border, border_footprints):
    regions = [gazetteer.region(n) for n in ("Kursk", "Crimea", "Belgorod", "Bryansk")]
    gain = analysis.range_gain(border, ("165", 165_000, border_footprints[165]), ("300", 300_000, border_footprints[300]),
                               regions, min_population=100_000)
    expected = independent.equal_area_km2(border_footprints[300]) - independent.equal_area_km2(border_footprints[165])
    assert gain.added_area_km2 == pytest.approx(expected, rel=2e-3)
    assert "Crimea" in set(gain.regions.region) and "Belgorod" not in set(gain.regions.region)
    assert np.all((gain.new_places.distance_km > 165) & (gain.new_places.distance_km <= 300))
    assert "Voronezh" in set(gain.new_places.name)


def _brute_places_m(geometry, distance_m, min_population, slack_m=5.0):
    """Independent distances for the shipped places near a launch geometry: 0 inside its polygons (by shapely's
    point-in-polygon on the raw geometry), else brute-force Geod.inv to its densified outline."""
    everyone = gazetteer.places_table()
    big = everyone[everyone.population >= min_population]
    west, south, east, north = geometry.bounds
    margin = distance_m / 60_000.0 + 1.0  # degrees; generous at these latitudes
    near = big[(big.lon > west - 2 * margin) & (big.lon < east + 2 * margin) & (big.lat > south - margin)
               & (big.lat < north + margin)]
    lon, lat = near.lon.to_numpy(float), near.lat.to_numpy(float)
    dist = independent.distances_m(lon, lat, geometry, distance_m, slack_m=slack_m)
    inside = np.zeros(len(near), bool)
    for part in shapely.get_parts(shapely.get_parts(shapely.get_parts(geometry))):
        if part.geom_type == "Polygon":
            inside |= shapely.contains_xy(part, lon, lat)
    dist[inside] = 0.0
    return near.assign(brute_m=dist)


@pytest.mark.parametrize("kind", ["region", "country", "file"])
def test_places_in_range_of_launch_groups_match_brute_force(kind):
    # A launch group wraps its sites in a GeometryCollection; polygons nested in it are at distance 0 inside.
    if kind == "region":
        site, distance_m, min_pop = gazetteer.region("Kharkiv").geometry, 30_000, 50_000
    elif kind == "country":
        site, distance_m, min_pop = gazetteer.country("Ukraine").geometry, 50_000, 1_000_000
    else:
        site = shapely.MultiPolygon([shapely.box(30.0, 50.0, 31.0, 50.8), shapely.box(35.9, 49.8, 36.6, 50.2)])
        distance_m, min_pop = 60_000, 50_000
    group = shapely.GeometryCollection([site])
    table = analysis.places_in_range(group, distance_m, min_population=min_pop)
    brute = _brute_places_m(site, distance_m, min_pop)
    clear = brute[np.abs(brute.brute_m - distance_m) > 100.0]  # not decided by the slack of either method
    # Places by name and position: GeoNames has many same-named places.
    expected = set(zip(*clear[clear.brute_m <= distance_m][["name_en", "lon", "lat"]].to_numpy().T))
    got_places = set(zip(table.name, table.lon, table.lat))
    got = set(table.name)
    assert expected <= got_places, expected - got_places
    assert not (got_places & set(zip(*clear[clear.brute_m > distance_m][["name_en", "lon", "lat"]].to_numpy().T)))
    merged = table.merge(brute, left_on=["name", "lon", "lat"], right_on=["name_en", "lon", "lat"])
    assert len(merged) == len(table)
    assert np.max(np.abs(merged.distance_km * 1000 - merged.brute_m)) < 20.0
    if kind == "country":
        assert len(got) >= 3 and {"Kharkiv", "Kyiv", "Odesa"} <= got  # GeoNames: Dnipro has 968,502
