"""/curation: people's corrections (reject, accept, merge, split, rename, aliases, type,
Wikidata link, hand-added relations, undo) and their log. Writes need the /update token.

Every operation is recorded in the curation graph and the default graph is re-projected
in the same transaction (kg.curation); the answer says how many default-graph triples
it removed and added. A request that cannot be carried out answers 400 with one line and
changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypedDict

from fastapi import APIRouter, Depends, HTTPException, Query, Request, params
from pydantic import BaseModel, Field

from api.deps import StoreDep, WriteLockDep, get_settings, live_store, note_write, require_token
from api.settings import Settings
from kg import curation
from kg.store import Store

router = APIRouter(prefix="/curation", tags=["curation"])

Text = Annotated[str, Field(min_length=1, max_length=2000)]
OptText = Annotated[str | None, Field(default=None, max_length=2000)]


class Common(BaseModel):
    """Why, on every operation; who is the name of the token (``NAME:SECRET``, else "curator")."""

    reason: OptText = Field(None, description="Why, in free text.")


class Verdict(Common):
    """One statement, or a relation as a whole (subject, predicate, object)."""

    statement: OptText = Field(None, description="A statement: stmt:<id> or its IRI.")
    subject: OptText = Field(None, description="Entity name, alias, ent:slug or IRI.")
    predicate: OptText = Field(None, description="A relation property, e.g. investsIn.")
    object: OptText = Field(None, description="Entity name, alias, ent:slug or IRI.")


class Pair(Common):
    """Two entities: the first is merged into (or split from) the second."""

    source: Text
    target: Text


class Rename(Common):
    entity: Text
    name: Text


class Alias(Common):
    entity: Text
    alias: Text
    remove: bool = Field(False, description="Remove the alias instead of adding it.")


class Retype(Common):
    entity: Text
    type: Text = Field(description="Organization, Person, AIModel or Product.")


class Link(Common):
    entity: Text
    wikidata: OptText = Field(None, description="A Wikidata item id (Q95); null clears the link.")


class AddRelation(Common):
    subject: Text
    predicate: Text
    object: Text
    url: Text = Field(description="The http(s) address of the source.")
    quote: Text = Field(description="The sentence of the source that states the relation.")


class Undo(Common):
    operation: Text = Field(description="The operation's id or IRI.")


def _run(
    request: Request,
    store: Store,
    lock: threading.Lock,
    action: Callable[[curation.CurationStore], curation.Change],
) -> dict[str, Any]:
    with lock:
        try:
            change = action(live_store(store))
        except curation.CurationError as exc:
            raise HTTPException(400, str(exc)) from exc
    note_write(request)
    return change.to_dict()


def _by(request: Request) -> str:
    """Return the curator a write is recorded under: the name of the token it came with."""
    holder: str | None = getattr(request.state, "curator", None)
    if holder:
        return holder
    settings: Settings = get_settings(request)
    return settings.token_name()


class _RouteOptions(TypedDict):
    """The keyword arguments every write route shares (``**_WRITE``)."""

    dependencies: Sequence[params.Depends]
    responses: dict[int | str, dict[str, Any]]


_WRITE: _RouteOptions = {
    "dependencies": [Depends(require_token)],
    "responses": {
        400: {"description": "The operation cannot be carried out (one-line reason)."},
        401: {"description": "No or wrong token."},
        403: {"description": "Writes are off."},
    },
}


@router.post("/reject", summary="Reject a statement or a relation (token)", **_WRITE)
def post_reject(body: Verdict, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Take a statement, or every statement of a relation (now and later), out of the curated graph."""
    return _run(
        request,
        store,
        lock,
        lambda s: curation.verdict(
            s,
            "Reject",
            statement=body.statement,
            subject=body.subject,
            predicate=body.predicate,
            obj=body.object,
            by=_by(request),
            reason=body.reason,
        ),
    )


