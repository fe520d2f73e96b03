"""rangemap: exact geodesic range maps on the WGS84 ellipsoid.

The names users call are importable from here, each once; the heavier ones
(maps, exports) load on first use so that the CLI starts fast. Everything else
lives in the wings (:mod:`rangemap.geodesy`, :mod:`rangemap.data`,
:mod:`rangemap.model`, :mod:`rangemap.outputs`).

>>> import rangemap
>>> result = rangemap.run_scenario(rangemap.load_scenario())   # doctest: +SKIP
>>> rangemap.show_map(result)                                   # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from rangemap.errors import InvalidInputError, LookupFailedError, RangemapError, ScenarioError

__version__ = "0.1.0"

# Name -> module that owns it. One entry per public name.
_LAZY = {
    "footprint": "rangemap.geodesy.footprints",
    "footprint_error": "rangemap.geodesy.accuracy",
    "region": "rangemap.data.gazetteer",
    "place": "rangemap.data.gazetteer",
    "weapon": "rangemap.data.catalog",
    "load_scenario": "rangemap.model.scenario",
    "parse_scenario": "rangemap.model.scenario",
    "run_scenario": "rangemap.model.results",
    "launch_area": "rangemap.model.territory",
    "load_timeline": "rangemap.model.timeline",
    "run_timeline": "rangemap.model.timeline",
    "show_map": "rangemap.outputs.page",
    "write_map": "rangemap.outputs.page",
    "show_static": "rangemap.outputs.static",
    "static_map": "rangemap.outputs.static",
    "export": "rangemap.outputs.writers",
    "format_report": "rangemap.outputs.report",
}

if TYPE_CHECKING:  # what the lazy loader returns, for type checkers and editors (re-exported by __all__)
    from rangemap.data.catalog import weapon
    from rangemap.data.gazetteer import place, region
    from rangemap.geodesy.accuracy import footprint_error
    from rangemap.geodesy.footprints import footprint
    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import load_scenario, parse_scenario
    from rangemap.model.territory import launch_area
    from rangemap.model.timeline import load_timeline, run_timeline
    from rangemap.outputs.page import show_map, write_map
    from rangemap.outputs.report import format_report
    from rangemap.outputs.static import show_static, static_map
    from rangemap.outputs.writers import export


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'rangemap' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = ["InvalidInputError", "LookupFailedError", "RangemapError", "ScenarioError", *_LAZY]
