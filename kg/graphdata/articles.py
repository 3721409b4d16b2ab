"""Articles for the REST API and pages: list, count, read one, and ingest with a report.

:func:`get_article` gives an article with the relations it mentions;
:func:`ingest_articles` adds articles batch by batch and reports on each
(:class:`IngestStopped` when told to stop between batches).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.graphdata.records import (
    _P,
    _STATEMENT_VALUES,
    _STATEMENT_VARS,
    _bound,
    _day,
    _float,
    _v,
    local,
    ref,
    time_fields,
)
from kg.loader import Extract, existing_ids, find_articles, graphs_for_urls, ingest
from kg.mapping import oriented
from kg.model import Article, Extraction, RelationMention
from kg.namespaces import article_iri, entity_iri
from kg.store import Store
from kg.timeline import claim_day

if TYPE_CHECKING:
    pass


_ARTICLES = (
    _P
    + """
SELECT ?a ?id ?title ?url ?published (COUNT(DISTINCT ?st) AS ?relations) WHERE {
  ?a a aikg:Article ; aikg:sha256 ?id .
  OPTIONAL { ?a dcterms:title ?title }
  OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a dcterms:issued ?published }
  OPTIONAL { ?st prov:wasDerivedFrom ?a }
}
GROUP BY ?a ?id ?title ?url ?published
ORDER BY DESC(COALESCE(STR(?published), "")) ?id
"""
)
_ARTICLE_COUNT = _P + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a aikg:Article }"
_ARTICLE = (
    _P
    + """
SELECT ?id ?title ?url ?published ?ingested WHERE {
  GRAPH ?a { ?a aikg:sha256 ?id .
    OPTIONAL { ?a dcterms:title ?title }
    OPTIONAL { ?a schema:url ?url }
    OPTIONAL { ?a dcterms:issued ?published }
    OPTIONAL { ?a aikg:ingestedAt ?ingested } }
}
"""
)
_MENTIONS = (
    _P
    + """
SELECT ?st ?s ?p ?o ?sl ?ol ?stype ?otype ?evidence ?conf ?hedged ?reviewed ?start ?end ?date """
    + _STATEMENT_VARS
    + """
