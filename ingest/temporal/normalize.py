"""Date words normalized before the grammar reads them: case, dashes and quotes, clock
times, possessives, leading prepositions and bound quantifiers ("more than")."""

from __future__ import annotations

import re
import unicodedata

_DASHES = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
    }
)
# Words in front of the date that do not change which date is meant.
_LEAD = re.compile(
    r"(?:in|on|at|during|since|from|until|till|til|to(?!\s+date\b)|thru|through|throughout|by|as of|as early as"
    r"|as recently as|as late as|back in|sometime in|some time in|sometime|starting|"
    r"starting in|starting on|starting from|beginning in|beginning on|effective|effective on"
    r"|around|about|circa|approximately|roughly|nearly|almost|some|just|only|for|of|so far"
    r"|as far back as|dating back to|dating to|ending|ended|expected in|due in"
    r"|over(?=\s+(?:the|this|last|next|recent)\b)|calendar(?:\s+year)?(?=\s+\d{4}\b))\s+"
)
# A clock time said with the date ("March 3 at 5 p.m. ET", "noon Friday") is dropped.
_CLOCK = re.compile(
    r"(?:\s*,?\s*\b(?:at|by|around|about|before|after)\s+)?\b(?:\d{1,2}(?::\d\d)?\s*"
    r"(?:a\.?m\b\.?|p\.?m\b\.?)|noon|midnight|midday)(?:\s+(?:et|pt|ct|gmt|utc|bst|cet|cest|"
    r"est|edt|pst|pdt|cst|cdt|jst|ist|local time)\b)?(?:\s+on\b)?"
)
_FORTNIGHT = re.compile(r"\b(a\s+)?fortnights?\b")
# Phrases said several ways, rewritten to the one the grammar reads.
_REWRITES = {
    "year-end": "the end of this year",
    "year end": "the end of this year",
    "end of year": "the end of this year",
    "end-of-year": "the end of this year",
    "the year-end": "the end of this year",
    "earlier in the year": "earlier this year",
    "later in the year": "later this year",
    "earlier in the month": "earlier this month",
    "later in the month": "later this month",
    "earlier in the week": "earlier this week",
    "later in the week": "later this week",
    "month-end": "the end of this month",
    "the turn of the year": "the start of this year",
    "midyear": "the middle of this year",
    "mid-year": "the middle of this year",
    "the week before last": "two weeks ago",
    "the month before last": "two months ago",
    "the year before last": "two years ago",
}
# "late in 2023", "early in the year", "earlier in 2024": the part said before "in".
_PART_IN = re.compile(r"(early|mid|late|earlier|later)\s+in\s+(?=\S)")
# Bound quantifiers: "more than two years ago" is a bound, "more than a year" a duration.
_QUANT = re.compile(
    r"(?:more than|over(?!\s+(?:the|this|last|next|recent)\b)|less than|under"
    r"|at least|at most|up to|upwards of|fewer than|nearly|almost)\s+"
)
_BOUND = re.compile(
    r"(?:before|after|prior to|ahead of|no later than|no earlier than|"
    r"earlier than|later than|not until|within|not before|not after|"
    r"no sooner than)\b"
)


def _normalize(text: str) -> tuple[str, str | None, str | None]:
    """Lower-case, unify dashes and quotes, strip possessives and leading prepositions.

    Returns:
        The normalized words, the first preposition stripped (or None) and a bound
        quantifier ("more than", ...) stripped after it (or None).
    """
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    # An entity that runs past a line break ("Saturday, September 21, 2024\n\nGood
    # morning") took in the next line: its first line is the date.
    s = next((line for line in s.splitlines() if line.strip()), "")
    s = " ".join(s.split()).strip(' ,;:!?()[]"')
    s = re.sub(r"'s?$", "", s).strip()
    s = _CLOCK.sub("", s).strip(" ,")
    s = _FORTNIGHT.sub(lambda m: "two weeks" if m[1] else "weeks", s)
    prep = quantifier = None
    while True:
        m = _QUANT.match(s)
        if m and m.end() < len(s):
            quantifier = quantifier or m.group(0).strip()
            s = s[m.end() :]
            continue
        m = _LEAD.match(s)
        if m and m.end() < len(s):
            prep = prep or m.group(0).strip()
            s = s[m.end() :]
            continue
        break
    if s in _REWRITES:
        return _REWRITES[s], prep, quantifier
    return _PART_IN.sub(r"\1 ", s, count=1) if _PART_IN.match(s) else s, prep, quantifier
