"""What the pages show of the curation: the relations rejected around one entity.

The curated default graph no longer holds a rejected relation, so an entity's page cannot
find it there; this reads the operations (:mod:`kg.curation`) and the article graphs
instead, and says who rejected what, when, why, and how many articles stated it since.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from kg import curation
from kg.curation import (
    P_OBJECT,
    P_PREDICATE,
    P_STATEMENT,
    P_SUBJECT,
    CurationState,
    Operation,
)
from kg.model import SYMMETRIC_PREDICATES
from kg.namespaces import ENTITY, ONTOLOGY, RDF, Term, term_value
from kg.store import Store

_SUBJ = ox.NamedNode(RDF + "subject")
_PRED = ox.NamedNode(RDF + "predicate")
_OBJ = ox.NamedNode(RDF + "object")


_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)

#: A relation as (subject, predicate, object).
Spo = tuple[Term, Term, Term]


def _state(store: Store) -> CurationState:
    """Return the store's curation state, from its cache when it keeps one."""
    live: Store = getattr(store, "live", store)
    cached = getattr(live, "curation_state", None)
    if cached is not None:
        state = cached()
        if isinstance(state, CurationState):
            return state
    return curation.read_state(live)


def _count(value: object) -> int:
    """Return the integer a COUNT bound (0 when unbound)."""
    return int(value.value) if isinstance(value, ox.Literal) else 0


def _statement_spo(store: Store, st: Term) -> Spo | None:
    """Return the (subject, predicate, object) a statement has in its article graph, or None."""
    q = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?st ?ps ?s ; ?pp ?p ; ?po ?o } } LIMIT 1"
    for row in store.select(q, substitutions={"st": st, "ps": _SUBJ, "pp": _PRED, "po": _OBJ}):
        s, p, o = row["s"], row["p"], row["o"]
        if isinstance(s, _TERMS) and isinstance(p, _TERMS) and isinstance(o, _TERMS):
            return s, p, o
    return None


def _support(store: Store, state: CurationState, s: Term, p: Term, o: Term, statement: Term | None) -> tuple[int, int]:
    """Return how many statements, in how many named graphs, state the relation (or the one statement)."""
    if statement is not None:
        q = "SELECT (COUNT(DISTINCT ?g) AS ?a) WHERE { GRAPH ?g { ?st ?ps ?x } }"
        for row in store.select(q, substitutions={"st": statement, "ps": _SUBJ}):
            return 1, _count(row["a"])
        return 1, 0
    pre_s = " ".join(str(n) for n in state.preimage([s]))
    pre_o = " ".join(str(n) for n in state.preimage([o]))
    both = term_value(p).removeprefix(ONTOLOGY) in SYMMETRIC_PREDICATES
    pattern = "{ ?st ?ps ?a ; ?po ?b } UNION { ?st ?ps ?b ; ?po ?a }" if both else "?st ?ps ?a ; ?po ?b ."
    q = (
        f"SELECT (COUNT(DISTINCT ?st) AS ?n) (COUNT(DISTINCT ?g) AS ?m) WHERE {{ "
        f"VALUES ?a {{ {pre_s} }} VALUES ?b {{ {pre_o} }} GRAPH ?g {{ {pattern} ?st ?pp ?p }} }}"
    )
    for row in store.select(q, substitutions={"ps": _SUBJ, "po": _OBJ, "pp": _PRED, "p": p}):
        return _count(row["n"]), _count(row["m"])
    return 0, 0


def rejected_relations(store: Store, slug: str) -> list[dict[str, Any]]:
    """Return the relations to or from an entity that stand rejected, the latest rejection first.

    A relation counts while its latest verdict is a rejection (an accept after it, or an
    undo, takes it off the list); a rejection of one statement counts while that statement
    stays rejected. Merges are followed: a rejection made on an entity merged into this one
    is listed here.

    Args:
        store: the store to read.
        slug: the entity's slug.

    Returns:
        One dict per rejected relation: ``subject`` and ``object`` (entity references
        ``slug``, ``iri``, ``label``, ``type``, as the curated graph names them), ``predicate`` (local name), ``statement`` (the IRI when one
        statement was rejected, else None), ``operation`` (id), ``by``, ``created``
        (``YYYY-MM-DD``), ``reason``, ``statements`` and ``sources`` (how many statements
        and article graphs state it) and ``new_sources_since`` (articles that stated it
        after the rejection; relations only).
    """
    state = _state(store)
    if state.empty:
        return []
    node = ox.NamedNode(ENTITY + slug)
    seen: set[tuple[Term, Term, Term, Term | None]] = set()
    out: list[dict[str, Any]] = []
    for op in reversed(state.ops):
        if op.kind != "Reject" or op.iri in state.undone:
            continue
        row = _rejection(store, state, op, node, seen)
        if row is not None:
            out.append(row)
    if out:
        from kg import graphdata

        info = graphdata._props_of(store, {r[k] for r in out for k in ("subject", "object")})
        for r in out:
            for k in ("subject", "object"):
                d = graphdata._describe(r[k], info.get(r[k], {}))
                r[k] = graphdata.ref(r[k], d["label"], d["type"])
    return out


