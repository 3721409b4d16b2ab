"""`aikg watch` against the local site: rounds, restarts after SIGKILL and SIGTERM, no duplicates.

The watcher runs as a real subprocess in its own session; the test reads its JSON round
reports from stdout and counts the articles and statements in the store between runs.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from kg.store import LocalStore
from tests.live.conftest import FETCH_TIMEOUT, FULL_TEXT, PAGES, SLOW, aikg, build_site
from tests.servers import kill_group

pytestmark = pytest.mark.slow

URLS_Q = "SELECT ?g ?u WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u } }"


def start_watch(feed: str, store, *extra: str) -> tuple[subprocess.Popen, queue.Queue]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aikg",
            "watch",
            feed,
            "--store",
            str(store),
            "--every",
            "1s",
            "--json",
            "--fetch-timeout",
            FETCH_TIMEOUT,
            "--host-delay",
            "0",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:
            lines.put(json.loads(line))

    threading.Thread(target=pump, daemon=True).start()
    return proc, lines


def next_round(lines: queue.Queue, timeout: float = 120) -> dict:
    return lines.get(timeout=timeout)


def contents(store) -> tuple[list[str], int]:
    """Return the URL of every article graph (a duplicate shows twice) and the statement count."""
    with LocalStore(store) as s:
        return sorted(r["u"].value for r in s.query(URLS_Q)), len(s)


def test_watch_rounds_survive_kill_and_restart_without_duplicates(news_site, tmp_path):
    site, base = news_site.site, news_site.base
    feed = base + "/feed.xml"
    store = tmp_path / "store"
    expected = sorted([base + p[0] for p in PAGES] + [base + FULL_TEXT[0]])

    # A first watcher is killed (SIGKILL) in the middle of its first round, once it fetches pages.
    proc, _ = start_watch(feed, store)
    try:
        deadline = time.monotonic() + 120
        while not site.requests(PAGES[0][0]):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the watcher never fetched a page"
            time.sleep(0.05)
    finally:
        kill_group(proc, signal.SIGKILL)

    # Restarted, it does the whole first round; its second round is one 304.
    proc, lines = start_watch(feed, store)
    try:
        first = next_round(lines)
        assert first["new"] + first["unchanged"] == 5 and first["replaced"] == 0, first
        assert {f["source"] for f in first["failures"]} >= {base + "/news/broken"}
        site.clear_log()
        second = next_round(lines)
        assert (second["fetched"], second["not_modified"], second["new"], second["failed"]) == (0, 1, 0, 0), second
        # (A request for the slow page that timed out in round 1 may still be logged now.)
        assert [r[1] for r in site.requests() if r[0] != SLOW] == [304], site.requests()
        # SIGTERM: it stops between batches and exits 0.
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        err = proc.stderr.read()
        assert "stopped by SIGTERM" in err and "Traceback" not in err, err
        assert "round 2: 0 fetched, 1 not modified, 0 new articles" in err
    finally:
        kill_group(proc)
    assert contents(store)[0] == expected

    # The site changes one article; a restarted watcher re-ingests it once, then nothing.
    build_site(site, base, changed=True)
    proc, lines = start_watch(feed, store, "--rounds", "2")
    try:
        third = next_round(lines)
        assert (third["new"], third["replaced"]) == (0, 1), third
        fourth = next_round(lines)
        assert (fourth["new"], fourth["replaced"], fourth["fetched"]) == (0, 0, 0), fourth
        assert proc.wait(timeout=60) == 0
    finally:
        kill_group(proc)
    after_urls, after_statements = contents(store)
    assert after_urls == expected
    assert os.path.exists(store / "aikg-fetch-state.json")
    # As many statements as one clean ingest of the site as it is now: nothing twice, nothing stale.
    fresh = tmp_path / "fresh"
    done = aikg("ingest", feed, "--store", str(fresh), "--quiet", "--fetch-timeout", FETCH_TIMEOUT, "--host-delay", "0")
    assert done.returncode == 0, done.stderr
    assert contents(fresh) == (expected, after_statements)


def test_sigterm_mid_round_stops_between_batches_and_the_next_run_completes(news_site, tmp_path):
    site, base = news_site.site, news_site.base
    feed = base + "/feed.xml"
    store = tmp_path / "store"
    expected = sorted([base + p[0] for p in PAGES] + [base + FULL_TEXT[0]])
    proc, lines = start_watch(feed, store, "--batch-size", "1")
    try:
        deadline = time.monotonic() + 120
        while not site.requests(PAGES[0][0]):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=120) == 0
        err = proc.stderr.read()
        report = next_round(lines, timeout=5)
    finally:
        kill_group(proc)
    assert report["stopped"] and "stopped by SIGTERM" in err and "Traceback" not in err, err
    assert "stopped by a signal" in err
    urls, _ = contents(store)
    assert len(urls) == len(set(urls)) < len(expected)  # whole batches only, the rest left for later
    # The fetch state of the stopped round was not kept: the next run fetches and completes it.
    proc, lines = start_watch(feed, store, "--rounds", "1")
    try:
        report = next_round(lines)
        assert proc.wait(timeout=60) == 0
    finally:
        kill_group(proc)
    assert report["new"] == len(expected) - len(urls) and report["fetched"] >= 1, report
    assert contents(store)[0] == expected
