"""Check the time gold files (ended relations, resolved dates, normalized amounts).

Plain Python, no project imports. Usage, from the repository root:

    python tests/gold_time/check_time_gold_b.py                 # every tests/gold_time/t*.json
    python tests/gold_time/check_time_gold_b.py FILE [FILE...]  # only these
    python tests/gold_time/check_time_gold_b.py --from 66 --to 130

It prints one line per problem and a summary of counts, and exits 1 when it found a
problem. Besides the format (keys, verbatim substrings, ISO dates, ISO 4217 codes,
predicate domains and ranges, ids equal to file names), it re-derives what it can:
dates written relative to the published date ("last month", "on Tuesday", "earlier this
year", "last quarter", "in March" ...) and amount values ("$1.5bn", "Rs 1,200 crore",
"half a billion dollars" ...), and compares them with the annotation.
"""

import argparse
import calendar
import datetime as dt
import glob
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))

TOP_KEYS = {"id", "style", "title", "url", "published", "text", "entities", "relations"}
STYLES = {"wire", "analysis", "press-release", "blog", "feature", "brief", "long-form", "explainer"}
TYPES = {"Organization", "Person", "AIModel", "Product"}
REL_KEYS = [
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
]
NEG_KEYS = {"subject", "predicate", "object", "note"}

ORG, PER, MOD, PRO = "Organization", "Person", "AIModel", "Product"
#: predicate -> (subject types, object types, symmetric); tests/gold/README.md
SIGNATURES = {
    "partnersWith": ({ORG}, {ORG}, True),
    "investsIn": ({ORG, PER}, {ORG}, False),
    "acquires": ({ORG}, {ORG, PRO}, False),
    "competesWith": ({ORG}, {ORG}, True),
    "subsidiaryOf": ({ORG}, {ORG}, False),
    "suppliesTo": ({ORG}, {ORG}, False),
    "disputesWith": ({ORG, PER}, {ORG, PER}, True),
    "sues": ({ORG, PER}, {ORG, PER}, False),
    "develops": ({ORG, PER}, {MOD, PRO}, False),
    "uses": ({ORG, PRO}, {MOD, PRO}, False),
    "leads": ({PER}, {ORG}, False),
    "founded": ({PER, ORG}, {ORG}, False),
    "worksFor": ({PER}, {ORG}, False),
}
CURRENCIES = {
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "CNY",
    "INR",
    "CAD",
    "CHF",
    "KRW",
    "SGD",
    "AUD",
    "SEK",
    "NOK",
    "DKK",
    "HKD",
    "AED",
    "SAR",
    "BRL",
    "ILS",
    "TWD",
    "NZD",
    "MXN",
    "ZAR",
}

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
ISO_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ABBREVIATIONS = (
    "Calif.",
    "Nov.",
    "Oct.",
    "Dec.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Sep.",
    "Mr.",
    "Ms.",
    "Dr.",
    "Inc.",
    "Co.",
    "Corp.",
    "Ltd.",
    "U.S.",
    "St.",
    "vs.",
)


