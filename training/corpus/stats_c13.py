#!/usr/bin/env python3
"""Counts for README_c13.md: python training/corpus/stats_c13.py"""
import json, glob, os, statistics
from collections import Counter
H = os.path.dirname(os.path.abspath(__file__))
ps = [json.loads(l) for f in sorted(glob.glob(os.path.join(H, "c13-batch-*.jsonl"))) for l in open(f, encoding="utf-8")]
et = Counter(e["type"] for d in ps for e in d["entities"])
rel = Counter(); hed = Counter(); pas = Counter(); neg = Counter()
for d in ps:
    for r in d["relations"]:
        rel[r["predicate"]] += 1; hed[r["predicate"]] += bool(r.get("hedged")); pas[r["predicate"]] += bool(r.get("past"))
    for r in d.get("negatives", []):
        neg[r["predicate"]] += 1
w = [len(d["text"].split()) for d in ps]
print(f"passages {len(ps)}; entities {sum(et.values())} {dict(et)}")
print(f"relations {sum(rel.values())} (hedged {sum(hed.values())}, past {sum(pas.values())}); negatives {sum(neg.values())} in {sum(1 for d in ps if d.get('negatives'))} passages")
print("| predicate | relations | hedged | past | negatives |\n|---|---:|---:|---:|---:|")
for p in sorted(set(rel) | set(neg), key=lambda p: -rel[p]):
    print(f"| {p} | {rel[p]} | {hed[p]} | {pas[p]} | {neg[p]} |")
print(f"words {min(w)}-{max(w)}, mean {statistics.mean(w):.0f}")
print("styles", dict(Counter(d["style"] for d in ps).most_common()))
