"""Fixtures of the live-source tests: the example site, and the aikg command as a subprocess."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.live.site import Site, SiteServer, article_page, example_text, rss

# (page path, example article, date in the page, date in the feed)
PAGES = [
    ("/news/deepmind", "03-google-deepmind-merger.md", "2023-04-20T09:00:00Z", "Thu, 20 Apr 2023 09:00:00 GMT"),
    ("/news/mistral", "07-microsoft-mistral-partnership.md", "2024-02-26T08:00:00Z", "Mon, 26 Feb 2024 08:00:00 GMT"),
    (
        "/news/inflection",
        "09-microsoft-hires-inflection-founders.md",
        "2024-03-19T10:00:00Z",
        "Tue, 19 Mar 2024 10:00:00 GMT",
    ),
    ("/news/xai", "16-xai-acquires-x.md", "2025-03-28T22:00:00Z", "Fri, 28 Mar 2025 22:00:00 GMT"),
]
# Carried whole in the feed (content:encoded), so its link is not fetched.
FULL_TEXT = ("/news/anthropic", "13-amazon-anthropic-eight-billion.md", "Fri, 22 Nov 2024 15:00:00 GMT")
PRIVATE = "/private/leak"  # disallowed by robots.txt
BROKEN = "/news/broken"  # answers 500
SLOW = "/news/slow"  # answers after the fetch timeout
FETCH_TIMEOUT = "1"
SLOW_SECONDS = 3.0


def build_site(site: Site, base: str, *, changed: bool = False) -> None:
    """Fill the site: four article pages, one full-text item, and three items that fail."""
    items = []
    for i, (path, name, published, rfc822) in enumerate(PAGES):
        title, body = example_text(name)
        if changed and i == 1:
            body = body.replace("Mistral AI", "Mistral AI, the Paris start-up,", 1) + (
                "\n\nThe companies said on Tuesday that the partnership would be reviewed by regulators."
            )
        site.put(path, article_page(title, body, published), "text/html; charset=utf-8")
        items.append({"title": title, "link": base + path, "date": rfc822, "summary": body[:120]})
    path, name, rfc822 = FULL_TEXT
    title, body = example_text(name)
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    items.append({"title": title, "link": base + path, "date": rfc822, "content": paras})
    site.put(
        PRIVATE, article_page("Leak", "Nvidia invested in OpenAI, a secret memo said. " * 5, "2024-01-01"), "text/html"
    )
    site.errors[BROKEN] = 500
    site.slow[SLOW] = SLOW_SECONDS
    site.put(SLOW, article_page("Slow", "Meta acquired a startup, the company said. " * 5, "2024-01-01"), "text/html")
    for path in (PRIVATE, BROKEN, SLOW):
        items.append({"title": path, "link": base + path, "date": "Mon, 01 Jan 2024 00:00:00 GMT"})
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.put("/feed.xml", rss(base, items), "application/rss+xml")


@pytest.fixture()
def news_site():
    site = Site()
    with SiteServer(site) as server:
        build_site(site, server.base)
        yield server


def aikg(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the aikg command as a subprocess (the worktree first on the path, as the tests run)."""
    return subprocess.run([sys.executable, "-m", "aikg", *args], capture_output=True, text=True, timeout=timeout)
