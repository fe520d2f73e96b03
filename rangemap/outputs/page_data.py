"""What the interactive map's page script needs, as plain data: view, labels, legend, click lookups.

No folium here: :mod:`rangemap.outputs.page` draws the layers and writes this data
into the page as JSON, where ``assets/rangemap.js`` lays out the panels,
declutters the labels and answers "what reaches here" on a click. All styling
comes from :mod:`rangemap.outputs.style`, the table the static map also draws from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import shapely

from rangemap.outputs import style
from rangemap.data.gazetteer import PLACES_CREDIT, REGIONS_CREDIT, basemap_layers, region, status_notes
from rangemap.geodesy.antimeridian import join_split_pieces
from rangemap.geodesy.nearest import densify_geodesic_deg
from rangemap.geodesy.parts import flat_parts, polygons, rings
from rangemap.outputs.labels import (POINT_SIDES, area_anchors, label_priority, longest_first, place_tier, place_tiers,
                                     ring_anchors)

_PAGE_DECIMALS = 5  # 1.1 m: the page only tests which polygon a click falls in
# Launch geometry in the page, for distances: densified along its geodesics (the page then searches the
# geodesic between the two vertices next to the nearest one, so the spacing does not limit the accuracy).
_PAGE_LAUNCH_SPACING_M = 2_000.0
# Popups pan clear of the title bar (top left) and the legend (bottom right).
class _PopupOptions(TypedDict):
    """Leaflet's popup options, passed through folium.Popup's keyword arguments as they are."""

    maxWidth: int
    autoPanPaddingTopLeft: list[int]
    autoPanPaddingBottomRight: list[int]


POPUP_OPTIONS: _PopupOptions = {"maxWidth": 360, "autoPanPaddingTopLeft": [20, 110],
                                 "autoPanPaddingBottomRight": [20, 50]}


@dataclass(frozen=True)
class View:
    """The part of the world a map shows.

    Attributes
    ----------
    bounds_deg : (float, float, float, float)
        West, south, east, north of the content, in display longitudes.
    shift : bool
        The content crosses the antimeridian: longitudes west of 0 are drawn
        at +360 so that it shows as one piece, centred across 180.
    """

    bounds_deg: tuple[float, float, float, float]
    shift: bool


def to_display(geometry, shift: bool):
    """A lon/lat geometry in display longitudes (west of 0 moved by +360 on an antimeridian view).

    Polygons split at the antimeridian come out joined again (no seam along 180).
    """
    if not shift or geometry is None:
        return geometry
    moved = shapely.transform(geometry, lambda xy: np.column_stack([np.where(xy[:, 0] < 0, xy[:, 0] + 360, xy[:, 0]),
                                                                      xy[:, 1]]))
    if isinstance(moved, shapely.Geometry) and moved.geom_type in ("Polygon", "MultiPolygon"):
        return join_split_pieces(moved, 1e-9)
    return moved


def map_view(result) -> View:
    """The view that fits a result's footprints and regions of interest, centred across 180 where they cross it.

    Parameters
    ----------
    result : ScenarioResult

    Returns
    -------
    View
    """
    geoms = [f.geometry for f in result.footprints] + [r.geometry for r in result.scenario.regions]
    west, south, east, north = shapely.total_bounds(np.array(geoms, dtype=object))
    touches_both = west <= -179.999 and east >= 179.999
    if touches_both:
        shifted = shapely.total_bounds(np.array([to_display(g, True) for g in geoms], dtype=object))
        if shifted[2] - shifted[0] < east - west:
            s_west, s_south, s_east, s_north = (float(v) for v in shifted)
            return View((s_west, s_south, s_east, s_north), True)
    return View((float(west), float(south), float(east), float(north)), False)


def weapon_range_label(short_label: str, range_km: float) -> str:
    """A weapon's name with its range, without saying the range twice.

    Examples
    --------
    >>> weapon_range_label("ATACMS", 300), weapon_range_label("What-if 500", 500)
    ('ATACMS 300 km', 'What-if 500 km')
    """
    figure = f"{range_km:g}"
    if re.search(rf"(?<![\\d.]){re.escape(figure)}(?![\\d.])", short_label):
        return short_label if re.search(r"km\b", short_label) else f"{short_label} km"
    return f"{short_label} {figure} km"


# Stable ids of the page's layers, by which page.py and this module agree which layer a label belongs
# to (the layer list's names are display text built from scenario data, and two may read the same).
REGIONS_LAYER = "regions"
LAUNCHES_LAYER = "launches"
PLACES_LAYER = "places"


def footprint_layer_id(footprint) -> str:
    """The stable id of a footprint's layer: ``footprint:<footprint id>``."""
    return f"footprint:{footprint.id}"


