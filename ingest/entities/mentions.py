"""The entity mentions of a parsed doc: gazetteer spans, NER spans, short forms, longer names.

:func:`find_mentions` is what the pipeline's ``aikg_entities`` component runs: gazetteer
spans as they are (or a longer proper name that begins with one), NER spans typed and
canonicalized (:mod:`ingest.entities.ner`), a later short form mapped to its earlier full
name, then AI model names (:mod:`ingest.entities.models`), the organizations NER left out
(:mod:`ingest.entities.unnamed`) and shared surnames.
"""

from __future__ import annotations

from ingest.entities.gazetteer import Gazetteer
from ingest.entities.models import _model_names
from ingest.entities.names import (
    _HONORIFICS,
    _ORG_HEADS,
    LIKENESS_WORDS,
    adjective_after_hyphen,
    clean_surface,
    fold_accents,
    glued_hyphen,
    name_key,
)
from ingest.entities.ner import (
    _mention,
    _org_context,
    _org_descriptor,
    canonical_entity,
    ner_type,
)
from ingest.entities.repair import has_legal_form, repair_ents
from ingest.entities.unnamed import add_unnamed_orgs


def _name_tail(ent) -> bool:
    """Return True for a name of one or two characters that closes another name: glued after
    a hyphen ("Spectrum-X") or after a capitalized name word ("HyperCLOVA X", "Model X")."""
    doc = ent.doc
    if len(ent) != 1 or len(ent.text) > 2 or ent.start < 1:
        return False
    prev = doc[ent.start - 1]
    if prev.text == "-":
        return glued_hyphen(doc, ent.start - 1)
    return prev.is_alpha and prev.text[:1].isupper() and prev.pos_ == "PROPN" and not prev.is_sent_start


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
    repair_ents(doc)
    for ent in doc.ents:
        entry = gaz.by_name.get(ent.ent_id_) if ent.ent_id_ else None
        if entry is not None and _name_tail(ent):
            continue  # "Nvidia's Spectrum-X platform", "HyperCLOVA X": the letter closes another name
        if (
            ent.end + 1 < len(doc)
            and adjective_after_hyphen(doc, ent.end)
            and doc[ent.end + 1].lower_ in LIKENESS_WORDS
        ):
            continue  # "a Claude-like chatbot": a comparison, not a mention of Claude
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
        # "Corvane Inc." after "Corvane Mobility LLC", "the appliance maker Pelizzari" after
        # "Pelizzari Silicon": a legal name, or one a company noun introduces, is never a short form
        legal = has_legal_form(ent) or _org_descriptor(list(ent))
        short = None if legal else _earlier_full_name(out, text, type_)
        if short is None and not legal and type_ == "Organization":
            short = acronym_of(out, text, doc, ent.start)  # "Corvane Enterprises (CE)", then "CE"
        if short is None and len(text.split()) == 1 and not legal:
            # NER often tags a lone surname as ORG ("with Sutskever")
            short = _earlier_full_name(out, text, "Person?")
            if short is not None and type_ == "Organization" and _org_context(list(ent)):
                # "Lanthorne's chief executive" after "Lanthorne had the market": the earlier
                # lone word was the company, not a person
                _retype(out, {name_key(text)}, "Person", "Organization")
                short = None
        if short is not None:
            out.append(_mention(ent, short["name"], short["type"], short["qid"], "short"))
            continue
        if type_ == "Person?" and not legal:
            # the first word of a company's name NER took for a person ("Verrano's rival" after "Verrano Media")
            full = _earlier_full_name(out, text, "Organization")
            if full is not None and (name_key(full["name"]) == name_key(text) or _first_word_names(full)):
                out.append(_mention(ent, full["name"], full["type"], full["qid"], "short"))
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
    add_unnamed_orgs(doc, out)
    first_words_taken_for_people(out)
    _one_type_per_name(out)
    _bare_short_forms(doc, out)
    _share_surnames(doc, out, gaz)
    _names_as_compounds(doc, out)
    _names_as_subjects(doc, out)
    return out


# Name endings after which the first word alone still names the whole organization
# ("Stability" after "Stability AI"); a unit's ending does not ("Vantor" is not "Vantor Cloud").
_UNIT_ENDINGS = {"cloud", "research", "foundation", "ventures", "capital"}
# Endings after which the rest of a name of several words still names the organization
# ("Truc Lam" for "Truc Lam AI"); a business's word makes another company ("Calloway Mills"
# is not "Calloway Mills Data").
_NAME_ENDINGS = {"ai", "labs", "lab", "systems", "technologies", "technology", "tech", "inc", "corp", "ltd", "llc"}
# Entity types NER may give a short form that still make it no organization's name.
_NOT_ORG_LABELS = {"PERSON", "GPE", "LOC", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}


