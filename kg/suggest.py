"""Where a curator should look first: likely duplicate entities and likely wrong relations.

Both lists are read-only views over a store (embedded or remote), each item with a score
between 0 and 1 and its reasons in words, most suspicious first.

- :func:`likely_duplicates` pairs entities of one type that are probably one thing: names
  alike (rapidfuzz), one Wikidata id, a name or alias in common, the same relation partners.
  Names are compared within blocks (same type, and a word, the first three letters or
  the end of the first word in common), never all against all: 20,000 names take 2.4 s
  rather than 15 s, and the blocks find 98% of the pairs all-against-all finds
  (benchmarks/bench_suggest.py).
- :func:`likely_wrong` lists relations with a reason to doubt them: a subject or object of
  a type the ontology's domain or range does not allow (``ontology/aikg.ttl`` is the one
  place signatures are read from), an entity related to itself, a relation that
  contradicts another (A acquires B and B acquires A), low confidence, hedged wording
  only, a single source. Each comes with its evidence sentences and articles.

Every query is fixed text; the only terms written into one are IRIs of our own vocabulary,
written by pyoxigraph.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pyoxigraph as ox
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES
from kg.namespaces import ARTICLE, ENTITY, ONTOLOGY, PROV, RDF, WD, aikg, sparql_prologue
from kg.store import Store, term_sparql

log = logging.getLogger(__name__)

_P = sparql_prologue()

#: Scores (0-100, rapidfuzz ratio of the normalized names) from which names count as alike.
NAME_CUTOFF = 85
#: A pair is listed from this score on (0-1).
MIN_DUPLICATE_SCORE = 0.5
#: A relation whose best mention is less confident than this is "low confidence".
LOW_CONFIDENCE = 0.7
#: Blocks larger than this (a very common name token) are not compared within; their
#: members still meet through their other tokens and their name's first letters.
MAX_BLOCK = 2000
#: How many evidence sentences a suspect relation carries.
EVIDENCE_PER_RELATION = 3
#: Suspect relations scoring below this are left out. A single source alone scores 0.15:
#: on the 18 example articles 126 of 181 relations had no other reason, and they drowned
#: the ones worth a look (docs/CURATION.md, "Suggestions on the demo graph").
MIN_SUSPECT_SCORE = 0.2

# Words after a company's name that do not change which company it is.
_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "ltd",
        "limited",
        "llc",
        "plc",
        "pbc",
        "gmbh",
        "ag",
        "sa",
        "co",
        "company",
        "lp",
        "llp",
        "nv",
        "bv",
        "se",
    }
)
# Words an organization's name may carry or drop ("Mistral" and "Mistral AI").
_GENERIC = frozenset({"ai", "labs", "lab", "technologies", "technology", "holdings", "group"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d+")

_ENTITIES = (
    _P
    + """
SELECT ?e ?k ?v WHERE {
  VALUES ?k { rdf:type rdfs:label skos:altLabel owl:sameAs }
  ?e ?k ?v .
  FILTER(STRSTARTS(STR(?e), STR(ent:)))
}
"""
)

# One row per statement property rather than one joined row per statement: Oxigraph
# answers the flat form twice as fast, and the statements are put together below.
_STATEMENTS = (
    _P
    + """
SELECT ?st ?k ?v WHERE {
  VALUES ?k { rdf:subject rdf:predicate rdf:object prov:wasDerivedFrom aikg:evidence aikg:confidence aikg:hedged
              aikg:ended }
  ?st ?k ?v .
}
"""
)
_STATEMENT_KEYS = {
    RDF + "subject": "s",
    RDF + "predicate": "p",
    RDF + "object": "o",
    PROV + "wasDerivedFrom": "a",
    ONTOLOGY + "evidence": "evidence",
    ONTOLOGY + "confidence": "conf",
    ONTOLOGY + "hedged": "hedged",
    ONTOLOGY + "ended": "ended",
}

_ARTICLES = (
    _P
    + """
