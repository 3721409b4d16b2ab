"""Who a clause speaks of: the parties of a pair, and whether an ending verb ends their tie.

"While its former parent, Oldfield Instruments, spun it off": the ending verb's subject is
a third party, so the pair told in the same sentence is not over. The tokens of a doc are
read as the names they stand for (:func:`doc_parties`: every mention's tokens, resolved
pronouns and descriptions); a pair's :class:`Parties` adds which two names the pair joins,
and :func:`speaks_of_another` asks an ending verb whose tie it ends. The verb lists are
data (``ingest/data/rule_words.json``: ``succession_verbs``, ``ousting_verbs``,
``holding_nouns``). Used by :mod:`ingest.relations.ended` (the cues and dates of a pair)
and by the decision (one :class:`DocParties` per doc).
"""

from __future__ import annotations

from typing import NamedTuple

from ingest.entities.names import _ORG_HEADS, name_key
from ingest.relations.words import WORDS

_OUSTING = WORDS.ousting_verbs
_SUCCESSION = WORDS.succession_verbs
_HOLDINGS = WORDS.holding_nouns | WORDS.shares
_CLAUSE_POS = ("VERB", "AUX")
_TIME_ENTS = ("DATE", "TIME")


class DocParties(NamedTuple):
    """Who the tokens of a doc stand for (:func:`doc_parties`); :meth:`pair` names a pair."""

    #: the entity name each token stands for: every mention's tokens, resolved pronouns and descriptions
    names: dict[int, str]
    #: the names of organisations
    orgs: frozenset[str]

    def pair(self, a: str, b: str) -> Parties:
        """Return the same doc's parties for the pair of names ``a`` and ``b``."""
        return Parties(self.names, self.orgs, frozenset((a, b)))


class Parties(NamedTuple):
    """Who the tokens of a doc stand for, and which two names a pair joins (:meth:`DocParties.pair`)."""

    #: the entity name each token stands for
    names: dict[int, str]
    #: the names of organisations
    orgs: frozenset[str]
    #: the pair's two names: every other name is a third party
    mine: frozenset[str]


def doc_parties(mentions: list[dict], coref: list | None = None) -> DocParties:
    """Return the :class:`DocParties` of a doc from its mentions and coreference links."""
    names: dict[int, str] = {}
    for m in mentions:
        if not m.get("virtual"):
            for k in range(m["s"], m["e"]):
                names.setdefault(k, m["name"])
    for tok_i, idx, *_ in coref or ():
        names.setdefault(tok_i, mentions[idx]["name"])
    orgs = frozenset(m["name"] for m in mentions if m.get("type") == "Organization")
    return DocParties(names, orgs)


def party(tok, parties: Parties, *, poss: bool = True) -> tuple[str | None, frozenset[str]]:
    """Return who a subject or object stands for: "mine" (one of the pair), "other" (a third party) or None, and the names that said so.

    The phrase's own words (the word, its name parts, its appositions: "its former parent,
    Oldfield Instruments" is Oldfield) say who it is; only when they name nobody does the
    possessor speak (with ``poss``: "Ferncastle's board", "its shares", "its remaining
    shares"). A word no mention covers ("the company") and a name that only modifies a
    noun after it ("the Oslo robotics startup", :func:`_described`) name nobody.
    """
    names = parties.names
    for deps in (("appos", "compound", "flat"), ("poss",) if poss else ()):
        words = [tok] if "appos" in deps else []
        words += [c for c in tok.children if c.dep_ in deps]
        said = frozenset(names[w.i] for w in words if w.i in names and not _described(w, names))
        if said:
            mine = any(same_party(n, m, parties.orgs) for n in said for m in parties.mine)
            return ("mine" if mine else "other"), said
    return None, frozenset()


