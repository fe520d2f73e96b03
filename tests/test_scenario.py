"""Scenario files: the default scenario, launch-site kinds, and messages that name file, field and value."""

import json

import pytest
import shapely

from rangemap import ScenarioError
from rangemap.data import gazetteer
from rangemap.model.scenario import default_scenario_path, load_scenario


def write(tmp_path, body, name="s.toml"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


MINIMAL = 'name = "t"\nweapons = ["atacms"]\n[[launch]]\nid = "a"\nsites = [{ point = [30.0, 50.0] }]\n'


def test_default_scenario_uses_the_gazetteer():
    s = load_scenario()
    assert s.name == "atacms-2024" and s.date == "2024-11-19"
    assert [w.id for w in s.weapons] == ["atacms", "atacms-165"]
    assert [w.range_km for w in s.weapons] == [300, 165]
    assert [r.name for r in s.regions] == ["Kursk", "Crimea", "Belgorod", "Bryansk"]
    assert [a.name for a in s.places_in] == ["Russia", "Crimea"]
    kursk, crimea = s.launches
    border = gazetteer.border("Ukraine", "Russia", along=["Chernihiv", "Sumy", "Kharkiv"])
    assert kursk.sites[0].geometry.equals(border)
    sudzha = gazetteer.place("Sudzha", "Russia")
    assert kursk.sites[1].geometry.equals(shapely.Point(sudzha.lon, sudzha.lat))
    assert "August 2024" in kursk.sites[1].label
    for site, name in zip(crimea.sites, ("Zaporizhzhia", "Kherson", "Mykolaiv")):
        p = gazetteer.place(name, "Ukraine")
        assert site.geometry.equals(shapely.Point(p.lon, p.lat)) and site.label == name
    assert default_scenario_path().name == "atacms-2024.toml"
    assert s.sources and "stand for ground Ukraine held" in s.notes


def test_default_launch_geometry_stays_out_of_the_south_east():
    # Russia held the Luhansk and Donetsk stretches of the border (south of 49.9 N) in November 2024.
    kursk = load_scenario().launches[0]
    xy = shapely.get_coordinates(kursk.geometry)
    assert xy[:, 1].min() > 49.8, xy[:, 1].min()


def test_default_report_lists_places_where_they_matter(default_result):
    import independent

    places = default_result.to_report()["places"]
    crimea = gazetteer.region("Crimea").geometry
    russia = gazetteer.country("Russia").geometry
    for p in places:
        point = shapely.Point(p["lon"], p["lat"])
        assert russia.contains(point) or crimea.contains(point), p["name"]
        assert p["population"] >= 50_000
    names = {p["name"] for p in places}
    assert {"Kursk", "Belgorod", "Bryansk", "Sevastopol", "Simferopol"} <= names
    assert not names & {"Sumy", "Kharkiv", "Kyiv", "Chornobyl", "Kherson", "Zaporizhzhia", "Mykolaiv", "Sudzha"}
    # Rostov-on-Don is beyond 165 km of every launch site (brute force from the densified launch geometry).
    rostov = gazetteer.place("Rostov-on-Don")
    for g in default_result.scenario.launches:
        d = independent.distances_m([rostov.lon], [rostov.lat], g.geometry, 165_000, slack_m=50.0)[0]
        assert d > 165_000, (g.id, d)
    assert not any(f.geometry.contains(shapely.Point(rostov.lon, rostov.lat))
                   for f in default_result.footprints if f.range_km == 165)


def test_current_english_names_in_the_report(default_result, tmp_path):
    from rangemap.outputs.report import format_report

    text = format_report(default_result, "table")
    assert "Zaporizhzhia" in text and "Zaporizhzhya" not in text
    s = load_scenario(write(tmp_path, MINIMAL.replace("point = [30.0, 50.0]", 'place = "Odessa", country = "Ukraine"')))
    assert s.launches[0].sites[0].label == "Odesa"
    assert gazetteer.place("Kiev").name == "Kyiv"


def test_weapons_per_launch_group_and_along(tmp_path):
    from rangemap.model.results import run_scenario

    body = ('name = "per-group"\nweapons = ["atacms"]\n'
            '[[launch]]\nid = "south"\nweapons = ["storm-shadow"]\nsites = [{ place = "Mykolaiv", country = "Ukraine" }]\n'
            '[[launch]]\nid = "north"\nweapons = [{ name = "What-if 500", range_km = 500 }]\n'
            'sites = [{ place = "Kyiv" }]\n'
            '[[launch]]\nid = "east"\nsites = [{ border = ["Ukraine", "Russia"], along = ["Sumy"] }]\n')
    result = run_scenario(load_scenario(write(tmp_path, body)))
    assert [f.id for f in result.footprints] == ["south/storm-shadow", "north/what-if-500", "east/atacms"]
    east = result.scenario.launches[2].sites[0]
    assert east.label == "Ukraine–Russia border along Sumy"
    lat = shapely.get_coordinates(east.geometry)[:, 1]
    assert 50.0 < lat.min() and lat.max() < 52.5


def test_every_site_kind(tmp_path):
    front = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
             "geometry": {"type": "LineString", "coordinates": [[35.0, 47.5], [36.5, 47.8], [37.6, 48.2]]}}]}
    (tmp_path / "front.geojson").write_text(json.dumps(front))
    body = ('name = "kinds"\nweapons = ["gmlrs", { name = "What-if", range_km = 500 }]\nregions = ["Kursk", '
            '{ name = "Distrito Federal", country = "Brazil" }]\n[[launch]]\nid = "all"\nsites = [\n'
            ' { point = [30.5, 50.4] }, { place = "Odesa", country = "Ukraine" }, { region = "Sumy" },\n'
            ' { country = "Moldova" }, { border = ["Ukraine", "Belarus"] }, { file = "front.geojson", label = "Front" },\n]\n')
    s = load_scenario(write(tmp_path, body))
    kinds = [site.kind for site in s.launches[0].sites]
    assert kinds == ["point", "place", "region", "country", "border", "file"]
    assert s.launches[0].sites[-1].label == "Front"
    assert s.weapons[1].range_km == 500 and "what-if" in s.weapons[1].source
    assert s.regions[1].country == "Brazil"