@router.post("/accept", summary="Accept a statement or a relation (token)", **_WRITE)
def post_accept(body: Verdict, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Mark a statement, or every statement of a relation, reviewed (``aikg:reviewed true``)."""
    return _run(
        request,
        store,
        lock,
        lambda s: curation.verdict(
            s,
            "Accept",
            statement=body.statement,
            subject=body.subject,
            predicate=body.predicate,
            obj=body.object,
            by=_by(request),
            reason=body.reason,
        ),
    )


@router.post("/merge", summary="Merge one entity into another (token)", **_WRITE)
def post_merge(body: Pair, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Show ``source`` as ``target`` everywhere; ``target`` keeps its labels as aliases."""
    return _run(
        request, store, lock, lambda s: curation.merge(s, body.source, body.target, by=_by(request), reason=body.reason)
    )


@router.post("/split", summary="Split a merged entity out again (token)", **_WRITE)
def post_split(body: Pair, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Take ``source`` out of ``target`` again."""
    return _run(
        request, store, lock, lambda s: curation.split(s, body.source, body.target, by=_by(request), reason=body.reason)
    )


@router.post("/rename", summary="Rename an entity (token)", **_WRITE)
def post_rename(body: Rename, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Give an entity a new name; the names articles gave it stay as aliases."""
    return _run(
        request,
        store,
        lock,
        lambda s: curation.entity_op(s, "Rename", body.entity, body.name, by=_by(request), reason=body.reason),
    )


@router.post("/alias", summary="Add or remove an alias (token)", **_WRITE)
def post_alias(body: Alias, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Add an alias to an entity, or remove one."""
    return _run(
        request,
        store,
        lock,
        lambda s: curation.entity_op(
            s,
            "RemoveAlias" if body.remove else "AddAlias",
            body.entity,
            body.alias,
            by=_by(request),
            reason=body.reason,
        ),
    )


@router.post("/retype", summary="Change an entity's type (token)", **_WRITE)
def post_retype(body: Retype, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Give an entity another of the four types."""
    return _run(
        request,
        store,
        lock,
        lambda s: curation.entity_op(s, "Retype", body.entity, body.type, by=_by(request), reason=body.reason),
    )


@router.post("/link", summary="Set or clear an entity's Wikidata item (token)", **_WRITE)
def post_link(body: Link, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Link an entity to a Wikidata item (replacing the ones articles gave), or clear it."""
    kind = "SetWikidata" if body.wikidata else "ClearWikidata"
    return _run(
        request,
        store,
        lock,
        lambda s: curation.entity_op(s, kind, body.entity, body.wikidata, by=_by(request), reason=body.reason),
    )


@router.post("/add", summary="Add a relation by hand (token)", **_WRITE)
def post_add(body: AddRelation, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Add a relation with its source URL and quote (a reviewed statement in the curation graph)."""
    return _run(
        request,
        store,
        lock,
        lambda s: curation.add_relation(
            s,
            body.subject,
            body.predicate,
            body.object,
            url=body.url,
            quote_text=body.quote,
            by=_by(request),
            reason=body.reason,
        ),
    )


@router.post("/undo", summary="Undo an operation (token)", **_WRITE)
def post_undo(body: Undo, request: Request, store: StoreDep, lock: WriteLockDep) -> dict[str, Any]:
    """Take an operation back; the history keeps both."""
    return _run(request, store, lock, lambda s: curation.undo(s, body.operation, by=_by(request), reason=body.reason))


@router.get("/whoami", summary="The curator the token stands for (token)", **_WRITE)
def get_whoami(request: Request) -> dict[str, Any]:
    """Return the name operations made with this token are recorded under (the pages' sign-in checks it)."""
    return {"name": _by(request)}


@router.get(
    "/log", summary="The operations, oldest first", responses={400: {"description": "An unknown type or a bad date."}}
)
def get_log(
    store: StoreDep,
    type: Annotated[str | None, Query(description=f"Only this type: {', '.join(curation.OP_TYPES)}.")] = None,
    since: Annotated[str | None, Query(description="Only operations made on or after this day (YYYY-MM-DD).")] = None,
) -> dict[str, Any]:
    """Return every operation with who, when, why, what it names and whether it is undone."""
    try:
        ops = curation.log(live_store(store), kind=type, since=since)
    except curation.CurationError as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"operations": ops, "count": len(ops)}
