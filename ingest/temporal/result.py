"""What a resolution gives: :class:`ResolvedDate`, the reasons a date stays unresolved,
the resolution context and :func:`xsd_datatype` for the ISO value's datatype."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

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
