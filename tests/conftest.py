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
    from rangemap.results import run_scenario
    from rangemap.scenario import load_scenario

    return run_scenario(load_scenario())
