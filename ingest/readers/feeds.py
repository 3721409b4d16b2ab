"""RSS and Atom feeds as files or bodies (``.xml``, ``.rss``, ``.atom``): one article per item.

Fetching feeds from the web, and OPML lists of them, is :mod:`ingest.fetch`'s; this module
reads a feed already in hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from kg.model import Article

from .common import (
    MIN_TEXT_CHARS,
    ReadFailure,
    _clean_title,
    _date_or_default,
    _fail,
    _one_line,
    _str_or_none,
)
from .html import html_to_text


def read_feed(
    data: bytes | str,
    source: str,
    default_published: date | None,
    _max_bytes: int,
) -> Iterator[Article | ReadFailure]:
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("feed"):
            yield _fail(source, f"not an RSS or Atom feed: {_one_line(parsed.get('bozo_exception', 'unparseable'))}")
        elif parsed.get("version"):
            yield _fail(source, "feed with no items")
        else:
            yield _fail(source, "not an RSS or Atom feed")
        return
    for i, entry in enumerate(entries, start=1):
        link = _str_or_none(entry.get("link"))
        item_source = link or f"{source}#{i}"
        body = ""
        for content in entry.get("content") or []:
            if content.get("value", "").strip():
                body = content["value"]
                break
        if not body:
            body = entry.get("summary") or entry.get("description") or ""
        text = html_to_text(body)
        raw_date = (
            entry.get("published_parsed")
            or entry.get("updated_parsed")
            or entry.get("published")
            or entry.get("updated")
        )
        published = _date_or_default(raw_date, default_published, item_source)
        article = Article(
            text=text, url=link, title=_clean_title(entry.get("title")), published=published, source=item_source
        )
        if len(article.text) < MIN_TEXT_CHARS:
            yield _fail(item_source, f"item {i}: no text (no content or summary)")
            continue
        yield article
