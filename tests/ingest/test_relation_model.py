"""The trained relation classifier: it loads, decides, explains its confidence, and rebuilds the same.

Sentences are our own; invented names keep the gazetteer out of the way where a test
is about the model rather than about known names.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.relations.candidates import candidates
from ingest.relations.model import DEFAULT_DIR, load_model
from kg.errors import ModelMissingError
from kg.model import Article

ROOT = Path(__file__).resolve().parents[2]


def _aikg(*args, env=None, input_text=None):
    return subprocess.run(
        [sys.executable, "-m", "aikg", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        input=input_text,
        cwd=ROOT,
    )


def test_packaged_model_loads_and_has_its_card():
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    assert (DEFAULT_DIR / "MODEL_CARD.md").read_text(encoding="utf-8").startswith("# Relation model card")
    assert model.meta["training_files"], "the card lists the corpus it was trained on"


def test_confidence_is_the_models_probability(extractor):
    ex = extractor.extract(Article(text="Microsoft acquired GitHub for $7.5 billion in 2018."))
    rel = next(r for r in ex.relations if r.predicate == "acquires")
    model = load_model()
    assert model.threshold <= rel.confidence < 1.0
    assert rel.amount == "$7.5 billion" and rel.date_text == "2018"


def test_a_pair_can_hold_several_predicates(extractor):
    ex = extractor.extract(Article(text="Sam Altman, who co-founded OpenAI in 2015, is its chief executive."))
    preds = {r.predicate for r in ex.relations if r.subject.name == "Sam Altman" and r.object.name == "OpenAI"}
    assert {"founded", "leads"} <= preds


def test_candidates_follow_the_signatures(nlp):
    doc = nlp("Satya Nadella said Microsoft would put GPT-4 into Copilot.")
    mentions = doc._.aikg_mentions
    pairs = {
        (mentions[c.a]["name"], mentions[c.b]["name"]): c.predicates
        for c in candidates(doc, mentions, doc._.aikg_coref)
    }
    assert "leads" in pairs[("Satya Nadella", "Microsoft")]
    assert "develops" not in pairs.get(("GPT-4", "Microsoft"), ())  # a model develops nothing
    assert all(p in ("uses", "develops", "acquires") for p in pairs.get(("Microsoft", "GPT-4"), ()))


def test_a_name_inside_a_descriptor_pairs_only_with_the_entity_the_descriptor_names(nlp):
    # "the ChatGPT maker" is OpenAI: ChatGPT is said of OpenAI, not of Microsoft
    doc = nlp("Microsoft has put about $13 billion into the ChatGPT maker, and uses its models in Copilot.")
    mentions = doc._.aikg_mentions
    pairs = {(mentions[c.a]["name"], mentions[c.b]["name"]) for c in candidates(doc, mentions, doc._.aikg_coref)}
    assert ("OpenAI", "ChatGPT") in pairs and ("Microsoft", "OpenAI") in pairs
    assert not {("Microsoft", "ChatGPT"), ("ChatGPT", "Microsoft"), ("ChatGPT", "Copilot")} & pairs


def test_a_court_is_a_venue_and_never_a_side_of_a_candidate(nlp, triples):
    text = "In a complaint filed in San Francisco Superior Court, Musk accused OpenAI of breaking its promise."
    doc = nlp(text)
    mentions = doc._.aikg_mentions
    assert "San Francisco Superior Court" in {m["name"] for m in mentions}  # still an entity of the article
    sides = {mentions[i]["name"] for c in candidates(doc, mentions, doc._.aikg_coref) for i in (c.a, c.b)}
    assert "OpenAI" in sides and not any("Court" in name for name in sides)
    assert not any("Court" in s or "Court" in o for s, _, o in triples(text))


def test_a_fallback_name_is_a_candidate_for_every_predicate_its_type_fits(nlp):
    # neither the gazetteer nor NER knows "Quellbrook": a rule's fallback name stands for it
    doc = nlp("Microsoft signed a partnership with Quellbrook.")
    mentions = doc._.aikg_mentions
    assert [m["name"] for m in mentions if m.get("fallback")] == ["Quellbrook"]
    pairs = {
        (mentions[c.a]["name"], mentions[c.b]["name"]): c.predicates
        for c in candidates(doc, mentions, doc._.aikg_coref)
    }
    # not only the four predicates the rules let such a name fill
    assert {"partnersWith", "suppliesTo", "acquires", "subsidiaryOf"} <= set(pairs[("Microsoft", "Quellbrook")])


def test_rules_only_pipeline_is_still_available():
    from ingest.pipeline import RULES_ONLY, Extractor, build_nlp

    ex = Extractor(build_nlp(relation_model=RULES_ONLY)).extract(Article(text="Microsoft acquired GitHub."))
    assert [(r.subject.name, r.predicate, r.object.name) for r in ex.relations] == [("Microsoft", "acquires", "GitHub")]


def test_missing_model_is_one_line_naming_aikg_train(tmp_path):
    with pytest.raises(ModelMissingError, match="aikg train"):
        load_model(tmp_path / "nowhere")
    r = _aikg(
        "extract", "-", env={"AIKG_RELATION_MODEL": str(tmp_path / "nowhere")}, input_text="Microsoft acquired GitHub."
    )
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "aikg train" in lines[0] and "Traceback" not in r.stderr, r.stderr


def test_model_for_other_features_is_refused(tmp_path):
    d = tmp_path / "model"
    shutil.copytree(DEFAULT_DIR, d)
    meta = json.loads((d / "model.json").read_text())
    meta["feature_version"] = -1
    (d / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelMissingError, match="another version.*aikg train"):
        load_model(d)
    (d / "weights.npy").write_bytes(b"not an array")
    meta["feature_version"] = load_model().meta["feature_version"]
    (d / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelMissingError, match="unreadable.*aikg train"):
        load_model(d)


def _slice(tmp_path) -> tuple[Path, Path, Path]:
    """A small corpus (the first 60 passages of two writers), 20 passages for the ended classifier
    and a calibration set of 8 dev files."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("c1-batch-01.jsonl", "c4-batch-01.jsonl"):
        lines = (ROOT / "training" / "corpus" / name).read_text(encoding="utf-8").splitlines()[:30]
        (corpus / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    ended = tmp_path / "ended"
    ended.mkdir()
    lines = (ROOT / "training" / "ended" / "c8-batch-01.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    (ended / "c8-batch-01.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cal = tmp_path / "cal"
    cal.mkdir()
    for f in sorted((ROOT / "tests" / "gold").glob("*.json"))[:8]:
        shutil.copy(f, cal / f.name)
    return corpus, ended, cal


def test_training_is_a_deterministic_command(tmp_path):
    corpus, ended, cal = _slice(tmp_path)
    outs = []
    for k in (1, 2):
        out = tmp_path / f"m{k}"
        r = _aikg(
            "train",
            "--corpus",
            str(corpus),
            "--ended-corpus",
            str(ended),
            "--calibration",
            str(cal),
            "--heldout",
            str(cal),
            "--out",
            str(out),
        )
        assert r.returncode == 0, r.stderr
        assert "calibrated on 8 passages" in r.stderr
        outs.append(out)
    w1, w2 = (np.load(o / "weights.npy") for o in outs)
    assert w1.shape == w2.shape and np.array_equal(w1, w2), "same corpus, same weights"
    e1, e2 = (np.load(o / "ended.npy") for o in outs)
    assert np.array_equal(e1, e2), "same corpus, same ended classifier"
    m1, m2 = (json.loads((o / "model.json").read_text()) for o in outs)
    assert m1["calibration"] == m2["calibration"] and m1["threshold"] == m2["threshold"]
    card = (outs[0] / "MODEL_CARD.md").read_text()
    assert "c1-batch-01.jsonl" in card and "Held-out scores" in card and "F1" in card
    assert "c8-batch-01.jsonl" in card, "the card lists the ended classifier's own passages"
    # the trained slice works as a model
    from ingest.pipeline import Extractor, build_nlp

    ex = Extractor(build_nlp(relation_model=str(outs[0]))).extract(Article(text="Microsoft acquired GitHub."))
    assert all(0.0 < r.confidence < 1.0 for r in ex.relations)


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--corpus", "no/such/dir"], "no such file or directory"),
        (["--calibration", "no/such/gold"], "no such directory"),
        (["--calibration", "tests/gold:third"], "a subset must be :odd or :even"),
        (["--knowledgenet", "no/such.jsonl"], "no such file"),
        (["--knowledgenet-folds", "3"], "held-out test fold"),
        (["--knowledgenet-folds", "one"], "give folds 1 and/or 2"),
        (["--knowledgenet-folds", ","], "give folds 1 and/or 2"),
    ],
)
def test_train_usage_errors_are_one_line(args, needle):
    r = _aikg("train", *args)
    assert r.returncode == 2
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_an_unknown_model_family_is_one_line():
    r = _aikg("train", "--family", "forest")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "lr or gbdt" in lines[0] and "Traceback" not in r.stderr, r.stderr


