"""The watch rounds: fetch feeds and pages, ingest what is new; and the server's watch thread.

:class:`Watcher` runs one round at a time; ``aikg watch`` (:mod:`aikg.watch`) drives it
in its own process and :class:`ServerWatch` in a thread of ``aikg serve --watch``. A
round fetches every source (conditional GET, so an unchanged feed costs one 304), reads
the new items and hands them to the loader, which skips what the store already holds by
content hash and replaces an article whose URL it holds with another text. The fetch
state (:mod:`ingest.fetch`) is written after a round whose articles are all committed,
so a watcher killed at any moment and started again refetches at most one round and
writes no duplicates.

In the server, each round fetches its sources outside any lock, then ingests under the server's write
lock through the same store object POST /articles writes to (the isolated store, whose
query engines are told of the write), and notes the write so cached projections and
statistics are rebuilt. The thread stops between two batches once the server begins to
shut down.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as Date
from typing import TYPE_CHECKING, Any

from api.settings import Settings, parse_every

if TYPE_CHECKING:
    import os

    import pyoxigraph as ox
    from fastapi import FastAPI

    from ingest.fetch import FetchConfig
    from ingest.readers import ReadFailure
    from kg.loader import Extract
    from kg.model import Article
    from kg.store import Store

    #: Shape validation of a batch's quads: the quads to keep and the violations left out.
    Validate = Callable[[list[ox.Quad]], tuple[list[ox.Quad], list[str]]]

log = logging.getLogger("aikg.watch")


@dataclass
class RoundReport:
    """What one round did."""

    number: int
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    bytes: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    relations: int = 0
    seconds: float = 0.0
    stopped: bool = False
    error: str | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        """Return the round's one log line."""
        from ingest.readers import _size

        when = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        if self.error:
            return f"{when} round {self.number}: not done: {self.error}"
        tail = "; stopped by a signal (the rest is fetched again next time)" if self.stopped else ""
        return (
            f"{when} round {self.number}: {self.fetched} fetched, {self.not_modified} not modified, "
            f"{self.new} new articles, {self.replaced} replaced, {self.failed} failed; "
            f"{_size(self.bytes)} downloaded, {self.seconds:.1f} s{tail}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "round": self.number,
            "fetched": self.fetched,
            "not_modified": self.not_modified,
            "failed": self.failed,
            "bytes": self.bytes,
            "new": self.new,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "relations": self.relations,
            "seconds": round(self.seconds, 3),
            "stopped": self.stopped,
            "error": self.error,
            "failures": [{"source": s, "reason": r} for s, r in self.failures],
        }


