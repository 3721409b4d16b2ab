"""/relations and /paths: relations with their support, and chains between entities."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from api.deps import AsOfDep, CountEnded, IncludeEnded, MinConfidenceDep, StoreDep, projection
from api.models import Offset, Page, PathResult, Relation
from kg import graphdata as data
from kg.analytics import resolve_entity, shortest_path
from kg.errors import NotFoundError
from kg.model import PREDICATES
from kg.store import Store

router = APIRouter(tags=["relations"])


def _entity(store: Store, text: str, name: str) -> str:
    iri = resolve_entity(store, text)
    if iri is None:
        raise NotFoundError(f"{name}: no entity {text!r} (try GET /entities?q=...)")
    return iri


@router.get(
    "/relations",
    response_model=Page[Relation],
    summary="Relations with their support",
    responses={404: {"description": "An entity given as subject/object is unknown."}},
)
def list_relations(
    request: Request,
    store: StoreDep,
    min_confidence: MinConfidenceDep,
    predicate: Annotated[str | None, Query(description=f"One of: {', '.join(PREDICATES)}.")] = None,
    subject: Annotated[str | None, Query(description="Entity name, alias, slug, Wikidata id or IRI.")] = None,
    object: Annotated[str | None, Query(description="Entity name, alias, slug, Wikidata id or IRI.")] = None,
    since: Annotated[date | None, Query(description="Only mentions in articles dated on or after this day.")] = None,
    until: Annotated[date | None, Query(description="Only mentions in articles dated on or before this day.")] = None,
    as_of: AsOfDep = None,
    include_ended: IncludeEnded = True,
    min_sources: Annotated[int | None, Query(ge=1, description="At least this many distinct articles.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List relations (one per subject, predicate, object), best supported first.

    Filters apply to the mentions: ``since=2024-01-01`` keeps a relation only when an
    article of 2024 or later states it, and its ``sources`` count only those. So does
    ``min_confidence``: without it the server's default threshold (``AIKG_MIN_CONFIDENCE``,
    0.5) applies; ``min_confidence=0`` lists every relation.

    ``as_of=2023-06-30`` lists the relations as they stood on that day: a relation
    counts the statements whose claim day is that day or earlier, and is ``ended`` when
    the latest of them says it was over (docs/TIME.md). Ended relations are listed,
    flagged, unless ``include_ended=false``.
    """
    if predicate is not None and predicate not in PREDICATES:
        raise HTTPException(422, f"unknown predicate {predicate!r}; use one of: {', '.join(PREDICATES)}")
    s = None if subject is None else _entity(store, subject, "subject")
    o = None if object is None else _entity(store, object, "object")
    G = projection(
        request,
        store,
        predicates=[predicate] if predicate else None,
        since=since,
        until=until,
        as_of=as_of,
        include_ended=include_ended,
        min_confidence=min_confidence,
        min_sources=min_sources,
    )
    rows = data.relations_from_graph(G, s, o)
    return {"items": rows[offset : offset + limit], "total": len(rows), "limit": limit, "offset": offset}


@router.get(
    "/paths",
    response_model=PathResult,
    summary="Shortest chain of relations between two entities",
    responses={404: {"description": "Unknown entity, or no path short enough."}},
)
def get_path(
    request: Request,
    store: StoreDep,
    from_: Annotated[str, Query(alias="from", min_length=1, description="Start entity.")],
    to: Annotated[str, Query(min_length=1, description="End entity.")],
    max_length: Annotated[int, Query(ge=1, le=10)] = 6,
    as_of: AsOfDep = None,
    include_ended: CountEnded = None,
) -> dict[str, Any]:
    """Return the shortest chain of relations (either direction) linking two entities.

    ``as_of=2023-06-30`` searches the graph as it stood on that day: only the relations
    active then, unless ``include_ended=true`` (docs/TIME.md). Without ``as_of`` the
    whole history counts, ended relations too, unless ``include_ended=false``. Each hop
    says whether its relation is ``ended``; where two entities share several relations
    an active one is shown.
    """
    a, b = _entity(store, from_, "from"), _entity(store, to, "to")
    G = projection(request, store, as_of=as_of, include_ended=include_ended)
    for iri, name in ((a, from_), (b, to)):
        if iri not in G:
            when = f" as of {as_of.isoformat()}" if as_of is not None else ""
            left_out = include_ended is False or (include_ended is None and as_of is not None)
            raise NotFoundError(
                f"{name!r} has no relations in this graph{when}"
                + (" (ended ones are left out; include_ended=true counts them)" if left_out else "")
            )
    hops = shortest_path(G, a, b, max_length=max_length)
    keep = ("predicate", "direction", "sources", "ended", "start_date", "end_date")
    return {
        "length": len(hops),
        "hops": [
            {"from": data.node_ref(G, h["from"]), "to": data.node_ref(G, h["to"]), **{k: h[k] for k in keep}}
            for h in hops
        ],
    }
