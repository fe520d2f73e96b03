"""The notebook runs top to bottom from a fresh kernel, offline, and is committed without outputs."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "range_scenarios.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.slow
def test_notebook_runs_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    images = [o for o in outputs if o.output_type == "execute_result" and "image/png" in o.get("data", {})]
    assert len(images) == 3  # default, what-if and antimeridian static maps, inline
    # Interactive maps are written to files, not embedded: the notebook stays small.
    assert not any("<iframe" in o.get("data", {}).get("text/html", "") for o in outputs)
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert printed.count("interactive map:") == 2
    tables = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "%" in tables and "0.976" not in tables
