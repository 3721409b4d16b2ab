"""The two ways an assistant reaches the MCP server: stdio (``aikg mcp``) and HTTP (``aikg serve``).

:func:`run_stdio` runs the app's lifespan around a stdio session; :func:`http_managers`
builds the session managers that :mod:`api.mcp_http` mounts at ``/mcp``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import anyio
from fastapi import FastAPI
from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings

from api.mcp_server.server import build_server


def run_stdio(app: FastAPI, *, writable: bool) -> None:
    """Serve MCP over stdin/stdout until the client closes stdin.

    Args:
        app: the app of :func:`api.app.create_app`; its lifespan opens the store and the
            query engines as ``aikg serve`` does, so the tools read with the same
            isolation and limits.
        writable: offer the ingest tool (the settings carry a token).
    """

    async def main() -> None:
        async with app.router.lifespan_context(app):
            server = _quietly(lambda: build_server(app, writable=writable))
            await server.run_stdio_async()

    anyio.run(main)


# ---------------------------------------------------------------- streamable HTTP under aikg serve


def http_managers(app: FastAPI, path: str) -> tuple[StreamableHTTPSessionManager, StreamableHTTPSessionManager | None]:
    """Return the session managers of ``path`` (``/mcp``): read-only, and writable when the server has a token.

    Stateless JSON responses: every request stands alone, so a client needs no session
    affinity, and :mod:`api.mcp_http` checks the token on each request. The managers must
    be run (their ``run()``) before they handle a request.
    """

    def manager(writable: bool) -> StreamableHTTPSessionManager:
        server = _quietly(lambda: build_server(app, writable=writable))
        # Builds the server's session manager; the Starlette app it returns is not used.
        # The app's TrustedHostMiddleware already refuses a Host it is not (DNS rebinding).
        server.streamable_http_app(
            streamable_http_path=path,
            stateless_http=True,
            json_response=True,
            max_request_body_size=app.state.settings.max_body_bytes,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )
        return server.session_manager

    return manager(False), manager(True) if app.state.settings.token is not None else None


def _quietly(build: Callable[[], MCPServer]) -> MCPServer:
    """Build an MCPServer without it configuring the root logger (it calls logging.basicConfig)."""
    root = logging.getLogger()
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        return build()
    finally:
        root.removeHandler(guard)
