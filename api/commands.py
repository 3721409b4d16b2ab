"""``aikg serve``: run the app under uvicorn (registered by kg.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def serve(
    store: Annotated[Optional[str], typer.Option(
        "--store", envvar="AIKG_STORE", help="Store directory or SPARQL endpoint URL [default: ./aikg-data].")] = None,
    host: Annotated[str, typer.Option("--host", envvar="AIKG_HOST", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", envvar="AIKG_PORT", help="Port (0: any free port).")] = 8000,
    token_file: Annotated[Optional[Path], typer.Option(
        "--token-file", help="Read the write token from this file (else $AIKG_TOKEN; none: writes off).",
        exists=True, dir_okay=False)] = None,
    allow_public: Annotated[bool, typer.Option(
        "--allow-public", help="Allow a non-loopback --host without a token (read-only to everyone).")] = False,
    query_timeout: Annotated[Optional[float], typer.Option(
        "--query-timeout", help="Seconds a SPARQL query may run [default: 30].")] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> None:
    """Serve the SPARQL endpoint, REST API and pages until interrupted.

    The token never comes from a command-line argument (shell history, process list):
    only from ``$AIKG_TOKEN`` or ``--token-file``.
    """
    import uvicorn
    from pydantic import ValidationError

    from api.app import create_app
    from api.settings import Settings

    values: dict = {"host": host, "port": port}
    if store:
        values["store"] = store
    if allow_public:
        values["allow_public"] = True
    if query_timeout is not None:
        values["query_timeout"] = query_timeout
    if token_file is not None:
        values["token"] = token_file.read_text(encoding="utf-8").strip()
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        messages = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        typer.echo(f"aikg serve: error: {messages}", err=True)
        raise typer.Exit(2) from exc
    from kg.cli_common import port_problem

    problem = port_problem(settings.host, settings.port)
    if problem:
        typer.echo(f"aikg serve: error: {problem}", err=True)
        raise typer.Exit(1)
    if not settings.store.startswith(("http://", "https://")):
        # Fail here with one line, not with uvicorn's startup traceback.
        from kg.errors import StoreError
        from kg.store import LocalStore

        try:
            LocalStore(settings.store).close()
        except StoreError as exc:
            typer.echo(f"aikg serve: error: {exc}", err=True)
            raise typer.Exit(1) from exc
    writes = "on (bearer token)" if settings.token is not None else "off (no AIKG_TOKEN)"
    typer.echo(f"aikg: serving {settings.store} at http://{settings.host}:{settings.port}/ - writes {writes}",
               err=True)
    if settings.host in ("0.0.0.0", "::") and not settings.allowed_hosts:
        typer.echo("aikg: note: only requests to localhost, 127.0.0.1 or [::1] are answered (400 otherwise); "
                   "set AIKG_ALLOWED_HOSTS to the names clients reach this server by", err=True)
    from api.httplayer import protocol_class

    # On SIGTERM, requests in flight get 45 s to finish: a POST /articles of many batches
    # can need that on a loaded machine, and cancelling it answers 500 for batches that
    # complete anyway. (Better, not done: stop after the current batch and answer 503.)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=log_level,
                timeout_graceful_shutdown=45, http=protocol_class(settings.header_timeout),
                limit_concurrency=settings.max_connections)


def app_factory():
    """Return an app configured from the environment (``uvicorn --factory api.commands:app_factory``)."""
    from api.app import create_app

    return create_app()


__all__ = ["serve", "app_factory"]
