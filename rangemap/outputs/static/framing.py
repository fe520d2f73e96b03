"""The static map's frame: projection, view, sheet size, canvas, scale bar and graticule.

The map is drawn in an azimuthal equidistant projection centred on the
footprints (:func:`map_centre_deg`), over a box round the footprints and the
regions of interest (:func:`view_box`). :func:`make_canvas` lays out the sheet
once (title, map frame, side panel, credit line) and hands back a frozen
:class:`Canvas` that every layer draws on. The scale bar is true in the
projection: its length is measured with ``pyproj.Geod`` along the bar.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rangemap.errors import InvalidInputError
from rangemap.geodesy.antimeridian import join_split_pieces, touches_antimeridian
from rangemap.geodesy.bounds import GEOD, aeqd_crs
from rangemap.geodesy.nearest import mean_point_deg
from rangemap.geodesy.parts import flat_parts
from rangemap.model.results import ScenarioResult
from rangemap.outputs import style
from rangemap.outputs.labels import tile_box
from rangemap.outputs.static.text import draw_halo
from rangemap.outputs.style import px_to_pt

DEFAULT_WIDTH_PX = 1600
DESIGN_WIDTH_IN = 10.0
LABEL_GID = "rangemap-label"
SCALE_BAR_GID = "rangemap-scalebar"
_VIEW_PAD = 0.04                 # share of the content's extent added round it
_ASPECT_RANGE = (0.55, 1.15)     # map height / width
_BASEMAP_MARGIN_DEG = 2.0
_JOIN_GRID_M = 1.0
_NICE_STEPS = (1.0, 2.0, 2.5, 5.0)
_GRATICULE_STEPS_DEG = (0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0)
_PAD_IN = 0.16
TITLE_PT, SUBTITLE_PT, CREDIT_PT = 16.0, 10.0, 7.0


@dataclass(frozen=True)
class Canvas:
    """Everything a layer draws on, made once by :func:`make_canvas`.

    Attributes
    ----------
    fig : Figure
    ax : Axes
        The map frame, in projected metres.
    panel : Axes
        The side panel (key, shares table, notes).
    crs : pyproj.CRS
        The map's projection.
    to_lonlat : pyproj.Transformer
        From the projection to lon/lat (``always_xy``).
    view : shapely.Polygon
        The frame's box, projected metres.
    map_w_in, panel_w_in : float
        Widths of the map frame and of the side panel, inches.
    """

    fig: Figure
    ax: Axes
    panel: Axes
    crs: pyproj.CRS
    to_lonlat: pyproj.Transformer
    view: shapely.Polygon
    map_w_in: float
    panel_w_in: float
    _label_numbers: itertools.count = field(default_factory=lambda: itertools.count(1), repr=False, compare=False)

    def renderer(self) -> RendererBase:
        """The Agg renderer, attached on first use.

        Attached only once the layers are drawn: geopandas asks the canvas to
        redraw after every layer, which the default canvas ignores and Agg would do.
        """
        canvas = self.fig.canvas
        if not isinstance(canvas, FigureCanvasAgg):
            canvas = FigureCanvasAgg(self.fig)
        return canvas.get_renderer()

    def gid(self, kind: str) -> str:
        """A unique id for a label (SVG ids must be unique): ``rangemap-label-<kind>-<n>``."""
        return f"{LABEL_GID}-{kind}-{next(self._label_numbers)}"

    def metres_per_px(self) -> float:
        """Projected metres per display pixel across the frame."""
        return (self.view.bounds[2] - self.view.bounds[0]) / self.ax.get_window_extent(self.renderer()).width


@dataclass(frozen=True)
class Obstacles:
    """What labels must keep off, in display pixels, in the order it was drawn.

    Attributes
    ----------
    points_px : numpy.ndarray
        Shape ``(n, 3)``: ``(x, y, half size)`` squares (symbols, and the tiles of the boxes).
    boxes_px : tuple of (float, float, float, float)
        Fixed boxes (ring labels, the scale bar, labels already placed).
    """

    points_px: np.ndarray = field(default_factory=lambda: np.empty((0, 3)))
    boxes_px: tuple = ()

    def with_points(self, xy_px: np.ndarray, half_size_px: float | np.ndarray) -> "Obstacles":
        """These obstacles and squares of ``half_size_px`` centred on ``xy_px``."""
        xy_px = np.asarray(xy_px, dtype=float).reshape(-1, 2)
        sizes = np.broadcast_to(np.asarray(half_size_px, dtype=float), (len(xy_px),))
        return Obstacles(np.vstack([self.points_px, np.column_stack([xy_px, sizes])]), self.boxes_px)

    def with_boxes(self, boxes_px: list | tuple) -> "Obstacles":
        """These obstacles and the fixed boxes ``boxes_px``: textalloc avoids squares that tile each one."""
        boxes = tuple(tuple(b) for b in boxes_px)
        tiles = [tile_box(b) for b in boxes]
        return Obstacles(np.vstack([self.points_px, *tiles]) if tiles else self.points_px, self.boxes_px + boxes)

    def __add__(self, other: "Obstacles") -> "Obstacles":
        return Obstacles(np.vstack([self.points_px, other.points_px]), self.boxes_px + other.boxes_px)


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
    lon, lat = mean_point_deg(coords[:, 0], coords[:, 1])
    return round(lon, 4), round(lat, 4)


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


def to_projected(geometries, crs: pyproj.CRS) -> np.ndarray:
    """Lon/lat geometries in the map's projection, with pieces split at ±180° joined again.

    Footprints, regions and countries come split at the antimeridian (GeoJSON's
    convention, and Natural Earth's); drawn as they are, the split would show
    as a line along 180°. In the projection the pieces meet, and are joined on a
    1 m grid (far below a pixel).

    Parameters
    ----------
    geometries : sequence of shapely.Geometry
        Lon/lat degrees.
    crs : pyproj.CRS

    Returns
    -------
    numpy.ndarray of shapely.Geometry
    """
    lonlat = np.asarray(list(geometries), dtype=object)
    projected = np.asarray(gpd.GeoSeries(lonlat, crs="EPSG:4326").to_crs(crs).values, dtype=object)
    if len(lonlat):
        for i in np.flatnonzero(touches_antimeridian(lonlat)):
            if len(flat_parts(projected[i])) > 1 and shapely.get_dimensions(projected[i]) == 2:
                projected[i] = join_split_pieces(projected[i], _JOIN_GRID_M)
    return projected


def join_by_name(names: list[str], geometries: np.ndarray) -> tuple[list[str], np.ndarray]:
    """One geometry per name: the pieces of a country or region that the clip boxes cut apart at ±180° joined."""
    rows: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        rows.setdefault(name, []).append(i)
    joined = [geometries[r[0]] if len(r) == 1
              else join_split_pieces(shapely.GeometryCollection(list(geometries[r])), _JOIN_GRID_M)
              for r in rows.values()]
    return list(rows), np.asarray(joined, dtype=object)


def view_box(result: ScenarioResult, crs: pyproj.CRS,
             aspect_range: tuple[float, float] = _ASPECT_RANGE) -> shapely.Polygon:
    """Projected box round the footprints and regions of interest, padded, with its aspect clamped."""
    geoms = [f.geometry for f in result.footprints] + [r.geometry for r in result.scenario.regions]
    xmin, ymin, xmax, ymax = shapely.total_bounds(to_projected(geoms, crs))
    w, h = (xmax - xmin) * (1 + 2 * _VIEW_PAD), (ymax - ymin) * (1 + 2 * _VIEW_PAD)
    aspect = min(max(h / w, aspect_range[0]), aspect_range[1])
    w, h = max(w, h / aspect), max(h, w * aspect)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def lonlat_boxes(view: shapely.Polygon, crs: pyproj.CRS) -> list[tuple[float, float, float, float]]:
    """The view's lon/lat bounds plus a margin, as one box or two (either side of ±180°)."""
    xmin, ymin, xmax, ymax = view.bounds
    west, south, east, north = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform_bounds(
        xmin, ymin, xmax, ymax, densify_pts=50)
    m = _BASEMAP_MARGIN_DEG
    south, north = max(-90.0, south - m), min(90.0, north + m)
    if west <= east:
        return [(max(-180.0, west - m), south, min(180.0, east + m), north)]
    return [(west - m, south, 180.0, north), (-180.0, south, east + m, north)]


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
    if width_px is None:
        if dpi is None:
            return DEFAULT_WIDTH_PX, float(DEFAULT_WIDTH_PX / DESIGN_WIDTH_IN)
        return int(round(float(dpi) * DESIGN_WIDTH_IN)), float(dpi)
    if dpi is None:
        return int(width_px), float(width_px / DESIGN_WIDTH_IN)
    return int(width_px), float(dpi)


def panel_width_in(width_in: float) -> float:
    """Width of the side panel on a sheet ``width_in`` inches wide."""
    return max(2.4, 0.25 * width_in)


def text_chars(width_in: float, size_pt: float, char_em: float) -> int:
    """How many characters of ``char_em`` ems each at ``size_pt`` fit across ``width_in`` inches."""
    return int(width_in * 72 / (char_em * size_pt))


def make_canvas(width_in: float, dpi: float, crs: pyproj.CRS, view: shapely.Polygon, title: str, subtitle: str,
                credits: str) -> Canvas:
    """Lay out the sheet: title and subtitle, the map frame, the side panel and the credit line.

    Parameters
    ----------
    width_in : float
        Sheet width, inches.
    dpi : float
    crs : pyproj.CRS
        The map's projection (:func:`map_crs`).
    view : shapely.Polygon
        The frame's box, projected metres (:func:`view_box`).
    title, subtitle, credits : str
        Already wrapped to the sheet (their line counts set the frame's height).

    Returns
    -------
    Canvas
    """
    pad = _PAD_IN
    panel_w_in = panel_width_in(width_in)
    map_w_in = width_in - panel_w_in - 3 * pad - 0.35
    xmin, ymin, xmax, ymax = view.bounds
    map_h_in = map_w_in * (ymax - ymin) / (xmax - xmin)
    title_h_in = (title.count("\n") + 1) * TITLE_PT * 1.3 / 72
    top_in = pad + title_h_in + (subtitle.count("\n") + 1) * SUBTITLE_PT * 1.35 / 72 + pad
    bottom_in = 0.3 + (credits.count("\n") + 1) * CREDIT_PT * 1.35 / 72 + pad
    h_in = top_in + map_h_in + bottom_in
    fig = Figure(figsize=(width_in, h_in), dpi=dpi, facecolor="white")
    ax = fig.add_axes(((pad + 0.35) / width_in, bottom_in / h_in, map_w_in / width_in, map_h_in / h_in))
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_facecolor(style.WATER)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(style.MUTED)
        spine.set_linewidth(0.8)
    panel = fig.add_axes(((width_in - pad - panel_w_in) / width_in, bottom_in / h_in, panel_w_in / width_in,
                          map_h_in / h_in))
    panel.set_axis_off()
    fig.text(pad / width_in, 1 - pad / h_in, title, ha="left", va="top", size=TITLE_PT, weight="bold",
             color=style.INK, parse_math=False)
    fig.text(pad / width_in, 1 - (pad + title_h_in) / h_in, subtitle, ha="left", va="top", size=SUBTITLE_PT,
             color=style.TEXT, parse_math=False)
    fig.text(pad / width_in, pad / h_in, credits, ha="left", va="bottom", size=CREDIT_PT, color=style.MUTED,
             parse_math=False, linespacing=1.35)
    return Canvas(fig, ax, panel, crs, pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True), view,
                  map_w_in, panel_w_in)


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


