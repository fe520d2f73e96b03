"""The interactive map (folium / Leaflet), online with tiles or fully offline in one file.

Rendering draws what :mod:`rangemap.model.results` computed; it never measures
anything itself. All text that comes from scenarios, catalogs or users' files
is escaped before it reaches HTML or JavaScript, by :mod:`rangemap.io.escape`
(:func:`escape_text` for markup, :func:`script_json` for the page's data).

Offline maps make no network request: Leaflet's JavaScript, CSS and images are
inlined from the ``xstatic-leaflet`` package, folium's CDN extras (jQuery,
Bootstrap, Font Awesome) are left out (a few lines stand in for the bit of
jQuery folium's popups use), and a vector basemap of countries and regions from
the shipped geodata replaces the tiles.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import branca.element
import folium
import jinja2
import numpy as np
import shapely

from rangemap.outputs import style
from rangemap.io.atomic import write_text_atomic
from rangemap.io.escape import escape_text, inline_script, script_json
from rangemap.data.gazetteer import REGIONS_CREDIT, basemap_layers
from rangemap.outputs.page_data import (LAUNCHES_LAYER, PLACES_LAYER, POPUP_OPTIONS, REGIONS_LAYER, View,
                                        footprint_layer_id, footprint_layer_name, gain_layer_id, lonlat_boxes, map_view,
                                        page_data, to_display, weapon_range_label)
from rangemap.geodesy.antimeridian import join_split_pieces
from rangemap.geodesy.parts import flat_parts
from rangemap.model.results import ScenarioResult

COORD_DECIMALS = 6  # 0.11 m at most: small beside the footprints' 1 m tolerance
_BASEMAP_MARGIN_DEG = 8.0
# Admin-1 outlines of the offline basemap: about 1 km, sharp enough to the basemap's maximum zoom.
_BASEMAP_TOLERANCE_DEG = 0.01
# The vector basemap (Natural Earth 1:10m) holds up to about this zoom; tiles go further.
OFFLINE_MAX_ZOOM = 10
ONLINE_MAX_ZOOM = 18
_ASSETS = Path(__file__).resolve().parents[1] / "assets"
_JQUERY_SHIM = """
// The one piece of jQuery that folium's popups use: $(html)[0] and $(document).ready(f).
window.$ = window.jQuery = function (x) {
  if (x === document) {
    return {ready: function (f) {
      if (document.readyState !== "loading") { f(); } else { document.addEventListener("DOMContentLoaded", f); }
    }};
  }
  var t = document.createElement("template"); t.innerHTML = String(x).trim(); return [t.content.firstChild];
};
"""

class RawHTML(branca.element.Element):
    """Markup placed in the page as it is: a fixed template that outputs ``this.markup`` as data.

    ``folium.Element(text)`` would compile ``text`` as a Jinja template; this
    never does, so neither user text (escaped before it gets here) nor inlined
    third-party JavaScript and CSS can be read as template syntax.

    Parameters
    ----------
    markup : str
    """

    _template = jinja2.Template("{{ this.markup }}")

    def __init__(self, markup: str):
        super().__init__()
        self._name = "RawHTML"
        self.markup = markup


def _rounded(geometry, decimals: int = COORD_DECIMALS):
    return shapely.set_precision(geometry, 10.0 ** -decimals, mode="pointwise")


def _feature_collection(geometries, decimals: int = COORD_DECIMALS) -> dict:
    features = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(_rounded(g, decimals))}
                for g in geometries if g is not None and not g.is_empty]
    return {"type": "FeatureCollection", "features": features}


def _page(fmap: folium.Map) -> branca.element.Figure:
    """The page a map is drawn on: folium puts every Map in a branca Figure, though branca types it an Element."""
    root = fmap.get_root()
    assert isinstance(root, branca.element.Figure)
    return root


def _table_html(title: str, rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th style='text-align:left;padding-right:8px'>{escape_text(k)}</th>"
                    f"<td>{escape_text(v)}</td></tr>" for k, v in rows)
    return f"<div style='font:13px sans-serif'><b>{escape_text(title)}</b><table>{cells}</table></div>"


def _popup(title: str, rows) -> folium.Popup:
    return folium.Popup(_table_html(title, rows), **POPUP_OPTIONS)


def _geojson(geometries, area: dict, *, interactive: bool = True, shift: bool = False,
             decimals: int = COORD_DECIMALS, **kwargs) -> folium.GeoJson:
    """Geometries as one folium GeoJson layer drawn with fixed path options (no template sees any text)."""
    data = _feature_collection([to_display(g, shift) for g in geometries], decimals)
    return folium.GeoJson(data, style_function=lambda _f, s=area: s, highlight_function=None, smooth_factor=0.5,
                          interactive=interactive, **kwargs)


def _area_css(a: style.AreaStyle, fill: str | None = None) -> dict:
    """Leaflet path options for an area style (fill may come from the feature, e.g. a share in range)."""
    colour = fill or a.fill
    out = {"fill": colour is not None, "fillColor": colour, "fillOpacity": a.fill_opacity,
           "stroke": a.stroke is not None, "color": a.stroke, "weight": a.stroke_width_px}
    if a.dash_px:
        out["dashArray"] = " ".join(f"{d:g}" for d in a.dash_px)
    return out


def build_map(result: ScenarioResult, *, offline: bool = False) -> folium.Map:
    """The scenario's map as a folium Map: one ``_add_*`` per layer, all styled from :mod:`rangemap.outputs.style`.

    Parameters
    ----------
    result : ScenarioResult
    offline : bool, optional
        Vector basemap instead of tiles, and no plugins that load from a CDN.

    Returns
    -------
    folium.Map
    """
    view = map_view(result)
    west, south, east, north = view.bounds_deg
    fmap = folium.Map(tiles=None if offline else "OpenStreetMap", control_scale=True, prefer_canvas=False,
                      zoom_start=6, location=[(south + north) / 2, (west + east) / 2],
                      max_zoom=OFFLINE_MAX_ZOOM if offline else ONLINE_MAX_ZOOM, world_copy_jump=False)
    for name, z in (("rmPlaces", 610), ("rmLaunch", 630), ("rmLabels", 640)):
        folium.map.CustomPane(name, z_index=z, pointer_events=name != "rmLabels").add_to(fmap)
    if offline:
        fmap.default_js, fmap.default_css = [], []
        add_basemap(fmap, view)
    else:
        from folium import plugins

        plugins.Fullscreen(position="topleft").add_to(fmap)
    colours = style.weapon_colours(f.weapon.id for f in sorted(result.footprints, key=lambda f: -f.range_km))
    layers: dict[str, tuple[str, folium.FeatureGroup]] = {}   # layer id -> (name in the layer list, layer)
    _add_regions(fmap, result, view, layers)
    _add_gains(fmap, result, view, layers)
    _add_footprints(fmap, result, view, colours, layers)
    _add_launches(fmap, result, view, layers)
    _add_places(fmap, result, view, layers)
    # The page script fits the view to the content (without animation, so its ready signal means settled).
    data = page_data(result, view, colours, {i: (n, g.get_name()) for i, (n, g) in layers.items()}, offline=offline)
    data["maxZoom"] = OFFLINE_MAX_ZOOM if offline else ONLINE_MAX_ZOOM
    _add_page(fmap, data)
    return fmap


def add_basemap(fmap, view: View):
    """The offline vector basemap (Natural Earth countries and admin-1 outlines) around a view."""
    west, south, east, north = view.bounds_deg
    # Enough around the content for any screen shape: a phone held upright shows far more latitude.
    dx = max(_BASEMAP_MARGIN_DEG, 0.5 * (east - west))
    dy = max(_BASEMAP_MARGIN_DEG, 1.5 * (north - south))
    box = (west - dx, max(-90.0, south - dy), east + dx, min(90.0, north + dy))
    pieces: dict[str, list[shapely.Geometry]] = {}
    regions: list[shapely.Geometry] = []
    for b in lonlat_boxes(box, view.shift):
        c, r = basemap_layers(b, region_tolerance_deg=_BASEMAP_TOLERANCE_DEG)
        for name, g in c:
            pieces.setdefault(name, []).append(to_display(g, view.shift))
        regions += [g for _, g in r]
    # A country met in both halves of an antimeridian view is drawn as one shape (no seam along 180).
    countries = [join_split_pieces(shapely.GeometryCollection(parts)) if len(parts) > 1 else parts[0]
                 for parts in pieces.values()]
    layer = folium.FeatureGroup(name="Basemap: countries and regions (Natural Earth)", control=False)
    _geojson(countries, _area_css(style.COUNTRY), interactive=False, decimals=4).add_to(layer)
    _geojson(regions, {"color": style.ADMIN1.colour, "weight": style.ADMIN1.width_px, "fill": False},
             interactive=False, shift=view.shift, decimals=3).add_to(layer)
    layer.add_to(fmap)
    _page(fmap).header.add_child(RawHTML(f"<style>.leaflet-container{{background:{style.WATER}}}</style>"))


def _add_regions(fmap, result: ScenarioResult, view: View, layers: dict):
    """Regions of interest, shaded by their best share in range; clicks go to the "what reaches here" popup."""
    if not result.scenario.regions:
        return
    layer = folium.FeatureGroup(name="Regions of interest")
    layers[REGIONS_LAYER] = ("Regions of interest", layer)
    cov = result.coverage
    for r in result.scenario.regions:
        mine = cov[cov.region == r.name]
        best = float(mine.share.max()) if len(mine) else 0.0
        _geojson([shapely.simplify(r.geometry, 0.002, preserve_topology=True)],
                 _area_css(style.REGION, style.share_colour(best)), interactive=False, shift=view.shift).add_to(layer)
    layer.add_to(fmap)


def _add_gains(fmap, result: ScenarioResult, view: View, layers: dict):
    for launch_id, gain in result.gains:
        short, long = result.footprint(gain.shorter), result.footprint(gain.longer)
        name = (f"What {weapon_range_label(long.weapon.short_label, long.range_km)} adds over "
                f"{weapon_range_label(short.weapon.short_label, short.range_km)} – from {long.launch.label}")
        layer = folium.FeatureGroup(name=escape_text(name), show=True)
        layers[gain_layer_id(launch_id, gain)] = (name, layer)
        _geojson([gain.geometry], _area_css(style.GAIN), interactive=False, shift=view.shift).add_to(layer)
        layer.add_to(fmap)


def _add_footprints(fmap, result: ScenarioResult, view: View, colours: dict, layers: dict):
    for f in sorted(result.footprints, key=lambda f: -f.range_km):
        name = footprint_layer_name(f)
        layer = folium.FeatureGroup(name=escape_text(name))
        layers[footprint_layer_id(f)] = (name, layer)
        fs = style.footprint_style(colours[f.weapon.id], f.weapon.short_label, f.range_km, f.weapon.approximate)
        _geojson([f.geometry], _area_css(fs), interactive=False, shift=view.shift).add_to(layer)
        layer.add_to(fmap)


def _launch_features(sites, points: bool, shift: bool) -> dict:
    """One GeoJSON feature per simple part of the sites' geometries, labelled with its site (escaped)."""
    features = []
    for site in sites:
        pieces = shapely.get_parts(site.geometry) if site.part_labels else [site.geometry]
        names = site.part_labels or [""]
        for piece, name in zip(pieces, names):
            label = escape_text(f"{site.label}: {name}" if name else site.label)
            for part in flat_parts(piece):
                if (part.geom_type == "Point") == points:
                    features.append({"type": "Feature", "properties": {"label": label},
                                     "geometry": shapely.geometry.mapping(_rounded(to_display(part, shift)))})
    return {"type": "FeatureCollection", "features": features}


