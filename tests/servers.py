"""Server processes the tests start on loopback ports, and how to stop them."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

LOOPBACK = "127.0.0.1"


def oxigraph_bin() -> str:
    """Return the Oxigraph server binary (PyPI package ``oxigraph``)."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the Oxigraph server binary is not installed: pip install -c constraints.txt oxigraph "
                    "(part of the test extra: pip install -c constraints.txt -e '.[test]')")
    return found


def free_port() -> int:
    """Return a port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Send a signal to a child started in its own session, and reap it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


class OxigraphServer:
    """The Oxigraph SPARQL server on a loopback port (its own process)."""

    def __init__(self, location: Path):
        self.location = location
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/query"

    def start(self) -> None:
        """Start the server and wait until its query endpoint answers."""
        self.proc = subprocess.Popen(
            [oxigraph_bin(), "serve", "--location", str(self.location), "--bind", f"{LOOPBACK}:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url, params={"query": "ASK {}"}, timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph server did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server with ``sig`` (SIGKILL to simulate a crash)."""
        if self.proc is not None and self.proc.poll() is None:
            kill_group(self.proc, sig)
