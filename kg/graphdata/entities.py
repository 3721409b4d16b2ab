"""Entities and relations for the REST API and pages: search, one entity, a projection's edges.

:func:`search_entities` finds entities by name, :func:`get_entity` reads one with its
relations (grouped, with their evidence and state on a day), and
:func:`relations_from_graph` turns the edges of a projection into relation dicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.graphdata.records import (
    _P,
    _STATEMENT_VALUES,
    _STATEMENT_VARS,
    _bound,
    _day,
    _float,
    _v,
    local,
    ref,
    time_fields,
)
from kg.model import ENTITY_TYPES, SYMMETRIC_PREDICATES, slugify
from kg.namespaces import ARTICLE, ENTITY, ONTOLOGY, WD, entity_iri
from kg.store import Store
from kg.timeline import fold, in_view

if TYPE_CHECKING:
    import networkx as nx


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_SEARCH = (
    _P
    + """
SELECT ?e ?name ?k ?type WHERE {
  VALUES ?k { rdfs:label skos:altLabel }
  ?e ?k ?name .
  FILTER(STRSTARTS(STR(?e), STR(ent:)) && CONTAINS(LCASE(STR(?name)), LCASE(STR(?q))))
  OPTIONAL { ?e rdf:type ?type }
}
"""
)
_ALL_ENTITIES = (
    _P
    + """
SELECT ?e ?name ?k ?type WHERE {
  VALUES ?k { rdfs:label }
  ?e ?k ?name .
  FILTER(STRSTARTS(STR(?e), STR(ent:)))
  OPTIONAL { ?e rdf:type ?type }
}
"""
)
_ENTITY_PROPS = (
    _P
    + """
SELECT ?k ?v WHERE {
  VALUES ?k { rdf:type rdfs:label skos:prefLabel skos:altLabel owl:sameAs }
  ?e ?k ?v .
}
"""
)


def _props_of(store: Store, iris: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    """Return IRI -> property name -> values for these entities, in one query.

    The IRIs come from the store, and pyoxigraph writes each as a term.
    """
    terms = " ".join(str(ox.NamedNode(i)) for i in sorted(set(iris)))
    if not terms:
        return {}
    q = _P + (
        "SELECT ?e ?k ?v WHERE { VALUES ?e { " + terms + " } "
        "VALUES ?k { rdf:type rdfs:label skos:altLabel owl:sameAs } ?e ?k ?v . }"
    )
    return _props(store.select(q), "e")


def _props(rows: Iterable[ox.QuerySolution], key: str | None = None) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        e = _bound(row, key) if key else ""
        k = _bound(row, "k").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        vals = out.setdefault(e, {}).setdefault(k, [])
        v = _bound(row, "v")
        if v not in vals:
            vals.append(v)
    return out


def _describe(iri: str, props: dict[str, list[str]]) -> dict[str, Any]:
    types = [t.removeprefix(ONTOLOGY) for t in props.get("type", []) if t.startswith(ONTOLOGY)]
    etype = next((t for t in ENTITY_TYPES if t in types), None)
    labels = sorted(set(props.get("label", []) + props.get("prefLabel", [])), key=lambda s: (len(s), s))
    label = labels[0] if labels else iri.removeprefix(ENTITY)
    wikidata = sorted(v.removeprefix(WD) for v in props.get("sameAs", []) if v.startswith(WD))
    aliases = sorted(set(props.get("altLabel", []) + labels[1:]) - {label})
    return {
        **ref(iri, label, etype),
        "types": types,
        "labels": labels,
        "aliases": aliases,
        "wikidata": wikidata[0] if wikidata else None,
    }


def search_entities(
    store: Store, q: str | None, etype: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Find entities by label or alias: exact matches, then prefixes, then substrings.

    Args:
        q: the text (case-insensitive); empty lists every entity by label.
        etype: keep one entity type.

    Returns:
        (the page of entity dicts with ``match``, the total number of matches).
    """
    text = (q or "").strip()
    if text:
        rows = store.select(_SEARCH, substitutions={"q": ox.Literal(text)})
    else:
        rows = store.select(_ALL_ENTITIES)
    want = text.casefold()
    best: dict[str, tuple[int, str]] = {}
    types: dict[str, set[str]] = {}
    for row in rows:
        name = _bound(row, "name")
        folded = name.casefold()
        rank = 3 if not want else 0 if folded == want else 1 if folded.startswith(want) else 2
        if rank == 2 and want not in folded:
            continue  # SPARQL LCASE and casefold differ on a few letters (German sharp s)
        e = _bound(row, "e")
        types.setdefault(e, set()).add(local(_v(row, "type")) or "")
        if e not in best or (rank, name) < best[e]:
            best[e] = (rank, name)
    found = []
    for e, (rank, name) in best.items():
        kind = next((t for t in ENTITY_TYPES if t in types.get(e, ())), None)
        if etype and kind != etype:
            continue
        found.append((rank, name.casefold(), e))
    found.sort()
    page_iris = [e for _, _, e in found[offset : offset + limit]]
    props = _props_of(store, page_iris)
    page = []
    for e in page_iris:
        d = _describe(e, props.get(e, {}))
        d["match"] = ("exact", "prefix", "substring", "all")[best[e][0]]
        d.pop("types"), d.pop("labels")
        page.append(d)
    return page, len(found)


