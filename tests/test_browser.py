"""The offline map in a real browser (Playwright driving the system Chromium).

Skipped only where there is no `chromium` on PATH and RANGEMAP_REQUIRE_BROWSER
is not set; CI sets it, so there a missing browser is a failure.
"""

from pathlib import Path

import numpy as np
import pytest
import shapely

from rangemap.outputs.page import write_map

from rangemap.outputs.page_data import footprint_layer_name

from pages import map_name, open_page, overlay_labels

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def offline_map(default_result, tmp_path_factory):
    path = write_map(default_result, tmp_path_factory.mktemp("map") / "offline.html", offline=True)
    assert path.stat().st_size <= 3_000_000, path.stat().st_size
    return path


def test_offline_map_is_self_contained_and_error_free(browser, offline_map):
    page, log = open_page(browser, offline_map)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "offline-map.png"))
    outside = [u for u in log["requests"] if not u.startswith(("file:", "data:"))]
    assert outside == []
    assert log["errors"] == []
    assert page.locator("#rangemap-title").inner_text().startswith("ATACMS reach, November 2024")
    # Notes, sources and the Crimea note sit behind "About this map".
    assert not page.locator("#rangemap-about").is_visible()
    page.get_by_role("button", name="About this map").click()
    about = page.locator("#rangemap-about")
    assert about.is_visible() and "occupied by Russia since 2014" in about.inner_text()
    assert "GeoNames" in about.inner_text() and "Natural Earth" in about.inner_text()
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".leaflet-tile").count() == 0  # vector basemap, no tiles
    page.close()


def test_layer_control_lists_every_weapon_layer(browser, offline_map, default_result):
    page, _ = open_page(browser, offline_map)
    labels = overlay_labels(page)
    for f in default_result.footprints:
        assert footprint_layer_name(f) in labels, (f.id, labels)
    assert not any("/" in label for label in labels)  # no internal ids such as "kursk/atacms"
    page.close()


@pytest.mark.slow
def test_unticking_a_layer_removes_its_paths_and_ring_label(browser, offline_map, default_result):
    page, _ = open_page(browser, offline_map)
    before = page.locator(".leaflet-overlay-pane path").count()
    name = footprint_layer_name(default_result.footprint("kursk/atacms"))
    rings = page.locator(".rm-label-ring[data-shown='yes']")
    shown_before = rings.count()
    box = page.locator(".leaflet-control-layers-overlays label", has_text=name).locator("input")
    box.uncheck()
    after = page.locator(".leaflet-overlay-pane path").count()
    assert after < before
    assert rings.count() == shown_before - 1
    box.check()
    assert page.locator(".leaflet-overlay-pane path").count() == before
    page.close()


@pytest.mark.slow
def test_clicking_inside_a_footprint_names_it(browser, offline_map, default_result):
    page, _ = open_page(browser, offline_map)
    target = default_result.footprint("kursk/atacms")
    # A point in the 300 km ring but outside the 165 km one, clear of panels: the click popup lists it.
    inside = shapely.difference(target.geometry, default_result.footprint("kursk/atacms-165").geometry)
    west, south, east, north = inside.bounds
    gx, gy = np.meshgrid(np.linspace(west, east, 40), np.linspace(south, north, 40))
    candidates = [(y, x) for x, y in zip(gx.ravel(), gy.ravel()) if inside.contains(shapely.Point(x, y))]
    name = map_name(page)
    pixels = page.evaluate("([n, pts]) => pts.map(p => { const q = window[n].latLngToContainerPoint(p);"
                           " return [q.x, q.y]; })", [name, candidates])
    panels = [page.locator(sel).bounding_box() for sel in ("#rangemap-title", "#rangemap-legend",
                                                           ".leaflet-control-layers", ".leaflet-control-zoom")]
    box = page.locator(f"#{name}").bounding_box()

    def free(x, y):
        inside_map = 40 < x < box["width"] - 40 and 40 < y < box["height"] - 40
        return inside_map and not any(p["x"] - 5 <= box["x"] + x <= p["x"] + p["width"] + 5 and
                                      p["y"] - 5 <= box["y"] + y <= p["y"] + p["height"] + 5 for p in panels)

    x, y = next((x, y) for x, y in pixels if free(x, y))
    page.mouse.click(box["x"] + x, box["y"] + y)
    popup = page.locator(".rm-reach")
    popup.wait_for()
    text = popup.inner_text()
    assert "What reaches here" in text and footprint_layer_name(target) in text
    assert footprint_layer_name(default_result.footprint("kursk/atacms-165")) not in text
    page.close()


