"""Where the static map's labels go: each step takes the obstacles so far and returns them with its labels added.

The steps follow the priority table :data:`rangemap.outputs.labels.LABEL_TIERS`
(the page uses it too), and the candidate spots come from that module; here
only the collision step (``textalloc`` and the fixed boxes) chooses among them.
Labels never overlap each other or the frame, and keep off symbols and launch
lines; one that cannot be placed is left out, except a launch site's, which is
always drawn. Ring labels sit on their ring, at the spot farthest from the
other rings. Then ``textalloc`` places the launch sites (long names wrapped;
one it cannot place goes to the least crowded spot beside its symbol), then
the major places next to their symbols; each region of interest is labelled
where its whole box fits inside the region; last, ``textalloc`` places the
countries and the other places, biggest first, and gives a place that found no
room a second try farther off, on a leader line.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import numpy as np
import pandas as pd
import shapely
import shapely.ops
import textalloc
from matplotlib.text import Text

from rangemap.geodesy.parts import polygons
from rangemap.outputs import style
from rangemap.outputs.labels import (LEADER_GAPS, area_label_spot, clear_anchor, fallback_point_label_box,
                                     label_priority, longest_first, place_tiers, ring_label_spot)
from rangemap.outputs.static.framing import Canvas, Obstacles
from rangemap.outputs.static.layers import Launches
from rangemap.outputs.static.text import Label, clean_text, draw_halo, remove_label, text_size_px, wrap_text
from rangemap.outputs.style import px_to_pt

_AREA_LABEL_PADS_PX = ((6.0, 4.0), (2.0, 2.0))   # room round a region's label: roomy first, then tight
_AREA_LABEL_MIN_INSIDE = 0.8    # share of a region label's box that must lie in the region
_LAUNCH_LABEL_CHARS = 28
_LAUNCH_LABEL_MAX_LINES = 4
_LEADER_MAX_DISTANCE = 0.09      # how far (share of the frame) a crowded place's label may go, on a leader line


def _frame_px(canvas: Canvas, inset_px: float) -> tuple[float, float, float, float]:
    """The map frame in display px, shrunk by ``inset_px`` on every side."""
    frame = canvas.ax.get_window_extent(canvas.renderer())
    return frame.x0 + inset_px, frame.y0 + inset_px, frame.x1 - inset_px, frame.y1 - inset_px


def _text_box_px(canvas: Canvas, text: Text, pad_px: float = 0.0) -> tuple[float, float, float, float]:
    box = text.get_window_extent(canvas.renderer())
    return box.x0 - pad_px, box.y0 - pad_px, box.x1 + pad_px, box.y1 + pad_px


def _fixed(canvas: Canvas, obstacles: Obstacles, texts: list) -> Obstacles:
    """``obstacles`` with these drawn texts added, 2 px round each."""
    return obstacles.with_boxes([_text_box_px(canvas, t, 2.0) for t in texts])


def _box_m(canvas: Canvas, text: Text) -> shapely.Polygon:
    """A drawn text's box in projected metres."""
    corners = canvas.ax.transData.inverted().transform(text.get_window_extent(canvas.renderer()).get_points())
    return shapely.box(*corners.ravel())


def _draw_centred(canvas: Canvas, xy_px, label_text: str, ls: style.LabelStyle, kind: str, clip: bool) -> Text:
    """A label centred on a display point, with its halo."""
    kw: dict[str, Any] = {"clip_on": True} if clip else {}   # for matplotlib's loosely typed **kwargs
    x, y = canvas.ax.transData.inverted().transform(xy_px)
    t = canvas.ax.text(x, y, label_text, ha="center", va="center",
                       size=px_to_pt(ls.size_px), weight=ls.weight, color=ls.colour, zorder=12, parse_math=False,
                       gid=canvas.gid(kind), **kw)
    draw_halo(canvas.ax, t, ls)
    return t


