"""Build the package's geodata/ from the raw Natural Earth files in ../shared/geodata.

Run ``make geodata`` (or ``python tools/build_geodata.py SRC_DIR``). The output
is committed; the package never reads the raw files. What it does, and why, is
in geodata/PROVENANCE.md, together with the counts this script prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rangemap.geostore import pack_geometries  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geodata"
# Outline simplification for the offline basemap only (degrees); analysis uses full detail.
BASEMAP_TOLERANCE_DEG = 0.02
GRID_SUBDIVISION = 8


def polygonal(geometry):
    """The polygonal part of a geometry (make_valid can return collections with stray lines)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if len(parts) != 1 else parts[0]


def quantization_grid(values):
    """Origin and step of the grid the TopoJSON coordinates lie on."""
    distinct = np.unique(values)
    return float(distinct[0]), float(np.diff(distinct).min())


def build_regions(src: Path):
    regions = geopandas.read_file(f"/vsigzip/{src / 'ne_10m_admin_1_states_provinces.topo.json.gz'}")
    invalid = int((~regions.is_valid).sum())
    xy = shapely.get_coordinates(regions.geometry.values)
    ox, sx = quantization_grid(xy[:, 0])
    oy, sy = quantization_grid(xy[:, 1])
    # Source vertices lie on the grid; the few that make_valid adds do not, so
    # store on a grid GRID_SUBDIVISION times finer (those move by at most a few metres).
    sx, sy = sx / GRID_SUBDIVISION, sy / GRID_SUBDIVISION
    regions["geometry"] = [polygonal(g) for g in shapely.make_valid(regions.geometry.values)]
    xy = shapely.get_coordinates(regions.geometry.values)
    attrs = {c: regions[c].fillna("").astype(str).to_numpy() for c in ("name", "iso_3166_2", "iso_a2", "adm0_a3", "admin")}
    (OUT / "regions.npz").write_bytes(pack_geometries(regions.geometry.values, attrs, origin_deg=[ox, oy],
                                                      step_deg=[sx, sy]))
    print(f"regions: {len(regions)} admin-1 units, {len(xy):,} vertices, {invalid} repaired with make_valid; "
          f"grid {sx:.3e} x {sy:.3e} deg")
    return regions


def build_countries(regions):
    names = regions.groupby("adm0_a3")["admin"].first()
    outlines = []
    for code in names.index:
        parts = regions.geometry.values[regions.adm0_a3.to_numpy() == code]
        outlines.append(shapely.simplify(shapely.union_all(parts), BASEMAP_TOLERANCE_DEG))
    outlines = [polygonal(shapely.make_valid(o)) for o in outlines]
    attrs = {"adm0_a3": names.index.to_numpy().astype(str), "admin": names.to_numpy().astype(str)}
    (OUT / "countries_basemap.npz").write_bytes(pack_geometries(outlines, attrs, step_deg=[1e-4, 1e-4]))
    print(f"countries: {len(names)} outlines for the offline basemap, simplified at {BASEMAP_TOLERANCE_DEG} deg")


def build_borders(src: Path):
    lines = geopandas.read_file(f"/vsigzip/{src / 'ne_10m_admin_0_boundary_lines_land.geojson.gz'}")
    cols = ("adm0_a3_l", "adm0_a3_r", "adm0_left", "adm0_right", "featurecla")
    attrs = {c: lines[c].fillna("").astype(str).to_numpy() for c in cols}
    (OUT / "borders.npz").write_bytes(pack_geometries(lines.geometry.values, attrs))
    print(f"borders: {len(lines)} land boundary lines, "
          f"{int(lines.featurecla.str.startswith('Disputed').sum())} marked disputed")


def build_places(src: Path, regions):
    places = pd.read_csv(src / "ne_10m_populated_places.csv.gz")
    points = shapely.points(places.longitude.to_numpy(), places.latitude.to_numpy())
    tree = shapely.STRtree(regions.geometry.values)
    # Country and region come from the admin-1 polygon that holds each place, so
    # places follow the same convention as the regions (see PROVENANCE.md).
    hit_point, hit_region = tree.query(points, predicate="within")
    region_of = np.full(len(places), -1)
    region_of[hit_point] = hit_region
    missing = np.flatnonzero(region_of < 0)
    near_point, near_region = tree.query_nearest(points[missing], max_distance=0.2)
    region_of[missing[near_point]] = near_region
    unmatched = int((region_of < 0).sum())
    joined = regions.iloc[np.maximum(region_of, 0)].reset_index(drop=True)
    out = pd.DataFrame({
        "name": places["name"], "name_en": places["name_en"].fillna(places["name"]),
        "nameascii": places["nameascii"].fillna(places["name"]),
        "country": np.where(region_of >= 0, joined["admin"], places["adm0name"]),
        "adm0_a3": np.where(region_of >= 0, joined["adm0_a3"], places["adm0_a3"]),
        "region": np.where(region_of >= 0, joined["name"], places["adm1name"].fillna("")),
        "iso_3166_2": np.where(region_of >= 0, joined["iso_3166_2"], ""),
        "source_adm0name": places["adm0name"], "featurecla": places["featurecla"],
        "population": places["pop_max"].fillna(0).astype(np.int64),
        "lon": places["longitude"].round(6), "lat": places["latitude"].round(6),
        "wikidataid": places["wikidataid"].fillna(""),
    })
    changed = out[out.adm0_a3 != places["adm0_a3"]]
    out.to_csv(OUT / "places.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})
    print(f"places: {len(out)}; {len(missing) - unmatched} matched to the nearest region within 0.2 deg, "
          f"{unmatched} kept their source country; the country code differs from the source's for "
          f"{len(changed)} places, e.g. {', '.join(changed.head(8).name + ' (' + changed.head(8).source_adm0name + ' -> ' + changed.head(8).country + ')')}")


def main(src: Path) -> None:
    OUT.mkdir(exist_ok=True)
    regions = build_regions(src)
    build_countries(regions)
    build_borders(src)
    build_places(src, regions)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "geodata")