@pytest.mark.parametrize("body,expected", [
    ('weapons = ["atacms"]\n[[launch]]\nsites = [{ point = [30.0, 50.0] }]\n', "missing required field 'name'"),
    (MINIMAL.replace('"atacms"', '"atakms"'), "weapons[0]: unknown weapon 'atakms'; did you mean: atacms"),
    ('regions = ["Kurks"]\n' + MINIMAL, "regions[0]: unknown region 'Kurks'; did you mean: Kursk"),
    (MINIMAL.replace("point = [30.0, 50.0]", 'point = [30.0, 50.0], along = ["Sumy"]'), "sites[0].along: only a border"),
    (MINIMAL.replace("point = [30.0, 50.0]", 'border = ["Ukraine", "Russia"], along = []'), "sites[0].along: expected"),
    (MINIMAL.replace('id = "a"', 'id = "a"\nweapons = []'), "launch[0].weapons' is empty"),
    ('places_in = ["Nowhereland"]\n' + MINIMAL, "places_in[0]: no country or region named 'Nowhereland'"),
    ("places_without_population = 1\n" + MINIMAL, "places_without_population': expected true or false, got 1"),
    (MINIMAL.replace("point = [30.0, 50.0]", "point = [300.0, 50.0]"), "launch[0].sites[0].point: expected [lon, lat]"),
    (MINIMAL.replace("point = [30.0, 50.0]", 'point = [30.0, 50.0], place = "Sumy"'), "give exactly one of"),
    (MINIMAL.replace("point = [30.0, 50.0]", 'place = "Odessa"'), "launch[0].sites[0].place: place 'Odessa' is ambiguous"),
    (MINIMAL.replace("point = [30.0, 50.0]", 'file = "missing.geojson"'), "launch[0].sites[0].file: file"),
    ("min_population = -5\n" + MINIMAL, "field 'min_population': must be >= 0, got -5"),
    ('min_population = "many"\n' + MINIMAL, "field 'min_population': expected an integer, got 'many'"),
    (MINIMAL + 'colour = "red"\n', "unknown field(s) colour"),
    (MINIMAL.replace('["atacms"]', '[{ name = "X", range_km = 0 }]'), "weapons[0].range_km: bad value 0"),
    (MINIMAL.replace('["atacms"]', '[]'), "field 'weapons' is empty"),
    ('name = "t"\nweapons = ["atacms"]\n', "missing required [[launch]] table"),
    ("name = \n", "not valid TOML"),
])
def test_errors_name_file_field_and_value(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert str(path) in str(exc.value)
    assert expected in str(exc.value)


def test_missing_file():
    with pytest.raises(ScenarioError, match="nope.toml: scenario file not found"):
        load_scenario("nope.toml")


def test_projected_launch_file_is_named(tmp_path):
    front = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
             "geometry": {"type": "Point", "coordinates": [3_500_000.0, 6_400_000.0]}}]}
    (tmp_path / "proj.geojson").write_text(json.dumps(front))
    with pytest.raises(ScenarioError, match="proj.geojson.*looks projected"):
        load_scenario(write(tmp_path, MINIMAL.replace("point = [30.0, 50.0]", 'file = "proj.geojson"')))


