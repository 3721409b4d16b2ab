"""The fetcher alone (ingest.fetch) against the local site: limits, politeness, OPML, state.

No spaCy here: these read what the fetcher yields, not what the store holds.
"""

from __future__ import annotations

import json
import socket

import pytest

from ingest.fetch import FetchConfig, Fetcher, FetchError, FetchState, is_url, read_urls, state_path_for
from ingest.readers import ReadFailure
from kg.model import Article
from tests.live.site import Site, SiteServer, article_page, example_text, rss

TITLE, BODY = example_text("03-google-deepmind-merger.md")
PAGE = article_page(TITLE, BODY, "2023-04-20T09:00:00Z")


@pytest.fixture()
def served():
    site = Site()
    with SiteServer(site) as server:
        site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
        yield site, server.base


def fetch_all(urls, **config) -> tuple[list, Fetcher]:
    fetcher = Fetcher(FetchConfig(host_delay=0, timeout=2, **config))
    try:
        return list(read_urls(urls, fetcher)), fetcher
    finally:
        fetcher.close()


def failures(items) -> dict[str, str]:
    return {i.source: i.reason for i in items if isinstance(i, ReadFailure)}


def test_article_page_read_like_a_saved_page(served):
    site, base = served
    site.put("/a", PAGE, "text/html; charset=utf-8")
    items, fetcher = fetch_all([base + "/a"])
    [article] = items
    assert isinstance(article, Article)
    assert article.url == base + "/a" and article.title == TITLE
    assert article.published.isoformat() == "2023-04-20"
    assert "Demis Hassabis" in article.text and "Subscribe to our newsletter" not in article.text
    assert "Home" not in article.text.split("\n")[0]
    assert fetcher.stats.fetched == 1


def test_json_ld_date_when_no_meta(served):
    site, base = served
    page = PAGE.replace(
        "<meta property='article:published_time' content='2023-04-20T09:00:00Z'>",
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "x", "datePublished": "2023-05-02T10:00:00Z"}'
        "</script>",
    )
    site.put("/ld", page, "text/html")
    [article], _ = fetch_all([base + "/ld"])
    assert article.published.isoformat() == "2023-05-02"


