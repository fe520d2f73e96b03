"""The shared style table: legend rows match what the map draws."""

import matplotlib.colors
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rangemap.outputs import style


def _rendered_over_land(layers) -> np.ndarray:
    """RGB (0-255) of one pixel where ``layers`` (colour, opacity), bottom first, are drawn over land by Agg."""
    fig = Figure(figsize=(1, 1), dpi=10)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.add_patch(matplotlib.patches.Rectangle((0, 0), 1, 1, facecolor=style.LAND))
    for colour, opacity in layers:
        ax.add_patch(matplotlib.patches.Rectangle((0, 0), 1, 1, facecolor=colour, alpha=opacity))
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[5, 5, :3].astype(float)


def _rgb255(colour: str) -> np.ndarray:
    return np.array(matplotlib.colors.to_rgb(colour)) * 255


def test_legend_rows_in_order_with_swatches_as_the_map_shows_them(default_result):
    weapons = list({f.weapon.id: f.weapon for f in sorted(default_result.footprints, key=lambda f: -f.range_km)}
                   .values())
    entries = style.legend_entries(weapons, gains=True, regions=True, launch_sites=True, launch_lines=True,
                                   places=True, min_population=50_000)
    assert [e.kind for e in entries] == ["footprint", "footprint", "gain", "region", "launch_site", "launch_line",
                                         "place", "country", "admin1"]
    red, blue = style.PALETTE[:2]
    assert entries[0].style.stroke == red and entries[0].text.endswith("300 km")
    assert entries[1].style.stroke == blue and entries[1].text.endswith("165 km")
    assert entries[0].note.startswith("Source: Al Jazeera")
    opacity = style.FOOTPRINT_FILL_OPACITY
    assert np.abs(_rendered_over_land([(red, opacity)]) - _rgb255(entries[0].swatches[0])).max() <= 1.5
    gain = _rendered_over_land([(style.GAIN.fill, style.GAIN.fill_opacity), (red, opacity)])
    assert np.abs(gain - _rgb255(entries[2].swatches[0])).max() <= 2.5   # two blends, each rounded to 1/255
    for share, swatch in zip(style.REGION_RAMP_SHARES, entries[3].swatches):
        shown = _rendered_over_land([(style.share_colour(share), style.REGION.fill_opacity)])
        assert np.abs(shown - _rgb255(swatch)).max() <= 1.5
    assert "population ≥ 50,000" in entries[6].text


def test_legend_leaves_out_layers_the_map_does_not_have(default_result):
    weapon = default_result.footprints[0].weapon
    kinds = [e.kind for e in style.legend_entries([weapon])]
    assert kinds == ["footprint", "country", "admin1"]
    place = style.legend_entries([weapon], places=True)[1]
    assert place.kind == "place" and "≥" not in place.text


def test_place_symbols_and_labels_grow_with_population():
    radii = [style.place_radius_px(p) for p in (5_000, 10_000, 100_000, 1_000_000)]
    assert radii == [3.0, 3.0, 5.0, 7.0]
    sizes = [style.place_label_style(p).size_px for p in (60_000, 400_000, 2_000_000)]
    assert sizes == sorted(sizes) and len(set(sizes)) == 3
