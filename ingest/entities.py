"""Entities: the gazetteer, its EntityRuler patterns, type correction, filtering, canonicalization.

The small English model is weak on this domain (it tags OpenAI as PERSON, "AI" as GPE),
so a curated gazetteer runs before NER; what NER finds on its own is filtered and its
type corrected here. Every surface form goes through :func:`name_key`, so "OpenAI's",
"OpenAI Inc." and "openai" meet at one canonical entity.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from kg.model import Entity

log = logging.getLogger(__name__)

DEFAULT_GAZETTEER = Path(__file__).parent / "data" / "gazetteer.jsonl"

# spaCy labels the EntityRuler assigns, per entity type; AIMODEL is ours.
TYPE_TO_LABEL = {"Organization": "ORG", "Person": "PERSON", "AIModel": "AIMODEL", "Product": "PRODUCT"}

# Suffixes that do not change which company is meant ("Microsoft Corp." is Microsoft).
_CORP_SUFFIXES = {
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "ltd",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "s a",
    "co",
    "company",
    "lp",
    "llp",
    "nv",
    "bv",
    "se",
}
_HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sir", "dame"}

# Surface forms NER returns that are never an entity of ours, however tagged.
_NOT_ENTITIES = {
    "ai",
    "a i",
    "agi",
    "genai",
    "gen ai",
    "llm",
    "llms",
    "api",
    "apis",
    "gpu",
    "gpus",
    "cpu",
    "company",
    "companies",
    "startup",
    "firm",
    "lab",
    "board",
    "group",
    "team",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "chief executive",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "the company",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "chatbot",
    "cloud",
    "ml",
    "nlp",
    "us",
    "u s",
    "eu",
    "uk",
    "congress",
    "senate",
    "ftc",
    "sec",
    "doj",
    "nasdaq",
    "nyse",
    "wall street",
    "silicon valley",
    "twitter x",
    "covid",
    "covid 19",
    "series a",
    "series b",
    "series c",
    "series d",
    "series e",
    "bot",
    "bots",
    "pro",
    "plus",
    "max",
    "mini",
    "ultra",
    "turbo",
    "copyright",
    "board of directors",
    "executive board",
    "board of trustees",
    "scientific",
    # page furniture and finance words NER takes for names
    "ipo",
    "analysis",
    "compute",
    "related",
    "read more",
    "editing",
    "reporting",
    "opinion",
    "exclusive",
    "update",
    "breaking",
    "newsletter",
    "subscribe",
    # places the small model often tags as organizations
    "uae",
    "abu dhabi",
    "dubai",
    "saudi arabia",
    "china",
    "beijing",
    "shanghai",
    "washington",
    "taiwan",
    "brussels",
    "paris",
    "london",
    "tokyo",
    "seoul",
    "europe",
    "asia",
    "india",
    "japan",
    "korea",
    "south korea",
    "emirati",
}
# News agencies: real organizations, but in articles they are sources, so coreference
# never resolves "the company" to them.
NEWS_AGENCIES = {
    "reuters",
    "bloomberg",
    "associated press",
    "ap",
    "afp",
    "the information",
    "cnbc",
    "axios",
    "techcrunch",
    "the verge",
    "financial times",
    "ft",
}

# Last tokens that make a name an organization whatever NER said.
_ORG_HEADS = {
    "inc",
    "corp",
    "corporation",
    "ltd",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "labs",
    "lab",
    "technologies",
    "technology",
    "systems",
    "ai",
    "capital",
    "ventures",
    "partners",
    "group",
    "holdings",
    "research",
    "robotics",
    "semiconductor",
    "foundation",
    "institute",
    "university",
    "networks",
    "software",
    "computing",
    "cloud",
    "bank",
    "fund",
    "motors",
    "studios",
    "media",
    "intelligence",
    "dynamics",
    "analytics",
    "platforms",
    "microsystems",
    "automotive",
    "foods",
    "enterprises",
    "industries",
    "communications",
    "solutions",
    "services",
    "stations",
    "airlines",
    "airways",
    "insurance",
    "energy",
    "pharmaceuticals",
    "entertainment",
    "electronics",
    "logistics",
    "mortgage",
    "manufacturing",
    "associates",
    "consulting",
    "marketing",
    "academy",
    "school",
    "college",
    "society",
    "association",
    "council",
    "agency",
    "company",
    "bancorp",
    "financial",
    "securities",
    "telecom",
    "games",
    "inc.",
    "corp.",
    "co.",
    "ltd.",
}


def name_key(name: str) -> str:
    """Return the comparison key of a surface form: case, accents, possessive, suffix folded.

    Args:
        name: a surface form such as "OpenAI's" or "Microsoft Corp.".

    Returns:
        The key ("openai", "microsoft"), or "" if nothing is left.
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("\u2019", "'")
    s = re.sub(r"'s?$", "", s.strip())
    # "Alexa+" is a product of its own, not "Alexa": the plus is part of the name
    s = s.replace("&", " and ").replace(".", "").replace("+", " plus ")
    toks = re.findall(r"[^\W_]+", s.casefold())
    while len(toks) > 1 and (toks[0] == "the" or toks[0] in _HONORIFICS):
        toks = toks[1:]
    while len(toks) > 1 and toks[-1] in _CORP_SUFFIXES:
        toks = toks[:-1]
    return " ".join(toks)


