"""The grammar: :func:`resolve_date` tries the normalized words against the patterns in a
fixed order and turns what matches into a period, then into a :class:`ResolvedDate`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from ingest.temporal.normalize import _BOUND, _normalize
from ingest.temporal.periods import (
    _earlier_later,
    _interval,
    _month_bounds,
    _month_period,
    _months_bounds,
    _Period,
    _pick,
    _rel_kind,
    _week,
    _year_from,
    _year_period,
)
from ingest.temporal.result import (
    AMBIGUOUS_ORDER,
    ANAPHORIC,
    BOUND,
    CROSSES_YEARS,
    DECADE,
    DURATION,
    EMPTY,
    FISCAL,
    NO_SUCH_DAY,
    NOT_A_DATE,
    OUT_OF_RANGE,
    SPAN,
    UNRECOGNISED,
    VAGUE,
    WINTER,
    ResolvedDate,
    _Ctx,
    _Unresolved,
)
from ingest.temporal.vocabulary import (
    _AGO,
    _ANAPHORIC,
    _DAY_WORDS,
    _DAY_WORDS_ORDINAL,
    _DECADE,
    _DMY,
    _DURATION,
    _FISCAL,
    _FROM_NOW,
    _HALF,
    _HALF_YEAR_FIRST,
    _HOLIDAY,
    _HOLIDAYS,
    _ISO_FULL,
    _MDY,
    _MODS,
    _MONTH_YEAR,
    _MONTHS,
    _NOT_A_DATE,
    _NUMBERS,
    _NUMERIC,
    _ORDINAL_DAY,
    _ORDINALS,
    _QUARTER,
    _QUARTER_REL,
    _QUARTER_YEAR_FIRST,
    _SEASON,
    _SEASONS,
    _SPAN_THE_PAST,
    _SPAN_TRAILING,
    _SPAN_WORDS,
    _SPAN_YEARS,
    _THIS_TIME,
    _UNIT_REL,
    _VAGUE,
    _WEEKDAY_ONLY,
    _WEEKDAYS,
    _YEAR_ONLY,
)


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


def _day_number(words: str) -> int:
    """A day of the month as written: "12", "12th" or "twelfth"."""
    if words in _DAY_WORDS_ORDINAL:
        return _DAY_WORDS_ORDINAL[words]
    return int(words.rstrip("stndrh"))


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
    day = _day_number(m["day"])
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


def _holiday(m: re.Match[str], ctx: _Ctx) -> _Period:
    """A holiday on a fixed calendar day ("on New Year's Eve", "Christmas Eve 2023")."""
    month, day = _HOLIDAYS[m["holiday"]]
    year = _year_from(m, ctx)
    if year is None:
        year = _pick(ctx, None, lambda y: (date(y, month, day), date(y, month, day)))
    return _day(date(year, month, day))


def _ordinal_day(m: re.Match[str], ctx: _Ctx) -> _Period:
    """A day of the month said alone ("on the 12th"): of the article's month when that day
    has come (past tense) or is still to come (future tense), else of the month before or
    after; "the 3rd of last month" names its month."""
    day = _day_number(m["day"] or m["dayw"])
    if not 1 <= day <= 31:
        raise _Unresolved(NO_SUCH_DAY)
    ref = ctx.ref
    first = ref.replace(day=1)
    kind = _rel_kind(m["mrel"] or m["mrelw"])
    if kind == "last":
        months = -1
    elif kind == "next":
        months = 1
    elif kind == "this":
        months = 0
    elif ctx.future:
        months = 0 if day >= ref.day else 1
    else:
        months = 0 if day <= ref.day else -1
    month = first + relativedelta(months=months)
    return _day(_safe_date(month.year, month.month, day))


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
    (_ORDINAL_DAY, _ordinal_day),
    (_HOLIDAY, _holiday),
    (_DMY, _month_day),
    (_QUARTER, _quarter),
    (_QUARTER_YEAR_FIRST, _quarter),
    (_QUARTER_REL, _quarter_rel),
    (_HALF, _half),
    (_HALF_YEAR_FIRST, _half),
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
