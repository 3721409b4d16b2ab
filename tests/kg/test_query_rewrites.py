"""The time queries rewritten for speed answer exactly what they answered before.

``tests/kg/queries_before/`` keeps the text of each query as it was before its rewrite
for Oxigraph's planner; both run on the same real store and must give the same rows
(the same multiset, in the same order of the ORDER BY keys). The store is the
benchmark's synthetic corpus at a small size, dense on purpose (40 entities of each
type over 400 articles, so deals repeat, relations end and re-open and claims tie),
written through the real loader, with every seventh article undated, same-day articles
ending every fifth job, post and holding (ties), and a second label on a few entities;
plus the hand-made story of test_time_queries.py.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.loader import ingest
from kg.model import Article, Extraction
from kg.queries import bind_param, get_query, parse_query
from kg.store import LocalStore

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))
from bench_store import synthetic_corpus  # noqa: E402

DAYS = ("2019-06-30", "2020-12-31", "2021-07-01", "2022-06-30", "2026-01-01")


def before(name: str):
    """Return the query as it was before the rewrite."""
    return parse_query(name, (HERE / "queries_before" / f"{name}.rq").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    articles, extractions = synthetic_corpus(400, n_entities=160, rels_per_article=6, seed=5, with_time=True)
    exs = []
    for i, a in enumerate(articles):
        ex = extractions[a.id]
        if i % 7 == 3:
            ex = dataclasses.replace(ex, article=dataclasses.replace(a, published=None))
        exs.append(ex)
    store = LocalStore(tmp_path_factory.mktemp("dense") / "store")
    # ties: an article of the same day telling a relation as over, for every fifth job,
    # post and holding, so that the ending and the claim share their claim day
    ties = [
        (ex.article, r)
        for ex in exs
        for r in ex.relations
        if r.predicate in ("worksFor", "leads", "investsIn") and not r.ended and not r.date
    ]
    for i, (a, r) in enumerate(ties[::5]):
        text = f"Tie {i}. {r.sentence}"
        art = Article(text, url=f"https://news.example.org/tie/{i}", title=f"Tie {i}", published=a.published)
        ended = dataclasses.replace(
            r, ended=True, start=text.index(r.sentence), end=text.index(r.sentence) + len(r.sentence)
        )
        exs.append(Extraction(art, (r.subject, r.object), (ended,), "bench/1"))
    by_id = {ex.article.id: ex for ex in exs}
    ingest(store, [ex.article for ex in exs], lambda batch: [by_id[a.id] for a in batch], batch_size=50)
    # a second label on a few investors and employers: a row per label, before and after
    for name in ("Organization 0", "Organization 3", "Organization 1"):
        iri = bind_param(store, "entity", name)
        store.update(
            f"INSERT DATA {{ {iri} <http://www.w3.org/2000/01/rdf-schema#label> {ox.Literal(name + ' (also)')} }}"
        )
    yield store
    store.close()


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    from tests.kg.test_time_queries import extractions

    store = LocalStore(tmp_path_factory.mktemp("story") / "store")
    exs = extractions()
    ingest(store, [e.article for e in exs.values()], lambda batch: [exs[a.id] for a in batch])
    yield store
    store.close()


def rows(store, query, bindings) -> list[tuple]:
    """Return the solutions as tuples of the projected variables' values (None when unbound)."""
    result = store.query(query.text, substitutions=bindings or None)
    names = [v.value for v in result.variables]
    return [tuple(None if r[n] is None else str(r[n]) for n in names) for r in result]


def order_keys(query, table: list[tuple], names: list[str]) -> list[tuple]:
    """Return the values of the ORDER BY variables, row by row."""
    keys = re.findall(r"\?(\w+)", query.text.rsplit("ORDER BY", 1)[1])
    at = [names.index(k) for k in keys]
    return [tuple(row[i] for i in at) for row in table]


