"""The ontology declares exactly the vocabulary the mapping writes and the design table fixes."""

from __future__ import annotations

import inspect
import itertools
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Literal, Namespace, URIRef
from rdflib.collection import Collection

import kg.mapping
import kg.namespaces
import ontology
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES

AIKG = Namespace(kg.namespaces.ONTOLOGY)
WDT = Namespace("http://www.wikidata.org/prop/direct/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
# A plain Namespace: pytest probes module attributes, and rdflib's closed XSD namespace
# warns about every name it does not define.
XSD = Namespace(kg.namespaces.XSD)

ORG, PERSON, MODEL, PRODUCT = "Organization", "Person", "AIModel", "Product"

# The relation table of DESIGN.md, written out again so that the test does not trust the
# file it checks: predicate -> (domain classes, range classes).
RELATIONS = {
    "partnersWith": ({ORG}, {ORG}),
    "investsIn": ({ORG, PERSON}, {ORG}),
    "acquires": ({ORG}, {ORG, PRODUCT}),
    "competesWith": ({ORG}, {ORG}),
    "subsidiaryOf": ({ORG}, {ORG}),
    "suppliesTo": ({ORG}, {ORG}),
    "disputesWith": ({ORG, PERSON}, {ORG, PERSON}),
    "sues": ({ORG, PERSON}, {ORG, PERSON}),
    "develops": ({ORG, PERSON}, {MODEL, PRODUCT}),
    "uses": ({ORG, PRODUCT}, {MODEL, PRODUCT}),
    "leads": ({PERSON}, {ORG}),
    "founded": ({PERSON, ORG}, {ORG}),
    "worksFor": ({PERSON}, {ORG}),
}

FAMILIES = {
    "cooperation": {"partnersWith", "investsIn", "suppliesTo", "uses"},
    "conflict": {"competesWith", "disputesWith", "sues"},
    "structure": {"subsidiaryOf", "acquires", "founded", "leads", "worksFor", "develops"},
}

# Datatype properties of statements and articles: local name -> (domain, range).
DATATYPE_PROPERTIES = {
    "evidence": ("RelationStatement", XSD.string),
    "charStart": ("RelationStatement", XSD.integer),
    "charEnd": ("RelationStatement", XSD.integer),
    "confidence": ("RelationStatement", XSD.double),
    "hedged": ("RelationStatement", XSD.boolean),
    "amount": ("RelationStatement", XSD.string),
    "statedDate": ("RelationStatement", AIKG.DateAtPrecision),
    "startDate": ("RelationStatement", AIKG.DateAtPrecision),
    "endDate": ("RelationStatement", AIKG.DateAtPrecision),
    "dateText": ("RelationStatement", XSD.string),
    "ended": ("RelationStatement", XSD.boolean),
    "amountValue": ("RelationStatement", XSD.decimal),
    "currency": ("RelationStatement", XSD.string),
    "stakePercent": ("RelationStatement", XSD.decimal),
    "extractorVersion": ("RelationStatement", XSD.string),
    "sha256": ("Article", XSD.string),
    "ingestedAt": ("Article", XSD.dateTime),
    "text": ("Article", XSD.string),
}


@pytest.fixture(scope="module")
def onto():
    return ontology.load_ontology()


def _classes(graph, node) -> set[str]:
    """Return the local names of a class expression: one named class or an owl:unionOf."""
    if isinstance(node, URIRef):
        return {str(node).removeprefix(str(AIKG))}
    members = graph.value(node, OWL.unionOf)
    assert members is not None, f"{node} is neither a named class nor a union"
    return {str(m).removeprefix(str(AIKG)) for m in Collection(graph, members)}


def _aikg_terms(graph) -> set[str]:
    return {str(s).removeprefix(str(AIKG)) for s in graph.subjects() if str(s).startswith(str(AIKG))}


def test_ontology_parses_in_both_rdf_libraries():
    data = ontology.ONTOLOGY_PATH.read_bytes()
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(ontology.load_ontology()) > 200


def test_files_load_from_a_zipped_install(tmp_path):
    """Package data is read through importlib.resources, not a source-tree path."""
    archive = tmp_path / "site.zip"
    package = Path(ontology.__file__).parent
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("__init__.py", "aikg.ttl", "shapes.ttl"):
            zf.write(package / name, f"ontology/{name}")
    script = (
        f"import sys; sys.path.insert(0, {str(archive)!r}); import ontology; "
        "assert ontology.__file__.startswith(sys.path[0]), ontology.__file__; "
        "print(len(ontology.load_ontology()), len(ontology.load_shapes()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.split()
    assert [int(n) for n in out] == [len(ontology.load_ontology()), len(ontology.load_shapes())]


def test_ontology_header(onto):
    iri = URIRef(ontology.ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in onto
    assert onto.value(iri, OWL.versionInfo) == Literal("0.1.0")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert onto.value(iri, prop) is not None, prop
    assert ontology.NAMESPACE == kg.namespaces.ONTOLOGY


def test_load_is_cached():
    assert ontology.load_ontology() is ontology.load_ontology()
    assert ontology.load_shapes() is ontology.load_shapes()


def test_entity_classes_are_the_model_types_and_pairwise_disjoint(onto):
    assert set(ENTITY_TYPES) == {ORG, PERSON, MODEL, PRODUCT}
    for name in ENTITY_TYPES:
        cls = AIKG[name]
        assert (cls, RDF.type, OWL.Class) in onto
        assert (cls, RDFS.subClassOf, AIKG.Entity) in onto
        assert onto.value(cls, RDFS.label) is not None
        assert onto.value(cls, SKOS.definition) is not None
    for a, b in itertools.combinations(ENTITY_TYPES, 2):
        assert (AIKG[a], OWL.disjointWith, AIKG[b]) in onto, (a, b)
        assert (AIKG[b], OWL.disjointWith, AIKG[a]) in onto, (b, a)


def test_statement_and_article_classes(onto):
    assert (AIKG.RelationStatement, RDFS.subClassOf, RDF.Statement) in onto
    assert (AIKG.RelationStatement, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in onto
    assert (AIKG.Article, RDFS.subClassOf, URIRef("https://schema.org/NewsArticle")) in onto
    assert (AIKG.Article, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in onto


def test_object_properties_are_exactly_the_13_predicates(onto):
    # The curation vocabulary's object properties name operations' targets, not relations.
    curation = {
        str(p)
        for p in onto.subjects(RDFS.domain, None)
        if str(onto.value(p, RDFS.domain)).startswith(str(AIKG))
        and str(onto.value(p, RDFS.domain)).removeprefix(str(AIKG)) in CURATION_CLASSES
    }
    declared = {
        str(p).removeprefix(str(AIKG))
        for p in onto.subjects(RDF.type, OWL.ObjectProperty)
        if str(p).startswith(str(AIKG)) and str(p) not in curation
    }
    assert declared == set(PREDICATES) == set(RELATIONS)


CURATION_CLASSES = {
    "CurationOperation",
    "Reject",
    "Accept",
    "Merge",
    "Split",
    "Rename",
    "AddAlias",
    "RemoveAlias",
    "Retype",
    "SetWikidata",
    "ClearWikidata",
    "AddRelation",
    "Undo",
}


def test_every_aikg_term_curation_writes_is_declared(onto):
    import importlib
    import pkgutil

    import kg.curation

    # kg.curation is a package: read the source of every module of it.
    source = "".join(
        inspect.getsource(importlib.import_module(f"kg.curation.{m.name}"))
        for m in pkgutil.iter_modules(kg.curation.__path__)
    )
    written = set(re.findall(r"""aikg\(["'](\w+)["']\)""", source))
    assert {"reviewed", "statement", "undoes", "mergedInto"} <= written
    assert set(kg.curation.OP_TYPES) | {"CurationOperation"} == CURATION_CLASSES
    assert not (written | CURATION_CLASSES) - _aikg_terms(onto)
    for name in kg.curation.OP_TYPES:
        assert (AIKG[name], RDFS.subClassOf, AIKG.CurationOperation) in onto


@pytest.mark.parametrize("predicate", PREDICATES)
def test_relation_property_is_documented(onto, predicate):
    prop = AIKG[predicate]
    label = onto.value(prop, RDFS.label)
    definition = onto.value(prop, SKOS.definition)
    comment = onto.value(prop, RDFS.comment)
    assert label is not None and label.language == "en"
    # A definition a reader can use is a sentence, not a restated label.
    assert definition is not None and len(str(definition).split()) >= 8
    assert comment is not None and "trigger" in str(comment).lower()


@pytest.mark.parametrize("predicate", PREDICATES)
def test_relation_domain_and_range_follow_the_design_table(onto, predicate):
    prop = AIKG[predicate]
    domains = list(onto.objects(prop, RDFS.domain))
    ranges = list(onto.objects(prop, RDFS.range))
    assert len(domains) == 1 and len(ranges) == 1
    assert (_classes(onto, domains[0]), _classes(onto, ranges[0])) == RELATIONS[predicate]


def test_exactly_the_three_symmetric_properties(onto):
    symmetric = {str(p).removeprefix(str(AIKG)) for p in onto.subjects(RDF.type, OWL.SymmetricProperty)}
    assert symmetric == {"partnersWith", "competesWith", "disputesWith"} == set(SYMMETRIC_PREDICATES)


def test_every_relation_has_one_family(onto):
    expected = {p: fam for fam, preds in FAMILIES.items() for p in preds}
    for predicate in PREDICATES:
        assert len(list(onto.objects(AIKG[predicate], AIKG.family))) == 1, predicate
    assert ontology.relation_families() == expected


@pytest.mark.parametrize(("name", "domain_range"), DATATYPE_PROPERTIES.items())
def test_datatype_properties(onto, name, domain_range):
    prop = AIKG[name]
    domain, range_ = domain_range
    assert (prop, RDF.type, OWL.DatatypeProperty) in onto
    assert onto.value(prop, RDFS.domain) == AIKG[domain]
    assert onto.value(prop, RDFS.range) == range_
    assert onto.value(prop, SKOS.definition) is not None


def test_evidence_specializes_prov_value(onto):
    assert (AIKG.evidence, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#value")) in onto


def test_every_aikg_term_the_rdf_model_names_is_declared(onto):
    doc = inspect.getdoc(kg.namespaces)
    # "aikg:Organization|Person|AIModel|Product" names four terms; "aikg:<predicate>" none.
    named = {t for group in re.findall(r"aikg:([A-Za-z0-9|]+)", doc) for t in group.split("|")}
    assert {"Organization", "RelationStatement", "evidence", "sha256", "ingestedAt"} <= named
    missing = named - _aikg_terms(onto)
    assert not missing


def test_every_aikg_term_the_mapping_writes_is_declared(onto):
    written = set(re.findall(r"""aikg\(["'](\w+)["']\)""", inspect.getsource(kg.mapping)))
    assert "confidence" in written
    assert not written - _aikg_terms(onto)


def test_wikidata_matches_run_in_the_right_direction(onto):
    assert (AIKG.subsidiaryOf, SKOS.exactMatch, WDT.P749) in onto
    assert (AIKG.worksFor, SKOS.exactMatch, WDT.P108) in onto
    assert (AIKG.uses, SKOS.closeMatch, WDT.P2283) in onto
    # Wikidata states these from the other end (the organization's founder, the work's
    # developer, the company's investor): an exact or close match would reverse them.
    for prop, wikidata in [
        (AIKG.founded, WDT.P112),
        (AIKG.develops, WDT.P178),
        (AIKG.investsIn, WDT.P1951),
        (AIKG.leads, WDT.P169),
    ]:
        assert (prop, AIKG.inverseMatch, wikidata) in onto
        assert (prop, SKOS.exactMatch, wikidata) not in onto
        assert (prop, SKOS.closeMatch, wikidata) not in onto


def test_no_property_is_both_a_match_and_an_inverse_of_the_same_term(onto):
    for prop, other in onto.subject_objects(AIKG.inverseMatch):
        for same_direction in (SKOS.exactMatch, SKOS.closeMatch):
            assert (prop, same_direction, other) not in onto
