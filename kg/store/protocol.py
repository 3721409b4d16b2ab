"""What every store offers (the ``Store`` protocol, ``QueryForms``) and helpers typed against it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any, Protocol, Self, Union

import pyoxigraph as ox

from kg.errors import StoreError
from kg.namespaces import Term

DEFAULT_STORE = "./aikg-data"

#: What ``query`` returns: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples
#: (pyoxigraph's own from a local store, a list from a server or a query worker).
#: Callers that know the form of their query use ``select`` or ``construct`` instead.
QueryResult = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples, list[ox.Triple]]


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
