"""Date words as news text gives them, resolved against the article's publication date.

:func:`resolve_date` takes the text of a spaCy DATE entity ("in 2019", "last month",
"the third quarter of 2025", "on Tuesday"), with or without its leading preposition,
and the article's date, and returns a :class:`ResolvedDate`: an ISO 8601 value at the
finest granularity the words allow ("2024-03-03", "2024-03" or "2024"), the interval
that value stands for, or, when it cannot be trusted, no value and a one-line reason.
A reader should be able to trust every value given; where a careful reader would not
commit to a date (a fiscal quarter, "the 2010s", "the day before", "the past year",
"before 2020") the answer is unresolved rather than a guess.

Rules a reader relies on:

- Relative words need the article's date: without one ("published" unknown) they stay
  unresolved with the reason "relative date and no article date"; absolute ones
  ("in 2019", "March 3, 2024", "Q3 2025") still resolve.
- ``prefer="past"`` (the default, for past-tense clauses): a bare month, day, weekday,
  quarter or season is the most recent one that has begun on or before the article's
  date ("in March" published 2025-06-12 is 2025-03; "on Friday" published on a Monday
  is the Friday before; "on Monday" published on a Monday is that day).
  ``prefer="future"`` (future-tense clauses: "will close in March") takes the next one
  that has not ended ("in March" is 2026-03).
- "last"/"next" + a named period skip the current one ("last Tuesday", "next March");
  "last month/year/quarter/week" are the calendar period before the article's.
- Calendar quarters, halves, seasons and "early/mid/late" are narrower than a year but
  coarser than a month: the value is the year and ``start``/``end`` the interval
  ("Q3 2025" -> "2025", 2025-07-01..2025-09-30). "early/mid/late March" keep the month.
- A week is not an ISO 8601 granularity here: "this week", "last week", "two weeks
  ago", "the weekend" give the month (or year) that contains the whole week, with the
  week as the interval; "this week" in a past-tense clause ends at the article's date.
- "N years/months/days ago" keep the unit's granularity ("two years ago" is a year).
- Decisions: a decade ("the 2010s") is unresolved (no year is meant); "fiscal 2025",
  "FY25", "its fiscal third quarter" and a company's own quarter ("its third quarter",
  "its latest quarter") are refused (company calendars differ); winter is
  refused (it spans two years); a numeric date is read only when the day/month order is
  certain ("3/15/2024" yes, "3/5/2024" no); "before 2020"/"after 2020" are bounds, not
  the date; "the past year", "between 2019 and 2021", "2023-24" are spans, not a date;
  "that year", "a year later", "the next day" are relative to another event.
- Unresolved results always carry ``start = end = None``: a value and its interval come
  together or not at all.

Why a grammar and not a library. Measured with ``benchmarks/bench_normalizers.py`` on
its table of 75 cases (the phrases above, 2025-06-12 as the article date), on this
machine's 2 cores, idle (under the load of parallel test runs every calls/s figure
about halves; the order stays):

=======================  ===========  ========  ===========================================
candidate                cases right  calls/s   notes
=======================  ===========  ========  ===========================================
dateparser 1.5.0         48/75        ~1,800    no quarters, halves, "earlier this year",
                                                "late 2023"; confident wrong answers: "the
                                                2010s" -> yesterday, "30 years" -> 1995,
                                                "Q3 2025" -> 2025-09-01, "on Monday"
                                                published on a Monday -> a week earlier;
                                                with no article date it uses today
python-dateutil 4.0.0    31/75        ~31,000   absolute dates only (no relative words);
                                                "fiscal 2025" -> 2025
ctparse 0.3.6            30/75        ~520      made for scheduling: resolves forward
                                                ("on Tuesday" -> next week); requires
                                                python-dateutil<3 (we pin 4.0.0)
this module              75/75        ~48,000   the grammar below + dateutil.relativedelta
=======================  ===========  ========  ===========================================

The table was written alongside the grammar, so the fairer check is real text: spaCy's
DATE entities in the project's 187 gold passages (760 of them) resolve 565 times; the
rest are durations ("five years"), spans, "days later", fiscal periods and 29 strings
spaCy mis-tagged ("Llama 3", "6000D", "18"). On those 29, dateparser as a fallback
would have given 5 dates, all wrong ("18" -> the 18th of the article's month, "6000D"
-> 2009-04-13), so it is not used as one. The calendar arithmetic is
:class:`dateutil.relativedelta.relativedelta` (python-dateutil is already a dependency)
and :mod:`calendar`; the grammar is a few dozen explicit patterns over a normalized
string, compiled once at import and tried in a fixed order. Nothing is fetched or loaded
at run time.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

Granularity = Literal["day", "month", "year"]

# Reasons a date stays unresolved (one plain line each; callers may show them).
NO_REFERENCE = "relative date and no article date"
FISCAL = "fiscal period: company calendars differ"
NOT_A_DATE = "not a date"
DURATION = "a duration, not a date"
SPAN = "a span of time, not one date"
ANAPHORIC = "relative to another event, not to the article date"
VAGUE = "too vague to date"
DECADE = "a decade: coarser than a year"
BOUND = "a bound (before, after, more than), not the date itself"
AMBIGUOUS_ORDER = "numeric date with an ambiguous day/month order"
WINTER = "winter spans two years"
CROSSES_YEARS = "the period spans two years"
NO_SUCH_DAY = "no such calendar day"
OUT_OF_RANGE = "outside the calendar's range"
EMPTY = "no date words"
UNRECOGNISED = "unrecognised date words"


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression and what it resolves to.

    Attributes:
        text: The date words as written.
        value: ISO 8601 "YYYY-MM-DD", "YYYY-MM" or "YYYY"; None when unresolved.
        granularity: "day", "month" or "year" (matches ``value``); None when unresolved.
        start: First day of the interval the words cover (a quarter for "Q3 2025").
        end: Last day of that interval.
        reason: Why the words stay unresolved (one line); None when resolved.
    """

    text: str
    value: str | None = None
    granularity: Granularity | None = None
    start: date | None = None
    end: date | None = None
    reason: str | None = None

    @property
    def resolved(self) -> bool:
        """Whether the words gave a value."""
        return self.value is not None


