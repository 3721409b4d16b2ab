"""Extraction on a Dask cluster (``aikg ingest --cluster``): workers parse, this process writes.

Each worker process loads the spaCy pipeline and the relation model once (a worker
plugin, run again on a worker that replaces a dead one) and turns batches of articles
into validated RDF, cut into transactions as :func:`kg.loader.commit_batch` cuts them
(:func:`aikg.cluster_worker.map_batch`). The client keeps the store: before sending a
batch it reads what the store holds of it (:func:`kg.loader.stored_facts`: which
articles to write, by content hash), keeps a few batches in flight, and commits each
batch in input order, one transaction per batch as without a cluster. If the store
changed in between (an article of an earlier batch repeated), the batch is mapped again
on what the store holds then.

Exactly once: a batch is committed only by the client, only after its extraction came
back, so a worker killed mid-batch costs a rerun of that batch on another worker and
nothing else; a client killed mid-run leaves whole batches behind, and the next run
skips their articles by content hash.

``dask.distributed`` is an optional dependency (``pip install 'aikg[cluster]'``); this
module imports it only when a cluster is asked for.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from kg.errors import AikgError
from kg.loader import (
    FLUSH_QUADS,
    BatchReport,
    Failure,
    IngestSummary,
    MappedBatch,
    Redo,
    StoredFacts,
    batched,
    plan_batch,
    stored_facts,
    write_plan,
)
from kg.model import Article
from kg.store import Store

log = logging.getLogger(__name__)

#: Seconds to wait for a scheduler named by ``--cluster tcp://HOST:PORT`` to answer.
CONNECT_TIMEOUT_ENV = "AIKG_CLUSTER_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT = 10.0
#: Dask's setting for the workers' sampling profiler, off in a local cluster (for workers
#: started with ``dask worker``: ``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False``).
WORKER_PROFILER = "distributed.worker.profile.enabled"
# Batches kept in flight per worker thread: one being parsed, one waiting, so a worker
# never idles while the client commits.
IN_FLIGHT_PER_THREAD = 2

_LOCAL = re.compile(r"^local:(\d+)$")
_ADDRESS = re.compile(r"^(tcp|tls)://[^\s/:]+:\d{1,5}$")


class ClusterSpecError(ValueError):
    """A ``--cluster`` value that is neither ``local:N`` nor ``tcp://HOST:PORT`` (a usage error)."""


class ClusterError(AikgError):
    """The cluster could not be started or reached, or went away during a run."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where extraction runs: ``workers`` local processes, or the scheduler at ``address``."""

    workers: int | None = None
    address: str | None = None

    def __str__(self) -> str:
        return f"local:{self.workers}" if self.workers is not None else str(self.address)


def parse_cluster(value: str) -> ClusterSpec:
    """Read a ``--cluster`` value.

    Args:
        value: ``local:N`` (N worker processes on this machine, N >= 1) or
            ``tcp://HOST:PORT`` (a running Dask scheduler; ``tls://`` too).

    Returns:
        The spec.

    Raises:
        ClusterSpecError: the value is neither form, or N is 0.
    """
    v = value.strip()
    m = _LOCAL.match(v)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise ClusterSpecError(f"--cluster local:N needs at least one worker, got {value!r}")
        return ClusterSpec(workers=n)
    if _ADDRESS.match(v) and 0 < int(v.rsplit(":", 1)[1]) < 65536:
        return ClusterSpec(address=v)
    raise ClusterSpecError(f"--cluster must be local:N or tcp://HOST:PORT, got {value!r}")


def connect_timeout() -> float:
    """Return the seconds to wait for a scheduler (``AIKG_CLUSTER_TIMEOUT``, default 10)."""
    raw = os.environ.get(CONNECT_TIMEOUT_ENV)
    try:
        return max(float(raw), 0.1) if raw else DEFAULT_CONNECT_TIMEOUT
    except ValueError:
        return DEFAULT_CONNECT_TIMEOUT


# --- the client side ----------------------------------------------------------------


