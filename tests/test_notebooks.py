"""The thin notebooks run top to bottom against the installed package."""

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


class TestNotebooks:
    """Each notebook executes without errors and shows its conclusion."""

    @pytest.mark.slow
    @pytest.mark.parametrize(
        "name", ["1.0-explore-cases.ipynb", "2.0-investigator-walkthrough.ipynb"]
    )
    def test_notebook_executes_without_errors(self, name):
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
        if name.startswith("2.0"):
            shown = " ".join(
                str(o.get("text") or o.get("data", {}).get("text/plain", "")) for o in outputs
            )
            assert "NaN" not in shown and " nan" not in shown and "distance" not in shown
            assert "The proposed £500 is" in shown  # the conclusion
            assert any("image/png" in o.get("data", {}) for o in outputs)
