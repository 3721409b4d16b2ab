"""What the time rule costs: to_networkx and /graph against the code before it, in one run.

The store is the read store of ``bench_store.py`` (30,000 synthetic articles, five
relations each, about 1M triples in the union graph), with time on a share of its
statements as the extractor writes it: a quarter carry a start date, one in twelve is
ended with an end date, one in eight a stated year; every statement has ``aikg:ended``.

The baseline is the same code at a commit before the time rule (``--base-rev``, default
f18850c), taken from git in the same run:

1. ``to_networkx``: the baseline's ``kg/analytics.py`` (``git show``) is loaded beside
   ours in this process and both project the same store, turn about; ours also as of a
   day (the graph of that day, and with its ended relations). Both all-time graphs must
   hold the same edges with the same support, so the two time the same work.
2. ``/graph`` (the page a user opens, 300 entities): the baseline tree (``git archive``)
   and ours each serve a copy of the store from their own uvicorn process on loopback;
   requests go to one and the other in turn.

Ratios are ours / baseline (1.0: no cost; 1.5: half as long again). Medians of
``--repeat`` turns.

Usage: python benchmarks/bench_time.py [--articles 30000] [--repeat 5] [--base-rev f18850c]
Writes benchmarks/results/time.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_api import start_server  # noqa: E402
from bench_store import synthetic_corpus  # noqa: E402

from kg import analytics  # noqa: E402
from kg.mapping import extraction_quads  # noqa: E402
from kg.store import LocalStore  # noqa: E402

AS_OF = "2022-06-30"


def _month(d: date) -> str:
    return d.isoformat()[:7]


def with_time(extraction, rnd: random.Random):
    """Return the extraction with time fields on a share of its mentions, as the extractor sets them."""
    published = extraction.article.published
    rels = []
    for rel in extraction.relations:
        r = rnd.random()
        if r < 0.25:
            began = _month(published - timedelta(days=rnd.randrange(30, 1500)))
            rel = dataclasses.replace(rel, date=began, start_date=began, date_text="in that month")
        elif r < 0.33:
            over = _month(published - timedelta(days=rnd.randrange(0, 200)))
            rel = dataclasses.replace(rel, ended=True, date=over, end_date=over, date_text="in that month")
        elif r < 0.45:
            rel = dataclasses.replace(rel, date=str(published.year), date_text="this year")
        rels.append(rel)
    return dataclasses.replace(extraction, relations=tuple(rels))


def build_store(path: Path, n_articles: int) -> dict:
    """Bulk-load the benchmark store (the layout kg writes: article graphs and the union graph)."""
    articles, extractions = synthetic_corpus(n_articles, n_entities=20000, rels_per_article=5, seed=11)
    rnd = random.Random(3)
    quads = []
    ended = dated = statements = 0
    for a in articles:
        ex = with_time(extractions[a.id], rnd)
        statements += len(ex.relations)
        ended += sum(r.ended for r in ex.relations)
        dated += sum(bool(r.date) for r in ex.relations)
        qs = extraction_quads(ex)
        quads.extend(qs)
        quads.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in qs)
    buf = io.BytesIO()
    ox.serialize(quads, buf, format=ox.RdfFormat.N_QUADS)
    del quads
    raw = ox.Store(str(path))
    raw.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
    raw.flush()
    size = len(raw)
    del raw
    return {
        "articles": n_articles,
        "statements": statements,
        "ended_statements": ended,
        "statements_with_a_date": dated,
        "quads": size,
    }


def base_tree(rev: str, into: Path) -> Path:
    """Extract the baseline commit's files into a directory (``git archive``)."""
    data = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", rev, "kg", "api", "aikg", "ontology"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def base_analytics(tree: Path):
    """Load the baseline's kg/analytics.py as its own module (it imports the rest of kg from here)."""
    spec = importlib.util.spec_from_file_location("base_analytics", tree / "kg" / "analytics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def support(G) -> dict:
    return {
        (s, k, o): (d["sources"], d["mentions"], d["first"], d["last"], d["confidence"], d["hedged"])
        for s, o, k, d in G.edges(keys=True, data=True)
    }


def _turns(runs: dict, repeat: int) -> dict[str, list[float]]:
    """Time each named run ``repeat`` times, one after the other in every turn."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def bench_projection(path: Path, base, repeat: int) -> dict:
    store = LocalStore(path)
    try:
        ours_all, base_all = analytics.to_networkx(store), base.to_networkx(store)
        same = support(ours_all) == support(base_all)
        runs = {
            "base": lambda: base.to_networkx(store),
            "ours": lambda: analytics.to_networkx(store),
            "ours_as_of": lambda: analytics.to_networkx(store, as_of=AS_OF),
            "ours_as_of_with_ended": lambda: analytics.to_networkx(store, as_of=AS_OF, include_ended=True),
        }
        times = _turns(runs, repeat)
        ended_edges = sum(1 for *_, e in ours_all.edges(data="ended") if e)
        edges_as_of = analytics.to_networkx(store, as_of=AS_OF).number_of_edges()
    finally:
        store.close()
    med = {name: statistics.median(t) for name, t in times.items()}
    return {
        "edges": base_all.number_of_edges(),
        "ended_edges": ended_edges,
        "edges_as_of": edges_as_of,
        "as_of": AS_OF,
        "same_edges_and_support_as_base": same,
        **{f"{name}_s": round(v, 3) for name, v in med.items()},
        "ratio": round(med["ours"] / med["base"], 3),
        "ratio_as_of": round(med["ours_as_of"] / med["base"], 3),
        "ratio_as_of_with_ended": round(med["ours_as_of_with_ended"] / med["base"], 3),
    }


def bench_graph_page(base_store: Path, our_store: Path, tree: Path, repeat: int) -> dict:
    procs = []
    try:
        # Each serves its own copy: a server holds its store's lock.
        base_proc, base_url = start_server(base_store, tree)
        procs.append(base_proc)
        our_proc, our_url = start_server(our_store, REPO)
        procs.append(our_proc)
        base_url, our_url = base_url.removesuffix("/sparql"), our_url.removesuffix("/sparql")
        with httpx.Client(timeout=600) as client:

            def page(url: str, **params) -> None:
                r = client.get(url + "/graph", params=params)
                r.raise_for_status()

            runs = {
                "base": lambda: page(base_url),
                "ours": lambda: page(our_url),
                "ours_as_of": lambda: page(our_url, as_of=AS_OF),
            }
            for fn in runs.values():  # the first page of a process loads templates and assets
                fn()
            times = _turns(runs, repeat)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=60)
    med = {name: statistics.median(t) for name, t in times.items()}
    return {
        **{f"{name}_s": round(v, 3) for name, v in med.items()},
        "ratio": round(med["ours"] / med["base"], 3),
        "ratio_as_of": round(med["ours_as_of"] / med["base"], 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=30000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--base-rev", default="f18850c", help="The commit before the time rule.")
    ap.add_argument("--no-page", action="store_true", help="Skip /graph (the two servers).")
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "time.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="aikg-bench-time-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        store = build_store(tmp / "store", args.articles)
        print(f"store: {json.dumps(store)} in {time.perf_counter() - t0:.0f} s", flush=True)
        tree = base_tree(args.base_rev, tmp / "base")
        projection = bench_projection(tmp / "store", base_analytics(tree), args.repeat)
        print(f"to_networkx: {json.dumps(projection)}", flush=True)
        report = {
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "base_rev": args.base_rev,
            "repeat": args.repeat,
            "store": store,
            "to_networkx": projection,
        }
        if not args.no_page:
            shutil.copytree(tmp / "store", tmp / "store-base")
            report["graph_page"] = bench_graph_page(tmp / "store-base", tmp / "store", tree, args.repeat)
            print(f"/graph: {json.dumps(report['graph_page'])}", flush=True)
    report["note"] = (
        "ratio = ours / baseline, medians of turns in one run; the baseline is the code at "
        "base_rev (no time rule) on the same store"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
