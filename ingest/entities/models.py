"""AI model names the gazetteer does not know, found as newsrooms write them ("Atlas-2").

NER has no label for models; :func:`_model_names` adds them to the mentions of a doc,
from a versioned name in a sentence about models, a capitalized name before "model", or a
quoted name a sentence gives a model ('its "Kite" model', 'systems such as "K2"').
Products named the same way are added too: a capitalized name before a product noun ("its
Naran driving system", "Selva's Onca inspection robot"), and a name in apposition to a
model or product noun ("its customer-service model, Dol", "its Pashto chatbot, Zarghuna").
"""

from __future__ import annotations

import re

from ingest.entities.gazetteer import Gazetteer
from ingest.entities.names import _NOT_ENTITIES, _ORG_HEADS, clean_surface, glued_hyphen, name_key
from ingest.entities.ner import _mention
from ingest.entities.nouns import (
    _MODEL_MODIFIERS,
    _MODEL_NOUNS,
    _appositive_names,
    _company_name,
    _has_maker,
    _modifier,
    _noun_after,
    _noun_kind,
    _owner_before,
)

# An AI model's name as newsrooms write it: a capitalized word with a version ("Atlas-2",
# "Marlin-70B", "Orion-1.5"), or a name standing before "model" ("its Haneul vision model").
_VERSIONED = re.compile(r"^[A-Z][A-Za-z]{2,}-(?:\d+(?:\.\d+)?[A-Za-z]{0,2}|[A-Z]{1,2}\d*)$")
_PARAM_SIZE = re.compile(r"-\d+(?:\.\d+)?[BbMm]$")
# A quoted name is a model when it stands before a model noun or is given to one (or, in a
# sentence about models, to a system) by these words: 'models such as "K2"', 'a model
# called "Kite"'.
_QUOTES = {'"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "``", "''"}
_NAMING_WORDS = {"as", "like", "called", "named", "dubbed", "codenamed", "code-named"}
_SYSTEM_NOUNS = {"system", "systems"}
_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "attr"}
# Words in the sentence that say it speaks of AI models (for a versioned name alone).
_MODEL_CUES = _MODEL_NOUNS | {
    "weights",
    "parameters",
    "chatbot",
    "assistant",
    "fine-tuned",
    "trained",
    "benchmark",
    "benchmarks",
    "open-source",
    "open-weight",
    "inference",
    "tokens",
    "release",
    "released",
    "launched",
    "runs",
    "powered",
    "built",
}