def _bare_short_forms(doc, mentions: list[dict]) -> None:
    """Add the first word of an organization's name, where NER left it, as that organization.

    "Stability, which released Stable Diffusion, had burned through ..." after "Stability
    AI": NER misses the lone word (or the tagger takes it for a noun), so the sentence's
    subject would be nobody, and its pronouns would find the wrong company. Only a
    capitalized word that is not the start of a longer name, after the full name, and
    only where the rest of that name is an organization's ending ("AI", "Labs", "Inc").
    """
    taken = {i for m in mentions for i in range(m["s"], m["e"])}
    orgs = sorted((m for m in mentions if m["type"] == "Organization" and not m.get("virtual")), key=lambda m: m["s"])
    if not orgs:
        return
    for tok in doc:
        if tok.i in taken or not tok.is_title or tok.pos_ not in ("PROPN", "NOUN") or tok.i <= orgs[0]["s"]:
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.text[:1].isupper() and nxt.pos_ in ("PROPN", "NOUN"):
            continue  # "Stability Fund": the start of another name
        full = _earlier_full_name([m for m in orgs if m["e"] <= tok.i], tok.text, "Organization")
        if full is None:
            continue
        # the whole name again, which NER took for a person this time ("Tivelli's largest
        # customer" after "Odaro Systems and Tivelli"), or the first word of a longer one
        same = name_key(full["name"]) == name_key(tok.text)
        if tok.ent_type_ in _NOT_ORG_LABELS and not (same and tok.ent_type_ == "PERSON"):
            continue
        if not same and not _first_word_names(full):
            continue
        mentions.append(_mention(doc[tok.i : tok.i + 1], full["name"], full["type"], full["qid"], "short"))


def first_words_taken_for_people(mentions: list[dict]) -> None:
    """Give back to its organization the first word of its name that NER took for a
    person, or the rules as a name of its own ("Jegyzet could not handle accents" after
    "Jegyzet Systems"), also where the full name was found after NER (a fallback name). A
    company NER found stays as it is: "Corvane Inc." is not "Corvane Mobility"."""
    for m in mentions:
        if (
            not ((m["type"] == "Person" and m["src"] == "ner") or m["src"] == "np")
            or m.get("qid")
            or len(m["name"].split()) != 1
        ):
            continue
        full = _earlier_full_name([o for o in mentions if o["e"] <= m["s"]], m["name"], "Organization")
        if full is not None and _first_word_names(full):
            m.update(name=full["name"], type=full["type"], qid=full["qid"], src="short")
            if not full.get("fallback"):
                m.pop("fallback", None)


def _retype(mentions: list[dict], keys: set[str], old: str, new: str) -> None:
    """Give the type ``new`` to the mentions NER typed ``old`` by a name of ``keys``."""
    for m in mentions:
        if m["type"] == old and m["src"] in ("ner", "short") and not m.get("qid") and name_key(m["name"]) in keys:
            m["type"] = new


def _one_type_per_name(mentions: list[dict]) -> None:
    """Make an organization of every mention NER called a person by a name the text also
    gives an organization: "Lanthorne had the market to itself", then "Lanthorne's chief
    executive". A person and a company that share one exact name in one story are rarer
    than NER's guesses on invented company names. One pass over the mentions, so a
    book-length text with thousands of names costs no more than their number."""
    _retype(mentions, {name_key(m["name"]) for m in mentions if m["type"] == "Organization"}, "Person", "Organization")


def _first_word_names(full: dict) -> bool:
    """Whether the first word of an organization's name still names it: the rest is an
    organization's ending ("Stability" for "Stability AI"), not a unit's ("Vantor Cloud")."""
    rest = name_key(full["name"]).split()[1:]
    return bool(rest) and all(w in _ORG_HEADS and w not in _UNIT_ENDINGS for w in rest)


def _names_as_compounds(doc, mentions: list[dict]) -> None:
    """Relabel a name the parser took for a number before a noun as that noun's compound.

    In 'its "01" model' or 'the 360 camera' a model's or product's name that is all digits
    is parsed as a count (``nummod``); it names the thing as "Kite" does in "its Kite
    model", and the rules and the classifier read it so.
    """
    for m in mentions:
        if m.get("virtual") or m["type"] not in ("AIModel", "Product"):
            continue
        root = doc[m["s"] : m["e"]].root
        if root.dep_ == "nummod" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i > root.i:
            root.dep_ = "compound"


