"""How the shipped extractor does on passages by writers it never learnt from (issue 14).

Usage: python benchmarks/bench_fresh_writers.py [--out benchmarks/results/fresh_writers.json]

``training/corpus_c10`` and ``training/ended_c9`` were written by two new writers and are
not in the default training (training/README.md). Each set is scored like a gold
directory (``ingest.eval.evaluate``), and each gold relation is also asked whether the
extractor found both of its sides (by name or alias): the relations it misses with both
sides found are the relation layer's, the rest are entity recognition's. The ended flag
is scored on the relations found (the corpus marks only those stated as over: the others
count as current). Only the aggregate figures are written.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETS = ("training/corpus_c10", "training/ended_c9")


def _as_gold_dir(src: Path, dst: Path) -> list[dict]:
    passages = []
    for f in sorted(src.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                p = json.loads(line)
                # The corpus marks only relations stated as over; the rest are current, which
                # the scorer must be told to count the ended flag's false alarms too.
                for r in p["relations"]:
                    r.setdefault("past", False)
                (dst / f"{p['id']}.json").write_text(json.dumps(p), encoding="utf-8")
                passages.append(p)
    return passages


def _sides_found(extractor, passages: list[dict]) -> dict:
    from kg.model import Article

    relations = both = entities = found = 0
    for p in passages:
        published = date.fromisoformat(p["published"][:10]) if p.get("published") else None
        got = extractor.extract(Article(text=p["text"], published=published))
        names = {e.name for e in got.entities}
        surfaces = {e["name"]: {e["name"], *e.get("aliases", [])} for e in p["entities"]}

        def seen(name: str, surfaces: dict = surfaces, names: set = names) -> bool:
            return bool(surfaces.get(name, {name}) & names)

        entities += len(p["entities"])
        found += sum(seen(e["name"]) for e in p["entities"])
        for r in p["relations"]:
            relations += 1
            both += seen(r["subject"]) and seen(r["object"])
    return {
        "gold_entities": entities,
        "entities_found": found,
        "gold_relations": relations,
        "relations_with_both_sides_found": both,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/fresh_writers.json"))
    args = ap.parse_args()
    from ingest.eval import evaluate
    from ingest.pipeline import Extractor, build_nlp

    extractor = Extractor(build_nlp())
    results = {}
    for name in SETS:
        with tempfile.TemporaryDirectory() as tmp:
            passages = _as_gold_dir(ROOT / name, Path(tmp))
            report = evaluate(tmp, extractor).to_dict()
        rel = report["relations"]
        results[name] = {
            "passages": len(passages),
            "relations": {k: rel[k] for k in ("precision", "recall", "f1")},
            "per_predicate_f1": {p: v["f1"] for p, v in rel["per_predicate"].items()},
            "entities": {k: report["entities"][k] for k in ("precision", "recall", "f1")},
            "ended": report["time"]["ended"],
            **_sides_found(extractor, passages),
        }
        print(name, json.dumps(results[name]["relations"]))
    Path(args.out).write_text(json.dumps({"date": date.today().isoformat(), "sets": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
