"""Dependencies the routes declare; tests replace them with ``app.dependency_overrides``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request

from api.settings import Settings
from api.sparql import QueryRunner
from kg.model import Article, Extraction
from kg.store import Store

if TYPE_CHECKING:
    import networkx as nx

log = logging.getLogger(__name__)

Extract = Callable[[list[Article]], Iterable[Extraction]]


def get_settings(request: Request) -> Settings:
    """Return the app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """Return the store the app opened at startup."""
    store: Store = request.app.state.store
    return store


def live_store(store: Store) -> Store:
    """Return the store this process writes: the live one behind an isolated store, else ``store``."""
    from kg.isolation import IsolatedStore

    return store.live if isinstance(store, IsolatedStore) else store


def get_runner(request: Request) -> QueryRunner:
    """Return the SPARQL query runner (worker threads, deadline, row cap)."""
    runner: QueryRunner = request.app.state.runner
    return runner


#: Seconds a client is told to wait (Retry-After) when a write meets a server shutting
#: down: a supervisor restarting the server is back within that.
SHUTDOWN_RETRY_AFTER = 10


class ShutdownFlag:
    """Whether the server has begun to shut down: set once, from a signal handler.

    A plain attribute, not a ``threading.Event``: setting an Event takes a lock, and a
    second signal arriving in the middle of that would wait for it forever.
    """

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        """Mark the shutdown as begun."""
        self._set = True

    def is_set(self) -> bool:
        """Return whether the shutdown has begun."""
        return self._set


def shutting_down(request: Request) -> bool:
    """Return whether the server has begun to shut down (``aikg serve`` got SIGTERM or Ctrl-C)."""
    flag: ShutdownFlag = request.app.state.shutting_down
    return flag.is_set()


def get_write_lock(request: Request) -> threading.Lock:
    """Return the lock every write holds: one writer at a time, reads go on meanwhile.

    Raises:
        HTTPException: 503 with Retry-After once the server is shutting down: a write
            arriving then is refused at once, before its body is read.
    """
    if shutting_down(request):
        raise HTTPException(
            503,
            "server is shutting down: no writes are taken now; send it again when the server is back",
            headers={"Retry-After": str(SHUTDOWN_RETRY_AFTER)},
        )
    lock: threading.Lock = request.app.state.write_lock
    return lock


def get_extract(request: Request) -> Extract:
    """Return the NLP pipeline as a function of a batch, loading spaCy on first use.

    Raises:
        HTTPException: 503 when the ingest package or the spaCy model is not installed.
    """
    from kg.errors import ModelMissingError

    state = request.app.state
    with state.extractor_lock:
        if state.extractor is None:
            try:
                from ingest.pipeline import Extractor
            except ImportError as exc:
                raise HTTPException(503, f"article extraction is not available here: {exc}") from exc
            try:
                state.extractor = Extractor()
            except ModelMissingError as exc:
                # The full message (with the server's pip command) is for the operator's log.
                log.error("%s", exc)
                raise HTTPException(
                    503, "article extraction is not available here: the server has no spaCy model installed"
                ) from exc
    extract: Extract = state.extractor.extract_many
    return extract


