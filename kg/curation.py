"""Curation: people's corrections kept as data, and the curated default graph they make.

The layout (docs/CURATION.md):

- every article's named graph keeps exactly what extraction wrote; curation never edits it;
- each correction is one resource ``<{base}curation/op/<id>>`` in the named graph
  ``<{base}graph/curation>``, typed by a subclass of ``aikg:CurationOperation``
  (:data:`OP_TYPES`), with ``prov:wasAttributedTo``, ``dcterms:created`` and ``aikg:reason``;
  the history only grows: an ``aikg:Undo`` names the operation it takes back;
- the default graph is the *curated projection* of the named graphs: :func:`project` maps
  the quads of whole named graphs through a :class:`CurationState` read from the curation
  graph, and :func:`derived` adds what the operations themselves state (a new name, an
  alias, ``owl:sameAs`` of a merge). The curation graph's own triples are copied as they are.

Writers call :func:`project` on what they insert (``LocalStore.commit``,
``RemoteStore.commit``, ``LocalStore.load``), :func:`drop_deletes` for what a dropped graph
took with it, and :func:`apply_operation` re-projects only the graphs an operation touches,
in the transaction that records it.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard, Union, overload
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg.errors import AikgError
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES, slugify
from kg.namespaces import (
    BASE,
    DCTERMS,
    ENTITY,
    ONTOLOGY,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    STATEMENT,
    WD,
    XSD,
    Term,
    aikg,
    article_iri,
    term_value,
)

if TYPE_CHECKING:
    from rdflib.term import Node

#: The subject of a triple as pyoxigraph gives it.
Subject = Union[ox.NamedNode, ox.BlankNode, ox.Triple]
#: The graph name of a quad as pyoxigraph gives it.
GraphName = Union[ox.NamedNode, ox.BlankNode, ox.DefaultGraph]

CURATION_GRAPH = ox.NamedNode(BASE + "graph/curation")
OP_PREFIX = BASE + "curation/op/"
CURATOR_PREFIX = BASE + "curator/"

#: The operation classes (local names of ``aikg:`` subclasses of ``aikg:CurationOperation``).
OP_TYPES = (
    "Reject",
    "Accept",
    "Merge",
    "Split",
    "Rename",
    "AddAlias",
    "RemoveAlias",
    "Retype",
    "SetWikidata",
    "ClearWikidata",
    "AddRelation",
    "Undo",
)

_TYPE = ox.NamedNode(RDF + "type")
_SUBJ = ox.NamedNode(RDF + "subject")
_PRED = ox.NamedNode(RDF + "predicate")
_OBJ = ox.NamedNode(RDF + "object")
_LABEL = ox.NamedNode(RDFS + "label")
_PREF = ox.NamedNode(SKOS + "prefLabel")
_ALT = ox.NamedNode(SKOS + "altLabel")
_SAME = ox.NamedNode(OWL + "sameAs")
_ATTRIBUTED = ox.NamedNode(PROV + "wasAttributedTo")
_DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
_CREATED = ox.NamedNode(DCTERMS + "created")
_XSD_DATETIME = ox.NamedNode(XSD + "dateTime")
_XSD_BOOL = ox.NamedNode(XSD + "boolean")
_XSD_DOUBLE = ox.NamedNode(XSD + "double")
_REVIEWED = aikg("reviewed")
_TRUE = ox.Literal("true", datatype=_XSD_BOOL)
_STATEMENT_CLASS = aikg("RelationStatement")
_DG = ox.DefaultGraph()

P_STATEMENT = aikg("statement")
P_SUBJECT = aikg("relationSubject")
P_PREDICATE = aikg("relationPredicate")
P_OBJECT = aikg("relationObject")
P_ENTITY = aikg("entity")
P_MERGED = aikg("mergedEntity")
P_INTO = aikg("mergedInto")
P_LABEL = aikg("newLabel")
P_ALIAS = aikg("alias")
P_NEWTYPE = aikg("newType")
P_WIKIDATA = aikg("wikidataItem")
P_ADDED = aikg("addedStatement")
P_UNDOES = aikg("undoes")
P_REASON = aikg("reason")

_RELATION_PREDICATES = frozenset(aikg(p) for p in PREDICATES)
_SYMMETRIC = frozenset(aikg(p) for p in SYMMETRIC_PREDICATES)
_ENTITY_CLASSES = {aikg(t): t for t in ENTITY_TYPES}
_QID = re.compile(r"^Q[1-9]\d*$")


class CurationError(AikgError):
    """A curation request that cannot be carried out (a 400, or exit code 2)."""


class CurationStore(Protocol):
    """What curation reads and writes of a store.

    :class:`kg.store.Store` offers it (``LocalStore``, ``RemoteStore``, ``IsolatedStore``);
    kg.store imports this module to project what it writes, so this one does not import it.
    """

    def select(self, sparql: str, *, substitutions: Mapping[str, Term] | None = None) -> ox.QuerySolutions: ...

    def ask(self, sparql: str, *, substitutions: Mapping[str, Term] | None = None) -> bool: ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None: ...

    def graph_quads(self, graph: ox.NamedNode) -> list[ox.Quad]: ...


def _named(iri: str, what: str) -> ox.NamedNode:
    """Return an IRI a curator gave as a node.

    Raises:
        CurationError: it is not a valid IRI.
    """
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise CurationError(f"not a valid {what}: {iri[:80]!r}") from exc


def _text(value: str, what: str) -> ox.Literal:
    """Return a curator's text as a literal.

    Raises:
        CurationError: it is not valid Unicode (a lone surrogate, say).
    """
    try:
        value.encode("utf-8")
        return ox.Literal(value)
    except (UnicodeError, ValueError) as exc:
        raise CurationError(f"{what} is not valid Unicode text") from exc


# ---------------------------------------------------------------------------------------
# Operations and the state they make
# ---------------------------------------------------------------------------------------


@dataclass
class Operation:
    """One operation as read from the curation graph."""

    iri: ox.NamedNode
    kind: str
    created: str
    by: str
    reason: str
    props: dict[ox.NamedNode, list[Term]] = field(default_factory=dict)

    def one(self, prop: ox.NamedNode) -> Term | None:
        """Return the (first) value of a property, or None."""
        values = self.props.get(prop)
        return values[0] if values else None

    def node(self, prop: ox.NamedNode) -> ox.NamedNode | None:
        """Return the (first) value of a property when it is an IRI, else None."""
        value = self.one(prop)
        return value if isinstance(value, ox.NamedNode) else None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready view of the operation."""
        out: dict[str, Any] = {
            "id": self.iri.value.removeprefix(OP_PREFIX),
            "iri": self.iri.value,
            "type": self.kind,
            "created": self.created,
            "by": self.by,
            "reason": self.reason,
        }
        for prop, values in sorted(self.props.items(), key=lambda kv: kv[0].value):
            name = prop.value.removeprefix(ONTOLOGY)
            vals = [term_value(v) for v in values]
            out[name] = vals[0] if len(vals) == 1 else vals
        return out


