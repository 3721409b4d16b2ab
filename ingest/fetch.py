"""Fetch articles from the web: article pages, RSS/Atom feeds and OPML lists of feeds.

The fetcher is polite and careful by construction:

* one ``httpx`` client with connect and read timeouts, a whole-response deadline, a
  size limit on the (decoded) body, redirects followed by hand up to a bound, and a
  User-Agent that names aikg and its home page;
* at most ``per_host`` requests in flight to one host and ``host_delay`` seconds
  between the starts of two requests to it;
* robots.txt read once per host (``urllib.robotparser``, kept for a day) and
  honoured for every URL and every redirect target; a robots.txt that answers 4xx
  allows everything, one that answers 5xx disallows the host for the run (RFC 9309);
* conditional GET: the ETag and Last-Modified of every URL fetched are remembered in a
  :class:`FetchState` file, so an unchanged feed costs one 304.

What was fetched is read by :mod:`ingest.readers` (HTML main text, feed items), so a
page on the web yields the same article as the same page saved to disk. A feed item
whose content carries the full text (at least :attr:`FetchConfig.full_text_chars`
characters of it) becomes an article directly; otherwise its link is fetched.

Failures (DNS, refused connections, 4xx/5xx, timeouts, content that is not text, a body
over the limit, robots.txt) are :class:`~ingest.readers.ReadFailure` items in the
stream, one per URL, and the rest goes on. A failed feed item is remembered and tried
again with a growing backoff, even while its feed answers 304.

The state of a run is only written when the caller says its articles are committed
(:meth:`FetchState.commit`): a run that stops or fails half-way leaves the state as it
was, so the next run fetches the same things again and the loader's content hashes keep
the store free of duplicates.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from ingest.readers import (
    MIN_TEXT_CHARS,
    ReadFailure,
    _clean_title,
    _fail,
    _size,
    html_to_text,
    parse_date,
    read_bytes,
    sniff_format,
)
from kg.model import Article

log = logging.getLogger(__name__)

#: The file, in a local store's directory, that holds the fetch state.
STATE_FILE = "aikg-fetch-state.json"
PROJECT_URL = "https://example.org/aikg"
_STATE_VERSION = 1
# Media types that are read; anything else is reported as not text.
_TEXT_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/json",
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "text/x-opml",
    }
)
_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "text/x-opml, application/xml;q=0.9, text/*;q=0.8, */*;q=0.1"
)
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
# How long a host's robots.txt is kept (in memory and in the state): RFC 9309's day.
_ROBOTS_TTL = 86400.0
_ROBOTS_MAX_BYTES = 512 * 1024
# How soon a robots.txt that could not be read (5xx, timeout) is asked for again.
_ROBOTS_RETRY = 300.0
# A URL not fetched for this long is forgotten, so the state does not grow without end
# (its next fetch is a full one, and the loader keeps out what is already stored).
_FORGET_AFTER = 90 * 86400.0
# Backoff of a failed URL: this many seconds after the first failure, doubling, at most a day.
DEFAULT_BACKOFF = 60.0
_BACKOFF_MAX = 86400.0


def is_url(arg: str) -> bool:
    """Return whether a command-line source is an http(s) URL rather than a path."""
    return arg.lower().startswith(("http://", "https://"))


def user_agent() -> str:
    """Return the User-Agent aikg sends: ``aikg/<version> (+<project URL>)``."""
    from kg import __version__

    return f"aikg/{__version__} (+{PROJECT_URL})"


@dataclass(frozen=True)
class FetchConfig:
    """How the fetcher behaves.

    Attributes:
        timeout: seconds to connect, and between two pieces of a response.
        deadline: seconds a whole response may take (a server dripping bytes is cut).
        max_bytes: the largest body read (after decompression); larger ones are skipped.
        max_redirects: redirects followed before giving up.
        per_host: requests in flight to one host at most.
        host_delay: seconds between the starts of two requests to one host.
        workers: feed item pages fetched at once (across hosts).
        robots: honour robots.txt.
        full_text_chars: a feed item whose content has at least this many characters of
            text is taken as the article; a shorter one means its link is fetched.
        retry_due_only: try a URL that failed before only once its backoff is over
            (the watch loop); otherwise every failed URL is tried again.
        backoff: seconds a URL waits after its first failure (doubling after each
            next one, at most a day) when ``retry_due_only``.
    """

    timeout: float = 10.0
    deadline: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host: int = 2
    host_delay: float = 1.0
    workers: int = 4
    robots: bool = True
    full_text_chars: int = 500
    retry_due_only: bool = False
    backoff: float = DEFAULT_BACKOFF


@dataclass
class FetchStats:
    """What the fetches of one run did.

    ``requests`` and the counts leave robots.txt out; ``bytes`` is every response
    received, robots.txt included, headers and (compressed) bodies.
    """

    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    bytes: int = 0
    requests: int = 0

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "fetched": self.fetched,
            "not_modified": self.not_modified,
            "failed": self.failed,
            "bytes": self.bytes,
            "requests": self.requests,
        }


class FetchError(Exception):
    """A URL could not be fetched; the message is the one-line reason."""


@dataclass
class Fetched:
    """One response: 200 with its body, or 304."""

    url: str
    status: int
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


# --------------------------------------------------------------------------- state


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


# ------------------------------------------------------------------------ fetching


class _HostGate:
    """At most ``per_host`` requests in flight to a host, ``delay`` seconds between starts."""

    def __init__(self, per_host: int, delay: float):
        self._sem = threading.BoundedSemaphore(per_host)
        self._lock = threading.Lock()
        self._next = 0.0
        self._delay = delay

    def __enter__(self) -> None:
        self._sem.acquire()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._delay
        if start > now:
            time.sleep(start - now)

    def __exit__(self, *exc) -> None:
        self._sem.release()


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()


def _is_text(content_type: str | None) -> bool:
    media = _media_type(content_type)
    return (
        not media
        or media.startswith("text/")
        or media in _TEXT_TYPES
        or media.endswith("+xml")
        or media.endswith("+json")
    )


class Fetcher:
    """Fetch URLs politely, with the state of earlier runs (see the module docstring).

    Args:
        config: limits, delays and timeouts.
        state: validators and failures; None keeps them for this run only.
        should_stop: asked before each request; True makes the rest of the run stop.
    """

    def __init__(
        self,
        config: FetchConfig | None = None,
        state: FetchState | None = None,
        should_stop: Callable[[], bool] | None = None,
    ):
        import httpx

        self.config = config or FetchConfig()
        self.state = state if state is not None else FetchState(None)
        self.should_stop = should_stop or (lambda: False)
        self.stats = FetchStats()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.config.timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent(), "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"},
        )
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None, str | None]] = {}
        self._lock = threading.Lock()
        self._robots_locks: dict[str, threading.Lock] = {}
        self._addresses: dict[str, tuple[float, str | None]] = {}

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def count(self, name: str, n: int = 1) -> None:
        """Add to one of the stats (item pages are fetched from several threads)."""
        with self._lock:
            setattr(self.stats, name, getattr(self.stats, name) + n)

    def reset_stats(self) -> FetchStats:
        """Return the stats so far and start counting afresh (one watch round each)."""
        stats, self.stats = self.stats, FetchStats()
        return stats

    # -- the pieces

    def _gate(self, url: str) -> _HostGate:
        key = _host_key(url)
        with self._lock:
            gate = self._gates.get(key)
            if gate is None:
                gate = self._gates[key] = _HostGate(self.config.per_host, self.config.host_delay)
            return gate

    def _get_once(
        self,
        url: str,
        headers: dict[str, str],
        max_bytes: int,
    ) -> tuple[int, dict, bytes, str | None]:
        """GET one URL (no redirects): (status, headers, body, next URL of a redirect)."""
        import httpx

        started = time.monotonic()
        with self._gate(url):
            try:
                with self._client.stream("GET", url, headers=headers) as r:
                    if r.status_code == 304 or r.is_redirect:
                        self.count("bytes", _header_bytes(r))
                    if r.is_redirect:
                        location = r.headers.get("location")
                        target = urljoin(url, location) if location else None
                        return r.status_code, dict(r.headers), b"", target
                    if r.status_code != 200:
                        self.count("bytes", r.num_bytes_downloaded + _header_bytes(r))
                        return r.status_code, dict(r.headers), b"", None
                    declared = r.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"larger than the {_size(max_bytes)} limit ({_size(int(declared))})")
                    chunks: list[bytes] = []
                    total = 0
                    for chunk in r.iter_bytes():
                        total += len(chunk)
                        if total > max_bytes:
                            raise FetchError(f"larger than the {_size(max_bytes)} limit")
                        if time.monotonic() - started > self.config.deadline:
                            raise FetchError(f"timed out (the whole response took over {self.config.deadline:g} s)")
                        chunks.append(chunk)
                    self.count("bytes", r.num_bytes_downloaded + _header_bytes(r))
                    return r.status_code, dict(r.headers), b"".join(chunks), None
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {self.config.timeout:g} s ({type(exc).__name__})") from exc
            except httpx.ConnectError as exc:
                raise FetchError(f"cannot connect: {_reason(exc)}") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"request failed: {_reason(exc)}") from exc

    def _robots_for(self, url: str) -> tuple[urllib.robotparser.RobotFileParser | None, str | None]:
        """Return the host's robots.txt rules (None: everything allowed) or why it is closed."""
        key = _host_key(url)
        with self._lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:
            cached = self._robots.get(key)
            if cached is not None and cached[0] > time.monotonic():
                return cached[1], cached[2]
            rules, closed = None, None
            saved = self.state.cached_robots(key)
            if saved is not None:
                closed = saved.get("closed")
                if saved.get("body") is not None:
                    rules = urllib.robotparser.RobotFileParser()
                    rules.parse(saved["body"].splitlines())
                self._robots[key] = (time.monotonic() + _ROBOTS_TTL, rules, closed)
                return rules, closed
            body_text = None
            ttl = _ROBOTS_RETRY
            target = key + "/robots.txt"
            try:
                for _ in range(self.config.max_redirects + 1):
                    status, _headers, body, nxt = self._get_once(target, {}, _ROBOTS_MAX_BYTES)
                    if nxt is None:
                        break
                    target = nxt
                if 200 <= status < 300:
                    body_text = body.decode("utf-8", "replace")
                    rules = urllib.robotparser.RobotFileParser()
                    rules.parse(body_text.splitlines())
                elif status >= 500:
                    closed = f"robots.txt unavailable (HTTP {status}); not fetched"
                if closed is None:
                    self.state.note_robots(key, body_text, None)
                    ttl = _ROBOTS_TTL
            except FetchError as exc:
                # The page's own request will say what is wrong with the host.
                log.debug("robots.txt of %s: %s", key, exc)
            # A host that failed to answer is asked again after a few minutes, not a day.
            self._robots[key] = (time.monotonic() + ttl, rules, closed)
            return rules, closed

    def private_address(self, url: str) -> str | None:
        """Return the loopback, private or link-local address a URL's host is at, if it is.

        IP literals are judged as they are; names are resolved (kept five minutes).
        A name that does not resolve is not private: its request fails on its own.
        """
        host = urlsplit(url).hostname or ""
        with self._lock:
            cached = self._addresses.get(host)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        found = _private_address(host)
        with self._lock:
            self._addresses[host] = (time.monotonic() + 300.0, found)
        return found

    def _check_robots(self, url: str) -> None:
        if not self.config.robots:
            return
        rules, closed = self._robots_for(url)
        if closed:
            raise FetchError(closed)
        if rules is not None and not rules.can_fetch(user_agent(), url):
            raise FetchError("disallowed by robots.txt")

    def fetch(self, url: str, *, conditional: bool = True, allow_private: bool = True) -> Fetched:
        """Fetch a URL: robots.txt, conditional headers, redirects, limits.

        Args:
            url: an http(s) URL.
            conditional: send the validators remembered for it.
            allow_private: whether it (and every redirect on the way) may be on a
                loopback, private or link-local address; False for a link found in a
                feed or OPML file on a public host, so a hostile feed cannot make aikg
                read pages of the network it runs in into a public graph.

        Returns:
            A 200 with its body, or a 304.

        Raises:
            FetchError: the one-line reason it could not be fetched.
        """
        current = _without_fragment(url)
        headers = self.state.validators(url) if conditional else {}
        self.count("requests")
        for _ in range(self.config.max_redirects + 1):
            if not is_url(current):
                raise FetchError(f"redirected to a non-http address {current!r}")
            if not allow_private:
                address = self.private_address(current)
                if address:
                    raise FetchError(
                        f"refused: {address} is a local or private address, and the feed that links to it is not"
                    )
            self._check_robots(current)
            status, got, body, nxt = self._get_once(current, headers, self.config.max_bytes)
            if nxt is None:
                break
            current = nxt
        else:
            raise FetchError(f"more than {self.config.max_redirects} redirects")
        if status == 304:
            self.count("not_modified")
            return Fetched(url=current, status=304, etag=got.get("etag"), last_modified=got.get("last-modified"))
        if status != 200:
            raise FetchError(f"HTTP {status} {_phrase(status)}".rstrip())
        content_type = got.get("content-type")
        if not _is_text(content_type):
            raise FetchError(f"not text (content type {_media_type(content_type)})")
        self.count("fetched")
        return Fetched(
            url=current,
            status=200,
            body=body,
            content_type=content_type,
            etag=got.get("etag"),
            last_modified=got.get("last-modified"),
        )


