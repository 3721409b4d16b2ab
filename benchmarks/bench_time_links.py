"""Stored links from an entity to its statements, by predicate: what they would gain and cost.

Issue 15 asks for every named time query under 100 ms on the benchmark store of
bench_time_queries.py; docs/TIME.md says why the busiest entities are over. One idea left
was to store, at write time, a direct link per statement from its subject and from its
object, one property per predicate (``<investor> aikg:investsInStatement <statement>``,
``<company> aikg:investsInStatementOn <statement>``), in the article's own named graph (so
a deleted article takes its links with it). A query then finds an investor's investsIn
statements by one index prefix (subject, property) instead of reading every statement the
investor is the subject of and looking up the predicate of each.

This is an experiment: nothing here is shipped. It measures, on a copy of the realistic
benchmark store with the links added (``--links-store``, made from ``--store`` the first
time):

- the busiest, tenth busiest and median entity of current-employer-of, people-who-left and
  investments-as-of: the shipped text against ``time_links/NAME.rq`` (the same text reading
  the links), alternately, each also as a multiple of bench_time_queries.py's baseline;
- a sweep over every entity of each kind: both texts once each, their rows compared
  (every column, in order; the run stops on the first difference), with how many answer
  under 100 ms;
- the write cost: ``kg.loader.ingest`` of a synthetic corpus with and without the links
  added to each article's quads, alternately, wall and CPU seconds.

Usage: python benchmarks/bench_time_links.py --store DIR --links-store DIR2 [--repeat 7]
    [--write-articles 5000] [--out FILE]
Writes benchmarks/results/time_links_realistic.json by default.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from bench_store import synthetic_corpus
from bench_time_queries import BASELINE, DAY, PREFIXES, TARGET_MS, _count, entities, p50_ms, pick

from kg import loader
from kg.mapping import extraction_quads
from kg.queries import bind_param, get_query, parse_query
from kg.store import LocalStore

HERE = Path(__file__).parent / "time_links"
AIKG = "https://w3id.org/aikg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SUBJ, _PRED, _OBJ = (ox.NamedNode(RDF + n) for n in ("subject", "predicate", "object"))
CASES = (
    ("current-employer-of", "subject", "aikg:worksFor aikg:leads", {}),
    ("people-who-left", "object", "aikg:worksFor aikg:leads", {}),
    ("investments-as-of", "subject", "aikg:investsIn", {"date": DAY}),
)


def _links(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode, st: ox.NamedNode, g) -> list[ox.Quad]:
    name = p.value.rsplit("#", 1)[1]
    return [
        ox.Quad(s, ox.NamedNode(f"{AIKG}{name}Statement"), st, g),
        ox.Quad(o, ox.NamedNode(f"{AIKG}{name}StatementOn"), st, g),
    ]


def link_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Return the links of the statements among some quads, each in its statement's graph."""
    spo: dict[tuple, list] = {}
    slot = {_SUBJ: 0, _PRED: 1, _OBJ: 2}
    for q in quads:
        i = slot.get(q.predicate)
        if i is not None:
            spo.setdefault((q.subject, q.graph_name), [None, None, None])[i] = q.object
    out = []
    for (st, g), (s, p, o) in spo.items():
        if s is not None and p is not None and o is not None:
            out += _links(s, p, o, st, g)
    return out


def add_links(path: Path) -> int:
    """Add the links of every statement of a store, in each named graph and the union graph."""
    raw = ox.Store(str(path))
    text = f"SELECT ?g ?st ?s ?p ?o WHERE {{ GRAPH ?g {{ ?st <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o }} }}"
    quads = []
    for r in raw.query(text):
        for g in (r["g"], ox.DefaultGraph()):
            quads += _links(r["s"], r["p"], r["o"], r["st"], g)
    buf = io.BytesIO()
    ox.serialize(quads, buf, format=ox.RdfFormat.N_QUADS)
    raw.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
    raw.flush()
    del raw
    return len(quads)


def _rows(store: LocalStore, text: str, bound: dict) -> list[tuple[str, ...]]:
    return [tuple("" if t is None else str(t) for t in r) for r in store.query(text, substitutions=bound)]


def busiest(store: LocalStore, repeat: int) -> list[dict]:
    """Shipped text against the linked one for the busiest, 10th busiest and median entity."""
    out = []
    for name, side, predicates, extra in CASES:
        shipped, linked = get_query(name), parse_query(name, (HERE / f"{name}.rq").read_text(encoding="utf-8"))
        for rank, label, n in pick(store, side, predicates):
            bound = {p: bind_param(store, p, v) for p, v in {**shipped.defaults, "entity": label, **extra}.items()}
            assert _rows(store, shipped.text, bound) == _rows(store, linked.text, bound), (name, rank)
            fns = (
                lambda: _count(store, BASELINE[len(PREFIXES) :]),
                lambda: sum(1 for _ in store.query(shipped.text, substitutions=bound)),
                lambda: sum(1 for _ in store.query(linked.text, substitutions=bound)),
            )
            for f in fns:
                f()
            times: list[list[float]] = [[], [], []]
            rows = 0
            for _ in range(repeat):
                for i, f in enumerate(fns):
                    t0 = time.perf_counter()
                    got = f()
                    times[i].append(1000 * (time.perf_counter() - t0))
                    if i:
                        rows = got
            base, before, after = (round(statistics.median(t), 2) for t in times)
            out.append(
                {
                    "query": name,
                    "entity": f"{rank} ({n} statements)",
                    "rows": rows,
                    "baseline_ms": base,
                    "shipped_ms": before,
                    "links_ms": after,
                    "shipped_x_baseline": round(before / base, 1),
                    "links_x_baseline": round(after / base, 1),
                    "speedup": round(before / after, 2),
                }
            )
            print(json.dumps(out[-1]), flush=True)
    return out