_TRIANGLE_SVG = ("<svg width='{w}' height='{h}' viewBox='0 0 20 18' style='display:block'><polygon "
                 "points='10,1 19,17 1,17' fill='{fill}' stroke='{stroke}' stroke-width='{sw}'/></svg>")


def _add_launches(fmap, result: ScenarioResult, view: View, layers: dict):
    """Launch sites: points as triangles above places, lines over a casing, areas as a wash; one popup per group.

    The group's label goes into one popup shared by all its sites, so a group
    of thousands of points stores it once.
    """
    layer = folium.FeatureGroup(name="Launch sites")
    layers[LAUNCHES_LAYER] = ("Launch sites", layer)
    site, line, area = style.LAUNCH_SITE, style.LAUNCH_LINE, style.LAUNCH_AREA
    icon_html = _TRIANGLE_SVG.format(w=site.size_px, h=site.size_px * 0.9, fill=site.fill, stroke=site.stroke,
                                     sw=site.stroke_width_px)
    # folium annotates icon sizes as whole pixels, but Leaflet takes any number; the style's sizes are floats.
    marker = folium.Marker(icon=folium.DivIcon(html=icon_html,
                                               icon_size=(site.size_px, site.size_px),  # type: ignore[arg-type]
                                               icon_anchor=(site.size_px / 2,  # type: ignore[arg-type]
                                                            site.size_px / 2),
                                               class_name="rm-launch-icon"))
    for g in result.scenario.launches:
        kinds = ", ".join(dict.fromkeys(s.kind for s in g.sites))
        rows = [("Sites", f"{len(g.sites):,} ({kinds})")]
        shapes = _launch_features(g.sites, False, view.shift)
        if shapes["features"]:
            casing = {"color": line.casing, "weight": line.casing_width_px, "fill": False}
            folium.GeoJson(shapes, style_function=lambda _f, s=casing: s, interactive=False).add_to(layer)
            body = {"color": line.colour, "weight": line.width_px, "fillColor": area.fill,
                    "fillOpacity": area.fill_opacity}
            gj = folium.GeoJson(shapes, style_function=lambda _f, s=body: s, highlight_function=None,
                                tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False))
            gj.add_child(_popup(f"Launch group: {g.label}", rows))
            gj.add_to(layer)
        points = _launch_features(g.sites, True, view.shift)
        if points["features"]:
            gj = folium.GeoJson(points, marker=marker, pane="rmLaunch",
                                tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False))
            gj.add_child(_popup(f"Launch group: {g.label}", rows))
            gj.add_to(layer)
    layer.add_to(fmap)


