"""The default display threshold: pages and /relations hide weak statements, /sparql does not.

A real store on disk holds one relation stated at 0.9, one at 0.3 only, and one stated
twice (0.8 and 0.2), so every case of "shown", "hidden" and "shown with weaker
statements hidden" is there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.settings import Settings
from kg.loader import ingest
from kg.model import DEFAULT_MIN_CONFIDENCE, Entity
from kg.namespaces import ENTITY
from kg.store import LocalStore
from tests.api.conftest import make_client, make_extraction, start_server, stop_server
from tests.api.test_graph_page import page_data

NVIDIA = Entity("Nvidia", "Organization")
META = Entity("Meta", "Organization")
ACME = Entity("Acme Robotics", "Organization")
GLOBEX = Entity("Globex", "Organization")
MISTRAL = Entity("Mistral AI", "Organization")
OPENAI = Entity("OpenAI", "Organization")

SURE = "Nvidia invested in Mistral AI."
WEAK = "Acme Robotics may be suing Globex, one blog hinted."
MIXED_STRONG = "Meta partners with OpenAI on safety research."
MIXED_WEAK = "Meta and OpenAI were seen at the same party."

FIRST = make_extraction(
    f"{SURE} {MIXED_STRONG}",
    "A sure day",
    "https://news.example/sure",
    date(2024, 2, 1),
    [(NVIDIA, "investsIn", MISTRAL, SURE, 0.9), (META, "partnersWith", OPENAI, MIXED_STRONG, 0.8)],
)
SECOND = make_extraction(
    f"{WEAK} {MIXED_WEAK}",
    "Rumours",
    "https://news.example/rumours",
    date(2024, 3, 1),
    [(ACME, "sues", GLOBEX, WEAK, 0.3), (META, "partnersWith", OPENAI, MIXED_WEAK, 0.2)],
)


def _extract(batch):
    by_id = {ex.article.id: ex for ex in (FIRST, SECOND)}
    for a in batch:
        yield by_id[a.id]


def build_threshold_store(path: Path) -> Path:
    """Ingest the two articles into a store directory and close it."""
    with LocalStore(path) as store:
        ingest(store, [FIRST.article, SECOND.article], _extract)
    return path


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return build_threshold_store(tmp_path / "store")


@pytest.fixture
def client(store_dir: Path) -> Iterator[TestClient]:
    with make_client(store_dir, min_confidence=None) as c:
        yield c


def _triples(body: dict) -> set[tuple[str, str, str]]:
    return {(r["subject"]["slug"], r["predicate"], r["object"]["slug"]) for r in body["items"]}


def test_the_default_is_the_confident_band(monkeypatch):
    monkeypatch.delenv("AIKG_MIN_CONFIDENCE", raising=False)
    assert DEFAULT_MIN_CONFIDENCE == 0.8 and Settings().min_confidence == 0.8


def test_relations_hide_weak_ones_by_default_and_show_all_at_zero(client):
    default = client.get("/relations").json()
    assert _triples(default) == {("nvidia", "investsIn", "mistral-ai"), ("meta", "partnersWith", "openai")}
    assert default["total"] == 2
    mixed = next(r for r in default["items"] if r["predicate"] == "partnersWith")
    assert mixed["sources"] == 1 and mixed["confidence"] == pytest.approx(0.8)
    everything = client.get("/relations", params={"min_confidence": 0}).json()
    assert ("acme-robotics", "sues", "globex") in _triples(everything) and everything["total"] == 3
    assert next(r for r in everything["items"] if r["predicate"] == "partnersWith")["sources"] == 2
    stricter = client.get("/relations", params={"min_confidence": 0.85}).json()
    assert _triples(stricter) == {("nvidia", "investsIn", "mistral-ai")}
    # The second request at the default is answered from the cache: still the same.
    assert client.get("/relations").json() == default


def test_the_server_setting_moves_the_default(store_dir):
    with make_client(store_dir, min_confidence=0.25) as c:
        assert ("acme-robotics", "sues", "globex") in _triples(c.get("/relations").json())
        assert WEAK in c.get("/entity/acme-robotics").text
    with make_client(store_dir, min_confidence=0.95) as c:
        assert c.get("/relations").json()["items"] == []
        assert len(c.get("/relations", params={"min_confidence": "0"}).json()["items"]) == 3


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high", "nan"])
def test_a_bad_setting_is_refused_in_plain_words(monkeypatch, value):
    monkeypatch.setenv("AIKG_MIN_CONFIDENCE", value)
    with pytest.raises(ValidationError, match="min_confidence"):
        Settings()


@pytest.mark.parametrize("path", ["/relations", "/graph", "/entity/meta", f"/article/{FIRST.article.id}"])
@pytest.mark.parametrize("value", ["2", "-1", "most", "nan"])
def test_a_bad_threshold_is_a_plain_client_error(client, path, value):
    r = client.get(path, params={"min_confidence": value})
    assert r.status_code == 422
    assert r.json() == {"detail": f"min_confidence must be a number from 0 to 1 (0 shows everything), got {value!r}"}


def test_graph_page_data_leaves_out_weak_relations_and_weaker_evidence(client):
    r = client.get("/graph")
    data = page_data(r.text)
    edges = {(e["from"].removeprefix(ENTITY), e["predicate"], e["to"].removeprefix(ENTITY)): e for e in data["edges"]}
    assert set(edges) == {("nvidia", "investsIn", "mistral-ai"), ("meta", "partnersWith", "openai")}
    assert "acme-robotics" not in {n["slug"] for n in data["nodes"]}
    mixed = edges[("meta", "partnersWith", "openai")]
    assert [ev["sentence"] for ev in mixed["evidence"]] == [MIXED_STRONG] and mixed["weaker"] == 1
    assert edges[("nvidia", "investsIn", "mistral-ai")]["weaker"] == 0
    assert data["filters"]["min_confidence"] == 0.8 and 'id="f-conf"' in r.text and 'value="0.8"' in r.text
    assert '"defaultMinConfidence":0.8' in r.text
    assert MIXED_WEAK not in r.text and WEAK not in r.text

    everything = page_data(client.get("/graph", params={"min_confidence": 0}).text)
    assert len(everything["edges"]) == 3
    mixed = next(e for e in everything["edges"] if e["predicate"] == "partnersWith")
    assert {ev["sentence"] for ev in mixed["evidence"]} == {MIXED_STRONG, MIXED_WEAK} and mixed["weaker"] == 0


def test_entity_page_shows_strong_statements_and_says_how_many_are_hidden(client):
    html = client.get("/entity/meta").text
    assert MIXED_STRONG in html and MIXED_WEAK not in html
    assert re.search(
        r"1 weaker statement hidden \(confidence below 0\.80\) · "
        r'<a class="show-all" href="\?min_confidence=0">show all</a>',
        html,
    )
    full = client.get("/entity/meta", params={"min_confidence": 0}).text
    assert MIXED_STRONG in full and MIXED_WEAK in full and "weaker statement" not in full

    only_weak = client.get("/entity/acme-robotics").text
    assert "1 relation below confidence 0.80 hidden" in only_weak and WEAK not in only_weak
    assert "No relations this confident." in only_weak
    assert WEAK in client.get("/entity/acme-robotics", params={"min_confidence": "0"}).text
    # The JSON of an entity stays complete: it carries every statement with its confidence.
    api = client.get("/entities/meta").json()
    assert {ev["sentence"] for r in api["relations"] for ev in r["evidence"]} == {MIXED_STRONG, MIXED_WEAK}


def test_article_page_hides_its_weak_statements(client):
    html = client.get(f"/article/{SECOND.article.id}").text
    assert WEAK not in html and MIXED_WEAK not in html
    assert "2 weaker statements hidden (confidence below 0.80)" in html and 'href="?min_confidence=0"' in html
    assert "No relation was extracted" not in html
    full = client.get(f"/article/{SECOND.article.id}", params={"min_confidence": 0}).text
    assert WEAK in full and MIXED_WEAK in full and "weaker statements hidden" not in full
    strong = client.get(f"/article/{FIRST.article.id}").text
    assert SURE in strong and "hidden" not in strong


def test_sparql_is_never_filtered(client):
    q = (
        "PREFIX aikg: <https://w3id.org/aikg/ontology#> "
        "SELECT (COUNT(?st) AS ?n) WHERE { ?st a aikg:RelationStatement }"
    )
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == 4


def test_a_served_process_takes_the_threshold_from_its_environment(store_dir):
    server = start_server(store_dir, AIKG_MIN_CONFIDENCE="0.1")
    try:
        body = httpx.get(server.url + "/relations", timeout=30).json()
        assert ("acme-robotics", "sues", "globex") in _triples(body)
        r = httpx.get(server.url + "/relations", params={"min_confidence": "1.01"}, timeout=30)
        assert r.status_code == 422 and "from 0 to 1" in r.json()["detail"]
    finally:
        stop_server(server)


def test_aikg_viz_follows_the_same_default(store_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "AIKG_MIN_CONFIDENCE"}
    out = tmp_path / "g.html"

    def run(*extra: str, **more: str) -> dict:
        proc = subprocess.run(
            [sys.executable, "-m", "aikg", "viz", "--store", str(store_dir), "-o", str(out), *extra],
            capture_output=True,
            text=True,
            timeout=300,
            env={**env, **more},
        )
        assert proc.returncode == 0, proc.stderr
        return page_data(out.read_text(encoding="utf-8"))

    default = run()
    assert {e["predicate"] for e in default["edges"]} == {"investsIn", "partnersWith"}
    assert default["filters"]["min_confidence"] == 0.8
    assert next(e for e in default["edges"] if e["predicate"] == "partnersWith")["weaker"] == 1
    assert len(run("--min-confidence", "0")["edges"]) == 3
    assert len(run(AIKG_MIN_CONFIDENCE="0.25")["edges"]) == 3
