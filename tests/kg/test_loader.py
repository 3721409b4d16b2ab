"""The loader's bounds: big batches written in several transactions, oversized articles left out."""

from __future__ import annotations

from datetime import UTC, datetime

import pyoxigraph as ox
import pytest

from kg import loader
from kg.namespaces import ONTOLOGY, article_iri
from kg.store import LocalStore
from tests.kg.conftest import extractions

WHEN = datetime(2025, 1, 2, tzinfo=UTC)


def _all_quads(store: LocalStore) -> set[str]:
    return {
        f"{r['s']} {r['p']} {r['o']} {r['g']}"
        for r in store.query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
    }


def _ingest(path, monkeypatch, commit_quads: int, **kw):
    exs = extractions()
    monkeypatch.setattr(loader, "COMMIT_QUADS", commit_quads)
    store = LocalStore(path)
    report = loader.commit_batch(
        store, [e.article for e in exs.values()], lambda batch: [exs[a.id] for a in batch], ingested_at=WHEN, **kw
    )
    return store, report


def test_a_batch_over_the_quad_budget_is_written_whole_in_several_transactions(tmp_path, monkeypatch):
    one, report_one = _ingest(tmp_path / "one", monkeypatch, 10**9)
    many, report_many = _ingest(tmp_path / "many", monkeypatch, 40)
    try:
        assert _all_quads(many) == _all_quads(one)
        exs = extractions().values()
        assert (
            (report_many.new, report_many.relations)
            == (report_one.new, report_one.relations)
            == (len(exs), sum(len(ex.relations) for ex in exs))
        )
        assert report_many.entities == report_one.entities
    finally:
        one.close()
        many.close()


def test_an_article_with_too_many_relations_is_reported_and_not_written(tmp_path, monkeypatch):
    store, report = _ingest(tmp_path / "s", monkeypatch, 10**9, max_relations=3)
    try:
        big = [ex for ex in extractions().values() if len(ex.relations) > 3]
        assert big, "the hand-made corpus needs an article with more than 3 relations"
        assert report.skipped == [
            (ex.article.url, f"too many relations ({len(ex.relations)}, limit 3); not written") for ex in big
        ]
        assert report.new == len(extractions()) - len(big)
        urls = {r["u"].value for r in store.query("SELECT ?u WHERE { ?a <https://schema.org/url> ?u }")}
        assert urls.isdisjoint({ex.article.url for ex in big}) and len(urls) == report.new
    finally:
        store.close()


def test_should_stop_ends_an_ingest_between_batches_with_the_batches_before_whole(tmp_path):
    exs = extractions()
    articles = [e.article for e in exs.values()]
    assert len(articles) >= 4, "the hand-made corpus needs four articles for two batches of two"
    asked = 0

    def stop_on_third_ask() -> bool:
        nonlocal asked
        asked += 1
        return asked == 3

    with LocalStore(tmp_path / "s") as store:
        summary = loader.ingest(
            store, articles, lambda batch: [exs[a.id] for a in batch], batch_size=2, should_stop=stop_on_third_ask
        )
        urls = {r["u"].value for r in store.query("SELECT ?u WHERE { ?a <https://schema.org/url> ?u }")}
    assert (summary.stopped, summary.batches, summary.new) == (True, 2, 4)
    assert urls == {a.url for a in articles[:4]}


def _versions(store: LocalStore) -> dict[str, set[str]]:
    q = f"SELECT ?g ?v WHERE {{ GRAPH ?g {{ ?st <{ONTOLOGY}extractorVersion> ?v }} }}"
    out: dict[str, set[str]] = {}
    for r in store.query(q):
        out.setdefault(r["g"].value, set()).add(r["v"].value)
    return out


def test_reextract_replaces_batch_by_batch_and_a_failed_batch_leaves_its_articles_as_they_were(tmp_path):
    from dataclasses import replace

    from kg.errors import StoreError

    exs = extractions()
    articles = [e.article for e in exs.values()]
    current = "aikg-extract/9.0.0"

    def extract_now(batch):
        return [replace(exs[a.id], extractor_version=current) for a in batch]

    def redo(store, ids):
        return loader.outdated_ids(store, ids, current)

    calls = 0

    def fail_second_batch(quads):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise StoreError("write failed, nothing committed: disk full (test)")
        return quads, []

    with LocalStore(tmp_path / "s") as store:
        loader.ingest(store, articles, lambda batch: [exs[a.id] for a in batch])
        sizes = {g: len(store.graph_quads(ox.NamedNode(g))) for g in _versions(store)}
        with pytest.raises(StoreError):
            loader.ingest(store, articles, extract_now, batch_size=2, validate=fail_second_batch, redo=redo)
        after_failure = _versions(store)
        redone = {article_iri(a.id).value for a in articles[:2]}
        assert {g for g, v in after_failure.items() if v == {current}} == redone
        assert all(v == {"test-1"} for g, v in after_failure.items() if g not in redone)
        # Same statements, none doubled: every graph as large as before.
        assert {g: len(store.graph_quads(ox.NamedNode(g))) for g in sizes} == sizes
        summary = loader.ingest(store, articles, extract_now, batch_size=2, redo=redo)
        assert (summary.reextracted, summary.unchanged) == (len(articles) - 2, 2)
        assert all(v == {current} for v in _versions(store).values())
        assert loader.ingest(store, articles, extract_now, batch_size=2, redo=redo).reextracted == 0
