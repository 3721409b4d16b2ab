#!/usr/bin/env python3
"""The compact block format of the c12 and c13 sources, and their build and counts.

One passage per block:
  # c12-0001 | style | 2025-03-04 | Title
  text on one line
  E Name | O/P/M/R | alias; alias
  R Subject | pred | Object | note | flags (h, p, hp)
  N Subject | pred | Object | note
Predicate codes: u uses, s suppliesTo, d develops, l leads, w worksFor, f founded,
i investsIn, a acquires, p partnersWith, c competesWith, b subsidiaryOf, x sues, z disputesWith.
Each source set has two entry points: build_cN.py and stats_cN.py.
"""
import json, glob, os, statistics, sys
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
P = dict(u="uses", s="suppliesTo", d="develops", l="leads", w="worksFor", f="founded", i="investsIn",
         a="acquires", p="partnersWith", c="competesWith", b="subsidiaryOf", x="sues", z="disputesWith")
T = dict(O="Organization", P="Person", M="AIModel", R="Product")


def parse(path):
    out, cur = [], None
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# "):
            pid, style, date, title = [x.strip() for x in line[2:].split("|", 3)]
            cur = {"id": pid, "style": style, "title": title, "url": f"https://news.example.org/train/{pid}",
                   "published": date, "text": None, "entities": [], "relations": [], "negatives": []}
            out.append(cur)
        elif line[:2] == "E ":
            f = [x.strip() for x in line[2:].split("|")]
            al = [a.strip() for a in f[2].split(";") if a.strip()] if len(f) > 2 else []
            cur["entities"].append({"name": f[0], "type": T[f[1]], "aliases": al})
        elif line[:2] in ("R ", "N "):
            f = [x.strip() for x in line[2:].split("|")]
            r = {"subject": f[0], "predicate": P.get(f[1], f[1]), "object": f[2], "note": f[3] if len(f) > 3 else ""}
            fl = f[4] if len(f) > 4 else ""
            if line[0] == "R":
                if "h" in fl: r["hedged"] = True
                if "p" in fl: r["past"] = True
                cur["relations"].append(r)
            else:
                cur["negatives"].append(r)
        else:
            if cur["text"] is not None:
                sys.exit(f"{path}: second text line in {cur['id']}: {line[:60]}")
            cur["text"] = line
    for d in out:
        if not d["negatives"]:
            del d["negatives"]
    return out


def build(tag, excluded=()):
    """Write cN-batch-NN.jsonl from src_cN/batch-NN.txt, without the ids in ``excluded``."""
    for src in sorted(glob.glob(os.path.join(HERE, f"src_{tag}", "batch-*.txt"))):
        n = os.path.basename(src)[6:8]
        ps = [d for d in parse(src) if d["id"] not in excluded]
        with open(os.path.join(HERE, f"{tag}-batch-{n}.jsonl"), "w", encoding="utf-8") as fh:
            for d in ps:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(src, len(ps))


def stats(tag):
    """Print the counts of the built cN-batch-*.jsonl files, as their README gives them."""
    H = HERE
    ps = [json.loads(l) for f in sorted(glob.glob(os.path.join(H, f"{tag}-batch-*.jsonl"))) for l in open(f, encoding="utf-8")]
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