def test_a_name_ner_typed_as_a_person_may_be_read_as_an_organization():
    from ingest.relations.candidates import _pair_fits

    rail = {"name": "Kivu Rail", "type": "Organization", "src": "gaz"}
    preds, flips = _pair_fits({"name": "Naqsh", "type": "Person", "src": "ner"}, rail)
    assert "worksFor" in preds and "suppliesTo" in preds and ("suppliesTo", "a") in flips
    assert ("worksFor", "a") not in flips  # a person working for the operator needs no flip
    # a gazetteer name keeps its type; so does a rule's fallback name
    assert "suppliesTo" not in _pair_fits({"name": "Naqsh", "type": "Person", "src": "gaz"}, rail)[0]
    assert _pair_fits({"name": "Naqsh", "type": "Person", "src": "ner", "fallback": True}, rail)[1] == ()


def test_a_kept_flipped_relation_retypes_the_name_unless_it_is_used_as_typed():
    from ingest.relations.candidates import Candidate
    from ingest.relations.decision import _retype

    def setup():
        mentions = [
            {"name": "Naqsh", "type": "Person"},
            {"name": "Kivu Rail", "type": "Organization"},
            {"name": "Naqsh", "type": "Person"},
            {"name": "Amina Diallo", "type": "Person"},
        ]
        flipped = Candidate(0, 1, 0, 3, "ner", "gaz", 0, 6, ("suppliesTo", "worksFor"), flips=(("suppliesTo", "a"),))
        best = {("sup",): {"s": 0, "o": 1, "p": "suppliesTo"}}
        return mentions, best, {("sup",): (flipped, [])}

    mentions, best, source = setup()
    _retype(best, source, mentions)
    assert list(best) == [("sup",)]
    assert [m["type"] for m in mentions] == ["Organization", "Organization", "Organization", "Person"]

    # the same name also works for the operator as a person (a rule's record): the flip loses
    mentions, best, source = setup()
    best[("rule",)] = {"s": 2, "o": 1, "p": "worksFor"}
    _retype(best, source, mentions)
    assert list(best) == [("rule",)]
    assert mentions[0]["type"] == mentions[2]["type"] == "Person"