def test_bad_urls_each_reported_once_and_the_rest_read(served):
    site, base = served
    site.put("/a", PAGE, "text/html")
    site.put("/image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
    site.put("/huge", "<html><body><p>" + "word " * 50_000 + "</p></body></html>", "text/html")
    site.errors["/gone"] = 404
    site.put("/private/x", PAGE, "text/html")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/x"
    urls = [
        base + "/image",
        base + "/huge",
        base + "/gone",
        base + "/private/x",
        closed,
        "http://nonexistent.invalid/x",
        base + "/a",
    ]
    items, fetcher = fetch_all(urls, max_bytes=100_000)
    reasons = failures(items)
    assert len([i for i in items if isinstance(i, ReadFailure)]) == len(reasons) == 6
    assert reasons[base + "/image"] == "not text (content type image/png)"
    assert reasons[base + "/huge"].startswith("larger than the 98 KB limit")
    assert reasons[base + "/gone"] == "HTTP 404 Not Found"
    assert reasons[base + "/private/x"] == "disallowed by robots.txt"
    assert reasons[closed].startswith("cannot connect")
    assert reasons["http://nonexistent.invalid/x"].startswith("cannot connect")
    assert all("\n" not in r for r in reasons.values())
    assert [i.url for i in items if isinstance(i, Article)] == [base + "/a"]
    assert fetcher.stats.failed == 6
    assert site.requests("/private/x") == []


def test_compressed_pages_read_and_a_compression_bomb_cut_at_the_limit(served):
    import gzip

    site, base = served
    site.put("/gz", gzip.compress(PAGE.encode()), "text/html", headers={"Content-Encoding": "gzip"})
    site.put(
        "/bomb",
        gzip.compress(b"<html><body><p>" + b"a" * 50_000_000),
        "text/html",
        headers={"Content-Encoding": "gzip"},
    )
    assert len(site.resources["/bomb"].body) < 100_000
    items, fetcher = fetch_all([base + "/gz", base + "/bomb"], max_bytes=1_000_000)
    assert failures(items) == {base + "/bomb": "larger than the 977 KB limit"}
    [article] = [i for i in items if isinstance(i, Article)]
    assert "Demis Hassabis" in article.text and fetcher.stats.fetched == 1


def test_redirects_followed_bounded_and_checked_against_robots(served):
    site, base = served
    site.put("/a", PAGE, "text/html")
    site.redirects["/old"] = "/a"
    site.redirects["/sneaky"] = "/private/x"
    for i in range(8):
        site.redirects[f"/loop{i}"] = f"/loop{i + 1}"
    items, _ = fetch_all([base + "/old", base + "/sneaky", base + "/loop0"])
    reasons = failures(items)
    assert reasons == {base + "/sneaky": "disallowed by robots.txt", base + "/loop0": "more than 5 redirects"}
    [article] = [i for i in items if isinstance(i, Article)]
    assert article.url == base + "/a"  # where the page was found
    assert [p for p, *_ in site.requests() if p.startswith("/loop")] == [f"/loop{i}" for i in range(6)]


def test_per_host_concurrency_and_delay(served):
    site, base = served
    for i in range(6):
        site.put(f"/p{i}", PAGE.replace("Demis", f"Demis{i}"), "text/html")
        site.slow[f"/p{i}"] = 0.3
    items = [{"title": f"p{i}", "link": f"{base}/p{i}", "date": "Mon, 01 Jan 2024 00:00:00 GMT"} for i in range(6)]
    site.put("/feed", rss(base, items), "application/rss+xml")
    got, _ = fetch_all([base + "/feed"], workers=6, per_host=2)
    assert len([i for i in got if isinstance(i, Article)]) == 6
    assert site.max_inflight == 2
    site.starts.clear()
    site.max_inflight = 0
    for i in range(3):
        site.put(f"/q{i}", PAGE.replace("Demis", f"Demis q{i}"), "text/html")
    fetcher = Fetcher(FetchConfig(host_delay=0.4, per_host=2, workers=3))
    try:
        got = list(read_urls([f"{base}/q{i}" for i in range(3)], fetcher))
    finally:
        fetcher.close()
    gaps = [b - a for a, b in zip(site.starts, site.starts[1:])]
    assert len(got) == 3 and len(gaps) >= 2 and min(gaps) >= 0.35, gaps


def test_opml_lists_feeds_and_full_text_items_are_not_fetched(served):
    site, base = served
    paras = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    site.put(
        "/full.xml",
        rss(
            base, [{"title": TITLE, "link": base + "/never", "date": "Thu, 20 Apr 2023 09:00:00 GMT", "content": paras}]
        ),
        "application/rss+xml",
    )
    site.put("/a", PAGE, "text/html")
    site.put(
        "/short.xml",
        rss(base, [{"title": "A", "link": base + "/a", "date": "Thu, 20 Apr 2023 09:00:00 GMT"}]),
        "application/xml",
    )
    site.put(
        "/subs.opml",
        "<?xml version='1.0'?><opml version='2.0'><head><title>AI</title></head><body>"
        "<outline text='AI'><outline type='rss' text='full' xmlUrl='/full.xml'/>"
        f"<outline type='rss' text='short' xmlUrl='{base}/short.xml'/></outline></body></opml>",
        "text/x-opml",
    )
    items, _ = fetch_all([base + "/subs.opml"])
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.url for a in articles] == [base + "/never", base + "/a"]
    assert articles[0].published.isoformat() == "2023-04-20" and "Hassabis" in articles[0].text
    assert site.requests("/never") == []


