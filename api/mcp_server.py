"""The Model Context Protocol server: the graph's reads, and with the token ingest, as tools for AI assistants.

Two ways in, one set of tools (built on the ``mcp`` SDK's :class:`MCPServer`):

* ``aikg mcp --store DIR|URL`` speaks MCP over stdio, for an assistant that starts it as
  a subprocess (:func:`run_stdio`);
* ``aikg serve`` answers MCP's streamable HTTP at ``/mcp`` (:mod:`api.mcp_http`): read-only,
  unless a request carries ``Authorization: Bearer <token>`` with the server's write token
  (the one ``/update`` takes), which adds the ingest tool.

Every tool reads through the objects the HTTP API uses, opened by :func:`api.app.create_app`:
the store for the REST reads (:mod:`kg.graphdata`, :mod:`kg.analytics`), and the SPARQL
runner for the ``sparql`` and ``run_named_query`` tools, so a query from an assistant is
isolated, limited, timed out and refused (SERVICE, updates, over-wide text) exactly as
``/sparql`` would. Answers about relations carry each evidence sentence with its article's
URL and IRI, so an assistant can cite them. A tool that cannot answer raises
:class:`ToolError` with a one-line reason; the assistant reads it, the server goes on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

import anyio
from fastapi.encoders import jsonable_encoder
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import AikgError, NotFoundError, QuerySyntaxError

log = logging.getLogger(__name__)

#: Largest SPARQL result a tool hands back (bytes of the serialized result); past it the
#: assistant is told to add a LIMIT.
MAX_RESULT_BYTES = 512 * 1024
#: Evidence sentences kept per relation unless a call asks for another number.
EVIDENCE_PER_RELATION = 3
#: The tools that write; listed only on a server (or HTTP request) that has the token.
WRITE_TOOLS = ("ingest_text", "ingest_url")

_INSTRUCTIONS = """\
aikg is a knowledge graph of the AI industry: organizations, people, models and products,
linked by typed relations (investsIn, founded, leads, develops, partnersWith, ...) that were
extracted from news articles. Every relation is backed by evidence sentences, each with the
article it came from: cite the sentence and its url when you use a relation. Start with
search_entities to find how the graph names something, then get_entity,
relations_between or shortest_path; sparql and the named queries answer anything else.
A relation can be over (ended: a former role, a stake sold); as_of=YYYY-MM-DD asks how the
graph stood on a day."""

_READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


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


class GraphTools:
    """The tools' work, over an app whose lifespan opened the store and the runner.

    Each method runs on a worker thread or awaits the runner, so the event loop of
    ``aikg serve`` goes on meanwhile. Every method raises :class:`ToolError` with a
    one-line reason when it cannot answer (for a query that does not parse, the query
    line and a caret under the spot follow it): an unknown entity, a bad date or
    count, a query refused or failed.
    """

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

    # ------------------------------------------------------------ entities

    async def search_entities(self, query: str, type: str | None, limit: int) -> dict:
        from kg import graphdata as data
        from kg.model import ENTITY_TYPES

        if type is not None and type not in ENTITY_TYPES:
            raise ToolError(f"unknown type {type!r}; use one of: {', '.join(ENTITY_TYPES)}")
        if len(query) > 200:
            raise ToolError("query is longer than 200 characters")
        limit = _count(limit, "limit", 1, 100)
        items, total = await self._thread(lambda: data.search_entities(self.store, query, type, limit, 0))
        return {
            "total": total,
            "entities": [
                {
                    **_entity_ref(e),
                    "aliases": e.get("aliases", []),
                    "wikidata": e.get("wikidata"),
                    "match": e.get("match"),
                }
                for e in items
            ],
        }

    def _entity(
        self, text: str, name: str, *, as_of: date | None, include_ended: bool, min_confidence: float | None
    ) -> dict:
        from kg import graphdata as data
        from kg.namespaces import ENTITY

        iri = self._resolve(text, name)
        if not iri.startswith(ENTITY):
            raise NotFoundError(f"{name}: {text!r} is not an entity of the graph (try search_entities)")
        threshold = self.settings.min_confidence if min_confidence is None else min_confidence
        return data.get_entity(
            self.store, iri.removeprefix(ENTITY), min_confidence=threshold, as_of=as_of, include_ended=include_ended
        )

    @staticmethod
    def _relation(entity: dict, r: dict, evidence: int) -> dict:
        me, other = _entity_ref(entity), _entity_ref(r["other"])
        subject, obj = (me, other) if r["direction"] == "out" else (other, me)
        return {
            "subject": subject,
            "predicate": r["predicate"],
            "object": obj,
            "reads": f"{subject['label']} {r['predicate']} {obj['label']}",
            "ended": r["ended"],
            "start_date": r["start_date"],
            "end_date": r["end_date"],
            "first_reported": r["first"],
            "last_reported": r["last"],
            "sources": r["sources"],
            "confidence": r["confidence"],
            "evidence": _evidence(r["evidence"], evidence),
        }

    async def get_entity(
        self,
        entity: str,
        as_of: str | None,
        include_ended: bool,
        evidence_per_relation: int,
        min_confidence: float | None,
    ) -> dict:
        day = _day(as_of, "as_of")
        evidence = _count(evidence_per_relation, "evidence_per_relation", 1, 20)
        if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
            raise ToolError("min_confidence must be a number from 0 to 1 (0 shows everything)")
        e = await self._thread(
            lambda: self._entity(
                entity, "entity", as_of=day, include_ended=include_ended, min_confidence=min_confidence
            )
        )
        groups: dict[str, dict[str, list[dict]]] = {"current": {}, "ended": {}}
        for r in e["relations"]:
            key = "ended" if r["ended"] else "current"
            groups[key].setdefault(r["predicate"], []).append(self._relation(e, r, evidence))
        return _plain(
            {
                "entity": {
                    **_entity_ref(e),
                    "aliases": e["aliases"],
                    "wikidata": e["wikidata"],
                    "wikidata_url": e["wikidata_url"],
                },
                "as_of": day,
                "relation_count": len(e["relations"]),
                "current": groups["current"],
                "ended": groups["ended"],
                "hidden_relations": e["hidden_relations"],
            }
        )

    async def relations_between(
        self,
        a: str,
        b: str,
        as_of: str | None,
        include_ended: bool,
        evidence_per_relation: int,
        min_confidence: float | None,
    ) -> dict:
        day = _day(as_of, "as_of")
        evidence = _count(evidence_per_relation, "evidence_per_relation", 1, 20)
        if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
            raise ToolError("min_confidence must be a number from 0 to 1 (0 shows everything)")

        def read() -> tuple[dict, str]:
            other = self._resolve(b, "b")
            return self._entity(a, "a", as_of=day, include_ended=include_ended, min_confidence=min_confidence), other

        e, other = await self._thread(read)
        rels = [self._relation(e, r, evidence) for r in e["relations"] if r["other"]["iri"] == other]
        out = {"a": _entity_ref(e), "b_iri": other, "relations": rels}
        if not rels:
            out["note"] = "no relation links them directly; shortest_path finds a chain through others"
        return _plain(out)

    async def shortest_path(
        self,
        from_entity: str,
        to_entity: str,
        max_length: int,
        as_of: str | None,
        include_ended: bool | None,
        evidence_per_hop: int,
    ) -> dict:
        from api.deps import projection
        from kg import graphdata as data
        from kg.analytics import shortest_path
        from kg.queries import run_named

        day = _day(as_of, "as_of")
        max_length = _count(max_length, "max_length", 1, 10)
        evidence = _count(evidence_per_hop, "evidence_per_hop", 1, 10)

        def read() -> dict:
            a, b = self._resolve(from_entity, "from_entity"), self._resolve(to_entity, "to_entity")
            G = projection(_request(self.app), self.store, as_of=day, include_ended=include_ended)
            for iri, name in ((a, from_entity), (b, to_entity)):
                if iri not in G:
                    raise NotFoundError(
                        f"{name!r} has no relations in this graph" + (f" as of {day.isoformat()}" if day else "")
                    )
            hops = []
            for h in shortest_path(G, a, b, max_length=max_length):
                s, o = (h["from"], h["to"]) if h["direction"] == "forward" else (h["to"], h["from"])
                rows = run_named(
                    self.store, "relation-evidence", {"subject": s, "predicate": h["predicate"], "object": o}
                )
                cited = [
                    {
                        "sentence": r["evidence"].value,
                        "url": r["url"].value if r["url"] else None,
                        "article": r["article"].value,
                        "title": r["title"].value if r["title"] else None,
                        "date": r["date"].value if r["date"] else None,
                    }
                    for r in rows
                ]
                subject, obj = data.node_ref(G, s), data.node_ref(G, o)
                hops.append(
                    {
                        "from": _entity_ref(data.node_ref(G, h["from"])),
                        "to": _entity_ref(data.node_ref(G, h["to"])),
                        "predicate": h["predicate"],
                        "direction": h["direction"],
                        "reads": f"{subject['label']} {h['predicate']} {obj['label']}",
                        "sources": h["sources"],
                        "ended": h["ended"],
                        "start_date": h["start_date"],
                        "end_date": h["end_date"],
                        "evidence": cited[:evidence],
                    }
                )
            return {"length": len(hops), "hops": hops}

        return _plain(await self._thread(read))

    # ------------------------------------------------------------ SPARQL

    async def _run(self, query: str, substitutions=None) -> dict:
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
            response = await self.app.state.runner.respond(req, "mcp")
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

    async def sparql(self, query: str) -> dict:
        if not query.strip():
            raise ToolError("the query is empty")
        return await self._run(query)

    async def run_named_query(self, name: str, params: dict[str, str] | None) -> dict:
        from kg.queries import bind_param, get_query

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
        return {"query": q.name, "title": q.title, **await self._run(q.text, bindings or None)}

    # ------------------------------------------------------------ writes

    async def ingest_text(
        self, text: str, title: str | None, url: str | None, published: str | None, store_text: bool
    ) -> dict:
        from pydantic import ValidationError

        from api.deps import get_extract, get_write_lock, note_write, shutting_down
        from api.models import ArticleIn
        from kg import graphdata as data
        from kg.model import Article

        try:
            item = ArticleIn(text=text, title=title, url=url, published=published)
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            raise ToolError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
        article = Article(text=item.text, title=item.title, url=item.url, published=item.published)
        request = _request(self.app)
        try:
            from kg.validate import validate_batch
        except ImportError:
            validate_batch = None

        def run() -> tuple[list[dict], list[str]]:
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

    async def ingest_url(self, url: str) -> dict:
        from api.deps import get_write_lock, note_write
        from ingest.fetch import ingest_urls  # present when URL ingest is installed (see build_server)

        request = _request(self.app)

        def run():
            with get_write_lock(request):
                return ingest_urls([url], store=self.store)

        result = await self._thread(run)
        note_write(request)
        return _plain({"result": result})


def _ingested(a: dict) -> dict:
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


def _syntax_message(exc: QuerySyntaxError) -> str:
    message = str(exc)
    pointer = getattr(exc, "pointer", None)
    return message + ("\n" + pointer if pointer else "")


async def _read_body(response, limit: int) -> bytes:
    """Return a runner response's body, refusing one larger than ``limit`` bytes.

    Raises:
        ToolError: the result is larger than a tool answer may be.
    """
    too_big = ToolError(
        f"the result is larger than {limit // 1024} KiB, more than a tool answer holds: "
        "add a LIMIT (or select fewer variables)"
    )
    spool = getattr(response, "spool", None)
    if spool is not None:
        try:
            data = spool.read(limit + 1)
        finally:
            spool.close()
            response.on_close()
        if len(data) > limit:
            raise too_big
        return data
    iterator = getattr(response, "body_iterator", None)
    if iterator is not None:
        chunks, size = [], 0
        try:
            async for chunk in iterator:
                chunk = chunk.encode() if isinstance(chunk, str) else chunk
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
    return response.body


def _results(doc: dict) -> dict:
    """Return SPARQL JSON results as rows of plain values (ASK as its boolean)."""
    if "boolean" in doc:
        return {"kind": "ask", "boolean": doc["boolean"]}
    names = doc.get("head", {}).get("vars", [])
    rows = [{k: v.get("value") for k, v in b.items()} for b in doc.get("results", {}).get("bindings", [])]
    return {"kind": "select", "vars": names, "row_count": len(rows), "rows": rows}


# ---------------------------------------------------------------- the server


async def _refuse_writes(ctx, call_next):
    """Answer a call of a write tool on a read-only server with why, not "Unknown tool"."""
    name = (ctx.params or {}).get("name") if ctx.method == "tools/call" else None
    if name in WRITE_TOOLS:
        return CallToolResult(
            content=[
                TextContent(
                    type="text",
                    text=(
                        f"{name} needs the server's write token: over HTTP send 'Authorization: Bearer <token>' "
                        "(the token of /update); start `aikg mcp` with AIKG_TOKEN or --token-file"
                    ),
                )
            ],
            is_error=True,
        )
    return await call_next(ctx)


def build_server(app, *, writable: bool) -> MCPServer:
    """Return the MCP server of an app: its tools and resources.

    Args:
        app: the FastAPI app of :func:`api.app.create_app`; its lifespan must be running
            when a tool is called (it opens the store and the SPARQL runner).
        writable: offer the ingest tool(s); only for a caller holding the write token.
    """
    from importlib import import_module
    from importlib.util import find_spec

    from kg import __version__

    tools = GraphTools(app)
    server = MCPServer(
        "aikg",
        title="aikg knowledge graph of the AI industry",
        version=__version__,
        instructions=_INSTRUCTIONS,
        log_level="WARNING",
        middleware=[] if writable else [_refuse_writes],
    )

    @server.tool(annotations=_READ)
    async def search_entities(query: str = "", type: str | None = None, limit: int = 20) -> dict:
        """Find entities by name or alias (case-insensitive): exact matches first, then prefixes, then substrings.

        Args:
            query: text in a name or alias; empty lists every entity.
            type: keep one kind: Organization, Person, AIModel, Product, ... (as the graph types them).
            limit: how many to return (1-100).
        """
        return await tools.search_entities(query, type, limit)

    @server.tool(annotations=_READ)
    async def get_entity(
        entity: str,
        as_of: str | None = None,
        include_ended: bool = True,
        evidence_per_relation: int = EVIDENCE_PER_RELATION,
        min_confidence: float | None = None,
    ) -> dict:
        """One entity with its relations, grouped into current and ended, then by predicate, each with evidence.

        Each relation gives its dates (start, end, first and last reported), how many
        articles state it, and evidence sentences with the article url to cite.

        Args:
            entity: a name, alias, slug, Wikidata id (Q...) or IRI.
            as_of: the entity as it stood on this day (YYYY-MM-DD; a month or year means its last day).
            include_ended: keep relations that are over (a former role, a stake sold).
            evidence_per_relation: sentences per relation (1-20).
            min_confidence: 0-1; default the server's threshold; 0 shows everything.
        """
        return await tools.get_entity(entity, as_of, include_ended, evidence_per_relation, min_confidence)

    @server.tool(annotations=_READ)
    async def relations_between(
        a: str,
        b: str,
        as_of: str | None = None,
        include_ended: bool = True,
        evidence_per_relation: int = 5,
        min_confidence: float | None = None,
    ) -> dict:
        """The relations that link two entities directly, either way, with evidence sentences and sources.

        Args:
            a: the first entity (name, alias, slug, Wikidata id or IRI).
            b: the second entity.
            as_of: the graph as it stood on this day (YYYY-MM-DD).
            include_ended: keep relations that are over.
            evidence_per_relation: sentences per relation (1-20).
            min_confidence: 0-1; default the server's threshold; 0 shows everything.
        """
        return await tools.relations_between(a, b, as_of, include_ended, evidence_per_relation, min_confidence)

    @server.tool(annotations=_READ)
    async def shortest_path(
        from_entity: str,
        to_entity: str,
        max_length: int = 6,
        as_of: str | None = None,
        include_ended: bool | None = None,
        evidence_per_hop: int = 2,
    ) -> dict:
        """The shortest chain of relations (either direction) linking two entities, each hop with evidence.

        Args:
            from_entity: the start entity.
            to_entity: the end entity.
            max_length: the longest chain accepted, in hops (1-10).
            as_of: the graph as it stood on this day (YYYY-MM-DD): only relations active then.
            include_ended: count relations that are over; default yes without as_of, no with it.
            evidence_per_hop: sentences per hop (1-10).
        """
        return await tools.shortest_path(from_entity, to_entity, max_length, as_of, include_ended, evidence_per_hop)

    @server.tool(annotations=_READ)
    async def sparql(query: str) -> dict:
        """Run a read-only SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) with the limits of /sparql.

        SELECT answers rows of plain values; CONSTRUCT and DESCRIBE answer Turtle. The
        server's timeout, row cap and text limits apply; updates and SERVICE to hosts the
        server does not allow are refused. Prefixes: aikg: <https://w3id.org/aikg/ontology#>,
        statements are aikg:RelationStatement with rdf:subject/predicate/object,
        aikg:evidence and prov:wasDerivedFrom (the article, with schema:url). Read the
        aikg://ontology resource for the terms.

        Args:
            query: the SPARQL text.
        """
        return await tools.sparql(query)

    @server.tool(annotations=_READ)
    async def list_named_queries() -> dict:
        """List the shipped named SPARQL queries: name, title, description and parameters."""
        from kg.queries import list_queries

        return {"queries": [{k: v for k, v in q.to_dict().items() if k != "sparql"} for q in list_queries()]}

    @server.tool(annotations=_READ)
    async def run_named_query(name: str, params: dict[str, str] | None = None) -> dict:
        """Run a named query (see list_named_queries) with its parameters, bound as data.

        Args:
            name: the query's name, e.g. investors-of.
            params: parameter name to value, e.g. {"entity": "OpenAI"}; entities by name, alias or id.
        """
        return await tools.run_named_query(name, params)

    if writable:

        @server.tool(annotations=_WRITE)
        async def ingest_text(
            text: str,
            title: str | None = None,
            url: str | None = None,
            published: str | None = None,
            store_text: bool = False,
        ) -> dict:
            """Extract relations from one article's text and add them to the graph (as POST /articles).

            An article already stored (same text) is "unchanged"; a new text at a stored url
            "replaced" the old one. Answers the relations found, with their evidence.

            Args:
                text: the article's plain text.
                title: its headline.
                url: where it was published (cited as the source of its relations).
                published: its publication day, YYYY-MM-DD.
                store_text: keep the full text in the graph (by default only evidence sentences).
            """
            return await tools.ingest_text(text, title, url, published, store_text)

        if find_spec("ingest.fetch") is not None and hasattr(import_module("ingest.fetch"), "ingest_urls"):

            @server.tool(annotations=_WRITE)
            async def ingest_url(url: str) -> dict:
                """Fetch an article page or feed at a URL and add what it holds to the graph.

                Args:
                    url: an http(s) address of an article page, an RSS/Atom feed or an OPML list.
                """
                return await tools.ingest_url(url)

    @server.resource("aikg://ontology", name="ontology", title="The aikg ontology (Turtle)", mime_type="text/turtle")
    def ontology() -> str:
        """The classes and properties of the graph, with their comments."""
        from ontology import ONTOLOGY_PATH

        return ONTOLOGY_PATH.read_text(encoding="utf-8")

    @server.resource(
        "aikg://queries", name="named-queries", title="The named SPARQL queries", mime_type="application/json"
    )
    def named_queries() -> str:
        """Every shipped named query with its parameters and SPARQL text."""
        from kg.queries import list_queries

        return json.dumps([q.to_dict() for q in list_queries()], ensure_ascii=False, indent=1)

    @server.resource(
        "aikg://queries/{name}",
        name="named-query",
        title="One named SPARQL query",
        mime_type="application/sparql-query",
    )
    def named_query(name: str) -> str:
        """The SPARQL text of one named query, its header comments included."""
        from kg.queries import get_query

        try:
            return get_query(name).text
        except NotFoundError as exc:
            raise ResourceNotFoundError(str(exc)) from None

    return server


# ---------------------------------------------------------------- stdio


def run_stdio(app, *, writable: bool) -> None:
    """Serve MCP over stdin/stdout until the client closes stdin.

    Args:
        app: the app of :func:`api.app.create_app`; its lifespan opens the store and the
            query engines as ``aikg serve`` does, so the tools read with the same
            isolation and limits.
        writable: offer the ingest tool (the settings carry a token).
    """

    async def main() -> None:
        async with app.router.lifespan_context(app):
            server = _quietly(lambda: build_server(app, writable=writable))
            await server.run_stdio_async()

    anyio.run(main)


# ---------------------------------------------------------------- streamable HTTP under aikg serve


def http_managers(app, path: str) -> tuple[StreamableHTTPSessionManager, StreamableHTTPSessionManager | None]:
    """Return the session managers of ``path`` (``/mcp``): read-only, and writable when the server has a token.

    Stateless JSON responses: every request stands alone, so a client needs no session
    affinity, and :mod:`api.mcp_http` checks the token on each request. The managers must
    be run (their ``run()``) before they handle a request.
    """

    def manager(writable: bool) -> StreamableHTTPSessionManager:
        server = _quietly(lambda: build_server(app, writable=writable))
        # Builds the server's session manager; the Starlette app it returns is not used.
        # The app's TrustedHostMiddleware already refuses a Host it is not (DNS rebinding).
        server.streamable_http_app(
            streamable_http_path=path,
            stateless_http=True,
            json_response=True,
            max_request_body_size=app.state.settings.max_body_bytes,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        return server.session_manager

    return manager(False), manager(True) if app.state.settings.token is not None else None


def _quietly(build: Callable[[], MCPServer]) -> MCPServer:
    """Build an MCPServer without it configuring the root logger (it calls logging.basicConfig)."""
    root = logging.getLogger()
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        return build()
    finally:
        root.removeHandler(guard)