SELECT ?a ?id ?title ?url ?published WHERE {
  ?a a aikg:Article .
  OPTIONAL { ?a aikg:sha256 ?id }
  OPTIONAL { ?a dcterms:title ?title }
  OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a dcterms:issued ?published }
}
"""
)


def _edges_query() -> str:
    """Return the query for the direct relation triples between entities."""
    values = " ".join(term_sparql(aikg(p)) for p in PREDICATES)
    return _P + "SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?p { " + values + " } ?s ?p ?o . }"


# ---------------------------------------------------------------- entities


@dataclass
class _Entity:
    iri: str
    labels: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    wikidata: set[str] = field(default_factory=set)
    same: set[str] = field(default_factory=set)  # entities it is owl:sameAs (a merge done)

    @property
    def label(self) -> str:
        if not self.labels:
            return self.iri.removeprefix(ENTITY)
        return sorted(self.labels, key=lambda s: (len(s), s))[0]

    @property
    def type(self) -> str | None:
        return next((t for t in ENTITY_TYPES if t in self.types), None)

    def ref(self) -> dict[str, Any]:
        """Return the JSON reference pages and the CLI show (the shape of kg.graphdata.ref)."""
        return {"slug": self.iri.removeprefix(ENTITY), "iri": self.iri, "label": self.label, "type": self.type}


def _read_entities(store: Store) -> dict[str, _Entity]:
    out: dict[str, _Entity] = {}
    for row in store.select(_ENTITIES):
        iri, k, v = row["e"].value, row["k"].value, row["v"]
        e = out.get(iri) or out.setdefault(iri, _Entity(iri))
        if k.endswith("#type"):
            if v.value.startswith(ONTOLOGY):
                e.types.add(v.value.removeprefix(ONTOLOGY))
        elif k.endswith("#label"):
            e.labels.add(v.value)
        elif k.endswith("#altLabel"):
            e.aliases.add(v.value)
        elif isinstance(v, ox.NamedNode) and v.value.startswith(WD):
            e.wikidata.add(v.value.removeprefix(WD))
        elif isinstance(v, ox.NamedNode) and v.value.startswith(ENTITY):
            e.same.add(v.value)
    return out


def _neighbours(store: Store) -> tuple[dict[str, set[str]], set[tuple[str, str, str]]]:
    """Return each entity's relation partners (either direction) and the relation triples."""
    partners: dict[str, set[str]] = defaultdict(set)
    triples: set[tuple[str, str, str]] = set()
    for row in store.select(_edges_query()):
        s, p, o = row["s"].value, row["p"].value.removeprefix(ONTOLOGY), row["o"].value
        triples.add((s, p, o))
        if s != o:
            partners[s].add(o)
            partners[o].add(s)
    return partners, triples


