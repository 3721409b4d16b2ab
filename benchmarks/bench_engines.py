"""Write rate into each server store, as a ratio of that engine's own bulk loader.

For each engine (the Oxigraph server, Virtuoso, and Fuseki when `make servers` could
install it), on a fresh server started as the tests start it (tests/servers.py):

1. ours: ``kg.loader.ingest`` of a synthetic corpus (bench_store.py's generator) through
   the engine's adapter: idempotency checks and one SPARQL update per batch, as
   ``aikg ingest --store URL`` writes.
2. bulk: the very same quads (article graphs and the union mirror, where that engine
   keeps it) written to an N-Quads file and loaded by the engine's own bulk path:
   ``oxigraph load`` (offline), Virtuoso's ``ld_dir`` + ``rdf_loader_run()`` through
   isql, Fuseki's Graph Store Protocol (one POST of the whole file to the dataset).
3. gsp: the same batches POSTed as N-Quads to the Graph Store Protocol's dataset
   endpoint, where the engine has one that takes quads (Oxigraph ``/store``, Fuseki
   ``/DATASET``), to see whether that path would pay for giving up the in-request
   check that keeps two writers from storing one article twice.

The ratio is bulk seconds / ours seconds (1.0: as fast as the engine's loader).

Usage: python benchmarks/bench_engines.py [--articles 1000] [--engines oxigraph,virtuoso,fuseki]
Writes benchmarks/results/engines.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_store import synthetic_corpus  # noqa: E402

from kg import loader  # noqa: E402
from kg.backend import open_store  # noqa: E402
from kg.engines import VIRTUOSO_UNION  # noqa: E402
from kg.mapping import extraction_quads  # noqa: E402
from kg.store import count  # noqa: E402
from tests.servers import LOOPBACK, SERVERS, oxigraph_bin  # noqa: E402


def corpus_quads(articles, extractions, mirror: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """Return every article's quads and their union mirror in ``mirror``."""
    out: list[ox.Quad] = []
    for a in articles:
        qs = extraction_quads(extractions[a.id])
        out.extend(qs)
        out.extend(ox.Quad(q.subject, q.predicate, q.object, mirror) for q in qs)
    return out


def nquads(quads: list[ox.Quad]) -> bytes:
    """Serialize quads as N-Quads."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def ours(kind: str, work: Path, articles, extractions, batch_size: int) -> tuple[float, int]:
    """Ingest through the adapter into a fresh server; return (seconds, quads in named graphs)."""
    server = SERVERS[kind](work / "ours")
    server.start()
    try:
        store = open_store(server.url)
        t0 = time.perf_counter()
        loader.ingest(store, articles, lambda batch: (extractions[a.id] for a in batch), batch_size=batch_size)
        seconds = time.perf_counter() - t0
        n = count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } " + store.engine.graph_filter() + " }")
        store.close()
        return seconds, n
    finally:
        server.stop()


def bulk_oxigraph(work: Path, data: bytes) -> float:
    """Load with ``oxigraph load`` into a fresh store directory (the server's offline loader)."""
    path = work / "bulk.nq"
    path.write_bytes(data)
    t0 = time.perf_counter()
    subprocess.run(
        [oxigraph_bin(), "load", "--location", str(work / "bulk"), "--file", str(path)], check=True, capture_output=True
    )
    return time.perf_counter() - t0


def bulk_virtuoso(work: Path, data: bytes) -> float:
    """Load with Virtuoso's bulk loader (ld_dir, rdf_loader_run, checkpoint) into a fresh server."""
    server = SERVERS["virtuoso"](work / "bulk")
    server.start()
    try:
        files = server.location / "load"
        files.mkdir()
        (files / "corpus.nq").write_bytes(data)
        t0 = time.perf_counter()
        server.isql(f"ld_dir('{files}', 'corpus.nq', '{VIRTUOSO_UNION}')", "rdf_loader_run()", "checkpoint")
        seconds = time.perf_counter() - t0
        store = open_store(server.url)
        loaded = count(
            store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } " + store.engine.graph_filter() + " }"
        )
        store.close()
        print(f"  virtuoso bulk loader: {loaded} quads in article graphs")
        return seconds
    finally:
        server.stop()


