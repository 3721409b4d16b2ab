"""REST API: articles, entities, relations, paths, analytics (TestClient, real store)."""

from __future__ import annotations

import json

import pytest

from kg.namespaces import ENTITY

from .conftest import ARTICLES, S1, TEST_HOSTS, TOKEN, make_client


def test_list_articles_is_paged_newest_first(client):
    r = client.get("/articles", params={"limit": 2})
    body = r.json()
    assert r.status_code == 200
    assert body["total"] == 4 and body["limit"] == 2
    assert [a["published"] for a in body["items"]] == ["2024-05-01", "2024-03-19"]
    rest = client.get("/articles", params={"limit": 2, "offset": 2}).json()["items"]
    assert [a["title"] for a in rest] == ["Amazon and Anthropic", "Microsoft bets on OpenAI"]
    assert rest[1]["relations"] == 3


@pytest.mark.parametrize("params", [{"limit": 501}, {"limit": 0}, {"offset": -1}])
def test_bad_paging_is_422(client, params):
    assert client.get("/articles", params=params).status_code == 422


def test_get_article_with_relations_and_evidence(client):
    art = ARTICLES[0]
    for ref in (art.id, art.id[:10]):
        body = client.get(f"/articles/{ref}").json()
        assert body["id"] == art.id and body["url"] == art.url and body["published"] == "2023-01-23"
        first = body["mentions"][0]
        assert (first["subject"]["slug"], first["predicate"], first["object"]["slug"]) == (
            "microsoft",
            "investsIn",
            "openai",
        )
        assert first["evidence"] == S1 and first["confidence"] == 0.95


@pytest.mark.parametrize("ref", ["0" * 64, "nothex", "abc"])
def test_unknown_article_is_404(client, ref):
    assert client.get(f"/articles/{ref}").status_code == 404


NEW = {
    "text": "Nvidia supplies chips to Microsoft.",
    "title": "Chips",
    "url": "https://news.example/chips",
    "published": "2024-06-01",
}


def test_post_article_needs_the_token(client):
    assert client.post("/articles", json=NEW).status_code == 401
    assert client.get("/articles").json()["total"] == 4


def test_post_article_json_then_again_is_unchanged(client, auth):
    r = client.post("/articles", json=NEW, headers=auth)
    assert r.status_code == 200
    (item,) = r.json()["articles"]
    assert item["status"] == "new" and item["url"] == NEW["url"]
    assert client.get("/articles").json()["total"] == 5
    again = client.post("/articles", json=[NEW], headers=auth).json()["articles"]
    assert [a["status"] for a in again] == ["unchanged"]


def test_post_known_article_reports_its_relations(client, auth):
    a = ARTICLES[0]
    body = {"text": a.text, "title": a.title, "url": a.url, "published": a.published.isoformat()}
    (item,) = client.post("/articles", json=body, headers=auth).json()["articles"]
    assert item["status"] == "unchanged"
    assert {(m["subject"]["slug"], m["predicate"], m["object"]["slug"]) for m in item["relations"]} == {
        ("microsoft", "investsIn", "openai"),
        ("anthropic", "competesWith", "openai"),
        ("openai", "develops", "gpt-4"),
    }


def test_post_new_text_at_a_known_url_replaces_it(client, auth):
    old = ARTICLES[2]
    r = client.post("/articles", json={"text": "A corrected story.", "url": old.url}, headers=auth)
    assert r.json()["articles"][0]["status"] == "replaced"
    assert client.get(f"/articles/{old.id}").status_code == 404
    ask = f"ASK {{ <{ENTITY}mustafa-suleyman> ?p ?o }}"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False


def test_post_json_lines_and_files(client, auth):
    lines = (
        "\n".join(
            json.dumps({**NEW, "text": f"This is the story with number {i}.", "url": f"https://news.example/{i}"})
            for i in range(3)
        )
        + "\nnot json\n"
    )
    r = client.post("/articles", content=lines, headers={**auth, "Content-Type": "application/x-ndjson"})
    body = r.json()
    assert r.status_code == 200 and [a["status"] for a in body["articles"]] == ["new"] * 3
    assert len(body["skipped"]) == 1
    files = [
        ("file", ("a.txt", b"The first story uploaded as a file.", "text/plain")),
        ("file", ("b.md", b"# Second\n\nThe second story uploaded as a file.", "text/markdown")),
    ]
    up = client.post("/articles", files=files, headers=auth).json()["articles"]
    assert [a["status"] for a in up] == ["new", "new"]
    assert client.get("/articles").json()["total"] == 9


