"""What the trigger's clause says of it: negated, hedged, with an amount or a date."""

from __future__ import annotations

from ingest.relations.words import WORDS


def _clause_chain(t) -> list:
    """Return the trigger and the tokens governing it up to its clause's boundary."""
    chain = [t]
    cur = t
    while cur.head.i != cur.i:
        if cur.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            cur = cur.head  # "plans to acquire": the noun governs the infinitive
            chain.append(cur)
            continue
        if cur.dep_ in ("relcl", "appos", "acl", "amod", "compound", "poss", "nsubj", "nsubjpass", "parataxis"):
            break
        cur = cur.head
        chain.append(cur)
    return chain


def _undone(chain) -> bool:
    """Return True if the clause says the deal came to nothing.

    "The purchase of X is off", "the deal fell through", "tried to acquire X but was
    rebuffed": the trigger's phrase is the subject of a verb that undoes it, or a
    "but" clause coordinated with the trigger's undoes it.
    """
    top = chain[-1]
    if top.dep_ in ("nsubj", "nsubjpass"):
        verb = top.head
        if verb.lemma_ in WORDS.neg_lemmas or verb.lemma_ in ("fall", "unravel", "stall", "die", "sink", "founder"):
            if verb.lemma_ != "fall" or any(c.lower_ in WORDS.undone_particles for c in verb.children):
                return True
        if verb.lemma_ in ("be", "call") and any(
                c.lower_ in WORDS.undone_particles and c.dep_ in ("advmod", "prt", "acomp", "prep")
                for c in verb.children):
            return True
    for tok in chain:
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        for c in tok.children:
            if c.dep_ == "conj" and c.i > tok.i and (c.lemma_ in WORDS.neg_lemmas or c.lemma_ == "rebuff") and any(
                    x.lower_ in ("but", "only") for x in tok.doc[tok.i:c.i]):
                return True
    return False


def negated(t) -> bool:
    """Return True if the trigger's clause negates it ("did not", "denied", "no plans to")."""
    chain = _clause_chain(t)
    if _undone(chain):
        return True
    for tok in chain:
        if tok.lemma_ in WORDS.neg_lemmas and tok.i != t.i:
            return True
        if tok.lemma_ == "rule" and any(c.lower_ == "out" for c in tok.children):
            return True
        if tok.lemma_ in WORDS.divest_lemmas and t.lemma_ in WORDS.holding_nouns and tok.i != t.i:
            return True  # "sold its stake in X"
        for c in tok.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")):
                return True
            if c.dep_ == "advmod" and c.lower_ in ("never", "not"):
                return True
            if c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children):
                return True  # "is no longer an investor"
    doc = t.doc
    for k in range(max(t.sent.start, t.i - 4), t.i):
        if doc[k].lower_ in ("without", "instead") or (doc[k].lower_ == "than" and doc[k - 1].lower_ == "rather"):
            return True
    return False


def hedged(t) -> bool:
    """Return True if the trigger is reported as possible, planned or alleged, not as fact."""
    chain = _clause_chain(t)
    for tok in chain:
        if tok.lemma_ in WORDS.hedge_lemmas and tok.i != t.i:
            return True
        for c in tok.children:
            if c.dep_ in ("aux", "advmod", "amod") and c.lemma_ in WORDS.hedge_lemmas:
                return True
    low = t.sent.text.lower()
    return any(ph in low for ph in WORDS.hedge_phrases)


def _attached(ent, chain_ids: set[int]) -> bool:
    root = ent.root
    for a in [root, *root.ancestors]:
        if a.i in chain_ids:
            return True
        if a.pos_ in ("VERB", "AUX") and a.i not in chain_ids:
            return False
    return False


# The doc's named-entity spans by sentence start, kept in ``doc.user_data`` while
# :func:`ingest.relations.extract` runs (filtering the whole doc per trigger is quadratic)
SENT_ENTS = "aikg_sent_ents"


def amount_and_date(t, sent) -> tuple[str | None, str | None]:
    """Return the money amount and the date attached to the trigger's clause, if any."""
    chain = _clause_chain(t)
    ids = {c.i for c in chain}
    amount = date = None
    cached = t.doc.user_data.get(SENT_ENTS)
    for ent in (cached.get(sent.start, []) if cached is not None else sent.ents):
        if ent.label_ == "MONEY" and amount is None and _attached(ent, ids):
            amount = ent.text
        elif ent.label_ == "DATE" and date is None and _attached(ent, ids):
            date = ent.text
    return amount, date
