"""RDF descriptions of one resource: an entity, an article or a statement.

Each is a SPARQL CONSTRUCT run through the store, with the resource's IRI bound as data
(the store's substitutions), never pasted into the query text. The descriptions are
concise bounded descriptions in the sense the linked-data pages need: everything about
the resource itself plus, one hop out, what a reader needs to make sense of it (the
statements that mention it with their evidence, the articles they came from, the names
of the entities on the other side).
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.namespaces import PREFIXES, article_iri, entity_iri, sparql_prologue, statement_iri, term_value
from kg.store import Store

_PROLOGUE = sparql_prologue()

# The entity's own triples (labels, types, aliases, sameAs, outgoing direct relations),
# incoming direct relations, every statement naming it as subject or object with all its
# properties, the names and types of the entities on the other side, and the title, url
# and date of each supporting article.
_ENTITY = (
    _PROLOGUE
    + """
CONSTRUCT {
  ?e ?p ?o .
  ?x ?q ?e .
  ?st ?sp ?so .
  ?other rdfs:label ?olabel ; a ?otype .
  ?art a aikg:Article ; dcterms:title ?title ; schema:url ?url ; dcterms:issued ?issued .
}
WHERE {
  { ?e ?p ?o }
  UNION
  { ?x ?q ?e . FILTER(STRSTARTS(STR(?q), STR(aikg:))) }
  UNION
  { { ?st rdf:subject ?e } UNION { ?st rdf:object ?e }
    ?st a aikg:RelationStatement ; ?sp ?so . }
  UNION
  { { ?st rdf:subject ?e ; rdf:object ?other } UNION { ?st rdf:object ?e ; rdf:subject ?other }
    ?st a aikg:RelationStatement .
    OPTIONAL { ?other rdfs:label ?olabel }
    OPTIONAL { ?other a ?otype } }
  UNION
  { { ?st rdf:subject ?e } UNION { ?st rdf:object ?e }
    ?st a aikg:RelationStatement ; prov:wasDerivedFrom ?art .
    OPTIONAL { ?art dcterms:title ?title }
    OPTIONAL { ?art schema:url ?url }
    OPTIONAL { ?art dcterms:issued ?issued } }
}
"""
)

# An article's named graph holds everything it asserts: its metadata, the types and
# names of its entities, the direct triples and the statement nodes.
_ARTICLE = (
    _PROLOGUE
    + """
CONSTRUCT { ?s ?p ?o }
WHERE { GRAPH ?a { ?s ?p ?o } }
"""
)

# A statement's own triples, the names of its two entities and its article's metadata.
_STATEMENT = (
    _PROLOGUE
    + """
CONSTRUCT {
  ?st ?sp ?so .
  ?ent rdfs:label ?label .
  ?art a aikg:Article ; dcterms:title ?title ; schema:url ?url ; dcterms:issued ?issued .
}
WHERE {
  { ?st a aikg:RelationStatement ; ?sp ?so }
  UNION
  { { ?st rdf:subject ?ent } UNION { ?st rdf:object ?ent }
    ?st a aikg:RelationStatement . ?ent rdfs:label ?label }
  UNION
  { ?st a aikg:RelationStatement ; prov:wasDerivedFrom ?art .
    OPTIONAL { ?art dcterms:title ?title }
    OPTIONAL { ?art schema:url ?url }
    OPTIONAL { ?art dcterms:issued ?issued } }
}
"""
)


def _construct(store: Store, sparql: str, var: str, node: ox.NamedNode, what: str) -> list[ox.Triple]:
    triples = sorted(set(store.construct(sparql, substitutions={var: node})), key=str)
    if not triples:
        raise NotFoundError(f"no {what}")
    return triples


def describe_entity(store: Store, slug: str) -> list[ox.Triple]:
    """Return the description of an entity (see the module docstring).

    Raises:
        NotFoundError: the store knows no entity with this slug.
    """
    return _construct(store, _ENTITY, "e", entity_iri(slug), f"entity {slug!r}")


def describe_article(store: Store, article_id: str) -> list[ox.Triple]:
    """Return everything an article asserts: its metadata and its statements.

    Raises:
        NotFoundError: the store holds no article with this id.
    """
    return _construct(store, _ARTICLE, "a", article_iri(article_id), f"article {article_id!r}")


def describe_statement(store: Store, digest: str) -> list[ox.Triple]:
    """Return a statement's triples, its entities' names and its article's metadata.

    Raises:
        NotFoundError: the store holds no statement with this id.
    """
    return _construct(store, _STATEMENT, "st", statement_iri(digest), f"statement {digest!r}")


def statement_article(triples: list[ox.Triple]) -> str | None:
    """Return the IRI of the article a described statement was derived from, if any."""
    derived = PREFIXES["prov"] + "wasDerivedFrom"
    return next((term_value(t.object) for t in triples if t.predicate.value == derived), None)
