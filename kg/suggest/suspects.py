"""Likely wrong relations (:func:`likely_wrong`): relations with a reason to doubt them.

A type the ontology's signatures do not allow, an entity related to itself, a
contradiction or a better-backed rival, low confidence, hedged wording only, a
single source; each with its evidence sentences and articles.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kg.model import SYMMETRIC_PREDICATES
from kg.namespaces import ARTICLE, ONTOLOGY
from kg.store import Store
from kg.suggest.common import _ARTICLES, _combine, _Entity, _neighbours, _read_entities, _statements

#: A relation whose best mention is less confident than this is "low confidence".
LOW_CONFIDENCE = 0.7
#: How many evidence sentences a suspect relation carries.
EVIDENCE_PER_RELATION = 3
#: Suspect relations scoring below this are left out. A single source alone scores 0.15:
#: on the 18 example articles 126 of 181 relations had no other reason, and they drowned
#: the ones worth a look (docs/CURATION.md, "Suggestions on the demo graph").
MIN_SUSPECT_SCORE = 0.2

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


def _a(types: list[str]) -> str:
    """Return types as words: "a Person", "an Organization or a Product"."""
    words = [("an " if t[0] in "AEIOU" else "a ") + t for t in types]
    return " or ".join(words)
