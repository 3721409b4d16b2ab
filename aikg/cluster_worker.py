"""The worker side of ``aikg ingest --cluster``: one extractor per worker process, batch tasks.

Imported by Dask workers (and by :mod:`aikg.cluster` when it starts a run); it needs
``dask.distributed``.
"""

from __future__ import annotations

import logging
import signal
import threading

from distributed.diagnostics.plugin import WorkerPlugin

from kg.errors import AikgError
from kg.model import Article, Extraction

log = logging.getLogger(__name__)

#: The name the worker plugin is registered under (one per cluster, kept across runs).
PLUGIN_NAME = "aikg-extractor"

_extractor = None
_extractor_error: AikgError | None = None
_extractor_lock = threading.Lock()


def worker_extractor():
    """Return this process's extractor, loading the pipeline on first use.

    Returns:
        The :class:`ingest.pipeline.Extractor`, the same one on every call.

    Raises:
        ModelMissingError: the spaCy model or the relation model is missing here
            (raised again on every later call, without trying to load again).
    """
    global _extractor, _extractor_error
    with _extractor_lock:
        if _extractor_error is not None:
            raise _extractor_error
        if _extractor is None:
            from ingest.pipeline import Extractor

            try:
                _extractor = Extractor()
            except AikgError as exc:
                _extractor_error = exc
                raise
        return _extractor


class ExtractorPlugin(WorkerPlugin):
    """Load the extractor when a worker starts, so its first batch does not wait for it.

    A worker that replaces a dead one runs it again. Registered as idempotent: a second
    run against the same scheduler finds the workers' models loaded already.
    """

    idempotent = True
    name = PLUGIN_NAME

    def __init__(self, ignore_interrupts: bool = False):
        self.ignore_interrupts = ignore_interrupts

    def setup(self, worker) -> None:
        """Load the pipeline; a missing model is raised again by each task, for the client."""
        if self.ignore_interrupts:
            ignore_interrupts()
        try:
            worker_extractor()
        except AikgError as exc:
            log.error("aikg: %s", exc)


def ignore_interrupts() -> None:
    """Let Ctrl-C pass this worker by: it is meant for the ``aikg ingest`` that started it.

    The workers of a local cluster share the command's terminal, so Ctrl-C reaches them
    too; the command stops after the batch being written and closes the cluster itself.
    A worker replacing a dead one gets this from the plugin again. Workers of a cluster
    started by someone else keep their own handling.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def extract_batch(articles: list[Article]) -> list[Extraction]:
    """Extract a batch on a worker (one Dask task).

    Args:
        articles: the articles to parse.

    Returns:
        Their extractions, in input order.

    Raises:
        ModelMissingError: the worker has no model to load.
    """
    return list(worker_extractor().extract_many(articles))
