"""The one style table that the interactive map, the static map and their legends draw from.

Pure data and small pure helpers: no folium, no matplotlib. Sizes are CSS
pixels (``*_px``); :func:`px_to_pt` converts them for print and matplotlib
(1 px = 0.75 pt, the CSS reference pixel at 96 dpi). Colours are ``#rrggbb``.
Every entry that appears in a legend carries its legend text, and legend
swatches are drawn the way the map draws the entry: a fill at its real opacity
over the basemap's land colour (:func:`swatch_colour`), with its real outline.

Drawing order, bottom to top: water, land, region-of-interest fills, what the
longer range adds, footprint fills, admin-1 and country outlines, region
outlines, footprint outlines, launch lines and areas, places, launch sites,
labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import overload

import numpy as np

PT_PER_PX = 0.75


@dataclass(frozen=True)
class AreaStyle:
    """A filled polygon layer.

    Attributes
    ----------
    fill : str or None
        Fill colour; None for a layer whose fill depends on the feature (see :func:`share_colour`).
    fill_opacity : float
    stroke : str or None
        Outline colour; None for no outline.
    stroke_width_px : float
    dash_px : tuple of float
        Dash pattern (on, off, ...) in px; empty for a solid line.
    legend : str
        Legend text ("" for no legend entry).
    """

    fill: str | None
    fill_opacity: float
    stroke: str | None
    stroke_width_px: float
    dash_px: tuple[float, ...] = ()
    legend: str = ""


@dataclass(frozen=True)
class LineStyle:
    """A line layer, optionally drawn over a wider casing line of another colour."""

    colour: str
    width_px: float
    casing: str | None = None
    casing_width_px: float = 0.0
    dash_px: tuple[float, ...] = ()
    legend: str = ""


@dataclass(frozen=True)
class MarkerStyle:
    """A point symbol. ``shape`` is ``"circle"`` or ``"triangle"``; ``size_px`` is the symbol's height."""

    shape: str
    fill: str
    stroke: str
    stroke_width_px: float
    size_px: float
    legend: str = ""


@dataclass(frozen=True)
class LabelStyle:
    """Map text: size, weight, colour and a halo (an outline of ``halo`` colour round the glyphs)."""

    size_px: float
    colour: str
    weight: str = "normal"
    halo: str = "#ffffff"
    halo_width_px: float = 3.0
    uppercase: bool = False


# Basemap (Natural Earth).
WATER = "#cfe3f3"
LAND = "#f2efe9"
COUNTRY = AreaStyle(LAND, 1.0, "#8a8a8a", 1.0, legend="Country border")
ADMIN1 = LineStyle("#bbbbbb", 0.5, legend="Region (admin-1) border")

# Footprints: one colour per weapon, in order of range, longest first.
PALETTE = ("#d7301f", "#2166ac", "#1a9850", "#762a83", "#e08214", "#01665e", "#c51b7d", "#525252")
FOOTPRINT_STROKE_WIDTH_PX = 2.0
FOOTPRINT_FILL_OPACITY = 0.10
GAIN = AreaStyle("#fdae61", 0.25, None, 0.0, legend="What the longer range adds")

# Regions of interest: dashed outline, fill by share in range (white at 0 to dark red at 1).
REGION = AreaStyle(None, 0.45, "#333333", 2.0, dash_px=(5.0, 4.0),
                   legend="Region of interest, shaded by share in range")
REGION_RAMP_SHARES = (0.0, 0.5, 1.0)

# Launch geometry: sites as yellow triangles with a black edge, always above places;
# lines (a border) as yellow over a black casing; areas as a yellow wash with a black edge.
LAUNCH_SITE = MarkerStyle("triangle", "#ffeb3b", "#000000", 1.5, 16.0, legend="Launch site (illustrative)")
LAUNCH_LINE = LineStyle("#ffeb3b", 2.0, casing="#000000", casing_width_px=5.0, legend="Launch line (illustrative)")
LAUNCH_AREA = AreaStyle("#ffeb3b", 0.3, "#000000", 2.0, legend="Launch area (illustrative)")

# Reach from a target: the part of a launch area from which the target is in range, and the target.
REACH_ZONE = AreaStyle("#1a9850", 0.35, "#0b5d2b", 2.0, legend="Launch zone: from here the target is in range")
TARGET = MarkerStyle("circle", "#d7301f", "#000000", 2.0, 12.0, legend="Target")

# Places in range: white circles with a dark edge, sized by population.
PLACE = MarkerStyle("circle", "#ffffff", "#111111", 1.0, 6.0, legend="Place in range, sized by population")

# Map furniture (the static map's; the interactive map has Leaflet's own).
INK = "#111111"          # titles, headings, scale bar
TEXT = "#333333"         # body text
MUTED = "#555555"        # credits, notes on figures, frame, graticule labels
GRATICULE = LineStyle("#7f96aa", 0.5)
SCALE_BAR = LineStyle(INK, 4.0, casing="#ffffff", casing_width_px=8.0)
SCALE_BAR_LABEL = LabelStyle(12.0, INK, "bold")

