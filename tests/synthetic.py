"""Synthetic dated front-line data for the territory and timeline tests (no real data needed).

A launch "country" (a box, edges split to 0.01 degrees so that straight lon/lat
edges and geodesic edges agree to millimetres), its eastern "neighbour", and an
"occupied" ellipse across their border at 35 E that grows week by week.
"""

import datetime as dt

import geopandas
import numpy as np
import shapely

EDGE_DEG = 0.01
FIRST_DATE = dt.date(2024, 8, 5)


def country():
    return shapely.segmentize(shapely.box(31.0, 47.0, 35.0, 50.0), EDGE_DEG)


def neighbour():
    return shapely.segmentize(shapely.box(35.0, 47.0, 36.5, 50.0), EDGE_DEG)


def occupied(week: int, vertices: int = 240):
    """An ellipse centred on the border (35 E, 48.5 N), larger each week."""
    t = np.linspace(0.0, 2 * np.pi, vertices, endpoint=False)
    a_deg, b_deg = 0.3 + 0.05 * week, 0.2 + 0.03 * week
    ring = np.column_stack([35.0 + a_deg * np.cos(t), 48.5 + b_deg * np.sin(t)])
    return shapely.segmentize(shapely.Polygon(ring), EDGE_DEG)


def weekly_dates(weeks: int):
    return [FIRST_DATE + dt.timedelta(days=7 * i) for i in range(weeks)]


def write_weekly_files(folder, weeks: int, *, combined: bool = False):
    """Occupied areas as one GeoJSON per date (``occupied-<date>.geojson``) or one file with a ``date`` column."""
    dates = weekly_dates(weeks)
    if combined:
        frame = geopandas.GeoDataFrame({"date": [d.isoformat() for d in dates]},
                                       geometry=[occupied(i) for i in range(weeks)], crs="EPSG:4326")
        path = folder / "occupied-all.geojson"
        frame.to_file(path, driver="GeoJSON")
        return [path]
    paths = []
    for i, d in enumerate(dates):
        path = folder / f"occupied-{d.isoformat()}.geojson"
        geopandas.GeoDataFrame(geometry=[occupied(i)], crs="EPSG:4326").to_file(path, driver="GeoJSON")
        paths.append(path)
    return paths


def write_geometry(path, geometry, crs="EPSG:4326"):
    frame = geopandas.GeoDataFrame(geometry=[geometry], crs="EPSG:4326")
    if crs != "EPSG:4326":
        frame = frame.to_crs(crs)
    frame.to_file(path)
    return path
