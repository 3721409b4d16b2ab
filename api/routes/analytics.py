"""/analytics: centrality and communities; /queries: the shipped named SPARQL queries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from api import data
from api.deps import StoreDep, projection
from api.models import Community, NamedQueryOut, Ranked
from kg.analytics import MEASURES, centrality, communities

router = APIRouter(tags=["analytics"])


@router.get("/analytics/centrality", response_model=list[Ranked], summary="Most central entities")
def get_centrality(
    request: Request,
    store: StoreDep,
    measure: Annotated[str, Query(description=f"One of: {', '.join(MEASURES)}.")] = "pagerank",
    top: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[dict]:
    """Rank entities by centrality on the undirected relation graph."""
    if measure not in MEASURES:
        raise HTTPException(422, f"unknown measure {measure!r}; use one of: {', '.join(MEASURES)}")
    G = projection(request, store)
    return [{"entity": data.node_ref(G, r["id"]), "score": r["score"]} for r in centrality(G, measure, top)]


@router.get("/analytics/communities", response_model=list[Community], summary="Communities (Louvain)")
def get_communities(request: Request, store: StoreDep,
                    limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict]:
    """Split the relation graph into communities, largest first."""
    G = projection(request, store)
    return [{"size": len(c), "members": [data.node_ref(G, m["id"]) for m in c]} for c in communities(G)[:limit]]


@router.get("/queries", response_model=list[NamedQueryOut], summary="Named SPARQL queries")
def list_named_queries() -> list[dict]:
    """List the shipped SPARQL queries (run them at /sparql, parameters bound as VALUES)."""
    from kg.queries import list_queries

    return [q.to_dict() for q in list_queries()]
