"""Ended relations: does the sentence state the relation as over?

"Former OpenAI researcher", "who left Google in 2023", "stepped down as chief executive",
"the partnership ended last year", "sold its stake", "dropped the lawsuit": the relation
existed and is over. The classifier (:mod:`ingest.relations.model`, trained by ``aikg
train`` on the corpus's ``past`` flags) decides from the relation's own feature record
plus the cues below; :func:`rule_ended` is the fallback where no model runs (the rules
alone, and rule hits that no candidate stands for).

Cues are looked for where they can speak of this pair: on the dependency path between
the two sides, on each side's way up to its clause's verb, and on the modifiers of those
words. The words themselves are data (``ingest/data/rule_words.json``: ``ended_verbs``,
``ousting_verbs``, ``succession_verbs``, ``ended_phrasal``, ``ended_nouns``,
``former_words``, ``start_verbs``, ``restart_verbs``, ``founding_verbs``).

Whose tie an ending word ends: the cues given a pair's :class:`Parties` leave out the
ending verbs whose subject or object names a third party (:func:`ingest.relations.parties.speaks_of_another`).
"""

from __future__ import annotations

from ingest.relations.clauses import sentence_ents
from ingest.relations.parties import DocParties, Parties, hangs_on, party, roles, speaks_of_another
from ingest.relations.words import WORDS

_END = WORDS.ended_verbs
_SUCCESSION = WORDS.succession_verbs
_END_PARTICLES = {tuple(x.split()) for x in WORDS.ended_phrasal}
_END_NOUNS = WORDS.ended_nouns
_FORMER = WORDS.former_words
_START = WORDS.start_verbs
_FOUNDING = WORDS.founding_verbs
_RESTART = WORDS.restart_verbs
_CLAUSE_POS = ("VERB", "AUX")


def _scope(doc, ha: int, hb: int, path) -> list:
    """Return the tokens that can speak of the pair: the path and each side's way to its verb."""
    seen: dict[int, object] = {}
    if path is not None:
        up, top, down = path
        for t in (*up, top, *down):
            seen[t.i] = t
    for h in (ha, hb):
        t = doc[h]
        seen[t.i] = t
        for _ in range(6):
            if t.head.i == t.i:
                break
            t = t.head
            seen[t.i] = t
            if t.pos_ in _CLAUSE_POS:
                break
    return list(seen.values())


