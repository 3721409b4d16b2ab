"""The networkx projection of the graph's relations (:func:`to_networkx`).

One edge per (subject, predicate, object), folded from the statement nodes with the
filters applied to the evidence, the time rule of :mod:`kg.timeline` for ``as_of``,
and the entities' labels, types, Wikidata ids and aliases as node attributes.
Also the predicate families (:data:`FAMILIES`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES
from kg.namespaces import DCTERMS, ENTITY, ONTOLOGY, OWL, PROV, RDF, RDFS, SKOS, WD, XSD
from kg.store import Store, term_sparql
from kg.timeline import claim_day_sparql, parse_day

log = logging.getLogger("kg.analytics")


FAMILIES: dict[str, str] = {
    "partnersWith": "cooperation",
    "investsIn": "cooperation",
    "suppliesTo": "cooperation",
    "uses": "cooperation",
    "competesWith": "conflict",
    "disputesWith": "conflict",
    "sues": "conflict",
    "subsidiaryOf": "structure",
    "acquires": "structure",
    "founded": "structure",
    "leads": "structure",
    "worksFor": "structure",
    "develops": "structure",
}


_XSD_DATE = ox.NamedNode(XSD + "date")

_PREFIXES = (
    f"PREFIX aikg: <{ONTOLOGY}>\nPREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\n"
    f"PREFIX skos: <{SKOS}>\nPREFIX owl: <{OWL}>\nPREFIX prov: <{PROV}>\n"
    f"PREFIX dcterms: <{DCTERMS}>\nPREFIX xsd: <{XSD}>\n"
)

# The filters are typed values (dates, a float, predicate names checked against the
# vocabulary) written as terms by pyoxigraph, never user text.
#
# The time rule (kg.timeline, docs/TIME.md) is applied in the aggregate: every statement
# gets its claim day and a sort key "<claim day> <0 open|1 ended>"; the greatest key of a
# relation is its deciding statement (a space sorts before "-" and digits, so "2023 1" <
# "2023-06-01 0": string order of the days first, an ended statement winning a tie; an
# undated statement's key " 0" is below every dated one).
_EDGES = (
    _PREFIXES
    + """
SELECT ?s ?p ?o (COUNT(DISTINCT ?art) AS ?sources) (COUNT(?st) AS ?mentions)
       (MIN(?dmin) AS ?first) (MAX(?dmax) AS ?last) (MAX(?cmax) AS ?confidence)
       (SUM(IF(COALESCE(?h, false), 0, 1)) AS ?plain)
       (MAX(?key) AS ?latest) (MIN(?openDay) AS ?start)
WHERE {{
  VALUES ?p {{ {predicates} }}
  ?st a aikg:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL {{ ?st prov:wasDerivedFrom ?art }}
  OPTIONAL {{ ?st dcterms:date ?d }}
  OPTIONAL {{ ?st aikg:confidence ?c }}
  OPTIONAL {{ ?st aikg:hedged ?h }}
  OPTIONAL {{ ?st aikg:ended ?e }}
  OPTIONAL {{ ?st aikg:statedDate ?statedDate }}
  OPTIONAL {{ ?st aikg:startDate ?startDate }}
  OPTIONAL {{ ?st aikg:endDate ?endDate }}
  BIND(COALESCE(?e, false) AS ?ended)
  BIND({claim} AS ?claim)
  {filters}
  # MIN/MAX over a group with an unbound value are unbound: undated (or unscored)
  # mentions get sentinels that never win, so an edge keeps its dated sources' dates.
  BIND(COALESCE(STR(?d), "9999-12-31~") AS ?dmin)
  BIND(COALESCE(STR(?d), "") AS ?dmax)
  BIND(COALESCE(?c, -1.0) AS ?cmax)
  BIND(CONCAT(COALESCE(?claim, ""), IF(?ended, " 1", " 0")) AS ?key)
  BIND(IF(!?ended && BOUND(?claim), ?claim, "~") AS ?openDay)
}}
GROUP BY ?s ?p ?o
"""
)

_NODES = (
    _PREFIXES
    + """
