"""Hostile input against a real ``aikg serve`` and the ``aikg ingest`` readers.

Malformed, huge, binary, empty, wrongly encoded and deeply nested bodies; SPARQL
injection through REST parameters; path traversal; markup in article text rendered on
every page; writes without or with a wrong token; the token kept out of the logs.
Every answer must be a clear 4xx (never a 5xx), the store must not change unless a
write was allowed, and nothing hostile may come back as live markup.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from markupsafe import escape

from kg.derived import NOT_DERIVED
from kg.store import LocalStore

from .conftest import TOKEN, AikgServer, child_env, graph_sizes, make_corpus, run_ingest

pytestmark = [pytest.mark.server]

BODY_LIMIT = 64 * 1024

# Each payload carries a marker, so a live copy of it can be recognised in any page.
XSS = [
    '<script>alert("x1")</script>',
    '<img src=x onerror=alert("x2")>',
    '"><svg onload=alert("x3")>',
    "</script><script>alert('x4')</script>",
    "<iframe src=javascript:alert('x5')></iframe>",
    "' onmouseover='alert(6)' data-x='",
]
SCRIPT_URLS = [
    "javascript:alert('u1')",
    "JaVaScRiPt:alert('u2')",
    "data:text/html,<script>alert('u3')</script>",
    " javascript:alert('u4')",
    "vbscript:msgbox('u5')",
]
LIVE = [
    re.compile(p, re.I)
    for p in (
        r"<script>alert",
        r"<img src=x onerror",
        r"<svg onload",
        r"<iframe src=javascript",
        r"onmouseover='alert",
        r"<[^>]*\b(href|src|action)\s*=\s*[\"']?\s*(javascript|data|vbscript):",
    )
]

INJECTIONS = [
    '"',
    "'",
    '" } ; DROP ALL ; #',
    "' } ; DROP ALL ; #",
    "} ; DROP ALL ; SELECT * WHERE {",
    '"} } ; DELETE WHERE { ?s ?p ?o } ; #',
    "<http://x> } ; CLEAR ALL ; #",
    '\\" } DROP ALL #',
    "microsoft> } ; DROP ALL ; #",
    "?s ?p ?o",
    "%22%7D%20DROP%20ALL",
    "\u0000",
    "\u202e}",
]
TRAVERSALS = [
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "....//....//etc/passwd",
    "..\\..\\etc\\passwd",
    "%252e%252e%252fetc%252fpasswd",
    "/etc/passwd",
    "..%00/etc/passwd",
]


def xss_records() -> list[dict]:
    out = []
    for i, p in enumerate(XSS):
        out.append(
            {
                "url": f"https://example.org/xss/{i}?q={quote(p)}",
                "title": f"Hostile title {i} {p}",
                "published": "2024-07-01",
                "text": f"Microsoft invested in OpenAI in round {i} {p} this week. "
                f"Nvidia partnered with Google {p} on chips.",
            }
        )
    for i, url in enumerate(SCRIPT_URLS):
        out.append(
            {
                "url": url,
                "title": f"Script link {i}",
                "published": "2024-07-02",
                "text": f"Amazon invested in Anthropic in tranche {i}, a filing showed.",
            }
        )
    return out


@pytest.fixture(scope="module")
def hostile(reference200, tmp_path_factory):
    """A server on a copy of the 200-article store plus articles full of markup."""
    work = tmp_path_factory.mktemp("hostile")
    store = work / "store"
    shutil.copytree(reference200.store, store)
    corpus = work / "xss.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in xss_records()), encoding="utf-8")
    done = run_ingest([str(corpus)], str(store))
    assert done.returncode == 0, done.stderr
    server = AikgServer(str(store), work, max_body_bytes=str(BODY_LIMIT), query_timeout="10")
    server.start()
    yield server
    server.stop()


def quads(server: AikgServer) -> int:
    """Count the store's quads, the time index left out (the server builds it again after a write)."""
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} {NOT_DERIVED} }} }}"
    r = httpx.get(server.sparql, params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def assert_clear_4xx(r: httpx.Response, *allowed: int) -> None:
    assert 400 <= r.status_code < 500, f"{r.request.method} {r.request.url} -> {r.status_code}: {r.text[:300]}"
    if allowed:
        assert r.status_code in allowed, f"{r.request.url} -> {r.status_code}: {r.text[:200]}"
    assert r.text.strip(), f"{r.request.url}: {r.status_code} without a message"


# ---------------------------------------------------------------- bodies


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


BAD_BODIES = {
    "malformed json": ("application/json", b'{"text": "Microsoft invested in OpenAI", '),
    "zero bytes": ("application/json", b""),
    "binary": ("application/json", bytes(range(256)) * 8),
    "png as text": ("text/plain", b"\x89PNG\r\n\x1a\n" + b"\x00" * 512),
    "latin-1 declared utf-8": ("application/json", '{"text": "Caf\u00e9 na\u00efve Microsoft"}'.encode("latin-1")),
    "utf-16 no bom": ("application/json", '{"text": "Microsoft invested in OpenAI."}'.encode("utf-16-le")),
    "deep json": ("application/json", _nested(100_000)),
    "deep json object": ("application/json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    "json wrong types": ("application/json", b'{"text": 12, "url": ["x"], "published": {"y": 1}}'),
    "empty list": ("application/json", b"[]"),
    "zero-byte jsonl": ("application/x-ndjson", b""),
    "nul text": ("text/plain", b"\x00\x00\x00\x00"),
    "bad content type": ("application/x-shockwave-flash", b"CWS\x0a"),
}


@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_bad_article_bodies_are_clear_4xx_and_change_nothing(hostile, name):
    ctype, body = BAD_BODIES[name]
    before = quads(hostile)
    r = httpx.post(
        hostile.base + "/articles",
        content=body,
        timeout=60,
        headers={"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"},
    )
    assert_clear_4xx(r)
    assert quads(hostile) == before


@pytest.mark.parametrize(
    "path, ctype",
    [
        ("/articles", "application/json"),
        ("/sparql", "application/sparql-query"),
        ("/update", "application/sparql-update"),
        ("/articles", "application/x-ndjson"),
    ],
)
def test_body_over_the_limit_is_413(hostile, path, ctype):
    body = b'{"text": "' + b"a" * (BODY_LIMIT + 1) + b'"}'
    r = httpx.post(
        hostile.base + path,
        content=body,
        timeout=60,
        headers={"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 413, r.text[:200]
    assert "limit" in r.text

    # Chunked (no Content-Length): counted as it arrives.
    def chunks():
        for _ in range(BODY_LIMIT // 4096 + 4):
            yield b"a" * 4096

    r = httpx.post(
        hostile.base + path,
        content=chunks(),
        timeout=60,
        headers={"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 413, r.text[:200]


def test_bad_lines_are_skipped_and_the_rest_of_the_batch_goes_on(hostile):
    good = [
        {
            "url": f"https://example.org/mixed/{i}",
            "title": f"Mixed {i}",
            "text": f"Amazon invested in Anthropic in tranche {i}. Intel competes with AMD.",
        }
        for i in range(3)
    ]
    lines = [
        json.dumps(good[0]).encode(),
        b'{"text": "unterminated',
        b"\xff\xfe not utf-8 \xc3\x28",
        json.dumps(good[1]).encode(),
        b'{"title": "no text at all"}',
        b'["a", "list", "not", "an", "object"]',
        b"",
        json.dumps(good[2]).encode(),
    ]
    r = httpx.post(
        hostile.base + "/articles",
        content=b"\n".join(lines) + b"\n",
        timeout=120,
        headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 200, r.text[:500]
    body = r.json()
    assert len(body["articles"]) == 3, body
    assert len(body["skipped"]) >= 4, body["skipped"]
    assert all(s["reason"].strip() for s in body["skipped"])
    listed = httpx.get(hostile.base + "/articles", params={"limit": 500}).json()
    urls = {a["url"] for a in listed["items"]}
    assert {g["url"] for g in good} <= urls


def test_a_binary_line_does_not_sink_the_rest_of_a_json_lines_body(hostile):
    good = {
        "url": "https://example.org/nul/1",
        "title": "After a NUL line",
        "text": "Oracle supplies cloud capacity to OpenAI, the companies said.",
    }
    body = b'{"text": "before"}\n' + b"\x00\x01\x02 binary line\n" + json.dumps(good).encode() + b"\n"
    r = httpx.post(
        hostile.base + "/articles",
        content=body,
        timeout=120,
        headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 200, f"one binary line refused the whole body: {r.status_code} {r.text[:300]}"
    assert good["url"] in {a["url"] for a in r.json()["articles"]}


def test_a_deeply_nested_json_line_is_skipped_not_a_500(hostile):
    good = {
        "url": "https://example.org/deep/1",
        "title": "After a deep line",
        "text": "IBM partnered with AMD on accelerators, the companies said.",
    }
    body = b"[" * 5000 + b"]" * 5000 + b"\n" + json.dumps(good).encode() + b"\n"
    r = httpx.post(
        hostile.base + "/articles",
        content=body,
        timeout=120,
        headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 200, f"{r.status_code} {r.text[:300]}"
    assert good["url"] in {a["url"] for a in r.json()["articles"]}
    assert r.json()["skipped"]


def test_cli_reader_survives_deeply_nested_json(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "deep.json").write_bytes(_nested(200_000))
    (src / "good.txt").write_text("Nvidia supplies chips to Oracle, the company said.\n")
    done = subprocess.run(
        [_aikg(), "ingest", str(src), "--store", str(tmp_path / "store"), "--json"],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr[-800:]
    assert done.returncode == 0
    skipped = [s["source"] for s in json.loads(done.stdout)["skipped"]]
    assert any("deep.json" in s for s in skipped), skipped


def test_cli_article_longer_than_spacys_limit_is_skipped_or_read(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    # 1.2 million characters: under the reader's 20 MiB limit, over spaCy's nlp.max_length.
    (src / "long.txt").write_text("Microsoft invested in OpenAI. " * 40_000)
    (src / "good.txt").write_text("Nvidia supplies chips to Oracle, the company said.\n")
    done = subprocess.run(
        [_aikg(), "ingest", str(src), "--store", str(tmp_path / "store"), "--json"],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr[-800:]
    assert done.returncode == 0
    summary = json.loads(done.stdout)
    assert summary["articles"] == 2 or any("long.txt" in s["source"] for s in summary["skipped"]), summary


def _aikg() -> str:
    return str(Path(sys.executable).with_name("aikg"))


def test_cli_readers_skip_hostile_files_and_ingest_the_rest(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good1.md").write_text("---\ntitle: Good one\n---\nMicrosoft invested in OpenAI again.\n")
    (src / "good2.txt").write_text("Nvidia supplies chips to Oracle, the company said.\n")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (src / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 256)
    (src / "deep.json").write_bytes(_nested(200))
    (src / "broken.json").write_bytes(b'{"text": "Microsoft')
    (src / "lines.jsonl").write_bytes(b'{"text": "Apple partnered with OpenAI."}\n{broken\n\xff\xfe\n')
    (src / "utf16.txt").write_bytes("Meta competes with Google in AI.".encode("utf-16"))
    (src / "badfront.md").write_text("---\ntitle: [unclosed\n---\nIntel acquired AMD.\n")
    store = tmp_path / "store"
    done = subprocess.run(
        [_aikg(), "ingest", str(src), "--store", str(store), "--json"],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    skipped = {Path(s["source"].split("#")[0]).name for s in summary["skipped"]}
    assert {"empty.txt", "binary.txt", "image.html", "broken.json"} <= skipped, summary
    assert all(s["reason"].strip() for s in summary["skipped"])
    with LocalStore(store) as s:
        sources = {r["u"].value for r in s.query("SELECT ?u WHERE { ?a <http://purl.org/dc/terms/source> ?u }")}
    assert any("good1.md" in u for u in sources) and any("good2.txt" in u for u in sources), sources
    print(json.dumps({"reader_inputs": {"files": 10, "skipped": sorted(skipped), "articles": summary["articles"]}}))


# ---------------------------------------------------------------- SPARQL injection


def _injection_requests(payload: str) -> list[tuple[str, dict]]:
    enc = quote(payload, safe="")
    return [
        ("/entities", {"q": payload}),
        ("/entities", {"type": payload}),
        (f"/entities/{enc}", {}),
        (f"/articles/{enc}", {}),
        ("/relations", {"subject": payload}),
        ("/relations", {"object": payload, "predicate": "investsIn"}),
        ("/relations", {"predicate": payload}),
        ("/paths", {"from": payload, "to": "openai"}),
        ("/paths", {"from": "microsoft", "to": payload}),
        (f"/queries/{enc}/results", {}),
        ("/queries/investors-of/results", {"entity": payload}),
        ("/graph", {"focus": payload}),
        ("/graph", {"predicates": payload}),
        ("/search", {"q": payload}),
        (f"/entity/{enc}", {}),
        (f"/article/{enc}", {}),
    ]


def test_sparql_injection_through_rest_parameters_is_data(hostile):
    before = quads(hostile)
    sizes_before = httpx.get(hostile.base + "/articles", params={"limit": 1}).json()["total"]
    tried = 0
    for payload in INJECTIONS:
        for path, params in _injection_requests(payload):
            r = httpx.get(hostile.base + path, params=params, timeout=30)
            tried += 1
            assert r.status_code < 500, f"{path} {params} -> {r.status_code}: {r.text[:300]}"
            if r.status_code == 200 and r.headers.get("content-type", "").startswith("application/json"):
                body = r.json()
                items = body.get("items") if isinstance(body, dict) else body
                # A hostile name matches nothing: an empty answer, not everything.
                if path == "/entities" and "q" in params:
                    assert items == [], (path, params, body)
                if path == "/relations" and ("subject" in params or "object" in params):
                    assert items == [], (path, params, body)
    assert quads(hostile) == before, "an injected parameter changed the store"
    assert httpx.get(hostile.base + "/articles", params={"limit": 1}).json()["total"] == sizes_before
    print(json.dumps({"injection_requests": tried}))


def test_sparql_update_smuggled_into_the_query_endpoint_is_refused(hostile):
    before = quads(hostile)
    for q in [
        "DROP ALL",
        "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
        "CLEAR DEFAULT",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
    ]:
        for r in (
            httpx.get(hostile.sparql, params={"query": q}),
            httpx.post(hostile.sparql, content=q, headers={"Content-Type": "application/sparql-query"}),
            httpx.post(hostile.sparql, data={"query": q}),
        ):
            assert_clear_4xx(r, 400)
    assert quads(hostile) == before


# ---------------------------------------------------------------- path traversal


def _raw_get(server: AikgServer, path: str) -> tuple[int, bytes]:
    """GET a path exactly as written (no client-side normalisation of dot segments)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_path_traversal_never_serves_a_file(hostile):
    prefixes = ["/articles/", "/entities/", "/entity/", "/article/", "/static/", "/static-docs/", "/queries/", "/"]
    secrets = [b"root:x:0:0", b"root:*:0:0", Path("/etc/hostname").read_bytes().strip() or b"\x00\x01"]
    seen = 0
    for prefix in prefixes:
        for t in TRAVERSALS:
            for path in (prefix + t, prefix + t + ("/results" if prefix == "/queries/" else "")):
                status, body = _raw_get(hostile, path.replace("\\", "%5c"))
                seen += 1
                assert status in (400, 404, 405, 422), f"{path} -> {status}: {body[:200]!r}"
                assert not any(s in body for s in secrets), f"{path} served a file"
    # The server's own source is not reachable either.
    for path in [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fsettings.py",
        "/static/../../pyproject.toml",
    ]:
        status, body = _raw_get(hostile, path)
        assert status in (400, 404), f"{path} -> {status}"
        assert b"def create_app" not in body and b"[project]" not in body
    print(json.dumps({"traversal_requests": seen + 4}))


# ---------------------------------------------------------------- markup in articles


def _article_ids(server: AikgServer) -> list[str]:
    items = httpx.get(server.base + "/articles", params={"limit": 500}).json()["items"]
    return [a["id"] for a in items if "/xss/" in (a.get("url") or "")]


def test_markup_in_articles_is_escaped_on_every_page(hostile):
    ids = _article_ids(hostile)
    assert len(ids) == len(XSS), ids
    pages = [
        "/",
        "/query",
        "/search?q=" + quote(XSS[0]),
        "/search?q=Hostile",
        "/entity/microsoft",
        "/entity/openai",
        "/entity/nvidia",
        "/entity/google",
        "/graph",
        "/graph?focus=microsoft",
        "/graph?focus=nvidia&depth=2",
        "/query?query=" + quote("SELECT * WHERE { ?s ?p ?o } # " + XSS[3]),
    ]
    pages += [f"/article/{i}" for i in ids]
    items = httpx.get(hostile.base + "/articles", params={"limit": 500}).json()["items"]
    script_links = [
        a["id"] for a in items if (a.get("url") or "").strip().lower().startswith(("javascript:", "data:", "vbscript:"))
    ]
    assert len(script_links) == len(SCRIPT_URLS), "articles with script urls were not stored"
    pages += [f"/article/{i}" for i in script_links]
    escaped_somewhere = 0
    for page in pages:
        r = httpx.get(hostile.base + page, timeout=60)
        assert r.status_code == 200, f"{page} -> {r.status_code}"
        html = r.text
        for live in LIVE:
            m = live.search(html)
            assert m is None, f"{page} carries live markup: ...{html[max(m.start() - 80, 0) : m.end() + 80]}..."
        escaped_somewhere += "&lt;script&gt;" in html or "\\u003cscript" in html or "&lt;img" in html
    # The hostile text is shown (escaped), not silently dropped: on the article pages at least.
    for i in ids:
        html = httpx.get(f"{hostile.base}/article/{i}").text
        assert any(str(escape(p)) in html for p in XSS), f"/article/{i} does not show its (escaped) title"
    assert escaped_somewhere >= len(ids)


def test_markup_in_articles_stays_inert_in_chromium(hostile, chromium):
    ids = _article_ids(hostile)
    pages = ["/", "/graph?focus=microsoft", "/entity/microsoft", "/search?q=Hostile"] + [f"/article/{i}" for i in ids]
    page = chromium.new_page()
    try:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for p in pages:
            page.goto(hostile.base + p, wait_until="load")
            page.wait_for_timeout(300)
            page.mouse.move(400, 300)
            injected = page.evaluate(
                '() => document.querySelectorAll(\'img[src="x"], svg[onload], iframe[src^="javascript"],'
                " [onmouseover]').length"
            )
            assert injected == 0, f"{p}: {injected} injected elements"
        assert dialogs == [], dialogs
    finally:
        page.close()


# ---------------------------------------------------------------- token

WRITES = [
    ("POST", "/articles", "application/json", b'{"text": "Microsoft invested in OpenAI.", "url": "https://e.org/t"}'),
    ("POST", "/update", "application/sparql-update", b"DROP ALL"),
    ("DELETE", "/articles/0000000000000000000000000000000000000000000000000000000000000000", None, b""),
]


@pytest.mark.parametrize(
    "auth",
    [
        None,
        "Bearer wrong-token",
        f"Basic {TOKEN}",
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        "Bearer",
        f"bearer{TOKEN}",
        f"Bearer {TOKEN} {TOKEN}",
    ],
)
def test_writes_without_the_right_token_are_refused(hostile, auth):
    before = quads(hostile)
    for method, path, ctype, body in WRITES:
        headers = {"Content-Type": ctype} if ctype else {}
        if auth is not None:
            headers["Authorization"] = auth
        r = httpx.request(method, hostile.base + path, content=body, headers=headers, timeout=30)
        assert r.status_code == 401, f"{method} {path} with {auth!r} -> {r.status_code}"
        assert TOKEN not in r.text
    assert quads(hostile) == before


def test_a_server_without_a_token_refuses_every_write(reference200, tmp_path, servers):
    shutil.copytree(reference200.store, tmp_path / "store")
    server = AikgServer(str(tmp_path / "store"), tmp_path, token=None)
    servers.append(server)
    server.start()
    for method, path, ctype, body in WRITES:
        r = httpx.request(
            method,
            server.base + path,
            content=body,
            timeout=30,
            headers={"Authorization": f"Bearer {TOKEN}", **({"Content-Type": ctype} if ctype else {})},
        )
        assert r.status_code == 403, (path, r.status_code)
    server.stop()
    with LocalStore(tmp_path / "store") as s:
        assert graph_sizes(s) == reference200.sizes


def test_the_token_never_reaches_logs_or_error_messages(hostile, tmp_path):
    # A wrong token from the CLI: a clear refusal that does not echo what was sent.
    wrong = TOKEN + "-wrong"
    corpus = tmp_path / "new.jsonl"
    make_corpus(corpus, 12, prefix="tokentest")
    done = subprocess.run(
        [_aikg(), "ingest", str(corpus), "--store", hostile.sparql, "--batch-size", "1"],
        capture_output=True,
        text=True,
        env=child_env(AIKG_TOKEN=wrong),
        timeout=120,
    )
    assert done.returncode == 1
    assert "401" in done.stderr or "token" in done.stderr.lower(), done.stderr
    assert wrong not in done.stderr + done.stdout and TOKEN not in done.stderr
    # The right token, in a URL where it does not belong, and in headers: never logged.
    httpx.get(hostile.sparql, params={"query": "ASK {}", "token": TOKEN})
    httpx.post(
        hostile.base + "/update",
        content=b"INSERT DATA { <urn:t:a> <urn:t:b> <urn:t:c> }",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    httpx.post(
        hostile.base + "/update",
        content=b"DELETE DATA { <urn:t:a> <urn:t:b> <urn:t:c> }",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    log = hostile.output()
    # Our own request above put it in a query string, which uvicorn's access log shows;
    # apart from that line, the token must appear nowhere.
    leaked = [line for line in log.splitlines() if TOKEN in line and "token=" not in line]
    assert not leaked, leaked


# ---------------------------------------------------------------- XML entities, upload names

XXE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>feed</title>
<item><title>Item &xxe;</title><link>https://example.org/xxe/{n}</link>
<pubDate>Mon, 01 Jul 2024 00:00:00 GMT</pubDate>
<description>Microsoft invested in OpenAI in round {n}. &xxe; Nvidia partnered with Google.</description></item>
</channel></rss>
"""
XXE_HTML = """<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<html><head><title>Page &xxe;</title></head><body><article>
<p>Microsoft invested in OpenAI. &xxe; Nvidia partnered with Google on chips, the firms said.</p>
</article></body></html>
"""


def _laughs() -> str:
    doc = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 "lollollollollollollollollollol">\n'
    for i in range(1, 10):
        doc += f' <!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">\n'
    return doc + (
        ']>\n<rss version="2.0"><channel><title>t</title><item><title>Bomb</title>'
        "<link>https://example.org/bomb</link><description>Microsoft invested in OpenAI. &lol9;"
        "</description></item></channel></rss>\n"
    )


def _literals(store_dir: Path) -> str:
    with LocalStore(store_dir) as s:
        return " ".join(r["o"].value for r in s.query("SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"))


def test_xml_entities_are_never_expanded_from_files(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "feed.rss").write_text(XXE_FEED.format(n=1))
    (src / "page.html").write_text(XXE_HTML)
    (src / "bomb.rss").write_text(_laughs())
    done = subprocess.run(
        [_aikg(), "ingest", str(src), "--store", str(tmp_path / "store"), "--json"],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=120,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-600:]
    text = _literals(tmp_path / "store")
    assert "root:x:0:0" not in text and "/bin/" not in text, "an external entity was read from disk"
    assert "lollollol" * 10 not in text, "the entity bomb was expanded"


def test_xml_entities_are_never_expanded_over_http(hostile):
    for body in (XXE_FEED.format(n=2), _laughs()):
        r = httpx.post(
            hostile.base + "/articles",
            content=body.encode(),
            timeout=120,
            headers={"Content-Type": "application/rss+xml", "Authorization": f"Bearer {TOKEN}"},
        )
        assert r.status_code in (200, 422), r.text[:300]
        assert "root:x:0:0" not in r.text and "lollollol" * 10 not in r.text
    for a in httpx.get(hostile.base + "/articles", params={"limit": 500}).json()["items"]:
        assert "root:x" not in (a.get("title") or "")


def test_upload_file_names_are_labels_not_paths(hostile, tmp_path):
    target = Path("/tmp") / f"aikg-hardening-{hostile.port}.txt"
    name = f"../../../../..{target}"
    r = httpx.post(
        hostile.base + "/articles",
        timeout=120,
        headers={"Authorization": f"Bearer {TOKEN}"},
        files={"file": (name, b"Amazon invested in Anthropic, the filing showed.", "text/plain")},
    )
    assert r.status_code == 200, r.text[:300]
    assert not target.exists(), "an upload's file name was used as a path"


def test_the_token_stays_out_of_the_most_verbose_logs(tmp_path, servers):
    server = AikgServer(str(tmp_path / "store"), tmp_path, log_level="trace")
    servers.append(server)
    server.start()
    corpus = tmp_path / "c.jsonl"
    make_corpus(corpus, 6, prefix="verbose")
    done = subprocess.run(
        [_aikg(), "-vv", "ingest", str(corpus), "--store", server.sparql, "--batch-size", "3"],
        capture_output=True,
        text=True,
        env=child_env(AIKG_TOKEN=TOKEN),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    httpx.post(
        server.base + "/update",
        content=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}-wrong"},
    )
    server.stop()
    log = server.output()
    assert "ASGI" in log or "TRACE" in log.upper(), "the server did not log at trace level"
    assert TOKEN not in log and TOKEN not in done.stderr + done.stdout


SPARQL_BODIES = {
    "zero bytes": b"",
    "binary": bytes(range(256)) * 4,
    "latin-1": 'SELECT * WHERE { ?s ?p "caf\u00e9" }'.encode("latin-1"),
    "utf-16": "SELECT * WHERE { ?s ?p ?o }".encode("utf-16"),
    "nul": b"SELECT * WHERE { ?s ?p ?o }\x00",
    "unbalanced": b"SELECT * WHERE { { { ?s ?p ?o }",
}


@pytest.mark.parametrize(
    "path, ctype", [("/sparql", "application/sparql-query"), ("/update", "application/sparql-update")]
)
@pytest.mark.parametrize("name", list(SPARQL_BODIES))
def test_bad_sparql_bodies_are_clear_4xx_and_change_nothing(hostile, path, ctype, name):
    if (path, name) == ("/update", "zero bytes"):
        pytest.skip("an empty update is valid SPARQL (it does nothing): 204 is right")
    before = quads(hostile)
    r = httpx.post(
        hostile.base + path,
        content=SPARQL_BODIES[name],
        timeout=60,
        headers={"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"},
    )
    assert_clear_4xx(r)
    assert quads(hostile) == before


DEEP_SPARQL = {
    "groups": b"SELECT * WHERE " + b"{" * 20_000 + b"}" * 20_000,
    "expression": b"SELECT * WHERE { FILTER(" + b"(" * 20_000 + b"1" + b")" * 20_000 + b") }",
}


@pytest.mark.parametrize("name", [*DEEP_SPARQL, "get"])
def test_deeply_nested_sparql_is_refused_and_the_server_lives(name, reference200, tmp_path, servers):
    shutil.copytree(reference200.store, tmp_path / "store")
    server = AikgServer(str(tmp_path / "store"), tmp_path)
    servers.append(server)
    server.start()
    try:
        if name == "get":
            # 3,000 levels in a 6 KB URL are enough in the server's worker threads.
            status = _raw_get(server, "/sparql?query=SELECT%20*%20WHERE%20" + "{" * 3000 + "}" * 3000)[0]
        else:
            status = httpx.post(
                server.sparql,
                content=DEEP_SPARQL[name],
                timeout=60,
                headers={"Content-Type": "application/sparql-query"},
            ).status_code
    except (httpx.HTTPError, http.client.HTTPException, OSError) as exc:
        status = type(exc).__name__
    try:
        exit_code = server.proc.wait(timeout=1)
    except subprocess.TimeoutExpired:
        exit_code = None
    assert exit_code is None, f"the server died (exit {exit_code}); the client saw {status}"
    assert status == 400


def test_deep_markup_and_rdf_are_read_or_skipped_cleanly(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "nested.html").write_text(
        "<html><body>"
        + "<div>" * 100_000
        + "<p>Microsoft invested in OpenAI, the filing showed.</p>"
        + "</div>" * 100_000
        + "</body></html>"
    )
    (src / "quotes.md").write_text("---\ntitle: t\n---\n" + ">" * 50_000 + " Microsoft invested in OpenAI.\n")
    (src / "bold.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title>'
        "<description>"
        + "<b>" * 50_000
        + "Apple partnered with OpenAI."
        + "</b>" * 50_000
        + "</description><link>https://e.org/d</link></item>"
        "</channel></rss>"
    )
    done = subprocess.run(
        [_aikg(), "ingest", str(src), "--store", str(tmp_path / "store"), "--json"],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=180,
    )
    assert "Traceback" not in done.stderr and done.returncode in (0, 1), done.stderr[-600:]
    summary = json.loads(done.stdout)
    assert summary["articles"] + len(summary["skipped"]) == 3, summary
    assert all(s["reason"].strip() for s in summary["skipped"])
    ttl = tmp_path / "deep.ttl"
    ttl.write_text(
        "@prefix : <http://e.org/> .\n:a :p " + "[ :p " * 20_000 + ":b" + " ]" * 20_000 + " .\n"
        ":c :p " + "( " * 20_000 + ":d" + " )" * 20_000 + " .\n"
    )
    done = subprocess.run(
        [_aikg(), "load", str(ttl), "--store", str(tmp_path / "rdf")],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=180,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-600:]


# ---------------------------------------------------------------- clients that hang up


def _truncated_posts(server: AikgServer) -> None:
    """Announce a body and hang up a tenth of the way through it, on every write path."""
    import socket
    import time

    body = b"INSERT DATA { <urn:cut:a> <urn:cut:b> <urn:cut:c> } ; " * 200
    for path, ctype in (
        ("/update", "application/sparql-update"),
        ("/articles", "application/x-ndjson"),
        ("/sparql", "application/sparql-query"),
    ):
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(
                (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
                    f"Content-Type: {ctype}\r\nContent-Length: {len(body) * 10}\r\n\r\n"
                ).encode()
                + body
            )
            time.sleep(0.3)
        time.sleep(0.3)


@pytest.fixture
def hung_up(reference200, tmp_path, servers) -> AikgServer:
    shutil.copytree(reference200.store, tmp_path / "store")
    server = AikgServer(str(tmp_path / "store"), tmp_path)
    servers.append(server)
    server.start()
    _truncated_posts(server)
    return server


def test_a_client_hanging_up_mid_upload_writes_nothing(hung_up):
    r = httpx.get(
        hung_up.sparql,
        params={"query": "ASK { <urn:cut:a> ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.json()["boolean"] is False
    assert quads(hung_up) > 0 and hung_up.proc.poll() is None


def test_a_client_hanging_up_mid_upload_logs_no_traceback(hung_up):
    hung_up.stop()
    assert "Traceback" not in hung_up.output()
