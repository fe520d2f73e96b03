"""Where labels go on both maps: one priority table and the candidate spots, pure geometry, no drawing.

This module is the one owner of *which labels come first* and *where a label
may go*, for the static map (:mod:`rangemap.outputs.static`) and the
interactive page (:mod:`rangemap.outputs.page_data`, whose script
``assets/rangemap.js`` shows each label at the first of its candidate anchors
that is free, in the order of :func:`label_priority`). The order is the
publication (static) map's, :data:`LABEL_TIERS`: ring labels, launch sites,
major places (:data:`MAJOR_PLACE_POPULATION` people or more), regions of
interest, countries, other places.

Candidate spots: for the static map (display pixels) a ring's range label sits
on its ring (:func:`ring_label_spot`), an area's label inside the area
(:func:`area_label_spot`, :func:`clear_anchor`), a point label that must be
drawn beside its symbol (:func:`fallback_point_label_box`); ``textalloc``
only chooses among spots round each anchor, in the table's order. For the
page (lon/lat) :func:`ring_anchors`, :func:`area_anchors` and
:data:`POINT_SIDES`. Boxes are ``(x0, y0, x1, y1)`` in display pixels unless
named ``_m``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
import shapely.ops

from rangemap.geodesy.parts import polygons

# Clearance of area labels from symbols, lines and other labels, in label boxes:
# first with room for those things' own labels, then just clear of them.
KEEP_OUT_BOXES = (1.25, 0.75)
RING_LABEL_SAMPLES = 240
LEADER_GAPS = 2.0   # a point label farther than this many gaps from its symbol is tied to it by a leader line

# The one label priority table, first placed first: the publication map's order.
LABEL_TIERS = ("ring", "launch", "major_place", "region", "country", "place")
MAJOR_PLACE_POPULATION = 300_000   # places this big are drawn big, and the biggest labelled before regions
# At most this many major places go before the regions (the biggest first); the rest wait with the
# other places. More would take the spots a region's own name needs (Oryol's label pushed "BRYANSK"
# onto "KURSK" at 1024 px).
MAJOR_PLACE_COUNT = 8
POINT_SIDES = ("right", "left", "above", "below")   # a point label's candidate sides, in order of preference
_PAGE_RING_CANDIDATES = 72


def place_tier(population: float) -> str:
    """Whether a place is big enough for the major tier: ``"major_place"`` from :data:`MAJOR_PLACE_POPULATION` up.

    A map labels at most :data:`MAJOR_PLACE_COUNT` of them in that tier (see :func:`place_tiers`).

    Examples
    --------
    >>> place_tier(300_000), place_tier(299_999)
    ('major_place', 'place')
    """
    return "major_place" if population >= MAJOR_PLACE_POPULATION else "place"


def place_tiers(populations: Sequence[float]) -> list[str]:
    """Each place's label tier on one map: the :data:`MAJOR_PLACE_COUNT` biggest major places, then the rest.

    Parameters
    ----------
    populations : sequence of float
        The map's places, in any order.

    Returns
    -------
    list of str
        ``"major_place"`` or ``"place"`` per place, in the order given; ties in
        population go to the place given first.

    Examples
    --------
    >>> place_tiers([350_000, 2_000_000, 100_000])
    ['major_place', 'major_place', 'place']
    >>> place_tiers([400_000] * 9)[-2:]
    ['major_place', 'place']
    """
    population = np.asarray(populations, dtype=float)
    rank = np.empty(len(population), dtype=int)
    rank[np.argsort(-population, kind="stable")] = np.arange(len(population))
    major = (population >= MAJOR_PLACE_POPULATION) & (rank < MAJOR_PLACE_COUNT)
    return ["major_place" if m else "place" for m in major]


def label_priority(tier: str, rank: int = 0, count: int = 1) -> float:
    """A label's priority, lower first: its tier's place in :data:`LABEL_TIERS`, then its rank in the tier.

    Parameters
    ----------
    tier : str
        One of :data:`LABEL_TIERS`.
    rank : int, optional
        Position within the tier (places: biggest first), 0 to ``count - 1``.
    count : int, optional
        How many labels the tier holds.

    Returns
    -------
    float
        In ``[i, i + 1)`` for the ``i``-th tier, so a tier never mixes with the next.

    Examples
    --------
    >>> label_priority("ring"), label_priority("place", 1, 4), label_priority("launch")
    (0.0, 5.2, 1.0)
    """
    return LABEL_TIERS.index(tier) + rank / (count + 1)


def longest_first(texts: list[str]) -> list[int]:
    """The order in which country names are labelled: longest first (a long name needs the room), ties as given.

    Examples
    --------
    >>> longest_first(["CHAD", "RUSSIA", "MALI"])
    [1, 0, 2]
    """
    return sorted(range(len(texts)), key=lambda i: -len(texts[i]))


def spread_best(points: np.ndarray, scores: np.ndarray, count: int, min_gap: float) -> np.ndarray:
    """Up to ``count`` of the best-scored points, each at least ``min_gap`` from the ones already taken.

    Examples
    --------
    >>> spread_best(np.array([[0, 0], [0.1, 0], [5, 0]]), np.array([3, 2, 1]), 2, 1.0).tolist()
    [[0.0, 0.0], [5.0, 0.0]]
    """
    taken: list[int] = []
    for i in np.argsort(-scores):
        if all(np.hypot(*(points[i] - points[j])) >= min_gap for j in taken):
            taken.append(i)
        if len(taken) == count:
            break
    return points[taken]


def ring_anchors(geometries_deg: list, bounds_deg: tuple[float, float, float, float]) -> list[np.ndarray]:
    """For each footprint (lon/lat, as displayed), points on its outline where a range label reads well, best first.

    Best are points on the outer edge (outside every other footprint, where the
    ring is not crossed by others), well inside the view, upper half first.

    Parameters
    ----------
    geometries_deg : list of shapely.Geometry
        The footprints in display longitudes, in label order.
    bounds_deg : (float, float, float, float)
        West, south, east, north of the view.

    Returns
    -------
    list of numpy.ndarray
        Per footprint, up to 6 ``(lon, lat)`` rows.
    """
    west, south, east, north = bounds_deg
    scale = math.cos(math.radians((south + north) / 2))
    out = []
    for i, geometry in enumerate(geometries_deg):
        parts = polygons(geometry)
        if not parts:
            out.append(np.empty((0, 2)))
            continue
        outline = max(parts, key=lambda p: p.area).exterior
        pts = shapely.get_coordinates(shapely.line_interpolate_point(
            outline, np.linspace(0, 1, _PAGE_RING_CANDIDATES, endpoint=False), normalized=True))
        edge = np.minimum.reduce([(pts[:, 0] - west) * scale, (east - pts[:, 0]) * scale, pts[:, 1] - south,
                                  north - pts[:, 1]])
        covered = np.zeros(len(pts), bool)
        for j, other in enumerate(geometries_deg):
            if j != i:
                covered |= shapely.contains_xy(other, pts[:, 0], pts[:, 1])
        score = np.minimum(edge, 2.0) + 3.0 * ~covered + 0.1 * (pts[:, 1] - south) / max(north - south, 1e-9)
        out.append(spread_best(pts, score, 6, 0.15 * max(north - south, 1e-9)))
    return out


def area_anchors(geometry: shapely.Geometry, avoid_xy: np.ndarray, count: int = 6) -> np.ndarray:
    """Points well inside an area (lon/lat) and away from the places and launch sites in it, best first.

    Parameters
    ----------
    geometry : shapely.Geometry
        The area, display longitudes.
    avoid_xy : numpy.ndarray
        Shape ``(n, 2)``: symbols to keep away from.
    count : int, optional
        At most this many anchors; the last is a point on the area's surface.

    Returns
    -------
    numpy.ndarray
        Shape ``(m, 2)``.
    """
    west, south, east, north = geometry.bounds
    gx, gy = np.meshgrid(np.linspace(west, east, 32), np.linspace(south, north, 32))
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    pts = pts[shapely.contains_xy(geometry, pts[:, 0], pts[:, 1])]
    centre = shapely.get_coordinates(geometry.point_on_surface())
    if not len(pts):
        return centre
    inner = shapely.distance(geometry.boundary, shapely.points(pts))
    clear = np.full(len(pts), 1.0)
    if len(avoid_xy):
        d = np.hypot(pts[:, None, 0] - avoid_xy[None, :, 0], pts[:, None, 1] - avoid_xy[None, :, 1]).min(axis=1)
        clear = np.minimum(d, 1.0)
    score = np.minimum(inner, 0.6) + clear
    return np.vstack([spread_best(pts, score, count - 1, 0.07 * max(north - south, east - west)), centre])


def boxes_overlap(boxes: np.ndarray, box) -> np.ndarray:
    """Which of ``boxes`` (shape ``(n, 4)``) overlap ``box`` with a positive area.

    Examples
    --------
    >>> boxes_overlap(np.array([[0, 0, 2, 2], [2, 0, 4, 2]]), (1, 1, 2, 3)).tolist()
    [True, False]
    """
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    return (boxes[:, 0] < box[2]) & (boxes[:, 2] > box[0]) & (boxes[:, 1] < box[3]) & (boxes[:, 3] > box[1])


def tile_box(box) -> np.ndarray:
    """Squares that cover a box exactly, as ``(x, y, half side)`` rows (textalloc's point obstacles).

    Parameters
    ----------
    box : (float, float, float, float)

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 3)``: squares as tall as the box, overlapping where the
        width is not a whole number of heights.

    Examples
    --------
    >>> tile_box((0, 0, 5, 2)).tolist()
    [[1.0, 1.0, 1.0], [2.5, 1.0, 1.0], [4.0, 1.0, 1.0]]
    """
    x0, y0, x1, y1 = (float(v) for v in box)
    half = (y1 - y0) / 2
    count = max(int(np.ceil((x1 - x0) / (2 * half))), 1)
    centres = np.linspace(x0 + half, max(x1 - half, x0 + half), count)
    return np.column_stack([centres, np.full(count, y0 + half), np.full(count, half)])


def ring_label_spot(ring_px, other_rings_px, symbols_px, size_px, frame_px, taken_px, pad_px=(3.0, 2.0)):
    """Where a ring's range label is centred: on the ring, inside the frame, clear of taken boxes.

    Among points spread evenly along the ring, the one farthest from the other
    rings (up to 3 label heights) and, at half weight, from symbols (up to 2
    label heights), whose padded label box lies inside the frame and overlaps no
    taken box.

    Parameters
    ----------
    ring_px : shapely.LineString
        The ring, display px.
    other_rings_px : list of shapely.LineString
    symbols_px : numpy.ndarray
        Shape ``(n, 2)``: symbol centres.
    size_px : (float, float)
        Label width and height.
    frame_px : (float, float, float, float)
        The map frame.
    taken_px : list of box
        Boxes already taken by other labels.
    pad_px : (float, float), optional
        Padding added round the label on each side, x and y.

    Returns
    -------
    ((float, float), box) or None
        The label's centre and its padded box, or None where no spot is free.
    """
    w, h = size_px
    pts = shapely.line_interpolate_point(ring_px, np.linspace(0, 1, RING_LABEL_SAMPLES, endpoint=False),
                                         normalized=True)
    xy = shapely.get_coordinates(pts)
    boxes = np.column_stack([xy[:, 0] - w / 2 - pad_px[0], xy[:, 1] - h / 2 - pad_px[1],
                             xy[:, 0] + w / 2 + pad_px[0], xy[:, 1] + h / 2 + pad_px[1]])
    fx0, fy0, fx1, fy1 = frame_px
    ok = (boxes[:, 0] > fx0) & (boxes[:, 2] < fx1) & (boxes[:, 1] > fy0) & (boxes[:, 3] < fy1)
    for taken in taken_px:
        ok &= ~boxes_overlap(boxes, taken)
    if not ok.any():
        return None
    far_from_rings = (shapely.distance(pts, shapely.union_all(other_rings_px)) if len(other_rings_px)
                      else np.full(len(pts), 3 * h))
    symbols = np.asarray(symbols_px, dtype=float).reshape(-1, 2)
    far_from_symbols = (np.min(np.hypot(xy[:, None, 0] - symbols[None, :, 0], xy[:, None, 1] - symbols[None, :, 1]),
                               axis=1) if len(symbols) else np.full(len(pts), 2 * h))
    score = np.minimum(far_from_rings, 3 * h) + 0.5 * np.minimum(far_from_symbols, 2 * h)
    best = int(np.argmax(np.where(ok, score, -np.inf)))
    return (float(xy[best, 0]), float(xy[best, 1])), tuple(float(v) for v in boxes[best])


def area_label_spot(area_px, size_px, obstacles_px, lines_px=(), min_inside: float = 0.8):
    """Where an area's label is centred: its box inside the area, clear of obstacles and lines, deep inside.

    Candidates are the points of a grid (spaced half a label height) that lie
    in the area; a candidate is kept if at least ``min_inside`` of its box lies
    in the area and the box touches no obstacle square and no line. The kept
    candidate with most of its box inside, then farthest from the area's edge
    (measured in label boxes, up to 3), then nearest the area's centroid, wins.

    Parameters
    ----------
    area_px : shapely.Polygon or shapely.MultiPolygon
        The area, display px.
    size_px : (float, float)
        Label width and height (padding included).
    obstacles_px : numpy.ndarray
        Shape ``(n, 3)``: squares ``(x, y, half side)`` to keep off (symbols, tiled label boxes).
    lines_px : sequence of shapely.LineString, optional
        Lines the label must not cross.
    min_inside : float, optional

    Returns
    -------
    ((float, float), box) or None

    Examples
    --------
    >>> (x, y), box = area_label_spot(shapely.box(0, 0, 200, 100), (60, 20), np.empty((0, 3)))
    >>> round(x), round(y)
    (100, 50)
    """
    w, h = size_px
    x0, y0, x1, y1 = area_px.bounds
    step = h / 2
    gx, gy = (g.ravel() for g in np.meshgrid(np.arange(x0, x1 + step, step), np.arange(y0, y1 + step, step)))
    keep = shapely.contains_xy(area_px, gx, gy)
    gx, gy = gx[keep], gy[keep]
    if not len(gx):
        return None
    boxes = np.column_stack([gx - w / 2, gy - h / 2, gx + w / 2, gy + h / 2])
    box_geoms = shapely.box(boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3])
    inside = shapely.area(shapely.intersection(box_geoms, area_px)) / (w * h)
    ok = inside >= min_inside
    squares = np.asarray(obstacles_px, dtype=float).reshape(-1, 3)
    if len(squares):
        ok &= ~((np.abs(gx[:, None] - squares[None, :, 0]) < w / 2 + squares[None, :, 2])
                & (np.abs(gy[:, None] - squares[None, :, 1]) < h / 2 + squares[None, :, 2])).any(axis=1)
    if len(lines_px):
        ok &= ~shapely.intersects(box_geoms, shapely.union_all(list(lines_px)))
    if not ok.any():
        return None
    unit = np.array([w, h])
    in_boxes = shapely.transform(area_px.boundary, lambda xy: xy / unit)
    depth = np.minimum(shapely.distance(shapely.points(gx / w, gy / h), in_boxes), 3.0)
    centre = np.asarray(area_px.centroid.coords[0]) / unit
    off_centre = np.hypot(gx / w - centre[0], gy / h - centre[1])
    score = np.round(inside, 1) * 100 + depth - 0.01 * off_centre
    best = int(np.argmax(np.where(ok, score, -np.inf)))
    return (float(gx[best]), float(gy[best])), tuple(float(v) for v in boxes[best])


def clear_anchor(polygon, avoid, box_m: tuple[float, float]):
    """Where to centre an area's label: inside the area, as far as can be from its edge and from other things.

    Distances are measured in units of the label's box (x in box widths, y in
    box heights), so the point found is where a box of that shape fits best:
    the pole of inaccessibility of the area less the things to avoid buffered
    by :data:`KEEP_OUT_BOXES` (the first that leaves any room).

    Parameters
    ----------
    polygon : shapely.Polygon
        Projected, metres.
    avoid : sequence of shapely.Geometry
        Symbols, lines and label boxes to keep clear of, metres.
    box_m : (float, float)
        Width and height of the label's box, metres.

    Returns
    -------
    shapely.Point

    Examples
    --------
    >>> p = clear_anchor(shapely.box(0, 0, 100, 10), [shapely.Point(10, 5)], (20, 4))
    >>> p.x > 50 and 0 < p.y < 10
    True
    """
    unit = np.asarray(box_m, dtype=float)
    area = shapely.transform(polygon, lambda xy: xy / unit)
    parts = [area]
    if len(avoid):
        scaled = shapely.transform(np.asarray(avoid, dtype=object), lambda xy: xy / unit)
        for radius in KEEP_OUT_BOXES:
            parts = polygons(area.difference(shapely.union_all(shapely.buffer(scaled, radius, quad_segs=4))))
            if parts:
                break
        parts = parts or [area]
    best = shapely.ops.polylabel(max(parts, key=lambda p: p.area), tolerance=0.02)
    return shapely.Point(best.x * unit[0], best.y * unit[1])


def fallback_point_label_box(anchor_px, size_px, gap_px: float, frame_px, obstacles_px, taken_px=(), lines_px=()):
    """A box for a label that must be drawn: next to its anchor, inside the frame, covering as little as can be.

    Candidates sit in the eight directions round the anchor, ``gap_px`` and
    2, 4 and 8 times that away, each shifted into the frame. The winner
    overlaps the fewest taken boxes (a leader line, drawn to a box more than
    :data:`LEADER_GAPS` gaps off, counts as part of it), then keeps ``gap_px`` off the anchor,
    then crosses no line, then covers the fewest obstacle squares, then
    lies nearest the anchor (right of it first, then left, then diagonally,
    above and below).

    Parameters
    ----------
    anchor_px : (float, float)
        The symbol's centre.
    size_px : (float, float)
        Label width and height.
    gap_px : float
        Least distance between the anchor and the box (clear of the symbol).
    frame_px : (float, float, float, float)
        The map frame.
    obstacles_px : numpy.ndarray
        Shape ``(n, 3)``: squares ``(x, y, half side)`` (symbols, tiled boxes).
    taken_px : sequence of box, optional
        Boxes of labels already drawn.
    lines_px : sequence of shapely.LineString, optional
        Lines the label should not cross.

    Returns
    -------
    (float, float, float, float)
        The label's box.

    Examples
    --------
    >>> fallback_point_label_box((50, 50), (20, 10), 5, (0, 0, 100, 100), np.empty((0, 3)))
    (55.0, 45.0, 75.0, 55.0)
    >>> fallback_point_label_box((95, 50), (20, 10), 5, (0, 0, 100, 100), np.empty((0, 3)))
    (70.0, 45.0, 90.0, 55.0)
    """
    ax, ay = (float(v) for v in anchor_px)
    w, h = (float(v) for v in size_px)
    ux, uy = (g.ravel() for g in np.meshgrid([1.0, -1.0, 0.0], [0.0, 1.0, -1.0]))
    keep = (ux != 0) | (uy != 0)
    ux, uy = ux[keep], uy[keep]
    gaps = gap_px * np.array([1.0, 2.0, 4.0, 8.0])
    ux, uy, gap = (np.tile(ux, len(gaps)), np.tile(uy, len(gaps)), np.repeat(gaps, len(ux)))
    x0 = np.where(ux > 0, ax + gap, np.where(ux < 0, ax - gap - w, ax - w / 2))
    y0 = np.where(uy > 0, ay + gap, np.where(uy < 0, ay - gap - h, ay - h / 2))
    fx0, fy0, fx1, fy1 = (float(v) for v in frame_px)
    x0 = np.clip(x0, fx0, max(fx1 - w, fx0))
    y0 = np.clip(y0, fy0, max(fy1 - h, fy0))
    boxes = np.column_stack([x0, y0, x0 + w, y0 + h])
    taken = np.zeros(len(boxes))
    for box in taken_px:
        taken += boxes_overlap(boxes, box)
    squares = np.asarray(obstacles_px, dtype=float).reshape(-1, 3)
    covered = np.zeros(len(boxes))
    if len(squares):
        covered = boxes_overlap_squares(boxes, squares).sum(axis=1)
    distance = np.hypot(np.maximum.reduce([x0 - ax, ax - x0 - w, np.zeros(len(x0))]),
                        np.maximum.reduce([y0 - ay, ay - y0 - h, np.zeros(len(y0))]))
    too_close = distance < gap_px - 1e-9   # shifted onto its own symbol
    if len(taken_px):   # a label more than LEADER_GAPS gaps off gets a leader line: it must not cross a taken box
        near = np.column_stack([np.clip(ax, x0, x0 + w), np.clip(ay, y0, y0 + h)])
        leaders = shapely.linestrings(np.stack([np.broadcast_to([ax, ay], near.shape), near], axis=1))
        taken += (distance > LEADER_GAPS * gap_px) & shapely.intersects(
            leaders, shapely.union_all(shapely.box(*np.asarray(taken_px, dtype=float).reshape(-1, 4).T)))
    crossing = (shapely.intersects(shapely.box(x0, y0, x0 + w, y0 + h), shapely.union_all(list(lines_px)))
                if len(lines_px) else np.zeros(len(boxes), dtype=bool))
    best = int(np.lexsort((np.round(distance, 6), covered, crossing, too_close, taken))[0])
    return tuple(float(v) for v in boxes[best])


def boxes_overlap_squares(boxes, squares) -> np.ndarray:
    """Which of ``boxes`` (shape ``(n, 4)``) overlap which squares ``(x, y, half side)`` (shape ``(m, 3)``).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, m)``, bool.

    Examples
    --------
    >>> boxes_overlap_squares(np.array([[0, 0, 2, 2]]), np.array([[3, 1, 1.5], [5, 1, 1]])).tolist()
    [[True, False]]
    """
    b = np.asarray(boxes, dtype=float).reshape(-1, 4)[:, None, :]
    s = np.asarray(squares, dtype=float).reshape(-1, 3)[None, :, :]
    return ((b[..., 0] < s[..., 0] + s[..., 2]) & (b[..., 2] > s[..., 0] - s[..., 2])
            & (b[..., 1] < s[..., 1] + s[..., 2]) & (b[..., 3] > s[..., 1] - s[..., 2]))


__all__ = ["KEEP_OUT_BOXES", "LABEL_TIERS", "LEADER_GAPS", "MAJOR_PLACE_COUNT", "MAJOR_PLACE_POPULATION", "POINT_SIDES", "area_anchors",
           "area_label_spot", "boxes_overlap", "boxes_overlap_squares", "clear_anchor", "fallback_point_label_box",
           "label_priority", "longest_first", "place_tier", "place_tiers", "ring_anchors", "ring_label_spot", "spread_best",
           "tile_box"]
