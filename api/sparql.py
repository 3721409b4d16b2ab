"""SPARQL 1.1 Protocol machinery: result formats, content negotiation, cut-able streaming.

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
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

import pyoxigraph as ox
from starlette.responses import Response, StreamingResponse

from kg.errors import QueryTimeoutError, ResultTooLargeError
from kg.store import Store

log = logging.getLogger(__name__)

# SPARQL 1.1 Query Results formats (JSON: W3C sparql11-results-json; XML:
# rdf-sparql-XMLres; CSV/TSV: sparql11-results-csv-tsv), for SELECT and ASK.
RESULTS_MEDIA: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
# RDF serializations for CONSTRUCT and DESCRIBE (SPARQL 1.1 Protocol section 2.1.6).
GRAPH_MEDIA: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# What the response says it is, whichever alias the client asked for.
_CANONICAL = {
    ox.QueryResultsFormat.JSON: "application/sparql-results+json",
    ox.QueryResultsFormat.XML: "application/sparql-results+xml",
    ox.QueryResultsFormat.CSV: "text/csv; charset=utf-8",
    ox.QueryResultsFormat.TSV: "text/tab-separated-values; charset=utf-8",
    ox.RdfFormat.TURTLE: "text/turtle; charset=utf-8",
    ox.RdfFormat.N_TRIPLES: "application/n-triples",
    ox.RdfFormat.JSON_LD: "application/ld+json",
    ox.RdfFormat.RDF_XML: "application/rdf+xml",
    ox.RdfFormat.TRIG: "application/trig",
    ox.RdfFormat.N_QUADS: "application/n-quads",
}
# ``?format=`` names, for links that cannot set an Accept header (downloads). Clients
# such as SPARQLWrapper also send them (format=n3, format=xml for CONSTRUCT), so they
# are read per result kind; a value known to neither table is ignored.
RESULTS_FORMAT_NAMES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMAT_NAMES: dict[str, str] = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
    "trig": "application/trig",
}
_RESULTS_ORDER = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
]
_GRAPH_ORDER = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
    "text/plain",
]
_DOWNLOAD_EXT = {
    ox.QueryResultsFormat.JSON: "srj",
    ox.QueryResultsFormat.XML: "srx",
    ox.QueryResultsFormat.CSV: "csv",
    ox.QueryResultsFormat.TSV: "tsv",
    ox.RdfFormat.TURTLE: "ttl",
    ox.RdfFormat.N_TRIPLES: "nt",
    ox.RdfFormat.JSON_LD: "jsonld",
    ox.RdfFormat.RDF_XML: "rdf",
    ox.RdfFormat.TRIG: "trig",
    ox.RdfFormat.N_QUADS: "nq",
}

_UPDATE_START = re.compile(
    r"^\s*(?:(?:#[^\n]*\n|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


class NotAcceptableError(Exception):
    """No offered serialization matches the Accept header (HTTP 406)."""


def looks_like_update(text: str) -> bool:
    """Return whether a text that failed to parse as a query starts like a SPARQL update."""
    return bool(_UPDATE_START.match(text))


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Return (media range, q) pairs of an Accept header, in header order."""
    out: list[tuple[str, float]] = []
    for part in (header or "*/*").split(","):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append((media, q))
    return out or [("*/*", 1.0)]


def _q_for(offer: str, ranges: list[tuple[str, float]]) -> float:
    """Return the q of the most specific range matching the offer (RFC 9110 section 12.5.1)."""
    best, best_spec = 0.0, -1
    major = offer.split("/")[0]
    for media, q in ranges:
        if media == offer:
            spec = 2
        elif media == f"{major}/*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if spec > best_spec:
            best, best_spec = q, spec
    return best


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """Return the offer the client prefers (ties: the first offered), or None if none is acceptable.

    A browser's Accept (``text/html`` first, XML at a lower q) gets the first offer, so
    opening a query URL shows JSON rather than XML.
    """
    ranges = parse_accept(accept)
    top_q = max(q for _, q in ranges)
    if any(m in ("text/html", "application/xhtml+xml") and q == top_q for m, q in ranges):
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        q = _q_for(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def choose_format(
    result: object, accept: str | None, format_names: Sequence[str] = ()
) -> tuple[ox.QueryResultsFormat | ox.RdfFormat, str]:
    """Return the serialization and Content-Type for a result.

    Raises:
        NotAcceptableError: the client accepts none of the formats this result has.
    """
    return choose_media(not isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)), accept, format_names)


