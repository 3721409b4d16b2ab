"""Evaluation arithmetic on a tiny gold directory, with a stand-in extractor."""

import json

import pytest

from ingest.entities import GazEntry, Gazetteer
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
        "entities": [
            {"name": "Microsoft", "type": ORG, "aliases": []},
            {"name": "OpenAI", "type": ORG, "aliases": []},
            {"name": "Google DeepMind", "type": ORG, "aliases": ["DeepMind"]},
        ],
        "relations": [
            {"subject": "Microsoft", "predicate": "partnersWith", "object": "OpenAI"},
            {"subject": "Microsoft", "predicate": "investsIn", "object": "OpenAI"},
            {"subject": "OpenAI", "predicate": "competesWith", "object": "DeepMind"},
        ],
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
    stub = _Stub(
        {
            "one": (
                ["Microsoft", "OpenAI", "DeepMind", "Reuters"],
                [
                    _rel("OpenAI", "partnersWith", "Microsoft"),  # symmetric, reversed: tp
                    _rel("DeepMind", "competesWith", "OpenAI"),  # alias + symmetric: tp
                    _rel("Microsoft", "acquires", "OpenAI"),  # a negative: fp, counted
                    _rel("Microsoft", "investsIn", "OpenAI", hedged=True),  # hedged: still output, so a tp
                ],
            ),
            "two": ([], []),
        }
    )
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


# ------------------------------------------------------------------ confidence


def test_a_triple_counts_once_at_its_highest_confidence_and_bin_edges_hold(gold_dir):
    stub = _Stub(
        {
            "one": (
                [],
                [
                    _rel("Microsoft", "partnersWith", "OpenAI", conf=0.3),
                    _rel("OpenAI", "partnersWith", "Microsoft", conf=0.5),  # same triple: its best is 0.5
                    _rel("DeepMind", "competesWith", "OpenAI", conf=1.0),  # the last bin is closed
                    _rel("Microsoft", "acquires", "OpenAI", conf=0.8),  # a wrong one at an edge
                ],
            ),
            "two": ([], []),
        }
    )
    r = evaluate(gold_dir, stub)
    bins = {(b["low"], b["high"]): b for b in r.reliability()}
    assert [(k, b["count"], b["correct"]) for k, b in bins.items()] == [
        ((0.0, 0.5), 0, 0),
        ((0.5, 0.8), 1, 1),
        ((0.8, 1.0), 2, 1),
    ]
    assert bins[(0.0, 0.5)]["precision"] is None and bins[(0.0, 0.5)]["mean_confidence"] is None
    assert bins[(0.8, 1.0)]["mean_confidence"] == pytest.approx(0.9)
    rows = {row["threshold"]: row for row in r.by_confidence()}
    assert (rows[0.5]["tp"], rows[0.5]["fp"], rows[0.5]["fn"]) == (2, 1, 1)
    assert (rows[0.6]["tp"], rows[0.6]["fp"], rows[0.6]["fn"]) == (1, 1, 2)
    fp = [e for e in r.errors if e["kind"] == "fp"]
    assert fp[0]["confidence"] == 0.8


GOLD_TEXTS = [
    (
        "Microsoft invested $10 billion in OpenAI. Google DeepMind competes with OpenAI. "
        "Nvidia supplies chips to Microsoft.",
        [("Microsoft", "investsIn", "OpenAI"), ("Google DeepMind", "competesWith", "OpenAI")],
    ),
    (
        "Amazon is reportedly in talks to acquire Anthropic. Sam Altman leads OpenAI. "
        "Anthropic released Claude, which competes with ChatGPT.",
        [("Sam Altman", "leads", "OpenAI"), ("Anthropic", "develops", "Claude"), ("Claude", "competesWith", "ChatGPT")],
    ),
    (
        "Meta uses Llama in its products, while Apple sued Samsung over patents. "
        "Satya Nadella, the chief executive of Microsoft, praised OpenAI.",
        [("Apple", "sues", "Samsung"), ("Meta", "develops", "Llama"), ("Satya Nadella", "leads", "Microsoft")],
    ),
]