def normalize_name(name: str) -> str:
    """Return a name as names are compared: ASCII, lower case, punctuation and company suffixes gone.

    "OpenAI, Inc." and "openai" give "openai"; "Acme Robotics Ltd." gives "acme robotics".
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    tokens = _NON_ALNUM.sub(" ", text.replace("&", " and ")).split()
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens.pop()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    return " ".join(tokens)


def _block_keys(norm: str) -> set[str]:
    """Return the blocks a normalized name belongs to: its words, its first letters, the end of its first word.

    Two spellings one letter apart share a block: the word without the typo, or the
    first letters, or the end of the first word (a typo can touch only one of these in
    any name of six letters or more).
    """
    tokens = norm.split()
    keys = {"t:" + t for t in tokens if len(t) > 1}
    if tokens:
        keys.add("p:" + norm.replace(" ", "")[:3])
        keys.add("s:" + tokens[0][-3:])
    return keys


# ---------------------------------------------------------------- duplicates


def likely_duplicates(
    store: Store, limit: int | None = 50, *, name_cutoff: float = NAME_CUTOFF, min_score: float = MIN_DUPLICATE_SCORE
) -> list[dict[str, Any]]:
    """Return pairs of entities of one type that are probably one thing, most likely first.

    Evidence, each weighed and combined into the score (1 - the product of 1 - weight):
    names alike (rapidfuzz ratio of the normalized names, from ``name_cutoff``; the same
    name once case, spaces, punctuation and company suffixes are set aside counts most),
    one Wikidata id (``owl:sameAs``), a name or alias (``skos:altLabel``) in common, and
    shared relation partners (their Jaccard index). Two entities related to each other
    ("Google DeepMind subsidiaryOf Google") are less likely one: their score is halved.

    Args:
        store: the store to read.
        limit: the most pairs to return (None: all).
        name_cutoff: the name similarity (0-100) from which names count as alike.
        min_score: pairs scoring below this are left out.

    Returns:
        One dict per pair: ``a`` and ``b`` (entity references: slug, iri, label, type; ``b``
        the natural one to merge into: linked to Wikidata, the fuller name, more relation
        partners, in that order), ``type``,
        ``score`` (0-1), ``reasons`` (sentences), ``name_similarity`` (0-100),
        ``wikidata`` (the shared id or None), ``shared_names``, ``shared_neighbours`` and
        ``neighbours`` (partners of either).

    Raises:
        StoreError: the store could not be read (a remote store: RemoteStoreError).
    """
    entities = _read_entities(store)
    partners, _ = _neighbours(store)
    candidates: dict[tuple[str, str], str] = {}  # (iri, iri) sorted -> shared type

    def add(group: Iterable[str], etype: str) -> None:
        for x, y in combinations(sorted(set(group)), 2):
            candidates.setdefault((x, y), etype)

    for etype in ENTITY_TYPES:
        members = [e for e in entities.values() if etype in e.types]
        by_wd: dict[str, list[str]] = defaultdict(list)
        by_name: dict[str, list[str]] = defaultdict(list)
        norms = [normalize_name(e.label) for e in members]
        for e in members:
            for q in e.wikidata:
                by_wd[q].append(e.iri)
            for n in {normalize_name(x) for x in e.labels | e.aliases} - {""}:
                by_name[n].append(e.iri)
        # "Mistral" and "Mistral AI": one organization's name with or without a generic word.
        by_core: dict[str, list[str]] = defaultdict(list)
        if etype == "Organization":
            for i, e in enumerate(members):
                by_core[_core(norms[i])].append(e.iri)
        for group in (*by_wd.values(), *by_name.values(), *by_core.values()):
            if 1 < len(set(group)) <= 50:
                add(group, etype)
        # "Brain" and "Google Brain", "Altman" and "Sam Altman": a name that is how another ends.
        by_norm: dict[str, list[str]] = defaultdict(list)
        for i, e in enumerate(members):
            by_norm[norms[i]].append(e.iri)
        for i, e in enumerate(members):
            tokens = norms[i].split()
            for k in range(1, len(tokens)):
                tail = " ".join(tokens[k:])
                if len(tail) >= 3 and 0 < len(by_norm.get(tail, ())) <= 50:
                    add([e.iri, *by_norm[tail]], etype)
        for i, j in similar_names(norms, name_cutoff):
            add((members[i].iri, members[j].iri), etype)

    # A pair already declared one (owl:sameAs, as a merge leaves it) needs no suggestion.
    pairs = [
        _judge(entities[x], entities[y], etype, partners, name_cutoff)
        for (x, y), etype in candidates.items()
        if y not in entities[x].same and x not in entities[y].same
    ]
    pairs = [p for p in pairs if p["score"] >= min_score]
    pairs.sort(key=lambda p: (-p["score"], p["a"]["label"], p["b"]["label"]))
    return pairs if limit is None else pairs[:limit]


def similar_names(names: list[str], cutoff: float = NAME_CUTOFF) -> set[tuple[int, int]]:
    """Return the index pairs (i < j) of normalized names at least ``cutoff`` alike (rapidfuzz ratio).

    Names are compared only within blocks (:func:`_block_keys`), each block at once by
    ``rapidfuzz.process.cdist``. A block larger than :data:`MAX_BLOCK` is skipped.

    Args:
        names: names as :func:`normalize_name` gives them.
        cutoff: the least similarity (0-100) of a pair.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, norm in enumerate(names):
        for key in _block_keys(norm):
            blocks[key].append(i)
    found: set[tuple[int, int]] = set()
    seen: set[tuple[int, ...]] = set()
    for key, idx in blocks.items():
        if len(idx) > MAX_BLOCK:
            log.info("not comparing within block %s (%d names)", key, len(idx))
            continue
        if len(idx) < 2 or tuple(idx) in seen:
            continue
        seen.add(tuple(idx))
        block = [names[i] for i in idx]
        scores = cdist(block, block, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8, workers=1)
        for r, c in zip(*np.nonzero(np.triu(scores, k=1))):
            found.add((idx[r], idx[c]))
    return found


