#!/usr/bin/env python3
"""Build c6-batch-NN.jsonl from src_c6/batch-NN.txt.

Source format, passages separated by blank lines:
  @ style | YYYY-MM-DD | title
  text (one line)
  E: Name : T : alias1 | alias2        (T = O/P/M/R)
  R: subject | predicate[+h][+p] | object | note
  N: subject | predicate | object | note
"""
import glob, json, os, re
HERE = os.path.dirname(os.path.abspath(__file__))
T = {"O": "Organization", "P": "Person", "M": "AIModel", "R": "Product"}
n = 0
for src in sorted(glob.glob(os.path.join(HERE, "src_c6", "batch-*.txt"))):
    num = re.search(r"batch-(\d+)", src).group(1)
    out = []
    for block in open(src, encoding="utf-8").read().strip().split("\n\n"):
        lines = [l.strip() for l in block.strip().split("\n") if l.strip()]
        style, date, title = [x.strip() for x in lines[0][1:].split("|", 2)]
        text = lines[1]
        n += 1
        pid = f"c6-{n:04d}"
        d = {"id": pid, "style": style, "title": title, "url": f"https://news.example.org/train/{pid}",
             "published": date, "text": text, "entities": [], "relations": []}
        negs = []
        for l in lines[2:]:
            tag, rest = l[:2], l[2:].strip()
            if tag == "E:":
                parts = [x.strip() for x in rest.split(" : ")]
                als = [a.strip() for a in parts[2].split("|")] if len(parts) > 2 and parts[2] else []
                d["entities"].append({"name": parts[0], "type": T[parts[1]], "aliases": als})
            elif tag in ("R:", "N:"):
                s, p, o, note = [x.strip() for x in rest.split("|", 3)]
                flags = p.split("+")
                r = {"subject": s, "predicate": flags[0], "object": o, "note": note}
                if "h" in flags[1:]: r["hedged"] = True
                if "p" in flags[1:]: r["past"] = True
                (d["relations"] if tag == "R:" else negs).append(r)
            else:
                raise SystemExit(f"{src}: bad line {l!r}")
        if negs:
            d["negatives"] = negs
        out.append(d)
    with open(os.path.join(HERE, f"c6-batch-{num}.jsonl"), "w", encoding="utf-8") as f:
        for d in out:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(n, "passages")
