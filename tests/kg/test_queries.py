"""Named queries answer researchers' questions on the hand-built store of conftest.py."""

from __future__ import annotations

import re

import pytest

from kg.errors import NotFoundError
from kg.model import PREDICATES
from kg.queries import get_query, list_queries, parse_query, run_named
from kg.store import count, iter_solutions


def rows(store, name, **params):
    """Return the rows as dicts of plain values."""
    return [
        {k: (v.value if v is not None else None) for k, v in r.items()}
        for r in iter_solutions(run_named(store, name, params))
    ]


def labels(store, name, column, **params):
    return sorted(r[column] for r in rows(store, name, **params))


def test_at_least_twelve_documented_queries():
    queries = list_queries()
    assert len(queries) >= 12
    for q in queries:
        assert q.title and len(q.description) > 30, q.name
        for p in q.params:
            assert re.search(rf"\?{p}\b", q.text), f"{q.name} declares {p} but never uses ?{p}"
            assert q.param_help[p], f"{q.name}: param {p} undocumented"


# Every named query, asked one question on the hand-built store (conftest.py), and the
# answer a reader of its articles gives: (params, columns compared, rows in those columns).
ANSWERS = {
    "acquisitions": ({}, ("buyerLabel", "targetLabel"), [("Nvidia", "Run:ai")]),
    "as-of": (
        {"date": "2020-01-01"},
        ("sLabel", "predicate", "oLabel"),
        [("Microsoft", "investsIn", "OpenAI"), ("Microsoft", "suppliesTo", "OpenAI")],
    ),
    "corroborated": ({}, ("sLabel", "predicate", "oLabel", "sources"), [("Microsoft", "investsIn", "OpenAI", "3")]),
    "current-employer-of": (
        {"entity": "Mustafa Suleyman"},
        ("orgLabel", "predicate", "since"),
        [("Microsoft AI", "leads", "2024-03-19")],
    ),
    "disputes-and-lawsuits": (
        {},
        ("aLabel", "predicate", "bLabel"),
        [("The New York Times", "sues", "Microsoft"), ("The New York Times", "sues", "OpenAI")],
    ),
    "founders": ({}, ("founderLabel", "orgLabel"), [("Sam Altman", "OpenAI")]),
    "investments-as-of": ({"entity": "Microsoft", "date": "2024-01-01"}, ("targetLabel", "sources"), [("OpenAI", "2")]),
    "investors-of": (
        {"entity": "Anthropic"},
        ("investorLabel", "first"),
        [("Amazon", "2023-09-25"), ("Google", "2023-10-27")],
    ),
    "leaders-of": ({"entity": "OpenAI"}, ("personLabel", "first"), [("Sam Altman", "2024-05-01")]),
    "models-by-developer": ({}, ("developerLabel", "modelLabel"), [("Microsoft AI", "MAI-1")]),
    "new-since": (
        {"date": "2024-04-01"},
        ("sLabel", "predicate", "oLabel"),
        [("Nvidia", "acquires", "Run:ai"), ("Sam Altman", "founded", "OpenAI"), ("Sam Altman", "leads", "OpenAI")],
    ),
    "partners-of": ({"entity": "Microsoft"}, ("partnerLabel",), [("Meta",), ("Mistral AI",), ("OpenAI",)]),
    "partnerships-in-year": (
        {"year": "2024"},
        ("aLabel", "bLabel"),
        [("Meta", "Microsoft"), ("Microsoft", "Mistral AI")],
    ),
    "portfolio-of": ({"entity": "Microsoft"}, ("targetLabel", "sources"), [("Mistral AI", "1"), ("OpenAI", "3")]),
    "relation-evidence": (
        {"subject": "Microsoft", "predicate": "investsIn", "object": "OpenAI"},
        ("date", "confidence"),
        [(None, "0.8"), ("2019-07-22", "0.9"), ("2023-01-23", "0.7"), ("2023-01-23", "0.95")],
    ),
    "relations-of": (
        {"entity": "Anthropic"},
        ("predicate", "direction", "otherLabel"),
        [("competesWith", "both", "OpenAI"), ("investsIn", "in", "Amazon"), ("investsIn", "in", "Google")],
    ),
    "rivals-of": ({"entity": "OpenAI"}, ("rivalLabel",), [("Anthropic",), ("Mistral AI",)]),
    "suppliers-of": ({"entity": "OpenAI"}, ("supplierLabel", "last"), [("Microsoft", "2019-07-22")]),
    "timeline-of-pair": (
        {"a": "OpenAI", "b": "Microsoft"},
        ("date", "predicate"),
        [
            (None, "investsIn"),
            ("2019-07-22", "investsIn"),
            ("2019-07-22", "suppliesTo"),
            ("2023-01-23", "investsIn"),
            ("2023-01-23", "investsIn"),
            ("2023-01-23", "partnersWith"),
        ],
    ),
    "who-leads": ({}, ("personLabel", "orgLabel"), [("Mustafa Suleyman", "Microsoft AI"), ("Sam Altman", "OpenAI")]),
    "who-led-on": (
        {"entity": "Microsoft AI", "date": "2024-06-01"},
        ("personLabel", "since"),
        [("Mustafa Suleyman", "2024-03-19")],
    ),
}
# Answered on stores that hold what they ask about (ended relations, normalised amounts).
ANSWERED_IN_TEST_TIME_QUERIES = {"investment-totals", "people-who-left"}