def _private_address(host: str) -> str | None:
    """Return the first of a host's addresses that is not on the public internet, if any."""
    import ipaddress
    import socket

    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError):
            return None
        addresses = []
        for info in infos:
            try:
                addresses.append(ipaddress.ip_address(info[4][0].split("%")[0]))
            except ValueError:
                continue
    for a in addresses:
        if getattr(a, "ipv4_mapped", None) is not None:
            a = a.ipv4_mapped
        if a.is_loopback or a.is_private or a.is_link_local or a.is_unspecified or a.is_reserved or a.is_multicast:
            return str(a)
    return None


def _header_bytes(response) -> int:
    """Return about how many bytes a response's status line and headers took on the wire."""
    return 17 + sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(fragment=""))


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


# --------------------------------------------------------------------- sources


def _looks_opml(body: bytes, content_type: str | None) -> bool:
    if _media_type(content_type) == "text/x-opml":
        return True
    return re.search(rb"<opml\b", body[:2048], re.I) is not None


def parse_opml(body: bytes, base: str) -> list[str]:
    """Return the feed URLs an OPML document lists (``xmlUrl`` of its outlines).

    Raises:
        ValueError: the document is not well-formed XML.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not a well-formed OPML file: {exc}") from exc
    out: list[str] = []
    for el in root.iter("{*}outline", "outline"):
        href = el.get("xmlUrl") or el.get("xmlurl")
        if href and href.strip():
            url = urljoin(base, href.strip())
            if is_url(url) and url not in out:
                out.append(url)
    return out


def _is_feed(fetched: Fetched) -> bool:
    if _media_type(fetched.content_type) in _FEED_TYPES:
        return True
    head = fetched.body[:4096].decode("utf-8", "replace")
    return sniff_format(head) == "feed"


@dataclass
class _Item:
    """A feed item to turn into an article: its text, or a link to fetch."""

    index: int
    link: str | None
    title: str | None
    published: date | None
    text: str = ""


def _feed_items(body: bytes, feed_url: str, full_text_chars: int) -> tuple[list[_Item], str | None]:
    """Return a feed's items, or why it is not a feed."""
    import feedparser

    parsed = feedparser.parse(body)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("version"):
            return [], None
        return [], "not an RSS or Atom feed"
    items = []
    for i, entry in enumerate(entries, start=1):
        link = entry.get("link")
        link = urljoin(feed_url, link.strip()) if isinstance(link, str) and link.strip() else None
        if link is not None and not is_url(link):
            link = None
        raw = (
            entry.get("published_parsed")
            or entry.get("updated_parsed")
            or entry.get("published")
            or entry.get("updated")
        )
        item = _Item(i, link, _clean_title(entry.get("title")), parse_date(raw))
        for content in entry.get("content") or []:
            text = html_to_text(content.get("value") or "")
            if len(text.strip()) >= full_text_chars:
                item.text = text
                break
        if not item.text and link is None:
            # No link to follow: the summary is all there is.
            item.text = html_to_text(entry.get("summary") or entry.get("description") or "")
        items.append(item)
    return items, None


