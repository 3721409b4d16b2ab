"""The training corpus (training/corpus/*.jsonl) is well formed: what a trainer may rely on.

Each line is one passage in the gold format (tests/gold/README.md). A passage that breaks
these rules would teach the relation classifier a wrong example, so every line is checked.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.relations import SIGNATURES
from kg.model import PREDICATES

CORPUS = Path(__file__).resolve().parents[2] / "training" / "corpus"
ENDED = CORPUS.parent / "ended"  # passages for the ended classifier (same format)
# more ended passages (trained on), and passages measured but not trained on (training/README.md)
SPARE = (
    CORPUS.parent / "ended_c9",
    CORPUS.parent / "corpus_c10",
    CORPUS.parent / "ended_c11",
    CORPUS.parent / "corpus_c18",
)
TYPES = {"Organization", "Person", "AIModel", "Product"}
SYMMETRIC = {"partnersWith", "competesWith", "disputesWith"}
FIELDS = {"id", "style", "title", "url", "published", "text", "entities", "relations"}


def _passages() -> list[tuple[str, dict]]:
    out = []
    for path in [p for d in (CORPUS, ENDED, *SPARE) for p in sorted(d.glob("*.jsonl"))]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                out.append((f"{path.name}:{n}", json.loads(line)))
    return out


PASSAGES = _passages()


@pytest.mark.skipif(not PASSAGES, reason="no training corpus")
def test_ids_are_unique_and_every_predicate_is_taught():
    ids = Counter(p["id"] for _, p in PASSAGES)
    assert not [i for i, n in ids.items() if n > 1]
    per_predicate = Counter(r["predicate"] for _, p in PASSAGES for r in p["relations"])
    assert set(per_predicate) == set(PREDICATES)
    assert min(per_predicate.values()) >= 50, per_predicate


@pytest.mark.skipif(not PASSAGES, reason="no training corpus")
def test_every_passage_is_well_formed():
    problems = []
    for where, p in PASSAGES:
        if not FIELDS <= set(p) or set(p) - FIELDS - {"negatives"}:
            problems.append(f"{where}: fields {sorted(p)}")
            continue
        text = p["text"]
        names: dict[str, str] = {}
        for e in p["entities"]:
            if e["type"] not in TYPES:
                problems.append(f"{where}: type {e['type']}")
            names[e["name"]] = e["type"]
            surface = [e["name"], *e.get("aliases", [])]
            if not any(s in text for s in surface):
                problems.append(f"{where}: {e['name']!r} does not occur")
            for alias in e.get("aliases", []):
                if alias not in text:
                    problems.append(f"{where}: alias {alias!r} does not occur")
        seen = set()
        for r in p["relations"] + p.get("negatives", []):
            pred = r["predicate"]
            if pred not in PREDICATES or r["subject"] not in names or r["object"] not in names:
                problems.append(f"{where}: {r}")
                continue
            dom, rng = SIGNATURES[pred]
            if names[r["subject"]] not in dom or names[r["object"]] not in rng:
                problems.append(f"{where}: {pred} does not fit {names[r['subject']]} -> {names[r['object']]}")
            key = (
                (pred, *sorted((r["subject"], r["object"]))) if pred in SYMMETRIC else (pred, r["subject"], r["object"])
            )
            if key in seen:
                problems.append(f"{where}: {key} twice")
            seen.add(key)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.skipif(not PASSAGES, reason="no training corpus")
def test_every_excluded_id_names_a_passage_the_trainer_then_skips():
    # a stale id in excluded.txt would leave a retold held-out event in the training data
    from ingest.relations.dataset import excluded_ids, read_gold_records

    ids = {p["id"] for _, p in PASSAGES}
    for directory in (CORPUS, ENDED):
        listed = excluded_ids(directory)
        assert listed, f"{directory}/excluded.txt lists nothing"
        assert listed <= ids, sorted(listed - ids)[:5]
        read = {r["id"] for r in read_gold_records([directory])}
        assert not read & listed
        assert len(read) == len(
            {p["id"] for w, p in PASSAGES if w.split(":")[0] in {f.name for f in directory.glob("*.jsonl")}}
        ) - len(listed)
