"""The whole dataset described: VoID and a SPARQL 1.1 Service Description (one resource: kg.describe).

Both are built from :func:`kg.stats.store_stats`, the counts ``aikg stats`` prints, so
the numbers a crawler reads at ``/.well-known/void`` are the ones an operator sees:

- ``void:triples`` is the triple count of the default (union) graph;
- one ``void:classPartition`` per entity type (``void:entities``: distinct entities of
  that type), one for ``aikg:Article`` (the articles) and one for
  ``aikg:RelationStatement`` (the statements);
- one ``void:propertyPartition`` per relation predicate in use (``void:triples``: its
  direct triples, i.e. distinct relations);
- ``void:entities`` the entities of the four types, ``void:documents`` the articles
  (each article is one named graph).

Named graphs are described by count, not listed: a store of 100,000 articles would
make a service description of megabytes, fetched by every client that only wants to
know the result formats. ``SELECT DISTINCT ?g { GRAPH ?g { } }`` lists them.

Every resource of the descriptions has an IRI under the server's base URL (no blank
nodes), so the two documents can be merged and compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import pyoxigraph as ox

from kg.model import ENTITY_TYPES
from kg.namespaces import BASE, DCTERMS, ONTOLOGY, PREFIXES, RDF, RDFS, XSD
from kg.store import Store

VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
FOAF = "http://xmlns.com/foaf/0.1/"

#: The path the VoID description is served at (RFC 5785 well-known URI, VoID section 7).
VOID_PATH = ".well-known/void"
#: W3C format IRIs of the media types /sparql answers in (SELECT/ASK, then CONSTRUCT/DESCRIBE).
RESULT_FORMATS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "application/trig": "TriG",
    "application/n-quads": "N-Quads",
}

_TYPE = ox.NamedNode(RDF + "type")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_n(XSD + "integer"))


@dataclass(frozen=True)
class Site:
    """Where the server answers: the IRIs the descriptions point at."""

    base: str
    """The server's base URL, ending in ``/`` (``http://127.0.0.1:8000/``)."""
    update: bool = False
    """Whether ``/update`` takes writes (the server has a token)."""
    federated: bool = False
    """Whether queries may call other endpoints with SERVICE (AIKG_REMOTE_HOSTS is set)."""

    @property
    def dataset(self) -> ox.NamedNode:
        """Return the IRI of the dataset (the VoID document's main resource)."""
        return _n(self.base + VOID_PATH + "#dataset")

    @property
    def void_document(self) -> str:
        """Return the URL of the VoID description."""
        return self.base + VOID_PATH

    @property
    def sparql(self) -> str:
        """Return the URL of the query endpoint."""
        return self.base + "sparql"

    def dump(self, name: str) -> str:
        """Return the URL of a dump (``nq.gz``, ``ttl.gz``)."""
        return f"{self.base}dumps/aikg.{name}"


def void_triples(
    stats: dict[str, Any],
    site: Site,
    *,
    modified: str | None = None,
    license: str | None = None,
    examples: Sequence[str] = (),
) -> list[ox.Triple]:
    """Return the VoID description of the dataset.

    Args:
        stats: :func:`kg.stats.store_stats` of the store.
        site: the server's addresses.
        modified: the last update, an ``xsd:dateTime`` lexical form, or None when unknown.
        license: the IRI of the data's licence, or None to state none.
        examples: IRIs of example resources.
    """
    ds = site.dataset
    out = [
        ox.Triple(ds, _TYPE, _n(VOID + "Dataset")),
        ox.Triple(ds, _n(DCTERMS + "title"), ox.Literal("aikg: a knowledge graph of the AI industry")),
        ox.Triple(
            ds,
            _n(DCTERMS + "description"),
            ox.Literal(
                "Typed, sourced relations between organizations, people, AI models and products, extracted "
                "from news articles. Each article's assertions are in a named graph named by the article IRI; "
                "the default graph is their union."
            ),
        ),
        ox.Triple(ds, _n(FOAF + "homepage"), _n(site.base)),
        ox.Triple(ds, _n(VOID + "sparqlEndpoint"), _n(site.sparql)),
        ox.Triple(ds, _n(VOID + "uriSpace"), ox.Literal(BASE)),
        ox.Triple(ds, _n(VOID + "vocabulary"), _n(ONTOLOGY)),
        ox.Triple(ds, _n(VOID + "feature"), _n(FORMATS + "N-Quads")),
        ox.Triple(ds, _n(VOID + "feature"), _n(FORMATS + "Turtle")),
        ox.Triple(ds, _n(VOID + "triples"), _int(stats["triples"])),
        ox.Triple(ds, _n(VOID + "entities"), _int(stats["entities"])),
        ox.Triple(ds, _n(VOID + "documents"), _int(stats["articles"])),
    ]
    for name in ("nq.gz", "ttl.gz"):
        out.append(ox.Triple(ds, _n(VOID + "dataDump"), _n(site.dump(name))))
    if modified:
        out.append(ox.Triple(ds, _n(DCTERMS + "modified"), ox.Literal(modified, datatype=_n(XSD + "dateTime"))))
    if license:
        out.append(ox.Triple(ds, _n(DCTERMS + "license"), _n(license)))
    for iri in examples:
        out.append(ox.Triple(ds, _n(VOID + "exampleResource"), _n(iri)))
    classes = [(t, stats["entities_by_type"].get(t, 0)) for t in ENTITY_TYPES]
    classes += [("Article", stats["articles"]), ("RelationStatement", stats["statements"])]
    for local, n in classes:
        part = _n(f"{ds.value}-class-{local}")
        out += [
            ox.Triple(ds, _n(VOID + "classPartition"), part),
            ox.Triple(part, _n(VOID + "class"), _n(ONTOLOGY + local)),
            ox.Triple(part, _n(VOID + "entities"), _int(n)),
        ]
    for local, n in stats["relations_by_predicate"].items():
        part = _n(f"{ds.value}-property-{local}")
        out += [
            ox.Triple(ds, _n(VOID + "propertyPartition"), part),
            ox.Triple(part, _n(VOID + "property"), _n(ONTOLOGY + local)),
            ox.Triple(part, _n(VOID + "triples"), _int(n)),
        ]
    return out


