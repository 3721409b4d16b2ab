"""JSON documents and JSON Lines: one article per object, field names tried in order.

A JSON file holds one object, a list of them, or a wrapper such as ``{"articles": [...]}``;
JSON Lines hold one object a line, and a bad line is reported while the rest are read.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date

from kg.model import Article

from .common import (
    _DATE_KEYS,
    _TEXT_KEYS,
    _TITLE_KEYS,
    _URL_KEYS,
    DEFAULT_MAX_BYTES,
    MIN_TEXT_CHARS,
    ReadFailure,
    _clean_title,
    _date_or_default,
    _fail,
    _first,
    _size,
    _str_or_none,
)
from .decoding import decode_bytes
from .html import html_to_text


def _record(obj: object, *, source: str, where: str, default_published: date | None) -> Article | ReadFailure:
    """Build an Article from one JSON object; ``where`` prefixes reasons ("line 3")."""
    prefix = f"{where}: " if where else ""
    if not isinstance(obj, dict):
        return _fail(source, f"{prefix}not a JSON object but {type(obj).__name__}")
    text = _first(obj, _TEXT_KEYS)
    if isinstance(text, list) and text and all(isinstance(t, str) for t in text):
        # Some exports store the body as a list of paragraphs.
        text = "\n\n".join(text)
    if not isinstance(text, str) or not text.strip():
        return _fail(source, f"{prefix}no text (expected a 'text', 'content' or 'body' field)")
    if re.search(r"<(p|div|br|article|span|a)\b[^>]*>", text, re.I):
        text = html_to_text(text)
    published = _date_or_default(_first(obj, _DATE_KEYS), default_published, source)
    article = Article(
        text=text,
        url=_str_or_none(_first(obj, _URL_KEYS)),
        title=_clean_title(_first(obj, _TITLE_KEYS)),
        published=published,
        source=source,
    )
    if len(article.text) < MIN_TEXT_CHARS:
        return _fail(source, f"{prefix}empty text ({len(article.text)} characters, fewer than {MIN_TEXT_CHARS})")
    return article


_TOO_DEEP = "invalid JSON: nested too deeply"


def read_json(
    text: str,
    source: str,
    default_published: date | None,
    _max_bytes: int,
) -> Iterator[Article | ReadFailure]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield _fail(source, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        # The json module recurses per level; no article is nested this deep.
        yield _fail(source, _TOO_DEEP)
        return
    if isinstance(data, dict) and not _first(data, _TEXT_KEYS):
        # A wrapper object such as {"articles": [...]} or {"items": [...]}.
        lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(lists) == 1:
            data = lists[0]
    if isinstance(data, list):
        if not data:
            yield _fail(source, "empty JSON list")
            return
        for i, obj in enumerate(data, start=1):
            yield _record(obj, source=f"{source}#{i}", where=f"item {i}", default_published=default_published)
        return
    yield _record(data, source=source, where="", default_published=default_published)


def _bounded_lines(stream, limit: int) -> Iterator[str | bytes]:
    """Yield the lines of a text or binary stream, cutting a line at ``limit`` + 1.

    A cut line is longer than the limit, so the caller reports it; the rest of it is
    read and dropped, so a runaway line never sits in memory whole.
    """
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):
            while True:
                more = stream.readline(65536)
                if not more or more.endswith(b"\n" if isinstance(more, bytes) else "\n"):
                    break
        yield line


def _decode_line(line: bytes, first: bool) -> str:
    if first and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8) :]
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        # JSON is UTF-8 by RFC 8259, but exports from old tools are often cp1252.
        return decode_bytes(line)


def _jsonl_lines(
    lines: Iterable[str | bytes], source: str, default_published: date | None, max_bytes: int
) -> Iterator[Article | ReadFailure]:
    """Read JSON Lines one line at a time; a bad line is reported, the rest read."""
    seen = False
    for lineno, line in enumerate(lines, start=1):
        where = f"line {lineno}"
        line_source = f"{source}#{lineno}"
        if len(line) > max_bytes:
            seen = True
            yield _fail(line_source, f"{where}: longer than {_size(max_bytes)}", max_bytes)
            continue
        if isinstance(line, bytes):
            try:
                line = _decode_line(line, lineno == 1)
            except UnicodeDecodeError:
                seen = True
                yield _fail(line_source, f"{where}: undecodable bytes")
                continue
        elif lineno == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        seen = True
        if "\x00" in line:
            yield _fail(line_source, f"{where}: binary (NUL bytes)")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _fail(line_source, f"{where}: invalid JSON: {exc.msg}")
            continue
        except RecursionError:
            yield _fail(line_source, f"{where}: {_TOO_DEEP}")
            continue
        yield _record(obj, source=line_source, where=where, default_published=default_published)
    if not seen:
        yield _fail(source, "empty file")


def read_jsonl(
    text: str, source: str, default_published: date | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | ReadFailure]:
    # Split on "\n" only: JSON strings may hold U+2028, which str.splitlines breaks at.
    yield from _jsonl_lines(text.split("\n"), source, default_published, max_bytes)
