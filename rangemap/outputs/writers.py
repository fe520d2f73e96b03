"""GIS exports of a scenario's results: GeoJSON (RFC 7946), GeoPackage and KML; reach zones and footprints as GeoJSON.

Every format carries the report's sections (:mod:`rangemap.model.schema`) with the
same rows and figures as ``rangemap report --format json``: GeoJSON as one
FeatureCollection whose features say their ``kind`` (footprint, launch, region,
place, gain, gain_region, gain_place; the last two sections' rows without a
geometry of their own carry none, which RFC 7946 allows); GeoPackage as one
layer per section (``gain_regions`` as a plain table); KML as one folder per
section, styled with the map's colours, each place once (``gain_regions``,
which has no geometry, is left out of KML; the ``id`` column is called
``rangemap_id`` there, since KML reads ``id`` as an XML id).

Every GeoJSON here is encoded by :mod:`rangemap.outputs.geojson`; which
formats exist, their extensions and where they may go is
:mod:`rangemap.outputs.formats`' decision.
"""

from __future__ import annotations

from pathlib import Path

import geopandas
import pandas as pd
import shapely

from rangemap.io.atomic import atomic_output, write_text_atomic
from rangemap.errors import OutputError
from rangemap.geodesy.parts import flat_parts
from rangemap.model.results import ScenarioResult
from rangemap.model.schema import COLUMNS, SECTIONS, features
from rangemap.outputs.geojson import feature_collection, geojson_feature, geojson_text

KINDS = {"footprints": "footprint", "launches": "launch", "regions": "region", "places": "place", "gains": "gain",
         "gain_regions": "gain_region", "gain_places": "gain_place"}


def section_frames(result: ScenarioResult) -> dict[str, geopandas.GeoDataFrame]:
    """One GeoDataFrame per report section, in EPSG:4326, columns as in :data:`rangemap.model.schema.COLUMNS`.

    Parameters
    ----------
    result : ScenarioResult

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
    """
    rows: dict[str, list[dict]] = {s: [] for s in SECTIONS}
    geoms: dict[str, list] = {s: [] for s in SECTIONS}
    for section, row, geometry in features(result):
        rows[section].append(row)
        geoms[section].append(None if geometry is None else _simple(geometry))
    return {s: geopandas.GeoDataFrame(pd.DataFrame(rows[s], columns=list(COLUMNS[s])), geometry=geoms[s],
                                      crs="EPSG:4326") for s in SECTIONS}


def features_frame(result: ScenarioResult) -> geopandas.GeoDataFrame:
    """Every section's rows in one frame with a ``kind`` column (the GeoJSON layout).

    Parameters
    ----------
    result : ScenarioResult

    Returns
    -------
    geopandas.GeoDataFrame
    """
    frames = [f.assign(kind=KINDS[s]) for s, f in section_frames(result).items() if len(f)]
    columns = ["kind"] + list(dict.fromkeys(c for s in SECTIONS for c in COLUMNS[s]))
    frame = pd.concat(frames, ignore_index=True)
    return geopandas.GeoDataFrame(frame.reindex(columns=columns + ["geometry"]), geometry="geometry", crs="EPSG:4326")


def _simple(geometry):
    """A geometry GIS formats can store: a collection of one kind becomes its multi-part type."""
    if geometry.geom_type != "GeometryCollection":
        return geometry
    parts = flat_parts(geometry)
    kinds = {p.geom_type for p in parts}
    if kinds == {"Point"}:
        return shapely.multipoints(parts)
    if kinds == {"LineString"}:
        return shapely.multilinestrings(parts)
    if kinds == {"Polygon"}:
        return shapely.union_all(parts)
    return geometry


def _kml_styles(result: ScenarioResult, frames: dict) -> dict[str, list[str]]:
    """OGR style strings per section row, with the interactive map's colours (GDAL writes them as KML Styles)."""
    from rangemap.outputs import style

    gain = style.GAIN.fill
    colours = style.weapon_colours(f.weapon.id for f in sorted(result.footprints, key=lambda f: -f.range_km))
    by_id = {f.id: colours[f.weapon.id] for f in result.footprints}
    return {
        "footprints": [f"BRUSH(fc:{by_id[i]}40);PEN(c:{by_id[i]},w:2px)" for i in frames["footprints"].id],
        "gains": [f"BRUSH(fc:{gain}80);PEN(c:{gain},w:1px)"] * len(frames["gains"]),
        "regions": ["BRUSH(fc:#ffffff00);PEN(c:#333333,w:2px)"] * len(frames["regions"]),
        "launches": ["BRUSH(fc:#ffeb3b80);PEN(c:#000000,w:3px);SYMBOL(c:#ffeb3b,s:1.2)"] * len(frames["launches"]),
        "places": ["SYMBOL(c:#ffffff,s:0.8)"] * len(frames["places"]),
        "gain_places": ["SYMBOL(c:#fdae61,s:0.8)"] * len(frames["gain_places"]),
    }


