"""/articles: ingest (token), list, read and delete articles."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response

from api.deps import (
    SHUTDOWN_RETRY_AFTER,
    ExtractDep,
    SettingsDep,
    StoreDep,
    WriteLockDep,
    note_write,
    require_token,
    shutting_down,
)
from api.models import ArticleDetail, ArticleIn, ArticleSummary, IngestResult, IngestStoppedResult, Offset, Page
from kg import graphdata as data
from kg.loader import delete_articles
from kg.model import Article

log = logging.getLogger(__name__)

router = APIRouter(prefix="/articles", tags=["articles"])

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (at most 500).")]
StoreTextParam = Annotated[
    bool,
    Query(
        description=(
            "Keep each new article's full text in the graph (aikg:text) so its page shows it whole; "
            "by default only the evidence sentences are kept, as news text belongs to its publishers."
        )
    ),
]


_ARTICLES_JSON = TypeAdapter(ArticleIn | list[ArticleIn])
_READER_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "application/jsonlines",
        "text/plain",
        "text/markdown",
        "text/html",
        "application/rss+xml",
        "application/atom+xml",
    }
)
_POST_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/ArticleIn"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}},
                    ]
                }
            },
            "application/x-ndjson": {
                "schema": {"type": "string"},
                "example": '{"text": "...", "title": "...", "url": "...", "published": "2024-03-19"}\n',
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                }
            },
            "text/plain": {"schema": {"type": "string"}},
        },
    },
}


async def _read_articles(request: Request, max_bytes: int) -> tuple[list[Article], list[dict[str, str]]]:
    ctype = request.headers.get("content-type", "")
    media = ctype.split(";")[0].strip().lower()
    if media == "application/json":
        try:
            parsed = _ARTICLES_JSON.validate_json(await request.body())
        except ValidationError as exc:
            # Without the inputs: a body that is not JSON would echo raw bytes, which
            # cannot be written as JSON (the client got a bare 500).
            raise HTTPException(422, exc.errors(include_url=False, include_context=False, include_input=False)) from exc
        items = parsed if isinstance(parsed, list) else [parsed]
        if not items:
            raise HTTPException(422, "the list of articles is empty")
        return [Article(text=a.text, title=a.title, url=a.url, published=a.published) for a in items], []
    from ingest.readers import read_bytes

    uploads: list[tuple[bytes, str, str | None]] = []
    if media == "multipart/form-data":
        async with request.form() as form:
            for _, value in form.multi_items():
                if isinstance(value, UploadFile):
                    uploads.append((await value.read(), value.filename or "upload", value.content_type))
        if not uploads:
            raise HTTPException(422, "the multipart body has no file part")
    elif media in _READER_TYPES:
        name = "body.jsonl" if "json" in media else "body"
        uploads.append((await request.body(), name, ctype))
    else:
        raise HTTPException(
            415,
            f"unsupported Content-Type {media or '(none)'!r}: send application/json, "
            "application/x-ndjson (JSON Lines), multipart/form-data or text/plain",
        )
    articles: list[Article] = []
    skipped: list[dict[str, str]] = []
    for body, name, declared in uploads:
        for item in read_bytes(body, name=name, content_type=declared, max_bytes=max_bytes):
            if isinstance(item, Article):
                articles.append(item)
            else:
                skipped.append({"source": item.source, "reason": item.reason})
    return articles, skipped


def _stopped_reply(stop: data.IngestStopped, skipped: list[dict[str, str]]) -> JSONResponse:
    """Return the 503 of an ingest that a shutdown stopped: what was committed, what to resend."""
    counts = {"new": 0, "unchanged": 0, "replaced": 0}
    for a in stop.articles:
        counts[a["status"]] += 1
    body = {
        "detail": f"server is shutting down: stopped after {stop.batches} of {stop.total} batches; resend the rest",
        "committed": {
            "batches": stop.batches,
            "total_batches": stop.total,
            "articles": len(stop.articles),
            **counts,
            "relations": sum(len(a["relations"]) for a in stop.articles),
        },
        "articles": stop.articles,
        "remaining": [{"id": a.id, "title": a.title, "url": a.url} for a in stop.remaining],
        "skipped": skipped,
        "violations": stop.violations,
    }
    return JSONResponse(jsonable_encoder(body), status_code=503, headers={"Retry-After": str(SHUTDOWN_RETRY_AFTER)})


@router.post(
    "",
    response_model=IngestResult,
    dependencies=[Depends(require_token)],
    summary="Ingest articles (token)",
    openapi_extra=_POST_DOC,
    responses={
        503: {
            "model": IngestStoppedResult,
            "description": "The server began to shut down: the batches before committed "
            "(counted here), the rest not read; send `remaining` again.",
        }
    },
)
async def post_articles(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    lock: WriteLockDep,
    extract: ExtractDep,
    store_text: StoreTextParam = False,
) -> dict[str, Any] | JSONResponse:
    """Extract relations from articles and store them, one transaction per batch.

    Send one JSON article, a JSON list, JSON Lines, plain text, or files as
    multipart/form-data. An article already stored (same text) is ``unchanged``; a new
    text at a stored url ``replaced`` the old one. Reads go on while this runs. With
    ``store_text=true`` each new article's full text is kept so that its page shows it;
    by default only the evidence sentences are.

    When the server begins to shut down meanwhile, the request stops after the batch it
    is in and answers 503 (with Retry-After): how many batches were committed, their
    articles, and the ``remaining`` ones to send again. Nothing committed is undone.
    """
    articles, skipped = await _read_articles(request, settings.max_body_bytes)
    if not articles:
        raise HTTPException(422, {"message": "no readable article in the request", "skipped": skipped})
    validate: Callable[[list[ox.Quad]], tuple[list[ox.Quad], list[str]]] | None
    try:
        from kg.validate import validate_batch as validate
    except ImportError:
        validate = None

    def run() -> tuple[list[dict[str, Any]], list[str]]:
        with lock:
            return data.ingest_articles(
                store,
                articles,
                extract,
                batch_size=settings.batch_size,
                validate=validate,
                should_stop=lambda: shutting_down(request),
                store_text=store_text,
            )

    try:
        results, violations = await run_in_threadpool(run)
    except data.IngestStopped as stop:
        if stop.batches:
            note_write(request)
        log.warning(
            "POST /articles stopped by the shutdown after %d of %d batches (%d articles committed)",
            stop.batches,
            stop.total,
            len(stop.articles),
        )
        return _stopped_reply(stop, skipped)
    except Exception:
        # batches before the failure are committed: caches, statistics and the time index
        # (api.index_keeper) must hear of them
        note_write(request)
        raise
    note_write(request)
    log.info("ingested %d articles over HTTP", len(results))
    return {"articles": results, "skipped": skipped, "violations": violations}


@router.get("", response_model=Page[ArticleSummary], summary="List articles")
def list_articles(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """List articles, newest first, with how many relations each yielded."""
    return {
        "items": data.list_articles(store, limit, offset),
        "total": data.count_articles(store),
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/{article_id}",
    response_model=ArticleDetail,
    summary="One article and its relations",
    responses={404: {"description": "No such article."}},
)
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    """Return an article's metadata and every relation extracted from it, with evidence."""
    return data.get_article(store, article_id)


@router.delete(
    "/{article_id}",
    status_code=204,
    dependencies=[Depends(require_token)],
    summary="Delete an article (token)",
    responses={404: {"description": "No such article."}},
)
def delete_article(article_id: str, request: Request, store: StoreDep, lock: WriteLockDep) -> Response:
    """Remove an article and whatever only it supported, in one transaction."""
    with lock:
        graph = data.resolve_article(store, article_id)
        delete_articles(store, [graph])
    note_write(request)
    return Response(status_code=204)
