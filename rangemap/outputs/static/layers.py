"""The static map's layers, each a function that draws on a :class:`~.framing.Canvas` and returns what it drew.

Drawn in this order (later layers' labels keep off what earlier ones return):
the basemap, the regions of interest shaded by share in range, what each
longer range adds and the footprints, the launch lines, areas and sites, and
the places in range. Colours and symbols come from :mod:`rangemap.outputs.style`
(the interactive map's too).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pyproj
import shapely

from rangemap.data.gazetteer import basemap_layers
from rangemap.geodesy.parts import flat_parts
from rangemap.model.results import ScenarioResult
from rangemap.model.scenario import Scenario
from rangemap.outputs import style
from rangemap.outputs.static.framing import Canvas, Obstacles, join_by_name, lonlat_boxes, to_projected
from rangemap.outputs.static.text import clean_text
from rangemap.outputs.style import px_to_pt

LAUNCH_AREA_GID = "rangemap-launch-area"
MARKERS = {"triangle": "^", "circle": "o"}
_SEGMENT_DEG = 0.1               # lon/lat edges are densified so that they curve in the projection
_LAUNCH_SITE_AS_PLACE_M = 1000.0  # a place this close to a launch site is that site, drawn and labelled once


@dataclass(frozen=True)
class Launches:
    """What :func:`draw_launches` drew.

    Attributes
    ----------
    points : list of (float, float, str or None)
        Launch sites: projected x, y and the site's label, one per spot; the
        label is None on the other points of a site with several (a file site).
    lines : list of shapely.LineString
        Launch lines, projected metres.
    has_area : bool
        Whether any launch area was drawn.
    obstacles : Obstacles
        The site symbols.
    """

    points: list[tuple[float, float, str | None]]
    lines: list[shapely.Geometry]
    has_area: bool
    obstacles: Obstacles


@dataclass(frozen=True)
class Places:
    """What :func:`draw_places` drew: the places (name, population, x, y; biggest first) and their symbols."""

    rows: pd.DataFrame
    obstacles: Obstacles


def basemap_geometries(view: shapely.Polygon, crs: pyproj.CRS) -> dict[str, tuple[list[str], np.ndarray]]:
    """Countries and admin-1 regions round the view, clipped, densified and projected (names, geometries)."""
    names: dict[str, list] = {"countries": [], "regions": []}
    geoms: dict[str, list] = {"countries": [], "regions": []}
    for box in lonlat_boxes(view, crs):
        countries, regions = basemap_layers(box)
        for key, layer in (("countries", countries), ("regions", regions)):
            if layer:
                clipped = shapely.segmentize(shapely.clip_by_rect([g for _, g in layer], *box), _SEGMENT_DEG)
                names[key] += [n for n, _ in layer]
                geoms[key] += list(clipped)
    out = {}
    for key in names:
        keep = ~shapely.is_empty(np.array(geoms[key], dtype=object)) if geoms[key] else np.array([], bool)
        projected = to_projected(np.array(geoms[key], dtype=object)[keep], crs) if keep.any() else np.array([])
        out[key] = join_by_name(list(np.array(names[key], dtype=object)[keep]), projected)
    return out


def draw_basemap(canvas: Canvas) -> tuple[list[str], np.ndarray]:
    """Land, country outlines and admin-1 outlines (Natural Earth) round the view.

    Returns
    -------
    (list of str, numpy.ndarray)
        The countries drawn: their names and projected geometries.
    """
    layers = basemap_geometries(canvas.view, canvas.crs)
    # The basemap is a backdrop: detail finer than half a pixel only makes files bigger.
    half_pixel_m = 0.5 * (canvas.view.bounds[2] - canvas.view.bounds[0]) / (canvas.map_w_in * canvas.fig.dpi)
    country_names, countries = layers["countries"]
    country_geoms = shapely.simplify(countries, half_pixel_m, preserve_topology=True)
    region_geoms = shapely.simplify(layers["regions"][1], half_pixel_m, preserve_topology=True)
    c = style.COUNTRY
    if len(country_geoms):
        gpd.GeoSeries(country_geoms).plot(ax=canvas.ax, facecolor=c.fill, edgecolor="none", zorder=1)
        gpd.GeoSeries(country_geoms).boundary.plot(ax=canvas.ax, color=c.stroke,
                                                   linewidth=px_to_pt(c.stroke_width_px), zorder=5)
    if len(region_geoms):
        a = style.ADMIN1
        gpd.GeoSeries(region_geoms).boundary.plot(ax=canvas.ax, color=a.colour, linewidth=px_to_pt(a.width_px),
                                                  zorder=4)
    return country_names, country_geoms


def best_share_by_weapon(result: ScenarioResult) -> dict[str, dict[str, float]]:
    """Per region of interest, per weapon id: the largest share in range from any one launch group."""
    weapon_of = {f.id: f.weapon.id for f in result.footprints}
    cov = result.coverage
    out: dict[str, dict[str, float]] = {}
    if cov.empty:
        return out
    for row in cov.itertuples():
        per_weapon = out.setdefault(row.region, {})
        wid = weapon_of[row.footprint]
        per_weapon[wid] = max(per_weapon.get(wid, 0.0), float(row.share))
    return out


def draw_regions(canvas: Canvas, result: ScenarioResult) -> dict[str, shapely.Geometry]:
    """Regions of interest: filled by their best share in range, dashed outline.

    Returns
    -------
    dict of str to shapely.Geometry
        Each region's name to its projected geometry.
    """
    best = best_share_by_weapon(result)
    r_style = style.REGION
    region_geoms = {}
    for r in result.scenario.regions:
        geom = to_projected([r.geometry], canvas.crs)[0]
        region_geoms[r.name] = geom
        share = max(best.get(r.name, {}).values(), default=0.0)
        series = gpd.GeoSeries([geom])
        series.plot(ax=canvas.ax, facecolor=matplotlib.colors.to_rgba(style.share_colour(share), r_style.fill_opacity),
                    edgecolor="none", zorder=2)
        series.boundary.plot(ax=canvas.ax, color=r_style.stroke, linewidth=px_to_pt(r_style.stroke_width_px),
                             linestyle=(0, tuple(px_to_pt(d) for d in r_style.dash_px)), zorder=6)
    return region_geoms


def _fill_rgba(area: style.AreaStyle) -> tuple[float, float, float, float]:
    """An area style's fill colour at its opacity, for a layer whose fill is fixed (not by feature)."""
    assert area.fill is not None
    return matplotlib.colors.to_rgba(area.fill, area.fill_opacity)


