"""Check the blind time gold files and print their counts.

Plain Python, no project imports, so it runs anywhere:

    python tests/gold_time_blind/check.py            # problems, one per line; exit 1 if any
    python tests/gold_time_blind/check.py --counts   # the same checks, then the count tables

It checks the shape of every file (keys, types, ids), that every name, alias, date_text
and amount is a verbatim piece of the text, the domain and range of every predicate, the
amount values (re-parsed from the amount words), and the resolved dates: every date_text
of a kind it knows ("on Tuesday", "last month", "in March", "since 2021", ...) is
resolved again against ``published`` and compared. Date words it does not know are
listed as resolved by hand, so a reviewer can look at exactly those.
"""

from __future__ import annotations

import calendar
import datetime as dt
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

PREDICATES = {
    # predicate: (allowed subject types, allowed object types)
    "partnersWith": ({"Organization"}, {"Organization"}),
    "investsIn": ({"Organization", "Person"}, {"Organization"}),
    "acquires": ({"Organization"}, {"Organization", "Product"}),
    "competesWith": ({"Organization"}, {"Organization"}),
    "subsidiaryOf": ({"Organization"}, {"Organization"}),
    "suppliesTo": ({"Organization"}, {"Organization"}),
    "disputesWith": ({"Organization", "Person"}, {"Organization", "Person"}),
    "sues": ({"Organization", "Person"}, {"Organization", "Person"}),
    "develops": ({"Organization", "Person"}, {"AIModel", "Product"}),
    "uses": ({"Organization", "Product"}, {"AIModel", "Product"}),
    "leads": ({"Person"}, {"Organization"}),
    "founded": ({"Person", "Organization"}, {"Organization"}),
    "worksFor": ({"Person"}, {"Organization"}),
}
SYMMETRIC = {"partnersWith", "competesWith", "disputesWith"}
TYPES = {"Organization", "Person", "AIModel", "Product"}
STYLES = {"wire", "analysis", "press-release", "blog", "feature", "brief", "long-form"}
FILE_KEYS = {"id", "style", "title", "url", "published", "text", "entities", "relations"}
REL_KEYS = {
    "subject",
    "predicate",
    "object",
    "note",
    "hedged",
    "ended",
    "date",
    "date_text",
    "amount",
    "amount_value",
    "amount_currency",
    "stake_percent",
}
NEG_KEYS = {"subject", "predicate", "object", "note"}
CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CNY", "INR", "CAD", "CHF", "KRW"}

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

# Words that make an amount a range, a bound or a vague sum: value must be null.
VAGUE = re.compile(
    r"\b(between|as much as|up to|more than|at least|over|under|billions|millions)\b"
    r"|\d\s*(-|to)\s*[$€£¥₹]?\d",
    re.I,
)
SCALES = [
    ("trillion", 10**12),
    ("billion", 10**9),
    ("bn", 10**9),
    ("million", 10**6),
    ("crore", 10**7),
    ("lakh", 10**5),
    ("thousand", 10**3),
    ("m", 10**6),
    ("k", 10**3),
]


# --------------------------------------------------------------------------- amounts
def parse_amount(words: str) -> tuple[float | None, str | None]:
    """Return (value, ISO currency) read from amount words; value None for vague ones."""
    w = words.strip()
    low = w.lower()
    if "c$" in low or "canadian" in low:
        cur = "CAD"
    elif "$" in w or "dollar" in low or "usd" in low:
        cur = "USD"
    elif "€" in w or "eur" in low:
        cur = "EUR"
    elif "£" in w or "gbp" in low or "pound" in low:
        cur = "GBP"
    elif "¥" in w or "yen" in low or "jpy" in low:
        cur = "JPY"
    elif "₹" in w or "rupee" in low or "inr" in low:
        cur = "INR"
    elif "chf" in low or "franc" in low:
        cur = "CHF"
    elif re.search(r"\bwon\b", low) or "krw" in low:
        cur = "KRW"
    elif "yuan" in low or "cny" in low or "rmb" in low:
        cur = "CNY"
    else:
        cur = None
    if VAGUE.search(w):
        return None, cur
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*([a-z]+)?", low)
    if not m:
        return None, cur
    value = float(m.group(1).replace(",", ""))
    unit = m.group(2) or ""
    for name, factor in SCALES:
        if unit == name:
            value *= factor
            break
    return value, cur


# --------------------------------------------------------------------------- dates
def _month_back(pub: dt.date, month: int) -> str:
    """The most recent `month` on or before the publication month."""
    year = pub.year if month <= pub.month else pub.year - 1
    return f"{year}-{month:02d}"


def _month_ahead(pub: dt.date, month: int) -> str:
    """The next `month` on or after the publication month."""
    year = pub.year if month >= pub.month else pub.year + 1
    return f"{year}-{month:02d}"


