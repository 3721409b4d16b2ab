"""Relation records: their confidence, one kept per pair, predicate and sentence, and the passes' shared context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.relations.lexicon import Lexicon
from kg.model import SYMMETRIC_PREDICATES


@dataclass(frozen=True)
class Record:
    """One relation mention a rule found; :meth:`to_dict` gives the form :func:`extract` returns.

    Attributes:
        subject: the subject's mention index (``s``).
        object: the object's mention index (``o``).
        predicate: the predicate (``p``).
        confidence: 0.01-0.99 (``c``).
        hedged: reported as planned, possible or alleged (``h``).
        sent_start: the sentence's first character (``ss``).
        sent_end: the character after the sentence (``se``).
        amount: a money amount attached to the trigger's clause.
        date: a date attached to the trigger's clause.
        trigger: the trigger's text, or ``"title"``/``"'s"`` for surface constructions.
        rule: the pass that made it (the name it is registered under in
            :mod:`ingest.relations.rules`; ``"trigger:<lemma>"`` for the trigger pass).
        token: the trigger's token index (``ti``), when one trigger token made it.
    """

    subject: int
    object: int
    predicate: str
    confidence: float
    hedged: bool
    sent_start: int
    sent_end: int
    amount: str | None
    date: str | None
    trigger: str
    rule: str
    token: int | None = None

    def to_dict(self) -> dict:
        """Return the record as the plain dict the pipeline reads (and msgpack carries)."""
        d = {
            "s": self.subject,
            "o": self.object,
            "p": self.predicate,
            "c": self.confidence,
            "h": self.hedged,
            "ss": self.sent_start,
            "se": self.sent_end,
            "amount": self.amount,
            "date": self.date,
            "trigger": self.trigger,
        }
        if self.token is not None:
            d["ti"] = self.token
        d["rule"] = self.rule
        return d


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


def keep(out: dict, rel: Record) -> None:
    """Keep one mention per (pair, predicate, sentence), the most confident."""
    pair = (rel.subject, rel.object)
    if rel.predicate in SYMMETRIC_PREDICATES:
        pair = tuple(sorted(pair))
    key = (pair, rel.predicate, rel.sent_start)
    old = out.get(key)
    if old is None or rel.confidence > old.confidence:
        out[key] = rel


def keep_plain(out: dict, sent, subject: int, obj: int, predicate: str, conf: float, trigger: str, rule: str) -> None:
    """Keep a record of ``sent`` that states the relation plainly: not hedged, no amount or date."""
    keep(
        out,
        Record(
            subject=subject,
            object=obj,
            predicate=predicate,
            confidence=conf,
            hedged=False,
            sent_start=sent.start_char,
            sent_end=sent.end_char,
            amount=None,
            date=None,
            trigger=trigger,
            rule=rule,
        ),
    )


@dataclass
class Context:
    """What the passes over one doc share; :func:`ingest.relations.rules.extract` builds it.

    Attributes:
        doc: the spaCy Doc.
        mentions: entity mentions (fallback names appended, types corrected in place).
        coref: ``[token, mention, kind]`` links.
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