def clean_surface(text: str) -> str:
    """Return a surface form as a display name: possessive, leading "the", suffix removed.

    Args:
        text: the span text NER found.

    Returns:
        The cleaned name ("Acme Robotics Inc.'s" -> "Acme Robotics").
    """
    s = text.replace("\u2019", "'").strip(" \t\n,;:\"'()[]")
    s = re.sub(r"'s?$", "", s).strip()
    s = re.sub(r"^(?:the|The)\s+", "", s)
    parts = s.split()
    while len(parts) > 1 and parts[-1].lower().strip(".,") in _CORP_SUFFIXES:
        parts = parts[:-1]
    # "Walden International and", "Chase &": NER spans that stop inside a coordination
    while len(parts) > 1 and parts[-1].lower() in ("and", "&", "of", "the", "or", "for"):
        parts = parts[:-1]
    s = " ".join(parts).rstrip(",")
    return s


@dataclass(frozen=True)
class GazEntry:
    """One gazetteer line: a canonical entity, its aliases and coreference descriptors.

    ``units`` are the named parts of an organization, as ``(modifier, unit name)``
    pairs: ``("ai", "Microsoft AI")`` lets "Microsoft's AI division" name Microsoft AI.
    """

    name: str
    type: str
    wikidata: str | None
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()
    units: tuple[tuple[str, str], ...] = ()

    def entity(self) -> Entity:
        """Return the canonical :class:`Entity`."""
        return Entity(self.name, self.type, self.wikidata, self.aliases)


@dataclass
class Gazetteer:
    """The curated entities, indexed by :func:`name_key` of name and aliases."""

    entries: list[GazEntry] = field(default_factory=list)
    by_key: dict[str, GazEntry] = field(default_factory=dict)
    by_name: dict[str, GazEntry] = field(default_factory=dict)
    descriptors: dict[str, GazEntry] = field(default_factory=dict)

    def add(self, entry: GazEntry) -> None:
        """Index one entry; a key already taken keeps its first owner."""
        self.entries.append(entry)
        self.by_name[entry.name] = entry
        for form in (entry.name, *entry.aliases):
            key = name_key(form)
            if not key:
                continue
            owner = self.by_key.setdefault(key, entry)
            if owner is not entry:
                log.debug("gazetteer key %r of %r already belongs to %r", key, entry.name, owner.name)
        for desc in entry.descriptors:
            key = name_key(desc)
            if key:
                self.descriptors.setdefault(key, entry)

    def unit(self, parent: str, modifier: str) -> GazEntry | None:
        """Return the unit of an organization a modifier names ("Microsoft", "AI"), if any.

        Args:
            parent: the canonical name of the organization.
            modifier: the words before the unit noun ("AI" in "Microsoft's AI division").

        Returns:
            The unit's entry, or None when the parent has no such unit (or the unit
            has no entry of its own).
        """
        entry = self.by_name.get(parent)
        if entry is None or not entry.units:
            return None
        key = name_key(modifier)
        name = next((n for m, n in entry.units if name_key(m) == key), None) if key else None
        return self.by_name.get(name) if name else None

    def lookup(self, name: str, type_: str | None = None) -> GazEntry | None:
        """Return the entry a surface form names exactly (after :func:`name_key`), if any.

        Args:
            name: a surface form.
            type_: when given, only an entry of this type matches.

        Returns:
            The entry or None.
        """
        entry = self.by_key.get(name_key(name))
        if entry is not None and (type_ is None or entry.type == type_):
            return entry
        return None

    def fuzzy(self, name: str, type_: str, *, threshold: float = 92.0) -> GazEntry | None:
        """Return the entry a near-miss spelling names, within one type, or None.

        Conservative on purpose: short keys never match fuzzily ("Meta" vs "Metal").

        Args:
            name: a surface form not found exactly.
            type_: the entity type the match must have.
            threshold: rapidfuzz ratio (0-100) required.

        Returns:
            The entry or None.
        """
        key = name_key(name)
        if len(key) < 6:
            return None
        choices = _typed_keys(self, type_)
        if not choices:
            return None
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=threshold)
        if hit is None:
            return None
        cand = hit[0]
        # A differing digit is a different model ("GPT-4" vs "GPT-3"), never a typo.
        if re.findall(r"\d+", cand) != re.findall(r"\d+", key):
            return None
        return self.by_key[cand]

    def patterns(self, make_doc) -> list[dict]:
        """Return EntityRuler phrase patterns for every name and alias, with safe case variants.

        Args:
            make_doc: the tokenizer (``nlp.make_doc``) phrase patterns are built with.

        Returns:
            A list of ``{"label", "pattern", "id"}`` dicts.
        """
        seen: set[tuple[str, str]] = set()
        out = []
        for entry in self.entries:
            label = TYPE_TO_LABEL.get(entry.type)
            if label is None:
                continue
            for form in (entry.name, *entry.aliases):
                for variant in _case_variants(form):
                    if (variant, entry.name) in seen or self.by_key.get(name_key(variant)) not in (entry, None):
                        continue
                    seen.add((variant, entry.name))
                    out.append({"label": label, "pattern": variant, "id": entry.name})
        return out


