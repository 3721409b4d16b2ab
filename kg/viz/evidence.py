"""The evidence of a network page: the sentences, sources and time of each edge.

Read from the store in two steps (the page's statements, then their details) and
filtered by the page's dates and confidence (:func:`_load_evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import pyoxigraph as ox

from kg.namespaces import DCTERMS, ONTOLOGY, PROV, RDF, SCHEMA, XSD
from kg.store import Store, term_sparql
from kg.timeline import changes as state_changes
from kg.timeline import claim_day, in_view

# The evidence of a page is read in two steps. The first finds the statements whose
# subject is on the page and keeps, here, those whose object is too; the second reads
# their sentences, sources and time for those statements alone. Read in one query, the
# optional reads ran for every statement of the page's hubs, most of which lead off the
# page (300 entities: 48,000 statements read for 3,700 kept, four times as long).
_STATEMENTS = f"""
PREFIX aikg: <{ONTOLOGY}>
PREFIX rdf: <{RDF}>
SELECT ?st ?s ?o WHERE {{
  VALUES ?s {{ {{subjects}} }}
  ?st a aikg:RelationStatement ; rdf:subject ?s ; rdf:object ?o .
}}
"""
# The second step names the statements, or, for statements that are blank nodes (RDF
# loaded from elsewhere; VALUES cannot name them), their subjects.
_BY_STATEMENT = "VALUES ?st {{ {} }}\n  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ."
_BY_SUBJECT = (
    "VALUES ?s {{ {} }}\n  ?st a aikg:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; "
    "rdf:object ?o .\n  FILTER(isBlank(?st))"
)

_EVIDENCE = f"""
PREFIX aikg: <{ONTOLOGY}>
PREFIX rdf: <{RDF}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCTERMS}>
PREFIX schema: <{SCHEMA}>
SELECT ?st ?s ?p ?o ?sentence ?c ?h ?d ?title ?url ?art ?ended ?stated ?startDate ?endDate ?dateText
       ?amount ?amountValue ?currency ?stake ?reviewed WHERE {{
  {{statements}}
  OPTIONAL {{ ?st aikg:evidence ?sentence }}
  OPTIONAL {{ ?st aikg:confidence ?c }}
  OPTIONAL {{ ?st aikg:reviewed ?reviewed }}
  OPTIONAL {{ ?st aikg:hedged ?h }}
  OPTIONAL {{ ?st dcterms:date ?d }}
  OPTIONAL {{ ?st aikg:ended ?ended }}
  OPTIONAL {{ ?st aikg:statedDate ?stated }}
  OPTIONAL {{ ?st aikg:startDate ?startDate }}
  OPTIONAL {{ ?st aikg:endDate ?endDate }}
  OPTIONAL {{ ?st aikg:dateText ?dateText }}
  OPTIONAL {{ ?st aikg:amount ?amount }}
  OPTIONAL {{ ?st aikg:amountValue ?amountValue }}
  OPTIONAL {{ ?st aikg:currency ?currency }}
  OPTIONAL {{ ?st aikg:stakePercent ?stake }}
  OPTIONAL {{ ?st prov:wasDerivedFrom ?art .
             OPTIONAL {{ ?art dcterms:title ?title }} OPTIONAL {{ ?art schema:url ?url }} }}
  {{filters}}
}}
"""

_SAFE_URL = re.compile(r"^https?://", re.I)


def _text(row: ox.QuerySolution, name: str) -> str | None:
    term = row[name]
    return term.value if term is not None else None


def _number(row: ox.QuerySolution, name: str) -> float | None:
    term = row[name]
    try:
        return float(term.value) if term is not None else None
    except ValueError:
        return None


def _values(iris: Iterable[str], size: int = 500) -> Iterator[str]:
    """Yield the IRIs, sorted, as the bodies of VALUES blocks of ``size`` terms.

    Chunks keep each VALUES block a reasonable size on a 5,000-node page.
    """
    ordered = sorted(iris)
    for i in range(0, len(ordered), size):
        yield " ".join(term_sparql(ox.NamedNode(n)) for n in ordered[i : i + size])


def _load_evidence(
    store: Store,
    nodes: Iterable[str],
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    as_of: date | None = None,
    min_confidence: float = 0.0,
    per_edge: int = 5,
) -> dict[tuple[str, str, str], tuple[list[dict[str, Any]], int, list[list[Any]]]]:
    """Return (subject, predicate, object) -> (evidence dicts, most confident first; weaker; changes).

    The evidence holds up to ``per_edge`` statements at or above ``min_confidence`` (one
    without a confidence counts as 1.0); ``weaker`` counts the statements below it.
    ``since``/``until`` keep the statements of articles published in that span, ``as_of``
    the statements whose claim day is that day or earlier, as the projection does; the
    changes of state (:func:`kg.timeline.changes`) are read from the statements kept.
    """
    nodes = sorted(nodes)
    keep = set(nodes)
    filters = []
    date_type = ox.NamedNode(XSD + "date")
    if since:
        filters.append(f"BOUND(?d) && ?d >= {term_sparql(ox.Literal(_iso(since)[:10], datatype=date_type))}")
    if until:
        filters.append(f"BOUND(?d) && ?d <= {term_sparql(ox.Literal(_iso(until)[:10], datatype=date_type))}")
    where = f"FILTER({' && '.join(f'({f})' for f in filters)})" if filters else ""
    floor = float(min_confidence)
    found: dict[tuple[str, str, str], dict[tuple[Any, ...], tuple[dict[str, Any], bool]]] = {}
    events: dict[tuple[str, str, str], set[tuple[str | None, bool]]] = {}
    named: set[str] = set()
    blank: set[str] = set()
    for chunk in _values(nodes):
        for row in store.select(_STATEMENTS.replace("{subjects}", chunk)):
            if row["o"].value in keep:
                if isinstance(row["st"], ox.NamedNode):
                    named.add(row["st"].value)
                else:
                    blank.add(row["s"].value)
    steps = [_BY_STATEMENT.format(chunk) for chunk in _values(named)]
    steps += [_BY_SUBJECT.format(chunk) for chunk in _values(blank)]
    for step in steps:
        for row in store.select(_EVIDENCE.replace("{statements}", step).replace("{filters}", where)):
            o = row["o"].value
            if o not in keep or row["s"].value not in keep:
                continue
            published = row["d"].value[:10] if row["d"] is not None else None
            ended = _text(row, "ended") == "true"
            stated, start, end = _text(row, "stated"), _text(row, "startDate"), _text(row, "endDate")
            day = claim_day(ended, start, end, stated, published)
            if not in_view(day, as_of):
                continue
            key = (row["s"].value, row["p"].value.removeprefix(ONTOLOGY), o)
            sentence = _text(row, "sentence") or ""
            art = _text(row, "art") or ""
            url = _text(row, "url")
            item = {
                "sentence": sentence,
                "title": _text(row, "title"),
                "url": url if url and _SAFE_URL.match(url) else None,
                "date": published,
                "confidence": round(float(row["c"].value), 3) if row["c"] is not None else None,
                "hedged": _text(row, "h") == "true",
                "ended": ended,
                "stated_date": stated,
                "date_text": _text(row, "dateText"),
                "start_date": start,
                "end_date": end,
                "claim_date": day,
                "amount": _text(row, "amount"),
                "amount_value": _number(row, "amountValue"),
                "amount_currency": _text(row, "currency"),
                "stake_percent": _number(row, "stake"),
            }
            # Compared unrounded, as the projection's filter compares it.
            strong = (
                row["c"] is None
                or float(row["c"].value) >= floor
                or (row["reviewed"] is not None and row["reviewed"].value == "true")
            )
            found.setdefault(key, {})[(sentence, art)] = (item, strong)
            if strong:
                events.setdefault(key, set()).add((day, ended))
    out = {}
    for key, items in found.items():
        kept = [item for item, strong in items.values() if strong]
        ranked = sorted(kept, key=lambda e: (-(e["confidence"] or 0.0), e["date"] or "", e["sentence"]))
        out[key] = (ranked[:per_edge], len(items) - len(kept), state_changes(events.get(key, ())))
    return out


def _iso(value: date | str | None) -> str:
    return value.isoformat() if isinstance(value, date) else (value or "")