@pytest.mark.parametrize("body, status", [({"title": "no text"}, 422), ([], 422), ({"text": ""}, 422)])
def test_post_bad_json_is_422(client, auth, body, status):
    assert client.post("/articles", json=body, headers=auth).status_code == status


def test_post_unsupported_type_is_415(client, auth):
    r = client.post("/articles", content=b"\x89PNG", headers={**auth, "Content-Type": "image/png"})
    assert r.status_code == 415


def test_delete_article(client, auth):
    a = ARTICLES[1]
    assert client.delete(f"/articles/{a.id}").status_code == 401
    assert client.delete(f"/articles/{a.id}", headers=auth).status_code == 204
    assert client.get(f"/articles/{a.id}").status_code == 404
    assert client.delete(f"/articles/{a.id}", headers=auth).status_code == 404
    ask = f"ASK {{ <{ENTITY}amazon> ?p ?o }}"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False


def test_writes_are_403_without_a_server_token(store_dir):
    with make_client(store_dir) as c:
        assert c.post("/articles", json=NEW, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 403


def test_entity_search_ranks_exact_then_prefix_then_substring(client, auth):
    client.post(
        "/update",
        headers={**auth, "Content-Type": "application/sparql-update"},
        content=(
            f'INSERT DATA {{ <{ENTITY}openai-foundation> <http://www.w3.org/2000/01/rdf-schema#label> "OpenAI Foundation" .'
            f' <{ENTITY}not-openai> <http://www.w3.org/2000/01/rdf-schema#label> "NotOpenAI" }}'
        ),
    )
    items = client.get("/entities", params={"q": "openai"}).json()["items"]
    assert [(i["slug"], i["match"]) for i in items] == [
        ("openai", "exact"),
        ("openai-foundation", "prefix"),
        ("not-openai", "substring"),
    ]


def test_entity_search_by_alias_and_type(client):
    assert [i["slug"] for i in client.get("/entities", params={"q": "msft"}).json()["items"]] == ["microsoft"]
    people = client.get("/entities", params={"type": "Person"}).json()
    assert [i["label"] for i in people["items"]] == ["Mustafa Suleyman"]
    bad = client.get("/entities", params={"type": "Planet"})
    assert bad.status_code == 422 and "Organization" in bad.text


def test_entity_search_text_is_data_not_sparql(client):
    r = client.get("/entities", params={"q": '") } UNION { ?e ?k ?name } #'})
    assert r.status_code == 200 and r.json()["total"] == 0


def test_entity_detail(client):
    e = client.get("/entities/microsoft").json()
    assert e["label"] == "Microsoft" and e["wikidata"] == "Q2283"
    assert e["wikidata_url"] == "http://www.wikidata.org/entity/Q2283"
    assert set(e["aliases"]) == {"MSFT", "Microsoft Corporation"}
    top = e["relations"][0]
    assert (top["direction"], top["predicate"], top["other"]["slug"]) == ("out", "investsIn", "openai")
    assert top["sources"] == 2 and (top["first"], top["last"]) == ("2023-01-23", "2024-03-19")
    assert [ev["date"] for ev in top["evidence"]] == ["2023-01-23", "2024-03-19"]
    assert top["evidence"][0]["title"] == "Microsoft bets on OpenAI"
    openai = client.get("/entities/openai").json()
    assert ("in", "investsIn", "microsoft") in {
        (r["direction"], r["predicate"], r["other"]["slug"]) for r in openai["relations"]
    }


@pytest.mark.parametrize("slug", ["nobody", "Not A Slug"])
def test_unknown_entity_is_404(client, slug):
    assert client.get(f"/entities/{slug}").status_code == 404


def test_relations_filters(client):
    inv = client.get("/relations", params={"predicate": "investsIn"}).json()
    assert [(r["subject"]["slug"], r["object"]["slug"], r["sources"]) for r in inv["items"]] == [
        ("microsoft", "openai", 2),
        ("amazon", "anthropic", 1),
    ]
    late = client.get("/relations", params={"predicate": "investsIn", "since": "2024-01-01"}).json()["items"]
    assert [(r["subject"]["slug"], r["sources"], r["first"]) for r in late] == [("microsoft", 1, "2024-03-19")]
    strong = client.get("/relations", params={"min_sources": 2}).json()["items"]
    assert {(r["subject"]["slug"], r["predicate"]) for r in strong} == {
        ("microsoft", "investsIn"),
        ("anthropic", "competesWith"),
    }
    sure = client.get("/relations", params={"min_confidence": 0.92}).json()["items"]
    assert [r["predicate"] for r in sure] == ["investsIn"]
    by_obj = client.get("/relations", params={"object": "OpenAI"}).json()["items"]
    assert {r["subject"]["slug"] for r in by_obj} == {"microsoft", "anthropic"}


@pytest.mark.parametrize(
    "params, status, says",
    [
        ({"predicate": "owns"}, 422, "investsIn"),
        ({"since": "last year"}, 422, "date"),
        ({"min_confidence": 2}, 422, "min_confidence must be a number from 0 to 1 (0 shows everything), got '2'"),
        ({"min_confidence": "high"}, 422, "min_confidence must be a number from 0 to 1"),
        ({"subject": "Nobody Inc"}, 404, "Nobody"),
    ],
)
def test_relations_bad_parameters(client, params, status, says):
    r = client.get("/relations", params=params)
    assert r.status_code == status and says in r.text


def test_paths(client):
    body = client.get("/paths", params={"from": "Amazon", "to": "gpt-4"}).json()
    assert body["length"] == 3
    assert [h["to"]["slug"] for h in body["hops"]] == ["anthropic", "openai", "gpt-4"]
    too_short = client.get("/paths", params={"from": "Amazon", "to": "gpt-4", "max_length": 2})
    assert too_short.status_code == 404
    none = client.get("/paths", params={"from": "Amazon", "to": "Mustafa Suleyman"})
    assert none.status_code == 404


def test_centrality_and_communities(client):
    top = client.get("/analytics/centrality", params={"measure": "degree", "top": 1}).json()
    assert top[0]["entity"]["slug"] == "openai"
    assert client.get("/analytics/centrality", params={"measure": "fame"}).status_code == 422
    groups = client.get("/analytics/communities").json()
    slugs = [{m["slug"] for m in g["members"]} for g in groups]
    assert {"amazon", "anthropic"} <= next(s for s in slugs if "anthropic" in s)
    assert sum(g["size"] for g in groups) == 8


def test_projection_cache_sees_writes(client, auth):
    before = client.get("/analytics/centrality", params={"top": 50}).json()
    client.delete(f"/articles/{ARTICLES[3].id}", headers=auth)
    after = client.get("/analytics/centrality", params={"top": 50}).json()
    assert len(after) == len(before) - 1


def test_named_queries_listed(client):
    names = {q["name"] for q in client.get("/queries").json()}
    assert "investors-of" in names


def test_openapi_documents_the_rest_models(client):
    spec = client.get("/openapi.json").json()
    assert {"/articles", "/entities/{slug}", "/relations", "/paths", "/sparql", "/update"} <= set(spec["paths"])
    assert "EntityDetail" in spec["components"]["schemas"]


def test_reads_are_answered_while_an_ingest_runs(store_dir, auth):
    import threading
    import time

    from api.deps import get_extract

    from .conftest import fake_extract

    def slow_extract(batch):
        time.sleep(1.5)
        return list(fake_extract(batch))

    with make_client(store_dir, token=TOKEN) as c:
        c.app.dependency_overrides[get_extract] = lambda: slow_extract
        done = {}
        t = threading.Thread(target=lambda: done.setdefault("r", c.post("/articles", json=NEW, headers=auth)))
        t.start()
        time.sleep(0.3)
        t0 = time.monotonic()
        r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        waited = time.monotonic() - t0
        t.join(10)
    assert r.status_code == 200 and waited < 0.8
    assert done["r"].status_code == 200


@pytest.mark.slow
def test_post_article_runs_the_real_pipeline(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    text = "Microsoft invested $10 billion in OpenAI, the maker of ChatGPT, in January 2023."
    with TestClient(create_app(Settings(store=str(tmp_path / "s"), token=TOKEN, allowed_hosts=TEST_HOSTS))) as c:
        r = c.post(
            "/articles",
            json={"text": text, "url": "https://news.example/real", "published": "2023-01-23"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        (item,) = r.json()["articles"]
        found = {(m["subject"]["slug"], m["predicate"], m["object"]["slug"]) for m in item["relations"]}
        assert ("microsoft", "investsIn", "openai") in found
        e = c.get("/entities/openai").json()
        assert ("in", "investsIn", "microsoft") in {
            (x["direction"], x["predicate"], x["other"]["slug"]) for x in e["relations"]
        }
