"""Bounded load on a real ``aikg serve``: SPARQL readers plus one ingesting writer.

Usage::

    python benchmarks/bench_load.py                      # 50 readers, 60 s
    python benchmarks/bench_load.py --readers 20 --seconds 15 --out /tmp/load.json

What it does, all on 127.0.0.1: ingest a preload corpus into a fresh store, start
``aikg serve`` on it with a token, then run ``--readers`` threads that each send one
invariant query after another (GET /sparql) while ``aikg ingest --store
http://127.0.0.1:PORT/sparql`` adds a second corpus batch by batch through /update.

The invariant query returns, for every article a reader can see, its statement count
and how many of its statements lack their direct triple; statements whose article has
no metadata come back under the url ``orphan``. A reader finds "half an article" when an
article is visible with fewer statements than a clean run gives it, a statement's direct
triple is missing, or a statement is visible without its article. Latency is per request
as the client sees it (Python threads in one process, so it includes client overhead).
Results (p50/p99, errors, articles seen) go to benchmarks/results/load.json, one entry
per writer kind (``--writer cli``: ``aikg ingest --store URL``; ``--writer post``:
POST /articles, extraction inside the server).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

LOOPBACK = "127.0.0.1"
RESULTS = Path(__file__).resolve().parent / "results" / "load.json"

COMPANIES = [
    "Microsoft",
    "OpenAI",
    "Nvidia",
    "Google",
    "Anthropic",
    "Amazon",
    "Meta",
    "Mistral AI",
    "xAI",
    "Apple",
    "Oracle",
    "CoreWeave",
    "IBM",
    "Intel",
    "AMD",
]
VERBS = ["invested in", "partnered with", "competes with", "sued", "acquired", "supplies chips to"]

PREFIXES = (
    "PREFIX aikg: <https://w3id.org/aikg/ontology#> PREFIX schema: <https://schema.org/> "
    "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#> "
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
)
# One query, one snapshot: per visible article, its statements and the ones whose direct
# triple is missing; plus statements pointing at an article without metadata ("orphan").
INVARIANT = (
    PREFIXES
    + """
SELECT ?u (COUNT(DISTINCT ?st) AS ?n) (SUM(?miss) AS ?missing) WHERE {
  {
    ?a a aikg:Article ; aikg:sha256 ?h ; schema:url ?u ; dcterms:title ?t .
    OPTIONAL {
      ?st prov:wasDerivedFrom ?a ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
      BIND(IF(EXISTS { ?s ?p ?o }, 0, 1) AS ?miss)
    }
  } UNION {
    ?st prov:wasDerivedFrom ?a .
    FILTER NOT EXISTS { ?a aikg:sha256 ?h }
    BIND("orphan" AS ?u) BIND(1 AS ?miss)
  }
} GROUP BY ?u
"""
)
STATEMENTS_PER_URL = (
    PREFIXES
    + """
SELECT ?u (COUNT(DISTINCT ?st) AS ?n) WHERE {
  ?a schema:url ?u . OPTIONAL { ?st prov:wasDerivedFrom ?a }
} GROUP BY ?u
"""
)


def aikg_bin() -> str:
    """Return the ``aikg`` console script beside this Python."""
    found = Path(sys.executable).with_name("aikg")
    return str(found) if found.exists() else "aikg"


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def child_env(**extra: str) -> dict[str, str]:
    """Return the environment for child processes, without inherited AIKG_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIKG_")}
    env.update(extra)
    return env


def write_corpus(path: Path, n: int, *, prefix: str, seed: int) -> list[str]:
    """Write ``n`` short synthetic articles as JSON Lines; return their urls in order."""
    rnd = random.Random(seed)
    urls = []
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            a, b, c = rnd.sample(COMPANIES, 3)
            text = (
                f"{a} {rnd.choice(VERBS)} {b} in deal number {i} of the {prefix} series. "
                f"{c} said it {rnd.choice(VERBS)} {a} last week."
            )
            url = f"https://example.org/{prefix}/{i}"
            urls.append(url)
            f.write(
                json.dumps({"url": url, "title": f"{prefix} story {i}", "published": "2024-06-01", "text": text}) + "\n"
            )
    return urls


def ingest_local(corpus: Path, store: Path) -> None:
    """Ingest a corpus into a local store with the CLI (the store is created)."""
    done = subprocess.run(
        [aikg_bin(), "ingest", str(corpus), "--store", str(store), "--json", "--batch-size", "50"],
        capture_output=True,
        text=True,
        env=child_env(),
    )
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed: {done.stderr}")


def statements_per_url(store: Path) -> dict[str, int]:
    """Return url -> statement count in a local store (what a clean run gives)."""
    from kg.store import LocalStore

    with LocalStore(store) as s:
        return {r["u"].value: int(r["n"].value) for r in s.query(STATEMENTS_PER_URL)}


