"""The MCP tools that run SPARQL: a query, and a named query with its parameters bound as data.

Both go through the server's runner, as ``/sparql`` does (isolation, limits, timeout,
refusals), and answer plain JSON rows (or Turtle for CONSTRUCT and DESCRIBE).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver.exceptions import ToolError
from starlette.responses import Response, StreamingResponse

from api.mcp_server.base import MAX_RESULT_BYTES, ToolsBase
from kg.errors import AikgError, NotFoundError, QuerySyntaxError

if TYPE_CHECKING:
    from kg.namespaces import Term


class QueryTools(ToolsBase):
    """sparql and run_named_query."""

    async def _run(self, query: str, substitutions: dict[str, Term] | None = None) -> dict[str, Any]:
        """Run a query through the server's runner, as /sparql does, and return its result as JSON."""
        from api.sparql import (
            NotAcceptableError,
            QueryRequest,
            TooManyStreamsError,
            UnknownFormatError,
            looks_like_update,
        )

        req = QueryRequest(
            query=query, substitutions=substitutions, accept="application/sparql-results+json, text/turtle"
        )
        try:
            response: Response = await self.app.state.runner.respond(req, "mcp")
        except QuerySyntaxError as exc:
            if looks_like_update(query):
                raise ToolError(
                    "this is a SPARQL update, not a query: the sparql tool only reads "
                    "(writes go to /update with the server's token)"
                ) from None
            raise ToolError(_syntax_message(exc)) from None
        except (AikgError, NotAcceptableError, UnknownFormatError, TooManyStreamsError) as exc:
            raise ToolError(str(exc)) from None
        body = await _read_body(response, MAX_RESULT_BYTES)
        media = (response.media_type or "").split(";")[0]
        if media == "application/sparql-results+json":
            return _results(json.loads(body))
        return {"kind": "graph", "turtle": body.decode("utf-8")}

    async def sparql(self, query: str) -> dict[str, Any]:
        if not query.strip():
            raise ToolError("the query is empty")
        return await self._run(query)

    async def run_named_query(self, name: str, params: dict[str, str] | None) -> dict[str, Any]:
        from kg.queries import bind_param, get_query, query_text

        try:
            q = get_query(name)
        except NotFoundError as exc:
            raise ToolError(str(exc)) from None
        given = {k.strip().lstrip("?"): str(v) for k, v in (params or {}).items()}
        unknown = sorted(set(given) - set(q.params))
        given = {**q.defaults, **given}
        missing = [p for p in q.params if p not in given]
        if unknown or missing:
            raise ToolError(
                f"query {q.name} takes parameters: {', '.join(q.params) or 'none'}"
                + (f"; missing: {', '.join(missing)}" if missing else "")
                + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            )
        bindings = await self._thread(lambda: {p: bind_param(self.store, p, given[p]) for p in q.params})
        text = await self._thread(lambda: query_text(self.store, q.name))
        return {"query": q.name, "title": q.title, **await self._run(text, bindings or None)}


def _syntax_message(exc: QuerySyntaxError) -> str:
    message = str(exc)
    pointer = getattr(exc, "pointer", None)
    return message + ("\n" + pointer if pointer else "")


async def _read_body(response: Response, limit: int) -> bytes:
    """Return a runner response's body, refusing one larger than ``limit`` bytes.

    A runner answers a spooled, a streamed or a whole body (:mod:`api.sparql`).

    Raises:
        ToolError: the result is larger than a tool answer may be.
    """
    from api.sparql import SpooledResponse

    too_big = ToolError(
        f"the result is larger than {limit // 1024} KiB, more than a tool answer holds: "
        "add a LIMIT (or select fewer variables)"
    )
    if isinstance(response, SpooledResponse):
        try:
            data = response.spool.read(limit + 1)
        finally:
            response.spool.close()
            response.on_close()
        if len(data) > limit:
            raise too_big
        return data
    if isinstance(response, StreamingResponse):
        iterator = response.body_iterator
        chunks: list[bytes] = []
        size = 0
        try:
            async for part in iterator:
                chunk = part.encode() if isinstance(part, str) else bytes(part)
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise too_big
        finally:
            close = getattr(iterator, "aclose", None)
            if close is not None:
                await close()
        return b"".join(chunks)
    if len(response.body) > limit:
        raise too_big
    return bytes(response.body)


def _results(doc: dict[str, Any]) -> dict[str, Any]:
    """Return SPARQL JSON results as rows of plain values (ASK as its boolean)."""
    if "boolean" in doc:
        return {"kind": "ask", "boolean": doc["boolean"]}
    names = doc.get("head", {}).get("vars", [])
    rows = [{k: v.get("value") for k, v in b.items()} for b in doc.get("results", {}).get("bindings", [])]
    return {"kind": "select", "vars": names, "row_count": len(rows), "rows": rows}
