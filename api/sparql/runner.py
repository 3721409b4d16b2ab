"""The in-process runner: queries on worker threads, results streamed and cut at their limits.

How a query runs (see :class:`QueryRunner`): a worker thread evaluates it with pyoxigraph
and serializes the results natively into a sink that hands 8 KiB chunks to the event
loop. The sink checks the deadline, the row cap and a cancel flag on every chunk, so a
query that produces rows (a cross product, a big SELECT) is cut there. A blocking
operator (ORDER BY, GROUP BY, COUNT over a huge join) produces nothing until it is done:
the client gets its 503 at the deadline all the same, but that thread keeps computing
until the operator finishes and only then notices the cancel flag. pyoxigraph cannot
interrupt it, so such a thread is *abandoned*: a replacement worker starts, and the old
thread ends once its operator does. ``query_workers`` threads are thus always free for
new queries, until ``max_abandoned`` abandoned threads are computing at once; past that
no replacement starts (new queries wait for a worker, and time out at their deadline if
none frees up). Abandoned threads still use CPU and memory until they finish. A query
waiting for a free worker counts its wait against its own deadline. The deadline covers the whole response, sending
included: a client that reads a huge result slower than the timeout allows is cut too.

The first ``stream_buffer_bytes`` of a result are held before the response starts, so a
small result that fails (timeout, cap) gets a proper status code. Past that the
response is streamed, and a failure ends the connection without the final chunk: HTTP
clients then raise an "incomplete body" error instead of reading a truncated result.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from starlette.responses import Response, StreamingResponse

from api.sparql.formats import check_format_names, choose_format, download_extension
from api.sparql.request import QueryRequest
from kg.errors import QueryTimeoutError, ResultTooLargeError
from kg.store import Store

# The logger of the module this came from (api/sparql.py), so log filters keep matching.
log = logging.getLogger("api.sparql")

# Row boundaries in each results serialization, countable in raw bytes because the
# pattern cannot occur inside an escaped value: JSON escapes '"', XML escapes '<', TSV
# escapes newlines. A CSV value holding a CRLF is counted twice (the cap errs strict).
_ROW_MARK = {
    ox.QueryResultsFormat.JSON: b',{"',
    ox.QueryResultsFormat.XML: b"<result>",
    ox.QueryResultsFormat.TSV: b"\n",
    ox.QueryResultsFormat.CSV: b"\r\n",
}


class _Cancelled(Exception):
    """The response no longer wants this query's output."""


@dataclass
class _Job:
    loop: asyncio.AbstractEventLoop
    deadline: float
    timeout: float
    max_rows: int
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)
    credits: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(32))
    cancelled: threading.Event = field(default_factory=threading.Event)
    # Guarded by QueryRunner._lock.
    started: bool = False
    finished: bool = False
    abandoned: bool = False
    # Set on the event loop once the producer's last message ("end" or "error") arrived.
    done: bool = False

    def send(self, item: tuple) -> None:
        if self.cancelled.is_set():
            return
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:
            # The loop is closed (server shutting down): nobody waits for this any more.
            self.cancelled.set()

    def check(self) -> None:
        if self.cancelled.is_set():
            raise _Cancelled()
        if time.monotonic() > self.deadline:
            raise QueryTimeoutError(_timeout_message(self.timeout))

    def too_many(self) -> ResultTooLargeError:
        return ResultTooLargeError(
            f"the result has more than {self.max_rows} rows, the server's cap (AIKG_MAX_ROWS): "
            "add a LIMIT, or page with LIMIT/OFFSET"
        )


def _timeout_message(timeout: float) -> str:
    return (
        f"the query ran longer than the server's {timeout:g} s timeout (AIKG_QUERY_TIMEOUT) "
        "and was cancelled: add a LIMIT, or narrow the patterns"
    )


