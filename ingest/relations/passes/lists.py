"""Lists: every member of "A, B and C" gets the relations one member has in its sentence."""

from __future__ import annotations

from dataclasses import replace

from ingest.relations.records import Context, keep

# Relations read from the surface next to one name ("OpenAI chief executive Sam Altman")
# say nothing about the other members of a list that name starts
_LOCAL_TRIGGERS = {"title", "'s"}


def _lists(doc, mentions) -> dict[int, int]:
    """Return {mention index: list id} for names coordinated in the text ("A, B and C").

    A list is a run of named mentions of one type separated only by commas, with "and"
    or "or" before its last member. It is read from the surface, not the parse: the
    small model splits long lists ("with Cisco, AMD and Fujitsu also taking part").
    """
    named = sorted((m["s"], m["e"], idx) for idx, m in enumerate(mentions) if not m.get("virtual") and m["e"] > m["s"])
    groups: list[list[int]] = []
    run: list[int] = []
    prev = None
    for s, e, idx in named:
        if prev is not None:
            _ps, pe, pidx = prev
            glue = doc[pe:s]
            words = [t.lower_ for t in glue if not t.is_space]
            ok = (
                0 < len(words) <= 3
                and all(w in (",", "and", "or") for w in words)
                and mentions[pidx]["type"] == mentions[idx]["type"]
                and doc[pe - 1].sent.start == doc[s].sent.start
                and not (pe < len(doc) and doc[pe].tag_ == "POS")
            )
            if ok:
                if not run:
                    run = [pidx]
                run.append(idx)
                if "and" in words or "or" in words:
                    groups.append(run)
                    run = []
                prev = (s, e, idx)
                continue
            run = []
        prev = (s, e, idx)
    out = {}
    for gid, g in enumerate(groups):
        # "A, B and C's chips": a possessive after the last name belongs to that name alone
        last = mentions[g[-1]]
        if last["e"] < len(doc) and doc[last["e"]].tag_ == "POS":
            g = g[:-1]
        if len(g) >= 2:
            for idx in g:
                out[idx] = gid
    return out


def _describes_member(doc, tok, member_ids, mentions) -> bool:
    """Return True if ``tok`` sits in a relative clause or apposition hung on a list member."""
    inside = {i for idx in member_ids for i in range(mentions[idx]["s"], mentions[idx]["e"])}
    for a in [tok, *tok.ancestors]:
        if a.dep_ in ("relcl", "acl", "appos") and a.head.i in inside:
            # "A and B, the co-founders of X" / "A and B, which are backed by X": plural
            # agreement says the clause is about the whole list
            plural = (
                a.tag_ in ("NNS", "NNPS")
                if a.dep_ == "appos"
                else any(x.tag_ == "VBP" or x.lower_ in ("are", "were") for x in [a, *a.children])
            )
            return not plural
    return False


def expand_lists(ctx: Context) -> None:
    """Give every member of a coordinated list the relations one member has in its sentence.

    The parser attaches only some members of a long list to the verb ("Dell and
    Supermicro supplied the servers"); the others fill the same slot. A member that has
    its own relation of the predicate in the slot keeps it, and no relation is copied
    onto a pair inside one list ("A and B partnered").
    """
    doc, mentions, out = ctx.doc, ctx.mentions, ctx.out
    lists = _lists(doc, mentions)
    if not lists:
        return
    members: dict[int, list[int]] = {}
    for idx, gid in lists.items():
        members.setdefault(gid, []).append(idx)
    for rel in list(out.values()):
        if rel.trigger in _LOCAL_TRIGGERS or rel.rule == "maker":
            continue  # "Microsoft and Nvidia ... on Microsoft Azure": the name says its one maker
        for slot in ("subject", "object"):
            gid = lists.get(getattr(rel, slot))
            other = getattr(rel, "object" if slot == "subject" else "subject")
            if gid is None or lists.get(other) == gid:
                continue
            if rel.token is not None and _describes_member(doc, doc[rel.token], members[gid], mentions):
                continue  # "A, B and C, which is backed by X": the clause is about C alone
            span_lo = min(mentions[i]["s"] for i in members[gid])
            span_hi = max(mentions[i]["e"] for i in members[gid])
            if rel.token is not None and span_lo <= rel.token < span_hi:
                continue  # "A, its subsidiary B, and C": the trigger describes one member
            for idx in members[gid]:
                if idx == getattr(rel, slot) or mentions[idx]["name"] == mentions[other]["name"]:
                    continue
                taken = any(
                    r.predicate == rel.predicate and r.sent_start == rel.sent_start and getattr(r, slot) == idx
                    for r in out.values()
                )
                if taken:
                    continue
                keep(out, replace(rel, **{slot: idx}, confidence=round(rel.confidence * 0.9, 3), rule="list"))
