"""Does the pipeline's own tok2vec help the relation classifier? (issue 14; development sets only)

The shipped classifier sees hashed string features only. This adds, for each candidate
pair, the vectors the pipeline already computes (``doc.tensor``, 96 values a token from
en_core_web_sm's tok2vec) as real-valued columns beside the hashed ones:

- ``A``/``B``: the two sides' head tokens;
- ``P``: the top word of the dependency path between them;
- ``M``: the mean over the tokens between them.

It fits the same per-predicate logistic regression (liblinear, C, seed 0) and calibrates
it as ``aikg train`` does (``ingest.relations.train.calibrate_scores`` on ``tests/gold``
and the odd halves of ``tests/gold_blind``/``tests/gold_long``), once without the vectors
(the shipped model's figure) and once for each configuration. The held-out sets are never
read. The labelled candidates, with the vectors, are built once into ``--cache`` (a few
minutes); each fit takes 5-12 minutes on one busy core.

Usage: python benchmarks/bench_tok2vec_features.py [--cache DIR] [--only NAME ...]
       [--out benchmarks/results/tok2vec_features.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BITS = 18
SIDES = "ABPM"
CONFIGS = {
    "hashed only (shipped)": {"keep": "", "scale": 1.0},
    "+ A B P M": {"keep": "ABPM", "scale": 1.0},
    "+ P M": {"keep": "PM", "scale": 1.0},
    "+ P M, scaled 0.3": {"keep": "PM", "scale": 0.3},
}


def _with_vectors() -> None:
    """Make the featurizer append ``@<side><dim>=<value>`` for the four vectors."""
    from ingest.relations import features as F

    plain = F.Featurizer._features

    def featurize(self, doc, mentions, c, *rest):
        f = plain(self, doc, mentions, c, *rest)
        t = doc.tensor
        if t is None or not len(t):
            return f
        lo, hi = sorted((c.ha, c.hb))
        path = F.dep_path(doc, c.ha, c.hb)
        vecs = {"A": t[c.ha], "B": t[c.hb]}
        if path is not None:
            vecs["P"] = t[path[1].i]
        if hi - lo > 1:
            vecs["M"] = t[lo + 1 : hi].mean(axis=0)
        for k, v in vecs.items():
            f.extend(f"@{k}{d}={x:.4f}" for d, x in enumerate(v))
        return f

    F.Featurizer._features = featurize


def _matrix(examples, keep: str, scale: float):
    from scipy.sparse import csr_matrix

    from ingest.relations.model import hash_features

    dense = {f"{k}{i}": n for n, (k, i) in enumerate((k, i) for k in SIDES for i in range(96))}
    indptr, indices, values = [0], [], []
    for e in examples:
        plain = [f for f in e.features if f[0] != "@"]
        h = hash_features(plain, BITS)
        indices += h
        values += [1.0] * len(h)
        for f in e.features:
            if f[0] == "@" and f[1] in keep:
                name, value = f[1:].split("=")
                indices.append((1 << BITS) + dense[name])
                values.append(float(value) * scale)
        indptr.append(len(indices))
    return csr_matrix(
        (np.array(values), np.array(indices), np.array(indptr)), shape=(len(examples), (1 << BITS) + len(dense))
    )


def score(data, cal, keep: str, scale: float) -> tuple[float, dict]:
    """Fit and calibrate one configuration; return ``(threshold, scores)``."""
    from sklearn.linear_model import LogisticRegression

    from ingest.relations.dataset import predicate_rows
    from ingest.relations.train import calibrate_scores
    from kg.model import PREDICATES

    scored = []
    for p in PREDICATES:
        rows = predicate_rows(data, p)
        y = np.array([p in data.examples[i].labels for i in rows], dtype=np.int8)
        m = LogisticRegression(C=1.0, solver="liblinear", max_iter=5000, random_state=0)
        m.fit(_matrix([data.examples[i] for i in rows], keep, scale), y)
        crow = [i for i, e in enumerate(cal.examples) if p in e.predicates]
        if crow:
            raw = m.decision_function(_matrix([cal.examples[i] for i in crow], keep, scale))
            scored += [(i, p, float(s)) for i, s in zip(crow, raw)]
    _, _, tau, s = calibrate_scores(scored, cal)
    return tau, s


def main(argv: list[str] | None = None) -> int:
    import bench_model_families
    from bench_knowledgenet import find_dataset

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "aikg-tok2vec-features")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/tok2vec_features.json")
    args = ap.parse_args(argv)
    _with_vectors()
    kn = find_dataset()
    data, cal = bench_model_families.load_data(args.cache, kn if kn and kn.is_file() else None)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    for name, kw in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        t = time.monotonic()
        tau, s = score(data, cal, **kw)
        p, r, f = s["micro"]
        results[name] = {**kw, "threshold": tau, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        print(f"{name}: P {p:.4f} R {r:.4f} F1 {f:.4f} at {tau} ({time.monotonic() - t:.0f} s)", flush=True)
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    np.seterr(over="ignore")
    sys.exit(main())
