"""The MCP server, driven by the MCP SDK's own client: ``aikg mcp`` over stdio, ``/mcp`` under ``aikg serve``.

The stdio tests start ``aikg mcp --store DIR`` as a real subprocess over a real store
(the sample articles of the API tests); the HTTP tests start a real ``aikg serve``.
Answers are read as an assistant would: the JSON text of each tool result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest

mcp = pytest.importorskip("mcp", reason="the MCP SDK is not installed: pip install -c constraints.txt mcp")

from mcp import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

from tests.api.conftest import (  # noqa: E402
    REPO,
    S1,
    S2,
    S3,
    S5,
    S6,
    SAMPLE_MIN_CONFIDENCE,
    TOKEN,
    build_store,
    start_server,
    stop_server,
)
from tests.servers import AikgServer

pytestmark = [pytest.mark.server]

READ_TOOLS = {
    "search_entities",
    "get_entity",
    "relations_between",
    "shortest_path",
    "sparql",
    "list_named_queries",
    "run_named_query",
}
ONE_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/aikg/ontology#Article> }"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("mcp") / "store")


def stdio(store: Path, **env: str) -> StdioServerParameters:
    """Return how an MCP client starts ``aikg mcp`` over the store (one engine process, for the CPU)."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-c", "from aikg.cli import main; main()", "mcp", "--store", str(store)],
        env={
            "PYTHONPATH": str(REPO),
            "AIKG_QUERY_WORKERS": "1",
            "AIKG_MIN_CONFIDENCE": str(SAMPLE_MIN_CONFIDENCE),  # the sample's 0.6 statement counts
            **env,
        },
        cwd=str(REPO),
    )


async def call(client: Client, name: str, args: dict | None = None) -> tuple[bool, object]:
    """Call a tool; return (is_error, its JSON answer, or the error text)."""
    result = await client.call_tool(name, args or {})
    text = result.content[0].text
    return result.is_error, (text if result.is_error else json.loads(text))


def run(fn) -> None:
    anyio.run(fn)


# ---------------------------------------------------------------- stdio


def test_stdio_lists_the_read_tools_and_the_resources(store: Path) -> None:
    async def main() -> None:
        async with Client(stdio(store)) as c:
            tools = {t.name: t for t in (await c.list_tools()).tools}
            assert set(tools) == READ_TOOLS  # no token: nothing that writes
            assert all(t.annotations.read_only_hint for t in tools.values())
            assert "entity" in tools["get_entity"].input_schema["properties"]
            uris = {str(r.uri) for r in (await c.list_resources()).resources}
            assert {"aikg://ontology", "aikg://queries"} <= uris
            ontology = (await c.read_resource("aikg://ontology")).contents[0]
            assert ontology.mime_type == "text/turtle"
            assert "aikg:investsIn" in ontology.text and "owl:ObjectProperty" in ontology.text
            listed = json.loads((await c.read_resource("aikg://queries")).contents[0].text)
            assert {"investors-of", "relation-evidence"} <= {q["name"] for q in listed}
            text = (await c.read_resource("aikg://queries/investors-of")).contents[0].text
            assert text.startswith("# title:") and "SELECT" in text

    run(main)


def test_stdio_entity_tools_answer_with_evidence_and_sources(store: Path) -> None:
    async def main() -> None:
        async with Client(stdio(store)) as c:
            error, found = await call(c, "search_entities", {"query": "open"})
            assert not error and found["entities"][0]["label"] == "OpenAI"
            assert found["entities"][0]["iri"] == "https://w3id.org/aikg/entity/openai"
            _, people = await call(c, "search_entities", {"type": "Person"})
            assert [e["label"] for e in people["entities"]] == ["Mustafa Suleyman"]

            error, msft = await call(c, "get_entity", {"entity": "MSFT"})  # by alias
            assert not error and msft["entity"]["label"] == "Microsoft"
            invests = msft["current"]["investsIn"]
            assert [r["object"]["label"] for r in invests] == ["OpenAI"]
            assert invests[0]["sources"] == 2 and invests[0]["first_reported"] == "2023-01-23"
            cited = {(e["sentence"], e["url"]) for e in invests[0]["evidence"]}
            assert (S1, "https://news.example/msft-openai") in cited
            assert all(e["article"].startswith("https://w3id.org/aikg/article/") for e in invests[0]["evidence"])
            assert msft["ended"] == {}

            error, between = await call(c, "relations_between", {"a": "OpenAI", "b": "Microsoft"})
            assert not error
            [rel] = between["relations"]
            assert rel["reads"] == "Microsoft investsIn OpenAI"
            assert {e["sentence"] for e in rel["evidence"]} == {S1, S6}
            _, none = await call(c, "relations_between", {"a": "Amazon", "b": "GPT-4"})
            assert none["relations"] == [] and "shortest_path" in none["note"]

            error, path = await call(c, "shortest_path", {"from_entity": "Amazon", "to_entity": "GPT-4"})
            assert not error and path["length"] == 3
            assert [h["reads"] for h in path["hops"]] == [
                "Amazon investsIn Anthropic",
                "Anthropic competesWith OpenAI",
                "OpenAI develops GPT-4",
            ]
            assert [h["evidence"][0]["sentence"] for h in path["hops"]] == [S3, S2, S5]
            assert all(h["evidence"][0]["url"].startswith("https://news.example/") for h in path["hops"])

            error, message = await call(c, "get_entity", {"entity": "Nobody Corp"})
            assert error and "no entity 'Nobody Corp'" in message and "\n" not in message
            error, message = await call(c, "get_entity", {"entity": "OpenAI", "as_of": "last tuesday"})
            assert error and "as_of" in message

    run(main)


