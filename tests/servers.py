"""Server processes the tests start on loopback ports, and how to stop them.

Every server is one class with the same face: ``start()`` (waits until it answers),
``stop(sig)``, ``url`` (what a store URL names) and ``kind``. :func:`start_server`
starts any of them by name; the engine suite (tests/kg/test_engines.py) starts each
once per session that way.
"""

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


def wait_for(url: str, proc: subprocess.Popen, seconds: float, what: str, **params) -> None:
    """Wait until ``url`` answers an HTTP GET; fail early when the process has died.

    Raises:
        RuntimeError: the process ended, or nothing answered within ``seconds``.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} before answering")
        try:
            httpx.get(url, params=params, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer at {url} within {seconds:.0f} s")


class OxigraphServer:
    """The Oxigraph SPARQL server on a loopback port (its own process)."""

    kind = "oxigraph"

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


VIRTUOSO_BIN = os.environ.get("AIKG_VIRTUOSO", "virtuoso-t")
VIRTUOSO_ISQL = os.environ.get("AIKG_VIRTUOSO_ISQL", "isql-vt")
#: The account a fresh Virtuoso database has (updates go to /sparql-auth with digest auth).
VIRTUOSO_LOGIN = ("dba", "dba")

_VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 60
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {dir}
ServerThreads = 8
MaxClientConnections = 8
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
"""


class VirtuosoServer:
    """Virtuoso Open Source (Debian's ``virtuoso-opensource``) with its own database in ``location``."""

    kind = "virtuoso"

    def __init__(self, location: Path):
        self.location = Path(location)
        self.sql_port = free_port()
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        user, password = VIRTUOSO_LOGIN
        return f"virtuoso+http://{user}:{password}@{LOOPBACK}:{self.port}/sparql"

    def start(self) -> None:
        """Write a virtuoso.ini for free loopback ports, start the server, wait for /sparql."""
        binary = shutil.which(VIRTUOSO_BIN)
        if binary is None:
            pytest.fail("Virtuoso is not installed: run `make servers` (apt-get install virtuoso-opensource)")
        self.location.mkdir(parents=True, exist_ok=True)
        ini = self.location / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(dir=self.location, host=LOOPBACK, sql_port=self.sql_port,
                                            http_port=self.port), encoding="utf-8")
        self.proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)], cwd=self.location,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            wait_for(f"http://{LOOPBACK}:{self.port}/sparql", self.proc, 90, "virtuoso-t", query="ASK {}")
        except RuntimeError:
            self.stop(signal.SIGKILL)
            raise

    def isql(self, *statements: str, timeout: float = 600) -> str:
        """Run SQL statements through Virtuoso's isql client; return its output.

        Raises:
            RuntimeError: isql failed or reported an error.
        """
        user, password = VIRTUOSO_LOGIN
        script = "".join(s.rstrip(";") + ";\n" for s in statements)
        proc = subprocess.run([VIRTUOSO_ISQL, f"{LOOPBACK}:{self.sql_port}", user, password],
                              input=script, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or "*** Error" in proc.stdout:
            raise RuntimeError(f"isql failed: {proc.stdout[-1000:]} {proc.stderr[-500:]}")
        return proc.stdout

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server with ``sig``."""
        if self.proc is not None and self.proc.poll() is None:
            kill_group(self.proc, sig)


FUSEKI_HOME = Path(os.environ.get("AIKG_FUSEKI_HOME", Path.home() / ".cache" / "aikg" / "fuseki-5.6.0"))
FUSEKI_MAIN = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"


class FusekiServer:
    """Apache Jena Fuseki 5.6 (``jena-fuseki-main``, installed by `make servers`) with a TDB2 dataset."""

    kind = "fuseki"
    dataset = "aikg"

    def __init__(self, location: Path):
        self.location = Path(location)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"fuseki+http://{LOOPBACK}:{self.port}/{self.dataset}"

    def start(self) -> None:
        """Start Fuseki (jena-fuseki-main) with an updatable TDB2 dataset; wait for its query service."""
        java = shutil.which(os.environ.get("AIKG_JAVA", "java"))
        lib = FUSEKI_HOME / "lib"
        if java is None or not (lib / ".complete").exists():
            pytest.skip(f"Fuseki is not installed ({lib} or java is missing): `make servers` fetches "
                        "jena-fuseki-main 5.6.0 through Maven, which needs Maven Central")
        self.location.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [java, "-Xmx1g", "-cp", f"{lib}/*", FUSEKI_MAIN, "--localhost", "--port", str(self.port),
             "--update", "--tdb2", "--loc", str(self.location / "tdb2"), f"/{self.dataset}"],
            cwd=self.location, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            wait_for(f"http://{LOOPBACK}:{self.port}/{self.dataset}/query", self.proc, 90, "Fuseki",
                     query="ASK {}")
        except RuntimeError:
            self.stop(signal.SIGKILL)
            raise

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server with ``sig``."""
        if self.proc is not None and self.proc.poll() is None:
            kill_group(self.proc, sig)


SERVERS = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer, "fuseki": FusekiServer}


def start_server(kind: str, location: Path):
    """Start the server ``kind`` (a key of :data:`SERVERS`) with its data in ``location``."""
    server = SERVERS[kind](location)
    server.start()
    return server
