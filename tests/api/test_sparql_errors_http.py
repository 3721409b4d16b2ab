"""How a query that does not parse is answered over HTTP: 400 with line, column and pointer.

The protocol paths (/sparql, /update) answer text/plain: the one-line message, the query
line with a caret under the column, then ``detail:`` and the parser's own message. The
REST/JSON paths answer the same as fields.
"""

from __future__ import annotations

import re
import time

import httpx
import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings

from api.errors import install
from kg.store import LocalStore
from tests.kg.test_sparql_errors import NOISE, broken_variants

from .conftest import TOKEN

UPDATE = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}


def read(body: str) -> tuple[str, list[str], str]:
    """Split a protocol error body into (message, pointer lines, the parser's message)."""
    lines = body.rstrip("\n").split("\n")
    assert lines[2].strip(" \t") == "^", body
    assert lines[3].startswith("detail: "), body
    return lines[0], lines[1:3], "\n".join(lines[3:])[len("detail: ") :]


def test_get_answers_400_with_line_column_and_a_caret(client):
    q = "SELECT ?x WHERE { ?x foo:bar ?y }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    message, pointer, parser = read(r.text)
    assert message == "line 1, column 22: unknown prefix `foo:`; declare it with PREFIX foo: <…>"
    assert pointer == [q, " " * 21 + "^"]
    assert parser.startswith("error at 1:29: expected one of Prefix not found")


@pytest.mark.parametrize("how", ["direct", "form"])
def test_post_answers_the_same_for_a_multi_line_query_with_accents(client, how):
    q = 'PREFIX ex: <http://e/>\nSELECT * WHERE {\n  ?s ex:name "Zoë Ångström" ; ex:role ?r\n  ?x ?y ?z }'
    if how == "direct":
        r = client.post("/sparql", content=q.encode("utf-8"), headers={"Content-Type": "application/sparql-query"})
    else:
        r = client.post("/sparql", data={"query": q})
    assert r.status_code == 400
    message, pointer, _ = read(r.text)
    assert message.startswith("line 4, column 3: missing `.` before `?x`")
    assert pointer == ["  ?x ?y ?z }", "  ^"]


def test_a_misspelt_query_form_is_named(client):
    r = client.get("/sparql", params={"query": "SELEC ?s WHERE { ?s ?p ?o }"})
    assert r.status_code == 400
    message, pointer, parser = read(r.text)
    assert message == (
        "line 1, column 1: expected SELECT, ASK, CONSTRUCT or DESCRIBE (or PREFIX/BASE) but "
        "found `SELEC` (did you mean SELECT?)"
    )
    assert parser == "error at 1:10: expected CONSTRUCT"


def test_update_answers_400_with_line_and_column(client):
    r = client.post("/update", content="INSERT DATA {\n  <http://a> <http://b> ?c\n}", headers=UPDATE)
    assert r.status_code == 400
    message, pointer, _ = read(r.text)
    assert message.startswith("line 2, column 25: variables are not allowed in INSERT DATA")
    assert pointer == ["  <http://a> <http://b> ?c", " " * 24 + "^"]


def test_a_refusal_without_a_position_stays_one_line(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE " + "{" * 300 + "}" * 300})
    assert r.status_code == 400
    assert r.text.strip().count("\n") == 0 and "AIKG_MAX_NESTING" in r.text


def test_json_paths_answer_the_same_as_fields(store_dir):
    # The REST handlers turn the same error into JSON; a minimal app with the real
    # handlers and the real store shows what any REST route answers.
    app = FastAPI()
    install(app)
    store = LocalStore(store_dir)

    @app.get("/try")
    def run(q: str = Query()) -> dict:
        store.query(q)
        return {}

    try:
        with TestClient(app) as c:
            r = c.get("/try", params={"q": "SELECT ?x WHERE {\n  ?x foo:bar ?y }"})
    finally:
        store.close()
    assert r.status_code == 400
    body = r.json()
    assert body["detail"] == "line 2, column 6: unknown prefix `foo:`; declare it with PREFIX foo: <…>"
    assert (body["line"], body["column"]) == (2, 6)
    assert body["pointer"] == "  ?x foo:bar ?y }\n     ^"
    assert body["parser"].startswith("error at 2:13:")


def test_every_broken_variant_is_a_400_with_a_line_and_column(client):
    seen = {"400": 0, "200": 0}

    @given(text=broken_variants())
    @settings(
        max_examples=250,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(text: str) -> None:
        r = client.post("/sparql", data={"query": text})
        if r.status_code == 200:
            seen["200"] += 1
            return
        assert r.status_code == 400, (text, r.status_code, r.text)
        seen["400"] += 1
        first = r.text.split("\n", 1)[0]
        m = re.match(r"line (\d+), column (\d+): ", first)
        if m is None:  # an update sent to the query endpoint is pointed to /update instead
            assert "/update" in first, r.text
            return
        line, column = int(m.group(1)), int(m.group(2))
        lines = text.split("\n")
        assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1, (text, first)
        assert not any(n in first for n in NOISE), first
        read(r.text)

    run()
    assert seen["400"] >= 180, seen


@pytest.mark.server
def test_a_real_server_answers_400_then_serves_the_next_query(server):
    q = "SELECT ?s WHERE {\n  ?s ?p ?o\n  FILTER(STRLEN(?o) > 3\n}"
    r = httpx.post(server.sparql, content=q.encode(), headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert r.status_code == 400
    message, pointer, parser = read(r.text)
    assert message == "line 4, column 1: expected `)` to close the `(` at line 3, column 9 but found `}`"
    assert pointer == ["}", "^"]
    assert parser.startswith("error at 4:1:")
    started = time.monotonic()
    ok = httpx.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert ok.status_code == 200 and time.monotonic() - started < 5
