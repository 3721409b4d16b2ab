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
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES, slugify
from kg.namespaces import (
    DCTERMS,
    ENTITY,
    ONTOLOGY,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    WD,
    XSD,
)
from kg.store import Store, term_sparql
from kg.timeline import claim_day_sparql, parse_day

log = logging.getLogger(__name__)


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

MEASURES = ("pagerank", "degree", "betweenness")

_BETWEENNESS_EXACT_MAX = 1000
_BETWEENNESS_PIVOTS = 200

_XSD_DATE = ox.NamedNode(XSD + "date")
_WIKIDATA_ID = re.compile(r"^(?:wd:|https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$", re.I)

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


def _undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """Return the simple undirected projection; ``weight`` sums the edges' sources."""
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        w = data.get("sources", 1) or 1
        if U.has_edge(u, v):
            U[u][v]["weight"] += w
        else:
            U.add_edge(u, v, weight=w)
    return U


def _node_dict(G: nx.Graph, n: str) -> dict[str, Any]:
    d = G.nodes[n]
    return {"id": n, "label": d.get("label", n), "type": d.get("type")}


def centrality(G: nx.MultiDiGraph, measure: str = "pagerank", top: int = 20) -> list[dict[str, Any]]:
    """Rank entities by a centrality measure on the undirected projection.

    Args:
        G: a graph from :func:`to_networkx`.
        measure: ``pagerank`` (weighted by sources), ``degree`` or ``betweenness``
            (estimated from 200 sampled pivots on graphs over 1,000 entities).
        top: how many to return (0 or less: all).

    Returns:
        Dicts ``id``, ``label``, ``type``, ``score``, highest score first (ties by label).

    Raises:
        ValueError: an unknown measure.
    """
    scores = _scores(G, measure)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], G.nodes[kv[0]].get("label", kv[0]), kv[0]))
    if top and top > 0:
        ranked = ranked[:top]
    return [{**_node_dict(G, n), "score": round(float(s), 6)} for n, s in ranked]


def _scores(G: nx.MultiDiGraph, measure: str) -> dict[str, float]:
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; use one of: {', '.join(MEASURES)}")
    if G.number_of_nodes() == 0:
        return {}
    U = _undirected(G)
    if measure == "pagerank":
        return _pagerank(U)
    scores: dict[str, float]
    if measure == "degree":
        scores = nx.degree_centrality(U)
    elif U.number_of_nodes() > _BETWEENNESS_EXACT_MAX:
        # Exact betweenness is O(nodes x edges): 47 s on 2,500 nodes and 50k edges here.
        # Sampling pivots keeps the ranking of the top entities at a fraction of that.
        scores = nx.betweenness_centrality(U, k=_BETWEENNESS_PIVOTS, seed=42)
    else:
        scores = nx.betweenness_centrality(U)
    return scores


def _pagerank(U: nx.Graph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict[str, float]:
    """Return weighted PageRank by power iteration.

    networkx's own ``pagerank`` needs scipy, which aikg does not otherwise depend on.
    An isolated node's rank is spread evenly, as networkx does.
    """
    nodes = list(U)
    n = len(nodes)
    out: dict[str, list[tuple[str, float]]] = {}
    for u in nodes:
        links = [(v, float(d.get("weight", 1))) for _, v, d in U.edges(u, data=True)]
        total = sum(w for _, w in links)
        out[u] = [(v, w / total) for v, w in links] if total else []
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = sum(rank[u] for u in nodes if not out[u])
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + alpha * dangling / n)
        for u, links in out.items():
            r = alpha * rank[u]
            for v, share in links:
                new[v] += r * share
        err = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


def communities(G: nx.MultiDiGraph, seed: int = 42) -> list[list[dict[str, Any]]]:
    """Split the graph into Louvain communities (undirected, weighted by sources).

    Args:
        G: a graph from :func:`to_networkx`.
        seed: the random seed, so the same graph gives the same split.

    Returns:
        Communities, largest first; each a list of ``id``/``label``/``type`` dicts, most
        connected member first.
    """
    if G.number_of_nodes() == 0:
        return []
    U = _undirected(G)
    parts = nx.community.louvain_communities(U, weight="weight", seed=seed)
    out = []
    for part in parts:
        members = sorted(part, key=lambda n: (-U.degree(n, weight="weight"), U.nodes[n].get("label", n), n))
        out.append([_node_dict(U, n) for n in members])
    out.sort(key=lambda c: (-len(c), c[0]["label"]))
    return out


