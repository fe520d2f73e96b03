"""rangemap.geodesy.bounds: input limits, the error budget, the WGS84 radii bounds and the AEQD projection.

The radii and the projection are checked against pyproj directly (a Geod and a CRS built here),
never against rangemap's own output.
"""

import math

import numpy as np
import pyproj
import pytest

from rangemap.errors import InvalidInputError
from rangemap.geodesy import bounds

WGS84 = pyproj.Geod(ellps="WGS84")


@pytest.mark.parametrize("tolerance_m", [0.01, 0.05, 1, 1.0, 100.0])
def test_tolerance_within_limits_is_accepted(tolerance_m):
    assert bounds.tolerance_problem(tolerance_m) is None
    assert bounds.check_tolerance_m(tolerance_m) == float(tolerance_m)


@pytest.mark.parametrize("tolerance_m", [0.0099, 100.01, 0.0, -1.0, math.nan, math.inf])
def test_tolerance_outside_limits_is_refused(tolerance_m):
    assert bounds.tolerance_problem(tolerance_m) == "must be 0.01 to 100 (m)"


@pytest.mark.parametrize("tolerance_m", [True, "1", None, [1.0]])
def test_tolerance_that_is_not_a_number_is_refused(tolerance_m):
    assert bounds.tolerance_problem(tolerance_m) == "expected a number of metres"


def test_check_tolerance_names_where_and_the_value():
    with pytest.raises(InvalidInputError, match=r"^scenario tolerance_m: must be 0.01 to 100 \(m\), got 500$"):
        bounds.check_tolerance_m(500, where="scenario tolerance_m")


@pytest.mark.parametrize("range_km,problem", [
    (0.001, None), (300, None), (10_000, None),
    (0.0009, "must be 0.001 to 10,000 (km)"), (10_000.1, "must be 0.001 to 10,000 (km)"),
    (math.nan, "must be 0.001 to 10,000 (km)"), (False, "expected a number of km"), ("300", "expected a number of km"),
])
def test_range_km_limits(range_km, problem):
    assert bounds.range_km_problem(range_km) == problem


def test_range_limits_in_km_and_m_agree():
    assert bounds.MAX_RANGE_KM * 1000.0 == bounds.MAX_DISTANCE_M
    assert bounds.MIN_RANGE_KM * 1000.0 == bounds.MIN_DISTANCE_M
    assert bounds.MIN_TOLERANCE_M <= bounds.DEFAULT_TOLERANCE_M <= bounds.MAX_TOLERANCE_M


def test_error_budget_leaves_headroom():
    # The shares a footprint's tolerance is split into (bounds' module notes) must add up to under 1.
    spent = bounds.EDGE_ERROR_SHARE + 1.0 / bounds.DENSIFY_ERROR_PARTS + bounds.ON_BOUNDARY_SHARE
    assert spent <= 0.81 + 1e-12
    assert bounds.SLIVER_SHARE < 1.0 and bounds.BOW_MARGIN >= 1.0


def test_geod_is_wgs84():
    assert bounds.GEOD.a == WGS84.a and bounds.GEOD.f == WGS84.f
    assert bounds.GEOD.a == 6_378_137.0 and abs(1 / bounds.GEOD.f - 298.257223563) < 1e-9


def test_radii_bounds_hold_every_radius_of_curvature_of_wgs84():
    # Meridional (M) and prime-vertical (N) radii of curvature from the ellipsoid's a and f.
    lat = np.radians(np.linspace(-90.0, 90.0, 3601))
    e2 = WGS84.f * (2 - WGS84.f)
    w = np.sqrt(1 - e2 * np.sin(lat) ** 2)
    meridional_m, prime_vertical_m = WGS84.a * (1 - e2) / w**3, WGS84.a / w
    radii = np.concatenate([meridional_m, prime_vertical_m])
    assert bounds.RADIUS_MIN_M <= radii.min() and radii.max() <= bounds.RADIUS_MAX_M
    # ... and are widened by no more than the stated 0.5 %.
    assert radii.min() * 0.99 < bounds.RADIUS_MIN_M and bounds.RADIUS_MAX_M < radii.max() * 1.01
    assert radii.min() <= bounds.MEAN_RADIUS_M <= radii.max()


def test_no_degree_of_latitude_or_longitude_is_longer_than_max_m_per_deg():
    lat = np.linspace(-90.0, 89.0, 180)
    _, _, meridian_m = WGS84.inv(np.zeros(180), lat, np.zeros(180), lat + 1.0)
    lat = np.linspace(-89.5, 89.5, 180)
    _, _, parallel_m = WGS84.inv(np.zeros(180), lat, np.full(180, 1.0), lat)
    longest_m = max(meridian_m.max(), parallel_m.max())
    assert longest_m <= bounds.MAX_M_PER_DEG < longest_m + 10.0


def test_aeqd_projection_keeps_distances_and_azimuths_from_its_centre():
    rng = np.random.default_rng(7)
    lon0, lat0 = 36.2, 50.0
    az = rng.uniform(-180, 180, 200)
    dist_m = np.exp(rng.uniform(np.log(10.0), np.log(5e6), 200))
    lon, lat, _ = WGS84.fwd(np.full(200, lon0), np.full(200, lat0), az, dist_m)
    x, y = bounds.aeqd_transformer(lon0, lat0).transform(lon, lat)
    assert np.max(np.abs(np.hypot(x, y) - dist_m)) < 1e-3
    planar_az = np.degrees(np.arctan2(x, y))
    assert np.max(np.abs((planar_az - az + 180.0) % 360.0 - 180.0)) < 1e-7
    back_lon, back_lat = bounds.aeqd_transformer(lon0, lat0).transform(x, y, direction="INVERSE")
    assert np.max(np.abs(back_lon - lon)) < 1e-9 and np.max(np.abs(back_lat - lat)) < 1e-9


def test_aeqd_crs_is_centred_where_asked():
    crs = bounds.aeqd_crs(-150.5, 60.25)
    assert "equidistant" in crs.coordinate_operation.method_name.lower()
    assert crs.axis_info[0].unit_name == "metre"
    x, y = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(-150.5, 60.25)
    assert abs(x) < 1e-6 and abs(y) < 1e-6
    # Not centred anywhere else: a point 1 km east lands 1 km along x.
    lon, lat, _ = WGS84.fwd(-150.5, 60.25, 90.0, 1000.0)
    x, y = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    assert abs(x - 1000.0) < 1e-6 and abs(y) < 1e-6
