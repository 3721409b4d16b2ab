"""The grammar's vocabulary (months, weekdays, number words, period parts) and the
patterns built from it, compiled once at import."""

from __future__ import annotations

import re

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
# Holidays on a fixed day of the calendar (the movable ones, Easter or Thanksgiving, are
# left out: their day differs by year and by country).
_HOLIDAYS = {
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "boxing day": (12, 26),
    "valentine's day": (2, 14),
    "halloween": (10, 31),
}
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
    "the early part of": "early",
    "the first part of": "early",
    "the later part of": "late",
    "the latter part of": "late",
    "the last part of": "late",
    "mid-year": "mid",
    "midyear": "mid",
    "year-end": "late",
    "year end": "late",
    "end": "late",  # "end-2023", "end-March"
    # A few weeks or days at one end of a period: a year's are its first or last month.
    "the final weeks of": "tail",
    "the last weeks of": "tail",
    "the closing weeks of": "tail",
    "the last few weeks of": "tail",
    "the final few weeks of": "tail",
    "the final days of": "tail",
    "the last days of": "tail",
    "the closing days of": "tail",
    "the dying days of": "tail",
    "the last few days of": "tail",
    "the final few days of": "tail",
    "the first weeks of": "head",
    "the opening weeks of": "head",
    "the first few weeks of": "head",
    "the early weeks of": "head",
    "the first days of": "head",
    "the opening days of": "head",
    "the first few days of": "head",
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
# Days of the month as ordinal words ("the first of June", "March twenty-first").
_DAY_WORDS_ORDINAL = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
    )
}
_DAY_WORDS_ORDINAL |= {f"twenty-{w}": 20 + n for w, n in list(_DAY_WORDS_ORDINAL.items())[:9]}
_DAY_WORDS_ORDINAL |= {"thirtieth": 30, "thirty-first": 31}
_DAYNUM = rf"(?P<day>\d{{1,2}}(?:st|nd|rd|th)?|{_alt(_DAY_WORDS_ORDINAL)})"
_YEAR_TAIL = rf"(?:,?\s+(?:of\s+)?{_YEARX})?"
# A day of the month said alone: "on the 12th", "the 1st of this month".
_OF_MONTH = r"\s+of\s+(?P<mrel>the|this|last|next|the previous|the current|the coming) month"
_ORDINAL_DAY = _c(
    rf"(?:the\s+)?(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)(?:{_OF_MONTH})?"
    rf"|(?P<dayw>{_alt(_DAY_WORDS_ORDINAL)}){_OF_MONTH.replace('mrel', 'mrelw')})"
)
_HOLIDAY = _c(rf"(?P<holiday>{_alt(_HOLIDAYS)}){_YEAR_TAIL}")
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
_HALF_YEAR_FIRST = _c(rf"(?P<year>{_YEAR4})(?:'s)?\s+(?:h(?P<h1>[12])|(?P<hw>first|second|latter|back|front)\s+half)")
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
