"""Validator for the blind gold set in this folder.

Usage (from the repository root):  python tests/gold_blind26/check.py
Prints one line per problem, then a summary; exit code 1 if any problem.
"""

import glob
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
PREDICATES = {
    "partnersWith",
    "investsIn",
    "acquires",
    "competesWith",
    "subsidiaryOf",
    "suppliesTo",
    "disputesWith",
    "sues",
    "develops",
    "uses",
    "leads",
    "founded",
    "worksFor",
}
SYMMETRIC = {"partnersWith", "competesWith", "disputesWith"}
TYPES = {"Organization", "Person", "AIModel", "Product"}
STYLES = {"wire", "analysis", "press-release", "blog", "feature", "explainer", "brief"}
ORG, PER, MOD, PRO = "Organization", "Person", "AIModel", "Product"
DOMAIN_RANGE = {
    "partnersWith": ({ORG}, {ORG}),
    "investsIn": ({ORG, PER}, {ORG}),
    "acquires": ({ORG}, {ORG, PRO}),
    "competesWith": ({ORG}, {ORG}),
    "subsidiaryOf": ({ORG}, {ORG}),
    "suppliesTo": ({ORG}, {ORG}),
    "disputesWith": ({ORG, PER}, {ORG, PER}),
    "sues": ({ORG, PER}, {ORG, PER}),
    "develops": ({ORG, PER}, {MOD, PRO}),
    "uses": ({ORG, PRO}, {MOD, PRO}),
    "leads": ({PER}, {ORG}),
    "founded": ({PER, ORG}, {ORG}),
    "worksFor": ({PER}, {ORG}),
}
KEYS = {"id", "style", "title", "url", "published", "text", "entities", "relations", "negatives"}


def check(path):
    errs = []
    name = os.path.basename(path)[:-5]
    try:
        d = json.load(open(path, encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        return [f"{name}: JSON error {e}"], None
    if set(d) - KEYS:
        errs.append(f"{name}: unknown keys {set(d) - KEYS}")
    for k in KEYS - {"negatives"}:
        if k not in d:
            errs.append(f"{name}: missing key {k}")
    if d.get("id") != name:
        errs.append(f"{name}: id {d.get('id')!r} != file name")
    if not re.fullmatch(r"3\d\d-[a-z0-9-]+", name):
        errs.append(f"{name}: bad file name")
    if d.get("style") not in STYLES:
        errs.append(f"{name}: bad style {d.get('style')}")
    slug = name[4:]
    if not re.fullmatch(r"https://news\.example\.org/20\d\d/" + re.escape(slug), d.get("url", "")):
        errs.append(f"{name}: url {d.get('url')} not placeholder with slug")
    if not re.fullmatch(r"202[56]-\d\d-\d\d", d.get("published", "")):
        errs.append(f"{name}: published {d.get('published')}")
    text = d.get("text", "")
    words = len(text.split())
    if not 50 <= words <= 150:
        errs.append(f"{name}: {words} words")
    types = {}
    for e in d.get("entities", []):
        if e.get("type") not in TYPES:
            errs.append(f"{name}: entity {e.get('name')} bad type {e.get('type')}")
        if e["name"] in types:
            errs.append(f"{name}: duplicate entity {e['name']}")
        types[e["name"]] = e.get("type")
        forms = e.get("aliases", [])
        if not isinstance(forms, list):
            errs.append(f"{name}: aliases of {e['name']} not a list")
            forms = []
        if e["name"] not in text and not forms:
            errs.append(f"{name}: entity {e['name']!r} absent and no alias")
        for a in forms:
            if a not in text:
                errs.append(f"{name}: alias {a!r} of {e['name']} not in text")
    seen = set()
    for kind in ("relations", "negatives"):
        for r in d.get(kind, []):
            p, s, o = r.get("predicate"), r.get("subject"), r.get("object")
            if p not in PREDICATES:
                errs.append(f"{name}: {kind} bad predicate {p}")
                continue
            for end in (s, o):
                if end not in types:
                    errs.append(f"{name}: {kind} end {end!r} not an entity")
            if s in types and o in types:
                dom, rng = DOMAIN_RANGE[p]
                if types[s] not in dom or types[o] not in rng:
                    errs.append(f"{name}: {kind} {s} {p} {o} violates domain/range")
            if s == o:
                errs.append(f"{name}: {kind} self relation {s} {p}")
            if not r.get("note"):
                errs.append(f"{name}: {kind} {s} {p} {o} without note")
            key = (kind, p, frozenset((s, o)) if p in SYMMETRIC else (s, o))
            if key in seen:
                errs.append(f"{name}: duplicate {kind} {s} {p} {o}")
            seen.add(key)
            extra = set(r) - {"subject", "predicate", "object", "note", "hedged", "past"}
            if extra:
                errs.append(f"{name}: {kind} unknown keys {extra}")
    rel_keys = {k[1:] for k in seen if k[0] == "relations"}
    for k in seen:
        if k[0] == "negatives" and k[1:] in rel_keys:
            errs.append(f"{name}: triple both relation and negative {k[1:]}")
    if "negatives" in d and not d["negatives"]:
        errs.append(f"{name}: empty negatives list (omit the key)")
    return errs, d


def main():
    files = sorted(glob.glob(os.path.join(HERE, "*.json")))
    problems = []
    ent_types, preds, styles, neg_preds = Counter(), Counter(), Counter(), Counter()
    hedged = past = negs = empty = 0
    words = []
    for f in files:
        errs, d = check(f)
        problems += errs
        if d is None:
            continue
        styles[d.get("style")] += 1
        words.append(len(d.get("text", "").split()))
        for e in d.get("entities", []):
            ent_types[e.get("type")] += 1
        if not d.get("relations"):
            empty += 1
        for r in d.get("relations", []):
            preds[r["predicate"]] += 1
            hedged += bool(r.get("hedged"))
            past += bool(r.get("past"))
        for r in d.get("negatives", []):
            negs += 1
            neg_preds[r["predicate"]] += 1
    for p in problems:
        print(p)
    print(f"files {len(files)}; problems {len(problems)}")
    print(f"entities {sum(ent_types.values())} {dict(ent_types)}")
    print(f"relations {sum(preds.values())} hedged {hedged} past {past}; negatives {negs} {dict(neg_preds)}")
    print(f"no-relation passages {empty}; styles {dict(styles)}")
    if words:
        print(f"words {min(words)}-{max(words)} mean {sum(words) / len(words):.0f}")
    for p in sorted(PREDICATES, key=lambda x: -preds[x]):
        print(f"  {p:13s} {preds[p]:3d}  neg {neg_preds[p]}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
