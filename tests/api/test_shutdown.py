"""A server shutting down during writes: a long POST /articles stops after its batch with
503, new writes are refused at once, and the store holds exactly what the 503 reports.

The first test runs a real ``aikg serve`` with the real extractor and sends it SIGTERM in
the middle of a long POST; the others use the app in process to reach the moments a
signal cannot aim at (a write arriving after the shutdown began).
"""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from api.deps import get_extract
from kg.namespaces import ONTOLOGY, SCHEMA
from kg.store import LocalStore

from .conftest import ARTICLES, TOKEN, fake_extract, make_client, start_server

COMPANIES = [
    "Microsoft",
    "OpenAI",
    "Google",
    "Nvidia",
    "Amazon",
    "Anthropic",
    "Meta",
    "Apple",
    "IBM",
    "Oracle",
    "Intel",
    "Samsung",
]
STOPPED = re.compile(r"server is shutting down: stopped after (\d+) of (\d+) batches; resend the rest")
ARTICLES_HELD = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g <" + SCHEMA + "url> ?u } }"


def _corpus(n: int) -> list[dict]:
    """Return n short, distinct news records, each naming a deal between two companies."""
    out = []
    for i in range(n):
        a, b = COMPANIES[i % len(COMPANIES)], COMPANIES[(i * 5 + 1) % len(COMPANIES)]
        if a == b:
            b = COMPANIES[(i + 3) % len(COMPANIES)]
        text = (
            f"{a} invested $ {i + 2} million in {b}, the companies said on Monday in story {i}. "
            f"{b} also partners with {a} on cloud computing."
        )
        out.append(
            {
                "url": f"https://news.example/shutdown/{i}",
                "title": f"Story {i}",
                "published": "2024-06-03",
                "text": text,
            }
        )
    return out


def _held(url: str) -> int:
    r = httpx.get(
        url + "/sparql",
        params={"query": ARTICLES_HELD},
        timeout=10,
        headers={"Accept": "application/sparql-results+json"},
    )
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def _stored(path: Path) -> dict[str, int]:
    """Return url -> number of relation statements, read from the store directory itself."""
    q = (
        f"SELECT ?u (COUNT(?st) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{SCHEMA}url> ?u "
        f"OPTIONAL {{ ?st a <{ONTOLOGY}RelationStatement> }} }} }} GROUP BY ?u"
    )
    with LocalStore(path) as store:
        counts = {r["u"].value: int(r["n"].value) for r in store.query(q)}
        graphs = store.query(f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{SCHEMA}url> ?u }} }}")
        assert int(next(iter(graphs))["n"].value) == len(counts), "an article graph has two urls"
    return counts


