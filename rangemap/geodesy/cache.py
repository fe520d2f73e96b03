"""An on-disk cache of footprints, keyed by a hash of the launch geometry, the range and the tolerance.

One file per footprint (``<sha256>.wkb``), written atomically, so that dask
workers in other processes (or on other machines sharing the folder) can fill
it at the same time. Re-running a timeline, or adding a date, computes only
the footprints whose key is new.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import shapely

from rangemap.geodesy.bounds import DEFAULT_TOLERANCE_M
from rangemap.geodesy.footprints import footprint
from rangemap.io.atomic import write_bytes_atomic

# Part of every key: bump it when the footprint algorithm changes what it returns.
CACHE_VERSION = "rangemap-footprint-1"


def footprint_key(geometry, distance_m: float, tolerance_m: float) -> str:
    """The cache key of one footprint: SHA-256 of the geometry's WKB, the range and the tolerance.

    Parameters
    ----------
    geometry : shapely.Geometry
    distance_m, tolerance_m : float

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> footprint_key(shapely.Point(30, 50), 1000.0, 1.0) == footprint_key(shapely.Point(30, 50), 1000, 1)
    True
    """
    digest = hashlib.sha256(CACHE_VERSION.encode())
    digest.update(shapely.to_wkb(geometry, output_dimension=2, byte_order=1, include_srid=False))
    digest.update(f"|{float(distance_m)!r}|{float(tolerance_m)!r}".encode())
    return digest.hexdigest()


class FootprintCache:
    """Footprints from a folder, computing (and storing) only the missing ones.

    Parameters
    ----------
    folder : path-like or None
        Where the ``.wkb`` files live; None computes every footprint and stores nothing.

    Attributes
    ----------
    computed, reused : int
        How many footprints this object computed and how many it read back.
    """

    def __init__(self, folder: Path | str | None):
        self.folder = None if folder is None else Path(folder)
        self.computed = 0
        self.reused = 0

    def footprint(self, geometry: shapely.Geometry, distance_m: float, *,
                  tolerance_m: float = DEFAULT_TOLERANCE_M) -> shapely.Geometry:
        """:func:`rangemap.geodesy.footprints.footprint`, from the cache when it holds the same key.

        A cache file that does not parse as WKB (damaged on disk, or not
        written by rangemap: writes are atomic, so never half-written by it)
        counts as missing: the footprint is computed again and the file replaced.
        """
        path = None if self.folder is None else self.folder / f"{footprint_key(geometry, distance_m, tolerance_m)}.wkb"
        if path is not None and path.exists():
            cached = _read_wkb(path)
            if cached is not None:
                self.reused += 1
                return cached
        result = footprint(geometry, distance_m, tolerance_m=tolerance_m)
        self.computed += 1
        if path is not None:
            write_bytes_atomic(path, shapely.to_wkb(result, byte_order=1))
        return result


def _read_wkb(path: Path) -> shapely.Geometry | None:
    """The geometry in a WKB file, or None where the file does not parse."""
    try:
        return shapely.from_wkb(path.read_bytes())
    except shapely.errors.GEOSException:
        return None


__all__ = ["CACHE_VERSION", "FootprintCache", "footprint_key"]
