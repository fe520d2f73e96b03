"""Label rules (rangemap.outputs.labels): one priority table for both maps; ring labels on their ring and apart,
area labels inside and clear."""

import numpy as np
import shapely

from rangemap.outputs.labels import (area_label_spot, boxes_overlap, boxes_overlap_squares, clear_anchor,
                             fallback_point_label_box, ring_label_spot, tile_box)

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


def _squares_grid(x0, x1, y0, y1, step, half):
    gx, gy = np.meshgrid(np.arange(x0, x1, step), np.arange(y0, y1, step))
    return np.column_stack([gx.ravel(), gy.ravel(), np.full(gx.size, half)])


def test_fallback_label_box_stays_in_the_frame_off_its_symbol():
    for anchor in [(2.0, 2.0), (998.0, 798.0), (500.0, 1.0), (999.0, 400.0)]:
        box = fallback_point_label_box(anchor, (200, 40), 8, FRAME, np.empty((0, 3)))
        assert FRAME[0] <= box[0] and box[2] <= FRAME[2] and FRAME[1] <= box[1] and box[3] <= FRAME[3]
        assert box[2] - box[0] == 200 and box[3] - box[1] == 40
        assert not shapely.box(*box).buffer(8 - 1e-6).contains(shapely.Point(anchor)), anchor


def test_fallback_label_box_takes_the_free_side_of_a_crowded_symbol():
    # Symbols fill everything right of x=480 round the anchor; the left is free but a taken box sits above-left.
    crowd = _squares_grid(480, 800, 200, 600, 20, 6)
    taken = [(300, 410, 470, 480)]
    box = fallback_point_label_box((500, 400), (120, 30), 10, FRAME, crowd, taken)
    assert not boxes_overlap(np.array(taken), box).any()
    assert not boxes_overlap_squares(np.array([box]), crowd).any()
    assert box[2] <= 490


def test_fallback_label_box_keeps_off_lines_where_it_can():
    line = shapely.LineString([(0, 410), (1000, 410)])   # just above the anchor: boxes beside it cross it
    box = fallback_point_label_box((500, 400), (120, 30), 10, FRAME, np.empty((0, 3)), (), [line])
    assert not shapely.box(*box).intersects(line)
    crossed = fallback_point_label_box((500, 400), (120, 30), 10, FRAME, np.empty((0, 3)))
    assert crossed[1] < 410 < crossed[3]   # without the line the nearest box (right of the anchor) would cross it


def _page_data_block(result) -> dict:
    import json
    import re

    from rangemap.outputs.page import render_html

    page = render_html(result, offline=False)
    return json.loads(re.search(r"<script type='application/json' id='rangemap-data'>(.*?)</script>", page,
                                re.S).group(1))


def test_each_ring_label_names_its_own_layer_when_two_layers_read_the_same():
    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import parse_scenario

    # Two launch groups with one label: their footprints' layers have the same name in the layer list.
    result = run_scenario(parse_scenario({
        "name": "twins", "weapons": [{"name": "X", "range_km": 100, "source": "test"}],
        "launch": [{"id": "a", "label": "Same", "sites": [{"point": [30.0, 50.0]}]},
                   {"id": "b", "label": "Same", "sites": [{"point": [34.0, 50.0]}]}]}))
    data = _page_data_block(result)
    ring_layers = [label["layer"] for label in data["labels"] if label["kind"] == "ring"]
    listed = [layer["var"] for layer in data["layers"]]
    assert len(ring_layers) == 2 and len(set(ring_layers)) == 2 and set(ring_layers) <= set(listed)


def test_the_page_ranks_labels_by_the_one_table(default_result):
    from rangemap.outputs.labels import LABEL_TIERS, MAJOR_PLACE_COUNT, MAJOR_PLACE_POPULATION, label_priority

    data = _page_data_block(default_result)
    places = default_result.places.groupby("name").population.max()
    # Independently of place_tiers: the biggest MAJOR_PLACE_COUNT places of 300,000 or more.
    major = set(places[places >= MAJOR_PLACE_POPULATION].sort_values(ascending=False).index[:MAJOR_PLACE_COUNT])
    assert 0 < len(major) and (places >= MAJOR_PLACE_POPULATION).sum() > MAJOR_PLACE_COUNT  # the cap bites here
    tiers = []
    for label in sorted(data["labels"], key=lambda lb: lb["priority"]):
        tier = label["kind"].split()[0]
        if tier == "place":
            tier = "major_place" if label["text"] in major else "place"
            assert ("place-big" in label["kind"]) == (places[label["text"]] >= MAJOR_PLACE_POPULATION), label
        assert LABEL_TIERS.index(tier) <= label["priority"] < LABEL_TIERS.index(tier) + 1, label
        tiers.append(tier)
    # Every tier is there, in the table's order, each in one run.
    assert list(dict.fromkeys(tiers)) == list(LABEL_TIERS)
    assert tiers == sorted(tiers, key=LABEL_TIERS.index)
    assert label_priority("ring", 5, 6) < label_priority("launch") < label_priority("place", 0, 1)


def test_the_static_map_draws_labels_in_the_order_of_the_same_table(default_result):
    import re

    from rangemap.outputs.labels import LABEL_TIERS, place_tiers
    from rangemap.outputs.static import LABEL_GID, static_figure

    fig = static_figure(default_result)
    places = default_result.places.groupby("name").population.max()
    tiers_by_name = dict(zip(places.index, place_tiers(places.to_numpy())))
    drawn = []
    for t in fig.axes[0].texts:
        match = re.fullmatch(rf"{LABEL_GID}-(\w+)-(\d+)", t.get_gid() or "")
        if match and match.group(1) in ("ring", "launch", "region", "country", "place"):
            kind = match.group(1)
            tier = tiers_by_name[t.get_text()] if kind == "place" else kind
            drawn.append((int(match.group(2)), tier))
    # Label ids count up in drawing order: the tiers come in the table's order.
    tiers = [tier for _, tier in sorted(drawn)]
    assert set(tiers) == set(LABEL_TIERS)
    assert tiers == sorted(tiers, key=LABEL_TIERS.index), tiers
