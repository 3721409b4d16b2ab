"""Pairs across sentences scored by a model of their own (issue 14; development sets only)

training/README.md ("Recall") tried candidates across adjacent sentences
(``candidates(..., cross_sentence=True)``) with one model for all pairs: the classifier's
own figure rose, the extractor's fell, most likely because retraining on the new pairs
moved the within-sentence scores. This keeps the shipped model for every pair within a
sentence, untouched, and scores the pairs across sentences with a second logistic
regression (same features, same fit) learnt from those pairs only, with its own
calibration and threshold on the calibration (development) documents
(``ingest.relations.train.calibrate_scores`` over its pairs). A pair across sentences is
emitted when its own calibrated probability reaches its own threshold.

It then runs the real extractor (``aikg eval``'s code) over the development sets, once as
shipped and once with the cross-sentence pairs, for that threshold and a stricter one.
The held-out sets are never read. The labelled candidates (with the cross pairs) are built
once into ``--cache``.

Usage: python benchmarks/bench_cross_model.py [--cache DIR] [--out benchmarks/results/cross_model.json]
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DEV = (("tests/gold", None), ("tests/gold_blind", "odd"), ("tests/gold_long", "odd"))


def _is_cross(features: list[str]) -> bool:
    return any(f.startswith("xorder=") for f in features)


def _cross_on(on: bool) -> None:
    from ingest.relations import candidates as C
    from ingest.relations import dataset as D
    from ingest.relations import decision as Dec

    f = functools.partial(C.candidates, cross_sentence=True) if on else C.candidates
    D.candidates = f
    Dec.candidates = f


def fit_cross(data, cal):
    """Fit and calibrate the model of the pairs across sentences; return it."""
    from ingest.relations.model import Calibration, RelationModel
    from ingest.relations.train import calibrate_scores, fit, raw_scores

    dx = copy.copy(data)
    dx.examples = [e for e in data.examples if _is_cross(e.features)]
    weights = fit(dx, c=1.0, seed=0)
    model = RelationModel(weights, 18, Calibration(), 0.5)
    scored = [x for x in raw_scores(model, cal) if _is_cross(cal.examples[x[0]].features)]
    sup, unsup, tau, s = calibrate_scores(scored, cal)
    return RelationModel(weights, 18, sup, tau, unsupported=unsup), len(dx.examples), len(scored), s


def _patch(cross_model, tau_x: float) -> None:
    from ingest.relations.model import RelationModel

    plain = RelationModel.batch_probabilities

    def batch_probabilities(self, feature_lists):
        out = plain(self, feature_lists)
        if self is cross_model:
            return out
        idx = [i for i, f in enumerate(feature_lists) if _is_cross(f)]
        if idx:
            # the decision compares with the shipped threshold: map the cross model's
            # own threshold onto it (monotone), so a pair passes at tau_x
            px = plain(cross_model, [feature_lists[i] for i in idx])
            out[idx] = np.minimum(px * (self.threshold / tau_x), 1.0)
        return out

    RelationModel.batch_probabilities = batch_probabilities


def dev_scores() -> dict:
    from ingest.eval import evaluate, prf
    from ingest.pipeline import Extractor

    ex = Extractor()
    tot: Counter = Counter()
    for d, subset in DEV:
        rep = evaluate(ROOT / d, ex, subset=subset)
        for c in rep.relation_counts.values():
            tot.update(c)
    p, r, f = prf(tot["tp"], tot["fp"], tot["fn"])
    return {
        "tp": tot["tp"],
        "fp": tot["fp"],
        "fn": tot["fn"],
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
    }


def main(argv: list[str] | None = None) -> int:
    import bench_model_families
    from bench_knowledgenet import find_dataset

    from ingest.relations.model import RelationModel

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "aikg-cross-model")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/cross_model.json")
    args = ap.parse_args(argv)
    results: dict = {}
    t = time.monotonic()
    results["shipped"] = dev_scores()
    print("shipped:", results["shipped"], f"({time.monotonic() - t:.0f} s)", flush=True)
    _cross_on(True)
    kn = find_dataset()
    data, cal = bench_model_families.load_data(args.cache, kn if kn and kn.is_file() else None)
    model, n_train, n_cal, s = fit_cross(data, cal)
    results["cross_model"] = {
        "training_pairs": n_train,
        "calibration_pairs": n_cal,
        "threshold": model.threshold,
        "classifier_view_on_cross_pairs": [round(x, 4) for x in s["micro"]],
    }
    print("cross model:", results["cross_model"], flush=True)
    plain = RelationModel.batch_probabilities
    for tau_x in sorted({model.threshold, min(round(model.threshold + 0.15, 2), 0.95)}):
        RelationModel.batch_probabilities = plain
        _patch(model, tau_x)
        t = time.monotonic()
        results[f"with cross pairs at {tau_x}"] = dev_scores()
        print(
            f"with cross pairs at {tau_x}:",
            results[f"with cross pairs at {tau_x}"],
            f"({time.monotonic() - t:.0f} s)",
            flush=True,
        )
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    np.seterr(over="ignore")
    sys.exit(main())
