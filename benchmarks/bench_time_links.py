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
  added to each article's quads, alternately, wall and CPU seconds; and bench_ingest.py
  (end to end, spaCy included) twice each way, alternately;
- (b) a state derived per works-for / leads relation for current-employer-of (``derived``):
  built from the whole linked store, added to it, and ``time_links/current-employer-of-derived.rq``
  timed and checked against the shipped text in the same way.

Usage: python benchmarks/bench_time_links.py --store DIR --links-store DIR2 [--repeat 7]
    [--write-articles 5000] [--write-rounds 2] [--skip busiest sweeps write derived ingest] [--out FILE]
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
from bench_time_queries import BASELINE, DAY, PREFIXES, TARGET_MS, _count, entities, pick

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


_DERIVED_READ = """PREFIX aikg: <https://w3id.org/aikg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?st ?s ?p ?o ?ended ?end ?stated ?published ?start ?article WHERE {
  VALUES ?p { aikg:worksFor aikg:leads }
  ?st rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o .
  OPTIONAL { ?st aikg:ended ?ended }
  OPTIONAL { ?st aikg:endDate ?end }
  OPTIONAL { ?st aikg:statedDate ?stated }
  OPTIONAL { ?st dcterms:date ?published }
  OPTIONAL { ?st aikg:startDate ?start }
  OPTIONAL { ?st prov:wasDerivedFrom ?article }
}"""


def derived_state(store: LocalStore) -> list[ox.Quad]:
    """The current-employer-of state of every worksFor / leads relation, by the rule of the shipped text.

    Per relation (subject, predicate, object): the latest ending's claim day; the open
    claims later than it (any dated one when the ending is undated, all of them when there
    is none); when some are left, since (their earliest claim day, "" when all are undated)
    and sources (their distinct articles). One node per relation, linked from its subject.
    """
    import hashlib

    v = lambda r, k: "" if r[k] is None else r[k].value  # noqa: E731
    by_key: dict[tuple, dict] = {}
    for r in store.query(_DERIVED_READ):
        k = (r["s"], r["p"], r["o"])
        e = by_key.setdefault(k, {"last_end": "", "open": []})
        if r["ended"] is not None and r["ended"].value == "true":
            e["last_end"] = max(e["last_end"], "#" + (v(r, "end") or v(r, "stated") or v(r, "published")))
        elif r["article"] is not None:
            e["open"].append((v(r, "start") or v(r, "stated") or v(r, "published"), r["article"]))
    out = []
    dg = ox.DefaultGraph()
    for (s, p, o), e in by_key.items():
        after = e["last_end"][1:]
        kept = [(day, a) for day, a in e["open"] if e["last_end"] == "" or day > after]
        node = ox.NamedNode("https://w3id.org/aikg/relation/" + hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest())
        name = p.value.rsplit("#", 1)[1]
        out += [
            ox.Quad(s, ox.NamedNode(f"{AIKG}{name}Relation"), node, dg),
            ox.Quad(node, ox.NamedNode(AIKG + "relationObject"), o, dg),
        ]
        if kept:
            since = min(day or "~" for day, _ in kept).replace("~", "")
            n = len({a for _, a in kept})
            out += [
                ox.Quad(node, ox.NamedNode(AIKG + "openSince"), ox.Literal(since), dg),
                ox.Quad(
                    node,
                    ox.NamedNode(AIKG + "openSources"),
                    ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                    dg,
                ),
            ]
    return out


