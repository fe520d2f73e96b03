"""Footprint speed and accuracy: rangemap vs the AEQD recipe, exact 360-step circles at every vertex,
and (for a point) the circle folium.Circle / Leaflet's L.Circle draws.

All in one process, so the ratios compare like with like on a shared machine.
Every method's error is measured the same way (rangemap.footprint_error: each
boundary edge, as drawn, sampled at 8 points against Geod.inv distances).
Run: ``make bench``.
"""

import time

import numpy as np
import pyproj
import shapely

from rangemap import footprint, footprint_error
from rangemap.geodesic import arc_step_rad, centre_deg

GEOD = pyproj.Geod(ellps="WGS84")


def ukraine_mainland():
    from rangemap import gazetteer

    return max(shapely.get_parts(gazetteer.country("Ukraine").geometry), key=lambda p: p.area)


def leaflet_circle(lon, lat, radius_m, steps=720):
    """The ellipse Leaflet's L.Circle (folium.Circle) draws on a Web Mercator map, as a lon/lat polygon.

    A transcription of Leaflet 1.9 ``Circle._project`` for the Earth CRS: a
    spherical radius (R = 6,371,000 m) turned into an axis-aligned ellipse in
    projected space.
    """
    merc = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    d = np.pi / 180
    lat_r = (radius_m / 6_371_000.0) / d
    _, top_y = merc.transform(lon, lat + lat_r)
    _, bottom_y = merc.transform(lon, lat - lat_r)
    cx, _ = merc.transform(lon, lat)
    cy = (top_y + bottom_y) / 2
    _, lat2 = merc.transform(cx, cy, direction="INVERSE")
    lng_r = np.arccos((np.cos(lat_r * d) - np.sin(lat * d) * np.sin(lat2 * d)) / (np.cos(lat * d) * np.cos(lat2 * d))) / d
    left_x, _ = merc.transform(lon - lng_r, lat2)
    rx, ry = cx - left_x, top_y - cy
    t = np.linspace(0, 2 * np.pi, steps, endpoint=False)
    x, y = merc.transform(cx + rx * np.cos(t), cy + ry * np.sin(t), direction="INVERSE")
    return shapely.Polygon(np.column_stack([x, y]))


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
    kursk = shapely.Point(36.19, 51.73)  # Kursk city, from the gazetteer
    cases = [("point (Kursk), 300 km", kursk, 300_000.0),
             ("Ukraine mainland, 300 km", ukraine_mainland(), 300_000.0)]
    cases.append((f"{line_m / 1000:,.0f} km line, 165 km", line, 165_000.0))
    print(f"{'case':28} {'method':24} {'time s':>8} {'max err m':>10} {'vertices':>9} {'rangemap/this':>14}")
    for name, geometry, distance_m in cases:
        quad_segs = int(np.ceil((np.pi / 2) / arc_step_rad(distance_m, 1.0)))
        methods = {
            "rangemap": lambda: footprint(geometry, distance_m),
            f"AEQD recipe (qs={quad_segs})": lambda: aeqd_recipe(geometry, distance_m, quad_segs),
            "360-step vertex circles": lambda: vertex_circles(geometry, distance_m),
        }
        if geometry.geom_type == "Point":
            methods["folium.Circle (Leaflet)"] = lambda: leaflet_circle(geometry.x, geometry.y, distance_m)
        results = {label: best_time_s(fn, 3) for label, fn in methods.items()}
        ours_s = results["rangemap"][0]
        for label, (seconds, fp) in results.items():
            error_m = footprint_error(fp, geometry, distance_m).max_error_m
            print(f"{name:28} {label:24} {seconds:8.3f} {error_m:10.2f} {shapely.get_num_coordinates(fp):9d} "
                  f"{ours_s / seconds:14.2f}")


if __name__ == "__main__":
    main()
