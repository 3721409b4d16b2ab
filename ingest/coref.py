"""Rule-based coreference: pronouns and descriptions resolved to an earlier entity mention.

Journalists name an entity once and then say "the company", "the ChatGPT maker", "it",
"its chief executive". Each such token is linked to the nearest earlier mention of a
compatible type, preferring the subject of the sentence (the most salient entity).
Precision first: "they" and "this" are never resolved, and a description never names
another argument of its own clause ("Amazon ... took a stake in the startup").

Two further sources of links:

- **Units.** "Microsoft's AI division", "the cloud unit of Amazon", "the company's AI
  unit": a unit noun whose owner is a known organization and whose modifier names one
  of the owner's ``units`` in the gazetteer ("ai" -> "Microsoft AI") is that unit. A
  mention of the unit is added if the text did not name it, so the relation rules see
  both the unit and its owner ("Microsoft's AI division" -> subsidiaryOf).
- **The topic.** The story's topic is the organization named most often so far
  (counting resolved links), the first named on a tie; one named only once qualifies
  only if no other organization has been named. It is taken (1) when "the company",
  "the startup", "the firm" or "its" finds no compatible name in the sentences just
  before it, and (2) when the nearest compatible name is another argument of the
  description's own clause ("Amazon's stake in the startup"), for any organization
  description. A topic the clause holds is never taken: in case (2) the search goes
  on to the next name back, in case (1) nothing is linked. A pronoun whose clause
  holds the nearest name is not linked at all ("it had an investment from Meta").

Each link says how it was made: ``[token, mention, kind]`` with kind one of
:data:`LINK_KINDS`.
"""

from __future__ import annotations

from ingest.entities import Gazetteer, name_key

# Pronouns and the entity type they can stand for.
_PRONOUNS = {
    "it": "Organization",
    "its": "Organization",
    "itself": "Organization",
    "he": "Person",
    "him": "Person",
    "his": "Person",
    "she": "Person",
    "her": "Person",
}
# Head nouns of definite descriptions ("the company", "the AI lab") and their type.
_DESCRIPTION_NOUNS = {
    "company": "Organization",
    "startup": "Organization",
    "start-up": "Organization",
    "firm": "Organization",
    "lab": "Organization",
    "laboratory": "Organization",
    "giant": "Organization",
    "maker": "Organization",
    "developer": "Organization",
    "chipmaker": "Organization",
    "group": "Organization",
    "outfit": "Organization",
    "unicorn": "Organization",
    "organization": "Organization",
    "organisation": "Organization",
    "nonprofit": "Organization",
    "conglomerate": "Organization",
    "billionaire": "Person",
    "entrepreneur": "Person",
    "executive": "Person",
    "businessman": "Person",
    "businesswoman": "Person",
    # a model or product named before: "The model is available through Amazon Bedrock"
    "model": "AIModel|Product",
    "chatbot": "AIModel|Product",
    "assistant": "AIModel|Product",
    "app": "Product",
    "chip": "Product",
    "processor": "Product",
    "service": "Product|AIModel",
}
# Nouns naming a part of an organization ("Microsoft's AI division").
_UNIT_NOUNS = {"division", "unit", "arm", "lab", "labs", "laboratory", "group", "business", "subsidiary"}
# Words before a unit's modifier that leave the unit as it is ("its new AI division").
_UNIT_EPITHETS = {
    "new",
    "newly",
    "formed",
    "created",
    "own",
    "main",
    "dedicated",
    "fledgling",
    "secretive",
    "flagship",
    "core",
    "fast",
    "-",
    "growing",
    "lucrative",
    "struggling",
    "big",
    "biggest",
    "large",
    "largest",
    "key",
    "in-house",
    "internal",
    "former",
}
# Descriptions (and the possessive pronoun) that may stand for the story's topic: the
# generic ones only ("the chipmaker" says more than the topic may fit).
_TOPIC_WORDS = {"company", "startup", "start-up", "firm", "its"}
# How a link was made: a pronoun or a description resolved to an earlier name, the
# story's topic, a gazetteer descriptor ("the ChatGPT maker"), a unit of a named owner,
# an apposition ("Cognition, the maker of Devin"), a copula ("X is the firm ...") or a
# relative "whose".
LINK_KINDS = ("pronoun", "description", "topic", "descriptor", "unit", "apposition", "copula", "relative")
_SUBJ_DEPS = {"nsubj", "nsubjpass"}
# How many sentences back an antecedent may be.
_MAX_SENT_BACK = 3