@dataclass
class CurationState:
    """What the active (not undone) operations say, folded in the order they were made."""

    ops: list[Operation] = field(default_factory=list)
    undone: dict[ox.NamedNode, ox.NamedNode] = field(default_factory=dict)
    merges: dict[ox.NamedNode, ox.NamedNode] = field(default_factory=dict)
    stmt_verdicts: dict[ox.NamedNode, tuple[int, bool]] = field(default_factory=dict)
    rel_verdicts: dict[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode], tuple[int, bool]] = field(default_factory=dict)
    names: dict[ox.NamedNode, str] = field(default_factory=dict)
    aliases_added: dict[ox.NamedNode, set[str]] = field(default_factory=dict)
    aliases_removed: dict[ox.NamedNode, set[str]] = field(default_factory=dict)
    types: dict[ox.NamedNode, ox.NamedNode] = field(default_factory=dict)
    wikidata: dict[ox.NamedNode, ox.NamedNode | None] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Return True when no operation was ever recorded (the projection is the union)."""
        return not self.ops

    @overload
    def resolve(self, node: ox.NamedNode) -> ox.NamedNode: ...

    @overload
    def resolve(self, node: Term) -> Term: ...

    def resolve(self, node: Term) -> Term:
        """Return the entity a merged one now is (itself when not merged)."""
        seen = 0
        while isinstance(node, ox.NamedNode) and node in self.merges and seen < 64:
            node = self.merges[node]
            seen += 1
        return node

    def preimage(self, nodes: Iterable[Term]) -> set[Term]:
        """Return the nodes and every entity merged (directly or not) into one of them."""
        targets = set(nodes)
        out = set(targets)
        for a in self.merges:
            if self.resolve(a) in targets:
                out.add(a)
        return out

    def chain(self, node: ox.NamedNode) -> list[ox.NamedNode]:
        """Return the node and the entities it was merged into, in order."""
        out = [node]
        while out[-1] in self.merges and len(out) < 64:
            out.append(self.merges[out[-1]])
        return out

    def relation_verdict(self, s: Term, p: Term, o: Term) -> tuple[int, bool] | None:
        """Return the latest (order, accepted) decided on a relation, or None.

        A decision on (A, p, X) holds for every statement whose subject is A or was merged
        into A (before or after the decision), and the same for the object; symmetric
        relations in either direction.
        """
        if not self.rel_verdicts:
            return None
        # Verdicts are recorded on IRIs only: another term has none.
        if not (isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(o, ox.NamedNode)):
            return None
        best: tuple[int, bool] | None = None
        for a in self.chain(s):
            for b in self.chain(o):
                for key in ((a, p, b), (b, p, a)) if p in _SYMMETRIC else ((a, p, b),):
                    v = self.rel_verdicts.get(key)
                    if v is not None and (best is None or v[0] > best[0]):
                        best = v
        return best

    def statement_verdict(self, st: Term, spo: tuple[Term | None, Term | None, Term | None] | None) -> bool | None:
        """Return True (accepted), False (rejected) or None, the later decision winning."""
        best = self.stmt_verdicts.get(st) if isinstance(st, ox.NamedNode) else None
        if spo is not None:
            s, p, o = spo
            if s is not None and p is not None and o is not None:
                rel = self.relation_verdict(s, p, o)
                if rel is not None and (best is None or rel[0] > best[0]):
                    best = rel
        return None if best is None else best[1]


def operations_from_quads(quads: Iterable[ox.Quad]) -> list[Operation]:
    """Return the operations recorded in curation-graph quads, oldest first."""
    by_subject: dict[ox.NamedNode, list[ox.Quad]] = {}
    for q in quads:
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(OP_PREFIX):
            by_subject.setdefault(q.subject, []).append(q)
    ops = []
    for iri, qs in by_subject.items():
        kind, created, by, reason = "", "", "", ""
        props: dict[ox.NamedNode, list[Term]] = {}
        for q in qs:
            p, value = q.predicate, term_value(q.object)
            if p == _TYPE and value.startswith(ONTOLOGY):
                name = value.removeprefix(ONTOLOGY)
                if name in OP_TYPES:
                    kind = name
            elif p == _CREATED:
                created = value
            elif p == _ATTRIBUTED:
                by = unquote(value.removeprefix(CURATOR_PREFIX))
            elif p == P_REASON:
                reason = value
            else:
                props.setdefault(p, []).append(q.object)
        if kind:
            ops.append(Operation(iri, kind, created, by, reason, props))
    ops.sort(key=lambda op: op.iri.value)  # ids start with the time in nanoseconds
    return ops


def state_from_operations(ops: list[Operation]) -> CurationState:
    """Fold operations (oldest first) into the state the projection reads."""
    st = CurationState(ops=ops)
    for op in ops:
        if op.kind == "Undo":
            target = op.one(P_UNDOES)
            if isinstance(target, ox.NamedNode):
                st.undone[target] = op.iri
    for seq, op in enumerate(ops):
        if op.iri in st.undone or op.kind == "Undo":
            continue
        k = op.kind
        # The operations this module writes name entities, statements, properties, types
        # and Wikidata items by IRI, and give names as literals; a value of another kind
        # (a curation graph edited by hand) is not read.
        ent = op.node(P_ENTITY)
        if k in ("Reject", "Accept"):
            verdict = (seq, k == "Accept")
            target = op.one(P_STATEMENT)
            if target is not None:
                if isinstance(target, ox.NamedNode):
                    st.stmt_verdicts[target] = verdict
            else:
                s, p, o = op.node(P_SUBJECT), op.node(P_PREDICATE), op.node(P_OBJECT)
                if s is not None and p is not None and o is not None:
                    st.rel_verdicts[(s, p, o)] = verdict
        elif k == "Merge":
            a, b = op.node(P_MERGED), op.node(P_INTO)
            if a is not None and b is not None and st.resolve(b) != a:
                st.merges[a] = b
        elif k == "Split":
            a, b = op.node(P_MERGED), op.node(P_INTO)
            if a is not None and st.merges.get(a) == b:
                del st.merges[a]
        elif k == "Rename" and ent is not None:
            label = op.one(P_LABEL)
            if isinstance(label, ox.Literal):
                st.names[ent] = label.value
        elif k in ("AddAlias", "RemoveAlias") and ent is not None:
            alias_term = op.one(P_ALIAS)
            if isinstance(alias_term, ox.Literal):
                alias = alias_term.value
                add, remove = (
                    (st.aliases_added, st.aliases_removed)
                    if k == "AddAlias"
                    else (st.aliases_removed, st.aliases_added)
                )
                add.setdefault(ent, set()).add(alias)
                remove.get(ent, set()).discard(alias)
        elif k == "Retype" and ent is not None:
            new_type = op.node(P_NEWTYPE)
            if new_type is not None:
                st.types[ent] = new_type
        elif k == "SetWikidata" and ent is not None:
            st.wikidata[ent] = op.node(P_WIKIDATA)
        elif k == "ClearWikidata" and ent is not None:
            st.wikidata[ent] = None
    # Undoing a hand-added relation takes its statement out of the curated view.
    for op in ops:
        if op.kind == "AddRelation" and op.iri in st.undone:
            added = op.node(P_ADDED)
            if added is not None:
                st.stmt_verdicts[added] = (len(ops), False)
    return st


def read_state(store: CurationStore) -> CurationState:
    """Return the curation state of a store (one read of the curation graph)."""
    return state_from_operations(operations_from_quads(store.graph_quads(CURATION_GRAPH)))


# ---------------------------------------------------------------------------------------
# The projection
# ---------------------------------------------------------------------------------------


def _is_entity(term: Term) -> TypeGuard[ox.NamedNode]:
    return isinstance(term, ox.NamedNode) and term.value.startswith(ENTITY)


def project(quads: Sequence[ox.Quad], state: CurationState) -> list[ox.Quad]:
    """Return the default-graph quads the named-graph ``quads`` yield under ``state``.

    ``quads`` must hold whole named graphs (or at least each statement node with the
    direct triple it supports): a direct triple is kept while one of its graph's statements
    for it is not rejected. Default-graph quads in the input are not copied again.

    Args:
        quads: named-graph quads.
        state: the curation state (:func:`read_state`).

    Returns:
        Default-graph quads, possibly with repeats.
    """
    named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    if state.empty:
        return [ox.Quad(q.subject, q.predicate, q.object, _DG) for q in named]
    # Pass 1: each statement's subject/predicate/object, then its verdict.
    spo: dict[Subject, list[Term | None]] = {}
    graph_of: dict[Subject, GraphName] = {}
    slot = {_SUBJ: 0, _PRED: 1, _OBJ: 2}
    for q in named:
        i = slot.get(q.predicate)
        if i is not None:
            spo.setdefault(q.subject, [None, None, None])[i] = q.object
            graph_of[q.subject] = q.graph_name
    verdicts = {st: state.statement_verdict(st, (v[0], v[1], v[2])) for st, v in spo.items()}
    support: dict[tuple[GraphName, Term | None, Term | None, Term | None], bool] = {}
    for st, (s, p, o) in spo.items():
        key = (graph_of[st], s, p, o)
        support[key] = support.get(key, False) or verdicts[st] is not False
    resolve, dg = state.resolve, _DG
    out: list[ox.Quad] = []
    for q in named:
        s, p, o = q.subject, q.predicate, q.object
        if isinstance(s, ox.NamedNode) and s.value.startswith(OP_PREFIX):
            out.append(ox.Quad(s, p, o, dg))
            continue
        if s in spo:
            v = verdicts[s]
            if v is False:
                continue
            if p == _SUBJ or p == _OBJ:
                o = resolve(o)
            out.append(ox.Quad(s, p, o, dg))
            if v and p == _TYPE:
                out.append(ox.Quad(s, _REVIEWED, _TRUE, dg))
            continue
        if not _is_entity(s):
            out.append(ox.Quad(s, p, o, dg))
            continue
        fs = resolve(s)
        if p in _RELATION_PREDICATES and _is_entity(o):
            kept = support.get((q.graph_name, s, p, o))
            if kept is None:
                rel = state.relation_verdict(s, p, o)
                kept = rel is None or rel[1]
            fo = resolve(o)
            if p in _SYMMETRIC and fo.value < fs.value:  # one direction, as the loader stores it
                fs, fo = fo, fs
            if kept and (fs != fo or s == o):  # a merge makes no self-loop
                out.append(ox.Quad(fs, p, fo, dg))
            continue
        if p == _TYPE:
            if fs in state.types:
                o = state.types[fs]
        elif p == _LABEL or p == _PREF:
            if fs != s or fs in state.names:
                if state.names.get(fs) == term_value(o):
                    continue
                p = _ALT
        elif p == _SAME and isinstance(o, ox.NamedNode) and o.value.startswith(WD) and fs in state.wikidata:
            continue
        if p == _ALT and term_value(o) in state.aliases_removed.get(fs, ()):
            continue
        out.append(ox.Quad(fs, p, resolve(o) if _is_entity(o) else o, dg))
    return out


def derived(state: CurationState) -> set[ox.Quad]:
    """Return the default-graph quads the operations state themselves (not read from articles)."""
    out: set[ox.Quad] = set()
    dg, resolve = _DG, state.resolve
    for a in state.merges:
        out.add(ox.Quad(a, _SAME, resolve(a), dg))
    for e, name in state.names.items():
        fe = resolve(e)
        lit = ox.Literal(name)
        if fe == e:
            out.add(ox.Quad(e, _LABEL, lit, dg))
            out.add(ox.Quad(e, _PREF, lit, dg))
        else:
            out.add(ox.Quad(fe, _ALT, lit, dg))
    for e, aliases in state.aliases_added.items():
        fe = resolve(e)
        for alias in aliases:
            if alias not in state.aliases_removed.get(fe, ()):
                out.add(ox.Quad(fe, _ALT, ox.Literal(alias), dg))
    for e, t in state.types.items():
        if resolve(e) == e:
            out.add(ox.Quad(e, _TYPE, t, dg))
    for e, item in state.wikidata.items():
        if item is not None:
            out.add(ox.Quad(resolve(e), _SAME, item, dg))
    return out


def _graphs_mentioning(
    store: CurationStore, nodes: Iterable[Term], *, as_object: bool = True, exclude: Iterable[ox.NamedNode] = ()
) -> list[ox.NamedNode]:
    """Return the named graphs holding one of ``nodes`` as subject (or object too)."""
    values = " ".join(str(n) for n in set(nodes) if isinstance(n, ox.NamedNode))
    if not values:
        return []
    pattern = "{ ?x ?p ?y } UNION { ?y ?p ?x }" if as_object else "{ ?x ?p ?y }"
    q = f"SELECT DISTINCT ?g WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ {pattern} }} }}"
    skip = set(exclude)
    return _graphs(store.select(q), skip)


def _graphs(rows: ox.QuerySolutions, skip: set[ox.NamedNode] | None = None) -> list[ox.NamedNode]:
    """Return the named graphs ``?g`` of rows (aikg names every graph by IRI)."""
    out: list[ox.NamedNode] = []
    for r in rows:
        g = r["g"]
        if isinstance(g, ox.NamedNode) and not (skip and g in skip):
            out.append(g)
    return out


def _quads_of(store: CurationStore, graphs: Iterable[ox.NamedNode]) -> list[ox.Quad]:
    out: list[ox.Quad] = []
    for g in graphs:
        out.extend(store.graph_quads(g))
    return out


def drop_deletes(
    store: CurationStore, drop_graphs: Sequence[ox.NamedNode], inserts: Sequence[ox.Quad], state: CurationState
) -> set[ox.Triple]:
    """Return the default-graph triples that leave with ``drop_graphs``.

    A triple the dropped graphs projected to stays while another named graph (or the
    inserts of the same transaction, or the operations themselves) still yields it.
    """
    dropped = set(drop_graphs)
    candidates = {q.triple for q in project(_quads_of(store, dropped), state)}
    if not candidates:
        return set()
    subjects = state.preimage(t.subject for t in candidates)
    others = _graphs_mentioning(store, subjects, as_object=False, exclude=dropped)
    yielded = {q.triple for q in project(_quads_of(store, others), state)}
    yielded |= {q.triple for q in project(inserts, state)}
    yielded |= {q.triple for q in derived(state)}
    return candidates - yielded


def data_block(triples: Iterable[ox.Triple | ox.Quad]) -> str:
    """Return triples as the body of a DATA block, written by pyoxigraph."""
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


def graph_block(quads: Iterable[ox.Quad]) -> str:
    """Return quads as the body of a DATA block, each in its own graph."""
    parts: list[str] = []
    for q in quads:
        t = f"{q.subject} {q.predicate} {q.object} ."
        parts.append(t if isinstance(q.graph_name, ox.DefaultGraph) else f"GRAPH {q.graph_name} {{ {t} }}")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------------
# Recording an operation
# ---------------------------------------------------------------------------------------

_op_lock = threading.Lock()
_last_ns = 0


def _now() -> tuple[str, str]:
    """Return (xsd:dateTime text, an id that sorts by time), strictly increasing in this process."""
    global _last_ns
    with _op_lock:
        ns = max(time.time_ns(), _last_ns + 1000)
        _last_ns = ns
    when = datetime.fromtimestamp(ns / 1e9, UTC)
    return when.isoformat(timespec="microseconds").replace("+00:00", "Z"), f"{ns:020d}-{secrets.token_hex(4)}"


def curator_name(by: str | None) -> str:
    """Return who makes an operation: the given name, else ``$USER``, else "anonymous"."""
    name = (by or os.environ.get("USER") or "anonymous").strip()
    return name or "anonymous"


def new_operation(
    kind: str,
    *,
    by: str | None,
    reason: str | None,
    props: Sequence[tuple[ox.NamedNode, Term]],
    extra: Sequence[ox.Quad] = (),
) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """Return the IRI and the curation-graph quads of a new operation."""
    name = curator_name(by)
    _text(name, "the curator name")
    created, ident = _now()
    iri = ox.NamedNode(OP_PREFIX + ident)
    g = CURATION_GRAPH
    quads = [
        ox.Quad(iri, _TYPE, aikg(kind), g),
        ox.Quad(iri, _ATTRIBUTED, _named(CURATOR_PREFIX + quote(name, safe=""), "curator name"), g),
        ox.Quad(iri, _CREATED, ox.Literal(created, datatype=_XSD_DATETIME), g),
    ]
    if reason:
        quads.append(ox.Quad(iri, P_REASON, _text(reason, "the reason"), g))
    quads.extend(ox.Quad(iri, p, o, g) for p, o in props)
    quads.extend(extra)
    return iri, quads


def _involved(quads: Iterable[ox.Quad]) -> set[Term]:
    """Return the entities and statements an operation's quads name."""
    out: set[Term] = set()
    for q in quads:
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and (t.value.startswith(ENTITY) or t.value.startswith(STATEMENT)):
                out.add(t)
    return out