def draw_scale_bar(canvas: Canvas) -> tuple[float, float, float, float]:
    """A scale bar at the bottom left whose length on the ground is a round number (see :func:`scale_bar`).

    Parameters
    ----------
    canvas : Canvas

    Returns
    -------
    (float, float, float, float)
        The box (display px) that the bar and its label cover.
    """
    ax = canvas.ax
    xmin, ymin, xmax, ymax = canvas.view.bounds
    x0, y = xmin + 0.03 * (xmax - xmin), ymin + 0.035 * (ymax - ymin)
    x1, length_m = scale_bar(canvas.to_lonlat, x0, y, 0.2 * (xmax - xmin))
    sb, ls = style.SCALE_BAR, style.SCALE_BAR_LABEL
    casing = [patheffects.Stroke(linewidth=px_to_pt(sb.casing_width_px), foreground=sb.casing), patheffects.Normal()]
    ax.plot([x0, x1], [y, y], color=sb.colour, linewidth=px_to_pt(sb.width_px), solid_capstyle="butt",
            zorder=13, path_effects=casing, gid=SCALE_BAR_GID)
    label = ax.annotate(f"{length_m / 1000:g} km", ((x0 + x1) / 2, y), xytext=(0, 5), textcoords="offset points",
                        ha="center", va="bottom", size=px_to_pt(ls.size_px), weight=ls.weight, color=ls.colour,
                        zorder=13, parse_math=False, gid=canvas.gid("scalebar"))
    draw_halo(ax, label, ls)
    bar = ax.transData.transform([(x0, y), (x1, y)])
    text_box = label.get_window_extent(canvas.renderer())
    return (min(bar[0, 0], text_box.x0) - 4, bar[0, 1] - 6, max(bar[1, 0], text_box.x1) + 4, text_box.y1 + 2)