def choose_media(
    graph: bool, accept: str | None, format_names: Sequence[str] = ()
) -> tuple[ox.QueryResultsFormat | ox.RdfFormat, str]:
    """Return the serialization and Content-Type for a graph (or a results) result.

    Raises:
        NotAcceptableError: the client accepts none of the formats of that kind.
    """
    table, order = (GRAPH_MEDIA, _GRAPH_ORDER) if graph else (RESULTS_MEDIA, _RESULTS_ORDER)
    names = GRAPH_FORMAT_NAMES if graph else RESULTS_FORMAT_NAMES
    media = None
    for value in format_names:
        value = value.strip().lower()
        media = names.get(value) or (value if value in table else None)
        if media:
            break
    if media is None:
        media = negotiate(accept, order)
    if media is None:
        kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
        raise NotAcceptableError(f"cannot serve {kind} results as {accept!r}; acceptable: {', '.join(order)}")
    fmt = table[media]
    return fmt, _CANONICAL[fmt]


class UnknownFormatError(ValueError):
    """A ``format=`` value names no serialization this endpoint writes (HTTP 400)."""


def check_format_names(format_names: Sequence[str]) -> None:
    """Refuse ``format=`` values that name no serialization, listing the accepted ones.

    Raises:
        UnknownFormatError: a value is neither a known name nor a served media type.
    """
    for value in format_names:
        key = value.strip().lower()
        if (
            not key
            or key in RESULTS_FORMAT_NAMES
            or key in GRAPH_FORMAT_NAMES
            or key in RESULTS_MEDIA
            or key in GRAPH_MEDIA
        ):
            continue
        names = sorted(set(RESULTS_FORMAT_NAMES) | set(GRAPH_FORMAT_NAMES))
        raise UnknownFormatError(
            f"unknown format {value!r}: use one of {', '.join(names)}, or a media type such as "
            "application/sparql-results+json or text/turtle"
        )


def formats_for(accept: str | None, format_names: Sequence[str] = ()) -> dict[str, str | None]:
    """Return the media type to write for each result kind (None: the client accepts none).

    Kinds: ``solutions`` (SELECT), ``boolean`` (ASK), ``graph`` (CONSTRUCT/DESCRIBE). The
    choice is made before evaluation, so the engine process can write the result directly.
    """
    out: dict[str, str | None] = {}
    for kind, graph in (("solutions", False), ("graph", True)):
        try:
            fmt, _ = choose_media(graph, accept, format_names)
        except NotAcceptableError:
            out[kind] = None
            continue
        table = RESULTS_MEDIA if kind == "solutions" else GRAPH_MEDIA
        out[kind] = next(m for m, f in table.items() if f == fmt and _CANONICAL[f].split(";")[0] == m)
    out["boolean"] = out["solutions"]
    return out


def canonical_media(media: str) -> str:
    """Return the Content-Type to send for a media type the engine wrote."""
    fmt = RESULTS_MEDIA.get(media) or GRAPH_MEDIA[media]
    return _CANONICAL[fmt]


def not_acceptable_message(kind: str, accept: str | None) -> str:
    """Return the 406 message for a result kind the client accepts no format of."""
    graph = kind == "graph"
    order = _GRAPH_ORDER if graph else _RESULTS_ORDER
    what = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
    return f"cannot serve {what} results as {accept!r}; acceptable: {', '.join(order)}"


def download_extension(fmt: ox.QueryResultsFormat | ox.RdfFormat) -> str:
    """Return the usual file extension of a serialization."""
    return _DOWNLOAD_EXT[fmt]


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


