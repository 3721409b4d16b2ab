"""The MCP tools that write: ingest one article's text, or the articles behind a URL.

Offered only to a caller holding the server's write token; they take the server's write
lock and ingest as ``POST /articles`` does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver.exceptions import ToolError

from api.mcp_server.base import MAX_URL_ARTICLES, ToolsBase, _entity_ref, _plain, _request

if TYPE_CHECKING:
    import pyoxigraph as ox

# The logger of the module this came from (api/mcp_server.py), so log filters keep matching.
log = logging.getLogger("api.mcp_server")


def _validator() -> Callable[[list[ox.Quad]], tuple[list[ox.Quad], list[str]]] | None:
    """Return the SHACL check of a batch, or None where :mod:`kg.validate` cannot be imported."""
    try:
        from kg.validate import validate_batch
    except ImportError:
        return None
    return validate_batch


class WriteTools(ToolsBase):
    """ingest_text and ingest_url."""

    async def ingest_text(
        self, text: str, title: str | None, url: str | None, published: str | None, store_text: bool
    ) -> dict[str, Any]:
        from pydantic import ValidationError

        from api.deps import get_extract, get_write_lock, note_write, shutting_down
        from api.models import ArticleIn
        from kg import graphdata as data
        from kg.model import Article

        try:
            item = ArticleIn.model_validate({"text": text, "title": title, "url": url, "published": published})
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            raise ToolError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
        article = Article(text=item.text, title=item.title, url=item.url, published=item.published)
        request = _request(self.app)
        validate_batch = _validator()

        def run() -> tuple[list[dict[str, Any]], list[str]]:
            lock = get_write_lock(request)
            extract = get_extract(request)
            with lock:
                return data.ingest_articles(
                    self.store,
                    [article],
                    extract,
                    batch_size=self.settings.batch_size,
                    validate=validate_batch,
                    should_stop=lambda: shutting_down(request),
                    store_text=store_text,
                )

        try:
            results, violations = await self._thread(run)
        except data.IngestStopped:
            # One article is one batch: a stop before it means nothing was written.
            raise ToolError(
                "the server is shutting down: nothing was ingested; send the article again when it is back"
            ) from None
        note_write(request)
        log.info("ingested %d article(s) over MCP", len(results))
        return _plain({"articles": [_ingested(a) for a in results], "violations": violations})

    async def ingest_url(self, url: str, published: str | None, store_text: bool) -> dict[str, Any]:
        from api.deps import get_extract, get_write_lock, note_write, shutting_down
        from ingest.fetch import FetchConfig, Fetcher, is_url, read_urls
        from ingest.readers import DEFAULT_MAX_ARTICLE_BYTES
        from kg import graphdata as data
        from kg.limits import host_allowed
        from kg.model import Article

        if not is_url(url):
            raise ToolError(f"not an http(s) URL: {url!r}")
        try:
            day = date.fromisoformat(published) if published else None
        except ValueError:
            raise ToolError(f"published must be YYYY-MM-DD, got {published!r}") from None
        request = _request(self.app)
        allowed = self.settings.remote_hosts()
        validate_batch = _validator()

        def fetch() -> tuple[list[Article], list[str]]:
            # A URL sent over the network is untrusted: it may not lead into the network the
            # server runs in (loopback, private, link-local) unless its host is allowed.
            with Fetcher(FetchConfig(), should_stop=lambda: shutting_down(request)) as fetcher:
                items = list(
                    read_urls(
                        [url],
                        fetcher,
                        default_published=day,
                        max_article_bytes=DEFAULT_MAX_ARTICLE_BYTES,
                        private_ok=lambda u: host_allowed(u, allowed),
                        private_refusal="which this server reads only from hosts listed in AIKG_ALLOW_REMOTE",
                    )
                )
            articles = [i for i in items if isinstance(i, Article)]
            return articles[:MAX_URL_ARTICLES], [f"{i.source}: {i.reason}" for i in items if not isinstance(i, Article)]

        articles, skipped = await self._thread(fetch)
        if not articles:
            raise ToolError(
                f"nothing was ingested from {url}: "
                + ("; ".join(skipped[:3]) if skipped else "no article text found there")
            )

        def run() -> tuple[list[dict[str, Any]], list[str]]:
            with get_write_lock(request):
                return data.ingest_articles(
                    self.store,
                    articles,
                    get_extract(request),
                    batch_size=self.settings.batch_size,
                    validate=validate_batch,
                    should_stop=lambda: shutting_down(request),
                    store_text=store_text,
                )

        try:
            results, violations = await self._thread(run)
        except data.IngestStopped:
            raise ToolError(
                "the server is shutting down: the articles of earlier batches were written; "
                "send the URL again when it is back (stored ones come back unchanged)"
            ) from None
        note_write(request)
        log.info("ingested %d article(s) from %s over MCP", len(results), url)
        return _plain({"articles": [_ingested(a) for a in results], "skipped": skipped[:20], "violations": violations})


def _ingested(a: dict[str, Any]) -> dict[str, Any]:
    from kg.namespaces import article_iri

    return {
        "id": a["id"],
        "article": article_iri(a["id"]).value,
        "title": a["title"],
        "url": a["url"],
        "status": a["status"],
        "relations": [
            {
                "subject": _entity_ref(r["subject"]),
                "predicate": r["predicate"],
                "object": _entity_ref(r["object"]),
                "reads": f"{r['subject']['label']} {r['predicate']} {r['object']['label']}",
                "evidence": r["evidence"],
                "confidence": r["confidence"],
                "ended": r["ended"],
            }
            for r in a["relations"]
        ],
    }