def _judge(x: _Entity, y: _Entity, etype: str, partners: dict[str, set[str]], name_cutoff: float) -> dict[str, Any]:
    """Return the verdict on one candidate pair: score, reasons and the figures behind them."""
    weights: list[float] = []
    reasons: list[str] = []
    nx_, ny_ = normalize_name(x.label), normalize_name(y.label)
    similarity = round(fuzz.ratio(nx_, ny_))
    variant = _variant(nx_, ny_, etype)
    tail = None if variant else _ends(nx_, ny_)
    if variant:
        reasons.append(variant)
    elif nx_ and nx_.replace(" ", "") == ny_.replace(" ", ""):
        weights.append(0.9)
        reasons.append("the same name apart from case, spaces, punctuation or a company suffix")
    elif etype == "Organization" and _core(nx_) == _core(ny_):
        weights.append(0.6)
        reasons.append("the same name apart from a word such as AI or Labs")
    elif similarity >= name_cutoff:
        weights.append(0.85 * (similarity - 70) / 30)
        reasons.append(f"names {similarity}% alike")
    elif tail is not None:
        weights.append(0.55)
        short, long_ = (x, y) if tail[0] == nx_ else (y, x)
        reasons.append(f'"{short.label}" is how "{long_.label}" ends')
    shared_wd = sorted(x.wikidata & y.wikidata)
    if shared_wd:
        weights.append(0.9)
        reasons.append(f"both are Wikidata {shared_wd[0]}")
    # Two different Wikidata ids: two things, whatever else they share.
    distinct = bool(x.wikidata and y.wikidata and not shared_wd)
    names_x = {normalize_name(n): n for n in x.labels | x.aliases}
    names_y = {normalize_name(n): n for n in y.labels | y.aliases}
    # The two names themselves, when they are one once normalized, were counted above.
    shared_names = sorted(names_x[k] for k in names_x.keys() & names_y.keys() - {nx_ if nx_ == ny_ else ""} if k)
    if shared_names:
        weights.append(0.7)
        reasons.append("both go by " + ", ".join(f'"{n}"' for n in shared_names[:3]))
    px, py = partners.get(x.iri, set()) - {y.iri}, partners.get(y.iri, set()) - {x.iri}
    union, common = px | py, px & py
    if common:
        jaccard = len(common) / len(union)
        weights.append((0.5 if len(common) >= 2 else 0.2) * jaccard)
        reasons.append(f"{len(common)} of {len(union)} neighbours shared")
    related = y.iri in partners.get(x.iri, set())
    score = 0.0 if distinct else _combine(weights)
    if distinct:
        reasons.append(f"but different Wikidata ids ({min(x.wikidata)}, {min(y.wikidata)})")
    if related:
        score /= 2
        reasons.append("related to each other, so perhaps two things")

    def keeps(e: _Entity) -> tuple[Any, ...]:
        # The one to merge into: linked to Wikidata, the fuller name of the two, more partners.
        fuller = tail is not None and normalize_name(e.label) == tail[1]
        return (bool(e.wikidata), fuller, len(partners.get(e.iri, ())), e.iri)

    a, b = (x, y) if keeps(x) <= keeps(y) else (y, x)
    return {
        "a": a.ref(),
        "b": b.ref(),
        "type": etype,
        "score": round(score, 3),
        "reasons": reasons,
        "name_similarity": similarity,
        "wikidata": shared_wd[0] if shared_wd else None,
        "shared_names": shared_names,
        "shared_neighbours": len(common),
        "neighbours": len(union),
    }


def _core(norm: str) -> str:
    """Return an organization's normalized name without its generic words ("mistral ai" -> "mistral")."""
    tokens = [t for t in norm.split() if t not in _GENERIC]
    return "".join(tokens) if tokens else norm.replace(" ", "")


def _ends(nx_: str, ny_: str) -> tuple[str, str] | None:
    """Return (short, long) when one normalized name is the last words of the other."""
    short, long_ = sorted((nx_, ny_), key=len)
    if len(short) >= 3 and len(long_.split()) > len(short.split()) and long_.endswith(" " + short):
        return short, long_
    return None


