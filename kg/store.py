"""One graph-store API over an on-disk Oxigraph store or any SPARQL 1.1 server.

Both stores keep the same layout: one named graph per article, and the default graph
holding the union of all named graphs (set semantics, so plain SPARQL sees each
triple once). Every write of an article batch is one transaction: one ``extend`` (only
inserts) or one SPARQL update request (drops and inserts together).
"""

from __future__ import annotations

import io
import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, Self, Union, cast

import pyoxigraph as ox

from kg.errors import (
    QuerySyntaxError,
    RDFParseError,
    StoreError,
    StoreLockedError,
    UnsupportedFormatError,
)
from kg.namespaces import Term

if TYPE_CHECKING:
    from kg.curation import CurationState

log = logging.getLogger(__name__)

DEFAULT_STORE = "./aikg-data"
BULK_MARKER = "AIKG_BULK_LOAD_INCOMPLETE"
#: The most quads one commit writes through pyoxigraph's bulk loader (see
#: LocalStore._insert): half of the million quads Oxigraph's loader takes in one chunk.
ATOMIC_BULK_QUADS = 500_000

#: What ``query`` returns: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples
#: (pyoxigraph's own from a local store, a list from a server or a query worker).
#: Callers that know the form of their query use ``select`` or ``construct`` instead.
QueryResult = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples, list[ox.Triple]]

# Serialization names a user types -> pyoxigraph formats.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}

_EXTENSIONS = {
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
    ".n3": "n3",
}

QUAD_FORMATS = frozenset({ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD})


def rdf_format(name_or_path: str | os.PathLike[str]) -> ox.RdfFormat:
    """Return the RDF format named, or guessed from a file extension.

    Raises:
        UnsupportedFormatError: the name or extension is not an RDF format aikg reads.
    """
    key = str(name_or_path).lower()
    if key in RDF_FORMATS:
        return RDF_FORMATS[key]
    suffix = Path(key).suffix
    if suffix in _EXTENSIONS:
        return RDF_FORMATS[_EXTENSIONS[suffix]]
    raise UnsupportedFormatError(
        f"unknown RDF format {str(name_or_path)!r}; use one of: "
        + ", ".join(sorted({"turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"}))
    )


def term_sparql(term: Term) -> str:
    """Return the term in SPARQL syntax, escaped by pyoxigraph (never by hand)."""
    return str(term)


_SKIP = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)


MAX_NESTING = 200


def check_query(sparql: str, *, max_depth: int = MAX_NESTING) -> None:
    """Refuse a query or update whose brackets nest deeper than ``max_depth``.

    Oxigraph's parser recurses once per level: a few thousand nested groups overflow the
    native stack and kill the process, so this check runs before any text reaches it.
    Brackets inside strings, IRIs and comments do not count.

    Raises:
        QuerySyntaxError: nested too deeply (the message names AIKG_MAX_NESTING).
    """
    if sparql.count("{") + sparql.count("(") + sparql.count("[") <= max_depth:
        return
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), sparql)
    depth = 0
    for ch in masked:
        if ch in "{([":
            depth += 1
            if depth > max_depth:
                raise QuerySyntaxError(
                    f"the query nests brackets more than {max_depth} levels deep, the server's limit (AIKG_MAX_NESTING)"
                )
        elif ch in "})]":
            depth -= 1


def bind_values(sparql: str, substitutions: Mapping[str, Term]) -> str:
    """Return the query with a VALUES block binding variables at the top of its WHERE group.

    The values are written by pyoxigraph (escaped), so a user's text stays data. The
    block goes inside the outermost WHERE group, so it restricts the pattern before any
    aggregation, whether or not the variable is projected.

    Raises:
        QuerySyntaxError: the query has no WHERE group to bind into.
    """
    names = list(substitutions)
    block = (
        " VALUES ("
        + " ".join("?" + n for n in names)
        + ") { ("
        + " ".join(term_sparql(substitutions[n]) for n in names)
        + ") } "
    )
    # Blank out comments, strings and IRIs so braces and keywords inside them are not seen.
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), sparql)
    where = _WHERE.search(masked)
    start = where.end() if where else 0
    brace = masked.find("{", start)
    if brace < 0:
        raise QuerySyntaxError("cannot bind parameters: the query has no WHERE { ... } group")
    return sparql[: brace + 1] + block + sparql[brace + 1 :]


