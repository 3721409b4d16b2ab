#!/usr/bin/env python3
"""Validate the c3 training-corpus files (training/corpus/c3-batch-*.jsonl).

Checks: JSON parses; exactly the gold fields; ids "c3-NNNN" unique across every
training/corpus/*.jsonl; style, url and date; 20-110 words; entity types; names and
aliases verbatim in the text; subjects/objects are entity names; predicates known with
their domain/range types; symmetric pairs once; no relation also listed as a negative.
Warnings (not errors): capitalised words not covered by any entity name or alias.
Usage: python training/corpus/check_c3.py [-w]   (-w prints the warnings)
"""
import collections, glob, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
O, P, M, D = "Organization", "Person", "AIModel", "Product"
DOMAIN = {
    "partnersWith": ({O}, {O}), "investsIn": ({O, P}, {O}), "acquires": ({O}, {O, D}),
    "competesWith": ({O}, {O}), "subsidiaryOf": ({O}, {O}), "suppliesTo": ({O}, {O}),
    "disputesWith": ({O, P}, {O, P}), "sues": ({O, P}, {O, P}), "develops": ({O, P}, {M, D}),
    "uses": ({O, D}, {M, D}), "leads": ({P}, {O}), "founded": ({P, O}, {O}), "worksFor": ({P}, {O}),
}
SYM = {"partnersWith", "competesWith", "disputesWith"}
STYLES = {"wire", "analysis", "press-release", "blog", "feature", "brief", "long-form", "explainer"}
FIELDS = {"id", "style", "title", "url", "published", "text", "entities", "relations"}
STOP = set("""A An The In On At As By For From To Of And But Or If It Its Is Was Were Be This That These
Those He She His Her They Their We Our You Your Who Whom Which What When Where Why How After Before While
Under Over With Without Since Until Under Last Next Monday Tuesday Wednesday Thursday Friday Saturday
Sunday January February March April May June July August September October November December Neither
Nor Not No Yes Both Each Every All Some Most Many One Two Three Four Five Six Seven Eight Nine Ten Still
Instead Meanwhile However Earlier Later Now Then There Here Also Even Only Just So Such Asked Speaking
According Analysts Investors People Shares Terms Financial Neither Chief Executive Officer President
Chairman CEO CFO CTO Series Seed Round Under Despite Through Across Among Once Like Unlike Both""".split())


def words(t):
    return len(t.split())


