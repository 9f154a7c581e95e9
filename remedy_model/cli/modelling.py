"""The model commands: ``remedy train`` and ``remedy evaluate``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from remedy_model import config
from remedy_model.cli.common import JsonOption, app, console, err_console, print_json


@app.command()
def train(
    cases: list[Path] = typer.Option(
        None, "--cases", help="Extra case file(s) in the codebook's form (repeatable)."
    ),
    model: Path = typer.Option(None, "--model", help="Where to write the model."),
    as_json: bool = JsonOption,
) -> None:
    """Fit the payment and precedent models on the embedded cases (plus --cases) and save them."""
    from remedy_model import api

    with err_console().status("Training and cross-validating..."):
        result = api.train(cases or (), model_path=model)
    for error in result.skipped:
        err_console().print(f"skipped {escape(str(error))}")
    info = {
        **result.model.info,
        "model": str(result.path),
        "sidecar": str(result.sidecar),
        "seconds": round(result.seconds, 2),
        "skipped_lines": len(result.skipped),
    }
    if as_json:
        print_json(info)
        return
    console().print(
        f"Trained on {info['n_cases']} cases ({info['n_trainable']} with a visible remedy, "
        f"{info['n_paid']} paid) in {info['seconds']} s -> {escape(str(result.path))}"
    )


@app.command()
def evaluate(
    cases: list[Path] = typer.Option(None, "--cases", help="Extra case file(s) (repeatable)."),
    folds: int = typer.Option(5, help="Cross-validation folds."),
    repeats: int = typer.Option(3, help="Repeats with different fold splits."),
    jobs: int = typer.Option(
        1, "--jobs", min=1, max=config.MAX_JOBS, help="Repeats run in parallel processes."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Grouped cross-validation: the model beside three baselines, with and without press cases."""
    from rich.progress import Progress

    from remedy_model import api

    total = 2 * (folds if jobs == 1 else 1) * repeats
    err = err_console()
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("cross-validating", total=total)
        result, data_id = api.evaluate(
            cases or (),
            folds=folds,
            repeats=repeats,
            progress=lambda: bar.advance(task),
            n_jobs=jobs,
        )
    if as_json:
        print_json(
            {
                "data_hash": data_id,
                "folds": folds,
                "repeats": repeats,
                **result.to_dict(),
            }
        )
        return
    from remedy_model.render import print_evaluation

    print_evaluation(console(), result, data_id, folds, repeats)
