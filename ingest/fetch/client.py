"""The HTTP side: one polite client, per-host gates, robots.txt, redirects and limits."""

from __future__ import annotations

import logging
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

from ingest.readers import _size

from .common import FetchConfig, Fetched, FetchError, FetchStats, _media_type, is_url, user_agent
from .state import _ROBOTS_TTL, FetchState

# One logger for the whole package, named as before the split, so log filters keep working.
log = logging.getLogger("ingest.fetch")

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
_ROBOTS_MAX_BYTES = 512 * 1024
# How soon a robots.txt that could not be read (5xx, timeout) is asked for again.
_ROBOTS_RETRY = 300.0


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

    def fetch(
        self,
        url: str,
        *,
        conditional: bool = True,
        allow_private: bool = True,
        private_refusal: str = "and the feed that links to it is not",
    ) -> Fetched:
        """Fetch a URL: robots.txt, conditional headers, redirects, limits.

        Args:
            url: an http(s) URL.
            conditional: send the validators remembered for it.
            allow_private: whether it (and every redirect on the way) may be on a
                loopback, private or link-local address; False for a link found in a
                feed or OPML file on a public host, so a hostile feed cannot make aikg
                read pages of the network it runs in into a public graph.
            private_refusal: the end of the refusal's line, saying why it is refused.

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
                    raise FetchError(f"refused: {address} is a local or private address, {private_refusal}")
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
