"""A spaCy/thinc relation scorer with its own fine-tuned tok2vec (issue 14; development sets only).

The shipped classifier is a logistic regression per predicate over hashed feature records;
frozen token vectors (``bench_tok2vec_features.py``) and a frozen sentence encoder
(``bench_encoder_features.py``) added nothing to it. This is the remaining lever of that
kind: a trainable component whose token vectors are learnt on our candidates.

For each candidate pair, the sentence goes through the component's own tok2vec (thinc:
``MultiHashEmbed`` over NORM/PREFIX/SUFFIX/SHAPE plus ``MaxoutWindowEncoder``, fresh
weights, fine-tuned end to end; the shape of spaCy's relation-extraction tutorial
component), the token vectors of side A, side B and the words between are mean-pooled
(with the two sides' entity types as one-hot columns), and a hidden Maxout layer and a
linear layer give 13 logits, one per predicate, trained as independent sigmoids (several
predicates a pair) with the predicates the pair's types do not fit, and for KnowledgeNet
documents those it is not annotated for, masked out of the loss.

Everything else is the harness's (``bench_model_families.py``): the same labelled
candidates (training/corpus plus KnowledgeNet folds 1-2 when the file is there), the same
calibration (``ingest.relations.train.calibrate_scores`` over the raw logits) on the
development sets only (``tests/gold`` and the odd halves of ``tests/gold_blind`` and
``tests/gold_long``). The held-out sets are never read.

Configurations (``--only NAME ...``):

- ``component-*``: the component alone, its logits as the raw scores;
- ``stacked-*``: the shipped logistic regression with the component's per-predicate
  probability as extra columns, cross-fitted: on the training corpus each document's
  column comes from a component trained on the other folds; on the development sets from
  the component trained on all the training data.

Speed: the component's time per 1,000 candidates (tok2vec over their sentences, pooling
and the layers) against ``nlp.pipe`` of the extraction pipeline over the same sentences.

Determinism: the same seed and data give the same weights (``weights_sha256`` in the results).

Usage: python benchmarks/bench_rel_component.py [--cache DIR] [--only NAME ...] [--threads N]
       [--epochs N] [--seed N] [--folds K] [--speed-only] [--out benchmarks/results/rel_component.json]

``--only`` names a configuration of ``CONFIGS``, ``stacked-`` + one, or ``lr-c1 (shipped)``.
Results are named by epochs (and seed when not 0): ``component-w96-d4-e4``. The labelled
candidates are parsed once into ``--cache`` (about 2 minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import platform
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


@dataclass
class Spans:
    """Token-level view of a dataset's candidates, aligned with ``Dataset.examples``.

    ``sents[k]`` is the words of one sentence; ``rows[i]`` is, for example ``i``,
    ``(sentence, a_start, a_end, b_start, b_end)`` with offsets inside that sentence;
    ``types[i]`` the two sides' entity types.
    """

    sents: list[tuple[str, ...]] = field(default_factory=list)
    rows: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    types: list[tuple[str, str]] = field(default_factory=list)


class _Recording:
    """Wrap a featurizer so each feature list can be traced back to its candidate and sentence."""

    def __init__(self, featurizer, spans: Spans):
        self.inner = featurizer
        self.spans = spans
        self.by_id: dict[int, tuple] = {}
        self._sent: dict[tuple[int, int], int] = {}
        self._doc = 0

    def doc_features(self, doc, mentions, cands, rule_hits):
        feats = self.inner.doc_features(doc, mentions, cands, rule_hits)
        self._doc += 1
        for c, f in zip(cands, feats):
            assert not c.cross
            key = (self._doc, c.sent_start)
            if key not in self._sent:
                self._sent[key] = len(self.spans.sents)
                self.spans.sents.append(tuple(t.text for t in doc[c.sent_start : c.sent_end]))

            def side(h, m):
                # the mention's tokens, cut to the sentence (a name can run over a bad split)
                if m["s"] <= h < m["e"] and not m.get("virtual"):
                    return max(m["s"], c.sent_start) - c.sent_start, min(m["e"], c.sent_end) - c.sent_start
                return h - c.sent_start, h - c.sent_start + 1

            ma, mb = mentions[c.a], mentions[c.b]
            self.by_id[id(f)] = (self._sent[key], *side(c.ha, ma), *side(c.hb, mb), ma["type"], mb["type"])
        return feats

    def collect(self, data) -> None:
        """Append one row per example of ``data`` (built through this wrapper), in order."""
        for e in data.examples:
            s, a0, a1, b0, b1, ta, tb = self.by_id[id(e.features)]
            self.spans.rows.append((s, a0, a1, b0, b1))
            self.spans.types.append((ta, tb))


def load_data(cache: Path, knowledgenet: Path | None):
    """Return ``(train, calibration, train spans, calibration spans)``, parsed once and cached.

    ``train.pkl`` / ``calibration.pkl`` are in ``bench_model_families.py``'s cache format.
    """
    from bench_model_families import _dev_files

    from ingest.entities import load_gazetteer
    from ingest.pipeline import RULES_ONLY, build_nlp
    from ingest.relations import load_lexicon
    from ingest.relations.dataset import build, read_gold_records
    from ingest.relations.features import Featurizer
    from ingest.relations.train import KNOWLEDGENET_PREDICATES, corpus_files

    cache.mkdir(parents=True, exist_ok=True)
    names = ("train.pkl", "calibration.pkl", "train_spans.pkl", "calibration_spans.pkl")
    if all((cache / n).exists() for n in names):
        return tuple(pickle.loads((cache / n).read_bytes()) for n in names)  # type: ignore[return-value]
    nlp = build_nlp(relation_model=RULES_ONLY)
    gaz = load_gazetteer()
    plain = Featurizer(load_lexicon())
    s_train, s_cal = Spans(), Spans()
    rec = _Recording(plain, s_train)
    data = build(read_gold_records(corpus_files([ROOT / "training/corpus"])), nlp, gaz, rec, group="corpus")
    rec.collect(data)
    if knowledgenet:
        from ingest.knowledgenet import load_passages

        rec.by_id.clear()
        kn = build(
            load_passages(knowledgenet, {1, 2}), nlp, gaz, rec, group="knowledgenet", partial=KNOWLEDGENET_PREDICATES
        )
        rec.collect(kn)
        data.extend(kn)
    rec_cal = _Recording(plain, s_cal)
    cal = build(read_gold_records(_dev_files()), nlp, gaz, rec_cal, group="calibration")
    rec_cal.collect(cal)
    out = (data, cal, s_train, s_cal)
    for n, obj in zip(names, out):
        (cache / n).write_bytes(pickle.dumps(obj))
    return out


CONFIGS: dict[str, dict] = {
    "component-w96-d4": {"width": 96, "depth": 4, "mask_names": False},
    "component-w96-d2": {"width": 96, "depth": 2, "mask_names": False},
    "component-w96-d4-masked": {"width": 96, "depth": 4, "mask_names": True},
    "component-sm-init": {"width": 96, "depth": 4, "mask_names": False, "init": "sm"},
    "component-sm-init-masked": {"width": 96, "depth": 4, "mask_names": True, "init": "sm"},
    "component-sm-frozen-d2": {"width": 96, "depth": 2, "mask_names": False, "init": "frozen-sm"},
}
EPOCHS = 4
BATCH_SENTS = 64


def _setup(threads: int, seed: int = 0) -> None:
    from thinc.api import fix_random_seed

    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(threads)
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        pass
    fix_random_seed(seed)


class Component:
    """The relation scorer: own tok2vec, pooled side A / side B / between, Maxout, 13 logits."""

    def __init__(
        self, type_names: list[str], *, width: int = 96, depth: int = 4, mask_names: bool = False, init: str = ""
    ):
        import spacy
        from spacy.ml.models.tok2vec import MaxoutWindowEncoder, MultiHashEmbed, build_Tok2Vec_model
        from thinc.api import Linear, Maxout, chain

        from kg.model import PREDICATES

        self.width = width
        self.mask_names = mask_names
        self.types = {t: k for k, t in enumerate(type_names)}
        self.extra = 2 * len(type_names) + 1
        self.pretrained = init in ("sm", "frozen-sm")
        self.frozen = None
        self._tensors: dict[tuple[int, int], np.ndarray] = {}
        if init == "frozen-sm":
            # the pipeline's own token vectors (doc.tensor, computed at run time anyway),
            # frozen, with a trainable window encoder of ``depth`` layers on top
            from ingest.pipeline import MODEL_NAME

            nlp = spacy.load(MODEL_NAME, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
            self.vocab = nlp.vocab
            self.frozen = nlp.get_pipe("tok2vec").model
            self.tok2vec = MaxoutWindowEncoder(width=width, window_size=1, maxout_pieces=3, depth=depth)
            self.pretrained = False
        elif self.pretrained:
            # en_core_web_sm's own tok2vec (width 96, depth 4), copied and then updated
            from ingest.pipeline import MODEL_NAME

            nlp = spacy.load(MODEL_NAME, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
            self.vocab = nlp.vocab
            self.tok2vec = nlp.get_pipe("tok2vec").model
            assert width == self.tok2vec.get_dim("nO")
        else:
            self.vocab = spacy.blank("en").vocab
            self.tok2vec = build_Tok2Vec_model(
                MultiHashEmbed(
                    width=width,
                    attrs=["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                    rows=[5000, 1000, 2500, 2500],
                    include_static_vectors=False,
                ),
                MaxoutWindowEncoder(width=width, window_size=1, maxout_pieces=3, depth=depth),
            )
        self.head = chain(Maxout(nO=128, nP=3, dropout=0.1, normalize=True), Linear(nO=len(PREDICATES)))
        self.n_out = len(PREDICATES)
        self._initialized = False

    def docs(self, spans: Spans, sent_ids: list[int], rows_by_sent: dict[int, list[int]]):
        from spacy.tokens import Doc

        if self.frozen is not None:
            return self.tensors(spans, sent_ids)
        out = []
        for s in sent_ids:
            words = list(spans.sents[s])
            if self.mask_names:
                for i in rows_by_sent[s]:
                    _, a0, a1, b0, b1 = spans.rows[i]
                    ta, tb = spans.types[i]
                    for lo, hi, t in ((a0, a1, ta), (b0, b1, tb)):
                        for k in range(lo, hi):
                            words[k] = "Ent" + t.lower()
            out.append(Doc(self.vocab, words=words))
        return out

    def tensors(self, spans: Spans, sent_ids: list[int]) -> list[np.ndarray]:
        """The frozen pipeline vectors of these sentences (computed once; at run time they are ``doc.tensor``)."""
        from spacy.tokens import Doc

        todo = [s for s in sent_ids if (id(spans), s) not in self._tensors]
        if todo:
            assert self.frozen is not None
            vecs = self.frozen.predict([Doc(self.vocab, words=list(spans.sents[s])) for s in todo])
            for s, v in zip(todo, vecs):
                self._tensors[(id(spans), s)] = v
        return [self._tensors[(id(spans), s)] for s in sent_ids]

    def _instances(self, spans: Spans, tokvecs, sent_ids, rows_by_sent):
        """Return ``(X, row indices, pooling plan)`` for the rows of these sentences."""
        rows, plan, xs = [], [], []
        for k, s in enumerate(sent_ids):
            tv = tokvecs[k]
            for i in rows_by_sent[s]:
                _, a0, a1, b0, b1 = spans.rows[i]
                lo, hi = (a1, b0) if a0 < b0 else (b1, a0)
                parts = [(a0, a1), (b0, b1), (lo, hi)]
                vec = np.zeros(3 * self.width + self.extra, dtype="float32")
                for j, (x0, x1) in enumerate(parts):
                    if x1 > x0:
                        vec[j * self.width : (j + 1) * self.width] = tv[x0:x1].mean(axis=0)
                ta, tb = spans.types[i]
                base = 3 * self.width
                vec[base + self.types.get(ta, 0)] = 1.0
                vec[base + len(self.types) + self.types.get(tb, 0)] = 1.0
                vec[-1] = 1.0 if a0 < b0 else -1.0
                xs.append(vec)
                rows.append(i)
                plan.append((k, parts))
        return np.stack(xs) if xs else np.zeros((0, 3 * self.width + self.extra), "float32"), rows, plan

    def _backprop_pool(self, dX, plan, tokvecs):
        grads = [np.zeros_like(tv) for tv in tokvecs]
        for n, (k, parts) in enumerate(plan):
            for j, (x0, x1) in enumerate(parts):
                if x1 > x0:
                    grads[k][x0:x1] += dX[n, j * self.width : (j + 1) * self.width] / (x1 - x0)
        return grads

    def fit(self, data, spans: Spans, rows: list[int], *, epochs: int = EPOCHS, seed: int = 0, log=print) -> None:
        """Train on ``rows`` of ``data`` (examples), masking predicates outside each row's signature."""
        from thinc.api import Adam

        from kg.model import PREDICATES

        index = {p: k for k, p in enumerate(PREDICATES)}
        y = np.zeros((len(data.examples), self.n_out), dtype="float32")
        m = np.zeros_like(y)
        for i in rows:
            e = data.examples[i]
            for p in e.trained if e.trained is not None else e.predicates:
                m[i, index[p]] = 1.0
                y[i, index[p]] = 1.0 if p in e.labels else 0.0
        by_sent: dict[int, list[int]] = {}
        for i in rows:
            by_sent.setdefault(spans.rows[i][0], []).append(i)
        sent_ids = sorted(by_sent)
        rng = np.random.RandomState(seed)
        opt = Adam(0.001)
        if not self._initialized:
            first = sent_ids[:8]
            docs = self.docs(spans, first, by_sent)
            if not self.pretrained:
                self.tok2vec.initialize(X=docs)
            tv = self.tok2vec.predict(docs)
            x, r, _ = self._instances(spans, tv, first, by_sent)
            self.head.initialize(X=x, Y=y[r])
            self._initialized = True
        for epoch in range(epochs):
            t = time.monotonic()
            order = [sent_ids[k] for k in rng.permutation(len(sent_ids))]
            loss = 0.0
            for b in range(0, len(order), BATCH_SENTS):
                batch = order[b : b + BATCH_SENTS]
                docs = self.docs(spans, batch, by_sent)
                tokvecs, bp_tok = self.tok2vec.begin_update(docs)
                x, r, plan = self._instances(spans, tokvecs, batch, by_sent)
                logits, bp_head = self.head.begin_update(x)
                prob = 1.0 / (1.0 + np.exp(-logits))
                mask = m[r]
                d = (prob - y[r]) * mask / max(1.0, float(mask.sum()))
                loss += float(-(mask * (y[r] * np.log(prob + 1e-7) + (1 - y[r]) * np.log(1 - prob + 1e-7))).sum())
                dx = bp_head(d.astype("float32"))
                bp_tok(self._backprop_pool(dx, plan, tokvecs))
                self.tok2vec.finish_update(opt)
                self.head.finish_update(opt)
                opt.step_schedules()
            log(f"  epoch {epoch + 1}: loss {loss / max(1.0, m.sum()):.4f} ({time.monotonic() - t:.0f} s)")

    def logits(self, spans: Spans, rows: list[int]) -> np.ndarray:
        """Return the logits (rows x 13) of the given examples, in ``rows`` order."""
        by_sent: dict[int, list[int]] = {}
        for i in rows:
            by_sent.setdefault(spans.rows[i][0], []).append(i)
        out = np.zeros((len(spans.rows), self.n_out), dtype="float32")
        sent_ids = sorted(by_sent)
        for b in range(0, len(sent_ids), BATCH_SENTS):
            batch = sent_ids[b : b + BATCH_SENTS]
            docs = self.docs(spans, batch, by_sent)
            tokvecs = self.tok2vec.predict(docs)
            x, r = self._fast_instances(spans, tokvecs, batch, by_sent)
            out[r] = self.head.predict(x)
        return out[rows]

    def _fast_instances(self, spans: Spans, tokvecs, sent_ids, rows_by_sent):
        """:meth:`_instances` without a Python loop per candidate (prefix sums; inference only)."""
        w = self.width
        lens = np.array([len(tv) for tv in tokvecs])
        offs = np.concatenate([[0], np.cumsum(lens)])
        cs = np.concatenate([np.zeros((1, w)), np.cumsum(np.concatenate(tokvecs).astype("float64"), axis=0)])
        rows = [i for s in sent_ids for i in rows_by_sent[s]]
        k = np.repeat(np.arange(len(sent_ids)), [len(rows_by_sent[s]) for s in sent_ids])
        sp = np.array([spans.rows[i] for i in rows]).reshape(-1, 5)
        a0, a1, b0, b1 = sp[:, 1], sp[:, 2], sp[:, 3], sp[:, 4]
        fwd = a0 < b0
        lo, hi = np.where(fwd, a1, b1), np.where(fwd, b0, a0)
        x = np.zeros((len(rows), 3 * w + self.extra), dtype="float32")
        for j, (x0, x1) in enumerate(((a0, a1), (b0, b1), (lo, hi))):
            n = np.maximum(x1 - x0, 0)
            x1 = x0 + n
            x[:, j * w : (j + 1) * w] = (cs[offs[k] + x1] - cs[offs[k] + x0]) / np.maximum(n, 1)[:, None]
        nt = len(self.types)
        ta = [self.types.get(spans.types[i][0], 0) for i in rows]
        tb = [self.types.get(spans.types[i][1], 0) for i in rows]
        x[np.arange(len(rows)), 3 * w + np.array(ta, dtype=int)] = 1.0
        x[np.arange(len(rows)), 3 * w + nt + np.array(tb, dtype=int)] = 1.0
        x[:, -1] = np.where(fwd, 1.0, -1.0)
        return x, rows

    def to_bytes(self) -> bytes:
        return self.tok2vec.to_bytes() + self.head.to_bytes()


