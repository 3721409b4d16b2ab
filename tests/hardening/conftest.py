"""Fixtures for the hardening suite: real processes, real faults, loopback only.

Everything here starts real programs (``aikg ingest``, ``aikg serve``, the Oxigraph
server) on 127.0.0.1 and tears them down even when a test fails. The corpus is
synthetic: short articles naming real AI companies, so spaCy runs fast while the
gazetteer, relation layer, mapping and validation all take part.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kg.derived import NOT_DERIVED
from kg.namespaces import ONTOLOGY, SCHEMA
from kg.store import LocalStore
from tests.servers import (  # noqa: F401 (re-exported to the tests here)
    LOOPBACK,
    OxigraphServer,
    aikg_bin,
    child_env,
    free_port,
    kill_group,
    oxigraph_bin,
)
from tests.servers import (
    AikgServer as _AikgServer,
)

REPO = Path(__file__).resolve().parents[2]
TOKEN = "hardening-token-7c41e2b9d0"

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


def make_corpus(path: Path, n: int, *, seed: int = 7, prefix: str = "hard") -> list[dict]:
    """Write ``n`` short synthetic articles as JSON Lines; return the records in order."""
    rnd = random.Random(seed)
    records = []
    for i in range(n):
        a, b, c = rnd.sample(COMPANIES, 3)
        text = (
            f"{a} {rnd.choice(VERBS)} {b} in deal number {i} of the {prefix} series. "
            f"{c} said it {rnd.choice(VERBS)} {a} last week. "
            f"Analysts expect more news from {b}."
        )
        records.append(
            {
                "url": f"https://example.org/{prefix}/{i}",
                "title": f"{prefix} story {i}",
                "published": "2024-05-01",
                "text": text,
            }
        )
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return records


# ---------------------------------------------------------------- store checks


def article_urls(store: LocalStore) -> list[str]:
    """Return the url of every article graph (with repeats, if an article were doubled)."""
    q = f"SELECT ?u WHERE {{ GRAPH ?g {{ ?g <{SCHEMA}url> ?u }} }}"
    return [r["u"].value for r in store.query(q)]


def graph_sizes(store: LocalStore) -> dict[str, int]:
    """Return url -> number of quads in that article's graph."""
    q = f"SELECT ?u (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{SCHEMA}url> ?u }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?u"
    return {r["u"].value: int(r["n"].value) for r in store.query(q)}


# The time index (kg.timeindex) is derived data in a graph of its own, outside the union
# and not an article: both checks leave it out by name.
UNION_BROKEN = (
    "ASK { { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } "
    f"UNION {{ GRAPH ?g {{ ?s ?p ?o }} {NOT_DERIVED} FILTER NOT EXISTS {{ ?s ?p ?o }} }} }}"
)
ORPHAN_GRAPHS = (
    f"SELECT ?g WHERE {{ GRAPH ?g {{ ?x ?y ?z }} {NOT_DERIVED} "
    f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?g <{ONTOLOGY}sha256> ?h }} }} }}"
)


def union_consistent(store: LocalStore) -> bool:
    """Return whether the default graph is exactly the union of the named graphs."""
    return not bool(store.query(UNION_BROKEN))


@dataclass
class StoreCheck:
    """What one inspection of a store found."""

    articles: int
    distinct_urls: int
    union_ok: bool
    conforms: bool
    orphan_graphs: int


def check_open_store(store) -> tuple[StoreCheck, list[str], dict[str, int]]:
    """Look at an open store (local or remote): urls, graph sizes, union, shapes."""
    from kg.validate import validate_store

    urls = article_urls(store)
    sizes = graph_sizes(store)
    orphans = len({r["g"].value for r in store.query(ORPHAN_GRAPHS)})
    report = validate_store(store)
    return StoreCheck(len(urls), len(set(urls)), union_consistent(store), report.conforms, orphans), urls, sizes


def inspect_store(path: Path) -> tuple[StoreCheck, list[str], dict[str, int]]:
    """Open a store directory after a fault (taking the writer lock) and look at it."""
    with LocalStore(path) as store:
        return check_open_store(store)


def assert_whole_batches(urls: list[str], order: list[str], batch: int) -> int:
    """Assert a store holds exactly the first k batches of the input, each article once; return k."""
    assert len(urls) == len(set(urls)), "an article is stored twice"
    held = set(urls)
    k, rem = divmod(len(held), batch)
    assert rem == 0 or len(held) == len(order), f"{len(held)} articles is not a whole number of batches"
    assert held == set(order[: len(held)]), "the store holds articles of a batch that was not committed"
    return k


def incomplete(sizes: dict[str, int], reference: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Return url -> (quads held, quads of a clean run) for every article not held whole."""
    return {u: (n, reference.get(u, -1)) for u, n in sizes.items() if n != reference.get(u)}


# ---------------------------------------------------------------- processes


class AikgServer(_AikgServer):
    """:class:`tests.servers.AikgServer` with the hardening suite's write token."""

    def __init__(self, store: str, workdir: Path, *, token: str | None = TOKEN, **kw: str):
        super().__init__(store, workdir, token=token, **kw)


def run_ingest(
    paths: list[str], store: str, *, batch_size: int = 10, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run ``aikg ingest --json`` to completion and return the finished process."""
    return subprocess.run(
        [aikg_bin(), "ingest", *paths, "--store", store, "--batch-size", str(batch_size), "--json"],
        capture_output=True,
        text=True,
        env=env or child_env(),
        timeout=timeout,
    )


def sparql_json(base_or_url: str, query: str, timeout: float = 30) -> list[dict]:
    """GET a SELECT from a SPARQL endpoint and return its bindings."""
    r = httpx.get(
        base_or_url, params={"query": query}, timeout=timeout, headers={"Accept": "application/sparql-results+json"}
    )
    r.raise_for_status()
    return r.json()["results"]["bindings"]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def corpus200(tmp_path_factory) -> tuple[Path, list[dict]]:
    """Return the 200-article JSON Lines corpus and its records."""
    d = tmp_path_factory.mktemp("corpus")
    path = d / "corpus200.jsonl"
    return path, make_corpus(path, 200)


@dataclass
class Reference:
    """A clean, uninterrupted ingest of the 200-article corpus."""

    store: Path
    sizes: dict[str, int]
    seconds: float
    summary: dict


@pytest.fixture(scope="session")
def reference200(corpus200, tmp_path_factory) -> Reference:
    """Ingest the corpus once without faults: what every faulted run must end up equal to."""
    path, _ = corpus200
    store = tmp_path_factory.mktemp("reference") / "store"
    t0 = time.monotonic()
    done = run_ingest([str(path)], str(store))
    seconds = time.monotonic() - t0
    assert done.returncode == 0, done.stderr
    with LocalStore(store) as s:
        sizes = graph_sizes(s)
    return Reference(store, sizes, seconds, json.loads(done.stdout))


@pytest.fixture
def servers() -> Iterator[list]:
    """Collect every server a test starts, and stop them all at the end."""
    started: list = []
    yield started
    for srv in started:
        srv.stop()
