"""The curated projection: the default graph the named graphs yield under the operations.

The default graph is the *curated projection* of the named graphs: :func:`project` maps the
quads of whole named graphs through a :class:`~kg.curation.records.CurationState`, and
:func:`derived` adds what the operations themselves state (a new name, an alias,
``owl:sameAs`` of a merge). The curation graph's own triples are copied as they are.
Writers call :func:`project` on what they insert, :func:`drop_deletes` for what a dropped
graph took with it, and :func:`reproject_all` when a load brings operations of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeGuard, Union

import pyoxigraph as ox

from kg.curation.records import (
    _ALT,
    _DG,
    _LABEL,
    _OBJ,
    _PRED,
    _PREF,
    _REVIEWED,
    _SAME,
    _SUBJ,
    _SYMMETRIC,
    _TRUE,
    _TYPE,
    OP_PREFIX,
    CurationState,
    CurationStore,
)
from kg.derived import INDEX_GRAPH, is_derived
from kg.model import PREDICATES
from kg.namespaces import (
    ENTITY,
    WD,
    Term,
    aikg,
    term_value,
)

#: The subject of a triple as pyoxigraph gives it.
Subject = Union[ox.NamedNode, ox.BlankNode, ox.Triple]
#: The graph name of a quad as pyoxigraph gives it.
GraphName = Union[ox.NamedNode, ox.BlankNode, ox.DefaultGraph]

_RELATION_PREDICATES = frozenset(aikg(p) for p in PREDICATES)


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
    skip = {*exclude, INDEX_GRAPH}  # the time index names entities too, but is derived data
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
        raw = [
            q
            for q in oxigraph.quads_for_pattern(None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph) and not is_derived(q.graph_name)
        ]
    extra_named = [q for q in extra if not isinstance(q.graph_name, ox.DefaultGraph)]
    before = {q.triple for q in project(raw, old)} | {q.triple for q in derived(old)}
    after = {q.triple for q in project([*raw, *extra_named], new)} | {q.triple for q in derived(new)}
    parts: list[str] = []
    if before - after:
        parts.append("DELETE DATA {\n" + data_block(before - after) + "}")
    parts.append("INSERT DATA {\n" + graph_block(extra) + data_block(after) + "}")
    return " ;\n".join(parts)