def test_every_named_query_has_a_known_answer():
    names = {q.name for q in list_queries()}
    assert names == set(ANSWERS) | {"most-connected"} | ANSWERED_IN_TEST_TIME_QUERIES


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_every_query_answers_its_question(world, name):
    params, columns, expected = ANSWERS[name]
    got = sorted(
        (tuple(r[c] for c in columns) for r in rows(world, name, **params)),
        key=lambda t: tuple("" if v is None else v for v in t),
    )
    assert got == expected


def test_most_connected_ranks_by_neighbours(world):
    ranked = [(r["label"], r["neighbours"]) for r in rows(world, "most-connected")]
    assert ranked[:3] == [("Microsoft", "7"), ("OpenAI", "5"), ("Anthropic", "3")]
    assert len(ranked) == 16 and all(n == "1" for _, n in ranked[6:])


def test_unknown_query_lists_the_names():
    with pytest.raises(NotFoundError, match="investors-of"):
        get_query("investors-off")


def test_investors_of_openai(world):
    (row,) = rows(world, "investors-of", entity="OpenAI")
    assert row["investorLabel"] == "Microsoft"
    assert (row["sources"], row["first"], row["last"]) == ("3", "2019-07-22", "2023-01-23")
    assert row["amounts"] == "$1 billion"
    assert labels(world, "investors-of", "investorLabel", entity="Anthropic") == ["Amazon", "Google"]


def test_as_of_answers_two_dates(world):
    early = {(r["sLabel"], r["predicate"], r["oLabel"]) for r in rows(world, "as-of", date="2020-01-01")}
    assert early == {("Microsoft", "investsIn", "OpenAI"), ("Microsoft", "suppliesTo", "OpenAI")}
    mid = {(r["sLabel"], r["predicate"], r["oLabel"]): r for r in rows(world, "as-of", date="2024-03-01")}
    assert ("Microsoft", "investsIn", "Mistral AI") in mid
    assert ("Mustafa Suleyman", "leads", "Microsoft AI") not in mid
    # the undated article does not count towards what was known on a date
    assert mid[("Microsoft", "investsIn", "OpenAI")]["sources"] == "2"


def test_investments_as_of(world):
    assert labels(world, "investments-as-of", "targetLabel", entity="Microsoft", date="2023-12-31") == ["OpenAI"]
    assert labels(world, "investments-as-of", "targetLabel", entity="MSFT", date="2024-12-31") == [
        "Mistral AI",
        "OpenAI",
    ]
    assert rows(world, "investments-as-of", entity="Microsoft", date="2019-07-21") == []


def test_corroboration_counts_distinct_articles_not_mentions(world):
    (row,) = rows(world, "corroborated")
    assert (row["sLabel"], row["predicate"], row["oLabel"]) == ("Microsoft", "investsIn", "OpenAI")
    assert (row["sources"], row["mentions"]) == ("3", "4")
    assert (row["first"], row["last"]) == ("2019-07-22", "2023-01-23")


@pytest.mark.parametrize(
    "entity, expected",
    [
        ("OpenAI", ["Anthropic", "Mistral AI"]),
        ("Anthropic", ["OpenAI"]),
        ("Mistral", ["OpenAI"]),
    ],
)
def test_rivals_found_from_either_side(world, entity, expected):
    assert labels(world, "rivals-of", "rivalLabel", entity=entity) == expected


