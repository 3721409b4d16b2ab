"""`aikg ingest URL`: a feed on a local site, fetched for real over loopback sockets.

The site (tests/live/site.py) serves a feed of eight items: four linking to article pages,
one carrying its full text, one under a path robots.txt disallows, one answering 500 and
one answering after the fetch timeout. Every run is the real command in a subprocess.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from kg.store import LocalStore
from tests.live.conftest import BROKEN, FETCH_TIMEOUT, FULL_TEXT, PAGES, PRIVATE, SLOW, aikg, build_site

pytestmark = pytest.mark.slow

ARTICLES_Q = (
    "SELECT ?g ?u ?d WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u "
    "OPTIONAL { ?g <http://purl.org/dc/terms/issued> ?d } } }"
)


def ingest(feed: str, store, *extra: str) -> tuple[dict, str]:
    proc = aikg(
        "ingest", feed, "--store", str(store), "--json", "--fetch-timeout", FETCH_TIMEOUT, "--host-delay", "0", *extra
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


def stored(store) -> tuple[dict[str, list[str]], int]:
    """Return url -> the dates of the article graphs under it, and the number of statements."""
    with LocalStore(store) as s:
        out: dict[str, list[str]] = {}
        for row in s.query(ARTICLES_Q):
            out.setdefault(row["u"].value, []).append(row["d"].value if row["d"] is not None else None)
        return out, len(s)


def test_feed_ingested_then_unchanged_then_changed_item_once(news_site, tmp_path):
    site, base = news_site.site, news_site.base
    feed = base + "/feed.xml"
    store = tmp_path / "store"

    # First run: the four pages and the full-text item; the three bad items reported once each.
    summary, err = ingest(feed, store)
    assert (summary["new"], summary["articles"]) == (5, 5)
    reasons = {s["source"]: s["reason"] for s in summary["skipped"]}
    assert sorted(s["source"] for s in summary["skipped"]) == sorted([base + PRIVATE, base + BROKEN, base + SLOW])
    assert reasons[base + PRIVATE] == "disallowed by robots.txt"
    assert reasons[base + BROKEN].startswith("HTTP 500")
    assert reasons[base + SLOW].startswith("timed out")
    assert summary["fetch"]["fetched"] == 5  # the feed and four pages
    assert site.requests(PRIVATE) == [], "a path robots.txt disallows was requested"
    assert site.requests(FULL_TEXT[0]) == [], "the item carrying its full text was fetched anyway"
    assert all(r[2]["User-Agent"].startswith("aikg/") and "+http" in r[2]["User-Agent"] for r in site.requests())
    urls, statements = stored(store)
    assert sorted(urls) == sorted([base + p[0] for p in PAGES] + [base + FULL_TEXT[0]])
    assert all(len(dates) == 1 for dates in urls.values())
    # Dates from the page's metadata, and from the feed item for the full-text one.
    assert urls[base + "/news/deepmind"][0].startswith("2023-04-20")
    assert urls[base + FULL_TEXT[0]][0].startswith("2024-11-22")

    # Second run: one conditional request for the feed, answered 304; nothing ingested. The
    # items that failed are tried again, and each is reported on one line.
    site.clear_log()
    proc = aikg("ingest", feed, "--store", str(store), "--fetch-timeout", FETCH_TIMEOUT, "--host-delay", "0")
    assert proc.returncode == 0, proc.stderr
    assert "0 articles (0 new, 0 unchanged, 0 replaced), 3 skipped" in proc.stderr
    assert "fetched 0 URLs, 1 not modified, 3 failed" in proc.stderr
    for path in (PRIVATE, BROKEN, SLOW):
        assert proc.stderr.count(f"skipped {base}{path}:") == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    feed_requests = site.requests("/feed.xml")
    assert [r[1] for r in feed_requests] == [304]
    assert feed_requests[0][2].get("If-None-Match")
    assert not any(site.requests(p[0]) for p in PAGES), "pages fetched again behind an unchanged feed"
    assert site.requests("/robots.txt") == [], "robots.txt is kept for a day"
    assert stored(store) == (urls, statements)

    # The site changes one article (and so the feed): it is re-ingested, the others answer 304.
    build_site(site, base, changed=True)
    site.clear_log()
    summary, _ = ingest(feed, store)
    assert (summary["new"], summary["replaced"]) == (0, 1)
    assert [r[1] for r in site.requests("/news/mistral")] == [200]
    for path, *_ in PAGES:
        if path != "/news/mistral":
            assert [r[1] for r in site.requests(path)] == [304]
    changed_urls, changed_statements = stored(store)
    assert sorted(changed_urls) == sorted(urls) and all(len(d) == 1 for d in changed_urls.values())

    # And exactly once: the next run finds nothing new.
    summary, _ = ingest(feed, store)
    assert (summary["new"], summary["replaced"], summary["articles"]) == (0, 0, 0)
    assert stored(store) == (changed_urls, changed_statements)


def test_ctrl_c_mid_feed_then_the_rerun_stores_every_page(news_site, tmp_path):
    """Pages fetched for a batch that Ctrl-C dropped must not be remembered as seen: the
    rerun would get "not modified" for them and never store them."""
    base = news_site.base
    feed = base + "/feed.xml"
    store = tmp_path / "store"
    args = ["ingest", feed, "--store", str(store), "--json", "--fetch-timeout", FETCH_TIMEOUT, "--host-delay", "0"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "aikg", "-v", *args, "--batch-size", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        for line in proc.stderr:
            if "batch 1 committed" in line:
                break
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert json.loads(out)["stopped"] == "SIGINT"
    first, _ = stored(store)
    assert 1 <= len(first) < 5
    summary, _ = ingest(feed, store)
    urls, _ = stored(store)
    assert sorted(urls) == sorted([base + p[0] for p in PAGES] + [base + FULL_TEXT[0]])
    assert summary["new"] == 5 - len(first)
