"""An independent geodesic distance check for tests: brute force with pyproj.Geod.

It shares no code with rangemap: geometries are densified with
``Geod.inv_intermediate`` and every sample is measured against every
densified vertex with ``Geod.inv``. Only for small geometries.
"""

import numpy as np
import pyproj
import shapely

GEOD = pyproj.Geod(ellps="WGS84")


def _paths(geometry):
    """Every path (point, line, polygon ring) of a geometry as an (n, 2) array."""
    out = []
    for part in shapely.get_parts(shapely.get_parts(shapely.get_parts(geometry))):
        if part.geom_type == "Polygon":
            out += [np.asarray(r.coords) for r in (part.exterior, *part.interiors)]
        else:
            out.append(np.asarray(part.coords))
    return out


def densified_vertices(geometry, spacing_m):
    lons, lats = [], []
    for xy in _paths(geometry):
        lons.append(xy[:1, 0])
        lats.append(xy[:1, 1])
        for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:]):
            _, _, length_m = GEOD.inv(x0, y0, x1, y1)
            npts = max(1, int(np.ceil(length_m / spacing_m)))
            line = GEOD.inv_intermediate(x0, y0, x1, y1, npts=npts, initial_idx=1, terminus_idx=0,
                                         return_back_azimuth=True)
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


