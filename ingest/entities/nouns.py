"""What the noun beside a name says it names: a model ("its Haneul vision model"), a
product ("its Onca inspection robot", "Toivo, a customer-service chatbot"), or nothing.

:mod:`ingest.entities.models` reads names with these helpers; the word lists and the
tests of a noun's phrase (whose it is, who made it, which words may stand between a name
and its noun) live here.
"""

from __future__ import annotations

from ingest.entities.names import _ORG_HEADS, name_key

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
# words that say what a thing is, but before which a capitalized word is rarely its name.
# Not "arm" or "unit" (a company's "venture arm", "cloud unit"); "service" only as
# ``_OWNED_NOUNS`` says.
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
    "transcriber",
    "translator",
    "controller",
    "controllers",
    "lidar",
    "router",
    "routers",
    "printer",
    "printers",
    "speaker",
    "speakers",
    "bot",
    "bots",
    "suite",
    "car",
    "cars",
    "bus",
    "buses",
    "van",
    "vans",
    "truck",
    "trucks",
    "tractor",
    "tractors",
    "hatchback",
}
# Nouns that name a product only when it is somebody's or comes from somebody ("its
# streaming service Kallo", "Bichig, a transcription service from Lwazi AI"), not alone
# ("a public service", "the Reuters news service").
_OWNED_NOUNS = {"service", "services"}
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
    "transcriber",
    "translator",
    "controller",
    "lidar",
    "router",
    "printer",
    "speaker",
    "bot",
}
# Verbs that say who made a product ("an assistant built by X", "a modem Apple designed"),
# or who sells it ("packs supplied by X").
_MAKER_VERBS = {
    "build",
    "make",
    "develop",
    "design",
    "create",
    "write",
    "train",
    "sell",
    "offer",
    "supply",
    "provide",
    "license",
}
# Words before a name that say whose it is ("its Hilla picking robot"): a person's name is
# not owned so, a product's is.
_OWNER_WORDS = {"its", "their", "whose", "'s", "'", "\u2019s", "\u2019"}
# Words that cannot stand between a name and its noun: the name would not be the noun's.
_NOT_MODIFIERS = {"new", "own", "latest", "first", "next", "other", "same"}


def _noun_kind(tok) -> str | None:
    """The type a name before or beside ``tok`` gets: AIModel for a model noun, Product for a
    product noun written in lower case ("system", not the "System" of a name), else None."""
    if tok.lower_ in _MODEL_NOUNS:
        return "AIModel"
    if tok.text in _PRODUCT_NOUNS:
        return "Product"
    if tok.lower_ in _OWNED_NOUNS and (_owned(tok) or _has_maker(tok)):
        return "Product"
    return None


def _owned(noun) -> bool:
    """Whether a possessive says whose the noun is, on it or on a word before it ("its
    streaming service", "whose Sparnas hosting service")."""
    return any(c.dep_ == "poss" for t in (noun, *noun.lefts) for c in t.children) or any(
        t.lower_ in _OWNER_WORDS for t in noun.doc[max(noun.sent.start, noun.i - 4) : noun.i]
    )


def _owner_before(doc, start: int) -> bool:
    """Whether a possessive stands right before the name at ``start`` ("its Hilla picking
    robot", "Brétema's Lampo camera")."""
    return start > doc[start].sent.start and doc[start - 1].lower_ in _OWNER_WORDS


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
            if any(
                p.dep_ == "prep" and p.lower_ == "from" and any(t.pos_ == "PROPN" for t in p.subtree)
                for p in c.children
            ):
                return True  # "robots bought from X", "a chatbot the council commissioned from X"
            if any(t.dep_ == "nsubj" and t.pos_ in ("PROPN", "NOUN") for t in c.children):
                return False  # "a tool the bank uses": its clause says who uses it, not who made it
    return False