def iso_ok(value):
    """Return True if value is YYYY, YYYY-MM or YYYY-MM-DD and a real date."""
    if not isinstance(value, str) or not ISO_RE.match(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def month_shift(year, month, delta):
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def expected_dates(date_text, pub):
    """Return the set of acceptable resolutions of date_text against pub, or None if unknown.

    Only the relative forms this set uses are known; absolute ones are checked elsewhere.
    """
    t = date_text.lower()
    if re.search(r"\b\d{4}\b", t):
        return None
    if "fiscal" in t:
        return {None}
    if pub is None:
        return {None}
    if t == "today":
        return {pub.isoformat()}
    if t == "yesterday":
        return {(pub - dt.timedelta(days=1)).isoformat()}
    for name, wd in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", t):
            back = (pub.weekday() - wd) % 7
            return {(pub - dt.timedelta(days=back)).isoformat()}
    if "last month" in t:
        y, m = month_shift(pub.year, pub.month, -1)
        return {f"{y:04d}-{m:02d}"}
    if "this month" in t:
        return {f"{pub.year:04d}-{pub.month:02d}"}
    if "last quarter" in t:
        q = (pub.month - 1) // 3
        return {str(pub.year - 1 if q == 0 else pub.year)}
    if "next year" in t:
        return {str(pub.year + 1)}
    if "last year" in t:
        return {str(pub.year - 1)}
    if "last autumn" in t or "last spring" in t or "last summer" in t:
        return {str(pub.year - 1), str(pub.year)}
    if "this year" in t or "this spring" in t or "this summer" in t or re.search(r"\bthe spring\b", t):
        return {str(pub.year)}
    ago = re.search(r"\b(two|three|four|five|\d+) years ago\b", t)
    if ago:
        n = {"two": 2, "three": 3, "four": 4, "five": 5}.get(ago.group(1)) or int(ago.group(1))
        return {str(pub.year - n)}
    for name, m in MONTHS.items():
        if re.search(rf"\b{name}\b", t):
            day = re.search(rf"\b{name} (\d{{1,2}})\b", t)
            past_year = pub.year if m <= pub.month else pub.year - 1
            next_year = pub.year if m >= pub.month else pub.year + 1
            if day:
                return {f"{y:04d}-{m:02d}-{int(day.group(1)):02d}" for y in (past_year, next_year)}
            return {f"{y:04d}-{m:02d}" for y in (past_year, next_year)}
    return None


SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "crore": 1e7,
    "lakh": 1e5,
}
CURRENCY_WORDS = [
    (r"US\$", "USD"),
    (r"C\$", "CAD"),
    (r"A\$", "AUD"),
    (r"S\$", "SGD"),
    (r"HK\$", "HKD"),
    (r"\$", "USD"),
    (r"€|\bEUR(?![A-Za-z])|\beuros?\b", "EUR"),
    (r"£|\bGBP\b|\bpounds?\b", "GBP"),
    (r"¥|\byen\b", "JPY"),
    (r"\byuan\b|\bRMB\b|\brenminbi\b", "CNY"),
    (r"₹|\bRs\.?|\brupees?\b", "INR"),
    (r"\bCHF\b|Swiss francs?", "CHF"),
    (r"₩|\bwon\b", "KRW"),
    (r"\bSEK\b|kronor", "SEK"),
    (r"\bdollars?\b", "USD"),
]
VAGUE = re.compile(
    r"\b(between|hundreds|tens|several|dozens|figure|billions|millions|undisclosed)\b|\bto\b|–|(?<=\d)-(?=\d)"
)


def parse_amount(amount):
    """Return (value or None, currency or None) read from an amount's words."""
    currency = None
    for pattern, code in CURRENCY_WORDS:
        if re.search(pattern, amount):
            currency = code
            break
    if currency == "JPY" and "¥" in amount and re.search(r"\byuan\b", amount):
        currency = "CNY"
    if VAGUE.search(amount):
        return None, currency
    if re.search(r"\bhalf a billion\b", amount):
        return 5e8, currency
    num = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]+)?", amount)
    if not num:
        return None, currency
    value = float(num.group(1).replace(",", ""))
    scale = (num.group(2) or "").lower()
    value *= SCALES.get(scale, 1)
    return value, currency


def sentences(text):
    masked = text
    for abbr in ABBREVIATIONS:
        masked = masked.replace(abbr, abbr.replace(".", "_"))
    return [s for s in re.split(r"(?:(?<=[.!?])|(?<=[.!?]['\"’”]))\s+(?=[A-Z\"'“])", masked) if s.strip()]


