#!/usr/bin/env python3
"""Expand the compact source files in src_c1/ into c1-batch-NN.jsonl (gold format).

Source format, one passage per block:
  @ <style> <YYYY-MM-DD> [*] | <title>      (* = uses invented entities)
  T: <text>
  E: Name:O[alias|alias]; Name:P; Name:M; Name:R      (O Organization, P Person, M AIModel, R Product)
  R: <subject> <predicate> <object> # note !h !p     (!h hedged, !p past)
  N: <subject> <predicate> <object> # note           (negative)
"""
import json, re, sys, glob, os

PRED = ("partnersWith investsIn acquires competesWith subsidiaryOf suppliesTo disputesWith "
        "sues develops uses leads founded worksFor").split()
TYPES = {"O": "Organization", "P": "Person", "M": "AIModel", "R": "Product"}
PREFIX = "c1"
INVENTED = []


def parse_rel(line):
    body, _, note = line.partition("#")
    toks = body.strip().split(" ")
    idx = [i for i, t in enumerate(toks) if t in PRED]
    if len(idx) != 1:
        raise ValueError(f"cannot parse relation: {line!r}")
    i = idx[0]
    r = {"subject": " ".join(toks[:i]).strip(), "predicate": toks[i], "object": " ".join(toks[i + 1:]).strip()}
    note = note.strip()
    flags = set(re.findall(r"!([hp])\b", note))
    note = re.sub(r"\s*![hp]\b", "", note).strip()
    r["note"] = note
    if "h" in flags:
        r["hedged"] = True
    if "p" in flags:
        r["past"] = True
    return r


def parse_entities(s):
    out = []
    for part in s.split(";"):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^(.*):([OPMR])(?:\[(.*)\])?$", part)
        if not m:
            raise ValueError(f"bad entity {part!r}")
        aliases = [a.strip() for a in m.group(3).split("|")] if m.group(3) else []
        out.append({"name": m.group(1).strip(), "type": TYPES[m.group(2)], "aliases": aliases})
    return out


def parse_file(path, start):
    blocks, cur = [], None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("@"):
            cur = {"head": line[1:].strip(), "T": [], "E": [], "R": [], "N": []}
            blocks.append(cur)
        else:
            key, _, val = line.partition(":")
            cur[key.strip()].append(val.strip())
    out = []
    for n, b in enumerate(blocks):
        meta, _, title = b["head"].partition("|")
        parts = meta.split()
        style, date = parts[0], parts[1]
        INVENTED.append("*" in parts[2:])
        pid = f"{PREFIX}-{start + n:04d}"
        d = {"id": pid, "style": style, "title": title.strip(),
             "url": f"https://news.example.org/train/{pid}", "published": date,
             "text": " ".join(b["T"]).strip(),
             "entities": parse_entities(" ; ".join(b["E"])),
             "relations": [parse_rel(x) for x in b["R"]]}
        negs = [parse_rel(x) for x in b["N"]]
        if negs:
            d["negatives"] = negs
        out.append(d)
    return out


def main():
    srcs = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "src_c1", "batch-*.txt")))
    start = 1
    for s in srcs:
        nn = re.search(r"batch-(\d+)", s).group(1)
        ps = parse_file(s, start)
        start += len(ps)
        dst = os.path.join(os.path.dirname(s), "..", f"{PREFIX}-batch-{nn}.jsonl")
        with open(dst, "w", encoding="utf-8") as f:
            for p in ps:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        print(f"{dst}: {len(ps)}")
    print(f"passages with invented entities: {sum(INVENTED)}/{len(INVENTED)}")


if __name__ == "__main__":
    main()