def bulk_fuseki(work: Path, data: bytes) -> float:
    """POST the whole N-Quads file to a fresh Fuseki dataset (Graph Store Protocol)."""
    server = SERVERS["fuseki"](work / "bulk")
    server.start()
    try:
        t0 = time.perf_counter()
        resp = httpx.post(
            f"http://{LOOPBACK}:{server.port}/{server.dataset}",
            content=data,
            headers={"Content-Type": "application/n-quads"},
            timeout=3600,
        )
        resp.raise_for_status()
        return time.perf_counter() - t0
    finally:
        server.stop()


def gsp(kind: str, work: Path, articles, extractions, batch_size: int) -> float | None:
    """POST each batch's quads (and mirror) as N-Quads to the dataset endpoint; None where there is none."""
    if kind not in ("oxigraph", "fuseki"):
        return None
    server = SERVERS[kind](work / "gsp")
    server.start()
    try:
        url = (
            f"http://{LOOPBACK}:{server.port}/store"
            if kind == "oxigraph"
            else f"http://{LOOPBACK}:{server.port}/{server.dataset}"
        )
        client = httpx.Client(timeout=600)
        t0 = time.perf_counter()
        for i in range(0, len(articles), batch_size):
            body = nquads(corpus_quads(articles[i : i + batch_size], extractions, ox.DefaultGraph()))
            client.post(url, content=body, headers={"Content-Type": "application/n-quads"}).raise_for_status()
        return time.perf_counter() - t0
    finally:
        server.stop()


BULK = {"oxigraph": bulk_oxigraph, "virtuoso": bulk_virtuoso, "fuseki": bulk_fuseki}


def bench(kind: str, n_articles: int, batch_size: int) -> dict:
    articles, extractions = synthetic_corpus(n_articles)
    mirror = ox.NamedNode(VIRTUOSO_UNION) if kind == "virtuoso" else ox.DefaultGraph()
    data = nquads(corpus_quads(articles, extractions, mirror))
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as d:
        work = Path(d)
        our_s, named_quads = ours(kind, work, articles, extractions, batch_size)
        bulk_s = BULK[kind](work, data)
        gsp_s = gsp(kind, work, articles, extractions, batch_size)
    out = {
        "engine": kind,
        "articles": n_articles,
        "batch_size": batch_size,
        "quads_in_article_graphs": named_quads,
        "quads_loaded": data.count(b"\n"),
        "ours_seconds": round(our_s, 3),
        "bulk_seconds": round(bulk_s, 3),
        "ratio": round(bulk_s / our_s, 3),
        "target": 0.5,
        "ours_quads_per_s": round(data.count(b"\n") / our_s),
    }
    if gsp_s is not None:
        out.update(gsp_seconds=round(gsp_s, 3), gsp_speedup_over_ours=round(our_s / gsp_s, 3))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--engines", default="oxigraph,virtuoso,fuseki")
    ap.add_argument("--out", default=str(HERE / "results" / "engines.json"))
    args = ap.parse_args()
    results = []
    for kind in args.engines.split(","):
        try:
            res = bench(kind, args.articles, args.batch_size)
        except (Exception, pytest.skip.Exception) as exc:  # a missing server skips, as in the tests
            print(f"{kind}: not measured ({type(exc).__name__}: {exc})")
            results.append({"engine": kind, "skipped": str(exc)})
            continue
        results.append(res)
        line = (
            f"{kind}: {res['articles']} articles, {res['quads_loaded']} quads: ours {res['ours_seconds']} s, "
            f"bulk loader {res['bulk_seconds']} s, ratio {res['ratio']} (target >= 0.5)"
        )
        if "gsp_seconds" in res:
            line += f"; GSP batches {res['gsp_seconds']} s ({res['gsp_speedup_over_ours']}x ours)"
        print(line, flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"engines": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
