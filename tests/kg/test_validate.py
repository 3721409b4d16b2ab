"""Shape validation of batches (before commit) and of whole stores (`aikg validate`)."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox

from kg import loader
from kg.mapping import extraction_quads
from kg.model import Article, Entity, Extraction, RelationMention
from kg.store import LocalStore
from kg.validate import validate_batch, validate_store

MS = Entity("Microsoft", "Organization", "Q2283")
OA = Entity("OpenAI", "Organization", "Q21708200")
GPT = Entity("GPT-4o", "AIModel")
ALTMAN = Entity("Sam Altman", "Person")
AIKG = "https://w3id.org/aikg/ontology#"


def rel(s, p, o, sentence="A sentence."):
    return RelationMention(s, p, o, 0.9, sentence, 0, len(sentence))


def quads_for(*rels):
    art = Article("Some article text about OpenAI and Microsoft.", url="u1")
    ents = tuple({e.name: e for r in rels for e in (r.subject, r.object)}.values())
    return extraction_quads(Extraction(art, ents, tuple(rels), "test/1"))


def predicates(quads):
    return {
        (q.subject.value.rsplit("/", 1)[1], q.predicate.value.rsplit("#", 1)[1], q.object.value.rsplit("/", 1)[1])
        for q in quads
        if q.predicate.value.startswith(AIKG)
        and isinstance(q.object, ox.NamedNode)
        and q.object.value.startswith("https://w3id.org/aikg/entity/")
    }


def test_valid_batch_is_kept_whole():
    quads = quads_for(rel(MS, "investsIn", OA), rel(OA, "develops", GPT), rel(ALTMAN, "leads", OA))
    kept, violations = validate_batch(quads)
    assert violations == [] and kept == quads


def test_relation_against_range_is_left_out_with_its_statement():
    quads = quads_for(rel(MS, "investsIn", OA), rel(MS, "develops", OA, "Microsoft built OpenAI."))
    kept, violations = validate_batch(quads)
    assert any("develops" in v for v in violations)
    assert predicates(kept) == {("microsoft", "investsIn", "openai")}
    assert not any(isinstance(q.object, ox.Literal) and q.object.value == "Microsoft built OpenAI." for q in kept)


def test_person_leading_check_catches_wrong_domain():
    kept, violations = validate_batch(quads_for(rel(OA, "leads", MS)))
    assert violations and predicates(kept) == set()


def test_statement_without_direct_triple_is_reported():
    quads = [q for q in quads_for(rel(MS, "investsIn", OA)) if not (q.predicate.value == AIKG + "investsIn")]
    kept, violations = validate_batch(quads)
    assert any("direct triple" in v for v in violations)


def test_validate_store_and_cli_exit_codes(tmp_path):
    path = tmp_path / "s"

    def extract(batch):
        for a in batch:
            yield Extraction(a, (MS, OA), (rel(MS, "investsIn", OA),), "test/1")

    with LocalStore(path) as s:
        loader.ingest(s, [Article("Microsoft backs OpenAI again.", url="u1")], extract)
        assert validate_store(s).conforms
    ok = subprocess.run(
        [sys.executable, "-m", "aikg", "validate", "--store", str(path)], capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0 and "conforms" in ok.stdout
    with LocalStore(path) as s:
        s.update(
            f"INSERT DATA {{ <https://w3id.org/aikg/entity/openai> <{AIKG}leads> "
            "<https://w3id.org/aikg/entity/microsoft> }"
        )
    bad = subprocess.run(
        [sys.executable, "-m", "aikg", "validate", "--store", str(path)], capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 1
    assert "Violation: ent:openai: leads: subject must be a Person" in bad.stdout


def test_class_constraints_report_focus_path_and_value():
    # the class checks run as SPARQL in pyoxigraph; their results read like pyshacl's
    from kg.validate import validate_triples

    quads = quads_for(rel(MS, "investsIn", OA), rel(ALTMAN, "leads", OA))
    triples = [q.triple for q in quads]
    ms = ox.NamedNode("https://w3id.org/aikg/entity/microsoft")
    oa = ox.NamedNode("https://w3id.org/aikg/entity/openai")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    # Microsoft retyped as a Product: wrong subject of investsIn; a literal object of investsIn
    triples = [t for t in triples if not (t.subject == ms and t.predicate == rdf_type)]
    triples.append(ox.Triple(ms, rdf_type, ox.NamedNode(AIKG + "Product")))
    triples.append(ox.Triple(oa, ox.NamedNode(AIKG + "investsIn"), ox.Literal("not an entity")))
    report = validate_triples(triples)
    found = {
        (v.focus.rsplit("/", 1)[-1], v.path and v.path.rsplit("#", 1)[-1], v.value and v.value.rsplit("/", 1)[-1])
        for v in report.violations
    }
    assert ("microsoft", None, "microsoft") in found  # node-level: the value is the focus node
    assert ("openai", "investsIn", "not an entity") in found  # property-level: path and value
    assert not report.conforms


def test_a_large_graph_validated_in_slices_reports_what_one_pass_reports(monkeypatch):
    """Slicing by statement (for bounded memory) finds the same violations, each once."""
    from kg import validate
    from kg.validate import validate_triples

    sentences = [f"Sentence number {i} says so." for i in range(12)]
    good = [rel(MS, "investsIn", OA, s) for s in sentences[:6]]
    bad = [rel(MS, "develops", OA, s) for s in sentences[6:9]]  # develops wants an AIModel or Product
    people = [rel(ALTMAN, "leads", OA, s) for s in sentences[9:]]
    quads = quads_for(*good, *bad, *people)
    # One statement without its direct triple: a statement-level violation in one slice only.
    quads = [q for q in quads if not (q.predicate.value == AIKG + "leads")]
    triples = [q.triple for q in quads]
    whole = validate_triples(triples)
    assert not whole.conforms
    monkeypatch.setattr(validate, "SLICE_TRIPLES", 20)
    sliced = validate_triples(triples)
    assert len(triples) > 3 * 20  # several slices
    assert sliced.violations == whole.violations
    assert sliced.triples == whole.triples == len(triples)