@dataclass
class Change:
    """What one operation changed in the default graph."""

    operation: Operation
    removed: int
    added: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"operation": self.operation.to_dict(), "removed": self.removed, "added": self.added}


def store_lock(store: object) -> threading.RLock:
    """Return the lock that orders this process's writes to ``store``."""
    # Any store: LocalStore keeps the lock; another store gets it as an attribute where it can.
    live: Any = getattr(store, "live", store)
    lock: threading.RLock | None = getattr(live, "_curation_lock", None)
    if lock is None:
        lock = threading.RLock()
        try:
            live._curation_lock = lock
        except AttributeError:
            pass
    return lock


def apply_operation(store: CurationStore, iri: ox.NamedNode, quads: list[ox.Quad]) -> Change:
    """Record an operation and re-project what it touches, in one transaction.

    Only the named graphs that mention the operation's entities or statements (or the
    entities merged into them) are projected before and after; the difference goes to
    the default graph with the operation's own quads.

    Raises:
        StoreError: the write failed; nothing of it is in the store.
    """
    live: CurationStore = getattr(store, "live", store)
    with store_lock(store):
        cur = live.graph_quads(CURATION_GRAPH)
        old = state_from_operations(operations_from_quads(cur))
        new = state_from_operations(operations_from_quads([*cur, *quads]))
        this = next(o for o in new.ops if o.iri == iri)
        target = next((o for o in new.ops if new.undone.get(o.iri) == iri), None)
        subject = target if target is not None else this
        if subject.kind in ("Reject", "Accept", "AddRelation") and subject.one(P_SUBJECT) is not None:
            # A relation as a whole: only the graphs that state it (with any merged-in end) change.
            graphs = set(_graphs_stating(live, old, new, subject)) | {CURATION_GRAPH}
        else:
            involved = _involved(quads)
            if target is not None:
                involved |= _involved(
                    [ox.Quad(target.iri, p, v, CURATION_GRAPH) for p, vs in target.props.items() for v in vs]
                )
            nodes = old.preimage(involved) | new.preimage(involved)
            nodes |= {new.resolve(n) for n in nodes} | {old.resolve(n) for n in nodes}
            graphs = set(_graphs_mentioning(live, nodes, exclude=[CURATION_GRAPH])) | {CURATION_GRAPH}
        raw = _quads_of(live, graphs - {CURATION_GRAPH})
        before = {q.triple for q in project([*raw, *cur], old)} | {q.triple for q in derived(old)}
        after = {q.triple for q in project([*raw, *cur, *quads], new)} | {q.triple for q in derived(new)}
        removed, added = before - after, after - before
        text = "INSERT DATA {\n" + graph_block(quads) + data_block(added) + "}"
        if removed:
            text = "DELETE DATA {\n" + data_block(removed) + "} ;\n" + text
        store.update(text)
        invalidate = getattr(live, "forget_curation", None)
        if invalidate is not None:
            invalidate()
    op = next(o for o in new.ops if o.iri == iri)
    # The counts are of the graph a reader sees: the operation's own record is left out.
    return Change(op, sum(1 for t in removed if not _is_op(t.subject)), sum(1 for t in added if not _is_op(t.subject)))


