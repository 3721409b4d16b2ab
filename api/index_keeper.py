"""The server's time-index keeper: the index built again in the background after a write drops it.

The named time queries read the time index (:mod:`kg.timeindex`) while it is fresh. An
ingest keeps it fresh batch by batch, but a SPARQL Update or a curation operation drops
it, and so does a store written by another aikg command or an older aikg (an index of an
older layout is not read). Without this thread those queries would answer from the
statements, right but at their old speed, until the next ingest or ``aikg index``.

After each write through the server (:func:`api.deps.note_app_write`), and once at
start, the thread waits for the writes to pause (:data:`QUIET` seconds without one), then
takes the server's write lock and builds the index whole if it is not fresh (10 s on the
30,000-article benchmark store; writes wait meanwhile, reads go on and are answered from
the statements). Only an embedded store open for writing is indexed.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("aikg.index")

#: Seconds without a write before the index is built again: a burst of curation
#: operations costs one build, not one each.
QUIET = 2.0


class IndexKeeper:
    """A thread that builds the time index of the server's store again once writes pause."""

    def __init__(self, app: FastAPI, quiet: float = QUIET) -> None:
        self.app = app
        self.quiet = quiet
        self.builds = 0
        self._wake = threading.Event()
        self._stop = False
        self._last_write = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="aikg-index-keeper", daemon=True)

    def start(self) -> None:
        """Start the thread; it looks at the index once at start."""
        self.poke()
        self._thread.start()

    def poke(self) -> None:
        """Note a write: the index is looked at once writes have paused."""
        self._last_write = time.monotonic()
        self._wake.set()

    def stop(self) -> None:
        """Stop the thread, letting a build in progress finish (the store closes after)."""
        self._stop = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop:
            self._wake.wait()
            self._wake.clear()
            # wait for a pause in the writes
            while not self._stop and (left := self._last_write + self.quiet - time.monotonic()) > 0:
                self._wake.wait(left)
                self._wake.clear()
            if self._stop or self.app.state.shutting_down.is_set():
                return
            self._ensure()

    def _ensure(self) -> None:
        from kg import timeindex

        store = self.app.state.store
        live = timeindex.embedded(store)
        if live is None:
            return
        try:
            with self.app.state.write_lock:
                if self._stop or self.app.state.shutting_down.is_set():
                    return  # a build would hold the shutdown up; the next start builds it
                started = time.monotonic()
                if not timeindex.ensure(live):
                    return
            self.builds += 1
            pool = getattr(store, "pool", None)
            if pool is not None:
                pool.note_write()  # the query engines read the new index from their next snapshot
            log.info("time index built again in %.1f s (%d since start)", time.monotonic() - started, self.builds)
        except Exception as exc:  # noqa: BLE001 - the server goes on; the queries read the statements
            log.warning("could not build the time index again (%s); named time queries read the statements", exc)
