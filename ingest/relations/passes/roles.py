"""Roles: titles ("OpenAI chief executive Sam Altman"), roles named without an organization, successions."""

from __future__ import annotations

from dataclasses import replace

from ingest.relations.arms import arm
from ingest.relations.clauses import hedged, negated
from ingest.relations.lexicon import Lexicon, lexicon_nouns, trigger_matches
from ingest.relations.records import Context, Record, confidence, keep, keep_plain
from ingest.relations.signatures import ORG, PER
from ingest.relations.words import WORDS

_TITLE_PREDICATES = ("leads", "founded", "worksFor")


def unit_head(tok) -> bool:
    """Return True for the head of a unit rather than the company ("services chief", "head
    of sales")."""
    if tok.pos_ != "NOUN":
        return False
    if any(
        c.dep_ == "compound"
        and c.pos_ == "NOUN"
        and c.text.isalpha()
        and c.text.islower()
        and c.lower_ not in WORDS.title_glue
        and not lexicon_nouns(c.lower_)
        for c in tok.children
    ):
        return True
    # "head of sales", "president of global affairs", "chief executive of its applications
    # business": the head of a function or of an unnamed unit
    return tok.lower_ in WORDS.unit_heads and any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(
            g.dep_ == "pobj"
            and (g.lower_ in WORDS.unit_words or g.lower_ in WORDS.unit_nouns)
            and (g.text.islower() or g.text == "AI")
            and not any(x.dep_ == "compound" and x.pos_ == "PROPN" for x in g.children)
            for g in c.children
        )
        for c in tok.children
    )


def title_relations(ctx: Context, sent, sent_args: list) -> None:
    """Add role relations for the title construction "<Org>('s) <title> <Person>".

    The small model often mis-parses "Anthropic chief executive Dario Amodei" (the name of
    the company as an adjective), so this reads the surface order instead: a run of
    lowercase title words holding at least one role noun of the lexicon, directly between
    an organization (or a possessive pronoun resolved to one) and a person.
    """
    doc, mentions, lexicon, out = ctx.doc, ctx.mentions, ctx.lexicon, ctx.out
    arg_at = {h.i: (idx, src) for h, idx, src in sent_args}
    starts = {}
    for _h, idx, src in sent_args:
        if src != "coref":
            m = mentions[idx]
            starts[m["s"]] = (idx, src, m["e"])
    roots_done: dict[int, list] = {}
    for h, idx, src in sorted(sent_args, key=lambda a: a[0].i):
        m = mentions[idx]
        if m["type"] != PER or src == "coref":
            continue
        roles, owner = _title_before(doc, sent, m["s"], arg_at, mentions, lexicon)
        if not roles:
            _possessed_person(ctx, sent, m, idx, src, arg_at)
        if roles:
            # the title words right before the name are that person's alone: "Groq's
            # founder and chief executive Jonathan Ross, its president Sunny Madra"
            j = m["s"] - 1
            claimed = set()
            while j >= sent.start and m["s"] - j <= 6 and (doc[j].text.islower() or doc[j].text == "-"):
                if doc[j].tag_ not in ("NNS", "NNPS"):
                    claimed.add(j)  # "co-founders A and B": a plural role is shared
                j -= 1
            for key in [
                k
                for k, r in out.items()
                if r.token in claimed
                and r.predicate in _TITLE_PREDICATES
                and mentions[r.subject]["name"] != m["name"]
                and r.sent_start == sent.start_char
            ]:
                del out[key]
        head_roles, head_owner = roots_done.get(h.head.i, ([], None)) if h.dep_ == "conj" else ([], None)
        if not roles and doc[m["s"] - 1].lower_ in ("and", ","):
            roles, owner = head_roles, head_owner  # "co-founders Imran Chaudhri and Bethany Bongiorno"
        elif roles and owner is None:
            owner = head_owner  # "Windsurf chief executive Varun Mohan, co-founder Douglas Chen"
        bare = False
        if roles and owner is None and not head_roles:
            # "Chief Executive Sam Altman said ...": a bare title in a story about one company
            owner = _salient_org(doc, mentions, doc._.aikg_coref or (), m["s"])
            bare = owner is not None
        roots_done[h.i] = (roles, owner if not bare else None)
        found = [(tr, owner[0], owner[1]) for tr in roles] if owner is not None else []
        for trig, o_idx, o_src in found:
            if mentions[o_idx]["name"] == m["name"]:
                continue
            conf = confidence(trig.weight * (0.7 if bare else 0.95), 2, src, o_src, False)
            keep_plain(out, sent, idx, o_idx, trig.predicate, conf, "title", "title")


