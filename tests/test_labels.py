"""Label placement rules (rangemap.labels): ring labels on their ring and apart, area labels inside and clear."""

import numpy as np
import shapely

from rangemap.labels import area_label_spot, boxes_overlap, clear_anchor, ring_label_spot, tile_box

FRAME = (0.0, 0.0, 1000.0, 800.0)


def _circle(cx, cy, r):
    return shapely.Point(cx, cy).buffer(r, quad_segs=64).exterior


def test_ring_label_sits_on_its_ring_inside_the_frame():
    ring = _circle(500, 400, 300)
    (x, y), box = ring_label_spot(ring, [], np.empty((0, 2)), (60, 16), FRAME, [])
    assert ring.distance(shapely.Point(x, y)) < 1e-6
    assert FRAME[0] < box[0] and box[2] < FRAME[2] and FRAME[1] < box[1] and box[3] < FRAME[3]


def test_ring_labels_of_concentric_rings_do_not_overlap_and_keep_off_the_other_ring():
    outer, inner = _circle(500, 400, 350), _circle(500, 400, 150)
    (xo, yo), box_o = ring_label_spot(outer, [inner], np.empty((0, 2)), (60, 16), FRAME, [])
    (xi, yi), box_i = ring_label_spot(inner, [outer], np.empty((0, 2)), (60, 16), FRAME, [box_o])
    assert not boxes_overlap(np.array([box_i]), box_o)[0]
    assert shapely.Point(xo, yo).distance(inner) >= 3 * 16 - 1e-6


def test_ring_label_moves_away_from_a_taken_spot_or_gives_up():
    ring = _circle(500, 400, 100)
    everything = (0.0, 0.0, 1000.0, 800.0)
    assert ring_label_spot(ring, [], np.empty((0, 2)), (60, 16), FRAME, [everything]) is None
    left_half = (0.0, 0.0, 500.0, 800.0)
    (x, _), box = ring_label_spot(ring, [], np.empty((0, 2)), (60, 16), FRAME, [left_half])
    assert box[0] >= 500.0 and x > 500


def test_tiles_cover_the_box_and_nothing_far_outside():
    box = (10.0, 20.0, 97.0, 38.0)
    tiles = tile_box(box)
    rng = np.random.default_rng(1)
    pts = np.column_stack([rng.uniform(box[0], box[2], 2000), rng.uniform(box[1], box[3], 2000)])
    inside_a_tile = ((np.abs(pts[:, None, 0] - tiles[None, :, 0]) <= tiles[None, :, 2])
                     & (np.abs(pts[:, None, 1] - tiles[None, :, 1]) <= tiles[None, :, 2])).any(axis=1)
    assert inside_a_tile.all()
    assert (tiles[:, 0] - tiles[:, 2] >= box[0] - 1e-9).all() and (tiles[:, 0] + tiles[:, 2] <= box[2] + 1e-9).all()


def test_area_label_anchor_is_inside_and_clear_of_symbols():
    area = shapely.Polygon([(0, 0), (400, 0), (400, 100), (100, 100), (100, 300), (0, 300)])   # an L
    towns = [shapely.Point(350, 50), shapely.Point(50, 250)]
    anchor = clear_anchor(area, towns, (60.0, 15.0))
    label = shapely.box(anchor.x - 30, anchor.y - 7.5, anchor.x + 30, anchor.y + 7.5)
    assert area.contains(label)
    assert all(label.distance(t) > 20 for t in towns)


def test_area_label_anchor_falls_back_when_the_area_is_crowded():
    area = shapely.box(0, 0, 100, 20)
    crowd = [shapely.Point(x, 10) for x in range(0, 101, 10)]
    anchor = clear_anchor(area, crowd, (60.0, 15.0))
    assert area.contains(anchor)


def test_area_label_spot_keeps_inside_and_off_obstacles_and_lines():
    area = shapely.box(0, 0, 300, 100)
    squares = np.array([[150.0, 50.0, 40.0]])           # a symbol (or a tiled label) in the middle
    line = shapely.LineString([(250, 0), (250, 100)])   # a launch line across the right end
    (x, y), box = area_label_spot(area, (60, 20), squares, [line])
    label = shapely.box(*box)
    assert area.buffer(1e-9).contains(label)
    assert not label.intersects(line)
    assert label.intersection(shapely.box(110, 10, 190, 90)).area == 0
    assert x < 150   # the free room is on the left


def test_area_label_spot_gives_up_where_nothing_fits():
    assert area_label_spot(shapely.box(0, 0, 40, 10), (60, 20), np.empty((0, 3))) is None
    crowded = np.array([[x, y, 15.0] for x in range(0, 301, 20) for y in range(0, 101, 20)])
    assert area_label_spot(shapely.box(0, 0, 300, 100), (60, 20), crowded) is None
