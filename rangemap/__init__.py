"""rangemap: exact geodesic range maps on the WGS84 ellipsoid.

The handful of things users call are importable from here; the heavier ones
(maps, exports) load on first use so that the CLI starts fast.

>>> import rangemap
>>> result = rangemap.run_scenario(rangemap.load_scenario())   # doctest: +SKIP
>>> rangemap.show_map(result)                                   # doctest: +SKIP
"""

from importlib import import_module

from rangemap.errors import InvalidInputError, LookupFailedError, RangemapError, ScenarioError

__version__ = "0.1.0"

_LAZY = {
    "footprint": ("rangemap.geodesic", "footprint"),
    "footprint_error": ("rangemap.accuracy", "footprint_error"),
    "FootprintError": ("rangemap.accuracy", "FootprintError"),
    "gazetteer": ("rangemap.gazetteer", None),
    "catalog": ("rangemap.catalog", None),
    "analysis": ("rangemap.analysis", None),
    "region": ("rangemap.gazetteer", "region"),
    "place": ("rangemap.gazetteer", "place"),
    "country": ("rangemap.gazetteer", "country"),
    "border": ("rangemap.gazetteer", "border"),
    "weapon": ("rangemap.catalog", "weapon"),
    "load_catalog": ("rangemap.catalog", "load_catalog"),
    "Scenario": ("rangemap.scenario", "Scenario"),
    "load_scenario": ("rangemap.scenario", "load_scenario"),
    "parse_scenario": ("rangemap.scenario", "parse_scenario"),
    "run_scenario": ("rangemap.results", "run_scenario"),
    "ScenarioResult": ("rangemap.results", "ScenarioResult"),
    "geodesic_area_km2": ("rangemap.analysis", "geodesic_area_km2"),
    "region_coverage": ("rangemap.analysis", "region_coverage"),
    "places_in_range": ("rangemap.analysis", "places_in_range"),
    "range_gain": ("rangemap.analysis", "range_gain"),
    "build_map": ("rangemap.render", "build_map"),
    "render_html": ("rangemap.render", "render_html"),
    "write_map": ("rangemap.render", "write_map"),
    "show_map": ("rangemap.render", "show_map"),
    "export": ("rangemap.export", "export"),
    "static_map": ("rangemap.static", "static_map"),
    "static_figure": ("rangemap.static", "static_figure"),
    "show_static": ("rangemap.static", "show_static"),
    "format_report": ("rangemap.report", "format_report"),
    "launch_area": ("rangemap.territory", "launch_area"),
    "launch_zone": ("rangemap.reach", "launch_zone"),
    "load_timeline": ("rangemap.timeline", "load_timeline"),
    "run_timeline": ("rangemap.timeline", "run_timeline"),
    "write_timeline": ("rangemap.timeline_outputs", "write_timeline"),
}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'rangemap' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = import_module(module) if attr is None else getattr(import_module(module), attr)
    globals()[name] = value
    return value


__all__ = ["FootprintError", "InvalidInputError", "LookupFailedError", "RangemapError", "ScenarioError",
           "footprint", "footprint_error", *_LAZY]
