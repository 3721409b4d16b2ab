"""Build c2-batch-NN.jsonl from the compact sources in c2_src/batch-NN.txt.

Source format, one passage per block:
    === style | title | YYYY-MM-DD
    text (one line)
    E Name ; T ; alias ; alias        T: O Organization, P Person, M AIModel, D Product
    R Subject ; predicate[/h][/p] ; Object ; note
    N Subject ; predicate ; Object ; note
Ids are c2-NNNN with NNNN = (batch-1)*100 + position.
"""
import glob, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = {"O": "Organization", "P": "Person", "M": "AIModel", "D": "Product"}


def parse(path, batch):
    out = []
    cur = None
    for ln, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n").strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("==="):
            style, title, date = [x.strip() for x in line[3:].split("|")]
            n = len(out) + 1
            pid = "c2-%04d" % ((batch - 1) * 100 + n)
            cur = {"id": pid, "style": style, "title": title,
                   "url": "https://news.example.org/train/" + pid, "published": date,
                   "text": None, "entities": [], "relations": [], "negatives": []}
            out.append(cur)
        elif line[:2] in ("E ", "R ", "N "):
            parts = [x.strip() for x in line[2:].split(";")]
            if line[0] == "E":
                cur["entities"].append({"name": parts[0], "type": TYPES[parts[1]],
                                        "aliases": [a for a in parts[2:] if a]})
            else:
                if len(parts) < 4:
                    sys.exit("%s:%d: need 4 fields" % (path, ln))
                s, p, o = parts[0], parts[1], parts[2]
                note = ";".join(parts[3:]).strip()
                flags = ""
                if "/" in p:
                    p, flags = p.split("/", 1)
                r = {"subject": s, "predicate": p, "object": o, "note": note}
                if "h" in flags:
                    r["hedged"] = True
                if "p" in flags:
                    r["past"] = True
                cur["relations" if line[0] == "R" else "negatives"].append(r)
        else:
            if cur["text"] is not None:
                sys.exit("%s:%d: second text line" % (path, ln))
            cur["text"] = line
    for d in out:
        if not d["negatives"]:
            del d["negatives"]
    return out


def main():
    for src in sorted(glob.glob(os.path.join(HERE, "c2_src", "batch-*.txt"))):
        batch = int(re.search(r"batch-(\d+)", src).group(1))
        docs = parse(src, batch)
        dst = os.path.join(HERE, "c2-batch-%02d.jsonl" % batch)
        with open(dst, "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(dst, len(docs))


if __name__ == "__main__":
    main()
