"""``aikg curate``: correct the graph (reject, accept, merge, split, rename, alias, retype,
link, add, undo), read the history (log) and export the verdicts as training labels.

Each command works on a store directory (``--store``) or on a running server
(``--server URL --token T``, through the /curation routes). Entities are named by label,
alias, ``ent:slug`` or IRI; an ambiguous name exits 2 and lists the candidates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from aikg.cli_common import StoreOpt, fail, open_for_command
from kg.errors import AikgError

curate_app = typer.Typer(
    name="curate",
    help="Correct the graph; corrections are kept as data and outlast re-ingests (docs/CURATION.md).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ServerOpt = Annotated[
    Optional[str],
    typer.Option(
        "--server", metavar="URL", help="A running aikg server (e.g. http://127.0.0.1:8000): send the operation there."
    ),
]
TokenOpt = Annotated[
    Optional[str],
    typer.Option("--token", envvar="AIKG_TOKEN", show_envvar=False, help="The server's token (default: $AIKG_TOKEN)."),
]
ByOpt = Annotated[Optional[str], typer.Option("--by", help="Who makes the operation [default: $USER].")]
ReasonOpt = Annotated[Optional[str], typer.Option("--reason", "-r", help="Why, in free text.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
StatementOpt = Annotated[
    Optional[str],
    typer.Option("--statement", "-s", help="One statement (stmt:<id> or its IRI) instead of a whole relation."),
]


def _local(store: str | None, action: Callable[[Any], Any]) -> Any:
    """Run an action on the store directory (or SPARQL URL), mapping errors to exit codes."""
    from kg.curation import CurationError

    s = open_for_command(store, must_exist=True)
    try:
        return action(s)
    except CurationError as exc:
        raise fail(str(exc), 2) from exc
    except AikgError as exc:
        raise fail(str(exc), 1) from exc
    finally:
        s.close()


def _remote(
    server: str, token: str | None, method: str, route: str, body: dict | None = None, params: dict | None = None
) -> dict:
    """Call a /curation route of a running server; a 4xx answer exits 2, others 1."""
    import httpx

    url = server.rstrip("/")
    for tail in ("/sparql", "/update"):
        url = url.removesuffix(tail)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        resp = httpx.request(method, f"{url}/curation/{route}", json=body, params=params, headers=headers, timeout=120)
    except httpx.HTTPError as exc:
        raise fail(f"cannot reach the server at {url}: {exc}", 1) from exc
    if resp.status_code >= 400:
        try:
            detail = resp.json().get("detail") or resp.text
        except ValueError:
            detail = resp.text
        if isinstance(detail, list):  # a validation error: name the fields
            detail = "; ".join(f"{'.'.join(str(x) for x in d.get('loc', [])[1:])}: {d.get('msg')}" for d in detail)
        raise fail(
            f"the server refused ({resp.status_code}): {str(detail).strip()}", 2 if resp.status_code < 500 else 1
        )
    return resp.json()


def _report(change: dict, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(change, indent=2))
        return
    op = change["operation"]
    typer.echo(
        f"{op['type']} {op['id']} by {op['by']}: {change['removed']} triples removed, "
        f"{change['added']} added in the curated graph"
    )


def _do(store, server, token, as_json, route: str, body: dict, action: Callable[[Any], Any]) -> None:
    if server:
        change = _remote(server, token, "POST", route, body)
    else:
        change = _local(store, action).to_dict()
    _report(change, as_json)


def _verdict(kind: str, subject, predicate, obj, statement, store, server, token, by, reason, as_json) -> None:
    from kg import curation

    if not statement and not (subject and predicate and obj):
        raise fail("name a relation as SUBJECT PREDICATE OBJECT, or one statement with --statement", 2)
    body = {
        "statement": statement,
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "by": by,
        "reason": reason,
    }
    _do(
        store,
        server,
        token,
        as_json,
        kind.lower(),
        body,
        lambda s: curation.verdict(
            s,
            kind,
            statement=statement,
            subject=subject,
            predicate=predicate,
            obj=obj,
            by=curation.curator_name(by),
            reason=reason,
        ),
    )


@curate_app.command()
def reject(
    subject: Annotated[Optional[str], typer.Argument(metavar="SUBJECT", help="The subject entity.")] = None,
    predicate: Annotated[
        Optional[str], typer.Argument(metavar="PREDICATE", help="The relation, e.g. investsIn.")
    ] = None,
    obj: Annotated[Optional[str], typer.Argument(metavar="OBJECT", help="The object entity.")] = None,
    statement: StatementOpt = None,
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Reject a relation (every statement of it, now and from later articles) or one statement."""
    _verdict("Reject", subject, predicate, obj, statement, store, server, token, by, reason, as_json)


