"""``IsolatedStore``: a local store whose reads run in a :class:`QueryPool`; writes stay in this process."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kg.isolation.pool import QueryPool
from kg.namespaces import Term
from kg.store import LocalStore, QueryForms, QueryResult

if TYPE_CHECKING:
    from kg.limits import QueryLimits


class IsolatedStore(QueryForms):
    """A :class:`kg.store.LocalStore` whose reads run in a :class:`QueryPool`.

    Writes go to the live store in this process and mark the pool's snapshot stale;
    every other attribute is the live store's.
    """

    def __init__(self, store: LocalStore, pool: QueryPool, *, limits: QueryLimits | None = None) -> None:
        self._live = store
        self.pool = pool
        self.limits = limits

    def __getattr__(self, name: str) -> Any:
        return getattr(self._live, name)

    @property
    def live(self) -> LocalStore:
        """Return the store this process writes."""
        return self._live

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a query in an engine process (see :meth:`QueryPool.query`)."""
        from kg.limits import DEFAULT_LIMITS, check_text

        check_text(sparql, self.limits or DEFAULT_LIMITS)
        return self.pool.query(
            sparql, substitutions=substitutions, default_graph=default_graph, named_graphs=named_graphs
        )

    def update(self, sparql: str, **kwargs: Any) -> None:
        try:
            self._live.update(sparql, **kwargs)
        finally:
            self.pool.note_write()

    def commit(self, *args: Any, **kwargs: Any) -> None:
        try:
            self._live.commit(*args, **kwargs)
        finally:
            self.pool.note_write()

    def load(self, *args: Any, **kwargs: Any) -> int:
        try:
            return self._live.load(*args, **kwargs)
        finally:
            self.pool.note_write()

    def close(self) -> None:
        self.pool.close()
        self._live.close()
