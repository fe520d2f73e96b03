"""The error budget and the ellipsoid: one owner for every tolerance, input limit and projection helper.

Every footprint promises that its boundary, drawn with straight lon/lat edges,
lies within ``tolerance_m`` of the true WGS84 geodesic distance. The limits on
that promise and on the inputs it covers live here, so that the geodesy, the
scenario reader, the catalog and the CLI refuse the same values with the same
words:

- ``tolerance_m``: :data:`MIN_TOLERANCE_M` (1 cm: below it the refinement's
  double-precision arithmetic is no longer far enough inside the bound) to
  :data:`MAX_TOLERANCE_M` (100 m: beyond it a footprint would no longer be the
  documented range), :data:`DEFAULT_TOLERANCE_M` when none is given.
- ``distance_m``: :data:`MIN_DISTANCE_M` to :data:`MAX_DISTANCE_M` (10,000 km,
  a quarter of a meridian: beyond it a footprint's boundary can fold over the
  antipode).
- Coordinates: lon/lat degrees within ±:data:`MAX_LON_DEG` and ±:data:`MAX_LAT_DEG`
  (:func:`in_lon_lat_range`).
- The WGS84 radii of curvature lie between :data:`RADIUS_MIN_M` and
  :data:`RADIUS_MAX_M` (the meridional radius at the equator, 6,335,439 m, and
  the polar radius of curvature, 6,399,594 m, each widened by 0.5 %): the
  distance and curvature bounds of :mod:`rangemap.geodesy.nearest`,
  :mod:`rangemap.geodesy.refine` and :mod:`rangemap.geodesy.pieces` rest on them.

The azimuthal equidistant (AEQD) projection that the footprint's planar start,
the far-field reduction and the static map use is built by :func:`aeqd_crs`.

The error budget
----------------
A footprint's ``tolerance_m`` (the caller's, or the scenario's, passed all the
way down) is spent in shares, each named here and used where it is spent:

- :data:`EDGE_ERROR_SHARE` (3/4): a straight lon/lat edge passes when its sound
  error bound, inwards and outwards, is within this share of ``tolerance_m``
  (the edge limit, :attr:`rangemap.geodesy.refine.RefineSettings.edge_limit_m`
  and the pieces' offsets and arcs in :func:`rangemap.geodesy.pieces.pieces_deg`).
  The bound includes :data:`BOW_MARGIN` times how far the straight lon/lat edge
  lies from the geodesic chord (:func:`rangemap.geodesy.refine.lonlat_bow_m`).
- ``tolerance_m / DENSIFY_ERROR_PARTS`` (1/20): how much the nearest-distance
  index, densified into vertices, may overestimate a distance
  (``densify_error_m`` of :class:`rangemap.geodesy.nearest.SourceIndex`); the
  refinement measures every edge with it, so this adds to the edge limit.
- :data:`ON_BOUNDARY_SHARE` (1/100): a refined vertex this close to the range
  counts as on the boundary.

Together at most 0.81 of ``tolerance_m``; the rest is headroom for rounding.
Pieces are computed exactly (``Geod.fwd``), so only the edge limit applies to
them; seams thinner than :data:`SLIVER_SHARE` of ``tolerance_m`` where pieces
meet are filled. The far-field reduction (:mod:`rangemap.geodesy.farfield`)
leaves out only launch points deeper than its depth limit plus a margin of the
whole ``tolerance_m`` (:func:`rangemap.geodesy.farfield.depth_margin_m`).
"""

from __future__ import annotations

import math

import numpy as np
import pyproj
from numpy.typing import ArrayLike

from rangemap.errors import InvalidInputError

GEOD = pyproj.Geod(ellps="WGS84")
DEFAULT_TOLERANCE_M = 1.0
MIN_TOLERANCE_M = 0.01
MAX_TOLERANCE_M = 100.0
MIN_DISTANCE_M = 1.0
MAX_DISTANCE_M = 10_000_000.0
MAX_RANGE_KM = MAX_DISTANCE_M / 1000.0
MIN_RANGE_KM = 0.001
RADIUS_MIN_M = 6_335_439.0 * 0.995
RADIUS_MAX_M = 6_399_594.0 * 1.005
MEAN_RADIUS_M = 6_371_008.8  # IUGG mean radius (R1) of WGS84
MAX_LON_DEG = 180.0
MAX_LAT_DEG = 90.0
# Most metres in a degree of latitude or longitude on WGS84 (a meridian degree at the pole), rounded up.
MAX_M_PER_DEG = 111_700.0

# The error budget (see the module notes): shares of tolerance_m.
# A straight edge passes when its error bound is within this share of the
# tolerance; the rest is headroom for the index's densification and rounding.
EDGE_ERROR_SHARE = 0.75
# Safety factor on how far a straight lon/lat edge bows from the geodesic (see refine.lonlat_bow_m).
BOW_MARGIN = 1.5
# The nearest-distance index may overestimate by tolerance_m / DENSIFY_ERROR_PARTS (a divisor, not
# a share, so that the densification comes out bit for bit as it always has).
DENSIFY_ERROR_PARTS = 20
# A vertex this share of the tolerance from the range counts as on the boundary.
ON_BOUNDARY_SHARE = 0.01
# Holes in a union of pieces thinner than this share of the tolerance are seams, not holes.
SLIVER_SHARE = 0.1


