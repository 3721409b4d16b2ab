"""The MCP tools' shared ground: limits, JSON and citation helpers, argument checks, the base class.

:class:`ToolsBase` holds the app whose lifespan opened the store and the runner, and runs
blocking reads on a worker thread, turning what they raise into :class:`ToolError`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from mcp.server.mcpserver.exceptions import ToolError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from kg.errors import AikgError, NotFoundError

if TYPE_CHECKING:
    from api.settings import Settings
    from kg.store import Store

T = TypeVar("T")

#: Largest SPARQL result a tool hands back (bytes of the serialized result); past it the
#: assistant is told to add a LIMIT.
MAX_RESULT_BYTES = 512 * 1024
#: Evidence sentences kept per relation unless a call asks for another number.
EVIDENCE_PER_RELATION = 3
#: The tools that write; listed only on a server (or HTTP request) that has the token.
WRITE_TOOLS = ("ingest_text", "ingest_url")
# Articles ingested by one ingest_url call at most (a feed lists more): one call stays short.
MAX_URL_ARTICLES = 100


def _request(app: FastAPI) -> Request:
    """Return a request to the app, for the dependencies of :mod:`api.deps` (they read its app)."""
    return Request({"type": "http", "app": app})


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """Return a JSON-ready copy (dates as ISO text)."""
    out = jsonable_encoder(value)
    assert isinstance(out, dict)
    return out


def _evidence(items: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
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


def _entity_ref(d: dict[str, Any]) -> dict[str, Any]:
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


def _view(as_of: str | None, evidence_per_relation: int, min_confidence: float | None) -> tuple[date | None, int]:
    """Check the options of an entity or pair view; return the day and the evidence count."""
    day = _day(as_of, "as_of")
    evidence = _count(evidence_per_relation, "evidence_per_relation", 1, 20)
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise ToolError("min_confidence must be a number from 0 to 1 (0 shows everything)")
    return day, evidence


class ToolsBase:
    """The app the tools read through, and how they call blocking code (see :class:`GraphTools`)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    @property
    def store(self) -> Store:
        store: Store = self.app.state.store
        return store

    @property
    def settings(self) -> Settings:
        settings: Settings = self.app.state.settings
        return settings

    async def _thread(self, fn: Callable[[], T]) -> T:
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