# Verbs that take a person away from the company named in their possessive
_MOVE_VERBS = {"hire", "poach", "lure", "recruit", "woo", "snag", "tap", "bring", "nab"}


def _possessed_person(ctx: Context, sent, m: dict, idx: int, src: str, arg_at: dict) -> None:
    """worksFor(P, X) for "X's P" with no title between: "Salesforce's Marc Benioff said"."""
    j = m["s"] - 1
    if j - 1 < sent.start or ctx.doc[j].tag_ != "POS" or (j - 1) not in arg_at:
        return
    o_idx, o_src = arg_at[j - 1]
    if ctx.mentions[o_idx]["type"] != ORG or ctx.mentions[o_idx]["name"] == m["name"]:
        return
    doc = ctx.doc
    words = doc[m["s"] : m["e"]]
    if len(words) < 2 or not all(w.text[:1].isupper() for w in words):
        return  # "IBM's Watson": one word is as often a product as a person
    if m["e"] < len(doc) and doc[m["e"]].pos_ in ("NOUN", "PROPN"):
        return  # "OpenAI's Elon Musk problem": the name modifies a noun
    root = words.root
    if (root.dep_ == "dobj" and root.head.lemma_ in _MOVE_VERBS) or (
        root.dep_ == "nsubj" and root.head.lemma_ in ("leave", "quit", "return", "join", "depart", "exit")
    ):
        return  # "Meta hired Apple's Ruoming Pang", "X's Noam Shazeer returned to Google": no longer theirs
    keep_plain(ctx.out, sent, idx, o_idx, "worksFor", confidence(0.6, 1, src, o_src, False), "'s", "title")


def _salient_org(doc, mentions, coref, before: int) -> tuple[int, str] | None:
    """Return the organization a bare title ("Chief Executive Jane Doe said") belongs to.

    In order: the one organization its sentence names before it; the organization that
    is its sentence's subject; else the story's clear topic (at least three mentions,
    names or resolved pronouns, and twice any other's). The sentence before is no
    guide: it is as often about investors or rivals as about the company.
    """
    sent = doc[before].sent
    usable = [
        (idx, m)
        for idx, m in enumerate(mentions)
        if m["type"] == ORG and not m.get("virtual") and not m.get("fallback") and not m["agency"]
    ]
    here = {m["name"]: idx for idx, m in usable if sent.start <= m["s"] < before}
    here.update(
        {
            mentions[idx]["name"]: idx
            for t_i, idx, *_ in coref
            if sent.start <= t_i < before and mentions[idx]["type"] == ORG
        }
    )
    if len(here) == 1:
        return next(iter(here.values())), "coref"  # "the MosaicML team, including co-founders A and B"
    person = doc[before]
    governing = set()
    for a in person.ancestors:
        governing.add(a.i)
        if a.dep_ == "conj" and a.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in a.children):
            break  # a clause coordinated with its own subject is governed by neither
    person_verb = next((a for a in person.ancestors if a.pos_ in ("VERB", "AUX")), None)
    for idx, m in usable:
        root = doc[m["s"] : m["e"]].root
        if (
            sent.start <= m["s"] < before
            and root.dep_ in ("nsubj", "nsubjpass")
            and (root.head.i in governing or (person_verb is not None and root.head.head.i == person_verb.i))
        ):
            # "Figure AI is ending its deal with OpenAI, founder X said": the subject of a
            # clause that governs the name's, or that its verb reports; not of a clause
            # beside it ("after SoftBank agreed to buy shares, ... chief executive X")
            return idx, "coref"
    if here:
        return None
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for idx, m in usable:
        if m["s"] < before:
            counts[m["name"]] = counts.get(m["name"], 0) + 1
            first.setdefault(m["name"], idx)
    for t_i, idx, *_ in coref:
        if t_i < before and mentions[idx]["name"] in counts:
            counts[mentions[idx]["name"]] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return first[ranked[0][0]], "coref"