def _graphs_stating(store: CurationStore, old: CurationState, new: CurationState, op: Operation) -> list[ox.NamedNode]:
    """Return the named graphs holding the direct triple of an operation's relation (either end merged in)."""
    s, p, o = op.node(P_SUBJECT), op.node(P_PREDICATE), op.node(P_OBJECT)
    if s is None or p is None or o is None:
        return []
    pre_s = " ".join(str(n) for n in old.preimage([s]) | new.preimage([s]))
    pre_o = " ".join(str(n) for n in old.preimage([o]) | new.preimage([o]))
    q = (
        f"SELECT DISTINCT ?g WHERE {{ VALUES ?a {{ {pre_s} }} VALUES ?b {{ {pre_o} }} "
        f"GRAPH ?g {{ {{ ?a {p} ?b }} UNION {{ ?b {p} ?a }} }} }}"
    )
    return _graphs(store.select(q))


def _is_op(term: Term) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(OP_PREFIX)


def reproject_all(
    store: object,
    old: CurationState,
    new: CurationState,
    extra: Sequence[ox.Quad] = (),
    raw: Sequence[ox.Quad] | None = None,
) -> str:
    """Return the update that inserts ``extra`` and moves the whole default graph from ``old`` to ``new``.

    Args:
        store: a local store (its named graphs are read when ``raw`` is None).
        old: the state the default graph reflects now.
        new: the state it must reflect.
        extra: quads the same update inserts (a file being loaded).
        raw: every named-graph quad of the store, when the caller has read them.
    """
    if raw is None:
        oxigraph = getattr(getattr(store, "live", store), "oxigraph", None)
        if not isinstance(oxigraph, ox.Store):
            raise TypeError("reproject_all reads the named graphs of a local store only; pass raw")
        raw = [q for q in oxigraph.quads_for_pattern(None, None, None) if not isinstance(q.graph_name, ox.DefaultGraph)]
    extra_named = [q for q in extra if not isinstance(q.graph_name, ox.DefaultGraph)]
    before = {q.triple for q in project(raw, old)} | {q.triple for q in derived(old)}
    after = {q.triple for q in project([*raw, *extra_named], new)} | {q.triple for q in derived(new)}
    parts: list[str] = []
    if before - after:
        parts.append("DELETE DATA {\n" + data_block(before - after) + "}")
    parts.append("INSERT DATA {\n" + graph_block(extra) + data_block(after) + "}")
    return " ;\n".join(parts)


