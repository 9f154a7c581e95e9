"""The thin notebooks run top to bottom against the installed package."""

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["1.0-explore-cases.ipynb", "2.0-investigator-walkthrough.ipynb"])
def test_notebook_executes_without_errors(name):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert outputs, "the notebook printed nothing"
    assert not [o for o in outputs if o.get("output_type") == "error"]