def find_node(G: nx.Graph, ref: str) -> str:
    """Return the node a reference names: its IRI, slug, label, alias or Wikidata id.

    Raises:
        NotFoundError: nothing in the graph matches.
    """
    if ref in G:
        return ref
    if ENTITY + ref in G:
        return ENTITY + ref
    want = ref.strip().casefold()
    m = _WIKIDATA_ID.match(ref.strip())
    for key in ("label", "aliases"):
        for n, d in G.nodes(data=True):
            values = d.get(key) or []
            values = [values] if isinstance(values, str) else values
            if any(v.casefold() == want for v in values):
                return str(n)
    for n, d in G.nodes(data=True):
        if m and (d.get("wikidata") or "").upper() == m.group(1).upper():
            return str(n)
    slug = ENTITY + slugify(ref)
    if slug in G:
        return slug
    raise NotFoundError(f"no entity {ref!r} in the graph")


def shortest_path(G: nx.MultiDiGraph, a: str, b: str, max_length: int = 6) -> list[dict[str, Any]]:
    """Return the shortest chain of relations linking two entities, either direction.

    Args:
        G: a graph from :func:`to_networkx`.
        a: the start entity (IRI, slug, label, alias or Wikidata id).
        b: the end entity.
        max_length: the longest path accepted, in edges.

    Returns:
        One dict per hop: ``from``, ``predicate``, ``to`` (IRIs, in path order),
        ``from_label``, ``to_label``, ``sources`` and ``direction``: ``forward`` when
        the relation reads from -> to (always so for symmetric predicates), else
        ``backward`` (``to`` is its subject), and the relation's time: ``ended``,
        ``start_date``, ``end_date`` (see :func:`to_networkx`). Where two entities
        share several predicates an active one is shown before an ended one, then the
        best supported.

    Raises:
        NotFoundError: an entity is not in the graph, or no path of at most
            ``max_length`` edges joins them.
    """
    u, v = find_node(G, a), find_node(G, b)
    if u == v:
        return []
    U = _undirected(G)
    names = f"{G.nodes[u].get('label', u)} and {G.nodes[v].get('label', v)}"
    try:
        nodes = nx.shortest_path(U, u, v)
    except nx.NetworkXNoPath:
        raise NotFoundError(f"no chain of relations links {names}") from None
    if len(nodes) - 1 > max_length:
        raise NotFoundError(
            f"no chain of at most {max_length} relations links {names} (the shortest has {len(nodes) - 1})"
        )
    hops = []
    for x, y in zip(nodes, nodes[1:]):
        options = []
        for key, data in (G.get_edge_data(x, y) or {}).items():
            options.append((data, "forward", key))
        for key, data in (G.get_edge_data(y, x) or {}).items():
            options.append((data, "forward" if data.get("symmetric", False) else "backward", key))
        data, direction, pred = max(
            options, key=lambda t: (not t[0].get("ended", False), t[0].get("sources", 0), t[1] == "forward", t[2])
        )
        hops.append(
            {
                "from": x,
                "predicate": pred,
                "to": y,
                "direction": direction,
                "from_label": G.nodes[x].get("label", x),
                "to_label": G.nodes[y].get("label", y),
                "sources": data.get("sources", 0),
                "ended": bool(data.get("ended", False)),
                "start_date": data.get("start_date"),
                "end_date": data.get("end_date"),
            }
        )
    return hops


def ego_graph(G: nx.MultiDiGraph, center: str, depth: int = 1) -> nx.MultiDiGraph:
    """Return the entities within ``depth`` relations of one entity, either direction.

    Raises:
        NotFoundError: the center is not in the graph.
    """
    node = find_node(G, center)
    return nx.ego_graph(G, node, radius=max(0, depth), undirected=True).copy()


def top_entities(G: nx.MultiDiGraph, limit: int, measure: str = "pagerank") -> nx.MultiDiGraph:
    """Return the subgraph of the ``limit`` most central entities.

    Raises:
        ValueError: an unknown measure.
    """
    keep = [d["id"] for d in centrality(G, measure, top=max(0, limit))] if limit > 0 else []
    return G.subgraph(keep).copy()


_RESOLVE_EXACT = (
    _PREFIXES
    + """
SELECT ?e ?rank ?l WHERE {
  { ?e rdfs:label ?l BIND(0 AS ?rank) } UNION { ?e skos:prefLabel ?l BIND(0 AS ?rank) }
  UNION { ?e skos:altLabel ?l BIND(1 AS ?rank) }
  FILTER(LCASE(STR(?l)) = LCASE(STR(?name)))
}
"""
)

