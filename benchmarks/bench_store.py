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


def _precision(rnd: random.Random, d: date) -> str:
    """Return the day, its month or its year, as a sentence might give it."""
    return rnd.choice((d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]))


def _zipf_cum(n: int, s: float) -> list[float]:
    """Return the cumulative weights of ranks 0..n-1 under Zipf's law with exponent ``s``."""
    out, total = [], 0.0
    for r in range(n):
        total += 1.0 / (r + 1) ** s
        out.append(total)
    return out


class RealisticShape:
    """Who is said to relate to whom in ``synthetic_corpus(shape="realistic")``.

    Chosen from what AI news looks like, before any query was timed on it, and not
    changed after (docs/TIME.md, "How fast"):

    - **Mentions are heavy-tailed** (``MENTION_ZIPF = 1.0``). An entity's share of the
      subjects (and of the objects) of a predicate falls as 1/rank, Zipf's law, which is
      how names are spread over news text: with 5,000 organizations the first takes
      about 11% of the picks, as OpenAI, Nvidia or Microsoft are in a large share of AI
      stories, the tenth about 1%, the median a few in 100,000. Both sides are skewed,
      so the most mentioned company is also the most common object (the pareto shape
      drew objects uniformly).
    - **A career is a handful of jobs** (``CAREER_JOBS``: 1 to 5 employers, 1 or 2 the
      most common). Careers begin between 2000 and 2018 (``CAREER_START``); each job
      lasts 1 to 8 years (``JOB_YEARS``), the next one starts within six months; the
      last job is still held with probability ``STILL_THERE = 0.75``. Employers are drawn
      with a flatter Zipf (``EMPLOYER_ZIPF = 0.8``): the big companies employ many of the
      people in the news, less overwhelmingly than they are mentioned. A job includes a
      leading role (chief executive, head of a lab) with probability ``LEADS = 0.25``,
      from some time into the job until its end. A person mentioned a thousand times is
      mentioned about the same few organizations.
    - **Which job a sentence tells**: of the jobs begun by the article's day, the latest
      with probability ``TELLS_LATEST = 0.7`` (news is about the present), else any (a
      profile's history). A job over by then is told as over ("former", "left") with
      probability ``SAYS_ENDED = 0.9``, with its end date given in 60% of those; the rest
      recount it in the present with its start ("who joined in 2015"), as profiles do. A
      job still held is told with its start in 30% of sentences. A leads sentence about
      someone who never led anything is a works-for sentence.
    - **A portfolio is bounded** (``PORTFOLIO_MAX = 300``, ``PORTFOLIO_DECAY = 0.75``):
      the investor of mention rank r holds max(2, 300 / (r + 1) ** 0.75) companies, 300
      for the most mentioned (the largest venture firms hold a few hundred AI companies,
      not thousands), about 53 for the tenth, 2 for the long tail. Its companies are
      drawn with ``EMPLOYER_ZIPF`` (popular companies raise from many investors); each
      holding starts between 2012 and mid-2025, has one deal size and currency (disclosed in 60%
      of sentences), and is sold with probability ``EXITS = 0.15`` one to six years later.
      A sentence names the holding by a 1/rank pick within the portfolio (the big deals
      are retold), among those begun by its day; a sold one is told as sold with
      probability ``SAYS_ENDED``.
    - **Founders found their first employer**; every other predicate draws subject and
      object by ``MENTION_ZIPF`` and takes its time fields from :func:`time_fields`.
    """

    MENTION_ZIPF = 1.0
    EMPLOYER_ZIPF = 0.8
    CAREER_JOBS = ((1, 30), (2, 30), (3, 20), (4, 12), (5, 8))
    CAREER_START = (date(2000, 1, 1), date(2018, 12, 31))
    JOB_YEARS = (1, 8)
    STILL_THERE = 0.75
    LEADS = 0.25
    TELLS_LATEST = 0.7
    SAYS_ENDED = 0.9
    PORTFOLIO_MAX = 300
    PORTFOLIO_DECAY = 0.75
    HOLDING_START = (date(2012, 1, 1), date(2025, 6, 30))
    EXITS = 0.15

    def __init__(self, by_type: dict[str, list[Entity]], rnd: random.Random):
        self.by_type = by_type
        self.mention_cum = {t: _zipf_cum(len(es), self.MENTION_ZIPF) for t, es in by_type.items()}
        orgs = by_type["Organization"]
        employer_cum = _zipf_cum(len(orgs), self.EMPLOYER_ZIPF)
        self.index = {e.name: i for t in by_type for i, e in enumerate(by_type[t])}
        self.careers: list[list[tuple[Entity, date, date | None, date | None]]] = []
        for _person in by_type["Person"]:
            n = rnd.choices([k for k, _ in self.CAREER_JOBS], [w for _, w in self.CAREER_JOBS])[0]
            lo, hi = self.CAREER_START
            day = lo + timedelta(days=rnd.randrange((hi - lo).days))
            jobs = []
            for j in range(n):
                org = rnd.choices(orgs, cum_weights=employer_cum)[0]
                length = timedelta(days=rnd.randrange(365 * self.JOB_YEARS[0], 365 * self.JOB_YEARS[1]))
                last = j == n - 1
                end = None if (last and rnd.random() < self.STILL_THERE) else day + length
                if end is not None and end > date(2025, 12, 31):
                    end = None
                lead = None
                if rnd.random() < self.LEADS:
                    lead = day + timedelta(days=rnd.randrange(1 + length.days // 2))
                jobs.append((org, day, end, lead))
                if end is None:
                    break
                day = end + timedelta(days=rnd.randrange(180))
            self.careers.append(jobs)
        self.employer_cum = employer_cum
        self.portfolios: dict[int, list[tuple[Entity, date, date | None, str, str]]] = {}
        self.seed = rnd.randrange(2**32)

    def pick(self, rnd: random.Random, kind: str) -> Entity:
        """Return an entity of a type, drawn by mention rank."""
        return rnd.choices(self.by_type[kind], cum_weights=self.mention_cum[kind])[0]

    def portfolio(self, at: int) -> list[tuple[Entity, date, date | None, str, str]]:
        """Return the holdings of the investor of rank ``at``: (company, start, sold on, millions, currency)."""
        if at not in self.portfolios:
            rnd = random.Random(self.seed + at)
            orgs = self.by_type["Organization"]
            size = min(len(orgs) - 1, max(2, round(self.PORTFOLIO_MAX / (at + 1) ** self.PORTFOLIO_DECAY)))
            chosen: dict[int, None] = {}
            while len(chosen) < size:
                i = rnd.choices(range(len(orgs)), cum_weights=self.employer_cum)[0]
                if i != at:
                    chosen[i] = None
            lo, hi = self.HOLDING_START
            held = []
            for i in chosen:
                start = lo + timedelta(days=rnd.randrange((hi - lo).days))
                sold = start + timedelta(days=rnd.randrange(365, 6 * 365)) if rnd.random() < self.EXITS else None
                millions = rnd.choice((10, 25, 50, 100, 250, 500, 1000, 2000, 10000))
                currency = rnd.choices([c for c, _ in CURRENCIES], [w for _, w in CURRENCIES])[0]
                held.append((orgs[i], start, sold, str(millions), currency))
            self.portfolios[at] = held
        return self.portfolios[at]

    def mention(
        self, rnd: random.Random, trnd: random.Random, predicate: str, day: date, with_time: bool
    ) -> tuple[str, Entity, Entity, dict | None]:
        """Return (predicate, subject, object, time fields or None for :func:`time_fields`) of one sentence."""
        st, ot = TYPES_FOR.get(predicate, ("Organization", "Organization"))
        if predicate in ("worksFor", "leads", "founded"):
            person = self.pick(rnd, "Person")
            jobs = self.careers[self.index[person.name]]
            if predicate == "founded":
                return predicate, person, jobs[0][0], None
            if predicate == "leads" and not any(j[3] for j in jobs):
                predicate = "worksFor"
            spells = [(org, lead if predicate == "leads" else begun, end) for org, begun, end, lead in jobs]
            spells = [sp for sp in spells if sp[1] is not None]
            begun = [sp for sp in spells if sp[1] <= day] or spells[:1]
            org, begin, end = begun[-1] if rnd.random() < self.TELLS_LATEST else rnd.choice(begun)
            return predicate, person, org, (self._told(trnd, begin, end, day) if with_time else {})
        if predicate == "investsIn":
            investor = self.pick(rnd, "Organization")
            held = self.portfolio(self.index[investor.name])
            begun = [h for h in held if h[1] <= day] or held
            cum = _zipf_cum(len(begun), self.MENTION_ZIPF)
            target, begin, sold, millions, currency = rnd.choices(begun, cum_weights=cum)[0]
            if not with_time:
                return predicate, investor, target, {}
            out = self._told(trnd, begin, sold, day, start_share=0.4)
            if trnd.random() < 0.6:
                out["amount"] = f"{millions} million"
                out["amount_value"] = str(int(millions) * 1_000_000)
                out["amount_currency"] = currency
            return predicate, investor, target, out
        return predicate, self.pick(rnd, st), self.pick(rnd, ot), None

    def _told(self, rnd: random.Random, begin: date, end: date | None, day: date, start_share: float = 0.3) -> dict:
        """Return the time fields of a sentence of ``day`` about a spell from ``begin`` to ``end``."""
        if end is not None and end <= day and rnd.random() < self.SAYS_ENDED:
            out: dict = {"ended": True}
            if rnd.random() < 0.6:
                when = _precision(rnd, end)
                out.update(date=when, date_text=f"in {when}", end_date=when)
            return out
        out = {"ended": False}
        over = end is not None and end <= day
        if begin <= day and (over or rnd.random() < start_share):
            when = _precision(rnd, begin)
            out.update(date=when, date_text=f"since {when}", start_date=when)
        return out


SHAPES = ("pareto", "realistic")


def synthetic_corpus(
    n_articles: int,
    n_entities: int = 5000,
    rels_per_article: int = 6,
    seed: int = 7,
    with_time: bool = False,
    shape: str = "pareto",
):
    """Return (articles, extraction by article id) with a skewed, realistic-looking entity use.

    ``shape`` says how subjects and objects are drawn:

    - ``"pareto"`` (the default, what every benchmark used before): each subject is a
      Pareto(1.2) pick among the entities of its type, each object a uniform pick. The
      skew piles one entity's statements on every predicate it is subject of, so the
      busiest person "works for" thousands of organizations at once and the busiest
      investor holds thousands of companies: no one in the news does.
    - ``"realistic"``: see :class:`RealisticShape` (mentions heavy-tailed on both sides,
      careers and portfolios bounded as they are in the world).

    ``with_time`` gives the mentions endings, dates and amounts (see :func:`time_fields`;
    with the realistic shape, careers and holdings fix them, see :class:`RealisticShape`),
    drawn from a second random stream: the articles, entities and triples are the same
    either way.
    """
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, got {shape!r}")
    rnd = random.Random(seed)
    trnd = random.Random(seed + 1)
    by_type = {
        t: [Entity(f"{t} {i}", t, f"Q{100000 + i}" if i % 3 == 0 else None) for i in range(n_entities // 4)]
        for t in ("Organization", "Person", "AIModel", "Product")
    }
    start = date(2019, 1, 1)
    real = RealisticShape(by_type, random.Random(seed + 2)) if shape == "realistic" else None
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
            if real is not None:
                p, s, o, extra = real.mention(rnd, trnd, p, a.published, with_time)
            else:
                # Pareto-skewed picks: a few hubs, a long tail.
                s = by_type[st][min(int(rnd.paretovariate(1.2)) - 1, len(by_type[st]) - 1)]
                o = by_type[ot][rnd.randrange(len(by_type[ot]))]
                extra = None
            if s != o:
                sent = f"{s.name} and {o.name} in sentence {rnd.randrange(1000)}."
                if extra is None:
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
