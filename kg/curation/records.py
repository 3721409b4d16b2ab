"""The curation vocabulary and its records: operations as read, and the state they fold into.

Each correction is one resource ``<{base}curation/op/<id>>`` in the named graph
``<{base}graph/curation>`` (:data:`CURATION_GRAPH`), typed by a subclass of
``aikg:CurationOperation`` (:data:`OP_TYPES`), with ``prov:wasAttributedTo``,
``dcterms:created`` and ``aikg:reason``; the history only grows: an ``aikg:Undo`` names the
operation it takes back. :func:`operations_from_quads` reads them, oldest first, and
:func:`state_from_operations` folds the ones in force into a :class:`CurationState`, which
the projection (:mod:`kg.curation.projection`) reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, overload
from urllib.parse import unquote

import pyoxigraph as ox

from kg.errors import AikgError
from kg.model import SYMMETRIC_PREDICATES
from kg.namespaces import (
    BASE,
    DCTERMS,
    ONTOLOGY,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    Term,
    aikg,
    term_value,
)

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

_SYMMETRIC = frozenset(aikg(p) for p in SYMMETRIC_PREDICATES)


class CurationError(AikgError):
    """A curation request that cannot be carried out (a 400, or exit code 2)."""


class CurationStore(Protocol):
    """What curation reads and writes of a store.

    :class:`kg.store.Store` offers it (``LocalStore``, ``RemoteStore``, ``IsolatedStore``);
    kg.store imports this package to project what it writes, so the package does not import it.
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
