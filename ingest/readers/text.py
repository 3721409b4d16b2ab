"""Plain text (``.txt``, ``.text``, ``text/plain``): the whole file is one article."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from kg.model import Article

from .common import ReadFailure, _article


def read_text(
    text: str,
    source: str,
    default_published: date | None,
    _max_bytes: int,
) -> Iterator[Article | ReadFailure]:
    yield _article(text, source=source, published=default_published)