def _add_places(fmap, result: ScenarioResult, view: View, layers: dict):
    places = result.places
    if places.empty:
        return
    layer = folium.FeatureGroup(name="Places in range")
    layers[PLACES_LAYER] = ("Places in range", layer)
    labels = {f.id: footprint_layer_name(f) for f in result.footprints}
    m = style.PLACE
    for (name, lon, lat), rows in places.groupby(["name", "lon", "lat"], sort=False):
        first = rows.iloc[0]
        info = [("Country", first.country), ("Population", f"{int(first.population):,}"),
                ("Distance to nearest launch site", f"{rows.distance_km.min():,.1f} km"),
                ("In range of", "; ".join(labels[i] for i in rows.footprint))]
        x, y = shapely.get_coordinates(to_display(shapely.Point(lon, lat), view.shift))[0]
        folium.CircleMarker([y, x], radius=style.place_radius_px(first.population), color=m.stroke, weight=m.stroke_width_px,
                            fill_color=m.fill, fill_opacity=1.0, pane="rmPlaces", bubbling_mouse_events=False,
                            popup=_popup(name, info)).add_to(layer)
    layer.add_to(fmap)


def _mixed_geojson(parts, area: style.AreaStyle, **kwargs) -> folium.GeoJson:
    """Points, lines and polygons in one layer: polygons filled, lines stroked, points as circles."""
    polygon_css, line_css = _area_css(area), {**_area_css(area), "fill": False, "color": area.fill,
                                               "weight": area.stroke_width_px + 2}
    marker = folium.CircleMarker(radius=6, color=area.stroke, weight=area.stroke_width_px, fill_color=area.fill,
                                 fill_opacity=1.0)
    return folium.GeoJson(_feature_collection(parts), marker=marker, highlight_function=None,
                          style_function=lambda f: polygon_css if f["geometry"]["type"].endswith("Polygon")
                          else line_css, **kwargs)


