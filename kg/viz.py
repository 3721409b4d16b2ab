"""Draw the graph as an interactive vis-network page: selection, layout, evidence, HTML.

The file ``aikg viz`` writes is self-contained: vis-network's JS and CSS (shipped inside
pyvis) are inlined, and nothing else is referenced, so it opens offline. The page the
server sends references them at a URL of its own instead (``assets_url``), so browsers
cache the library rather than fetch it with every page; the page's own script and style
stay inline, and :func:`inline_code` gives what a Content-Security-Policy hashes. Neither
makes a request beyond its own server.

Every string that comes from the data (names, sentences, titles, URLs) is article text,
hence untrusted: it travels as JSON in a non-executable ``<script type=
"application/json">`` block, escaped so it cannot close that block, and the page's own JS
writes it with ``textContent`` only. Labels are drawn on a canvas and hover titles are
plain strings, which vis-network 9 shows as text.

Big graphs: without a focus the ``limit`` most central entities are kept, and above
``layout_threshold`` nodes the layout is computed here (a Fruchterman-Reingold pass in
numpy) and the browser's physics is off, so thousands of nodes draw in a second or two.
"""

from __future__ import annotations

import html
import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
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


# -------------------------------------------------------------------------------- HTML

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


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """Return vis-network's JS and CSS as shipped inside pyvis (no CDN)."""
    lib = vis_asset_dir()
    js = (lib / VIS_JS).read_text(encoding="utf-8")
    css = (lib / VIS_CSS).read_text(encoding="utf-8")
    # Inlined as is, a closing tag inside would end the element early.
    if re.search(r"</(script|style)", js + css, re.I):
        raise RuntimeError("vis-network assets contain a closing tag and cannot be inlined")
    return js, css


def inline_code() -> tuple[str, str]:
    """Return the page's own style and script, exactly as inlined (what a CSP hash covers)."""
    return _PAGE_CSS, _PAGE_JS


def render_html(view: View, *, title: str = "aikg graph", standalone: bool = True,
                entity_base: str | None = None, form_action: str = "", assets_url: str | None = None,
                default_min_confidence: float | None = None) -> str:
    """Return the whole page for a view.

    Args:
        view: from :func:`build_view`.
        title: the page heading.
        standalone: True for a file (filters apply in the page and are kept in the
            URL's ``#`` part); False when served, where the filter form asks the server
            again (so it can reach entities beyond the drawn ones).
        entity_base: prefix of entity page links (``/entity/``); None shows no link.
        form_action: where the served filter form submits (the page's own path).
        assets_url: where vis-network's files are served (``/static/vis-9.1.2``); the
            page then references them and carries no Content-Security-Policy of its
            own (the server sends one). None inlines them, with a CSP ``<meta>`` that
            allows the inline code: a single file that works offline.
        default_min_confidence: the threshold a URL without ``min_confidence`` gets
            (the server's default); links made by the page name any other. None: the
            view's own threshold.

    Returns:
        HTML text.
    """
    page, js, css = _PAGE, _PAGE_JS, _PAGE_CSS
    if assets_url is None:
        vis_js, vis_css = _vis_assets()
        csp_meta = f'<meta http-equiv="Content-Security-Policy" content="{_FILE_CSP}">'
        vis_style, vis_script = f"<style>{vis_css}</style>", f"<script>{vis_js}</script>"
    else:
        base = html.escape(assets_url.rstrip("/"), quote=True)
        csp_meta = ""
        vis_style = f'<link rel="stylesheet" href="{base}/{VIS_CSS}">'
        vis_script = f'<script src="{base}/{VIS_JS}"></script>'
    if default_min_confidence is None:
        default_min_confidence = float(view.filters.get("min_confidence") or 0.0)
    config = {"standalone": standalone, "entityBase": entity_base, "predicates": list(PREDICATES),
              "types": list(ENTITY_TYPES), "defaultMinConfidence": float(default_min_confidence)}
    shown = len(view.nodes)
    summary = (f"{shown:,} entities, {len(view.edges):,} relations"
               + ("" if shown >= view.total_entities else f" (of {view.total_entities:,} entities)"))
    replacements = {
        "{{title}}": html.escape(title),
        "{{summary}}": html.escape(summary),
        "{{notes}}": "".join(f"<p class=\"note\">{html.escape(n)}</p>" for n in view.notes),
        "{{form}}": _form_html(view.filters, form_action),
        "{{legend}}": _legend_html(view.legend),
        "{{csp_meta}}": csp_meta,
        "{{vis_style}}": vis_style,
        "{{page_css}}": css,
        "{{vis_script}}": vis_script,
        "{{page_js}}": js,
        "{{data}}": script_json(view.to_dict()),
        "{{config}}": script_json(config),
    }
    # One pass, so a replacement's text is never scanned for another placeholder.
    return re.sub(r"\{\{\w+\}\}", lambda m: replacements.get(m.group(0), m.group(0)), page)


