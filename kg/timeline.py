"""The time rule: the day a statement places its relation at, and a relation's state on a day.

docs/TIME.md explains the rule for readers; in short:

- A statement's *claim day* is, for a statement of an ended relation, its end date, else
  its stated date, else its article's date; for a statement of an open relation, its
  start date, else its stated date, else its article's date. Days are ISO strings at
  their own precision (``2024-03-05``, ``2024-03``, ``2024``) and are compared as
  strings, so a year or month counts as its first day.
- A relation *as of day D* is decided by its statements whose claim day is D or earlier
  (an undated statement cannot be placed and is left out): none, and the relation is
  absent; otherwise the latest claim day wins, an ended statement winning a tie, and the
  relation is ``active`` when that statement is open, ``ended`` when it is ended.
- Without a day the same holds over all statements, an undated one counting as older
  than any dated one.

The SPARQL projections (:func:`kg.analytics.to_networkx`) apply the rule in their
aggregates with :func:`claim_day_sparql`; the readers that already hold every statement
(an entity's page, the evidence of a network page) apply it here, with :func:`fold`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

ACTIVE = "active"
ENDED = "ended"

_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_day(value: date | datetime | str | None, name: str = "as_of", *, last: bool = True) -> date | None:
    """Return the day a date filter names; a year or a month stands for its last (or first) day.

    "As of 2023" is the graph at the end of 2023, so ``as_of`` and ``until`` take the last
    day of a year or month and ``since`` (``last=False``) its first.

    Args:
        value: a date, a datetime (its day), or text ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``
            (a longer ISO timestamp is cut to its day).
        name: the parameter's name, for the error message.
        last: take the last day of a year or month, not the first.

    Returns:
        The day, or None when no value was given.

    Raises:
        ValueError: the text is no such date (one line, naming the parameter).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    m = _DAY.fullmatch(text[:10]) if len(text) <= 10 or text[10] in "T " else None
    try:
        if m is None:
            raise ValueError
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        if day is not None:
            return date(year, int(month), int(day))
        if month is not None:
            mm = int(month)
            return date(year, mm, calendar.monthrange(year, mm)[1] if last else 1)
        return date(year, 12, 31) if last else date(year, 1, 1)
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise ValueError(
            f"{name} must be a date YYYY-MM-DD (or a month YYYY-MM, or a year YYYY), got {shown!r}"
        ) from None


def claim_day(
    ended: bool, start_date: str | None, end_date: str | None, stated: str | None, published: str | None
) -> str | None:
    """Return the day a statement places its relation at, or None when it gives no date.

    Args:
        ended: the statement states the relation as over.
        start_date: when the words say the relation began.
        end_date: when the words say it ended.
        stated: the date the sentence gives.
        published: the article's date.
    """
    own = end_date if ended else start_date
    return own or stated or published or None


def claim_day_sparql(
    ended: str = "?ended",
    start: str = "?startDate",
    end: str = "?endDate",
    stated: str = "?statedDate",
    published: str = "?d",
) -> str:
    """Return the SPARQL expression of a statement's claim day, as a string (unbound when undated).

    The arguments name the variables that hold the statement's values; ``ended`` must be
    bound to a boolean (``COALESCE(?e, false)``). An unbound variable inside ``IF`` is an
    error, which ``COALESCE`` passes over to the next choice.
    """
    return f"STR(COALESCE(IF({ended}, {end}, {start}), {stated}, {published}))"


@dataclass(frozen=True)
class State:
    """What a relation is on a day (or over all time): ``active`` or ``ended``.

    ``start_date`` is the first claim day of its open statements; ``end_date`` the claim
    day of the ending statement that decides it, when it is ended.
    """

    status: str
    start_date: str | None
    end_date: str | None

    @property
    def ended(self) -> bool:
        """Return whether the relation is over."""
        return self.status == ENDED


def _key(day: str | None, ended: bool) -> tuple[bool, str, bool]:
    return (day is not None, day or "", ended)


def fold(statements: Iterable[tuple[str | None, bool]], as_of: date | None = None) -> State | None:
    """Apply the rule to a relation's statements.

    Args:
        statements: (claim day, ended) per statement.
        as_of: the day; None decides over all statements.

    Returns:
        The relation's state, or None when no statement places it by ``as_of``.
    """
    cutoff = as_of.isoformat() if as_of is not None else None
    kept = [(d, bool(e)) for d, e in statements if cutoff is None or (d is not None and d <= cutoff)]
    if not kept:
        return None
    day, ended = max(kept, key=lambda s: _key(*s))
    opens = sorted(d for d, e in kept if not e and d is not None)
    return State(ENDED if ended else ACTIVE, opens[0] if opens else None, day if ended else None)


def in_view(day: str | None, as_of: date | None) -> bool:
    """Return whether a statement with this claim day counts as of ``as_of`` (None: always)."""
    return as_of is None or (day is not None and day <= as_of.isoformat())


def changes(statements: Iterable[tuple[str | None, bool]]) -> list[list[Any]]:
    """Return a relation's dated statements as what a replay needs, oldest first.

    Each item is ``[claim day, ended]``. An open statement is kept only where it opens
    the relation (first, or first after an ending); every ending is kept. The state as
    of a day is then :func:`fold`'s answer read off the items on or before it: the last
    one decides (an ended statement sorts after an open one of the same day), its day is
    the end date when it is ended, and the first open item is the start date.
    """
    out: list[list[Any]] = []
    for day, ended in sorted({(d, bool(e)) for d, e in statements if d is not None}):
        if ended or not out or out[-1][1]:
            out.append([day, ended])
    return out
