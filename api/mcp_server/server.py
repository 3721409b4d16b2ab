"""The MCP server of an app: :class:`GraphTools` and the tools and resources built on it.

:func:`build_server` registers each tool with its description (what the assistant reads)
and its arguments' defaults; a read-only server answers a write tool's call with why.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp_types import CallToolResult, TextContent, ToolAnnotations

from api.mcp_server.base import EVIDENCE_PER_RELATION, WRITE_TOOLS
from api.mcp_server.entities import EntityTools
from api.mcp_server.queries import QueryTools
from api.mcp_server.writes import WriteTools
from kg.errors import NotFoundError

if TYPE_CHECKING:
    from mcp.server.context import CallNext, HandlerResult, ServerRequestContext

_INSTRUCTIONS = """\
aikg is a knowledge graph of the AI industry: organizations, people, models and products,
linked by typed relations (investsIn, founded, leads, develops, partnersWith, ...) that were
extracted from news articles. Every relation is backed by evidence sentences, each with the
article it came from: cite the sentence and its url when you use a relation. Start with
search_entities to find how the graph names something, then get_entity,
relations_between or shortest_path; sparql and the named queries answer anything else.
A relation can be over (ended: a former role, a stake sold); as_of=YYYY-MM-DD asks how the
graph stood on a day."""

# Every tool answers its JSON as text, with no output schema (``structured_output=False``),
# as the SDK does for a tool typed to return a bare ``dict``.
_READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


class GraphTools(EntityTools, QueryTools, WriteTools):
    """The tools' work, over an app whose lifespan opened the store and the runner.

    Each method runs on a worker thread or awaits the runner, so the event loop of
    ``aikg serve`` goes on meanwhile. Every method raises :class:`ToolError` with a
    one-line reason when it cannot answer (for a query that does not parse, the query
    line and a caret under the spot follow it): an unknown entity, a bad date or
    count, a query refused or failed.
    """


async def _refuse_writes(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
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


def build_server(app: FastAPI, *, writable: bool) -> MCPServer:
    """Return the MCP server of an app: its tools and resources.

    Args:
        app: the FastAPI app of :func:`api.app.create_app`; its lifespan must be running
            when a tool is called (it opens the store and the SPARQL runner).
        writable: offer the ingest tool(s); only for a caller holding the write token.
    """
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

    @server.tool(annotations=_READ, structured_output=False)
    async def search_entities(query: str = "", type: str | None = None, limit: int = 20) -> dict[str, Any]:
        """Find entities by name or alias (case-insensitive): exact matches first, then prefixes, then substrings.

        Args:
            query: text in a name or alias; empty lists every entity.
            type: keep one kind: Organization, Person, AIModel, Product, ... (as the graph types them).
            limit: how many to return (1-100).
        """
        return await tools.search_entities(query, type, limit)

    @server.tool(annotations=_READ, structured_output=False)
    async def get_entity(
        entity: str,
        as_of: str | None = None,
        include_ended: bool = True,
        evidence_per_relation: int = EVIDENCE_PER_RELATION,
        min_confidence: float | None = None,
    ) -> dict[str, Any]:
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

    @server.tool(annotations=_READ, structured_output=False)
    async def relations_between(
        a: str,
        b: str,
        as_of: str | None = None,
        include_ended: bool = True,
        evidence_per_relation: int = 5,
        min_confidence: float | None = None,
    ) -> dict[str, Any]:
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

    @server.tool(annotations=_READ, structured_output=False)
    async def shortest_path(
        from_entity: str,
        to_entity: str,
        max_length: int = 6,
        as_of: str | None = None,
        include_ended: bool | None = None,
        evidence_per_hop: int = 2,
    ) -> dict[str, Any]:
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

    @server.tool(annotations=_READ, structured_output=False)
    async def sparql(query: str) -> dict[str, Any]:
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

    @server.tool(annotations=_READ, structured_output=False)
    async def list_named_queries() -> dict[str, Any]:
        """List the shipped named SPARQL queries: name, title, description and parameters."""
        from kg.queries import list_queries

        return {"queries": [{k: v for k, v in q.to_dict().items() if k != "sparql"} for q in list_queries()]}

    @server.tool(annotations=_READ, structured_output=False)
    async def run_named_query(name: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """Run a named query (see list_named_queries) with its parameters, bound as data.

        Args:
            name: the query's name, e.g. investors-of.
            params: parameter name to value, e.g. {"entity": "OpenAI"}; entities by name, alias or id.
        """
        return await tools.run_named_query(name, params)

    if writable:

        @server.tool(annotations=_WRITE, structured_output=False)
        async def ingest_text(
            text: str,
            title: str | None = None,
            url: str | None = None,
            published: str | None = None,
            store_text: bool = False,
        ) -> dict[str, Any]:
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

        @server.tool(annotations=_WRITE, structured_output=False)
        async def ingest_url(url: str, published: str | None = None, store_text: bool = False) -> dict[str, Any]:
            """Fetch an article page, an RSS/Atom feed or an OPML list and add its articles to the graph.

            robots.txt is honoured; a feed's items are fetched (at most 100 articles a call).
            Stored articles come back "unchanged". Answers the relations found, with their
            evidence, and the URLs skipped with why.

            Args:
                url: an http(s) address on a public host (local and private addresses only
                    for hosts the server lists in AIKG_ALLOW_REMOTE).
                published: the publication day, YYYY-MM-DD, for articles whose page and feed give none.
                store_text: keep the full text in the graph (by default only evidence sentences).
            """
            return await tools.ingest_url(url, published, store_text)

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