def test_geopackage_in_another_crs_is_reprojected(tmp_path):
    import geopandas

    frame = geopandas.GeoDataFrame(geometry=[shapely.Point(30.0, 50.0)], crs="EPSG:4326").to_crs("EPSG:3857")
    frame.to_file(tmp_path / "held.gpkg", layer="held")
    s = load_scenario(write(tmp_path, MINIMAL.replace("point = [30.0, 50.0]", 'file = "held.gpkg", layer = "held"')))
    pt = shapely.get_parts(s.launches[0].sites[0].geometry)[0]
    assert abs(pt.x - 30.0) < 1e-9 and abs(pt.y - 50.0) < 1e-9


# ---- parse, then resolve ----

SPEC_DATA = {
    "name": "t", "catalog": "no-such-catalog.toml", "weapons": ["atacms", {"name": "W", "range_km": 50}],
    "regions": ["Kursk", {"name": "Atlantis", "country": "Nowhere"}], "places_in": ["Russia"], "tolerance_m": 0.05,
    "launch": [{"id": "a", "weapons": ["no-such-weapon"], "sites": [
        {"region": "Kharkiv", "standoff_km": 20, "standoff_from": [{"country": "Russia"}],
         "minus": [{"file": "no-such-file.geojson"}]},
        {"place": "Sumy", "country": "Ukraine"}, {"border": ["Ukraine", "Russia"], "along": ["Sumy"]},
        {"file": "missing.gpkg", "layer": "held"}, {"point": [30.0, 50.0]}]}]}


class Computed(Exception):
    """Raised by every function that looks up, reads or computes, patched in for the test."""


def test_parse_scenario_computes_reads_and_looks_up_nothing(monkeypatch, tmp_path):
    import pyogrio

    from rangemap.data import catalog
    from rangemap.geodesy import footprints
    from rangemap.model import scenario, territory
    from rangemap.model.spec import parse_scenario

    def boom(*args, **kwargs):
        raise Computed(args)

    for module, name in [(gazetteer, "region"), (gazetteer, "place"), (gazetteer, "country"), (gazetteer, "border"),
                         (catalog, "weapon"), (catalog, "load_catalog"), (catalog, "shipped_catalog"),
                         (footprints, "footprint"), (territory, "launch_area"), (scenario, "launch_file_features"),
                         (pyogrio, "read_dataframe"), (pyogrio, "list_layers")]:
        monkeypatch.setattr(module, name, boom)
    # Missing files and unknown names parse: they are the resolve step's to find.
    spec = parse_scenario(SPEC_DATA, "s.toml", tmp_path)
    area, place, border, file, point = spec.launches[0].sites
    assert (area.kind, area.value, area.standoff_m) == ("region", "Kharkiv", 20_000.0)
    assert [s.kind for s in area.standoff_from] == ["country"] and area.minus[0].value == tmp_path / "no-such-file.geojson"
    assert (place.value, place.country, border.along, file.layer, point.value) == ("Sumy", "Ukraine", ("Sumy",), "held",
                                                                                  (30.0, 50.0))
    assert spec.catalog == tmp_path / "no-such-catalog.toml" and spec.tolerance_m == 0.05
    assert spec.weapons.entries[0] == "atacms" and spec.weapons.entries[1].range_km == 50
    assert spec.launches[0].weapons.entries == ("no-such-weapon",)
    # The same patches stop the resolve step, which does look things up.
    with pytest.raises(Computed):
        scenario.resolve_scenario(spec)