def test_stdio_sparql_and_named_queries(store: Path) -> None:
    async def main() -> None:
        async with Client(stdio(store)) as c:
            error, counted = await call(c, "sparql", {"query": ONE_QUERY})
            assert not error and counted["rows"] == [{"n": "4"}]
            error, asked = await call(c, "sparql", {"query": "ASK { ?s ?p ?o }"})
            assert not error and asked == {"kind": "ask", "boolean": True}
            error, graph = await call(c, "sparql", {"query": "DESCRIBE <https://w3id.org/aikg/entity/openai>"})
            assert not error and graph["kind"] == "graph" and "OpenAI" in graph["turtle"]

            _, listed = await call(c, "list_named_queries")
            names = {q["name"]: q for q in listed["queries"]}
            assert [p["name"] for p in names["relation-evidence"]["params"]] == ["subject", "predicate", "object"]
            error, rows = await call(
                c,
                "run_named_query",
                {
                    "name": "relation-evidence",
                    "params": {"subject": "Microsoft", "predicate": "investsIn", "object": "OpenAI"},
                },
            )
            assert not error and [r["evidence"] for r in rows["rows"]] == [S1, S6]
            assert rows["rows"][0]["url"] == "https://news.example/msft-openai"
            error, message = await call(c, "run_named_query", {"name": "investors-of", "params": {"who": "x"}})
            assert error and "missing: entity" in message and "unknown: who" in message
            error, message = await call(c, "run_named_query", {"name": "no-such-query"})
            assert error and "no named query" in message

    run(main)


def test_stdio_hostile_sparql_is_refused_like_sparql_and_the_server_stays_up(store: Path) -> None:
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    rows = " ".join(str(i) for i in range(9000))
    big = f'SELECT ?i ?pad WHERE {{ VALUES ?i {{ {rows} }} BIND("{"x" * 120}" AS ?pad) }}'
    hostile = [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "AIKG_ALLOW_REMOTE"),
        ("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }", "SPARQL update, not a query"),
        ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, "AIKG_MAX_NESTING"),
        (
            "SELECT * WHERE { " + " ".join(f"?s{i} <https://e/p> ?o{i} ." for i in range(1500)) + " }",
            "AIKG_MAX_TRIPLE_PATTERNS",
        ),
        ("SELECT * WHERE { VALUES ?x { " + " ".join(str(i) for i in range(20_000)) + " } }", "AIKG_MAX_VALUES_ROWS"),
        (cartesian, "timeout"),
        (big, "add a LIMIT"),
        ("SELECT ?x WHERE { ?x foo:bar ?y }", "unknown prefix"),
    ]

    async def main() -> None:
        async with Client(stdio(store, AIKG_QUERY_TIMEOUT="1")) as c:
            for query, reason in hostile:
                error, message = await call(c, "sparql", {"query": query})
                assert error, query[:60]
                assert reason in message, (query[:60], message)
                # the server answers the next query as before
                error, counted = await call(c, "sparql", {"query": ONE_QUERY})
                assert not error and counted["rows"] == [{"n": "4"}]
            # nothing was written by the update
            _, asked = await call(c, "sparql", {"query": "ASK { <https://example.org/a> ?p ?o }"})
            assert asked["boolean"] is False

    run(main)


