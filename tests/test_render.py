"""Map HTML without a browser: sizes, offline self-containment, escaping helper."""

import re

from rangemap.outputs.page import escape_text, render_html


def test_sizes_and_offline_has_no_remote_resources(default_result):
    offline = render_html(default_result, offline=True)
    online = render_html(default_result, offline=False)
    assert len(offline.encode()) <= 3_000_000
    assert len(online.encode()) <= 1_500_000
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"'](https?:)?//", offline)
    assert "L.tileLayer" not in offline and "L.tileLayer" in online
    assert "L.Control.Measure" in online or "measure" in online.lower()
    assert "fullscreen" in online.lower()


def test_escape_text_neutralises_html_and_template_literals():
    text = escape_text("<script>`${x}`\\</script>\"'")
    assert "<" not in text and ">" not in text and "`" not in text and "${" not in text and "\\" not in text
    assert '"' not in text and "'" not in text