def reach_map_html(title: str, target, zones, *, offline: bool = True) -> str:
    """A map of where a target can be reached from: launch areas, launch zones, the target, the nearest points.

    Parameters
    ----------
    title : str
        Shown on the map (escaped).
    target : shapely.Point
        Lon/lat degrees.
    zones : list of (str, shapely.Geometry, rangemap.model.reach.LaunchZone)
        Launch group label, its launch geometry and its zone.
    offline : bool, optional

    Returns
    -------
    str
        The HTML document.
    """
    geoms = [target] + [g for _, g, _ in zones] + [z.geometry for _, _, z in zones if not z.geometry.is_empty]
    west, south, east, north = shapely.total_bounds(np.array(geoms, dtype=object))
    view = View((float(west), float(south), float(east), float(north)), False)
    fmap = folium.Map(tiles=None if offline else "OpenStreetMap", control_scale=True, zoom_start=6,
                      location=[(south + north) / 2, (west + east) / 2],
                      max_zoom=OFFLINE_MAX_ZOOM if offline else ONLINE_MAX_ZOOM)
    if offline:
        fmap.default_js, fmap.default_css = [], []
        add_basemap(fmap, view)
    areas = folium.FeatureGroup(name="Launch areas")
    found = folium.FeatureGroup(name="Launch zones (target in range)")
    for label, launch, zone in zones:
        # One feature per simple part: Leaflet cannot bind a tooltip to a GeometryCollection feature.
        _mixed_geojson(flat_parts(launch), style.LAUNCH_AREA, tooltip=folium.Tooltip(escape_text(label))).add_to(areas)
        if not zone.geometry.is_empty:
            rows = [("Launch area", label), ("Zone area", f"{zone.area_km2:,.0f} km²"),
                    ("Nearest launch point", f"{zone.nearest_distance_m / 1000:,.1f} km from the target")]
            gj = _mixed_geojson(flat_parts(zone.geometry), style.REACH_ZONE)
            gj.add_child(_popup(f"Launch zone: {label}", rows))
            gj.add_to(found)
        folium.PolyLine([[target.y, target.x], [zone.nearest_lat_deg, zone.nearest_lon_deg]], color="#000",
                        weight=1.5, dash_array="4 4", tooltip=folium.Tooltip(escape_text(
                            f"{label}: nearest launch point {zone.nearest_distance_m / 1000:,.1f} km"))).add_to(found)
    areas.add_to(fmap)
    found.add_to(fmap)
    t = style.TARGET
    folium.CircleMarker([target.y, target.x], radius=t.size_px / 2, color=t.stroke, weight=t.stroke_width_px,
                        fill_color=t.fill, fill_opacity=1.0, tooltip=folium.Tooltip(escape_text(title))).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    root = _page(fmap)
    root.header.add_child(RawHTML(f"<title>{escape_text(title)}</title><style>{_asset('rangemap.css')}</style>"))
    key = "".join(f"<div>{escape_text(s.legend)}</div>" for s in (style.REACH_ZONE, style.LAUNCH_AREA, style.TARGET))
    root.html.add_child(RawHTML(
        "<div class='rm-panel' id='rangemap-title' style='position:absolute;top:10px;left:56px;z-index:1000'>"
        f"<h1 class='rm-title-text'>{escape_text(title)}</h1><div style='font-size:12px'>{key}"
        f"<div style='color:#666'>{escape_text(REGIONS_CREDIT)}</div></div></div>"
        "<script>document.addEventListener('DOMContentLoaded', function () {"
        " document.documentElement.dataset.rangemapReady = 'yes'; });</script>"))
    fmap.fit_bounds([[south, west], [north, east]])
    return page_html(fmap, offline=offline)


