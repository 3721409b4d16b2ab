"""Organizations NER left out, found by what stands around their names.

A name of capitalized words ending in an organization's word ("Clarity AI", "Tirta Data"),
the name a company noun introduces ("the Lagos payroll startup Owoeni", "his startup,
Annuito,"), and names listed with a company's ("Jorvell, Kuramo and Pexwin are the
bidders"): the small model tags no entity there, or guesses a place or a person.
:func:`ingest.entities.mentions.find_mentions` adds them after NER's own mentions.
"""

from __future__ import annotations

from ingest.entities.names import _NOT_ENTITIES, clean_surface, joined_word, name_key
from ingest.entities.ner import DESCRIPTOR_NOUNS, _mention, opened_by_determiner


def add_unnamed_orgs(doc, mentions: list[dict]) -> None:
    """Append the organizations NER left out (see the module's docstring) to ``mentions``."""
    _head_named_orgs(doc, mentions)
    _descriptor_named_orgs(doc, mentions)
    _listed_with_orgs(doc, mentions)


# Endings that make a run of capitalized proper nouns an organization's name even where NER
# saw nothing ("Clarity AI released ...", which the small model tags as no entity at all).
_NAMING_HEADS = {
    "ai",
    "labs",
    "lab",
    "technologies",
    "systems",
    "robotics",
    "semiconductor",
    "semiconductors",
    "capital",
    "ventures",
    "partners",
    "holdings",
    "therapeutics",
    "biosciences",
    "analytics",
    "microsystems",
    "computing",
    "networks",
    "industries",
    "inc",
    "corp",
    "ltd",
    "llc",
    "plc",
    "gmbh",
    # endings of the many small companies fresh reporting names ("Tirta Data", "Giwa
    # Cloud"): a run of capitalized words ending so is a company's name
    "cloud",
    "media",
    "health",
    "bank",
    "data",
    "compute",
    "silicon",
    "tech",
    "mobile",
    "soft",
    "foundry",
    "aero",
    "energy",
    "motors",
    "foods",
    "group",
    "telecom",
    "games",
    "studios",
    "digital",
    "solutions",
    "services",
    "logistics",
    "devices",
    "instruments",
    "optics",
    "payments",
    "clinics",
}
# NER labels that make a capitalized word no organization's name after such a noun.
_NOT_NAME_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "LANGUAGE"}
# Words that open a generic phrase, not a name, before such an ending ("Generative AI").
_GENERIC_OPENERS = {
    "generative",
    "artificial",
    "responsible",
    "conversational",
    "agentic",
    "applied",
    "open",
    "enterprise",
    "sovereign",
    "frontier",
    "physical",
    "general",
    "the",
    "venture",
    "private",
    "our",
    "their",
    "its",
}


def _head_named_orgs(doc, mentions: list[dict]) -> None:
    """Add a capitalized proper-noun name ending in an organization's word, where no entity is.

    The small model tags no entity in "Clarity AI released an image model" or calls
    "Brisvane AI" a person at a sentence's start; a name of capitalized proper nouns whose
    last word is one of :data:`_NAMING_HEADS` ("AI", "Labs", "Robotics", "Inc") is an
    organization wherever it stands.
    """
    taken = {i for m in mentions for i in range(m["s"], m["e"])}
    for tok in doc:
        if tok.lower_ not in _NAMING_HEADS or tok.i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            continue
        start = tok.i
        while (
            start > tok.sent.start
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].text[:1].isupper()
            and doc[start - 1].i not in taken
            and doc[start - 1].ent_type_ in ("", "ORG", "PERSON", "PRODUCT", "NORP", "GPE")
        ):
            start -= 1
        if start == tok.i or doc[start].lower_ in _GENERIC_OPENERS:
            continue
        if any(
            doc[k].ent_type_ and doc[k].ent_type_ not in ("ORG", "PERSON", "PRODUCT") for k in range(start, tok.i + 1)
        ):
            continue
        span = doc[start : tok.i + 1]
        if any(m["s"] < span.end and span.start < m["e"] for m in mentions):
            continue
        mentions.append(_mention(span, clean_surface(span.text), "Organization", None, "ner"))
        taken.update(range(span.start, span.end))


