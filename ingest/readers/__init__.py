"""Turn files, directories, uploads and stdin into :class:`kg.model.Article` records.

Owns: one module per input format (:mod:`.text`, :mod:`.markdown`, :mod:`.html`,
:mod:`.jsonl` for JSON and JSON Lines, :mod:`.feeds` for RSS/Atom), the registry that
maps a suffix or media type to its reader (:mod:`.registry`, :data:`FORMATS`), where
input comes from (:mod:`.sources`: files, directories, stdin, uploads), decoding and
format sniffing (:mod:`.decoding`), and what they share (:mod:`.common`). Adding a
format is one module and one entry in :data:`FORMATS`.

May import: :mod:`kg.model` (the Article it builds) and the libraries made for each
format (trafilatura and lxml for HTML, feedparser, python-frontmatter); never the store,
:mod:`api` or :mod:`aikg`. Fetching from the web is :mod:`ingest.fetch`'s, which reads
what it fetched through :func:`read_bytes`.

Readers are forgiving in batches: a file that cannot be read (binary, empty, malformed,
too large, unreadable) is reported as a :class:`ReadFailure` (and logged at INFO; the
caller reports it to the user, once), and the batch goes on. Everything is a generator,
so a corpus is never held in memory whole.

Two size limits keep time and memory bounded: a file over ``max_bytes`` (20 MB) is not
read (for JSON Lines the limit applies to each line), and an article whose text is over
``max_article_bytes`` (2 MB of UTF-8) is skipped rather than parsed; plain-text and
Markdown files are measured by their size, before they are read.
"""

from __future__ import annotations

from .common import DEFAULT_MAX_ARTICLE_BYTES, DEFAULT_MAX_BYTES, MIN_TEXT_CHARS, ReadFailure, parse_date
from .decoding import decode_bytes, sniff_format
from .html import html_to_text
from .markdown import strip_markdown
from .registry import FORMATS, SUPPORTED_EXTENSIONS, Format
from .sources import iter_articles, read, read_bytes, read_paths

# Helpers other modules use: the fetcher (ingest.fetch), the drivers' byte counts
# (aikg.ingest_run, api.watch) and the main-text benchmark.
from .common import _clean_title as _clean_title  # isort: skip
from .common import _fail as _fail  # isort: skip
from .common import _size as _size  # isort: skip
from .html import _fallback_main_text as _fallback_main_text  # isort: skip
from .html import _parse_html as _parse_html  # isort: skip

__all__ = [
    "DEFAULT_MAX_ARTICLE_BYTES",
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "MIN_TEXT_CHARS",
    "SUPPORTED_EXTENSIONS",
    "Format",
    "ReadFailure",
    "decode_bytes",
    "html_to_text",
    "iter_articles",
    "parse_date",
    "read",
    "read_bytes",
    "read_paths",
    "sniff_format",
    "strip_markdown",
]
