"""Turn files, directories, uploads and stdin into :class:`kg.model.Article` records.

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

import codecs
import email.utils
import io
import itertools
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO, TextIO

from kg.model import Article

log = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = frozenset(
    {
        ".txt",
        ".text",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".json",
        ".jsonl",
        ".ndjson",
        ".xml",
        ".rss",
        ".atom",
    }
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The largest article text parsed (UTF-8 bytes): about 350,000 words, minutes of parsing.
DEFAULT_MAX_ARTICLE_BYTES = 2 * 1024 * 1024
# Below this many characters of text there is nothing worth extracting relations from.
MIN_TEXT_CHARS = 20

_FORMAT_BY_EXT = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}

_FORMAT_BY_MEDIA_TYPE = {
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/jsonlines": "jsonl",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/rdf+xml": "feed",
}

# Field names tried in order; the first present, non-empty one wins.
_TEXT_KEYS = ("text", "content", "body", "article", "articleBody")
_TITLE_KEYS = ("title", "headline")
_URL_KEYS = ("url", "link", "href")
_DATE_KEYS = ("published", "date", "published_at", "pubDate", "datePublished", "publication_date")

# Signatures of common binary formats, so the reason names what the file is.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"RIFF", "RIFF media"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls other than tab, newline, carriage return and form feed never occur in prose.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


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


# ----------------------------------------------------------------------- decoding


def _binary_kind(data: bytes, *, lines: bool = False) -> str | None:
    """Return why the bytes are not text, or None when they may be.

    With ``lines`` (JSON Lines) only a binary signature condemns the whole input: NUL
    bytes are judged line by line, so one bad line does not lose the good ones.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({kind})"
    if lines or any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in data[:65536]:
        return "binary file (NUL bytes)"
    return None


def _mostly_ascii_letters(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    return sum(c.isascii() for c in letters) / len(letters) >= 0.9


_DOC_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I
)


def _document_charset(data: bytes) -> str | None:
    """Return the charset an HTML <meta> or XML declaration names, if any."""
    m = _DOC_CHARSET.search(data[:4096])
    if not m:
        return None
    return (m[1] or m[2]).decode("ascii", "replace")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode the bytes of a text file whatever its encoding.

    Order: a byte-order mark; the charset the transport declared; strict UTF-8; the
    charset the document declares (HTML <meta>, XML declaration), which comes after
    UTF-8 because pages often declare latin-1 and are saved as UTF-8; Windows-1252 when
    the result is mostly ASCII letters (English news with a few accented names, which
    charset detection guesses wrong on short texts); charset-normalizer otherwise.

    Args:
        data: the file's bytes.
        declared: a charset the transport declared (HTTP Content-Type), if any.

    Returns:
        The text.

    Raises:
        UnicodeDecodeError: when no encoding fits, or the text holds control characters.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            log.debug("declared charset %r does not fit; detecting", declared)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    in_document = _document_charset(data)
    if in_document:
        try:
            text = data.decode(in_document)
        except (LookupError, UnicodeDecodeError):
            text = None
        if text is not None and not _CONTROL.search(text):
            return text
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _CONTROL.search(text) and _mostly_ascii_letters(text):
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no text encoding fits")
    text = str(best)
    if _CONTROL.search(text):
        raise UnicodeDecodeError(best.encoding, data[:1], 0, 1, "control characters")
    return text


# ---------------------------------------------------------------- format sniffing


def sniff_format(text: str) -> str:
    """Guess a text's format from its content.

    Args:
        text: the decoded content.

    Returns:
        One of "jsonl", "json", "feed", "html", "markdown", "text".
    """
    head = text.lstrip("\ufeff \t\r\n")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines):
        return "jsonl"
    if head.startswith("[") or head.startswith("{"):
        return "json"
    low = head[:2048].lower()
    if low.startswith("<?xml") or low.startswith("<rss") or low.startswith("<feed"):
        if re.search(r"<(rss|feed|rdf:rdf)\b", low):
            return "feed"
        if "<html" in low:
            return "html"
        return "feed"
    if re.match(r"<!doctype html|<html\b", low) or re.search(r"<(body|article|p|div)\b[^>]*>", low):
        return "html"
    if re.match(r"---\s*\n", head) and re.search(r"\n---\s*(\n|$)", head[3:]):
        return "markdown"
    return "text"


# ------------------------------------------------------------------ plain text


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


def _read_text(
    text: str,
    source: str,
    default_published: date | None,
) -> Iterator[Article | ReadFailure]:
    yield _article(text, source=source, published=default_published)


# -------------------------------------------------------------------- markdown

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_HRULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_BLOCKQUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_INLINE_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# Single underscores only count at word edges, so snake_case and "C_1" survive.
_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _strip_inline(line: str) -> str:
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _INLINE_CODE.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    line = _EM_STAR.sub(r"\1", line)
    line = _EM_UNDER.sub(r"\1", line)
    line = _STRIKE.sub(r"\1", line)
    return _HTML_TAG.sub("", line)


