"""Finding an entity from what a user types: a label, alias, slug, Wikidata id or IRI.

:func:`find_node` looks in a projected graph, :func:`resolve_entity` in the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.analytics.projection import _PREFIXES
from kg.errors import NotFoundError
from kg.model import slugify
from kg.namespaces import ENTITY, WD
from kg.store import Store

_WIKIDATA_ID = re.compile(r"^(?:wd:|https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$", re.I)


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