def _case_variants(form: str) -> list[str]:
    """Return the form plus case variants safe to match (long or multi-word names only).

    Upper and title case (headlines) are safe for long or multi-word names; a lower-case
    copy only for names holding a digit ("gpt-4o"): in lower case "perplexity",
    "thinking machines" and "high court" are ordinary English.
    """
    form = form.strip()
    if not form:
        return []
    variants = [form]
    # Short single words are case-sensitive: "Meta" is not "meta", "Claude" not "claude".
    if len(form) >= 8 or " " in form:
        cases = [form.title(), form.upper()]
        if any(ch.isdigit() for ch in form):
            cases.insert(0, form.lower())
        for v in cases:
            if v not in variants:
                variants.append(v)
    return variants


def _typed_keys(gaz: Gazetteer, type_: str) -> list[str]:
    cache = gaz.__dict__.setdefault("_typed", {})
    if type_ not in cache:
        cache[type_] = [k for k, e in gaz.by_key.items() if e.type == type_]
    return cache[type_]


@lru_cache(maxsize=8)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """Load the gazetteer JSON Lines file; a missing file yields an empty gazetteer.

    Args:
        path: the file; defaults to ``ingest/data/gazetteer.jsonl``.

    Returns:
        The indexed :class:`Gazetteer`. Malformed lines are logged and skipped.
    """
    p = Path(path) if path else DEFAULT_GAZETTEER
    gaz = Gazetteer()
    if not p.exists():
        log.warning("gazetteer %s not found; extracting with NER only", p)
        return gaz
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
                entry = GazEntry(
                    name=d["name"],
                    type=d["type"],
                    wikidata=d.get("wikidata") or None,
                    aliases=tuple(a for a in d.get("aliases") or () if a),
                    descriptors=tuple(x for x in d.get("descriptors") or () if x),
                    units=tuple((str(k), str(v)) for k, v in (d.get("units") or {}).items() if k and v),
                )
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                log.warning("%s:%d: skipped gazetteer line (%s)", p, lineno, exc)
                continue
            if entry.type not in TYPE_TO_LABEL:
                log.warning("%s:%d: unknown type %r", p, lineno, entry.type)
                continue
            gaz.add(entry)
    return gaz


# ---------------------------------------------------------------------------
# NER mentions: filter, correct the type, canonicalize

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
    if label not in ("ORG", "PERSON", "PRODUCT"):
        return None
    words = text.split()
    last = words[-1].lower().strip(".,")
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
        return "Organization"
    return "Product"


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


def _in_ticker_parens(tokens: list) -> bool:
    """Return True if the span sits in a parenthesis holding a ticker, like "(NASDAQ: BECN)"."""
    doc = tokens[0].doc
    before = [t.text for t in doc[max(0, tokens[0].i - 3) : tokens[0].i]]
    after = [t.text for t in doc[tokens[-1].i + 1 : min(len(doc), tokens[-1].i + 3)]]
    return "(" in before and ":" in after + before


