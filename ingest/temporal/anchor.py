"""Dates told relative to another date of the text ("that year", "a year later"):
:func:`resolve_from_anchor`."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ingest.temporal.grammar import _result
from ingest.temporal.normalize import _normalize
from ingest.temporal.periods import (
    _Period,
)
from ingest.temporal.result import (
    ANAPHORIC,
    OUT_OF_RANGE,
    ResolvedDate,
)
from ingest.temporal.vocabulary import (
    _NUM_ALT,
    _NUMBERS,
    _c,
)

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
