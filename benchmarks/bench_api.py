"""Benchmark the SPARQL endpoint against raw pyoxigraph on the same synthetic store.

Builds a store of about 1M triples (entities with types and labels, random relations),
then measures, in one run:

1. a one-hop query (a bound subject's ``investsIn`` objects): p50 through HTTP vs raw
   pyoxigraph query + JSON serialization; target: HTTP within +2 ms;
2. a 100k-row SELECT: rows per second through HTTP vs raw; target: ratio >= 0.5;
3. 50 concurrent clients on loopback, each sending one-hop queries for a bounded time:
   errors, p50, p99.

Raw pyoxigraph runs first with the store open in this process; then the store is
closed and served by a uvicorn process (the server holds the store's lock).

Usage: python benchmarks/bench_api.py [--triples 1000000] [--out benchmarks/results/api.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kg.model import ENTITY_TYPES, PREDICATES  # noqa: E402
from kg.namespaces import ENTITY, ONTOLOGY, RDF, RDFS  # noqa: E402

JSON = ox.QueryResultsFormat.JSON
ONE_HOP = f"SELECT ?o WHERE {{ ?s <{ONTOLOGY}investsIn> ?o }}"
BIG = f"SELECT ?s ?o WHERE {{ ?s <{ONTOLOGY}partnersWith> ?o }} LIMIT 100000"


def build(path: Path, triples: int, seed: int = 7) -> tuple[int, list[str]]:
    """Write a synthetic store; return (triple count, entity IRIs)."""
    rng = random.Random(seed)
    n_entities = max(1000, triples // 20)
    entities = [f"{ENTITY}e{i}" for i in range(n_entities)]
    nodes = [ox.NamedNode(e) for e in entities]
    rdf_type, label = ox.NamedNode(RDF + "type"), ox.NamedNode(RDFS + "label")
    types = [ox.NamedNode(ONTOLOGY + t) for t in ENTITY_TYPES]
    preds = [ox.NamedNode(ONTOLOGY + p) for p in PREDICATES]
    # partnersWith gets a fixed share, so the 100k-row query has rows to return.
    weights = [8 if p == "partnersWith" else 1 for p in PREDICATES]
    dg = ox.DefaultGraph()

    def quads():
        for i, n in enumerate(nodes):
            yield ox.Quad(n, rdf_type, types[i % len(types)], dg)
            yield ox.Quad(n, label, ox.Literal(f"Entity number {i}"), dg)
        for _ in range(triples - 2 * len(nodes)):
            yield ox.Quad(rng.choice(nodes), rng.choices(preds, weights)[0], rng.choice(nodes), dg)

    store = ox.Store(str(path))
    store.bulk_extend(quads())
    store.flush()
    total = len(store)
    del store
    return total, entities


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def raw_measure(path: Path, subjects: list[str], reps: int) -> dict:
    store = ox.Store(str(path))
    one = []
    for s in subjects[:reps]:
        t0 = time.perf_counter()
        store.query(one_hop_text(s)).serialize(format=JSON)
        one.append(time.perf_counter() - t0)
    big = []
    rows = 0
    for _ in range(3):
        t0 = time.perf_counter()
        res = store.query(BIG)
        body = res.serialize(format=JSON)
        big.append(time.perf_counter() - t0)
        rows = json.loads(body)["results"]["bindings"].__len__()
    del store
    return {"one_hop_p50_ms": statistics.median(one) * 1000, "big_rows": rows, "big_seconds": min(big)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(path: Path, code: Path = REPO) -> tuple[subprocess.Popen, str]:
    """Serve the store at ``path`` with the aikg of the checkout ``code``; return (process, /sparql URL)."""
    port = free_port()
    env = {
        **os.environ,
        "AIKG_STORE": str(path),
        "AIKG_MAX_ROWS": "1000000",
        "AIKG_QUERY_TIMEOUT": "60",
        "PYTHONPATH": str(code),
    }
    env.pop("AIKG_TOKEN", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "aikg.cli_serve:app_factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    for _ in range(300):
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def one_hop_text(s: str) -> str:
    return ONE_HOP.replace("?s", f"<{s}>")


def http_measure(url: str, subjects: list[str], reps: int) -> dict:
    headers = {"Accept": "application/sparql-results+json"}
    with httpx.Client(timeout=60, headers=headers) as c:
        for s in subjects[:20]:  # warm the connection and the server
            c.get(url, params={"query": one_hop_text(s)})
        one = []
        for s in subjects[:reps]:
            t0 = time.perf_counter()
            r = c.get(url, params={"query": one_hop_text(s)})
            r.raise_for_status()
            one.append(time.perf_counter() - t0)
        big = []
        rows = 0
        for _ in range(3):
            t0 = time.perf_counter()
            with c.stream("GET", url, params={"query": BIG}) as r:
                body = b"".join(r.iter_bytes())
            big.append(time.perf_counter() - t0)
            rows = len(json.loads(body)["results"]["bindings"])
    return {"one_hop_p50_ms": statistics.median(one) * 1000, "big_rows": rows, "big_seconds": min(big)}


def concurrent_measure(url: str, subjects: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(k: int) -> None:
        rng = random.Random(k)
        mine, bad = [], []
        with httpx.Client(timeout=30) as c:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                try:
                    r = c.get(
                        url,
                        params={"query": one_hop_text(rng.choice(subjects))},
                        headers={"Accept": "application/sparql-results+json"},
                    )
                    if r.status_code != 200:
                        bad.append(f"HTTP {r.status_code}")
                except httpx.HTTPError as exc:
                    bad.append(type(exc).__name__)
                mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    wall = time.monotonic() - t0
    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "p50_ms": pct(latencies, 0.5) * 1000,
        "p99_ms": pct(latencies, 0.99) * 1000,
        "requests_per_s": len(latencies) / wall,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=300)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "api.json")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="aikg-bench-api-") as tmp:
        path = Path(tmp) / "store"
        t0 = time.perf_counter()
        total, entities = build(path, args.triples)
        build_s = time.perf_counter() - t0
        subjects = random.Random(1).sample(entities, min(len(entities), args.reps))
        raw = raw_measure(path, subjects, args.reps)
        proc, url = start_server(path)
        try:
            http = http_measure(url, subjects, args.reps)
            conc = concurrent_measure(url, entities, args.clients, args.seconds)
        finally:
            proc.terminate()
            proc.wait(15)

    raw_rate = raw["big_rows"] / raw["big_seconds"]
    http_rate = http["big_rows"] / http["big_seconds"]
    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "pyoxigraph": ox.__version__},
        "store": {"triples": total, "entities": len(entities), "build_seconds": round(build_s, 2)},
        "one_hop": {
            "raw_p50_ms": round(raw["one_hop_p50_ms"], 3),
            "http_p50_ms": round(http["one_hop_p50_ms"], 3),
            "overhead_ms": round(http["one_hop_p50_ms"] - raw["one_hop_p50_ms"], 3),
            "target_overhead_ms": 2.0,
            "reps": len(subjects),
        },
        "big_result": {
            "rows": http["big_rows"],
            "raw_rows_per_s": round(raw_rate),
            "http_rows_per_s": round(http_rate),
            "ratio": round(http_rate / raw_rate, 3),
            "target_ratio": 0.5,
        },
        "concurrent": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in conc.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    oh, br, cc = result["one_hop"], result["big_result"], result["concurrent"]
    rows = [
        ("store", f"{total:,} triples, {len(entities):,} entities, built in {build_s:.1f} s"),
        (
            "one-hop p50",
            f"raw {oh['raw_p50_ms']:.2f} ms, HTTP {oh['http_p50_ms']:.2f} ms, "
            f"+{oh['overhead_ms']:.2f} ms (target +2 ms)",
        ),
        (
            "100k rows",
            f"raw {br['raw_rows_per_s']:,}/s, HTTP {br['http_rows_per_s']:,}/s, ratio {br['ratio']:.2f} (target 0.5)",
        ),
        (
            f"{cc['clients']} clients",
            f"{cc['requests']} requests in {cc['seconds']} s, {cc['errors']} errors, "
            f"p50 {cc['p50_ms']:.1f} ms, p99 {cc['p99_ms']:.1f} ms",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