def xsd_datatype(value: str) -> str:
    """Return the XML Schema datatype local name of an ISO value from :func:`resolve_date`.

    Args:
        value: "YYYY-MM-DD", "YYYY-MM" or "YYYY".

    Returns:
        "date", "gYearMonth" or "gYear".

    Raises:
        ValueError: ``value`` is none of those three forms.
    """
    if _ISO_DAY.fullmatch(value):
        return "date"
    if _ISO_MONTH.fullmatch(value):
        return "gYearMonth"
    if _ISO_YEAR.fullmatch(value):
        return "gYear"
    raise ValueError(f"not an ISO 8601 date, year-month or year: {value!r}")


_ISO_DAY = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")
_ISO_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")
_ISO_YEAR = re.compile(r"\d{4}")


class _Unresolved(Exception):
    """Raised inside the grammar to stop with a reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Ctx:
    raw_reference: date | None
    prefer: str
    prep: str | None

    @property
    def ref(self) -> date:
        """The article date; raises when there is none (the words are relative)."""
        if self.raw_reference is None:
            raise _Unresolved(NO_REFERENCE)
        return self.raw_reference

    @property
    def future(self) -> bool:
        return self.prefer == "future"


def resolve_date(text: str, reference: date | None, *, prefer: str = "past") -> ResolvedDate:
    """Resolve date words against the article's publication date.

    Args:
        text: The date words (a spaCy DATE entity, with or without its preposition).
        reference: The article's publication date; None when unknown (then relative
            words stay unresolved). A datetime is taken at its date.
        prefer: "past" for past- or present-tense clauses, "future" for future-tense
            ones ("will close in March"): which way a bare month, day or weekday goes.

    Returns:
        The resolution; ``reason`` says why when there is no value.

    Raises:
        ValueError: ``prefer`` is neither "past" nor "future".
        TypeError: ``text`` is not a string or ``reference`` not a date.
    """
    if prefer not in ("past", "future"):
        raise ValueError(f"prefer must be 'past' or 'future', not {prefer!r}")
    if not isinstance(text, str):
        raise TypeError(f"date text must be a string, not {type(text).__name__}")
    if isinstance(reference, datetime):
        reference = reference.date()
    elif reference is not None and not isinstance(reference, date):
        raise TypeError(f"reference must be a date or None, not {type(reference).__name__}")
    s, prep, quantifier = _normalize(text)
    ctx = _Ctx(reference, prefer, prep)
    try:
        if not s:
            raise _Unresolved(EMPTY)
        period = _parse(s, ctx, quantifier)
    except _Unresolved as exc:
        return ResolvedDate(text, reason=exc.reason)
    except (OverflowError, ValueError):
        # Arithmetic past year 1 or 9999 ("5000 years ago", an article dated 0001-01-01).
        return ResolvedDate(text, reason=OUT_OF_RANGE)
    return _result(text, period)


# --- normalization --------------------------------------------------------------------

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
    r"(?:in|on|at|during|since|from|until|till|til|through|throughout|by|as of|as early as"
    r"|as recently as|as late as|back in|sometime in|some time in|sometime|starting|"
    r"starting in|starting on|starting from|beginning in|beginning on|effective|effective on"
    r"|around|about|circa|approximately|roughly|nearly|almost|some|just|only|for|of|so far"
    r"|as far back as|dating back to|dating to|ending|ended|expected in|due in"
    r"|over(?=\s+(?:the|this|last|next|recent)\b))\s+"
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
}
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
    return _REWRITES.get(s, s), prep, quantifier


# --- vocabulary -------------------------------------------------------------------------

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "weds": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_NUMBERS = {
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
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MONTH = rf"(?P<month>{_alt(_MONTHS)})\.?"
_WEEKDAY = rf"(?P<weekday>{_alt(_WEEKDAYS)})\.?"
_NUM_ALT = rf"\d+|{_alt(_NUMBERS)}"
_NUM = rf"(?P<num>{_NUM_ALT})"
_VAGUE_NUM = r"(?:a few|few|several|many|some|a number of|numerous|the|a handful of)"
_UNIT = r"(?P<unit>day|week|month|quarter|year|decade|century)s?"
_YEAR4 = r"(?:1\d|20|21)\d\d"
# A year as written: "2024", "'24", "this year", "last year", "next year", "the year".
_YEARX = (
    rf"(?:(?P<year>{_YEAR4})|'(?P<yy>\d\d)|(?P<yrel>this|last|next|the current|"
    r"current|the|the coming|the following|the previous|the prior) year)"
)
_REL = (
    r"(?P<rel>last|this|next|this past|this coming|past|coming|previous|current|"
    r"the current|the previous|the coming|the past|the last|the next|the)"
)
# Parts of a period: "early 2023", "the end of March", "the first half of 2024".
_MODS = {
    "early": "early",
    "earlier": "earlier",
    "mid": "mid",
    "middle": "mid",
    "late": "late",
    "later": "later",
    "the start of": "early",
    "the beginning of": "early",
    "start of": "early",
    "beginning of": "early",
    "the middle of": "mid",
    "middle of": "mid",
    "the end of": "late",
    "end of": "late",
    "the close of": "late",
    "close of": "late",
    "the first half of": "h1",
    "first half of": "h1",
    "the front half of": "h1",
    "the second half of": "h2",
    "second half of": "h2",
    "the latter half of": "h2",
    "the back half of": "h2",
    "the back end of": "late",
    "the tail end of": "late",
    "the first week of": "w1",
    "the second week of": "w2",
    "the third week of": "w3",
    "the fourth week of": "w4",
    "the last week of": "wl",
    "the final week of": "wl",
}
_MOD = rf"(?:(?P<mod>{_alt(_MODS)})(?:\s*-\s*|\s+))?"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_FISCAL = _c(
    r".*\b(?:fiscal|financial year|fy\s*'?\d{2,4}|fy|f[1-4]?q[1-4])\b.*"
    r"|(?:its|their|the company|the group)\b.*\bquarter\b.*"
)
_DECADE = _c(rf"{_MOD}(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:(?:1\d|20|21)\d0|'?\d0)s")
_SPAN_YEARS = _c(
    rf"(?:between\s+)?{_YEAR4}\s*(?:-|/|to|through|thru|and|until|till)\s*"
    r"(?:'?\d\d|\d{4})"
)
_SPAN_WORDS = _c(r"between\b.+|.+\s(?:to|through|thru|until|till)\s.+|.+\d\s*-\s*\d.*")
_SPAN_TRAILING = _c(
    rf"(?:the\s+)?(?:past|last|next|coming|previous|following|recent|"
    rf"first|final|ensuing|upcoming)\s+(?:(?:{_NUM_ALT}|{_VAGUE_NUM})\s+)?"
    r"(?:day|week|month|year|decade|quarter)s"
)
_SPAN_THE_PAST = _c(r"(?:the\s+)?(?:past|the last)\s+(?:day|week|month|year|decade|century)")
_ANAPHORIC = _c(
    r"(?:that|the same|the following|the previous|the prior|the preceding|the next|"
    r"the subsequent|the ensuing|the same day|later that|earlier that|that same|"
    r"the year-ago|year-ago|a year-ago)\b.*"
    rf"|(?:(?:{_NUM_ALT}|{_VAGUE_NUM})\s+)?(?:hour|day|week|month|quarter|year|decade)s?\s+"
    r"(?:later|earlier|before|after|prior|on|afterwards?|afterward|previously)"
    r"|then|at the time|the time|by then|until then|since then|the day|the same time"
)
_NOT_A_DATE = _c(
    r"(?:annual|annually|yearly|daily|weekly|monthly|quarterly|biannual|biannually|"
    r"semiannual|semi-annual|biweekly|bimonthly|overnight|year-over-year|year-on-year|yoy|"
    r"(?:each|every|per|a) (?:day|week|month|quarter|year)|day one|day 1|"
    r"(?:age|aged|the age of) \d+|\d+[\s-]years?[\s-]old|\d+[\s-]year[\s-]olds?|"
    r"holiday season|the holidays|the holiday season|\d+(?:st|nd|rd|th)? anniversary|"
    r"multi-?(?:year|month|week|day|decade)|annualized|annualised|year-old|"
    r"[\w-]+-(?:year|month|week|day)s?-olds?|all (?:year|month|week|day)(?: long)?|"
    r"year-round|all year round)"
)
_VAGUE = _c(
    r"(?:recently|soon|now|currently|today's|nowadays|these days|those days|once|later|"
    r"earlier|the future|the past|the near future|the coming (?:days|weeks|months|years)|"
    r"recent (?:days|weeks|months|years)|one day|someday|some day|the moment|this time|"
    r"to date|so far|the early days|the turn of the century|the year|the month|the week|"
    r"the quarter|the period|the season|the decade|the first day|the last day|"
    r"the (?:latest|most recent|current|last reported) quarter|"
    rf"(?:{_VAGUE_NUM}\s+)?(?:day|week|month|year|decade)s\s+ago|"
    r"(?:a|one)\s+(?:day|week|month|quarter|year|decade)\s+or\s+(?:two|so))"
)
_DURATION = _c(
    rf"(?:another\s+|an additional\s+|a further\s+|the\s+|an?\s+(?=\d))?(?:{_NUM_ALT}|{_VAGUE_NUM}|"
    r"half an?|\d+(?:\.\d+)?|\d+\s+and\s+a\s+half)?(?:\s*-\s*|\s+)?(?:full\s+)?"
    r"(?:hour|day|week|month|quarter|year|decade|centur(?:y|ie))s?(?:[\s-]long)?"
    r"(?:\s+and\s+a\s+half)?"
)
_AGO = _c(rf"{_NUM}\s+{_UNIT}\s+(?:ago|back|earlier than today)")
_FROM_NOW = _c(rf"{_NUM}\s+{_UNIT}(?:\s+from\s+(?:now|today))?")
_DAY_WORDS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "earlier today": 0,
    "later today": 0,
    "yesterday": -1,
    "last night": -1,
    "yesterday morning": -1,
    "yesterday afternoon": -1,
    "yesterday evening": -1,
    "late yesterday": -1,
    "early yesterday": -1,
    "the day before yesterday": -2,
    "tomorrow": 1,
    "tomorrow morning": 1,
    "tomorrow afternoon": 1,
    "tomorrow evening": 1,
    "tomorrow night": 1,
    "the day after tomorrow": 2,
}
_TIME_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_WEEKDAY_ONLY = _c(rf"(?:{_REL}\s+)?(?:(?:early|late)\s+(?:on\s+)?)?{_WEEKDAY}{_TIME_OF_DAY}")
_ISO_FULL = _c(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})")
_NUMERIC = _c(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d\d)")
_LEAD_WEEKDAY = rf"(?:(?:{_alt(_WEEKDAYS)})\.?,?\s+)?"
_DAYNUM = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_TAIL = rf"(?:,?\s+(?:of\s+)?{_YEARX})?"
_MDY = _c(rf"{_LEAD_WEEKDAY}(?:the\s+)?{_MONTH}\s+(?:the\s+)?{_DAYNUM}{_YEAR_TAIL}")
_DMY = _c(rf"{_LEAD_WEEKDAY}(?:the\s+)?{_DAYNUM}(?:\s+of)?\s+{_MONTH}{_YEAR_TAIL}")
_MONTH_YEAR = _c(rf"{_MOD}(?:{_REL}\s+)?{_MONTH}{_YEAR_TAIL}")
_QUARTER = _c(
    rf"(?:{_REL}\s+)?"
    r"(?:q(?P<q1>[1-4])|(?P<q2>[1-4])q|(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th|"
    r"final|last)[\s-]+quarter)"
    rf"(?:(?:\s*[-',]?\s*|\s+of\s+)(?:{_YEARX}|(?P<yy2>\d\d)))?"
)
_QUARTER_YEAR_FIRST = _c(
    rf"(?P<year>{_YEAR4})(?:'s)?\s+(?:q(?P<q1>[1-4])|(?P<qw>first|second|third|fourth|"
    r"1st|2nd|3rd|4th|final|last)[\s-]+quarter)"
)
_QUARTER_REL = _c(rf"(?:{_MOD})?{_REL}\s+quarter")
_HALF = _c(
    r"(?:(?:the\s+)?(?:h(?P<h1>[12])|(?P<h2>[12])h)|(?:the\s+)?(?P<hw>first|second|latter|"
    r"back|front)\s+half)"
    rf"(?:(?:\s*[-',]?\s*|\s+of\s+)(?:{_YEARX}|(?P<yy2>\d\d)))?"
)
_SEASON = _c(
    rf"{_MOD}(?:{_REL}\s+)?(?P<season>spring|summer|fall|autumn|winter)"
    rf"(?:(?:\s+of)?,?\s+{_YEARX})?"
)
_YEAR_ONLY = _c(rf"{_MOD}(?:the\s+year\s+)?{_YEARX}")
_UNIT_REL = _c(rf"{_MOD}{_REL}\s+(?P<unit>week|weekend|month|year)")
_THIS_TIME = _c(
    r"this time (?P<rel>last|next) year|(?P<rel2>a|one) year ago today|"
    r"(?P<ytd>year to date|year-to-date|ytd)"
)


# --- periods --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    """What the grammar found: the value's unit and period, and the interval covered."""

    unit: str  # "day", "month", "year" or "interval" (value from the interval)
    unit_start: date
    start: date
    end: date

    def _replace_unit(self, unit: str) -> _Period:
        return _Period(unit, self.unit_start.replace(month=1, day=1), self.start, self.end)