def _title_before(doc, sent, start: int, arg_at: dict, mentions, lexicon: Lexicon) -> list:
    j = start - 1
    roles = []
    unit = False
    while j >= sent.start and start - j <= 6:
        t = doc[j]
        trigs = [
            tr
            for tr in lexicon.by_lemma.get((t.lemma_.lower(), "NOUN"), ())
            if tr.predicate in _TITLE_PREDICATES and trigger_matches(t, tr)
        ]
        if (
            trigs
            and t.lower_ in ("chief", "head")
            and j + 1 < start
            and doc[j + 1].pos_ in ("NOUN", "PROPN", "ADJ")
            and doc[j + 1].is_alpha
        ):
            trigs = []  # "chief scientist", "Chief Technology Officer": a modifier of the role that follows
        elif (
            trigs
            and t.lower_ in ("chief", "head", "boss", "leader")
            and j - 1 >= sent.start
            and doc[j - 1].lower_ in WORDS.unit_words
        ):
            # "research chief Bob McGrew": the head of a unit, on the company's staff
            trigs = [replace(tr, predicate="worksFor") if tr.predicate == "leads" else tr for tr in trigs]
        if trigs:
            roles.append((t, trigs))
        elif t.lower_ in ("its", "his", "her"):
            break
        elif roles and t.pos_ == "NOUN" and t.text.isalpha() and t.text.islower() and t.lower_ not in WORDS.title_glue:
            unit = True  # "Apple's services chief": the head of a unit, on the company's staff
        elif not (t.lower_ in WORDS.title_glue or t.text in ("-",)):
            break
        j -= 1
    if not roles:
        return [], None
    if unit:
        roles = [
            (t, [replace(tr, predicate="worksFor") if tr.predicate == "leads" else tr for tr in trigs])
            for t, trigs in roles
        ]
    seen = set()
    trig_list = []
    for _t, trigs in roles:
        for tr in trigs:
            if tr.predicate not in seen:
                seen.add(tr.predicate)
                trig_list.append(tr)
    if j < sent.start:
        return trig_list, None
    org_tok = doc[j]
    if org_tok.tag_ in ("WP$", "PRP$") and org_tok.i not in arg_at:
        return [], None  # "whose chief executive X": an owner we could not resolve
    if org_tok.tag_ == "POS" and j - 1 >= sent.start:
        org_tok = doc[j - 1]
    owner = None
    for k, (idx, src) in arg_at.items():
        m = mentions[idx]
        if m["type"] != ORG:
            continue
        if (src == "coref" and k == org_tok.i) or (src != "coref" and m["s"] <= org_tok.i < m["e"]):
            owner = (idx, src)
            break
    return trig_list, owner


def _role_verb(t):
    if t.dep_ in ("attr", "oprd", "acomp") and t.head.lemma_ in WORDS.role_copulas:
        return t.head
    if (
        t.dep_ == "pobj"
        and t.head.lower_ == "as"
        and t.head.head.pos_ in ("VERB", "AUX")
        and t.head.head.lemma_ in WORDS.role_as_verbs
    ):
        return t.head.head
    return None