def check_file(path, problems, stats):
    name = os.path.basename(path)

    def bad(msg):
        problems.append(f"{name}: {msg}")

    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        bad(f"does not parse: {exc}")
        return
    if not re.match(r"^t\d{3}-[a-z0-9]+(-[a-z0-9]+)*\.json$", name):
        bad("file name is not tNNN-short-slug.json")
    if d.get("id") != name[:-5]:
        bad(f"id {d.get('id')!r} differs from the file name")
    keys = set(d)
    if not TOP_KEYS <= keys or keys - TOP_KEYS - {"negatives"}:
        bad(f"top-level keys {sorted(keys)}")
        return
    if d["style"] not in STYLES:
        bad(f"unknown style {d['style']!r}")
    pub = None
    if d["published"] is not None:
        if not (
            isinstance(d["published"], str)
            and re.match(r"^\d{4}-\d{2}-\d{2}$", d["published"])
            and iso_ok(d["published"])
        ):
            bad(f"published {d['published']!r} is not YYYY-MM-DD")
        else:
            pub = dt.date.fromisoformat(d["published"])
    text = d["text"]
    words = len(text.split())
    if not 30 <= words <= 120:
        bad(f"{words} words (30-120)")
    n_sent = len(sentences(text))
    if not 1 <= n_sent <= 4:
        bad(f"{n_sent} sentences (1-4)")

    types = {}
    surface = {}
    for e in d["entities"]:
        if set(e) != {"name", "type", "aliases"}:
            bad(f"entity keys {sorted(e)}")
            continue
        if e["name"] in types:
            bad(f"entity {e['name']!r} twice")
        if e["type"] not in TYPES:
            bad(f"entity {e['name']!r} has type {e['type']!r}")
        types[e["name"]] = e["type"]
        present = [a for a in [e["name"]] + e["aliases"] if a in text]
        if not present:
            bad(f"entity {e['name']!r}: neither name nor an alias occurs in the text")
        for a in e["aliases"]:
            if a not in text:
                bad(f"alias {a!r} of {e['name']!r} is not in the text")
            if a == e["name"]:
                bad(f"alias {a!r} repeats the name")
        for form in [e["name"]] + e["aliases"]:
            if form in surface and surface[form] != e["name"]:
                bad(f"surface form {form!r} given to {surface[form]!r} and {e['name']!r}")
            surface[form] = e["name"]
        stats["entities"][e["type"]] += 1

    seen = set()
    for r in d["relations"]:
        label = f"{r.get('subject')} {r.get('predicate')} {r.get('object')}"
        if list(r) != REL_KEYS and set(r) != set(REL_KEYS):
            bad(f"{label}: keys {sorted(r)}")
            continue
        p = r["predicate"]
        if p not in SIGNATURES:
            bad(f"{label}: unknown predicate")
            continue
        s_types, o_types, symmetric = SIGNATURES[p]
        if r["subject"] not in types or r["object"] not in types:
            bad(f"{label}: an end is not an entity of the file")
            continue
        if types[r["subject"]] not in s_types or types[r["object"]] not in o_types:
            bad(f"{label}: {types[r['subject']]} -> {types[r['object']]} breaks the signature of {p}")
        if r["subject"] == r["object"]:
            bad(f"{label}: subject equals object")
        key = (frozenset((r["subject"], r["object"])), p) if symmetric else (r["subject"], p, r["object"])
        if key in seen:
            bad(f"{label}: stated twice")
        seen.add(key)
        if not isinstance(r["note"], str) or not r["note"].strip():
            bad(f"{label}: empty note")
        for flag in ("hedged", "ended"):
            if not isinstance(r[flag], bool):
                bad(f"{label}: {flag} is not true/false")

        date, date_text = r["date"], r["date_text"]
        if date is not None and not iso_ok(date):
            bad(f"{label}: date {date!r} is not ISO 8601")
        if date_text is not None and (not isinstance(date_text, str) or date_text not in text):
            bad(f"{label}: date_text {date_text!r} is not in the text")
        if date is not None and date_text is None:
            bad(f"{label}: a date without date_text")
        if date_text is not None:
            years = re.findall(r"\b(\d{4})\b", date_text)
            if years and date is not None and not date.startswith(years[-1]):
                bad(f"{label}: date {date} does not match the year in {date_text!r}")
            if years and date is None and "fiscal" not in date_text.lower():
                bad(f"{label}: absolute {date_text!r} left unresolved")
            exp = expected_dates(date_text, pub)
            if exp is not None and date not in exp:
                bad(
                    f"{label}: {date_text!r} against published {d['published']} gives {sorted(map(str, exp))}, not {date!r}"
                )
            if exp is None and not years:
                stats["unchecked_dates"].append(f"{name}: {date_text!r} -> {date}")
            if pub is not None and date is not None and date > pub.isoformat() and not r["hedged"]:
                stats["future_dates"].append(f"{name}: {label}: {date_text!r} -> {date}")

        amount, value, cur = r["amount"], r["amount_value"], r["amount_currency"]
        if amount is None:
            if value is not None or cur is not None:
                bad(f"{label}: amount_value/currency without amount")
        else:
            if not isinstance(amount, str) or amount not in text:
                bad(f"{label}: amount {amount!r} is not in the text")
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
                bad(f"{label}: amount_value {value!r} is not a positive number")
            if cur is not None and cur not in CURRENCIES:
                bad(f"{label}: currency {cur!r} is not a known ISO 4217 code")
            if value is not None and cur is None:
                bad(f"{label}: a value without currency")
            want_value, want_cur = parse_amount(amount)
            if want_cur != cur:
                bad(f"{label}: {amount!r} reads as currency {want_cur}, not {cur}")
            if (want_value is None) != (value is None) or (value is not None and abs(want_value - value) > 0.5):
                bad(f"{label}: {amount!r} reads as value {want_value}, not {value}")
            stats["currencies"][cur] += 1
        stake = r["stake_percent"]
        if stake is not None:
            if isinstance(stake, bool) or not isinstance(stake, (int, float)) or not 0 < stake <= 100:
                bad(f"{label}: stake_percent {stake!r}")
            elif not re.search(
                rf"\b{re.escape(str(stake).rstrip('0').rstrip('.') if isinstance(stake, float) else str(stake))}\s*(%|percent|per cent)",
                text,
            ):
                bad(f"{label}: stake {stake} not written as a percentage in the text")

        stats["relations"] += 1
        stats["predicates"][p] += 1
        stats["ended"] += r["ended"]
        stats["hedged"] += r["hedged"]
        stats["dated"] += date is not None
        stats["date_text"] += date_text is not None
        stats["amounts"] += amount is not None
        stats["stakes"] += stake is not None
        if r["ended"]:
            stats["ended_by_predicate"][p] += 1

    for n in d.get("negatives", []):
        label = f"negative {n.get('subject')} {n.get('predicate')} {n.get('object')}"
        if set(n) != NEG_KEYS:
            bad(f"{label}: keys {sorted(n)}")
            continue
        if n["predicate"] not in SIGNATURES or n["subject"] not in types or n["object"] not in types:
            bad(f"{label}: unknown predicate or end")
            continue
        symmetric = SIGNATURES[n["predicate"]][2]
        key = (
            (frozenset((n["subject"], n["object"])), n["predicate"])
            if symmetric
            else (n["subject"], n["predicate"], n["object"])
        )
        if key in seen:
            bad(f"{label}: also a relation")
        stats["negatives"] += 1

    stats["files"] += 1
    stats["styles"][d["style"]] += 1
    stats["published_null"] += d["published"] is None
    stats["words"].append(words)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--from", dest="first", type=int, default=None)
    parser.add_argument("--to", dest="last", type=int, default=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="list dates the checker cannot re-derive")
    args = parser.parse_args(argv)
    files = args.files or sorted(glob.glob(os.path.join(HERE, "t[0-9][0-9][0-9]-*.json")))
    if args.first is not None or args.last is not None:
        lo, hi = args.first or 0, args.last or 999
        files = [f for f in files if lo <= int(os.path.basename(f)[1:4]) <= hi]
    if not files:
        print("no files", file=sys.stderr)
        return 2
    stats = {
        "files": 0,
        "relations": 0,
        "ended": 0,
        "hedged": 0,
        "dated": 0,
        "date_text": 0,
        "amounts": 0,
        "stakes": 0,
        "negatives": 0,
        "published_null": 0,
        "words": [],
        "entities": Counter(),
        "predicates": Counter(),
        "ended_by_predicate": Counter(),
        "currencies": Counter(),
        "styles": Counter(),
        "unchecked_dates": [],
        "future_dates": [],
    }
    problems = []
    for path in files:
        check_file(path, problems, stats)
    for p in problems:
        print(p)
    w = stats["words"]
    print(
        f"{stats['files']} files ({stats['published_null']} unpublished), "
        f"{sum(stats['entities'].values())} entities {dict(stats['entities'])}, "
        f"{stats['relations']} relations (ended {stats['ended']}, hedged {stats['hedged']}, "
        f"date {stats['dated']}, date_text {stats['date_text']}, amount {stats['amounts']}, "
        f"stake {stats['stakes']}), {stats['negatives']} negatives; words {min(w)}-{max(w)}, mean {sum(w) / len(w):.0f}"
    )
    print(
        "predicates:",
        ", ".join(f"{p} {n} (ended {stats['ended_by_predicate'][p]})" for p, n in stats["predicates"].most_common()),
    )
    print("currencies:", dict(stats["currencies"]), "styles:", dict(stats["styles"]))
    if args.verbose:
        for line in stats["unchecked_dates"]:
            print("not re-derived:", line)
        for line in stats["future_dates"]:
            print("future date:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
