"""A small news site the fetch tests serve on 127.0.0.1: pages, a feed, robots.txt, ETags.

Real sockets (``http.server`` in a thread of the test process): the fetcher under test
talks HTTP to it as it would to any site. The site can be changed between runs (a page's
text, the feed) and records every request it answered, with the status it gave.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def example_text(name: str) -> tuple[str, str]:
    """Return (title, body) of a bundled example article, its front matter left out."""
    raw = (EXAMPLES / name).read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    title = next(ln.split(":", 1)[1].strip().strip('"') for ln in front.splitlines() if ln.startswith("title:"))
    return title, body.strip()


def article_page(title: str, body: str, published: str) -> str:
    """Return an article page as news sites write them: furniture around an <article>."""
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<meta property='article:published_time' content='{published}'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/tech'>Tech</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>{paras}</article>"
        "<footer>Copyright Example Wire. Subscribe to our newsletter.</footer></body></html>"
    )


@dataclass
class Resource:
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    headers: dict = field(default_factory=dict)


@dataclass
class Site:
    """What the server serves, and what it was asked."""

    resources: dict[str, Resource] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)
    log: list[tuple[str, int, dict]] = field(default_factory=list)
    bytes_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    redirects: dict[str, str] = field(default_factory=dict)
    inflight: int = 0
    max_inflight: int = 0
    starts: list[float] = field(default_factory=list)

    def put(
        self,
        path: str,
        body: str | bytes,
        content_type: str,
        *,
        etag: bool = True,
        last_modified: bool = True,
        headers: dict | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        tag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"' if etag else None
        when = email.utils.formatdate(time.time(), usegmt=True) if last_modified else None
        old = self.resources.get(path)
        if old is not None and old.body == data:
            return
        self.resources[path] = Resource(data, content_type, tag, when, dict(headers or {}))

    def requests(self, path: str | None = None) -> list[tuple[str, int, dict]]:
        with self.lock:
            return [r for r in self.log if path is None or r[0] == path]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()
            self.bytes_sent = 0


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
            # Logged before the answer goes out: a client that has its answer finds it logged.
            with site.lock:
                site.log.append((self.path, status, dict(self.headers)))
                site.bytes_sent += len(body)
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout under test)

        def do_GET(self) -> None:
            with site.lock:
                site.inflight += 1
                site.max_inflight = max(site.max_inflight, site.inflight)
                site.starts.append(time.monotonic())
            try:
                self._get()
            finally:
                with site.lock:
                    site.inflight -= 1

        def _get(self) -> None:
            path = self.path
            if path in site.redirects:
                self._send(302, b"", {"Location": site.redirects[path]})
                return
            if path in site.slow:
                time.sleep(site.slow[path])
            if path in site.errors:
                self._send(site.errors[path], b"server error", {"Content-Type": "text/plain"})
                return
            res = site.resources.get(path)
            if res is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"})
                return
            validators = {}
            if res.etag:
                validators["ETag"] = res.etag
            if res.last_modified:
                validators["Last-Modified"] = res.last_modified
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if (inm is not None and res.etag and inm == res.etag) or (
                inm is None and ims is not None and res.last_modified and ims == res.last_modified
            ):
                self._send(304, b"", validators)
                return
            self._send(200, res.body, {"Content-Type": res.content_type, **validators, **res.headers})

    return Handler


class SiteServer:
    """The site on a free loopback port, served by a thread until stopped."""

    def __init__(self, site: Site):
        self.site = site
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(base: str, items: list[dict]) -> str:
    """Return an RSS 2.0 feed; an item has title, link, date (RFC 822), and a summary or full content."""
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        "<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel>",
        f"<title>Example Wire</title><link>{base}/</link><description>AI news</description>",
    ]
    for it in items:
        out.append("<item>")
        out.append(f"<title>{html.escape(it['title'])}</title><link>{html.escape(it['link'])}</link>")
        out.append(f"<guid>{html.escape(it['link'])}</guid><pubDate>{it['date']}</pubDate>")
        out.append(f"<description>{html.escape(it.get('summary', 'Read more.'))}</description>")
        if it.get("content"):
            out.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)