def gain_layer_id(launch_id: str, gain) -> str:
    """The stable id of a range gain's layer: ``gain:<launch group>:<longer footprint>:<shorter footprint>``."""
    return f"gain:{launch_id}:{gain.longer}:{gain.shorter}"


def footprint_layer_name(footprint) -> str:
    """The layer list's name for a footprint: "ATACMS 300 km – from Sumy, Kharkiv, border"."""
    return f"{weapon_range_label(footprint.weapon.short_label, footprint.range_km)} – from {footprint.launch.label}"


def _coords(geometry, decimals: int = _PAGE_DECIMALS) -> list:
    """Polygons as nested lists [[exterior, hole, ...], ...] of [lon, lat], rounded."""
    out = []
    for p in polygons(geometry):
        out.append([np.round(shapely.get_coordinates(r), decimals).tolist() for r in rings(p)])
    return out


def _share_rows(result, name: str) -> list[list[str]]:
    cov = result.coverage[result.coverage.region == name]
    labels = {f.id: footprint_layer_name(f) for f in result.footprints}
    rows = []
    if len(cov):
        rows.append(["Area", f"{cov.area_km2.iloc[0]:,.0f} km²"])
    rows += [[labels[row.footprint], f"{100 * row.share:.1f} % in range ({row.in_range_km2:,.0f} km²)"]
             for row in cov.itertuples()]
    return rows


def _launch_groups(result, shift: bool, spacing_m: float) -> list[dict]:
    out = []
    for g in result.scenario.launches:
        paths, areas = [], []
        for part in flat_parts(g.geometry):
            if part.geom_type == "Polygon":
                areas.extend(_coords(to_display(part, shift), 6))
                part_paths = [shapely.get_coordinates(r) for r in rings(part)]
            else:
                part_paths = [shapely.get_coordinates(part)]
            for xy in part_paths:
                lon, lat = densify_geodesic_deg(xy[:, 0], xy[:, 1], spacing_m)
                paths.append(np.round(np.column_stack([lon, lat]), 7).tolist())
        out.append({"label": g.label, "paths": paths, "areas": areas})
    return out


def _label(text, anchors, kind, priority, *, colour=None, layer=None, min_zoom=0, symbol_px=0.0) -> dict:
    """A label for the page: candidate anchors ``[lon, lat, side]`` in order of preference."""
    return {"text": str(text), "anchors": [[round(float(x), 5), round(float(y), 5), side] for x, y, side in anchors],
            "kind": kind, "priority": float(priority), "colour": colour, "layer": layer, "minZoom": min_zoom,
            "symbolPx": symbol_px}


