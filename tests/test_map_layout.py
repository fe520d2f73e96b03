"""The interactive map as a reader sees it, in Chromium at desktop, laptop and phone sizes.

Labels are visible text and never overlap; controls never overlap; panels leave most of the map
uncovered; a click anywhere says what reaches that point, with distances that agree with pyproj.Geod
to 1 m; the offline basemap holds up to the maximum zoom. Screenshots go to test-artifacts/.
"""

from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from rangemap.data import gazetteer
from rangemap.outputs.page import write_map

import independent
from pages import map_name, open_page

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
VIEWPORTS = [(1400, 900), (1024, 768), (390, 844)]
GEOD = pyproj.Geod(ellps="WGS84")

VISIBLE_LABELS_JS = """() => [...document.querySelectorAll('.rm-label')].filter(e => e.dataset.shown === 'yes')
  .map(e => { const r = e.getBoundingClientRect();
              return {text: e.textContent, kind: e.className, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; })"""
CONTROLS_JS = """() => [...document.querySelectorAll('.leaflet-control')].filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
              return {id: e.id || e.className, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; })"""


@pytest.fixture(scope="module")
def offline_map(default_result, tmp_path_factory):
    return write_map(default_result, tmp_path_factory.mktemp("layout") / "map.html", offline=True)


def _overlap(a, b):
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]


