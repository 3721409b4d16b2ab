"""The time queries of issue 15 on the benchmark store, against a plain count in the same run.

Builds the read store of bench_store.py (30,000 synthetic articles by default, about
2.4M triples in the union graph) with endings, dates and amounts on the statements
(``synthetic_corpus(..., with_time=True)``), then times each named query as
``kg.queries.run_named`` runs it (parameters bound as data, rows read to the end),
median of ``--repeat`` runs; resolving the entity's name to its IRI happens once before
and is reported apart (bind_ms). A query about one entity is timed for the busiest
entity of its kind, the tenth busiest and the median one (the generator's entity use is
Pareto-skewed: the busiest person is the subject of most of the works-for and leads
statements), with the entity's statement count; then once for every entity of its kind
(a sweep: how many answer under 100 ms, the median and the slowest). Each time is
reported in ms and as a multiple of a baseline run in the same process: a plain
triple-pattern count (the statements of one predicate). Issue 15 asks for each of the
four new queries under 100 ms on this store; the two as-of views are reported alongside.

Usage: python benchmarks/bench_time_queries.py [--articles 30000] [--repeat 20] [--store DIR] [--index]
Writes benchmarks/results/time_queries.json (with the load average before and after, as
the machine is shared). ``--before tests/kg/queries_before`` also times the former text of
each rewritten query, run alternately with the shipped one. With ``--store DIR`` the store
is built in DIR the first time and reused by later runs (building it takes minutes);
without, it is built in a temporary folder and removed. ``--index`` builds the time index
(kg.timeindex, timed) and times the text ``run_named`` then runs, the indexed one,
alternately with the text that reads the statements (same row counts asserted); the
sweeps run the indexed texts (results/time_queries_indexed.json).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from bench_store import SHAPES, RealisticShape, synthetic_corpus

from kg import timeindex
from kg.mapping import extraction_quads
from kg.queries import bind_param, get_query, parse_query, query_text
from kg.store import LocalStore

PREFIXES = (
    "PREFIX aikg: <https://w3id.org/aikg/ontology#> "
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)
BASELINE = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?st rdf:predicate aikg:investsIn }"
TARGET_MS = 100.0
DAY = "2022-06-30"


def build(path: Path, n_articles: int, shape: str = "realistic") -> LocalStore:
    """Bulk-load the mapped quads of the synthetic corpus (the layout kg writes); open it through kg."""
    articles, extractions = synthetic_corpus(
        n_articles, n_entities=20000, rels_per_article=5, seed=11, with_time=True, shape=shape
    )
    quads = []
    for a in articles:
        qs = extraction_quads(extractions[a.id])
        quads.extend(qs)
        quads.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in qs)
    buf = io.BytesIO()
    ox.serialize(quads, buf, format=ox.RdfFormat.N_QUADS)
    del quads
    raw = ox.Store(str(path))
    raw.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
    raw.flush()
    del raw
    return LocalStore(path)


def _count(store: LocalStore, text: str) -> int:
    return int(next(iter(store.query(PREFIXES + text)))["n"].value)


RANKS = (("busiest", lambda n: 0), ("10th busiest", lambda n: 9), ("median", lambda n: n // 2))


def pick(store: LocalStore, side: str, predicates: str) -> list[tuple[str, str, int]]:
    """Return (rank name, label, statements) for entities on one side of some predicates, by RANKS."""
    text = (
        PREFIXES + f"SELECT ?label (COUNT(?st) AS ?n) WHERE {{ VALUES ?p {{ {predicates} }} "
        f"?st rdf:predicate ?p ; rdf:{side} ?e . ?e rdfs:label ?label }} GROUP BY ?label ORDER BY DESC(?n) ?label"
    )
    ranked = [(r["label"].value, int(r["n"].value)) for r in store.query(text)]
    return [(name, *ranked[at(len(ranked))]) for name, at in RANKS]


def entities(store: LocalStore, side: str, predicates: str) -> list[ox.NamedNode]:
    """Return every entity on one side of some predicates."""
    text = (
        PREFIXES + f"SELECT DISTINCT ?e WHERE {{ VALUES ?p {{ {predicates} }} ?st rdf:predicate ?p ; rdf:{side} ?e }}"
    )
    return sorted((r["e"] for r in store.query(text)), key=lambda e: e.value)


def sweep(store: LocalStore, name: str, nodes: list[ox.NamedNode], extra: dict) -> dict:
    """Run a query once for each entity; return how many answered under the target and the spread."""
    text = query_text(store, name)  # what run_named runs: the indexed text while the index is fresh
    fixed = {p: bind_param(store, p, v) for p, v in extra.items()}
    times = []
    for node in nodes:
        t0 = time.perf_counter()
        for _ in store.query(text, substitutions={"entity": node, **fixed}):
            pass
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    return {
        "query": name,
        "indexed": text != get_query(name).text,
        "entities": len(times),
        "under_target": sum(t < TARGET_MS for t in times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[int(0.99 * (len(times) - 1))], 2),
        "max_ms": round(times[-1], 2),
    }


def p50_ms(fn, repeat: int) -> tuple[float, int]:
    """Return (median ms, rows of the last run); one untimed warm-up run first."""
    fn()
    times, rows = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - t0)
    return round(1000 * statistics.median(times), 2), rows


def p50_ms_pair(fn, other, repeat: int) -> tuple[tuple[float, int], tuple[float, int]]:
    """Return :func:`p50_ms` of two functions run alternately, so both see the same load."""
    fn(), other()
    times: tuple[list, list] = ([], [])
    rows = [0, 0]
    for _ in range(repeat):
        for i, f in enumerate((fn, other)):
            t0 = time.perf_counter()
            rows[i] = f()
            times[i].append(time.perf_counter() - t0)
    return tuple((round(1000 * statistics.median(t), 2), n) for t, n in zip(times, rows))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=30000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--store", help="build the store here once and reuse it in later runs")
    ap.add_argument("--before", help="a folder of former query texts (NAME.rq) to time alongside, alternately")
    ap.add_argument(
        "--shape",
        choices=SHAPES,
        default="realistic",
        help="how the generator spreads relations over entities (bench_store.synthetic_corpus)",
    )
    ap.add_argument(
        "--index",
        action="store_true",
        help="build the time index (kg.timeindex) first and time the text run_named runs then (the indexed one), "
        "alternately with the text that reads the statements",
    )
    ap.add_argument(
        "--out",
        help="default: results/time_queries_realistic.json (time_queries_indexed.json with --index), "
        "or time_queries.json for pareto",
    )
    args = ap.parse_args()
    if args.out is None:
        results = Path(__file__).with_name("results")
        name = "time_queries.json" if args.shape == "pareto" else "time_queries_realistic.json"
        args.out = str(results / ("time_queries_indexed.json" if args.index else name))
    mark = str(args.articles) if args.shape == "pareto" else f"{args.articles} {args.shape}"
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        path = Path(args.store) if args.store else Path(d) / "s"
        done = path / "BENCH_STORE_COMPLETE"
        if done.exists() and done.read_text().strip() == mark:
            store, built = LocalStore(path), float(json.loads((path / "BENCH_STORE_BUILD").read_text()))
        else:
            store = build(path, args.articles, args.shape)
            built = time.perf_counter() - t0
            (path / "BENCH_STORE_BUILD").write_text(str(built))
            done.write_text(mark)
        info = {
            "shape": args.shape,
            "articles": args.articles,
            "quads": len(store),
            "build_seconds": round(built, 1),
            "triples_union_graph": _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
            "statements": _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?st a aikg:RelationStatement }"),
            "ended_statements": _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?st aikg:ended true }"),
            "statements_with_amount": _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?st aikg:amountValue ?v }"),
        }
        if args.index:
            t0 = time.perf_counter()
            info["index_quads"] = timeindex.build(store)
            info["index_build_seconds"] = round(time.perf_counter() - t0, 1)
            print(f"time index: {info['index_quads']} quads in {info['index_build_seconds']} s", flush=True)
        if args.shape == "realistic":
            info["shape_parameters"] = {
                k: [str(x) if isinstance(x, date) else x for x in v] if isinstance(v, tuple) else v
                for k, v in vars(RealisticShape).items()
                if k.isupper()
            }
        people = pick(store, "subject", "aikg:worksFor aikg:leads")
        orgs = pick(store, "object", "aikg:worksFor aikg:leads")
        led = pick(store, "object", "aikg:leads")
        investors = pick(store, "subject", "aikg:investsIn")
        cases = []
        for name, kinds, extra in (
            ("current-employer-of", people, {}),
            ("people-who-left", orgs, {}),
            ("who-led-on", led, {"date": DAY}),
            ("investments-as-of", investors, {"date": DAY}),
        ):
            cases += [(name, f"{rank} ({n} statements)", {"entity": label, **extra}) for rank, label, n in kinds]
        cases += [
            ("investment-totals", "all currencies", {}),
            ("investment-totals", "one currency", {"currency": "EUR"}),
            ("as-of", "whole graph", {"date": DAY}),
        ]

        baseline_ms, baseline_n = p50_ms(lambda: _count(store, BASELINE[len(PREFIXES) :]), args.repeat)
        results = []
        for name, kind, params in cases:
            q = get_query(name)
            t0 = time.perf_counter()
            bound = {p: bind_param(store, p, v) for p, v in {**q.defaults, **params}.items()}
            bind_ms = round(1000 * (time.perf_counter() - t0), 2)
            repeat = args.repeat if name != "as-of" else max(3, args.repeat // 5)
            former = Path(args.before) / f"{name}.rq" if args.before else None
            text = query_text(store, name)
            if text != q.text:
                # the indexed text, timed alternately with the one reading the statements
                (ms, rows), (plain_ms, plain_rows) = p50_ms_pair(
                    lambda: sum(1 for _ in store.query(text, substitutions=bound)),
                    lambda: sum(1 for _ in store.query(q.text, substitutions=bound)),
                    repeat,
                )
                assert rows == plain_rows, (name, kind, rows, plain_rows)
                before = {"statements_p50_ms": plain_ms, "statements_x_baseline": round(plain_ms / baseline_ms, 1)}
            elif former is not None and former.exists():
                old = parse_query(name, former.read_text(encoding="utf-8"))
                (ms, rows), (before_ms, before_rows) = p50_ms_pair(
                    lambda: sum(1 for _ in store.query(q.text, substitutions=bound)),
                    lambda: sum(1 for _ in store.query(old.text, substitutions=bound)),
                    repeat,
                )
                assert rows == before_rows, (name, kind, rows, before_rows)
                before = {"before_p50_ms": before_ms, "before_x_baseline": round(before_ms / baseline_ms, 1)}
            else:
                ms, rows = p50_ms(lambda: sum(1 for _ in store.query(q.text, substitutions=bound)), repeat)
                before = {}
            new = name not in ("as-of", "investments-as-of")
            results.append(
                {
                    "query": name,
                    "case": kind,
                    "params": params,
                    "rows": rows,
                    "p50_ms": ms,
                    "x_baseline": round(ms / baseline_ms, 1),
                    "bind_ms": bind_ms,
                    **({"under_target": ms < TARGET_MS} if new else {}),
                    **before,
                }
            )
            flag = ("ok" if ms < TARGET_MS else "OVER") if new else "  "
            was = (
                f"  (reading the statements {before['statements_p50_ms']:.2f} ms)"
                if "statements_p50_ms" in before
                else f"  (former text {before['before_p50_ms']:.2f} ms)"
                if before
                else ""
            )
            print(
                f"{name:20} {kind:30} {rows:6} rows {ms:9.2f} ms  {ms / baseline_ms:7.1f}x baseline  {flag}{was}",
                flush=True,
            )
        sweeps = []
        for name, side, predicates, extra in (
            ("current-employer-of", "subject", "aikg:worksFor aikg:leads", {}),
            ("people-who-left", "object", "aikg:worksFor aikg:leads", {}),
            ("who-led-on", "object", "aikg:leads", {"date": DAY}),
            ("investments-as-of", "subject", "aikg:investsIn", {"date": DAY}),
        ):
            sw = sweep(store, name, entities(store, side, predicates), extra)
            sweeps.append(sw)
            print(
                f"sweep {name:20} {sw['under_target']}/{sw['entities']} entities under {TARGET_MS:.0f} ms, "
                f"p50 {sw['p50_ms']} ms, p99 {sw['p99_ms']} ms, slowest {sw['max_ms']} ms",
                flush=True,
            )
        store.close()
    print(f"baseline: {baseline_ms} ms ({baseline_n} investsIn statements counted)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "pyoxigraph": ox.__version__,
                    "load_average_1_5_15min": {"start": load_before, "end": [round(x, 2) for x in os.getloadavg()]},
                },
                "store": info,
                "target_ms": TARGET_MS,
                "day": DAY,
                "baseline": {"query": BASELINE, "p50_ms": baseline_ms, "count": baseline_n},
                "queries": results,
                "sweeps": sweeps,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
