"""The one place where aikg's exceptions become HTTP status codes.

The SPARQL protocol paths answer errors as ``text/plain`` (what SPARQL clients show);
the REST API answers ``{"detail": ...}`` JSON.

A query that does not parse answers 400 with a readable message (see
:mod:`kg.sparql_errors`). As text: the one-line message, then the query line and a
caret line under the column, then ``detail: `` and the parser's own message (which may
run over several lines)::

    line 1, column 22: unknown prefix `foo:`; declare it with PREFIX foo: <…>
    SELECT ?x WHERE { ?x foo:bar ?y }
                         ^
    detail: error at 1:29: expected one of Prefix not found, ...

As JSON: ``{"detail": message, "line": 1, "column": 22, "pointer": "...", "parser": "..."}``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.sparql import NotAcceptableError, TooManyStreamsError, UnknownFormatError
from kg.errors import (
    AikgError,
    NotFoundError,
    QueryCrashedError,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeoutError,
    RDFParseError,
    ReaderError,
    RemoteAccessError,
    RemoteStoreError,
    ResultTooLargeError,
    ShapeViolationError,
    StoreError,
    StoreLockedError,
    UnsupportedFormatError,
)

log = logging.getLogger(__name__)

PROTOCOL_PATHS = frozenset({"/sparql", "/update"})

# Most specific first: the first class the error is an instance of decides.
STATUS: list[tuple[type[Exception], int]] = [
    (QuerySyntaxError, 400),
    (RemoteAccessError, 400),
    (QueryCrashedError, 500),
    (QueryEvaluationError, 400),
    (QueryTimeoutError, 503),
    (ResultTooLargeError, 400),
    (NotFoundError, 404),
    (RDFParseError, 400),
    (ReaderError, 400),
    (ShapeViolationError, 422),
    (UnsupportedFormatError, 415),
    (StoreLockedError, 503),
    (RemoteStoreError, 502),
    (StoreError, 500),
    (AikgError, 500),
]


def status_for(exc: Exception) -> int:
    """Return the HTTP status of an aikg error."""
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 500


def _reply(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if request.url.path in PROTOCOL_PATHS:
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def _syntax_reply(request: Request, exc: QuerySyntaxError) -> Response:
    message = str(exc)
    if request.url.path in PROTOCOL_PATHS:
        text = message
        if exc.pointer:
            text += "\n" + exc.pointer
        if exc.detail and exc.detail != message:
            text += "\ndetail: " + exc.detail.strip()
        return PlainTextResponse(text + "\n", status_code=400)
    return JSONResponse(
        {
            "detail": message,
            "line": exc.line,
            "column": exc.column,
            "pointer": exc.pointer or None,
            "parser": exc.detail,
        },
        status_code=400,
    )


async def _aikg_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, QuerySyntaxError):
        return _syntax_reply(request, exc)
    status = status_for(exc)
    if status >= 500 and status != 503:
        log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
    headers = {"Retry-After": "5"} if isinstance(exc, StoreLockedError) else None
    return _reply(request, status, str(exc), headers)


async def _not_acceptable(request: Request, exc: Exception) -> Response:
    return _reply(request, 406, str(exc))


async def _unknown_format(request: Request, exc: Exception) -> Response:
    return _reply(request, 400, str(exc))


async def _too_many_streams(request: Request, exc: Exception) -> Response:
    return _reply(request, 429, str(exc), {"Retry-After": "5"})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path in PROTOCOL_PATHS:
        return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code, headers=exc.headers)
    return await http_exception_handler(request, exc)


async def _invalid_request(request: Request, exc: Exception) -> Response:
    # FastAPI's own answer echoes the input as UTF-8 and fails (500) on a lone surrogate a
    # JSON body may carry ("\ud800"); ASCII-escaped JSON carries any input.
    import json

    from fastapi.encoders import jsonable_encoder
    from fastapi.exceptions import RequestValidationError

    assert isinstance(exc, RequestValidationError)
    body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
    return Response(body, status_code=422, media_type="application/json")


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""
    from fastapi.exceptions import RequestValidationError

    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(AikgError, _aikg_error)
    app.add_exception_handler(NotAcceptableError, _not_acceptable)
    app.add_exception_handler(UnknownFormatError, _unknown_format)
    app.add_exception_handler(TooManyStreamsError, _too_many_streams)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(HTTPException, _http_error)


class BodyLimit:
    """ASGI middleware answering 413 to a request body larger than ``max_bytes``.

    A declared Content-Length is refused before any byte is read; a chunked body is
    counted as it arrives. A client that hangs up mid-body gets no answer and one INFO
    log line.
    """

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(scope, send)
        except ClientDisconnect:
            # The client hung up before its body arrived: nobody is left to answer, and
            # nothing was written, so this is news, not a crash.
            log.info("client hung up during %s %s before its body arrived", scope.get("method"), scope.get("path"))

    async def _refuse(self, scope: Scope, send: Send) -> None:
        text = f"the request body is larger than the server's limit of {self.max_bytes} bytes (AIKG_MAX_BODY_BYTES)"
        if scope.get("path") in PROTOCOL_PATHS:
            response: Response = PlainTextResponse(text + "\n", status_code=413)
        else:
            response = JSONResponse({"detail": text}, status_code=413)

        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, no_body, send)


class _BodyTooLarge(Exception):
    """Raised inside receive() once the body passes the limit."""