def draw_footprints_and_gains(canvas: Canvas, result: ScenarioResult, footprints: list,
                              colours: dict[str, str]) -> np.ndarray:
    """What each longer range adds, then the footprints (fills under every outline), in the order given.

    Returns
    -------
    numpy.ndarray of shapely.Geometry
        The footprints' projected geometries, in the order of ``footprints``.
    """
    gain = style.GAIN
    for _launch_id, g in result.gains:
        geom = to_projected([g.geometry], canvas.crs)[0]
        gpd.GeoSeries([geom]).plot(ax=canvas.ax, facecolor=_fill_rgba(gain),
                                   edgecolor="none", zorder=2.5)
    footprint_geoms = to_projected([f.geometry for f in footprints], canvas.crs)
    for f, geom in zip(footprints, footprint_geoms):
        fs = style.footprint_style(colours[f.weapon.id], f.weapon.name, f.range_km, f.weapon.approximate)
        gpd.GeoSeries([geom]).plot(ax=canvas.ax, facecolor=_fill_rgba(fs),
                                   edgecolor="none", zorder=3)
        gpd.GeoSeries([geom]).boundary.plot(ax=canvas.ax, color=fs.stroke, linewidth=px_to_pt(fs.stroke_width_px),
                                            zorder=7)
    return footprint_geoms


def _draw_launch_lines(canvas: Canvas, lines: list) -> None:
    ls = style.LAUNCH_LINE
    gpd.GeoSeries(lines).plot(ax=canvas.ax, color=ls.casing, linewidth=px_to_pt(ls.casing_width_px), zorder=8,
                              capstyle="round")
    gpd.GeoSeries(lines).plot(ax=canvas.ax, color=ls.colour, linewidth=px_to_pt(ls.width_px), zorder=8.1,
                              capstyle="round")