def _model_names(doc, out: list[dict], gaz: Gazetteer) -> None:
    """Add the AI models the gazetteer does not know, named as newsrooms name them.

    NER has no label for models: it drops "Atlas-2" or calls it an organization or a
    product. A versioned name ("Atlas-2", "Marlin-70B") is a model when its sentence
    speaks of models (or the version is a parameter size); a capitalized name right
    before "model" ("its own Haneul vision model") is one unless the text uses the same
    name for an organization. A model found here replaces an NER mention on the same
    tokens; gazetteer mentions are never touched.
    """
    taken = {i: k for k, m in enumerate(out) for i in range(m["s"], m["e"])}

    def org_name(key: str, start: int, end: int, sure: bool = False) -> bool:
        """Whether the text names an organization so, or with one of its words, elsewhere
        than on these tokens (NER's guess on the tokens themselves is what is replaced).
        When the words here say for sure that the name is a product's (``sure``), NER's
        guess on the same name elsewhere does not count: "Tanya, a chatbot the council
        commissioned from X", then "Tanya answers..."."""
        words = set(key.split())
        return any(
            m["type"] == "Organization"
            and not (m["s"] < end and start < m["e"])
            and not (sure and m["src"] == "ner" and name_key(m["name"]) == key)
            and (name_key(m["name"]) == key or words & set(name_key(m["name"]).split()))
            for m in out
        )

    # a quoted name NER took for an organization is a model all the same, unless the
    # text names an organization so elsewhere
    found = [
        (s, e, "AIModel", False)
        for s, e in _quoted_model_names(doc)
        if (key := name_key(doc[s:e].text))
        and key not in _NOT_ENTITIES
        and not any(
            m["type"] == "Organization" and name_key(m["name"]) == key and not (m["s"] < e and s < m["e"]) for m in out
        )
    ]
    for start, end in _numbered_names(doc, taken):
        key = name_key(doc[start:end].text)
        if not key or key in _NOT_ENTITIES or org_name(key, start, end):
            continue
        last = doc[end - 1]
        noun = _noun_after(last) or next(
            (
                k
                for t in {last, doc[start:end].root}
                for c in t.children
                if c.dep_ == "appos" and (k := _noun_kind(c)) is not None
            ),
            None,
        )  # "Reachy 3, a humanoid robot"
        if noun is not None:
            found.append((start, end, noun, False))  # "its Figure 03 robot"
        elif last.dep_ in _ARGUMENT_DEPS or doc[start:end].root.dep_ in _ARGUMENT_DEPS:
            # "it would adopt Kestrel 2"; a name NER called a product stays one ("Windows 11")
            kind = "Product" if any(t.ent_type_ == "PRODUCT" for t in doc[start:end]) else "AIModel"
            found.append((start, end, kind, False))
    for tok in doc:
        text = tok.text
        if _VERSIONED.match(text) and name_key(text) not in _NOT_ENTITIES:
            noun = _noun_after(tok)
            if noun is not None:
                # "Stilla-9 accelerators", "its Halla-2 chips": the noun says what it is
                found.append((tok.i, tok.i + 1, noun, False))
                continue
            cue = _PARAM_SIZE.search(text) or any(t.lower_ in _MODEL_CUES for t in tok.sent)
            if cue or (tok.dep_ in _ARGUMENT_DEPS and text.split("-")[0].lower() not in _NUMBERED_WORDS):
                # a versioned name a verb or preposition takes as its argument is a model
                # ("Meridia will roll out Velto-3"): of the versioned names in the training
                # corpus's annotations, 92% are models and most of the rest products
                found.append((tok.i, tok.i + 1, "AIModel", False))
            continue
        kind = _noun_kind(tok)
        if kind is None or tok.dep_ == "compound":
            continue  # "the French model maker": a maker, not a model
        if any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in tok.children) or (
            tok.dep_ == "appos" and tok.head.pos_ == "PROPN"
        ):
            continue  # "its Pashto chatbot, Zarghuna": the name beside the noun is its name
        k = tok.i - 1
        while k >= tok.sent.start and tok.i - k <= 4 and _modifier(doc[k], kind):
            k -= 1
        end = k + 1
        words = 0
        while k >= tok.sent.start and doc[k].i != doc[k].sent.start and words < 3:
            if words and glued_hyphen(doc, k):
                k -= 1  # "Nvidia's Spectrum-X Ethernet platform": one name across the hyphen
                continue
            if not (
                doc[k].text[:1].isupper()
                and (doc[k].is_alpha or (doc[k].text.isalnum() and doc[k].text.isupper()))  # "its HBM3E chips"
            ):
                break
            words += 1
            k -= 1
        if k + 1 < end and doc[k + 1].text == "-":
            k += 1  # a hyphen stepped over before a word that names nothing: the name starts after it
        start = k + 1
        if start >= end:
            continue
        if k >= tok.sent.start and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
            continue  # the name goes on past where it may be read ("Tervo Robotics welding robots" opening a sentence)
        key = name_key(doc[start:end].text)
        if any(
            t.ent_type_ in ("LOC", "DATE", "LANGUAGE") or (t.ent_type_ == "NORP" and _demonym(t))
            for t in doc[start:end]
        ):
            continue  # "a Korean language model", "its March model", "its Pashto chatbot"
        sure = kind == "Product" and (_owner_before(doc, start) or _has_maker(tok))
        if not key or key in _NOT_ENTITIES or org_name(key, start, end, sure) or _company_name(doc[start:end], tok):
            continue
        found.append((start, end, kind, sure))
    for start, end, kind, sure in _appositive_names(doc):
        # NER's type on an invented name beside "its chatbot" is a guess: only a date is kept
        key = name_key(doc[start:end].text)
        if any(t.ent_type_ in ("DATE", "LANGUAGE") for t in doc[start:end]):
            continue
        if not key or key.split()[-1] in _ORG_HEADS:
            continue  # "Kestrel Labs, its chatbot maker's unit": a company's name, whatever it is beside
        if key not in _NOT_ENTITIES and not org_name(key, start, end, sure):
            found.append((start, end, kind, sure))
    sure_keys = {}
    for start, end, kind, sure in found:
        if any(s0 <= start and end <= e0 and (s0, e0) != (start, end) for s0, e0, *_ in found):
            continue  # "Reachy" inside "Reachy 3"
        ks = {taken[i] for i in range(start, end) if i in taken}
        owned = kind == "Product" and _owner_before(doc, start)  # "its Hilla robot": no person's name
        if any(
            out[k]["src"] == "gaz" or out[k]["type"] == "AIModel" or (out[k]["type"] == "Person" and not owned)
            for k in ks
        ):
            continue
        span = doc[start:end]
        entry = gaz.lookup(clean_surface(span.text))
        if entry is not None:
            continue
        for k in sorted(ks, reverse=True):
            del out[k]
        mention = _mention(span, clean_surface(span.text), kind, None, "ner")
        out.append(mention)
        out.sort(key=lambda m: m["s"])
        taken = {i: k for k, m in enumerate(out) for i in range(m["s"], m["e"])}
        if sure:
            sure_keys[name_key(mention["name"])] = kind
    for m in out:
        # NER's guess on the same name elsewhere gives way to what these words said for sure
        if m["src"] == "ner" and m["type"] in ("Organization", "Person") and name_key(m["name"]) in sure_keys:
            m["type"] = sure_keys[name_key(m["name"])]