def service_triples(stats: dict[str, Any], site: Site) -> list[ox.Triple]:
    """Return the SPARQL 1.1 Service Description of ``/sparql`` (and of ``/update`` when it writes).

    The default dataset is described by its default graph (``void:triples``, the union
    graph's size) and by the count of its named graphs (``void:documents``, one per
    article), not by a list of them (see the module docstring).
    """
    svc = _n(site.sparql)
    dataset = _n(site.sparql + "#dataset")
    default = _n(site.sparql + "#default-graph")
    out = [
        ox.Triple(svc, _TYPE, _n(SD + "Service")),
        ox.Triple(svc, _n(SD + "endpoint"), svc),
        ox.Triple(svc, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(svc, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(svc, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, _TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, _TYPE, _n(VOID + "Dataset")),
        ox.Triple(dataset, _n(RDFS + "seeAlso"), _n(site.void_document)),
        ox.Triple(dataset, _n(VOID + "documents"), _int(stats["articles"])),
        ox.Triple(
            dataset,
            _n(RDFS + "comment"),
            ox.Literal(
                f"{stats['graphs']} named graphs, one per article, each named by its article IRI "
                "(list them with SELECT DISTINCT ?g WHERE { GRAPH ?g { } }). The default graph is their union."
            ),
        ),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, _TYPE, _n(SD + "Graph")),
        ox.Triple(default, _TYPE, _n(VOID + "Dataset")),
        ox.Triple(default, _n(VOID + "triples"), _int(stats["triples"])),
        ox.Triple(default, _n(VOID + "entities"), _int(stats["entities"])),
    ]
    if site.federated:
        out.append(ox.Triple(svc, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    for local in RESULT_FORMATS.values():
        out.append(ox.Triple(svc, _n(SD + "resultFormat"), _n(FORMATS + local)))
    if site.update:
        upd = _n(site.base + "update")
        out += [
            ox.Triple(upd, _TYPE, _n(SD + "Service")),
            ox.Triple(upd, _n(SD + "endpoint"), upd),
            ox.Triple(upd, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")),
            ox.Triple(upd, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
            ox.Triple(upd, _n(SD + "defaultDataset"), dataset),
        ]
    return out


def serialize(triples: Sequence[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    """Return the triples in an RDF format, with the project's prefixes where it has them."""
    prefixes = {**PREFIXES, "void": VOID, "sd": SD, "formats": FORMATS, "foaf": FOAF}
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.TRIG):
        data = ox.serialize(triples, format=fmt, prefixes=prefixes)
    else:
        data = ox.serialize(triples, format=fmt)
    # Without an output, pyoxigraph returns the bytes (its stubs say bytes | None).
    return cast(bytes, data)


_MODIFIED = f"SELECT (MAX(?t) AS ?m) WHERE {{ ?a <{ONTOLOGY}ingestedAt> ?t }}"


def last_ingest(store: Store) -> str | None:
    """Return the latest ``aikg:ingestedAt`` in the store (an xsd:dateTime form), or None."""
    for row in store.select(_MODIFIED):
        term = row["m"]
        return term.value if term is not None else None
    return None


def example_resources(store: Store) -> list[str]:
    """Return up to three example IRIs: an entity, an article and a statement."""
    out = []
    for cls in ("Organization", "Article", "RelationStatement"):
        for row in store.select(f"SELECT ?x WHERE {{ ?x <{RDF}type> <{ONTOLOGY}{cls}> }} LIMIT 1"):
            if row["x"] is not None:
                out.append(row["x"].value)
    return out
