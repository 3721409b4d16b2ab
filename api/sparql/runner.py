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
from typing import IO, TYPE_CHECKING, Any, Literal, cast

import pyoxigraph as ox
from starlette.responses import Response, StreamingResponse

from api.sparql.formats import check_format_names, choose_format, download_extension
from api.sparql.request import QueryRequest
from kg.errors import QueryTimeoutError, ResultTooLargeError
from kg.store import QueryResult, Store

if TYPE_CHECKING:
    from kg.limits import QueryLimits

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


_Format = ox.QueryResultsFormat | ox.RdfFormat
# What the producer thread sends the response, in order: "meta" (the Content-Type and the
# serialization), then "chunk"s, then "end"; or "error" at any point.
_Message = (
    tuple[Literal["meta"], tuple[str, _Format]]
    | tuple[Literal["chunk"], bytes]
    | tuple[Literal["end"], None]
    | tuple[Literal["error"], Exception]
)


class _Cancelled(Exception):
    """The response no longer wants this query's output."""


@dataclass
class _Job:
    loop: asyncio.AbstractEventLoop
    deadline: float
    timeout: float
    max_rows: int
    queue: asyncio.Queue[_Message] = field(default_factory=asyncio.Queue)
    credits: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(32))
    cancelled: threading.Event = field(default_factory=threading.Event)
    # Guarded by QueryRunner._lock.
    started: bool = False
    finished: bool = False
    abandoned: bool = False
    # Set on the event loop once the producer's last message ("end" or "error") arrived.
    done: bool = False

    def send(self, item: _Message) -> None:
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

    def __init__(self, job: _Job, mark: bytes | None, header_rows: int) -> None:
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

    @classmethod
    def of(cls, job: _Job, mark: bytes | None, header_rows: int) -> IO[bytes]:
        """Return a sink, typed as the file pyoxigraph writes to (it calls only write and flush)."""
        return cast(IO[bytes], cls(job, mark, header_rows))


def _capped(triples: Iterator[ox.Triple], job: _Job) -> Iterator[ox.Triple]:
    for n, t in enumerate(triples, 1):
        if job.max_rows and n > job.max_rows:
            raise job.too_many()
        yield t


def _unexpected(item: _Message) -> Exception:
    """Return the error a message ends the response with: its own, or a protocol slip."""
    if item[0] == "error":
        return item[1]
    return RuntimeError(f"a SPARQL worker sent {item[0]!r} after the result's format")


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
        limits: QueryLimits | None = None,
        allow_remote: Sequence[str] = (),
    ) -> None:
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
        self._jobs: queue.SimpleQueue[tuple[_Job, QueryRequest] | None] = queue.SimpleQueue()
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
            item = await self._next(job)
            if item[0] == "error":
                raise item[1]
            if item[0] != "meta":
                raise RuntimeError(f"a SPARQL worker sent {item[0]!r} before the result's format")
            media, fmt = item[1]
            headers = {}
            if req.download:
                headers["Content-Disposition"] = f'attachment; filename="results.{download_extension(fmt)}"'
            head: list[bytes] = []
            size = 0
            while size < self.buffer_bytes:
                item = await self._next(job)
                if item[0] == "chunk":
                    job.credits.release()
                    head.append(item[1])
                    size += len(item[1])
                elif item[0] == "end":
                    return Response(b"".join(head), media_type=media, headers=headers)
                else:
                    raise _unexpected(item)
        except BaseException:
            self._abandon(job)
            raise
        return StreamingResponse(self._stream(job, head), media_type=media, headers=headers)

    async def _next(self, job: _Job) -> _Message:
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
                item = await self._next(job)
                if item[0] == "chunk":
                    job.credits.release()
                    yield item[1]
                elif item[0] == "end":
                    return
                else:
                    raise _unexpected(item)
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
            # choose_format gives a results format to solutions and booleans, an RDF one to triples.
            if isinstance(result, ox.QuerySolutions):
                assert isinstance(fmt, ox.QueryResultsFormat)
                result.serialize(_Sink.of(job, _ROW_MARK[fmt], _rows_before_first_mark(fmt)), format=fmt)
            elif isinstance(result, ox.QueryBoolean):
                assert isinstance(fmt, ox.QueryResultsFormat)
                result.serialize(_Sink.of(job, None, 0), format=fmt)
            else:
                assert isinstance(fmt, ox.RdfFormat)
                ox.serialize(_capped(iter(result), job), _Sink.of(job, None, 0), format=fmt)
            job.send(("end", None))
        except _Cancelled:
            log.debug("SPARQL query abandoned by its response")
        except Exception as exc:  # noqa: BLE001 - handed to the request, which maps it
            # pyoxigraph results must die on this thread: the traceback's frames hold them.
            result = None
            exc.__context__ = None
            job.send(("error", exc.with_traceback(None)))

    def evaluate(self, req: QueryRequest) -> QueryResult:
        """Evaluate the query on the store (no serialization).

        Raises:
            QuerySyntaxError: the query does not parse.
        """
        kwargs: dict[str, Any] = {}
        if req.substitutions:
            kwargs["substitutions"] = req.substitutions
        if req.default_graphs:
            kwargs["default_graph"] = list(req.default_graphs)
        if req.named_graphs:
            kwargs["named_graphs"] = list(req.named_graphs)
        if req.base_iri:
            kwargs["base_iri"] = req.base_iri
        return self.store.query(req.query, **kwargs)
