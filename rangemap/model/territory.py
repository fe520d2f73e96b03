"""Controlled territory as a launch area: ground minus other ground, kept a geodesic distance back.

A launch area is a site's geometry minus the ground of other sites (``minus``)
and minus everything within ``standoff_m`` of a list of sites
(``standoff_from``): the difference with their exact footprint
(:func:`rangemap.geodesy.footprints.footprint`), so the margin's edge lies within
``tolerance_m`` of the true geodesic distance, like every footprint.

In a scenario any launch site may carry these keys::

    { country = "Ukraine", minus = [{ file = "occupied.geojson" }], standoff_km = 20,
      standoff_from = [{ file = "occupied.geojson" }, { country = "Russia" }] }
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import math
from typing import Callable

import numpy as np
import shapely

from rangemap.errors import ScenarioError
from rangemap.geodesy.footprints import footprint

SITE_KEYS = frozenset({"minus", "standoff_km", "standoff_from"})
# Shortest length of a degree of latitude on WGS84 (at the equator), metres, and of
# longitude at the equator: a point within d of the launch area lies within
# d / these (widened by _CLIP_MARGIN) degrees of its bounding box.
_DEG_LAT_MIN_M = 110_574.0
_DEG_LON_EQUATOR_M = 111_320.0
_CLIP_MARGIN = 1.5
_CLIP_MAX_LAT_DEG = 80.0

# The footprint function the standoff margin uses; the timeline swaps in its on-disk cache.
_FOOTPRINT: contextvars.ContextVar[Callable] = contextvars.ContextVar("rangemap_territory_footprint",
                                                                     default=footprint)


@contextlib.contextmanager
def footprints_from(make_footprint: Callable):
    """Compute standoff margins with ``make_footprint(geometry, distance_m, tolerance_m=...)`` inside the block.

    Parameters
    ----------
    make_footprint : callable
        Same signature and result as :func:`rangemap.geodesy.footprints.footprint` (for example a cached one).
    """
    token = _FOOTPRINT.set(make_footprint)
    try:
        yield
    finally:
        _FOOTPRINT.reset(token)


def near_part(geometry, around, distance_m: float):
    """The part of ``geometry`` that can lie within ``distance_m`` of ``around`` (a bounding-box clip).

    Clipping a large neighbour (a whole country) to the neighbourhood of the
    launch area keeps its footprint cheap; every point of ``around`` has the
    same distance to the clipped geometry as to the whole one whenever that
    distance is at most ``distance_m``.

    Parameters
    ----------
    geometry, around : shapely.Geometry
        Lon/lat degrees.
    distance_m : float

    Returns
    -------
    shapely.Geometry
    """
    west, south, east, north = around.bounds
    dlat = _CLIP_MARGIN * distance_m / _DEG_LAT_MIN_M
    south, north = max(-90.0, south - dlat), min(90.0, north + dlat)
    if max(abs(south), abs(north)) > _CLIP_MAX_LAT_DEG:
        return shapely.intersection(geometry, shapely.box(-180.0, south, 180.0, north))
    dlon = _CLIP_MARGIN * distance_m / (_DEG_LON_EQUATOR_M * math.cos(math.radians(max(abs(south), abs(north)))))
    west, east = west - dlon, east + dlon
    if west < -180.0 or east > 180.0:
        west, east = -180.0, 180.0
    return shapely.intersection(geometry, shapely.box(west, south, east, north))


def _union(geometries):
    geoms = [g for g in geometries if g is not None and not g.is_empty]
    if not geoms:
        return shapely.GeometryCollection()
    return shapely.union_all(np.array(shapely.make_valid(np.array(geoms, dtype=object)), dtype=object))


def launch_area(geometry, *, minus=(), standoff_m: float = 0.0, standoff_from=(), tolerance_m: float = 1.0):
    """Ground a launcher may stand on: ``geometry`` minus ``minus``, at least ``standoff_m`` from ``standoff_from``.

    Parameters
    ----------
    geometry : shapely.Geometry
        Lon/lat degrees (a country, region, file, ...).
    minus : iterable of shapely.Geometry, optional
        Ground removed from it (for example occupied areas).
    standoff_m : float, optional
        Keep only ground at least this geodesic distance (metres) from every
        geometry in ``standoff_from``.
    standoff_from : iterable of shapely.Geometry, optional
    tolerance_m : float, optional
        Error bound of the standoff margin's edge, metres (that of the footprint).

    Returns
    -------
    shapely.Geometry
        Lon/lat degrees; may be empty.

    Examples
    --------
    >>> area = launch_area(shapely.box(30, 48, 32, 50), minus=[shapely.box(31, 48, 32, 50)])
    >>> round(area.area, 6)
    2.0
    """
    if not (math.isfinite(standoff_m) and standoff_m >= 0):
        raise ValueError(f"standoff_m must be a finite number >= 0, got {standoff_m!r}")
    area = shapely.make_valid(geometry)
    removed = _union(minus)
    if not removed.is_empty:
        area = shapely.difference(area, removed)
    sources = [near_part(g, area, standoff_m) for g in standoff_from] if standoff_m > 0 and not area.is_empty else []
    sources = _union(sources)
    if not sources.is_empty:
        area = shapely.difference(area, _FOOTPRINT.get()(sources, standoff_m, tolerance_m=tolerance_m))
    return area


def _site_list(entry: dict, key: str, where: str, resolve) -> list:
    value = entry[key]
    if not isinstance(value, list) or not value:
        raise ScenarioError(f"{where}.{key}: expected a non-empty list of sites such as [{{ file = \"x.geojson\" }}], "
                            f"got {value!r}")
    return [resolve(sub, f"{where}.{key}[{i}]").geometry for i, sub in enumerate(value)]


def _standoff_m(entry: dict, where: str) -> float:
    value = entry["standoff_km"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"{where}.standoff_km: expected a number of km, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ScenarioError(f"{where}.standoff_km: must be a finite number >= 0, got {value!r}")
    return float(value) * 1000.0


def resolve_territory(entry: dict, where: str, resolve: Callable, *, tolerance_m: float = 1.0):
    """Resolve a launch-site table that carries ``minus`` / ``standoff_km`` / ``standoff_from``.

    Parameters
    ----------
    entry : dict
        The site table from the scenario.
    where : str
        Its position (file and field), for messages.
    resolve : callable
        ``resolve(site_table, where)`` returns a resolved site (an object with
        ``.geometry``, such as :class:`rangemap.model.scenario.LaunchSite`); used for
        the site itself without these keys and for every nested site.
    tolerance_m : float, optional

    Returns
    -------
    object
        What ``resolve`` returns for the plain site, with its geometry replaced by the launch area.

    Raises
    ------
    ScenarioError
        Naming the field and value: wrong types, a negative or non-finite
        standoff, ``standoff_km`` without ``standoff_from`` or the reverse, or
        nothing left of the site.
    """
    if ("standoff_km" in entry) != ("standoff_from" in entry):
        given, missing = ("standoff_km", "standoff_from") if "standoff_km" in entry else ("standoff_from", "standoff_km")
        raise ScenarioError(f"{where}.{given}: needs '{missing}' too (got {given} = {entry[given]!r})")
    standoff_m = _standoff_m(entry, where) if "standoff_km" in entry else 0.0
    site = resolve({k: v for k, v in entry.items() if k not in SITE_KEYS}, where)
    minus = _site_list(entry, "minus", where, resolve) if "minus" in entry else []
    standoff_from = _site_list(entry, "standoff_from", where, resolve) if "standoff_from" in entry else []
    area = launch_area(site.geometry, minus=minus, standoff_m=standoff_m, standoff_from=standoff_from,
                       tolerance_m=tolerance_m)
    if area.is_empty:
        shown = {k: entry[k] for k in sorted(SITE_KEYS) if k in entry}
        raise ScenarioError(f"{where}: nothing is left of the site after {shown!r}")
    return dataclasses.replace(site, geometry=area)


__all__ = ["SITE_KEYS", "footprints_from", "launch_area", "near_part", "resolve_territory"]
