"""The embedded data, installed as the package ``remedy_model._data``.

pyproject.toml maps this folder into the package (``package-dir``), so the case table, its
codebook and the CPI series ship inside every install (editable or wheel) and are read through
``importlib.resources`` by :mod:`remedy_model.config`. The files here are the only copies.
"""
