"""The worker side of ``aikg ingest --cluster``: one extractor per worker process, batch tasks.

A task extracts a batch, maps it to RDF and validates it, so the client only commits.

Imported by Dask workers (and by :mod:`aikg.cluster` when it starts a run); it needs
``dask.distributed``.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime

import pyoxigraph as ox
from distributed.diagnostics.plugin import WorkerPlugin

from kg.errors import AikgError
from kg.loader import MappedArticle, MappedBatch, MappedPart, StoredFacts, Validate, map_extractions

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


#: A part of a mapped batch as it travels back to the client: the articles it writes
#: (id, url, relations, entity slugs), its quads as N-Quads (parsed 4x faster than
#: unpickling the quads), the violations validation left out.
WirePart = tuple[list[tuple[str, str | None, int, tuple[str, ...]]], bytes, list[str]]


def map_batch(
    facts: StoredFacts,
    when: datetime,
    validate: Validate | None,
    max_relations: int | None,
    store_text: bool,
) -> tuple[list[WirePart], list[tuple[str, str]]]:
    """Extract, map and validate a batch on a worker (one Dask task).

    The same as :func:`kg.loader.map_extractions` of this worker's extractions of
    ``facts.todo``, in a compact form for the trip back (:func:`unwire`).

    Returns:
        The parts (one transaction each) and the articles not written, with why.

    Raises:
        ModelMissingError: the worker has no model to load.
    """
    mapped = map_extractions(
        worker_extractor().extract_many(list(facts.todo)),
        facts,
        when=when,
        validate=validate,
        max_relations=max_relations,
        store_text=store_text,
    )
    parts = [
        (
            [(a.id, a.url, a.relations, a.entities) for a in part.articles],
            ox.serialize(part.quads, format=ox.RdfFormat.N_QUADS),
            part.violations,
        )
        for part in mapped.parts
    ]
    return parts, mapped.skipped


def unwire(payload: tuple[list[WirePart], list[tuple[str, str]]]) -> MappedBatch:
    """Return what :func:`map_batch` sent back as the :class:`kg.loader.MappedBatch` it was."""
    parts, skipped = payload
    return MappedBatch(
        parts=[
            MappedPart(
                [MappedArticle(*a) for a in articles],
                list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)),
                violations,
            )
            for articles, nquads, violations in parts
        ],
        skipped=skipped,
    )
