"""The app's HTTP layer in process: Host check, HEAD on every GET route, page headers,
vis-network as a cached file, bounded offsets and checked ``format=`` values.

The same behaviour over a real socket (timeouts, connection cap, request framing) is
in tests/hardening/test_http_layer.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.models import MAX_OFFSET
from api.routes.graph import VIS_PATH
from api.routes.pages import CSP as PAGES_CSP
from api.routes.pages import QUERY_CSP
from tests.browser import sample

from .conftest import ARTICLES, make_client


@pytest.fixture
def graph_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client over the browser tests' sample store (11 entities, 9 relations)."""
    with make_client(sample.build_store(tmp_path / "store")) as c:
        yield c


def _csp(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


# ---------------------------------------------------------------- Host header


def test_default_hosts_exclude_testclient_and_foreign_names(store_dir):
    """Without the test fixture's extra name, TestClient's own Host is refused too."""
    with make_client(store_dir, allowed_hosts=None) as c:
        assert c.get("/articles").status_code == 400
        assert c.get("/articles", headers={"Host": "localhost:8000"}).status_code == 200
        assert c.get("/articles", headers={"Host": "127.0.0.1"}).status_code == 200
        assert c.get("/articles", headers={"Host": "[::1]:8000"}).status_code == 200
        r = c.get("/articles/", headers={"Host": "evil.example"}, follow_redirects=False)
        assert r.status_code == 400 and "location" not in r.headers


def test_wildcard_hosts(store_dir):
    """``*.example.org`` covers subdomains only; ``*`` turns the check off."""
    with make_client(store_dir, allowed_hosts=["*.example.org"]) as c:
        assert c.get("/articles", headers={"Host": "kg.example.org"}).status_code == 200
        assert c.get("/articles", headers={"Host": "example.org.evil.example"}).status_code == 400
    with make_client(store_dir, allowed_hosts=["*"]) as c:
        assert c.get("/articles", headers={"Host": "evil.example"}).status_code == 200


# ---------------------------------------------------------------- HEAD


def _sample_path(path: str) -> str:
    values = {
        "slug": "microsoft",
        "article_id": ARTICLES[0].id,
        "name": "investors-of",
        "digest": "no-such-statement",
        "suffix": "ttl",
        "filename": "aikg.ttl.gz",
    }
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m.group(1)], path)


def test_every_get_route_answers_head_like_get_without_a_body(client):
    from api.routes import (
        analytics,
        articles,
        dataset,
        entities,
        graph,
        ontology,
        pages,
        relations,
        sparql,
        suggestions,
    )

    modules = (analytics, articles, dataset, entities, graph, ontology, pages, relations, sparql, suggestions)
    routes = [r for m in modules for r in m.router.routes if isinstance(r, APIRoute) and "GET" in r.methods]
    paths = sorted({_sample_path(r.path) for r in routes}) + [
        "/docs",
        "/openapi.json",
        "/static/style.css",
        f"{VIS_PATH}/vis-network.css",
        "/nowhere",
    ]
    assert len(paths) > 20
    for path in paths:
        get = client.get(path, params={"q": "Open", "from": "Amazon", "to": "OpenAI", "query": "ASK {}"})
        head = client.head(path, params={"q": "Open", "from": "Amazon", "to": "OpenAI", "query": "ASK {}"})
        assert head.status_code == get.status_code != 405, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path
        if "content-length" in get.headers:
            assert head.headers["content-length"] == get.headers["content-length"], path


# ---------------------------------------------------------------- /graph and page headers


