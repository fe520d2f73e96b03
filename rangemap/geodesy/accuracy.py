"""Measure how far a footprint's boundary strays from the true geodesic distance.

Independent of how the footprint was made: it samples the boundary as drawn
(straight lon/lat segments) and asks ``pyproj.Geod.inv`` how far each sample is
from the densified launch geometry. Edges on the antimeridian or at a pole are
cuts, not boundary (RFC 7946), and are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import shapely

from rangemap.geodesy import antimeridian
from rangemap.geodesy.nearest import SourceIndex
from rangemap.geodesy.parts import polygons

DEFAULT_FRACTIONS = (0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875)


class FootprintError(NamedTuple):
    """Measured error of a footprint's boundary, metres.

    Attributes
    ----------
    max_error_m : float
        Largest ``|distance - range|`` over all samples.
    mean_error_m : float
        Mean of ``|distance - range|``.
    min_distance_m, max_distance_m : float
        Extremes of the sampled distances (below the range: the footprint is
        too small there; above: too large).
    samples : int
        Boundary points measured.
    """

    max_error_m: float
    mean_error_m: float
    min_distance_m: float
    max_distance_m: float
    samples: int


def boundary_samples_deg(footprint, fractions=DEFAULT_FRACTIONS, max_spacing_deg: float | None = None):
    """Points along a footprint's boundary edges, read as straight lon/lat segments.

    Parameters
    ----------
    footprint : shapely.Polygon or shapely.MultiPolygon
    fractions : sequence of float
        Where along each edge to sample (0 is the edge's first vertex).
    max_spacing_deg : float, optional
        Also split edges longer than this (degrees) before sampling.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Longitudes and latitudes, degrees.
    """
    lons, lats = [], []
    for ring in shapely.get_rings(polygons(footprint)):
        if max_spacing_deg is not None:
            ring = shapely.segmentize(ring, max_spacing_deg)
        xy = shapely.get_coordinates(ring)
        a, b = xy[:-1], xy[1:]
        keep = ~antimeridian.is_cut_edge(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        a, b = a[keep], b[keep]
        f = np.asarray(fractions, dtype=float)[None, :]
        lons.append((a[:, 0, None] + f * (b[:, 0] - a[:, 0])[:, None]).ravel())
        lats.append((a[:, 1, None] + f * (b[:, 1] - a[:, 1])[:, None]).ravel())
    if not lons:
        return np.empty(0), np.empty(0)
    return np.concatenate(lons), np.concatenate(lats)


def footprint_error(footprint: shapely.Geometry, geometry: shapely.Geometry, distance_m: float, *,
                    fractions: Sequence[float] = DEFAULT_FRACTIONS,
                    max_spacing_deg: float | None = None) -> FootprintError:
    """How far a footprint's drawn boundary is from the true distance to the launch geometry.

    Works on any footprint, rangemap's or another tool's, so it can show that
    other recipes miss.

    Parameters
    ----------
    footprint : shapely.Polygon or shapely.MultiPolygon
        In lon/lat degrees.
    geometry : shapely.Geometry
        The launch geometry in lon/lat degrees (edges are geodesics).
    distance_m : float
        The range the footprint claims, metres.
    fractions : sequence of float, optional
        Where along each boundary edge to sample.
    max_spacing_deg : float, optional
        Split long edges before sampling.

    Returns
    -------
    FootprintError

    Examples
    --------
    >>> import shapely
    >>> from rangemap.geodesy.footprints import footprint
    >>> site = shapely.Point(36.2, 50.0)
    >>> footprint_error(footprint(site, 300_000), site, 300_000).max_error_m < 1.0
    True
    """
    lon, lat = boundary_samples_deg(footprint, fractions, max_spacing_deg)
    if len(lon) == 0:
        raise ValueError("footprint has no boundary to measure")
    dist_m = SourceIndex(geometry, distance_m).distance_m(lon, lat)
    error_m = np.abs(dist_m - distance_m)
    return FootprintError(float(error_m.max()), float(error_m.mean()), float(dist_m.min()), float(dist_m.max()),
                          int(len(lon)))
