"""Candidate pairs: every two entity mentions in a sentence that some predicate could link.

With ``cross_sentence=True`` (an experiment, off: see training/README.md, "Recall"),
pairs are also made across a sentence boundary, between a sentence's topics (the subject
of its main verb, and its first argument) and every argument of the next sentence, in
both orders ("X raised $600 million. The round was led by A, and B and C took part.").
These candidates carry ``cross=1`` and features of their own
(:mod:`ingest.relations.features`); the shipped model was not trained with them.

A candidate is an ordered pair (subject side, object side) of mentions that share a
sentence, where each side is reached through one token: the root of a named mention or
a pronoun / description that coreference resolved to a mention. The pair is kept when
the two types fit the domain and range of at least one predicate
(:data:`ingest.relations.SIGNATURES`, the one place signatures are declared); the
classifier then scores those predicates only. A name NER typed as a person or an
organization (not a gazetteer name) may also stand as the other: NER confuses the two on
names it has not seen, and on passages by new writers a sixth of the relations were lost
to it (``benchmarks/bench_fresh_writers.py``). The predicates reached that way are listed
in ``flips``, a feature tells the classifier so, and the decision retypes the name when
it keeps such a relation (:func:`ingest.relations.decision._retype`). A rule's fallback
name (a capitalized phrase neither the gazetteer nor NER found) pairs like any organization;
its source is a feature.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.coref.plural import plural_members
from ingest.entities import is_regulator, is_venue
from ingest.relations.signatures import NOT_WITH_REGULATORS, SIGNATURES
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
        cross: 0 for a pair in one sentence; 1 for a pair across two adjacent
            sentences (then ``sent_start`` is the earlier sentence's start and
            ``sent_end`` the later one's end).
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
    cross: int = 0
    #: ``(predicate, side)`` for the predicates reachable only by reading side "a" or "b",
    #: a name NER typed as a person or organization, as the other type (:func:`_pair_fits`)
    flips: tuple[tuple[str, str], ...] = ()


_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _topics(doc, args: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Return a sentence's topic arguments: the subject of its main verb, and its first argument."""
    out = [args[0]]
    for a in args[1:]:
        tok = doc[a[0]]
        if tok.dep_ in _SUBJECTS and tok.head.dep_ == "ROOT":
            out.append(a)
    return out


def _fits(type_a: str, type_b: str) -> tuple[str, ...]:
    return tuple(p for p in PREDICATES if type_a in SIGNATURES[p][0] and type_b in SIGNATURES[p][1])


#: NER's person and organization labels are the ones it confuses on names it has not seen
#: ("Naqsh" a person, "Okonkwo Ventures" an organization); a gazetteer name keeps its type
FLIP = {"Person": "Organization", "Organization": "Person"}


