"""The SHACL shapes accept what the mapping writes and reject each kind of broken data."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

import ontology
from kg.mapping import extraction_quads
from kg.model import ENTITY_TYPES, PREDICATES, Article, Entity, Extraction, RelationMention
from kg.namespaces import ONTOLOGY, sparql_prologue
from tests.ontology.test_ontology import RELATIONS

SH = Namespace("http://www.w3.org/ns/shacl#")
AIKG = Namespace(ONTOLOGY)
ENT = Namespace("https://w3id.org/aikg/entity/")

SHA = "a3f1" * 16

VALID = f"""
@prefix aikg:    <https://w3id.org/aikg/ontology#> .
@prefix ent:     <https://w3id.org/aikg/entity/> .
@prefix stmt:    <https://w3id.org/aikg/statement/> .
@prefix art:     <https://w3id.org/aikg/article/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <https://schema.org/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix wd:      <http://www.wikidata.org/entity/> .

ent:microsoft a aikg:Organization ; rdfs:label "Microsoft" ; skos:prefLabel "Microsoft" ;
    skos:altLabel "MSFT" ; owl:sameAs wd:Q2283 .
ent:openai a aikg:Organization ; rdfs:label "OpenAI" ; skos:prefLabel "OpenAI" .
ent:satya-nadella a aikg:Person ; rdfs:label "Satya Nadella" .
ent:gpt-4 a aikg:AIModel ; rdfs:label "GPT-4" ; skos:prefLabel "GPT-4" .
ent:copilot a aikg:Product ; rdfs:label "Copilot"@en .

ent:microsoft aikg:investsIn ent:openai ; aikg:partnersWith ent:openai .
ent:satya-nadella aikg:leads ent:microsoft .
ent:openai aikg:develops ent:gpt-4 .
ent:copilot aikg:uses ent:gpt-4 .

art:{SHA} a aikg:Article ;
    aikg:sha256 "{SHA}" ;
    aikg:ingestedAt "2026-01-02T03:04:05+00:00"^^xsd:dateTime ;
    schema:url "https://news.example/microsoft-openai"^^xsd:anyURI ;
    dcterms:title "Microsoft deepens its OpenAI bet" ;
    dcterms:issued "2023-01-23"^^xsd:date ;
    dcterms:source "news.example" .

stmt:s1 a aikg:RelationStatement ;
    rdf:subject ent:microsoft ; rdf:predicate aikg:investsIn ; rdf:object ent:openai ;
    aikg:evidence "Microsoft is putting billions more into OpenAI." ;
    aikg:charStart 0 ; aikg:charEnd 47 ;
    aikg:confidence "0.92"^^xsd:double ;
    aikg:hedged false ;
    aikg:amount "billions" ;
    aikg:extractorVersion "aikg-relations/0.1" ;
    prov:wasDerivedFrom art:{SHA} ;
    dcterms:date "2023-01-23"^^xsd:date .
