"""The dataset describes itself and can be downloaded: Service Description, VoID, dumps.

In process (TestClient on a real on-disk store); the statistics are checked against
`aikg stats --json` run on the same store once the app has let it go, and the dumps
against `aikg export`. One test reads a dump from a real server process.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from api.sparql import GRAPH_MEDIA, RESULTS_MEDIA
from kg.derived import IS_FRESH, NOT_DERIVED
from kg.namespaces import ARTICLE, ONTOLOGY
from kg.void import RESULT_FORMATS
from tests.api.conftest import ARTICLES, TOKEN, make_client

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
AIKG = Namespace(ONTOLOGY)
IN_INDEX = IS_FRESH  # the sample store's ingest built the time index
RDF_ACCEPT = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


def aikg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aikg", *args], capture_output=True, text=True, timeout=300)


def cli_stats(store_dir: Path) -> dict:
    proc = aikg("stats", "--json", "--store", str(store_dir))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def parse(response: httpx.Response, fmt: str = "turtle") -> Graph:
    return Graph().parse(data=response.content, format=fmt)


def one(g: Graph, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


def void_counts(g: Graph) -> dict:
    """Read back the numbers a VoID consumer would: totals, class and property partitions."""
    (ds,) = g.subjects(RDF.type, VOID.Dataset)
    classes = {
        str(one(g, part, VOID["class"])).removeprefix(ONTOLOGY): one(g, part, VOID.entities).toPython()
        for part in g.objects(ds, VOID.classPartition)
    }
    props = {
        str(one(g, part, VOID.property)).removeprefix(ONTOLOGY): one(g, part, VOID.triples).toPython()
        for part in g.objects(ds, VOID.propertyPartition)
    }
    return {
        "triples": one(g, ds, VOID.triples).toPython(),
        "entities": one(g, ds, VOID.entities).toPython(),
        "documents": one(g, ds, VOID.documents).toPython(),
        "classes": classes,
        "properties": props,
        "dataset": ds,
    }


def expected_counts(stats: dict) -> dict:
    classes = dict(stats["entities_by_type"], Article=stats["articles"], RelationStatement=stats["statements"])
    return {
        "triples": stats["triples"],
        "entities": stats["entities"],
        "documents": stats["articles"],
        "classes": classes,
        "properties": stats["relations_by_predicate"],
    }


def test_service_description_by_accept_and_the_hint_otherwise(store_dir: Path) -> None:
    with make_client(store_dir, token=TOKEN) as client:
        graphs = {}
        for media, fmt in RDF_ACCEPT.items():
            r = client.get("/sparql", headers={"Accept": media})
            assert r.status_code == 200 and r.headers["content-type"].startswith(media)
            assert "Accept" in r.headers["vary"]
            graphs[media] = parse(r, fmt)
        for accept in (None, "*/*", "text/html,application/xhtml+xml,*/*;q=0.8", "text/html, text/turtle;q=0.5"):
            r = client.get("/sparql", headers={"Accept": accept} if accept else {})
            assert r.status_code == 400 and "/query" in r.text, accept
        # sd:UnionDefaultGraph holds: no triple is in one graph and not the other, the
        # time index (kg.timeindex, derived data in a graph of its own) being the one
        # named graph outside the union, as the README says.
        assert client.get("/sparql", params={"query": IN_INDEX}).json()["boolean"] is True
        for ask in (
            "ASK { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }",
            f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} {NOT_DERIVED} FILTER NOT EXISTS {{ ?s ?p ?o }} }}",
        ):
            assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False, ask
        # Every format the description names, the endpoint answers in.
        g = graphs["text/turtle"]
        svc = URIRef("http://testserver/sparql")
        named = set(g.objects(svc, SD.resultFormat))
        offered = {media: FORMATS[RESULT_FORMATS[media]] for media in RESULT_FORMATS}
        assert named == set(offered.values())
        for media, fmt_iri in offered.items():
            query = (
                "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
                if media in RESULTS_MEDIA
                else "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"
            )
            assert media in RESULTS_MEDIA or media in GRAPH_MEDIA
            r = client.get("/sparql", params={"query": query}, headers={"Accept": media})
            assert r.status_code == 200 and r.headers["content-type"].startswith(media), (media, fmt_iri)
        # Every media type /sparql answers in has its format in the description.
        for table in (RESULTS_MEDIA, GRAPH_MEDIA):
            for media in table:
                if media not in ("application/json", "application/xml", "text/xml", "text/plain"):
                    assert media in RESULT_FORMATS
    stats = cli_stats(store_dir)
    for g in graphs.values():
        assert (svc, RDF.type, SD.Service) in g
        assert one(g, svc, SD.endpoint) == svc
        assert SD.SPARQL11Query in set(g.objects(svc, SD.supportedLanguage))
        assert SD.UnionDefaultGraph in set(g.objects(svc, SD.feature))
        update = URIRef("http://testserver/update")
        assert SD.SPARQL11Update in set(g.objects(update, SD.supportedLanguage))
        dataset = one(g, svc, SD.defaultDataset)
        default = one(g, dataset, SD.defaultGraph)
        assert one(g, default, VOID.triples).toPython() == stats["triples"]
        assert one(g, default, VOID.entities).toPython() == stats["entities"]
        assert one(g, dataset, VOID.documents).toPython() == stats["articles"] == stats["graphs"] == len(ARTICLES)


def test_no_update_service_without_a_token(store_dir: Path) -> None:
    with make_client(store_dir) as client:
        g = parse(client.get("/sparql", headers={"Accept": "text/turtle"}))
    assert not list(g.subjects(SD.supportedLanguage, SD.SPARQL11Update))
    assert list(g.subjects(SD.supportedLanguage, SD.SPARQL11Query))


def test_void_statistics_equal_aikg_stats(store_dir: Path) -> None:
    with make_client(store_dir) as client:
        r = client.get("/.well-known/void")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
        g = parse(r)
        for media, fmt in RDF_ACCEPT.items():
            other = client.get("/.well-known/void", headers={"Accept": media})
            assert other.headers["content-type"].startswith(media)
            assert void_counts(parse(other, fmt)) == void_counts(g)
        counts = void_counts(g)
        ds = counts.pop("dataset")
        assert one(g, ds, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
        dumps = sorted(str(d) for d in g.objects(ds, VOID.dataDump))
        assert dumps == ["http://testserver/dumps/aikg.nq.gz", "http://testserver/dumps/aikg.ttl.gz"]
        for url in dumps:
            assert client.get(url).status_code == 200
        examples = list(g.objects(ds, VOID.exampleResource))
        assert len(examples) == 3
        for iri in examples:
            ask = client.get("/sparql", params={"query": f"ASK {{ <{iri}> ?p ?o }}"})
            assert ask.json()["boolean"] is True, iri
        latest = client.get("/sparql", params={"query": f"SELECT (MAX(?t) AS ?m) {{ ?a <{ONTOLOGY}ingestedAt> ?t }}"})
        assert (
            one(g, ds, DCTERMS.modified).toPython()
            == Literal(
                latest.json()["results"]["bindings"][0]["m"]["value"], datatype=one(g, ds, DCTERMS.modified).datatype
            ).toPython()
        )
        assert not list(g.objects(ds, DCTERMS.license))
    assert counts == expected_counts(cli_stats(store_dir))
    assert counts["properties"] and counts["classes"]["Organization"] > 0


def test_void_follows_writes_and_states_the_configured_licence(store_dir: Path) -> None:
    licence = "https://creativecommons.org/licenses/by/4.0/"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with make_client(store_dir, token=TOKEN, data_license=licence) as client:
        before = parse(client.get("/.well-known/void"))
        etag = client.get("/dumps/aikg.nq.gz").headers["etag"]
        victim = ARTICLES[1].id
        time.sleep(1.1)  # dcterms:modified counts whole seconds
        assert client.delete(f"/articles/{victim}", headers=auth).status_code == 204
        after = parse(client.get("/.well-known/void"))
        (ds,) = after.subjects(RDF.type, VOID.Dataset)
        assert one(after, ds, DCTERMS.license) == URIRef(licence)
        modified_before = one(before, ds, DCTERMS.modified).toPython()
        assert one(after, ds, DCTERMS.modified).toPython() > modified_before
        # The dump changed: the old tag no longer answers 304.
        again = client.get("/dumps/aikg.nq.gz", headers={"If-None-Match": etag})
        assert again.status_code == 200 and again.headers["etag"] != etag
        assert f"<{ARTICLE}{victim}>".encode() not in gzip.decompress(again.content)
    counts = void_counts(after)
    counts.pop("dataset")
    assert counts == expected_counts(cli_stats(store_dir))
    assert void_counts(before)["documents"] == counts["documents"] + 1


def test_dumps_download_with_etag_and_equal_aikg_export(store_dir: Path, tmp_path: Path) -> None:
    with make_client(store_dir) as client:
        got = {}
        for name in ("nq.gz", "ttl.gz"):
            r = client.get(f"/dumps/aikg.{name}")
            assert r.status_code == 200
            assert r.headers["content-type"] == "application/gzip"
            assert r.headers["content-disposition"] == f'attachment; filename="aikg.{name}"'
            assert "content-length" not in r.headers  # streamed, not built whole first
            etag = r.headers["etag"]
            cached = client.get(f"/dumps/aikg.{name}", headers={"If-None-Match": etag})
            assert cached.status_code == 304 and cached.content == b"" and cached.headers["etag"] == etag
            assert client.get(f"/dumps/aikg.{name}", headers={"If-None-Match": '"other"'}).status_code == 200
            got[name] = (r.content, etag)
            head = client.head(f"/dumps/aikg.{name}")  # the headers alone, no dump made
            assert head.status_code == 200 and head.content == b""
            assert head.headers["etag"] == etag and head.headers["content-type"] == "application/gzip"
            assert head.headers["content-disposition"] == f'attachment; filename="aikg.{name}"'
        assert got["nq.gz"][1] != got["ttl.gz"][1]
        missing = client.get("/dumps/aikg.rdf.gz")
        assert missing.status_code == 404 and "/dumps/aikg.nq.gz" in missing.text
    for name, (body, _) in got.items():
        out = tmp_path / f"aikg.{name}"
        proc = aikg("export", "--store", str(store_dir), "--format", name, "--output", str(out))
        assert proc.returncode == 0, proc.stderr
        assert out.read_bytes() == body, name
    union = Graph().parse(data=gzip.decompress(got["ttl.gz"][0]), format="turtle")
    assert len(union) == cli_stats(store_dir)["triples"]


def test_a_real_server_streams_the_dump(server) -> None:
    with httpx.stream("GET", server.url + "/dumps/aikg.nq.gz", timeout=30) as r:
        assert r.status_code == 200
        assert r.headers.get("transfer-encoding") == "chunked" and "content-length" not in r.headers
        body = r.read()
    lines = gzip.decompress(body).decode().splitlines()
    assert lines and all(line.endswith(" .") for line in lines)
    # every quad but the time index's: derived data, left out of dumps (and built by the
    # server's keeper at any moment after a write)
    stats_quads = httpx.get(
        server.sparql,
        params={
            "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} {NOT_DERIVED} }} }}"
        },
    ).json()
    assert len(lines) == int(stats_quads["results"]["bindings"][0]["n"]["value"])
    r = httpx.get(server.url + "/dumps/aikg.nq.gz", headers={"If-None-Match": r.headers["etag"]})
    assert r.status_code == 304


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json"])
def test_a_real_server_describes_itself(server, accept: str) -> None:
    r = httpx.get(server.sparql, headers={"Accept": accept})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format=RDF_ACCEPT[accept])
    assert (URIRef(server.sparql), RDF.type, SD.Service) in g