def test_partners_found_from_either_side(world):
    assert labels(world, "partners-of", "partnerLabel", entity="Meta") == ["Microsoft"]
    assert labels(world, "partners-of", "partnerLabel", entity="Microsoft") == ["Meta", "Mistral AI", "OpenAI"]


def test_symmetric_evidence_in_either_order_directed_only_one_way(world):
    one = rows(world, "relation-evidence", subject="Anthropic", predicate="competesWith", object="OpenAI")
    other = rows(world, "relation-evidence", subject="OpenAI", predicate="competesWith", object="Anthropic")
    assert one == other and len(one) == 1
    assert rows(world, "relation-evidence", subject="OpenAI", predicate="investsIn", object="Microsoft") == []
    evidence = rows(world, "relation-evidence", subject="Microsoft", predicate="investsIn", object="OpenAI")
    assert len(evidence) == 4
    assert evidence[-1]["date"] is None  # the undated article comes last


def test_year_leaders_founders_models_acquisitions(world):
    assert {(r["aLabel"], r["bLabel"]) for r in rows(world, "partnerships-in-year", year="2024")} == {
        ("Meta", "Microsoft"),
        ("Microsoft", "Mistral AI"),
    }
    assert rows(world, "partnerships-in-year", year="2019") == []
    assert labels(world, "leaders-of", "personLabel", entity="OpenAI") == ["Sam Altman"]
    assert {(r["personLabel"], r["orgLabel"]) for r in rows(world, "who-leads")} == {
        ("Sam Altman", "OpenAI"),
        ("Mustafa Suleyman", "Microsoft AI"),
    }
    assert [(r["founderLabel"], r["orgLabel"]) for r in rows(world, "founders")] == [("Sam Altman", "OpenAI")]
    assert [(r["developerLabel"], r["modelLabel"]) for r in rows(world, "models-by-developer")] == [
        ("Microsoft AI", "MAI-1")
    ]  # Copilot is a Product, not a model
    assert [(r["buyerLabel"], r["targetLabel"]) for r in rows(world, "acquisitions")] == [("Nvidia", "Run:ai")]
    assert labels(world, "disputes-and-lawsuits", "bLabel") == ["Microsoft", "OpenAI"]
    top = rows(world, "most-connected")
    assert top[0]["label"] == "Microsoft"


def test_timeline_of_pair_in_date_order(world):
    timeline = rows(world, "timeline-of-pair", a="OpenAI", b="Microsoft")
    assert [r["date"] for r in timeline] == ["2019-07-22"] * 2 + ["2023-01-23"] * 3 + [None]
    assert {r["predicate"] for r in timeline} == {"investsIn", "suppliesTo", "partnersWith"}
    assert all(r["evidence"] and r["title"] for r in timeline)


@pytest.mark.parametrize(
    "hostile",
    [
        '"} ; DROP ALL',
        "x' } ; DROP ALL ; #",
        'OpenAI" } UNION { ?s ?p ?o',
        "<http://evil/> }",
    ],
)
def test_hostile_params_are_data(world, hostile):
    before = count(world, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert rows(world, "investors-of", entity=hostile) == []
    assert rows(world, "timeline-of-pair", a=hostile, b="Microsoft") == []
    assert count(world, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == before


def test_entity_named_with_quotes_and_braces_is_found(world):
    timeline = rows(world, "timeline-of-pair", a='O"Brien } ; DROP ALL', b="Microsoft")
    assert [r["predicate"] for r in timeline] == ["worksFor"]


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("as-of", {"date": "yesterday"}, "YYYY-MM-DD"),
        ("as-of", {"date": "2024-02-30"}, "YYYY-MM-DD"),
        ("partnerships-in-year", {"year": "24"}, "four-digit"),
        ("relation-evidence", {"subject": "a", "predicate": "fundedBy", "object": "b"}, "investsIn"),
        ("investors-of", {}, "needs parameters: entity"),
        ("investors-of", {"entity": "OpenAI", "year": "2020"}, "unknown: year"),
        ("investors-of", {"entity": "  "}, "empty"),
    ],
)
def test_bad_params_say_what_is_wrong(world, name, params, message):
    with pytest.raises(ValueError, match=message):
        run_named(world, name, params)