def _variant(nx_: str, ny_: str, etype: str) -> str | None:
    """Return why two alike names are two versions or editions of a thing, or None.

    Different numbers ("GPT-3" and "GPT-4", "Microsoft 365 Copilot" and "Microsoft Copilot")
    name different things; so, for models and products, does a name that extends the
    other ("GPT-4" and "GPT-4o", "Llama 3" and "Llama 3 Instruct").
    """
    if _DIGITS.findall(nx_) != _DIGITS.findall(ny_):
        return "but different numbers in the names (versions?)"
    cx, cy = nx_.replace(" ", ""), ny_.replace(" ", "")
    if etype in ("AIModel", "Product") and cx != cy and (cx.startswith(cy) or cy.startswith(cx)):
        return "but one name extends the other (a version or an edition?)"
    return None


# ---------------------------------------------------------------- suspect relations

#: Pairs of relations that cannot both hold: (p, q, reversed). With reversed, A p B
#: contradicts B q A; without, A p B contradicts A q B.
CONTRADICTIONS = (
    ("acquires", "acquires", True),
    ("subsidiaryOf", "subsidiaryOf", True),
    ("founded", "founded", True),
    ("investsIn", "investsIn", True),
    ("acquires", "subsidiaryOf", False),
)
#: Predicates whose subject usually has one object at a time: a person leading two
#: unrelated organizations is doubted where the other is better backed.
SINGLE_VALUED = frozenset({"leads"})
#: Predicates whose object usually has one subject: a model or product developed, or a
#: company acquired, by two organizations, neither part of the other, is doubted on the
#: side less well backed.
SINGLE_SUBJECT = frozenset({"develops", "acquires"})