class Watcher:
    """Run rounds of fetching and ingesting over a fixed list of sources.

    Args:
        sources: http(s) URLs of pages, feeds and OPML lists.
        extract: the NLP pipeline as a function of a batch.
        state_path: the fetch state file (None: kept in memory, for this process only).
        fetch: the fetcher's configuration (``ingest.fetch.FetchConfig``).
        default_published: the date of articles that carry none.
        batch_size: articles per transaction.
        validate: shape validation of a batch's quads (None: none).
        store_text: keep each new article's full text.
        max_article_bytes: articles whose text is larger are reported and skipped.
        should_stop: asked between batches and between URLs; True ends the round early.
    """

    def __init__(
        self,
        sources: list[str],
        extract: Extract,
        *,
        state_path: str | os.PathLike[str] | None = None,
        fetch: FetchConfig | None = None,
        default_published: Date | None = None,
        batch_size: int = 32,
        validate: Validate | None = None,
        store_text: bool = False,
        max_article_bytes: int | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        from dataclasses import replace

        from ingest.fetch import FetchConfig, Fetcher, FetchState

        config = replace(fetch or FetchConfig(), retry_due_only=True)
        self.sources = sources
        self.extract = extract
        self.should_stop = should_stop or (lambda: False)
        self.state = FetchState(state_path)
        self.fetcher = Fetcher(config, self.state, should_stop=self.should_stop)
        self.default_published = default_published
        self.batch_size = batch_size
        self.validate = validate
        self.store_text = store_text
        self.max_article_bytes = max_article_bytes
        self.rounds = 0

    def close(self) -> None:
        """Close the fetcher's connections."""
        self.fetcher.close()

    def round(self, store: Store, write_lock: threading.Lock | None = None) -> RoundReport:
        """Fetch every source once and ingest what is new into an open store.

        The fetch state is written when the round ends with its articles committed; a
        round stopped early, or failing, leaves it as it was.

        Args:
            store: where to write.
            write_lock: held while writing, not while fetching (a server's write lock):
                with one, the round's items are fetched first, then ingested under it.

        Raises:
            AikgError: a batch failed to commit (the batches before stay committed).
        """
        from ingest.fetch import read_urls
        from kg.loader import MAX_ARTICLE_RELATIONS, ingest

        self.rounds += 1
        report = RoundReport(self.rounds)
        started = time.monotonic()
        self.fetcher.reset_stats()
        fetched = read_urls(
            self.sources,
            self.fetcher,
            default_published=self.default_published,
            max_article_bytes=self.max_article_bytes,
        )
        try:
            # under a write lock, everything is fetched first and only the ingest holds it
            items: Iterable[Article | ReadFailure] = list(fetched) if write_lock is not None else fetched
            with write_lock if write_lock is not None else nullcontext():
                summary = ingest(
                    store,
                    items,
                    self.extract,
                    batch_size=self.batch_size,
                    validate=self.validate,
                    max_relations=MAX_ARTICLE_RELATIONS,
                    should_stop=self.should_stop,
                    store_text=self.store_text,
                )
        except BaseException:
            self.state.discard()
            raise
        finally:
            if hasattr(fetched, "close"):
                fetched.close()
        stats = self.fetcher.stats
        report.fetched, report.not_modified, report.failed = stats.fetched, stats.not_modified, stats.failed
        report.bytes = stats.bytes
        report.new, report.replaced, report.unchanged = summary.new, summary.replaced, summary.unchanged
        report.relations = summary.relations
        report.failures = list(summary.skipped)
        report.stopped = summary.stopped
        if summary.stopped:
            self.state.discard()
        else:
            try:
                self.state.commit()
            except OSError as exc:
                log.warning(
                    "the fetch state could not be saved (%s); the next round fetches everything again",
                    exc.strerror or exc,
                )
        report.seconds = time.monotonic() - started
        return report


class ServerWatch:
    """Poll the settings' ``watch`` sources every ``watch_every`` inside a running app.

    Args:
        app: the FastAPI app; its state holds the store, write lock and extractor.
        settings: the server's settings (``watch``, ``watch_every``, ``fetch_state``).
    """

    def __init__(self, app: FastAPI, settings: Settings) -> None:
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
        from api.deps import ShutdownFlag

        flag: ShutdownFlag = self.app.state.shutting_down
        return self._stop or flag.is_set()

    def start(self) -> None:
        """Start polling; the first round begins at once."""
        self._thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        """Ask the thread to stop after its current batch, and wait for it."""
        self._stop = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("the watch thread is still in a round after %g s; leaving it", timeout)

    def _extract(self) -> Extract:
        state = self.app.state
        with state.extractor_lock:
            if state.extractor is None:
                from ingest.pipeline import Extractor

                state.extractor = Extractor()
        extract: Extract = state.extractor.extract_many
        return extract

    def _run(self) -> None:
        from ingest.fetch import state_path_for
        from kg.errors import AikgError

        try:
            extract = self._extract()
        except (ImportError, AikgError) as exc:
            log.error("watch: article extraction is not available here, no polling: %s", exc)
            return
        validate: Validate | None
        try:
            from kg.validate import validate_batch as validate
        except ImportError:
            validate = None
        settings = self.settings
        watcher = Watcher(
            list(settings.watch or ()),
            extract,
            state_path=state_path_for(settings.store, settings.fetch_state),
            batch_size=settings.batch_size,
            validate=validate,
            should_stop=self._stopping,
        )
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

    def _round(self, watcher: Watcher) -> None:
        from api.deps import note_app_write
        from kg.errors import AikgError

        state = self.app.state
        try:
            report = watcher.round(state.store, write_lock=state.write_lock)
        except AikgError as exc:
            report = RoundReport(watcher.rounds, error=f"{exc} (batches before it are committed)")
            note_app_write(self.app)  # those batches: caches and the time index hear of them
        except Exception:  # a bug must not end polling silently, nor the server
            log.exception("watch round %d failed", watcher.rounds)
            note_app_write(self.app)
            return
        if report.new or report.replaced:
            note_app_write(self.app)
        self.rounds = watcher.rounds
        for source, reason in report.failures:
            log.warning("watch: skipped %s: %s", source, reason)
        log.info("watch: %s", report.line())
