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
    "footprint": ("rangemap.geodesy.footprints", "footprint"),
    "footprint_error": ("rangemap.geodesy.accuracy", "footprint_error"),
    "FootprintError": ("rangemap.geodesy.accuracy", "FootprintError"),
    "gazetteer": ("rangemap.data.gazetteer", None),
    "catalog": ("rangemap.data.catalog", None),
    "analysis": ("rangemap.model.analysis", None),
    "region": ("rangemap.data.gazetteer", "region"),
    "place": ("rangemap.data.gazetteer", "place"),
    "country": ("rangemap.data.gazetteer", "country"),
    "border": ("rangemap.data.gazetteer", "border"),
    "weapon": ("rangemap.data.catalog", "weapon"),
    "load_catalog": ("rangemap.data.catalog", "load_catalog"),
    "Scenario": ("rangemap.model.scenario", "Scenario"),
    "load_scenario": ("rangemap.model.scenario", "load_scenario"),
    "parse_scenario": ("rangemap.model.scenario", "parse_scenario"),
    "run_scenario": ("rangemap.model.results", "run_scenario"),
    "ScenarioResult": ("rangemap.model.results", "ScenarioResult"),
    "geodesic_area_km2": ("rangemap.model.analysis", "geodesic_area_km2"),
    "region_coverage": ("rangemap.model.analysis", "region_coverage"),
    "places_in_range": ("rangemap.model.analysis", "places_in_range"),
    "range_gain": ("rangemap.model.analysis", "range_gain"),
    "build_map": ("rangemap.outputs.page", "build_map"),
    "render_html": ("rangemap.outputs.page", "render_html"),
    "write_map": ("rangemap.outputs.page", "write_map"),
    "show_map": ("rangemap.outputs.page", "show_map"),
    "export": ("rangemap.outputs.writers", "export"),
    "static_map": ("rangemap.outputs.static", "static_map"),
    "static_figure": ("rangemap.outputs.static", "static_figure"),
    "show_static": ("rangemap.outputs.static", "show_static"),
    "format_report": ("rangemap.outputs.report", "format_report"),
    "launch_area": ("rangemap.model.territory", "launch_area"),
    "launch_zone": ("rangemap.model.reach", "launch_zone"),
    "load_timeline": ("rangemap.model.timeline", "load_timeline"),
    "run_timeline": ("rangemap.model.timeline", "run_timeline"),
    "write_timeline": ("rangemap.outputs.timeline_files", "write_timeline"),
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
