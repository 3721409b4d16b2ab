"""The trigger lexicon (``data/triggers.json``) and the tests of a token against it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.entities.names import hyphen_first
from ingest.relations.words import WORDS
from kg.model import PREDICATES

DEFAULT_TRIGGERS = Path(__file__).resolve().parents[1] / "data" / "triggers.json"


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a lemma that signals a predicate and the arms of its arguments."""

    predicate: str
    lemma: str
    pos: str
    weight: float
    subj: frozenset[str]
    obj: frozenset[str]
    pair: frozenset[str]
    with_words: frozenset[str]
    without_words: frozenset[str]
    invert: bool
    needs_funding_object: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Triggers indexed by (lemma, coarse POS), plus the support verbs of noun triggers."""

    by_lemma: dict
    support_verbs: frozenset[str]

    def at(self, tok) -> list | None:
        """The triggers token ``tok`` may be, by its lemma and coarse part of speech; a word
        the tokenizer split at a hyphen is read whole ("start-up", "tie-up": the parser makes
        "up" the head noun), with or without its hyphen."""
        pos = coarse_pos(tok)
        lemma = tok.lemma_.lower()
        first = hyphen_first(tok)
        if first is not None:
            for key in (f"{first}-{lemma}", f"{first}{lemma}"):
                if (key, pos) in self.by_lemma:
                    return self.by_lemma[(key, pos)]
        return self.by_lemma.get((lemma, pos))


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load and check the trigger lexicon.

    Args:
        path: the JSON file; defaults to ``ingest/data/triggers.json``.

    Returns:
        The :class:`Lexicon`.

    Raises:
        ValueError: a predicate is not one of :data:`kg.model.PREDICATES` or an arm set
            reference is unknown (listing the valid ones).
    """
    p = Path(path) if path else DEFAULT_TRIGGERS
    data = json.loads(p.read_text(encoding="utf-8"))
    arm_sets = data.get("arm_sets", {})
    word_sets = data.get("word_sets", {})

    def resolve(items, named: dict, kind: str) -> set:
        """Return ``items`` with every "@NAME" replaced by the named set's members."""
        out = set()
        for x in items or ():
            if x.startswith("@"):
                if x[1:] not in named:
                    raise ValueError(f"unknown {kind} set {x!r}; known: {sorted(named)}")
                out |= resolve(named[x[1:]], named, kind)
            else:
                out.add(x)
        return out

    by_lemma: dict = {}
    for pred, entries in data["predicates"].items():
        if pred not in PREDICATES:
            raise ValueError(f"unknown predicate {pred!r}; valid: {', '.join(PREDICATES)}")
        for e in entries:
            for lemma, weight in e["lemmas"].items():
                trig = Trigger(
                    predicate=pred,
                    lemma=lemma,
                    pos=e["pos"],
                    weight=float(weight),
                    subj=frozenset(resolve(e.get("subj"), arm_sets, "arm")),
                    obj=frozenset(resolve(e.get("obj"), arm_sets, "arm")),
                    pair=frozenset(resolve(e.get("pair"), arm_sets, "arm")),
                    with_words=frozenset(resolve(e.get("with"), word_sets, "word")),
                    without_words=frozenset(resolve(e.get("without"), word_sets, "word")),
                    invert=bool(e.get("invert", False)),
                    needs_funding_object=bool(e.get("needs_funding_object", False)),
                )
                by_lemma.setdefault((lemma, e["pos"]), []).append(trig)
    return Lexicon(by_lemma=by_lemma, support_verbs=frozenset(data.get("support_verbs", ())))


# Prepositions whose objects count among a trigger's 'with' words ("rolled out X to its staff",
# "packed with GPUs")
_WITH_PREPS = frozenset({"to", "across", "at", "of", "with"})


def _prep_objects(tok, preps: frozenset[str] | None = None) -> set[str]:
    """The lower-cased objects of the trigger's prepositions (of ``preps`` only, if given)."""
    # ("gave X to its staff": the parser may label that "to" a dative)
    objects = [
        g
        for c in tok.children
        if c.dep_ in ("prep", "dative") and (preps is None or c.lower_ in preps)
        for g in c.children
    ]
    # and a part's whole: "to 20,000 of its developers", "across all of its offices"
    wholes = [w for g in objects for c in g.children if c.dep_ == "prep" and c.lower_ == "of" for w in c.children]
    return {g.lower_ for g in (*objects, *wholes) if g.dep_ == "pobj"}


def trigger_matches(tok, trig: Trigger) -> bool:
    """Return True if token ``tok`` meets the trigger's conditions (funding object, with/without words)."""
    if trig.needs_funding_object and not any(
        c.dep_ in ("dobj", "nsubjpass") and (funding_noun(c) or any(funding_noun(g) for g in c.conjuncts))
        for c in tok.children
    ):
        return False  # "took $13 billion from Microsoft", never "took market share from Intel"
    if trig.with_words:
        # also "rolled out X to its staff": the objects of to, across and at
        near = {c.lower_ for c in tok.children} | {c.lower_ for c in tok.lefts} | _prep_objects(tok, _WITH_PREPS)
        if tok.i > 0:
            near.add(tok.doc[tok.i - 1].lower_)
        if not (near & trig.with_words):
            return False
    if trig.without_words:
        # the trigger's own words and its prepositions' objects ("compete for talent with X")
        near = {c.lower_ for c in tok.children} | _prep_objects(tok)
        if tok.i > 0:
            near.add(tok.doc[tok.i - 1].lower_)
        if near & trig.without_words:
            return False
    return True


def coarse_pos(tok) -> str:
    """Return the part of speech the lexicon indexes ``tok`` under (VERB, NOUN, ADJ, ...)."""
    if tok.pos_ in ("VERB", "AUX"):
        return "VERB"
    if (
        tok.pos_ == "NOUN"
        and tok.text.islower()
        and (
            any(c.dep_ == "prt" for c in tok.children)
            or (
                any(c.dep_ == "nsubj" for c in tok.children)
                and not any(c.dep_ in ("det", "poss", "amod", "compound", "nummod") for c in tok.lefts)
            )
        )
    ):
        # "Google and Microsoft vie for ...", "SAP teams up with": a verb the tagger took for a
        # noun (a noun with a determiner is a noun: "makes OpenAI the anchor customer")
        return "VERB"
    if tok.pos_ in ("NOUN", "PROPN"):
        return "NOUN"
    if tok.pos_ == "ADJ":
        return "ADJ"
    return tok.pos_


def funding_noun(tok) -> bool:
    """Return True if ``tok`` names money or a funding round."""
    return (
        tok.lemma_.lower() in WORDS.round_nouns
        or tok.lower_ in ("million", "billion", "money", "capital", "cash")
        or tok.ent_type_ == "MONEY"
    )


_LEX_NOUNS_CACHE: dict[str, bool] = {}


def lexicon_nouns(word: str) -> bool:
    """Return True if ``word`` is a role or relation noun of the packaged lexicon."""
    if word not in _LEX_NOUNS_CACHE:
        _LEX_NOUNS_CACHE[word] = (word, "NOUN") in load_lexicon().by_lemma
    return _LEX_NOUNS_CACHE[word]
