"""GIS exports of a scenario's results: GeoJSON (RFC 7946), GeoPackage and KML.

Every feature has ``kind`` (``footprint``, ``launch``, ``region``, ``place``)
and ``id``; the other fields carry the same figures as the report
(``ScenarioResult.to_report``), one feature per report row.
"""

from __future__ import annotations

from pathlib import Path

import geopandas
import shapely

from rangemap.atomic import atomic_output
from rangemap.errors import InvalidInputError
from rangemap.results import ScenarioResult

FORMATS = {"geojson": "GeoJSON", "gpkg": "GPKG", "kml": "KML"}
_COLUMNS = ["kind", "id", "name", "weapon", "weapon_id", "range_km", "launch_id", "footprint", "area_km2",
            "in_range_km2", "share", "max_error_m", "source", "iso_3166_2", "country", "population",
            "distance_km", "status_note"]


def features_frame(result: ScenarioResult) -> geopandas.GeoDataFrame:
    """All exportable features of a result, one row each, in EPSG:4326.

    Parameters
    ----------
    result : ScenarioResult

    Returns
    -------
    geopandas.GeoDataFrame
        Columns as in ``_COLUMNS`` plus ``geometry``; fields that do not apply
        to a kind are empty.
    """
    report = result.to_report()
    rows = []
    for f, r in zip(result.footprints, report["footprints"]):
        rows.append({"kind": "footprint", "id": f.id, "name": f"{f.weapon.name} {f.range_km:g} km",
                     "weapon": f.weapon.name, "weapon_id": f.weapon.id, "range_km": f.range_km, "launch_id": f.launch.id,
                     "area_km2": r["area_km2"], "max_error_m": r["max_error_m"], "source": f.weapon.source,
                     "geometry": f.geometry})
    for g in result.scenario.launches:
        for i, site in enumerate(g.sites):
            rows.append({"kind": "launch", "id": f"{g.id}/{i + 1}", "name": site.label, "launch_id": g.id,
                         "geometry": site.geometry})
    regions = {r.name: r for r in result.scenario.regions}
    for r in report["regions"]:
        region = regions[r["region"]]
        rows.append({"kind": "region", "id": f"{r['region']}@{r['footprint']}", "name": r["region"],
                     "footprint": r["footprint"], "area_km2": r["area_km2"], "in_range_km2": r["in_range_km2"],
                     "share": r["share"], "iso_3166_2": ",".join(r["iso_3166_2"]), "country": region.country,
                     "status_note": region.status_note, "geometry": region.geometry})
    for p in report["places"]:
        rows.append({"kind": "place", "id": f"{p['name']}@{p['footprint']}", "name": p["name"],
                     "footprint": p["footprint"], "country": p["country"], "population": p["population"],
                     "distance_km": p["distance_km"], "geometry": shapely.Point(p["lon"], p["lat"])})
    frame = geopandas.GeoDataFrame(rows, columns=_COLUMNS + ["geometry"], geometry="geometry", crs="EPSG:4326")
    # Launch geometries from users' files may be collections; GIS formats want simple types.
    frame["geometry"] = [_simple(g) for g in frame.geometry]
    return frame


def _simple(geometry):
    if geometry.geom_type != "GeometryCollection":
        return geometry
    parts = shapely.get_parts(geometry)
    kinds = {p.geom_type.replace("Multi", "") for p in parts}
    if len(kinds) == 1:
        return shapely.union_all(parts) if kinds != {"Point"} else shapely.multipoints(parts)
    return geometry


def export(result: ScenarioResult, path: Path | str, fmt: str | None = None) -> Path:
    """Write a result's features to a GIS file.

    Parameters
    ----------
    result : ScenarioResult
    path : path-like
        Written atomically: a failed or interrupted export leaves the previous file intact.
    fmt : {"geojson", "gpkg", "kml"}, optional
        Defaults to the file's extension.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InvalidInputError
        For an unknown format.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "json":
        fmt = "geojson"
    if fmt not in FORMATS:
        raise InvalidInputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    frame = features_frame(result)
    with atomic_output(path) as tmp:
        if fmt == "geojson":
            # RFC 7946: lon/lat, counter-clockwise exteriors, split at the antimeridian, 7 decimals.
            frame.to_file(tmp, driver="GeoJSON", engine="pyogrio", RFC7946="YES", WRITE_NAME="NO",
                          geometry_type="Unknown")
        elif fmt == "gpkg":
            frame.to_file(tmp, driver="GPKG", engine="pyogrio", layer="rangemap", geometry_type="Unknown")
        else:
            frame.to_file(tmp, driver="KML", engine="pyogrio", layer="rangemap", geometry_type="Unknown",
                          dataset_options={"NameField": "name"})
    return path


__all__ = ["FORMATS", "export", "features_frame"]
