"""Geodesic distance from many points to one launch geometry, on the WGS84 ellipsoid.

The launch geometry's edges are geodesics. They are densified geodesically so
finely that the distance to the nearest densified vertex overestimates the
distance to the edge by at most ``densify_error_m`` (the foot of the
perpendicular can fall between two vertices: the overestimate is at most
``spacing**2 / (8 d)``). A footprint gives it ``tolerance_m /
DENSIFY_ERROR_PARTS`` (its share of the error budget, :mod:`rangemap.geodesy.bounds`).

Candidates are found in a k-d tree over Earth-centred (ECEF) coordinates. The
chord between two points is a true Euclidean distance, so it orders points
almost exactly like the geodesic distance; the search radius is widened so that
no point whose geodesic distance could be the smallest is missed, then every
candidate gets an exact ``pyproj.Geod.inv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from scipy.spatial import cKDTree

from rangemap.geodesy.bounds import GEOD, RADIUS_MAX_M, RADIUS_MIN_M
from rangemap.geodesy.parts import paths_deg, polygons, rings

_ECEF = pyproj.Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)

# A chord c between two points corresponds to a geodesic between 2 r asin(c / 2r)
# for r between the extreme radii of curvature, RADIUS_MIN_M and RADIUS_MAX_M.
_K_FIRST = 2
# Up to this many sources, nearest() measures every pair (see SourceIndex._nearest_all_pairs).
_ALL_PAIRS_MAX_SOURCES = 4096
# Most (query, candidate vertex) pairs that one call holds at once.
_MAX_PAIRS = 4_000_000
# The WGS84 semi-major axis (metres) and flattening, as pyproj's ellipsoid states them.
_A_M = GEOD.a
_F = GEOD.f
# Bound on the relative error of lambert_distance_m (measured at most 1.6e-6).
LAMBERT_REL_ERROR = 1e-5


def ecef_xyz_m(lon_deg, lat_deg) -> np.ndarray:
    """Earth-centred Cartesian coordinates (metres) of lon/lat points on the ellipsoid.

    Parameters
    ----------
    lon_deg, lat_deg : array_like
        Longitude and latitude in degrees.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 3)``.
    """
    lon = np.asarray(lon_deg, dtype=float).ravel()
    x, y, z = _ECEF.transform(lon, np.asarray(lat_deg, dtype=float).ravel(), np.zeros_like(lon))
    return np.column_stack([x, y, z])


def mean_point_deg(lon_deg, lat_deg) -> tuple[float, float]:
    """Centre of lon/lat points, averaged in 3-D (safe across +-180), degrees.

    Parameters
    ----------
    lon_deg, lat_deg : array_like

    Returns
    -------
    (float, float)
    """
    mean = ecef_xyz_m(lon_deg, lat_deg).mean(axis=0)
    lon = np.degrees(np.arctan2(mean[1], mean[0]))
    lat = np.degrees(np.arctan2(mean[2], np.hypot(mean[0], mean[1])))
    return float(lon), float(lat)


def densify_geodesic_deg(lon_deg, lat_deg, max_spacing_m: float):
    """Insert points along the geodesics between consecutive vertices of one path.

    Parameters
    ----------
    lon_deg, lat_deg : array_like
        Vertices of a path, in degrees.
    max_spacing_m : float
        Largest allowed distance between consecutive output points, metres.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Longitudes and latitudes; the original vertices are kept, in order.

    Examples
    --------
    >>> lon, lat = densify_geodesic_deg([0, 1], [0, 0], 50_000)
    >>> len(lon)
    4
    """
    lon = np.asarray(lon_deg, dtype=float)
    lat = np.asarray(lat_deg, dtype=float)
    if len(lon) < 2:
        return lon.copy(), lat.copy()
    az, _, length_m = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    steps = np.maximum(1, np.ceil(length_m / max_spacing_m).astype(np.int64))
    edge = np.repeat(np.arange(len(steps)), steps)
    first = np.repeat(np.cumsum(steps) - steps, steps)
    fraction = (np.arange(len(edge)) - first) / steps[edge]
    out_lon, out_lat, _ = GEOD.fwd(lon[:-1][edge], lat[:-1][edge], az[edge], length_m[edge] * fraction)
    # Keep input vertices bit-for-bit (fwd with distance 0 may round the longitude).
    is_vertex = fraction == 0
    out_lon[is_vertex] = lon[:-1][edge[is_vertex]]
    out_lat[is_vertex] = lat[:-1][edge[is_vertex]]
    return np.append(out_lon, lon[-1]), np.append(out_lat, lat[-1])


def lambert_distance_m(lon1_deg, lat1_deg, lon2_deg, lat2_deg) -> np.ndarray:
    """Andoyer-Lambert approximation of the geodesic distance on WGS84, metres.

    Four times faster than ``Geod.inv``; its error is of second order in the
    flattening: at most 1.6e-6 of the distance over 2 million random pairs
    from 1 m to 12,000 km (:data:`LAMBERT_REL_ERROR` adds a factor of 6).

    Parameters
    ----------
    lon1_deg, lat1_deg, lon2_deg, lat2_deg : array_like
        Degrees.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round(float(lambert_distance_m(0.0, 0.0, 1.0, 0.0)), 1)
    111319.5
    """
    b1 = np.arctan((1 - _F) * np.tan(np.radians(lat1_deg)))
    b2 = np.arctan((1 - _F) * np.tan(np.radians(lat2_deg)))
    h = np.sin((b2 - b1) / 2) ** 2 + np.cos(b1) * np.cos(b2) * np.sin(np.radians(np.subtract(lon2_deg, lon1_deg)) / 2) ** 2
    sigma = 2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    p, q = (b1 + b2) / 2, (b2 - b1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (sigma - np.sin(sigma)) * (np.sin(p) * np.cos(q)) ** 2 / np.cos(sigma / 2) ** 2
        y = (sigma + np.sin(sigma)) * (np.cos(p) * np.sin(q)) ** 2 / np.sin(sigma / 2) ** 2
    return _A_M * (sigma - _F / 2 * (np.nan_to_num(x) + np.nan_to_num(y)))


def _closest_by_lambert(lon, lat, src_lon, src_lat, query, candidate):
    """Drop (query, candidate) pairs that cannot be the nearest by the Lambert distance and its error bound."""
    if len(query) <= len(lon):
        return query, candidate
    approx_m = lambert_distance_m(lon[query], lat[query], src_lon[candidate], src_lat[candidate])
    best_m = np.full(len(lon), np.inf)
    np.minimum.at(best_m, query, approx_m)
    # The true distances lie within LAMBERT_REL_ERROR (plus a centimetre) of these.
    keep = approx_m * (1 - LAMBERT_REL_ERROR) - 0.01 <= best_m[query] * (1 + LAMBERT_REL_ERROR) + 0.01
    return query[keep], candidate[keep]


def _chord_to_arc_m(chord_m, radius_m):
    return 2 * radius_m * np.arcsin(np.minimum(1.0, chord_m / (2 * radius_m)))


def _arc_to_chord_m(arc_m, radius_m):
    return 2 * radius_m * np.sin(np.minimum(np.pi / 2, arc_m / (2 * radius_m)))


@dataclass(frozen=True)
class Nearest:
    """Result of :meth:`SourceIndex.nearest`: per query point, the distance and the nearest source vertex."""

    distance_m: np.ndarray
    lon_deg: np.ndarray
    lat_deg: np.ndarray


class SourceIndex:
    """Nearest geodesic distance from query points to a fixed launch geometry.

    Parameters
    ----------
    geometry : shapely.Geometry
        Launch geometry in lon/lat degrees; edges are geodesics.
    distance_m : float
        The distance at which queries will be made (sets the densification).
    densify_error_m : float, optional
        Largest overestimate of a distance that the densification may add, metres.
    """

    def __init__(self, geometry: shapely.Geometry, distance_m: float, densify_error_m: float = 0.005):
        spacing_m = max(0.05, min(float(np.sqrt(8.0 * distance_m * densify_error_m)), 50_000.0))
        lons, lats = [], []
        for path in paths_deg(geometry):
            lon, lat = densify_geodesic_deg(path[:, 0], path[:, 1], spacing_m)
            lons.append(lon)
            lats.append(lat)
        # Polygon interiors, with their edges densified along the geodesics (not straight lon/lat lines).
        self._areas = []
        for part in polygons(geometry):
            ring_xy = [shapely.get_coordinates(r) for r in rings(part)]
            dense = [np.column_stack(densify_geodesic_deg(xy[:, 0], xy[:, 1], spacing_m)) for xy in ring_xy]
            self._areas.append(shapely.Polygon(dense[0], dense[1:]))
        self.lon_deg = np.concatenate(lons)
        self.lat_deg = np.concatenate(lats)
        self.spacing_m = spacing_m
        # Measured on the Ukraine outline queried from 300 km: an unbalanced tree
        # with uncompacted nodes answers these far queries about 5x faster.
        xyz = ecef_xyz_m(self.lon_deg, self.lat_deg)
        self._tree = cKDTree(xyz, balanced_tree=False, compact_nodes=False)
        self._trig: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._spread_m = float(np.linalg.norm(xyz - xyz.mean(axis=0), axis=1).max())

    def __len__(self) -> int:
        return len(self.lon_deg)

    def nearest(self, lon_deg, lat_deg) -> Nearest:
        """Geodesic distance (metres) from each query point to the nearest source vertex.

        Parameters
        ----------
        lon_deg, lat_deg : array_like
            Query points in degrees.

        Returns
        -------
        Nearest
            Distances and the lon/lat of the nearest densified source vertex.
        """
        lon = np.asarray(lon_deg, dtype=float).ravel()
        lat = np.asarray(lat_deg, dtype=float).ravel()
        if len(lon) == 0:
            return Nearest(np.empty(0), np.empty(0), np.empty(0))
        # Far from a small geometry every vertex can be a candidate: bound the
        # candidate pairs held at once (a 907-vertex polygon 5 km across queried
        # from 2,573 km once took 16 GB).
        chunk = max(64, _MAX_PAIRS // len(self.lon_deg))
        if len(lon) > chunk:
            parts = [self._nearest(lon[i:i + chunk], lat[i:i + chunk]) for i in range(0, len(lon), chunk)]
            return Nearest(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("distance_m", "lon_deg", "lat_deg")))
        return self._nearest(lon, lat)

    def _nearest(self, lon, lat, split_far: bool = True) -> Nearest:
        xyz = ecef_xyz_m(lon, lat)
        k = min(_K_FIRST, len(self.lon_deg))
        chord_m, candidate = self._tree.query(xyz, k=k)
        chord_m, candidate = chord_m.reshape(len(lon), k), candidate.reshape(len(lon), k)
        if split_far and len(self.lon_deg) <= _ALL_PAIRS_MAX_SOURCES:
            # Far from a small geometry every source is a candidate: measure all pairs there instead.
            far = chord_m[:, 0] > 10.0 * self._spread_m
            if far.any():
                parts = [(far, self._nearest_all_pairs(lon[far], lat[far]))]
                if not far.all():
                    parts.append((~far, self._nearest(lon[~far], lat[~far], split_far=False)))
                out = [np.empty(len(lon)) for _ in range(3)]
                for mask, part in parts:
                    for o, v in zip(out, (part.distance_m, part.lon_deg, part.lat_deg)):
                        o[mask] = v
                return Nearest(*out)
        # Widest chord that can still belong to the geodesically nearest vertex.
        arc_max_m = _chord_to_arc_m(chord_m[:, 0], RADIUS_MIN_M)
        radius_m = _arc_to_chord_m(arc_max_m, RADIUS_MAX_M) * (1 + 1e-9) + 1e-3
        # Where all k found vertices lie inside that radius, more may: ask for the whole ball.
        crowded = np.flatnonzero(chord_m[:, -1] <= radius_m) if k < len(self.lon_deg) else np.empty(0, int)
        query = np.repeat(np.arange(len(lon)), k)
        candidate = candidate.ravel()
        keep = (chord_m <= radius_m[:, None]).ravel()
        keep[(crowded[:, None] * k + np.arange(k)).ravel()] = False
        query, candidate = query[keep], candidate[keep]
        if len(crowded):
            groups = self._tree.query_ball_point(xyz[crowded], radius_m[crowded], return_sorted=False)
            counts = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
            extra = np.fromiter((i for g in groups for i in g), dtype=np.int64, count=int(counts.sum()))
            query = np.concatenate([query, np.repeat(crowded, counts)])
            candidate = np.concatenate([candidate, extra])
        query, candidate = _closest_by_lambert(lon, lat, self.lon_deg, self.lat_deg, query, candidate)
        return self._closest_of_pairs(lon, lat, query, candidate)

    def _closest_of_pairs(self, lon, lat, query, candidate) -> Nearest:
        """Measure (query, candidate source) pairs with ``Geod.inv`` and keep each query point's nearest."""
        _, _, dist_m = GEOD.inv(lon[query], lat[query], self.lon_deg[candidate], self.lat_deg[candidate])
        # Minimum per query point: sort by (query, distance) and take each group's first.
        order = np.lexsort((dist_m, query))
        query_sorted = query[order]
        first = np.flatnonzero(np.r_[True, query_sorted[1:] != query_sorted[:-1]])
        best = order[first]
        return Nearest(dist_m[best], self.lon_deg[candidate[best]], self.lat_deg[candidate[best]])

    def _lambert_rows_m(self, lon, lat) -> np.ndarray:
        """:func:`lambert_distance_m` from each query point to every source, with the trigonometry done once per point.

        For points at least metres apart (far queries): the central angle comes
        from its cosine, exact to about 1e-16 / sin(angle) radians.
        """
        if self._trig is None:
            b = np.arctan((1 - _F) * np.tan(np.radians(self.lat_deg)))
            lam = np.radians(self.lon_deg)
            self._trig = (np.sin(b), np.cos(b), np.cos(lam), np.sin(lam))
        sb2, cb2, cl2, sl2 = self._trig
        b1 = np.arctan((1 - _F) * np.tan(np.radians(lat)))
        lam1 = np.radians(lon)
        sb1, cb1 = np.sin(b1)[:, None], np.cos(b1)[:, None]
        cos_dlam = np.cos(lam1)[:, None] * cl2 + np.sin(lam1)[:, None] * sl2
        cos_s = np.clip(sb1 * sb2 + cb1 * cb2 * cos_dlam, -1.0, 1.0)
        sigma = np.arccos(cos_s)
        sin_s = np.sqrt(np.maximum(1.0 - cos_s * cos_s, 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            x = (sigma - sin_s) * ((sb1 + sb2) / 2) ** 2 / ((1 + cos_s) / 2)
            y = (sigma + sin_s) * ((sb2 - sb1) / 2) ** 2 / ((1 - cos_s) / 2)
        return _A_M * (sigma - _F / 2 * (np.nan_to_num(x) + np.nan_to_num(y)))

    def _nearest_all_pairs(self, lon, lat) -> Nearest:
        """Few sources: every pair by the Lambert distance, then ``Geod.inv`` for the pairs that may be nearest.

        Far from a small geometry nearly every source is a candidate, and the
        k-d tree's ball lists cost more than the pairs themselves.
        """
        if len(lon) * len(self.lon_deg) > _MAX_PAIRS:
            step = max(1, _MAX_PAIRS // len(self.lon_deg))
            parts = [self._nearest_all_pairs(lon[i:i + step], lat[i:i + step]) for i in range(0, len(lon), step)]
            return Nearest(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("distance_m", "lon_deg", "lat_deg")))
        approx_m = self._lambert_rows_m(lon, lat)
        best_m = approx_m.min(axis=1)
        keep = approx_m * (1 - LAMBERT_REL_ERROR) - 0.01 <= (best_m * (1 + LAMBERT_REL_ERROR) + 0.01)[:, None]
        query, candidate = np.nonzero(keep)
        return self._closest_of_pairs(lon, lat, query, candidate)

    def distance_m(self, lon_deg, lat_deg) -> np.ndarray:
        """Geodesic distance (metres) from each point to the geometry; 0 inside its polygons.

        Parameters
        ----------
        lon_deg, lat_deg : array_like
            Query points in degrees.

        Returns
        -------
        numpy.ndarray
        """
        dist = self.nearest(lon_deg, lat_deg).distance_m
        for area in self._areas:
            dist[shapely.contains_xy(area, lon_deg, lat_deg)] = 0.0
        return dist
