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

import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import networkx as nx
import numpy as np
import pyoxigraph as ox

from kg.analytics import FAMILIES, StoreLike, centrality, find_node, to_networkx
from kg.errors import NotFoundError
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES
from kg.namespaces import DCTERMS, ENTITY, ONTOLOGY, PROV, RDF, SCHEMA, XSD
from kg.store import term_sparql
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

#: edge colour per predicate family.
FAMILY_COLOR: dict[str, str] = {
    "cooperation": "#2ca02c",
    "conflict": "#d62728",
    "structure": "#7f7f7f",
}
#: An ended relation (over by the day shown, docs/TIME.md): a pale grey in short dots,
#: whatever its family, apart from a hedged one's family colour in long dashes.
ENDED_COLOR = "#b8b8b8"
ENDED_DASHES = [2, 6]

DEFAULT_LIMIT = 300
DEFAULT_LAYOUT_THRESHOLD = 300


@dataclass
class View:
    """What one page shows: the selected nodes and edges, ready for the browser.

    ``nodes`` carry ``id``, ``label``, ``type``, ``slug``, ``wikidata``, ``aliases``,
    ``degree``, ``pagerank``, ``size`` and, when the layout was computed here, ``x``/``y``.
    ``edges`` carry ``id``, ``from``, ``to``, ``predicate``, ``family``, ``symmetric``,
    ``sources``, ``first``, ``last``, ``confidence``, ``hedged``, ``ended``,
    ``start_date``, ``end_date``, ``changes`` (the relation's changes of state,
    ``[claim day, ended]``, oldest first: what the as-of slider replays), ``evidence``
    (dicts ``sentence``, ``title``, ``url``, ``date``, ``confidence``, ``hedged`` and the
    statement's time and amount fields) and ``weaker`` (how many of its statements fall
    below ``min_confidence`` and are not shown).
    """

    nodes: list[dict]
    edges: list[dict]
    total_entities: int
    focus: str | None = None
    depth: int = 1
    physics: bool = True
    notes: list[str] = field(default_factory=list)
    filters: dict = field(default_factory=dict)

    @property
    def legend(self) -> dict:
        """Return the colour/shape keys: ``types`` and ``families``."""
        return {
            "types": [{"type": t, "color": TYPE_STYLE[t][0], "shape": TYPE_STYLE[t][1]} for t in ENTITY_TYPES],
            "families": [{"family": f, "color": c,
                          "predicates": [p for p in PREDICATES if FAMILIES[p] == f]}
                         for f, c in FAMILY_COLOR.items()],
            "ended": {"color": ENDED_COLOR, "dashes": ENDED_DASHES},
        }

    def to_dict(self) -> dict:
        """Return the JSON the page embeds."""
        return {
            "nodes": self.nodes, "edges": self.edges, "total_entities": self.total_entities,
            "focus": self.focus, "depth": self.depth, "physics": self.physics,
            "notes": self.notes, "filters": self.filters, "legend": self.legend,
        }


# --------------------------------------------------------------------------- selection

