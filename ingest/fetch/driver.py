"""The fetch driver: sources in, articles and failures out (:func:`read_urls`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit

from ingest.readers import MIN_TEXT_CHARS, ReadFailure, _fail, read_bytes
from kg.model import Article

from .client import Fetcher
from .common import Fetched, FetchError
from .feeds import _feed_items, _is_feed, _Item, _looks_opml, parse_opml

# One logger for the whole package, named as before the split, so log filters keep working.
log = logging.getLogger("ingest.fetch")


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
    private_ok: Callable[[str], bool] | None = None,
    private_refusal: str = "and the feed that links to it is not",
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
        private_ok: whether a given source may be on a loopback, private or link-local
            address (None: every source may, as on the command line). A source that may
            not, and every link its feed or OPML file leads to, is refused there with
            ``private_refusal`` as the reason; requests from the network (MCP) use it.
        private_refusal: the end of that refusal's line.

    Returns:
        A generator of Article records and ReadFailure reports.
    """
    # (url, whether it may be on a private address): a source given here may; a feed
    # listed in an OPML file may when the OPML file itself is on a private address.
    queue: list[tuple[str, bool]] = [(u, private_ok is None or private_ok(u)) for u in dict.fromkeys(sources)]
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
                fetched = fetcher.fetch(url, allow_private=allow_private, private_refusal=private_refusal)
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