def _covered_share(rects, width, height, step=2):
    grid = np.zeros((height // step + 1, width // step + 1), bool)
    for r in rects:
        x0, x1 = max(0, int(r["x0"] // step)), min(grid.shape[1], int(np.ceil(r["x1"] / step)))
        y0, y1 = max(0, int(r["y0"] // step)), min(grid.shape[0], int(np.ceil(r["y1"] / step)))
        grid[y0:y1, x0:x1] = True
    return grid.mean()


# The desktop view in the quick loop; the smaller ones in CI.
@pytest.mark.parametrize("viewport", [pytest.param(v, id=f"{v[0]}x{v[1]}", marks=() if i == 0 else pytest.mark.slow)
                                      for i, v in enumerate(VIEWPORTS)])
def test_labels_and_panels_at_the_default_view(browser, offline_map, viewport):
    page, log = open_page(browser, offline_map, viewport)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{viewport[0]}x{viewport[1]}.png"))
    assert log["errors"] == []
    labels = page.evaluate(VISIBLE_LABELS_JS)
    by_kind = {}
    for label in labels:
        kind = next(k for k in ("region", "place", "ring", "launch", "country") if f"rm-label-{k}" in label["kind"])
        by_kind.setdefault(kind, set()).add(label["text"])
    assert {"Kursk", "Crimea", "Belgorod", "Bryansk"} <= by_kind["region"], by_kind
    assert {"Kursk", "Belgorod", "Sevastopol"} <= by_kind["place"], by_kind
    assert {"300 km", "165 km"} <= by_kind["ring"], by_kind
    # Labels are text in the page (selectable, searchable), with nothing on top of another.
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not _overlap(a, b), (a, b)
    controls = page.evaluate(CONTROLS_JS)
    assert {"rangemap-title", "rangemap-legend", "rangemap-layers"} <= {c["id"] for c in controls}
    for i, a in enumerate(controls):
        for b in controls[i + 1:]:
            assert not _overlap(a, b), (a["id"], b["id"])
    share = _covered_share(controls, *viewport)
    assert share <= (0.40 if viewport[0] >= 900 else 0.60), share
    # The layer list starts collapsed on narrow screens only.
    collapsed = page.evaluate("!document.querySelector('.leaflet-control-layers').classList"
                              ".contains('leaflet-control-layers-expanded')")
    assert collapsed == (viewport[0] < 900)
    page.close()


def _click_at(page, lon, lat):
    name = map_name(page)
    point = page.evaluate("([n, lat, lon]) => { const p = window[n].latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [name, lat, lon])
    box = page.locator(f"#{name}").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    popup = page.locator(".rm-reach")
    popup.wait_for()
    clicked = page.evaluate("(n) => { let p = null; window[n].eachLayer(l => { if (l instanceof L.Popup) p ="
                            " l.getLatLng(); }); return p || window[n]._popup.getLatLng(); }", name)
    return popup, clicked["lng"], clicked["lat"]


@pytest.mark.slow
def test_a_click_in_crimea_says_its_share_and_status(browser, offline_map, default_result):
    page, _ = open_page(browser, offline_map)
    crimea = gazetteer.region("Crimea")
    popup, lon, lat = _click_at(page, 34.3, 45.25)  # the steppe north of the mountains, clear of places
    assert crimea.geometry.contains(shapely.Point(lon, lat))
    text = popup.inner_text()
    assert "Crimea" in text and crimea.status_note in text
    share = default_result.coverage
    best = share[(share.region == "Crimea")].share.max()
    assert f"{100 * best:.1f} % in range" in text
    page.close()


@pytest.mark.slow
@pytest.mark.parametrize("lon,lat", [(36.4, 46.7), (37.6, 52.6)])
def test_click_distances_agree_with_pyproj_to_1_m(browser, offline_map, default_result, lon, lat):
    page, _ = open_page(browser, offline_map)
    popup, lon, lat = _click_at(page, lon, lat)
    shown = popup.locator(".rm-distance").evaluate_all("els => els.map(e => parseFloat(e.dataset.distanceM))")
    assert len(shown) == len(default_result.scenario.launches)
    for group, page_m in zip(default_result.scenario.launches, shown):
        # Independent: brute-force Geod.inv against the launch geometry densified to 1 cm of slack.
        expected_m = independent.distances_m([lon], [lat], group.geometry, 100_000, slack_m=0.01)[0]
        inside = any(p.contains(shapely.Point(lon, lat)) for p in shapely.get_parts(group.geometry)
                     if p.geom_type.endswith("Polygon"))
        assert abs(page_m - (0.0 if inside else expected_m)) < 1.0, (group.id, page_m, expected_m)
    page.close()


@pytest.mark.slow
def test_places_and_launch_sites_keep_their_own_popups(browser, offline_map):
    page, _ = open_page(browser, offline_map)
    name = map_name(page)
    # The Kherson launch marker: its popup names the launch group, not "What reaches here".
    point = page.evaluate("(n) => { let q = null; window[n].eachLayer(l => { if (l instanceof L.Marker && l.feature"
                          " && String(l.feature.properties.label).startsWith('Kherson')) q ="
                          " window[n].latLngToContainerPoint(l.getLatLng()); }); return [q.x, q.y]; }", name)
    box = page.locator(f"#{name}").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1] + 2)
    page.locator(".leaflet-popup-content").wait_for()
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "Launch group" in text and "What reaches here" not in text
    page.close()


@pytest.mark.slow
def test_the_basemap_holds_up_at_the_maximum_zoom(browser, offline_map):
    page, _ = open_page(browser, offline_map)
    name = map_name(page)
    max_zoom = page.evaluate("(n) => window[n].getMaxZoom()", name)
    assert max_zoom == 10
    page.evaluate("(n) => window[n].setView([51.73, 36.19], window[n].getMaxZoom(), {animate: false})", name)
    # Land drawn under the centre of the view: a basemap path whose box holds the centre.
    drawn = page.evaluate("""(n) => { const m = window[n]; const c = m.getContainer().getBoundingClientRect();
        const x = c.left + c.width / 2, y = c.top + c.height / 2;
        return [...document.querySelectorAll('.leaflet-overlay-pane path')].some(p => {
          const r = p.getBoundingClientRect();
          return p.getAttribute('fill') === '#f2efe9' && r.left <= x && x <= r.right && r.top <= y && y <= r.bottom; }); }""",
                          name)
    assert drawn
    page.screenshot(path=str(ARTIFACTS / "map-max-zoom.png"))
    page.close()


@pytest.mark.slow
def test_antimeridian_view_is_one_piece(browser, tmp_path):
    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import parse_scenario

    result = run_scenario(parse_scenario({"name": "chukotka", "weapons": ["atacms"],
                                          "launch": [{"id": "a", "sites": [{"point": [179.5, 66.0]}]}]}, "inline"))
    page, log = open_page(browser, write_map(result, tmp_path / "am.html", offline=True))
    assert log["errors"] == []
    name = map_name(page)
    zoom, centre = page.evaluate("(n) => [window[n].getZoom(), window[n].getCenter()]", name)
    assert zoom >= 4 and abs(((centre["lng"] + 360) % 360) - 179.5) < 5
    page.screenshot(path=str(ARTIFACTS / "map-antimeridian.png"))
    page.close()


@pytest.mark.slow
def test_every_place_in_range_is_labelled_by_zoom_9(browser, offline_map, default_result):
    page, _ = open_page(browser, offline_map, (1024, 768))
    name = map_name(page)
    places = default_result.places.drop_duplicates(["name", "lon", "lat"])
    missing = page.evaluate("""([n, places]) => { const m = window[n]; const out = [];
        for (const [label, lat, lon] of places) {
          m.setView([lat, lon], 9, {animate: false});
          const shown = [...document.querySelectorAll('.rm-label')].some(e => e.dataset.shown === 'yes'
            && e.textContent === label);
          if (!shown) out.push(label);
        }
        return out; }""", [name, [[p.name, p.lat, p.lon] for p in places.itertuples()]])
    assert missing == [], missing
    page.close()


@pytest.mark.slow
def test_reach_map_draws_the_zone_offline(browser, tmp_path):
    import subprocess
    import sys

    out = tmp_path / "reach.html"
    proc = subprocess.run([sys.executable, "-m", "rangemap.cli", "reach", "--target", "Belgorod", "--weapon",
                           "atacms-165", "--map", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    page, log = open_page(browser, out)
    assert log["errors"] == [] and [u for u in log["requests"] if not u.startswith(("file:", "data:"))] == []
    zone = page.evaluate("() => [...document.querySelectorAll('.leaflet-overlay-pane path')]"
                         ".filter(p => p.getAttribute('stroke') === '#1a9850').length")
    assert zone >= 1  # the stretch of the border from which Belgorod is within 165 km
    assert "reaches Belgorod" in page.locator("#rangemap-title").inner_text()
    page.screenshot(path=str(ARTIFACTS / "reach-belgorod.png"))
    page.close()