def _spread(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "under_target": sum(t < TARGET_MS for t in times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[int(0.99 * (len(times) - 1))], 2),
        "max_ms": round(times[-1], 2),
    }


def sweeps(store: LocalStore) -> list[dict]:
    """Every entity once with each text; the rows must be the same."""
    out = []
    for name, side, predicates, extra in CASES:
        shipped, linked = get_query(name), parse_query(name, (HERE / f"{name}.rq").read_text(encoding="utf-8"))
        fixed = {p: bind_param(store, p, v) for p, v in {**shipped.defaults, **extra}.items()}
        t_shipped, t_links, rows = [], [], 0
        for node in entities(store, side, predicates):
            bound = {**fixed, "entity": node}
            t0 = time.perf_counter()
            a = _rows(store, shipped.text, bound)
            t1 = time.perf_counter()
            b = _rows(store, linked.text, bound)
            t2 = time.perf_counter()
            assert a == b, (name, node, len(a), len(b))
            rows += len(a)
            t_shipped.append(1000 * (t1 - t0))
            t_links.append(1000 * (t2 - t1))
        out.append(
            {
                "query": name,
                "entities": len(t_shipped),
                "rows_all_entities": rows,
                "same_rows": True,
                "shipped": _spread(t_shipped),
                "links": _spread(t_links),
            }
        )
        print(json.dumps(out[-1]), flush=True)
    return out


def write_cost(n_articles: int, batch_size: int, rounds: int) -> dict:
    """kg.loader.ingest of the same synthetic corpus without and with links, alternately."""
    articles, extractions = synthetic_corpus(n_articles, with_time=True, shape="realistic")

    def extract(batch):
        return (extractions[a.id] for a in batch)

    def with_links(ex, **kw):
        qs = extraction_quads(ex, **kw)
        return qs + link_quads(qs)

    saved = loader.extraction_quads
    res: dict[str, list[tuple[float, float, int]]] = {"without": [], "with": []}
    with tempfile.TemporaryDirectory() as d:
        for r in range(rounds):
            for kind in ("without", "with"):
                loader.extraction_quads = with_links if kind == "with" else saved  # type: ignore[assignment]
                try:
                    store = LocalStore(Path(d) / f"{kind}{r}")
                    c0, t0 = time.process_time(), time.perf_counter()
                    loader.ingest(store, articles, extract, batch_size=batch_size)
                    store.flush()
                    res[kind].append((time.perf_counter() - t0, time.process_time() - c0, len(store)))
                    store.close()
                finally:
                    loader.extraction_quads = saved  # type: ignore[assignment]
                shutil.rmtree(Path(d) / f"{kind}{r}")
    wall = {k: statistics.median(x[0] for x in v) for k, v in res.items()}
    cpu = {k: statistics.median(x[1] for x in v) for k, v in res.items()}
    return {
        "articles": n_articles,
        "batch_size": batch_size,
        "rounds": rounds,
        "quads_without": res["without"][0][2],
        "quads_with": res["with"][0][2],
        "seconds_without": [round(x[0], 2) for x in res["without"]],
        "seconds_with": [round(x[0], 2) for x in res["with"]],
        "cpu_seconds_without": [round(x[1], 2) for x in res["without"]],
        "cpu_seconds_with": [round(x[1], 2) for x in res["with"]],
        "wall_ratio_with_over_without": round(wall["with"] / wall["without"], 3),
        "cpu_ratio_with_over_without": round(cpu["with"] / cpu["without"], 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="the realistic benchmark store (bench_time_queries.py --store)")
    ap.add_argument("--links-store", required=True, help="its copy with the links; made the first time")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--write-articles", type=int, default=5000)
    ap.add_argument("--write-rounds", type=int, default=2)
    ap.add_argument("--skip", nargs="*", default=[], choices=["busiest", "sweeps", "write"])
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "time_links_realistic.json"))
    args = ap.parse_args()
    src, dst = Path(args.store), Path(args.links_store)
    if (src / "BENCH_STORE_COMPLETE").read_text().strip() != "30000 realistic":
        raise SystemExit(f"{src} is not the realistic 30,000-article store of bench_time_queries.py")
    info: dict = {"load_average_before": [round(x, 2) for x in os.getloadavg()]}
    if not (dst / "LINKS_COMPLETE").exists():
        shutil.copytree(src, dst, dirs_exist_ok=False)
        t0 = time.perf_counter()
        n = add_links(dst)
        (dst / "LINKS_COMPLETE").write_text(json.dumps({"link_quads": n, "seconds": time.perf_counter() - t0}))
    info["links"] = json.loads((dst / "LINKS_COMPLETE").read_text())
    store = LocalStore(dst, read_only=True)
    info["quads"] = len(store)
    if "busiest" not in args.skip:
        info["busiest"] = busiest(store, args.repeat)
    if "sweeps" not in args.skip:
        info["sweeps"] = sweeps(store)
    store.close()
    if "write" not in args.skip:
        info["write"] = write_cost(args.write_articles, 32, args.write_rounds)
        print(json.dumps(info["write"]), flush=True)
    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    Path(args.out).write_text(json.dumps(info, indent=2) + "\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
