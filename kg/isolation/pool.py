"""``QueryPool``: engine processes over snapshots of one local store (queries, dry-run updates)."""

from __future__ import annotations

import itertools
import json
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import (
    QueryCrashedError,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    StoreError,
)
from kg.isolation.worker import (
    _CLEAN_FAILURES,
    SNAPSHOT_DIR,
    EngineLimits,
    NotAcceptable,
    Outcome,
    QueryJob,
    _Worker,
    timeout_message,
)
from kg.namespaces import Term
from kg.store import LocalStore, QueryResult

log = logging.getLogger("kg.isolation")  # the name of the module before it became a package


class QueryPool:
    """Engine processes over snapshots of one local store; see :mod:`kg.isolation`."""

    def __init__(
        self,
        store: LocalStore,
        *,
        workers: int = 4,
        limits: EngineLimits = EngineLimits(),  # noqa: B008 (a frozen dataclass: one shared default is safe)
        spool_memory: int = 8 * 1024 * 1024,
    ) -> None:
        """Prepare the pool; workers start on first use.

        Args:
            store: the :class:`kg.store.LocalStore` this process writes.
            workers: engine processes evaluating at once.
            limits: timeout, row, byte and memory caps per query.
            spool_memory: result bytes kept in memory before spilling to a temporary file.
        """
        self.store = store
        self.limits = limits
        self.size = workers
        self.spool_memory = spool_memory
        self.generation = 0
        self._snap_root = Path(store.path) / SNAPSHOT_DIR
        shutil.rmtree(self._snap_root, ignore_errors=True)
        self._snap_root.mkdir(parents=True, exist_ok=True)
        self._snap_lock = threading.Lock()
        self._snapshot: tuple[int, str] | None = None
        self._snap_ids = itertools.count(1)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._free = threading.Semaphore(workers)
        self._closed = False
        self.stats = {"queries": 0, "timeouts": 0, "crashes": 0, "snapshots": 0}

    # --- snapshots -------------------------------------------------------------------

    def note_write(self) -> None:
        """Record that the live store changed: the next query takes a new snapshot."""
        with self._snap_lock:
            self.generation += 1

    def _current_snapshot(self, worker: _Worker) -> str:
        """Return the snapshot of the latest write, taking it if needed; the worker holds it."""
        with self._snap_lock:
            gen = self.generation
            if self._snapshot is not None and self._snapshot[0] == gen:
                worker.path = self._snapshot[1]
                return worker.path
            path = self._new_checkpoint()
            self._snapshot = (gen, path)
            worker.path = path
        self._collect()
        return path

    def _new_checkpoint(self) -> str:
        path = str(self._snap_root / f"s{next(self._snap_ids)}")
        try:
            self.store.oxigraph.backup(path)
        except OSError as exc:
            shutil.rmtree(path, ignore_errors=True)
            raise StoreError(f"cannot take a snapshot of the store for queries: {exc}") from exc
        self.stats["snapshots"] += 1
        return path

    def _collect(self) -> None:
        """Delete snapshots that are neither current nor open in a worker.

        What is held and what is current are read together, under the snapshot lock:
        read apart, a snapshot taken and handed to a worker in between looked unheld and
        was deleted under it (a query then failed with "No such file ... CURRENT").
        """
        with self._snap_lock:
            with self._lock:
                held = {w.path for w in self._idle} | {w.path for w in self._busy}
            current = self._snapshot[1] if self._snapshot else None
            doomed = [
                child
                for child in self._snap_root.iterdir()
                if str(child) != current and str(child) not in held and not child.name.startswith("u")
            ]
        for child in doomed:
            shutil.rmtree(child, ignore_errors=True)

    # --- workers ---------------------------------------------------------------------

    def _acquire(self, deadline: float, *, fresh: bool = False) -> _Worker:
        if not self._free.acquire(timeout=max(deadline - time.monotonic(), 0)):
            raise QueryTimeoutError(timeout_message(self.limits.timeout))
        with self._lock:
            if self._closed:
                self._free.release()
                raise StoreError("the server is shutting down")
            worker = self._idle.pop() if self._idle else None
        if worker is None or fresh or worker.proc.poll() is not None:
            if worker is not None:
                worker.kill()
            try:
                worker = _Worker(self.limits.memory_mb)
            except OSError as exc:
                self._free.release()
                raise StoreError(f"cannot start a query engine process: {exc}") from exc
        with self._lock:
            self._busy.add(worker)
        return worker

    def _release(self, worker: _Worker, *, healthy: bool) -> None:
        if healthy and self.limits.memory_mb > 0:
            # An engine whose address space grew past 3/4 of its cap during a query (memory its
            # allocator keeps) would fail the next query's allocations: it is replaced instead.
            # Under 256 MB it is kept whatever the cap (an idle engine holds about 185 MB).
            used = worker.address_space()
            healthy = used is None or used < max(self.limits.memory_mb * 1024 * 1024 * 3 // 4, 256 << 20)
        with self._lock:
            self._busy.discard(worker)
            reuse = healthy and not self._closed
            if reuse:
                self._idle.append(worker)
        if not reuse:
            worker.kill()
        self._free.release()

    def close(self) -> None:
        """Stop every worker and delete the snapshots."""
        with self._lock:
            self._closed = True
            workers = [*self._idle, *self._busy]
            self._idle.clear()
        for w in workers:
            w.kill()
        shutil.rmtree(self._snap_root, ignore_errors=True)

    # --- running ---------------------------------------------------------------------

    def run(
        self, job: QueryJob, *, deadline: float | None = None, on_start: Callable[[str, str], None] | None = None
    ) -> Outcome:
        """Evaluate a query in a worker and return its serialized result, spooled.

        Args:
            job: the query and how to serialize each result kind.
            deadline: time.monotonic() by which the result must be complete
                (default: now plus the pool's timeout).
            on_start: called with (kind, media) once the result kind is known.

        Raises:
            QuerySyntaxError: the query does not parse (line and column kept).
            QueryTimeoutError: the deadline passed; the worker was killed.
            ResultTooLargeError: past the row or byte cap.
            QueryCrashedError: the engine process died on this query.
            NotAcceptable: no media type for the result's kind.
            StoreError: the store could not be read.
        """
        started = time.monotonic()
        deadline = deadline if deadline is not None else started + self.limits.timeout
        try:
            return self._run_once(job, deadline, on_start, started, fresh=False)
        except (QueryCrashedError, StoreError) as exc:
            # A worker that served earlier queries may have died or failed of their aftermath
            # (memory its allocator kept after a huge result, a process killed from outside):
            # the query gets one fresh engine before it is blamed. A query that fails on a
            # fresh engine too fails as before.
            if not getattr(exc, "retryable", False) or time.monotonic() >= deadline:
                raise
            self.stats["retries"] = self.stats.get("retries", 0) + 1
            log.warning("retrying a query on a fresh engine process after a reused one failed")
            return self._run_once(job, deadline, on_start, started, fresh=True)

    def _run_once(
        self,
        job: QueryJob,
        deadline: float,
        on_start: Callable[[str, str], None] | None,
        started: float,
        *,
        fresh: bool,
    ) -> Outcome:
        worker = self._acquire(deadline, fresh=fresh)
        healthy = False
        kind = ""
        spool = tempfile.SpooledTemporaryFile(max_size=self.spool_memory)
        try:
            path = self._current_snapshot(worker)
            max_rows = self.limits.max_rows if job.max_rows is None else job.max_rows
            worker.send.send(
                {
                    "op": "query",
                    "path": path,
                    "query": job.query,
                    "formats": dict(job.formats),
                    "substitutions": dict(job.substitutions or {}),
                    "default_graph": list(job.default_graph),
                    "named_graphs": list(job.named_graphs),
                    "base_iri": job.base_iri,
                    "max_rows": max_rows,
                    "max_bytes": self.limits.max_bytes,
                }
            )
            worker.jobs += 1
            self.stats["queries"] += 1
            kind = media = ""
            size = 0
            while True:
                msg = self._next(worker, deadline, job.query)
                tag = msg[:1]
                if tag == b"D":
                    spool.write(memoryview(msg)[1:])
                    size += len(msg) - 1
                elif tag == b"M":
                    kind, media = msg[1:].decode().split("\0")
                    if on_start is not None:
                        on_start(kind, media)
                elif tag == b"E":
                    healthy = True
                    spool.seek(0)
                    return Outcome(kind, media, spool, size, time.monotonic() - started)
                elif tag == b"F":
                    failure = json.loads(msg[1:])
                    # A worker that ran out of memory or failed inside the engine may be left
                    # in a bad state: it is replaced, not reused.
                    healthy = failure["type"] in _CLEAN_FAILURES
                    self._raise(failure, job, max_rows)
        except (QueryCrashedError, StoreError) as exc:
            spool.close()
            # The result is spooled, so nothing reached the client yet unless on_start was told
            # the kind (pyoxigraph evaluates lazily: most failures come after the kind is sent).
            exc.retryable = not fresh and worker.jobs > 1 and not (kind and on_start is not None)
            raise
        except BaseException:
            spool.close()
            raise
        finally:
            self._release(worker, healthy=healthy)

    def _next(self, worker: _Worker, deadline: float, text: str) -> bytes:
        remaining = deadline - time.monotonic()
        try:
            ready = remaining > 0 and worker.recv.poll(remaining)
            if not ready:
                worker.kill()
                self.stats["timeouts"] += 1
                raise QueryTimeoutError(timeout_message(self.limits.timeout))
            return worker.recv.recv_bytes()
        except (EOFError, OSError):
            how = worker.died_how()
            self.stats["crashes"] += 1
            log.error("a query engine process %s while evaluating a query of %d characters", how, len(text))
            raise QueryCrashedError(
                f"the query engine {how} while evaluating this query (out of memory past "
                f"{self.limits.memory_mb} MB, AIKG_QUERY_MEMORY_MB, or an engine fault); "
                "nothing else was affected: simplify the query"
            ) from None

    def _raise(self, failure: dict[str, Any], job: QueryJob, max_rows: int, *, operation: str = "query") -> None:
        kind = failure["type"]
        if kind == "syntax":
            exc = SyntaxError(failure["message"])
            exc.msg = failure["message"]
            exc.lineno = failure.get("line")
            exc.offset = failure.get("column")
            raise _syntax_error(job.query, exc, operation, job.base_iri)
        if kind == "too_many_rows":
            raise ResultTooLargeError(
                f"the result has more than {max_rows} rows, the server's cap (AIKG_MAX_ROWS): "
                "add a LIMIT, or page with LIMIT/OFFSET"
            )
        if kind == "too_large":
            raise ResultTooLargeError(
                f"the result is larger than {self.limits.max_bytes} bytes, the server's cap "
                "(AIKG_MAX_RESPONSE_BYTES): add a LIMIT, or select fewer or shorter values"
            )
        if kind == "not_acceptable":
            raise NotAcceptable(failure["message"])
        if kind == "evaluation":
            raise QueryEvaluationError(f"the engine could not evaluate this: {failure['message']}")
        if kind == "memory":
            raise QueryCrashedError(
                f"the query needed more than {self.limits.memory_mb} MB (AIKG_QUERY_MEMORY_MB) and was "
                "stopped: add a LIMIT, or narrow the patterns"
            )
        raise StoreError(failure["message"])

    def dry_run_update(self, text: str, *, base_iri: str | None = None, deadline: float | None = None) -> None:
        """Apply an update to a private copy of the store in a worker; the copy is then deleted.

        Call it holding the write lock, then apply the same update to the live store.

        Raises:
            QuerySyntaxError, QueryTimeoutError, QueryCrashedError, StoreError: as :meth:`run`.
        """
        deadline = deadline if deadline is not None else time.monotonic() + self.limits.timeout
        worker = self._acquire(deadline)
        healthy = False
        path = str(self._snap_root / f"u{next(self._snap_ids)}")
        try:
            try:
                self.store.oxigraph.backup(path)
            except OSError as exc:
                raise StoreError(f"cannot copy the store to try the update: {exc}") from exc
            worker.send.send({"op": "update", "path": path, "query": text, "base_iri": base_iri})
            msg = self._next(worker, deadline, text)
            healthy = msg[:1] != b"F" or json.loads(msg[1:])["type"] in _CLEAN_FAILURES
            if msg[:1] == b"F":
                self._raise(json.loads(msg[1:]), QueryJob(text, {}, base_iri=base_iri), 0, operation="update")
        finally:
            self._release(worker, healthy=healthy)
            shutil.rmtree(path, ignore_errors=True)

    # --- native results, for library callers -----------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        deadline: float | None = None,
    ) -> QueryResult:
        """Run a query in a worker and return pyoxigraph results, like ``Store.query``.

        SELECT and ASK come back as :class:`pyoxigraph.QuerySolutions` / ``QueryBoolean``,
        CONSTRUCT and DESCRIBE as a list of triples. No row cap applies (the byte cap does).
        """
        job = QueryJob(
            sparql,
            _NATIVE_FORMATS,
            substitutions=substitutions,
            default_graph=tuple(default_graph or ()),
            named_graphs=tuple(named_graphs or ()),
            max_rows=0,
        )
        out = self.run(job, deadline=deadline)
        with out.body:
            data = out.body.read()
        if out.kind == "graph":
            return _Triples(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)


_NATIVE_FORMATS = {
    "solutions": "application/sparql-results+json",
    "boolean": "application/sparql-results+json",
    "graph": "application/n-triples",
}


class _Triples(list[Any]):
    """CONSTRUCT/DESCRIBE results from a worker, iterable like pyoxigraph's."""

    def __init__(self, triples: Iterator[Any]):
        super().__init__(t.triple if isinstance(t, ox.Quad) else t for t in triples)


def _syntax_error(text: str, exc: SyntaxError, operation: str, base_iri: str | None) -> QuerySyntaxError:
    from kg.sparql_errors import syntax_error

    return syntax_error(text, exc, operation=operation, base_iri=base_iri)
