#!/usr/bin/env python3
"""Build c3-batch-NN.jsonl from the compact sources in src_c3/batch-NN.txt.

Source format (one passage per block):
  @ <style> <YYYY-MM-DD> | <title>
  <text lines, joined with a space>
  E Name/T = alias | alias ; Name/T* ; ...    (T: O=Organization P=Person M=AIModel D=Product; * = invented)
  R <subject> <predicate> <object> :: note [+h] [+p]
  N <subject> <predicate> <object> :: note
Ids are assigned in order across batches: c3-0001, c3-0002, ...
"""
import glob, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
PRED = ["partnersWith", "investsIn", "acquires", "competesWith", "subsidiaryOf", "suppliesTo",
        "disputesWith", "sues", "develops", "uses", "leads", "founded", "worksFor"]
TYPES = {"O": "Organization", "P": "Person", "M": "AIModel", "D": "Product"}
PRE = re.compile(r"\s(" + "|".join(PRED) + r")\s")


INVENTED, REAL = set(), set()
OCC = {"inv": 0, "all": 0, "pinv": 0, "pall": 0}


def parse_rel(line, where):
    body, _, note = line.partition("::")
    flags = re.findall(r"\+([hp])\b", note)
    note = re.sub(r"\s*\+[hp]\b", "", note).strip()
    m = PRE.search(" " + body.strip() + " ")
    if not m:
        sys.exit(f"{where}: no predicate in {line!r}")
    s = (" " + body.strip() + " ")[:m.start()].strip()
    o = (" " + body.strip() + " ")[m.end():].strip()
    r = {"subject": s, "predicate": m.group(1), "object": o, "note": note}
    if "h" in flags:
        r["hedged"] = True
    if "p" in flags:
        r["past"] = True
    return r


def parse(path, start):
    out, cur = [], None
    n = start
    for i, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        where = f"{os.path.basename(path)}:{i}"
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@ "):
            head, _, title = line[2:].partition("|")
            style, date = head.split()
            n += 1
            pid = f"c3-{n:04d}"
            cur = {"id": pid, "style": style, "title": title.strip(),
                   "url": f"https://news.example.org/train/{pid}", "published": date,
                   "text": "", "entities": [], "relations": [], "negatives": []}
            out.append(cur)
        elif line.startswith("E "):
            for part in line[2:].split(";"):
                part = part.strip()
                if not part:
                    continue
                head, _, al = part.partition("=")
                name, _, t = head.strip().rpartition("/")
                t = t.strip()
                if t.endswith("*"):
                    t = t[:-1]
                    INVENTED.add(name.strip())
                else:
                    REAL.add(name.strip())
                if t not in TYPES:
                    sys.exit(f"{where}: bad type in {part!r}")
                cur["entities"].append({"name": name.strip(), "type": TYPES[t.strip()],
                                        "aliases": [a.strip() for a in al.split("|") if a.strip()]})
        elif line.startswith("R "):
            cur["relations"].append(parse_rel(line[2:], where))
        elif line.startswith("N "):
            cur["negatives"].append(parse_rel(line[2:], where))
        else:
            cur["text"] = (cur["text"] + " " + line.strip()).strip()
    for p in out:
        names = [e["name"] for e in p["entities"]]
        inv = [x for x in names if x in INVENTED and x not in REAL]
        OCC["all"] += len(names)
        OCC["inv"] += len(inv)
        OCC["pall"] += 1
        OCC["pinv"] += bool(inv)
        if not p["negatives"]:
            del p["negatives"]
    return out, n


def main():
    n = 0
    for src in sorted(glob.glob(os.path.join(HERE, "src_c3", "batch-*.txt"))):
        num = re.search(r"batch-(\d+)", src).group(1)
        passages, n = parse(src, n)
        dst = os.path.join(HERE, f"c3-batch-{num}.jsonl")
        with open(dst, "w", encoding="utf-8") as f:
            for p in passages:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        print(f"{os.path.basename(dst)}: {len(passages)} passages (last id c3-{n:04d})")
    print(f"invented entity mentions {OCC['inv']}/{OCC['all']}; passages with an invented entity "
          f"{OCC['pinv']}/{OCC['pall']}")


if __name__ == "__main__":
    main()
