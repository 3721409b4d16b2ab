"""The relation model's calibration: verdicts a rule agrees with and the rest are calibrated apart."""

import numpy as np
import pytest

from ingest.relations.dataset import Dataset, Example, doc_scores
from ingest.relations.model import Calibration, RelationModel, hash_features, load_model, rule_feature
from ingest.relations.train import MIN_PRECISION, calibrate, choose_threshold
from kg.errors import ModelMissingError
from kg.model import PREDICATES

BITS = 12
P = "develops"


def _weights(feature_weights: dict[str, float]) -> np.ndarray:
    w = np.zeros((len(PREDICATES), (1 << BITS) + 1))
    k = PREDICATES.index(P)
    for f, v in feature_weights.items():
        (idx,) = hash_features([f], BITS)
        assert w[k, idx] == 0, f"hash collision on {f}"
        w[k, idx] = v
    return w


def test_same_score_is_less_sure_without_a_rule(tmp_path):
    model = RelationModel(_weights({"x": 1.0}), BITS, Calibration(1.0, 0.0), 0.5, unsupported=Calibration(1.0, -2.0))
    with_rule = model.probabilities(["x", rule_feature(P)], (P,))[P]
    without = model.probabilities(["x"], (P,))[P]
    assert with_rule == pytest.approx(1 / (1 + np.exp(-1.0)), abs=1e-3)
    assert without == pytest.approx(1 / (1 + np.exp(1.0)), abs=1e-3)

    model.save(tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert loaded.probabilities(["x", rule_feature(P)], (P,))[P] == pytest.approx(with_rule, abs=1e-3)
    assert loaded.probabilities(["x"], (P,))[P] == pytest.approx(without, abs=1e-3)


def test_calibration_learns_that_unsupported_verdicts_are_weaker():
    # the same raw scores on both sides; a rule stands behind most right answers, and
    # the verdicts without a rule are mostly wrong
    scores = {f"s{k}": k / 2 for k in range(-4, 9)}
    data = Dataset()
    rng = np.random.default_rng(0)
    for n in range(240):
        supported = n % 2 == 0
        level = f"s{rng.integers(-4, 9)}"
        raw = scores[level]
        p_true = 1 / (1 + np.exp(-(raw - 0.5))) if supported else 1 / (1 + np.exp(-(raw - 3.5)))
        label = bool(rng.random() < p_true)
        feats = [level] + ([rule_feature(P)] if supported else [])
        key = (f"a{n}", P, f"b{n}")
        data.examples.append(Example(n, feats, (P,), frozenset({P}) if label else frozenset(), {P: key}))
        data.gold.append({key} if label else set())
        data.ids.append(str(n))
        data.groups.append("test")
    model = RelationModel(_weights(scores), BITS, Calibration(), 0.5)

    cal, cal_unsupported, tau, s = calibrate(model, data)

    for raw in (0.0, 1.0, 2.0, 3.0):
        assert cal_unsupported(np.array([raw]))[0] < cal(np.array([raw]))[0] - 0.1
    p, r, f = s["micro"]
    assert p >= MIN_PRECISION and r > 0.3
    # the reported scores are those of the chosen threshold
    tuned = RelationModel(model.weights, BITS, cal, tau, unsupported=cal_unsupported)

    def scores_at(t):
        decided = {}
        for e in data.examples:
            if tuned.probabilities(e.features, e.predicates)[P] >= t:
                decided.setdefault(e.doc, set()).add(e.triple_keys[P])
        return doc_scores(data, decided)["micro"]

    assert scores_at(tau) == pytest.approx(s["micro"], abs=1e-9)
    # the lowest threshold from 0.5 that keeps the precision: one step lower falls short
    assert tau >= 0.5
    if tau > 0.5:
        assert scores_at(round(tau - 0.05, 2))[0] < MIN_PRECISION


def test_a_damaged_calibration_is_a_clear_error(tmp_path):
    import json

    from kg.errors import ModelMissingError

    RelationModel(_weights({"x": 1.0}), BITS, Calibration(), 0.5).save(tmp_path / "m")
    info = json.loads((tmp_path / "m" / "model.json").read_text())
    info["calibration_unsupported"] = "broken"
    (tmp_path / "m" / "model.json").write_text(json.dumps(info))
    with pytest.raises(ModelMissingError, match="unreadable.*aikg train"):
        load_model(tmp_path / "m")


def _tree_model(tmp_path):
    from ingest.relations.model import TreeEnsemble

    # one tree for P: "x" present -> +2, absent -> -1; buckets sorted, the last column never present
    b = hash_features(["x"], BITS)[0]
    trees = TreeEnsemble([b], [0, 1, 1], [1, 1, 2], [2, 1, 2], [0.0, -1.0, 2.0], [0], [PREDICATES.index(P)], 1)
    return RelationModel(None, BITS, Calibration(1.0, 0.0), 0.5, unsupported=Calibration(1.0, -2.0), trees=trees)


def test_a_tree_model_scores_saves_and_loads_the_same(tmp_path):
    model = _tree_model(tmp_path)
    assert model.raw_scores(["x"], (P,))[P] == pytest.approx(2.0)
    assert model.raw_scores(["y"], (P,))[P] == pytest.approx(-1.0)
    model.save(tmp_path / "m")
    assert not (tmp_path / "m" / "weights.npy").exists()
    loaded = load_model(tmp_path / "m")
    for feats in (["x", rule_feature(P)], ["x"], ["y"]):
        assert loaded.probabilities(feats, (P,))[P] == pytest.approx(model.probabilities(feats, (P,))[P], abs=1e-6)


def test_a_tree_model_without_its_arrays_is_refused_naming_aikg_train(tmp_path):
    _tree_model(tmp_path).save(tmp_path / "m")
    (tmp_path / "m" / "leaves.npy").unlink()
    with pytest.raises(ModelMissingError, match="aikg train"):
        load_model(tmp_path / "m")
    _tree_model(tmp_path).save(tmp_path / "m")
    (tmp_path / "m" / "trees.npy").write_bytes(b"not an array")
    with pytest.raises(ModelMissingError, match="unreadable.*aikg train"):
        load_model(tmp_path / "m")


def _rows(*pf):
    return [(t, {"micro": (p, 0.5, f)}) for t, p, f in pf]


def test_threshold_is_half_when_precise_enough():
    # F1 is a little higher at 0.45 and precision higher at 0.6: 0.5 is still the pick
    rows = _rows((0.45, 0.79, 0.73), (0.5, 0.82, 0.72), (0.55, 0.85, 0.719), (0.6, 0.9, 0.716))
    assert choose_threshold(rows)[0] == 0.5


def test_threshold_rises_only_as_far_as_precision_needs():
    rows = _rows((0.5, 0.7, 0.72), (0.55, 0.78, 0.72), (0.6, 0.81, 0.70), (0.65, 0.9, 0.66))
    assert choose_threshold(rows)[0] == 0.6


def test_threshold_without_a_precise_one_is_the_best_f1_from_half(caplog):
    rows = _rows((0.3, 0.7, 0.8), (0.5, 0.6, 0.6), (0.55, 0.65, 0.62), (0.9, 0.75, 0.1))
    assert choose_threshold(rows)[0] == 0.55
    assert "no threshold" in caplog.text
