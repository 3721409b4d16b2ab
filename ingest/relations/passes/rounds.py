"""Funding rounds: the investors of a round whose sentence does not name the company."""

from __future__ import annotations

from ingest.relations.arms import arm
from ingest.relations.clauses import hedged, negated
from ingest.relations.lexicon import funding_noun
from ingest.relations.records import Context, Record, confidence, keep
from ingest.relations.signatures import ORG, PER
from ingest.relations.words import WORDS


def _raiser_in(sent, sent_args, mentions) -> tuple[int, str] | None:
    """Return the organization that the sentence says raised money ("X has raised $500 million")."""
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in WORDS.raise_verbs:
            continue
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        objs += [g for o in objs for g in o.conjuncts]
        if not any(
            funding_noun(o)
            if tok.lemma_.lower() not in WORDS.round_only_verbs
            else o.lemma_.lower() in WORDS.round_nouns
            for o in objs
        ):
            continue
        if negated(tok):
            continue
        for h, idx, src in sent_args:
            a = arm(tok, h)
            if a is not None and a[0] == "nsubj" and mentions[idx]["type"] == ORG and not mentions[idx]["agency"]:
                return idx, src
    return None


def _round_owner(rnd, by_tok) -> tuple[int, str] | None:
    for c in rnd.children:
        if c.dep_ == "poss":
            hit = by_tok.get(c.i) or next((by_tok[t.i] for t in c.subtree if t.i in by_tok), None)
            if hit is not None:
                return hit
    return None


def _add_investor(out, mentions, sent, tok, investor, target, weight: float, steps: int) -> None:
    """Keep investsIn(investor, target) from trigger ``tok`` unless the pair cannot hold it."""
    idx, src = investor
    if target is None or idx == target[0]:
        return
    m, t = mentions[idx], mentions[target[0]]
    if m["type"] not in (ORG, PER) or m.get("fallback") or m["agency"] or m["name"] == t["name"] or t["type"] != ORG:
        return
    hedge = hedged(tok)
    keep(
        out,
        Record(
            subject=idx,
            object=target[0],
            predicate="investsIn",
            confidence=confidence(weight, steps, src, target[1], hedge),
            hedged=hedge,
            sent_start=sent.start_char,
            sent_end=sent.end_char,
            amount=None,
            date=None,
            trigger=tok.text,
            rule="round",
        ),
    )