def _draw_launch_areas(canvas: Canvas, areas: list) -> None:
    la = style.LAUNCH_AREA
    gpd.GeoSeries(areas).plot(ax=canvas.ax, facecolor=_fill_rgba(la),
                              edgecolor=la.stroke, linewidth=px_to_pt(la.stroke_width_px), zorder=8,
                              gid=LAUNCH_AREA_GID)


def draw_launches(canvas: Canvas, scenario: Scenario) -> Launches:
    """Launch lines and areas, and launch sites as triangles above everything but labels.

    Every part of a site's geometry is drawn, at any nesting depth
    (:func:`rangemap.geodesy.parts.flat_parts`): a file site is a
    GeometryCollection of its features, which may be multi-part.
    """
    points: list[tuple[float, float, str | None]] = []
    seen: set[tuple[int, int]] = set()
    all_lines: list[shapely.Geometry] = []
    has_area = False
    for group in scenario.launches:
        for site in group.sites:
            parts = flat_parts(to_projected([site.geometry], canvas.crs)[0])
            # As on the page, a site is labelled once: here at its first point not drawn already.
            label: str | None = clean_text(site.label)
            for p in parts:
                if p.geom_type == "Point":
                    key = (round(p.x), round(p.y))
                    if key not in seen:
                        seen.add(key)
                        points.append((p.x, p.y, label))
                        label = None
            lines = [p for p in parts if p.geom_type in ("LineString", "LinearRing")]
            areas = [p for p in parts if p.geom_type == "Polygon"]
            if lines:
                all_lines += lines
                _draw_launch_lines(canvas, lines)
            if areas:
                has_area = True
                _draw_launch_areas(canvas, areas)
    obstacles = Obstacles()
    if points:
        ms = style.LAUNCH_SITE
        xy = np.array([(x, y) for x, y, _ in points])
        canvas.ax.scatter(xy[:, 0], xy[:, 1], marker=MARKERS[ms.shape], s=px_to_pt(ms.size_px) ** 2,
                          facecolor=ms.fill, edgecolor=ms.stroke, linewidth=px_to_pt(ms.stroke_width_px), zorder=10)
        obstacles = obstacles.with_points(canvas.ax.transData.transform(xy), ms.size_px / 2 + 1)
    return Launches(points, all_lines, has_area, obstacles)


def draw_places(canvas: Canvas, result: ScenarioResult, launch_points: list) -> Places:
    """Places in range inside the view as circles sized by population (a launch site's own place is left to it)."""
    places = result.places
    if places.empty:
        return Places(pd.DataFrame(columns=["name", "population", "x", "y"]), Obstacles())
    grouped = places.groupby(["name", "lon", "lat"], as_index=False, sort=False).population.max()
    x, y = pyproj.Transformer.from_crs("EPSG:4326", canvas.crs, always_xy=True).transform(
        grouped.lon.to_numpy(), grouped.lat.to_numpy())
    grouped = grouped.assign(x=x, y=y)
    inside = shapely.contains_xy(canvas.view, x, y)
    if launch_points:
        sites = np.array([(px, py) for px, py, _ in launch_points])
        nearest_m = np.min(np.hypot(x[:, None] - sites[None, :, 0], y[:, None] - sites[None, :, 1]), axis=1)
        inside &= nearest_m > _LAUNCH_SITE_AS_PLACE_M
    rows = grouped[inside].sort_values("population", ascending=False, kind="stable")
    ps = style.PLACE
    radius_px = np.array([style.place_radius_px(p) for p in rows.population])
    canvas.ax.scatter(rows.x, rows.y, marker=MARKERS[ps.shape], s=(2 * px_to_pt(radius_px)) ** 2,
                      facecolor=ps.fill, edgecolor=ps.stroke, linewidth=px_to_pt(ps.stroke_width_px), zorder=9)
    xy_px = canvas.ax.transData.transform(rows[["x", "y"]].to_numpy(dtype=float).reshape(-1, 2))
    return Places(rows, Obstacles().with_points(xy_px, radius_px + 1))


__all__ = ["LAUNCH_AREA_GID", "MARKERS", "Launches", "Places", "basemap_geometries", "best_share_by_weapon",
           "draw_basemap", "draw_footprints_and_gains", "draw_launches", "draw_places", "draw_regions"]
