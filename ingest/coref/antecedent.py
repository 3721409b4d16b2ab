"""The earlier mention a pronoun or a description stands for: the most salient compatible
name in the sentences before it, or the story's topic (:func:`_antecedent`, :func:`_topic`)."""

from __future__ import annotations

from collections.abc import Callable

from ingest.coref.vocabulary import (
    _MAX_SENT_BACK,
    _SUBJ_DEPS,
    _TOPIC_WORDS,
    _YOUNG_WORDS,
    REPORTING,
    word,
)
from ingest.entities import is_venue


def _clause_verb(tok):
    t = tok
    while t.head.i != t.i and t.pos_ not in ("VERB", "AUX"):
        t = t.head
    return t


def _antecedent(
    tok,
    type_: str,
    mentions: list[dict],
    links: list[list],
    sent_of,
    *,
    is_pronoun: bool,
    not_startup: Callable[[str], bool] | None = None,
) -> tuple[int, str] | None:
    """Return the most salient earlier compatible mention and the link's kind, or None.

    Candidates are the names and the already resolved pronouns and descriptions ("The
    startup, whose investors ..., says" makes "the startup" the topic). A pronoun or a
    description in subject position continues the topic (the subject of the nearest
    sentence that has one); elsewhere a description points at the nearest name. A name
    that is another argument of the description's own clause is never taken, here or
    in the sentences before. When the sentences before name nothing that fits, a
    generic description ("the company") or "its" stands for the story's topic
    (:func:`_topic`). "The startup" never stands for a name ``not_startup`` rejects
    (a long-established company or a unit of one). A possessive that opens a new
    member of a list or an apposition holding a name ("OpenAI, its chief executive
    Sam Altman and its president ...") stands for the name the list starts from.
    """
    kind = "pronoun" if is_pronoun else "description"
    doc = tok.doc
    unfit = not_startup if not_startup is not None and word(tok) in _YOUNG_WORDS else None
    si = sent_of[tok.i]
    types = type_.split("|")
    verb = _clause_verb(tok)
    subj_verb = verb
    while (
        not any(c.dep_ in _SUBJ_DEPS for c in subj_verb.children)
        and subj_verb.dep_ in ("conj", "xcomp")
        and subj_verb.head.i != subj_verb.i
    ):
        subj_verb = subj_verb.head  # "X will invest in Y and take a stake in the startup": X took it
    appos_host = set()
    for a in tok.ancestors:
        if a.dep_ == "appos":
            hit = _mention_at(mentions, a.head.i, links)
            if hit is not None:
                appos_host.add(hit)
            break
        if a.pos_ in ("VERB", "AUX"):
            break
    own_subject = set()
    if tok.dep_ not in _SUBJ_DEPS:
        for c in subj_verb.children:
            if c.dep_ in _SUBJ_DEPS:
                hit = _mention_at(mentions, c.i, links)
                if hit is not None:
                    own_subject.add(mentions[hit]["name"])
    possessive = tok.tag_ == "PRP$" or tok.dep_ == "poss"
    if (
        is_pronoun
        and tok.dep_ == "nsubj"
        and verb.lemma_ in ("do", "be", "have")
        and any(c.dep_ == "mark" and c.lower_ in ("as", "than") for c in verb.children)
    ):
        # "X says as much about A as it does about B": the pronoun of an elided
        # comparison is the compared clause's own subject, a name or nothing
        main = verb.head
        subj = next((c for c in main.children if c.dep_ in _SUBJ_DEPS), None) if main.i != verb.i else None
        idx = _mention_at(mentions, subj.i, links) if subj is not None else None
        return (idx, kind) if idx is not None and mentions[idx]["type"] in type_.split("|") else None
    positions = [
        (_mention_root(doc, m).i, idx) for idx, m in enumerate(mentions) if not m.get("virtual") and m["e"] <= tok.i
    ]
    positions += [(t, idx) for t, idx, *_ in links if t < tok.i]
    positions.sort()
    # names a description (or a non-possessive pronoun) cannot be: the other arguments
    # of its own clause ("Amazon's stake in the startup": never Amazon)
    excluded = set() if possessive else set(own_subject)
    if (
        possessive
        and verb.lemma_ == "be"
        and any(a.dep_ in ("attr", "acomp") and a.head.i == verb.i for a in tok.ancestors)
    ):
        # "Nvidia is also one of its investors": a copula's subject is not the possessor
        # of its own complement (that would be "its own")
        excluded |= own_subject
    in_appos = bool(appos_host) and not is_pronoun
    if in_appos:
        # "Microsoft, the startup's biggest backer": an apposition is a clause of its
        # own, about its host; a name before it in the sentence is a fit
        excluded |= {mentions[i]["name"] for i in appos_host}
    elif not (is_pronoun and possessive):
        sent = doc[tok.i].sent
        here = [
            (_mention_root(doc, m).i, idx)
            for idx, m in enumerate(mentions)
            if not m.get("virtual") and sent.start <= m["s"] < sent.end
        ]
        here += [(t, idx) for t, idx in positions if t >= sent.start and t not in {p for p, _ in here}]
        excluded |= {mentions[idx]["name"] for pos, idx in here if pos != tok.i and _clause_verb(doc[pos]).i == verb.i}
    if (
        possessive
        and verb.dep_ == "relcl"
        and any(c.dep_ in _SUBJ_DEPS and c.lower_ in ("which", "who", "that") for c in verb.children)
    ):
        # "the business, which counts OpenAI among its customers": its = the relative's
        # head, or the name that head is in apposition to ("Microsoft, the startup's
        # biggest backer, which has built ... into its Bing")
        idx = _mention_at(mentions, verb.head.i, links)
        if idx is None and verb.head.dep_ == "appos":
            idx = _mention_at(mentions, verb.head.head.i, links)
        if idx is None:
            # "AMD's rack systems, which are built around its accelerators": the owner of
            # the relative's head
            owner = next((c for c in verb.head.children if c.dep_ == "poss"), None)
            idx = _mention_at(mentions, owner.i, links) if owner is not None else None
        if idx is not None and mentions[idx]["type"] in type_.split("|"):
            return idx, kind
    if possessive and is_pronoun:
        idx = _list_owner(tok, mentions, links)
        if idx is not None and mentions[idx]["type"] in types:
            return idx, kind
    if possessive and tok.head.dep_ == "pobj" and tok.head.head.dep_ == "prep" and tok.head.head.head.i == verb.i:
        # "At its annual conference, GitHub said ...": a fronted phrase looks ahead to
        # its clause's subject
        for c in verb.children:
            if c.dep_ in _SUBJ_DEPS and c.i > tok.i:
                idx = _mention_at(mentions, c.i, links)
                if idx is not None and mentions[idx]["type"] in types:
                    return idx, kind
    topic = (
        is_pronoun
        or tok.dep_ in _SUBJ_DEPS
        or (tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.dep_ in _SUBJ_DEPS)
    )
    blocked = tried_topic = False
    for back in range(0, _MAX_SENT_BACK + 1):
        sj = si - back
        if sj < 0:
            break
        cands = []
        for pos, idx in positions:
            m = mentions[idx]
            if m["type"] not in types or m["agency"] or sent_of.get(pos) != sj or is_venue(m):
                continue  # a court is where a case is heard: never "the startup" or "its"
            if unfit is not None and unfit(m["name"]):
                continue  # "the startup, led by ...": never Google Cloud or Amazon
            head = doc[pos]
            role = head
            while role.dep_ == "conj" and role.head.i != role.i:
                role = role.head
            if back == 0 and role.dep_ in ("dobj", "dative") and role.head.i == verb.i:
                continue  # "X counts Y and Z among its customers": its is not the object
            if m["name"] in excluded:
                # "Google owns a stake in the startup": never Google itself. When the
                # clause holds the nearest name, a description names the story's topic
                # (unless the clause holds that too: then the next name back); a
                # pronoun ("it had an investment from Meta") names something else or
                # nothing, not a name further back
                blocked = blocked or m["name"] not in own_subject
                continue
            if possessive and idx in appos_host:
                continue  # "Microsoft, its main backer": its is not Microsoft
            if back == 0 and not possessive and head.dep_ in _SUBJ_DEPS and head.head.i in (verb.i, subj_verb.i):
                # a non-possessive pronoun or a description is not the subject of its own verb
                continue
            if (
                back == 0
                and not is_pronoun
                and not in_appos
                and (head.head.i == verb.i or head.dep_ not in _SUBJ_DEPS)
                and not (possessive and head.dep_ in ("pobj", "dobj") and _clause_verb(head).i != verb.i)
            ):
                # a description rarely points inside its own sentence, except to the
                # subject of another clause ("X said the company would ...") or, as a
                # possessive, to the object of a clause above ("sued Y, alleging that
                # the developer's chatbot ...")
                continue
            cands.append((idx, head))
        if blocked and not cands:
            if is_pronoun:
                return None
            if "Organization" in types and not tried_topic:
                tried_topic = True
                found = _topic(mentions, positions, excluded, unfit)
                if found is not None:
                    return found, "topic"
        if not cands:
            continue
        # a name that only modifies a noun ("former OpenAI employees") is the least salient
        cands = [c for c in cands if c[1].dep_ != "compound"] or cands
        if back == 0 and in_appos:
            speaker = any(
                mentions[i]["type"] == "Person"
                and (r := _mention_root(doc, mentions[i])).dep_ == "nsubj"
                and r.head.lemma_ in REPORTING
                for i in appos_host
            )
            subjects = [c for c in cands if c[1].dep_ in _SUBJ_DEPS]
            if speaker and subjects:
                # "X is ending its deal with Y, Z, the robot maker's founder, said": the
                # speaker's title is of the reported clause's subject
                return subjects[0][0], kind
            return cands[-1][0], kind  # "to OpenAI, ..., and to Microsoft, the startup's backer"
        # the possessor of an active subject that names nothing else stands as the
        # subject ("CoreWeave's listing put a number on its dependence": CoreWeave)
        heads = {c[1].i for c in cands}
        subjects = sorted(
            [c for c in cands if c[1].dep_ in _SUBJ_DEPS]
            + [
                (c[0], c[1].head)
                for c in cands
                if c[1].dep_ == "poss"
                and c[1].head.dep_ == "nsubj"
                and not any(x.dep_ == "appos" and x.i in heads for x in c[1].head.children)
            ],
            key=lambda c: c[1].i,
        )
        own = [c for c in subjects if c[1].head.i == verb.i]
        objects = [c for c in cands if c[1].dep_ in ("pobj", "dobj")]
        if (
            back == 0
            and possessive
            and not is_pronoun
            and objects
            and objects[-1][1].i > max(c[1].i for c in subjects or cands)
        ):
            return objects[-1][0], kind
        if back == 0 and possessive and own:
            return own[-1][0], kind  # "Google is folding its models": its own clause's subject
        if back == 0 and possessive and subjects:
            # "..., and Baidu said its models would be free": the subject of the nearest
            # clause that governs the pronoun's own
            gov = _governing_subject(subjects, subj_verb)
            if gov is not None:
                return gov, kind
        if back == 0 and is_pronoun and not possessive and tok.dep_ in _SUBJ_DEPS and verb.dep_ == "relcl":
            # "Amazon is pushing its chips to Anthropic, the startup it has backed": the
            # subject of a relative clause without a relative pronoun is the subject of
            # the nearest clause that governs the clause's noun (or the name that noun
            # follows as an apposition, where the parser lost it)
            host = _surface_host(verb.head, mentions)
            gov = _governing_subject(subjects, verb.head if host is None else host)
            if gov is not None:
                return gov, kind
        if topic and not is_pronoun:
            # "The company was later acquired ...": the entity the story is about, which
            # is the subject of the nearest sentence that names one (centering), else
            # the most mentioned name of that sentence
            counts: dict[str, int] = {}
            for _pos, idx in positions:
                counts[mentions[idx]["name"]] = counts.get(mentions[idx]["name"], 0) + 1
            subj_ids = {c[0] for c in subjects}
            return max(cands, key=lambda c: (c[0] in subj_ids, counts.get(mentions[c[0]]["name"], 0)))[0], kind
        pick = (subjects[0] if subjects else cands[-1]) if topic else cands[-1]
        return pick[0], kind
    if "Organization" in types and word(tok) in _TOPIC_WORDS and not tried_topic:
        topic = _topic(mentions, positions, excluded | {mentions[i]["name"] for i in appos_host}, unfit)
        if topic is not None:
            return topic, "topic"
    return None