# ---------------------------------------------------------------------------------------
# Resolving what a curator names
# ---------------------------------------------------------------------------------------

_LABEL_QUERY = """
SELECT DISTINCT ?e ?t WHERE {{
  {graph_open} ?e {props} ?l . ?e a ?t . {graph_close}
  FILTER(LCASE(STR(?l)) = LCASE(STR(?x)))
  VALUES ?t {{ {types} }}
}}"""


def _label_matches(store: CurationStore, text: str, props: str, raw: bool) -> dict[ox.NamedNode, ox.NamedNode]:
    types = " ".join(str(t) for t in _ENTITY_CLASSES)
    q = _LABEL_QUERY.format(
        graph_open="GRAPH ?g {" if raw else "", graph_close="}" if raw else "", props=props, types=types
    )
    out: dict[ox.NamedNode, ox.NamedNode] = {}
    for r in store.select(q, substitutions={"x": ox.Literal(text)}):
        e, t = r["e"], r["t"]
        if isinstance(e, ox.NamedNode) and isinstance(t, ox.NamedNode):
            out[e] = t
    return out


def entity_types(store: CurationStore, node: ox.NamedNode, *, raw: bool = False) -> set[str]:
    """Return the entity types of a node (in the curated graph, or in any article with ``raw``)."""
    types = " ".join(str(t) for t in _ENTITY_CLASSES)
    body = "GRAPH ?g { ?e a ?t }" if raw else "?e a ?t"
    q = f"SELECT DISTINCT ?t WHERE {{ {body} VALUES ?t {{ {types} }} }}"
    return {_ENTITY_CLASSES[r["t"]] for r in store.select(q, substitutions={"e": node})}


