"""Dump speed and size: kg.dumps (what /dumps and `aikg export --format nq.gz` write) against pyoxigraph.

The store is the read store of ``bench_store.py`` (the same synthetic corpus, default
30,000 articles, bulk-loaded in the layout kg writes). In the same process:

- ``kg``: :func:`kg.dumps.write_dump` to a file, N-Quads (every graph) and Turtle (the
  union graph), gzip level 6 (``Store.dump`` into a compressing sink that hands on
  64 KiB chunks; ``/dumps`` reads the same sink through a bounded queue);
- ``stream``: :func:`kg.dumps.dump_stream`, read to the end as ``/dumps`` reads it;
- ``raw``: pyoxigraph's own ``Store.dump`` of the same graphs into a ``gzip.GzipFile``
  of the same level (the whole dump written by one native call).

Ratio = raw seconds / kg seconds (1.0: as fast as pyoxigraph). The peak of Python
memory while kg dumps (tracemalloc, in a second pass, through ``dump_stream`` as the
server reads it) shows the bound; native memory inside pyoxigraph is not counted by it.

Usage: python benchmarks/bench_dump.py [--articles 30000]
Writes benchmarks/results/dump.json.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_store import synthetic_corpus  # noqa: E402

from kg.dumps import dump_stream, write_dump  # noqa: E402
from kg.mapping import extraction_quads  # noqa: E402
from kg.store import LocalStore  # noqa: E402


def build(path: Path, n_articles: int) -> None:
    """Bulk-load the synthetic corpus (article graphs and the union graph) into a new store."""
    articles, extractions = synthetic_corpus(n_articles, n_entities=20000, rels_per_article=5, seed=11)
    buf = io.BytesIO()
    quads = []
    for a in articles:
        qs = extraction_quads(extractions[a.id])
        quads.extend(qs)
        quads.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in qs)
    ox.serialize(quads, buf, format=ox.RdfFormat.N_QUADS)
    del quads
    raw = ox.Store(str(path))
    raw.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
    raw.flush()
    del raw


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench(n_articles: int) -> dict:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        t0 = time.perf_counter()
        build(root / "store", n_articles)
        built = time.perf_counter() - t0
        store = LocalStore(root / "store")
        res: dict = {"articles": n_articles, "quads": len(store), "build_seconds": round(built, 1)}
        for name, fmt, graph in (
            ("nq.gz", ox.RdfFormat.N_QUADS, None),
            ("ttl.gz", ox.RdfFormat.TURTLE, ox.DefaultGraph()),
        ):
            ours_path, raw_path = root / f"kg.{name}", root / f"raw.{name}"

            def ours() -> None:
                with ours_path.open("wb") as fh:
                    write_dump(store, name, fh)

            def raw() -> None:
                with gzip.open(raw_path, "wb", compresslevel=6) as fh:
                    if graph is None:
                        store.oxigraph.dump(fh, format=fmt)
                    else:
                        store.oxigraph.dump(fh, format=fmt, from_graph=graph)

            kg_s = min(_timed(ours) for _ in range(2))
            raw_s = min(_timed(raw) for _ in range(2))

            def streamed() -> None:
                for _ in dump_stream(store.oxigraph, name):
                    pass

            stream_s = min(_timed(streamed) for _ in range(2))
            tracemalloc.start()
            streamed()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            with gzip.open(ours_path, "rb") as fh:
                uncompressed = sum(len(b) for b in iter(lambda: fh.read(1 << 20), b""))
            res[name] = {
                "kg_seconds": round(kg_s, 2),
                "raw_seconds": round(raw_s, 2),
                "ratio": round(raw_s / kg_s, 3),
                "stream_seconds": round(stream_s, 2),
                "stream_ratio": round(raw_s / stream_s, 3),
                "kg_bytes": ours_path.stat().st_size,
                "raw_bytes": raw_path.stat().st_size,
                "uncompressed_bytes": uncompressed,
                "kg_python_peak_bytes": peak,
                "kg_mb_per_s_uncompressed": round(uncompressed / kg_s / 1e6, 1),
            }
        store.close()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=30000)
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "dump.json"))
    args = ap.parse_args()
    res = bench(args.articles)
    Path(args.out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
