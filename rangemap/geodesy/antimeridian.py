"""Turn closed rings with continuous ("unwrapped") longitudes into valid lon/lat polygons.

A footprint is built as rings whose longitudes run on without jumping at +-180
(a ring around Chukotka may span 170..190 degrees). Here those rings become
polygons inside [-180, 180] x [-90, 90]: split at the antimeridian (RFC 7946,
section 3.1.9) and, for a ring that winds once around a pole, closed through
that pole so that the polygon covers the cap.
"""

from __future__ import annotations

import numpy as np
import shapely

from rangemap.geodesy.parts import flat_parts

# Longitudes this close to ±180 count as on the antimeridian (the split pieces of a geometry end on it).
_ON_ANTIMERIDIAN_DEG = 179.999


def unwrap_lon_deg(lon_deg) -> np.ndarray:
    """Remove 360-degree jumps between consecutive longitudes.

    Parameters
    ----------
    lon_deg : array_like
        Longitudes of a path, degrees.

    Returns
    -------
    numpy.ndarray
        Longitudes that change by less than 180 degrees between neighbours.

    Examples
    --------
    >>> unwrap_lon_deg([179.0, -179.0]).tolist()
    [179.0, 181.0]
    """
    return np.unwrap(np.asarray(lon_deg, dtype=float), period=360.0)


def winding_turns(lon_unwrapped_deg) -> int:
    """How many times a closed ring of unwrapped longitudes winds around the pole axis.

    Parameters
    ----------
    lon_unwrapped_deg : array_like
        Unwrapped longitudes of a closed ring (first point repeated at the end).

    Returns
    -------
    int
        0 for an ordinary ring, +1 or -1 for a ring around one pole.
    """
    lon = np.asarray(lon_unwrapped_deg, dtype=float)
    return int(np.round((lon[-1] - lon[0]) / 360.0))


def close_around_pole(lon_unwrapped_deg, lat_deg, pole_lat_deg: float):
    """Close a ring that winds once around a pole through that pole.

    The ring is first rotated to start where it crosses the antimeridian, so
    that the two meridian edges down from the pole fall on +-180 exactly and
    vanish in :func:`split_at_antimeridian` (a seam anywhere else would leave a
    sliver where the two copies of the meridian differ by rounding).

    Parameters
    ----------
    lon_unwrapped_deg, lat_deg : array_like
        The winding ring, closed; its last longitude is its first plus or minus 360.
    pole_lat_deg : float
        90 or -90: the pole the footprint contains.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        A ring that does not wind and whose interior holds the cap.
    """
    lon = np.asarray(lon_unwrapped_deg, dtype=float)[:-1]
    lat = np.asarray(lat_deg, dtype=float)[:-1]
    turn_deg = 360.0 * winding_turns(lon_unwrapped_deg)
    nxt_lon = np.append(lon[1:], lon[0] + turn_deg)
    nxt_lat = np.append(lat[1:], lat[0])
    band = np.floor((lon - 180.0) / 360.0)
    band_next = np.floor((nxt_lon - 180.0) / 360.0)
    i = int(np.flatnonzero(band != band_next)[0])
    cut_lon = 180.0 + 360.0 * max(band[i], band_next[i])
    t = (cut_lon - lon[i]) / (nxt_lon[i] - lon[i])
    cut_lat = lat[i] + t * (nxt_lat[i] - lat[i])
    ring_lon = np.concatenate([[cut_lon], lon[i + 1 :], lon[: i + 1] + turn_deg, [cut_lon + turn_deg]])
    ring_lat = np.concatenate([[cut_lat], lat[i + 1 :], lat[: i + 1], [cut_lat]])
    ring_lon = np.concatenate([ring_lon, [cut_lon + turn_deg, cut_lon, cut_lon]])
    ring_lat = np.concatenate([ring_lat, [pole_lat_deg, pole_lat_deg, cut_lat]])
    return ring_lon, ring_lat


def split_at_antimeridian(polygon: shapely.Polygon):
    """Cut a polygon with unwrapped longitudes into parts inside [-180, 180].

    Parameters
    ----------
    polygon : shapely.Polygon
        Valid polygon; its longitudes may run past +-180 (by less than 360).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        The same area, each part shifted by a multiple of 360 degrees.
    """
    west, _, east, _ = polygon.bounds
    if west >= -180.0 and east <= 180.0:
        return polygon
    parts = []
    for shift in range(int(np.floor((west + 180.0) / 360.0)), int(np.floor((east + 180.0) / 360.0)) + 1):
        window = shapely.box(-180.0 + 360.0 * shift, -90.0, 180.0 + 360.0 * shift, 90.0)
        piece = shapely.intersection(polygon, window)
        if not piece.is_empty:
            parts.append(shapely.transform(piece, lambda xy, s=shift: xy - [360.0 * s, 0.0]))
    return shapely.union_all(parts)


def is_cut_edge(lon0_deg, lat0_deg, lon1_deg, lat1_deg) -> np.ndarray:
    """True for edges that lie on the antimeridian or a pole line: cuts, not boundary.

    Parameters
    ----------
    lon0_deg, lat0_deg, lon1_deg, lat1_deg : array_like
        Edge end points, degrees.

    Returns
    -------
    numpy.ndarray of bool
    """
    lon0, lat0, lon1, lat1 = (np.asarray(a, dtype=float) for a in (lon0_deg, lat0_deg, lon1_deg, lat1_deg))
    on_meridian = (np.abs(lon0) == 180.0) & (lon0 == lon1)
    on_pole = (np.abs(lat0) == 90.0) & (lat0 == lat1)
    return on_meridian | on_pole


def touches_antimeridian(geometries_deg) -> np.ndarray:
    """Which lon/lat geometries reach ±180° (and so may come split there).

    Parameters
    ----------
    geometries_deg : array_like of shapely.Geometry
        Lon/lat degrees.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> touches_antimeridian([shapely.box(170, 0, 180, 1), shapely.box(0, 0, 1, 1)]).tolist()
    [True, False]
    """
    bounds = shapely.bounds(np.asarray(geometries_deg, dtype=object)).reshape(-1, 4)
    return (bounds[:, 0] <= -_ON_ANTIMERIDIAN_DEG) | (bounds[:, 2] >= _ON_ANTIMERIDIAN_DEG)


def join_split_pieces(geometry: shapely.Geometry, grid_size: float | None = None) -> shapely.Geometry:
    """The pieces of a geometry split at ±180°, once moved to where they meet, joined into one geometry.

    The caller moves the pieces (into a projection, or west longitudes +360)
    so that their cut edges coincide; the union on a grid of ``grid_size``
    (in the moved coordinates' units, far below what is drawn) removes the seam.

    Parameters
    ----------
    geometry : shapely.Geometry
    grid_size : float, optional
        None: exact (no grid).

    Returns
    -------
    shapely.Geometry

    Examples
    --------
    >>> halves = shapely.MultiPolygon([shapely.box(178, 0, 180, 1), shapely.box(180, 0, 182, 1)])
    >>> join_split_pieces(halves, 1e-9).geom_type
    'Polygon'
    """
    return shapely.union_all(flat_parts(geometry), grid_size=grid_size)
