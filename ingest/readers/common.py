"""What every reader shares: the failure report, size limits, dates and the Article built.

A reader that cannot read something (binary, empty, malformed, too large) reports a
:class:`ReadFailure` through :func:`_fail`, which also logs it at INFO; the batch goes on.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from kg.model import Article

# One logger for the whole package, named as before the split, so log filters keep working.
log = logging.getLogger("ingest.readers")

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The largest article text parsed (UTF-8 bytes): about 350,000 words, minutes of parsing.
DEFAULT_MAX_ARTICLE_BYTES = 2 * 1024 * 1024
# Below this many characters of text there is nothing worth extracting relations from.
MIN_TEXT_CHARS = 20

# Field names tried in order; the first present, non-empty one wins.
_TEXT_KEYS = ("text", "content", "body", "article", "articleBody")
_TITLE_KEYS = ("title", "headline")
_URL_KEYS = ("url", "link", "href")
_DATE_KEYS = ("published", "date", "published_at", "pubDate", "datePublished", "publication_date")

# Any HTML tag, for text that may carry a few (Markdown, a feed summary lxml cannot parse).
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass(frozen=True)
class ReadFailure:
    """A file, line or item that was reported and skipped.

    Attributes:
        source: the file, ``file#line``, ``file#item`` or "-".
        reason: why, in a few words.
        limit: the size limit in bytes it was over, when that is why it was skipped.
    """

    source: str
    reason: str
    limit: int | None = None


def _fail(source: str, reason: str, limit: int | None = None) -> ReadFailure:
    log.info("skipped %s: %s", source, reason)
    return ReadFailure(source, reason, limit)


def _size(n: int) -> str:
    """Return a byte count as people read it: "19.0 MB", "512 KB", "900 bytes"."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _too_large(source: str, what: str, size: int, limit: int) -> ReadFailure:
    return _fail(source, f"{what} too large ({_size(size)}, limit {_size(limit)})", limit)


def _text_bytes(text: str, limit: int) -> int:
    """Return the UTF-8 size of a text, or its length when that alone proves it fits."""
    if len(text) * 4 <= limit:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _within(
    items: Iterable[Article | ReadFailure],
    limit: int | None,
) -> Iterator[Article | ReadFailure]:
    """Pass items on, turning an article whose text is over ``limit`` bytes into a failure."""
    for item in items:
        if limit is not None and isinstance(item, Article):
            size = _text_bytes(item.text, limit)
            if size > limit:
                yield _too_large(item.source or item.url or "-", "article text", size, limit)
                continue
        yield item


# --------------------------------------------------------------------------- dates


def parse_date(value: object) -> date | None:
    """Parse a date the way articles and feeds write them.

    Accepts ``date``/``datetime`` objects, ``time.struct_time`` (feedparser), epoch
    seconds, ISO 8601 ("2025-03-11", "2025-03-11T09:00:00Z"), RFC 822 ("Tue, 11 Mar 2025
    09:00:00 GMT") and common prose forms ("March 11, 2025", "11 March 2025").

    Args:
        value: what the source gave as the publication date.

    Returns:
        The calendar date, or None when the value is missing or not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time.struct_time):
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        # Milliseconds since the epoch are common in JSON exports.
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    from dateutil import parser as dateparser

    try:
        # A fixed default keeps a partial date ("March 2025") from borrowing today's day.
        return dateparser.parse(s, default=datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError, TypeError):
        return None


def _date_or_default(value: object, default: date | None, source: str) -> date | None:
    parsed = parse_date(value)
    if parsed is None and value not in (None, ""):
        log.warning("%s: unrecognised date %r; using %s", source, value, default)
    return parsed if parsed is not None else default


# ---------------------------------------------------------------- building articles


def _article(
    text: str, *, source: str, url: str | None = None, title: str | None = None, published: date | None = None
) -> Article | ReadFailure:
    """Build the Article, or report the source as empty when the text is too short."""
    article = Article(text=text, url=url or None, title=_clean_title(title), published=published, source=source)
    if len(article.text) < MIN_TEXT_CHARS:
        # Whitespace-only files were reported as empty before parsing; this one had
        # markup, front matter or fields, but no text.
        what = (
            "no text"
            if not article.text
            else (f"empty text ({len(article.text)} characters, fewer than {MIN_TEXT_CHARS})")
        )
        return _fail(source, what)
    return article


def _clean_title(title: object) -> str | None:
    """Return a title on one line, or None when there is none."""
    if title is None:
        return None
    return " ".join(str(title).split()) or None


# --------------------------------------------------------------------- field values


def _first(d: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        value = d.get(key)
        if value not in (None, ""):
            return value
    return None


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