def draw_ring_labels(canvas: Canvas, footprints: list, footprint_geoms: np.ndarray, colours: dict[str, str],
                     obstacles: Obstacles) -> Obstacles:
    """Label each footprint's ring with its range, on the ring, far from other rings and symbols.

    Returns
    -------
    Obstacles
        ``obstacles`` with the ring labels' boxes added.
    """
    to_px = canvas.ax.transData.transform
    rings_px = [shapely.transform(max(polygons(g), key=lambda p: p.area).exterior, to_px) for g in footprint_geoms]
    frame_px = _frame_px(canvas, 4.0)
    symbols_px = obstacles.points_px[:, :2]
    for i, (f, ring) in enumerate(zip(footprints, rings_px)):
        ls = style.ring_label_style(colours[f.weapon.id])
        text = style.ring_label(f.range_km)
        spot = ring_label_spot(ring, rings_px[:i] + rings_px[i + 1:], symbols_px,
                               text_size_px(canvas.ax, canvas.renderer(), text, ls), frame_px,
                               list(obstacles.boxes_px))
        if spot is None:
            continue
        (x, y), box = spot
        _draw_centred(canvas, (x, y), text, ls, "ring", clip=False)
        obstacles = obstacles.with_boxes([box])
    return obstacles


def launch_labels(launches: Launches) -> list[Label]:
    """Launch site labels, long ones wrapped to lines of :data:`_LAUNCH_LABEL_CHARS`."""
    labelled = [(x, y, text) for x, y, text in launches.points if text is not None]
    return [Label("launch", wrap_text(text, _LAUNCH_LABEL_CHARS, _LAUNCH_LABEL_MAX_LINES), x, y,
                  style.LAUNCH_LABEL, False, priority=label_priority("launch", i, len(labelled)))
            for i, (x, y, text) in enumerate(labelled)]


def place_labels(rows: pd.DataFrame, tier: str) -> list[Label]:
    """Labels of the places of one tier (:func:`rangemap.outputs.labels.place_tiers`), in the rows' order.

    The rows are biggest first; each label's priority is its rank in the tier
    (:func:`rangemap.outputs.labels.label_priority`).
    """
    in_tier = np.array(place_tiers(rows.population.to_numpy())) == tier
    count = int(in_tier.sum())
    return [Label("place", clean_text(row.name), row.x, row.y, style.place_label_style(row.population), False,
                  priority=label_priority(tier, rank, count)) for rank, row in enumerate(rows[in_tier].itertuples())]


def country_labels(view: shapely.Polygon, names: list[str], geometries: np.ndarray) -> list[Label]:
    """Each country that fills 3 % of the view, at the pole of its biggest visible part, in the table's order."""
    found = []
    for name, geom in zip(names, geometries):
        visible = shapely.make_valid(geom).intersection(view)
        parts = polygons(visible)
        if not parts or visible.area < 0.03 * view.area:
            continue
        anchor = shapely.ops.polylabel(max(parts, key=lambda p: p.area), tolerance=2000.0)
        found.append((style.label_text(clean_text(name), style.COUNTRY_LABEL), anchor))
    order = longest_first([text for text, _ in found])
    return [Label("country", found[i][0], found[i][1].x, found[i][1].y, style.COUNTRY_LABEL, True,
                  priority=label_priority("country", rank, len(order))) for rank, i in enumerate(order)]


def region_labels(canvas: Canvas, region_geoms: dict, avoid: list) -> list[Label]:
    """Each region of interest's name, centred where its box fits inside the region clear of ``avoid``."""
    ls = style.REGION_LABEL
    metres_per_px = canvas.metres_per_px()
    out: list[Label] = []
    for name, geom in region_geoms.items():
        visible = geom.intersection(canvas.view)
        if visible.is_empty:
            continue
        text = style.label_text(clean_text(name), ls)
        w_px, h_px = text_size_px(canvas.ax, canvas.renderer(), text, ls)
        box_m = ((w_px + 16) * metres_per_px, (h_px + 16) * metres_per_px)
        anchor = clear_anchor(max(polygons(visible), key=lambda p: p.area), avoid, box_m)
        out.append(Label("region", text, anchor.x, anchor.y, ls, True, key=name,
                         priority=label_priority("region", len(out), len(region_geoms))))
    return out


