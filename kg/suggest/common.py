"""What both suggestion lists share: their reads of the store, and how scores combine.

The entities with their names, types and Wikidata ids (:func:`_read_entities`), the
relation partners and triples (:func:`_neighbours`), the statements' values
(:func:`_statements`), and :func:`_combine`, the score of independent reasons.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.model import ENTITY_TYPES, PREDICATES
from kg.namespaces import ENTITY, ONTOLOGY, PROV, RDF, WD, aikg, sparql_prologue
from kg.store import Store, term_sparql

_P = sparql_prologue()


_ENTITIES = (
    _P
    + """
SELECT ?e ?k ?v WHERE {
  VALUES ?k { rdf:type rdfs:label skos:altLabel owl:sameAs }
  ?e ?k ?v .
  FILTER(STRSTARTS(STR(?e), STR(ent:)))
}
"""
)

# One row per statement property rather than one joined row per statement: Oxigraph
# answers the flat form twice as fast, and the statements are put together below.
_STATEMENTS = (
    _P
    + """
SELECT ?st ?k ?v WHERE {
  VALUES ?k { rdf:subject rdf:predicate rdf:object prov:wasDerivedFrom aikg:evidence aikg:confidence aikg:hedged
              aikg:ended }
  ?st ?k ?v .
}
"""
)
_STATEMENT_KEYS = {
    RDF + "subject": "s",
    RDF + "predicate": "p",
    RDF + "object": "o",
    PROV + "wasDerivedFrom": "a",
    ONTOLOGY + "evidence": "evidence",
    ONTOLOGY + "confidence": "conf",
    ONTOLOGY + "hedged": "hedged",
    ONTOLOGY + "ended": "ended",
}

_ARTICLES = (
    _P
    + """
SELECT ?a ?id ?title ?url ?published WHERE {
  ?a a aikg:Article .
  OPTIONAL { ?a aikg:sha256 ?id }
  OPTIONAL { ?a dcterms:title ?title }
  OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a dcterms:issued ?published }
}
"""
)


def _edges_query() -> str:
    """Return the query for the direct relation triples between entities."""
    values = " ".join(term_sparql(aikg(p)) for p in PREDICATES)
    return _P + "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { " + values + " } ?s ?p ?o . }"


@dataclass
class _Entity:
    iri: str
    labels: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    wikidata: set[str] = field(default_factory=set)
    same: set[str] = field(default_factory=set)  # entities it is owl:sameAs (a merge done)

    @property
    def label(self) -> str:
        if not self.labels:
            return self.iri.removeprefix(ENTITY)
        return sorted(self.labels, key=lambda s: (len(s), s))[0]

    @property
    def type(self) -> str | None:
        return next((t for t in ENTITY_TYPES if t in self.types), None)

    def ref(self) -> dict[str, Any]:
        """Return the JSON reference pages and the CLI show (the shape of kg.graphdata.ref)."""
        return {"slug": self.iri.removeprefix(ENTITY), "iri": self.iri, "label": self.label, "type": self.type}


def _read_entities(store: Store) -> dict[str, _Entity]:
    out: dict[str, _Entity] = {}
    for row in store.select(_ENTITIES):
        iri, k, v = row["e"].value, row["k"].value, row["v"]
        e = out.get(iri) or out.setdefault(iri, _Entity(iri))
        if k.endswith("#type"):
            if v.value.startswith(ONTOLOGY):
                e.types.add(v.value.removeprefix(ONTOLOGY))
        elif k.endswith("#label"):
            e.labels.add(v.value)
        elif k.endswith("#altLabel"):
            e.aliases.add(v.value)
        elif isinstance(v, ox.NamedNode) and v.value.startswith(WD):
            e.wikidata.add(v.value.removeprefix(WD))
        elif isinstance(v, ox.NamedNode) and v.value.startswith(ENTITY):
            e.same.add(v.value)
    return out


def _neighbours(store: Store) -> tuple[dict[str, set[str]], set[tuple[str, str, str]]]:
    """Return each entity's relation partners (either direction) and the relation triples."""
    partners: dict[str, set[str]] = defaultdict(set)
    triples: set[tuple[str, str, str]] = set()
    for row in store.select(_edges_query()):
        s, p, o = row["s"].value, row["p"].value.removeprefix(ONTOLOGY), row["o"].value
        triples.add((s, p, o))
        if s != o:
            partners[s].add(o)
            partners[o].add(s)
    return partners, triples


def _statements(store: Store) -> dict[str, dict[str, str]]:
    """Return each statement node's values: s, p, o, a (its article), evidence, conf, hedged."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.select(_STATEMENTS):
        out[row["st"].value][_STATEMENT_KEYS[row["k"].value]] = row["v"].value
    return out


def _combine(weights: list[float]) -> float:
    """Return the score of independent pieces of evidence: 1 - the product of (1 - weight)."""
    rest = 1.0
    for w in weights:
        rest *= 1.0 - w
    return 1.0 - rest
