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
    <investor> aikg:dealClaim "<target IRI> 40000000 USD 2022-05-03 <article IRI>" .  # a disclosed amount
    <investor> aikg:dealTotal "2022 USD 65000000 2 2" .  # its deals of a year in a currency: sum, deals, targets

so a query reaches an entity's relations of one predicate by one index prefix and each
claim as one literal. The index holds no rule of the relation's state: the claim day of
each statement (:func:`kg.timeline.claim_day`) and its words, nothing decided. The one
answer kept ready-made is the investment totals (:func:`totals_quads`: the grouping
``investment-totals`` states, from the investor's deal literals), since that query has
no entity to start from and its 2,700 rows cost more to group than the target allows
on the benchmark store. The indexed texts
(``kg/queries/indexed/``) apply the same rule as the shipped ones and give the same rows
(tests/kg/test_timeindex.py compares them for every entity of a generated store).

Upkeep. Every write of a store removes the index's freshness mark first
(:mod:`kg.derived`); :func:`kg.queries.query_text` picks the indexed text only while the
mark is there, else the shipped one. The index is a projection of the statements, one
statement at a time (no entry depends on another statement), so the loader keeps the
index of an embedded store fresh batch by batch from the batch alone (:func:`commit`: the
entries of the dropped articles' statements go, the new ones come), and builds it whole
at the end of a run that found it missing (:func:`ensure`). Any other write (SPARQL
Update, curation, ``aikg load``) removes it until the next ingest or ``aikg index``. A
server store (a URL) is not indexed: its named queries read the statements.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Context, Decimal
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
_TOTAL = ox.NamedNode(ONTOLOGY + "dealTotal")

_PREFIXES = f"PREFIX aikg: <{ONTOLOGY}> PREFIX rdf: <{RDF}> PREFIX prov: <{PROV}> PREFIX dcterms: <{DCTERMS}>\n"
_IS_INDEXED = "FILTER(?p IN (" + ", ".join(f"aikg:{p}" for p in INDEXED_PREDICATES) + "))"
# Every statement of an indexed predicate with what its claim day is made of.
_CLAIMS = (
    _PREFIXES
    + "SELECT ?st ?s ?p ?o ?ended ?start ?end ?stated ?published ?article WHERE { "
    + "?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . "
    + _IS_INDEXED
    + " "
    "OPTIONAL { ?st aikg:ended ?ended } OPTIONAL { ?st aikg:startDate ?start } "
    "OPTIONAL { ?st aikg:endDate ?end } OPTIONAL { ?st aikg:statedDate ?stated } "
    "OPTIONAL { ?st dcterms:date ?published } OPTIONAL { ?st prov:wasDerivedFrom ?article } }"
)
# The investsIn statements investment-totals counts: a normalized amount, not ended, not hedged.
_DEALS = (
    _PREFIXES + "SELECT ?s ?o ?value ?currency ?start ?stated ?published ?article WHERE { "
    "?st rdf:predicate aikg:investsIn ; rdf:subject ?s ; rdf:object ?o ; aikg:amountValue ?value ; "
    "aikg:currency ?currency . "
    "FILTER NOT EXISTS { ?st aikg:ended true } FILTER NOT EXISTS { ?st aikg:hedged true } "
    "OPTIONAL { ?st aikg:startDate ?start } OPTIONAL { ?st aikg:statedDate ?stated } "
    "OPTIONAL { ?st dcterms:date ?published } OPTIONAL { ?st prov:wasDerivedFrom ?article } }"
)
_HOLDS_ANY = f"ASK {{ GRAPH {INDEX_GRAPH} {{ ?s {_SUBJECT} ?o }} }}"
# The relation nodes left with no claim once some statements are gone.
_ORPHANS = (
    f"SELECT ?r WHERE {{ VALUES ?r {{ {{nodes}} }} GRAPH {INDEX_GRAPH} {{ ?r {_SUBJECT} ?s }} "
    f"FILTER NOT EXISTS {{ GRAPH {INDEX_GRAPH} {{ ?r {_OPEN}|{_END} ?claim }} }} }}"
)

Row = Mapping[str, Any]


def _text(term: Any) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def _key(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode) -> ox.NamedNode:
    digest = hashlib.sha256(f"{s.value} {p.value} {o.value}".encode()).hexdigest()[:32]
    return ox.NamedNode(_KEY + digest)


def _claim_quads(r: Row, out: set[ox.Quad]) -> None:
    """Add what one solution of :data:`_CLAIMS` (a statement with one value of each field) puts in the index."""
    s, p, o, st = r["s"], r["p"], r["o"], r["st"]
    if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode) and isinstance(st, ox.NamedNode)):
        return
    g, node = INDEX_GRAPH, _key(s, p, o)
    ended = _text(r["ended"]) in ("true", "1")
    day = claim_day(ended, _text(r["start"]), _text(r["end"]), _text(r["stated"]), _text(r["published"])) or ""
    if ended:
        out.add(ox.Quad(node, _END, ox.Literal(f"{day} {st.value}"), g))
        out.add(ox.Quad(node, _ENDING, st, g))
        out.add(ox.Quad(st, _DAY, ox.Literal(day), g))
    elif isinstance(r["article"], ox.NamedNode):
        out.add(ox.Quad(node, _OPEN, ox.Literal(f"{day} {r['article'].value}"), g))
    else:
        return
    out.update((ox.Quad(node, _SUBJECT, s, g), ox.Quad(node, _PREDICATE, p, g), ox.Quad(node, _OBJECT, o, g)))