def allocate(canvas: Canvas, labels: list[Label], obstacles: Obstacles, lines: list,
             max_distance: float = 0.035, leader: bool = False) -> list[Text | None]:
    """Place labels with textalloc clear of each other, the obstacles and the launch lines.

    ``max_distance`` is the farthest a label may sit from its anchor (share
    of the frame); with ``leader`` a thin line joins each label to its anchor.

    Returns
    -------
    list
        The drawn texts in the order of ``labels``, None for a label left out.
    """
    if not labels:
        return []
    ax, renderer = canvas.ax, canvas.renderer()
    min_distance = 0.004
    frame = ax.get_window_extent(renderer)
    fig_w, fig_h = canvas.fig.get_size_inches()
    dx, dy = frame.width * min_distance, frame.height * min_distance * fig_w / fig_h
    xs, ys = [], []
    for label in labels:
        px, py = ax.transData.transform((label.x, label.y))
        if label.centred:   # textalloc's first candidate box starts (dx, dy) from the anchor
            w, h = text_size_px(ax, renderer, label.text, label.style)
            px, py = px - w / 2 - dx, py - h / 2 - dy
        x, y = ax.transData.inverted().transform((px, py))
        xs.append(x)
        ys.append(y)
    points = obstacles.points_px
    data_xy = ax.transData.inverted().transform(points[:, :2]) if len(points) else None
    tolerance_m = (canvas.view.bounds[2] - canvas.view.bounds[0]) / frame.width   # one pixel
    line_xy = [np.asarray(shapely.simplify(line, tolerance_m).coords) for line in lines]
    # textalloc annotates its optional arguments without None (their default) and scatter_sizes as a
    # list of arrays (it takes one array of sizes and converts it with np.array); it returns its texts as objects.
    with contextlib.redirect_stdout(io.StringIO()):   # textalloc prints when it places nothing
        _, _, allocated, _ = textalloc.allocate(
            ax, xs, ys, [lb.text for lb in labels],
            x_lines=[xy[:, 0] for xy in line_xy] or None,  # type: ignore[arg-type]
            y_lines=[xy[:, 1] for xy in line_xy] or None,  # type: ignore[arg-type]
            x_scatter=None if data_xy is None else data_xy[:, 0],  # type: ignore[arg-type]
            y_scatter=None if data_xy is None else data_xy[:, 1],  # type: ignore[arg-type]
            scatter_sizes=None if data_xy is None else points[:, 2],  # type: ignore[arg-type]
            textsize=[px_to_pt(lb.style.size_px) for lb in labels],
            fontweight=[lb.style.weight for lb in labels], textcolor=[lb.style.colour for lb in labels],
            margin=0.004, min_distance=min_distance, max_distance=max_distance, nbr_candidates=200,
            draw_lines=leader, linecolor=style.TEXT, linewidth=px_to_pt(1.0), avoid_label_lines_overlap=leader,
            avoid_crossing_label_lines=leader, plot_kwargs={"zorder": 8.5}, draw_all=False, va="bottom",
            parse_math=False, zorder=12, clip_on=True)
    texts = [t if isinstance(t, Text) else None for t in allocated]
    for label, t in zip(labels, texts):
        if t is not None:
            t.set_gid(canvas.gid(label.kind))
            draw_halo(ax, t, label.style)
    return texts


def draw_fallback(canvas: Canvas, label: Label, obstacles: Obstacles, lines: list) -> Text:
    """Draw a point label that textalloc could not place at the least crowded spot beside its symbol.

    The spot is :func:`rangemap.outputs.labels.fallback_point_label_box`; a label
    that lands more than :data:`rangemap.outputs.labels.LEADER_GAPS` gaps from its
    symbol is tied to it by a leader line.
    """
    ax = canvas.ax
    to_px = ax.transData.transform
    anchor = to_px((label.x, label.y))
    gap_px = style.LAUNCH_SITE.size_px / 2 + 3
    box = fallback_point_label_box(anchor, text_size_px(ax, canvas.renderer(), label.text, label.style), gap_px,
                                   _frame_px(canvas, 3.0), obstacles.points_px, list(obstacles.boxes_px),
                                   [shapely.transform(line, to_px) for line in lines])
    ls = label.style
    near = np.clip(anchor, box[:2], box[2:])
    if np.hypot(*(near - anchor)) > LEADER_GAPS * gap_px:
        ax.plot(*ax.transData.inverted().transform([anchor, near]).T, color=style.TEXT, linewidth=px_to_pt(1.0),
                zorder=8.5)
    x, y = ax.transData.inverted().transform(box[:2])
    t = ax.text(x, y, label.text, ha="left", va="bottom",
                size=px_to_pt(ls.size_px), weight=ls.weight, color=ls.colour, zorder=12, parse_math=False,
                gid=canvas.gid(label.kind), clip_on=True)
    draw_halo(ax, t, ls)
    return t


