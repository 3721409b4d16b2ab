"""Hand-made extractions for store tests: the real mapping and store, no spaCy."""

from __future__ import annotations

from kg.model import Entity, Extraction, RelationMention

MS = Entity("Microsoft", "Organization", "Q2283", ("Microsoft Corp.",))
OA = Entity("OpenAI", "Organization", "Q21708200")
NV = Entity("Nvidia", "Organization", "Q182477")

INVESTS = "https://w3id.org/aikg/ontology#investsIn"


def fake_extract(table, confidence: float = 0.9):
    """Return an extract function yielding the (subject, predicate, object) listed per article url."""

    def extract(batch):
        for a in batch:
            rels = tuple(
                RelationMention(s, p, o, confidence, a.text, 0, len(a.text)) for s, p, o in table.get(a.url, ())
            )
            ents = tuple({e.name: e for r in rels for e in (r.subject, r.object)}.values())
            yield Extraction(a, ents, rels, "test/1")

    return extract


def investors(store):
    """Return (investor slug, target slug) pairs of the union graph, sorted."""
    rows = store.query(f"SELECT ?s ?o WHERE {{ ?s <{INVESTS}> ?o }} ORDER BY ?s ?o")
    return [(r["s"].value.rsplit("/", 1)[1], r["o"].value.rsplit("/", 1)[1]) for r in rows]
