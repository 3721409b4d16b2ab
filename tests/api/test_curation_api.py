"""/curation on a real server process over a store on disk: every operation, the token,
bad requests, ten curators at once, and /sparql never showing a rejected relation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import httpx
import pytest

from kg.derived import NOT_DERIVED
from kg.namespaces import ENTITY, ONTOLOGY, OWL, SKOS
from tests.api.conftest import REPO, TOKEN, build_store, start_server, stop_server
from tests.servers import AikgServer

AUTH = {"Authorization": f"Bearer {TOKEN}"}
CURATOR = "rita"  # the server's token is "rita:<TOKEN>": operations are recorded as rita's
SECOND = ("bob", "second-curator-secret")  # a second token, one line further down
# every quad but the time index's (derived data, which a curation removes)
EVERYTHING = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } " + NOT_DERIVED + " } }"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AikgServer]:
    store = build_store(tmp_path_factory.mktemp("curated") / "store")
    server = start_server(store, AIKG_TOKEN=f"{CURATOR}:{TOKEN}\n{SECOND[0]}:{SECOND[1]}\n")
    yield server
    stop_server(server)


def sparql(srv: AikgServer, query: str) -> dict:
    r = httpx.post(srv.sparql, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def ask(srv: AikgServer, query: str) -> bool:
    return sparql(srv, query)["boolean"]


def snapshot(srv: AikgServer) -> list[tuple]:
    rows = sparql(srv, EVERYTHING)["results"]["bindings"]
    return sorted(tuple(sorted((k, v["value"]) for k, v in row.items())) for row in rows)


def post(srv: AikgServer, route: str, body: dict, headers: dict | None = AUTH) -> httpx.Response:
    return httpx.post(f"{srv.url}/curation/{route}", json=body, headers=headers or {}, timeout=60)


def test_writes_need_the_token(srv):
    before = snapshot(srv)
    body = {"source": "Microsoft AI", "target": "Microsoft"}
    assert post(srv, "merge", body, headers=None).status_code == 401
    assert post(srv, "merge", body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert snapshot(srv) == before
    assert httpx.get(f"{srv.url}/curation/log", timeout=30).status_code == 200  # reading needs none


def test_reject_over_rest_and_sparql_never_shows_it(srv):
    relation = f"ASK {{ <{ENTITY}amazon> <{ONTOLOGY}investsIn> <{ENTITY}anthropic> }}"
    statement = f"ASK {{ ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{ENTITY}amazon> }}"
    assert ask(srv, relation)
    r = post(
        srv,
        "reject",
        {"subject": "Amazon", "predicate": "investsIn", "object": "Anthropic", "reason": "test", "by": "mallory"},
    )
    assert r.status_code == 200, r.text
    # Who is the token's name, whatever the body says.
    assert r.json()["removed"] > 0 and r.json()["operation"]["by"] == CURATOR
    assert not ask(srv, relation) and not ask(srv, statement)
    assert ask(srv, f"ASK {{ GRAPH ?g {{ <{ENTITY}amazon> <{ONTOLOGY}investsIn> <{ENTITY}anthropic> }} }}")
    rels = httpx.get(f"{srv.url}/relations", params={"subject": "Amazon", "min_confidence": "0"}, timeout=30).json()
    assert rels["items"] == [] and rels["total"] == 0
    log = httpx.get(f"{srv.url}/curation/log", params={"type": "Reject"}, timeout=30).json()
    assert [op["reason"] for op in log["operations"]] == ["test"]


def test_every_operation_over_rest(srv):
    def ok(route: str, body: dict) -> dict:
        r = post(srv, route, body)
        assert r.status_code == 200, r.text
        return r.json()

    ok("merge", {"source": "Microsoft AI", "target": "Microsoft"})
    assert ask(srv, f"ASK {{ <{ENTITY}mustafa-suleyman> <{ONTOLOGY}leads> <{ENTITY}microsoft> }}")
    assert ask(srv, f"ASK {{ <{ENTITY}microsoft-ai> <{OWL}sameAs> <{ENTITY}microsoft> }}")
    for path, target in (
        ("/entities/microsoft-ai", "/entities/microsoft"),
        ("/entity/microsoft-ai", "/entity/microsoft"),
        ("/entity/microsoft-ai.ttl", "/entity/microsoft.ttl"),
    ):
        r = httpx.get(srv.url + path, timeout=30)
        assert r.status_code == 301 and r.headers["location"] == target
    ok("split", {"source": "Microsoft AI", "target": "Microsoft"})
    assert ask(srv, f"ASK {{ <{ENTITY}mustafa-suleyman> <{ONTOLOGY}leads> <{ENTITY}microsoft-ai> }}")
    assert httpx.get(srv.url + "/entities/microsoft-ai", timeout=30).status_code == 200
    ok("rename", {"entity": "GPT-4", "name": "GPT 4"})
    assert ask(srv, f'ASK {{ <{ENTITY}gpt-4> <{SKOS}prefLabel> "GPT 4" }}')
    ok("alias", {"entity": "OpenAI", "alias": "OAI"})
    ok("alias", {"entity": "OpenAI", "alias": "Open AI", "remove": True})
    assert ask(srv, f'ASK {{ <{ENTITY}openai> <{SKOS}altLabel> "OAI" }}')
    assert not ask(srv, f'ASK {{ <{ENTITY}openai> <{SKOS}altLabel> "Open AI" }}')
    ok("retype", {"entity": "GPT-4", "type": "Product"})
    assert ask(srv, f"ASK {{ <{ENTITY}gpt-4> a <{ONTOLOGY}Product> }}")
    ok("link", {"entity": "Microsoft AI", "wikidata": "Q123"})
    ok("link", {"entity": "Amazon", "wikidata": None})
    assert not ask(srv, f"ASK {{ <{ENTITY}amazon> <{OWL}sameAs> ?x }}")
    added = ok(
        "add",
        {
            "subject": "Amazon",
            "predicate": "partnersWith",
            "object": "Anthropic",
            "url": "https://example.org/a",
            "quote": "Amazon and Anthropic work together.",
        },
    )
    assert added["added"] > 0
    assert ask(srv, f"ASK {{ <{ENTITY}amazon> <{ONTOLOGY}partnersWith> <{ENTITY}anthropic> }}")
    # The evidence links to a page for the curator's source: its address and the quote.
    ent = httpx.get(f"{srv.url}/entities/amazon", timeout=30).json()
    ev = next(r for r in ent["relations"] if r["predicate"] == "partnersWith")["evidence"][0]
    page = httpx.get(f"{srv.url}/article/{ev['article']}", timeout=30)
    assert page.status_code == 200, page.text[:300]
    assert '<q class="quote">Amazon and Anthropic work together.</q>' in page.text
    assert "Relations found (1)" in page.text
    assert 'href="https://example.org/a"' in page.text and "partnersWith" in page.text
    assert httpx.get(f"{srv.url}/article/{'0' * 64}", timeout=30).status_code == 404
    stmt = sparql(
        srv,
        f"SELECT ?st WHERE {{ ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{ENTITY}openai> ; "
        f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <{ONTOLOGY}develops> }}",
    )
    st = stmt["results"]["bindings"][0]["st"]["value"]
    ok("accept", {"statement": st})
    assert ask(srv, f"ASK {{ <{st}> <{ONTOLOGY}reviewed> true }}")
    ok("undo", {"operation": added["operation"]["id"]})
    assert not ask(srv, f"ASK {{ <{ENTITY}amazon> <{ONTOLOGY}partnersWith> <{ENTITY}anthropic> }}")


@pytest.mark.parametrize(
    ("route", "body", "message"),
    [
        ("merge", {"source": "Nobody", "target": "Microsoft"}, "unknown entity"),
        ("merge", {"source": "OpenAI", "target": "OpenAI"}, "into itself"),
        ("merge", {"source": "Mustafa Suleyman", "target": "Microsoft"}, "across types"),
        ("reject", {"subject": "Microsoft", "predicate": "ownsPart", "object": "OpenAI"}, "unknown predicate"),
        (
            "add",
            {"subject": "GPT-4", "predicate": "sues", "object": "OpenAI", "url": "https://e.org", "quote": "q"},
            "not allowed",
        ),
        ("split", {"source": "OpenAI", "target": "Microsoft"}, "not merged"),
        ("undo", {"operation": "nope"}, "unknown operation"),
    ],
)
def test_bad_requests_get_400_and_change_nothing(srv, route, body, message):
    before = snapshot(srv)
    r = post(srv, route, body)
    assert r.status_code == 400
    assert message in r.json()["detail"] and "\n" not in r.json()["detail"]
    assert snapshot(srv) == before


def test_cyclic_merge_is_refused(srv):
    assert post(srv, "merge", {"source": "Anthropic", "target": "OpenAI"}).status_code == 200
    before = snapshot(srv)
    r = post(srv, "merge", {"source": "OpenAI", "target": "Anthropic"})
    assert r.status_code == 400 and ("itself" in r.json()["detail"] or "cyclic" in r.json()["detail"])
    assert snapshot(srv) == before
    assert post(srv, "split", {"source": f"{ENTITY}anthropic", "target": "OpenAI"}).status_code == 200


def test_ten_curators_at_once_lose_nothing(srv):
    start = httpx.get(f"{srv.url}/curation/log", timeout=30).json()["count"]
    results: list[int] = []

    def curator(i: int) -> None:
        # Two curators, each with a token of their own; some send the whole NAME:SECRET line.
        auth = [
            AUTH,
            {"Authorization": f"Bearer {CURATOR}:{TOKEN}"},
            {"Authorization": f"Bearer {SECOND[1]}"},
            {"Authorization": f"Bearer {':'.join(SECOND)}"},
        ][i % 4]
        r = post(srv, "alias", {"entity": "Anthropic", "alias": f"Curator alias {i}"}, headers=auth)
        results.append(r.status_code)

    threads = [threading.Thread(target=curator, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results == [200] * 10
    log = httpx.get(f"{srv.url}/curation/log", params={"type": "AddAlias"}, timeout=30).json()["operations"]
    mine = [op for op in log if str(op.get("alias", "")).startswith("Curator alias")]
    assert sorted(op["alias"] for op in mine) == sorted(f"Curator alias {i}" for i in range(10))
    by = {op["alias"]: op["by"] for op in mine}
    assert by == {f"Curator alias {i}": CURATOR if i % 4 < 2 else SECOND[0] for i in range(10)}
    assert httpx.get(f"{srv.url}/curation/log", timeout=30).json()["count"] == start + 10
    rows = sparql(
        srv, f'SELECT ?l WHERE {{ <{ENTITY}anthropic> <{SKOS}altLabel> ?l FILTER(STRSTARTS(?l, "Curator")) }}'
    )
    assert len(rows["results"]["bindings"]) == 10


def test_cli_talks_to_the_server(srv):
    env = {k: v for k, v in os.environ.items() if k != "AIKG_TOKEN"} | {"PYTHONPATH": str(REPO)}
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "aikg", "curate", *a, "--server", srv.url],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=REPO,
    )
    r = run("reject", "OpenAI", "develops", "GPT-4", "--reason", "from the CLI", "--token", TOKEN)
    assert r.returncode == 0, r.stderr
    assert not ask(srv, f"ASK {{ <{ENTITY}openai> <{ONTOLOGY}develops> <{ENTITY}gpt-4> }}")
    r = run("merge", "OpenAI", "OpenAI", "--token", TOKEN)
    assert r.returncode == 2 and "into itself" in r.stderr
    before = snapshot(srv)
    r = run("merge", "GPT-4", "OpenAI")  # no token
    assert r.returncode == 2 and "401" in r.stderr
    assert snapshot(srv) == before
    r = run("log", "--type", "Reject")
    assert r.returncode == 0 and "from the CLI" in r.stdout
    r = run("reject", "OpenAI", "develops", "GPT-4", "--by", "someone", "--token", TOKEN)
    assert r.returncode == 2 and "--by does not apply with --server" in r.stderr


def test_cli_exports_labels_from_the_server(srv, tmp_path):
    assert (
        post(srv, "reject", {"subject": "Microsoft", "predicate": "investsIn", "object": "OpenAI"}).status_code == 200
    )
    out = tmp_path / "labels.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in ("AIKG_TOKEN", "AIKG_STORE")} | {"PYTHONPATH": str(REPO)}
    r = subprocess.run(
        [sys.executable, "-m", "aikg", "curate", "export-labels", str(out), "--server", srv.url],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=REPO,
    )
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    texts = {rec["text"] for rec in records if rec.get("negatives")}
    assert "Microsoft invested $10 billion in OpenAI." in texts, records


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("undo", {"operation": "\u0000iH"}),
        ("merge", {"source": "https://w3id.org/aikg/entity/a b", "target": "OpenAI"}),
        ("reject", {"statement": "stmt:\u0011\f"}),
        ("alias", {"entity": "OpenAI", "alias": "x", "reason": "\ud800"}),
    ],
)
def test_text_that_is_no_iri_or_no_unicode_gets_4xx(srv, route, body):
    before = snapshot(srv)
    r = httpx.post(
        f"{srv.url}/curation/{route}",
        content=json.dumps(body),
        headers={**AUTH, "Content-Type": "application/json"},
        timeout=60,
    )
    assert r.status_code in (400, 422), r.text
    assert snapshot(srv) == before
