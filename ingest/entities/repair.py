"""Span repairs before mentions are read: names NER cut short, missed or typed by the wrong cue.

Patterns whose spelling says more than NER's guess, in every kind of text:

- a legal form ends a company name ("Corvane Mobility LLC", "Provistas, Incorporated"):
  the capitalized run before it is an organization, even where NER found nothing or
  only part of it;
- a nickname in brackets or quotes inside a person's name ('Samuel D. "Sam" Kettler',
  "Thomas (Tom) Varga"): one person, not a broken span and a stray surname;
- a generational suffix after a person's name ("John M. Starcher, Jr."): part of it;
- a birth date in brackets right after a name ("Ana Rivas (born 4 May 1970)"): a person,
  whatever NER called it;
- a bracket opened inside a name and not closed there ("Fulford Enterprises (FE"): the name
  ends before it;
- an institution placed with "at" ("the Institute for Cognitive Studies at Rutgers"): the
  name ends before "at", so the span is no longer too long to be a name;
- a name run into a function word or across a range ("products from Search to Maps"):
  the name ends before the word, and a range's two ends are two names;
- an adjective made of a name and a hyphen ("a Reliance Jio-owned firm", "the Musk-led
  company"): the name ends before the hyphen, and "-owned", "-backed", "-funded" or
  "-controlled" make it an organization, whatever NER called it.

:func:`repair_ents` rewrites ``doc.ents`` in place; gazetteer spans are never touched.
"""

from __future__ import annotations

from spacy.tokens import Span
from spacy.util import filter_spans

from ingest.entities.names import adjective_after_hyphen
from ingest.entities.ner import _ROLE_WORDS

# Legal forms as written after a company name, compared without a trailing full stop. Case
# matters here ("Inc", not the word "inc" in prose), so this is not ``names._CORP_SUFFIXES``,
# the lower-case keys that name comparison drops.
_LEGAL_FORMS = {
    "Inc",
    "INC",
    "Incorporated",
    "LLC",
    "L.L.C",
    "Ltd",
    "LTD",
    "Limited",
    "Corp",
    "CORP",
    "Corporation",
    "PLC",
    "Plc",
    "plc",
    "GmbH",
    "AG",
    "LLP",
    "S.A",
    "N.V",
    "B.V",
    "S.p.A",
    "SpA",
    "Pty",
}
_MAX_RUN = 5
_GENERATIONS = {"Jr", "Sr", "II", "III", "IV"}
_OPEN_QUOTES = {"(": ")", '"': '"', "\u201c": "\u201d"}


def repair_ents(doc) -> None:
    """Rewrite ``doc.ents`` with the repaired spans (see the module docstring)."""
    new = _legal_names(doc) + _nicknamed_people(doc) + _generational_suffixes(doc)
    new += _trimmed_names(doc)
    ents = list(doc.ents)
    born = {e.start for e in ents if e.label_ != "PERSON" and not e.ent_id_ and _born_after(e)}
    if not new and not born:
        return
    ents = [Span(doc, e.start, e.end, label="PERSON") if e.start in born else e for e in ents]
    for span in new:
        if any(e.ent_id_ and e.start < span.end and span.start < e.end for e in ents):
            continue  # the gazetteer knows this name
        ents = [e for e in ents if not (e.start < span.end and span.start < e.end)]
        ents.append(span)
    doc.ents = filter_spans(ents)


def _legal_names(doc) -> list:
    """Return ORG spans for capitalized runs that a legal form ends ("Dastra Mobility LLC")."""
    out = []
    for tok in doc:
        if tok.text.rstrip(".") not in _LEGAL_FORMS or tok.i == 0:
            continue
        if tok.ent_type_ == "ORG" and tok.ent_iob_ == "I":
            continue  # NER has the whole name already
        end = tok.i
        start = end - 1 if doc[end - 1].text == "," else end
        first = start
        while first > 0 and start - first < _MAX_RUN and _name_word(doc[first - 1]):
            if tok.text == "AG" and first == start and doc[first - 1].ent_type_ in ("GPE", "LOC"):
                break
            first -= 1
        while first < start and (doc[first].lower_ in ("the", "a", "an") or doc[first].text in ("&", "-")):
            first += 1
        if first == start:
            continue
        # a name NER started further left ("Bank of Osland Corp."): keep its start
        for e in doc.ents:
            if e.start < first < e.end and e.label_ == "ORG":
                first = e.start
        out.append(Span(doc, first, end + 1, label="ORG"))
    return out


# Words no name ends with, where NER ran one name into the next word.
_TRAILING_WORDS = frozenset({"to", "from", "and", "or", "of", "for", "with", "by"})