def _org_context(tokens: list) -> bool:
    """Return True if the words around a PERSON span show it is an organization.

    "CEO of X", "X's chief executive", "X Inc." - a role noun governing the span through
    "of"/"at" or a possessive/compound link means the span is the employer.
    """
    root = tokens[-1]
    for t in tokens:
        if t.head not in tokens:
            root = t
            break
    if root.dep_ in ("poss", "compound") and root.head.lower_ in _ROLE_WORDS:
        return True
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


def find_mentions(doc, gaz: Gazetteer) -> list[dict]:
    """Return the entity mentions of a parsed doc, filtered, typed and canonicalized.

    Gazetteer spans (EntityRuler, ``ent_id_`` = canonical name) are taken as they are;
    NER spans go through :func:`ner_type` and :func:`canonical_entity`. A later
    single-word mention ("Altman", "Inflection") maps to the earlier full name of the
    same type in the same article.

    Args:
        doc: a spaCy Doc after NER.
        gaz: the gazetteer.

    Returns:
        Plain dicts (msgpack-safe, so docs cross process boundaries): ``s``/``e`` token
        offsets, ``name``, ``type``, ``qid``, ``src`` ("gaz", "ner" or "short") and
        ``agency``.
    """
    out: list[dict] = []
    for ent in doc.ents:
        entry = gaz.by_name.get(ent.ent_id_) if ent.ent_id_ else None
        if entry is not None:
            longer = _longer_name(doc, ent, entry.type)
            if longer is not None and gaz.lookup(clean_surface(longer.text)) is None:
                # "Cisco Investments", "Snapdragon X Elite": a name of its own that
                # begins with a known one
                out.append(_mention(longer, clean_surface(longer.text), entry.type, None, "ner"))
                continue
            out.append(_mention(ent, entry.name, entry.type, entry.wikidata, "gaz"))
            continue
        text = clean_surface(ent.text)
        type_ = ner_type(ent.label_, text, list(ent))
        if type_ is None:
            continue
        entry = gaz.lookup(text)
        if entry is not None:
            out.append(_mention(ent, entry.name, entry.type, entry.wikidata, "gaz"))
            continue
        short = _earlier_full_name(out, text, type_)
        if short is None and len(text.split()) == 1:
            # NER often tags a lone surname as ORG ("with Sutskever")
            short = _earlier_full_name(out, text, "Person?")
        if short is not None:
            out.append(_mention(ent, short["name"], short["type"], short["qid"], "short"))
            continue
        if type_ == "Person?":
            if not _lone_name_is_person(ent):
                continue
            type_ = "Person"
        entity = canonical_entity(gaz, text, type_)
        out.append(
            _mention(
                ent,
                entity.name,
                entity.type,
                entity.wikidata,
                "gaz" if entity.wikidata or entity.name in gaz.by_name else "ner",
            )
        )
    _model_names(doc, out, gaz)
    _share_surnames(doc, out, gaz)
    return out


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
    org_names = {name_key(m["name"]) for m in out if m["type"] == "Organization"}
    org_words = {w for n in org_names for w in n.split()}
    found: list[tuple[int, int]] = []
    for tok in doc:
        text = tok.text
        if _VERSIONED.match(text) and name_key(text) not in _NOT_ENTITIES:
            cue = _PARAM_SIZE.search(text) or any(t.lower_ in _MODEL_CUES for t in tok.sent)
            if cue:
                found.append((tok.i, tok.i + 1))
            continue
        if tok.lower_ not in _MODEL_NOUNS or tok.dep_ == "compound":
            continue  # "the French model maker": a maker, not a model
        k = tok.i - 1
        while k >= tok.sent.start and doc[k].lower_ in _MODEL_MODIFIERS and not doc[k].text.isupper():
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
        key = name_key(doc[start:end].text)
        if any(t.ent_type_ in ("NORP", "LOC", "DATE") for t in doc[start:end]):
            continue  # "a Korean language model", "its March model"
        if not key or key in _NOT_ENTITIES or key in org_names or any(w in org_words for w in key.split()):
            continue
        found.append((start, end))
    for start, end in found:
        ks = {taken[i] for i in range(start, end) if i in taken}
        if any(out[k]["src"] == "gaz" or out[k]["type"] in ("Person", "AIModel") for k in ks):
            continue
        span = doc[start:end]
        entry = gaz.lookup(clean_surface(span.text))
        if entry is not None:
            continue
        for k in sorted(ks, reverse=True):
            del out[k]
        mention = _mention(span, clean_surface(span.text), "AIModel", None, "ner")
        out.append(mention)
        out.sort(key=lambda m: m["s"])
        taken = {i: k for k, m in enumerate(out) for i in range(m["s"], m["e"])}