@dataclass(frozen=True)
class QueryRequest:
    """One protocol query operation, as parsed from the HTTP request."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None
    format: tuple[str, ...] = ()
    download: bool = False
    substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None
    base_iri: str | None = None


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


class TooManyStreamsError(Exception):
    """A client already has the allowed number of large responses in flight (HTTP 429)."""


class SpooledResponse(Response):
    """A finished result sent from its spool file, each chunk within a send timeout.

    The engine process is already free when this starts: a client that reads slowly
    holds only its spool (memory up to a bound, then a temporary file), and a client that
    stops reading is cut after ``send_timeout`` seconds without progress.
    """

    chunk_size = 256 * 1024

    def __init__(
        self,
        body: IO[bytes],
        size: int,
        media_type: str,
        headers: dict[str, str],
        send_timeout: float,
        on_close: Callable[[], None],
    ):
        super().__init__(content=b"", media_type=media_type, headers=headers)
        self.raw_headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        self.raw_headers.append((b"content-length", str(size).encode()))
        self.spool = body
        self.send_timeout = send_timeout
        self.on_close = on_close

    async def __call__(self, scope, receive, send) -> None:
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if scope.get("method") == "HEAD":
                return
            while True:
                chunk = self.spool.read(self.chunk_size)
                if not chunk:
                    break
                try:
                    await asyncio.wait_for(
                        send({"type": "http.response.body", "body": chunk, "more_body": True}), self.send_timeout
                    )
                except TimeoutError:
                    log.warning("a client read nothing for %g s (AIKG_SEND_TIMEOUT): response cut", self.send_timeout)
                    raise
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            self.spool.close()
            self.on_close()


class IsolatedRunner:
    """Evaluates protocol queries in engine processes (:class:`kg.isolation.QueryPool`).

    The result is written by the engine in the negotiated format and spooled here; a
    small one is sent as one body, a large one by :class:`SpooledResponse`. A client may
    have ``max_streams_per_client`` large responses in flight at once.
    """

    def __init__(
        self,
        pool,
        *,
        buffer_bytes: int,
        send_timeout: float = 10.0,
        max_streams_per_client: int = 4,
        limits=None,
        allow_remote: Sequence[str] = (),
    ):
        self.pool = pool
        self.allow_remote = tuple(allow_remote)
        self.buffer_bytes = buffer_bytes
        self.send_timeout = send_timeout
        self.max_streams_per_client = max_streams_per_client
        self.limits = limits
        self.timeout = pool.limits.timeout
        self._streams: dict[str, int] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Nothing to stop here: the pool is closed with the store."""

    def _open_stream(self, client: str) -> None:
        with self._lock:
            if self._streams.get(client, 0) >= self.max_streams_per_client:
                raise TooManyStreamsError(
                    f"{self.max_streams_per_client} large results are still being sent to your address "
                    "(AIKG_MAX_STREAMS_PER_CLIENT): read them first, or add a LIMIT"
                )
            self._streams[client] = self._streams.get(client, 0) + 1

    def _close_stream(self, client: str) -> None:
        with self._lock:
            left = self._streams.get(client, 1) - 1
            if left <= 0:
                self._streams.pop(client, None)
            else:
                self._streams[client] = left

    async def respond(self, req: QueryRequest, client: str = "") -> Response:
        """Run the query in an engine process and return its response.

        Raises:
            QuerySyntaxError, QueryLimitError: malformed or over a static limit.
            RemoteAccessError: a SERVICE to a host not allowed.
            QueryTimeoutError: past the deadline (the engine was stopped).
            ResultTooLargeError: past the row or byte cap.
            QueryCrashedError: the engine died on this query.
            NotAcceptableError: no acceptable serialization.
            TooManyStreamsError: the client has too many large results in flight.
        """
        from kg.isolation import NotAcceptable, QueryJob
        from kg.limits import DEFAULT_LIMITS, check_remote, check_text

        check_format_names(req.format)
        check_text(req.query, self.limits or DEFAULT_LIMITS)
        check_remote(req.query, self.allow_remote)
        formats = formats_for(req.accept, req.format)
        job = QueryJob(
            req.query,
            formats,
            substitutions=req.substitutions,
            default_graph=req.default_graphs,
            named_graphs=req.named_graphs,
            base_iri=req.base_iri,
        )
        loop = asyncio.get_running_loop()
        try:
            out = await loop.run_in_executor(None, self.pool.run, job)
        except NotAcceptable as exc:
            raise NotAcceptableError(not_acceptable_message(exc.kind, req.accept)) from None
        media = canonical_media(out.media)
        headers: dict[str, str] = {}
        if req.download:
            fmt = RESULTS_MEDIA.get(out.media) or GRAPH_MEDIA[out.media]
            headers["Content-Disposition"] = f'attachment; filename="results.{download_extension(fmt)}"'
        if out.size <= self.buffer_bytes:
            with out.body:
                return Response(out.body.read(), media_type=media, headers=headers)
        try:
            self._open_stream(client)
        except TooManyStreamsError:
            out.body.close()
            raise
        return SpooledResponse(
            out.body, out.size, media, headers, self.send_timeout, lambda: self._close_stream(client)
        )