def _season_back(pub: dt.date, season: str, last: bool) -> str:
    """Year of the most recent season that has begun (``last``: one that has ended)."""
    start = SEASONS[season]
    year = pub.year
    # the season starting in `start` of `year` is over 3 months later
    begun = dt.date(year, start, 1) <= pub
    over = (dt.date(year, start, 1) + dt.timedelta(days=92)) <= pub
    if last and not over or not last and not begun:
        year -= 1
    return str(year)


def resolve(date_text: str, pub: dt.date | None, future: bool) -> tuple[bool, str | None]:
    """Resolve date words the checker knows.

    Returns (known, iso): known False means the words are not a pattern this checker
    knows (the annotator resolved them by hand). iso None for a known relative
    expression when ``pub`` is None, or for fiscal periods.
    """
    t = date_text.strip().lower()
    t = re.sub(r"^(in|on|since|until|from|at|by|during|through)\s+", "", t)
    t = re.sub(r"^(the end of|the start of|the beginning of|late|early|mid-)\s*", "", t)
    if "fiscal" in t:
        return True, None
    m = re.fullmatch(r"(?:q[1-4]|the (?:first|second|third|fourth) quarter of) (\d{4})", t)
    if m:
        return True, m.group(1)
    m = re.fullmatch(r"(\d{4})", t)
    if m:
        return True, m.group(1)
    m = re.fullmatch(r"([a-z]+) (\d{1,2}),? (\d{4})", t)
    if m and m.group(1) in MONTHS:
        return True, dt.date(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2))).isoformat()
    m = re.fullmatch(r"([a-z]+) (\d{4})", t)
    if m and m.group(1) in MONTHS:
        return True, f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    relative = {
        "today",
        "yesterday",
        "last month",
        "last year",
        "next year",
        "this year",
        "earlier this year",
        "earlier this month",
        "this month",
        "last week",
        "the third quarter of this year",
        "the second quarter of this year",
        "the first quarter of this year",
        "the fourth quarter of this year",
    }
    is_weekday = t in WEEKDAYS
    is_month = t in MONTHS
    m_day = re.fullmatch(r"([a-z]+) (\d{1,2})", t)
    is_month_day = bool(m_day and m_day.group(1) in MONTHS)
    m_season = re.fullmatch(r"(last )?(?:the )?(spring|summer|autumn|fall|winter)", t)
    if not (t in relative or is_weekday or is_month or is_month_day or m_season):
        return False, None
    if pub is None:
        return True, None
    if t == "today":
        return True, pub.isoformat()
    if t == "yesterday":
        return True, (pub - dt.timedelta(days=1)).isoformat()
    if t == "last month":
        first = pub.replace(day=1) - dt.timedelta(days=1)
        return True, f"{first.year}-{first.month:02d}"
    if t in ("this month", "earlier this month"):
        return True, f"{pub.year}-{pub.month:02d}"
    if t in ("this year", "earlier this year") or t.endswith("quarter of this year"):
        return True, str(pub.year)
    if t == "last year":
        return True, str(pub.year - 1)
    if t == "next year":
        return True, str(pub.year + 1)
    if t == "last week":
        monday = pub - dt.timedelta(days=pub.weekday() + 7)
        sunday = monday + dt.timedelta(days=6)
        if (monday.year, monday.month) == (sunday.year, sunday.month):
            return True, f"{monday.year}-{monday.month:02d}"
        return True, str(monday.year) if monday.year == sunday.year else None
    if is_weekday:
        back = (pub.weekday() - WEEKDAYS[t]) % 7
        return True, (pub - dt.timedelta(days=back)).isoformat()
    if is_month:
        return True, (_month_ahead if future else _month_back)(pub, MONTHS[t])
    if is_month_day:
        month, day = MONTHS[m_day.group(1)], int(m_day.group(2))
        cand = dt.date(pub.year, month, day)
        if cand > pub:
            cand = dt.date(pub.year - 1, month, day)
        return True, cand.isoformat()
    if m_season:
        return True, _season_back(pub, m_season.group(2), bool(m_season.group(1)))
    return False, None


ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def valid_iso(s: str) -> bool:
    if not ISO.match(s):
        return False
    parts = [int(p) for p in s.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- text
def words(text: str) -> int:
    return len(re.findall(r"\S+", text.replace(" — ", " ")))


def sentences(text: str) -> int:
    return len(re.findall(r'[.!?]["”]?(?:\s+(?=["“]?[A-Z])|\s*$)', text.strip())) or 1


# --------------------------------------------------------------------------- checking
def check_file(path: str, problems: list[str], by_hand: list[str]) -> dict:
    name = os.path.basename(path)

    def bad(msg: str) -> None:
        problems.append(f"{name}: {msg}")

    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    keys = set(d)
    if not FILE_KEYS <= keys or keys - FILE_KEYS - {"negatives"}:
        bad(f"file keys {sorted(keys)}")
    if d.get("id") != name[:-5] or not re.fullmatch(r"b\d{3}-[a-z0-9-]+", d.get("id", "")):
        bad(f"id {d.get('id')!r} does not match the file name")
    if d.get("style") not in STYLES:
        bad(f"style {d.get('style')!r}")
    pub = None
    if d.get("published") is not None:
        try:
            pub = dt.date.fromisoformat(d["published"])
        except (TypeError, ValueError):
            bad(f"published {d['published']!r} is not YYYY-MM-DD")
    text = d.get("text", "")
    n_words, n_sent = words(text), sentences(text)
    if not 30 <= n_words <= 120:
        bad(f"{n_words} words")
    if not 1 <= n_sent <= 4:
        bad(f"{n_sent} sentences")

    types: dict[str, str] = {}
    for e in d.get("entities", []):
        if set(e) != {"name", "type", "aliases"}:
            bad(f"entity keys {sorted(e)}")
            continue
        if e["name"] in types:
            bad(f"entity {e['name']!r} twice")
        types[e["name"]] = e["type"]
        if e["type"] not in TYPES:
            bad(f"entity {e['name']!r} type {e['type']!r}")
        for a in e["aliases"]:
            if a not in text:
                bad(f"alias {a!r} of {e['name']!r} not in text")
        if e["name"] not in text and not any(a in text for a in e["aliases"]):
            bad(f"entity {e['name']!r}: neither name nor an alias in text")

    seen = set()
    for r in d.get("relations", []):
        tag = f"{r.get('subject')} {r.get('predicate')} {r.get('object')}"
        if set(r) != REL_KEYS:
            bad(f"{tag}: keys missing {sorted(REL_KEYS - set(r))} extra {sorted(set(r) - REL_KEYS)}")
            continue
        p = r["predicate"]
        if p not in PREDICATES:
            bad(f"{tag}: unknown predicate")
            continue
        st, ot = types.get(r["subject"]), types.get(r["object"])
        if st is None or ot is None:
            bad(f"{tag}: an end is not an entity of the file")
            continue
        if st not in PREDICATES[p][0] or ot not in PREDICATES[p][1]:
            bad(f"{tag}: {st} -> {ot} outside the predicate's domain/range")
        if r["subject"] == r["object"]:
            bad(f"{tag}: subject equals object")
        for k in ("hedged", "ended"):
            if not isinstance(r[k], bool):
                bad(f"{tag}: {k} is not true/false")
        if not isinstance(r["note"], str) or not r["note"]:
            bad(f"{tag}: empty note")
        key = (
            frozenset((r["subject"], r["object"])) if p in SYMMETRIC else (r["subject"], r["object"]),
            p,
            r["date"],
            r["amount"],
        )
        if key in seen:
            bad(f"{tag}: duplicate relation")
        seen.add(key)
        # dates
        if r["date_text"] is not None and r["date_text"] not in text:
            bad(f"{tag}: date_text {r['date_text']!r} not in text")
        if r["date"] is not None:
            if not isinstance(r["date"], str) or not valid_iso(r["date"]):
                bad(f"{tag}: date {r['date']!r} is not ISO 8601")
            if r["date_text"] is None:
                bad(f"{tag}: date without date_text")
        if r["date_text"] is not None:
            known, want = resolve(r["date_text"], pub, future=r["hedged"])
            if known:
                if want != r["date"]:
                    bad(f"{tag}: date_text {r['date_text']!r} resolves to {want!r}, file says {r['date']!r}")
            else:
                by_hand.append(f"{name}: {tag}: {r['date_text']!r} -> {r['date']!r}")
        # amounts
        amt = r["amount"]
        if amt is None:
            if r["amount_value"] is not None or r["amount_currency"] is not None:
                bad(f"{tag}: amount_value/currency without amount")
        else:
            if amt not in text:
                bad(f"{tag}: amount {amt!r} not in text")
            value, cur = parse_amount(amt)
            if r["amount_currency"] not in CURRENCIES or r["amount_currency"] != cur:
                bad(f"{tag}: currency {r['amount_currency']!r}, the words say {cur!r}")
            v = r["amount_value"]
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                bad(f"{tag}: amount_value is not a number")
            elif (v is None) != (value is None) or (v is not None and abs(v - value) > 1e-6 * value):
                bad(f"{tag}: amount_value {v!r}, the words say {value!r}")
        sp = r["stake_percent"]
        if sp is not None:
            if isinstance(sp, bool) or not isinstance(sp, (int, float)) or not 0 < sp <= 100:
                bad(f"{tag}: stake_percent {sp!r}")
            elif not re.search(rf"\b{sp:g}\s*(%|percent|per cent)", text) and not (sp == 50 and "half" in text):
                bad(f"{tag}: stake {sp} not stated in text")
    for n in d.get("negatives", []):
        tag = f"negative {n.get('subject')} {n.get('predicate')} {n.get('object')}"
        if set(n) != NEG_KEYS:
            bad(f"{tag}: keys {sorted(n)}")
            continue
        if n["predicate"] not in PREDICATES or n["subject"] not in types or n["object"] not in types:
            bad(f"{tag}: unknown predicate or end")
    if "negatives" in d and not d["negatives"]:
        bad("empty negatives list (leave the key out)")
    d["_words"] = n_words
    return d


def counts(docs: list[dict], by_hand: list[str]) -> str:
    rels = [r for d in docs for r in d["relations"]]
    negs = [n for d in docs for n in d.get("negatives", [])]
    ents = [e for d in docs for e in d["entities"]]
    wc = [d["_words"] for d in docs]
    styles: dict[str, int] = {}
    for d in docs:
        styles[d["style"]] = styles.get(d["style"], 0) + 1
    etypes: dict[str, int] = {}
    for e in ents:
        etypes[e["type"]] = etypes.get(e["type"], 0) + 1

    def n(pred) -> int:
        return sum(1 for r in rels if pred(r))

    gran = {10: "day", 7: "month", 4: "year"}
    out = [
        "| | |",
        "|---|---:|",
        f"| passages | {len(docs)} |",
        f"| passages with `published: null` | {sum(d['published'] is None for d in docs)} |",
        f"| entities | {len(ents)} ({', '.join(f'{k} {v}' for k, v in sorted(etypes.items(), key=lambda x: -x[1]))}) |",
        f"| relations | {len(rels)} |",
        f"| ended | {n(lambda r: r['ended'])} |",
        f"| hedged | {n(lambda r: r['hedged'])} |",
        f"| with date | {n(lambda r: r['date'] is not None)} ("
        + ", ".join(f"{g} {n(lambda r, L=L: r['date'] is not None and len(r['date']) == L)}" for L, g in gran.items())
        + ") |",
        f"| with date_text but date null | {n(lambda r: r['date_text'] is not None and r['date'] is None)} |",
        f"| dates resolved by hand (words the checker does not parse) | {len(by_hand)} |",
        f"| with amount | {n(lambda r: r['amount'] is not None)} |",
        f"| with amount but amount_value null | {n(lambda r: r['amount'] is not None and r['amount_value'] is None)} |",
        f"| with stake_percent | {n(lambda r: r['stake_percent'] is not None)} |",
        f"| negatives | {len(negs)} |",
        f"| words per passage | {min(wc)}-{max(wc)}, mean {sum(wc) / len(wc):.0f} |",
        "",
        "Styles: " + ", ".join(f"{k} {v}" for k, v in sorted(styles.items(), key=lambda x: (-x[1], x[0]))) + ".",
        "",
        "Currencies: "
        + ", ".join(
            f"{c} {n(lambda r, c=c: r['amount_currency'] == c)}"
            for c in sorted({r["amount_currency"] for r in rels if r["amount_currency"]})
        )
        + ".",
        "",
        "| predicate | relations | ended | hedged | with date | with amount | negatives |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p in sorted(PREDICATES, key=lambda p: (-n(lambda r: r["predicate"] == p), p)):  # noqa: B023
        rp = [r for r in rels if r["predicate"] == p]
        out.append(
            f"| {p} | {len(rp)} | {sum(r['ended'] for r in rp)} | {sum(r['hedged'] for r in rp)} | "
            f"{sum(r['date'] is not None for r in rp)} | {sum(r['amount'] is not None for r in rp)} | "
            f"{sum(x['predicate'] == p for x in negs)} |"
        )
    return "\n".join(out)


def main(argv: list[str]) -> int:
    files = sorted(glob.glob(os.path.join(HERE, "b[0-9][0-9][0-9]-*.json")))
    problems: list[str] = []
    by_hand: list[str] = []
    docs = [check_file(f, problems, by_hand) for f in files]
    ids = [int(os.path.basename(f)[1:4]) for f in files]
    if ids != list(range(1, len(files) + 1)):
        problems.append(f"file numbers are not 1..{len(files)} without gaps")
    used = {r["predicate"] for d in docs for r in d["relations"]}
    if set(PREDICATES) - used:
        problems.append(f"predicates never used: {sorted(set(PREDICATES) - used)}")
    for p in problems:
        print(p)
    if "--counts" in argv:
        print(counts(docs, by_hand))
        if by_hand:
            print("\nResolved by hand (check these by reading):")
            for h in by_hand:
                print("  " + h)
    else:
        print(f"{len(files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
