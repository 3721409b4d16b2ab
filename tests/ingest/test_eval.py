"""Evaluation arithmetic on a tiny gold directory, with a stand-in extractor."""

import json

import pytest

from ingest.entities import Gazetteer, GazEntry
from ingest.eval import evaluate, prf
from kg.model import Entity, Extraction, RelationMention

ORG = "Organization"


def _rel(s, p, o, *, hedged=False, conf=0.9):
    return RelationMention(Entity(s, ORG), p, Entity(o, ORG), conf, "s.", 0, 2, hedged=hedged)


class _Stub:
    """Return canned relations per article text."""

    def __init__(self, by_text, gaz=None):
        self.by_text = by_text
        self.gaz = gaz or Gazetteer()

    def extract(self, article):
        ents, rels = self.by_text[article.text]
        return Extraction(article, tuple(Entity(n, ORG) for n in ents), tuple(rels), "test")


@pytest.fixture()
def gold_dir(tmp_path):
    gold = {
        "text": "one",
        "entities": [{"name": "Microsoft", "type": ORG, "aliases": []},
                     {"name": "OpenAI", "type": ORG, "aliases": []},
                     {"name": "Google DeepMind", "type": ORG, "aliases": ["DeepMind"]}],
        "relations": [{"subject": "Microsoft", "predicate": "partnersWith", "object": "OpenAI"},
                      {"subject": "Microsoft", "predicate": "investsIn", "object": "OpenAI"},
                      {"subject": "OpenAI", "predicate": "competesWith", "object": "DeepMind"}],
        "negatives": [{"subject": "Microsoft", "predicate": "acquires", "object": "OpenAI"}],
    }
    (tmp_path / "001-a.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "002-b.json").write_text(json.dumps({"text": "two", "entities": [], "relations": []}), encoding="utf-8")
    (tmp_path / "003-broken.json").write_text("{not json", encoding="utf-8")
    return tmp_path


def test_prf_arithmetic():
    assert prf(3, 1, 2) == pytest.approx((0.75, 0.6, 2 * 0.75 * 0.6 / 1.35))
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)


def test_scores_symmetric_alias_negative_and_hedge(gold_dir):
    stub = _Stub({
        "one": (["Microsoft", "OpenAI", "DeepMind", "Reuters"], [
            _rel("OpenAI", "partnersWith", "Microsoft"),           # symmetric, reversed: tp
            _rel("DeepMind", "competesWith", "OpenAI"),            # alias + symmetric: tp
            _rel("Microsoft", "acquires", "OpenAI"),               # a negative: fp, counted
            _rel("Microsoft", "investsIn", "OpenAI", hedged=True),  # hedged: still output, so a tp
        ]),
        "two": ([], []),
    })
    r = evaluate(gold_dir, stub)
    assert r.files == 2
    d = r.to_dict()
    assert (d["entities"]["tp"], d["entities"]["fp"], d["entities"]["fn"]) == (3, 1, 0)
    assert r.relation_prf == pytest.approx((3 / 4, 1.0, 2 * 0.75 / 1.75))
    assert d["relations"]["per_predicate"]["investsIn"]["tp"] == 1
    assert d["relations"]["per_predicate"]["acquires"]["fp"] == 1
    assert d["negatives"] == {"total": 1, "extracted": 1}
    text = r.format()
    assert "micro" in text and "negatives extracted: 1 of 1" in text


def test_gazetteer_canonicalizes_both_sides(gold_dir):
    gaz = Gazetteer()
    gaz.add(GazEntry("Google DeepMind", ORG, "Q15733006", ("DeepMind", "Deep Mind")))
    stub = _Stub({"one": (["Deep Mind"], [_rel("Deep Mind", "competesWith", "OpenAI")]), "two": ([], [])}, gaz)
    r = evaluate(gold_dir, stub)
    assert r.relation_counts["competesWith"]["tp"] == 1


def test_subset_selects_by_number_parity(gold_dir):
    stub = _Stub({"one": ([], []), "two": ([], [])})
    assert evaluate(gold_dir, stub, subset="odd").files == 1
    assert evaluate(gold_dir, stub, subset="even").files == 1
    with pytest.raises(ValueError, match="odd"):
        evaluate(gold_dir, stub, subset="first")
