"""The operations a curator makes, each checked before it is recorded, and their log.

Each function checks its request against the store (the names resolve, the relation or
statement exists, the merge makes no cycle, the signature is allowed), raises
:class:`~kg.curation.records.CurationError` when it cannot be carried out, and records one
operation through :func:`kg.curation.apply.apply_operation`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

import pyoxigraph as ox

from kg.curation.apply import (
    Change,
    apply_operation,
    new_operation,
)
from kg.curation.names import (
    check_signature,
    entity_types,
    resolve_entity,
    resolve_predicate,
    statement_node,
)
from kg.curation.records import (
    _CREATED,
    _DERIVED,
    _OBJ,
    _PRED,
    _REVIEWED,
    _STATEMENT_CLASS,
    _SUBJ,
    _SYMMETRIC,
    _TRUE,
    _TYPE,
    _XSD_BOOL,
    _XSD_DATETIME,
    _XSD_DOUBLE,
    CURATION_GRAPH,
    OP_PREFIX,
    OP_TYPES,
    P_ADDED,
    P_ALIAS,
    P_ENTITY,
    P_INTO,
    P_LABEL,
    P_MERGED,
    P_NEWTYPE,
    P_OBJECT,
    P_PREDICATE,
    P_STATEMENT,
    P_SUBJECT,
    P_UNDOES,
    P_WIKIDATA,
    CurationError,
    CurationState,
    CurationStore,
    Operation,
    _named,
    _text,
    read_state,
)
from kg.model import ENTITY_TYPES
from kg.namespaces import (
    DCTERMS,
    ONTOLOGY,
    SCHEMA,
    STATEMENT,
    WD,
    XSD,
    Term,
    aikg,
    article_iri,
)

_QID = re.compile(r"^Q[1-9]\d*$")


def _relation_exists(
    store: CurationStore, state: CurationState, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode
) -> bool:
    pre_s = " ".join(str(n) for n in state.preimage([s]))
    pre_o = " ".join(str(n) for n in state.preimage([o]))
    pairs = f"{{ ?a {p} ?b }}"
    if p in _SYMMETRIC:
        pairs = f"{{ ?a {p} ?b }} UNION {{ ?b {p} ?a }}"
    q = f"ASK {{ VALUES ?a {{ {pre_s} }} VALUES ?b {{ {pre_o} }} GRAPH ?g {{ {pairs} }} }}"
    return store.ask(q)


def _statement_exists(store: CurationStore, st: ox.NamedNode) -> bool:
    q = f"ASK {{ GRAPH ?g {{ ?st a {_STATEMENT_CLASS} }} }}"
    return store.ask(q, substitutions={"st": st})


def verdict(
    store: CurationStore,
    kind: str,
    *,
    statement: str | None = None,
    subject: str | None = None,
    predicate: str | None = None,
    obj: str | None = None,
    by: str | None = None,
    reason: str | None = None,
) -> Change:
    """Reject or accept one statement, or a relation as a whole (every statement, now and later).

    Raises:
        CurationError: the statement or relation is not in the graph, or a name is unknown.
    """
    if kind not in ("Reject", "Accept"):
        raise CurationError(f"unknown verdict {kind!r}")
    props: list[tuple[ox.NamedNode, Term]]
    if statement:
        st = statement_node(statement)
        if not _statement_exists(store, st):
            raise CurationError(f"unknown statement {statement!r}")
        props = [(P_STATEMENT, st)]
    else:
        if not (subject and predicate and obj):
            raise CurationError("name a statement, or a relation as subject, predicate and object")
        p = resolve_predicate(predicate)
        s, o = resolve_entity(store, subject), resolve_entity(store, obj)
        state = read_state(store)
        if not _relation_exists(store, state, s, p, o):
            raise CurationError(f"no relation {subject} {predicate} {obj} in the graph")
        props = [(P_SUBJECT, state.resolve(s)), (P_PREDICATE, p), (P_OBJECT, state.resolve(o))]
    return apply_operation(store, *new_operation(kind, by=by, reason=reason, props=props))


def merge(
    store: CurationStore, source: str, target: str, *, by: str | None = None, reason: str | None = None
) -> Change:
    """Merge entity ``source`` into ``target``.

    Raises:
        CurationError: unknown entity, merging into itself, a cycle, or different types.
    """
    state = read_state(store)
    a, b = resolve_entity(store, source), resolve_entity(store, target)
    if state.resolve(a) != a:
        raise CurationError(f"{source!r} is already merged into {state.resolve(a).value}")
    if a == b or state.resolve(b) == a:
        raise CurationError(
            f"cannot merge {source!r} into itself" if a == b else f"cyclic merge: {target!r} is merged into {source!r}"
        )
    b = state.resolve(b)
    ta, tb = entity_types(store, a), entity_types(store, b)
    if not ta & tb:
        raise CurationError(
            f"cannot merge across types: {source!r} is {'/'.join(sorted(ta)) or 'untyped'}, "
            f"{target!r} is {'/'.join(sorted(tb)) or 'untyped'}"
        )
    return apply_operation(store, *new_operation("Merge", by=by, reason=reason, props=[(P_MERGED, a), (P_INTO, b)]))


def split(
    store: CurationStore, source: str, target: str, *, by: str | None = None, reason: str | None = None
) -> Change:
    """Take entity ``source`` out of ``target`` again (the merge stays in the history).

    Raises:
        CurationError: ``source`` is not merged into ``target``.
    """
    state = read_state(store)
    a, b = resolve_entity(store, source, raw=True), resolve_entity(store, target)
    if state.merges.get(a) != b:
        raise CurationError(f"{source!r} is not merged into {target!r}")
    return apply_operation(store, *new_operation("Split", by=by, reason=reason, props=[(P_MERGED, a), (P_INTO, b)]))


def entity_op(
    store: CurationStore,
    kind: str,
    entity: str,
    value: str | None = None,
    *,
    by: str | None = None,
    reason: str | None = None,
) -> Change:
    """Rename, add or remove an alias, retype, or set or clear the Wikidata item of an entity.

    Raises:
        CurationError: unknown entity, or a value that does not fit the operation.
    """
    e = resolve_entity(store, entity)
    value = (value or "").strip()
    props: list[tuple[ox.NamedNode, Term]]
    if kind in ("Rename", "AddAlias", "RemoveAlias"):
        if not value:
            raise CurationError("the name is empty")
        props = [(P_LABEL if kind == "Rename" else P_ALIAS, _text(value, "the name"))]
    elif kind == "Retype":
        if value not in ENTITY_TYPES:
            raise CurationError(f"unknown type {value!r}; use one of: {', '.join(ENTITY_TYPES)}")
        props = [(P_NEWTYPE, aikg(value))]
    elif kind == "SetWikidata":
        qid = value.removeprefix(WD)
        if not _QID.match(qid):
            raise CurationError(f"not a Wikidata item id: {value!r} (e.g. Q95)")
        props = [(P_WIKIDATA, ox.NamedNode(WD + qid))]
    elif kind == "ClearWikidata":
        props = []
    else:
        raise CurationError(f"unknown operation {kind!r}")
    return apply_operation(store, *new_operation(kind, by=by, reason=reason, props=[(P_ENTITY, e), *props]))


def add_relation(
    store: CurationStore,
    subject: str,
    predicate: str,
    obj: str,
    *,
    url: str,
    quote_text: str,
    by: str | None = None,
    reason: str | None = None,
) -> Change:
    """Add a relation by hand: a statement node with its source URL and quote, in the curation graph.

    Raises:
        CurationError: unknown entity or predicate, a signature the ontology forbids, or
            no http(s) source URL or quote.
    """
    p = resolve_predicate(predicate)
    state = read_state(store)
    s, o = state.resolve(resolve_entity(store, subject)), state.resolve(resolve_entity(store, obj))
    if s == o:
        raise CurationError("a relation needs two different entities")
    url, quote_text = (url or "").strip(), (quote_text or "").strip()
    if not url.startswith(("http://", "https://")):
        raise CurationError("--url must be an http(s) address of the source")
    if not quote_text:
        raise CurationError("--quote must give the sentence of the source that states the relation")
    _text(quote_text, "the quote")
    _named(url, "source URL")
    check_signature(store, s, p, o)
    if p in _SYMMETRIC and o.value < s.value:
        s, o = o, s
    digest = hashlib.sha256(f"curation|{s.value}|{p.value}|{o.value}|{url}|{quote_text}".encode()).hexdigest()[:32]
    st = ox.NamedNode(STATEMENT + digest)
    # The source is an article node of its own (its id the digest of address and quote), so
    # evidence panels show the address like any article's; it lives in the curation graph.
    source_id = hashlib.sha256(f"{url}\n{quote_text}".encode()).hexdigest()
    art = article_iri(source_id)
    g = CURATION_GRAPH
    extra = [
        ox.Quad(s, p, o, g),
        ox.Quad(st, _TYPE, _STATEMENT_CLASS, g),
        ox.Quad(st, _SUBJ, s, g),
        ox.Quad(st, _PRED, p, g),
        ox.Quad(st, _OBJ, o, g),
        ox.Quad(st, aikg("evidence"), ox.Literal(quote_text), g),
        ox.Quad(st, _DERIVED, art, g),
        ox.Quad(art, _TYPE, aikg("Article"), g),
        ox.Quad(art, aikg("sha256"), ox.Literal(source_id), g),
        ox.Quad(art, ox.NamedNode(SCHEMA + "url"), ox.Literal(url, datatype=ox.NamedNode(XSD + "anyURI")), g),
        ox.Quad(art, ox.NamedNode(DCTERMS + "source"), ox.Literal("curation"), g),
        ox.Quad(st, aikg("charStart"), ox.Literal("0", datatype=ox.NamedNode(XSD + "integer")), g),
        ox.Quad(st, aikg("charEnd"), ox.Literal(str(len(quote_text)), datatype=ox.NamedNode(XSD + "integer")), g),
        ox.Quad(st, aikg("confidence"), ox.Literal("1.0", datatype=_XSD_DOUBLE), g),
        ox.Quad(st, aikg("hedged"), ox.Literal("false", datatype=_XSD_BOOL), g),
        ox.Quad(st, aikg("ended"), ox.Literal("false", datatype=_XSD_BOOL), g),
        ox.Quad(st, aikg("extractorVersion"), ox.Literal("curation"), g),
        ox.Quad(st, _REVIEWED, _TRUE, g),
    ]
    iri, quads = new_operation(
        "AddRelation",
        by=by,
        reason=reason,
        props=[(P_ADDED, st), (P_SUBJECT, s), (P_PREDICATE, p), (P_OBJECT, o)],
        extra=extra,
    )
    created = next(q.object for q in quads if q.predicate == _CREATED)
    quads.append(ox.Quad(art, aikg("ingestedAt"), created, g))
    return apply_operation(store, iri, quads)


def undo(store: CurationStore, op_ref: str, *, by: str | None = None, reason: str | None = None) -> Change:
    """Take back an operation (history stays: the undo is an operation naming it).

    Raises:
        CurationError: no such operation, it is an undo, or it is undone already.
    """
    ref = (op_ref or "").strip()
    iri = _named(ref if ref.startswith(OP_PREFIX) else OP_PREFIX + ref, "operation id")
    state = read_state(store)
    target = next((op for op in state.ops if op.iri == iri), None)
    if target is None:
        raise CurationError(f"unknown operation {op_ref!r}")
    if target.kind == "Undo":
        raise CurationError("an undo cannot be undone; make the operation again instead")
    if iri in state.undone:
        raise CurationError(f"operation {op_ref!r} is undone already")
    return apply_operation(store, *new_operation("Undo", by=by, reason=reason, props=[(P_UNDOES, iri)]))


OPERATIONS = {
    "reject": "Reject",
    "accept": "Accept",
    "merge": "Merge",
    "split": "Split",
    "rename": "Rename",
    "add-alias": "AddAlias",
    "remove-alias": "RemoveAlias",
    "retype": "Retype",
    "set-wikidata": "SetWikidata",
    "clear-wikidata": "ClearWikidata",
    "add": "AddRelation",
    "undo": "Undo",
}


def log(store: CurationStore, *, kind: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
    """Return the operations, oldest first, each with whether it is undone.

    A rejected relation also says how many articles stating it arrived after the rejection
    (``new_sources_since``).

    Raises:
        CurationError: an unknown type or a ``since`` that is no date.
    """
    if kind is not None and kind not in OP_TYPES:
        kind = OPERATIONS.get(kind, kind)
        if kind not in OP_TYPES:
            raise CurationError(f"unknown operation type {kind!r}; use one of: {', '.join(OP_TYPES)}")
    if since:
        try:
            datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError as exc:
            raise CurationError(f"since must be a date or date-time (YYYY-MM-DD), got {since!r}") from exc
    state = read_state(store)
    out: list[dict[str, Any]] = []
    for op in state.ops:
        if kind and op.kind != kind or since and op.created < since:
            continue
        d = op.to_dict()
        d["undone_by"] = state.undone[op.iri].value.removeprefix(OP_PREFIX) if op.iri in state.undone else None
        if op.kind == "Reject" and op.one(P_SUBJECT) is not None:
            d["new_sources_since"] = _new_sources(store, state, op)
        out.append(d)
    return out


def _new_sources(store: CurationStore, state: CurationState, op: Operation) -> int:
    s, p, o = op.node(P_SUBJECT), op.node(P_PREDICATE), op.node(P_OBJECT)
    if s is None or p is None or o is None:
        return 0
    pre_s = " ".join(str(n) for n in state.preimage([s]))
    pre_o = " ".join(str(n) for n in state.preimage([o]))
    q = (
        f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ VALUES ?a {{ {pre_s} }} VALUES ?b {{ {pre_o} }} "
        f"GRAPH ?g {{ {{ ?a {p} ?b }} UNION {{ ?b {p} ?a }} ?g <{ONTOLOGY}ingestedAt> ?t }} "
        f"FILTER(?t > ?since) }}"
    )
    # ingestedAt is kept to the second: an article counts when ingested in a later second.
    created = ox.Literal(op.created[:19] + "Z", datatype=_XSD_DATETIME)
    for row in store.select(q, substitutions={"since": created}):
        n = row["n"]
        return int(n.value) if isinstance(n, ox.Literal) else 0
    return 0
