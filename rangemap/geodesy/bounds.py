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


__all__ = ["DEFAULT_TOLERANCE_M", "GEOD", "MAX_DISTANCE_M", "MAX_LAT_DEG", "MAX_LON_DEG", "MAX_RANGE_KM",
           "MAX_TOLERANCE_M", "MEAN_RADIUS_M", "MIN_DISTANCE_M", "MIN_RANGE_KM", "MIN_TOLERANCE_M", "RADIUS_MAX_M",
           "RADIUS_MIN_M", "aeqd_crs", "aeqd_transformer", "check_tolerance_m", "in_lon_lat_range", "range_km_problem",
           "tolerance_problem"]