def page_data(result, view: View, colours: dict[str, str], layers: dict[str, tuple[str, str]], *,
              offline: bool) -> dict:
    """Everything the page script shows: title and about text, legend, labels, and click lookups.

    Parameters
    ----------
    result : ScenarioResult
    view : View
    colours : dict of str to str
        Weapon id to colour (:func:`rangemap.outputs.style.weapon_colours`).
    layers : dict of str to (str, str)
        Layer id (:data:`REGIONS_LAYER`, :func:`footprint_layer_id`, ...) to the
        layer's name as the layer list shows it and the JavaScript variable of its layer.
    offline : bool
        Whether the map has the vector basemap (its outlines get legend entries).

    Returns
    -------
    dict
        Plain data; every text is a str that the page inserts as text, never as HTML.
    """
    s = result.scenario
    layer_vars = {layer_id: var for layer_id, (_name, var) in layers.items()}
    west, south, east, north = view.bounds_deg
    bbox = shapely.box(west, south, east, north)
    countries, admin1 = [], []
    for box in lonlat_boxes(view.bounds_deg, view.shift):
        c, r = basemap_layers(box, region_tolerance_deg=0.02)
        countries += c
        admin1 += r
    status = status_notes(s.regions, lambda geometry_deg: bbox.intersects(to_display(geometry_deg, view.shift)))
    crimea = region("Crimea")
    noted = [] if any(r.name == crimea.name for r in s.regions) else [crimea]
    about = []
    if s.notes:
        about.append({"heading": "Notes", "text": s.notes})
    about += [{"heading": name, "text": note} for name, note in status]
    about.append({"heading": "Sources", "items": list(s.sources)})
    about.append({"heading": "Data", "items": [REGIONS_CREDIT, PLACES_CREDIT]})
    about.append({"heading": "Method", "text": "Footprints are geodesic on the WGS84 ellipsoid (rangemap); each one's "
                  f"measured maximum error is below {s.tolerance_m:g} m. Click anywhere for what reaches that point."})

    ordered = sorted(result.footprints, key=lambda f: -f.range_km)
    labels = []
    launch_xy = []
    for g in s.launches:
        for site in g.sites:
            for part in flat_parts(site.geometry)[:1]:
                point = part.geom_type == "Point"
                if point:
                    x, y = part.x, part.y
                elif part.geom_type == "Polygon":
                    x, y = shapely.get_coordinates(part.point_on_surface())[0]
                else:
                    x, y = shapely.get_coordinates(shapely.line_interpolate_point(part, 0.5, normalized=True))[0]
                x, y = shapely.get_coordinates(to_display(shapely.Point(x, y), view.shift))[0]
                launch_xy.append((x, y))
                sides = POINT_SIDES if point else ("center", "above", "below")
                labels.append(_label(site.label, [(x, y, side) for side in sides], "launch", label_priority("launch"),
                                     layer=layer_vars.get(LAUNCHES_LAYER),
                                     symbol_px=style.LAUNCH_SITE.size_px / 2 if point else 0.0))
    rings_deg = ring_anchors([to_display(f.geometry, view.shift) for f in ordered], view.bounds_deg)
    for rank, (f, anchors) in enumerate(zip(ordered, rings_deg)):
        if len(anchors):
            labels.append(_label(style.ring_label(f.range_km), [(x, y, "center") for x, y in anchors], "ring",
                                 label_priority("ring", rank, len(ordered)),
                                 colour=colours[f.weapon.id], layer=layer_vars.get(footprint_layer_id(f))))
    places = result.places.drop_duplicates(["name", "lon", "lat"]).sort_values("population", ascending=False)
    place_xy = shapely.get_coordinates(to_display(shapely.points(places.lon.to_numpy(float), places.lat.to_numpy(float)),
                                                  view.shift)) if len(places) else np.empty((0, 2))
    avoid = np.vstack([place_xy, np.array(launch_xy).reshape(-1, 2)])
    for rank, r in enumerate(s.regions):
        anchors = area_anchors(to_display(r.geometry, view.shift), avoid, count=14)
        labels.append(_label(r.name, [(x, y, "center") for x, y in anchors], "region",
                             label_priority("region", rank, len(s.regions)),
                             layer=layer_vars.get(REGIONS_LAYER)))
    shown_countries = [(name, shapely.intersection(to_display(geometry, view.shift), bbox))
                       for name, geometry in countries]
    shown_countries = [(name, shown) for name, shown in shown_countries
                       if not shown.is_empty and shown.area >= 0.02 * bbox.area]
    order = longest_first([name for name, _ in shown_countries])
    for rank, i in enumerate(order):
        name, shown = shown_countries[i]
        anchors = area_anchors(shown, avoid, count=4)
        labels.append(_label(name, [(x, y, "center") for x, y in anchors], "country",
                             label_priority("country", rank, len(order))))
    tiers = place_tiers(places.population.to_numpy())
    counts = {tier: tiers.count(tier) for tier in set(tiers)}
    seen = dict.fromkeys(counts, 0)
    for p, (x, y), tier in zip(places.itertuples(), place_xy, tiers):
        kind = "place place-big" if place_tier(p.population) == "major_place" else "place"
        priority = label_priority(tier, seen[tier], counts[tier])   # biggest first within the tier
        seen[tier] += 1
        labels.append(_label(p.name, [(x, y, side) for side in POINT_SIDES], kind, priority,
                             layer=layer_vars.get(PLACES_LAYER), symbol_px=style.place_radius_px(p.population)))

    regions = [{"name": r.name, "rows": _share_rows(result, r.name) + ([["Status", r.status_note]] if r.status_note
                                                                       else []),
                "polygons": _coords(to_display(r.geometry, view.shift))} for r in s.regions]
    return {
        "title": s.title, "date": s.date, "about": about,
        "bounds": [[south, west], [north, east]],
        "legend": legend_entries(result, offline=offline),
        "labels": labels,
        "layers": [{"name": name, "var": var} for name, var in layers.values()],
        "regions": regions,
        "admin1": [{"name": name, "polygons": _coords(to_display(g, view.shift), 3)} for name, g in admin1
                   if bbox.intersects(to_display(g, view.shift))],
        "notes": [{"name": r.name, "note": r.status_note, "polygons": _coords(to_display(r.geometry, view.shift), 3)}
                  for r in noted if r.status_note],
        "footprints": [{"name": footprint_layer_name(f), "polygons": _coords(to_display(f.geometry, view.shift))}
                       for f in ordered],
        "launches": _launch_groups(result, view.shift, _PAGE_LAUNCH_SPACING_M),
        "popupOptions": POPUP_OPTIONS,
    }


