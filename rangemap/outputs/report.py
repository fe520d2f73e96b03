"""The report of a scenario's results as text: a table, Markdown, CSV or JSON.

Every format carries the sections of :mod:`rangemap.model.schema` with the same rows.
JSON and CSV keep shares as fractions (``0.9761``); the table and Markdown,
written for people, print them as percentages with one decimal (``97.6 %``).
"""

from __future__ import annotations

import csv
import io
import json

from rangemap.io.escape import csv_cell, markdown_text
from rangemap.model.results import ScenarioResult
from rangemap.model.schema import COLUMNS, SECTIONS, report_sections

_TITLES = {"footprints": "Footprints", "launches": "Launch sites", "regions": "Regions of interest",
           "places": "Places in range", "gains": "What the longer range adds",
           "gain_regions": "What the longer range adds: regions", "gain_places": "Places newly in range"}
_PERCENT = {"share", "share_shorter", "share_longer"}
_FORMATS = {"max_error_m": "{:.3f}", "lon": "{:.4f}", "lat": "{:.4f}", "distance_km": "{:,.1f}", "range_km": "{:g}"}
# Long text columns stay in JSON / CSV; the people-facing tables leave them out.
_HIDDEN_IN_TABLES = {"source", "status_note", "launch"}


def _fmt(value, key: str = "") -> str:
    if key in _PERCENT:
        return f"{100 * value:.1f} %"
    if isinstance(value, float):
        return _FORMATS.get(key, "{:,.1f}").format(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _text_table(rows: list[dict], keys: list[str]) -> str:
    if not rows:
        return "(none)\n"
    cells = [[_fmt(r[k], k) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    numeric = [isinstance(rows[0][k], (int, float)) for k in keys]
    out = ["  ".join(k.ljust(w) for k, w in zip(keys, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cell, widths, numeric)) for cell in cells]
    return "\n".join(out) + "\n"


def _markdown_table(rows: list[dict], keys: list[str]) -> str:
    if not rows:
        return "(none)\n"
    out = ["| " + " | ".join(keys) + " |", "|" + "|".join("---" for _ in keys) + "|"]
    out += ["| " + " | ".join(markdown_text(_fmt(r[k], k)) for k in keys) + " |" for r in rows]
    return "\n".join(out) + "\n"


def format_report(result: ScenarioResult, fmt: str = "table") -> str:
    """Format a scenario's report.

    Parameters
    ----------
    result : ScenarioResult
    fmt : {"table", "markdown", "csv", "json"}
        CSV is one table: a ``table`` column says which section each row is
        from, with the union of the sections' columns.

    Returns
    -------
    str
    """
    report = report_sections(result)
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        keys = ["table"] + list(dict.fromkeys(k for s in SECTIONS for k in COLUMNS[s]))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        for section in SECTIONS:
            for row in report[section]:
                writer.writerow({"table": section, **{k: csv_cell(v) for k, v in row.items()}})
        return buffer.getvalue()
    if fmt not in ("table", "markdown"):
        raise ValueError(f"unknown report format {fmt!r}")
    s = report["scenario"]
    markdown = fmt == "markdown"
    table = _markdown_table if markdown else _text_table
    head = (f"# {markdown_text(s['title'])}\n\n{markdown_text(s['date'])}\n\n" if markdown
            else f"{s['title']}\n{s['date']}\n\n")
    parts = [head]
    for section in SECTIONS:
        title = _TITLES[section]
        if section == "places":
            title += f" (population >= {s['min_population']:,}" + (
                f"; in {', '.join(s['places_in'])}" if s["places_in"] else "") + ")"
        parts.append(f"## {markdown_text(title)}\n\n" if markdown else f"{title}\n")
        keys = [k for k in COLUMNS[section] if k not in _HIDDEN_IN_TABLES]
        parts.append(table(report[section], keys) + "\n")
    sources = "; ".join(s["sources"])
    credits = "; ".join(s["data_credits"])
    parts.append(f"Sources: {markdown_text(sources) if markdown else sources}\n")
    parts.append(f"{'' if not markdown else chr(10)}Data: {markdown_text(credits) if markdown else credits}\n")
    return "".join(parts)


def reach_summary(target_label: str, weapon_label: str, range_km: float, launch_id: str, launch_label: str,
                  zone) -> str:
    """One line on where a target can be reached from in one launch area (what ``rangemap reach`` prints).

    Parameters
    ----------
    target_label, weapon_label : str
    range_km : float
    launch_id, launch_label : str
        The launch group.
    zone : rangemap.model.reach.LaunchZone

    Returns
    -------
    str

    Examples
    --------
    >>> import shapely
    >>> from rangemap.model.reach import LaunchZone
    >>> zone = LaunchZone(shapely.box(35, 50, 36, 51), 7890.4, 12345.6, 35.5, 50.5)
    >>> print(reach_summary("Kursk", "ATACMS", 300, "kursk", "the border", zone).replace("; ", ";\\n"))
    Kursk ← ATACMS 300 km, launch area kursk (the border): in range from 7,890 km² of it;
    nearest launch point 12.346 km away at 35.50000, 50.50000
    """
    if zone.geometry.is_empty:
        where = "out of range from all of it"
    elif zone.area_km2 > 0:
        where = f"in range from {zone.area_km2:,.0f} km² of it"
    else:  # a zone of lines or points only has no area
        where = "in range from part of its lines or points"
    return (f"{target_label} ← {weapon_label} {range_km:g} km, launch area {launch_id} ({launch_label}): {where}; "
            f"nearest launch point {zone.nearest_distance_m / 1000:,.3f} km away at {zone.nearest_lon_deg:.5f}, "
            f"{zone.nearest_lat_deg:.5f}")


__all__ = ["csv_cell", "format_report", "reach_summary"]
