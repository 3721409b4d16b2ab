"""How the shipped extractor does on passages by writers it never learnt from (issue 14).

Usage: python benchmarks/bench_fresh_writers.py [--out benchmarks/results/fresh_writers.json]

``training/corpus_c10``, ``training/ended_c9`` and ``training/ended_c11`` were written by
three new writers; no relation model learns from them (``ended_c9`` teaches the ended
classifier, so its ended figures are in-sample: training/README.md). Each set is scored like a gold
directory (``ingest.eval.evaluate``), and each gold relation is also asked whether the
extractor found both of its sides (by name or alias): the relations it misses with both
sides found are the relation layer's, the rest are entity recognition's. The ended flag
is scored on the relations found (the corpus marks only those stated as over: the others
count as current). Each gold relation the relation layer could not reach is also put in
one bucket of why no candidate pair stands for it (``_candidate_coverage``), and those
that had one are split by whether the model scored it at 0.5 or more. Only the aggregate
figures are written.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETS = ("training/corpus_c10", "training/ended_c9", "training/ended_c11")


def _as_gold_dir(src: Path, dst: Path) -> list[dict]:
    passages = []
    for f in sorted(src.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                p = json.loads(line)
                # The corpus marks only relations stated as over; the rest are current, which
                # the scorer must be told to count the ended flag's false alarms too.
                for r in p["relations"]:
                    r.setdefault("past", False)
                (dst / f"{p['id']}.json").write_text(json.dumps(p), encoding="utf-8")
                passages.append(p)
    return passages


def _sides_found(extractor, passages: list[dict]) -> dict:
    from kg.model import Article

    relations = both = entities = found = 0
    for p in passages:
        published = date.fromisoformat(p["published"][:10]) if p.get("published") else None
        got = extractor.extract(Article(text=p["text"], published=published))
        names = {e.name for e in got.entities}
        surfaces = {e["name"]: {e["name"], *e.get("aliases", [])} for e in p["entities"]}

        def seen(name: str, surfaces: dict = surfaces, names: set = names) -> bool:
            return bool(surfaces.get(name, {name}) & names)

        entities += len(p["entities"])
        found += sum(seen(e["name"]) for e in p["entities"])
        for r in p["relations"]:
            relations += 1
            both += seen(r["subject"]) and seen(r["object"])
    return {
        "gold_entities": entities,
        "entities_found": found,
        "gold_relations": relations,
        "relations_with_both_sides_found": both,
    }


def _candidate_coverage(passages: list[dict]) -> dict:
    """Count, over the gold relations, where each one is lost before or at the classifier.

    Buckets: a candidate pair stands for it (and the model scored it >= 0.5 or not); a
    side was not found; both were found but never in one sentence; in one sentence but
    their types fit no signature of the predicate; a side is a rule's fallback name (until
    feature version 5 such a name filled only four predicates; since, the pair has no
    candidate for another reason); the two names share a head word (one nested in the
    other, "Acme Robotics" and "Acme"); anything else.
    """
    from collections import Counter

    from ingest.entities import load_gazetteer
    from ingest.eval import _Canon, _triple
    from ingest.pipeline import RULES_ONLY, build_nlp, mask_artifacts
    from ingest.relations import load_lexicon
    from ingest.relations.candidates import candidates
    from ingest.relations.features import Featurizer
    from ingest.relations.model import load_model
    from ingest.relations.signatures import SIGNATURES
    from kg.model import PREDICATES

    nlp, gaz, model = build_nlp(relation_model=RULES_ONLY), load_gazetteer(), load_model()
    featurizer = Featurizer(load_lexicon())
    why: Counter = Counter()
    for p in passages:
        doc = nlp(mask_artifacts(p["text"]))
        canon = _Canon(gaz, p.get("entities") or [])
        mentions = doc._.aikg_mentions or []
        cands = candidates(doc, mentions, doc._.aikg_coref or [])
        table = model.batch_probabilities(featurizer.doc_features(doc, mentions, cands, doc._.aikg_relations or []))
        scored: dict[tuple, float] = {}
        for c, row in zip(cands, table):
            for q in c.predicates:
                t = _triple(canon, mentions[c.a]["name"], q, mentions[c.b]["name"])
                scored[t] = max(scored.get(t, 0.0), float(row[PREDICATES.index(q)]))
        for r in p["relations"]:
            q = r["predicate"]
            t = _triple(canon, r["subject"], q, r["object"])
            if t in scored:
                why["candidate, scored >= 0.5" if scored[t] >= 0.5 else "candidate, scored < 0.5"] += 1
                continue
            sa = [m for m in mentions if _triple(canon, m["name"], q, r["object"])[0] == t[0]]
            sb = [m for m in mentions if _triple(canon, r["subject"], q, m["name"])[2] == t[2]]
            same = [(a, b) for a in sa for b in sb if doc[a["s"]].sent.start == doc[b["s"]].sent.start]
            fit = [(a, b) for a, b in same if a["type"] in SIGNATURES[q][0] and b["type"] in SIGNATURES[q][1]]
            if not sa or not sb:
                why["a side not found"] += 1
            elif not same:
                why["never in one sentence"] += 1
            elif not fit:
                why["types fit no signature"] += 1
            elif any(a.get("fallback") or b.get("fallback") for a, b in fit):
                why["a fallback name"] += 1
            elif any(doc[a["s"] : a["e"]].root.i == doc[b["s"] : b["e"]].root.i for a, b in fit):
                why["one name inside the other"] += 1
            else:
                why["other"] += 1
    return dict(why.most_common())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/fresh_writers.json"))
    args = ap.parse_args()
    from ingest.eval import evaluate
    from ingest.pipeline import Extractor, build_nlp

    extractor = Extractor(build_nlp())
    results = {}
    for name in SETS:
        with tempfile.TemporaryDirectory() as tmp:
            passages = _as_gold_dir(ROOT / name, Path(tmp))
            report = evaluate(tmp, extractor).to_dict()
        rel = report["relations"]
        results[name] = {
            "passages": len(passages),
            "relations": {k: rel[k] for k in ("precision", "recall", "f1")},
            "per_predicate_f1": {p: v["f1"] for p, v in rel["per_predicate"].items()},
            "entities": {k: report["entities"][k] for k in ("precision", "recall", "f1")},
            "ended": report["time"]["ended"],
            **_sides_found(extractor, passages),
            "where_relations_are_lost": _candidate_coverage(passages),
        }
        print(name, json.dumps(results[name]["relations"]))
    Path(args.out).write_text(json.dumps({"date": date.today().isoformat(), "sets": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
