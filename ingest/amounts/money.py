"""Money words read into a value and a currency: :func:`parse_amount`, the :class:`Amount`
it returns, the reasons an amount has no value, and the patterns of one amount and of a range."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.amounts.vocabulary import (
    _MAGNITUDES,
    _PREFIX_CURRENCIES,
    _SUFFIX_CURRENCIES,
    _WORD_NUMBERS,
    _alt,
    _normalize,
    _whole,
)

# Reasons an amount has no value (one plain line each; callers may show them).
RANGE = "a range, not one value"
VAGUE = "vague amount"
NO_CURRENCY = "no currency named"
NO_AMOUNT = "no amount in the words"
SEVERAL = "more than one amount"
FOREIGN_FORMAT = "not an English number format (decimal comma or Mrd./Mio.)"
REVERSED = "range with its low end above its high end"
TWO_CURRENCIES = "two different currencies"
INEXACT = "a fraction with no exact value (a third of a billion)"


@dataclass(frozen=True)
class Amount:
    """Money words and the number they state.

    Attributes:
        text: The money words as written.
        value: The amount in the currency's unit; None for ranges, vague or refused words.
        currency: ISO 4217 code ("USD", "EUR", ...); None when the words name none.
        low: Low end of a range ("between $5 and $10 billion"); None otherwise.
        high: High end of a range; None otherwise.
        reason: Why there is no value (one line); None when there is one.
    """

    text: str
    value: Decimal | None = None
    currency: str | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    reason: str | None = None


_PRE = rf"(?:(?<![a-z])(?P<pre>{_alt(_PREFIX_CURRENCIES)}))"
_DIGITS = r"(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)(?!\d)"
_MAG = rf"(?P<mag>{_alt(_MAGNITUDES)})(?![a-z])"
# After a word number only a spelled-out magnitude counts ("two billion"; "a t" is not).
_WORD_MAGNITUDES = ("thousand", "million", "billion", "trillion", "milliard", "crore", "crores", "lakh", "lakhs")
_WORDS = (
    rf"(?<![a-z])(?P<wnum>{_alt(_WORD_NUMBERS)})"
    rf"(?:[\s-]+(?P<wmag>{_alt(_WORD_MAGNITUDES)}))?(?![a-z])"
)
_SUF = rf"(?P<suf>{_alt(_SUFFIX_CURRENCIES)})(?![a-z])"
# One amount: currency?, number, magnitude?, currency?. Matches with none of the three
# around the number are bare numbers, kept only as the low end of a range ("5 to 10
# billion dollars"), so the article "a" is never read as one.
_AMOUNT = re.compile(
    rf"{_PRE}?\s?(?:{_DIGITS}(?:\s*-?\s*{_MAG})?|{_WORDS})"
    rf"(?:\s*(?:of\s+)?{_SUF})?(?!\s*(?:%|percent|per cent))"
)
# A continental number: decimal comma ("1,5"), dotted thousands ("1.500.000"), or a
# German/French magnitude word.
_FOREIGN = re.compile(
    r"\d,\d{1,2}(?![\d,])|\d\.\d{3}\.\d{3}|\b(?:mrd|mio|milliarden?|"
    r"millionen?|md|mds|tsd)\b\.?"
)
_VAGUE = re.compile(
    r"\b(?:billions|trillions|thousands|hundreds of|tens of|multi-?(?:million|billion|"
    r"trillion)|several (?:million|billion|trillion)|a few (?:million|billion|trillion)|"
    r"undisclosed|unspecified|unknown|unrevealed|a fortune|a lot of money|"
    r"(?:a )?couple of (?:million|billion|trillion)|a handful of)\b"
    r"|^millions\b|\bmillions of\b"
)
_BARE_NUMBER = re.compile(rf"\d|(?<![a-z])(?:{_alt(set(_WORD_NUMBERS) - {'a', 'an', 'a half'})})(?![a-z])")
# A fraction of a magnitude: "a quarter of a billion dollars" is 250000000; thirds have
# no exact value and are refused rather than rounded.
_FRACTIONS_OF = {
    "a quarter": "0.25",
    "one quarter": "0.25",
    "quarter": "0.25",
    "half": "0.5",
    "one half": "0.5",
    "a half": "0.5",
    "three quarters": "0.75",
    "three-quarters": "0.75",
    "a tenth": "0.1",
    "a third": None,
    "one third": None,
    "one-third": None,
    "two thirds": None,
    "two-thirds": None,
}
_FRACTION_OF = re.compile(
    rf"(?<![a-z])(?P<frac>{_alt(_FRACTIONS_OF)})\s+of\s+an?\s+"
    rf"(?P<mag>{_alt(_WORD_MAGNITUDES)})(?![a-z])"
)
# "one and a half billion", "2 and a half million": the half joins the number.
_AND_A_HALF = re.compile(
    rf"(?<![a-z\d.])(?P<n>\d+|{_alt(_WORD_NUMBERS)})\s+and\s+a\s+half"
    rf"(?=\s*-?\s*(?:{_alt(_WORD_MAGNITUDES)})(?![a-z]))"
)
_RANGE_BETWEEN = re.compile(r"(?:between|from)\s*$")
_RANGE_JOIN = re.compile(r"\s*(?:-|to|and|through|or)\s*")


def _currency_named(s: str) -> str | None:
    """The currency the words name anywhere ("billions of dollars" -> USD), or None."""
    for m in re.finditer(rf"{_PRE}|(?<![a-z]){_SUF}", s):
        code = _PREFIX_CURRENCIES.get(m["pre"]) if m["pre"] else _SUFFIX_CURRENCIES[m["suf"]]
        return code
    return None


def _number(m: re.Match[str]) -> Decimal | None:
    """The number of one amount match, before its magnitude; None if malformed."""
    if m["wnum"]:
        return Decimal(_WORD_NUMBERS[m["wnum"]])
    digits = m["num"]
    if "," in digits:
        head, *groups = digits.split(",")
        last = groups[-1].split(".")[0]
        indian = m["pre"] in ("rs", "rs.", "₹", "inr") or m["suf"] in ("rupees", "inr")
        ok_groups = all(len(g.split(".")[0]) == 3 for g in groups)
        if not ok_groups and indian:
            ok_groups = len(last) == 3 and all(len(g) == 2 for g in groups[:-1])
        if not ok_groups or not head or len(head) > 3:
            return None
    try:
        return Decimal(digits.replace(",", ""))
    except ArithmeticError:
        return None


def parse_amount(text: str) -> Amount:
    """Read money words into a value and an ISO 4217 currency.

    Args:
        text: The money words (a spaCy MONEY entity, possibly with a word or two around
            it: "a $300 million round").

    Returns:
        The amount; ``reason`` says why when ``value`` is None.

    Raises:
        TypeError: ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"amount text must be a string, not {type(text).__name__}")
    s = _normalize(text)
    if _FOREIGN.search(s):
        return Amount(text, reason=FOREIGN_FORMAT)
    if _VAGUE.search(s):
        return Amount(text, currency=_currency_named(s), reason=VAGUE)
    fraction = _FRACTION_OF.search(s)
    if fraction and _FRACTIONS_OF[fraction["frac"]] is None:
        return Amount(text, currency=_currency_named(s), reason=INEXACT)
    s = _FRACTION_OF.sub(lambda m: f"{_FRACTIONS_OF[m['frac']]} {m['mag']}", s)
    s = _AND_A_HALF.sub(lambda m: f"{Decimal(_WORD_NUMBERS.get(m['n'], m['n'])) + Decimal('0.5')}", s)
    matches = _amounts(s)
    if not matches:
        if _BARE_NUMBER.search(s):
            return Amount(text, currency=_currency_named(s), reason=NO_CURRENCY)
        return Amount(text, currency=_currency_named(s), reason=NO_AMOUNT)
    numbers = [_number(m) for m in matches]
    if any(n is None for n in numbers):
        return Amount(text, currency=_currency_named(s), reason=FOREIGN_FORMAT)
    currencies = {_code(m) for m in matches} - {None}
    if len(currencies) > 1:
        if len(matches) == 2 and s[matches[1].start() - 1 : matches[1].start()] == "(":
            matches, numbers = matches[:1], numbers[:1]  # "€1.7 billion ($1.9 billion)"
            currencies = {_code(matches[0])} - {None}
        else:
            return Amount(text, reason=TWO_CURRENCIES)
    currency = next(iter(currencies), None)
    if len(matches) == 1:
        m, n = matches[0], numbers[0]
        if currency is None:
            return Amount(text, reason=NO_CURRENCY)
        return Amount(text, _whole(n * _magnitude(m, 1)), currency)
    if len(matches) == 2 and _is_range(s, matches):
        a, b = matches
        mag_b = _magnitude(b, 1)
        mag_a = _magnitude(a, mag_b)  # "5 to 10 billion": 5 billion
        low, high = _whole(numbers[0] * mag_a), _whole(numbers[1] * mag_b)
        if currency is None:
            return Amount(text, reason=NO_CURRENCY)
        if low > high:
            return Amount(text, currency=currency, reason=REVERSED)
        return Amount(text, None, currency, low, high, RANGE)
    return Amount(text, currency=currency, reason=SEVERAL)


