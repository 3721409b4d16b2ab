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
- A day of the month said alone ("on the 12th") is of the article's month when that day
  has come (future tense: is still to come), else of the month before (after). Holidays
  on a fixed day ("New Year's Eve", "Christmas Eve", "Halloween") are that day, picked
  like a bare month and day; movable ones (Easter, Thanksgiving) and "over Christmas"
  stay unresolved. "The final weeks / closing days of 2024" are its last month
  ("2024-12"), "the first weeks of" its first; "to 2021" reads like "until 2021".
  "Late in 2023", "end-2023", "year-end 2023", "mid-year 2023", "2024's second half" and
  "calendar 2024" are read like "late 2023", ...; "the week before last" like "two weeks
  ago"; days may be ordinal words ("the first of June").
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
this package             75/75        ~48,000   the grammar (grammar.py) + relativedelta
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

from ingest.temporal.anchor import resolve_from_anchor
from ingest.temporal.grammar import resolve_date
from ingest.temporal.result import (
    AMBIGUOUS_ORDER,
    ANAPHORIC,
    BOUND,
    CROSSES_YEARS,
    DECADE,
    DURATION,
    EMPTY,
    FISCAL,
    NO_REFERENCE,
    NO_SUCH_DAY,
    NOT_A_DATE,
    OUT_OF_RANGE,
    SPAN,
    UNRECOGNISED,
    VAGUE,
    WINTER,
    Granularity,
    ResolvedDate,
    xsd_datatype,
)

__all__ = [
    "AMBIGUOUS_ORDER",
    "ANAPHORIC",
    "BOUND",
    "CROSSES_YEARS",
    "DECADE",
    "DURATION",
    "EMPTY",
    "FISCAL",
    "NO_REFERENCE",
    "NO_SUCH_DAY",
    "NOT_A_DATE",
    "OUT_OF_RANGE",
    "SPAN",
    "UNRECOGNISED",
    "VAGUE",
    "WINTER",
    "Granularity",
    "ResolvedDate",
    "resolve_date",
    "resolve_from_anchor",
    "xsd_datatype",
]
