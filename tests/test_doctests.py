"""Every docstring example in the package runs (`make test` runs them here)."""

import doctest
import importlib
import pkgutil

import pytest

import rangemap

# rangemap.cli.__main__ runs the CLI when imported.
MODULES = sorted(m.name for m in pkgutil.walk_packages(rangemap.__path__, "rangemap.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (run with -s)"