# Verbs whose subject brings out what its object names: "X released Sonar, a transcription tool"
_LAUNCH_VERBS = {"release", "launch", "unveil", "introduce", "debut", "announce", "roll", "ship", "open-source"}


def _launched(name, noun) -> bool:
    """Whether the name and its apposed noun are what a company brought out: "Halvorsen
    released Sonar, a transcription tool" (and not "Harvey, a legal AI platform, raised")."""
    # the verb's object is the name, or what the name stands in apposition to
    head = name.head if name.dep_ == "appos" and name.head.i != noun.i else name
    verb = head.head
    return (
        head.dep_ == "dobj"
        and verb.lemma_ in _LAUNCH_VERBS
        and any(c.dep_ == "nsubj" and c.pos_ in ("PROPN", "PRON") for c in verb.children)
    )


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
        # the parser may hang "picking" in "its Hilla picking robot" off a verb: its form
        # still says it modifies the noun
        and (
            tok.dep_ in ("compound", "amod", "nmod", "npadvmod")
            or (tok.tag_ in ("VBG", "VBN", "JJ", "NN") and tok.dep_ != "ROOT")
        )
    )


def _appositive_names(doc) -> list[tuple[int, int, str, bool]]:
    """Spans of names in apposition to a possessed model or product noun: "Zermatt AI's
    compliance model, Gornergrat", and the other way round, "Zarghuna, its Pashto chatbot".
    A determiner is enough for a model ("R1, a reasoning model"), not for a product:
    "Harvey, a legal AI platform" introduces a company by what it sells."""
    spans = []
    for tok in doc:
        if tok.dep_ == "appos":
            noun, name = (tok.head, tok) if tok.pos_ == "PROPN" else (tok, tok.head)
        elif (tok.lower_ in _MODEL_NOUNS or tok.text in _PRODUCT_NOUNS or tok.lower_ in _OWNED_NOUNS) and (
            name := _comma_name_before(tok)
        ) is not None:
            # "Sade, a chatbot built by X": the parser missed the apposition (only a model or
            # product noun is looked at: this runs on every token of the text)
            noun = tok
        else:
            continue
        kind = _noun_kind(noun)
        if (
            kind is None
            or name.pos_ not in ("PROPN", "NOUN")
            or (name.pos_ == "NOUN" and tok.dep_ == "appos")
            or not name.text[:1].isupper()
            or not any(
                c.dep_ == "poss"
                or (c.dep_ == "det" and (kind == "AIModel" or _has_maker(noun)))
                or (c.dep_ == "det" and c.lower_ in ("a", "an") and noun.text in _DEVICE_NOUNS)
                for c in noun.children
            )
            and not _launched(name, noun)
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
            spans.append(
                (
                    start,
                    name.i + 1,
                    kind,
                    kind == "Product" and (_has_maker(noun) or _owned(noun) or _launched(name, noun)),
                )
            )
    return spans


def _comma_name_before(noun):
    """The last word of a capitalized name that stands, with a comma, right before the
    determiner of ``noun`` and its lower-case modifiers ("Sade, a chatbot", "Ilta, the
    scheduling tool"), when the parser left the two unjoined; else None."""
    doc, k = noun.doc, noun.i - 1
    while k > noun.sent.start and noun.i - k <= 3 and _modifier(doc[k], "Product"):
        k -= 1
    if (
        k - 2 < noun.sent.start
        or doc[k].dep_ not in ("det", "poss")
        or doc[k].lower_ in ("whose", "which")  # "Humwell, whose sensors": the owner, not the thing
        or doc[k].head != noun
        or doc[k - 1].text != ","
    ):
        return None
    name = doc[k - 2]
    if (
        noun.dep_ == "appos"
        or any(c.dep_ == "appos" for c in noun.children)
        or not name.text[:1].isupper()
        or name.ent_type_ in ("GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "EVENT", "LANGUAGE")
    ):
        return None  # "In Lagos, a chatbot built by X": a place before the comma
    return name
