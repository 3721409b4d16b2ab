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
    base = fake_extract(table)

    def stop_after_first(report, summary):
        if summary.batches == 1:
            server.stop()

    with pytest.raises(RemoteStoreError, match="cannot reach"):
        loader.ingest(store, arts, base, batch_size=3, on_batch=stop_after_first)
    server.start()
    store = open_store(server.url)
    done = {r["u"].value for r in store.query("SELECT ?u WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u } }")}
    assert done == {"n0", "n1", "n2"}  # the first batch only: no partial second batch
    summary = loader.ingest(store, arts, base, batch_size=3)
    assert (summary.unchanged, summary.new) == (3, 3)
    store.close()


def test_server_down_while_the_next_batch_is_prepared_loses_no_batch_and_doubles_none(server):
    # With the pipeline, batch 1 may still be on its way when the server goes (during the
    # extraction of batch 2): it is then stored whole or not at all, and a rerun completes.
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
        loader.ingest(store, arts, extract_then_kill, batch_size=3, pipeline=True)
    server.start()
    store = open_store(server.url)
    done = {r["u"].value for r in store.query("SELECT ?u WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u } }")}
    assert done in (set(), {"n0", "n1", "n2"})
    summary = loader.ingest(store, arts, base, batch_size=3)
    assert (summary.unchanged, summary.new) == (len(done), 6 - len(done))
    rows = store.query("SELECT ?u (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u } } GROUP BY ?u")
    assert {r["u"].value: int(r["n"].value) for r in rows} == {a.url: 1 for a in arts}
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


@pytest.mark.server
def test_a_batch_over_an_aikg_servers_values_limit_is_written(tmp_path):
    """An aikg server refuses updates with over AIKG_MAX_VALUES_ROWS rows: the plain adapter's commits pass."""
    import os
    import time

    from tests.servers import free_port, kill_group

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIKG_")}
    env.update(AIKG_TOKEN="t0ken", AIKG_MAX_VALUES_ROWS="1000")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aikg",
            "serve",
            "--store",
            str(tmp_path / "s"),
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url, params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "aikg serve did not start"
                time.sleep(0.2)
        store = open_store(url, token="t0ken")
        arts = [Article(f"Story {i}: Microsoft invests in OpenAI.", url=f"https://n.example/{i}") for i in range(40)]
        table = {a.url: [(MS, "investsIn", OA), (NV, "investsIn", OA), (MS, "investsIn", NV)] for a in arts}
        summary = loader.ingest(store, arts, fake_extract(table), batch_size=40)
        assert summary.new == 40
        n = store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a ?t } }")
        assert int(next(iter(n))["n"].value) == 40
        again = loader.ingest(store, arts, fake_extract(table), batch_size=40)
        assert (again.new, again.unchanged) == (0, 40)
        store.close()
    finally:
        kill_group(proc)


def test_the_oxigraph_adapter_writes_a_batch_in_one_guarded_insert(server):
    store = open_store("oxigraph+" + server.url)
    assert store.engine.name == "oxigraph" and store.engine.max_values_rows is None
    arts = [Article(f"Story {i}: Microsoft invests in OpenAI.", url=f"https://n.example/{i}") for i in range(30)]
    table = {a.url: [(MS, "investsIn", OA), (NV, "investsIn", OA)] for a in arts}
    plain = open_store(server.url)
    text = plain.engine.commit_update(
        plain,
        [ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("v"), ox.NamedNode("http://e/g"))],
        (),
    )
    assert "VALUES" not in text  # the plain adapter never sends one
    first = loader.ingest(store, arts, fake_extract(table), batch_size=30)
    assert first.new == 30
    union = sorted(
        str(r["s"]) + str(r["o"])
        for r in store.query("SELECT ?s ?o WHERE { ?s <https://w3id.org/aikg/ontology#investsIn> ?o }")
    )
    assert union == sorted(
        {
            str(r["s"]) + str(r["o"])
            for r in store.query("SELECT ?s ?o WHERE { GRAPH ?g { ?s <https://w3id.org/aikg/ontology#investsIn> ?o } }")
        }
    )
    # A second commit of a stored article graph, other content: the server keeps the first.
    g = ox.NamedNode(f"https://w3id.org/aikg/article/{arts[0].id}")
    before = set(store.graph_quads(g))
    store.commit([ox.Quad(g, ox.NamedNode("https://w3id.org/aikg/test/p"), ox.Literal("late"), g)])
    assert set(store.graph_quads(g)) == before
    again = loader.ingest(store, arts, fake_extract(table), batch_size=30)
    assert (again.new, again.unchanged) == (0, 30)
    store.close()
    plain.close()
