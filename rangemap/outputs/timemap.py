"""The timeline map: one self-contained HTML page with a time slider (Leaflet.TimeDimension through folium).

folium's ``TimestampedGeoJson`` loads Leaflet.TimeDimension, iso8601-js-period
and moment.js (its date label) from CDNs, and lists jQuery, jQuery UI and a
highlight.js stylesheet that Leaflet.TimeDimension 1.1 no longer uses. Here the
three scripts it does use are inlined from ``rangemap/vendor/`` (MIT, Apache-2.0
and MIT; licences beside them), Leaflet itself from ``xstatic-leaflet`` as in
the offline scenario map, and the control's icon font (a Bootstrap CDN font)
is replaced by plain characters, so the page makes no network request.

Every text from the scenario or its files reaches the page escaped
(:func:`rangemap.io.escape.escape_text`, :func:`rangemap.io.escape.script_json`), as data: never as
template source.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from importlib import resources
from pathlib import Path

import folium
import shapely
from branca.element import MacroElement
from folium.plugins import TimestampedGeoJson
from folium.template import Template

from rangemap.outputs import page as render
from rangemap.outputs import style
from rangemap.io.atomic import write_text_atomic
from rangemap.io.escape import escape_text, inline_script, script_json
from rangemap.outputs.page_data import View
from rangemap.geodesy.parts import flat_parts
from rangemap.model.timeline import TimelineResult

COORD_DECIMALS = render.COORD_DECIMALS
LAUNCH_AREA_STYLE = {"className": "rangemap-launch-area", "color": "#555555", "weight": 1, "fillColor": "#999999", "fillOpacity": 0.35}
_VENDOR_JS = ("iso8601.js", "moment.min.js", "leaflet.timedimension.min.js")
_VENDOR_CSS = "leaflet.timedimension.control.css"
# The control's buttons drew Glyphicons from a CDN font; these characters need no font download.
_ICONS_CSS = """
.leaflet-bar-timecontrol .leaflet-control-timecontrol:before { font-family: sans-serif; }
.timecontrol-play:before { content: "\\25B6"; }
.timecontrol-play.reverse:before { content: "\\25C0"; transform: none; }
.timecontrol-play.pause:before { content: "\\2016"; }
a.timecontrol-play.loading:before, .timecontrol-date.loading:before { content: "\\2026"; animation: none; }
.timecontrol-speed:before { content: "\\00D7"; }
.timecontrol-stop:before { content: "\\25A0"; }
.timecontrol-forward:before { content: "\\25B6\\25B6"; font-size: 9px; }
.timecontrol-backward:before { content: "\\25C0\\25C0"; font-size: 9px; }
.timecontrol-loop:before { content: "\\21BB"; }
"""


def timedimension_assets() -> tuple[str, str]:
    """The inlined scripts and stylesheet of Leaflet.TimeDimension (and iso8601-js-period, moment.js).

    Returns
    -------
    (str, str)
        JavaScript (safe inside one ``<script>`` element) and CSS.
    """
    vendor = resources.files("rangemap").joinpath("vendor")
    js = "\n;\n".join(vendor.joinpath(name).read_text(encoding="utf-8") for name in _VENDOR_JS)
    js = inline_script(re.sub(r"//# sourceMappingURL=\S+", "", js))
    css = vendor.joinpath(_VENDOR_CSS).read_text(encoding="utf-8")
    css = re.sub(r"@font-face\s*\{[^}]*\}", "", css)
    return js, css + _ICONS_CSS


class _OfflineTimestampedGeoJson(TimestampedGeoJson):
    """folium's TimestampedGeoJson without its CDN links (the scripts are inlined in the page header)."""

    default_js: list = []
    default_css: list = []