def same_answer(store, name: str, params: dict[str, str]) -> int:
    """Assert the query and its former text give the same rows; return how many."""
    new, old = get_query(name), before(name)
    bindings = {p: bind_param(store, p, v) for p, v in {**new.defaults, **params}.items()}
    got, want = rows(store, new, bindings), rows(store, old, bindings)
    names = [v.value for v in store.query(new.text, substitutions=bindings or None).variables]
    assert names == [v.value for v in store.query(old.text, substitutions=bindings or None).variables]
    assert Counter(got) == Counter(want), (name, params)
    assert order_keys(new, got, names) == order_keys(old, want, names), (name, params)
    return len(got)


def entities(store, side: str, predicates: str) -> list[str]:
    text = (
        "PREFIX aikg: <https://w3id.org/aikg/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        f"SELECT DISTINCT ?e WHERE {{ VALUES ?p {{ {predicates} }} ?st rdf:predicate ?p ; rdf:{side} ?e }}"
    )
    return sorted(r["e"].value for r in store.query(text))


def test_the_dense_store_has_what_the_rules_turn_on(dense):
    count = lambda q: int(  # noqa: E731
        next(
            iter(
                dense.query(
                    "PREFIX aikg: <https://w3id.org/aikg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
                    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT (COUNT(*) AS ?n) WHERE { "
                    + q
                    + " }"
                )
            )
        )["n"].value
    )
    assert count("?st aikg:ended true") > 100
    assert count("?st aikg:startDate ?d") > 50 and count("?st aikg:endDate ?d") > 20
    assert count("?st rdf:predicate aikg:investsIn ; aikg:amountValue ?v") > 50
    assert count("?st a aikg:RelationStatement FILTER NOT EXISTS { ?st dcterms:date ?d }") > 100


@pytest.mark.parametrize("currency", ["all", "USD", "EUR", "GBP", "JPY"])
def test_investment_totals_unchanged(dense, story, currency):
    assert same_answer(dense, "investment-totals", {"currency": currency}) >= (0 if currency == "JPY" else 5)
    same_answer(story, "investment-totals", {"currency": currency})


@pytest.mark.parametrize("day", DAYS)
def test_as_of_unchanged(dense, story, day):
    assert same_answer(dense, "as-of", {"date": day}) >= (0 if day < "2019-12" else 50)
    same_answer(story, "as-of", {"date": day})


def test_current_employer_of_unchanged_for_every_person(dense, story):
    people = entities(dense, "subject", "aikg:worksFor aikg:leads")
    assert len(people) >= 15
    assert sum(same_answer(dense, "current-employer-of", {"entity": p}) for p in people) >= 10
    for name in ("Jane Doe", "Bob Roe", "Carl Poe", "Dana Wu", "Eve Sun", "Frank Li", "Gus Ho", "Nobody Known"):
        same_answer(story, "current-employer-of", {"entity": name})


@pytest.mark.parametrize("day", DAYS)
def test_investments_as_of_unchanged_for_every_investor(dense, story, day):
    investors = entities(dense, "subject", "aikg:investsIn")
    assert len(investors) >= 10
    found = sum(same_answer(dense, "investments-as-of", {"entity": i, "date": day}) for i in investors)
    assert found >= (0 if day < "2019-12" else 10)
    for name in ("Vega Capital", "Lumen Partners", "Acme AI"):
        same_answer(story, "investments-as-of", {"entity": name, "date": day})


def test_people_who_left_unchanged_for_every_organization(dense, story):
    orgs = entities(dense, "object", "aikg:worksFor aikg:leads")
    assert len(orgs) >= 15
    assert sum(same_answer(dense, "people-who-left", {"entity": o}) for o in orgs) >= 10
    for name in ("Acme AI", "Orbit Labs", "Nimbus Labs"):
        same_answer(story, "people-who-left", {"entity": name})


@pytest.mark.parametrize("day", DAYS)
def test_who_led_on_unchanged_for_every_organization(dense, story, day):
    orgs = entities(dense, "object", "aikg:leads")
    assert len(orgs) >= 15
    found = sum(same_answer(dense, "who-led-on", {"entity": o, "date": day}) for o in orgs)
    assert found >= (0 if day < "2019-12" else 5)
    for name in ("Acme AI", "Orbit Labs", "Nimbus Labs"):
        same_answer(story, "who-led-on", {"entity": name, "date": day})
