"""The words amounts and stakes are written in: currencies before and after the number,
magnitudes ("bn", "crore"), number words, and the normalization both readers share."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

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


_DASHES = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " "}
)


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    s = next((line for line in s.splitlines() if line.strip()), "")
    return " ".join(s.split())


def _whole(value: Decimal) -> Decimal:
    """Drop a zero fraction ("1.7" x 1e9 is 1700000000, not 1700000000.0)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
