#!/usr/bin/env python3
"""Build c4-batch-NN.jsonl from the compact sources in src_c4/bNN.txt.

Source format (passages separated by blank lines):
  # <style> <YYYY-MM-DD> | <title>
  T <text>
  O|P|M|X <name> ; <alias> ; ...      (Organization, Person, AIModel, Product)
  R <subj> | <pred> | <obj> | <note> [| h|p|hp]
  N <subj> | <pred> | <obj> | <note>
Predicate short codes are expanded (see PC). Ids: c4-<NN><seq 2 digits+1>.
"""
import glob, json, os, re, sys

PC = {"pa": "partnersWith", "inv": "investsIn", "acq": "acquires", "co": "competesWith",
      "sub": "subsidiaryOf", "sup": "suppliesTo", "di": "disputesWith", "su": "sues",
      "dev": "develops", "us": "uses", "le": "leads", "fo": "founded", "wo": "worksFor"}
TY = {"O": "Organization", "P": "Person", "M": "AIModel", "X": "Product"}
INV = {}
HERE = os.path.dirname(os.path.abspath(__file__))


def parse(path, batch):
    out = []
    blocks = [b for b in re.split(r"\n\s*\n", open(path, encoding="utf-8").read()) if b.strip()]
    for i, b in enumerate(blocks, 1):
        pid = f"c4-{batch:02d}{i:02d}"
        d = {"id": pid}
        ents, rels, negs = [], [], []
        for line in b.strip().split("\n"):
            line = line.strip()
            if not line:
                continue
            tag, _, rest = line.partition(" ")
            if tag == "#":
                head, _, title = rest.partition("|")
                style, date, *flags = head.split()
                INV[pid] = "i" in flags
                d.update(style=style, title=title.strip(), url=f"https://news.example.org/train/{pid}", published=date)
            elif tag == "T":
                d["text"] = rest.strip()
            elif tag in TY:
                parts = [p.strip() for p in rest.split(";")]
                ents.append({"name": parts[0], "type": TY[tag], "aliases": [p for p in parts[1:] if p]})
            elif tag in ("R", "N"):
                parts = [p.strip() for p in rest.split("|")]
                s, p, o = parts[0], PC.get(parts[1], parts[1]), parts[2]
                r = {"subject": s, "predicate": p, "object": o}
                if len(parts) > 4 and tag == "R":
                    if "h" in parts[4]:
                        r["hedged"] = True
                    if "p" in parts[4]:
                        r["past"] = True
                r["note"] = parts[3] if len(parts) > 3 else ""
                (rels if tag == "R" else negs).append(r)
            else:
                raise SystemExit(f"{path} block {i}: bad line {line!r}")
        d["entities"] = ents
        d["relations"] = rels
        if negs:
            d["negatives"] = negs
        order = ["id", "style", "title", "url", "published", "text", "entities", "relations", "negatives"]
        out.append({k: d[k] for k in order if k in d})
    return out


def main():
    for src in sorted(glob.glob(os.path.join(HERE, "src_c4", "b*.txt"))):
        n = int(re.search(r"b(\d+)\.txt$", src).group(1))
        rows = parse(src, n)
        dst = os.path.join(HERE, f"c4-batch-{n:02d}.jsonl")
        with open(dst, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(dst, len(rows))
    print("passages marked invented-entity:", sum(INV.values()), "of", len(INV))


if __name__ == "__main__":
    main()