def resolve(doc, mentions: list[dict], gaz: Gazetteer) -> list[list]:
    """Link pronouns and definite descriptions to mentions.

    Args:
        doc: a parsed spaCy Doc.
        mentions: the output of :func:`ingest.entities.find_mentions` for the doc.
        gaz: the gazetteer, whose descriptors ("the ChatGPT maker") and units
            ("Microsoft's AI division") name an entity outright.

    Returns:
        ``[token_index, mention_index, kind]`` lists (lists, so they survive msgpack;
        kind is one of :data:`LINK_KINDS`); for a description the token is its head
        noun. When a descriptor or a unit names a gazetteer entity not mentioned
        before, a mention is appended to ``mentions``.
    """
    in_mention = {i for m in mentions for i in range(m["s"], m["e"])}
    sents = list(doc.sents)
    sent_of = {}
    for si, sent in enumerate(sents):
        for t in sent:
            sent_of[t.i] = si
    links: list[list] = []
    for tok in doc:
        if tok.i in in_mention:
            continue
        low = tok.lower_
        type_ = None
        target = None
        kind = "descriptor"
        if low in _PRONOUNS and tok.tag_ in ("PRP", "PRP$"):
            type_ = _PRONOUNS[low]
            if low == "her" and tok.tag_ == "PRP":
                type_ = "Person"
        elif (
            tok.pos_ == "NOUN"
            and tok.dep_ != "compound"
            and not _is_definite(tok)
            and any(c.dep_ == "poss" for c in tok.children)
        ):
            target = _descriptor_entry(tok, gaz)  # "OpenAI's chatbot": a descriptor with its owner
            if target is None:
                target = _unit_entry(tok, mentions, links, gaz)  # "Microsoft's AI division"
                kind = "unit" if target is not None else kind
        elif tok.pos_ == "NOUN" and tok.dep_ != "compound" and _is_definite(tok):
            target = _descriptor_entry(tok, gaz)
            if target is None:
                target = _unit_entry(tok, mentions, links, gaz)  # "the AI division of Microsoft"
                kind = "unit" if target is not None else kind
            if (
                target is None
                and tok.lower_ in _DESCRIPTION_NOUNS
                and not _has_entity_inside(tok, in_mention)
                and not ("Organization" not in _DESCRIPTION_NOUNS[tok.lower_] and tok.dep_ in ("attr", "oprd"))
            ):
                # ("X is the most used assistant" predicates a class, it names no earlier product)
                type_ = _DESCRIPTION_NOUNS[tok.lower_]
        elif low == "whose" and tok.dep_ == "poss":
            # "Microsoft, whose GitHub Copilot ...": the relative clause's head noun
            clause = tok.head
            while clause.dep_ not in ("relcl", "appos") and clause.head.i != clause.i:
                clause = clause.head
            idx = _mention_at(mentions, clause.head.i, links) if clause.dep_ in ("relcl", "appos") else None
            if idx is None and tok.i >= 2 and doc[tok.i - 1].text == ",":
                # the parse lost the clause: "OpenAI, whose chief executive ..." by the surface
                idx = next((k for k, m in enumerate(mentions) if not m.get("virtual") and m["e"] == tok.i - 1), None)
            if idx is not None:
                links.append([tok.i, idx, "relative"])
            continue
        if type_ is not None and "Organization" in type_ and tok.dep_ == "attr" and tok.head.lemma_ == "be":
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            idx = _mention_at(mentions, subj.i, links) if subj is not None else None
            if idx is not None and mentions[idx]["type"] in type_.split("|"):
                links.append([tok.i, idx, "copula"])  # "Sound Ventures is the firm co-founded by ..."
            continue
        surface_appos = _surface_apposition(tok, mentions) if (type_ is not None or target is not None) else None
        if (type_ is not None or target is not None) and (tok.dep_ == "appos" or surface_appos is not None):
            # "Cognition, the maker of Devin": an apposition describes its head (read
            # from the surface too, when the parser loses the apposition)
            idx = _mention_at(mentions, tok.head.i, links) if tok.dep_ == "appos" else surface_appos
            want = target.type if target is not None else type_
            if idx is not None and target is not None and kind == "unit" and mentions[idx]["name"] != target.name:
                idx = None  # "Nvidia and X Ventures, the investment arm of X": the unit, not Nvidia
            if idx is not None and mentions[idx]["type"] in want.split("|"):
                links.append([tok.i, idx, "apposition"])
                continue
            if target is None:
                continue
        if target is not None:
            idx = _find_or_add(mentions, target, tok)
            links.append([tok.i, idx, kind])
            continue
        if type_ is None:
            continue
        found = _antecedent(tok, type_, mentions, links, sent_of, is_pronoun=low in _PRONOUNS)
        if found is not None:
            links.append([tok.i, *found])
    return links


