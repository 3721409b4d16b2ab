"""The store API over a real Oxigraph server process (PyPI package `oxigraph`)."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pyoxigraph as ox
import pytest

from kg import loader
from kg.backend import open_store
from kg.errors import QuerySyntaxError, RemoteStoreError
from kg.model import Article
from tests.fakes import MS, NV, OA, fake_extract, investors
from tests.servers import start_server

pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path):
    srv = start_server("oxigraph", tmp_path / "oxi")
    yield srv
    srv.stop()


TABLE = {"u1": [(MS, "investsIn", OA)], "u2": [(MS, "investsIn", OA), (NV, "investsIn", OA)]}
ARTS = [
    Article("Microsoft invests in OpenAI, again.", url="u1"),
    Article("Nvidia joins Microsoft in backing OpenAI.", url="u2"),
]


def test_ingest_query_delete_on_a_server(server):
    store = open_store(server.url)
    summary = loader.ingest(store, ARTS, fake_extract(TABLE))
    assert summary.new == 2
    assert investors(store) == [("microsoft", "openai"), ("nvidia", "openai")]
    # Idempotent: the same articles again change nothing.
    before = httpx.post(
        server.url,
        content="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    ).json()
    again = loader.ingest(store, ARTS, fake_extract(TABLE))
    assert (again.unchanged, again.new) == (2, 0)
    after = httpx.post(
        server.url,
        content="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    ).json()
    assert before == after
    loader.delete_articles(store, loader.find_articles(store, "u2"))
    assert investors(store) == [("microsoft", "openai")]
    store.close()


def test_parameters_are_data_on_a_server(server):
    store = open_store(server.url)
    loader.ingest(store, ARTS[:1], fake_extract(TABLE))
    rows = list(
        store.query(
            "SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?n }",
            substitutions={"n": ox.Literal('OpenAI" } ; DROP ALL ; #')},
        )
    )
    assert rows == []
    assert investors(store) == [("microsoft", "openai")]
    store.close()


def test_malformed_query_reports_the_servers_message(server):
    store = open_store(server.url)
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT WHERE {")
    store.close()


def test_update_base_iri_resolves_like_a_local_store(server, tmp_path):
    from kg.store import LocalStore

    updates = [
        "INSERT DATA { <http://x/s> <http://x/p> <a> }",
        "BASE <http://other.example/dir/> INSERT DATA { <http://x/s> <http://x/p> <b> }",
    ]
    base = "http://127.0.0.1:1/update"
    remote = open_store(server.url)
    with LocalStore(tmp_path / "local") as local:
        for update in updates:
            remote.update(update, base_iri=base)
            local.update(update, base_iri=base)
        expected = {r["o"].value for r in local.query("SELECT ?o WHERE { <http://x/s> ?p ?o }")}
    got = {r["o"].value for r in remote.query("SELECT ?o WHERE { <http://x/s> ?p ?o }")}
    assert got == expected == {"http://127.0.0.1:1/a", "http://other.example/dir/b"}
    remote.close()


def test_server_down_mid_ingest_is_a_clear_error_and_resumable(server):
    store = open_store(server.url)
    arts = [Article(f"Article number {i} says Microsoft invests in OpenAI.", url=f"n{i}") for i in range(6)]
    table = {a.url: [(MS, "investsIn", OA)] for a in arts}
    calls = {"n": 0}
    base = fake_extract(table)

    def extract_then_kill(batch):
        calls["n"] += 1
        if calls["n"] == 2:
            server.stop()
        yield from base(batch)

    with pytest.raises(RemoteStoreError, match="cannot reach"):
        loader.ingest(store, arts, extract_then_kill, batch_size=3)
    server.start()
    store = open_store(server.url)
    done = {r["u"].value for r in store.query("SELECT ?u WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u } }")}
    assert done == {"n0", "n1", "n2"}  # the first batch only: no partial second batch
    summary = loader.ingest(store, arts, base, batch_size=3)
    assert (summary.unchanged, summary.new) == (3, 3)
    store.close()


def test_cli_reads_a_server(server, tmp_path):
    store = open_store(server.url)
    loader.ingest(store, ARTS, fake_extract(TABLE))
    store.close()
    proc = subprocess.run(
        [sys.executable, "-m", "aikg", "stats", "--json", "--store", server.url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"investsIn": 2' in proc.stdout
