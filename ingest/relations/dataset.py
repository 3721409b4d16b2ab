"""Turn gold-format passages into labelled candidates, and score predictions against them.

The passages go through the real pipeline (gazetteer, NER, coreference, rules), so the
classifier learns from the candidates it will see at run time. A candidate is labelled
with predicate ``p`` when the passage's gold relations contain the pair under ``p``,
names matched as :mod:`ingest.eval` matches them (gazetteer, the passage's aliases, the
name key).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.entities import Gazetteer
from ingest.eval import _Canon, _triple
from ingest.relations.candidates import candidates
from ingest.relations.ended import cues
from ingest.relations.features import Featurizer, dep_path
from kg.model import PREDICATES

log = logging.getLogger(__name__)


@dataclass
class Example:
    """One candidate with its features, labels and where it came from."""

    doc: int
    features: list[str]
    predicates: tuple[str, ...]
    labels: frozenset[str]
    triple_keys: dict[str, tuple[str, str, str]]
    trained: frozenset[str] | None = None
    #: the predicates among ``labels`` whose gold relation is stated as over (``past``)
    ended: frozenset[str] = frozenset()
    #: :func:`ingest.relations.ended.cues` for the pair (positives only)
    cues: tuple[str, ...] = ()


@dataclass
class Dataset:
    """Labelled candidates plus, per doc, the gold triples (for document-level scores)."""

    examples: list[Example] = field(default_factory=list)
    gold: list[set] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def extend(self, other: Dataset) -> None:
        """Append another dataset's docs and examples."""
        base = len(self.gold)
        for ex in other.examples:
            self.examples.append(
                Example(
                    ex.doc + base, ex.features, ex.predicates, ex.labels, ex.triple_keys, ex.trained, ex.ended, ex.cues
                )
            )
        self.gold += other.gold
        self.ids += other.ids
        self.groups += other.groups


#: The file beside a corpus's JSON Lines that lists passages never to learn from, one
#: "id | why" per line ("#" starts a comment): passages that retell an event a test set tells.
EXCLUDED_FILE = "excluded.txt"


def excluded_ids(directory: str | Path) -> frozenset[str]:
    """Return the ids listed in the directory's :data:`EXCLUDED_FILE` (empty if there is none)."""
    path = Path(directory) / EXCLUDED_FILE
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.split("|")[0].strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#"))


def read_gold_records(paths: Iterable[str | Path]) -> Iterator[dict]:
    """Yield gold records from ``*.json`` files, ``*.jsonl`` files and directories of them.

    A JSON Lines passage whose id the directory's :data:`EXCLUDED_FILE` lists is skipped.
    """
    skips: dict[Path, frozenset[str]] = {}  # one exclusion list per directory, read once
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from read_gold_records(sorted(p.glob("*.json")) + sorted(p.glob("*.jsonl")))
        elif p.suffix == ".jsonl":
            if p.parent not in skips:
                skips[p.parent] = excluded_ids(p.parent)
            skip = skips[p.parent]
            with p.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        record = json.loads(line)
                        if record.get("id") not in skip:
                            yield record
        else:
            yield json.loads(p.read_text(encoding="utf-8"))


def build(
    records: Iterable[dict],
    nlp,
    gaz: Gazetteer,
    featurizer: Featurizer,
    group: str = "",
    n_process: int = 1,
    partial: frozenset[str] | None = None,
) -> Dataset:
    """Parse, generate candidates, featurize and label a stream of gold records.

    Args:
        records: gold-format dicts (``text``, ``entities``, ``relations``).
        nlp: the extraction pipeline (its components fill mentions, coreference and rules).
        gaz: the gazetteer the scorer canonicalizes names with.
        featurizer: the feature extractor.
        group: a label for where these records come from (kept per doc).
        n_process: processes for ``nlp.pipe``.
        partial: for records annotated for only some predicates, and whose unlisted
            pairs are unknown rather than false (KnowledgeNet): only these predicates
            are learnt from them, positives from ``relations`` and negatives only from
            ``negatives``.

    Returns:
        The dataset.
    """
    from ingest.pipeline import mask_artifacts

    records = list(records)
    data = Dataset()
    docs = nlp.pipe(
        ((mask_artifacts(r["text"]), k) for k, r in enumerate(records)),
        as_tuples=True,
        n_process=n_process,
        batch_size=32,
    )
    for doc, k in docs:
        rec = records[k]
        canon = _Canon(gaz, rec.get("entities") or [])
        gold = {_triple(canon, r["subject"], r["predicate"], r["object"]) for r in rec.get("relations") or ()}
        negs = {_triple(canon, r["subject"], r["predicate"], r["object"]) for r in rec.get("negatives") or ()}
        past = {
            _triple(canon, r["subject"], r["predicate"], r["object"])
            for r in rec.get("relations") or ()
            if r.get("ended", r.get("past"))
        }
        d = len(data.gold)
        data.gold.append(gold)
        data.ids.append(str(rec.get("id", k)))
        data.groups.append(group)
        mentions = doc._.aikg_mentions or []
        cands = candidates(doc, mentions, doc._.aikg_coref or [])
        feats = featurizer.doc_features(doc, mentions, cands, doc._.aikg_relations or [])
        for c, f in zip(cands, feats):
            na, nb = mentions[c.a]["name"], mentions[c.b]["name"]
            keys = {p: _triple(canon, na, p, nb) for p in c.predicates}
            labels = frozenset(p for p, t in keys.items() if t in gold)
            trained = None
            if partial is not None:
                trained = frozenset(p for p, t in keys.items() if p in partial and (t in gold or t in negs))
                if not trained:
                    continue
            ended, cue_list = frozenset(), ()
            if labels:
                ended = frozenset(p for p in labels if keys[p] in past)
                cue_list = tuple(cues(doc, c.ha, c.hb, dep_path(doc, c.ha, c.hb)))
            data.examples.append(Example(d, f, c.predicates, labels, keys, trained, ended, cue_list))
    return data


def predicate_rows(data: Dataset, p: str) -> list[int]:
    """Return the indices of the examples a model of predicate ``p`` learns from."""
    return [i for i, e in enumerate(data.examples) if p in e.predicates and (e.trained is None or p in e.trained)]


def doc_scores(data: Dataset, decided: dict[int, set]) -> dict:
    """Score document-level predictions the way ``aikg eval`` does.

    Args:
        data: the dataset (its gold triples per doc).
        decided: doc index -> set of predicted triples.

    Returns:
        ``{"micro": (p, r, f), "per": {pred: (tp, fp, fn)}}``.
    """
    per = {p: [0, 0, 0] for p in PREDICATES}
    for d, gold in enumerate(data.gold):
        pred = decided.get(d, set())
        for t in gold | pred:
            c = per[t[1]]
            if t in gold and t in pred:
                c[0] += 1
            elif t in pred:
                c[1] += 1
            else:
                c[2] += 1
    tp = sum(c[0] for c in per.values())
    fp = sum(c[1] for c in per.values())
    fn = sum(c[2] for c in per.values())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"micro": (p, r, f), "per": per, "counts": (tp, fp, fn)}