def lonlat_boxes(bounds_deg, shift: bool) -> list[tuple[float, float, float, float]]:
    """Boxes in real longitudes that cover display bounds: two on a view shifted across 180, else one.

    Examples
    --------
    >>> lonlat_boxes((170.0, 60.0, 190.0, 70.0), True)
    [(170.0, 60.0, 180.0, 70.0), (-180.0, 60.0, -170.0, 70.0)]
    """
    west, south, east, north = bounds_deg
    if not shift:
        return [(west, south, east, north)]
    return [(max(west, -180.0), south, 180.0, north), (-180.0, south, east - 360.0, north)]


def legend_entries(result, *, offline: bool) -> list[dict]:
    """The legend for the page: :func:`rangemap.outputs.style.legend_entries` (the one legend both maps draw), as data.

    Parameters
    ----------
    result : ScenarioResult
    offline : bool
        Whether the map draws the vector basemap (its borders get rows).

    Returns
    -------
    list of dict
        ``{"text", "source", "symbol": {...}}``; ``symbol`` says how the page draws the swatch.
    """
    weapons = list({f.weapon.id: f.weapon for f in sorted(result.footprints, key=lambda f: -f.range_km)}.values())
    kinds = {p.geom_type for g in result.scenario.launches for p in flat_parts(g.geometry)}
    entries = style.legend_entries(weapons, gains=bool(result.gains), regions=bool(result.scenario.regions),
                                   launch_sites="Point" in kinds, launch_lines="LineString" in kinds,
                                   launch_areas="Polygon" in kinds, places=len(result.places) > 0,
                                   min_population=result.scenario.min_population)
    out = []
    for e in entries:
        if e.kind in ("country", "admin1") and not offline:
            continue
        source = e.note.removeprefix("Source: ") if e.note else ""
        out.append({"text": e.text, "source": source, "symbol": _symbol(e)})
    return out


def _symbol(e: style.LegendEntry) -> dict:
    st = e.style
    if isinstance(st, style.MarkerStyle):
        return {"kind": st.shape, "fill": st.fill, "stroke": st.stroke, "width": st.stroke_width_px,
                "radius": st.size_px / 2 + 1}
    if isinstance(st, style.LineStyle):
        return {"kind": "line", "colour": st.colour, "width": st.width_px, "casing": st.casing,
                "casingWidth": st.casing_width_px, "dash": " ".join(f"{d:g}" for d in st.dash_px)}
    if e.kind == "country":  # the country layer's outline is what reads as the border
        return {"kind": "line", "colour": st.stroke, "width": st.stroke_width_px}
    return {"kind": "area", "fills": list(e.swatches) or [None], "stroke": st.stroke, "width": st.stroke_width_px,
            "dash": " ".join(f"{d:g}" for d in st.dash_px)}


__all__ = ["LAUNCHES_LAYER", "PLACES_LAYER", "POPUP_OPTIONS", "REGIONS_LAYER", "View", "footprint_layer_id",
           "footprint_layer_name", "gain_layer_id", "legend_entries", "lonlat_boxes", "map_view", "page_data",
           "to_display",
           "weapon_range_label"]