def _surface_apposition(tok, mentions: list[dict]) -> int | None:
    """Return the mention a "Name, the <description>" phrase sits right after, if any.

    Only a name opening its sentence qualifies ("Anysphere, the company behind Cursor,
    has raised"): after a name in mid-sentence the phrase may begin a list.
    """
    start = tok.left_edge.i
    doc = tok.doc
    if start < 2 or doc[start - 1].text != "," or doc[start].lower_ != "the":
        return None
    for idx, m in enumerate(mentions):
        if not m.get("virtual") and m["e"] == start - 1 and m["s"] == doc[m["s"]].sent.start:
            return idx
    return None


def _is_definite(tok) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)


def _has_entity_inside(tok, in_mention: set[int]) -> bool:
    # "the OpenAI board" names its entity itself
    return any(c.i in in_mention for c in tok.children if c.dep_ in ("compound", "poss", "amod"))


def _descriptor_entry(tok, gaz: Gazetteer):
    """Return the gazetteer entry a description like "the ChatGPT maker" names, if any."""
    if not gaz.descriptors:
        return None
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
        # "the maker of the Claude chatbot"
        end = prep.right_edge.i + 1
        for text in (
            tok.doc[tok.i : end].text,
            f"{tok.text} of {tok.doc[prep.i + 1 : end].text}".replace(" of the ", " of "),
        ):
            entry = gaz.descriptors.get(name_key(text))
            if entry is not None:
                return entry
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "npadvmod", "poss")]
    if not left:
        return None
    start = min(c.left_edge.i for c in left)
    for s in range(start, tok.i + 1):
        entry = gaz.descriptors.get(name_key(tok.doc[s : tok.i + 1].text))
        if entry is not None:
            return entry
    return None


def _unit_entry(tok, mentions: list[dict], links: list[list], gaz: Gazetteer):
    """Return the gazetteer entry of the unit a phrase like "Microsoft's AI division" names.

    The owner is the noun's possessor ("Microsoft's", "its", "the company's", the last
    two through their links) or its of-phrase ("the cloud unit of Amazon"); the words
    between owner and noun are looked up among the owner's units, leading epithets
    dropped one by one ("its new AI division" -> "AI").
    """
    if tok.lower_ not in _UNIT_NOUNS or not gaz.entries:
        return None
    owner = None
    start = None
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if poss is not None:
        owner = _mention_at(mentions, poss.i, links)
        start = poss.right_edge.i + 1
    else:
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                owner = _mention_at(mentions, pobj.i, links)
    if owner is None or mentions[owner]["type"] != "Organization":
        return None
    mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
    if not mods:
        return None
    words = list(tok.doc[max(min(c.left_edge.i for c in mods), start or 0) : tok.i])
    while words:
        entry = gaz.unit(mentions[owner]["name"], " ".join(w.text for w in words))
        if entry is not None:
            return entry if entry.name != mentions[owner]["name"] else None
        if words[0].lower_ not in _UNIT_EPITHETS:
            return None  # "its cloud AI unit" is not its AI unit
        words = words[1:]
    return None


