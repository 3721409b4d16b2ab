"""``/mcp`` under ``aikg serve``: MCP's streamable HTTP, read-only unless a request carries the write token.

A request without an ``Authorization`` header reaches the read-only tools; one with
``Authorization: Bearer <token>`` (the token ``/update`` takes) reaches the same tools
plus ingest; a wrong token is answered 401. A server without a token serves the
read-only tools to every request.

The MCP SDK is imported, and the servers of :mod:`api.mcp_server` built, on the first
request to ``/mcp``: a server nobody asks over MCP pays nothing for it. Their session
managers then run in a task of the app's lifespan (they must outlive any one request),
and stop with it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any, Protocol

import anyio
import anyio.abc
from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api.settings import Settings

log = logging.getLogger(__name__)

#: The path ``aikg serve`` answers MCP at.
MCP_PATH = "/mcp"


class SessionManager(Protocol):
    """What this endpoint uses of the MCP SDK's ``StreamableHTTPSessionManager``."""

    def run(self) -> AbstractAsyncContextManager[None]: ...

    async def handle_request(self, scope: Scope, receive: Receive, send: Send) -> None: ...


class McpEndpoint:
    """The ASGI endpoint at ``/mcp``; :func:`mount` wires it to the app's lifespan."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.read: SessionManager | None = None
        self.write: SessionManager | None = None
        self._tasks: anyio.abc.TaskGroup | None = None
        self._lock = anyio.Lock()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Hold a task group for the session managers while the app runs."""
        async with anyio.create_task_group() as tasks:
            self._tasks = tasks
            try:
                yield
            finally:
                self._tasks = None
                self.read = self.write = None
                tasks.cancel_scope.cancel()

    async def _start(self) -> bool:
        """Build the servers and start their session managers, once; False when the app is not running."""
        async with self._lock:
            if self.read is not None:
                return True
            tasks = self._tasks
            if tasks is None:
                return False
            from api.mcp_server import http_managers

            managers: tuple[SessionManager, SessionManager | None] = http_managers(self.app, MCP_PATH)
            read, write = managers

            async def run(*, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
                async with AsyncExitStack() as stack:
                    for manager in (read, write):
                        if manager is not None:
                            await stack.enter_async_context(manager.run())
                    task_status.started()
                    await anyio.sleep_forever()

            await tasks.start(run)
            self.read, self.write = read, write
            log.info("MCP at %s: ready (%s)", MCP_PATH, "ingest with the token" if write else "read-only")
            return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not await self._start() or (read := self.read) is None:
            await JSONResponse({"detail": "the server is not running"}, status_code=503)(scope, receive, send)
            return
        write = self.write
        given = Headers(scope=scope).get("authorization")
        settings: Settings = self.app.state.settings
        token = settings.token_value()
        if given is None or token is None or write is None:
            await read.handle_request(scope, receive, send)
            return
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not settings.accepts(value):
            response = JSONResponse(
                {
                    "detail": "wrong token: send 'Authorization: Bearer <token>' with the server's write token, "
                    "or no Authorization header for the read-only tools"
                },
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="aikg"'},
            )
            await response(scope, receive, send)
            return
        await write.handle_request(scope, receive, send)


def mount(app: FastAPI) -> None:
    """Answer MCP at ``/mcp`` on an aikg app, inside the app's lifespan (which this wraps).

    The app's own lifespan is entered first: the tools need the store and the SPARQL
    runner it opens.
    """
    endpoint = McpEndpoint(app)
    app.router.routes.append(
        Route(MCP_PATH, endpoint=endpoint, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    )
    app.state.mcp = endpoint
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        async with inner(app_) as state, endpoint.running():
            yield state

    app.router.lifespan_context = lifespan
