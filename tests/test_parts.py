"""rangemap.geodesy.parts: the one walk over a geometry's parts, at any nesting depth."""

import numpy as np
import shapely

from rangemap.geodesy.parts import flat_parts, paths_deg, polygons, rings

SQUARE = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], [[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)]])
TRIANGLE = shapely.Polygon([(5, 5), (6, 5), (5, 6)])


def nested():
    """A MultiPolygon inside a GeometryCollection inside a GeometryCollection, with a line and a point around it."""
    inner = shapely.GeometryCollection([shapely.MultiPolygon([SQUARE, TRIANGLE]), shapely.Point(9, 9)])
    return shapely.GeometryCollection([shapely.LineString([(2, 2), (3, 3)]), inner,
                                       shapely.MultiPoint([(7, 7), (8, 8)])])


def test_flat_parts_flattens_collections_in_collections_in_order():
    parts = flat_parts(nested())
    assert [p.geom_type for p in parts] == ["LineString", "Polygon", "Polygon", "Point", "Point", "Point"]
    assert parts[1].equals_exact(SQUARE, 0) and parts[2].equals_exact(TRIANGLE, 0)
    assert [(p.x, p.y) for p in parts[3:]] == [(9, 9), (7, 7), (8, 8)]


def test_flat_parts_leaves_out_empty_parts_and_takes_none():
    g = shapely.GeometryCollection([shapely.Point(), shapely.GeometryCollection([shapely.Polygon()]),
                                    shapely.Point(1, 2)])
    assert [p.wkt for p in flat_parts(g)] == ["POINT (1 2)"]
    assert flat_parts(None) == [] and flat_parts(shapely.GeometryCollection()) == []


def test_flat_parts_survives_nesting_deeper_than_the_recursion_limit():
    g = shapely.Point(1, 1)
    for _ in range(2000):
        g = shapely.GeometryCollection([g])
    assert [p.wkt for p in flat_parts(g)] == ["POINT (1 1)"]


def test_a_simple_geometry_is_its_own_part():
    for g in (shapely.Point(0, 0), shapely.LineString([(0, 0), (1, 1)]), shapely.LinearRing([(0, 0), (1, 0), (0, 1)]),
              SQUARE):
        assert flat_parts(g) == [g]


def test_polygons_at_any_depth():
    assert len(polygons(nested())) == 2
    assert polygons(shapely.MultiLineString([[(0, 0), (1, 1)]])) == []


def test_rings_are_the_shell_then_the_holes():
    shell, hole = rings(SQUARE)
    assert shell.equals(SQUARE.exterior) and hole.equals(SQUARE.interiors[0])
    assert len(rings(TRIANGLE)) == 1


def test_paths_cover_every_vertex_once_per_path():
    paths = paths_deg(nested())
    # Line, square shell, square hole, triangle shell, three points.
    assert [len(p) for p in paths] == [2, 5, 5, 4, 1, 1, 1]
    assert all(p.shape[1] == 2 for p in paths)
    total = np.vstack(paths)
    assert len(total) == shapely.get_num_coordinates(nested())