def tolerance_problem(tolerance_m: object) -> str | None:
    """Why ``tolerance_m`` is not a usable error bound, or None when it is.

    Parameters
    ----------
    tolerance_m : object
        The value to check, metres.

    Returns
    -------
    str or None
        A short phrase for an error message, such as ``"must be 0.01 to 100 (m)"``.

    Examples
    --------
    >>> tolerance_problem(1.0) is None
    True
    >>> tolerance_problem(0.001)
    'must be 0.01 to 100 (m)'
    >>> tolerance_problem(True)
    'expected a number of metres'
    """
    if isinstance(tolerance_m, bool) or not isinstance(tolerance_m, (int, float)):
        return "expected a number of metres"
    if not math.isfinite(tolerance_m) or not MIN_TOLERANCE_M <= tolerance_m <= MAX_TOLERANCE_M:
        return f"must be {MIN_TOLERANCE_M:g} to {MAX_TOLERANCE_M:g} (m)"
    return None


def check_tolerance_m(tolerance_m: float, where: str = "tolerance_m") -> float:
    """``tolerance_m`` as a float, or :class:`~rangemap.errors.InvalidInputError` naming ``where`` and the value.

    Parameters
    ----------
    tolerance_m : float
        Metres.
    where : str, optional
        What the value is called where it came from (a field, an option).

    Returns
    -------
    float

    Examples
    --------
    >>> check_tolerance_m(0.05)
    0.05
    """
    problem = tolerance_problem(tolerance_m)
    if problem:
        raise InvalidInputError(f"{where}: {problem}, got {tolerance_m!r}")
    return float(tolerance_m)


def range_km_problem(range_km: object) -> str | None:
    """Why ``range_km`` is not a usable weapon range, or None when it is.

    Examples
    --------
    >>> range_km_problem(300) is None
    True
    >>> range_km_problem(20_000)
    'must be 0.001 to 10,000 (km)'
    """
    if isinstance(range_km, bool) or not isinstance(range_km, (int, float)):
        return "expected a number of km"
    if not math.isfinite(range_km) or not MIN_RANGE_KM <= range_km <= MAX_RANGE_KM:
        return f"must be {MIN_RANGE_KM:g} to {MAX_RANGE_KM:,.0f} (km)"
    return None


def in_lon_lat_range(lon_deg: ArrayLike, lat_deg: ArrayLike) -> bool:
    """Whether every longitude lies within ±:data:`MAX_LON_DEG` and every latitude within ±:data:`MAX_LAT_DEG`.

    Parameters
    ----------
    lon_deg, lat_deg : float or array of float
        Degrees; NaN is out of range.

    Returns
    -------
    bool

    Examples
    --------
    >>> in_lon_lat_range(180.0, -90.0), in_lon_lat_range([30.0, 300.0], [50.0, 50.0])
    (True, False)
    """
    return bool(np.all((np.abs(lon_deg) <= MAX_LON_DEG) & (np.abs(lat_deg) <= MAX_LAT_DEG)))


def aeqd_crs(lon_deg: float, lat_deg: float) -> pyproj.CRS:
    """The azimuthal equidistant projection on WGS84 centred on (``lon_deg``, ``lat_deg``), in metres.

    Distances and azimuths from the centre are exact in it; everything else is
    distorted by about (distance / earth radius)² (see the callers' bounds).

    Examples
    --------
    >>> aeqd_crs(30.0, 50.0).coordinate_operation.method_name
    'Azimuthal Equidistant'
    """
    return pyproj.CRS.from_dict({"proj": "aeqd", "lon_0": float(lon_deg), "lat_0": float(lat_deg),
                                 "datum": "WGS84", "units": "m"})


def aeqd_transformer(lon_deg: float, lat_deg: float) -> pyproj.Transformer:
    """Lon/lat degrees (EPSG:4326, x = lon) to :func:`aeqd_crs` metres; ``.transform(..., direction="INVERSE")`` back.

    Examples
    --------
    >>> x, y = aeqd_transformer(30.0, 50.0).transform(30.0, 50.0)
    >>> abs(x) < 1e-6 and abs(y) < 1e-6
    True
    """
    return pyproj.Transformer.from_crs("EPSG:4326", aeqd_crs(lon_deg, lat_deg), always_xy=True)


__all__ = ["BOW_MARGIN", "DEFAULT_TOLERANCE_M", "DENSIFY_ERROR_PARTS", "EDGE_ERROR_SHARE", "GEOD", "MAX_DISTANCE_M",
           "MAX_LAT_DEG", "MAX_LON_DEG", "MAX_M_PER_DEG", "MAX_RANGE_KM", "MAX_TOLERANCE_M", "MEAN_RADIUS_M",
           "MIN_DISTANCE_M", "MIN_RANGE_KM", "MIN_TOLERANCE_M", "ON_BOUNDARY_SHARE", "RADIUS_MAX_M", "RADIUS_MIN_M",
           "SLIVER_SHARE", "aeqd_crs", "aeqd_transformer", "check_tolerance_m", "in_lon_lat_range", "range_km_problem",
           "tolerance_problem"]
