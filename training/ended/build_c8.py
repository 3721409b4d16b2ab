#!/usr/bin/env python3
"""Build c8-batch-NN.jsonl from src_c8/batch-NN.txt (compact block format).

Block:  @ style | title | YYYY-MM-DD
        text (one or more lines)
        E name | O/P/M/R | alias; alias
        R subject predicate object [+h] [+p] [# note]
        N subject predicate object [# note]
Blocks are separated by blank lines; ids (c8-NNNN) are assigned in order across batches.
``+p`` marks a relation stated as over (past), ``+h`` one that is reported or planned.
Run ``python training/ended/build_c8.py`` after editing a source, then
``python training/corpus/check_corpus.py training/ended/*.jsonl``.
"""
import glob
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
PREDS = ["partnersWith", "investsIn", "acquires", "competesWith", "subsidiaryOf", "suppliesTo",
         "disputesWith", "sues", "develops", "uses", "leads", "founded", "worksFor"]
T = {"O": "Organization", "P": "Person", "M": "AIModel", "R": "Product"}


def rel(line):
    """Parse ``subject predicate object [+h] [+p] [# note]`` into a gold relation dict."""
    note = None
    if " # " in line:
        line, note = line.split(" # ", 1)
    flags = set(re.findall(r"\+([hp])\b", line))
    line = re.sub(r"\s*\+[hp]\b", "", line).strip()
    toks = line.split(" ")
    idx = [i for i, t in enumerate(toks) if t in PREDS]
    assert len(idx) == 1, line
    i = idx[0]
    r = {"subject": " ".join(toks[:i]), "predicate": toks[i], "object": " ".join(toks[i + 1:])}
    if note:
        r["note"] = note.strip()
    if "h" in flags:
        r["hedged"] = True
    if "p" in flags:
        r["past"] = True
    return r


def build(here, prefix):
    """Build ``{prefix}-batch-NN.jsonl`` in ``here`` from ``here/src_{prefix}/batch-NN.txt``.

    Also used by the later corpora written in this format (training/ended_c9, training/corpus_c10).
    """
    n = 0
    for src in sorted(glob.glob(os.path.join(here, f"src_{prefix}", "batch-*.txt"))):
        num = re.search(r"batch-(\d+)", src).group(1)
        out = []
        for block in re.split(r"\n\s*\n", open(src, encoding="utf-8").read().strip()):
            lines = [l.rstrip() for l in block.strip().split("\n")]
            style, title, date = [x.strip() for x in lines[0][1:].split("|")]
            text, ents, rels, negs = [], [], [], []
            for l in lines[1:]:
                if l.startswith("E "):
                    parts = [x.strip() for x in l[2:].split("|")]
                    e = {"name": parts[0], "type": T[parts[1]], "aliases": []}
                    if len(parts) > 2 and parts[2]:
                        e["aliases"] = [a.strip() for a in parts[2].split(";") if a.strip()]
                    ents.append(e)
                elif l.startswith("R "):
                    rels.append(rel(l[2:]))
                elif l.startswith("N "):
                    negs.append(rel(l[2:]))
                else:
                    text.append(l.strip())
            n += 1
            pid = f"{prefix}-{n:04d}"
            d = {"id": pid, "style": style, "title": title, "url": f"https://news.example.org/train/{pid}",
                 "published": date, "text": " ".join(text), "entities": ents, "relations": rels}
            if negs:
                d["negatives"] = negs
            out.append(d)
        with open(os.path.join(here, f"{prefix}-batch-{num}.jsonl"), "w", encoding="utf-8") as f:
            for d in out:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(os.path.basename(src), len(out))


if __name__ == "__main__":
    build(HERE, "c8")