def _form_html(filters: Mapping, action: str) -> str:
    e = lambda v: html.escape("" if v is None else str(v), quote=True)  # noqa: E731
    preds = set(filters.get("predicates") or [])
    types = set(filters.get("types") or [])
    pred_boxes = "".join(
        f'<label class="chk"><input type="checkbox" name="predicates" value="{p}"'
        f'{" checked" if not preds or p in preds else ""}> <span class="sw fam-{FAMILIES[p]}"></span>{p}</label>'
        for p in PREDICATES)
    type_boxes = "".join(
        f'<label class="chk"><input type="checkbox" name="types" value="{t}"'
        f'{" checked" if not types or t in types else ""}> {t}</label>' for t in ENTITY_TYPES)
    mc = filters.get("min_confidence") or 0
    return f"""<form id="filters" method="get" action="{e(action)}">
<div class="row"><label>Focus <input name="focus" id="f-focus" value="{e(filters.get('focus'))}" list="entity-names" placeholder="entity name"></label>
<label>Depth <input name="depth" id="f-depth" type="number" min="0" max="4" value="{e(filters.get('depth', 1))}"></label></div>
<fieldset><legend>Relations</legend>{pred_boxes}</fieldset>
<fieldset><legend>Entity types</legend>{type_boxes}</fieldset>
<div class="row"><label class="chk"><input type="checkbox" name="include_ended" id="f-ended" value="1"{" checked" if filters.get("include_ended", True) else ""}> show ended relations</label></div>
<div class="row"><label>Since <input name="since" id="f-since" type="date" value="{e(filters.get('since'))}"></label>
<label>Until <input name="until" id="f-until" type="date" value="{e(filters.get('until'))}"></label></div>
<div class="row"><label>Min confidence <input name="min_confidence" id="f-conf" type="number" min="0" max="1" step="0.05" value="{e(mc)}"></label>
<label>Min sources <input name="min_sources" id="f-sources" type="number" min="1" value="{e(filters.get('min_sources', 1))}"></label></div>
<div class="row"><label>Limit <input name="limit" id="f-limit" type="number" min="1" max="20000" value="{e(filters.get('limit', DEFAULT_LIMIT))}"></label>
<button type="submit">Apply</button> <a id="share" href="#">link to this view</a></div>
</form>"""


def _legend_html(legend: Mapping) -> str:
    # Colours come from classes (the legend rules of _PAGE_CSS), not style attributes,
    # which a CSP without 'unsafe-inline' would drop.
    types = "".join(f'<li><span class="shape shape-{t["shape"]} t-{t["type"]}"></span>{html.escape(t["type"])}</li>'
                    for t in legend["types"])
    fams = "".join(f'<li><span class="line f-{f["family"]}"></span>{html.escape(f["family"])}'
                   f'<small> ({html.escape(", ".join(f["predicates"]))})</small></li>' for f in legend["families"])
    return (f'<div id="legend"><ul class="types">{types}</ul><ul class="families">{fams}'
            '<li><span class="line dashed"></span>hedged (reported)</li>'
            '<li><span class="line ended"></span>ended (over by the day shown)</li>'
            '<li><small>arrow: directed relation; size: PageRank; width: sources</small></li></ul></div>')


