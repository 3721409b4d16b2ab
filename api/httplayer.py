"""The HTTP layer in front of the routes: connection timeouts, request framing, HEAD, page headers.

Two parts. :func:`protocol_class` gives ``aikg serve`` a uvicorn HTTP/1.1 protocol (h11)
that closes connections which are slow to send their request, and refuses a request
that declares its body length twice (``Content-Length`` and ``Transfer-Encoding``).
uvicorn has no timeout for the request headers of its own: without one, a client that
sends a header line every few seconds holds a connection forever (slow-loris).
:class:`HeadAsGet` is ASGI middleware answering ``HEAD`` like ``GET`` without a body,
on every route.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

#: Headers every HTML page carries besides its Content-Security-Policy.
PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def page_headers(csp: str) -> dict[str, str]:
    """Return the security headers of an HTML page with this Content-Security-Policy."""
    return {"Content-Security-Policy": csp, **PAGE_HEADERS}


class _FramedOnce(h11.Connection):
    """An h11 server connection that refuses a request with both Content-Length and Transfer-Encoding.

    h11 reads such a body as chunked, as RFC 9112 section 6.1 allows, and keeps the
    connection open; a proxy in front that believed Content-Length would then disagree
    on where the request ends (request smuggling). Section 6.3 says to reject or close:
    this refuses (uvicorn answers 400 and closes the connection).
    """

    refusal: str | None = None

    def next_event(self):  # type: ignore[no-untyped-def]
        event = super().next_event()
        if isinstance(event, h11.Request):
            names = {name for name, _ in event.headers}
            if b"content-length" in names and b"transfer-encoding" in names:
                self.refusal = (
                    "a request may not carry both Content-Length and Transfer-Encoding (RFC 9112 section 6.3)"
                )
                raise h11.RemoteProtocolError(self.refusal, error_status_hint=400)
        return event


class _GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for request headers and for stalled bodies.

    A connection gets ``header_timeout`` seconds, counted from its first byte (or from
    the connection itself), to send complete request headers; past that it is closed,
    with a 408 if part of a request had arrived. While a request body is read, a pause
    of ``header_timeout`` without a byte also closes it (unless the server itself paused
    reading). Connections that wait idle between requests are closed by uvicorn's own
    keep-alive timeout.
    """

    header_timeout: float = 10.0
    conn: _FramedOnce

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = self.config.h11_max_incomplete_event_size
        self.conn = _FramedOnce(h11.SERVER) if size is None else _FramedOnce(h11.SERVER, size)
        self._deadline: asyncio.TimerHandle | None = None

    # ------------------------------------------------------------------ timers
    def _arm(self, callback) -> None:  # type: ignore[no-untyped-def]
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, callback)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _headers_overdue(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        partial, _ = self.conn.trailing_data
        if partial:
            body = f"request headers not complete within {self.header_timeout:g} s\n".encode()
            self.transport.write(
                b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
            )
        log.info(
            "closed a connection from %s: no complete request headers within %g s",
            _peer(self.client),
            self.header_timeout,
        )
        self.transport.close()

    def _body_stalled(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state is not h11.SEND_BODY:
            return
        if self.flow is not None and self.flow.read_paused:
            # The app has not taken what arrived: the client is not the slow one.
            self._arm(self._body_stalled)
            return
        log.info(
            "closed a connection from %s: its request body stalled for %g s", _peer(self.client), self.header_timeout
        )
        self.transport.close()

    # --------------------------------------------------------- asyncio.Protocol
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self._headers_overdue)

    def data_received(self, data: bytes) -> None:
        if self._deadline is None and self.conn.their_state is h11.IDLE:
            # The first bytes of a request on a kept-alive connection.
            self._arm(self._headers_overdue)
        super().data_received(data)
        self._follow_state()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_state()

    def _follow_state(self) -> None:
        state = self.conn.their_state
        if self.transport.is_closing() or state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR):
            self._disarm()
        elif state is h11.SEND_BODY:
            self._arm(self._body_stalled)
        # IDLE: a request not complete yet keeps its deadline; between requests there is none.

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        super().send_400_response(self.conn.refusal or msg)


def protocol_class(header_timeout: float) -> type[asyncio.Protocol]:
    """Return the HTTP protocol class for ``uvicorn.run(http=...)`` with this header timeout.

    Args:
        header_timeout: seconds a connection has to send complete request headers, and
            the longest pause allowed inside a request body.
    """
    return type("GuardedH11Protocol", (_GuardedH11Protocol,), {"header_timeout": float(header_timeout)})


def _peer(client: tuple[str, int] | None) -> str:
    return f"{client[0]}:{client[1]}" if client else "an unknown peer"


#: Set in the scope of a GET that serves a HEAD request (see :class:`HeadAsGet`).
HEAD_SCOPE_KEY = "aikg.head"


class HeadAsGet:
    """ASGI middleware: a ``HEAD`` request is served by the ``GET`` route, and its body dropped.

    The status and headers (Content-Type, Content-Length, ...) are those of the GET
    answer, as RFC 9110 section 9.3.2 asks. The GET handler runs in full, unless it
    reads :data:`HEAD_SCOPE_KEY` from its scope and skips the body itself.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def headers_only(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.body":
                if finished or message.get("more_body", False):
                    return
                finished = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # HEAD_SCOPE_KEY lets a route whose body is costly to make (a dump) skip making it
        await self.app({**scope, "method": "GET", HEAD_SCOPE_KEY: True}, receive, headers_only)
