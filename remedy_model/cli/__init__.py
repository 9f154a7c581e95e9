"""The ``remedy`` command: parses flags, calls :mod:`remedy_model.api`, prints (rich) or JSON.

One module per family of verbs (answers, models, documents, policy reports, the web page), all
registered on one typer app; :func:`main` runs it. The commands use :mod:`remedy_model.api`
only (and :mod:`remedy_model.render` to print); heavy libraries are imported inside commands so
``remedy --help`` answers at once. Every user error is one line on stderr with exit status 2.
"""

# The commands are listed in --help in the order they are registered, so these stay in order.
# isort: off
from remedy_model.cli import answers  # noqa: F401
from remedy_model.cli import modelling  # noqa: F401
from remedy_model.cli import documents  # noqa: F401
from remedy_model.cli import policy  # noqa: F401
from remedy_model.cli import serve  # noqa: F401

# isort: on
from remedy_model.cli.common import app, reflow_help
from remedy_model.cli.run import main

reflow_help(app)

__all__ = ["app", "main"]
