"""``aikg serve``: run the app under uvicorn (registered by aikg.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from aikg.cli_common import HostOpt


def serve(
    store: Annotated[
        Optional[str],
        typer.Option(
            "--store", envvar="AIKG_STORE", help="Store directory or SPARQL endpoint URL [default: ./aikg-data]."
        ),
    ] = None,
    host: HostOpt = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", envvar="AIKG_PORT", help="Port (0: any free port).")] = 8000,
    token_file: Annotated[
        Optional[Path],
        typer.Option(
            "--token-file",
            help="Read the write token from this file (else $AIKG_TOKEN; none: writes off).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    allow_public: Annotated[
        bool,
        typer.Option("--allow-public", help="Allow a non-loopback --host without a token (read-only to everyone)."),
    ] = False,
    query_timeout: Annotated[
        Optional[float], typer.Option("--query-timeout", help="Seconds a SPARQL query may run [default: 30].")
    ] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
    watch: Annotated[
        Optional[list[str]],
        typer.Option(
            "--watch",
            metavar="URL",
            help="Poll this feed, OPML list or page and ingest what is new (repeatable); "
            "a background thread writing like POST /articles.",
        ),
    ] = None,
    every: Annotated[
        Optional[str],
        typer.Option("--every", help="Time between two polling rounds of --watch: 30s, 15m, 1h [default: 15m]."),
    ] = None,
    fetch_state: Annotated[
        Optional[str],
        typer.Option(
            "--fetch-state",
            metavar="FILE",
            help="Where --watch keeps ETags and failures [default: in a local store's directory].",
        ),
    ] = None,
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
    if watch:
        values["watch"] = watch
    if every is not None:
        values["watch_every"] = every
    if fetch_state is not None:
        values["fetch_state"] = fetch_state
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        messages = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        typer.echo(f"aikg serve: error: {messages}", err=True)
        raise typer.Exit(2) from exc
    from aikg.cli_common import port_problem

    problem = port_problem(settings.host, settings.port)
    if problem:
        typer.echo(f"aikg serve: error: {problem}", err=True)
        raise typer.Exit(1)
    from kg.store import is_remote

    if not is_remote(settings.store):
        # Fail here with one line, not with uvicorn's startup traceback.
        from kg.errors import StoreError
        from kg.store import LocalStore

        try:
            LocalStore(settings.store).close()
        except StoreError as exc:
            typer.echo(f"aikg serve: error: {exc}", err=True)
            raise typer.Exit(1) from exc
    writes = "on (bearer token)" if settings.token is not None else "off (no AIKG_TOKEN)"
    typer.echo(f"aikg: serving {settings.store} at http://{settings.host}:{settings.port}/ - writes {writes}", err=True)
    if settings.watch:
        typer.echo(f"aikg: polling {len(settings.watch)} sources every {settings.watch_every}", err=True)
    if settings.host in ("0.0.0.0", "::") and not settings.allowed_hosts:
        typer.echo(
            "aikg: note: only requests to localhost, 127.0.0.1 or [::1] are answered (400 otherwise); "
            "set AIKG_ALLOWED_HOSTS to the names clients reach this server by",
            err=True,
        )
    from api.httplayer import protocol_class

    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        http=protocol_class(settings.header_timeout),
        limit_concurrency=settings.max_connections,
    )
    server = _notifying_server(config, on_exit=app.state.shutting_down.set)
    server.run()
    if not server.started:
        # uvicorn logged why (a port taken after our check, a failing startup).
        raise typer.Exit(3)


#: Seconds requests in flight get to finish after SIGTERM. A POST /articles stops after
#: the batch it is in (and answers 503), so this only needs to cover one batch of
#: extraction on a loaded machine; past it uvicorn cancels what still runs.
GRACEFUL_SHUTDOWN_SECONDS = 30


def _notifying_server(config, *, on_exit):
    """Return a uvicorn server that calls ``on_exit`` the moment a shutdown signal arrives.

    uvicorn tells the app of a shutdown (lifespan) only once the requests in flight are
    done; a long write must know at once to stop after its current batch.
    """
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            # Runs in the signal handler: only sets a flag, nothing that could block.
            on_exit()
            super().handle_exit(sig, frame)

    return Server(config)


def app_factory():
    """Return an app configured from the environment (``uvicorn --factory aikg.cli_serve:app_factory``)."""
    from api.app import create_app

    return create_app()


__all__ = ["serve", "app_factory"]
