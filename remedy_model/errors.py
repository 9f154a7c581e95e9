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
    """A query (flags, a case file, a proposed sum) cannot be used.

    ``field`` names the query field at fault (``"proposed"``, ``"category"``, ...) when there
    is one, so a form can show the message beside it and the CLI can name the flag; a position
    inside the field follows after dots (``"fault_types.1"``, ``"payments.0.amount_gbp"``).
    ``reason`` is the message without its place (what to show beside the field), the whole
    message by default.
    """

    def __init__(self, message: str, *, field: str | None = None, reason: str | None = None):
        super().__init__(message)
        self.field = field
        self.reason = message if reason is None else reason