def _topic(
    mentions: list[dict],
    positions: list[tuple[int, int]],
    excluded: set[str],
    unfit: Callable[[str], bool] | None = None,
) -> int | None:
    """Return a mention of the story's topic so far, or None if the story has no clear one.

    The topic is the organization named (or resolved to) most often before the token,
    the first named on a tie. One named only once is the topic only when it is the
    sole organization named so far; a topic in ``excluded`` yields None (the runner-up
    is no safer a guess). Names ``unfit`` rejects are not counted at all ("the
    startup" in a story about Amazon's stake in Anthropic is Anthropic).
    """
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for pos, idx in positions:
        m = mentions[idx]
        if m["type"] != "Organization" or m["agency"] or m.get("fallback") or is_venue(m):
            continue
        if unfit is not None and unfit(m["name"]):
            continue
        counts[m["name"]] = counts.get(m["name"], 0) + 1
        first.setdefault(m["name"], pos)
        last[m["name"]] = idx
    if not counts:
        return None
    name = min(counts, key=lambda n: (-counts[n], first[n]))
    if name in excluded or (counts[name] < 2 and len(counts) > 1):
        return None
    return last[name]


def _governing_subject(subjects: list[tuple], v) -> int | None:
    """Return the mention of the subject of ``v``'s clause or of the nearest clause above it.

    ``subjects`` are ``(mention, head token)`` candidates in subject position; the climb
    goes up to six heads.
    """
    for _ in range(6):
        gov = [c for c in subjects if c[1].head.i == v.i]
        if gov:
            return gov[-1][0]
        if v.head.i == v.i:
            return None
        v = v.head
    return None


