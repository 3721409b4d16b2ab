"""The /graph page: the interactive network, filtered by URL parameters (shareable links).

The page is rendered by :func:`api.render.render_graph_page` from
``api/templates/graph.html``. vis-network's files are served from :data:`VIS_PATH` (a
versioned URL, cached by browsers for a year) rather than inlined into every page; the
page's own script and style are the files ``/static/graph.js`` and ``/static/style.css``,
so the Content-Security-Policy allows no inline code at all.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from api.deps import AsOfDep, MinConfidenceDep, SettingsDep, StoreDep
from api.httplayer import page_headers
from api.render import render_graph_page
from kg.viz import FIRST_VIEW, VIS_VERSION, view_from_store, vis_asset_dir

log = logging.getLogger(__name__)

router = APIRouter(tags=["graph"])

MAX_LIMIT = 5000
#: Where vis-network's JS and CSS are served; the version in the path makes them immutable.
VIS_PATH = f"/static/vis-{VIS_VERSION}"


class _ImmutableFiles(StaticFiles):
    """Static files whose URL changes with their content: cached for a year, revalidated by ETag."""

    def file_response(self, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def vis_assets() -> StaticFiles:
    """Return the app that serves vis-network's files from the installed pyvis (mount at VIS_PATH)."""
    return _ImmutableFiles(directory=str(vis_asset_dir()))


#: The most neighbours one expansion (double-click) adds, the most central first.
MAX_NEIGHBOURS = 60

#: The page's policy: its own files only (the graph data blocks are JSON, never run);
#: its script may ask its own server for a node's neighbours.
GRAPH_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@router.get("/graph", response_class=HTMLResponse, summary="Interactive network page")
def graph_page(
    store: StoreDep,
    settings: SettingsDep,
    min_confidence: MinConfidenceDep,
    focus: Annotated[
        str | None, Query(max_length=300, description="Centre on this entity: name, alias, slug or Wikidata id.")
    ] = None,
    depth: Annotated[int, Query(ge=0, le=4, description="Relations away from the focus.")] = 1,
    predicates: Annotated[
        list[str] | None, Query(description="Relations to keep (repeat, or comma-separated).")
    ] = None,
    types: Annotated[list[str] | None, Query(description="Entity types to keep (repeat, or comma-separated).")] = None,
    since: Annotated[date | None, Query(description="Evidence dated on or after this day.")] = None,
    until: Annotated[date | None, Query(description="Evidence dated on or before this day.")] = None,
    as_of: AsOfDep = None,
    include_ended: Annotated[
        bool, Query(description="Start with ended relations shown (dashed grey); the page's box toggles them.")
    ] = True,
    min_sources: Annotated[int, Query(ge=1, description="Least number of articles behind a relation.")] = 1,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_LIMIT,
            description="Most entities drawn (the most central); the default is the first view's size.",
        ),
    ] = FIRST_VIEW,
) -> HTMLResponse:
    """Return the network page; without a focus, the most central entities up to ``limit``.

    The default ``limit`` is the first view (:data:`kg.viz.FIRST_VIEW`, 120 entities);
    the page's "show all" asks again with ``limit`` at its most.

    Every parameter is also a field of the page's filter form, so the address of a view
    is a link to it. Without ``min_confidence`` the server's default threshold applies.
    ``as_of`` draws the graph as it stood on that day (docs/TIME.md); relations over by
    then are drawn dashed grey unless ``include_ended=false`` hides them.
    """
    try:
        view = view_from_store(
            store,
            focus=focus,
            depth=depth,
            predicates=predicates,
            types=types,
            since=since,
            until=until,
            as_of=as_of,
            min_confidence=min_confidence,
            min_sources=min_sources,
            limit=limit,
            show_ended=include_ended,
        )
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    page = render_graph_page(
        view,
        title="aikg: the AI industry graph",
        standalone=False,
        entity_base="/entity/",
        form_action="/graph",
        assets_url=VIS_PATH,
        default_min_confidence=settings.min_confidence,
        max_limit=MAX_LIMIT,
        default_limit=FIRST_VIEW,
    )
    return HTMLResponse(page, headers=page_headers(GRAPH_CSP))


@router.get("/graph/neighbours", summary="An entity's neighbours, for the network page's expansion")
def graph_neighbours(
    store: StoreDep,
    min_confidence: MinConfidenceDep,
    entity: Annotated[
        str, Query(min_length=1, max_length=300, description="The entity: IRI, name, alias, slug or Wikidata id.")
    ],
    predicates: Annotated[
        list[str] | None, Query(description="Relations to keep (repeat, or comma-separated).")
    ] = None,
    types: Annotated[list[str] | None, Query(description="Entity types to keep (repeat, or comma-separated).")] = None,
    since: Annotated[date | None, Query(description="Evidence dated on or after this day.")] = None,
    until: Annotated[date | None, Query(description="Evidence dated on or before this day.")] = None,
    as_of: AsOfDep = None,
    min_sources: Annotated[int, Query(ge=1, description="Least number of articles behind a relation.")] = 1,
    limit: Annotated[
        int, Query(ge=1, le=MAX_NEIGHBOURS, description="Most neighbours returned (the most central).")
    ] = MAX_NEIGHBOURS,
) -> dict[str, Any]:
    """Return an entity and its direct neighbours under the page's filters, as the page's JSON.

    The network page calls this when a node is double-clicked: the answer has the same
    node and edge fields as the page's own data (:class:`kg.viz.View`), and the page
    adds those it does not show yet. The entity is looked up in the projected graph
    (never pasted into a query).

    Raises:
        HTTPException: 400 for a bad filter, 404 when the entity is not in the filtered graph.
    """
    try:
        view = view_from_store(
            store,
            focus=entity,
            depth=1,
            predicates=predicates,
            types=types,
            since=since,
            until=until,
            as_of=as_of,
            min_confidence=min_confidence,
            min_sources=min_sources,
            limit=limit + 1,
            show_ended=True,
        )
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    if not view.focus:
        raise HTTPException(404, f"no entity {entity[:80]!r} in the graph with these filters")
    return {"center": view.focus, "nodes": view.nodes, "edges": view.edges, "notes": view.notes}
