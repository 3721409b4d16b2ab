"""Short synthetic news articles from our own templates, for scale runs.

Every name is invented (company, person and model names are built from the lists below),
every sentence is one of our own templates. Each article is 60-100 words: a lead
sentence and three to five more, each stating one relation of the kinds aikg extracts
(investments, partnerships, hires, model launches, lawsuits, acquisitions, leaders),
filled from the lists with a fixed seed, so the same ``n`` and ``seed`` give the same
articles, and no two articles of one run have the same text (a repeat is drawn again).

Usage: python benchmarks/synthetic_news.py --articles 100000 --out news.jsonl [--seed 18]
Writes JSON Lines with the fields ``aikg ingest`` reads: text, title, url, published.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

# Invented parts of names; none is meant to be a real company, person or model.
_CO_HEADS = (
    "Arvento Brisk Calderon Dunmore Elstree Fennick Galvani Harrowgate Isolde Jorvik Kestrel Lumeris "
    "Marrowind Nerevan Orlent Pelliton Quarrow Ravensil Solvane Tarrish Umbrant Valdera Wexmoor Ystrel "
    "Zephrane Ashcombe Bellwick Corvane Dravonet Emberlin Farrowgate Glimmerton Halvec Ivorda Jessamond "
    "Korvath Lindqvar Mossgrove Norrath Ostrava"
).split()
_CO_TAILS = (
    "Labs",
    "AI",
    "Systems",
    "Robotics",
    "Analytics",
    "Computing",
    "Dynamics",
    "Networks",
    "Cloud",
    "Semiconductor",
)
_FUNDS = ("Capital", "Ventures", "Partners", "Holdings", "Growth Fund")
_FIRST = (
    "Amara Bastian Celine Dorian Elif Farid Greta Hollis Ines Jonas Katrin Leandro Mireille Nikolai Odile "
    "Pieter Quilla Rafferty Solveig Tobias Ulla Viggo Wilhelmina Xavi Yara Zoltan Anouk Bram Cosima Dariusz "
    "Esme Florin Gideon Hedda Ivo Juno Kasimir Liesel Matteo Noor"
).split()
_LAST = (
    "Albrecht Bexley Castellane Drummond Eskildsen Falkner Grisholm Haverford Ibsworth Jankovic Kettleby "
    "Lindenhoff Marchetti Nordqvist Okonkwo-Reyes Pembury Quenneville Rostova Sandoval Thistlewood Underhill "
    "Valcourt Whitlock Yardley Zamorano Abernathy Brightwater Coldfield Delacroix-Moss Everstone"
).split()
_MODEL_HEADS = "Aurelis Borealis Cinder Drift Ember Fathom Glint Halcyon Iris Juniper Kite Lumen Marlow Nimbus Onyx Prism Quill Rune Sable Tern".split()
_CITIES = "Rotterdam Tallinn Porto Leeds Lyon Austin Oslo Kraków Montreal Bilbao Aarhus Turin".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday".split()
_ROLES = ("chief executive", "chief technology officer", "head of research", "chief scientist")

# One relation each; {a}/{b} are companies, {p} a person, {m} a model, {f} a fund.
_TEMPLATES = {
    "invest": (
        "{f} invested ${amt} million in {a}, the companies said on {day}.",
        "{a} raised ${amt} million in a round led by {f}.",
        "{b} agreed to invest ${amt} million in {a} over three years.",
        "Investors including {f} put ${amt} million into {a}.",
    ),
    "partner": (
        "{a} announced a partnership with {b} to build data centers in {city}.",
        "{a} and {b} signed a multiyear partnership on chips and cloud capacity.",
        "{a} has partnered with {b} to sell its models to banks.",
        "{b} said it would work with {a} on safety research.",
    ),
    "hire": (
        "{a} hired {p} as its {role}.",
        "{p} joined {a} as {role} after six years at {b}.",
        "{a} appointed {p} {role}, effective next month.",
        "{p}, formerly of {b}, will lead research at {a}.",
    ),
    "launch": (
        "{a} released {m}, a language model for customer support.",
        "{a} launched {m}, its largest model so far.",
        "The new model, {m}, was developed by {a} and trained on {b}'s cloud.",
        "{a} unveiled {m}, an open-weight model for coding.",
    ),
    "sue": (
        "{a} sued {b} in {city}, claiming the startup copied its training code.",
        "{b} filed a lawsuit against {a} over the use of its articles.",
        "{a} is suing {b} for breach of contract.",
        "A court in {city} heard the lawsuit {a} brought against {b}.",
    ),
    "acquire": (
        "{a} acquired {b} for ${amt} million.",
        "{a} agreed to buy {b}, a maker of speech software.",
        "{a} completed its acquisition of {b} in {city}.",
    ),
    "lead": (
        "{p}, the chief executive of {a}, called the deal a turning point.",
        "{p}, who founded {a} in {year}, declined to comment.",
        "{a}'s chief executive, {p}, said the company would hire more engineers.",
    ),
}
_LEADS = (
    "{city} ({month} {dom}) - {a} said on {day} it had closed a busy quarter.",
    "{a}, the {city} artificial intelligence company, made several announcements this week.",
    "The {city} startup {a} told reporters on {day} about its plans.",
    "In {city} on {day}, {a} set out what comes next for the company.",
)
_TITLES = {
    "invest": "{a} raises new money",
    "partner": "{a} strikes a partnership",
    "hire": "{a} adds to its leadership",
    "launch": "{a} ships {m}",
    "sue": "{a} in court",
    "acquire": "{a} makes a deal",
    "lead": "{a} speaks about its plans",
}
_CLOSERS = (
    "Shares of the company were not traded on {day}.",
    "The company has about {staff} employees.",
    "Terms beyond those figures were not disclosed.",
    "The company said it expects more news before the end of {year}.",
)
_MONTHS = "January February March April May June July August September October November December".split()


def _companies() -> list[str]:
    return [f"{h} {t}" for h in _CO_HEADS for t in _CO_TAILS]


def _people() -> list[str]:
    return [f"{f} {last}" for f in _FIRST for last in _LAST]


def _funds() -> list[str]:
    return [f"{h} {t}" for h in _CO_HEADS for t in _FUNDS]


def _models() -> list[str]:
    return [f"{h}-{n}" for h in _MODEL_HEADS for n in range(1, 9)]


def articles(n: int, seed: int = 18) -> Iterator[dict]:
    """Yield ``n`` distinct articles as dicts (text, title, url, published)."""
    rnd = random.Random(seed)
    companies, people, funds, models = _companies(), _people(), _funds(), _models()
    kinds = list(_TEMPLATES)
    start = date(2024, 1, 1)
    seen: set[str] = set()
    i = 0
    while i < n:
        day = start + timedelta(days=rnd.randrange(900))
        a, b = rnd.sample(companies, 2)
        fill = {
            "a": a,
            "city": rnd.choice(_CITIES),
            "day": _WEEKDAYS[day.weekday() % 5],
            "month": _MONTHS[day.month - 1],
            "dom": day.day,
            "year": day.year,
            "staff": rnd.randrange(40, 4000, 10),
        }
        chosen = rnd.sample(kinds, rnd.randint(3, 5))
        sentences = [rnd.choice(_LEADS).format(**fill)]
        for kind in chosen:
            fill.update(
                b=rnd.choice([c for c in rnd.sample(companies, 3) if c != a]),
                p=rnd.choice(people),
                f=rnd.choice(funds),
                m=rnd.choice(models),
                amt=rnd.randrange(5, 2000, 5),
                role=rnd.choice(_ROLES),
                year=rnd.randrange(2012, 2024),
            )
            sentences.append(rnd.choice(_TEMPLATES[kind]).format(**fill))
        fill["year"] = day.year
        sentences.append(rnd.choice(_CLOSERS).format(**fill))
        text = " ".join(sentences)
        words = len(text.split())
        if words < 60:
            continue  # too short: draw again
        while words > 100 and len(sentences) > 3:
            sentences.pop(-2)
            text = " ".join(sentences)
            words = len(text.split())
        if text in seen:
            continue
        seen.add(text)
        yield {
            "title": _TITLES[chosen[0]].format(**fill),
            "url": f"https://synthetic.example.org/news/{seed}/{i}",
            "published": day.isoformat(),
            "text": text,
        }
        i += 1


def write_jsonl(path: Path, n: int, seed: int = 18) -> dict:
    """Write ``n`` articles to ``path`` as JSON Lines; return their count and words."""
    words = 0
    with open(path, "w", encoding="utf-8") as out:
        for art in articles(n, seed):
            words += len(art["text"].split())
            out.write(json.dumps(art, ensure_ascii=False) + "\n")
    return {"articles": n, "words": words, "seed": seed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    print(json.dumps(write_jsonl(Path(args.out), args.articles, args.seed)))


if __name__ == "__main__":
    main()