def _share_surnames(doc, mentions: list[dict], gaz: Gazetteer) -> None:
    """Give a lone first name the surname of the name it is coordinated with.

    "siblings Dario and Daniela Amodei" names Dario Amodei, not a "Dario".
    """
    by_start = {m["s"]: m for m in mentions}
    for m in mentions:
        if (
            m["type"] != "Person"
            or m["e"] - m["s"] != 1
            or m["e"] + 1 >= len(doc)
            or " " in m["name"]
            or any(o["type"] == "Person" and o["name"].split()[-1] == m["name"] for o in mentions)
        ):
            continue  # "Altman and Greg Brockman": a surname already known
        if doc[m["e"]].lower_ not in ("and", "&"):
            continue
        nxt = by_start.get(m["e"] + 1)
        if nxt is None or nxt["type"] != "Person" or nxt["e"] - nxt["s"] < 2:
            continue
        full = f"{doc[m['s']].text} {doc[nxt['e'] - 1].text}"
        entry = gaz.lookup(full)
        m["name"] = entry.name if entry is not None else full
        m["qid"] = entry.wikidata if entry is not None else None


# Last words that make "<known company> <words>" an organization of its own
_ORG_TAILS = {
    "investments",
    "ventures",
    "capital",
    "partners",
    "fund",
    "funds",
    "foundation",
    "research",
    "foundry",
    "securities",
    "bank",
    "asset",
    "management",
    "labs",
    "studios",
    "institute",
}
# Words that continue a model or product name ("Snapdragon X Elite", "Ernie Speed")
_VARIANT_STOP = {
    "ceo",
    "cto",
    "cfo",
    "coo",
    "chief",
    "president",
    "chairman",
    "founder",
    "inc",
    "corp",
    "ltd",
    "llc",
    "ai",
}


def _longer_name(doc, ent, type_: str):
    """Return the span of a longer proper name that starts with gazetteer match ``ent``, if any."""
    end = ent.end
    run = []
    while end < len(doc) and len(run) < 4:
        t = doc[end]
        if t.ent_iob_ == "B" or t.lower_ in _VARIANT_STOP or t.is_sent_start:
            break
        if (
            t.text == "-"
            and end + 1 < len(doc)
            and doc[end + 1].is_alpha
            and not t.whitespace_
            and not doc[end - 1].whitespace_
        ):
            run += [t, doc[end + 1]]  # "Hunyuan-lite"
            end += 2
            continue
        if t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha:
            run.append(t)
        elif type_ != "Organization" and (t.like_num or (t.is_upper and len(t) <= 3)) and not t.is_punct:
            run.append(t)
        else:
            break
        end += 1
    if not run:
        return None
    if type_ == "Organization":
        # only a run ending in a word that names a separate body ("Cisco Investments")
        while run and run[-1].lower_ not in _ORG_TAILS:
            run.pop()
        if not run:
            return None
    elif run[-1].tag_ in ("NNPS", "NNS"):
        return None  # "Nvidia GPUs": the product's plural, not a new name
    return doc[ent.start : run[-1].i + 1]


def _lone_name_is_person(span) -> bool:
    """Return True if a one-word PERSON span is a person even without an earlier full name.

    After an honorific ("Mr. Otley") it is; as the subject of a clause ("Anupam co-founded
    Occams Advisory") it is a name used alone, which profiles and bios do.
    """
    prev = span.doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_.rstrip(".") in _HONORIFICS | {"mister", "miss", "master"}:
        return True
    root = span.root
    return (
        root.dep_ in ("nsubj", "nsubjpass")
        and span.text.isalpha()
        and span.text[0].isupper()
        and not span.text.isupper()
    )


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


def _earlier_full_name(mentions: list[dict], text: str, type_: str) -> dict | None:
    """Return an earlier mention this short form refers to ("Altman" -> "Sam Altman")."""
    key = name_key(text)
    if not key:
        return None
    want = {"Person?": "Person"}.get(type_, type_)
    for m in reversed(mentions):
        if m["type"] != want and not (type_ == "Person?" and m["type"] == "Person"):
            continue
        full = name_key(m["name"])
        if full == key:
            return m
        toks = full.split()
        if len(toks) > 1 and len(key.split()) < len(toks):
            if want == "Person" and key in (toks[-1], " ".join(toks[-len(key.split()) :])):
                return m
            if (
                want == "Organization"
                and full.startswith(key + " ")
                and len(text.split()) == 1
                and key == text.casefold()
            ):
                return m  # "Inflection" after "Inflection AI", but never "CBS Corp." after "CBS Radio"
    return None
