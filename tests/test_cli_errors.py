"""Every documented bad input, run as a real subprocess: exit 2, one stderr line naming file/field/value, no traceback.

Also: outputs are written atomically, never over an input, never outside ``out/``; Ctrl-C exits 130 with one line.
"""

import json
import os
import signal
import subprocess
import sys

import geopandas
import pytest
import shapely

from rangemap.io.atomic import atomic_output, write_text_atomic

MINIMAL = 'name = "t"\nmin_population = 1000000\nweapons = ["atacms"]\n[[launch]]\nid = "a"\nsites = [{ point = [30.0, 50.0] }]\n'


def rangemap(*args, cwd=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "rangemap.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, input=stdin)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith(("rangemap: error:", "Error:"))]
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture()
def files(tmp_path):
    """Bad launch files and catalogs, written once per test folder."""
    ring = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[30, 50], [31, 50], [31, 51]]]}}]}
    (tmp_path / "unclosed.geojson").write_text(json.dumps(ring))
    crs = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::99999"}},
           "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [3e5, 5e6]}}]}
    (tmp_path / "crs.geojson").write_text(json.dumps(crs))
    (tmp_path / "table.csv").write_text("x,y\n30,50\n")
    frame = geopandas.GeoDataFrame(geometry=[shapely.Point(30, 50)], crs="EPSG:4326")
    frame.to_file(tmp_path / "two.gpkg", layer="first")
    frame.to_file(tmp_path / "two.gpkg", layer="second")
    (tmp_path / "latin1.toml").write_bytes('[weapons.x]\nname = "Caf\xe9"\nrange_km = 5\nsource = "s"\n'.encode("latin-1"))
    (tmp_path / "binary.toml").write_bytes(bytes(range(256)))
    (tmp_path / "aliases.toml").write_text('[weapons.x]\nname = "X"\nrange_km = 5\nsource = "s"\naliases = [1, 2]\n')
    vrt = ('<OGRVRTDataSource><OGRVRTLayer name="a"><SrcDataSource>/vsicurl/http://127.0.0.1:9/a.geojson'
           '</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>')
    (tmp_path / "remote.vrt").write_text(vrt)
    (tmp_path / "remote.geojson").write_text(vrt)
    (tmp_path / "extra.toml").write_text('version = 2\n[weapons.y]\nname = "Y"\nrange_km = 5\nsource = "s"\n')
    (tmp_path / "front.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [30, 50]}}]}))
    return tmp_path


SITE = "point = [30.0, 50.0]"
BAD_SCENARIOS = [
    # (id, scenario text, fragments of the one error line)
    ("empty-launch", 'name = "t"\nweapons = ["atacms"]\nlaunch = []\n', ["field 'launch' is empty"]),
    ("list-label", MINIMAL.replace(SITE, f'{SITE}, label = ["a", "b"]'), ["sites[0].label", "['a', 'b']"]),
    ("int-label", MINIMAL.replace(SITE, f"{SITE}, label = 5"), ["sites[0].label", "got 5"]),
    ("group-int-label", MINIMAL.replace('id = "a"', 'id = "a"\nlabel = 5'), ["launch[0].label", "got 5"]),
    ("csv-file", MINIMAL.replace(SITE, 'file = "table.csv"'), ["sites[0].file", "table.csv", "must be GeoJSON"]),
    ("vrt-file", MINIMAL.replace(SITE, 'file = "remote.vrt"'), ["sites[0].file", "remote.vrt", "'.vrt'"]),
    ("vrt-as-geojson", MINIMAL.replace(SITE, 'file = "remote.geojson"'), ["remote.geojson", "not geojson"]),
    ("control-char", MINIMAL.replace(SITE, f'{SITE}, label = "T\\u001b]0;pwned\\u0007X"'),
     ["launch[0].sites[0].label", "control character '\\x1b'"]),
    ("nul-in-title", 'title = "a\\u0000b"\n' + MINIMAL, ["title", "control character '\\x00'"]),
    ("escape-in-key", '"\\u001b]0;x" = 1\n' + MINIMAL, ["control character"]),
    ("slash-in-launch-id", MINIMAL.replace('id = "a"', 'id = "a/b"'), ["launch[0].id", "'a/b'"]),
    ("slash-in-weapon-id", MINIMAL.replace('["atacms"]', '[{ id = "A/B", name = "X", range_km = 5 }]'),
     ["weapon id may not contain '/'", "'A/B'"]),
    ("empty-weapon-id", MINIMAL.replace('["atacms"]', '[{ id = "", name = "X", range_km = 5 }]'),
     ["weapons[0].id", "must not be empty"]),
    ("huge-tolerance", "tolerance_m = 1e300\n" + MINIMAL, ["tolerance_m", "1e+300"]),
    ("catalog-top-key", 'catalog = "extra.toml"\n' + MINIMAL, ["extra.toml", "unknown top-level field(s) 'version'"]),
    ("unclosed-ring", MINIMAL.replace(SITE, 'file = "unclosed.geojson"'), ["sites[0].file", "unclosed.geojson"]),
    ("unknown-crs", MINIMAL.replace(SITE, 'file = "crs.geojson"'), ["crs.geojson", "EPSG::99999"]),
    ("two-layers", MINIMAL.replace(SITE, 'file = "two.gpkg"'), ["two.gpkg", "2 layers", "first, second"]),
    ("no-such-layer", MINIMAL.replace(SITE, 'file = "two.gpkg", layer = "third"'), ["no layer 'third'"]),
    ("layer-on-point", MINIMAL.replace(SITE, f'{SITE}, layer = "x"'), ["sites[0].layer", "'x'"]),
    ("region-typo-key", 'regions = [{ name = "Kursk", contry = "Russia" }]\n' + MINIMAL,
     ["regions[0]", "unknown field(s) contry"]),
    ("duplicate-region", 'regions = ["Kursk", "RU-KRS"]\n' + MINIMAL, ["regions[1]", "'RU-KRS'", "regions[0]"]),
    ("bool-tolerance", "tolerance_m = true\n" + MINIMAL, ["tolerance_m", "True"]),
    ("float-population", MINIMAL.replace("min_population = 1000000", "min_population = 1.5"), ["min_population", "1.5"]),
    ("bool-point", MINIMAL.replace(SITE, "point = [true, 1]"), ["sites[0].point", "[True, 1]"]),
    ("nan-point", MINIMAL.replace(SITE, "point = [nan, 1]"), ["sites[0].point", "nan"]),
    ("latin1-catalog", 'catalog = "latin1.toml"\n' + MINIMAL, ["latin1.toml", "not UTF-8"]),
    ("binary-catalog", 'catalog = "binary.toml"\n' + MINIMAL, ["binary.toml", "not UTF-8"]),
    ("int-aliases", 'catalog = "aliases.toml"\n' + MINIMAL, ["aliases.toml", "weapons.x.aliases[0]", "got 1"]),
    ("unknown-top-key", MINIMAL + 'colour = "red"\n', ["unknown field(s) colour"]),
    ("unknown-group-key", MINIMAL.replace('id = "a"', 'id = "a"\nweapon = "x"'), ["launch[0]", "weapon"]),
    ("folder-as-file", MINIMAL.replace(SITE, 'file = "."'), ["sites[0].file", "not a file"]),
]


# Each case through render (the command the reports came from); a few through every command. A new
# Python process per case: the first eight and the other commands' cases run in the quick loop, all in CI.
CASES = [(case, "render") for case in BAD_SCENARIOS] + [(case, command) for case in BAD_SCENARIOS[:2]
                                                         for command in ("report", "export")]
QUICK_CASES = 8


@pytest.mark.parametrize("case,command", [
    pytest.param(case, command, id=f"{command}-{case[0]}",
                 marks=() if i < QUICK_CASES or command != "render" else pytest.mark.slow)
    for i, (case, command) in enumerate(CASES)])
def test_bad_scenario_exits_2_with_one_line(files, case, command):
    case_id, text, fragments = case
    scenario = files / "bad.toml"
    scenario.write_text(text, encoding="utf-8")
    extra = {"render": ["-o", files / "m.html"], "report": [], "export": ["-f", "geojson", "-o", files / "x.geojson"]}
    proc = rangemap(command, scenario, *extra[command])
    # The line names the file at fault: the scenario, or the catalog it points to.
    at_fault = [] if "catalog" in text.split("\n")[0] else [str(scenario)]
    assert_one_line_error(proc, *at_fault, *fragments)
    assert not (files / "m.html").exists() and not (files / "x.geojson").exists()


@pytest.mark.slow
def test_binary_and_non_utf8_files_given_directly(files):
    assert_one_line_error(rangemap("weapons", "--catalog", files / "binary.toml"), "binary.toml", "not UTF-8")
    assert_one_line_error(rangemap("report", files / "binary.toml"), "binary.toml", "not UTF-8")
    assert_one_line_error(rangemap("report", files), str(files), "is a folder")


@pytest.mark.slow
def test_output_never_overwrites_an_input(files):
    scenario = files / "s.toml"
    text = 'catalog = "aliases-ok.toml"\n' + MINIMAL.replace(SITE, 'file = "front.geojson"')
    (files / "aliases-ok.toml").write_text('[weapons.x]\nname = "X"\nrange_km = 5\nsource = "s"\n')
    scenario.write_text(text)
    before = {p: p.read_bytes() for p in (scenario, files / "aliases-ok.toml", files / "front.geojson")}
    for target in before:
        assert_one_line_error(rangemap("render", scenario, "-o", target), "input", str(target.name))
        assert_one_line_error(rangemap("report", scenario, "-o", target), "input")
        assert_one_line_error(rangemap("export", scenario, "-f", "geojson", "-o", target), "input")
    assert all(p.read_bytes() == data for p, data in before.items())


@pytest.mark.slow
def test_unwritable_output_folder_exits_2(files):
    scenario = files / "s.toml"
    scenario.write_text(MINIMAL)
    blocker = files / "not-a-folder"
    blocker.write_text("x")
    for args in (["render", scenario, "-o", blocker / "m.html"], ["export", scenario, "-f", "gpkg", "-o",
                                                                    blocker / "x.gpkg"],
                 ["report", scenario, "-o", blocker / "r.txt"], ["footprint", "--lon", 30, "--lat", 50,
                                                                 "--range-km", 10, "-o", blocker / "f.geojson"]):
        assert_one_line_error(rangemap(*args), "not-a-folder")


def test_outputs_that_are_not_plain_files_are_refused(files):
    scenario = files / "s.toml"
    scenario.write_text(MINIMAL)
    os.mkfifo(files / "fifo")
    (files / "link").symlink_to(files / "target.txt")
    assert_one_line_error(rangemap("report", scenario, "-o", files / "fifo"), "not a regular file")
    assert_one_line_error(rangemap("report", scenario, "-o", "/dev/null"), "not a regular file")
    assert_one_line_error(rangemap("report", scenario, "-o", files / "link"), "symbolic link")
    assert (files / "fifo").is_fifo() and not (files / "target.txt").exists()


@pytest.mark.slow
def test_export_file_name_must_match_the_format(files):
    scenario = files / "s.toml"
    scenario.write_text(MINIMAL)
    for fmt, name in (("kml", "x.gpkg"), ("gpkg", "y.kml"), ("gpkg", "x.geojson"), ("geojson", "noext")):
        assert_one_line_error(rangemap("export", scenario, "-f", fmt, "-o", files / name), name, "extension")
    assert sorted(p.name for p in files.iterdir() if p.name.startswith(".")) == []


@pytest.mark.slow
def test_stdout_for_text_formats_only(files):
    scenario = files / "s.toml"
    scenario.write_text(MINIMAL)
    proc = rangemap("export", scenario, "-q", "-f", "geojson", "-o", "-", cwd=files)
    assert proc.returncode == 0 and json.loads(proc.stdout)["type"] == "FeatureCollection"
    proc = rangemap("export", scenario, "-q", "-f", "kml", "-o", "-", cwd=files)
    assert proc.returncode == 0 and proc.stdout.lstrip().startswith("<?xml")
    proc = rangemap("report", scenario, "-q", "-f", "json", "-o", "-", cwd=files)
    assert proc.returncode == 0 and json.loads(proc.stdout)["scenario"]["name"] == "t"
    proc = rangemap("render", scenario, "-q", "--offline", "-o", "-", cwd=files)
    assert proc.returncode == 0 and proc.stdout.startswith("<!DOCTYPE html>")
    assert_one_line_error(rangemap("export", scenario, "-q", "-f", "gpkg", "-o", "-", cwd=files), "GeoPackage")
    assert not (files / "-").exists()


@pytest.mark.parametrize("name,expected", [("../../evil", "evil.html"), pytest.param("", "map.html", marks=pytest.mark.slow),
                                           pytest.param(".hidden", "hidden.html", marks=pytest.mark.slow),
                                           pytest.param("a/b\\\\c", "a-b-c.html", marks=pytest.mark.slow),
                                           pytest.param("..", "map.html", marks=pytest.mark.slow)])
def test_output_names_from_the_scenario_stay_in_out(tmp_path, name, expected):
    work = tmp_path / "deep" / "work"
    work.mkdir(parents=True)
    (work / "s.toml").write_text(MINIMAL.replace('name = "t"', f"name = {json.dumps(name)}"))
    proc = rangemap("render", "s.toml", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert (work / "out" / expected).exists()
    assert sorted(p.name for p in (work / "out").iterdir()) == [expected]
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == [expected]
    if name != expected.removesuffix(".html"):
        assert "not a safe file name" in proc.stderr


def test_ctrl_c_exits_130_and_keeps_the_old_output(tmp_path):
    # Enough work that the interrupt lands mid-run: many footprints around a country.
    weapons = ", ".join(f'{{ name = "W{i}", range_km = {100 + 37 * i} }}' for i in range(40))
    (tmp_path / "slow.toml").write_text(f'name = "slow"\nweapons = [{weapons}]\n[[launch]]\nid = "a"\n'
                                        'sites = [{ country = "Ukraine" }]\n')
    target = tmp_path / "map.html"
    target.write_text("OLD MAP")
    # A shell's background job ignores SIGINT and children inherit that: restore the default, so the child's
    # Python turns SIGINT into KeyboardInterrupt whatever ran this test.
    proc = subprocess.Popen([sys.executable, "-m", "rangemap.cli", "render", "slow.toml", "-o", "map.html"],
                            cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in proc.stderr:  # wait for an explicit signal that the work has started
        if "footprint:" in line:
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("rangemap:")] == [
        "rangemap: interrupted; no output was changed"]
    assert target.read_text() == "OLD MAP"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "slow.toml"]


def test_atomic_write_keeps_the_previous_file_on_failure(tmp_path):
    target = tmp_path / "report.txt"
    write_text_atomic(target, "good")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_text("half writ")
            raise RuntimeError("disk full")
    assert target.read_text() == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as tmp:
            tmp.write_text("half")
            raise KeyboardInterrupt
    assert target.read_text() == "good" and sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]
    write_text_atomic(target, "better")
    assert target.read_text() == "better" and oct(target.stat().st_mode & 0o777) != "0o600"