class Store(Protocol):
    """What every aikg store offers; see :class:`LocalStore` and :class:`RemoteStore`."""

    location: str

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult: ...

    def select(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> ox.QuerySolutions: ...

    def construct(self, sparql: str, *, substitutions: Mapping[str, Term] | None = None) -> list[ox.Triple]: ...

    def ask(self, sparql: str, *, substitutions: Mapping[str, Term] | None = None) -> bool: ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None: ...

    def commit(self, inserts: Sequence[ox.Quad], drop_graphs: Sequence[ox.NamedNode] = ()) -> None: ...

    def graph_quads(self, graph: ox.NamedNode) -> list[ox.Quad]: ...

    def load(self, data: bytes | IO[bytes], fmt: ox.RdfFormat, *, graph: str | None = None) -> int: ...

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


class _Queries(Protocol):
    """A store's ``query`` as :class:`QueryForms` calls it."""

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResult: ...


class QueryForms:
    """``select``, ``construct`` and ``ask`` over a store's ``query``, typed by the query form.

    ``query`` returns what the text asks for (rows, a boolean or triples); a caller that
    wrote its own query knows the form and calls one of these instead.
    """

    def select(
        self: _Queries,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> ox.QuerySolutions:
        """Run a SELECT query and return its rows (see ``query`` for the arguments).

        Raises:
            StoreError: the query is not a SELECT (a mistake in the caller's text).
        """
        result = self.query(sparql, substitutions=substitutions, default_graph=default_graph, named_graphs=named_graphs)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(f"expected the rows of a SELECT query, got {type(result).__name__}")
        return result

    def construct(self: _Queries, sparql: str, *, substitutions: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query and return its triples.

        Raises:
            StoreError: the query is a SELECT or an ASK (a mistake in the caller's text).
        """
        result = self.query(sparql, substitutions=substitutions)
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            raise StoreError(f"expected the triples of a CONSTRUCT query, got {type(result).__name__}")
        return list(result)

    def ask(self: _Queries, sparql: str, *, substitutions: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK query and return its answer.

        Raises:
            StoreError: the query is not an ASK (a mistake in the caller's text).
        """
        result = self.query(sparql, substitutions=substitutions)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError(f"expected the answer of an ASK query, got {type(result).__name__}")
        return bool(result)


def parse_rdf(
    data: bytes | IO[bytes], fmt: ox.RdfFormat, *, graph: str | None = None, base_iri: str | None = None
) -> list[ox.Quad]:
    """Parse a whole RDF document into quads, or fail without side effects.

    Raises:
        RDFParseError: the document does not parse; the message names line and column.
    """
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        quads = []
        for q in ox.parse(data, format=fmt, base_iri=base_iri):
            if graph is not None and fmt not in QUAD_FORMATS or isinstance(q.graph_name, ox.DefaultGraph):
                q = ox.Quad(q.subject, q.predicate, q.object, target)
            quads.append(q)
        return quads
    except SyntaxError as exc:
        raise RDFParseError(_syntax_message(exc)) from exc
    except (ValueError, OSError) as exc:
        raise RDFParseError(str(exc)) from exc


def _syntax_message(exc: SyntaxError) -> str:
    """Return a parser error as one line, with line and column when pyoxigraph gives them."""
    msg = str(exc.msg if getattr(exc, "msg", None) else exc)
    if exc.lineno and f"{exc.lineno}" not in msg:
        return f"line {exc.lineno}, column {exc.offset or 0}: {msg}"
    return msg


def group_by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Quad]]:
    """Return the quads grouped by their graph name (as SPARQL text), in first-seen order."""
    by_node: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Quad]] = {}
    for q in quads:
        g = q.graph_name
        group = by_node.get(g)
        if group is None:
            by_node[g] = [q]
        else:
            group.append(q)
    return {str(g): qs for g, qs in by_node.items()}


def _nquads(quads: Sequence[ox.Quad]) -> str:
    """Return quads as N-Quads text."""
    # Without an output, pyoxigraph returns the bytes (its stubs say bytes | None).
    return cast(bytes, ox.serialize(quads, format=ox.RdfFormat.N_QUADS)).decode("utf-8")


