"""Static maps (PNG, SVG, PDF) of a scenario, for publication.

matplotlib and geopandas draw the scenario in an azimuthal equidistant
projection centred on its footprints, with the colours and symbols of
:mod:`rangemap.outputs.style` (the interactive map's too): title and date, the
footprints with each ring labelled with its range, the regions of interest
shaded by share in range, launch sites, places in range, country and region
labels, a legend built from the same style table, a scale bar that is true in
the projection (its length is measured with ``pyproj.Geod`` along the bar), a
graticule and a credit line with the scenario's sources and the data credits.

Labels never overlap each other or the frame, and keep off symbols and launch
lines; one that cannot be placed is left out, except a launch site's, which is
always drawn. Ring labels sit on their ring, at the spot farthest from the
other rings (:mod:`rangemap.outputs.labels`). Then ``textalloc`` places the launch
sites (long names wrapped; one it cannot place goes to the least crowded spot
beside its symbol), then the places of 300,000 people or more next to their
symbols; each region of interest is labelled where its whole box fits inside
the region; last, ``textalloc`` places the countries and the other places,
biggest first, and gives a place that found no room a second try farther off,
on a leader line.

All text from scenarios and files is data: it is drawn with matplotlib's math
parsing off (a ``$`` prints as a ``$``), and SVG output keeps text as text.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pyproj
import shapely
import shapely.ops
import textalloc
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation

from rangemap.outputs import style
from rangemap.io.atomic import atomic_write
from rangemap.errors import InvalidInputError
from rangemap.data.gazetteer import PLACES_CREDIT, REGIONS_CREDIT, basemap_layers, region
from rangemap.outputs.labels import (LEADER_GAPS, area_label_spot, clear_anchor, fallback_point_label_box, ring_label_spot,
                             tile_box)
from rangemap.geodesy.bounds import GEOD, aeqd_crs
from rangemap.geodesy.nearest import ecef_xyz_m
from rangemap.geodesy.parts import flat_parts, polygons
from rangemap.model.results import ScenarioResult
from rangemap.outputs.style import px_to_pt

DEFAULT_WIDTH_PX = 1600
DESIGN_WIDTH_IN = 10.0
FORMATS = ("png", "svg", "pdf")
LABEL_GID = "rangemap-label"
HALO_GID = "rangemap-halo"
SCALE_BAR_GID = "rangemap-scalebar"
LAUNCH_AREA_GID = "rangemap-launch-area"
_RC = {"svg.fonttype": "none", "svg.hashsalt": "rangemap", "pdf.fonttype": 42, "lines.scale_dashes": False,
       "font.family": "DejaVu Sans", "axes.unicode_minus": False}
_VIEW_PAD = 0.04                 # share of the content's extent added round it
_ASPECT_RANGE = (0.55, 1.15)     # map height / width
_BASEMAP_MARGIN_DEG = 2.0
_JOIN_GRID_M = 1.0
_SEGMENT_DEG = 0.1               # lon/lat edges are densified so that they curve in the projection
_TITLE_MAX_LINES = 2
_CREDIT_MAX_LINES = 6
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0)
_MAX_SHARE_COLUMNS = 3
_MAJOR_PLACE_POPULATION = 300_000   # places this big are labelled before regions and countries
_AREA_LABEL_PADS_PX = ((6.0, 4.0), (2.0, 2.0))   # room round a region's label: roomy first, then tight
_AREA_LABEL_MIN_INSIDE = 0.8    # share of a region label's box that must lie in the region
_LAUNCH_LABEL_CHARS = 28
_LEADER_MAX_DISTANCE = 0.09      # how far (share of the frame) a crowded place's label may go, on a leader line
_LAUNCH_LABEL_MAX_LINES = 4
_MARKERS = {"triangle": "^", "circle": "o"}
_GRATICULE_STEPS_DEG = (0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0)


@dataclass(frozen=True)
class _Label:
    """A label to place: its kind (for its SVG id), text, anchor (projected metres) and style."""

    kind: str
    text: str
    x: float
    y: float
    style: style.LabelStyle
    centred: bool
    key: str = ""   # what the label names, for area labels: the region's name


def map_centre_deg(result: ScenarioResult) -> tuple[float, float]:
    """Longitude and latitude (degrees, rounded to 1e-4) of the static map's centre.

    The direction of the mean of the footprints' vertices as Earth-centred
    vectors, so footprints split at ±180° are centred across it.

    Parameters
    ----------
    result : ScenarioResult

    Returns
    -------
    (float, float)
    """
    coords = np.vstack([shapely.get_coordinates(f.geometry) for f in result.footprints]
                       or [shapely.get_coordinates(g.geometry) for g in result.scenario.launches])
    x, y, z = ecef_xyz_m(coords[:, 0], coords[:, 1]).mean(axis=0)
    return round(float(np.degrees(np.arctan2(y, x))), 4), round(float(np.degrees(np.arctan2(z, np.hypot(x, y)))), 4)


def map_crs(result: ScenarioResult) -> pyproj.CRS:
    """The static map's projection: azimuthal equidistant centred on :func:`map_centre_deg`.

    Parameters
    ----------
    result : ScenarioResult

    Returns
    -------
    pyproj.CRS
    """
    lon, lat = map_centre_deg(result)
    return aeqd_crs(lon, lat)


def clean_text(text) -> str:
    """User text as one printable line: control characters dropped, whitespace runs made single spaces.

    Examples
    --------
    >>> clean_text("a\\x00b\\n  $x$")
    'ab $x$'
    """
    kept = "".join(ch for ch in str(text) if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())


def wrap_text(text, width_chars: int, max_lines: int) -> str:
    """Wrap user text to lines of at most ``width_chars`` and keep at most ``max_lines`` (ending in "…").

    Examples
    --------
    >>> wrap_text("one two three four", 9, 1)
    'one two…'
    """
    lines = textwrap.wrap(clean_text(text), max(width_chars, 8)) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1][: max(width_chars - 1, 1)]
        if len(lines[-1]) >= width_chars and " " in last:   # end on a whole word
            last = last.rsplit(" ", 1)[0]
        lines[-1] = last.rstrip() + "…"
    return "\n".join(lines)


def _truncate(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` characters, ending in "…" where cut."""
    max_chars = max(max_chars, 4)
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def _nice_length(value: float) -> float:
    """The largest 1, 2, 2.5 or 5 times a power of ten not above ``value``."""
    power = 10.0 ** np.floor(np.log10(value))
    return max(step * power for step in _NICE_STEPS if step * power <= value)


def _ground_length_m(transformer: pyproj.Transformer, x0: float, x1: float, y: float) -> float:
    """Geodesic length on WGS84 of the projected horizontal segment (x0, y)-(x1, y), metres."""
    xs = np.linspace(x0, x1, 65)
    lon, lat = transformer.transform(xs, np.full_like(xs, y))
    return float(GEOD.line_length(lon, lat))


