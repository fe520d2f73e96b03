"""Footprint speed and accuracy: rangemap vs the AEQD recipe vs exact 360-step circles at every vertex.

All in one process, so the ratios compare like with like on a shared machine.
The Ukraine outline is read from the raw Natural Earth file in ../shared until
the package ships its own geodata (issue 3). Run: ``make bench``.
"""

import sys
import time
from pathlib import Path

import numpy as np
import pyproj
import shapely

from rangemap import footprint, footprint_error
from rangemap.geodesic import arc_step_rad, centre_deg

GEOD = pyproj.Geod(ellps="WGS84")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "geodata" / "ne_10m_admin_1_states_provinces.topo.json.gz"


def ukraine_mainland():
    import geopandas

    regions = geopandas.read_file(f"/vsigzip/{SHARED}")
    ukraine = shapely.union_all(shapely.make_valid(regions[regions.admin == "Ukraine"].geometry.values))
    return max(shapely.get_parts(ukraine), key=lambda p: p.area)


def aeqd_recipe(geometry, distance_m, quad_segs):
    lon0, lat0 = centre_deg(geometry)
    crs = pyproj.CRS.from_dict({"proj": "aeqd", "lon_0": lon0, "lat_0": lat0, "ellps": "WGS84"})
    t = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    planar = shapely.transform(geometry, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    buffered = shapely.buffer(planar, distance_m, quad_segs=quad_segs)
    return shapely.transform(buffered, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1], direction="INVERSE")))


def vertex_circles(geometry, distance_m, steps=360):
    xy = shapely.get_coordinates(geometry)
    az = np.tile(np.arange(steps) * 360.0 / steps, len(xy))
    lon, lat, _ = GEOD.fwd(np.repeat(xy[:, 0], steps), np.repeat(xy[:, 1], steps), az, np.full(len(az), distance_m))
    rings = shapely.polygons(np.column_stack([lon, lat]).reshape(len(xy), steps, 2))
    return shapely.union_all(np.append(rings, geometry if geometry.geom_type == "Polygon" else []))


def best_time_s(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    line = shapely.LineString([(22.2, 48.4), (30.5, 50.4), (36.2, 50.0), (37.6, 47.1)])
    _, _, line_m = GEOD.inv(22.2, 48.4, 37.6, 47.1)
    cases = [("point, 300 km", shapely.Point(36.23, 49.99), 300_000.0)]
    if SHARED.exists():
        cases.append(("Ukraine mainland, 300 km", ukraine_mainland(), 300_000.0))
    else:
        print(f"(skipping the Ukraine case: {SHARED} not found)", file=sys.stderr)
    cases.append((f"{line_m / 1000:,.0f} km line, 165 km", line, 165_000.0))
    print(f"{'case':28} {'method':22} {'time s':>8} {'max err m':>10} {'vertices':>9} {'rangemap/this':>14}")
    for name, geometry, distance_m in cases:
        quad_segs = int(np.ceil((np.pi / 2) / arc_step_rad(distance_m, 1.0)))
        methods = {
            "rangemap": lambda: footprint(geometry, distance_m),
            f"AEQD recipe (qs={quad_segs})": lambda: aeqd_recipe(geometry, distance_m, quad_segs),
            "360-step vertex circles": lambda: vertex_circles(geometry, distance_m),
        }
        results = {label: best_time_s(fn, 3) for label, fn in methods.items()}
        ours_s = results["rangemap"][0]
        for label, (seconds, fp) in results.items():
            error_m = footprint_error(fp, geometry, distance_m).max_error_m
            print(f"{name:28} {label:22} {seconds:8.3f} {error_m:10.2f} {shapely.get_num_coordinates(fp):9d} "
                  f"{ours_s / seconds:14.2f}")


if __name__ == "__main__":
    main()
