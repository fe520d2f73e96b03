"""Timelines on synthetic weekly data: scheduling, cache, dated files, outputs, CLI and the time-slider map.

The synthetic "occupied" ellipse grows week by week across the border between
a launch country and its neighbour (tests/synthetic.py); the launch area is the
country minus it, kept 20 km from it and from the neighbour.
"""

import datetime as dt
import json
import os
import re
import shutil
import warnings

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from independent import max_boundary_error_m
from rangemap.cli.main import main
from rangemap.errors import ScenarioError
from rangemap.model.territory import launch_area
from rangemap.model.timeline import (COLUMNS, MissingDateError, load_timeline, parse_timeline_table, run_timeline,
                               timeline_from_data)
from rangemap.outputs.timeline_files import FILES, write_timeline
from synthetic import country, neighbour, occupied, weekly_dates, write_geometry, write_weekly_files

WEEKS = 4
SITE = ('{ file = "country.geojson", minus = [{ file = "%(occ)s" }], standoff_km = 20, '
        'standoff_from = [{ file = "%(occ)s" }, { file = "neighbour.geojson" }] }')


def scenario_text(timeline: str, occ: str = "occupied-{date}.geojson", title: str = "Synthetic front, weekly",
                  extra_site_keys: str = "") -> str:
    site = SITE % {"occ": occ}
    if extra_site_keys:
        site = site.replace('minus = [{ file = "%s" }]' % occ, 'minus = [{ file = "%s"%s }]' % (occ, extra_site_keys))
        site = site.replace('standoff_from = [{ file = "%s" }' % occ, 'standoff_from = [{ file = "%s"%s }' % (occ, extra_site_keys))
    return f'''
name = "synthetic"
title = {json.dumps(title)}
sources = ["synthetic test data made by tests/synthetic.py"]
weapons = [{{ name = "Long", range_km = 120 }}, {{ name = "Short", range_km = 60 }}]
regions = ["Kharkiv", "Donetsk"]

[timeline]
{timeline}

[[launch]]
id = "west"
sites = [{site}]
'''


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("timeline-data")
    write_weekly_files(folder, WEEKS)
    write_weekly_files(folder, WEEKS, combined=True)
    write_geometry(folder / "country.geojson", country())
    write_geometry(folder / "neighbour.geojson", neighbour())
    (folder / "weekly.toml").write_text(scenario_text('start = 2024-08-05\nend = 2024-08-26\nevery = "7d"'))
    return folder