def _rejection(
    store: Store,
    state: CurationState,
    op: Operation,
    node: ox.NamedNode,
    seen: set[tuple[Term, Term, Term, Term | None]],
) -> dict[str, Any] | None:
    """Return the row of one rejection when it stands and touches ``node``, else None."""
    statement = op.one(P_STATEMENT)
    spo: Spo | None
    if statement is not None:
        spo = _statement_spo(store, statement)
        if spo is None or state.statement_verdict(statement, spo) is not False:
            return None
    else:
        rs, rp, ro = op.one(P_SUBJECT), op.one(P_PREDICATE), op.one(P_OBJECT)
        if rs is None or rp is None or ro is None:
            return None
        spo = (rs, rp, ro)
        verdict = state.relation_verdict(*spo)
        if verdict is None or verdict[1]:
            return None
    s, p, o = spo
    fs, fo = state.resolve(s), state.resolve(o)
    key = (fs, p, fo, statement)
    if node not in (fs, fo) or key in seen:
        return None
    seen.add(key)
    statements, sources = _support(store, state, s, p, o, statement)
    return {
        "subject": term_value(fs),
        "predicate": term_value(p).removeprefix(ONTOLOGY),
        "object": term_value(fo),
        "statement": term_value(statement) if statement is not None else None,
        "operation": op.iri.value.removeprefix(curation.OP_PREFIX),
        "by": op.by,
        "created": op.created[:10],
        "reason": op.reason,
        "statements": statements,
        "sources": sources,
        "new_sources_since": curation._new_sources(store, state, op) if statement is None else None,
    }


_SOURCE = """
SELECT ?a ?id ?url ?ingested WHERE {
  GRAPH ?cg { ?a ?sha ?id ; ?source "curation" .
    OPTIONAL { ?a ?urlp ?url } OPTIONAL { ?a ?ingp ?ingested } }
  FILTER(STRSTARTS(?id, ?prefix))
}"""
_QUOTES = """
SELECT ?st ?s ?p ?o ?quote ?conf WHERE {
  ?st ?derived ?a ; ?ps ?s ; ?pp ?p ; ?po ?o ; ?ev ?quote .
  OPTIONAL { ?st ?confp ?conf }
} ORDER BY ?st"""


