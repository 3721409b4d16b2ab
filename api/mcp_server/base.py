"""The MCP tools' shared ground: limits, JSON and citation helpers, argument checks, the base class.

:class:`ToolsBase` holds the app whose lifespan opened the store and the runner, and runs
blocking reads on a worker thread, turning what they raise into :class:`ToolError`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

import anyio
from fastapi.encoders import jsonable_encoder
from mcp.server.mcpserver.exceptions import ToolError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import AikgError, NotFoundError

#: Largest SPARQL result a tool hands back (bytes of the serialized result); past it the
#: assistant is told to add a LIMIT.
MAX_RESULT_BYTES = 512 * 1024
#: Evidence sentences kept per relation unless a call asks for another number.
EVIDENCE_PER_RELATION = 3
#: The tools that write; listed only on a server (or HTTP request) that has the token.
WRITE_TOOLS = ("ingest_text", "ingest_url")
# Articles ingested by one ingest_url call at most (a feed lists more): one call stays short.
MAX_URL_ARTICLES = 100


def _request(app) -> SimpleNamespace:
    """Return what the dependencies of :mod:`api.deps` read of a request: its app."""
    return SimpleNamespace(app=app)


def _plain(value: Any) -> Any:
    """Return a JSON-ready copy (dates as ISO text)."""
    return jsonable_encoder(value)


def _evidence(items: list[dict], limit: int) -> list[dict]:
    """Return the citable part of evidence sentences: the sentence, its article and day."""
    out = []
    for e in items[:limit]:
        out.append(
            {
                "sentence": e.get("sentence") or e.get("evidence"),
                "url": e.get("url"),
                "article": _article_iri(e.get("article")),
                "title": e.get("title"),
                "date": e.get("date"),
                "confidence": e.get("confidence"),
                "hedged": e.get("hedged", False),
            }
        )
    return out


def _article_iri(ref_text: str | None) -> str | None:
    from kg.namespaces import ARTICLE

    if not ref_text:
        return None
    return ref_text if ref_text.startswith(("http://", "https://")) else ARTICLE + ref_text


def _entity_ref(d: dict) -> dict:
    return {"label": d.get("label"), "type": d.get("type"), "slug": d.get("slug"), "iri": d.get("iri")}


def _day(value: str | None, name: str) -> date | None:
    from kg.timeline import parse_day

    try:
        return parse_day(value or None, name)
    except ValueError as exc:
        raise ToolError(str(exc)) from None


def _count(value: int, name: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise ToolError(f"{name} must be from {low} to {high}, got {value}")
    return value


class ToolsBase:
    """The app the tools read through, and how they call blocking code (see :class:`GraphTools`)."""

    def __init__(self, app):
        self.app = app

    @property
    def store(self):
        return self.app.state.store

    @property
    def settings(self):
        return self.app.state.settings

    async def _thread(self, fn: Callable[[], Any]) -> Any:
        try:
            return await anyio.to_thread.run_sync(fn)
        except (AikgError, ValueError) as exc:
            raise ToolError(str(exc)) from None
        except StarletteHTTPException as exc:
            raise ToolError(str(exc.detail)) from None

    def _resolve(self, text: str, name: str) -> str:
        from kg.analytics import resolve_entity

        iri = resolve_entity(self.store, text)
        if iri is None:
            raise NotFoundError(f"{name}: no entity {text!r} in the graph (try search_entities)")
        return iri