def result_geojson(result: ScenarioResult) -> dict:
    """Every section's rows as one RFC 7946 FeatureCollection; each feature says its ``kind``.

    Every feature carries every column (``kind``, then the sections' columns in
    :data:`rangemap.model.schema.COLUMNS` order), ``null`` where its section has
    no such column, so GIS programs read one table.

    Parameters
    ----------
    result : ScenarioResult

    Returns
    -------
    dict
    """
    columns = list(dict.fromkeys(c for s in SECTIONS for c in COLUMNS[s]))
    rows = sorted(features(result), key=lambda item: SECTIONS.index(item[0]))  # section by section, stable
    return feature_collection(
        geojson_feature(None if geometry is None else _simple(geometry),
                        {"kind": KINDS[section], **{c: row.get(c) for c in columns}})
        for section, row, geometry in rows)


def export(result: ScenarioResult, path: Path | str, fmt: str | None = None) -> Path:
    """Write a result's sections to a GIS file.

    Parameters
    ----------
    result : ScenarioResult
    path : path-like
        Written atomically: a failed or interrupted export leaves the previous file intact.
    fmt : {"geojson", "gpkg", "kml"}, optional
        Defaults to the one the file's extension names.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InvalidInputError
        For an unknown format, or a file name whose extension is not the format's.
    OutputError
        When GDAL cannot write the file (disk full, ...).
    """
    import pyogrio.errors

    from rangemap.outputs.formats import output_format

    path = Path(path)
    if fmt is not None and fmt.lower() == "json":  # what the file is, not the report format of that name
        fmt = "geojson"
    fmt = output_format("export", path, fmt).name
    try:
        _write(result, path, fmt)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.FeatureError, pyogrio.errors.DataLayerError,
            pyogrio.errors.CRSError, pyogrio.errors.GeometryError) as exc:
        # GDAL's reasons name the temporary file; the user knows the output by its own name.
        reason = " ".join(str(exc).split()).replace(str(path.parent) + "/", "")[:300]
        raise OutputError(f"cannot write {str(path)!r} ({reason}); the previous file, if any, is unchanged") from None
    return path


def _write(result: ScenarioResult, path: Path, fmt: str) -> None:
    import pyogrio

    if fmt == "geojson":
        write_text_atomic(path, geojson_text(result_geojson(result)))
        return
    with atomic_output(path) as tmp:
        if fmt == "gpkg":
            for section, frame in section_frames(result).items():
                if section == "gain_regions":
                    pyogrio.write_dataframe(pd.DataFrame(frame.drop(columns="geometry")), tmp, layer=section,
                                            driver="GPKG", append=tmp.exists())
                else:
                    frame.to_file(tmp, driver="GPKG", engine="pyogrio", layer=section, geometry_type="Unknown",
                                  append=tmp.exists())
        else:
            frames = section_frames(result)
            styles = _kml_styles(result, frames)
            for section, frame in frames.items():
                if section == "gain_regions":
                    continue
                # KML reads a field called "id" as the Placemark's XML id, which must be an XML name.
                frame = frame.assign(OGR_STYLE=styles[section]).rename(columns={"id": "rangemap_id"})
                frame.to_file(tmp, driver="LIBKML", engine="pyogrio", layer=section, geometry_type="Unknown",
                              append=tmp.exists())


def footprint_geojson(site, geometry, range_km: float, max_error_m: float) -> dict:
    """One footprint around a point as an RFC 7946 Feature (what ``rangemap footprint`` writes).

    Parameters
    ----------
    site : shapely.Point
        Lon/lat degrees.
    geometry : shapely.Geometry
        The footprint.
    range_km : float
    max_error_m : float
        Its measured error (rounded here to millimetres).

    Returns
    -------
    dict
    """
    return geojson_feature(geometry, {"kind": "footprint", "id": f"point/{range_km:g}km", "lon": site.x,
                                      "lat": site.y, "range_km": range_km, "max_error_m": round(max_error_m, 3)})


def reach_geojson(target_label: str, target, weapon, zones: list) -> dict:
    """Reach zones as a FeatureCollection: the target, then each zone and its nearest launch point.

    Parameters
    ----------
    target_label : str
    target : shapely.Point
        Lon/lat degrees.
    weapon : rangemap.data.catalog.Weapon
    zones : list of (str, rangemap.model.reach.LaunchZone)
        Launch group id and its zone.

    Returns
    -------
    dict
    """
    out = [geojson_feature(target, {"kind": "target", "name": target_label})]
    for launch_id, zone in zones:
        props = {"launch_id": launch_id, "weapon": weapon.id, "range_km": weapon.range_km,
                 "source": weapon.source, "target": target_label}
        out.append(geojson_feature(zone.geometry, {"kind": "reach_zone", **props,
                                                   "area_km2": round(zone.area_km2, 3)}))
        out.append(geojson_feature(shapely.Point(zone.nearest_lon_deg, zone.nearest_lat_deg),
                                   {"kind": "nearest_launch_point", **props,
                                    "distance_km": round(zone.nearest_distance_m / 1000, 6)}))
    return feature_collection(out)


__all__ = ["KINDS", "export", "features_frame", "footprint_geojson", "reach_geojson", "result_geojson",
           "section_frames"]
