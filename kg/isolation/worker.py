"""What a query passes through (limits, job, outcome, messages) and one engine process with its pipes."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO

from kg.namespaces import Term

SNAPSHOT_DIR = "aikg-snapshots"
# Failures after which a worker is known to be fine: refused before or cut during output.
_CLEAN_FAILURES = frozenset({"syntax", "too_many_rows", "too_large", "not_acceptable", "evaluation"})


def timeout_message(timeout: float) -> str:
    """Return the message of a query stopped at the server's deadline."""
    return (
        f"the query ran longer than the server's {timeout:g} s timeout (AIKG_QUERY_TIMEOUT) "
        "and was stopped: add a LIMIT, or narrow the patterns"
    )


class NotAcceptable(Exception):
    """The result's kind has no serialization the client accepts; ``kind`` names it."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class EngineLimits:
    """What one query may use in its engine process."""

    timeout: float = 30.0
    max_rows: int = 100_000
    max_bytes: int = 256 * 1024 * 1024
    memory_mb: int = 4096


@dataclass
class QueryJob:
    """One evaluation: the text, its dataset, and the media type to write per result kind."""

    query: str
    formats: Mapping[str, str | None]
    substitutions: Mapping[str, Term] | None = None
    default_graph: Sequence[str] = ()
    named_graphs: Sequence[str] = ()
    base_iri: str | None = None
    max_rows: int | None = None


@dataclass
class Outcome:
    """A finished evaluation: the result kind, its media type and the serialized bytes."""

    kind: str
    media: str
    body: IO[bytes]
    size: int
    elapsed: float = 0.0


class _Worker:
    """One engine process and the two pipes to it."""

    _ids = itertools.count(1)

    def __init__(self, memory_mb: int):
        self.id = next(self._ids)
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ)
        # The worker must import the same kg as this process (a checkout on PYTHONPATH).
        root = str(Path(__file__).resolve().parents[2])  # kg/isolation/worker.py -> the checkout
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        # The memory cap is on address space (RLIMIT_AS), and glibc reserves 64 MB of it for
        # each thread's malloc arena: measured, an idle engine held 450 to 775 MB of a 1 GB
        # cap that way (RSS 33 MB), so a reused engine could die of an allocation of a few
        # bytes. Two arenas leave it at about 185 MB, and the cap measures what a query uses.
        env.setdefault("MALLOC_ARENA_MAX", "2")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg.query_worker", str(to_child_r), str(from_child_w), str(memory_mb)],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self.send = Connection(to_child_w, readable=False)
        self.recv = Connection(from_child_r, writable=False)
        self.path: str | None = None
        self.jobs = 0

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, OSError):
            self.proc.kill()
        with contextlib.suppress(OSError):
            self.send.close()
        with contextlib.suppress(OSError):
            self.recv.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)

    def address_space(self) -> int | None:
        """Return the process's address space in bytes (what the memory cap limits), or None if unknown."""
        try:
            with open(f"/proc/{self.proc.pid}/statm", encoding="ascii") as f:
                return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return None

    def died_how(self) -> str:
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:
            try:
                return f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"was killed by signal {-code}"
        return f"exited with status {code}"