def _pair_fits(ma: dict, mb: dict) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Return the predicates two mentions fit, and those they fit only with one side's type flipped.

    A side NER found (not the gazetteer, not a rule's fallback name) typed as a person or
    an organization may also be read as the other; the classifier sees which side was
    flipped (a feature) and learns how far to trust it, and the decision retypes the
    name when a relation resting on the flip is kept.
    """
    fallback = bool(ma.get("fallback") or mb.get("fallback"))
    preds = _fits(ma["type"], mb["type"])
    flips: list[tuple[str, str]] = []
    reached = set(preds)
    if not fallback:
        for side, m in (("a", ma), ("b", mb)):
            other = FLIP.get(m["type"])
            if other is None or m.get("src", "ner") != "ner":
                continue
            ta, tb = (other, mb["type"]) if side == "a" else (ma["type"], other)
            for p in _fits(ta, tb):
                if p not in reached:
                    reached.add(p)
                    flips.append((p, side))
    if flips:
        order = {p: k for k, p in enumerate(PREDICATES)}
        preds = tuple(sorted((*preds, *(p for p, _ in flips)), key=order.__getitem__))
    if is_regulator(ma) or is_regulator(mb):
        # a regulator rules on companies: it is no rival, customer, owner or investment
        preds = tuple(p for p in preds if p not in NOT_WITH_REGULATORS)
        flips = [f for f in flips if f[0] not in NOT_WITH_REGULATORS]
    return preds, tuple(flips)


def sentence_arguments(
    doc, mentions: list[dict], coref: list[list[int]], plural: dict[int, list[int]] | None = None
) -> dict[int, list[tuple[int, int, str]]]:
    """Return, per sentence start token, the argument tokens: ``(token, mention, source)``.

    A named mention stands by its root token; a resolved pronoun or description by its
    own token, with source "coref". One token per mention per sentence position, but for
    a plural word standing for companies named together before it (``plural``: token ->
    members, :func:`ingest.coref.plural.plural_members`), one per member ("Both buy chips
    from X").
    """
    by_sent: dict[int, list[tuple[int, int, str]]] = {}
    seen: set[int] = set()
    for idx, m in enumerate(mentions):
        if m.get("virtual") or is_venue(m):
            continue
        root = doc[m["s"] : m["e"]].root
        if root.i in seen:
            continue
        seen.add(root.i)
        src = "fallback" if m.get("fallback") else m.get("src", "ner")
        by_sent.setdefault(root.sent.start, []).append((root.i, idx, src))
    for tok_i, idx, *_ in coref:
        if tok_i in seen or is_venue(mentions[idx]):
            continue
        seen.add(tok_i)
        by_sent.setdefault(doc[tok_i].sent.start, []).append((tok_i, idx, "coref"))
    for tok_i, members in (plural or {}).items():
        if tok_i not in seen:
            by_sent.setdefault(doc[tok_i].sent.start, []).extend((tok_i, idx, "coref") for idx in members)
    return by_sent


def _inside_descriptors(doc, coref: list[list[int]]) -> dict[int, int]:
    """Return token -> descriptor token for the modifiers of each gazetteer descriptor.

    A name inside a descriptor ("ChatGPT" in "Microsoft invested in the ChatGPT maker")
    is said of the entity the descriptor names, so it pairs with that entity only.
    """
    inside: dict[int, int] = {}
    for t, _idx, kind, *_ in coref:
        if kind != "descriptor":
            continue
        for c in doc[t].children:
            if c.dep_ in ("compound", "amod", "nmod") and c.i < t:
                for x in c.subtree:
                    inside[x.i] = t
    return inside


def candidates(
    doc, mentions: list[dict], coref: list[list[int]], max_pairs: int = 400, cross_sentence: bool = False
) -> list[Candidate]:
    """Return the candidate pairs of a parsed doc, sentence by sentence.

    Args:
        doc: the spaCy Doc, with sentences.
        mentions: entity mentions (:func:`ingest.entities.find_mentions`, after the
            rules added their fallback names).
        coref: ``[token, mention, kind]`` links (:func:`ingest.coref.resolve`).
        max_pairs: at most this many pairs per sentence (nearest first), so one
            sentence that lists 80 companies costs no more than a normal one.
        cross_sentence: also pair the topics of each sentence with the arguments of
            the next (``cross=1``); off, as the shipped model was trained.

    Returns:
        The candidates, in text order.
    """
    out: list[Candidate] = []
    plural = dict(plural_members(doc, mentions))
    by_sent = sentence_arguments(doc, mentions, coref, plural)
    inside = _inside_descriptors(doc, coref)
    for start in sorted(by_sent):
        args = sorted(by_sent[start])
        if len(args) < 2:
            continue
        sent = doc[start].sent
        pairs = []
        for ta, ia, sa in args:
            ma = mentions[ia]
            for tb, ib, sb in args:
                # a side inside a descriptor pairs only with that descriptor's own token
                if ia == ib or ta == tb or inside.get(ta, tb) != tb or inside.get(tb, ta) != ta:
                    continue
                if ib in plural.get(ta, ()) or ia in plural.get(tb, ()):
                    continue  # "A and B said they ...": the group is not its own member's partner
                mb = mentions[ib]
                if ma["name"] == mb["name"]:
                    continue
                preds, flips = _pair_fits(ma, mb)
                if preds:
                    pairs.append((abs(ta - tb), ta, tb, ia, ib, sa, sb, preds, flips))
        if len(pairs) > max_pairs:
            pairs.sort()
            pairs = sorted(pairs[:max_pairs], key=lambda x: (x[1], x[2]))
        for _, ta, tb, ia, ib, sa, sb, preds, flips in pairs:
            out.append(Candidate(ia, ib, ta, tb, sa, sb, sent.start, sent.end, preds, flips=flips))
    if cross_sentence:
        within = {(mentions[c.a]["name"], mentions[c.b]["name"]) for c in out}
        out += _cross_candidates(doc, mentions, by_sent, max_pairs, within)
    return out


def _cross_candidates(
    doc, mentions: list[dict], by_sent: dict, max_pairs: int, within: set[tuple[str, str]]
) -> list[Candidate]:
    """Pairs across adjacent sentences: each topic of one sentence with each argument of the next.

    A pair of names that also stand together in one sentence of the doc (``within``) is
    left to that sentence: what the passage says of them there is what it says.
    """
    out: list[Candidate] = []
    for sent in doc.sents:
        if sent.end >= len(doc):
            break
        nxt = doc[sent.end].sent
        first, second = sorted(by_sent.get(sent.start, ())), sorted(by_sent.get(nxt.start, ()))
        if not first or not second:
            continue
        links = {(t, x) for t in _topics(doc, first) for x in second}
        links |= {(x, t) for t in _topics(doc, second) for x in first}
        seen: set[tuple[int, int]] = set()
        for early, late in sorted(links):
            for (ta, ia, sa), (tb, ib, sb) in ((early, late), (late, early)):
                ma, mb = mentions[ia], mentions[ib]
                if ia == ib or ma["name"] == mb["name"] or (ia, ib) in seen or (ma["name"], mb["name"]) in within:
                    continue
                preds = _fits(ma["type"], mb["type"])
                if preds:
                    seen.add((ia, ib))
                    out.append(Candidate(ia, ib, ta, tb, sa, sb, sent.start, nxt.end, preds, cross=1))
                if len(seen) >= max_pairs:
                    break
    return out
