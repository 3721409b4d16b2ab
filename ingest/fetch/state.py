"""What earlier runs learned: validators, failures with backoff, robots.txt; one JSON file."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from .common import DEFAULT_BACKOFF, Fetched, is_url

# One logger for the whole package, named as before the split, so log filters keep working.
log = logging.getLogger("ingest.fetch")

#: The file, in a local store's directory, that holds the fetch state.
STATE_FILE = "aikg-fetch-state.json"
_STATE_VERSION = 1
# How long a host's robots.txt is kept (in memory and in the state): RFC 9309's day.
_ROBOTS_TTL = 86400.0
# A URL not fetched for this long is forgotten, so the state does not grow without end
# (its next fetch is a full one, and the loader keeps out what is already stored).
_FORGET_AFTER = 90 * 86400.0
_BACKOFF_MAX = 86400.0


class FetchState:
    """What earlier runs learned about URLs, kept in a small JSON file.

    ``urls`` maps a URL to its validators (``etag``, ``last_modified``) and the time of
    its last fetch; ``failures`` maps a URL that failed to the reason, how many times in
    a row, when to try again and the feed it came from. Changes are held apart until
    :meth:`commit` writes them (atomically: a temporary file renamed over the old one).

    Args:
        path: the file; None keeps the state in memory only.
    """

    def __init__(self, path: str | os.PathLike | None):
        self.path = Path(path) if path is not None else None
        self.urls: dict[str, dict] = {}
        self.failures: dict[str, dict] = {}
        self.robots: dict[str, dict] = {}
        self._pending_robots: dict[str, dict] = {}
        self._pending_urls: dict[str, dict] = {}
        self._pending_failures: dict[str, dict | None] = {}
        self._lock = threading.Lock()
        if self.path is not None and self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != _STATE_VERSION:
                raise ValueError("not an aikg fetch state")
            self.urls = {str(k): dict(v) for k, v in data.get("urls", {}).items()}
            self.failures = {str(k): dict(v) for k, v in data.get("failures", {}).items()}
            self.robots = {str(k): dict(v) for k, v in data.get("robots", {}).items()}
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            # Losing the validators only costs full fetches; the loader keeps duplicates out.
            log.warning("fetch state %s unreadable (%s); starting without it", self.path, exc)
            self.urls, self.failures, self.robots = {}, {}, {}

    def validators(self, url: str) -> dict[str, str]:
        """Return the conditional-request headers for a URL (none when it was never fetched)."""
        entry = self.urls.get(url) or {}
        headers = {}
        if entry.get("etag"):
            headers["If-None-Match"] = entry["etag"]
        if entry.get("last_modified"):
            headers["If-Modified-Since"] = entry["last_modified"]
        return headers

    def note_fetched(self, url: str, fetched: Fetched) -> None:
        """Hold a URL's new validators (and clear its failure) until :meth:`commit`."""
        with self._lock:
            old = self.urls.get(url, {})
            entry = {"etag": fetched.etag, "last_modified": fetched.last_modified, "fetched_at": _now_iso()}
            if fetched.status == 304:
                entry["etag"] = entry["etag"] or old.get("etag")
                entry["last_modified"] = entry["last_modified"] or old.get("last_modified")
            self._pending_urls[url] = entry
            if url in self.failures or url in self._pending_failures:
                self._pending_failures[url] = None

    def note_failed(self, url: str, reason: str, feed: str | None, backoff: float = DEFAULT_BACKOFF) -> None:
        """Hold a failure of a URL, with its next try after a doubling backoff.

        Args:
            url: the URL that failed.
            reason: why, in one line.
            feed: the feed it is an item of, if any (so it is retried behind a 304).
            backoff: seconds to wait after a first failure; doubled for each one after.
        """
        with self._lock:
            count = int((self.failures.get(url) or {}).get("count", 0)) + 1
            wait = min(backoff * 2 ** (count - 1), _BACKOFF_MAX)
            self._pending_failures[url] = {
                "reason": reason,
                "count": count,
                "feed": feed,
                "next_try": time.time() + wait,
                "failed_at": _now_iso(),
            }

    def cached_robots(self, host: str) -> dict | None:
        """Return a host's robots.txt as an earlier run read it (``body``, ``closed``), if recent."""
        entry = self._pending_robots.get(host) or self.robots.get(host)
        if entry is None or time.time() - float(entry.get("fetched", 0)) > _ROBOTS_TTL:
            return None
        return entry

    def note_robots(self, host: str, body: str | None, closed: str | None) -> None:
        """Hold a host's robots.txt (None: none, all allowed) or why it closes the host."""
        with self._lock:
            self._pending_robots[host] = {"body": body, "closed": closed, "fetched": time.time()}

    def due(self, url: str) -> bool:
        """Return whether a URL that failed may be tried again now."""
        entry = self.failures.get(url)
        return entry is None or float(entry.get("next_try", 0)) <= time.time()

    def failed_items(self, feed: str) -> list[str]:
        """Return the item URLs of a feed that failed in an earlier run."""
        return [u for u, f in self.failures.items() if f.get("feed") == feed]

    def commit(self) -> None:
        """Apply the changes held since the last commit and write the file.

        Raises:
            OSError: the file could not be written (the old one is left whole).
        """
        with self._lock:
            self.urls.update(self._pending_urls)
            self.robots.update(self._pending_robots)
            for url, entry in self._pending_failures.items():
                if entry is None:
                    self.failures.pop(url, None)
                else:
                    self.failures[url] = entry
            self._pending_urls, self._pending_failures, self._pending_robots = {}, {}, {}
            self._prune()
            if self.path is None:
                return
            data = {"version": _STATE_VERSION, "urls": self.urls, "failures": self.failures, "robots": self.robots}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".fetch-state-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh, indent=1, sort_keys=True)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def _prune(self) -> None:
        """Forget URLs not fetched for :data:`_FORGET_AFTER` (items long gone from their feeds)."""
        cutoff = datetime.now(UTC).timestamp() - _FORGET_AFTER
        for url, entry in list(self.urls.items()):
            try:
                when = datetime.fromisoformat(entry.get("fetched_at") or "").timestamp()
            except (TypeError, ValueError):
                when = 0.0
            if when < cutoff:
                del self.urls[url]
        for host, entry in list(self.robots.items()):
            if time.time() - float(entry.get("fetched", 0)) > _ROBOTS_TTL:
                del self.robots[host]

    def discard(self) -> None:
        """Forget the changes held since the last commit."""
        with self._lock:
            self._pending_urls, self._pending_failures, self._pending_robots = {}, {}, {}


def state_path_for(store: str, given: str | None = None) -> Path | None:
    """Return where the fetch state of a store lives.

    A local store keeps it in its directory (:data:`STATE_FILE`); a server store has no
    directory here, so it needs a path given by option (None: kept in memory only).
    """
    if given:
        return Path(given)
    if is_url(store):
        return None
    return Path(store) / STATE_FILE


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
