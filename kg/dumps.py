"""Whole-dataset dumps, gzip-compressed, written a batch of quads at a time.

Two dumps, the ones ``/dumps/...`` serves and ``aikg export --format nq.gz|ttl.gz``
writes:

- ``aikg.nq.gz``: every quad of the store as N-Quads: each article's named graph and
  the default graph (the union of the article graphs, plus anything loaded into the
  default graph alone). ``aikg load`` of this file into an empty store gives the same
  quads back.
- ``aikg.ttl.gz``: the default (union) graph as Turtle: what a plain SPARQL query sees,
  without the provenance of which article says what.

A dump reads the store through one iterator (a consistent snapshot in Oxigraph, so a
write in the middle of a dump does not show up half-way), serializes
:data:`BATCH_QUADS` quads at a time and compresses each batch as it goes: memory stays
bounded by one batch whatever the size of the store.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO

import pyoxigraph as ox

from kg.errors import UnsupportedFormatError
from kg.namespaces import PREFIXES

#: Dump name -> (RDF format, whether it holds every graph (True) or the union graph).
DUMPS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "nq.gz": (ox.RdfFormat.N_QUADS, True),
    "ttl.gz": (ox.RdfFormat.TURTLE, False),
}
#: The file name every dump is offered under (``aikg.nq.gz``, ``aikg.ttl.gz``).
DUMP_STEM = "aikg"
MEDIA_TYPES = {"nq.gz": "application/n-quads", "ttl.gz": "text/turtle"}
#: Quads serialized at once: the unit of memory a dump holds.
BATCH_QUADS = 5000

_PREFIXES = PREFIXES


def dump_kind(name: str) -> tuple[ox.RdfFormat, bool]:
    """Return the format of a dump and whether it holds every graph.

    Raises:
        UnsupportedFormatError: not a dump this module writes.
    """
    try:
        return DUMPS[name]
    except KeyError:
        raise UnsupportedFormatError(f"unknown dump {name!r}; use one of: {', '.join(DUMPS)}") from None


def store_quads(oxstore: ox.Store, all_graphs: bool) -> Iterator[ox.Quad]:
    """Yield the quads of every graph, or the triples of the default graph as quads, lazily."""
    return iter(oxstore.quads_for_pattern(None, None, None, None if all_graphs else ox.DefaultGraph()))


def serialized_chunks(quads: Iterable[ox.Quad], fmt: ox.RdfFormat, *,
                      batch: int = BATCH_QUADS) -> Iterator[bytes]:
    """Yield the serialization of the quads, ``batch`` quads at a time.

    Turtle batches each start with the prefix declarations (Turtle allows a prefix to be
    declared again), so the whole stays one valid document; N-Quads needs nothing.
    """
    it = iter(quads)
    first = True
    while True:
        chunk = list(islice(it, batch))
        if not chunk and not first:
            return
        first = False
        if fmt == ox.RdfFormat.N_QUADS:
            yield ox.serialize(chunk, format=fmt)
        else:
            yield ox.serialize((q.triple for q in chunk), format=fmt, prefixes=_PREFIXES)
        if not chunk:
            return


def gzip_chunks(chunks: Iterable[bytes], *, level: int = 6) -> Iterator[bytes]:
    """Yield a gzip stream of the chunks, compressed as they come (no header timestamp).

    The output is the same bytes for the same input, so it can be compared or cached.
    """
    comp = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        out = comp.compress(chunk)
        if out:
            yield out
    yield comp.flush()


def dump_stream(oxstore: ox.Store, name: str) -> Iterator[bytes]:
    """Yield the gzip bytes of one dump (``nq.gz`` or ``ttl.gz``) of a local store.

    Raises:
        UnsupportedFormatError: an unknown dump name (raised at once, not on iteration).
    """
    fmt, all_graphs = dump_kind(name)
    return gzip_chunks(serialized_chunks(store_quads(oxstore, all_graphs), fmt))


def write_dump(store, name: str, output: IO[bytes]) -> None:
    """Write one dump of a store (local or remote) to a binary stream.

    A local store is read a batch at a time; a remote store is dumped by its own
    ``dump`` (one query) and compressed as it is written.

    Raises:
        UnsupportedFormatError: an unknown dump name.
        kg.errors.StoreError: the store cannot be read.
        OSError: the output cannot be written.
    """
    fmt, _ = dump_kind(name)
    oxstore = getattr(getattr(store, "live", store), "oxigraph", None)
    if oxstore is not None:
        for part in dump_stream(oxstore, name):
            output.write(part)
        return
    comp = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)

    class _Compressing:
        def write(self, data: bytes) -> int:
            output.write(comp.compress(data))
            return len(data)

        def flush(self) -> None:
            pass

    store.dump(_Compressing(), fmt)
    output.write(comp.flush())