@dataclass
class Prepared:
    """A preloaded store, the corpus the writer will add, and the expected counts."""

    store: Path
    writer_corpus: Path
    preload: int
    expected: dict[str, int]


def prepare(workdir: Path, *, preload: int, write: int) -> Prepared:
    """Build the preloaded store and learn each article's statement count from clean runs."""
    pre = workdir / "preload.jsonl"
    add = workdir / "writer.jsonl"
    write_corpus(pre, preload, prefix="preload", seed=1)
    write_corpus(add, write, prefix="writer", seed=2)
    store = workdir / "store"
    ingest_local(pre, store)
    scratch = workdir / "scratch"
    ingest_local(add, scratch)
    expected = statements_per_url(store) | statements_per_url(scratch)
    return Prepared(store, add, preload, expected)


class Server:
    """``aikg serve`` on a loopback port, in its own process group."""

    def __init__(self, store: Path, token: str, log: Path, **settings: str):
        self.store, self.token, self.log, self.settings = store, token, log, settings
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def sparql(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/sparql"

    def start(self) -> None:
        env = child_env(AIKG_TOKEN=self.token, **{f"AIKG_{k.upper()}": v for k, v in self.settings.items()})
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    aikg_bin(),
                    "serve",
                    "--store",
                    str(self.store),
                    "--host",
                    LOOPBACK,
                    "--port",
                    str(self.port),
                    "--log-level",
                    "warning",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("aikg serve did not start: " + self.log.read_text())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@dataclass
class ReaderStats:
    """What the readers saw, merged."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    max_articles: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def check_rows(rows: list[dict], expected: dict[str, int]) -> list[str]:
    """Return what is wrong in one invariant answer (empty: every visible article is whole)."""
    problems = []
    for r in rows:
        url = r["u"]["value"]
        n = int(r["n"]["value"])
        missing = int(r["missing"]["value"]) if "missing" in r else 0
        if url == "orphan":
            problems.append(f"{n} statements visible without their article's metadata")
        elif url not in expected:
            problems.append(f"unknown article {url}")
        elif n != expected[url] or missing:
            problems.append(f"{url}: {n} of {expected[url]} statements, {missing} without direct triple")
    return problems


def reader(url: str, expected: dict[str, int], floor: int, stop: threading.Event, stats: ReaderStats) -> None:
    """Send invariant queries until told to stop; record latency, errors and broken answers."""
    seen = floor
    with httpx.Client(timeout=60, headers={"Accept": "application/sparql-results+json"}) as client:
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                resp = client.get(url, params={"query": INVARIANT})
                elapsed = time.perf_counter() - t0
                if resp.status_code != 200:
                    with stats.lock:
                        stats.errors.append(f"HTTP {resp.status_code}: {resp.text[:200]}")
                    continue
                rows = resp.json()["results"]["bindings"]
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                with stats.lock:
                    stats.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            problems = check_rows(rows, expected)
            articles = sum(1 for r in rows if r["u"]["value"] != "orphan")
            if articles < seen:
                problems.append(f"articles went from {seen} down to {articles}")
            seen = max(seen, articles)
            with stats.lock:
                stats.latencies.append(elapsed)
                stats.broken.extend(problems)
                stats.max_articles = max(stats.max_articles, articles)


def post_writer(base: str, token: str, corpus: Path, batch_size: int, stop: threading.Event, report: dict) -> None:
    """POST the corpus to /articles in batches of JSON Lines until done or told to stop."""
    lines = corpus.read_bytes().splitlines(keepends=True)
    report.update(written=0, errors=[])
    with httpx.Client(
        timeout=300, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    ) as client:
        for i in range(0, len(lines), batch_size):
            if stop.is_set():
                return
            try:
                r = client.post(base + "/articles", content=b"".join(lines[i : i + batch_size]))
            except httpx.HTTPError as exc:
                report["errors"].append(f"{type(exc).__name__}: {exc}")
                continue
            if r.status_code != 200:
                report["errors"].append(f"HTTP {r.status_code}: {r.text[:200]}")
                continue
            report["written"] += sum(a["status"] == "new" for a in r.json()["articles"])
    report["finished"] = True


def run_load(
    sparql_url: str,
    token: str,
    prepared: Prepared,
    *,
    readers: int,
    seconds: float,
    batch_size: int = 10,
    writer_kind: str = "cli",
) -> dict:
    """Run the readers and the writer against a running server; return the figures.

    Args:
        writer_kind: ``cli`` runs ``aikg ingest --store URL`` (extraction in its own
            process, one /update per batch); ``post`` sends batches to POST /articles
            (extraction inside the server).
    """
    if writer_kind == "post":
        return _run_with_post_writer(
            sparql_url, token, prepared, readers=readers, seconds=seconds, batch_size=batch_size
        )
    stats = ReaderStats()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=reader, args=(sparql_url, prepared.expected, prepared.preload, stop, stats), daemon=True
        )
        for _ in range(readers)
    ]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    writer = subprocess.Popen(
        [
            aikg_bin(),
            "ingest",
            str(prepared.writer_corpus),
            "--store",
            sparql_url,
            "--batch-size",
            str(batch_size),
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(AIKG_TOKEN=token),
        start_new_session=True,
    )
    writer_seconds = None
    try:
        while time.monotonic() - t0 < seconds:
            if writer_seconds is None and writer.poll() is not None:
                writer_seconds = time.monotonic() - t0
            time.sleep(0.2)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=90)
        if writer.poll() is None:
            os.killpg(writer.pid, signal.SIGTERM)
        out, err = writer.communicate(timeout=60)
    # 143: the SIGTERM above stopped it after the batch it was writing, summary printed.
    summary = json.loads(out) if writer.returncode in (0, 143) and out.strip() else None
    return {
        "readers": readers,
        "seconds": seconds,
        "writer_kind": "cli",
        **_latency_figures(stats, seconds),
        "articles_at_start": prepared.preload,
        "writer": {
            "exit": writer.returncode,
            "finished_within_s": round(writer_seconds, 1) if writer_seconds else None,
            "articles_written": summary["new"] if summary else None,
            "stderr_tail": err.strip().splitlines()[-2:] if writer.returncode not in (0, 143) else [],
        },
    }


def _latency_figures(stats: ReaderStats, seconds: float) -> dict:
    lat = sorted(stats.latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [float("nan")] * 99
    return {
        "queries": len(lat),
        "queries_per_s": round(len(lat) / seconds, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1) if lat else None,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
        "half_articles_seen": len(stats.broken),
        "broken_samples": stats.broken[:5],
        "articles_max_seen": stats.max_articles,
    }


def _run_with_post_writer(
    sparql_url: str, token: str, prepared: Prepared, *, readers: int, seconds: float, batch_size: int
) -> dict:
    stats = ReaderStats()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=reader, args=(sparql_url, prepared.expected, prepared.preload, stop, stats), daemon=True
        )
        for _ in range(readers)
    ]
    for t in threads:
        t.start()
    report: dict = {}
    base = sparql_url.rsplit("/sparql", 1)[0]
    writer = threading.Thread(
        target=post_writer, args=(base, token, prepared.writer_corpus, batch_size, stop, report), daemon=True
    )
    writer.start()
    time.sleep(seconds)
    # the readers keep reading until the writer has committed at least one batch: on a
    # loaded machine the first POST (extraction in the server) can take longer than the
    # window, and a load test with no write in it proves nothing
    end = time.monotonic() + 3 * seconds
    while not report.get("written") and not report.get("errors") and writer.is_alive() and time.monotonic() < end:
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(timeout=90)
    writer.join(timeout=300)
    return {
        "readers": readers,
        "seconds": seconds,
        "writer_kind": "post",
        **_latency_figures(stats, seconds),
        "articles_at_start": prepared.preload,
        "writer": {
            "articles_written": report.get("written"),
            "errors": len(report.get("errors", [])),
            "error_samples": report.get("errors", [])[:3],
            "finished": report.get("finished", False),
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Prepare, serve, load, report; return the exit code (1 on any error or broken read)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--readers", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--preload", type=int, default=200, help="articles in the store before the load")
    ap.add_argument("--write", type=int, default=1000, help="articles the writer ingests meanwhile")
    ap.add_argument(
        "--writer",
        choices=("cli", "post"),
        default="cli",
        help="cli: aikg ingest --store URL; post: POST /articles (extraction in the server)",
    )
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    token = os.urandom(16).hex()
    with tempfile.TemporaryDirectory(prefix="aikg-load-") as tmp:
        work = Path(tmp)
        t0 = time.monotonic()
        prepared = prepare(work, preload=args.preload, write=args.write)
        prep_s = time.monotonic() - t0
        server = Server(prepared.store, token, work / "serve.log")
        server.start()
        try:
            result = run_load(
                server.sparql, token, prepared, readers=args.readers, seconds=args.seconds, writer_kind=args.writer
            )
        finally:
            server.stop()
        log = (work / "serve.log").read_text(errors="replace")
        result["token_in_server_log"] = token in log
        result["server_tracebacks"] = log.count("Traceback")
    result["prepare_s"] = round(prep_s, 1)
    result["cpu_count"] = os.cpu_count()
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    # One file, one entry per writer kind, so both runs can be compared side by side.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    if not isinstance(runs, dict) or "readers" in runs:
        runs = {}
    runs[args.writer] = result
    args.out.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    bad = (
        result["errors"]
        or result["half_articles_seen"]
        or result["writer"].get("exit") not in (0, None, 143)
        or result["writer"].get("errors")
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
