"""Load articles into a store: idempotent, one transaction per batch, validated first."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import pyoxigraph as ox

from kg import timeindex
from kg.mapping import extraction_quads
from kg.model import Article, Extraction
from kg.namespaces import ONTOLOGY, SCHEMA, XSD, Term, article_iri
from kg.store import Store

log = logging.getLogger(__name__)

Extract = Callable[[list[Article]], Iterable[Extraction]]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class Failure(Protocol):
    """A reader's report of a skipped input (``ingest.readers.ReadFailure``, a frozen dataclass)."""

    @property
    def source(self) -> str: ...

    @property
    def reason(self) -> str: ...


# An article that yields more relations than this is reported and not written: its one
# transaction would hold the memory the rest of the run is kept within (about 11 quads a
# relation). A news story has tens; text made of lists of companies reaches 150 per KB.
MAX_ARTICLE_RELATIONS = 2_000
# A transaction holds its quads in memory until it commits (Oxigraph took about 2 KB a
# quad, the union graph included, and validation as much again), so a batch whose
# articles map to more quads than this is written in several transactions, each of whole
# articles. 32 news stories make a few thousand quads.
COMMIT_QUADS = 25_000
# RocksDB keeps written data in memory tables per index until a flush: left alone they
# grew by 30 MB for every 20,000 quads. The store is flushed after this many quads.
FLUSH_QUADS = 100_000


@dataclass
class BatchReport:
    """What one committed batch did."""

    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    relations: int = 0
    entities: int = 0
    violations: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    quads: int = 0
    reextracted: int = 0


@dataclass
class IngestSummary:
    """What a whole ingest run did."""

    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    relations: int = 0
    entities: int = 0
    batches: int = 0
    reextracted: int = 0
    violations: list[str] = field(default_factory=list)
    #: True when ``should_stop`` ended the run between two batches (the rest not read).
    stopped: bool = False

    @property
    def articles(self) -> int:
        """Return how many articles were read (new, unchanged, replaced or re-extracted)."""
        return self.new + self.unchanged + self.replaced + self.reextracted

    def add(self, b: BatchReport) -> None:
        """Fold one batch report in."""
        self.new += b.new
        self.unchanged += b.unchanged
        self.replaced += b.replaced
        self.reextracted += b.reextracted
        self.relations += b.relations
        self.entities += b.entities
        self.violations.extend(b.violations)
        self.skipped.extend(b.skipped)
        self.batches += 1

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "articles": self.articles,
            "new": self.new,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            "reextracted": self.reextracted,
            "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "relations": self.relations,
            "entities": self.entities,
            "batches": self.batches,
            "violations": self.violations,
        }


def _literal_rows(values: Iterable[Term]) -> str:
    return " ".join(str(v) for v in values)


