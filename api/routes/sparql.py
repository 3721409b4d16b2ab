"""SPARQL 1.1 Protocol: the query operation at /sparql, the update operation at /update.

Implements https://www.w3.org/TR/sparql11-protocol/ sections 2.1 (query via GET, POST
form, POST direct) and 2.2 (update via POST form, POST direct), with content negotiation
over the result formats in :mod:`api.sparql`.
"""

from __future__ import annotations

import logging

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import RunnerDep, StoreDep, WriteLockDep, note_write, require_token
from api.sparql import QueryRequest, looks_like_update
from api.update import apply_update
from kg.errors import QuerySyntaxError
from kg.update_dataset import with_using

log = logging.getLogger(__name__)

router = APIRouter(tags=["sparql"])

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"

_QUERY_DOC = {
    "parameters": [
        {
            "name": "query",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "The SPARQL query (GET; POST sends it in the body).",
        },
        {
            "name": "default-graph-uri",
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "Graphs whose merge is the query's default graph (repeatable).",
        },
        {
            "name": "named-graph-uri",
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "Graphs the query may name with GRAPH (repeatable).",
        },
        {
            "name": "format",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "Overrides Accept: json, xml, csv, tsv (SELECT/ASK); turtle, ntriples, jsonld, rdfxml (CONSTRUCT/DESCRIBE); or a media type.",
        },
    ],
    "responses": {
        "200": {
            "description": "Results; SELECT/ASK as SPARQL JSON (default), XML, CSV, TSV; "
            "CONSTRUCT/DESCRIBE as Turtle (default), N-Triples, JSON-LD, RDF/XML.",
            "content": {
                m: {}
                for m in (
                    "application/sparql-results+json",
                    "application/sparql-results+xml",
                    "text/csv",
                    "text/tab-separated-values",
                    "text/turtle",
                    "application/n-triples",
                    "application/ld+json",
                    "application/rdf+xml",
                )
            },
        },
        "400": {"description": "Malformed query, missing or repeated query parameter, or result over the row cap."},
        "406": {"description": "No acceptable result format."},
        "413": {"description": "Request body too large."},
        "415": {"description": "Unsupported request Content-Type."},
        "503": {"description": "The query ran past the server's timeout."},
    },
}
_QUERY_BODY_DOC = {
    **_QUERY_DOC,
    "requestBody": {
        "content": {
            _QUERY: {"schema": {"type": "string"}, "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"},
            _FORM: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                }
            },
        }
    },
}
_UPDATE_DOC = {
    "parameters": [
        {
            "name": "using-graph-uri",
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "Graphs whose merge is the default graph of every DELETE/INSERT ... WHERE "
            "(as USING; repeatable).",
        },
        {
            "name": "using-named-graph-uri",
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "Graphs those WHERE clauses may name with GRAPH (as USING NAMED; repeatable).",
        },
    ],
    "requestBody": {
        "content": {
            _UPDATE: {
                "schema": {"type": "string"},
                "example": "INSERT DATA { <https://example.org/a> <https://example.org/p> 1 }",
            },
            _FORM: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "update": {"type": "string"},
                        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["update"],
                }
            },
        }
    },
    "responses": {
        "204": {"description": "Applied (one transaction). Relative IRIs resolve against the /update URL."},
        "400": {
            "description": "Malformed update; using-graph-uri/using-named-graph-uri with an update that "
            "has its own USING/WITH clause, or with a DELETE WHERE."
        },
        "401": {"description": "Missing or wrong bearer token."},
        "403": {"description": "The server has no token: writes are off."},
        "413": {"description": "Request body too large."},
        "415": {"description": "Unsupported request Content-Type, or a charset other than UTF-8."},
    },
}


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _one(values: list[str], name: str) -> str:
    if not values:
        raise HTTPException(400, f"missing the '{name}' parameter (a browser-friendly editor is at /query)")
    if len(values) > 1:
        raise HTTPException(400, f"the '{name}' parameter is given {len(values)} times; send exactly one")
    return values[0]


def _iris(values: list[str], name: str) -> tuple[str, ...]:
    for v in values:
        try:
            ox.NamedNode(v)
        except ValueError as exc:
            raise HTTPException(400, f"{name} {v!r} is not an absolute IRI: {exc}") from exc
    return tuple(values)


_UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


def _charset(request: Request) -> str | None:
    """Return the charset parameter of the Content-Type, lower-cased (None when absent)."""
    for param in request.headers.get("content-type", "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _read_text(request: Request) -> str:
    """Return a direct POST body: SPARQL text is UTF-8 (SPARQL 1.1 Protocol 2.1.3, 2.2.2)."""
    charset = _charset(request)
    if charset is not None and charset not in _UTF8:
        raise HTTPException(415, f"the body must be UTF-8 SPARQL text, not charset={charset}")
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"the request body is not UTF-8: {exc}") from exc


def _endpoint_iri(request: Request) -> str | None:
    """Return the URL the request was sent to, without its query: the service's base IRI.

    SPARQL 1.1 Protocol lets the service define the base IRI of relative IRIs, and names
    the endpoint's own URL as the natural one. None if the Host the client sent does not
    make a valid IRI (relative IRIs are then an error, as with no base).
    """
    url = str(request.url.replace(query="", fragment=""))
    try:
        return ox.NamedNode(url).value
    except ValueError:
        return None


