"""Compact, fast storage of many geometries: quantized coordinates in numpy archives.

The shipped geodata holds about a million vertices. GDAL reads the source
TopoJSON in about 0.8 s; these archives load in a small fraction of that
(``benchmarks/gazetteer.py`` measures it). Coordinates are stored as integer
steps on a grid (the TopoJSON's own quantization grid for the admin-1 layer,
so nothing is lost beyond about 1e-8 degrees), delta-encoded and zipped, and
rebuilt with the vectorised ``shapely.from_ragged_array``.
"""

from __future__ import annotations

import io
from typing import Any
from pathlib import Path

import numpy as np
import shapely

_ORIGIN_DEG = np.array([-180.0, -90.0])
_DEFAULT_STEP_DEG = np.array([1e-6, 1e-6])


def pack_geometries(geometries, attributes: dict[str, np.ndarray], *, origin_deg=_ORIGIN_DEG,
                    step_deg=_DEFAULT_STEP_DEG) -> bytes:
    """Encode geometries of one kind (all polygonal or all linear) with their attributes.

    Parameters
    ----------
    geometries : array_like of shapely.Geometry
        Polygons/MultiPolygons, or LineStrings/MultiLineStrings, lon/lat degrees.
    attributes : dict of str to numpy.ndarray
        Columns, one value per geometry (strings or numbers).
    origin_deg, step_deg : array_like of 2 floats
        Quantization grid; coordinates are rounded to ``origin + k * step``.

    Returns
    -------
    bytes
        A compressed ``.npz`` archive.
    """
    geometries = np.asarray(geometries, dtype=object)
    kind = "polygon" if shapely.get_dimensions(geometries).min() == 2 else "line"
    multi = shapely.multipolygons if kind == "polygon" else shapely.multilinestrings
    as_multi = np.array([g if g.geom_type.startswith("Multi") else multi([g]) for g in geometries], dtype=object)
    geom_type, coords, offsets = shapely.to_ragged_array(as_multi)
    origin_deg, step_deg = np.asarray(origin_deg, float), np.asarray(step_deg, float)
    steps = np.round((coords - origin_deg) / step_deg).astype(np.int64)
    deltas = np.diff(steps, axis=0, prepend=np.zeros((1, 2), np.int64)).astype(np.int32)
    arrays: dict[str, Any] = {f"offsets_{i}": np.asarray(o, dtype=np.int64) for i, o in enumerate(offsets)}
    # Strings as fixed-width unicode, never pickled objects: the archive loads with allow_pickle=False.
    arrays.update({f"attr_{k}": np.asarray(v).astype(str) if np.asarray(v).dtype == object else np.asarray(v)
                   for k, v in attributes.items()})
    buffer = io.BytesIO()
    np.savez_compressed(buffer, deltas=deltas, origin_deg=origin_deg, step_deg=step_deg,
                        geom_type=np.array(int(geom_type)), **arrays)
    return buffer.getvalue()


def unpack_geometries(path: Path | str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Decode an archive written by :func:`pack_geometries`.

    Parameters
    ----------
    path : path-like
        The ``.npz`` file.

    Returns
    -------
    (numpy.ndarray of shapely.Geometry, dict of str to numpy.ndarray)
        Multi-part geometries in lon/lat degrees, and the attribute columns.
    """
    with np.load(path, allow_pickle=False) as archive:
        steps = np.cumsum(archive["deltas"].astype(np.int64), axis=0)
        coords = archive["origin_deg"] + steps * archive["step_deg"]
        offsets = tuple(archive[f"offsets_{i}"] for i in range(3) if f"offsets_{i}" in archive.files)
        geom_type = shapely.GeometryType(int(archive["geom_type"]))
        attributes = {k[5:]: archive[k] for k in archive.files if k.startswith("attr_")}
    return shapely.from_ragged_array(geom_type, coords, offsets), attributes
