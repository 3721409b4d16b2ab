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

The package's modules, each with one job: :mod:`~api.mcp_server.base` (limits, helpers,
the base class of the tools), :mod:`~api.mcp_server.entities` (entity and relation reads),
:mod:`~api.mcp_server.queries` (SPARQL and named queries), :mod:`~api.mcp_server.writes`
(the ingest tools), :mod:`~api.mcp_server.server` (:class:`GraphTools` and
:func:`build_server`), :mod:`~api.mcp_server.transports` (stdio and streamable HTTP).
Every public name is re-exported here.
"""

from __future__ import annotations

from api.mcp_server.base import EVIDENCE_PER_RELATION, MAX_RESULT_BYTES, MAX_URL_ARTICLES, WRITE_TOOLS
from api.mcp_server.server import GraphTools, build_server
from api.mcp_server.transports import http_managers, run_stdio

__all__ = [
    "EVIDENCE_PER_RELATION",
    "MAX_RESULT_BYTES",
    "MAX_URL_ARTICLES",
    "WRITE_TOOLS",
    "GraphTools",
    "build_server",
    "http_managers",
    "run_stdio",
]