def strip_markdown(md: str) -> tuple[str, str | None]:
    """Return the plain text of a Markdown body and its first heading.

    Heading markers, emphasis, link targets, images, reference definitions, rules,
    blockquote and bullet markers go; link text and code (fenced or inline) stay as text.
    Lines wrapped inside a paragraph are joined, as Markdown renders them, so a sentence
    never holds a line break the parser would trip on.

    Args:
        md: the Markdown body without front matter.

    Returns:
        (text, first heading or None).
    """
    out: list[str] = []
    # Whether the last line of ``out`` is paragraph text a following line continues.
    open_paragraph = False
    first_heading: str | None = None
    in_fence = False

    def emit(line: str, joinable: bool) -> None:
        nonlocal open_paragraph
        if joinable and open_paragraph and line.strip():
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
        open_paragraph = joinable and bool(line.strip())

    for line in md.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            open_paragraph = False
            continue
        if in_fence:
            emit(line, False)
            continue
        if _SETEXT_RULE.match(line) and open_paragraph:
            # "Title\n=====": the previous line was the heading.
            if first_heading is None:
                first_heading = out[-1].strip()
            open_paragraph = False
            continue
        if _HRULE.match(line) or _REF_DEF.match(line):
            open_paragraph = False
            continue
        m = _HEADING.match(line)
        if m:
            text = _strip_inline(m[1]).strip()
            if first_heading is None:
                first_heading = text
            open_paragraph = False
            emit(text, False)
            open_paragraph = False
            continue
        line = _BLOCKQUOTE.sub("", line)
        if _BULLET.match(line) or re.match(r"^\s*\d+[.)]\s+", line):
            # A list item starts its own line; its wrapped continuation joins it.
            open_paragraph = False
            line = _BULLET.sub(r"\1", line)
        emit(_strip_inline(line), True)
    return "\n".join(out), first_heading


def _yaml_reason(exc: Exception) -> str:
    problem = getattr(exc, "problem", None)
    mark = getattr(exc, "problem_mark", None)
    if problem and mark is not None:
        # Marks count from 0 and the block python-frontmatter hands to YAML starts with
        # the newline after the opening "---", so mark.line + 1 is the file's line.
        reason = f"{problem} (line {mark.line + 1})"
        context = getattr(exc, "context", None)
        context_mark = getattr(exc, "context_mark", None)
        if context and context_mark is not None:
            reason += f", {context} started on line {context_mark.line + 1}"
        return reason
    return _one_line(exc)


def _read_markdown(
    text: str,
    source: str,
    default_published: date | None,
) -> Iterator[Article | ReadFailure]:
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        yield _fail(source, f"invalid front matter: {_yaml_reason(exc)}")
        return
    meta = post.metadata if isinstance(post.metadata, dict) else {}
    body, heading = strip_markdown(post.content)
    raw_date = _first(meta, _DATE_KEYS)
    yield _article(
        body,
        source=source,
        url=_str_or_none(_first(meta, _URL_KEYS)),
        title=_str_or_none(_first(meta, _TITLE_KEYS)) or heading,
        published=_date_or_default(raw_date, default_published, source),
    )


# ------------------------------------------------------------------------ HTML

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "table",
        "br",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "hr",
    }
)
# Class/id words of page furniture that is not in a <nav>/<footer> element. Matched
# against whole words of class and id values ("cookie-banner" -> cookie, banner), so
# "shareable" or "commentary" do not take an article body with them.
_BOILERPLATE_WORDS = frozenset(
    {
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "banner",
        "newsletter",
        "subscribe",
        "subscription",
        "share",
        "sharing",
        "social",
        "related",
        "promo",
        "advert",
        "ad",
        "ads",
        "advertisement",
        "sidebar",
        "breadcrumb",
        "breadcrumbs",
        "comments",
        "paywall",
        "popup",
        "modal",
        "masthead",
        "menu",
    }
)
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})


def _is_furniture(el) -> bool:
    if el.tag in ("html", "body", "article", "main") or el.getparent() is None:
        return False
    if el.get("role") in _FURNITURE_ROLES:
        return True
    words = re.split(r"[\s_-]+", f"{el.get('class', '')} {el.get('id', '')}".lower())
    if not _BOILERPLATE_WORDS.intersection(words):
        return False
    # A wrapper that holds the article is not furniture, whatever its class says.
    return not el.xpath(".//article|.//main")


def _parse_html(html: str):
    import lxml.html
    from lxml import etree

    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        # lxml refuses str input that carries an XML encoding declaration.
        try:
            return lxml.html.document_fromstring(html.encode("utf-8"))
        except (etree.ParserError, ValueError):
            return None


_WS_RUN = re.compile(r"\s+")


