"""Text handling around the model: masking page furniture, cutting long texts, batching by characters.

Every function keeps offsets: a masked text is as long as the original, and the spans
:func:`split_text` returns cover the text in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def _char_batches(
    items: Iterable[tuple[str, object]],
    size: int,
    chars: int,
) -> Iterator[list[tuple[str, object]]]:
    """Group (text, context) pairs into lists of at most ``size`` items and ``chars`` characters.

    A single text longer than ``chars`` makes a batch of its own.
    """
    batch: list[tuple[str, object]] = []
    total = 0
    for text, ctx in items:
        if batch and (len(batch) >= size or total + len(text) > chars):
            yield batch
            batch, total = [], 0
        batch.append((text, ctx))
        total += len(text)
    if batch:
        yield batch


# Page furniture inside sentences that the parser would read as words: a news site's
# link marker and stock tickers ("Microsoft (MSFT.O), opens new tab, said"). An
# exchange-suffixed or exchange-prefixed ticker only, so "(FTC)" stays.
_ARTIFACTS = re.compile(
    r",?\s*opens new tab"
    r"|\((?:(?:NYSE|NASDAQ|Nasdaq|NYSE American|TSX|LSE|HKEX|SEHK|TYO|KRX|ASX|Euronext|XETRA|SIX|OTC)"
    r"\s*:\s*[A-Za-z0-9.\-]{1,12}|[A-Z0-9]{1,6}\.[A-Z]{1,2})\)"
)


def mask_artifacts(text: str) -> str:
    """Return ``text`` with tickers and link markers blanked out, every offset unchanged."""
    return _ARTIFACTS.sub(lambda m: " " * len(m.group(0)), text)


_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"')\]]*\s+"), re.compile(r"\s+"))


def split_text(text: str, limit: int) -> list[tuple[int, int]]:
    """Cut a text into consecutive spans of at most ``limit`` characters.

    Each cut falls after the last paragraph break before the limit, else the last line
    break, sentence end or space; only a text with none of these is cut mid-word.

    Args:
        text: the text.
        limit: the largest span length (positive).

    Returns:
        ``(start, end)`` pairs covering the text in order; one pair for a short text.
    """
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        end = start + limit
        cut = None
        for pattern in _CUTS:
            last = None
            for m in pattern.finditer(text, start + limit // 2, end):
                last = m
            if last is not None:
                cut = last.end()
                break
        cut = cut if cut is not None and cut > start else end
        spans.append((start, cut))
        start = cut
    spans.append((start, n))
    return spans
