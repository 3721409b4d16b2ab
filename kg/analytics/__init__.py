"""Project the graph's relations onto networkx and measure it.

``to_networkx`` reads the statement nodes (one per mention) and folds them into one edge
per (subject, predicate, object), so every filter applies to the evidence, not to the
already-merged triple: ``since``/``until`` keep the statements of articles published in
that span, and ``first``/``last``/``sources`` count only those articles. ``as_of`` is
the graph as it stood on a day, by the time rule of :mod:`kg.timeline`: a relation
joined in 2019 and left in 2024 is active as of 2020 and ended as of 2025, whenever the
articles that say so were published.

The measures (centrality, communities, paths) run on the undirected simple projection:
an industry graph's direction says who invests in whom, not who matters, and symmetric
predicates are stored in one direction only.

The package: :mod:`kg.analytics.projection` (the projection), :mod:`kg.analytics.measures`
(the measures), :mod:`kg.analytics.resolve` (finding an entity by name). Every name is
importable from ``kg.analytics``.
"""

from __future__ import annotations

from kg.analytics.measures import MEASURES, centrality, communities, ego_graph, shortest_path, top_entities
from kg.analytics.projection import FAMILIES, to_networkx
from kg.analytics.resolve import find_node, resolve_entity

__all__ = [
    "FAMILIES",
    "MEASURES",
    "to_networkx",
    "centrality",
    "communities",
    "find_node",
    "shortest_path",
    "ego_graph",
    "top_entities",
    "resolve_entity",
]
