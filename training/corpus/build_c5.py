#!/usr/bin/env python3
"""Build c5-batch-NN.jsonl from the plain-text sources in src_c5/*.txt.

Source format (blocks separated by a line starting with '## '):
## style | YYYY-MM-DD | title
text (one or more lines)
E: O:Name=alias;alias / P:Name / M:Model / R:Product
R: subj > pred > obj : note !h !p
N: subj > pred > obj : note
"""
import json, glob, os, re
HERE = os.path.dirname(os.path.abspath(__file__))
T = {"O": "Organization", "P": "Person", "M": "AIModel", "R": "Product"}
AB = {"pw": "partnersWith", "inv": "investsIn", "acq": "acquires", "comp": "competesWith",
      "sub": "subsidiaryOf", "sup": "suppliesTo", "dis": "disputesWith", "sue": "sues",
      "dev": "develops", "use": "uses", "lead": "leads", "fnd": "founded", "work": "worksFor"}


def rel(s):
    flags = re.findall(r"!([hp])", s)
    s = re.sub(r"\s*!([hp])", "", s)
    body, _, note = s.partition(" : ")
    a, p, b = [x.strip() for x in body.split(">")]
    r = {"subject": a, "predicate": AB.get(p, p), "object": b, "note": note.strip() or AB.get(p, p)}
    if "h" in flags: r["hedged"] = True
    if "p" in flags: r["past"] = True
    return r


def parse(path):
    out = []
    for blk in re.split(r"^## ", open(path, encoding="utf-8").read(), flags=re.M)[1:]:
        lines = blk.strip().split("\n")
        style, date, title = [x.strip() for x in lines[0].split("|", 2)]
        text, ents, rels, negs = [], [], [], []
        for ln in lines[1:]:
            if ln.startswith("E:"):
                for e in ln[2:].split(" / "):
                    e = e.strip()
                    if not e: continue
                    t, _, rest = e.partition(":")
                    nm, _, al = rest.partition("=")
                    ents.append({"name": nm.strip(), "type": T[t.strip()],
                                 "aliases": [a.strip() for a in al.split(";") if a.strip()]})
            elif ln.startswith("R:"):
                rels.append(rel(ln[2:]))
            elif ln.startswith("N:"):
                negs.append(rel(ln[2:]))
            elif ln.strip():
                text.append(ln.strip())
        d = {"style": style, "title": title, "published": date, "text": " ".join(text),
             "entities": ents, "relations": rels}
        if negs: d["negatives"] = negs
        out.append(d)
    return out


def main():
    ps = []
    for f in sorted(glob.glob(os.path.join(HERE, "src_c5", "*.txt"))):
        ps += parse(f)
    for f in glob.glob(os.path.join(HERE, "c5-batch-*.jsonl")):
        os.remove(f)
    for i, d in enumerate(ps, 1):
        pid = f"c5-{i:04d}"
        rec = {"id": pid, "style": d["style"], "title": d["title"],
               "url": f"https://news.example.org/train/{pid}", "published": d["published"],
               "text": d["text"], "entities": d["entities"], "relations": d["relations"]}
        if "negatives" in d: rec["negatives"] = d["negatives"]
        with open(os.path.join(HERE, f"c5-batch-{(i - 1) // 50 + 1:02d}.jsonl"), "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(len(ps), "passages")


if __name__ == "__main__":
    main()
