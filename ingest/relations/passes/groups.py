"""Group pairs: "the two companies" standing for organizations named before it."""

from __future__ import annotations

from ingest.relations.arms import arm
from ingest.relations.clauses import negated
from ingest.relations.lexicon import Trigger, trigger_matches
from ingest.relations.passes.triggers import fills, make_relation
from ingest.relations.records import Context, keep
from ingest.relations.signatures import ORG
from ingest.relations.words import WORDS
from kg.model import SYMMETRIC_PREDICATES

# How many members a phrase counts (a number per word, so it stays with the code)
_GROUP_SIZES = {"two": 2, "both": 2, "three": 3, "pair": 2, "duo": 2}


def plural_groups(doc, mentions, coref) -> dict[int, list[tuple]]:
    """Return {sentence start: [(token, [mention indexes])]} for "the two companies".

    The members are the most recent distinct organizations named before the phrase,
    in its sentence or the two before it, as many as the phrase says (two, three,
    both, the pair).
    """
    out: dict[int, list[tuple]] = {}
    orgs = sorted(
        (m["s"], idx)
        for idx, m in enumerate(mentions)
        if m["type"] == ORG and not m.get("virtual") and not m.get("fallback") and not m["agency"]
    )
    if len(orgs) < 2:
        return out
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        for tok in sent:
            size = None
            if tok.tag_ == "NNS" and tok.lemma_.lower() in WORDS.group_nouns:
                for c in tok.children:
                    if c.lower_ in _GROUP_SIZES and c.dep_ in ("nummod", "det", "predet", "amod"):
                        size = _GROUP_SIZES[c.lower_]
            elif tok.lower_ in ("pair", "duo") and any(c.lower_ == "the" for c in tok.children):
                size = 2
            if size is None:
                continue
            lo = sents[max(0, k - 2)].start
            first: dict[str, int] = {}
            for start, idx in reversed(orgs):
                if lo <= start < tok.i:
                    first.setdefault(mentions[idx]["name"], idx)
            # one corporate family counts once ("Google" and "Google Cloud")
            names = [n for n in first if not any(n != o and n.startswith(o + " ") for o in first)]
            if len(names) < size:
                continue
            # the most talked-about ones so far, the most recent breaking ties
            weight = {n: sum(1 for m in mentions[:] if m["name"] == n and m["s"] < tok.i) for n in names}
            for t_i, idx, *_ in coref:
                if t_i < tok.i and mentions[idx]["name"] in weight:
                    weight[mentions[idx]["name"]] += 1
            ranked = sorted(names, key=lambda n: (-weight[n], names.index(n)))[:size]
            out.setdefault(sent.start, []).append((tok, [first[n] for n in ranked]))
    return out


def group_pass(ctx: Context, sent, sent_args: list, tok, trigs: list[Trigger]) -> None:
    """Add symmetric relations among the members of "the two companies" filling a pair slot."""
    groups = ctx.groups.get(sent.start)
    if not groups:
        return
    doc, mentions, lexicon, out = ctx.doc, ctx.mentions, ctx.lexicon, ctx.out
    for g_tok, members in groups:
        a = arm(tok, g_tok)
        if a is None:
            continue
        for trig in trigs:
            if trig.predicate not in SYMMETRIC_PREDICATES or not trigger_matches(tok, trig):
                continue
            if not fills(trig, a[0], a[0], tok, lexicon) or negated(tok):
                continue
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    rel = make_relation(
                        doc, sent, tok, trig, mentions, members[x], members[y], a[1] + 2, "coref", "coref", rule="group"
                    )
                    if rel is not None:
                        keep(out, rel)
