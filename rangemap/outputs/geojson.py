"""The one GeoJSON writer: RFC 7946 features and FeatureCollections, rounded the same way everywhere.

Every GeoJSON file rangemap writes (``rangemap export -f geojson``, ``rangemap
footprint``, ``rangemap reach -o``) is encoded here, so they all follow RFC 7946
the same way: lon/lat degrees on WGS84, no ``crs`` member, exterior rings
counter-clockwise and holes clockwise (section 3.1.6), and coordinates rounded to
:data:`COORD_DECIMALS` decimals. Geometries arrive already split at the
antimeridian (:mod:`rangemap.geodesy.antimeridian` builds them that way,
section 3.1.9). The interactive pages embed their own, coarser GeoJSON for
drawing (:mod:`rangemap.outputs.page`); that is page data, not a file.
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterable, Mapping

import numpy as np
import shapely

# 1e-7 degree is at most 1.1 cm: GDAL's RFC 7946 default, small beside every footprint's 1 m tolerance.
COORD_DECIMALS = 7


def round_coordinates(geometry: shapely.Geometry, decimals: int = COORD_DECIMALS) -> shapely.Geometry:
    """A geometry with every coordinate rounded to ``decimals`` decimals (degrees).

    Parameters
    ----------
    geometry : shapely.Geometry
        Lon/lat degrees.
    decimals : int, optional

    Returns
    -------
    shapely.Geometry

    Examples
    --------
    >>> round_coordinates(shapely.Point(36.123456789, 50.0)).wkt
    'POINT (36.1234568 50)'
    """
    # Vertex by vertex (no snapping or repair), as GDAL's writer rounds: the shape is written as computed.
    return shapely.transform(geometry, lambda xy: np.round(xy, decimals))


def geojson_geometry(geometry: shapely.Geometry | None, decimals: int = COORD_DECIMALS) -> dict | None:
    """A shapely geometry as an RFC 7946 geometry object (``None`` stays ``null``).

    Parameters
    ----------
    geometry : shapely.Geometry or None
        Lon/lat degrees, already split at the antimeridian.
    decimals : int, optional

    Returns
    -------
    dict or None

    Examples
    --------
    >>> square = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])  # clockwise
    >>> geojson_geometry(square)["coordinates"][0][:2]
    [[0.0, 0.0], [1.0, 0.0]]
    """
    if geometry is None:
        return None
    mapping = shapely.geometry.mapping(round_coordinates(shapely.orient_polygons(geometry), decimals))
    return json.loads(json.dumps(mapping))  # tuples to lists: one plain-data shape for every caller


def plain_value(value: Any) -> Any:
    """A property value as JSON data: numpy scalars become Python numbers, NaN becomes ``None``.

    Examples
    --------
    >>> plain_value(np.int64(3)), plain_value(float("nan")), plain_value("Kursk")
    (3, None, 'Kursk')
    """
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def geojson_feature(geometry: shapely.Geometry | None, properties: Mapping[str, Any],
                    decimals: int = COORD_DECIMALS) -> dict:
    """One RFC 7946 Feature.

    Parameters
    ----------
    geometry : shapely.Geometry or None
    properties : mapping
        Copied in order; values made plain with :func:`plain_value`.
    decimals : int, optional

    Returns
    -------
    dict

    Examples
    --------
    >>> geojson_feature(shapely.Point(1, 2), {"kind": "target"})
    {'type': 'Feature', 'properties': {'kind': 'target'}, 'geometry': {'type': 'Point', 'coordinates': [1.0, 2.0]}}
    """
    return {"type": "Feature", "properties": {k: plain_value(v) for k, v in properties.items()},
            "geometry": geojson_geometry(geometry, decimals)}


def feature_collection(features: Iterable[dict]) -> dict:
    """An RFC 7946 FeatureCollection of features from :func:`geojson_feature`.

    Examples
    --------
    >>> feature_collection([])
    {'type': 'FeatureCollection', 'features': []}
    """
    return {"type": "FeatureCollection", "features": list(features)}


def geojson_text(document: Mapping[str, Any]) -> str:
    """A GeoJSON document as text: UTF-8 ready JSON, one document, a final newline.

    Parameters
    ----------
    document : mapping
        A Feature or FeatureCollection.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For NaN or infinity anywhere (JSON has neither).

    Examples
    --------
    >>> geojson_text(feature_collection([]))
    '{"type": "FeatureCollection", "features": []}\\n'
    """
    return json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n"


__all__ = ["COORD_DECIMALS", "feature_collection", "geojson_feature", "geojson_geometry", "geojson_text",
           "plain_value", "round_coordinates"]
