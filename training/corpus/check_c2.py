"""Validate the c2 training passages (and id uniqueness across all corpus files).

Usage: python training/corpus/check_c2.py [files...]   (default: training/corpus/c2-*.jsonl)
Prints problems and a summary; exit status 1 on any error.
"""
import collections, glob, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
O, P, M, D = "Organization", "Person", "AIModel", "Product"
DOMAIN = {
    "partnersWith": ({O}, {O}), "investsIn": ({O, P}, {O}), "acquires": ({O}, {O, D}),
    "competesWith": ({O}, {O}), "subsidiaryOf": ({O}, {O}), "suppliesTo": ({O}, {O}),
    "disputesWith": ({O, P}, {O, P}), "sues": ({O, P}, {O, P}),
    "develops": ({O, P}, {M, D}), "uses": ({O, D}, {M, D}), "leads": ({P}, {O}),
    "founded": ({P, O}, {O}), "worksFor": ({P}, {O}),
}
SYM = {"partnersWith", "competesWith", "disputesWith"}
STYLES = {"wire", "analysis", "press-release", "blog", "feature", "brief", "long-form", "explainer"}
FIELDS = {"id", "style", "title", "url", "published", "text", "entities", "relations", "negatives"}
REQ = FIELDS - {"negatives"}


def main(argv):
    files = argv or sorted(glob.glob(os.path.join(HERE, "c2-*.jsonl")))
    errors, warns = [], []
    seen = {}
    for f in sorted(glob.glob(os.path.join(HERE, "*.jsonl"))):
        if f in files or os.path.abspath(f) in [os.path.abspath(x) for x in files]:
            continue
        for line in open(f, encoding="utf-8"):
            try:
                seen[json.loads(line)["id"]] = f
            except Exception:
                pass
    stats = collections.Counter()
    preds = collections.Counter()
    entnames = collections.Counter()
    for f in files:
        for ln, line in enumerate(open(f, encoding="utf-8"), 1):
            where = "%s:%d" % (os.path.basename(f), ln)
            try:
                d = json.loads(line)
            except Exception as e:
                errors.append("%s: bad JSON %s" % (where, e)); continue
            pid = d.get("id", "?")
            where += " " + pid
            keys = set(d)
            if not REQ <= keys or not keys <= FIELDS:
                errors.append("%s: fields %s" % (where, sorted(keys ^ FIELDS)))
                continue
            if pid in seen:
                errors.append("%s: duplicate id (also %s)" % (where, seen[pid]))
            seen[pid] = f
            if d["url"] != "https://news.example.org/train/" + pid:
                errors.append("%s: url" % where)
            if not re.fullmatch(r"\d{4}-\d\d-\d\d", d["published"]):
                errors.append("%s: date" % where)
            if d["style"] not in STYLES:
                errors.append("%s: style %s" % (where, d["style"]))
            text = d["text"]
            nw = len(text.split())
            if not 20 <= nw <= 110:
                errors.append("%s: %d words" % (where, nw))
            nsent = len(re.findall(r"[.!?][\"”']?(?:\s|$)", text))
            if nsent > 5:
                warns.append("%s: %d sentences?" % (where, nsent))
            types = {}
            for e in d["entities"]:
                if set(e) != {"name", "type", "aliases"}:
                    errors.append("%s: entity fields %s" % (where, e))
                if e["type"] not in (O, P, M, D):
                    errors.append("%s: type %s" % (where, e["type"]))
                if e["name"] in types:
                    errors.append("%s: entity twice %s" % (where, e["name"]))
                types[e["name"]] = e["type"]
                forms = [a for a in e["aliases"]]
                for a in forms:
                    if a not in text:
                        errors.append("%s: alias not in text: %r" % (where, a))
                if e["name"] not in text and not any(a in text for a in forms):
                    errors.append("%s: entity not in text: %r" % (where, e["name"]))
                if len(set(forms)) != len(forms) or e["name"] in forms:
                    errors.append("%s: duplicate alias %s" % (where, e["name"]))
                stats["ent_" + e["type"]] += 1
                entnames[e["name"]] += 1
            triples = set()
            used = set()
            for kind in ("relations", "negatives"):
                for r in d.get(kind, []):
                    extra = set(r) - {"subject", "predicate", "object", "note", "hedged", "past"}
                    if extra or not r.get("note"):
                        errors.append("%s: relation fields/note %s" % (where, r))
                    s, p, o = r["subject"], r["predicate"], r["object"]
                    if p not in DOMAIN:
                        errors.append("%s: predicate %s" % (where, p)); continue
                    if s not in types or o not in types:
                        errors.append("%s: unknown end %s %s %s" % (where, s, p, o)); continue
                    if s == o:
                        errors.append("%s: self relation %s" % (where, r))
                    dom, rng = DOMAIN[p]
                    if types[s] not in dom or types[o] not in rng:
                        errors.append("%s: domain/range %s(%s) %s %s(%s)" % (where, s, types[s], p, o, types[o]))
                    key = (s, p, o)
                    if p in SYM:
                        key = (min(s, o), p, max(s, o))
                    if key in triples:
                        errors.append("%s: duplicate/symmetric twice %s" % (where, key))
                    triples.add(key)
                    if kind == "relations":
                        used |= {s, o}
                        preds[p] += 1
                        stats["hedged"] += bool(r.get("hedged"))
                        stats["past"] += bool(r.get("past"))
                        for flag in ("hedged", "past"):
                            if flag in r and r[flag] is not True:
                                errors.append("%s: flag %s not true" % (where, flag))
                    else:
                        stats["negatives"] += 1
                        for flag in ("hedged", "past"):
                            if flag in r:
                                warns.append("%s: flag on negative" % where)
            # leads and worksFor on the same (current) pair
            cur = {(r["subject"], r["predicate"], r["object"]) for r in d["relations"]}
            for (s, p, o) in cur:
                if p == "leads" and (s, "worksFor", o) in cur:
                    warns.append("%s: leads and worksFor %s -> %s" % (where, s, o))
            if "negatives" in d and not d["negatives"]:
                errors.append("%s: empty negatives" % where)
            stats["passages"] += 1
            stats["with_neg"] += bool(d.get("negatives"))
            stats["no_rel"] += not d["relations"]
            stats["relations"] += len(d["relations"])
            for e in d["entities"]:
                if e["name"] not in used and e["type"] == P:
                    warns.append("%s: person without relation: %s" % (where, e["name"]))
    for w in warns:
        print("WARN", w)
    for e in errors:
        print("ERROR", e)
    print(dict(stats))
    print(dict(preds.most_common()))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