def _types(spans: Spans) -> list[str]:
    return sorted({t for pair in spans.types for t in pair})


def _calibrated(cal, table: np.ndarray) -> tuple[float, dict]:
    from ingest.relations.train import calibrate_scores
    from kg.model import PREDICATES

    index = {p: k for k, p in enumerate(PREDICATES)}
    scored = [(i, p, float(table[i, index[p]])) for i, e in enumerate(cal.examples) for p in e.predicates]
    _, _, tau, s = calibrate_scores(scored, cal)
    return tau, s


def _stacked_matrix(examples, probs: np.ndarray, bits: int, scale: float):
    from scipy.sparse import csr_matrix

    from ingest.relations.model import hash_features

    n_extra = probs.shape[1]
    indptr, indices, values = [0], [], []
    for e, pr in zip(examples, probs):
        h = hash_features(e.features, bits)
        indices += h
        values += [1.0] * len(h)
        indices += [(1 << bits) + k for k in range(n_extra)]
        values += [float(v) * scale for v in pr]
        indptr.append(len(indices))
    return csr_matrix(
        (np.array(values), np.array(indices), np.array(indptr)), shape=(len(examples), (1 << bits) + n_extra)
    )


def stacked(data, cal, train_probs: np.ndarray, cal_probs: np.ndarray, scale: float = 1.0) -> tuple[float, dict]:
    """The shipped LR (C=1, liblinear, seed 0) with the component's 13 probabilities as extra columns."""
    from sklearn.linear_model import LogisticRegression

    from ingest.relations.dataset import predicate_rows
    from ingest.relations.model import DEFAULT_BITS
    from ingest.relations.train import calibrate_scores
    from kg.model import PREDICATES

    scored = []
    for p in PREDICATES:
        rows = predicate_rows(data, p)
        y = np.array([p in data.examples[i].labels for i in rows], dtype=np.int8)
        m = LogisticRegression(C=1.0, solver="liblinear", max_iter=5000, random_state=0)
        m.fit(_stacked_matrix([data.examples[i] for i in rows], train_probs[rows], DEFAULT_BITS, scale), y)
        crow = [i for i, e in enumerate(cal.examples) if p in e.predicates]
        if crow:
            raw = m.decision_function(
                _stacked_matrix([cal.examples[i] for i in crow], cal_probs[crow], DEFAULT_BITS, scale)
            )
            scored += [(i, p, float(s)) for i, s in zip(crow, raw)]
    _, _, tau, s = calibrate_scores(scored, cal)
    return tau, s


