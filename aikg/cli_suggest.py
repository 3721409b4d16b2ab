"""``aikg curate duplicates`` and ``aikg curate suspects``: where a curator should look first.

Thin commands over :mod:`kg.suggest`: each reads a store (a directory or a SPARQL
endpoint URL, ``--store``) or asks a running aikg server for its lists (``--server``,
which answers ``/curation/suggestions.json``), and prints a table or JSON.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aikg.cli_common import StoreOpt, fail, open_for_command
from kg.errors import AikgError

ServerOpt = Annotated[
    Optional[str],
    typer.Option(
        "--server",
        metavar="URL",
        help="A running aikg server (e.g. http://127.0.0.1:8000): ask it for the list instead of reading a store.",
    ),
]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=0, help="How many to list, best first (0: all).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output (a JSON array).")]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cell(text: object) -> str:
    """Return text from the graph safe for a terminal table: no markup, no control characters."""
    return escape(_CONTROL.sub(" ", str(text)))


def _clip(text: str, size: int = 160) -> str:
    """Return a sentence cut to ``size`` characters for a table cell (``--json`` has it whole)."""
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _fetch(server: str, which: str, limit: int, params: dict[str, str]) -> list[dict]:
    """Return one list from a running server's ``/curation/suggestions.json``.

    Raises:
        typer.Exit: 2 for a URL that is not http(s), 1 when the server cannot be reached
            or does not answer the list.
    """
    import httpx

    if not server.startswith(("http://", "https://")):
        raise fail(f"--server takes an http:// or https:// URL, got {server!r}", 2)
    url = server.rstrip("/") + "/curation/suggestions.json"
    try:
        resp = httpx.get(url, params={"list": which, "limit": str(limit), **params}, timeout=120)
    except httpx.HTTPError as exc:
        raise fail(f"cannot reach {url}: {exc}", 1) from exc
    if resp.status_code != 200:
        first = (resp.text.strip().splitlines() or [""])[0][:200]
        raise fail(f"{url} answered {resp.status_code}: {first}", 1)
    try:
        return resp.json()[which]
    except (ValueError, KeyError, TypeError) as exc:
        raise fail(f"{url} did not answer a suggestions document", 1) from exc


def _read(ctx: typer.Context, store: str | None, server: str | None, which: str, limit: int, **kw) -> list[dict]:
    """Return the list from the server or from the store (an $AIKG_STORE gives way to --server)."""
    # By name: Typer may bring its own copy of Click, with its own ParameterSource enum.
    from_env = getattr(ctx.get_parameter_source("store"), "name", None) == "ENVIRONMENT"
    if store and server and not from_env:
        raise fail("give --store or --server, not both", 2)
    if server:
        return _fetch(server, which, limit, {k: str(v) for k, v in kw.items()})
    from kg import suggest

    s = open_for_command(store, must_exist=True)
    try:
        if which == "duplicates":
            return suggest.likely_duplicates(s, limit or None, **kw)
        return suggest.likely_wrong(s, limit or None, **kw)
    except AikgError as exc:
        raise fail(str(exc), 1) from exc
    finally:
        s.close()


def duplicates(
    ctx: typer.Context,
    store: StoreOpt = None,
    server: ServerOpt = None,
    limit: LimitOpt = 50,
    as_json: JsonOpt = False,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Leave out pairs scoring below this.")
    ] = 0.5,
) -> None:
    """List pairs of entities of one type that are probably one thing, most likely first.

    The reasons: names alike, one Wikidata id, a name or alias in common, the same
    relation partners. The second entity of a pair is the natural one to merge into.
    """
    pairs = _read(ctx, store, server, "duplicates", limit, min_score=min_score)
    if as_json:
        typer.echo(json.dumps(pairs, indent=2, ensure_ascii=False))
        return
    if not pairs:
        typer.echo("no likely duplicates")
        return
    table = Table(title=f"{len(pairs)} likely duplicate pair{'s' if len(pairs) != 1 else ''}")
    for col, justify in (
        ("#", "right"),
        ("score", "right"),
        ("type", "left"),
        ("entity", "left"),
        ("same as?", "left"),
        ("why", "left"),
    ):
        table.add_column(col, justify=justify)
    for i, p in enumerate(pairs, 1):
        table.add_row(
            str(i),
            f"{p['score']:.2f}",
            p["type"],
            _cell(p["a"]["label"]),
            _cell(p["b"]["label"]),
            _cell("; ".join(p["reasons"])),
        )
    Console(soft_wrap=False, highlight=False).print(table)


def suspects(
    ctx: typer.Context,
    store: StoreOpt = None,
    server: ServerOpt = None,
    limit: LimitOpt = 50,
    as_json: JsonOpt = False,
    low_confidence: Annotated[
        float,
        typer.Option(
            "--low-confidence", min=0.0, max=1.0, help="Doubt relations whose best mention is less confident."
        ),
    ] = 0.7,
) -> None:
    """List relations a curator should check, most suspicious first, with their evidence.

    The reasons: a type the ontology does not allow, an entity related to itself, a
    contradiction (A acquires B and B acquires A), a better-backed rival (a person who
    also leads another company), low confidence, hedged wording only, a single source.
    """
    rows = _read(ctx, store, server, "suspects", limit, low_confidence=low_confidence)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no suspect relations")
        return
    table = Table(title=f"{len(rows)} relation{'s' if len(rows) != 1 else ''} to check")
    for col, justify in (
        ("#", "right"),
        ("score", "right"),
        ("relation", "left"),
        ("why", "left"),
        ("evidence", "left"),
    ):
        table.add_column(col, justify=justify)
    for i, r in enumerate(rows, 1):
        ev = r["evidence"][0] if r["evidence"] else None
        where = f" ({ev['title'] or ev['article'][:12]})" if ev else ""
        table.add_row(
            str(i),
            f"{r['score']:.2f}",
            _cell(f"{r['subject']['label']} {r['predicate']} {r['object']['label']}"),
            _cell("; ".join(r["reasons"])),
            _cell(f"“{_clip(ev['sentence'])}”{where}" if ev and ev["sentence"] else ""),
        )
    Console(soft_wrap=False, highlight=False).print(table)
