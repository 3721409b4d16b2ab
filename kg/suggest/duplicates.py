"""Likely duplicate entities (:func:`likely_duplicates`): pairs of one type that are probably one thing.

Names normalized (:func:`normalize_name`) and compared within blocks
(:func:`similar_names`), with shared Wikidata ids, names, aliases and relation
partners, each pair with its score and reasons in words.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from kg.model import ENTITY_TYPES
from kg.store import Store
from kg.suggest.common import _combine, _Entity, _neighbours, _read_entities

log = logging.getLogger("kg.suggest")


#: Scores (0-100, rapidfuzz ratio of the normalized names) from which names count as alike.
NAME_CUTOFF = 85
#: A pair is listed from this score on (0-1).
MIN_DUPLICATE_SCORE = 0.5
#: Blocks larger than this (a very common name token) are not compared within; their
#: members still meet through their other tokens and their name's first letters.
MAX_BLOCK = 2000


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
