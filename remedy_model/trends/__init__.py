"""Remedy trends for policy staff: how symbolic payments move over years, faults and groups.

The work is split in one-way steps:

- :mod:`remedy_model.trends.tables`: the cases frame and each table (pure pandas);
- :mod:`remedy_model.trends.plots`: one print-readable matplotlib figure per table;
- :mod:`remedy_model.trends.report`: CSVs, PNGs and one self-contained ``report.html``;
- the ``remedy trends`` command is in :mod:`remedy_model.cli.policy`.

This package file imports nothing heavy, so the command line can register the command cheaply.
"""