def cues(doc, ha: int, hb: int, path, *, parties: Parties | None = None) -> list[str]:
    """Return the ended/started cues for the pair whose sides stand at ``ha`` and ``hb``.

    Args:
        doc: the parsed doc.
        ha: token index of the subject side.
        hb: token index of the object side.
        path: :func:`ingest.relations.features.dep_path` for the pair (or None).
        parties: the doc's :class:`Parties` for this pair (:meth:`DocParties.pair`),
            to leave out the ending verbs whose subject or object is a third party
            (:func:`speaks_of_another`). The classifier's features are the full list
            (it was trained on it); its verdict asks for the pair's own words.

    Returns:
        Short strings such as ``end=leave``, ``end=step_down``, ``former``, ``until``,
        ``nolonger``, ``tense=past``, ``start=join``; empty when nothing is said.
    """
    out: list[str] = []
    scope = _scope(doc, ha, hb, path)
    seen_ids = {t.i for t in scope}
    sides = {ha, hb}
    for t in scope:
        lemma = t.lemma_.lower()
        where = "arg" if t.i in sides else "path"
        if t.pos_ in _CLAUSE_POS or t.pos_ == "NOUN":
            prts = [c.lemma_.lower() for c in t.children if c.dep_ in ("prt", "advmod")]
            ends = [f"end={lemma}_{prt}" for prt in prts if (lemma, prt) in _END_PARTICLES]
            if t.pos_ != "NOUN" and lemma in _END:
                ends += [f"end={lemma}", f"end@{where}"]
            # whose tie a verb ends is asked of ending verbs only (a noun has no subject)
            if ends and (t.pos_ == "NOUN" or parties is None or not speaks_of_another(t, parties)):
                out += ends
            if t.pos_ == "NOUN" and lemma in _END_NOUNS:
                out.append(f"endnoun={lemma}")
            if lemma in _START and t.pos_ != "NOUN":
                out.append(f"start={lemma}")
        if t.pos_ in _CLAUSE_POS:
            aux = {c.lemma_.lower() for c in t.children if c.dep_ in ("aux", "auxpass")}
            if "will" in aux or "would" in aux:
                out.append("tense=future")
            elif t.tag_ == "VBD" or (
                t.tag_ == "VBN" and "have" in aux and any(c.tag_ == "VBD" for c in t.children if c.dep_ == "aux")
            ):
                out.append("tense=past")
            elif t.tag_ in ("VBZ", "VBP") or (
                t.tag_ in ("VBG", "VBN")
                and any(c.tag_ in ("VBZ", "VBP") for c in t.children if c.dep_ in ("aux", "auxpass"))
            ):
                out.append("tense=present")
        for c in t.children:
            cl = c.lower_
            if c.dep_ in ("acl", "relcl", "advcl", "conj") and c.pos_ == "VERB" and c.i not in seen_ids:
                # "the chief executive, who left in 2024": a clause hanging on the pair's words
                cm = c.lemma_.lower()
                cprts = {x.lemma_.lower() for x in c.children if x.dep_ in ("prt", "advmod")}
                if cm in _END or any((cm, x) in _END_PARTICLES for x in cprts):
                    if parties is None or not speaks_of_another(c, parties):
                        out.append(f"endrel={cm}")
                        out.append(f"end@{c.dep_}")
                elif cm in _START:
                    out.append(f"startrel={cm}")
            if cl in _FORMER or (c.dep_ in ("amod", "advmod", "compound") and c.lemma_.lower() in _FORMER):
                out.append("former")
                out.append(f"former={cl}")
            elif cl in ("until", "till") and c.dep_ == "prep":
                out.append("until")
            elif cl == "since" and c.dep_ == "prep":
                out.append("since")
            elif cl == "longer" and any(g.lower_ == "no" for g in c.children):
                out.append("nolonger")
            elif cl in ("no", "not") and c.dep_ == "neg" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "longer":
                out.append("nolonger")
    # "ex-Google engineer": the tokenizer keeps "ex" and "-" apart
    for h in (ha, hb):
        t = doc[h]
        for k in range(max(t.left_edge.i, h - 4), h):
            if doc[k].lower_ in ("ex", "ex-") and k + 1 < len(doc) and doc[k + 1].text in ("-", "‑"):
                out.append("former")
                out.append("former=ex")
    return sorted(set(out))


def says_over(cue_list: list[str]) -> bool:
    """Return True if the cues hold words that state an ending (not tense or start words alone)."""
    return any(
        c.startswith(("end=", "end@", "endrel=", "endnoun=", "former")) or c in ("until", "nolonger") for c in cue_list
    )


def held_since(cue_list: list[str]) -> bool:
    """Return True when the words say the tie has held since a day and nothing ends it.

    "Amara Nwosu, who has led research at Cinder AI since 2021": "since" on the pair's
    words, no ending word, and a present tense or none ("had led it since 2019" may be
    over; "which has supplied X since 2023, said ..." is present: the past is the report).
    """
    cs = set(cue_list)
    return "since" in cs and ("tense=present" in cs or "tense=past" not in cs) and not says_over(cue_list)


def own_cues(doc, ha: int, hb: int, path, found: list[str], parties: Parties) -> list[str]:
    """Return the pair's own cues: ``found`` (:func:`cues`) without the ending verbs that speak of a third party.

    Only cues that say the relation is over can lose anything, so the second look is
    taken only when ``found`` says so. "Joined Orlo from Ferncastle" is the pair's own
    word that Ferncastle was left (``end=from``), whoever else the sentence ends.
    """
    if not says_over(found):
        return found
    own = cues(doc, ha, hb, path, parties=parties)
    if any(_joined_from(doc[h]) for h in (ha, hb)):
        own.append("end=from")
    return own


