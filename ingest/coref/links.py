"""The links of one document: :func:`resolve` walks its tokens and links each pronoun,
description, apposition, copula and relative "whose" it can; descriptors ("the ChatGPT
maker") and units ("Microsoft's AI division") name a gazetteer entity outright."""

from __future__ import annotations

from ingest.coref.antecedent import _antecedent, _mention_at, _name_before_comma
from ingest.coref.speaker import reattach_speakers, speaker_links
from ingest.coref.vocabulary import (
    _DESCRIPTION_NOUNS,
    _MERGED_WORDS,
    _PRONOUNS,
    _UNIT_EPITHETS,
    _UNIT_NOUNS,
    word,
)
from ingest.entities import Gazetteer, name_key


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
    reattach_speakers(doc, mentions)
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
            noun = word(tok)
            if (
                target is None
                and noun in _DESCRIPTION_NOUNS
                and not _has_entity_inside(tok, in_mention)
                and not ("Organization" not in _DESCRIPTION_NOUNS[noun] and tok.dep_ in ("attr", "oprd"))
                and not any(c.dep_ == "amod" and c.lower_ in _MERGED_WORDS for c in tok.children)
            ):
                # ("X is the most used assistant" predicates a class, it names no earlier product)
                type_ = _DESCRIPTION_NOUNS[noun]
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
        found = _antecedent(
            tok, type_, mentions, links, sent_of, is_pronoun=low in _PRONOUNS, not_startup=gaz.not_startup
        )
        if found is not None:
            links.append([tok.i, *found])
    speaker_links(doc, mentions, links)
    return links


def _surface_apposition(tok, mentions: list[dict]) -> int | None:
    """Return the mention a "Name, the <description>" phrase sits right after, if any.

    A name opening its sentence qualifies ("Anysphere, the company behind Cursor,
    has raised"): after a name in mid-sentence the phrase may begin a list, so there
    only when the parser left the phrase hanging as an adverbial noun, which a list
    member never is ("pushing its chips to Anthropic, the startup it has backed").
    """
    doc = tok.doc
    start = tok.left_edge.i
    idx = _name_before_comma(doc, start, mentions) if doc[start].lower_ == "the" else None
    if idx is None:
        return None
    m = mentions[idx]
    return idx if m["s"] == doc[m["s"]].sent.start or tok.dep_ == "npadvmod" else None


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