class _SliderDates(MacroElement):
    """Make the slider step through exactly the timeline's dates (folium's plugin would add every day between)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.timeDimension.setAvailableTimes({{ this.times_ms|tojson }}, "replace");
            {{ this._parent.get_name() }}.timeDimension.setCurrentTime({{ this.times_ms[0]|tojson }});
        {% endmacro %}
    """)

    def __init__(self, days):
        super().__init__()
        self._name = "SliderDates"
        self.times_ms = [int(dt.datetime.fromisoformat(d).replace(tzinfo=dt.timezone.utc).timestamp() * 1000)
                         for d in days]


def _rounded(geometry):
    return shapely.set_precision(geometry, 10.0 ** -COORD_DECIMALS, mode="pointwise")


def timed_features(geometry, day: str, properties: dict) -> list[dict]:
    """GeoJSON features of one date's geometry for Leaflet.TimeDimension.

    Polygons, lines and points become one multi-geometry feature each. Each
    feature's ``times`` lists the date once per coordinate array, because
    TimeDimension slices a feature's coordinates by its times (a single time
    would keep only the first part of a MultiPolygon).

    Parameters
    ----------
    geometry : shapely.Geometry
    day : str
        ISO date.
    properties : dict
        Copied into each feature (style, popup, tooltip: already escaped).

    Returns
    -------
    list of dict
    """
    parts = flat_parts(_rounded(geometry))
    groups = {"Polygon": shapely.MultiPolygon, "LineString": shapely.MultiLineString, "Point": shapely.MultiPoint}
    out = []
    for kind, make in groups.items():
        mine = [p for p in parts if p.geom_type == kind or (kind == "LineString" and p.geom_type == "LinearRing")]
        if not mine:
            continue
        if kind == "LineString":
            mine = [shapely.LineString(p.coords) for p in mine]
        gj = shapely.geometry.mapping(make(mine))
        extra = {"icon": "circle", "iconstyle": {"radius": 4, **properties.get("style", {})}} if kind == "Point" else {}
        out.append({"type": "Feature", "geometry": gj,
                    "properties": {**properties, **extra, "times": [day] * len(gj["coordinates"])}})
    return out


def _share_text(result: TimelineResult, day: str, launch_id: str, weapon: str) -> list[str]:
    cov = result.coverage
    mine = cov[(cov["date"] == day) & (cov["launch_id"] == launch_id) & (cov["weapon"] == weapon)]
    return [f"{r.region}: {r.share:.1%} in reach ({r.in_range_km2:,.0f} of {r.area_km2:,.0f} km²)"
            for r in mine.itertuples()]


