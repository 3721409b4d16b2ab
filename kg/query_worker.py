"""A query engine process: evaluates one SPARQL request at a time for :mod:`kg.isolation`.

Run as ``python -m kg.query_worker READ_FD WRITE_FD MEMORY_MB``. It imports nothing but
pyoxigraph and the standard library (plus :func:`kg.store.bind_values`), caps its own
address space, and then serves requests from its parent over two pipes:

* ``query``: opens the named snapshot read-only (kept open while the snapshot stays the
  same), evaluates the query and serializes the result in the requested format, sending
  it back in chunks. Rows and bytes are counted as they are written, and the result is
  cut at the caps.
* ``update``: opens a private copy of the store read-write, applies the update there (a
  dry run the parent throws away) and reports whether it succeeded.

If the engine crashes (a stack overflow, the memory cap), only this process dies; the
parent answers that one request with an error and starts another worker.

Messages to the parent are bytes whose first byte says what they are: ``M`` the result
kind and media type, ``D`` a chunk of the serialized result, ``E`` the end, ``F`` a
failure (JSON: type, message, line, column).
"""

from __future__ import annotations

import json
import os
import resource
import sys
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import IO, Any, cast

import pyoxigraph as ox

CHUNK = 64 * 1024

# Row boundaries in each results serialization, countable in raw bytes: JSON rows are
# separated by '},{' (an empty row is '{}'), XML rows open with '<result>', TSV and CSV
# rows end with a newline. A literal holding the JSON mark is counted as a row too (the
# cap errs strict); the first JSON row is counted by its opening '[{'.
_ROW_MARK: dict[str, tuple[bytes, bytes | None]] = {
    "application/sparql-results+json": (b"},{", b'"bindings":[{'),
    "application/sparql-results+xml": (b"<result>", None),
    "text/tab-separated-values": (b"\n", None),
    "text/csv": (b"\r\n", None),
}
_HEADER_LINES = {"text/tab-separated-values": 1, "text/csv": 1}


class _Stop(Exception):
    """The result passed a cap; ``kind`` is ``rows`` or ``bytes``."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class _Sink:
    """A binary file for pyoxigraph's serializers: counts, caps and forwards in chunks."""

    def __init__(self, out: Connection, media: str, max_rows: int, max_bytes: int):
        self.out = out
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        marks = _ROW_MARK.get(media)
        self.mark: bytes | None = marks[0] if marks else None
        self.first: bytes | None = marks[1] if marks else None
        self.rows = -_HEADER_LINES.get(media, 0)
        self.tail = b""
        self.size = 0
        self.buf = bytearray()

    def write(self, data: bytes) -> int:
        data = bytes(data)
        self.size += len(data)
        if self.max_bytes and self.size > self.max_bytes:
            raise _Stop("bytes")
        if self.mark is not None and self.max_rows:
            window = self.tail + data
            self.rows += window.count(self.mark)
            if self.first is not None and self.first in window:
                self.rows += 1
                self.first = None
            keep = max(len(self.mark), len(self.first or b"")) - 1
            self.tail = window[-keep:] if keep else b""
            if self.rows > self.max_rows:
                raise _Stop("rows")
        self.buf += data
        if len(self.buf) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buf:
            self.out.send_bytes(b"D" + bytes(self.buf))
            self.buf.clear()


def _fail(out: Connection, kind: str, message: str, line: int | None = None, column: int | None = None) -> None:
    out.send_bytes(
        b"F" + json.dumps({"type": kind, "message": message, "line": line, "column": column}).encode("utf-8")
    )


def _capped(triples: Iterator[ox.Triple], max_rows: int) -> Iterator[ox.Triple]:
    for n, t in enumerate(triples, 1):
        if max_rows and n > max_rows:
            raise _Stop("rows")
        yield t


def _evaluate(store: ox.Store, job: dict[str, Any]) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    kwargs: dict[str, Any] = {}
    if job.get("default_graph"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graph"]]
    if job.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    if job.get("base_iri"):
        kwargs["base_iri"] = job["base_iri"]
    text = job["query"]
    subs = job.get("substitutions") or {}
    if subs:
        try:
            return store.query(text, substitutions={ox.Variable(k): v for k, v in subs.items()}, **kwargs)
        except RuntimeError as exc:
            if "projection" not in str(exc):
                raise
            from kg.store import bind_values

            text = bind_values(text, subs)
    return store.query(text, **kwargs)


def _query(store: ox.Store, job: dict[str, Any], out: Connection) -> None:
    result = _evaluate(store, job)
    if isinstance(result, ox.QuerySolutions):
        kind = "solutions"
    elif isinstance(result, ox.QueryBoolean):
        kind = "boolean"
    else:
        kind = "graph"
    media = job["formats"].get(kind)
    if media is None:
        _fail(out, "not_acceptable", kind)
        return
    out.send_bytes(b"M" + f"{kind}\0{media}".encode())
    sink = _Sink(out, media if kind == "solutions" else "", job["max_rows"], job["max_bytes"])
    # _Sink is a binary file as far as pyoxigraph goes: it only calls write.
    if isinstance(result, ox.QueryTriples):
        ox.serialize(
            _capped(iter(result), job["max_rows"]), cast(IO[bytes], sink), format=ox.RdfFormat.from_media_type(media)
        )
    else:
        result.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.from_media_type(media))
    sink.flush()
    out.send_bytes(b"E")


def _update(job: dict[str, Any], out: Connection) -> None:
    store = ox.Store(job["path"])
    try:
        kwargs = {"base_iri": job["base_iri"]} if job.get("base_iri") else {}
        store.update(job["query"], **kwargs)
    finally:
        del store
    out.send_bytes(b"E")


def serve(inbox: Connection, out: Connection) -> None:
    """Answer requests until the parent closes the pipe."""
    store: ox.Store | None = None
    path: str | None = None
    while True:
        try:
            job = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            if job["op"] == "update":
                _update(job, out)
                continue
            if job["path"] != path or store is None:
                store = None
                store = ox.Store.read_only(job["path"])
                path = job["path"]
            _query(store, job, out)
        except _Stop as stop:
            _fail(out, "too_many_rows" if stop.kind == "rows" else "too_large", stop.kind)
        except SyntaxError as exc:
            _fail(out, "syntax", str(exc.msg if getattr(exc, "msg", None) else exc), exc.lineno, exc.offset)
        except MemoryError:
            _fail(out, "memory", "out of memory")
        except RuntimeError as exc:
            # pyoxigraph's evaluation errors (CLEAR of a graph that does not exist, ...).
            _fail(out, "evaluation", " ".join(str(exc).split()))
        except Exception as exc:  # noqa: BLE001 - every failure goes back as one message
            _fail(out, "store", f"{type(exc).__name__}: {exc}")


def main(argv: list[str]) -> None:
    """Cap memory, then serve the parent on the two inherited pipe descriptors."""
    read_fd, write_fd, memory_mb = int(argv[0]), int(argv[1]), int(argv[2])
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    inbox = Connection(read_fd, writable=False)
    out = Connection(write_fd, readable=False)
    # The parent's signals (Ctrl-C in a terminal) are its to handle: it ends us. If the
    # parent dies without doing so (kill -9), a watchdog ends us within half a second,
    # even mid-query (pyoxigraph evaluates without holding the GIL).
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watchdog() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    serve(inbox, out)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
