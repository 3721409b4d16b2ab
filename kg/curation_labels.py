"""Curators' verdicts as training labels for the relation classifier.

``write_labels`` writes one JSON Lines record per evidence sentence that has an accepted
or rejected statement, in the gold format the trainer reads (``ingest.relations.dataset``):
``text`` (the sentence), ``entities`` (name, type, aliases), ``relations`` (the accepted
ones) and ``negatives`` (the rejected ones), plus ``id``, ``url``, ``published`` and a
``curation`` note naming the operations. The names are the ones the article used (its
own graph), so they can be found in the sentence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.curation import read_state
from kg.namespaces import ONTOLOGY, sparql_prologue
from kg.store import Store

_STATEMENTS = (
    sparql_prologue()
    + """
SELECT ?st ?s ?p ?o ?ev ?sl ?ol ?st_t ?ot ?url ?date WHERE {
  GRAPH ?g {
    ?st a aikg:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; aikg:evidence ?ev .
    OPTIONAL { ?s rdfs:label ?sl } OPTIONAL { ?o rdfs:label ?ol }
    OPTIONAL { ?s a ?st_t } OPTIONAL { ?o a ?ot }
    OPTIONAL { ?st prov:wasDerivedFrom ?a . OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a dcterms:issued ?date } }
  }
}
"""
)


def labelled_records(store: Store) -> list[dict[str, Any]]:
    """Return the gold-format records of every sentence with a curator's verdict."""
    state = read_state(store)
    if state.empty:
        return []
    by_sentence: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in store.select(_STATEMENTS):
        v = state.statement_verdict(row["st"], (row["s"], row["p"], row["o"]))
        if v is None or row["sl"] is None or row["ol"] is None:
            continue
        url = row["url"].value if row["url"] is not None else None
        key = (url, row["ev"].value)
        rec = by_sentence.setdefault(
            key,
            {
                "id": "curation-" + row["st"].value.rsplit("/", 1)[1],
                "url": url,
                "published": row["date"].value if row["date"] is not None else None,
                "text": row["ev"].value,
                "entities": {},
                "relations": [],
                "negatives": [],
                "curation": {"statements": []},
            },
        )
        for label, typ in ((row["sl"], row["st_t"]), (row["ol"], row["ot"])):
            rec["entities"].setdefault(
                label.value,
                {
                    "name": label.value,
                    "type": typ.value.removeprefix(ONTOLOGY) if typ is not None else "Organization",
                    "aliases": [],
                },
            )
        rel = {
            "subject": row["sl"].value,
            "predicate": row["p"].value.removeprefix(ONTOLOGY),
            "object": row["ol"].value,
        }
        target = rec["relations"] if v else rec["negatives"]
        if rel not in target:
            target.append(rel)
        rec["curation"]["statements"].append({"statement": row["st"].value, "verdict": "accepted" if v else "rejected"})
    out = []
    for rec in by_sentence.values():
        rec["entities"] = list(rec["entities"].values())
        out.append(rec)
    out.sort(key=lambda r: r["id"])
    return out


def write_labels(store: Store, path: str | Path) -> dict[str, int]:
    """Write the labelled sentences to a JSON Lines file; return counts of accepted and rejected ones."""
    records = labelled_records(store)
    path = Path(path)
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {
        "accepted": sum(1 for r in records if r["relations"]),
        "rejected": sum(1 for r in records if r["negatives"] and not r["relations"]),
    }
