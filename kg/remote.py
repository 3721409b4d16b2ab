"""The store API over any SPARQL 1.1 server, through the standard protocols.

Query: SPARQL 1.1 Protocol (POST ``application/sparql-query``), results as SPARQL JSON
or N-Triples, parsed by pyoxigraph. Update: POST ``application/sparql-update`` to the
update endpoint, with ``Authorization: Bearer`` when a token is set. One article batch is
one update request, so a server that runs each request as a transaction (Oxigraph,
Fuseki, GraphDB, Virtuoso) never holds half a batch.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.errors import RemoteStoreError, WriteRefusedError
from kg.sparql_errors import server_error
from kg.store import QUAD_FORMATS, QueryResult, Term, bind_values, check_query, parse_rdf, union_update

log = logging.getLogger(__name__)

_GRAPH_ACCEPT = "application/n-triples"
_SELECT_ACCEPT = "application/sparql-results+json"


def endpoints(url: str) -> tuple[str, str]:
    """Return (query URL, update URL) for a server URL.

    ``.../sparql`` (aikg serve, Fuseki datasets, Virtuoso) and ``.../query`` (Oxigraph)
    get ``.../update`` beside them; a bare ``host:port`` is taken as an aikg server. A
    ``#update=URL`` fragment names the update endpoint explicitly.
    """
    parts = urlsplit(url)
    explicit = dict(p.split("=", 1) for p in parts.fragment.split("&") if "=" in p)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    path = parts.path.rstrip("/")
    if path.endswith(("/sparql", "/query")):
        query_url = base
        update_url = urlunsplit((parts.scheme, parts.netloc, path.rsplit("/", 1)[0] + "/update", "", ""))
    else:
        query_url = urlunsplit((parts.scheme, parts.netloc, path + "/sparql", "", ""))
        update_url = urlunsplit((parts.scheme, parts.netloc, path + "/update", "", ""))
    return query_url, explicit.get("update", update_url)


class RemoteStore:
    """A SPARQL 1.1 server used as the aikg store."""

    def __init__(self, url: str, *, token: str | None = None, timeout: float = 120.0):
        """Point at a server; nothing is sent until the first request.

        Args:
            url: the query endpoint (see :func:`endpoints`).
            token: bearer token sent with updates.
            timeout: seconds per HTTP request.
        """
        self.location = url
        self.query_url, self.update_url = endpoints(url)
        headers = {"User-Agent": "aikg"}
        self._auth = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(timeout=timeout, headers=headers)

    def query(self, sparql: str, *, substitutions: Mapping[str, Term] | None = None,
              default_graph: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, base_iri: str | None = None) -> QueryResult:
        """Run a query on the server; substitutions are bound by a VALUES block.

        Raises:
            QuerySyntaxError: the server answered 400 (its parser's message made readable).
            RemoteStoreError: the server is unreachable or failed.
        """
        if substitutions:
            sparql = bind_values(sparql, substitutions)
        if base_iri:
            sparql = f"BASE {ox.NamedNode(base_iri)} {sparql}"
        check_query(sparql)
        params: list[tuple[str, str]] = [("default-graph-uri", g) for g in default_graph or ()]
        params += [("named-graph-uri", g) for g in named_graphs or ()]
        resp = self._send(
            self.query_url, sparql, "application/sparql-query",
            {"Accept": f"{_SELECT_ACCEPT}, {_GRAPH_ACCEPT};q=0.9"}, params,
        )
        ctype = resp.headers.get("content-type", "").split(";")[0].strip()
        if ctype in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.JSON)
        if ctype == "application/sparql-results+xml":
            return ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.XML)
        try:
            fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
            return _Triples([q.triple for q in ox.parse(resp.content, format=fmt)])
        except (SyntaxError, ValueError) as exc:
            raise RemoteStoreError(f"{self.query_url} answered unreadable {ctype!r}: {exc}") from exc

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Send one update request (one transaction on the server).

        Args:
            sparql: the update text.
            base_iri: the IRI its relative IRIs resolve against. The protocol has no
                parameter for it, so it goes as a BASE declaration before the text (on
                the same line: the server's line numbers stay right). A BASE of the
                update's own still applies from where it stands, as with a local store.

        Raises:
            QuerySyntaxError: the server answered 400.
            RemoteStoreError: refused (401/403), unreachable or failed; nothing is assumed written.
            ValueError: ``base_iri`` is not an absolute IRI.
        """
        if base_iri is not None:
            sparql = f"BASE {ox.NamedNode(base_iri)} {sparql}"
        self._send(self.update_url, sparql, "application/sparql-update", self._auth, [])

    def commit(self, inserts: Sequence[ox.Quad], drop_graphs: Sequence[ox.NamedNode] = ()) -> None:
        """Drop graphs and insert quads in one update request, keeping the union graph.

        Several pipelines may write to one server: an article graph is inserted only if
        the server does not hold it yet, checked inside the same request.
        """
        from kg.curation import data_block, drop_deletes, project, read_state

        state = read_state(self)
        if not state.empty:
            # Curated: the default graph is the projection (kg.curation), not the plain union.
            gone = drop_deletes(self, drop_graphs, inserts, state) if drop_graphs else set()
            parts = [f"DROP SILENT GRAPH {g}" for g in drop_graphs]
            if gone:
                parts.append("DELETE DATA {\n" + data_block(gone) + "}")
            if inserts:
                parts.append(union_update(inserts, (), (), only_new_graphs=True,
                                          project=lambda quads: project(quads, state)))
            if parts:
                self.update(" ;\n".join(parts))
            return
        dropped = {q.triple for g in drop_graphs for q in self.graph_quads(g)}
        self.update(union_update(inserts, drop_graphs, dropped, only_new_graphs=True))

    def graph_quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        """Return every quad of one named graph."""
        res = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": graph})
        return [ox.Quad(r["s"], r["p"], r["o"], graph) for r in res]

    def load(self, data: bytes | IO[bytes], fmt: ox.RdfFormat, *, graph: str | None = None) -> int:
        """Parse locally first (a bad file sends nothing), then send one INSERT DATA.

        Raises:
            RDFParseError: the document does not parse.
        """
        quads = parse_rdf(data, fmt, graph=graph)
        from kg.curation import (
            CURATION_GRAPH,
            operations_from_quads,
            project,
            read_state,
            reproject_all,
            state_from_operations,
        )

        state = read_state(self)
        if any(q.graph_name == CURATION_GRAPH for q in quads):
            # New operations: the whole default graph is projected again, in the same request.
            rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            raw = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
            ops = [q for q in [*raw, *quads] if q.graph_name == CURATION_GRAPH]
            new = state_from_operations(operations_from_quads(ops))
            self.update(reproject_all(self, state, new, extra=quads, raw=raw))
            return len(quads)
        named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
        plain = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
        text = union_update(named, (), (), project=None if state.empty else lambda qs: project(qs, state))
        if plain:
            body = "INSERT DATA {\n" + "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in plain) + "}"
            text = f"{text} ;\n{body}" if text else body
        if text:
            self.update(text)
        return len(quads)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the server's data: every graph for quad formats, else the union graph."""
        if fmt in QUAD_FORMATS:
            res = self.query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
            quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"] or ox.DefaultGraph()) for r in res]
            ox.serialize(quads, output, format=fmt)
        else:
            triples = list(self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
            ox.serialize(triples, output, format=fmt)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, url: str, body: str, ctype: str, headers: Mapping[str, str],
              params: list[tuple[str, str]]) -> httpx.Response:
        try:
            resp = self._client.post(url, content=body.encode("utf-8"), params=params,
                                     headers={"Content-Type": ctype, **headers})
        except httpx.HTTPError as exc:
            raise RemoteStoreError(f"cannot reach the SPARQL server at {url}: {exc}") from exc
        if resp.status_code == 400:
            raise server_error(body, resp.text, operation="update" if ctype == "application/sparql-update" else "query")
        if resp.status_code == 401:
            raise WriteRefusedError(
                f"{url} refused the write (401): the token is missing or wrong; "
                "set AIKG_TOKEN to the server's token")
        if resp.status_code == 403:
            raise WriteRefusedError(
                f"{url} refused the write (403): the token is wrong or the server takes no writes "
                "(an aikg server started without AIKG_TOKEN); set AIKG_TOKEN to the server's token")
        if resp.status_code >= 300:
            raise RemoteStoreError(f"{url} answered {resp.status_code}: {resp.text.strip()[:500]}")
        return resp


class _Triples(list):
    """CONSTRUCT/DESCRIBE results of a remote query, iterable like pyoxigraph's."""