def existing_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Return which of these article ids the store already holds."""
    graphs = [article_iri(i) for i in ids]
    if not graphs:
        return set()
    q = "SELECT ?g WHERE { VALUES ?g { " + _literal_rows(graphs) + f" }} GRAPH ?g {{ ?g <{ONTOLOGY}sha256> ?h }} }}"
    return {row["g"].value.rsplit("/", 1)[1] for row in store.select(q)}


def graphs_for_urls(store: Store, urls: Iterable[str]) -> dict[str, list[ox.NamedNode]]:
    """Return url -> the article graphs recorded under that url."""
    lits = [ox.Literal(u, datatype=ox.NamedNode(XSD + "anyURI")) for u in urls]
    if not lits:
        return {}
    q = "SELECT ?g ?u WHERE { VALUES ?u { " + _literal_rows(lits) + f" }} GRAPH ?g {{ ?g <{SCHEMA}url> ?u }} }}"
    out: dict[str, list[ox.NamedNode]] = {}
    for row in store.select(q):
        out.setdefault(row["u"].value, []).append(row["g"])
    return out


_VERSION = re.compile(r"/(\d+(?:\.\d+)*)$")

#: Which stored articles an ingest extracts again: given the store and the ids of a
#: batch's articles it already holds, the ids to redo (see :func:`outdated_ids`).
Redo = Callable[[Store, list[str]], set[str]]


def version_key(version: str | None) -> tuple[int, ...] | None:
    """Return ``name/1.2.3`` as (1, 2, 3) for comparing; None when it has no such number."""
    m = _VERSION.search(version or "")
    return tuple(int(p) for p in m.group(1).split(".")) if m else None


def outdated_ids(store: Store, ids: Iterable[str], current: str) -> set[str]:
    """Return which of these stored articles have a statement made by an older extractor.

    A statement is older when its ``aikg:extractorVersion`` is missing, has no version
    number, or has a lower one than ``current``. A newer version is left alone (an older
    aikg does not undo a newer one's work), and so is an article without statements:
    nothing in the store says which extractor read it.
    """
    graphs = [article_iri(i) for i in ids]
    if not graphs:
        return set()
    now = version_key(current)
    q = (
        "SELECT DISTINCT ?g ?v WHERE { VALUES ?g { " + _literal_rows(graphs) + " } "
        f"GRAPH ?g {{ ?st a <{ONTOLOGY}RelationStatement> OPTIONAL {{ ?st <{ONTOLOGY}extractorVersion> ?v }} }} }}"
    )
    out: set[str] = set()
    for row in store.select(q):
        v = row["v"]
        key = version_key(v.value if v is not None else None)
        if key is None or now is None or key < now:
            out.add(row["g"].value.rsplit("/", 1)[1])
    return out


def _stored_facts(store: Store, ids: Iterable[str]) -> tuple[dict[str, datetime], set[str]]:
    """Return, for stored articles, id -> the time first ingested, and the ids that keep their text.

    One query for what a re-extraction must carry over (``aikg:ingestedAt``, ``aikg:text``).
    """
    graphs = [article_iri(i) for i in ids]
    if not graphs:
        return {}, set()
    q = (
        "SELECT ?g ?t (BOUND(?x) AS ?text) WHERE { VALUES ?g { " + _literal_rows(graphs) + " } "
        f"GRAPH ?g {{ ?g <{ONTOLOGY}ingestedAt> ?t OPTIONAL {{ ?g <{ONTOLOGY}text> ?x }} }} }}"
    )
    first_seen: dict[str, datetime] = {}
    with_text: set[str] = set()
    for row in store.select(q):
        key = row["g"].value.rsplit("/", 1)[1]
        if row["text"] is not None and row["text"].value == "true":
            with_text.add(key)
        try:
            first_seen[key] = datetime.fromisoformat(row["t"].value)
        except ValueError:
            continue
    return first_seen, with_text


@dataclass
class BatchPlan:
    """One batch read, extracted and mapped, not yet written (see :func:`plan_batch`).

    Attributes:
        report: what the batch does; ``quads`` is filled in as it is written.
        writes: the transactions to run in order, each (quads to insert, graphs to drop),
            each holding whole articles.
    """

    report: BatchReport
    writes: list[tuple[list[ox.Quad], list[ox.NamedNode]]] = field(default_factory=list)


@dataclass(frozen=True)
class StoredFacts:
    """What the store says about a batch's articles before it is mapped (see :func:`stored_facts`).

    Attributes:
        todo: the articles to extract and write, in batch order (duplicates resolved).
        unchanged: how many of the batch's articles the store holds and keeps.
        again: the ids of stored articles extracted again (``redo``).
        first_seen: for those, id -> the ``aikg:ingestedAt`` they keep.
        kept_text: the ids of those that keep their ``aikg:text``.
    """

    todo: tuple[Article, ...]
    unchanged: int = 0
    again: frozenset[str] = frozenset()
    first_seen: tuple[tuple[str, datetime], ...] = ()
    kept_text: frozenset[str] = frozenset()


def stored_facts(store: Store, articles: list[Article], redo: Redo | None = None) -> StoredFacts:
    """Read what a batch's mapping depends on in the store: which articles to write, and how.

    Later duplicates (same id or same url) win, as in :func:`commit_batch`.

    Raises:
        StoreError: reading the store failed.
    """
    by_key: dict[str, Article] = {}
    for a in articles:
        by_key.pop(a.key, None)
        by_key[a.key] = a
    batch = list({a.id: a for a in by_key.values()}.values())
    present = existing_ids(store, [a.id for a in batch])
    again = redo(store, sorted(present)) & present if redo is not None and present else set()
    todo = tuple(a for a in batch if a.id not in present or a.id in again)
    first_seen, kept_text = _stored_facts(store, again)  # a re-extracted article keeps both
    return StoredFacts(
        todo=todo,
        unchanged=len(batch) - len(todo),
        again=frozenset(again),
        first_seen=tuple(sorted(first_seen.items())),
        kept_text=frozenset(kept_text),
    )


@dataclass(frozen=True)
class MappedArticle:
    """One article of a :class:`MappedPart`: what the batch report counts of it."""

    id: str
    url: str | None
    relations: int
    entities: tuple[str, ...]


@dataclass
class MappedPart:
    """The quads of whole articles that one transaction writes, validated (see :func:`map_extractions`)."""

    articles: list[MappedArticle]
    quads: list[ox.Quad]
    violations: list[str] = field(default_factory=list)


@dataclass
class MappedBatch:
    """A batch's extractions as RDF: the transactions' parts, and the articles not written."""

    parts: list[MappedPart] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


Validate = Callable[[list[ox.Quad]], tuple[list[ox.Quad], list[str]]]


def map_extractions(
    extractions: Iterable[Extraction],
    facts: StoredFacts,
    *,
    when: datetime,
    validate: Validate | None = None,
    max_relations: int | None = None,
    store_text: bool = False,
) -> MappedBatch:
    """Map a batch's extractions to quads, cut them into transactions and validate each.

    Needs no store: what it depends on is in ``facts`` and the arguments, so it runs
    where the extraction ran (a cluster's worker) as well as in the writer. A part ends
    before the article that would take it past :data:`COMMIT_QUADS`.

    Args:
        extractions: the extractions of ``facts.todo``, in that order.
        facts: what the store holds of the batch (:func:`stored_facts`).
        when: ``aikg:ingestedAt`` of the articles first written now.
        validate: returns (quads to keep, violation messages) of a part; None keeps all.
        max_relations: an article with more relations is not written but reported.
        store_text: record each new article's text (``aikg:text``).
    """
    out = MappedBatch()
    first_seen = dict(facts.first_seen)
    part = MappedPart([], [])

    def cut() -> None:
        nonlocal part
        if part.articles:
            if validate is not None:
                part.quads, violations = validate(part.quads)
                part.violations.extend(violations)
            out.parts.append(part)
        part = MappedPart([], [])

    for ex in extractions:
        a = ex.article
        if max_relations is not None and len(ex.relations) > max_relations:
            out.skipped.append(
                (
                    a.source or a.url or a.id,
                    f"too many relations ({len(ex.relations):,}, limit {max_relations:,}); not written",
                )
            )
            continue
        mapped = extraction_quads(
            ex, ingested_at=first_seen.get(a.id, when), store_text=store_text or a.id in facts.kept_text
        )
        if part.quads and len(part.quads) + len(mapped) > COMMIT_QUADS:
            cut()
        part.articles.append(MappedArticle(a.id, a.url, len(ex.relations), tuple(e.slug for e in ex.entities)))
        part.quads.extend(mapped)
    cut()
    return out


#: Maps a batch: (the facts read from the store, ``aikg:ingestedAt`` for new articles) ->
#: the batch as RDF. :func:`plan_batch` extracts and maps in this process by default.
Mapper = Callable[[StoredFacts, datetime], MappedBatch]


def plan_batch(
    store: Store,
    articles: list[Article],
    extract: Extract | None,
    *,
    validate: Validate | None = None,
    ingested_at: datetime | None = None,
    max_relations: int | None = None,
    redo: Redo | None = None,
    store_text: bool = False,
    mapper: Mapper | None = None,
) -> BatchPlan:
    """Read what the store holds of a batch, extract and map it: everything but the write.

    The arguments are :func:`commit_batch`'s. Nothing is written; :func:`write_plan`
    writes the result.

    Args:
        mapper: extracts, maps and validates the batch elsewhere (a cluster's workers),
            given what the store holds of it; it must return what :func:`map_extractions`
            returns for the same facts. None: ``extract`` here, then
            :func:`map_extractions` with ``validate``, ``max_relations`` and
            ``store_text``.

    Raises:
        StoreError: reading the store failed.
    """
    report = BatchReport()
    plan = BatchPlan(report)
    facts = stored_facts(store, articles, redo)
    report.unchanged = facts.unchanged
    if not facts.todo:
        return plan
    old = graphs_for_urls(store, [a.url for a in facts.todo if a.url])
    when = ingested_at or datetime.now(UTC)
    if mapper is not None:
        mapped = mapper(facts, when)
    else:
        if extract is None:
            raise ValueError("plan_batch needs extract or mapper")
        mapped = map_extractions(
            extract(list(facts.todo)),
            facts,
            when=when,
            validate=validate,
            max_relations=max_relations,
            store_text=store_text,
        )
    report.skipped.extend(mapped.skipped)
    entities: set[str] = set()
    for part in mapped.parts:
        drops: list[ox.NamedNode] = []
        for a in part.articles:
            stale = [g for g in old.get(a.url or "", []) if g != article_iri(a.id)]
            if a.id in facts.again:
                # Its old statements go in the transaction that writes the new ones.
                report.reextracted += 1
                drops.append(article_iri(a.id))
                drops.extend(stale)
            elif stale:
                report.replaced += 1
                drops.extend(stale)
            else:
                report.new += 1
            report.relations += a.relations
            entities.update(a.entities)
        report.violations.extend(part.violations)
        plan.writes.append((part.quads, drops))
    report.entities = len(entities)
    return plan


def write_plan(store: Store, plan: BatchPlan, after_commit: Callable[[int], None] | None = None) -> BatchReport:
    """Write a planned batch, one transaction after another; return its report.

    Raises:
        StoreError: a commit failed; the transactions before it stay written.
    """
    for quads, drops in plan.writes:
        timeindex.commit(store, quads, drops)
        plan.report.quads += len(quads)
        if after_commit is not None:
            after_commit(len(quads))
    return plan.report


def commit_batch(
    store: Store,
    articles: list[Article],
    extract: Extract,
    *,
    validate: Validate | None = None,
    ingested_at: datetime | None = None,
    max_relations: int | None = None,
    after_commit: Callable[[int], None] | None = None,
    redo: Redo | None = None,
    store_text: bool = False,
) -> BatchReport:
    """Extract, map, validate and commit one batch of articles in one transaction.

    Articles already in the store (same text) are left alone; an article whose url is
    in the store with another text replaces that graph in the same transaction. A batch
    that maps to more than :data:`COMMIT_QUADS` quads is committed in several
    transactions, each of whole articles, so a transaction stays bounded.

    Args:
        store: where to write.
        articles: the batch; later duplicates (same id or same url) win.
        extract: turns articles into extractions (the NLP pipeline).
        validate: returns (quads to keep, violation messages); None keeps all.
        ingested_at: timestamp recorded on new articles.
        max_relations: an article with more relations than this is not written and is
            reported in ``skipped``; None for no limit.
        after_commit: called with the number of quads after each transaction.
        redo: picks stored articles to extract again (``aikg ingest --reextract``); each
            one's graph is dropped and written anew in the same transaction, keeping
            its first ``aikg:ingestedAt``. None leaves every stored article alone.
        store_text: record each new article's text (``aikg:text``), not only its
            evidence sentences.

    Raises:
        StoreError: the commit failed; the store is as before this batch (as before the
            failed transaction, for a batch written in several).
    """
    plan = plan_batch(
        store,
        articles,
        extract,
        validate=validate,
        ingested_at=ingested_at,
        max_relations=max_relations,
        redo=redo,
        store_text=store_text,
    )
    return write_plan(store, plan, after_commit)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of at most ``size`` items, streaming."""
    buf: list[Any] = []
    for item in items:
        buf.append(item)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _batch_keys(batch: list[Article]) -> set[str]:
    """Return the ids and urls of a batch's articles (what its idempotency checks read)."""
    return {a.id for a in batch} | {a.url for a in batch if a.url}


def ingest(
    store: Store,
    items: Iterable[Article | Failure],
    extract: Extract,
    *,
    batch_size: int = 32,
    validate: Validate | None = None,
    on_batch: Callable[[BatchReport, IngestSummary], None] | None = None,
    max_relations: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    redo: Redo | None = None,
    store_text: bool = False,
    pipeline: bool | None = None,
) -> IngestSummary:
    """Ingest a stream of articles (and reader failures) batch by batch.

    With ``pipeline`` (the default for most server stores), one writer thread commits
    batch N while this thread reads, extracts and maps batch N+1: the server's work
    overlaps ours. Batches are still committed one at a time and in
    order, each in its own transaction(s): the store passes through the same states as
    without the pipeline. A batch that shares an article id or url with the batch being
    written waits for that write before its idempotency checks, so it sees it.

    Args:
        store: where to write.
        items: articles, interleaved with reader failures to report.
        extract: the NLP pipeline as a function of a batch.
        batch_size: articles per transaction.
        validate: shape validation of a batch's quads.
        on_batch: called after each committed batch, in order, from this thread
            (progress bars live there).
        max_relations: articles with more relations than this are reported as skipped
            instead of written (see :func:`commit_batch`); None for no limit.
        should_stop: asked before each batch; when it returns True the run ends there,
            with every batch before committed whole, and the summary says ``stopped``
            (a server shutting down stops a long POST /articles this way).
        redo: picks stored articles to extract again (see :func:`commit_batch`).
        store_text: record each new article's text (``aikg:text``); see :func:`commit_batch`.
        pipeline: overlap the write of one batch with the preparation of the next; None
            for the store's choice: on for a server whose adapter says it gains
            (:attr:`kg.engines.SparqlEngine.pipelined_writes`), off for the embedded store
            (its bulk writes hold Python's lock, so a writer thread only made it slower).

    Returns:
        The summary; batches committed before an exception stay committed.

    Raises:
        StoreError: a commit failed. No later batch was written, and the write of an
            earlier one has ended (committed) before the error is raised.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    summary = IngestSummary()
    articles = _split_failures(items, summary)
    unflushed = 0

    def flush_now_and_then(n: int) -> None:
        nonlocal unflushed
        unflushed += n
        if unflushed >= FLUSH_QUADS and hasattr(store, "flush"):
            store.flush()
            unflushed = 0

    def done(report: BatchReport) -> None:
        summary.add(report)
        if on_batch is not None:
            on_batch(report, summary)

    def plan(batch: list[Article]) -> BatchPlan:
        return plan_batch(
            store, batch, extract, validate=validate, max_relations=max_relations, redo=redo, store_text=store_text
        )

    if pipeline is None:
        pipeline = bool(getattr(getattr(store, "engine", None), "pipelined_writes", False))
    if not pipeline:
        for batch in batched(articles, batch_size):
            if should_stop is not None and should_stop():
                summary.stopped = True
                break
            done(write_plan(store, plan(batch), flush_now_and_then))
        _index(store, summary)
        return summary

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="aikg-writer") as writer:
        pending: tuple[Future[Any], set[str]] | None = None  # the write in flight, and its batch's keys

        def finish() -> None:
            nonlocal pending
            if pending is not None:
                future, _ = pending
                pending = None
                done(future.result())  # a failed commit raises here

        try:
            for batch in batched(articles, batch_size):
                if should_stop is not None and should_stop():
                    summary.stopped = True
                    break
                keys = _batch_keys(batch)
                if pending is not None and pending[1] & keys:
                    finish()  # the checks below must see the batch being written
                ready = plan(batch)
                finish()
                pending = (writer.submit(write_plan, store, ready, flush_now_and_then), keys)
            finish()
        except BaseException:
            # Let the write in flight end (committed or not) before the error goes up.
            if pending is not None:
                future, _ = pending
                pending = None
                if future.exception() is None:
                    done(future.result())
            raise
    _index(store, summary)
    return summary


def _index(store: Store, summary: IngestSummary) -> None:
    """Build the time index whole after a run that wrote and found it out of date (kg.timeindex)."""
    if summary.articles:
        timeindex.ensure(store)


def _split_failures(items: Iterable[Article | Failure], summary: IngestSummary) -> Iterator[Article]:
    for item in items:
        if isinstance(item, Article):
            yield item
        else:
            summary.skipped.append((item.source, item.reason))


def find_articles(store: Store, ref: str) -> list[ox.NamedNode]:
    """Return the article graphs a url or a sha256 id (or a prefix of 8+ hex) names."""
    ref = ref.strip()
    if re.fullmatch(r"[0-9a-f]{8,64}", ref):
        q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <{ONTOLOGY}sha256> ?h }} FILTER(STRSTARTS(?h, ?prefix)) }}"
        rows = store.select(q, substitutions={"prefix": ox.Literal(ref)})
        return [r["g"] for r in rows]
    return graphs_for_urls(store, [ref]).get(ref, [])


def delete_articles(store: Store, graphs: list[ox.NamedNode]) -> int:
    """Drop articles in one transaction; triples no other article supports go with them."""
    if graphs:
        timeindex.commit(store, [], graphs)
    return len(graphs)
