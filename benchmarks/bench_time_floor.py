"""How far below its time the busiest entity's time query can go: the shipped text against floors.

Issue 15 asks for every named time query under 100 ms on the benchmark store of
bench_time_queries.py, the busiest entity too. This measures, on that store (reused
from ``--store``, built by bench_time_queries.py), for the busiest, tenth busiest and
median entity, alternately with the baseline count of bench_time_queries.py so every
time is also a multiple of it:

- the shipped ``current-employer-of`` / ``investments-as-of`` (substitutions, as run_named);
- ``time_floor/current-employer-of-two-passes.rq`` (same rows, checked here): the
  person's statements read twice, the latest ending per relation joined by hash, with the
  person pasted into each subquery; the shipped text has done the same since issue 15's
  realistic store, binding the person through ``kg.store.bind_values``;
- two floors no answer can go under: the entity's asserted triples with one label each
  (the rows of the answer, nothing about time), and its statements with one property
  looked up each (what any query over its statements pays before dates and endings).

Usage: python benchmarks/bench_time_floor.py --store DIR [--repeat 5] [--out FILE]
Writes benchmarks/results/time_floor.json (the pareto store; time_floor_realistic.json
holds a run on the realistic one).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import pyoxigraph as ox
from bench_time_queries import BASELINE, DAY, TARGET_MS, pick

from kg.queries import bind_param, get_query, parse_query
from kg.store import LocalStore, term_sparql

HERE = Path(__file__).parent / "time_floor"


def _rows(r: object) -> list[tuple[str | None, ...]]:
    return [tuple(None if x is None else str(x) for x in row) for row in r]  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "time_floor.json"))
    args = ap.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    if not (Path(args.store) / "BENCH_STORE_COMPLETE").exists():
        raise SystemExit(
            f"no benchmark store in {args.store}: build it with bench_time_queries.py --store {args.store}"
        )
    store = LocalStore(Path(args.store))
    people = pick(store, "subject", "aikg:worksFor aikg:leads")
    investors = pick(store, "subject", "aikg:investsIn")
    plans = (
        (
            "current-employer-of",
            people,
            {},
            ["current-employer-of-two-passes", "floor-pairs-labels", "floor-one-lookup"],
        ),
        ("investments-as-of", investors, {"date": DAY}, ["floor-invest-pairs-labels", "floor-one-lookup"]),
    )
    results = []
    for name, ranks, extra, variants in plans:
        shipped = get_query(name)
        others = {v: parse_query(v, (HERE / f"{v}.rq").read_text(encoding="utf-8")) for v in variants}
        for rank, label, n in ranks:
            bound = {p: bind_param(store, p, v) for p, v in {**shipped.defaults, **extra, "entity": label}.items()}
            entity = term_sparql(bound["entity"])
            runs = {
                name: lambda: _rows(store.query(shipped.text, substitutions=bound)),
                "baseline": lambda: _rows(store.query(BASELINE)),
            }
            for v, q in others.items():
                text = q.text.replace("#ENTITY#", f"VALUES ?entity {{ {entity} }}")
                runs[v] = lambda text=text: _rows(store.query(text, substitutions={"entity": bound["entity"]}))
            first = {k: f() for k, f in runs.items()}  # one untimed warm-up each
            times: dict[str, list[float]] = {k: [] for k in runs}
            repeat = max(2, args.repeat // 2) if n > 1000 else args.repeat
            for _ in range(repeat):
                for k, f in runs.items():
                    t0 = time.perf_counter()
                    f()
                    times[k].append(1000 * (time.perf_counter() - t0))
            base = statistics.median(times["baseline"])
            for k in runs:
                if k == "baseline":
                    continue
                ms = statistics.median(times[k])
                same = first[k] == first[name] if k != name and k.startswith(name) else None
                results.append(
                    {
                        "query": name,
                        "case": f"{rank} ({n} statements)",
                        "text": k if k == name else f"time_floor/{k}.rq",
                        "rows": len(first[k]),
                        "p50_ms": round(ms, 2),
                        "baseline_ms": round(base, 2),
                        "x_baseline": round(ms / base, 1),
                        **({"same_rows_as_shipped": same} if same is not None else {}),
                    }
                )
                print(f"{name:20} {rank:13} {k:32} {len(first[k]):6} rows {ms:9.1f} ms {ms / base:7.1f}x", flush=True)
    store.close()
    out = Path(args.out)
    out.write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "pyoxigraph": ox.__version__,
                    "load_average_1_5_15min": {"start": load_before, "end": [round(x, 2) for x in os.getloadavg()]},
                },
                "target_ms": TARGET_MS,
                "baseline": BASELINE,
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
