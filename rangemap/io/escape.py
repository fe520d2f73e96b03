r"""Text escaping for every output that could read text as code: HTML, ``<script>`` data, inlined scripts,
Markdown, spreadsheets and matplotlib labels.

Pure functions, no domain knowledge: the one place that decides how a string
becomes inert data in each context. Text from scenarios, catalogs and launch
files is untrusted, so each function leaves nothing that its context could run
or interpret: no tag can open or close, no template literal can end or
interpolate, no template engine (Jinja, which folium and branca use) can read
template syntax, no spreadsheet formula can start.

>>> hostile = "</script><!-- `${x}` {{ 7*7 }} \u2028"
>>> all(s not in script_json(hostile) for s in ("</", "<!--", "`", "${", "{{", "\u2028"))
True
>>> all(s not in escape_text(hostile) for s in ("<", "`", "${", "{{", "}}"))
True
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

# Characters that may end or interpolate a JavaScript template literal, or open template syntax (Jinja).
_HTML_ENTITIES = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})
# None of these can appear in JSON outside a string, so they may be replaced in the whole JSON text.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                                 "\u2029": "\\u2029", "`": "\\u0060", "$": "\\u0024"})
# Braces are JSON syntax too, so they are escaped inside string literals only.
_BRACE_ESCAPES = str.maketrans({"{": "\\u007b", "}": "\\u007d"})
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_SCRIPT_CLOSE = re.compile(r"</(script)", re.IGNORECASE)
_MARKDOWN_SPECIAL = "\\|*_`[]<>#"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_text(text: Any) -> str:
    """Text for HTML that folium may also place inside a JavaScript template literal.

    Parameters
    ----------
    text : object
        Converted with ``str``.

    Returns
    -------
    str
        HTML-escaped (``<``, ``>``, ``&``, both quotes), with backticks, ``$``
        and backslashes as entities so that nothing can end or interpolate a
        template literal, and braces as entities so that no template engine can
        read the text as template syntax.

    Examples
    --------
    >>> escape_text("<img src=x onerror=alert(1)> `${x}` {{ 7*7 }}")
    '&lt;img src=x onerror=alert(1)&gt; &#96;&#36;&#123;x&#125;&#96; &#123;&#123; 7*7 &#125;&#125;'
    >>> escape_text("</script><!--")
    '&lt;/script&gt;&lt;!--'
    """
    return html.escape(str(text), quote=True).translate(_HTML_ENTITIES)


def script_json(value: Any, *, compact: bool = True) -> str:
    r"""JSON that is inert inside a ``<script>`` element and in JavaScript source.

    ``<``, ``>`` and ``&`` never appear, so nothing can close the element
    (``</script>``) or open a comment (``<!--``); U+2028 and U+2029 (line ends
    to older JavaScript) are escaped; backticks and ``$`` are escaped, and so are
    braces inside strings, so no template literal or template engine can read
    the data as code. ``json.loads`` (or ``JSON.parse``) gives back the value.

    Parameters
    ----------
    value : JSON-serialisable
        No NaN or infinity (JSON has neither).
    compact : bool, optional
        No spaces after ``,`` and ``:`` (the default); else ``json.dumps``' spacing.

    Returns
    -------
    str

    Examples
    --------
    >>> script_json({"a": "</script><!--"})
    '{"a":"\\u003c/script\\u003e\\u003c!--"}'
    >>> script_json(["`${x}`", "{{ 7*7 }}"])
    '["\\u0060\\u0024\\u007bx\\u007d\\u0060","\\u007b\\u007b 7*7 \\u007d\\u007d"]'
    >>> script_json("\u2028\u2029") == '"\\u2028\\u2029"'
    True
    >>> json.loads(script_json({"k": "</script> {{ x }} `${y}`"}))
    {'k': '</script> {{ x }} `${y}`'}
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":") if compact else None)
    text = text.translate(_SCRIPT_ESCAPES)
    if "{" in text or "}" in text:
        text = _JSON_STRING.sub(lambda match: match.group(0).translate(_BRACE_ESCAPES), text)
    return text


def inline_script(source: str) -> str:
    """Trusted JavaScript source made safe to inline in one ``<script>`` element: ``</script`` cannot end it.

    Parameters
    ----------
    source : str
        Third-party or rangemap's own JavaScript (never user text: that goes
        through :func:`script_json`).

    Returns
    -------
    str
        The same program: ``</script`` in any case becomes ``<\\/script``, which
        means the same inside a JavaScript string or regular expression.

    Examples
    --------
    >>> inline_script('document.write("</SCRIPT>")')
    'document.write("<\\\\/SCRIPT>")'
    """
    return _SCRIPT_CLOSE.sub(r"<\\/\1", source)


def markdown_text(text: Any) -> str:
    r"""Text for a Markdown table cell or heading: table syntax, markup and HTML escaped, on one line.

    Examples
    --------
    >>> markdown_text("a|b *c* <img> [x](y) #1\nnext")
    'a\\|b \\*c\\* \\<img\\> \\[x\\](y) \\#1 next'
    """
    text = str(text)
    for ch in _MARKDOWN_SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: text starting with = + - @ (a formula) gets a leading '.

    Parameters
    ----------
    value : object
        Anything but text is returned as it is.

    Returns
    -------
    object

    Examples
    --------
    >>> csv_cell("=HYPERLINK(1)"), csv_cell("Kursk"), csv_cell(-1.5)
    ("'=HYPERLINK(1)", 'Kursk', -1.5)
    """
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def mathtext_plain(text: Any) -> str:
    r"""Text for a matplotlib label, shown as written: ``$`` would start mathtext, so it is escaped.

    Examples
    --------
    >>> mathtext_plain("$x^2$ km")
    '\\$x^2\\$ km'
    """
    return str(text).replace("$", r"\$")


__all__ = ["csv_cell", "escape_text", "inline_script", "markdown_text", "mathtext_plain", "script_json"]
