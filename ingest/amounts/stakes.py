"""Stake words read into a percentage: :func:`parse_stake` ("a 49% stake", "about 27
percent", "a quarter of")."""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.amounts.vocabulary import (
    _WORD_NUMBERS,
    _alt,
    _normalize,
    _whole,
)

_PERCENT = re.compile(
    r"(?<![\d.,])(?P<num>\d+(?:\.\d+)?)[\s-]*(?:%|percent\b|per\s*cent\b|"
    r"pct\b|pc\b)"
)
_WORD_PERCENT = re.compile(rf"(?<![a-z])(?P<wnum>{_alt(_WORD_NUMBERS)})[\s-]+(?:percent|per cent)\b")
# Exact fractions a text may state a share in; thirds and the like are not exact decimals.
_FRACTIONS = {
    "half": Decimal(50),
    "a half": Decimal(50),
    "one half": Decimal(50),
    "a quarter": Decimal(25),
    "one quarter": Decimal(25),
    "one-quarter": Decimal(25),
    "three quarters": Decimal(75),
    "three-quarters": Decimal(75),
    "a fifth": Decimal(20),
    "one fifth": Decimal(20),
    "one-fifth": Decimal(20),
    "two fifths": Decimal(40),
    "two-fifths": Decimal(40),
    "a tenth": Decimal(10),
    "one tenth": Decimal(10),
    "one-tenth": Decimal(10),
}
_FRACTION = re.compile(
    rf"(?<![a-z])(?P<frac>{_alt(_FRACTIONS)})(?:\s+(?:of|stake|share|"
    r"interest|ownership)\b|\s*$)"
)


def parse_stake(text: str) -> Decimal | None:
    """Read the share a text states ("a 49% stake", "about 27 percent") as a percentage.

    A stake given in words that name no number ("a minority stake", "a majority
    stake", "a controlling interest") gives None, and so does one given as a range
    ("10-15%"), as two numbers ("raised its stake from 20% to 49%"), over 100, or in a
    continental format ("49,5 %"). An exact fraction is the share it names: "a quarter
    of" is 25 and "half" 50, because the text states that share as precisely as "25%"
    would; "a third" gives None, since 33.33... is no exact number to store.

    Args:
        text: The stake words.

    Returns:
        The percentage (49 for "49%"), or None when the words state no single share.

    Raises:
        TypeError: ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"stake text must be a string, not {type(text).__name__}")
    s = _normalize(text)
    if re.search(r"\d,\d|percentage points?", s) or re.search(
        r"\d\s*(?:-|to)\s*\d+(?:\.\d+)?\s*(?:%|percent|per cent)", s
    ):
        return None
    found = [Decimal(m["num"]) for m in _PERCENT.finditer(s)]
    found += [Decimal(_WORD_NUMBERS[m["wnum"]]) for m in _WORD_PERCENT.finditer(s)]
    if not found:
        found = [_FRACTIONS[m["frac"]] for m in _FRACTION.finditer(s)]
    if len(found) != 1 or not 0 < found[0] <= 100:
        return None
    return _whole(found[0])
