import os
import shutil

import pytest


def pytest_sessionstart(session):
    # CI sets this so that a missing Chromium fails the run instead of skipping the browser tests.
    if os.environ.get("RANGEMAP_REQUIRE_BROWSER") == "1" and shutil.which("chromium") is None:
        raise pytest.UsageError("RANGEMAP_REQUIRE_BROWSER=1 but no `chromium` on PATH (apt-get install chromium)")


@pytest.fixture(scope="session")
def default_result():
    """The default scenario, computed once for the whole session."""
    from rangemap.model.results import run_scenario
    from rangemap.model.scenario import load_scenario

    return run_scenario(load_scenario())


@pytest.fixture(scope="module")
def browser():
    """The system Chromium through Playwright, one per test module (skipped or failed as pages.launch_browser says)."""
    from playwright.sync_api import sync_playwright

    from pages import launch_browser

    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()