def scale_bar(transformer: pyproj.Transformer, x0: float, y: float, target_m: float) -> tuple[float, float]:
    """A horizontal scale bar starting at (x0, y) whose true length is a round number near ``target_m``.

    Parameters
    ----------
    transformer : pyproj.Transformer
        From the map's projection to lon/lat (``always_xy``).
    x0, y : float
        Start of the bar, projected metres.
    target_m : float
        About how long the bar should be on the ground.

    Returns
    -------
    (float, float)
        The bar's projected end x and its length on the ground, metres (the
        geodesic length of the bar, measured with ``pyproj.Geod`` along it).
    """
    length_m = _nice_length(target_m)
    projected_m = length_m
    for _ in range(4):
        projected_m *= length_m / _ground_length_m(transformer, x0, x0 + projected_m, y)
    return x0 + projected_m, length_m


def _to_projected(geometries, crs) -> np.ndarray:
    """Lon/lat geometries in the map's projection, with pieces split at ±180° joined again.

    Footprints, regions and countries come split at the antimeridian (GeoJSON's
    convention, and Natural Earth's); drawn as they are, the split would show
    as a line along 180°. In the projection the pieces meet, and are joined on a
    1 m grid (far below a pixel).
    """
    lonlat = np.asarray(list(geometries), dtype=object)
    projected = gpd.GeoSeries(lonlat, crs="EPSG:4326").to_crs(crs).values
    if len(lonlat):
        bounds = shapely.bounds(lonlat)
        for i in np.flatnonzero((bounds[:, 0] <= -179.999) | (bounds[:, 2] >= 179.999)):
            parts = flat_parts(projected[i])
            if len(parts) > 1 and shapely.get_dimensions(projected[i]) == 2:
                projected[i] = shapely.union_all(parts, grid_size=_JOIN_GRID_M)
    return np.asarray(projected, dtype=object)


def _join_by_name(names: list[str], geometries: np.ndarray) -> tuple[list[str], np.ndarray]:
    """One geometry per name: the pieces of a country or region that the clip boxes cut apart at ±180° joined."""
    rows: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        rows.setdefault(name, []).append(i)
    joined = [geometries[r[0]] if len(r) == 1
              else shapely.union_all([p for g in geometries[r] for p in flat_parts(g)], grid_size=_JOIN_GRID_M)
              for r in rows.values()]
    return list(rows), np.asarray(joined, dtype=object)


def _view(result: ScenarioResult, crs, aspect_range=_ASPECT_RANGE):
    """Projected box round the footprints and regions of interest, padded, with its aspect clamped."""
    geoms = [f.geometry for f in result.footprints] + [r.geometry for r in result.scenario.regions]
    xmin, ymin, xmax, ymax = shapely.total_bounds(_to_projected(geoms, crs))
    w, h = (xmax - xmin) * (1 + 2 * _VIEW_PAD), (ymax - ymin) * (1 + 2 * _VIEW_PAD)
    aspect = min(max(h / w, aspect_range[0]), aspect_range[1])
    w, h = max(w, h / aspect), max(h, w * aspect)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _lonlat_boxes(view, crs) -> list[tuple[float, float, float, float]]:
    """The view's lon/lat bounds plus a margin, as one box or two (either side of ±180°)."""
    west, south, east, north = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform_bounds(
        *view.bounds, densify_pts=50)
    m = _BASEMAP_MARGIN_DEG
    south, north = max(-90.0, south - m), min(90.0, north + m)
    if west <= east:
        return [(max(-180.0, west - m), south, min(180.0, east + m), north)]
    return [(west - m, south, 180.0, north), (-180.0, south, east + m, north)]


def _basemap(view, crs):
    """Countries and admin-1 regions round the view, clipped, densified and projected (names, geometries)."""
    names = {"countries": [], "regions": []}
    geoms = {"countries": [], "regions": []}
    for box in _lonlat_boxes(view, crs):
        countries, regions = basemap_layers(box)
        for key, layer in (("countries", countries), ("regions", regions)):
            if layer:
                clipped = shapely.segmentize(shapely.clip_by_rect([g for _, g in layer], *box), _SEGMENT_DEG)
                names[key] += [n for n, _ in layer]
                geoms[key] += list(clipped)
    out = {}
    for key in names:
        keep = ~shapely.is_empty(np.array(geoms[key], dtype=object)) if geoms[key] else np.array([], bool)
        projected = _to_projected(np.array(geoms[key], dtype=object)[keep], crs) if keep.any() else np.array([])
        out[key] = _join_by_name(list(np.array(names[key], dtype=object)[keep]), projected)
    return out


def _lon_label(lon_deg: float) -> str:
    """A meridian's label, longitude taken into [-180, 180).

    Examples
    --------
    >>> _lon_label(185.0), _lon_label(180.0), _lon_label(-30.0)
    ('175°W', '180°', '30°W')
    """
    lon = (lon_deg + 180.0) % 360.0 - 180.0
    return "180°" if lon == -180.0 else _degree_label(lon, "E", "W")


def _graticule_step(span_deg: float) -> float:
    return next((s for s in _GRATICULE_STEPS_DEG if span_deg / s <= 7), _GRATICULE_STEPS_DEG[-1])


def _degree_label(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):g}°{positive if value >= 0 else negative}"


def _best_share_by_weapon(result: ScenarioResult) -> dict[str, dict[str, float]]:
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