# Labels.
COUNTRY_LABEL = LabelStyle(17.0, "#6f6f6f", "normal", halo=LAND, halo_width_px=3.0, uppercase=True)
REGION_LABEL = LabelStyle(14.0, "#5c1a10", "bold", halo_width_px=3.5, uppercase=True)
LAUNCH_LABEL = LabelStyle(13.0, "#000000", "bold", halo="#fff59d", halo_width_px=3.5)
RING_LABEL_SIZE_PX = 14.0
RING_LABEL_WEIGHT = "bold"
PLACE_LABEL_TIERS = ((1_000_000, LabelStyle(13.0, "#111111", "bold")),
                     (300_000, LabelStyle(12.0, "#111111")),
                     (0, LabelStyle(10.5, "#333333")))


@overload
def px_to_pt(px: float) -> float: ...
@overload
def px_to_pt(px: np.ndarray) -> np.ndarray: ...
def px_to_pt(px: float | np.ndarray) -> float | np.ndarray:
    """CSS pixels to typographic points (1 px = 0.75 pt).

    Examples
    --------
    >>> px_to_pt(16)
    12.0
    """
    return px * PT_PER_PX


def label_text(text: str, label_style: LabelStyle) -> str:
    """A label's text as the style shows it (upper case where the style says so).

    Examples
    --------
    >>> label_text("Russia", COUNTRY_LABEL)
    'RUSSIA'
    """
    return text.upper() if label_style.uppercase else text


def weapon_colours(weapon_ids) -> dict[str, str]:
    """A fixed colour per weapon id, in the order given (pass them longest range first).

    Parameters
    ----------
    weapon_ids : iterable of str
        Repeats are ignored.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> weapon_colours(["atacms", "atacms-165", "atacms"])
    {'atacms': '#d7301f', 'atacms-165': '#2166ac'}
    """
    return {wid: PALETTE[i % len(PALETTE)] for i, wid in enumerate(dict.fromkeys(weapon_ids))}


def footprint_style(colour: str, weapon_name: str, range_km: float, approximate: bool = False) -> AreaStyle:
    """How one weapon's footprints are drawn, with their legend text.

    Examples
    --------
    >>> footprint_style("#d7301f", "ATACMS", 300).legend
    'ATACMS: 300 km'
    """
    about = "about " if approximate else ""
    return AreaStyle(colour, FOOTPRINT_FILL_OPACITY, colour, FOOTPRINT_STROKE_WIDTH_PX,
                     legend=f"{weapon_name}: {about}{range_km:g} km")


def ring_label(range_km: float) -> str:
    """The label on a footprint's ring.

    Examples
    --------
    >>> ring_label(300.0), ring_label(482.8)
    ('300 km', '482.8 km')
    """
    return f"{range_km:g} km"


def ring_label_style(colour: str) -> LabelStyle:
    """The ring label in its footprint's colour, with a white halo."""
    return LabelStyle(RING_LABEL_SIZE_PX, colour, RING_LABEL_WEIGHT, halo_width_px=3.5)


def share_colour(share: float) -> str:
    """Fill colour of a region of interest by share in range: white at 0 to dark red at 1.

    Parameters
    ----------
    share : float
        Clipped to [0, 1].

    Examples
    --------
    >>> share_colour(0.0), share_colour(1.0)
    ('#ffffff', '#ff3723')
    """
    s = min(max(float(share), 0.0), 1.0)
    return f"#ff{int(255 - 200 * s):02x}{int(255 - 220 * s):02x}"


def place_radius_px(population: float) -> float:
    """Radius of a place's circle: 3 px at 10,000 people and below, 2 px more per tenfold.

    Examples
    --------
    >>> place_radius_px(10_000), place_radius_px(1_000_000)
    (3.0, 7.0)
    """
    return 3.0 + 2.0 * math.log10(max(float(population), 10_000.0) / 10_000.0)


def place_label_style(population: float) -> LabelStyle:
    """A place label's style by population (bigger places, bigger and bolder labels)."""
    return next(style for floor, style in PLACE_LABEL_TIERS if population >= floor)


@dataclass(frozen=True)
class LegendEntry:
    """One legend row, drawn the way the map draws it.

    Attributes
    ----------
    kind : str
        ``"footprint"``, ``"gain"``, ``"region"``, ``"launch_site"``, ``"launch_line"``,
        ``"launch_area"``, ``"place"``, ``"country"`` or ``"admin1"``.
    style : AreaStyle, LineStyle or MarkerStyle
        The style the map draws the layer with.
    text : str
        The legend text (user data: escape it for HTML, draw it without math parsing).
    note : str
        A second, smaller line ("" for none): a weapon's source.
    swatches : tuple of str
        For areas, the opaque colours the fill shows on the map over land (a
        region's ramp has one per share in :data:`REGION_RAMP_SHARES`); a
        swatch is drawn in these colours with the style's outline.
    """

    kind: str
    style: AreaStyle | LineStyle | MarkerStyle
    text: str
    note: str = ""
    swatches: tuple[str, ...] = ()