def _month_bounds(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _months_bounds(y: int, first: int, last: int) -> tuple[date, date]:
    return date(y, first, 1), _month_bounds(y, last)[1]


def _year_period(y: int, mod: str | None, ctx: _Ctx, *, this: bool = False) -> _Period:
    start, end = date(y, 1, 1), date(y, 12, 31)
    sub = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "h1": (1, 6), "h2": (7, 12)}
    if mod in sub:
        start, end = _months_bounds(y, *sub[mod])
    elif mod and mod.startswith("w"):
        return _month_period(y, 12 if mod == "wl" else 1, mod, ctx)._replace_unit("year")
    elif mod in ("earlier", "later"):
        start, end = _earlier_later(start, end, mod, ctx, this)
    return _Period("year", date(y, 1, 1), start, end)


def _month_period(y: int, m: int, mod: str | None, ctx: _Ctx, *, this: bool = False) -> _Period:
    start, end = _month_bounds(y, m)
    last = end.day
    sub = {
        "early": (1, 10),
        "mid": (11, 20),
        "late": (21, last),
        "h1": (1, 15),
        "h2": (16, last),
        "w1": (1, 7),
        "w2": (8, 14),
        "w3": (15, 21),
        "w4": (22, 28),
        "wl": (last - 6, last),
    }
    if mod in sub:
        a, b = sub[mod]
        start, end = date(y, m, a), date(y, m, b)
    elif mod in ("earlier", "later"):
        start, end = _earlier_later(start, end, mod, ctx, this)
    return _Period("month", start.replace(day=1), start, end)


