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

Modules: :mod:`.common` (configuration, stats, errors, a response), :mod:`.state` (the
:class:`FetchState` file), :mod:`.client` (:class:`Fetcher`: the HTTP client, per-host
politeness, robots.txt, private addresses), :mod:`.feeds` (OPML and feed items) and
:mod:`.driver` (:func:`read_urls`). The package may import :mod:`ingest.readers` and
:mod:`kg.model`; never the store, :mod:`api` or :mod:`aikg`.
"""

from __future__ import annotations

from .client import Fetcher
from .common import FetchConfig, Fetched, FetchError, FetchStats, is_url, user_agent
from .driver import read_urls
from .feeds import parse_opml
from .state import STATE_FILE, FetchState, state_path_for

# Public constants of the module this package replaced (not in __all__, as before).
from .common import DEFAULT_BACKOFF as DEFAULT_BACKOFF  # isort: skip
from .common import PROJECT_URL as PROJECT_URL  # isort: skip

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