class Cluster:
    """A connection to the workers: a local cluster started for the run, or a running scheduler.

    Use as a context manager; leaving it stops a local cluster (a remote one keeps running).
    """

    def __init__(self, spec: ClusterSpec, *, quiet_logs: bool = True):
        self.spec = spec
        self.quiet_logs = quiet_logs
        self.client = None
        self._local = None

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start or reach the cluster and load the extractor on every worker.

        Raises:
            ClusterError: dask.distributed is not installed, the local cluster did not
                start, or the scheduler did not answer in time.
        """
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ClusterError(
                "--cluster needs dask.distributed; install it with: pip install 'aikg[cluster]'"
            ) from exc
        # Dask logs each worker and connection at INFO, and a lost connection as an error
        # with a traceback: the run reports what went wrong in its own one line instead.
        level = logging.CRITICAL if self.quiet_logs else logging.WARNING
        _set_dask_log_level(level)
        try:
            if self.spec.workers is not None:
                import dask

                # The scheduler serves HTTP (health, metrics) even without a dashboard:
                # on a free port, so runs side by side do not fight over 8787. The
                # workers' sampling profiler (every 10 ms) took 15-20% of their CPU.
                with dask.config.set({WORKER_PROFILER: False}), _interrupts_ignored():
                    self._local = LocalCluster(
                        n_workers=self.spec.workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        scheduler_port=0,
                        dashboard_address="127.0.0.1:0",
                        silence_logs=level,
                    )
                self.client = Client(self._local)
            else:
                timeout = connect_timeout()
                self.client = Client(self.spec.address, timeout=f"{timeout}s")
        except (OSError, TimeoutError) as exc:
            self.close()
            where = f"the Dask scheduler at {self.spec.address}" if self.spec.address else "a local Dask cluster"
            raise ClusterError(f"cannot reach {where}: {_reason(exc)}") from exc
        try:
            _register_plugin(self.client, local=self._local is not None)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise self.lost(exc) from exc
        except Exception as exc:  # raised on a worker: most often aikg missing there
            self.close()
            raise ClusterError(
                f"the workers could not take aikg's extractor ({_reason(exc)}); "
                "install the same aikg, with aikg[cluster], where they run"
            ) from exc

    def threads(self) -> int:
        """Return the worker threads the scheduler knows now (0 while none is up).

        Raises:
            ClusterError: the scheduler does not answer.
        """
        try:
            return sum(self.client.nthreads().values())
        except (OSError, TimeoutError) as exc:
            raise self.lost(exc) from exc

    def workers(self) -> int:
        """Return how many workers are alive now."""
        try:
            return len(self.client.nthreads())
        except (OSError, TimeoutError) as exc:
            raise self.lost(exc) from exc

    def worker_pids(self) -> dict[str, int]:
        """Return worker address -> process id, as each worker says (its event loop answers while it parses)."""
        return self.client.run(os.getpid)

    def lost(self, exc: BaseException) -> ClusterError:
        """Return the error that says the scheduler went away."""
        where = f"the Dask scheduler at {self.spec.address}" if self.spec.address else "the local Dask cluster"
        # A cancelled future's own text is a paragraph about the task; the cause is enough.
        reason = "the connection closed" if isinstance(exc, _cancelled()) else _reason(exc)
        return ClusterError(f"lost {where}: {reason}")

    def close(self) -> None:
        """Close the client and stop a local cluster; errors on the way are ignored."""
        for thing in (self.client, self._local):
            if thing is None:
                continue
            try:
                thing.close()
            except Exception as exc:  # noqa: BLE001 - closing after a lost scheduler may fail in many ways
                log.debug("closing %s: %s", type(thing).__name__, exc)
        self.client = self._local = None


#: the loggers of the event loop the Dask client runs on: a Ctrl-C that lands while the
#: client waits makes distributed's own cancel callback fail there, and tornado logs that
#: with a traceback (distributed's ``sync``: ``future`` is read before it is set)
_LOOP_LOGGERS = ("tornado", "tornado.application", "tornado.general")


def _set_dask_log_level(level: int) -> None:
    """Set the level of Dask's loggers (those its config gave a level of their own included)
    and of the tornado loop under its client."""
    import distributed  # noqa: F401  (its import configures the loggers first)

    names = {"distributed", *_LOOP_LOGGERS}
    names.update(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))
    for name in names:
        logging.getLogger(name).setLevel(level)


def _register_plugin(client, *, local: bool) -> None:
    from aikg.cluster_worker import PLUGIN_NAME, ExtractorPlugin

    client.register_plugin(ExtractorPlugin(ignore_interrupts=local), name=PLUGIN_NAME)


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Start processes that ignore Ctrl-C: they inherit SIGINT ignored (see ``ignore_interrupts``).

    A Ctrl-C while the local cluster starts is lost; the plugin makes the workers
    ignore it for good once they are up, restarted ones included.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _articles(items: Iterable[Article | Failure], summary: IngestSummary) -> Iterator[Article]:
    for item in items:
        if isinstance(item, Article):
            yield item
        else:
            summary.skipped.append((item.source, item.reason))


def cluster_ingest(
    store: Store,
    items: Iterable[Article | Failure],
    cluster: Cluster,
    *,
    batch_size: int = 32,
    validate=None,
    on_batch: Callable[[BatchReport, IngestSummary], None] | None = None,
    max_relations: int | None = None,
    redo: Redo | None = None,
    store_text: bool = False,
    should_stop: Callable[[], bool] | None = None,
) -> IngestSummary:
    """Ingest like :func:`kg.loader.ingest`, with the extraction done by the cluster's workers.

    Batches are cut as :func:`kg.loader.ingest` cuts them and committed in the same
    order, each in its own transaction(s) as :func:`kg.loader.commit_batch` writes
    them, so the store ends as a run without a cluster leaves it. The workers extract,
    map and validate; this process reads the store, parses the quads sent back and
    commits. While one batch is committed, up to
    two per worker thread are being extracted.

    Args:
        store: where to write.
        items: articles, interleaved with reader failures to report.
        cluster: a started :class:`Cluster`.
        batch_size: articles per transaction (and per task).
        validate: shape validation of a batch's quads.
        on_batch: called after each committed batch.
        max_relations: see :func:`kg.loader.commit_batch`.
        redo: see :func:`kg.loader.commit_batch`.
        store_text: see :func:`kg.loader.commit_batch`.
        should_stop: asked before each commit; when it returns True the run ends there
            (``summary.stopped``): the batches being extracted are cancelled, the
            committed ones stay, and a rerun of the same command picks up after them.

    Returns:
        The summary; batches committed before an exception stay committed.

    Raises:
        ClusterError: the scheduler went away, or a batch's workers kept dying.
        AikgError: a worker could not load the model, or a commit failed.
    """
    from distributed import KilledWorker

    from aikg.cluster_worker import map_batch, unwire

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    client = cluster.client
    summary = IngestSummary()
    batches = batched(_articles(items, summary), batch_size)
    pending: deque = deque()
    exhausted = False
    unflushed = 0
    run = uuid.uuid4().hex[:12]
    count = 0

    def submit(facts: StoredFacts, when: datetime):
        nonlocal count
        count += 1
        return client.submit(
            map_batch, facts, when, validate, max_relations, store_text, key=f"aikg-map-{run}-{count}", pure=False
        )

    def result(future, batch: list[Article]) -> MappedBatch:
        try:
            return unwire(future.result())
        except KilledWorker as exc:
            first = batch[0].source or batch[0].url or batch[0].id
            raise ClusterError(
                f"the workers that took a batch of {len(batch)} articles (from {first}) "
                f"kept dying ({_reason(exc)}); is it too large for a worker's memory?"
            ) from exc
        except AikgError:
            raise
        except (OSError, TimeoutError, _cancelled()) as exc:
            raise cluster.lost(exc) from exc

    def flush_now_and_then(n: int) -> None:
        nonlocal unflushed
        unflushed += n
        if unflushed >= FLUSH_QUADS and hasattr(store, "flush"):
            store.flush()
            unflushed = 0

    try:
        while True:
            if should_stop is not None and should_stop():
                summary.stopped = True
                break
            if not exhausted:
                window = max(IN_FLIGHT_PER_THREAD * cluster.threads(), IN_FLIGHT_PER_THREAD)
                while len(pending) < window:
                    batch = next(batches, None)
                    if batch is None:
                        exhausted = True
                        break
                    # What the store holds of the batch now, and the time new articles
                    # get, travel with it: the worker maps and validates as
                    # commit_batch would here.
                    sent = stored_facts(store, batch, redo)
                    when = datetime.now(UTC)
                    pending.append((batch, sent, when, submit(sent, when) if sent.todo else None))
            if not pending:
                break
            batch, sent, sent_when, future = pending.popleft()

            def mapper(facts: StoredFacts, when: datetime, batch=batch, sent=sent, sent_when=sent_when, future=future):
                # The store may have changed since the batch was sent (an article of an
                # earlier batch repeated here): then the batch is mapped again, on what
                # the store holds now.
                if future is not None and facts == sent:
                    return result(future, batch)
                return result(submit(facts, when), batch)

            report = write_plan(
                store,
                plan_batch(
                    store,
                    batch,
                    None,
                    validate=validate,
                    max_relations=max_relations,
                    redo=redo,
                    store_text=store_text,
                    mapper=mapper,
                ),
                flush_now_and_then,
            )
            summary.add(report)
            if on_batch is not None:
                on_batch(report, summary)
    finally:
        for _, _, _, future in pending:
            if future is not None:
                try:
                    future.cancel()
                except Exception as exc:  # noqa: BLE001 - the scheduler may be gone already
                    log.debug("cancelling a batch: %s", exc)
    return summary


def _cancelled() -> type[BaseException]:
    from concurrent.futures import CancelledError

    return CancelledError


class ClusterProgress:
    """Say how many workers are alive: on the progress bar, else in a plain line now and then.

    Args:
        cluster: the started cluster.
        started: ``time.monotonic()`` at the start of the run.
        plain: print a line on stderr at most every :attr:`PLAIN_EVERY` seconds (for
            logs, where no bar is drawn).
    """

    PLAIN_EVERY = 10.0

    def __init__(self, cluster: Cluster, started: float, *, plain: bool):
        self.cluster = cluster
        self.started = started
        self.plain = plain
        self._last = started

    def batch_done(self, summary: IngestSummary, progress=None, task=None) -> None:
        """Update after a committed batch."""
        now = time.monotonic()
        if progress is None and not (self.plain and now - self._last >= self.PLAIN_EVERY):
            return
        alive = self.cluster.workers()
        workers = f"{alive} worker{'' if alive == 1 else 's'} alive"
        if progress is not None:
            progress.update(task, piece=f"; {workers}")
        else:
            rate = summary.articles / max(now - self.started, 1e-6)
            sys.stderr.write(f"ingest: {summary.articles} articles, {rate:.1f} articles/s, {workers}\n")
            self._last = now
