"""The /graph page: the interactive network, filtered by URL parameters (shareable links)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from starlette.responses import HTMLResponse

from api.deps import StoreDep
from kg.viz import DEFAULT_LIMIT, render_html, view_from_store

log = logging.getLogger(__name__)

router = APIRouter(tags=["graph"])

MAX_LIMIT = 5000


@router.get("/graph", response_class=HTMLResponse, summary="Interactive network page")
def graph_page(
    store: StoreDep,
    focus: Annotated[str | None, Query(max_length=300, description="Centre on this entity: name, alias, slug or Wikidata id.")] = None,
    depth: Annotated[int, Query(ge=0, le=4, description="Relations away from the focus.")] = 1,
    predicates: Annotated[list[str] | None, Query(description="Relations to keep (repeat, or comma-separated).")] = None,
    types: Annotated[list[str] | None, Query(description="Entity types to keep (repeat, or comma-separated).")] = None,
    since: Annotated[date | None, Query(description="Evidence dated on or after this day.")] = None,
    until: Annotated[date | None, Query(description="Evidence dated on or before this day.")] = None,
    as_of: Annotated[date | None, Query(description="The graph as known on this day.")] = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0, description="Least confidence of evidence kept.")] = 0.0,
    min_sources: Annotated[int, Query(ge=1, description="Least number of articles behind a relation.")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most entities drawn (the most central).")] = DEFAULT_LIMIT,
) -> HTMLResponse:
    """Return the network page; without a focus, the most central entities up to ``limit``.

    Every parameter is also a field of the page's filter form, so the address of a view
    is a link to it.
    """
    try:
        view = view_from_store(store, focus=focus, depth=depth, predicates=predicates, types=types,
                               since=since, until=until, as_of=as_of, min_confidence=min_confidence,
                               min_sources=min_sources, limit=limit)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    page = render_html(view, title="aikg: the AI industry graph", standalone=False,
                       entity_base="/entity/", form_action="/graph")
    return HTMLResponse(page)
