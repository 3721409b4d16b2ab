"""Curation over a real Oxigraph server (RemoteStore): the projection travels in the update requests."""

from __future__ import annotations

import pytest

from kg import curation, loader
from kg.backend import open_store
from kg.model import Article
from tests.fakes import MS, NV, OA, fake_extract, investors
from tests.servers import OxigraphServer

pytestmark = pytest.mark.server

TABLE = {"u1": [(MS, "investsIn", OA)], "u2": [(MS, "investsIn", OA), (NV, "investsIn", OA)]}
ARTS = [
    Article("Microsoft invests in OpenAI, again.", url="u1"),
    Article("Nvidia joins Microsoft in backing OpenAI.", url="u2"),
]
RAW = (
    "ASK { GRAPH ?g { <https://w3id.org/aikg/entity/microsoft> "
    "<https://w3id.org/aikg/ontology#investsIn> <https://w3id.org/aikg/entity/openai> } }"
)


@pytest.fixture
def server(tmp_path):
    srv = OxigraphServer(tmp_path / "oxi")
    srv.start()
    yield srv
    srv.stop()


def test_a_rejection_holds_for_new_sources_and_deletes_on_a_server(server):
    store = open_store(server.url)
    loader.ingest(store, ARTS[:1], fake_extract(TABLE))
    change = curation.verdict(store, "Reject", subject="Microsoft", predicate="investsIn", obj="OpenAI", reason="test")
    assert change.removed > 0 and investors(store) == []
    loader.ingest(store, ARTS[1:], fake_extract(TABLE))  # a new source states it again
    assert investors(store) == [("nvidia", "openai")]
    assert store.query(RAW)
    loader.delete_articles(store, loader.find_articles(store, "u2"))
    assert investors(store) == []
    curation.undo(store, change.operation.iri.value)
    assert investors(store) == [("microsoft", "openai")]
    store.close()


def test_loading_a_curated_dump_into_a_server_projects_it(server, tmp_path):
    import pyoxigraph as ox

    from kg.store import LocalStore

    with LocalStore(tmp_path / "local") as local:
        loader.ingest(local, ARTS, fake_extract(TABLE))
        curation.verdict(local, "Reject", subject="Microsoft", predicate="investsIn", obj="OpenAI")
        named = [
            q
            for q in local.oxigraph.quads_for_pattern(None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        ]
    store = open_store(server.url)
    store.load(ox.serialize(named, format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
    assert investors(store) == [("nvidia", "openai")] and store.query(RAW)
    store.close()
