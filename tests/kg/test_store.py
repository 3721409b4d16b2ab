"""The embedded store: persistence, locking, atomic replace, the union default graph."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pyoxigraph as ox
import pytest

from kg import loader
from kg.backend import open_store
from kg.derived import NOT_DERIVED
from kg.errors import QuerySyntaxError, RDFParseError, StoreLockedError
from kg.model import Article
from kg.remote import endpoints
from kg.store import LocalStore, rdf_format
from tests.fakes import INVESTS, MS, NV, OA, fake_extract, investors


def test_reopen_shows_everything_written(tmp_path):
    table = {"u1": [(MS, "investsIn", OA)]}
    with LocalStore(tmp_path / "s") as s:
        loader.ingest(s, [Article("Microsoft put money into OpenAI again.", url="u1")], fake_extract(table))
        n = len(s)
    with LocalStore(tmp_path / "s") as s:
        assert len(s) == n > 0
        assert investors(s) == [("microsoft", "openai")]


def test_second_process_gets_a_clear_lock_error(tmp_path):
    path = tmp_path / "s"
    with LocalStore(path):
        code = (
            "import sys\nfrom kg.store import LocalStore\nfrom kg.errors import StoreLockedError\n"
            f"try:\n    LocalStore({str(path)!r})\nexcept StoreLockedError as e:\n    print(e); sys.exit(3)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert "open in another process" in proc.stdout


def test_same_process_second_open_is_refused_not_corrupting(tmp_path):
    with LocalStore(tmp_path / "s"):
        with pytest.raises(StoreLockedError):
            LocalStore(tmp_path / "s")


def test_union_graph_lists_each_triple_once_and_keeps_shared_support(tmp_path):
    table = {"u1": [(MS, "investsIn", OA)], "u2": [(MS, "investsIn", OA), (NV, "investsIn", OA)]}
    arts = [
        Article("First story about Microsoft and OpenAI.", url="u1"),
        Article("Second story about Microsoft, Nvidia and OpenAI.", url="u2"),
    ]
    with LocalStore(tmp_path / "s") as s:
        loader.ingest(s, arts, fake_extract(table))
        assert investors(s) == [("microsoft", "openai"), ("nvidia", "openai")]
        loader.delete_articles(s, loader.find_articles(s, "u2"))
        # Microsoft's stake is still backed by u1; Nvidia's had only u2.
        assert investors(s) == [("microsoft", "openai")]
        loader.delete_articles(s, loader.find_articles(s, "u1"))
        assert len(s) == 0


def test_replacing_an_article_swaps_its_graph_in_one_commit(tmp_path):
    with LocalStore(tmp_path / "s") as s:
        loader.ingest(
            s, [Article("Old text: Microsoft backs OpenAI.", url="u1")], fake_extract({"u1": [(MS, "investsIn", OA)]})
        )
        summary = loader.ingest(
            s, [Article("New text: Nvidia backs OpenAI.", url="u1")], fake_extract({"u1": [(NV, "investsIn", OA)]})
        )
        assert (summary.replaced, summary.new) == (1, 0)
        assert investors(s) == [("nvidia", "openai")]
        # one article graph (the time index, derived data, has a graph of its own)
        graphs = {
            r["g"].value for r in s.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?a ?b ?c }} {NOT_DERIVED} }}")
        }
        assert len(graphs) == 1


def test_same_article_twice_changes_nothing(tmp_path):
    art = Article("Microsoft backs OpenAI with billions.", url="u1", published=date(2023, 1, 23))
    ex = fake_extract({"u1": [(MS, "investsIn", OA)]})
    with LocalStore(tmp_path / "s") as s:
        loader.ingest(s, [art], ex)
        before = sorted(str(q) for q in s.oxigraph)
        summary = loader.ingest(s, [art, art], ex)
        assert (summary.unchanged, summary.new) == (1, 0)
        assert sorted(str(q) for q in s.oxigraph) == before


def test_failed_commit_leaves_store_as_before(tmp_path):
    good = fake_extract({"u1": [(MS, "investsIn", OA)]})

    def broken(batch):
        yield from good(batch[:1])
        raise RuntimeError("extractor died mid-batch")

    with LocalStore(tmp_path / "s") as s:
        loader.ingest(s, [Article("Microsoft backs OpenAI.", url="u0")], good)
        before = len(s)
        with pytest.raises(RuntimeError):
            loader.ingest(
                s,
                [Article("Microsoft backs OpenAI.", url="u1"), Article("Another one entirely.", url="u2")],
                broken,
                batch_size=10,
            )
        assert len(s) == before


def test_malformed_query_raises_parser_message(tmp_path):
    with LocalStore(tmp_path / "s") as s:
        with pytest.raises(QuerySyntaxError, match="1:"):
            s.query("SELEC * WHERE { ?s ?p ?o }")


def test_substitution_treats_hostile_value_as_data(tmp_path):
    with LocalStore(tmp_path / "s") as s:
        loader.ingest(s, [Article("Microsoft backs OpenAI.", url="u1")], fake_extract({"u1": [(MS, "investsIn", OA)]}))
        n = len(s)
        rows = list(
            s.query(
                "SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?name }",
                substitutions={"name": ox.Literal('x" } ; DROP ALL ; #')},
            )
        )
        assert rows == [] and len(s) == n


def test_load_is_all_or_nothing(tmp_path):
    with LocalStore(tmp_path / "s") as s:
        bad = b'<http://a> <http://b> <http://c> .\n<http://a> <http://b> "unterminated .\n'
        with pytest.raises(RDFParseError, match="line 2|2:"):
            s.load(bad, rdf_format("x.nt"))
        assert len(s) == 0


@pytest.mark.parametrize(
    ("url", "query", "update"),
    [
        ("http://127.0.0.1:8000/sparql", "http://127.0.0.1:8000/sparql", "http://127.0.0.1:8000/update"),
        ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update"),
        ("http://h:3030/ds/sparql", "http://h:3030/ds/sparql", "http://h:3030/ds/update"),
        ("http://h:8000", "http://h:8000/sparql", "http://h:8000/update"),
        ("http://h/q#update=http://h/u", "http://h/q/sparql", "http://h/u"),
    ],
)
def test_remote_endpoints_follow_server_conventions(url, query, update):
    assert endpoints(url) == (query, update)


def test_open_store_reads_env(tmp_path, monkeypatch):
    monkeypatch.setenv("AIKG_STORE", str(tmp_path / "env-store"))
    s = open_store()
    try:
        assert s.location == str(tmp_path / "env-store")
    finally:
        s.close()


def test_bound_variable_restricts_before_aggregation(tmp_path):
    table = {"u1": [(MS, "investsIn", OA), (NV, "investsIn", OA)], "u2": [(MS, "investsIn", NV)]}
    with LocalStore(tmp_path / "s") as s:
        loader.ingest(
            s,
            [Article("Story one about investors.", url="u1"), Article("Story two about investors.", url="u2")],
            fake_extract(table),
        )
        q = f"SELECT (COUNT(?o) AS ?n) WHERE {{ ?s <{INVESTS}> ?o }}"
        rows = list(s.query(q, substitutions={"s": ox.NamedNode("https://w3id.org/aikg/entity/microsoft")}))
        assert int(rows[0]["n"].value) == 2


def test_deeply_nested_query_is_refused_before_the_parser(tmp_path):
    deep = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    with LocalStore(tmp_path / "s") as s:
        with pytest.raises(QuerySyntaxError, match="AIKG_MAX_NESTING"):
            s.query(deep)
        with pytest.raises(QuerySyntaxError, match="AIKG_MAX_NESTING"):
            s.update("INSERT DATA " + "{ " * 5000 + "} " * 5000)
        # Brackets inside a string literal do not count.
        assert list(s.query('SELECT ?x WHERE { BIND("' + "{" * 5000 + '" AS ?x) }'))


def test_two_writers_racing_on_one_article_store_it_once():
    from kg.store import union_update

    q = ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("v"), ox.NamedNode("http://g"))
    other = ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("w"), ox.NamedNode("http://g"))
    mem = ox.Store()
    mem.update(union_update([q], (), (), only_new_graphs=True))
    mem.update(union_update([other], (), (), only_new_graphs=True))
    assert [x.object.value for x in mem.quads_for_pattern(None, None, None, ox.NamedNode("http://g"))] == ["v"]


def test_bulk_mode_writes_the_same_store_and_an_interrupted_one_refuses_to_open(tmp_path):
    from kg.errors import StoreError

    arts = [Article(f"Story {i}: Microsoft backs OpenAI.", url=f"u{i}") for i in range(5)]
    table = {a.url: [(MS, "investsIn", OA)] for a in arts}
    with LocalStore(tmp_path / "tx") as s:
        loader.ingest(s, arts, fake_extract(table), batch_size=2)
        tx = sorted(str(q) for q in s.oxigraph if "ingestedAt" not in str(q))
    with LocalStore(tmp_path / "bulk") as s:
        with s.bulk_mode():
            loader.ingest(s, arts, fake_extract(table), batch_size=2)
        assert sorted(str(q) for q in s.oxigraph if "ingestedAt" not in str(q)) == tx
        with pytest.raises(StoreError, match="empty store"):
            with s.bulk_mode():
                pass

    def dies(batch):
        yield from fake_extract(table)(batch)
        raise KeyboardInterrupt

    with LocalStore(tmp_path / "broken") as s:
        with pytest.raises(KeyboardInterrupt):
            with s.bulk_mode():
                loader.ingest(s, arts, dies, batch_size=2)
    with pytest.raises(StoreError, match="interrupted bulk load"):
        LocalStore(tmp_path / "broken")


def test_bound_values_reach_the_subqueries_joined_in_the_top_group_and_no_others(tmp_path):
    """A subquery of the top group that projects a bound variable is bound inside too; the answer is the same."""
    from kg.store import bind_values

    e = ox.NamedNode("https://example.org/a")
    text = (
        "SELECT ?x ?n WHERE { { SELECT ?entity (COUNT(*) AS ?n) WHERE { ?entity <urn:p> ?y } GROUP BY ?entity } "
        "OPTIONAL { SELECT ?entity ?z WHERE { ?entity <urn:q> ?z } } "
        "{ SELECT ?x WHERE { ?entity <urn:p> ?x } } "
        '?entity <urn:r> "{ SELECT ?entity }" }'
    )
    bound = bind_values(text, {"entity": e})
    assert bound.count("VALUES") == 2
    assert bound.startswith("SELECT ?x ?n WHERE { VALUES (?entity) { (<https://example.org/a>) }  { SELECT ?entity")
    assert "GROUP BY ?entity" in bound and '"{ SELECT ?entity }"' in bound
    store = LocalStore(tmp_path / "s")
    for s, p, o in (("a", "p", "1"), ("a", "p", "2"), ("b", "p", "3"), ("a", "r", "{ SELECT ?entity }")):
        store.update(f'INSERT DATA {{ <https://example.org/{s}> <urn:{p}> "{o}" }}')
    rows = sorted((r["x"].value, r["n"].value) for r in store.query(text, substitutions={"entity": e}))
    # n counts a's two values only; the last subquery does not project ?entity, so its
    # ?entity is its own variable and every x is there, unbound by the value
    assert rows == [("1", "2"), ("2", "2"), ("3", "2")]
    store.close()


def test_bound_values_leave_a_limited_subquery_alone(tmp_path):
    """Binding inside a subquery with LIMIT would change which rows the limit keeps: it is not bound there."""
    from kg.store import bind_values

    e = ox.NamedNode("https://example.org/a")
    text = "SELECT ?x WHERE { { SELECT ?entity ?x WHERE { ?entity <urn:p> ?x } ORDER BY ?x LIMIT 1 } }"
    assert bind_values(text, {"entity": e}).count("VALUES") == 1
    store = LocalStore(tmp_path / "s")
    for s, o in (("b", "1"), ("a", "2")):
        store.update(f'INSERT DATA {{ <https://example.org/{s}> <urn:p> "{o}" }}')
    # the first row of all is b's, so bound to a the answer is empty, as SPARQL says
    assert list(store.query(text, substitutions={"entity": e})) == []
    store.close()
