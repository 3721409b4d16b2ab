"""Check the time gold files and print their counts.

Run from the repository root with plain Python (no pytest, no venv needed)::

    python tests/gold_time/check_time_gold.py            # check; prints problems, exits 1 if any
    python tests/gold_time/check_time_gold.py --counts   # check, then print the README counts tables

It checks what a hand-written file can get wrong: the keys of every record, ids equal to file
names, verbatim names, aliases, date words and amounts, ISO dates, currency codes, predicate
signatures (``kg.model.PREDICATES`` and the domain/range table of this folder's README), and
that the common relative date words ("last month", "on Friday", "in March", "last year") are
resolved the way the README says against the file's ``published`` date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import glob
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES  # noqa: E402

FILE_RE = re.compile(r"^t(\d{3})-[a-z0-9]+(?:-[a-z0-9]+)*\.json$")
TOP_KEYS = {"id", "style", "title", "url", "published", "text", "entities", "relations"}
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
STYLES = {"wire", "analysis", "press-release", "blog", "feature", "brief", "explainer", "long-form"}
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
    "AUD",
    "SEK",
    "NOK",
    "DKK",
    "SGD",
    "HKD",
    "BRL",
    "ILS",
    "AED",
    "SAR",
    "TWD",
}
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
SEASONS = ("spring", "summer", "autumn", "fall", "winter")
ANAPHORIC = ("the same year", "that year", "the following", "ever since", "hours later")


def signatures(readme: str) -> dict[str, tuple[set[str], set[str]]]:
    """Read the README's table headed ``| predicate | domain | range | symmetric |``."""
    table, inside = {}, False
    for line in open(readme, encoding="utf-8"):
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if cells[:3] == ["predicate", "domain", "range"]:
            inside = True
        elif inside and not line.startswith("|"):
            break
        elif inside and len(cells) >= 3 and cells[0] in PREDICATES:
            table[cells[0]] = (set(cells[1].split("/")), set(cells[2].split("/")))
    return table


