"""The report of a scenario's results as text: a table, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from rangemap.results import ScenarioResult

_SECTIONS = ("footprints", "regions", "places")


def _rows(result: ScenarioResult) -> dict[str, list[dict]]:
    report = result.to_report()
    rows = {k: report[k] for k in _SECTIONS}
    for r in rows["regions"]:
        r["iso_3166_2"] = ",".join(r["iso_3166_2"])
    rows["footprints"] = [{k: v for k, v in f.items() if k != "source"} for f in rows["footprints"]]
    return rows


_FORMATS = {"share": "{:.4f}", "max_error_m": "{:.3f}", "lon": "{:.4f}", "lat": "{:.4f}", "distance_km": "{:,.1f}",
            "range_km": "{:g}"}


def _fmt(value, key: str = "") -> str:
    if isinstance(value, float):
        return _FORMATS.get(key, "{:,.1f}").format(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _text_table(rows: list[dict]) -> str:
    if not rows:
        return "(none)\n"
    keys = list(rows[0])
    cells = [[_fmt(r[k], k) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    line = "  ".join(k.ljust(w) for k, w in zip(keys, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) if rows[0][k].__class__ in (int, float) else c.ljust(w)
                      for c, w, k in zip(cell, widths, keys)) for cell in cells]
    return "\n".join(out) + "\n"


def _markdown_table(rows: list[dict]) -> str:
    if not rows:
        return "(none)\n"
    keys = list(rows[0])
    out = ["| " + " | ".join(keys) + " |", "|" + "|".join("---" for _ in keys) + "|"]
    out += ["| " + " | ".join(_fmt(r[k], k).replace("|", "\\|") for k in keys) + " |" for r in rows]
    return "\n".join(out) + "\n"


def format_report(result: ScenarioResult, fmt: str = "table") -> str:
    """Format a scenario's report.

    Parameters
    ----------
    result : ScenarioResult
    fmt : {"table", "markdown", "csv", "json"}
        CSV is one table: a ``table`` column says which section each row is
        from (footprints, regions, places), with the union of their columns.

    Returns
    -------
    str
    """
    if fmt == "json":
        return json.dumps(result.to_report(), indent=2, ensure_ascii=False) + "\n"
    rows = _rows(result)
    if fmt == "csv":
        keys = ["table"] + list(dict.fromkeys(k for s in _SECTIONS for r in rows[s] for k in r))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        for section in _SECTIONS:
            for r in rows[section]:
                writer.writerow({"table": section, **r})
        return buffer.getvalue()
    s = result.scenario
    table = _markdown_table if fmt == "markdown" else _text_table
    head = f"# {s.title}\n\n{s.date}\n\n" if fmt == "markdown" else f"{s.title}\n{s.date}\n\n"
    parts = [head]
    for section, title in zip(_SECTIONS, ("Footprints", "Regions of interest",
                                          f"Places in range (population >= {s.min_population:,})")):
        parts.append(f"## {title}\n\n" if fmt == "markdown" else f"{title}\n")
        parts.append(table(rows[section]) + "\n")
    for _launch_id, gain in result.gains:
        label = f"What {gain.longer} adds over {gain.shorter}: {gain.added_area_km2:,.0f} km²"
        parts.append((f"## {label}\n\n" if fmt == "markdown" else f"{label}\n"))
        parts.append(table(gain.regions.to_dict("records")) + "\n")
        names = ", ".join(gain.new_places.name) or "none"
        parts.append(f"Places newly in range: {names}\n\n")
    return "".join(parts)