# The same question for the exact text, answered from the index: the labels equal to the
# text as typed (a plain string), read by value rather than by scanning every label.
_RESOLVE_LABEL = (
    _PREFIXES
    + """
SELECT ?e ?name WHERE { { ?e rdfs:label ?name } UNION { ?e skos:prefLabel ?name } }
"""
)

_RESOLVE_PREFIX = (
    _PREFIXES
    + """
SELECT ?e ?rank ?l WHERE {
  { ?e rdfs:label ?l BIND(0 AS ?rank) } UNION { ?e skos:altLabel ?l BIND(1 AS ?rank) }
  FILTER(STRSTARTS(LCASE(STR(?l)), LCASE(STR(?name))))
}
"""
)

_RESOLVE_WIKIDATA = _PREFIXES + "SELECT ?e WHERE { ?e owl:sameAs ?wd }"
_EXISTS = _PREFIXES + "SELECT ?t WHERE { ?e a ?t } LIMIT 1"


def _exists(store: Store, iri: str) -> bool:
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return any(True for _ in store.select(_EXISTS, substitutions={"e": node}))


def _best(rows: Iterable[Any], name: str) -> str | None:
    """Pick the match: canonical label before alias, then shortest label, then IRI."""
    found = sorted(
        (int(r["rank"].value), len(r["l"].value), r["e"].value) for r in rows if r["e"].value.startswith(ENTITY)
    )
    return found[0][2] if found else None


def _exact_label(store: Store, text: str) -> str | None:
    """Return the entity whose canonical label is exactly the text, when the full scan would pick it too.

    The case-insensitive scan ranks every label that matches: canonical before alias,
    then shorter, then IRI. A canonical label spelt exactly as typed is the best rank
    and the shortest length, so it can only lose to another entity with a label that
    differs in letter case alone and a smaller IRI. Entities aikg writes take their IRI
    from the slug of their label, and labels that differ in case alone have the same
    slug, so they are one entity: the answer is taken from the index only when the hit
    is such an entity (its IRI is the slug of the text, not the hash kept for names
    without letters or digits). Otherwise None, and the caller scans.
    """
    slug = slugify(text)
    if not re.search(r"[A-Za-z0-9]", text) or re.fullmatch(r"x[0-9a-f]{12}", slug):
        return None
    want = ENTITY + slug
    hits = {r["e"].value for r in store.select(_RESOLVE_LABEL, substitutions={"name": ox.Literal(text)})}
    return want if want in hits and min(h for h in hits if h.startswith(ENTITY)) == want else None


def resolve_entity(store: Store, text: str) -> str | None:
    """Return the IRI of the entity a user names, or None when nothing matches.

    Tries, in order: an entity IRI, a Wikidata id (``Q2283``, ``wd:Q2283`` or its URL),
    a slug (``google-deepmind``), a label or alias matched case-insensitively, then a
    label or alias that starts with the text. A label spelt exactly as typed is read from
    the index (under a millisecond); only other spellings scan the labels. The text only ever reaches the store as a
    bound literal, so quotes or SPARQL in it are data.

    Args:
        store: the store to search.
        text: what the user typed.
    """
    text = (text or "").strip()
    if not text:
        return None
    if text.startswith(("http://", "https://")) and not _WIKIDATA_ID.match(text):
        return text if _exists(store, text) else None
    m = _WIKIDATA_ID.match(text)
    if m:
        wd = ox.NamedNode(WD + m.group(1).upper())
        hits: list[str] = sorted(r["e"].value for r in store.select(_RESOLVE_WIKIDATA, substitutions={"wd": wd}))
        hits = [h for h in hits if h.startswith(ENTITY)]
        if hits:
            return hits[0]
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text) and _exists(store, ENTITY + text):
        return ENTITY + text
    hit = _exact_label(store, text)
    if hit:
        return hit
    name = ox.Literal(text)
    hit = _best(store.select(_RESOLVE_EXACT, substitutions={"name": name}), text)
    if hit:
        return hit
    slug = slugify(text)
    if _exists(store, ENTITY + slug):
        return ENTITY + slug
    if len(text) >= 2:
        return _best(store.select(_RESOLVE_PREFIX, substitutions={"name": name}), text)
    return None
