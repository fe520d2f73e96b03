"""Static maps (PNG, SVG, PDF) of a scenario, for publication.

matplotlib and geopandas draw the scenario in an azimuthal equidistant
projection centred on its footprints, with the colours and symbols of
:mod:`rangemap.outputs.style` (the interactive map's too): title and date, the
footprints with each ring labelled with its range, the regions of interest
shaded by share in range, launch sites, places in range, country and region
labels, a legend built from the same style table, a scale bar that is true in
the projection, a graticule and a credit line with the scenario's sources and
the data credits.

The work is split by job: :mod:`.framing` (projection, view, sheet, canvas,
scale bar, graticule), :mod:`.text` (user text, title, credits, halos),
:mod:`.layers` (what is drawn, each layer returning what it drew),
:mod:`.placing` (where labels go) and :mod:`.legend` (the side panel).
:func:`static_figure` calls them in drawing order, passing the obstacles
that labels must avoid from one step to the next.

All text from scenarios and files is data: it is drawn with matplotlib's math
parsing off (a ``$`` prints as a ``$``), and SVG output keeps text as text.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib
import pyproj
import shapely
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from rangemap.data.gazetteer import status_notes
from rangemap.errors import InvalidInputError
from rangemap.io.atomic import atomic_write
from rangemap.model.results import ScenarioResult
from rangemap.outputs import style
from rangemap.outputs.formats import format_names
from rangemap.outputs.static.framing import (CREDIT_PT, DEFAULT_WIDTH_PX, DESIGN_WIDTH_IN, LABEL_GID, SCALE_BAR_GID,
                                             SUBTITLE_PT, TITLE_PT, Canvas, degree_label, draw_graticule,
                                             draw_scale_bar, figure_size, make_canvas, map_centre_deg, map_crs,
                                             scale_bar, text_chars, to_projected, view_box)
from rangemap.outputs.static.layers import (LAUNCH_AREA_GID, draw_basemap, draw_footprints_and_gains, draw_launches,
                                            draw_places, draw_regions)
from rangemap.outputs.static.legend import draw_legend
from rangemap.outputs.static.placing import draw_free_labels, draw_ring_labels
from rangemap.outputs.static.text import (CREDIT_MAX_LINES, HALO_GID, SUBTITLE_MAX_LINES, TITLE_MAX_LINES,
                                          clean_text, credits_text, subtitle_text, title_text, wrap_text)

# The static formats: the registry's map formats but the interactive page.
FORMATS = tuple(name for name in format_names("map") if name != "html")
_RC: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "rangemap", "pdf.fonttype": 42,
                              "lines.scale_dashes": False, "font.family": "DejaVu Sans", "axes.unicode_minus": False}


def _sheet_texts(result: ScenarioResult, width_in: float, crs: pyproj.CRS,
                 view: shapely.Polygon) -> tuple[str, str, str]:
    """Title, subtitle and credit line, wrapped to a sheet ``width_in`` inches wide."""
    s = result.scenario
    lon0, lat0 = map_centre_deg(result)
    projection = (f"Azimuthal equidistant projection centred on {degree_label(lat0, 'N', 'S')}, "
                  f"{degree_label(lon0, 'E', 'W')}.")
    notes = status_notes(s.regions, lambda geometry_deg: to_projected([geometry_deg], crs)[0].intersects(view))
    worst_m = max((f.max_error_m for f in result.footprints), default=0.0)
    return (wrap_text(title_text(s), text_chars(width_in, TITLE_PT, 0.58), TITLE_MAX_LINES),
            wrap_text(subtitle_text(s), text_chars(width_in, SUBTITLE_PT, 0.55), SUBTITLE_MAX_LINES),
            wrap_text(credits_text(s, worst_m, projection, notes), text_chars(width_in, CREDIT_PT, 0.6),
                      CREDIT_MAX_LINES))


def _draw(canvas: Canvas, result: ScenarioResult) -> None:
    """Every layer, then the labels, then the side panel, in drawing order."""
    footprints = sorted(result.footprints, key=lambda f: -f.range_km)
    colours = style.weapon_colours(f.weapon.id for f in footprints)
    weapons = list({f.weapon.id: f.weapon for f in footprints}.values())
    countries = draw_basemap(canvas)
    region_geoms = draw_regions(canvas, result)
    footprint_geoms = draw_footprints_and_gains(canvas, result, footprints, colours)
    launches = draw_launches(canvas, result.scenario)
    places = draw_places(canvas, result, launches.points)
    draw_graticule(canvas)
    obstacles = (launches.obstacles + places.obstacles).with_boxes([draw_scale_bar(canvas)])
    obstacles = draw_ring_labels(canvas, footprints, footprint_geoms, colours, obstacles)
    draw_free_labels(canvas, launches, places.rows, region_geoms, countries, obstacles)
    draw_legend(canvas, result, weapons, launch_sites=bool(launches.points), launch_lines=bool(launches.lines),
                launch_areas=launches.has_area, places=bool(len(places.rows)))


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
    width_in = width_px / dpi
    with matplotlib.rc_context(_RC):
        crs = map_crs(result)
        view = view_box(result, crs)
        canvas = make_canvas(width_in, dpi, crs, view, *_sheet_texts(result, width_in, crs, view))
        _draw(canvas, result)
        canvas.ax.set_xlabel("")
        canvas.ax.set_ylabel("")
    return canvas.fig


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

    def __init__(self, png: bytes) -> None:
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


__all__ = ["DEFAULT_WIDTH_PX", "DESIGN_WIDTH_IN", "FORMATS", "HALO_GID", "LABEL_GID", "LAUNCH_AREA_GID",
           "SCALE_BAR_GID", "StaticImage", "clean_text", "figure_size", "map_centre_deg", "map_crs",
           "scale_bar", "show_static", "static_figure", "static_format", "static_map", "wrap_text"]
