"""The local web page for investigators (``remedy serve``).

- :mod:`remedy_model.web.forms`: the case form's fields and reading a submission;
- :mod:`remedy_model.web.app`: the FastAPI app (pages, JSON API, document upload, trends);
- :mod:`remedy_model.web.command`: the ``remedy serve`` command.

Presentation only: every figure on the page comes from :mod:`remedy_model.api`. This package
file imports nothing, so the command line can register ``serve`` cheaply.
"""