def _earlier_later(start: date, end: date, mod: str, ctx: _Ctx, this: bool) -> tuple[date, date]:
    """Narrow "earlier this year" to [start, ref] and "later this year" to [ref, end]."""
    if not this:
        return start, end
    ref = ctx.ref
    if not start <= ref <= end:
        return start, end
    return (start, ref) if mod == "earlier" else (ref, end)


def _interval(start: date, end: date) -> _Period:
    return _Period("interval", start, start, end)


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _pick(ctx: _Ctx, rel: str | None, make: Callable[[int], tuple[date, date] | None]) -> int:
    """Choose the year of a named period given without one ("March", "Q4", "summer").

    Args:
        ctx: The resolution context (its reference date is needed).
        rel: "last", "next", "this" (and their variants) or None for a bare name.
        make: year -> (start, end) of the period in that year, or None when it has none.

    Returns:
        The year.
    """
    ref = ctx.ref
    # Five years either way holds the nearest February 29 too.
    span = range(max(ref.year - 5, 1), min(ref.year + 6, 10000))
    bounds = {y: b for y in span if (b := make(y)) is not None}
    kind = _rel_kind(rel)
    if kind == "this":
        if ref.year in bounds:
            return ref.year
        raise _Unresolved(NO_SUCH_DAY)
    if kind == "last":
        cands = [y for y, (_, end) in bounds.items() if end < ref]
        choose = max
    elif kind == "next":
        cands = [y for y, (start, _) in bounds.items() if start > ref]
        choose = min
    elif ctx.future:
        cands = [y for y, (_, end) in bounds.items() if end >= ref]
        choose = min
    else:
        cands = [y for y, (start, _) in bounds.items() if start <= ref]
        choose = max
    if not cands:
        raise _Unresolved(OUT_OF_RANGE)
    return choose(cands)


