"""The rangemap command: every subcommand, and every user-error path exits 2 with one line on stderr."""

import json
import subprocess
import sys

import pytest

from rangemap.cli.main import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_user_error(code, err, *fragments):
    assert code == 2
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith(("rangemap: error:", "Error:"))]
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], err


def test_help_everywhere(capsys):
    for cmd in ([], ["render"], ["report"], ["export"], ["weapons"], ["regions"], ["footprint"]):
        code, out, _ = run(capsys, *cmd, "--help")
        assert code == 0 and "Usage:" in out


def test_render_offline_prints_the_path(capsys, tmp_path):
    target = tmp_path / "m.html"
    code, out, err = run(capsys, "render", "--offline", "-o", str(target))
    assert code == 0 and out.strip() == str(target.resolve())
    assert target.stat().st_size > 100_000
    assert "footprint:" in err  # progress on stderr


def test_report_json_schema(capsys):
    code, out, _ = run(capsys, "report", "-q", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"scenario", "footprints", "launches", "regions", "places", "gains", "gain_regions",
                           "gain_places"}
    assert {"id", "weapon", "range_km", "launch_id", "area_km2", "max_error_m"} <= set(report["footprints"][0])
    assert {"region", "iso_3166_2", "footprint", "area_km2", "in_range_km2", "share"} <= set(report["regions"][0])
    assert {"name", "country", "population", "footprints", "distance_km", "lon", "lat"} <= set(report["places"][0])
    assert all(f["max_error_m"] <= 1.0 for f in report["footprints"])


@pytest.mark.parametrize("fmt,marker", [("table", "Regions of interest"), ("markdown", "| region |"),
                                        ("csv", "table,id,weapon")])
def test_report_text_formats(capsys, fmt, marker):
    code, out, _ = run(capsys, "report", "-q", "--format", fmt)
    assert code == 0 and marker in out and "Kursk" in out


def test_export_and_lists(capsys, tmp_path):
    code, out, _ = run(capsys, "export", "-q", "--format", "gpkg", "-o", str(tmp_path / "x.gpkg"))
    assert code == 0 and (tmp_path / "x.gpkg").exists()
    code, out, _ = run(capsys, "weapons")
    assert code == 0 and "atacms-165" in out and "source:" in out
    code, out, _ = run(capsys, "regions", "--country", "Ukraine")
    assert code == 0 and "UA-43" in out and "RU-KRS" not in out


def test_footprint_one_off(capsys, tmp_path):
    target = tmp_path / "fp.geojson"
    code, out, err = run(capsys, "footprint", "--lon", "36.2", "--lat", "50.0", "--range-km", "300", "-o", str(target))
    assert code == 0 and "measured max error" in err
    feature = json.loads(target.read_text())
    assert feature["geometry"]["type"] == "Polygon" and feature["properties"]["max_error_m"] <= 1.0


def test_user_errors_exit_2_with_one_line(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nweapons = ["atakms"]\n[[launch]]\nsites = [{ point = [30, 50] }]\n')
    assert_user_error(*run(capsys, "report", str(bad))[::2], str(bad), "weapons[0]", "atakms")
    assert_user_error(*run(capsys, "render", str(tmp_path / "missing.toml"))[::2], "scenario file not found")
    assert_user_error(*run(capsys, "export", "--format", "shp", "-o", "x.shp")[::2], "--format")
    assert_user_error(*run(capsys, "report", "--format", "yaml")[::2], "--format")
    assert_user_error(*run(capsys, "footprint", "--lon", "500", "--lat", "50", "--range-km", "300")[::2],
                      "looks projected")
    assert_user_error(*run(capsys, "footprint", "--lon", "30", "--lat", "50", "--range-km", "0")[::2], "--range-km")
    assert_user_error(*run(capsys, "footprint", "--lon", "x", "--lat", "50", "--range-km", "1")[::2], "--lon")
    assert_user_error(*run(capsys, "regions", "--country", "Atlantis")[::2], "unknown country 'Atlantis'")
    assert_user_error(*run(capsys, "weapons", "--catalog", str(tmp_path / "none.toml"))[::2], "file not found")
    assert_user_error(*run(capsys, "render", "-q", "-o", str(bad / "sub" / "m.html"))[::2])
    assert_user_error(*run(capsys, "nosuchcommand")[::2], "nosuchcommand")


def test_console_script_has_no_traceback_on_user_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "rangemap.cli", "report", str(tmp_path / "nope.toml")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "scenario file not found" in proc.stderr


@pytest.mark.slow
def test_render_static_formats(capsys, tmp_path):
    svg = tmp_path / "m.svg"
    code, out, _ = run(capsys, "render", "-q", "--format", "svg", "-o", str(svg))
    assert code == 0 and out.strip() == str(svg.resolve())
    text = svg.read_text(encoding="utf-8")
    for label in ("Kursk", "Belgorod", "Sevastopol", "300 km", "165 km"):
        assert label in text, label
    png = tmp_path / "m.png"
    code, _, _ = run(capsys, "render", "-q", "-f", "png", "--width", "800", "-o", str(png))
    assert code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = run(capsys, "render", "-q", "-f", "pdf", "-o", "-")
    assert code == 2 and "binary" in err


@pytest.mark.parametrize("args", [["--nope"], ["render", "--format", "bogus"], ["footprint", "--lon", "1"],
                                  ["nosuchcmd"], ["report", "--bad"]])
def test_usage_errors_are_one_line_with_status_2(capsys, args):
    # click's own usage errors used to print "Usage:" and "Try ..." lines above the error.
    code, out, err = run(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("rangemap: error: "), err
    assert "--help" in lines[0] and "Usage:" not in err and not out
