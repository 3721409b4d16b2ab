"""The date and money normalizers against the libraries made for the job, on one table.

Usage: python benchmarks/bench_normalizers.py [--seconds 2] [--out benchmarks/results/normalizers.json]

For dates: :func:`ingest.temporal.resolve_date` against dateparser (with the article
date as RELATIVE_BASE and PREFER_DATES_FROM), python-dateutil (absolute dates; which
fields the text gave is found by parsing against two different defaults) and, when
installed, ctparse. For money: :func:`ingest.amounts.parse_amount` against price-parser
(alone, and with our magnitude words added after it) and, when installed, quantulum3.
Each candidate is scored on the same table of news phrases (a case is right when its
value, or its value, currency and range ends, equal the table's) and timed in calls per
second over the table. Candidates that are not installed are reported as skipped; the
project depends on none of them but python-dateutil (dateparser comes in with
trafilatura). Not part of the test pass/fail.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import re
import sys
import time
import warnings
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

R = date(2025, 6, 12)  # a Thursday
MON = date(2025, 6, 9)
JAN = date(2025, 1, 5)

# (text, article date, prefer, expected ISO value or None for "must stay unresolved")
DATE_CASES = [
    ("in 2019", R, "past", "2019"),
    ("2019", R, "past", "2019"),
    ("on Tuesday", R, "past", "2025-06-10"),
    ("Tuesday", R, "future", "2025-06-17"),
    ("on Friday", MON, "past", "2025-06-06"),
    ("on Friday", MON, "future", "2025-06-13"),
    ("on Monday", MON, "past", "2025-06-09"),
    ("last Tuesday", R, "past", "2025-06-10"),
    ("next Tuesday", R, "past", "2025-06-17"),
    ("last month", R, "past", "2025-05"),
    ("next month", R, "past", "2025-07"),
    ("this month", R, "past", "2025-06"),
    ("earlier this month", R, "past", "2025-06"),
    ("earlier this year", R, "past", "2025"),
    ("later this year", R, "future", "2025"),
    ("this year", R, "past", "2025"),
    ("last year", R, "past", "2024"),
    ("last year", JAN, "past", "2024"),
    ("next year", R, "future", "2026"),
    ("in March", R, "past", "2025-03"),
    ("in March", R, "future", "2026-03"),
    ("in September", R, "past", "2024-09"),
    ("in early March", R, "past", "2025-03"),
    ("last December", R, "past", "2024-12"),
    ("in March last year", R, "past", "2024-03"),
    ("on March 3", R, "past", "2025-03-03"),
    ("on March 3", R, "future", "2026-03-03"),
    ("Dec. 5", R, "past", "2024-12-05"),
    ("March 3, 2024", R, "past", "2024-03-03"),
    ("on March 3, 2024", R, "past", "2024-03-03"),
    ("3 March 2024", R, "past", "2024-03-03"),
    ("Tuesday, March 4", R, "past", "2025-03-04"),
    ("March 2024", R, "past", "2024-03"),
    ("Sept. 2023", R, "past", "2023-09"),
    ("December 2023", R, "past", "2023-12"),
    ("2024-03-05", R, "past", "2024-03-05"),
    ("Q3 2025", R, "past", "2025"),
    ("the third quarter of 2025", R, "past", "2025"),
    ("last quarter", R, "past", "2025"),
    ("last quarter", date(2025, 2, 10), "past", "2024"),
    ("the fourth quarter", R, "past", "2024"),
    ("the first half of 2024", R, "past", "2024"),
    ("H1 2024", R, "past", "2024"),
    ("late 2023", R, "past", "2023"),
    ("mid-2024", R, "past", "2024"),
    ("the end of 2024", R, "past", "2024"),
    ("end of last year", R, "past", "2024"),
    ("the summer of 2023", R, "past", "2023"),
    ("last summer", R, "past", "2024"),
    ("this week", R, "past", "2025-06"),
    ("yesterday", R, "past", "2025-06-11"),
    ("yesterday", date(2025, 6, 1), "past", "2025-05-31"),
    ("today", R, "past", "2025-06-12"),
    ("two years ago", R, "past", "2023"),
    ("a year ago", R, "past", "2024"),
    ("three months ago", R, "past", "2025-03"),
    ("20 years ago", R, "past", "2005"),
    ("since 2021", R, "past", "2021"),
    ("since March 2021", R, "past", "2021-03"),
    ("until 2023", R, "past", "2023"),
    ("by 2030", R, "future", "2030"),
    ("the 2010s", R, "past", None),
    ("fiscal 2025", R, "past", None),
    ("its fiscal third quarter", R, "past", None),
    ("FY2025", R, "past", None),
    ("annual", R, "past", None),
    ("30 years", R, "past", None),
    ("the past year", R, "past", None),
    ("the day before", R, "past", None),
    ("last month", None, "past", None),
    ("in March", None, "past", None),
    ("on Tuesday", None, "past", None),
    ("in 2019", None, "past", "2019"),
    ("on March 3, 2024", None, "past", "2024-03-03"),
    ("Q3 2025", None, "past", "2025"),
]

# (text, value, currency, low, high)
MONEY_CASES = [
    ("$10 billion", D("10000000000"), "USD", None, None),
    ("10bn dollars", D("10000000000"), "USD", None, None),
    ("€1.7 billion", D("1700000000"), "EUR", None, None),
    ("EUR 1.7bn", D("1700000000"), "EUR", None, None),
    ("EUR1.7 billion", D("1700000000"), "EUR", None, None),
    ("$650m", D("650000000"), "USD", None, None),
    ("£2 billion", D("2000000000"), "GBP", None, None),
    ("$1.5bn", D("1500000000"), "USD", None, None),
    ("about $4 billion", D("4000000000"), "USD", None, None),
    ("a $300 million round", D("300000000"), "USD", None, None),
    ("¥50 billion", D("50000000000"), "JPY", None, None),
    ("$2.75 trillion", D("2750000000000"), "USD", None, None),
    ("US$3 billion", D("3000000000"), "USD", None, None),
    ("C$500 million", D("500000000"), "CAD", None, None),
    ("Rs 1,200 crore", D("12000000000"), "INR", None, None),
    ("$10", D("10"), "USD", None, None),
    ("$1,250,000", D("1250000"), "USD", None, None),
    ("billions of dollars", None, "USD", None, None),
    ("1,5 Mrd. Euro", None, None, None, None),
    ("between $5 and $10 billion", None, "USD", D("5000000000"), D("10000000000")),
    ("$5 billion to $10 billion", None, "USD", D("5000000000"), D("10000000000")),
    ("$5-10 billion", None, "USD", D("5000000000"), D("10000000000")),
    ("more than $1 billion", D("1000000000"), "USD", None, None),
    ("$4 billion-plus", D("4000000000"), "USD", None, None),
    ("2 billion euros", D("2000000000"), "EUR", None, None),
    ("1.5 billion yuan", D("1500000000"), "CNY", None, None),
    ("CHF 200 million", D("200000000"), "CHF", None, None),
    ("₩1 trillion", D("1000000000000"), "KRW", None, None),
    ("$7.5B", D("7500000000"), "USD", None, None),
    ("$500K", D("500000"), "USD", None, None),
    ("a $1 billion", D("1000000000"), "USD", None, None),
    ("$13bn", D("13000000000"), "USD", None, None),
    ("hundreds of millions of dollars", None, "USD", None, None),
    ("two billion dollars", D("2000000000"), "USD", None, None),
    ("$1.2 billion", D("1200000000"), "USD", None, None),
    ("€1.7 milliard", D("1700000000"), "EUR", None, None),
]

_PREP = re.compile(r"^(?:in|on|since|until|by)\s+", re.I)


# --- date candidates ------------------------------------------------------------------


def _ours_date(text, ref, prefer):
    from ingest.temporal import resolve_date

    return resolve_date(text, ref, prefer=prefer).value


def _dateparser(text, ref, prefer):
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False}
    if ref is not None:
        settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day)
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(_PREP.sub("", text))
    d = data.date_obj
    if d is None:
        return None
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(data.period, d.date().isoformat())


def _dateutil(text, ref, prefer):
    from dateutil import parser

    t = _PREP.sub("", text)
    try:
        a = parser.parse(t, default=datetime(1, 1, 1), fuzzy=True)
        b = parser.parse(t, default=datetime(2, 2, 2), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if a.year != b.year:
        return None
    if a.month != b.month:
        return f"{a.year:04d}"
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}"
    return a.date().isoformat()


def _ctparse(text, ref, prefer):
    import ctparse
    from ctparse.types import Interval

    base = datetime(ref.year, ref.month, ref.day) if ref else datetime.now()
    r = ctparse.ctparse(_PREP.sub("", text), ts=base, timeout=1)
    v = r.resolution if r else None
    if isinstance(v, Interval):
        v = v.t_from or v.t_to
    if v is None or getattr(v, "year", None) is None:
        return None
    if v.month is None:
        return f"{v.year:04d}"
    if v.day is None:
        return f"{v.year:04d}-{v.month:02d}"
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"


# --- money candidates -----------------------------------------------------------------

_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "C$": "CAD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₩": "KRW",
    "CHF": "CHF",
    "Rs": "INR",
    "₹": "INR",
}
_MAGS = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "crore": 10**7,
}


def _ours_money(text):
    from ingest.amounts import parse_amount

    a = parse_amount(text)
    return a.value, a.currency, a.low, a.high


def _price_parser(text):
    from price_parser import Price

    p = Price.fromstring(text)
    return p.amount, _SYMBOLS.get(p.currency, p.currency), None, None


def _price_parser_magnitudes(text):
    from price_parser import Price

    p = Price.fromstring(text)
    if p.amount is None:
        return None, _SYMBOLS.get(p.currency, p.currency), None, None
    m = re.search(r"\d\s*-?\s*(thousand|million|billion|trillion|crore|bn|tn|[kmb])(?![a-z])", text, re.I)
    value = p.amount * _MAGS[m[1].lower()] if m else p.amount
    if value == value.to_integral_value():
        value = value.quantize(D(1))
    return value, _SYMBOLS.get(p.currency, p.currency), None, None


def _quantulum3(text):
    import quantulum3.parser as qp

    qs = [q for q in qp.parse(text) if q.unit.entity.name == "currency"]
    if not qs:
        return None, None, None, None
    q = qs[0]
    value = D(str(q.value))
    if value == value.to_integral_value():
        value = value.quantize(D(1))
    return value, getattr(q.unit, "currency_code", None), None, None


# --- scoring --------------------------------------------------------------------------


def _score(fn, cases, expected_of, call, seconds: float) -> dict:
    right, wrong = 0, []
    for case in cases:
        try:
            got = call(fn, case)
        except Exception as exc:  # a candidate that raises gets the case wrong
            got = f"error: {type(exc).__name__}"
        if got == expected_of(case):
            right += 1
        else:
            wrong.append(case[0])
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for case in cases:
            try:
                call(fn, case)
            except Exception:  # noqa: S110 - timing only
                pass
            n += 1
    return {"right": right, "cases": len(cases), "calls_per_s": round(n / (time.perf_counter() - t0)), "wrong": wrong}


def _available(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="timing per candidate")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "normalizers.json"))
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)

    date_candidates = {
        "ingest.temporal": ("ingest", _ours_date),
        "dateparser": ("dateparser", _dateparser),
        "python-dateutil": ("dateutil", _dateutil),
        "ctparse": ("ctparse", _ctparse),
    }
    money_candidates = {
        "ingest.amounts": ("ingest", _ours_money),
        "price-parser": ("price_parser", _price_parser),
        "price-parser + magnitude words": ("price_parser", _price_parser_magnitudes),
        "quantulum3": ("quantulum3", _quantulum3),
    }
    report: dict = {"machine": platform.platform(), "python": platform.python_version(), "dates": {}, "money": {}}
    for name, (module, fn) in date_candidates.items():
        if not _available(module):
            report["dates"][name] = "skipped: not installed"
            continue
        report["dates"][name] = _score(fn, DATE_CASES, lambda c: c[3], lambda f, c: f(c[0], c[1], c[2]), args.seconds)
    for name, (module, fn) in money_candidates.items():
        if not _available(module):
            report["money"][name] = "skipped: not installed"
            continue
        report["money"][name] = _score(fn, MONEY_CASES, lambda c: tuple(c[1:]), lambda f, c: f(c[0]), args.seconds)
    for kind in ("dates", "money"):
        for name, r in report[kind].items():
            line = r if isinstance(r, str) else f"{r['right']}/{r['cases']} right, {r['calls_per_s']:,} calls/s"
            print(f"{kind:5}  {name:32} {line}")
    Path(args.out).write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