def build_view(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 1,
               limit: int = DEFAULT_LIMIT, store: StoreLike | None = None,
               since: date | str | None = None, until: date | str | None = None,
               as_of: date | None = None, min_confidence: float = 0.0, max_evidence: int = 5,
               layout_threshold: int = DEFAULT_LAYOUT_THRESHOLD, seed: int = 42,
               filters: Mapping | None = None) -> View:
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
        layout_threshold: above this many nodes the layout is computed here and the
            browser's physics is turned off.
        seed: the layout's random seed, so a page looks the same every time.
        filters: the parameters the view was made with, echoed into the page's form.

    Returns:
        The view.

    Raises:
        NotFoundError: the focus is not in the graph.
    """
    # pyvis pulls in IPython: imported here, so the CLI and API start without it.
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

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
            notes.append(f"showing {limit:,} of {len(keep):,} entities within {depth} of "
                         f"{G.nodes[center].get('label', center)}, the most central")
            keep = {center, *ranked[: limit - 1]}
    elif total > limit:
        ranked = sorted(G, key=lambda n: (-scores.get(n, 0.0), n))
        keep = set(ranked[:limit])
        notes.append(f"showing {limit:,} of {total:,} entities, the most central")
    else:
        keep = set(G)
    # A subgraph view is slow to walk; the whole graph needs none.
    sub = G if len(keep) == total else G.subgraph(keep)
    top = max((scores.get(n, 0.0) for n in sub), default=0.0) or 1.0

    physics = sub.number_of_nodes() <= layout_threshold
    positions = {} if physics else spring_positions(sub, seed=seed)

    net = Network(directed=True, cdn_resources="in_line")
    for n, d in sorted(sub.nodes(data=True), key=lambda nd: (-scores.get(nd[0], 0.0), nd[0])):
        etype = d.get("type")
        color, shape = TYPE_STYLE.get(etype, TYPE_STYLE[None])
        degree = G.degree(n)
        label = d.get("label") or n.rsplit("/", 1)[-1]
        aliases = list(d.get("aliases") or [])
        pr = scores.get(n, 0.0)
        extra = {}
        if n in positions:
            extra = {"x": positions[n][0], "y": positions[n][1]}
        node = Node(n, shape, label=label, color={"background": color, "border": _darker(color),
                                                  "highlight": {"background": color, "border": "#000000"}},
                    title=_node_title(label, etype, aliases, d.get("wikidata"), degree),
                    size=round(8 + 32 * math.sqrt(pr / top), 2), **extra)
        node.options.update({
            "type": etype, "slug": n.removeprefix(ENTITY) if n.startswith(ENTITY) else None,
            "wikidata": d.get("wikidata"), "aliases": aliases, "degree": degree,
            "pagerank": round(pr, 6),
        })
        # Straight to the list: Network.add_node checks membership in a list, which is
        # quadratic at a few thousand nodes.
        net.nodes.append(node.options)
        net.node_ids.append(n)

    edges = sorted(sub.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))
    evidence = (_load_evidence(store, keep, since=since, until=until, as_of=as_of,
                               min_confidence=min_confidence, per_edge=max_evidence)
                if store is not None and edges else {})
    for i, (s, o, key, d) in enumerate(edges):
        pred = d.get("predicate", key)
        family = d.get("family") or FAMILIES.get(pred, "structure")
        symmetric = bool(d.get("symmetric", pred in SYMMETRIC_PREDICATES))
        sources = int(d.get("sources") or 1)
        ended = bool(d.get("ended"))
        color = ENDED_COLOR if ended else FAMILY_COLOR[family]
        edge = Edge(s, o, not symmetric, color={"color": color, "highlight": color, "hover": color},
                    width=round(min(1 + 1.5 * math.log2(sources), 8), 2),
                    dashes=list(ENDED_DASHES) if ended else bool(d.get("hedged")),
                    title=_edge_title(sub.nodes[s].get("label", s), pred, sub.nodes[o].get("label", o), d))
        found = evidence.get((s, pred, o), ([], 0, []))
        edge.options.update({
            "id": f"e{i}", "predicate": pred, "family": family, "symmetric": symmetric,
            "sources": sources, "first": d.get("first"), "last": d.get("last"),
            "confidence": d.get("confidence"), "hedged": bool(d.get("hedged")),
            "ended": ended, "start_date": d.get("start_date"), "end_date": d.get("end_date"),
            "arrows": {"to": {"enabled": not symmetric, "scaleFactor": 0.6}},
            "evidence": found[0], "weaker": found[1], "changes": found[2],
        })
        net.edges.append(edge.options)

    log.debug("view: %d of %d entities, %d relations, %s layout", len(net.nodes), total, len(net.edges),
              "browser" if physics else "server")
    return View(nodes=net.nodes, edges=net.edges, total_entities=total, focus=center,
                depth=depth, physics=physics, notes=notes, filters=dict(filters or {}))


def view_from_store(store: StoreLike, *, focus: str | None = None, depth: int = 1,
                    predicates: Iterable[str] | None = None, types: Iterable[str] | None = None,
                    since: date | str | None = None, until: date | str | None = None,
                    as_of: date | str | None = None, min_confidence: float = 0.0,
                    min_sources: int = 1, limit: int = DEFAULT_LIMIT,
                    layout_threshold: int = DEFAULT_LAYOUT_THRESHOLD, show_ended: bool = True) -> View:
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

    Returns:
        The view.

    Raises:
        ValueError: an unknown predicate or type, or a malformed date.
    """
    preds = _split(predicates)
    kinds = _split(types)
    start, end = parse_day(since, "since", last=False), parse_day(until, "until")
    cutoff = parse_day(as_of, "as_of")
    G = to_networkx(store, predicates=preds, types=kinds, since=start, until=end, as_of=cutoff,
                    min_confidence=min_confidence, min_sources=min_sources, include_ended=True)
    filters = {"focus": focus or "", "depth": depth, "predicates": preds or [], "types": kinds or [],
               "since": _iso(since), "until": _iso(until), "as_of": _iso(cutoff),
               "min_confidence": min_confidence, "min_sources": min_sources, "limit": limit,
               "include_ended": bool(show_ended)}
    # The evidence shown obeys the same dates as the edges ("2023" means the whole year).
    kw = dict(depth=depth, limit=limit, store=store, since=start, until=end, as_of=cutoff,
              min_confidence=min_confidence, layout_threshold=layout_threshold, filters=filters)
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
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(int(r * 0.7), int(g * 0.7), int(b * 0.7))


def _node_title(label: str, etype: str | None, aliases: list[str], wikidata: str | None, degree: int) -> str:
    lines = [label, f"Type: {etype or 'unknown'}"]
    if aliases:
        lines.append("Aliases: " + ", ".join(aliases[:8]) + (" ..." if len(aliases) > 8 else ""))
    lines.append(f"Wikidata: {wikidata or 'none'}")
    lines.append(f"Relations: {degree}")
    return "\n".join(lines)


def _edge_title(a: str, pred: str, b: str, d: Mapping) -> str:
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
_BY_SUBJECT = ("VALUES ?s {{ {} }}\n  ?st a aikg:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; "
               "rdf:object ?o .\n  FILTER(isBlank(?st))")

