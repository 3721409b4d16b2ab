"""The time index (kg.timeindex): the indexed texts answer what the shipped ones answer, and no write leaves it wrong.

Each named time query has a second text that reads the index; aikg runs it while the
index is fresh. Both texts run here on the dense synthetic store and the hand-made story
of test_query_rewrites.py (ties, undated articles, relations that end and re-open, a
second label on a few entities), for every entity and day, and must give the same rows
in the same ORDER BY order. Then the upkeep: an ingest keeps the index fresh batch by
batch, every other write marks it out of date (and the answer falls back to the
statements, still right), and the index stays out of dumps, statistics and curation.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import timeindex
from kg.derived import FRESH, INDEX_GRAPH
from kg.loader import delete_articles, find_articles, ingest
from kg.model import Article
from kg.queries import bind_param, get_query, query_text, run_named
from kg.store import LocalStore
from tests.kg.test_query_rewrites import DAYS, dense, entities, order_keys, story  # noqa: F401 (fixtures)
from tests.timeworld import EXTRACTIONS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_store import synthetic_corpus  # noqa: E402

PEOPLE = "aikg:worksFor aikg:leads"


@pytest.fixture(scope="module")
def indexed(dense, story):  # noqa: F811 - the fixtures imported above
    """The two stores with a fresh index (dense's extra labels were written after its ingest)."""
    for store in (dense, story):
        timeindex.build(store)
        assert timeindex.is_fresh(store)
    return dense, story


def table(store, text: str, bindings) -> tuple[list[str], list[tuple]]:
    result = store.query(text, substitutions=bindings or None)
    names = [v.value for v in result.variables]
    return names, [tuple(None if r[n] is None else str(r[n]) for n in names) for r in result]


def same_rows(store, name: str, params: dict[str, str]) -> int:
    """Assert the indexed text gives the shipped text's rows, in its order; return how many."""
    shipped = get_query(name)
    bindings = {p: bind_param(store, p, v) for p, v in {**shipped.defaults, **params}.items()}
    names, want = table(store, shipped.text, bindings)
    got_names, got = table(store, timeindex.indexed_text(name), bindings)
    assert got_names == names
    assert Counter(got) == Counter(want), (name, params)
    assert order_keys(shipped, got, names) == order_keys(shipped, want, names), (name, params)
    return len(got)


def test_current_employer_of_same_rows_for_every_person(indexed):
    dense_store, story_store = indexed
    people = entities(dense_store, "subject", PEOPLE)
    assert sum(same_rows(dense_store, "current-employer-of", {"entity": p}) for p in people) >= 10
    for name in ("Jane Doe", "Bob Roe", "Carl Poe", "Dana Wu", "Eve Sun", "Frank Li", "Gus Ho", "Nobody Known"):
        same_rows(story_store, "current-employer-of", {"entity": name})


def test_people_who_left_same_rows_for_every_organization(indexed):
    dense_store, story_store = indexed
    orgs = entities(dense_store, "object", PEOPLE)
    assert sum(same_rows(dense_store, "people-who-left", {"entity": o}) for o in orgs) >= 10
    for name in ("Acme AI", "Orbit Labs", "Nimbus Labs"):
        same_rows(story_store, "people-who-left", {"entity": name})


@pytest.mark.parametrize("day", DAYS)
def test_investments_as_of_same_rows_for_every_investor(indexed, day):
    dense_store, story_store = indexed
    found = sum(
        same_rows(dense_store, "investments-as-of", {"entity": i, "date": day})
        for i in entities(dense_store, "subject", "aikg:investsIn")
    )
    assert found >= (0 if day < "2019-12" else 10)
    for name in ("Vega Capital", "Lumen Partners", "Acme AI"):
        same_rows(story_store, "investments-as-of", {"entity": name, "date": day})


@pytest.mark.parametrize("day", DAYS)
def test_who_led_on_same_rows_for_every_organization(indexed, day):
    dense_store, story_store = indexed
    found = sum(
        same_rows(dense_store, "who-led-on", {"entity": o, "date": day})
        for o in entities(dense_store, "object", "aikg:leads")
    )
    assert found >= (0 if day < "2019-12" else 5)
    for name in ("Acme AI", "Orbit Labs", "Nimbus Labs"):
        same_rows(story_store, "who-led-on", {"entity": name, "date": day})


@pytest.mark.parametrize("currency", ["all", "USD", "EUR", "GBP", "JPY"])
def test_investment_totals_same_rows(indexed, currency):
    dense_store, story_store = indexed
    assert same_rows(dense_store, "investment-totals", {"currency": currency}) >= (0 if currency == "JPY" else 5)
    same_rows(story_store, "investment-totals", {"currency": currency})


def test_investment_totals_rows_sort_by_label_and_sum_exactly(tmp_path):
    """The ready-made rows sort as the labels do and add amounts as xsd:decimal does.

    The indexed text sorts by pieces of the label (kg/queries/indexed/investment-totals.rq):
    labels here differ only after 30 characters, differ in case or in language tag only,
    carry accents and a character outside the basic plane, or are missing; amounts have
    fractions and more digits than a float holds.
    """
    from kg.namespaces import DCTERMS, ENTITY, ONTOLOGY, PROV, RDF, RDFS, STATEMENT, XSD

    labels = {
        "a": "Northwind Capital Partners Fund I",
        "b": "Northwind Capital Partners Fund II",
        "c": "northwind capital",
        "d": "Ångström Ventures",
        "e": "Zeta \U0001f680 Labs",
        "f": None,
        "g": "Northwind Capital Partners",
        "h": ("Northwind Capital Partners Fund I", "en"),  # written by an update: the same text, tagged
        "i": ("Northwind Capital Partners Fund II", "de"),
    }
    amounts = ["2.5", "0.75", "123456789012345678901.25", "40000000", "40000000.0"]
    quads = []
    n = 0
    for key, label in labels.items():
        investor = ox.NamedNode(ENTITY + "investor-" + key)
        for i, value in enumerate(amounts):
            n += 1
            g = ox.NamedNode(f"https://w3id.org/aikg/article/{n}")
            st = ox.NamedNode(f"{STATEMENT}{n}")
            day = f"{2020 + i % 2}-0{1 + i}-15"
            target = "x" if i in (3, 4) else str(i % 2)  # 40000000 and 40000000.0 into x: one deal
            quads += [
                ox.Quad(st, ox.NamedNode(RDF + "subject"), investor, g),
                ox.Quad(st, ox.NamedNode(RDF + "predicate"), ox.NamedNode(ONTOLOGY + "investsIn"), g),
                ox.Quad(st, ox.NamedNode(RDF + "object"), ox.NamedNode(ENTITY + f"target-{target}"), g),
                ox.Quad(
                    st,
                    ox.NamedNode(ONTOLOGY + "amountValue"),
                    ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal")),
                    g,
                ),
                ox.Quad(st, ox.NamedNode(ONTOLOGY + "currency"), ox.Literal("USD" if i < 3 else "EUR"), g),
                ox.Quad(st, ox.NamedNode(DCTERMS + "date"), ox.Literal(day, datatype=ox.NamedNode(XSD + "date")), g),
                ox.Quad(st, ox.NamedNode(PROV + "wasDerivedFrom"), g, g),
            ]
            if label is not None:
                text, lang = label if isinstance(label, tuple) else (label, None)
                quads.append(ox.Quad(investor, ox.NamedNode(RDFS + "label"), ox.Literal(text, language=lang), g))
    with LocalStore(tmp_path / "store") as store:
        # as the loader writes them: in the article's graph and in the default graph
        store.oxigraph.extend(quads + [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads])
        timeindex.build(store)
        assert query_text(store, "investment-totals") == timeindex.indexed_text("investment-totals")
        assert same_rows(store, "investment-totals", {"currency": "all"}) > 2 * len(labels)
        rows = list(run_named(store, "investment-totals", {"currency": "USD"}))
        assert [None if r["investorLabel"] is None else r["investorLabel"].value for r in rows][:4] == [
            None,
            None,
            "Northwind Capital Partners",
            "Northwind Capital Partners",
        ]
        zeta = [
            (r["year"].value, r["currencyCode"].value, r["total"].value, r["deals"].value)
            for r in run_named(store, "investment-totals", {"currency": "all"})
            if r["investorLabel"] is not None and r["investorLabel"].value == labels["e"]
        ]
        assert zeta == [
            ("2020", "EUR", "40000000", "1"),
            ("2020", "USD", "123456789012345678903.75", "2"),
            ("2021", "USD", "0.75", "1"),
        ]


# ---------------------------------------------------------------- upkeep


def employers(store, person: str = "Dana Okafor") -> list[tuple[str, str]]:
    return sorted(
        (r["orgLabel"].value, r["predicate"].value) for r in run_named(store, "current-employer-of", {"entity": person})
    )


@pytest.fixture
def world(tmp_path):
    """The career of tests/timeworld.py without its last article (she has not left yet), indexed by the ingest."""
    exs = EXTRACTIONS
    first, last = exs[:-1], exs[-1]
    store = LocalStore(tmp_path / "store")
    by_id = {e.article.id: e for e in exs}
    ingest(store, [e.article for e in first], lambda batch: [by_id[a.id] for a in batch])
    yield store, last, by_id
    store.close()


def test_an_ingest_builds_the_index_and_keeps_it_fresh_batch_by_batch(world):
    store, last, by_id = world
    assert timeindex.is_fresh(store)
    assert query_text(store, "current-employer-of") == timeindex.indexed_text("current-employer-of")
    assert employers(store) == [("Helix Robotics", "leads"), ("Helix Robotics", "worksFor")]
    # the article saying she left: written by the batch path, the index follows it
    ingest(store, [last.article], lambda batch: [by_id[a.id] for a in batch])
    assert timeindex.is_fresh(store)
    assert employers(store) == []
    left = run_named(store, "people-who-left", {"entity": "Helix Robotics"})
    assert {(r["personLabel"].value, r["endDate"].value) for r in left} == {("Dana Okafor", "2024-08")}


def index_of(store) -> set[str]:
    return {str(q) for q in store.graph_quads(INDEX_GRAPH)}


def test_an_index_kept_batch_by_batch_is_the_index_built_whole(tmp_path):
    # the benchmark's generator, dense: relations that end, re-open and repeat their deals
    articles, extractions = synthetic_corpus(300, n_entities=60, rels_per_article=6, seed=9, with_time=True)
    by_id = {a.id: extractions[a.id] for a in articles}
    with LocalStore(tmp_path / "store") as store:
        ingest(store, articles[:100], lambda batch: [by_id[a.id] for a in batch], batch_size=25)
        assert timeindex.is_fresh(store)
        # later batches, then one article replaced (same url, new text) and two deleted
        ingest(store, articles[100:], lambda batch: [by_id[a.id] for a in batch], batch_size=25)
        old = articles[150]
        new = Article(old.text + " Updated.", url=old.url, title=old.title, published=old.published)
        by_id[new.id] = dataclasses.replace(by_id[old.id], article=new, relations=by_id[old.id].relations[:2])
        assert ingest(store, [new], lambda batch: [by_id[a.id] for a in batch]).replaced == 1
        gone = find_articles(store, articles[7].url) + find_articles(store, articles[201].url)
        assert delete_articles(store, gone) == 2
        assert timeindex.is_fresh(store)
        kept = index_of(store)
        timeindex.build(store)
        assert kept == index_of(store)
        assert sum("openClaim" in q for q in kept) > 100 and sum("endClaim" in q for q in kept) > 20
        assert sum("dealTotal" in q for q in kept) > 20


def test_an_index_of_an_older_layout_is_not_read_and_is_built_again(world):
    """A store indexed by an older aikg (its rows laid out otherwise) gets the shipped texts until rebuilt."""
    from kg.derived import INDEX_STATE

    store, _, _ = world
    raw = store.oxigraph
    raw.remove(ox.Quad(INDEX_GRAPH, INDEX_STATE, FRESH, INDEX_GRAPH))
    raw.add(ox.Quad(INDEX_GRAPH, INDEX_STATE, ox.Literal("fresh 1"), INDEX_GRAPH))
    assert not timeindex.is_fresh(store)
    assert query_text(store, "investment-totals") == get_query("investment-totals").text
    assert timeindex.ensure(store)
    assert query_text(store, "investment-totals") == timeindex.indexed_text("investment-totals")


def test_a_sparql_update_marks_the_index_out_of_date_and_the_answer_stays_right(world):
    store, _, _ = world
    assert timeindex.is_fresh(store)
    # a later statement that she left, written by hand through SPARQL Update
    store.update(
        """PREFIX aikg: <https://w3id.org/aikg/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        INSERT { ?st rdf:subject ?p ; rdf:predicate aikg:worksFor ; rdf:object ?o ; aikg:ended true ;
                     aikg:endDate "2025-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> ;
                     aikg:evidence "She left." ; prov:wasDerivedFrom ?a }
        WHERE { ?x rdf:subject ?p ; rdf:predicate aikg:worksFor ; rdf:object ?o ; prov:wasDerivedFrom ?a .
                BIND(<https://w3id.org/aikg/statement/by-hand> AS ?st) }"""
    )
    assert not timeindex.is_fresh(store)
    assert query_text(store, "current-employer-of") == get_query("current-employer-of").text
    assert employers(store) == [("Helix Robotics", "leads")]
    # `aikg index` (timeindex.build) makes it fresh again, with the same answer
    timeindex.build(store)
    assert timeindex.is_fresh(store)
    assert employers(store) == [("Helix Robotics", "leads")]


def test_a_deleted_article_leaves_the_index_fresh_and_right(world):
    store, _, _ = world
    graphs = find_articles(store, "https://news.example/helix-ceo")
    assert graphs, "the timeworld article naming her chief executive"
    delete_articles(store, graphs)
    assert timeindex.is_fresh(store)
    assert employers(store) == [("Helix Robotics", "worksFor")]
    assert [
        r["person"] for r in run_named(store, "who-led-on", {"entity": "Helix Robotics", "date": "2023-01-01"})
    ] == []


def test_the_index_stays_out_of_dumps_statistics_and_loads(world, tmp_path):
    from kg.stats import store_stats

    store, _, _ = world
    assert store.graph_quads(INDEX_GRAPH), "an ingest built the index"
    stats = store_stats(store)
    assert stats["graphs"] == 2  # the two articles, not the index
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    dumped = out.getvalue().decode()
    assert "graph/time-index" not in dumped and "aikg/article/" in dumped
    trig = io.BytesIO()
    store.dump(trig, ox.RdfFormat.TRIG)
    assert "graph/time-index" not in trig.getvalue().decode()
    # a file that holds the index graph (an older dump, another tool) loads without it
    with_index = (
        dumped + f"<{INDEX_GRAPH.value}> <https://w3id.org/aikg/ontology#indexState> {FRESH} <{INDEX_GRAPH.value}> .\n"
    )
    other = LocalStore(tmp_path / "other")
    try:
        other.load(with_index.encode(), ox.RdfFormat.N_QUADS)
        assert not other.graph_quads(INDEX_GRAPH)
        assert not timeindex.is_fresh(other)
        assert store_stats(other)["quads"] == stats["quads"]
    finally:
        other.close()


def test_the_gzip_dump_leaves_the_index_out(world):
    from kg.dumps import dump_stream

    store, _, _ = world
    data = gzip.decompress(b"".join(dump_stream(store.oxigraph, "nq.gz"))).decode()
    assert "graph/time-index" not in data and "indexSubject" not in data
    assert data.count("\n") == sum(1 for _ in store.oxigraph) - len(store.graph_quads(INDEX_GRAPH))


def test_a_curation_merge_marks_the_index_out_of_date_and_copies_none_of_it(world):
    from kg.curation import merge

    store, _, _ = world
    merge(store, "helix-robotics", "northwind-capital")
    assert not timeindex.is_fresh(store)
    leaked = store.ask(
        "ASK { { ?s <https://w3id.org/aikg/ontology#indexSubject> ?o } UNION "
        "{ ?s <https://w3id.org/aikg/ontology#openClaim> ?o } }"
    )
    assert not leaked, "no index triple in the default graph"
    timeindex.build(store)
    assert employers(store) == [("Northwind Capital", "leads"), ("Northwind Capital", "worksFor")]


def test_the_index_command_builds_and_refuses_a_server(world, tmp_path):
    from typer.testing import CliRunner

    from aikg.cli import app

    store, _, _ = world
    path = store.path
    store.update("INSERT DATA { <urn:x> <urn:y> <urn:z> }")
    assert not timeindex.is_fresh(store)
    store.close()
    res = CliRunner().invoke(app, ["index", "--store", str(path)])
    assert res.exit_code == 0, res.output
    assert "time index built" in res.output
    with LocalStore(path) as again:
        assert timeindex.is_fresh(again)
    res = CliRunner().invoke(app, ["index", "--store", "http://127.0.0.1:9/sparql"])
    assert res.exit_code == 2
    assert "embedded store" in res.output