@pytest.mark.server
@pytest.mark.slow
def test_sigterm_stops_a_long_post_after_its_batch_and_answers_503(tmp_path):
    records = _corpus(400)
    order = [r["url"] for r in records]
    store = tmp_path / "store"
    server = start_server(store, command="aikg", AIKG_BATCH_SIZE="2")
    outcome: dict = {}

    def post() -> None:
        body = "".join(json.dumps(r) + "\n" for r in records).encode()
        try:
            outcome["response"] = httpx.post(
                server.url + "/articles",
                content=body,
                timeout=120,
                headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
            )
        except httpx.HTTPError as exc:
            outcome["error"] = repr(exc)

    poster = threading.Thread(target=post)
    try:
        poster.start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and poster.is_alive() and _held(server.url) < 6:
            time.sleep(0.05)
        assert poster.is_alive(), f"the POST ended before the server could be stopped: {outcome}"
        signalled = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        poster.join(timeout=60)
        answered = time.monotonic() - signalled
        server.proc.wait(timeout=60)
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(10)
    log = server.log.read_text(errors="replace")
    assert "response" in outcome, (outcome, log[-2000:])
    r = outcome["response"]
    assert r.status_code == 503, r.text[:500]
    assert r.headers["retry-after"] == "10"
    body = r.json()
    done, total = map(int, STOPPED.fullmatch(body["detail"]).groups())
    assert total == 200 and 3 <= done < total, body["detail"]
    # Stopped after the batch in progress, not at the end of the request.
    assert answered < 20, answered
    assert body["committed"]["batches"] == done
    assert body["committed"]["articles"] == body["committed"]["new"] == 2 * done
    assert [a["url"] for a in body["articles"]] == order[: 2 * done]
    assert [a["url"] for a in body["remaining"]] == order[2 * done :]
    assert body["committed"]["relations"] == sum(len(a["relations"]) for a in body["articles"]) > 0
    assert "Traceback" not in log

    # The store on disk holds exactly the committed batches, each article whole.
    stored = _stored(store)
    assert stored == {a["url"]: len(a["relations"]) for a in body["articles"]}

    # Sending the rest again completes the work: nothing doubled, nothing lost.
    again = start_server(store, command="aikg", AIKG_BATCH_SIZE="50")
    try:
        rest = [records[order.index(a["url"])] for a in body["remaining"]]
        r2 = httpx.post(
            again.url + "/articles",
            timeout=300,
            content="".join(json.dumps(x) + "\n" for x in rest).encode(),
            headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {TOKEN}"},
        )
        assert r2.status_code == 200, r2.text[:300]
        assert {a["status"] for a in r2.json()["articles"]} == {"new"}
    finally:
        again.proc.terminate()
        again.proc.wait(30)
    assert sorted(_stored(store)) == sorted(order)


def _stopping_extract(app, after: int):
    """Return fake_extract that starts the shutdown once ``after`` batches were extracted."""
    calls = 0

    def extract(batch):
        nonlocal calls
        yield from fake_extract(batch)
        calls += 1
        if calls == after:
            app.state.shutting_down.set()

    return extract


def test_a_shutdown_during_a_post_stops_after_the_current_batch(tmp_path):
    with make_client(tmp_path / "store", token=TOKEN, batch_size=1) as client:
        app = client.app
        app.dependency_overrides[get_extract] = lambda: _stopping_extract(app, 2)
        payload = [
            {"text": a.text, "title": a.title, "url": a.url, "published": a.published.isoformat()} for a in ARTICLES
        ]
        r = client.post("/articles", json=payload, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 503 and r.headers["retry-after"] == "10"
        body = r.json()
        assert body["detail"] == "server is shutting down: stopped after 2 of 4 batches; resend the rest"
        assert [a["url"] for a in body["articles"]] == [a.url for a in ARTICLES[:2]]
        assert [a["url"] for a in body["remaining"]] == [a.url for a in ARTICLES[2:]]
        assert body["committed"] == {
            "batches": 2,
            "total_batches": 4,
            "articles": 2,
            "new": 2,
            "unchanged": 0,
            "replaced": 0,
            "relations": 5,
        }
        # Reads go on while the server drains.
        listed = client.get("/articles").json()
        assert sorted(a["url"] for a in listed["items"]) == sorted(a.url for a in ARTICLES[:2])


def test_writes_arriving_during_the_shutdown_are_refused_at_once(store_dir):
    with make_client(store_dir, token=TOKEN) as client:
        client.app.state.shutting_down.set()
        auth = {"Authorization": f"Bearer {TOKEN}"}
        before = client.get("/articles").json()["total"]
        answers = [
            client.post("/articles", json={"text": "Nvidia supplies chips to OpenAI."}, headers=auth),
            client.delete(f"/articles/{ARTICLES[0].id}", headers=auth),
            client.post("/update", content="CLEAR ALL", headers={**auth, "Content-Type": "application/sparql-update"}),
        ]
        for r in answers:
            assert r.status_code == 503, r.text
            assert r.headers["retry-after"] == "10"
            assert "server is shutting down" in r.text
        assert answers[0].json() == {
            "detail": "server is shutting down: no writes are taken now; send it again when the server is back"
        }
        assert client.get("/articles").json()["total"] == before == len(ARTICLES)
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