def resolve_entity(store: CurationStore, ref: str, *, raw: bool = False) -> ox.NamedNode:
    """Return the entity a label, a slug (``ent:slug``) or an IRI names.

    Labels are matched without regard to case: names first, then aliases. With ``raw``
    the article graphs are searched (an entity merged away keeps its own labels there).

    Raises:
        CurationError: nothing, or more than one entity, answers to ``ref``.
    """
    text = (ref or "").strip()
    if not text:
        raise CurationError("an entity name is empty")
    _text(text, "the entity name")
    if text.startswith(("http://", "https://")) or text.startswith("ent:"):
        node = _named(ENTITY + text[4:] if text.startswith("ent:") else text, "entity IRI")
        if not entity_types(store, node, raw=True):
            raise CurationError(f"unknown entity {text!r}: no article names it")
        return node
    for props in (f"<{RDFS}label>|<{SKOS}prefLabel>", f"<{SKOS}altLabel>"):
        found = _label_matches(store, text, props, raw)
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            listed = ", ".join(
                f"{e.value} ({t.value.removeprefix(ONTOLOGY)})"
                for e, t in sorted(found.items(), key=lambda kv: kv[0].value)
            )
            raise CurationError(f"{text!r} is ambiguous: it names {listed}; pass the IRI instead")
    slug_node = ox.NamedNode(ENTITY + slugify(text))
    if entity_types(store, slug_node, raw=True):
        return slug_node
    raise CurationError(f"unknown entity {text!r}: no entity has this name or alias")