def main():
    warn = "-w" in sys.argv
    errors, warnings = [], []
    ids = collections.Counter()
    for f in sorted(glob.glob(os.path.join(HERE, "*.jsonl"))):
        if os.path.basename(f).startswith("c3-"):
            continue
        for line in open(f, encoding="utf-8"):
            try:
                ids[json.loads(line).get("id")] += 1
            except Exception:
                pass
    stats = collections.Counter()
    preds = collections.Counter()
    ents_total = ents_inv = 0
    for f in sorted(glob.glob(os.path.join(HERE, "c3-batch-*.jsonl"))):
        for ln, line in enumerate(open(f, encoding="utf-8"), 1):
            where = f"{os.path.basename(f)}:{ln}"
            try:
                d = json.loads(line)
            except Exception as e:
                errors.append(f"{where}: JSON {e}")
                continue
            pid = d.get("id", "?")
            where += f" {pid}"
            keys = set(d)
            if not FIELDS <= keys or keys - FIELDS - {"negatives"}:
                errors.append(f"{where}: fields {sorted(keys)}")
                continue
            if "negatives" in d and not d["negatives"]:
                errors.append(f"{where}: empty negatives")
            ids[pid] += 1
            if not re.fullmatch(r"c3-\d{4}", pid):
                errors.append(f"{where}: bad id")
            if d["url"] != f"https://news.example.org/train/{pid}":
                errors.append(f"{where}: url")
            if d["style"] not in STYLES:
                errors.append(f"{where}: style {d['style']}")
            if not re.fullmatch(r"20\d\d-\d\d-\d\d", d["published"]):
                errors.append(f"{where}: date")
            text = d["text"]
            if not 20 <= words(text) <= 110:
                errors.append(f"{where}: {words(text)} words")
            types, surface = {}, []
            for e in d["entities"]:
                if set(e) != {"name", "type", "aliases"}:
                    errors.append(f"{where}: entity fields {e}")
                    continue
                if e["type"] not in DOMAIN["develops"][0] | DOMAIN["develops"][1]:
                    errors.append(f"{where}: type {e['type']}")
                if e["name"] in types:
                    errors.append(f"{where}: duplicate entity {e['name']}")
                types[e["name"]] = e["type"]
                if e["name"] not in text and not e["aliases"]:
                    errors.append(f"{where}: name not in text: {e['name']}")
                if e["name"] not in text and not any(a in text for a in e["aliases"]):
                    errors.append(f"{where}: entity never occurs: {e['name']}")
                for a in e["aliases"]:
                    if a not in text:
                        errors.append(f"{where}: alias not in text: {a!r}")
                surface += [e["name"]] + e["aliases"]
            al = collections.Counter(a for e in d["entities"] for a in set([e["name"]] + e["aliases"]))
            for a, c in al.items():
                if c > 1:
                    errors.append(f"{where}: surface form shared by entities: {a!r}")
            seen = set()
            for kind in ("relations", "negatives"):
                for r in d.get(kind, []):
                    if set(r) - {"subject", "predicate", "object", "note", "hedged", "past"} or not r.get("note"):
                        errors.append(f"{where}: {kind} fields {r}")
                    s, p, o = r.get("subject"), r.get("predicate"), r.get("object")
                    if p not in DOMAIN:
                        errors.append(f"{where}: predicate {p}")
                        continue
                    if s not in types or o not in types:
                        errors.append(f"{where}: {kind} end not an entity: {s} {p} {o}")
                        continue
                    if s == o:
                        errors.append(f"{where}: self relation {s} {p}")
                    dom, rng = DOMAIN[p]
                    if types[s] not in dom or types[o] not in rng:
                        errors.append(f"{where}: {p} type {types[s]}->{types[o]} ({s} -> {o})")
                    key = (kind, p, s, o) if p not in SYM else (kind, p) + tuple(sorted((s, o)))
                    if key in seen:
                        errors.append(f"{where}: duplicate {kind} {s} {p} {o}")
                    seen.add(key)
                    if kind == "relations":
                        preds[p] += 1
                        stats["hedged"] += bool(r.get("hedged"))
                        stats["past"] += bool(r.get("past"))
                    else:
                        stats["negatives"] += 1
                        if r.get("hedged") or r.get("past"):
                            errors.append(f"{where}: flags on a negative")
            for (kind, p, *ends) in list(seen):
                if kind == "negatives" and ("relations", p, *ends) in seen:
                    errors.append(f"{where}: {p} {ends} both relation and negative")
                if p == "leads" and kind == "relations" and ("relations", "worksFor", *ends) in seen:
                    errors.append(f"{where}: leads and worksFor for {ends}")
            # warnings: capitalised words outside every entity surface form
            covered = text
            for sf in sorted(surface, key=len, reverse=True):
                covered = covered.replace(sf, " ")
            for w in re.findall(r"\b[A-Z][\w&.-]*[A-Za-z0-9]", covered):
                if w not in STOP:
                    warnings.append(f"{where}: uncovered {w}")
            stats["passages"] += 1
            stats["with_negatives"] += bool(d.get("negatives"))
            stats["no_relation"] += not d["relations"]
            ents_total += len(d["entities"])
            stats["entities"] += len(d["entities"])
    for i, c in ids.items():
        if c > 1:
            errors.append(f"duplicate id {i}")
    for e in errors:
        print("ERROR", e)
    if warn:
        for w in warnings:
            print("warn", w)
    print(dict(stats), "relations:", sum(preds.values()))
    print(dict(sorted(preds.items(), key=lambda kv: -kv[1])))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
