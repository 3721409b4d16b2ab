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
from ingest.entities.names import _NOT_ENTITIES, _ORG_HEADS, clean_surface, name_key
from ingest.entities.ner import _mention

# An AI model's name as newsrooms write it: a capitalized word with a version ("Atlas-2",
# "Marlin-70B", "Orion-1.5"), or a name standing before "model" ("its Haneul vision model").
_VERSIONED = re.compile(r"^[A-Z][A-Za-z]{2,}-(?:\d+(?:\.\d+)?[A-Za-z]{0,2}|[A-Z]{1,2}\d*)$")
_PARAM_SIZE = re.compile(r"-\d+(?:\.\d+)?[BbMm]$")
# Words between a model's name and "model" ("the Haneul vision model").
_MODEL_MODIFIERS = {
    "language",
    "vision",
    "reasoning",
    "coding",
    "code",
    "speech",
    "voice",
    "image",
    "video",
    "foundation",
    "frontier",
    "ai",
    "open",
    "open-source",
    "open-weight",
    "large",
    "small",
    "multimodal",
    "flagship",
    "translation",
    "audio",
    "music",
    "text",
    "chat",
    "forecasting",
    "weather",
    "protein",
    "embedding",
    "generative",
    "diffusion",
    "base",
    "instruction",
}
_MODEL_NOUNS = {"model", "models", "llm", "llms"}
# Nouns a product's name stands before or beside ("its Naran driving system", "the Sauti voice
# assistant", "its Pashto chatbot, Zarghuna"). Narrower than the rules' ``product_nouns``
# (ingest/data/rule_words.json), which also holds "cloud", "series", "program", "part":
# words that say what a thing is, but before which a capitalized word is rarely its name. Not "arm" or "unit" (a company's "venture arm",
# "cloud unit"), nor "service" (a public service, a news service).
_PRODUCT_NOUNS = {
    "assistant",
    "chatbot",
    "app",
    "robot",
    "robots",
    "engine",
    "tool",
    "software",
    "filter",
    "reader",
    "platform",
    "agent",
    "headset",
    "glasses",
    "chip",
    "chips",
    "processor",
    "processors",
    "accelerator",
    "accelerators",
    "drone",
    "drones",
    "humanoid",
    "system",
    "browser",
    "browsers",
    "CPU",
    "CPUs",
    "GPU",
    "GPUs",
    "database",
    "chiplets",
    "assistants",
    "chatbots",
    "apps",
    "tools",
    "platforms",
    "agents",
    "engines",
    "sensor",
    "sensors",
    "camera",
    "cameras",
    "scanner",
    "scanners",
    "scales",
    "mower",
    "mowers",
    "phone",
    "phones",
    "smartphone",
    "smartphones",
    "handset",
    "handsets",
    "tablet",
    "tablets",
    "laptop",
    "laptops",
    "modem",
    "modems",
    "harvester",
    "harvesters",
    "wallet",
    "ledger",
    "tutor",
    "scribe",
    "checker",
    "dashboard",
}
# Product nouns narrow enough that "Koyo, a customer-service chatbot" names a product with
# an indefinite article alone (where "Harvey, a legal AI platform" introduces a company,
# and so does "Frelto, the note-taking app").
_DEVICE_NOUNS = {
    "chatbot",
    "assistant",
    "robot",
    "drone",
    "chip",
    "processor",
    "accelerator",
    "headset",
    "phone",
    "smartphone",
    "handset",
    "tablet",
    "laptop",
    "modem",
    "browser",
    "scanner",
    "camera",
    "sensor",
    "mower",
    "harvester",
    "wallet",
    "tutor",
    "checker",
}
# Verbs that say who made a product ("an assistant built by X", "a modem Apple designed").
_MAKER_VERBS = {"build", "make", "develop", "design", "create", "write", "train", "sell", "offer"}
# Words that cannot stand between a name and its noun: the name would not be the noun's.
_NOT_MODIFIERS = {"new", "own", "latest", "first", "next", "other", "same"}
# A quoted name is a model when it stands before a model noun or is given to one (or, in a
# sentence about models, to a system) by these words: 'models such as "K2"', 'a model
# called "Kite"'.
_QUOTES = {'"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "``", "''"}
_NAMING_WORDS = {"as", "like", "called", "named", "dubbed", "codenamed", "code-named"}
_SYSTEM_NOUNS = {"system", "systems"}
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

    def org_name(key: str, start: int, end: int) -> bool:
        """Whether the text names an organization so, or with one of its words, elsewhere
        than on these tokens (NER's guess on the tokens themselves is what is replaced)."""
        words = set(key.split())
        return any(
            m["type"] == "Organization"
            and not (m["s"] < end and start < m["e"])
            and (name_key(m["name"]) == key or words & set(name_key(m["name"]).split()))
            for m in out
        )

    # a quoted name NER took for an organization is a model all the same, unless the
    # text names an organization so elsewhere
    found = [
        (s, e, "AIModel")
        for s, e in _quoted_model_names(doc)
        if (key := name_key(doc[s:e].text))
        and key not in _NOT_ENTITIES
        and not any(
            m["type"] == "Organization" and name_key(m["name"]) == key and not (m["s"] < e and s < m["e"]) for m in out
        )
    ]
    for tok in doc:
        text = tok.text
        if _VERSIONED.match(text) and name_key(text) not in _NOT_ENTITIES:
            noun = _noun_after(tok)
            if noun is not None:
                # "Stilla-9 accelerators", "its Halla-2 chips": the noun says what it is
                found.append((tok.i, tok.i + 1, noun))
                continue
            cue = _PARAM_SIZE.search(text) or any(t.lower_ in _MODEL_CUES for t in tok.sent)
            if cue:
                found.append((tok.i, tok.i + 1, "AIModel"))
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
        while (
            k >= tok.sent.start
            and doc[k].text[:1].isupper()
            and doc[k].is_alpha
            and doc[k].i != doc[k].sent.start
            and end - k <= 3
        ):
            k -= 1
        start = k + 1
        if start >= end:
            continue
        if k >= tok.sent.start and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
            continue  # the name goes on past where it may be read ("Tervo Robotics welding robots" opening a sentence)
        key = name_key(doc[start:end].text)
        if any(t.ent_type_ in ("NORP", "LOC", "DATE", "LANGUAGE") for t in doc[start:end]):
            continue  # "a Korean language model", "its March model", "its Pashto chatbot"
        if not key or key in _NOT_ENTITIES or org_name(key, start, end) or _company_name(doc[start:end], tok):
            continue
        found.append((start, end, kind))
    for start, end, kind in _appositive_names(doc):
        # NER's type on an invented name beside "its chatbot" is a guess: only a date is kept
        key = name_key(doc[start:end].text)
        if any(t.ent_type_ in ("DATE", "LANGUAGE") for t in doc[start:end]):
            continue
        if not key or key.split()[-1] in _ORG_HEADS:
            continue  # "Kestrel Labs, its chatbot maker's unit": a company's name, whatever it is beside
        if key not in _NOT_ENTITIES and not org_name(key, start, end):
            found.append((start, end, kind))
    for start, end, kind in found:
        ks = {taken[i] for i in range(start, end) if i in taken}
        if any(out[k]["src"] == "gaz" or out[k]["type"] in ("Person", "AIModel") for k in ks):
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


def _noun_kind(tok) -> str | None:
    """The type a name before or beside ``tok`` gets: AIModel for a model noun, Product for a
    product noun written in lower case ("system", not the "System" of a name), else None."""
    if tok.lower_ in _MODEL_NOUNS:
        return "AIModel"
    if tok.text in _PRODUCT_NOUNS:
        return "Product"
    return None


def _noun_after(tok) -> str | None:
    """The kind of the model or product noun right after a name (past at most three
    modifiers: "Sidro-7 inference chips"), or None."""
    doc = tok.doc
    for k in range(tok.i + 1, min(tok.i + 5, tok.sent.end)):
        kind = _noun_kind(doc[k])
        if kind is not None:
            return kind if doc[k].dep_ != "compound" else None
        if not _modifier(doc[k], "Product"):
            return None
    return None


def _has_maker(noun) -> bool:
    """Whether a product noun names who made it: "a routing assistant built by X", "a
    tablet system from X", "an internal assistant the bank built", "a modem Apple designed"."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "by") and any(t.pos_ == "PROPN" for t in c.subtree):
            return True
        if c.dep_ in ("acl", "relcl"):
            if c.lemma_ in _MAKER_VERBS:
                return True
            if any(t.dep_ == "nsubj" and t.pos_ in ("PROPN", "NOUN") for t in c.children):
                return False  # "a tool the bank uses": its clause says who uses it, not who made it
    return False


def _company_name(span, noun) -> bool:
    """Whether the name before a product noun is a company's, not the product's: it ends in a
    company word ("the Tervo Robotics welding robots", "the Quorra AI assistant"), or NER
    called it an organization and no possessive says whose the product is ("the Yandex
    search engine", "the NHS app", "the Kaiser Permanente health system"; but "its Onca
    inspection robot", "Selva's Onca robot")."""
    if name_key(span[-1].text) in _ORG_HEADS:
        return True
    if any(t.ent_type_ == "ORG" for t in span):
        # whose the product is may hang on the noun or on the name ("Orvane's Pika vision
        # chip"), or be said after it ("the Hoiva tablet system from Savel Care")
        return not any(c.dep_ == "poss" for t in (noun, *span) for c in t.children) and not _has_maker(noun)
    return False


def _modifier(tok, kind: str) -> bool:
    """Whether ``tok`` may stand between a name and its noun: a model word ("vision"), or for
    any noun a lower-case word that modifies it ("driving", "spam", "driver-assistance")."""
    if tok.lower_ in _MODEL_MODIFIERS and not tok.text.isupper():
        return True
    if tok.text == "-":
        return tok.i > 0 and tok.nbor(-1).text.islower()
    return (
        tok.text.islower()
        and tok.is_alpha
        and tok.lower_ not in _NOT_MODIFIERS
        and tok.pos_ in ("NOUN", "ADJ", "VERB")
        and tok.dep_ in ("compound", "amod", "nmod", "npadvmod")
    )


def _appositive_names(doc) -> list[tuple[int, int, str]]:
    """Spans of names in apposition to a possessed model or product noun: "Zermatt AI's
    compliance model, Gornergrat", and the other way round, "Zarghuna, its Pashto chatbot".
    A determiner is enough for a model ("R1, a reasoning model"), not for a product:
    "Harvey, a legal AI platform" introduces a company by what it sells."""
    spans = []
    for tok in doc:
        if tok.dep_ != "appos":
            continue
        noun, name = (tok.head, tok) if tok.pos_ == "PROPN" else (tok, tok.head)
        kind = _noun_kind(noun)
        if (
            kind is None
            or name.pos_ != "PROPN"
            or not name.text[:1].isupper()
            or not any(
                c.dep_ == "poss"
                or (c.dep_ == "det" and (kind == "AIModel" or _has_maker(noun)))
                or (c.dep_ == "det" and c.lower_ in ("a", "an") and noun.text in _DEVICE_NOUNS)
                for c in noun.children
            )
        ):
            continue
        start = name.i
        while (
            start - 1 >= name.sent.start and doc[start - 1].dep_ in ("compound", "flat") and doc[start - 1].head == name
        ):
            start -= 1
        if (
            all(doc[i].text[:1].isupper() or doc[i].like_num for i in range(start, name.i + 1))
            and name.i + 1 - start <= 3
        ):
            spans.append((start, name.i + 1, kind))
    return spans


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