def round_participants(ctx: Context, sent, sent_args: list) -> None:
    """Add investsIn for investors of a round whose sentence names no company.

    "Thrive Capital led the financing", "the round, led by Thrive Capital", "Google,
    Amazon and Nvidia all invested", "with Cisco and AMD also taking part", "X and Y
    joined the round". The company raising is the possessor of the round ("joined the
    ChatGPT maker's latest round"), else the company the sentence says raised money,
    else the one the two sentences before it say raised money (``ctx.carry["round"]``
    carries it).
    """
    mentions, out = ctx.mentions, ctx.out
    carry = ctx.carry.setdefault("round", {})
    by_tok = {h.i: (idx, src) for h, idx, src in sent_args}
    raiser = _raiser_in(sent, sent_args, mentions)
    if raiser is not None:
        carry["raiser"] = (raiser, sent.start_char, ctx.sent_index)
    earlier_cache: list = []

    def earlier_raiser():
        """The latest company an earlier sentence (at most two back) says raised money."""
        if raiser is not None:
            return None
        if earlier_cache:
            return earlier_cache[0]
        # a company said to raise money wins over the objects of other investments
        # mentioned since ("Thrive Capital, the firm that has also backed OpenAI")
        cands = []
        if carry.get("raiser") and ctx.sent_index - carry["raiser"][2] <= 2:
            cands.append((carry["raiser"][1], carry["raiser"][0]))
        else:
            cands += [
                (r.sent_start, (r.object, "coref"))
                for r in out.values()
                if r.predicate == "investsIn" and r.sent_start < sent.start_char and sent.start_char - r.sent_end < 400
            ]
        earlier_cache.append(max(cands, key=lambda c: c[0])[1] if cands else None)
        return earlier_cache[0]

    for tok in sent:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in WORDS.investor_nouns:
            continue
        target = raiser or earlier_raiser()
        if target is None:
            continue
        # "Nvidia, which is also an investor", "with A and B among the other backers":
        # an investor of the company the story says raised money, when the noun names none
        arms = [(arm(tok, h), idx, src) for h, idx, src in sent_args]
        if any(a is not None and a[0] in ("prep:in", "poss", "prep:of", "compound", "prep:into") for a, _, _ in arms):
            continue
        if any(c.dep_ == "poss" for c in tok.children) or negated(tok):
            continue
        for a, idx, src in arms:
            if a is None or not (a[0] in ("appos", "^appos", "incl_obj", "oprd_obj") or a[0].startswith("sup_subj:")):
                continue
            tgt = target
            if mentions[idx]["name"] == mentions[tgt[0]]["name"]:
                tgt = raiser or earlier_raiser()  # "A is an investor": A is the sentence's subject
            _add_investor(out, mentions, sent, tok, (idx, src), tgt, 0.65, a[1] + 1)
    for tok in sent:
        lem = tok.lemma_.lower()
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        preps = [
            g
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ in ("in", "into")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        arms_ok = ("nsubj",)
        if (
            lem == "participate"
            or (lem == "take" and any(o.lower_ == "part" for o in objs))
            or (lem in ("invest", "co-invest", "chip") and not any(o.i in by_tok for o in objs))
        ):
            rounds = [g for g in preps if g.lemma_.lower() in WORDS.round_nouns]
            if preps and not rounds:
                continue  # "invested in AI": a field, not the round
        elif lem in ("join", "back") and objs and objs[0].lemma_.lower() in WORDS.round_nouns:
            rounds = objs[:1]
        elif lem == "join" and not objs and not any(c.dep_ in ("prep", "agent") for c in tok.children):
            rounds = []  # "Nvidia, Samsung and IBM all joined", in a story about a round
        elif (
            lem in ("put", "pour", "plow", "plough")
            and any(funding_noun(o) for o in objs)
            and not any(
                c.dep_ == "prep" and c.lower_ in ("into", "in") and any(g.dep_ == "pobj" for g in c.children)
                for c in tok.children
            )
        ):
            rounds = []  # "Returning backers A and B put in more money"
        elif lem in WORDS.lead_verbs and objs and objs[0].lemma_.lower() in WORDS.round_nouns:
            rounds = objs[:1]
        elif (
            lem in WORDS.lead_verbs
            and tok.tag_ == "VBN"
            and tok.dep_ in ("acl", "relcl")
            and tok.head.lemma_.lower() in WORDS.round_nouns
        ):
            rounds, arms_ok = [tok.head], ("agent",)  # "a round led by X"
        elif lem in WORDS.lead_verbs and any(
            c.dep_ == "nsubjpass" and c.lemma_.lower() in WORDS.round_nouns for c in tok.children
        ):
            rounds, arms_ok = [c for c in tok.children if c.dep_ == "nsubjpass"], ("agent",)  # "the round was led by X"
        else:
            continue
        if negated(tok):
            continue
        target = None
        for r in rounds:
            target = _round_owner(r, by_tok) or target
        if target is None and rounds and any(c.dep_ == "poss" for r in rounds for c in r.children):
            continue  # "joined its round": an owner we cannot name
        if target is None:
            target = raiser or earlier_raiser()
        if target is None or mentions[target[0]]["type"] != ORG:
            continue
        for h, idx, src in sent_args:
            a = arm(tok, h)
            if (
                a is None
                and arms_ok == ("nsubj",)
                and tok.dep_ in ("pcomp", "advcl")
                and h.i < tok.i
                and any(c.dep_ == "prep" and c.lower_ == "with" and c.i < h.i for c in [tok.head, *tok.head.children])
            ):
                a = ("nsubj", 2)  # "with Cisco, AMD and Fujitsu also taking part": the parser splits the list
            if a is not None and a[0] in arms_ok and a[1] <= 3:
                _add_investor(out, mentions, sent, tok, (idx, src), target, 0.7, a[1] + 1)
