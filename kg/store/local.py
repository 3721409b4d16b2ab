"""``LocalStore``: an Oxigraph store in a directory on disk, one writer process at a time."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.derived import DROP_INDEX, INVALIDATE, dump_nquads, is_derived
from kg.errors import StoreError, StoreLockedError
from kg.namespaces import Term
from kg.store.formats import QUAD_FORMATS, parse_rdf
from kg.store.protocol import DEFAULT_STORE, QueryForms, QueryResult
from kg.store.query_text import bind_values, check_query, term_sparql
from kg.store.union import _union_copies, union_update

if TYPE_CHECKING:
    from kg.curation import CurationState


BULK_MARKER = "AIKG_BULK_LOAD_INCOMPLETE"
#: The most quads one commit writes through pyoxigraph's bulk loader (see
#: LocalStore._insert): half of the million quads Oxigraph's loader takes in one chunk.
ATOMIC_BULK_QUADS = 500_000


class LocalStore(QueryForms):
    """An Oxigraph store in a directory on disk; one writer process at a time."""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_STORE, *, read_only: bool = False):
        """Open (or create) the store directory.

        Args:
            path: the store directory; created when missing (unless read_only).
            read_only: open without taking the writer lock (only while no process writes).

        Raises:
            StoreLockedError: another process has the store open for writing.
            StoreError: the directory holds no valid store or cannot be accessed.
        """
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        self._bulk = False
        self._curation: CurationState | None = None  # the curation state, read once until a write may change it
        self._curation_lock = threading.RLock()  # orders this process's writes (kg.curation)
        if (self.path / BULK_MARKER).exists():
            raise StoreError(
                f"an interrupted bulk load (`aikg ingest --bulk`) left {self.path} incomplete: "
                "delete the directory and load again"
            )
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"no aikg store at {self.path}")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreLockedError(
                    f"the store {self.path} is open in another process (an `aikg serve` or "
                    "`aikg ingest`?): stop it, or point --store at the running server's URL, "
                    "e.g. --store http://127.0.0.1:8000/sparql"
                ) from exc
            raise StoreError(f"cannot open store {self.path}: {text}") from exc

    @property
    def oxigraph(self) -> ox.Store:
        """Return the underlying pyoxigraph store, for the hot query path."""
        return self._store

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; variables in ``substitutions`` are bound before evaluation.

        Raises:
            QuerySyntaxError: the query does not parse (the parser's message).
        """
        kwargs: dict[str, Any] = {}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if base_iri:
            kwargs["base_iri"] = base_iri
        check_query(sparql)
        try:
            if substitutions:
                # Oxigraph's own substitution is fastest, but only binds projected variables;
                # otherwise a VALUES block in the WHERE group does the same binding.
                try:
                    subs = {ox.Variable(k): v for k, v in substitutions.items()}
                    return self._store.query(sparql, substitutions=subs, **kwargs)
                except RuntimeError as exc:
                    if "projection" not in str(exc):
                        raise StoreError(str(exc)) from exc
                    sparql = bind_values(sparql, substitutions)
            return self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            from kg.sparql_errors import syntax_error

            raise syntax_error(sparql, exc, operation="query") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(str(exc)) from exc

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update as one transaction.

        Args:
            sparql: the update text.
            base_iri: the IRI its relative IRIs resolve against (None: they are errors).

        Raises:
            QuerySyntaxError: the update does not parse.
            StoreError: the store refused the write (read-only, disk full, ...).
        """
        self._writable()
        check_query(sparql)
        self._curation = None  # an update may touch the curation graph
        try:
            with self._curation_lock:  # not while this process builds the time index
                self._invalidate(DROP_INDEX)
                self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            from kg.sparql_errors import syntax_error

            raise syntax_error(sparql, exc, operation="update") from exc
        except OSError as exc:
            raise StoreError(f"write failed, nothing committed: {exc}") from exc

    def commit(self, inserts: Sequence[ox.Quad], drop_graphs: Sequence[ox.NamedNode] = ()) -> None:
        """Drop graphs and insert quads in one transaction, keeping the default-graph union.

        Raises:
            StoreError: the write failed; nothing of it is in the store.
        """
        self._writable()
        from kg.curation import store_lock

        with store_lock(self):
            state = self.curation_state()
            try:
                self._invalidate()
                if not state.empty:
                    self._commit_curated(inserts, drop_graphs, state)
                    return
                if not drop_graphs:
                    self._insert([*inserts, *_union_copies(inserts)])
                    return
                dropped = {q.triple for g in drop_graphs for q in self.graph_quads(g)}
                self._store.update(union_update(inserts, drop_graphs, dropped))
            except OSError as exc:
                raise StoreError(f"write failed, nothing committed: {exc}") from exc

    def _insert(self, quads: list[ox.Quad]) -> None:
        """Add quads atomically: all of them or, after a failure or a crash, none.

        Up to :data:`ATOMIC_BULK_QUADS` quads go through pyoxigraph's bulk loader, about
        3x faster than a transaction here (bench_store.py). Oxigraph's loader encodes a
        chunk of up to a million quads in memory, writes one sorted file per index and
        adds them all with one RocksDB ``IngestExternalFiles`` call, which RocksDB
        records atomically across the indexes: a commit that fits in one chunk is all
        or nothing, as a transaction is (checked by killing a writer in
        tests/kg/test_store.py). Bigger commits go through a transaction.

        Raises:
            OSError: the write failed.
        """
        if self._bulk or len(quads) <= ATOMIC_BULK_QUADS:
            self._store.bulk_extend(quads)
        else:
            self._store.extend(quads)

    def _commit_curated(
        self, inserts: Sequence[ox.Quad], drop_graphs: Sequence[ox.NamedNode], state: CurationState
    ) -> None:
        """Commit through the curated projection (kg.curation): the default graph is not the plain union."""
        from kg.curation import data_block, drop_deletes, project

        copies = project(inserts, state)
        if not drop_graphs:
            self._insert([*inserts, *copies])
            return
        gone = drop_deletes(self, drop_graphs, inserts, state)
        parts = [f"DROP SILENT GRAPH {term_sparql(g)}" for g in drop_graphs]
        if gone:
            parts.append("DELETE DATA {\n" + data_block(gone) + "}")
        if inserts:
            parts.append(union_update(inserts, (), (), copies=copies))
        self._store.update(" ;\n".join(parts))

    def curation_state(self) -> CurationState:
        """Return the curation state (kg.curation), read from the store once and kept until a write changes it."""
        if self._curation is None:
            from kg.curation import read_state

            self._curation = read_state(self)
        return self._curation

    def forget_curation(self) -> None:
        """Drop the kept curation state: the next write reads it again."""
        self._curation = None

    def graph_quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        """Return every quad of one named graph."""
        return list(self._store.quads_for_pattern(None, None, None, graph))

    @contextmanager
    def bulk_mode(self) -> Iterator[None]:
        """Load a new, empty store fast, giving up per-batch atomicity while it runs.

        Commits inside use pyoxigraph's bulk loader (about 3x faster than transactions).
        A marker file stands in the directory until the load ends cleanly; a store whose
        load was interrupted refuses to open, so a partial load is never mistaken for data.

        Raises:
            StoreError: the store is not empty.
        """
        self._writable()
        if len(self._store):
            raise StoreError(f"--bulk loads only into an empty store; {self.path} holds data")
        marker = self.path / BULK_MARKER
        marker.write_text("bulk load in progress\n", encoding="utf-8")
        self._bulk = True
        try:
            yield
            self._store.flush()
            marker.unlink()
        finally:
            self._bulk = False

    def load(self, data: bytes | IO[bytes], fmt: ox.RdfFormat, *, graph: str | None = None) -> int:
        """Parse a document fully, then add it in one transaction; return the quad count.

        Triples go to the default graph (or ``graph``); quads keep their graph and are
        mirrored into the default graph like articles are.

        Raises:
            RDFParseError: the document does not parse; the store is untouched.
        """
        self._writable()
        # The time index is derived (kg.timeindex): a dump's copy of it is not loaded.
        quads = [q for q in parse_rdf(data, fmt, graph=graph) if not is_derived(q.graph_name)]
        from kg.curation import (
            CURATION_GRAPH,
            operations_from_quads,
            project,
            reproject_all,
            state_from_operations,
            store_lock,
        )

        with store_lock(self):
            state = self.curation_state()
            try:
                self._invalidate(DROP_INDEX)
                if any(q.graph_name == CURATION_GRAPH for q in quads):
                    # New operations: the whole default graph is projected again, in one transaction.
                    ops = [*self.graph_quads(CURATION_GRAPH), *(q for q in quads if q.graph_name == CURATION_GRAPH)]
                    new = state_from_operations(operations_from_quads(ops))
                    self._store.update(reproject_all(self, state, new, extra=quads))
                elif state.empty:
                    self._store.extend([*quads, *_union_copies(quads)])
                else:
                    self._store.extend([*quads, *project(quads, state)])
            except OSError as exc:
                raise StoreError(f"write failed, nothing committed: {exc}") from exc
            finally:
                self._curation = None
        return len(quads)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the store: quad formats get every graph but the time index, triple formats the union graph."""
        if fmt == ox.RdfFormat.N_QUADS:
            dump_nquads(self._store, output)
        elif fmt in QUAD_FORMATS:
            quads = (q for q in self._store.quads_for_pattern(None, None, None) if not is_derived(q.graph_name))
            ox.serialize(quads, output, format=fmt)
        else:
            self._store.dump(output, format=fmt, from_graph=ox.DefaultGraph())

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        """Flush buffered writes to disk."""
        if not self.read_only:
            self._store.flush()

    def close(self) -> None:
        """Release the store (and its lock); buffered writes are flushed first.

        Raises:
            StoreError: the final flush failed (e.g. disk full); the lock is released
                anyway and committed transactions stay in the write-ahead log.
        """
        store = getattr(self, "_store", None)
        if store is None:
            return
        try:
            if not self.read_only:
                store.flush()
        except OSError as exc:
            raise StoreError(f"could not flush the store on close: {exc}") from exc
        finally:
            del self._store

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _invalidate(self, how: str = INVALIDATE) -> None:
        """Mark the time index out of date, or remove it, before a write (kg.derived); a bulk load has none."""
        if not self._bulk:
            self._store.update(how)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.path} is open read-only")