def curation_source(store: Store, ref_text: str) -> dict[str, Any] | None:
    """Return the page of the source a curator gave for a hand-added relation, or None.

    A hand-added relation's statement is derived from an article node of its own (its id
    the digest of the address and the quote) that lives in the curation graph, not in an
    article graph of its own, so the article page does not find it. This returns it in the
    shape of :func:`kg.reader.article_view`: the quote is the one passage, the relations
    are the ones the curated graph still holds (an undone addition has none).

    Args:
        store: the store to read.
        ref_text: the source's id, or 8+ hex digits of it.

    Returns:
        The article dict, or None when no curation source has this id (or it is ambiguous).
    """
    from kg import graphdata
    from kg.namespaces import DCTERMS, PROV, SCHEMA, aikg

    text = (ref_text or "").strip().lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", text):
        return None
    rows = list(
        store.select(
            _SOURCE,
            substitutions={
                "cg": curation.CURATION_GRAPH,
                "sha": aikg("sha256"),
                "source": ox.NamedNode(DCTERMS + "source"),
                "urlp": ox.NamedNode(SCHEMA + "url"),
                "ingp": aikg("ingestedAt"),
                "prefix": ox.Literal(text),
            },
        )
    )
    if len({r["a"] for r in rows}) != 1:
        return None
    row = rows[0]
    art = row["a"]
    mentions: list[dict[str, Any]] = []
    passages: list[list[dict[str, Any]]] = []
    found = list(
        store.select(
            _QUOTES,
            substitutions={
                "a": art,
                "derived": ox.NamedNode(PROV + "wasDerivedFrom"),
                "ps": _SUBJ,
                "pp": _PRED,
                "po": _OBJ,
                "ev": aikg("evidence"),
                "confp": aikg("confidence"),
            },
        )
    )
    info = graphdata._props_of(store, {r[k].value for r in found for k in ("s", "o")})

    def entity(iri: str) -> dict[str, Any]:
        d = graphdata._describe(iri, info.get(iri, {}))
        return graphdata.ref(iri, d["label"], d["type"])

    for i, r in enumerate(found, 1):
        tid, sid = f"t{i}", f"s{i}"
        quote = r["quote"].value
        mentions.append(
            {
                "id": tid,
                "sentence": sid,
                "subject": entity(r["s"].value),
                "predicate": r["p"].value.removeprefix(ONTOLOGY),
                "object": entity(r["o"].value),
                "evidence": quote,
                "confidence": float(r["conf"].value) if r["conf"] is not None else None,
                "hedged": False,
                "reviewed": True,
                "ended": False,
                "start_date": None,
                "end_date": None,
                "stated_date": None,
                "date_text": None,
                "amount": None,
                "stake_percent": None,
            }
        )
        passages.append([{"sentence": sid, "triples": [tid], "pieces": [{"text": quote, "entity": None}]}])
    return {
        "id": row["id"].value,
        "iri": art.value,
        "title": "A source given with a hand-added relation",
        "url": row["url"].value if row["url"] is not None else None,
        "published": None,
        "ingested_at": row["ingested"].value if row["ingested"] is not None else None,
        "relations": len(mentions),
        "mentions": mentions,
        "hidden": 0,
        "full_text": False,
        "passages": passages,
        "gap_before": False,
        "unplaced": 0,
    }


_RAW_LABEL = """
SELECT ?l WHERE { GRAPH ?g { ?e ?p ?l } VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label>
  <http://www.w3.org/2004/02/skos/core#prefLabel> } } ORDER BY STRLEN(?l) ?l LIMIT 1"""


def _labels(store: Store, nodes: set[Term]) -> dict[Term, str]:
    """Return a label for each entity: its curated name, else the name its articles give it.

    An entity merged away has no name of its own in the curated graph any more (its names
    are the target's aliases there), so its articles' first name stands in.
    """
    from kg import graphdata

    entities = {n for n in nodes if isinstance(n, ox.NamedNode) and n.value.startswith(ENTITY)}
    info = graphdata._props_of(store, {n.value for n in entities})
    out: dict[Term, str] = {}
    for n in entities:
        props = info.get(n.value, {})
        if props.get("label") or props.get("prefLabel"):
            out[n] = graphdata._describe(n.value, props)["label"]
            continue
        rows = list(store.select(_RAW_LABEL, substitutions={"e": n}))
        out[n] = rows[0]["l"].value if rows else n.value.removeprefix(ENTITY)
    return out


def merged_entities(store: Store, slug: str) -> list[dict[str, Any]]:
    """Return the entities merged directly into this one, by name, each with who merged it, when and why.

    Each row is what a split takes back: ``slug`` and ``label`` (the name its articles
    give it), ``operation`` (the merge's id), ``by``, ``created`` (``YYYY-MM-DD``) and
    ``reason``. Entities merged into one of these are listed on its own page's row here
    only through it: a split takes back one merge at a time.
    """
    state = _state(store)
    node = ox.NamedNode(ENTITY + slug)
    sources = [a for a, b in state.merges.items() if b == node]
    if not sources:
        return []
    labels = _labels(store, set(sources))
    out: list[dict[str, Any]] = []
    for a in sources:
        op = next(
            (
                op
                for op in reversed(state.ops)
                if op.kind == "Merge"
                and op.iri not in state.undone
                and op.one(curation.P_MERGED) == a
                and op.one(curation.P_INTO) == node
            ),
            None,
        )
        out.append(
            {
                "slug": a.value.removeprefix(ENTITY),
                "label": labels.get(a, a.value),
                "operation": op.iri.value.removeprefix(curation.OP_PREFIX) if op else None,
                "by": op.by if op else "",
                "created": op.created[:10] if op else "",
                "reason": op.reason if op else "",
            }
        )
    return sorted(out, key=lambda r: (r["label"].lower(), r["slug"]))