def resolve_predicate(text: str) -> ox.NamedNode:
    """Return the relation property a local name (or IRI) names.

    Raises:
        CurationError: it is not one of the ontology's relation properties.
    """
    name = (text or "").strip().removeprefix(ONTOLOGY).removeprefix("aikg:")
    if name not in PREDICATES:
        raise CurationError(f"unknown predicate {text!r}; use one of: {', '.join(PREDICATES)}")
    return aikg(name)


@cache
def signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Return each relation property's (domain types, range types) from the ontology."""
    import rdflib
    from rdflib.collection import Collection

    import ontology

    graph = ontology.load_ontology()

    def classes(node: Node | None) -> frozenset[str]:
        union = graph.value(node, rdflib.OWL.unionOf)
        members: list[Node | None] = list(Collection(graph, union)) if union is not None else [node]
        return frozenset(str(m).removeprefix(ONTOLOGY) for m in members)

    out: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for p in PREDICATES:
        prop = rdflib.URIRef(ONTOLOGY + p)
        out[p] = (classes(graph.value(prop, rdflib.RDFS.domain)), classes(graph.value(prop, rdflib.RDFS.range)))
    return out


def check_signature(store: CurationStore, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode) -> None:
    """Refuse a relation the ontology does not allow between these entities' types.

    Raises:
        CurationError: no type of the subject is in the domain, or none of the object's in the range.
    """
    name = p.value.removeprefix(ONTOLOGY)
    dom, rng = signatures()[name]
    st, ot = entity_types(store, s), entity_types(store, o)
    ok = (p in _SYMMETRIC and (st & rng and ot & dom)) or (st & dom and ot & rng)
    if not ok:
        raise CurationError(
            f"{name} is not allowed from {'/'.join(sorted(st)) or 'untyped'} to {'/'.join(sorted(ot)) or 'untyped'} "
            f"(the ontology allows {'/'.join(sorted(dom))} -> {'/'.join(sorted(rng))})"
        )


