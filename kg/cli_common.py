"""What every ``aikg`` command module shares: the --store option, errors, opening stores."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.errors import AikgError

StoreOpt = Annotated[
    Optional[str],
    typer.Option("--store", envvar="AIKG_STORE",
                 help="Store directory or SPARQL endpoint URL [default: ./aikg-data]."),
]


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"aikg: error: {message}", err=True)
    return typer.Exit(code)


def open_for_command(store: str | None, *, must_exist: bool = False):
    """Open the store for a command; reading commands want one that exists.

    The embedded store is opened with its writer lock even to read: opening it read-only
    beside a running writer is undefined behaviour in RocksDB, so a second process gets a
    clear "locked" error pointing at the server URL instead.
    """
    from kg.store import open_store, resolve_location

    loc = resolve_location(store)
    if must_exist and not loc.startswith(("http://", "https://")) and not (Path(loc) / "CURRENT").exists():
        raise fail(f"no aikg store at {loc}: run `aikg ingest` or `aikg load` first, or pass --store", 1)
    try:
        return open_store(loc)
    except AikgError as exc:
        raise fail(str(exc), 1) from exc
