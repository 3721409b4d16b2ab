"""Map one article's extraction to RDF quads in that article's named graph."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pyoxigraph as ox

from kg.model import SYMMETRIC_PREDICATES, Article, Entity, Extraction, RelationMention
from kg.namespaces import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    WD,
    XSD,
    aikg,
    article_iri,
    entity_iri,
    statement_iri,
)

_TYPE = ox.NamedNode(RDF + "type")
_LABEL = ox.NamedNode(RDFS + "label")
_PREF = ox.NamedNode(SKOS + "prefLabel")
_ALT = ox.NamedNode(SKOS + "altLabel")
_SAME = ox.NamedNode(OWL + "sameAs")
_SUBJ = ox.NamedNode(RDF + "subject")
_PRED = ox.NamedNode(RDF + "predicate")
_OBJ = ox.NamedNode(RDF + "object")
_DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
_DATE = ox.NamedNode(DCTERMS + "date")
_TITLE = ox.NamedNode(DCTERMS + "title")
_ISSUED = ox.NamedNode(DCTERMS + "issued")
_SOURCE = ox.NamedNode(DCTERMS + "source")
_URL = ox.NamedNode(SCHEMA + "url")
_XSD_DATE = ox.NamedNode(XSD + "date")
_XSD_DATETIME = ox.NamedNode(XSD + "dateTime")
_XSD_INT = ox.NamedNode(XSD + "integer")
_XSD_DOUBLE = ox.NamedNode(XSD + "double")
_XSD_BOOL = ox.NamedNode(XSD + "boolean")
_XSD_URI = ox.NamedNode(XSD + "anyURI")
_XSD_DECIMAL = ox.NamedNode(XSD + "decimal")
_ISO = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")

ARTICLE_CLASS = aikg("Article")
STATEMENT_CLASS = aikg("RelationStatement")


def entity_node(entity: Entity) -> ox.NamedNode:
    """Return the IRI of a canonical entity."""
    return entity_iri(entity.slug)


def oriented(rel: RelationMention) -> tuple[Entity, Entity]:
    """Return (subject, object), ordered by slug for symmetric predicates."""
    s, o = rel.subject, rel.object
    if rel.predicate in SYMMETRIC_PREDICATES and o.slug < s.slug:
        s, o = o, s
    return s, o


def statement_id(article: Article, rel: RelationMention) -> str:
    """Return a stable digest for one mention: same article, triple and offsets, same node."""
    s, o = oriented(rel)
    key = f"{article.id}|{s.slug}|{rel.predicate}|{o.slug}|{rel.start}|{rel.end}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _entity_quads(e: Entity, g: ox.NamedNode) -> Iterator[ox.Quad]:
    node = entity_node(e)
    name = ox.Literal(e.name)
    yield ox.Quad(node, _TYPE, aikg(e.type), g)
    yield ox.Quad(node, _LABEL, name, g)
    yield ox.Quad(node, _PREF, name, g)
    for alias in e.aliases:
        if alias and alias != e.name:
            yield ox.Quad(node, _ALT, ox.Literal(alias), g)
    if e.wikidata:
        yield ox.Quad(node, _SAME, ox.NamedNode(WD + e.wikidata), g)


def article_quads(
    article: Article, g: ox.NamedNode, ingested_at: datetime, store_text: bool = False
) -> Iterator[ox.Quad]:
    """Yield the metadata quads of an article, and its text as ``aikg:text`` when ``store_text``."""
    node = article_iri(article.id)
    yield ox.Quad(node, _TYPE, ARTICLE_CLASS, g)
    yield ox.Quad(node, aikg("sha256"), ox.Literal(article.id), g)
    yield ox.Quad(
        node, aikg("ingestedAt"), ox.Literal(ingested_at.isoformat(timespec="seconds"), datatype=_XSD_DATETIME), g
    )
    if article.url:
        yield ox.Quad(node, _URL, ox.Literal(article.url, datatype=_XSD_URI), g)
    if article.title:
        yield ox.Quad(node, _TITLE, ox.Literal(article.title), g)
    if article.published:
        yield ox.Quad(node, _ISSUED, ox.Literal(article.published.isoformat(), datatype=_XSD_DATE), g)
    if article.source:
        yield ox.Quad(node, _SOURCE, ox.Literal(article.source), g)
    if store_text and article.text:
        yield ox.Quad(node, aikg("text"), ox.Literal(article.text), g)


def extraction_quads(ex: Extraction, *, ingested_at: datetime | None = None, store_text: bool = False) -> list[ox.Quad]:
    """Return every quad an article asserts, all in its named graph.

    Args:
        ex: the article's extraction.
        ingested_at: timestamp recorded on the article (default: now, UTC).
        store_text: also record the article's normalized text (``aikg:text``). Off by
            default: news text belongs to its publishers; the evidence sentences and
            their offsets are kept either way.

    Returns:
        Quads, without duplicates, in a stable order.
    """
    art = ex.article
    g = article_iri(art.id)
    when = ingested_at or datetime.now(UTC)
    out: dict[ox.Quad, None] = {}

    def add(quads: Iterator[ox.Quad]) -> None:
        for q in quads:
            out[q] = None

    add(article_quads(art, g, when, store_text))
    entities: dict[str, Entity] = {}
    for e in ex.entities:
        entities[e.slug] = _merge(entities.get(e.slug), e)
    for rel in ex.relations:
        for e in (rel.subject, rel.object):
            entities[e.slug] = _merge(entities.get(e.slug), e)
    for e in entities.values():
        add(_entity_quads(e, g))
    for rel in ex.relations:
        add(_relation_quads(art, rel, g, ex.extractor_version))
    return list(out)


def _merge(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    aliases = tuple(dict.fromkeys(old.aliases + new.aliases))
    return Entity(old.name, old.type, old.wikidata or new.wikidata, aliases)


def _relation_quads(art: Article, rel: RelationMention, g: ox.NamedNode, version: str) -> Iterator[ox.Quad]:
    s, o = oriented(rel)
    sn, on, pred = entity_node(s), entity_node(o), aikg(rel.predicate)
    yield ox.Quad(sn, pred, on, g)
    st = statement_iri(statement_id(art, rel))
    yield ox.Quad(st, _TYPE, STATEMENT_CLASS, g)
    yield ox.Quad(st, _SUBJ, sn, g)
    yield ox.Quad(st, _PRED, pred, g)
    yield ox.Quad(st, _OBJ, on, g)
    yield ox.Quad(st, aikg("evidence"), ox.Literal(rel.sentence), g)
    yield ox.Quad(st, aikg("charStart"), ox.Literal(str(rel.start), datatype=_XSD_INT), g)
    yield ox.Quad(st, aikg("charEnd"), ox.Literal(str(rel.end), datatype=_XSD_INT), g)
    yield ox.Quad(st, aikg("confidence"), ox.Literal(repr(round(float(rel.confidence), 4)), datatype=_XSD_DOUBLE), g)
    yield ox.Quad(st, aikg("hedged"), ox.Literal("true" if rel.hedged else "false", datatype=_XSD_BOOL), g)
    yield ox.Quad(st, aikg("extractorVersion"), ox.Literal(version), g)
    yield ox.Quad(st, _DERIVED, article_iri(art.id), g)
    if art.published:
        yield ox.Quad(st, _DATE, ox.Literal(art.published.isoformat(), datatype=_XSD_DATE), g)
    yield ox.Quad(st, aikg("ended"), ox.Literal("true" if rel.ended else "false", datatype=_XSD_BOOL), g)
    if rel.amount:
        yield ox.Quad(st, aikg("amount"), ox.Literal(rel.amount), g)
    if rel.amount_value is not None:
        yield ox.Quad(st, aikg("amountValue"), ox.Literal(str(rel.amount_value), datatype=_XSD_DECIMAL), g)
    if rel.amount_currency:
        yield ox.Quad(st, aikg("currency"), ox.Literal(rel.amount_currency), g)
    if rel.stake_percent is not None:
        yield ox.Quad(st, aikg("stakePercent"), ox.Literal(str(rel.stake_percent), datatype=_XSD_DECIMAL), g)
    if rel.date_text:
        yield ox.Quad(st, aikg("dateText"), ox.Literal(rel.date_text), g)
    for prop, value in (("statedDate", rel.date), ("startDate", rel.start_date), ("endDate", rel.end_date)):
        if value:
            yield ox.Quad(st, aikg(prop), iso_literal(value), g)


def iso_literal(value: str) -> ox.Literal:
    """Return an ISO date at its own precision as a typed literal.

    ``2024-03-05`` is an ``xsd:date``, ``2024-03`` an ``xsd:gYearMonth``, ``2024`` an
    ``xsd:gYear``.

    Raises:
        ValueError: ``value`` is none of these forms.
    """
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}.get(len(value))
    if kind is None or not _ISO.fullmatch(value):
        raise ValueError(f"not an ISO date, year-month or year: {value!r}")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))
