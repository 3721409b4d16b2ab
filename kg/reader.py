"""What the reader pages show, as plain data: an article's text marked up, an entity's relations grouped.

The article page shows the article's text with every evidence sentence and every entity
mention marked. By default the store keeps only the evidence sentences with their
character offsets (news text belongs to its publishers); the text is then those
sentences in text order, with a gap wherever the offsets say text is missing. An
article ingested with ``--store-text`` (``aikg:text``) is shown whole.

Mentions are found in the shown text by name: the labels and aliases of the entities
the article's graph holds, matched case-sensitively, longest first, on word
boundaries. The text is cut into plain segments here; the templates escape each one,
so no stored text is ever trusted as markup.

The entity page groups an entity's relations by predicate and direction ("invests in",
"invested in by"), current before past, and draws its nearest neighbours around it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.graphdata import get_article, local, ref, resolve_article
from kg.namespaces import sparql_prologue
from kg.store import Store

#: Rows a group of the entity page shows before "show all".
GROUP_ROWS = 10
#: Neighbours drawn in the entity page's ego network.
EGO_NODES = 12
#: Two evidence sentences at most this many characters apart are shown as adjacent
#: (the space or paragraph break between sentences); farther apart, a gap is marked.
ADJACENT_CHARS = 2
#: Names shorter than this are not looked for in the text (too many false hits).
MIN_NAME_CHARS = 2

#: How a predicate reads from each end: (the subject's view, the object's view).
PHRASES: dict[str, tuple[str, str]] = {
    "partnersWith": ("partners with", "partners with"),
    "investsIn": ("invests in", "invested in by"),
    "acquires": ("acquired", "acquired by"),
    "competesWith": ("competes with", "competes with"),
    "subsidiaryOf": ("subsidiary of", "parent of"),
    "suppliesTo": ("supplies", "supplied by"),
    "disputesWith": ("in dispute with", "in dispute with"),
    "sues": ("sues", "sued by"),
    "develops": ("develops", "developed by"),
    "uses": ("uses", "used by"),
    "leads": ("leads", "led by"),
    "founded": ("founded", "founded by"),
    "worksFor": ("works for", "employs"),
}

_P = sparql_prologue()
_TEXT = _P + "SELECT ?text WHERE { GRAPH ?a { ?a aikg:text ?text } }"
_NAMES = (
    _P
    + """
SELECT ?e ?k ?name ?type WHERE {
  GRAPH ?a {
    VALUES ?k { rdfs:label skos:altLabel }
    ?e ?k ?name .
    FILTER(STRSTARTS(STR(?e), STR(ent:)))
    OPTIONAL { ?e a ?type }
  }
}
"""
)


def phrase(predicate: str, direction: str) -> str:
    """Return how a relation reads from the entity's side ("invested in by" for an incoming investsIn)."""
    out, inward = PHRASES.get(predicate, (predicate, predicate))
    return out if direction == "out" else inward


# ---------------------------------------------------------------- article text


@dataclass
class _Sentence:
    start: int
    end: int
    id: str = ""
    triples: list[str] = field(default_factory=list)


def _names(store: Store, graph: ox.NamedNode) -> tuple[re.Pattern[str] | None, dict[str, dict[str, Any]]]:
    """Return the pattern of every entity name in the article's graph and name -> entity ref."""
    labels: dict[str, str] = {}
    types: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for row in store.select(_NAMES, substitutions={"a": graph}):
        e, name = row["e"].value, row["name"].value
        kind = local(row["type"].value) if row["type"] is not None else None
        if kind and not types.get(e):
            types[e] = kind
        if row["k"].value.endswith("#label"):
            labels[e] = min(labels.get(e, name), name, key=lambda s: (len(s), s))
        if len(name) >= MIN_NAME_CHARS:
            names.setdefault(name, e)
    by_name = {n: ref(e, labels.get(e), types.get(e)) for n, e in names.items()}
    if not by_name:
        return None, {}
    ordered = sorted(by_name, key=lambda n: (-len(n), n))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
    return pattern, by_name


