"""GIS exports read back with pyogrio and match the report's figures."""

import numpy as np
import pyogrio
import pytest

from rangemap.outputs.writers import KINDS, export
from rangemap.model.schema import SECTIONS


def _read_sections(path, fmt):
    """Every section of an export, read back with pyogrio (independently of rangemap's writer)."""
    if fmt == "geojson":
        frame = pyogrio.read_dataframe(path)
        return {section: frame[frame.kind == kind].reset_index(drop=True) for section, kind in KINDS.items()}
    out = {}
    for layer, _ in pyogrio.list_layers(path):
        out[str(layer)] = pyogrio.read_dataframe(path, layer=layer)
    return out


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml"])
def test_every_format_reads_back_row_by_row_as_the_json_report(default_result, tmp_path, fmt):
    import json

    from rangemap.outputs.report import format_report

    report = json.loads(format_report(default_result, "json"))
    path = export(default_result, tmp_path / f"out.{fmt}")
    sections = _read_sections(path, fmt)
    expected_sections = [s for s in SECTIONS if report[s] and not (fmt == "kml" and s == "gain_regions")]
    assert sorted(s for s in sections if len(sections[s])) == sorted(expected_sections)
    id_col = "rangemap_id" if fmt == "kml" else "id"
    for section in expected_sections:
        frame = sections[section].set_index(id_col)
        assert len(frame) == len(report[section]), section
        for row in report[section]:
            got = frame.loc[row["id"]]
            for key, value in row.items():
                if key == "id":
                    continue
                column = "name" if fmt == "kml" and key == "name" and "name" in frame else key
                column = "Name" if fmt == "kml" and column == "name" and "name" not in frame else column
                if isinstance(value, float):
                    assert float(got[column]) == pytest.approx(value, abs=1e-9), (section, row["id"], key)
                elif isinstance(value, int):
                    assert int(got[column]) == value, (section, row["id"], key)
                else:
                    text = got[column]
                    text = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
                    assert text == value, (section, row["id"], key)  # empty text may read back as null
    # Each place once, in every format.
    places = sections["places"]
    assert len(places) == len(set(zip(places.lon if "lon" in places else places.geometry.x,
                                      places.lat if "lat" in places else places.geometry.y)))
    # Geometry survives: footprint areas recomputed from the read-back geometry agree to 0.01 %.
    from rangemap.model.analysis import geodesic_area_km2

    fps = sections["footprints"].set_index(id_col)
    for f in report["footprints"]:
        assert geodesic_area_km2(fps.loc[f["id"]].geometry) == pytest.approx(f["area_km2"], rel=1e-4)


def test_report_formats_carry_the_same_sections(default_result):
    import csv
    import io
    import json

    from rangemap.outputs.report import format_report

    report = json.loads(format_report(default_result, "json"))
    rows = list(csv.DictReader(io.StringIO(format_report(default_result, "csv"))))
    for section in SECTIONS:
        assert [r["id"] for r in rows if r["table"] == section] == [r["id"] for r in report[section]], section
    assert any("GeoNames" in c for c in report["scenario"]["data_credits"])
    for fmt in ("table", "markdown"):
        text = format_report(default_result, fmt)
        assert "GeoNames" in text and "Natural Earth" in text
        assert "What the longer range adds" in text and "Places newly in range" in text
        assert "%" in text and "0.976" not in text


def test_kml_styles_each_layer_with_the_map_colours(default_result, tmp_path):
    from rangemap.outputs.style import weapon_colours

    text = export(default_result, tmp_path / "x.kml").read_text()
    colours = weapon_colours(f.weapon.id for f in sorted(default_result.footprints, key=lambda f: -f.range_km))
    for colour in colours.values():
        r, g, b = colour[1:3], colour[3:5], colour[5:7]
        assert f"ff{b}{g}{r}".lower() in text.lower()  # KML colours are aabbggrr
    assert "<PolyStyle>" in text and "<fill>0</fill>" not in text.split("regions")[0]


def test_geojson_is_rfc7946(default_result, tmp_path):
    import json

    data = json.loads(export(default_result, tmp_path / "x.geojson").read_text())
    assert "crs" not in data
    for feature in data["features"]:
        if feature["geometry"] and feature["geometry"]["type"] == "Polygon":
            ring = np.asarray(feature["geometry"]["coordinates"][0])
            signed = np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
            assert signed > 0  # exterior rings counter-clockwise


def test_antimeridian_footprint_exports_split(tmp_path):
    import json

    import shapely

    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import parse_scenario

    s = parse_scenario({"name": "chukotka", "weapons": ["atacms"],
                        "launch": [{"id": "a", "sites": [{"point": [179.5, 66.0]}]}]}, "inline")
    data = json.loads(export(run_scenario(s), tmp_path / "x.geojson").read_text())
    fp = next(f for f in data["features"] if f["properties"]["kind"] == "footprint")
    geom = shapely.geometry.shape(fp["geometry"])
    assert geom.geom_type == "MultiPolygon" and geom.bounds[0] >= -180 and geom.bounds[2] <= 180
    assert geom.bounds[2] - geom.bounds[0] > 350  # two parts at both ends, not one smeared across
    assert max(p.bounds[2] - p.bounds[0] for p in geom.geoms) < 10


def test_csv_cells_that_a_spreadsheet_would_run_stay_text():
    import csv
    import io

    from rangemap.outputs.report import format_report
    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import parse_scenario

    result = run_scenario(parse_scenario({"name": "f", "weapons": [{"name": "=HYPERLINK(\"x\")", "range_km": 5}],
                                          "launch": [{"id": "@a", "label": "+1", "sites": [{"point": [30, 50]}]}]},
                                         "f.toml"))
    rows = list(csv.DictReader(io.StringIO(format_report(result, "csv"))))
    cells = [v for r in rows for v in r.values() if v]
    assert not any(v[0] in "=+@" for v in cells), cells
    assert "'=HYPERLINK(\"x\")" in cells and "'@a" in cells