def valid_iso(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def month_back(day: dt.date, months: int) -> str:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return f"{y:04d}-{m + 1:02d}"


def week_month(days: list[dt.date]) -> str | None:
    """A week expression resolves to its month when all its days lie in one month."""
    months = {d.strftime("%Y-%m") for d in days}
    if len(months) == 1:
        return months.pop()
    years = {str(d.year) for d in days}
    return years.pop() if len(years) == 1 else None


FUTURE = re.compile(r"\b(will|would|plans?|expects?|expected|due|next|is to|intends?|effective)\b", re.I)


def future_context(text: str, words: str) -> bool:
    """True when the sentence holding ``words`` speaks of the future ("will start ... in April")."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if words in sentence and FUTURE.search(sentence):
            return True
    return False


def expected_dates(text: str, pub: dt.date, future: bool = False) -> set[str] | None:
    """Resolutions the README allows for ``text`` against ``pub``; None when not recognised.

    A month without a year resolves to the most recent one on or before ``pub``, or also to
    the next one when ``future`` (the sentence is in the future tense).
    """
    t = text.lower()
    t = re.sub(r"^(in|on|since|until|from|at|by|effective|late|early|earlier|the end of)\s+", "", t)
    t = re.sub(r"^(since|until|the end of)\s+", "", t)
    if re.search(r"\d{4}", t):
        return None
    if t == "last month":
        return {month_back(pub, 1)}
    if t in ("last year", "this year", "next year"):
        return {str(pub.year + {"last": -1, "this": 0, "next": 1}[t.split()[0]])}
    if t == "today":
        return {pub.isoformat()}
    if t == "yesterday":
        return {(pub - dt.timedelta(days=1)).isoformat()}
    if t in ("last week", "this week"):
        monday = pub - dt.timedelta(days=pub.weekday())
        if t == "this week":
            days = [monday + dt.timedelta(days=i) for i in range((pub - monday).days + 1)]
        else:
            days = [monday - dt.timedelta(days=7 - i) for i in range(7)]
        got = week_month(days)
        return {got} if got else {"null"}
    if t in WEEKDAYS:
        back = (pub.weekday() - WEEKDAYS[t]) % 7
        return {(pub - dt.timedelta(days=back)).isoformat()}
    m = re.fullmatch(r"([a-z]+)(?: (\d{1,2}))?", t)
    if m and m.group(1) in MONTHS:
        month = MONTHS[m.group(1)]
        past_year = pub.year if (month, int(m.group(2) or 1)) <= (pub.month, pub.day) else pub.year - 1
        future_year = past_year + 1
        years = (past_year, future_year) if future else (past_year,)
        if m.group(2):
            return {f"{y:04d}-{month:02d}-{int(m.group(2)):02d}" for y in years}
        return {f"{y:04d}-{month:02d}" for y in years}
    m = re.fullmatch(r"(?:last |the )?(spring|summer|autumn|fall|winter)", t)
    if m:
        return {str(pub.year), str(pub.year - 1)}
    return None


def check_file(path: str, sigs: dict) -> list[str]:
    problems = []

    def bad(msg: str) -> None:
        problems.append(f"{os.path.basename(path)}: {msg}")

    name = os.path.basename(path)
    if not FILE_RE.match(name):
        bad("file name is not tNNN-short-slug.json")
    try:
        d = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{name}: does not parse: {exc}"]
    keys = set(d)
    if not TOP_KEYS <= keys or keys - TOP_KEYS - {"negatives"}:
        bad(f"top-level keys {sorted(keys)}")
        return problems
    if d["id"] != name[:-5]:
        bad(f"id {d['id']!r} differs from the file name")
    if d["style"] not in STYLES:
        bad(f"style {d['style']!r}")
    text = d["text"]
    words = len(text.split())
    if not 30 <= words <= 120:
        bad(f"{words} words (30-120)")
    plain = re.sub(r"\b(Dr|Mr|Mrs|Ms|St|Jr|Sr|Inc|Corp|Co|Ltd|Ph\.D|U\.S)\.", r"\1", text)
    sentences = len(re.findall(r"[.!?][\"']?(?:\s+(?=[A-Z\"])|$)", plain))
    if not 1 <= sentences <= 4:
        bad(f"{sentences} sentences (1-4)")
    pub = None
    if d["published"] is not None:
        if not (
            isinstance(d["published"], str)
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["published"])
            and valid_iso(d["published"])
        ):
            bad(f"published {d['published']!r}")
        else:
            pub = dt.date.fromisoformat(d["published"])

    types = {}
    for e in d["entities"]:
        if set(e) != {"name", "type", "aliases"}:
            bad(f"entity keys {sorted(e)}")
            continue
        if e["name"] in types:
            bad(f"entity {e['name']!r} twice")
        types[e["name"]] = e["type"]
        if e["type"] not in ENTITY_TYPES:
            bad(f"entity {e['name']!r} type {e['type']!r}")
        for s in [e["name"], *e["aliases"]]:
            if s not in text:
                bad(f"{s!r} (entity {e['name']!r}) is not in the text")

    seen = set()
    for r in d["relations"]:
        if set(r) != REL_KEYS:
            bad(f"relation keys {sorted(set(r) ^ REL_KEYS)} wrong: {r.get('subject')} {r.get('predicate')}")
            continue
        label = f"{r['subject']} {r['predicate']} {r['object']}"
        p = r["predicate"]
        if p not in PREDICATES:
            bad(f"unknown predicate: {label}")
            continue
        if r["subject"] not in types or r["object"] not in types:
            bad(f"end is no entity of the file: {label}")
            continue
        dom, ran = sigs.get(p, (set(), set()))
        if types[r["subject"]] not in dom or types[r["object"]] not in ran:
            bad(f"signature {types[r['subject']]}->{types[r['object']]} not allowed: {label}")
        key = (r["subject"], p, r["object"])
        if p in SYMMETRIC_PREDICATES:
            key = (min(r["subject"], r["object"]), p, max(r["subject"], r["object"]))
        if key in seen:
            bad(f"triple twice: {label}")
        seen.add(key)
        if r["subject"] == r["object"]:
            bad(f"self relation: {label}")
        if not isinstance(r["note"], str) or not r["note"]:
            bad(f"empty note: {label}")
        for k in ("hedged", "ended"):
            if not isinstance(r[k], bool):
                bad(f"{k} not a boolean: {label}")
        date, words_ = r["date"], r["date_text"]
        if words_ is not None and words_ not in text:
            bad(f"date_text {words_!r} not in the text: {label}")
        if date is not None:
            if not isinstance(date, str) or not valid_iso(date):
                bad(f"date {date!r} not ISO: {label}")
            elif words_ is None:
                bad(f"date without date_text: {label}")
            else:
                low = words_.lower()
                years = re.findall(r"\d{4}", words_)
                if years and date[:4] != years[-1]:
                    bad(f"date {date} disagrees with {words_!r}: {label}")
                month_names = [w for w in re.findall(r"[a-z]+", low) if w in MONTHS]
                if years and month_names and date[5:7] != f"{MONTHS[month_names[-1]]:02d}":
                    bad(f"date {date} disagrees with {words_!r}: {label}")
                if pub is None and not years and not low.startswith(ANAPHORIC) and low not in ANAPHORIC:
                    bad(f"relative {words_!r} resolved although published is null: {label}")
                if pub is not None and not years:
                    want = expected_dates(words_, pub, future_context(text, words_))
                    if want is not None and date not in want:
                        bad(f"{words_!r} against {pub} gives {sorted(want)}, not {date}: {label}")
        amount = r["amount"]
        if amount is None:
            if r["amount_value"] is not None or r["amount_currency"] is not None:
                bad(f"amount value/currency without amount: {label}")
        else:
            if amount not in text:
                bad(f"amount {amount!r} not in the text: {label}")
            if r["amount_currency"] not in CURRENCIES:
                bad(f"currency {r['amount_currency']!r}: {label}")
            v = r["amount_value"]
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0):
                bad(f"amount_value {v!r}: {label}")
        st = r["stake_percent"]
        if st is not None and (isinstance(st, bool) or not isinstance(st, (int, float)) or not 0 < st <= 100):
            bad(f"stake_percent {st!r}: {label}")
        if st is not None and not re.search(rf"{re.escape(format(st, 'g'))}\s*(%|per ?cent)", text):
            bad(f"stake {st} not stated in the text: {label}")

    for n in d.get("negatives", []):
        if set(n) != NEG_KEYS:
            bad(f"negative keys {sorted(n)}")
            continue
        if n["predicate"] not in PREDICATES or n["subject"] not in types or n["object"] not in types:
            bad(f"negative {n['subject']} {n['predicate']} {n['object']}")
    return problems


def counts(files: list[str]) -> str:
    """The counts tables of the README, as markdown."""
    docs = [json.load(open(f, encoding="utf-8")) for f in files]
    rels = [r for d in docs for r in d["relations"]]
    by = {p: Counter() for p in PREDICATES}
    for r in rels:
        c = by[r["predicate"]]
        c["relations"] += 1
        c["ended"] += r["ended"]
        c["hedged"] += r["hedged"]
        c["date"] += r["date"] is not None
        c["date_text"] += r["date_text"] is not None
        c["amount"] += r["amount"] is not None
        c["stake"] += r["stake_percent"] is not None
    for d in docs:
        for n in d.get("negatives", []):
            by[n["predicate"]]["negatives"] += 1
    total = sum(by.values(), Counter())
    grain = Counter({4: "year", 7: "month", 10: "day"}[len(r["date"])] for r in rels if r["date"])
    words = [len(d["text"].split()) for d in docs]
    out = [
        "| | |",
        "|---|---|",
        f"| files | {len(docs)} |",
        f'| files with `"published": null` | {sum(d["published"] is None for d in docs)} |',
        f"| entities | {sum(len(d['entities']) for d in docs)} |",
        f"| relations | {len(rels)} |",
        f"| ended | {total['ended']} ({100 * total['ended'] / max(len(rels), 1):.0f}%) |",
        f"| hedged | {total['hedged']} |",
        f"| with date | {total['date']} (day {grain['day']}, month {grain['month']}, year {grain['year']}) |",
        f"| with date_text but date null | {total['date_text'] - total['date']} |",
        f"| with amount | {total['amount']} "
        f"({', '.join(f'{k} {v}' for k, v in Counter(r['amount_currency'] for r in rels if r['amount']).most_common())}) |",
        f"| with stake | {total['stake']} |",
        f"| negatives | {total['negatives']} |",
        f"| words per passage | {min(words)}-{max(words)}, mean {sum(words) / len(words):.0f} |",
        "",
        "| predicate | relations | ended | hedged | with date | with amount | with stake | negatives |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in sorted(PREDICATES, key=lambda p: (-by[p]["relations"], p)):
        c = by[p]
        out.append(
            f"| {p} | {c['relations']} | {c['ended']} | {c['hedged']} | {c['date']} | "
            f"{c['amount']} | {c['stake']} | {c['negatives']} |"
        )
    styles = Counter(d["style"] for d in docs)
    out += ["", "Styles: " + ", ".join(f"{s} {n}" for s, n in styles.most_common()) + "."]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    files = sorted(glob.glob(os.path.join(HERE, "t*.json")))
    sigs = signatures(os.path.join(HERE, "README.md"))
    missing = [p for p in PREDICATES if p not in sigs]
    problems = [f"README.md: no domain/range row for {p}" for p in missing]
    ids = Counter(FILE_RE.match(os.path.basename(f)).group(1) for f in files if FILE_RE.match(os.path.basename(f)))
    problems += [f"number t{n} used by {c} files" for n, c in ids.items() if c > 1]
    for f in files:
        problems += check_file(f, sigs)
    for p in problems:
        print(p)
    if "--counts" in argv:
        print(counts(files))
    else:
        print(f"{len(files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
