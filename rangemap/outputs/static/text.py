"""The static map's words: user text made printable and wrapped, the title, subtitle and credits, halos.

All text from scenarios and files is data: it is drawn with matplotlib's math
parsing off (a ``$`` prints as a ``$``), and SVG output keeps text as text.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Annotation, Text
from matplotlib import patheffects

from rangemap.data.gazetteer import PLACES_CREDIT, REGIONS_CREDIT
from rangemap.model.scenario import Scenario
from rangemap.outputs import style
from rangemap.outputs.style import px_to_pt

HALO_GID = "rangemap-halo"
TITLE_MAX_LINES = 2
SUBTITLE_MAX_LINES = 2
CREDIT_MAX_LINES = 6


@dataclass(frozen=True)
class Label:
    """A label to place: its kind (for its SVG id), text, anchor (projected metres) and style.

    ``priority`` is :func:`rangemap.outputs.labels.label_priority`: labels placed
    in one step are placed in its order.
    """

    kind: str
    text: str
    x: float
    y: float
    style: style.LabelStyle
    centred: bool
    key: str = ""   # what the label names, for area labels: the region's name
    priority: float = 0.0


def clean_text(text) -> str:
    """User text as one printable line: control characters dropped, whitespace runs made single spaces.

    Examples
    --------
    >>> clean_text("a\\x00b\\n  $x$")
    'ab $x$'
    """
    kept = "".join(ch for ch in str(text) if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())


def wrap_text(text, width_chars: int, max_lines: int) -> str:
    """Wrap user text to lines of at most ``width_chars`` and keep at most ``max_lines`` (ending in "…").

    Examples
    --------
    >>> wrap_text("one two three four", 9, 1)
    'one two…'
    """
    lines = textwrap.wrap(clean_text(text), max(width_chars, 8)) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1][: max(width_chars - 1, 1)]
        if len(lines[-1]) >= width_chars and " " in last:   # end on a whole word
            last = last.rsplit(" ", 1)[0]
        lines[-1] = last.rstrip() + "…"
    return "\n".join(lines)


def truncate(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` characters, ending in "…" where cut.

    Examples
    --------
    >>> truncate("Zaporizhzhia", 6)
    'Zapor…'
    """
    max_chars = max(max_chars, 4)
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def title_text(scenario: Scenario) -> str:
    """The map's title: the scenario's title, else its name."""
    return scenario.title or scenario.name


def subtitle_text(scenario: Scenario) -> str:
    """The date (if any) and where the ranges are measured from."""
    launches = "; ".join(clean_text(g.label) for g in scenario.launches)
    parts = [clean_text(scenario.date)] if scenario.date else []
    parts.append(f"Ranges from: {launches}")
    return " · ".join(parts)


def credits_text(scenario: Scenario, max_error_m: float, projection_note: str,
                 status_notes: list[tuple[str, str]]) -> str:
    """The credit line: the scenario's sources, the data credits, the method and the status notes.

    Parameters
    ----------
    scenario : Scenario
    max_error_m : float
        The largest measured error of the footprints, metres.
    projection_note : str
        Which projection the map is drawn in.
    status_notes : list of (str, str)
        Name and note of each region whose status the map must state.

    Returns
    -------
    str
    """
    parts = []
    if scenario.sources:
        parts.append("Sources: " + "; ".join(clean_text(x) for x in scenario.sources) + ".")
    parts.append(f"Map data: {REGIONS_CREDIT}. {PLACES_CREDIT}.")
    parts.append(f"Footprints: geodesic on the WGS84 ellipsoid (rangemap), measured max error {max_error_m:.2f} m. "
                 f"{projection_note}")
    for name, note in status_notes:
        parts.append(f"{clean_text(name)}: {clean_text(note)}")
    return " ".join(parts)


def text_size_px(ax: Axes, renderer: RendererBase, text: str, ls: style.LabelStyle) -> tuple[float, float]:
    """Width and height (display px) that ``text`` takes in the label style ``ls``."""
    t = ax.text(0, 0, text, size=px_to_pt(ls.size_px), weight=ls.weight, parse_math=False, va="bottom")
    box = t.get_window_extent(renderer)
    t.remove()
    return box.width, box.height


def draw_halo(ax: Axes, text: Text, ls: style.LabelStyle) -> None:
    """A copy of ``text`` under it, stroked in the halo colour (the text itself stays text in SVG)."""
    halo: Text
    if isinstance(text, Annotation):
        halo = ax.annotate(text.get_text(), text.xy, xycoords=text.xycoords, xytext=text.xyann,
                           textcoords=text.anncoords)
    else:
        halo = ax.text(*text.get_position(), text.get_text(), transform=text.get_transform())
    halo.update({"ha": text.get_horizontalalignment(), "va": text.get_verticalalignment(),
                 "size": text.get_fontsize(), "weight": text.get_fontweight(),
                 "color": ls.halo, "zorder": text.get_zorder() - 0.5, "gid": f"{HALO_GID}-{text.get_gid()}",
                 "parse_math": False,
                 "clip_on": text.get_clip_on(), "linespacing": text.get_linespacing(),
                 "path_effects": [patheffects.Stroke(linewidth=2 * px_to_pt(ls.halo_width_px), foreground=ls.halo)]})


def remove_label(ax: Axes, text: Text) -> None:
    """Take a drawn label and its halo off the map."""
    halo_gid = f"{HALO_GID}-{text.get_gid()}"
    for t in [t for t in ax.texts if t.get_gid() == halo_gid] + [text]:
        t.remove()


__all__ = ["CREDIT_MAX_LINES", "HALO_GID", "SUBTITLE_MAX_LINES", "TITLE_MAX_LINES", "Label", "clean_text",
           "credits_text", "draw_halo", "remove_label", "subtitle_text", "text_size_px", "title_text", "truncate",
           "wrap_text"]
