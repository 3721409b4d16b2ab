#!/usr/bin/env python3
"""Build training/corpus/c13-batch-NN.jsonl from src_c13/batch-NN.txt.

Block format (one passage per block):
  # c13-0001 | style | 2025-03-04 | Title
  text on one line
  E Name | O/P/M/R | alias; alias
  R Subject | pred | Object | note | flags (h, p, hp)
  N Subject | pred | Object | note
Predicate codes: u uses, s suppliesTo, d develops, l leads, w worksFor, f founded,
i investsIn, a acquires, p partnersWith, c competesWith, b subsidiaryOf, x sues, z disputesWith.
"""
import json, glob, os, sys
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


# every c13 passage is about invented entities only, so none can retell a test set's event
EXCLUDED = set()

for src in sorted(glob.glob(os.path.join(HERE, "src_c13", "batch-*.txt"))):
    n = os.path.basename(src)[6:8]
    ps = [d for d in parse(src) if d["id"] not in EXCLUDED]
    with open(os.path.join(HERE, f"c13-batch-{n}.jsonl"), "w", encoding="utf-8") as fh:
        for d in ps:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(src, len(ps))
