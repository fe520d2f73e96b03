"""The interactive map (folium / Leaflet), online with tiles or fully offline in one file.

Rendering draws what :mod:`rangemap.results` computed; it never measures
anything itself. All text that comes from scenarios, catalogs or users' files
is escaped before it reaches HTML or JavaScript (:func:`escape_text`).

Offline maps make no network request: Leaflet's JavaScript, CSS and images are
inlined from the ``xstatic-leaflet`` package, folium's CDN extras (jQuery,
Bootstrap, Font Awesome) are left out (a few lines stand in for the bit of
jQuery folium's popups use), and a vector basemap of countries and regions from
the shipped geodata replaces the tiles.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import branca.element
import folium
import jinja2
import numpy as np
import shapely

from rangemap.atomic import write_text_atomic
from rangemap.gazetteer import basemap_layers, region
from rangemap.parts import flat_parts
from rangemap.results import ScenarioResult

PALETTE = ["#d7301f", "#2166ac", "#1a9850", "#762a83", "#e08214", "#01665e", "#c51b7d", "#525252"]
GAIN_COLOUR = "#fdae61"
PLACE_COLOUR = "#111111"
COORD_DECIMALS = 6  # 0.11 m at most: small beside the footprints' 1 m tolerance
_BASEMAP_MARGIN_DEG = 8.0
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


_ENTITIES = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


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


def escape_text(text) -> str:
    """Escape user text for HTML that folium may also place inside a JavaScript template literal.

    Parameters
    ----------
    text : object
        Converted with ``str``.

    Returns
    -------
    str
        HTML-escaped, with backticks, ``$`` and backslashes as entities so that
        nothing can end or interpolate a template literal, and braces as
        entities so that no template engine (Jinja, which folium and branca
        use) can ever read the text as template syntax.

    Examples
    --------
    >>> escape_text("<img src=x onerror=alert(1)> `${x}` {{ 7*7 }}")
    '&lt;img src=x onerror=alert(1)&gt; &#96;&#36;&#123;x&#125;&#96; &#123;&#123; 7*7 &#125;&#125;'
    """
    return html.escape(str(text), quote=True).translate(_ENTITIES)


def weapon_colours(weapon_ids) -> dict[str, str]:
    """A fixed colour per weapon id, in the order given (longest range first reads best).

    Parameters
    ----------
    weapon_ids : iterable of str

    Returns
    -------
    dict of str to str
    """
    return {wid: PALETTE[i % len(PALETTE)] for i, wid in enumerate(dict.fromkeys(weapon_ids))}


def _rounded(geometry):
    return shapely.set_precision(geometry, 10.0 ** -COORD_DECIMALS, mode="pointwise")


def _feature_collection(geometries) -> dict:
    features = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(_rounded(g))}
                for g in geometries if g is not None and not g.is_empty]
    return {"type": "FeatureCollection", "features": features}


def _table_html(title: str, rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th style='text-align:left;padding-right:8px'>{escape_text(k)}</th>"
                    f"<td>{escape_text(v)}</td></tr>" for k, v in rows)
    return f"<div style='font:13px sans-serif'><b>{escape_text(title)}</b><table>{cells}</table></div>"


def _popup(title: str, rows) -> folium.Popup:
    return folium.Popup(_table_html(title, rows), max_width=420)


def _add_geojson(layer, geometries, style: dict, popup=None, tooltip: str | None = None):
    gj = folium.GeoJson(_feature_collection(geometries), style_function=lambda _f, s=style: s,
                        highlight_function=None, smooth_factor=0.5)
    if popup is not None:
        gj.add_child(popup)
    if tooltip:
        gj.add_child(folium.Tooltip(escape_text(tooltip)))
    gj.add_to(layer)
    return gj


def content_bounds(result: ScenarioResult):
    """West, south, east, north of the footprints and regions of interest, degrees."""
    geoms = [f.geometry for f in result.footprints] + [r.geometry for r in result.scenario.regions]
    return shapely.total_bounds(np.array(geoms, dtype=object))


def _title_panel(result: ScenarioResult, status_notes: list[str]) -> str:
    s = result.scenario
    sources = "".join(f"<li>{escape_text(x)}</li>" for x in s.sources)
    notes = f"<p style='margin:4px 0'>{escape_text(s.notes)}</p>" if s.notes else ""
    status = "".join(f"<p style='margin:4px 0'><b>{escape_text(name)}:</b> {escape_text(note)}</p>"
                     for name, note in status_notes)
    return (
        "<div id='rangemap-title' style='position:absolute;top:10px;left:56px;z-index:1000;max-width:440px;"
        "max-height:45%;overflow:auto;background:rgba(255,255,255,0.93);padding:8px 12px;border-radius:6px;"
        "box-shadow:0 1px 5px rgba(0,0,0,0.4);font:13px/1.35 sans-serif'>"
        f"<h1 style='font-size:16px;margin:0 0 4px'>{escape_text(s.title)}</h1>"
        f"<div style='color:#444'>{escape_text(s.date)}</div>{notes}{status}"
        f"<details><summary>Sources</summary><ul style='margin:2px 0;padding-left:18px'>{sources}</ul></details>"
        "<div style='color:#666;font-size:11px'>Made with rangemap: geodesic footprints on the WGS84 ellipsoid; "
        "each footprint's measured error is in its popup.</div></div>"
    )


def _legend(result: ScenarioResult, colours: dict[str, str]) -> str:
    rows = []
    seen = set()
    for f in result.footprints:
        if f.weapon.id in seen:
            continue
        seen.add(f.weapon.id)
        approx = "about " if f.weapon.approximate else ""
        rows.append(
            f"<div style='margin:3px 0'><span style='display:inline-block;width:14px;height:14px;"
            f"background:{colours[f.weapon.id]};opacity:0.7;vertical-align:middle;margin-right:6px'></span>"
            f"<b>{escape_text(f.weapon.name)}</b>: {approx}{f.weapon.range_km:g} km"
            f"<div style='color:#555;font-size:11px;margin-left:20px'>Source: {escape_text(f.weapon.source)}</div></div>"
        )
    if result.gains:
        rows.append(f"<div style='margin:3px 0'><span style='display:inline-block;width:14px;height:14px;"
                    f"background:{GAIN_COLOUR};vertical-align:middle;margin-right:6px'></span>"
                    "What the longer range adds</div>")
    return ("<div id='rangemap-legend' style='position:absolute;bottom:28px;right:10px;z-index:1000;max-width:360px;"
            "background:rgba(255,255,255,0.93);padding:6px 10px;border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,0.4);"
            f"font:12px sans-serif'>{''.join(rows)}</div>")


def _share_colour(share: float) -> str:
    # White to dark red, by share in range.
    r, g, b = 255, int(255 - 200 * share), int(255 - 220 * share)
    return f"#{r:02x}{g:02x}{b:02x}"


def build_map(result: ScenarioResult, *, offline: bool = False) -> folium.Map:
    """The scenario's map as a folium Map.

    Parameters
    ----------
    result : ScenarioResult
    offline : bool, optional
        Vector basemap instead of tiles, and no plugins that load from a CDN.

    Returns
    -------
    folium.Map
    """
    west, south, east, north = content_bounds(result)
    fmap = folium.Map(tiles=None if offline else "OpenStreetMap", control_scale=True, prefer_canvas=False,
                      zoom_start=6, location=[(south + north) / 2, (west + east) / 2])
    if offline:
        fmap.default_js, fmap.default_css = [], []
        _add_basemap(fmap, (west - _BASEMAP_MARGIN_DEG, max(-90, south - _BASEMAP_MARGIN_DEG),
                            east + _BASEMAP_MARGIN_DEG, min(90, north + _BASEMAP_MARGIN_DEG)))
    else:
        from folium import plugins

        plugins.Fullscreen().add_to(fmap)
        plugins.MeasureControl(primary_length_unit="kilometers", primary_area_unit="sqmeters").add_to(fmap)
    colours = weapon_colours(f.weapon.id for f in sorted(result.footprints, key=lambda f: -f.range_km))
    _add_regions(fmap, result)
    for _launch_id, gain in result.gains:
        short, long = result.footprint(gain.shorter), result.footprint(gain.longer)
        gain_name = f"{long.range_km:g} km adds over {short.range_km:g} km · from {long.launch.label}"
        layer = folium.FeatureGroup(name=escape_text(gain_name), show=True)
        rows = [("Added area", f"{gain.added_area_km2:,.0f} km²")]
        rows += [(r.region, f"{r.share_shorter:.1%} → {r.share_longer:.1%} in range") for r in gain.regions.itertuples()]
        rows += [("Places newly in range", ", ".join(gain.new_places.name.head(12)) or "none")]
        _add_geojson(layer, [gain.geometry], {"color": GAIN_COLOUR, "weight": 0, "fillColor": GAIN_COLOUR,
                                               "fillOpacity": 0.25}, _popup(f"What {long.weapon.short_label} "
                                                                            f"{long.range_km:g} km adds over "
                                                                            f"{short.weapon.short_label} "
                                                                            f"{short.range_km:g} km", rows))
        layer.add_to(fmap)
    for f in sorted(result.footprints, key=lambda f: -f.range_km):
        colour = colours[f.weapon.id]
        layer = folium.FeatureGroup(name=escape_text(f"{f.weapon.short_label} {f.range_km:g} km · from {f.launch.label}"))
        rows = [("Weapon", f.weapon.name), ("Range", f"{'about ' if f.weapon.approximate else ''}{f.range_km:g} km"),
                ("Source", f.weapon.source), ("Launch", f.launch.label), ("Area in range", f"{f.area_km2:,.0f} km²"),
                ("Measured max error", f"{f.max_error_m:.2f} m (tolerance {result.scenario.tolerance_m:g} m)")]
        _add_geojson(layer, [f.geometry], {"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.10},
                     _popup(f"{f.weapon.name}: {f.range_km:g} km", rows))
        layer.add_to(fmap)
    _add_launches(fmap, result)
    _add_places(fmap, result)
    status = [(r.name, r.status_note) for r in result.scenario.regions if r.status_note]
    crimea = region("Crimea")
    if not status and shapely.box(west, south, east, north).intersects(crimea.geometry):
        status = [(crimea.name, crimea.status_note)]
    root = fmap.get_root()
    root.html.add_child(RawHTML(_title_panel(result, list(dict.fromkeys(status)))))
    root.html.add_child(RawHTML(_legend(result, colours)))
    root.header.add_child(RawHTML(f"<title>{escape_text(result.scenario.title)}</title>"))
    folium.LayerControl(collapsed=False).add_to(fmap)
    root.header.add_child(RawHTML("<style>.leaflet-control-layers{font:12px sans-serif;max-width:330px}</style>"))
    fmap.fit_bounds([[south, west], [north, east]])
    # Runs after every layer above has been added: the signal that tests (and embedding pages) wait for.
    root.script.add_child(RawHTML("document.documentElement.dataset.rangemapReady = 'yes';"))
    return fmap


def _add_basemap(fmap, bounds):
    countries, regions = basemap_layers(bounds)
    layer = folium.FeatureGroup(name="Basemap: countries and regions (Natural Earth)", control=False)
    folium.GeoJson(_feature_collection([g for _, g in countries]),
                   style_function=lambda _f: {"color": "#888", "weight": 1, "fillColor": "#f2efe9", "fillOpacity": 1},
                   interactive=False).add_to(layer)
    folium.GeoJson(_feature_collection([g for _, g in regions]),
                   style_function=lambda _f: {"color": "#bbb", "weight": 0.5, "fill": False},
                   interactive=False).add_to(layer)
    layer.add_to(fmap)
    fmap.get_root().header.add_child(RawHTML("<style>.leaflet-container{background:#cfe3f3}</style>"))


def _add_regions(fmap, result: ScenarioResult):
    if not result.scenario.regions:
        return
    layer = folium.FeatureGroup(name="Regions of interest (shaded by share in range)")
    cov = result.coverage
    for r in result.scenario.regions:
        mine = cov[cov.region == r.name]
        best = float(mine.share.max()) if len(mine) else 0.0
        rows = [("Area", f"{mine.area_km2.iloc[0]:,.0f} km²" if len(mine) else "")]
        rows += [(row.footprint, f"{row.in_range_km2:,.0f} km² in range ({row.share:.1%})") for row in mine.itertuples()]
        if r.status_note:
            rows.append(("Status", r.status_note))
        _add_geojson(layer, [shapely.simplify(r.geometry, 0.002, preserve_topology=True)],
                     {"color": "#333", "weight": 2, "dashArray": "5 4", "fillColor": _share_colour(best),
                      "fillOpacity": 0.45}, _popup(f"{r.name} ({', '.join(r.iso_3166_2)})", rows), tooltip=r.name)
    layer.add_to(fmap)


def _launch_features(sites, kind_filter) -> dict:
    """One GeoJSON feature per simple part of the sites' geometries, labelled with its site (escaped)."""
    features = []
    for site in sites:
        pieces = shapely.get_parts(site.geometry) if site.part_labels else [site.geometry]
        names = site.part_labels or [""]
        for piece, name in zip(pieces, names):
            label = escape_text(f"{site.label}: {name}" if name else site.label)
            for part in flat_parts(piece):
                if (part.geom_type == "Point") == kind_filter:
                    features.append({"type": "Feature", "properties": {"label": label},
                                     "geometry": shapely.geometry.mapping(_rounded(part))})
    return {"type": "FeatureCollection", "features": features}


