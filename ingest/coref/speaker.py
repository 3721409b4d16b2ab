"""First-person words in a quotation: "we", "our", "us" stand for the speaker's organization,
"I", "my", "me" for the speaker.

'"We compete with Nvidia every day," said AMD chief executive Lisa Su' says AMD competes
with Nvidia; '"Anthropic is one of our largest customers," said Thomas Kurian of Google
Cloud' says Google Cloud supplies Anthropic. The speaker is the subject of a reporting verb
("said", "told", "added") outside the quotation, in a sentence the quotation overlaps or in
the one that closes it; a person speaks for the one organization named in their own noun
phrase ("AMD chief executive Lisa Su", "Satya Nadella, Microsoft's chief executive",
"Nvidia's Jensen Huang"), an organization for itself. Nothing is linked when no reporting
verb, or more or fewer than one such organization, says who speaks.
"""

from __future__ import annotations

from ingest.coref.antecedent import _mention_at
from ingest.coref.vocabulary import REPORTING as _REPORTING

_QUOTES = {'"', "\u201c", "\u201d"}
_WE = {"we", "our", "us", "ours", "ourselves"}
_I = {"i", "my", "me", "mine", "myself"}


def speaker_links(doc, mentions: list[dict], links: list[list]) -> None:
    """Append ``[token, mention, "speaker"]`` links for first-person words in quotations."""
    for start, end in _quotations(doc):
        words = [t for t in doc[start:end] if t.lower_ in _WE | _I and t.tag_ in ("PRP", "PRP$")]
        if not words:
            continue
        speaker = _speaker(doc, start, end, mentions, links)
        if speaker is None:
            continue
        person, org = speaker
        taken = {link[0] for link in links}
        for t in words:
            idx = org if t.lower_ in _WE else person
            if idx is not None and t.i not in taken:
                links.append([t.i, idx, "speaker"])


def _quotations(doc) -> list[tuple[int, int]]:
    """Token ranges inside quotation marks (the marks left out); an opening mark that is never
    closed opens no quotation."""
    spans, open_at = [], None
    for t in doc:
        if t.text not in _QUOTES:
            continue
        opening = t.text == "\u201c" or (t.text == '"' and open_at is None)
        if opening and open_at is None:
            open_at = t.i + 1
        elif open_at is not None and t.text != "\u201c":
            spans.append((open_at, t.i))
            open_at = None
    return spans


def _speaker(doc, start: int, end: int, mentions: list[dict], links: list[list]):
    """The (person, organization) mention indexes of the quotation's speaker, either may be
    None; None when no reporting verb outside the quotation names one."""
    sents = {doc[start].sent.start: doc[start].sent, doc[end - 1].sent.start: doc[end - 1].sent}
    if end < len(doc):
        sents.setdefault(doc[end].sent.start, doc[end].sent)
    for sent in sents.values():
        for verb in sent:
            if verb.lemma_ not in _REPORTING or verb.pos_ != "VERB" or start <= verb.i < end:
                continue
            subj = next((c for c in verb.children if c.dep_ == "nsubj" and not start <= c.i < end), None)
            if subj is None:
                continue
            idx = _mention_at(mentions, subj.i, links)
            if idx is None:
                # "said a spokesperson for Anthropic", "an Nvidia engineer said": one
                # organization in the speaker's phrase speaks through them
                orgs = _orgs_in(subj, start, end, mentions, links) if subj.pos_ == "NOUN" else set()
                if len(orgs) == 1:
                    return None, orgs.pop()
                continue
            if mentions[idx]["type"] == "Organization":
                return None, idx
            if mentions[idx]["type"] != "Person":
                continue
            orgs = _orgs_in(subj, start, end, mentions, links)
            if not orgs:
                # "..., he said": the person's own noun phrase where they were named before
                for m in mentions:
                    if (
                        m["type"] == "Person"
                        and m["name"] == mentions[idx]["name"]
                        and not m.get("virtual")
                        and m["s"] < start
                    ):
                        root = doc[m["s"] : m["e"]].root
                        heads = [root]
                        if root.dep_ == "nsubj" and root.head.lemma_ == "be":
                            heads += [c for c in root.head.children if c.dep_ == "attr"]  # "X is Nvidia's CEO"
                        found = set().union(*(_orgs_in(h, start, end, mentions, links) for h in heads))
                        orgs = found or orgs
            return idx, (orgs.pop() if len(orgs) == 1 else None)
    return None


def _orgs_in(head, start: int, end: int, mentions: list[dict], links: list[list]) -> set[int]:
    """The organizations named in the phrase of ``head``, outside the quotation."""
    return {
        o
        for t in head.subtree
        if not start <= t.i < end
        and (o := _mention_at(mentions, t.i, links)) is not None
        and mentions[o]["type"] == "Organization"
    }


def reattach_speakers(doc, mentions: list[dict]) -> None:
    """Make a person named before a closing reporting verb its subject again.

    '..., a deal with OpenAI, Brett Adcock, the company's founder, said.': the small parser
    often hangs the person (and the title after it) on the last noun before it as an
    apposition, so the title reads as that noun's. When a reporting verb ends the
    sentence with no subject of its own, and a person's name in apposition, with only its
    own apposition and commas after it, stands right before the verb, the person is the
    verb's subject.
    """
    for m in mentions:
        if m["type"] != "Person" or m.get("virtual"):
            continue
        person = doc[m["s"] : m["e"]].root
        if person.dep_ != "appos":
            continue
        end = person.right_edge.i + 1
        while end < len(doc) and doc[end].text == ",":
            end += 1
        if end >= person.sent.end:
            continue
        verb = doc[end]
        if (
            verb.lemma_ not in _REPORTING
            or verb.pos_ != "VERB"
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
            or person.head.i == verb.i
        ):
            continue
        if not any(a.i == verb.i for a in person.ancestors):
            continue
        person.head = verb
        person.dep_ = "nsubj"
