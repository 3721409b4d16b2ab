"""The graph of derived data (the time index) and the mark that says it is up to date.

The time index (:mod:`kg.timeindex`) lives in one named graph of its own,
:data:`INDEX_GRAPH`. It is not an article: it is not copied into the default graph, and
the readers of every graph (dumps, statistics, curation, loading) leave it out by name.
Its subject :data:`INDEX_GRAPH` carries ``aikg:indexState`` with the value
:data:`FRESH` only while the index says what the statements say. A batch commit deletes
that mark before it writes (:data:`INVALIDATE`; the loader then brings the index up to
date and puts the mark back); every other write removes the index (:data:`DROP_INDEX`).
Only a build of the index puts the mark back. A named query reads the index only when
the mark is there.
"""

from __future__ import annotations

from typing import IO, cast

import pyoxigraph as ox

from kg.namespaces import BASE, ONTOLOGY

INDEX_GRAPH = ox.NamedNode(BASE + "graph/time-index")
#: The property of :data:`INDEX_GRAPH` that holds the index's state.
INDEX_STATE = ox.NamedNode(ONTOLOGY + "indexState")
#: The layout of the index; a store built by another layout is not read.
LAYOUT = "2"
#: The state of an index that says what the statements say.
FRESH = ox.Literal(f"fresh {LAYOUT}")

#: The update that marks the index as out of date, keeping its data for the loader to
#: bring up to date (kg.timeindex.commit): what a batch commit does.
INVALIDATE = f"DELETE WHERE {{ GRAPH {INDEX_GRAPH} {{ {INDEX_GRAPH} {INDEX_STATE} ?state }} }}"
#: The update that removes the index: what every other write does (an update can change
#: anything, so nothing of the index is kept; the next ingest or `aikg index` builds it).
DROP_INDEX = f"DROP SILENT GRAPH {INDEX_GRAPH}"
#: Whether the index is up to date.
IS_FRESH = f"ASK {{ GRAPH {INDEX_GRAPH} {{ {INDEX_GRAPH} {INDEX_STATE} {FRESH} }} }}"
#: Whether the store holds an index mark at all (fresh or not).
HAS_STATE = f"ASK {{ GRAPH {INDEX_GRAPH} {{ {INDEX_GRAPH} {INDEX_STATE} ?state }} }}"
#: A FILTER on ``?g`` that leaves the index graph out of a read of every graph.
NOT_DERIVED = f"FILTER (?g != {INDEX_GRAPH})"


def is_derived(graph: object) -> bool:
    """Return whether a graph name is the derived graph (left out of dumps, loads and projections)."""
    return graph == INDEX_GRAPH


_TAIL = f" {INDEX_GRAPH} .\n".encode()


class WithoutDerived:
    """A binary output that passes N-Quads on, leaving out the lines of the index graph.

    pyoxigraph's own dump writes every graph; this keeps the dump at its native speed
    (lines are only split in a chunk that holds an index line).
    """

    def __init__(self, output: IO[bytes]) -> None:
        self._out = output
        self._rest = b""

    def write(self, data: bytes) -> int:
        given = len(data)
        data = self._rest + bytes(data)
        cut = data.rfind(b"\n") + 1
        self._rest, whole = data[cut:], data[:cut]
        if _TAIL in whole:
            whole = b"".join(line for line in whole.splitlines(keepends=True) if not line.endswith(_TAIL))
        if whole:
            self._out.write(whole)
        return given

    def flush(self) -> None:
        """Pass on what has been written so far (an unfinished last line waits for its end)."""
        self._out.flush()

    def finish(self) -> None:
        """Pass on an unfinished last line (a dump ends each line, so this is normally nothing)."""
        if self._rest and not self._rest.endswith(_TAIL[:-1]):
            self._out.write(self._rest)
        self._rest = b""


def dump_nquads(store: ox.Store, output: IO[bytes]) -> None:
    """Write every graph of a store as N-Quads but the index graph, at pyoxigraph's native speed."""
    sink = WithoutDerived(output)
    store.dump(cast(IO[bytes], sink), format=ox.RdfFormat.N_QUADS)  # a binary file as far as dump goes
    sink.finish()