def _deal_quads(r: Row, out: set[ox.Quad]) -> None:
    """Add what one solution of :data:`_DEALS` puts in the index: a deal literal of the investor, with its article."""
    value, currency = _text(r["value"]), _text(r["currency"])
    if not (isinstance(r["s"], ox.NamedNode) and isinstance(r["o"], ox.NamedNode) and value and currency):
        return
    day = claim_day(False, _text(r["start"]), None, _text(r["stated"]), _text(r["published"])) or "~"
    article = r["article"].value if isinstance(r["article"], ox.NamedNode) else ""
    out.add(ox.Quad(r["s"], _DEAL, ox.Literal(f"{r['o'].value} {value} {currency} {day} {article}"), INDEX_GRAPH))


_EXACT = Context(prec=80)  # xsd:decimal sums exactly; so does this context
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def totals_quads(investor: ox.NamedNode, deals: Iterable[str]) -> set[ox.Quad]:
    """Return an investor's rows of ``investment-totals`` from its deal literals, as index quads.

    The rule of kg/queries/investment-totals.rq: the deals are first grouped on (target,
    amount, currency), one deal however many articles report it, dated by its earliest
    claim day; then by the year of that day (empty when undated) and currency, the sum of
    the amounts, the number of deals and of targets. One literal per row, "YEAR CURRENCY
    TOTAL DEALS TARGETS" ("~" for an empty year).
    """
    first: dict[tuple[str, Decimal, str], str] = {}
    for text in deals:
        target, amount, currency, day = (text.split(" ") + ["", "", "", ""])[:4]
        if not _DECIMAL.fullmatch(amount):
            continue  # xsd:decimal() would fail on it in the query: the deal would not count
        key = (target, Decimal(amount), currency)
        first[key] = min(first.get(key, day), day)
    sums: dict[tuple[str, str], Decimal] = {}
    counts: Counter[tuple[str, str]] = Counter()
    targets: dict[tuple[str, str], set[str]] = {}
    for (target, value, currency), day in first.items():
        row = ("~" if day == "~" else day[:4], currency)
        sums[row] = _EXACT.add(sums.get(row, Decimal(0)), value)
        counts[row] += 1
        targets.setdefault(row, set()).add(target)
    return {
        ox.Quad(
            investor,
            _TOTAL,
            ox.Literal(f"{year} {currency} {sums[year, currency]:f} {n} {len(targets[year, currency])}"),
            INDEX_GRAPH,
        )
        for (year, currency), n in counts.items()
    }


