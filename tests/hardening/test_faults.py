"""Faults outside aikg: the disk fills up, the remote SPARQL server dies mid-ingest.

Each test checks what a user would find afterwards: a clear message and exit code,
exactly the batches committed before the fault (whole articles only, the default graph
equal to the union), and a plain re-run that completes the work.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time

import httpx
import pytest

from kg.backend import open_store
from kg.errors import StoreError
from kg.namespaces import SCHEMA

from .conftest import (
    OxigraphServer,
    aikg_bin,
    assert_whole_batches,
    check_open_store,
    child_env,
    incomplete,
    inspect_store,
    kill_group,
    run_ingest,
)

BATCH = 10


# ---------------------------------------------------------------- disk full


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    """Mount a 3 MiB tmpfs (a whole 200-article store takes about 4.7 MiB) (needs root / CAP_SYS_ADMIN); unmount it at the end."""
    mnt = tmp_path_factory.mktemp("tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}): "
            "the disk-full test needs root or CAP_SYS_ADMIN"
        )
    try:
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.fixture(scope="module")
def filled(small_disk, corpus200):
    """Ingest the corpus into the small disk until it is full; return the finished process."""
    path, _ = corpus200
    store = small_disk / "store"
    done = run_ingest([str(path)], str(store), batch_size=BATCH)
    return store, done


@pytest.mark.slow
def test_disk_full_fails_the_batch_and_keeps_committed_batches(filled, small_disk, corpus200, reference200):
    store, done = filled
    _, records = corpus200
    assert done.returncode == 1, f"ingest did not fail on a full 3 MiB disk: {done.stdout}{done.stderr}"
    assert "write failed, nothing committed" in done.stderr
    assert "No space left on device" in done.stderr
    assert "Run the same command again" in done.stderr
    # While the disk is full the store refuses to open, with the reason.
    with pytest.raises(StoreError, match="No space left on device"):
        inspect_store(store)
    subprocess.run(["mount", "-o", "remount,size=64m", "tmpfs", str(small_disk)], check=True)
    check, urls, sizes = inspect_store(store)
    order = [r["url"] for r in records]
    k = assert_whole_batches(urls, order, BATCH)
    assert 0 < k < len(order) // BATCH, f"{k} batches: the disk did not fill mid-run"
    assert check.conforms and check.union_ok and check.orphan_graphs == 0
    assert not incomplete(sizes, reference200.sizes)
    again = run_ingest([str(corpus200[0])], str(store), batch_size=BATCH)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["unchanged"] == len(urls)
    check, urls, sizes = inspect_store(store)
    assert (check.articles, check.distinct_urls) == (200, 200)
    assert sizes == reference200.sizes and check.union_ok and check.conforms
    print(json.dumps({"disk_full": {"committed_batches_before_full": k, "stderr": done.stderr.splitlines()[0]}}))


@pytest.mark.slow
def test_disk_full_is_reported_without_a_traceback(filled):
    _, done = filled
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, (
        "aikg ingest printed a traceback on a full disk: LocalStore.close() flushes and lets the "
        "OSError out (kg/store.py close -> flush), after the clear message:\n" + done.stderr[-600:]
    )


# ---------------------------------------------------------------- remote server lost


def _count_articles(url: str) -> int:
    q = f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{SCHEMA}url> ?u }} }}"
    r = httpx.get(url, params={"query": q}, headers={"Accept": "application/sparql-results+json"}, timeout=5)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.slow
@pytest.mark.server
def test_remote_server_killed_mid_ingest_is_clear_and_resumable(corpus200, reference200, tmp_path):
    path, records = corpus200
    order = [r["url"] for r in records]
    server = OxigraphServer(tmp_path / "oxi")
    server.start()
    proc = None
    try:
        proc = subprocess.Popen(
            [aikg_bin(), "ingest", str(path), "--store", server.url, "--batch-size", str(BATCH), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and _count_articles(server.url) < 5 * BATCH:
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before the server could be killed"
        server.stop(signal.SIGKILL)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, out + err
        assert "cannot reach" in err and server.url.split("/query")[0] in err, err
        assert "Run the same command again" in err
        assert "Traceback" not in err, err
        # Same data directory, a new server process: only whole committed batches are there.
        server = OxigraphServer(tmp_path / "oxi")
        server.start()
        store = open_store(server.url)
        check, urls, sizes = check_open_store(store)
        k = assert_whole_batches(urls, order, BATCH)
        assert k >= 5
        assert check.union_ok and check.conforms and check.orphan_graphs == 0
        assert not incomplete(sizes, reference200.sizes)
        again = run_ingest([str(path)], server.url, batch_size=BATCH)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["unchanged"] == len(urls)
        check, urls, sizes = check_open_store(store)
        assert (check.articles, check.distinct_urls) == (200, 200)
        assert sizes == reference200.sizes and check.union_ok
        store.close()
        print(json.dumps({"remote_lost": {"committed_batches_before_kill": k}}))
    finally:
        if proc is not None:
            kill_group(proc)
        server.stop()