def _asset(name: str) -> str:
    text = (_ASSETS / name).read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise RuntimeError(f"asset {name} contains '</script'; please report this")
    return text


def _add_page(fmap, data: dict):
    """The page script (layout, labels, "what reaches here"), GeographicLib, styles and the data they read."""
    root = _page(fmap)
    root.header.add_child(RawHTML(f"<title>{escape_text(data['title'])}</title>"))
    root.header.add_child(RawHTML(f"<style>{_asset('rangemap.css')}</style>"))
    root.html.add_child(RawHTML(f"<script type='application/json' id='rangemap-data'>{script_json(data)}"
                                "</script>"))
    root.html.add_child(RawHTML(f"<script>{_asset('geographiclib-geodesic/geographiclib-geodesic.min.js')}</script>"
                                f"<script>{_asset('rangemap.js')}</script>"))
    # Runs once folium's script (at the end of the page) has created the map and every layer; it sets the
    # page's ready signal.
    root.html.add_child(RawHTML(
        "<script>document.addEventListener('DOMContentLoaded', function () { rangemapInit(window["
        f"{json.dumps(fmap.get_name())}], JSON.parse(document.getElementById('rangemap-data').textContent)); }});"
        "</script>"))


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript (with the small jQuery stand-in folium's popups need) and CSS, images inlined."""
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match):
        image = base / "images" / match.group(1)
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode()})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)
    return inline_script(js) + "\n" + _JQUERY_SHIM, css


