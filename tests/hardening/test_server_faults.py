"""``aikg serve`` killed and restarted under read load; queries that would run for hours.

Readers are plain HTTP clients on 127.0.0.1 sending SPARQL GETs. What a user should see:
right answers, errors only while the server is down (and only connection errors), the
same store afterwards; and a runaway query cut at AIKG_QUERY_TIMEOUT while the server
keeps answering everyone else.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest

from kg.derived import NOT_DERIVED

from .conftest import (
    TOKEN,
    AikgServer,
    aikg_bin,
    assert_whole_batches,
    child_env,
    incomplete,
    inspect_store,
    kill_group,
    run_ingest,
)

pytestmark = [pytest.mark.server]

# the article graphs (the time index, derived data, has a graph of its own)
COUNTS = (
    "SELECT (COUNT(DISTINCT ?g) AS ?articles) (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } " + NOT_DERIVED + " }"
)


@dataclass
class Outcome:
    started: float
    ended: float
    value: tuple[int, int] | None
    error: str | None


def _read_counts(client: httpx.Client, url: str) -> tuple[int, int]:
    r = client.get(url, params={"query": COUNTS}, headers={"Accept": "application/sparql-results+json"})
    r.raise_for_status()
    row = r.json()["results"]["bindings"][0]
    return int(row["articles"]["value"]), int(row["quads"]["value"])


def _reader(url: str, stop: threading.Event, out: list[Outcome]) -> None:
    with httpx.Client(timeout=10) as client:
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                value, error = _read_counts(client, url), None
            except httpx.HTTPError as exc:
                value, error = None, type(exc).__name__
                time.sleep(0.05)
            out.append(Outcome(t0, time.monotonic(), value, error))


@pytest.mark.slow
def test_serve_killed_and_restarted_under_read_load(reference200, tmp_path, servers):
    store = tmp_path / "store"
    shutil.copytree(reference200.store, store)
    expected = (len(reference200.sizes), sum(reference200.sizes.values()))
    server = AikgServer(str(store), tmp_path)
    servers.append(server)
    server.start()
    outcomes: list[Outcome] = []
    stop = threading.Event()
    readers = [threading.Thread(target=_reader, args=(server.sparql, stop, outcomes)) for _ in range(4)]
    for t in readers:
        t.start()
    downtime: list[tuple[float, float]] = []
    try:
        for _ in range(3):
            time.sleep(1.5)
            down = time.monotonic()
            server.kill9()
            time.sleep(1.0)
            server.start()
            downtime.append((down, time.monotonic()))
        time.sleep(1.5)
    finally:
        stop.set()
        for t in readers:
            t.join(timeout=30)
    server.stop()

    def while_down(o: Outcome) -> bool:
        return any(o.ended >= down and o.started <= up for down, up in downtime)

    answers = [o for o in outcomes if o.error is None]
    errors = [o for o in outcomes if o.error is not None]
    assert answers and errors, "the kills did not show: no answers or no errors at all"
    assert {o.value for o in answers} == {expected}, "a reader got a wrong count"
    assert all(while_down(o) for o in errors), [o for o in errors if not while_down(o)][:3]
    assert {o.error for o in errors} <= {"ConnectError", "RemoteProtocolError", "ReadError"}, {o.error for o in errors}
    # Right answers again after each restart.
    for _, up in downtime:
        assert any(o.started > up for o in answers)
    check, urls, sizes = inspect_store(store)
    assert check.conforms and check.union_ok and check.distinct_urls == check.articles == 200
    assert sizes == reference200.sizes
    print({"serve_kills": len(downtime), "reads_ok": len(answers), "reads_failed_while_down": len(errors)})


# ---------------------------------------------------------------- runaway queries

CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PATH = "SELECT * WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?c ?d ?e }"
PATH_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?c (!<urn:x:p>)+ ?e }"
SIMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/aikg/ontology#Article> }"
TIMEOUT = 2.0


@pytest.fixture
def slow_server(reference200, tmp_path, servers):
    store = tmp_path / "store"
    shutil.copytree(reference200.store, store)
    server = AikgServer(str(store), tmp_path, query_timeout=str(TIMEOUT))
    servers.append(server)
    server.start()
    return server


def _timed_get(url: str, query: str, timeout: float = 60) -> tuple[int | str, float]:
    t0 = time.monotonic()
    try:
        with httpx.stream(
            "GET", url, params={"query": query}, timeout=timeout, headers={"Accept": "application/sparql-results+json"}
        ) as r:
            for _ in r.iter_bytes():
                pass
            status: int | str = r.status_code
    except httpx.HTTPError as exc:
        status = type(exc).__name__
    return status, time.monotonic() - t0


@pytest.mark.parametrize(
    "query",
    [CROSS, CROSS_COUNT, PATH, PATH_COUNT],
    ids=["cross-product", "count-of-cross-product", "property-path", "count-of-path"],
)
def test_runaway_query_is_cut_and_others_are_answered(slow_server, query):
    with ThreadPoolExecutor(max_workers=2) as pool:
        runaway = pool.submit(_timed_get, slow_server.sparql, query)
        time.sleep(0.3)
        others = [_timed_get(slow_server.sparql, SIMPLE) for _ in range(5)]
        status, seconds = runaway.result(timeout=120)
    # Stopped at the deadline (503), or at the row cap if it gets there first (400): the
    # engine writes the whole result before the response starts, so nothing is cut mid-body.
    assert status in (400, 503), status
    assert seconds < TIMEOUT + 5, f"the runaway query took {seconds:.1f} s with a {TIMEOUT} s timeout"
    assert all(s == 200 for s, _ in others), others
    assert max(t for _, t in others) < TIMEOUT + 2, others


def test_more_runaway_counts_than_workers_do_not_starve_the_server(slow_server):
    workers = 4  # Settings.query_workers default
    with ThreadPoolExecutor(max_workers=workers + 1) as pool:
        runaways = [pool.submit(_timed_get, slow_server.sparql, CROSS_COUNT) for _ in range(workers + 1)]
        for f in runaways:
            f.result(timeout=120)
        status, seconds = _timed_get(slow_server.sparql, SIMPLE, timeout=30)
    assert status == 200 and seconds < TIMEOUT, (status, seconds)


@pytest.mark.slow
def test_serve_killed_while_a_pipeline_writes_through_it(corpus200, reference200, tmp_path, servers):
    path, records = corpus200
    order = [r["url"] for r in records]
    store = tmp_path / "store"
    server = AikgServer(str(store), tmp_path)
    servers.append(server)
    server.start()
    proc = subprocess.Popen(
        [aikg_bin(), "ingest", str(path), "--store", server.sparql, "--batch-size", "10", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(AIKG_TOKEN=TOKEN),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            with httpx.Client(timeout=5) as client:
                if _read_counts(client, server.sparql)[0] >= 50:
                    break
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before the server could be killed"
        server.kill9()
        out, err = proc.communicate(timeout=120)
    finally:
        kill_group(proc)
    assert proc.returncode == 1, out + err
    assert "cannot reach" in err and "Run the same command again" in err and "Traceback" not in err, err
    check, urls, sizes = inspect_store(store)
    k = assert_whole_batches(urls, order, 10)
    assert k >= 5 and check.conforms and check.union_ok and check.orphan_graphs == 0
    assert not incomplete(sizes, reference200.sizes)
    server.start()
    again = run_ingest([str(path)], server.sparql, env=child_env(AIKG_TOKEN=TOKEN))
    assert again.returncode == 0, again.stderr
    server.stop()
    check, urls, sizes = inspect_store(store)
    assert (check.articles, check.distinct_urls) == (200, 200) and sizes == reference200.sizes
    print({"serve_killed_mid_write": {"committed_batches": k}})


@pytest.mark.slow
def test_concurrent_pipelines_with_overlapping_input_store_each_article_once(corpus200, tmp_path, servers):
    """Three pipelines load the same 60 articles from differently named files at once."""
    lines = corpus200[0].read_text(encoding="utf-8").splitlines(keepends=True)[:60]
    feeds = []
    for name in ("feed-a.jsonl", "feed-b.jsonl", "feed-c.jsonl"):
        (tmp_path / name).write_text("".join(lines), encoding="utf-8")
        feeds.append(tmp_path / name)
    store = tmp_path / "store"
    server = AikgServer(str(store), tmp_path)
    servers.append(server)
    server.start()
    procs = []
    try:
        for i, feed in enumerate(feeds):
            procs.append(
                subprocess.Popen(
                    [aikg_bin(), "ingest", str(feed), "--store", server.sparql, "--batch-size", "5", "--json"],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=child_env(AIKG_TOKEN=TOKEN),
                    start_new_session=True,
                )
            )
            time.sleep(1.1 * i)
        outs = [p.communicate(timeout=240) for p in procs]
    finally:
        for p in procs:
            kill_group(p)
    assert all(p.returncode == 0 for p in procs), outs
    written = sum(json.loads(out)["new"] for out, _ in outs)
    server.stop()
    check, urls, _ = inspect_store(store)
    print({"concurrent_pipelines": {"articles": check.articles, "new_reported": written}})
    assert (check.articles, check.distinct_urls) == (60, 60)
    assert check.union_ok
    assert check.conforms, (
        f"three pipelines reported {written} new articles for 60: the same article was "
        "written more than once, with two sources / ingestedAt values"
    )


@pytest.mark.slow
def test_concurrent_posts_of_the_same_articles_store_each_once(corpus200, tmp_path, servers):
    """POST /articles checks and writes under the server's write lock: overlap is safe there."""
    records = [json.loads(line) for line in corpus200[0].read_text(encoding="utf-8").splitlines()[:20]]
    store = tmp_path / "store"
    server = AikgServer(str(store), tmp_path)
    servers.append(server)
    server.start()

    def post(_: int) -> httpx.Response:
        return httpx.post(
            server.base + "/articles", json=records, timeout=180, headers={"Authorization": f"Bearer {TOKEN}"}
        )

    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(post, range(3)))
    assert all(r.status_code == 200 for r in answers), [r.text[:200] for r in answers]
    statuses = [a["status"] for r in answers for a in r.json()["articles"]]
    assert statuses.count("new") == 20 and statuses.count("unchanged") == 40, statuses
    server.stop()
    check, _, _ = inspect_store(store)
    assert (check.articles, check.distinct_urls) == (20, 20) and check.conforms and check.union_ok


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_serve_stopped_during_post_articles_keeps_whole_batches(sig, corpus200, reference200, tmp_path, servers):
    path, records = corpus200
    order = [r["url"] for r in records]
    store = tmp_path / "store"
    server = AikgServer(str(store), tmp_path, batch_size="10")
    servers.append(server)
    server.start()
    outcome: dict = {}

    def post() -> None:
        try:
            outcome["response"] = httpx.post(
                server.base + "/articles",
                content=path.read_bytes(),
                timeout=300,
                headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
            )
        except httpx.HTTPError as exc:
            outcome["error"] = type(exc).__name__

    poster = threading.Thread(target=post)
    poster.start()
    deadline = time.monotonic() + 120
    with httpx.Client(timeout=5) as client:
        while time.monotonic() < deadline and poster.is_alive() and _read_counts(client, server.sparql)[0] < 30:
            time.sleep(0.05)
    assert poster.is_alive(), f"the post finished before the server could be stopped: {outcome}"
    os.killpg(server.proc.pid, sig)
    server.proc.wait(timeout=60)
    poster.join(timeout=60)
    check, urls, sizes = inspect_store(store)
    k = assert_whole_batches(urls, order, 10)
    assert k >= 3 and check.conforms and check.union_ok and check.orphan_graphs == 0, check
    assert not incomplete(sizes, reference200.sizes)
    # The client learns the outcome: a broken connection (kill -9), or (SIGTERM) a 503 that
    # counts the batches the store holds, unless the whole request had finished (200).
    if sig == signal.SIGTERM:
        r = outcome.get("response")
        assert r is not None, outcome
        assert (r.status_code, k) == (200, 20) or (r.status_code == 503 and r.json()["committed"]["batches"] == k), (
            r.status_code,
            r.text[:300],
            k,
        )
    elif "response" in outcome:
        assert outcome["response"].status_code == 200 and k == 20, (outcome, k)
    print(
        {
            "serve_stopped_mid_post": {
                "signal": sig.name,
                "batches": k,
                "client": outcome["response"].status_code if "response" in outcome else outcome.get("error"),
            }
        }
    )