def speed(comp: Component, spans: Spans, repeat: int = 2) -> dict:
    """Seconds per 1,000 candidates for the component, and its ratio to raw ``nlp.pipe`` on the same sentences."""
    import spacy

    from ingest.pipeline import MODEL_NAME

    rows = list(range(len(spans.rows)))
    texts = [" ".join(s) for s in spans.sents]
    bare = spacy.load(MODEL_NAME)
    list(bare.pipe(texts[:50]))
    if comp.frozen is not None:
        # the frozen vectors are the pipeline's doc.tensor at run time: not the component's cost
        comp.tensors(spans, list(range(len(spans.sents))))
    comp.logits(spans, rows[:50])
    best_c, best_n = float("inf"), float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        comp.logits(spans, rows)
        best_c = min(best_c, time.perf_counter() - t)
        t = time.perf_counter()
        list(bare.pipe(texts, batch_size=64))
        best_n = min(best_n, time.perf_counter() - t)
    return {
        "candidates": len(rows),
        "sentences": len(texts),
        "component_seconds": round(best_c, 3),
        "nlp_pipe_seconds": round(best_n, 3),
        "component_seconds_per_1000_candidates": round(1000 * best_c / len(rows), 3),
        "component_over_nlp_pipe": round(best_c / best_n, 3),
        # extraction time relative to raw nlp.pipe if the component's cost were added to the
        # pipeline's (an upper bound on what is left of the 0.6 the project keeps)
        "nlp_pipe_over_nlp_pipe_plus_component": round(best_n / (best_n + best_c), 3),
    }