@curate_app.command()
def accept(
    subject: Annotated[Optional[str], typer.Argument(metavar="SUBJECT", help="The subject entity.")] = None,
    predicate: Annotated[
        Optional[str], typer.Argument(metavar="PREDICATE", help="The relation, e.g. investsIn.")
    ] = None,
    obj: Annotated[Optional[str], typer.Argument(metavar="OBJECT", help="The object entity.")] = None,
    statement: StatementOpt = None,
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Accept a relation or one statement: marked reviewed, shown whatever its confidence."""
    _verdict("Accept", subject, predicate, obj, statement, store, server, token, by, reason, as_json)


@curate_app.command()
def merge(
    source: Annotated[str, typer.Argument(help="The entity that goes away.")],
    target: Annotated[str, typer.Argument(help="The entity it becomes.")],
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Merge the first entity into the second (its labels become aliases; owl:sameAs stays)."""
    from kg import curation

    _do(
        store,
        server,
        token,
        as_json,
        "merge",
        {"source": source, "target": target, "by": by, "reason": reason},
        lambda s: curation.merge(s, source, target, by=curation.curator_name(by), reason=reason),
    )


@curate_app.command()
def split(
    source: Annotated[str, typer.Argument(help="The entity merged away (its IRI or one of its own labels).")],
    target: Annotated[str, typer.Argument(help="The entity it was merged into.")],
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Split a merged entity out again."""
    from kg import curation

    _do(
        store,
        server,
        token,
        as_json,
        "split",
        {"source": source, "target": target, "by": by, "reason": reason},
        lambda s: curation.split(s, source, target, by=curation.curator_name(by), reason=reason),
    )


@curate_app.command()
def rename(
    entity: Annotated[str, typer.Argument(help="The entity.")],
    name: Annotated[str, typer.Argument(help="Its new name (the old ones stay as aliases).")],
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give an entity a new name."""
    from kg import curation

    _do(
        store,
        server,
        token,
        as_json,
        "rename",
        {"entity": entity, "name": name, "by": by, "reason": reason},
        lambda s: curation.entity_op(s, "Rename", entity, name, by=curation.curator_name(by), reason=reason),
    )


@curate_app.command()
def alias(
    entity: Annotated[str, typer.Argument(help="The entity.")],
    name: Annotated[str, typer.Argument(help="The alias.")],
    remove: Annotated[bool, typer.Option("--remove", help="Remove the alias instead of adding it.")] = False,
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an alias to an entity, or remove one (--remove)."""
    from kg import curation

    kind = "RemoveAlias" if remove else "AddAlias"
    _do(
        store,
        server,
        token,
        as_json,
        "alias",
        {"entity": entity, "alias": name, "remove": remove, "by": by, "reason": reason},
        lambda s: curation.entity_op(s, kind, entity, name, by=curation.curator_name(by), reason=reason),
    )


@curate_app.command()
def retype(
    entity: Annotated[str, typer.Argument(help="The entity.")],
    type_: Annotated[str, typer.Argument(metavar="TYPE", help="Organization, Person, AIModel or Product.")],
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an entity's type."""
    from kg import curation

    _do(
        store,
        server,
        token,
        as_json,
        "retype",
        {"entity": entity, "type": type_, "by": by, "reason": reason},
        lambda s: curation.entity_op(s, "Retype", entity, type_, by=curation.curator_name(by), reason=reason),
    )


@curate_app.command()
def link(
    entity: Annotated[str, typer.Argument(help="The entity.")],
    wikidata: Annotated[Optional[str], typer.Argument(help="The Wikidata item id, e.g. Q95.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the entity's Wikidata link.")] = False,
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Set an entity's Wikidata item, or clear it (--clear)."""
    from kg import curation

    if bool(wikidata) == clear:
        raise fail("give a Wikidata id (e.g. Q95), or --clear", 2)
    kind = "ClearWikidata" if clear else "SetWikidata"
    _do(
        store,
        server,
        token,
        as_json,
        "link",
        {"entity": entity, "wikidata": wikidata, "by": by, "reason": reason},
        lambda s: curation.entity_op(s, kind, entity, wikidata, by=curation.curator_name(by), reason=reason),
    )


@curate_app.command()
def add(
    subject: Annotated[str, typer.Argument(metavar="SUBJECT", help="The subject entity.")],
    predicate: Annotated[str, typer.Argument(metavar="PREDICATE", help="The relation, e.g. investsIn.")],
    obj: Annotated[str, typer.Argument(metavar="OBJECT", help="The object entity.")],
    url: Annotated[str, typer.Option("--url", help="The source's http(s) address.")],
    quote: Annotated[str, typer.Option("--quote", help="The source's sentence that states the relation.")],
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a relation by hand, with its source URL and quote."""
    from kg import curation

    body = {
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "url": url,
        "quote": quote,
        "by": by,
        "reason": reason,
    }
    _do(
        store,
        server,
        token,
        as_json,
        "add",
        body,
        lambda s: curation.add_relation(
            s, subject, predicate, obj, url=url, quote_text=quote, by=curation.curator_name(by), reason=reason
        ),
    )


@curate_app.command()
def undo(
    operation: Annotated[str, typer.Argument(help="The operation's id (see `aikg curate log`) or IRI.")],
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Undo an operation (the history keeps both)."""
    from kg import curation

    _do(
        store,
        server,
        token,
        as_json,
        "undo",
        {"operation": operation, "by": by, "reason": reason},
        lambda s: curation.undo(s, operation, by=curation.curator_name(by), reason=reason),
    )


@curate_app.command("log")
def log_command(
    type_: Annotated[Optional[str], typer.Option("--type", "-t", help="Only this type, e.g. Reject or Merge.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only operations made on or after this day.")] = None,
    store: StoreOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the operations, oldest first: who, when, why, what, and whether undone."""
    from kg import curation

    if server:
        params = {k: v for k, v in (("type", type_), ("since", since)) if v}
        ops = _remote(server, token, "GET", "log", params=params)["operations"]
    else:
        ops = _local(store, lambda s: curation.log(s, kind=type_, since=since))
    if as_json:
        typer.echo(json.dumps(ops, indent=2))
        return
    skip = {"id", "iri", "type", "created", "by", "reason", "undone_by", "new_sources_since"}
    for op in ops:
        what = " ".join(f"{k}={_short(v)}" for k, v in op.items() if k not in skip)
        line = f"{op['created']}  {op['id']}  {op['type']:<13} by {op['by']}: {what}"
        if op.get("reason"):
            line += f"  ({op['reason']})"
        if op.get("undone_by"):
            line += f"  [undone by {op['undone_by']}]"
        if op.get("new_sources_since"):
            line += f"  [{op['new_sources_since']} new sources since]"
        typer.echo(line)


def _short(value: Any) -> str:
    from kg.namespaces import PREFIXES

    if isinstance(value, list):
        return ",".join(_short(v) for v in value)
    text = str(value)
    for prefix, iri in PREFIXES.items():
        if text.startswith(iri):
            return f"{prefix}:{text[len(iri) :]}"
    return text


@curate_app.command("export-labels")
def export_labels(
    out: Annotated[Path, typer.Argument(help="The JSON Lines file to write.")],
    store: StoreOpt = None,
) -> None:
    """Write accepted and rejected relations with their sentences, in the training corpus format."""
    from kg import curation_labels

    n = _local(store, lambda s: curation_labels.write_labels(s, out))
    typer.echo(f"wrote {n['accepted']} accepted and {n['rejected']} rejected sentences to {out}")
