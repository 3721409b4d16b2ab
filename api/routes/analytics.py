"""/analytics: centrality and communities; /queries: the shipped named SPARQL queries."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.deps import AsOfDep, CountEnded, RunnerDep, StoreDep, projection
from api.models import Community, NamedQueryOut, Ranked
from api.sparql import GRAPH_FORMAT_NAMES, GRAPH_MEDIA, RESULTS_FORMAT_NAMES, RESULTS_MEDIA, QueryRequest
from kg import graphdata as data
from kg.analytics import MEASURES, centrality, communities

router = APIRouter(tags=["analytics"])


@router.get("/analytics/centrality", response_model=list[Ranked], summary="Most central entities")
def get_centrality(
    request: Request,
    store: StoreDep,
    measure: Annotated[str, Query(description=f"One of: {', '.join(MEASURES)}.")] = "pagerank",
    top: Annotated[int, Query(ge=1, le=500)] = 20,
    as_of: AsOfDep = None,
    include_ended: CountEnded = None,
) -> list[dict[str, Any]]:
    """Rank entities by centrality on the undirected relation graph.

    ``as_of=2023-06-30`` ranks the graph as it stood on that day: the relations active
    then, unless ``include_ended=true`` (docs/TIME.md). Without it every relation counts,
    ended ones too, unless ``include_ended=false``.
    """
    if measure not in MEASURES:
        raise HTTPException(422, f"unknown measure {measure!r}; use one of: {', '.join(MEASURES)}")
    G = projection(request, store, as_of=as_of, include_ended=include_ended)
    return [{"entity": data.node_ref(G, r["id"]), "score": r["score"]} for r in centrality(G, measure, top)]


@router.get("/analytics/communities", response_model=list[Community], summary="Communities (Louvain)")
def get_communities(
    request: Request,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    as_of: AsOfDep = None,
    include_ended: CountEnded = None,
) -> list[dict[str, Any]]:
    """Split the relation graph into communities, largest first.

    ``as_of`` and ``include_ended`` choose the relations as for /analytics/centrality.
    """
    G = projection(request, store, as_of=as_of, include_ended=include_ended)
    return [{"size": len(c), "members": [data.node_ref(G, m["id"]) for m in c]} for c in communities(G)[:limit]]


@router.get("/queries", response_model=list[NamedQueryOut], summary="Named SPARQL queries")
def list_named_queries() -> list[dict[str, Any]]:
    """List the shipped SPARQL queries (run them at /sparql, parameters bound as VALUES)."""
    from kg.queries import list_queries

    return [q.to_dict() for q in list_queries()]


_NOT_PARAMS = frozenset({"format", "download"})
_IRI_OR_COMMENT = re.compile(r"<[^<>\s]*>|#[^\n]*")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _check_formats(text: str, values: list[str]) -> None:
    """Refuse a ``format=`` value the query's results cannot be written as.

    Raises:
        HTTPException: 400 naming the accepted values.
    """
    found = _FORM.search(_IRI_OR_COMMENT.sub(" ", text))
    graph = found is not None and found.group(1).upper() in ("CONSTRUCT", "DESCRIBE")
    names, media = (GRAPH_FORMAT_NAMES, GRAPH_MEDIA) if graph else (RESULTS_FORMAT_NAMES, RESULTS_MEDIA)
    for value in values:
        key = value.strip().lower()
        if key and key not in names and key not in media:
            kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
            raise HTTPException(
                400,
                f"unknown format {value[:50]!r} for {kind} results; use one of: "
                f"{', '.join(names)}, or a media type ({', '.join(media)})",
            )


@router.get(
    "/queries/{name}/results",
    summary="Run a named SPARQL query",
    responses={
        200: {"description": "SPARQL results, negotiated like /sparql."},
        404: {"description": "No such named query."},
        422: {"description": "A parameter is missing, unknown or malformed."},
    },
)
async def run_named_query(name: str, request: Request, store: StoreDep, runner: RunnerDep) -> Response:
    """Run a named query; its parameters come as URL parameters (``?entity=OpenAI``), bound as data."""
    from kg.queries import bind_param, get_query, query_text

    q = get_query(name)
    given = {k: v for k, v in request.query_params.items() if k not in _NOT_PARAMS}
    unknown = sorted(set(given) - set(q.params))
    given = {**q.defaults, **given}
    missing = [p for p in q.params if p not in given]
    if unknown or missing:
        raise HTTPException(
            422,
            f"query {q.name} takes parameters: {', '.join(q.params) or 'none'}"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
        )

    def bind() -> tuple[dict[str, Any], str]:
        try:
            return {p: bind_param(store, p, given[p]) for p in q.params}, query_text(store, q.name)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc

    formats = request.query_params.getlist("format")
    _check_formats(q.text, formats)
    bindings, text = await run_in_threadpool(bind)
    req = QueryRequest(
        query=text,
        substitutions=bindings or None,
        accept=request.headers.get("accept"),
        format=tuple(formats),
        download=request.query_params.get("download") in ("1", "true"),
    )
    return await runner.respond(req, request.client.host if request.client else "")
