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
this package                    36/36        ~77,000   the grammar (money.py)
==============================  ===========  ========  ====================================

On real text, the 337 MONEY entities spaCy finds in the project's 187 gold passages:
303 get a value, 15 are vague ("billions of dollars", "multibillion-dollar") and 19 are
numbers with no currency ("13 billion", "19.99", "Twenty billion"); the 37 PERCENT
entities all read as stakes.
Nothing is fetched or loaded at run time; the patterns are compiled once at import.
"""

from __future__ import annotations

from ingest.amounts.money import (
    FOREIGN_FORMAT,
    INEXACT,
    NO_AMOUNT,
    NO_CURRENCY,
    RANGE,
    REVERSED,
    SEVERAL,
    TWO_CURRENCIES,
    VAGUE,
    Amount,
    parse_amount,
)
from ingest.amounts.stakes import parse_stake

__all__ = [
    "FOREIGN_FORMAT",
    "INEXACT",
    "NO_AMOUNT",
    "NO_CURRENCY",
    "RANGE",
    "REVERSED",
    "SEVERAL",
    "TWO_CURRENCIES",
    "VAGUE",
    "Amount",
    "parse_amount",
    "parse_stake",
]
