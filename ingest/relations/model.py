"""The trained relation classifier: hashed features, one logistic model per predicate, calibrated.

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

Only numpy is needed to run it; training (:mod:`ingest.relations.train`) needs scikit-learn.
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
# Bump when features.py or ended.py changes what it emits: an artifact trained on other features
# must not be used silently.
FEATURE_VERSION = 3
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
        weights: np.ndarray,
        bits: int,
        calibration: Calibration,
        threshold: float,
        meta: dict | None = None,
        unsupported: Calibration | None = None,
        ended: np.ndarray | None = None,
        ended_threshold: float = 0.5,
    ):
        if weights.shape != (len(PREDICATES), (1 << bits) + 1):
            raise ValueError(f"weights shape {weights.shape} does not fit {len(PREDICATES)} predicates and {bits} bits")
        self.weights = weights.astype(np.float32)
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
        idx = hash_features(features, self.bits)
        rows = [_PRED_INDEX[p] for p in predicates]
        idx.append(self.weights.shape[1] - 1)  # the intercept
        s = self.weights[np.ix_(rows, idx)].sum(axis=1)
        return {p: float(v) for p, v in zip(predicates, s)}

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
        intercept = self.weights.shape[1] - 1
        idx, starts = [], []
        for f in feature_lists:
            starts.append(len(idx))
            idx.append(intercept)  # never an empty slice, so reduceat sums each list exactly
            idx.extend(hash_features(f, self.bits))
        raw = np.add.reduceat(self.weights[:, idx], starts, axis=1).T
        supported = np.array([[rule_feature(p) in fs for p in PREDICATES] for fs in map(set, feature_lists)])
        return np.where(supported, self.calibration(raw), self.unsupported(raw))

    def save(self, directory: str | Path, meta: dict | None = None) -> None:
        """Write ``weights.npy`` and ``model.json`` into ``directory`` (created if needed)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        with (d / "weights.npy").open("wb") as fh:
            np.save(fh, self.weights.astype(np.float16), allow_pickle=False)
        if self.ended is not None:
            with (d / "ended.npy").open("wb") as fh:
                np.save(fh, self.ended.astype(np.float16), allow_pickle=False)
        info = {
            **self.meta,
            **(meta or {}),
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
        with (d / "weights.npy").open("rb") as fh:
            weights = np.load(fh, allow_pickle=False)
        ended = None
        if (d / "ended.npy").exists():  # a corpus without ended relations trains none
            with (d / "ended.npy").open("rb") as fh:
                ended = np.load(fh, allow_pickle=False)
    except FileNotFoundError:
        raise ModelMissingError(f"relation model not found in {d}: {hint}") from None
    except (OSError, ValueError) as exc:
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
        return RelationModel(
            weights,
            int(meta["bits"]),
            cals[0],
            float(meta["threshold"]),
            meta,
            cals[1],
            ended,
            float(meta.get("ended_threshold", 0.5)),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ModelMissingError(f"relation model in {d} is unreadable ({exc}): {hint}") from None
