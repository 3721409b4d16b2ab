"""``aikg train``: rebuild the relation model from the corpus, deterministically, with its card.

Steps:

1. Parse the training corpus (``training/corpus/*.jsonl``, plus KnowledgeNet folds 1-2
   when given) with the pipeline and the rules alone, and turn every candidate pair
   into a labelled feature record (:mod:`ingest.relations.dataset`).
2. Fit one L2-regularized logistic regression per predicate (liblinear, fixed seed) on
   the hashed features of the candidates whose types fit that predicate.
3. Calibrate on the development gold sets, which the model never trained on: a
   sigmoid over the raw scores (Platt scaling) for the verdicts a rule agrees with, and
   another for the rest; then pick the emission threshold: 0.5, where a calibrated
   probability makes a relation more likely right than wrong, or the lowest above it
   whose document-level precision there is at least 0.8.
4. Save the artifact and write ``MODEL_CARD.md`` beside it; when held-out gold
   directories are named, score the new model on them with the real extractor and put
   the figures in the card.

Same corpus, same options, same package versions: same weights (the test suite checks
it on a slice).
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import date
from pathlib import Path

import numpy as np

from ingest.relations.card import FAMILIES, write_card
from ingest.relations.dataset import EXCLUDED_FILE, Dataset, build, doc_scores, predicate_rows, read_gold_records
from ingest.relations.ended import features as ended_features
from ingest.relations.features import Featurizer
from ingest.relations.model import (
    DEFAULT_BITS,
    FEATURE_VERSION,
    Calibration,
    RelationModel,
    hash_features,
    rule_feature,
)
from ingest.relations.names import FALLBACK_PREDICATES
from kg.model import PREDICATES

log = logging.getLogger(__name__)

KNOWLEDGENET_PREDICATES = frozenset({"leads", "founded", "subsidiaryOf", "worksFor"})
MIN_PRECISION = 0.8
BAYES_THRESHOLD = 0.5


def _matrix(data: Dataset, rows: list[int], bits: int):
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for i in rows:
        indices.extend(hash_features(data.examples[i].features, bits))
        indptr.append(len(indices))
    vals = np.ones(len(indices), dtype=np.float64)
    return csr_matrix(
        (vals, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)), shape=(len(rows), 1 << bits)
    )


def fit(
    data: Dataset,
    *,
    bits: int = DEFAULT_BITS,
    c: float = 1.0,
    seed: int = 0,
    knowledgenet_weight: float = 1.0,
    class_weight: str | None = None,
) -> np.ndarray:
    """Fit the per-predicate logistic models; return the weight matrix (intercepts last).

    Args:
        data: the labelled candidates.
        bits: hashing width.
        c: inverse regularization strength.
        seed: the solver's seed.
        knowledgenet_weight: sample weight of examples from partial (KnowledgeNet) records.
        class_weight: scikit-learn's ``class_weight`` (None, or "balanced").
    """
    from sklearn.linear_model import LogisticRegression

    weights = np.zeros((len(PREDICATES), (1 << bits) + 1), dtype=np.float64)
    for k, p in enumerate(PREDICATES):
        rows = predicate_rows(data, p)
        y = np.array([p in data.examples[i].labels for i in rows], dtype=np.int8)
        if not rows or y.min() == y.max():
            log.warning("predicate %s: no examples of both classes, left at zero", p)
            continue
        sw = np.array([knowledgenet_weight if data.examples[i].trained is not None else 1.0 for i in rows])
        m = LogisticRegression(C=c, solver="liblinear", max_iter=5000, random_state=seed, class_weight=class_weight)
        m.fit(_matrix(data, rows, bits), y, sample_weight=sw)
        weights[k, :-1] = m.coef_[0]
        weights[k, -1] = m.intercept_[0]
    return weights


def fit_family(
    data: Dataset,
    *,
    family: str = "lr",
    bits: int = DEFAULT_BITS,
    c: float = 1.0,
    class_weight: str | None = None,
    rounds: int = 200,
    seed: int = 0,
    params: dict | None = None,
) -> RelationModel:
    """Fit one model family (``lr`` or ``gbdt``) and return it uncalibrated."""
    if family == "lr":
        return RelationModel(fit(data, bits=bits, c=c, seed=seed, class_weight=class_weight), bits, Calibration(), 0.5)
    if family == "gbdt":
        from ingest.relations.trees import fit_trees

        trees = fit_trees(data, bits=bits, rounds=rounds, seed=seed, params=params)
        return RelationModel(None, bits, Calibration(), 0.5, trees=trees)
    raise ValueError(f"unknown model family {family!r}")


def _ended_rows(data: Dataset) -> list[tuple[int, str]]:
    """Return ``(example index, predicate)`` for every gold relation the ended classifier learns from.

    KnowledgeNet examples are left out: their annotations say nothing of roles being over. So
    are the predicates a pair reaches only by reading a name as the other of person and
    organization (a flip, :mod:`ingest.relations.candidates`): learnt from, they moved the
    ended model on the pairs that need no flip (a current investment beside a sale in the
    same sentence was flagged as over), and the flag is judged the same way with or without
    the flip. For the same reason a rule's fallback name (a phrase neither the gazetteer
    nor NER found) counts only on the predicates the rules let it fill.
    """
    return [
        (i, p)
        for i, e in enumerate(data.examples)
        if e.trained is None
        for p in sorted(e.labels)
        if f"flip={p}|a" not in e.features
        and f"flip={p}|b" not in e.features
        and (p in FALLBACK_PREDICATES or not _has_fallback_side(e.features))
    ]


def _has_fallback_side(features) -> bool:
    return any(f.startswith("src=") and "fallback" in f[4:].split("|") for f in features)


def _ended_matrix(data: Dataset, rows: list[tuple[int, str]], bits: int):
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for i, p in rows:
        e = data.examples[i]
        indices.extend(hash_features(ended_features(p, e.features, list(e.cues)), bits))
        indptr.append(len(indices))
    vals = np.ones(len(indices), dtype=np.float64)
    return csr_matrix(
        (vals, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)), shape=(len(rows), 1 << bits)
    )


def fit_ended(data: Dataset, *, bits: int = DEFAULT_BITS, c: float = 1.0, seed: int = 0) -> np.ndarray | None:
    """Fit the ended classifier on the gold relations; return its weights (intercept last).

    A row is one gold relation the candidates found, labelled by its ``past`` flag.
    """
    from sklearn.linear_model import LogisticRegression

    rows = _ended_rows(data)
    y = np.array([p in data.examples[i].ended for i, p in rows], dtype=np.int8)
    if not rows or y.min() == y.max():
        log.warning("ended: no examples of both classes, no ended model")
        return None
    m = LogisticRegression(C=c, solver="liblinear", max_iter=5000, random_state=seed)
    m.fit(_ended_matrix(data, rows, bits), y)
    return np.concatenate([m.coef_[0], m.intercept_])


def choose_ended_threshold(model: RelationModel, data: Dataset) -> tuple[float, dict]:
    """Pick the ended threshold with the best F1 on held-out gold relations (ties: the higher).

    Returns:
        ``(threshold, {"precision", "recall", "f1", "ended", "relations"})``.
    """
    rows = _ended_rows(data)
    truth = np.array([p in data.examples[i].ended for i, p in rows], dtype=bool)
    probs = model.ended_probabilities(
        [ended_features(p, data.examples[i].features, list(data.examples[i].cues)) for i, p in rows]
    )
    best = (0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
    for tau in np.arange(0.2, 0.81, 0.05):
        tau = round(float(tau), 2)
        pred = probs >= tau
        tp, fp, fn = int((pred & truth).sum()), int((pred & ~truth).sum()), int((~pred & truth).sum())
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        if f >= best[1]["f1"]:
            best = (tau, {"precision": round(pr, 4), "recall": round(rc, 4), "f1": round(f, 4)})
    return best[0], {**best[1], "ended": int(truth.sum()), "relations": len(rows)}


def raw_scores(model: RelationModel, data: Dataset) -> list[tuple[int, str, float]]:
    """Return ``(example index, predicate, raw score)`` for every scored candidate."""
    if model.trees is not None:
        table = model.batch_raw_scores([e.features for e in data.examples])
        index = {p: k for k, p in enumerate(PREDICATES)}
        return [(i, p, float(table[i, index[p]])) for i, e in enumerate(data.examples) for p in e.predicates]
    out = []
    for i, e in enumerate(data.examples):
        for p, s in model.raw_scores(e.features, e.predicates).items():
            out.append((i, p, s))
    return out


def _supported(data: Dataset, i: int, p: str) -> bool:
    return rule_feature(p) in data.examples[i].features


def _decided(
    data: Dataset, scored: list[tuple[int, str, float]], cals: tuple[Calibration, Calibration], tau: float
) -> dict:
    decided: dict[int, set] = {}
    for i, p, s in scored:
        if cals[0 if _supported(data, i, p) else 1](np.array([s]))[0] >= tau:
            e = data.examples[i]
            decided.setdefault(e.doc, set()).add(e.triple_keys[p])
    return decided


def _platt(scored: list[tuple[int, str, float]], data: Dataset) -> Calibration:
    from sklearn.linear_model import LogisticRegression

    x = np.array([[s] for _, _, s in scored])
    y = np.array([p in data.examples[i].labels for i, p, _ in scored], dtype=np.int8)
    if len(scored) < 2 or y.min() == y.max():
        return Calibration()
    lr = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    lr.fit(x, y)
    return Calibration(round(float(lr.coef_[0][0]), 6), round(float(lr.intercept_[0]), 6))


def calibrate(model: RelationModel, data: Dataset) -> tuple[Calibration, Calibration, float, dict]:
    """Fit the sigmoids on held-out candidates and choose the emission threshold.

    One sigmoid is fitted on the verdicts that a rule agrees with, one on the rest.

    Returns:
        ``(calibration, calibration without a rule, threshold, scores at that threshold)``.
    """
    return calibrate_scores(raw_scores(model, data), data)


def calibrate_scores(
    scored: list[tuple[int, str, float]], data: Dataset
) -> tuple[Calibration, Calibration, float, dict]:
    """:func:`calibrate` over raw scores already computed (``(example index, predicate, score)``)."""
    cals = (
        _platt([x for x in scored if _supported(data, x[0], x[1])], data),
        _platt([x for x in scored if not _supported(data, x[0], x[1])], data),
    )
    rows = []
    for tau in np.arange(0.2, 0.91, 0.05):
        tau = round(float(tau), 2)
        rows.append((tau, doc_scores(data, _decided(data, scored, cals, tau))))
    tau, s = choose_threshold(rows)
    return cals[0], cals[1], tau, s


def choose_threshold(rows: list[tuple[float, dict]]) -> tuple[float, dict]:
    """Return the emission threshold and its scores from ``(threshold, doc_scores)`` rows.

    A calibrated probability of 0.5 makes a relation more likely right than wrong: emit
    from there, higher only if the calibration passages need it for ``MIN_PRECISION``
    (readers' precision is set by the display threshold, 0.8 by default). Where no
    threshold from 0.5 reaches that precision, the best F1 from 0.5, with a warning.
    Choosing by F1 on the 96 calibration passages (the most precise within 0.005 of the
    best, until stop 41) moved the threshold between 0.5 and 0.65 by noise.
    """
    above = [x for x in rows if x[0] >= BAYES_THRESHOLD]
    ok = [x for x in above if x[1]["micro"][0] >= MIN_PRECISION]
    if ok:
        return min(ok, key=lambda x: x[0])
    log.warning("no threshold from %s reaches precision %s on the calibration set", BAYES_THRESHOLD, MIN_PRECISION)
    return max(above, key=lambda x: (x[1]["micro"][2], -x[0]))


def file_hashes(paths: list[Path]) -> dict[str, str]:
    """Return the SHA-256 of each file, by name, and of the exclusion lists beside them.

    The list of passages left out (:data:`ingest.relations.dataset.EXCLUDED_FILE`) decides
    what was learnt as much as the passages do.
    """
    lists = {p.parent / EXCLUDED_FILE for p in paths} - set(paths)
    paths = [*paths, *(q for q in lists if q.is_file())]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths)}


def corpus_files(paths: list[str | Path]) -> list[Path]:
    """Expand directories into their ``*.jsonl`` / ``*.json`` files, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.glob("*.jsonl")) + sorted(p.glob("*.json")) if p.is_dir() else [p]
    return out


