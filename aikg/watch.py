"""``aikg watch``: run the watch rounds (:class:`api.watch.Watcher`) on a schedule.

The store is opened for each round, so other commands can use a local store between
rounds; SIGTERM and SIGINT end the loop between two batches. ``aikg serve --watch`` runs
the same rounds in a thread of the server (:class:`api.watch.ServerWatch`).
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from datetime import date as Date

from api.settings import parse_every
from api.watch import RoundReport, Watcher

log = logging.getLogger(__name__)


class _StopFlag:
    """Set from a signal handler: a plain attribute, never a lock (see api.deps.ShutdownFlag)."""

    def __init__(self) -> None:
        self.set_by: str | None = None

    def __call__(self) -> bool:
        return self.set_by is not None


def _sleep_until(deadline: float, stop: _StopFlag) -> None:
    while not stop() and time.monotonic() < deadline:
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def run_watch(
    sources: list[str],
    *,
    store: str | None,
    every: str,
    rounds: int | None,
    date: str | None,
    batch_size: int,
    validate: bool,
    store_text: bool,
    as_json: bool,
    fetch=None,
    fetch_state: str | None = None,
    max_article_bytes: int | None = None,
) -> int:
    """Run ``aikg watch`` until SIGTERM/SIGINT or ``rounds`` rounds; return the exit code.

    Exit codes: 0 after a clean stop or the last round, 2 on a usage error, 1 when the
    model is missing.
    """
    import json

    from ingest.fetch import is_url, state_path_for
    from kg.backend import open_store
    from kg.errors import AikgError
    from kg.store import resolve_location

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
        watcher = Watcher(
            sources,
            extractor.extract_many,
            state_path=state_path,
            fetch=fetch,
            default_published=default_date,
            batch_size=batch_size,
            validate=validator,
            store_text=store_text,
            max_article_bytes=max_article_bytes,
            should_stop=stop,
        )
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


__all__ = ["run_watch"]
