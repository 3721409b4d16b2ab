"""The store API over any SPARQL 1.1 server, through the standard protocols.

Query: SPARQL 1.1 Protocol (POST ``application/sparql-query``), results as SPARQL JSON
or N-Triples, parsed by pyoxigraph. Update: POST ``application/sparql-update`` to the
update endpoint, with ``Authorization: Bearer`` when a token is set. One article batch is
one update request, so a server that runs each request as a transaction (Oxigraph,
Fuseki, GraphDB, Virtuoso) never holds half a batch. What differs between servers is
in the engine adapters of :mod:`kg.engines`, chosen by the URL.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import IO, Any

import httpx
import pyoxigraph as ox

from kg.derived import DROP_INDEX, HAS_STATE, NOT_DERIVED, is_derived
from kg.engines import SparqlEngine, endpoints, engine_for, public_url  # noqa: F401 (endpoints: re-exported)
from kg.errors import RemoteStoreError, WriteRefusedError
from kg.namespaces import Term
from kg.sparql_errors import server_error
from kg.store import (
    QUAD_FORMATS,
    QueryForms,
    QueryResult,
    bind_values,
    check_query,
    parse_rdf,
    union_update,
)

log = logging.getLogger(__name__)


class RemoteStore(QueryForms):
    """A SPARQL 1.1 server used as the aikg store."""

    def __init__(
        self, url: str, *, token: str | None = None, timeout: float = 120.0, engine: SparqlEngine | None = None
    ):
        """Point at a server; nothing is sent until the first request.

        Args:
            url: the query endpoint (see :func:`kg.engines.endpoints`), optionally with
                an engine prefix (``virtuoso+http://``, ``fuseki+http://``).
            token: bearer token sent with updates.
            timeout: seconds per HTTP request.
            engine: the adapter to use (default: the one the URL names).

        Raises:
            StoreError: the URL names an engine aikg has no adapter for.
        """
        self.engine = engine or engine_for(url, token=token)
        self.location = public_url(url)
        self.query_url, self.update_url = self.engine.query_url, self.engine.update_url
        headers = {"User-Agent": "aikg"}
        self._client = httpx.Client(timeout=timeout, headers=headers)
        self._index_checked = False  # whether a time index mark has been looked for (see update)

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
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
        params = self.engine.query_params(default_graph, named_graphs)
        resp = self._send(
            self.query_url,
            sparql,
            "query",
            {"Accept": self.engine.accept(sparql)},
            params,
        )
        ctype = resp.headers.get("content-type", "").split(";")[0].strip()
        if ctype in ("application/sparql-results+json", "application/json"):
            return self.engine.solutions(resp, ox.QueryResultsFormat.JSON)
        if ctype == "application/sparql-results+xml":
            return self.engine.solutions(resp, ox.QueryResultsFormat.XML)
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
        if not self._index_checked:
            # aikg indexes only embedded stores (kg.timeindex), but a store directory
            # indexed there may be served later: its index goes before the first write.
            if self.ask(HAS_STATE):
                self._send(self.update_url, DROP_INDEX, "update", self.engine.update_headers(), [])
            self._index_checked = True
        self._send(self.update_url, sparql, "update", self.engine.update_headers(), [])

    def commit(self, inserts: Sequence[ox.Quad], drop_graphs: Sequence[ox.NamedNode] = ()) -> None:
        """Drop graphs and insert quads in one update request, keeping the union graph.

        Several pipelines may write to one server: an article graph is inserted only if
        the server does not hold it yet, checked inside the same request (where the
        engine allows it at a fair cost: see :attr:`kg.engines.SparqlEngine.checks_new_graphs`;
        two requests for one article at the same moment can still both pass, see
        docs/SCALING.md).
        """
        from kg.curation import data_block, drop_deletes, project, read_state

        state = read_state(self)
        if state.empty:
            self.update(self.engine.commit_update(self, inserts, drop_graphs))
            return
        # Curated: the default graph is the projection (kg.curation), not the plain union.
        self._check_curation_engine()
        gone = drop_deletes(self, drop_graphs, inserts, state) if drop_graphs else set()
        parts = [f"DROP SILENT GRAPH {g}" for g in drop_graphs]
        if gone:
            parts.append("DELETE DATA {\n" + data_block(gone) + "}")
        if inserts:
            parts.append(
                union_update(inserts, (), (), only_new_graphs=True, project=lambda quads: project(quads, state))
            )
        if parts:
            self.update(" ;\n".join(parts))

    def _check_curation_engine(self) -> None:
        """Refuse curation where the union is kept in a graph of its own (Virtuoso): not built yet."""
        if self.engine.union_graph is not None:
            raise RemoteStoreError(
                f"curation is not supported on this server yet ({self.engine.name}): its union graph "
                "is a named graph, which the curated projection does not write"
            )

    def graph_quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        """Return every quad of one named graph."""
        res = self.select("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": graph})
        return [ox.Quad(r["s"], r["p"], r["o"], graph) for r in res]

    def load(self, data: bytes | IO[bytes], fmt: ox.RdfFormat, *, graph: str | None = None) -> int:
        """Parse locally first (a bad file sends nothing), then send one insert request.

        Named-graph quads are mirrored into the union graph, as articles are. A document
        with blank nodes goes as ``INSERT { ... } WHERE {}`` (a blank node then names one
        node in its graph and in the mirror).

        Raises:
            RDFParseError: the document does not parse.
        """
        # The time index is derived (kg.timeindex): a dump's copy of it is not loaded.
        quads = [q for q in parse_rdf(data, fmt, graph=graph) if not is_derived(q.graph_name)]
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
            self._check_curation_engine()
            rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } " + NOT_DERIVED + " }")
            raw = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
            ops = [q for q in [*raw, *quads] if q.graph_name == CURATION_GRAPH]
            new = state_from_operations(operations_from_quads(ops))
            self.update(reproject_all(self, state, new, extra=quads, raw=raw))
            return len(quads)
        if state.empty:
            blank = any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
            text = union_update(quads, (), (), union_graph=self.engine.union_graph, template=blank)
        else:
            self._check_curation_engine()
            named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
            plain = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
            text = union_update(named, (), (), project=lambda qs: project(qs, state))
            if plain:
                body = "INSERT DATA {\n" + "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in plain) + "}"
                text = f"{text} ;\n{body}" if text else body
        if text:
            self.update(text)
        return len(quads)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the server's data: every graph for quad formats, else the union graph."""
        if fmt in QUAD_FORMATS:
            res = self.select(
                "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } "
                + self.engine.graph_filter()
                + NOT_DERIVED
                + " } }"
            )
            quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"] or ox.DefaultGraph()) for r in res]
            ox.serialize(quads, output, format=fmt)
        else:
            triples = self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            ox.serialize(triples, output, format=fmt)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(
        self, url: str, body: str, operation: str, headers: Mapping[str, str], params: list[tuple[str, str]]
    ) -> httpx.Response:
        request = self.engine.update_body(body) if operation == "update" else self.engine.query_body(body)
        auth = self.engine.auth() if operation == "update" else None
        try:
            resp = self._client.post(
                url,
                params=tuple(params),
                headers={**request.pop("headers", {}), **headers},
                auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT,
                **request,
            )
        except httpx.HTTPError as exc:
            raise RemoteStoreError(f"cannot reach the SPARQL server at {url}: {exc}") from exc
        if resp.status_code == 400:
            raise server_error(body, resp.text, operation=operation)
        refused = self.engine.refusal(resp, url)
        if refused is not None:
            raise refused
        if resp.status_code == 401:
            raise WriteRefusedError(
                f"{url} refused the write (401): the token is missing or wrong; set AIKG_TOKEN to the server's token"
            )
        if resp.status_code == 403:
            raise WriteRefusedError(
                f"{url} refused the write (403): the token is wrong or the server takes no writes "
                "(an aikg server started without AIKG_TOKEN); set AIKG_TOKEN to the server's token"
            )
        if resp.status_code >= 300:
            raise RemoteStoreError(f"{url} answered {resp.status_code}: {resp.text.strip()[:500]}")
        return resp


class _Triples(list[Any]):
    """CONSTRUCT/DESCRIBE results of a remote query, iterable like pyoxigraph's."""
