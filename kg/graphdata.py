"""Reads of the graph shaped for the REST API and pages, and ingest with a per-article report.

The HTTP layer (api/) only maps requests to these functions and their results to JSON;
the SPARQL lives here, in the library. Every value a user sends reaches SPARQL as a
bound term (``substitutions``); the only text formatted into queries is LIMIT/OFFSET
integers the callers already validated. Relation-level figures (sources, first/last
dates) come from the statement nodes, like :func:`kg.analytics.to_networkx`, so the
REST API and the analytics agree; so do their states on a day (``as_of``), both decided
by the time rule of :mod:`kg.timeline`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.loader import Extract, existing_ids, find_articles, graphs_for_urls, ingest
from kg.mapping import oriented
from kg.model import ENTITY_TYPES, SYMMETRIC_PREDICATES, Article, Extraction, RelationMention, slugify
from kg.namespaces import ARTICLE, ENTITY, ONTOLOGY, WD, article_iri, entity_iri, sparql_prologue
from kg.store import Store
from kg.timeline import claim_day, fold, in_view

if TYPE_CHECKING:
    import networkx as nx

log = logging.getLogger(__name__)

_P = sparql_prologue()
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _v(row: ox.QuerySolution, name: str) -> str | None:
    term = row[name]
    return term.value if term is not None else None


def _bound(row: ox.QuerySolution, name: str) -> str:
    """Return the value of a variable the query always binds."""
    value: str = row[name].value
    return value


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _decimal(text: str | None) -> float | None:
    """Return an xsd:decimal's value as a JSON number (amounts and stakes fit a double)."""
    return _float(text)


#: The statement values every reader fetches, as OPTIONAL patterns on ``?st``.
_STATEMENT_VALUES = """
    OPTIONAL { ?st aikg:ended ?ended }
    OPTIONAL { ?st aikg:statedDate ?stated }
    OPTIONAL { ?st aikg:startDate ?startDate }
    OPTIONAL { ?st aikg:endDate ?endDate }
    OPTIONAL { ?st aikg:dateText ?dateText }
    OPTIONAL { ?st aikg:amount ?amount }
    OPTIONAL { ?st aikg:amountValue ?amountValue }
    OPTIONAL { ?st aikg:currency ?currency }
    OPTIONAL { ?st aikg:stakePercent ?stake }
"""
_STATEMENT_VARS = "?ended ?stated ?startDate ?endDate ?dateText ?amount ?amountValue ?currency ?stake"


def time_fields(row: ox.QuerySolution, published: str | None) -> dict[str, Any]:
    """Return a statement's time and amount fields from a row that selected ``_STATEMENT_VARS``.

    ``claim_date`` is the day the time rule places the statement at (:mod:`kg.timeline`);
    ``published`` is its article's date, the last resort of that day.
    """
    ended = _v(row, "ended") == "true"
    stated, start, end = _v(row, "stated"), _v(row, "startDate"), _v(row, "endDate")
    return {
        "ended": ended,
        "stated_date": stated,
        "date_text": _v(row, "dateText"),
        "start_date": start,
        "end_date": end,
        "claim_date": claim_day(ended, start, end, stated, published[:10] if published else None),
        "amount": _v(row, "amount"),
        "amount_value": _decimal(_v(row, "amountValue")),
        "amount_currency": _v(row, "currency"),
        "stake_percent": _decimal(_v(row, "stake")),
    }


def ref(iri: str, label: str | None = None, etype: str | None = None) -> dict[str, Any]:
    """Return the JSON of an entity reference."""
    slug = iri.removeprefix(ENTITY)
    return {"slug": slug, "iri": iri, "label": label or slug, "type": etype}


def local(iri: str | None) -> str | None:
    """Return the local name of an aikg ontology term."""
    return iri.removeprefix(ONTOLOGY) if iri else None


# ---------------------------------------------------------------- articles

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


# ---------------------------------------------------------------- entities

_SEARCH = (
    _P
    + """
SELECT ?e ?name ?k ?type WHERE {
  VALUES ?k { rdfs:label skos:altLabel }
  ?e ?k ?name .
  FILTER(STRSTARTS(STR(?e), STR(ent:)) && CONTAINS(LCASE(STR(?name)), LCASE(STR(?q))))
  OPTIONAL { ?e rdf:type ?type }
}
"""
)
_ALL_ENTITIES = (
    _P
    + """
SELECT ?e ?name ?k ?type WHERE {
  VALUES ?k { rdfs:label }
  ?e ?k ?name .
  FILTER(STRSTARTS(STR(?e), STR(ent:)))
  OPTIONAL { ?e rdf:type ?type }
}
"""
)
_ENTITY_PROPS = (
    _P
    + """
SELECT ?k ?v WHERE {
  VALUES ?k { rdf:type rdfs:label skos:prefLabel skos:altLabel owl:sameAs }
  ?e ?k ?v .
}
"""
)


