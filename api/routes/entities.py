"""/entities: search by label or alias, and everything the graph says about one entity."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from api.deps import AsOfDep, IncludeEnded, StoreDep
from api.models import EntityDetail, EntitySummary, Offset, Page
from kg import graphdata as data
from kg.model import ENTITY_TYPES

router = APIRouter(prefix="/entities", tags=["entities"])


@router.get("", response_model=Page[EntitySummary], summary="Search entities")
def search_entities(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200, description="Text in a label or alias (case-insensitive).")] = None,
    type: Annotated[str | None, Query(description=f"One of: {', '.join(ENTITY_TYPES)}.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Find entities: exact label/alias matches first, then prefixes, then substrings."""
    if type is not None and type not in ENTITY_TYPES:
        raise HTTPException(422, f"unknown type {type!r}; use one of: {', '.join(ENTITY_TYPES)}")
    items, total = data.search_entities(store, q, type, limit, offset)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get(
    "/{slug}", response_model=EntityDetail, summary="One entity", responses={404: {"description": "No such entity."}}
)
def get_entity(
    slug: str, request: Request, store: StoreDep, as_of: AsOfDep = None, include_ended: IncludeEnded = True
) -> dict[str, Any] | RedirectResponse:
    """Return types, labels, aliases, the Wikidata link and relations in and out with evidence.

    Each relation is ``ended`` or not by the time rule (docs/TIME.md); with ``as_of`` it
    is as it stood on that day, counting only the statements placed by then. Current
    relations come first. A merged entity answers 301 to the one it was merged into.
    """
    from kg.curation import merged_into

    target = merged_into(store, slug)
    if target is not None:
        return RedirectResponse(
            f"/entities/{target}" + (f"?{request.url.query}" if request.url.query else ""), status_code=301
        )
    return data.get_entity(store, slug, as_of=as_of, include_ended=include_ended)
