"""Store speed as ratios against raw pyoxigraph in the same run.

1. Writing: RDF mapping + idempotency checks + an atomic commit per batch of a synthetic
   corpus (default 10,000 articles) through ``kg.loader``, against pyoxigraph bulk-loading
   the very same quads (target ratio >= 0.6); the same with each commit forced through a
   transaction (the earlier write path); and the same through ``LocalStore.bulk_mode``
   (``aikg ingest --bulk``: a first load, not crash-safe per batch).
2. Reading a store of 1M+ triples: a one-hop neighbourhood query and a GROUP BY over all
   relations, through ``kg`` (LocalStore.query with a bound parameter) and through raw
   pyoxigraph (the same query text with the IRI pasted in).

Usage: python benchmarks/bench_store.py [--articles 10000] [--big-articles 60000]
Writes benchmarks/results/store.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

from kg import loader
from kg.mapping import extraction_quads
from kg.model import PREDICATES, Article, Entity, Extraction, RelationMention
from kg.store import LocalStore
from kg.store import local as store_mod  # LocalStore reads ATOMIC_BULK_QUADS there

TYPES_FOR = {
    "develops": ("Organization", "AIModel"),
    "uses": ("Organization", "Product"),
    "leads": ("Person", "Organization"),
    "worksFor": ("Person", "Organization"),
    "founded": ("Person", "Organization"),
    "acquires": ("Organization", "Organization"),
}


CURRENCIES = (("USD", 0.7), ("EUR", 0.2), ("GBP", 0.1))
# Predicates whose statements the news often tells as over (left, stepped down, sold).
ENDS_OFTEN = {"worksFor": 0.2, "leads": 0.2, "investsIn": 0.08, "partnersWith": 0.08, "sues": 0.1}


def _iso_near(rnd: random.Random, day: date) -> str:
    """Return a day, month or year up to two years before ``day``, at a random precision."""
    d = day - timedelta(days=rnd.randrange(730))
    return rnd.choice((d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]))


def time_fields(rnd: random.Random, predicate: str, published: date) -> dict:
    """Return the time and amount fields of one synthetic mention (RelationMention keywords).

    About a third of the mentions state a date, endings are common for jobs and
    leadership, and most investments carry a normalized amount, drawn from a few round
    sums so that articles repeat the same deal.
    """
    out: dict = {"ended": rnd.random() < ENDS_OFTEN.get(predicate, 0.03)}
    if rnd.random() < 0.35:
        when = _iso_near(rnd, published)
        out.update(date=when, date_text=f"in {when}")
        if out["ended"] and rnd.random() < 0.7:
            out["end_date"] = when
        elif not out["ended"] and predicate in ("worksFor", "leads", "investsIn") and rnd.random() < 0.6:
            out["start_date"] = when
    if predicate in ("investsIn", "acquires") and rnd.random() < 0.6:
        millions = rnd.choice((10, 25, 50, 100, 250, 500, 1000, 2000, 10000))
        out["amount"] = f"{millions} million"
        out["amount_value"] = str(millions * 1_000_000)
        out["amount_currency"] = rnd.choices([c for c, _ in CURRENCIES], [w for _, w in CURRENCIES])[0]
    return out


def synthetic_corpus(
    n_articles: int, n_entities: int = 5000, rels_per_article: int = 6, seed: int = 7, with_time: bool = False
):
    """Return (articles, extraction by article id) with a skewed, realistic-looking entity use.

    ``with_time`` gives the mentions endings, dates and amounts (see :func:`time_fields`),
    drawn from a second random stream: the articles, entities and triples are the same
    either way.
    """
    rnd = random.Random(seed)
    trnd = random.Random(seed + 1)
    by_type = {
        t: [Entity(f"{t} {i}", t, f"Q{100000 + i}" if i % 3 == 0 else None) for i in range(n_entities // 4)]
        for t in ("Organization", "Person", "AIModel", "Product")
    }
    start = date(2019, 1, 1)
    articles, extractions = [], {}
    for i in range(n_articles):
        words = " ".join(
            rnd.choice(
                (
                    "Microsoft",
                    "invests",
                    "in",
                    "OpenAI",
                    "partners",
                    "with",
                    "model",
                    "lab",
                    "chips",
                    "cloud",
                    "deal",
                    "billion",
                )
            )
            for _ in range(60)
        )
        a = Article(
            f"Article {i}. {words}.",
            url=f"https://news.example.org/{i}",
            title=f"Story {i}",
            published=start + timedelta(days=i % 2500),
        )
        rels = []
        for _ in range(rels_per_article):
            p = rnd.choice(PREDICATES)
            st, ot = TYPES_FOR.get(p, ("Organization", "Organization"))
            # Pareto-skewed picks: a few hubs, a long tail.
            s = by_type[st][min(int(rnd.paretovariate(1.2)) - 1, len(by_type[st]) - 1)]
            o = by_type[ot][rnd.randrange(len(by_type[ot]))]
            if s != o:
                sent = f"{s.name} and {o.name} in sentence {rnd.randrange(1000)}."
                extra = time_fields(trnd, p, a.published) if with_time else {}
                rels.append(
                    RelationMention(
                        s,
                        p,
                        o,
                        round(rnd.uniform(0.5, 0.99), 2),
                        sent,
                        0,
                        len(sent),
                        hedged=rnd.random() < 0.1,
                        **extra,
                    )
                )
        ents = tuple({e.name: e for r in rels for e in (r.subject, r.object)}.values())
        extractions[a.id] = Extraction(a, ents, tuple(rels), "bench/1")
        articles.append(a)
    return articles, extractions


def bench_write(n_articles: int, batch_size: int) -> dict:
    articles, extractions = synthetic_corpus(n_articles)
    load_before = os.getloadavg()

    def extract(batch):
        return (extractions[a.id] for a in batch)

    with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2:
        store = LocalStore(Path(d1) / "kg")
        c0, t0 = time.process_time(), time.perf_counter()
        summary = loader.ingest(store, articles, extract, batch_size=batch_size)
        store.flush()
        ours, ours_cpu = time.perf_counter() - t0, time.process_time() - c0
        quads = len(store)
        store.close()
        # The same through a transaction per commit (the earlier write path), for a
        # before/after under the same load.
        tx_store = LocalStore(Path(d1) / "kg-tx")
        saved, store_mod.ATOMIC_BULK_QUADS = store_mod.ATOMIC_BULK_QUADS, 0
        try:
            c0, t0 = time.process_time(), time.perf_counter()
            loader.ingest(tx_store, articles, extract, batch_size=batch_size)
            tx_store.flush()
            tx, tx_cpu = time.perf_counter() - t0, time.process_time() - c0
        finally:
            store_mod.ATOMIC_BULK_QUADS = saved
            tx_store.close()
        bulk_store = LocalStore(Path(d1) / "kg-bulk")
        t0 = time.perf_counter()
        with bulk_store.bulk_mode():
            loader.ingest(bulk_store, articles, extract, batch_size=batch_size)
        bulk = time.perf_counter() - t0
        bulk_store.close()

        # Baseline: the same quads (article graphs + union graph), pre-serialized, bulk-loaded.
        when = None
        buf = io.BytesIO()
        all_quads = []
        for a in articles:
            qs = extraction_quads(extractions[a.id], ingested_at=when)
            all_quads.extend(qs)
            all_quads.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in qs)
        ox.serialize(all_quads, buf, format=ox.RdfFormat.N_QUADS)
        data = buf.getvalue()
        raw = ox.Store(str(Path(d2) / "raw"))
        c0, t0 = time.process_time(), time.perf_counter()
        raw.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        raw.flush()
        base, base_cpu = time.perf_counter() - t0, time.process_time() - c0
        raw_quads = len(raw)
        del raw
    return {
        "articles": n_articles,
        "batch_size": batch_size,
        "relations": summary.relations,
        "quads_kg": quads,
        "quads_raw": raw_quads,
        "kg_seconds": round(ours, 3),
        "raw_bulk_load_seconds": round(base, 3),
        "ratio": round(base / ours, 3),
        "target": 0.6,
        "kg_transaction_seconds": round(tx, 3),
        "transaction_ratio": round(base / tx, 3),
        # CPU seconds of this process (all its threads): less sensitive to a shared machine.
        "kg_cpu_seconds": round(ours_cpu, 3),
        "kg_transaction_cpu_seconds": round(tx_cpu, 3),
        "raw_bulk_load_cpu_seconds": round(base_cpu, 3),
        "cpu_ratio": round(base_cpu / ours_cpu, 3),
        "transaction_cpu_ratio": round(base_cpu / tx_cpu, 3),
        "kg_bulk_seconds": round(bulk, 3),
        "bulk_ratio": round(base / bulk, 3),
        "kg_articles_per_s": round(n_articles / ours, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def _p50(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_read(n_articles: int, repeat: int) -> dict:
    articles, extractions = synthetic_corpus(n_articles, n_entities=20000, rels_per_article=5, seed=11)
    with tempfile.TemporaryDirectory() as d:
        # Build it fast: bulk-load the mapped quads (the layout kg writes), then open through kg.
        buf = io.BytesIO()
        qs_all = []
        for a in articles:
            qs = extraction_quads(extractions[a.id])
            qs_all.extend(qs)
            qs_all.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in qs)
        ox.serialize(qs_all, buf, format=ox.RdfFormat.N_QUADS)
        del qs_all
        raw = ox.Store(str(Path(d) / "s"))
        raw.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
        raw.flush()
        del raw
        store = LocalStore(Path(d) / "s")
        triples = len(list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
        n_triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
        hub = ox.NamedNode("https://w3id.org/aikg/entity/organization-0")
        one_hop = 'SELECT ?p ?o WHERE { { ?e ?p ?o } UNION { ?o ?p ?e } FILTER(STRSTARTS(STR(?p), "https://w3id.org/aikg/ontology#")) }'
        raw_one_hop = one_hop.replace("?e", f"<{hub.value}>")
        group = (
            "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?s a ?t . "
            'FILTER(STRSTARTS(STR(?p), "https://w3id.org/aikg/ontology#")) } GROUP BY ?p'
        )
        ox_store = store.oxigraph
        res = {
            "triples_union_graph": n_triples,
            "quads": len(store),
            "one_hop_rows": len(list(store.query(one_hop, substitutions={"e": hub}))),
        }
        res["one_hop_kg_ms"] = round(
            1000 * _p50(lambda: list(store.query(one_hop, substitutions={"e": hub})), repeat), 3
        )
        res["one_hop_raw_ms"] = round(1000 * _p50(lambda: list(ox_store.query(raw_one_hop)), repeat), 3)
        res["group_by_kg_ms"] = round(1000 * _p50(lambda: list(store.query(group)), max(3, repeat // 10)), 1)
        res["group_by_raw_ms"] = round(1000 * _p50(lambda: list(ox_store.query(group)), max(3, repeat // 10)), 1)
        res["one_hop_ratio"] = round(res["one_hop_raw_ms"] / res["one_hop_kg_ms"], 3)
        res["group_by_ratio"] = round(res["group_by_raw_ms"] / res["group_by_kg_ms"], 3)
        store.close()
        del triples
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--big-articles", type=int, default=30000, help="articles for the 1M-triple read store")
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "store.json"))
    ap.add_argument(
        "--write-only", action="store_true", help="measure writing only; the read results already in --out are kept"
    )
    args = ap.parse_args()
    write = bench_write(args.articles, args.batch_size)
    print(
        f"write: {write['articles']} articles, {write['quads_kg']} quads: kg {write['kg_seconds']} s, "
        f"raw bulk_load {write['raw_bulk_load_seconds']} s, ratio {write['ratio']} (target >= 0.6); "
        f"through transactions {write['kg_transaction_seconds']} s, ratio {write['transaction_ratio']}; "
        f"CPU ratio {write['cpu_ratio']} (through transactions {write['transaction_cpu_ratio']}); "
        f"kg --bulk {write['kg_bulk_seconds']} s, ratio {write['bulk_ratio']}"
    )
    out = Path(args.out)
    if args.write_only:
        kept = json.loads(out.read_text()) if out.exists() else {}
        out.write_text(json.dumps({**kept, "write": write}, indent=2) + "\n")
        return
    read = bench_read(args.big_articles, args.repeat)
    print(f"read: {read['triples_union_graph']} triples in the union graph ({read['quads']} quads)")
    print(f"  one-hop  kg {read['one_hop_kg_ms']} ms  raw {read['one_hop_raw_ms']} ms  ratio {read['one_hop_ratio']}")
    print(
        f"  group-by kg {read['group_by_kg_ms']} ms  raw {read['group_by_raw_ms']} ms  ratio {read['group_by_ratio']}"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"write": write, "read": read}, indent=2) + "\n")


if __name__ == "__main__":
    main()
