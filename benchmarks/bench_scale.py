"""A scale run: N short synthetic articles through ``aikg ingest --cluster local:2`` into Virtuoso.

1. Writes N articles of benchmarks/synthetic_news.py (our own templates, 60-100 words)
   as JSON Lines.
2. Starts Virtuoso 7.2 (Debian's ``virtuoso-t``) on free loopback ports in a fresh
   database directory, as the tests do (tests/servers.py).
3. Runs, as a user would, ``nice -n 19 aikg ingest FILE --cluster local:2 --store URL
   --no-validate --json`` and times it end to end (wall clock from the start of the
   command to its exit: the cluster's start and the model loading included). While it
   runs, samples every process of the command's tree (the command, whose process also
   holds the scheduler and nannies, and each worker) for resident memory.
4. Counts the quads in the store through SPARQL (the graphs under
   ``https://w3id.org/aikg/``: the article graphs and the union graph) and the size of the
   database directory on disk (``du``), after a checkpoint.
5. With ``--rerun``, runs the same command again and records how many articles it added
   (exactly-once: it must be 0).

Usage: python benchmarks/bench_scale.py --articles 100000 [--workers 2] [--batch-size 32]
       [--dir /tmp/aikg-scale] [--rerun] [--keep] [--out benchmarks/results/scale_100k.json]
The database directory is deleted at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_news import write_jsonl  # noqa: E402

from tests.servers import LOOPBACK, VirtuosoServer  # noqa: E402

AIKG = Path(sys.executable).with_name("aikg")
COUNT_QUADS = """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/aikg/")) }"""
COUNT_ARTICLES = """SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/aikg/article/")) }"""
COUNT_UNION = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/aikg/graph/union> { ?s ?p ?o } }"


def sparql_count(port: int, query: str) -> int:
    """Return the one number a COUNT query gives, through Virtuoso's /sparql (a form post)."""
    r = httpx.post(
        f"http://{LOOPBACK}:{port}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=600,
    )
    r.raise_for_status()
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def du_bytes(path: Path) -> int:
    """Return the bytes the files under ``path`` take on disk (``du -sb``)."""
    out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


class TreeSampler(threading.Thread):
    """Sample the resident memory of a process and its descendants every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 15.0):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak: dict[int, dict] = {}
        self.last: dict[int, dict] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            snap = {}
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    cmd = " ".join(p.cmdline())[:80]
                except psutil.Error:
                    continue
                role = "command" if p.pid == self.pid else ("worker" if "spawn_main" in cmd else p.name())
                snap[p.pid] = {"role": role, "rss_mb": round(rss / 1e6)}
                if rss / 1e6 >= self.peak.get(p.pid, {"rss_mb": -1})["rss_mb"]:
                    self.peak[p.pid] = snap[p.pid]
            if snap:
                self.last = snap
            self.stop.wait(self.every)


def run_ingest(cmd: list[str], log: Path, stop_after: float | None = None) -> dict:
    """Run the command, sampling its memory; return wall time, its JSON summary, memory.

    After ``stop_after`` seconds the command gets SIGINT (and its process group SIGKILL a
    minute later): the batches committed before stay, as after any interruption.
    """
    t0 = time.perf_counter()
    stopped = False
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            out, _ = proc.communicate(timeout=stop_after)
        except subprocess.TimeoutExpired:
            stopped = True
            proc.send_signal(signal.SIGINT)
            try:
                out, _ = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                out, _ = proc.communicate()
    seconds = time.perf_counter() - t0
    sampler.stop.set()
    try:
        summary = json.loads(out)
    except json.JSONDecodeError:
        summary = {"stdout": out[-2000:]}
    return {
        "exit": proc.returncode,
        "stopped_at_deadline": stopped,
        "seconds": round(seconds, 1),
        "summary": summary,
        "peak_memory_mb": sorted(sampler.peak.values(), key=lambda r: r["role"]),
        "last_memory_mb": sorted(sampler.last.values(), key=lambda r: r["role"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--dir", default="/tmp/aikg-scale")
    ap.add_argument("--rerun", action="store_true", help="run the same command again (must add 0)")
    ap.add_argument("--keep", action="store_true", help="keep the database directory and the server")
    ap.add_argument("--stop-after", type=float, help="seconds: interrupt the ingest then, measure what it stored")
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "scale.json"))
    args = ap.parse_args()

    work = Path(args.dir)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    corpus = work / "articles.jsonl"
    gen = write_jsonl(corpus, args.articles, args.seed)
    print(f"corpus: {gen}", flush=True)

    server = VirtuosoServer(work / "virtuoso")
    server.start()
    db = work / "virtuoso"
    du_empty = du_bytes(db)
    cmd = [
        "nice", "-n", "19", str(AIKG), "ingest", str(corpus),
        "--cluster", f"local:{args.workers}", "--store", server.url,
        "--no-validate", "--batch-size", str(args.batch_size), "--json",
    ]  # fmt: skip
    shown = [c if c != server.url else "virtuoso+http://dba:dba@127.0.0.1:PORT/sparql" for c in cmd]
    print("command:", " ".join(shown), flush=True)
    try:
        load_before = os.getloadavg()
        first = run_ingest(cmd, work / "ingest.log", args.stop_after)
        load_after = os.getloadavg()
        print(f"ingest: {json.dumps(first)}", flush=True)
        server.isql("checkpoint")
        quads = sparql_count(server.port, COUNT_QUADS)
        union = sparql_count(server.port, COUNT_UNION)
        stored = sparql_count(server.port, COUNT_ARTICLES)
        size = du_bytes(db)
        rerun = run_ingest(cmd, work / "rerun.log") if args.rerun else None
        if rerun:
            print(f"rerun: {json.dumps(rerun)}", flush=True)
    finally:
        if not args.keep:
            server.stop()
            time.sleep(2)
            shutil.rmtree(work, ignore_errors=True)
    s = first["summary"]
    res = {
        "command": " ".join(shown[3:]),
        "nice": 19,
        "engine": "Virtuoso Open Source 7.2 (Debian virtuoso-opensource), tests/servers.py configuration",
        "corpus": gen,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "exit": first["exit"],
        "wall_seconds": first["seconds"],
        "summary": s,
        "stopped_at_deadline": first["stopped_at_deadline"],
        "articles_stored": stored,
        "articles_per_s": round(stored / first["seconds"], 2),
        "words_per_s": round(gen["words"] * stored / args.articles / first["seconds"]),
        "quads_aikg_graphs": quads,
        "quads_union_graph": union,
        "store_bytes_on_disk": size,
        "store_bytes_empty_database": du_empty,
        "peak_memory_mb": first["peak_memory_mb"],
        "memory_mb_at_end": first["last_memory_mb"],
        "rerun": rerun and {k: rerun[k] for k in ("exit", "seconds", "summary")},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