def _props_of(store: Store, iris: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    """Return IRI -> property name -> values for these entities, in one query.

    The IRIs come from the store, and pyoxigraph writes each as a term.
    """
    terms = " ".join(str(ox.NamedNode(i)) for i in sorted(set(iris)))
    if not terms:
        return {}
    q = _P + (
        "SELECT ?e ?k ?v WHERE { VALUES ?e { " + terms + " } "
        "VALUES ?k { rdf:type rdfs:label skos:altLabel owl:sameAs } ?e ?k ?v . }"
    )
    return _props(store.select(q), "e")


def _props(rows: Iterable[ox.QuerySolution], key: str | None = None) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        e = _bound(row, key) if key else ""
        k = _bound(row, "k").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        vals = out.setdefault(e, {}).setdefault(k, [])
        v = _bound(row, "v")
        if v not in vals:
            vals.append(v)
    return out


def _describe(iri: str, props: dict[str, list[str]]) -> dict[str, Any]:
    types = [t.removeprefix(ONTOLOGY) for t in props.get("type", []) if t.startswith(ONTOLOGY)]
    etype = next((t for t in ENTITY_TYPES if t in types), None)
    labels = sorted(set(props.get("label", []) + props.get("prefLabel", [])), key=lambda s: (len(s), s))
    label = labels[0] if labels else iri.removeprefix(ENTITY)
    wikidata = sorted(v.removeprefix(WD) for v in props.get("sameAs", []) if v.startswith(WD))
    aliases = sorted(set(props.get("altLabel", []) + labels[1:]) - {label})
    return {
        **ref(iri, label, etype),
        "types": types,
        "labels": labels,
        "aliases": aliases,
        "wikidata": wikidata[0] if wikidata else None,
    }


def search_entities(
    store: Store, q: str | None, etype: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Find entities by label or alias: exact matches, then prefixes, then substrings.

    Args:
        q: the text (case-insensitive); empty lists every entity by label.
        etype: keep one entity type.

    Returns:
        (the page of entity dicts with ``match``, the total number of matches).
    """
    text = (q or "").strip()
    if text:
        rows = store.select(_SEARCH, substitutions={"q": ox.Literal(text)})
    else:
        rows = store.select(_ALL_ENTITIES)
    want = text.casefold()
    best: dict[str, tuple[int, str]] = {}
    types: dict[str, set[str]] = {}
    for row in rows:
        name = _bound(row, "name")
        folded = name.casefold()
        rank = 3 if not want else 0 if folded == want else 1 if folded.startswith(want) else 2
        if rank == 2 and want not in folded:
            continue  # SPARQL LCASE and casefold differ on a few letters (German sharp s)
        e = _bound(row, "e")
        types.setdefault(e, set()).add(local(_v(row, "type")) or "")
        if e not in best or (rank, name) < best[e]:
            best[e] = (rank, name)
    found = []
    for e, (rank, name) in best.items():
        kind = next((t for t in ENTITY_TYPES if t in types.get(e, ())), None)
        if etype and kind != etype:
            continue
        found.append((rank, name.casefold(), e))
    found.sort()
    page_iris = [e for _, _, e in found[offset : offset + limit]]
    props = _props_of(store, page_iris)
    page = []
    for e in page_iris:
        d = _describe(e, props.get(e, {}))
        d["match"] = ("exact", "prefix", "substring", "all")[best[e][0]]
        d.pop("types"), d.pop("labels")
        page.append(d)
    return page, len(found)


_ENTITY_STATEMENTS = (
    _P
    + """
SELECT ?st ?s ?p ?o ?evidence ?conf ?hedged ?reviewed ?date ?art ?title ?url """
    + _STATEMENT_VARS
    + """
WHERE {
  { ?st rdf:subject ?e } UNION { ?st rdf:object ?e }
  ?st a aikg:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      aikg:evidence ?evidence ; prov:wasDerivedFrom ?art .
  OPTIONAL { ?st aikg:confidence ?conf }
  OPTIONAL { ?st aikg:hedged ?hedged }
  OPTIONAL { ?st aikg:reviewed ?reviewed }
  OPTIONAL { ?st dcterms:date ?date }"""
    + _STATEMENT_VALUES
    + """
  OPTIONAL { ?art dcterms:title ?title }
  OPTIONAL { ?art schema:url ?url }
}
"""
)


def entity_iri_for(slug: str) -> ox.NamedNode:
    """Return the IRI of a slug.

    Raises:
        NotFoundError: the text cannot be a slug.
    """
    if not _SLUG.match(slug):
        raise NotFoundError(
            f"no entity {slug!r}: a slug is lowercase letters, digits and hyphens (e.g. {slugify(slug)!r})"
        )
    return entity_iri(slug)


def get_entity(
    store: Store,
    slug: str,
    evidence_limit: int = 20,
    min_confidence: float = 0.0,
    as_of: date | None = None,
    include_ended: bool = True,
) -> dict[str, Any]:
    """Return an entity: types, labels, aliases, Wikidata, relations in and out with evidence.

    Args:
        store: the store to read.
        slug: the entity's slug.
        evidence_limit: sentences kept per relation.
        min_confidence: keep a relation when one of its statements is at least this
            confident (one without a confidence counts as 1.0), with only those statements
            as its evidence, sources and dates; each relation counts the others in
            ``weaker``, and ``hidden_relations`` counts the relations with none.
        as_of: the entity as it stood on this day: only statements whose claim day is
            this day or earlier count (:mod:`kg.timeline`); None counts them all.
        include_ended: keep the relations that are over (by ``as_of``, or at all), flagged
            ``ended``; current relations come first.

    Returns:
        The entity dict; each relation carries ``ended``, ``start_date`` and ``end_date``
        by the time rule, and each evidence sentence its own time and amount fields.

    Raises:
        NotFoundError: no entity with this slug.
    """
    node = entity_iri_for(slug)
    props = _props(store.select(_ENTITY_PROPS, substitutions={"e": node})).get("", {})
    if not props:
        raise NotFoundError(f"no entity {slug!r}")
    out = _describe(node.value, props)
    out["wikidata_url"] = WD + out["wikidata"] if out["wikidata"] else None
    out["as_of"] = as_of
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    seen: set[str] = set()
    for row in store.select(_ENTITY_STATEMENTS, substitutions={"e": node}):
        st = _bound(row, "st")
        if st in seen:
            continue
        seen.add(st)
        day = _day(_v(row, "date"))
        times = time_fields(row, _v(row, "date"))
        if not in_view(times["claim_date"], as_of):
            continue
        s, p, o = _bound(row, "s"), _bound(row, "p").removeprefix(ONTOLOGY), _bound(row, "o")
        outward = s == node.value
        if s == o:
            outward = True
        other = o if outward else s
        direction = "out" if outward or p in SYMMETRIC_PREDICATES else "in"
        g = groups.setdefault(
            (direction, p, other),
            {
                "direction": direction,
                "predicate": p,
                "other": other,
                "articles": set(),
                "dates": [],
                "confidence": None,
                "evidence": [],
                "weaker": 0,
            },
        )
        conf = _float(_v(row, "conf"))
        if conf is not None and conf < min_confidence and _v(row, "reviewed") != "true":
            g["weaker"] += 1
            continue
        g["articles"].add(_bound(row, "art"))
        if day:
            g["dates"].append(day)
        if conf is not None:
            g["confidence"] = max(conf, g["confidence"] or 0.0)
        g["evidence"].append(
            {
                "sentence": _v(row, "evidence"),
                "article": _bound(row, "art").removeprefix(ARTICLE),
                "title": _v(row, "title"),
                "url": _v(row, "url"),
                "date": day,
                "confidence": conf,
                "hedged": _v(row, "hedged") == "true",
                **times,
            }
        )
    shown = [g for g in groups.values() if g["evidence"]]
    info = _props_of(store, (g["other"] for g in shown))
    rels = []
    for g in shown:
        state = fold(((e["claim_date"], e["ended"]) for e in g["evidence"]), as_of)
        if state is None or (state.ended and not include_ended):
            continue
        d = _describe(g["other"], info.get(g["other"], {}))
        ev = sorted(g["evidence"], key=lambda e: (e["date"] is None, e["date"] or date.min, e["sentence"]))
        rels.append(
            {
                "direction": g["direction"],
                "predicate": g["predicate"],
                "other": ref(g["other"], d["label"], d["type"]),
                "sources": len(g["articles"]),
                "first": min(g["dates"]) if g["dates"] else None,
                "last": max(g["dates"]) if g["dates"] else None,
                "confidence": g["confidence"],
                "evidence": ev[:evidence_limit],
                "weaker": g["weaker"],
                "statements": len(g["evidence"]),
                "ended": state.ended,
                "start_date": state.start_date,
                "end_date": state.end_date,
            }
        )
    rels.sort(key=lambda r: (r["ended"], -r["sources"], r["direction"], r["predicate"], r["other"]["label"]))
    out["relations"] = rels
    out["hidden_relations"] = len(groups) - len(shown)
    return out


# ---------------------------------------------------------------- relations


def node_ref(G: nx.Graph, iri: str) -> dict[str, Any]:
    """Return the entity reference of a networkx node."""
    d = G.nodes[iri] if iri in G else {}
    return ref(iri, d.get("label"), d.get("type"))


def relations_from_graph(G: nx.Graph, subject: str | None, obj: str | None) -> list[dict[str, Any]]:
    """Return the edges of a projection as relation dicts, best supported first."""
    out = []
    for s, o, data in G.edges(data=True):
        if subject and s != subject and not (data.get("symmetric") and o == subject):
            continue
        if obj and o != obj and not (data.get("symmetric") and s == obj):
            continue
        out.append(
            {
                "subject": node_ref(G, s),
                "predicate": data["predicate"],
                "object": node_ref(G, o),
                "sources": data["sources"],
                "mentions": data["mentions"],
                "first": _day(data.get("first")),
                "last": _day(data.get("last")),
                "confidence": data.get("confidence"),
                "hedged": data.get("hedged", False),
                "ended": data.get("ended", False),
                "start_date": data.get("start_date"),
                "end_date": data.get("end_date"),
            }
        )
    out.sort(key=lambda r: (-r["sources"], r["subject"]["label"], r["predicate"], r["object"]["label"]))
    return out
