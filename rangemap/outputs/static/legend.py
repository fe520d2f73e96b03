"""The static map's side panel: the key (:func:`rangemap.outputs.style.legend_entries`), the shares table, notes."""

from __future__ import annotations

from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from rangemap.model.results import ScenarioResult
from rangemap.outputs import style
from rangemap.outputs.static.framing import Canvas
from rangemap.outputs.static.layers import MARKERS, best_share_by_weapon
from rangemap.outputs.static.text import clean_text, truncate, wrap_text
from rangemap.outputs.style import px_to_pt

_MAX_SHARE_COLUMNS = 3


def legend_handle(entry: style.LegendEntry) -> Artist | tuple[Artist, ...]:
    """A legend swatch drawn as the map draws the entry (fill as it shows over land, real outline and symbol)."""
    st = entry.style
    if entry.kind == "region":
        assert isinstance(st, style.AreaStyle)   # the region entry is drawn with style.REGION
        return tuple(Patch(facecolor=colour, edgecolor=st.stroke, linewidth=px_to_pt(st.stroke_width_px) * 0.6,
                           linestyle=(0, tuple(px_to_pt(d) * 0.4 for d in st.dash_px))) for colour in entry.swatches)
    if isinstance(st, style.AreaStyle) and entry.swatches:
        return Patch(facecolor=entry.swatches[0], edgecolor=st.stroke or "none",
                     linewidth=px_to_pt(st.stroke_width_px))
    if isinstance(st, style.MarkerStyle):
        size_px = st.size_px if st.shape == "triangle" else 2 * style.place_radius_px(1_000_000)
        return Line2D([], [], linestyle="none", marker=MARKERS[st.shape], markersize=px_to_pt(size_px),
                      markerfacecolor=st.fill, markeredgecolor=st.stroke, markeredgewidth=px_to_pt(st.stroke_width_px))
    if isinstance(st, style.AreaStyle):   # an outline only (country borders)
        return Line2D([], [], color=st.stroke, linewidth=px_to_pt(st.stroke_width_px))
    casing = ([patheffects.Stroke(linewidth=px_to_pt(st.casing_width_px), foreground=st.casing), patheffects.Normal()]
              if st.casing else None)
    return Line2D([], [], color=st.colour, linewidth=px_to_pt(st.width_px), path_effects=casing)


def draw_legend(canvas: Canvas, result: ScenarioResult, weapons: list, *, launch_sites: bool, launch_lines: bool,
                launch_areas: bool, places: bool) -> None:
    """The key, then the shares table and the scenario's notes, in the side panel.

    Parameters
    ----------
    canvas : Canvas
    result : ScenarioResult
    weapons : list of Weapon
        In the map's order (longest range first).
    launch_sites, launch_lines, launch_areas, places : bool
        Which of these the map drew.
    """
    scenario = result.scenario
    width_chars = int(canvas.panel_w_in * 72 / (0.55 * 8.0)) - 6
    entries = style.legend_entries(weapons, gains=bool(result.gains), regions=bool(scenario.regions),
                                   launch_sites=launch_sites, launch_lines=launch_lines, launch_areas=launch_areas,
                                   places=places, min_population=scenario.min_population)
    handles = [legend_handle(e) for e in entries]
    texts = [wrap_text(e.text, width_chars, 2) + (f"\n{wrap_text(e.note, width_chars, 3)}" if e.note else "")
             for e in entries]
    leg = canvas.panel.legend(handles, texts, loc="upper left", bbox_to_anchor=(0, 1), frameon=False, fontsize=8,
                              handler_map={tuple: HandlerTuple(ndivide=None, pad=0)}, handlelength=2.6,
                              handleheight=1.4, labelspacing=0.9, borderaxespad=0, title="Key",
                              title_fontproperties={"weight": "bold", "size": 9}, alignment="left")
    for t in leg.get_texts():
        t.set_parse_math(False)
    _draw_shares_block(canvas, result, weapons, leg, width_chars)


def _draw_shares_block(canvas: Canvas, result: ScenarioResult, weapons: list, leg: Legend, width_chars: int) -> None:
    """Below the key: a table of each region's share in range per weapon, then the scenario's notes."""
    panel = canvas.panel
    scenario = result.scenario
    y = leg.get_window_extent(canvas.renderer()).transformed(panel.transAxes.inverted()).y0 - 0.03
    best = best_share_by_weapon(result)
    weapons = weapons[:_MAX_SHARE_COLUMNS]
    if best:
        y = _panel_text(canvas, y, "Share of each region in range", size=9, weight="bold", color=style.INK)
        column = 0.22
        name_w = 1.0 - column * len(weapons)
        rows = [("Region", [style.ring_label(w.range_km) for w in weapons], "bold")]
        rows += [(name, [f"{best[name][w.id]:.1%}" if w.id in best[name] else "–" for w in weapons], "normal")
                 for name in (r.name for r in scenario.regions) if name in best]
        for name, cells, weight in rows:
            name_chars = int(width_chars * name_w)
            bottoms = [_panel_text(canvas, y - 0.006, truncate(clean_text(name), name_chars), size=8, weight=weight,
                                   color=style.TEXT)]
            bottoms += [_panel_text(canvas, y - 0.006, cell, x=name_w + column * (j + 1) - 0.01, ha="right", size=8,
                                    weight=weight, color=style.TEXT) for j, cell in enumerate(cells)]
            y = min(bottoms)
        y = _panel_text(canvas, y - 0.008, "Largest share from any one launch group.", size=7, color=style.MUTED)
    if scenario.notes:
        y = _panel_text(canvas, y - 0.03, "About this map", size=9, weight="bold", color=style.INK)
        line_frac = 8 * 1.4 / 72 / (panel.get_position().height * canvas.fig.get_size_inches()[1])
        lines = int((y - 0.01) / line_frac)
        if lines > 0:
            _panel_text(canvas, y - 0.006, wrap_text(scenario.notes, width_chars + 4, lines), size=8,
                        color=style.TEXT, linespacing=1.4)


def _panel_text(canvas: Canvas, y: float, text: str, x: float = 0.0, ha: str = "left", **kw) -> float:
    """Text in the side panel with its top at ``y`` (axes fraction); returns where its bottom falls."""
    panel: Axes = canvas.panel
    t = panel.text(x, y, text, transform=panel.transAxes, ha=ha, va="top", parse_math=False, **kw)
    return float(t.get_window_extent(canvas.renderer()).transformed(panel.transAxes.inverted()).y0)


__all__ = ["draw_legend", "legend_handle"]
