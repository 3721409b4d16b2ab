"""What a curator names: entities by label, slug or IRI, predicates, statements; and signatures.

Each raises :class:`~kg.curation.records.CurationError` with one line a curator can act on
when a name answers to nothing (or to more than one thing), or when the ontology does not
allow a relation between two entities' types. :func:`merged_into` follows a merged
entity's slug to the one it was merged into, for the pages.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.curation.records import _SYMMETRIC, CurationError, CurationStore, _named, _text
from kg.model import ENTITY_TYPES, PREDICATES, slugify
from kg.namespaces import (
    ENTITY,
    ONTOLOGY,
    OWL,
    RDFS,
    SKOS,
    STATEMENT,
    aikg,
)

if TYPE_CHECKING:
    from rdflib.term import Node

_ENTITY_CLASSES = {aikg(t): t for t in ENTITY_TYPES}

_LABEL_QUERY = """
SELECT DISTINCT ?e ?t WHERE {{
  {graph_open} ?e {props} ?l . ?e a ?t . {graph_close}
  FILTER(LCASE(STR(?l)) = LCASE(STR(?x)))
  VALUES ?t {{ {types} }}
}}"""


def _label_matches(store: CurationStore, text: str, props: str, raw: bool) -> dict[ox.NamedNode, ox.NamedNode]:
    types = " ".join(str(t) for t in _ENTITY_CLASSES)
    q = _LABEL_QUERY.format(
        graph_open="GRAPH ?g {" if raw else "", graph_close="}" if raw else "", props=props, types=types
    )
    out: dict[ox.NamedNode, ox.NamedNode] = {}
    for r in store.select(q, substitutions={"x": ox.Literal(text)}):
        e, t = r["e"], r["t"]
        if isinstance(e, ox.NamedNode) and isinstance(t, ox.NamedNode):
            out[e] = t
    return out


def entity_types(store: CurationStore, node: ox.NamedNode, *, raw: bool = False) -> set[str]:
    """Return the entity types of a node (in the curated graph, or in any article with ``raw``)."""
    types = " ".join(str(t) for t in _ENTITY_CLASSES)
    body = "GRAPH ?g { ?e a ?t }" if raw else "?e a ?t"
    q = f"SELECT DISTINCT ?t WHERE {{ {body} VALUES ?t {{ {types} }} }}"
    return {_ENTITY_CLASSES[r["t"]] for r in store.select(q, substitutions={"e": node})}


def resolve_entity(store: CurationStore, ref: str, *, raw: bool = False) -> ox.NamedNode:
    """Return the entity a label, a slug (``ent:slug``) or an IRI names.

    Labels are matched without regard to case: names first, then aliases. With ``raw``
    the article graphs are searched (an entity merged away keeps its own labels there).

    Raises:
        CurationError: nothing, or more than one entity, answers to ``ref``.
    """
    text = (ref or "").strip()
    if not text:
        raise CurationError("an entity name is empty")
    _text(text, "the entity name")
    if text.startswith(("http://", "https://")) or text.startswith("ent:"):
        node = _named(ENTITY + text[4:] if text.startswith("ent:") else text, "entity IRI")
        if not entity_types(store, node, raw=True):
            raise CurationError(f"unknown entity {text!r}: no article names it")
        return node
    for props in (f"<{RDFS}label>|<{SKOS}prefLabel>", f"<{SKOS}altLabel>"):
        found = _label_matches(store, text, props, raw)
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            listed = ", ".join(
                f"{e.value} ({t.value.removeprefix(ONTOLOGY)})"
                for e, t in sorted(found.items(), key=lambda kv: kv[0].value)
            )
            raise CurationError(f"{text!r} is ambiguous: it names {listed}; pass the IRI instead")
    slug_node = ox.NamedNode(ENTITY + slugify(text))
    if entity_types(store, slug_node, raw=True):
        return slug_node
    raise CurationError(f"unknown entity {text!r}: no entity has this name or alias")


def resolve_predicate(text: str) -> ox.NamedNode:
    """Return the relation property a local name (or IRI) names.

    Raises:
        CurationError: it is not one of the ontology's relation properties.
    """
    name = (text or "").strip().removeprefix(ONTOLOGY).removeprefix("aikg:")
    if name not in PREDICATES:
        raise CurationError(f"unknown predicate {text!r}; use one of: {', '.join(PREDICATES)}")
    return aikg(name)


@cache
def signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Return each relation property's (domain types, range types) from the ontology."""
    import rdflib
    from rdflib.collection import Collection

    import ontology

    graph = ontology.load_ontology()

    def classes(node: Node | None) -> frozenset[str]:
        union = graph.value(node, rdflib.OWL.unionOf)
        members: list[Node | None] = list(Collection(graph, union)) if union is not None else [node]
        return frozenset(str(m).removeprefix(ONTOLOGY) for m in members)

    out: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for p in PREDICATES:
        prop = rdflib.URIRef(ONTOLOGY + p)
        out[p] = (classes(graph.value(prop, rdflib.RDFS.domain)), classes(graph.value(prop, rdflib.RDFS.range)))
    return out


def check_signature(store: CurationStore, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode) -> None:
    """Refuse a relation the ontology does not allow between these entities' types.

    Raises:
        CurationError: no type of the subject is in the domain, or none of the object's in the range.
    """
    name = p.value.removeprefix(ONTOLOGY)
    dom, rng = signatures()[name]
    st, ot = entity_types(store, s), entity_types(store, o)
    ok = (p in _SYMMETRIC and (st & rng and ot & dom)) or (st & dom and ot & rng)
    if not ok:
        raise CurationError(
            f"{name} is not allowed from {'/'.join(sorted(st)) or 'untyped'} to {'/'.join(sorted(ot)) or 'untyped'} "
            f"(the ontology allows {'/'.join(sorted(dom))} -> {'/'.join(sorted(rng))})"
        )


def statement_node(text: str) -> ox.NamedNode:
    """Return the statement a ``stmt:<id>`` or IRI names."""
    text = text.strip()
    if text.startswith("stmt:"):
        return _named(STATEMENT + text[5:], "statement")
    if text.startswith(STATEMENT):
        return _named(text, "statement")
    raise CurationError(f"not a statement: {text!r} (use stmt:<id> or its IRI)")


def merged_into(store: CurationStore, slug: str) -> str | None:
    """Return the slug of the entity a merged one now is (following merges), or None.

    Reads the curated default graph: a merge leaves ``A owl:sameAs B`` there, and A has no
    type of its own any more.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug or ""):
        return None
    node = ox.NamedNode(ENTITY + slug)
    q = (
        f'SELECT ?b WHERE {{ ?a <{OWL}sameAs> ?b FILTER(STRSTARTS(STR(?b), "{ENTITY}")) '
        f"FILTER NOT EXISTS {{ ?a a ?t }} }} LIMIT 1"
    )
    for row in store.select(q, substitutions={"a": node}):
        b = row["b"]
        return b.value.removeprefix(ENTITY) if isinstance(b, (ox.NamedNode, ox.Literal)) else None
    return None
