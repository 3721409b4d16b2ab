"""The HTTP layer of a real ``aikg serve``: slow clients, too many connections, foreign Host
headers, ambiguous request framing and HEAD, spoken to over raw sockets where a client
library would tidy the request up.
"""

from __future__ import annotations

import json
import selectors
import shutil
import socket
import time
from pathlib import Path

import httpx
import pytest

from api.routes.graph import VIS_PATH
from tests.api.conftest import build_store

from .conftest import LOOPBACK, AikgServer

pytestmark = pytest.mark.server

HEADER_TIMEOUT = 3.0
ASK = b"/sparql?query=ASK%20%7B%7D"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    """The API tests' sample store (hand-made extractions, no spaCy)."""
    return build_store(tmp_path_factory.mktemp("http-layer") / "store")


@pytest.fixture(scope="module")
def guarded(sample_store, tmp_path_factory):
    """A server with a short header timeout and one extra allowed host name."""
    work = tmp_path_factory.mktemp("guarded")
    shutil.copytree(sample_store, work / "store")
    server = AikgServer(str(work / "store"), work, header_timeout=str(HEADER_TIMEOUT), allowed_hosts="kg.example.org")
    server.start()
    yield server
    server.stop()


def exchange(port: int, data: bytes, wait: float = 10.0) -> tuple[bytes, bool, float]:
    """Send raw bytes on a new connection; return what came back, whether the server closed, and when."""
    with socket.create_connection((LOOPBACK, port), timeout=wait) as s:
        t0 = time.monotonic()
        if data:
            s.sendall(data)
        out = b""
        closed = False
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    closed = True
                    break
                out += chunk
        except TimeoutError:
            pass
        except ConnectionResetError:
            closed = True
        return out, closed, time.monotonic() - t0