class _Sink:
    """A binary file for pyoxigraph's serializers that feeds the response, or stops them."""

    def __init__(self, job: _Job, mark: bytes | None, header_rows: int):
        self.job = job
        self.mark = mark
        self.rows = -header_rows
        self.tail = b""

    def write(self, data: bytes) -> int:
        job = self.job
        job.check()
        if self.mark is not None and job.max_rows:
            buf = self.tail + bytes(data)
            self.rows += buf.count(self.mark)
            self.tail = buf[-(len(self.mark) - 1) :] if len(self.mark) > 1 else b""
            if self.rows > job.max_rows:
                raise job.too_many()
        # Backpressure: a slow client holds the producer here, not in memory.
        while not job.credits.acquire(timeout=0.1):
            job.check()
        job.send(("chunk", bytes(data)))
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""


def _capped(triples: Iterator[ox.Triple], job: _Job) -> Iterator[ox.Triple]:
    for n, t in enumerate(triples, 1):
        if job.max_rows and n > job.max_rows:
            raise job.too_many()
        yield t


def _rows_before_first_mark(fmt: ox.QueryResultsFormat) -> int:
    # JSON's first row has no leading ',{"'; TSV and CSV have a header line.
    return {ox.QueryResultsFormat.JSON: -1, ox.QueryResultsFormat.TSV: 1, ox.QueryResultsFormat.CSV: 1}.get(fmt, 0)