def _joined_from(tok) -> bool:
    """Return True if a side is the place a starting verb's subject came from ("joined Orlo in 2018 from Ferncastle")."""
    prep = tok.head
    verb = prep.head
    return (
        tok.dep_ == "pobj"
        and prep.dep_ == "prep"
        and prep.lower_ == "from"
        and verb.pos_ == "VERB"
        and verb.lemma_.lower() in _START
    )


def confirmed(found: list[str], own: list[str]) -> bool:
    """Return whether the classifier's "ended" stands: not when its ending words all speak of a third party.

    ``found`` are the pair's cues, ``own`` the same without the ending verbs whose
    subject or object is another party (:func:`cues` with ``parties``).
    """
    return says_over(own) or not says_over(found)


def verb_dates(
    doc, ha: int, hb: int, path, predicate: str | None = None, parties: Parties | None = None
) -> dict[str, str | None]:
    """Return the date words attached to an ending verb and to a starting verb that govern the pair.

    "Ian Moffat, the previous chief executive, left in 2024": the relation comes from
    the title, its end date from "left". A DATE counts when the verb governs it within
    its own clause ("left in 2024", "left the startup on Friday"). A clause hanging on
    the pair's words counts unless it has a subject of its own ("while its former parent
    spun it off in 2023" says nothing of the pair). "Chief executive from 2017 until
    last year": "until" gives the end, "from" and "since" the start, when they hang on the pair's own words (the path's nouns and its top). A founding starts
    only by a founding verb ("started the company in 2018", not "took a stake in 2021").
    With the pair's ``parties``, an ending verb that speaks of a third party
    (:func:`speaks_of_another`: "hired her in 2024 after Ferncastle fired her in 2023")
    dates nothing.

    Returns:
        ``{"end": words or None, "start": words or None}``.
    """
    out: dict[str, str | None] = {"end": None, "start": None}
    ents = [e for e in sentence_ents(doc[ha].sent) if e.label_ == "DATE"]
    if not ents:
        return out
    scope = _scope(doc, ha, hb, path)
    sides = {ha, hb}
    verbs = list(scope) + [
        c
        for t in scope
        for c in t.children
        if c.dep_ in ("acl", "relcl", "advcl", "conj") and c.pos_ == "VERB" and not _own_subject(c, sides)
    ]
    starts = _FOUNDING if predicate == "founded" else _START
    for t in verbs:
        if t.pos_ not in _CLAUSE_POS:
            continue
        lemma = t.lemma_.lower()
        prts = {c.lemma_.lower() for c in t.children if c.dep_ in ("prt", "advmod")}
        kind = (
            "end"
            if lemma in _END or any((lemma, p) in _END_PARTICLES for p in prts)
            else "start"
            if lemma in starts
            else None
        )
        if kind is None or out[kind] is not None:
            continue
        if kind == "end" and parties is not None and speaks_of_another(t, parties):
            continue
        for e in ents:
            if hangs_on(e.root, t):
                out[kind] = e.text
                break
    if path is None:
        top = sides
    else:
        top = {t.i for t in (*path[0], path[1], *path[2]) if t.i == path[1].i or t.pos_ not in _CLAUSE_POS}
    for e in ents:
        prep = e.root.head
        if e.root.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.i not in top:
            continue
        word = prep.lower_
        ranged = word == "to" and any(c.lower_ == "from" for c in prep.head.children)
        if (word in ("until", "till", "through") or ranged) and out["end"] is None:
            out["end"] = e.text
        elif word in ("from", "since") and out["start"] is None and predicate != "founded":
            out["start"] = e.text
    return out


