"""The server builds the time index again once writes pause (api.index_keeper).

An update through /update drops the index; the named time queries then read the
statements (right, slower). The server's keeper thread builds the index again a couple
of seconds after the last write, and at start for a store whose index is missing or of
an older layout. Seen from outside: the index graph's freshness mark, visible to any
SPARQL client through GRAPH, and the named query's rows, the same before and after.
"""

from __future__ import annotations

import time

import pyoxigraph as ox

from kg import timeindex
from kg.derived import FRESH, INDEX_GRAPH, INDEX_STATE
from kg.store import LocalStore
from tests.api.conftest import TOKEN, make_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}
FRESH_ASK = f"ASK {{ GRAPH {INDEX_GRAPH} {{ {INDEX_GRAPH} {INDEX_STATE} {FRESH} }} }}"
JSON = {"Accept": "application/sparql-results+json"}


def fresh(client) -> bool:
    r = client.get("/sparql", params={"query": FRESH_ASK}, headers=JSON)
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def wait_fresh(client, seconds: float = 30) -> float:
    start = time.monotonic()
    while not fresh(client):
        assert time.monotonic() - start < seconds, f"the index was not built again within {seconds} s"
        time.sleep(0.2)
    return time.monotonic() - start


def employers(client) -> list[dict]:
    r = client.get("/queries/current-employer-of/results", params={"entity": "Mustafa Suleyman"}, headers=JSON)
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


def test_an_update_drops_the_index_and_the_server_builds_it_again(store_dir):
    with make_client(store_dir, token=TOKEN) as c:
        wait_fresh(c)  # the ingest of the fixture built it
        before = employers(c)
        assert before, "the sample store says whom he works for"
        r = c.post(
            "/update",
            content=b"INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }",
            headers={"Content-Type": "application/sparql-update", **AUTH},
        )
        assert r.status_code in (200, 204), r.text
        assert not fresh(c), "an update drops the index at once"
        assert employers(c) == before  # read from the statements meanwhile
        wait_fresh(c)
        assert employers(c) == before
        assert c.app.state.index_keeper.builds == 1


def test_a_store_without_a_fresh_index_is_indexed_when_the_server_starts(store_dir):
    with LocalStore(store_dir) as store:
        # as an index written by an older aikg: its mark names another layout
        store.oxigraph.remove(ox.Quad(INDEX_GRAPH, INDEX_STATE, FRESH, INDEX_GRAPH))
        store.oxigraph.add(ox.Quad(INDEX_GRAPH, INDEX_STATE, ox.Literal("fresh 1"), INDEX_GRAPH))
        assert not timeindex.is_fresh(store)
    with make_client(store_dir, token=TOKEN) as c:
        wait_fresh(c)
        assert c.app.state.index_keeper.builds == 1
    with LocalStore(store_dir) as store:
        assert timeindex.is_fresh(store)