def place_inside(canvas: Canvas, label: Label, area_m: shapely.Geometry, obstacles: Obstacles,
                 lines: list) -> tuple | None:
    """Draw an area label at the best spot inside its area, if there is one.

    The label's box is padded by each of :data:`_AREA_LABEL_PADS_PX` in turn
    until a spot is found (a small region squeezed by a launch line along
    its border may only take the tight box).

    Returns
    -------
    (float, float, float, float) or None
        The box (display px) of the label drawn, or None where there was no room.
    """
    to_px = canvas.ax.transData.transform
    w, h = text_size_px(canvas.ax, canvas.renderer(), label.text, label.style)
    area_px = shapely.transform(area_m.intersection(canvas.view), to_px)
    lines_px = [shapely.transform(line, to_px) for line in lines]
    spot = next((s for s in (area_label_spot(area_px, (w + pad_x, h + pad_y), obstacles.points_px, lines_px)
                             for pad_x, pad_y in _AREA_LABEL_PADS_PX) if s is not None), None)
    if spot is None:
        return None
    (x, y), box = spot
    _draw_centred(canvas, (x, y), label.text, label.style, label.kind, clip=True)
    return box


def draw_free_labels(canvas: Canvas, launches: Launches, place_rows: pd.DataFrame, region_geoms: dict,
                     countries: tuple[list[str], np.ndarray], obstacles: Obstacles) -> Obstacles:
    """Launch sites (always drawn), then major places, then regions, then countries and the other places.

    Launch sites are placed by ``textalloc``; one it cannot place is drawn at
    :func:`rangemap.outputs.labels.fallback_point_label_box`. A region's label goes
    where its whole box fits inside the region clear of the symbols, the
    launch lines and the labels before it
    (:func:`rangemap.outputs.labels.area_label_spot`); where no such spot exists
    ``textalloc`` tries from :func:`rangemap.outputs.labels.clear_anchor`, and the
    label is kept only if :data:`_AREA_LABEL_MIN_INSIDE` of it lies in the
    region (the shares table names every region).

    Returns
    -------
    Obstacles
        ``obstacles`` with every label drawn added.
    """
    lines = launches.lines
    launch = launch_labels(launches)
    first = allocate(canvas, launch, obstacles, lines)
    obstacles = _fixed(canvas, obstacles, [t for t in first if t is not None])
    placed: list[Text] = []
    for label, t in zip(launch, first):
        if t is None:
            t = draw_fallback(canvas, label, obstacles, lines)
            obstacles = _fixed(canvas, obstacles, [t])
        placed.append(t)
    major = [t for t in allocate(canvas, place_labels(place_rows, "major_place"), obstacles, lines)
             if t is not None]
    obstacles = _fixed(canvas, obstacles, major)
    symbols = [(x, y) for x, y, _ in launches.points] + list(zip(place_rows.x, place_rows.y))
    avoid = (list(shapely.points(np.asarray(symbols, dtype=float).reshape(-1, 2))) + lines
             + [_box_m(canvas, t) for t in placed + major])
    leftover = []
    for label in region_labels(canvas, region_geoms, avoid):
        box = place_inside(canvas, label, region_geoms[label.key], obstacles, lines)
        if box is None:
            leftover.append(label)
        else:
            obstacles = obstacles.with_boxes([box])
    for label, t in zip(leftover, allocate(canvas, leftover, obstacles, lines)):
        if t is not None and _share_inside(canvas, t, region_geoms[label.key]) < _AREA_LABEL_MIN_INSIDE:
            remove_label(canvas.ax, t)
        elif t is not None:
            obstacles = _fixed(canvas, obstacles, [t])
    # The last two tiers share one textalloc call, in priority order (countries, then the other places).
    last = sorted(country_labels(canvas.view, *countries) + place_labels(place_rows, "place"),
                  key=lambda lb: lb.priority)
    texts = allocate(canvas, last, obstacles, lines)
    obstacles = _fixed(canvas, obstacles, [t for t in texts if t is not None])
    crowded = [label for label, t in zip(last, texts) if t is None and label.kind == "place"]
    drawn = allocate(canvas, crowded, obstacles, lines, max_distance=_LEADER_MAX_DISTANCE, leader=True)
    return _fixed(canvas, obstacles, [t for t in drawn if t is not None])


def _share_inside(canvas: Canvas, text: Text, area_m: shapely.Geometry) -> float:
    """Share of a drawn label's box that lies inside an area (projected metres)."""
    box = _box_m(canvas, text)
    return float(box.intersection(area_m).area / box.area) if box.area else 0.0


__all__ = ["allocate", "country_labels", "draw_fallback", "draw_free_labels",
           "draw_ring_labels", "launch_labels", "place_inside", "place_labels", "region_labels"]