def likely_wrong(
    store: Store,
    limit: int | None = 50,
    *,
    low_confidence: float = LOW_CONFIDENCE,
    min_score: float = MIN_SUSPECT_SCORE,
) -> list[dict[str, Any]]:
    """Return relations a curator should check, most suspicious first.

    Reasons, each weighed and combined into the score (1 - the product of 1 - weight):
    an entity related to itself; a subject or object whose type the ontology's domain or
    range for the predicate does not allow; a relation contradicting another one
    (:data:`CONTRADICTIONS`; heavier when the other is better backed); a better-backed
    rival, with another object for :data:`SINGLE_VALUED` predicates (neither stated as
    over) and with another subject for :data:`SINGLE_SUBJECT` ones, the two not of one
    corporate group; its best mention less confident than ``low_confidence`` (the lower,
    the heavier); only hedged mentions; no evidence sentence that names both ends (the
    extractor found one through a pronoun or a description, "the company", in another
    sentence); a single source article. A relation with none of these, or scoring below
    ``min_score``, is not listed.

    Args:
        store: the store to read.
        limit: the most relations to return (None: all).
        low_confidence: a relation whose most confident mention is below this is doubted.
        min_score: relations scoring below this are left out (0: every doubted one).

    Returns:
        One dict per relation: ``subject`` and ``object`` (entity references),
        ``predicate`` (local name), ``score`` (0-1), ``reasons`` (sentences), ``checks``
        (short codes: self-loop, type-conflict, contradiction, competing, low-confidence,
        hedged, unnamed, single-source), ``sources`` (distinct articles), ``confidence`` (the best
        mention's, or None) and ``evidence``: the least confident mentions first, each with
        ``statement``, ``sentence``, ``confidence``, ``hedged``, ``ended``, ``article`` (sha256 id),
        ``title``, ``url`` and ``published``.

    Raises:
        StoreError: the store could not be read (a remote store: RemoteStoreError).
    """
    from ontology import relation_signatures

    signatures = relation_signatures()
    entities = _read_entities(store)
    _, triples = _neighbours(store)
    # Each organization's parents (by subsidiaryOf or acquires): two organizations of one
    # group (one part of the other, or both of one parent) are not rivals.
    parents: dict[str, set[str]] = defaultdict(set)
    for a, p, c in triples:
        if p == "subsidiaryOf":
            parents[a].add(c)
        elif p == "acquires":
            parents[c].add(a)

    def one_group(x: str, y: str) -> bool:
        return x in parents.get(y, ()) or y in parents.get(x, ()) or bool(parents.get(x, set()) & parents.get(y, set()))

    articles = {
        row["a"].value: {k: row[k].value if row[k] is not None else None for k in ("id", "title", "url", "published")}
        for row in store.select(_ARTICLES)
    }
    mentions: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for st, props in _statements(store).items():
        if not {"s", "p", "o", "a"} <= props.keys() or not props["p"].startswith(ONTOLOGY):
            continue
        key = (props["s"], props["p"].removeprefix(ONTOLOGY), props["o"])
        meta = articles.get(props["a"]) or {}
        conf = props.get("conf")
        mentions[key].append(
            {
                "statement": st,
                "sentence": props.get("evidence"),
                "confidence": float(conf) if conf is not None else None,
                "hedged": props.get("hedged") == "true",
                "ended": props.get("ended") == "true",
                "article": meta.get("id") or props["a"].removeprefix(ARTICLE),
                "title": meta.get("title"),
                "url": meta.get("url"),
                "published": meta.get("published"),
            }
        )
    relations = set(mentions) | triples
    # How well each relation is backed: (sources, best confidence), compared between rivals.
    support: dict[tuple[str, str, str], tuple[int, float]] = defaultdict(lambda: (0, 0.0))
    by_subject: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_object: dict[tuple[str, str], set[str]] = defaultdict(set)
    # Relations every mention of which says they are over ("the former chief executive").
    over = {key for key, ms in mentions.items() if ms and all(m["ended"] for m in ms)}
    for key in relations:
        ms = mentions.get(key, [])
        confs = [m["confidence"] for m in ms if m["confidence"] is not None]
        support[key] = (len({m["article"] for m in ms}), max(confs) if confs else 1.0)
        by_subject[key[:2]].add(key[2])
        by_object[key[1:]].add(key[0])

    def entity(iri: str) -> _Entity:
        return entities.get(iri) or _Entity(iri)

    out: list[dict[str, Any]] = []
    for s, p, o in relations:
        weights: list[float] = []
        reasons: list[str] = []
        checks: list[str] = []
        sub, obj = entity(s), entity(o)
        if s == o:
            weights.append(0.9)
            checks.append("self-loop")
            reasons.append(f"{sub.label} is related to itself")
        domain, range_ = signatures.get(p, (frozenset(), frozenset()))
        for role, ent, allowed in (("subject", sub, domain), ("object", obj, range_)):
            if allowed and ent.types and not ent.types & allowed:
                weights.append(0.8)
                checks.append("type-conflict")
                reasons.append(
                    f"{role} {ent.label} is {_a(sorted(ent.types))}; {p} takes {_a(sorted(allowed))} as {role}"
                )
        ms = sorted(
            mentions.get((s, p, o), []),
            key=lambda m: (m["confidence"] if m["confidence"] is not None else 1.0, m["article"] or "", m["statement"]),
        )
        confs = [m["confidence"] for m in ms if m["confidence"] is not None]
        best = max(confs) if confs else None
        if best is not None and best < low_confidence:
            weights.append(min(0.6, 0.3 + (low_confidence - best)))
            checks.append("low-confidence")
            best_of = "best mention " if len(ms) > 1 else ""
            reasons.append(f"low confidence: {best_of}{best:.2f} (below {low_confidence:g})")
        if ms and all(m["hedged"] for m in ms):
            weights.append(0.2)
            checks.append("hedged")
            reasons.append("only hedged mentions (rumoured, in talks)")
        sentences = [m["sentence"] for m in ms if m["sentence"]]
        if sentences:
            unnamed = [e for e in (sub, obj) if not any(_names_in(e, text) for text in sentences)]
            if unnamed:
                weights.append(0.3)
                checks.append("unnamed")
                who = " and ".join(e.label for e in unnamed)
                reasons.append(f"no sentence names {who}: found through a pronoun or a description elsewhere")
        sources = support[(s, p, o)][0]
        for clash in _contradicting(s, p, o, relations):
            if "contradiction" not in checks:
                checks.append("contradiction")
            weights.append(0.6 if _stronger(support[clash], support[(s, p, o)]) else 0.25)
            reasons.append(
                f"contradicts {entity(clash[0]).label} {clash[1]} {entity(clash[2]).label} "
                f"({_versus(support[clash], support[(s, p, o)])})"
            )
        if p in SINGLE_VALUED and (s, p, o) not in over:
            for other in sorted(by_subject[(s, p)] - {o} - {x for x in by_subject[(s, p)] if (s, p, x) in over}):
                if _stronger(support[(s, p, other)], support[(s, p, o)]) and not one_group(o, other):
                    weights.append(_rival_weight(support[(s, p, other)], support[(s, p, o)]))
                    if "competing" not in checks:
                        checks.append("competing")
                    reasons.append(
                        f"{sub.label} also {p} {entity(other).label} "
                        f"({_versus(support[(s, p, other)], support[(s, p, o)])})"
                    )
        if p in SINGLE_SUBJECT:
            for other in sorted(by_object[(p, o)] - {s}):
                if _stronger(support[(other, p, o)], support[(s, p, o)]) and not one_group(s, other):
                    weights.append(_rival_weight(support[(other, p, o)], support[(s, p, o)]))
                    if "competing" not in checks:
                        checks.append("competing")
                    reasons.append(
                        f"{entity(other).label} also {p} {obj.label} "
                        f"({_versus(support[(other, p, o)], support[(s, p, o)])})"
                    )
        if sources <= 1:
            # Nothing at all (a triple written by hand through /update) weighs more than one article.
            weights.append(0.15 if sources else 0.3)
            checks.append("single-source")
            reasons.append("one source article" if sources else "no statement backs it")
        if not weights or _combine(weights) < min_score:
            continue
        out.append(
            {
                "subject": sub.ref(),
                "predicate": p,
                "object": obj.ref(),
                "score": round(_combine(weights), 3),
                "reasons": reasons,
                "checks": checks,
                "sources": sources,
                "confidence": best,
                "evidence": ms[:EVIDENCE_PER_RELATION],
            }
        )
    out.sort(
        key=lambda r: (
            -r["score"],
            r["confidence"] if r["confidence"] is not None else 1.0,
            r["subject"]["label"],
            r["predicate"],
            r["object"]["label"],
        )
    )
    return out if limit is None else out[:limit]


