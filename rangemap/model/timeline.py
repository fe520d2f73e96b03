"""Timelines: one scenario evaluated on a series of dates, as a dask task graph.

A scenario becomes dated with a ``[timeline]`` table::

    [timeline]
    start = 2024-08-05        # or: dates = [2024-08-05, "2024-08-12", ...]
    end = 2024-11-25
    every = "7d"              # days ("d") or weeks ("w")
    missing = "error"         # or "skip": leave out (with a warning) dates whose files are missing

and file sites that change with the date: a path with a ``{date}`` placeholder
(the ISO date, ``occupied-{date}.geojson``), or one file with a date column
filtered per date (``{ file = "deepstate.gpkg", date_field = "date" }``).

Per date the scenario is resolved (launch areas with their standoff margins),
then every launch group's footprint for every weapon is drawn and the regions'
coverage measured. Each of these is a task in a dask graph: run in-process
(``workers=0``), on a local cluster sized to the machine, or on an existing
dask scheduler. Footprints go through an on-disk cache
(:class:`rangemap.geodesy.cache.FootprintCache`), so a re-run, or a run with one more
date, computes only the footprints that are new.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
import os
import re
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas
import pandas as pd

from rangemap.errors import ScenarioError
from rangemap.geodesy.cache import FootprintCache
from rangemap.io.atomic import atomic_write
from rangemap.io.tomlfile import read_toml
from rangemap.model.analysis import geodesic_area_km2, region_coverage
from rangemap.model.scenario import resolve_scenario
from rangemap.model.sites import site_tables
from rangemap.model.spec import parse_scenario

if TYPE_CHECKING:
    from distributed import Client

COLUMNS = ["date", "launch_id", "weapon", "range_km", "region", "iso_3166_2", "area_km2", "in_range_km2", "share",
           "launch_area_km2"]
SCHEDULER_ENV = "RANGEMAP_DASK_SCHEDULER"
_TIMELINE_FIELDS = {"dates", "start", "end", "every", "missing"}
_MISSING = ("error", "skip")
_EVERY = re.compile(r"\s*([1-9][0-9]{0,4})\s*([dw])\s*", re.IGNORECASE)
MAX_DATES = 10_000
_DATE_KEY = "{date}"


class MissingDateError(ScenarioError):
    """A timeline date whose dated file, or whose rows in a dated file, do not exist."""


@dataclass(frozen=True)
class TimelineSpec:
    """The dates of a timeline and what to do when one has no data."""

    dates: tuple[dt.date, ...]
    missing: str = "error"


@dataclass(frozen=True)
class TimelineScenario:
    """A scenario file with a ``[timeline]`` table, not yet resolved for any date."""

    data: dict
    spec: TimelineSpec
    label: str
    base_dir: Path


@dataclass
class TimelineResult:
    """A timeline's coverage table and per-date geometries.

    Attributes
    ----------
    name, title : str
    sources : tuple of str
        The scenario's sources (credited on every figure).
    coverage : pandas.DataFrame
        One row per (date, launch group, weapon, region), columns :data:`COLUMNS`.
    geometries : geopandas.GeoDataFrame
        ``date, kind ("launch_area" or "footprint"), launch_id, weapon, range_km, area_km2, label, geometry``.
    regions : tuple of rangemap.data.gazetteer.Region
    skipped : list of (str, str)
        Dates left out (``missing = "skip"``) and why.
    footprints_computed, footprints_reused : int
        Footprints drawn in this run and read back from the cache (standoff margins included).
    """

    name: str
    title: str
    sources: tuple[str, ...]
    coverage: pd.DataFrame
    geometries: geopandas.GeoDataFrame
    regions: tuple
    skipped: list[tuple[str, str]] = field(default_factory=list)
    footprints_computed: int = 0
    footprints_reused: int = 0
    timings_s: dict[str, float] = field(default_factory=dict)


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ScenarioError(f"{where}: expected a date (YYYY-MM-DD) without a time, got {value.isoformat()!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ScenarioError(f"{where}: expected an ISO date such as 2024-08-05, got {value!r}")


def every_days(value, where: str) -> int:
    """Days in an ``every`` step such as ``"7d"`` or ``"2w"``.

    Parameters
    ----------
    value : str
    where : str
        Position in the file, for messages.

    Returns
    -------
    int

    Examples
    --------
    >>> every_days("2w", "t.toml: timeline.every")
    14
    """
    match = _EVERY.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ScenarioError(f"{where}: expected a step such as \"7d\" or \"1w\", got {value!r}")
    return int(match.group(1)) * (7 if match.group(2).lower() == "w" else 1)


def parse_timeline_table(table, label: str) -> TimelineSpec:
    """Validate a ``[timeline]`` table.

    Parameters
    ----------
    table : dict
    label : str
        The file name, for messages.

    Returns
    -------
    TimelineSpec

    Raises
    ------
    ScenarioError
        Naming the file, field and value.
    """
    where = f"{label}: timeline"
    if not isinstance(table, dict):
        raise ScenarioError(f"{where}: expected a [timeline] table, got {table!r}")
    unknown = sorted(set(table) - _TIMELINE_FIELDS)
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_TIMELINE_FIELDS))}")
    missing = table.get("missing", "error")
    if missing not in _MISSING:
        raise ScenarioError(f"{where}.missing: expected \"error\" or \"skip\", got {missing!r}")
    ranged = {"start", "end", "every"} & table.keys()
    if "dates" in table:
        if ranged:
            raise ScenarioError(f"{where}: give either 'dates' or 'start'/'end'/'every', got both "
                                f"(dates and {', '.join(sorted(ranged))})")
        values = table["dates"]
        if not isinstance(values, list) or not values:
            raise ScenarioError(f"{where}.dates: expected a non-empty list of ISO dates, got {values!r}")
        dates = [_date(v, f"{where}.dates[{i}]") for i, v in enumerate(values)]
        twice = sorted({d.isoformat() for d in dates if dates.count(d) > 1})
        if twice:
            raise ScenarioError(f"{where}.dates: lists {', '.join(twice)} more than once")
    else:
        absent = sorted({"start", "end", "every"} - ranged)
        if absent:
            raise ScenarioError(f"{where}: needs 'dates', or 'start', 'end' and 'every' (missing: {', '.join(absent)})")
        start, end = _date(table["start"], f"{where}.start"), _date(table["end"], f"{where}.end")
        step = every_days(table["every"], f"{where}.every")
        if end < start:
            raise ScenarioError(f"{where}.end: {end.isoformat()} is before start {start.isoformat()}")
        count = (end - start).days // step + 1
        if count > MAX_DATES:
            raise ScenarioError(f"{where}: {count} dates from {start} to {end} every {table['every']!r}; at most {MAX_DATES}")
        dates = [start + dt.timedelta(days=step * i) for i in range(count)]
    if len(dates) > MAX_DATES:
        raise ScenarioError(f"{where}.dates: {len(dates)} dates; at most {MAX_DATES}")
    return TimelineSpec(tuple(sorted(dates)), missing)


def load_timeline(path: Path | str) -> TimelineScenario:
    """Read a scenario file that has a ``[timeline]`` table.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    TimelineScenario

    Raises
    ------
    ScenarioError
    """
    path = Path(path)
    return timeline_from_data(read_toml(path, "scenario file"), str(path), path.parent)


def timeline_from_data(data: dict, label: str = "<scenario>", base_dir: Path | str = ".") -> TimelineScenario:
    """A :class:`TimelineScenario` from parsed TOML (see :func:`load_timeline`)."""
    if "timeline" not in data:
        raise ScenarioError(f"{label}: missing [timeline] table (dates = [...], or start, end and every)")
    rest = {k: v for k, v in data.items() if k != "timeline"}
    return TimelineScenario(rest, parse_timeline_table(data["timeline"], label), label, Path(base_dir))


@lru_cache(maxsize=8)
def _dated_frame(path: Path, layer, field_name: str, where: str) -> geopandas.GeoDataFrame:
    from rangemap.model.scenario import read_launch_file

    read_launch_file(path, layer, where)  # the same checks and messages as any launch file
    frame = geopandas.read_file(path, layer=layer)
    if field_name not in frame.columns:
        raise ScenarioError(f"{where}: date_field {field_name!r} is not a column of {str(path)!r} "
                            f"(columns: {', '.join(map(str, frame.columns))})")
    parsed = pd.to_datetime(frame[field_name].astype("string"), errors="coerce", format="mixed")
    bad = frame[field_name][parsed.isna()]
    if len(bad):
        raise ScenarioError(f"{where}: date_field {field_name!r} of {str(path)!r} has a value that is not a date: "
                            f"{bad.iloc[0]!r}")
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    frame = frame.assign(_rangemap_date=[d.date().isoformat() for d in parsed])
    return frame[frame.geometry.notna() & ~frame.geometry.is_empty]


def _dated_file(site: dict, where: str, day: dt.date, base_dir: Path, dated_dir: Path) -> str:
    """The rows of a ``date_field`` file for one date, as a GeoPackage of their own; its path."""
    field_name = site["date_field"]
    if not isinstance(field_name, str) or not field_name:
        raise ScenarioError(f"{where}.date_field: expected a column name, got {field_name!r}")
    if not isinstance(site.get("file"), str) or _DATE_KEY in site["file"]:
        raise ScenarioError(f"{where}.date_field: needs a 'file' without {_DATE_KEY} (got file = {site.get('file')!r})")
    path = (base_dir / site["file"]).resolve()
    frame = _dated_frame(path, site.get("layer"), field_name, f"{where}.file")
    rows = frame[frame["_rangemap_date"] == day.isoformat()]
    if rows.empty:
        raise MissingDateError(f"{where}.file: {str(site['file'])!r} has no rows with {field_name} = {day.isoformat()}")
    tag = hashlib.sha256(f"{path}|{site.get('layer')}|{field_name}".encode()).hexdigest()[:16]
    out = dated_dir / f"{path.stem}-{tag}-{day.isoformat()}.gpkg"
    atomic_write(out, lambda tmp: rows[[rows.geometry.name]].to_file(tmp, layer="dated", driver="GPKG"))
    return str(out)


def scenario_data_for_date(timeline: TimelineScenario, day: dt.date, dated_dir: Path | str) -> dict:
    """The scenario's TOML data with its dated files resolved for one date.

    Parameters
    ----------
    timeline : TimelineScenario
    day : datetime.date
    dated_dir : path-like
        Where the rows of ``date_field`` files are written, one GeoPackage per file and date.

    Returns
    -------
    dict
        Ready for :func:`rangemap.model.spec.parse_scenario` (``date`` set to the day).

    Raises
    ------
    MissingDateError
        A dated file, or its rows for the day, do not exist.
    """
    data = copy.deepcopy(timeline.data)
    data["date"] = day.isoformat()
    for where, site in site_tables(data, timeline.label):
        value = site.get("file")
        if "date_field" in site:
            site["file"] = _dated_file(site, where, day, timeline.base_dir, Path(dated_dir))
            site.pop("date_field")
            site.pop("layer", None)
            site.setdefault("label", Path(str(value)).name)
        elif isinstance(value, str) and _DATE_KEY in value:
            site["file"] = value.replace(_DATE_KEY, day.isoformat())
            if not (timeline.base_dir / site["file"]).exists():
                raise MissingDateError(f"{where}.file: {site['file']!r} (from {value!r}) not found for date "
                                       f"{day.isoformat()}")
            site.setdefault("label", Path(value).name)
    return data


# ---- tasks of the graph (module-level functions, so that dask workers can import them) ----

def resolve_date(data: dict, label: str, base_dir: str, cache_dir: str | None):
    """Task: resolve one date's scenario (launch areas, with standoff margins from the cache).

    Returns
    -------
    (Scenario, int, int)
        The scenario, and footprints computed and reused for its standoff margins.
    """
    cache = FootprintCache(cache_dir)
    spec = parse_scenario(data, f"{label} [{data['date']}]", base_dir)
    scenario = resolve_scenario(spec, make_footprint=cache.footprint)
    if not scenario.regions:
        raise ScenarioError(f"{label}: field 'regions' is empty; a timeline charts the share of regions in reach")
    return scenario, cache.computed, cache.reused


def date_footprint(resolved, group_index: int, weapon_index: int, cache_dir: str | None) -> dict:
    """Task: one launch group's footprint for one weapon on one date, and the regions' coverage.

    Returns
    -------
    dict
        ``rows`` (coverage rows, :data:`COLUMNS`), ``footprint``, ``launch_area``,
        ``launch_area_km2``, ``area_km2``, ``computed`` and ``reused`` (0 or 1).
    """
    scenario = resolved[0]
    group = scenario.launches[group_index]
    weapon = _group_weapons(scenario, group)[weapon_index]
    cache = FootprintCache(cache_dir)
    area = group.geometry
    geometry = cache.footprint(area, weapon.range_m, tolerance_m=scenario.tolerance_m)
    area_km2 = geodesic_area_km2(area)
    rows = []
    for region in scenario.regions:
        c = region_coverage(region, geometry)
        rows.append([scenario.date, group.id, weapon.id, weapon.range_km, c.region, ";".join(c.iso_3166_2),
                     c.area_km2, c.in_range_km2, c.share, area_km2])
    return {"rows": rows, "footprint": geometry, "launch_area": area, "launch_area_km2": area_km2,
            "area_km2": geodesic_area_km2(geometry), "computed": cache.computed, "reused": cache.reused}


def _group_weapons(scenario, group):
    # A launch group may name its own weapons (newer scenario format); otherwise all the scenario's.
    return tuple(getattr(group, "weapons", ()) or scenario.weapons)


def build_graph(timeline: TimelineScenario, cache_dir: Path | str | None, dated_dir: Path | str):
    """The per-date dask graph: one ``resolve_date`` task per date and one ``date_footprint`` per group and weapon.

    Parameters
    ----------
    timeline : TimelineScenario
    cache_dir : path-like or None
        Footprint cache folder (``None``: no cache; every footprint is computed).
    dated_dir : path-like
        Where the per-date rows of ``date_field`` files are written.

    The first date is resolved in this process before the graph is built, so that a
    bad scenario fails at once with its own error, and so that the graph knows how
    many footprint tasks a date has; the graph carries that date's result instead of
    a task.

    Returns
    -------
    (list of (str, Delayed, list of (int, int, Delayed)), list of (str, str))
        Per date: its ISO date, its resolve task (for the first date, its result)
        and its footprint tasks with their group and weapon index; and the dates
        skipped with the reason.
    """
    import dask

    cache = None if cache_dir is None else str(cache_dir)
    per_date, skipped = [], []
    shape: list[tuple[int, int]] | None = None
    for day in timeline.spec.dates:
        try:
            data = scenario_data_for_date(timeline, day, dated_dir)
        except MissingDateError as exc:
            if timeline.spec.missing == "error":
                raise
            warnings.warn(f"timeline: skipping {day.isoformat()}: {exc}", stacklevel=2)
            skipped.append((day.isoformat(), str(exc)))
            continue
        if shape is None:
            first = resolve_date(data, timeline.label, str(timeline.base_dir), cache)
            shape = [(gi, wi) for gi, g in enumerate(first[0].launches) for wi in range(len(_group_weapons(first[0], g)))]
            resolved = dask.delayed(first, traverse=False, name=f"resolve-{day.isoformat()}")
        else:
            resolved = dask.delayed(resolve_date, pure=True)(data, timeline.label, str(timeline.base_dir), cache,
                                                             dask_key_name=f"resolve-{day.isoformat()}")
        tasks = [(gi, wi, dask.delayed(date_footprint, pure=True)(
            resolved, gi, wi, cache, dask_key_name=f"footprint-{day.isoformat()}-{gi}-{wi}")) for gi, wi in shape]
        per_date.append((day.isoformat(), resolved, tasks))
    if not per_date:
        raise ScenarioError(f"{timeline.label}: timeline: no date has data (skipped {len(skipped)})")
    return per_date, skipped


class _StderrProgress:
    """A one-line ``done/total`` counter on stderr."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled

    def step(self, label: str = ""):
        self.done += 1
        if self.enabled:
            sys.stderr.write(f"\r… timeline: {self.done}/{self.total} tasks {label:40.40s}")
            sys.stderr.flush()
            if self.done == self.total:
                sys.stderr.write("\n")


