"""Time of the curation suggestions (kg.suggest) on a synthetic store of 5,000 entities.

The store is built through the real loader: invented names from syllables and industry
words (four entity types), about two relations per entity, twenty relations per article,
and planted duplicates, each a second spelling of an entity (a typo, a company suffix, a
missing space, a surname alone) sharing some of its partners. Then:

- ``likely_duplicates`` and ``likely_wrong`` are timed (best of three, after a first run);
- the planted pairs found (recall) and the other pairs listed are counted;
- as a baseline, every name is compared with every other name of its type
  (``rapidfuzz.process.cdist`` over all pairs), what the blocking avoids;
- the name comparison alone (``kg.suggest.similar_names``) against all pairs, on 5,000
  and 20,000 organization names: time, and the share of the alike pairs blocking finds.

Usage: python benchmarks/bench_suggest.py [--entities 5000] [--planted 100] [--names 5000 20000]
Writes benchmarks/results/suggest.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.store import LocalStore
from kg.suggest import NAME_CUTOFF, likely_duplicates, likely_wrong, normalize_name, similar_names

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ven",
    "tor",
    "sil",
    "qua",
    "zen",
    "bri",
    "dor",
    "fal",
    "nex",
    "or",
    "pel",
    "tri",
    "vo",
    "xen",
    "yar",
    "lu",
    "mar",
    "cor",
    "dex",
    "ith",
    "an",
    "el",
    "sta",
    "gri",
    "bel",
    "cha",
    "dru",
    "eko",
    "fin",
    "gal",
    "hor",
    "iva",
    "jol",
    "kem",
    "lis",
    "mon",
    "nar",
    "osk",
    "pra",
    "rud",
    "sen",
    "tav",
    "ulm",
    "vik",
    "wen",
    "zor",
    "bax",
    "cyr",
    "dap",
    "gov",
    "hul",
    "nim",
]
ORG_WORDS = [
    "Robotics",
    "AI",
    "Labs",
    "Systems",
    "Capital",
    "Ventures",
    "Networks",
    "Semiconductor",
    "Cloud",
    "Bank",
    "Dynamics",
    "Analytics",
    "Research",
    "Software",
    "Partners",
    "",
]
GIVEN = [
    "Ada",
    "Bruno",
    "Chiara",
    "Dev",
    "Elif",
    "Farah",
    "Goran",
    "Hana",
    "Ivo",
    "Jun",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Pia",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Yara",
]
PREDICATES_BY_TYPE = [
    ("Organization", "partnersWith", "Organization"),
    ("Organization", "investsIn", "Organization"),
    ("Organization", "competesWith", "Organization"),
    ("Person", "leads", "Organization"),
    ("Person", "worksFor", "Organization"),
    ("Organization", "develops", "AIModel"),
    ("Organization", "develops", "Product"),
    ("Product", "uses", "AIModel"),
]


def _word(rnd: random.Random, parts: int) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _name(rnd: random.Random, etype: str) -> str:
    if etype == "Organization":
        return f"{_word(rnd, rnd.randint(2, 3))} {rnd.choice(ORG_WORDS)}".strip()
    if etype == "Person":
        return f"{rnd.choice(GIVEN)} {_word(rnd, rnd.randint(2, 3))}"
    if etype == "AIModel":
        return f"{_word(rnd, 2)}-{rnd.randint(1, 9)}"
    return f"{_word(rnd, 2)} {rnd.choice(['Studio', 'Assistant', 'Cloud', 'Chip', 'Search', 'Copilot'])}"


def _second_spelling(rnd: random.Random, e: Entity) -> str:
    """Return another way the news may spell the entity's name."""
    name = e.name
    if e.type == "Person":
        return name.split()[-1] if rnd.random() < 0.5 else name[:-1] + name[-1] * 2
    kind = rnd.choice(["typo", "suffix", "space", "case"])
    if kind == "typo":
        i = rnd.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1 :] if name[i] != " " else name + "s"
    if kind == "suffix" and e.type == "Organization":
        return name + rnd.choice([" Inc.", " Ltd", " Corporation"])
    if kind == "space" and " " not in name[:-1]:
        return name[: len(name) // 2] + " " + name[len(name) // 2 :]
    return name.upper() if len(name) < 12 else name.replace(" ", "")


def synthetic(n: int, planted: int, seed: int = 5) -> tuple[list[Extraction], set[frozenset[str]]]:
    """Return the articles of a synthetic store of about ``n`` entities and the planted pairs (by slug)."""
    rnd = random.Random(seed)
    mix = {"Organization": 0.55, "Person": 0.25, "AIModel": 0.1, "Product": 0.1}
    entities: dict[str, list[Entity]] = {t: [] for t in mix}
    seen: set[str] = set()
    while sum(len(v) for v in entities.values()) < n - planted:
        etype = rnd.choices(list(mix), weights=list(mix.values()))[0]
        e = Entity(_name(rnd, etype), etype)
        if e.slug not in seen:
            seen.add(e.slug)
            entities[etype].append(e)
    triples: list[tuple[Entity, str, Entity]] = []
    for _ in range(2 * n):
        st, p, ot = rnd.choice(PREDICATES_BY_TYPE)
        s, o = rnd.choice(entities[st]), rnd.choice(entities[ot])
        if s != o:
            triples.append((s, p, o))
    pairs: set[frozenset[str]] = set()
    related = sorted({e.slug: e for t in triples for e in (t[0], t[2])}.values(), key=lambda e: e.slug)
    originals = rnd.sample(related, planted * 2)
    for e in originals:
        if len(pairs) == planted:
            break
        twin = Entity(_second_spelling(rnd, e), e.type)
        if twin.slug in seen or normalize_name(twin.name) == "":
            continue
        seen.add(twin.slug)
        pairs.add(frozenset((e.slug, twin.slug)))
        # The twin takes over some of the original's relations (as a second source would).
        mine = [t for t in triples if e in (t[0], t[2])]
        for s, p, o in rnd.sample(mine, min(len(mine), 2)):
            triples.append((twin if s == e else s, p, twin if o == e else o))
    rnd.shuffle(triples)
    extractions = []
    for k in range(0, len(triples), 20):
        chunk = triples[k : k + 20]
        sentences = [f"{s.name} {p} {o.name} (item {k + i})." for i, (s, p, o) in enumerate(chunk)]
        art = Article(
            text=" ".join(sentences),
            url=f"https://bench.example/{k}",
            title=f"Bench {k}",
            published=date(2024, 1, 1) + timedelta(days=k % 365),
        )
        rels, at = [], 0
        for (s, p, o), sentence in zip(chunk, sentences):
            start = art.text.index(sentence, at)
            at = start + len(sentence)
            rels.append(RelationMention(s, p, o, round(rnd.uniform(0.5, 0.99), 3), sentence, start, at))
        ents = tuple({e.slug: e for r in rels for e in (r.subject, r.object)}.values())
        extractions.append(Extraction(art, ents, tuple(rels), "bench-suggest"))
    return extractions, pairs


def best_of(fn, runs: int = 3) -> tuple[float, object]:
    fn()  # warm: the store's caches, the ontology parse
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def all_pairs_seconds(store) -> tuple[float, int]:
    """Return the time to compare every name with every other of its type, and the comparisons made."""
    from kg.suggest import _read_entities

    entities = list(_read_entities(store).values())
    t = time.perf_counter()
    compared = 0
    for etype in ("Organization", "Person", "AIModel", "Product"):
        names = [normalize_name(e.label) for e in entities if etype in e.types]
        scores = cdist(names, names, scorer=fuzz.ratio, score_cutoff=85, dtype=np.uint8, workers=1)
        np.nonzero(np.triu(scores, k=1))
        compared += len(names) * (len(names) - 1) // 2
    return time.perf_counter() - t, compared


def names_scaling(n: int, seed: int = 9) -> dict:
    """Return blocked against all-pairs name comparison on ``n`` organization names (10% of them typos of others)."""
    rnd = random.Random(seed)
    names = [_name(rnd, "Organization") for _ in range(int(n * 0.9))]
    for original in rnd.sample(names, n - len(names)):
        names.append(_second_spelling(rnd, Entity(original, "Organization")))
    norms = [normalize_name(x) for x in names]
    t = time.perf_counter()
    blocked = similar_names(norms, NAME_CUTOFF)
    blocked_s = time.perf_counter() - t
    t = time.perf_counter()
    every: set[tuple[int, int]] = set()
    for lo in range(0, len(norms), 1000):  # in slices: an n x n matrix would not fit in memory at scale
        scores = cdist(
            norms[lo : lo + 1000], norms, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, dtype=np.uint8, workers=1
        )
        for r, c in zip(*np.nonzero(scores)):
            if lo + r < c:
                every.add((lo + r, int(c)))
    every_s = time.perf_counter() - t
    return {
        "names": n,
        "blocked_seconds": round(blocked_s, 2),
        "all_pairs_seconds": round(every_s, 2),
        "alike_pairs": len(every),
        "found_by_blocking": len(every & blocked),
        "share_found": round(len(every & blocked) / len(every), 3) if every else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=5000)
    ap.add_argument("--planted", type=int, default=100)
    ap.add_argument("--names", type=int, nargs="*", default=[5000, 20000])
    args = ap.parse_args()
    extractions, planted = synthetic(args.entities, args.planted)
    by_id = {ex.article.id: ex for ex in extractions}
    with tempfile.TemporaryDirectory() as tmp:
        with LocalStore(Path(tmp) / "store") as store:
            t = time.perf_counter()
            ingest(store, [ex.article for ex in extractions], lambda b: (by_id[a.id] for a in b), batch_size=64)
            build = time.perf_counter() - t
            n_entities = sum(
                1
                for _ in store.query(
                    "SELECT DISTINCT ?e WHERE { ?e a ?t FILTER(STRSTARTS(STR(?e), 'https://w3id.org/aikg/entity/')) }"
                )
            )
            dup_s, dups = best_of(lambda: likely_duplicates(store, limit=None))
            wrong_s, wrong = best_of(lambda: likely_wrong(store, limit=None))
            brute_s, compared = all_pairs_seconds(store)
    found = {frozenset((p["a"]["slug"], p["b"]["slug"])) for p in dups}
    result = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "entities": n_entities,
        "articles": len(extractions),
        "relations": sum(len(ex.relations) for ex in extractions),
        "store_build_seconds": round(build, 1),
        "likely_duplicates_seconds": round(dup_s, 3),
        "pairs_listed": len(dups),
        "planted_pairs": len(planted),
        "planted_found": len(found & planted),
        "recall": round(len(found & planted) / len(planted), 3) if planted else None,
        "other_pairs_listed": len(found - planted),
        "likely_wrong_seconds": round(wrong_s, 3),
        "suspects_listed": len(wrong),
        "all_pairs_baseline_seconds": round(brute_s, 3),
        "all_pairs_comparisons": compared,
        "names_only": [names_scaling(n) for n in args.names],
        "missed_examples": sorted(sorted(p) for p in planted - found)[:10],
        "other_examples": [
            [p["a"]["label"], p["b"]["label"], p["reasons"]]
            for p in dups
            if frozenset((p["a"]["slug"], p["b"]["slug"])) not in planted
        ][:10],
    }
    out = Path(__file__).parent / "results" / "suggest.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