SELECT ?e ?k ?v WHERE {{
  VALUES ?k {{ rdf:type rdfs:label skos:prefLabel skos:altLabel owl:sameAs }}
  {restrict}
  ?e ?k ?v .
  FILTER(STRSTARTS(STR(?e), "{entity}"))
}}
"""
)
# Up to this many endpoints are named in the node query; above it one scan of all
# entities is cheaper than a long VALUES block.
_NODES_VALUES_MAX = 2000


def _as_date(value: date | datetime | str | None, name: str) -> date | None:
    return parse_day(value, name, last=name != "since")


def _check_names(values: Iterable[str] | None, valid: tuple[str, ...], what: str) -> list[str] | None:
    if values is None:
        return None
    values = [values] if isinstance(values, str) else list(values)
    bad = [v for v in values if v not in valid]
    if bad:
        raise ValueError(f"unknown {what} {', '.join(map(repr, bad))}; use any of: {', '.join(valid)}")
    return values


def _date_literal(d: date) -> str:
    return term_sparql(ox.Literal(d.isoformat(), datatype=_XSD_DATE))


def to_networkx(
    store: Store,
    *,
    predicates: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    as_of: date | str | None = None,
    min_confidence: float = 0.0,
    min_sources: int = 1,
    include_hedged: bool = True,
    include_ended: bool | None = None,
) -> nx.MultiDiGraph:
    """Return the relations as a MultiDiGraph, one edge per (subject, predicate, object).

    Every filter applies to the statements before they are folded into edges, and the
    time rule (:mod:`kg.timeline`, docs/TIME.md) decides each edge's state over the
    statements that pass: the latest claim day wins, an ended statement winning a tie.

    Args:
        store: the store to read.
        predicates: keep only these predicates (local names); None keeps all.
        types: keep only entities of these types (and edges between them).
        since: keep mentions from articles published on or after this day.
        until: keep mentions from articles published on or before this day.
        as_of: the graph as it stood on this day: only statements whose claim day is
            this day or earlier count (undated ones cannot be placed and are left out),
            and an edge is ``ended`` when the latest of them states the relation over.
            A year or month (``2023``, ``2023-06``) means its last day.
        min_confidence: keep mentions at least this confident.
        min_sources: keep edges that this many distinct articles support.
        include_hedged: False drops hedged mentions ("reportedly", "in talks").
        include_ended: keep the edges that are ended (flagged ``ended``); None, the
            default, keeps them without ``as_of`` (the history, ended edges flagged) and
            drops them with it (the graph as of a day is its active relations, what
            centrality and communities should count).

    Returns:
        Nodes keyed by entity IRI with ``label``, ``type``, ``wikidata``, ``aliases``;
        edges keyed by predicate with ``predicate``, ``family``, ``symmetric``,
        ``sources``, ``mentions``, ``first``, ``last`` (publication days of the kept
        mentions), ``confidence``, ``hedged``, ``ended``, ``start_date`` (the first claim
        day of its open statements) and ``end_date`` (the claim day of the ending that
        decides it; None unless ``ended``). Claim days keep their precision
        (``2019``, ``2019-06`` or ``2019-06-03``). A publication-date filter drops
        undated mentions (their date cannot be compared).

    Raises:
        ValueError: an unknown predicate or type, or a malformed date.
    """
    preds = _check_names(predicates, PREDICATES, "predicate") or list(PREDICATES)
    keep_types = _check_names(types, ENTITY_TYPES, "entity type")
    start = _as_date(since, "since")
    end = _as_date(until, "until")
    cutoff = _as_date(as_of, "as_of")
    if include_ended is None:
        include_ended = cutoff is None
    if min_sources < 1:
        min_sources = 1
    filters = []
    if start is not None:
        filters.append(f"BOUND(?d) && ?d >= {_date_literal(start)}")
    if end is not None:
        filters.append(f"BOUND(?d) && ?d <= {_date_literal(end)}")
    if cutoff is not None:
        filters.append(f"BOUND(?claim) && ?claim <= {term_sparql(ox.Literal(cutoff.isoformat()))}")
    if min_confidence > 0:
        # a statement a curator accepted (aikg:reviewed, kg.curation) passes any threshold
        filters.append(f"(COALESCE(?c, 1.0) >= {float(min_confidence)!r} || EXISTS {{ ?st aikg:reviewed true }})")
    if not include_hedged:
        filters.append("!COALESCE(?h, false)")
    sparql = _EDGES.format(
        predicates=" ".join(f"aikg:{p}" for p in preds),
        claim=claim_day_sparql(),
        filters=f"FILTER({' && '.join(f'({f})' for f in filters)})" if filters else "",
    )
    G = nx.MultiDiGraph()
    edges = []
    for row in store.select(sparql):
        sources = int(row["sources"].value)
        if sources < min_sources:
            continue
        latest = row["latest"].value if row["latest"] is not None else " 0"
        day, _, flag = latest.rpartition(" ")
        ended = flag == "1"
        if ended and not include_ended:
            continue
        first_open = row["start"].value if row["start"] is not None else "~"
        pred = row["p"].value.removeprefix(ONTOLOGY)
        edges.append(
            (
                row["s"].value,
                row["o"].value,
                pred,
                {
                    "predicate": pred,
                    "family": FAMILIES[pred],
                    "symmetric": pred in SYMMETRIC_PREDICATES,
                    "sources": sources,
                    "mentions": int(row["mentions"].value),
                    "first": _date_or_none(row["first"]),
                    "last": _date_or_none(row["last"]),
                    "confidence": _confidence_or_none(row["confidence"]),
                    "hedged": int(row["plain"].value) == 0,
                    "ended": ended,
                    "start_date": None if first_open == "~" else first_open,
                    "end_date": (day or None) if ended else None,
                },
            )
        )
    if not edges:
        return G
    nodes = _entity_info(store, {n for s, o, _, _ in edges for n in (s, o)})
    for s, o, pred, attrs in edges:
        for n in (s, o):
            if n not in G:
                G.add_node(n, **nodes.get(n, _fallback_info(n)))
        G.add_edge(s, o, key=pred, **attrs)
    if keep_types is not None:
        G.remove_nodes_from([n for n, t in G.nodes(data="type") if t not in keep_types])
        G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    log.debug("projected %d nodes, %d edges", G.number_of_nodes(), G.number_of_edges())
    return G


def _date_or_none(term: ox.Literal | None) -> str | None:
    value = term.value if term is not None else ""
    return value[:10] if value and not value.endswith("~") else None


def _confidence_or_none(term: ox.Literal | None) -> float | None:
    value = float(term.value) if term is not None else -1.0
    return value if value >= 0 else None


def _fallback_info(iri: str) -> dict[str, Any]:
    slug = iri.rsplit("/", 1)[-1]
    return {"label": slug, "type": None, "wikidata": None, "aliases": []}


def _entity_info(store: Store, iris: set[str]) -> dict[str, dict[str, Any]]:
    """Return IRI -> node attributes for these entities, in one query."""
    restrict = ""
    if len(iris) <= _NODES_VALUES_MAX:
        restrict = "VALUES ?e { " + " ".join(term_sparql(ox.NamedNode(i)) for i in sorted(iris)) + " }"
    raw: dict[str, dict[str, list[str]]] = {}
    for row in store.select(_NODES.format(restrict=restrict, entity=ENTITY)):
        key = row["k"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        raw.setdefault(row["e"].value, {}).setdefault(key, []).append(row["v"].value)
    info = {}
    for iri, props in raw.items():
        types = [t.removeprefix(ONTOLOGY) for t in props.get("type", []) if t.startswith(ONTOLOGY)]
        # An entity typed differently by two articles keeps the first type in the
        # vocabulary's order, so the projection is the same on every run.
        etype = next((t for t in ENTITY_TYPES if t in types), None)
        labels = sorted(set(props.get("label", []) + props.get("prefLabel", [])), key=lambda s: (len(s), s))
        label = labels[0] if labels else iri.rsplit("/", 1)[-1]
        same = sorted(v.removeprefix(WD) for v in props.get("sameAs", []) if v.startswith(WD))
        aliases = sorted(set(props.get("altLabel", []) + labels[1:]) - {label})
        info[iri] = {"label": label, "type": etype, "wikidata": same[0] if same else None, "aliases": aliases}
    return info
