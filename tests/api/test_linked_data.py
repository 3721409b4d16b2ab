"""Linked data (in process, real store): content negotiation on the entity, article and
statement IRIs, the schema.org block of entity pages, and the ontology at /ontology."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import unquote

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import ARTICLE, ENTITY, ONTOLOGY, PREFIXES
from kg.store import LocalStore
from ontology import NAMESPACE, load_ontology

from .conftest import ARTICLES, MSFT, OPENAI, S1, S2, S5

AIKG = rdflib.Namespace(ONTOLOGY)
PROV = rdflib.Namespace(PREFIXES["prov"])
DCT = rdflib.Namespace(PREFIXES["dcterms"])
SCHEMA = rdflib.Namespace(PREFIXES["schema"])
ENT = rdflib.Namespace(ENTITY)

# media type -> (suffix, rdflib parser)
FORMATS = {
    "text/turtle": ("ttl", "turtle"),
    "application/n-triples": ("nt", "nt"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/rdf+xml": ("rdf", "xml"),
}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def parse(resp, media: str) -> rdflib.Graph:
    assert resp.status_code == 200, resp.text[:300]
    assert resp.headers["content-type"].split(";")[0] == media
    return rdflib.Graph().parse(data=resp.content, format=FORMATS[media][1])


def evidence_statements(g: rdflib.Graph, subject, predicate, obj) -> dict[str, rdflib.term.Node]:
    """Return sentence -> statement node for the statements of one relation in a graph."""
    return {
        str(g.value(st, AIKG.evidence)): st
        for st in g.subjects(RDF.subject, subject)
        if g.value(st, RDF.predicate) == predicate and g.value(st, RDF.object) == obj
    }


def check_openai(g: rdflib.Graph) -> None:
    """What an RDF client reads about OpenAI: names, type, sameAs, relations, evidence, sources."""
    openai = ENT[OPENAI.slug]
    assert (openai, RDFS.label, rdflib.Literal("OpenAI")) in g
    assert (openai, SKOS.altLabel, rdflib.Literal("Open AI")) in g
    assert (openai, RDF.type, AIKG.Organization) in g
    assert (openai, OWL.sameAs, rdflib.URIRef("http://www.wikidata.org/entity/Q21708200")) in g
    # Relations as direct triples, in both directions.
    assert (ENT[MSFT.slug], AIKG.investsIn, openai) in g
    assert (openai, AIKG.develops, ENT["gpt-4"]) in g
    # ... and as statements with their evidence, confidence, dates and ended flag.
    stmts = evidence_statements(g, ENT[MSFT.slug], AIKG.investsIn, openai)
    assert S1 in stmts
    st = stmts[S1]
    assert float(g.value(st, AIKG.confidence)) == pytest.approx(0.95)
    assert g.value(st, AIKG.ended).toPython() is False
    assert str(g.value(st, DCT.date)) == "2023-01-23"
    # The supporting article with its title, url and date.
    art = g.value(st, PROV.wasDerivedFrom)
    assert art == rdflib.URIRef(ARTICLE + ARTICLES[0].id)
    assert str(g.value(art, DCT.title)) == "Microsoft bets on OpenAI"
    assert str(g.value(art, SCHEMA.url)) == "https://news.example/msft-openai"
    assert str(g.value(art, DCT.issued)) == "2023-01-23"
    # The entity on the other side is named.
    assert (ENT["gpt-4"], RDFS.label, rdflib.Literal("GPT-4")) in g


@pytest.mark.parametrize("media", list(FORMATS))
def test_entity_answers_each_rdf_format_by_accept_header(client, media):
    r = client.get(f"/entity/{OPENAI.slug}", headers={"Accept": media})
    check_openai(parse(r, media))
    assert r.headers["vary"] == "Accept"


@pytest.mark.parametrize("media", list(FORMATS))
def test_entity_answers_each_rdf_format_by_suffix(client, media):
    suffix = FORMATS[media][0]
    r = client.get(f"/entity/{OPENAI.slug}.{suffix}", headers={"Accept": BROWSER})
    check_openai(parse(r, media))


def test_the_description_holds_only_what_concerns_the_entity(client):
    g = parse(client.get(f"/entity/{OPENAI.slug}.nt"), "application/n-triples")
    # Amazon invests in Anthropic: no statement of it belongs in OpenAI's description.
    assert evidence_statements(g, ENT["amazon"], AIKG.investsIn, ENT["anthropic"]) == {}
    assert (ENT["amazon"], AIKG.investsIn, ENT["anthropic"]) not in g


@pytest.mark.parametrize(
    "accept, expected",
    [
        (BROWSER, "text/html"),
        ("*/*", "text/html"),
        ("text/html", "text/html"),
        (None, "text/html"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.95", "text/turtle"),
        ("text/html;q=0.1, application/n-triples", "application/n-triples"),
        ("text/*;q=0.3, application/n-triples;q=0.2", "text/html"),
        ("application/x-turtle", "text/turtle"),
        ("text/html;q=0, */*", "text/turtle"),
    ],
)
def test_accept_q_values_choose_the_format(client, accept, expected):
    headers = {"Accept": accept} if accept is not None else {}
    r = client.get(f"/entity/{OPENAI.slug}", headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    assert r.headers["vary"] == "Accept"


def link_targets(resp) -> dict[str, str]:
    """Return media type -> target of the rel=alternate links of a response."""
    return {
        m.group(2): m.group(1) for m in re.finditer(r'<([^>]*)>; rel="alternate"; type="([^"]+)"', resp.headers["link"])
    }


@pytest.mark.parametrize("path", [f"/entity/{OPENAI.slug}", f"/article/{ARTICLES[0].id}"])
def test_every_answer_varies_by_accept_and_links_every_format(client, path):
    for accept in [BROWSER, *FORMATS]:
        r = client.get(path, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["vary"] == "Accept"
        links = link_targets(r)
        assert links == {"text/html": path, **{m: f"{path}.{s}" for m, (s, _) in FORMATS.items()}}
    # Each link answers the format it announces.
    for media, target in links.items():
        assert client.get(target).headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("path", [f"/entity/{OPENAI.slug}", f"/article/{ARTICLES[0].id}", "/ontology"])
def test_an_accept_header_nothing_satisfies_is_406(client, path):
    r = client.get(path, headers={"Accept": "image/png, application/pdf"})
    assert r.status_code == 406
    assert "text/turtle" in r.text and "\n" not in r.text.strip()
    assert r.headers["vary"] == "Accept"


def test_missing_entity_is_404_in_every_format(client):
    assert client.get("/entity/no-such-thing.ttl").status_code == 404
    assert client.get("/entity/no-such-thing", headers={"Accept": "text/turtle"}).status_code == 404
    r = client.get("/entity/no-such-thing")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_unknown_suffix_is_no_format(client):
    # Slugs hold no dots: ".exe" is no format and "openai.exe" no entity.
    assert client.get(f"/entity/{OPENAI.slug}.exe").status_code == 404


@pytest.mark.parametrize("media", list(FORMATS))
def test_article_answers_its_metadata_and_statements(client, media):
    art = ARTICLES[0]
    g = parse(client.get(f"/article/{art.id}", headers={"Accept": media}), media)
    node = rdflib.URIRef(ARTICLE + art.id)
    assert (node, RDF.type, AIKG.Article) in g
    assert str(g.value(node, DCT.title)) == "Microsoft bets on OpenAI"
    assert str(g.value(node, SCHEMA.url)) == art.url
    sentences = {str(o) for o in g.objects(None, AIKG.evidence)}
    assert sentences == {S1, S2, S5}
    assert set(g.subjects(PROV.wasDerivedFrom, None)) == set(g.subjects(RDF.type, AIKG.RelationStatement))
    assert set(g.objects(None, PROV.wasDerivedFrom)) == {node}


def test_statement_iri_answers_rdf_and_sends_browsers_to_its_article(client):
    g = parse(client.get(f"/entity/{OPENAI.slug}.ttl"), "text/turtle")
    st = evidence_statements(g, ENT[MSFT.slug], AIKG.investsIn, ENT[OPENAI.slug])[S1]
    path = "/" + str(st).removeprefix("https://w3id.org/aikg/")
    assert path.startswith("/statement/")
    sg = parse(client.get(path, headers={"Accept": "text/turtle"}), "text/turtle")
    assert str(sg.value(st, AIKG.evidence)) == S1
    assert str(sg.value(sg.value(st, PROV.wasDerivedFrom), DCT.title)) == "Microsoft bets on OpenAI"
    r = client.get(path, headers={"Accept": BROWSER}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/article/{ARTICLES[0].id}"
    assert client.get("/statement/0000.ttl").status_code == 404


def test_entity_page_embeds_schema_org_json_ld_naming_the_entity(client):
    r = client.get(f"/entity/{OPENAI.slug}")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', r.text, re.S)
    assert len(blocks) == 1
    doc = json.loads(blocks[0])
    g = rdflib.Graph().parse(data=blocks[0], format="json-ld")
    node = ENT[OPENAI.slug]
    assert (node, RDF.type, SCHEMA.Organization) in g
    assert (node, SCHEMA.name, rdflib.Literal("OpenAI")) in g
    assert (node, SCHEMA.sameAs, rdflib.Literal("http://www.wikidata.org/entity/Q21708200")) in g
    assert doc["alternateName"] == ["Open AI"]
    # The page's CSP stays as strict as before: a data block needs no inline-script permission.
    assert "unsafe-inline" not in r.headers["content-security-policy"]


def test_json_ld_block_escapes_a_hostile_name(client):
    page = client.get("/entity/script-alert-1-script-labs").text
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "<" not in block and json.loads(block)["name"] == "<script>alert(1)</script> Labs"


def test_model_entity_is_a_software_application(client):
    page = client.get("/entity/gpt-4").text
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(block)["@type"] == "SoftwareApplication"


# ----------------------------------------------------------------------------- ontology

ONTO = load_ontology()
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Datatype)
TERMS = sorted({s for k in KINDS for s in ONTO.subjects(RDF.type, k) if isinstance(s, rdflib.URIRef)})


def term_sections(page: str) -> dict[str, str]:
    """Return IRI -> the HTML of its entry on the documentation page."""
    return dict(re.findall(r'<article class="term" id="[^"]+" data-iri="([^"]+)">(.*?)</article>', page, re.S))


def test_ontology_page_documents_every_class_and_property_of_the_ontology(client):
    r = client.get("/ontology", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["vary"] == "Accept"
    entries = term_sections(r.text)
    assert len(TERMS) > 50
    assert sorted(entries) == sorted(str(t) for t in TERMS)
    for term in TERMS:
        entry = entries[str(term)]
        for p in (RDFS.label, SKOS.definition):
            for value in ONTO.objects(term, p):
                assert " ".join(str(value).split()) in html.unescape(entry), (term, p)
        for p in (RDFS.domain, RDFS.range):
            for value in ONTO.objects(term, p):
                if isinstance(value, rdflib.URIRef):
                    assert value.n3(ONTO.namespace_manager) in entry, (term, p)


def test_ontology_page_gives_each_relation_an_example_query_that_answers(client, store_dir):
    from kg.model import PREDICATES

    entries = term_sections(client.get("/ontology").text)
    with LocalStore(store_dir, read_only=True) as store:
        for pred in PREDICATES:
            entry = entries[NAMESPACE + pred]
            href = re.search(r'href="/query\?query=([^"]+)"', entry).group(1)
            query = unquote(href)
            assert f"aikg:{pred}" in query
            rows = list(store.query(query))
            if pred == "investsIn":
                assert {str(r["subject"].value) for r in rows} == {ENTITY + "microsoft", ENTITY + "amazon"}


@pytest.mark.parametrize(
    "media", ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
)
def test_ontology_rdf_is_the_ontology(client, media):
    for r in (client.get("/ontology", headers={"Accept": media}), client.get("/ontology." + FORMATS[media][0])):
        g = parse(r, media)
        assert isomorphic(g, ONTO)
        assert link_targets(r)["text/turtle"] == "/ontology.ttl"


def test_ontology_turtle_is_the_shipped_file_and_shapes_are_served(client):
    from ontology import ONTOLOGY_PATH, SHAPES_PATH

    assert client.get("/ontology.ttl").content == ONTOLOGY_PATH.read_bytes()
    r = client.get("/ontology/shapes.ttl")
    assert r.status_code == 200 and r.content == SHAPES_PATH.read_bytes()
    assert client.get("/ontology.exe").status_code == 404
