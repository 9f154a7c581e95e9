"""The local web page for investigators (``remedy serve``).

- :mod:`remedy_model.web.app`: ``create_app``, the FastAPI app around one model;
- :mod:`remedy_model.web.pages`: the case form, the answer, its downloads and its note;
- :mod:`remedy_model.web.upload`, :mod:`remedy_model.web.drafts`: a draft decision, read once
  and held in memory for a while (:mod:`remedy_model.web.shared_drafts`: by one store process
  for all the processes of ``remedy serve --workers``);
- :mod:`remedy_model.web.trends`: the policy report inside the app;
- :mod:`remedy_model.web.api_routes`: ``POST /api/suggest`` and its schema;
- :mod:`remedy_model.web.forms`, :mod:`remedy_model.web.views`, :mod:`remedy_model.web.charts`,
  :mod:`remedy_model.web.errors`, :mod:`remedy_model.web.security`: the pieces they share;
- the ``remedy serve`` command is in :mod:`remedy_model.cli.serve`.

Presentation only: the web imports :mod:`remedy_model.api` (and :mod:`remedy_model.style` for
formatting), nothing else of the package. This package file imports nothing, so the command
line can register ``serve`` cheaply.
"""