def _pieces(text: str, pattern: re.Pattern[str] | None, by_name: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut text into pieces: plain runs and entity mentions (``entity`` set)."""
    out: list[dict[str, Any]] = []
    at = 0
    for m in pattern.finditer(text) if pattern else ():
        if m.start() > at:
            out.append({"text": text[at : m.start()], "entity": None})
        out.append({"text": m.group(0), "entity": by_name[m.group(0)]})
        at = m.end()
    if at < len(text) or not out:
        out.append({"text": text[at:], "entity": None})
    return out


def _merge(spans: list[_Sentence]) -> list[_Sentence]:
    """Return the spans in text order, overlapping ones merged into one sentence."""
    out: list[_Sentence] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1].end:
            out[-1].end = max(out[-1].end, s.end)
            out[-1].triples.extend(t for t in s.triples if t not in out[-1].triples)
        else:
            out.append(_Sentence(s.start, s.end, triples=list(s.triples)))
    for i, s in enumerate(out):
        s.id = f"s{i + 1}"
    return out


def _items(
    text: str,
    base: int,
    sentences: list[_Sentence],
    pattern: re.Pattern[str] | None,
    by_name: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Return a region of text (starting at offset ``base``) as plain and sentence items."""
    items: list[dict[str, Any]] = []
    at = 0
    for s in sentences:
        lo, hi = s.start - base, s.end - base
        if hi <= 0 or lo >= len(text):
            continue
        lo, hi = max(lo, 0), min(hi, len(text))
        if lo > at:
            items.append({"sentence": None, "triples": [], "pieces": _pieces(text[at:lo], pattern, by_name)})
        items.append({"sentence": s.id, "triples": s.triples, "pieces": _pieces(text[lo:hi], pattern, by_name)})
        at = hi
    if at < len(text):
        items.append({"sentence": None, "triples": [], "pieces": _pieces(text[at:], pattern, by_name)})
    return items


def article_view(store: Store, ref_text: str, min_confidence: float = 0.0) -> dict[str, Any]:
    """Return an article for its page: metadata, triples, and its text cut into marked segments.

    Args:
        store: the store to read.
        ref_text: the article's id, or 8+ hex digits of it.
        min_confidence: list the triples at least this confident (one without a
            confidence counts as 1.0); ``hidden`` counts the others. Their sentences
            are left out, or, when the whole text is stored, shown unmarked.

    Returns:
        The dict of :func:`kg.graphdata.get_article` (``mentions`` being the triples
        shown, each with ``id`` and ``sentence``, the id of the sentence that carries it),
        plus ``full_text`` (whether the whole text is stored) and ``passages``: lists of
        items, each ``{"sentence": id or None, "triples": [triple ids], "pieces": [{"text",
        "entity"}]}``; between two passages text is missing (never with ``full_text``).
        ``gap_before`` says text is missing before the first passage.

    Raises:
        NotFoundError: no such article.
    """
    graph = resolve_article(store, ref_text)
    a = get_article(store, ref_text, min_confidence=0.0)
    every = a["mentions"]
    stored = next((row["text"].value for row in store.select(_TEXT, substitutions={"a": graph})), None)
    pattern, by_name = _names(store, graph)

    shown = []
    for i, m in enumerate(every):
        m["id"] = f"t{i + 1}"
        if m["confidence"] is None or m["confidence"] >= min_confidence:
            shown.append(m)
    shown_ids = {m["id"] for m in shown}

    # Where each evidence sentence sits: by its offsets, else found by its words.
    evidence: dict[tuple[int, str], _Sentence] = {}
    unplaced: dict[str, _Sentence] = {}
    offset_of: dict[str, tuple[int, str]] = {}
    for m in every:
        if stored is None and m["id"] not in shown_ids:
            continue  # without the text, a hidden statement's sentence stays hidden too
        sentence, start = m["evidence"] or "", m["start"]
        if stored is not None:
            if start is None or stored[start : start + len(sentence)] != sentence:
                found = stored.find(sentence)
                start = found if found >= 0 and sentence else None
        if start is None:
            key = (-1, sentence)
            span = unplaced.setdefault(sentence, _Sentence(-1, -1))
        else:
            key = (start, sentence)
            span = evidence.setdefault(key, _Sentence(start, start + len(sentence)))
        offset_of[m["id"]] = key
        if m["id"] in shown_ids:
            span.triples.append(m["id"])

    sentences = _merge(list(evidence.values()))
    passages: list[list[dict[str, Any]]] = []
    gap_before = False
    prev_end = 0
    if stored is not None:
        passages.append(_items(stored, 0, sentences, pattern, by_name))
    else:
        gap_before = bool(sentences) and sentences[0].start > 0
        text_at: dict[int, str] = {}
        for start, sentence in evidence:
            for k, ch in enumerate(sentence):
                text_at.setdefault(start + k, ch)
        for s in sentences:
            region = "".join(text_at.get(i, " ") for i in range(s.start, s.end))
            items = _items(region, s.start, [s], pattern, by_name)
            if passages and s.start - prev_end <= ADJACENT_CHARS:
                passages[-1].append({"sentence": None, "triples": [], "pieces": [{"text": " ", "entity": None}]})
                passages[-1].extend(items)
            else:
                passages.append(items)
            prev_end = s.end
    # Sentences the offsets do not place (a text that changed since): each alone, at the end.
    extra = []
    for n, (sentence, span) in enumerate(unplaced.items()):
        span.id = f"u{n + 1}"
        extra.append(span)
        passages.append([{"sentence": span.id, "triples": span.triples, "pieces": _pieces(sentence, pattern, by_name)}])

    def sentence_of(tid: str) -> str | None:
        start, sentence = offset_of[tid]
        if start < 0:
            return unplaced[sentence].id
        end = start + len(sentence)
        return next((s.id for s in sentences if s.start <= start and end <= s.end), None)

    for m in shown:
        m["sentence"] = sentence_of(m["id"])
    a.update(
        mentions=shown,
        relations=len(shown),
        hidden=len(every) - len(shown),
        full_text=stored is not None,
        passages=passages,
        gap_before=gap_before,
        unplaced=len(extra),
    )
    return a


# ---------------------------------------------------------------- entity page


def relation_groups(relations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group an entity's relations by state, predicate and direction.

    Args:
        relations: the ``relations`` of :func:`kg.graphdata.get_entity`.

    Returns:
        ``{"current": [...], "past": [...]}``; each group is ``{"predicate",
        "direction", "phrase", "count", "rows", "more"}``, ``rows`` the first
        :data:`GROUP_ROWS` relations and ``more`` the rest, biggest group first.
    """
    out: dict[str, list[dict[str, Any]]] = {"current": [], "past": []}
    for state in out:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in relations:
            if r["ended"] == (state == "past"):
                groups.setdefault((r["predicate"], r["direction"]), []).append(r)
        for (pred, direction), rows in groups.items():
            out[state].append(
                {
                    "predicate": pred,
                    "direction": direction,
                    "phrase": phrase(pred, direction),
                    "count": len(rows),
                    "rows": rows[:GROUP_ROWS],
                    "more": rows[GROUP_ROWS:],
                }
            )
        out[state].sort(key=lambda g: (-g["count"], g["phrase"], g["direction"]))
    return out


def ego_network(entity: dict[str, Any], relations: list[dict[str, Any]], limit: int = EGO_NODES) -> dict[str, Any]:
    """Lay out an entity and its best supported neighbours on a ring, for a small SVG.

    Args:
        entity: the entity dict of :func:`kg.graphdata.get_entity`.
        relations: its relations.
        limit: the most neighbours drawn, most sources first.

    Returns:
        ``{"center", "nodes", "total", "predicates"}``: each node is ``{"ref", "x",
        "y", "lx", "ly", "anchor", "label", "predicates", "phrases", "ended", "sources",
        "width"}`` in a 520x250 box centred on 0,0 (``lx``/``ly`` place the label);
        ``predicates`` are those drawn, for the legend.
    """
    by_other: dict[str, dict[str, Any]] = {}
    for r in relations:
        n = by_other.setdefault(
            r["other"]["slug"], {"ref": r["other"], "predicates": [], "phrases": [], "sources": 0, "ended": True}
        )
        if r["predicate"] not in n["predicates"]:
            n["predicates"].append(r["predicate"])
            n["phrases"].append(phrase(r["predicate"], r["direction"]))
        n["sources"] += r["sources"]
        n["ended"] = n["ended"] and r["ended"]
    ranked = sorted(by_other.values(), key=lambda n: (-n["sources"], n["ref"]["label"]))
    nodes = ranked[:limit]
    for i, n in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(nodes), 1)
        n["x"], n["y"] = round(110 * math.cos(angle), 1), round(85 * math.sin(angle), 1)
        n["anchor"] = "middle" if abs(n["x"]) < 20 else "start" if n["x"] > 0 else "end"
        # The label sits outside the ring: beside a node on the sides, above or below at the poles.
        n["lx"] = n["x"] + {"start": 9, "end": -9, "middle": 0}[n["anchor"]]
        n["ly"] = n["y"] + (4 if n["anchor"] != "middle" else -11 if n["y"] < 0 else 19)
        label = n["ref"]["label"]
        n["label"] = label if len(label) <= 20 else label[:19] + "…"
        n["width"] = min(1 + n["sources"] * 0.5, 4)
    drawn = list(dict.fromkeys(n["predicates"][0] for n in nodes))
    center = entity["label"] if len(entity["label"]) <= 20 else entity["label"][:19] + "…"
    return {"center": center, "nodes": nodes, "total": len(by_other), "predicates": drawn}
