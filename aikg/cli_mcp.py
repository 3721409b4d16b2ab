"""``aikg mcp``: the Model Context Protocol server over stdio (registered by aikg.cli).

Kept apart from :mod:`api.mcp_server` so that registering the command does not import
the MCP SDK for every ``aikg`` invocation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def mcp(
    store: Annotated[
        Optional[str],
        typer.Option(
            "--store", envvar="AIKG_STORE", help="Store directory or SPARQL endpoint URL [default: ./aikg-data]."
        ),
    ] = None,
    token_file: Annotated[
        Optional[Path],
        typer.Option(
            "--token-file",
            help="Read the write token from this file (else $AIKG_TOKEN); with a token the "
            "ingest tool is offered, without one the tools only read.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    query_timeout: Annotated[
        Optional[float], typer.Option("--query-timeout", help="Seconds a SPARQL query may run [default: 30].")
    ] = None,
) -> None:
    """Serve the graph to an AI assistant over MCP on stdin/stdout until the client hangs up.

    An assistant (Claude Desktop, an IDE, any MCP client) starts this command and talks to
    it through its standard input and output; logs go to standard error. The tools search
    entities, read an entity's relations with evidence, find the relations and shortest
    paths between two entities, and run SPARQL (with the limits of /sparql) and the named
    queries. An embedded store is opened with its writer lock: beside a running
    ``aikg serve`` give the server's URL instead (or use its /mcp endpoint).
    """
    from importlib.util import find_spec

    from pydantic import ValidationError

    from api.settings import Settings

    if find_spec("mcp") is None:
        typer.echo("aikg mcp: error: the MCP SDK is not installed: pip install -c constraints.txt 'mcp'", err=True)
        raise typer.Exit(1)
    values: dict = {}
    if store:
        values["store"] = store
    if query_timeout is not None:
        values["query_timeout"] = query_timeout
    if token_file is not None:
        values["token"] = token_file.read_text(encoding="utf-8").strip()
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        messages = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        typer.echo(f"aikg mcp: error: {messages}", err=True)
        raise typer.Exit(2) from exc
    if not settings.store.startswith(("http://", "https://")):
        # Fail here with one line, before the client's first message.
        from kg.errors import StoreError
        from kg.store import LocalStore

        if not (Path(settings.store) / "CURRENT").exists():
            typer.echo(
                f"aikg mcp: error: no aikg store at {settings.store}: run `aikg ingest` or `aikg load` "
                "first, or pass --store",
                err=True,
            )
            raise typer.Exit(1)
        try:
            LocalStore(settings.store).close()
        except StoreError as exc:
            typer.echo(f"aikg mcp: error: {exc}", err=True)
            raise typer.Exit(1) from exc
    from api.app import create_app
    from api.mcp_server import run_stdio

    writes = "ingest tool on (token)" if settings.token is not None else "read-only (no token)"
    typer.echo(f"aikg mcp: serving {settings.store} over stdio - {writes}", err=True)
    try:
        run_stdio(create_app(settings), writable=settings.token is not None)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


__all__ = ["mcp"]
