"""How much would more training data give the relation classifier? (issue 14; development sets only)

Two measurements over the labelled candidates ``aikg train`` builds (the corpus plus
KnowledgeNet folds 1-2; cached as in bench_model_families.py), each fitted as the shipped
model is (per-predicate logistic regression, liblinear, C=1, seed 0) and calibrated as
``aikg train`` calibrates (``calibrate_scores`` on ``tests/gold`` and the odd halves of
``tests/gold_blind``/``tests/gold_long``); the held-out sets are never read.

- ``--curve``: learn from a share of the training documents (a seeded draw), to see how
  F1 grows with the corpus.
- ``--crossfit K``: also learn from the development documents themselves, news-like text
  unlike the corpus's short passages: split them into K folds by document; for each fold
  learn from the corpus plus the other folds and score that fold; calibrate over all the
  out-of-fold scores. Better than the shipped figure would mean in-domain passages are
  worth more than the corpus's.

Usage: python benchmarks/bench_training_data.py [--curve 0.5 ...] [--crossfit 4] [--cache DIR]
       [--out benchmarks/results/training_data.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BITS = 18


def _matrix(examples):
    from scipy.sparse import csr_matrix

    from ingest.relations.model import hash_features

    indptr, indices = [0], []
    for e in examples:
        indices += hash_features(e.features, BITS)
        indptr.append(len(indices))
    return csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(examples), 1 << BITS),
    )


def _fit(examples, p: str):
    from sklearn.linear_model import LogisticRegression

    y = np.array([p in e.labels for e in examples], dtype=np.int8)
    m = LogisticRegression(C=1.0, solver="liblinear", max_iter=5000, random_state=0)
    m.fit(_matrix(examples), y)
    return m


def _calibrated(scored, cal) -> dict:
    from ingest.relations.train import calibrate_scores

    _, _, tau, s = calibrate_scores(scored, cal)
    p, r, f = s["micro"]
    return {"threshold": tau, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def curve(data, cal, share: float) -> dict:
    """Learn from ``share`` of the training documents; score the development sets."""
    from ingest.relations.dataset import predicate_rows
    from kg.model import PREDICATES

    docs = set(np.random.default_rng(0).permutation(len(data.gold))[: int(share * len(data.gold))].tolist())
    scored = []
    for p in PREDICATES:
        m = _fit([data.examples[i] for i in predicate_rows(data, p) if data.examples[i].doc in docs], p)
        rows = [i for i, e in enumerate(cal.examples) if p in e.predicates]
        if rows:
            scored += [
                (i, p, float(s)) for i, s in zip(rows, m.decision_function(_matrix([cal.examples[i] for i in rows])))
            ]
    return _calibrated(scored, cal)


def crossfit(data, cal, k: int) -> dict:
    """Learn from the corpus plus k-1 folds of the development documents; score the k-th."""
    from ingest.relations.dataset import predicate_rows
    from kg.model import PREDICATES

    scored = []
    for fold in range(k):
        for p in PREDICATES:
            train = [data.examples[i] for i in predicate_rows(data, p)]
            train += [e for e in cal.examples if p in e.predicates and e.doc % k != fold]
            m = _fit(train, p)
            rows = [i for i, e in enumerate(cal.examples) if p in e.predicates and e.doc % k == fold]
            if rows:
                raw = m.decision_function(_matrix([cal.examples[i] for i in rows]))
                scored += [(i, p, float(s)) for i, s in zip(rows, raw)]
    return _calibrated(scored, cal)


def main(argv: list[str] | None = None) -> int:
    import bench_model_families
    from bench_knowledgenet import find_dataset

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--curve", nargs="*", type=float, default=[])
    ap.add_argument("--crossfit", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "aikg-model-families")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/training_data.json")
    args = ap.parse_args(argv)
    kn = find_dataset()
    data, cal = bench_model_families.load_data(args.cache, kn if kn and kn.is_file() else None)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    for share in args.curve:
        results[f"share {share}"] = r = curve(data, cal, share)
        print(f"share {share}: {r}", flush=True)
    if args.crossfit:
        results[f"crossfit {args.crossfit}"] = r = crossfit(data, cal, args.crossfit)
        print(f"crossfit {args.crossfit}: {r}", flush=True)
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    np.seterr(over="ignore")
    sys.exit(main())