def _statements(store: Store) -> dict[str, dict[str, str]]:
    """Return each statement node's values: s, p, o, a (its article), evidence, conf, hedged."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.select(_STATEMENTS):
        out[row["st"].value][_STATEMENT_KEYS[row["k"].value]] = row["v"].value
    return out


def _names_in(e: _Entity, text: str) -> bool:
    """Return whether a sentence names an entity: one of its labels or aliases, case aside."""
    low = text.casefold()
    return any(n and n.casefold() in low for n in e.labels | e.aliases | {e.label})


def _stronger(theirs: tuple[int, float], mine: tuple[int, float]) -> bool:
    """Return whether a rival relation is clearly better backed: more sources, or as many and 0.1 more confident."""
    return theirs[0] > mine[0] or (theirs[0] == mine[0] and theirs[1] >= mine[1] + 0.1)


def _rival_weight(theirs: tuple[int, float], mine: tuple[int, float]) -> float:
    """Return how much a better-backed rival weighs: 0.3, and 0.05 more per source it has beyond ours, up to 0.55."""
    return min(0.55, 0.3 + 0.05 * max(0, theirs[0] - mine[0]))


def _versus(theirs: tuple[int, float], mine: tuple[int, float]) -> str:
    """Return how two relations' backing compares, in words, theirs first."""
    if theirs[0] != mine[0]:
        return f"{theirs[0]} source{'' if theirs[0] == 1 else 's'} against {mine[0]}"
    return f"{theirs[0]} source{'' if theirs[0] == 1 else 's'} each, confidence {theirs[1]:.2f} against {mine[1]:.2f}"


def _contradicting(s: str, p: str, o: str, relations: set[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Return the relations that cannot hold together with (s, p, o)."""
    found: list[tuple[str, str, str]] = []
    if s == o or p in SYMMETRIC_PREDICATES:
        return found
    for a, b, reverse in CONTRADICTIONS:
        for mine, theirs in ((a, b), (b, a)):
            if p != mine:
                continue
            other = (o, theirs, s) if reverse else (s, theirs, o)
            if other != (s, p, o) and other in relations and other not in found:
                found.append(other)
    return found


def _combine(weights: list[float]) -> float:
    """Return the score of independent pieces of evidence: 1 - the product of (1 - weight)."""
    rest = 1.0
    for w in weights:
        rest *= 1.0 - w
    return 1.0 - rest


def _a(types: list[str]) -> str:
    """Return types as words: "a Person", "an Organization or a Product"."""
    words = [("an " if t[0] in "AEIOU" else "a ") + t for t in types]
    return " or ".join(words)
