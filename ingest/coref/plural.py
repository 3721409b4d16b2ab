"""Plural subjects that stand for companies named together before them.

"Corvidae and Saltmoor told a court they do not compete. Both buy chips from Tervuren":
"Both" is Corvidae and Saltmoor, and each of them buys from Tervuren. The links here are
not coreference links of :func:`ingest.coref.resolve` (one mention per token, which the
rules read): they give the relation classifier one argument per member at the plural
word, so the pairs it scores are those the sentence states.

The members are the organizations of the nearest coordination ("A and B", "A, B and
C") ending before the plural word, in its sentence or the two before it. A plural
word with no such coordination stands for nobody: "they" may be people, customers,
regulators.
"""

from __future__ import annotations

# Words that stand for the members as a whole ("they", "both", "the two") when they are
# a clause's subject or object, or the determiner of one ("both apps", "the two companies").
_PLURAL_PRONOUNS = {"they", "them"}
_PLURAL_DETERMINERS = {"both", "two"}
_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj"}
_SENTENCES_BACK = 2


def plural_members(doc, mentions: list[dict]) -> list[tuple[int, list[int]]]:
    """Return ``(token, [mention indexes])`` for each plural word standing for a named group.

    Args:
        doc: the parsed spaCy Doc.
        mentions: the doc's mentions (:func:`ingest.entities.find_mentions`).

    Returns:
        The plural word's token index with the members' mention indexes, in text order.
    """
    groups = _coordinations(doc, mentions)
    if not groups:
        return []
    sent_no = {}
    for k, sent in enumerate(doc.sents):
        sent_no[sent.start] = k
    out = []
    for tok in doc:
        if not _plural_argument(tok):
            continue
        here = sent_no[tok.sent.start]
        before = [
            (end, members)
            for end, sent_start, members in groups
            if end <= tok.i and here - sent_no[sent_start] <= _SENTENCES_BACK
        ]
        if before:
            out.append((tok.i, max(before)[1]))
    return out


def _plural_argument(tok) -> bool:
    """Whether ``tok`` is "they"/"them", or "both"/"the two", standing as an argument."""
    low = tok.lower_
    if low in _PLURAL_PRONOUNS:
        return tok.tag_ == "PRP" and tok.dep_ in _ARGUMENT_DEPS
    if low not in _PLURAL_DETERMINERS:
        return False
    if low == "two" and not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        # "the two" alone, or "the two companies" ("two" then hangs on the noun)
        det_on_noun = tok.dep_ == "nummod" and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.head.children)
        if not det_on_noun:
            return False
    if tok.dep_ in _ARGUMENT_DEPS:
        return True  # "Both rent GPUs from X", "The two are rivals"
    # "Both apps run on X", "the two companies compete": the word modifies the argument noun
    return tok.dep_ in ("det", "predet", "nummod") and tok.head.dep_ in _ARGUMENT_DEPS and tok.head.tag_ == "NNS"


def _coordinations(doc, mentions: list[dict]) -> list[tuple[int, int, list[int]]]:
    """Return ``(end token, sentence start, [mention indexes])`` of each coordination of
    two or more names of organizations or people ("Tuvana and Gardelle", "A, B and C")."""
    by_root: dict[int, int] = {}
    for idx, m in enumerate(mentions):
        # people too: NER takes many a company's invented name for a person's, and the
        # classifier may read such a name as the company ("flips")
        if m["type"] in ("Organization", "Person") and not m.get("virtual"):
            by_root.setdefault(doc[m["s"] : m["e"]].root.i, idx)
    groups: dict[int, list[int]] = {}
    for root_i, idx in by_root.items():
        tok = doc[root_i]
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        if tok.i in by_root:
            groups.setdefault(tok.i, []).append(idx)
    out = []
    for first, members in groups.items():
        names = {mentions[i]["name"] for i in members}
        if len(names) < 2:
            continue
        members = sorted(set(members), key=lambda i: mentions[i]["s"])
        end = max(mentions[i]["e"] for i in members)
        out.append((end, doc[first].sent.start, members))
    return out
