"""NER spans: drop what is no entity, correct the type NER gave, canonicalize, make a mention.

What spaCy's NER finds on its own is filtered here (roles, tickers, exchanges, bare
suffixes), its type corrected by the words around it ("CEO of X" makes X an
organization), and its name mapped to a gazetteer entry or the cleaned surface form.
"""

from __future__ import annotations

from ingest.entities.gazetteer import Gazetteer
from ingest.entities.names import (
    _CORP_SUFFIXES,
    _NOT_ENTITIES,
    _ORG_HEADS,
    NEWS_AGENCIES,
    clean_surface,
    joined_word,
    name_key,
)
from kg.model import Entity

_ROLE_WORDS = {
    "ceo",
    "chief",
    "executive",
    "founder",
    "cofounder",
    "co-founder",
    "president",
    "head",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "cto",
    "cfo",
    "coo",
    "investor",
    "researcher",
    "engineer",
    "scientist",
    "employee",
    "officer",
}


def ner_type(label: str, text: str, tokens: list) -> str | None:
    """Return our entity type for a span NER found, or None to drop it.

    Args:
        label: the spaCy NER label.
        text: the cleaned span text.
        tokens: the span's tokens (spaCy Token objects) for context checks.

    Returns:
        "Organization", "Person", "Product" or None.
    """
    key = name_key(text)
    if not key or key in _NOT_ENTITIES or not any(c.isupper() for c in text):
        return None
    first = text.split()[0].lower().strip(".,")
    if label != "PERSON" and (first in _ROLE_WORDS or first in ("professor", "board", "scientific")):
        return None  # "Board & CEO", "Professor and University": a title, not a name
    if ":" in text or key in _EXCHANGES or _in_ticker_parens(tokens):
        return None  # "(NYSE: LVS)" is a listing, not a party to anything
    if key.replace(" ", "").isdigit() or len(key) < 2 or len(tokens) > 6 or key in _CORP_SUFFIXES:
        return None  # "Nippon Express USA, INC": the suffix alone is no entity
    if label != "ORG" and (_org_apposition(tokens) or _org_descriptor(tokens)):
        return "Organization"  # "a stake in Altera, the chip maker": NER called it a place
    words = text.split()
    last = words[-1].lower().strip(".,")
    if (
        label not in ("PERSON", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL")
        and last not in _ORG_HEADS
        and _person_noun(tokens, roles=label not in ("GPE", "LOC", "NORP"))
    ):
        return "Person"  # "Ana Rivas, a chemist,", "Osk Delvan is a Dutch composer": NER called it a company
    if (
        label in ("GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "EVENT")
        and len(words) > 1
        and last in _ORG_HEADS
        and last not in _PLACE_HEADS
    ):
        return "Organization"  # "at Tervo Labs": NER called it a place (or a title)
    if label == "FAC" and len(words) > 1 and last in _INSTITUTION_HEADS:
        return "Organization"  # "worked at the Walters Art Gallery": a building's name, and its employer
    if label not in ("ORG", "PERSON", "PRODUCT"):
        return None
    if label == "PERSON":
        if last in _ORG_HEADS or any(ch.isdigit() for ch in text) or _org_context(tokens):
            return "Organization"
        # A person has a first and a last name, each capitalized; single tokens are
        # either later short mentions (resolved by the caller) or misfires.
        if len(words) < 2 or not all(w[0].isupper() for w in words if w[0].isalpha()):
            return "Person?" if len(words) == 1 and words[0][0].isupper() else None
        return "Person"
    if label == "ORG":
        if len(words) == 1 and text.islower():
            return None
        if last not in _ORG_HEADS and _a_companys(tokens):
            return "Product"  # "Xiaomi's HyperOS": what a company has, by name, is mostly a product
        return "Organization"
    return "Product"


# Nouns after "X's <Name>" that make the name a part of the company, not a product
_UNIT_AFTER = {"unit", "division", "arm", "subsidiary", "subsidiaries", "lab", "labs", "team", "business", "group"}


def _a_companys(tokens: list) -> bool:
    """Whether a company's possessive stands right before the span ("Xiaomi's HyperOS") and
    no common noun right after it: a unit ("Amazon's Zoox unit", "Baidu's Kunlun chip unit")
    or the company's deal for it ("Salesforce's Informatica purchase")."""
    if not tokens:
        return False
    first, end = tokens[0], tokens[-1].i + 1
    doc = first.doc
    if first.i < first.sent.start + 2 or doc[first.i - 1].tag_ != "POS" or doc[first.i - 2].ent_type_ != "ORG":
        return False
    if end < len(doc) and (doc[end].lower_ in _UNIT_AFTER or (doc[end].pos_ == "NOUN" and doc[end].text.islower())):
        return False  # "Amazon's Zoox unit", "Salesforce's Informatica purchase": a company, or its deal
    return not (end + 1 < len(doc) and doc[end].text.islower() and doc[end + 1].lower_ in _UNIT_AFTER)


_EXCHANGES = {
    "nyse",
    "nasdaq",
    "tsx",
    "hkse",
    "hkex",
    "lse",
    "new york stock exchange",
    "london stock exchange",
    "otc",
    "amex",
    "asx",
    "sgx",
    "euronext",
}


# Head nouns of an apposition that says its name is an organization ("Altera, the
# programmable-chip maker"); a person's or a place's epithets are not among them.
_ORG_APPOSITION_NOUNS = {
    "company",
    "startup",
    "start-up",
    "firm",
    "lab",
    "laboratory",
    "maker",
    "chipmaker",
    "developer",
    "manufacturer",
    "supplier",
    "provider",
    "conglomerate",
    "unicorn",
    "spinout",
    "spin-off",
    "subsidiary",
}


def _org_apposition(tokens: list) -> bool:
    """Return True if the span's head has an apposition headed by an organization noun.

    "Altera, the programmable-chip maker it bought in 2015", "Mistral, the French
    startup": the apposition says what NER mislabelled (a place, a person). A
    hyphenated head ("start-up") is read whole.
    """
    return any(
        c.dep_ == "appos"
        and c.i >= tokens[-1].i
        and joined_word(c) in _ORG_APPOSITION_NOUNS
        and any(d.dep_ == "det" for d in c.children)
        for c in _span_root(tokens).children
    )


# A facility NER found that is also an institution people work for or found.
_INSTITUTION_HEADS = {"gallery", "museum", "conservatory", "hospital", "library", "orchestra", "observatory", "clinic"}

# Organization heads that also end place names ("the West Bank"): a name NER called a place
# and ending in one of them stays a place.
_PLACE_HEADS = {"bank", "cloud", "stations", "school", "college", "academy", "university", "institute"}

# Occupations only a person has ("a chemist"); words a company shares ("designer",
# "developer", "pioneer", "leader") are left out.
_PERSON_NOUNS = {
    "actor",
    "actress",
    "artist",
    "attorney",
    "biologist",
    "businessman",
    "businesswoman",
    "chemist",
    "composer",
    "diplomat",
    "economist",
    "entrepreneur",
    "historian",
    "journalist",
    "lawyer",
    "linguist",
    "mathematician",
    "musician",
    "novelist",
    "philosopher",
    "physician",
    "physicist",
    "pianist",
    "poet",
    "politician",
    "professor",
    "researcher",
    "psychologist",
    "scientist",
    "singer",
    "surgeon",
    "writer",
}


# Nouns that introduce an organization's name right after them ("the payroll startup
# Owoeni", "the insurer Seguros Cordillera"); not those a person's name follows as often
# ("the investor Peter Thiel", "the designer Jony Ive", "his rival Elon Musk").
DESCRIPTOR_NOUNS = {
    "startup",
    "start-up",
    "firm",
    "company",
    "group",
    "fund",
    "bank",
    "lab",
    "insurer",
    "operator",
    "maker",
    "chipmaker",
    "carmaker",
    "automaker",
    "developer",
    "broadcaster",
    "carrier",
    "lender",
    "retailer",
    "conglomerate",
    "manufacturer",
    "supplier",
    "provider",
    "agency",
    "regulator",
    "publisher",
    "newspaper",
    "brokerage",
    "airline",
    "utility",
    "unicorn",
    "subsidiary",
    "shipbuilder",
    "distributor",
    "cooperative",
    "co-op",
    "watchdog",
    "outfit",
}


def opened_by_determiner(doc, tok) -> bool:
    """Whether a determiner or a possessive opens the phrase of noun ``tok`` within four
    words ("the Lagos payroll startup", "its venture arm", "a rival lab")."""
    for k in range(tok.i - 1, max(tok.sent.start, tok.i - 5) - 1, -1):
        t = doc[k]
        if t.lower_ in ("the", "a", "an", "its", "their", "his", "her") or t.tag_ == "POS":
            return True
        if t.is_punct and t.text != "-":
            return False
    return False


def _org_descriptor(tokens: list) -> bool:
    """Return True if the span stands in apposition after an organization noun with a determiner.

    "the video game company Mojang", "the startup Kestrel": the noun before the name says
    what NER mislabelled.
    """
    root = _span_root(tokens)
    head = root.head
    if (
        root.dep_ == "appos"
        and head.i < tokens[0].i
        and joined_word(head) in _ORG_APPOSITION_NOUNS
        and any(d.dep_ == "det" for d in head.children)
    ):
        return True
    # "the insurer Seguros Montana": the noun right before the name, the parse aside
    doc = tokens[0].doc
    before = doc[tokens[0].i - 1] if tokens[0].i > tokens[0].sent.start else None
    return (
        before is not None
        and before.text.islower()
        and joined_word(before) in DESCRIPTOR_NOUNS
        and opened_by_determiner(doc, before)
    )


def _person_noun(tokens: list, roles: bool = True) -> bool:
    """Return True if an apposition or a copula's complement calls the span a person's
    occupation or a role only a person holds.

    "Ana Rivas, a chemist, founded ...", "Osk Delvan is a Dutch composer" (an occupation
    with a determiner); "Nadia Petrova, chief executive of ...", "Nadia Petrova is the
    co-founder and chief executive of ...", "Nadia Petrova has served as chief operating
    officer of ...", "Jane Doe was appointed as chief executive" (a role, with or without
    one; ``roles=False`` leaves roles out). Only a name of two capitalized words or more.
    The active subject of "appoint ... as" is who appoints, not who takes the role.
    """
    words = [t for t in tokens if t.is_alpha]
    if len(words) < 2 or not all(t.text[:1].isupper() for t in words):
        return False
    root = _span_root(tokens)
    nouns = [c for c in root.children if c.dep_ == "appos" and c.i > tokens[-1].i]
    verb = root.head
    as_roles = []
    if root.dep_ in ("nsubj", "nsubjpass"):
        if verb.lemma_ in ("be", "become", "remain"):
            nouns += [c for c in verb.children if c.dep_ == "attr"]
        if verb.lemma_ in _TAKE_ROLE_VERBS or (root.dep_ == "nsubjpass" and verb.lemma_ in _GIVE_ROLE_VERBS):
            as_roles = [
                g
                for c in verb.children
                if c.dep_ == "prep" and c.lower_ == "as"
                for g in c.children
                if g.dep_ == "pobj"
            ]
        nouns += [c for c in verb.children if fronted_phrase(c, root)]
    nouns += [c for n in nouns for c in n.conjuncts]
    as_roles += [c for n in as_roles for c in n.conjuncts]
    if any(n.lower_ in _PERSON_NOUNS and any(d.dep_ == "det" for d in n.children) for n in nouns):
        return True
    if not roles:
        return False
    if _role_before(root, tokens):
        return True
    # "joined the alliance as a co-founder": a company can be one, so not after "as"
    return any(_is_person_role(n) for n in nouns) or any(_is_person_role(n, founder=False) for n in as_roles)


# Verbs whose agent, after a company noun, is a person ("the chipmaker led by X", "a
# startup founded by X"); a round "led by" a fund is not after such a noun.
_PERSON_AGENT_VERBS = {"lead", "run", "head", "chair", "found", "co-found", "cofound"}


def _role_before(root, tokens: list) -> bool:
    """Whether a role only a person holds stands before the name: "Y's chief executive,
    Ama Boateng", "chief executive Asgeir Palsson", "its founder, Beatriz Anaya", or the
    name is the agent of leading or founding a company noun ("the Maribor chipmaker led by
    Tadej Kovacic")."""
    head = root.head
    if root.dep_ == "appos" and head.i < tokens[0].i and _is_person_role(head):
        return True
    if any(c.dep_ in ("compound", "amod") and c.i < tokens[0].i and _is_person_role(c) for c in root.children):
        return True
    verb = head.head
    return (
        root.dep_ == "pobj"
        and head.lower_ == "by"
        and verb.lemma_ in _PERSON_AGENT_VERBS
        and verb.dep_ in ("acl", "relcl")
        and joined_word(verb.head) in (DESCRIPTOR_NOUNS | _ORG_APPOSITION_NOUNS)
    )


def fronted_phrase(c, subj) -> bool:
    """Return True if ``c`` heads a phrase that opens the sentence and ends in the comma
    right before subject ``subj`` ("A professor at Brandeis, Ana Polk said ...", "A
    subsidiary of Tervo Media, Brightpath is ..."): the parser makes such a phrase a second
    subject, an adverbial clause or a ``dep`` of the verb."""
    end = c.right_edge.i
    return (
        c.i < subj.i
        and c.dep_ in ("nsubj", "nsubjpass", "advcl", "npadvmod", "dep")
        and c.left_edge.i == c.sent.start
        and end + 2 < len(c.doc)
        and c.doc[end + 1].text == ","
        and end + 2 == subj.left_edge.i
    )


# Verbs whose subject takes the role their "as" phrase names ("has served as chief executive")
_TAKE_ROLE_VERBS = {"serve", "act", "return", "join", "continue", "remain", "stay"}

# Verbs that give the role of their "as" phrase to their object, so to a passive subject
# ("was appointed as chief executive"), never to the active one ("X appointed Y as ...")
_GIVE_ROLE_VERBS = {"name", "appoint", "elect", "promote", "install"}

# Roles only a person holds ("chief executive", "co-founder", "president")
_PERSON_ROLES = {"ceo", "cto", "cfo", "coo", "chairman", "chairwoman", "president"}
_FOUNDER_ROLES = {"founder", "cofounder", "co-founder"}


def _is_person_role(n, founder: bool = True) -> bool:
    """Return True if noun ``n`` names a role only a person holds: "president", "chief
    operating officer", "chief executive (officer)" ("chief" before the noun, or on
    "executive" before "officer"); "founder" too unless ``founder`` is False."""
    low = n.lower_
    if low in _PERSON_ROLES or (founder and low in _FOUNDER_ROLES):
        return True
    before = [c for c in n.children if c.i < n.i]
    if low in ("officer", "executive") and any(c.lower_ == "chief" for c in before):
        return True
    if low == "partner" and any(c.lower_ in ("managing", "general", "founding") for c in before):
        return True  # "managing partner" of a fund: a person, where "a partner" may be a company
    return low == "officer" and any(
        c.lower_ == "executive" and any(g.lower_ == "chief" for g in c.children) for c in before
    )


def _span_root(tokens: list):
    """Return the span's head token: the first whose head lies outside it (else the last)."""
    return next((t for t in tokens if t.head not in tokens), tokens[-1])


def _in_ticker_parens(tokens: list) -> bool:
    """Return True if the span sits in a parenthesis holding a ticker, like "(NASDAQ: BECN)"."""
    doc = tokens[0].doc
    before = [t.text for t in doc[max(0, tokens[0].i - 3) : tokens[0].i]]
    after = [t.text for t in doc[tokens[-1].i + 1 : min(len(doc), tokens[-1].i + 3)]]
    return "(" in before and ":" in after + before


# What only an organization has, said with a possessive ("Corridan's speech model",
# "Kaskara's board"). Not "company" or "startup" ("Altman's company") nor "rival".
_ORG_POSSESSIONS = {
    "model",
    "models",
    "chips",
    "app",
    "apps",
    "software",
    "platform",
    "customers",
    "clients",
    "shareholders",
    "board",
    "staff",
    "employees",
    "headquarters",
    "subsidiary",
    "subsidiaries",
    "unit",
    "division",
    "parent",
    "revenue",
    "shares",
    "prospectus",
    "spokesperson",
    "spokeswoman",
    "spokesman",
}


def _org_context(tokens: list) -> bool:
    """Return True if the words around a PERSON span show it is an organization.

    "CEO of X", "X's chief executive", "X Inc." - a role noun governing the span through
    "of"/"at" or a possessive/compound link means the span is the employer.
    """
    root = _span_root(tokens)
    if root.dep_ in ("poss", "compound") and root.head.lower_ in _ROLE_WORDS:
        return True
    if root.dep_ == "poss" and root.head.lower_ in _ORG_POSSESSIONS:
        return True  # "Gardelle's image model", "Tovelo's shareholders": only a company has them
    if root.dep_ == "pobj" and root.head.lower_ in ("of", "at") and root.head.head.lower_ in _ROLE_WORDS:
        return True
    if any(t.lower_.strip(".") in _CORP_SUFFIXES for t in tokens[1:]):
        return True
    nxt = tokens[-1].nbor(1) if tokens[-1].i + 1 < len(tokens[-1].doc) else None
    return nxt is not None and nxt.lower_.strip(".") in ("inc", "corp", "ltd", "llc")


def canonical_entity(gaz: Gazetteer, text: str, type_: str) -> Entity:
    """Return the canonical entity for a NER surface form of a known type.

    Exact gazetteer key first (any type: the gazetteer knows better than NER), then a
    fuzzy match within the type, else the cleaned surface form itself, which is
    deterministic, so two articles naming "Acme Corp." and "Acme" meet at "Acme".

    Args:
        gaz: the gazetteer.
        text: the surface form.
        type_: the corrected type.

    Returns:
        The canonical :class:`Entity`.
    """
    entry = gaz.lookup(text) or gaz.fuzzy(text, type_)
    if entry is not None:
        return entry.entity()
    return Entity(clean_surface(text), type_, None, ())


def _mention(span, name: str, type_: str, qid: str | None, src: str) -> dict:
    start, end = span.start, span.end
    # "OpenAI's" must not carry the possessive into the mention
    while end - start > 1 and span.doc[end - 1].tag_ == "POS":
        end -= 1
    return {
        "s": start,
        "e": end,
        "name": name,
        "type": type_,
        "qid": qid,
        "src": src,
        "agency": name_key(name) in NEWS_AGENCIES,
    }
