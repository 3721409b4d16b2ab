"""Open a store: the one place that chooses a backend from a location.

A directory is an on-disk Oxigraph store (:class:`kg.store.LocalStore`); an
``http(s)://`` URL is a SPARQL 1.1 server (:class:`kg.remote.RemoteStore`), and an
``ENGINE+http(s)://`` URL names the server's engine (:mod:`kg.engines`). Callers get a
:class:`kg.store.Store` and type against it, so a new backend is added here alone.
"""

from __future__ import annotations

import os

from kg.remote import RemoteStore
from kg.store import LocalStore, Store, is_remote, resolve_location


def open_store(
    location: str | os.PathLike[str] | None = None, *, read_only: bool = False, token: str | None = None
) -> Store:
    """Open the store at a directory or a SPARQL server URL.

    Args:
        location: a directory, an ``http(s)://`` SPARQL endpoint (``virtuoso+http://``
            or ``fuseki+http://`` names the server's engine, see :mod:`kg.engines`), or
            None for ``$AIKG_STORE`` or ``./aikg-data``.
        read_only: open a local store without the writer lock.
        token: bearer token for writes to a remote store (default ``$AIKG_TOKEN``).

    Returns:
        The open store; close it (or use it as a context manager) when done.

    Raises:
        StoreError: a local store cannot be opened (locked by another writer, not a store).
    """
    loc = resolve_location(location)
    if is_remote(loc):
        return RemoteStore(loc, token=token if token is not None else os.environ.get("AIKG_TOKEN"))
    return LocalStore(loc, read_only=read_only)


__all__ = ["open_store"]