def implicit_roles(ctx: Context, sent, sent_args: list) -> None:
    """Add leads for a person made chief executive in a clause that names no organization.

    The organization is, in order: one the sentence already ties the person to ("Jason
    Droege, Scale's strategy chief, will become interim chief executive"); the subject
    of the naming or reporting verb ("Character.AI said X would serve as interim chief
    executive"); the organization of the latest leadership change stated in the two
    sentences before ("X resigned as chief executive of Y. A and B will serve as
    interim co-chief executives").
    """
    mentions, lexicon, out = ctx.mentions, ctx.lexicon, ctx.out
    for t in sent:
        if t.pos_ not in ("NOUN", "PROPN"):
            continue
        trigs = [
            tr
            for tr in lexicon.by_lemma.get((t.lemma_.lower(), "NOUN"), ())
            if tr.predicate == "leads" and trigger_matches(t, tr)
        ]
        if not trigs or unit_head(t):
            continue
        if any(
            c.dep_ in ("poss", "compound", "prep")
            and c.lower_ not in ("interim", "acting")
            and (c.dep_ != "prep" or c.lower_ in ("of", "at", "for"))
            for c in t.children
        ):
            continue  # "chief executive of X": the lexicon reads it
        verb = _role_verb(t)
        if verb is None or negated(verb):
            continue
        naming = verb.lemma_ in WORDS.naming_verbs and any(c.dep_ == "dobj" for c in verb.children)
        people, orgs = [], []
        for h, idx, src in sent_args:
            a = arm(verb, h)
            if a is None:
                continue
            typ = mentions[idx]["type"]
            if typ == PER and a[0] in (("dobj", "nsubjpass") if naming else ("nsubj", "nsubjpass")):
                people.append((idx, src))
            elif (
                typ == ORG
                and naming
                and (
                    a[0] == "nsubj"
                    or (
                        a[0] == "nsubj>poss"
                        and any(
                            c.dep_ == "nsubj" and c.lemma_ in ("board", "director", "shareholder")
                            for c in verb.children
                        )
                    )
                )
            ):
                orgs.append((idx, src))  # "OpenAI named ...", "OpenAI's board named ..."
        if not people:
            continue
        if not orgs:
            rep = verb
            for _ in range(4):
                if rep.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or rep.head.i == rep.i:
                    break
                rep = rep.head
                if rep.lemma_ in WORDS.reporting:
                    orgs = [
                        (idx, src)
                        for h, idx, src in sent_args
                        if mentions[idx]["type"] == ORG and (arm(rep, h) or ("",))[0] == "nsubj"
                    ]
                    break
        hedge = hedged(verb)
        for p_idx, p_src in people:
            name = mentions[p_idx]["name"]
            cands = orgs or [
                (r.object, "coref")
                for r in out.values()
                if r.sent_start == sent.start_char
                and r.predicate in ("worksFor", "leads", "founded")
                and mentions[r.subject]["name"] == name
            ]
            if not cands:
                # the leadership change the sentence before states
                prev = [
                    r
                    for r in out.values()
                    if r.predicate == "leads"
                    and mentions[r.subject]["name"] != name
                    and 0 <= sent.start_char - r.sent_end < 3
                ]
                if prev:
                    cands = [(max(prev, key=lambda r: r.sent_start).object, "coref")]
            for o_idx, o_src in cands[:1]:
                if mentions[o_idx]["type"] != ORG or mentions[o_idx]["agency"]:
                    continue
                keep(
                    out,
                    Record(
                        subject=p_idx,
                        object=o_idx,
                        predicate="leads",
                        confidence=confidence(trigs[0].weight * 0.75, 3, p_src, o_src, hedge),
                        hedged=hedge,
                        sent_start=sent.start_char,
                        sent_end=sent.end_char,
                        amount=None,
                        date=None,
                        trigger=t.text,
                        rule="implicit_role",
                    ),
                )


def succession(ctx: Context, sent, sent_args: list) -> None:
    """Add leads for a successor: "X will step down and be replaced by Y", "Y succeeds X".

    The successor takes over what the predecessor leads, as stated in the sentence or
    the one before it.
    """
    mentions, out = ctx.mentions, ctx.out
    for tok in sent:
        if tok.pos_ != "VERB" or tok.lemma_ not in ("replace", "succeed") or negated(tok):
            continue
        passive = any(c.dep_ in ("auxpass", "agent") for c in tok.children)
        new_arms, old_arms = (("agent",), ("nsubjpass", "nsubj")) if passive else (("nsubj",), ("dobj",))
        new, old = [], []
        for h, idx, src in sent_args:
            if mentions[idx]["type"] != PER:
                continue
            a = arm(tok, h)
            if a is None:
                continue
            if a[0] in new_arms:
                new.append((idx, src))
            elif a[0] in old_arms:
                old.append(idx)
        if not new or not old:
            continue
        old_names = {mentions[i]["name"] for i in old}
        led = [
            r
            for r in out.values()
            if r.predicate == "leads"
            and mentions[r.subject]["name"] in old_names
            and (r.sent_start == sent.start_char or 0 <= sent.start_char - r.sent_end < 3)
        ]
        hedge = hedged(tok)
        for r in led:
            for idx, src in new:
                if mentions[idx]["name"] in old_names:
                    continue
                keep(
                    out,
                    Record(
                        subject=idx,
                        object=r.object,
                        predicate="leads",
                        confidence=confidence(0.75, 3, src, "coref", hedge),
                        hedged=hedge,
                        sent_start=sent.start_char,
                        sent_end=sent.end_char,
                        amount=None,
                        date=None,
                        trigger=tok.text,
                        rule="succession",
                    ),
                )
