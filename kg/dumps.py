"""Whole-dataset dumps, gzip-compressed as they are written, in bounded memory.

Two dumps, the ones ``/dumps/...`` serves and ``aikg export --format nq.gz|ttl.gz``
writes:

- ``aikg.nq.gz``: every quad of the store as N-Quads: each article's named graph and
  the default graph (the union of the article graphs, plus anything loaded into the
  default graph alone). ``aikg load`` of this file into an empty store gives the same
  quads back.
- ``aikg.ttl.gz``: the default (union) graph as Turtle: what a plain SPARQL query sees,
  without the provenance of which article says what.

A local store is dumped by pyoxigraph's own ``Store.dump`` (native speed, one
snapshot of the store: a write in the middle of a dump does not show up half-way),
running in a thread whose output is gzip-compressed as it is written and handed to the
reader through a queue of at most :data:`QUEUE_CHUNKS` chunks of about
:data:`CHUNK_BYTES`. When the reader is slower, the dump waits; when the reader goes
away, the dump stops. Memory stays bounded whatever the size of the store.
"""

from __future__ import annotations

import queue
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.derived import dump_nquads
from kg.errors import StoreError, UnsupportedFormatError
from kg.namespaces import PREFIXES
from kg.store import Store

#: Dump name -> (RDF format, whether it holds every graph (True) or the union graph).
DUMPS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "nq.gz": (ox.RdfFormat.N_QUADS, True),
    "ttl.gz": (ox.RdfFormat.TURTLE, False),
}
#: The file name every dump is offered under (``aikg.nq.gz``, ``aikg.ttl.gz``).
DUMP_STEM = "aikg"
#: Compressed bytes handed on at once, and how many such chunks may wait for the reader.
CHUNK_BYTES = 64 * 1024
QUEUE_CHUNKS = 16


def dump_kind(name: str) -> tuple[ox.RdfFormat, bool]:
    """Return the format of a dump and whether it holds every graph.

    Raises:
        UnsupportedFormatError: not a dump this module writes.
    """
    try:
        return DUMPS[name]
    except KeyError:
        raise UnsupportedFormatError(f"unknown dump {name!r}; use one of: {', '.join(DUMPS)}") from None


class DumpAbandoned(Exception):
    """The reader of a dump went away; the writing thread stops."""


class _GzipSink:
    """A binary file-like object that gzips what it is given and passes the output on.

    Output is handed to ``emit`` in pieces of at least ``chunk_bytes`` (the last one
    may be shorter); the gzip header carries no timestamp, so the same input gives the
    same bytes.
    """

    def __init__(self, emit: Callable[[bytes], object], *, level: int = 6, chunk_bytes: int = 0) -> None:
        self._emit = emit
        self._comp = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        self._chunk = chunk_bytes
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> int:
        out = self._comp.compress(data)
        if out:
            self._pending.append(out)
            self._size += len(out)
            if self._size >= self._chunk:
                self._pass_on()
        return len(data)

    def flush(self) -> None:
        """Nothing to do: output leaves as chunks fill, and all of it at :meth:`close`."""

    def close(self) -> None:
        """End the gzip stream and pass on what is left."""
        self._pending.append(self._comp.flush())
        self._pass_on()

    def _pass_on(self) -> None:
        data = b"".join(self._pending)
        self._pending, self._size = [], 0
        if data:
            self._emit(data)


def _native_dump(oxstore: ox.Store, fmt: ox.RdfFormat, all_graphs: bool, output: IO[bytes]) -> None:
    if all_graphs:
        dump_nquads(oxstore, output)  # every graph but the time index (kg.derived)
    else:
        oxstore.dump(output, format=fmt, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)


def dump_stream(oxstore: ox.Store, name: str) -> Iterator[bytes]:
    """Return an iterator over the gzip bytes of one dump (``nq.gz`` or ``ttl.gz``) of a local store.

    The dump starts when the first chunk is asked for, in a thread; closing the
    iterator (or dropping it) early stops that thread at its next write.

    Raises:
        UnsupportedFormatError: an unknown dump name (raised at once, not on iteration).
    """
    fmt, all_graphs = dump_kind(name)
    return _threaded(oxstore, fmt, all_graphs)


_END = object()


def _threaded(oxstore: ox.Store, fmt: ox.RdfFormat, all_graphs: bool) -> Iterator[bytes]:
    chunks: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_CHUNKS)
    stop = threading.Event()

    def put(item: object) -> None:
        while True:
            if stop.is_set():
                raise DumpAbandoned()
            try:
                chunks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def run() -> None:
        try:
            sink = _GzipSink(put, chunk_bytes=CHUNK_BYTES)
            _native_dump(oxstore, fmt, all_graphs, cast(IO[bytes], sink))  # a binary file to pyoxigraph
            sink.close()
            put(_END)
        except DumpAbandoned:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
            if not stop.is_set():
                try:
                    put(exc)
                except DumpAbandoned:
                    pass

    worker = threading.Thread(target=run, name="aikg-dump", daemon=True)
    worker.start()
    try:
        while True:
            item = chunks.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise StoreError(f"the dump failed: {item}") from item
            yield item
    finally:
        stop.set()


def write_dump(store: Store, name: str, output: IO[bytes]) -> None:
    """Write one dump of a store (local or remote) to a binary stream.

    A local store is read through :func:`dump_stream`, as the server's ``/dumps`` reads
    it (the same bytes); a remote store is dumped by its own ``dump`` (one query) and
    compressed as it is written.

    Raises:
        UnsupportedFormatError: an unknown dump name.
        kg.errors.StoreError: the store cannot be read.
        OSError: the output cannot be written.
    """
    fmt, _ = dump_kind(name)
    oxstore = getattr(getattr(store, "live", store), "oxigraph", None)
    if oxstore is not None:
        for chunk in dump_stream(oxstore, name):
            output.write(chunk)
        return
    sink = _GzipSink(output.write, chunk_bytes=CHUNK_BYTES)
    store.dump(cast(IO[bytes], sink), fmt)  # a binary file as far as dump goes: write and flush
    sink.close()
