"""The formats the readers know, and the one dispatch from a format to its reader.

A format is a module with a reader function and one :class:`Format` entry in
:data:`FORMATS`: its suffixes, its media types and how its input is handed over. The
suffix and media-type tables, :data:`SUPPORTED_EXTENSIONS` and :func:`_read_data` follow
from that entry, so adding a format touches nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from kg.model import Article

from .common import ReadFailure, _fail, _size, _too_large
from .decoding import _BOMS, _binary_kind, decode_bytes, sniff_format
from .feeds import read_feed
from .html import read_html
from .jsonl import _jsonl_lines, read_json, read_jsonl
from .markdown import read_markdown
from .text import read_text

# One logger for the whole package, named as before the split, so log filters keep working.
log = logging.getLogger("ingest.readers")

#: A reader: (decoded text, source, default date, size limit of a line or item) -> items.
Reader = Callable[[str, str, date | None, int], Iterator[Article | ReadFailure]]


@dataclass(frozen=True)
class Format:
    """One input format.

    Attributes:
        read: the reader of a decoded text (bytes too, when ``takes_bytes``).
        suffixes: file name extensions, lower case, with the dot.
        media_types: the media types of an upload or a fetched response.
        one_article: a file is one article about as long as the file, so a file over
            the article size limit is skipped before it is read.
        takes_bytes: the reader decodes the bytes itself (feedparser honours the XML
            encoding declaration), so the body is not decoded first.
    """

    read: Reader
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]
    one_article: bool = False
    takes_bytes: bool = False


#: Format name (what :func:`sniff_format` returns) -> its entry. JSON Lines are also
#: streamed line by line from files, stdin and UTF-8 bodies (:func:`_read_data`,
#: ``ingest.readers.sources``), so one bad line costs only that line.
FORMATS: dict[str, Format] = {
    "text": Format(read_text, (".txt", ".text"), ("text/plain",), one_article=True),
    "markdown": Format(read_markdown, (".md", ".markdown"), ("text/markdown", "text/x-markdown"), one_article=True),
    "html": Format(read_html, (".html", ".htm"), ("text/html", "application/xhtml+xml")),
    "json": Format(read_json, (".json",), ("application/json",)),
    "jsonl": Format(
        read_jsonl,
        (".jsonl", ".ndjson"),
        (
            "application/x-ndjson",
            "application/ndjson",
            "application/jsonl",
            "application/x-jsonlines",
            "application/jsonlines",
        ),
    ),
    "feed": Format(
        read_feed,
        (".xml", ".rss", ".atom"),
        ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"),
        takes_bytes=True,
    ),
}

_FORMAT_BY_EXT = {suffix: name for name, entry in FORMATS.items() for suffix in entry.suffixes}
_FORMAT_BY_MEDIA_TYPE = {media: name for name, entry in FORMATS.items() for media in entry.media_types}
SUPPORTED_EXTENSIONS = frozenset(_FORMAT_BY_EXT)


def _format(fmt: str) -> Format:
    """Return a format's entry; plain text for a name not registered."""
    return FORMATS.get(fmt) or FORMATS["text"]


def _read_decoded(
    text: str, fmt: str, source: str, default_published: date | None, max_bytes: int
) -> Iterator[Article | ReadFailure]:
    yield from _format(fmt).read(text, source, default_published, max_bytes)


def _read_data(
    data: bytes,
    *,
    source: str,
    fmt: str | None,
    charset: str | None,
    default_published: date | None,
    max_bytes: int,
) -> Iterator[Article | ReadFailure]:
    """Read one whole file or body whose format is known (or None to sniff)."""
    if len(data) > max_bytes:
        # Stdin is read only up to the limit, so its true size is unknown.
        if source == "-":
            yield _fail(source, f"input too large (over {_size(max_bytes)})", max_bytes)
        else:
            yield _too_large(source, "file", len(data), max_bytes)
        return
    if not data.strip():
        yield _fail(source, "empty input" if source == "-" else "empty file")
        return
    reason = _binary_kind(data, lines=fmt == "jsonl")
    if reason:
        yield _fail(source, reason)
        return
    if (
        fmt == "jsonl"
        and (charset is None or charset.lower().replace("_", "-") in ("utf-8", "utf8"))
        and not any(data.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig")
    ):
        # Decode line by line, as for a file: one binary or mis-encoded line is that
        # line's problem, not the body's.
        yield from _jsonl_lines(data.split(b"\n"), source, default_published, max_bytes)
        return
    if fmt is not None and _format(fmt).takes_bytes:
        # The reader decodes the bytes itself (feedparser honours the XML declaration).
        yield from _format(fmt).read(data, source, default_published, max_bytes)
        return
    try:
        text = decode_bytes(data, charset)
    except UnicodeDecodeError as exc:
        yield _fail(source, f"binary file (undecodable: {exc.reason})")
        return
    if not text.strip():
        yield _fail(source, "empty file")
        return
    if fmt is None:
        fmt = sniff_format(text)
        log.debug("%s: sniffed format %s", source, fmt)
        if _format(fmt).takes_bytes:
            yield from _format(fmt).read(data, source, default_published, max_bytes)
            return
    yield from _read_decoded(text, fmt, source, default_published, max_bytes)