def derived(path: Path, repeat: int) -> dict:
    """Add the derived state to the linked store; time and check current-employer-of from it."""
    mark = path / "DERIVED_COMPLETE"
    if not mark.exists():
        store = LocalStore(path)
        t0 = time.perf_counter()
        quads = derived_state(store)
        store.close()
        raw = ox.Store(str(path))
        buf = io.BytesIO()
        ox.serialize(quads, buf, format=ox.RdfFormat.N_QUADS)
        raw.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
        raw.flush()
        del raw
        mark.write_text(json.dumps({"derived_quads": len(quads), "seconds": time.perf_counter() - t0}))
    store = LocalStore(path, read_only=True)
    name = "current-employer-of"
    shipped = get_query(name)
    state = parse_query(name, (HERE / f"{name}-derived.rq").read_text(encoding="utf-8"))
    out: dict = {"built": json.loads(mark.read_text()), "busiest": []}
    for rank, label, n in pick(store, "subject", "aikg:worksFor aikg:leads"):
        bound = {"entity": bind_param(store, "entity", label)}
        assert _rows(store, shipped.text, bound) == _rows(store, state.text, bound), rank
        fns = (
            lambda: _count(store, BASELINE[len(PREFIXES) :]),
            lambda: sum(1 for _ in store.query(shipped.text, substitutions=bound)),
            lambda: sum(1 for _ in store.query(state.text, substitutions=bound)),
        )
        times: list[list[float]] = [[], [], []]
        for f in fns:
            f()
        for _ in range(repeat):
            for i, f in enumerate(fns):
                t0 = time.perf_counter()
                f()
                times[i].append(1000 * (time.perf_counter() - t0))
        base, before, after = (round(statistics.median(t), 2) for t in times)
        out["busiest"].append(
            {
                "entity": f"{rank} ({n} statements)",
                "baseline_ms": base,
                "shipped_ms": before,
                "derived_ms": after,
                "shipped_x_baseline": round(before / base, 1),
                "derived_x_baseline": round(after / base, 1),
            }
        )
        print(json.dumps(out["busiest"][-1]), flush=True)
    t_shipped, t_state, rows = [], [], 0
    for node in entities(store, "subject", "aikg:worksFor aikg:leads"):
        bound = {"entity": node}
        t0 = time.perf_counter()
        a = _rows(store, shipped.text, bound)
        t1 = time.perf_counter()
        b = _rows(store, state.text, bound)
        t2 = time.perf_counter()
        assert a == b, (node, a, b)
        rows += len(a)
        t_shipped.append(1000 * (t1 - t0))
        t_state.append(1000 * (t2 - t1))
    out["sweep"] = {
        "entities": len(t_state),
        "rows_all_entities": rows,
        "same_rows": True,
        "shipped": _spread(t_shipped),
        "derived": _spread(t_state),
    }
    print(json.dumps(out["sweep"]), flush=True)
    store.close()
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


def ingest_cost(rounds: int, words: int = 60000) -> list[dict]:
    """bench_ingest.py (spaCy, mapping, validation, commits) without and with the links, alternately."""
    import sys

    import bench_ingest

    def with_links(ex, **kw):
        qs = extraction_quads(ex, **kw)
        return qs + link_quads(qs)

    saved, argv, out = loader.extraction_quads, sys.argv, []
    with tempfile.TemporaryDirectory() as d:
        try:
            for r in range(rounds):
                for kind in ("without", "with"):
                    loader.extraction_quads = with_links if kind == "with" else saved  # type: ignore[assignment]
                    f = Path(d) / f"{kind}{r}.json"
                    sys.argv = ["bench_ingest.py", "--words", str(words), "--out", str(f)]
                    bench_ingest.main()
                    out.append({"links": kind, **json.loads(f.read_text())})
        finally:
            loader.extraction_quads, sys.argv = saved, argv  # type: ignore[assignment]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="the realistic benchmark store (bench_time_queries.py --store)")
    ap.add_argument("--links-store", required=True, help="its copy with the links; made the first time")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--write-articles", type=int, default=5000)
    ap.add_argument("--write-rounds", type=int, default=2)
    ap.add_argument("--skip", nargs="*", default=[], choices=["busiest", "sweeps", "write", "derived", "ingest"])
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
    if "derived" not in args.skip:
        info["derived"] = derived(dst, args.repeat)
    if "write" not in args.skip:
        info["write"] = write_cost(args.write_articles, 32, args.write_rounds)
        print(json.dumps(info["write"]), flush=True)
    if "ingest" not in args.skip:
        info["ingest"] = ingest_cost(2)
    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    Path(args.out).write_text(json.dumps(info, indent=2) + "\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
