"""Recording an operation: its quads, and the change it makes to the default graph.

:func:`new_operation` writes an operation's quads; :func:`apply_operation` records them and
re-projects only the named graphs the operation touches, in one transaction, under the
lock (:func:`store_lock`) that orders this process's writes to a store.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from kg.curation.projection import (
    _graphs,
    _graphs_mentioning,
    _quads_of,
    data_block,
    derived,
    graph_block,
    project,
)
from kg.curation.records import (
    _ATTRIBUTED,
    _CREATED,
    _TYPE,
    _XSD_DATETIME,
    CURATION_GRAPH,
    CURATOR_PREFIX,
    OP_PREFIX,
    P_OBJECT,
    P_PREDICATE,
    P_REASON,
    P_SUBJECT,
    CurationState,
    CurationStore,
    Operation,
    _named,
    _text,
    operations_from_quads,
    state_from_operations,
)
from kg.namespaces import (
    ENTITY,
    STATEMENT,
    Term,
    aikg,
)

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