def _element_text(el) -> str:
    """Return an element's text with block elements on their own lines."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text and tag:
            parts.append(_WS_RUN.sub(" ", node.text))
        for child in node:
            walk(child)
            if child.tail:
                parts.append(_WS_RUN.sub(" ", child.tail))
        if tag in _BLOCK_TAGS:
            parts.append("\n")

    # Newlines in the HTML source are just spaces; only block elements break lines.
    walk(el)
    lines = [re.sub(r" {2,}", " ", ln).strip() for ln in "".join(parts).split("\n")]
    return "\n\n".join(ln for ln in lines if ln)


def html_to_text(html: str) -> str:
    """Return the visible text of an HTML fragment, scripts and styles removed.

    Args:
        html: an HTML fragment or page (a feed item's content, a JSON field).

    Returns:
        Its text, one paragraph per block element.
    """
    if "<" not in html:
        return html
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _HTML_TAG.sub(" ", html)
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return _element_text(root)


def _fallback_main_text(root) -> str:
    """Return the text of <article>, else <main>, else <body>, minus page furniture."""
    import copy

    root = copy.deepcopy(root)
    for el in root.xpath("//" + "|//".join(_DROP_TAGS)):
        el.drop_tree()
    for el in root.xpath("//*[@class or @id or @role]"):
        if _is_furniture(el):
            el.drop_tree()
    for xpath in ("//article", "//main", "//*[@role='main']", "//body"):
        found = root.xpath(xpath)
        if found:
            text = "\n\n".join(_element_text(el) for el in found)
            if len(text.strip()) >= MIN_TEXT_CHARS:
                return text
    return ""


def _meta(root, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = root.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if found and found[0].strip():
                return found[0].strip()
    return None


def _read_html(
    text: str,
    source: str,
    default_published: date | None,
) -> Iterator[Article | ReadFailure]:
    import trafilatura

    root = _parse_html(text)
    if root is None:
        yield _fail(source, "not parseable as HTML")
        return
    title = _meta(root, "og:title", "twitter:title")
    if not title:
        found = root.xpath("//title/text()") or root.xpath("//h1//text()")
        title = " ".join(found[0].split()) if found else None
    canonical = root.xpath("//link[@rel='canonical']/@href")
    url = canonical[0].strip() if canonical and canonical[0].strip() else _meta(root, "og:url")
    raw_date = _meta(
        root, "article:published_time", "datePublished", "date", "pubdate", "publish-date", "dc.date", "DC.date.issued"
    )
    if raw_date is None:
        times = root.xpath("//time/@datetime")
        raw_date = times[0] if times else None
    published = parse_date(raw_date)
    body = trafilatura.extract(
        text, favor_precision=True, include_comments=False, include_tables=True, output_format="txt", deduplicate=False
    )
    if not body or len(body.strip()) < MIN_TEXT_CHARS:
        log.debug("%s: trafilatura found no main text; using the page structure", source)
        body = _fallback_main_text(root)
    if published is None:
        try:
            meta = trafilatura.extract_metadata(root)
        except (ValueError, TypeError) as exc:
            log.debug("%s: no metadata: %s", source, exc)
            meta = None
        if meta is not None and meta.date:
            published = parse_date(meta.date)
        if meta is not None and not title and meta.title:
            title = meta.title
    if not body or len(body.strip()) < MIN_TEXT_CHARS:
        yield _fail(source, "HTML page with no main text")
        return
    yield _article(body, source=source, url=url, title=title, published=published or default_published)


# ------------------------------------------------------------------------ JSON


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


def _read_json(
    text: str,
    source: str,
    default_published: date | None,
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


def _read_jsonl(
    text: str, source: str, default_published: date | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | ReadFailure]:
    # Split on "\n" only: JSON strings may hold U+2028, which str.splitlines breaks at.
    yield from _jsonl_lines(text.split("\n"), source, default_published, max_bytes)


# ----------------------------------------------------------------------- feeds


def _read_feed(
    data: bytes | str,
    source: str,
    default_published: date | None,
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


# ---------------------------------------------------------------------- dispatch


def _read_decoded(
    text: str, fmt: str, source: str, default_published: date | None, max_bytes: int
) -> Iterator[Article | ReadFailure]:
    if fmt == "markdown":
        yield from _read_markdown(text, source, default_published)
    elif fmt == "html":
        yield from _read_html(text, source, default_published)
    elif fmt == "json":
        yield from _read_json(text, source, default_published)
    elif fmt == "jsonl":
        yield from _read_jsonl(text, source, default_published, max_bytes)
    elif fmt == "feed":
        yield from _read_feed(text, source, default_published)
    else:
        yield from _read_text(text, source, default_published)


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
    if fmt == "feed":
        # feedparser honours the XML encoding declaration itself.
        yield from _read_feed(data, source, default_published)
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
        if fmt == "feed":
            yield from _read_feed(data, source, default_published)
            return
    yield from _read_decoded(text, fmt, source, default_published, max_bytes)


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
    if fmt in ("text", "markdown") and max_article_bytes is not None and size > max_article_bytes:
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


def iter_articles(paths: Iterable[str | os.PathLike], **kw) -> Iterator[Article]:
    """Read articles like :func:`read_paths`, dropping failures (logged at WARNING).

    Args:
        paths: files, directories, or "-".
        **kw: passed to :func:`read_paths`.

    Returns:
        A generator of Article records.
    """
    for item in read_paths(paths, **kw):
        if isinstance(item, Article):
            yield item
        else:
            log.warning("skipped %s: %s", item.source, item.reason)