def test_graph_page_sends_the_pages_security_headers_and_has_no_inline_code(graph_client):
    r = graph_client.get("/graph")
    assert r.status_code == 200
    page = r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"
    csp = _csp(r.headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert not any("unsafe" in v for values in csp.values() for v in values)
    # The page's script and style are files of its own server: nothing inline to allow.
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert re.findall(r"<script>(.*?)</script>", page, re.S) == []
    assert "<style" not in page and ' style="' not in page
    assert '<script src="/static/graph.js"></script>' in page
    assert '<link rel="stylesheet" href="/static/style.css">' in page
    js = graph_client.get("/static/graph.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    # No policy in the page that would narrow the header's (a <meta> CSP adds to it).
    assert "http-equiv" not in page


def test_other_pages_send_the_same_headers(client):
    for path in ("/", "/query", "/entity/microsoft", "/entity/nobody"):
        r = client.get(path)
        # /query differs in two hashed styles of its editor (tests/api/test_query_editor.py).
        assert r.headers["content-security-policy"] == (QUERY_CSP if path == "/query" else PAGES_CSP), path
        assert "frame-ancestors 'none'" in PAGES_CSP
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"


def test_graph_page_references_vis_network_instead_of_inlining_it(graph_client):
    page = graph_client.get("/graph").text
    js = graph_client.get(f"{VIS_PATH}/vis-network.min.js")
    css = graph_client.get(f"{VIS_PATH}/vis-network.css")
    assert f'<script src="{VIS_PATH}/vis-network.min.js"></script>' in page
    assert f'<link rel="stylesheet" href="{VIS_PATH}/vis-network.css">' in page
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    # The page is the data and the page's own code: the library is not in it.
    assert len(page) < 100_000 < len(js.content)
    assert js.text[2000:2200] not in page and css.text[1000:1200] not in page
    # Cacheable: a year, and revalidated by ETag.
    for r in (js, css):
        assert "max-age=31536000" in r.headers["cache-control"] and "immutable" in r.headers["cache-control"]
        assert r.headers["x-content-type-options"] == "nosniff"
    again = graph_client.get(f"{VIS_PATH}/vis-network.min.js", headers={"If-None-Match": js.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert graph_client.get(f"{VIS_PATH}/../app.py").status_code == 404


def test_standalone_page_still_inlines_vis_network(tmp_path):
    from api.render import render_graph_page
    from kg.store import LocalStore
    from kg.viz import view_from_store, vis_asset_dir

    with LocalStore(sample.build_store(tmp_path / "store")) as store:
        page = render_graph_page(view_from_store(store))
    js = (vis_asset_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    assert js in page and not re.search(r"<(script|link)[^>]*\s(src|href)=", page)
    assert "Content-Security-Policy" in page


# ---------------------------------------------------------------- offsets and formats


@pytest.mark.parametrize("path", ["/articles", "/entities", "/relations"])
def test_a_huge_offset_is_a_422_not_the_parsers_message(client, path):
    for offset in (10**30, MAX_OFFSET + 1):
        r = client.get(path, params={"offset": offset})
        assert r.status_code == 422, (path, r.text)
        detail = r.json()["detail"]
        assert detail[0]["loc"] == ["query", "offset"]
        assert f"{MAX_OFFSET}" in detail[0]["msg"] or "less than or equal" in detail[0]["msg"]
        assert "error at" not in r.text and "expected" not in r.text.lower()
    r = client.get(path, params={"offset": MAX_OFFSET})
    assert r.status_code == 200 and r.json()["items"] == []


def test_an_unknown_format_on_a_named_query_lists_the_accepted_ones(client):
    r = client.get("/queries/investors-of/results", params={"entity": "OpenAI", "format": "nquads-ish"})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "nquads-ish" in detail and all(name in detail for name in ("json", "xml", "csv", "tsv"))
    # A graph format is no format for a SELECT either; known names and media types pass.
    assert (
        client.get("/queries/investors-of/results", params={"entity": "OpenAI", "format": "turtle"}).status_code == 400
    )
    for value in ("csv", "TSV", "application/sparql-results+xml", ""):
        r = client.get("/queries/investors-of/results", params={"entity": "OpenAI", "format": value})
        assert r.status_code == 200, (value, r.text)
