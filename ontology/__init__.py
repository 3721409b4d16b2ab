"""The aikg ontology (OWL, Turtle) and its SHACL shapes, shipped as package data.

``ONTOLOGY_PATH`` and ``SHAPES_PATH`` are :mod:`importlib.resources` traversables, so they
work from a source checkout and from an installed wheel alike; read them with
``.read_bytes()`` or open them with ``.open()`` rather than assuming a file-system path.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import rdflib

ONTOLOGY_IRI = "https://w3id.org/aikg/ontology"
NAMESPACE = ONTOLOGY_IRI + "#"

ONTOLOGY_PATH: Traversable = files(__name__).joinpath("aikg.ttl")
SHAPES_PATH: Traversable = files(__name__).joinpath("shapes.ttl")

_FAMILY = rdflib.URIRef(NAMESPACE + "family")


def _parse(resource: Traversable) -> rdflib.Graph:
    graph = rdflib.Graph()
    # A publicID keeps relative IRIs (there are none today) independent of where the
    # package happens to be installed.
    graph.parse(data=resource.read_bytes(), format="turtle", publicID=ONTOLOGY_IRI)
    return graph


@cache
def load_ontology() -> rdflib.Graph:
    """Parse the ontology once and return it.

    The graph is shared between callers: copy it before adding triples.

    Returns:
        The ontology as an rdflib graph.
    """
    return _parse(ONTOLOGY_PATH)


@cache
def load_shapes() -> rdflib.Graph:
    """Parse the SHACL shapes once and return them.

    The graph is shared between callers: copy it before adding triples.

    Returns:
        The shapes graph, ready for ``pyshacl.validate(data, shacl_graph=...)``.
    """
    return _parse(SHAPES_PATH)


def relation_families() -> dict[str, str]:
    """Return each relation property's family ("cooperation", "conflict" or "structure").

    Returns:
        A dict from predicate local name (``"investsIn"``) to its ``aikg:family``.
    """
    graph = load_ontology()
    return {
        str(prop)[len(NAMESPACE) :]: str(family)
        for prop, family in graph.subject_objects(_FAMILY)
        if str(prop).startswith(NAMESPACE)
    }


def relation_signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Return the entity types each relation property relates, as the ontology declares them.

    A domain or range given as an ``owl:unionOf`` class counts each of its members.

    Returns:
        A dict from predicate local name (``"leads"``) to (domain classes, range classes),
        each a set of class local names (``{"Person"}``, ``{"Organization"}``). A property
        without a declared domain or range has an empty set there.
    """
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDFS

    graph = load_ontology()

    def classes(node: rdflib.term.Node) -> set[str]:
        if isinstance(node, rdflib.URIRef):
            return {str(node)[len(NAMESPACE) :]} if str(node).startswith(NAMESPACE) else set()
        members = graph.value(node, OWL.unionOf)
        return {c for m in Collection(graph, members) for c in classes(m)} if members is not None else set()

    out: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for prop in graph.subjects(rdflib.RDF.type, OWL.ObjectProperty):
        if not str(prop).startswith(NAMESPACE):
            continue
        domain = {c for d in graph.objects(prop, RDFS.domain) for c in classes(d)}
        range_ = {c for r in graph.objects(prop, RDFS.range) for c in classes(r)}
        out[str(prop)[len(NAMESPACE) :]] = (frozenset(domain), frozenset(range_))
    return out
