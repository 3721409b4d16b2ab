"""``aikg serve --watch``: the watch loop (:mod:`kg.watch`) as a thread of the server.

Each round fetches its sources outside any lock, then ingests under the server's write
lock through the same store object POST /articles writes to (the isolated store, whose
query engines are told of the write), and notes the write so cached projections and
statistics are rebuilt. The thread stops between two batches once the server begins to
shut down.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("aikg.watch")


class ServerWatch:
    """Poll the settings' ``watch`` sources every ``watch_every`` inside a running app.

    Args:
        app: the FastAPI app; its state holds the store, write lock and extractor.
        settings: the server's settings (``watch``, ``watch_every``, ``fetch_state``).
    """

    def __init__(self, app, settings):
        from kg.watch import parse_every

        self.app = app
        self.settings = settings
        self.interval = parse_every(settings.watch_every)
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="aikg-watch", daemon=True)
        self.rounds = 0
        if log.level == logging.NOTSET:
            # One line per round is the point of the log: shown without -v.
            log.setLevel(logging.INFO)

    def _stopping(self) -> bool:
        return self._stop or self.app.state.shutting_down.is_set()

    def start(self) -> None:
        """Start polling; the first round begins at once."""
        self._thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        """Ask the thread to stop after its current batch, and wait for it."""
        self._stop = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("the watch thread is still in a round after %g s; leaving it", timeout)

    def _extract(self):
        state = self.app.state
        with state.extractor_lock:
            if state.extractor is None:
                from ingest.pipeline import Extractor

                state.extractor = Extractor()
        return state.extractor.extract_many

    def _run(self) -> None:
        from ingest.fetch import state_path_for
        from kg.errors import AikgError
        from kg.watch import Watcher

        try:
            extract = self._extract()
        except (ImportError, AikgError) as exc:
            log.error("watch: article extraction is not available here, no polling: %s", exc)
            return
        try:
            from kg.validate import validate_batch
        except ImportError:
            validate_batch = None
        settings = self.settings
        watcher = Watcher(list(settings.watch), extract,
                          state_path=state_path_for(settings.store, settings.fetch_state),
                          batch_size=settings.batch_size, validate=validate_batch, should_stop=self._stopping)
        try:
            next_start = time.monotonic()
            while not self._stopping():
                while not self._stopping() and time.monotonic() < next_start:
                    time.sleep(min(0.2, max(0.0, next_start - time.monotonic())))
                if self._stopping():
                    break
                next_start = time.monotonic() + self.interval
                self._round(watcher)
        finally:
            watcher.close()

    def _round(self, watcher) -> None:
        from api.deps import note_app_write
        from kg.errors import AikgError
        from kg.watch import RoundReport

        state = self.app.state
        try:
            report = watcher.round(state.store, write_lock=state.write_lock)
        except AikgError as exc:
            report = RoundReport(watcher.rounds, error=f"{exc} (batches before it are committed)")
        except Exception:  # a bug must not end polling silently, nor the server
            log.exception("watch round %d failed", watcher.rounds)
            return
        if report.new or report.replaced:
            note_app_write(self.app)
        self.rounds = watcher.rounds
        for source, reason in report.failures:
            log.warning("watch: skipped %s: %s", source, reason)
        log.info("watch: %s", report.line())