def _names_as_subjects(doc, mentions: list[dict]) -> None:
    """Make a name the parser took for its sentence's verb the subject of the verb after it.

    The small model reads some company names that open a clause as verbs ("Spotify
    criticised Apple", "Uber partnered with Waymo"): the name becomes the root, and the
    real verb a modifier of the word after it, so no rule sees who acted. When a name is
    its sentence's root and a tensed or past-participle verb without a subject follows it
    directly, that verb becomes the root, the name its subject, and the words the name
    governed after it the verb's. A name the parser ran into a fronted date ("In March
    Databricks released ...") is likewise made the subject of the verb after it.
    """
    for m in mentions:
        if m.get("virtual") or m["e"] >= len(doc):
            continue
        name = doc[m["s"] : m["e"]].root
        prep = name.head
        if (
            name.dep_ == "pobj"
            and m["s"] > 0
            and doc[m["s"] - 1].dep_ == "compound"
            and doc[m["s"] - 1].head.i == name.i
            and doc[m["s"] - 1].ent_type_ == "DATE"
            and prep.dep_ == "prep"
            and prep.i == m["s"] - 2
            and prep.head.pos_ in ("VERB", "AUX")
            and prep.head.i > name.i
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in prep.head.children)
        ):
            # "In March Databricks released DBRX": the parser read "March Databricks" as
            # the date phrase; the date is the preposition's object, the name the subject
            doc[m["s"] - 1].head = prep
            doc[m["s"] - 1].dep_ = "pobj"
            name.head = prep.head
            name.dep_ = "nsubj"
            continue
        verb = doc[m["e"]]
        if (
            name.head.i != name.i
            or verb.tag_ not in ("VBD", "VBZ", "VBN")
            or not verb.text.islower()
            or verb.is_sent_start
            or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children)
        ):
            continue
        moved = [c for c in name.children if c.i > verb.i]
        verb.head = verb
        verb.dep_ = "ROOT"
        for c in moved:
            c.head = verb
        name.head = verb
        name.dep_ = "nsubj"


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
# Business words after a known company's name that make "<company> <word>" a business of
# its own ("Naver Cloud", "Kakao Brain", "Siemens Healthineers"); only right after the name
# and with no capitalized word after ("Salesforce Data Cloud", "Google Health Connect" are products)
_BUSINESS_TAILS = {
    "cloud",
    "brain",
    "digital",
    "healthineers",
    "healthcare",
    "electronics",
    "semiconductor",
    "semiconductors",
    "energy",
    "mobility",
    "robotics",
    "telecom",
    "networks",
    "entertainment",
    "logistics",
    "automotive",
    "solutions",
    "services",
    "payments",
    "insurance",
    "financial",
    "aerospace",
    "defence",
    "defense",
    "biosciences",
    "therapeutics",
    "pharma",
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
            glued_hyphen(doc, end)
            and end + 1 < len(doc)
            and doc[end + 1].is_alpha
            and not adjective_after_hyphen(doc, end)
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
        if run[0].lower_ in _BUSINESS_TAILS and (len(run) == 1 or run[1].lower_ not in _ORG_TAILS):
            # "Naver Cloud": one business word right after the name, and the name ends there
            return None if len(run) > 1 else doc[ent.start : run[0].i + 1]
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


# Words an acronym skips ("Bank for International Settlements" -> "BIS")
_ACRONYM_SKIP = {"of", "and", "&", "the", "for", "de", "la"}


def acronym_of(mentions: list[dict], text: str, doc=None, start: int = -1) -> dict | None:
    """Return the earlier organization whose initials ``text`` spells, or None.

    "Corvane Enterprises (CE)": two letters only in brackets right after the name (``doc``
    and the token index ``start`` of ``text`` say where it stands); three to six, also
    later on their own ("HPC also backs ..."), the nearest such name before. Only an
    all-capital word, a name of two words or more (small words left out), and not a
    mention that coreference added.
    """
    if not (2 <= len(text) <= 6 and text.isalpha() and text.isupper()):
        return None
    bracketed = doc is not None and start >= 2 and doc[start - 1].text == "("
    best = None
    for m in mentions:
        if m["type"] != "Organization" or m.get("virtual") or (best is not None and m["s"] < best["s"]):
            continue
        if len(text) == 2 and not (bracketed and m["e"] == start - 1):
            continue
        words = [w for w in m["name"].replace("-", " ").split() if w.lower() not in _ACRONYM_SKIP]
        if len(words) > 1 and "".join(w[0] for w in words).upper() == text:
            best = m
    return best


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
                and key == fold_accents(text.casefold())
                and (len(text.split()) == 1 or all(w in _NAME_ENDINGS for w in full[len(key) :].split()))
            ):
                # "Inflection" after "Inflection AI", "Truc Lam" after "Truc Lam AI", but
                # never "CBS Corp." after "CBS Radio"
                return m
    return None
