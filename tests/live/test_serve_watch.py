"""`aikg serve --watch FEED --every 1s`: the server polls the local site and serves what it ingests."""

from __future__ import annotations

import signal
import time

import httpx
import pytest

from tests.live.conftest import FULL_TEXT, PAGES, SLOW
from tests.servers import AikgServer, kill_group

pytestmark = pytest.mark.slow


def test_server_polls_feed_and_queries_see_new_articles(news_site, tmp_path):
    site, base = news_site.site, news_site.base
    site.slow.clear()  # the server fetches with the default timeout: the slow page is read too
    expected = {base + p[0] for p in PAGES} | {base + FULL_TEXT[0], base + SLOW}
    server = AikgServer(
        tmp_path / "store",
        tmp_path,
        log_level="warning",
        verbose=False,
        args=("--watch", base + "/feed.xml", "--every", "1s"),
        query_workers="1",
    )
    server.start(180)
    proc, url = server.proc, server.url
    try:
        deadline = time.monotonic() + 180
        total = 0
        while time.monotonic() < deadline and total < len(expected):
            assert proc.poll() is None, server.output()
            try:
                total = httpx.get(url + "/articles", timeout=5).json()["total"]
            except (httpx.TransportError, ValueError):
                pass
            time.sleep(0.5)
        assert total == len(expected), server.output()
        # The query engine sees the write (SPARQL goes through the isolated engines).
        rows = httpx.get(
            url + "/sparql",
            params={"query": "SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?a <https://schema.org/url> ?u }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=10,
        ).json()
        assert rows["results"]["bindings"][0]["n"]["value"] == str(len(expected))
        listed = {a["url"] for a in httpx.get(url + "/articles", timeout=5).json()["items"]}
        assert listed == expected
        # Later rounds cost one 304 each.
        while "round 2:" not in server.output():
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.2)
        assert "round 2: 0 fetched, 1 not modified, 0 new articles" in server.output()
        # uvicorn re-raises the signal once it has shut down, so the exit status is SIGTERM's.
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) in (0, -signal.SIGTERM), server.output()
    finally:
        kill_group(proc)
    text = server.output()
    assert "round 1:" in text and f"{len(expected)} new articles" in text and "Traceback" not in text, text
    assert text.count(f"skipped {base}/news/broken") == 1, text
