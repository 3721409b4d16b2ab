"""What every ``aikg`` command module shares: the --store and time options, errors, opening stores."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.errors import AikgError

StoreOpt = Annotated[
    Optional[str],
    typer.Option("--store", envvar="AIKG_STORE", help="Store directory or SPARQL endpoint URL [default: ./aikg-data]."),
]

AsOfOpt = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        help="The graph as it stood on this day (YYYY-MM-DD, or YYYY-MM, or YYYY for its last day): "
        "relations by the dates their statements give, active ones only unless --ended (docs/TIME.md).",
    ),
]
EndedOpt = Annotated[
    Optional[bool],
    typer.Option(
        "--ended/--no-ended",
        show_default=False,
        help="Keep the relations that are over too (a former role, a stake sold). Default: kept without "
        "--as-of (the whole history), left out with it (the graph on that day).",
    ),
]


def option_message(message: str) -> str:
    """Return a library message about a date parameter as the command's option names it."""
    for name in ("as_of", "since", "until"):
        if message.startswith(name + " "):
            return "--" + name.replace("_", "-") + message[len(name) :]
    return message


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"aikg: error: {message}", err=True)
    return typer.Exit(code)


def open_for_command(store: str | None, *, must_exist: bool = False):
    """Open the store for a command; reading commands want one that exists.

    The embedded store is opened with its writer lock even to read: opening it read-only
    beside a running writer is undefined behaviour in RocksDB, so a second process gets a
    clear "locked" error pointing at the server URL instead.
    """
    from kg.backend import open_store
    from kg.store import is_remote, resolve_location

    loc = resolve_location(store)
    if must_exist and not is_remote(loc) and not (Path(loc) / "CURRENT").exists():
        raise fail(f"no aikg store at {loc}: run `aikg ingest` or `aikg load` first, or pass --store", 1)
    try:
        return open_store(loc)
    except AikgError as exc:
        raise fail(str(exc), 1) from exc


# Options that `aikg ingest` and `aikg watch` share (declared once, so their help agrees).
DateOpt = Annotated[
    Optional[str], typer.Option("--date", help="Publication date for articles without one (YYYY-MM-DD).")
]
BatchSizeOpt = Annotated[int, typer.Option("--batch-size", min=1, help="Articles per transaction.")]
NoValidateOpt = Annotated[bool, typer.Option("--no-validate", help="Skip SHACL validation of each batch.")]
HostOpt = Annotated[str, typer.Option("--host", envvar="AIKG_HOST", help="Address to bind.")]
MaxArticleOpt = Annotated[
    int,
    typer.Option(
        "--max-article-bytes",
        min=1,
        metavar="BYTES",
        help="Skip articles whose text is larger than this (UTF-8 bytes; plain-text "
        "and Markdown files by their size): long texts take minutes to parse.",
    ),
]


def port_problem(host: str, port: int, *, also: str = "AIKG_PORT=N") -> str | None:
    """Return why a server could not listen on host:port, or None when it can.

    The check binds the address the way uvicorn will (``SO_REUSEADDR``, so connections
    still closing do not count) and lets it go at once; port 0 (any free port) always fits.

    Args:
        host: the address to bind.
        port: the port.
        also: the other ways to choose the port, named in the message after ``--port N``.
    """
    import errno
    import socket

    if port == 0:
        return None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use: pick a free one with --port N (or {also})"
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def tidy_help(command) -> None:
    """Make every help page of a command tree read as plain sentences.

    Three things in Typer's Rich help are fixed here, once, for the whole tree: a type
    such as ``<bool>`` shown beside flags, which take no value; ``[default: ...]`` inside
    a help text, which Rich takes for markup and drops, leaving a stray space; and the
    env var and default, which Rich sets in aligned columns apart from the sentence, with
    gaps of spaces. Flags get an empty metavar, brackets are escaped, and the env var and
    default are written at the end of the help sentence instead.

    Args:
        command: the Click command Typer built (``typer.main.get_command``).
    """
    from enum import Enum

    from rich.markup import escape

    ctx = command.context_class(command)
    params = list(command.params)
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        params.append(help_option)
    for param in params:
        is_flag = getattr(param, "is_flag", False) or getattr(param, "count", False)
        if param.param_type_name == "option" and is_flag and param.metavar is None:
            param.metavar = ""
        notes = []
        if getattr(param, "show_envvar", False) and param.envvar:
            envvar = param.envvar if isinstance(param.envvar, str) else ", ".join(param.envvar)
            notes.append(f"[env var: {envvar}]")
            param.show_envvar = False
        if getattr(param, "show_default", False):
            default = _default_text(param, Enum)
            if default:
                notes.append(f"[default: {default}]")
            param.show_default = False
        text = " ".join(part for part in (getattr(param, "help", None), *notes) if part)
        if text:
            param.help = escape(text)
    if command.help:
        command.help = escape(command.help)
    if getattr(command, "short_help", None):
        command.short_help = escape(command.short_help)
    for sub in getattr(command, "commands", {}).values():
        tidy_help(sub)


def _default_text(param, enum_type: type) -> str | None:
    """Return an option's default as its help shows it, or None to show none."""
    default = param.default
    if default is None or callable(default):
        return None
    if isinstance(default, bool):
        if not param.secondary_opts:
            return None
        return (param.opts if default else param.secondary_opts)[0].lstrip("-")
    if isinstance(default, (list, tuple)):
        return ", ".join(str(d) for d in default) or None
    if isinstance(default, enum_type):
        return str(default.value)
    return str(default)
