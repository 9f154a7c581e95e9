"""Errors a user can cause, each with a one-line message naming the problem and the place.

The CLI prints these without a traceback and exits with status 2.
"""


class RemedyError(Exception):
    """Base for every error caused by user input (files, flags, model files)."""


class DataError(RemedyError, ValueError):
    """A data file or record is missing, malformed or holds an impossible value."""


class ModelFileError(RemedyError):
    """A model file is missing, corrupted, not ours, or made by another version."""


class InputError(RemedyError, ValueError):
    """A query (flags, a case file, a proposed sum) cannot be used."""
