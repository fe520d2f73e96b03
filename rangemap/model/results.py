"""A scenario's results: its footprints (with measured error), coverage, places and range gains.

This is the one entry point the CLI, the map and the notebook share:
``run_scenario(load_scenario(path))``, or ``run_scenario(parse_scenario({...}))``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from rangemap.data.catalog import Weapon
from rangemap.geodesy.accuracy import footprint_error
from rangemap.geodesy.footprints import footprint
from rangemap.model.analysis import RangeGain, candidate_places, coverage_table, geodesic_area_km2, places_in_range, range_gain
from rangemap.model.scenario import LaunchGroup, Scenario, resolve_scenario
from rangemap.model.spec import ScenarioSpec


@dataclass(frozen=True)
class FootprintResult:
    """One weapon's footprint around one launch group."""

    id: str
    weapon: Weapon
    launch: LaunchGroup
    geometry: object
    area_km2: float
    max_error_m: float

    @property
    def range_km(self) -> float:
        """The weapon's range, km."""
        return self.weapon.range_km


@dataclass
class ScenarioResult:
    """Everything a report, map or export shows for one scenario."""

    scenario: Scenario
    footprints: list[FootprintResult]
    coverage: pd.DataFrame
    places: pd.DataFrame
    gains: list[tuple[str, RangeGain]]
    timings_s: dict[str, float] = field(default_factory=dict)

    def footprint(self, footprint_id: str) -> FootprintResult:
        """The footprint with this id (``"<launch id>/<weapon id>"``)."""
        for fp in self.footprints:
            if fp.id == footprint_id:
                return fp
        raise KeyError(f"no footprint {footprint_id!r}; have {[f.id for f in self.footprints]}")

    def to_report(self) -> dict:
        """The report as plain data (the CLI's ``--format json``): see :mod:`rangemap.model.schema`.

        Returns
        -------
        dict
            ``{"scenario": {...}, "footprints": [...], "launches": [...], "regions": [...], "places": [...],
            "gains": [...], "gain_regions": [...], "gain_places": [...]}``.
        """
        from rangemap.model.schema import report_sections

        return report_sections(self)


def run_scenario(scenario: Scenario | ScenarioSpec, progress: Callable[[str], None] | None = None) -> ScenarioResult:
    """Compute every footprint of a scenario and analyse it.

    Parameters
    ----------
    scenario : Scenario or ScenarioSpec
        A spec (from :func:`rangemap.model.spec.parse_scenario`) is resolved first.
    progress : callable, optional
        Called with a short message before each step (the CLI prints them).

    Returns
    -------
    ScenarioResult
    """
    say = progress or (lambda message: None)
    if isinstance(scenario, ScenarioSpec):
        scenario = resolve_scenario(scenario)
    timings: dict[str, float] = {}
    footprints = []
    t0 = time.perf_counter()
    for group in scenario.launches:
        for weapon in group.weapons or scenario.weapons:
            say(f"footprint: {weapon.name} ({weapon.range_km:g} km) from {group.label}")
            geometry = footprint(group.geometry, weapon.range_m, tolerance_m=scenario.tolerance_m)
            error = footprint_error(geometry, group.geometry, weapon.range_m)
            footprints.append(FootprintResult(f"{group.id}/{weapon.id}", weapon, group, geometry,
                                              geodesic_area_km2(geometry), error.max_error_m))
    timings["footprints"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    say("coverage of regions of interest")
    coverage = coverage_table(scenario.regions, {f.id: f.geometry for f in footprints})
    say("places in range")
    candidates = candidate_places(min_population=scenario.min_population,
                                  within=[a.geometry for a in scenario.places_in],
                                  with_unpopulated=scenario.places_without_population)
    frames = [places_in_range(f.launch.geometry, f.weapon.range_m, min_population=scenario.min_population,
                              footprint_id=f.id, footprint_geometry=f.geometry, places=candidates,
                              exclude_launch_ground=True) for f in footprints]
    places = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    gains = []
    for group in scenario.launches:
        mine = sorted((f for f in footprints if f.launch.id == group.id), key=lambda f: f.range_km)
        for short, long in zip(mine, mine[1:]):
            if long.range_km > short.range_km:
                gains.append((group.id, range_gain(group.geometry, (short.id, short.weapon.range_m, short.geometry),
                                                   (long.id, long.weapon.range_m, long.geometry), scenario.regions,
                                                   min_population=scenario.min_population, places=candidates,
                                                   exclude_launch_ground=True)))
    timings["analysis"] = time.perf_counter() - t0
    return ScenarioResult(scenario, footprints, coverage, places, gains, timings)