def _compute(objects: list, *, client=None, progress: bool = True) -> list:
    """Compute delayed objects with the client's cluster, or in this process when ``client`` is None."""
    import dask

    if client is None:
        from dask.diagnostics import ProgressBar

        if progress:
            with ProgressBar(out=sys.stderr):
                return list(dask.compute(*objects, scheduler="synchronous"))
        return list(dask.compute(*objects, scheduler="synchronous"))
    from distributed import as_completed

    futures = client.compute(objects)
    bar = _StderrProgress(len(futures), progress)
    for future in as_completed(futures):
        bar.step(str(future.key))
    return client.gather(futures)


def scheduler_address(scheduler: str | None = None) -> str | None:
    """The dask scheduler to use: the argument, else ``$RANGEMAP_DASK_SCHEDULER``, else None (a local cluster)."""
    return scheduler or os.environ.get(SCHEDULER_ENV) or None


def open_client(workers: int | None = None, scheduler: str | None = None):
    """A dask.distributed Client: on ``scheduler`` if given, else on a new LocalCluster of worker processes.

    Parameters
    ----------
    workers : int, optional
        Worker processes of the local cluster (one thread each); default: the machine's cores.
    scheduler : str, optional
        Address of an existing scheduler (``tcp://host:8786``); default ``$RANGEMAP_DASK_SCHEDULER``.

    Returns
    -------
    distributed.Client
        Close it (and its cluster) with ``client.close()``; a local cluster closes with its client.
    """
    from distributed import Client, LocalCluster

    address = scheduler_address(scheduler)
    if address:
        return Client(address)
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    setattr(client, "_rangemap_cluster", cluster)  # closed with the client in run_timeline
    return client