def test_scenario_spec_is_frozen_all_the_way_down(tmp_path):
    import dataclasses

    from rangemap.model.spec import parse_scenario

    spec = parse_scenario(SPEC_DATA, "s.toml", tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.tolerance_m = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.launches[0].sites[0].standoff_m = 0.0
    # No list or dict inside: the spec hashes, and equals a second parse of the same data.
    assert hash(spec) == hash(parse_scenario(SPEC_DATA, "s.toml", tmp_path))
    assert spec == parse_scenario(SPEC_DATA, "s.toml", tmp_path)


def test_resolve_draws_standoff_margins_with_the_given_footprint_and_tolerance():
    from rangemap.geodesy.footprints import footprint
    from rangemap.model.scenario import resolve_scenario
    from rangemap.model.spec import parse_scenario

    calls = []

    def recording_footprint(geometry, distance_m, *, tolerance_m):
        calls.append((distance_m, tolerance_m))
        return footprint(geometry, distance_m, tolerance_m=tolerance_m)

    site = {"country": "Moldova", "standoff_km": 5, "standoff_from": [{"point": [28.8, 47.0]}]}
    spec = parse_scenario({"name": "t", "weapons": ["gmlrs"], "tolerance_m": 0.05, "launch": [{"sites": [site]}]})
    resolved = resolve_scenario(spec, make_footprint=recording_footprint)
    assert calls == [(5_000.0, 0.05)]
    moldova = gazetteer.country("Moldova").geometry
    assert resolved.launches[0].sites[0].geometry.area < moldova.area
    assert not resolved.launches[0].sites[0].geometry.contains(shapely.Point(28.8, 47.0))


@pytest.mark.parametrize("body,expected", [
    (MINIMAL.replace('["atacms"]', '["atacms", "ATACMS"]'), "field 'weapons' lists ['atacms'] twice"),
    (MINIMAL.replace('["atacms"]', '[{ id = "A/B", name = "X", range_km = 5 }]'),
     "weapons[0]: a weapon id may not contain '/' (footprint ids are <launch id>/<weapon id>), got 'A/B'"),
    ('regions = ["Kursk", "RU-KRS"]\n' + MINIMAL, "regions[1]: 'RU-KRS' is Kursk again (regions[0]); list each region once"),
    (MINIMAL.replace('id = "a"', 'id = "a"\nweapons = ["nope"]'), "launch[0].weapons[0]: unknown weapon 'nope'"),
    (MINIMAL.replace("point = [30.0, 50.0]", 'region = "Kurks"'), "launch[0].sites[0].region: unknown region 'Kurks'"),
    ('catalog = "none.toml"\n' + MINIMAL, "none.toml: catalog file not found"),  # named by the catalog's own path
])
def test_errors_found_when_resolving_still_come_from_load_scenario(tmp_path, body, expected):
    path = write(tmp_path, body)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert str(exc.value).startswith(str(tmp_path)) and expected in str(exc.value), str(exc.value)


def test_run_scenario_takes_a_spec_or_a_resolved_scenario():
    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import resolve_scenario
    from rangemap.model.spec import parse_scenario

    spec = parse_scenario({"name": "t", "weapons": [{"name": "W", "range_km": 20}],
                           "launch": [{"id": "a", "sites": [{"point": [30.0, 50.0]}]}]})
    from_spec, from_scenario = run_scenario(spec), run_scenario(resolve_scenario(spec))
    assert from_spec.scenario == from_scenario.scenario
    assert from_spec.footprints[0].geometry.equals(from_scenario.footprints[0].geometry)


def test_files_of_minus_and_standoff_sites_are_inputs_outputs_may_not_replace(tmp_path):
    box = lambda w, s, e, n: json.dumps({"type": "FeatureCollection", "features": [  # noqa: E731
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(shapely.box(w, s, e, n))}]})
    (tmp_path / "held.geojson").write_text(box(33.0, 48.0, 37.0, 51.0))
    (tmp_path / "occupied.geojson").write_text(box(36.0, 48.0, 37.0, 49.0))
    (tmp_path / "neighbour.geojson").write_text(box(37.0, 48.0, 40.0, 51.0))
    path = write(tmp_path, """
name = "t"
weapons = ["atacms"]
[[launch]]
sites = [{ file = "held.geojson", minus = [{ file = "occupied.geojson" }], standoff_km = 20, standoff_from = [{ file = "neighbour.geojson" }] }]
""")
    inputs = {str(p) for p in load_scenario(path).inputs}
    assert {str(tmp_path / n) for n in ("s.toml", "held.geojson", "occupied.geojson", "neighbour.geojson")} <= inputs
