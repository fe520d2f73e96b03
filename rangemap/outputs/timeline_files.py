"""A timeline's files: coverage table (CSV, JSON), chart (PNG, SVG), per-date geometries (GeoPackage), time map.

Every file is written atomically (:mod:`rangemap.io.atomic`): a reader never sees
half a file, and an interrupted run leaves the previous file in place.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from pathlib import Path

import shapely

from rangemap.io.atomic import atomic_write, write_text_atomic
from rangemap.io.escape import csv_cell
from rangemap.io.escape import mathtext_plain as plain_text  # user text in a figure is shown as written
from rangemap.model.timeline import COLUMNS, TimelineResult

CREDIT = ("rangemap: exact geodesic footprints on WGS84; boundaries: Natural Earth (public domain); "
          "launch areas: the scenario's own files")
FILES = ("coverage.csv", "coverage.json", "coverage.png", "coverage.svg", "footprints.gpkg", "timeline.html")


def credit_line(result: TimelineResult) -> str:
    """Where a figure's data came from: the scenario's sources and rangemap's data credits."""
    return "; ".join([*result.sources, CREDIT])


def coverage_records(result: TimelineResult) -> list[dict]:
    """The coverage table as plain JSON-ready rows (columns :data:`rangemap.model.timeline.COLUMNS`, share a fraction)."""
    frame = result.coverage[COLUMNS]
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in frame.to_dict("records")]


def write_coverage_csv(result: TimelineResult, path: Path | str) -> Path:
    """Write the coverage table as CSV."""
    table = result.coverage[COLUMNS].map(csv_cell)  # user text stays text in a spreadsheet
    return write_text_atomic(path, table.to_csv(index=False, lineterminator="\n"))


def write_coverage_json(result: TimelineResult, path: Path | str) -> Path:
    """Write the coverage table as JSON: ``{"scenario", "sources", "columns", "rows"}``."""
    doc = {"scenario": result.name, "title": result.title, "sources": list(result.sources), "credit": CREDIT,
           "columns": COLUMNS, "rows": coverage_records(result)}
    return write_text_atomic(path, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


def coverage_figure(result: TimelineResult):
    """Share of each region in reach over time: one panel per region, one line per launch group and weapon.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd

    table = result.coverage.assign(day=pd.to_datetime(result.coverage["date"]))
    regions = list(dict.fromkeys(table["region"]))
    fig, axes = plt.subplots(len(regions), 1, figsize=(9, 2.4 * len(regions) + 1.2), sharex=True, squeeze=False)
    multi_launch = table["launch_id"].nunique() > 1
    for ax, name in zip(axes[:, 0], regions, strict=True):
        part = table[table["region"] == name]
        for (launch_id, weapon, range_km), line in part.groupby(["launch_id", "weapon", "range_km"], sort=False):
            label = plain_text(f"{weapon} ({range_km:g} km)" + (f" from {launch_id}" if multi_launch else ""))
            ax.plot(line["day"], 100 * line["share"], marker="o", markersize=3, label=label)
        ax.set_title(plain_text(f"{name}: share in reach"), fontsize=10, loc="left")
        ax.set_ylabel("% of area")
        ax.set_ylim(-2, 102)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    axes[-1, 0].xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    fig.suptitle(plain_text(result.title), fontsize=11)
    fig.text(0.01, 0.005, plain_text("Sources: " + credit_line(result)), fontsize=6, wrap=True, va="bottom")
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    return fig


def _figure_writer(fig: Any, fmt: str) -> Callable[[Path], None]:
    """Save ``fig`` as ``fmt`` to a path (an SVG without its date, so that a re-run writes the same bytes)."""
    return lambda tmp: fig.savefig(tmp, format=fmt, dpi=130, metadata={"Date": None} if fmt == "svg" else None)


def write_coverage_chart(result: TimelineResult, folder: Path | str) -> list[Path]:
    """Write ``coverage.png`` and ``coverage.svg``."""
    import matplotlib.pyplot as plt

    fig = coverage_figure(result)
    try:
        paths = [atomic_write(Path(folder) / f"coverage.{fmt}", _figure_writer(fig, fmt)) for fmt in ("png", "svg")]
    finally:
        plt.close(fig)
    return paths


def write_footprints_gpkg(result: TimelineResult, path: Path | str) -> Path:
    """Write every date's launch areas and footprints as one GeoPackage layer ``footprints`` with a date column."""
    frame = result.geometries.copy()
    frame["geometry"] = [shapely.make_valid(g) for g in frame.geometry]
    return atomic_write(path, lambda tmp: frame.to_file(tmp, layer="footprints", driver="GPKG"))


def write_timeline(result: TimelineResult, folder: Path | str) -> list[Path]:
    """Write all of a timeline's files (:data:`FILES`) into a folder.

    Parameters
    ----------
    result : TimelineResult
    folder : path-like
        Created if missing.

    Returns
    -------
    list of pathlib.Path
    """
    from rangemap.outputs.timemap import write_time_map

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_coverage_csv(result, folder / "coverage.csv"), write_coverage_json(result, folder / "coverage.json"),
            *write_coverage_chart(result, folder), write_footprints_gpkg(result, folder / "footprints.gpkg"),
            write_time_map(result, folder / "timeline.html")]


__all__ = ["CREDIT", "FILES", "coverage_figure", "coverage_records", "credit_line", "plain_text", "write_coverage_chart",
           "write_coverage_csv", "write_coverage_json", "write_footprints_gpkg", "write_timeline"]