def run_timeline(timeline: TimelineScenario, *, cache_dir: Path | str | None = None, client: Client | None = None,
                 workers: int | None = None, scheduler: str | None = None, progress: bool = True) -> TimelineResult:
    """Compute a timeline: every date's launch areas, footprints and region coverage.

    Parameters
    ----------
    timeline : TimelineScenario
    cache_dir : path-like, optional
        Footprint cache folder; None computes every footprint.
    client : distributed.Client, optional
        Run on this client's cluster (left open).
    workers : int, optional
        Without a client: 0 runs in this process, one task after another; N > 0
        starts a local cluster of N worker processes (default: the machine's cores).
    scheduler : str, optional
        Without a client: address of an existing dask scheduler (default
        ``$RANGEMAP_DASK_SCHEDULER``); overrides ``workers``.
    progress : bool, optional
        A progress line on stderr.

    Returns
    -------
    TimelineResult
    """
    t0 = time.perf_counter()
    scratch: tempfile.TemporaryDirectory[str] | None = None
    if cache_dir is None:
        scratch = tempfile.TemporaryDirectory(prefix="rangemap-dated-")
        dated_dir = Path(scratch.name)
    else:
        dated_dir = Path(cache_dir) / "dated"
    own = None
    try:
        per_date, skipped = build_graph(timeline, cache_dir, dated_dir)
        objects = [r for _, r, _ in per_date] + [t for _, _, tasks in per_date for _, _, t in tasks]
        if client is None and (scheduler_address(scheduler) or (workers is None or workers > 0)):
            own = client = open_client(workers, scheduler)
        values = _compute(objects, client=client, progress=progress)
    finally:
        if own is not None:
            cluster = getattr(own, "_rangemap_cluster", None)
            own.close()
            if cluster is not None:
                cluster.close()
        if scratch is not None:
            scratch.cleanup()
    resolved, outputs = values[:len(per_date)], values[len(per_date):]
    rows, records = [], []
    computed = sum(r[1] for r in resolved)
    reused = sum(r[2] for r in resolved)
    it = iter(outputs)
    for (day, _, tasks), (scenario, _, _) in zip(per_date, resolved, strict=True):
        for gi, wi, _ in tasks:
            out = next(it)
            group = scenario.launches[gi]
            weapon = _group_weapons(scenario, group)[wi]
            rows.extend(out["rows"])
            computed += out["computed"]
            reused += out["reused"]
            if wi == 0:
                records.append({"date": day, "kind": "launch_area", "launch_id": group.id, "weapon": "",
                                "range_km": 0.0, "area_km2": out["launch_area_km2"], "label": group.label,
                                "geometry": out["launch_area"]})
            records.append({"date": day, "kind": "footprint", "launch_id": group.id, "weapon": weapon.id,
                            "range_km": weapon.range_km, "area_km2": out["area_km2"],
                            "label": weapon.short_label, "geometry": out["footprint"]})
    first = resolved[0][0]
    coverage = pd.DataFrame(rows, columns=COLUMNS)
    geometries = geopandas.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    return TimelineResult(first.name, first.title, first.sources, coverage, geometries, first.regions, skipped,
                          computed, reused, {"compute": time.perf_counter() - t0})


__all__ = ["COLUMNS", "MissingDateError", "SCHEDULER_ENV", "TimelineResult", "TimelineScenario", "TimelineSpec",
           "build_graph", "date_footprint", "every_days", "load_timeline", "open_client", "parse_timeline_table",
           "resolve_date", "run_timeline", "scenario_data_for_date", "scheduler_address", "timeline_from_data"]