def test_header_parsing_joins_continuation_lines():
    q = parse_query(
        "x",
        "# title: T\n# description: one\n#   two\n# param: entity — the firm\n"
        "#   or its alias\nSELECT * WHERE { ?entity ?p ?o }\n",
    )
    assert (q.title, q.description, q.params) == ("T", "one two", ("entity",))
    assert q.param_help["entity"] == "the firm or its alias"
    assert q.to_dict()["params"] == [{"name": "entity", "description": "the firm or its alias"}]
    q = parse_query(
        "y",
        "# title: T\n# description: d\n# param: currency = all — a code, or all\nSELECT * WHERE { ?s ?p ?currency }\n",
    )
    assert (q.params, q.defaults, q.param_help["currency"]) == (("currency",), {"currency": "all"}, "a code, or all")


def test_predicates_param_accepts_every_predicate(world):
    answered = {
        p: len(rows(world, "relation-evidence", subject="Microsoft", predicate=p, object="OpenAI")) for p in PREDICATES
    }
    # every predicate is accepted; the store's articles say three things about the pair
    assert {p: n for p, n in answered.items() if n} == {"investsIn": 4, "suppliesTo": 1, "partnersWith": 1}


# --- the sample corpus through the real pipeline: answers a reader of the articles expects


def _on_sample(store, name, column, **params):
    return {r[column] for r in rows(store, name, **params)}


def _triples(store, name, **params):
    return {
        (r.get("sLabel") or r.get("aLabel"), r["predicate"], r.get("oLabel") or r.get("bLabel"))
        for r in rows(store, name, **params)
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "query, entity, column, expected",
    [
        ("investors-of", "OpenAI", "investorLabel", {"Microsoft"}),
        ("investors-of", "Anthropic", "investorLabel", {"Amazon", "Google"}),
        ("leaders-of", "Microsoft", "personLabel", {"Satya Nadella"}),
        ("leaders-of", "OpenAI", "personLabel", {"Sam Altman"}),
        ("rivals-of", "OpenAI", "rivalLabel", {"Anthropic", "xAI"}),
        ("partners-of", "Microsoft", "partnerLabel", {"OpenAI", "Mistral AI"}),
        ("portfolio-of", "Amazon", "targetLabel", {"Anthropic"}),
        # article 11: 'alongside Google as a competitor in search', 'names OpenAI among the
        # companies it competes with' (found since the trained classifier)
        ("rivals-of", "OpenAI", "rivalLabel", {"Google"}),
        ("rivals-of", "Microsoft", "rivalLabel", {"OpenAI"}),
        pytest.param(
            "investors-of",
            "OpenAI",
            "investorLabel",
            {"Microsoft", "Nvidia", "SoftBank", "Thrive Capital"},
            marks=pytest.mark.xfail(
                strict=True,
                reason="article 12: the backers of OpenAI's $6.6 billion round "
                "('Thrive Capital led the round', 'So did Nvidia') are missed",
            ),
        ),
        pytest.param(
            "investors-of",
            "Scale AI",
            "investorLabel",
            {"Meta"},
            marks=pytest.mark.xfail(
                strict=True,
                reason="article 17: 'a significant investment from Meta' (nominal, passive) is not extracted",
            ),
        ),
        ("partners-of", "OpenAI", "partnerLabel", {"SoftBank", "Oracle"}),
    ],
)
def test_sample_corpus_answers(sample_store, query, entity, column, expected):
    assert _on_sample(sample_store, query, column, entity=entity) >= expected


@pytest.mark.slow
def test_sample_corpus_lawsuits_and_deals(sample_store):
    suits = _triples(sample_store, "disputes-and-lawsuits")
    assert {
        ("The New York Times", "sues", "OpenAI"),
        ("The New York Times", "sues", "Microsoft"),
        ("Elon Musk", "sues", "OpenAI"),
    } <= suits
    assert ("xAI", "X") in {(r["buyerLabel"], r["targetLabel"]) for r in rows(sample_store, "acquisitions")}
    founders = {(r["founderLabel"], r["orgLabel"]) for r in rows(sample_store, "founders")}
    assert {("Arthur Mensch", "Mistral AI"), ("Mustafa Suleyman", "Inflection AI")} <= founders


