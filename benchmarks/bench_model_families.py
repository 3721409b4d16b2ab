"""Compare model families for the trained relation classifier on the development sets (issue 14).

Usage: python benchmarks/bench_model_families.py [--knowledgenet PATH] [--cache DIR]
                                                 [--only NAME ...] [--out benchmarks/results/model_families.json]

Every family learns from the same labelled candidates ``aikg train`` learns from (training/corpus
plus KnowledgeNet folds 1-2 when the file is there) and goes through the same calibration step
(``ingest.relations.train.calibrate_scores``: the two sigmoids and the emission threshold, 0.5 or
the lowest above it with document-level precision >= 0.8) on the development sets only: ``tests/gold`` and
the odd halves of ``tests/gold_blind`` and ``tests/gold_long``. The held-out sets are never read.

Parsing the corpus with the pipeline is most of the time, so the labelled candidates are built
once and kept in ``--cache`` (pickles; default ``$TMPDIR/aikg-model-families``); delete it after
the corpus or the features change. The results file holds scores, times and sizes only.
The tree configurations need LightGBM (``pip install 'aikg[train-trees]'``); ``--only NAME ...`` runs some.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = ("tests/gold", "tests/gold_blind:odd", "tests/gold_long:odd")


def _dev_files() -> list[Path]:
    from ingest.eval import _gold_files

    out = []
    for spec in DEV:
        d, _, subset = spec.partition(":")
        out += _gold_files(str(ROOT / d), subset or None)
    return out


def load_data(cache: Path, knowledgenet: Path | None):
    """Return ``(training data, calibration data)``, parsed once and cached."""
    from ingest.entities import load_gazetteer
    from ingest.pipeline import RULES_ONLY, build_nlp
    from ingest.relations import load_lexicon
    from ingest.relations.dataset import build, read_gold_records
    from ingest.relations.features import Featurizer
    from ingest.relations.train import KNOWLEDGENET_PREDICATES, corpus_files

    cache.mkdir(parents=True, exist_ok=True)
    f_train, f_cal = cache / "train.pkl", cache / "calibration.pkl"
    if f_train.exists() and f_cal.exists():
        return pickle.loads(f_train.read_bytes()), pickle.loads(f_cal.read_bytes())
    nlp = build_nlp(relation_model=RULES_ONLY)
    gaz = load_gazetteer()
    featurizer = Featurizer(load_lexicon())
    data = build(read_gold_records(corpus_files([ROOT / "training/corpus"])), nlp, gaz, featurizer, group="corpus")
    if knowledgenet:
        from ingest.knowledgenet import load_passages

        data.extend(
            build(
                load_passages(knowledgenet, {1, 2}),
                nlp,
                gaz,
                featurizer,
                group="knowledgenet",
                partial=KNOWLEDGENET_PREDICATES,
            )
        )
    cal = build(read_gold_records(_dev_files()), nlp, gaz, featurizer, group="calibration")
    f_train.write_bytes(pickle.dumps(data))
    f_cal.write_bytes(pickle.dumps(cal))
    return data, cal


def families() -> dict[str, dict]:
    """The configurations compared: name -> keyword arguments of ``train.fit_family``."""
    return {
        "lr-c1": {"family": "lr", "c": 1.0},
        "lr-c0.3": {"family": "lr", "c": 0.3},
        "lr-c3": {"family": "lr", "c": 3.0},
        "lr-c1-balanced": {"family": "lr", "c": 1.0, "class_weight": "balanced"},
        "gbdt-200": {"family": "gbdt", "rounds": 200},
        "gbdt-400-31leaves": {"family": "gbdt", "rounds": 400, "params": {"num_leaves": 31, "max_depth": 10}},
    }


def main(argv: list[str] | None = None) -> int:
    from ingest.relations.train import calibrate_scores, fit_family, raw_scores

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--knowledgenet", type=Path, default=None)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "aikg-model-families")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/model_families.json")
    args = ap.parse_args(argv)
    kn = args.knowledgenet
    if kn is None:
        from benchmarks.bench_knowledgenet import find_dataset

        kn = find_dataset()
    t0 = time.monotonic()
    data, cal = load_data(args.cache, kn if kn and kn.is_file() else None)
    print(
        f"data: {len(data.examples)} training candidates, {len(cal.examples)} calibration ({time.monotonic() - t0:.0f} s)"
    )
    results = json.loads(args.out.read_text()) if args.out.exists() else {"families": {}}
    for name, kw in families().items():
        if args.only and name not in args.only:
            continue
        t = time.monotonic()
        model = fit_family(data, **kw)
        secs = time.monotonic() - t
        with tempfile.TemporaryDirectory() as d:
            model.save(d)
            size = sum(f.stat().st_size for f in Path(d).iterdir())
        _, _, tau, s = calibrate_scores(raw_scores(model, cal), cal)
        p, r, f = s["micro"]
        results["families"][name] = {
            **kw,
            "threshold": tau,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "fit_seconds": round(secs, 1),
            "artifact_bytes": size,
        }
        print(f"{name}: P {p:.4f} R {r:.4f} F1 {f:.4f} at {tau}; fit {secs:.0f} s; {size / 1e6:.1f} MB", flush=True)
    results.update(
        {
            "dev_sets": list(DEV),
            "knowledgenet": bool(kn and kn.is_file()),
            "training_candidates": len(data.examples),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
    )
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    np.seterr(over="ignore")
    sys.exit(main())
