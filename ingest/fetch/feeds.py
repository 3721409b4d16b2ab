"""What a fetched body is (OPML list, feed, page) and the items of a fetched feed.

A feed read from a file is :mod:`ingest.readers.feeds`'s; here a feed's items become
links to fetch, unless an item's content carries the full text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

from ingest.readers import _clean_title, html_to_text, parse_date, sniff_format

from .common import Fetched, _media_type, is_url

_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


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
