#!/usr/bin/env python3
"""Validate training/corpus/c4-*.jsonl against the gold format and annotation rules.

Usage: python training/corpus/check_c4.py [--stats] [files...]
"""
import json, glob, os, sys, re
from collections import Counter

PRED = {"partnersWith": ("O", "O"), "investsIn": ("OP", "O"), "acquires": ("O", "OR"),
        "competesWith": ("O", "O"), "subsidiaryOf": ("O", "O"), "suppliesTo": ("O", "O"),
        "disputesWith": ("OP", "OP"), "sues": ("OP", "OP"), "develops": ("OP", "MR"),
        "uses": ("OR", "MR"), "leads": ("P", "O"), "founded": ("PO", "O"), "worksFor": ("P", "O")}
SYM = {"partnersWith", "competesWith", "disputesWith"}
TC = {"Organization": "O", "Person": "P", "AIModel": "M", "Product": "R"}
STYLES = {"wire", "analysis", "press-release", "blog", "feature", "brief", "long-form"}
FIELDS = ["id", "style", "title", "url", "published", "text", "entities", "relations"]


def main(argv):
    stats = "--stats" in argv
    files = [a for a in argv if not a.startswith("--")] or sorted(
        glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "c4-batch-*.jsonl")))
    errs, ids = [], Counter()
    pred, neg, hed, past, sty = Counter(), Counter(), Counter(), Counter(), Counter()
    n = norel = withneg = inv_p = 0
    for f in files:
        for ln, line in enumerate(open(f, encoding="utf-8"), 1):
            w = f"{os.path.basename(f)}:{ln}"
            try:
                d = json.loads(line)
            except Exception as e:
                errs.append(f"{w}: bad JSON {e}"); continue
            n += 1
            for k in FIELDS:
                if k not in d:
                    errs.append(f"{w}: missing {k}")
            if set(d) - set(FIELDS) - {"negatives"}:
                errs.append(f"{w}: extra fields")
            pid = d.get("id", "?"); w += " " + pid
            ids[pid] += 1
            if not re.fullmatch(r"c4-\d{4}", pid):
                errs.append(f"{w}: id form")
            if d.get("url") != f"https://news.example.org/train/{pid}":
                errs.append(f"{w}: url")
            if not re.fullmatch(r"20\d\d-[01]\d-[0-3]\d", d.get("published", "")):
                errs.append(f"{w}: published")
            if d.get("style") not in STYLES:
                errs.append(f"{w}: style {d.get('style')}")
            sty[d.get("style")] += 1
            if not d.get("title"):
                errs.append(f"{w}: empty title")
            text = d.get("text", "")
            wc = len(text.split())
            if not 20 <= wc <= 110:
                errs.append(f"{w}: {wc} words")
            types = {}
            for e in d.get("entities", []):
                nm = e.get("name")
                if nm in types:
                    errs.append(f"{w}: duplicate entity {nm}")
                if e.get("type") not in TC:
                    errs.append(f"{w}: type {e.get('type')} for {nm}")
                types[nm] = TC.get(e.get("type"), "?")
                als = e.get("aliases", [])
                if nm not in text and not any(a in text for a in als):
                    errs.append(f"{w}: entity not in text: {nm}")
                for a in als:
                    if a not in text:
                        errs.append(f"{w}: alias not in text: {a!r} ({nm})")
            rels, negs = d.get("relations", []), d.get("negatives", [])
            if "negatives" in d and not negs:
                errs.append(f"{w}: empty negatives")
            if not rels:
                norel += 1
            if negs:
                withneg += 1
            seen = set()
            for kind, lst in (("rel", rels), ("neg", negs)):
                for r in lst:
                    s, p, o = r.get("subject"), r.get("predicate"), r.get("object")
                    if p not in PRED:
                        errs.append(f"{w}: predicate {p}"); continue
                    for end, role, ok in ((s, "subject", PRED[p][0]), (o, "object", PRED[p][1])):
                        if end not in types:
                            errs.append(f"{w}: {kind} {role} not an entity: {end!r}")
                        elif types[end] not in ok:
                            errs.append(f"{w}: {kind} {s} {p} {o}: {role} type {types[end]} not allowed")
                    if s == o:
                        errs.append(f"{w}: self relation {s} {p}")
                    key = (s, p, o)
                    if p in SYM:
                        key = (min(s, o), p, max(s, o))
                    if key in seen:
                        errs.append(f"{w}: duplicate/symmetric twice {key}")
                    seen.add(key)
                    if set(r) - {"subject", "predicate", "object", "note", "hedged", "past"}:
                        errs.append(f"{w}: extra relation keys")
                    if kind == "rel":
                        pred[p] += 1
                        hed[p] += bool(r.get("hedged")); past[p] += bool(r.get("past"))
                    else:
                        neg[p] += 1
                        if r.get("hedged") or r.get("past"):
                            errs.append(f"{w}: flags on negative")
            # a leader is not also worksFor the same org
            lw = {(r["subject"], r["object"]) for r in rels if r.get("predicate") == "leads" and not r.get("past")}
            for r in rels:
                if r.get("predicate") == "worksFor" and not r.get("past") and (r["subject"], r["object"]) in lw:
                    errs.append(f"{w}: leads and worksFor {r['subject']}")
    for k, c in ids.items():
        if c > 1:
            errs.append(f"duplicate id {k}")
    for e in errs:
        print(e)
    if stats or not errs:
        print(f"passages {n}; no-relation {norel}; with negatives {withneg}")
        print("styles", dict(sty))
        for p in PRED:
            print(f"  {p:13s} {pred[p]:4d}  hedged {hed[p]:3d}  past {past[p]:3d}  neg {neg[p]:3d}")
        print(f"relations {sum(pred.values())} hedged {sum(hed.values())} past {sum(past.values())} negatives {sum(neg.values())}")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