"""

# Each broken variant: a SPARQL update applied to VALID, and every message the report
# must then contain (no more, no fewer: a stray message means an imprecise shape).
INVALID = {
    "entity with two types": (
        "INSERT DATA { ent:openai a aikg:Product }",
        {"entity: must have exactly one type of Organization, Person, AIModel, Product"},
    ),
    "entity typed only as aikg:Entity": (
        "INSERT DATA { ent:anthropic a aikg:Entity ; rdfs:label 'Anthropic' }",
        {"entity: must have exactly one type of Organization, Person, AIModel, Product"},
    ),
    "entity with no label": (
        "DELETE WHERE { ent:gpt-4 rdfs:label ?l }",
        {"entity: must have at least one rdfs:label"},
    ),
    "entity with an empty label": (
        "INSERT DATA { ent:openai rdfs:label '' }",
        {"entity: rdfs:label must be a non-empty string"},
    ),
    "entity with two preferred labels": (
        "INSERT DATA { ent:openai skos:prefLabel 'Open AI' }",
        {"entity: must have at most one skos:prefLabel, a non-empty string"},
    ),
    "entity sameAs something other than a Wikidata item": (
        "INSERT DATA { ent:openai owl:sameAs <https://dbpedia.org/resource/OpenAI> }",
        {"entity: owl:sameAs must be a Wikidata item IRI (http://www.wikidata.org/entity/Q...)"},
    ),
    "leads from an Organization": (
        "INSERT DATA { ent:openai aikg:leads ent:microsoft }",
        {"leads: subject must be a Person"},
    ),
    "develops to an Organization": (
        "INSERT DATA { ent:microsoft aikg:develops ent:openai }",
        {"develops: object must be an AIModel or a Product"},
    ),
    "relation to an untyped node": (
        "INSERT DATA { ent:microsoft aikg:acquires ent:nobody }",
        {"acquires: object must be an Organization or a Product"},
    ),
    "statement without evidence": (
        "DELETE WHERE { stmt:s1 aikg:evidence ?e }",
        {"statement: must have exactly one aikg:evidence, a non-empty string"},
    ),
    "statement with blank evidence": (
        "DELETE WHERE { stmt:s1 aikg:evidence ?e } ; INSERT DATA { stmt:s1 aikg:evidence '  ' }",
        {"statement: must have exactly one aikg:evidence, a non-empty string"},
    ),
    "confidence 1.5": (
        "DELETE WHERE { stmt:s1 aikg:confidence ?c } ; INSERT DATA { stmt:s1 aikg:confidence '1.5'^^xsd:double }",
        {"statement: must have exactly one aikg:confidence, an xsd:double from 0 to 1"},
    ),
    "confidence as a string": (
        "DELETE WHERE { stmt:s1 aikg:confidence ?c } ; INSERT DATA { stmt:s1 aikg:confidence '0.9' }",
        {"statement: must have exactly one aikg:confidence, an xsd:double from 0 to 1"},
    ),
    "statement without source article": (
        "DELETE WHERE { stmt:s1 prov:wasDerivedFrom ?a }",
        {"statement: must have exactly one prov:wasDerivedFrom, an aikg:Article"},
    ),
    "statement derived from something that is not an article": (
        "DELETE WHERE { stmt:s1 prov:wasDerivedFrom ?a } ; INSERT DATA { stmt:s1 prov:wasDerivedFrom ent:openai }",
        {"statement: must have exactly one prov:wasDerivedFrom, an aikg:Article"},
    ),
    "statement with a predicate outside the vocabulary": (
        "DELETE WHERE { stmt:s1 rdf:predicate ?p } ;"
        " INSERT DATA { stmt:s1 rdf:predicate aikg:likes . ent:microsoft aikg:likes ent:openai }",
        {"statement: must have exactly one rdf:predicate, one of the 13 aikg relation properties"},
    ),
    "statement with two objects": (
        "INSERT DATA { stmt:s1 rdf:object ent:satya-nadella . ent:microsoft aikg:investsIn ent:satya-nadella }",
        {"statement: must have exactly one rdf:object, a typed entity", "investsIn: object must be an Organization"},
    ),
    "statement offsets reversed": (
        "DELETE WHERE { stmt:s1 aikg:charEnd ?e } ; INSERT DATA { stmt:s1 aikg:charEnd -1 }",
        {
            "statement: must have exactly one aikg:charEnd, a non-negative xsd:integer",
            "statement: aikg:charStart must not be greater than aikg:charEnd",
        },
    ),
    "statement without its direct triple": (
        "DELETE DATA { ent:microsoft aikg:investsIn ent:openai }",
        {"statement: its rdf:subject, rdf:predicate and rdf:object must also be asserted as a direct triple"},
    ),
    "article without sha256": (
        f"DELETE WHERE {{ art:{SHA} aikg:sha256 ?h }}",
        {"article: must have exactly one aikg:sha256, 64 lowercase hexadecimal characters"},
    ),
    "article with an uppercase sha256": (
        f"DELETE WHERE {{ art:{SHA} aikg:sha256 ?h }} ; INSERT DATA {{ art:{SHA} aikg:sha256 '{SHA.upper()}' }}",
        {"article: must have exactly one aikg:sha256, 64 lowercase hexadecimal characters"},
    ),
    "article with two publication dates": (
        f"INSERT DATA {{ art:{SHA} dcterms:issued '2023-01-24'^^xsd:date }}",
        {"article: must have at most one dcterms:issued, an xsd:date"},
    ),
    "article date as a plain string": (
        f"DELETE WHERE {{ art:{SHA} dcterms:issued ?d }} ; INSERT DATA {{ art:{SHA} dcterms:issued 'Jan 23' }}",
        {"article: must have at most one dcterms:issued, an xsd:date"},
    ),
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return ontology.load_shapes()


def _valid_graph() -> Graph:
    return Graph().parse(data=VALID, format="turtle")


def _validate(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return conforms, report


def _messages(report: Graph) -> set[str]:
    return {str(m) for r in report.subjects(RDF.type, SH.ValidationResult) for m in report.objects(r, SH.resultMessage)}


def test_shapes_parse_in_both_rdf_libraries(shapes):
    triples = list(ox.parse(ontology.SHAPES_PATH.read_bytes(), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(shapes) > 200


def test_every_shape_has_a_message(shapes):
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(shape_nodes) > 30
    for node in shape_nodes:
        if (node, SH.message, None) in shapes:
            continue
        # A node shape that only groups property shapes produces no result of its own.
        grouping = (RDF.type, SH.targetClass, SH.targetNode, SH.property, SH.sparql)
        own = {p for p in shapes.predicates(node) if p not in grouping}
        assert not own, f"{node} has constraints {own} but no sh:message"
    sparql = set(shapes.objects(None, SH.sparql))
    assert sparql
    assert all((c, SH.message, None) in shapes for c in sparql)


def test_sample_graph_conforms(shapes):
    conforms, report = _validate(_valid_graph(), shapes)
    assert conforms, _messages(report)


def test_what_the_mapping_writes_conforms(shapes):
    ms = Entity("Microsoft", "Organization", "Q2283", ("MSFT",))
    oa = Entity("OpenAI", "Organization")
    nadella = Entity("Satya Nadella", "Person")
    gpt4 = Entity("GPT-4", "AIModel")
    copilot = Entity("Copilot", "Product")
    text = "Microsoft invested in OpenAI. Nadella runs Microsoft. Copilot uses GPT-4. OpenAI rivals Microsoft."
    art = Article(text, url="https://news.example/a", title="t", published=date(2023, 1, 23), source="ex")
    rels = (
        RelationMention(ms, "investsIn", oa, 0.9, "Microsoft invested in OpenAI.", 0, 29, amount="$10 billion"),
        RelationMention(nadella, "leads", ms, 0.8, "Nadella runs Microsoft.", 30, 53, date="2014"),
        RelationMention(copilot, "uses", gpt4, 0.7, "Copilot uses GPT-4.", 54, 73),
        RelationMention(oa, "competesWith", ms, 0.5, "OpenAI rivals Microsoft.", 74, 98, hedged=True),
    )
    ex = Extraction(art, (ms, oa), rels, "test/0")
    quads = extraction_quads(ex, ingested_at=datetime(2026, 1, 1, tzinfo=UTC))
    nt = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
    conforms, report = _validate(Graph().parse(data=nt, format="nt"), shapes)
    assert conforms, _messages(report)


@pytest.mark.parametrize(("update", "expected"), INVALID.values(), ids=INVALID.keys())
def test_broken_data_is_rejected_with_its_message(shapes, update, expected):
    data = _valid_graph()
    data.update(sparql_prologue() + update)
    conforms, report = _validate(data, shapes)
    assert not conforms
    assert _messages(report) == expected


def test_domain_and_range_of_every_relation(shapes):
    """Connect one entity of each type to one of each type by every relation, validate once."""
    data = Graph()
    node = {t: ENT[t.lower()] for t in ENTITY_TYPES}
    for t, n in node.items():
        data.add((n, RDF.type, AIKG[t]))
        data.add((n, RDFS.label, Literal(t)))
    expected = set()
    for pred in PREDICATES:
        domain, range_ = RELATIONS[pred]
        for s, o in itertools.product(ENTITY_TYPES, repeat=2):
            data.add((node[s], AIKG[pred], node[o]))
            if o not in range_:
                expected.add((pred, "object", node[s], node[o]))
        expected |= {(pred, "subject", node[s], node[s]) for s in ENTITY_TYPES if s not in domain}
    conforms, report = _validate(data, shapes)
    assert not conforms
    found = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        pred, _, rest = str(report.value(r, SH.resultMessage)).partition(": ")
        found.add((pred, rest.split()[0], report.value(r, SH.focusNode), report.value(r, SH.value)))
    assert found == expected


def test_shapes_and_ontology_agree_on_domain_and_range(shapes):
    onto = ontology.load_ontology()

    def ontology_classes(expr) -> set:
        if isinstance(expr, URIRef):
            return {expr}
        return set(Collection(onto, onto.value(expr, OWL.unionOf)))

    def shape_classes(shape) -> set:
        cls = shapes.value(shape, SH["class"])
        if cls is not None:
            return {cls}
        return {shapes.value(m, SH["class"]) for m in Collection(shapes, shapes.value(shape, SH["or"]))}

    for pred in PREDICATES:
        (node_shape,) = shapes.subjects(SH.targetSubjectsOf, AIKG[pred])
        (prop_shape,) = shapes.objects(node_shape, SH.property)
        assert shapes.value(prop_shape, SH.path) == AIKG[pred]
        assert shape_classes(node_shape) == ontology_classes(onto.value(AIKG[pred], RDFS.domain)), pred
        assert shape_classes(prop_shape) == ontology_classes(onto.value(AIKG[pred], RDFS.range)), pred


def test_statement_predicate_list_is_the_13_predicates(shapes):
    shape = URIRef("https://w3id.org/aikg/shapes#StatementPredicate")
    allowed = list(Collection(shapes, shapes.value(shape, SH["in"])))
    assert allowed == [AIKG[p] for p in PREDICATES]