# The page's own template, style and script. Placeholders are ``{{name}}``; everything
# from the data reaches the page only through the two JSON blocks.
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{csp_meta}}
<title>{{title}}</title>
{{vis_style}}
<style>{{page_css}}</style>
</head>
<body>
<header>
<h1>{{title}}</h1>
<span id="summary">{{summary}}</span>
{{notes}}
<div id="search-box"><input id="search" type="search" list="entity-names" placeholder="Find an entity" aria-label="Find an entity"><span id="search-msg"></span></div>
<datalist id="entity-names"></datalist>
</header>
<aside id="side">
<details open><summary>Filters</summary>{{form}}</details>
<div id="asof-box"><label>As of <output id="asof-label">all dates</output>
<input id="asof" type="range" min="0" max="0" value="0" aria-label="as of date"></label>
<button type="button" id="replay">Replay</button></div>
<details open><summary>Legend</summary>{{legend}}</details>
</aside>
<main id="network" aria-label="network"></main>
<aside id="panel" aria-live="polite"><p class="hint">Click an entity or a relation to see the sentences behind it.</p></aside>
<script type="application/json" id="graph-data">{{data}}</script>
<script type="application/json" id="graph-config">{{config}}</script>
{{vis_script}}
<script>{{page_js}}</script>
</body>
</html>
"""

# The policy of the standalone file: everything it needs is inline, nothing is fetched.
_FILE_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
             "form-action 'self'; base-uri 'none'")

_PAGE_CSS = """
html, body { height: 100%; margin: 0; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
  display: grid; grid-template-columns: 270px 1fr 360px; grid-template-rows: auto 1fr; }
header { grid-column: 1 / 4; padding: 6px 12px; border-bottom: 1px solid #ddd; display: flex;
  flex-wrap: wrap; gap: 4px 16px; align-items: baseline; }