_EVIDENCE = f"""
PREFIX aikg: <{ONTOLOGY}>
PREFIX rdf: <{RDF}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCTERMS}>
PREFIX schema: <{SCHEMA}>
SELECT ?st ?s ?p ?o ?sentence ?c ?h ?d ?title ?url ?art ?ended ?stated ?startDate ?endDate ?dateText
       ?amount ?amountValue ?currency ?stake WHERE {{
  {{statements}}
  OPTIONAL {{ ?st aikg:evidence ?sentence }}
  OPTIONAL {{ ?st aikg:confidence ?c }}
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


def _text(row, name: str) -> str | None:
    term = row[name]
    return term.value if term is not None else None


def _number(row, name: str) -> float | None:
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
        yield " ".join(term_sparql(ox.NamedNode(n)) for n in ordered[i:i + size])


def _load_evidence(store: StoreLike, nodes: Iterable[str], *, since=None, until=None,
                   as_of: date | None = None, min_confidence: float = 0.0, per_edge: int = 5
                   ) -> dict[tuple[str, str, str], tuple[list[dict], int, list[list]]]:
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
    found: dict[tuple[str, str, str], dict[tuple, tuple[dict, bool]]] = {}
    events: dict[tuple[str, str, str], set[tuple[str | None, bool]]] = {}
    named: set[str] = set()
    blank: set[str] = set()
    for chunk in _values(nodes):
        for row in store.query(_STATEMENTS.replace("{subjects}", chunk)):
            if row["o"].value in keep:
                if isinstance(row["st"], ox.NamedNode):
                    named.add(row["st"].value)
                else:
                    blank.add(row["s"].value)
    steps = [_BY_STATEMENT.format(chunk) for chunk in _values(named)]
    steps += [_BY_SUBJECT.format(chunk) for chunk in _values(blank)]
    for step in steps:
        for row in store.query(_EVIDENCE.replace("{statements}", step).replace("{filters}", where)):
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
                "ended": ended, "stated_date": stated, "date_text": _text(row, "dateText"),
                "start_date": start, "end_date": end, "claim_date": day,
                "amount": _text(row, "amount"), "amount_value": _number(row, "amountValue"),
                "amount_currency": _text(row, "currency"), "stake_percent": _number(row, "stake"),
            }
            # Compared unrounded, as the projection's filter compares it.
            strong = row["c"] is None or float(row["c"].value) >= floor
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

def spring_positions(G: nx.Graph, *, seed: int = 42, iterations: int = 50, sample: int = 300,
                     scale: float = 90.0) -> dict[str, tuple[float, float]]:
    """Return a force-directed layout in page pixels (Fruchterman-Reingold, numpy).

    networkx's ``spring_layout`` needs scipy above 500 nodes and walks them in Python;
    this pass is vectorized, and above ``2 * sample`` nodes the repulsion is estimated
    each round from a random sample of nodes (scaled up), which keeps it linear.

    Args:
        G: the graph (direction and parallel edges are ignored).
        seed: the random seed, so the same graph gets the same picture.
        iterations: rounds of the simulation.
        sample: nodes the repulsion is estimated from on big graphs.
        scale: pixels per unit of ideal edge length.

    Returns:
        Node -> (x, y).
    """
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v}
    src = np.fromiter((a for a, _ in pairs), dtype=np.int64, count=len(pairs))
    dst = np.fromiter((b for _, b in pairs), dtype=np.int64, count=len(pairs))
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = (rng.random((n, 2)) - 0.5) * side
    temp = side / 4
    cool = (0.02 / 4) ** (1 / max(1, iterations))
    for _ in range(iterations):
        if n <= 2 * sample:
            others = pos
            factor = 1.0
        else:
            others = pos[rng.choice(n, sample, replace=False)]
            factor = n / sample
        delta = pos[:, None, :] - others[None, :, :]
        d2 = np.einsum("ijk,ijk->ij", delta, delta) + 1e-4
        disp = np.einsum("ijk,ij->ik", delta, 1.0 / d2) * factor
        if len(src):
            diff = pos[src] - pos[dst]
            dist = np.sqrt(np.einsum("ij,ij->i", diff, diff)) + 1e-9
            pull = diff * dist[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        # A weak pull to the centre keeps components and isolated nodes on screen.
        disp -= pos * (0.05 * math.sqrt(n) / side)
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp)) + 1e-9
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= cool
    pos -= pos.mean(axis=0)
    return {v: (round(float(pos[i, 0]) * scale, 1), round(float(pos[i, 1]) * scale, 1))
            for i, v in enumerate(nodes)}


# ------------------------------------------------------------------- data for the page

def script_json(data: object) -> str:
    """Return JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes (so ``</script>`` and ``<!--``
    cannot end or change the element), and U+2028/U+2029 are escaped for old JS parsers.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


#: The vis-network release pyvis ships, and its two files.
VIS_VERSION = "9.1.2"
VIS_JS = "vis-network.min.js"
VIS_CSS = "vis-network.css"


def vis_asset_dir() -> Path:
    """Return the directory of vis-network's JS and CSS inside the installed pyvis."""
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