def _what(op: Operation, labels: dict[Term, str], spo: dict[Term, Spo], kinds: dict[ox.NamedNode, str]) -> str:
    """Return one plain sentence saying what an operation changed."""

    def name(term: Term | None) -> str:
        if term is None:
            return "?"
        return labels.get(term, term_value(term).removeprefix(ENTITY))

    def pred(term: Term | None) -> str:
        return term_value(term).removeprefix(ONTOLOGY) if term is not None else "?"

    k, ent = op.kind, op.one(curation.P_ENTITY)
    label = op.one(curation.P_LABEL)
    if label is None:
        label = op.one(curation.P_ALIAS)
    value = term_value(label) if label is not None else "?"
    if k in ("Reject", "Accept"):
        verb = "Rejected" if k == "Reject" else "Accepted"
        statement = op.one(P_STATEMENT)
        if statement is not None:
            s, p, o = spo.get(statement) or (None, None, None)
            return f"{verb} one statement of {name(s)} {pred(p)} {name(o)}"
        return f"{verb} {name(op.one(P_SUBJECT))} {pred(op.one(P_PREDICATE))} {name(op.one(P_OBJECT))}"
    if k in ("Merge", "Split"):
        a, b = name(op.one(curation.P_MERGED)), name(op.one(curation.P_INTO))
        return f"Merged {a} into {b}" if k == "Merge" else f"Split {a} out of {b}"
    if k == "Rename":
        return f"Renamed {name(ent)} to “{value}”"
    if k == "AddAlias":
        return f"Added the alias “{value}” to {name(ent)}"
    if k == "RemoveAlias":
        return f"Removed the alias “{value}” from {name(ent)}"
    if k == "Retype":
        return f"Made {name(ent)} {pred(op.one(curation.P_NEWTYPE))}"
    if k == "SetWikidata":
        item = op.one(curation.P_WIKIDATA)
        return f"Linked {name(ent)} to Wikidata {term_value(item).rsplit('/', 1)[-1] if item is not None else '?'}"
    if k == "ClearWikidata":
        return f"Removed the Wikidata link of {name(ent)}"
    if k == "AddRelation":
        return f"Added {name(op.one(P_SUBJECT))} {pred(op.one(P_PREDICATE))} {name(op.one(P_OBJECT))} by hand"
    target = op.one(curation.P_UNDOES)
    if not isinstance(target, ox.NamedNode):
        return "Undid ?"
    return f"Undid {kinds.get(target, 'operation')} {target.value.removeprefix(curation.OP_PREFIX)}"


def history(store: Store, limit: int = 50) -> tuple[list[dict[str, Any]], int]:
    """Return the latest operations, newest first, in words, and how many there are in all.

    Each row: ``id``, ``type``, ``by``, ``created`` (``YYYY-MM-DD HH:MM`` UTC), ``reason``,
    ``what`` (one plain sentence naming the entities as the graph now names them),
    ``undone_by`` (the id of the undo, or None) and ``can_undo`` (not undone, not an undo).
    """
    state = _state(store)
    ops = list(reversed(state.ops))[: max(0, limit)]
    statements = {st for op in ops if (st := op.one(P_STATEMENT)) is not None}
    spo = {st: found for st in statements if (found := _statement_spo(store, st)) is not None}
    nodes: set[Term] = {t for parts in spo.values() for t in parts}
    for op in ops:
        for prop in (P_SUBJECT, P_OBJECT, curation.P_MERGED, curation.P_INTO, curation.P_ENTITY):
            term = op.one(prop)
            if term is not None:
                nodes.add(term)
    labels = _labels(store, nodes)
    kinds = {op.iri: op.kind for op in state.ops}
    rows: list[dict[str, Any]] = []
    for op in ops:
        undone = state.undone.get(op.iri)
        rows.append(
            {
                "id": op.iri.value.removeprefix(curation.OP_PREFIX),
                "type": op.kind,
                "by": op.by,
                "created": op.created[:16].replace("T", " "),
                "reason": op.reason,
                "what": _what(op, labels, spo, kinds),
                "undone_by": undone.value.removeprefix(curation.OP_PREFIX) if undone is not None else None,
                "can_undo": undone is None and op.kind != "Undo",
            }
        )
    return rows, len(state.ops)