# ---------------------------------------------------------------------------------------
# The operations, checked
# ---------------------------------------------------------------------------------------


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


def statement_node(text: str) -> ox.NamedNode:
    """Return the statement a ``stmt:<id>`` or IRI names."""
    text = text.strip()
    if text.startswith("stmt:"):
        return _named(STATEMENT + text[5:], "statement")
    if text.startswith(STATEMENT):
        return _named(text, "statement")
    raise CurationError(f"not a statement: {text!r} (use stmt:<id> or its IRI)")


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


def merged_into(store: CurationStore, slug: str) -> str | None:
    """Return the slug of the entity a merged one now is (following merges), or None.

    Reads the curated default graph: a merge leaves ``A owl:sameAs B`` there, and A has no
    type of its own any more.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug or ""):
        return None
    node = ox.NamedNode(ENTITY + slug)
    q = (
        f'SELECT ?b WHERE {{ ?a <{OWL}sameAs> ?b FILTER(STRSTARTS(STR(?b), "{ENTITY}")) '
        f"FILTER NOT EXISTS {{ ?a a ?t }} }} LIMIT 1"
    )
    for row in store.select(q, substitutions={"a": node}):
        b = row["b"]
        return b.value.removeprefix(ENTITY) if isinstance(b, (ox.NamedNode, ox.Literal)) else None
    return None