def test_state_conditional_get_with_last_modified_only_and_atomic_file(served, tmp_path):
    site, base = served
    site.put("/a", PAGE, "text/html", etag=False)
    path = tmp_path / "state.json"
    for expected in ([200], [304]):
        state = FetchState(path)
        fetcher = Fetcher(FetchConfig(host_delay=0), state)
        list(read_urls([base + "/a"], fetcher))
        fetcher.close()
        state.commit()
        assert [r[1] for r in site.requests("/a")][-1:] == expected
    assert site.requests("/a")[-1][2].get("If-Modified-Since")
    saved = json.loads(path.read_text())
    assert base + "/a" in saved["urls"] and list(tmp_path.iterdir()) == [path]
    # A state that was not committed is not kept: the next run fetches again.
    site.put("/a", PAGE + " ", "text/html", etag=False)
    state = FetchState(path)
    fetcher = Fetcher(FetchConfig(host_delay=0), state)
    list(read_urls([base + "/a"], fetcher))
    fetcher.close()
    state.discard()
    assert json.loads(path.read_text()) == saved


def test_unreadable_state_is_a_warning_not_a_failure(tmp_path, caplog):
    path = tmp_path / "state.json"
    path.write_text("{not json")
    state = FetchState(path)
    assert state.urls == {} and "unreadable" in caplog.text
    state.commit()
    assert json.loads(path.read_text())["version"] == 1


def test_where_the_state_lives():
    assert str(state_path_for("/data/store")) == "/data/store/aikg-fetch-state.json"
    assert state_path_for("http://host:7878/query") is None
    assert str(state_path_for("http://host:7878/query", "/var/lib/aikg/fetch.json")) == "/var/lib/aikg/fetch.json"
    assert is_url("HTTPS://x.org/feed") and not is_url("feeds/x.xml")


def test_failed_item_waits_its_backoff_then_is_retried_behind_a_304(served):
    import time

    site, base = served
    site.errors["/a"] = 503
    site.put("/a", PAGE, "text/html")
    site.put(
        "/feed",
        rss(base, [{"title": "A", "link": base + "/a", "date": "Thu, 20 Apr 2023 09:00:00 GMT"}]),
        "application/rss+xml",
    )
    state = FetchState(None)
    fetcher = Fetcher(FetchConfig(host_delay=0, retry_due_only=True, backoff=1.0), state)

    def run() -> list:
        items = list(read_urls([base + "/feed"], fetcher))
        state.commit()
        return items

    try:
        assert failures(run()) == {base + "/a": "HTTP 503 Service Unavailable"}
        del site.errors["/a"]
        site.clear_log()
        assert run() == []  # the feed answers 304 and the item's backoff is not over
        assert [(p, s) for p, s, _ in site.requests()] == [("/feed", 304)]
        time.sleep(1.1)
        [article] = run()
        assert article.url == base + "/a" and base + "/a" not in state.failures
        assert run() == []
    finally:
        fetcher.close()


def test_links_from_public_feeds_may_not_reach_private_addresses(served):
    site, base = served
    site.put("/a", PAGE, "text/html")
    fetcher = Fetcher(FetchConfig(host_delay=0))
    try:
        # A source the user gives may be local (this whole site is); a link a public feed
        # hands over may not, nor a redirect on its way.
        assert fetcher.fetch(base + "/a").status == 200
        with pytest.raises(FetchError, match=r"^refused: 127\.0\.0\.1 is a local or private address"):
            fetcher.fetch(base + "/a", allow_private=False)
        assert fetcher.private_address("http://localhost:8000/") in ("127.0.0.1", "::1")
        for private in (
            "http://10.1.2.3/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:9/",
            "http://192.168.0.1/",
            "http://[::ffff:127.0.0.1]/",
        ):
            assert fetcher.private_address(private), private
        assert fetcher.private_address("http://93.184.216.34/") is None
        assert fetcher.private_address("http://nonexistent.invalid/") is None
    finally:
        fetcher.close()