def _find_or_add(mentions: list[dict], entry, tok) -> int:
    for i, m in enumerate(mentions):
        if m["name"] == entry.name:
            return i
    mentions.append(
        {
            "s": tok.i,
            "e": tok.i + 1,
            "name": entry.name,
            "type": entry.type,
            "qid": entry.wikidata,
            "src": "desc",
            "agency": False,
            "virtual": True,
        }
    )
    return len(mentions) - 1


def _clause_verb(tok):
    t = tok
    while t.head.i != t.i and t.pos_ not in ("VERB", "AUX"):
        t = t.head
    return t


def _antecedent(
    tok, type_: str, mentions: list[dict], links: list[list], sent_of, *, is_pronoun: bool
) -> tuple[int, str] | None:
    """Return the most salient earlier compatible mention and the link's kind, or None.

    Candidates are the names and the already resolved pronouns and descriptions ("The
    startup, whose investors ..., says" makes "the startup" the topic). A pronoun or a
    description in subject position continues the topic (the subject of the nearest
    sentence that has one); elsewhere a description points at the nearest name. A name
    that is another argument of the description's own clause is never taken, here or
    in the sentences before. When the sentences before name nothing that fits, a
    generic description ("the company") or "its" stands for the story's topic
    (:func:`_topic`).
    """
    kind = "pronoun" if is_pronoun else "description"
    doc = tok.doc
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
    positions = [
        (_mention_root(doc, m).i, idx) for idx, m in enumerate(mentions) if not m.get("virtual") and m["e"] <= tok.i
    ]
    positions += [(t, idx) for t, idx, *_ in links if t < tok.i]
    positions.sort()
    # names a description (or a non-possessive pronoun) cannot be: the other arguments
    # of its own clause ("Amazon's stake in the startup": never Amazon)
    excluded = set() if possessive else set(own_subject)
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
        # "the business, which counts OpenAI among its customers": its = the relative's head
        idx = _mention_at(mentions, verb.head.i, links)
        if idx is not None and mentions[idx]["type"] in type_.split("|"):
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
            if m["type"] not in types or m["agency"] or sent_of.get(pos) != sj:
                continue
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
            if back == 0 and not is_pronoun and not in_appos and (head.head.i == verb.i or head.dep_ not in _SUBJ_DEPS):
                # a description rarely points inside its own sentence, except to the
                # subject of another clause ("X said the company would ...")
                continue
            cands.append((idx, head))
        if blocked and not cands:
            if is_pronoun:
                return None
            if "Organization" in types and not tried_topic:
                tried_topic = True
                found = _topic(mentions, positions, excluded)
                if found is not None:
                    return found, "topic"
        if not cands:
            continue
        if back == 0 and in_appos:
            return cands[-1][0], kind  # "to OpenAI, ..., and to Microsoft, the startup's backer"
        subjects = [c for c in cands if c[1].dep_ in _SUBJ_DEPS]
        own = [c for c in subjects if c[1].head.i == verb.i]
        if back == 0 and possessive and own:
            return own[-1][0], kind  # "Google is folding its models": its own clause's subject
        if back == 0 and possessive and subjects:
            # "..., and Baidu said its models would be free": the subject of the nearest
            # clause that governs the pronoun's own
            v = subj_verb
            for _ in range(6):
                gov = [c for c in subjects if c[1].head.i == v.i]
                if gov:
                    return gov[-1][0], kind
                if v.head.i == v.i:
                    break
                v = v.head
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
    if "Organization" in types and tok.lower_ in _TOPIC_WORDS and not tried_topic:
        topic = _topic(mentions, positions, excluded | {mentions[i]["name"] for i in appos_host})
        if topic is not None:
            return topic, "topic"
    return None


def _topic(mentions: list[dict], positions: list[tuple[int, int]], excluded: set[str]) -> int | None:
    """Return a mention of the story's topic so far, or None if the story has no clear one.

    The topic is the organization named (or resolved to) most often before the token,
    the first named on a tie. One named only once is the topic only when it is the
    sole organization named so far; a topic in ``excluded`` yields None (the runner-up
    is no safer a guess).
    """
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for pos, idx in positions:
        m = mentions[idx]
        if m["type"] != "Organization" or m["agency"] or m.get("fallback"):
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
