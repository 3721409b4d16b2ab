"""KnowledgeNet documents as gold-format records: entities, relations and negatives per document.

:func:`load_passages` reads the file, groups each document's entities, types them with
the votes of every loaded document, and builds one record per document;
:func:`summarize` counts the result per fold and predicate.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from ingest.knowledgenet.grouping import _decide_type, _Doc
from ingest.knowledgenet.reader import _read
from ingest.knowledgenet.vocab import _SIGNATURES, MAPPED, ORG, PER, _is_pronoun, _key


def _record_text(doc: dict) -> str:
    """The annotated sentences in order; a gap of more than one character becomes a blank line."""
    parts, prev_end = [], None
    text = doc["text"]
    for p in doc["passages"]:
        start = max(p["start"], prev_end or 0)
        if prev_end is not None:
            if start > p["end"]:
                continue
            parts.append(text[prev_end:start] if start - prev_end <= 1 else "\n\n")
        parts.append(text[start : p["end"]])
        prev_end = max(prev_end or 0, p["end"])
    return "".join(parts).strip()


def _build(doc: dict, ents: _Doc, uri_votes: dict[str, Counter], counts: Counter) -> dict:
    text = _record_text(doc)
    names: dict[int, str] = {}
    types: dict[int, str] = {}
    holder: dict[str, int] = {}
    for i in range(len(ents.forms)):
        if not ents.forms[i]:
            continue
        n = ents.name(i)
        if n is None:
            counts["entities_unnamed"] += 1
            continue
        if n in holder:  # two URIs under one name in one document: one entity
            counts["entities_same_name"] += 1
            ents.merge(i, holder[n])
            continue
        holder[n] = i
        names[i] = n
    for i, n in names.items():
        votes = Counter()
        for j, uri in enumerate(ents.uris):
            if uri and (j == i or (not ents.forms[j] and ents.merged_into.get(j) == i)):
                votes.update(uri_votes.get(uri, Counter()))
        types[i] = _decide_type(ents.votes[i], votes, n)
    entities = []
    for i, n in names.items():
        aliases = [t for t in ents.forms[i] if t != n]
        entities.append({"name": n, "type": types[i], "aliases": aliases})

    relations: dict[tuple, None] = {}
    for p in doc["passages"]:
        for prop, subj, obj in p["facts"]:
            if prop not in MAPPED:
                continue
            pred, inverted = MAPPED[prop]
            s, o = (obj, subj) if inverted else (subj, obj)
            si, oi = ents.entity_of.get(s), ents.entity_of.get(o)
            if si not in names or oi not in names:
                counts[f"unnamed_end:{pred}"] += 1
                continue
            if si == oi:
                continue
            relations[(si, pred, oi)] = None
    for si, pred, oi in list(relations):
        if pred == "worksFor" and (si, "leads", oi) in relations:
            del relations[(si, pred, oi)]
            counts["worksFor_dropped_for_leads"] += 1

    # where each entity is named or annotated, per passage
    mentioned: list[set[int]] = []
    for p in doc["passages"]:
        ptext = _key(doc["text"][p["start"] : p["end"]])
        inside = {ents.entity_of[m] for _prop, s, o in p["facts"] for m in (s, o) if m in ents.entity_of}
        inside |= {i for i in names if any(not _is_pronoun(t) and _key(t) in ptext for t in ents.forms[i])}
        mentioned.append(inside & set(names))
    negatives: dict[tuple, None] = {}
    for p in doc["passages"]:
        annotated = {ents.entity_of[m] for _prop, s, o in p["facts"] for m in (s, o) if ents.entity_of.get(m) in names}
        for prop in sorted(p["props"] & set(MAPPED)):
            pred = MAPPED[prop][0]
            s_types, o_types = _SIGNATURES[pred]
            for si in sorted(annotated):
                for oi in sorted(annotated):
                    if si == oi or types[si] not in s_types or types[oi] not in o_types:
                        continue
                    if (si, pred, oi) in relations:
                        continue
                    if pred == "worksFor" and (si, "leads", oi) in relations:
                        continue
                    if any(si in m and oi in m and prop not in q["props"] for m, q in zip(mentioned, doc["passages"])):
                        counts[f"negative_unsure:{pred}"] += 1
                        continue
                    negatives[(si, pred, oi)] = None

    record = {
        "id": f"kn-{doc['id']}",
        "source": "knowledgenet",
        "fold": doc["fold"],
        "text": text,
        "entities": entities,
        "relations": [{"subject": names[s], "predicate": pred, "object": names[o]} for s, pred, o in relations],
    }
    if negatives:
        record["negatives"] = [{"subject": names[s], "predicate": pred, "object": names[o]} for s, pred, o in negatives]
    return record


def load_passages(path: str | Path, folds: set[int], *, counts: Counter | None = None) -> list[dict]:
    """Return the KnowledgeNet documents of ``folds`` as training records in the gold format.

    See the module docstring for the rules (one record per document, entity types,
    relations, negatives). Documents come in file order; a document with no entity of
    ours still gives a record (its ``relations`` are empty).

    Args:
        path: the KnowledgeNet JSON Lines file (e.g. the shared
            ``knowledgenet-folds1-3.jsonl``).
        folds: the folds to convert, e.g. ``{1, 2}`` to train for a fold-3 test.
        counts: if given, updated with what was left out: ``unnamed_end:<predicate>``
            (a fact whose end is only a pronoun with no named antecedent),
            ``worksFor_dropped_for_leads``, ``negative_unsure:<predicate>`` (a pair also
            named in a passage not annotated for the property), ``entities_unnamed``,
            ``entities_same_name`` (two URIs with one name in a document, made one entity).

    Returns:
        One dict per document: ``id`` ("kn-<documentId>"), ``source``, ``fold``,
        ``text``, ``entities``, ``relations`` and, where there are some, ``negatives``.

    Raises:
        KnowledgeNetError: the file cannot be read, or a line is malformed (the message
            names the file and line).
    """
    counts = counts if counts is not None else Counter()
    folds = {int(f) for f in folds}
    # type votes per URI over every document read, for entities the document cannot type
    every = _read(path, folds)
    parsed = [(_Doc(d), d) for d in every]
    uri_votes: dict[str, Counter] = defaultdict(Counter)
    for ents, _d in parsed:
        for i, uri in enumerate(ents.uris):
            if uri:
                uri_votes[uri][PER] += ents.votes[i][PER]
                uri_votes[uri][ORG] += ents.votes[i][ORG]
    return [_build(d, ents, uri_votes, counts) for ents, d in parsed]


def summarize(records: list[dict]) -> dict[int, dict[str, dict[str, int]]]:
    """Count relations and negatives per fold and predicate.

    Args:
        records: output of :func:`load_passages`.

    Returns:
        ``{fold: {"documents": {"all": n}, predicate: {"relations": n, "negatives": n}}}``.
    """
    out: dict[int, dict[str, dict[str, int]]] = {}
    for r in records:
        f = out.setdefault(r["fold"], {"documents": {"all": 0}})
        f["documents"]["all"] += 1
        for kind in ("relations", "negatives"):
            for rel in r.get(kind, ()):
                c = f.setdefault(rel["predicate"], {"relations": 0, "negatives": 0})
                c[kind] += 1
    return out
