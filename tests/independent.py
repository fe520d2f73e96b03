"""An independent geodesic distance check for tests: brute force with pyproj.Geod.

It shares no code with rangemap: geometries are densified with
``Geod.inv_intermediate`` and every sample is measured against every
densified vertex with ``Geod.inv``. Only for small geometries.
"""

import numpy as np
import pyproj
import shapely

GEOD = pyproj.Geod(ellps="WGS84")


def densified_vertices(geometry, spacing_m):
    lons, lats = [], []
    for part in shapely.get_parts(shapely.get_parts(shapely.get_parts(geometry))):
        if part.geom_type == "Polygon":
            paths = [np.asarray(r.coords) for r in (part.exterior, *part.interiors)]
        else:
            paths = [np.asarray(part.coords)]
        for xy in paths:
            lons.append(xy[:1, 0])
            lats.append(xy[:1, 1])
            for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:]):
                line = GEOD.inv_intermediate(x0, y0, x1, y1, del_s=spacing_m, initial_idx=1, terminus_idx=0)
                lons.append(np.asarray(line.lons))
                lats.append(np.asarray(line.lats))
    return np.concatenate(lons), np.concatenate(lats)


def boundary_points(footprint_geometry, fractions=(0.0, 0.2, 0.4, 0.5, 0.6, 0.8)):
    lons, lats = [], []
    for ring in shapely.get_rings(shapely.get_parts(footprint_geometry)):
        xy = np.asarray(ring.coords)
        a, b = xy[:-1], xy[1:]
        cut = ((np.abs(a[:, 0]) == 180) & (a[:, 0] == b[:, 0])) | ((np.abs(a[:, 1]) == 90) & (a[:, 1] == b[:, 1]))
        a, b = a[~cut], b[~cut]
        for f in fractions:
            lons.append(a[:, 0] + f * (b[:, 0] - a[:, 0]))
            lats.append(a[:, 1] + f * (b[:, 1] - a[:, 1]))
    return np.concatenate(lons), np.concatenate(lats)


def distances_m(lon, lat, geometry, distance_m):
    """Geodesic distance from each point to the geometry's densified vertices (brute force)."""
    spacing_m = max(0.5, np.sqrt(8 * distance_m * 0.01))
    src_lon, src_lat = densified_vertices(geometry, spacing_m)
    best = np.full(len(lon), np.inf)
    for start in range(0, len(src_lon), 256):
        sl, sa = src_lon[start:start + 256], src_lat[start:start + 256]
        q = np.repeat(np.arange(len(lon)), len(sl))
        _, _, d = GEOD.inv(lon[q], lat[q], np.tile(sl, len(lon)), np.tile(sa, len(lon)))
        best = np.minimum(best, d.reshape(len(lon), len(sl)).min(axis=1))
    return best


def max_boundary_error_m(footprint_geometry, geometry, distance_m, max_samples=None, seed=0):
    """Largest |distance - range| over boundary samples (a seeded random subset if max_samples is set)."""
    lon, lat = boundary_points(footprint_geometry)
    if max_samples is not None and len(lon) > max_samples:
        pick = np.random.default_rng(seed).choice(len(lon), max_samples, replace=False)
        lon, lat = lon[pick], lat[pick]
    return float(np.max(np.abs(distances_m(lon, lat, geometry, distance_m) - distance_m)))