async def _form(request: Request) -> FormData:
    try:
        return await request.form()
    except (ValueError, KeyError) as exc:
        raise HTTPException(400, f"the form body does not parse: {exc}") from exc


def _reject_update(text: str, exc: QuerySyntaxError) -> None:
    if looks_like_update(text):
        raise HTTPException(
            400, "this is a SPARQL update, not a query: POST it to /update (with the server's token)"
        ) from exc


async def _answer(runner: RunnerDep, request: Request, req: QueryRequest) -> Response:
    try:
        return await runner.respond(req, request.client.host if request.client else "")
    except QuerySyntaxError as exc:
        _reject_update(req.query, exc)
        raise


@router.get("/sparql", summary="SPARQL query (GET)", openapi_extra=_QUERY_DOC)
async def sparql_get(request: Request, runner: RunnerDep) -> Response:
    """Run a SPARQL query given in the URL (SPARQL 1.1 Protocol 2.1.1).

    Without a query, a client that asks for RDF by name in Accept (Turtle, JSON-LD,
    RDF/XML, N-Triples) gets the SPARQL 1.1 Service Description; others get the hint.
    """
    params = request.query_params
    if not params.getlist("query"):
        from api.routes.dataset import service_description

        described = await run_in_threadpool(service_description, request, request.app.state.store)
        if described is not None:
            return described
    req = QueryRequest(
        query=_one(params.getlist("query"), "query"),
        default_graphs=_iris(params.getlist("default-graph-uri"), "default-graph-uri"),
        named_graphs=_iris(params.getlist("named-graph-uri"), "named-graph-uri"),
        accept=request.headers.get("accept"),
        format=tuple(params.getlist("format")),
        download=params.get("download") in ("1", "true"),
        base_iri=_endpoint_iri(request),
    )
    return await _answer(runner, request, req)


@router.post("/sparql", summary="SPARQL query (POST form or direct)", openapi_extra=_QUERY_BODY_DOC)
async def sparql_post(request: Request, runner: RunnerDep) -> Response:
    """Run a SPARQL query sent as a form or as the body (SPARQL 1.1 Protocol 2.1.2, 2.1.3)."""
    ctype = _media_type(request)
    params = request.query_params
    if ctype == _FORM:
        form = await _form(request)
        queries = [v for v in form.getlist("query") if isinstance(v, str)] + params.getlist("query")
        default = [v for v in form.getlist("default-graph-uri") if isinstance(v, str)]
        named = [v for v in form.getlist("named-graph-uri") if isinstance(v, str)]
        default += params.getlist("default-graph-uri")
        named += params.getlist("named-graph-uri")
        query = _one(queries, "query")
    elif ctype == _QUERY:
        if params.getlist("query"):
            raise HTTPException(400, "the query is in the body; do not also send a 'query' URL parameter")
        query = await _read_text(request)
        default, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    else:
        raise HTTPException(415, f"unsupported Content-Type {ctype or '(none)'!r} for a query: use {_QUERY} or {_FORM}")
    req = QueryRequest(
        query=query,
        default_graphs=_iris(default, "default-graph-uri"),
        named_graphs=_iris(named, "named-graph-uri"),
        accept=request.headers.get("accept"),
        format=tuple(params.getlist("format")),
        base_iri=_endpoint_iri(request),
    )
    return await _answer(runner, request, req)


@router.post(
    "/update",
    summary="SPARQL update (token)",
    status_code=204,
    dependencies=[Depends(require_token)],
    openapi_extra=_UPDATE_DOC,
)
async def sparql_update(request: Request, store: StoreDep, lock: WriteLockDep) -> Response:
    """Apply a SPARQL update as one transaction (SPARQL 1.1 Protocol 2.2).

    ``using-graph-uri`` / ``using-named-graph-uri`` (in the form, or in the URL) act as
    USING / USING NAMED on every DELETE/INSERT ... WHERE (see :mod:`kg.update_dataset`).
    Relative IRIs resolve against this endpoint's URL.
    """
    ctype = _media_type(request)
    params = request.query_params
    if ctype == _FORM:
        form = await _form(request)
        text = _one([v for v in form.getlist("update") if isinstance(v, str)], "update")
        using = [v for v in form.getlist("using-graph-uri") if isinstance(v, str)]
        named = [v for v in form.getlist("using-named-graph-uri") if isinstance(v, str)]
    elif ctype == _UPDATE:
        if params.getlist("update"):
            raise HTTPException(400, "the update is in the body; do not also send an 'update' URL parameter")
        text = await _read_text(request)
        using, named = [], []
    else:
        raise HTTPException(
            415, f"unsupported Content-Type {ctype or '(none)'!r} for an update: use {_UPDATE} or {_FORM}"
        )
    default_graphs = _iris(using + params.getlist("using-graph-uri"), "using-graph-uri")
    named_graphs = _iris(named + params.getlist("using-named-graph-uri"), "using-named-graph-uri")
    base = _endpoint_iri(request)

    def apply() -> None:
        # Off the event loop: the text may be megabytes.
        with_dataset = with_using(text, default_graphs, named_graphs)
        apply_update(request, store, lock, with_dataset, base_iri=base)

    await run_in_threadpool(apply)
    note_write(request)
    log.info("applied a SPARQL update of %d characters", len(text))
    return Response(status_code=204)
