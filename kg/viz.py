"""The data of the interactive network page: selection, layout, evidence, JSON for its script.

This module decides what a page shows (:class:`View`, :func:`build_view`,
:func:`view_from_store`) and where it is drawn (:func:`spring_positions`); the page
itself (template, script, style) lives in ``api``: :func:`api.render.render_graph_page`
renders ``api/templates/graph.html`` for the served /graph page and, with everything
inlined, for the file ``aikg viz`` writes. Neither makes a request beyond its own server.

Every string that comes from the data (names, sentences, titles, URLs) is article text,
hence untrusted: it travels as JSON in a non-executable ``<script type=
"application/json">`` block, escaped by :func:`script_json` so it cannot close that
block, and the page's own JS writes it with ``textContent`` only. Labels are drawn on a
canvas.

Big graphs: without a focus the ``limit`` most central entities are kept, and above
``layout_threshold`` nodes the layout is computed here (a Fruchterman-Reingold pass in
numpy) and the browser's physics is off, so thousands of nodes draw in a second or two.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pyoxigraph as ox

from kg.analytics import FAMILIES, centrality, find_node, to_networkx
from kg.errors import NotFoundError
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES
from kg.namespaces import DCTERMS, ENTITY, ONTOLOGY, PROV, RDF, SCHEMA, XSD
from kg.store import Store, term_sparql
from kg.timeline import changes as state_changes
from kg.timeline import claim_day, in_view, parse_day

log = logging.getLogger(__name__)

#: colour and vis-network shape per entity type; None is an untyped entity.
TYPE_STYLE: dict[str | None, tuple[str, str]] = {
    "Organization": ("#4e79a7", "dot"),
    "Person": ("#f28e2b", "diamond"),
    "AIModel": ("#59a14f", "triangle"),
    "Product": ("#b07aa1", "square"),
    None: ("#9d9d9d", "dot"),
}

#: Edge colour per predicate: 13 colours that stay apart for the common colour-vision
#: deficiencies (Paul Tol's "muted" scheme and the Okabe-Ito colours), none of them the
#: ended grey. Families stay near each other: greens and blues cooperate, reds and purples
#: conflict, the rest are structure.
PREDICATE_COLOR: dict[str, str] = {
    "partnersWith": "#117733",  # green
    "investsIn": "#44aa99",  # teal
    "suppliesTo": "#999933",  # olive
    "uses": "#88ccee",  # cyan
    "competesWith": "#cc6677",  # rose
    "disputesWith": "#882255",  # wine
    "sues": "#d55e00",  # vermillion
    "subsidiaryOf": "#332288",  # indigo
    "acquires": "#aa4499",  # purple
    "founded": "#e69f00",  # orange
    "leads": "#0072b2",  # blue
    "worksFor": "#ddcc77",  # sand
    "develops": "#661100",  # brown
}
#: Node colours by community (the biggest first); communities past the palette, and
#: those of one or two entities, are grey.
COMMUNITY_COLORS = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#ee8866",
    "#44bb99",
    "#bbcc33",
    "#994455",
)
SMALL_COMMUNITY_COLOR = "#c8c8c8"
#: An ended relation (over by the day shown, docs/TIME.md): a pale grey in short dots,
#: whatever its predicate, apart from a hedged one's predicate colour in long dashes.
ENDED_COLOR = "#b8b8b8"
ENDED_DASHES = [2, 6]

#: The most entities a page carries (``aikg viz --limit``).
DEFAULT_LIMIT = 300
#: The size of the first view: a page opens on its this many most central entities
#: (the served /graph sends no more unless asked; "show all" reveals the rest).
FIRST_VIEW = 120
#: Above this many nodes the layout is computed here; 0: always (the default, so a page
#: is drawn still, in the same place every time).
DEFAULT_LAYOUT_THRESHOLD = 0
#: Node sizes and label sizes in pixels at zoom 1, smallest to largest (by degree).
NODE_SIZE = (8.0, 30.0)
LABEL_SIZE = (12.0, 26.0)


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


# --------------------------------------------------------------------------- selection


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


def _node_color(color: str) -> dict[str, Any]:
    """Return vis-network's colour object for a node of this colour."""
    return {
        "background": color,
        "border": _darker(color),
        "highlight": {"background": color, "border": "#000000"},
        "hover": {"background": color, "border": "#000000"},
    }


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


def _iso(value: date | str | None) -> str:
    return value.isoformat() if isinstance(value, date) else (value or "")


def _darker(color: str) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * 0.7):02x}{int(g * 0.7):02x}{int(b * 0.7):02x}"


def _node_title(label: str, etype: str | None, aliases: list[str], wikidata: str | None, degree: int) -> str:
    lines = [label, f"Type: {etype or 'unknown'}"]
    if aliases:
        lines.append("Aliases: " + ", ".join(aliases[:8]) + (" ..." if len(aliases) > 8 else ""))
    lines.append(f"Wikidata: {wikidata or 'none'}")
    lines.append(f"Relations: {degree}")
    return "\n".join(lines)