def render_html(result: ScenarioResult, *, offline: bool = False) -> str:
    """The map as one HTML document.

    Parameters
    ----------
    result : ScenarioResult
    offline : bool, optional

    Returns
    -------
    str
    """
    return page_html(build_map(result, offline=offline), offline=offline)


def page_html(fmap: folium.Map, *, offline: bool, extra_js: str = "", extra_css: str = "") -> str:
    """Render a folium map to one HTML document; offline, with Leaflet (and any extra assets) inlined.

    Parameters
    ----------
    fmap : folium.Map
    offline : bool
        Inline Leaflet's JavaScript and CSS, and check that the page refers to no URL.
    extra_js, extra_css : str, optional
        More third-party assets to inline after Leaflet's (offline only), e.g. a plugin's.

    Returns
    -------
    str

    Raises
    ------
    RuntimeError
        If an offline page still refers to a URL (a script, stylesheet, image or CSS ``url()``).
    """
    if offline:
        js, css = leaflet_assets()
        header = _page(fmap).header
        styles = f"<style>{css}</style>" + (f"<style>{extra_css}</style>" if extra_css else "")
        scripts = f"<script>{js}</script>" + (f"<script>{extra_js}</script>" if extra_js else "")
        header.add_child(RawHTML(styles), index=0)
        header.add_child(RawHTML(scripts), index=1)
    page = fmap.get_root().render()
    if offline:
        leftovers = re.findall(r"""<(?:script|link|img)[^>]+(?:src|href)=["']((?:https?:)?//[^"']+)""", page)
        leftovers += re.findall(r"""url\(\s*['"]?((?:https?:)?//[^'")]+)""", page)
        if leftovers:
            raise RuntimeError(f"offline map still refers to {leftovers[:3]}; please report this")
    return page


class MapView:
    """A rendered map that shows itself inline in Jupyter (an iframe with the whole page in ``srcdoc``).

    Parameters
    ----------
    page : str
        The HTML document.
    height_px : int
    """

    def __init__(self, page: str, height_px: int = 620):
        self.page = page
        self.height_px = height_px

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" style="width:100%;height:{self.height_px}px;'
                'border:0" sandbox="allow-scripts allow-popups"></iframe>')


def show_map(result: ScenarioResult, *, offline: bool = True, height_px: int = 620) -> MapView:
    """The map for a notebook cell: offline by default, so it shows without internet.

    Parameters
    ----------
    result : ScenarioResult
    offline : bool, optional
    height_px : int, optional

    Returns
    -------
    MapView
    """
    return MapView(render_html(result, offline=offline), height_px)


def write_map(result: ScenarioResult, path: Path | str, *, offline: bool = False) -> Path:
    """Write the map to an HTML file.

    Parameters
    ----------
    result : ScenarioResult
    path : path-like
        Written atomically: an interrupted write leaves the previous file intact.
    offline : bool, optional

    Returns
    -------
    pathlib.Path
        The file written.
    """
    return write_text_atomic(path, render_html(result, offline=offline))


__all__ = ["MapView", "RawHTML", "add_basemap", "build_map", "leaflet_assets", "page_html", "reach_map_html", "escape_text", "render_html", "show_map", "write_map"]
