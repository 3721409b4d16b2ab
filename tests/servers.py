"""Server processes the tests start on loopback ports, and how to stop them.

Every server is one class with the same face: ``start()`` (waits until it answers),
``stop(sig)``, ``url`` and ``kind``. For the SPARQL servers ``url`` is what a store URL
names, and :func:`start_server` starts any of them by name (the engine suite,
tests/kg/test_engines.py, starts each once per session that way). :class:`AikgServer`
is our own ``aikg serve``, whose ``url`` is the base of its API and pages; every test
that serves the app starts it through that class.
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


def aikg_bin() -> str:
    """Return the ``aikg`` console script of this venv."""
    found = Path(sys.executable).with_name("aikg")
    return str(found) if found.exists() else (shutil.which("aikg") or "aikg")


def child_env(**extra: str) -> dict[str, str]:
    """Return an environment for child processes without any inherited aikg settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIKG_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def oxigraph_bin() -> str:
    """Return the Oxigraph server binary (PyPI package ``oxigraph``)."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail(
            "the Oxigraph server binary is not installed: pip install -c constraints.txt oxigraph "
            "(part of the test extra: pip install -c constraints.txt -e '.[test]')"
        )
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
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
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
        ini.write_text(
            _VIRTUOSO_INI.format(dir=self.location, host=LOOPBACK, sql_port=self.sql_port, http_port=self.port),
            encoding="utf-8",
        )
        self.proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=self.location,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
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
        proc = subprocess.run(
            [VIRTUOSO_ISQL, f"{LOOPBACK}:{self.sql_port}", user, password],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
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
            pytest.skip(
                f"Fuseki is not installed ({lib} or java is missing): `make servers` fetches "
                "jena-fuseki-main 5.6.0 through Maven, which needs Maven Central"
            )
        self.location.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                java,
                "-Xmx1g",
                "-cp",
                f"{lib}/*",
                FUSEKI_MAIN,
                "--localhost",
                "--port",
                str(self.port),
                "--update",
                "--tdb2",
                "--loc",
                str(self.location / "tdb2"),
                f"/{self.dataset}",
            ],
            cwd=self.location,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(f"http://{LOOPBACK}:{self.port}/{self.dataset}/query", self.proc, 90, "Fuseki", query="ASK {}")
        except RuntimeError:
            self.stop(signal.SIGKILL)
            raise

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server with ``sig``."""
        if self.proc is not None and self.proc.poll() is None:
            kill_group(self.proc, sig)


class AikgServer:
    """``aikg serve`` as a child process on a loopback port; its output kept in a file.

    Args:
        store: the store directory or URL it serves.
        workdir: where the log file goes (``serve-PORT.log``).
        token: the write token (None: read-only).
        log_level: uvicorn's log level.
        command: ``aikg`` (the command users run) or ``uvicorn`` (the app factory under
            uvicorn, configured from ``AIKG_*`` alone).
        args: more arguments of ``aikg serve`` (``--watch URL``).
        verbose: run ``aikg -vv serve`` (debug logs in the log file).
        settings: ``AIKG_*`` settings by lower-case name (``query_timeout="2"``).
    """

    kind = "aikg"

    def __init__(
        self,
        store: str | Path,
        workdir: Path,
        *,
        token: str | None = None,
        log_level: str = "info",
        command: str = "aikg",
        args: tuple[str, ...] = (),
        verbose: bool = True,
        **settings: str,
    ):
        self.store = str(store)
        self.log_level = log_level
        self.command = command
        self.args = tuple(args)
        self.verbose = verbose
        self.port = free_port()
        self.token = token
        self.settings = settings
        self.log = workdir / f"serve-{self.port}.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        """Return the base URL of the API and pages."""
        return f"http://{LOOPBACK}:{self.port}"

    base = url

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    def start(self, timeout: float = 60) -> None:
        """Start the server (again, on the same port) and wait until /sparql answers."""
        env = child_env(**{f"AIKG_{k.upper()}": str(v) for k, v in self.settings.items()})
        if self.token:
            env["AIKG_TOKEN"] = self.token
        if self.command == "uvicorn":
            env["AIKG_STORE"] = self.store
            argv = [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "aikg.cli_serve:app_factory",
                "--host",
                LOOPBACK,
                "--port",
                str(self.port),
                "--log-level",
                self.log_level,
            ]
        else:
            argv = [
                aikg_bin(),
                *(["-vv"] if self.verbose else []),
                "serve",
                "--store",
                self.store,
                "--host",
                LOOPBACK,
                "--port",
                str(self.port),
                "--log-level",
                self.log_level,
                *self.args,
            ]
        # A file, not a pipe: nobody reads a pipe while tests run, and a full one blocks the server.
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                argv, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=self.log.parent
            )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"aikg serve exited with {self.proc.returncode}:\n{self.output()[-4000:]}")
            try:
                if httpx.get(self.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"aikg serve did not answer within {timeout} s:\n{self.output()[-4000:]}")

    def kill9(self) -> None:
        """Kill the server with SIGKILL: no shutdown, no flush."""
        if self.proc is not None:
            kill_group(self.proc, signal.SIGKILL)

    def stop(self) -> None:
        """Stop the server gracefully (SIGTERM), if it runs."""
        if self.proc is not None and self.proc.poll() is None:
            kill_group(self.proc, signal.SIGTERM)

    def output(self) -> str:
        """Return everything the server printed so far (stdout and stderr)."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""


SERVERS = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer, "fuseki": FusekiServer}


def start_server(kind: str, location: Path):
    """Start the server ``kind`` (a key of :data:`SERVERS`) with its data in ``location``."""
    server = SERVERS[kind](location)
    server.start()
    return server
