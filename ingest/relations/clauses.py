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
            c.lower_ in WORDS.undone_particles and c.dep_ in ("advmod", "prt", "acomp", "prep") for c in verb.children
        ):
            return True
    for tok in chain:
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        for c in tok.children:
            if (
                c.dep_ == "conj"
                and c.i > tok.i
                and (c.lemma_ in WORDS.neg_lemmas or c.lemma_ == "rebuff")
                and any(x.lower_ in ("but", "only") for x in tok.doc[tok.i : c.i])
            ):
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


_CURRENCY_MARKS = {"$", "€", "£", "¥", "₹", "₩", "us$", "c$", "a$", "hk$", "s$", "rs", "rs.", "eur", "usd", "gbp"}
_MAGNITUDES = {"m", "mn", "bn", "b", "k", "tn", "million", "billion", "trillion", "crore", "lakh"}


def money_text(ent) -> str:
    """Return a MONEY span's words with the currency sign and magnitude the tagger left out.

    The small model tags "$650m" as "650": the sign and the "m" are tokens of their own.
    """
    doc = ent.doc
    start, end = ent.start, ent.end
    if start > 0 and doc[start - 1].lower_ in _CURRENCY_MARKS and doc[start - 1].ent_type_ in ("", "MONEY"):
        start -= 1
    if end < len(doc) and doc[end].lower_ in _MAGNITUDES and doc[end - 1].lower_ not in _MAGNITUDES:
        end += 1
    return doc[start:end].text


def _reported_on(ent, t, chain_ids: set[int]) -> bool:
    """Return True if the date hangs on a reporting verb above the trigger ("said on Tuesday it would buy X").

    The day a company spoke is not the day of the deal; a trigger that is itself the
    reporting verb ("announced a partnership on Tuesday") keeps its date.
    """
    for a in [ent.root, *ent.root.ancestors]:
        if a.i in chain_ids:
            return a.i != t.i and a.lemma_.lower() in WORDS.reporting
    return False


# The doc's named-entity spans by sentence start, kept in ``doc.user_data`` while
# :func:`ingest.relations.extract` runs (filtering the whole doc per trigger is quadratic)
SENT_ENTS = "aikg_sent_ents"


def ents_by_sentence(doc) -> dict[int, list]:
    """Return the doc's named-entity spans bucketed by their sentence's first token, in one pass."""
    out: dict[int, list] = {}
    for ent in doc.ents:
        out.setdefault(ent.sent.start, []).append(ent)
    return out


def sentence_ents(sent) -> list:
    """Return a sentence's named-entity spans, from the doc's cache when one is set."""
    cached = sent.doc.user_data.get(SENT_ENTS)
    return cached.get(sent.start, []) if cached is not None else list(sent.ents)


def amount_and_date(t, sent) -> tuple[str | None, str | None]:
    """Return the money amount and the date attached to the trigger's clause, if any.

    Of several dates the one nearest the trigger wins (see :func:`_date_chain`).
    """
    chain = _clause_chain(t)
    ids = {c.i for c in chain}
    amount = None
    dates = []
    for ent in sentence_ents(sent):
        if ent.label_ == "MONEY" and amount is None and _attached(ent, ids):
            amount = money_text(ent)
        elif ent.label_ == "DATE":
            dates.append(ent)
    return amount, (_clause_date(t, dates) if dates else None)


def _date_chain(t) -> list[tuple[object, int | None]]:
    """Return the tokens whose dates can date the trigger, nearest first.

    The trigger's clause as :func:`_clause_chain` walks it, with three limits for
    dates: a subordinate clause ("after Ballmer had run the company since 2000") keeps
    its own time, so the walk stops at an ``advcl``; a verb coordinated after another
    shares that verb's dates only when they stand before it ("In 2019 it bought X and
    merged Y", not "it bought X in 2019 and has since merged Y"); and a relative clause
    on a trigger noun dates it ("its investment, which began in 2019").

    Returns:
        ``(token, before)`` pairs: a date hanging on the token counts if it starts
        before token index ``before`` (None: anywhere).
    """
    out: list[tuple[object, int | None]] = [(t, None)]
    if t.pos_ in ("NOUN", "PROPN"):
        out.extend((c, None) for c in t.children if c.dep_ in ("relcl", "acl") and c.pos_ in ("VERB", "AUX"))
    cur, before = t, None
    while cur.head.i != cur.i:
        if cur.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            cur = cur.head
            out.append((cur, before))
            continue
        if cur.dep_ == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            break  # "to supply X" (a purpose) shares the main verb's time; "after it had run X" does not
        if cur.dep_ in ("relcl", "appos", "acl", "amod", "compound", "poss", "nsubj", "nsubjpass", "parataxis"):
            break
        if cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX") and before is None:
            before = cur.head.i  # only dates fronted before the first verb are shared
        cur = cur.head
        out.append((cur, before))
    return out


