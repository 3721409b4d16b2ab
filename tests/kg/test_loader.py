"""The loader's bounds: big batches written in several transactions, oversized articles left out."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kg import loader
from kg.model import Article, Extraction
from kg.store import LocalStore
from tests.kg.conftest import extractions

WHEN = datetime(2025, 1, 2, tzinfo=timezone.utc)


def _all_quads(store: LocalStore) -> set[str]:
    return {f"{r['s']} {r['p']} {r['o']} {r['g']}" for r in store.query(
        "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")}


def _ingest(path, monkeypatch, commit_quads: int, **kw):
    exs = extractions()
    monkeypatch.setattr(loader, "COMMIT_QUADS", commit_quads)
    store = LocalStore(path)
    report = loader.commit_batch(store, [e.article for e in exs.values()],
                                 lambda batch: [exs[a.id] for a in batch], ingested_at=WHEN, **kw)
    return store, report


def test_a_batch_over_the_quad_budget_is_written_whole_in_several_transactions(tmp_path, monkeypatch):
    one, report_one = _ingest(tmp_path / "one", monkeypatch, 10**9)
    many, report_many = _ingest(tmp_path / "many", monkeypatch, 40)
    try:
        assert _all_quads(many) == _all_quads(one)
        exs = extractions().values()
        assert (report_many.new, report_many.relations) == (report_one.new, report_one.relations) \
            == (len(exs), sum(len(ex.relations) for ex in exs))
        assert report_many.entities == report_one.entities
    finally:
        one.close()
        many.close()


def test_an_article_with_too_many_relations_is_reported_and_not_written(tmp_path, monkeypatch):
    store, report = _ingest(tmp_path / "s", monkeypatch, 10**9, max_relations=3)
    try:
        big = [ex for ex in extractions().values() if len(ex.relations) > 3]
        assert big, "the hand-made corpus needs an article with more than 3 relations"
        assert report.skipped == [(ex.article.url, f"too many relations ({len(ex.relations)}, limit 3); not written")
                                  for ex in big]
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
        summary = loader.ingest(store, articles, lambda batch: [exs[a.id] for a in batch], batch_size=2,
                                should_stop=stop_on_third_ask)
        urls = {r["u"].value for r in store.query("SELECT ?u WHERE { ?a <https://schema.org/url> ?u }")}
    assert (summary.stopped, summary.batches, summary.new) == (True, 2, 4)
    assert urls == {a.url for a in articles[:4]}
