"""Candidate pairs: every two entity mentions in a sentence that some predicate could link.

A candidate is an ordered pair (subject side, object side) of mentions that share a
sentence, where each side is reached through one token: the root of a named mention or
a pronoun / description that coreference resolved to a mention. The pair is kept when
the two types fit the domain and range of at least one predicate
(:data:`ingest.relations.SIGNATURES`, the one place signatures are declared); the
classifier then scores those predicates only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.relations.names import FALLBACK_PREDICATES
from ingest.relations.signatures import SIGNATURES
from kg.model import PREDICATES


@dataclass(frozen=True)
class Candidate:
    """An ordered pair of argument tokens in one sentence.

    Attributes:
        a: mention index of the subject side (into the doc's mention list).
        b: mention index of the object side.
        ha: token index standing for ``a`` in this sentence.
        hb: token index standing for ``b``.
        src_a: how ``a`` was found here ("gaz", "ner", "coref", "desc", "np", ...).
        src_b: the same for ``b``.
        sent_start: token index where the sentence starts.
        sent_end: token index where the sentence ends.
        predicates: the predicates whose signature the two types fit, in
            :data:`kg.model.PREDICATES` order.
    """

    a: int
    b: int
    ha: int
    hb: int
    src_a: str
    src_b: str
    sent_start: int
    sent_end: int
    predicates: tuple[str, ...]


def _fits(type_a: str, type_b: str, fallback: bool) -> tuple[str, ...]:
    return tuple(
        p
        for p in PREDICATES
        if type_a in SIGNATURES[p][0] and type_b in SIGNATURES[p][1] and (not fallback or p in FALLBACK_PREDICATES)
    )


def sentence_arguments(doc, mentions: list[dict], coref: list[list[int]]) -> dict[int, list[tuple[int, int, str]]]:
    """Return, per sentence start token, the argument tokens: ``(token, mention, source)``.

    A named mention stands by its root token; a resolved pronoun or description by its
    own token, with source "coref". One token per mention per sentence position.
    """
    by_sent: dict[int, list[tuple[int, int, str]]] = {}
    seen: set[int] = set()
    for idx, m in enumerate(mentions):
        if m.get("virtual"):
            continue
        root = doc[m["s"] : m["e"]].root
        if root.i in seen:
            continue
        seen.add(root.i)
        src = "fallback" if m.get("fallback") else m.get("src", "ner")
        by_sent.setdefault(root.sent.start, []).append((root.i, idx, src))
    for tok_i, idx, *_ in coref:
        if tok_i in seen:
            continue
        seen.add(tok_i)
        by_sent.setdefault(doc[tok_i].sent.start, []).append((tok_i, idx, "coref"))
    return by_sent


def candidates(doc, mentions: list[dict], coref: list[list[int]], max_pairs: int = 400) -> list[Candidate]:
    """Return the candidate pairs of a parsed doc, sentence by sentence.

    Args:
        doc: the spaCy Doc, with sentences.
        mentions: entity mentions (:func:`ingest.entities.find_mentions`, after the
            rules added their fallback names).
        coref: ``[token, mention, kind]`` links (:func:`ingest.coref.resolve`).
        max_pairs: at most this many pairs per sentence (nearest first), so one
            sentence that lists 80 companies costs no more than a normal one.

    Returns:
        The candidates, in text order.
    """
    out: list[Candidate] = []
    by_sent = sentence_arguments(doc, mentions, coref)
    for start in sorted(by_sent):
        args = sorted(by_sent[start])
        if len(args) < 2:
            continue
        sent = doc[start].sent
        pairs = []
        for ta, ia, sa in args:
            ma = mentions[ia]
            for tb, ib, sb in args:
                if ia == ib or ta == tb:
                    continue
                mb = mentions[ib]
                if ma["name"] == mb["name"]:
                    continue
                preds = _fits(ma["type"], mb["type"], bool(ma.get("fallback") or mb.get("fallback")))
                if preds:
                    pairs.append((abs(ta - tb), ta, tb, ia, ib, sa, sb, preds))
        if len(pairs) > max_pairs:
            pairs.sort()
            pairs = sorted(pairs[:max_pairs], key=lambda x: (x[1], x[2]))
        for _, ta, tb, ia, ib, sa, sb, preds in pairs:
            out.append(Candidate(ia, ib, ta, tb, sa, sb, sent.start, sent.end, preds))
    return out
