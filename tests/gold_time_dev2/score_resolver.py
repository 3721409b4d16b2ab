"""Score ``ingest.temporal.resolve_date`` alone on this folder's date words.

Run from the repository root with the project's venv::

    python tests/gold_time_dev2/score_resolver.py          # prints misses and the exact share
    python tests/gold_time_dev2/score_resolver.py --quiet  # the exact share only

Each relation's ``date_text`` is resolved against the file's ``published`` date, looking
forward when the sentence is in the future tense ("will", "plans to", "expects to": what
the extractor's tense flag gives for these sentences), and compared with the annotated
``date`` (null must stay unresolved). The extractor is not involved: this measures the
resolver, ``aikg eval tests/gold_time_dev2`` measures the whole pipeline.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

from ingest.temporal import resolve_date  # noqa: E402

FUTURE = re.compile(r"\b(will|plans to|expects to)\b")


def main() -> int:
    quiet = "--quiet" in sys.argv
    total = exact = 0
    for path in sorted(glob.glob(os.path.join(HERE, "d*.json"))):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        published = dt.date.fromisoformat(doc["published"]) if doc["published"] else None
        prefer = "future" if FUTURE.search(doc["text"]) else "past"
        for rel in doc["relations"]:
            if not rel["date_text"]:
                continue
            got = resolve_date(rel["date_text"], published, prefer=prefer)
            total += 1
            if got.value == rel["date"]:
                exact += 1
            elif not quiet:
                print(
                    f"{doc['id']}: {rel['date_text']!r} @ {doc['published']}: want {rel['date']}, got {got.value} ({got.reason})"
                )
    print(f"exact {exact}/{total} = {exact / total:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