def _rel_kind(rel: str | None) -> str | None:
    if rel is None or rel == "the":
        return None
    rel = rel.removeprefix("the ")
    if rel in ("last", "past", "this past", "previous"):
        return "last"
    if rel in ("next", "coming", "this coming"):
        return "next"
    return "this"  # this, current


def _year_from(m: re.Match[str], ctx: _Ctx, *, required: bool = False) -> int | None:
    """The year a match names: digits, "'24", or relative ("last year"); None if absent."""
    g = m.groupdict()
    if g.get("year"):
        return int(g["year"])
    yy = g.get("yy") or g.get("yy2")
    if yy:
        return 2000 + int(yy)
    yrel = g.get("yrel")
    if yrel:
        yrel = yrel.removeprefix("the ")
        if yrel in ("following", "previous", "prior"):
            raise _Unresolved(ANAPHORIC)
        offset = {"last": -1, "next": 1, "coming": 1}.get(yrel, 0)
        return ctx.ref.year + offset
    if required:
        raise _Unresolved(UNRECOGNISED)
    return None


# --- the grammar ----------------------------------------------------------------------


def _parse(s: str, ctx: _Ctx, quantifier: str | None) -> _Period:
    """Match the normalized words against the grammar, in order.

    Raises:
        _Unresolved: The words are understood but give no date, or are not understood.
    """
    if _FISCAL.fullmatch(s):
        raise _Unresolved(FISCAL)
    if quantifier and _DURATION.fullmatch(s):
        raise _Unresolved(DURATION)  # "at least a year"
    if _BOUND.match(s):
        raise _Unresolved(BOUND)
    if m := _THIS_TIME.fullmatch(s):
        return _this_time(m, ctx)
    if _SPAN_YEARS.fullmatch(s) or _SPAN_TRAILING.fullmatch(s) or _SPAN_THE_PAST.fullmatch(s):
        raise _Unresolved(SPAN)
    if _ANAPHORIC.fullmatch(s):
        raise _Unresolved(ANAPHORIC)
    if _NOT_A_DATE.fullmatch(s):
        raise _Unresolved(NOT_A_DATE)
    if _VAGUE.fullmatch(s):
        raise _Unresolved(VAGUE)
    if _DECADE.fullmatch(s):
        raise _Unresolved(DECADE)
    if m := _AGO.fullmatch(s):
        if quantifier and quantifier not in ("nearly", "almost"):
            raise _Unresolved(BOUND)
        return _offset(m, ctx, -1)
    if ctx.prep == "in" and ctx.future and (m := _FROM_NOW.fullmatch(s)):
        return _offset(m, ctx, 1)
    if (m := _FROM_NOW.fullmatch(s)) and s.endswith(("from now", "from today")):
        return _offset(m, ctx, 1)
    if _DURATION.fullmatch(s):
        raise _Unresolved(DURATION)
    if quantifier:
        raise _Unresolved(BOUND)
    if s in _DAY_WORDS:
        return _day(ctx.ref + timedelta(days=_DAY_WORDS[s]))
    if m := _WEEKDAY_ONLY.fullmatch(s):
        return _weekday(m, ctx)
    for pattern, handler in _HANDLERS:
        if m := pattern.fullmatch(s):
            return handler(m, ctx)
    if _SPAN_WORDS.fullmatch(s):
        raise _Unresolved(SPAN)
    raise _Unresolved(UNRECOGNISED)


