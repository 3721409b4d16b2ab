"""Ingest speed on a local Dask cluster: serial vs ``--cluster local:1`` vs ``local:2``.

The corpus is made from the bundled sample articles (our own text): copy i of a sample
gets its own url and a closing line naming the copy, so every copy is a new article
with the sample's entities and relations. Each configuration ingests the same corpus
into a fresh on-disk store, with SHACL validation, the way ``aikg ingest`` does.

The clock runs from the first article to the last commit, with the pipeline already
loaded (in this process for the serial run, in every worker for a cluster); loading
it is timed apart ("startup"). Also measured: each worker's resident memory with the
model loaded, after the run.

Target: ``local:2`` at least 1.7x the articles/s of the serial run on a 2-core machine.

Usage: python benchmarks/bench_cluster.py [--articles 200] [--batch-size 16] [--workers 1 2]
Writes benchmarks/results/cluster.json (--out to write elsewhere).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import psutil

from ingest.readers import iter_articles
from kg.loader import MAX_ARTICLE_RELATIONS
from kg.model import Article
from kg.store import LocalStore
from kg.validate import validate_batch

ROOT = Path(__file__).resolve().parent.parent


def synthetic_articles(n: int) -> list[Article]:
    """Return ``n`` distinct articles made from the sample articles."""
    base = list(iter_articles([ROOT / "examples" / "articles"]))
    out = []
    for i in range(n):
        a = base[i % len(base)]
        out.append(
            Article(
                f"{a.text}\n\nThis is copy {i} of the story.",
                url=f"{a.url}#copy{i}",
                title=a.title,
                published=a.published,
            )
        )
    return out


def _rss() -> int:
    return psutil.Process(os.getpid()).memory_info().rss


def _cpu() -> float:
    """Return this process's CPU seconds (user + system), all its threads."""
    t = psutil.Process(os.getpid()).cpu_times()
    return t.user + t.system


def run_serial(articles: list[Article], batch_size: int) -> dict:
    """Ingest in this process with one spaCy process (``aikg ingest`` without --cluster)."""
    from ingest.pipeline import Extractor
    from kg.loader import ingest

    t0 = time.perf_counter()
    extractor = Extractor()
    startup = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d, LocalStore(Path(d) / "kg") as store:
        t0, c0 = time.perf_counter(), _cpu()
        summary = ingest(
            store,
            articles,
            lambda b: extractor.extract_many(b),
            batch_size=batch_size,
            validate=validate_batch,
            max_relations=MAX_ARTICLE_RELATIONS,
        )
        store.flush()
        seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    return {
        "config": "serial",
        "startup_seconds": round(startup, 2),
        "seconds": round(seconds, 2),
        "articles": summary.new,
        "relations": summary.relations,
        "articles_per_s": round(summary.new / seconds, 2),
        "memory_mb": [round(_rss() / 1e6)],
        "cpu_seconds_client": round(cpu, 2),
        "cpu_seconds_workers": 0.0,
    }


def run_cluster(articles: list[Article], batch_size: int, workers: int) -> dict:
    """Ingest through a local cluster of ``workers`` processes (``--cluster local:N``)."""
    from aikg.cluster import Cluster, ClusterSpec, cluster_ingest

    t0 = time.perf_counter()
    with Cluster(ClusterSpec(workers=workers)) as cluster:
        startup = time.perf_counter() - t0  # the plugin has loaded the model on every worker
        with tempfile.TemporaryDirectory() as d, LocalStore(Path(d) / "kg") as store:
            w0 = sum(cluster.client.run(_cpu).values())
            t0, c0 = time.perf_counter(), _cpu()
            summary = cluster_ingest(
                store,
                articles,
                cluster,
                batch_size=batch_size,
                validate=validate_batch,
                max_relations=MAX_ARTICLE_RELATIONS,
            )
            store.flush()
            seconds, cpu = time.perf_counter() - t0, _cpu() - c0
            worker_cpu = sum(cluster.client.run(_cpu).values()) - w0
        memory = sorted(round(v / 1e6) for v in cluster.client.run(_rss).values())
    # The client's CPU includes the scheduler and the nannies: LocalCluster runs them here.
    return {
        "config": f"local:{workers}",
        "startup_seconds": round(startup, 2),
        "seconds": round(seconds, 2),
        "articles": summary.new,
        "relations": summary.relations,
        "articles_per_s": round(summary.new / seconds, 2),
        "memory_mb": memory,
        "cpu_seconds_client": round(cpu, 2),
        "cpu_seconds_workers": round(worker_cpu, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "cluster.json"))
    args = ap.parse_args()
    articles = synthetic_articles(args.articles)
    words = sum(len(a.text.split()) for a in articles)
    load_before = os.getloadavg()
    runs = []
    for config in ["serial", *args.workers]:
        r = (
            run_serial(articles, args.batch_size)
            if config == "serial"
            else run_cluster(articles, args.batch_size, config)
        )
        r["ratio_to_serial"] = round(r["articles_per_s"] / runs[0]["articles_per_s"], 2) if runs else 1.0
        r["words_per_s"] = round(words / r["seconds"])
        cpu = r["cpu_seconds_client"] + r["cpu_seconds_workers"]
        # Load-independent: what a core does when it is not shared (CPU seconds, not wall time).
        r["words_per_cpu_second"] = round(words / cpu)
        r["worker_words_per_cpu_second"] = round(words / r["cpu_seconds_workers"]) if r["cpu_seconds_workers"] else None
        runs.append(r)
        print(
            f"{r['config']:>8}: {r['articles']} articles in {r['seconds']:.1f} s, {r['articles_per_s']:.2f} "
            f"articles/s ({r['words_per_s']} words/s), {r['ratio_to_serial']:.2f}x serial; CPU s: client "
            f"{r['cpu_seconds_client']}, workers {r['cpu_seconds_workers']}; startup {r['startup_seconds']:.1f} s; "
            f"memory per process {r['memory_mb']} MB",
            flush=True,
        )
    res = {
        "articles": len(articles),
        "words": words,
        "batch_size": args.batch_size,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "target_local2_ratio": 1.7,
        "runs": runs,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
