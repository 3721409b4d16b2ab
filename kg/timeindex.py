"""The time index: each works-for, leads and investsIn relation's dated claims, by relation.

The named time queries (``current-employer-of``, ``people-who-left``, ``who-led-on``,
``investments-as-of``, ``investment-totals``) decide a relation's state from its dated
statements (docs/TIME.md). Read from the statements, an answer about a hub costs one
index seek per property of each statement of the entity: 300 to 700 ms for the busiest
entities of the benchmark store. The index keeps, per relation (subject, predicate,
object), one node in :data:`kg.derived.INDEX_GRAPH`::

    <…/time-index/KEY> aikg:indexSubject <person> ; aikg:indexPredicate aikg:worksFor ;
        aikg:indexObject <org> ;
        aikg:openClaim "2019-03 <article IRI>" ;      # an open statement: claim day, article
        aikg:endClaim "2024-08 <statement IRI>" ;     # an ending: claim day, statement
        aikg:endStatement <statement> ;               # the same ending, as a link
        ...
    <statement> aikg:indexDay "2024-08" .             # (in the index graph) an ending's claim day
        ...
    <investor> aikg:dealClaim "<target IRI> 40000000 USD 2022-05-03" .  # a disclosed amount

so a query reaches an entity's relations of one predicate by one index prefix and each
claim as one literal. The index holds no rule: the claim day of each statement
(:func:`kg.timeline.claim_day`) and its words, nothing decided; the indexed texts
(``kg/queries/indexed/``) apply the same rule as the shipped ones and give the same rows
(tests/kg/test_timeindex.py compares them for every entity of a generated store).

Upkeep. Every write of a store removes the index's freshness mark first
(:mod:`kg.derived`); :func:`kg.queries.query_text` picks the indexed text only
while the mark is there, else the shipped one. The loader keeps the index of an embedded
store fresh batch by batch (:func:`commit`: the relations of the subjects a batch touches
are read again, in the store's write lock), and builds it whole at the end of a run that
found it missing (:func:`ensure`). Any other write (SPARQL Update, curation, ``aikg
load``) removes it until the next ingest or ``aikg index``. A server store (a URL) is not
indexed: its named queries read the statements.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import pyoxigraph as ox

from kg.derived import DROP_INDEX, FRESH, INDEX_GRAPH, INDEX_STATE, IS_FRESH
from kg.namespaces import BASE, DCTERMS, ONTOLOGY, PROV, RDF
from kg.store import LocalStore, Store
from kg.timeline import claim_day

#: The predicates whose relations the index holds.
INDEXED_PREDICATES = ("worksFor", "leads", "investsIn")
#: The named queries with an indexed text (kg/queries/indexed/NAME.rq).
INDEXED_QUERIES = ("current-employer-of", "people-who-left", "who-led-on", "investments-as-of", "investment-totals")

_KEY = BASE + "time-index/"
_SUBJECT = ox.NamedNode(ONTOLOGY + "indexSubject")
_PREDICATE = ox.NamedNode(ONTOLOGY + "indexPredicate")
_OBJECT = ox.NamedNode(ONTOLOGY + "indexObject")
_OPEN = ox.NamedNode(ONTOLOGY + "openClaim")
_END = ox.NamedNode(ONTOLOGY + "endClaim")
_ENDING = ox.NamedNode(ONTOLOGY + "endStatement")
_DAY = ox.NamedNode(ONTOLOGY + "indexDay")
_DEAL = ox.NamedNode(ONTOLOGY + "dealClaim")

_PREFIXES = f"PREFIX aikg: <{ONTOLOGY}> PREFIX rdf: <{RDF}> PREFIX prov: <{PROV}> PREFIX dcterms: <{DCTERMS}>\n"
_VALUES_P = "VALUES ?p { " + " ".join(f"aikg:{p}" for p in INDEXED_PREDICATES) + " }"
# Every statement of an indexed predicate with what its claim day is made of.
_CLAIMS = (
    _PREFIXES
    + "SELECT ?st ?s ?p ?o ?ended ?start ?end ?stated ?published ?article WHERE { "
    + _VALUES_P
    + " {subjects} ?st rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o . "
    "OPTIONAL { ?st aikg:ended ?ended } OPTIONAL { ?st aikg:startDate ?start } "
    "OPTIONAL { ?st aikg:endDate ?end } OPTIONAL { ?st aikg:statedDate ?stated } "
    "OPTIONAL { ?st dcterms:date ?published } OPTIONAL { ?st prov:wasDerivedFrom ?article } }"
)
# The investsIn statements investment-totals counts: a normalized amount, not ended, not hedged.
_DEALS = (
    _PREFIXES + "SELECT ?s ?o ?value ?currency ?start ?stated ?published WHERE { {subjects} "
    "?st rdf:predicate aikg:investsIn ; rdf:subject ?s ; rdf:object ?o ; aikg:amountValue ?value ; "
    "aikg:currency ?currency . "
    "FILTER NOT EXISTS { ?st aikg:ended true } FILTER NOT EXISTS { ?st aikg:hedged true } "
    "OPTIONAL { ?st aikg:startDate ?start } OPTIONAL { ?st aikg:statedDate ?stated } "
    "OPTIONAL { ?st dcterms:date ?published } }"
)
# What the index holds of some subjects: their relations' nodes, their endings' days, their deals.
_DROP_SUBJECTS = (
    f"DELETE {{ GRAPH {INDEX_GRAPH} {{ ?st {_DAY} ?day }} }} WHERE {{ {{subjects}} GRAPH {INDEX_GRAPH} "
    f"{{ ?r {_SUBJECT} ?s ; {_ENDING} ?st . ?st {_DAY} ?day }} }} ;\n"
    f"DELETE {{ GRAPH {INDEX_GRAPH} {{ ?r ?x ?y }} }} WHERE {{ {{subjects}} GRAPH {INDEX_GRAPH} "
    f"{{ ?r {_SUBJECT} ?s ; ?x ?y }} }} ;\n"
    f"DELETE {{ GRAPH {INDEX_GRAPH} {{ ?s {_DEAL} ?deal }} }} WHERE {{ {{subjects}} GRAPH {INDEX_GRAPH} "
    f"{{ ?s {_DEAL} ?deal }} }}"
)


_HOLDS_ANY = f"ASK {{ GRAPH {INDEX_GRAPH} {{ ?s {_SUBJECT} ?o }} }}"


def _text(term: Any) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def _key(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode) -> ox.NamedNode:
    digest = hashlib.sha256(f"{s.value} {p.value} {o.value}".encode()).hexdigest()[:32]
    return ox.NamedNode(_KEY + digest)


def _subjects_block(subjects: Iterable[ox.NamedNode] | None) -> str:
    return "" if subjects is None else "VALUES ?s { " + " ".join(str(s) for s in subjects) + " }"


def index_quads(store: Store, subjects: Iterable[ox.NamedNode] | None = None) -> list[ox.Quad]:
    """Return the index of the relations of ``subjects`` (None: of every subject) as quads.

    Args:
        store: the store whose statements (in the default graph) are read.
        subjects: the subjects whose relations are wanted; None for all.
    """
    block = _subjects_block(subjects)
    g = INDEX_GRAPH
    out: set[ox.Quad] = set()
    keys: set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]] = set()

    def key(s: Any, p: ox.NamedNode, o: Any) -> ox.NamedNode | None:
        if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)):
            return None
        keys.add((s, p, o))
        return _key(s, p, o)

    for r in store.select(_CLAIMS.replace("{subjects}", block)):
        node = key(r["s"], r["p"], r["o"])
        if node is None:
            continue
        ended = _text(r["ended"]) in ("true", "1")
        day = claim_day(ended, _text(r["start"]), _text(r["end"]), _text(r["stated"]), _text(r["published"])) or ""
        if ended:
            out.add(ox.Quad(node, _END, ox.Literal(f"{day} {r['st'].value}"), g))
            out.add(ox.Quad(node, _ENDING, r["st"], g))
            out.add(ox.Quad(r["st"], _DAY, ox.Literal(day), g))
        elif isinstance(r["article"], ox.NamedNode):
            out.add(ox.Quad(node, _OPEN, ox.Literal(f"{day} {r['article'].value}"), g))
    for r in store.select(_DEALS.replace("{subjects}", block)):
        value, currency = _text(r["value"]), _text(r["currency"])
        if not (isinstance(r["s"], ox.NamedNode) and isinstance(r["o"], ox.NamedNode) and value and currency):
            continue
        day = claim_day(False, _text(r["start"]), None, _text(r["stated"]), _text(r["published"])) or "~"
        out.add(ox.Quad(r["s"], _DEAL, ox.Literal(f"{r['o'].value} {value} {currency} {day}"), g))
    for s, p, o in keys:
        node = _key(s, p, o)
        out.update((ox.Quad(node, _SUBJECT, s, g), ox.Quad(node, _PREDICATE, p, g), ox.Quad(node, _OBJECT, o, g)))
    return sorted(out, key=str)


def embedded(store: Store, *, writable: bool = True) -> LocalStore | None:
    """Return the embedded store behind ``store`` (open for writing, unless ``writable`` is False), or None."""
    live = getattr(store, "live", store)
    return live if isinstance(live, LocalStore) and not (writable and live.read_only) else None


def is_fresh(store: Store) -> bool:
    """Return whether the store is an embedded one holding a time index that says what its statements say.

    A server store is never read through the index: aikg does not build one there.
    """
    return embedded(store, writable=False) is not None and bool(store.ask(IS_FRESH))


def _curated(live: LocalStore) -> bool:
    return not live.curation_state().empty


def build(store: Store, subjects: Sequence[ox.NamedNode] | None = None) -> int:
    """Build the time index of an embedded store (whole, or for some subjects) and mark it fresh.

    With ``subjects``, only their relations are read and written again: the rest of the
    index must be fresh already, as :func:`commit` checks. Runs in the store's write lock,
    so no write of this process comes in between (and no other process writes an
    embedded store).

    Returns:
        The number of index quads written.

    Raises:
        StoreError: the store is not an embedded one open for writing.
    """
    from kg.curation import store_lock
    from kg.errors import StoreError

    live = embedded(store)
    if live is None:
        raise StoreError("only an embedded store (a directory, open for writing) keeps a time index")
    with store_lock(live):
        quads = index_quads(live, subjects)
        raw = live.oxigraph
        if subjects is None:
            raw.update(DROP_INDEX)
        elif subjects:
            raw.update(_DROP_SUBJECTS.replace("{subjects}", _subjects_block(subjects)))
        raw.extend(quads)
        # A store with nothing to index keeps no index (an emptied store is empty); its
        # queries read the statements, of which there are none.
        if quads or raw.query(_HOLDS_ANY):
            raw.add(ox.Quad(INDEX_GRAPH, INDEX_STATE, FRESH, INDEX_GRAPH))
        else:
            raw.update(DROP_INDEX)
    _note_write(store)
    return len(quads)


def _note_write(store: Store) -> None:
    pool = getattr(store, "pool", None)
    if pool is not None:
        pool.note_write()


_TOUCHED = (
    _PREFIXES
    + "SELECT DISTINCT ?s WHERE { VALUES ?g { {graphs} } GRAPH ?g { ?st rdf:subject ?s ; rdf:predicate ?p } "
    + _VALUES_P
    + " }"
)


def touched_subjects(
    store: Store, inserts: Sequence[ox.Quad], drop_graphs: Sequence[ox.NamedNode]
) -> list[ox.NamedNode]:
    """Return the subjects of the indexed statements a commit writes or drops (read before it drops them)."""
    kinds = {ox.NamedNode(ONTOLOGY + p) for p in INDEXED_PREDICATES}
    statements = {q.subject for q in inserts if q.predicate.value == RDF + "predicate" and q.object in kinds}
    out = {
        q.object
        for q in inserts
        if q.predicate.value == RDF + "subject" and q.subject in statements and isinstance(q.object, ox.NamedNode)
    }
    if drop_graphs:
        graphs = " ".join(str(g) for g in drop_graphs)
        out.update(
            r["s"] for r in store.select(_TOUCHED.replace("{graphs}", graphs)) if isinstance(r["s"], ox.NamedNode)
        )
    return sorted(out, key=str)


def commit(store: Store, inserts: Sequence[ox.Quad], drop_graphs: Sequence[ox.NamedNode] = ()) -> None:
    """Commit a batch (:meth:`Store.commit`), keeping a fresh time index fresh.

    When the embedded store's index is fresh (and no curation projects its statements),
    the relations of the subjects the batch touches are read again after the commit, in
    the same write lock. Otherwise the commit alone: the index stays out of date.

    Raises:
        StoreError: the commit failed (the index is then out of date, not wrong).
    """
    live = embedded(store)
    if live is None:
        store.commit(inserts, drop_graphs)
        return
    from kg.curation import store_lock

    with store_lock(live):
        fresh = is_fresh(live)
        keep = fresh and not _curated(live)
        subjects = touched_subjects(live, inserts, drop_graphs) if keep else None
        store.commit(inserts, drop_graphs)
        if subjects is not None:
            build(store, subjects)
        elif fresh:
            live.oxigraph.update(DROP_INDEX)  # out of date: no stale copy is left behind


def ensure(store: Store) -> bool:
    """Build the time index of an embedded store whole when it is out of date; return whether it built.

    A server store is left alone (False).
    """
    if embedded(store) is None or is_fresh(store):
        return False
    build(store)
    return True


@functools.cache
def indexed_text(name: str) -> str | None:
    """Return the indexed text of a named query (kg/queries/indexed/NAME.rq), or None."""
    if name not in INDEXED_QUERIES:
        return None
    return resources.files("kg").joinpath("queries", "indexed", f"{name}.rq").read_text(encoding="utf-8")
