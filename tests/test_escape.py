"""rangemap.io.escape: hostile strings stay data in every context (script JSON, HTML, scripts, Markdown, CSV)."""

import html
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rangemap.io.escape import csv_cell, escape_text, inline_script, markdown_text, mathtext_plain, script_json

HOSTILE = [
    "</script><script>alert(1)</script>",
    "</SCRIPT >",
    "<!-- <script>",
    "-->",
    "\u2028\u2029",
    "`${alert(1)}`",
    "${x}",
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    "{# c #}",
    "\\u0060 \\",
    '"quoted" \'single\'',
    "&amp; &lt;",
    "\x00\x1b[31m",
    "\ud800",  # a lone surrogate: JSON can carry it, escaped or not
]
# Text of every kind, including what a template, a script element or a JavaScript parser treats specially.
TEXT = st.text(alphabet=st.characters(codec=None) | st.sampled_from(list("<>&/!-`${}%#\\\"'\u2028\u2029")))
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                           | TEXT,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                           max_leaves=12)


def assert_inert_in_script(text: str):
    for bad in ("</", "<!--", "<", ">", "&", "`", "${", "{{", "{%", "{#", "\u2028", "\u2029"):
        assert bad not in text, (bad, text)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_script_json_of_a_hostile_string_is_inert_and_parses_back(hostile):
    for compact in (True, False):
        text = script_json({"k": hostile, hostile: [hostile]}, compact=compact)
        assert_inert_in_script(text)
        assert json.loads(text) == {"k": hostile, hostile: [hostile]}


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_script_json_parses_back_to_the_same_value_and_never_closes_the_element(value):
    text = script_json(value)
    assert json.loads(text) == value
    assert "</" not in text and "<!--" not in text
    assert_inert_in_script(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_escape_text_leaves_no_markup_template_or_template_literal(text):
    escaped = escape_text(text)
    for bad in ("<", ">", '"', "'", "`", "$", "{", "}", "\\"):
        assert bad not in escaped, (bad, escaped)
    assert html.unescape(escaped) == text  # nothing lost: the browser shows the text as written


@pytest.mark.parametrize("hostile", HOSTILE)
def test_escape_text_of_hostile_strings(hostile):
    escaped = escape_text(hostile)
    assert "<" not in escaped and "{{" not in escaped and "${" not in escaped and "`" not in escaped
    assert html.unescape(escaped) == hostile


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_inline_script_cannot_be_closed_and_changes_nothing_else(source):
    inlined = inline_script(source)
    assert "</script" not in inlined.lower()
    assert inlined.replace("<\\/", "</") == source.replace("<\\/", "</")


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_markdown_text_is_one_line_with_every_special_character_escaped(text):
    out = markdown_text(text)
    assert "\n" not in out and "\r" not in out
    unescaped = out
    for ch in "\\|*_`[]<>#":
        unescaped = unescaped.replace("\\" + ch, "")
    assert not any(ch in unescaped for ch in "|*_`[]<>#")


@pytest.mark.parametrize("cell,expected", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"),
                                           ("\tx", "'\tx"), ("\rx", "'\rx"), ("Kursk", "Kursk"), (-1.5, -1.5),
                                           (None, None)])
def test_csv_cell_keeps_formulas_as_text(cell, expected):
    assert csv_cell(cell) == expected


def test_mathtext_plain_shows_dollars_as_written():
    assert mathtext_plain("$\\alpha$ 5$") == "\\$\\alpha\\$ 5\\$"
