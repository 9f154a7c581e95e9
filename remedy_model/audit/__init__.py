"""The consistency audit for policy staff: which remedies sit far from their peers, and whether
that is improving.

Every upheld case with a visible symbolic sum is compared with the sum a model that never saw
it expects (out of fold, grouped by complaint: :func:`remedy_model.evaluate.out_of_fold`).

- :mod:`remedy_model.audit.tables`: the scored cases and the consistency tables (pandas);
- :mod:`remedy_model.audit.change`: whether consistency changed between early and late years;
- :mod:`remedy_model.audit.plots`: the figures;
- :mod:`remedy_model.audit.report`: CSVs and one self-contained ``report.html``;
- the ``remedy audit`` command is in :mod:`remedy_model.cli.policy`.

This package file imports nothing heavy, so the command line can register the command cheaply.
"""
