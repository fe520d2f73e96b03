"""Hostile text in every text field: it is shown literally, runs nothing, and loses nothing.

Scenario files, catalogs and launch files are shared between people, so every
string in them is treated as data. Each payload below goes into every text
field at once (each copy tagged with its field, so a lost copy is found by
name); the map is rendered online and offline, and the offline page is opened
in Chromium: no dialog, no page error, no injected element, no global set by
the payload, and every tagged copy visible as literal text.
"""

import json
import re
import subprocess
import sys

import pytest

from rangemap.outputs.page import escape_text, render_html
from rangemap.model.results import run_scenario
from rangemap.model.scenario import load_scenario

from pages import ALL_TEXT_JS, map_name, open_page

PAYLOADS = {
    "jinja-expr": "{{ 7*7 }}",
    "jinja-rce": "{{ lipsum.__globals__.os.popen(dict(id=1)|first).read() }}",
    "jinja-raw": "{% raw %}x{% endraw %}",
    "jinja-comment": "{# x #}kept",
    "jinja-open": "{{ open",
    "jinja-block-open": "{% if",
    "script-close": "</script><script>window.__pwned = 1</script>",
    "img-onerror": "<img src=x onerror=\"window.__pwned = 2\">",
    "img-via-jinja": "{{ '%c' % 60 }}img src=x onerror=window.__pwned=3{{ '%c' % 62 }}",
    "template-literal": "`${window.__pwned = 4}` \\u0060 \\",
}

# Text fields of a scenario, a user catalog and a launch file. Dates are TOML strings here (a TOML date is
# validated as a date).
FIELDS = ["title", "date", "notes", "source", "weapon.name", "weapon.label", "weapon.source", "catalog.name",
          "catalog.label", "catalog.source", "launch.label", "site.label", "file.label", "file.attribute",
          "group.weapon.name", "group.weapon.label", "group.launch.label"]


def tagged(field, payload):
    return f"[{field}] {payload}"


def hostile_scenario(tmp_path, payload):
    """Write a scenario whose every text field carries the payload; return its path."""
    t = {f: tagged(f, payload) for f in FIELDS}
    catalog = {"weapons": {"evil": {"name": t["catalog.name"], "label": t["catalog.label"], "range_km": 40,
                                    "source": t["catalog.source"], "aliases": ["evil-alias"]}}}
    front = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": t["file.attribute"]},
             "geometry": {"type": "LineString", "coordinates": [[35.0, 47.5], [35.4, 47.7]]}}]}
    (tmp_path / "front.geojson").write_text(json.dumps(front), encoding="utf-8")
    (tmp_path / "cat.toml").write_text(_toml(catalog), encoding="utf-8")
    scenario = {"name": "hostile", "title": t["title"], "date": t["date"], "notes": t["notes"],
                "sources": [t["source"]], "catalog": "cat.toml", "min_population": 10_000,
                "weapons": ["evil", {"name": t["weapon.name"], "label": t["weapon.label"], "range_km": 25,
                                     "source": t["weapon.source"]}],
                "regions": ["Zaporizhzhia"],
                "launch": [{"id": "g1", "label": t["launch.label"],
                            "sites": [{"point": [35.1, 47.8], "label": t["site.label"]},
                                      {"file": "front.geojson", "label": t["file.label"]}]},
                           {"id": "g2", "label": t["group.launch.label"],
                            "weapons": [{"id": "group-w", "name": t["group.weapon.name"],
                                         "label": t["group.weapon.label"], "range_km": 30}],
                            "sites": [{"point": [33.5, 47.0]}]}]}
    path = tmp_path / "hostile.toml"
    path.write_text(_toml(scenario), encoding="utf-8")
    return path


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _toml(data, prefix=""):
    """A tiny TOML writer for the shapes above (strings, numbers, lists, inline tables, one level of tables)."""
    def value(v):
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return "{ " + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items()) + " }"

    lines, tables = [], []
    for k, v in data.items():
        if k == "launch":
            for g in v:
                tables.append("[[launch]]\n" + "\n".join(f"{json.dumps(a)} = {value(b)}" for a, b in g.items()))
        elif k == "weapons" and isinstance(v, dict):
            for wid, entry in v.items():
                tables.append(f"[weapons.{json.dumps(wid)}]\n" +
                              "\n".join(f"{json.dumps(a)} = {value(b)}" for a, b in entry.items()))
        else:
            lines.append(f"{json.dumps(k)} = {value(v)}")
    return "\n".join(lines) + "\n\n" + "\n\n".join(tables) + "\n"


@pytest.mark.parametrize("payload_id", list(PAYLOADS))
def test_payload_in_every_field_online_html_is_inert(tmp_path, payload_id):
    payload = PAYLOADS[payload_id]
    result = run_scenario(load_scenario(hostile_scenario(tmp_path, payload)))
    page = render_html(result, offline=False)
    assert "uid=" not in page and "gid=" not in page  # the shell command never ran
    # As escaped HTML, inside GeoJSON properties (folium's HTML-safe JSON writes "&" as \u0026), or as a string
    # in the page's JSON data block (which the page script inserts as text, never as HTML).
    block = re.search(r"<script type='application/json' id='rangemap-data'>(.*?)</script>", page, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    strings = "\n".join(_strings(json.loads(block)))
    forms = {f: (escape_text(tagged(f, payload)), escape_text(tagged(f, payload)).replace("&", "\\u0026"))
             for f in FIELDS}
    missing = [f for f, (as_html, as_json) in forms.items()
               if as_html not in page and as_json not in page and tagged(f, payload) not in strings]
    assert missing == [], missing  # each copy is in the page whole, as escaped data: nothing evaluated or lost
    assert "<img src=x" not in page and "</script><script>window.__pwned" not in page
    assert "{{" not in page.split("<script>")[0].split("</title>")[-1]  # no template syntax reached the markup


# In a browser in CI only; the online HTML test checks every payload in the quick loop too.
QUICK_PAYLOADS: tuple[str, ...] = ()


@pytest.mark.browser
@pytest.mark.parametrize("payload_id", [p if p in QUICK_PAYLOADS else pytest.param(p, marks=pytest.mark.slow)
                                        for p in PAYLOADS])
def test_payload_in_every_field_offline_in_chromium(browser, tmp_path, payload_id):
    payload = PAYLOADS[payload_id]
    scenario = hostile_scenario(tmp_path, payload)
    out = tmp_path / "map.html"
    proc = subprocess.run([sys.executable, "-m", "rangemap.cli", "render", "--offline", "-q", str(scenario), "-o",
                           str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    page, log = open_page(browser, out)
    assert log["errors"] == [] and log["dialogs"] == []
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('[onerror],[onload],body script[src]').length") == 0
    text = page.evaluate(ALL_TEXT_JS, map_name(page))
    missing = [f for f in FIELDS if tagged(f, payload) not in text]
    assert missing == [], missing
    assert page.evaluate("window.__pwned") is None and log["dialogs"] == [] and log["errors"] == []
    page.close()
