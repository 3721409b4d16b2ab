"""The trained relation classifier: hashed features, one model per predicate, calibrated.

The artifact is a directory (``ingest/data/relation_model/`` by default):

- ``weights.npy``: float16 array ``(len(PREDICATES), 2**bits + 1)``: per predicate, the
  weight of each hashed feature bucket and, last, the intercept;
- ``model.json``: format version, feature version, hashing bits, predicate order, the
  calibration (a sigmoid over the raw score, one for the verdicts a rule agrees with and
  one for the rest), the emission threshold, training facts;
- ``ended.npy``: float16 array ``(2**bits + 1,)``: the ended classifier (does the
  sentence state the relation as over?) over the relation's features plus the cues of
  :mod:`ingest.relations.ended`, intercept last; its threshold is ``ended_threshold``
  in ``model.json``;
- ``MODEL_CARD.md``: what it was trained on and how it scores.

A model of the tree family (``"family": "trees"`` in ``model.json``, ``aikg train --family
gbdt``) has ``trees.npy`` (int32: the buckets split on and, per node, the bucket tested and
the two children; per tree, its root and predicate) and ``leaves.npy`` (float32 leaf values)
instead of ``weights.npy``; see :class:`TreeEnsemble`.

Only numpy is needed to run it; training (:mod:`ingest.relations.train`) needs scikit-learn
(and LightGBM for the tree family).
Features are hashed with CRC-32, so the same string always lands in the same bucket on
every machine and Python version.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.errors import ModelMissingError
from kg.model import PREDICATES

FORMAT_VERSION = 2
# Bump when features.py, ended.py, parties.py, arms.py or shapes.py changes what they emit: an
# artifact trained on other features must not be used silently.
FEATURE_VERSION = 7
DEFAULT_BITS = 18
MODEL_ENV = "AIKG_RELATION_MODEL"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "relation_model"
_PRED_INDEX = {p: k for k, p in enumerate(PREDICATES)}


def rule_feature(predicate: str) -> str:
    """Return the feature that says a hand-written rule found ``predicate`` for the pair."""
    return f"R={predicate}"


def hash_features(features: list[str], bits: int) -> list[int]:
    """Return the distinct hashed bucket indexes of a feature list."""
    mask = (1 << bits) - 1
    return sorted({zlib.crc32(f.encode("utf-8")) & mask for f in features})


class TreeEnsemble:
    """Gradient-boosted trees over hashed features, scored with numpy alone.

    Every feature is a bucket that is present or absent, so each internal node names a
    bucket and the child to take for each case; a leaf is its own child in both, so a
    walk of ``depth`` steps from each root ends on a leaf whatever the path's length.
    The raw score of predicate ``k`` is the sum of the leaf values of its trees.

    Args:
        buckets: sorted hashed bucket indexes the trees split on (``(n_used,)``).
        feature: per node, the index into ``buckets`` it tests (leaves: ``n_used``, never present).
        absent: per node, the next node when the bucket is absent.
        present: per node, the next node when it is present.
        value: per node, the leaf value (0 on internal nodes).
        roots: per tree, its root node.
        tree_predicate: per tree, the index of its predicate in ``PREDICATES``.
        depth: the longest root-to-leaf path.
    """

    def __init__(self, buckets, feature, absent, present, value, roots, tree_predicate, depth: int):
        self.buckets = np.asarray(buckets, dtype=np.int64)
        self.feature = np.asarray(feature, dtype=np.int32)
        self.absent = np.asarray(absent, dtype=np.int32)
        self.present = np.asarray(present, dtype=np.int32)
        self.value = np.asarray(value, dtype=np.float32)
        self.roots = np.asarray(roots, dtype=np.int32)
        self.tree_predicate = np.asarray(tree_predicate, dtype=np.int32)
        self.depth = int(depth)
        n = len(self.feature)
        if not (len(self.absent) == len(self.present) == len(self.value) == n) or len(self.roots) != len(
            self.tree_predicate
        ):
            raise ValueError("tree arrays of different lengths")
        if n and (
            self.feature.min() < 0
            or self.feature.max() > len(self.buckets)
            or min(self.absent.min(), self.present.min(), self.roots.min(), 0) < 0
            or max(self.absent.max(), self.present.max(), self.roots.max()) >= n
            or (
                len(self.tree_predicate)
                and (self.tree_predicate.min() < 0 or self.tree_predicate.max() >= len(PREDICATES))
            )
        ):
            raise ValueError("tree arrays out of range")
        self._column = {int(b): k for k, b in enumerate(self.buckets)}
        # trees grouped by predicate, so each predicate's score is one sum over its slice
        order = np.argsort(self.tree_predicate, kind="stable")
        self.roots, self.tree_predicate = self.roots[order], self.tree_predicate[order]

    def raw(self, bucket_lists: list[list[int]]) -> np.ndarray:
        """Return raw scores ``(len(bucket_lists), len(PREDICATES))``."""
        n = len(bucket_lists)
        x = np.zeros((n, len(self.buckets) + 1), dtype=bool)  # the last column: never present
        for r, idx in enumerate(bucket_lists):
            cols = [self._column[b] for b in idx if b in self._column]
            x[r, cols] = True
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            node = np.where(x[rows, self.feature[node]], self.present[node], self.absent[node])
        leaf = self.value[node]
        out = np.zeros((n, len(PREDICATES)), dtype=np.float64)
        for k in range(len(PREDICATES)):
            sel = self.tree_predicate == k
            if sel.any():
                out[:, k] = leaf[:, sel].sum(axis=1, dtype=np.float64)
        return out

    def arrays(self) -> tuple[np.ndarray, np.ndarray, dict]:
        """Return ``(int32 array of every index array end to end, leaf values, their lengths)`` for saving."""
        ints = np.concatenate(
            [self.buckets, self.feature, self.absent, self.present, self.roots, self.tree_predicate]
        ).astype(np.int32)
        shape = {
            "buckets": len(self.buckets),
            "nodes": len(self.feature),
            "trees": len(self.roots),
            "depth": self.depth,
        }
        return ints, self.value.astype(np.float32), shape

    @classmethod
    def from_arrays(cls, ints: np.ndarray, values: np.ndarray, shape: dict) -> TreeEnsemble:
        """Rebuild from :meth:`arrays`' output."""
        nb, nn, nt = int(shape["buckets"]), int(shape["nodes"]), int(shape["trees"])
        if ints.shape != (nb + 3 * nn + 2 * nt,) or values.shape != (nn,):
            raise ValueError("tree arrays do not match their lengths in model.json")
        cuts = np.cumsum([nb, nn, nn, nn, nt])
        b, f, a, p, r, t = np.split(ints, cuts)
        return cls(b, f, a, p, values, r, t, int(shape["depth"]))


