"""One store of uploaded drafts for all the processes of ``remedy serve --workers``.

Each worker process of the web page answers whichever request comes to it, so a draft held by
the process that read it was "no longer held" for the next request half the time. With several
workers, ``remedy serve`` starts one small store process (:func:`start`) holding a
:class:`~remedy_model.web.drafts.DraftStore` in memory, as a single process holds its own;
each worker reaches it through :class:`SharedDrafts`, over a local connection that only holders
of the run's random key may use. Nothing is written to disk.
"""

from __future__ import annotations

import secrets
from multiprocessing.managers import BaseManager

from remedy_model import api
from remedy_model.web.drafts import DraftStore

SERVE_DRAFTS = "REMEDY_SERVE_DRAFTS"
"""Environment variable telling each worker where the store is: ``ADDRESS|KEY`` (hex key)."""

_STORE: DraftStore | None = None


def _the_store() -> DraftStore:
    """The store, in the store process (every worker gets the same one)."""
    global _STORE
    if _STORE is None:
        _STORE = DraftStore()
    return _STORE


class _StoreManager(BaseManager):
    """The store process and the workers' connections to it."""


_StoreManager.register("store", callable=_the_store, exposed=("put", "get"))


def start() -> tuple[BaseManager, str]:
    """Start the store process.

    Returns
    -------
    manager : BaseManager
        Call its ``shutdown()`` when the server stops.
    where : str
        The value of :data:`SERVE_DRAFTS` for the workers.
    """
    key = secrets.token_bytes(32)
    manager = _StoreManager(authkey=key)
    manager.start()
    return manager, f"{manager.address}|{key.hex()}"


class SharedDrafts:
    """The store's ``put`` and ``get``, from a worker process.

    Parameters
    ----------
    where : str
        The value :func:`start` gave (``ADDRESS|KEY``).
    """

    def __init__(self, where: str) -> None:
        address, _, key = where.rpartition("|")
        manager = _StoreManager(address=address, authkey=bytes.fromhex(key))
        manager.connect()
        self._store = manager.store()

    def put(self, draft: api.Draft) -> str:
        """Hold ``draft`` in the shared store; return its token."""
        return self._store.put(draft)

    def get(self, token: str) -> api.Draft | None:
        """The draft held under ``token``; ``None`` also when the store cannot be reached."""
        try:
            return self._store.get(token)
        except (OSError, EOFError):
            return None
