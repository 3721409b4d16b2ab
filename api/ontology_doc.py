"""The ontology's documentation page, generated from ontology/aikg.ttl itself.

Our own template over rdflib rather than pyLODE: pyLODE brings a dozen dependencies and
writes a whole page of its own (its styles and scripts inline), which this server's
Content-Security-Policy refuses and which would not look like the other pages. Here the
page uses the site's layout and stylesheet, and every term, label, definition, domain and
range comes from the Turtle file, so the page cannot drift from the ontology.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.model import PREDICATES
from kg.namespaces import PREFIXES
from ontology import NAMESPACE, ONTOLOGY_IRI, load_ontology

DCTERMS = rdflib.Namespace(PREFIXES["dcterms"])
AIKG = rdflib.Namespace(NAMESPACE)
#: The kinds of term the page documents, in the order of its sections.
KINDS = (
    (OWL.Class, "classes", "Classes"),
    (OWL.ObjectProperty, "object-properties", "Object properties"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties"),
    (RDFS.Datatype, "datatypes", "Datatypes"),
)
_MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch, SKOS.broadMatch, SKOS.relatedMatch, AIKG.inverseMatch)
_PREFIX_ORDER = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_EXTRA_PREFIXES = {"vann": "http://purl.org/vocab/vann/", "wdt": "http://www.wikidata.org/prop/direct/"}


def curie(iri: str) -> str:
    """Return ``prefix:local`` for an IRI under a known namespace, else the IRI itself."""
    for prefix, ns in [*_PREFIX_ORDER, *_EXTRA_PREFIXES.items()]:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def anchor(iri: str) -> str:
    """Return the page anchor of a term: its local name for aikg terms, ``prefix-local`` for others."""
    if iri.startswith(NAMESPACE):
        return iri[len(NAMESPACE) :]
    return curie(iri).replace(":", "-").replace("/", "-")


def _text(g: rdflib.Graph, s: rdflib.term.Node, p: rdflib.URIRef) -> str:
    values = [str(o) for o in g.objects(s, p) if isinstance(o, rdflib.Literal)]
    return " ".join(" ".join(v.split()) for v in sorted(values))


def _ref(g: rdflib.Graph, node: rdflib.term.Node) -> list[dict[str, Any]]:
    """Return the terms a domain or range names: one, or each member of an owl:unionOf."""
    if isinstance(node, rdflib.URIRef):
        iri = str(node)
        local = iri.startswith(NAMESPACE)
        return [{"iri": iri, "curie": curie(iri), "href": "#" + anchor(iri) if local else None}]
    members = g.value(node, OWL.unionOf)
    if members is not None:
        return [ref for m in Collection(g, members) for ref in _ref(g, m)]
    return []


def example_query(local: str, label: str = "") -> str:
    """Return a SPARQL query listing the pairs a relation holds between, with a sentence and a source count.

    It reads the statements rather than the direct triples, so a symmetric relation (whose
    direct triple is stored once per pair) is found in the order the articles state it.
    """
    prologue = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("aikg", "rdf", "prov"))
    return (
        prologue
        + f"""
# Pairs where the subject {label or local} the object, most sources first, with one
# sentence that says so. (The plain triples are ?subject aikg:{local} ?object.)
SELECT ?subject ?object (SAMPLE(?sentence) AS ?evidence) (COUNT(DISTINCT ?article) AS ?sources) WHERE {{
  ?st rdf:subject ?subject ; rdf:predicate aikg:{local} ; rdf:object ?object ;
      aikg:evidence ?sentence ; prov:wasDerivedFrom ?article .
}}
GROUP BY ?subject ?object
ORDER BY DESC(?sources)
LIMIT 20"""
    )


def _term(g: rdflib.Graph, s: rdflib.URIRef) -> dict[str, Any]:
    iri = str(s)
    local = iri[len(NAMESPACE) :] if iri.startswith(NAMESPACE) else None
    label = _text(g, s, RDFS.label)
    example = example_query(local, label) if local is not None and local in PREDICATES else None
    return {
        "iri": iri,
        "curie": curie(iri),
        "anchor": anchor(iri),
        "ours": local is not None,
        "label": label,
        "definition": _text(g, s, SKOS.definition),
        "comment": _text(g, s, RDFS.comment),
        "domain": [r for d in g.objects(s, RDFS.domain) for r in _ref(g, d)],
        "range": [r for d in g.objects(s, RDFS.range) for r in _ref(g, d)],
        "parents": [r for p in (RDFS.subClassOf, RDFS.subPropertyOf) for o in g.objects(s, p) for r in _ref(g, o)],
        "characteristics": sorted(
            curie(str(t)) for t in g.objects(s, RDF.type) if t in (OWL.SymmetricProperty, OWL.FunctionalProperty)
        ),
        "family": _text(g, s, AIKG.family),
        "mappings": [
            {"relation": curie(str(p)), "target": curie(str(o))}
            for p in _MAPPINGS
            for o in sorted(g.objects(s, p), key=str)
        ],
        "example": example,
        "example_href": None if example is None else "/query?query=" + quote(example, safe=""),
    }


@functools.cache
def ontology_doc() -> dict[str, Any]:
    """Return everything the documentation page shows, read from the ontology once.

    Returns:
        ``title``, ``description``, ``version``, ``license``, ``iri`` and ``sections``: one
        per kind of term, each with its terms (the project's first, then reused ones).
    """
    g = load_ontology()
    onto = rdflib.URIRef(ONTOLOGY_IRI)
    sections = []
    for kind, key, title in KINDS:
        subjects = {s for s in g.subjects(RDF.type, kind) if isinstance(s, rdflib.URIRef)}
        terms = sorted((_term(g, s) for s in subjects), key=lambda t: (not t["ours"], t["curie"].lower()))
        if terms:
            sections.append({"key": key, "title": title, "terms": terms})
    license_ = g.value(onto, DCTERMS.license)
    return {
        "iri": ONTOLOGY_IRI,
        "title": _text(g, onto, DCTERMS.title),
        "description": _text(g, onto, DCTERMS.description),
        "version": _text(g, onto, OWL.versionInfo),
        "license": str(license_) if license_ else "",
        "namespace": NAMESPACE,
        "sections": sections,
    }