def build_labels(files: list[Path], nlp, gaz, featurizer, *, n_process: int = 1) -> Dataset:
    """Return the dataset of curators' verdicts: only the reviewed pairs and predicates are learnt from."""
    return build(
        read_gold_records(files),
        nlp,
        gaz,
        featurizer,
        group="curation",
        n_process=n_process,
        partial=frozenset(PREDICATES),
    )


def train(
    corpus: list[str | Path],
    calibration: list[str | Path],
    out_dir: str | Path,
    *,
    knowledgenet: str | Path | None = None,
    knowledgenet_folds: tuple[int, ...] = (1, 2),
    heldout: list[str | Path] = (),
    ended_corpus: list[str | Path] = (),
    ended_calibration: list[str | Path] = (),
    c: float = 1.0,
    bits: int = DEFAULT_BITS,
    seed: int = 0,
    n_process: int = 1,
    progress=print,
    labels: list[str | Path] = (),
    family: str = "lr",
) -> dict:
    """Train, calibrate, save and document a relation model.

    Args:
        corpus: training files or directories (gold-format JSON Lines / JSON).
        calibration: gold files or directories to calibrate and pick the threshold on.
        out_dir: where the artifact goes.
        knowledgenet: the KnowledgeNet JSON Lines file; the folds of ``knowledgenet_folds`` join the training data.
        knowledgenet_folds: the folds that do (default 1 and 2, for a fold-3 test; one fold to
            score the other, whose errors may then be read, with fold 3 kept held out).
        heldout: gold directories to score the saved model on (figures go in the card).
        ended_corpus: passages that teach only the ended classifier (``training/ended``, ``training/ended_c9``):
            written for the relations stated as over, they are not added to what the
            relation models learn from (on the development sets they did not help them).
        ended_calibration: gold files or directories added to ``calibration`` to pick the
            ended threshold only (the calibration sets hold few ended relations).
        c: inverse regularization strength (``lr``).
        bits: hashing width.
        seed: solver seed.
        n_process: processes for parsing.
        family: ``lr`` (logistic regression per predicate) or ``gbdt`` (gradient-boosted
            trees per predicate, LightGBM at training time, numpy at run time).
        progress: called with one line per step.
        labels: curators' verdicts (``aikg curate export-labels``): each accepted relation
            is a positive and each rejected one a negative; other pairs of those sentences
            are not learnt from (they were not reviewed).

    Returns:
        The facts written to ``model.json`` and the card.
    """
    from ingest.entities import load_gazetteer
    from ingest.pipeline import RULES_ONLY, build_nlp
    from ingest.relations import load_lexicon

    t0 = time.monotonic()
    nlp = build_nlp(relation_model=RULES_ONLY)
    gaz = load_gazetteer()
    featurizer = Featurizer(load_lexicon())
    files = corpus_files(corpus)
    data = build(read_gold_records(files), nlp, gaz, featurizer, group="corpus", n_process=n_process)
    progress(f"corpus: {len(data.gold)} passages, {len(data.examples)} candidates ({time.monotonic() - t0:.0f} s)")
    kn_docs = 0
    if knowledgenet:
        from ingest.knowledgenet import load_passages

        kn = build(
            load_passages(knowledgenet, set(knowledgenet_folds)),
            nlp,
            gaz,
            featurizer,
            group="knowledgenet",
            n_process=n_process,
            partial=KNOWLEDGENET_PREDICATES,
        )
        kn_docs = len(kn.gold)
        data.extend(kn)
        folds = ", ".join(map(str, sorted(knowledgenet_folds)))
        progress(f"KnowledgeNet folds {folds}: {kn_docs} documents, {len(kn.examples)} candidates")
    label_files = corpus_files(list(labels))
    if label_files:
        curated = build_labels(label_files, nlp, gaz, featurizer, n_process=n_process)
        data.extend(curated)
        progress(f"curators' labels: {len(curated.gold)} sentences, {len(curated.examples)} candidates")
    fitted = fit_family(data, family=family, bits=bits, c=c, seed=seed)
    ended_files = corpus_files(list(ended_corpus))
    ended_data = data
    if ended_files:
        extra = build(read_gold_records(ended_files), nlp, gaz, featurizer, group="ended", n_process=n_process)
        progress(f"ended corpus: {len(extra.gold)} passages, {len(extra.examples)} candidates")
        ended_data = Dataset()
        ended_data.extend(data)
        ended_data.extend(extra)
    ended = fit_ended(ended_data, bits=bits, c=c, seed=seed)
    progress(f"fitted {len(PREDICATES)} predicate models and the ended model ({time.monotonic() - t0:.0f} s)")
    cal_files = corpus_files(calibration)
    cal_data = build(read_gold_records(cal_files), nlp, gaz, featurizer, group="calibration")
    cal, cal_unsupported, tau, cal_scores = calibrate(fitted, cal_data)
    model = RelationModel(fitted.weights, bits, cal, tau, unsupported=cal_unsupported, ended=ended, trees=fitted.trees)
    ended_cal_files = corpus_files(list(ended_calibration))
    ended_cal = cal_data
    if ended_cal_files:
        # more ended relations to pick the ended threshold on: the calibration sets hold few
        ended_cal = Dataset()
        ended_cal.extend(cal_data)
        ended_cal.extend(build(read_gold_records(ended_cal_files), nlp, gaz, featurizer, group="ended-calibration"))
    ended_tau, ended_scores = choose_ended_threshold(model, ended_cal)
    model.ended_threshold = ended_tau
    p, r, f = cal_scores["micro"]
    progress(
        f"calibrated on {len(cal_data.gold)} passages: threshold {tau}, P {p:.3f} R {r:.3f} F1 {f:.3f}; "
        f"ended threshold {ended_tau}, ended F1 {ended_scores['f1']:.3f} over {ended_scores['relations']} "
        f"relations ({ended_scores['ended']} ended)"
    )
    positives = {p: 0 for p in PREDICATES}
    for e in data.examples:
        for lab in e.labels:
            positives[lab] += 1
    facts = {
        "trained": date.today().isoformat(),
        "model_family": FAMILIES[family],
        "c": c,
        "seed": seed,
        "training_files": file_hashes(files),
        "calibration_files": file_hashes(cal_files),
        "knowledgenet_documents": kn_docs,
        "knowledgenet_folds": sorted(knowledgenet_folds) if kn_docs else [],
        "label_files": file_hashes(label_files),
        "training_candidates": len(data.examples),
        "positive_candidates": positives,
        "calibration_scores": {"threshold": tau, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)},
        "ended_training_files": file_hashes(ended_files),
        "ended_training_relations": len(_ended_rows(ended_data)),
        "ended_training_positives": sum(len(e.ended) for e in ended_data.examples if e.trained is None),
        "ended_calibration": {"threshold": ended_tau, **ended_scores},
        "ended_calibration_files": file_hashes(ended_cal_files),
        "feature_version_trained": FEATURE_VERSION,
    }
    model.save(out_dir, facts)
    heldout_scores = {}
    if heldout:
        from ingest.eval import evaluate
        from ingest.pipeline import Extractor

        extractor = Extractor(build_nlp(relation_model=str(out_dir)))
        for d in heldout:
            rep = evaluate(d, extractor).to_dict()
            heldout_scores[str(d)] = rep["relations"]
            progress(
                f"held out {d}: P {rep['relations']['precision']:.3f} R {rep['relations']['recall']:.3f} "
                f"F1 {rep['relations']['f1']:.3f}"
            )
    write_card(Path(out_dir) / "MODEL_CARD.md", facts, heldout_scores, min_precision=MIN_PRECISION)
    progress(f"saved {out_dir} ({time.monotonic() - t0:.0f} s)")
    return {**facts, "heldout": heldout_scores}