def test_stdio_with_a_token_offers_the_ingest_tool(store: Path) -> None:
    async def main() -> None:
        async with Client(stdio(store, AIKG_TOKEN=TOKEN)) as c:
            tools = {t.name: t for t in (await c.list_tools()).tools}
            assert set(tools) == READ_TOOLS | {"ingest_text", "ingest_url"}
            assert tools["ingest_text"].annotations.read_only_hint is False
            error, message = await call(c, "ingest_text", {"text": "Acme buys Beta.", "published": "someday"})
            assert error and "published" in message  # refused before any extraction

    run(main)


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["--store", "{missing}"], 1, "no aikg store at"),
        (["--store", "{store}", "--query-timeout", "0"], 2, "greater than 0"),
    ],
)
def test_stdio_command_errors_are_one_line(store: Path, tmp_path: Path, args, code, words) -> None:
    argv = [a.format(missing=tmp_path / "nothing", store=store) for a in args]
    done = subprocess.run(
        [sys.executable, "-c", "from aikg.cli import main; main()", "mcp", *argv],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == code
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr and done.stdout == ""


# ---------------------------------------------------------------- HTTP under aikg serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AikgServer]:
    store = build_store(tmp_path_factory.mktemp("mcp-http") / "store")
    # ``localhost`` may be read by ingest_url (the test site below); 127.0.0.1 may not.
    srv = start_server(store, command="aikg", AIKG_QUERY_WORKERS="1", AIKG_ALLOW_REMOTE="localhost")
    yield srv
    stop_server(srv)


def authorized(srv: AikgServer, token: str):
    import httpx2

    # The read timeout of the SDK's own client: the first ingest loads spaCy on a busy machine.
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30, read=300))
    return Client(streamable_http_client(srv.url + "/mcp", http_client=http))


def test_http_serves_the_read_tools_without_the_token(server: AikgServer) -> None:
    async def main() -> None:
        async with Client(server.url + "/mcp") as c:
            assert {t.name for t in (await c.list_tools()).tools} == READ_TOOLS
            error, between = await call(c, "relations_between", {"a": "Amazon", "b": "Anthropic"})
            assert not error and between["relations"][0]["evidence"][0]["sentence"] == S3
            error, message = await call(c, "ingest_text", {"text": "Acme invested in Beta."})
            assert error and "needs the server's write token" in message
            error, message = await call(c, "sparql", {"query": "DELETE WHERE { ?s ?p ?o }"})
            assert error and "SPARQL update, not a query" in message
            _, counted = await call(c, "sparql", {"query": ONE_QUERY})
            assert counted["rows"] == [{"n": "4"}]

    run(main)


def test_http_wrong_token_is_refused(server: AikgServer) -> None:
    r = httpx.post(
        server.url + "/mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={"Authorization": "Bearer not-the-token", "Accept": "application/json, text/event-stream"},
    )
    assert r.status_code == 401 and "wrong token" in r.json()["detail"]


def test_http_ingest_with_the_token(server: AikgServer) -> None:
    text = "Google invested $2 billion in Anthropic, the AI startup said on Monday."
    url = "https://news.example/google-anthropic"

    async def main() -> None:
        async with authorized(server, TOKEN) as c:
            assert "ingest_text" in {t.name for t in (await c.list_tools()).tools}
            error, done = await call(
                c, "ingest_text", {"text": text, "title": "Google and Anthropic", "url": url, "published": "2024-01-02"}
            )
            assert not error, done
            [article] = done["articles"]
            assert article["status"] == "new" and article["url"] == url
            assert article["article"].startswith("https://w3id.org/aikg/article/")
            assert "Google investsIn Anthropic" in {r["reads"] for r in article["relations"]}
            _, again = await call(c, "ingest_text", {"text": text, "url": url})
            assert again["articles"][0]["status"] == "unchanged"
        async with Client(server.url + "/mcp") as c:  # what every reader now sees
            _, between = await call(c, "relations_between", {"a": "Google", "b": "Anthropic"})
            assert {(e["sentence"], e["url"]) for e in between["relations"][0]["evidence"]} == {(text, url)}

    run(main)


def test_stdio_over_a_running_server_reads_through_its_endpoint(server: AikgServer) -> None:
    """``aikg mcp --store URL``: beside ``aikg serve`` (which holds the store's lock) it reads over SPARQL."""

    async def main() -> None:
        async with Client(stdio(server.url + "/sparql")) as c:
            error, path = await call(c, "shortest_path", {"from_entity": "Amazon", "to_entity": "GPT-4"})
            assert not error and path["hops"][0]["evidence"][0]["sentence"] == S3
            error, message = await call(
                c, "sparql", {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}
            )
            assert error and "AIKG_ALLOW_REMOTE" in message

    run(main)