def _clause_date(t, dates: list) -> str | None:
    """Return the words of the date nearest the trigger in its clause, or None."""
    chain = _date_chain(t)
    where: dict[int, tuple[int, int | None]] = {}
    for k, (tok, before) in enumerate(chain):
        where.setdefault(tok.i, (k, before))
    ids = set(where)
    best = None
    for ent in dates:
        hit = _attach_point(ent, ids)
        if hit is None:
            continue
        k, before = where[hit]
        if before is not None and ent.start >= before:
            continue
        if _reported_on(ent, t, ids) or _after_reporting_verb(ent, t) or _is_duration(ent):
            continue
        if best is None or k < best[0]:
            best = (k, ent.text)
    return best[1] if best else None


def _is_duration(ent) -> bool:
    """Return True if the DATE span is a length of time ("for five years"), not a day."""
    from ingest.temporal import DURATION, resolve_date

    return resolve_date(ent.text, None).reason == DURATION


def _attach_point(ent, ids: set[int]) -> int | None:
    """Return the index of the token in ``ids`` that the date hangs on, or None (another clause's)."""
    root = ent.root
    for a in [root, *root.ancestors]:
        if a.i in ids:
            return a.i
        if a.pos_ in ("VERB", "AUX") and a.i not in ids and a.lower_ not in WORDS.verb_like_nouns:
            return None
    return None


def _after_reporting_verb(ent, t) -> bool:
    """Return True if the date follows a reporting verb ("said on Monday the company had agreed").

    The parser often hangs such a date on the reported clause; the words say whose day it is.
    """
    doc = ent.doc
    k = ent.start - 1
    if k >= 0 and doc[k].lower_ in ("on", "in", "late", "early", "this", "last"):
        k -= 1
    if k < 0 or k == t.i:
        return False
    return doc[k].pos_ in ("VERB", "AUX") and doc[k].lemma_.lower() in WORDS.reporting


def date_anchors(doc, sent_start: int, sent_end: int, words: str, *, back: int = 3) -> list[str]:
    """Return the DATE words before a relation's date words, nearest first.

    "He left in 2023. That year he started a fund": "That year" leans on "2023". The
    candidates are the earlier DATE spans of the same sentence and of up to ``back``
    sentences before it; the caller keeps the first one that resolves.

    Args:
        doc: the parsed doc.
        sent_start: the relation's sentence, first character (doc offsets).
        sent_end: its end character.
        words: the relation's date words, as the record holds them.
        back: how many sentences before the relation's to look into.
    """
    span = doc.char_span(sent_start, sent_end, alignment_mode="expand")
    if span is None:
        return []
    here = next((e for e in span.ents if e.label_ == "DATE" and e.text == words), None)
    limit = here.start if here is not None else span.start
    sents = [span.sent]
    k = span.start - 1
    while len(sents) <= back and k >= 0:
        sents.append(doc[k].sent)
        k = doc[k].sent.start - 1
    out = []
    for s in sents:
        out.extend(e.text for e in reversed(sentence_ents(s)) if e.label_ == "DATE" and e.end <= limit)
    return out


def stake_of(t, sent) -> str | None:
    """Return the PERCENT words attached to the trigger's clause ("a 49% stake", "about 27 percent"), if any."""
    ids = {c.i for c in _clause_chain(t)}
    for ent in sentence_ents(sent):
        if ent.label_ == "PERCENT" and _attached(ent, ids | {x.i for x in t.subtree}):
            return ent.text
    return None
