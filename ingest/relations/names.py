"""Fallback names: proper-noun phrases in argument positions that no gazetteer or NER found."""

from __future__ import annotations

from ingest.entities.mentions import acronym_of, first_words_taken_for_people
from ingest.entities.names import _NOT_ENTITIES, _ORG_HEADS, glued_hyphen, name_key
from ingest.entities.ner import _person_noun
from ingest.relations.lexicon import lexicon_nouns
from ingest.relations.signatures import ORG, PER
from ingest.relations.words import WORDS

# Predicates of biographies and company profiles, which name small firms no model knows
# ("Airstream is a subsidiary of Thor Industries"): the ended classifier learns a fallback
# name's relations only on these. The rules fire on fallback names for every predicate
# ("X will supply software to Tasman Shield"); the classifier sees the side's source.
FALLBACK_PREDICATES = {"leads", "founded", "subsidiaryOf", "worksFor"}

_NOT_NAMES = {
    "GPE",
    "LOC",
    "DATE",
    "TIME",
    "NORP",
    "FAC",
    "EVENT",
    "LAW",
    "LANGUAGE",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
    "WORK_OF_ART",
    "PRODUCT",
}

_NAME_DEPS = ("nsubj", "nsubjpass", "pobj", "dobj", "appos", "attr", "conj")


def add_fallback_names(doc, mentions: list[dict]) -> None:
    """Append ``fallback`` mentions for unrecognized proper-noun phrases.

    A fallback name is an Organization, or a Person where an occupation only a person has
    stands in apposition or as the copula's complement ("Ana Guthrie, a chemist,").

    Only a phrase of capitalized proper nouns in an argument position (subject, object,
    object of a preposition), outside every mention and every non-organization entity,
    qualifies; the rules and the classifier's candidates take it for any predicate its type
    fits (the classifier sees its source), and it is listed as an entity only if a
    relation uses it.
    """
    taken = set()
    for m in mentions:
        taken.update(range(m["s"], m["e"]))
    # the first mention of each name key, indexed as mentions are added (name_key is not cheap)
    by_key: dict[str, dict] = {}
    indexed = 0
    for tok in doc:
        if (
            tok.pos_ != "PROPN"
            or tok.i in taken
            or tok.dep_ not in _NAME_DEPS
            or tok.ent_type_ in _NOT_NAMES
            or not tok.text[:1].isupper()
        ):
            continue
        start = tok.i
        while (
            start > 0
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].head.i == tok.i
            and doc[start - 1].dep_ in ("compound", "nmod", "amod")
            and doc[start - 1].i not in taken
            and doc[start - 1].ent_type_ not in _NOT_NAMES
            and doc[start - 1].text[:1].isupper()
        ):
            start -= 1
        while (
            start > 1
            and glued_hyphen(doc, start - 1)
            and doc[start - 2].text[:1].isupper()
            and doc[start - 2].i not in taken
            and doc[start - 2].ent_type_ not in _NOT_NAMES
        ):
            start -= 2  # "TIAA-CREF": a hyphen inside the name, not before it
        if (
            tok.i == tok.sent.start
            and start == tok.i
            and tok.text.isalpha()
            and not tok.text.isupper()
            and tok.lower_ in ("the", "a", "it", "he", "she", "they", "this")
        ):
            continue
        span = doc[start : tok.i + 1]
        if any(t.i in taken for t in span):
            continue
        words = [w.lower_.strip(".") for w in span]
        if (
            all(w in WORDS.not_name_words or lexicon_nouns(w) for w in words)
            or words[-1] in WORDS.not_name_words
            or any(w in WORDS.title_words for w in words)
            or (len(words) == 1 and tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN")
            or name_key(span.text) in _NOT_ENTITIES
        ):
            continue  # "Chairman", "LLC", "(NYSE: ...)": a title, suffix or exchange, not a name
        taken.update(range(span.start, span.end))
        if len(span) == 1 and span.end + 1 < len(doc) and doc[span.end].lower_ in ("and", "&"):
            nxt = next(
                (m for m in mentions if m["s"] == span.end + 1 and m["type"] == PER and m["e"] - m["s"] >= 2), None
            )
            surname = any(m["type"] == PER and m["name"].split()[-1] == span.text for m in mentions)
            if nxt is not None and not surname:
                # "siblings Dario and Daniela Amodei": a first name sharing the surname
                mentions.append(
                    {
                        "s": span.start,
                        "e": span.end,
                        "name": f"{span.text} {doc[nxt['e'] - 1].text}",
                        "type": PER,
                        "qid": None,
                        "src": "ner",
                        "agency": False,
                    }
                )
                continue
        full = acronym_of([m for m in mentions if m["s"] < span.start], span.text, doc, span.start)
        if full is not None:
            # "Corvane Enterprises (CE)": the initials name the same company
            mentions.append(
                {
                    "s": span.start,
                    "e": span.end,
                    "name": full["name"],
                    "type": full["type"],
                    "qid": full["qid"],
                    "src": "short",
                    "agency": full["agency"],
                    **({"fallback": True} if full.get("fallback") else {}),
                }
            )
            continue
        for m in mentions[indexed:]:
            if not m.get("virtual"):
                by_key.setdefault(name_key(m["name"]), m)
        indexed = len(mentions)
        same = by_key.get(name_key(span.text))
        if same is not None:
            # "already uses Sable-2": a name found elsewhere in the text keeps its type there
            mentions.append({**same, "s": span.start, "e": span.end, "src": "short"})
            continue
        person = words[-1] not in _ORG_HEADS and _person_noun(list(span))
        mentions.append(
            {
                "s": span.start,
                "e": span.end,
                "name": span.text,
                "type": PER if person else ORG,
                "qid": None,
                "src": "np",
                "agency": False,
                "fallback": True,
            }
        )
    # a fallback name may be the company whose first word NER took for a person
    first_words_taken_for_people(mentions)
