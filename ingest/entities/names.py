"""Entity names: the comparison key and display form of a surface form, and the word lists they use.

Every surface form goes through :func:`name_key`, so "OpenAI's", "OpenAI Inc." and
"openai" meet at one key; :func:`clean_surface` turns NER's span text into a display
name. The word lists (company suffixes, honorifics, non-entities, news agencies,
organization heads) are shared by the gazetteer, the NER filter and coreference.
"""

from __future__ import annotations

import re
import unicodedata

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
    "pty",
}
_HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "sir", "dame"}

# Surface forms NER returns that are never an entity of ours, however tagged.
_NOT_ENTITIES = {
    "general counsel",
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
    "our",
    "my",
    "your",
    "their",
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
    "automobiles",
    "foods",
    "enterprises",
    "industries",
    "resorts",
    "hotels",
    "therapeutics",
    "biosciences",
    "brands",
    "mobility",
    "health",
    "auto",
    "bio",
    "pharma",
    "air",
    "rail",
    "mining",
    "metals",
    "digital",
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
    "silicon",
    "semi",
    "semiconductors",
    "tech",
    "agritech",
    "fintech",
    "mobile",
    "compute",
    "chips",
    "foundry",
    "fab",
    "aero",
    "aerospace",
    "aviation",
    "agro",
    "autonomy",
    "hosting",
    "trading",
    "retail",
    "transit",
    "drones",
    "devices",
    "instruments",
    "diagnostics",
    "photonics",
    "optics",
    "soft",
    "data",
    "maps",
    "apps",
    "speech",
    "wafer",
    "weather",
    "translations",
    "toys",
    "solar",
    "records",
    "payments",
    "pensions",
    "perception",
    "memory",
    "marine",
    "maritime",
    "logic",
    "clinic",
    "clinics",
    "infrastructure",
    "infra",
    "industrial",
    "corpora",
    "pay",
    "finance",
    "freight",
    "shipping",
    "lines",
    "telecoms",
    "datacenter",
    "imaging",
    "appliances",
    "greenhouse",
    "fuels",
    "sensors",
    # company words of other languages ("Lucerna Digitale", "Nau Seguros"; not "mutua", a surname too)
    "digitale",
    "digitaal",
    "seguros",
    "analytique",
    "juridisch",
    "datos",
    "dados",
    "daten",
    "sistemas",
    "sistemi",
    "tecnologia",
    "technologie",
    "inc.",
    "corp.",
    "co.",
    "ltd.",
}


def fold_accents(text: str) -> str:
    """Return ``text`` without its accents ("Hallás" -> "Hallas")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_key(name: str) -> str:
    """Return the comparison key of a surface form: case, accents, possessive, suffix folded.

    Args:
        name: a surface form such as "OpenAI's" or "Microsoft Corp.".

    Returns:
        The key ("openai", "microsoft"), or "" if nothing is left.
    """
    s = fold_accents(name).replace("\u2019", "'")
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
    while len(parts) > 1 and parts[-1].lower().strip(",").replace(".", "") in _CORP_SUFFIXES:
        parts = parts[:-1]  # "Inc.", "N.V.", "L.L.C."
    # "Walden International and", "Chase &": NER spans that stop inside a coordination
    while len(parts) > 1 and parts[-1].lower() in ("and", "&", "of", "the", "or", "for"):
        parts = parts[:-1]
    s = " ".join(parts).rstrip(",")
    return s


#: Words that make an organization's name a venue, never a party to a relation
#: ("San Francisco Superior Court", "the Delaware Court of Chancery", "an employment tribunal").
VENUE_WORDS = frozenset({"court", "tribunal"})
# Words of a regulator's, court's or legislature's name: a public body that rules on companies
# ("Federal Trade Commission", "Justice Department", "Competition and Markets Authority"); not a
# ministry, department or administration as such, which may buy, invest or own ("the Commerce
# Department will take a stake")
REGULATOR_WORDS = frozenset(
    {
        "commission",
        "court",
        "tribunal",
        "justice",
        "parliament",
        "congress",
        "senate",
        "authority",
        "office",
        "bureau",
        "regulator",
        "garante",
        "cnil",
        "bundeskartellamt",
        "ftc",
        "doj",
        "cma",
        "sec",
    }
)
# Words that make such a name a buyer or an investor all the same ("Qatar Investment Authority",
# "Department of Defense")
_NOT_REGULATOR_WORDS = frozenset({"investment", "defense", "defence", "war", "energy", "health", "veterans"})


# Words after a name's hyphen that compare something with it ("a Claude-like chatbot"): the
# name is not mentioned
LIKENESS_WORDS = frozenset({"like", "style", "class", "level", "grade", "sized"})
# Words that make a name before a hyphen into an adjective ("GPT-4-powered", "Claude-based"),
# not a longer name ("Hunyuan-lite")
_HYPHEN_ADJECTIVES = LIKENESS_WORDS | {
    "based",
    "scale",
    "native",
    "only",
    "first",
    "focused",
    "centric",
    "specific",
    "compatible",
    "related",
    "friendly",
    "ready",
    "free",
    "heavy",
}


def glued_hyphen(doc, i: int) -> bool:
    """Return True if ``doc[i]`` is a hyphen with no space on either side ("start-up", "Spectrum-X")."""
    return 0 < i < len(doc) and doc[i].text == "-" and not doc[i].whitespace_ and not doc[i - 1].whitespace_


def adjective_after_hyphen(doc, i: int) -> bool:
    """Return True if ``doc[i]`` is a hyphen, glued on both sides, before a word that makes
    the name before it an adjective ("GPT-4-powered", "Claude-based"; not "Hunyuan-lite")."""
    if not (i < len(doc) - 1 and glued_hyphen(doc, i)):
        return False
    after = doc[i + 1]
    return after.lower_ in _HYPHEN_ADJECTIVES or (after.tag_ in ("VBN", "VBD", "VBG") and after.text.islower())


def joined_word(tok) -> str:
    """Return a token's lower-case word, with a hyphenated compound joined back.

    The tokenizer splits "start-up" into "start", "-", "up", and the parser makes "up"
    the head noun; read there, the word is "start-up".
    """
    first = hyphen_first(tok)
    return f"{first}-{tok.lower_}" if first is not None else tok.lower_


def hyphen_first(tok) -> str | None:
    """The lower-case first part of a word the tokenizer split at a hyphen ("start" of
    "start-up", read at "up"), or None when ``tok`` does not end such a word."""
    doc = tok.doc
    if tok.i >= 2 and glued_hyphen(doc, tok.i - 1):
        return doc[tok.i - 2].lower_
    return None


def is_venue(mention: dict) -> bool:
    """Whether a mention is a court or tribunal: where a dispute is heard, not who is in it.

    Only an organization's name is read ("Margaret Court" stays a person).
    """
    return mention["type"] == "Organization" and any(w.lower() in VENUE_WORDS for w in mention["name"].split())


def is_regulator(mention: dict) -> bool:
    """Whether a mention is a regulator, court or legislature: a public body that rules on
    companies, which no company competes with, supplies, owns or invests in."""
    if mention["type"] != "Organization":
        return False
    words = set(name_key(mention["name"]).split())
    return bool(words & REGULATOR_WORDS) and not words & _NOT_REGULATOR_WORDS
