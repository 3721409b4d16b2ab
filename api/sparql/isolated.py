"""The isolated runner: queries in engine processes, results spooled and sent within a timeout.

:class:`IsolatedRunner` hands each query to :class:`kg.isolation.QueryPool` in the format
negotiated beforehand; a large result is sent from its spool by :class:`SpooledResponse`,
and a client may have only so many of those in flight (:class:`TooManyStreamsError`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from api.sparql.formats import (
    GRAPH_MEDIA,
    RESULTS_MEDIA,
    NotAcceptableError,
    canonical_media,
    check_format_names,
    download_extension,
    formats_for,
    not_acceptable_message,
)
from api.sparql.request import QueryRequest

if TYPE_CHECKING:
    from kg.isolation import QueryPool
    from kg.limits import QueryLimits

# The logger of the module this came from (api/sparql.py), so log filters keep matching.
log = logging.getLogger("api.sparql")


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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
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
        pool: QueryPool,
        *,
        buffer_bytes: int,
        send_timeout: float = 10.0,
        max_streams_per_client: int = 4,
        limits: QueryLimits | None = None,
        allow_remote: Sequence[str] = (),
    ) -> None:
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
