"""IRIs of the aikg vocabulary and of the resources it mints.

The RDF model (see README "RDF model"):

- entity ``ent:<slug>`` a ``aikg:Organization|Person|AIModel|Product``; ``rdfs:label`` and
  ``skos:prefLabel`` the canonical name, ``skos:altLabel`` each alias, ``owl:sameAs`` the
  Wikidata item.
- direct triple ``ent:a aikg:<predicate> ent:b`` per relation (symmetric ones once per
  pair, subject = the smaller slug).
- statement ``stmt:<hash>`` a ``aikg:RelationStatement``: ``rdf:subject``/``rdf:predicate``/
  ``rdf:object``, ``aikg:evidence`` (sentence), ``aikg:charStart``/``aikg:charEnd``,
  ``aikg:confidence``, ``aikg:hedged``, ``aikg:ended``, ``aikg:amount``,
  ``aikg:amountValue``, ``aikg:currency``, ``aikg:stakePercent``, ``aikg:dateText``,
  ``aikg:statedDate``, ``aikg:startDate``, ``aikg:endDate`` (typed ``aikg:DateAtPrecision``),
  ``aikg:extractorVersion``, ``prov:wasDerivedFrom`` the article, ``dcterms:date`` the
  article's date.
- article ``art:<sha256>`` a ``aikg:Article`` (subclass of ``schema:NewsArticle``):
  ``schema:url``, ``dcterms:title``, ``dcterms:issued``, ``aikg:sha256``,
  ``aikg:ingestedAt``, ``dcterms:source``; ``aikg:text`` (the normalized text) only when
  the ingest was asked to store it.
- the named graph of an article is the article IRI itself; it holds everything that
  article asserts (its metadata, its entities' type and labels, direct triples, statements).
"""

from __future__ import annotations

from typing import Union

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

#: An RDF term as pyoxigraph gives it (the object of a triple; also :data:`kg.store.Term`).
Term = Union[NamedNode, BlankNode, Literal, Triple]


def term_value(term: Term) -> str:
    """Return a term's value (an IRI, a blank node id, a literal's text); a quoted triple as SPARQL text."""
    return str(term) if isinstance(term, Triple) else term.value


BASE = "https://w3id.org/aikg/"
ONTOLOGY = BASE + "ontology#"
ENTITY = BASE + "entity/"
STATEMENT = BASE + "statement/"
ARTICLE = BASE + "article/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
WD = "http://www.wikidata.org/entity/"

PREFIXES = {
    "aikg": ONTOLOGY,
    "ent": ENTITY,
    "stmt": STATEMENT,
    "art": ARTICLE,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
    "wd": WD,
}


def sparql_prologue() -> str:
    """Return PREFIX lines for every prefix above, for queries users write."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def aikg(local: str) -> NamedNode:
    """Return the ontology term ``aikg:<local>``."""
    return NamedNode(ONTOLOGY + local)


def entity_iri(slug: str) -> NamedNode:
    """Return the IRI of the entity with this slug."""
    return NamedNode(ENTITY + slug)


def article_iri(article_id: str) -> NamedNode:
    """Return the IRI (and named graph) of the article with this sha256 id."""
    return NamedNode(ARTICLE + article_id)


def statement_iri(digest: str) -> NamedNode:
    """Return the IRI of a statement node."""
    return NamedNode(STATEMENT + digest)