def triple_lines(quads: Sequence[ox.Quad], graph: str) -> str:
    """Return quads of one graph as ``s p o .`` lines, the form of a SPARQL data block.

    pyoxigraph writes them (as N-Quads, whose terms are written as in SPARQL), and the
    graph name each line ends with is cut off: about 3x faster than formatting each
    term from Python.

    Args:
        quads: quads all in the graph ``graph``.
        graph: that graph's name as SPARQL text (``str(graph_name)``; "DEFAULT" for the
            default graph, whose N-Quads lines have no graph name).
    """
    if not quads:
        return ""
    text = _nquads(quads)
    if graph == str(ox.DefaultGraph()):
        return text
    cut = len(graph) + 4  # " <graph> .\n"
    return "".join(line[:-cut] + " .\n" for line in text.splitlines(keepends=True))


def _guarded_insert(inserts: Sequence[ox.Quad], union_graph: ox.NamedNode | None) -> str | None:
    """Return one operation inserting the named-graph quads of graphs the server does not hold yet.

    The quads are a ``VALUES`` table that a two-pattern template writes to their graph and
    to the union, each row kept only while its graph is absent (checked against the store
    as it was before the operation, so an article goes in whole or not at all). The
    Oxigraph server ran it in 0.6x the time of one conditional ``INSERT`` per article,
    and the mirror is not sent twice. None when a quad is in the default graph or has a
    blank node (a table cannot hold either): the caller writes those the other way.
    """
    if not inserts or any(isinstance(q.graph_name, ox.DefaultGraph) for q in inserts):
        return None
    text = _nquads(inserts)
    if "_:" in text:
        return None
    rows = "".join(f"({line[:-3]})\n" for line in text.splitlines(keepends=True))  # "s p o g .\n"
    union = f"GRAPH {union_graph} {{ ?s ?p ?o }}" if union_graph is not None else "?s ?p ?o"
    return (
        f"INSERT {{ GRAPH ?g {{ ?s ?p ?o }} {union} }} WHERE {{ VALUES (?s ?p ?o ?g) {{\n{rows}}} "
        "FILTER NOT EXISTS { GRAPH ?g { ?x ?y ?z } } }"
    )