def legend_entries(weapons, *, gains: bool = False, regions: bool = False, launch_sites: bool = False,
                   launch_lines: bool = False, launch_areas: bool = False, places: bool = False,
                   min_population: int = 0) -> list[LegendEntry]:
    """The legend of a map, in order: one row per weapon, then one per other layer the map has.

    Parameters
    ----------
    weapons : sequence
        The map's weapons, longest range first; each with ``id``, ``name``,
        ``range_km``, ``approximate`` and ``source`` (:class:`rangemap.data.catalog.Weapon`).
    gains, regions, launch_sites, launch_lines, launch_areas, places : bool, optional
        Which other layers the map has.
    min_population : int, optional
        The smallest place shown (said in the places row when above 0).

    Returns
    -------
    list of LegendEntry
        Ending with the country and admin-1 borders, which every map has.
    """
    colours = weapon_colours(w.id for w in weapons)
    entries = []
    for w in weapons:
        fs = footprint_style(colours[w.id], w.name, w.range_km, w.approximate)
        entries.append(LegendEntry("footprint", fs, fs.legend, f"Source: {w.source}",
                                   (swatch_colour(fs.fill, fs.fill_opacity),)))
    if gains and weapons:
        # The added band lies inside the longest footprint, whose fill is drawn over it.
        under = swatch_colour(GAIN.fill, GAIN.fill_opacity)
        longest = colours[weapons[0].id]
        entries.append(LegendEntry("gain", GAIN, GAIN.legend,
                                   swatches=(swatch_colour(longest, FOOTPRINT_FILL_OPACITY, under),)))
    if regions:
        ramp = tuple(swatch_colour(share_colour(s), REGION.fill_opacity) for s in REGION_RAMP_SHARES)
        shares = ", ".join(f"{s:.0%}" for s in REGION_RAMP_SHARES)
        entries.append(LegendEntry("region", REGION, f"{REGION.legend} ({shares})", swatches=ramp))
    if launch_sites:
        entries.append(LegendEntry("launch_site", LAUNCH_SITE, LAUNCH_SITE.legend))
    if launch_lines:
        entries.append(LegendEntry("launch_line", LAUNCH_LINE, LAUNCH_LINE.legend))
    if launch_areas:
        entries.append(LegendEntry("launch_area", LAUNCH_AREA, LAUNCH_AREA.legend,
                                   swatches=(swatch_colour(LAUNCH_AREA.fill, LAUNCH_AREA.fill_opacity),)))
    if places:
        floor = f"; population ≥ {min_population:,}" if min_population > 0 else ""
        entries.append(LegendEntry("place", PLACE, PLACE.legend + floor))
    entries.append(LegendEntry("country", COUNTRY, COUNTRY.legend))
    entries.append(LegendEntry("admin1", ADMIN1, ADMIN1.legend))
    return entries


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def swatch_colour(fill: str | None, opacity: float, background: str = LAND) -> str:
    """The opaque colour a fill at ``opacity`` shows over ``background`` (what a legend swatch must show).

    Parameters
    ----------
    fill, background : str
        ``#rrggbb``; a ``None`` fill (a layer coloured per feature) shows the background.
    opacity : float
        0 to 1.

    Returns
    -------
    str

    Examples
    --------
    >>> swatch_colour("#d7301f", 0.10, "#f2efe9")
    '#efdcd5'
    """
    if fill is None:
        return background
    mixed = (round(opacity * f + (1 - opacity) * b) for f, b in zip(_rgb(fill), _rgb(background)))
    return "#{:02x}{:02x}{:02x}".format(*mixed)


__all__ = ["ADMIN1", "COUNTRY", "COUNTRY_LABEL", "FOOTPRINT_FILL_OPACITY", "FOOTPRINT_STROKE_WIDTH_PX", "GAIN",
           "GRATICULE", "INK", "LAND", "LAUNCH_AREA", "LAUNCH_LABEL", "LAUNCH_LINE", "LAUNCH_SITE", "MUTED", "PALETTE",
           "PLACE", "PLACE_LABEL_TIERS", "REGION", "REGION_LABEL", "REGION_RAMP_SHARES", "RING_LABEL_SIZE_PX",
           "SCALE_BAR", "SCALE_BAR_LABEL", "TEXT", "WATER", "AreaStyle", "LabelStyle", "LegendEntry", "LineStyle",
           "MarkerStyle", "footprint_style", "label_text", "legend_entries", "place_label_style", "place_radius_px",
           "px_to_pt", "ring_label", "ring_label_style", "share_colour", "swatch_colour", "weapon_colours"]