def padded_rows(n: int) -> str:
    """Return a SELECT of ``n`` rows of about 150 bytes each, from no data."""
    values = " ".join(str(i) for i in range(n))
    return f'SELECT ?i ?pad WHERE {{ VALUES ?i {{ {values} }} BIND("{"x" * 120}" AS ?pad) }}'


@pytest.mark.parametrize("over", ["local store", "running server"])
def test_stdio_results_past_the_stream_buffer_are_read_whole_or_refused(
    over: str, store: Path, server: AikgServer
) -> None:
    """A result larger than the stream buffer reaches the tool whole (spooled by the engine
    over a local store, streamed by the thread runner over a server); one past the tool's
    512 KiB is refused with a hint, and the next query is answered as before."""
    target = str(store) if over == "local store" else server.url + "/sparql"

    async def main() -> None:
        async with Client(stdio(target, AIKG_STREAM_BUFFER_BYTES="1024")) as c:
            for _ in range(2):
                error, rows = await call(c, "sparql", {"query": padded_rows(400)})
                assert not error, rows
                assert rows["row_count"] == 400 and rows["rows"][399] == {"i": "399", "pad": "x" * 120}
                error, message = await call(c, "sparql", {"query": padded_rows(9000)})
                assert error and "larger than 512 KiB" in message and "add a LIMIT" in message

    run(main)


def test_http_ingest_url_fetches_a_page_and_refuses_local_addresses(server: AikgServer, tmp_path: Path) -> None:
    """``ingest_url`` reads a page into the graph; a local address not in AIKG_ALLOW_REMOTE is refused."""
    import http.server
    import threading

    sentence = "Nvidia invested $1 billion in Mistral AI, the companies said."
    page = (
        f"<html><head><title>Nvidia and Mistral</title></head><body><article><p>{sentence}</p></article></body></html>"
    )
    (tmp_path / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (tmp_path / "nvidia.html").write_text(page)
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    port = site.server_address[1]
    url = f"http://localhost:{port}/nvidia.html"

    async def main() -> None:
        async with Client(server.url + "/mcp") as c:  # without the token: not offered
            assert "ingest_url" not in {t.name for t in (await c.list_tools()).tools}
        async with authorized(server, TOKEN) as c:
            assert "ingest_url" in {t.name for t in (await c.list_tools()).tools}
            _, before = await call(c, "sparql", {"query": ONE_QUERY})
            error, message = await call(c, "ingest_url", {"url": f"http://127.0.0.1:{port}/nvidia.html"})
            assert error and "local or private address" in message and "AIKG_ALLOW_REMOTE" in message
            _, after = await call(c, "sparql", {"query": ONE_QUERY})
            assert after["rows"] == before["rows"]  # the refusal wrote nothing
            error, message = await call(c, "ingest_url", {"url": "file:///etc/passwd"})
            assert error and "not an http(s) URL" in message
            error, done = await call(c, "ingest_url", {"url": url, "published": "2025-06-11"})
            assert not error, done
            [article] = done["articles"]
            assert article["status"] == "new" and article["url"] == url
            assert "Nvidia investsIn Mistral AI" in {r["reads"] for r in article["relations"]}
            _, again = await call(c, "ingest_url", {"url": url})
            assert again["articles"][0]["status"] == "unchanged"
            _, between = await call(c, "relations_between", {"a": "Nvidia", "b": "Mistral AI"})
            assert (sentence, url) in {(e["sentence"], e["url"]) for r in between["relations"] for e in r["evidence"]}

    try:
        run(main)
    finally:
        site.shutdown()


def test_http_first_requests_at_once_are_all_answered(tmp_path: Path) -> None:
    """The servers behind /mcp are built on the first request: six at once all get their answer."""
    srv = start_server(build_store(tmp_path / "store"), command="aikg", AIKG_QUERY_WORKERS="1")
    answers: list[str] = []

    async def one() -> None:
        async with Client(srv.url + "/mcp") as c:
            error, entity = await call(c, "get_entity", {"entity": "GPT-4"})
            assert not error, entity
            answers.append(entity["entity"]["label"])

    async def main() -> None:
        async with anyio.create_task_group() as tasks:
            for _ in range(6):
                tasks.start_soon(one)

    try:
        run(main)
    finally:
        stop_server(srv)
    assert answers == ["GPT-4"] * 6