# A version number after a name ("Kestrel 2", "Reachy 3", "Orca 2.5"), not a year or a count
_VERSION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})?$")
# Capitalized words a number follows that make no model's or product's name
_NUMBERED_WORDS = {
    "article",
    "section",
    "title",
    "chapter",
    "phase",
    "level",
    "stage",
    "tier",
    "round",
    "class",
    "number",
    "no",
    "top",
    "fortune",
    "part",
    "page",
    "table",
    "version",
    "day",
    "week",
    "year",
    "route",
    "channel",
    "area",
    "studio",
    "series",
    "fund",
    "covid",
    "act",
    "rule",
    "item",
    "grade",
    "group",
    "category",
    "type",
    "zone",
    "floor",
    "gate",
    "terminal",
    "room",
    "unit",
    "line",
    "box",
}


_RELATIVE_DATE_WORDS = {"last", "next", "this", "earlier", "later", "on", "in", "early", "late"}


# Entity types of the word before a number that make no model's name ("Proposition 22", "Game 7")
_NOT_NUMBERED_ENTS = {"DATE", "GPE", "LOC", "NORP", "MONEY", "TIME", "LAW", "EVENT", "FAC", "WORK_OF_ART"}


def _numbered_names(doc, taken: dict | set = frozenset()) -> list[tuple[int, int]]:
    """Spans of a capitalized name of one or two words and a version number: "Kestrel 2".

    The name must be a proper noun outside a date, a place, a law, an event or a money
    amount, the number not a year, a count of something after it, or part of a longer
    number; a word of another mention (``taken``) is not taken into the name.
    """
    spans = []
    for tok in doc:
        if not (_VERSION_NUMBER.match(tok.text) or _model_number(tok)) or tok.i == 0:
            continue
        if tok.ent_type_ in ("MONEY", "PERCENT", "TIME"):
            continue
        if tok.ent_type_ == "DATE" and not (
            tok.ent_iob_ == "B" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in _RELATIVE_DATE_WORDS
        ):
            continue  # "March 3"; but "Kestrel 2 last week", where NER ran the version into the date
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (
            nxt.like_num or nxt.text in ("%", "-", "/", ":") or nxt.lower_ in ("percent", "million", "billion")
        ):
            continue
        prev = doc[tok.i - 1]
        if (
            prev.pos_ != "PROPN"
            or not prev.text[:1].isupper()
            or prev.lower_ in _NUMBERED_WORDS
            or prev.ent_type_ in _NOT_NUMBERED_ENTS
            or name_key(prev.text) in _ORG_HEADS
            or (prev.i > 0 and doc[prev.i - 1].text == "-")  # "Wi-Fi 7"
        ):
            continue
        start = prev.i
        before = doc[start - 1] if start - 1 >= tok.sent.start else None
        if (
            before is not None
            and before.pos_ == "PROPN"
            and before.text[:1].isupper()
            and not before.is_sent_start
            and name_key(before.text) not in _ORG_HEADS
            and before.i not in taken
        ):
            start -= 1  # "Mistral Large 3"; not a word of another name ("Cohere Command 3")
        spans.append((start, tok.i + 1))
    return spans