def _add_launches(fmap, result: ScenarioResult):
    """Launch sites: every part of every site's geometry (points as markers), one popup per launch group.

    The group's label goes into one popup shared by all its sites, so a group
    of thousands of points stores it once.
    """
    layer = folium.FeatureGroup(name="Launch sites")
    for g in result.scenario.launches:
        kinds = ", ".join(dict.fromkeys(site.kind for site in g.sites))
        rows = [("Sites", f"{len(g.sites):,} ({kinds})")]
        for points in (False, True):
            data = _launch_features(g.sites, points)
            if not data["features"]:
                continue
            marker = folium.CircleMarker(radius=6, color="#000", weight=2, fill_color="#ffeb3b",
                                         fill_opacity=1) if points else None
            gj = folium.GeoJson(data, marker=marker, highlight_function=None,
                                style_function=lambda _f: {"color": "#000", "weight": 3, "fillColor": "#ffeb3b",
                                                           "fillOpacity": 0.3},
                                tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False))
            gj.add_child(_popup(f"Launch group: {g.label}", rows))
            gj.add_to(layer)
    layer.add_to(fmap)


def _add_places(fmap, result: ScenarioResult):
    places = result.places
    if places.empty:
        return
    layer = folium.FeatureGroup(name=escape_text(f"Places in range (population ≥ {result.scenario.min_population:,})"))
    for (name, lon, lat), rows in places.groupby(["name", "lon", "lat"], sort=False):
        first = rows.iloc[0]
        info = [("Country", first.country), ("Population", f"{int(first.population):,}"),
                ("Distance to nearest launch site", f"{rows.distance_km.min():,.1f} km")]
        info += [("In range of", ", ".join(rows.footprint))]
        radius = 3 + 2 * np.log10(max(int(first.population), 10_000) / 10_000)
        folium.CircleMarker([lat, lon], radius=float(radius), color=PLACE_COLOUR, weight=1, fill_color="#fff",
                            fill_opacity=0.9, popup=_popup(name, info),
                            tooltip=folium.Tooltip(escape_text(name))).add_to(layer)
    layer.add_to(fmap)


def _leaflet_assets() -> tuple[str, str]:
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match):
        image = base / "images" / match.group(1)
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode()})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)
    return js.replace("</script", "<\\/script"), css


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
    fmap = build_map(result, offline=offline)
    if offline:
        js, css = _leaflet_assets()
        header = fmap.get_root().header
        header.add_child(RawHTML(f"<style>{css}</style>"), index=0)
        header.add_child(RawHTML(f"<script>{js}</script><script>{_JQUERY_SHIM}</script>"), index=1)
    page = fmap.get_root().render()
    if offline:
        leftovers = re.findall(r"""<(?:script|link|img)[^>]+(?:src|href)=["']((?:https?:)?//[^"']+)""", page)
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


__all__ = ["MapView", "build_map", "content_bounds", "escape_text", "render_html", "show_map", "weapon_colours",
           "write_map"]