class _MapBuilder:
    """Builds one static map figure; one method per layer, called in drawing order by :func:`static_figure`."""

    def __init__(self, result: ScenarioResult, width_px: int, dpi: float):
        self.result = result
        self.scenario = result.scenario
        self.crs = map_crs(result)
        self.to_lonlat = pyproj.Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        self.view = _view(result, self.crs)
        self.dpi = dpi
        self.width_in = width_px / dpi
        by_range = sorted(result.footprints, key=lambda f: -f.range_km)
        self.footprints = by_range
        self.colours = style.weapon_colours(f.weapon.id for f in by_range)
        self.weapons = list({f.weapon.id: f.weapon for f in by_range}.values())
        self.obstacles_px: list[tuple[float, float, float]] = []   # (x, y, half size) display px
        self.fixed_boxes_px: list[tuple[float, float, float, float]] = []
        self._label_count = 0

    # --- layout -----------------------------------------------------------------
    def layout(self) -> Figure:
        """The figure: title and subtitle, the map frame, the side panel and the credit line."""
        w_in = self.width_in
        pad = 0.16
        self.panel_w_in = max(2.4, 0.25 * w_in)
        self.map_w_in = map_w_in = w_in - self.panel_w_in - 3 * pad - 0.35
        xmin, ymin, xmax, ymax = self.view.bounds
        map_h_in = map_w_in * (ymax - ymin) / (xmax - xmin)
        title_pt, sub_pt, credit_pt = 16.0, 10.0, 7.0
        chars = int(w_in * 72 / (0.58 * title_pt))
        self.title = wrap_text(self.scenario.title or self.scenario.name, chars, _TITLE_MAX_LINES)
        self.subtitle = wrap_text(self._subtitle(), int(w_in * 72 / (0.55 * sub_pt)), 2)
        self.credits = wrap_text(self._credits(), int(w_in * 72 / (0.6 * credit_pt)), _CREDIT_MAX_LINES)
        top_in = pad + (self.title.count("\n") + 1) * title_pt * 1.3 / 72 + (self.subtitle.count("\n") + 1) \
            * sub_pt * 1.35 / 72 + pad
        bottom_in = 0.3 + (self.credits.count("\n") + 1) * credit_pt * 1.35 / 72 + pad
        h_in = top_in + map_h_in + bottom_in
        # The Agg canvas is attached only once the layers are drawn (see _renderer): geopandas asks the
        # canvas to redraw after every layer, which the default canvas ignores and Agg would do.
        fig = Figure(figsize=(w_in, h_in), dpi=self.dpi, facecolor="white")
        self.fig = fig
        left = (pad + 0.35) / w_in
        self.ax = fig.add_axes((left, bottom_in / h_in, map_w_in / w_in, map_h_in / h_in))
        self.ax.set_xlim(xmin, xmax)
        self.ax.set_ylim(ymin, ymax)
        self.ax.set_facecolor(style.WATER)
        self.ax.set_xticks([])
        self.ax.set_yticks([])
        for spine in self.ax.spines.values():
            spine.set_edgecolor(style.MUTED)
            spine.set_linewidth(0.8)
        self.panel = fig.add_axes(((w_in - pad - self.panel_w_in) / w_in, bottom_in / h_in,
                                   self.panel_w_in / w_in, map_h_in / h_in))
        self.panel.set_axis_off()
        fig.text(pad / w_in, 1 - pad / h_in, self.title, ha="left", va="top", size=title_pt, weight="bold",
                 color=style.INK, parse_math=False)
        fig.text(pad / w_in, 1 - (pad + (self.title.count("\n") + 1) * title_pt * 1.3 / 72) / h_in, self.subtitle,
                 ha="left", va="top", size=sub_pt, color=style.TEXT, parse_math=False)
        fig.text(pad / w_in, pad / h_in, self.credits, ha="left", va="bottom", size=credit_pt, color=style.MUTED,
                 parse_math=False, linespacing=1.35)
        return fig

    def _subtitle(self) -> str:
        s = self.scenario
        launches = "; ".join(clean_text(g.label) for g in s.launches)
        parts = [clean_text(s.date)] if s.date else []
        parts.append(f"Ranges from: {launches}")
        return " · ".join(parts)

    def _credits(self) -> str:
        s = self.scenario
        lon0, lat0 = map_centre_deg(self.result)
        worst = max((f.max_error_m for f in self.result.footprints), default=0.0)
        parts = []
        if s.sources:
            parts.append("Sources: " + "; ".join(clean_text(x) for x in s.sources) + ".")
        parts.append(f"Map data: {REGIONS_CREDIT}. {PLACES_CREDIT}.")
        parts.append(f"Footprints: geodesic on the WGS84 ellipsoid (rangemap), measured max error {worst:.2f} m. "
                     f"Azimuthal equidistant projection centred on {_degree_label(lat0, 'N', 'S')}, "
                     f"{_degree_label(lon0, 'E', 'W')}.")
        for name, note in self._status_notes():
            parts.append(f"{clean_text(name)}: {clean_text(note)}")
        return " ".join(parts)

    def _status_notes(self) -> list[tuple[str, str]]:
        notes = [(r.name, r.status_note) for r in self.scenario.regions if r.status_note]
        if not notes:
            crimea = region("Crimea")
            if _to_projected([crimea.geometry], self.crs)[0].intersects(self.view):
                notes = [(crimea.name, crimea.status_note)]
        return list(dict.fromkeys(notes))

    # --- layers -----------------------------------------------------------------
    def basemap(self):
        """Land, country outlines and admin-1 outlines (Natural Earth) round the view."""
        layers = _basemap(self.view, self.crs)
        # The basemap is a backdrop: detail finer than half a pixel only makes files bigger.
        half_pixel_m = 0.5 * (self.view.bounds[2] - self.view.bounds[0]) / (self.map_w_in * self.dpi)
        self.country_names, countries = layers["countries"]
        self.country_geoms = shapely.simplify(countries, half_pixel_m, preserve_topology=True)
        region_geoms = shapely.simplify(layers["regions"][1], half_pixel_m, preserve_topology=True)
        c = style.COUNTRY
        if len(self.country_geoms):
            gpd.GeoSeries(self.country_geoms).plot(ax=self.ax, facecolor=c.fill, edgecolor="none", zorder=1)
            gpd.GeoSeries(self.country_geoms).boundary.plot(ax=self.ax, color=c.stroke,
                                                            linewidth=px_to_pt(c.stroke_width_px), zorder=5)
        if len(region_geoms):
            a = style.ADMIN1
            gpd.GeoSeries(region_geoms).boundary.plot(ax=self.ax, color=a.colour, linewidth=px_to_pt(a.width_px),
                                                      zorder=4)

    def regions(self):
        """Regions of interest: filled by their best share in range, dashed outline."""
        best = _best_share_by_weapon(self.result)
        r_style = style.REGION
        self.region_geoms = {}
        for r in self.scenario.regions:
            geom = _to_projected([r.geometry], self.crs)[0]
            self.region_geoms[r.name] = geom
            share = max(best.get(r.name, {}).values(), default=0.0)
            series = gpd.GeoSeries([geom])
            series.plot(ax=self.ax, facecolor=matplotlib.colors.to_rgba(style.share_colour(share),
                                                                        r_style.fill_opacity),
                        edgecolor="none", zorder=2)
            series.boundary.plot(ax=self.ax, color=r_style.stroke, linewidth=px_to_pt(r_style.stroke_width_px),
                                 linestyle=(0, tuple(px_to_pt(d) for d in r_style.dash_px)), zorder=6)

    def footprints_and_gains(self):
        """What each longer range adds, then the footprints (fills under every outline), longest first."""
        gain = style.GAIN
        for _launch_id, g in self.result.gains:
            geom = _to_projected([g.geometry], self.crs)[0]
            gpd.GeoSeries([geom]).plot(ax=self.ax, facecolor=matplotlib.colors.to_rgba(gain.fill, gain.fill_opacity),
                                       edgecolor="none", zorder=2.5)
        self.footprint_geoms = _to_projected([f.geometry for f in self.footprints], self.crs)
        for f, geom in zip(self.footprints, self.footprint_geoms):
            fs = style.footprint_style(self.colours[f.weapon.id], f.weapon.name, f.range_km, f.weapon.approximate)
            gpd.GeoSeries([geom]).plot(ax=self.ax, facecolor=matplotlib.colors.to_rgba(fs.fill, fs.fill_opacity),
                                       edgecolor="none", zorder=3)
            gpd.GeoSeries([geom]).boundary.plot(ax=self.ax, color=fs.stroke, linewidth=px_to_pt(fs.stroke_width_px),
                                                zorder=7)

    def launches(self):
        """Launch lines and areas, and launch sites as triangles above everything but labels."""
        points, seen = [], set()
        self.has_launch_line = self.has_launch_area = False
        self.launch_lines = []
        for group in self.scenario.launches:
            for site in group.sites:
                geom = _to_projected([site.geometry], self.crs)[0]
                if geom.geom_type == "Point":
                    key = (round(geom.x), round(geom.y))
                    if key not in seen:
                        seen.add(key)
                        points.append((geom.x, geom.y, clean_text(site.label)))
                    continue
                parts = flat_parts(geom)
                lines = [p for p in parts if p.geom_type in ("LineString", "LinearRing")]
                areas = [p for p in parts if p.geom_type == "Polygon"]
                if lines:
                    self.has_launch_line = True
                    self.launch_lines += lines
                    ls = style.LAUNCH_LINE
                    gpd.GeoSeries(lines).plot(ax=self.ax, color=ls.casing, linewidth=px_to_pt(ls.casing_width_px),
                                              zorder=8, capstyle="round")
                    gpd.GeoSeries(lines).plot(ax=self.ax, color=ls.colour, linewidth=px_to_pt(ls.width_px),
                                              zorder=8.1, capstyle="round")
                if areas:
                    self.has_launch_area = True
                    la = style.LAUNCH_AREA
                    gpd.GeoSeries(areas).plot(ax=self.ax, facecolor=matplotlib.colors.to_rgba(la.fill,
                                                                                             la.fill_opacity),
                                              edgecolor=la.stroke, linewidth=px_to_pt(la.stroke_width_px), zorder=8,
                                              gid=LAUNCH_AREA_GID)
        self.launch_points = points
        if points:
            ms = style.LAUNCH_SITE
            xy = np.array([(x, y) for x, y, _ in points])
            self.ax.scatter(xy[:, 0], xy[:, 1], marker=_MARKERS[ms.shape], s=px_to_pt(ms.size_px) ** 2,
                            facecolor=ms.fill, edgecolor=ms.stroke, linewidth=px_to_pt(ms.stroke_width_px), zorder=10)
            self._add_obstacles(xy, ms.size_px / 2 + 1)

    def places(self):
        """Places in range inside the view as circles sized by population (a launch site's own place is left to it)."""
        places = self.result.places
        self.place_rows = pd.DataFrame(columns=["name", "population", "x", "y"])
        if places.empty:
            return
        grouped = places.groupby(["name", "lon", "lat"], as_index=False, sort=False).population.max()
        x, y = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True).transform(
            grouped.lon.to_numpy(), grouped.lat.to_numpy())
        grouped = grouped.assign(x=x, y=y)
        inside = shapely.contains_xy(self.view, x, y)
        if self.launch_points:
            sites = np.array([(px, py) for px, py, _ in self.launch_points])
            nearest_m = np.min(np.hypot(x[:, None] - sites[None, :, 0], y[:, None] - sites[None, :, 1]), axis=1)
            inside &= nearest_m > 1000.0   # a launch site that is also a place is drawn and labelled once
        rows = grouped[inside].sort_values("population", ascending=False, kind="stable")
        self.place_rows = rows
        ps = style.PLACE
        radius_px = np.array([style.place_radius_px(p) for p in rows.population])
        self.ax.scatter(rows.x, rows.y, marker=_MARKERS[ps.shape], s=(2 * px_to_pt(radius_px)) ** 2,
                        facecolor=ps.fill, edgecolor=ps.stroke, linewidth=px_to_pt(ps.stroke_width_px), zorder=9)
        self._add_obstacles(rows[["x", "y"]].to_numpy(), radius_px + 1)

    def graticule(self):
        """Meridians and parallels, labelled outside the frame (bottom and left)."""
        box = self.view
        boxes = _lonlat_boxes(box, self.crs)
        west, south, east, north = boxes[0]
        if len(boxes) == 2:   # across ±180°: run the meridians on past 180
            east = boxes[1][2] + 360.0
        step = _graticule_step(max(east - west, north - south))
        to_map = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        xmin, ymin, xmax, ymax = box.bounds
        bottom, left = shapely.LineString([(xmin, ymin), (xmax, ymin)]), shapely.LineString([(xmin, ymin),
                                                                                                (xmin, ymax)])
        lats = np.arange(max(-89.0, south), min(89.0, north) + 0.25, 0.25)
        lons = np.arange(west, east + 0.25, 0.25)
        kw = dict(color=style.GRATICULE.colour, linewidth=px_to_pt(style.GRATICULE.width_px), alpha=0.7, zorder=4.5)
        label_kw = dict(size=7, color=style.MUTED, parse_math=False, clip_on=False)
        for lon in np.arange(np.ceil(west / step) * step, east + 1e-9, step):
            line = shapely.LineString(np.column_stack(to_map.transform(np.full_like(lats, lon), lats)))
            self.ax.plot(*np.asarray(line.coords).T, **kw)
            hit = line.intersection(bottom)
            if not hit.is_empty:
                px = shapely.get_coordinates(hit)[0, 0]
                self.ax.annotate(_lon_label(lon), (px, ymin), xytext=(0, -3), textcoords="offset points",
                                 ha="center", va="top", gid=self._gid("graticule"), **label_kw)
        for lat in np.arange(np.ceil(south / step) * step, north + 1e-9, step):
            line = shapely.LineString(np.column_stack(to_map.transform(lons, np.full_like(lons, lat))))
            self.ax.plot(*np.asarray(line.coords).T, **kw)
            hit = line.intersection(left)
            if not hit.is_empty:
                py = shapely.get_coordinates(hit)[0, 1]
                self.ax.annotate(_degree_label(lat, "N", "S"), (xmin, py), xytext=(-3, 0), textcoords="offset points",
                                 ha="right", va="center", gid=self._gid("graticule"), **label_kw)
        self.ax.set_xlim(xmin, xmax)
        self.ax.set_ylim(ymin, ymax)

    def scale_bar(self):
        """A scale bar at the bottom left whose length on the ground is a round number (see :func:`scale_bar`)."""
        xmin, ymin, xmax, ymax = self.view.bounds
        x0, y = xmin + 0.03 * (xmax - xmin), ymin + 0.035 * (ymax - ymin)
        x1, length_m = scale_bar(self.to_lonlat, x0, y, 0.2 * (xmax - xmin))
        sb, ls = style.SCALE_BAR, style.SCALE_BAR_LABEL
        casing = [patheffects.Stroke(linewidth=px_to_pt(sb.casing_width_px), foreground=sb.casing),
                  patheffects.Normal()]
        self.ax.plot([x0, x1], [y, y], color=sb.colour, linewidth=px_to_pt(sb.width_px), solid_capstyle="butt",
                     zorder=13, path_effects=casing, gid=SCALE_BAR_GID)
        label = self.ax.annotate(f"{length_m / 1000:g} km", ((x0 + x1) / 2, y), xytext=(0, 5),
                                 textcoords="offset points", ha="center", va="bottom", size=px_to_pt(ls.size_px),
                                 weight=ls.weight, color=ls.colour, zorder=13, parse_math=False,
                                 gid=self._gid("scalebar"))
        self._halo(label, ls)
        renderer = self._renderer()
        bar = self.ax.transData.transform([(x0, y), (x1, y)])
        text_box = label.get_window_extent(renderer)
        self._add_fixed_box((min(bar[0, 0], text_box.x0) - 4, bar[0, 1] - 6, max(bar[1, 0], text_box.x1) + 4,
                             text_box.y1 + 2))

    # --- labels -----------------------------------------------------------------
    def ring_labels(self):
        """Label each footprint's ring with its range, on the ring, far from other rings and symbols."""
        to_px = self.ax.transData.transform
        rings_px = [shapely.transform(max(polygons(g), key=lambda p: p.area).exterior, to_px)
                    for g in self.footprint_geoms]
        frame = self.ax.get_window_extent(self._renderer())
        inset = 4.0
        frame_px = (frame.x0 + inset, frame.y0 + inset, frame.x1 - inset, frame.y1 - inset)
        symbols_px = np.array(self.obstacles_px).reshape(-1, 3)[:, :2]
        for i, (f, ring) in enumerate(zip(self.footprints, rings_px)):
            ls = style.ring_label_style(self.colours[f.weapon.id])
            text = style.ring_label(f.range_km)
            spot = ring_label_spot(ring, rings_px[:i] + rings_px[i + 1:], symbols_px, self._text_size_px(text, ls),
                                   frame_px, self.fixed_boxes_px)
            if spot is None:
                continue
            (x, y), box = spot
            t = self.ax.text(*self.ax.transData.inverted().transform((x, y)), text, ha="center", va="center",
                             size=px_to_pt(ls.size_px), weight=ls.weight, color=ls.colour, zorder=12,
                             parse_math=False, gid=self._gid("ring"))
            self._halo(t, ls)
            self._add_fixed_box(box)

    def free_labels(self):
        """Launch sites (always drawn), then big places, then regions, then countries and the other places.

        Launch sites are placed by ``textalloc``; one it cannot place is drawn at
        :func:`rangemap.outputs.labels.fallback_point_label_box`. A region's label goes
        where its whole box fits inside the region clear of the symbols, the
        launch lines and the labels before it
        (:func:`rangemap.outputs.labels.area_label_spot`); where no such spot exists
        ``textalloc`` tries from :func:`rangemap.outputs.labels.clear_anchor`, and the
        label is kept only if :data:`_AREA_LABEL_MIN_INSIDE` of it lies in the
        region (the shares table names every region).
        """
        launch = self._launch_labels()
        first = self._allocate(launch)
        self._fix_boxes([t for t in first if t is not None])
        for i, label in enumerate(launch):
            if first[i] is None:
                first[i] = self._draw_fallback(label)
                self._fix_boxes([first[i]])
        major = [t for t in self._allocate(self._place_labels(_MAJOR_PLACE_POPULATION, None)) if t is not None]
        self._fix_boxes(major)
        boxes = [shapely.box(*self.ax.transData.inverted().transform(t.get_window_extent(self._renderer())
                                                                     .get_points()).ravel()) for t in first + major]
        leftover = [label for label in self._region_labels(boxes) if not self._place_inside(label)]
        for label, t in zip(leftover, self._allocate(leftover)):
            if t is not None and self._share_inside(t, label.key) < _AREA_LABEL_MIN_INSIDE:
                self._remove_label(t)
            elif t is not None:
                self._fix_boxes([t])
        last = self._country_labels() + self._place_labels(None, _MAJOR_PLACE_POPULATION)
        texts = self._allocate(last)
        self._fix_boxes([t for t in texts if t is not None])
        crowded = [label for label, t in zip(last, texts) if t is None and label.kind == "place"]
        self._allocate(crowded, max_distance=_LEADER_MAX_DISTANCE, leader=True)

    def _share_inside(self, text, region_name: str) -> float:
        """Share of a drawn label's box that lies inside the named region of interest."""
        corners = self.ax.transData.inverted().transform(text.get_window_extent(self._renderer()).get_points())
        box = shapely.box(*corners.ravel())
        return float(box.intersection(self.region_geoms[region_name]).area / box.area) if box.area else 0.0

    def _remove_label(self, text):
        """Take a drawn label and its halo off the map."""
        halo_gid = f"{HALO_GID}-{text.get_gid()}"
        for t in [t for t in self.ax.texts if t.get_gid() == halo_gid] + [text]:
            t.remove()

    def _fix_boxes(self, texts):
        """Keep later labels 2 px off these texts."""
        for text in texts:
            box = text.get_window_extent(self._renderer())
            self._add_fixed_box((box.x0 - 2, box.y0 - 2, box.x1 + 2, box.y1 + 2))

    def _draw_fallback(self, label: _Label):
        """Draw a point label that textalloc could not place at the least crowded spot beside its symbol.

        The spot is :func:`rangemap.outputs.labels.fallback_point_label_box`; a label
        that lands more than :data:`rangemap.outputs.labels.LEADER_GAPS` gaps from its
        symbol is tied to it by a leader line.
        """
        frame = self.ax.get_window_extent(self._renderer())
        inset = 3.0
        to_px = self.ax.transData.transform
        anchor = to_px((label.x, label.y))
        gap_px = style.LAUNCH_SITE.size_px / 2 + 3
        box = fallback_point_label_box(anchor, self._text_size_px(label.text, label.style), gap_px,
                                       (frame.x0 + inset, frame.y0 + inset, frame.x1 - inset, frame.y1 - inset),
                                       np.array(self.obstacles_px).reshape(-1, 3), self.fixed_boxes_px,
                                       [shapely.transform(line, to_px) for line in self.launch_lines])
        ls = label.style
        near = np.clip(anchor, box[:2], box[2:])
        if np.hypot(*(near - anchor)) > LEADER_GAPS * gap_px:
            self.ax.plot(*self.ax.transData.inverted().transform([anchor, near]).T, color=style.TEXT,
                         linewidth=px_to_pt(1.0), zorder=8.5)
        t = self.ax.text(*self.ax.transData.inverted().transform(box[:2]), label.text, ha="left", va="bottom",
                         size=px_to_pt(ls.size_px), weight=ls.weight, color=ls.colour, zorder=12, parse_math=False,
                         gid=self._gid(label.kind), clip_on=True)
        self._halo(t, ls)
        return t

    def _place_inside(self, label: _Label) -> bool:
        """Draw an area label at the best spot inside its area, if there is one; say whether it was drawn.

        The label's box is padded by each of :data:`_AREA_LABEL_PADS_PX` in turn
        until a spot is found (a small region squeezed by a launch line along
        its border may only take the tight box).
        """
        to_px = self.ax.transData.transform
        w, h = self._text_size_px(label.text, label.style)
        area_px = shapely.transform(self.region_geoms[label.key].intersection(self.view), to_px)
        lines_px = [shapely.transform(line, to_px) for line in self.launch_lines]
        obstacles = np.array(self.obstacles_px).reshape(-1, 3)
        spot = next((s for s in (area_label_spot(area_px, (w + pad_x, h + pad_y), obstacles, lines_px)
                                 for pad_x, pad_y in _AREA_LABEL_PADS_PX) if s is not None), None)
        if spot is None:
            return False
        (x, y), box = spot
        t = self.ax.text(*self.ax.transData.inverted().transform((x, y)), label.text, ha="center", va="center",
                         size=px_to_pt(label.style.size_px), weight=label.style.weight, color=label.style.colour,
                         zorder=12, parse_math=False, gid=self._gid(label.kind), clip_on=True)
        self._halo(t, label.style)
        self._add_fixed_box(box)
        return True

    def _allocate(self, labels: list[_Label], max_distance: float = 0.035, leader: bool = False) -> list:
        """Place labels with textalloc clear of each other, the symbols, launch lines and fixed boxes.

        ``max_distance`` is the farthest a label may sit from its anchor (share
        of the frame); with ``leader`` a thin line joins each label to its anchor.

        Returns the drawn texts in the order of ``labels``, None for a label left out.
        """
        if not labels:
            return []
        min_distance, renderer = 0.004, self._renderer()
        frame = self.ax.get_window_extent(renderer)
        fig_w, fig_h = self.fig.get_size_inches()
        dx, dy = frame.width * min_distance, frame.height * min_distance * fig_w / fig_h
        xs, ys = [], []
        for label in labels:
            px, py = self.ax.transData.transform((label.x, label.y))
            if label.centred:   # textalloc's first candidate box starts (dx, dy) from the anchor
                w, h = self._text_size_px(label.text, label.style)
                px, py = px - w / 2 - dx, py - h / 2 - dy
            x, y = self.ax.transData.inverted().transform((px, py))
            xs.append(x)
            ys.append(y)
        obstacles = np.array(self.obstacles_px).reshape(-1, 3)
        data_xy = self.ax.transData.inverted().transform(obstacles[:, :2]) if len(obstacles) else None
        tolerance_m = (self.view.bounds[2] - self.view.bounds[0]) / frame.width   # one pixel
        line_xy = [np.asarray(shapely.simplify(line, tolerance_m).coords) for line in self.launch_lines]
        with contextlib.redirect_stdout(io.StringIO()):   # textalloc prints when it places nothing
            _, _, texts, _ = textalloc.allocate(
                self.ax, xs, ys, [lb.text for lb in labels],
                x_lines=[xy[:, 0] for xy in line_xy] or None, y_lines=[xy[:, 1] for xy in line_xy] or None,
                x_scatter=None if data_xy is None else data_xy[:, 0],
                y_scatter=None if data_xy is None else data_xy[:, 1],
                scatter_sizes=None if data_xy is None else obstacles[:, 2],
                textsize=[px_to_pt(lb.style.size_px) for lb in labels],
                fontweight=[lb.style.weight for lb in labels], textcolor=[lb.style.colour for lb in labels],
                margin=0.004, min_distance=min_distance, max_distance=max_distance, nbr_candidates=200,
                draw_lines=leader, linecolor=style.TEXT, linewidth=px_to_pt(1.0), avoid_label_lines_overlap=leader,
                avoid_crossing_label_lines=leader, plot_kwargs={"zorder": 8.5}, draw_all=False, va="bottom",
                parse_math=False, zorder=12, clip_on=True)
        for label, t in zip(labels, texts):
            if t is not None:
                t.set_gid(self._gid(label.kind))
                self._halo(t, label.style)
        return list(texts)

    def _region_labels(self, label_boxes) -> list[_Label]:
        """Each region of interest's name, centred where its box fits inside the region clear of other things."""
        ls = style.REGION_LABEL
        metres_per_px = (self.view.bounds[2] - self.view.bounds[0]) / self.ax.get_window_extent(self._renderer()).width
        symbols = [(x, y) for x, y, _ in self.launch_points] + list(zip(self.place_rows.x, self.place_rows.y))
        avoid = list(shapely.points(np.asarray(symbols, dtype=float).reshape(-1, 2))) + self.launch_lines + label_boxes
        out = []
        for name, geom in self.region_geoms.items():
            visible = geom.intersection(self.view)
            if visible.is_empty:
                continue
            text = style.label_text(clean_text(name), ls)
            w_px, h_px = self._text_size_px(text, ls)
            box_m = ((w_px + 16) * metres_per_px, (h_px + 16) * metres_per_px)
            anchor = clear_anchor(max(polygons(visible), key=lambda p: p.area), avoid, box_m)
            out.append(_Label("region", text, anchor.x, anchor.y, ls, True, key=name))
        return out

    def _launch_labels(self) -> list[_Label]:
        """Launch site labels, long ones wrapped to lines of :data:`_LAUNCH_LABEL_CHARS`."""
        return [_Label("launch", wrap_text(text, _LAUNCH_LABEL_CHARS, _LAUNCH_LABEL_MAX_LINES), x, y,
                       style.LAUNCH_LABEL, False) for x, y, text in self.launch_points]

    def _country_labels(self) -> list[_Label]:
        out = []
        view_area = self.view.area
        for name, geom in zip(self.country_names, self.country_geoms):
            visible = shapely.make_valid(geom).intersection(self.view)
            parts = polygons(visible)
            if not parts or visible.area < 0.03 * view_area:
                continue
            anchor = shapely.ops.polylabel(max(parts, key=lambda p: p.area), tolerance=2000.0)
            text = style.label_text(clean_text(name), style.COUNTRY_LABEL)
            out.append(_Label("country", text, anchor.x, anchor.y, style.COUNTRY_LABEL, True))
        return sorted(out, key=lambda lb: -len(lb.text))

    def _place_labels(self, min_population: float | None, below_population: float | None) -> list[_Label]:
        """Labels of the places in range with ``min_population <= population < below_population``, biggest first."""
        pop = self.place_rows.population
        keep = np.ones(len(pop), dtype=bool)
        if min_population is not None:
            keep &= pop.to_numpy() >= min_population
        if below_population is not None:
            keep &= pop.to_numpy() < below_population
        return [_Label("place", clean_text(row.name), row.x, row.y, style.place_label_style(row.population), False)
                for row in self.place_rows[keep].itertuples()]

    # --- legend panel ---------------------------------------------------------------
    def legend(self):
        """The key, from :func:`rangemap.outputs.style.legend_entries`, then the shares table and the notes."""
        width_chars = int(self.panel_w_in * 72 / (0.55 * 8.0)) - 6
        entries = style.legend_entries(self.weapons, gains=bool(self.result.gains),
                                       regions=bool(self.scenario.regions), launch_sites=bool(self.launch_points),
                                       launch_lines=self.has_launch_line, launch_areas=self.has_launch_area,
                                       places=bool(len(self.place_rows)), min_population=self.scenario.min_population)
        handles = [_legend_handle(e) for e in entries]
        texts = [wrap_text(e.text, width_chars, 2) + (f"\n{wrap_text(e.note, width_chars, 3)}" if e.note else "")
                 for e in entries]
        leg = self.panel.legend(handles, texts, loc="upper left", bbox_to_anchor=(0, 1), frameon=False, fontsize=8,
                                handler_map={tuple: HandlerTuple(ndivide=None, pad=0)}, handlelength=2.6,
                                handleheight=1.4, labelspacing=0.9, borderaxespad=0, title="Key",
                                title_fontproperties={"weight": "bold", "size": 9}, alignment="left")
        for t in leg.get_texts():
            t.set_parse_math(False)
        self._shares_block(leg, width_chars)

    def _shares_block(self, leg, width_chars: int):
        """Below the key: a table of each region's share in range per weapon, then the scenario's notes."""
        renderer = self._renderer()
        y = leg.get_window_extent(renderer).transformed(self.panel.transAxes.inverted()).y0 - 0.03
        best = _best_share_by_weapon(self.result)
        weapons = self.weapons[:_MAX_SHARE_COLUMNS]
        if best:
            y = self._panel_text(y, "Share of each region in range", size=9, weight="bold", color=style.INK)
            column = 0.22
            name_w = 1.0 - column * len(weapons)
            rows = [("Region", [style.ring_label(w.range_km) for w in weapons], "bold")]
            rows += [(name, [f"{best[name][w.id]:.1%}" if w.id in best[name] else "–" for w in weapons], "normal")
                     for name in (r.name for r in self.scenario.regions) if name in best]
            for name, cells, weight in rows:
                name_chars = int(width_chars * name_w)
                bottoms = [self._panel_text(y - 0.006, _truncate(clean_text(name), name_chars), size=8,
                                            weight=weight, color=style.TEXT)]
                bottoms += [self._panel_text(y - 0.006, cell, x=name_w + column * (j + 1) - 0.01, ha="right",
                                             size=8, weight=weight, color=style.TEXT) for j, cell in enumerate(cells)]
                y = min(bottoms)
            y = self._panel_text(y - 0.008, "Largest share from any one launch group.", size=7, color=style.MUTED)
        if self.scenario.notes:
            y = self._panel_text(y - 0.03, "About this map", size=9, weight="bold", color=style.INK)
            line_frac = 8 * 1.4 / 72 / (self.panel.get_position().height * self.fig.get_size_inches()[1])
            lines = int((y - 0.01) / line_frac)
            if lines > 0:
                self._panel_text(y - 0.006, wrap_text(self.scenario.notes, width_chars + 4, lines), size=8,
                                 color=style.TEXT, linespacing=1.4)

    def _panel_text(self, y: float, text: str, x: float = 0.0, ha: str = "left", **kw) -> float:
        """Text in the side panel with its top at ``y`` (axes fraction); returns where its bottom falls."""
        t = self.panel.text(x, y, text, transform=self.panel.transAxes, ha=ha, va="top", parse_math=False, **kw)
        return float(t.get_window_extent(self._renderer()).transformed(self.panel.transAxes.inverted()).y0)

    # --- helpers ------------------------------------------------------------------
    def _gid(self, kind: str) -> str:
        """A unique id for a label (SVG ids must be unique): ``rangemap-label-<kind>-<n>``."""
        self._label_count += 1
        return f"{LABEL_GID}-{kind}-{self._label_count}"

    def _renderer(self):
        if not isinstance(self.fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(self.fig)
        return self.fig.canvas.get_renderer()

    def _text_size_px(self, text: str, ls: style.LabelStyle) -> tuple[float, float]:
        t = self.ax.text(0, 0, text, size=px_to_pt(ls.size_px), weight=ls.weight, parse_math=False, va="bottom")
        box = t.get_window_extent(self._renderer())
        t.remove()
        return box.width, box.height

    def _halo(self, text, ls: style.LabelStyle):
        """A copy of ``text`` under it, stroked in the halo colour (the text itself stays text in SVG)."""
        if isinstance(text, Annotation):
            halo = self.ax.annotate(text.get_text(), text.xy, xycoords=text.xycoords, xytext=text.xyann,
                                    textcoords=text.anncoords)
        else:
            halo = self.ax.text(*text.get_position(), text.get_text(), transform=text.get_transform())
        halo.update({"ha": text.get_ha(), "va": text.get_va(), "size": text.get_size(), "weight": text.get_weight(),
                     "color": ls.halo, "zorder": text.get_zorder() - 0.5, "gid": f"{HALO_GID}-{text.get_gid()}",
                     "parse_math": False,
                     "clip_on": text.get_clip_on(), "linespacing": text.get_linespacing(),
                     "path_effects": [patheffects.Stroke(linewidth=2 * px_to_pt(ls.halo_width_px),
                                                         foreground=ls.halo)]})

    def _add_obstacles(self, xy_data: np.ndarray, half_size_px):
        xy_px = self.ax.transData.transform(np.asarray(xy_data, dtype=float).reshape(-1, 2))
        sizes = np.broadcast_to(np.asarray(half_size_px, dtype=float), (len(xy_px),))
        self.obstacles_px += [(x, y, s) for (x, y), s in zip(xy_px, sizes)]

    def _add_fixed_box(self, box_px):
        """Keep other labels off a box (display px): textalloc avoids squares that tile it."""
        self.fixed_boxes_px.append(tuple(box_px))
        self.obstacles_px += [tuple(row) for row in tile_box(box_px)]


def _legend_handle(entry: style.LegendEntry):
    """A legend swatch drawn as the map draws the entry (fill as it shows over land, real outline and symbol)."""
    st = entry.style
    if entry.kind == "region":
        return tuple(Patch(facecolor=colour, edgecolor=st.stroke, linewidth=px_to_pt(st.stroke_width_px) * 0.6,
                           linestyle=(0, tuple(px_to_pt(d) * 0.4 for d in st.dash_px))) for colour in entry.swatches)
    if isinstance(st, style.AreaStyle) and entry.swatches:
        return Patch(facecolor=entry.swatches[0], edgecolor=st.stroke or "none",
                     linewidth=px_to_pt(st.stroke_width_px))
    if isinstance(st, style.MarkerStyle):
        size_px = st.size_px if st.shape == "triangle" else 2 * style.place_radius_px(1_000_000)
        return Line2D([], [], linestyle="none", marker=_MARKERS[st.shape], markersize=px_to_pt(size_px),
                      markerfacecolor=st.fill, markeredgecolor=st.stroke, markeredgewidth=px_to_pt(st.stroke_width_px))
    if isinstance(st, style.AreaStyle):   # an outline only (country borders)
        return Line2D([], [], color=st.stroke, linewidth=px_to_pt(st.stroke_width_px))
    casing = ([patheffects.Stroke(linewidth=px_to_pt(st.casing_width_px), foreground=st.casing), patheffects.Normal()]
              if st.casing else None)
    return Line2D([], [], color=st.colour, linewidth=px_to_pt(st.width_px), path_effects=casing)


def figure_size(width_px: int | None = None, dpi: float | None = None) -> tuple[int, float]:
    """Raster width and resolution of a static map.

    The layout is designed for a sheet :data:`DESIGN_WIDTH_IN` inches wide with
    text sized in points: by default 1600 px at 160 dpi. Give only ``width_px``
    (or only ``dpi``) and the other follows, keeping that sheet; give both and
    the sheet is ``width_px / dpi`` inches (narrower sheets fit fewer labels).

    Parameters
    ----------
    width_px : int, optional
        200 to 20,000.
    dpi : float, optional
        20 to 1,200.

    Returns
    -------
    (int, float)

    Raises
    ------
    InvalidInputError
        For a width or dpi out of range or of the wrong type.

    Examples
    --------
    >>> figure_size(), figure_size(3000), figure_size(dpi=300), figure_size(800, 160)
    ((1600, 160.0), (3000, 300.0), (3000, 300.0), (800, 160.0))
    """
    if width_px is not None and not (isinstance(width_px, (int, np.integer)) and not isinstance(width_px, bool)
                                     and 200 <= width_px <= 20_000):
        raise InvalidInputError(f"width_px: {width_px!r} is not a whole number of pixels from 200 to 20,000")
    if dpi is not None and not (isinstance(dpi, (int, float, np.number)) and not isinstance(dpi, bool)
                                and 20 <= float(dpi) <= 1200):
        raise InvalidInputError(f"dpi: {dpi!r} is not a number from 20 to 1,200")
    if width_px is None and dpi is None:
        return DEFAULT_WIDTH_PX, float(DEFAULT_WIDTH_PX / DESIGN_WIDTH_IN)
    if dpi is None:
        return int(width_px), float(width_px / DESIGN_WIDTH_IN)
    if width_px is None:
        return int(round(float(dpi) * DESIGN_WIDTH_IN)), float(dpi)
    return int(width_px), float(dpi)


def static_figure(result: ScenarioResult, *, width_px: int | None = None, dpi: float | None = None) -> Figure:
    """The scenario's static map as a matplotlib Figure (for a notebook, or to save yourself).

    Parameters
    ----------
    result : ScenarioResult
    width_px : int, optional
        Width of the raster image, pixels (default 1600, which fits a web page).
    dpi : float, optional
        Pixels per inch (default: ``width_px / 10``). See :func:`figure_size`;
        for print, e.g. ``dpi=300`` (a 3000 px wide image of the same layout).

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot (no global state); label texts carry a gid
        starting with ``"rangemap-label"``.
    """
    width_px, dpi = figure_size(width_px, dpi)
    with matplotlib.rc_context(_RC):
        builder = _MapBuilder(result, width_px, dpi)
        builder.layout()
        builder.basemap()
        builder.regions()
        builder.footprints_and_gains()
        builder.launches()
        builder.places()
        builder.graticule()
        builder.scale_bar()
        builder.ring_labels()
        builder.free_labels()
        builder.legend()
        builder.ax.set_xlabel("")
        builder.ax.set_ylabel("")
    return builder.fig


def _save(fig: Figure, target, fmt: str) -> None:
    metadata = {"Creator": "rangemap"} if fmt == "png" else {"Creator": "rangemap", "Date": None}
    with matplotlib.rc_context(_RC):
        fig.savefig(target, format=fmt, dpi=fig.dpi, metadata=metadata, facecolor="white")


class StaticImage:
    """A rendered PNG that shows itself inline in Jupyter (whatever matplotlib backend is active).

    Parameters
    ----------
    png : bytes
    """

    def __init__(self, png: bytes):
        self.png = png

    def _repr_png_(self) -> bytes:
        return self.png


def show_static(result: ScenarioResult, *, width_px: int = 900) -> StaticImage:
    """The static map for a notebook cell: a small PNG (900 px wide by default) of the same layout.

    Parameters
    ----------
    result : ScenarioResult
    width_px : int, optional

    Returns
    -------
    StaticImage
    """
    buffer = io.BytesIO()
    _save(static_figure(result, width_px=width_px), buffer, "png")
    return StaticImage(buffer.getvalue())


def static_format(path: Path | str, fmt: str | None = None) -> str:
    """The output format: ``fmt`` if given, else the file's suffix.

    Raises
    ------
    InvalidInputError
        For anything but png, svg and pdf.
    """
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise InvalidInputError(f"{path}: cannot tell a static map format from {fmt or Path(path).suffix!r}; "
                                f"use one of {', '.join(FORMATS)}")
    return chosen


def static_map(result: ScenarioResult, path: Path | str, *, fmt: str | None = None, width_px: int | None = None,
               dpi: float | None = None) -> Path:
    """Write the scenario's static map to a PNG, SVG or PDF file (atomically).

    Parameters
    ----------
    result : ScenarioResult
    path : path-like
    fmt : {"png", "svg", "pdf"}, optional
        Defaults to the file's suffix.
    width_px, dpi : optional
        Default 1600 px at 160 dpi; see :func:`figure_size`.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    fmt = static_format(path, fmt)
    fig = static_figure(result, width_px=width_px, dpi=dpi)
    return atomic_write(path, lambda tmp: _save(fig, tmp, fmt))


__all__ = ["DEFAULT_WIDTH_PX", "DESIGN_WIDTH_IN", "FORMATS", "StaticImage", "clean_text", "figure_size",
           "map_centre_deg", "map_crs", "scale_bar", "show_static", "static_figure", "static_format", "static_map",
           "wrap_text"]
