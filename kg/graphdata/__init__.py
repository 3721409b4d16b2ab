"""Reads of the graph shaped for the REST API and pages, and ingest with a per-article report.

The HTTP layer (api/) only maps requests to these functions and their results to JSON;
the SPARQL lives here, in the library. Every value a user sends reaches SPARQL as a
bound term (``substitutions``); the only text formatted into queries is LIMIT/OFFSET
integers the callers already validated. Relation-level figures (sources, first/last
dates) come from the statement nodes, like :func:`kg.analytics.to_networkx`, so the
REST API and the analytics agree; so do their states on a day (``as_of``), both decided
by the time rule of :mod:`kg.timeline`.

The package: :mod:`kg.graphdata.records` (row readers and reference shapes),
:mod:`kg.graphdata.articles` (articles and ingest), :mod:`kg.graphdata.entities`
(entities and relations). Every name is importable from ``kg.graphdata``.
"""

from __future__ import annotations

from kg.graphdata.articles import (
    IngestStopped,
    count_articles,
    get_article,
    ingest_articles,
    list_articles,
    mentions,
    resolve_article,
)
from kg.graphdata.entities import (
    _describe,
    _props_of,
    entity_iri_for,
    get_entity,
    node_ref,
    relations_from_graph,
    search_entities,
)
from kg.graphdata.records import local, ref, time_fields

__all__ = [
    "time_fields",
    "ref",
    "local",
    "count_articles",
    "list_articles",
    "resolve_article",
    "mentions",
    "get_article",
    "IngestStopped",
    "ingest_articles",
    "_props_of",
    "_describe",
    "search_entities",
    "entity_iri_for",
    "get_entity",
    "node_ref",
    "relations_from_graph",
]