def _name_before_comma(doc, start: int, mentions: list[dict]) -> int | None:
    """Return the named mention that ends right before ", " and token ``start``, if any."""
    if start < 2 or doc[start - 1].text != ",":
        return None
    return next((k for k, m in enumerate(mentions) if not m.get("virtual") and m["e"] == start - 1), None)


def _surface_host(noun, mentions: list[dict]):
    """Return the root of the name a description follows as an apposition by the surface
    ("Anthropic, the startup"), when the parse did not attach it there, else None."""
    det = next((c for c in noun.children if c.dep_ == "det" and c.i < noun.i), None)
    if noun.dep_ == "appos" or det is None:
        return None
    idx = _name_before_comma(noun.doc, det.i, mentions)
    return _mention_root(noun.doc, mentions[idx]) if idx is not None else None


def _list_owner(tok, mentions: list[dict], links: list[list]) -> int | None:
    """Return the name a list or apposition starts from when a possessive opens a new member.

    "Musk accused OpenAI, its chief executive Sam Altman and its president Greg
    Brockman": each "its" sits in a conjunct (or an apposition) that holds a name of its
    own, so the member is another party and "its" is the name the list starts from.
    Without a name inside ("Microsoft, its main backer") the phrase describes its
    host, and nothing is returned here.
    """
    member = None
    for a in tok.ancestors:
        if a.dep_ in ("conj", "appos"):
            member = a
            break
        if a.pos_ in ("VERB", "AUX") or a.dep_ in ("prep", "pobj", "relcl", "acl"):
            return None
    if member is None:
        return None
    # the member's own name: its head ("its chief executive Sam Altman") or a name in
    # apposition to it ("its president Greg Brockman")
    heads = [member, *(c for c in member.children if c.dep_ == "appos" and c.i > tok.i)]
    if not any(_mention_at(mentions, t.i, links) is not None and not _is_link(t.i, links) for t in heads):
        return None
    first = member
    while first.dep_ in ("conj", "appos") and first.head.i != first.i:
        first = first.head
    return _mention_at(mentions, first.i, links)


def _is_link(tok_i: int, links: list[list]) -> bool:
    return any(t == tok_i for t, *_ in links)


def _mention_at(mentions: list[dict], tok_i: int, links: list[list]) -> int | None:
    for idx, m in enumerate(mentions):
        if not m.get("virtual") and m["s"] <= tok_i < m["e"]:
            return idx
    for t, idx, *_ in links:
        if t == tok_i:
            return idx
    return None


def _mention_root(doc, m: dict):
    if "r" not in m:
        m["r"] = doc[m["s"] : m["e"]].root.i  # cached: pronouns ask for it again and again
    return doc[m["r"]]
