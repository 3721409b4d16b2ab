"""Bounded load on a real ``aikg serve``: 50 SPARQL readers and one ingesting writer, 15 s.

The engine is benchmarks/bench_load.py (the 60 s run that writes
benchmarks/results/load.json); this is its shorter pass/fail version.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import httpx
import pytest

from .conftest import REPO, TOKEN, AikgServer

pytestmark = [pytest.mark.slow, pytest.mark.server]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_load", REPO / "benchmarks" / "bench_load.py")
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is built.
    sys.modules["bench_load"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _bench()


def test_readers_never_see_half_an_article_under_a_writer(bench, tmp_path, servers):
    prepared = bench.prepare(tmp_path, preload=100, write=400)
    server = AikgServer(str(prepared.store), tmp_path)
    servers.append(server)
    server.start()
    result = bench.run_load(server.sparql, TOKEN, prepared, readers=50, seconds=15)
    print(json.dumps({"load_test": result}))
    assert result["errors"] == 0, result["error_samples"]
    assert result["half_articles_seen"] == 0, result["broken_samples"]
    assert result["queries"] > 50
    # The writer really wrote while the readers read.
    assert result["articles_max_seen"] > prepared.preload
    # Done in time (0), or stopped by the SIGTERM at the end of the load after the batch
    # it was writing (143, with its summary).
    assert result["writer"]["exit"] in (0, 143), result["writer"]
    _invariant_can_fail(bench, server, prepared)


def test_readers_never_see_half_an_article_under_post_articles(bench, tmp_path, servers):
    prepared = bench.prepare(tmp_path, preload=50, write=150)
    server = AikgServer(str(prepared.store), tmp_path)
    servers.append(server)
    server.start()
    result = bench.run_load(server.sparql, TOKEN, prepared, readers=50, seconds=12, writer_kind="post")
    print(json.dumps({"load_test_post": result}))
    assert result["errors"] == 0, result["error_samples"]
    assert result["half_articles_seen"] == 0, result["broken_samples"]
    assert result["writer"]["errors"] == 0, result["writer"]
    assert result["articles_max_seen"] > prepared.preload


def _invariant_can_fail(bench, server, prepared) -> None:
    """Break one article by hand and check that the invariant query reports it."""
    url = next(u for u, n in prepared.expected.items() if n > 0 and "/preload/" in u)
    breakage = (
        bench.PREFIXES
        + f"""
    DELETE {{ ?s ?p ?o }} WHERE {{
      ?a schema:url ?u FILTER(STR(?u) = "{url}")
      ?st prov:wasDerivedFrom ?a ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
      GRAPH ?g {{ ?s ?p ?o }} }} ;
    INSERT DATA {{ <https://example.org/st/x> prov:wasDerivedFrom <https://example.org/no-such-article> }}
    """
    )
    r = httpx.post(
        server.base + "/update",
        content=breakage,
        timeout=30,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 204, r.text
    rows = httpx.get(
        server.sparql,
        params={"query": bench.INVARIANT},
        timeout=30,
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    problems = bench.check_rows(rows, prepared.expected)
    assert any("without their article" in p for p in problems), problems
    assert any(url in p and "without direct triple" in p for p in problems), problems
    server.stop()
    assert TOKEN not in server.output()
