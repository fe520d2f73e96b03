"""The report schema, in one place: every report format and every export is built from these rows.

A result becomes :data:`SECTIONS`, each a list of flat rows (dicts of str,
int, float) in a fixed column order; GIS exports pair each row with its
geometry, taken straight from the result objects (never looked up again by
name). So ``report --format json``, CSV, Markdown, the table, GeoJSON,
GeoPackage and KML carry the same rows with the same figures.

Sections
--------
footprints
    One per (launch group, weapon): range, area, measured error, source.
launches
    One per launch site.
regions
    One per (region of interest, footprint): area, area in range, share.
places
    One per place in range of any footprint: the footprints it is in range
    of, and its distance from the nearest launch site.
gains
    One per (launch group, longer weapon over shorter): the area added.
gain_regions
    One per (gain, region whose share rises).
gain_places
    One per (gain, place newly in range).
"""

from __future__ import annotations

from typing import Any, Iterator

import shapely

from rangemap.data.gazetteer import PLACES_CREDIT, REGIONS_CREDIT

SECTIONS = ("footprints", "launches", "regions", "places", "gains", "gain_regions", "gain_places")
COLUMNS = {
    "footprints": ("id", "weapon", "weapon_id", "range_km", "launch_id", "launch", "area_km2", "max_error_m",
                   "source"),
    "launches": ("id", "launch_id", "launch", "site", "site_kind"),
    "regions": ("id", "region", "iso_3166_2", "country", "footprint", "area_km2", "in_range_km2", "share",
                "status_note"),
    "places": ("id", "name", "country", "population", "footprints", "distance_km", "nearest_launch_id", "lon", "lat"),
    "gains": ("id", "launch_id", "shorter", "longer", "added_area_km2"),
    "gain_regions": ("id", "gain", "region", "share_shorter", "share_longer", "added_km2"),
    "gain_places": ("id", "gain", "name", "country", "population", "distance_km"),
}
# Rounding of figures in every output (the in-memory results keep full precision).
DECIMALS = {"area_km2": 1, "in_range_km2": 1, "added_area_km2": 1, "added_km2": 1, "share": 4, "share_shorter": 4,
            "share_longer": 4, "max_error_m": 3, "distance_km": 3, "lon": 6, "lat": 6}


def _rounded(row: dict) -> dict:
    return {k: round(float(v), DECIMALS[k]) if k in DECIMALS else v for k, v in row.items()}


def scenario_meta(result) -> dict:
    """The scenario's own fields, for the head of a report."""
    s = result.scenario
    return {"name": s.name, "title": s.title, "date": s.date, "notes": s.notes, "sources": list(s.sources),
            "min_population": s.min_population, "places_in": [a.name for a in s.places_in],
            "tolerance_m": s.tolerance_m, "data_credits": [REGIONS_CREDIT, PLACES_CREDIT]}


def features(result) -> Iterator[tuple[str, dict, object]]:
    """Every row of every section with its geometry (lon/lat; None where a row has none).

    Parameters
    ----------
    result : ScenarioResult

    Yields
    ------
    (str, dict, shapely.Geometry or None)
        Section name, row (columns as in :data:`COLUMNS`, figures rounded as in
        :data:`DECIMALS`), geometry.
    """
    for f in result.footprints:
        yield "footprints", _rounded({
            "id": f.id, "weapon": f.weapon.name, "weapon_id": f.weapon.id, "range_km": float(f.range_km),
            "launch_id": f.launch.id, "launch": f.launch.label, "area_km2": f.area_km2, "max_error_m": f.max_error_m,
            "source": f.weapon.source}), f.geometry
    for g in result.scenario.launches:
        for i, site in enumerate(g.sites):
            yield "launches", {"id": f"{g.id}/{i + 1}", "launch_id": g.id, "launch": g.label, "site": site.label,
                               "site_kind": site.kind}, site.geometry
    regions = {r.name: r for r in result.scenario.regions}
    for row in result.coverage.itertuples():
        region = regions[row.region]
        yield "regions", _rounded({
            "id": f"{row.region}@{row.footprint}", "region": row.region, "iso_3166_2": ",".join(row.iso_3166_2),
            "country": region.country, "footprint": row.footprint, "area_km2": row.area_km2,
            "in_range_km2": row.in_range_km2, "share": row.share, "status_note": region.status_note or ""}), \
            region.geometry
    places = result.places
    if len(places):
        launch_of = {f.id: f.launch.id for f in result.footprints}
        for (name, lon, lat), rows in places.groupby(["name", "lon", "lat"], sort=False):
            nearest = rows.loc[rows.distance_km.idxmin()]
            yield "places", _rounded({
                "id": f"{name}@{lon:.4f},{lat:.4f}", "name": name, "country": nearest.country,
                "population": int(nearest.population), "footprints": ",".join(rows.footprint),
                "distance_km": float(nearest.distance_km), "nearest_launch_id": launch_of[nearest.footprint],
                "lon": float(lon), "lat": float(lat)}), shapely.Point(lon, lat)
    for launch_id, gain in result.gains:
        gid = f"{gain.longer}-over-{gain.shorter.split('/')[-1]}"
        yield "gains", _rounded({"id": gid, "launch_id": launch_id, "shorter": gain.shorter, "longer": gain.longer,
                                 "added_area_km2": gain.added_area_km2}), gain.geometry
        for r in gain.regions.itertuples():
            yield "gain_regions", _rounded({"id": f"{gid}@{r.region}", "gain": gid, "region": r.region,
                                            "share_shorter": r.share_shorter, "share_longer": r.share_longer,
                                            "added_km2": r.added_km2}), None
        for p in gain.new_places.itertuples():
            yield "gain_places", _rounded({"id": f"{gid}@{p.name}@{p.lon:.4f},{p.lat:.4f}", "gain": gid,
                                           "name": p.name, "country": p.country, "population": int(p.population),
                                           "distance_km": p.distance_km}), shapely.Point(p.lon, p.lat)


def report_sections(result) -> dict[str, Any]:
    """The report as plain data: ``{"scenario": {...}, "<section>": [rows]}`` for every section.

    Parameters
    ----------
    result : ScenarioResult

    Returns
    -------
    dict
    """
    out: dict = {"scenario": scenario_meta(result)}
    out.update({s: [] for s in SECTIONS})
    for section, row, _geometry in features(result):
        out[section].append(row)
    return out


__all__ = ["COLUMNS", "DECIMALS", "SECTIONS", "features", "report_sections", "scenario_meta"]
