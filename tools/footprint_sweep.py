"""Random robustness sweep of rangemap.footprint: lines, polygons and point groups worldwide.

Each case is checked with rangemap.footprint_error (validity and <= 1 m). Not
part of the test suite (it takes minutes); the suite's hypothesis tests are the
fixed, derandomized subset. Run: ``python tools/footprint_sweep.py SEED CASES``.
"""

import sys

import numpy as np
import pyproj
import shapely

from rangemap import footprint, footprint_error

GEOD = pyproj.Geod(ellps="WGS84")


def random_case(rng):
    """A random launch geometry (line, polygon or 5-point group) and range."""
    kind = int(rng.integers(3))
    lon, lat = rng.uniform(-180, 180), rng.uniform(-80, 80)
    distance_m = float(np.exp(rng.uniform(np.log(1e3), np.log(3e6))))
    if kind == 0:
        pts = [(lon, lat)]
        for _ in range(int(rng.integers(1, 6))):
            x, y, _ = GEOD.fwd(*pts[-1], rng.uniform(0, 360), rng.uniform(5e3, 4e5))
            pts.append((x, y))
        return shapely.LineString(pts), distance_m
    if kind == 1:
        n = int(rng.integers(3, 10))
        x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), np.arange(n) * 360 / n,
                           rng.uniform(2e4, 3e5) * rng.uniform(0.3, 1, n))
        x = lon + (x - lon + 180) % 360 - 180
        polygon = shapely.Polygon(np.column_stack([x, y]))
        return (polygon, distance_m) if np.abs(x).max() <= 180 and polygon.is_valid else (None, distance_m)
    pts = zip(np.clip(lon + rng.uniform(-3, 3, 5), -180, 180), np.clip(lat + rng.uniform(-3, 3, 5), -89, 89))
    return shapely.MultiPoint(list(pts)), distance_m


def main(seed: int, cases: int) -> int:
    rng = np.random.default_rng(seed)
    failures = checked = 0
    for i in range(cases):
        geometry, distance_m = random_case(rng)
        if geometry is None:
            continue
        checked += 1
        try:
            fp = footprint(geometry, distance_m)
            error_m = footprint_error(fp, geometry, distance_m).max_error_m
            if not fp.is_valid or error_m > 1.0:
                failures += 1
                print(f"BAD case {i}: {geometry.wkt} at {distance_m} m: error {error_m:.3f} m, valid {fp.is_valid}")
        except Exception as exc:  # report and go on: the point is to find them all
            failures += 1
            print(f"ERROR case {i}: {geometry.wkt} at {distance_m} m: {exc!r}")
    print(f"seed {seed}: {checked} cases checked, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, int(sys.argv[2]) if len(sys.argv) > 2 else 200))