def time_features(result: TimelineResult, colours: dict[str, str]) -> dict:
    """Every date's launch areas and footprints as one timestamped FeatureCollection."""
    features = []
    geoms = result.geometries.sort_values(["date", "kind", "range_km"], ascending=[True, True, False])
    for row in geoms.itertuples():
        if row.kind == "launch_area":
            title = f"Launch area on {row.date}: {row.label}"
            lines = [f"{row.area_km2:,.0f} km²"]
            style = LAUNCH_AREA_STYLE
        else:
            title = f"{row.label} {row.range_km:g} km from {row.launch_id} on {row.date}"
            lines = [f"Area in reach: {row.area_km2:,.0f} km²", *_share_text(result, row.date, row.launch_id, row.weapon)]
            colour = colours[row.weapon]
            style = {"className": "rangemap-footprint", "color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.12}
        popup = (f"<div style='font:13px sans-serif'><b>{escape_text(title)}</b><br>"
                 + "<br>".join(escape_text(x) for x in lines) + "</div>")
        props = {"style": style, "popup": popup, "tooltip": escape_text(title), "kind": row.kind,
                 "weapon": escape_text(row.weapon), "date": row.date}
        features.extend(timed_features(row.geometry, row.date, props))
    return {"type": "FeatureCollection", "features": features}


def _panels(result: TimelineResult, colours: dict[str, str]) -> str:
    sources = "".join(f"<li>{escape_text(s)}</li>" for s in result.sources)
    weapons = result.geometries[result.geometries["kind"] == "footprint"].drop_duplicates("weapon")
    legend = "".join(
        f"<div><span style='display:inline-block;width:12px;height:12px;background:{colours[w.weapon]};"
        f"margin-right:6px'></span>{escape_text(w.label)} {w.range_km:g} km</div>" for w in weapons.itertuples())
    legend += (f"<div><span style='display:inline-block;width:12px;height:12px;"
               f"background:{LAUNCH_AREA_STYLE['fillColor']};margin-right:6px'></span>Launch area</div>")
    skipped = (f"<div style='color:#a00'>Skipped dates (no data): {escape_text(', '.join(d for d, _ in result.skipped))}"
               "</div>") if result.skipped else ""
    panel = ("position:absolute;z-index:1000;background:rgba(255,255,255,0.93);padding:6px 10px;border-radius:6px;"
             "box-shadow:0 1px 5px rgba(0,0,0,0.4);font:12px sans-serif;max-width:380px")
    return (f"<div id='rangemap-title' style='{panel};top:10px;left:56px'>"
            f"<h1 style='font-size:15px;margin:0 0 4px'>{escape_text(result.title)}</h1>"
            "<div>Launch areas and reach on the date the slider shows.</div>"
            f"{skipped}<details><summary>Sources</summary><ul style='margin:2px 0;padding-left:18px'>{sources}"
            "<li>Boundaries: Natural Earth (public domain)</li></ul></details>"
            "<div style='color:#666;font-size:11px'>Made with rangemap: exact geodesic footprints on WGS84.</div></div>"
            f"<div id='rangemap-legend' style='{panel};bottom:80px;right:10px'>{legend}</div>")


def build_time_map(result: TimelineResult) -> folium.Map:
    """The timeline's map: basemap, regions of interest, and each date's launch areas and footprints on a slider.

    Parameters
    ----------
    result : TimelineResult

    Returns
    -------
    folium.Map
    """
    west, south, east, north = shapely.total_bounds(list(result.geometries.geometry)
                                                   + [r.geometry for r in result.regions])
    fmap = folium.Map(tiles=None, control_scale=True, zoom_start=6, location=[(south + north) / 2, (west + east) / 2])
    fmap.default_js, fmap.default_css = [], []
    render.add_basemap(fmap, View((west, south, east, north), False))
    regions = folium.FeatureGroup(name="Regions of interest")
    for r in result.regions:
        folium.GeoJson(shapely.geometry.mapping(_rounded(shapely.simplify(r.geometry, 0.002, preserve_topology=True))),
                       style_function=lambda _f: {"color": "#333", "weight": 2, "dashArray": "5 4", "fill": False},
                       tooltip=folium.Tooltip(escape_text(r.name))).add_to(regions)
    regions.add_to(fmap)
    colours = style.weapon_colours(result.geometries.sort_values("range_km", ascending=False)["weapon"]
                                    .loc[lambda s: s != ""])
    _OfflineTimestampedGeoJson(script_json(time_features(result, colours), compact=False), period="P1D", duration="PT1H",
                               auto_play=False, loop=False, add_last_point=False, date_options="YYYY-MM-DD",
                               time_slider_drag_update=True).add_to(fmap)
    _SliderDates(sorted(set(result.geometries["date"]))).add_to(fmap)
    root: Any = fmap.get_root()  # a branca Figure (get_root is typed as Element)
    root.html.add_child(render.RawHTML(_panels(result, colours)))
    root.header.add_child(render.RawHTML(f"<title>{escape_text(result.title)}</title>"))
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def time_map_html(result: TimelineResult) -> str:
    """The timeline map as one HTML document that makes no network request.

    Parameters
    ----------
    result : TimelineResult

    Returns
    -------
    str
    """
    td_js, td_css = timedimension_assets()
    return render.page_html(build_time_map(result), offline=True, extra_js=td_js, extra_css=td_css)


def write_time_map(result: TimelineResult, path: Path | str) -> Path:
    """Write the timeline map (atomically) and return its path."""
    return write_text_atomic(path, time_map_html(result))


__all__ = ["build_time_map", "escape_text", "script_json", "time_features", "time_map_html", "timed_features",
           "timedimension_assets", "write_time_map"]
