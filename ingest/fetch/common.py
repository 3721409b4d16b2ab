"""What the fetcher's modules share: its configuration, stats, errors and one response."""

from __future__ import annotations

from dataclasses import dataclass

PROJECT_URL = "https://example.org/aikg"
# Backoff of a failed URL: this many seconds after the first failure, doubling, at most a day.
DEFAULT_BACKOFF = 60.0


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


def _media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()
