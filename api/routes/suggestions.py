"""The curator's starting points: ``/curation`` (a page) and ``/curation/suggestions.json``.

Both show the two lists of :mod:`kg.suggest`, likely duplicate entities and relations to
check, read-only. The lists over the embedded store are kept until the next write through
this server, like the graph projection (``api.deps.projection``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, JSONResponse

from api.deps import StoreDep
from kg import suggest
from kg.store import LocalStore, Store

router = APIRouter(tags=["curation"])

LimitQuery = Annotated[int, Query(ge=1, le=1000, description="How many of each list, best first.")]
MinScoreQuery = Annotated[float, Query(ge=0.0, le=1.0, description="Duplicate pairs scoring below this are left out.")]
LowConfidenceQuery = Annotated[
    float, Query(ge=0.0, le=1.0, description="A relation whose best mention is less confident than this is doubted.")
]
MinSuspectQuery = Annotated[
    float,
    Query(
        ge=0.0, le=1.0, description="Relations to check scoring below this are left out (0.15: a single source alone)."
    ),
]


def suggestions(
    request: Request,
    store: Store,
    limit: int,
    min_score: float,
    low_confidence: float,
    which: tuple[str, ...] = ("duplicates", "suspects"),
    min_suspect_score: float = suggest.MIN_SUSPECT_SCORE,
) -> dict[str, list[dict[str, Any]]]:
    """Return the lists asked for, from the cache when nothing was written since.

    Args:
        request: the request (its app holds the cache and the write generation).
        store: the store to read.
        limit: the most items of each list.
        min_score: passed to :func:`kg.suggest.likely_duplicates`.
        low_confidence: passed to :func:`kg.suggest.likely_wrong`.
        which: the lists to compute.
        min_suspect_score: passed to :func:`kg.suggest.likely_wrong` as ``min_score``.
    """
    state = request.app.state
    cacheable = isinstance(getattr(store, "live", store), LocalStore)
    key = (getattr(state, "generation", 0), limit, min_score, low_confidence, min_suspect_score)
    cached = getattr(state, "suggestions_cache", None) if cacheable else None
    lists = dict(cached[1]) if cached is not None and cached[0] == key else {}
    for name in which:
        if name not in lists:
            if name == "duplicates":
                lists[name] = suggest.likely_duplicates(store, limit, min_score=min_score)
            else:
                lists[name] = suggest.likely_wrong(
                    store, limit, low_confidence=low_confidence, min_score=min_suspect_score
                )
    if cacheable:
        state.suggestions_cache = (key, lists)
    return {name: lists[name] for name in which}


@router.get("/curation/suggestions.json")
def suggestions_json(
    request: Request,
    store: StoreDep,
    limit: LimitQuery = 50,
    list_: Annotated[
        Literal["duplicates", "suspects", "both"],
        Query(alias="list", description="Which list: duplicates, suspects or both."),
    ] = "both",
    min_score: MinScoreQuery = suggest.MIN_DUPLICATE_SCORE,
    low_confidence: LowConfidenceQuery = suggest.LOW_CONFIDENCE,
    min_suspect_score: MinSuspectQuery = suggest.MIN_SUSPECT_SCORE,
) -> JSONResponse:
    """Return likely duplicate entities and relations to check, each with a score and its reasons.

    ``duplicates``: pairs of entities of one type (``a``, ``b``: the one to merge into),
    ``score`` 0-1, ``reasons``. ``suspects``: relations with ``score``, ``reasons``,
    ``checks`` (codes) and ``evidence`` (sentences and their articles).
    """
    which = ("duplicates", "suspects") if list_ == "both" else (list_,)
    body = suggestions(request, store, limit, min_score, low_confidence, which, min_suspect_score)
    return JSONResponse(
        {
            "limit": limit,
            "min_score": min_score,
            "low_confidence": low_confidence,
            "min_suspect_score": min_suspect_score,
            **body,
        }
    )


@router.get("/curation", response_class=HTMLResponse, include_in_schema=False)
def curation_page(
    request: Request,
    store: StoreDep,
    limit: LimitQuery = 50,
    min_score: MinScoreQuery = suggest.MIN_DUPLICATE_SCORE,
    low_confidence: LowConfidenceQuery = suggest.LOW_CONFIDENCE,
    min_suspect_score: MinSuspectQuery = suggest.MIN_SUSPECT_SCORE,
) -> HTMLResponse:
    """Return the page listing likely duplicates, relations to check and the latest operations (to undo)."""
    from api.routes.pages import render
    from kg.curation_view import history  # the operations, newest first, in words

    lists = suggestions(request, store, limit, min_score, low_confidence, min_suspect_score=min_suspect_score)
    ops, ops_total = history(getattr(store, "live", store), limit=limit)
    return render(
        request,
        "curation.html",
        limit=limit,
        min_score=min_score,
        low_confidence=low_confidence,
        min_suspect_score=min_suspect_score,
        duplicates=lists["duplicates"],
        suspects=lists["suspects"],
        history=ops,
        history_total=ops_total,
        nav_current="curation",
    )