def _trimmed_names(doc) -> list:
    """Return NER spans cut before an unclosed bracket, an "at" that places them or a range's "to".

    "Fulford Enterprises (FE" becomes "Fulford Enterprises"; "the Institute for Cognitive
    Studies at Rutgers" becomes "the Institute for Cognitive Studies"; "Search to" (a name
    run into the next word) becomes "Search"; "from Search to Maps" gives "Search" and
    "Maps". Gazetteer spans and people are left alone.
    """
    out = []
    for e in doc.ents:
        if len(e) > 2 and not e.ent_id_ and adjective_after_hyphen(doc, e.end - 2):
            # "a Reliance Jio-owned firm": NER took the adjective, often for a person
            label = "ORG" if e[-1].lower_ in ("owned", "backed", "funded", "controlled") else e.label_
            out.append(Span(doc, e.start, e.end - 2, label=label))
            continue
        if e.ent_id_ or e.label_ in ("PERSON", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"):
            continue
        texts = [t.text for t in e]
        cut = None
        if "(" in texts[1:] and ")" not in texts[texts.index("(", 1) :]:
            cut = texts.index("(", 1)
        elif texts[-1] in _TRAILING_WORDS and len(e) > 1:
            cut = len(e) - 1  # "products from Search to Workspace": NER took "Search to"
        elif "to" in texts[1:-1] and e.start > 0 and doc[e.start - 1].lower_ == "from":
            cut = texts.index("to", 1)  # "from Search to Maps": the two ends of a range
            if e[cut + 1].text[:1].isupper():
                out.append(Span(doc, e.start + cut + 1, e.end, label=e.label_))
        elif e.label_ == "ORG" and "at" in texts[2:] and "University" not in texts[: texts.index("at", 2)]:
            cut = texts.index("at", 2)  # not "the University of Texas at Austin", a campus's own name
        if cut is None:
            continue
        first = 1 if texts[0].lower() == "the" else 0
        if cut - first >= 1 and e[cut - 1].text[:1].isupper():
            out.append(Span(doc, e.start, e.start + cut, label=e.label_))
    return out


def has_legal_form(span) -> bool:
    """Return True if a legal form ends the span ("Corvane Inc.") or directly follows it."""
    doc = span.doc
    if len(span) > 1 and span[-1].text.rstrip(".") in _LEGAL_FORMS:
        return True
    return span.end < len(doc) and doc[span.end].text.rstrip(".") in _LEGAL_FORMS


def _name_word(tok) -> bool:
    """Return True for a word that can stand inside a company name before its legal form.

    Not a word a date, a number or a person holds ("On Monday Dastra Inc."); a word NER put
    in a place or a facility may be ("Las Vegas Sands Corp.", "Glanbia, Inc"), except
    before "AG", which after a place is an attorney general ("New York AG").
    """
    if tok.ent_type_ and tok.ent_type_ not in ("ORG", "GPE", "FAC", "LOC", "NORP", "PRODUCT"):
        return False
    if tok.text in ("&", "-"):
        return True
    return (
        tok.text[:1].isupper()
        and any(c.isalpha() for c in tok.text)
        and tok.pos_ in ("PROPN", "NOUN", "ADJ")
        and tok.lower_ not in _ROLE_WORDS
    )


def _nicknamed_people(doc) -> list:
    """Return PERSON spans for 'First "Nick" Last' and "First (Nick) Last" where NER saw a person."""
    out = []
    for tok in doc[1:-3]:
        close = _OPEN_QUOTES.get(tok.text)
        if close is None:
            continue
        i = tok.i
        nick, shut, last, before = doc[i + 1], doc[i + 2], doc[i + 3], doc[i - 1]
        if (
            shut.text not in (close, "\u201d", '"')
            or not (_cap(nick) and _cap(last) and (_cap(before) or _initial(before)))
            or nick.is_upper  # "Microsoft (MSFT) Chief Executive ...": a ticker, not a nickname
            or "PERSON" not in (before.ent_type_, nick.ent_type_, last.ent_type_)
        ):
            continue
        first = i - 1
        while first > 0 and i - first < 3 and (_cap(doc[first - 1]) or _initial(doc[first - 1])):
            if doc[first - 1].lower_ in _ROLE_WORDS or doc[first - 1].ent_type_ not in ("", "PERSON"):
                break  # "CEO Thomas (Tom) Varga": the title is no part of the name
            first -= 1
        end = i + 4
        while end < len(doc) and end - i < 6 and _cap(doc[end]) and doc[end].pos_ == "PROPN":
            if doc[end].ent_type_ not in ("", "PERSON"):
                break
            end += 1
        out.append(Span(doc, first, end, label="PERSON"))
    return out


def _generational_suffixes(doc) -> list:
    """Return PERSON spans that take in a generational suffix NER left out ("John M. Starcher, Jr.")."""
    out = []
    for e in doc.ents:
        if e.label_ != "PERSON" or len(e) < 2:
            continue
        i = e.end + (1 if e.end < len(doc) and doc[e.end].text == "," else 0)
        if i < len(doc) and doc[i].text.rstrip(".") in _GENERATIONS:
            out.append(Span(doc, e.start, i + 1, label="PERSON"))
    return out


def _cap(tok) -> bool:
    return tok.is_alpha and tok.text[:1].isupper()


def _initial(tok) -> bool:
    return len(tok.text) == 2 and tok.text[0].isupper() and tok.text[1] == "."


def _born_after(span) -> bool:
    """Return True if "(born ..." follows the span: a person's birth date."""
    doc = span.doc
    return (
        span.end + 1 < len(doc)
        and doc[span.end].text == "("
        and doc[span.end + 1].lower_ in ("born", "b.")
        and sum(t.text[:1].isupper() for t in span) >= 2
    )