def distances_m(lon, lat, geometry, distance_m, slack_m=0.01):
    """Geodesic distance from each point to the geometry's densified vertices (brute force).

    The vertices are spaced so that, at ``distance_m``, the distance to the
    nearest one overestimates the distance to the edge by at most ``slack_m``.
    A spherical haversine pass (which differs from the ellipsoid by under
    0.6 %; the cut keeps 2 %) only discards vertices that cannot be the
    nearest; every remaining pair gets an exact ``Geod.inv``.
    """
    spacing_m = max(0.5, np.sqrt(8 * distance_m * slack_m))
    src_lon, src_lat = densified_vertices(geometry, spacing_m)
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    best = np.full(len(lon), np.inf)
    chunk = max(1, 4_000_000 // max(1, len(src_lon)))
    for start in range(0, len(lon), chunk):
        qlon, qlat = lon[start:start + chunk], lat[start:start + chunk]
        sphere_m = _haversine_m(qlon[:, None], qlat[:, None], src_lon[None, :], src_lat[None, :])
        keep = sphere_m <= sphere_m.min(axis=1, keepdims=True) * 1.02 + 100.0
        q, s = np.nonzero(keep)
        _, _, d = GEOD.inv(qlon[q], qlat[q], src_lon[s], src_lat[s])
        out = np.full(len(qlon), np.inf)
        np.minimum.at(out, q, d)
        best[start:start + chunk] = out
    return best


def _haversine_m(lon1, lat1, lon2, lat2, radius_m=6_371_008.8):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * radius_m * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def max_boundary_error_m(footprint_geometry, geometry, distance_m, max_samples=None, seed=0):
    """Largest |distance - range| over boundary samples (a seeded random subset if max_samples is set)."""
    lon, lat = boundary_points(footprint_geometry)
    if max_samples is not None and len(lon) > max_samples:
        pick = np.random.default_rng(seed).choice(len(lon), max_samples, replace=False)
        lon, lat = lon[pick], lat[pick]
    return float(np.max(np.abs(distances_m(lon, lat, geometry, distance_m) - distance_m)))


def _equal_area_plane(geometry):
    """A Lambert azimuthal equal-area projection centred on the geometry, and the geometry in it (metres)."""
    c = geometry.centroid
    laea = pyproj.Transformer.from_crs("EPSG:4326", f"+proj=laea +lat_0={c.y} +lon_0={c.x} +ellps=WGS84",
                                       always_xy=True)
    plane = shapely.transform(shapely.segmentize(geometry, 0.01),
                              lambda xy: np.column_stack(laea.transform(xy[:, 0], xy[:, 1])))
    return laea, plane


def equal_area_km2(geometry):
    """Area through a Lambert azimuthal equal-area projection centred on the geometry (not rangemap's method)."""
    return _equal_area_plane(geometry)[1].area / 1e6


def share_in_range_by_grid(region_geometry, launch_geometry, distance_m, spacing_m=1500.0):
    """Share of a region within distance_m of a launch geometry, counted on an equal-area grid of points.

    Each grid point stands for an equal area; its distance is the brute-force
    distance above (with a coarser densification: it may overestimate by 1 m).
    """
    laea, plane = _equal_area_plane(region_geometry)
    x0, y0, x1, y1 = plane.bounds
    gx, gy = np.meshgrid(np.arange(x0, x1, spacing_m) + spacing_m / 2, np.arange(y0, y1, spacing_m) + spacing_m / 2)
    inside = shapely.contains_xy(plane, gx.ravel(), gy.ravel())
    lon, lat = laea.transform(gx.ravel()[inside], gy.ravel()[inside], direction="INVERSE")
    best = distances_m(lon, lat, launch_geometry, distance_m, slack_m=1.0)
    return float(np.mean(best <= distance_m)), int(len(lon))


_ECEF = pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
_SPHERE_M = 6_371_008.8


def _segments(geometry):
    """Every geodesic segment (a zero-length one for a lone point) of a geometry, as four arrays."""
    ends = [np.hstack([xy[:-1], xy[1:]]) if len(xy) > 1 else np.hstack([xy, xy]) for xy in _paths(geometry)]
    e = np.vstack(ends)
    return e[:, 0], e[:, 1], e[:, 2], e[:, 3]


def segment_distances_m(lon, lat, geometry, iterations=6):
    """Exact geodesic distance from each point to a geometry's geodesic segments (inside a polygon: 0).

    No densification error: for each candidate segment the foot of the
    perpendicular is found by iterating along the segment (``Geod.fwd`` to the
    foot, ``Geod.inv`` back to the point, a spherical along-track step),
    clamped to the segment's ends. Candidates come from a k-d tree over points
    placed along every segment: a segment none of whose points lies within the
    nearest point's distance plus the spacing cannot be the nearest.
    Meant for short ranges, where densifying to vertices needs millions of points.
    """
    from scipy.spatial import cKDTree

    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    a_lon, a_lat, b_lon, b_lat = _segments(geometry)
    az, _, length_m = GEOD.inv(a_lon, a_lat, b_lon, b_lat)
    spacing_m = max(20.0, float(np.median(length_m)) / 50)
    steps = np.maximum(1, np.ceil(length_m / spacing_m).astype(int))
    seg = np.repeat(np.arange(len(steps)), steps + 1)
    k = np.arange(len(seg)) - np.repeat(np.cumsum(steps + 1) - (steps + 1), steps + 1)
    p_lon, p_lat, _ = GEOD.fwd(a_lon[seg], a_lat[seg], az[seg], length_m[seg] * k / steps[seg])
    step_m = length_m[seg] / steps[seg]
    xyz = np.column_stack(_ECEF.transform(p_lon, p_lat, np.zeros(len(p_lon))))
    tree = cKDTree(xyz)
    q = np.column_stack(_ECEF.transform(lon, lat, np.zeros(len(lon))))
    near_chord, near = tree.query(q)
    _, _, near_m = GEOD.inv(lon, lat, p_lon[near], p_lat[near])
    # Any point of a segment lies within half a step of one of its placed points (along the geodesic);
    # chords are shorter than arcs, and 1 % covers the ellipsoid's radii.
    radius = (near_m + step_m.max()) * 1.01 + 1.0
    groups = tree.query_ball_point(q, radius)
    counts = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    query = np.repeat(np.arange(len(lon)), counts)
    cand = seg[np.fromiter((i for g in groups for i in g), dtype=np.int64, count=int(counts.sum()))]
    pairs = np.unique(np.column_stack([query, cand]), axis=0)
    query, cand = pairs[:, 0], pairs[:, 1]
    x, y = lon[query], lat[query]
    az_ax, _, d_ax = GEOD.inv(a_lon[cand], a_lat[cand], x, y)
    s = _SPHERE_M * np.arctan2(np.sin(d_ax / _SPHERE_M) * np.cos(np.radians(az_ax - az[cand])),
                               np.cos(d_ax / _SPHERE_M))
    s = np.clip(s, 0.0, length_m[cand])
    for _ in range(iterations):
        f_lon, f_lat, back = GEOD.fwd(a_lon[cand], a_lat[cand], az[cand], s)
        az_fx, _, d_fx = GEOD.inv(f_lon, f_lat, x, y)
        step = _SPHERE_M * np.arctan2(np.sin(d_fx / _SPHERE_M) * np.cos(np.radians(az_fx - (back + 180.0))),
                                      np.cos(d_fx / _SPHERE_M))
        s = np.clip(s + step, 0.0, length_m[cand])
    f_lon, f_lat, _ = GEOD.fwd(a_lon[cand], a_lat[cand], az[cand], s)
    _, _, d = GEOD.inv(f_lon, f_lat, x, y)
    _, _, d_b = GEOD.inv(b_lon[cand], b_lat[cand], x, y)
    d = np.minimum.reduce([d, d_ax, d_b])
    best = np.full(len(lon), np.inf)
    np.minimum.at(best, query, d)
    for part in shapely.get_parts(shapely.get_parts(geometry)):
        if part.geom_type == "Polygon":
            # Inside test on the polygon with its geodesic edges densified to 500 m (drawn straight,
            # they then stray by centimetres).
            dense = [np.column_stack(densified_vertices(shapely.LineString(r.coords), 500.0))
                     for r in (part.exterior, *part.interiors)]
            best[shapely.contains_xy(shapely.Polygon(dense[0], dense[1:]), lon, lat)] = 0.0
    return best