def split(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Return status, headers (lower-case names) and body of one raw HTTP/1.1 response."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def timed_get(url: str, **kwargs) -> tuple[httpx.Response, float]:
    t0 = time.monotonic()
    r = httpx.get(url, timeout=10, **kwargs)
    return r, time.monotonic() - t0


# ---------------------------------------------------------------- slow clients


def test_slow_loris_connections_are_closed_and_others_are_served_meanwhile(guarded):
    sel = selectors.DefaultSelector()
    slow: list[socket.socket] = []
    silent: list[socket.socket] = []
    try:
        opened = time.monotonic()
        for _ in range(200):
            s = socket.create_connection((LOOPBACK, guarded.port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            s.setblocking(False)
            slow.append(s)
        for _ in range(5):
            s = socket.create_connection((LOOPBACK, guarded.port))
            s.setblocking(False)
            silent.append(s)
        for s in slow + silent:
            sel.register(s, selectors.EVENT_READ)

        # 200 connections dribbling headers do not hold up anyone else.
        ask, ask_s = timed_get(guarded.base + ASK.decode())
        home, home_s = timed_get(guarded.base + "/")
        assert ask.status_code == 200 and ask.json()["boolean"] is True
        assert home.status_code == 200 and "<html" in home.text
        assert ask_s < 1.0 and home_s < 1.0, (ask_s, home_s)

        # They keep dribbling (a header line every 0.5 s) until the server closes them.
        received = {s: b"" for s in slow + silent}
        closed_after: dict[socket.socket, float] = {}
        next_line = time.monotonic()
        while len(closed_after) < len(received) and time.monotonic() - opened < HEADER_TIMEOUT + 10:
            if time.monotonic() >= next_line:
                for i, s in enumerate(slow):
                    if s not in closed_after:
                        try:
                            s.send(b"X-Pad-%d: %d\r\n" % (i, int(time.monotonic() * 1000)))
                        except OSError:
                            pass
                next_line += 0.5
            for key, _ in sel.select(timeout=0.1):
                s = key.fileobj
                try:
                    chunk = s.recv(65536)
                except BlockingIOError:
                    continue
                except ConnectionResetError:
                    chunk = b""
                if chunk:
                    received[s] += chunk
                else:
                    closed_after[s] = time.monotonic() - opened
                    sel.unregister(s)
        assert len(closed_after) == len(received), f"{len(received) - len(closed_after)} connections still open"
        latest = max(closed_after.values())
        assert HEADER_TIMEOUT - 0.5 <= min(closed_after.values()) and latest <= HEADER_TIMEOUT + 3, (
            min(closed_after.values()),
            latest,
        )
        # A partial request is told why; a connection that sent nothing is just closed.
        assert all(received[s].startswith(b"HTTP/1.1 408 ") for s in slow)
        assert b"request headers not complete within 3 s" in received[slow[0]]
        assert all(received[s] == b"" for s in silent)
        print(
            json.dumps(
                {
                    "slow_loris": len(slow),
                    "ask_s": round(ask_s, 3),
                    "home_s": round(home_s, 3),
                    "closed_between_s": [round(min(closed_after.values()), 2), round(latest, 2)],
                }
            )
        )
    finally:
        sel.close()
        for s in slow + silent:
            s.close()
    assert timed_get(guarded.base + ASK.decode())[0].status_code == 200
    assert "Traceback" not in guarded.output()


def test_a_stalled_request_body_is_closed(guarded):
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK {"
    )
    out, closed, seconds = exchange(guarded.port, head, wait=HEADER_TIMEOUT + 10)
    assert closed and out == b"" and HEADER_TIMEOUT - 0.5 <= seconds <= HEADER_TIMEOUT + 3, (out, seconds)
    assert timed_get(guarded.base + ASK.decode())[0].status_code == 200


def test_a_slow_but_whole_request_is_answered(guarded):
    """Headers that arrive in pieces within the timeout are a normal request."""
    with socket.create_connection((LOOPBACK, guarded.port), timeout=10) as s:
        for piece in (b"GET " + ASK + b" HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"Connection: close\r\n", b"\r\n"):
            s.sendall(piece)
            time.sleep(HEADER_TIMEOUT / 6)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status, _, body = split(data)
    assert status == 200 and json.loads(body)["boolean"] is True


def test_connections_past_the_cap_get_503_and_the_server_recovers(sample_store, tmp_path, servers):
    shutil.copytree(sample_store, tmp_path / "store")
    server = AikgServer(str(tmp_path / "store"), tmp_path, max_connections="20", header_timeout="4")
    servers.append(server)
    server.start()
    idle = [socket.create_connection((LOOPBACK, server.port)) for _ in range(25)]
    try:
        time.sleep(0.5)
        out, closed, _ = exchange(server.port, b"GET " + ASK + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", wait=5)
        status, headers, _ = split(out)
        assert status == 503 and headers.get("connection") == "close" and closed
        # The idle connections reach the header timeout; then there is room again.
        deadline = time.monotonic() + 4 + 5
        while True:
            r = httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=5)
            if r.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.status_code == 200
    finally:
        for s in idle:
            s.close()
    assert "Traceback" not in server.output()


# ---------------------------------------------------------------- request framing


def test_content_length_with_transfer_encoding_is_refused_and_the_connection_closed(guarded):
    smuggled = b"GET " + ASK + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n" + smuggled
    )
    out, closed, seconds = exchange(guarded.port, request)
    status, headers, body = split(out)
    assert status == 400 and headers.get("connection") == "close"
    assert b"Content-Length and Transfer-Encoding" in body
    # Closed at once, and the request behind it was never read.
    assert closed and seconds < 2 and out.count(b"HTTP/1.1 ") == 1
    # Either header alone is fine.
    for framing in (b"Content-Length: 6\r\n\r\nASK {}", b"Transfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n"):
        out, _, _ = exchange(
            guarded.port,
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/sparql-query\r\n" + framing,
        )
        assert split(out)[0] == 200, out[:200]


# ---------------------------------------------------------------- Host header


@pytest.mark.parametrize(
    "path", ["/", "/articles/", "/graph", "/sparql?query=ASK%20%7B%7D", "/docs", "/static/style.css"]
)
def test_a_foreign_host_header_gets_400_and_no_redirect(guarded, path):
    for host in (
        "evil.example",
        f"evil.example:{guarded.port}",
        "www.kg.example.org",
        "kg.example.org.evil.example",
        "127.0.0.1.evil.example",
    ):
        out, _, _ = exchange(guarded.port, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        status, headers, body = split(out)
        assert status == 400, (host, path, out[:200])
        assert "location" not in headers and b"evil" not in body


def test_loopback_names_and_the_configured_host_are_answered(guarded):
    for host in (
        f"127.0.0.1:{guarded.port}",
        f"localhost:{guarded.port}",
        f"[::1]:{guarded.port}",
        "kg.example.org",
        "KG.Example.Org:443",
    ):
        r = httpx.get(guarded.base + "/articles/", headers={"Host": host}, follow_redirects=False, timeout=10)
        # The trailing-slash redirect stays on the host the client named.
        assert r.status_code == 307, (host, r.status_code)
        assert r.headers["location"] == f"http://{host}/articles"
        assert httpx.get(guarded.base + "/articles", headers={"Host": host}, timeout=10).status_code == 200


# ---------------------------------------------------------------- HEAD

HEAD_PATHS = [
    "/",
    "/graph",
    "/query",
    "/search?q=Open",
    "/entity/microsoft",
    "/entity/nobody",
    "/articles",
    "/entities?q=Open",
    "/relations",
    "/paths?from=Amazon&to=OpenAI",
    "/analytics/centrality",
    "/queries",
    "/sparql?query=ASK%20%7B%7D",
    "/openapi.json",
    "/docs",
    "/static/style.css",
    f"{VIS_PATH}/vis-network.min.js",
    "/nowhere",
]


@pytest.mark.parametrize("path", HEAD_PATHS)
def test_head_answers_like_get_without_a_body(guarded, path):
    get, _, _ = exchange(guarded.port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    head, closed, _ = exchange(
        guarded.port, f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    )
    g_status, g_headers, g_body = split(get)
    h_status, h_headers, h_body = split(head)
    assert h_status == g_status and h_status != 405, (path, h_status, g_status)
    assert h_body == b"" and closed
    assert h_headers.get("content-type") == g_headers.get("content-type")
    if "content-length" in h_headers:
        assert int(h_headers["content-length"]) == len(g_body)