WHERE {
  GRAPH ?a {
    ?st prov:wasDerivedFrom ?a ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; aikg:evidence ?evidence .
    OPTIONAL { ?st aikg:confidence ?conf }
    OPTIONAL { ?st aikg:hedged ?hedged }
    OPTIONAL { ?st aikg:charStart ?start }
    OPTIONAL { ?st aikg:charEnd ?end }
    OPTIONAL { ?st dcterms:date ?date }"""
    + _STATEMENT_VALUES
    + """
    OPTIONAL { ?s rdfs:label ?sl }
    OPTIONAL { ?o rdfs:label ?ol }
    OPTIONAL { ?s a ?stype }
    OPTIONAL { ?o a ?otype }
  }
  # the curated view: a statement a curator rejected is not in the default graph (kg.curation)
  FILTER EXISTS { ?st a aikg:RelationStatement }
  OPTIONAL { ?st aikg:reviewed ?reviewed }
}
ORDER BY ?start ?st
"""
)


def count_articles(store: Store) -> int:
    """Return how many articles the store holds."""
    for row in store.select(_ARTICLE_COUNT):
        return int(row["n"].value)
    return 0


def list_articles(store: Store, limit: int, offset: int) -> list[dict[str, Any]]:
    """Return a page of articles, newest first, with their relation counts."""
    out = []
    for row in store.select(_ARTICLES + f"LIMIT {int(limit)} OFFSET {int(offset)}"):
        out.append(
            {
                "id": _v(row, "id"),
                "title": _v(row, "title"),
                "url": _v(row, "url"),
                "published": _day(_v(row, "published")),
                "relations": int(row["relations"].value),
            }
        )
    return out


def resolve_article(store: Store, ref_text: str) -> ox.NamedNode:
    """Return the graph of the article an id (or 8+ hex prefix) names.

    Raises:
        NotFoundError: no article, or a prefix shared by several.
    """
    text = ref_text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", text):
        raise NotFoundError(f"no article {ref_text!r}: an article id is its sha256 (64 hex digits, or 8+ as a prefix)")
    graphs = find_articles(store, text)
    if not graphs:
        raise NotFoundError(f"no article {ref_text!r}")
    if len(graphs) > 1:
        raise NotFoundError(f"{ref_text!r} is the prefix of {len(graphs)} articles: give more digits")
    return graphs[0]


def mentions(store: Store, graph: ox.NamedNode) -> list[dict[str, Any]]:
    """Return the relation mentions an article's graph holds, in text order.

    Each carries its time fields (``ended``, ``stated_date``, ``date_text``,
    ``start_date``, ``end_date``, ``claim_date``) and its amount normalized
    (``amount_value``, ``amount_currency``, ``stake_percent``), as the article states them.
    """
    out: dict[str, dict[str, Any]] = {}
    for row in store.select(_MENTIONS, substitutions={"a": graph}):
        key = _bound(row, "st")
        if key in out:
            continue
        out[key] = {
            "subject": ref(_bound(row, "s"), _v(row, "sl"), local(_v(row, "stype"))),
            "predicate": local(_v(row, "p")),
            "object": ref(_bound(row, "o"), _v(row, "ol"), local(_v(row, "otype"))),
            "confidence": _float(_v(row, "conf")),
            "evidence": _v(row, "evidence"),
            "hedged": _v(row, "hedged") == "true",
            "reviewed": _v(row, "reviewed") == "true",
            **time_fields(row, _v(row, "date")),
            "start": int(start) if (start := _v(row, "start")) else None,
            "end": int(end) if (end := _v(row, "end")) else None,
        }
    return list(out.values())


def get_article(store: Store, ref_text: str, min_confidence: float = 0.0) -> dict[str, Any]:
    """Return an article's metadata and its relations.

    Args:
        store: the store to read.
        ref_text: the article's id, or 8+ hex digits of it.
        min_confidence: keep the statements at least this confident (one without a
            confidence counts as 1.0); ``hidden`` counts the others.

    Raises:
        NotFoundError: no such article.
    """
    graph = resolve_article(store, ref_text)
    rows = list(store.select(_ARTICLE, substitutions={"a": graph}))
    if not rows:
        raise NotFoundError(f"no article {ref_text!r}")
    row = rows[0]
    every = mentions(store, graph)
    found = [m for m in every if m["confidence"] is None or m["confidence"] >= min_confidence or m["reviewed"]]
    return {
        "id": _v(row, "id"),
        "iri": graph.value,
        "title": _v(row, "title"),
        "url": _v(row, "url"),
        "published": _day(_v(row, "published")),
        "ingested_at": _v(row, "ingested"),
        "relations": len(found),
        "mentions": found,
        "hidden": len(every) - len(found),
    }


def _mention_of(rel: RelationMention, article_published: date | None = None) -> dict[str, Any]:
    s, o = oriented(rel)
    published = article_published.isoformat() if article_published else None
    return {
        "subject": ref(entity_iri(s.slug).value, s.name, s.type),
        "predicate": rel.predicate,
        "object": ref(entity_iri(o.slug).value, o.name, o.type),
        "confidence": round(float(rel.confidence), 4),
        "evidence": rel.sentence,
        "hedged": rel.hedged,
        "ended": rel.ended,
        "stated_date": rel.date,
        "date_text": rel.date_text,
        "start_date": rel.start_date,
        "end_date": rel.end_date,
        "claim_date": claim_day(rel.ended, rel.start_date, rel.end_date, rel.date, published),
        "amount": rel.amount,
        "amount_value": _float(rel.amount_value),
        "amount_currency": rel.amount_currency,
        "stake_percent": _float(rel.stake_percent),
        "start": rel.start,
        "end": rel.end,
    }


class IngestStopped(Exception):
    """An ingest ended between two batches because it was told to stop (a server shutdown).

    Attributes:
        articles: the per-article report of the committed batches, as ingest_articles gives.
        violations: the shape violations dropped from those batches.
        batches: how many batches were committed whole.
        total: how many batches the request made.
        remaining: the articles not read, in input order (send them again).
    """

    def __init__(
        self, articles: list[dict[str, Any]], violations: list[str], batches: int, total: int, remaining: list[Article]
    ):
        super().__init__(f"stopped after {batches} of {total} batches")
        self.articles = articles
        self.violations = violations
        self.batches = batches
        self.total = total
        self.remaining = remaining


def ingest_articles(
    store: Store,
    articles: list[Article],
    extract: Extract,
    *,
    batch_size: int,
    validate: Callable[[list[ox.Quad]], tuple[list[ox.Quad], list[str]]] | None = None,
    should_stop: Callable[[], bool] | None = None,
    store_text: bool = False,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Ingest articles and report, per article, its status and relations.

    Args:
        store: where to write.
        articles: the articles, in the order they are written (duplicates once).
        extract: the NLP pipeline as a function of a batch.
        batch_size: articles per transaction.
        validate: shape validation of a batch's quads.
        should_stop: asked before each batch (see :func:`kg.loader.ingest`).
        store_text: keep each new article's full text (``aikg:text``).

    Returns:
        (one dict per distinct article, in input order; shape violations dropped).

    Raises:
        StoreError: a batch failed to commit (earlier batches stay committed).
        IngestStopped: ``should_stop`` said so before the last batch; the batches before
            are committed and reported in the exception.
    """
    unique = list({a.id: a for a in articles}.values())
    present = existing_ids(store, [a.id for a in unique])
    old = graphs_for_urls(store, [a.url for a in unique if a.url and a.id not in present])
    captured: dict[str, Extraction] = {}

    def capture(batch: list[Article]) -> Iterator[Extraction]:
        for ex in extract(batch):
            captured[ex.article.id] = ex
            yield ex

    summary = ingest(
        store, unique, capture, batch_size=batch_size, validate=validate, should_stop=should_stop, store_text=store_text
    )
    # Batches are cut from ``unique`` in order, so the committed ones are its head.
    done = unique[: summary.batches * batch_size] if summary.stopped else unique
    out = []
    for a in done:
        if a.id in present:
            status, rels = "unchanged", mentions(store, article_iri(a.id))
        else:
            stale = [g for g in old.get(a.url or "", []) if g != article_iri(a.id)]
            status = "replaced" if stale else "new"
            ex = captured.get(a.id)
            rels = [_mention_of(r, a.published) for r in ex.relations] if ex else []
        out.append({"id": a.id, "title": a.title, "url": a.url, "status": status, "relations": rels})
    if summary.stopped:
        total = -(-len(unique) // batch_size)
        raise IngestStopped(out, summary.violations, summary.batches, total, unique[len(done) :])
    return out, summary.violations
