"""Counts a user asks for first, in a handful of GROUP BY queries."""

from __future__ import annotations

from typing import Any

from kg.derived import NOT_DERIVED
from kg.model import ENTITY_TYPES, PREDICATES
from kg.namespaces import ONTOLOGY, RDF
from kg.store import Store, count

_TYPE = f"<{RDF}type>"


def store_stats(store: Store) -> dict[str, Any]:
    """Return counts of articles, entities (by type), relations (by predicate), triples."""
    by_type = {t: 0 for t in ENTITY_TYPES}
    for row in store.select(f"SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e {_TYPE} ?t }} GROUP BY ?t"):
        local = row["t"].value.removeprefix(ONTOLOGY)
        if local in by_type:
            by_type[local] = int(row["n"].value)
    by_pred = {p: 0 for p in PREDICATES}
    for row in store.select("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"):
        local = row["p"].value.removeprefix(ONTOLOGY)
        if local in by_pred and row["p"].value.startswith(ONTOLOGY):
            by_pred[local] = int(row["n"].value)
    # A server may hold graphs of its own (Virtuoso's system graphs): its adapter says which are ours.
    engine = getattr(store, "engine", None)
    # The time index (kg.timeindex) is derived data, not counted with the store's own.
    ours = (engine.graph_filter() if engine is not None else "") + " " + NOT_DERIVED
    return {
        "location": store.location,
        "articles": count(store, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a {_TYPE} <{ONTOLOGY}Article> }}"),
        "entities": sum(by_type.values()),
        "entities_by_type": by_type,
        "relations": sum(by_pred.values()),
        "relations_by_predicate": {p: n for p, n in by_pred.items() if n},
        "statements": count(store, f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s {_TYPE} <{ONTOLOGY}RelationStatement> }}"),
        "triples": count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "quads": count(
            store, "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } " + ours + " } }"
        ),
        "graphs": count(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } " + ours + " }"),
    }