_ENTITY_STATEMENTS = (
    _P
    + """
SELECT ?st ?s ?p ?o ?evidence ?conf ?hedged ?reviewed ?date ?art ?title ?url """
    + _STATEMENT_VARS
    + """
WHERE {
  { ?st rdf:subject ?e } UNION { ?st rdf:object ?e }
  ?st a aikg:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      aikg:evidence ?evidence ; prov:wasDerivedFrom ?art .
  OPTIONAL { ?st aikg:confidence ?conf }
  OPTIONAL { ?st aikg:hedged ?hedged }
  OPTIONAL { ?st aikg:reviewed ?reviewed }
  OPTIONAL { ?st dcterms:date ?date }"""
    + _STATEMENT_VALUES
    + """
  OPTIONAL { ?art dcterms:title ?title }
  OPTIONAL { ?art schema:url ?url }
}
"""
)


def entity_iri_for(slug: str) -> ox.NamedNode:
    """Return the IRI of a slug.

    Raises:
        NotFoundError: the text cannot be a slug.
    """
    if not _SLUG.match(slug):
        raise NotFoundError(
            f"no entity {slug!r}: a slug is lowercase letters, digits and hyphens (e.g. {slugify(slug)!r})"
        )
    return entity_iri(slug)


def get_entity(
    store: Store,
    slug: str,
    evidence_limit: int = 20,
    min_confidence: float = 0.0,
    as_of: date | None = None,
    include_ended: bool = True,
) -> dict[str, Any]:
    """Return an entity: types, labels, aliases, Wikidata, relations in and out with evidence.

    Args:
        store: the store to read.
        slug: the entity's slug.
        evidence_limit: sentences kept per relation.
        min_confidence: keep a relation when one of its statements is at least this
            confident (one without a confidence counts as 1.0), with only those statements
            as its evidence, sources and dates; each relation counts the others in
            ``weaker``, and ``hidden_relations`` counts the relations with none.
        as_of: the entity as it stood on this day: only statements whose claim day is
            this day or earlier count (:mod:`kg.timeline`); None counts them all.
        include_ended: keep the relations that are over (by ``as_of``, or at all), flagged
            ``ended``; current relations come first.

    Returns:
        The entity dict; each relation carries ``ended``, ``start_date`` and ``end_date``
        by the time rule, and each evidence sentence its own time and amount fields.

    Raises:
        NotFoundError: no entity with this slug.
    """
    node = entity_iri_for(slug)
    props = _props(store.select(_ENTITY_PROPS, substitutions={"e": node})).get("", {})
    if not props:
        raise NotFoundError(f"no entity {slug!r}")
    out = _describe(node.value, props)
    out["wikidata_url"] = WD + out["wikidata"] if out["wikidata"] else None
    out["as_of"] = as_of
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    seen: set[str] = set()
    for row in store.select(_ENTITY_STATEMENTS, substitutions={"e": node}):
        st = _bound(row, "st")
        if st in seen:
            continue
        seen.add(st)
        day = _day(_v(row, "date"))
        times = time_fields(row, _v(row, "date"))
        if not in_view(times["claim_date"], as_of):
            continue
        s, p, o = _bound(row, "s"), _bound(row, "p").removeprefix(ONTOLOGY), _bound(row, "o")
        outward = s == node.value
        if s == o:
            outward = True
        other = o if outward else s
        direction = "out" if outward or p in SYMMETRIC_PREDICATES else "in"
        g = groups.setdefault(
            (direction, p, other),
            {
                "direction": direction,
                "predicate": p,
                "other": other,
                "articles": set(),
                "dates": [],
                "confidence": None,
                "evidence": [],
                "weaker": 0,
            },
        )
        conf = _float(_v(row, "conf"))
        if conf is not None and conf < min_confidence and _v(row, "reviewed") != "true":
            g["weaker"] += 1
            continue
        g["articles"].add(_bound(row, "art"))
        if day:
            g["dates"].append(day)
        if conf is not None:
            g["confidence"] = max(conf, g["confidence"] or 0.0)
        g["evidence"].append(
            {
                "sentence": _v(row, "evidence"),
                "article": _bound(row, "art").removeprefix(ARTICLE),
                "title": _v(row, "title"),
                "url": _v(row, "url"),
                "date": day,
                "confidence": conf,
                "hedged": _v(row, "hedged") == "true",
                **times,
            }
        )
    shown = [g for g in groups.values() if g["evidence"]]
    info = _props_of(store, (g["other"] for g in shown))
    rels = []
    for g in shown:
        state = fold(((e["claim_date"], e["ended"]) for e in g["evidence"]), as_of)
        if state is None or (state.ended and not include_ended):
            continue
        d = _describe(g["other"], info.get(g["other"], {}))
        ev = sorted(g["evidence"], key=lambda e: (e["date"] is None, e["date"] or date.min, e["sentence"]))
        rels.append(
            {
                "direction": g["direction"],
                "predicate": g["predicate"],
                "other": ref(g["other"], d["label"], d["type"]),
                "sources": len(g["articles"]),
                "first": min(g["dates"]) if g["dates"] else None,
                "last": max(g["dates"]) if g["dates"] else None,
                "confidence": g["confidence"],
                "evidence": ev[:evidence_limit],
                "weaker": g["weaker"],
                "statements": len(g["evidence"]),
                "ended": state.ended,
                "start_date": state.start_date,
                "end_date": state.end_date,
            }
        )
    rels.sort(key=lambda r: (r["ended"], -r["sources"], r["direction"], r["predicate"], r["other"]["label"]))
    out["relations"] = rels
    out["hidden_relations"] = len(groups) - len(shown)
    return out


def node_ref(G: nx.Graph, iri: str) -> dict[str, Any]:
    """Return the entity reference of a networkx node."""
    d = G.nodes[iri] if iri in G else {}
    return ref(iri, d.get("label"), d.get("type"))


def relations_from_graph(G: nx.Graph, subject: str | None, obj: str | None) -> list[dict[str, Any]]:
    """Return the edges of a projection as relation dicts, best supported first."""
    out = []
    for s, o, data in G.edges(data=True):
        if subject and s != subject and not (data.get("symmetric") and o == subject):
            continue
        if obj and o != obj and not (data.get("symmetric") and s == obj):
            continue
        out.append(
            {
                "subject": node_ref(G, s),
                "predicate": data["predicate"],
                "object": node_ref(G, o),
                "sources": data["sources"],
                "mentions": data["mentions"],
                "first": _day(data.get("first")),
                "last": _day(data.get("last")),
                "confidence": data.get("confidence"),
                "hedged": data.get("hedged", False),
                "ended": data.get("ended", False),
                "start_date": data.get("start_date"),
                "end_date": data.get("end_date"),
            }
        )
    out.sort(key=lambda r: (-r["sources"], r["subject"]["label"], r["predicate"], r["object"]["label"]))
    return out
