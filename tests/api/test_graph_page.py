"""/graph: the network page served by the app, filtered by its URL parameters."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from kg.namespaces import ENTITY
from tests.api.conftest import SAMPLE_MIN_CONFIDENCE, TEST_HOSTS
from tests.browser import sample


@pytest.fixture
def graph_client(tmp_path: Path) -> Iterator[TestClient]:
    store = sample.build_store(tmp_path / "store")
    settings = Settings(store=str(store), allowed_hosts=TEST_HOSTS, min_confidence=SAMPLE_MIN_CONFIDENCE)
    with TestClient(create_app(settings)) as c:
        yield c


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert m, "no embedded graph data"
    return json.loads(m.group(1))


def test_graph_page_embeds_the_whole_small_graph(graph_client):
    r = graph_client.get("/graph")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    data = page_data(r.text)
    assert len(data["nodes"]) == 11 and len(data["edges"]) == 9
    assert '"entityBase":"/entity/"' in r.text and '"standalone":false' in r.text
    assert '<form id="filters" method="get" action="/graph">' in r.text
    assert "<img" not in r.text


def test_url_parameters_filter_and_prefill_the_form(graph_client):
    r = graph_client.get("/graph", params={"predicates": "investsIn,suppliesTo", "min_sources": 1})
    data = page_data(r.text)
    assert {e["predicate"] for e in data["edges"]} == {"investsIn", "suppliesTo"}
    assert 'value="investsIn" checked' in r.text and 'value="uses">' in r.text
    repeated = page_data(graph_client.get("/graph?types=Person&types=Organization").text)
    assert {n["type"] for n in repeated["nodes"]} == {"Person", "Organization"}
    early = page_data(graph_client.get("/graph", params={"as_of": "2023-06-30"}).text)
    assert [(e["from"], e["predicate"], e["to"]) for e in early["edges"]] == [
        (ENTITY + "microsoft", "investsIn", ENTITY + "openai"),
        (ENTITY + "openai", "develops", ENTITY + "gpt-4"),
    ]


def test_focus_and_limit(graph_client):
    data = page_data(graph_client.get("/graph", params={"focus": "Q2283", "depth": 1}).text)
    assert data["focus"] == ENTITY + "microsoft"
    assert {n["id"].removeprefix(ENTITY) for n in data["nodes"]} == {"microsoft", "openai", "nvidia", sample.XSS.slug}
    r = graph_client.get("/graph", params={"limit": 2})
    assert "showing 2 of 11 entities, the most central" in r.text
    r = graph_client.get("/graph", params={"focus": "<b>nobody</b>"})
    assert r.status_code == 200 and "<b>nobody</b>" not in r.text
    assert "no entity named" in page_data(r.text)["notes"][0]


@pytest.mark.parametrize(
    "params",
    [
        {"predicates": "likes"},
        {"types": "Country"},
        {"since": "yesterday"},
        {"min_confidence": 2},
        {"limit": 0},
        {"depth": 9},
    ],
)
def test_bad_parameters_are_client_errors(graph_client, params):
    r = graph_client.get("/graph", params=params)
    assert r.status_code in (400, 422)
    assert "detail" in r.json()


def test_neighbours_of_an_entity_for_the_pages_expansion(graph_client):
    r = graph_client.get("/graph/neighbours", params={"entity": ENTITY + "openai"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["center"] == ENTITY + "openai"
    assert {n["id"] for n in body["nodes"]} == {ENTITY + s for s in ("openai", "microsoft", "anthropic", "gpt-4")}
    assert {(e["from"], e["predicate"], e["to"]) for e in body["edges"]} >= {
        (ENTITY + "microsoft", "investsIn", ENTITY + "openai"),
        (ENTITY + "openai", "develops", ENTITY + "gpt-4"),
    }
    # The page's filters apply: only investors, and a name works as well as an IRI.
    only = graph_client.get("/graph/neighbours", params={"entity": "OpenAI", "predicates": "investsIn"}).json()
    assert {n["id"] for n in only["nodes"]} == {ENTITY + "openai", ENTITY + "microsoft"}
    # The hedged 0.6 statement is below a threshold of 0.7: Google is no neighbour then.
    anthropic = graph_client.get("/graph/neighbours", params={"entity": "Anthropic", "min_confidence": "0.7"}).json()
    assert ENTITY + "google" not in {n["id"] for n in anthropic["nodes"]}


@pytest.mark.parametrize(
    "params, status",
    [
        ({"entity": "<script>alert(1)</script>"}, 404),
        ({"entity": "Nobody Inc"}, 404),
        ({}, 422),
        ({"entity": "OpenAI", "limit": "61"}, 422),
        ({"entity": "OpenAI", "predicates": "bogus"}, 400),
    ],
)
def test_neighbours_refuses_what_it_cannot_answer(graph_client, params, status):
    r = graph_client.get("/graph/neighbours", params=params)
    assert r.status_code == status
    assert "Traceback" not in r.text
    if status == 404:
        assert r.json()["detail"].startswith("no entity ")