def _own_subject(verb, sides: set[int]) -> bool:
    """Return True if a hanging clause names a subject of its own, neither side nor a pronoun."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.i not in sides and c.pos_ not in ("PRON", "DET"):
            return True
    return False


def features(predicate: str, relation_features: list[str], cue_list: list[str]) -> list[str]:
    """Return the ended classifier's features for one (pair, predicate).

    The pair's flips (``flip=P|side``: a side read as the other of person and
    organization for predicate P) are kept for this predicate only: one ended model
    serves every predicate, and a flip another predicate needed says nothing here.
    """
    own = f"flip={predicate}|"
    kept = [f for f in relation_features if not f.startswith("flip=") or f.startswith(own)]
    return [f"P={predicate}"] + kept + cue_list + [f"{predicate}|{c}" for c in cue_list]


def rule_ended(cue_list: list[str]) -> bool:
    """Return the hand-written verdict: a "former" title, an ending verb on the path, "no longer"."""
    cs = set(cue_list)
    return bool(cs & {"former", "nolonger", "end@path"}) or any(c.startswith("end=") and "_" in c for c in cs)


def succeeded(own: list[str]) -> bool:
    """Return True when a succession verb on the pair's own path ends it ("Orlo replaced
    Ferncastle as the supplier of Harwick", for Ferncastle and Harwick): the one cue that
    says so whatever the classifier, trained on few such sentences, weighs it at."""
    return "end@path" in own and any(c == f"end={v}" for v in _SUCCESSION for c in own)


def started_here(doc, hb: int, cue_list: list[str], parties: Parties | None = None) -> bool:
    """Return True when a starting verb takes the object side as its own and nothing ends it.

    "Joined Vexis in 2015", "rejoined Nettle Systems", "began working with Marrow
    Analytics", "began supplying cameras to Brennan Foods": the object hangs on a starting
    (or restarting, ``restart_verbs``) verb through its object, its prepositions and the
    verb it starts ("began working"). Such a sentence tells the relation's start; that it is
    over needs words of its own. "Joined from Ravel" is no such start: "from" names the
    place left; nor is a start whose subject is a third party (with ``parties``: "Brenlow
    took a stake in Quatrix when Dunmore sold it" starts Brenlow's tie, not Dunmore's).
    """
    if says_over(cue_list):
        return False
    tok = doc[hb]
    for _ in range(5):
        if tok.dep_ not in ("dobj", "pobj", "prep", "xcomp", "dative") or tok.head.i == tok.i:
            return False
        if tok.dep_ == "prep" and tok.lower_ == "from":
            return False
        tok = tok.head
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and (lemma in _START or lemma in _RESTART):
            doer = roles(tok)[0]
            return parties is None or doer is None or party(doer, parties)[0] != "other"
    return False


def date_role(ended: bool, cue_list: list[str]) -> str | None:
    """Return "end" when an ended relation's date is its end, "start" when the words start it, else None."""
    if ended:
        return "end"
    if "since" in cue_list or any(c.startswith("start=") for c in cue_list):
        return "start"
    return None


def mark_rule_records(doc, mentions: list[dict], records: list[dict], parties: DocParties) -> None:
    """Set ``ended`` and ``date_role`` on rule records that have none, by :func:`rule_ended`.

    The sides are the mentions' head tokens where they stand in the record's sentence;
    a side told in another sentence (the rules link some pairs across sentences) adds
    only its own cues. ``parties`` is the doc's :func:`ingest.relations.parties.doc_parties`, built once per doc.
    """
    from ingest.relations.features import dep_path

    for r in records:
        if "ended" in r:
            continue
        span = doc.char_span(r["ss"], r["se"], alignment_mode="expand")
        heads = []
        for k in (r["s"], r["o"]):
            m = mentions[k]
            if span is not None and span.start <= m["s"] < span.end and not m.get("virtual"):
                heads.append(doc[m["s"] : m["e"]].root.i)
        if not heads:
            r["ended"], r["date_role"], r["future"] = False, None, False
            continue
        a, b = (heads + heads)[:2]
        path = dep_path(doc, a, b) if a != b else None
        found = cues(doc, a, b, path)
        mine = parties.pair(mentions[r["s"]]["name"], mentions[r["o"]]["name"])
        r["ended"] = rule_ended(own_cues(doc, a, b, path, found, mine))
        date_from_verbs(r, verb_dates(doc, a, b, path, r["p"], mine))
        r["date_role"] = date_role(r["ended"], found)
        r["future"] = "tense=future" in found


def date_from_verbs(r: dict, dates: dict[str, str | None]) -> None:
    """Give an ended relation its ending verb's date, and a dateless one its starting verb's."""
    if r["ended"] and dates["end"]:
        r["date"], r["date_role"] = dates["end"], "end"
    elif not r.get("date") and not r["ended"] and dates["start"]:
        r["date"], r["date_role"] = dates["start"], "start"