def _day(d: date) -> _Period:
    return _Period("day", d, d, d)


def _safe_date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise _Unresolved(NO_SUCH_DAY) from None


def _weekday(m: re.Match[str], ctx: _Ctx) -> _Period:
    ref = ctx.ref
    wd = _WEEKDAYS[m["weekday"]]
    kind = _rel_kind(m["rel"])
    if kind == "last":
        back = (ref.weekday() - wd - 1) % 7 + 1
        return _day(ref - timedelta(days=back))
    if kind == "next":
        ahead = (wd - ref.weekday() - 1) % 7 + 1
        return _day(ref + timedelta(days=ahead))
    if kind == "this":
        return _day(_week(ref)[0] + timedelta(days=wd))
    if ctx.future:
        return _day(ref + timedelta(days=(wd - ref.weekday()) % 7))
    return _day(ref - timedelta(days=(ref.weekday() - wd) % 7))


def _this_time(m: re.Match[str], ctx: _Ctx) -> _Period:
    if m["ytd"]:
        year = ctx.ref.year
        return _Period("year", date(year, 1, 1), date(year, 1, 1), ctx.ref)
    offset = -1 if (m["rel"] == "last" or m["rel2"]) else 1
    return _year_period(ctx.ref.year + offset, None, ctx)


def _offset(m: re.Match[str], ctx: _Ctx, sign: int) -> _Period:
    """ "two years ago" (sign -1) or "in two years" (sign +1), at the unit's granularity."""
    num = m["num"]
    n = int(num) if num.isdigit() else _NUMBERS[num]
    unit = m["unit"]
    ref = ctx.ref
    if unit == "day":
        return _day(ref + timedelta(days=sign * n))
    if unit == "week":
        return _interval(*_week(ref + timedelta(weeks=sign * n)))
    if unit == "month":
        d = ref + relativedelta(months=sign * n)
        return _month_period(d.year, d.month, None, ctx)
    if unit == "quarter":
        d = ref + relativedelta(months=3 * sign * n)
        q = (d.month - 1) // 3 + 1
        return _Period("year", date(d.year, 1, 1), *_months_bounds(d.year, 3 * q - 2, 3 * q))
    years = {"year": 1, "decade": 10, "century": 100}[unit] * n
    return _year_period(ref.year + sign * years, None, ctx)


def _iso_full(m: re.Match[str], ctx: _Ctx) -> _Period:
    return _day(_safe_date(int(m["y"]), int(m["m"]), int(m["d"])))


def _numeric(m: re.Match[str], ctx: _Ctx) -> _Period:
    a, b = int(m["a"]), int(m["b"])
    y = int(m["y"]) if len(m["y"]) == 4 else 2000 + int(m["y"])
    if a > 12 >= b:
        a, b = b, a  # day first: 15/3/2024
    elif a <= 12 and b <= 12 and a != b:
        raise _Unresolved(AMBIGUOUS_ORDER)
    return _day(_safe_date(y, a, b))


def _month_day(m: re.Match[str], ctx: _Ctx) -> _Period:
    month = _MONTHS[m["month"]]
    day = int(m["day"])
    if not 1 <= day <= 31:
        raise _Unresolved(NO_SUCH_DAY)
    year = _year_from(m, ctx)
    if year is None:

        def make(y: int) -> tuple[date, date] | None:
            try:
                d = date(y, month, day)
            except ValueError:
                return None
            return d, d

        year = _pick(ctx, None, make)
    return _day(_safe_date(year, month, day))


def _month_year(m: re.Match[str], ctx: _Ctx) -> _Period:
    month = _MONTHS[m["month"]]
    mod = _MODS.get(m["mod"]) if m["mod"] else None
    year = _year_from(m, ctx)
    rel = m["rel"]
    if rel == "the" or (rel and rel.startswith("the ") and year is None):
        rel = None if rel == "the" else rel
    if year is None:
        year = _pick(ctx, rel, lambda y: _month_bounds(y, month))
    elif rel and _rel_kind(rel) is not None:
        raise _Unresolved(UNRECOGNISED)  # "last March 2024"
    this = _rel_kind(rel) == "this" or _is_current_year(m)
    return _month_period(year, month, mod, ctx, this=this)


