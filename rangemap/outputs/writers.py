"""GIS exports of a scenario's results: GeoJSON (RFC 7946), GeoPackage and KML.

Every format carries the report's sections (:mod:`rangemap.model.schema`) with the
same rows and figures as ``rangemap report --format json``: GeoJSON as one
FeatureCollection whose features say their ``kind`` (footprint, launch, region,
place, gain, gain_region, gain_place; the last two sections' rows without a
geometry of their own carry none, which RFC 7946 allows); GeoPackage as one
layer per section (``gain_regions`` as a plain table); KML as one folder per
section, styled with the map's colours, each place once (``gain_regions``,
which has no geometry, is left out of KML; the ``id`` column is called
``rangemap_id`` there, since KML reads ``id`` as an XML id).
"""

from __future__ import annotations

from pathlib import Path

import geopandas
import pandas as pd
import shapely

from rangemap.io.atomic import atomic_output
from rangemap.errors import InvalidInputError, OutputError
from rangemap.geodesy.parts import flat_parts
from rangemap.model.results import ScenarioResult
from rangemap.model.schema import COLUMNS, SECTIONS, features

FORMATS = {"geojson": "GeoJSON", "gpkg": "GPKG", "kml": "KML"}
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
    rows = {s: [] for s in SECTIONS}
    geoms = {s: [] for s in SECTIONS}
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


def export(result: ScenarioResult, path: Path | str, fmt: str | None = None) -> Path:
    """Write a result's sections to a GIS file.

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
        For an unknown format, or a file name whose extension is not the format's.
    OutputError
        When GDAL cannot write the file (disk full, ...).
    """
    import pyogrio.errors

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "json":
        fmt = "geojson"
    if fmt not in FORMATS:
        raise InvalidInputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    suffixes = {"geojson": (".geojson", ".json"), "gpkg": (".gpkg",), "kml": (".kml",)}[fmt]
    if path.suffix.lower() not in suffixes:
        raise InvalidInputError(f"output {str(path)!r}: a {FORMATS[fmt]} file needs the extension "
                                f"{' or '.join(suffixes)} (GIS programs go by it)")
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

    with atomic_output(path) as tmp:
        if fmt == "geojson":
            # RFC 7946: lon/lat, counter-clockwise exteriors, split at the antimeridian, 7 decimals.
            features_frame(result).to_file(tmp, driver="GeoJSON", engine="pyogrio", RFC7946="YES", WRITE_NAME="NO",
                                           geometry_type="Unknown")
        elif fmt == "gpkg":
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


__all__ = ["FORMATS", "KINDS", "export", "features_frame", "section_frames"]