@pytest.mark.slow
def test_sample_corpus_corroboration_and_as_of(sample_store):
    corroborated = {
        (r["sLabel"], r["predicate"], r["oLabel"]): int(r["sources"]) for r in rows(sample_store, "corroborated")
    }
    assert corroborated[("Microsoft", "investsIn", "OpenAI")] >= 3
    assert corroborated[("Sam Altman", "leads", "OpenAI")] >= 3
    assert all(n >= 3 for n in corroborated.values())
    in_2019 = _triples(sample_store, "as-of", date="2019-12-31")
    assert ("Microsoft", "investsIn", "OpenAI") in in_2019
    assert ("Microsoft", "partnersWith", "Mistral AI") not in in_2019
    assert ("Microsoft", "partnersWith", "Mistral AI") in _triples(sample_store, "as-of", date="2024-03-01")


@pytest.mark.slow
def test_sample_corpus_has_no_obvious_false_leaders_or_founders(sample_store):
    assert "Dario Amodei" not in _on_sample(sample_store, "leaders-of", "personLabel", entity="Google")
    founders_of_openai = {
        f for f, o in ((r["founderLabel"], r["orgLabel"]) for r in rows(sample_store, "founders")) if o == "OpenAI"
    }
    assert "Tesla" not in founders_of_openai


@pytest.fixture
def remote_world(world):
    """A RemoteStore whose HTTP requests are answered by the local store's SPARQL engine.

    Only the transport is faked: the query text goes out as a remote server would get
    it (parameters bound by a VALUES block) and the SPARQL JSON answer is parsed back.
    """
    import httpx
    import pyoxigraph as ox

    from kg.remote import RemoteStore

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        text = request.content.decode("utf-8")
        seen.append(text)
        result = world.oxigraph.query(text)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
        return httpx.Response(200, content=body, headers={"Content-Type": "application/sparql-results+json"})

    remote = RemoteStore("http://sparql.example/sparql")
    remote._client = httpx.Client(transport=httpx.MockTransport(answer))
    remote.seen = seen
    yield remote
    remote.close()


def test_named_queries_and_projection_work_on_a_remote_store(remote_world):
    from kg.analytics import resolve_entity, to_networkx

    assert resolve_entity(remote_world, "msft") == "https://w3id.org/aikg/entity/microsoft"
    assert labels(remote_world, "investments-as-of", "targetLabel", entity="Microsoft", date="2023-12-31") == ["OpenAI"]
    (row,) = rows(remote_world, "corroborated")
    assert (row["sources"], row["mentions"]) == ("3", "4")
    assert labels(remote_world, "rivals-of", "rivalLabel", entity="Mistral") == ["OpenAI"]
    assert rows(remote_world, "investors-of", entity='"} ; DROP ALL') == []
    # the text went out escaped inside a literal, never as query syntax
    assert any('"\\"} ; DROP ALL"' in q for q in remote_world.seen)
    G = to_networkx(remote_world, as_of="2020-01-01")
    assert sorted(k for _, _, k in G.edges(keys=True)) == ["investsIn", "suppliesTo"]


def test_relations_of_counts_undated_evidence_and_marks_symmetric(world):
    found = {(r["predicate"], r["direction"], r["otherLabel"]): r for r in rows(world, "relations-of", entity="OpenAI")}
    assert found[("investsIn", "in", "Microsoft")]["sources"] == "3"  # the undated article counts
    assert found[("investsIn", "in", "Microsoft")]["last"] == "2023-01-23"
    assert ("competesWith", "both", "Anthropic") in found and ("competesWith", "both", "Mistral AI") in found
    assert ("sues", "in", "The New York Times") in found
    assert labels(world, "suppliers-of", "supplierLabel", entity="OpenAI") == ["Microsoft"]


def test_new_since_is_the_complement_of_as_of(world):
    new = {(r["sLabel"], r["predicate"], r["oLabel"]) for r in rows(world, "new-since", date="2024-01-01")}
    known = {(r["sLabel"], r["predicate"], r["oLabel"]) for r in rows(world, "as-of", date="2023-12-31")}
    assert ("Microsoft", "investsIn", "Mistral AI") in new
    # reported in 2019 and again in 2023: known before, so not new
    assert ("Microsoft", "investsIn", "OpenAI") in known and ("Microsoft", "investsIn", "OpenAI") not in new
    assert not new & known