@pytest.fixture()
def small_gold(tmp_path):
    """Three gold files the real extractor gets partly right and partly wrong."""
    for i, (text, rels) in enumerate(GOLD_TEXTS, 1):
        names = sorted({n for s, _, o in rels for n in (s, o)})
        gold = {
            "text": text,
            "entities": [{"name": n, "type": ORG, "aliases": []} for n in names],
            "relations": [{"subject": s, "predicate": p, "object": o} for s, p, o in rels],
        }
        (tmp_path / f"{i:03d}-gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_reliability_bins_of_a_real_run_add_up(small_gold, extractor):
    r = evaluate(small_gold, extractor)
    d = r.to_dict()
    predicted = sum(c["tp"] + c["fp"] for c in r.relation_counts.values())
    tp = sum(c["tp"] for c in r.relation_counts.values())
    assert predicted > 0 and 0 < tp < predicted, "the tiny gold set should hold both right and wrong guesses"
    for bins in (d["reliability"]["bins"], d["reliability"]["fine"]):
        assert sum(b["count"] for b in bins) == predicted
        assert sum(b["correct"] for b in bins) == tp
        for b in bins:
            if b["count"]:
                assert b["precision"] == pytest.approx(b["correct"] / b["count"], abs=1e-4)
                assert b["low"] <= b["mean_confidence"] <= b["high"]
                assert b["mean_confidence"] < b["high"] or b["high"] == 1.0
            else:
                assert b["precision"] is None
    assert len(d["reliability"]["bins"]) == 3 and len(d["reliability"]["fine"]) == 10
    # The two views agree: what a threshold keeps is what the bins above it hold.
    fine = d["reliability"]["fine"]
    for row in d["by_confidence"]:
        above = [b for b in fine if b["low"] >= row["threshold"]]
        assert row["predicted"] == sum(b["count"] for b in above)
        assert row["tp"] == sum(b["correct"] for b in above)
    first = d["by_confidence"][0]
    assert first["threshold"] == 0.0
    assert (first["precision"], first["recall"], first["f1"]) == (
        d["relations"]["precision"],
        d["relations"]["recall"],
        d["relations"]["f1"],
    )
    text = r.format()
    assert "reliability" in text and "[0.0, 0.5)" in text and "[0.8, 1.0]" in text
    assert ">= 0.5" not in text and ">= 0.5" in r.format(by_confidence=True)


def test_min_confidence_drops_weak_predictions_from_every_view(small_gold, extractor):
    everything = evaluate(small_gold, extractor)
    strong = evaluate(small_gold, extractor, min_confidence=0.8)
    assert all(conf >= 0.8 for conf, _, _ in strong.predictions)
    kept = [p for p in everything.predictions if p[0] >= 0.8]
    assert sorted(strong.predictions) == sorted(kept)
    assert strong.reliability()[0]["count"] == strong.reliability()[1]["count"] == 0


def _aikg(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "aikg", *args], capture_output=True, text=True, timeout=600)


def test_cli_by_confidence_prints_every_threshold(small_gold):
    proc = _aikg("eval", str(small_gold), "--by-confidence")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    for t in range(10):
        assert any(line.startswith(f">= 0.{t}") for line in lines), f"threshold 0.{t} missing"
    assert any(line.startswith("[0.5, 0.8)") for line in lines)
    plain = _aikg("eval", str(small_gold), "--min-confidence", "0.5")
    assert plain.returncode == 0, plain.stderr
    assert "reliability" in plain.stdout and ">= 0.5" not in plain.stdout
    weak = next(line for line in plain.stdout.splitlines() if line.startswith("[0.0, 0.5)"))
    assert weak.split()[2:] == ["0", "0", "-", "-"]


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high", "nan"])
def test_cli_bad_min_confidence_is_a_one_line_usage_error(small_gold, value):
    proc = _aikg("eval", str(small_gold), "--by-confidence", "--min-confidence", value)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"aikg: error: --min-confidence must be a number from 0 to 1, got {value!r}"
    ]
    assert proc.stdout == ""
