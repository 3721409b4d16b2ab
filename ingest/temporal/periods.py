"""Calendar periods the grammar builds: a value's unit and the interval it covers, month,
quarter and year bounds, and which year a period named without one falls in."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.temporal.result import (
    ANAPHORIC,
    NO_SUCH_DAY,
    OUT_OF_RANGE,
    UNRECOGNISED,
    _Ctx,
    _Unresolved,
)


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
    elif mod in ("head", "tail"):
        return _month_period(y, 1 if mod == "head" else 12, mod, ctx)
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
        "head": (1, 10),
        "tail": (last - 9, last),
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