def _edge_title(a: str, pred: str, b: str, d: Mapping[str, Any]) -> str:
    sources = int(d.get("sources") or 1)
    lines = [f"{a} {pred} {b}", f"{sources} source{'s' if sources != 1 else ''}"]
    if d.get("first"):
        lines.append(f"{d['first']} to {d['last']}" if d.get("last") and d["last"] != d["first"] else d["first"])
    if d.get("confidence") is not None:
        lines.append(f"confidence {d['confidence']:.2f}")
    if d.get("hedged"):
        lines.append("hedged (reported, not confirmed)")
    state = state_line(bool(d.get("ended")), d.get("start_date"), d.get("end_date"))
    if state:
        lines.append(state)
    return "\n".join(lines)


def state_line(ended: bool, start_date: str | None, end_date: str | None) -> str:
    """Return the last line of an edge's hover text: when it began, or that it ended and when.

    The page's script writes the same line when the as-of slider changes the state.
    """
    if ended:
        return "ended" + (f" {end_date}" if end_date else "") + (f" (since {start_date})" if start_date else "")
    return f"since {start_date}" if start_date else ""


# ---------------------------------------------------------------------------- evidence

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


# ------------------------------------------------------------------------------ layout


def spring_layout(
    G: nx.Graph,
    *,
    seed: int = 42,
    iterations: int = 50,
    sample: int = 300,
    scale: float | None = None,
    fixed: Mapping[str, tuple[float, float]] | None = None,
    edge_px: float = 160.0,
) -> tuple[dict[str, tuple[float, float]], float]:
    """Return a force-directed layout in page pixels (Fruchterman-Reingold, numpy).

    networkx's ``spring_layout`` needs scipy above 500 nodes and walks them in Python;
    this pass is vectorized, and above ``2 * sample`` nodes the repulsion is estimated
    each round from a random sample of nodes (scaled up), which keeps it linear.

    Args:
        G: the graph (direction and parallel edges are ignored).
        seed: the random seed, so the same graph gets the same picture.
        iterations: rounds of the simulation.
        sample: nodes the repulsion is estimated from on big graphs.
        scale: pixels per unit of the simulation; None chooses it so the median edge is
            ``edge_px`` long (:func:`layout_scale` gives it back, to lay out more nodes
            around held ones at the same scale).
        fixed: nodes that keep these positions (pixels); the others are placed around them.
        edge_px: the median edge length in pixels when ``scale`` is None.

    Returns:
        Node -> (x, y), and the pixels per unit used.

    Raises:
        ValueError: held positions without their scale.
    """
    nodes = list(G)
    n = len(nodes)
    fixed = {v: p for v, p in (fixed or {}).items() if v in G}
    if fixed and scale is None:
        raise ValueError("held positions need the scale they were laid out at")
    if n == 0:
        return {}, scale or 90.0
    if n == 1:
        return {nodes[0]: fixed.get(nodes[0], (0.0, 0.0))}, scale or 90.0
    index = {v: i for i, v in enumerate(nodes)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v}
    src = np.fromiter((a for a, _ in pairs), dtype=np.int64, count=len(pairs))
    dst = np.fromiter((b for _, b in pairs), dtype=np.int64, count=len(pairs))
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = (rng.random((n, 2)) - 0.5) * side
    held = np.zeros(n, dtype=bool)
    if fixed and scale is not None:  # held positions come with their scale (checked above)
        for v, (x, y) in fixed.items():
            pos[index[v]] = (x / scale, y / scale)
            held[index[v]] = True
        # The others start on the held ones' side of the plane, spread wider.
        pos[~held] *= 1.5
    # Repulsion grows with both nodes' degrees (as in ForceAtlas2): hubs keep apart and
    # gather their own neighbours around them, instead of piling up in the middle.
    mass = 1.0 + np.bincount(np.concatenate([src, dst]), minlength=n).astype(float)
    mass /= mass.mean()
    temp = side / 4
    cool = (0.02 / 4) ** (1 / max(1, iterations))
    for _ in range(iterations):
        chosen: slice | np.ndarray[Any, Any]
        if n <= 2 * sample:
            chosen = slice(None)
            factor = 1.0
        else:
            chosen = rng.choice(n, sample, replace=False)
            factor = n / sample
        others = pos[chosen]
        delta = pos[:, None, :] - others[None, :, :]
        d2 = np.einsum("ijk,ijk->ij", delta, delta) + 1e-4
        disp = np.einsum("ijk,ij->ik", delta, mass[chosen][None, :] / d2) * (factor * mass[:, None])
        if len(src):
            diff = pos[src] - pos[dst]
            dist = np.sqrt(np.einsum("ij,ij->i", diff, diff)) + 1e-9
            pull = diff * dist[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        # A weak pull to the centre keeps components and isolated nodes on screen.
        disp -= pos * (0.05 * math.sqrt(n) / side)
        disp[held] = 0.0
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp)) + 1e-9
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= cool
    _pack_components(G, nodes, index, pos, held)
    if not held.any():
        pos -= pos.mean(axis=0)
    if scale is None:
        scale = layout_scale(pos, src, dst, edge_px)
    return {
        v: (round(float(pos[i, 0]) * scale, 1), round(float(pos[i, 1]) * scale, 1)) for i, v in enumerate(nodes)
    }, scale


