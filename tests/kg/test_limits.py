"""Static limits on SPARQL text and the outbound-request policy (kg.limits)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import QueryLimitError, RemoteAccessError
from kg.limits import (
    DEFAULT_LIMITS,
    QueryLimits,
    check_remote,
    check_text,
    host_allowed,
    mask,
    remote_targets,
    triple_patterns,
    values_rows,
)

REPO = Path(__file__).resolve().parents[2]


def bgp(n: int) -> str:
    return "SELECT * WHERE { " + " ".join(f"?s{i} <http://e/p> ?o{i} ." for i in range(n)) + " }"


def test_every_shipped_query_is_far_below_the_limits():
    for path in sorted((REPO / "kg" / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        check_text(text)
        masked = mask(text)
        assert triple_patterns(masked) < DEFAULT_LIMITS.max_triple_patterns // 10, path.name


@pytest.mark.parametrize("n, refused", [(1000, False), (1001, True), (3000, True)])
def test_a_flat_group_is_measured_in_triple_patterns(n, refused):
    if refused:
        with pytest.raises(QueryLimitError, match="AIKG_MAX_TRIPLE_PATTERNS"):
            check_text(bgp(n))
    else:
        check_text(bgp(n))


def test_separators_inside_strings_iris_comments_and_numbers_do_not_count():
    text = 'SELECT * WHERE { ?s <http://e/a.b;c,d> "x . y ; z , w" ; ?p 1.5, 2.25 . # a . b ; c\n }'
    assert triple_patterns(mask(text)) == 3  # one ';', one ',', one '.'


def test_values_rows_are_counted_in_both_forms():
    text = 'SELECT * WHERE { VALUES ?x { <a> "b c" 3 } VALUES (?a ?b) { (1 2) (UNDEF "(") } }'
    assert values_rows(mask(text)) == 5
    with pytest.raises(QueryLimitError, match="AIKG_MAX_VALUES_ROWS"):
        check_text(
            "SELECT * WHERE { VALUES ?x { " + " ".join(map(str, range(20))) + " } }", QueryLimits(max_values_rows=10)
        )


def test_size_and_depth_name_their_settings():
    with pytest.raises(QueryLimitError, match="AIKG_MAX_QUERY_BYTES"):
        check_text("ASK {} #" + "x" * 100, QueryLimits(max_bytes=50))
    with pytest.raises(QueryLimitError, match="AIKG_MAX_NESTING"):
        check_text("SELECT * WHERE " + "{" * 300 + "}" * 300)
    check_text('SELECT * WHERE { FILTER(?x = "' + "{" * 300 + '") }')  # brackets in a string


def test_updates_count_patterns_in_where_groups_only():
    triples = " ".join(f"<http://e/s{i}> <http://e/p> <http://e/o{i}> ." for i in range(5000))
    check_text("INSERT DATA { " + triples + " }", update=True)
    check_text("INSERT { " + triples + " } WHERE { FILTER NOT EXISTS { ?s ?p ?o } }", update=True)
    with pytest.raises(QueryLimitError, match="the update has about"):
        check_text("DELETE WHERE { " + triples + " }", update=True)
    with pytest.raises(QueryLimitError):
        check_text("INSERT { <a> <b> <c> } WHERE { " + triples + " }", update=True)


@pytest.mark.parametrize(
    "iri, allow, ok",
    [
        ("http://127.0.0.1:7878/query", ["127.0.0.1:7878"], True),
        ("http://127.0.0.1:7879/query", ["127.0.0.1:7878"], False),
        ("http://127.0.0.1:7879/query", ["127.0.0.1"], True),
        ("https://query.wikidata.org/sparql", ["query.wikidata.org"], True),
        ("https://query.wikidata.org/sparql", ["query.wikidata.org:443"], True),
        ("http://query.wikidata.org/sparql", ["query.wikidata.org:443"], False),
        ("http://evil.example/?x=query.wikidata.org", ["query.wikidata.org"], False),
        ("http://[::1]:7878/q", ["[::1]:7878"], True),
        ("file:///etc/passwd", ["localhost"], False),
        ("http://169.254.169.254/latest/meta-data/", [], False),
    ],
)
def test_allowlist_matching(iri, allow, ok):
    assert host_allowed(iri, allow) is ok


def test_service_and_load_are_found_outside_strings_and_comments_only():
    text = (
        'SELECT * WHERE { ?service <http://e/p> "SERVICE <http://x>" . # SERVICE <http://y>\n'
        " SERVICE SILENT <http://127.0.0.1:9/s> { ?a ?b ?c } SERVICE ?endpoint { ?d ?e ?f } }"
    )
    assert remote_targets(text, update=False) == [("SERVICE", "http://127.0.0.1:9/s"), ("SERVICE", None)]
    assert remote_targets("LOAD SILENT <http://h/x.ttl> INTO GRAPH <http://g>", update=True) == [
        ("LOAD", "http://h/x.ttl")
    ]
    assert remote_targets("SELECT ?load WHERE { ?load ?p ?o }", update=False) == []


def test_remote_access_is_refused_unless_allowed():
    with pytest.raises(RemoteAccessError, match="AIKG_ALLOW_REMOTE"):
        check_remote("SELECT * { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }", [])
    with pytest.raises(RemoteAccessError, match="cannot be checked"):
        check_remote("SELECT * { SERVICE ?u { ?s ?p ?o } }", ["10.0.0.1"])
    with pytest.raises(RemoteAccessError, match="LOAD"):
        check_remote("LOAD <http://10.0.0.1/x.ttl>", [], update=True)
    check_remote("SELECT * { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }", ["10.0.0.1"])
    check_remote("SELECT ?load WHERE { ?load ?p ?o }", [])