# A product's model number: three or four digits, not a year ("Exynos 2500", "Dimensity 9400")
_MODEL_NUMBER = re.compile(r"^(?!19\d\d$|20\d\d$)\d{3,4}$")


def _model_number(tok) -> bool:
    """Whether ``tok`` is a model number a product noun follows ("the Exynos 2500 processor")."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return bool(_MODEL_NUMBER.match(tok.text)) and nxt is not None and _noun_kind(nxt) is not None


def _quoted_model_names(doc) -> list[tuple[int, int]]:
    """Spans of quoted names the sentence gives a model: 'its "Kite" model', 'a model
    called "Kite"', 'systems such as "K2"' (systems only in a sentence about models).

    The name is one to three tokens between quotes, holding a capital or a digit, so a
    quoted phrase ("the "best" model") is not taken for a name.
    """
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        toks = list(sent)
        if not any(t.text in _QUOTES for t in toks):
            continue
        about_models = any(t.lower_ in _MODEL_CUES for t in toks)
        k = 0
        while k < len(toks):
            if toks[k].text not in _QUOTES:
                k += 1
                continue
            close = next((j for j in range(k + 1, min(k + 6, len(toks))) if toks[j].text in _QUOTES), None)
            if close is None:
                k += 1
                continue
            inner = toks[k + 1 : close]
            while inner and inner[-1].is_punct:
                inner = inner[:-1]
            name = "".join(t.text_with_ws for t in inner).strip()
            if 1 <= len(inner) <= 3 and any(c.isupper() or c.isdigit() for c in name):
                if _names_a_model(toks, k, close, about_models):
                    spans.append((inner[0].i, inner[-1].i + 1))
            k = close + 1
    return spans


def _names_a_model(toks: list, open_: int, close: int, about_models: bool) -> bool:
    """Whether the quotes at toks[open_] .. toks[close] name a model: a model noun after
    them (past its modifiers), or a naming word before them whose head is a model noun
    (or a system, in a sentence about models)."""
    j = close + 1
    while j < len(toks) and toks[j].lower_ in _MODEL_MODIFIERS:
        j += 1
    if j < len(toks) and toks[j].lower_ in _MODEL_NOUNS and toks[j].dep_ != "compound":
        return True
    j = open_ - 1
    if j >= 0 and toks[j].text == ",":
        j -= 1
    if j < 0 or toks[j].lower_ not in _NAMING_WORDS:
        return False
    cue = toks[j]
    if cue.lower_ == "as" and (j == 0 or toks[j - 1].lower_ != "such"):
        return False
    head = cue.head
    return head.lower_ in _MODEL_NOUNS or (about_models and head.lower_ in _SYSTEM_NOUNS)


# Endings of nationality and group words ("Korean", "Chinese", "British", "Emirati",
# "Arabic"): NER's NORP on another word ("its Instinct accelerators") is a guess
_DEMONYM_ENDINGS = ("an", "ese", "ish", "ch", "i", "ic", "ss", "k")


def _demonym(tok) -> bool:
    """Whether a word NER tagged NORP reads as a nationality or group word."""
    return tok.lower_.endswith(_DEMONYM_ENDINGS)
