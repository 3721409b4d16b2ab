"""Markdown (``.md``, ``.markdown``): YAML front matter for the fields, the syntax stripped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from kg.model import Article

from .common import (
    _DATE_KEYS,
    _HTML_TAG,
    _TITLE_KEYS,
    _URL_KEYS,
    ReadFailure,
    _article,
    _date_or_default,
    _fail,
    _first,
    _one_line,
    _str_or_none,
)

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


def read_markdown(
    text: str,
    source: str,
    default_published: date | None,
    _max_bytes: int,
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