def union_update(
    inserts: Sequence[ox.Quad],
    drop_graphs: Sequence[ox.NamedNode],
    dropped_triples: Iterable[ox.Triple],
    *,
    only_new_graphs: bool = False,
    union_graph: ox.NamedNode | None = None,
    template: bool = False,
    copies: Sequence[ox.Quad] | None = None,
    project: Callable[[list[ox.Quad]], Sequence[ox.Quad]] | None = None,
    max_values_rows: int | None = 0,
) -> str:
    """Return one SPARQL update that drops graphs, inserts quads and keeps the union.

    The default graph mirrors the union of the named graphs: inserted quads also go to
    the default graph, and a triple of a dropped graph leaves the default graph only
    when no other named graph still holds it. Terms are written by pyoxigraph.

    With ``only_new_graphs``, each named graph is inserted only if the server does not
    hold it yet, decided inside the same request: a batch sent again, or a writer whose
    own check came too late, stores an article once. Two requests for one article at the
    same moment can both pass on the Oxigraph server (docs/SCALING.md).

    With ``union_graph``, the mirror is kept in that named graph instead of the default
    graph, for a server whose default graph is not a graph of its own (Virtuoso).
    With ``template``, the inserts are written as ``INSERT { ... } WHERE {}`` rather than
    ``INSERT DATA``: a blank node may then stand in a named graph and in its mirror.
    When the store holds curation operations (kg.curation), the default graph is the
    curated projection instead: ``copies`` are the default-graph quads of all the inserts,
    or ``project`` maps one graph's quads to them.

    With ``only_new_graphs``, inserts of up to ``max_values_rows`` quads (None: any number;
    0: never) go as one guarded ``VALUES`` insert (:func:`_guarded_insert`), faster on
    the Oxigraph server than one conditional insert per graph.
    """
    parts: list[str] = [f"DROP SILENT GRAPH {term_sparql(g)}" for g in drop_graphs]
    guarded = None
    if (
        only_new_graphs
        and not template
        and copies is None
        and project is None
        and (max_values_rows is None or len(inserts) <= max_values_rows)
    ):
        guarded = _guarded_insert(inserts, union_graph)
    if guarded is not None:
        parts.append(guarded)
        inserts = ()

    def mirror(lines: str) -> str:
        return f"GRAPH {union_graph} {{\n{lines}}}\n" if union_graph is not None else lines

    by_graph = group_by_graph(inserts)

    def block(g: str, quads: list[ox.Quad], out: io.StringIO) -> None:
        lines = triple_lines(quads, g)
        if g == str(ox.DefaultGraph()):
            out.write(mirror(lines))
        else:
            mirrored = lines
            if copies is not None:
                mirrored = ""
            elif project is not None:
                mirrored = triple_lines(project(quads), str(ox.DefaultGraph()))
            out.write(f"GRAPH {g} {{\n{lines}}}\n{mirror(mirrored) if mirrored else ''}")

    if by_graph and not only_new_graphs:
        body = io.StringIO()
        body.write("INSERT {\n" if template else "INSERT DATA {\n")
        for g, quads in by_graph.items():
            block(g, quads, body)
        if copies:
            body.write(mirror(triple_lines(copies, str(ox.DefaultGraph()))))
        body.write("} WHERE {}" if template else "}")
        parts.append(body.getvalue())
    elif by_graph:
        for g, quads in by_graph.items():
            body = io.StringIO()
            body.write("INSERT {\n")
            block(g, quads, body)
            body.write(f"}} WHERE {{ FILTER NOT EXISTS {{ GRAPH {g} {{ ?s ?p ?o }} }} }}")
            parts.append(body.getvalue())
    rows = " ".join(f"({t.subject} {t.predicate} {t.object})" for t in dropped_triples)
    if rows and union_graph is not None:
        parts.append(
            f"DELETE {{ GRAPH {union_graph} {{ ?s ?p ?o }} }} WHERE {{ VALUES (?s ?p ?o) {{ " + rows + " } "
            f"GRAPH {union_graph} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != {union_graph}) }} }}"
        )
    elif rows:
        parts.append(
            "DELETE { ?s ?p ?o } WHERE { VALUES (?s ?p ?o) { " + rows + " } ?s ?p ?o "
            "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
        )
    return " ;\n".join(parts)


def _union_copies(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Return the default-graph copies of named-graph quads (the union mirror)."""
    # Unpacking a quad is about 3x faster than reading its attributes one by one (3.3
    # against 12 µs a quad, measured), and a Quad built without a graph name is in the
    # default graph.
    return [ox.Quad(s, p, o) for s, p, o, g in quads if not isinstance(g, ox.DefaultGraph)]


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
        quads = parse_rdf(data, fmt, graph=graph)
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
        """Write the store: quad formats get every graph, triple formats the union graph."""
        if fmt in QUAD_FORMATS:
            self._store.dump(output, format=fmt)
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

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.path} is open read-only")


def resolve_location(location: str | os.PathLike[str] | None = None) -> str:
    """Return the store location: the argument, else ``$AIKG_STORE``, else ``./aikg-data``."""
    return str(location or os.environ.get("AIKG_STORE") or DEFAULT_STORE)


_ENGINE_URL = re.compile(r"^[a-z][a-z0-9]*\+https?://", re.IGNORECASE)


def is_remote(location: str) -> bool:
    """Return whether a store location is a SPARQL server URL (``http(s)://``, ``ENGINE+http(s)://``)."""
    return location.startswith(("http://", "https://")) or bool(_ENGINE_URL.match(location))


def iter_solutions(result: QueryResult) -> Iterator[dict[str, Term | None]]:
    """Yield SELECT rows as dicts of variable name -> term (None when unbound)."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("not a SELECT result")
    names = [v.value for v in result.variables]
    for row in result:
        yield {n: row[n] for n in names}


def count(store: Store, sparql: str, **kw: Any) -> int:
    """Return the integer ``?n`` of a one-row COUNT query."""
    for row in store.select(sparql, **kw):
        return int(row["n"].value) if row["n"] is not None else 0
    return 0
