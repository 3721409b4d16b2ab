"""SPARQL 1.1 Protocol at /sparql and /update, in process (TestClient on a real store)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from api.sparql import negotiate
from kg.namespaces import ARTICLE, ENTITY, ONTOLOGY

from .conftest import ARTICLES, TOKEN, make_client

PREFIX = f"PREFIX aikg: <{ONTOLOGY}> PREFIX ent: <{ENTITY}> "
INVESTORS = PREFIX + "SELECT ?who WHERE { ?who aikg:investsIn ?x } ORDER BY ?who"


def bindings(resp) -> list[dict]:
    return [{k: v["value"] for k, v in b.items()} for b in resp.json()["results"]["bindings"]]


def test_get_select_defaults_to_sparql_json(client):
    r = client.get("/sparql", params={"query": INVESTORS})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert bindings(r) == [{"who": ENTITY + "amazon"}, {"who": ENTITY + "microsoft"}]


def test_post_form_and_direct_body_answer_like_get(client):
    form = client.post("/sparql", data={"query": INVESTORS})
    direct = client.post(
        "/sparql", content=INVESTORS.encode(), headers={"Content-Type": "application/sparql-query; charset=utf-8"}
    )
    assert form.status_code == direct.status_code == 200
    assert bindings(form) == bindings(direct) == [{"who": ENTITY + "amazon"}, {"who": ENTITY + "microsoft"}]


@pytest.mark.parametrize(
    "accept, ctype",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*", "text/csv; charset=utf-8"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(client, accept, ctype):
    r = client.get("/sparql", params={"query": INVESTORS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == ctype


def test_select_formats_parse_back_to_the_same_rows(client):
    def get(accept):
        return client.get("/sparql", params={"query": INVESTORS}, headers={"Accept": accept}).content

    xml = ET.fromstring(get("application/sparql-results+xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [u.text for u in xml.findall(".//r:uri", ns)] == [ENTITY + "amazon", ENTITY + "microsoft"]
    rows = list(csv.reader(io.StringIO(get("text/csv").decode())))
    assert rows == [["who"], [ENTITY + "amazon"], [ENTITY + "microsoft"]]
    tsv = get("text/tab-separated-values").decode().splitlines()
    assert tsv == ["?who", f"<{ENTITY}amazon>", f"<{ENTITY}microsoft>"]


def test_format_parameter_overrides_accept_and_can_download(client):
    r = client.get(
        "/sparql",
        params={"query": INVESTORS, "format": "csv", "download": "1"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="results.csv"' in r.headers["content-disposition"]


CONSTRUCT = PREFIX + "CONSTRUCT { ?a aikg:investsIn ?b } WHERE { ?a aikg:investsIn ?b }"


@pytest.mark.parametrize(
    "accept, fmt",
    [
        (None, ox.RdfFormat.TURTLE),
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_serializations_parse_back(client, accept, fmt):
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == fmt.media_type
    triples = {(t.subject.value, t.object.value) for t in ox.parse(r.content, format=fmt)}
    assert triples == {(ENTITY + "microsoft", ENTITY + "openai"), (ENTITY + "amazon", ENTITY + "anthropic")}


@pytest.mark.parametrize(
    "accept, body",
    [
        ("application/sparql-results+json", b'{"head":{},"boolean":true}'),
        ("text/csv", b"true"),
    ],
)
def test_ask(client, accept, body):
    r = client.get(
        "/sparql",
        params={"query": PREFIX + "ASK { ent:microsoft aikg:investsIn ent:openai }"},
        headers={"Accept": accept},
    )
    assert r.status_code == 200
    assert r.content == body


def test_default_graph_uri_restricts_the_query_to_one_article(client):
    one = ARTICLE + ARTICLES[1].id
    r = client.get("/sparql", params={"query": INVESTORS, "default-graph-uri": one})
    assert bindings(r) == [{"who": ENTITY + "amazon"}]


def test_named_graph_uri_limits_graph_patterns(client):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    graphs = [ARTICLE + ARTICLES[0].id, ARTICLE + ARTICLES[2].id]
    r = client.get("/sparql", params=[("query", q)] + [("named-graph-uri", g) for g in graphs])
    assert sorted(b["g"] for b in bindings(r)) == sorted(graphs)


def test_malformed_query_is_400_with_the_parsers_message(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert "1:" in r.text  # line:column from the parser


@pytest.mark.parametrize("params", [[], [("query", "ASK {}"), ("query", "ASK {}")]])
def test_missing_or_repeated_query_is_400(client, params):
    r = client.get("/sparql", params=params)
    assert r.status_code == 400
    assert "query" in r.text


def test_update_sent_to_the_query_endpoint_is_400_pointing_to_update(client):
    r = client.post("/sparql", data={"query": "INSERT DATA { <http://x/a> <http://x/b> 1 }"})
    assert r.status_code == 400
    assert "/update" in r.text


def test_unsupported_content_type_is_415(client):
    r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_unservable_accept_is_406_listing_formats(client):
    r = client.get("/sparql", params={"query": INVESTORS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])  # HEAD is GET without a body
def test_other_methods_are_405(client, method):
    assert client.request(method, "/sparql", params={"query": "ASK {}"}).status_code == 405


def test_bad_graph_iri_is_400(client):
    r = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert r.status_code == 400


def test_body_over_the_limit_is_413(store_dir):
    with make_client(store_dir, max_body_bytes=1000) as c:
        r = c.post("/sparql", content=b"#" * 2000 + b"\nASK {}", headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413
        assert (
            c.post("/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query"}).status_code
            == 200
        )


UPDATE = f"PREFIX aikg: <{ONTOLOGY}> INSERT DATA {{ <{ENTITY}x> aikg:investsIn <{ENTITY}y> }}"
ASK_X = PREFIX + "ASK { ent:x aikg:investsIn ent:y }"


def test_update_with_token_is_applied(client, auth):
    r = client.post("/update", content=UPDATE, headers={"Content-Type": "application/sparql-update", **auth})
    assert r.status_code == 204
    assert client.get("/sparql", params={"query": ASK_X}).json()["boolean"] is True


def test_update_as_form(client, auth):
    assert client.post("/update", data={"update": UPDATE}, headers=auth).status_code == 204
    assert client.get("/sparql", params={"query": ASK_X}).json()["boolean"] is True


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}])
def test_update_without_the_right_token_is_401_and_changes_nothing(client, headers):
    r = client.post("/update", content=UPDATE, headers={"Content-Type": "application/sparql-update", **headers})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/sparql", params={"query": ASK_X}).json()["boolean"] is False


def test_update_is_403_when_the_server_has_no_token(store_dir):
    with make_client(store_dir) as c:
        r = c.post(
            "/update",
            content=UPDATE,
            headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer anything"},
        )
        assert r.status_code == 403


def test_malformed_update_is_400(client, auth):
    r = client.post(
        "/update", content="INSERT DATA { oops", headers={"Content-Type": "application/sparql-update", **auth}
    )
    assert r.status_code == 400


def test_row_cap_answers_400_before_streaming(store_dir):
    with make_client(store_dir, max_rows=3) as c:
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert r.status_code == 400
        assert "AIKG_MAX_ROWS" in r.text
        ok = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
        assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 3


@pytest.mark.parametrize(
    "accept",
    ["text/csv", "text/tab-separated-values", "application/sparql-results+xml", "application/sparql-results+json"],
)
def test_row_cap_counts_rows_in_every_format(store_dir, accept):
    q = "SELECT ?i WHERE { VALUES ?i { 1 2 3 4 5 } }"
    with make_client(store_dir, max_rows=5) as c:
        assert c.get("/sparql", params={"query": q}, headers={"Accept": accept}).status_code == 200
    with make_client(store_dir, max_rows=4) as c:
        assert c.get("/sparql", params={"query": q}, headers={"Accept": accept}).status_code == 400


def test_blocking_query_past_the_timeout_is_503(store_dir):
    with make_client(store_dir, query_timeout=0.05) as c:
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        r = c.get("/sparql", params={"query": q})
        assert r.status_code == 503
        assert "timeout" in r.text


@pytest.mark.parametrize(
    "accept, offers, expected",
    [
        ("*/*", ["a/x", "b/y"], "a/x"),
        ("b/y, a/x;q=0.5", ["a/x", "b/y"], "b/y"),
        ("a/*;q=0.2, b/y;q=0", ["a/x", "b/y"], "a/x"),
        ("c/z", ["a/x", "b/y"], None),
        ("a/x;q=0", ["a/x"], None),
    ],
)
def test_negotiate(accept, offers, expected):
    assert negotiate(accept, offers) == expected


def test_json_results_are_valid_json_for_odd_literals(client, auth):
    odd = 'quote " brace },{" tab \t newline \n <result>'
    lit = ox.Literal(odd)
    client.post(
        "/update",
        content=f"INSERT DATA {{ <http://x/s> <http://x/p> {lit} }}",
        headers={"Content-Type": "application/sparql-update", **auth},
    )
    r = client.get("/sparql", params={"query": "SELECT ?o WHERE { <http://x/s> <http://x/p> ?o }"})
    assert json.loads(r.content)["results"]["bindings"][0]["o"]["value"] == odd


def test_row_cap_counts_construct_triples(store_dir):
    with make_client(store_dir, max_rows=3) as c:
        r = c.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert r.status_code == 400 and "AIKG_MAX_ROWS" in r.text
        ok = c.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"},
            headers={"Accept": "application/n-triples"},
        )
        assert ok.status_code == 200 and len(ok.text.strip().splitlines()) == 3


def test_large_result_streams_complete(store_dir):
    """A result past the buffer is streamed; it must still arrive whole."""
    with make_client(store_dir, stream_buffer_bytes=1024, max_rows=0) as c:
        r = c.get(
            "/sparql",
            params={"query": "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 20000"},
            headers={"Accept": "text/tab-separated-values"},
        )
        assert r.status_code == 200
        assert len(r.text.splitlines()) == 20001


@pytest.mark.parametrize("how", ["get", "post", "update"])
def test_deeply_nested_text_is_refused_before_the_parser(client, auth, how):
    # 3,000 levels crashed the process inside pyoxigraph's parser; the check must come first.
    deep = "{" * 3000 + "}" * 3000
    if how == "get":
        r = client.get("/sparql", params={"query": "SELECT * WHERE " + deep})
    elif how == "post":
        r = client.post(
            "/sparql", content=("SELECT * WHERE " + deep).encode(), headers={"Content-Type": "application/sparql-query"}
        )
    else:
        r = client.post(
            "/update",
            content=("INSERT DATA " + deep).encode(),
            headers={"Content-Type": "application/sparql-update", **auth},
        )
    assert r.status_code == 400
    assert "more than 200 levels deep" in r.text and "AIKG_MAX_NESTING" in r.text


OUT = "http://example.org/out"
COPY_INVESTORS = PREFIX + f"INSERT {{ GRAPH <{OUT}> {{ ?who aikg:investsIn ?x }} }} WHERE {{ ?who aikg:investsIn ?x }}"
INVESTORS_COPIED = f"SELECT ?who WHERE {{ GRAPH <{OUT}> {{ ?who ?p ?x }} }} ORDER BY ?who"


@pytest.mark.parametrize("how", ["form", "direct"])
def test_using_graph_uri_restricts_the_where_clause_to_one_article(client, auth, how):
    one = ARTICLE + ARTICLES[1].id
    if how == "form":
        r = client.post("/update", data={"update": COPY_INVESTORS, "using-graph-uri": one}, headers=auth)
    else:
        r = client.post(
            "/update",
            params={"using-graph-uri": one},
            content=COPY_INVESTORS,
            headers={"Content-Type": "application/sparql-update", **auth},
        )
    assert r.status_code == 204, r.text
    assert bindings(client.get("/sparql", params={"query": INVESTORS_COPIED})) == [{"who": ENTITY + "amazon"}]


def test_using_named_graph_uri_names_the_graphs_a_where_clause_may_read(client, auth):
    update = (
        PREFIX + f"INSERT {{ GRAPH <{OUT}> {{ ?who aikg:investsIn ?x }} }} "
        "WHERE { GRAPH ?g { ?who aikg:investsIn ?x } }"
    )
    named = [ARTICLE + ARTICLES[0].id, ARTICLE + ARTICLES[3].id]
    r = client.post("/update", data={"update": update, "using-named-graph-uri": named}, headers=auth)
    assert r.status_code == 204, r.text
    assert bindings(client.get("/sparql", params={"query": INVESTORS_COPIED})) == [{"who": ENTITY + "microsoft"}]


@pytest.mark.parametrize(
    "update, reason",
    [
        (PREFIX + f"INSERT {{ GRAPH <{OUT}> {{ ?a ?b ?c }} }} USING <{ARTICLE}x> WHERE {{ ?a ?b ?c }}", "own USING"),
        (PREFIX + f"WITH <{OUT}> DELETE {{ ?a ?b ?c }} WHERE {{ ?a ?b ?c }}", "own WITH"),
        (PREFIX + "DELETE WHERE { ?who aikg:investsIn ?x }", "DELETE WHERE"),
    ],
)
def test_a_dataset_the_update_cannot_take_is_400_and_changes_nothing(client, auth, update, reason):
    r = client.post(
        "/update",
        params={"using-graph-uri": ARTICLE + ARTICLES[1].id},
        content=update,
        headers={"Content-Type": "application/sparql-update", **auth},
    )
    assert r.status_code == 400
    assert reason in r.text and r.headers["content-type"].startswith("text/plain")
    assert bindings(client.get("/sparql", params={"query": INVESTORS})) == [
        {"who": ENTITY + "amazon"},
        {"who": ENTITY + "microsoft"},
    ]


def test_a_using_graph_uri_that_is_not_an_iri_is_400(client, auth):
    r = client.post("/update", data={"update": COPY_INVESTORS, "using-graph-uri": "<nope> } ; DROP ALL"}, headers=auth)
    assert r.status_code == 400 and "using-graph-uri" in r.text
    assert bindings(client.get("/sparql", params={"query": INVESTORS})) != []


def test_relative_iris_in_an_update_resolve_against_the_update_url(client, auth):
    r = client.post(
        "/update",
        content="INSERT DATA { <http://x/s> <http://x/p> <thing> }",
        headers={"Content-Type": "application/sparql-update", **auth},
    )
    assert r.status_code == 204, r.text
    r = client.get("/sparql", params={"query": "SELECT ?o WHERE { <http://x/s> <http://x/p> ?o }"})
    assert bindings(r) == [{"o": "http://testserver/thing"}]


def test_an_update_that_fails_while_running_is_400_and_writes_nothing(client, auth):
    update = "INSERT DATA { <http://x/s> <http://x/p> 1 } ; CLEAR GRAPH <http://x/never-created>"
    r = client.post("/update", content=update, headers={"Content-Type": "application/sparql-update", **auth})
    assert r.status_code == 400
    assert "does not exist" in r.text and "Traceback" not in r.text
    assert client.get("/sparql", params={"query": "ASK { <http://x/s> ?p ?o }"}).json()["boolean"] is False


@pytest.mark.parametrize(
    "path, ctype", [("/sparql", "application/sparql-query"), ("/update", "application/sparql-update")]
)
def test_a_body_in_another_charset_than_utf8_is_415(client, auth, path, ctype):
    body = ("ASK {}" if path == "/sparql" else "CLEAR ALL").encode("latin-1")
    r = client.post(path, content=body, headers={"Content-Type": f"{ctype}; charset=ISO-8859-1", **auth})
    assert r.status_code == 415 and "UTF-8" in r.text
    ok = client.post(path, content=body, headers={"Content-Type": f'{ctype}; charset="UTF-8"', **auth})
    assert ok.status_code in (200, 204)


def test_update_in_the_body_and_in_the_url_is_400(client, auth):
    r = client.post(
        "/update",
        params={"update": "CLEAR ALL"},
        content=UPDATE,
        headers={"Content-Type": "application/sparql-update", **auth},
    )
    assert r.status_code == 400
    assert client.get("/sparql", params={"query": ASK_X}).json()["boolean"] is False