def _page_articles(
    fetched: Fetched, *, source: str, default_published: date | None, max_article_bytes: int | None
) -> list[Article | ReadFailure]:
    """Read a fetched page (HTML, text, JSON) as a file of its type would be read."""
    name = urlsplit(fetched.url).path.rsplit("/", 1)[-1] or "index.html"
    out: list[Article | ReadFailure] = []
    for item in read_bytes(
        fetched.body,
        name=name,
        content_type=fetched.content_type,
        default_published=default_published,
        max_article_bytes=max_article_bytes,
    ):
        if isinstance(item, Article):
            # The page's canonical URL when it names one, else the address it came from.
            item = replace(item, url=item.url or fetched.url, source=source)
        else:
            item = ReadFailure(source, item.reason, item.limit)
        out.append(item)
    return out


def read_urls(
    sources: Iterable[str],
    fetcher: Fetcher,
    *,
    default_published: date | None = None,
    max_article_bytes: int | None = None,
) -> Iterator[Article | ReadFailure]:
    """Fetch sources and yield their articles, and a failure for each URL that failed.

    A source is an article page, a feed or an OPML list of feeds: which one is told by
    the response (media type, then content). A feed answering 304 yields nothing, but
    items of it that failed in an earlier run are tried again (when due, in the watch
    loop). Fetching stops, between two URLs, once ``fetcher.should_stop()`` is true.

    Args:
        sources: http(s) URLs.
        fetcher: the fetcher, with its state.
        default_published: the date of articles whose feed item and page carry none.
        max_article_bytes: articles whose text is larger are reported and skipped.

    Returns:
        A generator of Article records and ReadFailure reports.
    """
    # (url, whether it may be on a private address): a source given here may; a feed
    # listed in an OPML file may when the OPML file itself is on a private address.
    queue: list[tuple[str, bool]] = [(u, True) for u in dict.fromkeys(sources)]
    seen: set[str] = set()
    pool = ThreadPoolExecutor(max_workers=max(1, fetcher.config.workers), thread_name_prefix="aikg-fetch")
    try:
        while queue:
            url, allow_private = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            if fetcher.should_stop():
                return
            if fetcher.config.retry_due_only and not fetcher.state.due(url):
                log.info("%s: failed before; next try later", url)
                continue
            try:
                fetched = fetcher.fetch(url, allow_private=allow_private)
            except FetchError as exc:
                fetcher.count("failed")
                fetcher.state.note_failed(url, str(exc), None, fetcher.config.backoff)
                yield _fail(url, str(exc))
                continue
            if fetched.status == 304:
                fetcher.state.note_fetched(url, fetched)
                retry = [u for u in fetcher.state.failed_items(url) if u not in seen]
                if retry:
                    yield from _fetch_items(
                        [_Item(0, u, None, None) for u in retry],
                        url,
                        fetcher,
                        pool,
                        default_published,
                        max_article_bytes,
                        seen,
                    )
                continue
            if _looks_opml(fetched.body, fetched.content_type):
                try:
                    listed = parse_opml(fetched.body, fetched.url)
                except ValueError as exc:
                    fetcher.state.note_fetched(url, fetched)
                    yield _fail(url, str(exc))
                    continue
                if not listed:
                    yield _fail(url, "OPML file lists no feeds")
                inside = fetcher.private_address(fetched.url) is not None
                queue.extend((u, inside) for u in listed if u not in seen)
                fetcher.state.note_fetched(url, fetched)
                continue
            if _is_feed(fetched):
                items, problem = _feed_items(fetched.body, url, fetcher.config.full_text_chars)
                if problem:
                    yield _fail(url, problem)
                elif not items:
                    yield _fail(url, "feed with no items")
                retry = [
                    u for u in fetcher.state.failed_items(url) if u not in seen and u not in {i.link for i in items}
                ]
                items += [_Item(0, u, None, None) for u in retry]
                done = yield from _fetch_items(items, url, fetcher, pool, default_published, max_article_bytes, seen)
                if done:
                    # Only a feed whose every item was handed on is marked as read.
                    fetcher.state.note_fetched(url, fetched)
                continue
            yield from _page_articles(
                fetched, source=url, default_published=default_published, max_article_bytes=max_article_bytes
            )
            fetcher.state.note_fetched(url, fetched)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fetch_items(
    items: list[_Item],
    feed: str,
    fetcher: Fetcher,
    pool: ThreadPoolExecutor,
    default_published: date | None,
    max_article_bytes: int | None,
    seen: set[str],
) -> Iterator[Article | ReadFailure]:
    """Yield the articles of a feed's items, fetching the links of those without full text.

    Returns (as the generator's value) whether every item was handed on (no stop).
    Item links may be on a private address only when the feed is.
    """
    inside = fetcher.private_address(feed) is not None

    def one(item: _Item) -> list[Article | ReadFailure] | None:
        if item.text:
            source = item.link or f"{feed}#{item.index}"
            if len(item.text) < MIN_TEXT_CHARS:
                return [_fail(source, f"item {item.index}: no text (no content or summary)")]
            return [
                Article(
                    text=item.text,
                    url=item.link,
                    title=item.title,
                    published=item.published or default_published,
                    source=source,
                )
            ]
        if fetcher.should_stop():
            return None
        try:
            fetched = fetcher.fetch(item.link, allow_private=inside)
        except FetchError as exc:
            fetcher.count("failed")
            fetcher.state.note_failed(item.link, str(exc), feed, fetcher.config.backoff)
            return [_fail(item.link, str(exc))]
        if fetched.status == 304:
            fetcher.state.note_fetched(item.link, fetched)
            return []
        out = _page_articles(
            fetched,
            source=item.link,
            default_published=item.published or default_published,
            max_article_bytes=max_article_bytes,
        )
        if item.title:
            out = [replace(a, title=a.title or item.title) if isinstance(a, Article) else a for a in out]
        fetcher.state.note_fetched(item.link, fetched)
        return out

    todo = []
    for item in items:
        if item.link is not None:
            if item.link in seen:
                continue
            seen.add(item.link)
        if fetcher.config.retry_due_only and item.link and not item.text and not fetcher.state.due(item.link):
            continue
        todo.append(item)
    complete = True
    for result in pool.map(one, todo):
        if result is None:
            complete = False
            continue
        yield from result
    return complete


__all__ = [
    "FetchConfig",
    "FetchError",
    "FetchState",
    "FetchStats",
    "Fetched",
    "Fetcher",
    "STATE_FILE",
    "is_url",
    "parse_opml",
    "read_urls",
    "state_path_for",
    "user_agent",
]
