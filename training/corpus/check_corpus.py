#!/usr/bin/env python3
"""Validate training/corpus/*.jsonl against the gold format and annotation rules.

Usage: python training/corpus/check_corpus.py [--stats] [files...]
"""
import json, glob, os, sys, re
from collections import Counter

PRED = {"partnersWith": ("O", "O"), "investsIn": ("OP", "O"), "acquires": ("O", "OR"),
        "competesWith": ("O", "O"), "subsidiaryOf": ("O", "O"), "suppliesTo": ("O", "O"),
        "disputesWith": ("OP", "OP"), "sues": ("OP", "OP"), "develops": ("OP", "MR"),
        "uses": ("OR", "MR"), "leads": ("P", "O"), "founded": ("PO", "O"), "worksFor": ("P", "O")}
SYM = {"partnersWith", "competesWith", "disputesWith"}
TCODE = {"Organization": "O", "Person": "P", "AIModel": "M", "Product": "R"}
STYLES = {"wire", "analysis", "press-release", "blog", "feature", "brief", "long-form", "explainer"}
FIELDS = ["id", "style", "title", "url", "published", "text", "entities", "relations"]


def check(files, stats=False):
    errs, ids = [], Counter()
    st = Counter(); pred = Counter(); predneg = Counter(); styles = Counter()
    n = 0
    for f in files:
        for ln, line in enumerate(open(f, encoding="utf-8"), 1):
            where = f"{os.path.basename(f)}:{ln}"
            try:
                d = json.loads(line)
            except Exception as e:
                errs.append(f"{where}: bad JSON {e}"); continue
            n += 1
            for k in FIELDS:
                if k not in d:
                    errs.append(f"{where}: missing {k}")
            extra = set(d) - set(FIELDS) - {"negatives"}
            if extra:
                errs.append(f"{where}: extra fields {extra}")
            pid = d.get("id", "?"); where = f"{where} {pid}"
            ids[pid] += 1
            if d.get("url") != f"https://news.example.org/train/{pid}":
                errs.append(f"{where}: url")
            if not re.fullmatch(r"20\d\d-\d\d-\d\d", d.get("published", "")):
                errs.append(f"{where}: published")
            if d.get("style") not in STYLES:
                errs.append(f"{where}: style {d.get('style')}")
            styles[d.get("style")] += 1
            text = d.get("text", "")
            wc = len(text.split())
            if not 20 <= wc <= 110:
                errs.append(f"{where}: {wc} words")
            types = {}
            for e in d.get("entities", []):
                nm = e.get("name")
                if nm in types:
                    errs.append(f"{where}: duplicate entity {nm}")
                if e.get("type") not in TCODE:
                    errs.append(f"{where}: type {e.get('type')} for {nm}")
                types[nm] = TCODE.get(e.get("type"), "?")
                als = e.get("aliases", [])
                if nm not in text and not any(a in text for a in als):
                    errs.append(f"{where}: entity not in text: {nm}")
                for a in als:
                    if a not in text:
                        errs.append(f"{where}: alias not in text: {a!r} ({nm})")
            seen = set()
            rels = d.get("relations", []); negs = d.get("negatives", [])
            if "negatives" in d and not negs:
                errs.append(f"{where}: empty negatives")
            for kind, lst in (("rel", rels), ("neg", negs)):
                for r in lst:
                    s, p, o = r.get("subject"), r.get("predicate"), r.get("object")
                    if p not in PRED:
                        errs.append(f"{where}: predicate {p}"); continue
                    for end, role, allowed in ((s, "subject", PRED[p][0]), (o, "object", PRED[p][1])):
                        if end not in types:
                            errs.append(f"{where}: {kind} {role} not an entity: {end!r}")
                        elif types[end] not in allowed:
                            errs.append(f"{where}: {kind} {s} {p} {o}: {role} type {types[end]} not in {allowed}")
                    if s == o:
                        errs.append(f"{where}: self relation {s} {p}")
                    key = (s, p, o)
                    rkey = (o, p, s) if p in SYM else None
                    if key in seen or (rkey and rkey in seen):
                        errs.append(f"{where}: duplicate/symmetric twice {s} {p} {o}")
                    seen.add(key)
                    if kind == "rel":
                        pred[p] += 1
                        st["hedged"] += bool(r.get("hedged")); st["past"] += bool(r.get("past"))
                    else:
                        predneg[p] += 1
                    for k in r:
                        if k not in ("subject", "predicate", "object", "note", "hedged", "past"):
                            errs.append(f"{where}: relation field {k}")
            rk = {(r["subject"], r["predicate"], r["object"]) for r in rels}
            pastk = {(r["subject"], r["predicate"], r["object"]) for r in rels if r.get("past") or r.get("hedged")}
            for (s, p, o) in rk:
                # a leader is annotated with leads only, unless one of the two roles is past or to come (hedged)
                if p == "leads" and (s, "worksFor", o) in rk and not ({(s, p, o), (s, "worksFor", o)} & pastk):
                    errs.append(f"{where}: {s} both leads and worksFor {o}")
            st["negpassages"] += bool(negs); st["norel"] += not rels; st["neg"] += len(negs)
            st["rels"] += len(rels); st["ents"] += len(d.get("entities", []))
    for i, c in ids.items():
        if c > 1:
            errs.append(f"duplicate id {i} x{c}")
    for e in errs:
        print(e)
    print(f"{n} passages, {len(errs)} problems")
    if stats:
        print(dict(st)); print("styles", dict(styles))
        for p in PRED:
            print(f"  {p:13} {pred[p]:4}  neg {predneg[p]}")
    return not errs


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    files = args or sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "*.jsonl")))
    sys.exit(0 if check(files, "--stats" in sys.argv) else 1)
