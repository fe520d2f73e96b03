"""Static maps: files written and non-blank, labels legible and apart, scale bar true, user text literal."""

import itertools
import re
import warnings
import xml.etree.ElementTree as ET

import matplotlib
import matplotlib.image
import numpy as np
import pyproj
import pytest

from rangemap.outputs import style
from rangemap.errors import InvalidInputError
from rangemap.model.results import run_scenario
from rangemap.model.scenario import parse_scenario
from rangemap.outputs.static import (LABEL_GID, LAUNCH_AREA_GID, SCALE_BAR_GID, map_crs, scale_bar, show_static,
                                     static_figure, static_format, static_map, wrap_text)

SVG_NS = "{http://www.w3.org/2000/svg}"
GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def written(default_result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("static")
    return {fmt: static_map(default_result, folder / f"map.{fmt}") for fmt in ("png", "svg", "pdf")}


@pytest.fixture(scope="module")
def default_figure(default_result):
    fig = static_figure(default_result)
    fig.draw_without_rendering()
    return fig


def _labels(fig):
    return [t for ax in fig.axes for t in ax.texts if (t.get_gid() or "").startswith(LABEL_GID)]


def _svg_texts_by_kind(path) -> dict[str, list[str]]:
    """Text of every ``<text>`` element, grouped by the label kind of the group (id) that holds it."""
    root = ET.parse(path).getroot()
    out: dict[str, list[str]] = {}
    for group in root.iter(f"{SVG_NS}g"):
        match = re.fullmatch(rf"{LABEL_GID}-(\w+)-\d+", group.get("id", ""))
        if match:
            out.setdefault(match.group(1), []).extend("".join(t.itertext()) for t in group.iter(f"{SVG_NS}text"))
    out["all"] = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    return out


@pytest.mark.slow
def test_png_is_1600_px_wide_and_not_blank(written):
    image = matplotlib.image.imread(written["png"])
    assert image.shape[1] == 1600 and 900 < image.shape[0] < 2400
    rgb = image[..., :3]
    assert rgb.std() > 0.1
    assert len(np.unique((rgb * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 500


@pytest.mark.slow
def test_svg_keeps_place_region_and_ring_labels_as_text(written):
    texts = _svg_texts_by_kind(written["svg"])
    assert {"KURSK", "BELGOROD", "BRYANSK", "CRIMEA"} <= set(texts["region"])
    assert {"Voronezh", "Belgorod", "Kursk", "Sevastopol"} <= set(texts["place"])
    assert {"Zaporizhzhia", "Kherson", "Mykolaiv"} <= set(texts["launch"])
    assert sorted(texts["ring"]) == ["165 km", "165 km", "300 km", "300 km"]
    assert {"RUSSIA", "UKRAINE"} <= set(texts["country"])
    everything = " ".join(texts["all"])
    assert "Natural Earth" in everything and "GeoNames" in everything and "ATACMS reach, November 2024" in everything
    assert "Internationally recognised as part of Ukraine" in everything


def test_pdf_is_a_pdf(written):
    data = written["pdf"].read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 100_000


def test_no_two_labels_overlap_and_the_key_ones_are_there(default_figure, default_result):
    renderer = default_figure.canvas.get_renderer()
    labels = _labels(default_figure)
    boxes = np.array([t.get_window_extent(renderer).extents for t in labels])   # x0, y0, x1, y1
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        overlap_w = min(a[2], b[2]) - max(a[0], b[0])
        overlap_h = min(a[3], b[3]) - max(a[1], b[1])
        assert overlap_w <= 0 or overlap_h <= 0, (labels[i].get_text(), labels[j].get_text(), overlap_w, overlap_h)
    texts = [t.get_text() for t in labels]
    assert {"KURSK", "CRIMEA", "BELGOROD", "BRYANSK", "Kursk", "Belgorod", "Sevastopol", "300 km", "165 km"} <= set(
        texts)
    # Against the places in range (one row per distinct place): every place of 100,000 or more is
    # labelled, and at least 80 % of all of them (the default scenario has 30).
    places = default_result.places.groupby(["name", "lon", "lat"], as_index=False).population.max()
    place_texts = [t.get_text() for t in labels if "-place-" in t.get_gid()]
    assert set(places.name[places.population >= 100_000]) <= set(place_texts)
    assert len(places) >= 25 and len(place_texts) >= 0.8 * len(places)
    assert len(place_texts) <= len(places)
    # Every launch site is labelled, the long Sudzha label too (wrapped, whole).
    launch_texts = [" ".join(t.get_text().split()) for t in labels if "-launch-" in t.get_gid()]
    assert {"Zaporizhzhia", "Kherson", "Mykolaiv"} <= set(launch_texts)
    assert "Sudzha (Kursk Oblast; held by Ukrainian forces August 2024 – March 2025)" in launch_texts
    # Map labels stay inside the map frame (graticule labels sit outside it, on purpose).
    frame = default_figure.axes[0].get_window_extent(renderer).extents
    inside = [b for t, b in zip(labels, boxes) if "-graticule-" not in t.get_gid()]
    assert all(frame[0] <= b[0] and b[2] <= frame[2] and frame[1] <= b[1] and b[3] <= frame[3] for b in inside)


def test_place_labels_do_not_cover_place_symbols(default_figure, default_result):
    renderer = default_figure.canvas.get_renderer()
    ax = default_figure.axes[0]
    to_map = pyproj.Transformer.from_crs("EPSG:4326", map_crs(default_result), always_xy=True)
    x, y = to_map.transform(default_result.places.lon.to_numpy(), default_result.places.lat.to_numpy())
    centres_px = ax.transData.transform(np.column_stack([x, y]))
    for t in _labels(default_figure):
        if "-place-" in t.get_gid() or "-launch-" in t.get_gid():
            x0, y0, x1, y1 = t.get_window_extent(renderer).extents
            covered = (centres_px[:, 0] > x0) & (centres_px[:, 0] < x1) & (centres_px[:, 1] > y0) & (
                centres_px[:, 1] < y1)
            assert not covered.any(), t.get_text()


def test_scale_bar_length_agrees_with_geod(default_figure, default_result):
    ax = default_figure.axes[0]
    (bar,) = [line for line in ax.lines if line.get_gid() == SCALE_BAR_GID]
    (label,) = [t for t in _labels(default_figure) if "-scalebar-" in t.get_gid()]
    stated_km = float(label.get_text().removesuffix(" km"))
    lon, lat = pyproj.Transformer.from_crs(map_crs(default_result), "EPSG:4326", always_xy=True).transform(
        bar.get_xdata(), bar.get_ydata())
    _, _, measured_m = GEOD.inv(lon[0], lat[0], lon[-1], lat[-1])
    assert abs(measured_m / 1000 - stated_km) <= 0.01 * stated_km
    frame_m = np.diff(ax.get_xlim())[0]
    assert 0.08 < (bar.get_xdata()[-1] - bar.get_xdata()[0]) / frame_m < 0.3


@pytest.mark.parametrize("lat0, x0_m, y_m", [(0.0, 0.0, 0.0), (60.0, -1_500_000.0, -1_200_000.0),
                                             (-75.0, 2_000_000.0, 2_500_000.0)])
def test_scale_bar_is_true_far_from_the_projection_centre(lat0, x0_m, y_m):
    crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0=20 +datum=WGS84 +units=m +no_defs")
    to_lonlat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    x1, length_m = scale_bar(to_lonlat, x0_m, y_m, 450_000.0)
    assert length_m == 250_000.0
    lon, lat = to_lonlat.transform([x0_m, x1], [y_m, y_m])
    assert GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2] == pytest.approx(length_m, rel=0.01)


HOSTILE_TITLE = "$x^2$ {braces} \\alpha \\\\ %s {0} <b>&amp; " + "long " * 1000
HOSTILE = {
    "name": "hostile",
    "title": HOSTILE_TITLE,
    "date": "$5-$6",
    "notes": "\\textbf{x}",
    "sources": ["$\\frac{1}{2$ unbalanced", "مرحبا-بالعالم", "中文标题テスト", "x" * 5000],
    "weapons": [{"name": "W$^2$_{x}", "range_km": 120, "source": "$src$"}],
    "regions": ["Kursk"],
    "launch": [{"id": "a", "label": "$\\frac{1}{2}$", "sites": [{"point": [36.25, 50.0], "label": "$site$\\n"}]}],
}


@pytest.mark.slow
def test_hostile_text_renders_literally(tmp_path):
    result = run_scenario(parse_scenario(HOSTILE))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        svg = static_map(result, tmp_path / "hostile.svg")
        png = static_map(result, tmp_path / "hostile.png")
        static_map(result, tmp_path / "hostile.pdf")
    by_kind = _svg_texts_by_kind(svg)
    # The site stands in a crowd of places round Kharkiv: its label is drawn all the same, as a launch label.
    assert by_kind.get("launch") == ["$site$\\n"]
    texts = " ".join(by_kind["all"])
    for literal in ("$x^2$", "{braces}", "\\alpha", "\\\\", "%s", "{0}", "<b>&amp;", "$5-$6",
                    "$\\frac{1}{2$", "مرحبا-بالعالم", "中文标题テスト", "W$^2$_{x}", "$src$", "$site$\\n",
                    "$\\frac{1}{2}$"):
        assert literal in texts, literal
    assert "…" in texts   # the 5,000-character title is cut to two lines
    image = matplotlib.image.imread(png)
    assert image.shape[1] == 1600 and image.shape[0] < 2400


def test_wrap_text_bounds_lines_and_drops_control_characters():
    wrapped = wrap_text("a\x00b " + "y" * 5000, 40, 3)
    assert wrapped.startswith("ab ") and wrapped.count("\n") == 2 and wrapped.endswith("…")
    assert max(len(line) for line in wrapped.split("\n")) <= 40


@pytest.mark.slow
def test_a_tiny_map_drops_labels_quietly(default_result, tmp_path, capsys):
    path = static_map(default_result, tmp_path / "tiny.png", width_px=200)
    assert matplotlib.image.imread(path).shape[1] == 200
    assert capsys.readouterr().out == ""   # the CLI prints the file's path on stdout, nothing else


def test_formats_and_sizes_are_checked(default_result, tmp_path):
    assert static_format("a.PNG") == "png" and static_format("a.out", "svg") == "svg"
    with pytest.raises(InvalidInputError, match="a.jpg"):
        static_format("a.jpg")
    with pytest.raises(InvalidInputError, match="width_px"):
        static_map(default_result, tmp_path / "a.png", width_px=10)
    with pytest.raises(InvalidInputError, match="dpi"):
        static_map(default_result, tmp_path / "a.png", dpi=0)
    with pytest.raises(InvalidInputError, match="width_px"):
        static_map(default_result, tmp_path / "a.png", width_px=True)
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_print_size_keeps_the_layout(default_result, tmp_path, default_figure):
    path = static_map(default_result, tmp_path / "print.png", dpi=300)
    image = matplotlib.image.imread(path)
    assert image.shape[1] == 3000
    assert image.shape[0] == pytest.approx(3000 / 1600 * default_figure.bbox.height, abs=2)


@pytest.mark.slow
def test_notebook_image_is_a_small_png(default_result):
    png = show_static(default_result)._repr_png_()
    assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == 900


def test_footprint_across_the_antimeridian_is_drawn_whole(tmp_path):
    result = run_scenario(parse_scenario({
        "name": "am", "weapons": [{"name": "X", "range_km": 600, "source": "test"}],
        "launch": [{"id": "a", "label": "Chukotka", "sites": [{"point": [179.5, 65.0]}]}]}))
    assert result.footprints[0].geometry.geom_type == "MultiPolygon"   # split at ±180° in lon/lat
    fig = static_figure(result)
    fig.draw_without_rendering()
    texts = [t.get_text() for t in _labels(fig)]
    assert texts.count("RUSSIA") == 1 and texts.count("600 km") == 1
    assert {"170°E", "180°", "170°W"} <= set(texts)
    # The ring is one closed outline in the map: its two lon/lat halves meet without a seam along 180°.
    ring_paths = [p for c in fig.axes[0].collections if len(c.get_edgecolor()) and c.get_facecolor().size == 0
                  and matplotlib.colors.same_color(c.get_edgecolor()[0], style.PALETTE[0]) for p in c.get_paths()]
    assert len(ring_paths) == 1


def test_region_labels_lie_inside_their_regions(default_figure, default_result):
    import geopandas as gpd
    import shapely

    renderer = default_figure.canvas.get_renderer()
    ax = default_figure.axes[0]
    regions = {r.name.upper(): r.geometry for r in default_result.scenario.regions}
    projected = dict(zip(regions, gpd.GeoSeries(list(regions.values()), crs=4326).to_crs(map_crs(default_result))))
    labels = [t for t in _labels(default_figure) if "-region-" in t.get_gid()]
    assert sorted(t.get_text() for t in labels) == sorted(regions)
    for t in labels:
        corners = ax.transData.inverted().transform(t.get_window_extent(renderer).get_points())
        box = shapely.box(*corners.ravel())
        assert box.intersection(projected[t.get_text()]).area >= 0.8 * box.area, t.get_text()


def test_a_narrow_sheet_keeps_every_launch_label_and_only_region_labels_inside(default_result):
    import geopandas as gpd
    import shapely

    fig = static_figure(default_result, width_px=900, dpi=160)   # a 5.6 inch sheet: the map is crowded
    fig.draw_without_rendering()
    renderer, ax = fig.canvas.get_renderer(), fig.axes[0]
    labels = _labels(fig)
    launch = [t for t in labels if "-launch-" in t.get_gid()]
    point_sites = [s for g in default_result.scenario.launches for s in g.sites if s.geometry.geom_type == "Point"]
    assert len(point_sites) == 4 and len(launch) == len(point_sites)   # Sudzha and the three cities
    frame = ax.get_window_extent(renderer).extents
    boxes = [t.get_window_extent(renderer).extents for t in launch]
    for b in boxes:
        assert frame[0] <= b[0] and b[2] <= frame[2] and frame[1] <= b[1] and b[3] <= frame[3]
    for a, b in itertools.combinations(boxes, 2):
        assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])
    regions = {r.name.upper(): r.geometry for r in default_result.scenario.regions}
    projected = dict(zip(regions, gpd.GeoSeries(list(regions.values()), crs=4326).to_crs(map_crs(default_result))))
    for t in labels:
        if "-region-" in t.get_gid():
            box = shapely.box(*ax.transData.inverted().transform(t.get_window_extent(renderer).get_points()).ravel())
            assert box.intersection(projected[t.get_text()]).area >= 0.8 * box.area, t.get_text()


def _blend(colour: str, opacity: float, under) -> np.ndarray:
    """``colour`` at ``opacity`` over the RGB ``under`` (0..1), as Agg draws it."""
    return opacity * np.array(matplotlib.colors.to_rgb(colour)) + (1 - opacity) * np.asarray(under)


def test_a_launch_file_holding_a_multipolygon_is_drawn(tmp_path):
    import json

    import geopandas as gpd
    import shapely

    # Two squares in the steppe of Kazakhstan, one feature: the file site's geometry is a
    # GeometryCollection holding a MultiPolygon, two levels above its polygons.
    squares = shapely.MultiPolygon([shapely.box(66.0, 48.0, 66.8, 48.5), shapely.box(67.6, 48.0, 68.4, 48.5)])
    (tmp_path / "x.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "field"}, "geometry": shapely.geometry.mapping(squares)}]}))
    result = run_scenario(parse_scenario({
        "name": "multi", "weapons": [{"name": "X", "range_km": 100, "source": "test"}],
        "launch": [{"id": "a", "label": "Fields", "sites": [{"file": "x.geojson"}]}]}, base_dir=tmp_path))
    svg = static_map(result, tmp_path / "m.svg")
    png = static_map(result, tmp_path / "m.png")

    root = ET.parse(svg).getroot()
    areas = [g for g in root.iter(f"{SVG_NS}g") if g.get("id", "").startswith(LAUNCH_AREA_GID)]
    assert len(areas) == 1 and len(list(areas[0].iter(f"{SVG_NS}path"))) >= 2   # both squares

    # In the PNG, the launch area's yellow over the footprint's fill over land fills most of each square.
    fig = static_figure(result)
    ax = fig.axes[0]
    image = matplotlib.image.imread(png)[..., :3]
    fp = style.footprint_style(style.PALETTE[0], "X", 100)
    under = _blend(fp.fill, fp.fill_opacity, matplotlib.colors.to_rgb(style.LAND))
    expected = _blend(style.LAUNCH_AREA.fill, style.LAUNCH_AREA.fill_opacity, under)
    for square in squares.geoms:
        projected = gpd.GeoSeries([square], crs=4326).to_crs(map_crs(result)).iloc[0]
        corners_px = ax.transData.transform(np.reshape(projected.bounds, (2, 2)))
        (x0, y0), (x1, y1) = np.round(corners_px).astype(int)
        rows = slice(image.shape[0] - y1 + 3, image.shape[0] - y0 - 3)   # image rows run down; keep off the outline
        inside = image[rows, x0 + 3:x1 - 3].reshape(-1, 3)
        matching = np.all(np.abs(inside - expected) < 6 / 255, axis=1)
        assert inside.size and matching.mean() > 0.5, matching.mean()


def test_the_points_of_a_launch_file_are_drawn_and_the_site_labelled_once(tmp_path):
    import json

    import geopandas as gpd
    import shapely

    # Three pads in the steppe of Kazakhstan: two in one MultiPoint feature, one a Point feature.
    # The file site's geometry is a GeometryCollection holding them, as the page draws them.
    pads = [(66.0, 48.0), (67.5, 48.3), (68.6, 47.7)]
    (tmp_path / "x.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "pads"},
         "geometry": shapely.geometry.mapping(shapely.MultiPoint(pads[:2]))},
        {"type": "Feature", "properties": {"name": "pad"},
         "geometry": shapely.geometry.mapping(shapely.Point(pads[2]))}]}))
    result = run_scenario(parse_scenario({
        "name": "pads", "weapons": [{"name": "X", "range_km": 100, "source": "test"}],
        "launch": [{"id": "a", "label": "Pads", "sites": [{"file": "x.geojson"}]}]}, base_dir=tmp_path))
    svg = static_map(result, tmp_path / "m.svg")
    png = static_map(result, tmp_path / "m.png")

    # One label for the site (its file's name), as on the page, which labels a site once.
    assert _svg_texts_by_kind(svg).get("launch") == [result.scenario.launches[0].sites[0].label]

    # In the PNG, each pad's spot is the launch site's yellow (the marker is opaque and centred there).
    fig = static_figure(result)
    ax = fig.axes[0]
    image = matplotlib.image.imread(png)[..., :3]
    fill = np.array(matplotlib.colors.to_rgb(style.LAUNCH_SITE.fill))
    projected = gpd.GeoSeries(shapely.points(pads), crs=4326).to_crs(map_crs(result))
    for x, y in np.round(ax.transData.transform(np.column_stack([projected.x, projected.y]))).astype(int):
        patch = image[image.shape[0] - y - 1:image.shape[0] - y + 2, x - 1:x + 2].reshape(-1, 3)
        assert np.all(np.abs(patch - fill) < 6 / 255), (x, y, patch)


@pytest.mark.parametrize("lon, lat, noted", [pytest.param(34.0, 45.5, True, marks=pytest.mark.slow),
                                              pytest.param(179.5, 65.0, False, marks=pytest.mark.slow)])
def test_both_maps_state_the_crimea_note_by_one_rule(lon, lat, noted):
    import json

    from rangemap.data.gazetteer import CRIMEA_NOTE
    from rangemap.outputs.page import render_html

    # No regions of interest: the note is stated where, and only where, the map shows Crimea.
    result = run_scenario(parse_scenario({
        "name": "note", "weapons": [{"name": "X", "range_km": 100, "source": "test"}],
        "launch": [{"id": "a", "label": "Here", "sites": [{"point": [lon, lat]}]}]}))
    fig = static_figure(result)
    credits = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    page = render_html(result, offline=True)
    block = re.search(r"<script type='application/json' id='rangemap-data'>(.*?)</script>", page, re.S).group(1)
    about = {a["heading"]: a.get("text") for a in json.loads(block)["about"]}
    assert ("Crimea: " + CRIMEA_NOTE[:40] in credits) is noted
    assert (about.get("Crimea") == CRIMEA_NOTE) is noted