class QueryRunner:
    """Evaluates protocol queries on worker threads and streams their results."""

    def __init__(
        self,
        store: Store,
        *,
        workers: int,
        timeout: float,
        max_rows: int,
        buffer_bytes: int,
        max_abandoned: int = 16,
        limits=None,
        allow_remote: Sequence[str] = (),
    ):
        """Start the worker threads."""
        self.store = store
        self.limits = limits
        self.allow_remote = tuple(allow_remote)
        self.timeout = timeout
        self.max_rows = max_rows
        self.buffer_bytes = buffer_bytes
        self.workers = workers
        self.max_abandoned = max_abandoned
        self._lock = threading.Lock()
        self._abandoned = 0
        self._spawned = 0
        # Daemon threads, not a ThreadPoolExecutor: a query abandoned at its deadline may
        # still be inside a blocking operator, and must not hold up the process's exit.
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        for _ in range(workers):
            self._spawn()

    @property
    def abandoned(self) -> int:
        """Return how many abandoned queries are still computing."""
        with self._lock:
            return self._abandoned

    def _spawn(self) -> None:
        self._spawned += 1
        threading.Thread(target=self._work, name=f"aikg-sparql-{self._spawned}", daemon=True).start()

    def close(self) -> None:
        """Stop the workers once they finish what they run; queued queries are dropped."""
        # Abandoned threads end by themselves; exactly ``workers`` others take jobs.
        for _ in range(self.workers):
            self._jobs.put(None)

    def _work(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            job = item[0]
            with self._lock:
                job.started = True
            try:
                self._produce(*item)
            finally:
                with self._lock:
                    job.finished = True
                    replaced = job.abandoned
                    if replaced:
                        self._abandoned -= 1
            if replaced:
                log.info("an abandoned SPARQL query finished; %d still computing", self.abandoned)
                return

    def _abandon(self, job: _Job) -> None:
        """Give up on a job still on a worker: start a replacement worker, within the cap."""
        job.cancelled.set()
        if job.done:
            return
        with self._lock:
            if not job.started or job.finished or job.abandoned:
                return
            if self._abandoned >= self.max_abandoned:
                full = True
            else:
                full = False
                job.abandoned = True
                self._abandoned += 1
                self._spawn()
            count = self._abandoned
        if full:
            log.warning(
                "%d abandoned SPARQL queries are still computing (AIKG_MAX_ABANDONED_QUERIES): "
                "new queries wait for a worker",
                count,
            )
        else:
            log.info(
                "SPARQL query abandoned while computing; a replacement worker started (%d abandoned still computing)",
                count,
            )

    async def respond(self, req: QueryRequest, client: str = "") -> Response:
        """Run the query and return its response (buffered if small, else streamed).

        Raises:
            QuerySyntaxError: the query does not parse.
            QueryTimeoutError: the deadline passed before the response started.
            ResultTooLargeError: the row cap was passed before the response started.
            NotAcceptableError: no acceptable serialization.
        """
        from kg.limits import DEFAULT_LIMITS, check_remote, check_text

        check_format_names(req.format)
        check_text(req.query, self.limits or DEFAULT_LIMITS)
        check_remote(req.query, self.allow_remote)
        job = _Job(asyncio.get_running_loop(), time.monotonic() + self.timeout, self.timeout, self.max_rows)
        self._jobs.put((job, req))
        try:
            kind, payload = await self._next(job)
            if kind == "error":
                raise payload
            media, fmt = payload
            headers = {}
            if req.download:
                headers["Content-Disposition"] = f'attachment; filename="results.{download_extension(fmt)}"'
            head: list[bytes] = []
            size = 0
            while size < self.buffer_bytes:
                kind, payload = await self._next(job)
                if kind == "chunk":
                    job.credits.release()
                    head.append(payload)
                    size += len(payload)
                elif kind == "end":
                    return Response(b"".join(head), media_type=media, headers=headers)
                else:
                    raise payload
        except BaseException:
            self._abandon(job)
            raise
        return StreamingResponse(self._stream(job, head), media_type=media, headers=headers)

    async def _next(self, job: _Job) -> tuple[str, object]:
        remaining = job.deadline - time.monotonic()
        try:
            item = await asyncio.wait_for(job.queue.get(), timeout=max(remaining, 0.0))
        except TimeoutError:
            raise QueryTimeoutError(_timeout_message(job.timeout)) from None
        if item[0] in ("end", "error"):
            job.done = True
        return item

    async def _stream(self, job: _Job, head: list[bytes]) -> AsyncIterator[bytes]:
        try:
            for chunk in head:
                yield chunk
            while True:
                kind, payload = await self._next(job)
                if kind == "chunk":
                    job.credits.release()
                    yield payload
                elif kind == "end":
                    return
                else:
                    raise payload
        except (QueryTimeoutError, ResultTooLargeError) as exc:
            # Headers are sent: ending without the last chunk is the only honest signal left.
            log.warning("streamed SPARQL response cut: %s", exc)
            raise
        finally:
            self._abandon(job)

    def _produce(self, job: _Job, req: QueryRequest) -> None:
        result = None
        try:
            job.check()
            result = self.evaluate(req)
            fmt, media = choose_format(result, req.accept, req.format)
            job.send(("meta", (media, fmt)))
            if isinstance(result, ox.QuerySolutions):
                result.serialize(_Sink(job, _ROW_MARK[fmt], _rows_before_first_mark(fmt)), format=fmt)
            elif isinstance(result, ox.QueryBoolean):
                result.serialize(_Sink(job, None, 0), format=fmt)
            else:
                ox.serialize(_capped(iter(result), job), _Sink(job, None, 0), format=fmt)
            job.send(("end", None))
        except _Cancelled:
            log.debug("SPARQL query abandoned by its response")
        except Exception as exc:  # noqa: BLE001 - handed to the request, which maps it
            # pyoxigraph results must die on this thread: the traceback's frames hold them.
            result = None
            exc.__context__ = None
            job.send(("error", exc.with_traceback(None)))

    def evaluate(self, req: QueryRequest) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Evaluate the query on the store (no serialization).

        Raises:
            QuerySyntaxError: the query does not parse.
        """
        kwargs: dict = {}
        if req.substitutions:
            kwargs["substitutions"] = req.substitutions
        if req.default_graphs:
            kwargs["default_graph"] = list(req.default_graphs)
        if req.named_graphs:
            kwargs["named_graphs"] = list(req.named_graphs)
        if req.base_iri:
            kwargs["base_iri"] = req.base_iri
        return self.store.query(req.query, **kwargs)