def _amounts(s: str) -> list[re.Match[str]]:
    """The amounts in the words, in order; a bare number only as the low end of a range."""
    found = list(_AMOUNT.finditer(s))
    kept = []
    for i, m in enumerate(found):
        if _has_unit(m):
            kept.append(m)
        elif i + 1 < len(found) and _has_unit(found[i + 1]) and _is_range(s, [m, found[i + 1]]):
            kept.append(m)
    return kept


def _has_unit(m: re.Match[str]) -> bool:
    return bool(m["pre"] or m["mag"] or m["wmag"] or m["suf"])


def _magnitude(m: re.Match[str], default: int) -> int:
    word = m["mag"] or m["wmag"]
    return _MAGNITUDES[word] if word else default


def _code(m: re.Match[str]) -> str | None:
    if m["pre"]:
        return _PREFIX_CURRENCIES[m["pre"]]
    if m["suf"]:
        return _SUFFIX_CURRENCIES[m["suf"]]
    return None


def _is_range(s: str, matches: list[re.Match[str]]) -> bool:
    """Whether two amounts are the ends of one range: "between A and B", "A to B", "A-B"."""
    a, b = matches
    between = s[a.end() : b.start()]
    if not _RANGE_JOIN.fullmatch(between):
        return False
    joined_by = between.strip()
    if joined_by == "and":
        return bool(_RANGE_BETWEEN.search(s[: a.start()]))
    if joined_by == "or":
        return False
    return True