def _totals(deal_quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """Return the totals rows of every investor among some deal quads (all of each investor's deals)."""
    by_investor: dict[Any, list[str]] = {}
    for q in deal_quads:
        if q.predicate == _DEAL:
            if isinstance(q.object, ox.Literal):
                by_investor.setdefault(q.subject, []).append(q.object.value)
    return {q for investor, deals in by_investor.items() for q in totals_quads(investor, deals)}


def index_quads(store: Store) -> list[ox.Quad]:
    """Return the whole index of a store's statements (read in its default graph) as quads."""
    out: set[ox.Quad] = set()
    for r in store.select(_CLAIMS):
        _claim_quads(r, out)
    for r in store.select(_DEALS):
        _deal_quads(r, out)
    out |= _totals(out)
    return sorted(out, key=str)


_FIELDS = {
    RDF + "subject": "s",
    RDF + "predicate": "p",
    RDF + "object": "o",
    ONTOLOGY + "ended": "ended",
    ONTOLOGY + "startDate": "start",
    ONTOLOGY + "endDate": "end",
    ONTOLOGY + "statedDate": "stated",
    DCTERMS + "date": "published",
    PROV + "wasDerivedFrom": "article",
    ONTOLOGY + "amountValue": "value",
    ONTOLOGY + "currency": "currency",
    ONTOLOGY + "hedged": "hedged",
}
_INDEXED = frozenset(ONTOLOGY + p for p in INDEXED_PREDICATES)


def _rows(values: dict[str, list[Any]], required: Sequence[str], optional: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Return the solutions a statement's values give a pattern: every combination, an OPTIONAL field unbound when absent."""
    names = [*required, *optional]
    choices = [values.get(n, []) for n in required] + [values.get(n) or [None] for n in optional]
    for combo in itertools.product(*choices):
        yield dict(zip(names, combo))


def quads_index(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """Return the index of the statements among some quads (an article batch), as :func:`index_quads` builds it.

    Each statement's values are read from the quads alone, and give the index what the
    same statement gives when read from the store: the solutions of :data:`_CLAIMS` and
    :data:`_DEALS` for it, every combination of its values (one each, from the loader).
    """
    by_statement: dict[Any, dict[str, list[Any]]] = {}
    for q in quads:
        field = _FIELDS.get(q.predicate.value)
        if field is not None:
            values = by_statement.setdefault(q.subject, {})
            if q.object not in values.setdefault(field, []):
                values[field].append(q.object)
    out: set[ox.Quad] = set()
    for st, values in by_statement.items():
        kinds = [p for p in values.get("p", []) if isinstance(p, ox.NamedNode) and p.value in _INDEXED]
        if not kinds:
            continue
        values = {**values, "st": [st], "p": kinds}
        for r in _rows(values, ("st", "s", "p", "o"), ("ended", "start", "end", "stated", "published", "article")):
            _claim_quads(r, out)
        flags = {n: {_text(v) for v in values.get(n, [])} for n in ("ended", "hedged")}
        if ONTOLOGY + "investsIn" in {p.value for p in kinds} and not (
            flags["ended"] & {"true", "1"} or flags["hedged"] & {"true", "1"}
        ):
            for r in _rows(values, ("s", "o", "value", "currency"), ("start", "stated", "published", "article")):
                _deal_quads(r, out)
    return out


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


def build(store: Store) -> int:
    """Build the time index of an embedded store whole and mark it fresh.

    Runs in the store's write lock, so no write of this process comes in between (and no
    other process writes an embedded store).

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
        quads = index_quads(live)
        raw = live.oxigraph
        raw.update(DROP_INDEX)
        raw.extend(quads)
        _mark(raw)
    _note_write(store)
    return len(quads)


def _mark(raw: ox.Store) -> None:
    """Mark the index fresh; a store with nothing to index keeps no index (an emptied store is empty)."""
    if raw.query(_HOLDS_ANY):
        raw.add(ox.Quad(INDEX_GRAPH, INDEX_STATE, FRESH, INDEX_GRAPH))
    else:
        raw.update(DROP_INDEX)


def _note_write(store: Store) -> None:
    pool = getattr(store, "pool", None)
    if pool is not None:
        pool.note_write()


def commit(store: Store, inserts: Sequence[ox.Quad], drop_graphs: Sequence[ox.NamedNode] = ()) -> None:
    """Commit a batch (:meth:`Store.commit`), keeping a fresh time index fresh.

    When the embedded store's index is fresh (and no curation projects its statements),
    the index entries of the statements in the dropped graphs (read before the commit)
    go, and those of the inserted statements come, computed from the quads alone: the
    work is the batch's, whatever the size of the store. A relation node left with no
    claim goes too. Otherwise the commit alone, and an index left behind is removed.

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
        gone = quads_index(q for g in drop_graphs for q in live.graph_quads(g)) if keep else set()
        store.commit(inserts, drop_graphs)
        raw = live.oxigraph
        if not keep:
            if fresh:
                raw.update(DROP_INDEX)  # out of date: no stale copy is left behind
            return
        come = quads_index(inserts)
        for q in gone - come:
            # a relation node's own triples may still serve another article's claims:
            # they go below, with the nodes left without any
            if q.predicate not in (_SUBJECT, _PREDICATE, _OBJECT):
                raw.remove(q)
        raw.extend(come)
        _retotal(raw, {q.subject for q in gone ^ come if q.predicate == _DEAL})
        nodes = {q.subject for q in gone if q.predicate in (_OPEN, _END)}
        if nodes:
            for r in live.select(_ORPHANS.replace("{nodes}", " ".join(str(n) for n in nodes))):
                for q in list(raw.quads_for_pattern(r["r"], None, None, INDEX_GRAPH)):
                    raw.remove(q)
        _mark(raw)
    _note_write(store)


def _retotal(raw: ox.Store, investors: set[Any]) -> None:
    """Compute again the totals rows of investors whose deals a batch changed."""
    come: set[ox.Quad] = set()
    for investor in investors:
        new = _totals(raw.quads_for_pattern(investor, _DEAL, None, INDEX_GRAPH))
        for q in list(raw.quads_for_pattern(investor, _TOTAL, None, INDEX_GRAPH)):
            if q in new:
                new.discard(q)  # a row the batch left as it was is not written again
            else:
                raw.remove(q)
        come |= new
    raw.extend(come)


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
