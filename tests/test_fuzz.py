"""Fuzzing scenario dictionaries: valid and broken, every key, wrong types, odd strings.

The only exceptions allowed out of ``parse_scenario``, ``resolve_scenario`` and
``run_scenario`` are rangemap's own (which the CLI turns into exit status 2 with one line).
"""

import math

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rangemap.errors import RangemapError
from rangemap.model.results import run_scenario
from rangemap.model.scenario import resolve_scenario
from rangemap.model.spec import parse_scenario
from rangemap.outputs.report import format_report

ODD_TEXT = st.sampled_from(["", " ", "{{ 7*7 }}", "{% if", "</script>", "Москва", "北京", "Kursk", "RU-KRS",
                            "atacms", "Sumy", "Ukraine", "Russia", "\x00", "a" * 300, "../x", "nan"]) | st.text(max_size=12)
SCALAR = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | ODD_TEXT
ANY = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3),
                   max_leaves=6)

POINT = st.lists(st.floats(-200, 200) | st.integers(-200, 200) | st.booleans(), min_size=0, max_size=3)
# Small, fast launch sites only: the fuzz is about validation, not footprint speed.
SITE = st.fixed_dictionaries({}, optional={
    "point": POINT | ANY, "place": st.sampled_from(["Sumy", "Kharkiv", "Odesa", "Nowhere"]) | ANY,
    "region": st.sampled_from(["Sumy", "Crimea"]) | ANY, "border": st.just(["Ukraine", "Moldova"]) | ANY,
    "file": ANY, "label": ODD_TEXT | ANY, "layer": ANY, "country": ANY, "colour": ANY,
    "along": st.lists(st.sampled_from(["Sumy", "Kharkiv", "Nowhere"]) | ODD_TEXT, max_size=2) | ANY,
    "minus": ANY, "standoff_km": ANY, "standoff_from": ANY})
WEAPON = st.sampled_from(["atacms", "atacms-165", "storm-shadow", "nope"]) | st.fixed_dictionaries(
    {"name": ODD_TEXT}, optional={"range_km": st.floats(-5, 400) | st.integers(-5, 400) | ANY, "source": ODD_TEXT,
                                  "label": ODD_TEXT | ANY, "aliases": ANY, "id": ANY, "bogus": ANY}) | ANY
LAUNCH = st.fixed_dictionaries({}, optional={"id": ODD_TEXT | ANY, "label": ODD_TEXT | ANY,
                                             "sites": st.lists(SITE, max_size=3) | ANY, "extra": ANY,
                                             "weapons": st.lists(WEAPON, max_size=2) | ANY})
SCENARIO = st.fixed_dictionaries({}, optional={
    "name": ODD_TEXT | ANY, "title": ODD_TEXT | ANY, "date": ODD_TEXT | ANY, "notes": ODD_TEXT | ANY,
    "sources": st.lists(ODD_TEXT, max_size=2) | ANY, "min_population": st.integers(-5, 10**7) | ANY,
    "tolerance_m": st.floats(allow_nan=True) | ANY, "weapons": st.lists(WEAPON, max_size=3) | ANY,
    "regions": st.lists(st.sampled_from(["Kursk", "RU-KRS", "Crimea", "Kurks", "北京"]) | ANY, max_size=3) | ANY,
    "launch": st.lists(LAUNCH, max_size=2) | ANY, "catalog": ANY, "unknown": ANY,
    "places_in": st.lists(st.sampled_from(["Russia", "Crimea", "Atlantis"]) | ODD_TEXT, max_size=2) | ANY,
    "places_without_population": ANY})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=SCENARIO)
def test_parse_scenario_raises_only_rangemap_errors(tmp_path_factory, data):
    folder = tmp_path_factory.getbasetemp()
    try:
        spec = parse_scenario(data, "fuzz.toml", folder)
        hash(spec)  # immutable all the way down
        scenario = resolve_scenario(spec)
    except RangemapError as exc:
        assert "fuzz.toml" in str(exc) or "catalog" in str(exc)
        event(f"refused: {type(exc).__name__}")
        return
    event("parsed")
    # A scenario that parses is complete and typed as documented.
    assert scenario.name and isinstance(scenario.title, str) and scenario.launches and scenario.weapons
    assert all(isinstance(s.label, str) and s.label for g in scenario.launches for s in g.sites)
    assert math.isfinite(scenario.tolerance_m) and scenario.tolerance_m >= 0.01


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=ODD_TEXT, label=ODD_TEXT, km=st.floats(0.001, 60), lon=st.floats(-179, 179), lat=st.floats(-80, 80),
       region=st.sampled_from([[], ["Crimea"], ["Kursk", "Texas"]]))
def test_valid_scenarios_run_and_report(name, label, km, lon, lat, region):
    data = {"name": name, "weapons": [{"name": label or "w", "range_km": km}], "regions": region,
            "min_population": 100_000, "launch": [{"id": "g", "label": label, "sites": [{"point": [lon, lat]}]}]}
    try:
        scenario = resolve_scenario(parse_scenario(data, "fuzz.toml"))
    except RangemapError:
        return
    result = run_scenario(scenario)
    assert all(f.max_error_m <= scenario.tolerance_m for f in result.footprints)
    for fmt in ("table", "markdown", "csv", "json"):
        assert format_report(result, fmt)


BASE = {"name": "base", "title": "T", "date": "2024-11-19", "notes": "n", "sources": ["s"], "min_population": 50_000,
        "weapons": ["atacms-165", {"name": "What-if", "range_km": 50}], "regions": ["Kursk"],
        "launch": [{"id": "a", "label": "A", "sites": [{"place": "Sumy", "country": "Ukraine"}, {"point": [36.2, 50.0]},
                                                       {"region": "Sumy", "label": "Sumy Oblast"}]}]}
PATHS = [(), ("launch", 0), ("launch", 0, "sites", 0), ("launch", 0, "sites", 1), ("launch", 0, "sites", 2),
         ("weapons", 1)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(PATHS), key=st.sampled_from(["name", "title", "date", "notes", "sources", "min_population",
                                                          "tolerance_m", "weapons", "regions", "launch", "id", "label",
                                                          "sites", "point", "place", "region", "country", "border",
                                                          "file", "layer", "range_km", "source", "aliases", "bogus",
                                                          "along", "places_in", "places_without_population",
                                                          "minus", "standoff_km", "standoff_from"]),
       value=ANY | st.just(None), delete=st.booleans())
def test_one_mutation_of_a_valid_scenario(where, key, value, delete):
    import copy

    data = copy.deepcopy(BASE)
    target = data
    for step in where:
        target = target[step]
    if delete:
        target.pop(key, None)
    elif value is not None:
        target[key] = value
    try:
        scenario = resolve_scenario(parse_scenario(data, "fuzz.toml"))
    except RangemapError as exc:
        assert "fuzz.toml" in str(exc)
        event("refused")
        return
    event("parsed")
    assert scenario.launches and all(isinstance(s.label, str) and s.label for g in scenario.launches for s in g.sites)