def _listed_with_orgs(doc, mentions: list[dict]) -> None:
    """Add the capitalized names NER left out of a list of companies: "Jardelle, Kuramo and
    Pexwell are the bidders" where only "Kuramo" was tagged. A name coordinated with an
    organization's name, of capitalized proper nouns, is one; NER's place or person on a
    lone word of such a list is its guess at an unfamiliar name."""
    taken = {i for m in mentions for i in range(m["s"], m["e"])}
    for m in [m for m in mentions if m["type"] == "Organization" and not m.get("virtual")]:
        root = doc[m["s"] : m["e"]].root
        for tok in root.conjuncts:
            if (
                tok.i in taken
                or tok.pos_ != "PROPN"
                or not tok.text[:1].isupper()
                or not tok.is_alpha
                or tok.ent_type_ not in ("", "ORG", "PERSON", "GPE")
                or (tok.ent_type_ in ("PERSON", "GPE") and any(c.dep_ == "compound" for c in tok.children))
            ):
                continue
            start = tok.i
            while (
                start - 1 > tok.sent.start
                and doc[start - 1].dep_ == "compound"
                and doc[start - 1].head.i == tok.i
                and doc[start - 1].pos_ == "PROPN"
                and doc[start - 1].text[:1].isupper()
                and doc[start - 1].i not in taken
            ):
                start -= 1
            span = doc[start : tok.i + 1]
            name = clean_surface(span.text)
            if not name or name_key(name) in _NOT_ENTITIES or span[0].lower_ in _GENERIC_OPENERS:
                continue
            mentions.append(_mention(span, name, "Organization", None, "ner"))
            taken.update(range(span.start, span.end))


def _descriptor_named_orgs(doc, mentions: list[dict]) -> None:
    """Add the name an organization noun introduces, where no entity is: "the Lagos payroll
    startup Owoeni", "the insurer Seguros Cordillera", "the pension fund Sameign".

    The noun stands right before the name (or before a comma and the name: "his startup,
    Annuito,"), lower-case, in a phrase opened by a determiner or a possessive within a few
    words; the name is one to three capitalized words that end where the phrase does
    (before punctuation or a lower-case word). NER leaves such names out or calls them
    places or people.
    """
    taken = {i for m in mentions for i in range(m["s"], m["e"])}
    for tok in doc:
        if joined_word(tok) not in DESCRIPTOR_NOUNS or not tok.text.islower() or tok.i + 1 >= len(doc):
            continue
        if not opened_by_determiner(doc, tok):
            continue
        first = tok.i + 1
        if doc[first].text == "," and first + 1 < len(doc):
            first += 1  # "His startup, Annuito, reads forms": the name in apposition
        end = first
        while (
            end < len(doc)
            and end - first < 3
            and doc[end].text[:1].isupper()
            and doc[end].is_alpha
            and doc[end].sent.start == tok.sent.start
        ):
            end += 1
        if end == first or (end < len(doc) and doc[end].text[:1].isupper()):
            continue
        if first > tok.i + 1 and (end >= len(doc) or not doc[end].is_punct):
            continue  # after a comma, only a name the next comma or stop closes
        span = doc[first:end]
        if any(t.i in taken for t in span) or any(t.ent_type_ in _NOT_NAME_LABELS for t in span):
            continue
        name = clean_surface(span.text)
        if not name or name_key(name) in _NOT_ENTITIES or span[0].lower_ in _GENERIC_OPENERS:
            continue
        mentions.append(_mention(span, name, "Organization", None, "ner"))
        taken.update(range(span.start, span.end))