def require_token(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> None:
    """Let the request through only with ``Authorization: Bearer <the server's token>``.

    Raises:
        HTTPException: 403 when the server has no token (writes off), 401 without the right one.
    """
    token = settings.token_value()
    if token is None:
        raise HTTPException(403, "writes are turned off on this server: start it with AIKG_TOKEN set")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    holder = settings.token_holder(given) if scheme.lower() == "bearer" else None
    if holder is None:
        raise HTTPException(
            401,
            "this operation needs 'Authorization: Bearer <token>' with the server's token",
            headers={"WWW-Authenticate": 'Bearer realm="aikg"'},
        )
    request.state.curator = holder  # the token's name: who /curation records


def get_min_confidence(
    request: Request,
    min_confidence: Annotated[
        str | None,
        Query(
            description="A number from 0 to 1: show a relation when one of its statements is at least this "
            "confident, with only those statements as evidence; 0 shows everything "
            "[default: the server's AIKG_MIN_CONFIDENCE, 0.8]."
        ),
    ] = None,
) -> float:
    """Return the confidence threshold of a page or /relations: the request's, else the server's.

    Raises:
        HTTPException: 422 when the value is not a number from 0 to 1.
    """
    text = (min_confidence or "").strip()
    if not text:
        return get_settings(request).min_confidence
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise HTTPException(
            422,
            f"min_confidence must be a number from 0 to 1 (0 shows everything), got {(min_confidence or '')[:40]!r}",
        )
    return value


def get_as_of(
    as_of: Annotated[
        str | None,
        Query(
            description="The graph as it stood on this day (YYYY-MM-DD; a month or year means its last day): "
            "relations by the claim days of their statements, ended ones flagged (docs/TIME.md).",
            examples=["2023-06-30"],
        ),
    ] = None,
) -> date | None:
    """Return the day of an ``as_of`` parameter, or None when none was given.

    Raises:
        HTTPException: 400 when the value is no date, with the one-line reason.
    """
    from kg.timeline import parse_day

    try:
        return parse_day(as_of, "as_of")
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc


IncludeEnded = Annotated[
    bool, Query(description="Keep the relations that are over (flagged ended); false lists only current ones.")
]
#: The graph measures' choice, as ``to_networkx`` and ``aikg analytics --ended/--no-ended`` make it.
CountEnded = Annotated[
    bool | None,
    Query(
        description="Count the relations that are over too (a former role, a stake sold). Default: counted "
        "without as_of (the whole history), left out with it (the graph on that day)."
    ),
]

SettingsDep = Annotated[Settings, Depends(get_settings)]
AsOfDep = Annotated[date | None, Depends(get_as_of)]
MinConfidenceDep = Annotated[float, Depends(get_min_confidence)]
StoreDep = Annotated[Store, Depends(get_store)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
WriteLockDep = Annotated[threading.Lock, Depends(get_write_lock)]
ExtractDep = Annotated[Extract, Depends(get_extract)]


def note_write(request: Request) -> None:
    """Record that the store changed, so cached projections and statistics are rebuilt."""
    note_app_write(request.app)


def note_app_write(app: FastAPI) -> None:
    """Record a write made outside a request (the watch thread); see :func:`note_write`."""
    app.state.generation += 1
    app.state.last_write = datetime.now(UTC)
    pool = getattr(app.state.store, "pool", None)
    if pool is not None:
        pool.note_write()
    keeper = getattr(app.state, "index_keeper", None)
    if keeper is not None:
        keeper.poke()  # a write that dropped the time index: it is built again once writes pause


def projection(request: Request, store: Store, **filters: Any) -> nx.MultiDiGraph:
    """Return the networkx projection of the relations (kg.analytics.to_networkx).

    The projection of the embedded store, unfiltered or filtered by confidence alone (the
    default threshold of /relations), is cached until the next write through this app
    (every write to it goes through this process: it holds the lock).

    Args:
        filters: keyword arguments of ``to_networkx``; None means not given.

    Raises:
        ValueError: a filter is invalid (an unknown predicate, a bad date).
    """
    from kg.analytics import to_networkx
    from kg.store import LocalStore

    state = request.app.state
    active = {k: v for k, v in filters.items() if v is not None}
    if active.get("min_confidence") == 0:
        del active["min_confidence"]
    if active.get("include_ended") == ("as_of" not in active):
        del active["include_ended"]  # to_networkx's own default, so the cached graph serves it
    key = float(active.get("min_confidence", 0.0))
    if (
        set(active) - {"min_confidence"}
        or key not in (0.0, state.settings.min_confidence)
        or not isinstance(live_store(store), LocalStore)
    ):
        return to_networkx(store, **active)
    with state.graph_lock:
        cached = state.graph_cache
        if cached is not None and cached[0] == state.generation and key in cached[1]:
            return cached[1][key]
        generation = state.generation
    G = to_networkx(store, **active)
    with state.graph_lock:
        cached = state.graph_cache
        graphs = cached[1] if cached is not None and cached[0] == generation else {}
        state.graph_cache = (generation, {**graphs, key: G})
    return G
