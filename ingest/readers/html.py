"""HTML pages and fragments: main text by trafilatura, the page structure as the fallback.

trafilatura finds the main text of a page; when it finds none, :func:`_fallback_main_text`
takes <article>, <main> or <body> minus page furniture. :func:`html_to_text` is the plain
visible text of a fragment (a feed item's content, an HTML field of a JSON record).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date

from kg.model import Article

from .common import _HTML_TAG, MIN_TEXT_CHARS, ReadFailure, _article, _fail, parse_date

# One logger for the whole package, named as before the split, so log filters keep working.
log = logging.getLogger("ingest.readers")

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


def read_html(
    text: str,
    source: str,
    default_published: date | None,
    _max_bytes: int,
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
