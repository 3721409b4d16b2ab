"""A writer killed mid-ingest leaves the embedded store with whole batches only.

LocalStore writes a batch through pyoxigraph's bulk loader (kg.store.LocalStore._insert),
which is faster than a transaction; these tests hold it to a transaction's promise by
killing (SIGKILL) a real ingest process at several moments and reading the store back.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.mapping import extraction_quads
from kg.namespaces import ONTOLOGY, article_iri
from kg.store import LocalStore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_store import synthetic_corpus  # noqa: E402

ARTICLES = 1500
BATCH = 16
INGESTED_AT = ox.NamedNode(ONTOLOGY + "ingestedAt")

# The child ingests the corpus in batches and prints how many batches it committed.
CHILD = """
import sys
sys.path.insert(0, {bench!r})
from bench_store import synthetic_corpus
from kg import loader
from kg.store import LocalStore
articles, exs = synthetic_corpus({n})
store = LocalStore({path!r})
done = 0
def on_batch(report, summary):
    global done
    done += 1
    print(done, flush=True)
loader.ingest(store, articles, lambda b: (exs[a.id] for a in b), batch_size={batch}, on_batch=on_batch)
store.close()
print("finished", flush=True)
"""


def _timeless(quads) -> set[ox.Quad]:
    """Return the quads but the ingestion time (the child's clock decides it)."""
    return {q for q in quads if q.predicate != INGESTED_AT}


def _expected() -> dict[str, set[ox.Quad]]:
    articles, exs = synthetic_corpus(ARTICLES)
    return {a.id: _timeless(extraction_quads(exs[a.id])) for a in articles}


@pytest.fixture(scope="module")
def expected():
    return _expected()


def _kill_during(path: Path, batches: int, fraction: float) -> int:
    """Start an ingest into ``path`` and SIGKILL it inside a batch; return the batches it reported.

    After ``batches`` batches the kill waits ``fraction`` of the time one batch has been
    taking, so that the runs stop it at different points of a batch, the commit included.
    """
    code = CHILD.format(bench=str(ROOT / "benchmarks"), n=ARTICLES, path=str(path), batch=BATCH)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    seen = 0
    times: list[float] = []
    try:
        for line in proc.stdout:
            if line.strip() == "finished":
                pytest.fail("the ingest finished before it was killed: give it more articles")
            seen = int(line)
            times.append(time.monotonic())
            if seen >= batches:
                period = (times[-1] - times[0]) / max(len(times) - 1, 1)
                time.sleep(fraction * period)
                os.killpg(proc.pid, signal.SIGKILL)
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert seen >= batches, proc.stderr.read()[-2000:]
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("batches,fraction", [(4, 0.2), (5, 0.45), (6, 0.7), (7, 0.9), (30, 0.6)])
def test_a_killed_ingest_leaves_whole_batches_and_a_matching_union(tmp_path, expected, batches, fraction):
    path = tmp_path / "s"
    seen = _kill_during(path, batches, fraction)
    with LocalStore(path) as store:
        graphs = {
            q.graph_name
            for q in store.oxigraph.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        }
        stored = {g.value.rsplit("/", 1)[1] for g in graphs}
        # Every batch the child saw committed is there, and nothing beyond whole batches.
        assert len(stored) >= seen * BATCH
        assert len(stored) % BATCH == 0
        named: set[ox.Triple] = set()
        for key in stored:
            quads = set(store.graph_quads(article_iri(key)))
            assert _timeless(quads) == expected[key], f"article {key} is not whole"
            assert len(quads) == len(expected[key]) + 1
            named.update(q.triple for q in quads)
        # The default graph mirrors exactly the stored articles, read through other indexes.
        union = {ox.Triple(r["s"], r["p"], r["o"]) for r in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")}
        assert union == named
        by_object = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(next(iter(by_object))["n"].value) == sum(len(expected[k]) + 1 for k in stored)
