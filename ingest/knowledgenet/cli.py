"""``python -m ingest.knowledgenet``: convert KnowledgeNet folds and print what was kept and left out."""

from __future__ import annotations

import json
from collections import Counter

from ingest.knowledgenet.reader import KnowledgeNetError
from ingest.knowledgenet.records import load_passages, summarize


def main(argv: list[str] | None = None) -> int:
    """``python -m ingest.knowledgenet FILE --folds 1,2 [--out records.jsonl]``: convert and count."""
    import argparse
    import sys

    # prog: the name the usage line showed when this was the module knowledgenet.py
    # (run as a package, argparse would call it "__main__.py")
    ap = argparse.ArgumentParser(
        prog="knowledgenet.py", description="Convert KnowledgeNet folds to gold-format training records."
    )
    ap.add_argument("path", help="KnowledgeNet JSON Lines file")
    ap.add_argument("--folds", default="1,2", help="comma-separated folds (default 1,2)")
    ap.add_argument("--out", help="write the records here as JSON Lines (never into the repository)")
    args = ap.parse_args(argv)
    try:
        folds = {int(x) for x in args.folds.split(",") if x.strip()}
    except ValueError:
        ap.error(f"--folds must be integers separated by commas, got {args.folds!r}")
    counts: Counter = Counter()
    try:
        records = load_passages(args.path, folds, counts=counts)
    except KnowledgeNetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(json.dumps({"folds": summarize(records), "left_out": dict(sorted(counts.items()))}, indent=1))
    return 0
