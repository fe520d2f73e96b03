"""The format registry (rangemap.outputs.formats) and the one GeoJSON writer (rangemap.outputs.geojson).

Every test reads the registry rather than a list of its own, so a format added
there is tested here without an edit.
"""

import json

import numpy as np
import pyogrio
import pytest
import shapely

from rangemap.cli.main import ExportFormat, MapFormat, ReportFormat, main
from rangemap.outputs.formats import COMMAND_KINDS, FORMATS, format_from_extension, format_names, output_format
from rangemap.outputs.geojson import COORD_DECIMALS, geojson_feature

MINIMAL = 'name = "t"\nmin_population = 1000000\nweapons = ["atacms"]\n[[launch]]\nid = "a"\nsites = [{ point = [30.0, 50.0] }]\n'
COMMAND = {"map": "render", "export": "export", "report": "report"}
# (format, kind) pairs: every registered format under every command it serves.
CASES = [(f.name, kind) for f in FORMATS.values() for kind in f.kinds]


@pytest.fixture()
def scenario(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(MINIMAL)
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("rangemap: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def looks_like(fmt: str, data: bytes, path) -> bool:
    """An independent check that a file is in its format (magic bytes, or a parser other than rangemap's)."""
    text = data.decode("utf-8", errors="replace")
    checks = {
        "html": lambda: text.startswith("<!DOCTYPE html>"),
        "png": lambda: data[:8] == b"\x89PNG\r\n\x1a\n",
        "svg": lambda: "<svg" in text[:2000],
        "pdf": lambda: data[:5] == b"%PDF-",
        "geojson": lambda: json.loads(text)["type"] == "FeatureCollection",
        "gpkg": lambda: "footprints" in {str(name) for name, _ in pyogrio.list_layers(path)},
        "kml": lambda: text.lstrip().startswith("<?xml") and "<kml" in text,
        "table": lambda: "Footprints" in text and "Regions of interest" in text,
        "markdown": lambda: "| id |" in text and text.startswith("# "),
        "csv": lambda: text.startswith("table,id,"),
        "json": lambda: json.loads(text)["scenario"]["name"] == "t",
    }
    return checks[fmt]()


def test_every_format_has_a_kind_a_writer_and_extensions():
    assert set(FORMATS) == {"html", "png", "svg", "pdf", "geojson", "gpkg", "kml", "table", "markdown", "csv", "json"}
    for fmt in FORMATS.values():
        assert fmt.kinds and set(fmt.kinds) <= set(COMMAND_KINDS), fmt.name
        assert fmt.extensions and all(e.startswith(".") and e == e.lower() for e in fmt.extensions), fmt.name
        assert callable(fmt.write)
    for kind in COMMAND_KINDS:  # within one command an extension names one format
        extensions = [e for name in format_names(kind) for e in FORMATS[name].extensions]
        assert len(extensions) == len(set(extensions)), kind


def test_the_cli_choices_are_the_registry_names(capsys):
    for enum, kind in ((MapFormat, "map"), (ExportFormat, "export"), (ReportFormat, "report")):
        assert [m.value for m in enum] == list(format_names(kind))
        code, out, _ = run(capsys, COMMAND[kind], "--help")
        assert code == 0 and f"<{'|'.join(format_names(kind))}>" in out


def test_the_static_map_knows_the_registry_static_formats():
    from rangemap.outputs import static

    assert set(static.FORMATS) == {n for n in format_names("map") if n != "html"}


@pytest.mark.parametrize("name,kind", CASES)
def test_every_format_round_trips_through_the_cli_to_a_file(capsys, tmp_path, scenario, name, kind):
    fmt = FORMATS[name]
    for extension in fmt.extensions:
        target = tmp_path / f"out{extension}"
        code, out, err = run(capsys, COMMAND[kind], scenario, "-q", "--format", name, "-o", target)
        assert code == 0, err
        assert out.strip() == str(target.resolve())
        assert looks_like(name, target.read_bytes(), target), (name, extension)
        assert format_from_extension(kind, target) is fmt
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


@pytest.mark.parametrize("name,kind", [c for c in CASES if c[1] != "export"])
def test_the_extension_chooses_the_format_when_format_is_left_out(capsys, tmp_path, scenario, name, kind):
    target = tmp_path / f"out{FORMATS[name].extensions[-1]}"
    code, _, err = run(capsys, COMMAND[kind], scenario, "-q", "-o", target)
    assert code == 0, err
    assert looks_like(name, target.read_bytes(), target)


@pytest.mark.parametrize("name,kind", CASES)
def test_standard_output_for_text_formats_only(capsys, scenario, name, kind):
    fmt = FORMATS[name]
    code, out, err = run(capsys, COMMAND[kind], scenario, "-q", "--format", name, "-o", "-")
    if fmt.binary:
        line = one_error_line(err)
        assert code == 2 and "standard output" in line and fmt.label in line and not out
    else:
        assert code == 0, err
        assert looks_like(name, out.encode("utf-8"), None)


@pytest.mark.parametrize("args,name", [
    (["render", "-o", "{d}/m.xyz"], "m.xyz"),
    (["render", "-f", "png", "-o", "{d}/m.html"], "m.html"),
    (["report", "-o", "{d}/r"], "r"),
    (["report", "-f", "csv", "-o", "{d}/r.json"], "r.json"),
    (["export", "-f", "kml", "-o", "{d}/x.xyz"], "x.xyz"),
    (["export", "-f", "json", "-o", "{d}/x.json"], None),  # json is a report format, not an export one
    (["footprint", "--lon", "30", "--lat", "50", "--range-km", "10", "-o", "{d}/f.txt"], "f.txt"),
])
def test_an_unknown_or_wrong_extension_is_refused_with_one_line(capsys, tmp_path, scenario, args, name):
    args = [a.format(d=tmp_path) for a in args]
    if args[0] != "footprint":
        args.insert(1, str(scenario))
    code, out, err = run(capsys, *args)
    line = one_error_line(err)
    assert code == 2 and not out
    if name is not None:
        assert name in line and "extension" in line
    else:
        assert "--format" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]  # nothing written


def test_output_format_names_the_problem():
    with pytest.raises(Exception, match="unknown report format 'yaml'"):
        output_format("report", "r.yaml", "yaml")
    with pytest.raises(Exception, match="a GeoPackage is a binary database"):
        output_format("export", "-", "gpkg")
    with pytest.raises(Exception, match=r"a PNG file needs the extension \.png"):
        output_format("map", "m.svg", "png")
    assert output_format("export", "x.JSON", "geojson").name == "geojson"
    assert format_from_extension("export", "x.json").name == "geojson"
    assert format_from_extension("report", "x.json").name == "json"


def _coordinates(geometry: dict) -> np.ndarray:
    return np.asarray(shapely.get_coordinates(shapely.geometry.shape(geometry)))


def _assert_rfc7946(features: list[dict]):
    for feature in features:
        assert feature["type"] == "Feature" and "crs" not in feature
        if feature["geometry"] is None:
            continue
        xy = _coordinates(feature["geometry"])
        assert np.array_equal(xy, np.round(xy, COORD_DECIMALS))  # the same rounding everywhere
        assert np.all(np.abs(xy[:, 0]) <= 180) and np.all(np.abs(xy[:, 1]) <= 90)
        shape = shapely.geometry.shape(feature["geometry"])
        for polygon in (p for p in getattr(shape, "geoms", [shape]) if p.geom_type == "Polygon"):
            assert polygon.exterior.is_ccw and all(not ring.is_ccw for ring in polygon.interiors)


def test_export_footprint_and_reach_share_one_geojson_writer(capsys, tmp_path, scenario):
    exported = tmp_path / "x.geojson"
    assert run(capsys, "export", scenario, "-q", "-f", "geojson", "-o", exported)[0] == 0
    footprint = tmp_path / "f.geojson"
    args = ["--lon", "30.123456789", "--lat", "50", "--range-km", "100", "-o", footprint]
    assert run(capsys, "footprint", *args)[0] == 0
    zones = tmp_path / "z.geojson"
    assert run(capsys, "reach", "--target", "31,50.5", "--weapon", "atacms", str(scenario), "-o", zones)[0] == 0
    collection = json.loads(exported.read_text())
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    _assert_rfc7946(collection["features"])
    feature = json.loads(footprint.read_text())
    _assert_rfc7946([feature])
    assert feature["properties"]["max_error_m"] <= 1.0
    reach = json.loads(zones.read_text())
    assert reach["type"] == "FeatureCollection"
    assert [f["properties"]["kind"] for f in reach["features"]] == ["target", "reach_zone", "nearest_launch_point"]
    _assert_rfc7946(reach["features"])


def test_geojson_feature_orients_rounds_and_keeps_nulls():
    clockwise = shapely.Polygon([(0, 0), (0, 1.123456789), (1, 1), (1, 0)])
    feature = geojson_feature(clockwise, {"a": np.float64("nan"), "b": np.int64(2)})
    assert feature["properties"] == {"a": None, "b": 2}
    ring = shapely.geometry.shape(feature["geometry"]).exterior
    assert ring.is_ccw and 1.1234568 in [y for _, y in ring.coords]
    assert geojson_feature(None, {})["geometry"] is None
