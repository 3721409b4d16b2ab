"""What a network page shows: :class:`View`, :func:`build_view` and :func:`view_from_store`.

The selection (focus and depth, or the most central entities), the nodes and edges
dressed for the browser (sizes, colours, communities, evidence, state), and the
projection of the store with the page's filters.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from kg.analytics import FAMILIES, centrality, find_node, to_networkx
from kg.errors import NotFoundError
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES
from kg.namespaces import ENTITY
from kg.store import Store
from kg.timeline import parse_day
from kg.viz.evidence import _iso, _load_evidence
from kg.viz.layout import cached_layout
from kg.viz.style import (
    COMMUNITY_COLORS,
    ENDED_COLOR,
    ENDED_DASHES,
    LABEL_SIZE,
    NODE_SIZE,
    PREDICATE_COLOR,
    SMALL_COMMUNITY_COLOR,
    TYPE_STYLE,
    _edge_title,
    _node_color,
    _node_title,
)

log = logging.getLogger("kg.viz")

#: The most entities a page carries (``aikg viz --limit``).
DEFAULT_LIMIT = 300
#: The size of the first view: a page opens on its this many most central entities
#: (the served /graph sends no more unless asked; "show all" reveals the rest).
FIRST_VIEW = 120
#: Above this many nodes the layout is computed here; 0: always (the default, so a page
#: is drawn still, in the same place every time).
DEFAULT_LAYOUT_THRESHOLD = 0


@dataclass
class View:
    """What one page shows: the selected nodes and edges, ready for the browser.

    ``nodes`` carry ``id``, ``label``, ``type``, ``slug``, ``wikidata``, ``aliases``,
    ``degree``, ``pagerank``, ``size`` and ``font`` (by degree), ``title`` (the hover
    text) and, when the layout was computed here, ``x``/``y``.
    ``edges`` carry ``id``, ``from``, ``to``, ``predicate``, ``family``, ``symmetric``,
    ``sources``, ``first``, ``last``, ``confidence``, ``hedged``, ``ended``,
    ``start_date``, ``end_date``, ``changes`` (the relation's changes of state,
    ``[claim day, ended]``, oldest first: what the as-of slider replays), ``evidence``
    (dicts ``sentence``, ``title``, ``url``, ``date``, ``confidence``, ``hedged`` and the
    statement's time and amount fields) and ``weaker`` (how many of its statements fall
    below ``min_confidence`` and are not shown).

    ``nodes`` are ordered most central first, and the page opens on the first ``first``
    of them (the first view); nodes also carry ``community`` (an index, biggest first),
    ``type_color`` and ``community_color`` for the page's colour switch.
    """

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    total_entities: int
    focus: str | None = None
    depth: int = 1
    physics: bool = True
    notes: list[str] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict[str, Any])
    first: int = 0

    @property
    def legend(self) -> dict[str, Any]:
        """Return the colour/shape keys: ``types``, ``predicates``, ``communities`` and ``ended``."""
        return {
            "types": [{"type": t, "color": TYPE_STYLE[t][0], "shape": TYPE_STYLE[t][1]} for t in ENTITY_TYPES],
            "predicates": [
                {
                    "predicate": p,
                    "color": PREDICATE_COLOR[p],
                    "family": FAMILIES[p],
                    "symmetric": p in SYMMETRIC_PREDICATES,
                }
                for p in PREDICATES
            ],
            "ended": {"color": ENDED_COLOR, "dashes": ENDED_DASHES},
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON the page embeds."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "total_entities": self.total_entities,
            "focus": self.focus,
            "depth": self.depth,
            "physics": self.physics,
            "first": self.first,
            "notes": self.notes,
            "filters": self.filters,
            "legend": self.legend,
        }


def build_view(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    limit: int = DEFAULT_LIMIT,
    store: Store | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    as_of: date | None = None,
    min_confidence: float = 0.0,
    max_evidence: int = 5,
    layout_threshold: int = DEFAULT_LAYOUT_THRESHOLD,
    seed: int = 42,
    filters: Mapping[str, Any] | None = None,
    first_view: int = FIRST_VIEW,
) -> View:
    """Select what to draw from a projected graph and dress it for the page.

    Args:
        G: a graph from :func:`kg.analytics.to_networkx` (already filtered).
        focus: an entity (IRI, slug, label, alias or Wikidata id) to centre on; its
            ego network of ``depth`` is drawn.
        depth: how many relations away from the focus to go.
        limit: the most entities drawn; beyond it the most central (PageRank) are kept.
        store: where to read the evidence sentences from; None draws without evidence.
        since: evidence from articles dated on or after this day only.
        until: evidence from articles dated on or before this day only.
        as_of: evidence whose claim day is this day or earlier only (the day ``G`` was
            projected as of); the edges' changes of state are read from the same.
        min_confidence: evidence at least this confident only (a statement without a
            confidence counts as 1.0); each edge counts the others in ``weaker``.
        max_evidence: sentences kept per edge, most confident first.
        layout_threshold: above this many nodes the layout is computed here (cached,
            :func:`cached_layout`) and the browser's physics is off; the default 0
            always lays out here.
        seed: the layout's random seed, so a page looks the same every time.
        filters: the parameters the view was made with, echoed into the page's form.
        first_view: without a focus, the page opens on this many of the most central
            entities (``View.first``); the others wait for "show all".

    Returns:
        The view.

    Raises:
        NotFoundError: the focus is not in the graph.
    """
    limit = max(1, int(limit))
    total = G.number_of_nodes()
    # Sizes and the choice of the most central entities count the relations that hold.
    active = nx.subgraph_view(G, filter_edge=lambda u, v, k: not G.edges[u, v, k].get("ended"))
    scores = {d["id"]: d["score"] for d in centrality(active, "pagerank", top=0)}
    notes: list[str] = []
    center = None
    if focus:
        center = find_node(G, focus)
        keep = set(nx.ego_graph(G, center, radius=max(0, depth), undirected=True))
        if len(keep) > limit:
            ranked = sorted(keep - {center}, key=lambda n: (-scores.get(n, 0.0), n))
            notes.append(
                f"showing {limit:,} of {len(keep):,} entities within {depth} of "
                f"{G.nodes[center].get('label', center)}, the most central"
            )
            keep = {center, *ranked[: limit - 1]}
    elif total > limit:
        ranked = sorted(G, key=lambda n: (-scores.get(n, 0.0), n))
        keep = set(ranked[:limit])
        notes.append(f"showing {limit:,} of {total:,} entities, the most central")
    else:
        keep = set(G)
    # A subgraph view is slow to walk; the whole graph needs none.
    sub = G if len(keep) == total else G.subgraph(keep)
    order = sorted(sub, key=lambda n: (-scores.get(n, 0.0), n))
    # The first view: the most central entities (all of an ego network).
    first = len(order) if center is not None else min(len(order), max(1, int(first_view)))

    physics = sub.number_of_nodes() <= layout_threshold
    positions: dict[str, tuple[float, float]] = {}
    if not physics:
        # The first view is laid out alone, then the rest around it with the first view
        # held still: "show all" adds entities without moving the ones on screen.
        core = sub if first == len(order) else sub.subgraph(order[:first])
        positions, scale = cached_layout(core, seed=seed)
        if first < len(order):
            positions, _ = cached_layout(sub, seed=seed, fixed=positions, scale=scale)
    groups = _communities(sub, seed)

    degrees = {n: G.degree(n) for n in sub}
    # The evidence behind an entity: the sources (articles) of its relations, added up.
    evidence = {n: 0 for n in sub}
    for a, b, d in G.edges(data=True):
        w = int(d.get("sources") or 1)
        if a in evidence:
            evidence[a] += w
        if b in evidence and b != a:
            evidence[b] += w
    top_evidence = max(evidence.values(), default=0) or 1
    top_degree = max(degrees.values(), default=0) or 1
    nodes = []
    for n in order:
        d = sub.nodes[n]
        etype = d.get("type")
        color, shape = TYPE_STYLE.get(etype, TYPE_STYLE[None])
        group = groups.get(n, -1)
        group_color = COMMUNITY_COLORS[group] if 0 <= group < len(COMMUNITY_COLORS) else SMALL_COMMUNITY_COLOR
        degree = degrees[n]
        weight = math.sqrt(degree / top_degree)
        label = d.get("label") or n.rsplit("/", 1)[-1]
        aliases = list(d.get("aliases") or [])
        node = {
            "id": n,
            "label": label,
            "shape": shape,
            "color": _node_color(color),
            "title": _node_title(label, etype, aliases, d.get("wikidata"), degree),
            "size": round(NODE_SIZE[0] + (NODE_SIZE[1] - NODE_SIZE[0]) * weight, 2),
            "font": {"size": round(LABEL_SIZE[0] + (LABEL_SIZE[1] - LABEL_SIZE[0]) * weight, 1)},
            "sources": evidence[n],
            "size_sources": round(
                NODE_SIZE[0] + (NODE_SIZE[1] - NODE_SIZE[0]) * math.sqrt(evidence[n] / top_evidence), 2
            ),
            "type": etype,
            "slug": n.removeprefix(ENTITY) if n.startswith(ENTITY) else None,
            "wikidata": d.get("wikidata"),
            "aliases": aliases,
            "degree": degree,
            "pagerank": round(scores.get(n, 0.0), 6),
            "community": group,
            "type_color": color,
            "community_color": group_color,
        }
        if n in positions:
            node["x"], node["y"] = positions[n]
        nodes.append(node)

    edges_in = sorted(sub.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))
    edge_evidence = (
        _load_evidence(
            store, keep, since=since, until=until, as_of=as_of, min_confidence=min_confidence, per_edge=max_evidence
        )
        if store is not None and edges_in
        else {}
    )
    # Relations between the same two entities are drawn as curves bent apart, so each
    # can be seen, hovered and clicked on its own.
    pairs: dict[frozenset[Any], list[int]] = {}
    for i, (s, o, _key, _d) in enumerate(edges_in):
        pairs.setdefault(frozenset((s, o)), []).append(i)
    bend: dict[int, dict[str, Any]] = {}
    for members in pairs.values():
        if len(members) > 1:
            for rank, i in enumerate(members):
                s = edges_in[i][0]
                # The same side for each rank, whichever way the edge points.
                side = "curvedCW" if rank % 2 == 0 else "curvedCCW"
                if s > edges_in[i][1]:
                    side = "curvedCCW" if side == "curvedCW" else "curvedCW"
                bend[i] = {"enabled": True, "type": side, "roundness": round(0.2 * (rank // 2 + 1), 2)}
    edges = []
    for i, (s, o, key, d) in enumerate(edges_in):
        pred = d.get("predicate", key)
        family = d.get("family") or FAMILIES.get(pred, "structure")
        symmetric = bool(d.get("symmetric", pred in SYMMETRIC_PREDICATES))
        sources = int(d.get("sources") or 1)
        ended = bool(d.get("ended"))
        color = ENDED_COLOR if ended else PREDICATE_COLOR.get(pred, ENDED_COLOR)
        found = edge_evidence.get((s, pred, o), ([], 0, []))
        edge = {
            "id": f"e{i}",
            "from": s,
            "to": o,
            "label": pred,
            "color": {"color": color, "highlight": color, "hover": color},
            "width": round(min(1 + 1.5 * math.log2(sources), 8), 2),
            "dashes": list(ENDED_DASHES) if ended else bool(d.get("hedged")),
            "title": _edge_title(sub.nodes[s].get("label", s), pred, sub.nodes[o].get("label", o), d),
            "predicate": pred,
            "family": family,
            "symmetric": symmetric,
            "sources": sources,
            "first": d.get("first"),
            "last": d.get("last"),
            "confidence": d.get("confidence"),
            "hedged": bool(d.get("hedged")),
            "ended": ended,
            "start_date": d.get("start_date"),
            "end_date": d.get("end_date"),
            "arrows": {"to": {"enabled": not symmetric, "scaleFactor": 0.6}},
            "evidence": found[0],
            "weaker": found[1],
            "changes": found[2],
        }
        if i in bend:
            edge["smooth"] = bend[i]
        edges.append(edge)

    log.debug(
        "view: %d of %d entities, %d relations, %s layout",
        len(nodes),
        total,
        len(edges),
        "browser" if physics else "server",
    )
    return View(
        nodes=nodes,
        edges=edges,
        total_entities=total,
        focus=center,
        depth=depth,
        physics=physics,
        notes=notes,
        filters=dict(filters or {}),
        first=first,
    )


def _communities(G: nx.MultiDiGraph, seed: int) -> dict[str, int]:
    """Return node -> community index (Louvain, biggest first); -1 for one or two entities."""
    if G.number_of_nodes() == 0:
        return {}
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        if u != v:
            w = int(d.get("sources") or 1)
            U.add_edge(u, v, weight=U.get_edge_data(u, v, {"weight": 0})["weight"] + w)
    parts = nx.community.louvain_communities(U, weight="weight", seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(c)))
    return {n: (i if len(part) > 2 else -1) for i, part in enumerate(parts) for n in part}


def view_from_store(
    store: Store,
    *,
    focus: str | None = None,
    depth: int = 1,
    predicates: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    as_of: date | str | None = None,
    min_confidence: float = 0.0,
    min_sources: int = 1,
    limit: int = DEFAULT_LIMIT,
    layout_threshold: int = DEFAULT_LAYOUT_THRESHOLD,
    show_ended: bool = True,
    first_view: int = FIRST_VIEW,
) -> View:
    """Project the store with the filters and build the view, evidence included.

    A focus that names nothing in the graph is dropped with a note on the page rather
    than failing, so a mistyped name still shows the graph.

    Args:
        store: the store to read.
        focus: the entity to centre on (name, alias, slug, Wikidata id or IRI).
        depth: relations away from the focus.
        predicates: keep only these predicates.
        types: keep only entities of these types.
        since: keep evidence from articles published on or after this day.
        until: keep evidence from articles published on or before this day.
        as_of: the graph as it stood on this day (docs/TIME.md): relations by the claim
            days of their statements, the ones over by then flagged ``ended``.
        min_confidence: keep evidence at least this confident.
        min_sources: keep edges supported by this many articles.
        limit: the most entities drawn.
        layout_threshold: above this many nodes the layout is computed on the server.
        show_ended: the page's "show ended relations" box starts ticked. Ended relations
            are in the page either way, so the box shows and hides them at once.
        first_view: the size of the first view (see :func:`build_view`).

    Returns:
        The view.

    Raises:
        ValueError: an unknown predicate or type, or a malformed date.
    """
    preds = _split(predicates)
    kinds = _split(types)
    start, end = parse_day(since, "since", last=False), parse_day(until, "until")
    cutoff = parse_day(as_of, "as_of")
    G = to_networkx(
        store,
        predicates=preds,
        types=kinds,
        since=start,
        until=end,
        as_of=cutoff,
        min_confidence=min_confidence,
        min_sources=min_sources,
        include_ended=True,
    )
    filters = {
        "focus": focus or "",
        "depth": depth,
        "predicates": preds or [],
        "types": kinds or [],
        "since": _iso(since),
        "until": _iso(until),
        "as_of": _iso(cutoff),
        "min_confidence": min_confidence,
        "min_sources": min_sources,
        "limit": limit,
        "include_ended": bool(show_ended),
    }
    # The evidence shown obeys the same dates as the edges ("2023" means the whole year).
    kw: dict[str, Any] = dict(
        depth=depth,
        limit=limit,
        store=store,
        since=start,
        until=end,
        as_of=cutoff,
        min_confidence=min_confidence,
        layout_threshold=layout_threshold,
        filters=filters,
        first_view=first_view,
    )
    if focus:
        try:
            return build_view(G, focus=focus, **kw)
        except NotFoundError:
            from kg.analytics import resolve_entity

            iri = resolve_entity(store, focus)
            if iri and iri in G:
                return build_view(G, focus=iri, **kw)
            view = build_view(G, **kw)
            view.notes.insert(0, f"no entity named {focus!r} in this graph; showing the whole graph")
            return view
    return build_view(G, **kw)


def _split(values: Iterable[str] | str | None) -> list[str] | None:
    """Return a list from repeated and/or comma-separated values; None when empty."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    out = [v.strip() for item in values for v in str(item).split(",") if v.strip()]
    return out or None