def same_party(a: str, b: str, orgs: frozenset[str]) -> bool:
    """Return True if two names stand for one party.

    They do when they are one name once case, accents and company suffixes are folded
    (:func:`ingest.entities.names.name_key`), or when one is the one-word short form of
    an organisation whose other words only say it is a company: "Croskine" and
    "Croskine Partners", not "Google" and "Google DeepMind".
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    for short, full, full_name in ((ka, kb, b), (kb, ka, a)):
        rest = full.split()
        if (
            " " not in short
            and full_name in orgs
            and len(rest) > 1
            and rest[0] == short
            and all(w in _ORG_HEADS for w in rest[1:])
        ):
            return True
    return False


def _described(tok, names: dict[int, str]) -> bool:
    """Return True if a name only modifies a common noun after it ("left the Oslo robotics startup").

    The phrase is then a description (of a side, often), whatever name the mention gave
    it. A name merely followed by a noun is no description ("left Ferncastle Robotics
    months ago", "its shares"): the noun must be no date ("left Ferncastle Robotics weeks
    earlier", which the parser may read as a compound), and the name must modify it, by
    its dependency or by standing between an article and the noun ("the Oslo robotics
    startup", which the parser may read as the object).
    """
    doc = tok.doc
    name = names[tok.i]
    first, k = tok.i, tok.i
    while first > 0 and names.get(first - 1) == name:
        first -= 1
    while k + 1 < len(doc) and names.get(k + 1) == name:
        k += 1
    if k + 1 >= len(doc) or doc[k + 1].pos_ != "NOUN" or doc[k + 1].ent_type_ in _TIME_ENTS:
        return False
    last = doc[k]
    if last.dep_ in ("compound", "amod", "nmod") and last.head.i > k:
        return True
    return first > 0 and doc[first - 1].lower_ in ("the", "a", "an")


def _subject(verb):
    """Return a verb's grammatical subject: its own, else (a coordinated verb) its first conjunct's; a relative pronoun stands for the noun the clause hangs on."""
    v = verb
    for _ in range(4):
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            if subj.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                return v.head
            return subj
        if v.dep_ != "conj" or v.head.i == v.i:
            return None
        v = v.head
    return None


def roles(verb) -> tuple[object | None, list]:
    """Return who does what a verb says and whom it is done to: ``(doer, objects)``.

    In the active the doer is the subject and the objects are its direct objects; in the
    passive ("she was fired by Ferncastle") the doer is the agent's object (None when no
    agent is named) and the subject is one the verb is done to.
    """
    objects = []
    for c in verb.children:
        if c.dep_ == "dobj":
            objects.append(verb.head if c.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" else c)
    if not objects:
        # "left Ferncastle Robotics weeks earlier": the parser may hang the object, as a
        # compound, on the date that follows it
        near = [g for c in verb.children if c.dep_ == "advmod" for g in c.children] + list(verb.children)
        for t in near:
            if t.dep_ == "npadvmod" and t.ent_type_ in _TIME_ENTS:
                objects += [x for x in t.children if x.dep_ == "compound" and x.ent_type_ not in _TIME_ENTS]
    subj = _subject(verb)
    if not any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in verb.children):
        return subj, objects
    agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    if subj is None and verb.dep_ == "acl":
        subj = verb.head  # "Mira Toldo, fired by Ferncastle in 2023"
    if subj is not None:
        objects.append(subj)
    return agent, objects


def speaks_of_another(verb, parties: Parties) -> bool:
    """Return True if an ending verb ends a third party's tie, not the pair's.

    Most ending verbs end the tie between their subject and their object. "While its
    former parent, Oldfield Instruments, spun it off": the subject is another company, so
    Corsant's stake told in the same sentence is not over. "Polaris, which she left when
    Bakare hired her": the object is another name, so her new employer is not.

    A succession verb (``succession_verbs``: "Nadella succeeded Ballmer", "Orlo replaced
    Ferncastle as the supplier of Harwick") ends its object's tie, whoever the subject
    is: only an object that names a third party ("Jones replaced Smith as chief
    executive of X", for Jones and X) speaks of another. An ousting verb
    (``ousting_verbs``: "the board removed Lee", "Ferncastle fired her") ends its object's
    tie with the subject's company: a third-party object, or a subject that is another
    company ("Orlo hired her after Ferncastle fired her", "after Ferncastle's board fired
    her", "after she was fired by Ferncastle": her job at Orlo), speaks of another, unless
    the verb's own clause names the pair's company ("was removed as chief executive of
    Brevetto by its main shareholder, Mandria": her post at Brevetto is over).
    """
    doer, objects = roles(verb)
    lemma = verb.lemma_.lower()
    if lemma in _SUCCESSION or lemma in _OUSTING:
        if any(party(o, parties, poss=False)[0] == "other" for o in objects):
            return True
        if lemma in _SUCCESSION or doer is None:
            return False
        who, names = party(doer, parties)
        if who != "other" or not any(n in parties.orgs for n in names):
            return False
        doers = {t.i for t in doer.subtree}
        pair_orgs = parties.mine & parties.orgs
        return not any(
            parties.names.get(t.i) in pair_orgs and hangs_on(t, verb) for t in verb.subtree if t.i not in doers
        )
    if doer is not None and party(doer, parties)[0] == "other":
        return True
    return any(party(o, parties)[0] == "other" for o in _held(verb, objects))


def _held(verb, objects: list) -> list:
    """Return the objects, and for a holding ("sold its shares in Ostrava Logic") the company it is in.

    The parser hangs the "in" phrase on the holding noun or on the verb.
    """
    holdings = [o for o in objects if o.lemma_.lower() in _HOLDINGS]
    if not holdings:
        return objects
    out = list(objects)
    for head in (*holdings, verb):
        out += [
            g
            for c in head.children
            if c.dep_ == "prep" and c.lower_ in ("in", "of")
            for g in c.children
            if g.dep_ == "pobj"
        ]
    return out


_CLAUSE_DEPS = ("relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "parataxis", "ROOT")


def hangs_on(tok, verb) -> bool:
    """Return True if ``verb`` governs ``tok`` within its own clause (no other clause's verb between)."""
    for a in tok.ancestors:
        if a.i == verb.i:
            return True
        if a.pos_ in _CLAUSE_POS and a.dep_ in _CLAUSE_DEPS and a.lower_ not in WORDS.verb_like_nouns:
            return False
    return False