@pytest.fixture(scope="module")
def serial(data_dir, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache-serial")
    return run_timeline(load_timeline(data_dir / "weekly.toml"), cache_dir=cache, workers=0, progress=False), cache


# ---- the [timeline] table ----

def test_dates_from_start_end_every_and_from_a_list():
    spec = parse_timeline_table({"start": dt.date(2024, 8, 5), "end": "2024-08-26", "every": "1w"}, "t.toml")
    assert spec.dates == tuple(weekly_dates(4)) and spec.missing == "error"
    spec = parse_timeline_table({"dates": ["2024-08-12", dt.date(2024, 8, 5)], "missing": "skip"}, "t.toml")
    assert spec.dates == (dt.date(2024, 8, 5), dt.date(2024, 8, 12)) and spec.missing == "skip"


@pytest.mark.parametrize("table, message", [
    ({"dates": []}, "t.toml: timeline.dates: expected a non-empty list of ISO dates, got []"),
    ({"dates": ["2024-13-01"]}, "t.toml: timeline.dates[0]: expected an ISO date such as 2024-08-05, got '2024-13-01'"),
    ({"dates": ["2024-08-05", "2024-08-05"]}, "t.toml: timeline.dates: lists 2024-08-05 more than once"),
    ({"dates": [dt.datetime(2024, 8, 5, 12)]}, "timeline.dates[0]: expected a date (YYYY-MM-DD) without a time"),
    ({"start": "2024-08-05", "end": "2024-08-01", "every": "7d"}, "timeline.end: 2024-08-01 is before start 2024-08-05"),
    ({"start": "2024-08-05", "end": "2024-09-01", "every": "7 days"}, "timeline.every: expected a step such as"),
    ({"start": "2024-08-05", "end": "2024-09-01", "every": "0d"}, "timeline.every: expected a step such as"),
    ({"start": "2024-08-05", "every": "7d"}, "t.toml: timeline: needs 'dates', or 'start', 'end' and 'every' (missing: end)"),
    ({"start": "2024-08-05", "end": "2024-09-01", "every": "7d", "dates": ["2024-08-05"]}, "give either 'dates' or"),
    ({"dates": ["2024-08-05"], "missing": "ignore"}, "t.toml: timeline.missing: expected \"error\" or \"skip\", got 'ignore'"),
    ({"dates": ["2024-08-05"], "bogus": 1}, "t.toml: timeline: unknown field(s) bogus"),
    ({"start": "1900-01-01", "end": "2100-01-01", "every": "1d"}, "at most 10000"),
    ("2024-08-05", "t.toml: timeline: expected a [timeline] table, got '2024-08-05'"),
])
def test_bad_timeline_tables_name_file_field_and_value(table, message):
    with pytest.raises(ScenarioError) as err:
        parse_timeline_table(table, "t.toml")
    assert message in str(err.value), str(err.value)


# ---- computing ----

def test_serial_timeline_matches_the_launch_area_it_claims(serial, data_dir):
    result, _ = serial
    assert list(result.coverage.columns) == COLUMNS
    assert sorted(result.coverage["date"].unique()) == [d.isoformat() for d in weekly_dates(WEEKS)]
    assert len(result.coverage) == WEEKS * 2 * 2
    # The launch area shrinks as the occupied area grows; the independent launch area agrees on every date.
    areas = result.geometries[result.geometries["kind"] == "launch_area"]
    for week, row in enumerate(areas.sort_values("date").itertuples()):
        expected = launch_area(country(), minus=[occupied(week)], standoff_m=20_000,
                               standoff_from=[occupied(week), neighbour()])
        assert shapely.symmetric_difference(row.geometry, expected).area < 1e-9
    assert areas.sort_values("date")["area_km2"].is_monotonic_decreasing
    long = result.coverage[(result.coverage["weapon"] == "long") & (result.coverage["region"] == "Kharkiv")]
    assert ((long["share"] > 0) & (long["share"] < 1)).all()
    assert np.allclose(long["in_range_km2"], long["share"] * long["area_km2"])


def test_footprints_are_exact_against_brute_force(serial):
    result, _ = serial
    fps = result.geometries[result.geometries["kind"] == "footprint"]
    areas = result.geometries[result.geometries["kind"] == "launch_area"].set_index("date")
    row = fps[fps["weapon"] == "short"].iloc[-1]
    error_m = max_boundary_error_m(row.geometry, areas.loc[row.date, "geometry"], row.range_km * 1000, max_samples=300)
    assert error_m <= 1.0


@pytest.mark.slow
def test_serial_and_two_worker_cluster_give_identical_tables(serial, data_dir, tmp_path, monkeypatch):
    from distributed import Client, LocalCluster

    result, _ = serial
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        parallel = run_timeline(load_timeline(data_dir / "weekly.toml"), cache_dir=tmp_path / "cache", client=client,
                                progress=False)
        # The same job on the existing scheduler, found through $RANGEMAP_DASK_SCHEDULER (no cache: all recomputed).
        monkeypatch.setenv("RANGEMAP_DASK_SCHEDULER", cluster.scheduler_address)
        remote = run_timeline(load_timeline(data_dir / "weekly.toml"), progress=False)
        prefixes = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        assert {"footprint", "resolve"} <= set(prefixes)
        assert len(client.scheduler_info()["workers"]) == 2  # run_timeline closed only its own client
    pd.testing.assert_frame_equal(result.coverage, parallel.coverage, check_exact=True)
    pd.testing.assert_frame_equal(result.coverage, remote.coverage, check_exact=True)
    assert parallel.footprints_computed == result.footprints_computed == remote.footprints_computed == WEEKS * 3
    for a, b in zip(result.geometries.geometry, parallel.geometries.geometry, strict=True):
        assert shapely.equals_exact(a, b, tolerance=0.0)


def test_a_rerun_recomputes_nothing_and_a_new_date_only_its_own(serial, data_dir, tmp_path):
    first, cache = serial
    cache_copy = tmp_path / "cache"
    shutil.copytree(cache, cache_copy)
    again = run_timeline(load_timeline(data_dir / "weekly.toml"), cache_dir=cache_copy, workers=0, progress=False)
    assert (again.footprints_computed, again.footprints_reused) == (0, WEEKS * 3)
    pd.testing.assert_frame_equal(first.coverage, again.coverage, check_exact=True)
    write_weekly_files(tmp_path, WEEKS + 1)
    for name in ("country.geojson", "neighbour.geojson"):
        shutil.copy(data_dir / name, tmp_path / name)
    (tmp_path / "more.toml").write_text(scenario_text('start = 2024-08-05\nend = 2024-09-02\nevery = "7d"'))
    more = run_timeline(load_timeline(tmp_path / "more.toml"), cache_dir=cache_copy, workers=0, progress=False)
    # One new date: its standoff margin and its two weapons' footprints.
    assert (more.footprints_computed, more.footprints_reused) == (3, WEEKS * 3)
    pd.testing.assert_frame_equal(first.coverage, more.coverage[more.coverage["date"] < "2024-09-02"]
                                  .reset_index(drop=True), check_exact=True)


def test_a_date_field_file_gives_the_same_timeline(serial, data_dir, tmp_path):
    text = scenario_text('dates = [2024-08-05, 2024-08-26]', occ="occupied-all.geojson",
                         extra_site_keys=', date_field = "date"')
    (data_dir / "combined.toml").write_text(text)
    combined = run_timeline(load_timeline(data_dir / "combined.toml"), cache_dir=tmp_path, workers=0, progress=False)
    expected = serial[0].coverage[serial[0].coverage["date"].isin(["2024-08-05", "2024-08-26"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(combined.coverage, expected, check_exact=False, rtol=1e-9)


def test_a_missing_date_is_an_error_naming_it_or_skipped_with_a_warning(data_dir, tmp_path):
    text = scenario_text('dates = [2024-08-05, 2024-08-08]')
    with pytest.raises(MissingDateError) as err:
        run_timeline(timeline_from_data(__import__("tomllib").loads(text), "gap.toml", data_dir), workers=0,
                     progress=False)
    message = str(err.value)
    assert message.startswith("gap.toml: launch[0].sites[0]") and "'occupied-2024-08-08.geojson'" in message
    assert "(from 'occupied-{date}.geojson') not found for date 2024-08-08" in message
    skip = timeline_from_data(__import__("tomllib").loads(text.replace("[timeline]", "[timeline]\nmissing = \"skip\"")),
                              "gap.toml", data_dir)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_timeline(skip, cache_dir=tmp_path, workers=0, progress=False)
    assert sorted(result.coverage["date"].unique()) == ["2024-08-05"]
    assert [d for d, _ in result.skipped] == ["2024-08-08"]
    assert any("skipping 2024-08-08" in str(w.message) for w in caught)


@pytest.mark.parametrize("keys, message", [
    (', date_field = "when"', "date_field 'when' is not a column of"),
    (', date_field = 3', "date_field: expected a column name, got 3"),
])
def test_bad_date_field_names_the_field(data_dir, keys, message):
    text = scenario_text('dates = [2024-08-05]', occ="occupied-all.geojson", extra_site_keys=keys)
    with pytest.raises(ScenarioError) as err:
        run_timeline(timeline_from_data(__import__("tomllib").loads(text), "df.toml", data_dir), workers=0,
                     progress=False)
    assert str(err.value).startswith("df.toml: launch[0].sites[0]") and message in str(err.value), str(err.value)


# ---- outputs ----

def test_outputs_are_complete_and_consistent(serial, tmp_path):
    result, _ = serial
    paths = write_timeline(result, tmp_path)
    assert sorted(p.name for p in paths) == sorted(FILES)
    assert sorted(os.listdir(tmp_path)) == sorted(FILES)  # no temporary files left behind
    csv = pd.read_csv(tmp_path / "coverage.csv")
    assert list(csv.columns) == COLUMNS
    doc = json.loads((tmp_path / "coverage.json").read_text())
    assert doc["columns"] == COLUMNS and len(doc["rows"]) == len(csv)
    assert all(0 <= row["share"] <= 1 for row in doc["rows"])
    assert doc["rows"][0]["share"] == pytest.approx(csv["share"][0], rel=1e-12)
    layers = pyogrio.list_layers(tmp_path / "footprints.gpkg")
    assert [name for name, _ in layers] == ["footprints"]
    gpkg = pyogrio.read_dataframe(tmp_path / "footprints.gpkg")
    assert "date" in gpkg.columns and set(gpkg["date"]) == set(result.coverage["date"])
    assert (tmp_path / "coverage.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "coverage.svg").read_text()
    assert "synthetic test data" in svg and "Natural Earth" in svg  # credits on the chart


# ---- CLI ----

@pytest.mark.slow
def test_cli_timeline_writes_the_files_and_reports_bad_input_in_one_line(data_dir, tmp_path, capsys):
    assert main(["timeline", str(data_dir / "weekly.toml"), "-o", str(tmp_path / "out"), "--workers", "0", "-q"]) == 0
    out = capsys.readouterr()
    assert [line.rsplit("/", 1)[1] for line in out.out.splitlines()] == list(FILES) and out.err == ""
    bad = tmp_path / "bad.toml"
    bad.write_text(scenario_text('start = 2024-08-05\nend = 2024-08-26\nevery = "weekly"'))
    assert main(["timeline", str(bad), "-o", str(tmp_path / "o2"), "--workers", "0", "-q"]) == 2
    err = capsys.readouterr().err
    assert err == f"rangemap: error: {bad}: timeline.every: expected a step such as \"7d\" or \"1w\", got 'weekly'\n"


def test_cli_reach_prints_zone_and_writes_geojson(tmp_path, capsys):
    assert main(["reach", "--target", "36.19,51.73", "--weapon", "atacms", "--launch", "kursk", "-o",
                 str(tmp_path / "z.geojson")]) == 0
    out = capsys.readouterr().out
    assert "in range from part of its lines or points; nearest launch point" in out
    doc = json.loads((tmp_path / "z.geojson").read_text())
    assert [f["properties"]["kind"] for f in doc["features"]] == ["target", "reach_zone", "nearest_launch_point"]
    for args, message in [(["--target", "36.19,95", "--weapon", "atacms"], "--target: expected LON,LAT"),
                          (["--target", "Kursk", "--weapon", "no-such-missile"], "--weapon: "),
                          (["--target", "Kursk", "--weapon", "atacms", "--launch", "nope"], "--launch: ")]:
        assert main(["reach", *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"rangemap: error: {message}") and err.count("\n") == 1, err


# ---- the time-slider map ----

WEAPON_NAME = "$x^2$ <img src=y onerror=window.__xss=4> {{ 6*7 }}"


@pytest.fixture(scope="module")
def hostile_map(data_dir, tmp_path_factory):
    evil = "{{ 7*7 }}<script>window.__xss = 1</script>`${window.__xss = 2}`</script><img src=x onerror=window.__xss=3>"
    text = scenario_text('start = 2024-08-05\nend = 2024-08-26\nevery = "7d"', title=evil)
    # The weapon's id (given, so it is the hostile text itself) reaches the tables, the chart labels and the map.
    text = text.replace('{ name = "Long", range_km = 120 }', '{ id = %s, name = %s, range_km = 120, source = %s }'
                        % (json.dumps(WEAPON_NAME), json.dumps(WEAPON_NAME), json.dumps(evil)))
    text = text.replace('sources = ["synthetic', 'sources = [%s, "synthetic' % json.dumps(evil))
    (data_dir / "evil.toml").write_text(text)
    folder = tmp_path_factory.mktemp("map")
    result = run_timeline(load_timeline(data_dir / "evil.toml"), cache_dir=folder / "cache", workers=0, progress=False)
    write_timeline(result, folder)
    return folder / "timeline.html", evil


@pytest.mark.slow
def test_hostile_text_is_data_in_every_file(hostile_map):
    path, evil = hostile_map
    folder = path.parent
    assert pd.read_csv(folder / "coverage.csv")["weapon"].iloc[0] == WEAPON_NAME
    assert json.loads((folder / "coverage.json").read_text())["rows"][0]["weapon"] == WEAPON_NAME
    svg = (folder / "coverage.svg").read_text()
    assert re.search(r"<(script|img)\b", svg) is None and "&lt;img src=y onerror" in svg  # escaped, as text
    # Drawn as written, not as mathtext (which would set the x of "$x^2$" in an oblique font).
    assert "DejaVuSans-Oblique" not in svg and "DejaVuSans-" in svg
    page = path.read_text()
    assert "{{ 7*7 }}" not in page and "49" not in page.split("<title>")[1].split("</title>")[0]
    assert "window.__xss = 1</script>" not in page and "&#123;&#123; 7*7 &#125;&#125;" in page


@pytest.mark.slow
@pytest.mark.browser
def test_time_slider_map_is_offline_error_free_and_the_slider_moves_the_footprint(browser, hostile_map):
    path, evil = hostile_map
    # A page of the module's shared Chromium (tests/conftest.py).
    page = browser.new_page(viewport={"width": 1300, "height": 850})
    page.set_default_timeout(30_000)
    log = {"requests": [], "errors": [], "dialogs": []}
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("path.rangemap-footprint")
    name = page.evaluate("Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)")
    times = page.evaluate(f"window['{name}'].timeDimension.getAvailableTimes()")
    assert [dt.datetime.fromtimestamp(t / 1000, dt.timezone.utc).date() for t in times] == weekly_dates(WEEKS)
    assert page.evaluate(f"window['{name}'].timeDimension.getCurrentTime()") == times[0]
    assert page.locator(".timecontrol-date").inner_text().strip() == "2024-08-05"
    shapes = lambda: sorted(page.eval_on_selector_all("path.rangemap-footprint, path.rangemap-launch-area",
                                                      "els => els.map(e => e.getAttribute('d'))"))
    before = shapes()
    assert len(page.locator("path.rangemap-footprint").all()) == 2
    # Step the slider forward with its own button and wait for the layer's timeload signal.
    page.evaluate(f"() => {{ window.__loaded = null; window['{name}'].timeDimension.once('timeload', "
                  "e => { window.__loaded = e.time; }); }")
    page.locator(".timecontrol-forward").click()
    page.wait_for_function("window.__loaded !== null")
    assert page.evaluate("window.__loaded") == times[1]
    assert page.locator(".timecontrol-date").inner_text().strip() == "2024-08-12"
    after = shapes()
    assert len(after) == len(before) and after != before
    # A popup of the date now shown opens, and runs nothing.
    page.locator("path.rangemap-footprint").first.click(force=True)
    page.wait_for_selector(".leaflet-popup-content")
    assert "on 2024-08-12" in page.locator(".leaflet-popup-content").inner_text()
    assert page.evaluate("window.__xss") is None and log["dialogs"] == []
    assert page.locator("#rangemap-title h1").inner_text() == evil
    assert [u for u in log["requests"] if not u.startswith(("file:", "data:"))] == []
    assert log["errors"] == []
    page.close()
