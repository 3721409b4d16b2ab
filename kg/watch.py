"""``aikg watch``: poll feeds and pages on a schedule and ingest what is new.

One :class:`Watcher` runs rounds. A round fetches every source (conditional GET, so an
unchanged feed costs one 304), reads the new items and hands them to the loader, which
skips what the store already holds by content hash and replaces an article whose URL
it holds with another text. The fetch state (:mod:`ingest.fetch`) is written after a
round whose articles are all committed, so a watcher killed at any moment and started
again refetches at most one round and writes no duplicates.

The same loop runs in ``aikg watch`` (its own process; the store is opened for each
round, so other commands can use a local store between rounds) and inside
``aikg serve --watch`` (a thread writing through the server's write lock).
"""

from __future__ import annotations

import logging
import re
import signal
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timezone

log = logging.getLogger(__name__)

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?", re.I)
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_every(text: str) -> float:
    """Return the seconds of an interval written as ``90``, ``30s``, ``15m``, ``1h30m`` or ``1d``.

    Raises:
        ValueError: the text is no interval, or not above zero.
    """
    s = text.strip().lower().replace(" ", "")
    pos, total = 0, 0.0
    while pos < len(s):
        m = _DURATION.match(s, pos)
        if not m or m.end() == pos:
            raise ValueError(f"--every takes an interval such as 30s, 15m, 1h or 1h30m, got {text!r}")
        total += float(m[1]) * _UNIT_SECONDS[m[2]]
        pos = m.end()
    if not s or total <= 0:
        raise ValueError(f"--every must be above zero, got {text!r}")
    return total


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

        when = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        if self.error:
            return f"{when} round {self.number}: not done: {self.error}"
        tail = "; stopped by a signal (the rest is fetched again next time)" if self.stopped else ""
        return (f"{when} round {self.number}: {self.fetched} fetched, {self.not_modified} not modified, "
                f"{self.new} new articles, {self.replaced} replaced, {self.failed} failed; "
                f"{_size(self.bytes)} downloaded, {self.seconds:.1f} s{tail}")

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {"round": self.number, "fetched": self.fetched, "not_modified": self.not_modified,
                "failed": self.failed, "bytes": self.bytes, "new": self.new, "replaced": self.replaced,
                "unchanged": self.unchanged, "relations": self.relations,
                "seconds": round(self.seconds, 3), "stopped": self.stopped, "error": self.error,
                "failures": [{"source": s, "reason": r} for s, r in self.failures]}


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

    def __init__(self, sources: list[str], extract, *, state_path=None, fetch=None,
                 default_published: Date | None = None, batch_size: int = 32, validate=None,
                 store_text: bool = False, max_article_bytes: int | None = None,
                 should_stop: Callable[[], bool] | None = None):
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

    def round(self, store, write_lock=None) -> RoundReport:
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
        from kg.ingest_run import MAX_ARTICLE_RELATIONS
        from kg.loader import ingest

        self.rounds += 1
        report = RoundReport(self.rounds)
        started = time.monotonic()
        self.fetcher.reset_stats()
        items = read_urls(self.sources, self.fetcher, default_published=self.default_published,
                          max_article_bytes=self.max_article_bytes)
        try:
            if write_lock is not None:
                items = list(items)
            with write_lock if write_lock is not None else nullcontext():
                summary = ingest(store, items, self.extract, batch_size=self.batch_size, validate=self.validate,
                                 max_relations=MAX_ARTICLE_RELATIONS, should_stop=self.should_stop,
                                 store_text=self.store_text)
        except BaseException:
            self.state.discard()
            raise
        finally:
            if hasattr(items, "close"):
                items.close()
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
                log.warning("the fetch state could not be saved (%s); the next round fetches everything again",
                            exc.strerror or exc)
        report.seconds = time.monotonic() - started
        return report


class _StopFlag:
    """Set from a signal handler: a plain attribute, never a lock (see api.deps.ShutdownFlag)."""

    def __init__(self) -> None:
        self.set_by: str | None = None

    def __call__(self) -> bool:
        return self.set_by is not None


def _sleep_until(deadline: float, stop: _StopFlag) -> None:
    while not stop() and time.monotonic() < deadline:
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def run_watch(sources: list[str], *, store: str | None, every: str, rounds: int | None,
              date: str | None, batch_size: int, validate: bool, store_text: bool, as_json: bool,
              fetch=None, fetch_state: str | None = None, max_article_bytes: int | None = None) -> int:
    """Run ``aikg watch`` until SIGTERM/SIGINT or ``rounds`` rounds; return the exit code.

    Exit codes: 0 after a clean stop or the last round, 2 on a usage error, 1 when the
    model is missing.
    """
    import json

    from ingest.fetch import is_url, state_path_for
    from kg.errors import AikgError
    from kg.store import open_store, resolve_location

    def echo(msg: str) -> None:
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()

    bad = [s for s in sources if not is_url(s)]
    if bad:
        echo(f"aikg: error: aikg watch polls http(s) URLs; {bad[0]!r} is not one (use aikg ingest for files)")
        return 2
    try:
        interval = parse_every(every)
        default_date = Date.fromisoformat(date) if date else None
    except ValueError as exc:
        msg = str(exc) if "--every" in str(exc) else f"--date must be YYYY-MM-DD, got {date!r}"
        echo(f"aikg: error: {msg}")
        return 2
    location = resolve_location(store)
    state_path = state_path_for(location, fetch_state)
    stop = _StopFlag()

    def on_signal(signum, frame) -> None:
        stop.set_by = signal.Signals(signum).name

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        try:
            from ingest.pipeline import Extractor

            extractor = Extractor()
        except AikgError as exc:
            echo(f"aikg: error: {exc}")
            return 1
        validator = None
        if validate:
            from kg.validate import validate_batch

            validator = validate_batch
        watcher = Watcher(sources, extractor.extract_many, state_path=state_path, fetch=fetch,
                          default_published=default_date, batch_size=batch_size, validate=validator,
                          store_text=store_text, max_article_bytes=max_article_bytes, should_stop=stop)
        where = state_path if state_path is not None else "memory only (give --fetch-state to keep it)"
        echo(f"aikg watch: {len(sources)} sources every {interval:g} s into {location}; fetch state: {where}")
        try:
            next_start = time.monotonic()
            while not stop() and (rounds is None or watcher.rounds < rounds):
                _sleep_until(next_start, stop)
                if stop():
                    break
                next_start = time.monotonic() + interval
                report = _one_round(watcher, location, open_store)
                for source, reason in report.failures:
                    echo(f"skipped {source}: {reason}")
                echo(report.line())
                if as_json:
                    sys.stdout.write(json.dumps(report.to_dict()) + "\n")
                    sys.stdout.flush()
        finally:
            watcher.close()
        if stop():
            echo(f"aikg watch: stopped by {stop.set_by} after {watcher.rounds} rounds")
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _one_round(watcher: Watcher, location: str, open_store) -> RoundReport:
    """Open the store, run a round, close it; a store or commit error is the round's, not fatal."""
    from kg.errors import AikgError

    try:
        store = open_store(location)
    except AikgError as exc:
        watcher.rounds += 1
        return RoundReport(watcher.rounds, error=str(exc))
    try:
        return watcher.round(store)
    except AikgError as exc:
        return RoundReport(watcher.rounds, error=f"{exc} (batches before it are committed)")
    finally:
        try:
            store.close()
        except AikgError as exc:
            log.warning("closing the store: %s", exc)


__all__ = ["RoundReport", "Watcher", "parse_every", "run_watch"]