def _is_current_year(m: re.Match[str]) -> bool:
    yrel = m.groupdict().get("yrel")
    return yrel in ("this", "current", "the current", "the")


def _quarter(m: re.Match[str], ctx: _Ctx) -> _Period:
    g = m.groupdict()
    word = g.get("qw")
    q = int(g.get("q1") or g.get("q2") or 0) or (4 if word in ("final", "last") else _ORDINALS.get(word or "", 0))
    year = _year_from(m, ctx)
    rel = g.get("rel")
    if year is None:
        if word == "last" and rel in (None, "the"):
            return _relative_quarter("last", None, ctx)  # "last quarter"
        year = _pick(ctx, rel, lambda y: _months_bounds(y, 3 * q - 2, 3 * q))
    elif rel and _rel_kind(rel) is not None:
        raise _Unresolved(UNRECOGNISED)
    return _Period("year", date(year, 1, 1), *_months_bounds(year, 3 * q - 2, 3 * q))


def _quarter_rel(m: re.Match[str], ctx: _Ctx) -> _Period:
    kind = _rel_kind(m["rel"])
    if kind is None:
        raise _Unresolved(VAGUE)  # "the quarter"
    return _relative_quarter(kind, _MODS.get(m["mod"]) if m["mod"] else None, ctx)


def _relative_quarter(kind: str, mod: str | None, ctx: _Ctx) -> _Period:
    """The calendar quarter before ("last"), after ("next") or holding the article date."""
    ref = ctx.ref
    d = ref + relativedelta(months={"last": -3, "next": 3}.get(kind, 0))
    q = (d.month - 1) // 3 + 1
    start, end = _months_bounds(d.year, 3 * q - 2, 3 * q)
    if kind == "this" and mod in ("earlier", "later"):
        start, end = _earlier_later(start, end, mod, ctx, True)
    return _Period("year", date(d.year, 1, 1), start, end)


def _half(m: re.Match[str], ctx: _Ctx) -> _Period:
    g = m.groupdict()
    h = int(g.get("h1") or g.get("h2") or 0) or (1 if g.get("hw") in ("first", "front") else 2)
    year = _year_from(m, ctx)
    if year is None:
        year = _pick(ctx, None, lambda y: _months_bounds(y, 6 * h - 5, 6 * h))
    return _Period("year", date(year, 1, 1), *_months_bounds(year, 6 * h - 5, 6 * h))


def _season(m: re.Match[str], ctx: _Ctx) -> _Period:
    season = m["season"]
    if season == "winter":
        raise _Unresolved(WINTER)
    first, last = _SEASONS[season]
    year = _year_from(m, ctx)
    rel = m["rel"]
    if year is None:
        year = _pick(ctx, None if rel == "the" else rel, lambda y: _months_bounds(y, first, last))
    elif rel and _rel_kind(rel) is not None:
        raise _Unresolved(UNRECOGNISED)
    start, end = _months_bounds(year, first, last)
    mod = _MODS.get(m["mod"]) if m["mod"] else None
    if mod == "early":
        end = _month_bounds(year, first)[1]
    elif mod == "late":
        start = date(year, last, 1)
    return _Period("year", date(year, 1, 1), start, end)


def _year_only(m: re.Match[str], ctx: _Ctx) -> _Period:
    year = _year_from(m, ctx, required=True)
    if m["yrel"] == "the" and not m["mod"]:
        raise _Unresolved(VAGUE)
    mod = _MODS.get(m["mod"]) if m["mod"] else None
    return _year_period(year, mod, ctx, this=_is_current_year(m))


def _unit_rel(m: re.Match[str], ctx: _Ctx) -> _Period:
    unit, rel = m["unit"], m["rel"]
    mod = _MODS.get(m["mod"]) if m["mod"] else None
    kind = _rel_kind(rel)
    ref = ctx.ref
    if unit == "weekend":
        return _weekend(ref, kind, ctx)
    if kind is None and mod is None:
        raise _Unresolved(VAGUE)  # "the month"
    kind = kind or "this"  # "the end of the month"
    step = {"last": -1, "next": 1}.get(kind, 0)
    if unit == "year":
        return _year_period(ref.year + step, mod, ctx, this=kind == "this")
    if unit == "month":
        d = ref + relativedelta(months=step)
        return _month_period(d.year, d.month, mod, ctx, this=kind == "this")
    start, end = _week(ref + timedelta(weeks=step))
    if kind == "this" and mod in ("earlier", "later"):
        start, end = _earlier_later(start, end, mod, ctx, True)
    elif kind == "this":
        start, end = (ref, end) if ctx.future else (start, ref)
    return _interval(start, end)


def _weekend(ref: date, kind: str | None, ctx: _Ctx) -> _Period:
    def weekend_of(sat: date) -> _Period:
        return _interval(sat, sat + timedelta(days=1))

    # The Saturday of the weekend that contains ref or most recently ended before it.
    last_sat = ref - timedelta(days=(ref.weekday() - 5) % 7)
    in_weekend = ref.weekday() >= 5
    if kind == "last" or (kind is None and not ctx.future):
        if kind == "last" and in_weekend:
            last_sat -= timedelta(days=7)
        return weekend_of(last_sat)
    next_sat = last_sat if in_weekend and kind != "next" else last_sat + timedelta(days=7)
    return weekend_of(next_sat)


