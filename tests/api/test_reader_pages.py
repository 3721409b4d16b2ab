"""The article page's text (in process): stored on request, escaped, marked server-side."""

from __future__ import annotations

import re

import pytest

from .conftest import ARTICLES, S1, S2, S5

HOSTILE = (
    "Intro line.\n\nA paragraph with </p><script>alert(1)</script> and <b>bold</b> & more. "
    "Acme unveils a <img src=x onerror=alert(1)> gadget."
)


@pytest.mark.parametrize("store_text", [True, False])
def test_post_articles_keeps_the_full_text_only_when_asked(client, auth, store_dir, store_text):
    params = {"store_text": "true"} if store_text else {}
    r = client.post("/articles", json={"text": HOSTILE, "title": "Hostile text"}, headers=auth, params=params)
    assert r.status_code == 200
    (item,) = r.json()["articles"]
    html = client.get(f"/article/{item['id']}").text
    assert "<script>alert" not in html and "<b>bold" not in html and "<img src=x" not in html
    if store_text:
        assert "Full text not stored" not in html
        assert "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt; &amp; more." in html
    else:
        assert "Full text not stored" in html and "bold" not in html


def test_article_page_marks_each_evidence_sentence_and_links_each_name(client):
    html = client.get(f"/article/{ARTICLES[0].id}").text
    marks = re.findall(r'<mark class="evidence" id="(s\d+)" data-triples="([^"]*)"[^>]*>(.*?)</mark>', html)
    assert [re.sub(r"<[^>]+>", "", text) for _, _, text in marks] == [S1, S2, S5]
    # Each relation in the side list points at the sentence that states it.
    triples = dict(re.findall(r'<li class="triple" id="(t\d+)" data-sentence="(s\d+)"', html))
    assert sorted(triples) == sorted(t for _, ids, _ in marks for t in ids.split())
    assert {s for _, s in triples.items()} == {sid for sid, _, _ in marks}
    assert '<a class="mention t-AIModel" href="/entity/gpt-4"' in html
    assert "Full text not stored" in html  # the test store keeps only evidence


def test_entity_page_groups_relations_with_counts_and_draws_its_neighbours(client):
    html = client.get("/entity/openai").text
    groups = re.findall(r'<span class="phrase">([^<]+)</span> <span class="count"[^>]*>(\d+)</span>', html)
    assert ("invested in by", "1") in groups and ("competes with", "1") in groups and ("develops", "1") in groups
    assert '<svg class="ego-net"' in html and html.count('<a class="node" href="/entity/') == 3


def test_predicate_colours_are_the_graph_pages_colours():
    """The entity page's network and legend use the same colour for a predicate as /graph."""
    import re
    from pathlib import Path

    from kg.viz import PREDICATE_COLOR

    css = (Path(__file__).resolve().parents[2] / "api" / "static" / "style.css").read_text(encoding="utf-8")
    found = dict(re.findall(r"\.p-(\w+) \{ stroke: (#[0-9a-f]{6});", css))
    assert found == PREDICATE_COLOR