def degree_label(value: float, positive: str, negative: str) -> str:
    """``value`` in degrees with its hemisphere letter.

    Examples
    --------
    >>> degree_label(-30.5, "N", "S")
    '30.5°S'
    """
    return f"{abs(value):g}°{positive if value >= 0 else negative}"


def lon_label(lon_deg: float) -> str:
    """A meridian's label, longitude taken into [-180, 180).

    Examples
    --------
    >>> lon_label(185.0), lon_label(180.0), lon_label(-30.0)
    ('175°W', '180°', '30°W')
    """
    lon = (lon_deg + 180.0) % 360.0 - 180.0
    return "180°" if lon == -180.0 else degree_label(lon, "E", "W")


def graticule_step_deg(span_deg: float) -> float:
    """The graticule's spacing: the finest of :data:`_GRATICULE_STEPS_DEG` with at most 7 lines over ``span_deg``."""
    return next((s for s in _GRATICULE_STEPS_DEG if span_deg / s <= 7), _GRATICULE_STEPS_DEG[-1])


def draw_graticule(canvas: Canvas) -> None:
    """Meridians and parallels, labelled outside the frame (bottom and left)."""
    ax, box = canvas.ax, canvas.view
    boxes = lonlat_boxes(box, canvas.crs)
    west, south, east, north = boxes[0]
    if len(boxes) == 2:   # across ±180°: run the meridians on past 180
        east = boxes[1][2] + 360.0
    step = graticule_step_deg(max(east - west, north - south))
    to_map = pyproj.Transformer.from_crs("EPSG:4326", canvas.crs, always_xy=True)
    xmin, ymin, xmax, ymax = box.bounds
    bottom, left = shapely.LineString([(xmin, ymin), (xmax, ymin)]), shapely.LineString([(xmin, ymin), (xmin, ymax)])
    lats = np.arange(max(-89.0, south), min(89.0, north) + 0.25, 0.25)
    lons = np.arange(west, east + 0.25, 0.25)
    # Keyword bundles for matplotlib's loosely typed **kwargs.
    kw: dict[str, Any] = dict(color=style.GRATICULE.colour, linewidth=px_to_pt(style.GRATICULE.width_px), alpha=0.7,
                              zorder=4.5)
    label_kw: dict[str, Any] = dict(size=7, color=style.MUTED, parse_math=False, clip_on=False)
    for lon in np.arange(np.ceil(west / step) * step, east + 1e-9, step):
        line = shapely.LineString(np.column_stack(to_map.transform(np.full_like(lats, lon), lats)))
        ax.plot(*np.asarray(line.coords).T, **kw)
        hit = line.intersection(bottom)
        if not hit.is_empty:
            px = shapely.get_coordinates(hit)[0, 0]
            ax.annotate(lon_label(lon), (px, ymin), xytext=(0, -3), textcoords="offset points",
                        ha="center", va="top", gid=canvas.gid("graticule"), **label_kw)
    for lat in np.arange(np.ceil(south / step) * step, north + 1e-9, step):
        line = shapely.LineString(np.column_stack(to_map.transform(lons, np.full_like(lons, lat))))
        ax.plot(*np.asarray(line.coords).T, **kw)
        hit = line.intersection(left)
        if not hit.is_empty:
            py = shapely.get_coordinates(hit)[0, 1]
            ax.annotate(degree_label(lat, "N", "S"), (xmin, py), xytext=(-3, 0), textcoords="offset points",
                        ha="right", va="center", gid=canvas.gid("graticule"), **label_kw)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)


__all__ = ["DEFAULT_WIDTH_PX", "DESIGN_WIDTH_IN", "LABEL_GID", "SCALE_BAR_GID", "Canvas", "Obstacles",
           "degree_label", "draw_graticule", "draw_scale_bar", "figure_size", "lonlat_boxes", "lon_label",
           "make_canvas", "map_centre_deg", "map_crs", "scale_bar", "to_projected", "view_box"]
