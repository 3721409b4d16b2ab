"""What keeping the time index (kg.timeindex) fresh costs the writer.

``kg.loader.ingest`` of the same synthetic corpus (realistic shape, with endings, dates
and amounts) into a new embedded store, alternately:

- *without* the index: each batch committed alone, nothing built at the end;
- *with* it, as aikg ships: the first batches commit alone (no index yet), the end of the
  run builds it whole; then a second run of new articles into that store keeps it fresh
  batch by batch (the relations of the subjects each batch touches are read again).

Each is timed as CPU seconds of this process (the machine has 2 shared cores, so wall
time moves with the other work on it; it is reported too) and the ratio with/without is
what to read. The second run is the steady state of a store that keeps receiving news.

Usage: python benchmarks/bench_time_index.py [--articles 4000] [--more 2000] [--rounds 2] [--out FILE]
Writes benchmarks/results/time_index_write.json by default.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_store import synthetic_corpus

from kg import loader, timeindex
from kg.store import LocalStore


def _plain_commit(store, inserts, drop_graphs=()):
    store.commit(inserts, drop_graphs)


def run(path: Path, first, more, extract, *, index: bool, batch_size: int) -> dict:
    saved = (timeindex.commit, timeindex.ensure)
    if not index:
        timeindex.commit, timeindex.ensure = _plain_commit, lambda store: False  # type: ignore[assignment]
    try:
        store = LocalStore(path)
        out = {}
        for name, articles in (("first", first), ("more", more)):
            c0, t0 = time.process_time(), time.perf_counter()
            loader.ingest(store, articles, extract, batch_size=batch_size)
            store.flush()
            out[name] = (time.perf_counter() - t0, time.process_time() - c0)
        out["fresh"] = timeindex.is_fresh(store)
        out["quads"] = len(store)
        store.close()
        return out
    finally:
        timeindex.commit, timeindex.ensure = saved  # type: ignore[assignment]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--more", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "time_index_write.json"))
    args = ap.parse_args()
    articles, extractions = synthetic_corpus(
        args.articles + args.more, n_entities=4000, with_time=True, shape="realistic", seed=3
    )
    first, more = articles[: args.articles], articles[args.articles :]

    def extract(batch):
        return (extractions[a.id] for a in batch)

    res: dict[str, list[dict]] = {"without": [], "with": []}
    load = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as d:
        for r in range(args.rounds):
            for kind in ("without", "with"):
                path = Path(d) / f"{kind}{r}"
                res[kind].append(run(path, first, more, extract, index=kind == "with", batch_size=args.batch_size))
                shutil.rmtree(path)
                print(kind, r, res[kind][-1], flush=True)

    def med(kind: str, part: str, i: int) -> float:
        return statistics.median(x[part][i] for x in res[kind])

    summary = {
        part: {
            "cpu_seconds_without": med("without", part, 1),
            "cpu_seconds_with": med("with", part, 1),
            "cpu_ratio_with_over_without": round(med("with", part, 1) / med("without", part, 1), 3),
            "wall_seconds_without": round(med("without", part, 0), 2),
            "wall_seconds_with": round(med("with", part, 0), 2),
        }
        for part in ("first", "more")
    }
    out = {
        "articles_first_run": args.articles,
        "articles_second_run": args.more,
        "batch_size": args.batch_size,
        "rounds": args.rounds,
        "load_average_start": load,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "index_fresh_after": [x["fresh"] for x in res["with"]],
        "quads_without": res["without"][0]["quads"],
        "quads_with": res["with"][0]["quads"],
        "runs": {k: [{p: [round(t, 2) for t in x[p]] for p in ("first", "more")} for x in v] for k, v in res.items()},
        **summary,
    }
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
