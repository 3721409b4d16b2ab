"""HTML pages (in process): content, escaping of untrusted text, nothing loaded from outside."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import ARTICLES

EVIL_SLUG = "script-alert-1-script-labs"

PAGES = ["/", "/entity/microsoft", f"/entity/{EVIL_SLUG}", f"/article/{ARTICLES[3].id}", "/search?q=labs", "/query"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_escape_untrusted_text_and_load_nothing_remote(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in r.text and "<b>Labs" not in r.text
    # Every script, stylesheet, image or frame comes from this server.
    for attr in re.findall(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="([^"]*)"', r.text):
        assert attr.startswith("/"), attr
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp


def test_evil_label_shows_as_text(client):
    r = client.get(f"/entity/{EVIL_SLUG}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Labs" in r.text


def test_home_shows_counts_connected_entities_and_recent_articles(client):
    html = client.get("/").text
    assert re.search(r"<b>4</b>\s*articles", html)
    assert 'href="/entity/openai"' in html
    assert html.index("Suleyman to lead Microsoft AI") < html.index("Microsoft bets on OpenAI")


def test_entity_page_lists_relations_with_evidence(client):
    html = client.get("/entity/microsoft").text
    assert "investsIn" in html and 'href="/entity/openai"' in html
    assert "Microsoft invested $10 billion in OpenAI." in html
    assert "2 sources, 2023-01-23 – 2024-03-19" in html
    assert 'href="https://www.wikidata.org/wiki/Q2283"' in html


def test_article_page_lists_its_relations(client):
    html = client.get(f"/article/{ARTICLES[0].id}").text
    assert "Microsoft bets on OpenAI" in html
    assert html.count('<li class="triple') == 3  # three relations beside the text


@pytest.mark.parametrize("path", ["/entity/nobody", f"/article/{'0' * 64}"])
def test_missing_pages_are_404_html(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "Not found" in r.text


def test_query_page_embeds_named_queries_as_inert_json(client):
    html = client.get("/query").text
    blob = re.search(r'<script id="named-queries" type="application/json">(.*?)</script>', html, re.S).group(1)
    names = {q["name"] for q in json.loads(blob)}
    assert "investors-of" in names
    assert "<" not in blob


def test_named_query_runs_with_bound_parameters(client):
    r = client.get("/queries/investors-of/results", params={"entity": "OpenAI"})
    assert r.status_code == 200
    values = {b[k]["value"] for b in r.json()["results"]["bindings"] for k in b}
    assert any(v.endswith("/microsoft") for v in values)
    csv = client.get("/queries/investors-of/results", params={"entity": "OpenAI", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("params, status", [({}, 422), ({"entity": "x", "who": "y"}, 422)])
def test_named_query_parameter_errors(client, params, status):
    r = client.get("/queries/investors-of/results", params=params)
    assert r.status_code == status and "entity" in r.text


def test_unknown_named_query_is_404(client):
    assert client.get("/queries/nope/results").status_code == 404


def test_docs_are_served_from_this_server(client):
    html = client.get("/docs").text
    assert "/static-docs/swagger-ui-bundle.js" in html
    assert not re.search(r'(?:src|href)="https?://', html)
    assert client.get("/static-docs/swagger-ui.css").status_code == 200


def test_favicon_is_served_and_linked(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon"
    count = int.from_bytes(r.content[4:6], "little")
    assert r.content[:4] == b"\x00\x00\x01\x00" and count >= 1  # an ICO file with at least one image
    assert '<link rel="icon" href="/favicon.ico">' in client.get("/").text