_HANDLERS: list[tuple[re.Pattern[str], Callable[[re.Match[str], _Ctx], _Period]]] = [
    (_ISO_FULL, _iso_full),
    (_NUMERIC, _numeric),
    (_MDY, _month_day),
    (_DMY, _month_day),
    (_QUARTER, _quarter),
    (_QUARTER_YEAR_FIRST, _quarter),
    (_QUARTER_REL, _quarter_rel),
    (_HALF, _half),
    (_SEASON, _season),
    (_MONTH_YEAR, _month_year),
    (_YEAR_ONLY, _year_only),
    (_UNIT_REL, _unit_rel),
]


def _result(text: str, p: _Period) -> ResolvedDate:
    if p.unit == "day":
        return ResolvedDate(text, p.start.isoformat(), "day", p.start, p.end)
    if p.unit == "month":
        d = p.unit_start
        return ResolvedDate(text, f"{d.year:04d}-{d.month:02d}", "month", p.start, p.end)
    if p.unit == "year":
        return ResolvedDate(text, f"{p.unit_start.year:04d}", "year", p.start, p.end)
    # An interval that is no calendar unit (a week, a weekend): the finest unit holding it.
    if p.start == p.end:
        return ResolvedDate(text, p.start.isoformat(), "day", p.start, p.end)
    if (p.start.year, p.start.month) == (p.end.year, p.end.month):
        value = f"{p.start.year:04d}-{p.start.month:02d}"
        return ResolvedDate(text, value, "month", p.start, p.end)
    if p.start.year == p.end.year:
        return ResolvedDate(text, f"{p.start.year:04d}", "year", p.start, p.end)
    return ResolvedDate(text, reason=CROSSES_YEARS)


# --- dates told relative to another date of the text ------------------------------------

_UNIT_WORDS = {"day": "day", "days": "day", "month": "month", "months": "month", "year": "year", "years": "year"}
_SAME = _c(
    r"(?:later|earlier|early|late)?\s*(?:that|the same|that same)\s+(?P<unit>day|month|year)"
    r"|(?P<hours>(?:(?:a few|several|two|three|\d+)\s+)?hours?\s+(?:later|afterwards?|earlier|before))"
)
_SHIFT = _c(
    r"(?:the\s+(?P<dir>following|next|subsequent|previous|prior|preceding)\s+(?P<unit>day|month|year))"
    rf"|(?P<num>{_NUM_ALT})\s+(?P<unit2>days?|months?|years?)\s+(?P<dir2>later|afterwards?|after|"
    r"earlier|before|previously|prior)"
)
_GRAIN = {"day": 0, "month": 1, "year": 2}


def resolve_from_anchor(text: str, anchor: ResolvedDate) -> ResolvedDate:
    """Resolve words told relative to another date of the text ("that year", "a year later").

    "He left in 2023. That year he started a fund": the fund's date is the anchor's
    year. The anchor is the resolved date the words lean on (the caller picks the
    nearest one before them). Handled: "that/the same year|month|day" (also "later that
    year"), "hours later", "the following/next/previous year|month|day" and "N
    years|months|days later/earlier". The answer is never finer than the anchor: "that
    month" after "in 2023" stays unresolved.

    Args:
        text: The date words.
        anchor: A resolved date the words refer to.

    Returns:
        The resolution; ``reason`` is :data:`ANAPHORIC` when the words or the anchor do
        not give one.
    """
    if not anchor.resolved or anchor.start is None:
        return ResolvedDate(text, reason=ANAPHORIC)
    s, _prep, _quantifier = _normalize(text)
    unit, shift = None, 0
    if m := _SAME.fullmatch(s):
        unit = "day" if m.group("hours") else m.group("unit")
    elif m := _SHIFT.fullmatch(s):
        if m.group("dir"):
            unit = m.group("unit")
            shift = -1 if m.group("dir") in ("previous", "prior", "preceding") else 1
        else:
            unit = _UNIT_WORDS[m.group("unit2")]
            num = m.group("num")
            n = int(num) if num.isdigit() else _NUMBERS[num]
            back = m.group("dir2") in ("earlier", "before", "previously", "prior")
            shift = -n if back else n
    if unit is None or _GRAIN[unit] < _GRAIN[anchor.granularity]:
        return ResolvedDate(text, reason=ANAPHORIC)
    base = anchor.start
    try:
        if unit == "year":
            y = base.year + shift
            return _result(text, _Period("year", date(y, 1, 1), date(y, 1, 1), date(y, 12, 31)))
        if unit == "month":
            d = base.replace(day=1) + relativedelta(months=shift)
            last = d.replace(day=calendar.monthrange(d.year, d.month)[1])
            return _result(text, _Period("month", d, d, last))
        d = base + timedelta(days=shift)
        return _result(text, _Period("day", d, d, d))
    except (OverflowError, ValueError):
        return ResolvedDate(text, reason=OUT_OF_RANGE)
