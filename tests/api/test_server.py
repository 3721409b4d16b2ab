"""A real server process, used by real SPARQL clients (SPARQLWrapper, rdflib, RemoteStore)."""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import date

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, N3, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.loader import ingest
from kg.namespaces import ENTITY, ONTOLOGY
from kg.remote import RemoteStore

from .conftest import MSFT, TEST_HOSTS, TOKEN, Entity, fake_extract, make_extraction

pytestmark = pytest.mark.server

PREFIX = f"PREFIX aikg: <{ONTOLOGY}> PREFIX ent: <{ENTITY}> "
INVESTORS = PREFIX + "SELECT ?who ?in WHERE { ?who aikg:investsIn ?in } ORDER BY ?who"
EXPECTED = [(ENTITY + "amazon", ENTITY + "anthropic"), (ENTITY + "microsoft", ENTITY + "openai")]


def wrapper(server, fmt):
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery(INVESTORS)
    sw.setReturnFormat(fmt)
    return sw


def test_sparqlwrapper_json(server):
    res = wrapper(server, JSON).query().convert()
    assert [(b["who"]["value"], b["in"]["value"]) for b in res["results"]["bindings"]] == EXPECTED


def test_sparqlwrapper_xml(server):
    doc = wrapper(server, XML).query().convert()
    uris = [n.firstChild.data for n in doc.getElementsByTagName("uri")]
    assert list(zip(uris[::2], uris[1::2])) == EXPECTED


@pytest.mark.parametrize("fmt, dialect", [(CSV, "excel"), (TSV, "excel-tab")])
def test_sparqlwrapper_csv_tsv(server, fmt, dialect):
    text = wrapper(server, fmt).query().convert().decode()
    rows = list(csv.reader(io.StringIO(text), dialect=dialect))
    strip = (lambda v: v.strip("<>")) if fmt == TSV else (lambda v: v)
    assert [tuple(strip(v) for v in r) for r in rows[1:]] == EXPECTED


@pytest.mark.parametrize("fmt, ox_fmt", [(TURTLE, ox.RdfFormat.TURTLE), (N3, ox.RdfFormat.TURTLE)])
def test_sparqlwrapper_construct(server, fmt, ox_fmt):
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery(PREFIX + "CONSTRUCT { ?a aikg:investsIn ?b } WHERE { ?a aikg:investsIn ?b }")
    sw.setReturnFormat(fmt)
    body = sw.query().convert()
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert sorted((str(s), str(o)) for s, _, o in g) == EXPECTED


def test_sparqlwrapper_ntriples_construct(server):
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery(PREFIX + "CONSTRUCT { ?a aikg:investsIn ?b } WHERE { ?a aikg:investsIn ?b }")
    sw.addCustomHttpHeader("Accept", "application/n-triples")
    sw.setReturnFormat(TURTLE)
    raw = sw.query().response.read()
    assert sorted((t.subject.value, t.object.value) for t in ox.parse(raw, format=ox.RdfFormat.N_TRIPLES)) == EXPECTED


def test_sparqlwrapper_reports_a_bad_query(server):
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery("SELECT * WHERE { ?s ")
    with pytest.raises(QueryBadFormed):
        sw.query()


def test_rdflib_sparqlstore_query(server):
    g = rdflib.Graph(SPARQLStore(server.sparql))
    rows = [(str(r.who), str(r["in"])) for r in g.query(INVESTORS)]
    assert rows == EXPECTED


def test_rdflib_sparqlupdatestore_with_token(server):
    s = SPARQLUpdateStore(server.sparql, server.url + "/update", headers={"Authorization": f"Bearer {TOKEN}"})
    s.update(f"INSERT DATA {{ <{ENTITY}rdflib-probe> <{ONTOLOGY}uses> <{ENTITY}gpt-4> }}")
    g = rdflib.Graph(SPARQLStore(server.sparql))
    assert g.query(PREFIX + "ASK { ent:rdflib-probe aikg:uses ent:gpt-4 }").askAnswer is True
    s.update(f"DELETE DATA {{ <{ENTITY}rdflib-probe> <{ONTOLOGY}uses> <{ENTITY}gpt-4> }}")
    assert g.query(PREFIX + "ASK { ent:rdflib-probe aikg:uses ent:gpt-4 }").askAnswer is False