def _folds(data, k: int) -> list[list[int]]:
    """Split the training examples into ``k`` folds by document (document index mod k)."""
    out: list[list[int]] = [[] for _ in range(k)]
    for i, e in enumerate(data.examples):
        out[e.doc % k].append(i)
    return out


def main(argv: list[str] | None = None) -> int:
    from bench_knowledgenet import find_dataset

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "aikg-rel-component")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--seed", type=int, default=0, help="initialization and shuffling seed of the component")
    ap.add_argument(
        "--speed-only",
        action="store_true",
        help="time the architectures only (one epoch on 2,000 candidates; weights do not change the speed)",
    )
    ap.add_argument("--folds", type=int, default=2, help="cross-fitting folds for the stacked configurations")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/rel_component.json")
    args = ap.parse_args(argv)
    _setup(args.threads, args.seed)
    kn = find_dataset()
    t0 = time.monotonic()
    data, cal, s_train, s_cal = load_data(args.cache, kn if kn and kn.is_file() else None)
    print(f"data: {len(data.examples)} training candidates, {len(cal.examples)} dev ({time.monotonic() - t0:.0f} s)")
    types = _types(s_train)
    results = json.loads(args.out.read_text()) if args.out.exists() else {"configurations": {}}
    all_rows = list(range(len(data.examples)))
    cal_rows = list(range(len(cal.examples)))

    def record(name, tau, s, **extra):
        p, r, f = s["micro"]
        tp, fp, fn = s["counts"]
        results["configurations"][name] = {
            "threshold": tau,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            **extra,
        }
        print(f"{name}: P {p:.4f} R {r:.4f} F1 {f:.4f} at {tau} (tp {tp} fp {fp} fn {fn}) {extra}", flush=True)
        args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")

    if not args.only or "lr-c1 (shipped)" in args.only:
        from ingest.relations.train import calibrate_scores, fit_family, raw_scores

        t = time.monotonic()
        model = fit_family(data, family="lr", c=1.0)
        secs = time.monotonic() - t
        _, _, tau, s = calibrate_scores(raw_scores(model, cal), cal)
        record("lr-c1 (shipped)", tau, s, fit_seconds=round(secs, 1))
    for name, kw in CONFIGS.items():
        want = [n for n in (name, "stacked-" + name) if not args.only or n in args.only]
        if not want:
            continue
        _setup(args.threads, args.seed)
        comp = Component(types, **kw)
        if args.speed_only:
            comp.fit(data, s_train, all_rows[:2000], epochs=1)
            sp = speed(comp, s_cal, repeat=3)
            results.setdefault("speed", {})[name] = sp
            print(name, sp, flush=True)
            args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
            continue
        t = time.monotonic()
        comp.fit(data, s_train, all_rows, epochs=args.epochs, seed=args.seed)
        secs = time.monotonic() - t
        cal_logits = comp.logits(s_cal, cal_rows)
        extra = {
            **kw,
            "epochs": args.epochs,
            "fit_seconds": round(secs, 1),
            "artifact_bytes": len(comp.to_bytes()),
            # the same seed and data twice give the same hash when training is deterministic
            "weights_sha256": hashlib.sha256(comp.to_bytes()).hexdigest()[:16],
            "speed": speed(comp, s_cal),
        }
        if name in want:
            tau, s = _calibrated(cal, cal_logits)
            record(f"{name}-e{args.epochs}{'-seed%d' % args.seed if args.seed else ''}", tau, s, **extra)
        if "stacked-" + name in want:
            t = time.monotonic()
            train_probs = np.zeros((len(data.examples), comp.n_out), dtype="float32")
            folds = _folds(data, args.folds)
            for k, held in enumerate(folds):
                _setup(args.threads, args.seed)
                sub = Component(types, **kw)
                sub.fit(data, s_train, sorted(set(all_rows) - set(held)), epochs=args.epochs, seed=args.seed)
                train_probs[held] = 1.0 / (1.0 + np.exp(-sub.logits(s_train, held)))
                print(f"  fold {k + 1}/{len(folds)} done ({time.monotonic() - t:.0f} s)", flush=True)
            cal_probs = 1.0 / (1.0 + np.exp(-cal_logits))
            tau, s = stacked(data, cal, train_probs, cal_probs)
            record(
                f"stacked-{name}-e{args.epochs}{'-seed%d' % args.seed if args.seed else ''}",
                tau,
                s,
                **{**extra, "folds": args.folds, "fit_seconds": round(secs + time.monotonic() - t, 1)},
            )
    results.update(
        {
            "dev_sets": ["tests/gold", "tests/gold_blind:odd", "tests/gold_long:odd"],
            "knowledgenet": bool(kn and kn.is_file()),
            "training_candidates": len(data.examples),
            "dev_candidates": len(cal.examples),
            "threads": args.threads,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
    )
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    np.seterr(over="ignore")
    sys.exit(main())
