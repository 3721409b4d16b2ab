"""Relation records: their confidence, one kept per pair, predicate and sentence, and the passes' shared context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.relations.lexicon import Lexicon
from kg.model import SYMMETRIC_PREDICATES

_SOURCE_FACTOR = {"gaz": 1.0, "short": 0.95, "ner": 0.9, "desc": 0.9, "coref": 0.85, "np": 0.8}


def confidence(weight: float, steps: int, src_a: str, src_b: str, hedge: bool) -> float:
    """Score a relation mention.

    ``weight`` is the trigger's strength from the lexicon (0-1); each dependency step
    beyond the shortest two costs 7%; each argument found by NER rather than the
    gazetteer, or through coreference, costs 5-15%; a hedge halves the score.
    """
    c = weight * (1.0 - 0.07 * max(0, steps - 2))
    c *= _SOURCE_FACTOR.get(src_a, 0.85) * _SOURCE_FACTOR.get(src_b, 0.85)
    if hedge:
        c *= 0.5
    return round(max(0.01, min(0.99, c)), 3)


def keep(out: dict, rel: dict) -> None:
    """Keep one mention per (pair, predicate, sentence), the most confident."""
    pair = (rel["s"], rel["o"])
    if rel["p"] in SYMMETRIC_PREDICATES:
        pair = tuple(sorted(pair))
    key = (pair, rel["p"], rel["ss"])
    old = out.get(key)
    if old is None or rel["c"] > old["c"]:
        out[key] = rel


@dataclass
class Context:
    """What the passes over one doc share; :func:`ingest.relations.rules.extract` builds it.

    Attributes:
        doc: the spaCy Doc.
        mentions: entity mentions (fallback names appended, types corrected in place).
        coref: ``[token, mention]`` links.
        lexicon: the trigger lexicon.
        out: the records found so far, one per (pair, predicate, sentence); see :func:`keep`.
        by_sent: per sentence start, the arguments ``(token, mention index, source)``.
        coref_tokens: the tokens coreference resolved to a mention.
        groups: per sentence start, the "two companies" phrases and their members.
        sent_index: the index of the sentence the passes are reading.
        carry: what a pass keeps from one sentence to the next, by pass name.
    """

    doc: Any
    mentions: list[dict]
    coref: list
    lexicon: Lexicon
    out: dict = field(default_factory=dict)
    by_sent: dict = field(default_factory=dict)
    coref_tokens: set = field(default_factory=set)
    groups: dict = field(default_factory=dict)
    sent_index: int = 0
    carry: dict = field(default_factory=dict)