def test_rdflib_sparqlupdatestore_without_token_is_refused(server):
    s = SPARQLUpdateStore(server.sparql, server.url + "/update")
    with pytest.raises(Exception, match="401"):
        s.update(f"INSERT DATA {{ <{ENTITY}intruder> <{ONTOLOGY}uses> <{ENTITY}gpt-4> }}")
    assert httpx.get(server.sparql, params={"query": PREFIX + "ASK { ent:intruder ?p ?o }"}).json()["boolean"] is False


def test_remote_store_ingests_a_batch_through_the_server(server):
    nvidia = Entity("Nvidia", "Organization", "Q182477")
    text = "Nvidia supplies chips to Microsoft. Microsoft buys Nvidia chips for Azure."
    ex = make_extraction(
        text,
        "Chips",
        "https://news.example/nvidia-remote",
        date(2024, 6, 1),
        [(nvidia, "suppliesTo", MSFT, "Nvidia supplies chips to Microsoft.", 0.9)],
    )
    with RemoteStore(server.sparql, token=TOKEN) as remote:
        summary = ingest(remote, [ex.article], lambda batch: [ex] if batch else [])
        again = ingest(remote, [ex.article], fake_extract)
    assert (summary.new, summary.relations) == (1, 1)
    assert (again.new, again.unchanged) == (0, 1)
    ask = PREFIX + "ASK { ent:nvidia aikg:suppliesTo ent:microsoft }"
    assert httpx.get(server.sparql, params={"query": ask}).json()["boolean"] is True


def test_remote_store_without_token_cannot_write(server):
    ex = make_extraction("A lone sentence about Microsoft.", "x", "https://news.example/lone", date(2024, 1, 1), [])
    with RemoteStore(server.sparql, token=None) as remote:
        with pytest.raises(Exception, match="AIKG_TOKEN"):
            ingest(remote, [ex.article], lambda batch: [ex])


CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_cross_product_is_stopped_at_the_timeout_while_other_queries_are_answered(server):
    """The server runs with AIKG_QUERY_TIMEOUT=2 and no row cap.

    The engine writes the whole result before the response starts, so a query that
    cannot finish in time gets a 503 (not a cut body), and its engine process is killed.
    """
    outcome: dict = {}

    def big() -> None:
        t0 = time.monotonic()
        try:
            with httpx.stream("GET", server.sparql, params={"query": CROSS}, timeout=30) as r:
                outcome["status"] = r.status_code
                outcome["bytes"] = sum(len(c) for c in r.iter_bytes())
            outcome["error"] = None
        except httpx.HTTPError as exc:
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - t0

    th = threading.Thread(target=big)
    th.start()
    time.sleep(0.5)
    t0 = time.monotonic()
    small = httpx.get(server.sparql, params={"query": INVESTORS}, timeout=10)
    small_seconds = time.monotonic() - t0
    th.join(30)
    assert small.status_code == 200 and small_seconds < 1.0
    assert outcome["error"] is None and outcome["status"] == 503, outcome
    assert outcome["seconds"] < 6
    assert httpx.get(server.sparql, params={"query": "ASK {}"}).status_code == 200


def test_blocking_query_gets_503_at_the_timeout(server):
    t0 = time.monotonic()
    r = httpx.get(
        server.sparql,
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j a ?k }"},
        timeout=30,
    )
    assert r.status_code == 503
    assert "timeout" in r.text
    assert time.monotonic() - t0 < 4


def test_docs_page_needs_no_network(server):
    html = httpx.get(server.url + "/docs").text
    assert "swagger-ui-bundle.js" in html
    assert "http" not in html.replace(server.url, "").split("<body>")[0].replace("http-equiv", "")
    assert httpx.get(server.url + "/static-docs/swagger-ui-bundle.js").status_code == 200
    assert httpx.get(server.url + "/openapi.json").json()["info"]["title"] == "aikg"


def test_an_app_can_serve_a_remote_store(server):
    """aikg serve --store http://...: the app in front of another SPARQL server."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(store=server.sparql, allowed_hosts=TEST_HOSTS))) as c:
        r = c.get("/sparql", params={"query": INVESTORS}, headers={"Accept": "text/csv"})
        assert r.status_code == 200
        rows = list(csv.reader(io.StringIO(r.text)))
        assert [tuple(row) for row in rows[1:]] == EXPECTED
        assert c.get("/entities/microsoft").json()["wikidata"] == "Q2283"
        bad = c.get("/sparql", params={"query": "SELECT * WHERE {"})
        assert bad.status_code == 400
