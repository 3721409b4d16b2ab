"""Money and stake words as news text gives them, read into numbers a reader can trust.

:func:`parse_amount` reads the text of a spaCy MONEY entity ("$10 billion", "EUR 1.7bn",
"about $4 billion", "between $5 and $10 billion") into an :class:`Amount`: the value in
the currency's unit as a :class:`~decimal.Decimal` (never a float: "$1.03 billion" is
1030000000 exactly) and the ISO 4217 code. :func:`parse_stake` reads a stated share
("a 49% stake", "about 27 percent") into a percentage.

Rules a reader relies on:

- Hedges and bounds keep the stated figure: "about $4 billion", "more than $1 billion",
  "up to $5 billion", "as much as $22.4 billion" give 4e9, 1e9, 5e9, 22.4e9 (the words
  as written stay in ``text``); the range and vague cases below give no value.
- Ranges ("between $5 and $10 billion", "$5-10 billion", "$5bn to $10bn") give no value
  but ``low`` and ``high``; a magnitude written once applies to both ends ("5 to 10
  billion dollars").
- Vague amounts ("billions of dollars", "tens of millions", "multibillion-dollar",
  "an undisclosed sum") give no value; the currency is still read when named.
- A number with no currency named ("13 billion", "19.99") gives no value: a number is
  not money until the text says which money.
- Currencies: a bare "$" and "dollars" are US dollars (English-language news writes
  C$, A$, HK$ ... for the others); "¥" is the yen (Chinese yuan is "yuan", "RMB",
  "CN¥"); "Rs"/"₹" are Indian rupees.
- Decisions: "crore" (1e7) and "lakh" (1e5) are read: they are the ordinary units of
  Indian English and mean one number each ("Rs 1,200 crore" is 12000000000 INR);
  "milliard" is read as 1e9. Continental number formats are refused, not guessed:
  "1,5 Mrd. Euro" (decimal comma, German magnitude) has no value and says why; the
  reader never gets 1.5, 15 or 1500000000 from words it cannot be sure of.

Why a grammar and not a library. Measured with ``benchmarks/bench_normalizers.py`` on
its table of 36 cases (the forms above), on this machine's 2 cores, idle (under the
load of parallel test runs every calls/s figure about halves; the order stays):

==============================  ===========  ========  ====================================
candidate                       cases right  calls/s   notes
==============================  ===========  ========  ====================================
price-parser 0.5.1              2/36         ~100,000  made for shop prices: "$10 billion"
                                                       is 10 (no magnitude words), no
                                                       ranges; "1,5 Mrd." -> 1.5
price-parser + our magnitudes   25/36        ~85,000   still no ranges, vague amounts or
                                                       refusals; "10bn dollars", "2 billion
                                                       euros", "yuan" lose the currency
quantulum3 0.10.0               17/36        ~50       its bundled classifier fails to load
                                                       with the installed scikit-learn
                                                       ("10bn", "$1.5bn" raise); too slow
this module                     36/36        ~77,000   the grammar below
==============================  ===========  ========  ====================================

On real text, the 337 MONEY entities spaCy finds in the project's 187 gold passages:
303 get a value, 15 are vague ("billions of dollars", "multibillion-dollar") and 19 are
numbers with no currency ("13 billion", "19.99", "Twenty billion"); the 37 PERCENT
entities all read as stakes.
Nothing is fetched or loaded at run time; the patterns are compiled once at import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

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


# --- vocabulary -------------------------------------------------------------------------

# Currency written before the number. Alphabetic ones must not end a longer word.
_PREFIX_CURRENCIES = {
    "us$": "USD",
    "u.s.$": "USD",
    "usd": "USD",
    "$": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "hk$": "HKD",
    "hkd": "HKD",
    "s$": "SGD",
    "sgd": "SGD",
    "nz$": "NZD",
    "nzd": "NZD",
    "nt$": "TWD",
    "twd": "TWD",
    "r$": "BRL",
    "brl": "BRL",
    "mx$": "MXN",
    "mxn": "MXN",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "jp¥": "JPY",
    "jpy": "JPY",
    "cn¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "₩": "KRW",
    "krw": "KRW",
    "₹": "INR",
    "rs.": "INR",
    "rs": "INR",
    "inr": "INR",
    "chf": "CHF",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "₪": "ILS",
    "ils": "ILS",
    "aed": "AED",
    "sar": "SAR",
    "zar": "ZAR",
    "₺": "TRY",
    "pln": "PLN",
    "₽": "RUB",
    "rub": "RUB",
}
# Currency written after the number ("10bn dollars", "1.5 billion yuan", "500 million USD").
_SUFFIX_CURRENCIES = {
    "dollars": "USD",
    "dollar": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "american dollars": "USD",
    "canadian dollars": "CAD",
    "australian dollars": "AUD",
    "hong kong dollars": "HKD",
    "singapore dollars": "SGD",
    "new zealand dollars": "NZD",
    "taiwan dollars": "TWD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds sterling": "GBP",
    "pounds": "GBP",
    "pound": "GBP",
    "british pounds": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "japanese yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "chinese yuan": "CNY",
    "rupees": "INR",
    "rupee": "INR",
    "indian rupees": "INR",
    "won": "KRW",
    "korean won": "KRW",
    "swiss francs": "CHF",
    "francs": "CHF",
    "franc": "CHF",
    "shekels": "ILS",
    "dirhams": "AED",
    "riyals": "SAR",
    "rand": "ZAR",
    "reais": "BRL",
    "kronor": "SEK",
    "kroner": "NOK",
    "rubles": "RUB",
    "roubles": "RUB",
}
_SUFFIX_CURRENCIES.update({code.lower(): code for code in set(_PREFIX_CURRENCIES.values())})
_SUFFIX_CURRENCIES.update({"rmb": "CNY"})
_MAGNITUDES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "mil": 10**6,
    "mm": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "milliard": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
    "t": 10**12,
    "crore": 10**7,
    "crores": 10**7,
    "cr": 10**7,
    "lakh": 10**5,
    "lakhs": 10**5,
    "lac": 10**5,
}
_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "half a": Decimal("0.5"),
    "half an": Decimal("0.5"),
    "a half": Decimal("0.5"),
}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORD_NUMBERS.update({f"{t}-{u}": _WORD_NUMBERS[t] + _WORD_NUMBERS[u] for t in _TENS for u in _UNITS})
_WORD_NUMBERS.update({f"{t} {u}": _WORD_NUMBERS[t] + _WORD_NUMBERS[u] for t in _TENS for u in _UNITS})


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


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
_DASHES = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " "}
)


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    s = next((line for line in s.splitlines() if line.strip()), "")
    return " ".join(s.split())


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


def _whole(value: Decimal) -> Decimal:
    """Drop a zero fraction ("1.7" x 1e9 is 1700000000, not 1700000000.0)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


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


# --- stakes ---------------------------------------------------------------------------

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