@dataclass(frozen=True)
class Calibration:
    """``p = 1 / (1 + exp(-(a * score + b)))``, fitted on held-out predictions."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, score: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.a * score + self.b)))


class RelationModel:
    """Score candidates for each predicate whose signature they fit.

    Args:
        weights: ``(len(PREDICATES), 2**bits + 1)`` float array (intercept last).
        bits: the hashing width.
        calibration: maps raw scores to probabilities.
        threshold: probabilities at or above it are emitted as relations.
        meta: everything else in ``model.json`` (training facts), kept for the card.
        unsupported: the calibration of a predicate that no rule found for the pair
            (default: ``calibration``). The model learns from passages we wrote, where
            a verdict without a rule behind it is as sure as one with; in news it is
            right far less often, and a calibration of its own says so.
    """

    def __init__(
        self,
        weights: np.ndarray | None,
        bits: int,
        calibration: Calibration,
        threshold: float,
        meta: dict | None = None,
        unsupported: Calibration | None = None,
        ended: np.ndarray | None = None,
        ended_threshold: float = 0.5,
        trees: TreeEnsemble | None = None,
    ):
        if (weights is None) == (trees is None):
            raise ValueError("a relation model has either linear weights or trees")
        if weights is not None and weights.shape != (len(PREDICATES), (1 << bits) + 1):
            raise ValueError(f"weights shape {weights.shape} does not fit {len(PREDICATES)} predicates and {bits} bits")
        self.weights = weights.astype(np.float32) if weights is not None else None
        self.trees = trees
        self.bits = bits
        self.calibration = calibration
        self.unsupported = unsupported or calibration
        self.threshold = threshold
        self.meta = meta or {}
        if ended is not None and ended.shape != ((1 << bits) + 1,):
            raise ValueError(f"ended weights shape {ended.shape} does not fit {bits} bits")
        self.ended = ended.astype(np.float32) if ended is not None else None
        self.ended_threshold = ended_threshold

    def ended_probabilities(self, feature_lists: list[list[str]]) -> np.ndarray:
        """Return the probability that each relation is stated as over (zeros without an ended model)."""
        if self.ended is None or not feature_lists:
            return np.zeros(len(feature_lists))
        intercept = self.ended.shape[0] - 1
        raw = np.array([self.ended[hash_features(f, self.bits)].sum() + self.ended[intercept] for f in feature_lists])
        return 1.0 / (1.0 + np.exp(-raw))

    def raw_scores(self, features: list[str], predicates: tuple[str, ...]) -> dict[str, float]:
        """Return the uncalibrated score (log-odds) of each predicate for one feature list."""
        if self.trees is not None:
            row = self.batch_raw_scores([features])[0]
            return {p: float(row[_PRED_INDEX[p]]) for p in predicates}
        idx = hash_features(features, self.bits)
        rows = [_PRED_INDEX[p] for p in predicates]
        idx.append(self.weights.shape[1] - 1)  # the intercept
        s = self.weights[np.ix_(rows, idx)].sum(axis=1)
        return {p: float(v) for p, v in zip(predicates, s)}

    def batch_raw_scores(self, feature_lists: list[list[str]]) -> np.ndarray:
        """Return uncalibrated scores ``(len(feature_lists), len(PREDICATES))``."""
        if self.trees is not None:
            return self.trees.raw([hash_features(f, self.bits) for f in feature_lists])
        intercept = self.weights.shape[1] - 1
        idx, starts = [], []
        for f in feature_lists:
            starts.append(len(idx))
            idx.append(intercept)  # never an empty slice, so reduceat sums each list exactly
            idx.extend(hash_features(f, self.bits))
        return np.add.reduceat(self.weights[:, idx], starts, axis=1).T

    def probabilities(self, features: list[str], predicates: tuple[str, ...]) -> dict[str, float]:
        """Return the calibrated probability of each predicate for one feature list."""
        raw = self.raw_scores(features, predicates)
        fs = set(features)
        return {
            p: float((self.calibration if rule_feature(p) in fs else self.unsupported)(np.array([v]))[0])
            for p, v in raw.items()
        }

    def batch_probabilities(self, feature_lists: list[list[str]]) -> np.ndarray:
        """Return calibrated probabilities ``(len(feature_lists), len(PREDICATES))`` in one pass.

        Every predicate is scored; callers keep those whose signature the pair fits.
        """
        if not feature_lists:
            return np.zeros((0, len(PREDICATES)))
        raw = self.batch_raw_scores(feature_lists)
        supported = np.array([[rule_feature(p) in fs for p in PREDICATES] for fs in map(set, feature_lists)])
        return np.where(supported, self.calibration(raw), self.unsupported(raw))

    def save(self, directory: str | Path, meta: dict | None = None) -> None:
        """Write ``weights.npy`` and ``model.json`` into ``directory`` (created if needed)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        extra: dict = {}
        for name in ("weights.npy", "trees.npy", "leaves.npy"):
            (d / name).unlink(missing_ok=True)  # a directory holds one family's files
        if self.trees is not None:
            ints, leaves, extra["trees"] = self.trees.arrays()
            with (d / "trees.npy").open("wb") as fh:
                np.save(fh, ints, allow_pickle=False)
            with (d / "leaves.npy").open("wb") as fh:
                np.save(fh, leaves, allow_pickle=False)
        else:
            with (d / "weights.npy").open("wb") as fh:
                np.save(fh, self.weights.astype(np.float16), allow_pickle=False)
        if self.ended is not None:
            with (d / "ended.npy").open("wb") as fh:
                np.save(fh, self.ended.astype(np.float16), allow_pickle=False)
        info = {
            **self.meta,
            **(meta or {}),
            **extra,
            "family": "trees" if self.trees is not None else "linear",
            "format_version": FORMAT_VERSION,
            "feature_version": FEATURE_VERSION,
            "bits": self.bits,
            "predicates": list(PREDICATES),
            "calibration": {"a": self.calibration.a, "b": self.calibration.b},
            "calibration_unsupported": {"a": self.unsupported.a, "b": self.unsupported.b},
            "threshold": self.threshold,
            "ended_threshold": self.ended_threshold,
        }
        (d / "model.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_model(directory: str | Path | None = None) -> RelationModel:
    """Load a relation model artifact.

    Args:
        directory: the artifact directory; defaults to ``$AIKG_RELATION_MODEL``, else the
            one shipped in the package.

    Returns:
        The model.

    Raises:
        ModelMissingError: the artifact is missing, unreadable, or was made for other
            features or predicates; the message names ``aikg train``.
    """
    d = Path(directory or os.environ.get(MODEL_ENV) or DEFAULT_DIR)
    hint = "rebuild it with `aikg train` (see training/README.md)"
    try:
        meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
        weights, trees = None, None
        if meta.get("family") == "trees":
            with (d / "trees.npy").open("rb") as fh:
                ints = np.load(fh, allow_pickle=False)
            with (d / "leaves.npy").open("rb") as fh:
                leaves = np.load(fh, allow_pickle=False)
        else:
            with (d / "weights.npy").open("rb") as fh:
                weights = np.load(fh, allow_pickle=False)
        ended = None
        if (d / "ended.npy").exists():  # a corpus without ended relations trains none
            with (d / "ended.npy").open("rb") as fh:
                ended = np.load(fh, allow_pickle=False)
    except FileNotFoundError:
        raise ModelMissingError(f"relation model not found in {d}: {hint}") from None
    except (OSError, ValueError, AttributeError) as exc:
        raise ModelMissingError(f"relation model in {d} is unreadable ({exc}): {hint}") from None
    if (
        meta.get("format_version") != FORMAT_VERSION
        or meta.get("feature_version") != FEATURE_VERSION
        or meta.get("predicates") != list(PREDICATES)
    ):
        raise ModelMissingError(f"relation model in {d} was built for another version of the extractor: {hint}")
    try:
        main = meta.get("calibration") or {}
        cals = [
            Calibration(float(c.get("a", 1.0)), float(c.get("b", 0.0)))
            for c in (main, meta.get("calibration_unsupported") or main)
        ]
        if meta.get("family") == "trees":
            trees = TreeEnsemble.from_arrays(ints, leaves, meta["trees"])
        return RelationModel(
            weights,
            int(meta["bits"]),
            cals[0],
            float(meta["threshold"]),
            meta,
            cals[1],
            ended,
            float(meta.get("ended_threshold", 0.5)),
            trees,
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ModelMissingError(f"relation model in {d} is unreadable ({exc}): {hint}") from None