header h1 { font-size: 18px; margin: 0; }
header .note { margin: 0; color: #8a5300; }
#summary { color: #555; }
#search-box { margin-left: auto; }
#search-msg { color: #a00; margin-left: 6px; }
#side { overflow: auto; padding: 8px 10px; border-right: 1px solid #ddd; font-size: 13px; }
#side summary { font-weight: 600; cursor: pointer; margin: 4px 0; }
#filters label { display: inline-block; margin: 2px 6px 2px 0; }
#filters .chk { display: block; margin: 0; }
#filters fieldset { border: 1px solid #e3e3e3; margin: 4px 0; padding: 2px 6px; }
#filters input[type=number] { width: 4.5em; }
#filters .row { margin: 4px 0; }
#network { min-height: 0; min-width: 0; position: relative; }
#panel { overflow: auto; padding: 8px 12px; border-left: 1px solid #ddd; background: #fafafa; }
#panel h2 { font-size: 17px; margin: 4px 0; word-break: break-word; }
#panel h3 { font-size: 14px; margin: 12px 0 4px; }
#panel .facts { color: #444; margin: 2px 0; }
#panel .rel { margin: 6px 0 2px; font-weight: 600; cursor: pointer; color: #1f4e8c; }
#panel ul.evidence { margin: 2px 0 8px; padding-left: 16px; }
#panel ul.evidence li { margin: 4px 0; }
#panel ul.evidence q { display: block; }
#panel .meta { color: #666; font-size: 12px; }
#panel .meta > * { margin-right: 8px; }
.hint { color: #777; }
#legend ul { list-style: none; padding: 0; margin: 4px 0; }
#legend li { margin: 2px 0; }
.shape { display: inline-block; width: 12px; height: 12px; margin-right: 6px; background: var(--c);
  vertical-align: middle; }
.shape-dot { border-radius: 50%; }
.shape-diamond { transform: rotate(45deg) scale(.85); }
.shape-triangle { background: none; width: 0; height: 0; border-left: 7px solid transparent;
  border-right: 7px solid transparent; border-bottom: 12px solid var(--c); }
.line { display: inline-block; width: 24px; height: 0; border-top: 3px solid var(--c, #555);
  margin-right: 6px; vertical-align: middle; }
.line.dashed { border-top-style: dashed; }
.line.ended { border-top: 3px dotted #b8b8b8; }
#panel .meta .ended { color: #555; background: #ececec; border: 1px dashed #aaa; border-radius: 3px; padding: 0 4px; }
#panel .meta .when { color: #555; }
#panel li.ended q { color: #777; }
.sw { display: inline-block; width: 10px; height: 3px; margin: 0 4px 3px 0; }
.fam-cooperation { background: #2ca02c; } .fam-conflict { background: #d62728; }
.fam-structure { background: #7f7f7f; }
#asof-box { margin: 8px 0; }
#asof { width: 100%; }
div.vis-tooltip { white-space: pre-line; max-width: 360px; font: 12px system-ui, sans-serif; }
"""

# The legend's colours, one class per entity type and predicate family.
_PAGE_CSS += "".join(f".t-{t} {{ --c: {TYPE_STYLE[t][0]}; }}\n" for t in ENTITY_TYPES) + "".join(
    f".f-{f} {{ --c: {c}; }}\n" for f, c in FAMILY_COLOR.items())

_PAGE_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var CONFIG = JSON.parse(document.getElementById("graph-config").textContent);
  var SAFE_URL = /^https?:\/\//i;
  var nodeById = new Map(), edgeById = new Map(), edgesOf = new Map();
  DATA.nodes.forEach(function (n) { nodeById.set(n.id, n); edgesOf.set(n.id, []); });
  DATA.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) edgesOf.get(e.to).push(e);
  });

  function pick(obj, keys) {
    var out = {};
    keys.forEach(function (k) { if (obj[k] !== undefined) out[k] = obj[k]; });
    return out;
  }
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var v = pick(n, ["id", "label", "title", "shape", "color", "size", "x", "y"]);
    if (!DATA.physics) v.physics = false;
    return v;
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    return pick(e, ["id", "from", "to", "color", "width", "dashes", "arrows", "title"]);
  }));

  // ------------------------------------------------------------------ time
  // The state of a relation as of a day (YYYY-MM-DD), read off its changes
  // (kg.timeline.changes): the last change on or before the day decides, claim days
  // compared as strings, so "2024" and "2024-03" count as their first day; null when no
  // change places it by then.
  var ENDED_STYLE = DATA.legend.ended;
  var FAMILY = {};
  DATA.legend.families.forEach(function (f) { FAMILY[f.family] = f.color; });
  function firstDay(day) {
    return /^\d{4}$/.test(day) ? day + "-01-01" : /^\d{4}-\d{2}$/.test(day) ? day + "-01" : day;
  }
  function lastDay(day) {
    // An as_of a person typed ("2024", "2024-03") means its last day, as the server reads it.
    if (/^\d{4}$/.test(day)) return day + "-12-31";
    if (/^\d{4}-\d{2}$/.test(day)) {
      var end = new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7), 0)).getUTCDate();
      return day + "-" + String(end).padStart(2, "0");
    }
    return day;
  }
  function stateAt(e, day) {
    if (!day) return { ended: e.ended, start: e.start_date, end: e.end_date };
    var last = null, start = null;
    (e.changes || []).forEach(function (c) {
      if (c[0] > day) return;
      last = c;
      if (!c[1] && start === null) start = c[0];
    });
    if (!last) return null;
    return { ended: last[1], start: start, end: last[1] ? last[0] : null };
  }
  function stateLine(st) {
    // The same words as kg.viz.state_line.
    if (!st) return "";
    if (st.ended) return "ended" + (st.end ? " " + st.end : "") + (st.start ? " (since " + st.start + ")" : "");
    return st.start ? "since " + st.start : "";
  }
  var baseTitle = new Map(), shownKey = new Map();
  DATA.edges.forEach(function (e) {
    var st = stateAt(e, null), own = stateLine(st), t = e.title || "";
    baseTitle.set(e.id, own && t.slice(-own.length) === own ? t.slice(0, -own.length).replace(/\n$/, "") : t);
    shownKey.set(e.id, (st.ended ? "1 " : "0 ") + own);
  });
  function styleFor(e, st) {
    var ended = Boolean(st && st.ended), line = stateLine(st), c = ended ? ENDED_STYLE.color : FAMILY[e.family];
    return { id: e.id, color: { color: c, highlight: c, hover: c },
             dashes: ended ? ENDED_STYLE.dashes : Boolean(e.hedged),
             title: baseTitle.get(e.id) + (line ? "\n" + line : "") };
  }
  var big = DATA.nodes.length > 1000;
  var options = {
    nodes: { font: { size: 14, face: "system-ui, sans-serif" }, borderWidth: 1 },
    edges: { smooth: DATA.physics ? { type: "continuous" } : false, selectionWidth: 2 },
    physics: DATA.physics ? {
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -6000, springLength: 150, springConstant: 0.03 },
      stabilization: { iterations: 250, fit: true }
    } : false,
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    layout: { improvedLayout: DATA.physics && DATA.nodes.length <= 100, randomSeed: 42 }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  var state = { ready: false, readyAt: null };
  window.aikg = { network: network, nodes: nodes, edges: edges, data: DATA, state: state,
                  showNode: showNode, showEdge: showEdge };
  function markReady() {
    if (state.ready) return;
    state.ready = true;
    state.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  if (DATA.physics && DATA.nodes.length) {
    network.once("stabilizationIterationsDone", function () {
      // Frozen after the first settling, so the picture stays put while one reads it.
      network.setOptions({ physics: false });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else if (DATA.nodes.length) {
    network.once("afterDrawing", markReady);
  } else {
    markReady();
  }

  // ----------------------------------------------------------------- side panel
  var panel = document.getElementById("panel");
  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  function clearPanel() { while (panel.firstChild) panel.removeChild(panel.firstChild); }
  function label(id) { var n = nodeById.get(id); return n ? n.label : id; }
  function evidenceList(e) {
    var ul = el("ul", null, "evidence");
    if (!e.evidence || !e.evidence.length) {
      ul.appendChild(el("li", "No sentence stored for this relation.", "hint"));
      return ul;
    }
    e.evidence.forEach(function (ev) {
      if (asOf && !(ev.claim_date && ev.claim_date <= asOf)) return;
      var li = el("li", null, ev.ended ? "ended" : null);
      li.appendChild(el("q", ev.sentence));
      var meta = el("div", null, "meta");
      var name = ev.title || ev.url || "untitled article";
      if (ev.url && SAFE_URL.test(ev.url)) {
        var a = el("a", name);
        a.href = ev.url;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        meta.appendChild(a);
      } else {
        meta.appendChild(el("span", name));
      }
      if (ev.date) meta.appendChild(el("span", ev.date, "date"));
      if (ev.ended) meta.appendChild(el("span", "ended" + (ev.claim_date ? " " + ev.claim_date : ""), "ended"));
      else if (ev.start_date) meta.appendChild(el("span", "from " + ev.start_date, "when"));
      else if (ev.stated_date) meta.appendChild(el("span", "dated " + ev.stated_date, "when"));
      if (ev.date_text) meta.appendChild(el("span", "\u201c" + ev.date_text + "\u201d", "when"));
      if (ev.amount) meta.appendChild(el("span", ev.amount, "amount"));
      if (ev.stake_percent !== null && ev.stake_percent !== undefined) meta.appendChild(el("span", ev.stake_percent + "% stake", "amount"));
      if (ev.confidence !== null && ev.confidence !== undefined)
        meta.appendChild(el("span", "confidence " + Number(ev.confidence).toFixed(2), "conf"));
      if (ev.hedged) meta.appendChild(el("span", "hedged", "hedged"));
      li.appendChild(meta);
      ul.appendChild(li);
    });
    if (e.sources > e.evidence.length)
      ul.appendChild(el("li", e.sources + " articles support this relation; the most confident sentences are shown.", "hint"));
    if (e.weaker) ul.appendChild(weakerNote(e.weaker));
    return ul;
  }
  function weakerNote(n) {
    var li = el("li", null, "hint weaker");
    li.appendChild(el("span", n + (n === 1 ? " weaker statement" : " weaker statements") + " hidden (confidence below " +
                              Number(DATA.filters.min_confidence).toFixed(2) + ")"));
    if (CONFIG.standalone) {
      li.appendChild(el("span", "; not in this file (aikg viz --min-confidence 0 writes them)"));
    } else {
      var q = new URLSearchParams(queryString());
      q.set("min_confidence", "0");
      var a = el("a", "show all", "show-all");
      a.href = location.pathname + "?" + q.toString();
      li.appendChild(document.createTextNode(" \u00b7 "));
      li.appendChild(a);
    }
    return li;
  }
  function edgeFacts(e) {
    var parts = [e.sources + (e.sources === 1 ? " source" : " sources")];
    var when = stateLine(stateAt(e, asOf));
    if (when) parts.push(when);
    if (e.first) parts.push(e.first === e.last || !e.last ? e.first : e.first + " to " + e.last);
    if (e.confidence !== null && e.confidence !== undefined) parts.push("confidence " + Number(e.confidence).toFixed(2));
    if (e.hedged) parts.push("hedged");
    return parts.join(" \u00b7 ");
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    clearPanel();
    panel.setAttribute("data-kind", "edge");
    panel.appendChild(el("h2", label(e.from) + " " + e.predicate + " " + label(e.to)));
    panel.appendChild(el("p", e.family + (e.symmetric ? ", symmetric" : ", directed") + " \u00b7 " + edgeFacts(e), "facts"));
    panel.appendChild(evidenceList(e));
  }
  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) return;
    clearPanel();
    panel.setAttribute("data-kind", "node");
    panel.appendChild(el("h2", n.label));
    panel.appendChild(el("p", (n.type || "unknown type") + " \u00b7 " + n.degree + (n.degree === 1 ? " relation" : " relations"), "facts"));
    if (n.aliases && n.aliases.length) panel.appendChild(el("p", "Also: " + n.aliases.join(", "), "facts"));
    if (n.wikidata && /^Q[0-9]+$/.test(n.wikidata)) {
      var w = el("p", null, "facts");
      var wa = el("a", "Wikidata " + n.wikidata);
      wa.href = "https://www.wikidata.org/wiki/" + n.wikidata;
      wa.rel = "noopener noreferrer";
      wa.target = "_blank";
      w.appendChild(wa);
      panel.appendChild(w);
    }
    if (CONFIG.entityBase && n.slug) {
      var p = el("p", null, "facts");
      var a = el("a", "Entity page");
      a.href = CONFIG.entityBase + encodeURIComponent(n.slug);
      a.className = "entity-link";
      p.appendChild(a);
      panel.appendChild(p);
    }
    var groups = new Map();
    edgesOf.get(id).forEach(function (e) {
      if (hiddenEdges.has(e.id)) return;
      if (!groups.has(e.predicate)) groups.set(e.predicate, []);
      groups.get(e.predicate).push(e);
    });
    if (!groups.size) panel.appendChild(el("p", "No relation shown with the current filters.", "hint"));
    Array.from(groups.keys()).sort().forEach(function (pred) {
      panel.appendChild(el("h3", pred));
      groups.get(pred).forEach(function (e) {
        var text;
        if (e.symmetric) text = "\u2194 " + label(e.from === id ? e.to : e.from);
        else if (e.from === id) text = "\u2192 " + label(e.to);
        else text = "\u2190 " + label(e.from);
        var head = el("div", text + "  (" + edgeFacts(e) + ")", "rel");
        head.addEventListener("click", function () { network.selectEdges([e.id]); showEdge(e.id); });
        panel.appendChild(head);
        panel.appendChild(evidenceList(e));
      });
    });
  }
  function hidePanel() {
    clearPanel();
    panel.removeAttribute("data-kind");
    panel.appendChild(el("p", "Click an entity or a relation to see the sentences behind it.", "hint"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else hidePanel();
  });

  // -------------------------------------------------------------------- filters
  var form = document.getElementById("filters");
  var hiddenNodes = new Set(), hiddenEdges = new Set();
  // asOf: the slider's day, YYYY-MM-DD (null: no cut beyond the server's own as_of).
  var asOf = null;
  function fold(s) { return String(s || "").trim().toLowerCase(); }
  function findNode(text) {
    var t = fold(text);
    if (!t) return null;
    if (nodeById.has(text)) return text;
    var hit = null, prefix = null;
    DATA.nodes.forEach(function (n) {
      if (hit) return;
      if (fold(n.label) === t || fold(n.slug) === t || fold(n.wikidata) === t ||
          (n.aliases || []).some(function (a) { return fold(a) === t; })) hit = n.id;
      else if (!prefix && fold(n.label).indexOf(t) === 0) prefix = n.id;
    });
    return hit || prefix;
  }
  function readForm() {
    var fd = new FormData(form);
    return {
      focus: String(fd.get("focus") || "").trim(),
      depth: Math.max(0, parseInt(fd.get("depth"), 10) || 0),
      predicates: fd.getAll("predicates"),
      types: fd.getAll("types"),
      since: String(fd.get("since") || ""),
      until: String(fd.get("until") || ""),
      minConf: parseFloat(fd.get("min_confidence")) || 0,
      minSources: parseInt(fd.get("min_sources"), 10) || 1,
      showEnded: fd.get("include_ended") !== null
    };
  }
  function writeForm(params) {
    ["focus", "depth", "since", "until", "min_confidence", "min_sources", "limit"].forEach(function (k) {
      if (params.has(k) && form.elements[k]) form.elements[k].value = params.get(k);
    });
    ["predicates", "types"].forEach(function (k) {
      if (!params.has(k)) return;
      var want = new Set();
      params.getAll(k).forEach(function (v) { v.split(",").forEach(function (x) { if (x.trim()) want.add(x.trim()); }); });
      form.querySelectorAll("input[name=" + k + "]").forEach(function (box) { box.checked = want.has(box.value); });
    });
    if (params.has("include_ended"))
      form.elements.include_ended.checked = ["0", "false", "no", "off"].indexOf(fold(params.get("include_ended"))) < 0;
    if (params.has("as_of")) setAsOf(params.get("as_of"));
  }
  function queryString() {
    var q = new URLSearchParams();
    var f = readForm();
    if (f.focus) { q.set("focus", f.focus); q.set("depth", String(f.depth)); }
    ["predicates", "types"].forEach(function (k) {
      var boxes = form.querySelectorAll("input[name=" + k + "]");
      var on = Array.from(boxes).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (on.length < boxes.length) q.set(k, on.join(","));
    });
    if (f.since) q.set("since", f.since);
    if (f.until) q.set("until", f.until);
    // The server applies its default threshold when the URL names none.
    if (f.minConf !== CONFIG.defaultMinConfidence) q.set("min_confidence", String(f.minConf));
    if (f.minSources > 1) q.set("min_sources", String(f.minSources));
    var lim = form.elements.limit.value;
    if (lim && lim !== "300") q.set("limit", lim);
    if (asOf || DATA.filters.as_of) q.set("as_of", asOf || DATA.filters.as_of);
    if (!f.showEnded) q.set("include_ended", "0");
    return q.toString();
  }
  function shareUrl() {
    var qs = queryString();
    return CONFIG.standalone ? "#" + qs : location.pathname + (qs ? "?" + qs : "");
  }
  function apply() {
    var f = readForm();
    var preds = new Set(f.predicates), types = new Set(f.types);
    var allTypes = types.size === CONFIG.types.length;
    var dated = Boolean(f.since || f.until || asOf);
    function nodeOk(n) { return n.type ? types.has(n.type) : allTypes; }
    var edgeOk = new Set();
    DATA.edges.forEach(function (e) {
      if (!preds.has(e.predicate) || e.sources < f.minSources) return;
      if (f.minConf > 0 && e.confidence !== null && e.confidence < f.minConf) return;
      if (f.since && !(e.last && e.last >= f.since)) return;
      if (f.until && !(e.first && e.first <= f.until)) return;
      var st = stateAt(e, asOf);
      if (!st || (st.ended && !f.showEnded)) return;
      if (!nodeOk(nodeById.get(e.from)) || !nodeOk(nodeById.get(e.to))) return;
      edgeOk.add(e.id);
    });
    // An edge's look follows its state on the slider's day; only the changed ones are redrawn.
    var restyle = [];
    DATA.edges.forEach(function (e) {
      var st = stateAt(e, asOf);
      if (!st) return;
      var key = (st.ended ? "1 " : "0 ") + stateLine(st);
      if (key !== shownKey.get(e.id)) { restyle.push(styleFor(e, st)); shownKey.set(e.id, key); }
    });
    if (restyle.length) edges.update(restyle);
    var show = new Set();
    var center = f.focus ? (DATA.focus && fold(f.focus) === fold(DATA.filters.focus) ? DATA.focus : findNode(f.focus)) : null;
    if (center) {
      show.add(center);
      var frontier = [center];
      for (var d = 0; d < f.depth; d++) {
        var next = [];
        frontier.forEach(function (id) {
          edgesOf.get(id).forEach(function (e) {
            if (!edgeOk.has(e.id)) return;
            var other = e.from === id ? e.to : e.from;
            if (!show.has(other)) { show.add(other); next.push(other); }
          });
        });
        frontier = next;
      }
    } else {
      DATA.nodes.forEach(function (n) {
        if (!nodeOk(n)) return;
        var own = edgesOf.get(n.id);
        if ((!own.length && !dated) || own.some(function (e) { return edgeOk.has(e.id); })) show.add(n.id);
      });
    }
    var nodeUpd = [], edgeUpd = [], shownEdges = 0;
    DATA.nodes.forEach(function (n) {
      var hide = !show.has(n.id);
      if (hide !== hiddenNodes.has(n.id)) nodeUpd.push({ id: n.id, hidden: hide });
      if (hide) hiddenNodes.add(n.id); else hiddenNodes.delete(n.id);
    });
    DATA.edges.forEach(function (e) {
      var hide = !(edgeOk.has(e.id) && show.has(e.from) && show.has(e.to));
      if (!hide) shownEdges++;
      if (hide !== hiddenEdges.has(e.id)) edgeUpd.push({ id: e.id, hidden: hide });
      if (hide) hiddenEdges.add(e.id); else hiddenEdges.delete(e.id);
    });
    if (nodeUpd.length) nodes.update(nodeUpd);
    if (edgeUpd.length) edges.update(edgeUpd);
    var msg = show.size + " of " + DATA.nodes.length + " entities, " + shownEdges + " relations shown";
    if (f.focus && !center) msg += "; no entity named \u201c" + f.focus + "\u201d here";
    document.getElementById("summary").textContent = msg;
    document.getElementById("share").href = shareUrl();
    window.aikg.visible = { nodes: Array.from(show), edges: Array.from(edgeOk).filter(function (id) {
      var e = edgeById.get(id); return show.has(e.from) && show.has(e.to); }) };
  }
  form.addEventListener("submit", function (ev) {
    if (CONFIG.standalone) {
      ev.preventDefault();
      apply();
      try { history.replaceState(null, "", shareUrl()); } catch (err) { location.hash = queryString(); }
      return;
    }
    // Served: ask the server again, with a short URL (no defaults, no all-checked groups).
    ev.preventDefault();
    location.href = shareUrl();
  });
  form.addEventListener("change", function (ev) {
    if (CONFIG.standalone || ev.target.type === "checkbox") apply();
    if (ev.target.name === "include_ended") {
      // The address keeps the box's state, so a reload or a shared link shows the same.
      try { history.replaceState(null, "", shareUrl()); } catch (err) { /* a file: URL may refuse */ }
    }
  });

  // ------------------------------------------------------------- as-of slider
  // The slider's stops are the claim days at which some relation began or ended.
  var dates = Array.from(new Set([].concat.apply([], DATA.edges.map(function (e) {
    return (e.changes || []).map(function (c) { return c[0]; });
  })))).sort();
  var slider = document.getElementById("asof");
  var asofLabel = document.getElementById("asof-label");
  slider.max = String(dates.length);
  slider.value = String(dates.length);
  function onSlide() {
    var i = parseInt(slider.value, 10);
    // A stop is a claim day at its own precision; as a day it is its first day.
    asOf = i >= dates.length ? null : firstDay(dates[i]);
    asofLabel.textContent = (i >= dates.length ? null : dates[i]) || DATA.filters.as_of || "all dates";
    apply();
  }
  function setAsOf(text) {
    // From an address: the day it names (a year or month: its last day), the slider at
    // the last stop on or before it.
    var day = lastDay(String(text || "").trim());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    var i = 0;
    while (i < dates.length && firstDay(dates[i]) <= day) i++;
    slider.value = String(i >= dates.length ? dates.length : Math.max(0, i - 1));
    asOf = day;
    asofLabel.textContent = String(text).trim();
  }
  slider.addEventListener("input", onSlide);
  var timer = null;
  document.getElementById("replay").addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; return; }
    slider.value = "0";
    onSlide();
    timer = setInterval(function () {
      var i = parseInt(slider.value, 10) + 1;
      slider.value = String(i);
      onSlide();
      if (i >= dates.length) { clearInterval(timer); timer = null; }
    }, Math.max(60, Math.min(600, 12000 / Math.max(1, dates.length))));
  });
  if (!dates.length) document.getElementById("asof-box").hidden = true;

  // -------------------------------------------------------------------- search
  var names = document.getElementById("entity-names");
  DATA.nodes.slice(0, 3000).forEach(function (n) {
    var o = document.createElement("option");
    o.value = n.label;
    names.appendChild(o);
  });
  var search = document.getElementById("search");
  var searchMsg = document.getElementById("search-msg");
  var navigating = false;
  function centre(text) {
    searchMsg.textContent = "";
    var id = findNode(text);
    if (id && !hiddenNodes.has(id)) {
      network.focus(id, { scale: 1.3, animation: { duration: 400 } });
      network.selectNodes([id]);
      showNode(id);
    } else if (!CONFIG.standalone && text.trim()) {
      // Enter and the change that follows it both land here: navigate once.
      if (navigating) return;
      navigating = true;
      var q = new URLSearchParams(queryString());
      q.set("focus", text.trim());
      q.set("depth", q.get("depth") || "1");
      location.href = location.pathname + "?" + q.toString();
    } else {
      searchMsg.textContent = text.trim() ? "not in this view" : "";
    }
  }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") centre(search.value); });
  search.addEventListener("change", function () { centre(search.value); });

  // ----------------------------------------------------------------------- start
  var initial = CONFIG.standalone ? location.hash.replace(/^#/, "") : location.search.replace(/^\?/, "");
  if (initial) writeForm(new URLSearchParams(initial));
  if (asOf === null) asofLabel.textContent = DATA.filters.as_of || "all dates";
  apply();
})();
"""