def spring_positions(G: nx.Graph, **kwargs: Any) -> dict[str, tuple[float, float]]:
    """Return :func:`spring_layout`'s positions alone (same arguments)."""
    return spring_layout(G, **kwargs)[0]


def layout_scale(pos: np.ndarray, src: np.ndarray, dst: np.ndarray, edge_px: float = 90.0) -> float:
    """Return the pixels per unit that make the median edge ``edge_px`` long (90 without edges)."""
    if not len(src):
        return 90.0
    diff = pos[src] - pos[dst]
    median = float(np.median(np.sqrt(np.einsum("ij,ij->i", diff, diff))))
    return edge_px / median if median > 1e-6 else 90.0


def _pack_components(
    G: nx.Graph, nodes: list[Any], index: dict[str, Any], pos: np.ndarray, held: np.ndarray, gap: float = 1.0
) -> None:
    """Move the small pieces of a graph next to its main part, in place.

    Repulsion drives a component that nothing ties to the rest far out, and fitting such
    a picture to the screen makes everything small. The biggest component (or the one
    holding the held nodes) stays; every other one that holds no held node is placed,
    biggest first, on rings around it, each at its own radius.
    """
    parts = sorted(nx.connected_components(G.to_undirected(as_view=True)), key=lambda c: (-len(c), min(c)))
    if len(parts) < 2:
        return
    movable = [np.fromiter((index[v] for v in part), dtype=np.int64) for part in parts]
    movable = [ids for ids in movable if not held[ids].any()]
    if held.any():
        anchor = np.flatnonzero(held)
    else:
        anchor, movable = movable[0], movable[1:]
    # The anchored part, and every part placed so far, are "placed".
    placed = set(anchor.tolist())
    center = pos[anchor].mean(axis=0)
    radius = float(np.sqrt(((pos[anchor] - center) ** 2).sum(axis=1)).max()) + gap
    angle, ring = 0.0, radius
    ring_width = 0.0
    for ids in movable:
        own = pos[ids] - pos[ids].mean(axis=0)
        r = float(np.sqrt((own**2).sum(axis=1)).max()) + gap / 2
        # Step along the ring by this part's width; a full turn opens the next ring.
        step = 2 * math.asin(min(1.0, r / max(ring + r, 1e-9))) * 2
        if angle + step > 2 * math.pi:
            ring += ring_width + gap
            angle, ring_width = 0.0, 0.0
            step = 2 * math.asin(min(1.0, r / max(ring + r, 1e-9))) * 2
        angle += step / 2
        spot = center + (ring + r) * np.array([math.cos(angle), math.sin(angle)])
        angle += step / 2
        ring_width = max(ring_width, 2 * r)
        pos[ids] = own + spot
        placed.update(ids.tolist())


_LAYOUTS: OrderedDict[str, tuple[dict[str, tuple[float, float]], float]] = OrderedDict()
_LAYOUTS_KEPT = 32
_LAYOUTS_LOCK = threading.Lock()


def cached_layout(
    G: nx.Graph, *, seed: int = 42, fixed: Mapping[str, tuple[float, float]] | None = None, scale: float | None = None
) -> tuple[dict[str, tuple[float, float]], float]:
    """Return :func:`spring_layout` of a graph, computed once per graph, seed and held nodes.

    The key is a digest of the nodes, the pairs they are joined by and the held positions,
    so the same selection gets the same picture without the layout being run again (the
    last 32 layouts are kept).

    Raises:
        ValueError: held positions without their scale.
    """
    h = hashlib.sha256(f"{seed}\n{scale}\n".encode())
    for v in sorted(G):
        h.update(v.encode("utf-8") + b"\0")
    h.update(b"\1")
    for a, b in sorted({(min(u, v), max(u, v)) for u, v in G.edges()}):
        h.update(a.encode("utf-8") + b"\0" + b.encode("utf-8") + b"\0")
    for v, (x, y) in sorted((fixed or {}).items()):
        h.update(f"\2{v}\0{x}\0{y}".encode())
    key = h.hexdigest()
    with _LAYOUTS_LOCK:
        if key in _LAYOUTS:
            _LAYOUTS.move_to_end(key)
            return _LAYOUTS[key]
    result = spring_layout(G, seed=seed, fixed=fixed, scale=scale)
    with _LAYOUTS_LOCK:
        _LAYOUTS[key] = result
        while len(_LAYOUTS) > _LAYOUTS_KEPT:
            _LAYOUTS.popitem(last=False)
    return result


# ------------------------------------------------------------------- data for the page


def script_json(data: object) -> str:
    """Return JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes (so ``</script>`` and ``<!--``
    cannot end or change the element), and U+2028/U+2029 are escaped for old JS parsers.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


#: The vis-network release pyvis ships, and its two files.
VIS_VERSION = "9.1.2"
VIS_JS = "vis-network.min.js"
VIS_CSS = "vis-network.css"


def vis_asset_dir() -> Path:
    """Return the directory of vis-network's JS and CSS inside the installed pyvis."""
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
