"""Opening rangemap's maps in Chromium for tests: wait for the page's own ready signal, collect what went wrong."""

import os
import shutil

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
READY = "document.documentElement.dataset.rangemapReady === 'yes'"
# Generous: the signal is explicit, so a long wait only costs time on a failure, never flakiness on a busy machine.
READY_TIMEOUT_MS = 120_000


def launch_browser(playwright):
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("RANGEMAP_REQUIRE_BROWSER") == "1":
            pytest.fail("RANGEMAP_REQUIRE_BROWSER=1 but no chromium on PATH")
        pytest.skip("no chromium on PATH (Debian/Ubuntu: apt-get install chromium)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def open_page(browser, path, viewport=(1400, 900)):
    """Open a map file and wait until its script has added every layer (the page sets ``data-rangemap-ready``).

    Returns the page and a log of requests, console errors, page errors and dialogs.
    """
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.set_default_timeout(READY_TIMEOUT_MS)
    log = {"requests": [], "errors": [], "dialogs": []}
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    if not log["errors"]:
        page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    return page, log


def map_name(page):
    return page.evaluate("Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)")


def overlay_labels(page):
    return [t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]


# Every popup's content, opened one at a time, and every tooltip's; plus all text outside scripts and styles.
ALL_TEXT_JS = """(n) => {
  const m = window[n]; const texts = [];
  m.eachLayer(l => {
    if (l.getPopup && l.getPopup()) {
      try { l.openPopup(); } catch (e) { l.openPopup(l.getBounds ? l.getBounds().getCenter() : m.getCenter()); }
      document.querySelectorAll('.leaflet-popup-content').forEach(e => texts.push(e.textContent));
      m.closePopup();
    }
    if (l.getTooltip && l.getTooltip()) {
      try { l.openTooltip(); } catch (e) {}
      document.querySelectorAll('.leaflet-tooltip').forEach(e => texts.push(e.textContent));
      try { l.closeTooltip(); } catch (e) {}
    }
  });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: t =>
    ['SCRIPT', 'STYLE', 'TEMPLATE'].includes(t.parentNode.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walker.nextNode()) texts.push(walker.currentNode.nodeValue);
  texts.push(document.title);
  return texts.join('\\n');
}"""
