"""Where input comes from: files, directories, stdin and uploaded bodies.

:func:`read_paths` walks directories, reads each file (the format from its suffix, else
from its content) and reads "-" from stdin; :func:`read_bytes` reads an upload or a
fetched body; :func:`read` and :func:`iter_articles` keep the articles and log the rest.
Each of them hands the bytes to :func:`~ingest.readers.registry._read_data`, which picks
the reader from :data:`~ingest.readers.registry.FORMATS`.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO, TextIO

from kg.model import Article

from .common import DEFAULT_MAX_ARTICLE_BYTES, DEFAULT_MAX_BYTES, ReadFailure, _fail, _one_line, _too_large, _within
from .decoding import _BOMS, _binary_kind
from .jsonl import _bounded_lines, _jsonl_lines
from .registry import _FORMAT_BY_EXT, _FORMAT_BY_MEDIA_TYPE, FORMATS, _read_data

# One logger for the whole package, named as before the split, so log filters keep working.
log = logging.getLogger("ingest.readers")


def _read_file(
    path: Path, *, default_published: date | None, max_bytes: int, max_article_bytes: int | None = None
) -> Iterator[Article | ReadFailure]:
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        reason = "broken symlink" if path.is_symlink() else "no such file"
        yield _fail(source, f"unreadable: {reason}")
        return
    except OSError as exc:
        yield _fail(source, f"unreadable: {exc.strerror or _one_line(exc)}")
        return
    if size > max_bytes and path.suffix.lower() not in (".jsonl", ".ndjson"):
        yield _too_large(source, "file", size, max_bytes)
        return
    fmt = _FORMAT_BY_EXT.get(path.suffix.lower())
    if fmt is not None and FORMATS[fmt].one_article and max_article_bytes is not None and size > max_article_bytes:
        # One article per file, about as long as the file: not worth reading to measure.
        yield _too_large(source, "article", size, max_article_bytes)
        return
    try:
        if fmt == "jsonl":
            yield from _read_jsonl_file(path, default_published, max_bytes)
            return
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        yield _fail(source, f"unreadable: {exc.strerror or _one_line(exc)}")
        return
    yield from _read_data(
        data, source=source, fmt=fmt, charset=None, default_published=default_published, max_bytes=max_bytes
    )


def _read_jsonl_file(
    path: Path,
    default_published: date | None,
    max_bytes: int,
) -> Iterator[Article | ReadFailure]:
    """Stream a JSON Lines file line by line; the size limit applies to each line."""
    source = str(path)
    with path.open("rb") as fh:
        head = fh.read(4096)
        if not head.strip():
            yield _fail(source, "empty file")
            return
        if any(head.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
            # UTF-16/32 lines cannot be split on the byte b"\n"; read the file whole.
            if path.stat().st_size > max_bytes:
                yield _too_large(source, "file", path.stat().st_size, max_bytes)
                return
            yield from _read_data(
                head + fh.read(),
                source=source,
                fmt="jsonl",
                charset=None,
                default_published=default_published,
                max_bytes=max_bytes,
            )
            return
        reason = _binary_kind(head, lines=True)
        if reason:
            yield _fail(source, reason)
            return
        fh.seek(0)
        yield from _jsonl_lines(_bounded_lines(fh, max_bytes), source, default_published, max_bytes)


def _walk(directory: Path, seen: set[str]) -> Iterator[Path]:
    """Yield the files under a directory in path order, skipping hidden entries."""
    real = os.path.realpath(directory)
    if real in seen:
        log.warning("skipped %s: directory symlink loop", directory)
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        log.debug("cannot list %s: %s", directory, exc.strerror)
        yield directory  # read_paths reports it as an unreadable directory
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, seen)
        else:
            yield path


# Enough of stdin to tell JSON Lines from a single document.
_STDIN_SNIFF = 65536


def _read_stdin(
    stream: TextIO | BinaryIO | None, default_published: date | None, max_bytes: int
) -> Iterator[Article | ReadFailure]:
    """Read "-": JSON Lines stream line by line; anything else is read whole and sniffed."""
    if stream is None:
        stream = sys.stdin
    # Prefer the bytes under a text stream, so the encoding is detected, not assumed.
    stream = getattr(stream, "buffer", stream)
    head = stream.read(_STDIN_SNIFF)
    is_bytes = isinstance(head, bytes)
    if len(head) == _STDIN_SNIFF:
        head += stream.readline(max_bytes)  # finish the line the sniff cut
    sample = head.decode("utf-8", "replace") if is_bytes else head
    lines = [ln for ln in sample.lstrip("\ufeff").split("\n") if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines) and not (is_bytes and _binary_kind(head)):
        first = io.BytesIO(head) if is_bytes else io.StringIO(head, newline="\n")
        yield from _jsonl_lines(
            itertools.chain(first, _bounded_lines(stream, max_bytes)), "-", default_published, max_bytes
        )
        return
    if len(head) <= max_bytes:
        head += stream.read(max_bytes + 1 - len(head))
    data = head if is_bytes else head.encode("utf-8")
    yield from _read_data(
        data,
        source="-",
        fmt=None,
        charset=None if is_bytes else "utf-8",
        default_published=default_published,
        max_bytes=max_bytes,
    )


def read_paths(
    paths: Iterable[str | os.PathLike],
    *,
    stdin: TextIO | BinaryIO | None = None,
    default_published: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_article_bytes: int | None = DEFAULT_MAX_ARTICLE_BYTES,
) -> Iterator[Article | ReadFailure]:
    """Read articles from files, directories and stdin, one at a time.

    Directories are walked recursively in path order, hidden entries skipped. The format
    comes from the extension (see :data:`SUPPORTED_EXTENSIONS`), else from the content.
    "-" reads stdin: JSON Lines when every non-empty line starts with "{", else the
    content is sniffed like a file without extension (plain text in the common case).

    Args:
        paths: files, directories, or "-".
        stdin: the stream "-" reads (text or binary); defaults to ``sys.stdin``.
        default_published: the date of articles that carry none.
        max_bytes: files larger than this are reported and skipped (for JSON Lines the
            limit applies to each line, so a large corpus file still streams).
        max_article_bytes: articles whose text is larger than this (UTF-8 bytes) are
            reported and skipped; None for no limit.

    Returns:
        A generator of Article records and ReadFailure reports, in input order.
    """
    yield from _within(_read_paths(paths, stdin, default_published, max_bytes, max_article_bytes), max_article_bytes)


def _read_paths(
    paths: Iterable[str | os.PathLike],
    stdin: TextIO | BinaryIO | None,
    default_published: date | None,
    max_bytes: int,
    max_article_bytes: int | None,
) -> Iterator[Article | ReadFailure]:
    for p in paths:
        if str(p) == "-":
            yield from _read_stdin(stdin, default_published, max_bytes)
            continue
        path = Path(p)
        if path.is_dir():
            for file in _walk(path, set()):
                if file.is_dir():
                    yield _fail(str(file), "unreadable directory")
                    continue
                yield from _read_file(
                    file, default_published=default_published, max_bytes=max_bytes, max_article_bytes=max_article_bytes
                )
        else:
            yield from _read_file(
                path, default_published=default_published, max_bytes=max_bytes, max_article_bytes=max_article_bytes
            )


def read_bytes(
    data: bytes,
    *,
    name: str,
    content_type: str | None = None,
    default_published: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_article_bytes: int | None = DEFAULT_MAX_ARTICLE_BYTES,
) -> Iterator[Article | ReadFailure]:
    """Read articles from an uploaded body.

    The format comes from the content type, else the name's extension, else the content.

    Args:
        data: the body.
        name: the upload's file name; used as the source and for its extension.
        content_type: the declared media type, optionally with a charset parameter.
        default_published: the date of articles that carry none.
        max_bytes: a body larger than this is reported and skipped.
        max_article_bytes: articles whose text is larger than this (UTF-8 bytes) are
            reported and skipped; None for no limit.

    Returns:
        A generator of Article records and ReadFailure reports.
    """
    fmt = None
    charset = None
    if content_type:
        media, _, params = content_type.partition(";")
        fmt = _FORMAT_BY_MEDIA_TYPE.get(media.strip().lower())
        m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.I)
        charset = m[1] if m else None
    if fmt is None:
        fmt = _FORMAT_BY_EXT.get(Path(name).suffix.lower())
    yield from _within(
        _read_data(
            data, source=name, fmt=fmt, charset=charset, default_published=default_published, max_bytes=max_bytes
        ),
        max_article_bytes,
    )


def read(path: str | os.PathLike, **kw) -> Iterator[Article]:
    """Read the articles of one file, directory or "-", dropping failures (logged at WARNING).

    The reader is the one :data:`~ingest.readers.registry.FORMATS` names for the file's
    suffix, else for its content.

    Args:
        path: a file, a directory, or "-".
        **kw: passed to :func:`read_paths`.

    Returns:
        A generator of Article records.
    """
    for item in read_paths([path], **kw):
        if isinstance(item, Article):
            yield item
        else:
            log.warning("skipped %s: %s", item.source, item.reason)


def iter_articles(paths: Iterable[str | os.PathLike], **kw) -> Iterator[Article]:
    """Read articles like :func:`read_paths`, dropping failures (logged at WARNING).

    Args:
        paths: files, directories, or "-".
        **kw: passed to :func:`read_paths`.

    Returns:
        A generator of Article records.
    """
    for path in paths:
        yield from read(path, **kw)
