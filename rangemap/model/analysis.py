"""Coverage: how much of a region is in range, which places are, and what a longer range adds.

Every area and distance is geodesic on WGS84 (``pyproj.Geod``): areas with
``Geod.geometry_area_perimeter`` after densifying edges to at most
``AREA_SEGMENT_DEG``, distances with :class:`rangemap.geodesy.nearest.SourceIndex`
(``Geod.inv`` to the densified launch geometry, overestimating by at most 1 cm).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import shapely

from rangemap.data.gazetteer import Region, places_table
from rangemap.geodesy.footprints import footprint
from rangemap.geodesy.nearest import GEOD, SourceIndex
from rangemap.geodesy.parts import polygons, rings

# Edges are densified before measuring area so that reading them as geodesics
# (pyproj) or as straight lon/lat lines (shapely, GeoJSON) makes no difference
# that matters: at 0.05 degrees the two differ by centimetres.
AREA_SEGMENT_DEG = 0.05
# Places get an exact distance when they lie within this of a (coarse) footprint.
_PREFILTER_MARGIN_DEG = 0.01
_PREFILTER_TOLERANCE_M = 50.0
_PREFILTER_POLAR_LAT_DEG = 80.0


class RegionCoverage(NamedTuple):
    """How much of one region one footprint covers."""

    region: str
    iso_3166_2: tuple[str, ...]
    footprint: str
    area_km2: float
    in_range_km2: float
    share: float


class RangeGain(NamedTuple):
    """What a longer range adds over a shorter one from the same launch geometry."""

    shorter: str
    longer: str
    added_area_km2: float
    geometry: object
    regions: pd.DataFrame
    new_places: pd.DataFrame


def geodesic_area_km2(geometry) -> float:
    """Area of a lon/lat polygon or multipolygon on the WGS84 ellipsoid, km².

    Parameters
    ----------
    geometry : shapely.Geometry
        Polygonal, lon/lat degrees; other parts (lines, points) have no area.

    Returns
    -------
    float

    Examples
    --------
    >>> round(geodesic_area_km2(shapely.box(0, 0, 1, 1)))
    12308
    """
    if geometry is None or geometry.is_empty:
        return 0.0
    total_m2 = 0.0
    for part in polygons(geometry):
        dense = shapely.segmentize(shapely.orient_polygons(part), AREA_SEGMENT_DEG)
        # Ring by ring on coordinate arrays (Geod.geometry_area_perimeter reads them point by point):
        # the shell counter-clockwise adds, the holes clockwise subtract.
        area_m2 = 0.0
        for ring in rings(dense):
            xy = shapely.get_coordinates(ring)
            ring_m2, _ = GEOD.polygon_area_perimeter(xy[:, 0], xy[:, 1])
            area_m2 += ring_m2
        total_m2 += abs(area_m2)
    return total_m2 / 1e6


def region_coverage(region: Region, footprint_geometry, footprint_id: str = "") -> RegionCoverage:
    """Area of a region, and the part of it inside a footprint.

    Parameters
    ----------
    region : Region
    footprint_geometry : shapely.Polygon or shapely.MultiPolygon
    footprint_id : str, optional
        Carried into the result.

    Returns
    -------
    RegionCoverage
    """
    area_km2 = geodesic_area_km2(region.geometry)
    inside = shapely.intersection(region.geometry, footprint_geometry)
    in_range_km2 = min(geodesic_area_km2(inside), area_km2)
    share = in_range_km2 / area_km2 if area_km2 > 0 else 0.0
    return RegionCoverage(region.name, region.iso_3166_2, footprint_id, area_km2, in_range_km2, share)


def coverage_table(regions, footprints: dict) -> pd.DataFrame:
    """Coverage of every region by every footprint.

    Parameters
    ----------
    regions : iterable of Region
    footprints : dict of str to shapely geometry
        Footprint id -> footprint.

    Returns
    -------
    pandas.DataFrame
        One row per (region, footprint): ``region, iso_3166_2, footprint,
        area_km2, in_range_km2, share``.
    """
    rows = [region_coverage(r, fp, fid) for r in regions for fid, fp in footprints.items()]
    return pd.DataFrame(rows, columns=RegionCoverage._fields)


def candidate_places(*, min_population: int = 0, within=(), with_unpopulated: bool = False,
                     places: pd.DataFrame | None = None) -> pd.DataFrame:
    """The places a scenario may report: big enough, with a population figure, inside the given areas.

    Parameters
    ----------
    min_population : int, optional
    within : iterable of shapely.Geometry, optional
        Countries or regions (lon/lat) the places must lie in; empty for anywhere.
    with_unpopulated : bool, optional
        Keep places with no population figure (population 0).
    places : pandas.DataFrame, optional
        Defaults to the shipped gazetteer.

    Returns
    -------
    pandas.DataFrame
        The rows of the places table that qualify.
    """
    table = places_table() if places is None else places
    keep = table["population"].to_numpy() >= min_population
    if not with_unpopulated:
        keep &= table["population"].to_numpy() > 0
    areas = [g for g in within if g is not None]
    if areas:
        lon, lat = table["lon"].to_numpy(float), table["lat"].to_numpy(float)
        inside = np.zeros(len(table), bool)
        for area in areas:
            inside |= shapely.contains_xy(area, lon, lat)
        keep &= inside
    return table[keep]


def places_in_range(launch_geometry, distance_m: float, *, min_population: int = 0, footprint_id: str = "",
                    places: pd.DataFrame | None = None, footprint_geometry=None,
                    exclude_launch_ground: bool = False) -> pd.DataFrame:
    """Places within a geodesic distance of a launch geometry.

    Parameters
    ----------
    launch_geometry : shapely.Geometry
        Lon/lat degrees; edges are geodesics, polygon interiors are at distance 0.
    distance_m : float
        Range, metres.
    min_population : int, optional
        Keep places with at least this population.
    footprint_id : str, optional
        Carried into the result.
    places : pandas.DataFrame, optional
        Defaults to the shipped gazetteer (columns ``name_en, country,
        population, lon, lat``).
    footprint_geometry : shapely.Geometry, optional
        The footprint, if already computed; it only narrows down which places
        get an exact distance (any within 0.01 degrees of it do).
    exclude_launch_ground : bool, optional
        Leave out places at distance 0: a launch site's own town, and places
        inside launch areas, are launch ground rather than places in range.

    Returns
    -------
    pandas.DataFrame
        ``name, country, population, footprint, distance_km, lon, lat``,
        nearest first.
    """
    table = places_table() if places is None else places
    table = table[table["population"] >= min_population]
    # Exact distances only for places near the footprint: a far place would
    # make the nearest-vertex search consider most of the launch geometry.
    if footprint_geometry is None:
        footprint_geometry = footprint(launch_geometry, distance_m, tolerance_m=_PREFILTER_TOLERANCE_M)
    lon, lat = table["lon"].to_numpy(float), table["lat"].to_numpy(float)
    # A bounding-box cut first (cheap, vectorised), then the prepared footprint's distance test.
    west, south, east, north = shapely.bounds(footprint_geometry)
    m = _PREFILTER_MARGIN_DEG
    near = (lon >= west - m) & (lon <= east + m) & (lat >= south - m) & (lat <= north + m)
    candidates = np.flatnonzero(near)
    shapely.prepare(footprint_geometry)
    near[candidates] = shapely.dwithin(footprint_geometry, shapely.points(lon[candidates], lat[candidates]), m)
    # Near a pole a degree of longitude is short: there the margin may be too thin, so measure all.
    near |= np.abs(lat) > _PREFILTER_POLAR_LAT_DEG
    table = table[near]
    index = SourceIndex(launch_geometry, distance_m)
    dist_m = index.distance_m(table["lon"].to_numpy(float), table["lat"].to_numpy(float))
    hit = dist_m <= distance_m
    if exclude_launch_ground:
        hit &= dist_m > 0.0
    out = pd.DataFrame({
        "name": table["name_en"].to_numpy()[hit], "country": table["country"].to_numpy()[hit],
        "population": table["population"].to_numpy()[hit].astype(np.int64), "footprint": footprint_id,
        "distance_km": dist_m[hit] / 1000.0, "lon": table["lon"].to_numpy()[hit], "lat": table["lat"].to_numpy()[hit],
    })
    return out.sort_values(["distance_km", "name"], kind="stable").reset_index(drop=True)


def range_gain(launch_geometry, shorter: tuple[str, float, object], longer: tuple[str, float, object], regions=(),
               *, min_population: int = 0, places: pd.DataFrame | None = None,
               exclude_launch_ground: bool = False) -> RangeGain:
    """What a longer range adds over a shorter one, from the same launch geometry.

    Parameters
    ----------
    launch_geometry : shapely.Geometry
    shorter, longer : (str, float, shapely.Geometry)
        Footprint id, range in metres and footprint geometry of each.
    regions : iterable of Region, optional
        Regions to compare shares in; those whose share rises are listed.
    min_population : int, optional
    places : pandas.DataFrame, optional
        Candidate places (see :func:`candidate_places`); the shipped gazetteer by default.
    exclude_launch_ground : bool, optional
        As in :func:`places_in_range`.

    Returns
    -------
    RangeGain
    """
    (short_id, short_m, short_fp), (long_id, long_m, long_fp) = shorter, longer
    added = shapely.difference(long_fp, short_fp)
    rows = []
    for region in regions:
        a = region_coverage(region, short_fp, short_id)
        b = region_coverage(region, long_fp, long_id)
        if b.in_range_km2 > a.in_range_km2 + 1e-6:
            rows.append((region.name, a.share, b.share, b.in_range_km2 - a.in_range_km2))
    region_frame = pd.DataFrame(rows, columns=["region", "share_shorter", "share_longer", "added_km2"])
    near = places_in_range(launch_geometry, long_m, min_population=min_population, footprint_id=long_id,
                           footprint_geometry=long_fp, places=places, exclude_launch_ground=exclude_launch_ground)
    new_places = near[near["distance_km"] * 1000.0 > short_m].reset_index(drop=True)
    return RangeGain(short_id, long_id, geodesic_area_km2(added), added, region_frame, new_places)