@pytest.mark.slow
def test_user_text_is_escaped_and_runs_nothing(browser, tmp_path):
    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import parse_scenario

    evil = {
        "name": "xss", "title": "<script>window.__xss = 1</script>Title",
        "notes": "<img src=x onerror=\"window.__xss = 2\"> `${window.__xss = 3}` \\u0060",
        "sources": ["<b onmouseover=alert(1)>source</b>"],
        "weapons": [{"name": "<img src=y onerror=window.__xss=4>", "range_km": 50, "source": "${alert(5)}"}],
        "launch": [{"id": "a", "label": "`+alert(6)+`<svg onload=alert(7)>",
                    "sites": [{"point": [30.0, 50.0], "label": "<script>alert(8)</script>"}]}],
    }
    result = run_scenario(parse_scenario(evil, "evil.toml"))
    path = write_map(result, tmp_path / "evil.html", offline=True)
    page, log = open_page(browser, path)
    assert page.evaluate("window.__xss") is None
    assert log["dialogs"] == [] and log["errors"] == []
    assert page.locator("#rangemap-title").inner_text().startswith("<script>window.__xss = 1</script>Title")
    assert "<img src=y onerror=window.__xss=4>" in page.locator("#rangemap-legend").inner_text()
    assert any("<img src=y" in label for label in overlay_labels(page))
    # Open every popup and tooltip on the map: their content must not run anything either.
    opened = page.evaluate("(n) => { let k = 0; window[n].eachLayer(l => { if (l.getPopup && l.getPopup()) {"
                           " l.openPopup(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter()); k++; }"
                           " if (l.getTooltip && l.getTooltip()) { l.openTooltip(); } }); return k; }", map_name(page))
    assert opened >= 1
    assert "<script>alert(8)</script>" in page.content().replace("&lt;", "<").replace("&gt;", ">")
    assert page.evaluate("window.__xss") is None and log["dialogs"] == []
    page.close()


@pytest.mark.slow
def test_every_site_kind_draws_without_page_errors(browser, tmp_path):
    import json

    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import parse_scenario

    def collection(*geometries):
        return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": f"part {i}"},
                                                           "geometry": g} for i, g in enumerate(geometries)]}

    point = {"type": "Point", "coordinates": [33.0, 49.0]}
    line = {"type": "LineString", "coordinates": [[35.0, 47.5], [36.5, 47.8], [37.6, 48.2]]}
    polygon = {"type": "Polygon", "coordinates": [[[31, 50], [31.5, 50], [31.5, 50.5], [31, 50.5], [31, 50]]]}
    multi = {"type": "MultiPolygon", "coordinates": [[[[32, 51], [32.3, 51], [32.3, 51.3], [32, 51]]],
                                                     [[[32.5, 51], [32.8, 51], [32.8, 51.3], [32.5, 51]]]]}
    files = {"point": collection(point), "line": collection(line), "polygon": collection(polygon),
             "multi": collection(multi), "mixed": collection(point, line, polygon, multi)}
    for name, data in files.items():
        (tmp_path / f"{name}.geojson").write_text(json.dumps(data))
    kinds = [{"point": [30.5, 50.4]}, {"place": "Sumy"}, {"region": "Sumy"}, {"country": "Moldova"},
             {"border": ["Ukraine", "Belarus"]}] + [{"file": f"{n}.geojson", "label": f"file {n}"} for n in files]
    scenario = {"name": "kinds", "weapons": [{"name": "Test", "range_km": 20}],
                "launch": [{"id": f"g{i}", "label": f"group {i}", "sites": [site]} for i, site in enumerate(kinds)]}
    result = run_scenario(parse_scenario(scenario, "kinds.toml", tmp_path))
    path = write_map(result, tmp_path / "kinds.html", offline=True)
    page, log = open_page(browser, path)
    assert log["errors"] == []
    labels = overlay_labels(page)
    for i in range(len(kinds)):
        assert any(label.endswith(f"from group {i}") for label in labels), (i, labels)
    assert "Launch sites" in labels
    # Every part of every file site is drawn: markers for points, paths for lines and polygons.
    # (Lines and areas are drawn twice, a casing under the body; count the bodies, which take clicks.)
    drawn = page.evaluate("(n) => { let k = 0; window[n].eachLayer(l => { if (l.feature && l.options.interactive"
                          " !== false &&"
                          " l.feature.properties && String(l.feature.properties.label).startsWith('file ')) k++; });"
                          " return k; }", map_name(page))
    parts = {"point": 1, "line": 1, "polygon": 1, "multi": 2, "mixed": 5}
    assert drawn == sum(parts.values())
    page.close()
